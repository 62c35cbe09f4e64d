"""PDF: the layout step on hand-placed text (columns, paragraphs, page numbers, footnotes,
stamps), the reader on the LibreOffice fixtures of scripts/make_fixtures.py and on the shared
corpus, encrypted and broken files, scans through OCR."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from danvan_cli.readers import ReadError, read
from danvan_cli.readers.pdf import PageGeom, Piece, layout_pages

FIXTURES = Path(__file__).resolve().parent / "fixtures"
W, H = 595.0, 842.0
LEFT, RIGHT = 85.0, 540.0


def piece(text: str, x0: float, base: float, x1: float | None = None, size: float = 13.0,
          bold: bool = False) -> Piece:
    """A run of text; its width, when not given, from an average glyph of 0.45 em."""
    if x1 is None:
        x1 = x0 + 0.45 * size * len(text)
    return Piece(text, x0, x1, base, size, bold)


def body(text: str, base: float, first: bool = False, last: bool = False, size: float = 13.0) -> Piece:
    """A justified body line: indented when it opens a paragraph, short when it closes one."""
    x0 = LEFT + (28 if first else 0)
    return piece(text, x0, base, None if last else RIGHT, size)


def page(number: int, *pieces: Piece) -> PageGeom:
    return PageGeom(number, W, H, list(pieces))


HEADER = [
    piece("ỦY BAN NHÂN DÂN", 120, 60, 250, bold=True),
    piece("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 318, 61, 540, bold=True),
    piece("XÃ AN BÌNH", 145, 76, 225, bold=True),
    piece("Độc lập - Tự do - Hạnh phúc", 352, 79, 506, bold=True),
    piece("Số: 12/UBND-VP", 135, 97, 235),
    piece("V/v triển khai thực hiện quy chế dân", 95, 114, 262),
    piece("An Bình, ngày 02 tháng 3 năm 2025", 333, 104, 525),
    piece("chủ ở cơ sở năm 2025", 130, 128, 228),
    piece("Kính gửi: Các ban, ngành, đoàn thể xã.", 113, 160),
]
BODY = [
    body("Thực hiện Kế hoạch số 30/KH-UBND ngày 01/02/2025 của UBND huyện về việc thực", 190, first=True),
    body("hiện quy chế dân chủ ở cơ sở, UBND xã đề nghị các cơ quan, đơn vị thực hiện", 208),
    body("một số nội dung sau:", 226, last=True),
    body("1. Giao Văn phòng chủ trì, phối hợp với công chức Tư pháp theo dõi, đôn đốc", 250, first=True),
    body("việc thực hiện; báo cáo UBND xã trước ngày 15/11/2025.", 268, last=True),
    body("2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã phối hợp tuyên truyền.", 292, first=True, last=True),
]


def texts(blocks, column=...):
    return [b.text for b in blocks if column is ... or b.column == column]


def test_two_column_header_then_body():
    blocks = layout_pages([page(1, *HEADER, *BODY)])
    assert texts(blocks, "left") == ["ỦY BAN NHÂN DÂN", "XÃ AN BÌNH", "Số: 12/UBND-VP",
                                     "V/v triển khai thực hiện quy chế dân chủ ở cơ sở năm 2025"]
    assert texts(blocks, "right") == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                      "An Bình, ngày 02 tháng 3 năm 2025"]
    # Left column first, then the right, then the body: never interleaved.
    cols = [b.column for b in blocks]
    assert cols[:7] == ["left"] * 4 + ["right"] * 3 and set(cols[7:]) == {None}
    assert texts(blocks, None) == [
        "Kính gửi: Các ban, ngành, đoàn thể xã.",
        "Thực hiện Kế hoạch số 30/KH-UBND ngày 01/02/2025 của UBND huyện về việc thực hiện quy chế "
        "dân chủ ở cơ sở, UBND xã đề nghị các cơ quan, đơn vị thực hiện một số nội dung sau:",
        "1. Giao Văn phòng chủ trì, phối hợp với công chức Tư pháp theo dõi, đôn đốc việc thực hiện; "
        "báo cáo UBND xã trước ngày 15/11/2025.",
        "2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã phối hợp tuyên truyền.",
    ]
    assert blocks[0].bold and blocks[0].centered


@pytest.mark.parametrize("lines, expected", [
    # A line ending short of the margin closes its paragraph even without final punctuation.
    ([body("Các ban, ngành, đoàn thể căn cứ chức năng, nhiệm vụ được giao chủ động xây", 100, first=True),
      body("dựng kế hoạch cụ thể", 118, last=True),
      body("Trên đây là nội dung triển khai thực hiện quy chế dân chủ ở cơ sở năm 2025,", 136)],
     ["Các ban, ngành, đoàn thể căn cứ chức năng, nhiệm vụ được giao chủ động xây dựng kế hoạch cụ thể",
      "Trên đây là nội dung triển khai thực hiện quy chế dân chủ ở cơ sở năm 2025,"]),
    # Items start paragraphs; a dash that continues "kinh tế - xã hội" does not.
    ([body("- Tuyên truyền các chủ trương của Đảng, nhất là phát triển kinh tế", 100, first=True),
      body("- xã hội, bảo đảm quốc phòng, an ninh trên địa bàn.", 118, last=True),
      body("- Tăng cường đối thoại với Nhân dân.", 136, first=True, last=True),
      body("a) Tổ chức hội nghị.", 154, first=True, last=True)],
     ["- Tuyên truyền các chủ trương của Đảng, nhất là phát triển kinh tế - xã hội, bảo đảm quốc phòng, an ninh trên địa bàn.",
      "- Tăng cường đối thoại với Nhân dân.", "a) Tổ chức hội nghị."]),
    # A number cut at its hyphen at the line end is one number again.
    ([body("Thực hiện Công văn số 2769/UBND-", 100, first=True),
      body("NCKSTTHC ngày 12/3/2025 của UBND huyện.", 118, last=True)],
     ["Thực hiện Công văn số 2769/UBND-NCKSTTHC ngày 12/3/2025 của UBND huyện."]),
    # A wider gap than the line spacing ends a paragraph; a bold heading stands alone.
    ([piece("II. NỘI DUNG", LEFT + 28, 100, bold=True),
      body("Tổ chức quán triệt đến toàn thể cán bộ, công chức và Nhân dân các nội dung", 118, first=True),
      body("của Luật Thực hiện dân chủ ở cơ sở năm 2022.", 136, last=True),
      body("Tiếp tục thực hiện", 180, last=True)],
     ["II. NỘI DUNG",
      "Tổ chức quán triệt đến toàn thể cán bộ, công chức và Nhân dân các nội dung của Luật Thực hiện dân chủ ở cơ sở năm 2022.",
      "Tiếp tục thực hiện"]),
    # A centered title that wrapped is one block; two centered lines that did not wrap are two.
    ([piece("KẾ HOẠCH", 285, 100, 340, bold=True),
      piece("Thực hiện quy chế dân chủ ở cơ sở và công tác dân vận chính quyền năm", 95, 118, 530, bold=True),
      piece("2025 trên địa bàn xã", 250, 136, 375, bold=True),
      *BODY[:3]],
     ["KẾ HOẠCH", "Thực hiện quy chế dân chủ ở cơ sở và công tác dân vận chính quyền năm 2025 trên địa bàn xã",
      "Thực hiện Kế hoạch số 30/KH-UBND ngày 01/02/2025 của UBND huyện về việc thực hiện quy chế "
      "dân chủ ở cơ sở, UBND xã đề nghị các cơ quan, đơn vị thực hiện một số nội dung sau:"]),
])
def test_paragraphs(lines, expected):
    assert texts(layout_pages([page(1, *lines)])) == expected


def test_page_numbers_dropped_and_paragraph_joined_over_the_page_break():
    p1 = page(1, *BODY[:1], body("hiện quy chế dân chủ ở cơ sở, UBND xã đề nghị các cơ quan, đơn vị", 208),
              piece("1", 290, 800, 296))                                # a page number at the foot
    p2 = page(2, piece("- 2 -", 283, 40, 305),                            # one at the head
              body("thực hiện một số nội dung sau:", 70, last=True),
              body("Kết thúc.", 95, first=True, last=True))
    assert texts(layout_pages([p1, p2])) == [
        "Thực hiện Kế hoạch số 30/KH-UBND ngày 01/02/2025 của UBND huyện về việc thực hiện quy chế "
        "dân chủ ở cơ sở, UBND xã đề nghị các cơ quan, đơn vị thực hiện một số nội dung sau:",
        "Kết thúc."]


def test_running_header_dropped():
    pages = [page(n, piece("Kế hoạch thực hiện quy chế dân chủ - trang %d" % n, 200, 40, 400, size=9),
                  *BODY[3:5]) for n in (1, 2, 3)]
    assert texts(layout_pages(pages)) == [
        "1. Giao Văn phòng chủ trì, phối hợp với công chức Tư pháp theo dõi, đôn đốc việc thực hiện; "
        "báo cáo UBND xã trước ngày 15/11/2025."] * 3


def test_footnote_area_at_the_page_bottom():
    p1 = page(1,
              body("Thực hiện Chỉ thị số 05-CT/TW¹ của Bộ Chính trị về việc đẩy mạnh học tập và", 100, first=True),
              body("làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh, Ủy ban nhân dân xã yêu", 118),
              piece("1 Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo", LEFT, 770, RIGHT, size=10),
              piece("tư tưởng, đạo đức, phong cách Hồ Chí Minh.", LEFT, 782, size=10))
    p2 = page(2, body("cầu các đơn vị thực hiện.", 70, last=True),
              piece("2 Kế hoạch số 12-KH/BDVTU ngày 02/01/2025.", LEFT, 780, size=10))
    blocks = layout_pages([p1, p2])
    assert texts([b for b in blocks if not b.footnote]) == [
        "Thực hiện Chỉ thị số 05-CT/TW¹ của Bộ Chính trị về việc đẩy mạnh học tập và làm theo tư tưởng, "
        "đạo đức, phong cách Hồ Chí Minh, Ủy ban nhân dân xã yêu cầu các đơn vị thực hiện."]
    assert [(b.mark, b.text, b.page) for b in blocks if b.footnote] == [
        ("1", "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo "
              "tư tưởng, đạo đức, phong cách Hồ Chí Minh.", 1),
        ("2", "Kế hoạch số 12-KH/BDVTU ngày 02/01/2025.", 2)]


def test_small_print_without_a_mark_is_not_a_footnote():
    # "Nơi nhận" is set small at the page bottom too.
    blocks = layout_pages([page(1, body("Đề nghị các đơn vị thực hiện./.", 100, first=True, last=True),
                                piece("Nơi nhận:", LEFT, 700, size=12),
                                piece("- Như trên;", LEFT, 716, size=11),
                                piece("- Lưu: VT.", LEFT, 730, size=11))])
    assert not any(b.footnote for b in blocks)


def test_stamped_number_is_put_back_into_its_line():
    # The number arrives last (an e-signature tool wrote it), on the line's baseline give or take.
    header = [piece("ỦY BAN NHÂN DÂN", 120, 60, 250), piece("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 318, 61, 540),
              piece("Số:", 135, 97, 153), piece("/TTr-SNV", 188, 97, 240),
              piece("Hòa Bình, ngày", 330, 100, 410), piece("tháng 3 năm 2025", 440, 100, 530)]
    stamps = [piece("108", 160, 98.5, 178, size=12), piece("05", 418, 101, 432, size=12)]
    blocks = layout_pages([page(1, *header, *BODY, *stamps)])
    assert texts(blocks, "left") == ["ỦY BAN NHÂN DÂN", "Số: 108 /TTr-SNV"]
    assert texts(blocks, "right")[-1] == "Hòa Bình, ngày 05 tháng 3 năm 2025"


def test_closing_runs_over_the_page_break():
    p1 = page(1, body("Đề nghị các đơn vị nghiêm túc thực hiện./.", 600, first=True, last=True),
              piece("Nơi nhận:", LEFT, 640, size=12, bold=True), piece("TM. ỦY BAN NHÂN DÂN", 350, 641, 500, bold=True),
              piece("- Như trên;", LEFT, 660, size=11), piece("CHỦ TỊCH", 395, 662, 455, bold=True),
              piece("- Thường trực Đảng ủy;", LEFT, 678, size=11),
              piece("Phạm Thị Thu", 385, 760, 465, bold=True))
    p2 = page(2, piece("- Lưu: VT.", LEFT, 60, size=11))
    blocks = layout_pages([p1, p2])
    assert texts(blocks, "left") == ["Nơi nhận:", "- Như trên;", "- Thường trực Đảng ủy;", "- Lưu: VT."]
    assert texts(blocks, "right") == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Thị Thu"]
    # Nơi nhận whole, then the signer.
    assert [b.column for b in blocks[1:]] == ["left"] * 4 + ["right"] * 3


# --- the reader on real PDFs ------------------------------------------------------------------
def test_fixture_pdf():
    ext = read(str(FIXTURES / "cong-van-mau.pdf"))
    assert ext.format == "pdf" and ext.metadata["pages"] == 2
    left, right = texts(ext.blocks, "left"), texts(ext.blocks, "right")
    assert left[:4] == ["ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH", "-------", "Số: /UBND-VP"]
    assert left[4] == "V/v triển khai thực hiện quy chế dân chủ ở cơ sở năm 2025"
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "Nơi nhận:" in left and right[-4:] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Thị Thu"]
    all_text = "\n".join(texts(ext.blocks))
    assert "2769/UBND-NCKSTTHC" in all_text and "\ufffe" not in all_text
    assert "nội dung sau¹:" in all_text                       # the reference, a superscript
    notes = [b for b in ext.blocks if b.footnote]
    assert [(b.mark, b.page) for b in notes] == [("1", 1)]
    assert notes[0].text.startswith("Công văn số 2769/UBND-NCKSTTHC") and notes[0].text.endswith("năm 2025.")
    # The page number of page 2 is gone; the paragraph cut by the page break is whole.
    assert "2" not in texts(ext.blocks)
    body = [b.text for b in ext.blocks if b.column is None and not b.footnote]
    assert sum("Các ban, ngành, đoàn thể căn cứ" in t for t in body) == 4
    assert all(t.endswith("dân chủ ở cơ sở.") for t in body if t.startswith("Các ban, ngành"))
    assert body[-1].endswith("nghiêm túc thực hiện./.")


def test_stamped_fixture_pdf():
    ext = read(str(FIXTURES / "cong-van-dong-so.pdf"))
    assert "Số: 108 /UBND-VP" in texts(ext.blocks, "left")
    assert "Hòa Bình, ngày 21 tháng 5 năm 2025" in texts(ext.blocks, "right")


def test_pdf_and_docx_fixtures_agree():
    a = [b.text for b in read(str(FIXTURES / "cong-van-mau.pdf")).blocks if not b.footnote]
    b = [b.text for b in read(str(FIXTURES / "cong-van-mau.docx")).blocks if not b.footnote]
    assert difflib.SequenceMatcher(None, a, b).ratio() > 0.95


def test_encrypted_pdfs():
    with pytest.raises(ReadError, match="encrypted PDF: needs a password"):
        read(str(FIXTURES / "encrypted-user-password.pdf"))
    ext = read(str(FIXTURES / "encrypted-owner-only.pdf"))      # permissions only: it opens
    assert "KE HOACH" in ext.text


@pytest.mark.parametrize("content, reason", [
    (b"%PDF-1.7\n" + bytes(range(256)) * 20, "PDF"),
    (bytes((i * 7919 + 13) % 251 for i in range(5000)), "not a pdf file"),
])
def test_broken_pdfs(tmp_path, content, reason):
    f = tmp_path / "hong.pdf"
    f.write_bytes(content)
    with pytest.raises(ReadError) as e:
        read(str(f))
    assert reason in str(e.value) and "\n" not in str(e.value)


def test_truncated_pdf(tmp_path):
    data = (FIXTURES / "cong-van-mau.pdf").read_bytes()
    f = tmp_path / "cut.pdf"
    f.write_bytes(data[: len(data) // 3])
    try:
        ext = read(str(f))          # pdfium may rebuild what is left, or refuse it
    except ReadError as e:
        assert "\n" not in str(e)
    else:
        assert ext.blocks


def test_real_pdfs_read_like_their_txt(shared_docs):
    from danvan_cli.parse import layout
    pairs = [(p, p.with_suffix(".txt")) for p in sorted(shared_docs.glob("*.pdf"))
             if not p.name.endswith(".scan.pdf") and p.with_suffix(".txt").exists()]
    if not pairs:
        pytest.skip("no PDF with its .txt in the shared corpus")
    for pdf, txt in pairs:
        got = layout.build(read(str(pdf)))
        ref = layout.build(read(str(txt)))
        ratio = difflib.SequenceMatcher(None, ref.text.splitlines(), got.text.splitlines()).ratio()
        assert ratio > 0.9, (pdf.name, ratio)
        assert len(got.footnotes) == len(ref.footnotes), pdf.name
        blocks = read(str(pdf)).blocks
        number = [b for b in blocks if b.text.startswith("Số:")]
        assert number and number[0].column == "left", pdf.name
        assert any(b.column == "right" and b.text.startswith("CỘNG HÒA") for b in blocks), pdf.name


# --- scans ------------------------------------------------------------------------------------
def _scan_of(src: Path, dst: Path, pages: int = 1, dpi: int = 200) -> Path:
    """An image-only PDF made from the first pages of ``src`` (what a scanner gives)."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(src))
    images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(pages)]
    images[0].save(dst, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return dst


def test_scan_without_tesseract_says_what_to_install(tmp_path, monkeypatch):
    scan = _scan_of(FIXTURES / "cong-van-mau.pdf", tmp_path / "quet.pdf", dpi=50)
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda cmd, *a, **k: None if "tesseract" in str(cmd) else real_which(cmd, *a, **k))
    with pytest.raises(ReadError) as e:
        read(str(scan))
    assert str(e.value) == "scanned PDF (no text layer): install tesseract-ocr and tesseract-ocr-vie to read it"


def test_scan_with_a_stamped_text_line_still_counts_as_a_scan(tmp_path, monkeypatch):
    """An e-signature tool writes a line of text on the scanned image: the page still needs
    OCR, it is not a text page with one line."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as R
    scan = _scan_of(FIXTURES / "cong-van-mau.pdf", tmp_path / "quet.pdf", dpi=50)
    pdf = pdfium.PdfDocument(str(scan))
    page = pdf[0]
    font = R.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    obj = R.FPDFPageObj_CreateTextObj(pdf.raw, font, ctypes.c_float(8))
    ws = "Ky boi: So Noi vu\0".encode("utf-16-le")
    R.FPDFText_SetText(obj, (ctypes.c_ushort * (len(ws) // 2)).from_buffer_copy(ws))
    R.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 400, 800)
    R.FPDFPage_InsertObject(page.raw, obj)
    R.FPDFPage_GenerateContent(page.raw)
    stamped = tmp_path / "quet-ky-so.pdf"
    pdf.save(str(stamped))
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda cmd, *a, **k: None if "tesseract" in str(cmd) else real_which(cmd, *a, **k))
    with pytest.raises(ReadError, match="tesseract"):
        read(str(stamped))


def _need_ocr():
    from danvan_cli.readers import ocr
    if not ocr.available():
        pytest.skip("tesseract with its Vietnamese model (tesseract-ocr-vie) is not installed")


@pytest.mark.slow
def test_scan_is_read_through_ocr(tmp_path):
    _need_ocr()
    scan = _scan_of(FIXTURES / "cong-van-mau.pdf", tmp_path / "quet.pdf", dpi=300)
    seen = []
    ext = read(str(scan), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 1)]
    assert ext.metadata["ocr"] is True and ext.metadata["ocr_pages"] == [1]
    left, right = texts(ext.blocks, "left"), texts(ext.blocks, "right")
    assert any("ỦY BAN NHÂN DÂN" in t for t in left)
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in t for t in right)
    body = texts(ext.blocks, None)
    # Wrapped lines joined into paragraphs: the first item is one block.
    assert any(t.startswith("1. Tổ chức quán triệt") and t.rstrip().endswith("năm 2025.") for t in body)
