"""Layout stage: chrome, page numbers, footnotes, cut paragraphs, offsets.

Blocks are built by hand (one per line, no reader clean-up) so each rule of parse.layout is
exercised on its own; the texts are written for the tests in the anatomy of real documents.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from danvan_cli.normalize import fold_tones
from danvan_cli.parse import layout
from danvan_cli.readers.base import Block, Extracted

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def build(lines: list[str | Block], fmt: str = "txt"):
    blocks = [b if isinstance(b, Block) else Block(b) for b in lines]
    return layout.build(Extracted(fmt, blocks))


def body(doc) -> str:
    return doc.text[:doc.footnote_start].rstrip("\n")


def check_offsets(doc) -> None:
    """Every offset the stages rely on is consistent with the text."""
    assert doc.match == fold_tones(doc.text)
    assert len(doc.match) == len(doc.text)
    prev_end = -1
    for ln in doc.lines:
        assert ln.start > prev_end
        assert "\n" not in doc.text[ln.start:ln.end]
        assert ln.end == len(doc.text) or doc.text[ln.end] == "\n"
        prev_end = ln.end
    assert 0 <= doc.footnote_start <= len(doc.text)
    for fn in doc.footnotes:
        assert doc.text[fn.span[0]:fn.span[1]] == fn.text
        assert fn.span[0] >= doc.footnote_start
        if fn.ref_span:
            assert fn.ref_span[1] <= doc.footnote_start


HEADER = ["ỦY BAN NHÂN DÂN", "TỈNH PHÚ YÊN", "-------", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "Độc lập - Tự do - Hạnh phúc", "Số: 77/KH-UBND", "Tuy Hòa, ngày 9 tháng 5 năm 2022",
          "KẾ HOẠCH", "Thực hiện công tác dân vận năm 2022"]


# --- web-portal chrome ------------------------------------------------------------------------
PORTAL_CASES = [
    # (lines, first line kept, last line kept, portal fields expected)
    (["• Lưu trữ", "  • Ghi chú", "• Facebook", "    • 7", "Cơ sở dữ liệu văn bản về dân vận",
      "Kế hoạch 77/KH-UBND năm 2022 về công tác dân vận do tỉnh Phú Yên ban hành",
      "Tải về Văn bản khác 77/KH-UBND", "Bản Tiếng Việt", *HEADER,
      "Thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị;",
      "Nơi nhận:", "- Lưu: VT.", "CHỦ TỊCH", "Trần Hữu Thế",
      "Văn bản gốc", "Lược đồ", "Liên quan nội dung", "Trích lược",
      "Số hiệu: 77/KH-UBND   Loại văn bản: Kế hoạch",
      "Nơi ban hành: Tỉnh Phú Yên   Người ký: Trần Hữu Thế",
      "Ngày ban hành: 09/05/2022   Ngày hiệu lực: Đã biết", "128", "Thành viên", "98112"],
     "ỦY BAN NHÂN DÂN", "Trần Hữu Thế",
     {"Số hiệu": "77/KH-UBND", "Người ký": "Trần Hữu Thế", "Ngày ban hành": "09/05/2022"}),
    # a news page: breadcrumb before, share buttons and the comment box after
    (["Trang chủ | Thời sự | Dân vận", "Huyện Sơn Hòa ra mắt mô hình dân vận khéo",
      "THỨ HAI, 12/06/2023 08:15", "Sáng 12/6, Huyện ủy Sơn Hòa tổ chức lễ ra mắt mô hình.",
      "Mô hình giúp người dân tham gia sửa đường liên thôn.", "MINH TRÍ",
      "Chia sẻ Bình luận", "Bạn còn 500 ký tự", "Comment", "Vui lòng nhập tiếng việt có dấu"],
     "Huyện Sơn Hòa ra mắt mô hình dân vận khéo", "MINH TRÍ", {}),
    # a plain document: nothing dropped, a heading "Thông báo" in the body stays
    ([*HEADER, "I. MỤC ĐÍCH", "Thông báo", "Các đơn vị thực hiện.", "Nơi nhận:", "- Lưu: VT."],
     "ỦY BAN NHÂN DÂN", "- Lưu: VT.", {}),
    # a "Số:" line quoted below a paragraph is the document's own text: nothing dropped
    (["Hoạt động dân vận tháng 5", "Trong tháng, Ban Dân vận Huyện ủy đã phối hợp với Ủy ban "
      "nhân dân huyện tổ chức nhiều hoạt động; các đơn vị đã ban hành văn bản hướng dẫn cụ thể "
      "việc tổ chức đối thoại giữa người đứng đầu với Nhân dân, tiêu biểu là văn bản dưới đây.",
      "Số: 5/KH-UBND", "Các đơn vị thực hiện."],
     "Hoạt động dân vận tháng 5", "Các đơn vị thực hiện.", {}),
    # a draft mark above the header belongs to the document
    (["DỰ THẢO", *HEADER, "Căn cứ Luật Thực hiện dân chủ ở cơ sở năm 2022;"],
     "DỰ THẢO", "Căn cứ Luật Thực hiện dân chủ ở cơ sở năm 2022;", {}),
]


@pytest.mark.parametrize("lines,first,last,fields", PORTAL_CASES)
def test_portal_chrome_dropped(lines, first, last, fields):
    doc = build(lines)
    text = body(doc)
    assert text.split("\n")[0] == first
    assert text.split("\n")[-1] == last
    for chrome in ("Lưu trữ", "Tải về", "Bản Tiếng Việt", "Trích lược", "Số hiệu", "Comment",
                   "Vui lòng", "Bạn còn", "Chia sẻ", "Trang chủ"):
        assert chrome not in doc.text
    portal = doc.metadata.get("portal", {})
    for k, v in fields.items():
        assert portal[k] == v
    if not fields:
        assert "portal" not in doc.metadata
    check_offsets(doc)


def test_header_columns_on_one_line_are_not_chrome():
    lines = ["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "XÃ AN HẢI Độc lập - Tự do - Hạnh phúc", "Số: 5/UBND", "V/v báo cáo"]
    assert body(build(lines)).startswith("ỦY BAN NHÂN DÂN CỘNG HÒA")


# --- page numbers and cut paragraphs ----------------------------------------------------------
PAGE_CASES = [
    # (lines, expected body)
    (["Các đơn vị tổ chức tuyên truyền trên", "- 2 -", "các phương tiện thông tin đại chúng."],
     "Các đơn vị tổ chức tuyên truyền trên các phương tiện thông tin đại chúng."),
    (["Đẩy mạnh cải cách hành chính, đáp ứng yêu", "Trang 3/7", "cầu quản lý nhà nước."],
     "Đẩy mạnh cải cách hành chính, đáp ứng yêu cầu quản lý nhà nước."),
    (["Báo cáo kết quả về Sở Nội vụ.", "2", "Page 4", "12 / 15", "Thủ trưởng các đơn vị thực hiện."],
     "Báo cáo kết quả về Sở Nội vụ.\nThủ trưởng các đơn vị thực hiện."),
    # closed sentence, title in capitals, a new lower-case item: no join
    (["Các đơn vị thực hiện nghiêm túc.", "các nội dung khác theo quy định."],
     "Các đơn vị thực hiện nghiêm túc.\ncác nội dung khác theo quy định."),
    (["KẾ HOẠCH", "tổng kết 10 năm thực hiện Kết luận số 120-KL/TW"],
     "KẾ HOẠCH\ntổng kết 10 năm thực hiện Kết luận số 120-KL/TW"),
    (["1. Mục đích", "a) nâng cao nhận thức của cán bộ", "đ) phát huy dân chủ"],
     "1. Mục đích\na) nâng cao nhận thức của cán bộ\nđ) phát huy dân chủ"),
]


@pytest.mark.parametrize("lines,expected", PAGE_CASES)
def test_page_numbers_and_cut_paragraphs(lines, expected):
    doc = build(lines)
    assert body(doc) == expected
    check_offsets(doc)


def test_numbers_in_a_table_are_kept_and_columns_not_joined():
    doc = build([Block("Số lượt", in_table=True), Block("12", in_table=True),
                 Block("Nơi nhận:", column="left"), Block("phối hợp", column="right")])
    assert body(doc) == "Số lượt\n12\nNơi nhận:\nphối hợp"


# --- footnotes --------------------------------------------------------------------------------
FOOTNOTE_CASES = [
    # (lines, expected body, [(mark, text, printed ref)])
    # superscript marks at a page break, cutting a sentence
    (["Đài Phát thanh tăng cường tuyên truyền về công tác dân vận² trên",
      "¹ Kế hoạch số 12-KH/BDVTU ngày 05-01-2021 của Ban Dân vận Tỉnh ủy",
      "² Các văn bản chỉ đạo của Trung ương và địa phương",
      "các phương tiện thông tin đại chúng.",
      "Theo Kế hoạch của tỉnh⁽¹⁾ các huyện thực hiện."],
     "Đài Phát thanh tăng cường tuyên truyền về công tác dân vận² trên các phương tiện thông tin "
     "đại chúng.\nTheo Kế hoạch của tỉnh⁽¹⁾ các huyện thực hiện.",
     [("1", "Kế hoạch số 12-KH/BDVTU ngày 05-01-2021 của Ban Dân vận Tỉnh ủy", "⁽¹⁾"),
      ("2", "Các văn bản chỉ đạo của Trung ương và địa phương", "²")]),
    # a bracketed mark with its reference; one at the end of the text
    (["Tăng cường đối thoại theo Quy chế 05-QC/HU của Huyện ủy[1].", "Nơi nhận:", "- Lưu: VT.",
      "[1] Quy chế số 05-QC/HU ngày 10/01/2019 của Huyện ủy Mộ Đức."],
     "Tăng cường đối thoại theo Quy chế 05-QC/HU của Huyện ủy[1].\nNơi nhận:\n- Lưu: VT.",
     [("1", "Quy chế số 05-QC/HU ngày 10/01/2019 của Huyện ủy Mộ Đức.", "[1]")]),
    # a plain number proved by a digit glued to a word before it (PDF lost the superscript)
    (["Thực hiện Chỉ thị của Tỉnh ủy1, các đơn vị triển khai trên",
      "1 Chỉ thị số 49-CT/TU ngày 25/9/2015 của Tỉnh ủy.", "các phương tiện thông tin."],
     "Thực hiện Chỉ thị của Tỉnh ủy1, các đơn vị triển khai trên các phương tiện thông tin.",
     [("1", "Chỉ thị số 49-CT/TU ngày 25/9/2015 của Tỉnh ủy.", "1")]),
    # no reference: "[1]" and "1 ..." are text (a list of sources, a count)
    (["Tài liệu tham khảo:", "[1] Giáo trình công tác dân vận, 2019.",
      "1 Phó Chủ tịch UBND huyện dự họp."],
     "Tài liệu tham khảo:\n[1] Giáo trình công tác dân vận, 2019.\n1 Phó Chủ tịch UBND huyện dự họp.",
     []),
]


@pytest.mark.parametrize("lines,expected_body,notes", FOOTNOTE_CASES)
def test_footnotes_moved_out(lines, expected_body, notes):
    doc = build(lines, fmt="pdf")
    assert body(doc) == expected_body
    assert [(f.mark, f.text) for f in doc.footnotes] == [(m, t) for m, t, _ in notes]
    for fn, (_, _, ref) in zip(doc.footnotes, notes):
        assert fn.ref_span is not None
        assert doc.text[fn.ref_span[0]:fn.ref_span[1]] == ref
    # one footnote per line after footnote_start
    assert doc.text[doc.footnote_start:].count("\n") == max(0, len(notes) - 1)
    check_offsets(doc)


def test_reader_flagged_footnotes_keep_their_mark():
    doc = build([Block("Thực hiện Nghị quyết số 19-NQ/TW³ của Trung ương."),
                 Block("Nghị quyết số 19-NQ/TW ngày 25-10-2017.", footnote=True, mark="3")])
    assert [(f.mark, f.text) for f in doc.footnotes] == [("3", "Nghị quyết số 19-NQ/TW ngày 25-10-2017.")]
    assert doc.text[doc.footnotes[0].ref_span[0]:doc.footnotes[0].ref_span[1]] == "³"
    check_offsets(doc)


# --- characters and hints ---------------------------------------------------------------------
def test_nfd_input_and_hints_carried_over():
    nfd = unicodedata.normalize("NFD", "ỦY BAN NHÂN DÂN\nTỈNH KHÁNH HOÀ")
    doc = build([Block(nfd, page=1, column="left", bold=True, in_table=True),
                 Block("Nội dung  thực hiện", page=2)])
    assert doc.text.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HOÀ"]
    assert doc.match.split("\n")[1] == "TỈNH KHÁNH HÒA"          # one tone placement
    assert [(ln.page, ln.column, ln.bold, ln.in_table) for ln in doc.lines] == [
        (1, "left", True, True), (1, "left", True, True), (2, None, False, False)]
    check_offsets(doc)


def test_empty_and_odd_input_never_raise():
    for lines in ([], ["   "], ["2"], ["[1]"], ["¹"], ["• Lưu trữ"]):
        doc = build(lines)
        check_offsets(doc)


# --- the shared corpus ------------------------------------------------------------------------
def _shared_txt() -> list[Path]:
    docs = SHARED / "corpus" / "docs"
    if not docs.is_dir():
        pytest.skip(f"../shared not found: {SHARED}")
    return sorted(docs.glob("*.txt"))


def test_shared_corpus_layout():
    from danvan_cli.readers import read
    for path in _shared_txt():
        gold = json.loads((SHARED / "corpus" / "gold" / (path.stem + ".json")).read_text("utf-8"))
        doc = layout.build(read(str(path)))
        check_offsets(doc)
        for chrome in ("Lưu trữ", "Tải về", "Trích lược", "Số hiệu:", "Đăng nhập", "Comment",
                       "Vui lòng nhập"):
            assert chrome not in doc.text, (path.name, chrome)
        expected = gold.get("footnotes")
        count = expected if isinstance(expected, int) else len(expected or [])
        assert len(doc.footnotes) == count, path.name
        assert all(fn.ref_span for fn in doc.footnotes), path.name
        # no footnote line and no page number left in the running text
        for line in body(doc).split("\n"):
            assert not line[:1] in "¹²³⁴⁵⁶⁷⁸⁹⁽", (path.name, line)
            assert not line.strip().isdigit(), (path.name, line)
