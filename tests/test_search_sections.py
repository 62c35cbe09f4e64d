"""`danvan search` names every section a match is in (``sections``), besides the section of
the snippet (``section``): found in the text at query time, so the index keeps no per-section
full-text table."""
from __future__ import annotations

import pytest

from danvan_cli.db import connect
from danvan_cli.index import ingest_paths
from danvan_cli.normalize import fold_search
from danvan_cli.query import _term_regex, first_match, fts_query, search, sections_at

from conftest import ROOT, SHARED_DOCS

# (section, start, end), ordered by start, parents first
OUTLINE = [("I", 10, 100), ("I.1", 20, 50), ("I.1.a", 25, 40), ("I.2", 50, 100), ("II", 100, 150)]


@pytest.mark.parametrize("positions, expected", [
    ([], []),
    ([5], []),                                # the header: in no section
    ([10], ["I"]),                            # a heading's first character
    ([30], ["I.1.a"]),                        # the innermost holding it
    ([45], ["I.1"]),                          # after I.1.a ended, still in I.1
    ([50], ["I.2"]),                          # one section ends where the next begins
    ([99, 100], ["I.2", "II"]),
    ([120, 30, 121, 35], ["II", "I.1.a"]),    # once each, in the order first reached
    ([150, 500], []),                         # after the last section: the closing
])
def test_sections_at(positions, expected):
    assert sections_at(OUTLINE, positions) == expected


def test_a_section_opening_where_its_parent_does_is_the_innermost():
    assert sections_at([("II", 0, 50), ("II.1", 0, 20)], [5, 30]) == ["II.1", "II"]


def _folders() -> list[str]:
    out = [str(ROOT / "corpus")]
    if SHARED_DOCS.is_dir():
        out.append(str(SHARED_DOCS))
    return out


@pytest.fixture(scope="module")
def real_index(tmp_path_factory):
    db = connect(str(tmp_path_factory.mktemp("s") / "i.db"))
    ingest_paths(db, _folders(), progress=False)
    return db


@pytest.mark.parametrize("query", ["báo cáo", "dân vận", "kiem tra", "UBND", '"dân chủ ở cơ sở"'])
def test_every_match_is_in_a_listed_section(real_index, query):
    """Against the plain reading: each match's innermost section asked of SQLite on its own."""
    conn = real_index.conn
    hits = search(real_index, query, limit=50)
    assert hits, query
    listed = 0
    for h in hits:
        text = conn.execute("SELECT text FROM documents WHERE id = ?", [h["id"]]).fetchone()[0]
        folded = fold_search(text)
        pattern, first = first_match(folded, _term_regex(fts_query(query)[1]))

        def innermost(pos: int) -> str | None:
            r = conn.execute("SELECT section FROM sections WHERE doc_id = ? AND start <= ? AND end > ? "
                             "ORDER BY level DESC, start DESC LIMIT 1", [h["id"], pos, pos]).fetchone()
            return r[0] if r else None
        want: list[str] = []
        for m in pattern.finditer(folded):
            s = innermost(m.start())
            if s and s not in want:
                want.append(s)
        assert h["sections"] == want, (query, h["number"])
        assert h["section"] == innermost(first.start())   # where the snippet is
        assert h["section"] is None or h["section"] in h["sections"]
        listed += len(h["sections"])
    assert listed, f"{query}: no match inside a section in any document"
