"""Readers: one per file format, chosen by the file's content first and its extension second."""
from __future__ import annotations

import os
from typing import Callable

from .base import Block, Extracted, ReadError

__all__ = ["Block", "Extracted", "ReadError", "read", "sniff_format", "SUPPORTED_EXTENSIONS"]

SUPPORTED_EXTENSIONS = {".txt", ".md", ".docx", ".doc", ".pdf", ".html", ".htm"}


def sniff_format(path: str, head: bytes) -> str:
    """The format of a file from its first bytes; the extension decides only for plain text."""
    ext = os.path.splitext(path)[1].lower()
    # A PDF may carry junk before its header (up to 1 KB): trusted when the name says PDF.
    if head.startswith(b"%PDF") or (ext == ".pdf" and b"%PDF-" in head[:1024]):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
        return "rtf"        # Word saves RTF under a .doc name more often than one would think
    low = head[:2048].lower()
    if b"<html" in low or b"<!doctype html" in low or ext in (".html", ".htm"):
        return "html"
    if ext in (".pdf", ".docx", ".doc"):
        raise ReadError(f"not a {ext[1:]} file: its content is {_describe(head)}")
    return "md" if ext == ".md" else "txt"


def _describe(head: bytes) -> str:
    if not head:
        return "empty"
    if b"\x00" in head[:1024] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data of an unknown kind"
    try:
        head[:1024].decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < 1000 and sum(b < 9 or 13 < b < 32 for b in head[:1024]) > 8:
            return "binary data of an unknown kind"
    return "plain text"


def read(path: str, progress: Callable[[int, int], None] | None = None) -> Extracted:
    """Read a file into blocks. Raises ReadError with a one-line reason.

    ``progress(done, total)`` is called while a scanned PDF is read through OCR, page by page.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
            fmt = sniff_format(path, head) if head else None
            # Plain text is read whole from the handle at hand: for a short text, opening and
            # reading the file a second time cost about as much as decoding it.
            data = head + fh.read() if fmt in ("txt", "md") else None
    except MemoryError:
        raise ReadError("file too large to read in memory") from None
    except OSError as e:
        raise _open_error(path, e) from None
    if not head:
        raise ReadError("empty file (0 bytes)")
    try:
        return _read_as(fmt, path, progress, data)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError("file too large to read in memory") from None
    except Exception as e:      # a library failing on a damaged file: one line, no traceback
        raise ReadError(f"cannot read this {fmt} file ({type(e).__name__}: {str(e)[:100]})") from None


def _open_error(path: str, e: OSError) -> ReadError:
    # Asked only once opening failed: a stat of every file read cost time for nothing.
    if os.path.isdir(path):
        return ReadError("is a directory, not a file")
    if isinstance(e, PermissionError):
        return ReadError("permission denied")
    return ReadError(e.strerror or str(e))


def _read_as(fmt: str, path: str, progress, data: bytes | None = None) -> Extracted:
    if fmt == "pdf":
        from .pdf import read_pdf
        return read_pdf(path, progress)
    if fmt == "docx":
        from .docx import read_docx
        return read_docx(path)
    if fmt in ("doc", "rtf"):
        from .doc import read_doc
        return read_doc(path, fmt)
    if fmt == "html":
        from .html import read_html
        return read_html(path)
    from .txt import read_txt
    return read_txt(path, fmt, data)
