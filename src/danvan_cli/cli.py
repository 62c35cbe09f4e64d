"""The command line: a thin layer over the library modules.

Each command parses its options, calls one library function and hands rows to ``output.emit``.
Errors the user can act on are ``click.ClickException`` (one line, exit 1); usage errors exit 2.
"""
from __future__ import annotations

import datetime as dt
import json
import sys

import click

from . import __version__
from .db import connect, db_path
from .output import emit, output_options
from .schema import SchemaError

db_option = click.option(
    "--db", "db_file", type=click.Path(dir_okay=False), default=None,
    help="The index file (default: $DANVAN_DB or danvan.db).")


def open_index(db_file: str | None, create: bool = False):
    path = db_path(db_file)
    try:
        return connect(path, create=create)
    except (SchemaError, FileNotFoundError) as e:
        raise click.ClickException(str(e)) from None


def today_option(fn):
    return click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
                        help="Count days from this date (YYYY-MM-DD) instead of the real date.")(fn)


class _Group(click.Group):
    """Turns errors of the index file itself (disk full, locked past the timeout, damaged)
    into one line for the user instead of a traceback; everything already committed stays."""

    def invoke(self, ctx: click.Context):
        import sqlite3
        try:
            return super().invoke(ctx)
        except sqlite3.OperationalError as e:
            raise click.ClickException(f"index error: {e} (nothing committed before it is lost)") from None
        except sqlite3.DatabaseError as e:
            raise click.ClickException(f"index error: {e}; the file may be damaged") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="danvan")
def cli() -> None:
    """danvan: read Vietnamese administrative documents (kế hoạch, công văn, quyết định ...)
    into an index of their deadlines, citations, assignments and text.

    \b
    Start with:  danvan ingest FOLDER      then: danvan deadlines --upcoming 30
    """


# --- parse: no index needed ---------------------------------------------------------------------
@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--text", "with_text", is_flag=True, help="Include the normalized text (spans index it).")
@click.option("--indent/--no-indent", default=None,
              help="Pretty-print (default: indented for one file on a terminal).")
def parse(files: tuple[str, ...], with_text: bool, indent: bool | None) -> None:
    """Parse FILES and print one JSON document each (JSON Lines for several).

    Nothing is written to the index. A file that cannot be read is reported on stderr with the
    reason, and the exit status is 1.
    """
    from .index import parse_path
    failed = 0
    pretty = indent if indent is not None else (len(files) == 1 and sys.stdout.isatty())
    for path in files:
        status, payload = parse_path(path)
        if status != "ok":
            click.echo(f"danvan: {path}: {payload}", err=True)
            failed += 1
            continue
        d = payload  # type: ignore[assignment]
        if not with_text:
            d.pop("text", None)
        click.echo(json.dumps(d, ensure_ascii=False, indent=2 if pretty else None))
    if failed:
        sys.exit(1)


# --- ingest --------------------------------------------------------------------------------------
@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Parse in this many processes (one writer).")
@click.option("--force", is_flag=True, help="Re-parse every file, changed or not.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def ingest(paths: tuple[str, ...], db_file: str | None, jobs: int, force: bool, quiet: bool) -> None:
    """Index PATHS (files or folders, recursively) into the SQLite index.

    Unchanged files (same content hash) are skipped; changed files are re-indexed in one
    transaction; a file that fails is logged (see `danvan stats --failures`) and the run goes
    on. Exit status 1 when any file failed.
    """
    from .index import ingest_paths
    db = open_index(db_file, create=True)
    report = ingest_paths(db, list(paths), jobs=jobs, force=force, progress=not quiet)
    if not quiet:
        click.echo(report.summary(), err=True)
    sys.exit(1 if report.failed else 0)


# --- queries -------------------------------------------------------------------------------------
@cli.command()
@click.argument("query")
@db_option
@click.option("--type", "doc_type", default=None, help="Only documents of this type (e.g. 'kế hoạch').")
@output_options()
def search(query: str, db_file: str | None, doc_type: str | None, fmt: str, limit: int | None) -> None:
    """Full-text search, ranked, with the match highlighted in a snippet.

    Accents are optional ("dan van kheo" finds "Dân vận khéo", "doi moi" finds "đổi mới");
    document numbers work unquoted (25-NQ/TW). Use "quotes" for a phrase.
    """
    from .query import search as run_search
    db = open_index(db_file)
    rows = run_search(db, query, doc_type=doc_type, limit=limit or 50,
                      highlight="rich" if fmt == "table" else "brackets")
    n = emit(rows, fmt, columns=["rank", "number", "doc_type", "date", "section", "snippet", "path"],
             title=f"search: {query}")
    if not n:
        click.echo(f"danvan: no match for {query!r}", err=True)


@cli.command()
@click.argument("doc")
@db_option
@click.option("--highlight", is_flag=True, help="Print the text with the citations marked.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default=None,
              help="table (a rendered view; default on a terminal) or json (the document).")
def show(doc: str, db_file: str | None, highlight: bool, fmt: str | None) -> None:
    """Show one document: header, outline, closing, warnings.

    DOC is a document number (1954/KH-UBND), a path as indexed, or an id; an ambiguous
    number lists the candidates.
    """
    from .query import AmbiguousDocument, DocumentNotFound, find_document, load_document
    db = open_index(db_file)
    try:
        row = find_document(db, doc)
    except (DocumentNotFound, AmbiguousDocument) as e:
        raise click.ClickException(str(e)) from None
    d = load_document(db, row["id"])
    fmt = fmt or ("table" if sys.stdout.isatty() else "json")
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from .render import render_document, render_text
    console = Console()
    spans = None
    if highlight:
        from .citegraph import citation_spans
        spans = citation_spans(d)  # every occurrence of each citation; the first in bold
    for part in render_document(d, highlight_spans=spans):
        console.print(part)
    if highlight and d.get("text"):
        console.print(render_text(d["text"], spans or []))


@cli.command()
@db_option
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of stdout.")
@click.option("--with-text", is_flag=True, help="Include each document's normalized text.")
def export(db_file: str | None, output, with_text: bool) -> None:
    """Write every indexed document as JSON Lines in the `danvan parse` shape."""
    from .query import export_documents
    db = open_index(db_file)
    n = 0
    for d in export_documents(db, with_text=with_text):
        output.write(json.dumps(d, ensure_ascii=False) + "\n")
        n += 1
    click.echo(f"danvan: exported {n} documents", err=True)


@cli.command()
@db_option
@click.option("--failures", is_flag=True, help="List the files that could not be indexed, with why.")
@output_options()
def stats(db_file: str | None, failures: bool, fmt: str, limit: int | None) -> None:
    """What the index holds: documents by type, kind and format; deadlines, citations, failures."""
    from .query import failed_files, index_stats
    db = open_index(db_file)
    if failures:
        emit(failed_files(db), fmt, columns=["path", "error", "failed_at"], title="failed files",
             limit=limit)
        return
    emit(index_stats(db), fmt, columns=["what", "value", "count"], title="index", limit=limit)


# --- deadlines and assignments (parse.deadlines, parse.assignments, tasks) ---------------------
def _doc_id(db, doc: str | None) -> int | None:
    if not doc:
        return None
    from .query import AmbiguousDocument, DocumentNotFound, find_document
    try:
        return find_document(db, doc)["id"]
    except (DocumentNotFound, AmbiguousDocument) as e:
        raise click.ClickException(str(e)) from None


def _table_cells(rows: list[dict], short: dict[str, int]) -> list[dict]:
    """Rows for the terminal table: long texts shortened, markup characters escaped, the
    status coloured."""
    from rich.markup import escape
    from .tasks import OVERDUE, SOON, shorten
    colours = {OVERDUE: "bold red", SOON: "yellow"}
    out = []
    for r in rows:
        t = {}
        for k, v in r.items():
            if isinstance(v, list):
                v = "; ".join(map(str, v))
            if isinstance(v, str):
                v = escape(shorten(v, short[k]) if k in short else v)
            t[k] = v
        if r.get("status") in colours:
            t["status"] = f"[{colours[r['status']]}]{t['status']}[/]"
        if "date" in r and not r["date"] and r.get("note"):
            t["date"] = escape(r["note"])  # "hằng năm; văn bản không ghi ngày"
        out.append(t)
    return out


@cli.command()
@db_option
@today_option
@click.option("--upcoming", type=click.IntRange(min=0), metavar="DAYS", default=None,
              help="Only what falls due within DAYS days from today (with --overdue: both).")
@click.option("--overdue", is_flag=True,
              help="Only what is past due (a recurring deadline counts at its next occurrence).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only deadlines on or after this date (YYYY-MM-DD).")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Only deadlines on or before this date (YYYY-MM-DD).")
@click.option("--agency", default=None,
              help='Only what this agency owes; accents optional, short forms understood '
                   '("so noi vu", SNV and "Sở NV" all find Sở Nội vụ).')
@click.option("--doc", default=None, metavar="DOC",
              help="Only the deadlines of this document (number, path or id).")
@click.option("--recurring", is_flag=True,
              help="Only recurring deadlines (hằng năm, hằng quý, định kỳ ...).")
@output_options(extra_formats=["ics"])
def deadlines(db_file: str | None, today, upcoming: int | None, overdue: bool, date_from, date_to,
              agency: str | None, doc: str | None, recurring: bool, fmt: str, limit: int | None) -> None:
    """What is due when: every deadline in the index, soonest first, with the days left.

    \b
    Status: Quá hạn (overdue), Sắp đến hạn (due within 7 days), Còn hạn.
    A recurring deadline is shown at its next occurrence; one whose document prints no date
    ("định kỳ hằng năm") has no date and says so. --format ics writes a calendar to import
    (one all-day event per dated deadline, with a reminder 3 days before):
      danvan deadlines --upcoming 90 --format ics > han.ics
    """
    from .tasks import DeadlineQuery, deadline_rows, to_ics
    db = open_index(db_file)
    q = DeadlineQuery(today=(today.date() if today else dt.date.today()), upcoming=upcoming,
                      overdue=overdue, date_from=date_from.date() if date_from else None,
                      date_to=date_to.date() if date_to else None, agency=agency,
                      doc_id=_doc_id(db, doc), recurring_only=recurring)
    rows = deadline_rows(db, q, limit=limit)
    if fmt == "ics":
        text, skipped = to_ics(rows)
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        if skipped:
            click.echo(f"danvan: {skipped} deadline(s) without a date left out of the calendar", err=True)
        return
    columns = ["date", "days_left", "status", "what", "agency", "to", "number", "doc_type", "section", "raw"]
    if fmt == "table":
        rows = _table_cells(rows, {"what": 70, "agency": 50, "to": 40, "raw": 40})
    emit(rows, fmt, columns=columns, title=f"deadlines (today {q.today.isoformat()})")
    if not rows:
        click.echo("danvan: no deadline matches", err=True)


@cli.command()
@db_option
@click.option("--agency", default=None,
              help='Only assignments of this agency; accents optional, short forms understood '
                   '("so noi vu", SNV, "UBMTTQVN").')
@click.option("--role", default=None,
              help="Only this role: chủ trì, phối hợp, thực hiện, đề nghị, báo cáo (accents optional).")
@click.option("--doc", default=None, metavar="DOC",
              help="Only the assignments of this document (number, path or id).")
@output_options()
def assignments(db_file: str | None, agency: str | None, role: str | None, doc: str | None,
                fmt: str, limit: int | None) -> None:
    """Who is assigned what: the agency, its role (chủ trì, phối hợp, thực hiện, đề nghị,
    báo cáo), its partners and the task, with the document and section it comes from."""
    from .tasks import ROLES, assignment_rows, normalize_role
    wanted = None
    if role:
        wanted = normalize_role(role)
        if wanted is None:
            raise click.BadParameter(f"{role!r} is not a role; use one of: {', '.join(ROLES)}",
                                     param_hint="--role")
    db = open_index(db_file)
    rows = assignment_rows(db, agency=agency, role=wanted, doc_id=_doc_id(db, doc))
    if limit is not None:
        rows = rows[:limit]
    columns = ["agency", "role", "partners", "task", "number", "section"]
    if fmt == "table":
        rows = _table_cells(rows, {"task": 90, "agency": 60})
    emit(rows, fmt, columns=columns, title="assignments")
    if not rows:
        click.echo("danvan: no assignment matches", err=True)



# --- cite (parse.citations, citegraph) ----------------------------------------------------------
@cli.command()
@click.argument("ref", required=False)
@db_option
@click.option("--from", "from_doc", metavar="DOC", default=None,
              help="What DOC (a number, a path or an id) cites, each resolved to the indexed "
                   "document (with its path) or marked missing.")
@click.option("--tree", is_flag=True,
              help="The chain downward: documents citing REF, then documents citing those, and so on.")
@click.option("--up", is_flag=True,
              help="The chain upward: what REF (or --from DOC) cites, then what those cite, and so on.")
@click.option("--depth", type=click.IntRange(min=1), default=None,
              help="How many steps a chain goes (default: all, at most 20). Implies --tree.")
@click.option("--missing", "show_missing", is_flag=True,
              help="Documents cited but not in the index, the most cited first.")
@click.option("--basis", "basis_only", is_flag=True,
              help="Only citations in the opening Căn cứ / Thực hiện paragraphs (the legal basis).")
@output_options(extra_formats=["dot", "mermaid"])
def cite(ref: str | None, db_file: str | None, from_doc: str | None, tree: bool, up: bool,
         depth: int | None, show_missing: bool, basis_only: bool, fmt: str, limit: int | None) -> None:
    """Who cites a document, what a document cites, and the chains between them.

    REF is a document number, typed loosely ("25-NQ/TW", "25/nq-tw", "nq 25"), or an indexed
    document's path or id.

    \b
    danvan cite 25-NQ/TW                 documents citing it, basis or mention, in context
    danvan cite --from 1954/KH-UBND      what that document cites, resolved or missing
    danvan cite 25-NQ/TW --tree          who implements it, and who implements those
    danvan cite 88/KH-UBND --up          what it rests on, and what those rest on
    danvan cite 25-NQ/TW --tree -f dot | dot -Tsvg > chain.svg
    danvan cite --missing                cited but not indexed, the most cited first
    """
    from . import citegraph as cg
    modes = [bool(ref), bool(from_doc), show_missing]
    if sum(modes) != 1:
        raise click.UsageError("give one of REF, --from DOC or --missing")
    db = open_index(db_file)
    graph_fmt = fmt in ("dot", "mermaid")
    try:
        if show_missing:
            if graph_fmt or tree or up or depth:
                raise click.UsageError("--missing lists numbers; it has no chain to draw")
            rows = cg.missing(db, basis_only=basis_only)
            n = emit(rows, fmt, columns=["citing", "occurrences", "number", "type", "date", "issuer",
                                         "indexed", "example"],
                     title="cited but not in the index", limit=limit)
            if not n:
                click.echo("danvan: every cited document is in the index", err=True)
            return
        start = from_doc or ref
        direction = "up" if (from_doc or up) else "down"
        if tree or up or depth or graph_fmt:
            g = cg.chain(db, start, direction=direction, depth=depth if (tree or up or depth) else 1,
                         basis_only=basis_only)
            if fmt == "dot":
                click.echo(cg.to_dot(g), nl=False)
            elif fmt == "mermaid":
                click.echo(cg.to_mermaid(g), nl=False)
            elif fmt == "table":
                from rich.console import Console
                Console().print(cg.to_tree(g))
            else:
                emit(cg.edge_rows(g), fmt, limit=limit)
            if not g.edges:
                click.echo(f"danvan: {start} has no citation {'from' if direction == 'up' else 'to'} "
                           "it in the index", err=True)
            return
        if from_doc:
            doc = cg.one_document(db, from_doc)
            rows = cg.cites_from(db, doc, basis_only=basis_only)
            n = emit(rows, fmt, columns=["number", "type", "date", "issuer", "relation", "status",
                                         "target_path"],
                     title=f"cited by {doc.get('number') or doc['path']}", limit=limit)
            if not n:
                click.echo(f"danvan: {from_doc} cites no numbered document", err=True)
            return
        rows = cg.cited_by(db, ref, basis_only=basis_only)
        columns = ["number", "date", "issuer", "subject", "relation", "context", "path"]
        if len({r["cited"] for r in rows}) > 1:
            columns.insert(4, "cited")
        if len({r["target_path"] for r in rows}) > 1:  # the number names several documents
            columns.insert(-1, "target_path")
        n = emit(rows, fmt, columns=columns, title=f"documents citing {ref}", limit=limit)
        if not n:
            click.echo(f"danvan: no indexed document cites {ref!r}", err=True)
    except cg.CiteError as e:
        raise click.ClickException(str(e)) from None




def main() -> None:  # pragma: no cover - console script entry point
    cli()
