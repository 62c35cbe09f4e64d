import sqlite3

import pytest

from danvan_cli.db import connect
from danvan_cli.schema import FTS, FTS_TOKENIZER, INDEXES, SCHEMA_VERSION, TABLES, VIEWS, SchemaError, ensure_schema


def test_schema_applies_idempotently(tmp_path):
    path = tmp_path / "x.db"
    db = connect(str(path))
    ensure_schema(db.conn)
    ensure_schema(db.conn)
    names = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master")}
    assert set(TABLES) | set(FTS) | set(VIEWS) | {i for i, _, _ in INDEXES} <= names
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_keys_cascade(tmp_path):
    db = connect(str(tmp_path / "x.db"))
    c = db.conn
    c.execute("INSERT INTO documents (id, sha256, path, parser_version, indexed_at, json) "
              "VALUES (1, 'a', 'p', 1, 'now', '{}')")
    c.execute("INSERT INTO deadlines (doc_id, date) VALUES (1, '2025-01-01')")
    c.execute("DELETE FROM documents WHERE id = 1")
    assert c.execute("SELECT count(*) FROM deadlines").fetchone()[0] == 0
    with pytest.raises(sqlite3.IntegrityError):
        c.execute("INSERT INTO deadlines (doc_id, date) VALUES (99, '2025-01-01')")


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaError, match="newer"):
        connect(str(path))


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE documents (x)")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaError, match="not a danvan index"):
        connect(str(path))


def test_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(SchemaError, match="not a usable SQLite index"):
        connect(str(path))


# The deadline_list view as versions 1 to 3 declared it (no uid).
_OLD_DEADLINE_LIST = """CREATE VIEW deadline_list AS
        SELECT dl.id, dl.date, dl.precision, dl.recurring, dl.what, dl.agency, dl.to_agency,
               dl.raw, dl.section, d.id AS doc_id, d.number, d.doc_type, d.issuer, d.date AS doc_date,
               d.subject, d.path
        FROM deadlines dl JOIN documents d ON d.id = dl.doc_id"""


def older_index(path: str, version: int) -> None:
    """Make the index at ``path`` (written now, documents and all) the shape ``version`` had."""
    from danvan_cli.db import connect
    connect(path).conn.close()
    conn = sqlite3.connect(path)
    if version <= 3:   # 4 added deadlines.uid, dropped sections_fts and sections.title
        conn.execute("ALTER TABLE sections ADD COLUMN title TEXT")
        conn.execute("UPDATE sections SET title = heading")
        conn.execute("DROP VIEW deadline_list")
        conn.execute("ALTER TABLE deadlines DROP COLUMN uid")
        conn.execute(_OLD_DEADLINE_LIST)
        conn.execute(f'CREATE VIRTUAL TABLE sections_fts USING fts5(heading, body, tokenize="{FTS_TOKENIZER}")')
        conn.execute("INSERT INTO sections_fts (rowid, heading, body) SELECT id, heading, '' FROM sections")
    if version <= 2:   # 3 added the resolve queue
        conn.execute("DROP TABLE resolve_queue")
    if version <= 1:   # 2 added idx_deadlines_recurring
        conn.execute("DROP INDEX idx_deadlines_recurring")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_a_version_1_index_is_migrated_with_its_documents(tmp_path):
    """Version 2 added idx_deadlines_recurring; a version-1 file gains it and keeps its rows."""
    from danvan_cli.db import connect
    path = str(tmp_path / "v1.db")
    conn = connect(path).conn
    conn.execute("INSERT INTO failures (path, error, failed_at) VALUES ('a.pdf', 'x', 'now')")
    conn.commit()
    conn.close()
    older_index(path, 1)
    conn = connect(path).conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'idx_deadlines_recurring'").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM failures").fetchone()[0] == 1


def test_a_version_2_index_is_migrated_and_resolves_on_its_next_ingest(tmp_path, monkeypatch):
    """Version 3 added the resolve queue. Whether a version-2 run got to resolve its citations
    is not known, so the migrated index queues every key."""
    from danvan_cli import citegraph
    from danvan_cli.db import connect
    from danvan_cli.index import ingest_paths
    path = str(tmp_path / "v2.db")
    older_index(path, 2)
    db = connect(path)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    from danvan_cli.schema import ALL_KEYS
    assert db.conn.execute("SELECT number_key FROM resolve_queue").fetchall() == [(ALL_KEYS,)]
    calls = []
    real = citegraph.resolve_citations
    monkeypatch.setattr(citegraph, "resolve_citations", lambda d, keys=None: calls.append(keys) or real(d, keys))
    (tmp_path / "docs").mkdir()
    ingest_paths(db, [str(tmp_path / "docs")], progress=False)   # nothing to index
    assert calls == [None]   # every key
    assert db.conn.execute("SELECT count(*) FROM resolve_queue").fetchone()[0] == 0


def test_a_version_3_index_gains_the_uids_a_new_index_writes(tmp_path, capsys):
    """Version 4 stores each deadline's uid and drops sections_fts. A version-3 index gets
    every uid computed as ingest now writes it, and `deadlines` answers as before."""
    import shutil
    from pathlib import Path

    from click.testing import CliRunner

    from danvan_cli.cli import cli
    from danvan_cli.index import ingest_paths
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    new, old = str(tmp_path / "new.db"), str(tmp_path / "v3.db")
    db = connect(new)
    ingest_paths(db, [str(corpus)], progress=False)
    db.conn.close()   # the WAL into the file, before it is copied
    assert capsys.readouterr().err == ""   # a new index: nothing to say
    want = sqlite3.connect(new).execute("SELECT id, uid FROM deadlines ORDER BY id").fetchall()
    sections = sqlite3.connect(new).execute("SELECT * FROM sections ORDER BY id").fetchall()
    assert want and all(u for _, u in want)
    shutil.copy(new, old)
    older_index(old, 3)
    conn = sqlite3.connect(old)
    assert "uid" not in {r[1] for r in conn.execute("PRAGMA table_info(deadlines)")}
    conn.close()
    db = connect(old)
    assert "upgrading the index from schema version 3 to" in capsys.readouterr().err
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.conn.execute("SELECT id, uid FROM deadlines ORDER BY id").fetchall() == want
    assert db.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sections_fts'").fetchone()[0] == 0
    assert "title" not in {r[1] for r in db.conn.execute("PRAGMA table_info(sections)")}
    assert db.conn.execute("SELECT * FROM sections ORDER BY id").fetchall() == sections
    assert {u for (u,) in db.conn.execute("SELECT uid FROM deadline_list")} == {u for _, u in want}
    args = ["deadlines", "--today", "2026-01-01", "--format", "json"]
    answers = [CliRunner().invoke(cli, [*args, "--db", p]) for p in (new, old)]
    assert answers[0].exit_code == 0 and answers[0].output == answers[1].output


def test_sqlite_utils_sees_the_same_index_when_asked(tmp_path):
    """Commands work on the connection alone (sqlite-utils costs 0.1 s to import); Python
    callers get sqlite-utils' Database over that connection, with what was written."""
    import sys
    import subprocess

    from danvan_cli.index import ingest_paths
    from pathlib import Path
    path = str(tmp_path / "u.db")
    db = connect(path)
    ingest_paths(db, [str(Path(__file__).resolve().parent.parent / "corpus")], progress=False)
    n = db.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert n and db.utils["documents"].count == n
    assert set(TABLES) <= set(db.utils.table_names())
    assert db.utils.conn is db.conn
    # a query command never imports it
    code = ("import sys; from danvan_cli.cli import cli\n"
            "try: cli(['deadlines', '--db', sys.argv[1], '--format', 'json'])\n"
            "except SystemExit: pass\n"
            "assert 'sqlite_utils' not in sys.modules, 'imported'")
    res = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-500:]
