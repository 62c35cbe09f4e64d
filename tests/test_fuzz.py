"""Property tests: the parser never raises on arbitrary text and keeps its invariants; the
readers raise nothing but ReadError on arbitrary bytes; search takes any query.

Text is drawn from realistic fragments of administrative documents (numbers, dates, headings,
signer lines, footnote marks, with impossible values mixed in) interleaved with random
Unicode, and from the test documents with lines dropped, repeated and shuffled. Examples are
bounded so the whole file runs in seconds.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan_cli.parse import parse_text

PRECISIONS = {"day", "month", "quarter", "year"}
RECURRING = {None, "yearly", "half-yearly", "quarterly", "monthly", "weekly", "periodic"}
ROLES = {"chủ trì", "phối hợp", "thực hiện", "đề nghị", "báo cáo"}
KINDS = {"administrative", "news", "unknown"}

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# --- strategies ---------------------------------------------------------------------------------
num = st.integers(min_value=0, max_value=99999).map(str)
day = st.integers(min_value=0, max_value=40).map(str)
month = st.integers(min_value=0, max_value=15).map(str)
year = st.sampled_from(["2024", "2025", "1999", "2100", "0000", "24", "20255"])
roman = st.sampled_from(["I", "II", "III", "IV", "V", "IX", "X", "XI", "XX", "L", "MMXXV", "IIII"])
code = st.sampled_from(["KH-UBND", "UBND-VP", "NQ/TW", "QĐ-UBND", "NĐ-CP", "CT-TTg", "KH/BDVTW",
                        "VPCP-V.I", "CTPH-UBND-BDV", "BC-SNV", "HD/VPTW", "X"])

FIXED = [
    "ỦY BAN NHÂN DÂN", "TỈNH BÌNH DƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc", "---------------", "KẾ HOẠCH", "QUYẾT ĐỊNH", "CÔNG VĂN",
    "BÁO CÁO", "THÔNG BÁO", "Kính gửi:", "Kính gửi: - Sở Nội vụ;", "V/v báo cáo kết quả",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương Đảng khóa XI;",
    "I.", "1.", "a)", "-", "+", "*", "Điều 1.", "Điều", "Chương I", "Mục 2", "PHỤ LỤC", "Phụ lục I",
    "II. TỔ CHỨC THỰC HIỆN", "1. Giao Sở Nội vụ chủ trì, phối hợp với các sở, ngành",
    "Đề nghị Ủy ban MTTQ Việt Nam tỉnh phối hợp", "Nơi nhận:", "- Như trên;", "- Lưu: VT.",
    "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. GIÁM ĐỐC", "TUQ. CHỦ TỊCH", "Q. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH", "CHỦ TỊCH", "Nguyễn Văn A", "(Đã ký)", "[1]", "¹", "⁽¹⁾", "1 Nghị định",
    "hằng quý", "định kỳ hàng năm", "6 tháng đầu năm", "hằng tháng", "trước ngày 31/2",
    "trong thời hạn 15 ngày kể từ ngày", "Thời gian thực hiện: từ tháng 3 đến tháng 12",
    "hoà", "uỷ", "thuý", "Ð", "số số", "s1122/KH-UBND", "46 - CT/TW", "31 /KH-UBND", "./.",
    "\t", "\u00a0", "\u200b", "\ufeff", "\r", "\x0c", "",
]

fragment = st.one_of(
    st.sampled_from(FIXED),
    st.builds(lambda n, c: f"Số: {n}/{c}", num, code),
    st.builds(lambda n, c: f"Số: {n}-{c}", num, code),
    st.builds(lambda n, y, c: f"{n}/{y}/{c}", num, year, code),
    st.builds(lambda d, m, y: f"ngày {d} tháng {m} năm {y}", day, month, year),
    st.builds(lambda p, d, m, y: f"{p}, ngày {d} tháng {m} năm {y}", st.sampled_from(["Bình Dương", "Hà Nội", ""]), day, month, year),
    st.builds(lambda d, m: f"trước ngày {d}/{m}", day, month),
    st.builds(lambda d, m, y: f"chậm nhất ngày {d}/{m}/{y}", day, month, year),
    st.builds(lambda d, m, y: f"trước ngày {d} tháng {m} năm {y}", day, month, year),
    st.builds(lambda m, y: f"Thời gian hoàn thành: tháng {m}/{y}", month, year),
    st.builds(lambda r, y: f"quý {r}/{y}", roman, year),
    st.builds(lambda r, t: f"{r}. {t}", roman, st.sampled_from(["MỤC ĐÍCH, YÊU CẦU", "Nội dung", ""])),
    st.builds(lambda n, t: f"{n}. {t}", num, st.sampled_from(["Phòng Nội vụ", "Tuyên truyền", ""])),
    st.builds(lambda n, m: f"{n}.{m}. Nhiệm vụ", num, num),
    st.builds(lambda n: f"Điều {n}. Quyết định này có hiệu lực", num),
    st.builds(lambda t, n, c, d, m, y: f"{t} số {n}/{c} ngày {d}/{m}/{y} của UBND tỉnh về công tác dân vận",
              st.sampled_from(["Kế hoạch", "Nghị quyết", "Chỉ thị", "Kết luận", "Công văn"]), num, code, day, month, year),
    st.builds(lambda n: f"[{n}]", num),
)

noise = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
line = st.one_of(fragment, fragment, noise,
                 st.builds(lambda a, b: f"{a} {b}", fragment, fragment),
                 st.builds(lambda a, b: f"{a}{b}", noise, fragment))
documents = st.lists(line, max_size=40).map("\n".join)


@st.composite
def mangled_documents(draw):
    """The test plan and letter with lines dropped, repeated, shuffled, NFD or upper-cased."""
    from conftest import LETTER, PLAN
    lines = draw(st.sampled_from([PLAN, LETTER, PLAN + LETTER])).splitlines()
    ops = draw(st.lists(st.tuples(st.sampled_from(["drop", "dup", "swap", "nfd", "upper", "cut"]),
                                  st.integers(0, 10**6)), max_size=12))
    for op, k in ops:
        if not lines:
            break
        i = k % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = (k // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "nfd":
            lines[i] = unicodedata.normalize("NFD", lines[i])
        elif op == "upper":
            lines[i] = lines[i].upper()
        else:
            lines[i] = lines[i][: k % (len(lines[i]) + 1)]
    return "\n".join(lines)


# --- invariants ---------------------------------------------------------------------------------
def valid_iso(s) -> bool:
    try:
        return dt.date.fromisoformat(s).isoformat() == s
    except (TypeError, ValueError):
        return False


def check_invariants(text: str) -> None:
    doc = parse_text(text)
    d = doc.to_dict(with_text=True)
    json.dumps(d, ensure_ascii=False)  # serialisable as `danvan parse` prints it
    n = len(doc.text)

    def span_ok(span, what):
        assert span is not None and len(span) == 2, (what, span)
        s, e = span
        assert isinstance(s, int) and isinstance(e, int), (what, span)
        assert 0 <= s <= e <= n, (what, span, n)

    for key in ("legal_basis", "citations", "sections", "assignments", "deadlines", "footnotes"):
        for item in d[key]:
            span_ok(item["span"], key)
    for f in d["footnotes"]:
        if f.get("ref_span") is not None:
            span_ok(f["ref_span"], "footnote ref_span")
    assert d["date"] is None or valid_iso(d["date"]), d["date"]
    if d["date"] is not None:
        assert d["year"] == int(d["date"][:4]), (d["date"], d["year"])
    for key in ("legal_basis", "citations"):
        for c in d[key]:
            assert c["date"] is None or valid_iso(c["date"]), c
            assert c["number"], c
    for x in d["deadlines"]:
        assert x["date"] is None or valid_iso(x["date"]), x
        # no date (relative, undated recurring, impossible), no precision; else one of four
        assert x["precision"] in PRECISIONS or (x["date"] is None and x["precision"] is None), x
        assert x["recurring"] in RECURRING, x
    for a in d["assignments"]:
        assert a["role"] in ROLES, a
        assert a["agency"], a
    assert d["kind"] in KINDS
    # sections: ids unique, each parent an earlier section whose span holds the child's
    seen: dict[str, tuple[int, int]] = {}
    for s in d["sections"]:
        assert s["id"] not in seen, ("duplicate section id", s["id"])
        if s["parent"] is not None:
            assert s["parent"] in seen, ("parent missing or later", s)
            ps, pe = seen[s["parent"]]
            assert ps <= s["span"][0] and s["span"][1] <= pe, ("child outside its parent", s, seen[s["parent"]])
        seen[s["id"]] = tuple(s["span"])
    for key in ("citations", "assignments", "deadlines"):
        for item in d[key]:
            assert item["section"] is None or item["section"] in seen, (key, item["section"])


@FUZZ
@given(documents)
def test_parser_never_raises_on_fragments(text):
    check_invariants(text)


@FUZZ
@given(mangled_documents())
def test_parser_never_raises_on_mangled_documents(text):
    check_invariants(text)


@pytest.mark.parametrize("text", [
    "", "\n\n\n", "I.", "Điều 1.", "Nơi nhận:", "ngày 31 tháng 2 năm 2025", "trước ngày 31/2",
    "Số: /KH-UBND", "KT. CHỦ TỊCH", "[1]", "¹", "x" * 100_000, "I.\n" * 2000, "1.\n" * 2000,
    ("1. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp báo cáo trước ngày 15/11/2025.\n") * 500,
])
def test_parser_edge_cases(text):
    check_invariants(text)


# --- readers and search -------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.sampled_from([".txt", ".pdf", ".docx", ".doc", ".html", ".md"]),
       # (no Word 97 header here: each such file starts LibreOffice, a second apiece;
       # test_reliability has that case)
       st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html>", b"\xef\xbb\xbf", b"\xff\xfe"]),
       st.binary(max_size=3000))
def test_readers_raise_only_read_error(ext, head, body):
    from danvan_cli.readers import ReadError, read
    fd, path = tempfile.mkstemp(suffix=ext)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(head + body)
        try:
            ext_ = read(path)
        except ReadError as e:
            assert str(e).strip() and "\n" not in str(e)
            return
        assert isinstance(ext_.blocks, list)
    finally:
        os.unlink(path)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    from conftest import LETTER, PLAN

    from danvan_cli.db import connect
    from danvan_cli.index import ingest_paths
    d = tmp_path_factory.mktemp("fuzzdocs")
    (d / "plan.txt").write_text(PLAN, encoding="utf-8")
    (d / "letter.txt").write_text(LETTER, encoding="utf-8")
    db = connect(str(d / "i.db"))
    ingest_paths(db, [str(d)], progress=False)
    return db


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=30),
                 st.lists(st.sampled_from(['"', "*", "AND", "OR", "NOT", "NEAR(", ")", "(", "-", ":", "^",
                                           "dan", "vận", "88/KH-UBND", "'", "\\", ".", "/", "đ", "\u0301"]),
                          max_size=8).map(" ".join)))
def test_search_takes_any_query(small_index, q):
    from danvan_cli.query import search
    rows = search(small_index, q, limit=5)
    assert isinstance(rows, list)


def test_a_failing_stage_costs_only_its_fields(monkeypatch):
    from danvan_cli import parse
    from danvan_cli.parse import citations

    def broken(doc, out):
        raise ValueError("boom")
    broken.__module__ = citations.__name__  # the warning names the stage by its module
    monkeypatch.setattr(parse, "STAGES", tuple(broken if s is citations.run else s for s in parse.STAGES))
    d = parse.parse_text("KẾ HOẠCH\nThực hiện Kế hoạch số 12/KH-UBND ngày 01/02/2025.\n"
                         "1. Báo cáo trước ngày 15/3/2025.")
    assert d.doc_type == "KẾ HOẠCH" and d.citations == []
    assert any(w.startswith("citations: not read (ValueError: boom)") for w in d.warnings)
