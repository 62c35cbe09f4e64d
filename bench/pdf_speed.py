"""Speed of the PDF reader against raw pypdfium2 text extraction, on the same files in one run.

    .venv/bin/python -m bench.pdf_speed [FILE_OR_DIR ...]

Without arguments it reads the text PDFs of ../shared/corpus/docs and tests/fixtures. The
reference is the least any reader of the text layer pays: open the document, load each page and
its text page, ``get_text_range()``. Ours adds the line geometry (text-object rectangles,
baselines) and the layout (columns, footnotes, paragraphs). The bar: ours at most 1.5x the
reference. Scanned PDFs (OCR) are left out: their cost is tesseract's.
"""
from __future__ import annotations

import glob
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _raw(path: str) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    n = len(pdf)
    for i in range(n):
        page = pdf[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    pdf.close()
    return n


def _ours(path: str) -> int:
    from danvan_cli.readers.pdf import read_pdf
    return read_pdf(path).metadata.get("pages", 0)


def _once(fn, paths: list[str]) -> tuple[float, int]:
    # CPU time of this process: both sides are single-threaded and CPU-bound, and other work on
    # the machine then slows neither.
    t = time.process_time()
    pages = sum(fn(p) for p in paths)
    return time.process_time() - t, pages


def measure(paths: list[str], rounds: int = 15) -> dict:
    """Pages per second of our reader and of raw pypdfium2 on the same text PDFs, and the ratio
    of their times: the median over rounds, each round timing both back to back, so that a
    machine busy with other work slows both sides of a ratio alike."""
    paths = [p for p in paths if not p.endswith(".scan.pdf")]
    if not paths:
        return {"files": 0}
    for p in paths:             # imports, font caches: not per-document costs
        _ours(p)
        _raw(p)
    raw_s = ours_s = float("inf")
    ratios = []
    pages = 0
    for _ in range(rounds):
        t_raw, pages = _once(_raw, paths)
        t_ours, _ = _once(_ours, paths)
        raw_s, ours_s = min(raw_s, t_raw), min(ours_s, t_ours)
        if t_raw > 0:
            ratios.append(t_ours / t_raw)
    return {
        "files": len(paths),
        "pages": pages,
        "raw_seconds": round(raw_s, 4),
        "ours_seconds": round(ours_s, 4),
        "raw_pages_per_second": round(pages / raw_s, 1) if raw_s else None,
        "ours_pages_per_second": round(pages / ours_s, 1) if ours_s else None,
        "ratio": round(statistics.median(ratios), 2) if ratios else None,
        "bar": 1.5,
    }


def _default_paths() -> list[str]:
    shared = ROOT.parent / "shared" / "corpus" / "docs"
    found = sorted(glob.glob(str(shared / "*.pdf"))) + sorted(glob.glob(str(ROOT / "tests" / "fixtures" / "*.pdf")))
    return [p for p in found if "encrypted" not in os.path.basename(p)]


def main(argv: list[str]) -> int:
    paths: list[str] = []
    for a in argv or _default_paths():
        paths.extend(sorted(glob.glob(os.path.join(a, "*.pdf"))) if os.path.isdir(a) else [a])
    res = measure(paths)
    if not res.get("files"):
        print("no text PDFs to measure")
        return 1
    print(f"{res['files']} files, {res['pages']} pages")
    print(f"raw pypdfium2 get_text_range: {res['raw_pages_per_second']:8.1f} pages/s")
    print(f"danvan PDF reader:            {res['ours_pages_per_second']:8.1f} pages/s")
    print(f"ratio (ours / raw time):      {res['ratio']:8.2f}  (bar {res['bar']})")
    return 0 if res["ratio"] <= res["bar"] else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
