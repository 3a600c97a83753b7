"""Read the third kind of workbook: progress reports on the criteria that no statistics measure.

One row per criterion and reporting period. Columns are found by their header labels (any sheet, any row, with or
without diacritics):

| Column | Required | Read as |
|---|---|---|
| Mã tiêu chí | yes | text, even where Excel made it a number (1.2 → "1.2") |
| Kỳ báo cáo | yes | "YYYY-MM": "2019-06", "06/2019", "Tháng 6/2019", "Quý II/2019" (→ 2019-06), "6 tháng 2019" |
|  |  | (→ 2019-06), "Năm 2019" (→ 2019-12), or a date cell |
| Giá trị | one of the two | a fraction: "85%", "0,85" and 85 all give 0.85 (numbers above 1 are percents) |
| Trạng thái | one of the two | done / in_progress / not_done (`PROGRESS_STATUSES`) |
| Số văn bản, Ngày văn bản | no | the evidence: document number and date (ISO) |
| Cơ quan báo cáo | no | resolved with the agency registry (unknown names: a warning) |
| Ghi chú | no | text |

A criterion whose target is not a percentage (with a plan given) keeps its value as typed, with a warning.
The template and the illustrative 2019 reports are written by `python -m cchc.sample.progress`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..findings import Findings, WorkbookRefused
from ..registry import Registry, load_registry
from .grid import Sheet, Workbook, load_workbook
from .table import (
    Header,
    data_rows,
    find_header,
    header_texts,
    load_vocabulary,
    warn_unmapped,
)
from .text import (
    NumberError,
    clean,
    column_letter,
    criterion_code,
    fold,
    is_blank,
    parse_points,
)

if TYPE_CHECKING:  # pragma: no cover
    from .plan import Plan


PROGRESS_SHEET = "Tiến độ"

PROGRESS_STATUSES: dict[str, str] = {"done": "Hoàn thành", "in_progress": "Đang thực hiện",
                                     "not_done": "Chưa thực hiện"}

# Record columns, in order; `value` is a float (NaN when blank), `status` a PROGRESS_STATUSES key or "".
RECORD_COLUMNS: tuple[str, ...] = ("code", "period", "value", "status", "doc_number", "doc_date", "note", "agency",
                                   "sheet", "row")

# The headers the template writes, in its column order.
PROGRESS_HEADERS: dict[str, str] = {
    "code": "Mã tiêu chí",
    "period": "Kỳ báo cáo",
    "value": "Giá trị",
    "status": "Trạng thái",
    "doc_number": "Số văn bản",
    "doc_date": "Ngày văn bản",
    "agency": "Cơ quan báo cáo",
    "note": "Ghi chú",
}

# Metrics the monthly statistics measure; progress reports cover the other criteria.
STATS_MEASURED_METRICS = frozenset({"on_time_rate", "apology_rate", "online_l3_share", "online_l4_share",
                                    "bcci_intake_share", "bcci_return_share"})
# Metrics the shipped illustrative procedure sheet measures; the illustrative reports leave them to it.
PROCEDURE_MEASURED_METRICS = frozenset({"online_procedures_used", "bcci_procedures_used", "one_stop_coverage",
                                        "publication_rate"})

NO_DATA_ROWS = "Tệp không có dòng số liệu nào."


# Header vocabulary: vocabularies/progress.toml.
VOCABULARY = load_vocabulary("progress")
_DATA_KEYS = ("code", "period", "value", "status", "doc_number", "doc_date")
_CRITERION_CODE = re.compile(r"^[1-9]\d?(\.\d+)+$")
_EPS = 1e-9

_STATUS_WORDS: dict[str, str] = {}
for _key, _words in {
    "done": ("hoan thanh", "da hoan thanh", "dat", "da dat", "xong", "da xong", "done"),
    "in_progress": ("dang thuc hien", "dang trien khai", "dang lam", "in_progress", "in progress"),
    "not_done": ("chua thuc hien", "chua hoan thanh", "khong dat", "chua dat", "khong hoan thanh",
                 "chua trien khai", "not_done", "not done"),
}.items():
    for _word in _words:
        _STATUS_WORDS[_word] = _key
ACCEPTED_STATUS_TEXT = ("“Hoàn thành”, “Đã hoàn thành”, “Đạt”, “Đang thực hiện”, “Chưa thực hiện”, "
                        "“Chưa hoàn thành”, “Không đạt”")
PERIOD_EXAMPLES = "“2019-06”, “06/2019”, “Tháng 6/2019”, “Quý II/2019”, “6 tháng 2019”, “Năm 2019”"


@dataclass
class ProgressResult:
    records: pd.DataFrame
    findings: Findings = field(default_factory=Findings)
    # sheet → (letter, header as typed) of its "Cơ quan báo cáo" column, for messages about a row's agency (rights)
    agency_columns: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.findings.ok


def empty_records() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in RECORD_COLUMNS})
    frame["value"] = frame["value"].astype(float)
    frame["row"] = frame["row"].astype(int)
    return frame


# ---------------------------------------------------------------------------------------------------------------
# Cell parsers (each raises ValueError with a Vietnamese message)
# ---------------------------------------------------------------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_SEP = r"\s*(?:[-/.]|\s+nam\s+|\s)\s*"


def _period(year: int, month: int, original: object) -> str:
    if not (1 <= month <= 12 and 1990 <= year <= 2100):
        raise ValueError(f"Kỳ báo cáo “{clean(original)}” không hợp lệ (tháng {month}, năm {year}).")
    return f"{year:04d}-{month:02d}"


def parse_period(value: object) -> str:
    """A reporting period as "YYYY-MM" (see the module docstring for the forms accepted)."""
    if isinstance(value, (dt.datetime, dt.date)):
        return _period(value.year, value.month, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1990 <= value <= 2100:
            return _period(int(value), 12, value)  # a bare year: the year's report
        raise ValueError(f"Kỳ báo cáo “{clean(value)}” không đúng dạng; ghi ví dụ {PERIOD_EXAMPLES}.")
    text = fold(value).replace("–", "-").strip(" .")
    patterns = (
        (r"^(\d{4})\s*[-/.]\s*(\d{1,2})$", lambda m: (int(m[1]), int(m[2]))),
        (rf"^(?:thang|t)?\s*(\d{{1,2}}){_SEP}(\d{{4}})$", lambda m: (int(m[2]), int(m[1]))),
        (rf"^quy\s*(iv|iii|ii|i|[1-4]){_SEP}(\d{{4}})$", lambda m: (int(m[2]), _ROMAN[m[1]] * 3)),
        (rf"^(?:6|sau) thang cuoi(?: nam)?{_SEP}(\d{{4}})$", lambda m: (int(m[1]), 12)),
        (rf"^(?:6|sau) thang(?: dau)?(?: nam)?{_SEP}(\d{{4}})$", lambda m: (int(m[1]), 6)),
        (rf"^(?:9|chin) thang(?: dau)?(?: nam)?{_SEP}(\d{{4}})$", lambda m: (int(m[1]), 9)),
        (r"^(?:ca |bao cao )?nam\s+(\d{4})$|^(\d{4})$", lambda m: (int(m[1] or m[2]), 12)),
        (r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$", lambda m: (int(m[3]), int(m[2]))),
        (r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$", lambda m: (int(m[1]), int(m[2]))),
    )
    for pattern, pick in patterns:
        match = re.match(pattern, text)
        if match:
            year, month = pick(match)
            return _period(year, month, value)
    raise ValueError(f"Kỳ báo cáo “{clean(value)}” không đúng dạng; ghi ví dụ {PERIOD_EXAMPLES}.")


def parse_status(value: object) -> str:
    """"Hoàn thành" → "done", "Đang thực hiện" → "in_progress", "Chưa thực hiện" → "not_done"."""
    key = _STATUS_WORDS.get(fold(value).strip(" .;!"))
    if key is None:
        raise ValueError(f"Trạng thái “{clean(value)}” không hợp lệ; ghi một trong: {ACCEPTED_STATUS_TEXT}.")
    return key


def parse_value(value: object, percent: bool = True) -> float | None:
    """A reported value. As a percentage (`percent`): "85%", "0,85" and 85 all give 0.85 (numbers above 1 are
    percents) and it must lie in [0, 100%]. Otherwise the number as typed ("85%" still gives 0.85). Blank: None."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"“{clean(value)}” không phải là số.")
    percent_sign = False
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = clean(value).replace(" ", "").replace("\u00a0", "")
        percent_sign = text.endswith("%")
        try:
            number = parse_points(text.rstrip("%"))
        except NumberError:
            raise ValueError(f"“{clean(value)}” không phải là số (ví dụ 85%, 0,85 hoặc 85).") from None
        if number is None:
            raise ValueError(f"“{clean(value)}” không phải là số (ví dụ 85%, 0,85 hoặc 85).")
    if not math.isfinite(number):
        raise ValueError(f"“{clean(value)}” không phải là số.")
    if number < 0:
        raise ValueError(f"Giá trị không được âm ({clean(value)}).")
    if percent_sign or (percent and number > 1 + _EPS):
        number = number / 100
    if percent and number > 1 + _EPS:
        raise ValueError(f"Giá trị {clean(value)} vượt quá 100%.")
    return round(number, 10)


_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_doc_date(value: object) -> str:
    """A document date as ISO "YYYY-MM-DD"; "" when blank. Raises ValueError when unreadable."""
    if is_blank(value):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel date serial without a date format
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        raise ValueError(f"Ngày văn bản “{clean(value)}” không đọc được.")
    text = fold(value)
    for pattern, order in ((r"^(?:ngay\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$", "dmy"),
                           (r"^ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$", "dmy"),
                           (r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t][\d:]+)?$", "ymd")):
        match = re.match(pattern, text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            day, month, year = (a, b, c) if order == "dmy" else (c, b, a)
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                break
    raise ValueError(f"Ngày văn bản “{clean(value)}” không đọc được (ghi dạng 15/6/2019).")


code_text = criterion_code  # the reader's name for it; one definition in text.py


# ---------------------------------------------------------------------------------------------------------------
# Finding the table
# ---------------------------------------------------------------------------------------------------------------

def _find_header(sheet: Sheet, strict: bool) -> Header | None:
    """The header row of a progress table: "Mã tiêu chí" with "Giá trị" or "Trạng thái" (strict), or with any
    of "Kỳ báo cáo", "Giá trị", "Trạng thái" (so that a missing column can be named)."""
    return find_header(sheet, VOCABULARY, strict=strict)


def detect_progress_table(workbook: Workbook) -> bool:
    """True when a sheet has a "Mã tiêu chí" header with "Giá trị" or "Trạng thái" beside it."""
    return any(_find_header(sheet, strict=True) for sheet in workbook.sheets)


# ---------------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------------

def read_progress_workbook(workbook: Workbook, plan: "Plan | None" = None,
                           registry: Registry | None = None) -> ProgressResult:
    """Read every progress table in the workbook. Records are returned only when there are no errors."""
    registry = registry or load_registry()
    findings = Findings()
    tables = [(sheet, header) for sheet in workbook.sheets if (header := _find_header(sheet, strict=False))]
    if not tables:
        findings.error("Không tìm thấy bảng tiến độ: cần một dòng tiêu đề có các cột “Mã tiêu chí”, “Kỳ báo cáo” "
                       "và “Giá trị” hoặc “Trạng thái”. Hãy dùng tệp mẫu báo cáo tiến độ.")
        return ProgressResult(empty_records(), findings)
    criteria = {c.code: c for c in plan.criteria} if plan is not None else None

    rows_out: list[dict] = []
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    agency_columns: dict[str, tuple[str, str]] = {}
    for sheet, header in tables:
        header_row, cols = header.top, header.roles
        header_text = header_texts(sheet, header)
        warn_unmapped(findings, sheet, header)

        def column_name(key: str) -> str:
            col = cols.get(key)
            return (header_text[col] if col is not None and header_text[col] else PROGRESS_HEADERS[key])

        if "agency" in cols:
            agency_columns[sheet.name] = (column_letter(cols["agency"]), column_name("agency"))
        missing = False
        if "period" not in cols:
            findings.error(f"Thiếu cột “{PROGRESS_HEADERS['period']}”.", sheet.name, header_row + 1)
            missing = True
        if "value" not in cols and "status" not in cols:
            findings.error(f"Thiếu cột “{PROGRESS_HEADERS['value']}” hoặc “{PROGRESS_HEADERS['status']}”: "
                           "mỗi dòng cần ghi giá trị đạt được hoặc trạng thái thực hiện.", sheet.name, header_row + 1)
            missing = True
        if missing:
            continue
        if unsaved := workbook.unsaved_formulas_message(sheet.name):
            findings.error(unsaved, sheet.name)
            continue
        cell = header.cell

        for excel_row, row, _first in data_rows(sheet, header):
            if all(is_blank(cell(row, k)) for k in _DATA_KEYS):
                findings.warn("Dòng không có mã tiêu chí, kỳ báo cáo, giá trị hay trạng thái: bỏ qua.",
                              sheet.name, excel_row)
                continue
            record = _read_row(row, cell, column_name, set(cols), criteria, registry, findings, sheet.name,
                               excel_row)
            if record is None:
                continue
            key = (record["code"], record["period"])
            if key in seen:
                first_sheet, first_row = seen[key]
                where = f"dòng {first_row}" + (f" sheet “{first_sheet}”" if first_sheet != sheet.name else "")
                findings.error(f"Tiêu chí {record['code']} kỳ {record['period']} đã có ở {where}: mỗi tiêu chí "
                               "chỉ báo cáo một dòng cho mỗi kỳ.", sheet.name, excel_row, column_name("code"))
                continue
            seen[key] = (sheet.name, excel_row)
            rows_out.append(record)

    if not rows_out and findings.ok:
        first_sheet = tables[0][0].name
        findings.warn(NO_DATA_ROWS, first_sheet)
    if not findings.ok:
        return ProgressResult(empty_records(), findings)
    records = pd.DataFrame(rows_out, columns=list(RECORD_COLUMNS)) if rows_out else empty_records()
    records["value"] = records["value"].astype(float)
    records["row"] = records["row"].astype(int)
    return ProgressResult(records.reset_index(drop=True), findings, agency_columns)


def _read_row(row, cell, column_name, present: set[str], criteria, registry: Registry, findings: Findings,
              sheet: str, excel_row: int) -> dict | None:
    """One data row as a record, or None after reporting its errors."""
    errors_before = len(findings.errors)

    def error(message: str, key: str) -> None:
        findings.error(message, sheet, excel_row, column_name(key))

    code = code_text(cell(row, "code"))
    criterion = None
    if not code:
        error("Thiếu mã tiêu chí.", "code")
    elif not _CRITERION_CODE.match(code):
        error(f"Mã tiêu chí “{clean(cell(row, 'code'))}” không đúng dạng (ví dụ “1.2”, “6.1.2”).", "code")
    elif criteria is not None:
        criterion = criteria.get(code)
        if criterion is None:
            error(f"Tiêu chí “{code}” không có trong kế hoạch.", "code")

    period = ""
    if is_blank(cell(row, "period")):
        error("Thiếu kỳ báo cáo.", "period")
    else:
        try:
            period = parse_period(cell(row, "period"))
        except ValueError as exc:
            error(str(exc), "period")

    percent = criterion is None or criterion.target is not None
    value = None
    try:
        value = parse_value(cell(row, "value"), percent=percent)
    except ValueError as exc:
        error(str(exc), "value")

    status = ""
    if not is_blank(cell(row, "status")):
        try:
            status = parse_status(cell(row, "status"))
        except ValueError as exc:
            error(str(exc), "status")

    if is_blank(cell(row, "value")) and is_blank(cell(row, "status")):
        key = "value" if "value" in present else "status"
        findings.error(f"Dòng cần ghi “{PROGRESS_HEADERS['value']}” hoặc “{PROGRESS_HEADERS['status']}”.",
                       sheet, excel_row, column_name(key))

    doc_date = ""
    try:
        doc_date = parse_doc_date(cell(row, "doc_date"))
    except ValueError as exc:
        findings.warn(f"{exc} Ngày văn bản được bỏ trống.", sheet, excel_row, column_name("doc_date"))

    agency = clean(cell(row, "agency"))
    if agency:
        found = registry.lookup(agency)
        if found is None:
            findings.warn(f"Cơ quan “{agency}” không có trong danh mục đơn vị; tên được giữ như đã ghi.",
                          sheet, excel_row, column_name("agency"))
        else:
            agency = found.name

    if len(findings.errors) > errors_before:
        return None
    if value is not None and criterion is not None and criterion.target is None:
        findings.warn(f"Tiêu chí {code} không có chỉ tiêu tỷ lệ (%); giá trị {clean(cell(row, 'value'))} được giữ "
                      "nguyên như đã ghi, không đọc là phần trăm.", sheet, excel_row, column_name("value"))
    return {"code": code, "period": period, "value": math.nan if value is None else value, "status": status,
            "doc_number": clean(cell(row, "doc_number")), "doc_date": doc_date, "note": clean(cell(row, "note")),
            "agency": agency, "sheet": sheet, "row": excel_row}


def read_progress(data: bytes, filename: str = "", plan: "Plan | None" = None,
                  registry: Registry | None = None) -> ProgressResult:
    """Read a progress workbook from bytes. Unreadable files give a result with the error, never an exception."""
    try:
        workbook = load_workbook(data, filename)
    except WorkbookRefused as refused:
        return ProgressResult(empty_records(), refused.findings)
    return read_progress_workbook(workbook, plan, registry)
