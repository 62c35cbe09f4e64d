"""Plain text and markdown: decode, then one block per paragraph.

Also home of the text-level clean-up every reader applies last (``finish_blocks``): footnotes
recognised by their leading mark, and paragraphs that a page break or a footnote cut in two
joined again.
"""
from __future__ import annotations

import unicodedata

import regex as re

from . import legacy
from .base import Block, Extracted, ReadError

# --- decoding ---------------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte order mark: NUL bytes on one parity only."""
    sample = data[:4000]
    if len(sample) < 4 or b"\x00" not in sample:
        return None                 # (no NUL byte, the common case: a quick test, no slicing)
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros > half * 0.3 and other < half * 0.05:
            try:
                return data[:len(data) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text (NFC) and the name of the encoding it was read in."""
    text, enc = _decode(data)
    return unicodedata.normalize("NFC", text), enc


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        text, enc = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, enc = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ReadError("broken UTF-16 text") from None
    elif (t16 := _utf16_without_bom(data)) is not None:
        text, enc = t16, "utf-16"
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return _decode_8bit(data)
    # UTF-8 text may still carry a legacy font's characters (converted without the font).
    fixed, legacy_enc = legacy.detect_and_convert(text)
    return (fixed, f"{enc}+{legacy_enc}") if legacy_enc else (text, enc)


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """Windows-1258, TCVN3 or VNI: whichever reads as Vietnamese."""
    fixed, legacy_enc = legacy.detect_and_convert(legacy.surface(data))
    try:
        cp = data.decode("cp1258")
    except UnicodeDecodeError:
        cp = None
    if legacy_enc:
        if cp is None or legacy.vietnamese_score(fixed)[0] > legacy.vietnamese_score(cp)[0]:
            return fixed, legacy_enc
    if cp is None:
        raise ReadError("text in an unknown encoding (not UTF-8, UTF-16, Windows-1258, "
                        "TCVN3 or VNI)")
    return cp, "cp1258"


# --- blocks -----------------------------------------------------------------------------------
# A line set in markdown bold: "**KT. GIÁM ĐỐC" ... "PHÓ GIÁM ĐỐC**" (the span may cover lines).
_BOLD_OPEN = re.compile(r"^\s*(?:#+\s*)?\*\*(?!\s)")


def text_to_blocks(text: str) -> list[Block]:
    """One block per non-blank line, wrapped lines joined (see ``finish_blocks``)."""
    if "**" not in text:                # (most texts: no bold to follow, one block per line)
        return finish_blocks([Block(line) for line in map(str.strip, text.splitlines()) if line])
    blocks: list[Block] = []
    in_bold = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        stars = line.count("**")        # most lines have none: no bold to look for
        bold = in_bold or bool(stars and _BOLD_OPEN.match(line))
        # An odd number of "**" toggles the open span.
        if stars % 2:
            in_bold = not in_bold
        blocks.append(Block(stripped, bold=bold))
    return finish_blocks(blocks)


def read_txt(path: str, fmt: str = "txt", data: bytes | None = None) -> Extracted:
    """``data``: the file's bytes, when the caller has read them already."""
    if data is None:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as e:
            raise ReadError(e.strerror or str(e)) from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) \
            and _utf16_without_bom(data) is None:
        raise ReadError("binary data, not text")
    text, encoding = decode_bytes(data)
    blocks = text_to_blocks(text)
    if not blocks:
        raise ReadError("no text in the file (only blank lines)")
    return Extracted(fmt, blocks, metadata={"encoding": encoding})


# --- footnotes and cut paragraphs (every reader) -----------------------------------------------
_SUPER = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_DIGIT = str.maketrans(_SUPER, "0123456789")
_NOTE_FIRST = frozenset(_SUPER + "⁽[")
# A footnote's own line starts with its mark: "¹ Kế hoạch ...", "⁽¹⁾ ...", "[1] Quy chế ...".
_NOTE_START = re.compile(rf"^(?:⁽([{_SUPER}]+)⁾|([{_SUPER}]+)\)?|\[(\d{{1,3}})\])\s*(?=\S)")
# Endings that close a paragraph; anything else may run on into the next block.
_CLOSERS = frozenset(".;:!?…)]”\"’'»/")
_WORD_CHAR = re.compile(r"\w")
# A new item, even when it starts in lower case: "a)", "đ.", "b-", "i)".
_ITEM = re.compile(r"^(?:[a-zđ]{1,2}|[ivx]{1,4})\s?[).\-]\s")
_BRACKET_REF = re.compile(r"\[\d{1,3}\]")


def footnote_mark(text: str) -> tuple[str, str] | None:
    """(mark, text without the mark) when ``text`` starts like a footnote, else None."""
    if not text or text[0] not in _NOTE_FIRST:
        return None
    m = _NOTE_START.match(text)
    if not m:
        return None
    mark = next(g for g in m.groups() if g).translate(_SUPER_TO_DIGIT)
    return mark, text[m.end():]


def continues(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` is the rest of the paragraph ``prev`` (a line or page break cut it):
    ``prev`` is left open and ``nxt`` starts in lower case and is not a new item."""
    prev, nxt = prev.rstrip(), nxt.lstrip()
    if not prev or not nxt or prev[-1] in _CLOSERS or not nxt[0].islower():
        return False
    # A rule ("-------") or a heading in capitals does not run on.
    if not _WORD_CHAR.search(prev) or (prev.isupper() and len(prev) > 3):
        return False
    return not _ITEM.match(nxt)


def join_text(prev: str, nxt: str) -> str:
    """Join two pieces of one paragraph. A hyphen glued to a code at the end ("2769/UBND-") is
    part of a number cut at the line end: no space after it."""
    prev, nxt = prev.rstrip(), nxt.lstrip()
    if prev.endswith("\ufffe"):
        prev = prev[:-1] + "-"
        return prev + nxt
    if prev.endswith("-") and len(prev) > 1 and not prev[-2].isspace() and nxt[:1].isalnum():
        return prev + nxt
    return prev + " " + nxt


def finish_blocks(blocks: list[Block]) -> list[Block]:
    """Mark footnote blocks (mark set, mark removed from the text) and join body paragraphs
    that a page break or a footnote cut in two."""
    # "[1]" marks a footnote only when the running text before it cites "[1]".
    seen_refs: set[str] = set()
    out: list[Block] = []
    last_body: Block | None = None
    for b in blocks:
        if not b.footnote and b.text[:1] in _NOTE_FIRST:   # (footnote_mark's first test)
            fm = footnote_mark(b.text)
            if fm and (not b.text.startswith("[") or f"[{fm[0]}]" in seen_refs):
                b.footnote, b.mark, b.text = True, fm[0], fm[1]
        if b.footnote:
            out.append(b)
            continue
        if "[" in b.text:
            seen_refs.update(_BRACKET_REF.findall(b.text))
        # (continues' test of the first character first: most lines start with no lower-case
        # letter.)
        if last_body is not None and b.text.lstrip()[:1].islower() \
                and last_body.column == b.column \
                and last_body.in_table == b.in_table and continues(last_body.text, b.text):
            last_body.text = join_text(last_body.text, b.text)
            continue
        out.append(b)
        last_body = b
    return out
