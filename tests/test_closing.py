"""parse.closing: where the body ends, the recipients ("Nơi nhận") and the signer.

Hand-written closings in the layouts real files show: clean two-column text, PDF text that
interleaves the columns line by line or merges them on one line, reader column hints, wrapped
items, Party "T/M" / "K/T" marks, KT./TL./TUQ./Q., a draft without a name, NFD text, old tone
marks, e-signature stamps.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from danvan_cli.model import Document, Signer
from danvan_cli.parse import closing, layout
from danvan_cli.readers.base import Block, Extracted

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BODY = ["KẾ HOẠCH", "Thực hiện công tác dân vận năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Nâng cao nhận thức của cán bộ, công chức.",
        "Trên đây là Kế hoạch của UBND huyện, đề nghị các cơ quan triển khai thực hiện./."]


def make_doc(lines, footnotes=(), metadata=None):
    """A DocText from lines; a line may be (text, column) to carry a reader's column hint.
    Blocks are built directly, so no reader joins wrapped lines before the stage sees them."""
    blocks = []
    for ln in lines:
        text, col = ln if isinstance(ln, tuple) else (ln, None)
        blocks.append(Block(text, column=col))
    blocks += [Block(t, footnote=True, mark=str(i + 1)) for i, t in enumerate(footnotes)]
    return layout.build(Extracted("txt", blocks, metadata=metadata or {}))


def run_closing(lines, kind="administrative", footnotes=()):
    doc = make_doc(BODY + list(lines), footnotes)
    out = Document(source="t", sha256="", format="txt", kind=kind)
    closing.run(doc, out)
    return doc, out


def S(name=None, title=None, authority=None, on_behalf=None):
    return Signer(name=name, title=title, authority=authority, on_behalf=on_behalf)


CASES = [
    ("UBND: TM. + KT. + title + name",
     ["Nơi nhận:", "- Ban Dân vận Tỉnh ủy (b/c);", "- TT HĐND huyện;", "- Lưu: VT, NV.",
      "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Lan"],
     ["Ban Dân vận Tỉnh ủy (b/c)", "TT HĐND huyện", "Lưu: VT, NV."],
     S("Trần Thị Lan", "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")),
    ("TM. + title only (chairman signs)",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
      "Phạm Văn Tùng"],
     ["Như trên", "Lưu: VT."], S("Phạm Văn Tùng", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")),
    ("bare title, no mark",
     ["Nơi nhận:", "- UBND huyện;", "- Lưu: VT.", "CHỦ TỊCH", "Lò Văn Púa"],
     ["UBND huyện", "Lưu: VT."], S("Lò Văn Púa", "CHỦ TỊCH")),
    ("KT. without TM. (a Sở)",
     ["Nơi nhận:", "- UBND tỉnh (b/c);", "- Lưu: VT, VP.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
      "Huỳnh Thị Ngọc Bích"],
     ["UBND tỉnh (b/c)", "Lưu: VT, VP."],
     S("Huỳnh Thị Ngọc Bích", "PHÓ GIÁM ĐỐC", None, "KT. GIÁM ĐỐC")),
    ("TL. then KT.: both marks kept in order",
     ["Nơi nhận:", "- Các sở, ngành;", "- Lưu: VT.", "TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG",
      "PHÓ CHÁNH VĂN PHÒNG", "Đoàn Minh Khôi"],
     ["Các sở, ngành", "Lưu: VT."],
     S("Đoàn Minh Khôi", "PHÓ CHÁNH VĂN PHÒNG", None, "TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG")),
    ("TUQ. with a qualified title",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ",
      "Ngô Thanh Hải"],
     ["Như trên", "Lưu: VT."], S("Ngô Thanh Hải", "GIÁM ĐỐC SỞ NỘI VỤ", None, "TUQ. CHỦ TỊCH")),
    ("Q. (acting)",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH",
      "Vũ Đức Anh"],
     ["Như trên", "Lưu: VT."], S("Vũ Đức Anh", None, "TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH")),
    ("Party T/M and items ending in ','",
     ["Nơi nhận:", "- Ban Tuyên giáo và Dân vận Trung ương (để b/c),",
      "- Các đảng ủy trực thuộc,", "- Lưu Văn phòng Huyện ủy.", "T/M BAN THƯỜNG VỤ",
      "PHÓ BÍ THƯ THƯỜNG TRỰC", "Mai Xuân Trường"],
     ["Ban Tuyên giáo và Dân vận Trung ương (để b/c)", "Các đảng ủy trực thuộc",
      "Lưu Văn phòng Huyện ủy."],
     S("Mai Xuân Trường", "PHÓ BÍ THƯ THƯỜNG TRỰC", "T/M BAN THƯỜNG VỤ")),
    ("Party K/T",
     ["Nơi nhận:", "- Như trên,", "- Lưu VP.", "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
      "Hà Thị Thu"],
     ["Như trên", "Lưu VP."], S("Hà Thị Thu", "PHÓ TRƯỞNG BAN", None, "K/T TRƯỞNG BAN")),
    ("draft: signer block without a name",
     ["Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
     ["UBND tỉnh", "Lưu: VT."], S(None, "PHÓ GIÁM ĐỐC", None, "KT. GIÁM ĐỐC")),
    ("wrapped items: a line without bullet continues the item",
     ["Nơi nhận:", "- Hội LHPN huyện, Hội CCB huyện, Hội Nông dân", "huyện, Huyện đoàn;",
      "- Các phòng, ban", "thuộc huyện;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
      "Lê Văn Sáu"],
     ["Hội LHPN huyện, Hội CCB huyện, Hội Nông dân huyện, Huyện đoàn",
      "Các phòng, ban thuộc huyện", "Lưu: VT."],
     S("Lê Văn Sáu", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")),
    ("PDF: columns interleaved line by line, with a signature note",
     ["Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "- Như trên;", "KT. CHỦ TỊCH", "- Sở Nội vụ;",
      "PHÓ CHỦ TỊCH", "- Hội LHPN tỉnh, Hội Nông dân", "(Đã ký)", "tỉnh, Tỉnh đoàn;",
      "- Lưu: VT, NC.", "Trần Thị Lan"],
     ["Như trên", "Sở Nội vụ", "Hội LHPN tỉnh, Hội Nông dân tỉnh, Tỉnh đoàn", "Lưu: VT, NC."],
     S("Trần Thị Lan", "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")),
    ("PDF: both columns merged on one line",
     ["Nơi nhận: TM. ỦY BAN NHÂN DÂN", "- Ban Dân vận Trung ương (T78-HN); KT. CHỦ TỊCH",
      "- TT Tỉnh ủy; TT.HĐND tỉnh;", "PHÓ CHỦ TỊCH", "- CT, PCT.UBND tỉnh;",
      "- Ban Thi đua Khen thưởng (SNV); Đặng Văn Bảy", "- Lưu: VT."],
     ["Ban Dân vận Trung ương (T78-HN)", "TT Tỉnh ủy; TT.HĐND tỉnh", "CT, PCT.UBND tỉnh",
      "Ban Thi đua Khen thưởng (SNV)", "Lưu: VT."],
     S("Đặng Văn Bảy", "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")),
    ("PDF: a title merged into a wrapped item",
     ["Nơi nhận: K/T TRƯỞNG BAN", "- Các đồng chí Ủy viên Ban Thường vụ PHÓ TRƯỞNG BAN",
      "(để báo cáo),", "- Các huyện ủy,", "Lương Văn Chiến", "- Lưu Văn phòng Ban."],
     ["Các đồng chí Ủy viên Ban Thường vụ (để báo cáo)", "Các huyện ủy", "Lưu Văn phòng Ban."],
     S("Lương Văn Chiến", "PHÓ TRƯỞNG BAN", None, "K/T TRƯỞNG BAN")),
    ("PDF: a title merged after the last item of a line",
     ["Nơi nhận: KT. GIÁM ĐỐC", "- Như trên; PHÓ GIÁM ĐỐC", "- Lưu: VT.", "Võ Thành Nam"],
     ["Như trên", "Lưu: VT."], S("Võ Thành Nam", "PHÓ GIÁM ĐỐC", None, "KT. GIÁM ĐỐC")),
    ("PDF: the last item after a page break, below the name",
     ["Nơi nhận:", "- Như trên;", "- Sở Nội vụ;", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
      "PHÓ CHỦ TỊCH", "Đặng Văn Bảy", "5", "- Lưu: VT."],
     ["Như trên", "Sở Nội vụ", "Lưu: VT."],
     S("Đặng Văn Bảy", "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")),
    ("signer marks merged on one line",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
      "Bùi Thị Mến"],
     ["Như trên", "Lưu: VT."],
     S("Bùi Thị Mến", "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")),
    ("items on the 'Nơi nhận' line itself",
     ["Nơi nhận: - Như trên; - Lưu: VT.", "CHỦ TỊCH", "Nguyễn Thị Hoa"],
     ["Như trên", "Lưu: VT."], S("Nguyễn Thị Hoa", "CHỦ TỊCH")),
    ("'Q.' for a district inside the authority is not a mark",
     ["Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN Q. BÌNH THẠNH", "CHỦ TỊCH", "Tô Văn Hai"],
     ["Lưu: VT."], S("Tô Văn Hai", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN Q. BÌNH THẠNH")),
    ("a collective that ends in a title word is not split",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. BAN GIÁM ĐỐC", "GIÁM ĐỐC",
      "Châu Văn Lâm"],
     ["Như trên", "Lưu: VT."], S("Châu Văn Lâm", "GIÁM ĐỐC", "TM. BAN GIÁM ĐỐC")),
    ("the collective's name wrapped before the title",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. BAN THƯỜNG TRỰC ỦY BAN MẶT TRẬN",
      "TỔ QUỐC VIỆT NAM TỈNH", "PHÓ CHỦ TỊCH", "Trương Thị Mỹ"],
     ["Như trên", "Lưu: VT."],
     S("Trương Thị Mỹ", "PHÓ CHỦ TỊCH",
       "TM. BAN THƯỜNG TRỰC ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH")),
    ("e-signature stamp lines are not the signer",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
      "Ký bởi: Ủy ban Nhân dân tỉnh", "Thời gian ký: 12.03.2025 09:14:05 +07:00",
      "Nguyễn Hữu Phước"],
     ["Như trên", "Lưu: VT."], S("Nguyễn Hữu Phước", "PHÓ CHỦ TỊCH", None, "KT. CHỦ TỊCH")),
    ("a name without a known family name, where the name goes",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
      "Kpă Thuyên"],
     ["Như trên", "Lưu: VT."], S("Kpă Thuyên", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")),
    ("a name printed in capitals",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "CHỦ TỊCH", "NGUYỄN VĂN AN"],
     ["Như trên", "Lưu: VT."], S("NGUYỄN VĂN AN", "CHỦ TỊCH")),
    ("signer block typed in sentence case",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. Ủy ban nhân dân", "KT. Chủ tịch",
      "Phó Chủ tịch", "Trần Văn Ba"],
     ["Như trên", "Lưu: VT."],
     S("Trần Văn Ba", "Phó Chủ tịch", "TM. Ủy ban nhân dân", "KT. Chủ tịch")),
    ("a rank or an academic title before the name",
     ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
      "Đại tá Nguyễn Văn Hùng"],
     ["Như trên", "Lưu: VT."], S("Đại tá Nguyễn Văn Hùng", "PHÓ GIÁM ĐỐC", None, "KT. GIÁM ĐỐC")),
    ("an academic title before the name",
     ["Nơi nhận:", "- Lưu: VT.", "VIỆN TRƯỞNG", "PGS.TS. Lê Minh Tâm"],
     ["Lưu: VT."], S("PGS.TS. Lê Minh Tâm", "VIỆN TRƯỞNG")),
    ("old tone marks kept as printed",
     ["Nơi nhận:", "- Như trên;", "- Uỷ ban MTTQ huyện;", "- Lưu: VT.", "TM. UỶ BAN NHÂN DÂN",
      "CHỦ TỊCH", "Đỗ Văn Thuỷ"],
     ["Như trên", "Uỷ ban MTTQ huyện", "Lưu: VT."],
     S("Đỗ Văn Thuỷ", "CHỦ TỊCH", "TM. UỶ BAN NHÂN DÂN")),
]


@pytest.mark.parametrize("lines,recipients,signer", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_closing_cases(lines, recipients, signer):
    doc, out = run_closing(lines)
    assert out.recipients == recipients
    assert out.signer == signer


def test_nfd_text():
    lines = [unicodedata.normalize("NFD", t) for t in
             ["Nơi nhận:", "- Ủy ban MTTQ xã;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
              "PHÓ CHỦ TỊCH", "Đặng Thị Hồng"]]
    _, out = run_closing(lines)
    assert out.recipients == ["Ủy ban MTTQ xã", "Lưu: VT."]
    assert out.signer == S("Đặng Thị Hồng", "PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")


COLUMN_CASES = [
    ("left column first",
     [("Nơi nhận:", "left"), ("- Như trên;", "left"), ("- Lưu: VT.", "left"),
      ("______", "left"), ("TM. ỦY BAN NHÂN DÂN", "right"), ("CHỦ TỊCH", "right"),
      ("Phan Văn Út", "right")]),
    ("signer column first (reader order)",
     [("TM. ỦY BAN NHÂN DÂN", "right"), ("CHỦ TỊCH", "right"), ("Phan Văn Út", "right"),
      ("Nơi nhận:", "left"), ("- Như trên;", "left"), ("- Lưu: VT.", "left")]),
    ("a recipient in capitals stays in the left column",
     [("Nơi nhận:", "left"), ("- Như trên;", "left"), ("- Lưu: VT.", "left"),
      ("TM. ỦY BAN NHÂN DÂN", "right"), ("CHỦ TỊCH", "right"), ("Phan Văn Út", "right")]),
]


@pytest.mark.parametrize("lines", [c[1] for c in COLUMN_CASES], ids=[c[0] for c in COLUMN_CASES])
def test_column_hints(lines):
    doc, out = run_closing(lines)
    assert out.recipients == ["Như trên", "Lưu: VT."]
    assert out.signer == S("Phan Văn Út", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")
    # The body ends where the closing's first line (in reader order) starts.
    assert doc.text[doc.body_end:].startswith(lines[0][0])


def test_body_end_and_closing_end():
    tail = ["Văn bản gốc", "Lược Đồ", "Thành viên"]
    doc, out = run_closing(["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "CHỦ TỊCH",
                            "Trần Văn Nam"] + tail, footnotes=["Quy chế số 10-QC/TU."])
    assert doc.text[doc.body_end:].startswith("Nơi nhận:")
    assert doc.text[:doc.body_end].rstrip().endswith("triển khai thực hiện./.")
    assert doc.text[doc.closing_end - len("Trần Văn Nam"):doc.closing_end] == "Trần Văn Nam"
    # The page chrome after the name is neither recipient nor signer; footnotes stay out.
    assert out.signer.name == "Trần Văn Nam"
    assert out.recipients == ["Như trên", "Lưu: VT."]


def test_signer_block_without_noi_nhan():
    doc, out = run_closing(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lý Thị Én"])
    assert out.recipients == []
    assert out.signer == S("Lý Thị Én", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")
    assert doc.text[doc.body_end:].startswith("TM. ỦY BAN NHÂN DÂN")


def test_sentence_with_noi_nhan_is_body():
    doc, out = run_closing(["Nơi nhận hồ sơ: Bộ phận Một cửa của UBND xã.",
                            "Nơi nhận:", "- Lưu: VT.", "CHỦ TỊCH", "Hồ Văn Tư"])
    assert doc.text[doc.body_end:].startswith("Nơi nhận:\n")
    assert out.recipients == ["Lưu: VT."]


def test_a_lone_noi_nhan_line_gives_way_to_the_real_closing():
    doc, out = run_closing(["Nơi nhận:", "UBND huyện ban hành Kế hoạch như sau:",
                            "1. Giao Phòng Nội vụ theo dõi.", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN",
                            "CHỦ TỊCH", "Trần Văn Bình"])
    assert doc.text[doc.body_end:].startswith("TM. ỦY BAN NHÂN DÂN")
    assert out.signer == S("Trần Văn Bình", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")


def test_no_closing_leaves_body_end_and_warns():
    doc, out = run_closing([])
    assert doc.body_end == doc.footnote_start
    assert doc.closing_end is None
    assert out.signer == S() and out.recipients == []
    assert any("closing" in w for w in out.warnings)


def test_news_is_skipped():
    doc, out = run_closing(["Nơi nhận:", "- Lưu: VT.", "CHỦ TỊCH", "Hồ Văn Tư"], kind="news")
    assert out.recipients == [] and out.signer == S()


def test_warning_when_title_missing():
    _, out = run_closing(["Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "Hồ Văn Tư"])
    assert out.signer.name == "Hồ Văn Tư"
    assert any("without a title" in w for w in out.warnings)


@pytest.mark.parametrize("text,expected", [
    ("Nguyễn Văn Hòa", True), ("Đặng Minh Hưng", True), ("NGUYỄN VĂN AN", True),
    ("Ban Dân Vận", False), ("Văn bản gốc", False), ("Lưu: VT.", False),
    ("Nguyễn Văn Hòa;", False), ("CHỦ TỊCH", False), ("Trần", False),
])
def test_is_name(text, expected):
    assert closing.is_name(text) is expected


@pytest.mark.parametrize("text,expected", [
    ("PHÓ CHỦ TỊCH", True), ("GIÁM ĐỐC SỞ NỘI VỤ", True), ("PHÓ BÍ THƯ THƯỜNG TRỰC", True),
    ("THỨ TRƯỞNG", True), ("CHÁNH VĂN PHÒNG", True), ("ỦY BAN NHÂN DÂN", False),
    ("Chủ tịch", False), ("KẾ HOẠCH", False),
])
def test_is_title(text, expected):
    assert closing.is_title(text) is expected


@pytest.mark.parametrize("text,expected", [
    ("- Ban Dân vận Trung ương (T78-HN);", "Ban Dân vận Trung ương (T78-HN)"),
    ("- Lưu: VT.", "Lưu: VT."), ("+ Các thôn,", "Các thôn"), ("• Sở Nội vụ ;", "Sở Nội vụ"),
    ("-  TT   Tỉnh ủy;", "TT Tỉnh ủy"),
])
def test_clean_item(text, expected):
    assert closing.clean_item(text) == expected


def test_bad_input_does_not_raise():
    doc = make_doc(["Nơi nhận:"])
    out = Document(source="t", sha256="", format="txt", kind="administrative")
    closing.run(doc, out)
    assert any("without recipients" in w for w in out.warnings)


# --- the shared corpus ---------------------------------------------------------------------------

def _shared_txt_cases():
    gold = SHARED / "corpus" / "gold"
    if not gold.is_dir():
        return []
    return sorted(p.stem for p in gold.glob("*.json"))


@pytest.mark.parametrize("stem", _shared_txt_cases() or ["(none)"])
def test_shared_corpus_closing(stem):
    docs, gold = SHARED / "corpus" / "docs", SHARED / "corpus" / "gold"
    if not (docs / f"{stem}.txt").is_file():
        pytest.skip(f"../shared not found: {SHARED}")
    from danvan_cli.parse import parse_file
    g = json.loads((gold / f"{stem}.json").read_text(encoding="utf-8"))
    d = parse_file(str(docs / f"{stem}.txt"))
    if g.get("doc_type") == "TIN BÀI":
        # No closing in a news item; its byline (signer.name) is the header stage's.
        assert d.recipients == [] and d.signer.title is None and d.signer.authority is None
        return
    assert [r.rstrip(".") for r in d.recipients] == [r.rstrip(".") for r in g["recipients"]]
    for k in ("name", "title", "authority", "on_behalf"):
        assert getattr(d.signer, k) == g["signer"][k], k
