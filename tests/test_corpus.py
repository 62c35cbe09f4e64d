"""The shipped demo corpus is what corpus/README.md promises.

About the files only: which documents exist, their printed type, number and date, the binaries
next to their .txt, the implementation chain written out in the text, deadlines around the demo's
"today". Whether the parser reads them right is for the parser tests.
"""
from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
README = CORPUS / "README.md"
SHARED_DOCS = ROOT.parent / "shared" / "corpus" / "docs"
TODAY = dt.date(2026, 11, 23)   # the demo's "today", as the README states

MOTTOS = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM")
TYPES_REQUIRED = {"KẾ HOẠCH", "CÔNG VĂN", "QUYẾT ĐỊNH", "BÁO CÁO", "THÔNG BÁO", "CHỈ THỊ",
                  "HƯỚNG DẪN", "TIN BÀI"}

# (citing file, cited number, cited date as printed, cited file) — each level of the chain
# cites the level above in its opening paragraph.
CHAIN = [
    ("tinh-hatinh-ubnd-kh-215-2025.txt", "27-KH/BDVTW", "14/01/2025", "tw-bdvtw-kh-27-2025.txt"),
    ("huyen-canloc-ubnd-kh-64-2025.txt", "215/KH-UBND", "20/02/2025",
     "tinh-hatinh-ubnd-kh-215-2025.txt"),
    ("xa-vuongloc-ubnd-kh-18-2025.txt", "64/KH-UBND", "18/3/2025",
     "huyen-canloc-ubnd-kh-64-2025.txt"),
]

# Other citations that must resolve to a corpus document (number, date as printed, target).
LINKS = [
    ("xa-baichay-ubnd-kh-duthao-2026.txt", "215/KH-UBND", "09/3/2026",
     "tinh-quangninh-ubnd-kh-215-2026.txt"),
    ("tinh-hatinh-ubnd-qd-1250-2026.txt", "08-CT/TU", "12/3/2026", "tinh-hatinh-tu-ct-08-2026.txt"),
    ("tinh-hatinh-snv-bc-388-2026.txt", "215/KH-UBND", "20/02/2025",
     "tinh-hatinh-ubnd-kh-215-2025.txt"),
    ("tinh-nghean-ubnd-cv-8123-2026.txt", "15-KH/TU", "06/4/2026", "tinh-nghean-tu-kh-15-2026.txt"),
]

# Cited in the corpus, but no corpus document carries the number (so "missing" lists have rows).
NOT_IN_CORPUS = ["96-KH/TU", "41-KH/HU", "412/TTr-SNV", "1245-CV/BTGDVTW", "32-KH/TU",
                 "21-HD/BTGDVTW", "48/KH-UBND", "25-NQ/TW", "16/CT-TTg", "59/2023/NĐ-CP"]

DATE_LINE = re.compile(r",\s*ngày\s*(\d*)\s*tháng\s*(\d*)\s*năm\s*(\d{4})\s*$")
NUMBER_LINE = re.compile(r"^Số:?\s*(.*)$")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def read(name: str) -> str:
    return nfc((CORPUS / name).read_text(encoding="utf-8"))


def lines(name: str) -> list[str]:
    return [l.strip() for l in read(name).splitlines() if l.strip()]


def readme_rows() -> list[dict[str, str]]:
    rows = []
    for line in nfc(README.read_text(encoding="utf-8")).splitlines():
        m = re.match(r"^\|\s*`([^`]+\.txt)`\s*\|(.*)\|\s*$", line)
        if not m:
            continue
        cells = [c.strip() for c in m.group(2).split("|")]
        rows.append(dict(file=m.group(1), type=cells[0], issuer=cells[1], number=cells[2],
                         date=cells[3], formats=cells[4].split(), what=cells[5]))
    return rows


ROWS = readme_rows() if README.exists() else []


def header(name: str) -> dict[str, str | None]:
    """The printed number and date line of a document's header (None when absent)."""
    ls = lines(name)
    head = ls[:16]
    num = next((NUMBER_LINE.match(l).group(1) for l in head if NUMBER_LINE.match(l)), None)
    date = next((l for l in head if DATE_LINE.search(l)), None)
    return {"number": num, "date": date, "motto": next((l for l in head if l in MOTTOS), None)}


def header_date(name: str) -> dt.date | None:
    line = header(name)["date"]
    if not line:
        return None
    d, m, y = DATE_LINE.search(line).groups()
    return dt.date(int(y), int(m), int(d)) if d and m else None


# ---------------------------------------------------------------- the README's promises

def test_readme_lists_enough_documents():
    assert README.exists(), "corpus/README.md is missing"
    assert len(ROWS) >= 14
    assert "invented" in README.read_text(encoding="utf-8").lower()


def test_every_txt_is_listed_and_every_row_exists():
    listed = {r["file"] for r in ROWS}
    on_disk = {p.name for p in CORPUS.glob("*.txt")}
    assert listed == on_disk, (sorted(on_disk - listed), sorted(listed - on_disk))


def test_required_types_present():
    assert TYPES_REQUIRED <= {r["type"] for r in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["file"])
def test_printed_type_matches_readme(row):
    ls = lines(row["file"])
    if row["type"] == "TIN BÀI":
        assert header(row["file"])["motto"] is None and header(row["file"])["number"] is None
        assert re.search(r"\b\d{2}/\d{2}/\d{4}\b", "\n".join(ls[:6])), "no dateline"
        assert any(l.isupper() and len(l.split()) <= 4 for l in ls[-6:]), "no byline in capitals"
    elif row["type"] == "CÔNG VĂN":
        assert any(l.startswith("V/v ") for l in ls[:12]), "a công văn has its V/v subject"
        assert not any(l in {r["type"] for r in ROWS} for l in ls[:16]), "no type line"
        assert any(l.startswith("Kính gửi") for l in ls[:20])
    else:
        body_start = next(i for i, l in enumerate(ls) if DATE_LINE.search(l)) + 1
        assert ls[body_start] == row["type"], ls[body_start]


@pytest.mark.parametrize("row", [r for r in ROWS if r["type"] != "TIN BÀI"],
                         ids=lambda r: r["file"])
def test_printed_number_and_date_match_readme(row):
    h = header(row["file"])
    assert h["motto"], "header motto missing"
    printed = re.sub(r"\s+", "", h["number"] or "")
    if row["number"].startswith("("):           # a draft: number left blank
        assert printed.startswith("/"), printed
        assert header_date(row["file"]) is None
    else:
        assert printed == row["number"]
        assert header_date(row["file"]) == dt.date.fromisoformat(row["date"])


def test_documents_dated_2025_2026():
    years = {header_date(r["file"]).year for r in ROWS if header_date(r["file"])}
    assert years == {2025, 2026}


# ---------------------------------------------------------------- binaries

BINARIES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".docx", ".pdf"))


def test_binaries_have_their_txt_and_readme_row():
    formats = {r["file"][:-4]: set(r["formats"]) for r in ROWS}
    for p in BINARIES:
        assert (CORPUS / (p.stem + ".txt")).exists(), p.name
        assert p.suffix[1:] in formats.get(p.stem, set()), f"{p.name} not in README formats"
    for stem, fmts in formats.items():
        for f in fmts - {"txt"}:
            assert (CORPUS / f"{stem}.{f}").exists(), f"README promises {stem}.{f}"
    stems = {p.stem for p in BINARIES}
    assert len(stems) >= 5
    assert {c[0][:-4] for c in CHAIN} | {CHAIN[0][3][:-4]} <= stems, "chain members ship as binaries"


def _docx_text(path: Path) -> list[str]:
    import docx
    d = docx.Document(str(path))
    out = []
    for t in d.tables:
        for cell in t.rows[0].cells:
            out.extend(p.text for p in cell.paragraphs)
    out.extend(p.text for p in d.paragraphs)
    return [nfc(x) for x in out if x.strip()]


@pytest.mark.parametrize("path", [p for p in BINARIES if p.suffix == ".docx"], ids=lambda p: p.name)
def test_docx_layout_and_text_from_txt(path):
    import docx
    d = docx.Document(str(path))
    assert len(d.tables) >= 2, "header and closing are two-cell tables"
    left, right = (c.text for c in d.tables[0].rows[0].cells)
    h = header(path.stem + ".txt")
    assert ("Số" in left) and (h["number"].strip() in left)
    assert h["date"] in right and any(m in right for m in MOTTOS)
    sign_left, sign_right = (c.text for c in d.tables[1].rows[0].cells)
    assert sign_left.startswith("Nơi nhận")
    assert d.core_properties.created == d.core_properties.modified  # fixed, not the clock
    # Every paragraph line of the .txt appears in the .docx (the .docx is rendered from it).
    got = "\n".join(_docx_text(path))
    for l in lines(path.stem + ".txt"):
        if not l.startswith("V/v") and l != "DỰ THẢO":
            assert l in got, l


@functools.cache
def _load_script():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "scripts" / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod    # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("path", [p for p in BINARIES if p.suffix == ".docx"], ids=lambda p: p.name)
def test_docx_in_sync_with_txt(path, tmp_path):
    """The committed .docx is what the script makes from today's .txt (rerun it after edits)."""
    mod = _load_script()
    txt = tmp_path / (path.stem + ".txt")
    txt.write_bytes((CORPUS / txt.name).read_bytes())
    mod.render(txt)
    assert _docx_text(txt.with_suffix(".docx")) == _docx_text(path)


@pytest.mark.parametrize("path", [p for p in BINARIES if p.suffix == ".pdf"], ids=lambda p: p.name)
def test_pdf_has_text_layer(path):
    pdfplumber = pytest.importorskip("pdfplumber")
    assert path.read_bytes()[:5] == b"%PDF-"
    h = header(path.stem + ".txt")
    with pdfplumber.open(str(path)) as pdf:
        first = nfc(pdf.pages[0].extract_text() or "")
        whole = first + "".join(nfc(p.extract_text() or "") for p in pdf.pages[1:])
    assert re.sub(r"\s+", "", h["number"]) in re.sub(r"\s+", "", first)
    name = lines(path.stem + ".txt")
    assert "Nơi nhận" in whole
    assert any(l in whole for l in name[-3:]), "signer name on a page"


# ---------------------------------------------------------------- chain and references

@pytest.mark.parametrize("citing,number,date,target", CHAIN + LINKS, ids=lambda x: str(x))
def test_citation_written_in_text_and_resolves(citing, number, date, target):
    text = read(citing)
    opening = [l for l in lines(citing) if l.startswith(("Thực hiện", "Căn cứ"))]
    where = "\n".join(opening) if (citing, number, date, target) in CHAIN else text
    assert f"số {number} ngày {date}" in where
    h = header(target)
    assert re.sub(r"\s+", "", h["number"]) == number
    d, m, y = (int(x) for x in date.split("/"))
    assert header_date(target) == dt.date(y, m, d)


def test_chain_drawn_in_readme_in_order():
    text = nfc(README.read_text(encoding="utf-8"))
    chain_part = text[text.index("## The chain"):]
    files = [CHAIN[0][3]] + [c[0] for c in CHAIN]
    positions = [chain_part.index(f"`{f}`") for f in files]
    assert positions == sorted(positions)


def test_same_number_in_two_provinces():
    by_number: dict[str, set] = {}
    for r in ROWS:
        h = header(r["file"])
        if h["number"] and not h["number"].strip().startswith("/"):
            num = re.sub(r"\s+", "", h["number"])
            by_number.setdefault(num, set()).add((header_date(r["file"]), lines(r["file"])[1]))
    assert any(len(v) >= 2 for v in by_number.values()), "no number shared by two documents"


@pytest.mark.parametrize("number", NOT_IN_CORPUS)
def test_cited_documents_not_in_corpus(number):
    printed = {re.sub(r"\s+", "", header(r["file"])["number"] or "") for r in ROWS}
    assert number not in printed
    assert any(number in read(r["file"]) for r in ROWS)


# ---------------------------------------------------------------- deadlines around "today"

FULL_DEADLINE = re.compile(
    r"(?:trước|chậm nhất)\s+ngày\s+(?:(\d{1,2})/(\d{1,2})/(\d{4})|(\d{1,2}) tháng (\d{1,2}) năm (\d{4}))")


def test_deadlines_spread_around_today():
    dates = []
    for r in ROWS:
        for m in FULL_DEADLINE.finditer(read(r["file"])):
            d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
            dates.append(dt.date(int(y), int(mo), int(d)))
    assert any(d < TODAY for d in dates), "no overdue deadline"
    assert sum(TODAY <= d <= TODAY + dt.timedelta(days=30) for d in dates) >= 3, "few due soon"
    assert any(d.year == 2027 for d in dates), "no deadline in 2027"
    text = "\n".join(read(r["file"]) for r in ROWS)
    for form in ("Thời gian hoàn thành: tháng", "quý II/2027", "trong thời hạn 15 ngày kể từ",
                 "Báo cáo 6 tháng đầu năm: trước ngày", "định kỳ hằng quý", "định kỳ hàng năm",
                 "(qua Sở Nội vụ)"):
        assert form in text, form


# ---------------------------------------------------------------- invented text

def test_no_line_copied_from_the_real_documents():
    if not SHARED_DOCS.is_dir():
        pytest.skip(f"../shared not found: {SHARED_DOCS}")
    real = set()
    for p in SHARED_DOCS.glob("*.txt"):
        for l in nfc(p.read_text(encoding="utf-8", errors="replace")).splitlines():
            if len(l.strip()) >= 60:
                real.add(l.strip())
    for r in ROWS:
        for l in lines(r["file"]):
            assert l not in real, f"{r['file']}: line copied from a real document: {l[:60]}"
