"""The parser: a reader's blocks in, a ``model.Document`` out.

Stages run in order over one ``DocText``; each fills its part of the Document and may read what
earlier stages set:

    layout      blocks -> normalized text, footnotes moved out          (parse.layout)
    header      kind, type, number, issuer, place, date, subject ...     (parse.header)
    closing     recipients ("Nơi nhận"), signer                          (parse.closing)
    outline     sections between header and closing                     (parse.outline)
    citations   legal basis and every numbered reference                (parse.citations)
    assignments who is assigned what                                    (parse.assignments)
    deadlines   what is due when                                        (parse.deadlines)

Pure functions of the text: no I/O here.
"""
from __future__ import annotations

import hashlib

from .. import PARSER_VERSION
from ..model import Document
from ..readers import Extracted, read
from . import assignments, citations, closing, deadlines, header, layout, outline
from .textdoc import DocText

STAGES = (header.run, closing.run, outline.run, citations.run, assignments.run, deadlines.run)


def parse_extracted(ext: Extracted, source: str = "", sha256: str = "") -> Document:
    doc = layout.build(ext)
    out = Document(source=source, sha256=sha256, format=ext.format, parser_version=PARSER_VERSION)
    run_stages(doc, out)
    return out


def run_stages(doc: DocText, out: Document) -> Document:
    for stage in STAGES:
        try:
            stage(doc, out)
        except Exception as e:  # one stage's bug costs its fields, never the document
            name = stage.__module__.rsplit(".", 1)[-1]
            out.warnings.append(f"{name}: not read ({type(e).__name__}: {' '.join(str(e).split())[:200]})")
    out.footnotes = list(doc.footnotes)
    out.metadata = {**doc.metadata, **out.metadata}
    out.warnings = list(dict.fromkeys(doc.warnings + out.warnings))
    out.text = doc.text
    return out


def parse_text(text: str, fmt: str = "txt", source: str = "<text>") -> Document:
    """Parse a document given as text (tests, stdin)."""
    from ..readers.txt import text_to_blocks
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return parse_extracted(Extracted(fmt, text_to_blocks(text)), source, sha)


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_file(path: str) -> Document:
    """Read and parse one file. Raises readers.ReadError with a one-line reason."""
    ext = read(path)  # first: it turns a folder, a missing or unreadable file into a ReadError
    sha = file_sha256(path)
    return parse_extracted(ext, path, sha)
