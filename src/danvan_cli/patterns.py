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
