"""Deadlines and assignments out of the index: the rows of `danvan deadlines` and
`danvan assignments`, and the iCalendar file a user imports into a calendar.

A deadline row carries the date it falls due *next*: a recurring deadline ("hằng năm, trước
ngày 15/12") is moved to its first occurrence on or after today, so it is never overdue; one
with no printed date ("định kỳ hằng năm") has none and says so in ``note``. The status column
is the one offices use: Quá hạn (past), Sắp đến hạn (within ``SOON_DAYS``), Còn hạn.

The same deadline read from several copies of one document (the .docx and the .pdf of a plan)
is listed once, with the other paths in ``also_in``.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from . import __version__
from .agencies import agency_matches
from .keys import deadline_uid
from .normalize import fold_search

if TYPE_CHECKING:
    from .db import Index

SOON_DAYS = 7
OVERDUE, SOON, OPEN = "Quá hạn", "Sắp đến hạn", "Còn hạn"
NO_DATE, RECURRING_NO_DATE = "Chưa rõ ngày", "Định kỳ"

# How far one occurrence of a recurring deadline is from the next, in months (weekly: days).
STEP_MONTHS = {"yearly": 12, "half-yearly": 6, "quarterly": 3, "monthly": 1}
RECURRING_WORDS = {"yearly": "hằng năm", "half-yearly": "6 tháng một lần", "quarterly": "hằng quý",
                   "monthly": "hằng tháng", "weekly": "hằng tuần", "periodic": "định kỳ"}

ROLES = ("chủ trì", "phối hợp", "thực hiện", "đề nghị", "báo cáo")
# English words a user may type for a role.
ROLE_ALIASES = {"lead": "chủ trì", "support": "phối hợp", "do": "thực hiện", "execute": "thực hiện",
                "request": "đề nghị", "report": "báo cáo"}


# --- dates ------------------------------------------------------------------------------------

def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def next_occurrence(due: dt.date, recurring: str | None, today: dt.date) -> dt.date:
    """The first occurrence of a deadline on or after ``today`` (the date itself when it does
    not recur, or recurs with no known period)."""
    if due >= today or not recurring:
        return due
    if recurring == "weekly":
        return due + dt.timedelta(days=7 * -(-(today - due).days // 7))
    step = STEP_MONTHS.get(recurring)
    if not step:
        return due
    k = max(0, ((today.year - due.year) * 12 + today.month - due.month) // step - 1)
    d = add_months(due, k * step)
    while d < today:
        k += 1
        d = add_months(due, k * step)
    return d


def status(days_left: int | None, recurring: str | None = None) -> str:
    if days_left is None:
        return RECURRING_NO_DATE if recurring else NO_DATE
    if days_left < 0:
        return OVERDUE
    if days_left <= SOON_DAYS:
        return SOON
    return OPEN


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _parse(d: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(d) if d else None
    except ValueError:
        return None


# --- deadlines --------------------------------------------------------------------------------

@dataclass
class DeadlineQuery:
    today: dt.date
    upcoming: int | None = None     # days ahead
    overdue: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    agency: str | None = None
    doc_id: int | None = None
    recurring_only: bool = False

    @property
    def dated_only(self) -> bool:
        return self.upcoming is not None or self.overdue or bool(self.date_from or self.date_to)


# Columns in the order ``_collect`` unpacks them.
_DEADLINE_SQL = """
    SELECT dl.id, dl.date, dl.precision, dl.raw, dl.what, dl.agency, dl.agency_key, dl.to_agency,
           dl.recurring, dl.relative, dl.section, dl.uid, d.id AS doc_id, d.number, d.doc_type, d.issuer,
           d.date AS doc_date, d.subject, d.path
    FROM deadlines dl JOIN documents d ON d.id = dl.doc_id"""


def _note(rec: str | None, relative: str | None, precision: str | None,
          printed: dt.date | None, due: dt.date | None) -> str | None:
    if rec and not printed:
        word = RECURRING_WORDS.get(rec, rec)
        return f"{word}; văn bản không ghi ngày" if rec != "periodic" else "định kỳ; văn bản không ghi kỳ hạn"
    if rec and printed and due and due != printed:
        return f"{RECURRING_WORDS.get(rec, rec)}; lần tới của hạn {printed.strftime('%d/%m/%Y')}"
    if relative and not printed:
        return f"{relative}: mốc chưa xác định"
    if precision in ("month", "quarter", "year"):
        return {"month": "hết tháng", "quarter": "hết quý", "year": "hết năm"}[precision]
    return None


def _window(q: DeadlineQuery) -> tuple[dt.date | None, dt.date | None]:
    """The widest range of due dates the filters can accept (None: unbounded)."""
    lo = hi = None
    if q.upcoming is not None and not q.overdue:
        lo, hi = q.today, q.today + dt.timedelta(days=q.upcoming)
    elif q.overdue and q.upcoming is None:
        hi = q.today - dt.timedelta(days=1)
    elif q.overdue:
        hi = q.today + dt.timedelta(days=q.upcoming)
    if q.date_from:
        lo = max(lo, q.date_from) if lo else q.date_from
    if q.date_to:
        hi = min(hi, q.date_to) if hi else q.date_to
    return lo, hi


def deadline_rows(db: Index, q: DeadlineQuery, limit: int | None = None) -> list[dict]:
    """The deadlines the query asks for, soonest first (undated ones last); the first
    ``limit`` of them when given.

    Recurring deadlines are read whole (each is moved to its next occurrence); one-off ones
    are read in date order and reading stops once ``limit`` of them are in and the date
    moves on, so a short answer from a large index does not touch every row."""
    where, args = [], []
    if q.doc_id is not None:
        where.append("dl.doc_id = ?")
        args.append(q.doc_id)
    lo, hi = _window(q)
    if q.dated_only:
        # A one-off deadline is due on its printed date, so the window is a range scan of
        # idx_deadlines_recurring (recurring IS NULL, date); recurring ones are moved to their
        # next occurrence below.
        where.append("dl.date IS NOT NULL")
    seen: dict[str, dict] = {}   # uid -> its row
    # "> ''" rather than IS NOT NULL (the same rows: recurrences are words) so that SQLite reads
    # them through idx_deadlines_recurring instead of scanning every deadline.
    recurring = _collect(db, q, where + ["dl.recurring > ''"], args, seen, None)
    oneoff: list[dict] = []
    if not q.recurring_only:
        w, a = where + ["dl.recurring IS NULL"], list(args)
        if q.dated_only and (lo or hi):
            if lo:
                w.append("dl.date >= ?")
                a.append(lo.isoformat())
            if hi:
                w.append("dl.date <= ?")
                a.append(hi.isoformat())
        # With dates only, (date, id) is idx_deadlines_date's own order: no sort of the whole
        # window before the first row (an overdue list at 20,000 documents sorted 60,000 rows).
        order = " ORDER BY dl.date, dl.id" if q.dated_only else " ORDER BY dl.date IS NULL, dl.date, dl.id"
        oneoff = _collect(db, q, w, a, seen, limit, order=order)
    rows = recurring + oneoff
    rows.sort(key=lambda x: (x["date"] is None, x["date"] or "", x["number"] or "", x["id"]))
    if limit is not None:
        rows = rows[:limit]
    return rows


def _collect(db: Index, q: DeadlineQuery, where: list[str], args: list,
             seen: dict[str, dict], limit: int | None, order: str = "") -> list[dict]:
    sql = _DEADLINE_SQL + (" WHERE " + " AND ".join(where) if where else "") + order
    rows: list[dict] = []
    # What a row's date, recurrence, relative anchor and precision make of it, worked out once
    # for each distinct four: a month's answer repeats a few dozen dates over thousands of rows.
    timing: dict[tuple, tuple | None] = {}
    for (dl_id, date, precision, raw, what, agency, agency_key, to_agency, recurring, relative, section,
         uid, doc_id, number, doc_type, issuer, doc_date, subject, path) in db.conn.execute(sql, args):
        if limit is not None and len(rows) >= limit and (not rows or date != rows[-1]["due_printed"]):
            break  # rows come in date order: what follows sorts after the first ``limit``
        if q.agency and not agency_matches(q.agency, agency_key, agency):
            continue
        t_key = (date, recurring, relative, precision)
        if t_key not in timing:
            timing[t_key] = _timing(q, date, recurring, relative, precision)
        t = timing[t_key]
        if t is None:  # outside what the query asks for
            continue
        if uid is None:  # a row written by hand: the index makes one for every deadline
            uid = deadline_uid((date, recurring, raw, what, agency, to_agency, number, doc_type, issuer,
                                doc_date, subject))
        # the same deadline in another copy of the same document (.docx and .pdf of one plan):
        # the uid is made of what the deadline and its document say, not of the file
        if uid in seen:
            seen[uid]["also_in"].append(path)
            continue
        due, days, state, note = t
        row = {
            "date": due, "days_left": days, "status": state,
            "what": what, "agency": agency, "to": to_agency, "number": number,
            "doc_type": doc_type, "section": section, "raw": raw,
            "due_printed": date, "precision": precision, "recurring": recurring,
            "relative": relative, "note": note,
            "agency_key": agency_key, "doc_id": doc_id, "doc_date": doc_date, "issuer": issuer,
            "subject": subject, "path": path, "id": dl_id,
            "also_in": [], "uid": uid,
        }
        seen[uid] = row
        rows.append(row)
    return rows


def _timing(q: DeadlineQuery, date: str | None, recurring: str | None, relative: str | None,
            precision: str | None) -> tuple | None:
    """(due date, days left, status, note) of a deadline printed with ``date``, or None when
    the query leaves it out."""
    today = q.today
    printed = _parse(date)
    due = next_occurrence(printed, recurring, today) if printed else None
    days = (due - today).days if due else None
    if q.dated_only:
        if due is None:
            return None
        wanted = (q.overdue and days < 0) or (q.upcoming is not None and 0 <= days <= q.upcoming) \
            or (q.upcoming is None and not q.overdue)
        if (q.date_from and due < q.date_from) or (q.date_to and due > q.date_to):
            wanted = False
        if not wanted:
            return None
    return _iso(due), days, status(days, recurring), _note(recurring, relative, precision, printed, due)


# --- assignments ------------------------------------------------------------------------------

def normalize_role(role: str) -> str | None:
    """The role a user typed ("chu tri", "Chủ trì", "lead"), or None when it is none of them."""
    f = " ".join(fold_search(role).split())
    if f in ROLE_ALIASES:
        return ROLE_ALIASES[f]
    for r in ROLES:
        if fold_search(r) == f:
            return r
    return None


def assignment_rows(db: Index, agency: str | None = None, role: str | None = None,
                    doc_id: int | None = None) -> list[dict]:
    sql = """SELECT a.id, a.agency, a.agency_key, a.role, a.partners, a.task, a.section, a.start,
                    a."end", d.id AS doc_id, d.number, d.doc_type, d.date AS doc_date, d.issuer,
                    d.subject, d.path
             FROM assignments a JOIN documents d ON d.id = a.doc_id"""
    where, args = [], []
    if doc_id is not None:
        where.append("a.doc_id = ?")
        args.append(doc_id)
    if role:
        where.append("a.role = ?")
        args.append(role)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY d.date, d.id, a.start, a.id"
    cur = db.conn.execute(sql, args)
    names = [c[0] for c in cur.description]
    rows, seen = [], {}
    for rec in cur.fetchall():
        r = dict(zip(names, rec))
        if agency and not agency_matches(agency, r["agency_key"], r["agency"]):
            continue
        try:
            partners = json.loads(r["partners"] or "[]")
        except ValueError:
            partners = []
        row = {"agency": r["agency"], "role": r["role"], "partners": partners, "task": r["task"],
               "number": r["number"], "section": r["section"], "doc_type": r["doc_type"],
               "doc_date": r["doc_date"], "issuer": r["issuer"], "agency_key": r["agency_key"],
               "doc_id": r["doc_id"], "path": r["path"], "id": r["id"], "also_in": []}
        key = (r["agency"], r["role"], r["task"], r["number"], r["doc_type"], r["doc_date"],
               r["issuer"], r["subject"])
        if key in seen:
            seen[key]["also_in"].append(r["path"])
            continue
        seen[key] = row
        rows.append(row)
    return rows


def shorten(text: str | None, width: int = 90) -> str | None:
    if not text or len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0]
    return cut + " …"


# --- iCalendar (RFC 5545) ---------------------------------------------------------------------

def _ics_text(s: str) -> str:
    return (s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold_line(line: str) -> str:
    """Lines longer than 75 octets go on as continuation lines starting with a space, never
    cutting a UTF-8 character."""
    if len(line.encode("utf-8")) <= 75:
        return line
    parts, cur, limit = [], b"", 75
    for ch in line:
        e = ch.encode("utf-8")
        if len(cur) + len(e) > limit:
            parts.append(cur.decode("utf-8"))
            cur, limit = b"", 74  # the leading space of a continuation line counts
        cur += e
    parts.append(cur.decode("utf-8"))
    return "\r\n ".join(parts)


_RRULE = {"yearly": "FREQ=YEARLY", "half-yearly": "FREQ=MONTHLY;INTERVAL=6",
          "quarterly": "FREQ=MONTHLY;INTERVAL=3", "monthly": "FREQ=MONTHLY", "weekly": "FREQ=WEEKLY"}


def to_ics(rows: Iterable[dict], stamp: dt.datetime | None = None, remind_days: int = 3) -> tuple[str, int]:
    """A VCALENDAR with one all-day VEVENT per dated row (recurring ones with their RRULE and a
    reminder ``remind_days`` before), and how many rows had no date and were left out."""
    stamp = stamp or dt.datetime.now(dt.timezone.utc)
    dtstamp = stamp.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//danvan//danvan {__version__}//VI",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Hạn văn bản (danvan)"]
    skipped = 0
    for r in rows:
        due = _parse(r.get("date"))
        if due is None:
            skipped += 1
            continue
        what = r.get("what") or r.get("raw") or "Hạn"
        number = r.get("number") or "(văn bản chưa có số)"
        summary = f"{what} — {number}"
        issued = _parse(r.get("doc_date"))
        desc = [f"Văn bản: {' '.join(x for x in (r.get('doc_type'), number) if x)}"
                + (f" ngày {issued.strftime('%d/%m/%Y')}" if issued else "")]
        if r.get("subject"):
            desc.append(f"Trích yếu: {r['subject']}")
        desc.append(f"Nội dung: {what}")
        for label, key in (("Cơ quan thực hiện", "agency"), ("Gửi", "to"), ("Hạn ghi trong văn bản", "raw"),
                           ("Ghi chú", "note"), ("Mục", "section"), ("Tệp", "path")):
            if r.get(key):
                desc.append(f"{label}: {r[key]}")
        event = [
            "BEGIN:VEVENT",
            f"UID:{r.get('uid') or deadline_uid((summary, r.get('raw'), r.get('date')))}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(chr(10).join(desc))}",
            "TRANSP:TRANSPARENT",
        ]
        if r.get("doc_type"):
            event.append(f"CATEGORIES:{_ics_text(r['doc_type'])}")
        if r.get("recurring") in _RRULE:
            event.append(f"RRULE:{_RRULE[r['recurring']]}")
        if remind_days:
            event += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-P{remind_days}D",
                      f"DESCRIPTION:{_ics_text('Sắp đến hạn: ' + what)}", "END:VALARM"]
        event.append("END:VEVENT")
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(fold_line(x) + "\r\n" for x in lines), skipped
