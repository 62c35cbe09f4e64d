"""The command line: a thin layer over the library modules.

Each command parses its options, calls one library function and hands rows to ``output.emit``.
Errors the user can act on are ``click.ClickException`` (one line, exit 1); usage errors exit 2.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys

import click

from . import __version__
from .db import connect, db_path
from .output import emit, output_options, resolve_format
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    from .parse import parse_file
    from .readers import ReadError
    failed = 0
    pretty = indent if indent is not None else (len(files) == 1 and sys.stdout.isatty())
    for path in files:
        try:
            doc = parse_file(path)
        except ReadError as e:
            click.echo(f"danvan: {path}: {e}", err=True)
            failed += 1
            continue
        d = doc.to_dict(with_text=with_text)
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
        spans = [(c["span"][0], c["span"][1], "bold reverse") for c in d.get("citations", [])
                 for _ in [0] if c.get("span")]
        spans += [tuple(s) for s in d.get("citation_spans", [])]
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


# --- cite (parse.citations, citegraph) ----------------------------------------------------------


def main() -> None:  # pragma: no cover - console script entry point
    cli()
