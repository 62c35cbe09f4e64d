"""Plain text: encodings (UTF-8/16, Windows-1258, TCVN3, VNI), paragraphs cut by page breaks,
footnotes recognised by their mark. The legacy tables are checked by round trip on hand-written
Vietnamese: encoded with the inverse table, decoded back."""
from __future__ import annotations

import unicodedata

import pytest

from danvan_cli.readers import ReadError, read
from danvan_cli.readers import legacy
from danvan_cli.readers.base import Block
from danvan_cli.readers.txt import continues, decode_bytes, finish_blocks, join_text

# Hand-written sentences in the register of the documents, covering every tone on every vowel.
SENTENCES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam - Độc lập - Tự do - Hạnh phúc",
    "Ủy ban nhân dân xã Phổ An ban hành Kế hoạch số 12/KH-UBND ngày 05/3/2025.",
    "Giao Văn phòng chủ trì, phối hợp với các đoàn thể tuyên truyền “Dân vận khéo”.",
    "Thực hiện nghiêm quy chế dân chủ ở cơ sở; báo cáo trước ngày 15 tháng 11 năm 2025.",
    "Nhiễu loạn, kỹ thuật, thuở trước, khuỷu tay, ngoằn ngoèo, nguệch ngoạc, quyển sổ, ẵm bồng.",
    "Tỉnh ủy, Huyện ủy, Đảng ủy; chỉ thị, nghị quyết, kết luận; ưu tiên, ước mơ, ứng xử, người dân.",
]

# Every letter of the alphabet with every tone (Unicode NFC).
_VOWELS = "aăâeêioôơuưy"
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
ALL_LOWER = [unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES] + ["đ"]


def test_vni_table_covers_every_letter_both_cases():
    for letter in ALL_LOWER + [x.upper() for x in ALL_LOWER]:
        assert legacy.decode_vni(legacy.encode_vni(letter)) == letter, letter


def test_tcvn3_table_covers_every_lowercase_letter_and_the_base_capitals():
    for letter in ALL_LOWER + list("ĂÂÊÔƠƯĐ"):
        assert legacy.decode_tcvn3(legacy.encode_tcvn3(letter)) == letter, letter
    with pytest.raises(ValueError):
        legacy.encode_tcvn3("Ấ")          # TCVN3 has no toned capitals


@pytest.mark.parametrize("sentence", SENTENCES)
def test_vni_round_trip(sentence):
    encoded = legacy.encode_vni(sentence)
    assert encoded != sentence and encoded.encode("cp1252")    # one byte per character
    assert legacy.decode_vni(encoded) == sentence


@pytest.mark.parametrize("sentence", SENTENCES)
def test_tcvn3_round_trip(sentence):
    # TCVN3 writes toned capitals with a separate font: test the lower-case text.
    text = sentence.lower()
    encoded = legacy.encode_tcvn3(text)
    assert encoded.encode("cp1252")
    assert legacy.decode_tcvn3(encoded) == text


@pytest.mark.parametrize("surface, expected", [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("UÛy ban nhaân daân tænh Bình Döông", "Ủy ban nhân dân tỉnh Bình Dương"),
    ("Kyõ thuaät, ngoaèn ngoeøo, khuyûu tay", "Kỹ thuật, ngoằn ngoèo, khuỷu tay"),
])
def test_detect_and_convert_known_surfaces(surface, expected):
    text, enc = legacy.detect_and_convert(surface)
    assert enc in ("tcvn3", "vni")
    assert text == expected


@pytest.mark.parametrize("text", [
    "Thực hiện công tác dân vận chính quyền năm 2025",      # Unicode Vietnamese
    "The quick brown fox jumps over the lazy dog.",           # English
    "Café à la française, déjà vu, naïve",                    # French with Latin-1 letters
    "12/KH-UBND 15/11/2025",                                  # no letters to judge
])
def test_detect_and_convert_leaves_other_text_alone(text):
    assert legacy.detect_and_convert(text) == (text, None)


def test_vietnamese_score_tells_text_from_gibberish():
    good, n = legacy.vietnamese_score(" ".join(SENTENCES))
    assert good > 0.95 and n > 30
    bad, _ = legacy.vietnamese_score(legacy.encode_vni(" ".join(SENTENCES)))
    assert bad < 0.3


def _to_cp1258(text: str) -> bytes:
    """Windows-1258: â ê ô ơ ư ă đ precomposed, the five tones as combining marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c in "\u0302\u0306\u031b" or not unicodedata.combining(c)))
        tones = "".join(c for c in nfd if unicodedata.combining(c) and c not in "\u0302\u0306\u031b")
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


TEXT = "\n".join(SENTENCES) + "\n"


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),                        # with a byte order mark
    (TEXT.encode("utf-16-le"), "utf-16"),                     # without one
    (TEXT.encode("utf-16-be"), "utf-16"),
    (_to_cp1258(TEXT), "cp1258"),
    (legacy.encode_vni(TEXT).encode("cp1252"), "vni"),
])
def test_decode_bytes(data, encoding):
    text, enc = decode_bytes(data)
    assert enc == encoding
    assert unicodedata.normalize("NFC", text) == TEXT


def test_decode_tcvn3_bytes():
    text = TEXT.lower()
    got, enc = decode_bytes(legacy.encode_tcvn3(text).encode("cp1252"))
    assert (got, enc) == (text, "tcvn3")


def test_utf8_file_holding_legacy_characters_is_converted():
    # Text typed in .VnTime and saved as UTF-8 without converting the font.
    got, enc = decode_bytes(legacy.encode_tcvn3(TEXT.lower()).encode("utf-8"))
    assert enc == "utf-8+tcvn3" and got == TEXT.lower()


def test_read_legacy_files(tmp_path):
    f = tmp_path / "cu-tcvn3.txt"
    f.write_bytes(legacy.encode_tcvn3("ủy ban nhân dân xã\nKế hoạch thực hiện quy chế dân chủ ở cơ sở năm 2025\n").encode("cp1252"))
    ext = read(str(f))
    assert ext.metadata["encoding"] == "tcvn3"
    assert ext.blocks[0].text == "ủy ban nhân dân xã"
    g = tmp_path / "cu-vni.txt"
    g.write_bytes(legacy.encode_vni("Ủy ban nhân dân xã\nKế hoạch thực hiện quy chế dân chủ ở cơ sở\n").encode("cp1252"))
    ext = read(str(g))
    assert ext.metadata["encoding"] == "vni"
    assert [b.text for b in ext.blocks] == ["Ủy ban nhân dân xã", "Kế hoạch thực hiện quy chế dân chủ ở cơ sở"]


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"   \n\n \t\n", "no text"),
    (b"\x00\x01\x02binary\x00\x00" * 50, "binary"),
    (bytes([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x01, 0x02]) * 100, "encoding"),
])
def test_unreadable_text_files(tmp_path, content, reason):
    f = tmp_path / "x.txt"
    f.write_bytes(content)
    with pytest.raises(ReadError) as e:
        read(str(f))
    assert reason in str(e.value) and "\n" not in str(e.value)


# --- paragraphs and footnotes -----------------------------------------------------------------
@pytest.mark.parametrize("prev, nxt, joined", [
    ("tăng cường công tác tuyên truyền trên", "các phương tiện thông tin đại chúng", True),
    ("đáp ứng yêu", "cầu quản lý Nhà nước", True),
    ("V/v nâng cao hiệu quả hoạt", "động công tác dân vận", True),
    ("- Hội LHPN tỉnh, Hội Nông dân", "tỉnh, Tỉnh đoàn;", True),
    ("báo cáo kết quả thực hiện.", "các phòng chuyên môn thực hiện", False),   # closed
    ("Nơi nhận:", "- UBND tỉnh;", False),
    ("phối hợp thực hiện các nội dung sau", "a) Tuyên truyền, phổ biến", False),  # an item
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "độc lập", False),                # a title
    ("-------", "số liệu", False),                                             # a rule
    ("thực hiện tốt quy chế dân chủ", "Ủy ban nhân dân tỉnh yêu cầu", False),  # capital
])
def test_continues(prev, nxt, joined):
    assert continues(prev, nxt) is joined


@pytest.mark.parametrize("prev, nxt, expected", [
    ("Kế hoạch số 110-KH/BDVTU\ufffe", "BCSĐUBND ngày 18/3", "Kế hoạch số 110-KH/BDVTU-BCSĐUBND ngày 18/3"),
    ("Công văn số 2769/UBND-", "NCKSTTHC ngày 12/3", "Công văn số 2769/UBND-NCKSTTHC ngày 12/3"),
    ("phát triển kinh tế -", "xã hội", "phát triển kinh tế - xã hội"),
    ("giai đoạn 2021-", "2025", "giai đoạn 2021-2025"),
    ("tổ chức tuyên truyền trên", "các phương tiện", "tổ chức tuyên truyền trên các phương tiện"),
])
def test_join_text(prev, nxt, expected):
    assert join_text(prev, nxt) == expected


def test_finish_blocks_marks_footnotes_and_rejoins_the_cut_paragraph():
    blocks = [Block(t) for t in (
        "Báo Kon Plông tăng cường công tác tuyên truyền¹ trên",
        "¹ Kế hoạch số 12-KH/BDVTU ngày 05/01/2025 của Ban Dân vận Tỉnh ủy.",
        "⁽²⁾ Công văn số 7/UBND-VP ngày 02/02/2025.",
        "các phương tiện thông tin đại chúng.",
        "Theo Quy chế số 10-QC/TU[3] của Tỉnh ủy.",
        "[3] Quy chế số 10-QC/TU ngày 18/01/2018.",
        "[4] Không có dẫn chiếu nào tới dòng này.",
    )]
    out = finish_blocks(blocks)
    body = [b.text for b in out if not b.footnote]
    notes = [(b.mark, b.text) for b in out if b.footnote]
    assert body == ["Báo Kon Plông tăng cường công tác tuyên truyền¹ trên các phương tiện thông tin đại chúng.",
                    "Theo Quy chế số 10-QC/TU[3] của Tỉnh ủy.",
                    "[4] Không có dẫn chiếu nào tới dòng này."]
    assert notes == [("1", "Kế hoạch số 12-KH/BDVTU ngày 05/01/2025 của Ban Dân vận Tỉnh ủy."),
                     ("2", "Công văn số 7/UBND-VP ngày 02/02/2025."),
                     ("3", "Quy chế số 10-QC/TU ngày 18/01/2018.")]


def test_columns_are_not_joined_across():
    out = finish_blocks([Block("V/v triển khai thực hiện", column="left"),
                         Block("quy chế dân chủ", column="left"),
                         Block("ngày 05 tháng", column="right"),
                         Block("năm 2025", column=None)])
    assert [(b.text, b.column) for b in out] == [
        ("V/v triển khai thực hiện quy chế dân chủ", "left"), ("ngày 05 tháng", "right"),
        ("năm 2025", None)]


def test_markdown_bold_lines(tmp_path):
    f = tmp_path / "x.md"
    f.write_text("Nơi nhận:\n- Lưu: VT.\n\n**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n\nTrần Văn A\n", encoding="utf-8")
    ext = read(str(f))
    assert ext.format == "md"
    assert [(b.text, b.bold) for b in ext.blocks] == [
        ("Nơi nhận:", False), ("- Lưu: VT.", False), ("**KT. CHỦ TỊCH", True),
        ("PHÓ CHỦ TỊCH**", True), ("Trần Văn A", False)]
