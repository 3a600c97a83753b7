"""Read the fifth kind of workbook: QĐ 766/QĐ-TTg scores ("Bộ chỉ số phục vụ người dân, doanh nghiệp").

Since 2022 the National Public Service Portal scores every unit monthly out of 100 in six groups (fields.INDEX766_*):
Công khai, minh bạch (CKMB), Tiến độ giải quyết (TDGQ), Dịch vụ công trực tuyến (DVCTT, CLGQ in some exports),
Thanh toán trực tuyến (TTTT), Mức độ hài lòng (MDHL), Số hóa hồ sơ (MDSH); the total; a rank when given. The tables
the portal exports, or offices copy from it, are read one row per unit: columns are found by their labels or the
portal's codes (vocabularies/index766.toml), through the shared table model (table.py).

The period of a row: its period cell ("Tháng 6/2025", "Quý II/2025", "6 tháng đầu năm 2025", "Năm 2025", a date), a
"Quý" or "Năm" column, else the sheet's title ("Kỳ đánh giá: Tháng 6 năm 2025"), name ("T06-2025") or the file's
name, with the statistics reader's period rules (stats.py). A span of months (quarter, half year, year) is one
record, "2025-04..2025-06", never one of its months. Scores are not counts: a quarter and its months are separate
scores of the same unit and may be stored side by side.

Checks: a group above its maximum (the maxima are data: `maxima`, defaulting to DEFAULT_MAXIMA), a negative score, a
text that is no number ("17,5" and "17.5" are numbers), a total that is not the sum of the six groups (a warning
within rounding, 0,01; an error beyond it), the same unit and period twice, units not in the registry, columns with
figures nobody reads. Every error names the sheet, the Excel row and the column.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import formatting as fmt
from ..fields import INDEX766_CODES, INDEX766_GROUPS, INDEX766_LABELS
from ..findings import Findings, WorkbookRefused
from ..registry import Registry, load_registry
from . import stats as stats_rules
from .grid import Sheet, Workbook, load_workbook
from .table import GROUP_STT, VOCABULARY_DIR, Header, find_header, is_end_text, load_vocabulary, warn_unmapped
from .text import NumberError, clean, column_letter, fold, parse_points, without_download_stamps

__all__ = ["DEFAULT_MAXIMA", "GROUPS", "INDEX766_SHEET", "RECORD_COLUMNS", "TEMPLATE_HEADERS", "VOCABULARY",
           "Index766Result", "check_maxima", "detect_index766_table", "read_index766", "read_index766_workbook",
           "redo_maxima", "validate_maxima"]

GROUPS = INDEX766_GROUPS
SCORE_FIELDS: tuple[str, ...] = (*GROUPS, "total")
# month..end_month: one month (end_month = month) or a span of whole months of one year ("Quý II/2025": 4..6,
# period "2025-04..2025-06"); the scores are floats (NaN: not in the file), the rank a float (NaN: not given)
RECORD_COLUMNS: tuple[str, ...] = ("unit", "level", "year", "month", "end_month", "period", *SCORE_FIELDS, "rank",
                                   "sheet", "row")

# The template's sheet and headers (cchc/sample/index766.py writes data/mau_chi_so_766.xlsx with them).
INDEX766_SHEET = "Điểm Bộ chỉ số 766"
UNIT_HEADER, PERIOD_HEADER = "Tên đơn vị", "Kỳ đánh giá"
TEMPLATE_HEADERS: tuple[str, ...] = (UNIT_HEADER, PERIOD_HEADER, *(INDEX766_LABELS[f] for f in (*SCORE_FIELDS, "rank")))

VOCABULARY = load_vocabulary("index766")
with open(VOCABULARY_DIR / "index766.toml", "rb") as _handle:
    _SPEC = tomllib.load(_handle)
DEFAULT_MAXIMA: dict[str, float] = {g: float(_SPEC["maxima"][g]) for g in GROUPS}
_AMBIGUOUS_CODES = frozenset(_SPEC["codes"]["ambiguous"])

UNIT, PERIOD, QUARTER, YEAR, RANK, TOTAL = "unit", "period", "quarter", "year", "rank", "total"
ROUNDING = 0.01  # a total within this of the sum of its groups is rounding (a warning), beyond it an error
_EPS = 1e-9
UNKNOWN_CAP = 30  # unknown units named one by one before the rest are summed up
NO_TABLE = ("Không tìm thấy bảng điểm Bộ chỉ số 766: cần một dòng tiêu đề có cột tên đơn vị và các cột nhóm chỉ số "
            "(“Công khai, minh bạch”, “Tiến độ giải quyết”, “Dịch vụ công trực tuyến”, “Thanh toán trực tuyến”, "
            "“Mức độ hài lòng”, “Số hóa hồ sơ”) hoặc mã của chúng (CKMB, TDGQ, …). Hãy dùng tệp mẫu mau_chi_so_766.xlsx.")


@dataclass
class Index766Result:
    records: pd.DataFrame  # one row per unit and period, RECORD_COLUMNS (every unit row read, errors or not)
    findings: Findings = field(default_factory=Findings)  # errors mean the file is refused
    groups: list[str] = field(default_factory=list)  # the groups (GROUPS) that had a column in the file
    maxima: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MAXIMA))  # the maxima checked against
    # sheet → field → the column's label as typed (for the messages check_maxima writes)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    # the findings that depend on the maxima: redone by ingest when the store's maxima differ from these
    maxima_findings: Findings = field(default_factory=Findings)
    period_missing: list[str] = field(default_factory=list)  # sheets refused only because they state no period

    @property
    def ok(self) -> bool:
        return self.findings.ok

    @property
    def codes(self) -> list[str]:
        """The group codes found ("CKMB", …, "DVCTT" whether the file wrote DVCTT or CLGQ)."""
        return [INDEX766_CODES[g] for g in self.groups]

    def periods(self) -> list[str]:
        return sorted(self.records["period"].unique().tolist()) if len(self.records) else []


def empty_records() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in RECORD_COLUMNS})
    for name in ("year", "month", "end_month", "row"):
        frame[name] = frame[name].astype(np.int64)
    for name in (*SCORE_FIELDS, "rank"):
        frame[name] = frame[name].astype(float)
    return frame


def validate_maxima(maxima: dict) -> dict[str, float]:
    """The six maxima as floats; ValueError (Vietnamese) when one is missing, not a number or not positive."""
    out = {}
    for g in GROUPS:
        value = maxima.get(g) if isinstance(maxima, dict) else None
        try:
            number = parse_points(value) if isinstance(value, str) else value
            number = float(number)
        except (TypeError, ValueError, NumberError):
            raise ValueError(f"Điểm tối đa của nhóm “{INDEX766_LABELS[g]}” phải là một số.") from None
        if not math.isfinite(number) or number <= 0:
            raise ValueError(f"Điểm tối đa của nhóm “{INDEX766_LABELS[g]}” phải lớn hơn 0 (đang là "
                             f"{fmt.points(number) if math.isfinite(number) else clean(value)}).")
        out[g] = number
    return out


# ---------------------------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------------------------

def parse_score(value: object) -> float | None:
    """A score: 17.5, "17,5", "17.5"; blank or "-" is None. Raises ValueError (Vietnamese) for anything else."""
    if isinstance(value, bool):
        raise ValueError(f"“{clean(value)}” không phải là điểm số (ví dụ 17,5).")
    try:
        number = parse_points(value)
    except NumberError:
        raise ValueError(f"“{clean(value)}” không phải là điểm số (ghi dạng 17,5 hoặc 17.5).") from None
    if number is not None and not math.isfinite(number):
        raise ValueError(f"“{clean(value)}” không phải là điểm số (ví dụ 17,5).")
    return number


def parse_rank(value: object) -> int | None:
    """A rank: 3, "3", "3/63" (3rd of 63); blank is None. Raises ValueError for anything else."""
    text = clean(value)
    if text in ("", "-", "–"):
        return None
    if isinstance(value, bool):
        raise ValueError(f"Xếp hạng “{text}” không hợp lệ (ghi số thứ hạng, ví dụ 3).")
    number = value if isinstance(value, (int, float)) else None
    if number is None and (m := re.fullmatch(r"(\d{1,6})(?:\s*/\s*\d{1,6})?", text)):
        number = int(m[1])  # "2/63": second of 63
    if number is not None and float(number).is_integer() and number >= 1:
        return int(number)
    raise ValueError(f"Xếp hạng “{text}” không hợp lệ (ghi số thứ hạng, ví dụ 3).")


_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _quarter_cell(value) -> tuple[int, int, int | None] | None:
    """(first month, last month, year or None) of a "Quý" cell: 2, "II", "Quý II/2025"; None when blank."""
    text = fold(value)
    if not text:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value) in (1.0, 2.0, 3.0, 4.0):
        q = int(value)
        return 3 * q - 2, 3 * q, None
    m = re.fullmatch(r"(?:quy\s*)?(iv|iii|ii|i|[1-4])(?:\s*[/.-]\s*((?:19|20)\d{2})|\s+nam\s+((?:19|20)\d{2}))?",
                     text.strip())
    if not m:
        raise ValueError(text)
    q = _ROMAN_QUARTERS.get(m[1]) or int(m[1])
    year = m[2] or m[3]
    return 3 * q - 2, 3 * q, int(year) if year else None


def _period_cell(value) -> tuple[int | None, int, int] | None:
    """(year or None, first month, last month) of a period cell; None when blank. Raises ValueError (Vietnamese)."""
    if value is None or isinstance(value, str) and not value.strip() or \
            isinstance(value, float) and math.isnan(value):
        return None
    text = clean(value)
    if not isinstance(value, bool) and re.fullmatch(r"(?:19|20)\d{2}", text):
        return int(text), 1, 12  # a year alone in a period column (2025, "2025"): the year's score
    try:
        month, year = stats_rules._month_cell(value)
    except stats_rules._SpanCell as span:
        if span.span:
            return span.year, span.span[0], span.span[1]
        raise ValueError(f"Kỳ “{text}” là nhiều tháng nhưng không ghi từ tháng nào đến tháng nào; hãy ghi rõ, ví dụ "
                         "“Quý II/2025”, “6 tháng đầu năm 2025” hoặc “Năm 2025”.") from None
    except ValueError:
        raise ValueError(f"Kỳ “{text}” không đọc được; ghi ví dụ “Tháng 6/2025”, “06/2025”, “Quý II/2025”, "
                         "“6 tháng đầu năm 2025” hoặc “Năm 2025”.") from None
    if month is None:
        return None
    if not 1 <= month <= 12 or year is not None and not 1900 <= year <= 2100:
        raise ValueError(f"Kỳ “{text}” không hợp lệ (tháng phải từ 1 đến 12).")
    return year, month, month


# ---------------------------------------------------------------------------------------------------------------
# The period a sheet states (title, sheet name, file name)
# ---------------------------------------------------------------------------------------------------------------

# The decision's own citation ("Quyết định số 766/QĐ-TTg ngày 23/6/2022") is no period: taken out before reading.
_CITATION = re.compile(r"\b(?:quyet dinh|qd)\s*(?:so\s*)?\d+\s*/\s*[a-z-]+(?:\s*ngay\s*\d{1,2}\s*(?:[/.-]|thang)\s*"
                       r"\d{1,2}\s*(?:[/.-]|nam)\s*\d{4})?")
_PERIOD_WORDS = re.compile(r"\bky (?:danh gia|cham diem|xep hang)\b|\bthoi gian danh gia\b")
_YEAR_LINE = re.compile(r"^\s*(?:ca\s+)?nam\s*((?:19|20)\d{2})\s*$")


@dataclass
class _SheetPeriod:
    year: int | None = None
    months: tuple[int, int] | None = None  # (first, last): one month or a span
    cell: tuple[int, str] | None = None  # (Excel row, column letter) it was read from
    vague: bool = False  # the text names several months without saying which


def _title_period(sheet: Sheet, header: Header) -> _SheetPeriod:
    lines = []
    for r, row in enumerate(sheet.rows[:header.top]):
        for c, value in enumerate(row):
            if isinstance(value, str):
                for part in value.split("\n"):
                    text = _PERIOD_WORDS.sub("ky bao cao", _CITATION.sub(" ", fold(part))).strip()
                    if text:
                        lines.append((r + 1, column_letter(c), text))
    for row, col, text in lines:  # a line that is a year and nothing else ("Năm 2025") names the year's scores
        if m := _YEAR_LINE.match(text):
            return _SheetPeriod(int(m[1]), (1, 12), (row, col))
    found = stats_rules._period_from_title(lines)
    if found.month is not None:
        return _SheetPeriod(found.year, (found.month, found.month), found.cell)
    if found.span:
        return _SheetPeriod(found.year, found.span, found.cell)
    if found.year and found.cell and any("ky bao cao" in t and (r, c) == found.cell for r, c, t in lines):
        return _SheetPeriod(found.year, (1, 12), found.cell)  # "Kỳ đánh giá: năm 2025"
    return _SheetPeriod(found.year, None, found.cell, found.multi)


def _label_period(text: str) -> _SheetPeriod:
    found = stats_rules._period_from_label(text)
    if found.month is not None:
        return _SheetPeriod(found.year, (found.month, found.month))
    if found.span:
        return _SheetPeriod(found.year, found.span)
    return _SheetPeriod(found.year, None, vague=found.multi)


def _months_text(year: int | None, months: tuple[int, int]) -> str:
    if months[0] == months[1]:
        return f"tháng {months[0]:02d}" + (f"/{year}" if year else "")
    if months == (1, 12):
        return f"năm {year}" if year else "cả năm"
    return stats_rules._span_text(months, year)


def _sheet_periods(tables: list[tuple[Sheet, Header]], filename: str, stated: tuple[int, ...] | None,
                   findings: Findings, period_missing: list[str]) -> dict[str, _SheetPeriod | None]:
    """The period each sheet states for rows that do not carry their own. `stated`: (year, month) or (year, first,
    last) the user named for a file that states none (never over one it states). None: the sheet is refused."""
    file_period = _label_period(without_download_stamps(filename)) if filename else _SheetPeriod()
    out: dict[str, _SheetPeriod | None] = {}
    for sheet, header in tables:
        title, named = _title_period(sheet, header), _label_period(sheet.name)
        if title.months and named.months and title.months != named.months:
            findings.warn(f"Tiêu đề ghi kỳ {_months_text(title.year, title.months)} nhưng tên sheet là "
                          f"“{sheet.name}”; dùng kỳ trong tiêu đề.", sheet.name, *(title.cell or (header.top + 1,)))
        chosen = next((p for p in (title, named) if p.months), None)
        if chosen is None and file_period.months and len(tables) == 1:
            chosen = file_period
        year = (chosen.year if chosen else None) or title.year or named.year or file_period.year
        out[sheet.name] = _SheetPeriod(year, chosen.months if chosen else None,
                                       chosen.cell if chosen else title.cell,
                                       not chosen and (title.vague or named.vague))
    years = {p.year for p in out.values() if p.year and p.months}
    for sheet, header in tables:
        period = out[sheet.name]
        if period.year is None and len(years) == 1:
            period.year = next(iter(years))
        own = PERIOD in header.roles or QUARTER in header.roles
        if stated is not None:
            months = (stated[1], stated[2] if len(stated) > 2 else stated[1])
            if period.months and (period.months != months or period.year not in (None, stated[0])):
                findings.error(f"Tệp ghi kỳ {_months_text(period.year, period.months)} nhưng kỳ đã chọn là "
                               f"{_months_text(stated[0], months)}. Hãy bỏ chọn kỳ, hoặc kiểm tra lại tệp.",
                               sheet.name, *(period.cell or (header.top + 1,)))
                out[sheet.name] = None
                continue
            if not period.months and not own:
                findings.warn(f"Tệp không ghi kỳ đánh giá; dùng kỳ người nhập đã chọn: "
                              f"{_months_text(stated[0], months)}.", sheet.name, header.top + 1)
            out[sheet.name] = _SheetPeriod(stated[0], months, period.cell)
            continue
        if own or period.months:
            continue
        row, col = period.cell or (header.top + 1, None)
        if period.vague:
            findings.error("Bảng là điểm của nhiều tháng nhưng không ghi từ tháng nào đến tháng nào. Hãy ghi rõ kỳ "
                           "trong tiêu đề, ví dụ “Kỳ đánh giá: Quý II năm 2025” hoặc “Năm 2025”.", sheet.name, row, col)
        else:
            findings.error("Không xác định được kỳ đánh giá (tháng, quý hay năm): bảng không có cột “Kỳ đánh giá” "
                           "hay “Tháng”, tiêu đề không ghi “Kỳ đánh giá: Tháng … năm …”, tên sheet và tên tệp cũng "
                           "không cho biết kỳ. Hãy chọn kỳ khi nhập (hoặc --period YYYY-MM, YYYY-MM..YYYY-MM), thêm "
                           "cột “Kỳ đánh giá” hoặc đặt tên sheet như “T06-2025”, “Quý II-2025”.", sheet.name, row, col)
            period_missing.append(sheet.name)
        out[sheet.name] = None
    return out


# ---------------------------------------------------------------------------------------------------------------
# Finding the tables
# ---------------------------------------------------------------------------------------------------------------

def _find_header(sheet: Sheet, strict: bool = False) -> Header | None:
    return find_header(sheet, VOCABULARY, strict=strict)


def detect_index766_table(workbook: Workbook) -> bool:
    """True when a sheet has a header with a group column of the index and two more recognised columns."""
    return any(_find_header(sheet, strict=True) is not None for sheet in workbook.sheets)


def _column_labels(header: Header) -> dict[str, str]:
    return {role: header.label(role) for role in header.roles}


_AVERAGE_ROW = re.compile(r"^(?:diem )?(?:trung binh|binh quan)\b")


class _Capped:
    """Warnings of one kind: the first `cap` said one by one, then one line with how many more."""

    def __init__(self, findings: Findings, cap: int, what: str):
        self.findings, self.cap, self.what, self.count = findings, cap, what, 0

    def warn(self, message: str, sheet=None, row=None, column=None) -> None:
        self.count += 1
        if self.count <= self.cap:
            self.findings.warn(message, sheet, row, column)

    def finish(self) -> None:
        if self.count > self.cap:
            self.findings.warn(f"… và {self.count - self.cap} trường hợp khác cùng loại ({self.what}); chỉ liệt kê "
                               f"{self.cap} trường hợp đầu.")


# ---------------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------------

def read_index766(data: bytes, filename: str = "", registry: Registry | None = None,
                  period: tuple[int, ...] | None = None, maxima: dict | None = None) -> Index766Result:
    """Read a score workbook from bytes (see read_index766_workbook). Unreadable files give a result with the error,
    never an exception."""
    try:
        workbook = load_workbook(data, filename)
    except WorkbookRefused as refused:
        return Index766Result(empty_records(), refused.findings)
    return read_index766_workbook(workbook, registry, filename, period, maxima)


def read_index766_workbook(workbook: Workbook, registry: Registry | None = None, filename: str = "",
                           period: tuple[int, ...] | None = None, maxima: dict | None = None) -> Index766Result:
    """Read every score table of a loaded workbook. `period`: the (year, month) or (year, first, last) the user named
    for a file that states none; `maxima`: the groups' maxima to check against (DEFAULT_MAXIMA when None)."""
    registry = registry if registry is not None else load_registry()
    maxima = validate_maxima(maxima) if maxima is not None else dict(DEFAULT_MAXIMA)
    findings = Findings()
    tables = [(sheet, header) for sheet in workbook.sheets if (header := _find_header(sheet)) is not None]
    if not tables:
        findings.error(NO_TABLE)
        return Index766Result(empty_records(), findings, maxima=maxima)

    if any(UNIT in header.roles for _, header in tables):  # a guide's or a legend's table of group names is no table
        tables = [(sheet, header) for sheet, header in tables if UNIT in header.roles]
    readable = []
    groups: set[str] = set()
    for sheet, header in tables:
        if unsaved := workbook.unsaved_formulas_message(sheet.name):
            findings.error(unsaved, sheet.name)
            continue
        warn_unmapped(findings, sheet, header)
        for ignored, used in header.duplicates:
            findings.warn(f"Cột “{header.column_label(ignored)}” trùng nghĩa với cột “{header.column_label(used)}”; "
                          "chỉ đọc cột thứ nhất.", sheet.name, header.top + 1, header.column_label(ignored))
        if UNIT not in header.roles:
            findings.error("Thiếu cột tên đơn vị (“Tên đơn vị”, “Đơn vị”, “Cơ quan, đơn vị” hoặc “Tỉnh/Thành phố”).",
                           sheet.name, header.bottom + 1)
            continue
        for role in GROUPS:
            col = header.roles.get(role)
            if col is not None and header.paths[col][-1] in _AMBIGUOUS_CODES:
                findings.warn(f"Cột “{header.label(role)}” chỉ ghi mã, không ghi tên nhóm; đã đọc là nhóm "
                              f"“{INDEX766_LABELS[role]}” (tối đa {fmt.points(maxima[role])} điểm). Các bảng xuất từ "
                              "Cổng Dịch vụ công quốc gia dùng hai mã CLGQ và TTTT không thống nhất: nếu cột này là "
                              "nhóm khác, hãy ghi tên nhóm vào tiêu đề cột rồi tải lên lại.", sheet.name,
                              header.top + 1, header.label(role))
        groups |= {g for g in GROUPS if g in header.roles}
        readable.append((sheet, header))

    period_missing: list[str] = []
    periods = _sheet_periods(readable, filename, period, findings, period_missing)
    units = stats_rules._UnitClassifier(registry)
    unknown = _Capped(findings, UNKNOWN_CAP, "đơn vị không có trong danh mục")
    rows_out: list[dict] = []
    columns: dict[str, dict[str, str]] = {}
    for sheet, header in readable:
        sheet_period = periods[sheet.name]
        if sheet_period is None:
            continue
        columns[sheet.name] = _column_labels(header)
        rows_out += _read_sheet(sheet, header, sheet_period, units, findings, unknown)
    unknown.finish()

    records = pd.DataFrame(rows_out, columns=list(RECORD_COLUMNS)) if rows_out else empty_records()
    records = records.astype({name: np.int64 for name in ("year", "month", "end_month", "row")})
    records = records.astype({name: float for name in (*SCORE_FIELDS, "rank")})
    _check_duplicates(records, columns, findings)
    if readable and not rows_out and findings.ok:
        findings.warn("Bảng không có dòng điểm nào của đơn vị.", readable[0][0].name, readable[0][1].data_start + 1)
    maxima_findings = check_maxima(records, columns, maxima)
    findings.extend(maxima_findings)
    return Index766Result(records.reset_index(drop=True), findings, [g for g in GROUPS if g in groups], maxima,
                          columns, maxima_findings, period_missing)


def _row_label(row: list, before: int) -> str:
    """A label typed left of the figures in a row without a unit name ("Tổng cộng" merged over STT and name)."""
    return next((v for v in row[:before] if isinstance(v, str) and v.strip()), "")


def _read_sheet(sheet: Sheet, header: Header, period: _SheetPeriod, units, findings: Findings,
                unknown: _Capped) -> list[dict]:
    name, roles = sheet.name, header.roles
    labels = _column_labels(header)
    score_roles = [r for r in SCORE_FIELDS if r in roles]
    first_score = min((roles[r] for r in score_roles), default=len(sheet.rows[0]) if sheet.rows else 0)
    derive_total = TOTAL not in roles and all(g in roles for g in GROUPS)
    if derive_total:
        findings.warn("Bảng không có cột “Tổng điểm”; tổng điểm của mỗi dòng được tính bằng tổng sáu nhóm chỉ số.",
                      name, header.top + 1)
    group_level = ""
    out: list[dict] = []
    for index in range(header.data_start, len(sheet.rows)):
        row = sheet.rows[index]
        excel_row = index + 1
        unit_value = header.cell(row, UNIT)
        info = units.classify(unit_value)
        text = clean(unit_value)
        if info.kind == stats_rules.END_ROW:
            break
        if info.kind == stats_rules.BLANK:
            label = _row_label(row, first_score)
            if label and is_end_text(fold(label)):
                break
            if label and units.classify(label).kind in (stats_rules.TOTAL_ROW, stats_rules.GROUP_ROW):
                continue
            if any(isinstance(v := header.cell(row, r), (int, float)) and not isinstance(v, bool) for r in score_roles):
                findings.warn("Dòng có điểm nhưng ô tên đơn vị để trống; dòng này bị bỏ qua.", name, excel_row,
                              labels[UNIT])
            continue
        if info.kind == stats_rules.SKIP_ROW or info.kind == stats_rules.TOTAL_ROW or \
                _AVERAGE_ROW.match(fold(text)):
            continue  # totals and averages are no unit
        stt = clean(header.cell(row, "stt")) if "stt" in roles else ""
        if info.kind == stats_rules.GROUP_ROW or stt and GROUP_STT.fullmatch(stt):
            group_level = info.level or units.level_of_group(text)
            continue
        # one unit row
        level = info.level if info.known else group_level
        if not info.known:
            unknown.warn(f"Đơn vị “{info.name}” không có trong danh mục đơn vị; tên được giữ như đã ghi. Kiểm tra "
                         "lại tên đơn vị hoặc bổ sung đơn vị vào danh mục.", name, excel_row, labels[UNIT])
        scores: dict[str, float] = {}
        for role in SCORE_FIELDS:
            value = header.cell(row, role)
            try:
                number = parse_score(value) if role in roles else None
            except ValueError as exc:
                findings.error(str(exc), name, excel_row, labels[role])
                number = None
            if number is not None and number < 0:
                findings.error(f"Điểm không được âm ({fmt.points(number)}).", name, excel_row, labels[role])
            scores[role] = float("nan") if number is None else number
        rank = float("nan")
        if RANK in roles:
            try:
                parsed = parse_rank(header.cell(row, RANK))
                rank = float(parsed) if parsed is not None else rank
            except ValueError as exc:
                findings.error(str(exc), name, excel_row, labels[RANK])
        if derive_total and not any(math.isnan(scores[g]) for g in GROUPS):
            scores[TOTAL] = round(sum(scores[g] for g in GROUPS), 10)
        elif TOTAL in roles:
            _check_total(scores, name, excel_row, labels, findings)
        year, months = _row_period(row, header, period, name, excel_row, labels, findings)
        first, last = months if months else (0, 0)
        # a row whose period could not be read is kept (for the maxima checks) with period "": it is never stored,
        # the file being refused
        out.append({"unit": info.name, "level": level or "", "year": year or 0, "month": first, "end_month": last,
                    "period": _period_label(year, first, last) if year and first else "", **scores, "rank": rank,
                    "sheet": name, "row": excel_row})
    return out


def _period_label(year: int, first: int, last: int) -> str:
    """"2025-06" for a month, "2025-04..2025-06" for a span."""
    return f"{year:04d}-{first:02d}" + (f"..{year:04d}-{last:02d}" if last != first else "")


def _row_period(row, header: Header, period: _SheetPeriod, sheet: str, excel_row: int, labels: dict[str, str],
                findings: Findings) -> tuple[int | None, tuple[int, int] | None]:
    """(year, (first month, last month)) of a unit row: its period or quarter cell, else the sheet's period; the
    year from the period cell, the "Năm" column, else the sheet. Errors are located at the cell."""
    roles = header.roles
    year, months = None, None
    if PERIOD in roles:
        try:
            parsed = _period_cell(header.cell(row, PERIOD))
        except ValueError as exc:
            findings.error(str(exc), sheet, excel_row, labels[PERIOD])
            return None, None
        if parsed is not None:
            year, months = parsed[0], (parsed[1], parsed[2])
    if months is None and QUARTER in roles:
        try:
            parsed = _quarter_cell(header.cell(row, QUARTER))
        except ValueError:
            findings.error(f"Quý “{clean(header.cell(row, QUARTER))}” không hợp lệ (ghi 1, 2, 3, 4 hoặc I, II, III, "
                           "IV).", sheet, excel_row, labels[QUARTER])
            return None, None
        if parsed is not None:
            months, year = (parsed[0], parsed[1]), parsed[2]
    if months is None:
        months = period.months
    if months is None:
        column = labels.get(PERIOD) or labels.get(QUARTER)
        findings.error("Thiếu kỳ đánh giá của dòng điểm.", sheet, excel_row, column)
        return None, None
    if year is None and YEAR in roles:
        try:
            year = stats_rules._year_cell(header.cell(row, YEAR))
        except ValueError:
            year = None
            findings.error(f"Năm “{clean(header.cell(row, YEAR))}” không hợp lệ.", sheet, excel_row, labels[YEAR])
            return None, months
        if year is not None and not 1900 <= year <= 2100:
            findings.error(f"Năm {year} không hợp lệ (năm phải từ 1900 đến 2100).", sheet, excel_row, labels[YEAR])
            return None, months
    year = year or period.year
    if year is None:
        findings.error("Không xác định được năm của kỳ đánh giá: ô kỳ, cột “Năm”, tiêu đề, tên sheet và tên tệp đều "
                       "không ghi năm.", sheet, excel_row, labels.get(PERIOD) or labels.get(YEAR))
    return year, months


def _check_total(scores: dict[str, float], sheet: str, excel_row: int, labels: dict[str, str],
                 findings: Findings) -> None:
    """The total against its groups: the sum of all six (a warning within ROUNDING, an error beyond), or, with
    some groups missing, at least the sum of those given."""
    total = scores[TOTAL]
    if math.isnan(total):
        return
    given = [g for g in GROUPS if not math.isnan(scores[g])]
    if not given:
        return
    parts = sum(scores[g] for g in given)
    if len(given) == len(GROUPS):
        gap = abs(total - parts)
        if gap <= _EPS:
            return
        text = (f"Tổng điểm {fmt.points(total)} khác tổng sáu nhóm chỉ số "
                f"{' + '.join(fmt.points(scores[g]) for g in GROUPS)} = {fmt.points(round(parts, 10))}")
        if gap <= ROUNDING + _EPS:
            findings.warn(text + " (chênh lệch do làm tròn).", sheet, excel_row, labels[TOTAL])
        else:
            findings.error(text + f" (chênh {fmt.number(gap, 2, trim=True)} điểm, quá mức làm tròn "
                           f"{fmt.number(ROUNDING, 2)}).", sheet, excel_row, labels[TOTAL])
    elif total + ROUNDING + _EPS < parts:
        findings.error(f"Tổng điểm {fmt.points(total)} nhỏ hơn tổng các nhóm có trong bảng "
                       f"({fmt.points(round(parts, 10))}).", sheet, excel_row, labels[TOTAL])


def _check_duplicates(records: pd.DataFrame, columns: dict[str, dict[str, str]], findings: Findings) -> None:
    """The same unit and period twice in the file: an error on the second row, naming the first."""
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for record in records[records["period"] != ""].itertuples(index=False):
        key = (fold(record.unit), record.period)
        if key in seen:
            first_sheet, first_row = seen[key]
            where = f"dòng {first_row}" + (f" sheet “{first_sheet}”" if first_sheet != record.sheet else "")
            findings.error(f"Đơn vị “{record.unit}” có hai dòng điểm cho kỳ {fmt.period_label(record.period)}: "
                           f"đã có ở {where}.", record.sheet, int(record.row), columns[record.sheet].get(UNIT))
            continue
        seen[key] = (record.sheet, int(record.row))


def check_maxima(records: pd.DataFrame, columns: dict[str, dict[str, str]], maxima: dict[str, float]) -> Findings:
    """Errors for every group score above its maximum and every total above the sum of the maxima, located at the
    record's sheet, row and column. Pure: ingest redoes it with the store's current maxima."""
    findings = Findings()
    ceiling = sum(maxima[g] for g in GROUPS)
    limits = [*((g, maxima[g]) for g in GROUPS), (TOTAL, ceiling)]
    for record in records.itertuples(index=False):
        labels = columns.get(record.sheet, {})
        for role, limit in limits:
            value = getattr(record, role)
            if value is None or math.isnan(value) or value <= limit + _EPS:
                continue
            if role == TOTAL:
                if role not in labels:
                    continue  # derived from groups that are themselves refused
                message = (f"Tổng điểm {fmt.points(value)} vượt tổng điểm tối đa {fmt.points(ceiling)} của sáu nhóm "
                           "chỉ số.")
            else:
                message = (f"Điểm nhóm “{INDEX766_LABELS[role]}” là {fmt.points(value)}, vượt điểm tối đa "
                           f"{fmt.points(limit)} của nhóm.")
            findings.error(message, record.sheet, int(record.row), labels.get(role))
    return findings


def redo_maxima(findings: Findings, result: Index766Result, maxima: dict) -> tuple[Findings, Findings]:
    """(`findings` with the maxima findings of `result` replaced by those against `maxima`, the new maxima
    findings). `findings` holds result's findings (and maybe more: ingest adds the workbook's notices)."""
    old = {id(f) for f in result.maxima_findings.errors + result.maxima_findings.warnings}
    fresh = check_maxima(result.records, result.columns, validate_maxima(maxima))
    kept = Findings([f for f in findings.errors if id(f) not in old] + fresh.errors,
                    [f for f in findings.warnings if id(f) not in old] + fresh.warnings)
    return kept, fresh
