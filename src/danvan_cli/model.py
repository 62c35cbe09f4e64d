"""The document model: dataclasses that serialise to the JSON contract of ../shared/SCHEMA.md.

Field names here are the contract; add fields, never rename them. Every extracted object keeps
its character span in the document's normalized text (``Document.text``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class Citation:
    type: str | None            # "Nghị quyết", "Kế hoạch" ... as written, capitalised
    number: str                 # canonical printed form, spaces removed: "25-NQ/TW"
    date: str | None = None     # ISO
    issuer: str | None = None   # "Ban Chấp hành Trung ương Đảng khóa XI"
    span: Span = (0, 0)         # first occurrence
    section: str | None = None
    in_footnote: bool = False
    occurrences: int = 1
    key: str | None = None      # canonical identity key (see parse.citations)
    basis: bool = False         # found in the opening Căn cứ / Thực hiện paragraphs
    context: str | None = None  # the sentence around the first occurrence
    subject: str | None = None  # "về ..." following the reference, when printed


@dataclass
class Section:
    id: str                     # "II.3"
    label: str                  # "3."
    heading: str                # "3. Gắn thực hiện ..."
    title: str                  # "Gắn thực hiện ..."
    level: int                  # 1 = top level of this document
    parent: str | None
    span: Span                  # from the heading to the end of the section's content
    kind: str = "section"       # section | article | chapter | appendix


@dataclass
class Assignment:
    agency: str
    role: str                   # chủ trì | phối hợp | thực hiện | đề nghị | báo cáo
    partners: list[str] = field(default_factory=list)
    task: str = ""
    section: str | None = None
    span: Span = (0, 0)
    agency_key: str | None = None


@dataclass
class Deadline:
    date: str | None
    precision: str = "day"      # day | month | quarter | year
    raw: str = ""
    what: str | None = None
    agency: str | None = None
    to: str | None = None
    recurring: str | None = None  # yearly | half-yearly | quarterly | monthly | weekly | periodic
    section: str | None = None
    span: Span = (0, 0)
    relative: str | None = None   # "15 ngày kể từ ..." when the anchor is unknown
    agency_key: str | None = None


@dataclass
class Signer:
    name: str | None = None
    title: str | None = None
    authority: str | None = None   # "TM. ỦY BAN NHÂN DÂN"
    on_behalf: str | None = None   # "KT. CHỦ TỊCH", "TL. ...", "TUQ. ...", "Q. ..."


@dataclass
class Footnote:
    mark: str
    text: str
    span: Span = (0, 0)            # of the footnote text in Document.text
    ref_span: Span | None = None   # where the mark stands in the running text


@dataclass
class Document:
    source: str
    sha256: str
    format: str
    kind: str = "unknown"          # administrative | news | unknown
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    place: str | None = None
    date: str | None = None
    year: int | None = None
    subject: str | None = None
    addressees: list[str] = field(default_factory=list)
    legal_basis: list[Citation] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)
    footnotes: list[Footnote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # additions to the contract
    title: str | None = None       # a news item's headline, or the type + subject line
    author: str | None = None      # a news item's byline
    metadata: dict[str, Any] = field(default_factory=dict)  # reader facts: pages, portal block ...
    parser_version: int = 0
    text: str = ""                 # normalized text; serialised only on request

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        d = asdict(self)
        for key in ("legal_basis", "citations", "sections", "assignments", "deadlines", "footnotes"):
            for item in d[key]:
                for k, v in item.items():
                    if isinstance(v, tuple):
                        item[k] = list(v)
        if not with_text:
            d.pop("text")
        return d
