"""The regex pieces every parser shares, named and commented in one place.

Patterns are written for text that went through ``normalize.clean_chars`` and
``normalize.fold_tones`` (NFC, one tone placement, plain spaces). Compile with the ``regex``
module; ``(?i)`` is set where case varies in real documents. Each section belongs to one
parser; pieces used by several parsers sit at the top.
"""
from __future__ import annotations

# --- dates ------------------------------------------------------------------------------------
# Day and month as printed: "03", "3", "22". Bounds are checked when the date is built.
DAY = r"(?P<day>[0-3]?\d)"
MONTH = r"(?P<month>[01]?\d)"
YEAR = r"(?P<year>(?:19|20)\d\d)"
# Separators of the numeric form: "22/4/2020", "15-01-2019", "15.01.2019"; a space may stand
# on either side in extracted text ("25/ 3/2024").
DATE_SEP = r"\s?[/.\-]\s?"
# "ngày 22 tháng 4 năm 2020"; the year may be missing ("ngày 25 tháng 10"). "ngày" itself is
# matched by the callers that need it.
DATE_WORDS = rf"{DAY}\s+tháng\s+{MONTH}(?:\s*(?:năm|,)\s*{YEAR})?"
# "22/4/2020", "03/6/2013", "01/6" (year from the document)
DATE_NUMERIC = rf"{DAY}{DATE_SEP}{MONTH}(?:{DATE_SEP}{YEAR})?(?![\d/])"
DATE_ANY = rf"(?:{DATE_WORDS}|{DATE_NUMERIC})"

# --- document numbers (số ký hiệu) -----------------------------------------------------------
# State form <number>[/<year>]/<TYPE>-<BODY>: 1954/KH-UBND, 59/2023/NĐ-CP, 6888/VPCP-V.I.
# Party form <number>-<TYPE>/<BODY>: 25-NQ/TW, 110-KH/BDVTU-BCSĐUBND. Codes are upper-case
# letters with Đ, a few mixed-case ("CTr", "QyĐ", "QĐi"), digits and dots inside ("V.I").
CODE = r"[A-ZĐ][A-Za-zĐđ0-9]*(?:\.[A-ZĐ0-9]+)*"
CODES = rf"{CODE}(?:\s?-\s?{CODE})*"
# The codes of a joint symbol as damaged text prints them: a hyphen (or an en dash) glued to
# the code before it, and a space after it where a line-end hyphen lost its line break
# ("1122/CTPH- UBND-BDV"). A space *before* the hyphen is not taken: "16/CT-TTg - UBND tỉnh"
# is a number followed by a dash, not one long symbol.
CODE_JOIN = r"[-–]\s?"
CODES_LOOSE = rf"{CODE}(?:{CODE_JOIN}{CODE})*"
# The number itself: 1 to 5 digits. The year of a normative State document is 4 digits; 5 are
# allowed to keep the typo "45/25010/NĐ-CP" readable.
NUM_DIGITS = r"[0-9]{1,5}"
NUM_YEAR = r"[0-9]{4,5}"
# State form, spaces tolerated around the slashes ("31 /KH-UBND"): 59/2023/NĐ-CP, 575/UBND-NC.
STATE_NUMBER = rf"{NUM_DIGITS}(?:\s?/\s?{NUM_YEAR})?\s?/\s?{CODES_LOOSE}"
# Party form, spaces tolerated around the hyphen ("46 - CT/TW"): 25-NQ/TW, 110-KH/BDVTU-BCSĐUBND.
PARTY_NUMBER = rf"{NUM_DIGITS}\s?[-–]\s?{CODE}\s?/\s?{CODES_LOOSE}"
# A number stands alone: no letter, digit or number punctuation glued before it ("T78-HN",
# "2/2021/..." inside a longer token), no letter or digit after it. parse.citations also
# accepts a lone "s" glued before it ("s1122/CTPH-..." where extraction ate "số").
NUMBER_LEFT = r"(?<![\p{L}0-9/.\-–])"
NUMBER_RIGHT = r"(?![\p{L}0-9])"
DOC_NUMBER = rf"{NUMBER_LEFT}(?:{PARTY_NUMBER}|{STATE_NUMBER}){NUMBER_RIGHT}"

# --- citations (parse.citations) ---------------------------------------------------------------
# The word "số" before a number, doubled by some drafts ("số số"), with a colon in headers.
SO_WORD = r"(?:số\s*[:.]?\s*)"
# Type words that name a cited document, longest first so "Thông tư liên tịch" wins over
# "Thông tư". Matched case-insensitively on fold_tones text; parse.citations maps each to its
# display form ("Chương trình phối hợp" -> "Chương trình").
CITE_TYPE_WORDS = (
    "Thông tư liên tịch", "Nghị quyết liên tịch", "Chương trình phối hợp", "Chương trình hành động",
    "Kế hoạch phối hợp", "Kế hoạch liên tịch", "Quy chế phối hợp", "Hướng dẫn liên tịch",
    "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị", "Kế hoạch", "Chương trình", "Kết luận",
    "Quy định", "Quy chế", "Thông tư", "Thông báo", "Thông tri", "Thông cáo", "Hướng dẫn",
    "Công văn", "Văn bản", "Công điện", "Pháp lệnh", "Bộ luật", "Hiến pháp", "Luật", "Lệnh",
    "Đề án", "Phương án", "Dự án", "Báo cáo", "Tờ trình", "Biên bản", "Hợp đồng", "Điều lệ",
    "Giấy mời", "Sắc lệnh",
)
# Names that stand between the type word and "số" in a law's citation:
# "Luật Tổ chức chính quyền địa phương số 77/2015/QH13". No second "Luật", no punctuation.
LAW_TYPE_WORDS = ("Bộ luật", "Luật", "Pháp lệnh")
LAW_NAME = r"(?:(?!(?i:luật|pháp lệnh)\b)[^;:()\[\]“”\"\n.])(?:(?!\b(?i:luật|pháp lệnh)\b)[^;:()\[\]“”\"\n.]){0,110}?"
# Footnote marks glued after a reference: "18-NQ/TW³", "Tỉnh ủy[1]", "tỉnh⁽¹⁾".
FOOTNOTE_MARK = r"(?:\[[0-9]{1,3}\]|⁽?[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾?)"
# A line that is a footnote's text, when the reader could not move footnotes out: "[1] ...",
# "¹ ...", "⁽¹⁾ ...".
FOOTNOTE_LINE = rf"^\s*{FOOTNOTE_MARK}\s*\S"
# Words introducing a form or an attachment, not a cited document: "Mẫu số 01/BC", "Biểu 02/TH".
NOT_A_CITATION_BEFORE = r"(?i:mẫu|biểu|phụ lục|bảng|phiếu|tờ khai)\s*(?:số\s*)?[:.]?\s*$"
# The opening paragraphs that state what a document rests on ("Căn cứ", "Thực hiện" ...),
# written with a capital as a paragraph's first words (an all-capitals title "THỰC HIỆN CÔNG
# TÁC ..." is not one); a bullet may stand before.
BASIS_START = r"^\s*(?:[-–+•*]\s*)?(?:Căn cứ|Thực hiện|Triển khai|Thi hành|Trên cơ sở)\b"
# Short names: "(sau đây viết tắt là Chỉ thị số 49-CT/TU)", "(sau đây gọi tắt là Nghị quyết 25)".
SHORT_NAME_INTRO = r"(?i:(?:sau\s+đây\s+)?(?:gọi|viết)\s+tắt\s+là)\s*:?\s*"
