"""Stage 'closing' (see parse/__init__.py): where the body ends, the recipients ("Nơi nhận")
and the signer.

The closing is two columns side by side: "Nơi nhận:" with "- recipient;" items on the left,
the signer block on the right (authority "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", the title
"PHÓ CHỦ TỊCH", the name). Text extracted from a PDF interleaves the two columns line by line,
and may even put a recipient and a signer line on one line ("- Như trên; CHỦ TỊCH"), so every
line is classified by what it says, not by where it stands; a reader's column hint
(``Line.column``) overrides the content when present.

Steps: *find* where the closing may start (``start_candidates``), *classify* the lines that
follow (``classify_line``; ``scan`` stops at the first line that belongs to neither column),
*resolve* the pieces into recipients and a signer (``assemble``).

Sets ``doc.body_end`` (first character of the closing) and ``doc.closing_end`` (end of its last
line; what follows up to ``doc.footnote_start`` is annexes or page chrome) for the later stages;
without a closing both are left as they are (``footnote_start`` and None by default). News
items are skipped: the header stage sets their byline as the signer and the body's end.
"""
from __future__ import annotations

import re as stdre
from dataclasses import dataclass, field
from typing import Iterator

import regex as re

from .. import patterns as P
from ..model import Document, Signer
from .textdoc import DocText

_NOI_NHAN = re.compile(P.NOI_NHAN)
_BULLET = re.compile(P.RECIPIENT_BULLET)
_AUTHORITY = re.compile(rf"^{P.AUTHORITY_MARK}\s*")
_ON_BEHALF = re.compile(rf"^{P.ON_BEHALF_MARK}\s*")
# A mark starting a piece: at the line start, or inside a line after a space (a merged line).
_MARK_START = re.compile(rf"^{P.SIGN_MARK}(?=\s*\p{{Lu}})")
# Inside a line "Q." is a mark only before a title ("Q. CHỦ TỊCH"): "UBND Q. BA ĐÌNH" is a
# district.
_MARK_INSIDE = re.compile(
    rf"(?<=\S)\s+(?=(?!Q\.){P.SIGN_MARK}\s*\p{{Lu}}|Q\.\s*{P.SIGN_TITLE_HEAD})")
# What _MARK_INSIDE needs to match at all: a space, then "T"/"K" and the start of a mark, or
# "Q.". A quick test with the standard ``re`` module (its \s takes every space regex's does).
_MARK_HINT = stdre.compile(r"\s(?:[TK]\.?\s?[MTLU/]|[TK]\s?/|Q\.)")
_TITLE = re.compile(rf"^{P.SIGN_TITLE_HEAD}")
_COLLECTIVE_END = re.compile(P.SIGN_COLLECTIVE_END)
_NOTE = re.compile(P.SIGNATURE_NOTE)
_LOWER = re.compile(r"\p{Ll}")
_LAST_LOWER = re.compile(r"(?r)\p{Ll}")          # searched from the end
_UPPER = re.compile(r"\p{Lu}")
_LETTER = re.compile(r"\p{L}")
_ALNUM = re.compile(r"[\p{L}\d]")
_WORD = re.compile(r"\S+")
# Compiled once here: the module-level ``re.search(pattern, ...)`` form looks the pattern up
# in the regex module's cache on every call, which cost more than the matching itself.
# A gap after an item's last word or closing punctuation, where a signer part may be glued.
_TAIL_GAP = re.compile(r"(?<=[\p{Ll};.,)])\s+(?=\S)")
_PUNCT_GAP = re.compile(r"(?<=[;.,)])\s+(?=\S)")       # those of them after punctuation
# A gap before a second bulleted item on one line ("- Như trên; - Lưu: VT.").
_ITEM_GAP = re.compile(r"(?<=[;,.])\s+(?=[-–+•]\s)")
# What _PUNCT_GAP and _ITEM_GAP need to match at all, as quick tests with the standard ``re``
# module before the slower searches (its \s takes every space the regex module's \s takes).
_PUNCT_SPACE = stdre.compile(r"[;.,)]\s")
_ITEM_GAP_HINT = stdre.compile(r"[;,.]\s+[-–+•]\s")
_ITEM_END = re.compile(r"[;.,]$")
_SENTENCE_MARKS = re.compile(r"[\d;,:]|[^.]\.$")
_TRAILING_PUNCT = re.compile(r"[\s;,]+$", re.REVERSE)   # from the end: it is anchored there
_SPACE_RUN = re.compile(r"\s+")
_NAME_WORD = re.compile(r"^(?:\p{Lu}[\p{Ll}']*|\p{Lu}+)$")
# Words that open organisation lines, never a person's name ("Ban Dân Vận", "Sở Nội Vụ").
_ORG_WORDS = frozenset(
    "Ban Sở Phòng Ủy Uỷ Hội Tỉnh Huyện Xã Phường Thị Thành Trung Văn Đài Báo Cổng Lưu Như Các "
    "Công Cục Vụ Viện Trường Bộ Đảng Đoàn Chi Tổ Thường Đ/c Kính Nơi Trân Chủ Phó Giám "
    "Bí Trưởng Chánh Thủ Người Ngày Số Tel Email Website Địa".split())
_SURNAMES = frozenset(P.SURNAMES)
_NAME_PREFIX = re.compile(P.NAME_PREFIX)
# A page number left in the text where the closing runs over a page break: "5", "Trang 5/6".
_PAGE_NUMBER = re.compile(r"(?i)^\s*(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?\s*$")
# Quick tests before the regexes above (a call of the regex module costs more): the first
# character a match can start with (after the spaces ``str.lstrip`` takes, a superset of \s).
_MARK_INITIALS = frozenset("TKQ")
_TITLE_INITIALS = frozenset(P.SIGN_TITLE_INITIALS)
_BULLETS = frozenset("-–—+•·*")


def _may_be_page_number(first: str) -> bool:
    """Whether _PAGE_NUMBER may match a line starting (after the spaces) with ``first``: "t" of
    "trang" or a digit (any non-ASCII character is let through: the regex takes it for either)."""
    return first in "tT" or first.isdigit() or not first.isascii()


def _may_open_recipients(s: str) -> bool:
    """Whether _NOI_NHAN may match ``s``: "Nơi" within its first six characters (after at most
    three others), in any case. ``casefold`` maps each character the regex's ``(?i)`` takes
    for a letter of "nơi" to that letter ("İ" to "i" and a dot after it)."""
    return "nơi" in s[:6].casefold()


# Pieces that make a closing real (a bare "Nơi nhận:" line does not).
_SUBSTANCE = frozenset({"item", "authority", "behalf", "title", "name"})
# How far back from "Nơi nhận" a signer block printed first may start (reader order).
_LOOK_BACK = 8


@dataclass
class Piece:
    """One classified part of a closing line; offsets index ``doc.text``."""
    kind: str   # header | item | cont | authority | behalf | title | caps | name | note
    start: int
    end: int


@dataclass
class _State:
    """What the scan has seen so far: decides the ambiguous lines."""
    header: bool = False
    item_open: bool = False      # the last item may continue on the next line
    signer: list[str] = field(default_factory=list)   # kinds of the signer pieces seen
    comma_closes: bool = False   # items end with "," in this document (Party style)

    @property
    def has_name(self) -> bool:
        return "name" in self.signer

    @property
    def has_title(self) -> bool:
        return "title" in self.signer

    def key(self) -> tuple:
        """What decides the next lines while no item has been read (``comma_closes`` only
        matters once one has)."""
        return self.header, self.item_open, tuple(self.signer)


# --- line-level tests (pure functions of one line's text) ---------------------------------------

def is_caps(s: str) -> bool:
    """Upper case: letters present, none lower case."""
    return bool(_LETTER.search(s)) and not _LOWER.search(s)


def is_title(s: str) -> bool:
    """A signer's title line: "PHÓ CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ" (no mark before it)."""
    s = s.strip()
    return s[:1] in _TITLE_INITIALS and bool(_TITLE.match(s)) and is_caps(s) \
        and len(s.split()) <= 10


def is_name(s: str, strict: bool = True) -> bool:
    """A person's name line: 2 to 6 capitalised words, no digits or punctuation. ``strict``
    asks for a known family name first; otherwise any title-case words not opening an
    organisation ("Y Ngông Niê Kdăm" in a signer block)."""
    t = s.strip()
    c = t[:1]       # (an ASCII character other than A-Z is no capital: no regex needed)
    if c.isascii() and not "A" <= c <= "Z" or not _UPPER.match(t):
        return False        # the first word, or a rank or degree before it, is capitalised
    prefix = _NAME_PREFIX.match(t)      # (anchored: a match, not a sub that tries every place)
    words = (t[prefix.end():] if prefix else t).split()
    if not 2 <= len(words) <= 6 or not all(_NAME_WORD.match(w) for w in words):
        return False
    first = words[0][:1] + words[0][1:].lower()
    if first in _SURNAMES:
        return True
    if strict or is_caps(s) or first in _ORG_WORDS:
        return False
    return all(not w.isupper() or len(w) == 1 for w in words)


def is_note(s: str) -> bool:
    """A signature note or a rule: "(Đã ký)", "Ký bởi: ...", "-----", "./."."""
    return bool(_NOTE.match(s)) or not _ALNUM.search(s)


def split_marks(s: str) -> list[tuple[str, int, int]]:
    """Split a signer line starting with a mark into (kind, start, end) pieces: "TM. ỦY BAN
    NHÂN DÂN KT. CHỦ TỊCH" -> authority + behalf; "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" -> behalf + title.
    """
    cuts = [0] + [m.end() for m in _MARK_INSIDE.finditer(s)] + [len(s)]
    out: list[tuple[str, int, int]] = []
    for a, b in zip(cuts, cuts[1:]):
        a, b = _strip_span(s, a, b)
        if a >= b:
            continue
        seg = s[a:b]
        kind = "authority" if _AUTHORITY.match(seg) else "behalf"
        mark = (_AUTHORITY.match(seg) or _ON_BEHALF.match(seg))
        body_start = a + (mark.end() if mark else 0)
        cut = _title_cut(s, body_start, b, kind)
        if cut is None:
            out.append((kind, a, b))
        else:
            out.append((kind, a, _strip_span(s, a, cut)[1]))
            out.append(("title", cut, b))
    return out


def _title_cut(s: str, start: int, end: int, kind: str) -> int | None:
    """Where a title glued after a mark's words begins ("KT. CHỦ TỊCH| PHÓ CHỦ TỊCH"), if it
    does: the earliest word boundary after one word at least whose rest is a whole title."""
    words = list(_WORD.finditer(s[start:end]))
    for k in range(1, len(words)):
        left = s[start:start + words[k - 1].end()]
        right = s[start + words[k].start():end]
        if not is_title(right):
            continue
        if kind == "authority" and _COLLECTIVE_END.search(left):
            continue
        return start + words[k].start()
    return None


def _strip_span(s: str, a: int, b: int) -> tuple[int, int]:
    """s[a:b] without the spaces around it, as offsets (``str.strip`` takes the characters
    ``str.isspace`` takes)."""
    body = s[a:b].lstrip()
    a = b - len(body)
    return a, a + len(body.rstrip())


def _has_space(s: str) -> bool:
    """Whether ``s`` may hold a character \\s takes: it holds a space, or an unprintable
    character (every other space is one)."""
    return " " in s or not s.isprintable()


def split_tail(s: str) -> int | None:
    """Where a signer part glued after a recipient item starts (two columns merged on one line
    by the reader): "- Ban Dân vận Trung ương (T78-HN); KT. CHỦ TỊCH", "- Như trên; CHỦ TỊCH",
    "- Lưu: VT. Nguyễn Văn An"; None when the line is all recipient."""
    if _MARK_HINT.search(s):
        for m in _MARK_INSIDE.finditer(s):
            if is_caps(s[m.end():]):
                return m.end()
    # A title after the item's last word ("..., Ban Bí thư PHÓ TRƯỞNG BAN": the item wraps
    # on the next line), a name after its closing punctuation. A title has no lower-case
    # letter: only gaps after the last one can start it.
    last_lower = _LAST_LOWER.search(s)
    caps_from = last_lower.end() if last_lower else 0
    # The gaps that may start either: from the last lower-case letter on (a gap before it
    # ends before it), and after ";.,)" (none on most lines: the quick test spares the search).
    gaps = {m.end(): m.start() for m in _TAIL_GAP.finditer(s, caps_from)} \
        if _has_space(s[caps_from:]) else {}
    if _PUNCT_SPACE.search(s):
        gaps.update((m.end(), m.start()) for m in _PUNCT_GAP.finditer(s))
    for at in sorted(gaps):
        if at >= caps_from and is_title(s[at:]) \
                or s[gaps[at] - 1] in ";.,)" and is_name(s[at:], strict=True):
            return at
    return None


# --- classification ------------------------------------------------------------------------------

def classify_line(text: str, st: _State,
                  column: str | None = None) -> list[tuple[str, int, int]] | None:
    """The pieces of one closing line as (kind, start, end) relative to ``text`` (the line on
    fold_tones text), or None when the line belongs to neither column (the closing ended).
    Updates ``st``."""
    # A pure function of the line, its column and the state: kept, since closings repeat their
    # lines from one document to the next ("Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY
    # BAN NHÂN DÂN", "CHỦ TỊCH" ...).
    key = (text, column, st.header, st.item_open, tuple(st.signer), st.comma_closes)
    known = _CLASSIFIED.get(key)
    if known is None:
        got = _classify_line(text, st, column)
        if len(_CLASSIFIED) >= _CLASSIFIED_MAX:
            _CLASSIFIED.clear()
        _CLASSIFIED[key] = (got if got is None else tuple(got),
                            st.header, st.item_open, tuple(st.signer))
        return got
    got, st.header, st.item_open, signer = known
    st.signer = list(signer)
    return got if got is None else list(got)


_CLASSIFIED: dict[tuple, tuple] = {}
_CLASSIFIED_MAX = 8192


def _classify_line(text: str, st: _State, column: str | None) -> list[tuple[str, int, int]] | None:
    a, b = _strip_span(text, 0, len(text))
    if a >= b:
        return []
    s = text
    if not _ALNUM.search(s) or _may_be_page_number(s[a]) and _PAGE_NUMBER.match(s):
        return [("note", a, b)]   # a rule under either column ("_______"), a page number
    m = _NOI_NHAN.match(s) if _may_open_recipients(s) else None
    if m and column != "right":
        st.header = True
        out = [("header", a, m.end())]
        return out + _recipient_side(s, m.end(), b, st)
    if column != "left":
        sig = _signer_side(s, a, b, st, column == "right")
        if sig is not None:
            return sig
    if column == "right":
        return None
    if _BULLET.match(s[a:b]) and _ALNUM.search(s[a:b]):
        return _recipient_side(s, a, b, st)
    body = s[a:b]
    # Not a bullet: the rest of an item cut by a line end, or an item printed without bullet.
    if st.item_open and not is_name(body, strict=True):
        st.item_open = not _item_closed(body, st)
        return [("cont", a, b)]
    if st.header and not st.signer and _ITEM_END.search(body) and len(body) < 160:
        st.item_open = False
        return [("item", a, b)]
    return None


def _short_line(s: str) -> bool:
    """A short line that is not a sentence: a signer part typed in sentence case."""
    return len(s.split()) <= 8 and not _SENTENCE_MARKS.search(s)


def _signer_side(s: str, a: int, b: int, st: _State, forced: bool) -> list | None:
    seg = s[a:b]
    if seg[:1] in _MARK_INITIALS and _MARK_START.match(seg) and (is_caps(seg) or _short_line(seg)):
        pieces = [(k, a + x, a + y) for k, x, y in split_marks(seg)]
        st.signer += [k for k, _, _ in pieces]
        return pieces
    after_mark = bool(st.signer) and st.signer[-1] in ("authority", "behalf")
    if not st.has_name and (is_title(seg) or (after_mark and _short_line(seg)
                                              and is_title(seg.upper()))):
        st.signer.append("title")   # "PHÓ CHỦ TỊCH", or "Phó Chủ tịch" after a mark
        return [("title", a, b)]
    if st.signer and is_note(seg):
        return [("note", a, b)]
    if not st.has_name and (st.signer or st.header or forced) and is_name(seg, strict=True):
        st.signer.append("name")
        return [("name", a, b)]
    if not st.has_name and not st.item_open and (st.has_title or forced) \
            and is_name(seg, strict=False):
        st.signer.append("name")
        return [("name", a, b)]
    # An upper-case line between a mark and the title: the collective's name wrapped
    # ("TM. ỦY BAN MẶT TRẬN TỔ QUỐC" / "VIỆT NAM TỈNH").
    if st.signer and st.signer[-1] in ("authority", "behalf", "caps") and not st.has_title \
            and is_caps(seg) and len(seg.split()) <= 8 and not _BULLET.match(seg):
        st.signer.append("caps")
        return [("caps", a, b)]
    if forced:
        if is_caps(seg):
            st.signer.append("caps")
            return [("caps", a, b)]
        return [("note", a, b)]
    return None


def _recipient_side(s: str, a: int, b: int, st: _State) -> list:
    """Items between ``a`` and ``b``: bullets at the start or after ";" ("Nơi nhận: - Như
    trên; - Lưu: VT."), and a signer part glued at the end."""
    a, b = _strip_span(s, a, b)
    if a >= b:
        return []
    seg = s[a:b]
    if not _BULLET.match(seg) and ((_MARK_START.match(seg) and is_caps(seg)) or is_title(seg)):
        # "Nơi nhận: TM. ỦY BAN NHÂN DÂN": the rest of the line is the signer column.
        return _signer_side(s, a, b, st, forced=False) or []
    tail: list = []
    cut = split_tail(seg)
    if cut is not None:
        sig = _signer_side(s, a + cut, b, st, forced=False)
        if sig is not None:
            tail = sig
            b = _strip_span(s, a, a + cut)[1]
    out = []
    # Several bulleted items on one line ("- Như trên; - Lưu: VT.").
    starts = [a] + ([a + m.start() for m in _ITEM_GAP.finditer(s[a:b])]
                    if _ITEM_GAP_HINT.search(s, a, b) else [])
    for x, y in zip(starts, starts[1:] + [b]):
        x, y = _strip_span(s, x, y)
        if x < y:
            out.append(("item", x, y))
            st.item_open = not _item_closed(s[x:y], st)
    return out + tail


def _item_closed(s: str, st: _State) -> bool:
    s = s.rstrip()
    return s.endswith((";", ".")) or (st.comma_closes and s.endswith(","))


# --- find ----------------------------------------------------------------------------------------

def start_candidates(doc: DocText, idx: list[int]) -> Iterator[int]:
    """Positions in ``idx`` (line indices of the running text) where the closing may start,
    best first: each "Nơi nhận" line (a signer block printed just before it taken in), then
    each signature mark line, then each title line followed by a name (or by nothing)."""
    folds = doc.line_folds
    texts = [folds[i].strip() for i in idx]
    for p, t in enumerate(texts):
        if _may_open_recipients(t) and _NOI_NHAN.match(t):
            q = p
            while q > 0 and p - q < _LOOK_BACK and _signer_line(texts[q - 1]):
                q -= 1
            yield q
    for p, t in enumerate(texts):
        if _MARK_START.match(t) and is_caps(t):
            yield p
    for p, t in enumerate(texts):
        if is_title(t):
            nxt = [u for u in texts[p + 1:p + 8] if not is_note(u)]
            if not nxt or is_name(nxt[0], strict=False) or is_title(nxt[0]):
                yield p


def _signer_line(t: str) -> bool:
    return bool((_MARK_START.match(t) and is_caps(t)) or is_title(t) or is_name(t, True)
                or (t and is_note(t)))


def scan(doc: DocText, idx: list[int], start: int,
         trace: dict[int, tuple] | None = None) -> tuple[list[Piece], int]:
    """Classify lines from ``idx[start]`` on; return the pieces and the position of the last
    closing line. ``trace``, when given, gets the state after each line (``_State.key``)."""
    st = _State()
    st.comma_closes = _comma_style(doc, idx[start:start + 40])
    pieces: list[Piece] = []
    last = start
    for p in range(start, len(idx)):
        ln = doc.lines[idx[p]]
        got = classify_line(doc.line_folds[idx[p]], st, ln.column)
        if got is None:
            break
        pieces += [Piece(k, ln.start + x, ln.start + y) for k, x, y in got]
        last = p
        if trace is not None:
            trace[p] = st.key()
    return pieces, last


def _retraces(doc: DocText, idx: list[int], start: int, after: tuple) -> bool:
    """Whether a scan from ``start`` would find nothing, known from an earlier scan that found
    nothing and was in state ``after`` past this line: when this line, read afresh, finds
    nothing and leaves that same state, every line after it reads as it did then."""
    st = _State()
    got = classify_line(doc.line_folds[idx[start]], st, doc.lines[idx[start]].column)
    if got is None:
        return True                      # the scan would stop at once
    return not any(k in _SUBSTANCE for k, _, _ in got) and st.key() == after


def _comma_style(doc: DocText, idx: list[int]) -> bool:
    """Whether the recipients end with "," (Party style) rather than ";": then "," closes an
    item instead of announcing its continuation on the next line."""
    texts = doc.line_texts
    ends = [texts[i].rstrip()[-1:] for i in idx
            if texts[i].lstrip()[:1] in _BULLETS and _BULLET.match(texts[i])]
    return ends.count(",") >= 2 and ends.count(",") >= ends.count(";")


# --- resolve -------------------------------------------------------------------------------------

def clean_item(s: str) -> str:
    """"- Ban Dân vận Trung ương (T78-HN);" -> "Ban Dân vận Trung ương (T78-HN)"; a final "."
    stays ("Lưu: VT.")."""
    s = s.strip()
    # Each regex runs only where it can change something (a call costs more than the tests):
    # a bullet first; ";", "," or a space last; a space run or a space other than " ".
    if s[:1] in _BULLETS:
        s = _BULLET.sub("", s, count=1)
    if s[-1:] in ";," or s[-1:].isspace():
        s = _TRAILING_PUNCT.sub("", s)
    return _squash(s).strip()


def _squash(s: str) -> str:
    """``_SPACE_RUN.sub(" ", s)``: every run of spaces made one " "."""
    return _SPACE_RUN.sub(" ", s) if "  " in s or not s.isprintable() else s


def assemble(doc: DocText, pieces: list[Piece]) -> tuple[list[str], Signer]:
    items: list[str] = []
    for pc in pieces:
        t = doc.text[pc.start:pc.end]
        if pc.kind == "item":
            items.append(t)
        elif pc.kind == "cont" and items:
            items[-1] = items[-1].rstrip() + " " + t.strip()
    recipients = [c for c in (clean_item(i) for i in items) if c]

    def text(pc: Piece) -> str:
        return _squash(doc.text[pc.start:pc.end]).strip()

    sp = [pc for pc in pieces if pc.kind in ("authority", "behalf", "title", "caps", "name")]
    authority = [text(pc) for pc in sp if pc.kind == "authority"][:1]
    behalf = [text(pc) for pc in sp if pc.kind == "behalf"]
    titles = [text(pc) for pc in sp if pc.kind == "title"]
    names = [text(pc) for pc in sp if pc.kind == "name"]
    # Upper-case lines between a mark and the title continue that mark's words.
    caps_after: dict[str, list[str]] = {"authority": [], "behalf": []}
    prev = None
    for pc in sp:
        if pc.kind in ("authority", "behalf"):
            prev = pc.kind
        elif pc.kind == "caps" and prev:
            caps_after[prev].append(text(pc))
    if not titles:
        # No title word: the last upper-case line after the marks stands for the title.
        for k in ("behalf", "authority"):
            if caps_after[k]:
                titles = [caps_after[k].pop()]
                break
    signer = Signer(
        name=names[0] if names else None,
        title=titles[0] if titles else None,
        authority=" ".join(authority + caps_after["authority"]) or None,
        on_behalf=" ".join(behalf + caps_after["behalf"]) or None,
    )
    return recipients, signer


# --- the stage -----------------------------------------------------------------------------------

def run(doc: DocText, out: Document) -> None:
    if out.kind == "news":
        return
    _run(doc, out)


def _run(doc: DocText, out: Document) -> None:
    lo, hi = doc.body_start or 0, doc.footnote_start
    idx = doc.lines_between(lo, hi)
    # The first start whose lines hold a recipient or a signer part; a "Nơi nhận" line with
    # nothing after it is kept only when nothing better follows.
    found: tuple[int, list[Piece], int] | None = None
    # Scans that found nothing, as (position -> state after it): a later start they went
    # through in the same state is not scanned again (lines of "Nơi nhận:" with nothing
    # after them made this quadratic).
    empty: dict[int, tuple] = {}
    for start in start_candidates(doc, idx):
        if start in empty and _retraces(doc, idx, start, empty[start]):
            continue
        trace: dict[int, tuple] = {}
        pieces, last = scan(doc, idx, start, trace)
        if any(pc.kind in _SUBSTANCE for pc in pieces):
            found = (start, pieces, last)
            break
        found = found or (start, pieces, last)
        empty.update(trace)
    if found is None:  # body_end stays where it is (footnote_start unless a stage moved it)
        if out.kind == "administrative":
            out.warnings.append("closing: no \"Nơi nhận\" list or signer block found")
        return
    start, pieces, last = found
    doc.body_end = doc.lines[idx[start]].start
    doc.closing_end = doc.lines[idx[last]].end
    out.recipients, out.signer = assemble(doc, pieces)
    kinds = {pc.kind for pc in pieces}
    if "header" in kinds and not out.recipients:
        out.warnings.append("closing: \"Nơi nhận\" without recipients")
    if kinds & {"authority", "behalf", "name"} and not out.signer.title:
        out.warnings.append("closing: signer block without a title")
    if not kinds & {"authority", "behalf", "title", "name"}:
        out.warnings.append("closing: no signer block found")
