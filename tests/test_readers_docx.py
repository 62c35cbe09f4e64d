"""Word .docx: tables read as columns, numbering written out, footnotes from their part, text
boxes, legacy fonts, broken files. Documents are built here with python-docx (and a little raw
XML where python-docx has no API); tests/fixtures/cong-van-mau.docx comes from
scripts/make_fixtures.py."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from danvan_cli.readers import ReadError, read
from danvan_cli.readers.legacy import encode_tcvn3

docx = pytest.importorskip("docx")
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _cell(cell, lines, bold=False):
    cell.paragraphs[0].text = ""
    first = True
    for line in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = bold


def make_letter(path: Path, *, body_first: bool = False) -> Path:
    d = docx.Document()
    if body_first:
        d.add_paragraph("Bản dự thảo lần 2")
    t = d.add_table(rows=1, cols=2)
    _cell(t.rows[0].cells[0], ["ỦY BAN NHÂN DÂN", "HUYỆN SƠN TỊNH", "Số: 45/UBND-NV",
                               "V/v báo cáo kết quả thực hiện quy chế dân chủ"], bold=False)
    _cell(t.rows[0].cells[1], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                               "Sơn Tịnh, ngày 08 tháng 4 năm 2025"], bold=True)
    d.add_paragraph("Kính gửi: Ủy ban nhân dân các xã, thị trấn.")
    d.add_paragraph("Thực hiện Kế hoạch số 30/KH-UBND ngày 01/02/2025, đề nghị các xã báo cáo trước ngày 20/4/2025.")
    data = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("STT", "Nội dung", "Thời hạn"), ("1", "Báo cáo quý I", "20/4/2025"),
                             ("2", "Báo cáo 6 tháng", "15/6/2025")]):
        for c, text in enumerate(row):
            data.rows[r].cells[c].text = text
    closing = d.add_table(rows=1, cols=2)
    _cell(closing.rows[0].cells[0], ["Nơi nhận:", "- Như trên;", "- Lưu: VT."])
    _cell(closing.rows[0].cells[1], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Bảy"])
    d.save(path)
    return path


def test_header_and_closing_tables_become_columns(tmp_path):
    ext = read(str(make_letter(tmp_path / "cv.docx")))
    got = [(b.text, b.column) for b in ext.blocks]
    assert got[:7] == [
        ("ỦY BAN NHÂN DÂN", "left"), ("HUYỆN SƠN TỊNH", "left"), ("Số: 45/UBND-NV", "left"),
        ("V/v báo cáo kết quả thực hiện quy chế dân chủ", "left"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right"), ("Độc lập - Tự do - Hạnh phúc", "right"),
        ("Sơn Tịnh, ngày 08 tháng 4 năm 2025", "right")]
    assert all(b.bold and b.centered for b in ext.blocks[4:7])
    assert not ext.blocks[0].bold and ext.blocks[0].centered
    # The data table: row by row, every cell, marked in_table, no column.
    cells = [b.text for b in ext.blocks if b.in_table]
    assert cells == ["STT", "Nội dung", "Thời hạn", "1", "Báo cáo quý I", "20/4/2025",
                     "2", "Báo cáo 6 tháng", "15/6/2025"]
    tail = [(b.text, b.column) for b in ext.blocks[-6:]]
    assert tail == [("Nơi nhận:", "left"), ("- Như trên;", "left"), ("- Lưu: VT.", "left"),
                    ("KT. CHỦ TỊCH", "right"), ("PHÓ CHỦ TỊCH", "right"), ("Lê Văn Bảy", "right")]


def test_body_before_the_header_keeps_document_order(tmp_path):
    ext = read(str(make_letter(tmp_path / "cv.docx", body_first=True)))
    assert ext.blocks[0].text == "Bản dự thảo lần 2" and ext.blocks[0].column is None
    assert ext.blocks[1].text == "ỦY BAN NHÂN DÂN"


def test_fixture_numbering_footnote_and_tables():
    path = FIXTURES / "cong-van-mau.docx"
    ext = read(str(path))
    texts = [b.text for b in ext.blocks]
    # Automatic numbering written out.
    items = [t for t in texts if t[:2] in ("1.", "2.", "3.")]
    assert [t[:3] for t in items] == ["1. ", "2. ", "3. "]
    # The footnote: its reference is a superscript in the text, the note a block of its own.
    assert any("sau¹:" in t for t in texts)
    notes = [b for b in ext.blocks if b.footnote]
    assert len(notes) == 1 and notes[0].mark == "1"
    assert notes[0].text.startswith("Công văn số 2769/UBND-NCKSTTHC")
    # Blanks typed with spaces stay blanks, one space wide.
    assert any(t.startswith("Số:") and t.endswith("/UBND-VP") and "  " not in t for t in texts)
    left = [b.text for b in ext.blocks if b.column == "left"]
    right = [b.text for b in ext.blocks if b.column == "right"]
    assert "Nơi nhận:" in left and "PHÓ CHỦ TỊCH" in right


def _with_body_xml(tmp_path: Path, name: str, xml: str) -> Path:
    d = docx.Document()
    d.add_paragraph("Mở đầu văn bản.")
    d.element.body.insert(1, parse_xml(xml))
    d.add_paragraph("Kết thúc văn bản.")
    p = tmp_path / name
    d.save(p)
    return p


def test_text_boxes_are_read_once(tmp_path):
    # A modern text box with its VML fallback (the same text twice in the XML).
    box = (f'<w:txbxContent xmlns:w="{W}"><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent>')
    xml = (f'<w:p xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
           ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
           ' xmlns:v="urn:schemas-microsoft-com:vml">'
           '<w:r><w:t>Đoạn có khung chữ.</w:t></w:r><w:r><mc:AlternateContent>'
           f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
           f'<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r></w:p>')
    ext = read(str(_with_body_xml(tmp_path, "khung.docx", xml)))
    assert [b.text for b in ext.blocks] == ["Mở đầu văn bản.", "Đoạn có khung chữ.", "DỰ THẢO",
                                           "Kết thúc văn bản."]


def test_legacy_font_runs_are_converted(tmp_path):
    body = encode_tcvn3("kế hoạch thực hiện quy chế dân chủ ở cơ sở")
    head = encode_tcvn3("ủy ban nhân dân xã")
    xml = (f'<w:p xmlns:w="{W}"><w:r><w:rPr><w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/></w:rPr>'
           f'<w:t>{head}</w:t></w:r></w:p>')
    xml2 = (f'<w:p xmlns:w="{W}"><w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr>'
            f'<w:t>{body}</w:t></w:r></w:p>')
    d = docx.Document()
    d.element.body.insert(0, parse_xml(xml))
    d.element.body.insert(1, parse_xml(xml2))
    p = tmp_path / "vntime.docx"
    d.save(p)
    ext = read(str(p))
    assert [b.text for b in ext.blocks] == ["ỦY BAN NHÂN DÂN XÃ", "kế hoạch thực hiện quy chế dân chủ ở cơ sở"]
    assert ext.metadata["encoding"] == "tcvn3"


def test_footnote_and_endnote_parts(tmp_path):
    """Notes numbered in the order of their references, separators skipped, several
    paragraphs of one note joined."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    d = docx.Document()
    p = d.add_paragraph("Theo Chỉ thị số 05-CT/TW")
    p._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:footnoteReference w:id="2"/></w:r>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:t xml:space="preserve"> và Kết luận số 01-KL/TW</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:endnoteReference w:id="1"/></w:r>'))
    notes = (f'<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/>'
             '</w:r></w:p></w:footnote><w:footnote w:id="2"><w:p><w:r><w:t>Chỉ thị ngày 15/5/2016</w:t>'
             '</w:r></w:p><w:p><w:r><w:t>của Bộ Chính trị.</w:t></w:r></w:p></w:footnote></w:footnotes>')
    ends = (f'<w:endnotes xmlns:w="{W}"><w:endnote w:id="1"><w:p><w:r><w:t>Kết luận của Bộ Chính trị.</w:t>'
            '</w:r></w:p></w:endnote></w:endnotes>')
    for name, ctype, rel, xml in (
            ("footnotes", "footnotes", RT.FOOTNOTES, notes), ("endnotes", "endnotes", RT.ENDNOTES, ends)):
        part = Part(PackURI(f"/word/{name}.xml"),
                    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{ctype}+xml",
                    xml.encode(), d.part.package)
        d.part.relate_to(part, rel)
    path = tmp_path / "notes.docx"
    d.save(path)
    ext = read(str(path))
    assert ext.blocks[0].text == "Theo Chỉ thị số 05-CT/TW² và Kết luận số 01-KL/TW¹"
    assert [(b.mark, b.text) for b in ext.blocks if b.footnote] == [
        ("2", "Chỉ thị ngày 15/5/2016 của Bộ Chính trị."), ("1", "Kết luận của Bộ Chính trị.")]


def test_pages_from_page_breaks(tmp_path):
    from docx.enum.text import WD_BREAK
    d = docx.Document()
    d.add_paragraph("Trang một.")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("Trang hai.")
    p = tmp_path / "hai-trang.docx"
    d.save(p)
    ext = read(str(p))
    assert [(b.text, b.page) for b in ext.blocks] == [("Trang một.", 1), ("Trang hai.", 2)]
    assert ext.metadata["pages"] == 2
    # Without any recorded break, no page is claimed.
    assert {b.page for b in read(str(make_letter(tmp_path / "cv.docx"))).blocks} == {None}


@pytest.mark.parametrize("cut", [0.3, 0.7, 0.97])
def test_truncated_docx(tmp_path, cut):
    data = make_letter(tmp_path / "whole.docx").read_bytes()
    bad = tmp_path / "cut.docx"
    bad.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ReadError) as e:
        read(str(bad))
    assert "docx" in str(e.value) and "\n" not in str(e.value)


def test_zip_that_is_not_a_word_document(tmp_path):
    f = tmp_path / "bang-tinh.docx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReadError) as e:
        read(str(f))
    assert "\n" not in str(e.value)


def test_random_bytes_named_docx(tmp_path):
    f = tmp_path / "x.docx"
    f.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(3000)))
    with pytest.raises(ReadError, match="not a docx file"):
        read(str(f))


def test_docx_named_pdf_is_read_by_its_content(tmp_path):
    f = tmp_path / "that-ra-la-word.pdf"
    f.write_bytes(make_letter(tmp_path / "cv.docx").read_bytes())
    ext = read(str(f))
    assert ext.format == "docx" and ext.blocks[0].text == "ỦY BAN NHÂN DÂN"


def test_real_docx_files(shared_docs):
    files = sorted(shared_docs.glob("*.docx"))
    if not files:
        pytest.skip("no .docx in the shared corpus")
    for f in files:
        ext = read(str(f))
        cols = {b.column for b in ext.blocks}
        assert {"left", "right"} <= cols, f.name
        # The header's columns come first, left before right.
        first_cols = [b.column for b in ext.blocks if b.column][:4]
        assert first_cols[0] == "left", f.name
        number = [b for b in ext.blocks if b.text.startswith("Số:")]
        assert number and number[0].column == "left", f.name
