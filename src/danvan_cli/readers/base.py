"""What every reader returns: the document as blocks of text with layout hints.

A reader knows the file format; it does not know Vietnamese documents. It hands the parser one
``Block`` per paragraph (wrapped lines already joined where the format tells it), in reading
order, with the hints it can see: which header or closing column a block sat in, whether it was
bold, centered, in a table cell or in the footnote area, and on which page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ReadError(Exception):
    """A file that cannot be read as a document. The message is one line, for the user."""


@dataclass
class Block:
    text: str
    page: int | None = None
    column: str | None = None      # "left" | "right": a header or closing column
    bold: bool = False
    centered: bool = False
    in_table: bool = False
    footnote: bool = False          # the reader found it in a footnote area or part
    mark: str | None = None         # footnote mark, when the format gives it (docx footnotes)


@dataclass
class Extracted:
    format: str                     # txt | md | docx | doc | pdf | html
    blocks: list[Block]
    metadata: dict[str, Any] = field(default_factory=dict)  # pages, ocr, encoding, portal block
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)
