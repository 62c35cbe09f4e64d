"""Ingest: files in, documents in the index, incrementally and safely.

A file is keyed by its content hash. Unchanged content parsed by the current parser is
skipped; a changed file replaces its old document in one transaction; a file that fails is
logged in ``failures`` with a one-line reason and the run goes on. Parsing may run in a process
pool; only this process writes.

What can go wrong, and what happens then:

- a file that cannot be read, is too large, or holds far too much text: one line on stderr and
  in ``failures``, the run goes on;
- a parser that raises, or runs longer than ``PARSE_TIMEOUT`` seconds: the same;
- a worker process that dies (a crash in a native library, the kernel's OOM killer): the files
  it held are parsed again one at a time in fresh processes, so only the culprit fails;
- a document that cannot be stored (a value the schema refuses): its writes are rolled back to a
  savepoint and it is logged; the others in the transaction stay;
- the ingest itself killed (SIGKILL, power loss): writes are grouped in transactions of at
  most ``COMMIT_EVERY`` documents or ``COMMIT_SECONDS``, so the index keeps every document
  committed before the kill and the next run does the rest.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import signal
import sqlite3
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from stat import S_ISREG
from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple

import orjson
import regex as re

from . import PARSER_VERSION
from .keys import deadline_uid, number_key
from .normalize import fold_search
from .parse import file_sha256  # noqa: F401  (re-exported: bench and tests use index.file_sha256)
from .readers import SUPPORTED_EXTENSIONS
from .schema import ALL_KEYS

if TYPE_CHECKING:
    from .db import Index

COMMIT_EVERY = 200        # documents per transaction at most ...
COMMIT_SECONDS = 1.0      # ... or this long, whichever comes first: a kill loses at most that

# Files above these sizes are refused before they are read. A long administrative document is
# well under 1 MB as text and a few MB as .docx or .pdf (a scan of many pages: tens of MB); a
# 50 MB text file is a log or a data dump, and parsing it would hold the run for minutes.
# Saved web pages may carry inline images, hence their larger limit.
MAX_FILE_BYTES = {".txt": 16 << 20, ".md": 16 << 20, ".html": 64 << 20, ".htm": 64 << 20}
MAX_OTHER_BYTES = 512 << 20
# Text extracted from a file of an accepted size can still be huge (a PDF of thousands of
# pages, a zip bomb dressed as .docx): beyond this many characters (about 1,500 dense pages)
# the file is refused rather than parsed.
MAX_TEXT_CHARS = 5_000_000
# Seconds one file may take to read and parse (OCR of a long scan included) before it is given
# up: a safety net for pathological input, not a speed target. DANVAN_PARSE_TIMEOUT overrides.
PARSE_TIMEOUT = 600.0
# An unchanged size and modification time skip the hashing of a file seen before, unless the
# file was modified within this many seconds of when it was last indexed (coarse file-system
# clocks, e.g. FAT's 2 s, could hide a change made in the same tick).
RACY_SECONDS = 2.0


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
    """The UTC time to the second, as stored in ``indexed_at`` and ``seen_at``."""
    second = int(time.time())
    if second != _now[0]:  # made once a second: every document and file row asks for it
        _now[:] = [second, dt.datetime.fromtimestamp(second, dt.timezone.utc).isoformat()]
    return _now[1]


_now: list = [None, ""]


def stored_path(path: str) -> str:
    """The path as the index stores and shows it.

    A file name that is not valid UTF-8 (files unzipped from an archive made on an old Windows)
    reaches Python with surrogate escapes, which SQLite cannot store: its undecodable bytes are
    kept as \\xNN escapes, so the name stays distinct, printable and the same on every run."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


# --- finding files ------------------------------------------------------------------------------
# A folder's own notes (README.md, LICENSE.txt ...) describe the folder; they are not documents.
_FOLDER_NOTES = ("readme", "license", "licence", "changelog")


def _skip_name(name: str) -> bool:
    # hidden files and folders, Word's lock files "~$x.docx", the folder's notes; a file named
    # on the command line is always taken
    return (name.startswith(".") or name.startswith("~$")
            or os.path.splitext(name)[0].lower() in _FOLDER_NOTES)


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


def size_problem(path: str, size: int) -> str | None:
    """Why a file of ``size`` bytes is refused unread, or None."""
    ext = os.path.splitext(path)[1].lower()
    limit = MAX_FILE_BYTES.get(ext, MAX_OTHER_BYTES)
    if size <= limit:
        return None
    kind = f"{ext} files" if ext in MAX_FILE_BYTES else "files"
    return (f"too large for a document: {size / 2**20:.1f} MB (the limit for {kind} is "
            f"{limit >> 20} MB)")


# --- parsing (runs in worker processes) ---------------------------------------------------------
class ParseTimeout(BaseException):
    """Raised by the alarm in the middle of a parse. A BaseException, so that a stage's
    ``except Exception`` cannot swallow it."""


def _timeout_seconds() -> float:
    try:
        return float(os.environ.get("DANVAN_PARSE_TIMEOUT", PARSE_TIMEOUT))
    except ValueError:
        return PARSE_TIMEOUT


@contextmanager
def _time_limit(seconds: float):
    """SIGALRM after ``seconds`` in the main thread of this process (workers and the CLI parse
    there); elsewhere, or without a positive limit, no limit."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise ParseTimeout()
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def parse_one(path: str, sha: str) -> tuple[str, str, str, object]:
    """("ok", path, sha, document dict) or ("fail", path, sha, one-line reason). Never raises
    for a bad file (KeyboardInterrupt and SystemExit still stop the run)."""
    from .parse import parse_extracted
    from .readers import ReadError, read
    limit = _timeout_seconds()
    try:
        with _time_limit(limit):
            ext = read(path)
            n = sum(len(b.text) + 1 for b in ext.blocks)
            if n > MAX_TEXT_CHARS:
                return "fail", path, sha, (f"too much text for a document: {n:,} characters "
                                           f"(the limit is {MAX_TEXT_CHARS:,})")
            doc = parse_extracted(ext, path, sha)
            return "ok", path, sha, document_dict(doc)
    except ReadError as e:
        return "fail", path, sha, str(e)
    except ParseTimeout:
        return "fail", path, sha, (f"gave up after {limit:g} s of reading and parsing "
                                   "(DANVAN_PARSE_TIMEOUT=seconds raises the limit)")
    except MemoryError:
        return "fail", path, sha, "out of memory while parsing"
    except RecursionError:
        return "fail", path, sha, "parser error (RecursionError: nesting too deep)"
    except Exception as e:  # a parser bug must not stop the run: report it on one line
        msg = " ".join(str(e).split())[:200]
        return "fail", path, sha, f"parser error ({type(e).__name__}: {msg})"


_FIELDS: dict[type, tuple[str, ...]] = {}
_SCALARS = frozenset((str, int, float, bool, type(None)))


def _plain(x):
    # Scalars, most of the values, are passed through where they stand rather than in a call
    # each: a document holds hundreds of them.
    t = type(x)
    if t in _SCALARS:
        return x
    if t is list or t is tuple:
        return [v if type(v) in _SCALARS else _plain(v) for v in x]
    if t is dict:
        return {k: v if type(v) in _SCALARS else _plain(v) for k, v in x.items()}
    names = _FIELDS.get(t)
    if names is None:
        if not is_dataclass(x):
            return x
        names = _FIELDS[t] = tuple(f.name for f in fields(x))
    out = {}
    for n in names:
        v = getattr(x, n)
        out[n] = v if type(v) in _SCALARS else _plain(v)
    return out


def document_dict(doc) -> dict:
    """``doc.to_dict(with_text=True)``, the same JSON, three times faster: ``dataclasses.asdict``
    deep-copies every value and was a tenth of the time of a text document's ingest."""
    return _plain(doc)


def parse_rows(path: str, sha: str) -> tuple[str, str, str, object]:
    """``parse_one`` made ready for the writer: ("ok", path, sha, ``Rows``) or ("fail", path,
    sha, one-line reason)."""
    status, path, sha, payload = parse_one(path, sha)
    if status == "ok":
        payload = prepare(payload)  # type: ignore[arg-type]
        if isinstance(payload, str):
            return "fail", path, sha, payload
    return status, path, sha, payload


def _parse_chunk(items: list[tuple[str, str]]) -> list[tuple[str, str, str, object]]:
    return [parse_rows(p, s) for p, s in items]


def parse_path(path: str) -> tuple[str, object]:
    """One file named by the user, checked as ingest checks it: ("ok", document dict with
    text) or ("fail", one-line reason). Never raises for a bad file."""
    try:
        if os.path.isdir(path):
            return "fail", "is a directory, not a file"
        problem = size_problem(path, os.path.getsize(path))
        if problem:
            return "fail", problem
        sha = file_sha256(path)
    except PermissionError:
        return "fail", "permission denied"
    except OSError as e:
        return "fail", e.strerror or str(e)
    status, _, _, payload = parse_one(path, sha)
    return status, payload


# --- writing ------------------------------------------------------------------------------------
_SENTENCE_DOT = re.compile(r"\.(?!\w)")


def fts_text(text: str) -> str:
    """The folded copy the FTS table indexes: no diacritics, and sentence dots dropped so that
    "tỉnh." is the token "tinh" (dots inside numbers like "V.I" stay). Same length as ``text``."""
    return _SENTENCE_DOT.sub(" ", fold_search(text))


class FtsQueue:
    """Full-text rows held back until the transaction commits.

    FTS5 writes the terms it has pending as a new index segment whenever a savepoint opens, and
    every document is written under one (``store_document``): inserted one document at a time,
    each document became a segment of its own and merging them was a quarter of the cost of a
    write. Queued here and inserted just before COMMIT, a transaction's documents make one
    segment. The rows go in inside the same transaction, so a kill loses them only with their
    documents."""

    def __init__(self) -> None:
        self.docs: dict[int, tuple] = {}   # doc id -> its documents_fts row

    def add(self, doc_id: int, doc_row: tuple) -> None:
        self.docs[doc_id] = doc_row

    def drop(self, doc_id: int) -> None:
        self.docs.pop(doc_id, None)

    def flush(self, conn: sqlite3.Connection) -> None:
        if self.docs:
            _insert_fts(conn, list(self.docs.values()))
            self.docs.clear()


def _insert_fts(conn: sqlite3.Connection, doc_rows: list[tuple]) -> None:
    conn.executemany("INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)", doc_rows)


def _fts_queue(db: Index) -> FtsQueue | None:
    return getattr(db, "_danvan_fts_queue", None)


# Written with every change to the documents, in its transaction: the number keys whose
# citations are to be resolved again (schema.py, version 3). A citation's target depends only
# on the documents of its key: those of a new or deleted document, and those its citations
# name. A run that changed nothing finds the queue empty and skips resolution.
_QUEUE_KEYS = "INSERT OR IGNORE INTO resolve_queue (number_key) VALUES (?)"


def delete_document(db: Index, doc_id: int) -> None:
    conn = db.conn
    conn.execute("INSERT OR IGNORE INTO resolve_queue (number_key) "
                 "SELECT number_key FROM documents WHERE id = ? AND number_key IS NOT NULL", [doc_id])
    queue = _fts_queue(db)
    if queue is not None:
        queue.drop(doc_id)
    conn.execute("DELETE FROM documents_fts WHERE rowid = ?", [doc_id])
    conn.execute("DELETE FROM documents WHERE id = ?", [doc_id])


# Encoders made once: json.dumps with options builds one per call, and a document has dozens.
_json = json.JSONEncoder(ensure_ascii=False).encode
_json_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class Rows(NamedTuple):
    """One parsed document as the rows the index stores, but for the ids the writer gives.

    Made by ``document_rows`` where the document was parsed, in a worker: the writer is the one
    part of an ingest that does not run in parallel, so all it does is insert. The JSON, the
    folded copy for full-text search, the number keys and the deadlines' uids are made beside
    the parse."""
    sha256: str
    document: tuple            # _DOCUMENT_COLUMNS[2:] (path, indexed_at: the writer's); text, json as UTF-8
    fts_title: str
    fts_body: str
    sections: list[tuple]      # _INSERT_SECTIONS values after doc_id, in document order
    citations: list[tuple]     # each table's columns after doc_id
    assignments: list[tuple]
    deadlines: list[tuple]
    recipients: list[tuple]
    footnotes: list[tuple]


def document_rows(d: dict) -> Rows:
    """The rows of one parsed document (a ``Document.to_dict(with_text=True)``). Consumes ``d``:
    its text is taken out and its source made the stored path."""
    if isinstance(d.get("source"), str):
        d["source"] = stored_path(d["source"])
    text = d.pop("text", "") or ""
    signer = d.get("signer") or {}
    document = (
        d["sha256"], d.get("format"), d.get("kind"), d.get("doc_type"), d.get("number"),
        number_key(d.get("number")), d.get("symbol"), d.get("issuer"), d.get("place"), d.get("date"),
        d.get("year"), d.get("subject"), d.get("title"), d.get("author"), _json(d.get("addressees") or []),
        signer.get("name"), signer.get("title"), signer.get("authority"), signer.get("on_behalf"),
        _json(d.get("warnings") or []), _json(d.get("metadata") or {}),
        d.get("parser_version") or PARSER_VERSION,
        # compact: the largest value of a row (a plan's outline, spans and contexts), read by programs
        _utf8(text), document_json(d))
    title = " ".join(x for x in (d.get("doc_type"), d.get("number"), d.get("subject"), d.get("title")) if x)
    section_rows = [(s["id"], s.get("parent"), s.get("level"), s.get("label"), s.get("heading"),
                     s.get("kind"), *_span(s)) for s in d.get("sections") or []]
    basis_keys = {number_key(c.get("number")) for c in d.get("legal_basis") or []}
    citations = []
    for c in d.get("citations") or []:
        nk = number_key(c.get("number")) or ""
        citations.append((c.get("type"), c.get("number"), nk, c.get("key"), c.get("date"), c.get("issuer"),
                          c.get("subject"), int(bool(c.get("basis")) or nk in basis_keys), c.get("section"),
                          int(bool(c.get("in_footnote"))), c.get("occurrences") or 1, *_span(c), c.get("context")))
    in_doc = (d.get("number"), d.get("doc_type"), d.get("issuer"), d.get("date"), d.get("subject"))
    deadlines = []
    for x in d.get("deadlines") or []:
        date, recurring, raw, what, agency, to = (x.get("date"), x.get("recurring"), x.get("raw"),
                                                  x.get("what"), x.get("agency"), x.get("to"))
        deadlines.append((date, x.get("precision"), raw, what, agency, x.get("agency_key"), to, recurring,
                          x.get("relative"), x.get("section"), *_span(x),
                          deadline_uid((date, recurring, raw, what, agency, to, *in_doc))))
    return Rows(
        d["sha256"], document, fts_text(title), fts_text(text), section_rows, citations,
        [(a.get("agency") or "", a.get("agency_key"), a.get("role"), _json(a.get("partners") or []),
          a.get("task"), a.get("section"), *_span(a)) for a in d.get("assignments") or []],
        deadlines,
        [(i, r if isinstance(r, str) else _json(r)) for i, r in enumerate(d.get("recipients") or [])],
        [(f.get("mark"), f.get("text"), *_span(f)) for f in d.get("footnotes") or []])


def document_json(d: dict) -> bytes:
    """The document as the compact UTF-8 JSON the ``json`` column stores.

    orjson writes byte for byte what ``json`` writes with these options, seven times faster
    (0.02 against 0.14 ms for a plan). It refuses lone surrogates and integers beyond 64 bits,
    which the standard encoder and ``_utf8`` take."""
    try:
        return orjson.dumps(d)
    except orjson.JSONEncodeError:
        return _utf8(_json_compact(d))


def _utf8(s: str) -> bytes:
    """A long text as the UTF-8 the index stores. Made in the worker, it crosses to the writer
    as bytes: unpickling a long str with accents decodes it, and binding it to SQLite encodes it
    again, a tenth of the writer's time per document (``_insert_sql``'s ``as_text`` stores it
    as text)."""
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: one U+FFFD each, so spans stay valid
        return _SURROGATE.sub("\ufffd", s).encode("utf-8")


def _insert_sql(table: str, columns: tuple[str, ...], as_text: tuple[str, ...] = ()) -> str:
    """The INSERT of ``columns``; those in ``as_text`` are bound as UTF-8 bytes and stored as text."""
    values = ", ".join("CAST(? AS TEXT)" if c in as_text else "?" for c in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"


_DOCUMENT_COLUMNS = (
    "path", "indexed_at", "sha256", "format", "kind", "doc_type", "number", "number_key", "symbol", "issuer",
    "place", "date", "year", "subject", "title", "author", "addressees", "signer_name", "signer_title",
    "signer_authority", "signer_on_behalf", "warnings", "metadata", "parser_version", "text", "json")
_INSERT_DOCUMENT = _insert_sql("documents", _DOCUMENT_COLUMNS, as_text=("text", "json"))
_NUMBER_KEY = _DOCUMENT_COLUMNS.index("number_key") - 2   # its place in Rows.document
_INSERT_SECTIONS = _insert_sql("sections", ("doc_id", "section", "parent", "level", "label", "heading",
                                            "kind", "start", "end"))
# The child tables Rows fills after its sections, in its order, with their columns after doc_id.
_INSERT_CHILDREN = tuple(_insert_sql(table, ("doc_id",) + columns) for table, columns in (
    ("citations", ("type", "number", "number_key", "cite_key", "date", "issuer", "subject", "basis",
                   "section", "in_footnote", "occurrences", "start", "end", "context")),
    ("assignments", ("agency", "agency_key", "role", "partners", "task", "section", "start", "end")),
    ("deadlines", ("date", "precision", "raw", "what", "agency", "agency_key", "to_agency", "recurring",
                   "relative", "section", "start", "end", "uid")),
    ("recipients", ("position", "text")),
    ("footnotes", ("mark", "text", "start", "end"))))


def write_document(db: Index, d: dict, path: str, stat: os.stat_result | None) -> int:
    """Insert one parsed document (a ``Document.to_dict(with_text=True)``) and point ``path`` at
    it, replacing what that path or that content had before. Caller holds the transaction."""
    return write_rows(db, document_rows(d), path, stat)


def write_rows(db: Index, r: Rows, path: str, stat: os.stat_result | None) -> int:
    """``write_document`` for a document already made into rows."""
    conn = db.conn
    path = stored_path(path)
    old = conn.execute("SELECT id FROM documents WHERE sha256 = ?", [r.sha256]).fetchone()
    if old:
        delete_document(db, old[0])
    doc_id = conn.execute(_INSERT_DOCUMENT, (path, now(), *r.document)).lastrowid
    keys = {c[2] for c in r.citations if c[2]}   # (the citations' number_key)
    if r.document[_NUMBER_KEY]:
        keys.add(r.document[_NUMBER_KEY])
    conn.executemany(_QUEUE_KEYS, [(k,) for k in keys])
    for sql, rows in zip((_INSERT_SECTIONS, *_INSERT_CHILDREN),
                         (r.sections, r.citations, r.assignments, r.deadlines, r.recipients, r.footnotes)):
        if rows:
            conn.executemany(sql, [(doc_id, *x) for x in rows])
    _link_path(db, path, doc_id, stat)
    fts_doc = (doc_id, r.fts_title, r.fts_body)
    queue = _fts_queue(db)
    if queue is None:  # no batch open: written now
        _insert_fts(conn, [fts_doc])
    else:
        queue.add(doc_id, fts_doc)
    return doc_id


def _link_path(db: Index, path: str, doc_id: int, st: os.stat_result | None) -> None:
    """Point ``path`` at an indexed document, dropping what it pointed at if nothing else does."""
    path = stored_path(path)
    f = db.conn.execute("SELECT doc_id FROM files WHERE path = ?", [path]).fetchone()
    db.conn.execute(
        "INSERT INTO files (path, doc_id, size, mtime, seen_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET doc_id = excluded.doc_id, size = excluded.size, "
        "mtime = excluded.mtime, seen_at = excluded.seen_at",
        [path, doc_id, st.st_size if st else None, st.st_mtime if st else None, now()])
    if f and f[0] != doc_id:
        _drop_if_orphan(db, f[0])


def _drop_if_orphan(db: Index, doc_id: int) -> None:
    if not db.conn.execute("SELECT 1 FROM files WHERE doc_id = ? LIMIT 1", [doc_id]).fetchone():
        delete_document(db, doc_id)


def _span(obj: dict) -> tuple[int | None, int | None]:
    s = obj.get("span") or (None, None)
    return s[0], s[1]


def log_failure(db: Index, path: str, sha: str | None, reason: str) -> None:
    db.conn.execute("INSERT INTO failures (path, sha256, error, failed_at) VALUES (?, ?, ?, ?)",
                    [stored_path(path), sha, reason, now()])


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(obj):
    """``obj`` with each lone surrogate (undecodable bytes in a broken PDF's text) replaced by
    U+FFFD, one character for one, so that SQLite can store it and spans stay valid."""
    if isinstance(obj, str):
        return _SURROGATE.sub("\ufffd", obj)
    if isinstance(obj, dict):
        return {k: _without_surrogates(v) for k, v in obj.items()}
    if isinstance(obj, Rows):
        return Rows(*(_without_surrogates(v) for v in obj))
    if isinstance(obj, (list, tuple)):
        return [_without_surrogates(v) for v in obj]
    return obj


# Errors that belong to one document's values; anything else from SQLite (disk full, I/O error,
# a lock held too long) concerns the whole index and stops the run.
_DOCUMENT_ERRORS = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError,
                    OverflowError, TypeError, ValueError, KeyError, AttributeError)


def store_document(db: Index, d: dict, path: str, st: os.stat_result | None,
                   copies: list[tuple[str, os.stat_result]] = ()) -> tuple[int | None, str | None]:
    """Write one document under a savepoint: (doc_id, None), or (None, one-line reason) with
    nothing of it left in the index. Caller holds the transaction."""
    rows = prepare(d)
    if isinstance(rows, str):
        return None, rows
    return store_rows(db, rows, path, st, copies)


def prepare(d: dict) -> Rows | str:
    """``document_rows`` of a copy of ``d``, or the one-line reason it cannot be stored."""
    try:
        return document_rows(dict(d))
    except _DOCUMENT_ERRORS as e:
        return _unstorable(e)


def _unstorable(e: BaseException) -> str:
    msg = " ".join(str(e).split())[:200]
    return f"could not be stored in the index ({type(e).__name__}: {msg})"


def store_rows(db: Index, rows: Rows, path: str, st: os.stat_result | None,
               copies: list[tuple[str, os.stat_result]] = ()) -> tuple[int | None, str | None]:
    """``store_document`` for a document already made into rows."""
    conn = db.conn
    queue = _fts_queue(db)
    for attempt in (0, 1):
        conn.execute("SAVEPOINT doc")
        doc_id = None
        try:
            doc_id = write_rows(db, rows if attempt == 0 else _without_surrogates(rows), path, st)
            for other, ost in copies:
                _link_path(db, other, doc_id, ost)
        except BaseException as e:
            conn.execute("ROLLBACK TO doc")
            conn.execute("RELEASE doc")
            if queue is not None and doc_id is not None:
                queue.drop(doc_id)
            if isinstance(e, UnicodeEncodeError):
                continue
            if isinstance(e, _DOCUMENT_ERRORS):
                return None, _unstorable(e)
            raise
        conn.execute("RELEASE doc")
        return doc_id, None
    return None, "could not be stored in the index (text that is not valid Unicode)"


# --- the run ------------------------------------------------------------------------------------
class WriteBatch:
    """Groups writes into transactions of bounded size and age; full-text rows are queued
    (``FtsQueue``) and written at each commit."""

    def __init__(self, db: Index):
        self.db = db
        self.conn = db.conn
        self.n = 0
        self.t = time.monotonic()
        self.queue = FtsQueue()

    def __enter__(self) -> "WriteBatch":
        # Each document is stored under a savepoint, whose journal (the pages as they were
        # before the document) SQLite keeps in a temporary file by default: 300 MB of writes
        # for 1,500 plans, six times the index. In memory it is one document's pages at most.
        self.conn.execute("PRAGMA temp_store=MEMORY")
        self.conn.execute("BEGIN IMMEDIATE")
        self.db._danvan_fts_queue = self.queue  # type: ignore[attr-defined]
        return self

    def tick(self) -> None:
        self.n += 1
        if self.n >= COMMIT_EVERY or time.monotonic() - self.t >= COMMIT_SECONDS:
            self.queue.flush(self.conn)
            self.conn.execute("COMMIT")
            self.conn.execute("BEGIN IMMEDIATE")
            self.n, self.t = 0, time.monotonic()

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.queue.flush(self.conn)
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            del self.db._danvan_fts_queue  # type: ignore[attr-defined]


def ingest_paths(db: Index, paths: list[str], jobs: int = 1, force: bool = False,
                 progress: bool = True, on_fail=None) -> IngestReport:
    """Index ``paths``. ``on_fail(path, reason)`` is called for each failure (default: one line
    on stderr).

    One pass, streamed: files are checked as the walk finds them, parsed (in ``jobs``
    processes) a few at a time, and written as their results come back, so memory does not
    grow with the number of files."""
    started = time.monotonic()
    report = IngestReport()
    if on_fail is None:
        def on_fail(path: str, reason: str) -> None:
            print(f"danvan: {stored_path(path)}: {reason}", file=sys.stderr)
    if db.conn.in_transaction:
        db.conn.commit()
    db.conn.isolation_level = None  # explicit transactions (WriteBatch)
    # Content being parsed now: sha -> (path, stat, [other paths with the same content]).
    # A copy found later than that is linked by _check_file, which sees the written document.
    pending: dict[str, tuple[str, os.stat_result, list[tuple[str, os.stat_result]]]] = {}
    bar = _progress(lambda: sum(1 for _ in iter_files(paths))) if progress else None

    def done(status: str, path: str, sha: str, payload) -> None:
        _, st, others = pending.pop(sha)
        reason = str(payload) if status != "ok" else store_rows(db, payload, path, st, others)[1]
        if reason is None:
            report.indexed += 1
            report.skipped += len(others)
        else:
            for other in [path] + [p for p, _ in others]:
                _fail(db, report, other, sha, reason, on_fail)
        batch.tick()
        if bar:
            bar[0].advance(bar[1], 1 + len(others))

    try:
        with WriteBatch(db) as batch, _Parser(jobs) as parser:
            for path, problem in iter_files(paths):
                if problem is None:
                    problem, sha, st = _check_file(db, path, force)
                    if problem is None and sha is None:
                        report.skipped += 1
                        if bar:
                            bar[0].advance(bar[1])
                        continue
                if problem is not None:
                    _fail(db, report, path, None, problem, on_fail)
                    batch.tick()
                    if bar:
                        bar[0].advance(bar[1])
                    continue
                if sha in pending:  # the same content twice, the first still being parsed
                    pending[sha][2].append((path, st))
                    continue
                pending[sha] = (path, st, [])
                for res in parser.submit(path, sha):
                    done(*res)
            for res in parser.finish():
                done(*res)
    finally:
        if bar:
            bar[0].stop()
    _resolve(db)
    report.seconds = time.monotonic() - started
    return report


def _check_file(db: Index, path: str, force: bool):
    """(problem, sha, stat): sha None with no problem means unchanged, skip it."""
    try:
        st = os.stat(path)
        if not S_ISREG(st.st_mode):
            return "not a regular file", None, None
        problem = size_problem(path, st.st_size)
        if problem:
            return problem, None, None
        key = stored_path(path)
        if not force and _unchanged_by_stat(db, key, st):
            return None, None, st
        sha = file_sha256(path)
    except PermissionError:
        return "permission denied", None, None
    except OSError as e:
        return e.strerror or str(e), None, None
    row = db.conn.execute("SELECT id, parser_version FROM documents WHERE sha256 = ?", [sha]).fetchone()
    if row and not force and row[1] == PARSER_VERSION:
        f = db.conn.execute("SELECT doc_id, size, mtime FROM files WHERE path = ?", [key]).fetchone()
        if not f or f[0] != row[0] or (f[1], f[2]) != (st.st_size, st.st_mtime):
            _link_path(db, path, row[0], st)  # a new path, or new stat, for known content
        return None, None, st
    return None, sha, st


def _unchanged_by_stat(db: Index, key: str, st: os.stat_result) -> bool:
    """The file at ``key`` has the size and mtime it had when indexed by this parser version,
    and was not modified in the same clock tick as that indexing."""
    f = db.conn.execute(
        "SELECT f.size, f.mtime, f.seen_at, d.parser_version FROM files f JOIN documents d ON d.id = f.doc_id "
        "WHERE f.path = ?", [key]).fetchone()
    if not f or f[0] != st.st_size or f[1] != st.st_mtime or f[3] != PARSER_VERSION:
        return False
    try:
        seen = dt.datetime.fromisoformat(f[2]).timestamp()
    except (TypeError, ValueError):
        return False
    return st.st_mtime < seen - RACY_SECONDS


def _fail(db, report: IngestReport, path: str, sha: str | None, reason: str, on_fail) -> None:
    reason = " ".join(reason.split())
    report.failed.append((stored_path(path), reason))
    log_failure(db, path, sha, reason)
    on_fail(path, reason)


class _Parser:
    """Parses files in order, here (``jobs`` 1) or in ``jobs`` worker processes.

    ``submit`` hands in one file and returns the results that are ready, in submission order;
    ``finish`` yields the rest as they come, so that the writer stores each while the workers
    still parse. Files go to the workers in chunks of ``CHUNK`` (fewer round trips) and only a
    few chunks are in flight (``workers.OrderedPool``), so memory stays flat however many files
    there are. When a worker dies, each file of the chunks it held is parsed again in a process
    of its own: only the file that kills its parser fails."""

    CHUNK = 8   # files a chunk: 4 and 16 were slower with --jobs 2 over 1,500 plans

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.chunk: list[tuple[str, str]] = []
        self.pool = None
        if jobs > 1:
            from .workers import OrderedPool  # (and multiprocessing: a --jobs 1 run needs neither)
            self.pool = OrderedPool(jobs, _parse_chunk, on_death=_parse_each_alone)

    def __enter__(self) -> "_Parser":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.pool is not None:
            self.pool.close(graceful=exc_type is None)

    def submit(self, path: str, sha: str) -> Iterable:
        if self.pool is None:
            return [parse_rows(path, sha)]
        self.chunk.append((path, sha))
        if len(self.chunk) < self.CHUNK:
            return ()
        c, self.chunk = self.chunk, []
        return itertools.chain.from_iterable(self.pool.put(c))

    def finish(self) -> Iterator:
        if self.pool is None:
            return
        if self.chunk:
            c, self.chunk = self.chunk, []
            yield from itertools.chain.from_iterable(self.pool.put(c))
        yield from itertools.chain.from_iterable(self.pool.drain())


def _parse_each_alone(chunk: list[tuple[str, str]]) -> list:
    return [_parse_isolated(p, s) for p, s in chunk]


def _parse_isolated(path: str, sha: str):
    from .workers import WorkerDied, run_alone
    try:
        return run_alone(_parse_chunk, [(path, sha)])[0]
    except WorkerDied:
        return ("fail", path, sha, "the parser process died on this file (a crash in a "
                "library it uses, or killed for lack of memory)")


def _progress(count):
    """A progress bar on a terminal, over ``count()`` files (a walk that only lists folders)."""
    if not sys.stderr.isatty():
        return None
    total = count()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    p = Progress(TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                 console=Console(stderr=True), transient=True)
    p.start()
    return p, p.add_task("index", total=total)


def _resolve(db: Index) -> None:
    """Tie citations to the indexed documents they name (parse.citations' rules), for the number
    keys queued since that was last done (by this run, or by one killed before it got there)."""
    conn = db.conn
    if not conn.execute("SELECT 1 FROM resolve_queue LIMIT 1").fetchone():
        return
    from .citegraph import resolve_citations
    conn.execute("BEGIN IMMEDIATE")
    try:
        keys = [k for (k,) in conn.execute("SELECT number_key FROM resolve_queue")]
        resolve_citations(db, None if ALL_KEYS in keys else keys)
        conn.execute("DELETE FROM resolve_queue")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
