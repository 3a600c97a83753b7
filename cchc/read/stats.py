"""Reader of the monthly TTHC statistics workbook.

Three layouts are accepted without asking the user which one a file uses:

* the project's own template: one header row (fields.TEMPLATE_HEADERS), one row per unit and month;
* the Biểu 06 report of Thông tư 01/2020/TT-VPCP (domain.md §2): a title block, a header merged over two or three
  rows, a "(1) (2) …" numbering row, group rows ("I. Cấp huyện"), a "Tổng cộng" row, one sheet per month or a
  period column;
* any flat table whose headers use the vocabulary below, typed with or without diacritics, in any case.

Headers are found by their labels, never by position. A multi-row header gives each column a path
(group › sub-group › label); a column's field is decided by its own label and, where the label alone is ambiguous
("Tổng số", "Quá hạn"), by the group it sits under.

The data rows are converted column by column with numpy/pandas, so a 100.000-row template reads in a fraction of
the time python-calamine needs to open it; messages are produced only for the offending rows, capped per kind.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..fields import (
    FIELD_LABELS,
    PART_RULES,
    REQUIRED_FIELDS,
    STATS_FIELDS,
    TEMPLATE_MONTH,
    TEMPLATE_UNIT,
    TEMPLATE_YEAR,
)
from ..findings import Findings
from ..registry import Registry, load_registry
from .grid import Sheet, Workbook, load_workbook
from .table import (
    GROUP_STT,
    NAMED_GROUP,
    NUMBERED_GROUP,
    Header,
    apply_mapping,
    find_header,
    header_signature,
    is_end_text,
    is_total_label,
    load_vocabulary,
    warn_unmapped,
)
from .text import NumberError, clean, column_letter, fold, parse_count, without_download_stamps

__all__ = ["StatsResult", "read_stats", "read_stats_workbook", "detect_stats_table", "RECORD_COLUMNS"]

# month..end_month: one month (end_month = month) or a span of whole months of one year stored as one record
# ("Quý I/2019": 1..3, period "2019-01..2019-03"), never as one of its months
RECORD_COLUMNS: tuple[str, ...] = ("unit", "level", "year", "month", "end_month", "period", "sheet", "row",
                                   *STATS_FIELDS)

MESSAGE_CAP = 50  # messages of one kind before the rest are summed up in one line



@dataclass
class StatsResult:
    records: pd.DataFrame  # one row per unit-month, columns RECORD_COLUMNS
    findings: Findings  # errors mean the file is refused
    layout: str  # "template" | "bieu06" | "flat"
    present_fields: list[str]  # canonical fields that had a column in the file, or were derived from its columns
    # the columns read: [{"sheet", "column" (letter), "header" (its label path as typed), "field"}], once per layout
    mapping: list[dict] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)  # fields computed from their parts (no column of their own)
    period_missing: list[str] = field(default_factory=list)  # sheets refused only because they state no period
    # the first table's layout, for the user to map its columns: its signature and every labelled column
    # [{"sheet", "column", "header", "field" ("" = not read)}]
    signature: str = ""
    columns: list[dict] = field(default_factory=list)
    mapping_used: str = ""  # the name of the saved mapping applied, if any


# ---------------------------------------------------------------------------------------------------------------
# Header vocabulary (vocabularies/stats.toml) and the header block (table.py)
# ---------------------------------------------------------------------------------------------------------------

UNIT, STT, MONTH, YEAR = "unit", "stt", "month", "year"
_LATE_UNSURE = "late?"  # a bare "Quá hạn" outside any group: resolved late unless it follows the pending columns
_PENDING_FIELDS = {"pending_total", "pending_in_time", "pending_overdue"}

VOCABULARY = load_vocabulary("stats", template_labels=FIELD_LABELS)
_UNIT_HEADER = next(e.match[0] for e in VOCABULARY.entries if e.field == UNIT)

# What the user is told is missing: (the sub-column, its group), as Biểu 06 prints them.
_COLUMN_NAMES: dict[str, tuple[str, str]] = {
    "received_total": ("Tổng số", "Số hồ sơ nhận giải quyết"),
    "resolved_total": ("Tổng số", "Số hồ sơ đã giải quyết"),
    "resolved_on_time": ("Đúng hạn", "Số hồ sơ đã giải quyết"),
    "resolved_late": ("Quá hạn", "Số hồ sơ đã giải quyết"),
}

_norm = VOCABULARY.normalise
_classify = VOCABULARY.classify


_RECEIVED_UNSURE = "received_total?"  # a bare "Tiếp nhận": the total, unless a total column is there
_ON_TIME_WITH_EARLY = "resolved_on_time+early"  # "Đúng và trước hạn": on time with the early ones in it
# Counts read from their own columns only to derive fields from (never stored themselves).
_PART_ROLES = ("received_new", "resolved_late_apology", "resolved_late_no_apology", "pending_overdue_apology",
               "pending_overdue_no_apology")
# A field missing from the file but whose parts are all there is derived from them (the first rule that applies),
# and said so: domain.md §2's identities. Rules run in order, so a derived field can be a part of a later one.
_DERIVATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("received_online", ("received_online_full", "received_online_partial")),
    ("received_online", ("received_online_l3", "received_online_l4")),
    ("received_new", ("received_online", "received_direct")),
    ("received_total", ("received_new", "received_carried")),
    ("resolved_late", ("resolved_late_apology", "resolved_late_no_apology")),
    ("pending_overdue", ("pending_overdue_apology", "pending_overdue_no_apology")),
    ("resolved_total", ("resolved_early", "resolved_on_time", "resolved_late")),
    ("pending_total", ("pending_in_time", "pending_overdue")),
    ("late_apologies", ("resolved_late_apology", "pending_overdue_apology")),
    ("late_apologies", ("resolved_late_apology",)),
    ("late_apologies", ("pending_overdue_apology",)),
)


def _resolve_late(column_roles: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Roles that depend on the other columns.

    - A flat "Quá hạn" right after the pending columns is pending overdue; anywhere else, resolved late.
    - A bare "Tiếp nhận" is the received total, or the new dossiers when a total column is there.
    - "Đúng và trước hạn" is the on-time count with the early ones in it (resolved early then counts as 0 apart)
      when the file has no separate on-time column; beside separate early and on-time columns it is their sum,
      recognised and not read.
    """
    present = {role for _, role in column_roles}
    out: list[tuple[int, str]] = []
    taken: set[str] = set()
    last_field = None
    for c, role in column_roles:
        if role == _LATE_UNSURE:
            role = "pending_overdue" if last_field in _PENDING_FIELDS and "pending_overdue" not in taken \
                else "resolved_late"
        elif role == _RECEIVED_UNSURE:
            role = "received_new" if "received_total" in present else "received_total"
        elif role == _ON_TIME_WITH_EARLY:
            if "resolved_on_time" in present:
                continue
            role = "resolved_on_time"
        out.append((c, role))
        if role not in taken:
            taken.add(role)
            if role in FIELD_LABELS:
                last_field = role
    return out


_EARLY_INCLUDED = re.compile(r"\b(?:truoc|som)\b|\btrong (?:thoi )?han\b")


def _derivations(header: Header) -> list[tuple[str, tuple[str, ...]]]:
    """The fields this header derives (field, parts), in the order they are computed."""
    have = set(header.roles)
    out = []
    rules = list(_DERIVATIONS)
    if "resolved_early" not in have and "resolved_on_time" in have and \
            _EARLY_INCLUDED.search(" ".join(header.paths.get(header.roles["resolved_on_time"], ()))):
        # "Đúng và trước hạn" has the early ones in it: resolved = on time (with early) + late
        rules.insert(rules.index(("resolved_total", ("resolved_early", "resolved_on_time", "resolved_late"))),
                     ("resolved_total", ("resolved_on_time", "resolved_late")))
    for target, parts in rules:
        if target not in have and all(p in have for p in parts):
            out.append((target, parts))
            have.add(target)
    return out


def _fields(header: Header) -> list[str]:
    return [f for f in STATS_FIELDS if f in header.roles]


_TEMPLATE_LABELS = {UNIT: TEMPLATE_UNIT, MONTH: TEMPLATE_MONTH, YEAR: TEMPLATE_YEAR, **FIELD_LABELS}


def _exact_template(header: Header) -> bool:
    """The project's own template: one header row with exactly its labels."""
    return header.depth == 1 and all(r in header.roles for r in (UNIT, MONTH, YEAR)) and all(
        fold(header.labels[c]) == fold(_TEMPLATE_LABELS[r]) for r, c in header.roles.items() if r in _TEMPLATE_LABELS)


def _find_header(sheet: Sheet) -> Header | None:
    """The best-scoring statistics header in a sheet (one to four rows deep)."""
    return find_header(sheet, VOCABULARY, resolve=_resolve_late)


# ---------------------------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------------------------

_YEAR_RE = r"((?:19|20)\d{2})"


@dataclass
class _Period:
    year: int | None = None
    month: int | None = None
    multi: bool = False  # the text names a quarter, a year or a range of months
    cell: tuple[int, str] | None = None  # (Excel row, column letter) of the title cell it was read from
    span: tuple[int, int] | None = None  # (first month, last month) of a multi-month period, when stated exactly


_MULTI = re.compile(r"\bquy\b|\b(?:3|6|9|sau|chin|ba) thang\b|\bca nam\b|\bluy ke\b|\btong hop\b")


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_COUNT_WORDS = {"ba": 3, "sau": 6, "chin": 9}
_QUARTER = re.compile(r"\b(?:quy|q)\s*\.?\s*(iv|iii|ii|i|[1-4])(?![a-z0-9])")
_MONTHS_OF_YEAR = re.compile(r"(?<!\d)(3|6|9|ba|sau|chin)\s*thang\s*(dau|cuoi)?(?:\s*nam)?\b")
_CUMULATIVE = re.compile(r"\bluy ke\b(?:\s*(?:tu\s*)?(?:dau nam\s*)?)?(?:\s*(?:den|toi)\s*(?:het\s*)?)?"
                         r"(?:\s*(?:thang|t)\s*(\d{1,2})(?!\d))?")
_MONTH_RANGE = re.compile(r"(?:\btu\s*)?\b(?:thang|t)\s*(\d{1,2})\s*(?:-|–|~|den|toi)\s*(?:(?:het\s*)?(?:thang|t)\s*)?"
                          r"(\d{1,2})(?![\d])(?!\s*[/.-]\s*\d{1,2}\s*[/.-])")
_MONTH_LIST = re.compile(r"\b(?:thang|t)\s*(\d{1,2})((?:\s*[,;&]\s*\d{1,2})+)(?!\d)")
_WHOLE_YEAR = re.compile(r"\bca nam\b|^\s*nam\s*(?:19|20)\d{2}\s*$")


def _span_in(folded: str, whole_year_label: bool = True) -> tuple[int, int] | None | bool:
    """The months (first, last) of a multi-month period a text names: "Quý I/2019", "Q1-2019", "6 tháng đầu năm",
    "Lũy kế đến tháng 6", "Tháng 1-3/2019", "Từ tháng 1 đến tháng 3", "Tháng 1, 2, 3", "Cả năm"; True for a
    multi-month period whose months it does not say ("Lũy kế"); None when it names no such period."""
    if m := _QUARTER.search(folded):
        q = _ROMAN.get(m[1]) or int(m[1])
        return 3 * q - 2, 3 * q
    if m := _MONTHS_OF_YEAR.search(folded):
        n = _COUNT_WORDS.get(m[1]) or int(m[1])
        return (13 - n, 12) if m[2] == "cuoi" else (1, n)
    if m := _CUMULATIVE.search(folded):
        return (1, int(m[1])) if m[1] and 1 <= int(m[1]) <= 12 else True
    if m := _MONTH_RANGE.search(folded):
        first, last = int(m[1]), int(m[2])
        return (first, last) if 1 <= first < last <= 12 else True
    if m := _MONTH_LIST.search(folded):
        months = [int(m[1])] + [int(x) for x in re.findall(r"\d{1,2}", m[2])]
        return (months[0], months[-1]) if months == list(range(months[0], months[-1] + 1)) and \
            1 <= months[0] and months[-1] <= 12 else True
    if _WHOLE_YEAR.search(folded) and (whole_year_label or "ca nam" in folded):
        return 1, 12  # "Năm 2019" alone names the year only as a sheet name or period cell, not as a title line
    return None


def _span_text(span: tuple[int, int], year: int | None) -> str:
    return f"tháng {span[0]:02d}–{span[1]:02d}" + (f"/{year}" if year else "")


class _SpanCell(ValueError):
    """A period cell that names several months."""

    def __init__(self, span: tuple[int, int] | None, year: int | None):
        super().__init__()
        self.span, self.year = span, year


def _period_from_label(text: str) -> _Period:
    """A sheet name, file name or period cell: "T01-2019", "Tháng 1", "01.2019", "2019-01", "Thang 12 nam 2019".
    A multi-month period ("Quý I/2019", "Tháng 1-3/2019") is never one of its months: multi, with its span."""
    t = fold(text).replace("_", " ")
    t = re.sub(r"\b(?:bieu|mau|bm)\s*(?:so\s*)?\d+[a-z]?\b", " ", t)  # the form's number: "Biểu 06a"
    if m := _RANGE.search(t):  # "Từ ngày 01/01/2019 đến ngày 31/03/2019" in a period cell
        first, last = (int(m[2]), int(m[3])), (int(m[5]), int(m[6]))
        if first == last:
            return _Period(first[1], first[0])
        whole = first[1] == last[1] and first[0] < last[0] and int(m[1]) == 1 and \
            int(m[4]) == calendar.monthrange(last[1], last[0])[1]
        return _Period(first[1], None, True, span=(first[0], last[0]) if whole else None)
    span = _span_in(t)
    if span is not None:
        return _Period(_year_in(t), None, True, span=span if span is not True else None)
    multi = bool(_MULTI.search(t))
    m = re.search(r"thang\s*(\d{1,2})(?!\d)(?:\s*(?:nam|[-./ ])\s*" + _YEAR_RE + r"(?!\d))?", t)
    if m:
        return _Period(int(m[2]) if m[2] else _year_in(t), int(m[1]))
    m = re.search(r"(?<!\d)(\d{1,2})\s*[-./ ]\s*" + _YEAR_RE + r"(?!\d)", t)
    if m:
        return _Period(int(m[2]), int(m[1]))
    m = re.search(r"(?<!\d)" + _YEAR_RE + r"\s*[-./]\s*(\d{1,2})(?!\d)", t)
    if m:
        return _Period(int(m[1]), int(m[2]))
    m = re.fullmatch(r"(?:t|th)\s*\.?\s*(\d{1,2})|(\d{1,2})", t.strip())
    if m:
        return _Period(None, int(m[1] or m[2]))
    return _Period(_year_in(t), None, multi)


def _year_in(folded: str) -> int | None:
    m = re.search(r"(?<!\d)" + _YEAR_RE + r"(?!\d)", folded)
    return int(m[1]) if m else None


_DATE_WORDS = r"(\d{1,2})\s*(?:[/.-]|\s*thang\s*)\s*(\d{1,2})\s*(?:[/.-]|\s*nam\s*)\s*" + _YEAR_RE
_RANGE = re.compile(r"tu ngay\s*" + _DATE_WORDS + r"\s*den ngay\s*" + _DATE_WORDS)
_ISSUE_DATE = re.compile(r"ngay\s*\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}")
_LEGAL_LINE = re.compile(r"thong tu|nghi dinh|quyet dinh|ban hanh|kem theo")


def _period_from_title(lines: list[tuple[int, str, str]]) -> _Period:
    """The report period of a title block: "Kỳ báo cáo: Tháng 01 năm 2019 (Từ ngày 01/01/2019 đến ngày 31/01/2019)".

    lines: (Excel row, column letter, text). Lines with "Kỳ báo cáo" are read first; lines citing a legal text
    ("ban hành kèm theo Thông tư … ngày 21 tháng 10 năm 2020") and signature dates are ignored.
    """
    folded = [(row, col, fold(text)) for row, col, text in lines if text]
    ordered = [x for x in folded if "ky bao cao" in x[2]] + [x for x in folded if "ky bao cao" not in x[2]]
    found = _Period()
    for row, col, t in ordered:
        if _LEGAL_LINE.search(t):
            continue
        m = _RANGE.search(t)
        if m:
            first, last = (int(m[2]), int(m[3])), (int(m[5]), int(m[6]))
            if first == last:
                return _Period(first[1], first[0], cell=(row, col))
            if first[1] == last[1] and first[0] < last[0] and int(m[1]) == 1 and \
                    int(m[4]) == calendar.monthrange(last[1], last[0])[1]:  # whole months: 01/01 … 31/03
                return _Period(first[1], None, True, cell=(row, col), span=(first[0], last[0]))
            found.multi = True
            found.year = found.year or first[1]
            t = _RANGE.sub(" ", t)
        t = _ISSUE_DATE.sub(" ", t)
        span = _span_in(t, whole_year_label=False)
        if span is not None:
            year = _year_in(t) or found.year
            return _Period(year, None, True, cell=(row, col), span=span if span is not True else None)
        m = re.search(r"thang\s*(\d{1,2})(?!\d)\s*(?:(?:nam|[/.-])\s*" + _YEAR_RE + r"(?!\d))?", t)
        if m:
            year = int(m[2]) if m[2] else None
            if year is None:
                y = re.search(r"\bnam\s*" + _YEAR_RE, t)
                year = int(y[1]) if y else found.year
            return _Period(year, int(m[1]), cell=(row, col))
        y = re.search(r"\bnam\s*" + _YEAR_RE, t)
        if y and found.year is None:
            found.year = int(y[1])
            found.cell = (row, col)
        if _MULTI.search(t) or y and "ky bao cao" in t:
            found.multi = True
            found.cell = found.cell or (row, col)
    return found


def _month_cell(value) -> tuple[int | None, int | None]:
    """(month, year or None) of a period cell; raises ValueError for text that names no month."""
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.month, value.year
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float, np.integer, np.floating)):
        if value != value:  # NaN
            return None, None
        if float(value).is_integer():
            return int(value), None
        raise ValueError
    text = clean(value)
    if not text:
        return None, None
    if re.fullmatch(r"\d{1,2}", text):
        return int(text), None
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)  # a date typed as text: dd/mm/yyyy
    if m:
        return int(m[2]), int(m[3])
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
    if m:
        return int(m[2]), int(m[1])
    period = _period_from_label(text)
    if period.multi and period.month is None:
        raise _SpanCell(period.span, period.year)
    if period.month is None:
        raise ValueError
    return period.month, period.year


def _year_cell(value) -> int | None:
    """The year of a year cell (2019, "2019", "Năm 2019", a date); raises ValueError otherwise."""
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.year
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float, np.integer, np.floating)):
        if value != value:
            return None
        if float(value).is_integer():
            return int(value)
        raise ValueError
    text = fold(value)
    if not text:
        return None
    m = re.fullmatch(r"(?:nam\s*)?(\d{4})", text)
    if m:
        return int(m[1])
    raise ValueError


# ---------------------------------------------------------------------------------------------------------------
# Row kinds
# ---------------------------------------------------------------------------------------------------------------

BLANK, UNIT_ROW, GROUP_ROW, TOTAL_ROW, END_ROW, SKIP_ROW = range(6)



_BRACKETED_NUMBER = re.compile(r"\(\s*\w{1,3}\s*\)")
_LEADING_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\s*[.)/-]?\s+|[-+*•]\s*)(?=\S)")


@dataclass
class _UnitInfo:
    kind: int
    name: str = ""  # canonical (registry) or cleaned typed name
    level: str = ""
    known: bool = False
    key: str = ""


class _UnitClassifier:
    """Classifies unit-cell texts (each distinct text once) against the registry."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.levels = list(dict.fromkeys(a.level for a in registry.agencies if a.level))

    def level_of_group(self, label: str) -> str:
        agency = self.registry.lookup(label)
        if agency is not None and agency.level:
            return agency.level
        text = _LEADING_NUMBER.sub("", fold(label))
        text = re.sub(r"^(?:[ivxl]+|[a-h])\s*[.):/-]\s*", "", text)
        best, where = "", len(text) + 1
        for level in self.levels:
            m = re.search(r"\b" + re.escape(fold(level)) + r"\b", text)
            if m and m.start() < where:
                best, where = level, m.start()
        return best

    def classify(self, value) -> _UnitInfo:
        if isinstance(value, (dt.date, dt.datetime)):
            return _UnitInfo(SKIP_ROW)
        text = clean(value)
        if not text:
            return _UnitInfo(BLANK)
        folded = fold(text)
        if is_end_text(folded):
            return _UnitInfo(END_ROW)
        if _BRACKETED_NUMBER.fullmatch(text):  # a stray "(2)" from a numbering row
            return _UnitInfo(SKIP_ROW)
        if is_total_label(folded):
            return _UnitInfo(TOTAL_ROW, text)
        if NUMBERED_GROUP.fullmatch(folded):
            return _UnitInfo(GROUP_ROW, text, self.level_of_group(text))
        if _UNIT_HEADER.fullmatch(folded):  # the header repeated further down
            return _UnitInfo(SKIP_ROW)
        name = _LEADING_NUMBER.sub("", text).strip()
        stripped = fold(name)
        if NAMED_GROUP.fullmatch(stripped):
            return _UnitInfo(GROUP_ROW, text, self.level_of_group(name))
        agency = self.registry.lookup(name)
        if agency is not None and agency.is_group:
            return _UnitInfo(GROUP_ROW, text, agency.level)
        if agency is not None:
            return _UnitInfo(UNIT_ROW, agency.name, agency.level, True, fold(agency.name))
        return _UnitInfo(UNIT_ROW, name, "", False, stripped)


# ---------------------------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------------------------

_KIND_TEXT = {
    "number": "ô không phải là số",
    "negative": "số âm",
    "parts": "dòng có số thành phần lớn hơn tổng",
    "month": "tháng không hợp lệ",
    "year": "năm không hợp lệ",
    "duplicate": "đơn vị trùng tháng",
    "overlap": "số liệu nhiều tháng chồng lên tháng khác",
    "identity": "dòng có số liệu không khớp",
    "carried": "dòng có số “Từ kỳ trước” không khớp tháng trước",
    "crosscheck": "dòng nhóm/tổng không khớp",
    "nounit": "dòng có số liệu nhưng không có tên đơn vị",
    "unknown": "đơn vị không có trong danh mục",
}


class _Messages:
    """Findings with a cap per kind: the first MESSAGE_CAP messages, then one summary line."""

    def __init__(self, findings: Findings, cap: int = MESSAGE_CAP):
        self.findings = findings
        self.cap = cap
        self.counts: Counter = Counter()

    def room(self, kind: str, severity: str) -> int:
        return max(0, self.cap - self.counts[(kind, severity)])

    def add(self, kind: str, severity: str, message: str, sheet=None, row=None, column=None) -> None:
        self.counts[(kind, severity)] += 1
        if self.counts[(kind, severity)] <= self.cap:
            (self.findings.error if severity == "error" else self.findings.warn)(message, sheet, row, column)

    def skipped(self, kind: str, severity: str, n: int) -> None:
        self.counts[(kind, severity)] += n

    def finish(self) -> None:
        for (kind, severity), n in self.counts.items():
            if n > self.cap:
                message = (f"… và {_n(n - self.cap)} trường hợp khác cùng loại ({_KIND_TEXT.get(kind, kind)}); "
                           f"chỉ liệt kê {self.cap} trường hợp đầu.")
                (self.findings.error if severity == "error" else self.findings.warn)(message)


def _n(value) -> str:
    """A count the Vietnamese way: 1.234."""
    return f"{int(value):,}".replace(",", ".")


def _sum_text(names: list[str], values: list) -> str:
    if len(names) == 1:
        return f"{FIELD_LABELS[names[0]]} = {_n(values[0])}"
    return (" + ".join(FIELD_LABELS[f] for f in names) + " = " + " + ".join(_n(v) for v in values)
            + f" = {_n(sum(values))}")


def _period_text(month: int, year: int) -> str:
    return f"{month:02d}/{year}"


# ---------------------------------------------------------------------------------------------------------------
# Reading values
# ---------------------------------------------------------------------------------------------------------------

def _columns(rows: list[list], cols: list[int]) -> dict[int, np.ndarray]:
    """The given columns of a block of grid rows as object arrays, built with one numpy conversion."""
    if not rows:
        return {c: np.empty(0, dtype=object) for c in cols}
    width = max(cols) + 1
    lengths = set(map(len, rows))
    if lengths != {width}:
        rows = [r[:width] if len(r) >= width else [*r, *([""] * (width - len(r)))] for r in rows]
    grid = np.empty((len(rows), width), dtype=object)
    grid[:] = rows
    return {c: grid[:, c] for c in cols}


def _blank_mask(values: np.ndarray) -> np.ndarray:
    if not len(values):
        return np.zeros(0, dtype=bool)
    return pd.isna(values) | (values == "")


_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "empty", "decimal"}

# Hardening (found by tests/test_fuzz.py): a cell holding inf or a float past int64 (1e300) passed the whole-number
# test and was cast to garbage (inf → -9223372036854775808, then "Số hồ sơ không được âm (-9223372036854775808)").
# Counts above 2**53 (where floats stop being exact, and int64 sums could overflow) are not counts of dossiers.
_MAX_COUNT = 2 ** 53


_DECIMAL = {sep: re.compile(r"-?\d+" + re.escape(sep) + r"(?:\d{1,2}|\d{4,})") for sep in ".,"}
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def _to_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts of one column: (int64 values, indexes of the cells that are not whole numbers).

    Numeric columns are converted in bulk; text cells are parsed once per distinct text with text.parse_count.
    """
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.intp)
    filled = values
    kind = pd.api.types.infer_dtype(filled, skipna=True)
    if kind not in _NUMERIC_KINDS:  # empty cells come as "": retry without them
        filled = values.copy()
        filled[_blank_mask(values)] = np.nan
        kind = pd.api.types.infer_dtype(filled, skipna=True)
    if kind in _NUMERIC_KINDS:
        floats = filled.astype(float)
        floats[np.isnan(floats)] = 0.0
        bad = np.flatnonzero((floats != np.floor(floats)) | ~(np.abs(floats) <= _MAX_COUNT))
        floats[bad] = 0.0
        return floats.astype(np.int64), bad
    codes, uniques = pd.factorize(filled, use_na_sentinel=True)
    parsed = np.zeros(len(uniques) + 1, dtype=np.int64)  # the last slot serves code -1 (blank)
    invalid = np.zeros(len(uniques) + 1, dtype=bool)
    # "1,500" is 1.500 dossiers only when the column never writes "," as a decimal mark ("12,5"): else it could
    # be 1,5 typed in the wrong column, and is refused rather than guessed
    texts = [clean(v) for v in uniques if isinstance(v, str)]
    decimal_marks = {sep for sep in ".," if any(_DECIMAL[sep].fullmatch(t) for t in texts)}
    for i, value in enumerate(uniques):
        try:
            if isinstance(value, (bool, np.bool_)):
                raise NumberError(str(value))
            if isinstance(value, str) and any(sep in value for sep in decimal_marks) and \
                    _GROUPED.fullmatch(clean(value)):
                raise NumberError(value)
            count = parse_count(value)
            if abs(count) > _MAX_COUNT:
                raise OverflowError(count)
            parsed[i] = count
        except (NumberError, OverflowError, ValueError):
            invalid[i] = True
    return parsed[codes], np.flatnonzero(invalid[codes])


# ---------------------------------------------------------------------------------------------------------------
# One sheet
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class _SheetData:
    sheet: str
    header: Header
    frame: pd.DataFrame  # unit rows: RECORD_COLUMNS + "_key", "_known"
    grouped: bool  # group or total rows were seen


def _row_text(row: list) -> list[str]:
    return [fold(v) for v in row if isinstance(v, str) and v.strip()]


def _read_sheet(sheet: Sheet, header: Header, period: _Period, units: _UnitClassifier,
                out: _Messages) -> _SheetData | None:
    name = sheet.name
    roles = header.roles
    start = header.data_start
    rows = sheet.rows[start:]
    n = len(rows)
    excel_row = np.arange(start + 1, start + 1 + n)  # Excel's 1-based row numbers
    fields = _fields(header) + [r for r in _PART_ROLES if r in roles]
    derived = _derivations(header)

    columns = _columns(rows, sorted(set(roles.values())))
    field_raw = {f: columns[roles[f]] for f in fields}

    # Row kinds from the unit cells, each distinct text classified once.
    codes, uniques = pd.factorize(columns[roles[UNIT]], use_na_sentinel=True)
    codes = np.where(codes < 0, len(uniques), codes)  # missing values point at the blank entry below
    infos = [units.classify(u) for u in uniques] + [_UnitInfo(BLANK)]
    kind = np.array([i.kind for i in infos], dtype=np.int8)[codes]
    if STT in roles:
        s_codes, s_uniques = pd.factorize(columns[roles[STT]], use_na_sentinel=True)
        roman = np.array([isinstance(u, str) and bool(GROUP_STT.fullmatch(u.strip())) for u in s_uniques]
                         + [False])[s_codes]
        kind[roman & np.isin(kind, (UNIT_ROW, BLANK))] = GROUP_ROW

    # Rows without a unit name: blank, the end of the table (signatures, a date line), a total or group label
    # written in another column ("TỔNG CỘNG" merged over STT and name), or figures without a name.
    first_field = min((roles[f] for f in fields), default=0)
    for i in np.flatnonzero(kind == BLANK):
        texts = _row_text(rows[i])
        if any(is_end_text(t) for t in texts):
            kind[i] = END_ROW
            continue
        label = next((v for v in rows[i][:first_field] if isinstance(v, str) and v.strip()), None)
        info = units.classify(label) if label else None
        if info is not None and info.kind in (TOTAL_ROW, GROUP_ROW):
            kind[i] = info.kind
            infos.append(info)
            codes[i] = len(infos) - 1
        elif any(isinstance(field_raw[f][i], (int, float)) and not isinstance(field_raw[f][i], bool)
                 for f in fields):
            out.add("nounit", "warn", "Dòng có số liệu nhưng ô tên đơn vị để trống; dòng này bị bỏ qua.",
                    name, int(excel_row[i]), header.label(UNIT))
    ends = np.flatnonzero(kind == END_ROW)
    if len(ends):  # everything below the notes and signatures is ignored
        stop = int(ends[0])
        kind, codes, excel_row = kind[:stop], codes[:stop], excel_row[:stop]
        columns = {c: v[:stop] for c, v in columns.items()}
        field_raw = {f: columns[roles[f]] for f in fields}

    unit_idx = np.flatnonzero(kind == UNIT_ROW)
    grouped = bool(np.any((kind == GROUP_ROW) | (kind == TOTAL_ROW)))

    unit_codes = codes[unit_idx]
    names = np.array([i.name for i in infos], dtype=object)[unit_codes]
    keys = np.array([i.key for i in infos], dtype=object)[unit_codes]
    known = np.array([i.known for i in infos], dtype=bool)[unit_codes]
    levels = np.array([i.level for i in infos], dtype=object)[unit_codes]
    # An unknown unit takes the level of the group it sits under ("I. Cấp huyện" → "huyện").
    group_positions = np.flatnonzero(kind == GROUP_ROW)
    if len(group_positions) and len(unit_idx):
        group_levels = np.array([infos[codes[g]].level for g in group_positions] + [""], dtype=object)
        last_group = np.searchsorted(group_positions, unit_idx, side="right") - 1  # -1 picks the "" slot
        levels = np.where(known, levels, group_levels[last_group])

    # Figures.
    data = {}
    for f in fields:
        counts, bad = _to_counts(field_raw[f][unit_idx])
        data[f] = counts
        col = header.label(f)
        room = out.room("number", "error")
        for j in bad[:room]:
            out.add("number", "error",
                    f"Giá trị “{clean(field_raw[f][unit_idx[j]])}” không phải là số hồ sơ "
                    "(phải là số nguyên, ô trống hoặc “-”).", name, int(excel_row[unit_idx[j]]), col)
        out.skipped("number", "error", max(0, len(bad) - room))
        negative = np.flatnonzero(counts < 0)
        room = out.room("negative", "error")
        for j in negative[:room]:
            out.add("negative", "error", f"Số hồ sơ không được âm ({counts[j]}).",
                    name, int(excel_row[unit_idx[j]]), col)
        out.skipped("negative", "error", max(0, len(negative) - room))

    for target, parts in derived:  # a missing total from its parts, all of which the file states
        data[target] = sum(data[p] for p in parts)

    # Periods.
    years, months, end_months, ok_period = _row_periods(columns, unit_idx, excel_row, header, period, name, out)

    frame = pd.DataFrame({
        "unit": names,
        "level": levels,
        "year": years,
        "month": months,
        "end_month": end_months,
        "sheet": name,
        "row": excel_row[unit_idx].astype(np.int64),
        "_key": pd.Series(keys, dtype=object),
        "_known": known,
        "_ok": ok_period,
    })
    for f in STATS_FIELDS:
        frame[f] = data.get(f, np.zeros(len(unit_idx), dtype=np.int64))

    _check_rows(frame, header, name, out, set(_fields(header)) | {t for t, _ in derived if t in STATS_FIELDS})
    if grouped:
        _cross_check(kind, codes, infos, field_raw, data, unit_idx, excel_row, header, name, out)
    return _SheetData(name, header, frame, grouped)


def _row_periods(columns, unit_idx, excel_row, header: Header, period: _Period, name: str, out: _Messages):
    """(year, month, valid) arrays for the unit rows: from the period columns, else the sheet's period.

    The year comes from the month cell ("01/2019", a date), else the year column, else the sheet's period.
    """
    m = len(unit_idx)
    sheet_span = period.span if period.month is None and period.span else None
    months = np.full(m, period.month or (sheet_span[0] if sheet_span else 0), dtype=np.int64)
    ends = np.full(m, sheet_span[1] if sheet_span else 0, dtype=np.int64)
    month_years = np.zeros(m, dtype=np.int64)
    column_years = np.zeros(m, dtype=np.int64)
    ok = np.ones(m, dtype=bool)
    roles = header.roles
    if MONTH in roles:
        raw = columns[roles[MONTH]][unit_idx]
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        parsed_m = np.zeros(len(uniques) + 1, dtype=np.int64)
        parsed_y = np.zeros(len(uniques) + 1, dtype=np.int64)
        parsed_end = np.zeros(len(uniques) + 1, dtype=np.int64)
        invalid = np.zeros(len(uniques) + 1, dtype=bool)
        spans: dict[int, _SpanCell] = {}
        bad_years: dict[int, int] = {}
        for i, value in enumerate(uniques):
            try:
                month, year = _month_cell(value)
                parsed_m[i], parsed_y[i] = month or 0, year or 0
                invalid[i] = not 1 <= (month or 0) <= 12
                if year is not None and not 1900 <= year <= 2100:  # "15/06/0219": a mistyped year
                    invalid[i] = True
                    bad_years[i] = year
            except _SpanCell as span:
                if span.span:  # "Quý I/2019" in the period column: one record over its months
                    parsed_m[i], parsed_end[i], parsed_y[i] = span.span[0], span.span[1], span.year or 0
                else:
                    invalid[i] = True
                    spans[i] = span
            except ValueError:
                invalid[i] = True
        row_m, row_bad = parsed_m[codes], invalid[codes] & (codes >= 0)
        ends = np.where(row_m > 0, parsed_end[codes], ends)
        months = np.where(row_m > 0, row_m, months)
        month_years = parsed_y[codes]
        blank = codes < 0
        if period.month is None:  # an empty month cell and no month for the whole sheet
            row_bad |= blank
        col = header.label(MONTH)
        bad = np.flatnonzero(row_bad)
        room = out.room("month", "error")
        for j in bad[:room]:
            text = clean(raw[j])
            message = (_span_message(f"Kỳ “{text}”", spans[codes[j]]) if codes[j] in spans else
                       f"Năm {bad_years[codes[j]]} trong ô “{text}” không hợp lệ (năm phải từ 1900 đến 2100)."
                       if codes[j] in bad_years else
                       f"Tháng “{text}” không hợp lệ (tháng phải từ 1 đến 12)." if text
                       else "Thiếu tháng của dòng số liệu.")
            out.add("month", "error", message, name, int(excel_row[unit_idx[j]]), col)
        out.skipped("month", "error", max(0, len(bad) - room))
        ok &= ~row_bad
    elif period.month is not None and not 1 <= period.month <= 12:
        row, col = period.cell or (header.top + 1, None)
        out.add("month", "error", f"Tháng {period.month} (lấy từ tiêu đề hoặc tên sheet) không hợp lệ: tháng phải "
                "từ 1 đến 12.", name, row, col)
        ok[:] = False
    if YEAR in roles:
        raw = columns[roles[YEAR]][unit_idx]
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        parsed = np.zeros(len(uniques) + 1, dtype=np.int64)
        invalid = np.zeros(len(uniques) + 1, dtype=bool)
        for i, value in enumerate(uniques):
            try:
                parsed[i] = _year_cell(value) or 0
                invalid[i] = bool(parsed[i]) and not 1900 <= parsed[i] <= 2100
            except ValueError:
                invalid[i] = True
        column_years = np.where(invalid, 0, parsed)[codes]
        row_bad = invalid[codes]
        bad = np.flatnonzero(row_bad)
        col = header.label(YEAR)
        room = out.room("year", "error")
        for j in bad[:room]:
            out.add("year", "error", f"Năm “{clean(raw[j])}” không hợp lệ.", name, int(excel_row[unit_idx[j]]), col)
        out.skipped("year", "error", max(0, len(bad) - room))
        ok &= ~row_bad
    years = np.where(month_years > 0, month_years, np.where(column_years > 0, column_years, period.year or 0))
    return years.astype(np.int64), months, np.where(ends > 0, ends, months).astype(np.int64), ok


def _span_message(what: str, span) -> str:
    return (f"{what} là số liệu nhiều tháng nhưng không ghi từ tháng nào đến tháng nào, nên không nhập được (không bao "
            "giờ tính như một tháng). Hãy ghi rõ kỳ, ví dụ “Quý I/2019” hoặc “Tháng 1-3/2019”.")


def _label(header: Header, name: str) -> str:
    """A field's column for a message; a derived field has none, so it is named with what it was computed from."""
    return header.label(name) if name in header.roles else f"{FIELD_LABELS[name]} (tính từ các cột thành phần)"


def _check_rows(frame: pd.DataFrame, header: Header, name: str, out: _Messages, present: set[str]) -> None:
    """Parts above their total (errors) and the identities of domain.md §2 (warnings), row by row; `present`: the
    fields the file states or that were derived from parts it states."""
    rows = frame["row"].to_numpy()
    values = {f: frame[f].to_numpy() for f in present}

    def report(kind: str, severity: str, mask: np.ndarray, column: str, text) -> None:
        idx = np.flatnonzero(mask)
        room = out.room(kind, severity)
        for j in idx[:room]:
            out.add(kind, severity, text(j), name, int(rows[j]), column)
        out.skipped(kind, severity, max(0, len(idx) - room))

    def sum_at(parts: list[str], j: int) -> str:
        return _sum_text(parts, [values[p][j] for p in parts])

    # Errors: the parts may never add up to more than their total.
    for parts, total in PART_RULES:
        parts = [p for p in parts if p in present]
        if total not in present or not parts:
            continue
        too_big = sum(values[p] for p in parts) > values[total]
        report("parts", "error", too_big, _label(header, total),
               lambda j, parts=parts, total=total:
               f"{sum_at(parts, j)} lớn hơn {FIELD_LABELS[total]} = {_n(values[total][j])}.")

    # Warnings: where the identity should be exact, parts below their total.
    identities = []
    if {"received_online", "received_direct", "received_carried"} <= present:
        identities.append((["received_online", "received_direct", "received_carried"], "received_total"))
    if {"resolved_on_time", "resolved_late"} <= present:
        early = ["resolved_early"] if "resolved_early" in present else []
        identities.append((early + ["resolved_on_time", "resolved_late"], "resolved_total"))
    if {"pending_in_time", "pending_overdue"} <= present:
        identities.append((["pending_in_time", "pending_overdue"], "pending_total"))
    for parts, total in identities:
        if total not in present:
            continue
        gap = values[total] - sum(values[p] for p in parts)
        report("identity", "warn", gap > 0, _label(header, total),
               lambda j, parts=parts, total=total, gap=gap:
               f"{FIELD_LABELS[total]} = {_n(values[total][j])} nhưng {sum_at(parts, j)} (thiếu {_n(gap[j])}).")
    if {"received_total", "resolved_total", "pending_total"} <= present:
        both = values["resolved_total"] + values["pending_total"]
        report("identity", "warn", both != values["received_total"], _label(header, "received_total"),
               lambda j: f"{FIELD_LABELS['received_total']} = {_n(values['received_total'][j])} khác "
                         f"{sum_at(['resolved_total', 'pending_total'], j)}.")


def _cross_check(kind, codes, infos, field_raw, data, unit_idx, excel_row, header: Header, name: str,
                 out: _Messages) -> None:
    """Group and total rows are never units; their figures are compared with the sums of the units they cover."""
    fields = _fields(header)
    if not fields or not len(unit_idx):
        return
    unit_values = np.column_stack([data[f] for f in fields])  # one row per unit row
    cumulative = np.vstack([np.zeros(len(fields), dtype=np.int64), np.cumsum(unit_values, axis=0)])

    def units_between(lo: int, hi: int) -> tuple[np.ndarray, int]:
        """Sums of the unit rows at positions [lo, hi), and how many there are."""
        a, b = np.searchsorted(unit_idx, lo), np.searchsorted(unit_idx, hi)
        return cumulative[b] - cumulative[a], b - a

    marks = np.flatnonzero((kind == GROUP_ROW) | (kind == TOTAL_ROW))
    groups = np.flatnonzero(kind == GROUP_ROW)
    totals = np.flatnonzero(kind == TOTAL_ROW)
    n = len(kind)
    for pos in marks:
        pos = int(pos)
        written = []
        for k, f in enumerate(fields):
            value = field_raw[f][pos]
            if value is None or value == "" or (isinstance(value, float) and value != value):
                continue
            try:
                written.append((k, f, parse_count(value)))
            except (NumberError, ValueError):
                continue
        if not written:
            continue
        label = infos[codes[pos]].name or ("nhóm" if kind[pos] == GROUP_ROW else "tổng")
        if kind[pos] == GROUP_ROW:
            following = marks[marks > pos]
            end = int(following[0]) if len(following) else n
            sums, count = units_between(pos + 1, end)
            if count == 0:
                continue  # a heading over sub-groups
            candidates = [sums]
            what = "tổng các đơn vị bên dưới"
        else:
            before_total = totals[totals < pos]
            after_total = totals[totals > pos]
            before_group = groups[groups < pos]
            candidates = [units_between(0, n)[0],
                          units_between(int(before_total[-1]) + 1 if len(before_total) else 0, pos)[0],
                          units_between(pos + 1, int(after_total[0]) if len(after_total) else n)[0]]
            if len(before_group):
                candidates.append(units_between(int(before_group[-1]) + 1, pos)[0])
            sums = candidates[0]
            what = "tổng các đơn vị"
        if any(all(c[k] == v for k, _, v in written) for c in candidates):
            continue
        for k, f, v in written:
            if sums[k] != v:
                out.add("crosscheck", "warn",
                        f"Dòng “{label}” ghi {_n(v)} nhưng {what} là {_n(sums[k])} "
                        f"(cột {FIELD_LABELS[f]}).", name, int(excel_row[pos]), header.label(f))


# ---------------------------------------------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------------------------------------------

def _apply_mappings(tables, mappings: list[dict], forced: bool, findings: Findings) -> str:
    """Apply the saved mapping that fits each table's layout (or the one named, to every table); say so once."""
    used = ""
    for sheet, header in tables:
        signature = header_signature(header)
        mapping = mappings[0] if forced and mappings else next(
            (m for m in mappings if m["signature"] == signature), None)
        if mapping is None:
            continue
        changed = apply_mapping(header, mapping["columns"])
        if changed and not used:
            used = mapping["name"]
            findings.warn(f"Đã đọc {len(changed)} cột theo cách đọc đã lưu “{mapping['name']}”"
                          + ("" if forced else " (tệp cùng mẫu với tệp đã lưu cách đọc)") + ".", sheet.name,
                          header.top + 1)
    return used


def _figures_in(sheet: Sheet, header: Header, col: int) -> list:
    """The column's cells below the header, blanks as None (to tell an empty duplicate from one with figures)."""
    out = []
    for row in sheet.rows[header.data_start:]:
        value = row[col] if col < len(row) else None
        out.append(None if value is None or isinstance(value, str) and not value.strip() else value)
    return out


def _settle_duplicates(sheet: Sheet, header: Header, findings: Findings) -> bool:
    """Two columns with the same meaning: the one with the figures is read; both with the same figures, the first;
    with different figures, the sheet is refused naming both (False)."""
    ok = True
    for ignored, used in header.duplicates:
        role = next((r for r, c in header.roles.items() if c == used), None)
        first, second = header.column_label(used), header.column_label(ignored)
        if role is None:  # pragma: no cover - a duplicate always points at a column with a role
            continue
        if VOCABULARY.units.get(role) != "count":  # two name or period columns: the first, as before
            findings.warn(f"Cột “{second}” trùng nghĩa với cột “{first}”; chỉ đọc cột thứ nhất.", sheet.name,
                          header.top + 1, second)
            continue
        in_used, in_ignored = _figures_in(sheet, header, used), _figures_in(sheet, header, ignored)
        has_used, has_ignored = any(v is not None for v in in_used), any(v is not None for v in in_ignored)
        if has_ignored and not has_used:
            header.roles[role] = ignored
            findings.warn(f"Cột “{first}” trùng nghĩa với cột “{second}” nhưng để trống; đọc cột “{second}”, cột có "
                          "số liệu.", sheet.name, header.top + 1, second)
        elif has_ignored and in_used != in_ignored:
            findings.error(f"Hai cột “{first}” ({column_letter(used)}) và “{second}” ({column_letter(ignored)}) cùng "
                           "được hiểu là một loại số liệu nhưng ghi số khác nhau, nên không biết cột nào đúng. Hãy "
                           "xóa hoặc đổi tên một trong hai cột rồi tải lên lại.", sheet.name, header.top + 1, second)
            ok = False
        else:
            findings.warn(f"Cột “{second}” trùng nghĩa với cột “{first}”" + (" và ghi cùng số liệu" if has_ignored
                          else " và để trống") + "; chỉ đọc cột thứ nhất.", sheet.name, header.top + 1, second)
    return ok


def detect_stats_table(workbook: Workbook) -> bool:
    """True if some sheet has a recognisable statistics header (tells a statistics file from a plan file)."""
    return any(_find_header(sheet) is not None for sheet in workbook.sheets)


def read_stats(data: bytes, filename: str = "", registry: Registry | None = None) -> StatsResult:
    """Read a statistics workbook given as bytes. Raises WorkbookRefused for files that cannot be opened."""
    return read_stats_workbook(load_workbook(data, filename), registry, filename=filename)


def _empty_records() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("year", "month", "row", *STATS_FIELDS) else object)
                          for c in RECORD_COLUMNS})
    return frame


def read_stats_workbook(workbook: Workbook, registry: Registry | None = None, filename: str = "",
                        period: tuple[int, ...] | None = None, mappings: list[dict] | None = None,
                        forced: bool = False) -> StatsResult:
    """Read the statistics of an already loaded workbook (see read_stats). `period`: the (year, month) the user
    named for a file that states no period of its own. `mappings`: saved column mappings ({"name", "signature",
    "columns"}); the one whose signature is a table's layout is applied by itself, or, `forced`, the first one
    to every table (the user named it)."""
    registry = registry if registry is not None else load_registry()
    findings = Findings()
    out = _Messages(findings)
    tables = [(sheet, header) for sheet in workbook.sheets if (header := _find_header(sheet)) is not None]
    if not tables:
        findings.error("Không tìm thấy bảng số liệu thống kê nào trong tệp: không sheet nào "
                       "có dòng tiêu đề cột như “Đơn vị”, “Số hồ sơ nhận giải quyết”, “Đã giải quyết”, "
                       "“Đúng hạn”, “Quá hạn” (đã tìm trong "
                       f"{VOCABULARY.scan_rows} dòng đầu, {VOCABULARY.scan_columns} cột đầu của mỗi sheet). Hãy dùng "
                       "tệp mẫu hoặc Biểu 06 xuất từ phần mềm một cửa.")
        return StatsResult(_empty_records(), findings, "flat", [])

    mapping_used = _apply_mappings(tables, mappings or [], forced, findings)
    first_sheet, first_header = tables[0]
    signature = header_signature(first_header)
    columns = [{"sheet": first_sheet.name, "column": column_letter(c), "header": label,
                "field": next((r for r, col in first_header.roles.items() if col == c), "")}
               for c, label in sorted(first_header.labels.items())]

    # Formulas whose value was never saved read as empty cells.
    for sheet, _ in tables:
        cells = workbook.unsaved_formulas.get(sheet.name) or []
        if cells:
            listed = ", ".join(cells[:15]) + (f" … (tổng cộng {len(cells)} ô)" if len(cells) > 15 else "")
            first = re.fullmatch(r"([A-Z]+)(\d+)", cells[0])
            findings.error(f"Các ô công thức chưa có giá trị được lưu: {listed}. Tệp được tạo bằng chương trình và "
                           "chưa từng được mở bằng Excel, nên không đọc được kết quả công thức. Hãy mở tệp bằng "
                           "Excel, bấm Lưu (Ctrl+S) rồi tải lên lại.", sheet.name,
                           int(first[2]) if first else None, first[1] if first else None)

    # Structural errors: unit column and required columns.
    readable = []
    for sheet, header in tables:
        if not _settle_duplicates(sheet, header, findings):
            continue
        warn_unmapped(findings, sheet, header)
        derivable = {target for target, _ in _derivations(header)}
        missing = [f for f in REQUIRED_FIELDS if f not in header.roles and f not in derivable]
        for f in missing:
            sub, group = _COLUMN_NAMES.get(f, (FIELD_LABELS[f], ""))
            findings.error(f"Thiếu cột “{sub}” ({group}). Trong tệp mẫu, cột này tên là “{FIELD_LABELS[f]}”.",
                           sheet.name, header.bottom + 1)
        if UNIT not in header.roles:
            findings.error("Thiếu cột tên đơn vị (“Đơn vị”, “Tên đơn vị” hoặc “Lĩnh vực, công việc giải quyết "
                           "theo cấp”).", sheet.name, header.bottom + 1)
            continue
        readable.append((sheet, header))

    period_missing: list[str] = []
    periods = _sheet_periods(readable, filename, findings, period, period_missing)
    units = _UnitClassifier(registry)
    parts: list[_SheetData] = []
    for sheet, header in readable:
        period = periods[sheet.name]
        if period is None:
            continue
        parts.append(_read_sheet(sheet, header, period, units, out))

    if parts:
        frame = pd.concat([p.frame for p in parts], ignore_index=True)
    else:
        frame = pd.DataFrame(columns=[*RECORD_COLUMNS, "_key", "_known", "_ok"])
    for p in parts:
        if p.frame.empty:
            findings.warn("Bảng không có dòng số liệu nào của đơn vị.", p.sheet, p.header.data_start + 1)

    derived = _derived_fields(parts, findings)
    present_by_sheet = {p.sheet: set(_fields(p.header)) | {t for t, _ in _derivations(p.header) if t in STATS_FIELDS}
                        for p in parts}
    unit_labels = {p.sheet: p.header.label(UNIT) for p in parts}
    carried_labels = {p.sheet: p.header.label("received_carried") for p in parts
                      if "received_carried" in p.header.roles}
    _missing_years(frame, readable, out)
    valid = frame[frame["_ok"] & (frame["year"] > 0) & (frame["month"] >= 1) & (frame["month"] <= 12)] \
        if len(frame) else frame
    _check_duplicates(valid, unit_labels, out)
    _check_overlaps(valid, unit_labels, out)
    _check_carried(valid[valid["end_month"] == valid["month"]] if len(valid) else valid, present_by_sheet,
                   carried_labels, out)
    _check_unknown(frame, unit_labels, out)
    out.finish()
    _name_rows(findings, frame)

    records = frame.loc[:, [c for c in RECORD_COLUMNS if c != "period"]].copy() if len(frame) else _empty_records()
    if len(frame):
        records["year"] = records["year"].astype(np.int64)
        records["month"] = records["month"].astype(np.int64)
        records["end_month"] = records["end_month"].astype(np.int64)
        records["row"] = records["row"].astype(np.int64)
        records.insert(5, "period", _periods(records["year"].to_numpy(), records["month"].to_numpy(),
                                             records["end_month"].to_numpy()))
        for f in STATS_FIELDS:
            records[f] = records[f].astype(np.int64)
        records = records.reset_index(drop=True)
    present = [f for f in STATS_FIELDS if any(f in s for s in present_by_sheet.values())] if parts else \
        [f for f in STATS_FIELDS if any(f in h.roles for _, h in tables)]
    return StatsResult(records, findings, _layout(parts or [], tables), present, _mapping(parts), derived,
                       period_missing, signature, columns, mapping_used)


def _name_rows(findings: Findings, frame: pd.DataFrame) -> None:
    """A finding on a unit row also names the row's unit and month, as the row states them ("UBND xã Ia Tul,
    tháng 03/2019"): a clerk finds the row by them. Not when the message quotes the unit already."""
    wanted: dict[str, set[int]] = {}
    for f in (*findings.errors, *findings.warnings):
        if f.sheet and f.row and f.context is None:
            wanted.setdefault(f.sheet, set()).add(int(f.row))
    if not wanted or not len(frame):
        return
    about: dict[tuple[str, int], str] = {}
    for sheet, rows in wanted.items():
        here = frame[(frame["sheet"] == sheet) & frame["row"].isin(list(rows))]
        for _, r in here.iterrows():
            unit = str(r["unit"] or "").strip()
            year, month, end = int(r["year"]), int(r["month"]), int(r["end_month"])
            valid = bool(r["_ok"]) and year > 0 and 1 <= month <= 12 and month <= end <= 12
            period = _record_period_text(r) if valid else ""
            text = ", ".join(t for t in (unit, period) if t)
            if text:
                about[(sheet, int(r["row"]))] = (unit, text)
    for bucket in (findings.errors, findings.warnings):
        for i, f in enumerate(bucket):
            named = about.get((f.sheet, int(f.row))) if f.sheet and f.row and f.context is None else None
            if named and f"“{named[0]}”" not in f.message:
                bucket[i] = replace(f, context=named[1])


def _part_names(header: Header, parts: tuple[str, ...]) -> str:
    """The columns a derived field adds up, a derived part spelled out as its own columns."""
    made = dict(_derivations(header))
    return " + ".join(f"“{header.label(p)}”" if p in header.roles else _part_names(header, made[p]) for p in parts)


def _derived_fields(parts: list[_SheetData], findings: Findings) -> list[str]:
    """The fields derived from their parts, each said once in a warning (on the first sheet that derives it)."""
    said: dict[str, int] = {}
    first: dict[str, tuple[str, Header, tuple[str, ...]]] = {}
    for p in parts:
        for target, used in _derivations(p.header):
            if target in STATS_FIELDS:
                said[target] = said.get(target, 0) + 1
                first.setdefault(target, (p.sheet, p.header, used))
    for target, (sheet, header, used) in first.items():
        others = f" (và {said[target] - 1} sheet khác)" if said[target] > 1 else ""
        findings.warn(f"Tệp không có cột “{FIELD_LABELS[target]}”; số liệu này được tính bằng "
                      f"{_part_names(header, used)}{others}.", sheet, header.top + 1)
    return [f for f in STATS_FIELDS if f in first]


def _mapping(parts: list[_SheetData]) -> list[dict]:
    """The columns read and the field each was read as, once per distinct layout."""
    out, seen = [], set()
    for p in parts:
        for role, col in sorted(p.header.roles.items(), key=lambda x: x[1]):
            if role not in STATS_FIELDS and role not in _PART_ROLES and role not in (UNIT, MONTH, YEAR):
                continue
            key = (col, p.header.column_label(col), role)
            if key not in seen:
                seen.add(key)
                out.append({"sheet": p.sheet, "column": column_letter(col), "header": key[1], "field": role})
    return out


def _periods(years: np.ndarray, months: np.ndarray, ends: np.ndarray) -> list[str]:
    """"2019-01" for a month, "2019-01..2019-03" for a span."""
    cache: dict[tuple[int, int, int], str] = {}
    out = []
    for y, m, e in zip(years.tolist(), months.tolist(), ends.tolist()):
        text = cache.get((y, m, e))
        if text is None:
            text = cache[(y, m, e)] = f"{y:04d}-{m:02d}" + (f"..{y:04d}-{e:02d}" if e != m else "")
        out.append(text)
    return out


def _layout(parts: list[_SheetData], tables) -> str:
    headers = [p.header for p in parts] or [h for _, h in tables]
    if any(h.depth > 1 or h.numbered for h in headers) or any(p.grouped for p in parts):
        return "bieu06"
    if headers and all(_exact_template(h) for h in headers):
        return "template"
    return "flat"


def _file_period(filename: str) -> _Period:
    """The period a file's name states, after the download date-times are taken out."""
    return _period_from_label(without_download_stamps(filename)) if filename else _Period()


def _sheet_periods(tables, filename: str, findings: Findings,
                   stated: tuple[int, ...] | None = None,
                   period_missing: list[str] | None = None) -> dict[str, _Period | None]:
    """The period each sheet gives in its title or name (used when rows have no period column).

    A month without a year takes the year from the title, the other sheets or the file name. `stated`: the
    (year, month) the user named for a file that states none; it never overrides a period the file states.
    `period_missing` gets the sheets refused only because no period could be found (the user may name it).
    """
    period_missing = period_missing if period_missing is not None else []
    file_period = _file_period(filename)
    result: dict[str, _Period | None] = {}
    for sheet, header in tables:
        lines = [(r + 1, column_letter(c), part)
                 for r, row in enumerate(sheet.rows[:header.top]) for c, value in enumerate(row)
                 if isinstance(value, str) for part in value.split("\n") if part.strip()]
        title = _period_from_title(lines)
        named = _period_from_label(sheet.name)
        if title.month is not None and named.month is not None and (
                title.month != named.month or title.year and named.year and title.year != named.year):
            findings.warn(f"Tiêu đề ghi kỳ báo cáo tháng {title.month:02d}" + (f"/{title.year}" if title.year else "")
                          + f" nhưng tên sheet là “{sheet.name}”; dùng kỳ báo cáo trong tiêu đề.", sheet.name,
                          *title.cell)
        if title.month is not None:
            period = _Period(title.year or (named.year if named.month in (None, title.month) else None), title.month,
                             cell=title.cell)
        elif named.month is not None:
            period = _Period(named.year or title.year, named.month)
        else:
            period = _Period(title.year or named.year, None, title.multi or named.multi, cell=title.cell,
                             span=title.span or named.span)
        result[sheet.name] = period
    years = {p.year for p in result.values() if p and p.year and p.month}
    for (sheet, header) in tables:
        period = result[sheet.name]
        if period.year is None:
            if len(years) == 1:
                period.year = next(iter(years))
            elif file_period.year:
                period.year = file_period.year
        if MONTH in header.roles:
            continue  # rows carry their own month; the sheet's year is only a fallback
        if period.month is None and file_period.month is not None and len(tables) == 1:
            period.month = file_period.month
            period.year = period.year or file_period.year
        if stated is not None:
            # what the user named: (year, month) or a span (year, first month, last month)
            named_months = (stated[1], stated[2] if len(stated) > 2 else stated[1])
            named_text = (f"tháng {stated[1]:02d}/{stated[0]}" if named_months[0] == named_months[1]
                          else _span_text(named_months, stated[0]))
            file_months = (period.month, period.month) if period.month is not None else period.span
            states = period.month is not None or period.multi and period.span  # the file states its months
            if states and (period.year not in (None, stated[0]) or file_months != named_months):
                file_text = (f"tháng {period.month:02d}" + (f"/{period.year}" if period.year else "")
                             if period.month is not None
                             else _span_text(period.span, period.year))
                findings.error(f"Tệp ghi kỳ báo cáo {file_text} nhưng kỳ đã chọn là {named_text}. Hãy bỏ chọn kỳ, "
                               "hoặc kiểm tra lại tệp.", sheet.name, *(period.cell or (header.top + 1, None)))
                result[sheet.name] = None
                continue
            if not period.multi or file_months == named_months:
                if not states or period.year is None:
                    findings.warn(f"Tệp không ghi kỳ báo cáo; dùng kỳ người nhập đã chọn: {named_text}.",
                                  sheet.name, header.top + 1)
                result[sheet.name] = (_Period(stated[0], stated[1]) if named_months[0] == named_months[1] else
                                      _Period(stated[0], None, True, span=named_months))
                continue
        if period.month is None:
            others = any(result[s.name] is not None and result[s.name].month is not None
                         or MONTH in h.roles for s, h in tables if s is not sheet)
            row, col = period.cell or (header.top + 1, None)
            months = f" ({_span_text(period.span, period.year)})" if period.span else ""
            if period.multi and others:
                findings.warn(f"Sheet này là số liệu tổng hợp nhiều tháng{months or ' (quý, năm, lũy kế)'}; không "
                              "đọc để tránh tính trùng với các sheet theo tháng.", sheet.name, row, col)
            elif period.multi and period.span:  # a quarter, a half year: one record over its months
                if period.year is None and YEAR not in header.roles:
                    findings.error(f"Không xác định được năm của kỳ {_span_text(period.span, None)}: tiêu đề, tên "
                                   "sheet, các sheet khác và tên tệp đều không ghi năm.", sheet.name, row, col)
                    result[sheet.name] = None
                continue
            elif period.multi:
                findings.error("Sheet là số liệu nhiều tháng nhưng không ghi từ tháng nào đến tháng nào, nên không "
                               "nhập được (không bao giờ tính như một tháng). Hãy ghi rõ kỳ trong tiêu đề, ví dụ "
                               "“Kỳ báo cáo: Quý I năm 2019” hoặc “Lũy kế đến tháng 6 năm 2019”.", sheet.name, row, col)
            else:
                findings.error("Không xác định được kỳ báo cáo (tháng, năm): bảng không có cột “Tháng”, tiêu đề "
                               "không ghi “Kỳ báo cáo: Tháng … năm …”, tên sheet và tên tệp cũng không cho biết "
                               "tháng. Hãy chọn kỳ báo cáo khi nhập (hoặc --period YYYY-MM), thêm cột “Tháng”/“Năm” "
                               "hoặc đặt tên sheet như “T01-2019”.", sheet.name, header.top + 1)
                period_missing.append(sheet.name)
            result[sheet.name] = None
        elif period.year is None and YEAR not in header.roles:
            findings.error(f"Không xác định được năm của kỳ báo cáo tháng {period.month}: tiêu đề, tên sheet, các "
                           "sheet khác và tên tệp đều không ghi năm. Hãy ghi “Tháng … năm …” trong tiêu đề hoặc đặt "
                           "tên sheet như “T01-2019”.", sheet.name, header.top + 1)
            period_missing.append(sheet.name)
            result[sheet.name] = None
    return result


def _missing_years(frame: pd.DataFrame, tables, out: _Messages) -> None:
    if not len(frame):
        return
    lacking = frame[frame["_ok"] & (frame["year"] <= 0)]
    labels = {s.name: h for s, h in tables}
    for sheet, rows in lacking.groupby("sheet", sort=False):
        header = labels[sheet]
        column = header.label(MONTH) if MONTH in header.roles else None
        out.add("year", "error", f"Không xác định được năm của số liệu ({_n(len(rows))} dòng): thêm cột “Năm”, ghi "
                "tháng dạng “01/2019”, hoặc ghi năm trong tiêu đề/tên sheet/tên tệp.", sheet,
                int(rows["row"].iloc[0]), column)


def _check_duplicates(frame: pd.DataFrame, unit_labels: dict[str, str], out: _Messages) -> None:
    """The same unit and month twice in one file: an error on the second row, naming both rows."""
    if not len(frame):
        return
    keys = ["_key", "year", "month", "end_month"]
    dup = frame[frame.duplicated(keys, keep=False)]
    if dup.empty:
        return
    groups = dup.groupby(keys, sort=False)
    first_sheet = groups["sheet"].transform("first")
    first_row = groups["row"].transform("first")
    again = np.flatnonzero(groups.cumcount().to_numpy() > 0)
    room = out.room("duplicate", "error")
    for j in again[:room]:
        row = dup.iloc[j]
        out.add("duplicate", "error",
                f"Đơn vị “{row['unit']}” có hai dòng số liệu cho "
                f"{_record_period_text(row)}: sheet “{first_sheet.iloc[j]}” dòng "
                f"{first_row.iloc[j]} và sheet “{row['sheet']}” dòng {row['row']}.",
                row["sheet"], int(row["row"]), unit_labels.get(row["sheet"]))
    out.skipped("duplicate", "error", max(0, len(again) - room))


def _record_period_text(row) -> str:
    month, end, year = int(row["month"]), int(row["end_month"]), int(row["year"])
    return f"tháng {_period_text(month, year)}" if end == month else _span_text((month, end), year)


def _check_overlaps(frame: pd.DataFrame, unit_labels: dict[str, str], out: _Messages) -> None:
    """A span and a month (or two spans) of the same unit that cover a month twice: an error naming both rows."""
    if not len(frame) or not (frame["end_month"] != frame["month"]).any():
        return
    spans = frame[frame["end_month"] != frame["month"]]
    for _, span in spans.iterrows():
        same = frame[(frame["_key"] == span["_key"]) & (frame["year"] == span["year"])
                     & (frame["month"] <= span["end_month"]) & (frame["end_month"] >= span["month"])
                     & ((frame["month"] != span["month"]) | (frame["end_month"] != span["end_month"]))]
        for _, other in same.iterrows():
            if other["end_month"] != other["month"] and (other["month"], other["end_month"]) < \
                    (span["month"], span["end_month"]):
                continue  # two spans: said once
            out.add("overlap", "error",  # _Messages caps the list and sums up the rest
                    f"Đơn vị “{span['unit']}” có số liệu {_record_period_text(span)} (sheet “{span['sheet']}” "
                    f"dòng {span['row']}) chồng lên số liệu {_record_period_text(other)} (sheet "
                    f"“{other['sheet']}” dòng {other['row']}): một tháng không được tính hai lần.",
                    span["sheet"], int(span["row"]), unit_labels.get(span["sheet"]))


def _check_carried(frame: pd.DataFrame, present: dict[str, set], carried_labels: dict[str, str],
                   out: _Messages) -> None:
    """Carried in (month m) = pending (month m−1), for a unit whose two months are both in the file."""
    if not len(frame):
        return
    sheets = frame["sheet"].to_numpy()
    has_carried = np.isin(sheets, [s for s, f in present.items() if "received_carried" in f])
    has_pending = np.isin(sheets, [s for s, f in present.items() if "pending_total" in f])
    if not has_carried.any() or not has_pending.any():
        return
    unit_codes = pd.factorize(frame["_key"].to_numpy())[0]
    order = np.lexsort((frame["month"].to_numpy(), frame["year"].to_numpy(), unit_codes))
    key = unit_codes[order]
    ordinal = (frame["year"].to_numpy() * 12 + frame["month"].to_numpy() - 1)[order]
    carried = frame["received_carried"].to_numpy()[order]
    pending = frame["pending_total"].to_numpy()[order]
    hc, hp = has_carried[order], has_pending[order]
    follows = np.zeros(len(order), dtype=bool)
    follows[1:] = (key[1:] == key[:-1]) & (ordinal[1:] == ordinal[:-1] + 1) & hc[1:] & hp[:-1] \
        & (carried[1:] != pending[:-1])
    idx = np.flatnonzero(follows)
    room = out.room("carried", "warn")
    for j in idx[:room]:
        cur, prev = frame.iloc[order[j]], frame.iloc[order[j - 1]]
        out.add("carried", "warn",
                f"“Từ kỳ trước” của đơn vị “{cur['unit']}” tháng {_period_text(int(cur['month']), int(cur['year']))}"
                f" là {_n(carried[j])}, nhưng số hồ sơ đang giải quyết cuối tháng "
                f"{_period_text(int(prev['month']), int(prev['year']))} là {_n(pending[j - 1])} "
                f"(sheet “{prev['sheet']}” dòng {prev['row']}).",
                cur["sheet"], int(cur["row"]), carried_labels.get(cur["sheet"]))
    out.skipped("carried", "warn", max(0, len(idx) - room))


def _check_unknown(frame: pd.DataFrame, unit_labels: dict[str, str], out: _Messages) -> None:
    """One warning per unit name that is not in the registry, at its first row."""
    if not len(frame):
        return
    unknown = np.flatnonzero(~frame["_known"].to_numpy(dtype=bool))
    if not len(unknown):
        return
    codes = pd.factorize(frame["_key"].to_numpy()[unknown])[0]
    counts = np.bincount(codes)
    _, firsts = np.unique(codes, return_index=True)
    firsts.sort()
    room = out.room("unknown", "warn")
    for j in firsts[:room]:
        row = frame.iloc[unknown[j]]
        n = int(counts[codes[j]])
        extra = f" (xuất hiện ở {_n(n)} dòng)" if n > 1 else ""
        out.add("unknown", "warn",
                f"Đơn vị “{row['unit']}” không có trong danh mục đơn vị{extra}. Kiểm tra lại tên đơn vị hoặc bổ "
                "sung đơn vị vào danh mục.", row["sheet"], int(row["row"]), unit_labels.get(row["sheet"]))
    out.skipped("unknown", "warn", max(0, len(firsts) - room))
