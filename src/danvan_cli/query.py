"""Reading the index: finding a document, full-text search, export and statistics."""
from __future__ import annotations

import bisect
import json
import os
from typing import TYPE_CHECKING, Iterator

import regex as re

from .keys import number_key
from .normalize import fold_search

if TYPE_CHECKING:
    from .db import Index


class DocumentNotFound(Exception):
    pass


class AmbiguousDocument(Exception):
    pass


def _describe(row: dict) -> str:
    return f"#{row['id']} {row.get('number') or '(no number)'} {row.get('date') or ''} {row['path']}".strip()


def find_document(db: Index, ref: str) -> dict:
    """The document a user means by ``ref``: an id ("#12" or "12"), a path as indexed (or the
    same file by another spelling), or a number ("1954/KH-UBND", spaces and case ignored).
    A number held by several documents raises AmbiguousDocument listing them."""
    conn = db.conn
    cols = "id, path, number, number_key, date, doc_type, issuer, subject, place, year, format"

    def rows(sql: str, args: list) -> list[dict]:
        cur = conn.execute(sql, args)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    r = ref.strip()
    if re.fullmatch(r"#?\d+", r):
        found = rows(f"SELECT {cols} FROM documents WHERE id = ?", [int(r.lstrip("#"))])
        if found:
            return found[0]
    for p in dict.fromkeys([r, os.path.normpath(r), os.path.abspath(r)]):
        found = rows(f"SELECT {cols} FROM documents WHERE id = (SELECT doc_id FROM files WHERE path = ?)", [p])
        if found:
            return found[0]
    if os.path.exists(r):  # indexed under another spelling of the path: same content
        from .index import file_sha256
        try:
            found = rows(f"SELECT {cols} FROM documents WHERE sha256 = ?", [file_sha256(r)])
        except OSError:
            found = []
        if found:
            return found[0]
    found = rows(f"SELECT {cols} FROM documents WHERE number_key = ? ORDER BY date, id", [number_key(r)])
    if not found:
        found = _loose_number(db, r, rows, cols)
    if len(found) > 1:  # the same document as .txt, .docx and .pdf is one answer
        from .citegraph import collapse_copies
        found = collapse_copies(found)
    if len(found) == 1:
        return found[0]
    if not found:
        raise DocumentNotFound(f"no indexed document matches {ref!r} (give a number, a path or an id)")
    listing = "; ".join(_describe(x) for x in found[:10])
    raise AmbiguousDocument(f"{len(found)} documents match {ref!r}: {listing}. Give the id (#N) or the path")


def _loose_number(db, r, rows, cols) -> list[dict]:
    """Numbers typed loosely ("25/NQ-TW", "nq 25"): citegraph knows the variants."""
    from .citegraph import find_keys
    keys = find_keys(db, r)
    if not keys:
        return []
    marks = ", ".join("?" * len(keys))
    return rows(f"SELECT {cols} FROM documents WHERE number_key IN ({marks}) ORDER BY date, id", keys)


def load_document(db: Index, doc_id: int, with_text: bool = True) -> dict:
    row = db.conn.execute("SELECT json, text, path, id FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise DocumentNotFound(f"no document #{doc_id}")
    d = json.loads(row[0])
    if with_text:
        d["text"] = row[1]
    d["id"] = row[3]
    d["paths"] = [p for (p,) in db.conn.execute("SELECT path FROM files WHERE doc_id = ? ORDER BY path", [doc_id])]
    return d


def export_documents(db: Index, with_text: bool = False) -> Iterator[dict]:
    """Every document in the SCHEMA.md shape, streamed in id order."""
    cur = db.conn.execute("SELECT json, text FROM documents ORDER BY id")
    for js, text in cur:
        d = json.loads(js)
        if with_text:
            d["text"] = text
        yield d


# --- search -------------------------------------------------------------------------------------
_PHRASE = re.compile(r'"([^"]+)"|(\S+)')


def fts_query(query: str) -> tuple[str, list[str]]:
    """An FTS5 MATCH expression for what the user typed, and the folded terms to highlight.

    Every term is quoted, so document numbers ("25-NQ/TW") and words that are FTS operators
    ("and", "not", "near") are taken literally; terms are ANDed; "..." stays a phrase. The
    folding is the one the index used (no diacritics, đ -> d)."""
    parts, terms, bare = [], [], []
    # control characters (NUL ends a string inside SQLite's FTS5 parser) are not searchable
    for m in _PHRASE.finditer(fold_search(re.sub(r"[\x00-\x1f\x7f]", " ", query))):
        t = (m.group(1) or m.group(2)).replace('"', " ").strip().strip(".,;:")
        t = re.sub(r"\.(?!\w)", " ", t).strip()
        if not t:
            continue
        terms.append(t)
        if m.group(2):
            bare.append(t)
        parts.append('"' + t.replace('"', '""') + '"')
    expr = " ".join(parts)
    if len(bare) > 1 and len(bare) == len(parts):
        # words typed together are most likely a phrase: rank documents holding it first
        phrase = " ".join(bare)
        terms.insert(0, phrase)
        expr = f'"{phrase}" OR ({expr})'
    return expr, terms


def _term_regex(terms: list[str]) -> list[re.Pattern]:
    """Highlight patterns, tried in order: the whole phrase first (when the user typed several
    words), then any of the terms."""
    def alt(ts: list[str]) -> re.Pattern:
        alts = [r"\s+".join(map(re.escape, t.split())) for t in sorted(ts, key=len, reverse=True)]
        return re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])")
    if not terms:
        return []
    out = [alt(terms[:1])] if len(terms) > 1 and " " in terms[0] else []
    return out + [alt(terms)]


def first_match(folded: str, rx: list[re.Pattern] | None) -> tuple[re.Pattern | None, re.Match | None]:
    """The first of ``rx`` that matches anywhere in ``folded`` (the whole phrase before its
    words), and its first match."""
    for one in rx or ():
        m = one.search(folded)
        if m:
            return one, m
    return None, None


def snippet(text: str, folded: str, rx: list[re.Pattern] | None, width: int = 180,
            highlight: str = "brackets") -> tuple[str, int | None]:
    """A window of ``text`` around the first match of ``rx`` in ``folded`` (same length), with
    every match in it marked: [..] for plain output, rich markup for a terminal."""
    one, m = first_match(folded, rx)
    if not m:
        return " ".join(text[:width].split()), None
    rx = [one]
    start = max(0, m.start() - width // 3)
    end = min(len(text), start + width)
    if start > 0:
        sp = text.find(" ", start, m.start())
        start = sp + 1 if sp != -1 else start
    out, pos = [], start
    for mm in rx[0].finditer(folded, start, end):
        out.append(_escape(text[pos:mm.start()], highlight))
        word = text[mm.start():mm.end()]
        out.append(f"[bold yellow]{_escape(word, highlight)}[/]" if highlight == "rich" else f"[{word}]")
        pos = mm.end()
    out.append(_escape(text[pos:end], highlight))
    s = " ".join("".join(out).split())
    return ("…" if start > 0 else "") + s + ("…" if end < len(text) else ""), m.start()


def _escape(s: str, highlight: str) -> str:
    if highlight != "rich":
        return s
    from rich.markup import escape
    return escape(s)


def search(db: Index, query: str, doc_type: str | None = None, limit: int = 50,
           highlight: str = "brackets") -> list[dict]:
    """Documents matching ``query``, best first (BM25, the title weighing more than the body),
    each with a snippet around its first match and the section it stands in."""
    match, terms = fts_query(query)
    if not match:
        return []
    rx = _term_regex(terms)
    cols = "d.id, d.number, d.number_key, d.doc_type, d.date, d.issuer, d.place, d.format, d.path"
    if doc_type:
        sql = (f"SELECT {cols}, bm25(documents_fts, 4.0, 1.0) AS score "
               "FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
               "WHERE documents_fts MATCH ? AND d.doc_type = ? ORDER BY score LIMIT ?")
        args: list = [match, doc_type.upper(), limit * 4]
    else:
        # rank in FTS alone, then join only the best: a common word matches most documents
        sql = (f"SELECT {cols}, f.score FROM (SELECT rowid, bm25(documents_fts, 4.0, 1.0) AS score "
               "FROM documents_fts WHERE documents_fts MATCH ? ORDER BY score LIMIT ?) f "
               "JOIN documents d ON d.id = f.rowid ORDER BY f.score")
        args = [match, limit * 4]  # room for the copies folded below
    cur = db.conn.execute(sql, args)
    names = [c[0] for c in cur.description]
    hits = [dict(zip(names, r)) for r in cur]
    # one plan kept as .txt, .docx and .pdf is one answer (its standing copy, "copies" counted)
    from .citegraph import collapse_copies
    hits = collapse_copies(hits)[:limit]
    out = []
    for rank, h in enumerate(hits, 1):
        text = db.conn.execute("SELECT text FROM documents WHERE id = ?", [h["id"]]).fetchone()[0] or ""
        folded = fold_search(text)
        pattern, _ = first_match(folded, rx)
        snip, at = snippet(text, folded, [pattern] if pattern else None, highlight=highlight)
        section, sections = None, []   # where the snippet is, and every section the words are in
        if pattern is not None:
            spans = db.conn.execute(
                "SELECT section, start, end FROM sections WHERE doc_id = ? "
                "AND start IS NOT NULL AND end IS NOT NULL ORDER BY start, level", [h["id"]]).fetchall()
            sections = sections_at(spans, [m.start() for m in pattern.finditer(folded)])
            section = next(iter(sections_at(spans, [at])), None)
        out.append({"rank": rank, "id": h["id"], "number": h["number"], "doc_type": h["doc_type"],
                    "date": h["date"], "section": section, "sections": sections, "snippet": snip, "path": h["path"],
                    "copies": h.get("copies", 1), "score": round(-h["score"], 3)})
    return out


def sections_at(spans: list[tuple[str, int, int]], positions: list[int]) -> list[str]:
    """The innermost section holding each of ``positions``, each section once, in the order
    first reached; a position outside every section (the header, the closing) adds none.

    ``spans`` are (section, start, end), ordered by start and parents first: sections nest, so
    the innermost holding a position is the last one starting at or before it that holds it."""
    starts = [s[1] for s in spans]
    found: dict[str, None] = {}
    for pos in positions:
        k = bisect.bisect_right(starts, pos) - 1
        while k >= 0 and not spans[k][1] <= pos < spans[k][2]:
            k -= 1
        if k >= 0:
            found.setdefault(spans[k][0])
    return list(found)


# --- statistics ---------------------------------------------------------------------------------
def index_stats(db: Index) -> list[dict]:
    conn = db.conn
    rows: list[dict] = []

    def add(what: str, value, count) -> None:
        rows.append({"what": what, "value": value, "count": count})

    add("documents", None, conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    add("files", None, conn.execute("SELECT count(*) FROM files").fetchone()[0])
    for col in ("kind", "doc_type", "format"):
        for value, n in conn.execute(f"SELECT {col}, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"):
            add(col, value, n)
    for table in ("sections", "citations", "assignments", "deadlines", "recipients", "footnotes"):
        add(table, None, conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    add("citations resolved", None,
        conn.execute("SELECT count(*) FROM citations WHERE target_id IS NOT NULL").fetchone()[0])
    add("failed files", None, conn.execute("SELECT count(*) FROM failed_files").fetchone()[0])
    return rows


def failed_files(db: Index) -> list[dict]:
    cur = db.conn.execute("SELECT path, error, failed_at FROM failed_files ORDER BY path")
    return [dict(zip(("path", "error", "failed_at"), r)) for r in cur]
