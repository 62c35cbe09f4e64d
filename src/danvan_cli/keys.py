"""Canonical keys: how two spellings of the same document number meet.

"31 /KH-UBND", "31/kh-ubnd" and "31/KH–UBND" are one number. Party and State forms stay apart
("25-NQ/TW" is not "25/NQ-TW"): loose typing by users is handled in ``parse.citations``.
"""
from __future__ import annotations

import unicodedata

import regex as re

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")   # compiled once: ``re.sub(pattern, ...)`` looks it up per call


def number_key(number: str | None) -> str | None:
    """Upper case, no spaces, one kind of dash, Ð (eth) read as Đ."""
    if not number:
        return None
    s = unicodedata.normalize("NFC", number)
    s = _DASHES.sub("-", s).replace("\u00d0", "Đ")
    s = _SPACES.sub("", s).upper()
    return s or None
