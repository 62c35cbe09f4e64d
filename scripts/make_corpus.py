#!/usr/bin/env python3
"""Render chosen demo-corpus .txt files as Word (.docx) and PDF, laid out like office templates.

The .txt file is the source: header (left column block, then right column block), type line and
subject, body (one paragraph per line), "Nơi nhận:" list, signer block, name, then footnotes and
annexes. The .docx puts the header in a borderless two-cell table (issuer and "Số" left, motto and
place/date right) and the closing in another (recipients left, signer right), like the Word
templates offices use; the .pdf is LibreOffice's rendering of the .docx.

Usage (from the repo root):
    python scripts/make_corpus.py              # all chosen documents, .docx and .pdf
    python scripts/make_corpus.py --no-pdf     # .docx only
    python scripts/make_corpus.py corpus/x.txt # only these

The output is meant to be reproducible: fixed core properties, fixed zip timestamps in the .docx,
and fixed creation dates / file id in the .pdf. The generated files are committed; CI does not
run this script.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

# The documents that also ship as .docx and .pdf (the chain first).
CHOSEN = [
    "tw-bdvtw-kh-27-2025.txt",
    "tinh-hatinh-ubnd-kh-215-2025.txt",
    "huyen-canloc-ubnd-kh-64-2025.txt",
    "xa-vuongloc-ubnd-kh-18-2025.txt",
    "tinh-hatinh-ubnd-qd-1250-2026.txt",
    "tinh-quangninh-ubnd-kh-215-2026.txt",
]

# One fixed moment for every file's metadata, so reruns give the same bytes.
FIXED_TIME = dt.datetime(2026, 11, 1, 8, 0, 0)
ZIP_TIME = (2026, 11, 1, 8, 0, 0)
AUTHOR = "danvan demo corpus"

FONT = "Times New Roman"
MOTTOS = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM")
TYPE_NAMES = {
    "KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO", "THÔNG BÁO", "CHỈ THỊ", "HƯỚNG DẪN", "NGHỊ QUYẾT",
    "KẾT LUẬN", "CHƯƠNG TRÌNH", "QUY CHẾ", "QUY ĐỊNH", "TỜ TRÌNH", "CÔNG ĐIỆN", "ĐỀ ÁN",
}
FOOTNOTE_START = re.compile(r"^(\[\d+\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|⁽\d+⁾)\s*")
ROMAN_HEADING = re.compile(r"^[IVXL]+\.\s")
ARABIC_ITEM = re.compile(r"^\d+(\.\d+)*\.\s")
LETTER_ITEM = re.compile(r"^[a-zđ]\)\s")
ARTICLE = re.compile(r"^(Điều \d+\.)")
CHAPTER = re.compile(r"^Chương [IVXL]+$")


# ---------------------------------------------------------------- reading the .txt

@dataclass
class Layout:
    """The parts of one source .txt, as the renderer needs them."""
    marker: str | None                  # "DỰ THẢO" printed above the header, if any
    left: list[str]                     # issuer lines, rule, "Số: ...", "V/v ..." lines
    right: list[str]                    # motto, rule, place and date
    type_line: str | None               # "KẾ HOẠCH"; None for a công văn
    subject: list[str]
    body: list[list[str]]               # blocks of paragraphs (one paragraph per line)
    recipients: list[str]               # "Nơi nhận:" and its "- ..." lines
    signer: list[str]                   # "TM. ...", "KT. ...", title
    name: str | None
    footnotes: list[str] = field(default_factory=list)
    annex: list[list[str]] = field(default_factory=list)


def blocks_of(text: str) -> list[list[str]]:
    """Runs of non-blank lines, separated by blank lines."""
    out: list[list[str]] = []
    cur: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.strip():
            cur.append(line.strip())
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def parse_layout(text: str) -> Layout:
    text = unicodedata.normalize("NFC", text)
    blocks = blocks_of(text)
    marker = None
    if blocks and blocks[0] == ["DỰ THẢO"]:
        marker = blocks.pop(0)[0]
    if len(blocks) < 2 or blocks[1][0] not in MOTTOS:
        raise ValueError("no two-column header (issuer block, then motto block)")
    left, right = blocks[0], blocks[1]
    rest = blocks[2:]

    type_line, subject = None, []
    if rest and rest[0][0] in TYPE_NAMES:
        type_line, subject = rest[0][0], rest[0][1:]
        rest = rest[1:]

    i = next((k for k, b in enumerate(rest) if b[0].startswith("Nơi nhận")), None)
    if i is None:
        raise ValueError("no 'Nơi nhận:' block")
    body, recipients = rest[:i], rest[i]
    tail = rest[i + 1:]
    signer = tail.pop(0) if tail else []
    name = None
    if tail and not FOOTNOTE_START.match(tail[0][0]) and tail[0][0] not in TYPE_NAMES:
        name = tail.pop(0)[0]

    footnotes: list[str] = []
    annex: list[list[str]] = []
    for b in tail:
        if not annex and FOOTNOTE_START.match(b[0]):
            footnotes.extend(b)
        else:
            annex.append(b)
    return Layout(marker, left, right, type_line, subject, body, recipients, signer, name,
                  footnotes, annex)


# ---------------------------------------------------------------- writing the .docx

def _set_run_font(run, size: float, bold=None, italic=None) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    # Word reads the complex-script and East Asian slots too; without them it may fall back.
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(container, text: str, size: float = 14, bold=False, italic=False,
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first: float | None = None,
          indent_left: float | None = None, after: float = 6, before: float = 0):
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.1
    if indent_first is not None:
        fmt.first_line_indent = Cm(indent_first)
    if indent_left is not None:
        fmt.left_indent = Cm(indent_left)
    if text:
        _set_run_font(p.add_run(text), size, bold, italic)
    return p


def _borderless_table(doc, widths_cm: tuple[float, float]):
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)
    # LibreOffice lays out by the grid columns, Word by the cell widths: set both.
    for col, cell, w in zip(table.columns, table.rows[0].cells, widths_cm):
        col.width = Cm(w)
        cell.width = Cm(w)
    # Keep each block whole on one page: a signer torn from its name reads as two documents.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    return table.rows[0].cells


def _first_paragraph(cell, text: str, **kw):
    """Fill the empty paragraph a new cell starts with, then add the rest after it."""
    p = cell.paragraphs[0]
    if p.text == "" and not p.runs:
        p._element.getparent().remove(p._element)
    return _para(cell, text, **kw)


def _header(doc, lay: Layout) -> None:
    if lay.marker:
        _para(doc, lay.marker, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    left, right = _borderless_table(doc, (6.3, 10.2))
    center = WD_ALIGN_PARAGRAPH.CENTER
    party = lay.right[0] == MOTTOS[1]
    # Left: parent body (regular), issuing body (bold), rule, "Số", then the V/v subject.
    # Issuer lines come before "Số"; everything after it is the V/v subject, wrapped or not.
    k_num = next((k for k, l in enumerate(lay.left) if l.startswith("Số")), len(lay.left))
    issuer = [l for l in lay.left[:k_num] if not _is_rule(l)]
    num = lay.left[k_num] if k_num < len(lay.left) else None
    vv_start = k_num + 1 if k_num + 1 < len(lay.left) else None
    first = True
    for k, line in enumerate(issuer):
        # The parent body ("UBND TỈNH ...") is regular, the issuing body bold; a body that
        # issues in its own name ("ỦY BAN NHÂN DÂN" / "TỈNH ...") is bold throughout.
        bold = party or k > 0 or line == "ỦY BAN NHÂN DÂN"
        fn = _first_paragraph if first else _para
        fn(left, line, size=13 if len(line) <= 26 else 12, bold=bold, align=center, after=0)
        first = False
    rule = next((l for l in lay.left[:k_num] if _is_rule(l)), None)
    if rule:
        _para(left, rule, size=13, align=center, after=0)
    if num:
        _para(left, num, size=13, align=center, after=3)
    if vv_start is not None:
        _para(left, " ".join(lay.left[vv_start:]), size=12, align=center, after=0)
    # Right: motto, rule, place and date (italic).
    first = True
    for line in lay.right:
        fn = _first_paragraph if first else _para
        first = False
        if line in MOTTOS:
            fn(right, line, size=12 if not party else 14, bold=True, align=center, after=0)
        elif line.startswith("Độc lập"):
            fn(right, line, size=14, bold=True, align=center, after=0)
        elif _is_rule(line):
            fn(right, line, size=13, align=center, after=6)
        else:
            fn(right, line, size=14, italic=True, align=center, after=0)


def _is_rule(line: str) -> bool:
    return bool(re.fullmatch(r"[-_*=]{1,}", line.strip()))


def _title(doc, lay: Layout) -> None:
    if lay.type_line:
        _para(doc, lay.type_line, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
              before=12, after=0)
        for line in lay.subject:
            _para(doc, line, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    else:
        _para(doc, "", after=6)


def _body_paragraph(container, line: str, annex: bool = False) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    if CHAPTER.match(line):
        _para(container, line, bold=True, align=center, before=6, after=0)
    elif line.startswith("(Ban hành kèm theo"):
        _para(container, line, italic=True, align=center, after=12)
    elif is_upper(line) and len(line) < 90 and not ROMAN_HEADING.match(line):
        _para(container, line, bold=True, align=center, before=6, after=6)
    elif ROMAN_HEADING.match(line):
        _para(container, line, bold=True, indent_first=1.0, before=6)
    elif (m := ARTICLE.match(line)):
        if annex or (len(line) < 90 and not line.endswith((".", ";"))):
            _para(container, line, bold=True, indent_first=1.0, before=6)
        else:
            p = _para(container, "", indent_first=1.0)
            _set_run_font(p.add_run(m.group(1)), 14, bold=True)
            _set_run_font(p.add_run(line[m.end():]), 14)
    elif ARABIC_ITEM.match(line) and len(line) < 90 and not line.endswith((".", ";", ",")):
        _para(container, line, bold=True, indent_first=1.0)
    else:
        _para(container, line, indent_first=1.0)


def _addressees(doc, block: list[str]) -> None:
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT, indent_left=2.5, after=0, before=6)
    _set_run_font(p.add_run(block[0]), 14)
    for line in block[1:]:
        _para(doc, line, align=WD_ALIGN_PARAGRAPH.LEFT, indent_left=4.5, after=0)
    _para(doc, "", after=0)


def _closing(doc, lay: Layout) -> None:
    left, right = _borderless_table(doc, (8.0, 8.5))
    _first_paragraph(left, lay.recipients[0], size=12, bold=True, italic=True,
                     align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    for line in lay.recipients[1:]:
        _para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    first = True
    for line in lay.signer:
        fn = _first_paragraph if first else _para
        first = False
        fn(right, line, size=14, bold=True, align=center, after=0)
    for _ in range(3):
        _para(right, "", size=14, after=0)
    if lay.name:
        _para(right, lay.name, size=14, bold=True, align=center, after=0)


def build_docx(lay: Layout, title: str):
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
    sec.left_margin, sec.right_margin = Cm(3.0), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)

    _header(doc, lay)
    _title(doc, lay)
    for block in lay.body:
        if block[0].startswith("Kính gửi"):
            _addressees(doc, block)
            continue
        for line in block:
            _body_paragraph(doc, line)
    _closing(doc, lay)
    if lay.footnotes:
        _para(doc, "_______________", size=10, align=WD_ALIGN_PARAGRAPH.LEFT, before=12, after=0)
        for line in lay.footnotes:
            _para(doc, line, size=10, after=2)
    if lay.annex:
        p = _para(doc, "", after=0)
        p.add_run().add_break(WD_BREAK.PAGE)
        head = lay.annex[0]
        for line in head:
            _para(doc, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
        for block in lay.annex[1:]:
            for line in block:
                _body_paragraph(doc, line, annex=True)

    cp = doc.core_properties
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.title = title
    cp.subject = "danvan demo corpus (invented document)"
    cp.comments = "Generated by scripts/make_corpus.py from the .txt of the same name."
    cp.keywords = ""
    cp.category = ""
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.last_printed = FIXED_TIME
    cp.revision = 1
    return doc


def save_docx(doc, path: Path) -> None:
    """Save with fixed zip timestamps and member order, so the bytes do not depend on the clock."""
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        # [Content_Types].xml must stay first for some readers.
        names.sort(key=lambda n: (n != "[Content_Types].xml", n))
        for n in names:
            info = zipfile.ZipInfo(n, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(n))
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------- .pdf through LibreOffice

def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_pdfs(docx_paths: list[Path], soffice: str) -> None:
    with tempfile.TemporaryDirectory(prefix="danvan-lo-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        outdir = Path(tmp, "out")
        outdir.mkdir()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_paths)]
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(FIXED_TIME.timestamp())), TZ="UTC")
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, timeout=600)
        for d in docx_paths:
            made = outdir / (d.stem + ".pdf")
            if not made.exists():
                raise RuntimeError(f"LibreOffice did not produce {made.name}")
            d.with_suffix(".pdf").write_bytes(fix_pdf_metadata(made.read_bytes()))


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[0-9+\-Z']+)\)")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_PDF_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)")  # LibreOffice: a hash over the dates
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)([^<]+)(</xmp:)")


def fix_pdf_metadata(data: bytes) -> bytes:
    """Replace the clock-dependent fields with fixed values of the same length (xref stays valid)."""
    def same_len(new: bytes, old: bytes) -> bytes:
        return (new + b"0" * len(old))[:len(old)] if len(new) <= len(old) else new[:len(old)]

    stamp = FIXED_TIME.strftime("D:%Y%m%d%H%M%S").encode()
    # Keep the time-zone suffix as printed (fixed by TZ=UTC), replace the clock digits.
    data = _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b"(" + stamp + m.group(2)[len(stamp):]
                         + b")", data)
    data = _PDF_ID.sub(lambda m: m.group(0).replace(m.group(1), b"0" * len(m.group(1)))
                       .replace(m.group(2), b"0" * len(m.group(2))), data)
    data = _PDF_CHECKSUM.sub(lambda m: m.group(1) + b"0" * len(m.group(2)), data)
    iso = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%S").encode()
    data = _XMP_DATE.sub(lambda m: m.group(1) + same_len(iso, m.group(2)) + m.group(3), data)
    return data


# ---------------------------------------------------------------- main

def render(txt: Path) -> Path:
    lay = parse_layout(txt.read_text(encoding="utf-8"))
    title = " ".join(filter(None, [lay.type_line, *lay.subject])) or next(
        (l for l in lay.left if l.startswith("V/v")), txt.stem)
    out = txt.with_suffix(".docx")
    save_docx(build_docx(lay, title), out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="corpus .txt files (default: the chosen list)")
    ap.add_argument("--no-pdf", action="store_true", help="write only the .docx files")
    args = ap.parse_args(argv)
    txts = [Path(f) for f in args.files] or [CORPUS / n for n in CHOSEN]
    made = []
    for t in txts:
        d = render(t)
        made.append(d)
        print(f"wrote {d.relative_to(ROOT) if d.is_relative_to(ROOT) else d}")
    if args.no_pdf:
        return 0
    soffice = find_soffice()
    if not soffice:
        print("soffice (LibreOffice) not found: .pdf files not written", file=sys.stderr)
        return 1
    convert_pdfs(made, soffice)
    for d in made:
        p = d.with_suffix(".pdf")
        print(f"wrote {p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
