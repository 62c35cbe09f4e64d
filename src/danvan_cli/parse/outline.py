"""Stage 'outline' (see parse/__init__.py): the sections of the body, as a flat list in order.

Headings are found at line starts between ``doc.body_start`` and ``doc.body_end``: parts
("PHẦN I", "A."), chapters ("Chương I"), Roman sections ("I. MỤC ĐÍCH, YÊU CẦU"), articles
("Điều 1."), arabic items ("1.", "1.1.") and lettered points ("a)"). "-" and "+" lines are
content. After the signature (``doc.closing_end`` .. ``doc.footnote_start``) only annexes are
read: "PHỤ LỤC ..." and annexed texts ("QUY CHẾ" over its subject), each a section of kind
"appendix" holding its own outline. An appendix heading inside the body starts one too.

Steps: *find* candidate heading lines (``find_candidates``, one regex per kind, in
``patterns``); *resolve* them into a tree (``build``): a candidate is taken when its number is
the next one expected under its parent, or when it stands after a closed sentence and starts
with a capital (then a skipped or repeated number is reported); *annotate* spans.

Levels follow the kinds present, in the rank order part > chapter > Roman > article > arabic >
lettered: level 1 is the top kind of this document (Roman sections, or Điều, or arabic items
when there are no Roman sections).

Ids (``Section.id``):
- Roman "II", arabic "II.3", lettered "II.3.a", "1.2." under "II.1" -> "II.1.2": parent id +
  "." + own number.
- Articles "Điều 3" (articles are numbered through the whole text, so a chapter does not
  prefix them); their clauses "Điều 3.1", points "Điều 3.1.a".
- Chapters "Chương II"; parts "Phần I" / "A".
- Appendices "PL1", "PL2" ... in order (printed numbers vary: "PHỤ LỤC", "Phụ lục I", "Mẫu số
  01"); everything inside an appendix is prefixed: "PL1.Chương I", "PL1.Điều 2", "PL1.II.1".
- A repeated id gets "#2", "#3" ... ("II.3#2"), with a warning; so does a skipped number
  ("section II.3 follows II.1: number 2 skipped").

``section_at(sections, offset)`` gives the innermost section holding an offset, for the stages
that place their objects (citations, assignments, deadlines).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Iterable

import regex as re

from .. import patterns as P
from ..agencies import REGEX_SPACES
from ..model import Document, Section
from .textdoc import DocText

# Candidate kinds, their rank (lower = higher in the tree) and Section.kind.
RANK = {"appendix": -1, "part": 0, "upper": 0, "chapter": 1, "roman": 2, "article": 3,
        "arabic": 4, "letter": 9}
SECTION_KIND = {"appendix": "appendix", "chapter": "chapter", "article": "article"}

_RE = {
    "appendix": re.compile(P.APPENDIX_HEADING),
    "part": re.compile(P.PART_HEADING),
    "chapter": re.compile(P.CHAPTER_HEADING),
    "article": re.compile(P.ARTICLE_HEADING),
    "roman": re.compile(P.ROMAN_HEADING),
    "upper": re.compile(P.PART_LETTER_HEADING),
    "arabic": re.compile(P.ARABIC_HEADING),
    "letter": re.compile(P.LETTER_HEADING),
}
# The numbers of their named groups. (The regex module reads a group's name through a failed
# conversion to a number, an exception raised and cleared: by number, the read costs a fifth.
# Every candidate line reads several.)
_GROUPS = {kind: rx.groupindex for kind, rx in _RE.items()}
# Tried in this order; the first match wins.
_ORDER = ("appendix", "part", "chapter", "article", "roman", "upper", "arabic", "letter")
# The first character each kind's pattern can match, as that pattern reads it ("(?i)" where
# the pattern has it): a line is tried only against the kinds its first character allows
# (``_kinds_for``), most lines of the running text against none.
_FIRST_CHAR = {
    "appendix": re.compile(r"(?i)p"),
    "part": re.compile(r"(?i)p"),
    "chapter": re.compile(r"(?i)c"),
    "article": re.compile(r"(?i)đ"),
    "roman": re.compile(r"[IVX]"),
    "upper": re.compile(r"[A-HJ-UWYĐ]"),
    "arabic": re.compile(r"\d"),
    "letter": re.compile(r"[a-zđ]"),
}


class _KindsByFirst(dict):
    """first character -> the kinds whose pattern may match a line starting with it (in
    ``_ORDER``), worked out once per character."""

    def __missing__(self, first: str) -> tuple[str, ...]:
        kinds = self[first] = tuple(k for k in _ORDER if _FIRST_CHAR[k].match(first))
        return kinds


_KINDS_BY_FIRST = _KindsByFirst()
_UNREAD = object()
_ANNEX_TYPE = re.compile(P.ANNEX_TYPE_LINE)
_OCR_ROMAN = re.compile(P.OCR_ROMAN_HEADING)
# Searched from the end (REVERSE): it is anchored there, and a forward search tried every
# word of the line.
_NUMBER_LEAD = re.compile(P.NUMBER_LEAD_WORDS, re.REVERSE)
# Its longest word: a match starts no earlier before the line's end (and its spaces) than
# this. Searched from there only: on a long line the search of every position cost much.
_NUMBER_LEAD_LEN = max(map(len, P.NUMBER_LEAD_WORD_LIST))
# Letters OCR reads for the strokes of a Roman numeral: "H" is "II", "L", "l", "T" are "I",
# "Y" is "V".
_OCR_ROMAN_MAP = str.maketrans({"H": "II", "L": "I", "l": "I", "T": "I", "Y": "V"})
_OCR_MAX_LEN = 150
_BULLET = re.compile(r"^\s*[-–—+•·*]")
# Space and a markdown heading mark ("## I. MỤC ĐÍCH") before a heading's label.
_LEAD = re.compile(r"^\s*(?:#{1,6}\s+)?")
_LOWER_START = re.compile(r"^[\p{Ll}]")
_LOWER = re.compile(r"\p{Ll}")
_LETTER = re.compile(r"\p{L}")
# A line that ends a sentence or a heading: the next line may open a new item.
_CLOSED = re.compile(r"(?:[.:;!?…)\]”\"’»]|\./\.)\s*$")
# What _CLOSED needs at the end, before the spaces its \s takes ("./." ends in "."):
# tested with ``str`` methods in ``_ends_closed``.
_CLOSING_MARKS = ".:;!?…)]”\"’»"
_TITLE_MARK = re.compile(r"^[.:\-–]\s*")
_UPPER_START = re.compile(r"^\p{Lu}")
_CAPITAL_START = re.compile(r"^[\p{Lu}\d]")
_DIGITS = re.compile(r"\d")
_NOT_DIGITS = re.compile(r"\D")
LETTERS = "abcdđeghiklmnopqrstuvxy"
LATIN = "abcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDĐEGHIKLMNOPQRSTUVXY"
ORDINALS = {"nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
            "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# Title lines joined to a heading printed alone ("Chương I" / "QUY ĐỊNH CHUNG"): at most this
# many, each shorter than this.
_MAX_TITLE_LINES = 3
_MAX_TITLE_LEN = 250


@dataclass(slots=True)     # (slots: one is made for nearly every line of a plan's body)
class Candidate:
    """A line that looks like a heading, before the numbering is checked."""
    kind: str
    num: str                   # as printed: "II", "3", "1.2", "a", "1", "thứ nhất", ""
    value: int                 # its ordinal (0 when unnumbered)
    label: str                 # "II.", "3.", "a)", "Điều 1.", "Chương I", "PHỤ LỤC 01"
    title: str
    heading: str
    start: int
    end: int                   # end of the heading text (after joined title lines)
    line: int                  # index in doc.lines
    after_closed: bool         # the line before ended a sentence (or there is none)
    read_as: str | None = None # an OCR-damaged Roman label as read ("HL."), when repaired
    cut_before: bool = False   # the line before breaks off before a number ("... theo khoản")

    @property
    def rank(self) -> int:
        if self.kind == "arabic":
            return RANK["arabic"] + self.num.count(".")
        return RANK[self.kind]


# --- numbers -------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1024)   # the same few numerals, read on every Roman-looking line
def roman_value(s: str) -> int:
    """I -> 1, XIV -> 14; 0 when ``s`` is not a well-formed Roman numeral."""
    s = s.upper()
    if not s or any(c not in _ROMAN for c in s):
        return 0
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total if _to_roman(total) == s else 0


def _to_roman(n: int) -> str:
    out = ""
    for v, r in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                 (4, "IV"), (1, "I")):
        while n >= v:
            out += r
            n -= v
    return out


def letter_value(ch: str, alphabet: str = LETTERS) -> int:
    if ch in alphabet:
        return alphabet.index(ch) + 1
    if ch.lower() in LATIN:  # "f" after "e" in lists typed in Latin order
        return LATIN.index(ch.lower()) + 1
    return 0


def number_value(kind: str, num: str) -> int:
    num = num.strip()
    if kind in ("roman",):
        return roman_value(num)
    if kind in ("chapter", "part", "appendix"):
        if not num:
            return 0
        if num.isdigit():
            return int(num)
        low = num.lower()
        if low.startswith("thứ"):
            return ORDINALS.get(low.split()[-1], 0)
        return roman_value(num) or (int(_NOT_DIGITS.sub("", num)) if _DIGITS.search(num) else 0)
    if kind in ("arabic",):
        return int(num.split(".")[-1])
    if kind == "article":
        return int(num)
    if kind == "letter":
        return letter_value(num)
    if kind == "upper":
        return letter_value(num, UPPER)
    return 0


# --- find ----------------------------------------------------------------------------------------

def is_caps(s: str) -> bool:
    return bool(_LETTER.search(s)) and not _LOWER.search(s)


def _title_ok(kind: str, title: str) -> bool:
    """Whether the rest of a matched line reads as a heading's title for its kind."""
    t = title.strip()
    if kind in ("chapter", "part", "appendix"):
        # "Chương II của Luật ...", "Phụ lục kèm theo ..." are sentences.
        return not t or not _LOWER_START.match(t)
    if kind == "upper":
        return is_caps(t) or bool(_UPPER_START.match(t))
    if kind == "roman":
        return not t or not _LOWER_START.match(t) or len(t) < 200
    return bool(t) or kind == "article"


def _kinds_for(first: str) -> tuple[str, ...]:
    """The kinds whose pattern may match a line starting with ``first`` (in ``_ORDER``)."""
    return _KINDS_BY_FIRST[first]


def match_heading(text: str) -> tuple[str, Any] | None:
    """The kind and regex match of a heading line (fold_tones text), or None."""
    for kind in _kinds_for(text[:1]):
        m = _RE[kind].match(text)
        if not m:
            continue
        g = _GROUPS[kind]
        title = (m.group(g["title"]) or "") if kind != "arabic" else \
            (m.group(g["title"]) or m.group(g["title2"]) or "")
        if kind == "roman" and not roman_value(m.group(g["num"])):
            continue
        if _title_ok(kind, title):
            return kind, m
    return None


def ocr_roman(text: str) -> tuple[str, str, str] | None:
    """(raw label, Roman numeral, title) of a line whose Roman label OCR damaged ("HL. Tổ
    chức thực hiện" -> III), or None."""
    m = _OCR_ROMAN.match(text)
    if not m or len(text) > _OCR_MAX_LEN:
        return None
    num = m.group("num").translate(_OCR_ROMAN_MAP)
    if not roman_value(num) or num == m.group("num") and m.group("label").rstrip()[-1:] in ".:":
        return None
    return m.group("label").strip(), num, m.group("title")


def _ends_closed(s: str) -> bool:
    """``bool(_CLOSED.search(s))`` without a regex call (it cost more than the test)."""
    last = s.rstrip(REGEX_SPACES)[-1:]
    return last != "" and last in _CLOSING_MARKS


def find_candidates(doc: DocText, lo: int, hi: int, annex_region: bool = False) -> list[Candidate]:
    """Heading candidates among the lines inside [lo, hi). In the region after the signature
    (``annex_region``) an annex type line ("QUY CHẾ") also opens an appendix. In OCR text a
    damaged Roman label is read as the numeral it resembles (``ocr_roman``)."""
    ocr = bool(doc.metadata.get("ocr"))
    idx = doc.lines_between(lo, hi)
    out: list[Candidate] = []
    skip: set[int] = set()
    seen: dict[str, tuple[str, Any] | None] = {}

    def heading_of(s: str) -> tuple[str, Any] | None:
        """match_heading, once per string: a line is read again as the line before the next."""
        found = seen.get(s, _UNREAD)
        if found is _UNREAD:
            found = seen[s] = match_heading(s)
        return found

    lines, texts, folds = doc.lines, doc.line_texts, doc.line_folds
    for p, i in enumerate(idx):
        if i in skip:
            continue
        ln = lines[i]
        if ln.in_table:
            continue  # numbered table rows are not the outline
        folded = folds[i]
        first = folded[:1]
        spaced = first == "#" or first.isspace()
        if not (spaced or _KINDS_BY_FIRST[first] or ocr or annex_region):
            continue  # "-", "+", "(" ...: no heading starts so, nothing to repair
        lead = _LEAD.match(folded).end() if spaced else 0
        found = heading_of(folded[lead:].rstrip())
        if found is None and not ocr and not annex_region:
            continue  # most lines: no heading, nothing to repair
        text = texts[i]
        read_as = None
        repaired = ocr_roman(text[lead:].rstrip()) if found is None and ocr else None
        if found is None and annex_region and _ANNEX_TYPE.match(folded[lead:].rstrip()):
            kind, label, num, title = "appendix", text[lead:].strip(), "", ""
        elif repaired:
            read_as, num, title = repaired
            kind, label = "roman", num + "."
        elif found is None:
            continue
        else:
            kind, m = found
            g = _GROUPS[kind]
            a, b = m.span(g["label"])
            label = text[lead + a:lead + b].strip()
            num = m.group(g["num"]) or (m.group(g["num2"]) if kind == "arabic" else "") or ""
            title = text[lead + b - a:].strip()
            title = _TITLE_MARK.sub("", title) if kind in ("chapter", "part", "appendix") \
                else title
        prev = texts[idx[p - 1]] if p else ""
        prev_closed = bool(prev) and _ends_closed(prev)
        # The line before ends a sentence, or is a heading (or a heading's title line).
        after_closed = not prev or prev_closed or is_caps(prev) \
            or idx[p - 1] in skip or heading_of(folds[idx[p - 1]]) is not None
        start, end = ln.start + lead, ln.end
        heading = text[lead:].strip() if not read_as else f"{label} {title}"
        # A heading printed alone ("Chương I", "PHỤ LỤC", "QUY CHẾ") takes its title from the
        # next lines; an upper-case title wrapped by the reader takes its upper-case rest.
        joined: list[int] = []
        if kind in ("appendix", "chapter", "part", "roman"):
            piece = title
            for q in idx[p + 1:p + 1 + _MAX_TITLE_LINES]:
                nt = texts[q].strip()
                if not nt or len(nt) > _MAX_TITLE_LEN or nt.startswith("(") or lines[q].in_table \
                        or _BULLET.match(nt) or heading_of(folds[q].strip()):
                    break  # "(Ban hành kèm theo ...)" and the content stay out of the title
                if not piece:
                    joined.append(q)   # the heading printed alone: this line is its title
                elif is_caps(piece) and is_caps(nt):
                    joined.append(q)   # an upper-case title wrapped over lines
                else:
                    break
                piece = nt
                if not is_caps(nt):
                    break
        if joined:
            parts = [texts[q].strip() for q in joined]
            title = " ".join(([title] if title else []) + parts)
            heading = " ".join([heading] + parts)
            end = lines[joined[-1]].end
            skip.update(joined)
        cut_before = bool(prev) and not prev_closed and bool(
            _NUMBER_LEAD.search(prev, max(0, len(prev.rstrip()) - _NUMBER_LEAD_LEN)))
        out.append(Candidate(kind, num, number_value(kind, num) if num else 0, label, title,
                             heading, start, end, i, after_closed, read_as, cut_before))
    return out


# --- resolve -------------------------------------------------------------------------------------

@dataclass(slots=True)     # (as Candidate: one per section)
class _Open:
    section: Section
    rank: int
    key: str                               # id part used by children
    last: dict[str, int] = field(default_factory=dict)   # kind -> last child number
    last_id: dict[str, str] = field(default_factory=dict)


def build(cands: list[Candidate], region_end: int, text: str,
          warnings: list[str], ids: dict[str, int], appendix_no: list[int],
          annex_region: bool = False) -> list[Section]:
    """Nest the accepted candidates into sections; spans end at the next heading of the same
    or a higher rank, or at ``region_end``."""
    sections: list[Section] = []
    stack: list[_Open] = []
    root = _Open(Section("", "", "", "", 0, None, (0, 0)), -2, "")

    def close(to_rank: int, at: int) -> None:
        while stack and stack[-1].rank >= to_rank:
            o = stack.pop()
            o.section.span = (o.section.span[0], _trim(text, o.section.span[0], at))

    started = not annex_region
    for c in cands:
        if c.kind == "appendix":
            close(RANK["appendix"], c.start)
            appendix_no[0] += 1
            sid = _unique(f"PL{appendix_no[0]}", ids, warnings)
            sec = Section(sid, c.label, c.heading, c.title or c.label, 1, None, (c.start, c.end),
                          kind="appendix")
            sections.append(sec)
            stack.append(_Open(sec, RANK["appendix"], sid))
            started = True
            continue
        if not started:
            continue  # after the signature, only inside an annex
        rank = c.rank
        # The ranks on the stack ascend (``close`` pops every one not below a new section's):
        # the open sections of a lower rank are the stack's first ``k``, the parent the last.
        k = len(stack)
        while k and stack[k - 1].rank >= rank:
            k -= 1
        parent = stack[k - 1] if k else root
        family = c.kind if c.kind != "arabic" else f"arabic{c.num.count('.')}"
        # Articles are numbered through the whole text (or annex), across chapters.
        counter = parent if c.kind != "article" else next(
            (o for o in reversed(stack[:k]) if o.section.kind == "appendix"), root)
        last = counter.last.get(family, 0)
        expected = last + 1
        if c.read_as and c.value != expected:
            continue  # an OCR repair only where that very number is due
        if c.cut_before:
            continue  # "... quy định tại khoản" / "3. Điều 5 ...": the sentence goes on
        if c.kind == "upper" and (c.value != expected or (expected == 1 and any(
                counter.last.get(k) for k in ("roman", "chapter", "article", "arabic0")))):
            # "A.", "B." are parts above the Roman sections only when "A." comes first; after
            # a Roman section they are points of a list, not a new top level.
            continue
        if c.value != expected:
            if not (c.after_closed and _capital_start(c)):
                continue  # a number inside running text, not a heading
            if c.kind in ("letter", "upper") and c.value > expected + 2:
                continue
        close(rank, c.start)
        key = _key(c, parent)
        prefix = parent.key + "." if parent.key else ""
        if c.kind in ("article", "chapter"):  # not prefixed by the chapter or part above
            sid_base = _appendix_prefix(stack) + key
        else:
            sid_base = prefix + key
        sid = _unique(sid_base, ids, warnings)
        if c.read_as:
            warnings.append(
                f"section {sid}: label read as {c.read_as!r} (OCR), taken as {c.label}")
        if c.value != expected and c.value:
            prev_id = counter.last_id.get(family)
            if c.value > expected and prev_id:
                gap = str(expected) if c.value == expected + 1 else f"{expected}-{c.value - 1}"
                word = "number" if c.value == expected + 1 else "numbers"
                warnings.append(f"section {sid} follows {prev_id}: {word} {gap} skipped")
            elif c.value > expected:
                where = parent.section.id or "the top level"
                warnings.append(f"section {sid} opens {where}: number {expected} missing")
            elif prev_id and c.value < last:
                warnings.append(f"section {sid} follows {prev_id}: numbering goes back")
        sec = Section(sid, c.label, c.heading, c.title, len(stack) + 1, parent.section.id or None,
                      (c.start, c.end), SECTION_KIND.get(c.kind, "section"))
        sections.append(sec)
        counter.last[family] = c.value
        counter.last_id[family] = sid
        stack.append(_Open(sec, rank, sid, {}, {}))
    close(-99, region_end)
    return sections


def _capital_start(c: Candidate) -> bool:
    t = c.title.lstrip("“\"'(«[ ")
    return not t or bool(_CAPITAL_START.match(t))


def _key(c: Candidate, parent: _Open) -> str:
    if c.kind == "article":
        return f"Điều {c.num}"
    if c.kind == "chapter":
        return f"Chương {c.num.upper()}"
    if c.kind == "part":
        return f"Phần {c.num}"
    if c.kind == "arabic" and "." in c.num:
        # "1.2" under the arabic item "1": its own number only.
        parent_num = parent.section.label.rstrip(".)").strip()
        head, _, tail = c.num.rpartition(".")
        return tail if parent_num == head or parent_num.endswith(head) else c.num
    return c.num


def _appendix_prefix(stack: list[_Open]) -> str:
    for o in stack:
        if o.section.kind == "appendix":
            return o.key + "."
    return ""


def _unique(sid: str, ids: dict[str, int], warnings: list[str]) -> str:
    n = ids.get(sid, 0) + 1
    ids[sid] = n
    if n == 1:
        return sid
    new = f"{sid}#{n}"
    warnings.append(f"section {sid} appears {n} times: this one is {new}")
    return new


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# --- the stage -----------------------------------------------------------------------------------

def outline(doc: DocText) -> tuple[list[Section], list[str]]:
    """The sections of ``doc`` and the warnings about their numbering."""
    warnings: list[str] = []
    ids: dict[str, int] = {}
    appendix_no = [0]
    body_lo = doc.body_start or 0
    body_hi = doc.body_end if doc.body_end is not None else doc.footnote_start
    sections = build(find_candidates(doc, body_lo, body_hi), body_hi, doc.text, warnings, ids,
                     appendix_no)
    if doc.closing_end is not None and doc.closing_end < doc.footnote_start:
        sections += build(find_candidates(doc, doc.closing_end, doc.footnote_start, True),
                          doc.footnote_start, doc.text, warnings, ids, appendix_no, True)
    return sections, warnings


def run(doc: DocText, out: Document) -> None:
    out.sections, warnings = outline(doc)
    out.warnings += warnings


def section_at(sections: Iterable[Section | dict], offset: int) -> str | None:
    """The id of the innermost section whose span holds ``offset`` (Section objects or their
    dicts), or None."""
    best, best_key = None, None
    for s in sections:
        if isinstance(s, dict):
            sid, span, level = s.get("id"), s.get("span") or (0, 0), s.get("level") or 0
        else:
            sid, span, level = s.id, s.span, s.level
        if span[0] <= offset < span[1]:
            key = (level, span[0])
            if best_key is None or key > best_key:
                best, best_key = sid, key
    return best
