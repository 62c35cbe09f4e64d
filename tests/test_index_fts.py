"""Full-text rows are queued during a write batch and written at its commit (index.FtsQueue):
whatever happens to a document inside the batch, the FTS table ends up holding exactly one row
per indexed document."""
from __future__ import annotations

import sqlite3


from danvan_cli import index
from danvan_cli.db import connect
from danvan_cli.index import WriteBatch, ingest_paths, store_document
from danvan_cli.parse import parse_text
from danvan_cli.query import search

from conftest import LETTER, PLAN


def _fts_consistent(path) -> None:
    conn = sqlite3.connect(path)
    docs = {r[0] for r in conn.execute("SELECT id FROM documents")}
    doc_fts = [r[0] for r in conn.execute("SELECT rowid FROM documents_fts")]
    conn.execute("INSERT INTO documents_fts(documents_fts) VALUES('integrity-check')")
    conn.close()
    assert sorted(doc_fts) == sorted(docs)


def _doc(text: str, sha: str) -> dict:
    d = index.document_dict(parse_text(text))
    d["sha256"] = sha
    return d


def test_rows_wait_for_the_commit_and_then_match(tmp_path):
    db = connect(str(tmp_path / "i.db"))
    db.conn.isolation_level = None
    with WriteBatch(db) as batch:
        store_document(db, _doc(PLAN, "a"), str(tmp_path / "a.txt"), None)
        store_document(db, _doc(LETTER, "b"), str(tmp_path / "b.txt"), None)
        assert db.conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 0
        assert len(batch.queue.docs) == 2
    _fts_consistent(tmp_path / "i.db")
    assert [h["number"] for h in search(db, "dan van chinh quyen")] == ["88/KH-UBND"]


def test_a_document_replaced_inside_the_batch_leaves_one_row(tmp_path):
    # the same content stored twice in one transaction: the second write deletes the first,
    # whose queued rows must go with it (its id may even be reused by the new row)
    db = connect(str(tmp_path / "i.db"))
    db.conn.isolation_level = None
    with WriteBatch(db):
        store_document(db, _doc(PLAN, "a"), str(tmp_path / "a.txt"), None)
        store_document(db, _doc(PLAN, "a"), str(tmp_path / "a.txt"), None)
    _fts_consistent(tmp_path / "i.db")
    assert [h["number"] for h in search(db, "88/KH-UBND")].count("88/KH-UBND") == 1


def test_a_document_that_fails_to_store_leaves_no_queued_rows(tmp_path, monkeypatch):
    db = connect(str(tmp_path / "i.db"))
    db.conn.isolation_level = None
    real = index._link_path

    def link(db_, path, doc_id, st):
        if path.endswith("copy.txt"):
            raise ValueError("refused by the test")
        return real(db_, path, doc_id, st)

    monkeypatch.setattr(index, "_link_path", link)
    with WriteBatch(db) as batch:
        ok, reason = store_document(db, _doc(PLAN, "a"), str(tmp_path / "a.txt"), None,
                                    copies=[(str(tmp_path / "copy.txt"), None)])
        assert ok is None and "refused by the test" in reason
        assert batch.queue.docs == {}
        store_document(db, _doc(LETTER, "b"), str(tmp_path / "b.txt"), None)
    _fts_consistent(tmp_path / "i.db")
    assert db.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_forced_reingest_of_a_folder_keeps_fts_in_step(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "docs" / "letter.txt").write_text(LETTER, encoding="utf-8")
    db = connect(str(tmp_path / "i.db"))
    for force in (False, True, True):
        ingest_paths(db, [str(tmp_path / "docs")], force=force, progress=False)
        _fts_consistent(tmp_path / "i.db")
    assert [h["number"] for h in search(db, "88/KH-UBND")].count("88/KH-UBND") == 1


def test_writing_outside_a_batch_writes_fts_at_once(tmp_path):
    db = connect(str(tmp_path / "i.db"))
    db.conn.isolation_level = None
    db.conn.execute("BEGIN")
    index.write_document(db, _doc(PLAN, "a"), str(tmp_path / "a.txt"), None)
    assert db.conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 1
    db.conn.execute("COMMIT")
    _fts_consistent(tmp_path / "i.db")
