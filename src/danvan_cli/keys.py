"""Canonical keys: how two spellings of the same document number meet.

"31 /KH-UBND", "31/kh-ubnd" and "31/KH–UBND" are one number. Party and State forms stay apart
("25-NQ/TW" is not "25/NQ-TW"): loose typing by users is handled in ``parse.citations``.
"""
from __future__ import annotations

import hashlib
import unicodedata
from typing import Iterable

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


def deadline_uid(key: Iterable) -> str:
    """A stable identity for one deadline of one document, from what it says and the document
    it is in: the same after a re-index and in every copy of the document, so a calendar that
    imports the file again updates its events instead of doubling them.

    ``key`` is the deadline's date, recurrence, raw words, task, agency and recipient, then its
    document's number, type, issuer, date and subject (``DEADLINE_KEY``). The index stores it
    (``deadlines.uid``), made when the document is parsed."""
    text = "\x1f".join([x if type(x) is str else "" if x is None else str(x) for x in key])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:24] + "@danvan"


# The columns deadline_uid reads, as a query names them (dl: deadlines, d: documents).
DEADLINE_KEY = ("dl.date", "dl.recurring", "dl.raw", "dl.what", "dl.agency", "dl.to_agency",
                "d.number", "d.doc_type", "d.issuer", "d.date", "d.subject")
