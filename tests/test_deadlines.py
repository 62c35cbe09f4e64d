"""Stage 'deadlines': what is due when, by whom, to whom — every phrasing, table-driven, on
hand-written paragraphs (other provinces, NFD, old tone marks, wrapped lines) and the shared gold."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from danvan_cli.model import Document
from danvan_cli.normalize import fold_tones

from conftest import run_task_stages

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def run_stages(text: str, **fields) -> Document:
    return run_task_stages(text, **{"place": "Quảng Trị", **fields})


def plan(tasks: str) -> str:
    return f"""KẾ HOẠCH
Thực hiện quy chế dân chủ ở cơ sở năm 2025

Thực hiện Kế hoạch số 35/KH-UBND ngày 03/3/2024 của UBND tỉnh, UBND huyện ban hành Kế hoạch như sau:

I. NỘI DUNG

1. Tổ chức hội nghị đối thoại với Nhân dân.

II. TỔ CHỨC THỰC HIỆN

{tasks}

Nơi nhận:
- UBND tỉnh;
- Lưu: VT.
"""


def one(text: str, **fields):
    out = run_stages(plan(text), **fields)
    assert len(out.deadlines) == 1, [(d.raw, d.date) for d in out.deadlines]
    return out.deadlines[0]


# (paragraph, date, precision, recurring, relative set)
PHRASES = [
    ("- Báo cáo 6 tháng đầu năm: trước ngày 01/6.", "2025-06-01", "day", None, False),
    ("1. Phòng Nội vụ báo cáo kết quả trước ngày 25 tháng 10 năm 2025.", "2025-10-25", "day", None, False),
    ("1. Các xã gửi báo cáo chậm nhất ngày 15 tháng 12 năm 2025.", "2025-12-15", "day", None, False),
    ("1. Các xã gửi báo cáo chậm nhất là ngày 30/11/2025.", "2025-11-30", "day", None, False),
    ("1. Các xã gửi báo cáo trước 17 giờ ngày 20/10/2025.", "2025-10-20", "day", None, False),
    ("1. Các xã gửi báo cáo hạn chót ngày 05-12-2025.", "2025-12-05", "day", None, False),
    ("1. Xây dựng kế hoạch tuyên truyền, Thời gian hoàn thành: tháng 6/2025.", "2025-06-30", "month", None, False),
    ("1. Rà soát các quy chế. Thời hạn: quý III/2025.", "2025-09-30", "quarter", None, False),
    ("1. Tổ chức đối thoại với Nhân dân, hoàn thành trong quý 4 năm 2025.", "2025-12-31", "quarter", None, False),
    ("1. Sơ kết việc thực hiện, hoàn thành trước tháng 6/2025.", "2025-05-31", "month", None, False),
    ("1. Phòng Nội vụ tổng kết thực hiện Kế hoạch trong quý IV/2025.", "2025-12-31", "quarter", None, False),
    ("1. Hoàn thiện hồ sơ, Thời gian hoàn thành: năm 2026.", "2026-12-31", "year", None, False),
    ("1. Các xã ban hành quy chế trong thời hạn 15 ngày kể từ ngày ký.", "2025-03-27", "day", None, True),
    ("1. Các xã ban hành quy chế trong vòng 10 ngày làm việc kể từ ngày ban hành Kế hoạch này.",
     "2025-03-26", "day", None, True),
    ("1. Các xã trả lời kiến nghị trong thời hạn 15 ngày kể từ ngày nhận được đơn.", None, None, None, True),
    ("1. Các xã trả lời kiến nghị trong thời hạn 10 ngày kể từ ngày 01/7/2025.", "2025-07-11", "day", None, True),
    ("1. Các xã định kỳ hằng năm báo cáo kết quả về UBND huyện.", None, None, "yearly", False),
    ("1. Các xã báo cáo định kỳ hằng quý về Phòng Nội vụ.", None, None, "quarterly", False),
    ("1. Các xã định kỳ 6 tháng báo cáo UBND huyện.", None, None, "half-yearly", False),
    ("1. Các xã định kỳ hàng tháng gửi báo cáo về Văn phòng.", None, None, "monthly", False),
    ("1. Các xã định kỳ báo cáo Ban Chỉ đạo huyện.", None, None, "periodic", False),
    ("1. Văn phòng tham mưu định kỳ sơ kết, tổng kết báo cáo kết quả.", None, None, "periodic", False),
    ("1. Hằng năm, các xã báo cáo kết quả trước ngày 15/12.", "2025-12-15", "day", "yearly", False),
    ("1. Các xã gửi báo cáo trước ngày 25 hằng tháng.", "2025-03-25", "day", "monthly", False),
    ("1. Các xã báo cáo về UBND huyện trước ngày 05 của tháng đầu quý sau.", "2025-04-05", "day", "quarterly", False),
    ("1. Các xã báo cáo trước ngày 20 tháng cuối quý.", "2025-03-20", "day", "quarterly", False),
]


@pytest.mark.parametrize("text,date,precision,recurring,relative", PHRASES, ids=[p[0][:50] for p in PHRASES])
def test_phrasings(text, date, precision, recurring, relative):
    d = one(text)
    assert (d.date, d.precision, d.recurring, bool(d.relative)) == (date, precision, recurring, relative)
    assert d.raw and fold_tones(d.raw) in fold_tones(" ".join(text.split()))


@pytest.mark.parametrize("text,date,precision,recurring,relative", PHRASES[:8], ids=[p[0][:40] for p in PHRASES[:8]])
def test_phrasings_in_nfd(text, date, precision, recurring, relative):
    out = run_stages(unicodedata.normalize("NFD", plan(text)))
    (d,) = out.deadlines
    assert (d.date, d.precision, d.recurring) == (date, precision, recurring)


NOT_DEADLINES = [
    "1. Thời gian thực hiện: từ tháng 3 đến tháng 6/2025.",
    "1. Thời gian thực hiện: năm 2025.",
    "1. Thực hiện Kế hoạch số 12/KH-UBND ngày 03/6/2024 của UBND tỉnh về công tác dân vận.",
    "1. Hội nghị tổ chức ngày 15/6/2025 tại hội trường UBND huyện.",
    "1. Sở Nội vụ định kỳ tổ chức phát động phong trào thi đua.",
    "1. Phòng Nội vụ tổ chức tập huấn cho cán bộ trong quý II/2025.",
    "1. Số liệu tính từ ngày 01/01/2025 đến ngày 30/6/2025.",
    "1. Chủ tịch UBND xã tiếp công dân định kỳ vào ngày 15 hằng tháng.",
    "1. Báo cáo 6 tháng đầu năm 2024 cho thấy nhiều chuyển biến.",
    "1. Thông báo lịch đối thoại ít nhất 07 ngày trước ngày đối thoại.",
    "1. Quyết định này có hiệu lực kể từ ngày ký.",
    "1. Đưa nội dung dân vận vào chương trình bồi dưỡng hằng năm.",
]


@pytest.mark.parametrize("text", NOT_DEADLINES, ids=[t[:50] for t in NOT_DEADLINES])
def test_not_deadlines(text):
    assert run_stages(plan(text)).deadlines == []


def test_year_from_the_document_and_the_turn_of_the_year():
    assert one("- Báo cáo năm: trước ngày 10/01.", date="2025-12-20", year=2025).date == "2026-01-10"
    assert one("- Báo cáo năm: trước ngày 01/12.", date="2025-12-20", year=2025).date == "2025-12-01"
    # only the year printed ("ngày ... tháng ... năm 2024" left blank in a draft)
    assert one("- Báo cáo năm: trước ngày 01/12.", date=None, year=2024).date == "2024-12-01"


def test_unknown_year_is_a_warning_not_a_guess():
    out = run_stages(plan("- Báo cáo năm: trước ngày 01/12."), date=None, year=None)
    (d,) = out.deadlines
    assert d.date is None and d.raw == "trước ngày 01/12"
    assert any("no year" in w for w in out.warnings)


def test_what_agency_and_to_of_a_reporting_paragraph():
    out = run_stages(plan(
        "3. Chế độ báo cáo\n\nCác phòng, ban chuyên môn; UBND các xã, thị trấn báo cáo kết quả thực hiện "
        "(qua Phòng Nội vụ) để tổng hợp, báo cáo UBND huyện theo thời gian như sau:\n\n"
        "- Báo cáo 6 tháng đầu năm: trước ngày 05/6.\n\n- Báo cáo năm: chậm nhất ngày 05 tháng 11 năm 2025."))
    assert [(d.date, d.what) for d in out.deadlines] == [("2025-06-05", "Báo cáo 6 tháng đầu năm"),
                                                         ("2025-11-05", "Báo cáo năm")]
    for d in out.deadlines:
        assert d.agency == "Các phòng, ban chuyên môn; UBND các xã, thị trấn"
        assert d.agency_key == "cac phong ban chuyen mon|uy ban nhan dan cac xa thi tran"
        assert d.to == "UBND huyện (qua Phòng Nội vụ)"
        assert d.section == "II.3"


def test_agency_from_a_heading_and_to_from_an_earlier_sentence():
    out = run_stages(plan(
        "1. Văn phòng UBND huyện\n\nTổng hợp, báo cáo kết quả. Thời hạn báo cáo năm 2025: trước ngày 20/10/2025.\n\n"
        "2. Các phòng chuyên môn thuộc UBND huyện\n\nTriển khai kế hoạch, gửi về Văn phòng UBND huyện tổng hợp. "
        "Thời hạn báo cáo năm 2025: trước ngày 15/10/2025."))
    assert [(d.date, d.what, d.agency, d.to) for d in out.deadlines] == [
        ("2025-10-20", "Thời hạn báo cáo năm 2025", "Văn phòng UBND huyện", None),
        ("2025-10-15", "Thời hạn báo cáo năm 2025", "Các phòng chuyên môn thuộc UBND huyện", "Văn phòng UBND huyện")]


def test_what_of_a_generic_label_is_the_task_before_it():
    d = one("1. Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ xây dựng tài liệu hỏi đáp; "
            "Thời gian hoàn thành: tháng 01/2026.")
    assert (d.date, d.what, d.agency) == ("2026-01-31", "xây dựng tài liệu hỏi đáp", "Sở Tư pháp")


def test_what_of_a_recurring_report():
    d = one("1. UBND tỉnh yêu cầu các đơn vị nghiêm túc thực hiện; định kỳ hằng năm báo cáo kết quả về "
            "Ủy ban nhân dân tỉnh (qua Sở Nội vụ) để tổng hợp./.")
    assert (d.raw, d.what, d.agency, d.to) == (
        "định kỳ hằng năm", "báo cáo kết quả về Ủy ban nhân dân tỉnh (qua Sở Nội vụ)", "các đơn vị",
        "Ủy ban nhân dân tỉnh (qua Sở Nội vụ)")


def test_what_and_who_after_the_date():
    out = run_stages(plan("1. Phòng Nội vụ theo dõi việc thực hiện. Trước ngày 30/6/2025, các xã gửi báo cáo "
                          "sơ kết về UBND huyện."))
    (d,) = out.deadlines
    assert (d.date, d.what, d.agency, d.to) == ("2025-06-30", "gửi báo cáo sơ kết về UBND huyện", "các xã",
                                                "UBND huyện")


def test_periodic_report_gives_way_to_dated_report_deadlines():
    periodic = "1. Sở Văn hóa, Thể thao và Du lịch chủ động tuyên truyền. Định kỳ báo cáo kết quả về Sở Nội vụ."
    dated = "2. Chế độ báo cáo\n\nCác sở, ngành báo cáo UBND tỉnh (qua Sở Nội vụ):\n\n- Báo cáo năm: trước ngày 01/12."
    assert [d.recurring for d in run_stages(plan(periodic)).deadlines] == ["periodic"]
    assert [d.date for d in run_stages(plan(periodic + "\n\n" + dated)).deadlines] == ["2025-12-01"]


def test_old_tone_marks_and_wrapped_lines():
    text = ("1. Giao Uỷ ban nhân dân các xã, thị trấn trên địa bàn huyện Hoà Vang tổ chức đối thoại và\n"
            "Báo cáo kết quả về UBND huyện trước ngày 15/11/2025.")
    out = run_stages(plan(text), place="Hòa Vang")
    (d,) = out.deadlines
    assert d.date == "2025-11-15"
    assert d.agency == "Uỷ ban nhân dân các xã, thị trấn trên địa bàn huyện Hoà Vang"


def test_spans_and_sections():
    out = run_stages(plan("\n\n".join(p[0] for p in PHRASES[:6])))
    assert len(out.deadlines) == 6
    for d in out.deadlines:
        s, e = d.span
        assert fold_tones(out.text[s:e]) == fold_tones(d.raw)
        assert d.section and d.section.startswith("II")


def test_bad_input_never_raises():
    for text in ["trước ngày", "trước ngày 32/13", "trước ngày 31/2/2025", "Thời gian hoàn thành: tháng 13/2025",
                 "quý V/2025 hoàn thành trong quý", "trong thời hạn 0 ngày kể từ ngày", "định kỳ", "hằng năm"]:
        out = run_stages(plan("1. " + text))
        assert all(d.date is None or len(d.date) == 10 for d in out.deadlines)


# --- the shared corpus --------------------------------------------------------------------------

def test_shared_gold_deadlines():
    docs, gold = SHARED / "corpus" / "docs", SHARED / "corpus" / "gold"
    if not gold.is_dir():
        pytest.skip(f"../shared not found: {SHARED}")
    from danvan_cli.parse import parse_file
    for g in sorted(gold.glob("*.json")):
        path = docs / (g.stem + ".txt")
        if not path.exists():
            continue
        expected = json.loads(g.read_text(encoding="utf-8"))["deadlines"]
        out = parse_file(str(path))
        assert [(d.date, d.raw, d.recurring) for d in out.deadlines] == \
            [(x["date"], x["raw"], x["recurring"]) for x in expected], g.stem
        for d, x in zip(out.deadlines, expected):
            assert fold_tones(d.what or "") == fold_tones(x["what"]), g.stem
            if x.get("agency"):
                assert fold_tones(d.agency or "") == fold_tones(x["agency"]), g.stem
