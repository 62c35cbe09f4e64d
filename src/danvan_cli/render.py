"""The terminal view of one document for ``danvan show``: rich renderables built from a document
dict in the SCHEMA.md shape (``danvan parse`` / ``danvan export`` JSON, "text" when present).

Pure functions: they build renderables and print nothing. Every string taken from a document
goes into a ``rich.text.Text`` (never into markup), so "[1]" or "[daky]" in a document cannot be
read as a style tag.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

Span = tuple[int, int, str]

TITLE_WIDTH = 90        # section titles and list items are shortened to this many characters
FOOTNOTE_WIDTH = 160


def shorten(s: str | None, width: int = TITLE_WIDTH) -> str:
    """One line, at most ``width`` characters, cut at a word with "…"."""
    s = " ".join((s or "").split())
    if len(s) <= width:
        return s
    cut = s[:width - 1]
    if " " in cut[width // 2:]:
        cut = cut[:cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def _place_date(doc: dict) -> str:
    place, date, year = doc.get("place"), doc.get("date"), doc.get("year")
    when = date or (str(year) if year else None)
    return ", ".join(x for x in (place, when) if x)


def header_table(doc: dict) -> Table:
    """Type, number, issuer, place/date, subject, kind, source, format (empty fields left out,
    except number and date, whose absence is itself worth seeing)."""
    table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    rows: list[tuple[str, str | None]] = [
        ("type", doc.get("doc_type")),
        ("number", doc.get("number") or "(blank)"),
        ("issuer", doc.get("issuer")),
        ("place, date", _place_date(doc) or "(blank)"),
        ("subject", doc.get("subject") or doc.get("title")),
        ("to", "; ".join(doc.get("addressees") or []) or None),
        ("kind", doc.get("kind")),
        ("author", doc.get("author") if doc.get("kind") == "news" else None),
        ("source", doc.get("source") or ", ".join(doc.get("paths") or []) or None),
        ("format", doc.get("format")),
    ]
    for k, v in rows:
        if v:
            table.add_row(k, Text(str(v)))
    return table


def outline_tree(sections: Sequence[dict], label: str = "Outline") -> Tree:
    """The sections as a tree: "II.3  3. Gắn thực hiện ..." (label + shortened title)."""
    tree = Tree(Text(label, style="bold"), guide_style="dim")
    nodes: dict[str, Tree] = {}
    for s in sections:
        line = Text()
        lab = (s.get("label") or "").strip()
        sid = str(s.get("id") or "")
        if sid and sid != lab.rstrip(".:)").strip():  # "II.3" beside "3."; not "I" beside "I."
            line.append(sid, style="dim")
            line.append("  ")
        if s.get("kind") == "appendix":
            line.append(shorten(s.get("heading") or lab), style="bold magenta")
        else:
            if lab:
                line.append(lab + " ", style="bold")
            line.append(shorten(s.get("title") or s.get("heading") or ""),
                        style="bold" if s.get("level") == 1 else "")
        parent = nodes.get(s.get("parent") or "", tree)
        nodes[str(s.get("id"))] = parent.add(line)
    if not sections:
        tree.add(Text("(no sections found)", style="dim"))
    return tree


def closing_panel(doc: dict) -> RenderableType:
    """Recipients ("Nơi nhận") beside the signer block, as the document prints them."""
    signer = doc.get("signer") or {}
    left = Text()
    left.append("Nơi nhận:\n", style="bold")
    recipients = doc.get("recipients") or []
    for i, r in enumerate(recipients):
        left.append("- " + shorten(str(r), 70) + ("\n" if i < len(recipients) - 1 else ""))
    if not recipients:
        left.append("(none found)", style="dim")
    right = Text(justify="center")
    parts = [(signer.get("authority"), "bold"), (signer.get("on_behalf"), "bold"),
             (signer.get("title"), "bold"), (signer.get("name"), "")]
    shown = [(v, st) for v, st in parts if v]
    for i, (v, st) in enumerate(shown):
        right.append(str(v) + ("\n" if i < len(shown) - 1 else ""), style=st)
    if not shown:
        right.append("(no signer found)", style="dim")
    grid = Table.grid(expand=True, padding=(0, 4))
    grid.add_column(ratio=3)
    grid.add_column(ratio=2)
    grid.add_row(left, right)
    return Panel(grid, title="Closing", title_align="left", border_style="dim")


def footnotes_list(footnotes: Iterable[dict]) -> Text:
    out = Text()
    notes = list(footnotes)
    for i, f in enumerate(notes):
        out.append(f"[{f.get('mark') or '?'}] ", style="bold")
        out.append(shorten(f.get("text"), FOOTNOTE_WIDTH))
        if i < len(notes) - 1:
            out.append("\n")
    return out


def warnings_list(warnings: Iterable[str]) -> Text:
    out = Text(style="yellow")
    ws = list(warnings)
    for i, w in enumerate(ws):
        out.append("! " + str(w) + ("\n" if i < len(ws) - 1 else ""))
    return out


def summary_line(doc: dict, highlight_spans: Sequence[Span] | None = None) -> Text:
    """Counts of what the other stages found, for orientation."""
    counts = [(len(doc.get(k) or []), k) for k in
              ("legal_basis", "citations", "assignments", "deadlines", "sections")]
    t = Text(style="dim")
    t.append(", ".join(f"{n} {k.replace('_', ' ')}" for n, k in counts))
    if highlight_spans:
        t.append(f"; {len(highlight_spans)} spans marked in the text below")
    return t


def render_document(doc: dict[str, Any],
                    highlight_spans: Sequence[Span] | None = None) -> list[RenderableType]:
    """The parts of ``danvan show DOC``, in order: header table, counts, outline tree, closing,
    footnotes, warnings. ``highlight_spans`` (start, end, style) are the spans the caller will
    mark with ``render_text``; here they are only counted."""
    title = doc.get("title") or " ".join(x for x in (doc.get("doc_type"), doc.get("number")) if x)
    parts: list[RenderableType] = [
        Panel(Group(header_table(doc), summary_line(doc, highlight_spans)),
              title=Text(shorten(title or "document", 100), style="bold"), title_align="left",
              border_style="blue"),
        outline_tree(doc.get("sections") or []),
    ]
    if doc.get("kind") != "news" or doc.get("recipients"):
        parts.append(closing_panel(doc))
    if doc.get("footnotes"):
        parts.append(Panel(footnotes_list(doc["footnotes"]), title="Footnotes",
                           title_align="left", border_style="dim"))
    if doc.get("warnings"):
        parts.append(Panel(warnings_list(doc["warnings"]), title="Warnings", title_align="left",
                           border_style="yellow"))
    return parts


def render_text(text: str, spans: Iterable[Sequence[Any]] | None = None) -> Text:
    """``text`` with each (start, end, style) span styled. Spans outside the text are clipped,
    empty or malformed ones skipped; later spans are applied over earlier ones."""
    out = Text(text or "")
    n = len(out.plain)
    for sp in spans or []:
        try:
            start, end, style = int(sp[0]), int(sp[1]), str(sp[2])
        except (TypeError, ValueError, IndexError):
            continue
        start, end = max(0, start), min(n, end)
        if start < end:
            out.stylize(style, start, end)
    return out
