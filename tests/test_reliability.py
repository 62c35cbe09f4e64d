"""Bad input through `danvan ingest` (and `danvan parse`): every bad file gives one line on
stderr naming it, one row in the failure log, exit status 1, and the rest of the run goes on.

Each case puts one bad file beside the two good documents of ``docs_dir``; ``ingest_case``
checks the common contract and returns the reason, which each test checks for the words a
user needs. A case that needs a reader still being written skips until that reader exists.
"""
from __future__ import annotations

import builtins
import importlib.util
import json
import multiprocessing
import os
import shutil
import sqlite3
import unicodedata
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from danvan_cli import index
from danvan_cli.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"


# --- helpers ------------------------------------------------------------------------------------
def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def needs_reader(module: str) -> None:
    if importlib.util.find_spec(f"danvan_cli.readers.{module}") is None:
        pytest.skip(f"danvan_cli.readers.{module} is not written yet")


def ingest_case(folder: Path, db: Path, bad: str | Path, *args) -> str:
    """Ingest ``folder`` (two good documents and ``bad``); check the failure contract for
    ``bad`` and return its reason."""
    res = invoke("ingest", folder, "--db", db, *args)
    assert "Traceback" not in res.output, res.output
    assert res.exit_code == 1, res.output
    bad = str(bad)
    lines = [x for x in res.stderr.splitlines() if bad in x]
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"danvan: {bad}: "), lines[0]
    reason = lines[0][len(f"danvan: {bad}: "):]
    assert reason.strip() and "\n" not in reason
    assert "indexed 2" in res.stderr, res.stderr  # the good documents went in all the same
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT error FROM failures WHERE path = ?", [bad]).fetchall()
    assert [r[0] for r in rows] == [reason]
    shown = json.loads(invoke("stats", "--failures", "--db", db, "--format", "json").stdout)
    assert {"path": bad, "error": reason} in [{k: r[k] for k in ("path", "error")} for r in shown]
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    conn.close()
    return reason


def pdf_bytes(pages: list[list[str]], image: bool = False) -> bytes:
    """A minimal valid PDF: each page shows its lines in Helvetica, or (``image``) only a
    grey picture, like a scan without a text layer. Written by hand so the tests need no tool."""
    objs: dict[int, bytes] = {3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    kids = []
    for i, lines in enumerate(pages):
        page, content, img = 4 + 3 * i, 5 + 3 * i, 6 + 3 * i
        kids.append(page)
        if image:
            pixels = bytes((x * 7 + y * 13) % 256 for y in range(64) for x in range(64))
            data = zlib.compress(pixels)
            objs[img] = (b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace "
                         b"/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\n"
                         b"stream\n" % len(data) + data + b"\nendstream")
            stream = b"q 400 0 0 500 100 200 cm /Im1 Do Q"
            res = b"/XObject << /Im1 %d 0 R >>" % img
        else:
            esc = [x.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for x in lines]
            body = b" T* ".join(b"(" + x.encode("latin-1") + b") Tj" for x in esc)
            stream = b"BT /F1 11 Tf 72 770 Td 14 TL " + body + b" ET"
            res = b"/Font << /F1 3 0 R >>"
        objs[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> "
                      b"/Contents %d 0 R >>" % (res, content))
        objs[content] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


PAGE = ["KE HOACH so %d/KH-UBND", "Thuc hien cong tac dan van chinh quyen nam 2025",
        "1. Giao Phong Noi vu chu tri, bao cao ket qua truoc ngay 15/11/2025."]


# --- empty, random and truncated files ------------------------------------------------------------
def test_zero_byte_file(docs_dir, tmp_path):
    (docs_dir / "rong.txt").write_bytes(b"")
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "rong.txt")
    assert "empty" in reason


@pytest.mark.parametrize("name", ["ngau-nhien.pdf", "ngau-nhien.docx", "ngau-nhien.doc"])
def test_random_bytes_named_as_a_document(docs_dir, tmp_path, name):
    (docs_dir / name).write_bytes(bytes((i * 7919 + 13) % 251 for i in range(5000)))
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / name)
    assert f"not a {name.rsplit('.', 1)[1]} file" in reason


def test_word97_header_then_garbage(docs_dir, tmp_path):
    """The signature of a Word 97 file followed by noise: refused, not indexed as mojibake."""
    needs_reader("doc")
    (docs_dir / "hong.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "hong.doc")
    assert not reason.startswith("parser error"), reason


def test_pdf_header_then_garbage(docs_dir, tmp_path):
    needs_reader("pdf")
    (docs_dir / "hong.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "hong.pdf")
    assert not reason.startswith("parser error"), reason
    assert "pdf" in reason.lower()


def _docx_bytes(tmp_path: Path) -> bytes:
    import docx
    d = docx.Document()
    for line in ("KẾ HOẠCH", "Thực hiện công tác dân vận năm 2025", "I. MỤC ĐÍCH, YÊU CẦU"):
        d.add_paragraph(line)
    p = tmp_path / "whole.docx"
    d.save(p)
    return p.read_bytes()


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_truncated_docx(docs_dir, tmp_path, cut):
    needs_reader("docx")
    data = _docx_bytes(tmp_path)
    (docs_dir / "cat-cut.docx").write_bytes(data[: int(len(data) * cut)])
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "cat-cut.docx")
    assert not reason.startswith("parser error"), reason
    assert any(w in reason.lower() for w in ("docx", "zip", "broken", "damaged", "truncated")), reason


def test_docx_zip_without_document(docs_dir, tmp_path):
    """A zip that is not a Word document (an .xlsx renamed, or any archive)."""
    needs_reader("docx")
    import zipfile
    with zipfile.ZipFile(docs_dir / "khong-phai-word.docx", "w") as z:
        z.writestr("readme.txt", "hello")
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "khong-phai-word.docx")
    assert not reason.startswith("parser error"), reason


# --- PDFs: encrypted, long, image-only ----------------------------------------------------------
def test_encrypted_pdf_is_refused_with_the_reason(docs_dir, tmp_path):
    needs_reader("pdf")
    shutil.copy(FIXTURES / "encrypted-user-password.pdf", docs_dir / "mat-khau.pdf")
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "mat-khau.pdf")
    assert "password" in reason.lower() or "encrypted" in reason.lower(), reason


def test_pdf_encrypted_without_user_password_is_read(tmp_path):
    """Permissions-only encryption (no password to open, common on published PDFs) reads."""
    needs_reader("pdf")
    db = tmp_path / "i.db"
    res = invoke("ingest", FIXTURES / "encrypted-owner-only.pdf", "--db", db)
    assert res.exit_code == 0, res.output
    text = sqlite3.connect(db).execute("SELECT text FROM documents").fetchone()[0]
    assert "KE HOACH" in text


def test_pdf_of_500_pages(tmp_path):
    needs_reader("pdf")
    pages = [[x % (i + 1) if "%d" in x else x for x in PAGE] for i in range(500)]
    f = tmp_path / "dai.pdf"
    f.write_bytes(pdf_bytes(pages))
    db = tmp_path / "i.db"
    res = invoke("ingest", f, "--db", db)
    assert "Traceback" not in res.output
    conn = sqlite3.connect(db)
    if res.exit_code == 0:  # read: every page is in the text
        text = conn.execute("SELECT text FROM documents").fetchone()[0]
        assert text.count("Thuc hien cong tac dan van") == 500
    else:  # or refused, with a reason that is not a crash
        (reason,) = conn.execute("SELECT error FROM failures").fetchone()
        assert not reason.startswith("parser error"), reason


def _no_tesseract(monkeypatch, tmp_path):
    empty_bin = tmp_path / "empty-bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which",
                        lambda cmd, *a, **k: None if "tesseract" in str(cmd) else real_which(cmd, *a, **k))


def test_image_only_pdf_without_tesseract_says_what_to_install(docs_dir, tmp_path, monkeypatch):
    needs_reader("pdf")
    needs_reader("ocr")
    (docs_dir / "ban-quet.pdf").write_bytes(pdf_bytes([[]] * 2, image=True))
    _no_tesseract(monkeypatch, tmp_path)
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "ban-quet.pdf")
    assert "tesseract" in reason, reason


# --- text: size and encodings ---------------------------------------------------------------------
def test_50_mb_text_file_is_refused_with_the_limit(docs_dir, tmp_path):
    line = "Thực hiện công tác dân vận chính quyền, báo cáo trước ngày 15/11/2025.\n".encode()
    big = docs_dir / "nhat-ky.txt"
    with open(big, "wb") as fh:
        block = line * (1 << 20 // len(line) + 1)
        while fh.tell() < 50 << 20:
            fh.write(block)
    reason = ingest_case(docs_dir, tmp_path / "i.db", big)
    assert "too large" in reason and "MB" in reason and "limit" in reason


def test_size_limit_leaves_ordinary_files_alone():
    assert index.size_problem("x.txt", 2 << 20) is None
    assert index.size_problem("x.pdf", 200 << 20) is None
    assert "too large" in index.size_problem("x.txt", 50 << 20)
    assert "too large" in index.size_problem("x.htm", 100 << 20)


def test_too_much_extracted_text_is_refused(docs_dir, tmp_path, monkeypatch):
    """Text far beyond any document (a zip bomb dressed as .docx) is refused after reading."""
    monkeypatch.setattr(index, "MAX_TEXT_CHARS", 2000)
    (docs_dir / "dai.txt").write_text("Dân vận khéo. " * 200, encoding="utf-8")
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "dai.txt")
    assert reason == "too much text for a document: 2,800 characters (the limit is 2,000)"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 holds â ê ô ơ ư ă precomposed and the five tones as combining marks."""
    s, out, i = unicodedata.normalize("NFD", text), [], 0
    while i < len(s):  # one letter at a time: base, vowel-shape marks composed, tones after
        j = i + 1
        while j < len(s) and unicodedata.combining(s[j]):
            j += 1
        marks = s[i + 1:j]
        shape = "".join(m for m in marks if m in "\u0302\u0306\u031b")
        out.append(unicodedata.normalize("NFC", s[i] + shape) + "".join(m for m in marks if m not in shape))
        i = j
    return "".join(out).encode("cp1258")


def test_windows_1258_text_is_read(tmp_path):
    """Old Vietnamese Windows text: Windows-1258 stores tones as combining marks."""
    from conftest import PLAN
    f = tmp_path / "cu.txt"
    f.write_bytes(to_cp1258(PLAN))
    db = tmp_path / "i.db"
    res = invoke("ingest", f, "--db", db)
    assert res.exit_code == 0, res.output
    text = sqlite3.connect(db).execute("SELECT text FROM documents").fetchone()[0]
    assert "Thực hiện công tác dân vận chính quyền năm 2025" in text


def test_undecodable_text_is_refused_or_read_never_crashes(docs_dir, tmp_path):
    # bytes no Vietnamese encoding decodes as text: control characters in every line
    (docs_dir / "rac.txt").write_bytes(bytes([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x01, 0x02]) * 300)
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "rac.txt")
    assert "encoding" in reason or "binary" in reason or "not text" in reason, reason


# --- the file system ----------------------------------------------------------------------------
def test_unreadable_file_simulated(docs_dir, tmp_path, monkeypatch):
    """Tests run as root here, where chmod 000 stops nothing: refuse the open() instead."""
    bad = docs_dir / "khoa.txt"
    bad.write_text("KẾ HOẠCH\nNội dung.", encoding="utf-8")
    real_open = builtins.open

    def guarded(file, *a, **k):
        if str(file) == str(bad):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **k)
    monkeypatch.setattr(builtins, "open", guarded)
    reason = ingest_case(docs_dir, tmp_path / "i.db", bad)
    assert "permission denied" in reason.lower()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="running as root: chmod 000 does not stop root (the simulated test covers it)")
def test_unreadable_file_real(docs_dir, tmp_path):
    bad = docs_dir / "khoa.txt"
    bad.write_text("KẾ HOẠCH\nNội dung.", encoding="utf-8")
    bad.chmod(0)
    try:
        reason = ingest_case(docs_dir, tmp_path / "i.db", bad)
    finally:
        bad.chmod(0o644)
    assert "permission denied" in reason.lower()


def test_symlink_loops(docs_dir, tmp_path):
    sub = docs_dir / "sub"
    sub.mkdir()
    (sub / "len-tren").symlink_to("..")            # a folder loop
    (docs_dir / "a.txt").symlink_to("b.txt")       # a file loop
    (docs_dir / "b.txt").symlink_to("a.txt")
    db = tmp_path / "i.db"
    res = invoke("ingest", docs_dir, "--db", db)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "indexed 2" in res.stderr
    errs = [x for x in res.stderr.splitlines() if "loop" in x]
    assert len(errs) == 3, res.stderr
    assert any(f"{sub / 'len-tren'}: symbolic link loop" in x for x in errs)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == 2  # not again via the loop
    assert conn.execute("SELECT count(*) FROM failures").fetchone()[0] == 3


def test_fifo_is_not_read(docs_dir, tmp_path):
    """A named pipe would block a reader forever."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(docs_dir / "ong.txt")
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "ong.txt")
    assert "not a regular file" in reason


def test_nfd_names_with_spaces(tmp_path):
    from conftest import LETTER
    d = tmp_path / "Văn bản đến"
    d.mkdir()
    name = unicodedata.normalize("NFD", "Công văn số 12 của UBND xã.txt")
    f = d / name
    f.write_text(LETTER, encoding="utf-8")
    db = tmp_path / "i.db"
    res = invoke("ingest", d, "--db", db)
    assert res.exit_code == 0, res.output
    (path,) = sqlite3.connect(db).execute("SELECT path FROM files").fetchone()
    assert path == str(f)  # the name as it is on disk, so it can be opened again
    shown = invoke("show", f, "--db", db, "--format", "json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["number"] == json.loads(
        invoke("parse", f).stdout)["number"]
    again = invoke("ingest", d, "--db", db)
    assert "unchanged 1" in again.stderr


def test_file_name_not_utf8(tmp_path):
    """A name unzipped from an old Windows archive: bytes that are not UTF-8."""
    from conftest import LETTER
    d = tmp_path / "zip"
    d.mkdir()
    raw = os.fsencode(str(d)) + b"/C\xf4ng v\xe3n 12.txt"  # Latin-1 bytes
    try:
        with open(raw, "wb") as fh:
            fh.write(LETTER.encode("utf-8"))
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    db = tmp_path / "i.db"
    res = invoke("ingest", d, "--db", db)
    assert res.exit_code == 0, res.output
    (path,) = sqlite3.connect(db).execute("SELECT path FROM files").fetchone()
    assert path.endswith("C\\xf4ng v\\xe3n 12.txt")
    again = invoke("ingest", d, "--db", db)
    assert "unchanged 1" in again.stderr and "indexed 0" in again.stderr


def test_parse_given_a_directory(docs_dir):
    res = invoke("parse", docs_dir)
    assert res.exit_code == 1 and "Traceback" not in res.output
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"danvan: {docs_dir}: ") and "directory" in err[0]


def test_parse_missing_file_then_good_one(docs_dir):
    res = invoke("parse", docs_dir / "khong-co.txt", docs_dir / "huyen-kh-88-2025.txt")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert len(res.stdout.strip().splitlines()) == 1  # the good one was still printed
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and "khong-co.txt" in err[0]


def test_missing_path_on_the_command_line(docs_dir, tmp_path):
    res = invoke("ingest", docs_dir, tmp_path / "khong-co", "--db", tmp_path / "i.db")
    assert res.exit_code == 1 and "indexed 2" in res.stderr
    assert f"danvan: {tmp_path / 'khong-co'}: no such file or directory" in res.stderr


# --- faults inside the pipeline -----------------------------------------------------------------
def test_the_index_stores_what_parse_prints(docs_dir):
    """The ingest's fast serialisation gives the JSON of Document.to_dict, field for field."""
    from conftest import CORPUS, SHARED_DOCS

    from danvan_cli.parse import parse_file
    files = sorted(docs_dir.iterdir())
    for d in (SHARED_DOCS, CORPUS):  # more variety where present
        files += sorted(p for p in d.glob("*.txt")) if d.is_dir() else []
    for f in files:
        doc = parse_file(str(f))
        assert json.dumps(index.document_dict(doc), ensure_ascii=False) == \
            json.dumps(doc.to_dict(with_text=True), ensure_ascii=False), f.name



def test_parser_bug_is_one_line_and_the_run_goes_on(docs_dir, tmp_path, monkeypatch):
    import danvan_cli.parse as parse
    real = parse.parse_extracted

    def buggy(ext, source="", sha256=""):
        if source.endswith("loi.txt"):
            raise KeyError("a stage\nlost its way")
        return real(ext, source, sha256)
    monkeypatch.setattr(parse, "parse_extracted", buggy)
    (docs_dir / "loi.txt").write_text("KẾ HOẠCH\nNội dung.", encoding="utf-8")
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "loi.txt")
    assert reason.startswith("parser error (KeyError:") and "lost its way" in reason


def test_slow_parse_is_given_up(docs_dir, tmp_path, monkeypatch):
    import time

    import danvan_cli.parse as parse
    real = parse.parse_extracted

    def slow(ext, source="", sha256=""):
        if source.endswith("cham.txt"):
            while True:  # a parser stuck in a loop
                time.sleep(0.01)
        return real(ext, source, sha256)
    monkeypatch.setattr(parse, "parse_extracted", slow)
    monkeypatch.setenv("DANVAN_PARSE_TIMEOUT", "0.3")
    (docs_dir / "cham.txt").write_text("KẾ HOẠCH\nNội dung.", encoding="utf-8")
    reason = ingest_case(docs_dir, tmp_path / "i.db", docs_dir / "cham.txt")
    assert reason.startswith("gave up after 0.3 s") and "DANVAN_PARSE_TIMEOUT" in reason


def test_value_the_index_refuses_is_rolled_back_alone(docs_dir, tmp_path, monkeypatch):
    import danvan_cli.parse as parse
    from danvan_cli.model import Citation
    real = parse.parse_extracted

    def bad_citation(ext, source="", sha256=""):
        doc = real(ext, source, sha256)
        if source.endswith("xau.txt"):
            doc.citations.append(Citation(type="Kế hoạch", number=None))  # type: ignore[arg-type]
        return doc
    monkeypatch.setattr(parse, "parse_extracted", bad_citation)
    (docs_dir / "xau.txt").write_text("KẾ HOẠCH\nNội dung.", encoding="utf-8")
    db = tmp_path / "i.db"
    reason = ingest_case(docs_dir, db, docs_dir / "xau.txt")
    assert reason.startswith("could not be stored in the index"), reason
    conn = sqlite3.connect(db)
    ids = {r[0] for r in conn.execute("SELECT id FROM documents")}
    for table in ("citations", "sections", "deadlines", "assignments", "files"):
        assert {r[0] for r in conn.execute(f"SELECT DISTINCT doc_id FROM {table}")} <= ids
    assert conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 2


def test_lone_surrogates_in_text_are_stored(tmp_path, monkeypatch):
    import danvan_cli.parse as parse
    real = parse.parse_extracted

    def surrogate(ext, source="", sha256=""):
        doc = real(ext, source, sha256)
        doc.text += "\nchữ h\udcffỏng"
        doc.subject = "trích yếu \ud800"
        return doc
    monkeypatch.setattr(parse, "parse_extracted", surrogate)
    from conftest import LETTER
    (tmp_path / "a.txt").write_text(LETTER, encoding="utf-8")
    db = tmp_path / "i.db"
    res = invoke("ingest", tmp_path / "a.txt", "--db", db)
    assert res.exit_code == 0, res.output
    text, subject = sqlite3.connect(db).execute("SELECT text, subject FROM documents").fetchone()
    assert text.endswith("chữ h\ufffdỏng") and subject == "trích yếu \ufffd"  # same length: spans hold


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the crash is injected through a patched module, which only fork carries into workers")
def test_worker_crash_fails_only_that_file(docs_dir, tmp_path, monkeypatch):
    import danvan_cli.readers as readers
    real = readers.read

    def crashing(path):
        if path.endswith("no-tung.txt"):
            os._exit(139)  # what a segfault in a native library looks like from outside
        return real(path)
    monkeypatch.setattr(readers, "read", crashing)
    from conftest import PLAN
    for i in range(10):
        (docs_dir / f"ban-{i:02d}.txt").write_text(PLAN + f"\nGhi chú {i}.\n", encoding="utf-8")
    (docs_dir / "no-tung.txt").write_text("KẾ HOẠCH\nNội dung.", encoding="utf-8")
    db = tmp_path / "i.db"
    res = invoke("ingest", docs_dir, "--db", db, "--jobs", 2)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "indexed 12" in res.stderr
    err = [x for x in res.stderr.splitlines() if "no-tung.txt" in x]
    assert len(err) == 1 and "parser process died" in err[0]
