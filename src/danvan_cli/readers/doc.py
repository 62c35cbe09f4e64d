"""Word 97-2003 .doc (and RTF): through ``antiword`` when installed, else LibreOffice.

antiword prints tables as "|cell|cell|" rows: a two-cell layout table (the header's issuer |
motto, the closing's Nơi nhận | signer) is read column by column like the .docx reader does.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import regex as re

from .base import Block, Extracted, ReadError
from .legacy import convert_blocks
from .txt import decode_bytes, finish_blocks, text_to_blocks

_TIMEOUT = 120
_PICTURE = re.compile(r"\[pic\]")


def read_doc(path: str, fmt: str = "doc") -> Extracted:
    reasons = []
    if fmt == "doc" and shutil.which("antiword"):
        try:
            text = _antiword(path)
            blocks = antiword_blocks(text)
            return _extracted(blocks, "antiword")
        except ReadError as e:
            reasons.append(str(e))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        text = _soffice_text(soffice, path)
        if not _plausible(text):
            raise ReadError(reasons[0] if reasons else "not a readable Word document")
        return _extracted(text_to_blocks(text), "libreoffice")
    if reasons:
        raise ReadError(reasons[0])
    what = "antiword (apt install antiword) or LibreOffice" if fmt == "doc" else "LibreOffice"
    raise ReadError(f"cannot read a .{fmt} file without {what}")


def _extracted(blocks: list[Block], tool: str) -> Extracted:
    metadata: dict = {"converter": tool}
    enc = convert_blocks(blocks)
    if enc:
        metadata["encoding"] = enc
    if not any(b.text.strip() for b in blocks):
        raise ReadError("no text found in the document")
    return Extracted("doc", blocks, metadata=metadata)


def _antiword(path: str) -> str:
    try:
        p = subprocess.run(["antiword", "-w", "0", "-m", "UTF-8.txt", path], capture_output=True,
                           timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ReadError("antiword took too long on this .doc") from None
    except OSError as e:
        raise ReadError(f"antiword failed: {e.strerror or e}") from None
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = err[-1] if err else f"exit status {p.returncode}"
        reason = reason.replace(path, "").strip(" :'\"") or f"exit status {p.returncode}"  # it names the file
        raise ReadError(f"antiword cannot read this .doc: {reason[:120]}")
    return p.stdout.decode("utf-8", "replace")


def _soffice_text(soffice: str, path: str) -> str:
    with tempfile.TemporaryDirectory(prefix="danvan-") as tmp:
        # A private profile: a user's running LibreOffice would otherwise take the job.
        profile = "file://" + os.path.join(tmp, "profile")
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
               "txt:Text (encoded):UTF8", "--outdir", tmp, path]
        try:
            subprocess.run(cmd, capture_output=True, timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ReadError("LibreOffice took too long to convert this file") from None
        except OSError as e:
            raise ReadError(f"LibreOffice failed: {e.strerror or e}") from None
        out = os.path.join(tmp, os.path.splitext(os.path.basename(path))[0] + ".txt")
        if not os.path.exists(out):
            raise ReadError("LibreOffice could not convert this file")
        with open(out, "rb") as fh:
            text, _ = decode_bytes(fh.read())
        return text


_ROW = re.compile(r"^\|(.*)\|\s*$")
_LATIN_TEXT = re.compile(r"[\p{Latin}\p{N}\p{P}\p{S}\p{Zs}\p{M}\n\t]")


def _plausible(text: str) -> bool:
    """Text a Vietnamese document could hold: Latin letters, digits, punctuation. LibreOffice
    opens any bytes as text, and a damaged file comes out as a run of CJK and symbols."""
    sample = text[:20000]
    if not sample.strip():
        return False
    # bytes LibreOffice could not decode, or the binary header it read as text
    junk = sum(1 for ch in sample if ch == "\ufffd" or (ch < " " and ch not in "\n\t\r"))
    if junk > max(2, len(sample) // 200):
        return False
    return len(_LATIN_TEXT.findall(sample)) >= 0.8 * len(sample)


def antiword_blocks(text: str) -> list[Block]:
    """Blocks from antiword's text: paragraphs one per line, tables as "|a|b|" rows."""
    blocks: list[Block] = []
    table: list[list[str]] = []

    def flush_table() -> None:
        if not table:
            return
        ncols = max(len(r) for r in table)
        if ncols == 2:
            # A layout table: the left column, then the right one.
            for side, idx in (("left", 0), ("right", 1)):
                for r in table:
                    if len(r) > idx and r[idx].strip():
                        blocks.append(Block(_clean(r[idx]), column=side))
        else:
            for r in table:
                for cell in r:
                    if cell.strip():
                        blocks.append(Block(_clean(cell), in_table=True))
        table.clear()

    for line in text.splitlines():
        m = _ROW.match(line)
        if m:
            table.append(m.group(1).split("|"))
            continue
        flush_table()
        line = _clean(line)
        if line:
            blocks.append(Block(line))
    flush_table()
    return finish_blocks(blocks)


def _clean(s: str) -> str:
    return re.sub(r"\s{2,}", " ", _PICTURE.sub("", s)).strip()
