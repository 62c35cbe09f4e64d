"""Saved web pages, Word 97 .doc through antiword (or LibreOffice), and files whose name lies
about their content."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from danvan_cli.readers import ReadError, read, sniff_format
from danvan_cli.readers.doc import antiword_blocks
from danvan_cli.readers.legacy import encode_vni

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# A page saved from a legal portal, written for the tests: site chrome around the document,
# the document's header in a two-cell table, a footnote in Word's web style, the portal's
# metadata box after it.
PORTAL = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Kế hoạch 12/KH-UBND</title>
<script>var tracking = "Số hiệu: 99/XX";</script><style>.menu{color:red}</style></head>
<body>
<div class="menu-top"><ul><li><a href="/">Trang chủ</a></li><li>Văn bản pháp luật</li></ul></div>
<nav class="breadcrumb">Văn bản &gt; Kế hoạch</nav>
<header><div class="logo">Cổng thông tin văn bản</div></header>
<div id="content">
 <h1 class="doc-title">Kế hoạch 12/KH-UBND năm 2025 về công tác dân vận chính quyền xã An Bình</h1>
 <table width="100%"><tr>
  <td><b>ỦY BAN NHÂN DÂN<br>XÃ AN BÌNH</b><br>-------<br>Số: 12/KH-UBND</td>
  <td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b><br>---------------<br>
      <i>An Bình, ngày 05 tháng 3 năm 2025</i></td>
 </tr></table>
 <p align="center"><b>KẾ HOẠCH</b></p>
 <p style="text-align: center"><b>Thực hiện công tác dân vận chính quyền năm 2025</b></p>
 <p>Thực hiện Kế hoạch số 30/KH-UBND của UBND huyện<a href="#_ftn1" name="_ftnref1">[1]</a>,
    UBND xã ban hành kế hoạch thực hiện như sau:</p>
 <p>1. Giao Văn phòng chủ trì, báo cáo kết quả trước ngày 15/11/2025.</p>
 <table><tr><td><p><b><i>Nơi nhận:</i></b><br>- UBND huyện;<br>- Lưu: VT.</p></td>
  <td><p align="center"><b>TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH</b></p><p align="center"><b>Trần Văn An</b></p></td></tr></table>
 <div id="ftn1"><p><a href="#_ftnref1" name="_ftn1">[1]</a> Kế hoạch số 30/KH-UBND ngày 01/02/2025 của UBND huyện.</p></div>
 <div class="thuoc-tinh"><table>
  <tr><td>Số hiệu:</td><td>12/KH-UBND</td><td>Loại văn bản:</td><td>Kế hoạch</td></tr>
  <tr><td>Nơi ban hành:</td><td>Xã An Bình</td><td>Người ký:</td><td>Trần Văn An</td></tr>
  <tr><td>Ngày ban hành:</td><td>05/03/2025</td><td>Tình trạng:</td><td>Còn hiệu lực</td></tr>
 </table></div>
</div>
<div class="social-share">Chia sẻ: Facebook</div>
<div id="comments"><form><textarea>Ý kiến của bạn</textarea><button>Gửi</button></form></div>
<footer>© Cổng thông tin. Địa chỉ: số 1 đường A.</footer>
</body></html>
"""


def test_saved_portal_page(tmp_path):
    f = tmp_path / "ke-hoach.html"
    f.write_text(PORTAL, encoding="utf-8")
    ext = read(str(f))
    assert ext.format == "html"
    texts = [b.text for b in ext.blocks]
    joined = "\n".join(texts)
    for chrome in ("Trang chủ", "Văn bản >", "Cổng thông tin văn bản", "Chia sẻ", "Ý kiến", "Bản quyền",
                   "tracking", "color:red", "©"):
        assert chrome not in joined, chrome
    assert ext.metadata["portal"] == {"Số hiệu": "12/KH-UBND", "Loại văn bản": "Kế hoạch",
                                      "Nơi ban hành": "Xã An Bình", "Người ký": "Trần Văn An",
                                      "Ngày ban hành": "05/03/2025", "Tình trạng": "Còn hiệu lực"}
    left = [(b.text, b.bold) for b in ext.blocks if b.column == "left"]
    right = [b.text for b in ext.blocks if b.column == "right"]
    assert left[:4] == [("ỦY BAN NHÂN DÂN", True), ("XÃ AN BÌNH", True), ("-------", False),
                        ("Số: 12/KH-UBND", False)]
    assert right[:4] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "---------------", "An Bình, ngày 05 tháng 3 năm 2025"]
    assert [b.text for b in ext.blocks if b.centered] == [
        "KẾ HOẠCH", "Thực hiện công tác dân vận chính quyền năm 2025", "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH", "Trần Văn An"]
    assert "Thực hiện Kế hoạch số 30/KH-UBND của UBND huyện[1], UBND xã ban hành kế hoạch thực hiện như sau:" in texts
    assert [b.text for b in ext.blocks if b.column == "left"][-3:] == ["Nơi nhận:", "- UBND huyện;", "- Lưu: VT."]
    notes = [(b.mark, b.text) for b in ext.blocks if b.footnote]
    assert notes == [("1", "Kế hoạch số 30/KH-UBND ngày 01/02/2025 của UBND huyện.")]


def test_word_web_page_in_windows_1258(tmp_path):
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
            '</head><body><div class=WordSection1><p class=MsoNormal>Kính gửi: Các thôn.</p>'
            '<p class=MsoNormal>Đề nghị báo cáo trước ngày 20/4/2025.</p></div></body></html>')
    from test_readers_text import _to_cp1258
    f = tmp_path / "trang.htm"
    f.write_bytes(_to_cp1258(html))
    ext = read(str(f))
    assert [b.text for b in ext.blocks] == ["Kính gửi: Các thôn.", "Đề nghị báo cáo trước ngày 20/4/2025."]
    assert ext.metadata["encoding"] == "windows-1258"


def test_web_page_in_a_legacy_font(tmp_path):
    body = encode_vni("Ủy ban nhân dân xã An Bình triển khai quy chế dân chủ ở cơ sở năm 2025.")
    f = tmp_path / "vni.html"
    f.write_bytes(f'<html><body><p><font face="VNI-Times">{body}</font></p></body></html>'.encode("cp1252"))
    ext = read(str(f))
    assert ext.blocks[0].text == "Ủy ban nhân dân xã An Bình triển khai quy chế dân chủ ở cơ sở năm 2025."
    assert "vni" in ext.metadata["encoding"]


# --- .doc -------------------------------------------------------------------------------------
ANTIWORD_OUT = """
|-------                        |CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM  |
|Số:       /KH-UBND             |Độc lập - Tự do - Hạnh phúc         |
|                               |Phổ An, ngày      tháng 3 năm 2025  |

KẾ HOẠCH

Thực hiện công tác dân vận năm 2025[pic]

|STT |Nội dung            |Thời hạn  |
|1   |Báo cáo quý I       |20/4/2025 |

|Nơi nhận:                      |TM. ỦY BAN NHÂN DÂN                 |
|- UBND huyện;                  |                                    |
|- Lưu: VT.                     |CHỦ TỊCH                            |
"""


def test_antiword_tables():
    blocks = antiword_blocks(ANTIWORD_OUT)
    assert [(b.text, b.column, b.in_table) for b in blocks] == [
        ("-------", "left", False), ("Số: /KH-UBND", "left", False),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right", False), ("Độc lập - Tự do - Hạnh phúc", "right", False),
        ("Phổ An, ngày tháng 3 năm 2025", "right", False),
        ("KẾ HOẠCH", None, False), ("Thực hiện công tác dân vận năm 2025", None, False),
        ("STT", None, True), ("Nội dung", None, True), ("Thời hạn", None, True),
        ("1", None, True), ("Báo cáo quý I", None, True), ("20/4/2025", None, True),
        ("Nơi nhận:", "left", False), ("- UBND huyện;", "left", False), ("- Lưu: VT.", "left", False),
        ("TM. ỦY BAN NHÂN DÂN", "right", False), ("CHỦ TỊCH", "right", False)]


def test_doc_without_any_converter(tmp_path, monkeypatch):
    f = tmp_path / "cu.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setattr(shutil, "which", lambda cmd, *a, **k: None)
    with pytest.raises(ReadError) as e:
        read(str(f))
    assert "antiword" in str(e.value) and "LibreOffice" in str(e.value)


def test_broken_doc_is_refused_in_one_line(tmp_path):
    if not (shutil.which("antiword") or shutil.which("soffice")):
        pytest.skip("neither antiword nor LibreOffice is installed")
    f = tmp_path / "hong.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    with pytest.raises(ReadError) as e:
        read(str(f))
    assert "\n" not in str(e.value)


def test_real_doc(shared_docs):
    if not shutil.which("antiword"):
        pytest.skip("antiword is not installed (apt install antiword)")
    files = sorted(shared_docs.glob("*.doc"))
    if not files:
        pytest.skip("no .doc in the shared corpus")
    for f in files:
        ext = read(str(f))
        assert ext.format == "doc" and ext.metadata["converter"] == "antiword"
        number = [b for b in ext.blocks if b.text.startswith("Số:")]
        assert number and number[0].column == "left", f.name
        assert any(b.column == "right" and b.text.startswith("CỘNG HÒA") for b in ext.blocks), f.name
        assert any(b.text == "Nơi nhận:" and b.column == "left" for b in ext.blocks), f.name


# --- content over name ------------------------------------------------------------------------
@pytest.mark.parametrize("name, head, fmt", [
    ("a.txt", b"%PDF-1.4\n", "pdf"),
    ("a.docx", b"%PDF-1.7\n", "pdf"),
    ("a.pdf", b"PK\x03\x04", "docx"),
    ("a.txt", b"\xd0\xcf\x11\xe0", "doc"),
    ("a.doc", b"{\\rtf1\\ansi", "rtf"),
    ("a.txt", b"<!DOCTYPE html><html>", "html"),
    ("a.md", "# Kế hoạch".encode(), "md"),
    ("a.htm", b"plain words", "html"),
])
def test_sniff_format(name, head, fmt):
    assert sniff_format(name, head) == fmt


@pytest.mark.parametrize("name, head", [
    ("a.pdf", b"Thuc hien cong tac dan van"),
    ("a.docx", bytes(range(1, 200))),
    ("a.doc", b"\x00\x01\x02\x03" * 50),
])
def test_sniff_refuses_a_lying_name(name, head):
    with pytest.raises(ReadError, match=f"not a {name.rsplit('.', 1)[1]} file"):
        sniff_format(name, head)


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    f = tmp_path / "thuc-ra-la-pdf.txt"
    f.write_bytes((FIXTURES / "cong-van-mau.pdf").read_bytes())
    assert read(str(f)).format == "pdf"


def test_directory_and_missing_file(tmp_path):
    with pytest.raises(ReadError, match="directory"):
        read(str(tmp_path))
    with pytest.raises(ReadError, match="No such file"):
        read(str(tmp_path / "khong-co.txt"))
