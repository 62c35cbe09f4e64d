"""render: the terminal view of ``danvan show`` built from a document dict."""
from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from danvan_cli.render import render_document, render_text, shorten

DOC = {
    "source": "docs/kh-45-2025.txt", "format": "txt", "kind": "administrative",
    "doc_type": "KẾ HOẠCH", "number": "45/KH-UBND", "issuer": "ỦY BAN NHÂN DÂN HUYỆN ĐỨC PHỔ",
    "place": "Đức Phổ", "date": "2025-03-10", "year": 2025,
    "subject": "Thực hiện công tác dân vận chính quyền năm 2025",
    "sections": [
        {"id": "I", "label": "I.", "heading": "I. MỤC ĐÍCH, YÊU CẦU", "title": "MỤC ĐÍCH, YÊU CẦU",
         "level": 1, "parent": None, "span": [10, 60], "kind": "section"},
        {"id": "I.1", "label": "1.", "heading": "1. Nâng cao nhận thức [1] " + "rất dài " * 30,
         "title": "Nâng cao nhận thức [1] " + "rất dài " * 30, "level": 2, "parent": "I",
         "span": [30, 60], "kind": "section"},
        {"id": "PL1", "label": "PHỤ LỤC", "heading": "PHỤ LỤC DANH SÁCH MÔ HÌNH", "title":
         "DANH SÁCH MÔ HÌNH", "level": 1, "parent": None, "span": [80, 99], "kind": "appendix"},
    ],
    "recipients": ["Như trên", "Lưu: VT."],
    "signer": {"name": "Trần Thị Lan", "title": "PHÓ CHỦ TỊCH", "authority": "TM. ỦY BAN NHÂN DÂN",
               "on_behalf": "KT. CHỦ TỊCH"},
    "footnotes": [{"mark": "1", "text": "Quy định số [bold]11-QĐi/TW[/bold] ngày 18/02/2019."}],
    "warnings": ["section I.3 follows I.1: number 2 skipped"],
    "citations": [{"number": "25-NQ/TW", "span": [3, 11]}],
}


def rendered(doc: dict, spans=None) -> str:
    console = Console(record=True, width=120, force_terminal=False, color_system=None)
    for part in render_document(doc, highlight_spans=spans):
        console.print(part)
    return console.export_text()


def test_render_document_shows_every_part():
    out = rendered(DOC)
    for expected in ("KẾ HOẠCH", "45/KH-UBND", "ỦY BAN NHÂN DÂN HUYỆN ĐỨC PHỔ",
                     "Đức Phổ, 2025-03-10", "Thực hiện công tác dân vận chính quyền năm 2025",
                     "administrative", "docs/kh-45-2025.txt", "MỤC ĐÍCH, YÊU CẦU", "I.1",
                     "PHỤ LỤC DANH SÁCH MÔ HÌNH", "Nơi nhận:", "- Như trên", "TM. ỦY BAN NHÂN DÂN",
                     "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Lan", "number 2 skipped",
                     "1 citations", "3 sections"):
        assert expected in out, expected


def test_document_text_is_not_markup():
    out = rendered(DOC)
    # "[1]" and "[bold]" from the document are printed as they are, not read as styles.
    assert "Nâng cao nhận thức [1]" in out
    assert "[bold]11-QĐi/TW[/bold]" in out


def test_long_titles_are_shortened():
    out = rendered(DOC)
    line = next(l for l in out.splitlines() if "Nâng cao nhận thức" in l)
    assert "…" in line and len(line) < 120


def test_outline_tree_nests_children():
    out = rendered(DOC).splitlines()
    i = next(n for n, l in enumerate(out) if "MỤC ĐÍCH, YÊU CẦU" in l)
    j = next(n for n, l in enumerate(out) if "Nâng cao nhận thức" in l)
    assert j == i + 1
    assert out[j].index("I.1") > out[i].index("I. MỤC ĐÍCH")
    # The id is shown where the label does not already say it: "I.1" beside "1.", not "I".
    assert "I  I." not in out[i]


@pytest.mark.parametrize("doc,expected,absent", [
    ({"kind": "news", "doc_type": "TIN BÀI", "author": "HÀ VY", "signer": {"name": "HÀ VY"}},
     ["TIN BÀI", "HÀ VY", "(no sections found)"], ["Nơi nhận:"]),
    ({"kind": "administrative", "number": None, "date": None},
     ["(blank)", "(no sections found)", "(none found)", "(no signer found)"], ["Warnings"]),
    ({}, ["(no sections found)"], []),
])
def test_sparse_documents(doc, expected, absent):
    out = rendered(doc)
    for e in expected:
        assert e in out, e
    for a in absent:
        assert a not in out, a


def test_highlight_spans_are_counted():
    assert "2 spans marked" in rendered(DOC, spans=[(0, 3, "bold"), (5, 9, "reverse")])


@pytest.mark.parametrize("spans,styled", [
    ([(0, 5, "bold")], {(0, 5, "bold")}),
    ([(7, 99, "reverse")], {(7, 12, "reverse")}),           # clipped at the end of the text
    ([(-4, 2, "bold")], {(0, 2, "bold")}),                  # clipped at the start
    ([(3, 3, "bold"), (4, 2, "bold")], set()),              # empty and reversed spans skipped
    ([("x",), None, (1, 2)], set()),                        # malformed spans skipped
    ([[1, 2, "underline"]], {(1, 2, "underline")}),         # lists from JSON work too
])
def test_render_text(spans, styled):
    t = render_text("Dân vận khéo", spans)
    assert isinstance(t, Text)
    assert t.plain == "Dân vận khéo"
    assert {(s.start, s.end, str(s.style)) for s in t.spans} == styled


def test_render_text_none():
    assert render_text("", None).plain == ""


@pytest.mark.parametrize("text,width,expected", [
    ("ngắn", 10, "ngắn"),
    ("  nhiều   khoảng  trắng ", 30, "nhiều khoảng trắng"),
    ("một hai ba bốn năm sáu bảy", 12, "một hai ba…"),
    (None, 5, ""),
])
def test_shorten(text, width, expected):
    assert shorten(text, width) == expected
