"""Word .docx through python-docx, walked at the XML level so that nothing is lost or reordered.

- The body in document order: paragraphs, tables and content controls interleaved; text boxes
  (``w:txbxContent``) after the paragraph that anchors them.
- Layout tables (two columns, a few rows: the header's issuer | motto, the closing's Nơi nhận |
  signer) are read column by column, left cells -> column "left", right cells -> "right". Other
  tables are data: read row by row, every cell's paragraphs with ``in_table``.
- Automatic numbering ("1.", "a)", "-" from numbering.xml) is written out: the parser needs the
  labels a reader sees.
- Footnotes and endnotes from their package parts; a reference in the text becomes a superscript
  mark ("¹"), the note a ``Block(footnote=True, mark="1")``.
- Bold and centered from direct formatting, then the style chain.
- Runs in a TCVN3 (.VnTime) or VNI (VNI-Times) font are converted to Unicode.
"""
from __future__ import annotations

import zipfile

import regex as re

from .base import Block, Extracted, ReadError
from .legacy import convert_blocks, decode_tcvn3, decode_vni
from .txt import finish_blocks

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def q(tag: str) -> str:
    prefix, local = tag.split(":")
    return "{%s}%s" % ({"w": W, "mc": MC}[prefix], local)


_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MULTISPACE = re.compile(r"[ \t\u00a0]{2,}")


def read_docx(path: str) -> Extracted:
    try:
        import docx
        document = docx.Document(path)
    except zipfile.BadZipFile:
        raise ReadError("broken .docx (not a valid zip archive)") from None
    except KeyError as e:
        raise ReadError(f"broken .docx (missing part {e})") from None
    except ValueError as e:
        # python-docx: "file '...' is not a Word file, content type is '...'"
        msg = str(e)
        if "content type" in msg:
            ctype = msg.rsplit("content type is", 1)[-1].strip(" '\"")
            raise ReadError(f"not a Word document (a zip package of type {ctype})") from None
        raise ReadError(f"broken .docx ({msg[:80]})") from None
    except Exception as e:      # lxml syntax errors, truncated members ...
        if type(e).__name__ == "PackageNotFoundError":  # python-docx: no Word package inside
            raise ReadError("broken .docx (truncated, or not a Word package)") from None
        raise ReadError(f"broken .docx ({type(e).__name__}: {str(e)[:80]})") from None
    try:
        reader = _DocxReader(document)
        blocks = reader.read()
    except ReadError:
        raise
    except Exception as e:
        raise ReadError(f"broken .docx ({type(e).__name__}: {str(e)[:80]})") from None
    metadata: dict = {}
    # A document typed in a legacy font without the font recorded on its runs.
    if not reader.legacy_runs:
        enc = convert_blocks(blocks)
        if enc:
            metadata["encoding"] = enc
    else:
        metadata["encoding"] = "+".join(sorted(reader.legacy_runs))
    if reader.pages > 1:
        metadata["pages"] = reader.pages
    if not any(b.text.strip() for b in blocks):
        raise ReadError("no text found in the document")
    return Extracted("docx", finish_blocks(blocks), metadata=metadata)


class _DocxReader:
    def __init__(self, document):
        self.doc = document
        self.styles = _Styles(document)
        self.numbering = _Numbering(document, self.styles)
        self.notes: dict[tuple[str, str], list] = _note_parts(document)
        self.note_order: list[tuple[str, str]] = []
        self.legacy_runs: set[str] = set()
        # Pages are known only from the page breaks Word recorded when it last laid the
        # document out (or typed ones); without any, blocks carry no page.
        body = document.element.body
        marked = next(body.iter(q("w:lastRenderedPageBreak")), None) is not None or any(
            br.get(q("w:type")) == "page" for br in body.iter(q("w:br")))
        self.page: int | None = 1 if marked else None
        self.pages = 1

    def read(self) -> list[Block]:
        blocks: list[Block] = []
        self._container(self.doc.element.body, blocks, column=None, in_table=False)
        # Notes in the order they are referenced; a note of several paragraphs is one block.
        for kind, nid in dict.fromkeys(self.note_order):
            for p in self.notes.get((kind, nid), []):
                text, _ = self._paragraph_text(p, [])
                if text.strip():
                    blocks.append(Block(" ".join(text.split()), footnote=True, mark=nid))
        return _merge_note_paragraphs(blocks)

    # -- containers --------------------------------------------------------------------------
    def _container(self, el, out: list[Block], column: str | None, in_table: bool) -> None:
        for child in el:
            tag = child.tag
            if tag == q("w:p"):
                self._paragraph(child, out, column, in_table)
            elif tag == q("w:tbl"):
                self._table(child, out, column)
            elif tag in (q("w:sdt"), q("w:customXml"), q("w:smartTag")):
                content = child.find(q("w:sdtContent"))
                self._container(content if content is not None else child, out, column, in_table)
            elif tag == q("mc:AlternateContent"):
                choice = child.find(q("mc:Choice"))
                if choice is not None:
                    self._container(choice, out, column, in_table)

    def _table(self, tbl, out: list[Block], column: str | None) -> None:
        rows = [[tc for tc in _cells(tr)] for tr in tbl.iter(q("w:tr")) if _parent_table(tr) is tbl]
        ncols = max((len(r) for r in rows), default=0)
        if ncols == 2 and len(rows) <= 3 and column is None:
            # A layout table: the left column, then the right one.
            for side, idx in (("left", 0), ("right", 1)):
                for r in rows:
                    if len(r) > idx:
                        self._container(r[idx], out, side, in_table=False)
            return
        for r in rows:
            for tc in r:
                self._container(tc, out, column, in_table=True)

    # -- paragraphs --------------------------------------------------------------------------
    def _paragraph(self, p, out: list[Block], column: str | None, in_table: bool) -> None:
        boxes: list = []
        page = self.page
        label = self.numbering.label(p)
        text, bold = self._paragraph_text(p, boxes)
        centered = self.styles.centered(p)
        lines = text.split("\n")
        if label:
            lines[0] = label + " " + lines[0].lstrip()
        for line in lines:
            # Blanks typed as runs of spaces ("Số:      /UBND") read as one space, like a PDF.
            line = _MULTISPACE.sub(" ", line).strip()
            if line:
                out.append(Block(line, page=page, column=column, bold=bold,
                                 centered=centered, in_table=in_table))
        for box in boxes:
            self._container(box, out, column, in_table)

    def _paragraph_text(self, p, boxes: list) -> tuple[str, bool]:
        """Text of a paragraph (soft line breaks as "\\n"), and whether all of it is bold.
        Text boxes met on the way are collected into ``boxes``."""
        parts: list[str] = []
        bolds: list[bool] = []
        pstyle = self.styles.para_style(p)
        for r in _runs(p):
            rpr = r.find(q("w:rPr"))
            font = _run_font(rpr)
            run_text: list[str] = []
            for el in r:
                tag = el.tag
                if tag == q("w:t"):
                    run_text.append(el.text or "")
                elif tag in (q("w:tab"), q("w:ptab")):
                    run_text.append(" ")
                elif tag in (q("w:br"), q("w:cr")):
                    if el.get(q("w:type")) == "page":
                        self._new_page()
                    else:
                        run_text.append("\n")
                elif tag == q("w:lastRenderedPageBreak"):
                    self._new_page()
                elif tag == q("w:noBreakHyphen"):
                    run_text.append("-")
                elif tag == q("w:softHyphen"):
                    run_text.append("\xad")     # TCVN3 "ư" lives at this code
                elif tag == q("w:sym"):
                    run_text.append(_sym(el))
                elif tag in (q("w:footnoteReference"), q("w:endnoteReference")):
                    kind = "footnote" if tag == q("w:footnoteReference") else "endnote"
                    nid = el.get(q("w:id"))
                    if nid is not None:
                        self.note_order.append((kind, nid))
                        run_text.append(nid.translate(_SUPER))
                elif tag == q("w:drawing") or tag == q("w:pict") or tag == q("mc:AlternateContent"):
                    _find_text_boxes(el, boxes)
            t = "".join(run_text)
            if font:
                t = self._legacy(t, font)
            if t:
                parts.append(t)
                if t.strip():
                    bolds.append(self.styles.bold(rpr, pstyle))
        return "".join(parts), bool(bolds) and all(bolds)

    def _legacy(self, text: str, font: str) -> str:
        f = font.lower()
        if f.startswith(".vn"):
            self.legacy_runs.add("tcvn3")
            text = decode_tcvn3(text)
            # .VnTimeH and friends draw the lower-case codes as capitals.
            return text.upper() if f.endswith("h") else text
        if f.startswith("vni-") or f.startswith("vni "):
            self.legacy_runs.add("vni")
            return decode_vni(text)
        return text

    def _new_page(self) -> None:
        if self.page is not None:
            self.page += 1
            self.pages = max(self.pages, self.page)


def _merge_note_paragraphs(blocks: list[Block]) -> list[Block]:
    """A footnote of several paragraphs: the paragraphs after its first continue it."""
    out: list[Block] = []
    for b in blocks:
        if b.footnote and out and out[-1].footnote and out[-1].mark == b.mark:
            out[-1].text += " " + b.text
        else:
            out.append(b)
    return out


def _runs(p):
    """Runs of a paragraph in order, through hyperlinks, fields, insertions and smart tags; not
    deleted text or moved-away text."""
    for el in p:
        tag = el.tag
        if tag == q("w:r"):
            yield el
        elif tag in (q("w:hyperlink"), q("w:ins"), q("w:fldSimple"), q("w:smartTag"),
                     q("w:customXml"), q("w:moveTo"), q("w:bdo"), q("w:dir")):
            yield from _runs(el)
        elif tag == q("w:sdt"):
            content = el.find(q("w:sdtContent"))
            if content is not None:
                yield from _runs(content)


def _find_text_boxes(el, boxes: list) -> None:
    """``w:txbxContent`` under a drawing, taking the modern branch of an AlternateContent only
    (its VML fallback holds the same text again)."""
    if el.tag == q("mc:AlternateContent"):
        choice = el.find(q("mc:Choice"))
        if choice is not None:
            _find_text_boxes(choice, boxes)
        return
    if el.tag == q("w:txbxContent"):
        boxes.append(el)
        return
    for child in el:
        if child.tag == q("mc:Fallback"):
            continue
        _find_text_boxes(child, boxes)


def _sym(el) -> str:
    code = el.get(q("w:char")) or ""
    try:
        ch = chr(int(code, 16))
    except ValueError:
        return ""
    # Symbol-font codes live in the private use area (F0xx): bullets and dashes mostly.
    if 0xF000 <= ord(ch) <= 0xF0FF:
        ch = chr(ord(ch) - 0xF000)
        return {"\xb7": "•", "-": "-", "\xad": "-"}.get(ch, "•" if not ch.isalnum() else ch)
    return ch


def _run_font(rpr) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(q("w:rFonts"))
    if fonts is None:
        return None
    return fonts.get(q("w:ascii")) or fonts.get(q("w:hAnsi"))


def _cells(tr):
    for el in tr:
        if el.tag == q("w:tc"):
            yield el
        elif el.tag in (q("w:sdt"), q("w:customXml")):
            content = el.find(q("w:sdtContent"))
            for tc in (content if content is not None else el):
                if tc.tag == q("w:tc"):
                    yield tc


def _parent_table(tr):
    el = tr.getparent()
    while el is not None and el.tag != q("w:tbl"):
        el = el.getparent()
    return el


# --- styles -----------------------------------------------------------------------------------
class _Styles:
    """Bold and alignment through the style chain (paragraph style, its bases, defaults)."""

    def __init__(self, document):
        self.by_id: dict[str, object] = {}
        try:
            styles_el = document.styles.element
        except Exception:
            styles_el = None
        self.default_para = None
        if styles_el is not None:
            for st in styles_el.iter(q("w:style")):
                sid = st.get(q("w:styleId"))
                if sid:
                    self.by_id[sid] = st
                if st.get(q("w:type")) == "paragraph" and st.get(q("w:default")) in ("1", "true"):
                    self.default_para = st

    def para_style(self, p):
        ppr = p.find(q("w:pPr"))
        sid = None
        if ppr is not None:
            ps = ppr.find(q("w:pStyle"))
            if ps is not None:
                sid = ps.get(q("w:val"))
        return self.by_id.get(sid) if sid else self.default_para

    def _chain(self, st):
        seen = 0
        while st is not None and seen < 10:
            yield st
            based = st.find(q("w:basedOn"))
            st = self.by_id.get(based.get(q("w:val"))) if based is not None else None
            seen += 1

    def bold(self, rpr, pstyle) -> bool:
        v = _toggle(rpr, "w:b")
        if v is not None:
            return v
        if rpr is not None:
            rs = rpr.find(q("w:rStyle"))
            if rs is not None:
                for st in self._chain(self.by_id.get(rs.get(q("w:val")))):
                    v = _toggle(st.find(q("w:rPr")), "w:b")
                    if v is not None:
                        return v
        for st in self._chain(pstyle):
            v = _toggle(st.find(q("w:rPr")), "w:b")
            if v is not None:
                return v
        return False

    def centered(self, p) -> bool:
        ppr = p.find(q("w:pPr"))
        jc = ppr.find(q("w:jc")) if ppr is not None else None
        if jc is None:
            for st in self._chain(self.para_style(p)):
                sppr = st.find(q("w:pPr"))
                jc = sppr.find(q("w:jc")) if sppr is not None else None
                if jc is not None:
                    break
        return jc is not None and jc.get(q("w:val")) == "center"


def _toggle(rpr, tag: str) -> bool | None:
    if rpr is None:
        return None
    el = rpr.find(q(tag))
    if el is None:
        return None
    return el.get(q("w:val"), "true").lower() not in ("0", "false", "off")


# --- numbering --------------------------------------------------------------------------------
class _Numbering:
    """Labels of automatically numbered paragraphs, counted in document order."""

    def __init__(self, document, styles: _Styles):
        self.styles = styles
        self.abstract: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            part = document.part.numbering_part
            root = part.element
        except Exception:
            return
        for an in root.iter(q("w:abstractNum")):
            levels = {}
            for lvl in an.iter(q("w:lvl")):
                ilvl = int(lvl.get(q("w:ilvl"), "0"))
                fmt = lvl.find(q("w:numFmt"))
                txt = lvl.find(q("w:lvlText"))
                start = lvl.find(q("w:start"))
                levels[ilvl] = {
                    "fmt": fmt.get(q("w:val")) if fmt is not None else "decimal",
                    "text": txt.get(q("w:val")) if txt is not None else "",
                    "start": int(start.get(q("w:val"))) if start is not None else 1,
                }
            self.abstract[an.get(q("w:abstractNumId"))] = levels
        for num in root.iter(q("w:num")):
            aid = num.find(q("w:abstractNumId"))
            overrides = {}
            for ov in num.iter(q("w:lvlOverride")):
                so = ov.find(q("w:startOverride"))
                if so is not None:
                    overrides[int(ov.get(q("w:ilvl"), "0"))] = int(so.get(q("w:val")))
            if aid is not None:
                self.nums[num.get(q("w:numId"))] = (aid.get(q("w:val")), overrides)

    def _num_pr(self, p):
        ppr = p.find(q("w:pPr"))
        npr = ppr.find(q("w:numPr")) if ppr is not None else None
        if npr is None:
            for st in self.styles._chain(self.styles.para_style(p)):
                sppr = st.find(q("w:pPr"))
                npr = sppr.find(q("w:numPr")) if sppr is not None else None
                if npr is not None:
                    break
        if npr is None:
            return None
        nid = npr.find(q("w:numId"))
        ilvl = npr.find(q("w:ilvl"))
        if nid is None:
            return None
        return nid.get(q("w:val")), int(ilvl.get(q("w:val"))) if ilvl is not None else 0

    def label(self, p) -> str:
        pr = self._num_pr(p)
        if pr is None or pr[0] not in self.nums:
            return ""
        nid, ilvl = pr
        aid, overrides = self.nums[nid]
        levels = self.abstract.get(aid, {})
        if ilvl not in levels:
            return ""
        count = self.counters.setdefault(nid, {})
        start = overrides.get(ilvl, levels[ilvl]["start"])
        count[ilvl] = count.get(ilvl, start - 1) + 1
        for deeper in [k for k in count if k > ilvl]:
            del count[deeper]
        lvl = levels[ilvl]
        if lvl["fmt"] == "bullet":
            t = lvl["text"]
            return t if t in ("-", "+", "–", "•", "*", "o") else "•"
        if lvl["fmt"] == "none":
            return ""
        out = lvl["text"]
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in out:
                lv = levels.get(k, lvl)
                n = count.get(k, overrides.get(k, lv["start"]))
                out = out.replace(f"%{k + 1}", _format_number(n, lv["fmt"]))
        return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.lower() if fmt == "lowerRoman" else s
    return str(n)


def _roman(n: int) -> str:
    out = []
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


# --- footnotes and endnotes -------------------------------------------------------------------
def _note_parts(document) -> dict[tuple[str, str], list]:
    """Paragraph elements of each footnote and endnote, by (kind, id); separators skipped."""
    from lxml import etree
    out: dict[tuple[str, str], list] = {}
    try:
        parts = list(document.part.package.iter_parts())
    except Exception:
        return out
    for part in parts:
        name = str(part.partname)
        kind = "footnote" if name.endswith("/footnotes.xml") else \
            "endnote" if name.endswith("/endnotes.xml") else None
        if kind is None:
            continue
        try:
            root = part.element if hasattr(part, "element") else etree.fromstring(part.blob)
        except Exception:
            continue
        for note in root.iter(q(f"w:{kind}")):
            if note.get(q("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            nid = note.get(q("w:id"))
            out[(kind, nid)] = list(note.iter(q("w:p")))
    return out
