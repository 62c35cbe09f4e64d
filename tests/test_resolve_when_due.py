"""Citation resolution runs when the documents changed since it last ran (schema version 3's
state table), and only then: a re-ingest that changes nothing skips it."""
from __future__ import annotations

import pytest

from danvan_cli import citegraph, index
from danvan_cli.db import connect
from danvan_cli.index import ingest_paths

from conftest import LETTER, PLAN


@pytest.fixture
def counted(monkeypatch):
    calls: list[int] = []
    real = citegraph.resolve_citations
    monkeypatch.setattr(citegraph, "resolve_citations", lambda db: calls.append(1) or real(db))
    return calls


def _pending(db) -> bool:
    return db.conn.execute("SELECT 1 FROM state WHERE key = 'resolve'").fetchone() is not None


@pytest.mark.parametrize("change, resolves", [
    (None, False),                                   # nothing changed: skipped
    ("edit", True),                                  # a changed file replaces its document
    ("add", True),                                   # a new file
    ("copy", False),                                 # a second path of known content: a link only
    ("force", True),                                 # --force parses and writes again
])
def test_resolution_runs_only_after_a_change(tmp_path, counted, change, resolves):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")
    (docs / "letter.txt").write_text(LETTER, encoding="utf-8")
    db = connect(str(tmp_path / "i.db"))
    ingest_paths(db, [str(docs)], progress=False)
    assert counted == [1] and not _pending(db)
    force = False
    if change == "edit":
        (docs / "plan.txt").write_text(PLAN + "\nGhi chú thêm.\n", encoding="utf-8")
    elif change == "add":
        (docs / "new.txt").write_text(LETTER.replace("Số:", "Số: 9", 1), encoding="utf-8")
    elif change == "copy":
        (docs / "copy.txt").write_text(PLAN, encoding="utf-8")
    elif change == "force":
        force = True
    ingest_paths(db, [str(docs)], force=force, progress=False)
    assert counted == ([1, 1] if resolves else [1])
    assert not _pending(db)


def test_a_run_killed_before_resolving_is_resolved_by_the_next(tmp_path, counted):
    """Documents committed without their resolution (the run killed between the two) carry the
    'resolve' state with them: the next run, with nothing new to index, resolves."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")
    db = connect(str(tmp_path / "i.db"))
    real = index._resolve
    index._resolve = lambda d: None   # the kill: documents committed, resolution never run
    try:
        ingest_paths(db, [str(docs)], progress=False)
    finally:
        index._resolve = real
    assert _pending(db) and counted == []
    ingest_paths(db, [str(docs)], progress=False)   # unchanged files
    assert counted == [1] and not _pending(db)


def test_deleting_a_document_makes_resolution_due(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")
    db = connect(str(tmp_path / "i.db"))
    ingest_paths(db, [str(docs)], progress=False)
    assert not _pending(db)
    doc_id = db.conn.execute("SELECT id FROM documents").fetchone()[0]
    db.conn.execute("BEGIN")
    index.delete_document(db, doc_id)
    db.conn.execute("COMMIT")
    assert _pending(db)
