"""Stage 'citations' (see parse/__init__.py): every numbered reference to another document, and
the legal basis (the references of the opening "Căn cứ" / "Thực hiện" paragraphs).

Steps, each a pure function of the text:

    find      ``find_references``: each document number in State or Party form, damaged forms
              included, with the type word and "số" before it
    annotate  ``_read_tail``: the date, issuer and "về ..." subject printed after it; then
              ``_link_lists`` (a list "Quyết định số 217-QĐ/TW, 218-QĐ/TW của Bộ Chính trị"
              shares its issuer and type word) and ``_mark_short_names`` ("(sau đây viết tắt là
              Chỉ thị số 49-CT/TU)" restates a citation, it is not a new one)
    group     ``build_citations``: one Citation per distinct number key, occurrences counted,
              the first date / issuer / type / subject found for it anywhere
    basis     ``basis_range``: where the opening Căn cứ / Thực hiện paragraphs are

Identity key (``Citation.key``): ``keys.number_key(number)`` + "@" + the ISO date when a date is
printed with the reference anywhere in the document ("25-NQ/TW@2013-06-03"), else the number key
alone. The date is what tells apart the many documents sharing a number (every province has its
1954/KH-UBND, numbering restarts every year or term); the printed issuer is not used in the key
because it is written too many ways ("UBND tỉnh", "Ủy ban nhân dân tỉnh Tây Ninh") to compare
as text — ``citegraph.resolve_citations`` weighs it when it ties a citation to a document.

``normalize_ref`` and ``ref_matcher`` read loosely typed references ("nq 25", "25/NQ-TW").
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Callable, Iterable

import re as stdre

import regex as re

from .. import patterns as P
from ..agencies import REGEX_SPACES
from ..dates import to_iso
from ..keys import number_key
from ..model import Citation, Document
from ..normalize import fold_search, fold_tones
from .assignments import section_index
from .textdoc import DocText, Openings

CONTEXT_CHARS = 300
SUBJECT_CHARS = 300
ISSUER_WORDS = 16

# --- find ---------------------------------------------------------------------------------------
# A lone "s" glued before the number stands for "số" that extraction ate ("Chương trình s1122/...").
_S_GLUED = r"(?<=(?<![\p{L}0-9])s)"
NUMBER_RE = re.compile(
    rf"(?:{_S_GLUED}|{P.NUMBER_LEFT})(?:(?P<party>{P.PARTY_NUMBER})|(?P<state>{P.STATE_NUMBER})){P.NUMBER_RIGHT}")
# Where a number may start: at most 5 digits followed, at most one character on, by the "/"
# or the hyphen every number has. Found by the fast ``re`` engine (a leading character class,
# no lookbehind, lets it skip ahead), NUMBER_RE itself then runs only there: tried at every
# position it cost more than the rest of the stage. Every start of NUMBER_RE is the start of
# a digit run (NUMBER_LEFT refuses a digit before it) and is found: a _NUMBER_START match
# holds no other digit-run start, so scanning on from its end skips none.
_NUMBER_START = stdre.compile(r"[0-9][0-9]{0,4}(?s:.)?[/\-–]")
_RX_SPACE = frozenset(REGEX_SPACES)  # what \s matches
# What NUMBER_RE needs after a number's digits: "/" or a hyphen and a code letter ([A-ZĐ]), or
# "/" and a 4-5 digit year, then "/" and a code letter; a space allowed around each "/" or
# hyphen (the ``re`` module's \s takes every space the regex module's \s takes). Dates
# ("22/4/2020") and spans of years ("2020-2025") fail here. Searched for at the start, these
# lookaheads made the scan slower than this test of each place found.
_CODE_FOLLOWS = r"\s?[/\-–]\s?[A-ZĐ]|\s?/\s?[0-9]{4,5}(?![0-9])\s?/\s?[A-ZĐ]"
# A run of at most 5 digits (the whole run) with _CODE_FOLLOWS after it: tested at each place
# _NUMBER_START finds, in one call.
_NUMBER_AT = stdre.compile(rf"[0-9]{{1,5}}(?![0-9])(?={_CODE_FOLLOWS})")


def _number_matches(match: str, start: int, end: int):
    """``NUMBER_RE.finditer(match, start, end)``, tried only where ``_NUMBER_START`` and
    ``_NUMBER_AT`` allow."""
    last = start
    for c in _NUMBER_START.finditer(match, start, end):
        pos = c.start()
        if pos < last or (pos > 0 and "0" <= match[pos - 1] <= "9") \
                or not _NUMBER_AT.match(match, pos, end):
            continue
        m = NUMBER_RE.match(match, pos, end)
        if m:
            last = m.end()
            yield m


# Display form of each type word (keys: fold_tones, lower case).
_TYPE_DISPLAY = {w.lower(): w for w in P.CITE_TYPE_WORDS}
_TYPE_DISPLAY.update({
    "chương trình phối hợp": "Chương trình", "chương trình hành động": "Chương trình",
    "kế hoạch phối hợp": "Kế hoạch", "kế hoạch liên tịch": "Kế hoạch",
    "quy chế phối hợp": "Quy chế", "hướng dẫn liên tịch": "Hướng dẫn",
})
_TYPES_ALT = "|".join(re.escape(fold_tones(w)) for w in sorted(P.CITE_TYPE_WORDS, key=len, reverse=True))
# The type word right before the number: "Nghị quyết số 25-NQ/TW", "Kết luận 43-KL/TW",
# "Chương trình s1122/...", "Văn bản số số 12/UBND-VP".
# Searched from the end (REVERSE): it is anchored there, and a forward search tried the long
# case-insensitive alternation at every position. No type word ends in a character of the gap
# or is the end of a longer one but "Luật" ("Bộ luật", tried first: longest first), so the
# match read from the end is the one a forward search finds.
_TYPE_BEFORE = re.compile(rf"(?i)(?<!\p{{L}})(?P<type>{_TYPES_ALT})(?P<gap>\s*{P.SO_WORD}*(?:(?<!\p{{L}})s)?)\Z",
                          re.REVERSE)
# A law and its name before "số": "Luật Tổ chức chính quyền địa phương số 77/2015/QH13". The
# name holds no capitalised type word (so "Luật X và Nghị định số 59/..." is not a law's name).
_CAP_TYPES = "|".join(re.escape(fold_tones(w)) for w in sorted(P.CITE_TYPE_WORDS, key=len, reverse=True))
_LAW_BEFORE = re.compile(
    rf"(?<!\p{{L}})(?P<type>Bộ luật|Luật|Pháp lệnh)\s+"
    rf"(?P<name>(?:(?!(?<!\p{{L}})(?:{_CAP_TYPES})(?!\p{{L}}))[^;:()\[\]“”\"\n.]){{2,120}}?)"
    rf"\s+{P.SO_WORD}+\Z")
_SO_BEFORE = re.compile(rf"(?i)(?:(?<!\p{{L}}){P.SO_WORD}+|(?<!\p{{L}})s)\Z")
_NOT_A_CITATION = re.compile(P.NOT_A_CITATION_BEFORE)
# Numbers of the named groups read for every reference. (The regex module reads a group's name
# through a failed conversion to a number, an exception raised and cleared: by number, a read
# costs a fifth.)
_PARTY = NUMBER_RE.groupindex["party"]
_TYPE = _TYPE_BEFORE.groupindex["type"]

# Type codes (Nghị định 30/2020 appendix III; Hướng dẫn 36-HD/VPTW for Party documents) -> the
# type word, for a reference printed without one ("theo 25-NQ/TW"). Party TT is a thông tri.
TYPE_CODES = {
    "NQ": "Nghị quyết", "NĐ": "Nghị định", "QĐ": "Quyết định", "QĐI": "Quy định", "QYĐ": "Quy định",
    "CT": "Chỉ thị", "KH": "Kế hoạch", "KHPH": "Kế hoạch", "CTR": "Chương trình", "CTPH": "Chương trình",
    "TB": "Thông báo", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "NQLT": "Nghị quyết liên tịch",
    "HD": "Hướng dẫn", "HDLT": "Hướng dẫn", "KL": "Kết luận", "QC": "Quy chế", "QCPH": "Quy chế",
    "CV": "Công văn", "TTR": "Tờ trình", "BC": "Báo cáo", "BB": "Biên bản", "CĐ": "Công điện",
    "ĐA": "Đề án", "PA": "Phương án", "DA": "Dự án", "HĐ": "Hợp đồng", "GM": "Giấy mời",
    "TC": "Thông cáo", "L": "Lệnh", "CTHĐ": "Chương trình",
}
_PARTY_TYPE_CODES = {"TT": "Thông tri"}
_NUMBER_PARTS = re.compile(r"[-/]")


def _number_parts(number: str) -> list[str]:
    """``_NUMBER_PARTS.split(number)`` by ``str`` methods (no regex call: they cost more here)."""
    return number.replace("/", "-").split("-")


@dataclass(slots=True)     # (slots: one per number in the text)
class Ref:
    """One occurrence of a document number in the text."""
    number: str                 # printed form, spaces removed, one kind of hyphen
    key: str                    # keys.number_key(number)
    form: str                   # "party" | "state"
    start: int                  # where the reference begins (type word, "số" or the number)
    end: int                    # end of the number
    num_start: int
    type: str | None = None     # the type word printed before it (display form)
    type_code: str | None = None
    law_name: str | None = None
    date: str | None = None
    issuer: str | None = None
    issuer_shared: bool = False  # taken from the next reference of a list
    subject: str | None = None
    tail_end: int = 0           # end of the date / issuer read after the number
    short_name: bool = False    # "(sau đây viết tắt là ...)": restates an earlier citation
    extra: int = 0              # occurrences of a short name without a number ("Chỉ thị 49")

    @property
    def inferred_type(self) -> str | None:
        if not self.type_code:
            return "Công văn" if self.form == "state" and not _has_year(self.number) else None
        code = self.type_code.upper()
        if self.form == "party" and code in _PARTY_TYPE_CODES:
            return _PARTY_TYPE_CODES[code]
        return TYPE_CODES.get(code)


_SPACES = re.compile(r"\s+")
_YEAR_FORM = re.compile(r"[0-9]+/[0-9]{4,5}/")
_LAW_HINT = re.compile(r"(?i)luật|pháp lệnh")


def canonical_number(raw: str) -> str:
    """The printed number without spaces, en dashes read as hyphens: "46 - CT/TW" -> "46-CT/TW"."""
    # (Every space \s takes but " " is unprintable: most numbers are spared the regex.)
    if " " in raw or not raw.isprintable():
        raw = _SPACES.sub("", raw)
    return raw.replace("–", "-")


def _has_year(number: str) -> bool:
    return bool(_YEAR_FORM.match(number))


@functools.lru_cache(maxsize=4096)  # (pure; a document cites the same numbers again and again)
def _type_code(number: str, form: str) -> str | None:
    parts = _number_parts(number)
    if form == "party":
        return parts[1] if len(parts) > 1 else None
    codes = [p for p in parts[1:] if not p.isdigit()]
    if codes and codes[0].upper() in TYPE_CODES and len(codes) > 1:
        return codes[0]
    return None


def body_code(number: str, form: str) -> str:
    """The issuing body's part of a number: "TW" of 25-NQ/TW, "UBND" of 1954/KH-UBND."""
    if form == "party":
        return number.split("/", 1)[1] if "/" in number else ""
    parts = [p for p in _number_parts(number)[1:] if not p.isdigit()]
    if parts and parts[0].upper() in TYPE_CODES and len(parts) > 1:
        parts = parts[1:]
    return "-".join(parts)


# What the gap between a type word and its number may hold (``P.SO_WORD`` in any case, "s",
# spaces); its first character bounds where _TYPE_BEFORE, _SO_BEFORE and _NOT_A_CITATION can
# match. "ſ" is there because the regex module's (?i) folds it onto "s".
_GAP_CHARS = frozenset("sSſốỐ:.")
_TYPE_WORD_MAX = max(len(fold_tones(w)) for w in P.CITE_TYPE_WORDS)
_NOT_A_CITATION_WORD = len("phụ lục")  # the longest word of P.NOT_A_CITATION_BEFORE
# The last letters of those words (mẫu, biểu, phụ lục, bảng, phiếu, tờ khai): none is a gap
# character, so a match's word ends where the gap begins. ``casefold`` maps each character the
# regex's ``(?i)`` takes for one of them to that letter first ("İ" to "i" and a dot).
_NOT_A_CITATION_LAST = frozenset("ucgi")


def _gap_start(window: str) -> int:
    i = len(window)
    while i > 0 and (window[i - 1] in _GAP_CHARS or window[i - 1].isspace()):
        i -= 1
    return i


def _has_law_hint(window: str) -> bool:
    """``_LAW_HINT`` in the last 140 characters (its words have no other case forms), and a
    type word _LAW_BEFORE needs, as it is printed there ("pháp luật" alone is no law)."""
    if not ("Luật" in window or "Bộ luật" in window or "Pháp lệnh" in window):
        return False
    tail = window[max(0, len(window) - 140):].lower()
    return "luật" in tail or "pháp lệnh" in tail


_number_key = functools.lru_cache(maxsize=4096)(number_key)


def find_references(text: str, match: str | None = None, start: int = 0, end: int | None = None) -> list[Ref]:
    """Every document number in ``text[start:end]`` with its type word and "số"; no dates or
    issuers yet. ``match`` is ``fold_tones(text)`` (computed when not given)."""
    match = fold_tones(text) if match is None else match
    end = len(text) if end is None else end
    refs: list[Ref] = []
    for m in _number_matches(match, start, end):
        form = "party" if m.group(_PARTY) else "state"
        number = canonical_number(m.group(0))
        s = m.start()
        window = match[max(0, s - 160):s]
        # The words before a number end the window, past a gap of spaces, "số", ":" and ".":
        # every search below starts where its longest match could (same result, less scanning).
        gap_at = _gap_start(window)
        # (Its word ends where the gap begins: the letter there spares most numbers the search.)
        if window[gap_at - 1:gap_at].casefold()[:1] in _NOT_A_CITATION_LAST \
                and _NOT_A_CITATION.search(window, max(0, gap_at - _NOT_A_CITATION_WORD)):
            continue
        ref = Ref(number, _number_key(number) or number, form, s, m.end(), s)
        ref.type_code = _type_code(number, form)
        law = _LAW_BEFORE.search(window) if "số" in window[gap_at:] and _has_law_hint(window) else None
        tm = _TYPE_BEFORE.search(window, max(0, gap_at - _TYPE_WORD_MAX))
        # A law's name stands between "Luật" and "số"; a type word right before "số" wins
        # ("Luật X và Nghị định số ..."), unless it is the "luật" of a name ("... pháp luật số").
        if law and not (tm and tm.group(_TYPE).lower() not in ("luật", "bộ luật", "pháp lệnh")):
            ref.type = _TYPE_DISPLAY.get(law.group("type").lower(), law.group("type"))
            ref.law_name = " ".join(text[s - len(window) + law.start("name"):s - len(window) + law.end("name")].split())
            ref.start = s - len(window) + law.start()
        elif tm:
            ref.type = _TYPE_DISPLAY.get(tm.group(_TYPE).lower(), tm.group(_TYPE).capitalize())
            ref.start = s - len(window) + tm.start()
        else:
            sm = _SO_BEFORE.search(window, gap_at)
            if sm:
                ref.start = s - len(window) + sm.start()
        if form == "state" and not _has_year(number) and "-" not in number and ref.start == s:
            # "12/ABC" with neither a hyphen, a year, a type word nor "số": not a document number
            continue
        refs.append(ref)
    return refs


# --- annotate: date, issuer, subject after a reference -----------------------------------------
_MARKS = re.compile(rf"\G\s?{P.FOOTNOTE_MARK}")
_DATE_AFTER = re.compile(
    rf"\G\s*,?\s*(?:\(\s*)?(?:(?i:ban hành|ký)\s+)?(?i:ngày)\s+(?:{P.DATE_WORDS}|{P.DATE_NUMERIC})\)?")
_ISSUER_INTRO = re.compile(r"\G\s*,?\s*(?:(?i:của)\s+)+|\G\s*,?\s*(?i:giữa|do)\s+")
_TERM = re.compile(r"\G\s*\(\s*khóa\s+[IVXLC]+\s*\)")
_SUBJECT_INTRO = re.compile(r"\G\s*[,:]?\s*[“\"]?\s*(?i:về)\s+(?:(?i:việc)\s+)?")
_DAY_MONTH_YEAR = tuple(_DATE_AFTER.groupindex[g] for g in ("day", "month", "year"))  # (as _PARTY)

# Words that end an issuer: the verb or preposition that follows it ("của Ban Dân vận Trung
# ương thực hiện ...", "của UBND tỉnh về ..."). Lower case, tones as fold_tones places them;
# checked as whole words, two-word entries against two words, and only on words written in
# lower case: "Ban Chỉ đạo", "Ban Tổ chức" are bodies, "chỉ đạo", "tổ chức" verbs. Diacritics
# matter: "Đảng" is part of an issuer, "đang" is not.
_ISSUER_STOP = {
    "về", "thực hiện", "triển khai", "ban hành", "phối hợp", "hướng dẫn", "quy định", "tiếp tục",
    "đối với", "trong", "tại", "theo", "nhằm", "để", "với", "ngày", "số", "năm", "giai đoạn", "đã",
    "đang", "sẽ", "là", "có", "được", "nay", "này", "gắn", "xây dựng", "đẩy mạnh", "nâng cao",
    "tăng cường", "các", "những", "như", "khi", "sau", "trước", "từ", "đến", "cho", "thì", "mà",
    "vì", "bằng", "qua", "kèm", "ký", "quán triệt", "yêu cầu", "gửi", "đồng thời", "cùng",
    "nhận", "phê duyệt", "tổng kết", "sơ kết", "báo cáo", "kiểm tra", "giám sát", "chỉ đạo",
    "lãnh đạo", "tổ chức", "đề nghị", "phát động", "công bố", "quyết định", "thông qua", "giao",
}
# The first words of the two-word entries: only after one of them is the next word read.
_ISSUER_STOP_FIRST = frozenset(w.split()[0] for w in _ISSUER_STOP if " " in w)
_ISSUER_KEEP_AFTER_VA = re.compile(r"^[\p{Lu}]")
_TYPE_AHEAD = re.compile(rf"(?i)(?:{_TYPES_ALT})\b")
_CAP_TYPE_AHEAD = re.compile(rf"(?:{_CAP_TYPES})(?!\p{{L}})")
_WORD_END_MARK = re.compile(rf"(?:{P.FOOTNOTE_MARK}[,;.:”\"]*|[,;.:”\"]+)$")
# Cheap tests that spare most words the regexes: the characters _WORD_END_MARK can end on,
# and the first words of the type words (a word _CAP_TYPE_AHEAD matches at starts with one).
_WORD_END_LAST = frozenset(",;.:”\"]⁾⁰¹²³⁴⁵⁶⁷⁸⁹")
_CAP_TYPE_HEADS = tuple(sorted({fold_tones(w).split(" ")[0] for w in P.CITE_TYPE_WORDS}))
_CAP_TYPE_INITIALS = frozenset(h[0] for h in _CAP_TYPE_HEADS)
_INITIAL = re.compile(r"[A-ZĐ]\.")
ISSUER_CHARS = 240  # an issuer is never longer: bounds every look-ahead
_WORD = re.compile(r"\S+")


def _issuer_words(match: str, pos: int, limit: int):
    """(start, end) of the words an issuer may span: up to ISSUER_WORDS + 1, not past a line
    break before a word that does not start in lower case. Read as the caller needs them (it
    mostly stops after a few)."""
    last = -1
    for n, w in enumerate(_WORD.finditer(match, pos, limit)):
        ws = w.start()
        if n and "\n" in match[last:ws] and not match[ws].islower():
            return
        last = w.end()
        yield ws, last
        if n >= ISSUER_WORDS:
            return


def _read_issuer(text: str, match: str, pos: int, limit: int) -> tuple[str | None, int]:
    """The issuer starting at ``pos`` (after "của"/"giữa"/"do") and where it ends."""
    limit = min(limit, pos + ISSUER_CHARS)
    out: list[tuple[int, int]] = []
    # each word with the next one (None after the last)
    for (s, e), after in itertools.pairwise(itertools.chain(_issuer_words(match, pos, limit), (None,))):
        raw = match[s:e]
        first = raw[0]
        if first in "“\"”[(" and not raw.startswith("(khóa"):
            break
        if not first.isalnum() and raw not in ("–", "-", "(khóa"):
            break
        # Only a word in lower case can be a stop word, only "và" in any case (first "v" or
        # "V") its own rule: most words of an issuer are capitalised and spared the folding.
        va = False
        if first.islower() or first in "vV":
            folded = raw.lower().strip(",;.:")
            if first.islower() and (folded in _ISSUER_STOP or folded in _ISSUER_STOP_FIRST and (
                    after and folded + " " + match[after[0]:after[1]].lower().strip(",;.:") in _ISSUER_STOP)):
                break
            va = folded == "và"
        if va or raw in ("–", "-"):
            nxt = match[after[0]:after[1]] if after else ""
            if not _ISSUER_KEEP_AFTER_VA.match(nxt) or (after and _TYPE_AHEAD.match(match, after[0], limit)):
                break
        if out and first in _CAP_TYPE_INITIALS and raw.startswith(_CAP_TYPE_HEADS) \
                and _CAP_TYPE_AHEAD.match(match, s, limit):
            break  # another document's type word begins
        # a word glued to a footnote mark or closing punctuation ends the issuer after it
        mark = _WORD_END_MARK.search(raw) if raw[-1] in _WORD_END_LAST else None
        if mark and not _INITIAL.fullmatch(raw):
            cut = e - len(mark.group(0))
            if cut > s:
                out.append((s, cut))
            break
        out.append((s, e))
    while out and fold_search(match[out[-1][0]:out[-1][1]]) in ("va", "cua", "–", "-", "(khoa"):
        out.pop()
    if not out:
        return None, pos
    issuer = " ".join(text[out[0][0]:out[-1][1]].split())
    if issuer.count("(") > issuer.count(")"):
        issuer = issuer.rsplit("(", 1)[0].strip()
    return (issuer or None), out[-1][1]


# The main clause after a subject: ", UBND tỉnh ban hành ...", ", Sở Nội vụ báo cáo ...".
_CLAUSE_AFTER_SUBJECT = (r",\s*(?=(?:UBND|HĐND|UBMTTQ|Ủy ban|Sở|Ban|Phòng|Văn phòng|Thường trực|Chủ tịch|"
                         r"Hội đồng|Tỉnh ủy|Huyện ủy|Thành ủy|Đảng ủy|Bộ|Cục|Trung tâm|Công an|Các|Đề nghị|"
                         r"Yêu cầu|Giao)\b)")


_LIST_GOES_ON = re.compile(r"(?:,|\bvà)\s*$")
# Searched from the end (REVERSE): it is anchored there, and a forward search tried every
# position of the subject. (Each mark ends in its own character, so reading from the end takes
# the same marks and spaces.)
_SUBJECT_TRAIL = re.compile(r"(?:\s*(?:,|và|;|:|”|\"))+$", re.REVERSE)
_SUBJECT_STOP = re.compile(r"[;:\n(\[]|\.(?=\s|$)|[“\"]\s*(?i:về)\s|" + _CLAUSE_AFTER_SUBJECT + "|" + P.FOOTNOTE_MARK)
_QUOTE_END = re.compile(r"[”\"]")
TAIL_CHARS = 400  # date, issuer and "(khóa ...)" after a number fit in this


def _read_subject(text: str, match: str, pos: int, limit: int, refs_after: list[Ref],
                  quoted: bool = False) -> str | None:
    """The "về ..." phrase from ``pos``: to the end of the clause (";", ".", "(", a line end), or
    to the closing quote of a quoted subject; a quoted "“về ...” of a nested reference ends it
    too. A list going on ("..., Quyết định số 218-QĐ/TW") ends it before the next reference."""
    end = min(len(text), pos + SUBJECT_CHARS)
    m = (_QUOTE_END if quoted else _SUBJECT_STOP).search(match, pos, end)
    stop_at = m.start() if m else end
    for r in refs_after:
        if r.start >= stop_at:
            break
        if _LIST_GOES_ON.search(match[max(pos, r.start - 20):r.start]):
            stop_at = r.start
            break
    subject = " ".join(text[pos:stop_at].split())
    if m is None and stop_at == end and end < len(text):
        subject = subject.rsplit(" ", 1)[0] + " …"
    subject = _SUBJECT_TRAIL.sub("", subject).strip()
    return subject or None


def _read_tail(text: str, match: str, ref: Ref, limit: int, refs_after: list[Ref]) -> None:
    """Date, issuer and subject printed after ``ref`` (before ``limit``, the next reference)."""
    pos = ref.end
    limit = min(limit, pos + TAIL_CHARS)  # bounded: the regex module scans to endpos otherwise
    m = _MARKS.match(match, pos, limit)
    if m:
        pos = m.end()
    for _ in range(3):
        if ref.date is None:
            m = _DATE_AFTER.match(match, pos, limit)
            if m:
                day, month, year = m.group(*_DAY_MONTH_YEAR)
                ref.date = to_iso(day, month, year) if year else None
                pos = m.end()
                continue
        if ref.issuer is None:
            m = _ISSUER_INTRO.match(match, pos, limit)
            if m:
                issuer, end = _read_issuer(text, match, m.end(), limit)
                if issuer:
                    ref.issuer, pos = issuer, end
                    m2 = _MARKS.match(match, pos, limit)
                    pos = m2.end() if m2 else pos
                    continue
        m = _TERM.match(match, pos, limit)
        if m:
            pos = m.end()
            continue
        break
    ref.tail_end = pos
    m = _SUBJECT_INTRO.match(match, pos, min(len(match), pos + 40))
    if m:
        ref.subject = _read_subject(text, match, m.end(), len(match), refs_after,
                                    quoted="“" in m.group(0) or '"' in m.group(0))
    elif ref.law_name:
        ref.subject = ref.law_name


_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:và\s+)?|và\s+|;\s*)$")


def _link_lists(match: str, refs: list[Ref]) -> None:
    """In "Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW của Bộ Chính trị" the first
    reference shares the issuer of the second (same issuing body code); in "Quyết định số
    217-QĐ/TW, 218-QĐ/TW" the second shares the first's type word."""
    for a, b in zip(refs, refs[1:]):
        gap = match[a.tail_end:b.start]
        if b.type is None and a.type and b.type_code and a.type_code == b.type_code \
                and _LIST_GAP.match(gap) and ";" not in gap:
            b.type = a.type
    for a, b in zip(reversed(refs[:-1]), reversed(refs[1:])):
        gap = match[a.tail_end:b.start]
        if a.issuer is None and b.issuer and ";" not in gap and _LIST_GAP.match(gap) \
                and body_code(a.number, a.form).upper() == body_code(b.number, b.form).upper():
            a.issuer, a.issuer_shared = b.issuer, True


_PAREN_OPEN = re.compile(rf"\(\s*(?:{P.SHORT_NAME_INTRO})?[“\"]?\s*\Z")
_PAREN_CLOSE = re.compile(r"\G\s*[”\"]?\s*\)")
_ALIAS = re.compile(rf"\(\s*{P.SHORT_NAME_INTRO}[“\"]?(?P<alias>[^()“”\"\n]{{3,80}}?)[”\"]?\s*\)")


def _mark_short_names(match: str, refs: list[Ref]) -> None:
    """A reference alone in parentheses, restating a number already cited ("(sau đây viết tắt là
    Chỉ thị số 49-CT/TU)", "(Kế hoạch số 98-KH/TU)"), is the same citation, not a new
    occurrence. A short name without a number ("(sau đây gọi tắt là Nghị quyết 25)") counts its
    later uses as occurrences of the citation it follows."""
    seen: set[str] = set()
    for r in refs:
        if r.key in seen and _PAREN_OPEN.search(match[max(0, r.start - 60):r.start]) \
                and _PAREN_CLOSE.match(match, r.end, r.end + 10):
            r.short_name = True
        seen.add(r.key)
    for m in _ALIAS.finditer(match):
        alias = m.group("alias").strip()
        if any(m.start() <= r.start < m.end() for r in refs):
            continue
        line_start = match.rfind("\n", 0, m.start()) + 1
        before = [r for r in refs if line_start <= r.start < m.start()]
        if not before:
            continue
        owner = before[-1]
        rx = re.compile(rf"(?i)(?<!\p{{L}}){re.escape(alias)}(?![\p{{L}}0-9])")
        owner.extra += sum(1 for hit in rx.finditer(match, m.end())
                           if not any(r.start <= hit.start() < r.end for r in refs))


# --- where the legal basis is -------------------------------------------------------------------
_BASIS_START = re.compile(P.BASIS_START)
# A heading line ending the opening part when the outline stage gave no sections.
_HEADING = re.compile(r"^\s*(?:[IVXLC]+\s*[.:/)]\s|[0-9]{1,2}\s*[.)/]\s|Điều\s+[0-9]+|Chương\s+[IVXLC0-9]+\b|"
                      r"PHẦN\s|(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT|CHỈ THỊ)\s*:)")
_FOOTNOTE_LINE = re.compile(P.FOOTNOTE_LINE)
_FOOTNOTE_FIRST = frozenset("[⁽⁰¹²³⁴⁵⁶⁷⁸⁹")     # what P.FOOTNOTE_MARK starts with
_BASIS_START_FIRST = Openings(_BASIS_START)


# Lines that may stand between the end of the header and the basis: an authority line in
# capitals ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" in a Quyết định), "Kính gửi" and its "- " entries, a
# short leftover; and at most PREAMBLE_PARAGRAPHS other paragraphs (a Chỉ thị opens with an
# assessment, then "Thực hiện ..."). More than that, and the document does not open with a basis.
_LEAD_LINE = re.compile(r"^\s*(?:Kính gửi|[-–+•]\s)")
LEAD_SHORT = 40
PREAMBLE_PARAGRAPHS = 2


def _is_lead(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(_LEAD_LINE.match(line)) or len(line.strip()) < LEAD_SHORT or \
        (bool(letters) and all(ch.isupper() for ch in letters))


def basis_range(doc: DocText, out: Document, refs: list[Ref]) -> tuple[int, int] | None:
    """Offsets of the opening Căn cứ / Thực hiện paragraphs: the first run of them (a wrapped
    paragraph's lower-case continuation lines included) after ``doc.body_start``, before the
    first section (or heading) of the body, holding a reference. When the header stage found
    where the body starts, only header leftovers (``_is_lead``) and a short preamble may stand
    before the run."""
    start = doc.body_start or 0
    stop = doc.body_end if doc.body_end is not None else doc.footnote_start
    stop = min(stop, doc.footnote_start)
    first_sections = [s.span[0] for s in out.sections if s.span and s.span[0] >= start]
    if first_sections:
        stop = min(stop, min(first_sections))
    run: list[int] = []
    preamble = 0
    for i in doc.lines_starting(start, stop):
        line = doc.line_folds[i]
        # (Quick tests first: a footnote's mark, the basis's first word.)
        if line.lstrip()[:1] in _FOOTNOTE_FIRST and _FOOTNOTE_LINE.match(line):
            continue
        if _BASIS_START_FIRST[line[:1]] and _BASIS_START.match(line) or (run and line[:1].islower()):
            run.append(i)
            continue
        if run:
            break
        if _HEADING.match(line) and (doc.body_start or not first_sections):
            break
        if doc.body_start and not _is_lead(line):
            preamble += 1
            if preamble > PREAMBLE_PARAGRAPHS:
                break
    if not run or not _has_ref(doc, run, refs):
        return None
    return doc.lines[run[0]].start, doc.lines[run[-1]].end


def _has_ref(doc: DocText, run: list[int], refs: list[Ref]) -> bool:
    a, b = doc.lines[run[0]].start, doc.lines[run[-1]].end
    return any(a <= r.start < b for r in refs)


# --- the document's own number ------------------------------------------------------------------
_OWN_NUMBER_LINE = re.compile(rf"(?im)^\s*Số\s*(?:ký hiệu|hiệu)?\s*[:.]?\s*(?P<num>{P.PARTY_NUMBER}|{P.STATE_NUMBER}){P.NUMBER_RIGHT}")


def own_number_key(doc: DocText, out: Document) -> str | None:
    """The key of the document's own number: the header stage's, else the first "Số: ..." line
    of the first 40 lines (before the body when the header stage found where it starts)."""
    if out.number:
        return _number_key(canonical_number(out.number))
    limit = doc.lines[min(len(doc.lines), 40) - 1].end if doc.lines else 0
    if doc.body_start:
        limit = min(limit, doc.body_start)
    m = _OWN_NUMBER_LINE.search(doc.match, 0, limit)
    return number_key(canonical_number(m.group("num"))) if m else None


# --- group --------------------------------------------------------------------------------------
def _section_at(sections, offset: int) -> str | None:
    from . import outline
    fn = getattr(outline, "section_at", None)
    if fn is not None:
        found = fn(sections, offset)
        return getattr(found, "id", found)
    best = None
    for s in sections:
        if s.span and s.span[0] <= offset < s.span[1] and (best is None or s.level >= best.level):
            best = s
    return best.id if best else None


_SENTENCE_END = re.compile(r"[;!?]|\.(?=\s)|\n")


SENTENCE_LOOK = 2000  # how far to look for the ends of a sentence (text without stops)


def _is_space(ch: str) -> bool:
    """Whether the regex module's \\s matches ``ch``."""
    return ch in _RX_SPACE


def _last_sentence_end(text: str, lo: int, hi: int) -> int:
    """Offset of the last _SENTENCE_END in ``text[lo:hi]`` (its lookahead not seeing past
    ``hi``), or -1: the last match of ``_SENTENCE_END.finditer(text, lo, hi)``, looked for from
    the end."""
    if hi <= lo:
        return -1
    # A line break ends a sentence: the other marks are looked for after the last one only
    # (searched back from ``hi``, each of them could run to ``lo``, 2,000 characters away).
    nl = text.rfind("\n", lo, hi)
    after = max(lo, nl + 1)
    best = max(text.rfind(";", after, hi), text.rfind("!", after, hi), text.rfind("?", after, hi),
               nl)
    floor = max(lo, best + 1)  # a "." counts after that only, and with a character after it
    p = text.rfind(".", floor, hi - 1) if hi - 1 > floor else -1
    while p >= 0:
        if _is_space(text[p + 1]):
            return p
        p = text.rfind(".", floor, p)
    return best


def _next_sentence_end(text: str, lo: int, hi: int) -> int:
    """Offset of the first _SENTENCE_END in ``text[lo:hi]`` (its lookahead not seeing past
    ``hi``), or -1: ``_SENTENCE_END.search(text, lo, hi)`` by ``str.find`` (the search tried
    every alternative at every character)."""
    if hi <= lo:
        return -1
    nl = text.find("\n", lo, hi)
    upto = hi if nl < 0 else nl                 # a line break ends a sentence: look before it
    found = [p for p in (text.find(";", lo, upto), text.find("!", lo, upto),
                         text.find("?", lo, upto)) if p >= 0]
    best = min(found) if found else nl
    ceiling = min(hi - 1, best if best >= 0 else hi)    # a "." counts before that only,
    p = text.find(".", lo, ceiling)                     # with a character after it
    while p >= 0:
        if _is_space(text[p + 1]):
            return p
        p = text.find(".", p + 1, ceiling)
    return best


def sentence_around(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """The sentence (or list item: ";" ends one) holding ``text[start:end]``, trimmed to about
    ``width`` characters around it."""
    lo = max(0, start - SENTENCE_LOOK)
    last = _last_sentence_end(text, lo, start)
    a = last + 1 if last >= 0 else lo
    if a == lo and lo > 0:
        a = start
    hi = min(len(text), end + SENTENCE_LOOK)
    nxt = _next_sentence_end(text, end, hi)
    b = (nxt + 1 if text[nxt] != "\n" else nxt) if nxt >= 0 else hi
    s, e = a, b
    if e - s > width:
        half = max(0, (width - (end - start)) // 2)
        s = max(a, start - half)
        e = min(b, s + width)
        s = max(a, min(s, e - width))
    piece = text[s:e]
    if s > a:
        piece = "…" + piece.split(" ", 1)[-1] if " " in piece[:40] else "…" + piece
    if e < b:
        piece = (piece.rsplit(" ", 1)[0] if " " in piece[-40:] else piece) + "…"
    return " ".join(piece.split())


def identity_key(key: str, date: str | None) -> str:
    return f"{key}@{date}" if date else key


def build_citations(doc: DocText, out: Document, refs: list[Ref], own_key: str | None) -> list[Citation]:
    """One Citation per distinct number, in the order of first occurrence."""
    groups: dict[str, list[Ref]] = {}
    for r in refs:
        if r.key == own_key:
            continue
        if r.short_name and r.key in groups:
            continue
        groups.setdefault(r.key, []).append(r)
    cites = []
    index = section_index(out.sections) if out.sections and groups else None
    for key, rs in groups.items():
        first = rs[0]
        dates = [r.date for r in rs if r.date]
        if len(set(dates)) > 1:
            out.warnings.append(f"citation {first.number} is printed with different dates: "
                                f"{', '.join(dict.fromkeys(dates))} (the first is kept)")
        issuer = next((r.issuer for r in rs if r.issuer and not r.issuer_shared), None) \
            or next((r.issuer for r in rs if r.issuer), None)
        ctype = next((r.type for r in rs if r.type), None) or first.inferred_type
        in_footnote = first.start >= doc.footnote_start or _in_footnote_line(doc, first.start)
        date = dates[0] if dates else None
        cites.append(Citation(
            type=ctype, number=first.number, date=date, issuer=issuer,
            span=(first.start, first.end),
            section=index.at(first.start) if index is not None else _section_at(out.sections, first.start),
            in_footnote=in_footnote, occurrences=len(rs) + sum(r.extra for r in rs),
            key=identity_key(key, date), basis=False,
            context=sentence_around(doc.text, first.start, first.end),
            subject=next((r.subject for r in rs if r.subject), None)))
    return cites


def _in_footnote_line(doc: DocText, offset: int) -> bool:
    """A footnote the reader could not move out ("¹ Kế hoạch số ..." between body lines)."""
    if not doc.lines:
        return False
    line = doc.line_folds[doc.line_index(offset)]
    # A mark first ("[", "⁽" or a superscript digit): most lines are spared the regex.
    return line.lstrip()[:1] in _FOOTNOTE_FIRST and bool(_FOOTNOTE_LINE.match(line))


def extract(doc: DocText, out: Document) -> tuple[list[Citation], list[Citation]]:
    """(citations, legal_basis) of the document."""
    text, match = doc.text, doc.match
    refs = find_references(text, match)
    for i, r in enumerate(refs):
        limit = refs[i + 1].start if i + 1 < len(refs) else len(match)
        _read_tail(text, match, r, limit, refs[i + 1:i + 4])
    _link_lists(match, refs)
    _mark_short_names(match, refs)
    own = own_number_key(doc, out)
    cites = build_citations(doc, out, refs, own)
    by_key = {_number_key(c.number): c for c in cites}
    basis: list[Citation] = []
    rng = basis_range(doc, out, [r for r in refs if r.key != own])
    if rng:
        for r in refs:
            c = by_key.get(r.key)
            if c is not None and rng[0] <= r.start < rng[1] and not c.basis:  # (set when added)
                c.basis = True
                basis.append(c)
    return cites, basis


def run(doc: DocText, out: Document) -> None:
    out.citations, out.legal_basis = extract(doc, out)


def reference_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, number key) of every reference in ``text``: all occurrences, for display."""
    return [(r.start, r.end, r.key) for r in find_references(text)]


# --- loosely typed references -------------------------------------------------------------------
# Type words a user may type instead of the code (fold_search form) -> codes they stand for.
_USER_TYPE_WORDS = {
    "nghi quyet": ["nq"], "nghi dinh": ["nd"], "quyet dinh": ["qd"], "quy dinh": ["qd", "qdi", "qyd"],
    "chi thi": ["ct"], "ke hoach": ["kh", "khph"], "chuong trinh": ["ctr", "ctph"], "ket luan": ["kl"],
    "quy che": ["qc"], "thong tu": ["tt"], "thong tri": ["tt"], "thong bao": ["tb"], "huong dan": ["hd"],
    "cong van": ["cv"], "to trinh": ["ttr"], "bao cao": ["bc"], "cong dien": ["cd"], "de an": ["da"],
}
_FILLER = {"so", "ngay", "cua", "va", "van", "ban", "the", "no", "nr"}


@dataclass
class LooseRef:
    number: int
    year: str | None
    groups: list[list[str]] = field(default_factory=list)  # each: alternatives, folded
    exact: list[str] = field(default_factory=list)          # candidate keys as typed


def parse_loose(user_text: str) -> LooseRef | None:
    """What a user typed as a reference: its number, year and letter groups, folded."""
    raw = " ".join(user_text.split())
    if not raw:
        return None
    exact: list[str] = []
    m = re.fullmatch(rf"(?i)(?:s[ốo]\s*:?\s*)?({P.PARTY_NUMBER.replace('[A-ZĐ]', '[A-ZĐa-zđ]')}|"
                     rf"{P.STATE_NUMBER.replace('[A-ZĐ]', '[A-ZĐa-zđ]')})", raw)
    if m:
        typed = canonical_number(m.group(1))
        exact.append(number_key(typed) or typed)
        for sw in _swapped_forms(typed):
            exact.append(number_key(sw) or sw)
    folded = fold_search(raw)
    for word, codes in sorted(_USER_TYPE_WORDS.items(), key=lambda kv: -len(kv[0])):
        folded = re.sub(rf"(?<![a-z]){word}(?![a-z])", " " + "|".join(codes) + " ", folded)
    folded = re.sub(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])", " ", folded.replace("đ", "d"))  # "NQ25"
    tokens = re.findall(r"[0-9]+|[a-z][a-z0-9.|]*", folded)
    digits = [t for t in tokens if t.isdigit()]
    if not digits:
        return None
    number = int(digits[0])
    year = next((t for t in digits[1:] if len(t) == 4), None)
    groups = [t.rstrip(".").split("|") for t in tokens if not t.isdigit() and t not in _FILLER]
    groups = [g for g in groups if g and g[0]]
    return LooseRef(number, year, groups, list(dict.fromkeys(exact)))


def _swapped_forms(number: str) -> list[str]:
    """The other form of a number typed in the wrong one: 25/NQ-TW <-> 25-NQ/TW."""
    m = re.fullmatch(r"([0-9]+)-([^/]+)/(.+)", number)
    if m:
        return [f"{m.group(1)}/{m.group(2)}-{m.group(3)}"]
    m = re.fullmatch(r"([0-9]+)/([^/\-]+)-(.+)", number)
    if m:
        return [f"{m.group(1)}-{m.group(2)}/{m.group(3)}"]
    return []


def ref_matcher(user_text: str) -> Callable[[str], bool] | None:
    """A test of a number key against what the user typed, loosely: the number (leading zeros
    ignored), the year if given, and each letter group as a part of the number, in order, with
    đ read as d and case ignored. "nq 25", "NQ25", "25/NQ-TW", "25-nq/tw" all accept 25-NQ/TW."""
    lr = parse_loose(user_text)
    if lr is None:
        return None

    def accept(key: str | None) -> bool:
        if not key:
            return False
        parts = _NUMBER_PARTS.split(fold_search(key))
        if not parts or not parts[0].isdigit() or int(parts[0]) != lr.number:
            return False
        rest = parts[1:]
        if lr.year and lr.year not in rest:
            return False
        letters = [p for p in rest if not p.isdigit()]
        i = 0
        for alts in lr.groups:
            while i < len(letters) and letters[i] not in alts:
                i += 1
            if i == len(letters):
                return False
            i += 1
        return True
    return accept


def normalize_ref(user_text: str) -> list[str]:
    """Candidate number keys for a loosely typed reference.

    Exact keys first (as typed, and in the other form: "25/NQ-TW" also gives "25-NQ/TW"), then
    SQL LIKE patterns (they hold "%") for a reference without its issuing body ("nq 25" gives
    "25-NQ/%" and "25/NQ-%"). Keys never contain "%", so the patterns are harmless in an
    ``IN (...)``; ``ref_matcher`` is the exact test behind them."""
    lr = parse_loose(user_text)
    if lr is None:
        return []
    out = list(lr.exact)
    if lr.groups:
        n = str(lr.number)
        nums = dict.fromkeys([n, n.zfill(2)])
        for code in lr.groups[0]:
            for c in _d_variants(code.upper()):
                for num in nums:
                    if lr.year:
                        out.append(f"{num}/{lr.year}/{c}-%")
                    else:
                        out += [f"{num}-{c}/%", f"{num}/{c}-%", f"{num}/%/{c}-%"]
    return list(dict.fromkeys(out))


def _d_variants(code: str) -> list[str]:
    """"QD" may be "QĐ": users type d for đ."""
    idx = [i for i, ch in enumerate(code) if ch == "D"][:3]
    out = [code]
    for i in idx:
        out += [c[:i] + "Đ" + c[i + 1:] for c in out]
    return list(dict.fromkeys(out))


def matching_keys(user_text: str, keys: Iterable[str]) -> list[str]:
    """The keys among ``keys`` that ``user_text`` names: the exact ones when any is there,
    else every loose match."""
    keys = [k for k in keys if k]
    lr = parse_loose(user_text)
    if lr is None:
        return []
    exact = [k for k in keys if k in set(lr.exact)]
    if exact:
        return list(dict.fromkeys(exact))
    accept = ref_matcher(user_text)
    return sorted({k for k in keys if accept and accept(k)})
