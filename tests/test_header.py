"""Header stage: kind, type, number, issuer, place, date, subject, addressees, body_start.

Every case is a hand-written header in the anatomy of real documents (other provinces, Sở,
huyện, xã, Mặt trận, Party committees), with the variants extraction produces: interleaved or
side-by-side columns, NFD text, old tone marks, wrapped subjects, blanks of a draft.
"""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from danvan_cli.model import Document
from danvan_cli.parse import header, layout
from danvan_cli.readers.base import Block, Extracted

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FIELDS = ("kind", "doc_type", "number", "symbol", "issuer", "place", "date", "year", "subject",
          "addressees")


def run(text_or_blocks, fmt: str = "txt"):
    if isinstance(text_or_blocks, str):
        blocks = [Block(line) for line in text_or_blocks.splitlines() if line.strip()]
    else:
        blocks = text_or_blocks
    doc = layout.build(Extracted(fmt, blocks))
    out = Document(source="t", sha256="", format=fmt)
    header.run(doc, out)
    return doc, out


def check(out: Document, expected: dict) -> None:
    got = {k: getattr(out, k) for k in expected if k in FIELDS or k in ("title", "author")}
    want = {k: v for k, v in expected.items() if k in got}
    assert got == want


# --- whole headers ----------------------------------------------------------------------------
CASES = [
    ("province plan, subject in capitals",
     """ỦY BAN NHÂN DÂN
TỈNH BÌNH ĐỊNH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 245/KH-UBND
Bình Định, ngày 14 tháng 12 năm 2021
KẾ HOẠCH
THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN
NĂM 2022
Thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị;
I. MỤC ĐÍCH, YÊU CẦU
""",
     dict(kind="administrative", doc_type="KẾ HOẠCH", number="245/KH-UBND", symbol="KH-UBND",
          issuer="ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH", place="Bình Định", date="2021-12-14", year=2021,
          subject="THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM 2022", addressees=[],
          body="Thực hiện Kết luận")),
    ("Sở under UBND, công văn with a wrapped V/v and addressees",
     """UBND TỈNH BÌNH THUẬN
SỞ NỘI VỤ
-------
Số: 1021/SNV-XDCQ
V/v hướng dẫn thực hiện quy chế
dân chủ ở cơ sở trong cơ quan
hành chính năm 2023
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Phan Thiết, ngày 05 tháng 6 năm 2023
Kính gửi:
- Các sở, ban, ngành tỉnh;
- Ủy ban nhân dân các huyện, thị xã,
thành phố.
Căn cứ Kế hoạch số 12/KH-UBND ngày 03/3/2023 của UBND tỉnh;
""",
     dict(kind="administrative", doc_type="CÔNG VĂN", number="1021/SNV-XDCQ", symbol="SNV-XDCQ",
          issuer="UBND TỈNH BÌNH THUẬN SỞ NỘI VỤ", place="Phan Thiết", date="2023-06-05",
          year=2023, subject="hướng dẫn thực hiện quy chế dân chủ ở cơ sở trong cơ quan hành chính năm 2023",
          addressees=["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố"],
          body="Căn cứ Kế hoạch")),
    ("columns interleaved line by line (naive PDF extraction)",
     """ỦY BAN NHÂN DÂN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN MỘ ĐỨC
Độc lập - Tự do - Hạnh phúc
------- ---------------
Số: 88/KH-UBND Mộ Đức, ngày 12 tháng 3 năm 2025
KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2025
Thực hiện Kế hoạch số 41/KH-UBND ngày 20/02/2025 của UBND tỉnh;
""",
     dict(kind="administrative", doc_type="KẾ HOẠCH", number="88/KH-UBND",
          issuer="ỦY BAN NHÂN DÂN HUYỆN MỘ ĐỨC", place="Mộ Đức", date="2025-03-12",
          subject="Thực hiện công tác dân vận chính quyền năm 2025", body="Thực hiện Kế hoạch số 41")),
    ("columns side by side with wide gaps; V/v cut by the date",
     """ỦY BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ NGHĨA HÀ                 Độc lập - Tự do - Hạnh phúc
Số: 45/UBND
V/v triển khai Kế hoạch của TP. Quảng Ngãi, ngày 03/3/2023
Ban Dân vận Thành ủy
Kính gửi: Các thôn, tổ dân phố; Ban Công tác Mặt trận các khu dân cư.
Thực hiện Kế hoạch số 05-KH/TU ngày 01/3/2023 của Ban Thường vụ Thành ủy,
""",
     dict(kind="administrative", doc_type="CÔNG VĂN", number="45/UBND", symbol="UBND",
          issuer="ỦY BAN NHÂN DÂN XÃ NGHĨA HÀ", place="TP. Quảng Ngãi", date="2023-03-03",
          subject="triển khai Kế hoạch của Ban Dân vận Thành ủy",
          addressees=["Các thôn, tổ dân phố", "Ban Công tác Mặt trận các khu dân cư"])),
    ("Party committee, subject in lower case",
     """TỈNH ỦY QUẢNG NGÃI
*
Số 25-NQ/TU
ĐẢNG CỘNG SẢN VIỆT NAM
---------------
Quảng Ngãi, ngày 06 tháng 4 năm 2021
NGHỊ QUYẾT
về tăng cường sự lãnh đạo của Đảng đối với công tác dân vận
trong tình hình mới
Sau khi thảo luận, Ban Chấp hành Đảng bộ tỉnh thống nhất như sau:
""",
     dict(kind="administrative", doc_type="NGHỊ QUYẾT", number="25-NQ/TU", symbol="NQ/TU",
          issuer="TỈNH ỦY QUẢNG NGÃI", place="Quảng Ngãi", date="2021-04-06",
          subject="về tăng cường sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới")),
    ("Party body, issuer and place share a line, number with spaces",
     """ĐẢNG BỘ TỈNH BÌNH DƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM
BAN DÂN VẬN TỈNH ỦY Thủ Dầu Một, ngày 15 tháng 01 năm 2024
*
Số 06 - KH/BDVTU
KẾ HOẠCH
công tác dân vận năm 2024
Thực hiện Chương trình công tác năm 2024 của Ban Thường vụ Tỉnh ủy,
""",
     dict(doc_type="KẾ HOẠCH", number="06-KH/BDVTU", symbol="KH/BDVTU",
          issuer="ĐẢNG BỘ TỈNH BÌNH DƯƠNG BAN DÂN VẬN TỈNH ỦY", place="Thủ Dầu Một",
          date="2024-01-15", subject="công tác dân vận năm 2024")),
    ("Mặt trận, three issuer lines, joint symbol",
     """ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM
TỈNH ĐẮK LẮK
BAN THƯỜNG TRỰC
Số: 56/HD-MTTQ-BTT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Buôn Ma Thuột, ngày 25 tháng 9 năm 2022
HƯỚNG DẪN
Tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2022
Căn cứ Hướng dẫn số 120/HD-MTTW-BTT ngày 05/8/2022;
""",
     dict(doc_type="HƯỚNG DẪN", number="56/HD-MTTQ-BTT", symbol="HD-MTTQ-BTT",
          issuer="ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH ĐẮK LẮK BAN THƯỜNG TRỰC",
          place="Buôn Ma Thuột", date="2022-09-25")),
    ("NFD text, old tone marks, Quyết định with its authority line",
     unicodedata.normalize("NFD", """UỶ BAN NHÂN DÂN
TỈNH KHÁNH HOÀ
-------
CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/QĐ-UBND
Khánh Hoà, ngày 5 tháng 7 năm 2021
QUYẾT ĐỊNH
Về việc thành lập Ban Chỉ đạo thực hiện
quy chế dân chủ ở cơ sở
CHỦ TỊCH UỶ BAN NHÂN DÂN TỈNH KHÁNH HOÀ
Căn cứ Luật Tổ chức chính quyền địa phương;
"""),
     dict(doc_type="QUYẾT ĐỊNH", number="12/QĐ-UBND", issuer="UỶ BAN NHÂN DÂN TỈNH KHÁNH HOÀ",
          place="Khánh Hoà", date="2021-07-05",
          subject="Về việc thành lập Ban Chỉ đạo thực hiện quy chế dân chủ ở cơ sở",
          body="Căn cứ Luật")),
    ("draft: blank number and date, year kept, type shares the line with the subject",
     """DỰ THẢO
UBND HUYỆN SƠN TỊNH
UBND XÃ TỊNH HÀ
Số:      /KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tịnh Hà, ngày    tháng    năm 2024
KẾ HOẠCH Thực hiện dân chủ ở cơ sở năm 2024
Thực hiện Kế hoạch số 35/KH-UBND của UBND huyện;
""",
     dict(doc_type="KẾ HOẠCH", number=None, symbol="KH-UBND",
          issuer="UBND HUYỆN SƠN TỊNH UBND XÃ TỊNH HÀ", place="Tịnh Hà", date=None, year=2024,
          subject="Thực hiện dân chủ ở cơ sở năm 2024",
          warnings=["number is blank", "date is partly blank"])),
    ("everything blank, issuer lines missing",
     """Số: ....../BC-HND
Quảng Ngãi, ngày ... tháng ... năm 20...
BÁO CÁO
Kết quả thực hiện Quy chế dân chủ ở cơ sở
6 tháng đầu năm 2024
I. KẾT QUẢ
""",
     dict(doc_type="BÁO CÁO", number=None, symbol="BC-HND", issuer=None, place="Quảng Ngãi",
          date=None, year=None,
          subject="Kết quả thực hiện Quy chế dân chủ ở cơ sở 6 tháng đầu năm 2024", body="I. KẾT QUẢ",
          warnings=["number is blank", "date is blank", "issuer lines are missing"])),
    ("công văn without issuer, blank number and date (both columns lost)",
     """Số: /UBND-VX
Gia Lai, ngày tháng năm
V/v tăng cường công tác dân vận
Kính gửi: Ủy ban nhân dân các huyện.
Thực hiện Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư;
""",
     dict(doc_type="CÔNG VĂN", number=None, symbol="UBND-VX", issuer=None, place="Gia Lai",
          date=None, year=None, subject="tăng cường công tác dân vận",
          addressees=["Ủy ban nhân dân các huyện"], body="Thực hiện Kết luận")),
    ("Tờ trình with V/v under the type, one addressee under Kính gửi",
     """SỞ NỘI VỤ TỈNH LÂM ĐỒNG
Số: 412/TTr-SNV
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Đà Lạt, ngày 02/10/2024
TỜ TRÌNH
V/v ban hành Quy chế đối thoại với Nhân dân
Kính gửi:
Ủy ban nhân dân tỉnh Lâm Đồng
Căn cứ Luật Thực hiện dân chủ ở cơ sở năm 2022;
""",
     dict(doc_type="TỜ TRÌNH", number="412/TTr-SNV", issuer="SỞ NỘI VỤ TỈNH LÂM ĐỒNG",
          place="Đà Lạt", date="2024-10-02", subject="ban hành Quy chế đối thoại với Nhân dân",
          addressees=["Ủy ban nhân dân tỉnh Lâm Đồng"], body="Căn cứ Luật")),
    ("damaged numbers and other date forms",
     """ỦY BAN NHÂN DÂN
THÀNH PHỐ HỒ CHÍ MINH
Số: 31 /KH-UBND
TP. Hồ Chí Minh, ngày 03/3/2023
KẾ HOẠCH
Về công tác dân vận năm 2023
""",
     dict(number="31/KH-UBND", symbol="KH-UBND", place="TP. Hồ Chí Minh", date="2023-03-03",
          subject="Về công tác dân vận năm 2023")),
    ("Party number with spaces, place with a hyphen",
     """TỈNH ỦY NINH THUẬN
*
Số: 46 - CT/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Phan Rang - Tháp Chàm, ngày 5 tháng 6 năm 2021
CHỈ THỊ
về công tác dân vận trong tình hình mới
""",
     dict(number="46-CT/TU", symbol="CT/TU", place="Phan Rang - Tháp Chàm", date="2021-06-05",
          doc_type="CHỈ THỊ")),
    ("normative number with year; unrepairable symbol left as printed",
     """CHÍNH PHỦ
Số: 59/2023/NĐ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Hà Nội, ngày 14 tháng 8 năm 2023
NGHỊ ĐỊNH
Quy định chi tiết một số điều của Luật Thực hiện dân chủ ở cơ sở
""",
     dict(number="59/2023/NĐ-CP", symbol="NĐ-CP", issuer="CHÍNH PHỦ", doc_type="NGHỊ ĐỊNH")),
    ("run-together symbol",
     """ỦY BAN NHÂN DÂN TỈNH BẾN TRE
Số: 2769/UBNDNCKSTTHC
Bến Tre, 22/4/2020
V/v rà soát thủ tục hành chính
""",
     dict(number="2769/UBNDNCKSTTHC", symbol="UBNDNCKSTTHC", date="2020-04-22", place="Bến Tre")),
    ("type in sentence case alone on its line",
     """ỦY BAN NHÂN DÂN XÃ PHỔ AN
Số: 18/KH-UBND
Phổ An, ngày 02 tháng 4 năm 2025
Kế hoạch
Thực hiện dân chủ ở cơ sở năm 2025
Thực hiện Kế hoạch số 64/KH-UBND của UBND thị xã;
""",
     dict(doc_type="KẾ HOẠCH", subject="Thực hiện dân chủ ở cơ sở năm 2025")),
    ("wrapped subject going on with a capital",
     """HUYỆN ỦY MỘ ĐỨC
*
Số 15-KH/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Mộ Đức, ngày 06 tháng 4 năm 2026
KẾ HOẠCH
tổng kết 10 năm thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của
Bộ Chính trị về quy chế dân chủ ở cơ sở
Thực hiện Hướng dẫn số 21-HD/BTGDVTW ngày 12/3/2026 của Ban Tuyên giáo và Dân vận Trung ương về tổng kết, Ban Thường vụ Huyện ủy xây dựng kế hoạch như sau:
""",
     dict(issuer="HUYỆN ỦY MỘ ĐỨC", number="15-KH/HU",
          subject="tổng kết 10 năm thực hiện Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính "
                  "trị về quy chế dân chủ ở cơ sở", body="Thực hiện Hướng dẫn")),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_header(name, text, expected):
    doc, out = run(text)
    check(out, expected)
    if "body" in expected:
        assert doc.text[doc.body_start:].startswith(expected["body"])
    for w in expected.get("warnings", []):
        assert w in out.warnings


# --- columns given by the reader (docx table, PDF geometry) -----------------------------------
def _cells():
    L = lambda t: Block(t, column="left", in_table=True)          # noqa: E731
    R = lambda t: Block(t, column="right", in_table=True)         # noqa: E731
    left = [L("UBND TỈNH QUẢNG NGÃI"), L("SỞ NỘI VỤ"), L("-------"), L("Số: 512/SNV-CCHC"),
            L("V/v tăng cường công tác dân vận của"), L("Ban Dân vận Tỉnh ủy và các sở")]
    right = [R("CỘNG HÒA XÃ HỘI CHỦ NGHĨA"), R("VIỆT NAM"), R("Độc lập - Tự do - Hạnh phúc"),
             R("---------------"), R("Quảng Ngãi, ngày 07 tháng 5 năm 2024")]
    after = [Block("Kính gửi: Ủy ban nhân dân các huyện, thị xã, thành phố"),
             Block("Thực hiện Kế hoạch số 5/KH-UBND ngày 01/3/2024 của UBND tỉnh;")]
    return left, right, after


@pytest.mark.parametrize("order", ["left-right", "right-left"])
def test_header_from_column_hints(order):
    left, right, after = _cells()
    blocks = (left + right if order == "left-right" else right + left) + after
    doc, out = run(blocks, fmt="docx")
    check(out, dict(kind="administrative", doc_type="CÔNG VĂN", number="512/SNV-CCHC",
                    issuer="UBND TỈNH QUẢNG NGÃI SỞ NỘI VỤ", place="Quảng Ngãi",
                    date="2024-05-07",
                    subject="tăng cường công tác dân vận của Ban Dân vận Tỉnh ủy và các sở",
                    addressees=["Ủy ban nhân dân các huyện, thị xã, thành phố"]))
    assert doc.text[doc.body_start:].startswith("Thực hiện Kế hoạch")


def test_type_line_with_a_right_column_hint_and_cells_with_line_breaks():
    blocks = [Block("ỦY BAN NHÂN DÂN\nXÃ TỊNH KỲ\n-------\nSố: 7/KH-UBND", column="left"),
              Block("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                    "Tịnh Kỳ, ngày 2 tháng 2 năm 2022", column="right"),
              Block("KẾ HOẠCH", column="right", bold=True),
              Block("Tổ chức Ngày hội Đại đoàn kết", bold=True), Block("Căn cứ Hướng dẫn số 8/HD-MTTQ;")]
    doc, out = run(blocks, fmt="pdf")
    check(out, dict(doc_type="KẾ HOẠCH", number="7/KH-UBND", issuer="ỦY BAN NHÂN DÂN XÃ TỊNH KỲ",
                    place="Tịnh Kỳ", date="2022-02-02", subject="Tổ chức Ngày hội Đại đoàn kết"))


# --- news and unknown texts -------------------------------------------------------------------
NEWS = [
    ("""Huyện Sơn Hòa ra mắt mô hình dân vận khéo
THỨ HAI, 12/06/2023 08:15:20
Sáng 12/6, Huyện ủy Sơn Hòa tổ chức lễ ra mắt mô hình “Dân vận khéo”.
Mô hình giúp người dân tham gia sửa đường liên thôn.
MINH TRÍ
Comment
Vui lòng nhập tiếng việt có dấu
""", "Huyện Sơn Hòa ra mắt mô hình dân vận khéo", "2023-06-12", "MINH TRÍ", "Sáng 12/6"),
    ("""Trang chủ | Thời sự | Dân vận
10/04/2018
Tư Nghĩa sơ kết công tác dân vận quý I
Sáng 9/4, Huyện ủy Tư Nghĩa tổ chức sơ kết.
Các đại biểu thảo luận về mô hình mới.
NGỌC LAN (TTXVN)
Chia sẻ Bình luận
""", "Tư Nghĩa sơ kết công tác dân vận quý I", "2018-04-10", "NGỌC LAN", "Sáng 9/4"),
]


@pytest.mark.parametrize("text,headline,date,byline,body", NEWS)
def test_news_item(text, headline, date, byline, body):
    doc, out = run(text)
    check(out, dict(kind="news", doc_type="TIN BÀI", subject=headline, title=headline, date=date,
                    year=int(date[:4]), author=byline, number=None, symbol=None, issuer=None,
                    place=None, addressees=[]))
    assert out.signer.name == byline
    assert doc.text[doc.body_start:].startswith(body)
    assert doc.text[doc.body_end:].startswith(byline)


UNKNOWN = [
    """Một số suy nghĩ về công tác dân vận
Công tác dân vận có vai trò quan trọng trong sự nghiệp cách mạng của Đảng.
Bài viết trình bày một số kinh nghiệm ở cơ sở.
""",
    "",
    "2\n3\n",
    "Số liệu năm 2024: 12 xã, 3 phường.\n",
]


@pytest.mark.parametrize("text", UNKNOWN)
def test_unknown_text_gets_no_invented_fields(text):
    doc, out = run(text)
    check(out, dict(kind="unknown", doc_type=None, number=None, symbol=None, issuer=None,
                    place=None, date=None, year=None, subject=None, addressees=[]))
    assert out.title is None and out.author is None and out.signer.name is None
    assert doc.body_start == 0


def test_portal_cross_check_warns_on_a_different_number():
    text = """Tải về Văn bản khác
ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 77/KH-UBND
Tuy Hòa, ngày 9 tháng 5 năm 2022
KẾ HOẠCH
Thực hiện công tác dân vận năm 2022
Thực hiện Kết luận số 120-KL/TW của Bộ Chính trị;
Các đơn vị thực hiện.
Nơi nhận:
- Lưu: VT.
Văn bản gốc
Trích lược
Số hiệu: 78/KH-UBND   Loại văn bản: Kế hoạch
"""
    doc, out = run(text)
    assert out.number == "77/KH-UBND"
    assert any("78/KH-UBND" in w for w in out.warnings)


# --- the shared corpus (all formats a reader is ready for) ------------------------------------
def _gold_pairs():
    docs, gold = SHARED / "corpus" / "docs", SHARED / "corpus" / "gold"
    if not docs.is_dir():
        pytest.skip(f"../shared not found: {SHARED}")
    for path in sorted(docs.iterdir()):
        stem = path.name.split(".")[0]
        g = gold / f"{stem}.json"
        if g.exists():
            yield path, json.loads(g.read_text("utf-8"))


def _norm(v):
    from danvan_cli.normalize import fold_tones
    return " ".join(fold_tones(v).replace("*", "").split()).casefold() if isinstance(v, str) else v


def test_shared_corpus_header_fields():
    from danvan_cli.readers import ReadError, read
    checked = 0
    for path, gold in _gold_pairs():
        if path.suffix != ".txt":
            continue                      # other formats: see the score tool; readers vary
        try:
            ext = read(str(path))
        except ReadError:
            continue
        doc = layout.build(ext)
        out = Document(source=str(path), sha256="", format=ext.format)
        header.run(doc, out)
        for k in ("doc_type", "number", "symbol", "issuer", "place", "date", "year", "subject",
                  "addressees"):
            if k in gold:
                got = [_norm(x) for x in getattr(out, k)] if k == "addressees" else _norm(getattr(out, k))
                want = [_norm(x) for x in gold[k]] if k == "addressees" else _norm(gold[k])
                assert got == want, (path.name, k)
        checked += 1
    assert checked >= 1
