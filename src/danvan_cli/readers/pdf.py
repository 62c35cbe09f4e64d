"""PDF: the text layer through pypdfium2, laid out again from its geometry.

Extraction order alone interleaves a two-column header line by line, leaves the signer block in
the middle of "Nơi nhận", footnotes in the middle of a paragraph and page numbers in the text.
So the reader works in two steps:

1. ``_page_pieces``: the page's text in pdfium's order, cut at its line breaks, each line placed
   by its text-object rectangle (``FPDFText_CountRects``/``GetRect``), baseline, font size and
   weight: six calls per line, none per character, which keeps the reader near the speed of
   raw extraction (``bench/pdf_speed.py``). Only a line whose rectangles do not read left to
   right on one baseline in one size (a superscript mark, a run stamped out of order) is taken
   apart into characters; a line pdfium joined at a line-end hyphen (U+FFFE) is cut there.
   ``page_rows`` then groups the pieces by baseline while the page is still open: a number
   stamped into the blank of "Số:      /UBND" is put back into its line.
2. ``layout_pages`` (also used for OCR words): rows -> page numbers and running headers
   dropped, the footnote area split off, two-column regions found (header, closing) -> lines
   -> paragraphs by line geometry -> ``Block``s.

Coordinates in the layout step are points, y growing downwards from the top of the page.
"""
from __future__ import annotations

import ctypes
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import regex as re

from .base import Block, Extracted, ReadError
from .txt import finish_blocks, footnote_mark, join_text

ProgressFn = Callable[[int, int], None]


# --- geometry model ---------------------------------------------------------------------------
@dataclass(slots=True)
class Piece:
    """A run of text on one baseline: a pdfium line, an OCR word, an exploded glyph, or a line
    joined from several of them (``parts``). A lone piece is its own row, segment and line in
    the layout step: most rows are one piece, and this spares three objects per line."""
    text: str
    x0: float
    x1: float
    base: float                 # baseline, y down
    size: float                 # font size in points
    bold: bool = False
    start: int = -1             # character range in the page's text layer (-1: none)
    end: int = -1
    glyph: bool = False         # a single character: joined to neighbours without a space
    page: int = 0
    parts: list | None = None   # the pieces a joined line was made of

    @property
    def mid(self) -> float:     # middle of the x-height: rows are clustered on it
        return self.base - 0.3 * self.size

    @property
    def pieces(self) -> list:   # as a segment
        return self.parts or [self]

    @property
    def segs(self) -> tuple:    # as a row
        return (self,)

    @property
    def line(self) -> "Piece":  # as a row
        return self


# A line of text is a piece too (joined from ``parts`` when it has several).
Line = Piece


@dataclass
class PageGeom:
    number: int                                         # 1-based
    width: float
    height: float
    pieces: list[Piece]
    explode: Callable[[Piece], list[Piece]] | None = None   # a piece taken apart into glyphs
    split: Callable[[Piece, list[float]], list[Piece]] | None = None   # a piece cut at xs
    ocr: bool = False           # sizes are estimates: font size changes are judged loosely
    rows: list | None = None    # set by ``page_rows`` while the page is open


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
    warnings: list[str] = []
    metadata: dict = {"pages": len(pdf)}
    try:
        try:
            pages, empty = _text_pages(pdf)
        except Exception as e:  # pdfium errors on a damaged page
            raise ReadError(f"broken PDF ({type(e).__name__}: {str(e)[:80]})") from None
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
        # A scan: an image over the page and (next to) no text; an e-signature stamp may
        # have left a line or two of text on it.
        chars = sum(len(p.text) for p in geom.pieces) if len(geom.pieces) < 6 else 999
        if chars < 120 and _image_cover(page, geom.width * geom.height) > (0.5 if chars > 2 else 0.0):
            empty.append(i)
        else:
            geom.rows = page_rows(geom)         # the last use of the text layer
        geom.explode = geom.split = None
        tp.close()
        page.close()
    return pages, empty


def _image_cover(page, area: float) -> float:
    """The share of the page that its largest image covers."""
    import pypdfium2.raw as R
    best = 0.0
    for obj in page.get_objects(filter=[R.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:
            continue
        best = max(best, abs(right - left) * abs(top - bottom))
    return best / area if area > 0 else 0.0


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A bold face by name: "TimesNewRomanPS-BoldMT", "Arial,Bold", "Arial-Black".
_BOLD_NAME = re.compile(r"bold|black|heavy|,b\b", re.I)
_DIGITS = re.compile(r"\d+")
_MARK_CHARS = re.compile(r"[\d()*]+")
_SPACES = re.compile(r" {2,}")


class _TextLayer:
    """Character-level access to one page's text layer, in page coordinates (y down). The
    pdfium functions are bound once: this runs for every line of every page."""

    def __init__(self, page, tp):
        import pypdfium2.raw as R
        self.R = R
        self.raw = tp.raw
        self.tp = tp
        self.page = page
        w, h = page.get_size()
        self.rotation = page.get_rotation() % 360
        self.w, self.h = w, h
        self._d = [ctypes.c_double() for _ in range(4)]
        self._p = [ctypes.byref(d) for d in self._d]
        self._buf = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()
        # Per page: a font freed with its page may leave its address to another one.
        self._bold_by_font: dict[int, bool] = {}
        self._count_rects = R.FPDFText_CountRects
        self._get_rect = R.FPDFText_GetRect
        self._font_size = R.FPDFText_GetFontSize
        self._char_origin = R.FPDFText_GetCharOrigin
        self._text_obj = R.FPDFText_GetTextObject
        self._obj_font = R.FPDFTextObj_GetFont

    def to_top_down(self, x: float, y: float) -> tuple[float, float]:
        r, w, h = self.rotation, self.w, self.h
        if r == 90:
            return y, x
        if r == 180:
            return w - x, y
        if r == 270:
            return h - y, w - x
        return x, h - y

    def rects(self, start: int, count: int) -> list[tuple[float, float, float, float, int]]:
        """Text-object rectangles of a character range: (x0, x1, top, bottom, first char), y
        down. The character is only looked up when there are several rectangles."""
        raw, d, p = self.raw, self._d, self._p
        n = self._count_rects(raw, start, count)
        out = []
        for k in range(n):
            self._get_rect(raw, k, p[0], p[1], p[2], p[3])
            left, top, right, bottom = d[0].value, d[1].value, d[2].value, d[3].value
            idx = -1
            if n > 1:
                # The character at the rectangle's centre tells its font size and baseline.
                idx = self.R.FPDFText_GetCharIndexAtPos(raw, (left + right) / 2, (top + bottom) / 2,
                                                        (right - left) / 2 + 1, (top - bottom) / 2 + 1)
            if self.rotation == 0:
                out.append((left, right, self.h - top, self.h - bottom, idx))
            else:
                (xa, ya), (xb, yb) = self.to_top_down(left, top), self.to_top_down(right, bottom)
                out.append((min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb), idx))
        return out

    def baseline(self, i: int) -> float:
        self._char_origin(self.raw, i, self._p[0], self._p[1])
        if self.rotation == 0:
            return self.h - self._d[1].value
        return self.to_top_down(self._d[0].value, self._d[1].value)[1]

    def size(self, i: int) -> float:
        return float(self._font_size(self.raw, i))

    def bold(self, i: int) -> bool:
        """Bold by weight, the ForceBold flag or the face's name; cached per font."""
        key = None
        obj = self._text_obj(self.raw, i)
        if obj:
            font = self._obj_font(obj)
            key = ctypes.addressof(font.contents) if font else None
            if key in self._bold_by_font:
                return self._bold_by_font[key]
        R = self.R
        bold = R.FPDFText_GetFontWeight(self.raw, i) >= 600
        if not bold:
            n = R.FPDFText_GetFontInfo(self.raw, i, self._buf, len(self._buf), ctypes.byref(self._flags))
            name = self._buf.value.decode("latin-1", "replace") if n else ""
            bold = bool(self._flags.value & (1 << 18)) or bool(_BOLD_NAME.search(name))
        if key is not None:
            self._bold_by_font[key] = bold
        return bold

    def box(self, i: int) -> tuple[float, float, float, float]:
        self.R.FPDFText_GetCharBox(self.raw, i, *self._p)
        left, right, bottom, top = (d.value for d in self._d)
        (xa, ya), (xb, yb) = self.to_top_down(left, top), self.to_top_down(right, bottom)
        return min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)

    def explode(self, piece: Piece, own_base: bool = False) -> list[Piece]:
        """One piece per glyph of ``piece``'s character range; spaces are left to the gaps.
        Glyphs keep the piece's baseline unless smaller (a raised mark) or ``own_base`` (the
        piece spans several baselines)."""
        out: list[Piece] = []
        text = self.text_of(piece.start, piece.end)
        raw, d, p = self.raw, self._d, self._p
        char_box, font_size, char_origin = self.R.FPDFText_GetCharBox, self._font_size, self._char_origin
        upright, h = self.rotation == 0, self.h
        for k, ch in zip(range(piece.start, piece.end), text):
            if ch.isspace():
                continue
            if unicodedata.combining(ch) and out:
                out[-1].text += ch      # a combining mark stays with its letter
                continue
            size = font_size(raw, k)
            if size < 3:
                size = piece.size
            # A glyph in the line's size sits on the line's baseline; only a smaller one (a
            # superscript mark, a stamp) needs its own.
            small = own_base or size < 0.9 * piece.size
            if upright:
                char_box(raw, k, p[0], p[1], p[2], p[3])
                x0, x1 = d[0].value, d[1].value
                if small:
                    char_origin(raw, k, p[0], p[1])
                    base = h - d[1].value
                else:
                    base = piece.base
            else:
                x0, x1, _, _ = self.box(k)
                base = self.baseline(k) if small else piece.base
            out.append(Piece(ch, x0, max(x1, x0 + 0.01), base, size, piece.bold, k, k + 1, glyph=True))
        return out

    def split(self, piece: Piece, xs: list[float]) -> list[Piece]:
        """``piece`` cut where glyphs of another run fall (at the x positions ``xs``): a few
        character boxes looked up by bisection, not one per character."""
        def xspan(i: int) -> tuple[float, float]:
            x0, x1, _, _ = self.box(i)
            return x0, x1

        cuts: list[int] = []
        for x in sorted(xs):
            lo, hi = piece.start, piece.end
            while lo < hi:                  # the first character whose centre is past x
                m = (lo + hi) // 2
                a, b = xspan(m)
                if (a + b) / 2 < x:
                    lo = m + 1
                else:
                    hi = m
            if piece.start < lo < piece.end and (not cuts or lo > cuts[-1]):
                cuts.append(lo)
        if not cuts:
            return [piece]
        text = self.text_of(piece.start, piece.end)
        out: list[Piece] = []
        bounds = [piece.start] + cuts + [piece.end]
        for a, b in zip(bounds, bounds[1:]):
            t = text[a - piece.start:b - piece.start]
            stripped = t.strip()
            if not stripped:
                continue
            first = a + len(t) - len(t.lstrip())
            last = a + len(t.rstrip()) - 1
            x0 = piece.x0 if a == piece.start else xspan(first)[0]
            x1 = piece.x1 if b == piece.end else xspan(last)[1]
            out.append(Piece(stripped, x0, max(x1, x0 + 0.01), piece.base, piece.size, piece.bold, a, b))
        if any(q.x0 < p.x0 for p, q in zip(out, out[1:])):
            return self.explode(piece)      # characters out of order: read them one by one
        return out

    def text_of(self, start: int, end: int) -> str:
        return self.tp.get_text_range(start, end - start)


def _page_pieces(page, tp, number: int) -> PageGeom:
    layer = _TextLayer(page, tp)
    w, h = layer.w, layer.h
    if layer.rotation in (90, 270):
        w, h = h, w
    n = tp.count_chars()
    text = tp.get_text_range() if n > 0 else ""
    if len(text) != n:      # pdfium and Python count some characters differently: go one by one
        get = layer.R.FPDFText_GetUnicode
        text = "".join(chr(get(tp.raw, k) or 32) for k in range(n))
    pieces: list[Piece] = []
    bare = text.replace("\r\n", "")
    if "\n" in bare or "\r" in bare:          # lone line breaks: find every line the slow way
        spans, pos = [], 0
        for m in _LINE_BREAK.finditer(text):
            spans.append((pos, m.start()))
            pos = m.end()
        spans.append((pos, len(text)))
        for a, b in spans:
            if text[a:b].strip():
                pieces.extend(_line_pieces(layer, text, a, b))
        return PageGeom(number, w, h, pieces, layer.explode, layer.split)
    # The common line, one text object upright on the page, is read inline: this loop runs for
    # every line of every page.
    raw = layer.raw
    count_rects, get_rect = layer._count_rects, layer._get_rect
    font_size, char_origin = layer._font_size, layer._char_origin
    text_obj, obj_font, addressof = layer._text_obj, layer._obj_font, ctypes.addressof
    bold_by_font, bold_slow = layer._bold_by_font, layer.bold
    d0, d1, d2, d3 = layer._d
    p0, p1, p2, p3 = layer._p
    fast = layer.rotation == 0
    lines = text.split("\r\n")
    pos = 0
    for line in lines:
        end = pos + len(line)
        stripped = line.strip()
        if not stripped:
            pos = end + 2
            continue
        if fast and "\ufffe" not in line and count_rects(raw, pos, end - pos) == 1:
            get_rect(raw, 0, p0, p1, p2, p3)
            left, right = d0.value, d2.value
        else:
            pieces.extend(_line_pieces(layer, text, pos, end))
            pos = end + 2
            continue
        first = pos if line[0] != " " else end - len(line.lstrip())
        mid = first + len(stripped) // 2
        if text[mid] == " ":
            mid -= 1
        size = font_size(raw, mid)
        char_origin(raw, mid, p0, p1)
        oy = d1.value
        if size < 3:
            pieces.extend(_line_pieces(layer, text, pos, end))
        else:
            obj = text_obj(raw, first)
            font = obj_font(obj) if obj else None
            bold = bold_by_font.get(addressof(font.contents)) if font else None
            if bold is None:
                bold = bold_slow(first)
            pieces.append(Piece(stripped, left, right, h - oy, size, bold, pos, end))
        pos = end + 2
    return PageGeom(number, w, h, pieces, layer.explode, layer.split)


def _line_pieces(layer: _TextLayer, text: str, start: int, end: int) -> list[Piece]:
    """One pdfium line as pieces: one piece when its text-object rectangles read left to right
    on one baseline in one font size; otherwise its glyphs."""
    raw = text[start:end]
    stripped = raw.strip()
    first = start + (len(raw) - len(raw.lstrip()))
    # The font size of the line is read in its middle: a footnote's mark may be set larger
    # or smaller than its text.
    mid = first + len(stripped) // 2
    while mid > first and text[mid].isspace():
        mid -= 1
    rects = layer.rects(start, end - start)
    if not rects:
        return []
    size = layer.size(mid)
    if size < 3:                                    # Tf 1 with a scaled matrix
        tall = max(r[3] - r[2] for r in rects)
        size = tall / 0.7 if tall > 0 else 10.0
    base = layer.baseline(mid)
    # The line's weight is its main run's: a bold "Điều 3." opening a plain sentence is not a
    # bold line.
    bold = layer.bold(mid)
    if len(rects) == 1:
        return [Piece(stripped, rects[0][0], rects[0][1], base, size, bold, start, end)]
    if "\ufffe" in stripped:
        split = _split_at_hyphens(layer, text, start, end, rects, size, bold)
        if split:
            return split
    whole = Piece(stripped, min(r[0] for r in rects), max(r[1] for r in rects),
                  base, size, bold, start, end)
    simple = "\ufffe" not in stripped and all(
        b[0] >= a[1] - 0.5 and b[0] - a[1] < 1.2 * size          # left to right, no wide gap
        for a, b in zip(rects, rects[1:]))
    own_base = not simple
    if simple:
        for r in rects:
            if r[4] < 0:
                continue
            rs = layer.size(r[4])
            # A raised or smaller run (a superscript mark), or a run off the line's baseline.
            if 3 <= rs < 0.8 * size:
                simple = False
            elif abs(layer.baseline(r[4]) - base) > 0.15 * size:
                simple, own_base = False, True
                break
    return [whole] if simple else layer.explode(whole, own_base)


def _split_at_hyphens(layer: _TextLayer, text: str, start: int, end: int, rects, size: float,
                      bold: bool) -> list[Piece] | None:
    """pdfium joins a line that ends in a soft hyphen (U+FFFE) to the next one. When there is
    one rectangle per visual line, cut the text there; otherwise None (take it apart)."""
    parts = text[start:end].split("\ufffe")
    if len(parts) != len(rects):
        return None
    out, pos = [], start
    for k, (part, r) in enumerate(zip(parts, rects)):
        piece_text = part + ("\ufffe" if k < len(parts) - 1 else "")
        first = pos + (len(part) - len(part.lstrip()))
        if piece_text.strip():
            out.append(Piece(piece_text.strip(), r[0], r[1], layer.baseline(first), size, bold,
                             pos, pos + len(piece_text)))
        pos += len(piece_text)
    # Each part must be a visual line of its own, top to bottom.
    if any(b.base <= a.base + 0.5 * size for a, b in zip(out, out[1:])):
        return None
    return out


# --- layout: pieces -> rows -> lines -> regions -> paragraphs ---------------------------------
_SUPERSCRIPT = str.maketrans("0123456789()*", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾*")
# "2", "- 2 -", "Trang 2", "2/5"; not "2." (an item number alone on its line).
_PAGE_NUMBER = re.compile(r"^[\s\-–—]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?[\s\-–—]*$",
                          re.I)
_ITEM_START = re.compile(
    r"^(?:[-–—+•▪◦●∙*]\s|\d{1,3}(?:\.\d{1,3})*[.)](?:\s|$)|[a-zđ][).]\s|[IVXLC]{1,6}[.)]\s"
    r"|\(\d{1,3}\)\s|\([a-zđ]\)\s|(?:Điều|Chương|Mục|Phần|Phụ lục)\s+[\dIVXLC])")
_DASH_ITEM = re.compile(r"^[-–—+]\s+\p{Ll}")


_ITEM_SYMBOLS = frozenset("-–—+•▪◦●∙*(0123456789")
_ITEM_WORDS = ("Điều", "Chương", "Mục", "Phần", "Phụ lục")


def _maybe_item(text: str) -> bool:
    """Cheap test before ``_ITEM_START``: can ``text`` start with an item marker at all?"""
    if not text:
        return False
    c = text[0]
    if c in _ITEM_SYMBOLS or text[1:2] in (")", "."):
        return True
    if c in "IVXLC":
        k = 1
        while k < len(text) and text[k] in "IVXLC":
            k += 1
        return text[k:k + 1] in (".", ")")
    return c in "ĐCMP" and text.startswith(_ITEM_WORDS)


def _rows(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces sharing a baseline (within a third of the font size), top to bottom."""
    if not pieces:
        return []
    rows: list[list[Piece]] = []
    ref: list[list[float]] = []           # [mid, size] of each row's tallest piece
    moved = False
    reach = 0.35 * max([p.size for p in pieces])
    mids = [p.base - 0.3 * p.size for p in pieces]
    keyed = zip(mids, range(len(pieces)), pieces)
    if mids != sorted(mids):                            # not already top to bottom
        keyed = sorted(keyed)
    for pmid, _, p in keyed:
        if not ref or pmid - ref[-1][0] > reach:      # well below the last row: a new one
            rows.append([p])
            ref.append([pmid, p.size])
            continue
        # Rows come in order of their middle: look back only as far as a match is possible (a
        # stamped run arrives out of order and may belong to a row but one).
        for k in range(len(rows) - 1, -1, -1):
            r = ref[k]
            d = pmid - r[0]
            if d > reach:
                break
            if abs(d) < 0.35 * (r[1] if r[1] > p.size else p.size):
                rows[k].append(p)
                if p.size > r[1]:
                    r[0], r[1] = pmid, p.size
                    moved = True
                break
        else:
            rows.append([p])
            ref.append([pmid, p.size])
            continue
        if d > reach:
            rows.append([p])
            ref.append([pmid, p.size])
    if moved:       # a taller piece moved a row's middle: put the rows in order again
        order = sorted(range(len(rows)), key=lambda k: ref[k][0])
        rows = [rows[k] for k in order]
    return [r if len(r) == 1 else sorted(r, key=_x0) for r in rows]


def _x0(p: Piece) -> float:
    return p.x0


def _untangle(row: list[Piece], explode, split=None) -> list[Piece]:
    """Pieces that overlap on one row (a number stamped into the blank of "Số:    /UBND")
    are put in x order: the narrower of two (the stamp) is taken apart into glyphs, the wider
    (the line it was stamped into) is cut where those glyphs fall."""
    if explode is None or len(row) < 2:
        return row
    size = max(p.size for p in row)
    guests: set[int] = set()
    hosts: set[int] = set()
    for a in range(len(row)):
        for b in range(a + 1, len(row)):
            pa, pb = row[a], row[b]
            if pb.x0 < pa.x1 - 0.3 * size and pa.x0 < pb.x1 - 0.3 * size:
                wide, narrow = (a, b) if pa.x1 - pa.x0 >= pb.x1 - pb.x0 else (b, a)
                hosts.add(wide)
                guests.add(narrow)
    if not guests:
        return row
    out: list[Piece] = []
    glyphs: list[Piece] = []
    for k in guests:
        p = row[k]
        glyphs.extend(explode(p) if p.start >= 0 and not p.glyph else [p])
    out.extend(glyphs)
    for k, p in enumerate(row):
        if k in guests:
            continue
        if k in hosts and p.start >= 0 and not p.glyph:
            xs = [(g.x0 + g.x1) / 2 for g in glyphs if p.x0 < (g.x0 + g.x1) / 2 < p.x1]
            out.extend(split(p, xs) if split is not None else explode(p))
        else:
            out.append(p)
    return sorted(out, key=lambda p: p.x0)


class _Seg:
    """Pieces of one row without a wide gap between them; the unit columns are cut along."""
    __slots__ = ("pieces", "x0", "x1")

    def __init__(self, pieces: list[Piece]):
        self.pieces = pieces
        self.x0 = pieces[0].x0
        self.x1 = max(p.x1 for p in pieces) if len(pieces) > 1 else pieces[0].x1


class _Row:
    """One baseline of a page: its segments, bounds, dominant size, text and line."""
    __slots__ = ("segs", "x0", "x1", "size", "line")

    def __init__(self, segs: list[_Seg], page: int):
        self.segs = segs
        if len(segs) == 1:
            seg = segs[0]
            self.x0, self.x1 = seg.x0, seg.x1
            self.line = _make_line(seg.pieces, page)
        else:
            self.x0 = segs[0].x0
            self.x1 = max(s.x1 for s in segs)
            self.line = _make_line([p for s in segs for p in s.pieces], page)
        self.size = self.line.size

    @property
    def text(self) -> str:
        return self.line.text


def _segments(row: list[Piece], gap: float) -> list[_Seg]:
    """Split a row where the horizontal gap exceeds ``gap`` ems."""
    if len(row) == 1:
        return [_Seg(row)]
    groups: list[list[Piece]] = [[row[0]]]
    right = row[0].x1
    for p in row[1:]:
        prev = groups[-1][-1]
        size = prev.size if prev.size > p.size else p.size
        if p.x0 - right > gap * size:
            groups.append([p])
            right = p.x1
        else:
            groups[-1].append(p)
            right = max(right, p.x1)
    return [_Seg(g) for g in groups]


def _main_piece(pieces: list[Piece]) -> Piece:
    """The piece in the font size that carries most of the row's characters."""
    if len(pieces) == 1:
        return pieces[0]
    by_size: dict[int, int] = {}
    for p in pieces:
        k = int(p.size * 2 + 0.5)
        by_size[k] = by_size.get(k, 0) + len(p.text)
    size = max(by_size, key=by_size.__getitem__)
    best = None
    for p in pieces:
        if int(p.size * 2 + 0.5) == size and (best is None or len(p.text) > len(best.text)):
            best = p
    return best


def _join_pieces(pieces: list[Piece]) -> str:
    """Text of pieces on one row, in x order: glyphs closer than 0.15 em touch; small digits
    raised above the baseline become superscripts (footnote references)."""
    if len(pieces) == 1:
        return pieces[0].text.strip()
    main = _main_piece(pieces)
    parts: list[str] = []
    prev: Piece | None = None
    for p in pieces:
        t = p.text
        if p.glyph and p.size < 0.8 * main.size and p.base < main.base - 0.15 * main.size \
                and _MARK_CHARS.fullmatch(t):
            t = t.translate(_SUPERSCRIPT)
        if prev is not None:
            gap = p.x0 - prev.x1
            touching = (p.glyph or prev.glyph) and gap < 0.15 * max(p.size, prev.size)
            if not touching and not parts[-1].endswith(" "):
                parts.append(" ")
        parts.append(t)
        prev = p
    return _SPACES.sub(" ", "".join(parts)).strip()


def _make_line(pieces: list[Piece], page: int) -> Line:
    if len(pieces) == 1:
        p = pieces[0]
        p.page = page
        return p
    pieces = sorted(pieces, key=lambda p: p.x0)
    main = _main_piece(pieces)
    first = next((p for p in pieces if p.text.strip()), pieces[0])
    return Piece(_join_pieces(pieces), pieces[0].x0, max(p.x1 for p in pieces), main.base, main.size,
                 first.bold, page=page, parts=pieces)


@dataclass
class _PageRows:
    number: int
    width: float
    rows: list                             # _Row, or a Piece when the row is one piece
    notes: list[Line] = field(default_factory=list)


def _body_size(pages: list[PageGeom]) -> float:
    """The font size most of the text is set in (to half a point)."""
    sizes: dict[int, int] = {}
    for pg in pages:
        for p in pg.pieces:
            k = int(p.size * 2 + 0.5)
            sizes[k] = sizes.get(k, 0) + len(p.text)
    return max(sizes, key=sizes.__getitem__) / 2 if sizes else 12.0


def _drop_page_furniture(pages: list[_PageRows], height: float) -> None:
    """Page numbers and running headers/footers: the first or last row of a page, in the top or
    bottom margin, that is a bare number or whose text (digits aside) repeats at the same
    place on other pages."""
    def key(row: _Row) -> str:
        return _DIGITS.sub("#", row.text).strip().lower()

    tops = Counter(key(p.rows[0]) for p in pages if p.rows)
    bottoms = Counter(key(p.rows[-1]) for p in pages if p.rows)
    for p in pages:
        for end in (0, -1):
            if not p.rows:
                break
            row = p.rows[end]
            base = row.line.base
            if not (base < 0.15 * height if end == 0 else base > 0.85 * height):
                continue
            repeated = len(pages) > 2 and len(row.text) < 120 \
                and (tops if end == 0 else bottoms)[key(row)] >= max(2, len(pages) // 2)
            if repeated or _PAGE_NUMBER.match(row.text):
                p.rows.pop(end)


def _footnote_area(page: _PageRows, body: float, last_mark: list[int]) -> None:
    """Split off the footnote area: the rows at the page bottom in a smaller font, from the
    first one that starts with a footnote mark. ``last_mark`` carries the number of the last
    footnote seen, from page to page."""
    k = len(page.rows)
    while k > 0 and page.rows[k - 1].size < 0.9 * body:
        k -= 1
    for i in range(k, len(page.rows)):
        if _note_start(page.rows[i].line, last_mark[0]):
            page.notes = [r.line for r in page.rows[i:]]
            del page.rows[i:]
            for ln in page.notes:
                fm = _note_start(ln, last_mark[0])
                if fm and fm[0].isdigit():
                    last_mark[0] = int(fm[0])
            return


_BARE_MARK = re.compile(r"^\(?(\d{1,3})\)?\s*(?=\S)")


def _note_start(line: Line, last: int) -> tuple[str, str] | None:
    """(mark, text) when a footnote-area line opens a footnote: a superscript or bracketed
    mark, or a bare number that comes next in the sequence of footnotes (a footnote's wrapped
    line may start with a number too, "15 tháng 7 ...": it is not the next mark)."""
    text = line.text
    fm = footnote_mark(text)
    if fm:
        return fm
    m = _BARE_MARK.match(text)
    if m:
        n = int(m.group(1))
        pieces = line.pieces
        raised = len(pieces) > 1 and pieces[0].glyph and pieces[0].size < 0.8 * _main_piece(pieces).size
        spaced = text[len(m.group(0).rstrip()):][:1].isspace()
        if (n == last + 1 or (last == 0 and n <= 3) or raised) and (spaced or raised):
            return m.group(1), text[m.end():]
    return None


def _text_bounds(lines: list[Line]) -> tuple[float, float]:
    """Left margin (most common start) and right margin (most common end of long lines)."""
    if not lines:
        return 0.0, 1.0
    starts: dict[int, int] = {}
    far = 0.0
    for ln in lines:
        k = int(ln.x0 + 0.5)
        starts[k] = starts.get(k, 0) + 1
        if ln.x1 > far:
            far = ln.x1
    top = max(starts.values())
    left = min(x for x, c in starts.items() if c >= max(1, top // 3))
    long_w = 0.6 * (far - left)
    ends: dict[int, int] = {}
    for ln in lines:
        if ln.x1 - ln.x0 > long_w:
            k = int(ln.x1 + 0.5)
            ends[k] = ends.get(k, 0) + 1
    right = max(ends, key=ends.__getitem__) if ends else far
    return float(left), float(max(right, far - 2))


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
    n = len(rows)
    width = max(right - left, 1.0)
    lo, hi = left + 0.25 * width, left + 0.75 * width
    mid = (left + right) / 2

    def free(row: _Row) -> list[tuple[float, float]]:
        """Gaps of the row inside the middle band, at least 1.2 em wide."""
        if row.x0 > hi or row.x1 < lo:
            return [(lo, hi)]
        out, x = [], lo
        for s in row.segs:
            if s.x0 > x:
                out.append((x, min(s.x0, hi)))
            if s.x1 > x:
                x = s.x1
        if x < hi:
            out.append((x, hi))
        wide = 1.2 * row.size
        return [g for g in out if g[1] - g[0] >= wide]

    def page_centered(row: _Row) -> bool:
        """A title centered on the page ("KẾ HOẠCH") is not part of a column."""
        if type(row) is Piece or len(row.segs) == 1:
            return row.x0 < mid < row.x1 and abs((row.x0 + row.x1) / 2 - mid) < row.size
        return any(s.x0 < mid < s.x1 and abs((s.x0 + s.x1) / 2 - mid) < row.size for s in row.segs)

    def pitch_of(run: list) -> float:
        """The usual distance between the baselines of consecutive rows of a run."""
        gaps = sorted(b.line.base - a.line.base for a, b in zip(run, run[1:]) if b.line.base > a.line.base)
        return gaps[len(gaps) // 2] if gaps else 1.5 * max(r.size for r in run)

    frees: list = []
    for r in rows:
        if type(r) is Piece:            # one piece: full width, page-centered, or one gap test
            x0, x1 = r.x0, r.x1
            if (x0 <= lo and x1 >= hi) or (x0 < mid < x1 and abs((x0 + x1) / 2 - mid) < r.size):
                frees.append(())
            else:
                frees.append(free(r))
        else:
            frees.append(() if page_centered(r) else free(r))
    units: list[_Unit] = []
    i = 0
    # A page opening with one-sided rows continues the previous page's columns (a Nơi nhận
    # list running over the page break).
    if prev_unit is not None and prev_unit.kind == "columns" and not prev_unit.table:
        g = prev_unit.gutter
        j = 0
        while j < n and frees[j] and all(s.x1 < g or s.x0 > g for s in rows[j].segs):
            j += 1
        if j:
            ext = _Unit("continue", gutter=g)
            for r in rows[:j]:
                _split_row(r, g, ext.left, ext.right, page.number)
            units.append(ext)
            i = j
    main: list | None = None
    while i < n:
        if not frees[i]:                # a row across the middle: the main flow, quickly
            if main is None:
                unit = _Unit("main")
                units.append(unit)
                main = unit.lines
            main.append(rows[i].line)
            i += 1
            continue
        main = None
        # Grow a run from row i while a common gutter survives.
        j = i
        run_free = frees[i]
        while run_free and j + 1 < n and frees[j + 1]:
            wide = 1.2 * rows[j + 1].size
            nxt = [(max(a, c), min(b, d)) for a, b in run_free for c, d in frees[j + 1]
                   if min(b, d) - max(a, c) >= wide]
            if not nxt:
                break
            run_free, j = nxt, j + 1
        if run_free:
            g0, g1 = max(run_free, key=lambda g: g[1] - g[0])
            gutter = (g0 + g1) / 2
            segs = [s for r in rows[i:j + 1] for s in r.segs]
            has_left = any(s.x1 <= g0 + 0.5 for s in segs)
            has_right = any(s.x0 >= g1 - 0.5 for s in segs)
            if has_left and has_right and (j > i or (g1 - g0) > 3 * rows[i].size):
                # A first row that continues the paragraph above (that one ran to the right
                # margin) belongs to the main flow: move it there and look for the columns
                # again without it (it may have narrowed the gutter).
                if i < j and not any(s.x0 >= gutter for s in rows[i].segs) \
                        and units and units[-1].kind == "main" and units[-1].lines \
                        and units[-1].lines[-1].x1 >= right - 1.5 * rows[i].size:
                    units[-1].lines.append(rows[i].line)
                    main = units[-1].lines
                    i += 1
                    continue
                # A first row on the right alone, wholly above the first row on the left (a
                # "DỰ THẢO" stamp over the header), comes before the columns, not in them.
                if i < j and all(s.x0 >= gutter for s in rows[i].segs):
                    first_left = next((r for r in rows[i + 1:j + 1] if any(s.x1 <= gutter for s in r.segs)), None)
                    if first_left is not None and rows[i].line.base < first_left.line.base - first_left.size:
                        if main is None:
                            units.append(_Unit("main"))
                            main = units[-1].lines
                        main.append(rows[i].line)
                        i += 1
                        continue
                # A last one-sided row set apart from the rows above it and lined up with the
                # main-flow row below it ("Kính gửi:" above "- Các sở, ban, ngành ...", or with
                # the list hanging to its right) opens the body, not a column.
                if j > i and j + 1 < n and len(rows[j].segs) == 1 and (
                        abs(rows[j].x0 - rows[j + 1].x0) < 1.0
                        or rows[j].x0 - 1.0 <= rows[j + 1].x0 <= rows[j].x1 + 1.5 * rows[j].size):
                    k = j - 1           # the block: rows lined up on the left above it
                    while k > i and len(rows[k].segs) == 1 and abs(rows[k].x0 - rows[k + 1].x0) < 1.0:
                        k -= 1
                    if rows[k + 1].line.base - rows[k].line.base > 1.6 * pitch_of(rows[i:k + 1]):
                        j = k
                both_rows = sum(1 for r in rows[i:j + 1]
                                if any(s.x1 <= gutter for s in r.segs) and any(s.x0 >= gutter for s in r.segs))
                unit = _Unit("columns", gutter=gutter)
                # A table of three or more columns, read row by row. A header row may show three
                # pieces too (a blank in "Số:      /UBND"): a table has several such rows.
                unit.table = both_rows >= 3 and sum(len(r.segs) >= 3 for r in rows[i:j + 1]) >= 3
                for r in rows[i:j + 1]:
                    _split_row(r, gutter, unit.left, unit.right, page.number)
                units.append(unit)
                i = j + 1
                continue
        if not units or units[-1].kind != "main":
            units.append(_Unit("main"))
        units[-1].lines.append(rows[i].line)
        main = units[-1].lines
        i += 1
    return units


def _split_row(row: _Row, gutter: float, left: list[Line], right: list[Line], page: int) -> None:
    """A row's pieces left and right of the gutter, each side one line (a blank in
    "Số:        /UBND-VP" leaves two segments on the left: still one line)."""
    if len(row.segs) == 1:
        (left if row.x1 <= gutter else right).append(row.line)
        return
    lp = [p for s in row.segs if s.x1 <= gutter for p in s.pieces]
    rp = [p for s in row.segs if s.x1 > gutter for p in s.pieces]
    if lp:
        left.append(_make_line(lp, page))
    if rp:
        right.append(_make_line(rp, page))


def _centered(ln: Line, left: float, right: float) -> bool:
    mid = (left + right) / 2
    return abs((ln.x0 + ln.x1) / 2 - mid) < 1.0 * ln.size and ln.x0 > left + 0.5 * ln.size \
        and ln.x1 < right - 0.5 * ln.size


def _paragraphs(lines: list[Line], left: float, right: float, pitch: float,
                size_tol: float = 0.15) -> list[list[Line]]:
    """Join wrapped lines into paragraphs; ``left``/``right`` bound the text (the page's margins
    or a column's). A line starts a new paragraph when the previous one ended short (its next
    word would have fitted), when it starts with an item marker, is indented past the previous
    line, is centered (unless a centered line wrapped onto it), changes boldness or font size,
    or follows a gap wider than the usual line spacing."""
    paras: list[list[Line]] = []
    prev_centered = False
    prev_item = False
    gap_limit = pitch * 1.35 + 0.5
    mid = (left + right) / 2
    for ln in lines:
        x0, x1, size = ln.x0, ln.x1, ln.size
        centered = abs((x0 + x1) / 2 - mid) < size and x0 > left + 0.5 * size \
            and x1 < right - 0.5 * size
        t = ln.text
        c = t[:1]
        item = (c in _ITEM_SYMBOLS or c in "IVXLCĐMP" or t[1:2] in (")", ".")) and _maybe_item(t) \
            and _ITEM_START.match(t) is not None
        if not paras:
            paras.append([ln])
            prev_centered, prev_item = centered, item
            continue
        prev = paras[-1][-1]
        em = ln.size if ln.size > prev.size else prev.size
        sp = ln.text.find(" ")
        first_len = sp if sp >= 0 else len(ln.text)
        word_w = (first_len + 1) * (ln.x1 - ln.x0) / (len(ln.text) or 1)
        if centered and prev_centered:
            # A centered title wrapped: it nearly fills the width available and the next word
            # would not have fitted. (A column's width is an estimate: "ỦY BAN NHÂN DÂN" over
            # "PHƯỜNG BÃI CHÁY" are two lines however close the sum comes.)
            avail = (right - left) - 0.5 * em
            prev_w = prev.x1 - prev.x0
            new = prev_w + word_w <= avail or prev_w < 0.8 * avail
        else:
            # The second line of a list item may hang under the item's text, not its marker.
            hang = 4 * em if len(paras[-1]) == 1 and prev_item else 0.7 * em
            new = (prev.x1 + word_w < right - 0.5 * em
                   or centered
                   or ln.x0 > prev.x0 + hang)
        new = (
            new
            or (item and not _DASH_ITEM.match(ln.text))
            or ln.bold != prev.bold
            or abs(ln.size - prev.size) > size_tol * em
            or (ln.page == prev.page and (ln.base - prev.base > gap_limit or ln.base < prev.base))
        )
        if new:
            paras.append([ln])
        else:
            paras[-1].append(ln)
        prev_centered, prev_item = centered, item
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
    starts = Counter(round(ln.x0) for ln in lines)
    left_aligned = starts.most_common(1)[0][1] >= 0.6 * len(lines) and len(starts) < len(lines)
    if not left_aligned and sum(1 for x in centers if abs(x - c) < em) >= 0.6 * len(centers) \
            and len(lines) > 1:
        return (left, 2 * c - left) if side == "left" else (2 * c - right, right)
    # Left-aligned: the longest line comes closest to the cell's edge.
    if side == "left":
        return left, max(ln.x1 for ln in lines)
    return min(ln.x0 for ln in lines), right


def _line_pitch(units: list[_Unit]) -> float:
    """The usual distance between baselines in the running text (to a point)."""
    diffs: dict[int, int] = {}
    for u in units:
        lines = u.lines
        for k in range(1, len(lines)):
            a, b = lines[k - 1], lines[k]
            d = b.base - a.base
            if a.page == b.page and 0 < d < 3 * a.size:
                key = int(d + 0.5)
                diffs[key] = diffs.get(key, 0) + 1
    return float(max(diffs, key=diffs.__getitem__)) if diffs else 14.0


def _blocks_of(paras: list[list[Line]], left: float, right: float, column: str | None,
               in_table: bool = False) -> list[Block]:
    out = []
    for para in paras:
        if len(para) == 1:
            text = para[0].text
        else:
            # Wrapped lines join with a space; a line ending in a hyphen joins as join_text says.
            parts = [para[0].text]
            for ln in para[1:]:
                if parts[-1][-1:] in ("-", "\ufffe"):
                    parts[-1] = join_text(parts[-1], ln.text)
                else:
                    parts.append(ln.text)
            text = " ".join(parts)
        centered = _centered(para[0], left, right) and all(_centered(ln, left, right) for ln in para[1:])
        out.append(Block(text, page=para[0].page, column=column, bold=para[0].bold,
                         centered=centered, in_table=in_table))
    return out


def page_rows(pg: PageGeom) -> list:
    """The rows of a page, top to bottom: a lone piece, or a ``_Row`` of segments. Pieces that
    overlap are taken apart here, while the page's text layer is still open."""
    rows: list = []
    number = pg.number
    for row in _rows(pg.pieces):
        if len(row) == 1:                           # the common case: the piece is the row
            if row[0].text:
                row[0].page = number
                rows.append(row[0])
            continue
        row = _untangle(row, pg.explode, pg.split)
        row = [p for p in row if p.text.strip()]
        if row:
            rows.append(_Row(_segments(row, 1.2), number))
    return rows


def layout_pages(pages: list[PageGeom]) -> list[Block]:
    """Blocks in reading order from positioned pieces (PDF text layer or OCR words)."""
    body = _body_size(pages)
    prows = [_PageRows(pg.number, pg.width, pg.rows if pg.rows is not None else page_rows(pg))
             for pg in pages]
    _drop_page_furniture(prows, max((pg.height for pg in pages), default=842.0))
    last_mark = [0]
    for p in prows:
        _footnote_area(p, body, last_mark)
    left, right = _text_bounds([r.line for p in prows for r in p.rows])

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
                if u.kind == "continue":
                    u.kind = "columns"
                units.append(u)
    pitch = _line_pitch(units)
    tol = 0.35 if any(pg.ocr for pg in pages) else 0.15

    blocks: list[Block] = []
    for u in units:
        if u.kind == "main":
            blocks.extend(_blocks_of(_paragraphs(u.lines, left, right, pitch, tol), left, right, None))
        elif u.table:
            for ln in sorted(u.left + u.right, key=lambda ln: (ln.page, round(ln.base), ln.x0)):
                blocks.append(Block(ln.text, page=ln.page, bold=ln.bold, in_table=True))
        else:
            for side, col in ((u.left, "left"), (u.right, "right")):
                if side:
                    cl, cr = _column_box(side, col, left, right, u.gutter)
                    blocks.extend(_blocks_of(_paragraphs(side, cl, cr, pitch, tol), cl, cr, col))
    blocks.extend(_note_blocks(prows))
    return finish_blocks(blocks)


def _note_blocks(pages: list[_PageRows]) -> list[Block]:
    """Footnotes: a line starting with a mark opens one; other lines (also at the top of the
    next page's area) continue it."""
    notes: list[Block] = []
    last = 0
    for p in pages:
        for ln in p.notes:
            fm = _note_start(ln, last)
            if fm:
                notes.append(Block(fm[1], page=ln.page, footnote=True, mark=fm[0]))
                if fm[0].isdigit():
                    last = int(fm[0])
            elif notes:
                notes[-1].text = join_text(notes[-1].text, ln.text)
            else:
                notes.append(Block(ln.text, page=ln.page, footnote=True))
    return notes
