"""Opening the index: one connection setup for writers and readers alike."""
from __future__ import annotations

import os
import sqlite3

import sqlite_utils

from .schema import SchemaError, ensure_schema

DEFAULT_DB = "danvan.db"


def db_path(path: str | None) -> str:
    return path or os.environ.get("DANVAN_DB") or DEFAULT_DB


def connect(path: str, create: bool = True) -> sqlite_utils.Database:
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
        ensure_schema(conn)
    except sqlite3.DatabaseError as e:
        raise SchemaError(f"{path} is not a usable SQLite index: {e}") from None
    return sqlite_utils.Database(conn)
