"""The fourth round of quick paths in the deadline stage answers as the plain form it stands for.

Whether a document prints a dated report deadline (``deadlines._dated_report``) is only asked
by a bare "định kỳ báo cáo": it is worked out when the first one comes up, not for every
document before the deadlines are read. The plain form works it out first, for every document;
both must give the same deadlines, field for field, on a table of plans where it could go
wrong (a recurrence before and after the dated deadlines, a second date in a clause, upper
case, no diacritics, line breaks, days at month ends).
"""
from __future__ import annotations

import dataclasses

import pytest

from danvan_cli.parse import deadlines

from conftest import run_task_stages
from test_assignments import plan

# (tasks, the plain form finds a dated report deadline, a bare periodic recurrence is found)
DATED_REPORT_PLANS = [
    # a bare "định kỳ báo cáo" and a dated report deadline: the recurrence is left out
    ("1. Sở Nội vụ định kỳ báo cáo UBND tỉnh.\n2. Các xã báo cáo kết quả trước ngày 15/12/2025.",
     True, True),
    # the recurrence after the dated deadline
    ("1. Các xã gửi báo cáo trước ngày 31/12.\n2. Sở Nội vụ định kỳ báo cáo UBND tỉnh.", True, True),
    # upper case, and the report word only in the phrase of the date
    ("1. Sở Nội vụ ĐỊNH KỲ BÁO CÁO UBND tỉnh.\n2. Văn phòng BÁO CÁO trước ngày 30/4/2025.", True, True),
    # no dated deadline names a report: the recurrence stays
    ("1. Sở Nội vụ định kỳ báo cáo UBND tỉnh.\n2. Các xã hoàn thành việc rà soát trước ngày 29/02/2028.",
     False, True),
    # "bao cao" without diacritics is not the word: the recurrence stays
    ("1. Sở Nội vụ định kỳ báo cáo UBND tỉnh.\n2. Các xã nộp bao cao trước ngày 31/01/2026.", True, True),
    # only a recurrence
    ("1. Sở Nội vụ định kỳ báo cáo Chủ tịch UBND tỉnh.", False, True),
    # only dated deadlines (nothing asks): a second date in the clause names its own task
    ("1. Các xã sơ kết 6 tháng (trước ngày 15/6/2025) và tổng kết năm (trước ngày 30/11/2025), "
     "báo cáo UBND tỉnh.", False, False),
    # a second date in the clause, then a bare recurrence; a line break inside the sentence
    ("1. Các xã báo cáo trước ngày 20/11/2025 đối với năm 2025 và trước ngày 20/11 đối với\n"
     "các năm tiếp theo.\n2. Sở Nội vụ định kỳ sơ kết, tổng kết, báo cáo UBND tỉnh.", True, True),
    # a recurrence with its period is kept either way
    ("1. Sở Nội vụ định kỳ hằng quý báo cáo UBND tỉnh.\n2. Các xã báo cáo trước ngày 31/3/2025.",
     True, False),
    # no deadline at all
    ("1. Sở Nội vụ theo dõi, đôn đốc việc thực hiện.", False, False),
]


def _eager(monkeypatch) -> list:
    """Make ``_find`` work out ``_dated_report`` at once, as the plain form did for every
    document before reading the deadlines; the values it found, with the candidates."""
    seen: list = []
    found = deadlines._find

    def find_then_ask(doc, body, out):
        cands = found(doc, body, out)
        seen.append((deadlines._dated_report(doc, body, cands), cands))
        return cands
    monkeypatch.setattr(deadlines, "_find", find_then_ask)
    return seen


def _fields(tasks: str) -> list[dict]:
    return [dataclasses.asdict(d) for d in run_task_stages(plan(tasks)).deadlines]


@pytest.mark.parametrize("tasks,dated,bare", DATED_REPORT_PLANS)
def test_dated_report_when_asked_as_worked_out_first(tasks, dated, bare, monkeypatch):
    lazy = _fields(tasks)
    seen = _eager(monkeypatch)
    assert _fields(tasks) == lazy
    (plain_dated, cands), = seen
    assert plain_dated == dated
    periodic = [c for c in cands if c.kind == "recurring" and c.recurring == "periodic"]
    assert bool(periodic) == bare
    # the plain rule: a bare recurrence is left out exactly when a dated report deadline is printed
    kept = [d for d in lazy if d["recurring"] == "periodic" and d["date"] is None]
    assert len(kept) == (0 if plain_dated else len(periodic))
    assert len(lazy) == len(cands) - (len(periodic) if plain_dated else 0)


def test_dated_report_table_covers_both_answers():
    """The table holds bare recurrences left out and kept, and documents nothing asks about."""
    kinds = {(dated, bare) for _, dated, bare in DATED_REPORT_PLANS}
    assert {(True, True), (False, True), (True, False), (False, False)} <= kinds
