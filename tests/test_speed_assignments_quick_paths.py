"""The quick paths of the assignment and deadline stages answer as the plain forms they stand for.

Each one (sentence starts read once per document, a regex tried only where a plain word
starts, the lowered text, runs of agency names kept per document, ``str`` methods in place of a
regex) is checked against the plain form: on tables of the cases that matter, and on generated
texts (hypothesis) built from the characters and words the patterns turn on.
"""
from __future__ import annotations

import regex
from hypothesis import given, settings, strategies as st

from danvan_cli import agencies
from danvan_cli.normalize import clean_chars, fold_tones
from danvan_cli.parse import assignments, deadlines

# --- sentence starts --------------------------------------------------------------------------


def _plain_starts(text: str, lo: int, hi: int) -> list[int]:
    return [m.start() for m in assignments._SENTENCE_START.finditer(text, lo, hi)]


SENTENCE_STARTS = [
    # (text, lo, hi, expected)
    ("Giao Sở Nội vụ. Sở Tư pháp; Phòng Y", 0, 35, [16, 28]),
    ("a;B", 0, 3, [2]),              # ";" needs no space
    ("a.B", 0, 3, []),               # "." needs one
    ("a..  B", 0, 6, [5]),
    ("a. ;B", 0, 5, [4]),
    ("a.  B", 4, 5, [4]),            # the mark before the range counts
    ("a.  B", 3, 5, [4]),
    ("a.  Bc. D", 0, 8, [4]),        # a start at the range's end is not in it
    ("a.\u3000Ư", 0, 4, [3]),        # any space the regex module's \s takes
    ("a.\x1cB", 0, 4, []),           # ... and not one it does not
    ("x; đ. Đ", 0, 7, [6]),          # lower-case "đ" starts none
]


def test_sentence_starts_table():
    for text, lo, hi, expected in SENTENCE_STARTS:
        assert assignments._sentence_starts(text, lo, hi) == expected, text
        assert _plain_starts(text, lo, hi) == expected, text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list(".!?;,  \u3000\x1c\nABĐƯaăđx"), max_size=40), st.data())
def test_sentence_starts_as_the_regex(text, data):
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    assert assignments._sentence_starts(text, lo, hi) == _plain_starts(text, lo, hi)
    for pos in range(lo, hi):
        plain = _plain_starts(text, lo, pos + 1)
        assert assignments._sentence_start(text, lo, pos) == (plain[-1] if plain else lo)


# --- regexes tried where their first word is -------------------------------------------------
# (pattern, hint, case-insensitive: the hint runs on the lowered text)
HINTED = [
    (assignments._GIAO, assignments._GIAO_HINT, False),
    (assignments._DE_NGHI, assignments._DE_NGHI_HINT, False),
    (assignments._YEU_CAU, assignments._YEU_CAU_HINT, False),
    (deadlines._TO_RE, deadlines._START_TO, True),
    (deadlines._REPORT_PHRASE, deadlines._START_REPORT, True),
    (deadlines._LABEL_RE, deadlines._START_LABEL, True),
    (deadlines._BEFORE_RE, deadlines._START_BEFORE, True),
    (deadlines._DAY_OF_PERIOD_RE, deadlines._START_BEFORE, True),
    (deadlines._PERIOD_RE, deadlines._START_PERIOD, True),
    (deadlines._RELATIVE_RE, deadlines._START_RELATIVE, True),
    (deadlines._RECUR_RE, deadlines._START_RECUR, True),
]

HINTED_TEXTS = [
    "Giao Sở Nội vụ chủ trì; giao cho UBND các xã. Xét đề nghị của Sở, đề nghị Ban Dân vận",
    "Yêu cầu các cơ quan; theo yêu cầu của UBND tỉnh, YÊU CẦU Sở Tư pháp; UBND tỉnh yêu cầu Sở Nội vụ",
    "báo cáo kết quả về UBND huyện (qua Phòng Nội vụ); GỬI BÁO CÁO cho Sở, nộp về Văn phòng",
    "Thời gian hoàn thành: tháng 6/2025. Trước ngày 15/12/2025 gửi báo cáo",
    "chậm nhất là ngày 20 hằng tháng; hoàn thành trong quý III/2025",
    "trong thời hạn 15 ngày kể từ ngày ký; định kỳ hằng năm báo cáo; 6 tháng một lần",
    "TRƯỚC NGÀY 05 CỦA THÁNG ĐẦU QUÝ SAU, Báo Cáo UBND tỉnh",
    "báo cáo trước ngày 1/6 İ ſau đó",  # İ and ſ: the regex module's (?i) reads i and s
]


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def _hinted_spans(rx, hint, ci, text, s, e):
    hint_text = assignments.lowered(text) if ci else text
    return _spans(assignments.finditer_hinted(rx, hint, hint_text, text, s, e))


def test_hinted_regexes_table():
    for text in HINTED_TEXTS:
        for rx, hint, ci in HINTED:
            assert _hinted_spans(rx, hint, ci, text, 0, len(text)) == _spans(rx.finditer(text)), \
                (rx.pattern[:40], text)


WORDS = ["Giao", "giao", "GIAO", "cho", "Đề nghị", "đề nghị", "ĐỀ NGHỊ", "Yêu cầu", "yêu cầu", "theo",
         "gửi", "GỬI", "nộp", "báo cáo", "Báo cáo", "trình", "về", "cho", "UBND", "Sở Nội vụ", "trước",
         "Trước", "chậm nhất", "là", "ngày", "Ngày", "15", "/", "6", "2025", "tháng", "quý", "III",
         "năm", "hằng", "định kỳ", "trong", "thời hạn", "kể từ", "khi", "sau", "hoàn thành", "xong",
         "Thời gian hoàn thành", ":", ",", ";", ".", "(", "qua", ")", "İ", "ſ", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.sampled_from(["", " "]), st.data())
def test_hinted_regexes_as_finditer(words, sep, data):
    text = (sep or " ").join(words) if sep else "".join(w + data.draw(st.sampled_from([" ", "", "  "]))
                                                        for w in words)
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    for rx, hint, ci in HINTED:
        assert _hinted_spans(rx, hint, ci, text, s, e) == _spans(rx.finditer(text, s, e)), rx.pattern[:40]


LOWERED = [
    ("Sở NỘI VỤ", "sở nội vụ"),
    ("İstanbul", "istanbul"),        # one character, not two: offsets stay
    ("ſau", "sau"),
    ("ẞ", "ß"),
]


def test_lowered_keeps_offsets():
    for text, expected in LOWERED:
        assert assignments.lowered(text) == expected
        assert len(assignments.lowered(text)) == len(text)


# --- runs of agency names, kept per document --------------------------------------------------
RUNS = [
    # (text, from, expected names, stop)
    ("Giao Sở Nội vụ chủ trì, phối hợp với UBND các xã, thị trấn, Phòng Tư pháp xây dựng kế hoạch.",
     "UBND các", ["UBND các xã, thị trấn", "Phòng Tư pháp"], "verb"),
    ("Giao Sở Nội vụ chủ trì, phối hợp với UBND các xã, thị trấn, Phòng Tư pháp xây dựng kế hoạch.",
     "Sở Nội", ["Sở Nội vụ"], "verb"),
    ("báo cáo kết quả về UBND huyện (qua Phòng Nội vụ) trước ngày 15/12.", "UBND", ["UBND huyện"], "punct"),
    ("Tổ chức hội nghị sơ kết.", "Tổ", None, None),
]


def test_read_agencies_kept_per_document():
    for raw, start, names, stop in RUNS:
        text = clean_chars(raw)
        match = fold_tones(text)
        pos = match.index(fold_tones(start))
        run = agencies.read_agencies(match, text, pos, len(match))
        assert ([n for n, _, _ in run.names], run.stop) == (names, stop) if names else run is None
        # asked again: the run read before; for another text, read anew and alike
        assert agencies.read_agencies(match, text, pos, len(match)) is run
        again = agencies.read_agencies(match + "", "".join(text), pos, len(match))
        assert again == run


# --- str methods for end-anchored regexes -----------------------------------------------------
_TIDY_ENDS = regex.compile(r"^[\s\-–+•*:,;)]+|[\s:,;\-–(]+$")  # what _tidy stripped by regex


def _plain_tidy(s: str) -> str:
    return _TIDY_ENDS.sub("", " ".join(s.split()))


TIDY = [
    (" - Báo cáo kết quả: ", "Báo cáo kết quả"),
    ("(qua Sở Nội vụ)", "(qua Sở Nội vụ)"),
    ("gửi Sở (", "gửi Sở"),
    (") và; ", "và"),
    ("-(", ""),
    ("(-", ""),
]


def test_tidy_table():
    for raw, expected in TIDY:
        assert deadlines._tidy(raw) == expected
        assert _plain_tidy(raw) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=list(" \n\t\u3000\x1c-–+•*:,;()ab"), max_size=12))
def test_tidy_as_the_regex(s):
    assert deadlines._tidy(s) == _plain_tidy(s)


DONE = [
    ("Báo cáo kết quả, hoàn thành", True),
    ("Báo cáo kết quả và HOÀN THÀNH", True),
    ("Báo cáo xong", True),
    ("Báo cáo ſau khi xong", True),
    ("Hoàn thành báo cáo", False),
    ("xong rồi", False),
]


def test_done_tail_finds_every_trailing_done():
    for w, expected in DONE:
        assert deadlines._done_tail(w) == expected
        assert bool(deadlines._DONE_TRAIL.search(w)) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["báo", "cáo", "và", "hoàn", "thành", "HOÀN", "THÀNH", "Xong", "xong",
                                 "İ", ",", "x"]), max_size=6))
def test_done_tail_misses_no_match(words):
    w = " ".join(words)
    if deadlines._DONE_TRAIL.search(w):
        assert deadlines._done_tail(w)


# --- the document's place in a key, by the re module ------------------------------------------


def _plain_place_re(place: str):
    """The place rule as the regex module read it (letters and digits at a word's edge)."""
    folded = agencies._words(agencies.fold_search(agencies._nfc(place)))
    levels = agencies._tables()[5]
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])({'|'.join(map(regex.escape, levels))}) "
                         rf"{regex.escape(folded)}(?![\p{{L}}\p{{N}}])")


PLACE_KEYS = [
    # (key, place, expected)
    ("uy ban nhan dan tinh binh duong", "Bình Dương", "uy ban nhan dan tinh"),
    ("tinh binh duong", "Bình Dương", "tinh"),
    ("so noi vu tinh binh duongx", "Bình Dương", "so noi vu tinh binh duongx"),
    ("bao binh duong", "Bình Dương", "bao binh duong"),
    ("ubnd thi xa tan uyen va thi xa tan uyen", "Tân Uyên", "ubnd thi xa va thi xa"),
    ("phong noi vu huyen can loc 2", "Can Lộc", "phong noi vu huyen 2"),
]


def test_place_rule_table():
    for key, place, expected in PLACE_KEYS:
        assert agencies._place_re(place).sub(r"\1", key) == expected
        assert _plain_place_re(place).sub(r"\1", key) == expected


KEY_WORDS = ["tinh", "thanh", "pho", "thi", "xa", "huyen", "binh", "duong", "tan", "uyen", "so", "2", "ǅ", "ß"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(KEY_WORDS), max_size=8),
       st.sampled_from(["Bình Dương", "Tân Uyên", "Thị xã", "Xã", "2"]))
def test_place_rule_as_the_regex_module(words, place):
    key = " ".join(words)  # a key: words of letters and digits one space apart
    assert agencies._place_re(place).sub(r"\1", key) == _plain_place_re(place).sub(r"\1", key)
