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

# --- outline (parse.outline) -------------------------------------------------------------------
# Heading lines of the body, matched at a line start on fold_tones text. Each captures the
# printed label ("II.", "3.", "a)", "Điều 1.", "Chương I", "PHỤ LỤC 02") as `label`, the number
# as `num` and the rest of the line as `title`; parse.outline checks the numbering sequence and
# the line before, so a match is a candidate, not yet a heading.
#
# Roman sections "I. MỤC ĐÍCH, YÊU CẦU", "II: Nội dung", "III." (title on the next line). Only
# I, V, X ("C.", "D.", "L." alone are letters); a digit after the dot is another label ("I.1.").
ROMAN_HEADING = r"^(?P<label>(?P<num>[IVX]{1,6})\s*[.:])(?:\s*(?P<title>[^\d\s].*)|\s*)$"
# A Roman label as OCR misreads it ("L Mục đích" for "I.", "HL." for "III.", "TV." for "IV."):
# tried on OCR text only, and kept only where the numbering expects that very number.
OCR_ROMAN_HEADING = r"^(?P<label>(?P<num>[IVXLHTYl]{1,5})\s*[.:,]?)\s+(?P<title>\p{Lu}.*)$"
# Arabic items "1. Tổ chức ...", "2) ...", "1.2. ...", "1.2 ...". The title starts with a letter
# or a bracket, or with a digit after a space ("1. 100% cán bộ ..."): "1.000 người",
# "15.01.2019" and "2024. Các ..." (four digits) are not items.
ARABIC_HEADING = (r"^(?P<label>(?P<num>\d{1,3}(?:\.\d{1,2})*)\s*[.)]|(?P<num2>\d{1,3}(?:\.\d{1,2})+)(?=\s))"
                  r"(?:\s*(?P<title>[^\d\s.,;:/\-–].*)|\s+(?P<title2>\d.*))$")
# Words that end a line cut before a number ("... theo khoản" / "3. Điều 5 ..."): a line after
# one of them that starts with a number continues the sentence, even when that number is due.
NUMBER_LEAD_WORD_LIST = ("khoản", "điểm", "điều", "mục", "tiểu mục", "số", "tại", "tiết", "chương",
                         "phần", "và", "hoặc", "ngày", "tháng", "năm", "quý", "giai đoạn", "từ",
                         "đến", "gồm", "có", "là")
NUMBER_LEAD_WORDS = r"(?i)(?<!\p{L})(?:" + "|".join(NUMBER_LEAD_WORD_LIST) + r")\s*$"
# Lettered points "a) ...", "đ) ...", "b. ...", "c/ ..." (lower case; Vietnamese lists skip f, j,
# w, z and use đ after d).
LETTER_HEADING = r"^(?P<label>(?P<num>[a-zđ])\s*[).\/])\s*(?P<title>\S.*)$"
# Parts above the Roman sections: "A. ĐÁNH GIÁ ...", "B) ..." (I, V, X are Roman numerals).
PART_LETTER_HEADING = r"^(?P<label>(?P<num>[A-HJ-UWYĐ])\s*[.)])\s+(?P<title>\S.*)$"
# Articles "Điều 1. Ban hành ...", "Điều 2:", "ĐIỀU 3." — a dot or colon after the number, or
# nothing else on the line ("Điều 5 Nghị định ..." is a reference cut by a line end).
ARTICLE_HEADING = r"(?i)^(?P<label>Điều\s+(?P<num>\d{1,3})(?:\s*[.:]|\s*$))\s*(?P<title>.*)$"
# Chapters "Chương I", "CHƯƠNG II. NHIỆM VỤ", "Chương 3 - ..." (title on this or the next line;
# "Chương trình" is not one: a numeral must follow).
CHAPTER_HEADING = (r"(?i)^(?P<label>Chương\s+(?P<num>[IVXL]{1,7}|\d{1,2}))(?![\p{L}\d])"
                   r"\s*(?:[.:\-–]\s*)?(?P<title>.*)$")
# Parts "Phần I", "PHẦN THỨ NHẤT", "Phần 2".
PART_HEADING = (r"(?i)^(?P<label>Phần\s+(?P<num>thứ\s+\p{L}+|[IVX]{1,5}|\d{1,2}))(?![\p{L}\d])"
                r"\s*(?:[.:\-–]\s*)?(?P<title>.*)$")
# Appendices "PHỤ LỤC", "Phụ lục I", "PHỤ LỤC SỐ 02", "Phụ lục 1: DANH SÁCH ..." ("Phụ lục kèm
# theo ..." in a sentence is refused by parse.outline: its title starts in lower case).
APPENDIX_HEADING = (r"(?i)^(?P<label>Phụ\s+lục(?:\s+số)?(?:\s*(?P<num>[IVXL]{1,6}|\d{1,3}[a-z]?))?)"
                    r"(?![\p{L}\d])\s*(?:[.:\-–]\s*)?(?P<title>.*)$")
# The type line of a text annexed after the signature ("QUY CHẾ" over its subject and "(Ban
# hành kèm theo Quyết định số ...)"), in capitals and alone on its line.
ANNEX_TYPE_LINE = (r"^(?:QUY CHẾ|QUY ĐỊNH|ĐIỀU LỆ|HƯỚNG DẪN|NỘI QUY|QUY TRÌNH|CHƯƠNG TRÌNH|KẾ HOẠCH|"
                   r"ĐỀ ÁN|PHƯƠNG ÁN|DANH SÁCH|DANH MỤC|BIỂU MẪU|TIÊU CHÍ|MẪU(?: SỐ)?[^\p{Ll}]*)\s*$")

# --- closing (parse.closing) -------------------------------------------------------------------
# "Nơi nhận:" opening the recipients (items may follow on the same line). "Nơi nhận hồ sơ: ..."
# in a sentence is not one: a colon, the line end or a bullet must follow the two words.
NOI_NHAN = r"(?i)^\W{0,3}Nơi\s+nhận\s*(?::|$|(?=[-–+•]))"
# The bullet of a recipient item: "- Như trên;", "+ ...", "• ...".
RECIPIENT_BULLET = r"^\s*[-–—+•·*]\s*"
# Signature marks before the collective or the head a signer stands for, as State (TM., KT.)
# and Party (T/M, K/T) documents print them: TM. on behalf of a collective ("TM. ỦY BAN NHÂN
# DÂN"); KT. a deputy for the head; TL. by order; TUQ. by authorisation; Q. acting.
AUTHORITY_MARK = r"(?:T\.?\s?M\.|T\s?/\s?M\.?)"
ON_BEHALF_MARK = r"(?:K\.?\s?T\.|K\s?/\s?T\.?|T\.?\s?L\.|T\s?/\s?L\.?|T\.?U\.?Q\.?|Q\.)"
SIGN_MARK = rf"(?:{AUTHORITY_MARK}|{ON_BEHALF_MARK})"
# The first words of a signer's title, upper case: "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG BAN",
# "PHÓ BÍ THƯ", "CHÁNH VĂN PHÒNG", "THỨ TRƯỞNG", "HIỆU TRƯỞNG" ... Qualifiers may follow on the
# line ("GIÁM ĐỐC SỞ NỘI VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC").
SIGN_TITLE_HEAD = (r"(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|TỔNG\s+GIÁM\s+ĐỐC|GIÁM\s+ĐỐC|BÍ\s+THƯ|CHÁNH\s+\p{Lu}+|"
                   r"(?:BỘ|THỨ|HIỆU|VIỆN|CỤC|VỤ|TỔNG\s+CỤC|KẾ\s+TOÁN|CHỈ\s+HUY|XÃ\s+ĐỘI|ĐỘI|TRẠM|TỔ|"
                   r"KHOA|THỦ)\s+TRƯỞNG|TRƯỞNG(?:\s+\p{Lu}+)?|CHỦ\s+NHIỆM|ỦY\s+VIÊN|THỦ\s+TƯỚNG|"
                   r"TỔNG\s+BIÊN\s+TẬP|CHỦ\s+TỌA|THƯ\s+KÝ)(?![\p{L}])")
# The letters SIGN_TITLE_HEAD can start with (a quick test before the regex; keep in step,
# tests/test_speed_early_prefilters.py checks it).
SIGN_TITLE_INITIALS = "PCTGBHVKXĐỦ"
# Collectives whose name ends in a word a title starts with ("TM. BAN GIÁM ĐỐC", "TM. ĐOÀN CHỦ
# TỊCH"): a merged "TM. ... CHỦ TỊCH" line is not split after these words.
SIGN_COLLECTIVE_END = r"(?:BAN|ĐOÀN|HỘI\s+ĐỒNG|THƯỜNG\s+TRỰC)$"
# Lines of a signer block that are not the signer: "(Đã ký)", "(Ký, ghi rõ họ tên)", "(Ký tên,
# đóng dấu)", "[daky]", e-signature stamps "Ký bởi: ...", "Thời gian ký: ...".
SIGNATURE_NOTE = (r"(?i)^\W*(?:\(.*\b(?:ký|dấu)\b.*\)|\[?\s*(?:đã\s*ký|daky)\s*\]?|"
                  r"(?:ký\s+bởi|người\s+ký|email|cơ\s+quan|thời\s+gian\s+ký|ngày\s+ký|signed\s+by|"
                  r"digitally\s+signed|signature)\b.*)\W*$")
# What may stand before a signer's name on its line: a military or police rank ("Đại tá"), an
# academic title ("PGS.TS.", "ThS."). Kept in the name as printed.
NAME_PREFIX = (r"^(?:(?:Thiếu|Trung|Thượng|Đại)\s+(?:tướng|tá|úy)\s+|"
               r"(?:(?:GS|PGS|TS|TSKH|ThS|BS|KS|LS|NGƯT|NGND)\.?\s?)+(?=\s*\p{Lu}\p{Ll}))")
# Family names that open a signer's name line ("Đặng Minh Hưng", "VÕ THỊ THU HÀ"). A title-case
# line without one is still read as a name when it stands where the name goes in a signer block.
SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Vương", "Trịnh", "Trương", "Lâm", "Phùng", "Mai",
    "Tô", "Hà", "Tạ", "Quách", "Lương", "Đinh", "Thái", "Lưu", "Cao", "Kiều", "Châu", "Chu",
    "Tăng", "Hứa", "La", "Lò", "Triệu", "Đàm", "Thân", "Khổng", "Nông", "Mạc", "Từ", "Lại",
    "Giang", "Diệp", "Phí", "Âu", "Tôn", "Thạch", "Lục", "Bạch", "Ninh", "Quan",
    "Khúc", "Ông", "Doãn", "Lã", "Lữ", "Đồng", "Nghiêm", "Tống", "Hầu", "Vi", "Mã", "Ma", "Hàn",
    "Cù", "Bế", "Tiêu", "Cung", "Chử", "Nhữ", "Mẫn", "Viên", "Vòng", "Lạc", "Dư", "Đậu", "Thiều",
    "Trình", "Trà", "Ưng", "Biện", "Ung", "Lường", "Danh", "Y", "H'", "Ksor", "Rơ", "Siu", "Đàng",
    "Đường", "Giáp", "Khương", "Kha", "Lều", "Mông",
)

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
NOT_A_CITATION_BEFORE = r"(?<!\p{L})(?i:mẫu|biểu|phụ lục|bảng|phiếu|tờ khai)\s*(?:số\s*)?[:.]?\s*$"
# The opening paragraphs that state what a document rests on ("Căn cứ", "Thực hiện" ...),
# written with a capital as a paragraph's first words (an all-capitals title "THỰC HIỆN CÔNG
# TÁC ..." is not one); a bullet may stand before.
BASIS_START = r"^\s*(?:[-–+•*]\s*)?(?:Căn cứ|Thực hiện|Triển khai|Thi hành|Trên cơ sở)\b"
# Short names: "(sau đây viết tắt là Chỉ thị số 49-CT/TU)", "(sau đây gọi tắt là Nghị quyết 25)".
SHORT_NAME_INTRO = r"(?i:(?:sau\s+đây\s+)?(?:gọi|viết)\s+tắt\s+là)\s*:?\s*"

# --- header (parse.header, parse.kind) ---------------------------------------------------------
# Written for fold_tones text (one tone placement: "HÒA", "ỦY", "THỎA"); use with ``(?i)``
# where case varies. The national motto and the Party's, as one phrase or cut over two lines
# ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA" / "VIỆT NAM" in a narrow column).
MOTTO_STATE = r"cộng\s*hòa\s+xã\s+hội\s+chủ\s+nghĩa(?:\s+việt\s+nam)?"
MOTTO_SLOGAN = r"độc\s+lập\s*[-–—]\s*tự\s+do\s*[-–—]\s*hạnh\s+phúc"
MOTTO_PARTY = r"đảng\s+cộng\s+sản\s+việt\s+nam"
MOTTO_ANY = rf"(?:{MOTTO_STATE}|{MOTTO_SLOGAN}|{MOTTO_PARTY})"
# A rule under a header column or a title: "-------", "*" (Party), "---o0o---", "_____".
RULE_LINE = r"^[\s\-–—_=*.·~•]*(?:o0o|oOo|0o0)?[\s\-–—_=*.·~•]*$"
# Marks printed above or beside the header that are not the issuer: "DỰ THẢO", "MẬT", "KHẨN".
DOC_MARK = (r"^\s*\(?\s*(?:dự\s+thảo(?:\s+\d+)?|tối\s+mật|tuyệt\s+mật|mật|thượng\s+khẩn|hỏa\s+tốc"
            r"|khẩn|hẹn\s+giờ|bản\s+sao|sao\s+y(?:\s+bản\s+chính)?|mẫu\s+số\b.*|phụ\s+lục\b.*)\s*\)?\s*$")
# The words an issuing body's line starts with, in any case ("Ủy ban nhân dân tỉnh Đắk Lắk"
# printed in lower case by some sources). Upper-case header lines need no lexicon.
ISSUER_START = (r"^(?:ủy\s+ban|ubnd|ubmttq|hđnd|hội\s+đồng|sở|ban|bộ|(?:tỉnh|thành|huyện|thị|quận)"
                r"\s+ủy|đảng\s+(?:ủy|bộ)|chi\s+bộ|mặt\s+trận|công\s+an|phòng|văn\s+phòng|(?:tổng\s+|chi\s+)?cục"
                r"|trung\s+tâm|trường|hội|liên\s+đoàn|đoàn|thanh\s+tra|kho\s+bạc|bảo\s+hiểm|viện|tòa\s+án)\b")
# "Số: 1954/KH-UBND", "Số 25-NQ/TW", "Số: 31 /KH-UBND", "Số:    /UBND-KGVX" (blank number),
# "Số: 59/2023/NĐ-CP". The number may be blank (spaces, dots, underscores); the symbol stays.
# Codes may be joined by a hyphen with spaces around it in a header ("KH - UBND").
HEADER_CODES = rf"{CODE}(?:\s?[-–]\s?{CODE})*"
NUMBER_BLANK = r"[\s._…]*"
NUMBER_BODY = (r"(?:"
               rf"(?P<pnum>\d{{1,5}})?{NUMBER_BLANK}[-–]\s*(?P<psym>{CODE}\s?/\s?{HEADER_CODES})"
               rf"|(?P<snum>\d{{1,5}})?{NUMBER_BLANK}(?:/\s*(?P<syear>(?:19|20)\d\d)\s*)?/\s*(?P<ssym>{HEADER_CODES})"
               r")(?![\p{L}\d])")
NUMBER_LINE = rf"^\s*(?i:số)(?:\s*[:.]\s*|\s+|(?=[\d/])){NUMBER_BODY}"
# "Số:" alone (the number on the next line, or nothing printed at all).
NUMBER_WORD_ALONE = r"^\s*(?i:số)\s*[:.]?\s*$"
# The date of issue in the header, blanks allowed: "ngày 22 tháng 4 năm 2020",
# "ngày    tháng    năm 2024", "ngày … tháng … năm 20…", "ngày 03/3/2023", "22/4/2020".
_BLANK = r"[\s._…\-]*"
HEADER_DATE = (rf"(?i:ngày){_BLANK}(?P<d>\d{{1,2}})?{_BLANK}(?i:tháng){_BLANK}(?P<m>\d{{1,2}})?{_BLANK}"
               rf"(?:(?i:năm){_BLANK}(?P<y>(?:19|20)\d\d)?[\d._…]*)?"
               rf"|(?:(?i:ngày)\s*)?(?P<d2>\d{{1,2}})\s*[/.\-]\s*(?P<m2>\d{{1,2}})\s*[/.\-]\s*(?P<y2>(?:19|20)\d\d)")
# A place name before the date: capitalised words ("Bình Dương", "TP. Hồ Chí Minh",
# "Phan Rang - Tháp Chàm", "Buôn Ma Thuột").
PLACE_WORD = r"\p{Lu}[\p{L}.']*"
PLACE = rf"{PLACE_WORD}(?:\s*-\s*{PLACE_WORD}|\s+{PLACE_WORD}){{0,6}}"
PLACE_DATE = rf"(?P<place>{PLACE})\s*,\s*(?=(?i:ngày)|\d{{1,2}}\s*[/.\-]\s*\d{{1,2}}\s*[/.\-]\s*\d{{4}})"
# A công văn's subject in the left column: "V/v nâng cao ...".
VV = r"^\s*[Vv]\s*/\s*[Vv]\b\.?\s*:?\s*"
KINH_GUI = r"^\s*(?i:kính\s+gửi)\s*[:.]?\s*"
# Printed type names, upper case as printed (matched case-sensitively on fold_tones text).
# Compound names count only when they fill the line ("CHƯƠNG TRÌNH PHỐI HỢP"); otherwise the
# first word pair is the type and the rest starts the subject.
DOC_TYPE_NAMES = (
    "KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO", "THÔNG BÁO", "CHỈ THỊ", "TỜ TRÌNH", "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH", "NGHỊ QUYẾT", "KẾT LUẬN", "QUY CHẾ", "QUY ĐỊNH", "ĐỀ ÁN", "PHƯƠNG ÁN",
    "DỰ ÁN", "GIẤY MỜI", "BIÊN BẢN", "CÔNG ĐIỆN", "THÔNG TRI", "THÔNG CÁO", "NGHỊ ĐỊNH",
    "THÔNG TƯ", "PHÁP LỆNH", "HỢP ĐỒNG", "BẢN GHI NHỚ", "BẢN THỎA THUẬN", "GIẤY ỦY QUYỀN",
    "GIẤY GIỚI THIỆU", "GIẤY NGHỈ PHÉP", "PHIẾU GỬI", "PHIẾU CHUYỂN", "PHIẾU BÁO", "CÔNG VĂN",
    "ĐIỀU LỆ", "QUY TRÌNH", "ĐỀ CƯƠNG", "LỜI KÊU GỌI", "BẢN CAM KẾT", "LUẬT",
)
DOC_TYPE_COMPOUNDS = (
    "CHƯƠNG TRÌNH PHỐI HỢP", "CHƯƠNG TRÌNH HÀNH ĐỘNG", "CHƯƠNG TRÌNH CÔNG TÁC",
    "KẾ HOẠCH PHỐI HỢP", "KẾ HOẠCH LIÊN TỊCH", "NGHỊ QUYẾT LIÊN TỊCH", "THÔNG TƯ LIÊN TỊCH",
    "HƯỚNG DẪN LIÊN TỊCH", "QUY CHẾ PHỐI HỢP", "BÁO CÁO TÓM TẮT",
)
# Where the header ends and the text proper begins: legal basis, a section or article heading.
# The words are capitalised as a paragraph's first words: a wrapped subject may go on with
# "theo ..." or "để ..." in lower case.
BODY_CUE = (r"^\s*(?:(?:[-–+•]\s*)?(?:Căn\s+cứ|Thực\s+hiện|Triển\s+khai|Thi\s+hành|Trên\s+cơ\s+sở|Theo"
            r"|Xét|Để|Nhằm|Hôm\s+nay|Vào\s+hồi|Kính\s+gửi|CĂN\s+CỨ)\b|[IVXLC]{1,5}\s*[.:)\-]\s|\d{1,2}\s*[.)]\s"
            r"|[a-zđ]\)\s|(?i:điều|phần|chương|mục)\s+(?:\d+|[IVXLC]+)\b|[-–+•]\s)")
# The body of a Quyết định names its authority under the subject: "ỦY BAN NHÂN DÂN TỈNH ...",
# "CHỦ TỊCH ỦY BAN NHÂN DÂN ...", "BAN THƯỜNG VỤ TỈNH ỦY".
AUTHORITY_LINE = (r"^\s*(?:CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỦ TƯỚNG|TRƯỞNG BAN|BAN THƯỜNG VỤ"
                  r"|BAN CHẤP HÀNH|BAN THƯỜNG TRỰC|ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|THƯỜNG TRỰC"
                  r"|CHÁNH VĂN PHÒNG|CỤC TRƯỞNG|TỔNG CỤC TRƯỞNG|CHI CỤC TRƯỞNG|HIỆU TRƯỞNG|BÍ THƯ"
                  r"|UBND|HĐND)\b")
# A news item's dateline: "THỨ BA, 10/04/2018 22:03:51", "10/04/2018", "Thứ sáu, 18/9/2026 - 17:25",
# "Cập nhật: 10/04/2018 22:03".
NEWS_DATELINE = (r"^\s*(?:(?i:cập\s+nhật|đăng\s+(?:ngày|lúc)|ngày\s+đăng|xuất\s+bản|đăng)\s*(?:lúc|ngày)?\s*:?\s*)?"
                 r"(?:(?i:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cn)\s*[,\-–]?\s*)?"
                 r"(?:\d{1,2}[:h]\d{2}(?::\d{2})?\s*[,\-–|]?\s*)?(?:(?i:ngày)\s*)?"
                 r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d\d)"
                 r"(?:\s*[,\-–|]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?i:AM|PM|\(?GMT[+\-]?\d*\)?))?)?\s*$")
# A byline closing a news item: a short name in capitals, maybe with its source in brackets
# ("HÀ VY", "THANH HẢI (TTXVN)").
NEWS_BYLINE = r"^\s*(?P<name>\p{Lu}[\p{Lu}.\-]*(?:\s+\p{Lu}[\p{Lu}.\-]*){0,4})\s*(?:\([^()]{1,40}\))?\s*$"


# --- deadlines and assignments (parse.deadlines, parse.assignments, agencies) -----------------
# Written for the tone-folded text (``DocText.match``). Verbs are matched case-sensitively in
# lower case: an agency name is capitalised ("Ban Chỉ đạo", "Ban Thi đua - Khen thưởng"), so
# "chỉ đạo" in lower case is the verb that ends the name standing before it.

# What an agency does when it is the subject of a task; the first one after a run of agency
# names ends the run ("Sở Thông tin và Truyền thông, Báo Bình Dương [chủ động] phối hợp ...").
# Words that also occur in lower case inside agency names ("thông tin" in "Cổng thông tin
# điện tử", "quản lý", "liên quan", "trực thuộc") are deliberately absent.
TASK_VERBS = (
    "chủ trì", "phối hợp", "chủ động", "có trách nhiệm", "chịu trách nhiệm", "thực hiện",
    "triển khai", "tổ chức", "xây dựng", "theo dõi", "kiểm tra", "đôn đốc", "hướng dẫn",
    "tham mưu", "báo cáo", "tăng cường", "đẩy mạnh", "chỉ đạo", "lãnh đạo", "quán triệt",
    "tuyên truyền", "rà soát", "tổng hợp", "đánh giá", "nghiên cứu", "cung cấp", "phân công",
    "bố trí", "gửi", "tiếp tục", "nâng cao", "thường xuyên", "kịp thời", "nghiêm túc",
    "tích cực", "khẩn trương", "quan tâm", "bảo đảm", "đảm bảo", "giám sát", "vận động",
    "phổ biến", "ban hành", "trình", "cử", "mở", "duy trì", "đăng", "phát động", "lồng ghép",
    "hoàn thành", "tập trung", "phát huy", "tạo điều kiện", "tiếp nhận", "giải quyết", "xử lý",
    "biểu dương", "cập nhật", "thống kê", "thẩm định", "đề xuất", "hỗ trợ", "phát hiện",
    "nhân rộng", "củng cố", "kiện toàn", "yêu cầu", "đề nghị", "giao", "căn cứ", "là", "được",
    "sẽ", "cần", "phải", "tiếp thu", "bám sát", "phản ánh", "trả lời", "chấp hành", "nắm",
    "đăng tải", "lập", "công khai", "niêm yết", "tập huấn", "bồi dưỡng", "dành", "bổ sung",
    "sửa đổi", "làm", "đưa", "nộp", "thông báo", "chuẩn bị", "tiến hành", "lựa chọn",
    "theo chức năng", "căn cứ vào",
)
# Words that end an agency name standing as an object ("báo cáo UBND tỉnh [để] tổng hợp",
# "gửi về Sở Nội vụ [trước] ngày ...").
AGENCY_STOPWORDS = (
    "để", "nhằm", "trước", "chậm nhất", "theo", "định kỳ", "hằng", "hàng năm", "hàng quý",
    "hàng tháng", "trong", "tại", "về", "kể từ", "từ", "đến", "số", "qua", "thông qua",
    "khi", "nếu", "đối với", "với", "cho", "vào", "kèm", "những", "một số", "việc", "mọi",
    # what is reported, after its recipient ("báo cáo UBND tỉnh [phương án] giải quyết")
    "kết quả", "phương án", "tình hình", "danh sách", "ý kiến", "nội dung", "văn bản", "tiến độ",
    "số liệu", "xem xét", "kế hoạch", "dự thảo", "đề án", "chương trình", "hồ sơ",
    # a report of what was done: "Sở Nội vụ [đã] tham mưu ..." assigns nothing
    "đã", "đang", "chưa", "vẫn",
)
# The verbs of a report: a recurring phrase ("định kỳ hằng năm") is a deadline only when one
# of these is in its clause ("định kỳ tổ chức phát động phong trào" is not).
REPORT_VERB = r"(?:báo cáo|sơ kết|tổng kết|gửi|nộp)"
# Roman or arabic quarter numbers: "quý III/2025", "Quý 3 năm 2025".
QUARTER = r"quý\s+(?P<q>IV|I{1,3}|[1-4])"
# "/2025", " năm 2025", "-2025"
PERIOD_YEAR = r"\s*(?:/|-|,?\s+năm\s+)\s*(?P<py>(?:19|20)\d\d)"
# A point in time a deadline may name: a day, a month, a quarter or a year.
DEADLINE_WHEN = (
    rf"(?:(?:ngày\s+)?(?:{DATE_WORDS}|{DATE_NUMERIC})"
    rf"|tháng\s+(?P<pm>[01]?\d){PERIOD_YEAR.replace('py', 'pmy')}"
    rf"|{QUARTER}{PERIOD_YEAR.replace('py', 'pqy')}"
    rf"|năm\s+(?P<pyy>(?:19|20)\d\d))"
)
# Words that make "before" a deadline: "trước ngày", "chậm nhất là ngày", "hạn chót ngày",
# "trước 17 giờ ngày ...".
DEADLINE_BEFORE = (r"(?:trước|chậm nhất(?:\s+là)?(?:\s+(?:vào|đến|trước|trong))?|hạn chót(?:\s+là)?"
                   r"|hạn cuối(?:\s+là)?|không muộn hơn|muộn nhất(?:\s+là)?)")
CLOCK = r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}\s*(?:phút)?)?\s*,?\s+)"
# A label that names a due date: "Thời gian hoàn thành: tháng 6/2025", "Thời hạn: 30/6/2025".
# "Thời gian thực hiện" is only a deadline when one point in time follows (not "từ ... đến").
DEADLINE_LABEL = (r"(?P<label>thời gian hoàn thành|thời hạn hoàn thành|hạn hoàn thành|thời hạn nộp"
                  r"|thời hạn gửi|thời hạn|thời gian thực hiện|hoàn thành)")
# Periods of a recurring report.
# A bare "6 tháng" is a period ("sơ kết 6 tháng", "báo cáo 6 tháng đầu năm"), not a recurrence:
# it recurs after "định kỳ" (see parse.deadlines) or with "một lần".
RECUR_PERIOD = (r"(?:(?:hằng|hàng|mỗi)\s+(?P<every>năm|quý|tháng|tuần)"
                r"|(?:6|sáu)\s+tháng\s+(?:một|1)\s+lần"
                r"|(?P<every2>năm|quý|tháng|tuần)\s+(?:một|1)\s+lần)")
# "trong thời hạn 15 ngày kể từ ngày nhận được ...", "không quá 30 ngày kể từ ...".
RELATIVE = (r"(?:trong\s+(?:thời\s+hạn|vòng|phạm\s+vi)|không\s+quá|chậm\s+nhất(?:\s+là)?|sau)\s+"
            r"(?P<n>\d{1,3})\s+(?P<unit>ngày\s+làm\s+việc|ngày|tuần|tháng)\s*(?:,\s*)?"
            r"(?:kể\s+)?(?:từ|sau)\s+(?:khi|ngày)\s*"
            r"(?P<anchor>(?:(?!\s(?:và|để|thì|phải|nhằm|mà)\s)[^,;.\n]){1,80})")
