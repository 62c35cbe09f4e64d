"""parse.outline: the sections of the body, their ids, levels, parents and spans.

Hand-written bodies: Roman sections (upper and sentence case), arabic items, lettered points, a
Quyết định with Điều, a charter with Chương, appendices after the signature, skipped and
repeated numbers, numbers that are not headings, wrapped headings, NFD text, OCR damage.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from danvan_cli.model import Document, Section
from danvan_cli.parse import closing, layout, outline
from danvan_cli.readers.base import Block, Extracted

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def make_doc(lines, metadata=None):
    blocks = [Block(t) for t in lines]
    return layout.build(Extracted("txt", blocks, metadata=metadata or {}))


def run(lines, metadata=None, with_closing=True):
    doc = make_doc(lines, metadata)
    out = Document(source="t", sha256="", format="txt", kind="administrative")
    if with_closing:
        closing.run(doc, out)
    outline.run(doc, out)
    return doc, out


def ids(out):
    return [s.id for s in out.sections]


def tree(out):
    return [(s.id, s.level, s.parent) for s in out.sections]


CLOSING = ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
           "Hoàng Văn Minh"]

PLAN = ["Thực hiện Kế hoạch số 12/KH-UBND ngày 03/3/2025 của UBND tỉnh;",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "Nâng cao nhận thức của cán bộ, công chức.",
        "2. Yêu cầu",
        "- Bảo đảm thiết thực, hiệu quả.",
        "+ Không hình thức.",
        "II. NỘI DUNG",
        "1. Tuyên truyền, phổ biến",
        "a) Tổ chức hội nghị quán triệt;",
        "b) Đăng tin trên Cổng thông tin điện tử.",
        "2. Tổ chức đối thoại với Nhân dân.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Các cơ quan, đơn vị triển khai thực hiện./."] + CLOSING

CASES = [
    ("Roman, arabic, letters; dashes are content", PLAN,
     [("I", 1, None), ("I.1", 2, "I"), ("I.2", 2, "I"), ("II", 1, None), ("II.1", 2, "II"),
      ("II.1.a", 3, "II.1"), ("II.1.b", 3, "II.1"), ("II.2", 2, "II"), ("III", 1, None)]),
    ("sentence-case Roman headings",
     ["I. Mục đích, yêu cầu", "1. Kịp thời nắm tình hình Nhân dân.", "II. Nội dung thực hiện",
      "1. Thực hiện nghiêm Quy chế dân chủ.", "2. Theo dõi, đôn đốc."] + CLOSING,
     [("I", 1, None), ("I.1", 2, "I"), ("II", 1, None), ("II.1", 2, "II"), ("II.2", 2, "II")]),
    ("arabic top level (công văn without Roman sections)",
     ["Ủy ban nhân dân tỉnh yêu cầu thực hiện một số nội dung sau:",
      "1. Tổ chức quán triệt Kế hoạch số 98-KH/TU.", "a) Đối với các sở:", "b) Đối với các huyện:",
      "2. Giao Sở Nội vụ theo dõi, tổng hợp."] + CLOSING,
     [("1", 1, None), ("1.a", 2, "1"), ("1.b", 2, "1"), ("2", 1, None)]),
    ("two-level arabic numbers",
     ["I. NHIỆM VỤ", "1. Công tác tuyên truyền", "1.1. Tuyên truyền trên báo chí.",
      "1.2. Tuyên truyền tại cơ sở.", "2. Công tác kiểm tra", "2.1 Kiểm tra định kỳ."] + CLOSING,
     [("I", 1, None), ("I.1", 2, "I"), ("I.1.1", 3, "I.1"), ("I.1.2", 3, "I.1"),
      ("I.2", 2, "I"), ("I.2.1", 3, "I.2")]),
    ("Quyết định: Điều at the top, clauses and points under them",
     ["QUYẾT ĐỊNH:", "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.",
      "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
      "1. Giao Sở Nội vụ hướng dẫn thực hiện.", "a) Kiểm tra định kỳ;", "2. Các sở phối hợp.",
      "Điều 3. Chánh Văn phòng, Giám đốc Sở Nội vụ chịu trách nhiệm thi hành./."] + CLOSING,
     [("Điều 1", 1, None), ("Điều 2", 1, None), ("Điều 2.1", 2, "Điều 2"),
      ("Điều 2.1.a", 3, "Điều 2.1"), ("Điều 2.2", 2, "Điều 2"), ("Điều 3", 1, None)]),
    ("a charter: Chương with the title on the next line, Điều numbered across chapters",
     ["QUY CHẾ", "Phối hợp công tác dân vận", "Chương I", "NHỮNG QUY ĐỊNH CHUNG",
      "Điều 1. Phạm vi điều chỉnh", "Điều 2. Nguyên tắc phối hợp", "CHƯƠNG II",
      "NỘI DUNG PHỐI HỢP", "Điều 3. Trao đổi thông tin", "1. Định kỳ hằng quý.",
      "Điều 4. Kiểm tra, giám sát"],
     [("Chương I", 1, None), ("Điều 1", 2, "Chương I"), ("Điều 2", 2, "Chương I"),
      ("Chương II", 1, None), ("Điều 3", 2, "Chương II"), ("Điều 3.1", 3, "Điều 3"),
      ("Điều 4", 2, "Chương II")]),
    ("appendix after the signature, with its own outline",
     PLAN + ["PHỤ LỤC I", "DANH SÁCH CÁC MÔ HÌNH DÂN VẬN KHÉO",
             "(Kèm theo Kế hoạch số 45/KH-UBND ngày 10/3/2025 của UBND huyện)",
             "I. LĨNH VỰC KINH TẾ", "1. Mô hình tổ hợp tác trồng rau an toàn.",
             "PHỤ LỤC II", "BIỂU MẪU BÁO CÁO", "1. Kết quả thực hiện."],
     [("I", 1, None), ("I.1", 2, "I"), ("I.2", 2, "I"), ("II", 1, None), ("II.1", 2, "II"),
      ("II.1.a", 3, "II.1"), ("II.1.b", 3, "II.1"), ("II.2", 2, "II"), ("III", 1, None),
      ("PL1", 1, None), ("PL1.I", 2, "PL1"), ("PL1.I.1", 3, "PL1.I"), ("PL2", 1, None),
      ("PL2.1", 2, "PL2")]),
    ("an annexed charter after the signature of a Quyết định",
     ["Điều 1. Ban hành kèm theo Quyết định này Quy chế.", "Điều 2. Hiệu lực thi hành."]
     + CLOSING + ["QUY CHẾ", "Tiếp nhận và xử lý kiến nghị của Nhân dân",
                  "(Ban hành kèm theo Quyết định số 77/QĐ-UBND ngày 02/4/2025)", "Chương I",
                  "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi", "Điều 2. Đối tượng", "Chương II",
                  "TỔ CHỨC THỰC HIỆN", "Điều 3. Trách nhiệm thi hành"],
     [("Điều 1", 1, None), ("Điều 2", 1, None), ("PL1", 1, None),
      ("PL1.Chương I", 2, "PL1"), ("PL1.Điều 1", 3, "PL1.Chương I"),
      ("PL1.Điều 2", 3, "PL1.Chương I"), ("PL1.Chương II", 2, "PL1"),
      ("PL1.Điều 3", 3, "PL1.Chương II")]),
    ("parts above Roman sections",
     ["PHẦN I", "KẾT QUẢ THỰC HIỆN", "I. CÔNG TÁC LÃNH ĐẠO", "II. KẾT QUẢ CỤ THỂ",
      "PHẦN II", "PHƯƠNG HƯỚNG NĂM 2026", "I. NHIỆM VỤ CHUNG"] + CLOSING,
     [("Phần I", 1, None), ("Phần I.I", 2, "Phần I"), ("Phần I.II", 2, "Phần I"),
      ("Phần II", 1, None), ("Phần II.I", 2, "Phần II")]),
    ("parts A., B. above Roman sections",
     ["A. KẾT QUẢ THỰC HIỆN NĂM 2025", "I. CÔNG TÁC LÃNH ĐẠO", "1. Ban hành văn bản.",
      "B. PHƯƠNG HƯỚNG NĂM 2026", "I. NHIỆM VỤ"] + CLOSING,
     [("A", 1, None), ("A.I", 2, "A"), ("A.I.1", 3, "A.I"), ("B", 1, None), ("B.I", 2, "B")]),
    ("capital letters after a Roman section are list points, not parts",
     ["I. NỘI DUNG", "1. Các mô hình:", "A. Mô hình dân vận khéo.", "B. Mô hình tự quản.",
      "II. TỔ CHỨC THỰC HIỆN"] + CLOSING,
     [("I", 1, None), ("I.1", 2, "I"), ("II", 1, None)]),
    ("numbers that are not headings",
     ["I. KẾT QUẢ", "1. Tổ chức 12 hội nghị với", "1.000 người tham dự; kết quả năm",
      "2024. Các xã đều tham gia, số liệu ngày", "15.01.2019 được cập nhật.",
      "2. Tuyên truyền trên Cổng thông tin.", "Nội dung gồm 3. bước theo hướng dẫn tại khoản",
      "3. Điều 5 Nghị định số 59/2023/NĐ-CP và", "a) nội dung khác."] + CLOSING,
     [("I", 1, None), ("I.1", 2, "I"), ("I.2", 2, "I")]),
    ("an item whose text starts with a figure",
     ["III. CHỈ TIÊU", "1. 100% cán bộ được quán triệt.", "2. 95% thủ tục giải quyết đúng hạn."]
     + CLOSING,
     [("III", 1, None), ("III.1", 2, "III"), ("III.2", 2, "III")]),
    ("wrapped upper-case heading",
     ["III. MỘT SỐ CHỈ TIÊU CỤ THỂ", "NĂM 2025", "1. Hoàn thành các chỉ tiêu."] + CLOSING,
     [("III", 1, None), ("III.1", 2, "III")]),
    ("markdown heading marks",
     ["## I. MỤC ĐÍCH, YÊU CẦU", "### 1. Mục đích", "Nâng cao nhận thức.", "## II. NỘI DUNG"]
     + CLOSING,
     [("I", 1, None), ("I.1", 2, "I"), ("II", 1, None)]),
    ("NFD text and old tone marks",
     [unicodedata.normalize("NFD", t) for t in
      ["I. MỤC ĐÍCH, YÊU CẦU", "1. Hoà giải ở cơ sở.", "II. TỔ CHỨC THỰC HIỆN",
       "1. Uỷ ban nhân dân xã chủ trì."]] + CLOSING,
     [("I", 1, None), ("I.1", 2, "I"), ("II", 1, None), ("II.1", 2, "II")]),
]


@pytest.mark.parametrize("lines,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_outline_cases(lines, expected):
    _, out = run(lines)
    assert tree(out) == expected


def test_headings_labels_titles_kinds():
    doc, out = run(CASES[6][1])  # the plan with two appendices
    by = {s.id: s for s in out.sections}
    assert (by["I"].label, by["I"].heading, by["I"].title) == \
        ("I.", "I. MỤC ĐÍCH, YÊU CẦU", "MỤC ĐÍCH, YÊU CẦU")
    assert (by["II.1.a"].label, by["II.1.a"].title) == ("a)", "Tổ chức hội nghị quán triệt;")
    assert by["PL1"].kind == "appendix"
    assert by["PL1"].heading == "PHỤ LỤC I DANH SÁCH CÁC MÔ HÌNH DÂN VẬN KHÉO"
    assert by["PL1"].title == "DANH SÁCH CÁC MÔ HÌNH DÂN VẬN KHÉO"
    assert by["I"].kind == "section"
    _, out = run(CASES[-2][1])  # markdown: the mark is not part of the heading
    assert out.sections[0].heading == "I. MỤC ĐÍCH, YÊU CẦU"
    _, out = run(CASES[5][1], with_closing=False)
    by = {s.id: s for s in out.sections}
    assert (by["Chương I"].kind, by["Điều 1"].kind) == ("chapter", "article")
    assert by["Chương I"].heading == "Chương I NHỮNG QUY ĐỊNH CHUNG"
    assert by["Điều 1"].title == "Phạm vi điều chỉnh"
    assert by["Điều 1"].label == "Điều 1."


def test_spans():
    doc, out = run(PLAN)
    by = {s.id: s for s in out.sections}
    text = doc.text
    assert text[by["I"].span[0]:].startswith("I. MỤC ĐÍCH")
    # A section runs to its next sibling (or higher heading), trailing space trimmed.
    assert text[by["I"].span[0]:by["I"].span[1]].endswith("+ Không hình thức.")
    assert text[by["II.1"].span[0]:by["II.1"].span[1]].endswith("Cổng thông tin điện tử.")
    # The last section ends where the closing starts.
    assert by["III"].span[1] <= doc.body_end
    assert text[by["III"].span[0]:by["III"].span[1]].endswith("triển khai thực hiện./.")
    for s in out.sections:  # children lie inside their parents
        if s.parent:
            p = by[s.parent]
            assert p.span[0] <= s.span[0] and s.span[1] <= p.span[1]


def test_body_start_is_respected():
    lines = ["1. Dòng giống mục ở phần đầu.", "KẾ HOẠCH", "I. NỘI DUNG", "1. Thực hiện."] + CLOSING
    doc = make_doc(lines)
    doc.body_start = doc.text.index("KẾ HOẠCH")
    out = Document(source="t", sha256="", format="txt")
    closing.run(doc, out)
    outline.run(doc, out)
    assert ids(out) == ["I", "I.1"]


NUMBERING_CASES = [
    ("a skipped number",
     ["I. NỘI DUNG", "1. Tuyên truyền.", "3. Đối thoại.", "4. Kiểm tra."],
     ["I", "I.1", "I.3", "I.4"], ["section I.3 follows I.1: number 2 skipped"]),
    ("two skipped Roman numbers",
     ["I. MỤC ĐÍCH", "IV. TỔ CHỨC THỰC HIỆN"],
     ["I", "IV"], ["section IV follows I: numbers 2-3 skipped"]),
    ("a repeated number",
     ["I. NỘI DUNG", "1. Tuyên truyền.", "2. Đối thoại.", "2. Kiểm tra.", "3. Báo cáo."],
     ["I", "I.1", "I.2", "I.2#2", "I.3"],
     ["section I.2 appears 2 times: this one is I.2#2"]),
    ("a list that does not start at 1",
     ["I. NỘI DUNG", "2. Đối thoại.", "3. Kiểm tra."],
     ["I", "I.2", "I.3"], ["section I.2 opens I: number 1 missing"]),
]


@pytest.mark.parametrize("lines,expected_ids,expected_warnings",
                         [c[1:] for c in NUMBERING_CASES], ids=[c[0] for c in NUMBERING_CASES])
def test_numbering_warnings(lines, expected_ids, expected_warnings):
    _, out = run(lines + CLOSING)
    assert ids(out) == expected_ids
    for w in expected_warnings:
        assert w in out.warnings
    assert len([w for w in out.warnings if w.startswith("section")]) == len(expected_warnings)


def test_not_headings():
    lines = ["Chương trình hành động của Tỉnh ủy được triển khai.",
             "Phụ lục kèm theo Kế hoạch này gồm các biểu mẫu.",
             "Điều 5 Nghị định số 59/2023/NĐ-CP quy định rõ.",
             "I.1. Nội dung con ghi sai nhãn.", "- 1. Gạch đầu dòng có số."] + CLOSING
    _, out = run(lines)
    assert out.sections == []


def test_ocr_damaged_roman_labels():
    lines = ["L Mục đích, yêu cầu", "1. Nắm tình hình.", "II. Nội dung thực hiện",
             "1. Tuyên truyền.", "HL. Tổ chức thực hiện", "1. Văn phòng UBND xã."] + CLOSING
    _, out = run(lines, metadata={"ocr": True})
    assert [s.heading for s in out.sections if s.level == 1] == \
        ["I. Mục đích, yêu cầu", "II. Nội dung thực hiện", "III. Tổ chức thực hiện"]
    assert any("read as 'HL.'" in w for w in out.warnings)
    # Not OCR text: the damaged labels are content.
    _, out = run(lines)
    assert [s.id for s in out.sections if s.kind == "section" and s.label[:1] in "IVX"] == ["II"]


@pytest.mark.parametrize("text,expected", [
    ("I", 1), ("IV", 4), ("IX", 9), ("XIV", 14), ("IIII", 0), ("VX", 0), ("", 0), ("ABC", 0),
])
def test_roman_value(text, expected):
    assert outline.roman_value(text) == expected


def test_section_at():
    _, out = run(PLAN)
    by = {s.id: s for s in out.sections}
    inner = by["II.1.a"].span[0] + 3
    assert outline.section_at(out.sections, inner) == "II.1.a"
    assert outline.section_at(out.sections, by["II.2"].span[0]) == "II.2"
    assert outline.section_at(out.sections, 0) is None       # the opening Thực hiện paragraph
    dicts = [{"id": s.id, "span": list(s.span), "level": s.level} for s in out.sections]
    assert outline.section_at(dicts, inner) == "II.1.a"
    assert outline.section_at([], 5) is None


def test_empty_and_odd_input_never_raises():
    for lines in ([], ["."], ["I."], ["1."], ["Chương"], ["PHỤ LỤC"]):
        _, out = run(lines)
        assert isinstance(out.sections, list)


# --- the shared corpus ---------------------------------------------------------------------------

def _stems():
    gold = SHARED / "corpus" / "gold"
    return sorted(p.stem for p in gold.glob("*.json")) if gold.is_dir() else []


@pytest.mark.parametrize("stem", _stems() or ["(none)"])
def test_shared_corpus_top_sections(stem):
    docs, gold = SHARED / "corpus" / "docs", SHARED / "corpus" / "gold"
    if not (docs / f"{stem}.txt").is_file():
        pytest.skip(f"../shared not found: {SHARED}")
    from danvan_cli.parse import parse_file
    g = json.loads((gold / f"{stem}.json").read_text(encoding="utf-8"))
    d = parse_file(str(docs / f"{stem}.txt"))
    roman = [s.heading for s in d.sections if s.level == 1 and s.kind == "section"
             and s.label[:1] in "IVX"]
    assert roman == g["top_sections"]
    for s in d.sections:
        assert isinstance(s, Section) and s.span[0] < s.span[1] <= len(d.text)
