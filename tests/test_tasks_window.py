"""The SQL date window of `danvan deadlines` only narrows what the Python filters see: the
answer is the same with and without it."""
import datetime as dt
import itertools

import pytest
from click.testing import CliRunner

from danvan_cli import tasks
from danvan_cli.cli import cli
from danvan_cli.db import connect

from conftest import CORPUS


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("w") / "w.db"
    CliRunner().invoke(cli, ["ingest", str(CORPUS), "--db", str(db), "-q"])
    return connect(str(db))


QUERIES = [dict(upcoming=u, overdue=o, date_from=f, date_to=t)
           for u, o, f, t in itertools.product(
               [None, 0, 30, 400], [False, True],
               [None, dt.date(2026, 1, 1)], [None, dt.date(2026, 12, 31)])]


@pytest.mark.parametrize("kw", QUERIES, ids=str)
def test_window_changes_nothing(corpus_db, monkeypatch, kw):
    q = tasks.DeadlineQuery(today=dt.date(2026, 11, 23), **kw)
    narrowed = tasks.deadline_rows(corpus_db, q)
    monkeypatch.setattr(tasks, "_window", lambda q: (None, None))
    full = tasks.deadline_rows(corpus_db, q)
    assert [r["id"] for r in narrowed] == [r["id"] for r in full]
    assert full or not (kw["upcoming"] or kw["overdue"])


@pytest.mark.parametrize("limit", [0, 1, 3, 10, 1000])
@pytest.mark.parametrize("kw", [dict(), dict(overdue=True), dict(upcoming=60), dict(upcoming=400, overdue=True)], ids=str)
def test_limit_is_the_head_of_the_full_answer(corpus_db, kw, limit):
    q = tasks.DeadlineQuery(today=dt.date(2026, 11, 23), **kw)
    full = tasks.deadline_rows(corpus_db, q)
    head = tasks.deadline_rows(corpus_db, q, limit=limit)
    assert [(r["id"], r["also_in"]) for r in head] == [(r["id"], r["also_in"]) for r in full[:limit]]
