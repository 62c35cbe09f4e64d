"""The index's shape, declared as data and applied idempotently by ``ensure_schema``.

Version history (PRAGMA user_version):
  1  first release: documents, files, sections, citations, assignments, deadlines, recipients,
     footnotes, failures, FTS over folded document and section text, views.
  2  idx_deadlines_recurring: dated deadline queries read recurring deadlines by index, not
     by a scan of every deadline (15 ms warm, half a second cold, at 20,000 documents).
  3  resolve_queue: the number keys whose documents or citations changed since citations
     were last resolved, written with each change. Resolution works through those alone and
     an ingest that changed nothing skips it (at 20,000 documents it took 0.46 s of a no-op
     re-ingest's 0.78 s, every run).
  4  deadlines.uid, the deadline's stable identity (keys.deadline_uid), made at parse time:
     a month of deadlines at 20,000 documents is 3,000 rows, and hashing them at query time
     was a tenth of the answer. sections_fts is gone: no command read it, and it cost 4% of
     an ingest's CPU and a sixth of the index (search finds a match's sections in the text).
     So is sections.title, the heading again without its label (the JSON keeps it): writing
     its bytes was 3% of an ingest's CPU.

An index written by a newer danvan is refused; an older one is migrated by the steps in
``MIGRATIONS`` (version 0 means a new, empty file), and one that no listed step
leads from is refused too: an index is never read with a shape it does not have. Creating and
migrating run in one transaction, so a kill in the middle leaves the file as it was.
"""
from __future__ import annotations

import sqlite3
from typing import Callable

SCHEMA_VERSION = 4
# In resolve_queue: resolve every number key (no number key has this form: keys.number_key
# removes spaces).
ALL_KEYS = "* all *"

# Columns are (name, SQL type and constraints). Child tables reference documents(id) with
# ON DELETE CASCADE, so replacing a document is one DELETE and the inserts.
TABLES: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("id", "INTEGER PRIMARY KEY"),
        ("sha256", "TEXT NOT NULL UNIQUE"),       # identity: the file's content
        ("path", "TEXT NOT NULL"),                # first path it was indexed from
        ("format", "TEXT"),
        ("kind", "TEXT"),
        ("doc_type", "TEXT"),
        ("number", "TEXT"),
        ("number_key", "TEXT"),                   # keys.number_key(number)
        ("symbol", "TEXT"),
        ("issuer", "TEXT"),
        ("place", "TEXT"),
        ("date", "TEXT"),
        ("year", "INTEGER"),
        ("subject", "TEXT"),
        ("title", "TEXT"),
        ("author", "TEXT"),
        ("addressees", "TEXT"),                   # JSON list
        ("signer_name", "TEXT"),
        ("signer_title", "TEXT"),
        ("signer_authority", "TEXT"),
        ("signer_on_behalf", "TEXT"),
        ("warnings", "TEXT"),                     # JSON list
        ("metadata", "TEXT"),                     # JSON object
        ("parser_version", "INTEGER NOT NULL"),
        ("indexed_at", "TEXT NOT NULL"),
        ("text", "TEXT"),                         # normalized text: spans index it
        ("json", "TEXT NOT NULL"),                # the document in the SCHEMA.md shape
    ],
    "files": [                                    # every path seen, pointing at its content
        ("path", "TEXT PRIMARY KEY"),
        ("doc_id", "INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE"),
        ("size", "INTEGER"),
        ("mtime", "REAL"),
        ("seen_at", "TEXT NOT NULL"),
    ],
    "sections": [
        ("id", "INTEGER PRIMARY KEY"),
        ("doc_id", "INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE"),
        ("section", "TEXT NOT NULL"),             # "II.3"
        ("parent", "TEXT"),
        ("level", "INTEGER"),
        ("label", "TEXT"),
        ("heading", "TEXT"),                      # (its title without the label: in the JSON)
        ("kind", "TEXT"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
    ],
    "citations": [
        ("id", "INTEGER PRIMARY KEY"),
        ("doc_id", "INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE"),
        ("type", "TEXT"),
        ("number", "TEXT NOT NULL"),
        ("number_key", "TEXT NOT NULL"),
        ("cite_key", "TEXT"),                     # parse.citations canonical key
        ("date", "TEXT"),
        ("issuer", "TEXT"),
        ("subject", "TEXT"),
        ("basis", "INTEGER NOT NULL DEFAULT 0"),  # 1: in the Căn cứ / Thực hiện opening
        ("section", "TEXT"),
        ("in_footnote", "INTEGER NOT NULL DEFAULT 0"),
        ("occurrences", "INTEGER NOT NULL DEFAULT 1"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("context", "TEXT"),
        ("target_id", "INTEGER REFERENCES documents(id) ON DELETE SET NULL"),  # resolved
    ],
    "assignments": [
        ("id", "INTEGER PRIMARY KEY"),
        ("doc_id", "INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE"),
        ("agency", "TEXT NOT NULL"),
        ("agency_key", "TEXT"),
        ("role", "TEXT"),
        ("partners", "TEXT"),                     # JSON list
        ("task", "TEXT"),
        ("section", "TEXT"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
    ],
    "deadlines": [
        ("id", "INTEGER PRIMARY KEY"),
        ("doc_id", "INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE"),
        ("date", "TEXT"),                         # ISO; NULL for relative or undated recurring
        ("precision", "TEXT"),
        ("raw", "TEXT"),
        ("what", "TEXT"),
        ("agency", "TEXT"),
        ("agency_key", "TEXT"),
        ("to_agency", "TEXT"),                    # the JSON's "to"
        ("recurring", "TEXT"),
        ("relative", "TEXT"),
        ("section", "TEXT"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("uid", "TEXT"),                          # keys.deadline_uid: the same in every copy
    ],
    "recipients": [
        ("id", "INTEGER PRIMARY KEY"),
        ("doc_id", "INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE"),
        ("position", "INTEGER NOT NULL"),
        ("text", "TEXT NOT NULL"),
    ],
    "footnotes": [
        ("id", "INTEGER PRIMARY KEY"),
        ("doc_id", "INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE"),
        ("mark", "TEXT"),
        ("text", "TEXT"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
    ],
    "failures": [                                 # the log of files that could not be indexed
        ("id", "INTEGER PRIMARY KEY"),
        ("path", "TEXT NOT NULL"),
        ("sha256", "TEXT"),
        ("error", "TEXT NOT NULL"),
        ("failed_at", "TEXT NOT NULL"),
    ],
    "resolve_queue": [                            # number keys whose citations wait to be resolved
        ("number_key", "TEXT PRIMARY KEY"),       # ALL_KEYS: every key
    ],
}

INDEXES: list[tuple[str, str, list[str]]] = [
    ("idx_documents_number_key", "documents", ["number_key"]),
    ("idx_documents_date", "documents", ["date"]),
    ("idx_files_doc", "files", ["doc_id"]),
    ("idx_sections_doc", "sections", ["doc_id"]),
    ("idx_citations_doc", "citations", ["doc_id"]),
    ("idx_citations_number_key", "citations", ["number_key"]),
    ("idx_citations_target", "citations", ["target_id"]),
    ("idx_assignments_doc", "assignments", ["doc_id"]),
    ("idx_assignments_agency_key", "assignments", ["agency_key"]),
    ("idx_deadlines_doc", "deadlines", ["doc_id"]),
    ("idx_deadlines_date", "deadlines", ["date"]),
    ("idx_deadlines_agency_key", "deadlines", ["agency_key"]),
    ("idx_deadlines_recurring", "deadlines", ["recurring", "date"]),
    ("idx_recipients_doc", "recipients", ["doc_id"]),
    ("idx_footnotes_doc", "footnotes", ["doc_id"]),
    ("idx_failures_path", "failures", ["path"]),
]

# Full-text search over text folded by normalize.fold_search (no diacritics, đ -> d), so a
# query typed without accents matches; rowid = documents.id.
FTS: dict[str, list[str]] = {
    "documents_fts": ["title", "body"],
}
FTS_TOKENIZER = "unicode61 remove_diacritics 2 tokenchars '-/.'"

VIEWS: dict[str, str] = {
    # One row per deadline with the document it comes from.
    "deadline_list": """
        SELECT dl.id, dl.date, dl.precision, dl.recurring, dl.what, dl.agency, dl.to_agency,
               dl.raw, dl.section, dl.uid, d.id AS doc_id, d.number, d.doc_type, d.issuer, d.date AS doc_date,
               d.subject, d.path
        FROM deadlines dl JOIN documents d ON d.id = dl.doc_id""",
    # Citation edges: who cites what, resolved target when the cited document is indexed.
    "citation_edges": """
        SELECT c.doc_id AS from_id, f.number AS from_number, c.number, c.type, c.date, c.issuer,
               c.basis, c.target_id AS to_id, t.number AS to_number, t.path AS to_path
        FROM citations c JOIN documents f ON f.id = c.doc_id
        LEFT JOIN documents t ON t.id = c.target_id""",
    # The latest failure of each path that is not indexed now.
    "failed_files": """
        SELECT f.path, f.error, f.failed_at FROM failures f
        WHERE f.id = (SELECT max(id) FROM failures g WHERE g.path = f.path)
          AND f.path NOT IN (SELECT path FROM files)""",
}


class SchemaError(Exception):
    """The index cannot be used by this version of danvan (message for the user)."""


def _table_sql(name: str, cols: list[tuple[str, str]]) -> str:
    body = ",\n  ".join(f'"{c}" {t}' for c, t in cols)
    return f'CREATE TABLE IF NOT EXISTS "{name}" (\n  {body}\n)'


def schema_statements() -> list[str]:
    stmts = [_table_sql(n, cols) for n, cols in TABLES.items()]
    stmts += [f'CREATE INDEX IF NOT EXISTS "{i}" ON "{t}" ({", ".join(cols)})' for i, t, cols in INDEXES]
    stmts += [f"CREATE VIRTUAL TABLE IF NOT EXISTS \"{n}\" USING fts5({', '.join(cols)}, tokenize=\"{FTS_TOKENIZER}\")"
              for n, cols in FTS.items()]
    stmts += [f'CREATE VIEW IF NOT EXISTS "{n}" AS {sql.strip()}' for n, sql in VIEWS.items()]
    return stmts


def _fill_deadline_uids(conn: sqlite3.Connection) -> None:
    from .keys import DEADLINE_KEY, deadline_uid
    rows = conn.execute(f"SELECT dl.id, {', '.join(DEADLINE_KEY)} FROM deadlines dl "
                        "JOIN documents d ON d.id = dl.doc_id")
    conn.executemany("UPDATE deadlines SET uid = ? WHERE id = ?", ((deadline_uid(r[1:]), r[0]) for r in rows))


# From version N to N+1: MIGRATIONS[N] is the list of steps, each an SQL statement or a function
# of the connection (an empty list for a step that only adds tables, indexes or views:
# schema_statements creates those). A step missing here means an index of that version cannot
# be migrated, and is refused.
MIGRATIONS: dict[int, list[str | Callable[[sqlite3.Connection], None]]] = {
    1: [],  # 1 -> 2 adds an index only
    # 2 -> 3: the queue, with every key in it (whether the last run resolved is not known)
    2: [_table_sql("resolve_queue", TABLES["resolve_queue"]),
        f"INSERT OR IGNORE INTO resolve_queue (number_key) VALUES ('{ALL_KEYS}')"],
    # 3 -> 4: the uid of every deadline; the section FTS table and sections.title dropped; the
    # view remade with uid
    3: ["ALTER TABLE deadlines ADD COLUMN uid TEXT", _fill_deadline_uids,
        "DROP TABLE IF EXISTS sections_fts", "DROP VIEW IF EXISTS deadline_list",
        "ALTER TABLE sections DROP COLUMN title"],
}


def _version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _refusal(conn: sqlite3.Connection, version: int) -> str | None:
    """Why an index of ``version`` cannot be brought to SCHEMA_VERSION, or None."""
    if version > SCHEMA_VERSION:
        return (f"index schema version {version} is newer than this danvan understands "
                f"({SCHEMA_VERSION}); upgrade danvan or index into a new file")
    if version == 0:
        if conn.execute("SELECT count(*) FROM sqlite_master WHERE name='documents'").fetchone()[0]:
            return ("not a danvan index (it has a documents table but no schema version); "
                    "index into a new file")
        return None
    missing = [v for v in range(version, SCHEMA_VERSION) if v not in MIGRATIONS]
    if missing:
        return (f"index schema version {version} is from an older danvan and cannot be migrated "
                f"to version {SCHEMA_VERSION}; index your folders again into a new file")
    return None


def _missing_tables(conn: sqlite3.Connection) -> list[str]:
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    return [t for t in [*TABLES, *FTS, *VIEWS] if t not in have]


def ensure_schema(conn: sqlite3.Connection, notify: Callable[[str], None] | None = None) -> None:
    """Create or migrate the schema; refuse an index from a newer danvan, an older one no
    migration leads from, and a damaged one. ``notify`` hears, before it starts, of a
    migration (seconds on a large index, once)."""
    version = _version(conn)
    if version == SCHEMA_VERSION:
        missing = _missing_tables(conn)
        if missing:
            raise SchemaError(f"the index is damaged: missing {', '.join(missing)}; "
                              "index into a new file")
        return
    problem = _refusal(conn, version)
    if problem:
        raise SchemaError(problem)
    if conn.in_transaction:
        conn.commit()
    # One write transaction: another process creating the same index waits here, then finds
    # the work done; a kill leaves no half-made schema behind.
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _version(conn)
        if version != SCHEMA_VERSION:
            problem = _refusal(conn, version)
            if problem:
                raise SchemaError(problem)
            if version and notify:  # (0: a new file)
                notify(f"upgrading the index from schema version {version} to {SCHEMA_VERSION} "
                       "(once; a large index takes some seconds)")
            for v in range(version, SCHEMA_VERSION) if version else ():
                for step in MIGRATIONS[v]:
                    if callable(step):
                        step(conn)
                    else:
                        conn.execute(step)
            for stmt in schema_statements():
                conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
