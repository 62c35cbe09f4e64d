"""Dates as Vietnamese documents write them, to ISO strings.

``find_dates`` is the *find* stage (spans in the text), ``to_iso`` the *resolve* stage (a year
supplied by the document when the text omits it).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex as re

from . import patterns as P

_DATE_RE = re.compile(rf"(?i)(?:ngày\s+)?(?:{P.DATE_WORDS}|{P.DATE_NUMERIC})")


@dataclass
class FoundDate:
    day: int
    month: int
    year: int | None
    span: tuple[int, int]

    def iso(self, default_year: int | None = None) -> str | None:
        return to_iso(self.day, self.month, self.year or default_year)


def to_iso(day: int | str | None, month: int | str | None, year: int | str | None) -> str | None:
    """ISO date, or None when a part is missing or the date does not exist (31/2)."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def find_dates(text: str, pos: int = 0, endpos: int | None = None) -> list[FoundDate]:
    out = []
    for m in _DATE_RE.finditer(text, pos, len(text) if endpos is None else endpos):
        d, mo = int(m.group("day")), int(m.group("month"))
        y = int(m.group("year")) if m.group("year") else None
        if 1 <= d <= 31 and 1 <= mo <= 12:
            out.append(FoundDate(d, mo, y, m.span()))
    return out


def parse_date(text: str, default_year: int | None = None) -> str | None:
    """The first date in ``text`` as ISO, or None."""
    found = find_dates(text)
    return found[0].iso(default_year) if found else None


def end_of_month(year: int, month: int) -> str:
    if month == 12:
        return dt.date(year, 12, 31).isoformat()
    return (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).isoformat()


def end_of_quarter(year: int, quarter: int) -> str:
    return end_of_month(year, quarter * 3)


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9,
         "X": 10, "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XVI": 16, "XVII": 17,
         "XVIII": 18, "XIX": 19, "XX": 20}


def roman_to_int(s: str) -> int | None:
    return ROMAN.get(s.upper())
