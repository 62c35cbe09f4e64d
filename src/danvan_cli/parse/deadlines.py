"""Stage 'deadlines': what is due, by whom, to whom, by when (see parse/__init__.py).

Find, resolve, annotate:

- *find* the phrases that set a due date, each with its span:
    "trước ngày 01/6", "chậm nhất ngày 15 tháng 12 năm 2026", "trước 17 giờ ngày ..."
    "Thời gian hoàn thành: tháng 6/2025", "Thời hạn: quý III/2025", "hoàn thành trong tháng 6"
    "trước ngày 05 của tháng đầu quý sau", "trước ngày 20 hằng tháng"      (recurring, dated)
    "trong thời hạn 15 ngày kể từ ngày ..."                              (relative)
    "định kỳ hằng năm / hằng quý / 6 tháng", "định kỳ sơ kết, tổng kết", "định kỳ báo cáo"
                                                     (recurring; a report verb must be in the clause)
  Not deadlines: windows ("Thời gian thực hiện: từ ... đến ...", "năm 2024" as a period), the
  dates of cited documents, events ("tổ chức hội nghị ... trong quý I") — none of these is
  introduced by a deadline phrase.
- *resolve* the date: the year from the document when the text gives none (out.year /
  out.date; a day more than two months before the date of issue falls in the next year),
  the end of the month / quarter / year for coarser points, a relative delay counted from the
  date of issue when the anchor is "ngày ký" / "ngày ban hành".
- *annotate*: what is due (a label "Báo cáo 6 tháng đầu năm:", else the report phrase or the
  clause before the date), who owes it (the subject of the sentence, else the assignment whose
  task holds it: a heading "1. Văn phòng Sở" owns the paragraphs below it), to whom ("báo cáo
  UBND tỉnh", "gửi về Văn phòng Sở", with "(qua Sở Nội vụ)"), the section.

A "định kỳ báo cáo" with no period is dropped when the document prints dated report deadlines:
those dates are when the periodic reports fall.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import re as stdre
from dataclasses import dataclass

import regex as re

from .. import patterns as P
from ..agencies import KEEP_GIL, agencies_key, read_agencies
from ..dates import end_of_month, end_of_quarter, roman_to_int, to_iso
from ..model import Deadline, Document
from ..normalize import fold_search
from .assignments import (CASE_EXTRA, Body, Para, _sentence_start, finditer_hinted, lowered, paras_holding,
                          per_text, prefix_match, scan, section_index, section_of, task_start)
from .textdoc import DocText

# --- the phrases ------------------------------------------------------------------------------
_WHEN = P.DEADLINE_WHEN
_LABEL_RE = re.compile(rf"(?i){P.DEADLINE_LABEL}\s*:\s*(?P<prep>trong|trước|vào|chậm nhất(?:\s+là)?|hết)?\s*"
                       rf"{P.CLOCK}?{_WHEN}")
_BEFORE_RE = re.compile(rf"(?i){P.DEADLINE_BEFORE}\s+{P.CLOCK}?ngày\s+(?:{P.DATE_WORDS}|{P.DATE_NUMERIC})")
_DAY_OF_PERIOD_RE = re.compile(
    rf"(?i){P.DEADLINE_BEFORE}\s+{P.CLOCK}?ngày\s+(?P<pd>[0-3]?\d)\s+(?:của\s+)?"
    r"(?:(?P<first>tháng\s+đầu(?:\s+tiên)?\s+(?:của\s+)?quý\s+(?:sau|tiếp theo|kế tiếp))"
    r"|(?P<last>tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+|hằng\s+|hàng\s+)?quý)"
    r"|(?:hằng|hàng|mỗi)\s+(?P<per>tháng|quý)"
    r"|(?P<nextm>tháng\s+(?:sau|tiếp theo|kế tiếp)))")
_PERIOD_RE = re.compile(
    rf"(?i)(?:(?P<verb>hoàn thành|hoàn thiện|xong|kết thúc)(?:\s+[^\s,;.]+){{0,3}}?\s+)?"
    rf"(?P<prep>trước|trong|vào|chậm nhất(?:\s+(?:trong|vào|là))?|hết)\s+"
    rf"(?P<when>tháng\s+(?P<pm>[01]?\d){P.PERIOD_YEAR.replace('py', 'pmy')}"
    rf"|{P.QUARTER}{P.PERIOD_YEAR.replace('py', 'pqy')}|năm\s+(?P<pyy>(?:19|20)\d\d))(?![\d/])")
_RELATIVE_RE = re.compile(rf"(?i){P.RELATIVE}")
_RECUR_RE = re.compile(
    rf"(?i)(?:(?P<pre>báo cáo)\s+)?định\s+kỳ(?:\s+(?:{P.RECUR_PERIOD}|(?:6|sáu)\s+tháng(?!\s+(?:đầu|cuối)))"
    r"|(?P<acts>\s+(?:sơ kết|tổng kết|báo cáo|kiểm tra|đánh giá)(?:\s*,\s*(?:sơ kết|tổng kết|kiểm tra|đánh giá))*))?"
    rf"|(?<!định\s+kỳ\s+){P.RECUR_PERIOD}")
_REPORT_VERB = re.compile(rf"(?i)(?<!\p{{L}}){P.REPORT_VERB}(?!\p{{L}})")
_EVENT = re.compile(r"(?i)(?<!\p{L})(?:tổ chức|hội nghị|tập huấn|hội thảo|diễn đàn)(?!\p{L})")
_GENERIC_LABEL = re.compile(r"(?i)^(?:thời gian|thời hạn|hạn)(?:\s+(?:hoàn thành|thực hiện))?$")
_ANCHOR_ISSUE = re.compile(r"(?i)^\s*(?:ngày\s+)?(?:ký|ban hành|ký ban hành)(?!\p{L})")
_PERIOD_WORDS = {"nam": "yearly", "quy": "quarterly", "thang": "monthly", "tuan": "weekly"}
# Compiled once (a pattern string handed to re.search is looked up in the module's cache on
# every call, which cost more than the search).
_ANCHOR_DATE = re.compile(rf"(?i)\s*(?:ngày\s+)?(?:{P.DATE_WORDS}|{P.DATE_NUMERIC})")
_HALF_YEAR = re.compile(r"(?:6|sau) thang")
_WINDOW_TO = re.compile(r"\s*(?:đến|-|–)\s")
# What _tidy takes off the ends: a bullet or a clause mark before, an opening bracket after.
_LEAD_NOISE = " -–+•*:,;)"
_TAIL_NOISE = " :,;-–("
_BETWEEN_NOISE = re.compile(r"(?i)đối với[^,;()]*|^[\s),;]*(?:và|hoặc)?|[\s(,;:]+$")
_LABEL_WORDS = re.compile(rf"(?i){P.DEADLINE_LABEL}")
# Group numbers by name: the regex module reads a group name only after failing to read it as a
# number (an exception raised and cleared on every call), so matches are read by number.
_LABEL_G = _LABEL_RE.groupindex
_BEFORE_G = _BEFORE_RE.groupindex
_DAY_OF_PERIOD_G = _DAY_OF_PERIOD_RE.groupindex
_PERIOD_G = _PERIOD_RE.groupindex
_RELATIVE_G = _RELATIVE_RE.groupindex
_RECUR_G = _RECUR_RE.groupindex
_ANCHOR_DATE_G = _ANCHOR_DATE.groupindex
_CONTENT_LABEL = re.compile(r"(?i)^\s*nội dung\s*:\s*")
_DONE_TRAIL = re.compile(r"(?i)[,\s]*(?:và\s+)?(?:hoàn thành|xong)$")


def _done_tail(w: str) -> bool:
    """Whether _DONE_TRAIL can match: ``w`` ends in "hoàn thành" or "xong" in any case (a
    one-line string; the regex alone tries every position of it)."""
    tail = w[-10:]
    if "\u0130" in tail or "\u017f" in tail:  # (translate is slow: only when there is a need)
        tail = tail.translate(CASE_EXTRA)
    tail = tail.lower()
    return tail.endswith("hoàn thành") or tail.endswith("xong")


_SENTENCE_END_AHEAD = re.compile(r"[.!?](?=\s+\p{Lu}|\s*$)")
_BAO_CAO = re.compile(r"bao cao")


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    kind: str                   # label | before | day_of_period | period | relative | recurring
    date: str | None = None
    precision: str | None = None
    recurring: str | None = None
    relative: str | None = None
    para: Para | None = None
    year_printed: bool = True   # "trước ngày 20/11" under "hằng năm" is the recurring one
    own_what: tuple[str | None] | None = None  # _what of this deadline alone, once worked out
    spans: tuple[int, int, int] | None = None  # see _spans


# --- resolving dates --------------------------------------------------------------------------

def _doc_date(out: Document) -> dt.date | None:
    try:
        return _iso_date(out.date) if out.date else None
    except ValueError:
        return None


# The document's date and the dates put beside it, asked for by every deadline whose year is
# not printed (pure: a bad date raises each time, as fromisoformat does).
_iso_date = functools.lru_cache(maxsize=1024)(dt.date.fromisoformat)


def _doc_year(out: Document) -> int | None:
    if out.year:
        return out.year
    d = _doc_date(out)
    return d.year if d else None


def _day_date(m: re.Match, g: dict, out: Document) -> tuple[str | None, bool]:
    """(ISO date, year known) of a day-month(-year) match (``g``: its pattern's group numbers);
    the document's year fills in."""
    day, month, printed = int(m.group(g["day"])), int(m.group(g["month"])), m.group(g["year"])
    if printed:
        return to_iso(day, month, int(printed)), True
    year = _doc_year(out)
    if year is None:
        return None, False
    iso = to_iso(day, month, year)
    issued = _doc_date(out)
    if iso and issued and (issued - _iso_date(iso)).days > 60:
        iso = to_iso(day, month, year + 1)  # "trước ngày 10/01" in a December plan
    return iso, True


def _quarter(q: str) -> int | None:
    return int(q) if q.isdigit() else roman_to_int(q)


def _period_date(m: re.Match, g: dict, before: bool) -> tuple[str | None, str | None]:
    """(ISO end, precision) of "tháng 6/2025", "quý III/2025", "năm 2025" (``g``: the pattern's
    group numbers); "trước" a period means by the end of the period before it."""
    try:
        if m.group(g["pm"]):
            y, mo = int(m.group(g["pmy"])), int(m.group(g["pm"]))
            if not 1 <= mo <= 12:
                return None, None
            if before:
                y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
            return end_of_month(y, mo), "month"
        if m.group(g["q"]):
            y, q = int(m.group(g["pqy"])), _quarter(m.group(g["q"]))
            if not q or not 1 <= q <= 4:
                return None, None
            if before:
                y, q = (y - 1, 4) if q == 1 else (y, q - 1)
            return end_of_quarter(y, q), "quarter"
        if m.group(g["pyy"]):
            y = int(m.group(g["pyy"])) - (1 if before else 0)
            return f"{y}-12-31", "year"
    except (TypeError, ValueError):
        return None, None
    return None, None


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    last = int(end_of_month(y, m)[-2:])
    return dt.date(y, m, min(d.day, last))


def _day_of_period(m: re.Match, out: Document) -> tuple[str | None, str]:
    """The first such day after the date of issue, and the recurrence."""
    g = _DAY_OF_PERIOD_G
    day, first, last, nextm = int(m.group(g["pd"])), m.group(g["first"]), m.group(g["last"]), m.group(g["nextm"])
    issued = _doc_date(out) or (dt.date(_doc_year(out), 1, 1) if _doc_year(out) else None)
    if first or last or (m.group(g["per"]) or "").lower() == "quý":
        recurring = "quarterly"
    else:
        recurring = "monthly"
    if issued is None or not 1 <= day <= 31:
        return None, recurring
    if first:
        q_end_month = ((issued.month - 1) // 3 + 1) * 3
        target = _add_months(dt.date(issued.year, q_end_month, 1), 1)
    elif last or recurring == "quarterly":
        target = dt.date(issued.year, ((issued.month - 1) // 3 + 1) * 3, 1)
    elif nextm:
        target = _add_months(dt.date(issued.year, issued.month, 1), 1)
    else:
        target = dt.date(issued.year, issued.month, 1)
    step = 3 if recurring == "quarterly" else 1
    for _ in range(3):
        iso = to_iso(min(day, int(end_of_month(target.year, target.month)[-2:])), target.month, target.year)
        if iso and dt.date.fromisoformat(iso) >= issued:
            return iso, recurring
        target = _add_months(target, step)
    return None, recurring


def _relative_date(m: re.Match, out: Document) -> str | None:
    """The date a delay ends on, when its anchor is the date of issue or a printed date."""
    anchor = m.group(_RELATIVE_G["anchor"])
    start: dt.date | None = None
    if _ANCHOR_ISSUE.match(anchor):
        start = _doc_date(out)
    else:
        am = _ANCHOR_DATE.match(anchor)
        g = _ANCHOR_DATE_G
        if am and am.group(g["year"]):
            iso = to_iso(am.group(g["day"]), am.group(g["month"]), am.group(g["year"]))
            start = dt.date.fromisoformat(iso) if iso else None
    if start is None:
        return None
    n, unit = int(m.group(_RELATIVE_G["n"])), fold_search(m.group(_RELATIVE_G["unit"]))
    if unit.startswith("ngay lam viec"):
        d, left = start, n
        while left:
            d += dt.timedelta(days=1)
            if d.weekday() < 5:
                left -= 1
        return d.isoformat()
    if unit.startswith("ngay"):
        return (start + dt.timedelta(days=n)).isoformat()
    if unit.startswith("tuan"):
        return (start + dt.timedelta(weeks=n)).isoformat()
    return _add_months(start, n).isoformat()


def _recur_kind(m: re.Match) -> str:
    every = m.group(_RECUR_G["every"]) or m.group(_RECUR_G["every2"]) or ""
    if every:
        return _PERIOD_WORDS.get(fold_search(every), "periodic")
    raw = fold_search(m.group(0))
    if _HALF_YEAR.search(raw):
        return "half-yearly"
    return "periodic"


# --- finding ----------------------------------------------------------------------------------

@per_text  # a deadline's clause is asked for when it is found, for what is due, for who owes it
def _clause_bounds(t: str, lo: int, hi: int, pos: int) -> tuple[int, int]:
    """The clause around ``pos``: between ";" / sentence ends inside [lo, hi)."""
    s = lo
    for m in _CLAUSE_START.finditer(t, lo, hi, False, KEEP_GIL):  # (the lookahead may need to see past pos)
        if m.start() >= pos:
            break
        s = m.end()
    m = _CLAUSE_END.search(t, pos, hi, KEEP_GIL)
    return s, (m.start() if m else hi)


_CLAUSE_START = re.compile(r";|[.!?](?=\s+\p{Lu})")
_CLAUSE_END = re.compile(r";|[.!?](?=\s|$)")


def _spans(t: str, c: _Cand) -> tuple[int, int, int]:
    """(sentence start, clause start, clause end) around ``c`` in its paragraph: worked out once
    per deadline (who owes it, what is due and to whom each ask)."""
    if c.spans is None:
        p = c.para
        cs, ce = _clause_bounds(t, p.body, p.end, c.start)
        c.spans = (_sentence_start(t, p.body, c.start, p.end), cs, ce)
    return c.spans


# Words each phrase regex cannot match without (lower case), tested on the paragraph in the
# lowered text: a paragraph lacking them is not searched (the regexes cost more than the test,
# and most paragraphs set no deadline).
#   _LABEL_RE            a ":" and one of _NEED_LABEL (every P.DEADLINE_LABEL holds one)
#   _BEFORE_RE, _DAY_OF_PERIOD_RE   "ngày" and one of _NEED_BEFORE (P.DEADLINE_BEFORE);
#                        _DAY_OF_PERIOD_RE one of _NEED_DAY_OF_PERIOD too (each of its periods)
#   _PERIOD_RE           one of _NEED_PREP and one of _NEED_POINT
#   _RELATIVE_RE         one of _NEED_RELATIVE ("từ|sau" before "khi|ngày") and of _NEED_UNIT
#   _RECUR_RE            one of _NEED_RECUR ("định kỳ", "hằng/hàng/mỗi ...", "... một lần")
# and all but _RECUR_RE a digit (\d: every point in time they read is printed in numbers).
_NEED_LABEL = ("hạn", "hoàn thành", "thời gian thực hiện")
_NEED_BEFORE = ("trước", "chậm nhất", "hạn chót", "hạn cuối", "muộn")
_NEED_DAY_OF_PERIOD = ("quý", "hằng", "hàng", "mỗi", "sau", "tiếp theo", "kế tiếp")
_NEED_PREP = ("trước", "trong", "vào", "chậm nhất", "hết")
_NEED_POINT = ("tháng", "quý", "năm")
_NEED_RELATIVE = ("từ", "sau")
_NEED_UNIT = ("ngày", "tuần", "tháng")
_NEED_RECUR = ("kỳ", "hằng", "hàng", "mỗi", "lần")
_DIGIT = re.compile(r"\d")
# The words of P.REPORT_VERB: a recurrence, or a period with neither "trước" nor a verb of
# completion, counts only with one in its clause; a paragraph without them is not searched.
_NEED_REPORT = ("báo cáo", "sơ kết", "tổng kết", "gửi", "nộp")


# The first words each phrase regex can start with, lower case: its finditer is tried only at
# their places in the lowered text (``finditer_hinted``).
_START_LABEL = stdre.compile(r"thời|hạn|hoàn")
_START_BEFORE = stdre.compile(r"trước|chậm|hạn|không|muộn")
_START_PERIOD = stdre.compile(r"hoàn|xong|kết|trước|trong|vào|chậm|hết")
_START_RELATIVE = stdre.compile(r"trong|không|chậm|sau")
_START_RECUR = stdre.compile(r"báo|định|hằng|hàng|mỗi|6|sáu|năm|quý|tháng|tuần")
_START_TO = stdre.compile(r"gửi|nộp|báo cáo|trình|chuyển|cung cấp|phản ánh")  # _TO_RE
_START_REPORT = stdre.compile(r"gửi|nộp|báo cáo")  # _REPORT_PHRASE


def _has(low: str, words: tuple[str, ...]) -> bool:
    for w in words:
        if w in low:
            return True
    return False


def _find(doc: DocText, body: Body, out: Document) -> list[_Cand]:
    t = doc.match
    low = lowered(t)
    cands: list[_Cand] = []
    here: list[_Cand] = []  # this paragraph's: phrases never overlap

    def free(s: int, e: int) -> bool:
        for c in here:  # (a loop: a generator per test cost more than the test)
            if s < c.end and e > c.start:
                return False
        return True

    recurring = paras_holding(low, body.paras, _NEED_RECUR)  # (every paragraph asks: once for all)
    for p in body.paras:
        if p.index in body.basis:
            continue
        s, e = p.body, p.end
        cands.extend(here)
        here = []
        has_recur = p.index in recurring
        if _DIGIT.search(t, s, e, KEEP_GIL):  # (most paragraphs print no number: one search spares the rest)
            low_para = low[s:e]
            has_label = ":" in low_para and _has(low_para, _NEED_LABEL)
            has_day = "ngày" in low_para and _has(low_para, _NEED_BEFORE)
            has_day_of_period = has_day and _has(low_para, _NEED_DAY_OF_PERIOD)
            has_period = _has(low_para, _NEED_PREP) and _has(low_para, _NEED_POINT)
            has_relative = _has(low_para, _NEED_RELATIVE) and _has(low_para, _NEED_UNIT)
        elif has_recur:
            low_para = low[s:e]
            has_label = has_day = has_day_of_period = has_period = has_relative = False
        else:
            continue
        reports = (has_recur or has_period) and _has(low_para, _NEED_REPORT)
        has_recur = has_recur and reports
        for m in finditer_hinted(_LABEL_RE, _START_LABEL, low, t, s, e) if has_label else ():
            g = _LABEL_G
            label = fold_search(m.group(g["label"]))
            rest = t[m.end():min(e, m.end() + 12)]
            if _WINDOW_TO.match(rest, None, None, KEEP_GIL):
                continue  # a window: "tháng 6/2025 - tháng 8/2025"
            if m.group(g["pyy"]) and "thuc hien" in label:
                continue  # "Thời gian thực hiện: năm 2024" is a period
            before = (m.group(g["prep"]) or "").lower().startswith("trước")
            if m.group(g["day"]):
                iso, known = _day_date(m, g, out)
                c = _Cand(m.start(), m.end(), "label", iso, "day", para=p)
                if not known:
                    _no_year(out, m.group(0))
            else:
                iso, prec = _period_date(m, g, before)
                c = _Cand(m.start(), m.end(), "label", iso, prec, para=p)
            if iso is None and (not m.group(g["day"]) or m.group(g["year"]) or _doc_year(out)):
                _not_a_date(out, m.group(0))
                continue
            if free(c.start, c.end):
                here.append(c)
        for m in finditer_hinted(_DAY_OF_PERIOD_RE, _START_BEFORE, low, t, s, e) if has_day_of_period else ():
            if not 1 <= int(m.group(_DAY_OF_PERIOD_G["pd"])) <= 31:
                _not_a_date(out, m.group(0))
                continue
            iso, rec = _day_of_period(m, out)
            if free(m.start(), m.end()):
                here.append(_Cand(m.start(), m.end(), "day_of_period", iso, "day", rec, para=p))
        for m in finditer_hinted(_BEFORE_RE, _START_BEFORE, low, t, s, e) if has_day else ():
            if not free(m.start(), m.end()):
                continue
            iso, known = _day_date(m, _BEFORE_G, out)
            if not known:
                _no_year(out, m.group(0))
            elif iso is None:
                _not_a_date(out, m.group(0))
                continue
            here.append(_Cand(m.start(), m.end(), "before", iso, "day", para=p,
                               year_printed=bool(m.group(_BEFORE_G["year"]))))
        for m in finditer_hinted(_PERIOD_RE, _START_PERIOD, low, t, s, e) if has_period else ():
            if not free(m.start(), m.end()):
                continue
            g = _PERIOD_G
            prep, verb, pyy = m.group(g["prep"]).lower(), m.group(g["verb"]), m.group(g["pyy"])
            is_before = prep.startswith("trước") or prep.startswith("chậm nhất")
            if not (is_before or verb):
                if not reports:
                    continue  # (the test below fails: no report verb in the paragraph)
                cs, _ = _clause_bounds(t, s, e, m.start())
                clause = t[cs:m.start()]
                if not _REPORT_VERB.search(clause, None, None, KEEP_GIL) or _EVENT.search(clause, None, None, KEEP_GIL):
                    continue  # "tổ chức tập huấn ... trong quý I/2027" is an event
                if pyy:
                    continue  # "báo cáo ... trong năm 2024": a period
            if pyy and not (verb or is_before):
                continue
            iso, prec = _period_date(m, g, prep.startswith("trước"))
            if iso is None:
                _not_a_date(out, m.group(0))
                continue
            start = m.start(g["prep"]) if not verb else m.start()
            here.append(_Cand(start, m.end(), "period", iso, prec, para=p))
        for m in finditer_hinted(_RELATIVE_RE, _START_RELATIVE, low, t, s, e) if has_relative else ():
            if not free(m.start(), m.end()):
                continue
            anchor_end = m.end(_RELATIVE_G["anchor"])
            rel = " ".join(doc.text[m.start(_RELATIVE_G["n"]):anchor_end].split()).rstrip(" ,")
            iso = _relative_date(m, out)
            here.append(_Cand(m.start(), anchor_end, "relative", iso, "day" if iso else None,
                               relative=rel, para=p))
        for m in finditer_hinted(_RECUR_RE, _START_RECUR, low, t, s, e) if has_recur else ():
            if not free(m.start(), m.end()):
                continue
            cs, ce = _clause_bounds(t, s, e, m.start())
            if not _REPORT_VERB.search(t[cs:ce], None, None, KEEP_GIL):
                continue  # "định kỳ tổ chức phát động phong trào": an activity, not a report
            kind = _recur_kind(m)
            if kind == "periodic" and not (m.group(_RECUR_G["acts"]) or m.group(_RECUR_G["pre"])
                                           or _REPORT_VERB.match(t, m.end() + 1)):
                # a bare "định kỳ": counts when a report follows or precedes it closely
                if not _REPORT_VERB.search(t[max(cs, m.start() - 15):min(ce, m.end() + 25)]):
                    continue
            end = m.end()
            here.append(_Cand(m.start(), end, "recurring", recurring=kind, para=p))
    cands.extend(here)
    cands.sort(key=lambda c: c.start)
    return _merge_recurring(t, cands)


def _merge_recurring(t: str, cands: list[_Cand]) -> list[_Cand]:
    """A recurrence in the clause of a dated deadline is that deadline's recurrence
    ("hằng năm, báo cáo trước ngày 15/12"): merged into the nearest one."""
    out: list[_Cand] = []
    recur = [c for c in cands if c.kind == "recurring"]
    dated = [c for c in cands if c.kind != "recurring"]
    by_para: dict[int, list[_Cand]] = {}
    for d in dated:
        by_para.setdefault(d.para.index, []).append(d)
    for r in recur:
        p = r.para
        cs, ce = _clause_bounds(t, p.body, p.end, r.start)
        near = [d for d in by_para.get(p.index, []) if cs <= d.start < ce and d.kind != "relative"]
        if near:
            d = min(near, key=lambda d: (d.year_printed, abs(d.start - r.start)))
            if d.recurring is None or (d.recurring == "periodic" and r.recurring != "periodic"):
                d.recurring = r.recurring
            continue
        out.append(r)
    return sorted(dated + out, key=lambda c: c.start)


def _not_a_date(out: Document, raw: str) -> None:
    out.warnings.append(f"deadline {' '.join(raw.split())!r}: not a date, left out")


def _no_year(out: Document, raw: str) -> None:
    out.warnings.append(f"deadline {' '.join(raw.split())!r}: no year printed and the document's "
                        "year is unknown")


# --- annotating -------------------------------------------------------------------------------
_WHAT_CLIP = re.compile(r"\s+(?:để|nhằm|gửi|theo quy định|theo thời gian)\s|[;]|[.!?](?=\s|$)")
_REPORT_PHRASE = re.compile(r"(?i)(?<!\p{L})(?:gửi\s+|nộp\s+)?báo cáo(?!\p{L})")
_SUBJECT_PREFIX = re.compile(r"(?i)\G\s*(?:giao(?:\s+cho)?|đề nghị|yêu cầu)\s+")
_SUBJECT_WORDS = ("giao", "đề nghị", "yêu cầu")  # (see prefix_match)
_TO_RE = re.compile(r"(?i)(?<!\p{L})(?:gửi|nộp|báo cáo|trình|chuyển|cung cấp|phản ánh)"
                    r"(?:\s+[^\s,;.()]+){0,6}?\s+(?:về|cho|lên|đến|tới)\s+"
                    r"|(?<!\p{L})(?:gửi|báo cáo|trình)\s+")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=\p{Lu})")
_QUA_RE = re.compile(r"\(\s*(?i:qua|thông qua)\s+[^()]{2,60}\)")
_ISSUER_VERBS = {"yêu cầu", "đề nghị", "giao"}


def _tidy(s: str) -> str:
    # (str.strip, not a regex ending in "$": that one is tried at every position)
    return " ".join(s.split()).lstrip(_LEAD_NOISE).rstrip(_TAIL_NOISE)


def _clip_what(doc: DocText, start: int, end: int) -> str:
    t = doc.match
    qua = _QUA_RE.search(t, start, end, KEEP_GIL) if t.find("(", start, end) >= 0 else None  # (it opens with one)
    m = _WHAT_CLIP.search(t, start + 1, end, KEEP_GIL)
    stop = m.start() if m else end
    if qua and qua.start() < stop:
        stop = qua.end()
    return _tidy(doc.text[start:stop])


def _strip_subject(doc: DocText, start: int, end: int) -> int:
    """Past "Giao X", "Đề nghị X" or a subject "X, Y" that opens a clause, and past the role
    words that follow it ("chủ trì, phối hợp với Y"): where the task itself starts."""
    t = doc.match
    m = prefix_match(_SUBJECT_PREFIX, _SUBJECT_WORDS, t, start, end)
    pos = m.end() if m else start
    run = read_agencies(t, doc.text, pos, end)
    if run and run.stop == "verb":
        pos = run.end
    elif not m:
        return start
    return task_start(doc, pos, end)


def _what(doc: DocText, body: Body, c: _Cand, prev: tuple[_Cand, str | None] | None = None) -> str | None:
    t, p = doc.match, c.para
    _, cs, ce = _spans(t, c)
    if prev and prev[0].para is p and cs <= prev[0].start < c.start and prev[1]:
        # a second date in the clause: "sơ kết 6 tháng (trước ngày 15/6) và tổng kết năm (trước
        # ngày 30/11)" names its own task; "... trước ngày 20/11/2025 đối với năm 2025 và trước
        # ngày 20/11 đối với các năm tiếp theo" is the same report
        between = doc.text[prev[0].end:c.start]
        between = _BETWEEN_NOISE.sub(" ", between)
        between = _tidy(between)
        if len(between.split()) < 2:
            return prev[1]
        return between
    if c.own_what is None:  # (find_deadlines asks twice: for dated_report, then per deadline)
        c.own_what = (_own_what(doc, body, c, cs, ce),)
    return c.own_what[0]


def _own_what(doc: DocText, body: Body, c: _Cand, cs: int, ce: int) -> str | None:
    """What is due by ``c`` (whose clause is [cs, ce)), read from its own clause."""
    t, p = doc.match, c.para
    before = t[cs:c.start]
    if c.kind == "recurring":
        rm = _REPORT_PHRASE.search(t, c.start, ce, KEEP_GIL) or _REPORT_VERB.search(t, c.end, ce, KEEP_GIL)
        if rm:
            return _clip_what(doc, rm.start(), ce) or None
        return _tidy(doc.text[_strip_subject(doc, cs, c.start):c.start]) or None
    # a label before the date: "- Báo cáo 6 tháng đầu năm: trước ngày 01/6"
    label_start = None
    if c.kind == "label":
        label_start = c.start
        lm = _LABEL_WORDS.match(t[c.start:c.end])
        label = doc.text[c.start:c.start + lm.end()] if lm else ""
    elif before.rstrip().endswith(":"):
        label_start = cs + len(before) - len(before.lstrip(" -–+•*"))
        label = _tidy(doc.text[label_start:cs + len(before.rstrip()) - 1])
        if label and not _GENERIC_LABEL.match(label):
            return label
    if label_start is not None:
        # "Thời gian hoàn thành: ..." names no task: the clause before it, or the paragraph above
        prev_end = label_start
        while prev_end > p.body and t[prev_end - 1] in " ;,:":
            prev_end -= 1
        w = ""
        if prev_end > p.body:
            ps, _ = _clause_bounds(t, p.body, p.end, prev_end - 1)
            w = _tidy(doc.text[_strip_subject(doc, ps, prev_end):prev_end])
        if not w and p.index > 0:
            q = body.paras[p.index - 1]
            w = _tidy(_CONTENT_LABEL.sub("", doc.text[q.body:q.end]))
        return w or _tidy(label) or None
    # the report phrase nearest before the date, else the clause before it
    reports = list(finditer_hinted(_REPORT_PHRASE, _START_REPORT, lowered(t), t, cs, c.start))
    if reports:
        w = _tidy(doc.text[reports[-1].start():c.start])
    else:
        w = _tidy(doc.text[_strip_subject(doc, cs, c.start):c.start])
    if _done_tail(w):
        w = _DONE_TRAIL.sub("", w)
    w = w.strip(" ,")
    if not w:  # "Trước ngày 30/6, các xã gửi báo cáo ...": what follows
        after = c.end
        while after < ce and t[after] in " ,:":
            after += 1
        w = _clip_what(doc, _strip_subject(doc, after, ce), ce)
    return w or None


def _subject(doc: DocText, start: int, end: int) -> list[str]:
    """The agencies a sentence starts with: "X, Y báo cáo ...", "Giao X ...", "UBND tỉnh yêu
    cầu X ..."."""
    t = doc.match
    m = prefix_match(_SUBJECT_PREFIX, _SUBJECT_WORDS, t, start, end)
    run = read_agencies(t, doc.text, m.end() if m else start, end)
    if not run:
        return []
    if not m and run.stop == "verb" and run.stop_word.strip() in _ISSUER_VERBS:
        run = read_agencies(t, doc.text, run.after_stop, end)
        return [n for n, _, _ in run.names] if run and run.stop == "verb" else []
    if m and run.stop in ("verb", "punct"):
        return [n for n, _, _ in run.names]
    if run.stop == "verb" and run.stop_word.strip() not in _ISSUER_VERBS | {"ban hành"}:
        return [n for n, _, _ in run.names]
    return []


def _owners(doc: DocText, out: Document, body: Body, c: _Cand, held: _Held | None = None) -> list[str]:
    t, p = doc.match, c.para
    ss, cs, _ = _spans(t, c)
    starts = [cs, ss]
    if not t[cs:c.start].strip(" -–+•*"):  # "Trước ngày 30/6, các xã gửi báo cáo ..."
        after = c.end
        while after < p.end and t[after] in " ,:":
            after += 1
        starts.insert(0, after)
    for st in dict.fromkeys(starts):
        names = _subject(doc, st, p.end)
        if names:
            return names
    held = held or _Held(out.assignments)
    holding = held.latest_holding(c.start)
    if holding:
        return holding
    # an item of a list that a paragraph hands out: "UBND tỉnh yêu cầu các cơ quan, đơn vị,
    # địa phương thực hiện tốt một số nội dung sau:" then "1. ...", "2. ..."
    lead = _list_lead(body, c.start)
    if lead is not None:
        return held.starting_in(lead.start, lead.end + 1)
    return []


class _Held:
    """The document's assignments by span start, for _owners: the agencies of the assignments
    holding an offset that start last, and of those starting in a range, each in list order.
    The largest span end per block of BLOCK lets the first lookup skip whole blocks; a scan of
    every assignment per deadline was quadratic in long documents."""
    BLOCK = 32

    def __init__(self, assignments: list) -> None:
        self.assignments = assignments
        self.order = sorted(range(len(assignments)), key=lambda i: assignments[i].span[0])
        self.starts = [assignments[i].span[0] for i in self.order]
        self.ends = [assignments[i].span[1] for i in self.order]
        self.block_end = [max(self.ends[b:b + self.BLOCK]) for b in range(0, len(self.ends), self.BLOCK)]

    def _agencies(self, ks) -> list[str]:
        return list(dict.fromkeys(self.assignments[i].agency for i in sorted(self.order[k] for k in ks)))

    def latest_holding(self, offset: int) -> list[str]:
        top = bisect.bisect_right(self.starts, offset)  # those starting at or before offset
        k = top - 1
        while k >= 0:
            if self.block_end[k // self.BLOCK] <= offset:
                k = k // self.BLOCK * self.BLOCK - 1  # nothing up to k in this block holds it
            elif self.ends[k] > offset:
                break
            else:
                k -= 1
        if k < 0:
            return []
        lo = bisect.bisect_left(self.starts, self.starts[k])
        return self._agencies(i for i in range(lo, top) if self.ends[i] > offset)

    def starting_in(self, start: int, end: int) -> list[str]:
        return self._agencies(range(bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)))


def _list_lead(body: Body, offset: int) -> Para | None:
    item = body.item_of(offset)
    while item is not None:
        first = item.first_sibling if item.first_sibling is not None else item.index
        if first > 0:
            lead = body.paras[first - 1]
            if not lead.heading and lead.index not in body.closing:
                return lead
        item = body.paras[item.parent] if item.parent is not None else None
    return None


def _recipient(doc: DocText, start: int, end: int) -> str | None:
    t = doc.match
    for m in finditer_hinted(_TO_RE, _START_TO, lowered(t), t, start, end):
        run = read_agencies(t, doc.text, m.end(), end)
        if not run:
            continue
        name = doc.text[run.names[0][1]:run.names[-1][2]]
        qua = _QUA_RE.search(t, start, end, KEEP_GIL) if t.find("(", start, end) >= 0 else None
        if qua and not (run.start <= qua.start() < run.end):
            name = f"{name} {doc.text[qua.start():qua.end()]}"
        return " ".join(name.split())
    return None


def _to(doc: DocText, body: Body, c: _Cand) -> str | None:
    t, p = doc.match, c.para
    ss = _spans(t, c)[0]
    se_m = _SENTENCE_END_AHEAD.search(t, c.end, p.end, KEEP_GIL)  # ($ holds at p.end as at a slice's end)
    se = se_m.start() if se_m else p.end
    found = _recipient(doc, ss, se)
    if found:
        return found
    # earlier sentences of the paragraph, nearest first
    bounds = sorted({p.body, ss, *(m.end() for m in _SENTENCE_END.finditer(t, p.body, ss, False, KEEP_GIL))})
    for a, b in reversed(list(zip(bounds, bounds[1:]))):
        found = _recipient(doc, a, b)
        if found:
            return found
    # the paragraph that leads into a list ("... báo cáo UBND tỉnh theo thời gian như sau:")
    if p.index > 0 and not p.heading:
        k = p.index - 1
        while k > 0 and body.paras[k].kind == "bullet":
            k -= 1
        lead = body.paras[k]
        if t[lead.start:lead.end].rstrip().endswith(":"):
            return _recipient(doc, lead.body, lead.end)
    return None


# The key of a deadline's owners (pure): the same few agencies owe most deadlines of a document.
_owners_key = functools.lru_cache(maxsize=4096)(agencies_key)


def _dated_report(doc: DocText, body: Body, cands: list[_Cand]) -> bool:
    """Whether the document prints a dated report deadline (what is due, or the phrase itself,
    says "báo cáo"): then a bare "định kỳ báo cáo" is left out."""
    return any(c.date and c.kind != "recurring" and _BAO_CAO.search(
        fold_search((_what(doc, body, c) or "") + " " + doc.match[c.start:c.end]), None, None, KEEP_GIL) for c in cands)


def find_deadlines(doc: DocText, out: Document, body: Body | None = None) -> list[Deadline]:
    body = body or scan(doc, out.doc_type)
    cands = _find(doc, body, out)
    dated_report: bool | None = None  # (worked out when a bare "định kỳ báo cáo" asks: most documents have none)
    result: list[Deadline] = []
    prev: tuple[_Cand, str | None] | None = None
    held = _Held(out.assignments) if cands else None
    index = section_index(out.sections) if out.sections else None  # (looked up once, as section_of does)
    for c in cands:
        if c.kind == "recurring" and c.recurring == "periodic":
            if dated_report is None:
                dated_report = _dated_report(doc, body, cands)
            if dated_report:
                continue  # "định kỳ báo cáo": the dated report deadlines say when
        raw = " ".join(doc.text[c.start:c.end].split())
        owners = _owners(doc, out, body, c, held)
        precision = c.precision if c.date else None  # a precision of no date means nothing
        what = _what(doc, body, c, prev)
        prev = (c, what)
        result.append(Deadline(
            date=c.date, precision=precision, raw=raw, what=what,
            agency="; ".join(owners) or None, to=_to(doc, body, c), recurring=c.recurring,
            section=index.at(c.start) if index is not None else section_of(out, body, c.start),
            span=(c.start, c.end), relative=c.relative,
            agency_key=_owners_key(tuple(owners), out.place) if owners else None))
    return result


def run(doc: DocText, out: Document) -> None:
    if out.kind == "news" or (out.doc_type or "").upper() == "TIN BÀI":
        return
    out.deadlines = find_deadlines(doc, out)
