"""Edge inputs, one child process each so the peak memory is the file's own: a 500-page PDF
full of text, a long text document, and a 50 MB text file (refused by the size limit).

    python -m bench.edge FILE      prints {"status", "reason", "seconds", "chars", "max_rss_mb"}
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import synth
from .peak import self_peak_mb


def _one(path: str) -> None:
    from danvan_cli.index import file_sha256, parse_one, size_problem
    t0 = time.perf_counter()
    problem = size_problem(path, os.path.getsize(path))
    if problem:
        status, reason, chars = "refused", problem, 0
    else:
        status, _, _, payload = parse_one(path, file_sha256(path))
        reason = payload if status == "fail" else None
        chars = len(payload.get("text") or "") if status == "ok" else 0  # type: ignore[union-attr]
    print(json.dumps({"status": status, "reason": reason, "seconds": time.perf_counter() - t0, "chars": chars,
                      "max_rss_mb": self_peak_mb()}))


def make_inputs(work: Path) -> dict[str, Path]:
    work.mkdir(parents=True, exist_ok=True)
    texts = [t for _, t in synth.plans(220, seed=5)]
    long_text = "\n".join(texts)                           # ~220 plans back to back
    out = {}
    font = synth.find_font()
    if font:
        p = work / "dai-500-trang.pdf"
        # about 500 A4 pages of plan text
        body = long_text
        while synth.write_pdf(p, body, font) < 500:
            body += "\n" + long_text[: len(long_text) // 4]
        out["PDF, 500+ pages of text"] = p
    t = work / "dai.txt"
    t.write_text(long_text, encoding="utf-8")
    out[f"text, {len(long_text) // 1000:,} k characters"] = t
    big = work / "nhat-ky-50mb.txt"
    with open(big, "wb") as fh:
        chunk = long_text.encode("utf-8")
        while fh.tell() < 50 << 20:
            fh.write(chunk)
    out["text, 50 MB"] = big
    return out


def measure(work: Path) -> dict[str, dict]:
    res = {}
    for name, path in make_inputs(work).items():
        proc = subprocess.run([sys.executable, "-m", "bench.edge", str(path)], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parents[1])
        try:
            r = json.loads(proc.stdout)
        except ValueError:
            r = {"status": "crashed", "reason": proc.stderr.strip()[-300:], "seconds": None, "max_rss_mb": None}
        if path.suffix == ".pdf":
            import pypdfium2 as pdfium
            doc = pdfium.PdfDocument(str(path))
            r["pages"] = len(doc)
            doc.close()
        r["bytes"] = path.stat().st_size
        res[name] = r
    return res


if __name__ == "__main__":
    _one(sys.argv[1])
