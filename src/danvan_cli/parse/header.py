"""Stage 'header' (see parse/__init__.py). Placeholder until its owner fills it in."""
from __future__ import annotations

from ..model import Document
from .textdoc import DocText


def run(doc: DocText, out: Document) -> None:
    return None
