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
`python -m cchc.progress` writes the blank template and the illustrative 2019 reports into data/.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .findings import Findings, WorkbookRefused
from .registry import Registry, load_registry
from .text import FOOTER_LINE, NumberError, clean, criterion_code, fold, is_blank, is_numbering_row, parse_points
from .workbook import Sheet, Workbook, load_workbook
from .xlsx_style import BORDER, LEFT_TOP, GuideSheet, banner, cell_font, stable_bytes, write_header

if TYPE_CHECKING:  # pragma: no cover
    from .plan import Plan

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TEMPLATE_FILE = DATA_DIR / "mau_tien_do.xlsx"
ILLUSTRATIVE_FILE = DATA_DIR / "tien_do_2019_minh_hoa.xlsx"
SAMPLE_PLAN_FILE = DATA_DIR / "ke_hoach_75_2019.xlsx"

PROGRESS_SHEET = "Tiến độ"
GUIDE_SHEET = "Hướng dẫn"

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

# Header labels, folded, with parenthesised parts and asterisks removed. A label matches when it equals an alias
# or starts with the alias and a space ("Giá trị đạt được"); `_EXACT` aliases must match whole ("Kỳ", not "Ký tên").
_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("ma tieu chi", "ma so tieu chi", "ma tc"),
    "period": ("ky bao cao", "thoi ky bao cao", "thang bao cao"),
    "value": ("gia tri", "ket qua dat duoc", "ty le dat duoc"),
    "status": ("trang thai", "tinh trang thuc hien", "tinh trang"),
    "doc_number": ("so van ban", "so hieu van ban", "so bao cao", "van ban so"),
    "doc_date": ("ngay van ban", "ngay ban hanh", "ngay bao cao"),
    "agency": ("co quan bao cao", "don vi bao cao", "co quan thuc hien", "co quan", "don vi"),
    "note": ("ghi chu",),
}
_EXACT: dict[str, tuple[str, ...]] = {"period": ("ky", "thoi ky")}
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
        (rf"^(\d{{4}})\s*[-/.]\s*(\d{{1,2}})$", lambda m: (int(m[1]), int(m[2]))),
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

def _header_label(value: object) -> str:
    label = fold(value)
    label = re.sub(r"\([^)]*\)|\*", " ", label)
    return re.sub(r"\s+", " ", label).strip(" :.")


def _header_columns(row: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in enumerate(row):
        if not isinstance(value, str):  # header labels are text; skipping figures keeps the scan cheap
            continue
        label = _header_label(value)
        if not label:
            continue
        for key, aliases in _ALIASES.items():
            if key in found:
                continue
            if label in _EXACT.get(key, ()) or any(label == alias or label.startswith(alias + " ")
                                                   for alias in aliases):
                found[key] = col
                break
    return found


# Hardening (hostile files): the header is looked for in the first 150 columns only, as in stats.py. Scanning
# every column of 60 rows cost ~20 s of CPU for a 1,6 MB sheet 16.384 columns wide, in each detector.
HEADER_SCAN_COLUMNS = 150


def _find_header(sheet: Sheet, strict: bool) -> tuple[int, dict[str, int]] | None:
    """The header row of a progress table: "Mã tiêu chí" with "Giá trị" or "Trạng thái" (strict), or with any
    of "Kỳ báo cáo", "Giá trị", "Trạng thái" (so that a missing column can be named)."""
    wanted = ("value", "status") if strict else ("period", "value", "status")
    for r, row in enumerate(sheet.rows[:60]):
        columns = _header_columns(row[:HEADER_SCAN_COLUMNS])
        if "code" in columns and any(k in columns for k in wanted):
            return r, columns
    return None


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
    for sheet, (header_row, cols) in tables:
        header_text = [clean(v) for v in sheet.rows[header_row]]

        def column_name(key: str) -> str:
            col = cols.get(key)
            return (header_text[col] if col is not None and header_text[col] else PROGRESS_HEADERS[key])

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
        if workbook.unsaved_formulas.get(sheet.name):
            cells = ", ".join(workbook.unsaved_formulas[sheet.name][:10])
            more = "…" if len(workbook.unsaved_formulas[sheet.name]) > 10 else ""
            findings.error(f"Các ô có công thức nhưng chưa có giá trị đã lưu ({cells}{more}). Hãy mở tệp bằng "
                           "Excel, bấm Lưu rồi tải lên lại.", sheet.name)
            continue

        def cell(row: list, key: str):
            col = cols.get(key)
            return row[col] if col is not None and col < len(row) else None

        for r in range(header_row + 1, len(sheet.rows)):
            row = sheet.rows[r]
            excel_row = r + 1
            if all(is_blank(v) for v in row):
                continue
            first_text = fold(next((clean(v) for v in row if not is_blank(v)), ""))
            if FOOTER_LINE.match(first_text):
                break
            if is_numbering_row(row):
                continue
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
    return ProgressResult(records.reset_index(drop=True), findings)


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


# ---------------------------------------------------------------------------------------------------------------
# Writing: the template and the illustrative reports
# ---------------------------------------------------------------------------------------------------------------

_WIDTHS = {"code": 12, "period": 15, "value": 10, "status": 17, "doc_number": 16, "doc_date": 14, "agency": 30,
           "note": 50}
_TEXT_COLUMNS = ("code", "period", "doc_number")  # typed as text, so Excel never turns 1.2 into a number


def _write_header(ws, row: int) -> None:
    write_header(ws, row, list(PROGRESS_HEADERS.values()), [_WIDTHS[key] for key in PROGRESS_HEADERS], 30,
                 freeze_column=1)
    for col, key in enumerate(PROGRESS_HEADERS, start=1):
        if key in _TEXT_COLUMNS:
            ws.column_dimensions[get_column_letter(col)].number_format = "@"


def _status_validation(ws, first_row: int, last_row: int = 1000) -> None:
    letter = get_column_letter(list(PROGRESS_HEADERS).index("status") + 1)
    validation = DataValidation(type="list", formula1='"' + ",".join(PROGRESS_STATUSES.values()) + '"',
                                allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                errorTitle="Trạng thái", error="Nên chọn: Hoàn thành, Đang thực hiện hoặc "
                                                             "Chưa thực hiện.")
    validation.add(f"{letter}{first_row}:{letter}{last_row}")
    ws.add_data_validation(validation)


_GUIDE_COLUMNS = [
    ("Mã tiêu chí", "Bắt buộc", "Mã tiêu chí hoặc tiêu chí thành phần trong kế hoạch, ví dụ 1.2, 6.1.2. Cột được "
     "định dạng văn bản để Excel không đổi 3.10 thành 3.1.", "6.1.2"),
    ("Kỳ báo cáo", "Bắt buộc", "Kỳ mà số liệu phản ánh (xem các dạng được chấp nhận bên dưới).", "Quý II/2019"),
    ("Giá trị", "Ghi Giá trị hoặc Trạng thái (hoặc cả hai)",
     "Kết quả đạt được của tiêu chí có chỉ tiêu tỷ lệ: 85%, 0,85 và 85 đều là 85%; số lớn hơn 1 được hiểu là phần "
     "trăm. Không âm, không quá 100%. Tiêu chí không có chỉ tiêu tỷ lệ: giá trị được giữ nguyên như đã ghi.",
     "78%"),
    ("Trạng thái", "Ghi Giá trị hoặc Trạng thái (hoặc cả hai)",
     "Tình hình thực hiện nhiệm vụ: Hoàn thành (hoặc Đã hoàn thành, Đạt), Đang thực hiện, Chưa thực hiện (hoặc "
     "Chưa hoàn thành, Không đạt).", "Đang thực hiện"),
    ("Số văn bản", "Không bắt buộc", "Số hiệu văn bản làm căn cứ (báo cáo, kế hoạch, quyết định…).", "45/BC-UBND"),
    ("Ngày văn bản", "Không bắt buộc", "Ngày ban hành văn bản, ghi dạng ngày/tháng/năm.", "15/6/2019"),
    ("Cơ quan báo cáo", "Không bắt buộc", "Cơ quan, đơn vị gửi báo cáo, đúng tên trong danh mục đơn vị; tên lạ "
     "được giữ nguyên kèm cảnh báo.", "Phòng Tài chính-Kế hoạch"),
    ("Ghi chú", "Không bắt buộc", "Giải thích thêm: nguyên nhân chậm, việc còn lại…", "Còn 2 dự án chưa giải ngân"),
]

_GUIDE_PERIODS = [
    ("2019-06 hoặc 06/2019", "Tháng 6 năm 2019"),
    ("Tháng 6/2019, tháng 6 năm 2019", "Tháng 6 năm 2019"),
    ("Quý II/2019 (Quý I … Quý IV)", "Tháng cuối quý: 2019-06"),
    ("6 tháng 2019, 6 tháng đầu năm 2019", "2019-06"),
    ("9 tháng 2019", "2019-09"),
    ("Năm 2019, 6 tháng cuối năm 2019", "2019-12"),
    ("Một ô kiểu ngày (30/6/2019)", "Tháng của ngày đó: 2019-06"),
]


def _guide_sheet(wb: OpenpyxlWorkbook) -> None:
    guide = GuideSheet(wb, (22, 24, 70, 22), GUIDE_SHEET)
    guide.merged("HƯỚNG DẪN GHI BÁO CÁO TIẾN ĐỘ THỰC HIỆN CÁC TIÊU CHÍ", cell_font(14, bold=True), 24)
    guide.skip()
    guide.merged("Báo cáo tiến độ dùng cho các tiêu chí không đo được bằng số liệu thống kê hồ sơ TTHC (báo cáo "
                 "định kỳ, giải ngân, đào tạo, dự toán…). Mỗi dòng là một tiêu chí trong một kỳ báo cáo; mỗi tiêu "
                 "chí chỉ ghi một dòng cho mỗi kỳ. Ghi số liệu ở sheet “Tiến độ”, bắt đầu từ dòng 2; không đổi tên "
                 "các cột.", cell_font(12), 50)
    guide.skip()
    guide.heading("1. Các cột")
    guide.table(("Cột", "Bắt buộc", "Ý nghĩa", "Ví dụ"), _GUIDE_COLUMNS)
    guide.skip()
    guide.heading("2. Các cách ghi kỳ báo cáo")
    guide.table(("Cách ghi", "Được hiểu là"), _GUIDE_PERIODS)
    guide.skip()
    guide.heading("3. Giá trị hay Trạng thái?")
    guide.merged("• Tiêu chí có chỉ tiêu tỷ lệ (ví dụ 6.1.2 “giải ngân từ 90% trở lên”): ghi Giá trị đạt được đến "
                 "kỳ báo cáo (78%); có thể ghi thêm Trạng thái.", cell_font(12), 34)
    guide.merged("• Tiêu chí là nhiệm vụ hoặc thời hạn (ví dụ 1.2 “báo cáo định kỳ đúng thời gian”, 6.4 “dự toán "
                 "đúng thời gian”): ghi Trạng thái.", cell_font(12), 34)
    guide.merged("• Dòng thiếu cả Giá trị và Trạng thái, mã tiêu chí không có trong kế hoạch, kỳ báo cáo sai dạng, "
                 "giá trị âm hoặc quá 100%, hay một tiêu chí ghi hai lần trong cùng kỳ sẽ làm tệp bị từ chối; thông "
                 "báo lỗi nêu rõ sheet, dòng và cột cần sửa.", cell_font(12), 50)
    guide.merged("• Ô có công thức phải được lưu bằng Excel trước khi tải lên (để tệp có giá trị đã tính).",
                 cell_font(12))
    guide.finish()


def build_progress_template() -> bytes:
    """The blank progress-report workbook: sheet "Tiến độ" (headers only) and sheet "Hướng dẫn"."""
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = PROGRESS_SHEET
    _write_header(ws, 1)
    _status_validation(ws, 2)
    _guide_sheet(wb)
    return stable_bytes(wb)


# The illustrative story, per criterion: (Quý II, Quý IV), each (value, status, note). Values are fractions.
_ILLUSTRATIVE: dict[str, tuple[tuple[float | None, str, str], tuple[float | None, str, str]]] = {
    "1.2": ((None, "done", "Đã gửi báo cáo CCHC Quý I và 6 tháng đúng thời gian quy định."),
            (None, "done", "Đã gửi báo cáo Quý III; báo cáo năm gửi Sở Nội vụ trước ngày 15/12.")),
    "1.4.2": ((None, "in_progress", "Đã tổ chức 01 hội nghị tuyên truyền; đang chuẩn bị cuộc thi tìm hiểu CCHC."),
              (None, "done", "Tổ chức cuộc thi tìm hiểu CCHC và 02 hội nghị tuyên truyền tại xã.")),
    "3.1.1": ((None, "done", "Kế hoạch rà soát, đánh giá TTHC năm 2019 đã ban hành."),
              (None, "done", "")),
    "3.1.2": ((0.50, "in_progress", "Đã rà soát 6/12 TTHC theo kế hoạch."),
              (1.00, "done", "Hoàn thành rà soát 12/12 TTHC.")),
    "3.1.3": ((0.60, "in_progress", "Đã xử lý 3/5 vấn đề phát hiện qua rà soát."),
              (0.80, "in_progress", "Còn 01 kiến nghị đơn giản hóa TTHC chờ tỉnh xem xét.")),
    "3.2.4": ((0.85, "in_progress", "02 xã chưa cập nhật đầy đủ kết quả giải quyết lên Trang TTĐT."),
              (1.00, "done", "")),
    "3.5.2": ((0.92, "in_progress", "Còn một số TTHC cấp xã chưa đưa vào phần mềm Một cửa điện tử."),
              (1.00, "done", "")),
    "5.1.2": ((0.60, "in_progress", "6/10 đơn vị hoàn thiện bản mô tả công việc và khung năng lực."),
              (0.90, "done", "9/10 đơn vị hoàn thiện; bố trí viên chức theo vị trí việc làm.")),
    "5.2": ((1.00, "done", "Bổ nhiệm 03 lãnh đạo cấp phòng đúng quy định."),
            (1.00, "done", "")),
    "5.5": ((0.45, "in_progress", "Đã mở 4/9 lớp bồi dưỡng theo kế hoạch."),
            (0.89, "not_done", "01 lớp bồi dưỡng chuyển sang năm 2020 do chưa bố trí kinh phí.")),
    "5.6.1": ((0.90, "in_progress", "Còn 9 cán bộ cấp xã chưa đạt chuẩn trình độ chuyên môn."),
              (0.94, "not_done", "Còn 5 cán bộ cấp xã đang học để đạt chuẩn.")),
    "6.1.1": ((0.70, "in_progress", "Đã thực hiện 7/10 kiến nghị sau thanh tra, kiểm toán."),
              (1.00, "done", "")),
    "6.1.2": ((0.78, "in_progress", "Giải ngân chậm ở 02 dự án giao thông do vướng giải phóng mặt bằng."),
              (0.93, "done", "Ước giải ngân đến 31/12/2019 so với kế hoạch được giao.")),
    "6.4": ((None, "in_progress", "Đang hướng dẫn các đơn vị xây dựng dự toán ngân sách năm 2020."),
            (None, "done", "Dự toán ngân sách năm 2020 trình HĐND huyện đúng thời gian quy định.")),
    "6.8.1": ((None, "not_done", "Chưa có đơn vị đủ điều kiện tự đảm bảo chi thường xuyên."),
              (None, "not_done", "Chưa có thêm đơn vị sự nghiệp công lập tự đảm bảo chi thường xuyên.")),
    "6.8.2": ((None, "in_progress", "Đang thẩm định phương án tự chủ của 02 đơn vị."),
              (None, "done", "Thêm 01 đơn vị tự đảm bảo một phần chi thường xuyên.")),
    "6.8.4": ((0.06, "in_progress", "Giảm chi trực tiếp so với năm 2015 (ước tính 6 tháng)."),
              (0.11, "done", "")),
    "7.1.1": ((0.88, "in_progress", "Một số xã còn gửi văn bản giấy song song."),
              (0.97, "in_progress", "02 xã chưa ký số đầy đủ văn bản đi.")),
    "7.2.1": ((0.42, "in_progress", "Tỷ lệ TTHC mức độ 3, 4 có phát sinh hồ sơ."),
              (0.64, "done", "")),
    "7.3.1": ((0.15, "in_progress", "Phối hợp Bưu điện huyện tuyên truyền tại các xã."),
              (0.24, "done", "")),
    "7.4.4": ((None, "done", "Cập nhật quy trình ISO cho 8 TTHC mới công bố trong 45 ngày."),
              (None, "done", "Cập nhật quy trình ISO cho 12 TTHC mới công bố trong 45 ngày.")),
}

# Each lead agency sends one report a period that covers all its criteria: (Quý II, Quý IV) number and date.
# 1.2 (periodic reporting) is evidenced by the district's own CCHC reports.
_AGENCY_REPORTS: dict[str, tuple[tuple[str, dt.date], tuple[str, dt.date]]] = {
    "Phòng Nội vụ": (("18/BC-NV", dt.date(2019, 6, 12)), ("61/BC-NV", dt.date(2019, 12, 11))),
    "Phòng Tài nguyên và Môi trường": (("22/BC-TNMT", dt.date(2019, 6, 14)), ("70/BC-TNMT", dt.date(2019, 12, 13))),
    "Văn phòng HĐND-UBND huyện": (("34/BC-VP", dt.date(2019, 6, 13)), ("118/BC-VP", dt.date(2019, 12, 12))),
    "Phòng Tài chính-Kế hoạch": (("53/BC-TCKH", dt.date(2019, 6, 17)), ("141/BC-TCKH", dt.date(2019, 12, 16))),
    "Phòng Văn hóa-Thông tin": (("15/BC-VHTT", dt.date(2019, 6, 14)), ("47/BC-VHTT", dt.date(2019, 12, 13))),
}
_CRITERION_REPORTS = {"1.2": (("45/BC-UBND", dt.date(2019, 6, 14)), ("212/BC-UBND", dt.date(2019, 12, 12)))}
_PERIODS = (("Quý II/2019", "2019-06"), ("Quý IV/2019", "2019-12"))


def illustrative_rows(plan: "Plan") -> list[dict]:
    """The illustrative 2019 progress rows for the plan's criteria that the statistics do not measure."""
    rows: list[dict] = []
    for index, (period_text, period) in enumerate(_PERIODS):
        for criterion in plan.criteria:
            if criterion.target is not None and criterion.target.metric in (
                    STATS_MEASURED_METRICS | PROCEDURE_MEASURED_METRICS):
                continue
            story = _ILLUSTRATIVE.get(criterion.code)
            if story is None:
                continue
            value, status, note = story[index]
            agency = criterion.lead[0] if criterion.lead else ""
            reports = _CRITERION_REPORTS.get(criterion.code) or _AGENCY_REPORTS.get(agency)
            number, date = reports[index] if reports else ("", None)
            rows.append({"code": criterion.code, "period_text": period_text, "period": period, "value": value,
                         "status": status, "doc_number": number, "doc_date": date, "agency": agency, "note": note})
    return rows


def build_illustrative_progress(plan: "Plan | None" = None) -> bytes:
    """data/tien_do_2019_minh_hoa.xlsx: ILLUSTRATIVE Quý II and Quý IV 2019 reports (not real figures)."""
    if plan is None:
        from .plan import read_plan

        result = read_plan(SAMPLE_PLAN_FILE.read_bytes(), SAMPLE_PLAN_FILE.name)
        if result.plan is None:
            raise RuntimeError("; ".join(f.located() for f in result.findings.errors))
        plan = result.plan
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = PROGRESS_SHEET
    banner(ws, "DỮ LIỆU MINH HỌA – không phải số liệu thật. Báo cáo tiến độ thực hiện Kế hoạch 75/KH-UBND năm "
               "2019 (Quý II và Quý IV)", len(PROGRESS_HEADERS))
    header_row = 3
    _write_header(ws, header_row)
    keys = list(PROGRESS_HEADERS)
    for r, item in enumerate(illustrative_rows(plan), start=header_row + 1):
        values = {"code": item["code"], "period": item["period_text"], "value": item["value"],
                  "status": PROGRESS_STATUSES[item["status"]] if item["status"] else None,
                  "doc_number": item["doc_number"], "doc_date": item["doc_date"], "agency": item["agency"],
                  "note": item["note"] or None}
        for c, key in enumerate(keys, start=1):
            cell = ws.cell(row=r, column=c, value=values[key])
            cell.font, cell.border = cell_font(12), BORDER
            cell.alignment = LEFT_TOP if key in ("agency", "note") else Alignment(horizontal="center",
                                                                                   vertical="top")
            if key == "value" and values[key] is not None:
                cell.number_format = "0%"
            elif key == "doc_date":
                cell.number_format = "dd/mm/yyyy"
            elif key in _TEXT_COLUMNS:
                cell.number_format = "@"
    return stable_bytes(wb)


def write_files(directory: Path | str = DATA_DIR) -> list[Path]:
    directory = Path(directory)
    written = []
    for name, data in ((TEMPLATE_FILE.name, build_progress_template()),
                       (ILLUSTRATIVE_FILE.name, build_illustrative_progress())):
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_files():
        print(f"wrote {written_path}")
