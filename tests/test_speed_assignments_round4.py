"""The fourth round of speed changes in reading runs of agency names answers as the plain forms
they stand for.

- where a run may stop is looked for with two ``re`` patterns, the stop words and the marks,
  where one alternation of both made the ``re`` engine try every branch at every position;
- the places a run may split are looked for with plain branches (";|,|và"), not a class and a
  word.
"""
from __future__ import annotations

import re as stdre

from hypothesis import given, settings, strategies as st

from danvan_cli import agencies
from danvan_cli import patterns as P

# --- where a run may stop ----------------------------------------------------------------------

# The hint as it was: the marks and the words in one alternation.
_PLAIN_STOP_HINT = stdre.compile(r"[:(.\d\U00010000-\U0010FFFF]|"
                                 + agencies._trie_alt({*P.TASK_VERBS, *P.AGENCY_STOPWORDS}))


def _plain_hint(text: str, pos: int, end: int) -> int:
    h = _PLAIN_STOP_HINT.search(text, pos, end)
    return h.start() if h else -1


def _plain_first_stop(text: str, start: int, end: int):
    """The first of stop_re.finditer(text, start, end) but a "(" right at start."""
    stop_re = agencies._readers()[2]
    for m in stop_re.finditer(text, start, end):
        if m.start() == start and m.lastgroup == "punct" and m.group(0).startswith("("):
            continue
        return m
    return None


def _reads(m):
    return m and (m.span(), m.lastgroup, m.group(0))


STOP_HINTS = [
    # (text, pos, end, expected start)
    ("Sở Nội vụ chủ trì, phối hợp", 0, 27, 10),       # a verb
    ("Sở Nội vụ: chủ trì", 0, 18, 9),                  # a mark before the word
    ("Sở Nội vụ chủ trì: x", 0, 20, 10),               # a mark after it
    ("Phòng Y tế (Sở Y tế)", 0, 20, 11),
    ("Phòng Y 3 chủ trì", 0, 17, 8),                   # a digit
    ("Phòng số 3", 0, 10, 6),                          # a stop word before it
    ("Phòng ٣ chủ trì", 0, 15, 6),                     # any decimal digit
    ("Ban \U0001d400 chủ trì", 0, 14, 4),              # past the BMP
    ("Sở Nội vụ", 0, 9, -1),                           # none
    ("Sở Nội vụ chủ trì", 0, 14, -1),                  # a word cut by the end
    ("Sở Nội vụ chủ trì", 11, 17, -1),                 # ... and by the start
    ("Sở Nội vụ.", 0, 10, 9),                          # a mark at the end's edge
    ("Sở Nội vụ.", 0, 9, -1),
    ("SỞ NỘI VỤ CHỦ TRÌ", 0, 17, -1),                  # words as printed: upper case is none
    ("Sở Nội vụ\nchủ trì", 0, 17, 10),                 # a line break
    ("Sở Nội vụ chủ trì", 10, 17, 10),                 # at the start
    ("Phòng İ ſ chủ trì", 0, 17, 10),
    ("Phòng Kế hoạch báo cáo.", 0, 23, 15),
    ("Văn phòng. Sở", 0, 13, 9),
]


def test_stop_hint_table():
    for text, pos, end, expected in STOP_HINTS:
        assert agencies._stop_hint(text, pos, end) == expected, (text, pos, end)
        assert _plain_hint(text, pos, end) == expected, (text, pos, end)


HINT_PIECES = ["Sở", "Nội vụ", " ", "  ", "\n", ",", ":", ".", "(", ")", "3", "٣", "\U0001d400", "chủ trì",
               "chủ", "trì", "báo cáo", "tổ chức", "các", "phối hợp", "với", "và", "CHỦ TRÌ", "İ", "ſ", "đ", "Đ",
               "thực hiện", "ban hành", "căn cứ vào", "hàng năm", "x"]


@st.composite
def text_and_range(draw):
    """A text of HINT_PIECES and a range [pos, end) of it."""
    text = "".join(draw(st.lists(st.sampled_from(HINT_PIECES), max_size=10)))
    pos = draw(st.integers(0, len(text)))
    return text, pos, draw(st.integers(pos, len(text)))


@settings(max_examples=600, deadline=None)
@given(text_and_range())
def test_stop_hint_as_one_alternation(case):
    assert agencies._stop_hint(*case) == _plain_hint(*case)


def test_first_stop_table():
    stop_re = agencies._readers()[2]
    for text, pos, end, _ in STOP_HINTS + [("(Sở) Nội vụ chủ trì", 0, 19, None), ("Sở (x) chủ trì", 3, 14, None)]:
        got = agencies._first_stop(stop_re, text, pos, end)
        assert _reads(got) == _reads(_plain_first_stop(text, pos, end)), (text, pos, end)
    # a "(" right at the start is stepped over, one further on is a stop
    assert agencies._first_stop(stop_re, "(Sở) chủ trì", 0, 12).group(0) == "chủ trì"
    assert agencies._first_stop(stop_re, "Sở (x)", 0, 6).group(0) == "("


@settings(max_examples=600, deadline=None)
@given(text_and_range())
def test_first_stop_as_finditer(case):
    got = agencies._first_stop(agencies._readers()[2], *case)
    assert _reads(got) == _reads(_plain_first_stop(*case))


# --- where a run may split ---------------------------------------------------------------------

_PLAIN_SPLIT_HINT = stdre.compile(r"[;,]|và")

SPLITS = [
    # (text, expected (start, group) of each place)
    ("Sở Nội vụ, Sở Tư pháp; Phòng Y tế và Công an", [(9, ","), (21, ";"), (34, "và")]),
    ("Văn phòng HĐND và UBND", [(15, "và")]),
    ("VÀ, Và; vả", [(2, ","), (6, ";")]),                # "và" as printed only
    ("vàng, và\nx", [(0, "và"), (4, ","), (6, "và")]),  # no word edges: split_re decides
    ("", []),
]


def test_split_hint_table():
    for text, expected in SPLITS:
        assert [(m.start(), m.group(0)) for m in agencies._SPLIT_HINT.finditer(text)] == expected, text
        assert [(m.start(), m.group(0)) for m in _PLAIN_SPLIT_HINT.finditer(text)] == expected, text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(HINT_PIECES + ["và", "VÀ", ";", "vàng"]), max_size=10), st.data())
def test_split_hint_as_the_class(pieces, data):
    text = "".join(pieces)
    pos = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(pos, len(text)))
    assert [(m.span(), m.group(0)) for m in agencies._SPLIT_HINT.finditer(text, pos, end)] == \
        [(m.span(), m.group(0)) for m in _PLAIN_SPLIT_HINT.finditer(text, pos, end)]


def test_split_hint_skips_ahead():
    """The point of the plain branches: the ``re`` engine knows the characters a match starts
    with (a class among the branches hides them), so it skips to those."""
    assert stdre.compile(r";|,|và").search("x" * 50 + "và").start() == 50
    code = agencies._SPLIT_HINT.pattern
    assert "[" not in code and code.split("|") == [";", ",", "và"]
