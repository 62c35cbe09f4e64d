"""The second round of quick paths in reading and the early parse stages answers as the plain
forms they stand for.

Each quick path is checked against the plain form it replaced, written out here: on tables of
(input, expected), on every character where a claim is about characters (the Basic Multilingual
Plane, or all of Unicode where it is cheap), and on generated texts (hypothesis) elsewhere.
"""
from __future__ import annotations

import re as stdre
import sys
import unicodedata

import pytest
import regex
from hypothesis import given, strategies as st

from danvan_cli import normalize
from danvan_cli.parse import citations, closing, header, layout, outline
from danvan_cli.parse.textdoc import Openings
from danvan_cli.readers import legacy, txt
from danvan_cli.readers.base import Block, Extracted

BMP = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
SPACES = " \t\n\u00a0\u2003\x1c\u3000"
TONED = normalize._TONE_SECONDS
VI = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐơưƠƯăâêôÂÊÔĂ"


def text_of(alphabet: str, max_size: int = 40):
    return st.text(alphabet=alphabet, max_size=max_size)


def _case_equivalents(letter: str) -> set[str]:
    """The characters the regex module's ``(?i)`` takes for ``letter``."""
    rx = regex.compile("(?i)" + regex.escape(letter))
    return {c for c in BMP if rx.fullmatch(c)}


def _casefold_keeps(word: str) -> bool:
    """Whether ``casefold`` maps each character ``(?i)`` takes for a letter of ``word`` to that
    letter (the last letter may be followed by more): then ``word in text.casefold()`` holds
    wherever the regex finds ``word`` in ``text``."""
    for k, letter in enumerate(word):
        for c in _case_equivalents(letter):
            folded = c.casefold()
            if folded != letter and not (k == len(word) - 1 and folded.startswith(letter)):
                return False
    return True


# --- normalize: the character table and the folds in C -----------------------------------------
def _plain_fold_search(text: str) -> str:
    return "".join(c.lower() if ord(c) < 128 else normalize._fold_char(c) for c in text)


def test_fast_chars_make_an_encoding_map():
    assert len(normalize._FAST_CHARS) <= 256 and normalize._FAST_CHARS[0] == "\x00"
    assert len(set(normalize._FAST_CHARS)) == len(normalize._FAST_CHARS)
    assert type(normalize._FAST_ENCODE).__name__ == "EncodingMap"


@pytest.mark.parametrize("c", list(normalize._FAST_CHARS))
def test_fast_fold_of_each_character(c):
    assert normalize.fold_search(c) == _plain_fold_search(c)
    assert normalize.fold_search(c + "ạ") == _plain_fold_search(c + "ạ")   # (not the ASCII path)


@given(text_of("aAđĐ Ðð\n.\x01ΣİßK" + VI + "“”–…²Ω中"))
def test_fold_search_is_the_plain_fold(s):
    assert normalize.fold_search(s) == _plain_fold_search(s)


SEARCH = [("Dân vận khéo", "dan van kheo"), ("“ĐỔI MỚI” – …", "“doi moi” – …"),
          ("Ω ΣΑ", "ω σα"), ("İ", "i"), ("", "")]


@pytest.mark.parametrize("text,expected", SEARCH)
def test_fold_search_table(text, expected):
    assert normalize.fold_search(text) == expected


def test_tone_classes_read_letters_as_the_regex():
    letter = regex.compile(r"\p{L}")
    for c in normalize._FAST_CHARS:
        cls = chr(normalize._TONE_CLASSES[normalize._FAST_CHARS.index(c)])
        assert (cls != ".") == bool(letter.match(c)), c
        assert (cls == "o") == (c in "oOuU") and (cls == "S") == (c in TONED)
        assert (cls == "q") == (c in "qQ")


@given(text_of("oOuUqQaAyYxX. \n²-1" + TONED + "ạđß中"))
def test_fold_tones_is_the_regex(s):
    assert normalize.fold_tones(s) == normalize._TONE_RE.sub(normalize._fold_pair, s)


@pytest.mark.parametrize("text,expected", [
    ("hoà", "hòa"), ("hoà.", "hòa."), ("quà", "quà"), ("qoà", "qoà"), ("hoàng", "hoàng"),
    ("hoà中", "hoà中"), ("hoà€", "hòa€"), ("oà", "òa"), ("thuỷ²", "thủy²"), ("", ""),
])
def test_fold_tones_table(text, expected):
    assert normalize.fold_tones(text) == expected


# --- normalize: clean_chars of printable text ----------------------------------------------------
def test_nfc_keeps_printable_text_printable():
    # clean_chars skips the steps about unprintable characters for a printable text: NFC must
    # not bring one in. A printable character decomposes and composes to printable ones, and a
    # character composed of printable ones is printable.
    for i in range(sys.maxunicode + 1):
        if 0xD800 <= i <= 0xDFFF:
            continue
        c = chr(i)
        nfd = unicodedata.normalize("NFD", c)
        if c.isprintable():
            assert (nfd + unicodedata.normalize("NFC", c)).isprintable(), hex(i)
        elif len(nfd) > 1:
            assert not nfd.isprintable(), hex(i)


def test_odd_characters_are_unprintable():
    odd = regex.compile(normalize._ODD_CHARS.pattern)
    assert all(not c.isprintable() for c in BMP if odd.match(c))
    assert not any(c.isprintable() for c in "\r\f\u2028\u2029\ufffe")


def _plain_clean_chars(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\u00d0", "Đ").replace("\ufffe", "-")
    text = normalize._ZERO_WIDTH.sub("", text)
    text = normalize._SPACES.sub(" ", text)
    return normalize._EMPHASIS.sub("", text)


@given(text_of("ab *Ð\u0301e\r\n\u200b\ufffe\u2028" + SPACES))
def test_clean_chars_is_the_plain_clean(s):
    assert normalize.clean_chars(s) == _plain_clean_chars(s)


@given(st.lists(text_of("ab *Ðe\u0301\u00a0\n"), max_size=6))
def test_clean_chars_each_is_the_plain_clean(texts):
    assert normalize.clean_chars_each(texts) == [_plain_clean_chars(t) for t in texts]


@given(text_of("ab \t\n"))
def test_squash_spaces(s):
    assert normalize.squash_spaces(s) == normalize._SPACE_RUN.sub(" ", s).strip()


# --- readers ------------------------------------------------------------------------------------
@given(text_of("ạa. \n", 60))
def test_twenty_precomposed_letters(s):
    plain = len(stdre.findall("[\u1ea0-\u1ef9]", s)) >= 20
    assert bool(legacy._PRECOMPOSED_VI_20.match(s)) == plain


def _plain_text_to_blocks(text: str) -> list[Block]:
    blocks, in_bold = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        stars = line.count("**")
        bold = in_bold or bool(stars and txt._BOLD_OPEN.match(line))
        if stars % 2:
            in_bold = not in_bold
        blocks.append(Block(stripped, bold=bold))
    return blocks


@given(st.lists(st.sampled_from(["Kế hoạch", "tiếp theo", "**TM. ỦY BAN", "BAN**", "¹ Ghi chú",
                                 "[1] Quy chế", "a) mục", "", "  ", "x [1]", "hết;"]), max_size=8))
def test_text_to_blocks_is_the_plain_reading(lines):
    text = "\n".join(lines)
    plain = txt.finish_blocks(_plain_text_to_blocks(text))
    assert [vars(b) for b in txt.text_to_blocks(text)] == [vars(b) for b in plain]


def _plain_finish_blocks(blocks: list[Block]) -> list[Block]:
    seen_refs, out, last_body = set(), [], None
    for b in blocks:
        if not b.footnote:
            fm = txt.footnote_mark(b.text)
            if fm and (not b.text.startswith("[") or f"[{fm[0]}]" in seen_refs):
                b.footnote, b.mark, b.text = True, fm[0], fm[1]
        if b.footnote:
            out.append(b)
            continue
        if "[" in b.text:
            seen_refs.update(txt._BRACKET_REF.findall(b.text))
        if last_body is not None and last_body.column == b.column \
                and last_body.in_table == b.in_table and txt.continues(last_body.text, b.text):
            last_body.text = txt.join_text(last_body.text, b.text)
            continue
        out.append(b)
        last_body = b
    return out


@given(st.lists(st.sampled_from(["Kế hoạch", "tiếp theo", " đó", "¹ Ghi chú", "[1] Quy chế",
                                 "a) mục", "x [1]", "hết;", "", "Ending-"]), max_size=8))
def test_finish_blocks_is_the_plain_finish(texts):
    quick = txt.finish_blocks([Block(t) for t in texts])
    assert [vars(b) for b in quick] == [vars(b) for b in _plain_finish_blocks([Block(t) for t in texts])]


# --- parse.textdoc ------------------------------------------------------------------------------
OPENINGS_CASES = [
    (citations._DATE_AFTER, [" ngày 3/4/2020", ", ký ngày 1 tháng 2", " của", ""]),
    (header._BODY_CUE, ["Căn cứ", "1. Mục", "a) x", "- x", "ủy ban", " Theo", ""]),
    (layout._TAIL_FIELD, ["Số hiệu: 1", "ſố hiệu:", "Nơi ban hành:", "x"]),
]


@pytest.mark.parametrize("pattern,texts", OPENINGS_CASES, ids=lambda x: getattr(x, "pattern", "")[:20])
def test_openings_miss_no_match(pattern, texts):
    opens = Openings(pattern)
    for text in texts:
        for k in range(4):
            assert opens[text[:k]] or not pattern.match(text), (text, k)


@given(text_of("CcăđĐ1.) -aTKk ſ", 8))
def test_openings_of_the_body_cue(s):
    assert header._body_cue(s) == bool(header._BODY_CUE.match(s))


def test_doc_keeps_each_line():
    from conftest import PLAN
    doc = layout.build(Extracted("txt", txt.text_to_blocks(PLAN + "\n[1] Ghi chú.")))
    assert doc.line_texts == [doc.text[ln.start:ln.end] for ln in doc.lines]
    assert doc.line_folds == [doc.match[ln.start:ln.end] for ln in doc.lines]
    again = type(doc)(doc.text, doc.match, doc.lines, doc.format, doc.footnote_start)
    assert again.line_texts == doc.line_texts and again.line_folds == doc.line_folds
    for lo in range(-1, len(doc.text) + 2, 7):
        for hi in range(lo, len(doc.text) + 2, 5):
            assert list(doc.lines_starting(lo, hi)) == \
                [i for i, ln in enumerate(doc.lines) if lo <= ln.start < hi]


# --- parse.header -------------------------------------------------------------------------------
def _plain_type_of(fold: str) -> tuple[int, int, int] | None:
    m = header._TYPE_COMPOUND.match(fold)
    if m:
        return m.start("type"), m.end("type"), len(fold)
    m = header._TYPE.match(fold)
    if not m:
        m = header._TYPE_ALONE_ANY_CASE.match(fold)
        return (m.start("type"), m.end("type"), len(fold)) if m else None
    rest = fold[m.end():]
    if rest.strip() == ":" or rest.strip() and not rest[:1].isspace() and rest[:1] not in ":-–":
        return None
    off = m.end()
    while off < len(fold) and fold[off] in " :-–":
        off += 1
    return m.start("type"), m.end("type"), off


@given(st.lists(st.sampled_from(["KẾ HOẠCH", "Kế hoạch", "kế HOẠCH", "CHƯƠNG TRÌNH PHỐI HỢP",
                                 "BÁO CÁO", " ", ":", "-", "x", "Số", "\x1c", "QUYẾT ĐỊNH"]),
                max_size=5))
def test_type_span_is_the_plain_reading(parts):
    fold = "".join(parts)
    assert header._type_span(fold) == _plain_type_of(fold)


def test_type_printed_heads_are_the_names():
    names = header.P.DOC_TYPE_NAMES + header.P.DOC_TYPE_COMPOUNDS
    assert header._TYPE_PRINTED_HEADS == {n[:2] for n in names}
    assert header._TYPE_NAME_MAX == max(map(len, names))


@pytest.mark.parametrize("c", list("ſSsKkCcĐđ-–_*o0(VvNn ") + ["", "İ", "K"])
def test_roles_for_is_may_start(c):
    assert header._roles_for(c) == {role for role, initials in header._ROLE_INITIALS
                                    if header._may_start(c, initials)}


def _plain_place_start(fold: str, s: int, e: int) -> int:
    start, seen_title = s, False
    for m in reversed(list(header._WORD.finditer(fold[s:e]))):
        tok = m.group()
        letters = list(filter(str.isalpha, tok))
        caps_word = len(letters) >= 2 and all(map(str.isupper, letters)) and not tok.endswith(".")
        if caps_word and seen_title:
            break
        seen_title = seen_title or bool(letters) and not caps_word
        start = s + m.start()
    return start


@given(st.lists(st.sampled_from(["BAN", "DÂN", "Thủ", "Dầu", "TP.", "Hà", "-", " ", "  "]),
                max_size=6), st.integers(0, 3))
def test_place_start(parts, s):
    fold = "".join(parts)
    s = min(s, len(fold))
    assert header._place_start(fold, s, len(fold)) == _plain_place_start(fold, s, len(fold))


HEADER_LINES = [
    "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "-------", "Số: 15/BC-UBND", "Can Lộc, ngày 24 tháng 02 năm 2025", "BÁO CÁO",
    "UBND HUYỆN X   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số:    /KH-UBND   Hà Nội, ngày    tháng    năm 2024",
    "V/v triển khai", "Kính gửi: Sở Nội vụ", "KẾ HOẠCH", "Thực hiện Nghị quyết số 25-NQ/TW",
]


@pytest.mark.parametrize("line", HEADER_LINES)
@pytest.mark.parametrize("prev_motto", [False, True])
def test_line_segments_are_cut_and_classified(line, prev_motto):
    doc_fold = "x\n" + line + "\ny"       # the line inside a text, as the stage reads it
    got, after = header._line_segments(line, prev_motto)
    want, state = [], prev_motto
    for s, e in header._cut(doc_fold, 2, 2 + len(line)):
        seg = header.Seg(s, e, 0, None, False, doc_fold[s:e], doc_fold[s:e])
        state = header._classify(seg, state)
        want.append((s - 2, e - 2, seg.role, seg.typed))
    assert (list(got), after) == (want, state)


# --- parse.layout -------------------------------------------------------------------------------
def test_tail_words_are_navigation_words():
    assert all(set(w.split(" ")) <= layout._NAV_VOCABULARY for w in layout._TAIL_WORDS)


def _plain_is_tail_start(it) -> bool:
    t = it.text.strip()
    if ":" in t and layout._TAIL_FIELD.match(t):
        return True
    key = it.fold.strip().strip(":").strip()
    if len(key.split(None, 12)) <= 12:
        key = key.lower()
        if key in layout._TAIL_WORDS or layout._may_count(key) and layout._COUNTER.match(key) \
                and not key.isdigit():
            return True
        if layout._nav_words_only(key) and any(w in key for w in layout._TAIL_WORDS):
            return True
    if layout._may_split(t):
        parts = [p for p in layout._NAV_SPLIT.split(t) if p.strip()]
        if len(parts) > 1 and all(layout._nav_key(p) in layout._NAV_WORDS for p in parts):
            return True
    return False


def _item(text: str):
    return layout._Item(text, Block(text), False, None, normalize.fold_tones(text))


@given(st.lists(st.sampled_from(["Bình luận", "chia sẻ", "Số hiệu:", "12", "lượt xem", "Bạn",
                                 "còn", "a", " ", "  ", "|", ":", "x", "tải về", "Nơi nhận:"]),
                max_size=16))
def test_is_tail_start_is_the_plain_test(parts):
    it = _item("".join(parts).strip())
    assert layout._is_tail_start(it) == _plain_is_tail_start(it)


@given(st.lists(st.sampled_from(["12", "304", "lượt xem", "bạn còn 5 ký tự", " ", ":", "x"]),
                max_size=4))
def test_counter_at_the_end(parts):
    key = "".join(parts).strip().strip(":").strip()
    assert layout._is_counter(key) == bool(layout._COUNTER.match(key.lower()))


def test_motto_words_fold_to_themselves():
    assert _casefold_keeps("cộng") and _casefold_keeps("độc")


def _plain_headerish(it) -> bool:
    t, f = it.text, it.fold
    if layout._RULE.match(t) or layout._DOC_MARK.match(f) or layout._MOTTO_IN.search(f) \
            or len(t) <= 120 and layout._PLACE_DATE.search(f):
        return True
    if len(t) > 100 or layout._BULLET_START.match(t):
        return False
    return layout._is_caps(t) or bool(layout._ISSUER_START.match(f) and len(t) <= 80)


@given(st.lists(st.sampled_from(["CỘNG HÒA", "xã hội", "ĐỘC LẬP", "Ủy ban", "Số: 5/KH", "-----",
                                 "Hà Nội, ngày 1", "DỰ THẢO", " ", "ngày", "đảng cộng sản"]),
                max_size=4))
def test_headerish_and_anchor_are_the_plain_tests(parts):
    it = _item("".join(parts).strip())
    f = it.fold
    assert layout._headerish(it) == _plain_headerish(it)
    assert layout._is_anchor(it) == bool(layout._MOTTO.match(f) or layout._NUMBER_LINE.match(f)
                                         or layout._NUMBER_ALONE.match(f))


# --- parse.closing ------------------------------------------------------------------------------
def test_recipients_word_folds_to_itself():
    assert _casefold_keeps("nơi")


@given(text_of("NnƠơIiİ-: x", 9))
def test_may_open_recipients_misses_no_match(s):
    if closing._NOI_NHAN.match(s):
        assert closing._may_open_recipients(s)


def _plain_clean_item(s: str) -> str:
    s = closing._BULLET.sub("", s.strip(), count=1)
    s = closing._TRAILING_PUNCT.sub("", s)
    return closing._SPACE_RUN.sub(" ", s).strip()


@given(text_of("-–+• ;,.aB\n\t\u00a0", 12))
def test_clean_item_is_the_plain_clean(s):
    assert closing.clean_item(s) == _plain_clean_item(s)


CLOSING_LINES = ["Nơi nhận:", "- UBND tỉnh;", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN",
                 "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An", "(Đã ký)", "tỉnh Bình Dương;",
                 "- Sở Nội vụ,", "5", "Yêu cầu các cơ quan thực hiện."]


@given(st.lists(st.sampled_from(CLOSING_LINES), max_size=8),
       st.sampled_from([None, "left", "right"]), st.booleans())
def test_classify_line_kept_is_classify_line(lines, column, comma):
    kept, plain = closing._State(comma_closes=comma), closing._State(comma_closes=comma)
    for line in lines:
        assert closing.classify_line(line, kept, column) == closing._classify_line(line, plain, column)
        assert (kept.key(), kept.comma_closes) == (plain.key(), plain.comma_closes)


# --- parse.citations ----------------------------------------------------------------------------
def test_not_a_citation_words_end_in_their_last_letters():
    words = ("mẫu", "biểu", "phụ lục", "bảng", "phiếu", "tờ khai")
    assert {w[-1] for w in words} == set(citations._NOT_A_CITATION_LAST)
    assert all(_casefold_keeps(w[-1]) for w in words)
    assert not citations._NOT_A_CITATION_LAST & citations._GAP_CHARS


@given(st.lists(st.sampled_from(["Mẫu", "biểu", "PHỤ LỤC", "bảng", "x", " ", "số", ":", ".", "s",
                                 "\n", "İ", "khai"]), max_size=6))
def test_not_a_citation_quick_test(parts):
    window = "".join(parts)
    gap_at = citations._gap_start(window)
    if citations._NOT_A_CITATION.search(window, max(0, gap_at - citations._NOT_A_CITATION_WORD)):
        assert window[gap_at - 1:gap_at].casefold()[:1] in citations._NOT_A_CITATION_LAST


@given(text_of("12 -/–A\t\u00a0", 10))
def test_canonical_number(s):
    assert citations.canonical_number(s) == citations._SPACES.sub("", s).replace("–", "-")


@given(text_of("a;!?.\n " + SPACES[3:], 60), st.integers(0, 60), st.integers(0, 60))
def test_next_sentence_end(text, lo, hi):
    lo, hi = min(lo, len(text)), min(hi, len(text))
    m = citations._SENTENCE_END.search(text, lo, hi) if hi > lo else None
    assert citations._next_sentence_end(text, lo, hi) == (m.start() if m else -1)


def test_group_numbers_are_the_names():
    assert citations.NUMBER_RE.groupindex["party"] == citations._PARTY
    assert [citations._DATE_AFTER.groupindex[g] for g in ("day", "month", "year")] \
        == list(citations._DAY_MONTH_YEAR)
    assert header._PLACE_DATE.groupindex["place"] == header._PLACE
    assert all(outline._GROUPS[k] == rx.groupindex for k, rx in outline._RE.items())


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
