"""output.emit: what each format writes."""
from __future__ import annotations

import json

import pytest

from danvan_cli.output import emit

ROWS = [{"date": "2025-11-15", "what": "báo cáo kết quả", "also_in": ["a.pdf"], "days_left": 3},
        {"date": None, "what": "Định kỳ \"hằng quý\"", "also_in": [], "days_left": None}]


@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []])
def test_json_is_one_array_with_a_row_per_line(rows, capsys):
    emit(rows, "json")
    out = capsys.readouterr().out
    assert json.loads(out) == rows
    lines = out.splitlines()
    assert lines[0] in ("[", "[]")
    if rows:
        assert len(lines) == len(rows) + 2
        assert all(json.loads(line.rstrip(",")) == r for line, r in zip(lines[1:-1], rows))
    assert "báo cáo" in out or not rows          # not \\u-escaped


def test_jsonl_is_a_row_per_line(capsys):
    emit(ROWS, "jsonl")
    assert [json.loads(x) for x in capsys.readouterr().out.splitlines()] == ROWS


@pytest.mark.parametrize("row", [
    {"what": "báo cáo", "n": 3, "x": 1.5, "none": None, "list": [1, "a"], "nested": {"k": [True, False]}},
    {"big": 2 ** 70, "what": "số lớn"},              # beyond orjson's 64 bits: json writes it
    {"what": "lỗi \ud800 giữa chừng"},                 # a lone surrogate: orjson refuses it
    {"quote": 'a "b" \\ c\n\t', "ctrl": "\x00\x1f", "emoji": "🙂"},
])
def test_a_row_is_compact_json_whichever_encoder_writes_it(row):
    """orjson writes rows; json, set to the same form, takes what orjson refuses. Both give
    compact UTF-8 that reads back as the row (a lone surrogate becomes "?")."""
    import orjson

    from danvan_cli.output import row_json
    got = row_json(row)
    assert isinstance(got, bytes) and b", " not in got and b": " not in got
    back = json.loads(got.decode("utf-8"))
    if any(isinstance(v, str) and "\ud800" in v for v in row.values()):
        assert back == {k: v.replace("\ud800", "?") for k, v in row.items()}
        return
    assert back == row
    try:
        assert got == orjson.dumps(row)
    except orjson.JSONEncodeError:  # the fallback writes what orjson would have
        assert got == json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()


def test_json_goes_through_a_stream_without_a_byte_buffer(monkeypatch):
    import io
    import sys
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    emit(ROWS, "jsonl")
    assert [json.loads(x) for x in out.getvalue().splitlines()] == ROWS
