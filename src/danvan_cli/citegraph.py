"""Citations across the index: tie each citation to the document it names (``resolve_citations``)
and answer `danvan cite` (who cites a reference, what a document cites, the chains between
them, what is cited but missing).

Resolving. A citation names a number; the index may hold several documents with that number
(every province has its 1954/KH-UBND; numbering restarts every year and every Party term). A
candidate is rejected when its date differs from the printed one, when its level differs from
the cited issuer's ("UBND huyện" is not a tỉnh document), or when its place differs from the
cited issuer's place — written ("UBND huyện Tư Nghĩa") or implied by the citing document ("UBND
tỉnh" in a Bình Dương document is Bình Dương's). One candidate left is the target; among
several, the only one with positive evidence (same date, same place) is; otherwise the citation
stays unresolved (NULL), never guessed.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

import regex as re

from .keys import number_key
from .normalize import fold_search, fold_tones
from .parse.citations import matching_keys, parse_loose, reference_spans

if TYPE_CHECKING:
    from .db import Index

MAX_DEPTH = 20


# --- scope: level and place of an issuing body ------------------------------------------------
LEVELS = ("central", "province", "district", "commune")
_RANK = {lv: i for i, lv in enumerate(LEVELS)}

# Read on lower-case fold_tones text: the diacritics matter ("tỉnh" is a level, "Hà Tĩnh" a
# name). Central bodies: "Ban Chấp hành Trung ương", "Thủ tướng Chính phủ", "Bộ Chính trị",
# "Bộ Nội vụ" (but not "Đảng bộ tỉnh", "bộ phận").
_CENTRAL = re.compile(r"(?<!\w)(?:trung ương|chính phủ|thủ tướng|quốc hội|bộ chính trị|ban bí thư|"
                      r"(?<!đảng )bộ (?!phận)\w|tối cao)(?!\w)")
# The level words; the place name follows ("tỉnh Bình Dương", "huyện Tư Nghĩa", "xã Phổ An").
# "tỉnh ủy" / "huyện ủy" name the level without a place; "xã hội" is not a xã.
_LEVEL_WORD = re.compile(r"(?<!\w)(?P<w>tỉnh|huyện|quận|thị xã|xã|phường|thị trấn)(?!\w)(?! hội)")
_LEVEL_OF = {"tỉnh": "province", "huyện": "district", "quận": "district", "thị xã": "district",
             "xã": "commune", "phường": "commune", "thị trấn": "commune"}
# Words that end a place name: the next body's name begins ("tỉnh Bình Thuận Sở Nội vụ").
_NAME_STOP = {"sở", "ban", "phòng", "ủy", "ubnd", "hđnd", "ubmttq", "cục", "đảng", "huyện", "tỉnh",
              "xã", "quận", "phường", "thị", "về", "và", "của", "năm", "ngày", "trên", "khóa", "thực",
              "triển", "tổ", "giai", "theo", "tại", "đối", "trong", "với", "lần", "nhiệm", "kỳ"}
_NAME_STOP_PAIRS = {"văn phòng", "ủy ban", "hội đồng", "trung tâm", "chi cục", "mặt trận", "công an",
                    "thành phố", "thành ủy", "ban chấp", "thường trực", "liên đoàn", "hội liên"}
_WORDS = re.compile(r"\w+|[^\w\s]")
# Number codes that tell the level when the issuer is not printed: 25-NQ/TW, 16/CT-TTg; 49-CT/TU.
_CENTRAL_CODES = re.compile(r"(?:^|[-/])(?:TW|BDVTW|BTGTW|BTGDVTW|TTG|CP|VPCP|QH[0-9]*|UBTVQH[0-9]*|VPTW|BCT|BBT)(?:$|[-/])")
_PROVINCE_CODES = re.compile(r"(?:^|[-/])[A-ZĐ]*TU(?:$|[-/])")
_DISTRICT_CODES = re.compile(r"(?:^|[-/])[A-ZĐ]*HU(?:$|[-/])")
@dataclass(frozen=True)
class Scope:
    level: str | None
    names: tuple[tuple[str, str], ...] = ()   # (level, folded place name)

    def name(self, level: str | None) -> str | None:
        for lv, n in self.names:
            if lv == level:
                return n
        return None


def scope_of(issuer: str | None, place: str | None = None, number: str | None = None) -> Scope:
    """Level (the most specific named) and place names (folded) of a body, from its printed
    name, the place of its date line and, when the name shows no level, its number's codes."""
    level, names, place_name = _named_scope(issuer, place)
    if level is None and number:
        level = _level_of_number(number)
    if place_name is not None and level and level != "central" and not any(lv == level for lv, _ in names):
        names = names + ((level, place_name),)
    return Scope(level, names)


# Cached on (issuer, place) alone: an index holds a few hundred distinct issuers, while a cache
# keyed on the number too grew with every document (a tenth of an ingest's memory at 20,000).
@functools.lru_cache(maxsize=4096)
def _named_scope(issuer: str | None, place: str | None) -> tuple[str | None, tuple[tuple[str, str], ...], str | None]:
    text = fold_tones(" ".join((issuer or "").lower().replace("-", " ").split()))
    levels: list[str] = []
    names: list[tuple[str, str]] = []
    for m in _LEVEL_WORD.finditer(text):
        lv = _LEVEL_OF[m.group("w")]
        levels.append(lv)
        words = [w.group(0) for w in _WORDS.finditer(text, m.end(), m.end() + 60)][:5]
        name = []
        for i, w in enumerate(words):
            if not w[0].isalnum() or w in _NAME_STOP or " ".join(words[i:i + 2]) in _NAME_STOP_PAIRS:
                break
            name.append(w)
        if name and not any(lv == x for x, _ in names):
            names.append((lv, fold_search(" ".join(name))))
    if not levels and _CENTRAL.search(text):
        levels.append("central")
    level = max(levels, key=_RANK.__getitem__) if levels else None
    return level, tuple(names), (" ".join(fold_search(place).split()) if place else None)


@functools.lru_cache(maxsize=4096)
def _level_of_number(number: str) -> str | None:
    key = number_key(number) or ""
    if _CENTRAL_CODES.search(key):
        return "central"
    if _DISTRICT_CODES.search(key):
        return "district"
    if _PROVINCE_CODES.search(key):
        return "province"
    return None


@dataclass
class _Doc:
    id: int
    number_key: str | None
    date: str | None
    scope: Scope
    format: str | None = None


# --- copies of one document ---------------------------------------------------------------------
# The same document is often kept in several files (the .docx, its .pdf, a .txt saved from a
# portal): different content hashes, one document. Files with the same number and date whose
# places do not contradict each other are copies; the one standing for them all is the first by
# this order of formats (an editable original first), then the lowest id.
FORMAT_PREFERENCE = ("docx", "doc", "pdf", "html", "md", "txt")


def _compatible(a: Scope, b: Scope) -> bool:
    if a.level and b.level and a.level != b.level:
        return False
    return all(b.name(lv) in (None, n) for lv, n in a.names)


def _order(d: _Doc) -> tuple[int, int]:
    fmt = (d.format or "").lower()
    return (FORMAT_PREFERENCE.index(fmt) if fmt in FORMAT_PREFERENCE else len(FORMAT_PREFERENCE), d.id)


def group_copies(docs: Iterable[_Doc]) -> dict[int, int]:
    """doc id -> id of the document standing for all its copies (itself when it has none)."""
    buckets: dict[tuple[str, str | None], list[list[_Doc]]] = {}
    rep: dict[int, int] = {}
    for d in docs:
        if not d.number_key:
            rep[d.id] = d.id
            continue
        groups = buckets.setdefault((d.number_key, d.date), [])
        for g in groups:
            if all(_compatible(d.scope, x.scope) for x in g):
                g.append(d)
                break
        else:
            groups.append([d])
    for groups in buckets.values():
        for g in groups:
            best = min(g, key=_order)
            for d in g:
                rep[d.id] = best.id
    return rep


def load_docs(db: Index) -> tuple[dict[int, _Doc], dict[int, int]]:
    """Every document's identity facts, and the copies map (``group_copies``)."""
    docs = {}
    for did, nk, date, issuer, place, number, fmt in db.conn.execute(
            "SELECT id, number_key, date, issuer, place, number, format FROM documents"):
        docs[did] = _Doc(did, nk, date, scope_of(issuer, place, number), fmt)
    return docs, group_copies(docs.values())


def _judge(cite_date: str | None, cite_scope: Scope, citing: Scope, cand: _Doc) -> int | None:
    """None: the candidate contradicts the citation; else how much agrees (date 2, place 1)."""
    score = 0
    if cite_date and cand.date:
        if cite_date != cand.date:
            return None
        score += 2
    lv = cite_scope.level
    if lv and cand.scope.level and lv != cand.scope.level:
        return None
    if lv and lv != "central":
        want = cite_scope.name(lv) or citing.name(lv)
        have = cand.scope.name(lv)
        if want and have:
            if want != have:
                return None
            score += 1
    return score


def choose_target(cite_date: str | None, cite_scope: Scope, citing: Scope, cands: list[_Doc]) -> int | None:
    """The candidate (one per set of copies) the citation names, or None when unsure."""
    judged = [(s, c) for c in cands if (s := _judge(cite_date, cite_scope, citing, c)) is not None]
    if len(judged) == 1:
        return judged[0][1].id
    if not judged:
        return None
    best = max(s for s, _ in judged)
    top = [c for s, c in judged if s == best]
    return top[0].id if best > 0 and len(top) == 1 else None


def resolve_citations(db: Index, keys: Iterable[str] | None = None) -> int:
    """Set ``citations.target_id`` for every citation from the documents now indexed (the
    standing copy, when a document is indexed from several files); return how many changed.
    Idempotent; the caller holds the transaction.

    A citation's target depends only on the documents of its number key, so ``keys`` (the
    number keys whose documents or citations changed) limits the work to those; None means
    every key.

    Streamed one document number at a time: only the documents holding that number (and the
    citations naming it) are in memory, so memory stays flat however large the index grows."""
    conn = db.conn
    changes: list[tuple[int | None, int]] = []
    done = 0
    if keys is None:
        todo = [nk for (nk,) in conn.execute("SELECT DISTINCT number_key FROM documents WHERE number_key "
                                              "IS NOT NULL ORDER BY number_key")]
    else:
        todo = sorted(set(keys))
    for nk in todo:
        _resolve_key(conn, nk, changes)
        if len(changes) >= 5000:  # write as we go: the list stays small
            conn.executemany("UPDATE citations SET target_id = ? WHERE id = ?", changes)
            done += len(changes)
            changes.clear()
    conn.executemany("UPDATE citations SET target_id = ? WHERE id = ?", changes)
    total = done + len(changes)
    if keys is None:  # numbers no indexed document holds any more
        cur = conn.execute(
            "UPDATE citations SET target_id = NULL WHERE target_id IS NOT NULL AND number_key NOT IN "
            "(SELECT number_key FROM documents WHERE number_key IS NOT NULL)")
        total += max(cur.rowcount, 0)
    return total


def _resolve_key(conn, nk: str, changes: list[tuple[int | None, int]]) -> None:
    """The changed targets of the citations of number key ``nk``, added to ``changes``."""
    holders = [_Doc(did, nk, date, scope_of(issuer, place, number), fmt) for did, date, issuer, place, number, fmt
               in conn.execute("SELECT id, date, issuer, place, number, format FROM documents "
                               "WHERE number_key = ? ORDER BY id", [nk])]
    rep = group_copies(holders)
    cands = [d for d in holders if rep[d.id] == d.id]
    cand_ids = {d.id for d in cands}
    decided: dict[tuple, int | None] = {}  # many citations ask the same question
    for cid, doc_id, number, date, issuer, old, c_issuer, c_place, c_number in conn.execute(
            "SELECT c.id, c.doc_id, c.number, c.date, c.issuer, c.target_id, d.issuer, d.place, d.number "
            "FROM citations c JOIN documents d ON d.id = c.doc_id WHERE c.number_key = ?", [nk]):
        own = rep.get(doc_id, doc_id)
        citing = scope_of(c_issuer, c_place, c_number)
        question = (date, issuer, number, citing, own if own in cand_ids else None)
        if question not in decided:
            others = [d for d in cands if d.id != own]
            decided[question] = (choose_target(date, scope_of(issuer, None, number), citing, others)
                                 if others else None)
        target = decided[question]
        if target != old:
            changes.append((target, cid))


# --- finding what the user means ----------------------------------------------------------------
class CiteError(Exception):
    """A reference the index cannot answer for (message for the user)."""


def _rows(db: Index, sql: str, args: Iterable = ()) -> list[dict]:
    cur = db.conn.execute(sql, list(args))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def find_keys(db: Index, ref: str) -> list[str]:
    """The number keys (cited or indexed) that ``ref`` names: exact when typed in full (either
    form), else every loose match ("nq 25")."""
    lr = parse_loose(ref)
    if lr is None:
        return []
    if lr.exact:
        marks = ", ".join("?" * len(lr.exact))
        found = [k for (k,) in db.conn.execute(
            f"SELECT number_key FROM citations WHERE number_key IN ({marks}) UNION "
            f"SELECT number_key FROM documents WHERE number_key IN ({marks})", lr.exact * 2)]
        if found:
            return sorted(set(found))
    prefix = str(lr.number)
    keys = (k for (k,) in db.conn.execute(
        "SELECT number_key FROM citations WHERE number_key GLOB ? OR number_key GLOB ? UNION "
        "SELECT number_key FROM documents WHERE number_key GLOB ? OR number_key GLOB ?",
        [f"{prefix}[-/]*", f"0{prefix}[-/]*"] * 2))
    return matching_keys(ref, keys)


def _is_doc_ref(db: Index, ref: str) -> bool:
    r = ref.strip()
    if re.fullmatch(r"#?\d+", r) or os.path.exists(r):
        return True
    return db.conn.execute("SELECT 1 FROM files WHERE path = ?", [r]).fetchone() is not None


def _doc_facts(row: dict) -> _Doc:
    return _Doc(row["id"], row.get("number_key"), row.get("date"),
                scope_of(row.get("issuer"), row.get("place"), row.get("number")), row.get("format"))


def collapse_copies(rows: list[dict]) -> list[dict]:
    """Rows about documents (columns id, number_key, date, issuer, place, number, format), one
    per document however many files hold it: the standing copy's row is kept (``group_copies``),
    with ``copies`` = how many files hold it, in the order of each document's first row."""
    facts = {}
    for r in rows:
        if r["id"] not in facts:
            facts[r["id"]] = _doc_facts(r)
    rep = group_copies(facts.values())
    counts: dict[int, int] = {}
    for did in facts:
        counts[rep[did]] = counts.get(rep[did], 0) + 1
    first: dict[int, int] = {}
    chosen: dict[int, dict] = {}
    for i, r in enumerate(rows):
        k = rep[r["id"]]
        first.setdefault(k, i)
        if k not in chosen or r["id"] == k:
            chosen[k] = r
    out = []
    for k in sorted(chosen, key=first.__getitem__):
        r = dict(chosen[k])
        r["copies"] = counts[k]
        out.append(r)
    return out


_DOC_COLS = "id, path, number, number_key, date, doc_type, issuer, subject, place, format"


def find_documents(db: Index, ref: str) -> tuple[list[dict], list[str]]:
    """(documents, number keys) that ``ref`` names: a path or id gives its document; a number
    (typed loosely) gives its keys and the documents holding them, one per set of copies."""
    from .query import AmbiguousDocument, DocumentNotFound, find_document
    if _is_doc_ref(db, ref):
        try:
            row = find_document(db, ref)
        except (DocumentNotFound, AmbiguousDocument):
            row = None
        if row:
            full = _rows(db, f"SELECT {_DOC_COLS} FROM documents WHERE id = ?", [row["id"]])
            return full, [k for k in [full[0]["number_key"]] if k]
    keys = find_keys(db, ref)
    if not keys:
        return [], []
    marks = ", ".join("?" * len(keys))
    docs = _rows(db, f"SELECT {_DOC_COLS} FROM documents WHERE number_key IN ({marks}) ORDER BY date, id", keys)
    return collapse_copies(docs), keys


def _standing_copy(db: Index, doc: dict) -> dict:
    """The copy of ``doc`` that citations are resolved to."""
    if not doc.get("number_key"):
        return doc
    same = _rows(db, f"SELECT {_DOC_COLS} FROM documents WHERE number_key = ?", [doc["number_key"]])
    rep = group_copies(_doc_facts(r) for r in same)
    want = rep.get(doc["id"], doc["id"])
    return next((r for r in same if r["id"] == want), doc)


def _describe(d: dict) -> str:
    return f"#{d['id']} {d.get('number') or '(no number)'} {d.get('date') or ''} {d.get('path') or ''}".strip()


def one_document(db: Index, ref: str) -> dict:
    docs, keys = find_documents(db, ref)
    if not docs:
        raise CiteError(f"no indexed document matches {ref!r}" +
                        (f" (it is cited as {', '.join(keys)})" if keys else ""))
    if len(docs) > 1:
        raise CiteError(f"{len(docs)} documents match {ref!r}: "
                        + "; ".join(_describe(d) for d in docs[:10]) + ". Give the id (#N) or the path")
    return docs[0]


def relation(basis: int | bool) -> str:
    return "basis" if basis else "mention"


# --- who cites REF ------------------------------------------------------------------------------
_CITING_COLS = ("d.id, d.number, d.doc_type, d.issuer, d.date, d.subject, d.path, d.number_key, d.place, "
                "d.format, c.number AS cited, c.type AS cited_type, c.date AS cited_date, "
                "c.issuer AS cited_issuer, c.subject AS cited_subject, c.basis, c.section, c.in_footnote, "
                "c.occurrences, c.context, c.target_id, t.path AS target_path")


def cited_by(db: Index, ref: str, basis_only: bool = False) -> list[dict]:
    """Documents citing ``ref`` (one row per document, however many files hold it): its
    number, issuer, date, subject, whether the reference is its legal basis or a mention, and
    the sentence around it. A path or an id as ``ref`` means the citations resolved to that
    document; a number means every citation of that number."""
    docs, keys = find_documents(db, ref)
    if docs and _is_doc_ref(db, ref):
        where, args = "c.target_id = ?", [_standing_copy(db, docs[0])["id"]]
    elif keys:
        where, args = f"c.number_key IN ({', '.join('?' * len(keys))})", list(keys)
    else:
        return []
    sql = (f"SELECT {_CITING_COLS} FROM citations c JOIN documents d ON d.id = c.doc_id "
           f"LEFT JOIN documents t ON t.id = c.target_id WHERE {where}")
    if basis_only:
        sql += " AND c.basis = 1"
    sql += " ORDER BY d.date IS NULL, d.date, d.id"
    rows = collapse_copies(_rows(db, sql, args))
    for r in rows:
        r["relation"] = relation(r.pop("basis"))
        r["in_footnote"] = bool(r["in_footnote"])
        for k in ("number_key", "place", "format"):
            r.pop(k)
    return rows


# --- what DOC cites -----------------------------------------------------------------------------
def cites_from(db: Index, doc: dict, basis_only: bool = False) -> list[dict]:
    """What ``doc`` cites, in order: each resolved to the indexed document (with its path),
    or "missing" (no document with that number), or "unresolved" (documents with that number,
    none sure to be the one)."""
    sql = ("SELECT c.number, c.type, c.date, c.issuer, c.subject, c.basis, c.section, c.in_footnote, "
           "c.occurrences, c.context, c.number_key, c.target_id, t.path AS target_path, "
           "(SELECT count(*) FROM documents x WHERE x.number_key = c.number_key AND x.id != c.doc_id) AS same_number "
           "FROM citations c LEFT JOIN documents t ON t.id = c.target_id WHERE c.doc_id = ?")
    if basis_only:
        sql += " AND c.basis = 1"
    sql += " ORDER BY c.start, c.id"
    rows = _rows(db, sql, [doc["id"]])
    for r in rows:
        r["relation"] = relation(r.pop("basis"))
        r["in_footnote"] = bool(r["in_footnote"])
        n = r.pop("same_number")
        r["status"] = "resolved" if r["target_id"] else ("missing" if n == 0 else f"unresolved ({n} with this number)")
        r.pop("number_key")
    return rows


# --- cited but not indexed ----------------------------------------------------------------------
def missing(db: Index, basis_only: bool = False) -> list[dict]:
    """Numbers cited but tied to no indexed document, the most cited first: ``citing`` counts
    the documents citing it (copies of one document once), ``indexed`` the documents that carry
    the number but are not sure to be the one cited (another province's, another year's)."""
    conn = db.conn
    docs, rep = load_docs(db)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS cite_copies (doc_id INTEGER PRIMARY KEY, rep_id INTEGER)")
    conn.execute("DELETE FROM cite_copies")
    conn.executemany("INSERT INTO cite_copies VALUES (?, ?)", rep.items())
    sql = ("SELECT c.number_key, count(DISTINCT r.rep_id) AS citing, "
           "sum(CASE WHEN r.doc_id = r.rep_id THEN c.occurrences ELSE 0 END) AS occurrences, "
           "min(c.number) AS number, max(c.type) AS type, max(c.date) AS date, max(c.issuer) AS issuer, "
           "max(c.subject) AS subject, max(c.basis) AS basis_any, min(d.path) AS example "
           "FROM citations c JOIN cite_copies r ON r.doc_id = c.doc_id JOIN documents d ON d.id = r.rep_id "
           "WHERE c.target_id IS NULL" + (" AND c.basis = 1" if basis_only else "") +
           " GROUP BY c.number_key ORDER BY citing DESC, occurrences DESC, c.number_key")
    indexed: dict[str, int] = {}
    for d in docs.values():
        if d.number_key and rep[d.id] == d.id:
            indexed[d.number_key] = indexed.get(d.number_key, 0) + 1
    out = []
    for r in _rows(db, sql):
        r["indexed"] = indexed.get(r.pop("number_key"), 0)
        r["basis_any"] = bool(r["basis_any"])
        out.append(r)
    return out


# --- chains -------------------------------------------------------------------------------------
@dataclass
class Node:
    id: str                     # "d12" for an indexed document, "n3" for a number not indexed
    number: str | None
    doc_id: int | None = None
    date: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    subject: str | None = None
    path: str | None = None
    key: str | None = None      # the number key a node not indexed stands for
    copies: int = 1             # files holding this document (see group_copies)

    @property
    def indexed(self) -> bool:
        return self.doc_id is not None


@dataclass
class Edge:
    src: str                    # the citing node
    dst: str                    # the cited node
    relation: str               # basis | mention
    cited: str                  # the number as the citing document prints it
    depth: int


@dataclass
class Graph:
    root: str
    direction: str              # down: who implements the root; up: what the root rests on
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def children(self, node_id: str) -> list[tuple[Edge, str]]:
        if getattr(self, "_adj_n", -1) != len(self.edges):  # built once the edges are all in
            adj: dict[str, list[tuple[Edge, str]]] = {}
            for e in self.edges:
                parent, child = (e.dst, e.src) if self.direction == "down" else (e.src, e.dst)
                adj.setdefault(parent, []).append((e, child))
            self._adj, self._adj_n = adj, len(self.edges)
        return self._adj.get(node_id, [])


def _doc_node(row: dict) -> Node:
    return Node(f"d{row['id']}", row.get("number"), row["id"], row.get("date"), row.get("doc_type"),
                row.get("issuer"), row.get("subject"), row.get("path"), copies=row.get("copies") or 1)


def chain(db: Index, ref: str, direction: str = "down", depth: int | None = None,
          basis_only: bool = False) -> Graph:
    """The citation chain from ``ref``: downward, the documents citing it, then those citing
    them ...; upward, what it cites, then what those cite ... Each document is expanded once
    (a cycle or a shared ancestor is drawn as a reference back)."""
    depth = min(depth or MAX_DEPTH, MAX_DEPTH)
    docs, keys = find_documents(db, ref)
    if len(docs) > 1:
        raise CiteError(f"{len(docs)} documents match {ref!r}: "
                        + "; ".join(_describe(d) for d in docs[:10]) + ". Give the id (#N) or the path")
    if docs:
        root = _doc_node(docs[0] if direction == "up" else _standing_copy(db, docs[0]))
    elif direction == "up":
        raise CiteError(f"no indexed document matches {ref!r}: --up starts from an indexed document")
    elif len(keys) == 1:
        printed = db.conn.execute("SELECT number FROM citations WHERE number_key = ? LIMIT 1", keys).fetchone()
        root = Node("n0", printed[0] if printed else keys[0], key=keys[0])
    elif keys:
        raise CiteError(f"{ref!r} matches several numbers: {', '.join(keys[:10])}; type it in full")
    else:
        raise CiteError(f"nothing in the index cites or is numbered {ref!r}")
    g = Graph(root.id, direction, {root.id: root})
    basis_sql = " AND c.basis = 1" if basis_only else ""
    missing_ids: dict[str, str] = {}
    frontier = [root]
    seen_edges: set[tuple[str, str]] = set()
    for level in range(1, depth + 1):
        nxt: list[Node] = []
        for node in frontier:
            for child, rel, cited in _neighbours(db, g, node, direction, basis_sql, missing_ids):
                src, dst = (child.id, node.id) if direction == "down" else (node.id, child.id)
                if (src, dst) in seen_edges:
                    continue
                seen_edges.add((src, dst))
                g.edges.append(Edge(src, dst, rel, cited, level))
                if child.id not in g.nodes:
                    g.nodes[child.id] = child
                    if child.indexed:
                        nxt.append(child)
        frontier = nxt
        if not frontier:
            break
    return g


def _neighbours(db, g: Graph, node: Node, direction: str, basis_sql: str,
                missing_ids: dict[str, str]) -> Iterator[tuple[Node, str, str]]:
    if direction == "down":
        if node.indexed:
            cond, args = "c.target_id = ?", [node.doc_id]
        else:
            cond, args = "c.number_key = ?", [node.key]
        rows = _rows(db, f"SELECT d.{_DOC_COLS.replace(', ', ', d.')}, c.basis, c.number AS cited "
                         f"FROM citations c JOIN documents d ON d.id = c.doc_id WHERE {cond}{basis_sql} "
                         f"ORDER BY d.date IS NULL, d.date, d.id", args)
        for r in collapse_copies(rows):
            yield (g.nodes.get(f"d{r['id']}") or _doc_node(r)), relation(r["basis"]), r["cited"]
        return
    if not node.indexed:
        return
    rows = _rows(db, "SELECT c.number, c.number_key, c.cite_key, c.date, c.type, c.issuer, c.subject, c.basis, "
                     "c.target_id, t.number AS t_number, t.date AS t_date, t.doc_type AS t_doc_type, "
                     "t.issuer AS t_issuer, t.subject AS t_subject, t.path AS t_path "
                     f"FROM citations c LEFT JOIN documents t ON t.id = c.target_id WHERE c.doc_id = ?{basis_sql} "
                     "ORDER BY c.start, c.id", [node.doc_id])
    for r in rows:
        if r["target_id"]:
            child = g.nodes.get(f"d{r['target_id']}") or Node(
                f"d{r['target_id']}", r["t_number"], r["target_id"], r["t_date"], r["t_doc_type"],
                r["t_issuer"], r["t_subject"], r["t_path"])
        else:
            ident = r["cite_key"] or r["number_key"]
            nid = missing_ids.setdefault(ident, f"n{len(missing_ids) + 1}")
            child = g.nodes.get(nid) or Node(nid, r["number"], None, r["date"], r["type"], r["issuer"], r["subject"])
        yield child, relation(r["basis"]), r["number"]


def edge_rows(g: Graph) -> list[dict]:
    """One row per edge of the chain, for json/csv output."""
    out = []
    for e in g.edges:
        a, b = g.nodes[e.src], g.nodes[e.dst]
        out.append({"depth": e.depth, "from_id": a.doc_id, "from_number": a.number, "from_date": a.date,
                    "from_path": a.path, "relation": e.relation, "cited": e.cited, "to_id": b.doc_id,
                    "to_number": b.number, "to_date": b.date, "to_path": b.path, "to_indexed": b.indexed})
    return out


def _label_lines(n: Node) -> list[str]:
    first = n.number or "(no number)"
    lines = [first]
    second = " ".join(x for x in ((n.doc_type or "").capitalize() if n.doc_type and n.doc_type.isupper() else n.doc_type,
                                  n.date) if x)
    if second:
        lines.append(second)
    if n.issuer:
        lines.append(" ".join(n.issuer.split())[:60])
    if not n.indexed:
        lines.append("(not indexed)")
    return lines


def to_dot(g: Graph) -> str:
    """Graphviz DOT: citing -> cited, drawn bottom to top so the documents others rest on stand
    above; dashed boxes are cited but not indexed, dashed edges are mentions."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    out = ["digraph citations {", "  rankdir=BT;",
           '  node [shape=box, style="rounded", fontname="Helvetica"];',
           '  edge [fontname="Helvetica", fontsize=10];']
    for n in g.nodes.values():
        attrs = [f"label={q(chr(10).join(_label_lines(n)))}"]
        if not n.indexed:
            attrs.append('style="rounded,dashed"')
        if n.id == g.root:
            attrs.append("penwidth=2")
        out.append(f"  {q(n.id)} [{', '.join(attrs)}];")
    for e in g.edges:
        style = "" if e.relation == "basis" else ", style=dashed"
        out.append(f"  {q(e.src)} -> {q(e.dst)} [label={q(e.relation)}{style}];")
    out.append("}")
    return "\n".join(out) + "\n"


def to_mermaid(g: Graph) -> str:
    """A Mermaid flowchart of the chain (same direction and marks as ``to_dot``)."""
    def q(s: str) -> str:
        return s.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    out = ["flowchart BT"]
    for n in g.nodes.values():
        line = f'  {n.id}["{"<br/>".join(q(x) for x in _label_lines(n))}"]'
        if not n.indexed:
            line += ":::missing"
        out.append(line)
    for e in g.edges:
        arrow = "-->" if e.relation == "basis" else "-.->"
        out.append(f"  {e.src} {arrow}|{e.relation}| {e.dst}")
    out.append("  classDef missing stroke-dasharray: 5 5")
    return "\n".join(out) + "\n"


def to_tree(g: Graph):
    """A rich Tree of the chain for a terminal; a document met again is not expanded twice."""
    from rich.text import Text
    from rich.tree import Tree

    def label(n: Node, e: Edge | None, again: bool = False) -> Text:
        t = Text()
        if e is not None:
            t.append(f"[{e.relation}] ", style="green" if e.relation == "basis" else "dim")
        t.append(n.number or "(no number)", style="bold" if n.indexed else "bold red")
        bits = [x for x in (n.doc_type, n.date, n.issuer) if x]
        if bits:
            t.append("  " + " · ".join(" ".join(b.split()) for b in bits))
        if not n.indexed:
            t.append("  (not indexed)", style="red")
        elif n.path:
            t.append(f"  {n.path}" + (f" (+{n.copies - 1} copies)" if n.copies > 1 else ""), style="dim")
        if again:
            t.append("  (expanded elsewhere)", style="italic dim")
        return t

    root = g.nodes[g.root]
    tree = Tree(label(root, None))
    expanded = {root.id}
    stack = [(tree, root.id)]
    while stack:
        branch, nid = stack.pop(0)
        for e, cid in g.children(nid):
            child = g.nodes[cid]
            again = cid in expanded
            sub = branch.add(label(child, e, again and bool(g.children(cid))))
            if not again:
                expanded.add(cid)
                stack.append((sub, cid))
    return tree


# --- show --highlight ---------------------------------------------------------------------------
def citation_spans(d: dict) -> list[tuple[int, int, str]]:
    """Spans to mark in a document's text: every occurrence of each of its citations (the
    first, stored in the citation, in reverse bold; the others reversed)."""
    text = d.get("text") or ""
    cites = d.get("citations") or []
    keys = {number_key(c.get("number")) for c in cites if c.get("number")}
    firsts = {tuple(c["span"]) for c in cites if c.get("span")}
    spans = [(s, e, "bold reverse") for s, e in sorted(firsts) if 0 <= s < e <= len(text)]
    for s, e, key in reference_spans(text):
        if key in keys and not any(a <= s < b for a, b, _ in spans):
            spans.append((s, e, "reverse"))
    return sorted(spans)
