"""`danvan deadlines` and `danvan assignments`: recurrence, status, filters, iCalendar output,
on indexes built in the test (by hand and by `danvan ingest`) and on the shared corpus."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from danvan_cli.cli import cli
from danvan_cli.db import connect
from danvan_cli.keys import number_key
from danvan_cli.tasks import (DeadlineQuery, deadline_rows, fold_line, next_occurrence, normalize_role,
                              status, to_ics)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
D = dt.date


def run(*args, ok=True):
    # a wide terminal for the table format
    res = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": "250"})
    if ok:
        assert res.exit_code == 0, res.output + res.stderr
    return res


# --- dates and status ---------------------------------------------------------------------------

NEXT = [
    # (printed date, recurring, today, next occurrence)
    (D(2024, 10, 22), None, D(2024, 10, 1), D(2024, 10, 22)),
    (D(2020, 6, 1), None, D(2024, 10, 1), D(2020, 6, 1)),            # a one-off stays overdue
    (D(2020, 12, 15), "yearly", D(2024, 10, 1), D(2024, 12, 15)),
    (D(2020, 6, 15), "yearly", D(2024, 10, 1), D(2025, 6, 15)),
    (D(2024, 2, 29), "yearly", D(2025, 1, 1), D(2025, 2, 28)),       # no 29 February in 2025
    (D(2024, 2, 29), "yearly", D(2027, 3, 1), D(2028, 2, 29)),
    (D(2025, 1, 5), "quarterly", D(2025, 4, 6), D(2025, 7, 5)),
    (D(2025, 1, 5), "quarterly", D(2025, 4, 5), D(2025, 4, 5)),      # due today counts
    (D(2025, 1, 31), "monthly", D(2025, 2, 10), D(2025, 2, 28)),
    (D(2025, 6, 30), "half-yearly", D(2026, 1, 1), D(2026, 6, 30)),
    (D(2025, 3, 3), "weekly", D(2025, 3, 12), D(2025, 3, 17)),
    (D(2025, 3, 3), "periodic", D(2025, 3, 12), D(2025, 3, 3)),      # no period known: as printed
]


@pytest.mark.parametrize("due,recurring,today,expected", NEXT)
def test_next_occurrence(due, recurring, today, expected):
    assert next_occurrence(due, recurring, today) == expected


@pytest.mark.parametrize("days,recurring,expected", [
    (-1, None, "Quá hạn"), (0, None, "Sắp đến hạn"), (7, None, "Sắp đến hạn"), (8, None, "Còn hạn"),
    (None, None, "Chưa rõ ngày"), (None, "yearly", "Định kỳ")])
def test_status(days, recurring, expected):
    assert status(days, recurring) == expected


@pytest.mark.parametrize("typed,role", [("chu tri", "chủ trì"), ("Chủ trì", "chủ trì"), ("PHOI HOP", "phối hợp"),
                                        ("de nghi", "đề nghị"), ("lead", "chủ trì"), ("report", "báo cáo"),
                                        ("boss", None)])
def test_normalize_role(typed, role):
    assert normalize_role(typed) == role


def test_fold_line_keeps_characters_whole():
    line = "DESCRIPTION:" + "Báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở năm 2025 " * 4
    folded = fold_line(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line


# --- an index built by hand ---------------------------------------------------------------------

def make_index(path: Path, deadlines: list[dict], assignments: list[dict] = (), number="12/KH-UBND",
               sha="a" * 64) -> int:
    db = connect(str(path))
    cur = db.conn.execute(
        "INSERT INTO documents (sha256, path, format, doc_type, number, number_key, date, subject, parser_version, "
        "indexed_at, json) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [sha, f"/docs/{sha[:4]}.txt", "txt", "KẾ HOẠCH", number, number_key(number), "2024-03-01",
         "Dân vận chính quyền", 1, "2024-03-01T00:00:00+00:00", "{}"])
    doc_id = cur.lastrowid
    db.conn.execute("INSERT INTO files (path, doc_id, seen_at) VALUES (?, ?, ?)",
                    [f"/docs/{sha[:4]}.txt", doc_id, "2024-03-01"])
    for i, x in enumerate(deadlines):
        db.conn.execute(
            "INSERT INTO deadlines (doc_id, date, precision, raw, what, agency, agency_key, to_agency, recurring, "
            "relative, section, start, end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [doc_id, x.get("date"), x.get("precision", "day"), x.get("raw", f"trước ngày {i}"), x.get("what"),
             x.get("agency"), x.get("agency_key"), x.get("to"), x.get("recurring"), x.get("relative"),
             x.get("section"), i * 10, i * 10 + 5])
    for i, a in enumerate(assignments):
        db.conn.execute(
            "INSERT INTO assignments (doc_id, agency, agency_key, role, partners, task, section, start, end) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            [doc_id, a["agency"], a.get("agency_key"), a["role"], json.dumps(a.get("partners", []), ensure_ascii=False),
             a.get("task", ""), a.get("section"), i, i + 1])
    db.conn.commit()
    db.conn.close()
    return doc_id


HAND = [
    {"date": "2024-09-20", "what": "Báo cáo quý III", "agency": "Sở Nội vụ", "agency_key": "so noi vu"},
    {"date": "2024-10-05", "what": "Báo cáo kết quả đối thoại", "agency": "UBND các huyện",
     "agency_key": "uy ban nhan dan cac huyen", "to": "UBND tỉnh (qua Sở Nội vụ)"},
    {"date": "2024-11-15", "what": "Báo cáo năm", "agency": "Sở Nội vụ; Thanh tra tỉnh",
     "agency_key": "so noi vu|thanh tra tinh"},
    {"date": "2020-12-15", "what": "Báo cáo hằng năm", "recurring": "yearly", "agency": "Ủy ban MTTQ Việt Nam tỉnh",
     "agency_key": "mat tran to quoc tinh"},
    {"date": None, "precision": None, "raw": "định kỳ hằng năm", "what": "báo cáo kết quả",
     "recurring": "yearly", "agency": "các đơn vị", "agency_key": "cac don vi"},
    {"date": None, "precision": None, "raw": "trong thời hạn 15 ngày kể từ ngày nhận được đơn",
     "relative": "15 ngày kể từ ngày nhận được đơn", "what": "trả lời kiến nghị"},
]


@pytest.fixture
def hand_db(tmp_path) -> Path:
    path = tmp_path / "hand.db"
    make_index(path, HAND, [
        {"agency": "Sở Nội vụ", "agency_key": "so noi vu", "role": "chủ trì", "partners": ["Thanh tra tỉnh"],
         "task": "theo dõi, đôn đốc " * 20, "section": "III.1"},
        {"agency": "Ủy ban MTTQ Việt Nam tỉnh", "agency_key": "mat tran to quoc tinh", "role": "đề nghị",
         "task": "giám sát", "section": "III.2"}])
    return path


def rows(db_path: Path, *args) -> list[dict]:
    res = run("deadlines", "--db", db_path, "--today", "2024-10-01", "--format", "json", *args)
    return json.loads(res.stdout)


def test_listing_is_sorted_with_days_left_and_status(hand_db):
    r = rows(hand_db)
    assert [x["date"] for x in r] == ["2024-09-20", "2024-10-05", "2024-11-15", "2024-12-15", None, None]
    assert [x["days_left"] for x in r[:4]] == [-11, 4, 45, 75]
    assert [x["status"] for x in r] == ["Quá hạn", "Sắp đến hạn", "Còn hạn", "Còn hạn", "Định kỳ", "Chưa rõ ngày"]
    yearly = r[3]
    assert yearly["due_printed"] == "2020-12-15" and "hằng năm" in yearly["note"]
    assert "không ghi ngày" in r[4]["note"]                   # yearly without a date: says so
    assert r[5]["relative"] and "mốc" in r[5]["note"]
    for key in ("date", "days_left", "status", "what", "agency", "to", "number", "doc_type", "section", "raw"):
        assert key in r[0]


@pytest.mark.parametrize("args,dates", [
    (["--upcoming", "30"], ["2024-10-05"]),
    (["--upcoming", "80"], ["2024-10-05", "2024-11-15", "2024-12-15"]),
    (["--overdue"], ["2024-09-20"]),
    (["--overdue", "--upcoming", "10"], ["2024-09-20", "2024-10-05"]),
    (["--from", "2024-10-01", "--to", "2024-11-30"], ["2024-10-05", "2024-11-15"]),
    (["--recurring"], ["2024-12-15", None]),
    (["--agency", "so noi vu"], ["2024-09-20", "2024-11-15"]),
    (["--agency", "SNV"], ["2024-09-20", "2024-11-15"]),
    (["--agency", "Thanh tra tỉnh"], ["2024-11-15"]),
    (["--agency", "UBMTTQVN tỉnh"], ["2024-12-15"]),
    (["--agency", "mttq", "--upcoming", "30"], []),
])
def test_filters(hand_db, args, dates):
    assert [x["date"] for x in rows(hand_db, *args)] == dates


def test_doc_filter_and_unknown_doc(hand_db):
    assert len(rows(hand_db, "--doc", "12/KH-UBND")) == len(HAND)
    res = run("deadlines", "--db", hand_db, "--doc", "99/KH-XYZ", ok=False)
    assert res.exit_code == 1 and "99/KH-XYZ" in res.stderr


def test_table_and_csv_formats(hand_db):
    res = run("deadlines", "--db", hand_db, "--today", "2024-10-01", "--format", "table")
    assert "Quá hạn" in res.stdout and "Sắp đến hạn" in res.stdout
    res = run("deadlines", "--db", hand_db, "--today", "2024-10-01", "--format", "csv")
    head = res.stdout.splitlines()[0]
    assert head == "date,days_left,status,what,agency,to,number,doc_type,section,raw"


def test_ics_is_a_calendar_a_parser_reads(hand_db):
    icalendar = pytest.importorskip("icalendar")
    res = run("deadlines", "--db", hand_db, "--today", "2024-10-01", "--format", "ics")
    raw = res.stdout_bytes
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")                       # CRLF only
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))           # folded at 75 octets
    assert "left out" in res.stderr                                      # the two undated ones
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 4
    by_date = {e["DTSTART"].dt: e for e in events}
    assert set(by_date) == {D(2024, 9, 20), D(2024, 10, 5), D(2024, 11, 15), D(2024, 12, 15)}
    e = by_date[D(2024, 10, 5)]
    assert isinstance(e["DTSTART"].dt, dt.date) and not isinstance(e["DTSTART"].dt, dt.datetime)
    assert str(e["SUMMARY"]).startswith("Báo cáo kết quả đối thoại")
    desc = str(e["DESCRIPTION"])
    assert "12/KH-UBND" in desc and "Báo cáo kết quả đối thoại" in desc and "UBND tỉnh (qua Sở Nội vụ)" in desc
    assert by_date[D(2024, 12, 15)]["RRULE"]["FREQ"] == ["YEARLY"]
    assert len({str(e["UID"]) for e in events}) == 4
    # stable: the same deadlines get the same UIDs in a later export
    again = icalendar.Calendar.from_ical(run("deadlines", "--db", hand_db, "--today", "2024-10-02",
                                             "--format", "ics").stdout_bytes)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {str(e["UID"]) for e in events}


def test_ics_escapes_text():
    text, skipped = to_ics([{"date": "2025-01-05", "what": "Báo cáo; kết quả, năm\nmới", "number": "1/KH",
                             "uid": "x@danvan"}], stamp=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))
    assert skipped == 0
    assert "SUMMARY:Báo cáo\\; kết quả\\, năm\\nmới — 1/KH" in text.replace("\r\n ", "")
    assert "DTSTAMP:20250101T000000Z" in text


def test_assignments_command(hand_db):
    res = run("assignments", "--db", hand_db, "--format", "json")
    r = json.loads(res.stdout)
    assert [(x["agency"], x["role"], x["partners"]) for x in r] == [
        ("Sở Nội vụ", "chủ trì", ["Thanh tra tỉnh"]), ("Ủy ban MTTQ Việt Nam tỉnh", "đề nghị", [])]
    assert json.loads(run("assignments", "--db", hand_db, "--role", "chu tri", "-f", "json").stdout)[0]["agency"] == "Sở Nội vụ"
    assert [x["agency"] for x in json.loads(run("assignments", "--db", hand_db, "--agency", "mttq", "-f", "json").stdout)] \
        == ["Ủy ban MTTQ Việt Nam tỉnh"]
    table = run("assignments", "--db", hand_db, "--format", "table").stdout
    assert "…" in table                                   # the long task is shortened in the table
    res = run("assignments", "--db", hand_db, "--role", "boss", ok=False)
    assert res.exit_code == 2 and "chủ trì" in res.output


def test_query_function_directly(hand_db):
    db = connect(str(hand_db))
    r = deadline_rows(db, DeadlineQuery(today=D(2024, 10, 1), upcoming=7))
    assert [(x["date"], x["status"]) for x in r] == [("2024-10-05", "Sắp đến hạn")]


# --- through `danvan ingest` ---------------------------------------------------------------------

PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
-------
Số: 77/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Quảng Trị, ngày 10 tháng 3 năm 2025

KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2025

Thực hiện Kế hoạch số 20-KH/TU ngày 15/01/2025 của Ban Thường vụ Tỉnh ủy, UBND tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao chất lượng công tác dân vận chính quyền.

II. TỔ CHỨC THỰC HIỆN

1. Giao Sở Nội vụ chủ trì, phối hợp với Thanh tra tỉnh theo dõi, đôn đốc; báo cáo UBND tỉnh trước ngày 20/11/2025.

2. Đề nghị Ủy ban MTTQ Việt Nam tỉnh phối hợp giám sát; định kỳ hằng quý báo cáo kết quả về UBND tỉnh.

3. Chế độ báo cáo

Các sở, ban, ngành; UBND các huyện báo cáo kết quả về UBND tỉnh (qua Sở Nội vụ) như sau:

- Báo cáo 6 tháng đầu năm: trước ngày 10/6.

- Báo cáo năm: trước ngày 15/11.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An
"""


@pytest.fixture
def ingested(tmp_path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "qt-kh-77.txt").write_text(PLAN, encoding="utf-8")
    (docs / "qt-kh-77-copy.txt").write_text(PLAN + "\n", encoding="utf-8")   # another copy, other bytes
    db = tmp_path / "i.db"
    run("ingest", docs, "--db", db, "-q")
    return db


def test_ingested_plan(ingested):
    r = json.loads(run("deadlines", "--db", ingested, "--today", "2025-06-05", "-f", "json").stdout)
    assert [(x["date"], x["what"], x["status"], x["recurring"]) for x in r] == [
        ("2025-06-10", "Báo cáo 6 tháng đầu năm", "Sắp đến hạn", None),
        ("2025-11-15", "Báo cáo năm", "Còn hạn", None),
        ("2025-11-20", "báo cáo UBND tỉnh", "Còn hạn", None),
        (None, "báo cáo kết quả về UBND tỉnh", "Định kỳ", "quarterly")]
    assert all(x["also_in"] for x in r)               # the copy's rows are folded into these
    assert r[0]["agency"] == "Các sở, ban, ngành; UBND các huyện" and r[0]["to"] == "UBND tỉnh (qua Sở Nội vụ)"
    by_what = {x["what"]: x for x in r}
    assert by_what["báo cáo UBND tỉnh"]["agency"] == "Sở Nội vụ"
    assert by_what["báo cáo UBND tỉnh"]["date"] == "2025-11-20"
    quarterly = [x for x in r if x["recurring"] == "quarterly"]
    assert quarterly and quarterly[0]["agency"] == "Ủy ban MTTQ Việt Nam tỉnh" and quarterly[0]["date"] is None
    snv = json.loads(run("deadlines", "--db", ingested, "--today", "2025-06-05", "--agency", "SNV", "-f", "json").stdout)
    assert [x["date"] for x in snv] == ["2025-11-20"]
    a = json.loads(run("assignments", "--db", ingested, "-f", "json").stdout)
    assert [(x["agency"], x["role"]) for x in a] == [
        ("Sở Nội vụ", "chủ trì"), ("Ủy ban MTTQ Việt Nam tỉnh", "đề nghị"),
        ("Các sở, ban, ngành", "báo cáo"), ("UBND các huyện", "báo cáo")]
    assert a[0]["partners"] == ["Thanh tra tỉnh"] and a[0]["number"] == "77/KH-UBND" and a[0]["section"] == "II.1"


# --- the shared corpus ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shared_index(tmp_path_factory) -> Path:
    docs = SHARED / "corpus" / "docs"
    if not docs.is_dir():
        pytest.skip(f"../shared not found: {SHARED}")
    db = tmp_path_factory.mktemp("shared") / "shared.db"
    run("ingest", docs, "--db", db, "-q", "-j", "2", ok=False)   # a .doc or scan may fail without tools
    return db


@pytest.mark.slow
def test_tay_ninh_report_deadlines_of_october_2024(shared_index):
    res = run("deadlines", "--db", shared_index, "--today", "2024-10-01", "--upcoming", "30", "-f", "json")
    r = json.loads(res.stdout)
    assert [(x["date"], x["agency"]) for x in r] == [
        ("2024-10-22", "Các phòng chuyên môn, đơn vị thuộc và trực thuộc Sở"),
        ("2024-10-25", "Văn phòng Sở")]
    assert all(x["what"] == "Thời hạn báo cáo năm 2024" and x["status"] == "Còn hạn" for x in r)
    assert r[0]["days_left"] == 21 and r[0]["to"] == "Văn phòng Sở"
    icalendar = pytest.importorskip("icalendar")
    ics = run("deadlines", "--db", shared_index, "--today", "2024-10-01", "--upcoming", "30", "-f", "ics")
    events = list(icalendar.Calendar.from_ical(ics.stdout_bytes).walk("VEVENT"))
    assert sorted(e["DTSTART"].dt for e in events) == [D(2024, 10, 22), D(2024, 10, 25)]


@pytest.mark.slow
def test_shared_recurring_and_agency_filters(shared_index):
    r = json.loads(run("deadlines", "--db", shared_index, "--recurring", "--today", "2024-10-01", "-f", "json").stdout)
    assert sorted(x["recurring"] for x in r) == ["periodic", "periodic", "yearly"]
    vp = json.loads(run("deadlines", "--db", shared_index, "--agency", "van phong so", "-f", "json").stdout)
    assert [x["date"] for x in vp] == ["2024-10-25"]
    a = json.loads(run("assignments", "--db", shared_index, "--agency", "so noi vu", "-f", "json").stdout)
    assert sorted((x["role"], x["number"] or "") for x in a) == [("chủ trì", "1954/KH-UBND"), ("thực hiện", "")]
