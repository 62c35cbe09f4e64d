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
