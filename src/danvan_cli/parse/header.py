"""Stage 'header': the document's identity and kind.

Fills on ``out``: kind, doc_type, number, symbol, issuer, place, date, year, subject,
addressees, title (and for a news item author and signer.name); sets ``doc.body_start``.

Steps:

1. *find*: the first lines are cut into segments (``_Segments``, only as far as step 3
   reads). A header printed in two columns reaches the parser in three shapes: left column
   then right column (readers with column hints), one line per line of either column (naive
   PDF extraction interleaves them: issuer line, motto line, issuer line 2, "Độc lập ..."),
   or both columns on one line ("Số: 1954/KH-UBND   Bình Dương, ngày ..."). Lines are cut at
   wide gaps, before a motto, after a number and before a place-date, so every shape becomes
   the same segments.
2. *classify*: each segment gets a role (motto, rule, mark, number, date, type, vv, kg, other)
   from its own text; no role depends on the order of the columns.
3. *resolve*: the issuer is the upper-case "other" segments before "Số:" outside the right
   column; the subject follows the type line (or is the "V/v" lines); addressees follow
   "Kính gửi". ``doc.body_start`` is set after the last header segment.

Matching is done on ``doc.match`` (one tone placement, NFC) and values are sliced from
``doc.text``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex as re

from .. import patterns as P
from ..dates import to_iso
from ..model import Document
from ..normalize import squash_spaces
from . import kind as K
from .textdoc import DocText, Openings

# --- regexes (pieces in patterns.py, header section) -----------------------------------------
_GAP = re.compile(r" {3,}")
_MOTTO_AT = re.compile(rf"(?i){P.MOTTO_ANY}")
_MOTTO_START = re.compile(rf"(?i)^\s*{P.MOTTO_ANY}")
_MOTTO_PART = re.compile(r"(?i)^\s*(?:cộng\s*hòa(?:\s+xã\s+hội)?|việt\s+nam|độc\s+lập\b.*|tự\s+do\s*[-–]"
                         r"\s*hạnh\s+phúc)\s*$")
_RULE = re.compile(P.RULE_LINE)
_DOC_MARK = re.compile("(?i)" + P.DOC_MARK)
_NUMBER = re.compile(P.NUMBER_LINE)
_NUMBER_ALONE = re.compile(P.NUMBER_WORD_ALONE)
_BARE_NUMBER = re.compile(rf"^\s*{P.NUMBER_BODY}\s*$")
_PLACE_DATE = re.compile(P.PLACE_DATE)
_DATE = re.compile(P.HEADER_DATE)
_DATE_ALONE = re.compile(r"^\s*(?i:ngày)\b")
# Numbers of the named groups read in every header. (The regex module reads a group's name
# through a failed conversion to a number, an exception raised and cleared: by number, a read
# costs a fifth.)
_PLACE = _PLACE_DATE.groupindex["place"]
_DATE_PARTS = tuple(_DATE.groupindex[g] for g in ("d", "d2", "m", "m2", "y", "y2"))
_VV = re.compile(P.VV)
_KG = re.compile(P.KINH_GUI)
_BODY_CUE = re.compile(P.BODY_CUE)
# The lines it is asked of are stripped: their first character decides most of them.
_BODY_CUE_FIRST = Openings(_BODY_CUE)
_AUTHORITY = re.compile(P.AUTHORITY_LINE)
_ISSUER_START = re.compile("(?i)" + P.ISSUER_START)
_TYPE = re.compile(r"^\s*(?P<type>" + "|".join(
    re.escape(t) for t in sorted(P.DOC_TYPE_NAMES, key=len, reverse=True)) + r")(?![\p{L}\d])")
# A type name alone on its line in sentence case ("Kế hoạch"), as some converted files print it.
_TYPE_ALONE_ANY_CASE = re.compile(r"(?i)^\s*(?P<type>" + "|".join(
    re.escape(t) for t in sorted(P.DOC_TYPE_NAMES + P.DOC_TYPE_COMPOUNDS, key=len, reverse=True))
    + r")\s*$")
_TYPE_COMPOUND = re.compile(r"^\s*(?P<type>" + "|".join(
    re.escape(t) for t in sorted(P.DOC_TYPE_COMPOUNDS, key=len, reverse=True)) + r")\s*$")
_CLOSED = re.compile(r"[.;:!?]\s*$")
_LOWER_START = re.compile(r"^\s*\p{Ll}")
_LIST_DASH = re.compile(r"^\s*[-–+•]\s*")
_DIGIT = re.compile(r"\d")                 # for the quick tests of ``_Cues``
# Compiled once here: ``re.match(pattern, ...)`` looks the pattern up in the regex module's
# cache on every call, which costs more than the matching.
_WORD = re.compile(r"\S+")
_NOT_SUBJECT_START = re.compile(r"^(?:Căn\s+cứ|CĂN\s+CỨ|Kính\s+gửi)\b")
# Words of the legal basis that may also open a subject ("Thực hiện quy chế dân chủ ...").
_SUBJECT_CUE = re.compile(r"^(?:Thực\s+hiện|Triển\s+khai|Thi\s+hành|Theo|Để|Nhằm|Về)\b")
_ENDS_COLON = re.compile(r"[;:]\s*$")
_ENDS_PUNCT = re.compile(r"[;:.]\s*$")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s+")
_ADDRESSEE_SPLIT = re.compile(r";\s*(?=\S)")
_ADDRESSEE_END = re.compile(r"[\s;.,]+$")


def _fold(s: str) -> str:
    """Each character case folded, to the first character of its fold: the regex module's
    ``(?i)`` takes a character for a letter only when this gives that letter ("K", the Kelvin
    sign, for "k"; "İ" for "i"). tests/test_speed_early_prefilters.py checks the letters used."""
    return "".join([c.casefold()[:1] for c in s])


# The characters a segment _RULE matches can start with, after the spaces (and "o", "0" of
# "o0o", "0o0"), and the first two letters of a type name, case folded (one of the _TYPE*
# patterns ignores case): see ``_may_start``.
_RULE_FIRST = frozenset("-–—_=*.·~•o0")
_TYPE_HEADS = frozenset(_fold(t[:2]) for t in P.DOC_TYPE_NAMES + P.DOC_TYPE_COMPOUNDS)
_TYPE_PRINTED_HEADS = frozenset(t[:2] for t in P.DOC_TYPE_NAMES + P.DOC_TYPE_COMPOUNDS)
_TYPE_NAME_MAX = max(map(len, P.DOC_TYPE_NAMES + P.DOC_TYPE_COMPOUNDS))


# How many lines the header may take, and how long a line of it may be.
_HEADER_LINES = 40
_LINE_MAX = 400
_SPLIT_MAX = 200          # longer lines are body text: never cut into columns
_SUBJECT_LINES = 8
_VV_LINES = 6
_ISSUER_MAX = 120


@dataclass(slots=True)     # (slots: one per segment of the header's lines)
class Seg:
    start: int
    end: int
    line: int                  # index into doc.lines
    column: str | None
    bold: bool
    text: str
    fold: str
    role: str = "other"        # motto rule mark number date type vv kg other
    hinted: bool = False       # the column came from the reader, not from cutting the line
    # For a segment of role "type" (_type_span): where the type name starts and ends in it,
    # and where the subject starts.
    typed: tuple[int, int, int] | None = None


# --- 1. segments ------------------------------------------------------------------------------
class _Segments:
    """The segments of the first ``limit`` lines, cut and classified line by line only as far
    as the resolvers read them (``get``). The header mostly ends within a dozen lines; cutting
    all the lines it may take was most of this stage's time. ``items`` holds those made so far,
    in order; the result is the same as cutting every line first."""

    def __init__(self, doc: DocText, limit: int) -> None:
        self.doc = doc
        self.limit = limit
        self.items: list[Seg] = []
        self._line = 0                   # next line to cut
        self._prev_motto = False         # classification state carried across segments

    def get(self, i: int) -> Seg | None:
        """Segment ``i``, or None past the last one."""
        while i >= len(self.items) and self._more():
            pass
        return self.items[i] if i < len(self.items) else None

    def _more(self) -> bool:
        doc, i = self.doc, self._line
        if i >= self.limit or doc.lines[i].start >= doc.footnote_start:
            return False
        self._line += 1
        ln = doc.lines[i]
        pieces, self._prev_motto = _line_segments(doc.line_folds[i], self._prev_motto)
        for n, (s, e, role, typed) in enumerate(pieces):
            column = ln.column
            if column is None and len(pieces) > 1:
                column = "left" if n == 0 else "right"
            s, e = ln.start + s, ln.start + e
            self.items.append(Seg(s, e, i, column, ln.bold, doc.text[s:e], doc.match[s:e], role,
                                  ln.column is not None, typed))
        return True


@functools.lru_cache(maxsize=4096)
def _line_segments(line: str, prev_motto: bool) -> tuple[tuple, bool]:
    """The segments of a header line (its fold) as (start, end, role, typed), offsets in the
    line, and the classification state after them. A pure function of the line, kept: headers
    repeat their lines from one document to the next (mottos, rules, type names, issuers)."""
    out = []
    for s, e in _cut(line, 0, len(line)):
        seg = Seg(s, e, 0, None, False, line[s:e], line[s:e])
        prev_motto = _classify(seg, prev_motto)
        out.append((s, e, seg.role, seg.typed))
    return tuple(out), prev_motto


@dataclass(slots=True)
class _Cues:
    """What a line holds that the cuts look for: the words (any case) or characters without
    which a motto, a "Số:" number or a place-date cannot match anywhere in it. Tested once
    per line with ``str`` methods, they spare most lines the regex searches. ``casefold``
    maps every character the regexes' ``(?i)`` takes for a letter of these words ("Ố", "ſ")
    to that letter."""
    motto: bool
    number: bool
    place_date: bool

    @classmethod
    def of(cls, line: str) -> "_Cues":
        low = line.casefold()
        return cls("cộng" in low or "độc" in low, "số" in low,
                   "," in line and ("ngày" in low or bool(_DIGIT.search(line))))

    def any(self) -> bool:
        return self.motto or self.number or self.place_date


def _cut(fold: str, start: int, end: int) -> list[tuple[int, int]]:
    """A line cut where one header column's text ends and the other's begins."""
    if end - start > _SPLIT_MAX:
        return [_strip(fold, start, end)]
    line = fold[start:end]
    cues = _Cues.of(line)
    gaps = "   " in line                         # what _GAP needs
    if not (gaps or cues.any()):
        s, e = _strip(fold, start, end)         # most lines: nothing to cut at
        return [(s, e)] if e > s else []
    # Wide gaps inside a number or a date are blanks of a draft ("Số:      /KH-UBND",
    # "ngày    tháng    năm 2024"), not a column break. Looked for at the first gap.
    keep: list[tuple[int, int]] | None = None
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in _GAP.finditer(fold, start, end) if gaps else ():
        if keep is None:
            keep = [d.span() for d in _DATE.finditer(fold, start, end)]
            n = _NUMBER.match(line) if cues.number else None
            if n:
                keep.append((start, start + n.end()))
        if any(a <= m.start() and m.end() <= b for a, b in keep):
            continue
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    out: list[tuple[int, int]] = []
    for s, e in pieces:
        out.extend(_cut_piece(fold, s, e, cues))
    return [p for p in (_strip(fold, s, e) for s, e in out) if p[1] > p[0]]


def _cut_piece(fold: str, s: int, e: int, cues: _Cues) -> list[tuple[int, int]]:
    s, e = _strip(fold, s, e)
    if e <= s:
        return []
    m = _MOTTO_AT.search(fold, s, e) if cues.motto else None
    if m:
        if m.start() > s and fold[s:m.start()].strip():
            return _cut_piece(fold, s, m.start(), cues) + _cut_piece(fold, m.start(), e, cues)
        if m.end() < e and fold[m.end():e].strip() and not _MOTTO_AT.match(fold, m.end(), e):
            return [(s, m.end())] + _cut_piece(fold, m.end(), e, cues)
    # Patterns anchored with "^" are matched on the piece itself.
    m = _NUMBER.match(fold[s:e]) if cues.number else None
    if m and fold[s + m.end():e].strip():
        return [(s, s + m.end())] + _cut_piece(fold, s + m.end(), e, cues)
    m = _PLACE_DATE.search(fold, s, e) if cues.place_date else None
    if m and _date_is_whole(fold, m.end(), e):
        cut = _place_start(fold, m.start("place"), m.end("place"))
        if cut > s and fold[s:cut].strip():
            return [(s, cut), (cut, e)]
    return [(s, e)]


def _place_start(fold: str, s: int, e: int) -> int:
    """Where a place name really starts in fold[s:e]: an issuer line in capitals may stand
    before it on the same line ("BAN DÂN VẬN TỈNH ỦY Thủ Dầu Một, ngày ..."). Abbreviations
    ("TP.", "TX.") and hyphens belong to the name."""
    return s + _place_offset(fold[s:e])


@functools.lru_cache(maxsize=1024)      # (the same places come back: read once each)
def _place_offset(place: str) -> int:
    start = 0
    seen_title = False
    for m in reversed(list(_WORD.finditer(place))):
        tok = m.group()
        letters = list(filter(str.isalpha, tok))
        caps_word = len(letters) >= 2 and all(map(str.isupper, letters)) and not tok.endswith(".")
        if caps_word and seen_title:
            break
        seen_title = seen_title or bool(letters) and not caps_word
        start = m.start()
    return start


def _strip(fold: str, s: int, e: int) -> tuple[int, int]:
    """fold[s:e] without the spaces around it, as offsets (``str.strip`` takes the characters
    ``str.isspace`` takes)."""
    body = fold[s:e].lstrip()
    s = e - len(body)
    return s, s + len(body.rstrip())


def _date_is_whole(fold: str, s: int, e: int) -> bool:
    """Whether fold[s:e] is a date and nothing more (a final period allowed)."""
    m = _DATE.match(fold, s, e)
    return bool(m) and not fold[m.end():e].strip(" .")


# --- 2. roles ---------------------------------------------------------------------------------
def _is_caps(text: str) -> bool:
    letters = list(filter(str.isalpha, text))
    return len(letters) >= 2 and sum(map(str.isupper, letters)) >= 0.9 * len(letters)


def _type_span(fold: str) -> tuple[int, int, int] | None:
    """(start, end of the type name, offset where the subject starts) for a type line, else
    None."""
    # Quick tests before the long alternations: the case-sensitive patterns need a name's first
    # two characters as printed after the spaces (``str.lstrip`` takes every space \s takes);
    # the one ignoring case a line no longer than a name (one character matches one: no full
    # case folding).
    printed = fold.lstrip()[:2] in _TYPE_PRINTED_HEADS
    m = _TYPE_COMPOUND.match(fold) if printed else None
    if m:
        return m.start("type"), m.end("type"), len(fold)
    m = _TYPE.match(fold) if printed else None
    if not m:
        m = _TYPE_ALONE_ANY_CASE.match(fold) if len(fold.strip()) <= _TYPE_NAME_MAX else None
        return (m.start("type"), m.end("type"), len(fold)) if m else None
    rest = fold[m.end():]
    if rest.strip() == ":":
        return None                     # "QUYẾT ĐỊNH:" opens the articles, it is not a title
    if rest.strip() and not rest[:1].isspace() and rest[:1] not in ":-–":
        return None                     # "BÁO CÁO/..." or a longer word
    off = m.end()
    while off < len(fold) and fold[off] in " :-–":
        off += 1
    return m.start("type"), m.end("type"), off


def _classify(seg: Seg, prev_motto: bool) -> bool:
    """Set ``seg.role``; ``prev_motto``: the segments before end in a motto (and rules).
    Returns that state for the next segment."""
    f = seg.fold
    # The first characters after the spaces spare most segments most of the regexes below (a
    # call of the regex module costs more than the test); ``str.lstrip`` takes every space
    # their ``\s*`` takes.
    head = f.lstrip()[:2]
    may = _roles_for(head[:1])
    if "rule" in may and _RULE.match(f):
        seg.role = "rule"
    elif (motto := _MOTTO_START.match(f) if "motto" in may else None) \
            and len(f) - motto.end() < 5 or prev_motto and _MOTTO_PART.match(f):
        seg.role = "motto"
    elif "mark" in may and _DOC_MARK.match(f):
        seg.role = "mark"
    elif "number" in may and (_NUMBER.match(f) or _NUMBER_ALONE.match(f)):
        seg.role = "number"
    elif _is_date_seg(f, "date" in may):
        seg.role = "date"
    elif "vv" in may and _VV.match(f):
        seg.role = "vv"
    elif "kg" in may and _KG.match(f):
        seg.role = "kg"
    elif _may_be_type(head) and (typed := _type_span(f)):
        seg.role, seg.typed = "type", typed
    return seg.role == "motto" or prev_motto and seg.role == "rule"


def _may_start(c: str, initials: str | frozenset[str]) -> bool:
    """Whether a pattern starting (after ``^\\s*``) with one of ``initials`` (every case
    form it takes) may match a text whose first character after the spaces is ``c`` (an empty
    text is let through)."""
    return not c or c in initials or c.casefold()[:1] in initials      # (_fold of one character)


# The roles of ``_classify`` tested by their pattern's first character, and those initials.
_ROLE_INITIALS = (("rule", _RULE_FIRST), ("motto", "cCđĐ"), ("mark", "(dDtTmMhHkKbBsSpP"),
                  ("number", "sS"), ("date", "nN"), ("vv", "Vv"), ("kg", "kK"))
_ROLES_BY_FIRST: dict[str, frozenset[str]] = {}


def _roles_for(c: str) -> frozenset[str]:
    """The roles whose pattern may match a segment starting with ``c`` (``_may_start`` for
    each, asked once per character: then one lookup per segment instead of a call per role)."""
    roles = _ROLES_BY_FIRST.get(c)
    if roles is None:
        roles = _ROLES_BY_FIRST[c] = frozenset(
            role for role, initials in _ROLE_INITIALS if _may_start(c, initials))
    return roles


@functools.lru_cache(maxsize=4096)      # (few distinct pairs: the first letters of lines)
def _may_be_type(head: str) -> bool:
    """Whether a type line may start with ``head``, its first two characters after the spaces."""
    return _fold(head) in _TYPE_HEADS


def _is_date_seg(fold: str, may_be_alone: bool) -> bool:
    """``may_be_alone``: _DATE_ALONE may match ``fold`` (by its first character)."""
    first = fold[:1]        # a place name's capital (\p{Lu}: any non-ASCII one is let through)
    m = _PLACE_DATE.match(fold) if "," in fold and (first.isupper() or not first.isascii()) \
        else None
    if m:
        return _date_is_whole(fold, m.end(), len(fold))
    return may_be_alone and bool(_DATE_ALONE.match(fold)) \
        and _date_is_whole(fold, 0, len(fold)) and len(fold) < 60


# --- 3. fields --------------------------------------------------------------------------------
@dataclass
class _Header:
    source: _Segments
    limit: int                  # segments from here on are body text
    first: dict[str, int]       # role -> index of its first segment before ``limit``
    used: set[int]              # indexes of the segments that make the header

    @property
    def segs(self) -> list[Seg]:
        """The segments made so far: all those before ``limit``, and any read with ``seg``."""
        return self.source.items

    def seg(self, i: int) -> Seg | None:
        """Segment ``i`` (cut when first asked for), or None past the last one."""
        return self.source.get(i)

    def at(self, role: str) -> Seg | None:
        i = self.first.get(role)
        return None if i is None else self.segs[i]


def _header(doc: DocText) -> _Header:
    source = _Segments(doc, min(len(doc.lines), _HEADER_LINES))
    segs = source.items
    # The header ends at the first line of body text. A subject line right under a type line
    # may start like the legal basis ("KẾ HOẠCH" / "Thực hiện quy chế dân chủ ..."): not an end.
    i = 0
    while (seg := source.get(i)) is not None:
        if seg.role == "other" and (_body_cue(seg.text) and not _first_after_type(segs, i)
                                    or seg.end - seg.start > _LINE_MAX):
            break
        i += 1
    limit = i
    first: dict[str, int] = {}
    for i, seg in enumerate(segs[:limit]):
        first.setdefault(seg.role, i)
    return _Header(source, limit, first, set())


def _body_cue(t: str) -> bool:
    """``_BODY_CUE.match(t)`` for a stripped ``t``."""
    return _BODY_CUE_FIRST[t[:1]] and _BODY_CUE.match(t) is not None


def _first_after_type(segs: list[Seg], i: int) -> bool:
    """Whether segs[i] is the line right under a type line standing alone (its subject)."""
    j = i - 1
    while j >= 0 and segs[j].role == "rule":
        j -= 1
    if j < 0 or segs[j].role != "type":
        return False
    t = segs[j].typed
    return t is not None and not segs[j].fold[t[2]:].strip() and _can_open_subject(segs[i])


def _can_open_subject(seg: Seg) -> bool:
    """A line that may be the first line of a subject: not the legal basis ("Căn cứ ...",
    a paragraph closed by ";" or ":"), not a heading or an item."""
    t = seg.text.strip()
    if len(t) > _LINE_MAX or _NOT_SUBJECT_START.match(t):
        return False
    if _body_cue(t) and not _SUBJECT_CUE.match(t):
        return False
    return not _ENDS_COLON.search(t)


def _parse_number(h: _Header, out: Document) -> None:
    seg = h.at("number")
    if seg is None:
        out.warnings.append("no number line (Số: ...)")
        return
    i = h.first["number"]
    h.used.add(i)
    m = _NUMBER.match(seg.fold)
    text = seg.text
    if m is None:                       # "Số:" alone: the number may stand on the next line
        nxt = i + 1
        if h.seg(nxt) is not None and h.segs[nxt].role == "other":
            m2 = _BARE_NUMBER.match(h.segs[nxt].fold)
            if m2:
                h.used.add(nxt)
                m, text = m2, h.segs[nxt].text
    if m is None:
        out.warnings.append("number is blank")
        return

    groups = m.re.groupindex     # (names read by number: see _PLACE)

    def g(name: str) -> str | None:
        i = groups[name]
        return text[m.start(i):m.end(i)] if m.group(i) else None

    if m.group(groups["psym"]):
        num, symbol, year = g("pnum"), _code(g("psym")), None
        number = f"{num}-{symbol}" if num else None
    else:
        num, symbol, year = g("snum"), _code(g("ssym")), g("syear")
        number = (f"{num}/{year}/{symbol}" if year else f"{num}/{symbol}") if num else None
    out.number, out.symbol = number, symbol
    if number is None:
        out.warnings.append("number is blank")


def _code(s: str | None) -> str | None:
    return _SPACES.sub("", s).replace("–", "-") if s else None


def _parse_date(h: _Header, doc: DocText, out: Document) -> None:
    seg = h.at("date")
    if seg is None:
        out.warnings.append("no place and date line")
        return
    h.used.add(h.first["date"])
    pm = _PLACE_DATE.match(seg.fold)
    pos = 0
    if pm:
        ps, pe = pm.span(_PLACE)
        ps = _place_start(seg.fold, ps, pe)
        out.place = squash_spaces(seg.text[ps:pe])
        pos = pm.end()
    m = _DATE.match(seg.fold, pos)
    if not m:
        out.warnings.append("date is blank")
        return
    d, d2, mo, mo2, y, y2 = m.group(*_DATE_PARTS)
    d, mo, y = d or d2, mo or mo2, y or y2
    if y:
        out.year = int(y)
    if d and mo and y:
        out.date = to_iso(d, mo, y)
        if out.date is None:
            out.warnings.append(f"date does not exist: {d}/{mo}/{y}")
    elif d or mo or y:
        out.warnings.append("date is partly blank")
    else:
        out.warnings.append("date is blank")


def _parse_issuer(h: _Header, out: Document) -> None:
    # The issuer stands above "Số:" in its column; without a number line, above the type,
    # "V/v" or "Kính gửi" (the date may come first when the right column is read first).
    ends = [h.first[r] for r in ("number",) if r in h.first] or \
        [h.first[r] for r in ("type", "vv", "kg") if r in h.first] or \
        [h.first[r] for r in ("date",) if r in h.first]
    zone = min(ends) if ends else 0
    parts: list[str] = []
    for i, seg in enumerate(h.segs[:zone]):
        t = seg.text.strip(" -–—_*")
        if seg.role != "other" or seg.column == "right" or len(t) > _ISSUER_MAX:
            continue
        if _is_caps(t) or _ISSUER_START.match(seg.fold) and not _BODY_CUE.match(seg.text):
            parts.append(t)
            h.used.add(i)
    if parts:
        out.issuer = squash_spaces(" ".join(parts))
    else:
        out.warnings.append("issuer lines are missing")


def _has_bold(h: _Header) -> bool:
    return any(s.bold for s in h.segs[:h.limit])


def _parse_subject(h: _Header, out: Document) -> None:
    """The type line and the subject under it, or a công văn's "V/v" lines."""
    ti = h.first.get("type")
    subject = None
    if ti is not None:
        h.used.add(ti)
        seg = h.segs[ti]
        ts, te, off = seg.typed or (0, 0, len(seg.text))
        name = seg.text[ts:te]
        out.doc_type = squash_spaces(name).upper()
        subject = _subject_after_type(h, ti, seg.text[off:].strip())
    vi = h.first.get("vv")
    if vi is not None and not subject:
        subject = _subject_vv(h, vi)
        if out.doc_type is None:
            out.doc_type = "CÔNG VĂN"
    if out.doc_type is None and "kg" in h.first:
        out.doc_type = "CÔNG VĂN"           # a letter to named addressees, no printed type
        out.warnings.append("no printed type and no V/v subject: taken as a công văn")
    if out.doc_type is None:
        out.warnings.append("no document type printed")
    if subject:
        out.subject = subject
        out.title = f"{out.doc_type} {subject}" if ti is not None else subject
    else:
        out.warnings.append("no subject (trích yếu) found")
        out.title = out.doc_type if ti is not None else None


def _subject_after_type(h: _Header, ti: int, rest: str) -> str | None:
    parts = [rest] if rest else []
    caps = _is_caps(rest) if rest else None
    bold_hints = _has_bold(h)
    j = ti + 1
    while h.seg(j) is not None and len(parts) < _SUBJECT_LINES:
        seg = h.segs[j]
        t = seg.text.strip()
        if seg.role == "rule":
            if parts:
                break
            h.used.add(j)
            j += 1
            continue
        if seg.role != "other":
            break
        if not parts:
            if not _can_open_subject(seg):
                break
            caps = _is_caps(t)
        elif not _continues_subject(parts[-1], seg, caps, bold_hints, h.segs[j - 1]):
            break
        parts.append(t)
        h.used.add(j)
        j += 1
    return squash_spaces(" ".join(parts)) or None


def _continues_subject(prev: str, seg: Seg, caps: bool | None, bold_hints: bool, prev_seg: Seg) -> bool:
    t = seg.text.strip()
    if _body_cue(t) or len(t) > _LINE_MAX:
        return False
    if caps:
        return _is_caps(t) and not _AUTHORITY.match(seg.fold)
    if _is_caps(t):
        return False
    if bold_hints and seg.bold != prev_seg.bold:
        return False
    if _LOWER_START.match(t):
        return True
    # A wrapped subject may go on with a capital ("... của" / "Ban Chấp hành Trung ương").
    return not _CLOSED.search(prev) and len(prev) >= 30 and len(t) <= 100 \
        and not _ENDS_PUNCT.search(t)


def _subject_vv(h: _Header, vi: int) -> str | None:
    seg = h.segs[vi]
    h.used.add(vi)
    m = _VV.match(seg.fold)
    parts = [seg.text[m.end():].strip()]
    hinted = seg.hinted and seg.column == "left"
    j = vi + 1
    while h.seg(j) is not None and len(parts) < _VV_LINES:
        s = h.segs[j]
        t = s.text.strip()
        if s.role in ("motto", "rule", "date", "mark") or s.column == "right" and seg.column == "left":
            j += 1                       # the other column, interleaved
            continue
        if s.role != "other" or _body_cue(t) or _is_caps(t):
            break
        if hinted and s.column == "left" or _LOWER_START.match(t) \
                or not _CLOSED.search(parts[-1]) and len(t) <= 80 and not _ENDS_PUNCT.search(t):
            parts.append(t)
            h.used.add(j)
            j += 1
            continue
        break
    return squash_spaces(" ".join(p for p in parts if p)) or None


def _parse_addressees(h: _Header, out: Document) -> None:
    ki = h.first.get("kg")
    if ki is None:
        return
    h.used.add(ki)
    seg = h.segs[ki]
    m = _KG.match(seg.fold)
    items: list[str] = []
    inline = seg.text[m.end():].strip()
    if inline:
        items.extend(p for p in _ADDRESSEE_SPLIT.split(inline))
    j = ki + 1
    while h.seg(j) is not None:
        s = h.segs[j]
        t = s.text.strip()
        if s.role == "rule":
            j += 1
            continue
        if s.role != "other":
            break
        if _LIST_DASH.match(t):
            items.append(t)
        elif items and _LOWER_START.match(t) and not _CLOSED.search(items[-1]):
            items[-1] += " " + t            # a wrapped addressee
        elif not items and len(t) <= 120 and not _body_cue(t):
            items.append(t)                 # one addressee under "Kính gửi:"
        else:
            break
        h.used.add(j)
        j += 1
    out.addressees = [a for a in (_clean_addressee(x) for x in items) if a]


def _clean_addressee(s: str) -> str:
    s = _LIST_DASH.sub("", s).strip()
    return squash_spaces(_ADDRESSEE_END.sub("", s))


def _set_body_start(h: _Header, doc: DocText) -> None:
    if not h.used:
        doc.body_start = 0
        return
    last = h.segs[max(h.used)].line
    k = last + 1
    # Rules and a Quyết định's authority line ("ỦY BAN NHÂN DÂN TỈNH ...") close the header.
    while k < len(doc.lines) and doc.lines[k].start < doc.footnote_start:
        t, f = doc.line_texts[k], doc.line_folds[k]
        if _RULE.match(t) or _AUTHORITY.match(f) and _is_caps(t) and len(t) <= _ISSUER_MAX \
                and not _BODY_CUE.match(t):
            k += 1
            continue
        break
    doc.body_start = doc.lines[k].start if k < len(doc.lines) else doc.footnote_start
    doc.body_start = min(doc.body_start, doc.footnote_start)


def _cross_check(doc: DocText, out: Document) -> None:
    """Compare with a portal's metadata block, when the page had one."""
    portal = doc.metadata.get("portal") or {}
    num = portal.get("Số hiệu")
    if num and out.number and _SPACE.sub("", num) != out.number:
        out.warnings.append(f"number {out.number} differs from the portal's {num}")
    elif num and not out.number:
        out.warnings.append(f"number is blank in the text; the portal gives {num}")


# --- the stage --------------------------------------------------------------------------------
def run(doc: DocText, out: Document) -> None:
    _run(doc, out)


def _run(doc: DocText, out: Document) -> None:
    h = _header(doc)
    strong = any(r in h.first for r in ("motto", "number", "vv"))
    news = None if strong else K.find_news(doc)
    if news is not None:
        _run_news(doc, out, news)
        return
    subject_typed = "type" in h.first
    if not (strong or subject_typed or K.has_closing(doc) or "date" in h.first and "kg" in h.first):
        out.kind = K.UNKNOWN
        out.warnings.append("no header and no news dateline: kind unknown")
        doc.body_start = 0
        return
    out.kind = K.ADMINISTRATIVE
    _parse_number(h, out)
    _parse_date(h, doc, out)
    _parse_subject(h, out)
    _parse_addressees(h, out)
    _parse_issuer(h, out)
    _set_body_start(h, doc)
    _cross_check(doc, out)


def _run_news(doc: DocText, out: Document, news: K.NewsHead) -> None:
    out.kind = K.NEWS
    out.doc_type = "TIN BÀI"
    headline = squash_spaces(doc.text[news.headline[0]:news.headline[1]])
    out.subject = out.title = headline
    out.date, out.year = news.date, news.year
    if news.byline:
        name = squash_spaces(doc.text[news.byline[0]:news.byline[1]])
        out.author = out.signer.name = name
        ln = doc.lines[doc.line_index(news.byline[0])]
        doc.body_end = min(ln.start, doc.body_end if doc.body_end is not None else ln.start)
    else:
        out.warnings.append("news item without a byline")
    doc.body_start = news.body_start
