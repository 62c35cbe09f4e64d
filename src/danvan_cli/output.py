"""Output of every query command: one decorator for the options, one function to write rows.

Rows are dicts. A terminal gets a rich table; a pipe gets JSON Lines unless ``--format`` says
otherwise. Messages never go to stdout.
"""
from __future__ import annotations

import csv
import functools
import json
import sys
from typing import Any, Callable, Iterable, Sequence

import click
import orjson

FORMATS = ["table", "json", "jsonl", "csv", "tsv"]


def output_options(extra_formats: Sequence[str] = ()) -> Callable:
    """Add ``--format`` (and ``--json``/``--csv`` style shortcuts are deliberately absent: one
    spelling) to a query command. ``extra_formats`` are command-specific (ics, dot, mermaid)."""
    choices = FORMATS + list(extra_formats)

    def decorator(fn: Callable) -> Callable:
        @click.option("-f", "--format", "fmt", type=click.Choice(choices), default=None,
                      help="Output format: " + ", ".join(choices)
                      + ". Default: table on a terminal, jsonl when piped.")
        @click.option("--limit", type=click.IntRange(min=0), default=None,
                      help="Show at most this many rows.")
        @functools.wraps(fn)
        def wrapper(*args: Any, fmt: str | None, limit: int | None, **kwargs: Any) -> Any:
            return fn(*args, fmt=resolve_format(fmt), limit=limit, **kwargs)
        return wrapper
    return decorator


def resolve_format(fmt: str | None) -> str:
    if fmt:
        return fmt
    return "table" if sys.stdout.isatty() else "jsonl"


# A row is one compact JSON object (no spaces after "," and ":", the form of JSON Lines tools).
# orjson writes it as UTF-8 bytes, twice as fast as json's C encoder: a month of deadlines at
# 20,000 documents is 3,000 rows and 2.5 MB. json, configured to write the same bytes, takes
# what orjson refuses (integers beyond 64 bits, lone surrogates).
_ROW_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS


def row_json(row: dict) -> bytes:
    """One row as compact UTF-8 JSON."""
    try:
        return orjson.dumps(row, option=_ORJSON_OPTIONS)
    except (orjson.JSONEncodeError, TypeError):
        return _ROW_JSON.encode(row).encode("utf-8", "replace")


def _write_bytes(out, data: bytes) -> None:
    """``data`` to a text stream, through its byte buffer when it has one (no decode)."""
    buf = getattr(out, "buffer", None)
    if buf is None:
        out.write(data.decode("utf-8"))
        return
    out.flush()  # what was written as text comes first
    buf.write(data)
    buf.flush()


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def emit(rows: Iterable[dict], fmt: str, columns: Sequence[str] | None = None,
         title: str | None = None, limit: int | None = None,
         styles: dict[str, str] | None = None) -> int:
    """Write rows in ``fmt``; return how many were written. ``columns`` picks and orders the
    table/CSV columns (JSON keeps every key)."""
    rows = list(rows)
    if limit is not None:
        rows = rows[:limit]
    out = sys.stdout
    if fmt == "json":
        # One array, a row per line (an indented dump runs json's pure-Python encoder, a few
        # writes per value: it was most of a 3,000-row answer's time).
        _write_bytes(out, b"[\n" + b",\n".join(map(row_json, rows)) + b"\n]\n" if rows else b"[]\n")
    elif fmt == "jsonl":
        _write_bytes(out, b"".join([row_json(r) + b"\n" for r in rows]))
    elif fmt in ("csv", "tsv"):
        cols = list(columns or (rows[0].keys() if rows else []))
        w = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in cols])
    elif fmt == "table":
        from rich.console import Console
        from rich.table import Table
        cols = list(columns or (rows[0].keys() if rows else []))
        table = Table(title=title, show_lines=False, header_style="bold")
        cells = [[_cell(r.get(c)) for c in cols] for r in rows]
        for i, c in enumerate(cols):
            widest = max([len(c)] + [len(row[i]) for row in cells])
            # short values (dates, numbers, days) keep their line; prose shares what is left
            if widest <= 16:
                table.add_column(c, style=(styles or {}).get(c), no_wrap=True, min_width=widest)
            else:
                table.add_column(c, style=(styles or {}).get(c), overflow="fold",
                                 ratio=min(widest, 60) // 10 + 1, min_width=8)
        for row in cells:
            table.add_row(*row)
        Console().print(table)
    else:
        raise click.UsageError(f"format {fmt} is not available for this command")
    return len(rows)
