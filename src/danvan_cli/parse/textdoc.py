"""The normalized document every parser stage reads: one string, its lines, and where its
parts begin and end.

``text`` is what spans index (``danvan parse --text`` prints it). ``match`` is ``text`` with one
tone placement (``normalize.fold_tones``), the same length: stages run their regexes on
``match`` and slice values out of ``text``.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from ..model import Footnote


class Openings(dict):
    """A text's opening (its first character, or first few) -> whether a match of one of
    ``patterns`` at the text's start may begin so. Asked of the patterns themselves (a partial
    match of that opening) the first time an opening is met, then kept: ``OPENS[text[:1]] and
    PATTERN.match(text)`` spares most texts the regex call for a dictionary lookup, and misses
    no match. An empty opening is let through. (A space is let through when a pattern skips
    spaces: the test is sharpest on stripped lines.) The patterns must not look behind their
    start: the opening alone cannot tell what stands before it."""

    __slots__ = ("patterns",)

    def __init__(self, *patterns: Any) -> None:
        super().__init__()
        self.patterns = patterns

    def __missing__(self, opening: str) -> bool:
        if len(self) >= 65536:          # (openings of a few characters: a bound all the same)
            self.clear()
        ok = self[opening] = opening == "" or any(
            p.match(opening, partial=True) is not None for p in self.patterns)
        return ok


@dataclass(slots=True)     # (slots: one per line, read by every stage)
class Line:
    start: int
    end: int                    # exclusive; text[start:end] has no newline
    page: int | None = None
    column: str | None = None   # "left" | "right" (header / closing columns)
    bold: bool = False
    centered: bool = False
    in_table: bool = False


@dataclass
class DocText:
    """``lines`` are in text order and do not overlap (their starts and ends both ascend)."""
    text: str
    match: str
    lines: list[Line]
    format: str
    # text[footnote_start:] holds the footnotes, one per line, moved out of the running text.
    footnote_start: int
    footnotes: list[Footnote] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Set by the stages, in pipeline order: header sets body_start (first character after
    # type, subject and addressees); closing sets body_end (where "Nơi nhận" or the signer
    # block begins; footnote_start when there is none).
    body_start: int = 0
    body_end: int | None = None
    # Set by closing: end of the closing's last line (None without a closing). Text between it
    # and footnote_start is what follows the signature: annexes, appendices, page chrome.
    closing_end: int | None = None
    # Each line's text and fold (text[ln.start:ln.end], match[ln.start:ln.end]), made once:
    # every stage reads lines, and slicing them again in each cost more than keeping them.
    # Computed from ``lines`` when not given (layout gives them: the pieces it joined).
    line_texts: list[str] = field(default_factory=list, repr=False, compare=False)
    line_folds: list[str] = field(default_factory=list, repr=False, compare=False)
    _starts: list[int] = field(default_factory=list, repr=False)
    _ends: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [ln.start for ln in self.lines]
        self._ends = [ln.end for ln in self.lines]
        if len(self.line_texts) != len(self.lines):
            self.line_texts = [self.text[ln.start:ln.end] for ln in self.lines]
        if len(self.line_folds) != len(self.lines):
            self.line_folds = [self.match[ln.start:ln.end] for ln in self.lines]
        if self.body_end is None:
            self.body_end = self.footnote_start

    def line_index(self, offset: int) -> int:
        """Index of the line holding ``offset`` (or the last line starting before it)."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def lines_starting(self, start: int, stop: int) -> range:
        """Indexes of the lines that start inside [start, stop)."""
        return range(bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, stop))

    def lines_between(self, start: int, end: int) -> list[int]:
        """Indexes of the lines inside [start, end): a run of them, found by bisection (each
        stage asks for its part of the text; testing every line cost more)."""
        return list(range(bisect.bisect_left(self._starts, start),
                          bisect.bisect_right(self._ends, end)))
