"""The second round of quick paths in the assignment and deadline stages answers as the plain forms
they stand for.

Each one (paragraph labels read without the regex module, word lists as tries, the section index
in one pass, sentence starts read per paragraph, prefix regexes tried only where their words are,
paragraphs tested for words once per document, plain-word gates before the forms of an
assignment) is checked against the plain form: on tables of the cases that matter and on
generated texts (hypothesis) built from the characters and words the patterns turn on.
"""
from __future__ import annotations

import regex
from hypothesis import given, settings, strategies as st

from danvan_cli import agencies
from danvan_cli import patterns as P
from danvan_cli.model import Section
from danvan_cli.parse import assignments, deadlines
from danvan_cli.parse.outline import section_at

from conftest import run_task_stages
from test_assignments import plan

# --- paragraph labels -------------------------------------------------------------------------


def _plain_label(text: str, start: int, end: int):
    m = assignments._LABEL.match(text, start, end)
    return (m.lastgroup, m.group(m.lastindex), m.end()) if m else None


LABELS = [
    # (line, expected (kind, label, end))
    ("1. Xây dựng", ("arabic", "1", 3)),
    ("12) Tổ chức", ("arabic", "12", 4)),
    ("123. Số", None),                       # three digits: no label
    ("1.2. Rà soát", ("arabic", "1.2", 5)),  # (the regex reads it)
    ("1.2 Rà soát", ("arabic", "1.2", 4)),
    ("1.  Hai dấu cách", ("arabic", "1", 4)),
    ("1.\tTab", ("arabic", "1", 3)),
    ("1.5% dân số", None),
    ("II. NỘI DUNG", ("roman", "II", 4)),
    ("XC: x", ("roman", "XC", 4)),
    ("IIIIIII. x", None),                    # seven letters
    ("C. Chương", ("roman", "C", 3)),
    ("Chương III", ("chapter", "Chương III", 10)),
    ("a) Nội dung", ("letter", "a", 3)),
    ("đ. Nội dung", ("letter", "đ", 3)),
    ("c) Nội dung", ("letter", "c", 3)),
    ("- Sở Nội vụ", ("bullet", "-", 2)),
    ("• x", ("bullet", "•", 2)),
    ("-x", None),
    ("Điều 3. Hiệu lực", ("article", "Điều 3", 8)),
    ("  2. Lùi vào", ("arabic", "2", 5)),
    ("Giao Sở Nội vụ", None),
]


def test_labels_table():
    for line, expected in LABELS:
        assert assignments._label(line, 0, len(line)) == expected, line
        assert _plain_label(line, 0, len(line)) == expected, line
        text = "x\n" + line  # after a line break, as lines start
        shifted = expected and (expected[0], expected[1], expected[2] + 2)
        assert assignments._label(text, 2, len(text)) == shifted, line
    # not at a line's start: _LABEL's ^ does not hold
    assert assignments._label("x1. Y", 1, 5) is None


LABEL_PIECES = ["1", "2", "12", "٣", ".", ")", ":", " ", "  ", "\t", "\u3000", "I", "V", "X", "L", "C", "c",
                "a", "đ", "b", "-", "–", "+", "•", "*", "/", "%", "Chương", "chương", "Điều", "ĐIỀU", "x", "\n"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(LABEL_PIECES), max_size=8), st.sampled_from(["", "x", "\n", "ab\n", " "]),
       st.data())
def test_labels_as_the_regex(pieces, before, data):
    text = before + "".join(pieces)
    start = len(before)
    end = data.draw(st.integers(start, len(text)))
    assert assignments._label(text, start, end) == _plain_label(text, start, end)


# --- word lists as tries ----------------------------------------------------------------------


def _flat_readers():
    """head_re, stop_re and split_re built from alternations sorted longest first."""
    proper, head = agencies._head_pattern()
    verbs = "|".join(rf"(?<!,\s){regex.escape(v)}" if v == "tổ chức" else regex.escape(v)
                     for v in sorted(P.TASK_VERBS, key=len, reverse=True))
    stops = "|".join(regex.escape(w) for w in sorted(P.AGENCY_STOPWORDS, key=len, reverse=True))
    stop_re = regex.compile(rf"(?P<punct>[:(]|\.(?=\s|$)|\.\s*/)"
                            rf"|(?<!\p{{L}})(?<!(?i:các|những|mọi)\s)(?P<verb>{verbs})(?!\p{{L}})"
                            rf"|(?<!\p{{L}})(?P<stop>{stops})(?!\p{{L}})|(?P<digit>(?<!\p{{L}})\d)")
    split_re = regex.compile(rf"\s*;\s*|\s*,\s*(?={proper})|\s+và\s+(?={proper})")
    return regex.compile(head), stop_re, split_re


_FLAT = _flat_readers()
_LX = agencies.lexicon()
READER_PIECES = sorted({*map(agencies._nfc, _LX["heads"]), *map(agencies._nfc, _LX["abbreviations"]),
                        *P.TASK_VERBS, *P.AGENCY_STOPWORDS,
                        " ", ",", ", ", " và ", ";", ":", ".", "(", "1", "x", "X", "hành", "hợp", "viên chức",
                        "các ", "mỗi ", "CÁC ", "những ", "cơ quan", "đơn vị", ", tổ chức", "ở", "-"})


def _reads(m):
    return m and (m.span(), m.lastgroup)


def test_tries_table():
    head_re, _, stop_re, split_re = agencies._readers()
    for text in ["Ban hành", "Ban Thường vụ Tỉnh ủy", "Ban Thường trực, ", "Trường hợp", "UBNDX", "UB ND",
                 "các cơ quan", "Phòng chống", "Công chức, và"]:
        assert _reads(head_re.match(text)) == _reads(_FLAT[0].match(text)), text
    for text in ["chủ trì, phối hợp", "các tổ chức", "cấp ủy, tổ chức đảng", "tổ chức thực hiện", "căn cứ vào",
                 "theo chức năng", "hàng năm", "hàng"]:
        for pos in range(len(text)):
            assert _reads(stop_re.match(text, pos)) == _reads(_FLAT[1].match(text, pos)), (text, pos)
    for text in [", Sở Nội vụ", " và Phòng Y tế", "; tổng kết", ", các xã"]:
        assert _reads(split_re.match(text)) == _reads(_FLAT[2].match(text)), text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(READER_PIECES), min_size=1, max_size=5), st.data())
def test_tries_as_the_flat_alternations(pieces, data):
    text = "".join(pieces)
    head_re, _, stop_re, split_re = agencies._readers()
    for new, flat in zip((head_re, stop_re, split_re), _FLAT):
        pos = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(pos, len(text)))
        assert _reads(new.match(text, pos, end)) == _reads(flat.match(text, pos, end))


def test_keep_gil_reads_alike():
    head_re = agencies._readers()[0]
    text = "Giao Sở Nội vụ chủ trì, phối hợp với UBND các xã"
    for pos in range(len(text)):
        assert _reads(head_re.match(text, pos, len(text), agencies.KEEP_GIL)) == _reads(head_re.match(text, pos))
    assert [m.span() for m in deadlines._CLAUSE_START.finditer("a; B. C", 0, 7, False, agencies.KEEP_GIL)] == \
        [m.span() for m in deadlines._CLAUSE_START.finditer("a; B. C")]


NAMES = [("Sở Nội vụ", True), ("Sở", False), ("SNV", True), ("Sở\t", False), ("Sở \tX", True), ("Sở\nNội", True)]


def test_names_table():
    for name, expected in NAMES:
        assert agencies._is_name(name) == expected, name


# --- the section index ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 22), st.integers(0, 3), st.booleans()), max_size=8),
       st.booleans())
def test_section_index_as_section_at(specs, as_dicts):
    sections = []
    for i, (a, b, level, named) in enumerate(specs):
        sid = f"s{i}" if named else None
        sections.append({"id": sid, "span": (a, b), "level": level} if as_dicts else
                        Section(id=sid, label="", heading="", title="", level=level, parent=None, span=(a, b)))
    index = assignments.SectionIndex(sections)
    for offset in range(-1, 24):
        assert index.at(offset) == section_at(sections, offset), offset


def test_section_index_nested():
    sections = [Section(id="I", label="I.", heading="", title="", level=1, parent=None, span=(0, 100)),
                Section(id="I.1", label="1.", heading="", title="", level=2, parent="I", span=(10, 40)),
                Section(id="I.1.a", label="a)", heading="", title="", level=3, parent="I.1", span=(20, 30)),
                Section(id="I.2", label="2.", heading="", title="", level=2, parent="I", span=(40, 90))]
    index = assignments.SectionIndex(sections)
    assert [index.at(x) for x in (0, 10, 25, 30, 40, 95, 100)] == ["I", "I.1", "I.1.a", "I.1", "I.2", "I", None]


# --- sentence starts read per paragraph ------------------------------------------------------


def _plain_starts(text: str, lo: int, hi: int) -> list[int]:
    return [m.start() for m in assignments._SENTENCE_START.finditer(text, lo, hi)]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list(".!?;,  \u3000\x1c\nABĐƯaăđx"), max_size=40), st.data())
def test_sentence_start_read_to_the_paragraph_end(text, data):
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    for pos in range(lo, hi):
        plain = _plain_starts(text, lo, pos + 1)
        assert assignments._sentence_start(text, lo, pos, hi) == (plain[-1] if plain else lo)
    assert assignments._sentence_starts(text, lo, hi) == _plain_starts(text, lo, hi)


# --- prefix regexes tried where their words are ----------------------------------------------
PREFIXED = [
    (assignments._OWNER_PREFIX, assignments._OWNER_WORDS),
    (deadlines._SUBJECT_PREFIX, deadlines._SUBJECT_WORDS),
    (assignments._LEAD_ROLE, ("chủ trì", "phối hợp")),
]
PREFIX_TEXTS = ["Giao cho Sở Nội vụ", "  Đề nghị Hội", "ĐỐI VỚI SỞ", "Trách nhiệm của Sở", "giao  chobar",
                "Yêu cầu các xã", "chủ trì, phối hợp chặt chẽ với Sở Y tế", "Phối hợp với", "  ", "Sở Nội vụ",
                "İ giao", "GİAO cho"]


def _spans(m):
    return m and m.span()


def _assert_as_plain(rx, words, text: str, s: int, e: int) -> None:
    m, plain = assignments.prefix_match(rx, words, text, s, e), rx.match(text, s, e)
    if m is None and plain is not None:  # only _LEAD_ROLE (all optional) matches without its words:
        assert rx is assignments._LEAD_ROLE  # then it reads spaces alone (see task_start)
        assert not text[plain.start():plain.end()].strip(agencies.REGEX_SPACES), (text, s, e)
    else:
        assert _spans(m) == _spans(plain), (rx.pattern[:30], text, s, e)


def test_prefix_match_table():
    for rx, words in PREFIXED:
        for text in PREFIX_TEXTS:
            for s in range(len(text) + 1):
                _assert_as_plain(rx, words, text, s, len(text))


PREFIX_WORDS = ["giao", "Giao", "GIAO", "GİAO", "cho", "CHO", "đề nghị", "Đề nghị", "yêu cầu", "đối với", "Đối với",
                "trách nhiệm của", "nhiệm vụ của", "chủ trì", "Chủ trì", "phối hợp", "chặt chẽ", "với", "Sở", ",",
                " ", "  ", "\t", "\u3000", "x"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PREFIX_WORDS), max_size=7), st.data())
def test_prefix_match_as_the_regex(words, data):
    text = "".join(words)
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    for rx, ws in PREFIXED:
        _assert_as_plain(rx, ws, text, s, e)


def test_prefix_words_read_in_the_lowered_text():
    """Every character the regex module's (?i) matches for a letter of the prefix and paragraph
    words lowers (``lowered``) to that letter: a test on the lowered text misses no match."""
    letters = set("".join(assignments._OWNER_WORDS + deadlines._SUBJECT_WORDS + deadlines._NEED_RECUR
                          + ("chủ trì", "phối hợp", "trên đây", "nếu có ")))
    bmp = agencies._bmp()
    for ch in sorted(letters - {" "}):
        for x in regex.findall("(?i)" + regex.escape(ch), bmp):
            assert assignments.lowered(x) == ch, (ch, x)


# --- one pass per word through the paragraphs ------------------------------------------------


def _paras(text: str, cuts: list[int]) -> list[assignments.Para]:
    bounds = sorted(set(cuts))
    paras = []
    for a, b in zip(bounds, bounds[1:]):
        p = assignments.Para(a, b, min(a + 1, b), "plain")
        p.index = len(paras)
        paras.append(p)
    return paras


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["định kỳ", "hằng", "hàng năm", "mỗi", "lần", "kỳ", "Kỳ", "x", " ", "\n"]),
                max_size=12), st.lists(st.integers(0, 60), max_size=6))
def test_paragraphs_holding_words(words, cuts):
    text = "".join(words)
    paras = _paras(text, [c for c in cuts if c <= len(text)] + [0, len(text)])
    low = assignments.lowered(text)
    expected = {p.index for p in paras if deadlines._has(low[p.body:p.end], deadlines._NEED_RECUR)}
    assert assignments.paras_holding(low, paras, deadlines._NEED_RECUR) == expected


# --- what the deadline phrases need ----------------------------------------------------------
PHRASE_WORDS = ["trước", "Trước", "ngày", "15", "/", "6", "2025", "tháng", "quý", "III", "năm", "hằng", "hàng",
                "mỗi", "của", "đầu", "cuối", "sau", "tiếp theo", "kế tiếp", "trong", "chậm nhất", "là",
                "thời hạn", "kể từ", "hoàn thành", "Thời gian hoàn thành", ":", "định kỳ", "một", "lần", "sáu", " "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PHRASE_WORDS), max_size=12), st.sampled_from([" ", ""]))
def test_dated_phrases_print_a_digit(words, sep):
    text = sep.join(words)
    low = assignments.lowered(text)
    for rx in (deadlines._LABEL_RE, deadlines._BEFORE_RE, deadlines._DAY_OF_PERIOD_RE, deadlines._PERIOD_RE,
               deadlines._RELATIVE_RE):
        for m in rx.finditer(text):
            assert regex.search(r"\d", m.group(0)), (rx.pattern[:30], m.group(0))
    for m in deadlines._DAY_OF_PERIOD_RE.finditer(text):
        assert deadlines._has(low[m.start():m.end()], deadlines._NEED_DAY_OF_PERIOD), m.group(0)


# --- the gates before the forms of an assignment ---------------------------------------------


GATES = [
    # (content, tasks, expected (agency, role, partners)): a strong verb at a later sentence start
    # outside the scope, "giao" after a subject, a heading naming an agency outside the scope
    # (with and without a prefix), in capitals, a colon after an agency, partners after "giao cho"
    ("1. Thực hiện tốt nhiệm vụ. Sở Nội vụ chủ trì tổng hợp kết quả.", "1. Phòng Nội vụ theo dõi.",
     [("Sở Nội vụ", "chủ trì", []), ("Phòng Nội vụ", "thực hiện", [])]),
    ("1. Thực hiện tốt. UBND tỉnh giao Sở Y tế chủ trì phòng dịch.", "1. Phòng Nội vụ theo dõi.",
     [("Sở Y tế", "chủ trì", []), ("Phòng Nội vụ", "thực hiện", [])]),
    ("2. Văn phòng UBND tỉnh", "1. Phòng Nội vụ theo dõi.", [("Phòng Nội vụ", "thực hiện", [])]),
    ("3. Đề nghị Ủy ban MTTQ Việt Nam tỉnh\n- Tuyên truyền, vận động Nhân dân.", "1. Phòng Nội vụ theo dõi.",
     [("Ủy ban MTTQ Việt Nam tỉnh", "đề nghị", []), ("Phòng Nội vụ", "thực hiện", [])]),
    ("1. Sở Nội vụ tham mưu UBND tỉnh.", "1. VĂN PHÒNG UBND TỈNH\n- Theo dõi, đôn đốc.",
     [("VĂN PHÒNG UBND TỈNH", "thực hiện", [])]),
    ("1. Nâng cao chất lượng.", "- Sở Nội vụ: tổng hợp, báo cáo.\n- Sở Tài chính: bố trí kinh phí.",
     [("Sở Nội vụ", "thực hiện", []), ("Sở Tài chính", "thực hiện", [])]),
    ("1. Nâng cao chất lượng.", "1. Giao cho Sở Nội vụ chủ trì, phối hợp chặt chẽ với Sở Tư pháp, Sở Y tế triển khai.",
     [("Sở Nội vụ", "chủ trì", ["Sở Tư pháp", "Sở Y tế"])]),
    ("1. Nâng cao chất lượng.", "1. Sở Nội vụ chủ động phối hợp với Sở Tư pháp rà soát.\n"
     "2. Yêu cầu Sở Y tế báo cáo. Đề nghị Hội Nông dân tỉnh phối hợp.",
     [("Sở Nội vụ", "thực hiện", ["Sở Tư pháp"]), ("Sở Y tế", "thực hiện", []), ("Hội Nông dân tỉnh", "đề nghị", [])]),
]


def test_gates_before_the_forms():
    for content, tasks, expected in GATES:
        out = run_task_stages(plan(tasks, content))
        assert [(a.agency, a.role, a.partners) for a in out.assignments] == expected, (content, tasks)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=list("phối hợp vớiPHỐ ,"), max_size=30), st.data())
def test_partners_at_as_the_search(text, data):
    text = "Giao Sở phối hợp với " + text
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    assert _spans(assignments._partners_at(text, s, e)) == _spans(assignments._PARTNERS.search(text, s, e))


class _Doc:
    def __init__(self, text: str) -> None:
        self.text = self.match = text


def _plain_task_start(doc, start: int, end: int) -> int:
    """task_start as it read before the prefix test: _LEAD_ROLE tried at every start."""
    t = doc.match
    m = assignments._LEAD_ROLE.match(t, start, end)
    if not m or m.end() == start:
        return start
    pos = m.end()
    if assignments._VOI_END.search(t[start:pos]):
        run = agencies.read_agencies(t, doc.text, pos, end)
        if run is None:
            return start
        pos = run.end
    while pos < end and t[pos] in " ,;:":
        pos += 1
    return pos if pos < end else start


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PREFIX_WORDS + ["Sở Tư pháp", "UBND các xã", "triển khai", ";", ":"]), max_size=8),
       st.data())
def test_task_start_as_before(words, data):
    doc = _Doc("".join(words))
    start = data.draw(st.integers(0, len(doc.text)))
    end = data.draw(st.integers(start, len(doc.text)))
    assert assignments.task_start(doc, start, end) == _plain_task_start(doc, start, end)
