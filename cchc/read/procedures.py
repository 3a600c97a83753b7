"""Read the fourth kind of workbook: counts of administrative procedures (TTHC, not dossiers) per unit and year.

Criteria 7.2.1, 7.3.1, 3.5.2 and 3.2.4 are measured on procedures: how many of a unit's procedures are handled in
the one-stop software, offered online or through the public postal service (BCCI), used that way at least once,
and published. One row per unit and year. Columns are found by their header labels (any sheet, any row, any order,
with or without diacritics; "thủ tục hành chính" may stand for "TTHC", "dịch vụ bưu chính công ích" for "BCCI"):

| Field | Header (examples) | Required |
|---|---|---|
| unit | Đơn vị, Tên đơn vị, Cơ quan, đơn vị | yes (resolved with the registry; unknown: warning) |
| year | Năm, Năm báo cáo | yes (2000–2100) |
| procedures_total | Tổng số TTHC, Số TTHC thuộc thẩm quyền | yes |
| procedures_one_stop | TTHC xử lý trên phần mềm Một cửa điện tử, Đưa vào phần mềm một cửa | no |
| procedures_online_offered | TTHC cung cấp trực tuyến mức độ 3, 4 / (toàn trình, một phần) | no (else: its splits) |
| procedures_online_l3_offered, _l4_ | Mức độ 3, Mức độ 4 (TTHC trực tuyến mức độ 3) | no |
| procedures_online_full_offered, _partial_ | Toàn trình, Một phần | no |
| procedures_online_used | TTHC trực tuyến có phát sinh hồ sơ, Có phát sinh hồ sơ trực tuyến | no |
| procedures_bcci_offered | TTHC cung cấp qua dịch vụ BCCI, TTHC triển khai qua bưu chính công ích | no |
| procedures_bcci_used | TTHC có phát sinh hồ sơ qua BCCI | no |
| procedures_published | TTHC công khai tiến độ, kết quả giải quyết, Công khai | no |

Absent optional columns read as 0; `ProceduresResult.present_fields` says which columns the file had. Headers
about dossiers ("Tổng số hồ sơ tiếp nhận", "Số hồ sơ TTHC") are never procedure columns. Rates are computed from
counts summed over units (`procedure_totals`, `procedure_rates`), never averaged.
The header vocabulary (labels, their normalisation, when a row is the header) is data: vocabularies/procedures.toml.
`python -m cchc.sample.procedures` writes the blank template and the illustrative 2019 figures into data/.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..findings import Findings, WorkbookRefused
from ..registry import Agency, Registry, load_registry
from . import table
from .grid import Sheet, Workbook, load_workbook
from .text import NumberError, clean, fold, is_blank, parse_count

PROCEDURES_SHEET = "Số liệu TTHC"

from ..fields import PROCEDURE_FIELDS  # noqa: E402  (one list, shared with storage)

# The Vietnamese labels users see; also the headers the template writes.
PROCEDURE_LABELS: dict[str, str] = {
    "procedures_total": "Tổng số TTHC",
    "procedures_one_stop": "TTHC xử lý trên phần mềm Một cửa điện tử",
    "procedures_online_offered": "TTHC cung cấp trực tuyến mức độ 3, 4",
    "procedures_online_l3_offered": "TTHC trực tuyến mức độ 3",
    "procedures_online_l4_offered": "TTHC trực tuyến mức độ 4",
    "procedures_online_full_offered": "TTHC trực tuyến toàn trình",
    "procedures_online_partial_offered": "TTHC trực tuyến một phần",
    "procedures_online_used": "TTHC trực tuyến có phát sinh hồ sơ",
    "procedures_bcci_offered": "TTHC cung cấp qua dịch vụ BCCI",
    "procedures_bcci_used": "TTHC có phát sinh hồ sơ qua BCCI",
    "procedures_published": "TTHC công khai tiến độ, kết quả giải quyết",
}
UNIT_HEADER = "Đơn vị"
YEAR_HEADER = "Năm"
TEMPLATE_HEADERS: tuple[str, ...] = (UNIT_HEADER, YEAR_HEADER, *PROCEDURE_LABELS.values())

REQUIRED_FIELDS: tuple[str, ...] = ("procedures_total",)

# Record columns, in order: unit and level are text, every count an int.
RECORD_COLUMNS: tuple[str, ...] = ("unit", "level", "year", *PROCEDURE_FIELDS, "sheet", "row")

# (part, whole): a part may never be larger than its whole (an error).
PART_RULES: tuple[tuple[str, str], ...] = (
    ("procedures_one_stop", "procedures_total"),
    ("procedures_online_offered", "procedures_total"),
    ("procedures_online_used", "procedures_online_offered"),
    ("procedures_bcci_offered", "procedures_total"),
    ("procedures_bcci_used", "procedures_bcci_offered"),
    ("procedures_published", "procedures_total"),
)
# Splits of the online procedures offered: the levels before Nghị định 42/2022, end-to-end / partly online after.
ONLINE_SPLITS: tuple[tuple[str, str], ...] = (
    ("procedures_online_l3_offered", "procedures_online_l4_offered"),
    ("procedures_online_full_offered", "procedures_online_partial_offered"),
)

YEAR_RANGE = (2000, 2100)
NO_DATA_ROWS = "Tệp không có dòng số liệu nào."


@dataclass
class ProceduresResult:
    records: pd.DataFrame
    findings: Findings = field(default_factory=Findings)
    # fields that had a column in the file (procedures_online_offered also when summed from its splits)
    present_fields: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.findings.ok


def empty_records() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in RECORD_COLUMNS})
    for name in ("year", *PROCEDURE_FIELDS, "row"):
        frame[name] = frame[name].astype(np.int64)
    return frame


# ---------------------------------------------------------------------------------------------------------------
# Finding the table
# ---------------------------------------------------------------------------------------------------------------

# What a header cell says is data: vocabularies/procedures.toml (the label normalisation, the column entries in
# order, and when a row counts as the header).
VOCABULARY = table.load_vocabulary("procedures")

# A header cell folded, with "(1)"-style column numbers, brackets and asterisks dropped and the spelling variants of
# TTHC and BCCI absorbed ("" for longer texts: sentences, not column labels).
_label = VOCABULARY.normalise


def _classify(label: str) -> str | None:
    """"unit", "year", one of PROCEDURE_FIELDS, or None (a normalised label)."""
    return VOCABULARY.classify((label,))


def _names_procedures(header: table.Header) -> bool:
    """A procedure column names TTHC outright ("Số TTHC công khai", not a bare "Công khai")."""
    return any(key in PROCEDURE_FIELDS and "tthc" in header.paths[col][-1] for key, col in header.roles.items())


def _find_header(sheet: Sheet, strict: bool) -> table.Header | None:
    """The header row of a procedure table: "Đơn vị" with "Tổng số TTHC" (strict); or, to name a missing column,
    a column that names TTHC beside "Đơn vị", "Năm" or another procedure column."""
    if strict:
        return table.find_header(sheet, VOCABULARY, strict=True)
    return table.find_header(sheet, VOCABULARY, accept=_names_procedures)


def detect_procedures_table(workbook: Workbook) -> bool:
    """True when a sheet has a "Đơn vị" header with a "Tổng số TTHC" (procedures, not dossiers) beside it."""
    return any(_find_header(sheet, strict=True) for sheet in workbook.sheets)


# ---------------------------------------------------------------------------------------------------------------
# Cell parsers (each raises ValueError with a Vietnamese message)
# ---------------------------------------------------------------------------------------------------------------

_FRACTION = re.compile(r"^[-+]?\d+[.,]\d+$")


def parse_procedure_count(value: object) -> int:
    """A count of procedures: blank or "-" is 0, "1.234" is 1234; text, fractions and negatives are refused."""
    if isinstance(value, (bool, dt.date, dt.datetime, dt.time)) or isinstance(value, float) and math.isinf(value):
        raise ValueError(f"“{clean(value)}” không phải là số.")
    text = clean(value).replace(" ", "").replace("\u00a0", "")
    try:
        number = parse_count(value)
    except NumberError:
        if isinstance(value, float) or _FRACTION.match(text):
            raise ValueError(f"Số TTHC phải là số nguyên, không có phần lẻ ({clean(value)}).") from None
        raise ValueError(f"“{clean(value)}” không phải là số.") from None
    if number < 0:
        raise ValueError(f"Số TTHC không được âm ({clean(value)}).")
    return number


def parse_year(value: object) -> int:
    """A year such as 2019, "2019" or "Năm 2019", within YEAR_RANGE."""
    lo, hi = YEAR_RANGE
    if isinstance(value, (dt.date, dt.datetime)):
        year = value.year
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValueError(f"Năm “{clean(value)}” không đúng dạng (ghi ví dụ 2019).")
        year = int(value)
    else:
        match = re.fullmatch(r"(?:nam\s*)?(\d{1,4})(?:[.,]0+)?", fold(value).strip(" ."))
        if not match:
            raise ValueError(f"Năm “{clean(value)}” không đúng dạng (ghi ví dụ 2019).")
        year = int(match.group(1))
    if not lo <= year <= hi:
        raise ValueError(f"Năm {year} nằm ngoài khoảng {lo}–{hi}.")
    return year


# ---------------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------------

_MISSING_NAMES = {"unit": UNIT_HEADER, "year": YEAR_HEADER, "procedures_total": PROCEDURE_LABELS["procedures_total"]}


def read_procedures_workbook(workbook: Workbook, registry: Registry | None = None) -> ProceduresResult:
    """Read every procedure table in the workbook. Records are returned only when there are no errors."""
    registry = registry or load_registry()
    findings = Findings()
    tables = [(sheet, header) for sheet in workbook.sheets if (header := _find_header(sheet, strict=True))]
    if not tables:  # a table with a missing column: found loosely, so the missing column can be named
        tables = [(sheet, header) for sheet in workbook.sheets if (header := _find_header(sheet, strict=False))]
    if not tables:
        findings.error("Không tìm thấy bảng số liệu TTHC: cần một dòng tiêu đề có các cột “Đơn vị”, “Năm” và "
                       "“Tổng số TTHC”. Hãy dùng tệp mẫu số liệu TTHC.")
        return ProceduresResult(empty_records(), findings)

    rows_out: list[dict] = []
    present: set[str] = set()
    seen: dict[tuple[str, int], tuple[str, int]] = {}
    for sheet, header in tables:
        header_row, cols = header.top, header.roles
        header_text = table.header_texts(sheet, header)
        table.warn_unmapped(findings, sheet, header)

        def column_name(key: str, cols=cols, header_text=header_text) -> str:
            col = cols.get(key)
            if col is not None and header_text[col]:
                return header_text[col]
            return _MISSING_NAMES.get(key) or PROCEDURE_LABELS.get(key, key)

        missing = [key for key in ("unit", "year", "procedures_total") if key not in cols]
        for key in missing:
            findings.error(f"Thiếu cột “{_MISSING_NAMES[key]}”.", sheet.name, header_row + 1)
        if missing:
            continue
        if unsaved := workbook.unsaved_formulas_message(sheet.name):
            findings.error(unsaved, sheet.name)
            continue
        sheet_fields = {key for key in cols if key in PROCEDURE_FIELDS}
        if "procedures_online_offered" not in sheet_fields and any(s in sheet_fields for p in ONLINE_SPLITS
                                                                   for s in p):
            present.add("procedures_online_offered")
        present |= sheet_fields
        data_keys = ("unit", "year", *sheet_fields)

        cell = header.cell

        for excel_row, row, first_text in table.data_rows(sheet, header):
            unit_text = clean(cell(row, "unit"))
            agency = registry.lookup(unit_text) if unit_text else None
            label = fold(unit_text) or first_text  # "Tổng cộng" may sit in the STT cell, merged across
            if agency is None and (table.is_total_label(label) or table.is_group_label(label, lettered_items=False)
                                   or _classify(_label(unit_text)) == "unit"):
                continue  # a total, a group heading with its subtotal, or the header repeated
            if agency is not None and agency.is_group:
                findings.warn(f"“{unit_text}” là một nhóm đơn vị, không phải một đơn vị: dòng được bỏ qua để "
                              "không tính trùng số liệu của các đơn vị trong nhóm.", sheet.name, excel_row,
                              column_name("unit"))
                continue
            if all(is_blank(cell(row, k)) for k in data_keys):
                findings.warn("Dòng không có đơn vị, năm hay số liệu TTHC: bỏ qua.", sheet.name, excel_row)
                continue
            record = _read_row(row, cell, column_name, sheet_fields, agency, findings, sheet.name, excel_row)
            if record is None:
                continue
            key = (record.pop("_key"), record["year"])
            if key in seen:
                first_sheet, first_row = seen[key]
                where = f"dòng {first_row}" + (f" sheet “{first_sheet}”" if first_sheet != sheet.name else "")
                findings.error(f"Đơn vị “{record['unit']}” năm {record['year']} đã có ở {where}: mỗi đơn vị chỉ "
                               "ghi một dòng cho mỗi năm.", sheet.name, excel_row, column_name("unit"))
                continue
            seen[key] = (sheet.name, excel_row)
            rows_out.append(record)

    present_fields = [f for f in PROCEDURE_FIELDS if f in present]
    if not rows_out and findings.ok:
        findings.warn(NO_DATA_ROWS, tables[0][0].name)
    if not findings.ok:
        return ProceduresResult(empty_records(), findings, present_fields)
    records = pd.DataFrame(rows_out, columns=list(RECORD_COLUMNS)) if rows_out else empty_records()
    for name in ("year", *PROCEDURE_FIELDS, "row"):
        records[name] = records[name].astype(np.int64)
    return ProceduresResult(records.reset_index(drop=True), findings, present_fields)


def _read_row(row, cell, column_name, fields: set[str], agency: Agency | None, findings: Findings, sheet: str,
              excel_row: int) -> dict | None:
    """One data row (its unit already looked up in the registry) as a record, or None after reporting errors."""
    errors_before = len(findings.errors)

    def error(message: str, key: str) -> None:
        findings.error(message, sheet, excel_row, column_name(key))

    unit = clean(cell(row, "unit"))
    level = ""
    key = fold(unit)
    if not unit:
        error("Thiếu tên đơn vị.", "unit")
    elif agency is None:
        findings.warn(f"Đơn vị “{unit}” không có trong danh mục đơn vị; tên được giữ như đã ghi.",
                      sheet, excel_row, column_name("unit"))
    else:
        unit, level, key = agency.name, agency.level, fold(agency.name)

    year = 0
    if is_blank(cell(row, "year")):
        error("Thiếu năm.", "year")
    else:
        try:
            year = parse_year(cell(row, "year"))
        except ValueError as exc:
            error(str(exc), "year")

    counts = dict.fromkeys(PROCEDURE_FIELDS, 0)
    for name in PROCEDURE_FIELDS:
        if name not in fields:
            continue
        value = cell(row, name)
        if name in REQUIRED_FIELDS and is_blank(value):
            error(f"Thiếu số liệu “{column_name(name)}”.", name)
            continue
        try:
            counts[name] = parse_procedure_count(value)
        except ValueError as exc:
            error(str(exc), name)
    if len(findings.errors) > errors_before:
        return None

    # The online procedures offered: as typed, or the sum of one pair of splits (both pairs count the same
    # procedures, so with both and no total the larger sum is taken).
    known = set(fields)
    derived_from: list[str] = []
    pairs = [[s for s in pair if s in fields] for pair in ONLINE_SPLITS]
    if "procedures_online_offered" not in fields and any(pairs):
        derived_from = max((p for p in pairs if p), key=lambda p: sum(counts[s] for s in p))
        counts["procedures_online_offered"] = sum(counts[s] for s in derived_from)
        known.add("procedures_online_offered")

    def name_of(key: str) -> str:
        if key == "procedures_online_offered" and derived_from:
            return "tổng các cột " + " + ".join(f"“{column_name(s)}”" for s in derived_from)
        return f"“{column_name(key)}”"

    for part, whole in PART_RULES:
        if part not in known or whole not in known:
            continue
        if part == "procedures_online_offered" and derived_from:
            continue  # the splits are checked against the total below
        if counts[part] > counts[whole]:
            error(f"{name_of(part)} ({counts[part]}) lớn hơn {name_of(whole)} ({counts[whole]}).", part)
    for here in pairs:
        if not here:
            continue
        whole = "procedures_online_offered" if "procedures_online_offered" in fields else "procedures_total"
        total = sum(counts[s] for s in here)
        if total > counts[whole]:
            parts = " + ".join(f"“{column_name(s)}”" for s in here)
            error(f"{parts} ({total}) lớn hơn “{column_name(whole)}” ({counts[whole]}).", here[0])
    if len(findings.errors) > errors_before:
        return None
    return {"unit": unit, "level": level, "year": year, **counts, "sheet": sheet, "row": excel_row, "_key": key}


def read_procedures(data: bytes, filename: str = "", registry: Registry | None = None) -> ProceduresResult:
    """Read a procedure workbook from bytes. Unreadable files give a result with the error, never an exception."""
    try:
        workbook = load_workbook(data, filename)
    except WorkbookRefused as refused:
        return ProceduresResult(empty_records(), refused.findings)
    return read_procedures_workbook(workbook, registry)
