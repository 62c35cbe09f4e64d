"""From a reader's blocks to the normalized ``DocText``: the document and nothing else.

Steps, each a pure function over a list of ``_Item`` (one line of text with its reader hints):

1. ``_items``        characters cleaned (``normalize.clean_chars``), blocks split at line breaks,
                     blank lines dropped.
2. ``strip_portal``  a saved web page's chrome dropped: navigation before the document, the
                     portal's metadata block and comment box after it. The metadata values are
                     kept in ``metadata["portal"]`` as a cross-check, never in the text.
3. ``_drop_page_numbers``  "2", "- 2 -", "Trang 2/5" lines.
4. ``_find_footnotes``     footnote lines the reader did not flag ("[1] ...", "¹ ...",
                     "⁽¹⁾ ...", "1 ..." only when a reference mark proves it).
5. ``_join_cut``     a paragraph cut by a page break or a footnote joined again ("tổ chức
                     tuyên truyền trên" ... "các phương tiện ...").
6. ``_compose``      body lines, then footnotes one per line from ``footnote_start``, each
                     written "[1] text" whatever its printed mark; every footnote gets the span
                     of its text (without the mark) and of its mark in the running text.

Readers already flag most footnotes and join most cut paragraphs (``readers.txt.finish_blocks``);
the steps here are idempotent, so they only catch what a reader left (page numbers between the
pieces of a paragraph, chrome, plain-digit marks).
"""
from __future__ import annotations

import functools
import re as stdre
from dataclasses import dataclass

import regex as re

from .. import patterns as P
from ..model import Footnote
from ..normalize import clean_chars_each, fold_tones
from ..readers.base import Block, Extracted
from .textdoc import DocText, Openings, Line


@dataclass(slots=True)     # (slots: one per line, read by every step)
class _Item:
    text: str
    block: Block                 # hints: page, column, bold, centered, in_table
    footnote: bool
    mark: str | None             # footnote mark as a plain number ("1")
    fold: str                    # fold_tones(text): kept in step whenever text changes


def build(ext: Extracted) -> DocText:
    items = _items(ext.blocks)
    items, portal, dropped = strip_portal(items)
    items = _drop_page_numbers(items)
    items = _find_footnotes(items)
    items = _join_cut(items)
    metadata = dict(ext.metadata)
    if portal:                              # a reader may have kept some fields already
        metadata["portal"] = {**portal, **(metadata.get("portal") or {})}
    if any(dropped.values()):
        metadata["chrome_lines"] = dropped      # how many lines of chrome were dropped
    return _compose(items, ext, metadata)


# --- 1. lines ---------------------------------------------------------------------------------
def _items(blocks: list[Block]) -> list[_Item]:
    lines: list[tuple[str, Block]] = []
    for b, text in zip(blocks, clean_chars_each([b.text for b in blocks])):
        if b.footnote:
            # A footnote stays one line however the reader wrapped it.
            t = " ".join(p.strip() for p in text.split("\n") if p.strip())
            if t:
                lines.append((t, b))
        elif "\n" not in text:             # (most blocks: a paragraph, one line)
            text = text.strip()
            if text:
                lines.append((text, b))
        else:
            lines.extend((part, b) for part in map(str.strip, text.split("\n")) if part)
    # One fold_tones pass over all lines: it looks at a letter pair and its neighbours only,
    # never across a line break, so the folded lines are the lines folded one by one.
    folds = fold_tones("\n".join([t for t, _ in lines])).split("\n")
    return [_Item(t, b, b.footnote, b.mark if b.footnote else None, fold)
            for (t, b), fold in zip(lines, folds)]


# --- 2. web-portal chrome ---------------------------------------------------------------------
# Navigation and comment-box strings of legal and news portals, compared on the folded,
# lower-cased line (or on each part of a line cut by "|" or wide spaces).
_NAV_WORDS = frozenset({
    "lưu trữ", "thông báo", "ghi chú", "facebook", "google", "zalo", "twitter", "email", "in",
    "in bài", "chia sẻ", "bình luận", "comment", "tải về", "download", "bản tiếng việt",
    "bản tiếng anh", "văn bản gốc", "lược đồ", "liên quan nội dung", "trích lược", "thuộc tính",
    "văn bản liên quan", "ý kiến bạn đọc", "gửi bình luận", "tin liên quan",
    "tin cùng chuyên mục", "các tin khác", "bài viết liên quan", "đăng nhập", "thành viên",
    "đăng nhập bằng google", "đăng nhập bằng facebook", "vui lòng nhập tiếng việt có dấu",
    "trang chủ", "theo dõi", "lượt xem", "phản hồi", "gửi", "quay lại", "về đầu trang", "đầu trang",
    "xem thêm", "mục lục", "hiệu lực", "tiếng anh", "so sánh", "văn bản khác",
})
# A line standing alone before a text without a header is navigation only when it is one of
# these: "Thông báo" or "In" alone may be a document's own title.
_NAV_SINGLE = frozenset({
    "lưu trữ", "ghi chú", "facebook", "google", "zalo", "twitter", "in bài", "chia sẻ",
    "tải về", "download", "bản tiếng việt", "bản tiếng anh", "trang chủ", "đăng nhập",
    "quay lại", "về đầu trang", "đầu trang",
})
# Where a portal's block after the document starts. Only these open the tail: a lone "Thông báo"
# or "In" inside a document is a heading, not chrome.
_TAIL_WORDS = frozenset({
    "văn bản gốc", "lược đồ", "liên quan nội dung", "trích lược", "thuộc tính", "tải về",
    "văn bản liên quan", "comment", "bình luận", "ý kiến bạn đọc", "gửi bình luận", "chia sẻ",
    "tin liên quan", "tin cùng chuyên mục", "các tin khác", "bài viết liên quan",
    "vui lòng nhập tiếng việt có dấu", "đăng nhập", "thành viên", "đăng nhập bằng google",
})
_NAV_SPLIT = re.compile(r"\s*\|\s*|\s{2,}|\s+[>»›]\s+")
# Two spaces in a row: with "|", ">", "»" or "›" what _NAV_SPLIT needs to match at all, tested
# before the split, which is slow on the long lines of the running text. The standard ``re``
# module's \s takes every space the ``regex`` module's \s takes (and \x1c-\x1f): it never misses.
_TWO_SPACES = stdre.compile(r"\s\s")
# Every word of the navigation phrases: a line with another word is not navigation words run
# together (``_nav_words_only``).
_NAV_VOCABULARY = frozenset(w for phrase in _NAV_WORDS for w in phrase.split(" "))
_WIDE_GAP = re.compile(r"\s{2,}")
_BULLET_START = re.compile(r"^[•·▪►»›|]")
_COUNTER = re.compile(r"(?i)^(?:bạn còn \d+ ký tự|\d+\s*(?:lượt xem|bình luận|views?))$|^\d+$")
_TAIL_FIELD = re.compile(r"(?i)^(?:số hiệu|loại văn bản|nơi ban hành|ngày ban hành)\s*:")
_TAIL_FIELD_FIRST = Openings(_TAIL_FIELD)
_FIELD = re.compile(r"^(?P<key>[\p{L}][\p{L} ]{1,30}?)\s*:\s*(?P<value>\S.*?)\s*$")
_MOTTO = re.compile(rf"(?i)^\s*{P.MOTTO_ANY}")
_MOTTO_IN = re.compile(rf"(?i){P.MOTTO_ANY}")
_PLACE_DATE = re.compile(P.PLACE_DATE)
_NUMBER_LINE = re.compile(P.NUMBER_LINE)
_NUMBER_ALONE = re.compile(P.NUMBER_WORD_ALONE)
_RULE = re.compile(P.RULE_LINE)
_ISSUER_START = re.compile("(?i)" + P.ISSUER_START)
_DOC_MARK = re.compile("(?i)" + P.DOC_MARK)
_NOI_NHAN = re.compile(r"(?i)^\s*nơi\s+nhận\b")
_RULE_FIRST = Openings(_RULE)
_DOC_MARK_FIRST = Openings(_DOC_MARK)
_ISSUER_START_FIRST = Openings(_ISSUER_START)
_ANCHOR_FIRST = Openings(_MOTTO, _NUMBER_LINE, _NUMBER_ALONE)
# How far into the lines a header anchor (motto, "Số:") may stand, and how many issuer lines
# may stand above it.
_ANCHOR_WITHIN = 60
_ISSUER_LINES_MAX = 8
_CHROME_LINE_MAX = 200


def _nav_key(text: str) -> str:
    return fold_tones(text).strip().strip(":").strip().lower()


def _is_nav(it: _Item) -> bool:
    """A line of portal navigation: a bullet, a breadcrumb, UI words, a counter."""
    t = it.text.strip()
    if _BULLET_START.match(t) or _COUNTER.match(_nav_key(t)):
        return True
    parts = [p for p in _NAV_SPLIT.split(t) if p.strip()]
    if len(parts) >= 3 and all(len(p) <= 40 for p in parts):
        return True                       # "Trang chủ | Chính trị | Xã hội"
    if len(parts) == 1:
        return _nav_key(t) in _NAV_SINGLE
    return bool(parts) and all(_nav_key(p) in _NAV_WORDS for p in parts)


def _is_tail_start(it: _Item) -> bool:
    t = it.text.strip()
    if ":" in t and _TAIL_FIELD_FIRST[t[:1]] and _TAIL_FIELD.match(t):
        return True
    # _nav_key(t) from the fold at hand: folding commutes with stripping spaces.
    key = it.fold.strip().strip(":").strip()
    # A tail word, a counter and a run of navigation words have 12 words at most (lower-casing
    # keeps the words); lower-casing a long line of running text cost more than the tests.
    # Tail words and runs of navigation words start with a navigation word, a counter as
    # _may_count tells (lower-casing keeps it so): most short lines of a text are spared the rest.
    # (Twelve single spaces in a stripped line make 13 words at least: no need to split it.)
    words = key.split(None, 12) if key.count(" ") < 12 or "  " in key else ()
    if 0 < len(words) <= 12 and (words[0].lower() in _NAV_VOCABULARY or _may_count(key)):
        key = key.lower()
        if key in _TAIL_WORDS or _may_count(key) and _COUNTER.match(key) and not key.isdigit():
            return True
        if _nav_words_only(key) and any(w in key for w in _TAIL_WORDS):
            return True
    if _may_split(t):
        parts = [p for p in _NAV_SPLIT.split(t) if p.strip()]
        if len(parts) > 1 and all(_nav_key(p) in _NAV_WORDS for p in parts):
            return True
    return False


def _is_counter(key: str) -> bool:
    return _may_count(key) and _COUNTER.match(key.lower()) is not None


def _may_count(key: str) -> bool:
    """Whether _COUNTER may match ``key``: it starts with "b" or a digit (a non-ASCII
    character is let through: it may be a digit to the regex). A call of the regex costs more
    than this."""
    c = key[:1]
    return c != "" and (c in "bB" or c.isdigit() or not c.isascii())


def _may_split(t: str) -> bool:
    """Whether _NAV_SPLIT may cut ``t``: "|", ">", "»", "›" or two spaces in a row. Any space
    but " " is unprintable, so only then is the slower regex test needed."""
    return "|" in t or ">" in t or "»" in t or "›" in t or "  " in t \
        or not t.isprintable() and bool(_TWO_SPACES.search(t))


def _nav_words_only(key: str) -> bool:
    """Whether a line is nothing but navigation words run together ("chia sẻ bình luận")."""
    words = key.split(None, 12)             # all the words, unless there are more than 12
    if len(words) < 2 or len(words) > 12 or not _NAV_VOCABULARY.issuperset(words):
        return False
    ok = [True] + [False] * len(words)       # ok[i]: words[:i] is a run of nav phrases
    for i in range(1, len(words) + 1):
        ok[i] = any(ok[j] and " ".join(words[j:i]) in _NAV_WORDS for j in range(max(0, i - 6), i))
    return ok[-1]


def _is_caps(text: str) -> bool:
    letters = list(filter(str.isalpha, text))       # (filter and map: no Python-level loop)
    return len(letters) >= 2 and sum(map(str.isupper, letters)) >= 0.9 * len(letters)


def _headerish(it: _Item) -> bool:
    """A line that may stand above the motto or "Số:" inside a header block (the columns may
    share a line: "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ...", "BAN DÂN VẬN Hà Nội, ngày ...")."""
    t, f = it.text, it.fold
    # Quick tests before each regex: its first character; the first word of a motto in any
    # case (``casefold`` maps each character ``(?i)`` takes for a letter of "cộng" or "độc" to
    # that letter; the Party's motto holds "cộng"); the comma of a place-date.
    if _RULE_FIRST[t[:1]] and _RULE.match(t) or _DOC_MARK_FIRST[f[:1]] and _DOC_MARK.match(f) \
            or _may_hold_motto(f) and _MOTTO_IN.search(f) \
            or len(t) <= 120 and "," in f and _PLACE_DATE.search(f):
        return True
    if len(t) > 100 or _BULLET_START.match(t):
        return False
    return _is_caps(t) or bool(_ISSUER_START_FIRST[f[:1]] and _ISSUER_START.match(f) and len(t) <= 80)


def _may_hold_motto(fold: str) -> bool:
    low = fold.casefold()
    return "cộng" in low or "độc" in low


def _is_anchor(it: _Item) -> bool:
    f = it.fold
    return not it.footnote and _ANCHOR_FIRST[f[:1]] and bool(
        _MOTTO.match(f) or _NUMBER_LINE.match(f) or _NUMBER_ALONE.match(f))


def _document_start(items: list[_Item]) -> int:
    """Index of the document's first line: the header block (issuer lines above the motto or
    "Số:"), or for a text without a header the first line after the leading navigation."""
    for i, it in enumerate(items[:_ANCHOR_WITHIN]):
        if _is_anchor(it):
            j = i
            while j > 0 and i - j < _ISSUER_LINES_MAX and _headerish(items[j - 1]):
                j -= 1
            # Chrome is short lines; a paragraph above the anchor means the "Số:" line is
            # the document's own text (a quoted header, a form), and nothing is dropped.
            if any(len(x.text) > _CHROME_LINE_MAX for x in items[:j]):
                return 0
            return j
    j = 0
    while j < len(items) and _is_nav(items[j]):
        j += 1
    return j if j < len(items) else 0


def _document_end(items: list[_Item]) -> int:
    """Index of the first line of the portal's tail block, or len(items). The tail is looked
    for only in the second half of the text or after "Nơi nhận", where navigation words cannot
    be a document's own heading."""
    seen_closing = False
    half = len(items) // 2
    for i, it in enumerate(items):
        first = it.fold[:1]
        if (first in "nN" or first.isspace()) and _NOI_NHAN.match(it.fold):
            seen_closing = True
        if (i >= half or seen_closing) and i > 0 and _is_tail_start(it):
            return i
    return len(items)


def _portal_fields(lines: list[_Item]) -> dict[str, str]:
    """'Số hiệu: 1954/KH-UBND   Loại văn bản: Văn bản khác' -> {"Số hiệu": ..., ...}."""
    fields: dict[str, str] = {}
    for it in lines:
        for part in _WIDE_GAP.split(it.text.strip()):
            m = _FIELD.match(part)
            if m:
                fields.setdefault(m.group("key").strip(), m.group("value"))
    return fields


def strip_portal(items: list[_Item]) -> tuple[list[_Item], dict[str, str], dict[str, int]]:
    """The document's lines without a portal's chrome, the portal's metadata fields ("Số hiệu",
    "Ngày ban hành" ...) and how many lines were dropped before and after the document."""
    start = _document_start(items)
    body = items[start:]
    end = _document_end(body)
    head, tail = items[:start], body[end:]
    body = body[:end]
    # Counters and lone numbers left at the very end ("304", "445878"). (_nav_key from the fold
    # at hand, as in _is_tail_start.)
    while body and not body[-1].footnote and _is_counter(body[-1].fold.strip().strip(":").strip()):
        tail.insert(0, body.pop())
    return body, _portal_fields(head + tail), {"before": len(head), "after": len(tail)}


# --- 3. page numbers --------------------------------------------------------------------------
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?$"
    r"|^(?:trang|page)\s*\d{1,3}(?:\s*(?:/|trên|of)\s*\d{1,3})?$"
    r"|^\d{1,3}\s*/\s*\d{1,3}$")


def _drop_page_numbers(items: list[_Item]) -> list[_Item]:
    return [it for it in items
            if it.footnote or it.block.in_table or not _page_number(it.text.strip())]


def _page_number(t: str) -> bool:
    # Every form starts with a dash, a digit, "trang" or "page" and ends with a digit or a dash:
    # most lines are spared the regex (a non-ASCII character may be a digit to it).
    c, z = t[:1], t[-1:]
    return (c in "-–—tTpP" or c.isdigit() or not c.isascii()) \
        and (z in "-–—" or z.isdigit() or not z.isascii()) and bool(_PAGE_NUMBER.match(t))


# --- 4. footnotes -----------------------------------------------------------------------------
_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(_SUP, "0123456789")
_DIGIT_TO_SUP = str.maketrans("0123456789", _SUP)
# A footnote's own line: "[1] ...", "¹ ...", "⁽¹⁾ ...", "1) ..." is an item, never a footnote.
_NOTE_MARKED = re.compile(rf"^(?:⁽(?P<a>[{_SUP}]+)⁾|(?P<b>[{_SUP}]+)|\[(?P<c>\d{{1,3}})\])\s*(?=\S)")
# "1 Kế hoạch số ..." : a plain number, a space, a capital. Taken only with proof (below).
_NOTE_PLAIN = re.compile(r"^(?P<d>\d{1,2})\s+(?=\p{Lu})")
_PLAIN_STEP_MAX = 5
# The characters a _NOTE_MARKED line starts with: most lines are spared the regex.
_NOTE_OPENERS = "⁽[" + _SUP


def _may_open_plain(t: str) -> bool:
    """Whether _NOTE_PLAIN may match ``t``: a digit, then a space or a second digit ("1. ..."
    is spared the regex; a non-ASCII character is let through, the regex may take it for a
    digit)."""
    c, d = t[:1], t[1:2]
    return (c.isdigit() or not c.isascii()) and (d.isdigit() or d.isspace() or not d.isascii())


@functools.lru_cache(maxsize=512)
def _ref_patterns(mark: str) -> tuple[re.Pattern, ...]:
    """How the mark of footnote ``mark`` stands in the running text, surest first. Kept: the
    same marks ("1", "2" ...) come back in every document."""
    sup = mark.translate(_DIGIT_TO_SUP)
    return (
        re.compile(rf"⁽{sup}⁾"),
        re.compile(rf"\[{mark}\]"),
        re.compile(rf"(?<![{_SUP}⁽]){sup}(?![{_SUP}⁾])"),
        # A digit glued to a word or a closing quote: "dân vận2", "Tỉnh ủy1,". Lower case
        # before it, so codes ("T78", "KGVX2") are not taken.
        re.compile(rf"(?<=\p{{Ll}}\p{{Ll}}|[”\"’)]){mark}(?=[\s,.;:)”]|$)"),
    )


# Every reference mark standing in a line of running text, found once per line: "[1]",
# "⁽¹⁾", "¹" (sure) and a digit glued to a word, "dân vận2" (proof only for a plain number).
_SURE_REF = re.compile(rf"\[(\d{{1,3}})\]|⁽([{_SUP}]+)⁾|(?<![{_SUP}⁽])([{_SUP}]+)(?![{_SUP}⁾])")
_GLUED_REF = re.compile(r"(?<=\p{Ll}\p{Ll}|[”\"’)])(\d{1,3})(?=[\s,.;:)”]|$)")


def _refs_in(text: str) -> tuple[set[str], set[str]]:
    """(sure marks, glued digits) referenced in a line, not counting its first character
    (a mark there is a label of its own)."""
    sure = {next(g for g in m.groups() if g).translate(_SUP_TO_DIGIT)
            for m in _SURE_REF.finditer(text) if m.start() > 0}
    glued = {m.group(1) for m in _GLUED_REF.finditer(text) if m.start() > 0}
    return sure, glued


class _Refs:
    """The reference marks standing in the running text read so far. Lines are read for marks
    only when a footnote candidate asks (``sure``/``glued``): most texts have none, and reading
    every line was most of this step's time."""

    def __init__(self) -> None:
        self._sure: set[str] = set()
        self._glued: set[str] = set()
        self._pending: list[str] = []           # running-text lines not read yet
        self.add = self._pending.append         # (called for every line: no Python call)

    def _read(self) -> None:
        for text in self._pending:
            s, g = _refs_in(text)
            self._sure |= s
            self._glued |= g
        self._pending.clear()

    @property
    def sure(self) -> set[str]:
        self._read()
        return self._sure

    @property
    def glued(self) -> set[str]:
        self._read()
        return self._glued


def _find_footnotes(items: list[_Item]) -> list[_Item]:
    """Flag footnote lines the reader left in the running text. A mark in brackets or a plain
    number counts only when the running text before it carries the same reference mark; a
    superscript mark at a line's start is a footnote by itself."""
    refs = _Refs()                          # marks referenced so far in the running text
    last = 0                                # the last footnote number met, for the sequence
    for it in items:
        if it.footnote:
            last = int(it.mark) if (it.mark or "").isdigit() else last
            continue
        first = it.text[:1]
        m = _NOTE_MARKED.match(it.text) if first in _NOTE_OPENERS else None
        if m:
            mark = (m.group("a") or m.group("b") or m.group("c")).translate(_SUP_TO_DIGIT)
            if not m.group("c") or mark in refs.sure:
                it.footnote, it.mark, it.text = True, mark, it.text[m.end():]
                it.fold = fold_tones(it.text)
                last = int(mark)
                continue
        m = _NOTE_PLAIN.match(it.text) if (first.isdigit() or not first.isascii()) \
            and _may_open_plain(it.text) else None
        # A plain number opens a footnote only in sequence (a little above the last one) and
        # when the running text before it carries that number as a mark.
        if m and last < int(m.group("d")) <= last + _PLAIN_STEP_MAX \
                and (m.group("d") in refs.sure or m.group("d") in refs.glued) \
                and not it.block.in_table:
            last = int(m.group("d"))
            it.footnote, it.mark, it.text = True, m.group("d"), it.text[m.end():]
            it.fold = fold_tones(it.text)
            continue
        refs.add(it.text)
    return items


# --- 5. paragraphs cut in two -----------------------------------------------------------------
# Endings that close a paragraph; anything else may run on into the next line.
_CLOSED = re.compile(r"[.;:!?…)\]”\"’'»/]\s*$")
# A new item even when it starts in lower case: "a)", "đ.", "b-", "i)".
_ITEM = re.compile(r"^(?:[a-zđ]{1,2}|[ivx]{1,4})\s?[).\-]\s")
_LOWER_START = re.compile(r"^\p{Ll}")


def continues(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` is the rest of the paragraph ``prev``: ``prev`` is left open (no final
    punctuation, not a title in capitals) and ``nxt`` starts in lower case, not as an item."""
    prev, nxt = prev.rstrip(), nxt.lstrip()
    # The cheap tests on ``nxt`` first: most lines start with a capital, a digit or a bullet
    # (an ASCII character other than a-z is no lower-case letter: no regex needed).
    first = nxt[:1]
    if not prev or not first or first.isascii() and not "a" <= first <= "z" \
            or not _LOWER_START.match(nxt) or _ITEM.match(nxt):
        return False
    return not (_CLOSED.search(prev) or _is_caps(prev) or _RULE.match(prev))


def _join_cut(items: list[_Item]) -> list[_Item]:
    out: list[_Item] = []
    last: _Item | None = None
    parts: list[str] = []                   # the texts joined into ``last`` so far
    for it in items:
        if it.footnote:
            out.append(it)
            continue
        # (continues' first test, written out: most lines start with no lower-case letter.)
        first = it.text.lstrip()[:1]
        if last is not None and (not first.isascii() or "a" <= first <= "z") \
                and last.block.column == it.block.column \
                and last.block.in_table == it.block.in_table \
                and continues(parts[-1], it.text):
            parts.append(it.text.strip())
            continue
        if len(parts) > 1:
            _set_joined(last, parts)        # nothing more joins onto ``last``
        out.append(it)
        last, parts = it, [it.text.rstrip()]
    _set_joined(last, parts)
    return out


def _set_joined(it: _Item | None, parts: list[str]) -> None:
    if it is not None and len(parts) > 1:
        it.text = " ".join(parts)
        it.fold = fold_tones(it.text)


# --- 6. the text ------------------------------------------------------------------------------
def _compose(items: list[_Item], ext: Extracted, metadata: dict) -> DocText:
    body = [it for it in items if not it.footnote]
    notes = [it for it in items if it.footnote]
    parts: list[str] = []
    folds: list[str] = []       # fold_tones of each part: joined, the fold of the text
    lines: list[Line] = []
    pos = 0

    def add(text: str, b: Block) -> int:
        nonlocal pos
        start = pos
        lines.append(Line(start, start + len(text), b.page, b.column, b.bold, b.centered,
                          b.in_table))
        parts.append(text)
        pos += len(text) + 1
        return start

    for it in body:             # add() written out: this loop runs for every line
        b, end = it.block, pos + len(it.text)
        lines.append(Line(pos, end, b.page, b.column, b.bold, b.centered, b.in_table))
        parts.append(it.text)
        folds.append(it.fold)
        pos = end + 1
    footnote_start = pos if notes else None
    footnotes: list[Footnote] = []
    for it in notes:
        text = it.text.strip()
        prefix = f"[{it.mark}] " if it.mark else ""
        start = add(prefix + text, it.block)
        folds.append(fold_tones(prefix + text))
        footnotes.append(Footnote(it.mark or "", text, (start + len(prefix), start + len(prefix) + len(text))))
    text = "\n".join(parts)
    fs = len(text) if footnote_start is None else min(footnote_start, len(text))
    _place_refs(text[:fs], footnotes)
    # fold_tones never looks across a line break: the lines' folds joined are the text's.
    return DocText(text=text, match="\n".join(folds), lines=lines, format=ext.format,
                   footnote_start=fs, footnotes=footnotes, metadata=metadata,
                   warnings=list(ext.warnings), line_texts=parts, line_folds=folds)


def _place_refs(body: str, footnotes: list[Footnote]) -> None:
    """Set each footnote's ``ref_span``: the k-th footnote with a mark takes the k-th place
    that mark stands in the running text, in the surest printed form found."""
    hits: dict[str, list[list[tuple[int, int]]]] = {}   # mark -> per pattern, its places
    taken: dict[tuple[str, int], int] = {}              # (mark, pattern) -> places used
    for fn in footnotes:
        if not fn.mark.isdigit():
            continue
        if fn.mark not in hits:
            hits[fn.mark] = [[m.span() for m in pat.finditer(body)] for pat in _ref_patterns(fn.mark)]
        for k, places in enumerate(hits[fn.mark]):
            n = taken.get((fn.mark, k), 0)
            if n < len(places):
                taken[(fn.mark, k)] = n + 1
                fn.ref_span = places[n]
                break
