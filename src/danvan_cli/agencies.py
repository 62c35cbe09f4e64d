"""Agency names: one canonical key per body, and reading runs of agency names out of text.

Documents name one body many ways: "Ủy ban nhân dân tỉnh", "UBND tỉnh", "UBND tỉnh Bình Dương"
(in a Bình Dương document); "Sở Nội vụ", "Sở NV", "SNV"; "Ủy ban MTTQ Việt Nam tỉnh",
"UBMTTQVN tỉnh". ``agency_key`` folds them onto one key so deadlines and assignments of one
body meet in the index; ``agency_matches`` answers `--agency` filters with the same folding.
The abbreviation table is data (``data/agencies.json``).

``read_agencies`` is the *find* step the assignment and deadline parsers share: from a position
in the (tone-folded) text, the run of agency names that starts there, split into names, and why
the run stopped (a verb, a colon ...).
"""
from __future__ import annotations

import array
import functools
import json
import re as stdre
import sys
import unicodedata
from dataclasses import dataclass
from importlib import resources

import regex as re

from . import patterns as P
from .normalize import fold_search, fold_tones

# --- the lexicon ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    with resources.files("danvan_cli").joinpath("data/agencies.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def _nfc(s: str) -> str:
    return fold_tones(unicodedata.normalize("NFC", s))


_WORD_RUN = re.compile(r"[\p{L}\p{N}]+")
_COMRADE = re.compile(r"^(?:các\s+)?(?:đ/c|đồng chí)\s+", flags=re.I)


def _words(folded: str) -> str:
    """Letters and digits only, one space between words."""
    return " ".join(_WORD_RUN.findall(folded))


@functools.lru_cache(maxsize=1)
def _tables():
    lx = lexicon()
    # Abbreviations keyed as printed (capitals), and by their fold for lower-case queries.
    abbr = {_nfc(k).replace("-", ""): _words(fold_search(_nfc(v))) for k, v in lx["abbreviations"].items()}
    abbr_folded = {fold_search(k): v for k, v in abbr.items()}
    canon_pairs = []
    for canonical, variants in lx["canonical"].items():
        c = _words(fold_search(_nfc(canonical)))
        for v in [canonical, *variants]:
            canon_pairs.append((_words(fold_search(_nfc(v))), c))
    canon_pairs.sort(key=lambda p: -len(p[0]))
    canon_map = dict(canon_pairs)
    canon_re = re.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(re.escape(v) for v, _ in canon_pairs)
                          + r")(?![\p{L}\p{N}])")
    titles = sorted((_nfc(t).lower() for t in lx["titles"]), key=len, reverse=True)
    levels = [_words(fold_search(_nfc(x))) for x in lx["levels"]]
    return abbr, abbr_folded, canon_map, canon_re, titles, levels


_ABBR_TOKEN = re.compile(r"(?<![\p{L}\p{N}])[\p{Lu}Đ]{2,}(?:-[\p{Lu}Đ]{2,})?(?![\p{L}\p{N}])")


def _expand_abbreviations(s: str, query: bool = False) -> str:
    abbr, abbr_folded, *_ = _tables()

    def repl(m: re.Match) -> str:
        tok = m.group(0).replace("-", "")
        return abbr.get(tok, m.group(0))
    s = _ABBR_TOKEN.sub(repl, s)
    if query:
        # A user typing "snv" or "ubnd" means the abbreviation; two letters ("tu", "vp") are
        # ordinary syllables once folded, so only longer ones expand here.
        def repl_q(m: re.Match) -> str:
            w = m.group(0)
            return abbr_folded.get(fold_search(w), w) if len(w) >= 3 else w
        s = re.sub(r"(?<![\p{L}\p{N}])[\p{L}]{3,}(?![\p{L}\p{N}])", repl_q, s)
    return s


@functools.lru_cache(maxsize=64)
def _place_re(place: str) -> stdre.Pattern | None:
    """The document's own place after a level word: "tinh binh duong" -> "tinh".

    Run on a key: words of letters and digits (``_words``) one space apart, where a word's
    edge is the key's edge or a space. The ``re`` module tells those apart as well as the
    regex module's letter and digit classes, and compiles the pattern five times faster (one
    per place named)."""
    folded = _words(fold_search(_nfc(place)))
    if not folded:
        return None
    levels = _tables()[5]
    return stdre.compile(rf"(?<![^ ])({'|'.join(map(stdre.escape, levels))}) {stdre.escape(folded)}(?![^ ])")


@functools.lru_cache(maxsize=8192)
def agency_key(name: str | None, context_place: str | None = None, *, query: bool = False) -> str:
    """The canonical key of an agency name: accent-free words, abbreviations expanded, long
    forms of one body folded together, a leading post ("Giám đốc", "Chánh") dropped, and the
    document's own place dropped after its level ("UBND tỉnh Bình Dương" -> "uy ban nhan dan
    tinh" in a Bình Dương document). Empty string for an empty name."""
    if not name:
        return ""
    _, _, canon_map, canon_re, titles, _ = _tables()
    s = _nfc(name).strip()
    s = _COMRADE.sub("", s)
    low = s.lower()
    for t in titles:  # on accented text: "Trưởng" (a post) is not "Trường" (a school)
        if low.startswith(t + " ") and len(s) > len(t) + 1:
            s = s[len(t) + 1:].lstrip()
            break
    s = _expand_abbreviations(s, query=query)
    key = _words(fold_search(s))
    key = canon_re.sub(lambda m: canon_map[m.group(0)], key)
    rx = _place_re(context_place) if context_place else None
    if rx is not None:
        key = rx.sub(r"\1", key)
    return key


def agencies_key(names: list[str], context_place: str | None = None) -> str | None:
    """The key of several agencies owing one thing: their keys joined by "|"."""
    keys = [k for k in dict.fromkeys(agency_key(n, context_place) for n in names) if k]
    return "|".join(keys) or None


def agency_matches(query: str, key: str | None, name: str | None = None) -> bool:
    """Whether an `--agency` query names the agency of ``key`` (or one of the agencies of a
    "|"-joined key): accent-insensitive and alias-aware ("so noi vu", "SNV", "Sở NV" all find
    "Sở Nội vụ"); the query's words must stand together in the key ("noi vu" finds "Sở Nội vụ",
    "UBND tỉnh" finds "Văn phòng UBND tỉnh" too). ``name``, the agency as printed, is a fallback
    for rows without a key."""
    q = agency_key(query, query=True)
    if not q:
        return False
    keys = (key or "").split("|") if key else []
    if name and not keys:
        keys = [agency_key(part) for part in re.split(r"\s*;\s*", name)]
    for k in keys:
        if k == q or f" {q} " in f" {k} ":
            return True
    if name:
        return _words(fold_search(_nfc(query))) in _words(fold_search(_nfc(name)))
    return False


# --- finding agency names in text -------------------------------------------------------------


def _head_pattern(trie: bool = False) -> tuple[str, str]:
    """(proper, head): a capitalised head word or an abbreviation; or those and "các"/"mỗi" with a
    generic word in any case. ``trie``: the lists of heads and abbreviations shaped as tries
    (see _trie), for case-sensitive patterns."""
    lx = lexicon()
    not_heads = {k: v for k, v in lx["not_heads"].items()}

    def after(h: str) -> str:  # what must follow a head ("Ban" not before "hành")
        words = [rf"{re.escape(_nfc(x))}(?!\p{{L}})" if x[0].isalpha() else re.escape(x)
                 for x in not_heads.get(h, [])]
        # one lookahead for all of a head's words, as exact as one per word: the regex module
        # pays for every repeat (\s*) of a pattern at every call, and the heads are tried often
        return r"(?!\p{L})" + (rf"(?!\s*(?:{'|'.join(words)}))" if words else "")
    heads = sorted(lx["heads"], key=len, reverse=True)
    abbrs = [_nfc(a) for a in sorted(lx["abbreviations"], key=len, reverse=True)
             if len(a) >= 3 or a in ("UB", "VP", "TT")]
    if trie:
        by_nfc = {_nfc(h): h for h in heads}
        alts = _trie(by_nfc, lambda w: after(by_nfc[w]))
        abbr = _trie(abbrs)
    else:
        alts = "|".join(re.escape(_nfc(h)) + after(h) for h in heads)
        abbr = "|".join(re.escape(a) for a in abbrs)
    generic = "|".join(re.escape(_nfc(g)) for g in sorted(lx["generic"], key=len, reverse=True))
    proper = r"(?:" + alts + r"|(?:" + abbr + r")(?![\p{L}\p{N}]))"
    return proper, r"(?:" + proper + r"|(?i:các|mỗi)\s+(?i:" + generic + r")(?!\p{L}))"


def _trie(words, end=lambda w: "") -> str:
    """A regex module alternation of the plain ``words``, each followed by ``end(word)``, shaped
    as a trie ("Ban (?:Thường (?:trực|vụ)|...)"): the regex module tries an alternation's
    branches one by one, a trie reads a shared prefix once. It matches as the alternation
    sorted longest first does: words that part at a character cannot both match at one place,
    and where one word is a prefix of another the longer is tried first (a word ending at a node
    comes after the branches going on)."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[None] = end(w)  # (None: a word ends here)

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k is not None)]
        if None in node:
            branches.append(node[None])
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return build(root)


@functools.lru_cache(maxsize=1)
def _readers():
    # Case-sensitive patterns read their word lists as tries (_trie); the case-insensitive one
    # keeps them flat (sibling characters of a trie might match one character in any case).
    proper, head = _head_pattern(trie=True)
    head_re = re.compile(head)
    head_ci_re = re.compile(r"(?i)" + _head_pattern()[1])  # headings set in capitals: "1. VĂN PHÒNG SỞ"
    # "tổ chức" after a comma is a noun in a list ("các cấp ủy, tổ chức đảng, chính quyền"):
    # looked behind from the word's end in the trie
    verbs = _trie(P.TASK_VERBS, lambda v: rf"(?<!,\s{re.escape(v)})" if v == "tổ chức" else "")
    stops = _trie(P.AGENCY_STOPWORDS)
    # a verb right after "các" is a noun: "các tổ chức, cá nhân"
    stop_re = re.compile(rf"(?P<punct>[:(]|\.(?=\s|$)|\.\s*/)"
                         rf"|(?<!\p{{L}})(?<!(?i:các|những|mọi)\s)(?P<verb>{verbs})(?!\p{{L}})"
                         rf"|(?<!\p{{L}})(?P<stop>{stops})(?!\p{{L}})|(?P<digit>(?<!\p{{L}})\d)")
    # Where a run of names splits: ";" always; "," and "và" before a capitalised head word
    # (not before "các ...": "UBMTTQVN xã, các đoàn thể chính trị - xã hội xã" is one addressee).
    split_re = re.compile(rf"\s*;\s*|\s*,\s*(?={proper})|\s+và\s+(?={proper})")
    return head_re, head_ci_re, stop_re, split_re


# --- speed: cheap tests in front of the readers' regexes ---------------------------------------
# read_agencies is called at every clause start of a body and mostly finds no name there; when
# it does, stop_re runs to the first verb or stop word, often a whole paragraph on. Both are
# exact shortcuts: the characters a head word can start with (any character past the BMP is let
# through, its case folding is not checked), and the positions where stop_re can match — a
# mark, a digit or one of its words without the lookarounds — found by the ``re`` engine, far
# faster than the regex module on a long alternation of plain words. stop_re itself decides
# at each of those positions.
_ASTRAL = "\U00010000"
# The regex module lets go of the GIL around every match and takes it back after, unless its
# ``concurrent`` argument is False. The parsers run on one thread and make many short calls,
# for which that costs about a fifth of the call: they pass False, by position (the fourth
# argument of match and search, the fifth of finditer, after overlapped), as a keyword costs
# more than it saves. The matches are the same.
KEEP_GIL = False


@functools.lru_cache(maxsize=1)
def _fast():
    lx = lexicon()
    firsts = {_nfc(h)[0] for h in lx["heads"]} | {_nfc(a)[0] for a in lx["abbreviations"]}
    bmp = _bmp()
    cls = "".join(re.escape(ch) for ch in sorted(firsts))
    head_first = frozenset(re.findall(rf"[{cls}]|(?i:[cm])", bmp))  # "(?i:các|mỗi)"
    head_ci_first = frozenset(re.findall(rf"(?i)[{cls}cm]", bmp))
    # The words and the marks apart (see _stop_hint): the ``re`` engine skips ahead to the
    # characters a pattern can start with only when every branch opens with a plain character,
    # and a class ([:(.\d]) among the branches makes it try them all at every position.
    stop_words = stdre.compile(_trie_alt({*P.TASK_VERBS, *P.AGENCY_STOPWORDS}))
    stop_marks = stdre.compile(r"[:(.\d\U00010000-\U0010FFFF]")
    return head_first, head_ci_first, stop_words, stop_marks


def _bmp() -> str:
    """Every character of the BMP but the surrogates, in order: decoded at once (a chr() per
    character cost more than the rest of _fast, once per process)."""
    codes = array.array("I", [*range(0xD800), *range(0xE000, 0x10000)])
    if codes.itemsize != 4:
        return "".join(map(chr, codes))
    return codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


def _trie_alt(words) -> str:
    """An ``re`` alternation of plain ``words`` shaped as a trie ("chủ (?:trì|động)"): the
    engine tries each alternative in turn, so shared prefixes are read once."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [stdre.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")
    return build(root)


# The characters the regex module's \s matches: str.isspace() less U+001C-U+001F (none past
# U+3000). For exact str-method stand-ins of "\s" in the parsers' shortcuts.
REGEX_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\x1c\x1d\x1e\x1f")
_RX_SPACE = REGEX_SPACES
# (three plain branches, not "[;,]|và": see _fast)
_SPLIT_HINT = stdre.compile(r";|,|và")


def _split_matches(split_re: re.Pattern, match: str, pos: int, end: int):
    """``split_re.finditer(match, pos, end)``: a split is spaces then ";", "," or "và", so it is
    tried only from the start of the spaces before each of those (where the leftmost match
    there would begin), and after "," or "và" only where a head word can follow."""
    first = _fast()[0]
    while True:
        h = _SPLIT_HINT.search(match, pos, end)
        if h is None:
            return
        if h.group(0) != ";":
            # "," and "và" split only before a head word (a lookahead the regex pays dearly for)
            j = h.end()
            while j < end and match[j] in _RX_SPACE:
                j += 1
            if j >= end or (match[j] < _ASTRAL and match[j] not in first):
                pos = h.start() + 1
                continue
        c = h.start()
        while c > pos and match[c - 1] in _RX_SPACE:
            c -= 1
        m = split_re.match(match, c, end, KEEP_GIL)
        if m:
            yield m
            pos = m.end()
        else:
            pos = h.start() + 1


def _stop_hint(match: str, pos: int, end: int) -> int:
    """Where ``_fast``'s words or marks first match in [pos, end) (the start), else -1: as one
    alternation of both would, the marks (one character each) looked for only before the first
    word."""
    _, _, words, marks = _fast()
    w = words.search(match, pos, end)
    m = marks.search(match, pos, w.start() if w else end)
    if m is not None:
        return m.start()
    return w.start() if w is not None else -1


def _first_stop(stop_re: re.Pattern, match: str, start: int, end: int) -> re.Match | None:
    """The first of ``stop_re.finditer(match, start, end)`` but a "(" right at ``start``,
    stop_re tried only where ``_stop_hint`` allows."""
    pos = start
    while True:
        h = _stop_hint(match, pos, end)
        if h < 0:
            return None
        m = stop_re.match(match, h, end, KEEP_GIL)
        if m is None:
            pos = h + 1
        elif m.start() == start and m.lastgroup == "punct" and m.group(0).startswith("("):
            pos = m.end()
        else:
            return m


@dataclass(slots=True)
class AgencyRun:
    names: list[tuple[str, int, int]]   # (name as printed, start, end)
    start: int
    end: int                            # where the run ends (before the stop)
    stop: str                           # "verb" | "punct" | "stop" | "end"
    stop_word: str                      # the verb or mark that ended it
    stop_at: int = -1                   # where that verb or mark starts

    @property
    def after_stop(self) -> int:
        """Just past the verb or mark that ended the run."""
        return self.stop_at + len(self.stop_word) if self.stop_at >= 0 else self.end


MAX_RUN_WORDS = 45


# The runs read in the last document, by (pos, end, capitals): the assignment and deadline
# stages ask for the same places again and again (a sentence's subject, the partners after
# "phối hợp với" read once for the partners and once for where the task starts). The strings
# are held, so a match by identity is the same document.
_memo: tuple[str, str, dict] | None = None
_UNREAD = object()


def read_agencies(match: str, text: str, pos: int, end: int, *, capitals: bool = False) -> AgencyRun | None:
    """The run of agency names starting at ``pos`` (after spaces) and ending before ``end``,
    or None when no agency name starts there. ``match`` is the tone-folded text the regexes
    run on, ``text`` the display text names are sliced from (same offsets). ``capitals``: the
    line is set in capitals, head words match in any case. A run is shared by every caller
    asking for the same place: read it, never change it."""
    global _memo
    while pos < end and match[pos] in " \t":
        pos += 1
    if pos >= end:
        return None
    ch = match[pos]
    if ch < _ASTRAL and ch not in _fast()[1 if capitals else 0]:
        return None  # no head word starts with that character: not worth a memo entry
    memo = _memo
    if memo is None or memo[0] is not match or memo[1] is not text:
        memo = _memo = (match, text, {})
    runs = memo[2]
    key = (pos, end, capitals)
    run = runs.get(key, _UNREAD)
    if run is _UNREAD:
        run = runs[key] = _read_run(match, text, pos, end, capitals)
    return run


def _read_run(match: str, text: str, pos: int, end: int, capitals: bool) -> AgencyRun | None:
    """read_agencies from ``pos``, where a head word may start."""
    head_re, head_ci_re, stop_re, split_re = _readers()
    hm = (head_ci_re if capitals else head_re).match(match, pos, end, KEEP_GIL)
    if not hm:
        return None
    sm = _first_stop(stop_re, match, hm.end(), end)
    if sm is None:
        stop, stop_word, stop_at = "end", "", end
    else:
        stop, stop_word, stop_at = sm.lastgroup, sm.group(0), sm.start()
        if stop == "digit":
            stop = "stop"
    run_end = stop_at
    while run_end > pos and match[run_end - 1] in " ,;-–":
        run_end -= 1
    seg = match[pos:run_end]
    # (more than MAX_RUN_WORDS words take more than twice as many characters)
    if run_end <= pos or (run_end - pos > 2 * MAX_RUN_WORDS and len(seg.split()) > MAX_RUN_WORDS):
        return None
    names = []
    piece_start = pos
    head = head_ci_re if capitals else head_re
    splits = list(_split_matches(split_re, match, pos, run_end)) if ";" in seg or "," in seg or "và" in seg else []
    for sp in splits + [None]:
        piece_end = sp.start() if sp else run_end
        if sp and _joint_office(match[piece_start:piece_end], sp.group(0)):
            continue
        if piece_start > pos and not head.match(match, piece_start, piece_end, KEEP_GIL):
            # "... Bộ Nội vụ; tổng kết thực hiện ...": the run ended at the ";"
            run_end, stop, stop_word = piece_start, "punct", ";"
            stop_at = match.rfind(";", pos, piece_start)
            break
        piece = text[piece_start:piece_end]
        name = piece.strip(" ,;-–")
        if name:
            s = piece_start + len(piece) - len(piece.lstrip(" ,;-–"))
            names.append((name, s, s + len(name)))
        if sp:
            piece_start = sp.end()
    names = [n for n in names if _is_name(n[0])]
    if not names:
        return None
    end_at = names[-1][2]
    return AgencyRun(names, pos, end_at, stop, stop_word, stop_at if stop != "end" else -1)


def _joint_office(left: str, sep: str) -> bool:
    """"Văn phòng HĐND và UBND huyện" is one office, not two bodies."""
    return "và" in sep and left.lstrip().startswith("Văn phòng")


def _is_name(name: str) -> bool:
    """More than a bare head word ("Sở", "Ban"), unless it is an abbreviation ("SNV")."""
    if len(name.split(None, 1)) == 2:  # (two words or more: split once)
        return True
    return bool(_ABBREVIATION.fullmatch(name, 0, len(name), KEEP_GIL))


_ABBREVIATION = re.compile(r"[\p{Lu}Đ]{2,}")
