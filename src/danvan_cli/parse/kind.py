"""What kind of text a document is, from the cues its first and last lines give.

- administrative: a header (motto, "Số:", "V/v"), or a printed type with its subject, or a
  "Nơi nhận" list. Decided in ``parse.header`` from the header segments it finds.
- news: a headline, a dateline under it ("THỨ BA, 10/04/2018 22:03:51", "10/04/2018"), a
  byline in capitals at the end, and none of the header cues. ``find_news`` reads it.
- unknown: neither; no field is invented for it.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex as re

from .. import patterns as P
from ..dates import to_iso
from .textdoc import DocText

ADMINISTRATIVE, NEWS, UNKNOWN = "administrative", "news", "unknown"

_DATELINE = re.compile(P.NEWS_DATELINE)
_BYLINE = re.compile(P.NEWS_BYLINE)
_NOI_NHAN = re.compile(r"(?im)^\s*nơi\s+nhận\s*:?")
# The dateline stands within the first lines (a category line may stand above the headline).
_DATELINE_WITHIN = 5
_HEADLINE_MAX = 300
_BYLINE_MAX = 40


@dataclass
class NewsHead:
    headline: tuple[int, int]            # span of the headline
    date: str | None
    year: int | None
    dateline: tuple[int, int]
    byline: tuple[int, int] | None       # span of the author's name
    body_start: int                      # first character after headline and dateline


def body_lines(doc: DocText) -> list[int]:
    """Indexes of the lines before the footnotes."""
    return [i for i, ln in enumerate(doc.lines) if ln.start < doc.footnote_start]


def has_closing(doc: DocText) -> bool:
    return bool(_NOI_NHAN.search(doc.match, 0, doc.footnote_start))


def find_news(doc: DocText) -> NewsHead | None:
    """The headline, dateline and byline of a news item, or None when there is no dateline
    under a headline."""
    idx = body_lines(doc)
    if len(idx) < 2:
        return None
    for k, i in enumerate(idx[:_DATELINE_WITHIN]):
        ln = doc.lines[i]
        m = _DATELINE.match(doc.match[ln.start:ln.end])
        if not m:
            continue
        # Headline above the dateline; when the dateline comes first, the line under it.
        if k > 0:
            h, after = idx[k - 1], i
        elif len(idx) > 1:
            h, after = idx[1], idx[1]
        else:
            return None
        head = doc.lines[h]
        if head.end - head.start > _HEADLINE_MAX or _DATELINE.match(doc.match[head.start:head.end]):
            return None
        y, mo, d = m.group("y"), m.group("m"), m.group("d")
        nxt = [j for j in idx if j > after]
        body_start = doc.lines[nxt[0]].start if nxt else doc.footnote_start
        return NewsHead((head.start, head.end), to_iso(d, mo, y), int(y), (ln.start, ln.end),
                        _byline(doc, idx, after), body_start)
    return None


def _byline(doc: DocText, idx: list[int], after: int) -> tuple[int, int] | None:
    """The author's name closing the item: a short line in capitals after the body."""
    last = idx[-1]
    if last <= after:
        return None
    ln = doc.lines[last]
    text = doc.text[ln.start:ln.end]
    m = _BYLINE.match(text)
    if not m or len(text.strip()) > _BYLINE_MAX or sum(c.isalpha() for c in m.group("name")) < 2:
        return None
    return ln.start + m.start("name"), ln.start + m.end("name")
