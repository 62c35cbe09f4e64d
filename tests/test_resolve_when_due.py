"""Citation resolution runs for the number keys whose documents or citations changed since it
last ran (schema version 3's resolve_queue), and only then: a re-ingest that changes nothing
skips it, and resolving the queued keys alone gives what resolving every key gives."""
from __future__ import annotations

import random

import pytest

from danvan_cli import citegraph, index
from danvan_cli.db import connect
from danvan_cli.index import ingest_paths
from danvan_cli.parse import parse_text

from conftest import LETTER, PLAN
from test_cite_cli import DOCS


@pytest.fixture
def counted(monkeypatch):
    calls: list[int] = []
    real = citegraph.resolve_citations
    monkeypatch.setattr(citegraph, "resolve_citations", lambda db, keys=None: calls.append(1) or real(db, keys))
    return calls


def _pending(db) -> bool:
    return db.conn.execute("SELECT 1 FROM resolve_queue").fetchone() is not None


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
    """Documents committed without their resolution (the run killed between the two) carry their
    queued keys with them: the next run, with nothing new to index, resolves."""
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


def _write(db, name: str, text: str, number: str, date: str, issuer: str, place: str, fmt: str) -> None:
    d = parse_text(text, source=name).to_dict(with_text=True)
    d.update(number=number, symbol=number.split("/", 1)[1], date=date, issuer=issuer, place=place, format=fmt,
             sha256=f"{name}:{number}:{date}:{issuer}")
    index.write_document(db, d, name, None)


@pytest.mark.parametrize("seed", range(6))
def test_resolving_the_queued_keys_gives_what_resolving_every_key_gives(tmp_path, seed):
    """Documents of the cite tests (one number in two provinces, copies, a document citing
    another) come and go in a random order; after each step the queued keys are resolved, and
    resolving every key from scratch then changes nothing."""
    rnd = random.Random(seed)
    db = connect(str(tmp_path / "i.db"))
    db.conn.isolation_level = None
    present: set[int] = set()
    most_targets = 0
    for step in range(24):
        i = rnd.randrange(len(DOCS))
        name, text, number, date, issuer, place, fmt = DOCS[i]
        db.conn.execute("BEGIN")
        if i in present and rnd.random() < 0.5:   # the file removed: its document goes
            doc_id = db.conn.execute("SELECT doc_id FROM files WHERE path = ?", [name]).fetchone()[0]
            db.conn.execute("DELETE FROM files WHERE path = ?", [name])
            index._drop_if_orphan(db, doc_id)
            present.discard(i)
        else:                                      # added, or changed (another date)
            if i in present:
                date = date[:-2] + f"{rnd.randrange(1, 28):02d}"
            _write(db, name, text, number, date, issuer, place, fmt)
            present.add(i)
        db.conn.execute("COMMIT")
        index._resolve(db)
        assert not _pending(db)
        db.conn.execute("BEGIN")
        assert citegraph.resolve_citations(db) == 0, f"step {step}: the queued keys missed a change"
        db.conn.execute("ROLLBACK")
        most_targets = max(most_targets, db.conn.execute(
            "SELECT count(*) FROM citations WHERE target_id IS NOT NULL").fetchone()[0])
    assert most_targets > 0   # the steps did tie citations to documents
