"""Stage 'assignments': who is assigned what (see parse/__init__.py).

Find, then resolve, then annotate:

- *find*: the body is read as logical paragraphs with their numbering (``scan``), each item
  (a numbered heading and what follows it up to the next item of its rank or above) known;
- the statements of an assignment are found in each paragraph:
    "Giao X chủ trì, phối hợp với Y ..."          X, role chủ trì, partners [Y]
    "Đề nghị X ..."                                X, role đề nghị (a body the issuer does not command)
    "... yêu cầu X ..."                            X, role thực hiện
    "X chủ trì ..." / "X có trách nhiệm ..." / "X, Y chịu trách nhiệm thi hành ..."
    "X, Y, Z chủ động phối hợp ..." at the start of a paragraph    one assignment each
    "X ... báo cáo ..." at the start of a paragraph                 role báo cáo
    a numbered heading naming an agency ("1. Văn phòng Sở", "2. Đối với các cơ quan ...",
    "3. Đề nghị UBMTTQVN xã ...", "Điều 6. Trách nhiệm của Sở Nội vụ") owns the paragraphs below it;
- *resolve*: paragraphs that name no agency continue the task of the assignment before them in
  the same item; the agency key is computed (``agencies.agency_key``, the document's place as
  context); the section is looked up.

The weaker forms (an agency opening a paragraph, a heading naming one) count only inside the
"TỔ CHỨC THỰC HIỆN" part when the document has one (a công văn has none: its whole body
assigns). The closing formula ("Trên đây là Kế hoạch ..., yêu cầu các cơ quan ... triển khai
thực hiện", "nếu có khó khăn, vướng mắc ... phản ánh về ...") assigns nothing new.

``scan`` and ``Para`` are shared with parse.deadlines, with the per-document helpers
(``per_text``, ``lowered``, ``finditer_hinted``, sentence starts).
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re as stdre
from dataclasses import dataclass, field

import regex as re

from ..agencies import KEEP_GIL, REGEX_SPACES, AgencyRun, agency_key, read_agencies
from ..model import Assignment, Document
from ..normalize import fold_search
from .textdoc import DocText

# --- the body as paragraphs and items ---------------------------------------------------------

# A paragraph's numbering: "Chương III", "Điều 3.", "III.", "2.", "2.1.", "a)", "- ".
_LABEL = re.compile(
    r"(?m)^\s*(?:(?P<chapter>(?i:chương)\s+[IVXLC\d]+)\b\.?"
    r"|(?P<article>Điều\s+\d{1,3})\s*[.:]"
    r"|(?P<roman>[IVXLC]{1,6})\s*[.:)](?=\s|$)"
    r"|(?P<arabic>\d{1,2}(?:\.\d{1,2})*)(?:\s*[.)]|(?<=\.\d{1,2})(?=\s))(?![\d/%])"
    r"|(?P<letter>[a-zđ])\s*[).](?=\s)"
    r"|(?P<bullet>[-–+•*])(?=\s))\s*")
_RANK = {"chapter": 0, "roman": 1, "article": 2, "arabic": 3, "letter": 6, "bullet": 7, "plain": 8}
HEADING_KINDS = ("chapter", "roman", "article", "arabic", "letter")
_CLOSED_END = re.compile(r"[.,;:!?…/\"”)]\s*$")


@dataclass(slots=True)  # (slots: read field by field, paragraph after paragraph, by both stages)
class Para:
    start: int                  # the paragraph, label included
    end: int
    body: int                   # after the label
    kind: str                   # chapter | article | roman | arabic | letter | bullet | plain
    label: str = ""
    rank: int = 8
    item_end: int = 0           # a heading: where its item ends
    index: int = 0
    parent: int | None = None   # the innermost heading whose item holds this paragraph
    first_sibling: int | None = None  # a heading: the first heading of its list
    # whether kind is a heading's: set once (kind never changes), the stages ask it of every
    # paragraph many times
    heading: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.heading = self.kind in HEADING_KINDS


@dataclass
class Body:
    paras: list[Para]
    region: list[tuple[int, int]]               # the spans searched: body, then appendices
    scopes: list[tuple[int, int]] = field(default_factory=list)   # "TỔ CHỨC THỰC HIỆN" parts
    closing: set[int] = field(default_factory=set)                 # indexes of closing paragraphs
    basis: set[int] = field(default_factory=set)                   # opening Căn cứ / Thực hiện
    narrative: bool = False     # a report: its subjects did things, they are not assigned them

    _starts: list[int] = field(default_factory=list, repr=False)

    def para_at(self, offset: int) -> Para | None:
        if not self._starts:
            self._starts = [p.start for p in self.paras]
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset <= self.paras[i].end:
            return self.paras[i]
        return None

    def item_of(self, offset: int, below_rank: int = 99) -> Para | None:
        """The innermost heading above ``below_rank`` whose item holds ``offset``."""
        p = self.para_at(offset)
        if p is None:
            # between paragraphs: the paragraph before holds it
            i = bisect.bisect_right(self._starts, offset) - 1  # (para_at filled _starts)
            p = self.paras[i] if i >= 0 else None
        while p is not None:
            if p.heading and p.rank < below_rank and p.start <= offset < p.item_end:
                return p
            p = self.paras[p.parent] if p.parent is not None else None
        return None

    def in_scope(self, offset: int) -> bool:
        if not self.scopes:
            return not self.narrative
        for s, e in self.scopes:  # (a loop: a generator per paragraph cost more than the test)
            if s <= offset < e:
                return True
        return False


_NOI_NHAN = re.compile(r"^\s*(?:Nơi nhận|NƠI NHẬN)\s*:?", re.M)
# What follows the signature and still holds tasks: an appendix, the rules a Quyết định issues.
_APPENDIX = re.compile(r"^\s*(?:PHỤ LỤC|Phụ lục|QUY CHẾ|QUY ĐỊNH|HƯỚNG DẪN|ĐIỀU LỆ|\((?i:ban hành kèm theo))", re.M)
_SCOPE_TITLE = re.compile(r"to chuc thuc hien|trach nhiem thuc hien|phan cong thuc hien|phan cong nhiem vu"
                          r"|to chuc trien khai|trach nhiem cua cac|trach nhiem to chuc")
# Types that narrate what was done; outside a "TỔ CHỨC THỰC HIỆN" part they assign only by
# the explicit forms ("Giao X", "Đề nghị X").
_NARRATIVE_TYPES = {"BÁO CÁO", "TIN BÀI", "BIÊN BẢN", "TỜ TRÌNH"}
_BASIS = re.compile(r"\G\s*(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Theo|Tiếp theo)\b", re.I)
_CLOSING = re.compile(r"\G\s*Trên đây\b|nếu có (?:khó khăn|vướng mắc|phát sinh|vấn đề)", re.I)


def _region(doc: DocText) -> list[tuple[int, int]]:
    start = doc.body_start or 0
    end = doc.body_end if doc.body_end is not None else doc.footnote_start
    if end >= doc.footnote_start:  # no closing found by the closing stage: stop at "Nơi nhận"
        m = _NOI_NHAN.search(doc.match, start, doc.footnote_start, KEEP_GIL)
        if m:
            end = m.start()
    spans = [(start, end)]
    m = _APPENDIX.search(doc.match, end, doc.footnote_start, KEEP_GIL)
    if m:
        spans.append((m.start(), doc.footnote_start))
    return spans


_RX_SPACE = REGEX_SPACES  # what \s matches: str.rstrip(_RX_SPACE) stands in for "\s*$"
_CLOSED_END_CHARS = frozenset(".,;:!?…/\"”)")


# The characters a _LABEL can start with, after its spaces: "chương" in any case, "Điều",
# Roman [IVXLC], [a-zđ], bullets; a digit (\d) is tested apart.
_LABEL_FIRST = frozenset("cCĐIVXL" + "abcdefghijklmnopqrstuvwxyzđ" + "-–+•*")


# The common labels, a mark then a plain space ("1. ", "12) ", "II. ", "a) ", "- "): no other
# alternative of _LABEL can match a line opening so (a "C" or "c" may open "Chương": those are
# left to _LABEL), and _LABEL reads them alike. One call of the ``re`` module per line.
_QUICK_LABEL = stdre.compile(r"(?P<arabic>[0-9]{1,2})[.)] |(?P<roman>[IVXL][IVXLC]{0,5})[.:)] "
                             r"|(?P<letter>[abd-zđ])[).] |(?P<bullet>[-–+•*]) ")


def _label(match: str, start: int, end: int) -> tuple[str, str, int] | None:
    """What ``_LABEL.match(match, start, end)`` reads: (kind, label, where the match ends), or
    None. Skipped where the line cannot start with a label; the common forms read without the
    regex module (_QUICK_LABEL)."""
    i = start
    while i < end and match[i] in _RX_SPACE:
        i += 1
    if i == end:
        return None
    ch = match[i]
    if ch not in _LABEL_FIRST and not ch.isdecimal() and ch < "\U00010000":
        return None
    q = _QUICK_LABEL.match(match, i, end) if start == 0 or match[start - 1] == "\n" else None  # (^)
    if q is not None:
        j = q.end()
        while j < end and match[j] in _RX_SPACE:  # _LABEL's spaces after the label
            j += 1
        return q.lastgroup, q.group(q.lastindex), j
    m = _LABEL.match(match, start, end, KEEP_GIL)
    return (m.lastgroup, m.group(m.lastindex), m.end()) if m else None


def _closed_end(line: str) -> bool:
    """``_CLOSED_END.search(line)`` for a line (no line break inside)."""
    line = line.rstrip(_RX_SPACE)
    return bool(line) and line[-1] in _CLOSED_END_CHARS


def per_text(f):
    """``f(text, *args)`` worked out once per document: the values for the last ``text`` seen
    are kept (it is held, so the same object is the same document) and shared by every caller,
    who must not change them. For what the stages ask of a document again and again, paragraph
    after paragraph and deadline after deadline."""
    last: list = [(None, {})]   # (text, values by args), replaced whole

    @functools.wraps(f)
    def once(text: str, *args):
        held, memo = last[0]
        if held is not text:
            memo = {}
            last[0] = (text, memo)
        if args not in memo:
            memo[args] = f(text, *args)
        return memo[args]
    return once


def per_document(f):
    """``f(text)`` worked out once per document, as ``per_text`` does for functions of the
    text alone, with less to do per call (they are asked once per paragraph or more)."""
    last: list = [None, None]   # text, value

    @functools.wraps(f)
    def once(text: str):
        if last[0] is not text:
            last[1] = f(text)
            last[0] = text
        return last[1]
    return once


# The regex module's (?i) also matches "İ" for "i" and "ſ" for "s", which str.lower() keeps
# apart: mapped first. No other character changes length in lower(), so lowered text keeps
# the offsets of the text.
CASE_EXTRA = str.maketrans({"\u0130": "i", "\u017f": "s"})


@per_document
def lowered(match: str) -> str:
    """The document's ``match`` text in lower case, same offsets, for plain-word tests in front
    of case-insensitive regexes: lowered once per document, not once per paragraph."""
    low = match.translate(CASE_EXTRA) if "\u0130" in match or "\u017f" in match else match
    return low.lower()


def finditer_hinted(rx: re.Pattern, hint: stdre.Pattern, hint_text: str, text: str, s: int, e: int):
    """``rx.finditer(text, s, e)`` for a pattern whose every match starts where ``hint`` finds
    one of its first words in ``hint_text`` (``text`` itself, or ``lowered(text)`` for a
    case-insensitive rx): rx is tried only there. A pattern opening with a lookbehind or (?i)
    is tried by the regex module at every position; the ``re`` module finds plain words far
    faster."""
    pos = s
    while True:
        h = hint.search(hint_text, pos, e)
        if h is None:
            return
        m = rx.match(text, h.start(), e, KEEP_GIL)
        if m:
            yield m
            pos = m.end()
        else:
            pos = h.start() + 1


# The last scan, reused when the next stage scans the same document (assignments, then
# deadlines): keyed on the document object and every field scan reads.
_last_scan: tuple | None = None


def _scan_key(doc: DocText, doc_type: str | None) -> tuple:
    return (doc, doc.text, doc.match, doc.lines, len(doc.lines), doc.body_start, doc.body_end,
            doc.footnote_start, doc_type)


def scan(doc: DocText, doc_type: str | None = None) -> Body:
    """The body (and appendices) as logical paragraphs with their numbering and items."""
    global _last_scan
    key = _scan_key(doc, doc_type)
    last = _last_scan
    if last is not None and last[0][0] is doc and all(a is b or a == b for a, b in zip(last[0][1:], key[1:])):
        return last[1]
    body = _scan(doc, doc_type)
    _last_scan = (key, body)
    return body


def _line_start(ln) -> int:
    return ln.start


def _scan(doc: DocText, doc_type: str | None) -> Body:
    region = _region(doc)
    paras: list[Para] = []
    limits: list[int] = []  # each paragraph's region end (the region it is read in holds its start)
    for rs, re_ in region:
        # the region's lines, not empty (lines ascend: from the first starting in it to the
        # first ending past it)
        lines = []
        for ln in itertools.islice(doc.lines, bisect.bisect_left(doc.lines, rs, key=_line_start), None):
            if ln.end > re_:
                break
            if ln.end > ln.start:
                lines.append(ln)
        labels = [_label(doc.match, ln.start, ln.end) for ln in lines]
        i = 0
        while i < len(lines):
            ln = lines[i]
            m = labels[i]
            kind = m[0] if m else "plain"
            if kind == "chapter" and not doc.match[m[2]:ln.end].strip() and i + 1 < len(lines):
                # "Chương III" alone: its title is the next line
                i += 1
                para = Para(ln.start, lines[i].end, lines[i].start, kind, m[1].strip(), _RANK[kind])
            elif m:
                label = m[1].strip()
                # arabic depth counts ("2.1." is below "2.")
                para = Para(ln.start, ln.end, m[2], kind, label,
                            _RANK[kind] + label.count(".") if kind == "arabic" else _RANK[kind])
            else:
                para = Para(ln.start, ln.end, ln.start, kind, "", _RANK[kind])
            # A paragraph hard-wrapped before a capital (PDF text, wrapped .txt): the line is long,
            # open (no closing mark) and the next line is no new item.
            while (i + 1 < len(lines) and doc.lines and lines[i].end - lines[i].start >= 70
                   and not _closed_end(doc.text[lines[i].start:lines[i].end])
                   and not labels[i + 1]):
                i += 1
                para.end = lines[i].end
            para.index = len(paras)
            paras.append(para)
            limits.append(re_)
            i += 1
    # items: a heading's item ends at the next heading of its rank or above (or its region's
    # end); open items form a stack of increasing rank, whose top holds the next paragraph. A
    # heading closes the open items of its rank or below as it comes (one pass): an item open
    # until then ends there, else at its region's end (it never runs into an appendix).
    open_: list[Para] = []
    first: dict[tuple, int] = {}
    for i, p in enumerate(paras):
        while open_ and open_[-1].item_end <= p.start:
            open_.pop()
        if p.heading:
            while open_ and open_[-1].rank >= p.rank:
                open_.pop().item_end = p.start
            p.item_end = limits[i]  # (until a heading closes it)
        p.parent = open_[-1].index if open_ else None
        if p.heading:
            p.first_sibling = first.setdefault((p.parent, p.rank), i)
            open_.append(p)
    body = Body(paras, region, narrative=(doc_type or "").upper() in _NARRATIVE_TYPES)
    for p in paras:
        if p.heading and p.rank <= 3 and p.end - p.body < 120 and _scope_title(doc.text[p.body:p.end]):
            body.scopes.append((p.start, p.item_end))
    first_heading = next((p.index for p in paras if p.heading), len(paras))
    for p in paras[:first_heading]:
        if _BASIS.match(doc.match, p.body, p.end, KEEP_GIL):
            body.basis.add(p.index)
    body.closing = _closing_paras(doc, paras)
    body_end = region[0][1]
    last = next((p for p in reversed(paras) if p.end <= body_end), None)
    if last is not None:
        t = doc.match[last.body:last.end].rstrip()
        if t.endswith("/.") or t.endswith("./"):
            body.closing.add(last.index)
    return body


def _closing_paras(doc: DocText, paras: list[Para]) -> set[int]:
    """The paragraphs _CLOSING finds in (a closing formula), looked for only in those printing
    one of its phrases (no i or s in them: the lowered text is exact)."""
    near = paras_holding(lowered(doc.match), paras, ("trên đây", "nếu có "))
    return {k for k in near if _CLOSING.search(doc.match[paras[k].body:paras[k].end], None, None, KEEP_GIL)}


def paras_holding(low: str, paras: list[Para], words: tuple[str, ...]) -> set[int]:
    """The indexes of the paragraphs whose [body, end) holds one of ``words`` in ``low``: each
    word looked for once through the paragraphs' span, each place found given to the paragraph
    holding it (paragraphs ascend and do not overlap). One pass per word, where testing each
    paragraph for each word cost a call per test."""
    held: set[int] = set()
    if not paras:
        return held
    bodies = [p.body for p in paras]
    lo, hi = paras[0].body, paras[-1].end
    for w in words:
        q = low.find(w, lo, hi)
        while q >= 0:
            k = bisect.bisect_right(bodies, q) - 1
            if q + len(w) <= paras[k].end:
                held.add(k)
            q = low.find(w, q + 1, hi)
    return held


@functools.lru_cache(maxsize=4096)
def _scope_title(title: str) -> bool:
    """Whether a heading's title names the "TỔ CHỨC THỰC HIỆN" part (kept: the same titles
    come back document after document, and folding is most of the cost)."""
    return _SCOPE_TITLE.search(fold_search(title)) is not None


def _region_end(region: list[tuple[int, int]], offset: int) -> int:
    for s, e in region:
        if s <= offset < e:
            return e
    return region[-1][1]


class SectionIndex:
    """``outline.section_at(sections, offset)`` for any offset by bisection: the section
    boundaries cut the text into pieces, each held by the same sections throughout, so the
    innermost one (highest (level, start), the first of equals) is worked out once per piece.
    A linear scan per lookup made a long document's lookups quadratic."""

    def __init__(self, sections) -> None:
        items = []
        for s in sections:
            if isinstance(s, dict):
                sid, span, level = s.get("id"), s.get("span") or (0, 0), s.get("level") or 0
            else:
                sid, span, level = s.id, s.span, s.level
            items.append((sid, span[0], span[1], level))
        self.points = sorted(set([it[1] for it in items] + [it[2] for it in items]))
        self.best: list = [None] * len(self.points)
        where = {x: k for k, x in enumerate(self.points)}
        # The innermost sections first (the sort is stable: the first of equals first), each
        # taking the pieces of its span no section before it took. A taken piece k points past
        # itself: nxt[k] > k and the pieces up to nxt[k] are taken, so a section holding inner
        # ones steps over them at once (one pass, where each section over each of its pieces
        # cost as much as its span).
        order = sorted(items, key=lambda it: (it[3], it[1]), reverse=True)
        nxt = list(range(len(self.points)))
        for sid, a, b, _ in order:
            first, stop = where[a], where[b]
            k = first
            while k < stop:
                if nxt[k] == k:
                    self.best[k] = sid
                    nxt[k] = k + 1
                    k += 1
                else:
                    k = nxt[k]
            if first < stop and nxt[first] < stop:
                nxt[first] = stop

    def at(self, offset: int):
        k = bisect.bisect_right(self.points, offset) - 1
        return self.best[k] if 0 <= k < len(self.points) - 1 else None


# The last index built, shared by the stages that look sections up (citations, assignments,
# deadlines): keyed on the sections list itself and its length.
_last_index: tuple | None = None


def section_index(sections) -> SectionIndex | None:
    """An index answering as the outline stage's ``section_at`` does, or None (no such
    function, or sections it cannot read: the caller then asks the slow way)."""
    global _last_index
    last = _last_index
    if last is not None and last[0] is sections and last[1] == len(sections):
        return last[2]
    try:
        index = SectionIndex(sections)
    except Exception:  # sections it cannot index: section_of asks outline.section_at
        index = None
    _last_index = (sections, len(sections), index)
    return index


def section_of(out: Document, body: Body, offset: int) -> str | None:
    """The outline's section holding ``offset`` (None when the outline has none there)."""
    if not out.sections:
        return None
    index = section_index(out.sections)
    if index is not None:
        return index.at(offset)
    from .outline import section_at  # the outline stage's own lookup
    return section_at(out.sections, offset)


# --- finding the statements -------------------------------------------------------------------

# Sentence and clause starts inside a paragraph.
_SENTENCE_START = re.compile(r"(?:(?<=[.!?]\s+)|(?<=;\s*))(?=\p{Lu})")
_GIAO = re.compile(r"(?<!\p{L})[Gg]iao(?:\s+cho)?\s+(?=\S)")
_DE_NGHI = re.compile(r"(?<!(?i:theo|xét|của|kiến nghị,?|và) )(?<!\p{L})(?:Đề nghị|đề nghị)\s+(?!của\b)")
_YEU_CAU = re.compile(r"(?<!(?i:theo|đáp ứng|đích,?|và|những|các|có) )(?<!\p{L})(?:Yêu cầu|yêu cầu)\s+(?!của\b)")
# The words each of those starts with (see finditer_hinted).
_GIAO_HINT = stdre.compile("[Gg]iao")
_DE_NGHI_HINT = stdre.compile("[Đđ]ề nghị")
_YEU_CAU_HINT = stdre.compile("[Yy]êu cầu")
_OWNER_PREFIX = re.compile(r"\G\s*(?P<p>(?i:đối với|trách nhiệm của|nhiệm vụ của|giao(?:\s+cho)?|đề nghị))\s+")
# Verbs after a subject that make the issuer the subject, not the assignee.
_ISSUER_VERBS = {"yêu cầu", "đề nghị", "giao", "ban hành", "căn cứ", "căn cứ vào", "theo chức năng"}
_STRONG_VERBS = {"chủ trì", "chịu trách nhiệm", "có trách nhiệm"}
# The words _OWNER_PREFIX starts with, lower case (tested on the lowered text).
_OWNER_WORDS = ("đối với", "trách nhiệm của", "nhiệm vụ của", "giao", "đề nghị")
_PARTNERS = re.compile(r"(?<!\p{L})phối hợp(?:\s+chặt chẽ)?(?:\s+với)\s+")
# The issuer introducing its own text: "UBND xã Nghĩa Kỳ xây dựng kế hoạch ... như sau:".
_INTRO = re.compile(r"(?i)xây dựng\s+(?:kế hoạch|chương trình)[^.;]*như sau\s*:?\s*$")


@dataclass(slots=True)
class _Found:
    names: list[tuple[str, int, int]]
    role: str
    start: int                  # where the statement starts (sentence start)
    task_start: int             # where the task text starts
    end: int
    partners: list[str] = field(default_factory=list)
    owner: bool = False         # a heading that owns the paragraphs below it


_CHU_DONG_END = re.compile(r"chủ động\s*$")
_LOWER_LETTER = re.compile(r"\p{Ll}")
# A clause mark, its spaces (at least one after [.!?]) and a capital: its end is where
# _SENTENCE_START holds (see _starts_from). (Possessive: giving spaces back can never
# bring a capital after them.)
_MARK_SPACES_CAPITAL = re.compile(r"(?:;\s*+|[.!?]\s++)(?=\p{Lu})")


def _role(run: AgencyRun, match: str) -> str:
    v = run.stop_word.strip().lower() if run.stop == "verb" else ""
    if v == "chủ trì":
        return "chủ trì"
    if v == "phối hợp" and not _CHU_DONG_END.search(match[max(0, run.end - 12):run.end + 1], None, None, KEEP_GIL):
        return "phối hợp"
    if v == "báo cáo":
        return "báo cáo"
    return "thực hiện"


def _sentence_starts(match: str, lo: int, hi: int) -> list[int]:
    """``[m.start() for m in _SENTENCE_START.finditer(match, lo, hi)]``: the sentence starts
    that fall in [lo, hi)."""
    starts = _starts_from(match, lo, hi)
    return starts[:bisect.bisect_left(starts, hi)]


def _sentence_start(match: str, lo: int, pos: int, hi: int = 0) -> int:
    """The last sentence start in [lo, pos], else ``lo``. ``hi``: where the paragraph ends, if
    known (the starts are then read up to it once for every later question)."""
    starts = _starts_from(match, lo, max(pos + 1, hi))
    i = bisect.bisect_right(starts, pos) - 1
    return starts[i] if i >= 0 else lo


@per_document
def _read_starts(match: str) -> dict[int, tuple[int, list[int]]]:
    """The sentence starts read so far in the document: from lo, up to hi, by lo."""
    return {}


def _starts_from(match: str, lo: int, hi: int) -> list[int]:
    """The sentence starts from ``lo`` on, at least up to ``hi`` (ascending), read once per
    paragraph (every paragraph, statement and deadline asks; most of a text is never asked
    about). Read from the clause marks instead of testing _SENTENCE_START's two variable
    lookbehinds at every position: a capital after [.!?] and at least one space, or after ";"
    and any spaces. A mark before ``lo`` counts when its spaces reach ``lo``: the scan starts at
    the mark just before the spaces before ``lo``; a capital at or past ``hi`` is not seen, as
    _SENTENCE_START's lookahead does not see past the end of a range."""
    read = _read_starts(match)
    got = read.get(lo)
    if got is None or got[0] < hi:
        i = lo
        while i > 0 and match[i - 1] in _RX_SPACE:
            i -= 1
        if i > 0 and match[i - 1] in ";.!?":
            i -= 1
        got = read[lo] = (hi, [m.end() for m in _MARK_SPACES_CAPITAL.finditer(match, i, hi, False, KEEP_GIL)])
    return got[1]


def _partners(doc: DocText, start: int, end: int) -> list[str]:
    m = _partners_at(doc.match, start, end)
    if not m:
        return []
    run = read_agencies(doc.match, doc.text, m.end(), end)
    return [n for n, _, _ in run.names] if run else []


def _has_word(t: str, s: int, e: int, words) -> bool:
    """Whether one of ``words`` is in ``t[s:e]``."""
    for w in words:
        if t.find(w, s, e) >= 0:
            return True
    return False


def _partners_at(t: str, start: int, end: int):
    """``_PARTNERS.search(t, start, end)``, tried only where "phối hợp" is: every match starts
    there (a search would test its lookbehind at every position of the paragraph)."""
    i = t.find("phối hợp", start, end)
    while i >= 0:
        m = _PARTNERS.match(t, i, end, KEEP_GIL)
        if m:
            return m
        i = t.find("phối hợp", i + 1, end)
    return None


def prefix_match(rx: re.Pattern, words: tuple[str, ...], t: str, s: int, e: int):
    """``rx.match(t, s, e)`` for a case-insensitive ``rx`` reading spaces (\\s*) then one of
    ``words`` (lower case), tried only where the lowered text has one of them after the spaces:
    most places have none, and the regex costs more than the test."""
    i = s
    while i < e and t[i] in _RX_SPACE:
        i += 1
    return rx.match(t, s, e, KEEP_GIL) if lowered(t).startswith(words, i, e) else None


def _find_in_para(doc: DocText, body: Body, p: Para) -> list[_Found]:
    """The assignment statements of one paragraph, in text order."""
    t, s, e = doc.match, p.body, p.end
    basis = p.index in body.basis  # "Thực hiện ...; UBND tỉnh yêu cầu X ...": explicit forms only
    weak = not basis and body.in_scope(p.start)
    closing = p.index in body.closing
    # Which forms can hold, from plain words first: most paragraphs hold none of them, and then
    # no run of names is read.
    # A numbered heading that only names an agency owns the item below it: inside the scope, or
    # after a prefix ("Đối với ...", "Đề nghị ...").
    pm = prefix_match(_OWNER_PREFIX, _OWNER_WORDS, t, s, e) if p.heading and not basis else None
    owner = p.heading and not basis and (weak or pm is not None)
    giao = t.find("iao", s, e) >= 0
    de_nghi = not closing and t.find("ề nghị", s, e) >= 0
    yeu_cau = not closing and t.find("êu cầu", s, e) >= 0
    # "X chủ trì ...", "X có trách nhiệm ...", "X chịu trách nhiệm thi hành" at a sentence start;
    # any verb at the paragraph's start inside the scope. A run ends at a verb as printed, so
    # where none of "giao" and the strong verbs is printed only that first form can hold.
    if basis:
        starts = []
    elif ((giao and t.find("giao", s, e) >= 0) or t.find("chủ trì", s, e) >= 0
          or (t.find("trách nhiệm", s, e) >= 0 and _has_word(t, s, e, _STRONG_VERBS))):
        starts = [s] + _sentence_starts(t, s, e)
    else:
        starts = [s] if weak and not closing else []
    if not (owner or giao or de_nghi or yeu_cau or starts):
        return []

    capitals = p.heading and not _LOWER_LETTER.search(t, s, e, KEEP_GIL)
    found: list[_Found] = []
    used: list[tuple[int, int]] = []  # runs already read: a name is assigned once

    def agencies_at(pos: int, caps: bool = False) -> AgencyRun | None:
        return read_agencies(t, doc.text, pos, e, capitals=caps)  # (read once: kept per document)

    def taken(pos: int) -> bool:
        for a, b in used:  # (a loop: a generator per test cost more than the test)
            if a <= pos < b:
                return True
        return False

    def add(run: AgencyRun, role: str, start: int) -> None:
        if taken(run.start):
            return
        used.append((run.start, run.end))
        task_start = run.end
        if run.stop == "punct" and t[run.end:run.end + 1] in ":.":
            task_start = run.end + 1
        while task_start < e and t[task_start] in " :,":
            task_start += 1
        found.append(_Found(run.names, role, start, task_start, e, _partners(doc, run.end, e)))

    if owner:
        at = pm.end() if pm else s
        run = agencies_at(at, capitals)
        if run and run.stop in ("end", "punct") and not t[run.end:e].strip(" .:;"):
            # (the prefix folded only here: most headings go on to the other forms)
            role = "đề nghị" if pm and fold_search(pm.group("p")) == "de nghi" else "thực hiện"
            found.append(_Found(run.names, role, s, e, e, [], owner=True))
            return found
    # "Giao X ..." (each statement's regex runs only where its words are)
    for m in finditer_hinted(_GIAO, _GIAO_HINT, t, t, s, e) if giao else ():
        if m.start() != s and t[s:m.start()].rstrip(_RX_SPACE)[-1:] not in (".", ";", ":"):
            continue
        run = agencies_at(m.end())
        if run:
            role = _role(run, t) if run.stop == "verb" else _lead_role(t, run.end, e)
            add(run, role, _sentence_start(t, s, m.start(), e))
    # "Đề nghị X ...", "... yêu cầu X ..."
    for rx, role, hint, printed in ((_DE_NGHI, "đề nghị", _DE_NGHI_HINT, de_nghi),
                                    (_YEU_CAU, "thực hiện", _YEU_CAU_HINT, yeu_cau)):
        for m in finditer_hinted(rx, hint, t, t, s, e) if printed else ():
            run = agencies_at(m.end())
            if run and run.stop in ("verb", "punct", "end"):
                add(run, role, _sentence_start(t, s, m.start(), e))
    # the sentence starts
    for st in starts:
        run = agencies_at(st, capitals)
        if not run or run.stop != "verb":
            continue
        verb = run.stop_word.strip()
        if verb == "giao":  # "UBND tỉnh giao Sở Nội vụ chủ trì ..."
            given = agencies_at(run.after_stop)
            if given and given.stop in ("verb", "punct"):
                add(given, _role(given, t) if given.stop == "verb" else _lead_role(t, given.end, e), st)
            continue
        if verb in _ISSUER_VERBS:
            continue
        if verb in _STRONG_VERBS:
            add(run, _role(run, t), st)
        elif st == s and weak and not closing and not _INTRO.search(t[s:e], None, None, KEEP_GIL):
            add(run, _role(run, t), st)
    # "- Sở Nội vụ: tổng hợp ..." (an agency and a colon opening an item)
    if weak and not closing and not taken(s):
        run = agencies_at(s, capitals)
        if run and run.stop == "punct" and run.stop_word == ":" and t[run.end + 1:e].strip():
            add(run, _lead_role(t, run.end + 1, e), s)
    found.sort(key=lambda f: f.start)
    return found


def _lead_role(t: str, start: int, end: int) -> str:
    """The role a task's first words give: "Chủ trì, phối hợp ..." -> chủ trì."""
    head = fold_search(t[start:min(end, start + 40)]).lstrip(" :-–+•")
    if head.startswith("chu tri"):
        return "chủ trì"
    if head.startswith("phoi hop"):
        return "phối hợp"
    return "thực hiện"


# --- resolving: tasks, continuation, keys -----------------------------------------------------

@dataclass
class _Group:
    items: list[Assignment]
    item_end: int
    found: _Found


_VOI_END = re.compile(r"(?i)với\s+$")
_LEAD_ROLE = re.compile(r"(?i)\G\s*(?:chủ trì\s*,?\s*)?(?:phối hợp(?:\s+chặt chẽ)?\s+với\s+)?")


def task_start(doc: DocText, start: int, end: int) -> int:
    """Past the role words that open a task ("chủ trì, phối hợp với Y, Z"): role and partners
    are fields of their own; the task is what is to be done."""
    t = doc.match
    m = prefix_match(_LEAD_ROLE, ("chủ trì", "phối hợp"), t, start, end)
    if m is None:  # no role words: _LEAD_ROLE would read the spaces alone
        pos = start
        while pos < end and t[pos] in _RX_SPACE:
            pos += 1
    else:
        pos = m.end()
    if pos == start:
        return start
    if m is not None and _VOI_END.search(t[start:pos], None, None, KEEP_GIL):
        run = read_agencies(t, doc.text, pos, end)
        if run is None:
            return start
        pos = run.end
    while pos < end and t[pos] in " ,;:":
        pos += 1
    return pos if pos < end else start


def _clean_task(text: str) -> str:
    return " ".join(text.split()).strip(" :;,-–")


def find_assignments(doc: DocText, out: Document, body: Body | None = None) -> list[Assignment]:
    body = body or scan(doc, out.doc_type)
    place = out.place
    groups: list[_Group] = []
    current: _Group | None = None
    for p in body.paras:
        if current and p.start >= current.item_end:
            current = None
        found = _find_in_para(doc, body, p)
        if not found:
            if current and p.index not in body.closing and not (p.heading and p.rank <= _rank_of(body, current)):
                _extend(doc, current, p)
            continue
        for f in found:
            item = body.item_of(f.start) if not f.owner else p
            item_end = item.item_end if item else _next_heading(body, p)
            if f.owner:
                item_end = p.item_end
            task = _clean_task(doc.text[task_start(doc, f.task_start, f.end):f.end]) if not f.owner else ""
            items = []
            for name, _, _ in f.names:
                items.append(Assignment(
                    agency=name, role=f.role, partners=list(f.partners), task=task,
                    section=None, span=(f.start, f.end), agency_key=agency_key(name, place) or None))
            current = _Group(items, item_end, f)
            groups.append(current)
    out_list: list[Assignment] = []
    for g in groups:
        for a in g.items:
            a.section = section_of(out, body, a.span[0])
            out_list.append(a)
    return out_list


def _rank_of(body: Body, g: _Group) -> int:
    p = body.para_at(g.found.start)
    if g.found.owner and p:
        return p.rank
    item = body.item_of(g.found.start)
    return item.rank + 1 if item else 99


def _next_heading(body: Body, p: Para) -> int:
    paras = body.paras
    for k in range(p.index + 1, len(paras)):  # (no slice copy: this runs per statement)
        if paras[k].heading:
            return paras[k].start
    return _region_end(body.region, p.start)


def _extend(doc: DocText, g: _Group, p: Para) -> None:
    """A paragraph naming no agency continues the task before it in the same item."""
    text = " ".join(doc.text[p.body if p.kind != "bullet" else p.start:p.end].split())
    for a in g.items:
        if g.found.owner and not a.task:
            a.span = (p.body, p.end)
            a.role = a.role if a.role == "đề nghị" else _lead_role(doc.match, p.body, p.end)
            a.partners = a.partners or _partners(doc, p.body, p.end)
            a.task = _clean_task(doc.text[task_start(doc, p.body, p.end):p.end])
        else:
            a.task = (a.task + " " + text).strip() if a.task else text
            a.span = (a.span[0], p.end)


def run(doc: DocText, out: Document) -> None:
    if out.kind == "news" or (out.doc_type or "").upper() == "TIN BÀI":
        return
    out.assignments = find_assignments(doc, out)
