"""PDF: the text layer through pypdfium2, laid out again from its geometry.

Extraction order alone interleaves a two-column header line by line, leaves the signer block in
the middle of "Nơi nhận", footnotes in the middle of a paragraph and page numbers in the text.
So the reader works in two steps:

1. ``_page_pieces``: the page's text in pdfium's order, cut at its line breaks, each line placed
   by its text-object rectangles (``FPDFText_CountRects``/``GetRect``) and its baseline. A few
   calls per line, no per-character work: this is what keeps the reader near raw extraction
   speed. Only a line whose rectangles do not read left to right on one baseline (a superscript,
   a stamped number, a line-end hyphen that pdfium joined to the next line) is taken apart
   into characters.
2. ``layout_pages`` (also used for OCR): pieces -> rows (one baseline) -> page numbers and
   running headers dropped, the footnote area split off, two-column regions found (header,
   closing) -> lines -> paragraphs by line geometry -> ``Block``s.

Coordinates in the layout step are points, y growing downwards from the top of the page.
"""
from __future__ import annotations

import ctypes
import os
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import regex as re

from .base import Block, Extracted, ReadError
from .txt import finish_blocks, footnote_mark, join_text

ProgressFn = Callable[[int, int], None]


# --- geometry model ---------------------------------------------------------------------------
@dataclass
class Piece:
    """A run of text on one baseline: a pdfium line, an OCR word, or one exploded glyph."""
    text: str
    x0: float
    x1: float
    base: float                 # baseline, y down
    size: float                 # font size in points
    bold: bool = False
    start: int = -1             # character range in the page's text layer (-1: none)
    end: int = -1
    glyph: bool = False         # a single character: joined to neighbours without a space

    @property
    def mid(self) -> float:     # middle of the x-height: rows are clustered on it
        return self.base - 0.3 * self.size

    @property
    def top(self) -> float:
        return self.base - 0.8 * self.size

    @property
    def bottom(self) -> float:
        return self.base + 0.2 * self.size


@dataclass
class PageGeom:
    number: int                                         # 1-based
    width: float
    height: float
    pieces: list[Piece]
    explode: Callable[[Piece], list[Piece]] | None = None   # a piece taken apart into glyphs


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    base: float
    size: float
    bold: bool
    page: int
    segments: list[Piece] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.base - 0.8 * self.size

    @property
    def bottom(self) -> float:
        return self.base + 0.2 * self.size


# --- reading the PDF --------------------------------------------------------------------------
def _open(path: str):
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg:
            raise ReadError("encrypted PDF: needs a password") from None
        raise ReadError(f"broken PDF ({_pdfium_reason(msg)})") from None
    except OSError as e:
        raise ReadError(e.strerror or str(e)) from None


def _pdfium_reason(msg: str) -> str:
    m = re.search(r"pdfium: ([^)]+)", msg)
    return m.group(1).strip() if m else msg.strip()[:80]


def read_pdf(path: str, progress: ProgressFn | None = None) -> Extracted:
    """Read a PDF; pages without a text layer go through OCR (``readers.ocr``)."""
    pdf = _open(path)
    try:
        try:
            pages, empty = _text_pages(pdf)
        except ReadError:
            raise
        except Exception as e:  # pdfium errors on a damaged page
            raise ReadError(f"broken PDF ({type(e).__name__}: {str(e)[:80]})") from None
        warnings: list[str] = []
        metadata: dict = {"pages": len(pages)}
        if empty:
            from . import ocr
            if len(empty) == len(pages) or ocr.available():
                ocr_pages = ocr.ocr_pages(pdf, empty, progress)   # ReadError without tesseract
                by_no = {p.number: p for p in ocr_pages}
                pages = [by_no.get(p.number, p) for p in pages]
                metadata["ocr"] = True
                metadata["ocr_pages"] = [p + 1 for p in empty]
            else:
                warnings.append(f"{len(empty)} page(s) have no text layer and were skipped: "
                                "install tesseract-ocr and tesseract-ocr-vie to read them")
    finally:
        pdf.close()
    blocks = layout_pages(pages)
    if not any(b.text.strip() for b in blocks):
        raise ReadError("no text found in the PDF")
    return Extracted("pdf", blocks, metadata=metadata, warnings=warnings)


def _text_pages(pdf) -> tuple[list[PageGeom], list[int]]:
    """Geometry of every page, and the indexes of pages with no text but an image (scans)."""
    pages: list[PageGeom] = []
    empty: list[int] = []
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        geom = _page_pieces(page, tp, i + 1)
        pages.append(geom)
        if sum(len(p.text.strip()) for p in geom.pieces) < 3 and _has_image(page):
            empty.append(i)
        # The textpage stays open: exploding pieces later needs it. Closed with the document.
    return pages, empty


def _has_image(page) -> bool:
    import pypdfium2.raw as R
    return any(obj.type == R.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _TextLayer:
    """Character-level access to one page's text layer, in page coordinates (y down)."""

    def __init__(self, page, tp):
        import pypdfium2.raw as R
        self.R = R
        self.raw = tp.raw
        self.tp = tp
        w, h = page.get_size()
        self.rotation = page.get_rotation() % 360
        self.w, self.h = w, h
        self._d = [ctypes.c_double() for _ in range(4)]
        self._p = [ctypes.byref(d) for d in self._d]
        self._buf = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()

    def to_top_down(self, x: float, y: float) -> tuple[float, float]:
        r, w, h = self.rotation, self.w, self.h
        if r == 90:
            return y, x
        if r == 180:
            return w - x, y
        if r == 270:
            return h - y, w - x
        return x, h - y

    def rects(self, start: int, count: int) -> list[tuple[float, float, float, float]]:
        """Text-object rectangles of a character range: (x0, x1, top, bottom), y down."""
        R = self.R
        n = R.FPDFText_CountRects(self.raw, start, count)
        out = []
        for k in range(n):
            R.FPDFText_GetRect(self.raw, k, *self._p)
            left, top, right, bottom = (d.value for d in self._d)
            (xa, ya), (xb, yb) = self.to_top_down(left, top), self.to_top_down(right, bottom)
            out.append((min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)))
        return out

    def origin(self, i: int) -> tuple[float, float]:
        self.R.FPDFText_GetCharOrigin(self.raw, i, self._p[0], self._p[1])
        return self.to_top_down(self._d[0].value, self._d[1].value)

    def size(self, i: int) -> float:
        return float(self.R.FPDFText_GetFontSize(self.raw, i))

    def bold(self, i: int) -> bool:
        R = self.R
        if R.FPDFText_GetFontWeight(self.raw, i) >= 600:
            return True
        n = R.FPDFText_GetFontInfo(self.raw, i, self._buf, len(self._buf), ctypes.byref(self._flags))
        name = self._buf.value.decode("latin-1", "replace") if n else ""
        # Standard "ForceBold" flag, or a bold face by name ("TimesNewRomanPS-BoldMT", "Arial,Bold").
        return bool(self._flags.value & (1 << 18)) or bool(re.search(r"bold|black|heavy|,b\b", name, re.I))

    def box(self, i: int) -> tuple[float, float, float, float]:
        self.R.FPDFText_GetCharBox(self.raw, i, *self._p)
        left, right, bottom, top = (d.value for d in self._d)
        (xa, ya), (xb, yb) = self.to_top_down(left, top), self.to_top_down(right, bottom)
        return min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)

    def generated(self, i: int) -> bool:
        return bool(self.R.FPDFText_IsGenerated(self.raw, i))

    def explode(self, piece: Piece) -> list[Piece]:
        """One piece per glyph of ``piece``'s character range; spaces are left to the gaps."""
        out: list[Piece] = []
        text = self.text_of(piece.start, piece.end)
        for k, ch in zip(range(piece.start, piece.end), text):
            if ch.isspace() or self.generated(k):
                continue
            if unicodedata.combining(ch) and out:
                out[-1].text += ch      # a combining mark stays with its letter
                continue
            x0, x1, _, _ = self.box(k)
            _, base = self.origin(k)
            size = self.size(k)
            if size < 3:
                size = piece.size
            out.append(Piece(ch, x0, max(x1, x0 + 0.01), base, size, piece.bold, k, k + 1, glyph=True))
        return out

    def text_of(self, start: int, end: int) -> str:
        return self.tp.get_text_range(start, end - start)


def _page_pieces(page, tp, number: int) -> PageGeom:
    layer = _TextLayer(page, tp)
    w, h = page.get_size()
    if layer.rotation in (90, 270):
        w, h = h, w
    n = tp.count_chars()
    text = tp.get_text_range() if n > 0 else ""
    if len(text) != n:                  # a character outside the BMP: index by character
        text = "".join(chr(tp.raw and layer.R.FPDFText_GetUnicode(tp.raw, k) or 32) for k in range(n))
    pieces: list[Piece] = []
    pos = 0
    for m in list(_LINE_BREAK.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        if end > pos and text[pos:end].strip():
            pieces.extend(_line_pieces(layer, text, pos, end))
        pos = m.end() if m else len(text)
    return PageGeom(number, w, h, pieces, layer.explode)


def _line_pieces(layer: _TextLayer, text: str, start: int, end: int) -> list[Piece]:
    """One pdfium line as pieces: one piece when its rectangles read left to right on one
    baseline, otherwise its glyphs."""
    first = start + (len(text[start:end]) - len(text[start:end].lstrip()))
    rects = layer.rects(start, end - start)
    if not rects:
        return []
    size = layer.size(first)
    heights = [r[3] - r[2] for r in rects]
    if size < 3:                                    # Tf 1 with a scaled matrix
        size = max(heights) / 0.7 if max(heights) > 0 else 10.0
    _, base = layer.origin(first)
    whole = Piece(text[start:end].strip(), min(r[0] for r in rects), max(r[1] for r in rects),
                  base, size, layer.bold(first), start, end)
    if len(rects) == 1:
        return [whole]
    tall = max(heights)
    simple = all(
        b[0] >= a[1] - 0.5 and b[0] - a[1] < 1.2 * size          # left to right, no wide gap
        and abs((b[2] + b[3]) / 2 - (a[2] + a[3]) / 2) < 0.35 * size   # one baseline
        for a, b in zip(rects, rects[1:])
    ) and min(heights) > 0.6 * tall and "\ufffe" not in whole.text
    return [whole] if simple else layer.explode(whole)


# --- layout: pieces -> rows -> lines -> regions -> paragraphs ---------------------------------
_SUPERSCRIPT = str.maketrans("0123456789()*", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾*")
# "2", "- 2 -", "Trang 2", "2/5"; not "2." (an item number alone on its line).
_PAGE_NUMBER = re.compile(r"^[\s\-–—]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?[\s\-–—]*$",
                          re.I)
_ITEM_START = re.compile(
    r"^(?:[-–—+•▪◦●∙*]\s|\d{1,3}(?:\.\d{1,3})*[.)](?:\s|$)|[a-zđ][).]\s|[IVXLC]{1,6}[.)]\s"
    r"|\(\d{1,3}\)\s|\([a-zđ]\)\s|(?:Điều|Chương|Mục|Phần|Phụ lục)\s+[\dIVXLC])")
_DASH_ITEM = re.compile(r"^[-–—+]\s+\p{Ll}")


def _rows(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces sharing a baseline (within a third of the font size), top to bottom."""
    rows: list[list[Piece]] = []
    ref: list[tuple[float, float]] = []           # (mid, size) of each row's tallest piece
    for p in sorted(pieces, key=lambda p: p.mid):
        # A stamped run can arrive out of order: look at the last few rows, not only the last.
        for k in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            mid, size = ref[k]
            if abs(p.mid - mid) < 0.35 * max(size, p.size):
                rows[k].append(p)
                if p.size > size:
                    ref[k] = (p.mid, p.size)
                break
        else:
            rows.append([p])
            ref.append((p.mid, p.size))
    order = sorted(range(len(rows)), key=lambda k: ref[k][0])
    return [sorted(rows[k], key=lambda p: p.x0) for k in order]


def _untangle(row: list[Piece], explode) -> list[Piece]:
    """Pieces that overlap on one row (a number stamped into the blank of "Số:    /UBND")
    are taken apart into glyphs so that everything can be read in x order."""
    if explode is None or len(row) < 2:
        return row
    size = max(p.size for p in row)
    bad: set[int] = set()
    for a in range(len(row)):
        for b in range(a + 1, len(row)):
            pa, pb = row[a], row[b]
            if pb.x0 < pa.x1 - 0.3 * size and pa.x0 < pb.x1 - 0.3 * size:
                bad.update((a, b))
    if not bad:
        return row
    out: list[Piece] = []
    for k, p in enumerate(row):
        out.extend(explode(p) if k in bad and p.start >= 0 and not p.glyph else [p])
    return sorted(out, key=lambda p: p.x0)


def _segments(row: list[Piece], gap: float) -> list[list[Piece]]:
    """Split a row where the horizontal gap exceeds ``gap`` ems."""
    segs: list[list[Piece]] = [[row[0]]]
    for p in row[1:]:
        prev = segs[-1][-1]
        size = max(prev.size, p.size)
        if p.x0 - max(q.x1 for q in segs[-1]) > gap * size:
            segs.append([p])
        else:
            segs[-1].append(p)
    return segs


def _join_pieces(pieces: list[Piece]) -> str:
    """Text of pieces on one row, in x order: glyphs closer than 0.15 em touch; small digits
    raised above the baseline become superscripts (footnote references)."""
    main = max(pieces, key=lambda p: (p.size, len(p.text)))
    parts: list[str] = []
    prev: Piece | None = None
    for p in pieces:
        t = p.text
        if p.glyph and p.size < 0.8 * main.size and p.base < main.base - 0.15 * main.size \
                and re.fullmatch(r"[\d()*]+", t):
            t = t.translate(_SUPERSCRIPT)
        if prev is not None:
            gap = p.x0 - prev.x1
            touching = (p.glyph or prev.glyph) and gap < 0.15 * max(p.size, prev.size)
            if not touching and not parts[-1].endswith(" "):
                parts.append(" ")
        parts.append(t)
        prev = p
    return re.sub(r" {2,}", " ", "".join(parts)).strip()


def _make_line(pieces: list[Piece], page: int) -> Line:
    pieces = sorted(pieces, key=lambda p: p.x0)
    main = max(pieces, key=lambda p: (p.size, len(p.text)))
    first = next((p for p in pieces if p.text.strip()), pieces[0])
    return Line(_join_pieces(pieces), pieces[0].x0, max(p.x1 for p in pieces), main.base, main.size,
                first.bold, page, pieces)


@dataclass
class _PageRows:
    number: int
    width: float
    rows: list[list[list[Piece]]]          # rows -> segments -> pieces
    notes: list[Line] = field(default_factory=list)


def _body_size(pages: list[PageGeom]) -> float:
    sizes: Counter = Counter()
    for pg in pages:
        for p in pg.pieces:
            sizes[round(p.size * 2) / 2] += len(p.text)
    return sizes.most_common(1)[0][0] if sizes else 12.0


def _row_text(row: list[list[Piece]]) -> str:
    return " ".join(_join_pieces(seg) for seg in row)


def _drop_page_furniture(pages: list[_PageRows]) -> None:
    """Page numbers and running headers/footers: the first or last row of a page that is a bare
    number, or whose text (digits aside) repeats at the same place on other pages."""
    def key(row) -> str:
        return re.sub(r"\d+", "#", _row_text(row)).strip().lower()

    tops = Counter(key(p.rows[0]) for p in pages if p.rows)
    bottoms = Counter(key(p.rows[-1]) for p in pages if p.rows)
    for p in pages:
        for end in (0, -1):
            if not p.rows:
                break
            row = p.rows[end]
            text = _row_text(row)
            k = key(row)
            repeated = len(pages) > 2 and (tops if end == 0 else bottoms)[k] >= max(2, len(pages) // 2) \
                and len(text) < 120
            if _PAGE_NUMBER.match(text) or repeated:
                p.rows.pop(end)


def _footnote_area(page: _PageRows, body: float) -> None:
    """Split off the footnote area: the rows at the page bottom in a smaller font, from the
    first one that starts with a footnote mark."""
    k = len(page.rows)
    while k > 0 and all(p.size < 0.9 * body for seg in page.rows[k - 1] for p in seg):
        k -= 1
    for i in range(k, len(page.rows)):
        if _starts_with_mark(page.rows[i]):
            page.notes = [_make_line([p for seg in r for p in seg], page.number) for r in page.rows[i:]]
            del page.rows[i:]
            return


def _starts_with_mark(row: list[list[Piece]]) -> bool:
    text = _row_text(row)
    return bool(footnote_mark(text)) or bool(re.match(r"^\(?\d{1,3}\)?\s+\S", text) and _small_lead(row))


def _small_lead(row: list[list[Piece]]) -> bool:
    """The row starts with a run in a clearly smaller font than the rest (a raised mark that the
    text layer did not flag as a separate glyph)."""
    pieces = [p for seg in row for p in seg]
    return len(pieces) > 1 and pieces[0].size < 0.8 * max(p.size for p in pieces[1:])


def _text_bounds(lines: list[Line]) -> tuple[float, float]:
    """Left margin (most common start) and right margin (most common end of long lines)."""
    if not lines:
        return 0.0, 1.0
    starts = Counter(round(ln.x0) for ln in lines)
    left = min(x for x, c in starts.items() if c >= max(1, starts.most_common(1)[0][1] // 3))
    width = max(ln.x1 for ln in lines) - left
    ends = Counter(round(ln.x1) for ln in lines if ln.x1 - ln.x0 > 0.6 * width)
    right = ends.most_common(1)[0][0] if ends else max(ln.x1 for ln in lines)
    return float(left), float(max(right, max(ln.x1 for ln in lines) - 2))


@dataclass
class _Unit:
    """A stretch of a page read as one flow ("main") or as two columns ("columns")."""
    kind: str
    lines: list[Line] = field(default_factory=list)        # main
    left: list[Line] = field(default_factory=list)         # columns
    right: list[Line] = field(default_factory=list)
    gutter: float = 0.0
    table: bool = False


def _regions(page: _PageRows, left: float, right: float, prev_unit: _Unit | None) -> list[_Unit]:
    """Cut a page's rows into main-flow stretches and two-column regions (the header's issuer |
    motto, the closing's Nơi nhận | signer): a run of rows that leaves a common vertical gutter
    in the middle of the text width, with text on both sides."""
    rows = page.rows
    width = max(right - left, 1.0)
    lo, hi = left + 0.25 * width, left + 0.75 * width

    def free(row) -> list[tuple[float, float]]:
        spans = sorted((min(p.x0 for p in s), max(p.x1 for p in s)) for s in row)
        out, x = [], lo
        for a, b in spans:
            if a > x:
                out.append((x, min(a, hi)))
            x = max(x, b)
        if x < hi:
            out.append((x, hi))
        return [(a, b) for a, b in out if b > a]

    def intersect(fa, fb):
        return [(max(a, c), min(b, d)) for a, b in fa for c, d in fb if min(b, d) > max(a, c)]

    def size_of(row) -> float:
        return max(p.size for s in row for p in s)

    mid = (left + right) / 2

    def page_centered(row) -> bool:
        """A title centered on the page ("KẾ HOẠCH") is not part of a column."""
        return any(abs((min(p.x0 for p in s) + max(p.x1 for p in s)) / 2 - mid) < 1.0 * size_of(row)
                   and min(p.x0 for p in s) < mid < max(p.x1 for p in s) for s in row)

    units: list[_Unit] = []
    i = 0
    n = len(rows)
    while i < n:
        # A page opening with one-sided rows continues the previous page's columns (a Nơi nhận
        # list running over the page break).
        if i == 0 and prev_unit is not None and prev_unit.kind == "columns" and not prev_unit.table:
            g = prev_unit.gutter
            j = 0
            while j < n and all(max(p.x1 for p in s) < g or min(p.x0 for p in s) > g for s in rows[j]) \
                    and free(rows[j]):
                j += 1
            if j:
                ext = _Unit("columns", gutter=g)
                for r in rows[:j]:
                    for s in r:
                        (ext.left if max(p.x1 for p in s) < g else ext.right).append(_make_line(s, page.number))
                ext.kind = "continue"
                units.append(ext)
                i = j
                continue
        # Grow a run from row i while a common gutter survives.
        gaps = [g for g in free(rows[i]) if g[1] - g[0] >= 1.2 * size_of(rows[i])]
        if page_centered(rows[i]):
            gaps = []
        j = i
        run_free = gaps
        while run_free and j + 1 < n and not page_centered(rows[j + 1]):
            nxt = intersect(run_free, free(rows[j + 1]))
            nxt = [g for g in nxt if g[1] - g[0] >= 1.2 * size_of(rows[j + 1])]
            if not nxt:
                break
            run_free, j = nxt, j + 1
        if run_free:
            g0, g1 = max(run_free, key=lambda g: g[1] - g[0])
            gutter = (g0 + g1) / 2
            segs = [s for r in rows[i:j + 1] for s in r]
            has_left = any(max(p.x1 for p in s) <= g0 + 0.5 for s in segs)
            has_right = any(min(p.x0 for p in s) >= g1 - 0.5 for s in segs)
            both_rows = sum(1 for r in rows[i:j + 1]
                            if any(max(p.x1 for p in s) <= gutter for s in r)
                            and any(min(p.x0 for p in s) >= gutter for s in r))
            if has_left and has_right and (j > i or (g1 - g0) > 3 * size_of(rows[i])):
                # Rows before the first row with text on the right that continue the paragraph
                # above (it ran to the right margin) belong to the main flow.
                while i < j and not any(min(p.x0 for p in s) >= gutter for s in rows[i]) \
                        and units and units[-1].kind == "main" and units[-1].lines \
                        and units[-1].lines[-1].x1 >= right - 1.5 * size_of(rows[i]):
                    units[-1].lines.append(_make_line([p for s in rows[i] for p in s], page.number))
                    i += 1
                # A last one-sided row aligned with the main-flow row below it ("Kính gửi:"
                # above "- Các sở, ban, ngành ...") opens the body, not a column.
                while j > i and j + 1 < n and len(rows[j]) == 1 \
                        and abs(min(p.x0 for p in rows[j][0]) - min(p.x0 for s in rows[j + 1] for p in s)) < 1.0:
                    j -= 1
                unit = _Unit("columns", gutter=gutter)
                unit.table = any(len(r) >= 3 for r in rows[i:j + 1]) and both_rows >= 3
                for r in rows[i:j + 1]:
                    for s in r:
                        side = unit.left if max(p.x1 for p in s) <= gutter else unit.right
                        side.append(_make_line(s, page.number))
                units.append(unit)
                i = j + 1
                continue
        line = _make_line([p for s in rows[i] for p in s], page.number)
        if not units or units[-1].kind != "main":
            units.append(_Unit("main"))
        units[-1].lines.append(line)
        i += 1
    return units


def _centered(ln: Line, left: float, right: float) -> bool:
    mid = (left + right) / 2
    return abs((ln.x0 + ln.x1) / 2 - mid) < 1.0 * ln.size and ln.x0 > left + 0.5 * ln.size \
        and ln.x1 < right - 0.5 * ln.size


def _paragraphs(lines: list[Line], left: float, right: float, pitch: float) -> list[list[Line]]:
    """Join wrapped lines into paragraphs; ``left``/``right`` bound the text (the page's margins
    or a column's). A line starts a new paragraph when the previous one ended short (its next
    word would have fitted), when it starts with an item marker, is indented past the previous
    line, is centered (unless a centered line wrapped onto it), changes boldness or font size,
    or follows a gap wider than the usual line spacing."""
    paras: list[list[Line]] = []
    for ln in lines:
        if not paras:
            paras.append([ln])
            continue
        prev = paras[-1][-1]
        em = max(ln.size, prev.size)
        first_word = ln.text.split(" ", 1)[0]
        char_w = (ln.x1 - ln.x0) / max(len(ln.text), 1)
        word_w = (len(first_word) + 1) * char_w
        centered = _centered(ln, left, right)
        if centered and _centered(prev, left, right):
            # A centered title wrapped: the next word did not fit in the width available.
            wrapped = (prev.x1 - prev.x0) + word_w > (right - left) - 0.5 * em
            new = not wrapped
        else:
            new = (prev.x1 + word_w < right - 0.5 * em
                   or centered
                   or ln.x0 > prev.x0 + 0.7 * em)
        new = (
            new
            or (_ITEM_START.match(ln.text) and not _DASH_ITEM.match(ln.text))
            or ln.bold != prev.bold
            or abs(ln.size - prev.size) > 0.15 * em
            or (ln.page == prev.page and ln.base - prev.base > pitch * 1.35 + 0.5)
            or (ln.page == prev.page and ln.base < prev.base)
        )
        if new:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return paras


def _column_box(lines: list[Line], side: str, left: float, right: float,
                gutter: float) -> tuple[float, float]:
    """The horizontal extent of a header or closing column. Its lines are mostly centered in a
    table cell whose edges are not drawn: the cell is taken as symmetric about their common
    center, against the page margin. Left-aligned columns (Nơi nhận) run from the margin or
    the gutter to their longest line."""
    centers = sorted((ln.x0 + ln.x1) / 2 for ln in lines)
    c = centers[len(centers) // 2]
    em = max(ln.size for ln in lines)
    if sum(1 for x in centers if abs(x - c) < em) >= 0.6 * len(centers) and len(lines) > 1:
        return (left, 2 * c - left) if side == "left" else (2 * c - right, right)
    if side == "left":
        return left, max(gutter, max(ln.x1 for ln in lines))
    return min(ln.x0 for ln in lines), right


def _line_pitch(units: list[_Unit]) -> float:
    diffs: Counter = Counter()
    for u in units:
        for a, b in zip(u.lines, u.lines[1:]):
            if a.page == b.page and 0 < b.base - a.base < 3 * a.size:
                diffs[round(b.base - a.base, 0)] += 1
    return float(diffs.most_common(1)[0][0]) if diffs else 14.0


def _blocks_of(paras: list[list[Line]], left: float, right: float, column: str | None,
               in_table: bool = False) -> list[Block]:
    out = []
    for para in paras:
        text = para[0].text
        for ln in para[1:]:
            text = join_text(text, ln.text)
        out.append(Block(text, page=para[0].page, column=column, bold=para[0].bold,
                         centered=all(_centered(ln, left, right) for ln in para),
                         in_table=in_table))
    return out


def layout_pages(pages: list[PageGeom]) -> list[Block]:
    """Blocks in reading order from positioned pieces (PDF text layer or OCR words)."""
    body = _body_size(pages)
    prows: list[_PageRows] = []
    for pg in pages:
        rows = []
        for row in _rows(pg.pieces):
            row = _untangle(row, pg.explode)
            row = [p for p in row if p.text.strip()]
            if row:
                rows.append(_segments(row, 1.2))
        prows.append(_PageRows(pg.number, pg.width, rows))
    _drop_page_furniture(prows)
    for p in prows:
        _footnote_area(p, body)
    all_lines = [_make_line([q for s in r for q in s], p.number) for p in prows for r in p.rows]
    left, right = _text_bounds(all_lines)

    units: list[_Unit] = []
    for p in prows:
        prev = units[-1] if units else None
        for u in _regions(p, left, right, prev):
            if u.kind == "continue" and units and units[-1].kind == "columns":
                units[-1].left.extend(u.left)
                units[-1].right.extend(u.right)
            elif u.kind == "main" and units and units[-1].kind == "main":
                units[-1].lines.extend(u.lines)         # a paragraph may run over the page break
            else:
                units.append(u if u.kind != "continue" else _Unit("columns", u.lines, u.left, u.right, u.gutter))
    pitch = _line_pitch(units)

    blocks: list[Block] = []
    for u in units:
        if u.kind == "main":
            blocks.extend(_blocks_of(_paragraphs(u.lines, left, right, pitch), left, right, None))
        elif u.table:
            for ln in sorted(u.left + u.right, key=lambda ln: (ln.page, round(ln.base), ln.x0)):
                blocks.append(Block(ln.text, page=ln.page, bold=ln.bold, in_table=True))
        else:
            for side, col in ((u.left, "left"), (u.right, "right")):
                if side:
                    cl, cr = _column_box(side, col, left, right, u.gutter)
                    blocks.extend(_blocks_of(_paragraphs(side, cl, cr, pitch), cl, cr, col))
    blocks.extend(_note_blocks(prows))
    return finish_blocks(blocks)


def _note_blocks(pages: list[_PageRows]) -> list[Block]:
    """Footnotes: a line starting with a mark opens one; other lines (also at the top of the
    next page's area) continue it."""
    notes: list[Block] = []
    for p in pages:
        for ln in p.notes:
            text = ln.text
            fm = footnote_mark(text)
            if fm is None and re.match(r"^\(?(\d{1,3})\)?\s+\S", text) and ln.segments \
                    and ln.segments[0].size < 0.8 * max(q.size for q in ln.segments[1:] or ln.segments):
                m = re.match(r"^\(?(\d{1,3})\)?\s+", text)
                fm = (m.group(1), text[m.end():])
            if fm:
                notes.append(Block(fm[1], page=ln.page, footnote=True, mark=fm[0]))
            elif notes:
                notes[-1].text = join_text(notes[-1].text, text)
            else:
                notes.append(Block(text, page=ln.page, footnote=True))
    return notes
