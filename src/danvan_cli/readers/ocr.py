"""OCR of scanned PDF pages with the ``tesseract`` binary (Vietnamese model ``vie``).

Pages are rendered with pypdfium2 at 300 dpi and read one tesseract process per page (several
at a time), as hOCR: words with their boxes, lines with their baseline and size. The words go through the same layout step as a PDF
text layer (``pdf.layout_pages``), so columns, paragraphs and footnotes come out the same way.
"""
from __future__ import annotations

import functools
import html
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import regex as re

from .base import ReadError

DPI = 300
_TIMEOUT = 300          # seconds per page
_MISSING = "scanned PDF (no text layer): install tesseract-ocr and tesseract-ocr-vie to read it"


def available() -> bool:
    """tesseract is installed with its Vietnamese model."""
    exe = shutil.which("tesseract")
    return bool(exe) and _has_vie(exe)


@functools.lru_cache(maxsize=4)
def _has_vie(exe: str) -> bool:
    try:
        p = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "vie" in (p.stdout + p.stderr).split()


def ocr_pages(pdf, indexes: list[int], progress=None) -> list:
    """PageGeom (see ``pdf``) for the pages ``indexes`` (0-based) of an open PdfDocument."""
    if not available():
        raise ReadError(_MISSING)
    from .pdf import PageGeom
    scale = DPI / 72.0
    workers = max(1, min(len(indexes), os.cpu_count() or 1, 4))
    results: dict[int, list] = {}
    done = 0
    with tempfile.TemporaryDirectory(prefix="danvan-ocr-") as tmp, \
            ThreadPoolExecutor(max_workers=workers) as pool:
        pending = {}
        sizes: dict[int, tuple[float, float]] = {}
        for idx in indexes:
            page = pdf[idx]
            sizes[idx] = page.get_size()
            # pdfium is not thread-safe: render here, let the threads only wait on tesseract.
            image = page.render(scale=scale, grayscale=True).to_pil()
            img_path = os.path.join(tmp, f"p{idx}.png")
            image.save(img_path)
            pending[pool.submit(_tesseract, img_path)] = idx
            while len(pending) >= workers * 2:
                done += _collect(pending, results, progress, done, len(indexes))
        while pending:
            done += _collect(pending, results, progress, done, len(indexes))
    out = []
    for idx in indexes:
        w, h = sizes[idx]
        out.append(PageGeom(idx + 1, w, h, hocr_pieces(results[idx], scale), ocr=True))
    return out


def _collect(pending: dict, results: dict, progress, done: int, total: int) -> int:
    from concurrent.futures import FIRST_COMPLETED, wait
    finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    for fut in finished:
        idx = pending.pop(fut)
        results[idx] = fut.result()         # ReadError propagates
        done += 1
        if progress:
            progress(done, total)
    return len(finished)


def _tesseract(img_path: str) -> str:
    # One thread per process: several pages run side by side, and tesseract's own threading
    # costs more than it gives on a page (measured 4x slower with OpenMP on 2 cores).
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    # --psm 4 (one column of lines of varying size): the layout step splits the header's
    # columns from the word boxes; tesseract's own column finding (psm 3) misreads the header
    # line that it cuts across.
    cmd = [shutil.which("tesseract") or "tesseract", img_path, "stdout", "-l", "vie",
           "--dpi", str(DPI), "--psm", "4", "hocr"]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise ReadError("OCR took too long on a page of this scan") from None
    except OSError as e:
        raise ReadError(f"tesseract failed: {e.strerror or e}") from None
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(f"tesseract failed: {(err[-1] if err else p.returncode)}")
    return p.stdout.decode("utf-8", "replace")


_LINE_OR_WORD = re.compile(
    r"""<span class=['"](ocr_line|ocr_header|ocr_caption|ocr_textfloat|ocrx_word)['"][^>]*?"""
    r"""title=['"]([^'"]*)['"][^>]*>(.*?)(?=<span class=['"]ocr|</p>|$)""", re.S)
_BBOX = re.compile(r"bbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_NUM = r"(-?[\d.]+)"


def hocr_pieces(hocr: str, scale: float) -> list:
    """tesseract hOCR -> pieces: one per word, every word of a line on the line's baseline
    and x-size, in points."""
    from .pdf import Piece
    pieces = []
    base = size = None
    for m in _LINE_OR_WORD.finditer(hocr):
        kind, title, body = m.groups()
        box = _BBOX.search(title)
        if not box:
            continue
        x0, y0, x1, y1 = (int(v) for v in box.groups())
        if kind != "ocrx_word":
            bl = re.search(rf"baseline {_NUM} {_NUM}", title)
            xs = re.search(rf"x_size {_NUM}", title)
            slope, offset = (float(bl.group(1)), float(bl.group(2))) if bl else (0.0, 0.0)
            base = (y1 + offset + slope * (x1 - x0) / 2) / scale
            # x_size runs from the ascenders to the descenders: close to the font size.
            size = max(float(xs.group(1)) / scale, 4.0) if xs else max((y1 - y0) / scale, 4.0)
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", body)).strip()
        if not text or base is None:
            continue
        conf = re.search(rf"x_wconf {_NUM}", title)
        # Specks read as punctuation with little confidence (rules, dirt).
        if conf and float(conf.group(1)) < 40 and not any(ch.isalnum() for ch in text):
            continue
        pieces.append(Piece(text, x0 / scale, x1 / scale, base, size))
    return pieces
