"""The command line end to end through click's CliRunner, on hand-written and real files."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3

import click
import pytest
from click.testing import CliRunner

from danvan_cli.cli import cli


def run(*args, ok=True):
    res = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert res.exit_code == 0, res.output + (res.stderr if hasattr(res, "stderr") else "")
    return res


def all_commands(group=cli, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path,cmd", list(all_commands()), ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_has_help(path, cmd):
    assert cmd.help and cmd.help.strip(), f"danvan {' '.join(path)} has no help text"
    res = run(*path, "--help")
    assert "Usage:" in res.output
    for p in cmd.params:
        if isinstance(p, click.Option) and not p.hidden:
            assert p.help, f"option {p.opts} of danvan {' '.join(path)} has no help text"


def test_parse_prints_schema_json(docs_dir):
    res = run("parse", docs_dir / "huyen-kh-88-2025.txt")
    d = json.loads(res.stdout)
    for key in ("source", "sha256", "format", "kind", "doc_type", "number", "symbol", "issuer", "place",
                "date", "year", "subject", "addressees", "legal_basis", "citations", "sections",
                "assignments", "deadlines", "recipients", "signer", "footnotes", "warnings"):
        assert key in d, key
    assert d["format"] == "txt" and len(d["sha256"]) == 64
    assert "text" not in d


def test_parse_several_gives_json_lines_and_text(docs_dir):
    res = run("parse", "--text", docs_dir / "huyen-kh-88-2025.txt", docs_dir / "xa-cv-12-2025.txt")
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 2
    docs = [json.loads(x) for x in lines]
    assert all(d["text"] for d in docs)
    # spans index the normalized text
    for d in docs:
        for c in d["citations"]:
            s, e = c["span"]
            assert 0 <= s < e <= len(d["text"])


def test_parse_bad_file_is_one_line_and_exit_1(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(os.urandom(2000))
    res = CliRunner().invoke(cli, ["parse", str(bad)])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0]


def test_ingest_skip_change_and_failure(docs_dir, tmp_path):
    db = tmp_path / "i.db"
    res = run("ingest", docs_dir, "--db", db)
    assert "indexed 2" in res.stderr
    res = run("ingest", docs_dir, "--db", db)
    assert "indexed 0" in res.stderr and "unchanged 2" in res.stderr
    # a changed file is re-indexed and replaces its old document
    p = docs_dir / "xa-cv-12-2025.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("20/4/2025", "25/4/2025"), encoding="utf-8")
    res = run("ingest", docs_dir, "--db", db)
    assert "indexed 1" in res.stderr and "unchanged 1" in res.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == 2
    # a corrupt file is logged with a one-line reason; the rest of the run goes on; exit 1
    (docs_dir / "hong.docx").write_bytes(b"PK\x03\x04 truncated zip")
    (docs_dir / "new.txt").write_text("THÔNG BÁO\nNội dung thông báo mới.", encoding="utf-8")
    res = CliRunner().invoke(cli, ["ingest", str(docs_dir), "--db", str(db)])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    lines = [x for x in res.stderr.splitlines() if "hong.docx" in x]
    assert len(lines) == 1
    assert "indexed 1" in res.stderr
    row = conn.execute("SELECT path, error FROM failures").fetchone()
    assert row[0].endswith("hong.docx") and row[1] and "\n" not in row[1]
    res = run("stats", "--failures", "--db", db, "--format", "json")
    assert json.loads(res.stdout)[0]["path"].endswith("hong.docx")


def test_ingest_jobs(docs_dir, tmp_path):
    db = tmp_path / "j.db"
    for i in range(6):
        shutil.copy(docs_dir / "huyen-kh-88-2025.txt", docs_dir / f"copy{i}.txt")
        with open(docs_dir / f"copy{i}.txt", "a", encoding="utf-8") as fh:
            fh.write(f"\nGhi chú {i}.\n")
    res = run("ingest", docs_dir, "--db", db, "--jobs", 2)
    assert "indexed 8" in res.stderr


def test_same_content_under_two_paths(docs_dir, tmp_path):
    db = tmp_path / "s.db"
    shutil.copy(docs_dir / "xa-cv-12-2025.txt", docs_dir / "ban-sao.txt")
    run("ingest", docs_dir, "--db", db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == 3


@pytest.fixture
def index(docs_dir, tmp_path):
    db = tmp_path / "q.db"
    run("ingest", docs_dir, "--db", db)
    return db


@pytest.mark.parametrize("query,stem", [
    ("dan van kheo", "huyen"), ("doi moi", "huyen"), ("Dân vận khéo", "huyen"),
    ("quy che dan chu", "xa"), ("88/KH-UBND", "xa"), ('"le loi lam viec"', "huyen"),
])
def test_search_without_accents(index, query, stem):
    res = run("search", query, "--db", index, "--format", "json")
    rows = json.loads(res.stdout)
    assert rows, query
    assert any(os.path.basename(r["path"]).startswith(stem) for r in rows)
    assert all("[" in r["snippet"] for r in rows)


def test_search_no_match_says_so(index):
    res = run("search", "zzzkhongcogi", "--db", index)
    assert res.stdout.strip() == "" or json.loads(res.stdout or "[]") == []
    assert "no match" in res.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "table"])
def test_output_formats(index, fmt):
    res = run("search", "dan van", "--db", index, "--format", fmt)
    out = res.stdout
    if fmt == "json":
        assert isinstance(json.loads(out), list)
    elif fmt == "jsonl":
        assert all(json.loads(x) for x in out.strip().splitlines())
    elif fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0][:3] == ["rank", "number", "doc_type"] and len(rows) >= 2
    else:
        assert "search: dan van" in out


def test_piped_default_is_jsonl(index):
    res = run("stats", "--db", index)  # CliRunner's stdout is not a terminal
    rows = [json.loads(x) for x in res.stdout.strip().splitlines()]
    assert {"what": "documents", "value": None, "count": 2} in rows


def test_show_by_path_and_id(index, docs_dir):
    res = run("show", docs_dir / "xa-cv-12-2025.txt", "--db", index, "--format", "json")
    d = json.loads(res.stdout)
    assert d["source"].endswith("xa-cv-12-2025.txt")
    res2 = run("show", f"#{d['id']}", "--db", index, "--format", "json")
    assert json.loads(res2.stdout)["sha256"] == d["sha256"]
    res3 = run("show", d["id"], "--db", index, "--format", "table")
    assert res3.stdout.strip()


def test_show_unknown_is_a_clear_error(index):
    res = CliRunner().invoke(cli, ["show", "9999/KH-XYZ", "--db", str(index)])
    assert res.exit_code == 1 and "no indexed document" in res.stderr


def test_export_is_schema_json_lines(index):
    res = run("export", "--db", index)
    docs = [json.loads(x) for x in res.stdout.strip().splitlines()]
    assert len(docs) == 2
    assert all({"sha256", "sections", "citations", "deadlines"} <= set(d) for d in docs)


def test_query_without_index_is_a_clear_error(tmp_path):
    res = CliRunner().invoke(cli, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "danvan ingest" in res.stderr


def test_env_var_names_the_index(docs_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("DANVAN_DB", str(tmp_path / "env.db"))
    run("ingest", docs_dir)
    assert (tmp_path / "env.db").exists()


def test_shared_corpus_ingests_and_skips(shared_docs, tmp_path):
    db = tmp_path / "shared.db"
    res = CliRunner().invoke(cli, ["ingest", str(shared_docs), "--db", str(db), "--jobs", "2"])
    n = len([p for p in shared_docs.iterdir() if p.is_file()])
    failed = [x for x in res.stderr.splitlines() if x.startswith("danvan: ") and ": " in x[8:] and "indexed" not in x]
    # a scan needs tesseract: without it that one file fails, clearly
    if shutil.which("tesseract"):
        assert res.exit_code == 0, res.stderr
    assert all("Traceback" not in x for x in failed)
    res2 = run("ingest", shared_docs, "--db", db) if res.exit_code == 0 else CliRunner().invoke(
        cli, ["ingest", str(shared_docs), "--db", str(db)])
    indexed = n - len(failed)
    assert f"unchanged {indexed}" in res2.stderr
    res3 = run("search", "dan van kheo", "--db", db, "--format", "json")
    assert len({os.path.basename(r["path"]).split(".")[0] for r in json.loads(res3.stdout)}) >= 3


def test_folder_notes_are_not_documents(docs_dir, tmp_path):
    (docs_dir / "README.md").write_text("# Thư mục\nKế hoạch số 88/KH-UBND ngày 12/3/2025.", encoding="utf-8")
    db = tmp_path / "r.db"
    res = run("ingest", docs_dir, "--db", db)
    assert "indexed 2" in res.stderr
    res = run("ingest", docs_dir / "README.md", "--db", db)  # named: taken
    assert "indexed 1" in res.stderr


def test_index_errors_are_one_line(index, monkeypatch):
    import sqlite3

    from danvan_cli import query

    def locked(*a, **k):
        raise sqlite3.OperationalError("database is locked")
    monkeypatch.setattr(query, "search", locked)
    res = CliRunner().invoke(cli, ["search", "x", "--db", str(index)])
    assert res.exit_code == 1
    assert res.stderr.strip() == "Error: index error: database is locked (nothing committed before it is lost)"
