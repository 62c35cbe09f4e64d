"""Opening the index: one connection setup for writers and readers alike."""
from __future__ import annotations

import functools
import os
import sqlite3
import sys
from typing import TYPE_CHECKING

from .schema import SchemaError, ensure_schema

if TYPE_CHECKING:
    import sqlite_utils

DEFAULT_DB = "danvan.db"


def db_path(path: str | None) -> str:
    return path or os.environ.get("DANVAN_DB") or DEFAULT_DB


class Index:
    """An open index: the sqlite3 connection (``conn``) every danvan function works through.

    ``utils`` is sqlite-utils' ``Database`` over the same connection, for Python callers who
    want its API (``db.utils["deadlines"].rows_where(...)``). It is made on first use:
    importing sqlite-utils and loading its plugins took 0.1 s, a third of a query command's
    start-up and more than the query, and no command needs it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @functools.cached_property
    def utils(self) -> "sqlite_utils.Database":
        import sqlite_utils
        return sqlite_utils.Database(self.conn)


def connect(path: str, create: bool = True) -> Index:
    """Open (and create or migrate) the index. WAL lets readers query while an ingest writes.

    Raises SchemaError for a file that is not a usable danvan index; FileNotFoundError when
    ``create`` is false and there is no index yet.
    """
    if not create and not os.path.exists(path):
        raise FileNotFoundError(f"no index at {path}: run `danvan ingest PATH` first (or give --db)")
    try:
        conn = sqlite3.connect(path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        ensure_schema(conn, notify=lambda msg: print(f"danvan: {path}: {msg}", file=sys.stderr))
    except sqlite3.DatabaseError as e:
        raise SchemaError(f"{path} is not a usable SQLite index: {e}") from None
    return Index(conn)
