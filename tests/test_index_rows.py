"""What a worker sends the writer (index.Rows): the document JSON and long texts as UTF-8, made
beside the parse, and stored exactly as the single-process path stores them."""
from __future__ import annotations

import json
import sqlite3

import pytest

from danvan_cli import index
from danvan_cli.db import connect
from danvan_cli.index import WriteBatch, document_json, prepare, store_rows
from danvan_cli.parse import parse_text

from conftest import LETTER, PLAN


def _stdlib(d: dict) -> bytes:
    return json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@pytest.mark.parametrize("d", [
    {"number": "88/KH-UBND", "spans": [[0, 12], [13, 40]], "ok": True, "none": None},
    {"subject": "Về việc “Dân vận khéo” – năm 2025 \\ / \t\n\u2028", "nested": {"a": [1, [2, {"b": "đ"}]]}},
    {"emoji": "\U0001F600", "zero": 0, "negative": -7, "empty": [], "blank": {}},
    {"big": 2**63 - 1, "tuple": (1, "x")},
])
def test_document_json_is_what_the_standard_encoder_writes(d):
    assert document_json(d) == _stdlib(d)


@pytest.mark.parametrize("d, expected", [
    # orjson refuses these; the standard encoder takes them
    ({"big": 2**70}, _stdlib({"big": 2**70})),
    # a lone surrogate (undecodable bytes in a PDF's text) becomes U+FFFD, one for one
    ({"subject": "trích yếu \ud800 cuối"}, _stdlib({"subject": "trích yếu \ufffd cuối"})),
])
def test_document_json_falls_back_where_orjson_refuses(d, expected):
    assert document_json(d) == expected


def test_a_parsed_document_json_matches_the_standard_encoder():
    for text in (PLAN, LETTER):
        d = index.document_dict(parse_text(text))
        d.pop("text")
        assert document_json(d) == _stdlib(d)


def test_rows_store_text_and_json_as_text(tmp_path):
    db = connect(str(tmp_path / "i.db"))
    db.conn.isolation_level = None
    d = index.document_dict(parse_text(PLAN))
    rows = prepare(d)
    assert isinstance(rows, index.Rows) and isinstance(rows.document[-1], bytes)
    with WriteBatch(db):
        doc_id, reason = store_rows(db, rows, str(tmp_path / "plan.txt"), None)
    assert reason is None
    conn = sqlite3.connect(tmp_path / "i.db")
    types = conn.execute("SELECT typeof(text), typeof(json) FROM documents WHERE id = ?", [doc_id]).fetchone()
    assert types == ("text", "text")
    text, js = conn.execute("SELECT text, json FROM documents").fetchone()
    assert text == d["text"]
    assert json.loads(js)["number"] == d["number"] and "text" not in json.loads(js)
    # json_extract reads it as JSON text (a blob would be taken for JSONB by newer SQLite)
    assert conn.execute("SELECT json_extract(json, '$.number') FROM documents").fetchone()[0] == d["number"]
