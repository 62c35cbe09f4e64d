"""Plain text and markdown: decode, then one block per non-blank line."""
from __future__ import annotations

from .base import Block, Extracted, ReadError


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError:
        raise ReadError("text in an unknown encoding (not UTF-8, UTF-16 or Windows-1258)") from None


def text_to_blocks(text: str) -> list[Block]:
    return [Block(line) for line in text.splitlines() if line.strip()]


def read_txt(path: str, fmt: str = "txt") -> Extracted:
    with open(path, "rb") as fh:
        data = fh.read()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("binary data, not text")
    text, encoding = decode_bytes(data)
    return Extracted(fmt, text_to_blocks(text), metadata={"encoding": encoding})
