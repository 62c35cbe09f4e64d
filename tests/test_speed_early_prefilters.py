"""The quick paths of the reading and early parse stages answer as the plain ones.

Each quick path (a test of the first character before a regex, ``str`` methods in place of a
regex, a regex read from the end) is checked against the plain form it stands for: by
partial matching over every character of the Basic Multilingual Plane where a pattern's first
character is the claim, and on generated texts (hypothesis) elsewhere. A pattern edited in
``patterns.py`` without its quick test fails here, not silently in the output.
"""
from __future__ import annotations

import sys

import pytest
import regex
from hypothesis import given, strategies as st

from danvan_cli import normalize
from danvan_cli.parse import citations, closing, header, layout, outline

BMP = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]


def _can_start(pattern: regex.Pattern, c: str) -> bool:
    """Whether some text starting with ``c`` may match ``pattern`` (at its start)."""
    return pattern.match(c, partial=True) is not None


def _starters(pattern: regex.Pattern, skip_spaces: bool = True) -> set[str]:
    """The characters a match of ``pattern`` can start with; spaces left out when the caller
    strips them (``str.lstrip`` takes every space \\s takes)."""
    return {c for c in BMP if not (skip_spaces and c.isspace()) and _can_start(pattern, c)}


# --- first characters -------------------------------------------------------------------------
HEADER_FIRSTS = [
    (header._RULE, header._RULE_FIRST),
    (header._MOTTO_START, "cCđĐ"),
    (header._DOC_MARK, "(dDtTmMhHkKbBsSpP"),
    (header._NUMBER, "sS"),
    (header._NUMBER_ALONE, "sS"),
    (header._DATE_ALONE, "nN"),
    (header._VV, "Vv"),
    (header._KG, "kK"),
]


@pytest.mark.parametrize("pattern,initials", HEADER_FIRSTS, ids=lambda x: getattr(x, "pattern", "")[:30])
def test_header_first_character_tests_miss_no_match(pattern, initials):
    missed = {c for c in _starters(pattern) if not header._may_start(c, initials)}
    assert not missed


def test_header_type_heads_miss_no_type_line():
    for pattern in (header._TYPE, header._TYPE_COMPOUND, header._TYPE_ALONE_ANY_CASE):
        assert {header._fold(c) for c in _starters(pattern)} <= {h[0] for h in header._TYPE_HEADS}


# header._fold gives the letter for every character the case-insensitive patterns take for
# it: the letters of the quick tests (type names' first two, the initials of _may_start).
FOLDED_LETTERS = sorted({ch for head in header._TYPE_HEADS for ch in head}
                        | set("cđdtmhkbspnv"))


@pytest.mark.parametrize("letter", FOLDED_LETTERS)
def test_fold_covers_the_case_insensitive_letters(letter):
    rx = regex.compile("(?i)" + regex.escape(letter))
    assert all(header._fold(c) == letter for c in BMP if rx.fullmatch(c))


def test_place_date_starts_with_a_capital():
    # header._is_date_seg: an ASCII first character must be upper case.
    assert {c for c in _starters(header._PLACE_DATE, skip_spaces=False) if c.isascii()} \
        <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@pytest.mark.parametrize("pattern,initials", [
    (closing._MARK_START, closing._MARK_INITIALS),
    (closing._TITLE, closing._TITLE_INITIALS),
])
def test_closing_initials_miss_no_match(pattern, initials):
    assert _starters(pattern, skip_spaces=False) <= set(initials)


def test_closing_page_number_test_misses_no_match():
    assert all(closing._may_be_page_number(c) for c in _starters(closing._PAGE_NUMBER))


def test_closing_recipients_test_misses_no_match():
    # "Nơi nhận" after at most three characters that are no letter or digit.
    ascii_starters = {c for c in _starters(closing._NOI_NHAN, skip_spaces=False) if c.isascii()}
    non_word = {c for c in ascii_starters if not regex.match(r"\w", c)}
    assert ascii_starters - non_word <= {"n", "N"}
    assert all(closing._NOI_NHAN.match(c * 4, partial=True) is None for c in non_word)


def test_layout_counter_test_misses_no_match():
    assert all(layout._may_count(c) for c in _starters(layout._COUNTER))


def test_closing_bullets_miss_no_match():
    assert _starters(closing._BULLET) <= set(closing._BULLETS)


def test_closing_upper_in_ascii():
    # closing.is_name: an ASCII character outside A-Z is no capital.
    assert {c for c in map(chr, range(128)) if closing._UPPER.match(c)} \
        == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def test_layout_lower_start_in_ascii():
    # layout.continues: an ASCII character outside a-z is no lower-case letter.
    assert {c for c in map(chr, range(128)) if layout._LOWER_START.match(c)} \
        == set("abcdefghijklmnopqrstuvwxyz")


# --- str methods and regexes read from the end, on generated texts -----------------------------
SPACES = " \t\n\u00a0\u2003\x1c\u3000"
TONED = "".join(sorted({k[1] for k in normalize._TONES}))


def text_of(alphabet: str, max_size: int = 40):
    return st.text(alphabet=alphabet, max_size=max_size)


# The tone fold as first written: the table's pairs, at a syllable's end, not after q.
_PLAIN_TONE = regex.compile(
    r"(?<![qQ])(" + "|".join(map(regex.escape, normalize._TONES)) + r")(?!\p{L})")


@given(text_of("oOuUqQaAyYxX. \n²" + TONED))
def test_fold_tones_is_the_pair_table(s):
    assert normalize.fold_tones(s) == _PLAIN_TONE.sub(lambda m: normalize._TONES[m.group(1)], s)


@pytest.mark.parametrize("text,expected", [
    ("uà", "uà"), ("oÀ.", "oÀ."), ("HOÀ", "HÒA"), ("Qoà", "Qoà"), ("hoà²", "hòa²"), ("hoàng", "hoàng"),
])
def test_fold_tones_edges(text, expected):
    assert normalize.fold_tones(text) == expected


@given(text_of("ab *\u200b\u00ad\ufeff\u2060" + SPACES))
def test_clean_chars_skips_only_what_it_would_not_change(s):
    plain = normalize._EMPHASIS.sub("", normalize._SPACES.sub(" ", normalize._ZERO_WIDTH.sub(
        "", s.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))))
    assert normalize.clean_chars(s) == plain


@given(text_of("ab" + SPACES))
def test_strip_spans_are_strip(s):
    for a in range(len(s) + 1):
        for b in range(a, len(s) + 1):
            body = s[a:b].strip()
            want = (b, b) if not body else (a + s[a:b].index(body), a + s[a:b].index(body) + len(body))
            assert header._strip(s, a, b) == want
            assert closing._strip_span(s, a, b) == want


@given(text_of("a;,.Vv" + SPACES))
def test_has_space_misses_no_regex_space(s):
    if regex.search(r"\s", s):
        assert closing._has_space(s)
    if s.isascii() and s.isprintable():
        assert closing._has_space(s) == (" " in s)


@given(text_of("- ;,aB\n" + SPACES[:4]))
def test_trailing_punct_from_the_end(s):
    forward = regex.compile(closing._TRAILING_PUNCT.pattern)
    assert closing._TRAILING_PUNCT.sub("", s) == forward.sub("", s)


@given(text_of("0123. Kk\u0663" + SPACES[:3], 6))
def test_plain_note_quick_test(s):
    if layout._NOTE_PLAIN.match(s):
        assert layout._may_open_plain(s)


@given(text_of("0123-–— tTrangpPe/1" + SPACES[:3], 12))
def test_page_number_quick_test(s):
    t = s.strip()
    assert layout._page_number(t) == bool(layout._PAGE_NUMBER.match(t))


@given(text_of(".:;!?…)]”\"’»/ab" + SPACES))
def test_ends_closed_is_the_regex(s):
    assert outline._ends_closed(s) == bool(outline._CLOSED.search(s))


@given(st.lists(st.sampled_from(["khoản", "số", "giai đoạn", "tiểu mục", "x", "1", " ", "  ",
                                 "\n", "a"]), max_size=12))
def test_number_lead_searched_near_the_end(parts):
    s = "".join(parts)
    start = max(0, len(s.rstrip()) - outline._NUMBER_LEAD_LEN)
    assert bool(outline._NUMBER_LEAD.search(s, start)) == bool(outline._NUMBER_LEAD.search(s))


@given(text_of("0123456789/-–ABĐs " + SPACES[:3], 30))
def test_number_matches_are_the_regex(s):
    quick = [m.span() for m in citations._number_matches(s, 0, len(s))]
    assert quick == [m.span() for m in citations.NUMBER_RE.finditer(s)]


@given(text_of("0123/-ABĐ", 20))
def test_number_parts(s):
    assert citations._number_parts(s) == citations._NUMBER_PARTS.split(s)


@given(st.lists(st.sampled_from(["Kế hoạch", "kế hoạch", "Bộ luật", "Luật", "luật", "Thông tư",
                                 "liên tịch", " ", "số", "Số", ":", ".", "s", "x", "\n"]),
                max_size=8))
def test_type_before_from_the_end(parts):
    window = "".join(parts)
    forward = regex.compile(citations._TYPE_BEFORE.pattern)
    gap_at = citations._gap_start(window)
    start = max(0, gap_at - citations._TYPE_WORD_MAX)
    a, b = forward.search(window, start), citations._TYPE_BEFORE.search(window, start)
    assert (a and (a.span(), a.group("type"), a.group("gap"))) == \
        (b and (b.span(), b.group("type"), b.group("gap")))


@given(st.lists(st.sampled_from([",", "và", ";", ":", "”", '"', " ", "v", "à", "x"]), max_size=10))
def test_subject_trail_from_the_end(parts):
    s = "".join(parts)
    forward = regex.compile(citations._SUBJECT_TRAIL.pattern)
    assert citations._SUBJECT_TRAIL.sub("", s) == forward.sub("", s)


@given(text_of("a;!?.\n " + SPACES[3:], 60), st.integers(0, 60))
def test_last_sentence_end(text, hi):
    hi = min(hi, len(text))
    ends = [m.start() for m in citations._SENTENCE_END.finditer(text, 0, hi)]
    assert citations._last_sentence_end(text, 0, hi) == (ends[-1] if ends else -1)


@given(st.lists(st.sampled_from(["Kế hoạch", "Luật", "Luật,", "Lệnh", "Bộ luật", "Ban", "Chỉ thị",
                                 "x", " ", "  "]), max_size=5))
def test_cap_type_heads(parts):
    # citations._read_issuer: a word where another document's type word begins starts with the
    # first word of a type word.
    s = "".join(parts)
    word = regex.match(r"\S*", s).group()
    if citations._CAP_TYPE_AHEAD.match(s):
        assert word.startswith(citations._CAP_TYPE_HEADS)


def test_lines_between_is_every_line_inside():
    from danvan_cli.parse import layout as lay
    from danvan_cli.readers.base import Extracted
    from danvan_cli.readers.txt import text_to_blocks
    from conftest import PLAN
    doc = lay.build(Extracted("txt", text_to_blocks(PLAN + "\n[1] Ghi chú.")))
    for lo in range(-1, len(doc.text) + 2, 7):
        for hi in range(lo, len(doc.text) + 2, 5):
            assert doc.lines_between(lo, hi) == \
                [i for i, ln in enumerate(doc.lines) if ln.start >= lo and ln.end <= hi]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
