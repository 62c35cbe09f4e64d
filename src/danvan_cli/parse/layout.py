"""From a reader's blocks to the normalized ``DocText``.

Every block's characters are cleaned (``normalize.clean_chars``), blank blocks dropped, and the
blocks joined one per line. Footnote blocks are moved after the running text.
"""
from __future__ import annotations

from ..model import Footnote
from ..normalize import clean_chars, fold_tones
from ..readers.base import Extracted
from .textdoc import DocText, Line


def build(ext: Extracted) -> DocText:
    body, notes = [], []
    for b in ext.blocks:
        t = clean_chars(b.text).strip()
        if not t:
            continue
        (notes if b.footnote else body).append((t, b))
    parts: list[str] = []
    lines: list[Line] = []
    pos = 0
    footnotes: list[Footnote] = []
    footnote_start = None
    for group, is_note in ((body, False), (notes, True)):
        if is_note:
            footnote_start = pos
        for t, b in group:
            lines.append(Line(pos, pos + len(t), b.page, b.column, b.bold, b.centered, b.in_table))
            if is_note:
                footnotes.append(Footnote(b.mark or "", t, (pos, pos + len(t))))
            parts.append(t)
            pos += len(t) + 1
    text = "\n".join(parts)
    return DocText(text=text, match=fold_tones(text), lines=lines, format=ext.format,
                   footnote_start=min(footnote_start or len(text), len(text)),
                   footnotes=footnotes, metadata=dict(ext.metadata), warnings=list(ext.warnings))
