"""Ingest: files in, documents in the index, incrementally and safely.

A file is keyed by its content hash. Unchanged content parsed by the current parser is
skipped; a changed file replaces its old document in one transaction; a file that fails is
logged in ``failures`` with a one-line reason and the run goes on. Parsing may run in a process
pool; only this process writes.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Iterator

import sqlite_utils

from . import PARSER_VERSION
from .keys import number_key
from .normalize import fold_search
from .readers import SUPPORTED_EXTENSIONS

COMMIT_EVERY = 200        # documents per transaction at most ...
COMMIT_SECONDS = 1.0      # ... or this long, whichever comes first: a kill loses at most that


@dataclass
class IngestReport:
    indexed: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"indexed {self.indexed}", f"unchanged {self.skipped}", f"failed {len(self.failed)}"]
        return f"danvan: {', '.join(parts)} in {self.seconds:.1f} s"


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# --- finding files ------------------------------------------------------------------------------
def _skip_name(name: str) -> bool:
    # hidden files and folders, Word's lock files "~$x.docx"
    return name.startswith(".") or name.startswith("~$")


def iter_files(paths: list[str]) -> Iterator[tuple[str, str | None]]:
    """(path, None) for each file to index, (path, reason) for a path that cannot be walked.

    Folders are walked recursively following symbolic links, each real folder once (a link
    loop is reported, not followed forever). Inside folders only known extensions are taken;
    a file named on the command line is always tried.
    """
    seen_dirs: set[tuple[int, int]] = set()
    for top in paths:
        if os.path.islink(top) and not os.path.exists(top):
            yield top, "broken or looping symbolic link"
            continue
        if not os.path.exists(top):
            yield top, "no such file or directory"
            continue
        if not os.path.isdir(top):
            yield top, None
            continue
        stack = [top]
        while stack:
            d = stack.pop()
            try:
                st = os.stat(d)
            except OSError as e:
                yield d, e.strerror or str(e)
                continue
            ident = (st.st_dev, st.st_ino)
            if ident in seen_dirs:
                if os.path.islink(d):
                    yield d, "symbolic link loop (folder already visited)"
                continue
            seen_dirs.add(ident)
            try:
                entries = sorted(os.scandir(d), key=lambda e: e.name)
            except OSError as e:
                yield d, f"cannot list folder: {e.strerror or e}"
                continue
            subdirs = []
            for e in entries:
                if _skip_name(e.name):
                    continue
                try:
                    is_dir = e.is_dir()  # follows links
                except OSError:
                    is_dir = False
                if is_dir:
                    subdirs.append(e.path)
                elif e.is_symlink() and not os.path.exists(e.path):
                    yield e.path, "broken or looping symbolic link"
                elif os.path.splitext(e.name)[1].lower() in SUPPORTED_EXTENSIONS:
                    yield e.path, None
            stack.extend(reversed(subdirs))


# --- parsing (runs in worker processes) ---------------------------------------------------------
def parse_one(path: str, sha: str) -> tuple[str, str, str, object]:
    """("ok", path, sha, document dict) or ("fail", path, sha, one-line reason). Never raises."""
    from .parse import parse_extracted
    from .readers import ReadError, read
    try:
        doc = parse_extracted(read(path), path, sha)
        return "ok", path, sha, doc.to_dict(with_text=True)
    except ReadError as e:
        return "fail", path, sha, str(e)
    except MemoryError:
        return "fail", path, sha, "out of memory while parsing"
    except Exception as e:  # a parser bug must not stop the run: report it on one line
        msg = " ".join(str(e).split())[:200]
        return "fail", path, sha, f"parser error ({type(e).__name__}: {msg})"


def file_sha256(path: str) -> str:
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- writing ------------------------------------------------------------------------------------
def fts_text(text: str) -> str:
    """The folded copy the FTS tables index: no diacritics, and sentence dots dropped so that
    "tỉnh." is the token "tinh" (dots inside numbers like "V.I" stay)."""
    import regex as re
    return re.sub(r"\.(?!\w)", " ", fold_search(text))


def delete_document(db: sqlite_utils.Database, doc_id: int) -> None:
    conn = db.conn
    conn.execute("DELETE FROM sections_fts WHERE rowid IN (SELECT id FROM sections WHERE doc_id = ?)", [doc_id])
    conn.execute("DELETE FROM documents_fts WHERE rowid = ?", [doc_id])
    conn.execute("DELETE FROM documents WHERE id = ?", [doc_id])


def write_document(db: sqlite_utils.Database, d: dict, path: str, stat: os.stat_result | None) -> int:
    """Insert one parsed document (a ``Document.to_dict(with_text=True)``) and point ``path`` at
    it, replacing what that path or that content had before. Caller holds the transaction."""
    conn = db.conn
    old = conn.execute("SELECT id FROM documents WHERE sha256 = ?", [d["sha256"]]).fetchone()
    if old:
        delete_document(db, old[0])
    prev = conn.execute("SELECT doc_id FROM files WHERE path = ?", [path]).fetchone()
    text = d.pop("text", "") or ""
    signer = d.get("signer") or {}
    row = {
        "sha256": d["sha256"], "path": path, "format": d.get("format"), "kind": d.get("kind"),
        "doc_type": d.get("doc_type"), "number": d.get("number"),
        "number_key": number_key(d.get("number")), "symbol": d.get("symbol"),
        "issuer": d.get("issuer"), "place": d.get("place"), "date": d.get("date"),
        "year": d.get("year"), "subject": d.get("subject"), "title": d.get("title"),
        "author": d.get("author"), "addressees": json.dumps(d.get("addressees") or [], ensure_ascii=False),
        "signer_name": signer.get("name"), "signer_title": signer.get("title"),
        "signer_authority": signer.get("authority"), "signer_on_behalf": signer.get("on_behalf"),
        "warnings": json.dumps(d.get("warnings") or [], ensure_ascii=False),
        "metadata": json.dumps(d.get("metadata") or {}, ensure_ascii=False),
        "parser_version": d.get("parser_version") or PARSER_VERSION, "indexed_at": now(),
        "text": text, "json": json.dumps(d, ensure_ascii=False),
    }
    cur = conn.execute(
        f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    doc_id = cur.lastrowid
    _insert_children(db, doc_id, d, text)
    conn.execute(
        "INSERT INTO files (path, doc_id, size, mtime, seen_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET doc_id = excluded.doc_id, size = excluded.size, "
        "mtime = excluded.mtime, seen_at = excluded.seen_at",
        [path, doc_id, stat.st_size if stat else None, stat.st_mtime if stat else None, now()])
    if prev and prev[0] != doc_id:
        _drop_if_orphan(db, prev[0])
    return doc_id


def _drop_if_orphan(db: sqlite_utils.Database, doc_id: int) -> None:
    if not db.conn.execute("SELECT 1 FROM files WHERE doc_id = ? LIMIT 1", [doc_id]).fetchone():
        delete_document(db, doc_id)


def _span(obj: dict) -> tuple[int | None, int | None]:
    s = obj.get("span") or (None, None)
    return s[0], s[1]


def _insert_children(db: sqlite_utils.Database, doc_id: int, d: dict, text: str) -> None:
    conn = db.conn
    title = " ".join(x for x in (d.get("doc_type"), d.get("number"), d.get("subject"), d.get("title")) if x)
    conn.execute("INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)",
                 [doc_id, fts_text(title), fts_text(text)])
    for s in d.get("sections") or []:
        start, end = _span(s)
        cur = conn.execute(
            "INSERT INTO sections (doc_id, section, parent, level, label, heading, title, kind, start, end) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc_id, s["id"], s.get("parent"), s.get("level"), s.get("label"), s.get("heading"),
             s.get("title"), s.get("kind"), start, end])
        body = text[start:end] if start is not None and end is not None else ""
        conn.execute("INSERT INTO sections_fts (rowid, heading, body) VALUES (?, ?, ?)",
                     [cur.lastrowid, fts_text(s.get("heading") or ""), fts_text(body)])
    basis_keys = {number_key(c.get("number")) for c in d.get("legal_basis") or []}
    cites = []
    for c in d.get("citations") or []:
        start, end = _span(c)
        nk = number_key(c.get("number")) or ""
        cites.append([doc_id, c.get("type"), c.get("number"), nk, c.get("key"), c.get("date"),
                      c.get("issuer"), c.get("subject"), int(bool(c.get("basis")) or nk in basis_keys),
                      c.get("section"), int(bool(c.get("in_footnote"))), c.get("occurrences") or 1,
                      start, end, c.get("context")])
    conn.executemany(
        "INSERT INTO citations (doc_id, type, number, number_key, cite_key, date, issuer, subject, basis, "
        "section, in_footnote, occurrences, start, end, context) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cites)
    conn.executemany(
        "INSERT INTO assignments (doc_id, agency, agency_key, role, partners, task, section, start, end) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        [[doc_id, a.get("agency") or "", a.get("agency_key"), a.get("role"),
          json.dumps(a.get("partners") or [], ensure_ascii=False), a.get("task"), a.get("section"), *_span(a)]
         for a in d.get("assignments") or []])
    conn.executemany(
        "INSERT INTO deadlines (doc_id, date, precision, raw, what, agency, agency_key, to_agency, recurring, "
        "relative, section, start, end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [[doc_id, x.get("date"), x.get("precision"), x.get("raw"), x.get("what"), x.get("agency"),
          x.get("agency_key"), x.get("to"), x.get("recurring"), x.get("relative"), x.get("section"), *_span(x)]
         for x in d.get("deadlines") or []])
    conn.executemany("INSERT INTO recipients (doc_id, position, text) VALUES (?,?,?)",
                     [[doc_id, i, r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)]
                      for i, r in enumerate(d.get("recipients") or [])])
    conn.executemany("INSERT INTO footnotes (doc_id, mark, text, start, end) VALUES (?,?,?,?,?)",
                     [[doc_id, f.get("mark"), f.get("text"), *_span(f)] for f in d.get("footnotes") or []])


def log_failure(db: sqlite_utils.Database, path: str, sha: str | None, reason: str) -> None:
    db.conn.execute("INSERT INTO failures (path, sha256, error, failed_at) VALUES (?, ?, ?, ?)",
                    [path, sha, reason, now()])


# --- the run ------------------------------------------------------------------------------------
class _Batch:
    """Groups writes into transactions of bounded size and age."""

    def __init__(self, db: sqlite_utils.Database):
        self.conn = db.conn
        self.n = 0
        self.t = time.monotonic()

    def __enter__(self) -> "_Batch":
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def tick(self) -> None:
        self.n += 1
        if self.n >= COMMIT_EVERY or time.monotonic() - self.t >= COMMIT_SECONDS:
            self.conn.execute("COMMIT")
            self.conn.execute("BEGIN IMMEDIATE")
            self.n, self.t = 0, time.monotonic()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def ingest_paths(db: sqlite_utils.Database, paths: list[str], jobs: int = 1, force: bool = False,
                 progress: bool = True, on_fail=None) -> IngestReport:
    """Index ``paths``. ``on_fail(path, reason)`` is called for each failure (default: one line
    on stderr)."""
    started = time.monotonic()
    report = IngestReport()
    if on_fail is None:
        def on_fail(path: str, reason: str) -> None:
            print(f"danvan: {path}: {reason}", file=sys.stderr)
    db.conn.isolation_level = None  # explicit transactions (_Batch)
    todo: list[tuple[str, str, os.stat_result]] = []
    with _Batch(db) as batch:
        for path, problem in iter_files(paths):
            if problem is None:
                problem, sha, st = _check_file(db, path, force)
                if problem is None and sha is None:
                    report.skipped += 1
                    continue
            if problem is not None:
                _fail(db, report, path, None, problem, on_fail)
                batch.tick()
                continue
            todo.append((path, sha, st))  # type: ignore[arg-type]
        stats = {p: s for p, _, s in todo}
        for status, path, sha, payload in _parse_all(todo, jobs, progress):
            if status == "ok":
                write_document(db, payload, path, stats.get(path))  # type: ignore[arg-type]
                report.indexed += 1
            else:
                _fail(db, report, path, sha, str(payload), on_fail)
            batch.tick()
    _resolve(db)
    report.seconds = time.monotonic() - started
    return report


def _check_file(db: sqlite_utils.Database, path: str, force: bool):
    """(problem, sha, stat): sha None with no problem means unchanged, skip it."""
    try:
        st = os.stat(path)
        if not os.path.isfile(path):
            return "not a regular file", None, None
        sha = file_sha256(path)
    except PermissionError:
        return "permission denied", None, None
    except OSError as e:
        return e.strerror or str(e), None, None
    row = db.conn.execute("SELECT id, parser_version FROM documents WHERE sha256 = ?", [sha]).fetchone()
    if row and not force and row[1] == PARSER_VERSION:
        f = db.conn.execute("SELECT doc_id FROM files WHERE path = ?", [path]).fetchone()
        if not f or f[0] != row[0]:  # same content under a new path: remember the path
            prev = f[0] if f else None
            db.conn.execute(
                "INSERT INTO files (path, doc_id, size, mtime, seen_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET doc_id = excluded.doc_id, seen_at = excluded.seen_at",
                [path, row[0], st.st_size, st.st_mtime, now()])
            if prev:
                _drop_if_orphan(db, prev)
        return None, None, st
    return None, sha, st


def _fail(db, report: IngestReport, path: str, sha: str | None, reason: str, on_fail) -> None:
    reason = " ".join(reason.split())
    report.failed.append((path, reason))
    log_failure(db, path, sha, reason)
    on_fail(path, reason)


def _parse_all(todo, jobs: int, progress: bool):
    bar = _progress(len(todo)) if progress and todo else None
    try:
        if jobs <= 1 or len(todo) < 2:
            for path, sha, _ in todo:
                yield parse_one(path, sha)
                if bar:
                    bar[0].advance(bar[1])
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                # map keeps order and streams; chunks keep the pickling overhead low
                chunk = max(1, min(32, len(todo) // (jobs * 8) or 1))
                for res in pool.map(parse_one, [t[0] for t in todo], [t[1] for t in todo], chunksize=chunk):
                    yield res
                    if bar:
                        bar[0].advance(bar[1])
    finally:
        if bar:
            bar[0].stop()


def _progress(total: int):
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    p = Progress(TextColumn("parsing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                 console=Console(stderr=True), transient=True)
    p.start()
    return p, p.add_task("parse", total=total)


def _resolve(db: sqlite_utils.Database) -> None:
    """Tie citations to the indexed documents they name (parse.citations' rules)."""
    try:
        from .citegraph import resolve_citations
    except ImportError:
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        resolve_citations(db)
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
