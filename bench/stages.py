"""Per-format, per-stage timing in one process on one core, with the PDF references.

Run as a child (``python -m bench.stages SPEC.json``) so that its peak memory is its own: it
prints one JSON object. For each file, the stages an ingest runs:

    hash   the content hash an ingest keys files by
    read   ``readers.read`` (the text layer, OCR when needed)
    parse  ``parse.parse_extracted``, ``index.document_dict`` and ``index.prepare``: the
           rows a worker sends back
    write  ``index.store_rows`` into a scratch index, in ``index.WriteBatch`` transactions
           as an ingest writes them (full-text rows at each commit, charged to the document
           that ends the transaction)

Stage times are wall-clock; ``cpu`` adds up the CPU seconds of all four (external converters
included), which a busy machine does not inflate: docs / cpu is the speed per core. Small sets are repeated until each format has run for ``min_seconds`` (a fresh content hash per
repetition, so writes insert rather than replace). The first file of each format is run once
untimed first: module imports and regex compilation are not per-document costs.

The PDF references run on exactly the same PDF files, the same number of times:
``pypdfium2`` raw text extraction (open, text page, ``get_text_range`` per page) and
``pdftotext`` (poppler, one process per file, as a user would run it) where installed.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict


def _fmt_of(path: str) -> str:
    low = path.lower()
    if low.endswith(".scan.pdf"):
        return "pdf-scan"
    return os.path.splitext(low)[1].lstrip(".") or "txt"


def _cpu() -> float:
    """CPU seconds of this process and its finished children (antiword, LibreOffice, tesseract)."""
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def stage_times(paths: list[str], min_seconds: float, max_repeats: int = 50) -> dict:
    from danvan_cli.db import connect
    from danvan_cli.index import WriteBatch, document_dict, file_sha256, prepare, store_rows
    from danvan_cli.parse import parse_extracted
    from danvan_cli.readers import ReadError, read

    by_fmt: dict[str, list[str]] = defaultdict(list)
    for p in paths:
        by_fmt[_fmt_of(p)].append(p)
    tmp = tempfile.mkdtemp(prefix="danvan-bench-stages-")
    out: dict[str, dict] = {}
    try:
        db = connect(os.path.join(tmp, "stages.db"))
        db.conn.isolation_level = None
        for fmt, files in sorted(by_fmt.items()):
            r = {"files": len(files), "docs": 0, "pages": 0, "chars": 0, "bytes": 0, "failed": [],
                 "hash": 0.0, "read": 0.0, "parse": 0.0, "write": 0.0, "cpu": 0.0, "repeats": 0}
            try:  # warm-up
                document_dict(parse_extracted(read(files[0]), files[0], "warm"))
            except ReadError:
                pass
            with WriteBatch(db) as batch:
                for rep in range(max_repeats):
                    for p in files:
                        th, c0 = time.perf_counter(), _cpu()
                        sha = file_sha256(p)
                        t0 = time.perf_counter()
                        try:
                            ext = read(p)
                        except ReadError as e:
                            if rep == 0:
                                r["failed"].append([os.path.basename(p), str(e)])
                            continue
                        t1 = time.perf_counter()
                        # a fresh hash for each repetition, so that writes insert
                        d = document_dict(parse_extracted(ext, p, f"{sha}-{rep}"))
                        n_chars = len(d.get("text") or "")
                        rows = prepare(d)
                        t2 = time.perf_counter()
                        if isinstance(rows, str):
                            raise SystemExit(f"bench: {p}: {rows}")
                        store_rows(db, rows, f"{p}#{rep}", None)
                        batch.tick()
                        t3 = time.perf_counter()
                        r["cpu"] += _cpu() - c0
                        r["hash"] += t0 - th
                        r["read"] += t1 - t0
                        r["parse"] += t2 - t1
                        r["write"] += t3 - t2
                        r["docs"] += 1
                        r["pages"] += int(ext.metadata.get("pages") or 0)
                        r["chars"] += n_chars
                        r["bytes"] += os.path.getsize(p)
                    r["repeats"] = rep + 1
                    if r["read"] + r["parse"] + r["write"] >= min_seconds or not r["docs"]:
                        break
            out[fmt] = r
        db.conn.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def raw_pdfium(paths: list[str], repeats: int) -> dict:
    import pypdfium2 as pdfium
    pages = chars = 0
    t0 = time.perf_counter()
    for _ in range(repeats):
        for p in paths:
            pdf = pdfium.PdfDocument(p)
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                chars += len(tp.get_text_range())
                tp.close()
                page.close()
                pages += 1
            pdf.close()
    return {"seconds": time.perf_counter() - t0, "docs": len(paths) * repeats, "pages": pages, "chars": chars}


def pdftotext(paths: list[str], repeats: int) -> dict | None:
    exe = shutil.which("pdftotext")
    if not exe:
        return None
    t0 = time.perf_counter()
    chars = 0
    for _ in range(repeats):
        for p in paths:
            res = subprocess.run([exe, "-q", "-enc", "UTF-8", p, "-"], capture_output=True)
            chars += len(res.stdout.decode("utf-8", "replace"))
    return {"seconds": time.perf_counter() - t0, "docs": len(paths) * repeats, "chars": chars}


def main(spec_path: str) -> None:
    spec = json.loads(open(spec_path, encoding="utf-8").read())
    res = {"stages": stage_times(spec["paths"], spec.get("min_seconds", 2.0))}
    pdfs = [p for p in spec["paths"] if _fmt_of(p) == "pdf"]
    if pdfs:
        reps = res["stages"].get("pdf", {}).get("repeats", 1)
        res["pdfium_raw"] = raw_pdfium(pdfs, reps)
        res["pdftotext"] = pdftotext(pdfs, reps)
    from .peak import self_peak_mb
    res["max_rss_kb"] = self_peak_mb() * 1024
    json.dump(res, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
