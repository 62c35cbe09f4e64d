"""Fixtures shared by the test modules: the shared corpus (skipped when absent) and small
hand-written documents."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_DOCS = SHARED / "corpus" / "docs"
SHARED_GOLD = SHARED / "corpus" / "gold"
CORPUS = ROOT / "corpus"


@pytest.fixture
def shared_docs() -> Path:
    if not SHARED_DOCS.is_dir():
        pytest.skip(f"../shared not found at {SHARED}: the real-document tests need it")
    return SHARED_DOCS


@pytest.fixture
def shared_gold() -> Path:
    if not SHARED_GOLD.is_dir():
        pytest.skip(f"../shared not found at {SHARED}: the gold annotations are there")
    return SHARED_GOLD


# A small plan and a letter written for the tests, in the real anatomy.
PLAN = """\
ỦY BAN NHÂN DÂN
HUYỆN ĐỨC PHỔ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 88/KH-UBND
Đức Phổ, ngày 12 tháng 3 năm 2025

KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2025

Thực hiện Kế hoạch số 41/KH-UBND ngày 20/02/2025 của UBND tỉnh về công tác dân vận chính quyền năm 2025;

UBND huyện ban hành Kế hoạch thực hiện như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao nhận thức về phong trào thi đua “Dân vận khéo” và đổi mới lề lối làm việc.

II. TỔ CHỨC THỰC HIỆN

1. Giao Phòng Nội vụ chủ trì, phối hợp với Văn phòng HĐND và UBND huyện theo dõi, đôn đốc; báo cáo kết quả về UBND huyện trước ngày 15/11/2025.

2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam huyện phối hợp tuyên truyền.

Nơi nhận:
- UBND tỉnh;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Trần Văn Bình
"""

LETTER = """\
ỦY BAN NHÂN DÂN
XÃ PHỔ AN
Số: 12/UBND-VP
V/v báo cáo kết quả thực hiện quy chế dân chủ ở cơ sở
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Phổ An, ngày 02 tháng 4 năm 2025

Kính gửi: Các thôn trên địa bàn xã.

Thực hiện Kế hoạch số 88/KH-UBND ngày 12/3/2025 của UBND huyện Đức Phổ, UBND xã đề nghị các thôn báo cáo kết quả thực hiện quy chế dân chủ trước ngày 20/4/2025.

Nơi nhận:
- Như trên;
- Lưu: VT.

CHỦ TỊCH

Lê Thị Hoa
"""


@pytest.fixture
def docs_dir(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "huyen-kh-88-2025.txt").write_text(PLAN, encoding="utf-8")
    (d / "xa-cv-12-2025.txt").write_text(LETTER, encoding="utf-8")
    return d


def run_task_stages(text: str, **fields):
    """The pipeline up to the outline, then the header facts given (a plan of 12/3/2025 unless
    said otherwise), then the assignment and deadline stages."""
    from danvan_cli.model import Document
    from danvan_cli.parse import assignments, closing, deadlines, header, layout, outline
    from danvan_cli.readers.base import Extracted
    from danvan_cli.readers.txt import text_to_blocks
    doc = layout.build(Extracted("txt", text_to_blocks(text)))
    out = Document(source="<test>", sha256="", format="txt")
    for stage in (header.run, closing.run, outline.run):
        stage(doc, out)
    for k, v in {"doc_type": "KẾ HOẠCH", "date": "2025-03-12", "year": 2025, **fields}.items():
        setattr(out, k, v)
    assignments.run(doc, out)
    deadlines.run(doc, out)
    out.text = doc.text
    return out
