"""Stage 'assignments': who is assigned what, on hand-written paragraphs in the real anatomy
(other provinces and bodies, NFD text, old tone marks, wrapped lines) and on the shared gold."""
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
    return run_task_stages(text, **{"place": "Lâm Đồng", **fields})


def plan(tasks: str, content: str = "1. Nâng cao chất lượng công tác dân vận chính quyền.") -> str:
    return f"""KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2025

Thực hiện Kế hoạch số 12-KH/TU ngày 10/01/2025 của Ban Thường vụ Tỉnh ủy, UBND tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU

{content}

II. TỔ CHỨC THỰC HIỆN

{tasks}

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
"""


def got(out: Document) -> list[tuple[str, str]]:
    return [(fold_tones(a.agency), a.role) for a in out.assignments]


def nfc(pairs):
    return [(fold_tones(unicodedata.normalize("NFC", a)), r) for a, r in pairs]


CASES = [
    ("giao chủ trì",
     "1. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp, Thanh tra tỉnh theo dõi, đôn đốc việc thực hiện.",
     [("Sở Nội vụ", "chủ trì")]),
    ("several agencies, one task",
     "1. Sở Giáo dục và Đào tạo, Báo Lâm Đồng, Đài Phát thanh - Truyền hình Lâm Đồng chủ động phối hợp tuyên truyền.",
     [("Sở Giáo dục và Đào tạo", "thực hiện"), ("Báo Lâm Đồng", "thực hiện"),
      ("Đài Phát thanh - Truyền hình Lâm Đồng", "thực hiện")]),
    ("đề nghị",
     "1. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp giám sát việc thực hiện.",
     [("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "đề nghị")]),
    ("có trách nhiệm",
     "1. Thủ trưởng các sở, ban, ngành có trách nhiệm quán triệt Kế hoạch này.",
     [("Thủ trưởng các sở, ban, ngành", "thực hiện")]),
    ("X chủ trì at the start",
     "1. Thanh tra tỉnh chủ trì theo dõi công tác tiếp công dân.",
     [("Thanh tra tỉnh", "chủ trì")]),
    ("X phối hợp",
     "1. Công an tỉnh phối hợp với Sở Nội vụ nắm tình hình.",
     [("Công an tỉnh", "phối hợp")]),
    ("issuer gives: UBND tỉnh giao X",
     "1. Ủy ban nhân dân tỉnh giao Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.",
     [("Sở Tài chính", "thực hiện")]),
    ("heading owns the paragraph below",
     "1. Văn phòng HĐND và UBND huyện\n\nTham mưu UBND huyện theo dõi, đôn đốc việc thực hiện.",
     [("Văn phòng HĐND và UBND huyện", "thực hiện")]),
    ("heading 'Đối với ...:' with a lead verb below",
     "2. Đối với các phòng, ban chuyên môn:\n\nChủ trì, phối hợp với các xã triển khai Kế hoạch.",
     [("các phòng, ban chuyên môn", "chủ trì")]),
    ("heading 'Đề nghị' with two bodies",
     "3. Đề nghị Hội Liên hiệp Phụ nữ huyện, Huyện đoàn.\n\nVận động hội viên, đoàn viên tham gia.",
     [("Hội Liên hiệp Phụ nữ huyện", "đề nghị"), ("Huyện đoàn", "đề nghị")]),
    ("heading 'Trách nhiệm của ...'",
     "Điều 6. Trách nhiệm của Sở Nội vụ\n\nHướng dẫn, kiểm tra việc thực hiện Quy chế.",
     [("Sở Nội vụ", "thực hiện")]),
    ("reporting paragraph: báo cáo",
     "5. Chế độ báo cáo\n\nCác phòng, ban; UBND các xã, thị trấn báo cáo kết quả về UBND huyện "
     "(qua Phòng Nội vụ) như sau:\n\n- Báo cáo 6 tháng: trước ngày 15/6.",
     [("Các phòng, ban", "báo cáo"), ("UBND các xã, thị trấn", "báo cáo")]),
    ("closing formula assigns nothing",
     "1. Giao Phòng Nội vụ theo dõi.\n\nTrên đây là Kế hoạch thực hiện công tác dân vận năm 2025, UBND huyện "
     "yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.",
     [("Phòng Nội vụ", "thực hiện")]),
    ("difficulties formula assigns nothing",
     "1. Giao Phòng Nội vụ theo dõi.\n\nTrong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các "
     "đơn vị phản ánh về Phòng Nội vụ để tổng hợp.",
     [("Phòng Nội vụ", "thực hiện")]),
    ("a paragraph without an agency continues the task",
     "1. Phòng Văn hóa và Thông tin tăng cường tuyên truyền.\n\nXây dựng chuyên mục trên Cổng thông tin điện tử.",
     [("Phòng Văn hóa và Thông tin", "thực hiện")]),
    ("a post heading (công chức)",
     "2. Công chức Tư pháp - Hộ tịch\n\nPhối hợp với Ban Thanh tra nhân dân theo dõi việc công khai.",
     [("Công chức Tư pháp - Hộ tịch", "phối hợp")]),
    ("a numbered heading in capitals",
     "1. VĂN PHÒNG SỞ\n\nTổng hợp, báo cáo kết quả.",
     [("VĂN PHÒNG SỞ", "thực hiện")]),
]


@pytest.mark.parametrize("name,tasks,expected", CASES, ids=[c[0] for c in CASES])
def test_phrasings(name, tasks, expected):
    assert got(run_stages(plan(tasks))) == nfc(expected)


@pytest.mark.parametrize("name,tasks,expected", CASES[:6], ids=[c[0] for c in CASES[:6]])
def test_phrasings_in_nfd(name, tasks, expected):
    out = run_stages(unicodedata.normalize("NFD", plan(tasks)))
    assert got(out) == nfc(expected)


def test_old_tone_marks_and_the_documents_place():
    out = run_stages(plan("1. Giao Uỷ ban nhân dân huyện Hoà Vang chủ trì, phối hợp với Phòng Nội vụ thực hiện."),
                     place="Hòa Vang")
    (a,) = out.assignments
    assert a.agency == "Uỷ ban nhân dân huyện Hoà Vang"   # as printed
    assert a.role == "chủ trì" and a.partners == ["Phòng Nội vụ"]
    assert a.agency_key == "uy ban nhan dan huyen"


def test_partners_role_and_task():
    out = run_stages(plan("2. Giao Sở Nội vụ chủ trì, phối hợp với Ban Dân vận Tỉnh ủy, Văn phòng UBND tỉnh "
                          "và các cơ quan liên quan tham mưu UBND tỉnh tổ chức sơ kết."))
    (a,) = out.assignments
    assert a.partners == ["Ban Dân vận Tỉnh ủy", "Văn phòng UBND tỉnh và các cơ quan liên quan"]
    assert a.task == "tham mưu UBND tỉnh tổ chức sơ kết."
    assert a.section == "II.2"
    assert out.text[a.span[0]:].startswith("Giao Sở Nội vụ")


def test_wrapped_line_before_a_capital():
    tasks = ("1. Giao Sở Nội vụ chủ trì, phối hợp với Văn phòng Ủy ban nhân dân tỉnh, Thanh tra tỉnh và\n"
             "Sở Tư pháp tham mưu tổ chức đối thoại với Nhân dân.")
    (a,) = run_stages(plan(tasks)).assignments
    assert a.partners == ["Văn phòng Ủy ban nhân dân tỉnh", "Thanh tra tỉnh", "Sở Tư pháp"]


def test_weak_forms_count_only_in_the_implementation_part():
    content = "- Giám đốc Sở xây dựng kế hoạch đối thoại với Nhân dân.\n\n- Lãnh đạo Sở tạo điều kiện cho Mặt trận."
    out = run_stages(plan("1. Văn phòng Sở\n\nTổng hợp, báo cáo.", content=content))
    assert got(out) == [("Văn phòng Sở", "thực hiện")]


def test_quyet_dinh_executors():
    text = """QUYẾT ĐỊNH
Ban hành Quy chế tiếp công dân

Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp công dân của tỉnh.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Giao Sở Nội vụ chủ trì hướng dẫn thực hiện.

Điều 3. Chánh Văn phòng UBND tỉnh; Giám đốc Sở Nội vụ; Chủ tịch UBND các huyện, thành phố chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 3;
- Lưu: VT.
"""
    out = run_stages(text, doc_type="QUYẾT ĐỊNH")
    assert got(out) == nfc([("Sở Nội vụ", "chủ trì"), ("Chánh Văn phòng UBND tỉnh", "thực hiện"),
                            ("Giám đốc Sở Nội vụ", "thực hiện"),
                            ("Chủ tịch UBND các huyện, thành phố", "thực hiện")])
    assert out.assignments[1].agency_key == "van phong uy ban nhan dan tinh"


def test_cong_van_assigns_in_its_body():
    text = """V/v tăng cường công tác dân vận chính quyền

Kính gửi:
- Các sở, ban, ngành tỉnh;
- UBND các huyện, thị xã, thành phố.

UBND tỉnh yêu cầu Giám đốc các sở, ngành, Chủ tịch UBND các huyện thực hiện tốt các nội dung sau:

1. Tổ chức quán triệt các văn bản về công tác dân vận.

Báo Gia Lai, Đài Phát thanh - Truyền hình Gia Lai tăng cường tuyên truyền các mô hình "Dân vận khéo".

2. Giao Sở Nội vụ: theo dõi, tổng hợp kết quả.

UBND tỉnh yêu cầu các đơn vị nghiêm túc thực hiện; định kỳ hằng năm báo cáo kết quả về UBND tỉnh (qua Sở Nội vụ)./.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""
    out = run_stages(text, doc_type="CÔNG VĂN", place="Gia Lai")
    assert got(out) == nfc([("Giám đốc các sở, ngành", "thực hiện"), ("Chủ tịch UBND các huyện", "thực hiện"),
                            ("Báo Gia Lai", "thực hiện"), ("Đài Phát thanh - Truyền hình Gia Lai", "thực hiện"),
                            ("Sở Nội vụ", "thực hiện")])
    (d,) = out.deadlines
    assert (d.recurring, d.agency, d.to) == ("yearly", "các đơn vị", "UBND tỉnh (qua Sở Nội vụ)")


def test_a_report_narrates_what_was_done():
    text = """BÁO CÁO
Kết quả công tác dân vận chính quyền năm 2025

I. KẾT QUẢ

1. Sở Nội vụ đã tham mưu UBND tỉnh ban hành 05 văn bản.

2. Các huyện tổ chức 120 hội nghị đối thoại.

II. KIẾN NGHỊ

Đề nghị UBND tỉnh chỉ đạo các sở, ngành trả lời kiến nghị của Nhân dân.

Nơi nhận:
- Lưu: VT.
"""
    out = run_stages(text, doc_type="BÁO CÁO")
    assert got(out) == [("UBND tỉnh", "đề nghị")]


def test_news_and_empty_documents_assign_nothing():
    assert run_stages("Ban Dân vận Tỉnh ủy hướng dẫn các huyện.", doc_type="TIN BÀI", kind="news").assignments == []
    assert run_stages("").assignments == []
    assert run_stages("\n\n  \n").deadlines == []


def test_spans_index_the_text():
    out = run_stages(plan(CASES[1][1] + "\n\n" + CASES[7][1]))
    for a in out.assignments:
        s, e = a.span
        assert 0 <= s < e <= len(out.text)
        assert a.agency_key


def test_bad_input_never_raises():
    for text in ["1.", "Giao", "Giao Sở", "Đề nghị", "II. TỔ CHỨC THỰC HIỆN", "1. Sở\n\n2. Ban",
                 "Giao Sở Nội vụ chủ trì, phối hợp với", "Điều 3. chịu trách nhiệm thi hành./."]:
        run_stages(plan(text))


# --- the shared corpus --------------------------------------------------------------------------

def test_shared_gold_assignments():
    docs, gold = SHARED / "corpus" / "docs", SHARED / "corpus" / "gold"
    if not gold.is_dir():
        pytest.skip(f"../shared not found: {SHARED}")
    from danvan_cli.parse import parse_file
    for g in sorted(gold.glob("*.json")):
        path = docs / (g.stem + ".txt")
        if not path.exists():
            continue
        expected = json.loads(g.read_text(encoding="utf-8"))["assignments"]
        out = parse_file(str(path))
        assert [(fold_tones(a.agency), a.role) for a in out.assignments] == \
            [(fold_tones(x["agency"]), x["role"]) for x in expected], g.stem
        for a, x in zip(out.assignments, expected):
            assert fold_tones(out.text[a.span[0]:]).startswith(fold_tones(x["text_start"])), (g.stem, a.agency)
