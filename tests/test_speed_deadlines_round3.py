"""The third round of quick paths in the deadline and citation stages answers as the plain forms
they stand for.

Each one (a paragraph without a report verb spared the clause tests, a deadline's sentence and
clause worked out once, the section index looked up once per document, bounded caches of pure
functions, the issuer's words read by a generator, the legal basis told apart by its flag) is checked against the plain form: on tables
of the cases where a quick path could go wrong (diacritics, case, đ/Đ, punctuation against the
word, dates at month ends) and on generated texts (hypothesis) for the issuer.
"""
from __future__ import annotations

import datetime as dt

import pytest
import regex
from hypothesis import given, settings, strategies as st

from danvan_cli import agencies
from danvan_cli import patterns as P
from danvan_cli.agencies import agencies_key
from danvan_cli.dates import to_iso
from danvan_cli.parse import assignments, citations, deadlines

from conftest import run_task_stages
from test_assignments import plan

# --- a paragraph without a report verb --------------------------------------------------------


def test_report_words_are_the_report_verbs():
    """_NEED_REPORT is the alternation of P.REPORT_VERB: an edit of one without the other fails."""
    inner = regex.fullmatch(r"\(\?:(.*)\)", P.REPORT_VERB).group(1)
    assert set(inner.split("|")) == set(deadlines._NEED_REPORT)


def test_report_words_read_in_the_lowered_text():
    """Every character the regex module's (?i) matches for a letter of the report words lowers
    (``lowered``) to that letter: the test on the lowered paragraph misses no match."""
    letters = set("".join(deadlines._NEED_REPORT)) - {" "}
    bmp = agencies._bmp()
    for ch in sorted(letters):
        for x in regex.findall("(?i)" + regex.escape(ch), bmp):
            assert assignments.lowered(x) == ch, (ch, x)


REPORT_TEXTS = [
    # (text, _REPORT_VERB finds one)
    ("định kỳ báo cáo UBND tỉnh", True),
    ("Định kỳ BÁO CÁO UBND tỉnh", True),
    ("hằng năm, Báo Cáo kết quả", True),
    ("(báo cáo)", True),                        # punctuation against the word
    ("sơ kết, tổng kết việc thực hiện", True),
    ("ſơ kết 6 tháng", True),                   # "ſ" is an "s" for (?i)
    ("GỬI Sở Nội vụ", True),
    ("nộp;", True),
    ("bao cao định kỳ", False),                 # no diacritics: another word
    ("báo cáo"[:-1], False),
    ("định kỳ tổ chức phát động phong trào", False),
    ("gưi, nôp, sơ kêt", False),               # other diacritics
    ("đề nghị gửi", True),
    ("Đề nghị Gửi", True),
    ("", False),
]


@pytest.mark.parametrize("text,found", REPORT_TEXTS)
def test_report_gate_misses_no_report_verb(text, found):
    assert bool(deadlines._REPORT_VERB.search(text)) == found
    if found:
        assert deadlines._has(assignments.lowered(text), deadlines._NEED_REPORT)


GATED_PLANS = [
    # recurrences and periods with and without a report verb in the paragraph
    "1. Sở Nội vụ định kỳ tổ chức phát động phong trào thi đua trong tháng 6/2025.",
    "1. Sở Nội vụ định kỳ hằng quý báo cáo UBND tỉnh.",
    "1. Sở Nội vụ định kỳ hằng quý BÁO CÁO UBND tỉnh trong quý II/2025.",
    "1. Các xã tổ chức tập huấn trong quý I/2026; định kỳ hằng năm gửi kết quả về Sở Nội vụ.",
    "1. Văn phòng UBND tỉnh hằng tháng theo dõi, đôn đốc trong tháng 6/2025.",
    "1. Giao Sở Tư pháp sơ kết 6 tháng một lần, tổng kết trong năm 2025.",
    "1. Đề nghị Ủy ban MTTQ tỉnh nộp báo cáo trong tháng 12/2025 (qua Sở Nội vụ).",
    "1. Các huyện kiểm tra mỗi quý; đánh giá trong quý IV/2025.",
]


def _deadlines_of(text: str) -> list:
    return [(d.date, d.raw, d.what, d.agency, d.to, d.recurring) for d in run_task_stages(plan(text)).deadlines]


@pytest.mark.parametrize("tasks", GATED_PLANS)
def test_report_gate_changes_no_deadline(tasks, monkeypatch):
    gated = _deadlines_of(tasks)
    monkeypatch.setattr(deadlines, "_NEED_REPORT", ("",))  # every paragraph "has" one: the plain form
    assert _deadlines_of(tasks) == gated


# --- a deadline's sentence and clause, once -----------------------------------------------------
SPAN_PLANS = [
    "1. Sở Nội vụ báo cáo UBND tỉnh trước ngày 15/6/2025. Sở Tư pháp gửi kết quả trước ngày 30/6/2025.",
    "1. Giao Sở Tài chính chủ trì; báo cáo kết quả về UBND tỉnh chậm nhất ngày 31 tháng 12 năm 2025.",
    "1. Hằng năm, các xã báo cáo trước ngày 15/12; Đ. Văn phòng gửi trước ngày 20/12!",
    "1. Thời gian hoàn thành: tháng 6/2025. Đơn vị: Sở Nội vụ? Nộp trước ngày 29/02/2028.",
]


def _staged(text: str):
    """(doc, out, body) of a plan of 12/3/2025 after the assignment and deadline stages."""
    from danvan_cli.model import Document
    from danvan_cli.parse import closing, header, layout, outline
    from danvan_cli.readers.base import Extracted
    from danvan_cli.readers.txt import text_to_blocks
    doc = layout.build(Extracted("txt", text_to_blocks(text)))
    out = Document(source="<test>", sha256="", format="txt")
    for stage in (header.run, closing.run, outline.run):
        stage(doc, out)
    out.doc_type, out.date, out.year = "KẾ HOẠCH", "2025-03-12", 2025
    assignments.run(doc, out)
    deadlines.run(doc, out)
    return doc, out, assignments.scan(doc, out.doc_type)


@pytest.mark.parametrize("tasks", SPAN_PLANS)
def test_spans_as_the_plain_lookups(tasks):
    doc, out, body = _staged(plan(tasks))
    assert out.deadlines
    t = doc.match
    for c in deadlines._find(doc, body, out):
        p = c.para
        plain = (assignments._sentence_start(t, p.body, c.start, p.end),
                 *deadlines._clause_bounds(t, p.body, p.end, c.start))
        assert deadlines._spans(t, c) == plain
        assert deadlines._spans(t, c) == plain  # (the second time from the deadline)


# --- the section index, looked up once per document ---------------------------------------------
SECTION_PLANS = [
    "1. Sở Nội vụ báo cáo UBND tỉnh trước ngày 15/6/2025.\n\n2. Sở Tư pháp gửi kết quả trước ngày 30/6/2025.",
    "1. Văn phòng UBND tỉnh\n\na) Theo dõi, báo cáo trước ngày 01/12/2025.\n\nb) Tổng kết trong tháng 12/2025.",
    "Các xã báo cáo trước ngày 20/11 hằng năm.",
]


@pytest.mark.parametrize("tasks", SECTION_PLANS)
def test_deadline_sections_as_section_of(tasks):
    doc, out, body = _staged(plan(tasks))
    assert out.deadlines and out.sections
    assert [d.section for d in out.deadlines] == [assignments.section_of(out, body, d.span[0]) for d in out.deadlines]
    out.sections = []  # no outline: no section, as section_of answers
    assert [d.section for d in deadlines.find_deadlines(doc, out, body)] == [None] * len(out.deadlines)


# --- bounded caches of pure functions -----------------------------------------------------------
OWNERS = [
    (["Sở Nội vụ"], "Bình Dương"),
    (["sở nội vụ"], None),
    (["SỞ NỘI VỤ", "Sở Tư pháp"], "Bình Dương"),
    (["UBND tỉnh Bình Dương", "Ủy ban nhân dân tỉnh"], "Bình Dương"),
    (["Đảng ủy xã", "đảng ủy xã"], "Hà Tĩnh"),
    (["Văn phòng HĐND và UBND huyện"], None),
    (["Sở Nội vụ", "Sở Nội vụ"], None),
]


@pytest.mark.parametrize("names,place", OWNERS)
def test_owners_key_as_agencies_key(names, place):
    assert deadlines._owners_key(tuple(names), place) == agencies_key(names, place)
    assert deadlines._owners_key(tuple(names), place) == agencies_key(names, place)  # (cached)


def _plain_to_iso(day, month, year):
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


DATES = [
    (31, 12, 2025), (1, 1, 2026), (29, 2, 2024), (29, 2, 2025), (30, 2, 2024), (31, 4, 2025),
    (30, 4, 2025), (31, 1, 2025), ("31", "12", "2025"), ("03", "6", "2013"), ("3", 6, 2013),
    (0, 1, 2025), (1, 13, 2025), (1, 0, 2025), (None, 1, 2025), (1, None, 2025), (1, 1, None),
    ("", "1", "2025"), ("x", "1", "2025"), (True, 1, 2025), (1.0, 1, 2025),
]


@pytest.mark.parametrize("day,month,year", DATES)
def test_days_read_near_month_ends(day, month, year):
    """The dates _iso_date is handed: to_iso's, month ends and leap days included."""
    assert to_iso(day, month, year) == _plain_to_iso(day, month, year)
    iso = to_iso(day, month, year)
    if iso:
        assert deadlines._iso_date(iso) == dt.date.fromisoformat(iso)
        assert deadlines._iso_date(iso) == dt.date.fromisoformat(iso)  # (cached)


ISO = ["2025-03-12", "2024-02-29", "2025-12-31", "2026-01-01"]
BAD_ISO = ["2025-02-29", "2025-13-01", "12/3/2025", ""]


def test_iso_date_as_fromisoformat():
    for s in ISO:
        assert deadlines._iso_date(s) == dt.date.fromisoformat(s)
    for s in BAD_ISO:
        for _ in range(2):  # a bad date raises every time
            with pytest.raises(ValueError):
                deadlines._iso_date(s)


def test_year_of_a_day_near_the_year_end_from_the_cache():
    """A day with no year printed, more than two months before the date of issue, falls in the
    next year; from the cached dates as from fresh ones."""
    got = [d.date for d in run_task_stages(plan("1. Các xã báo cáo trước ngày 10/01 và trước ngày 31/12."),
                                           date="2025-12-20", year=2025).deadlines]
    assert got == ["2026-01-10", "2025-12-31"]
    bad = run_task_stages(plan("1. Các xã báo cáo trước ngày 10/01."), date="2025-02-30", year=2025)
    assert [d.date for d in bad.deadlines] == ["2025-01-10"]  # a bad date of issue: the year as read


NUMBERS = [("25-NQ/TW", "party"), ("1954/KH-UBND", "state"), ("59/2023/NĐ-CP", "state"),
           ("6888/VPCP-V.I", "state"), ("12/UBND-VP", "state"), ("110-KH/BDVTU-BCSĐUBND", "party"),
           ("25-nq/tw", "party"), ("15/BC-UBND", "state"), ("15/BC-UBND", "party"), ("7/QĐ", "state")]


@pytest.mark.parametrize("number,form", NUMBERS)
def test_type_code_cached_as_plain(number, form):
    assert citations._type_code(number, form) == citations._type_code.__wrapped__(number, form)


# --- the issuer's words, read by a generator ----------------------------------------------------


def _plain_read_issuer(text: str, match: str, pos: int, limit: int):
    """citations._read_issuer as it was before its words were read by a generator."""
    C = citations
    limit = min(limit, pos + C.ISSUER_CHARS)
    words: list[tuple[int, int]] = []
    found = C._WORD.finditer(match, pos, limit)
    more = True

    def have(k: int) -> bool:
        nonlocal more
        while more and len(words) <= k:
            w = next(found, None)
            if w is None:
                more = False
                break
            ws = w.start()
            if words and "\n" in match[words[-1][1]:ws] and not match[ws].islower():
                more = False
                break
            words.append((ws, w.end()))
            if len(words) > C.ISSUER_WORDS:
                more = False
        return k < len(words)

    out: list[tuple[int, int]] = []
    i = 0
    while i < len(words) or have(i):
        s, e = words[i]
        raw = match[s:e]
        first = raw[0]
        if first in "“\"”[(" and not raw.startswith("(khóa"):
            break
        if not first.isalnum() and raw not in ("–", "-", "(khóa"):
            break
        va = False
        if first.islower() or first in "vV":
            folded = raw.lower().strip(",;.:")
            if first.islower() and (folded in C._ISSUER_STOP or folded in C._ISSUER_STOP_FIRST and (
                    have(i + 1) and folded + " " + match[words[i + 1][0]:words[i + 1][1]].lower().strip(",;.:")
                    in C._ISSUER_STOP)):
                break
            va = folded == "và"
        if va or raw in ("–", "-"):
            nxt = match[words[i + 1][0]:words[i + 1][1]] if have(i + 1) else ""
            if not C._ISSUER_KEEP_AFTER_VA.match(nxt) or (have(i + 1) and C._TYPE_AHEAD.match(match, words[i + 1][0], limit)):
                break
        if out and first in C._CAP_TYPE_INITIALS and raw.startswith(C._CAP_TYPE_HEADS) \
                and C._CAP_TYPE_AHEAD.match(match, s, limit):
            break
        mark = C._WORD_END_MARK.search(raw) if raw[-1] in C._WORD_END_LAST else None
        if mark and not C._INITIAL.fullmatch(raw):
            cut = e - len(mark.group(0))
            if cut > s:
                out.append((s, cut))
            break
        out.append((s, e))
        i += 1
    while out and citations.fold_search(match[out[-1][0]:out[-1][1]]) in ("va", "cua", "–", "-", "(khoa"):
        out.pop()
    if not out:
        return None, pos
    issuer = " ".join(text[out[0][0]:out[-1][1]].split())
    if issuer.count("(") > issuer.count(")"):
        issuer = issuer.rsplit("(", 1)[0].strip()
    return (issuer or None), out[-1][1]


ISSUERS = [
    "Ban Chấp hành Trung ương Đảng khóa XI về tăng cường công tác dân vận",
    "Ban Thường vụ Tỉnh ủy ban hành ngày 12/3/2025",           # a two-word stop
    "Ban Chỉ đạo tỉnh về việc",                                  # "Chỉ đạo" capitalised: a body
    "UBND tỉnh và Sở Nội vụ về công tác",                        # "và" before a capital
    "UBND tỉnh và các sở",                                       # "và" before lower case
    "UBND tỉnh và Nghị quyết số 5",                              # "và" before a type word
    "Bộ Nội vụ – Bộ Tài chính về",                               # a dash between bodies
    "Bộ Nội vụ -",                                               # a dash last
    "Tỉnh ủy¹ về",                                               # a footnote mark glued
    "Tỉnh ủy, về",
    "Ban Bí thư (khóa XII) về",
    "Ban Bí thư (khóa XII",
    "Tỉnh ủy\nBÁO CÁO",                                          # a line break before a capital
    "Tỉnh ủy\nvề việc",                                          # and before lower case
    "UBND tỉnh Đắk Lắk, Sở Y tế, Sở Giáo dục và Đào tạo, Sở Nội vụ, Sở Tư pháp, Sở Tài chính, "
    "Sở Xây dựng, Sở Công thương về",                            # more than ISSUER_WORDS words
    "Ban Chấp Hành Trung Ương Đảng Cộng Sản Việt Nam Khóa Mười Hai Nhiệm Kỳ Hai Nghìn Mười Sáu Đến Hai "
    "Nghìn Hai Mươi Mốt",                                        # and no mark to stop them
    "“Dân vận khéo”",
    "Đ. Văn A về",
    "và",
    "",
    "   ",
    "Sở NV; về",
]


@pytest.mark.parametrize("text", ISSUERS)
def test_read_issuer_as_the_plain_form(text):
    match = citations.fold_tones(text)
    for pos in range(0, min(len(text), 6)):
        for limit in (len(text), max(pos, len(text) - 3)):
            assert citations._read_issuer(text, match, pos, limit) == _plain_read_issuer(text, match, pos, limit)


ISSUER_PIECES = ["Ban", "Chấp hành", "Trung ương", "Tỉnh ủy", "UBND", "tỉnh", "Sở", "Nội vụ", "và", "Và", "–", "-",
                 "ban hành", "về", "chỉ đạo", "Chỉ đạo", "(khóa", "XI)", "¹", ",", ";", ".", "“", "Nghị quyết",
                 "Đảng", "đang", "Đ.", "số", "\n", " ", "  "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ISSUER_PIECES), max_size=24), st.sampled_from([" ", "", "\n"]), st.data())
def test_read_issuer_as_the_plain_form_generated(pieces, sep, data):
    text = sep.join(pieces)
    match = citations.fold_tones(text)
    pos = data.draw(st.integers(0, len(text)))
    limit = data.draw(st.integers(pos, len(text)))
    assert citations._read_issuer(text, match, pos, limit) == _plain_read_issuer(text, match, pos, limit)


# --- the legal basis, told apart by its flag ----------------------------------------------------
BASIS_PLANS = [
    # the same citation twice in the basis, once in the body
    "Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương; Căn cứ Nghị quyết số "
    "25-NQ/TW ngày 03/6/2013; Căn cứ Quyết định số 23-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương;",
    "Thực hiện Kế hoạch số 12-KH/TU ngày 10/01/2025 của Ban Thường vụ Tỉnh ủy, Kế hoạch số 12-KH/TU;",
]


@pytest.mark.parametrize("basis", BASIS_PLANS)
def test_basis_once_each_and_flagged(basis):
    from danvan_cli.parse import parse_text
    text = plan("1. Sở Nội vụ báo cáo trước ngày 15/6/2025 theo Nghị quyết số 25-NQ/TW.").replace(
        "Thực hiện Kế hoạch số 12-KH/TU ngày 10/01/2025 của Ban Thường vụ Tỉnh ủy, UBND tỉnh ban hành Kế hoạch như sau:",
        basis + "\nUBND tỉnh ban hành Kế hoạch như sau:")
    out = parse_text(text)
    keys = [c.key for c in out.legal_basis]
    assert keys and len(keys) == len(set(keys))
    assert [c for c in out.citations if c.basis] == out.legal_basis
