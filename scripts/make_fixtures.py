"""Make the reader fixtures under tests/fixtures (run once; needs LibreOffice for the PDFs).

    .venv/bin/python scripts/make_fixtures.py

cong-van-mau.docx   a công văn written for the tests: header and closing in two-cell tables,
                    automatic numbering, a real footnote (word/footnotes.xml), page numbers in
                    the page header from page 2, a number that wraps at its hyphen
                    ("2769/UBND-" | "NCKSTTHC") and a paragraph that runs over the page break.
cong-van-mau.pdf    the same through LibreOffice: two-column header and closing, footnote area
                    at the page bottom in a small font, page numbers, U+FFFE line-end hyphen.
cong-van-dong-so.pdf  the PDF with the number and the day stamped afterwards as separate text
                    objects at the end of the page's content, as e-signature tools do.

The text is hand-written in the anatomy of a real công văn; no real document is copied.
The generated files are committed: CI may lack LibreOffice. The tests build their other inputs
(scans, legacy encodings, broken files) at test time.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

ISSUER = ["ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH"]
NUMBER_BLANK = "Số:        /UBND-VP"
SUBJECT = "V/v triển khai thực hiện quy chế dân chủ ở cơ sở năm 2025"
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
DATELINE = "Hòa Bình, ngày      tháng 5 năm 2025"
ADDRESSEES = ["Kính gửi:", "- Các ban, ngành, đoàn thể xã;", "- Ban điều hành các thôn."]
# A filler from PADS moves the number along the line until it wraps at its hyphen.
WRAPPED = ("Thực hiện {pad}Công văn số 2769/UBND-NCKSTTHC ngày 12/3/2025 của UBND huyện về "
           "việc thực hiện quy chế dân chủ ở cơ sở, UBND xã đề nghị các cơ quan, đơn vị "
           "triển khai một số nội dung sau:")
PADS = ["", "chỉ đạo tại ", "ý kiến chỉ đạo tại ", "ý kiến chỉ đạo của huyện tại ",
        "ý kiến chỉ đạo của UBND huyện tại ", "ý kiến chỉ đạo của Chủ tịch UBND huyện tại ",
        "ý kiến chỉ đạo của Thường trực UBND huyện tại ", "chỉ đạo của UBND huyện tại ",
        "chỉ đạo của Chủ tịch UBND huyện tại ", "đầy đủ ý kiến chỉ đạo tại "]
ITEMS = [
    "Tổ chức quán triệt đến toàn thể cán bộ, công chức và Nhân dân các nội dung của Luật Thực "
    "hiện dân chủ ở cơ sở; gắn với phong trào thi đua “Dân vận khéo” và việc xây dựng nông "
    "thôn mới kiểu mẫu trên địa bàn xã trong năm 2025.",
    "Văn phòng HĐND và UBND xã chủ trì, phối hợp với công chức Tư pháp - Hộ tịch theo dõi, "
    "đôn đốc việc thực hiện; tổng hợp báo cáo kết quả về UBND xã trước ngày 15/11/2025 để "
    "báo cáo UBND huyện theo quy định.",
    "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã và các đoàn thể chính trị - xã hội phối "
    "hợp tuyên truyền, vận động Nhân dân tham gia giám sát việc thực hiện quy chế dân chủ, "
    "phản ánh kịp thời những khó khăn, vướng mắc phát sinh tại các thôn.",
]
FILLER = ("Các ban, ngành, đoàn thể căn cứ chức năng, nhiệm vụ được giao chủ động xây dựng kế "
          "hoạch cụ thể, bố trí cán bộ theo dõi, kiểm tra và đánh giá kết quả thực hiện tại cơ "
          "sở; kịp thời biểu dương những tập thể, cá nhân làm tốt, đồng thời chấn chỉnh những "
          "nơi thực hiện chưa nghiêm túc, chưa đúng quy định của pháp luật về dân chủ ở cơ sở.")
CLOSING_TEXT = ("Trên đây là nội dung triển khai thực hiện quy chế dân chủ ở cơ sở năm 2025, "
                "đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.")
RECIPIENTS = ["Nơi nhận:", "- Như trên;", "- Thường trực Đảng ủy xã;", "- CT, các PCT UBND xã;",
              "- Lưu: VT, VP."]
SIGNER = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "", "Phạm Thị Thu"]
NOTE = ("Công văn số 2769/UBND-NCKSTTHC ngày 12/3/2025 của UBND huyện về việc hướng dẫn thực "
        "hiện quy chế dân chủ ở cơ sở năm 2025.")


def build_docx(path: Path, pad: int) -> None:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)

    def para(container, text, bold=False, italic=False, center=False, size=None, indent=False):
        p = container.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.27)
        p.paragraph_format.space_after = Pt(6)
        r = p.add_run(text)
        r.bold, r.italic = bold, italic
        if size:
            r.font.size = Pt(size)
        return p

    def two_cells(left, right):
        t = d.add_table(rows=1, cols=2)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for cell, width in zip(t.rows[0].cells, (Cm(7), Cm(9))):
            cell.width = width
        for cell, lines in zip(t.rows[0].cells, (left, right)):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            for spec in lines:
                para(cell, **spec)
        return t

    # Header: issuer | motto.
    two_cells(
        [dict(text=ISSUER[0], size=13, center=True), dict(text=ISSUER[1], bold=True, size=13, center=True),
         dict(text="-------", center=True, size=13), dict(text=NUMBER_BLANK, size=13, center=True),
         dict(text=SUBJECT, size=12, center=True)],
        [dict(text=MOTTO[0], bold=True, size=13, center=True), dict(text=MOTTO[1], bold=True, center=True),
         dict(text="---------------", center=True, size=13), dict(text=DATELINE, italic=True, center=True)],
    )
    para(d, "")
    for line in ADDRESSEES:
        para(d, line, indent=True)
    p = para(d, WRAPPED.format(pad=PADS[pad]), indent=True)
    _add_footnote(d, p, NOTE)
    for item in ITEMS:
        p = d.add_paragraph(item, style="List Number")
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for _ in range(4):
        para(d, FILLER, indent=True)
    para(d, CLOSING_TEXT, indent=True)
    # Closing: Nơi nhận | signer.
    two_cells(
        [dict(text=RECIPIENTS[0], bold=True, italic=True, size=12)]
        + [dict(text=t, size=11) for t in RECIPIENTS[1:]],
        [dict(text=t, bold=bool(t) and t != SIGNER[-1], center=True, size=13) for t in SIGNER[:-1]]
        + [dict(text=SIGNER[-1], bold=True, center=True)],
    )
    _page_numbers(d)
    d.save(path)


def _add_footnote(document, paragraph, text: str) -> None:
    """python-docx writes no footnotes: add word/footnotes.xml and a reference by hand."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    xml = (
        f'<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        '</w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:pPr><w:jc w:val="both"/></w:pPr>'
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>'
        '</w:footnote></w:footnotes>'
    )
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    # The reference right after "2025" of the first sentence: before the final colon.
    last = paragraph.runs[-1]
    text_el = last._r.find(f"{{{W_NS}}}t")
    body = text_el.text
    text_el.text = body[:-1]
    ref = parse_xml(f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    '<w:footnoteReference w:id="1"/></w:r>')
    last._r.addnext(ref)
    colon = parse_xml(f'<w:r xmlns:w="{W_NS}"><w:t>{body[-1]}</w:t></w:r>')
    ref.addnext(colon)


def _page_numbers(document) -> None:
    """Page number centered at the top from page 2, as Nghị định 30/2020 has it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    sec = document.sections[0]
    sec.different_first_page_header_footer = True
    p = sec.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p._p.append(parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr="PAGE"><w:r><w:t>2</w:t></w:r>'
                          '</w:fldSimple>'))


def to_pdf(docx_path: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice (soffice) is needed to make the PDF fixtures")
    profile = "file://" + str(out_dir / "lo-profile")
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out_dir), str(docx_path)], check=True,
                   capture_output=True, timeout=180)
    return out_dir / (docx_path.stem + ".pdf")


def wraps_at_hyphen(pdf_path: Path) -> bool:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(pdf_path))
    text = pdf[0].get_textpage().get_text_range()
    return "2769/UBND\ufffe" in text or "2769/UBND-\r\n" in text


def stamp(src: Path, dst: Path) -> None:
    """Write the number and the day into the blanks of "Số: /UBND-VP" and "ngày  tháng" as
    separate text objects at the end of page 1's content (what signing tools do)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as R
    pdf = pdfium.PdfDocument(str(src))
    page = pdf[0]
    tp = page.get_textpage()
    text = tp.get_text_range()

    def place(after: str, value: str) -> None:
        i = text.index(after) + len(after)
        # The first character after the blank: the stamp goes into the blank before it.
        j = i
        while text[j] == " ":
            j += 1
        x0 = tp.get_charbox(i - 1)[2]
        x1 = tp.get_charbox(j)[0]
        cx, cy = ctypes.c_double(), ctypes.c_double()
        R.FPDFText_GetCharOrigin(tp.raw, i - 1, ctypes.byref(cx), ctypes.byref(cy))
        size = R.FPDFText_GetFontSize(tp.raw, i - 1)
        font = R.FPDFText_LoadStandardFont(pdf.raw, b"Times-Roman")
        obj = R.FPDFPageObj_CreateTextObj(pdf.raw, font, ctypes.c_float(size))
        ws = (value + "\0").encode("utf-16-le")
        buf = (ctypes.c_ushort * (len(ws) // 2)).from_buffer_copy(ws)
        R.FPDFText_SetText(obj, buf)
        width = 0.5 * size * len(value)
        R.FPDFPageObj_Transform(obj, 1, 0, 0, 1, (x0 + x1) / 2 - width / 2, cy.value)
        R.FPDFPage_InsertObject(page.raw, obj)

    place("Số:", "108")
    place("ngày", "21")
    R.FPDFPage_GenerateContent(page.raw)
    pdf.save(str(dst))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        for pad in range(len(PADS)):
            src = tmpd / "cong-van-mau.docx"
            build_docx(src, pad)
            pdf = to_pdf(src, tmpd)
            if wraps_at_hyphen(pdf):
                break
        else:
            sys.exit("could not make the number wrap at its hyphen")
        shutil.copy(src, OUT / "cong-van-mau.docx")
        shutil.copy(pdf, OUT / "cong-van-mau.pdf")
        stamp(OUT / "cong-van-mau.pdf", OUT / "cong-van-dong-so.pdf")
    for name in ("cong-van-mau.docx", "cong-van-mau.pdf", "cong-van-dong-so.pdf"):
        print(OUT / name, (OUT / name).stat().st_size, "bytes")


if __name__ == "__main__":
    main()
