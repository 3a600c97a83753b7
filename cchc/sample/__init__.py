"""Deterministic generators of the shipped sample data and of the blank templates.

`python -m cchc.sample` (re)writes, in data/:

- thong_ke_2019_minh_hoa.xlsx       illustrative 2019 monthly TTHC statistics in the Biểu 06 layout
                                    (Thông tư 01/2020/TT-VPCP), one sheet per month "T01".."T12";
- thong_ke_2019_minh_hoa_mau.xlsx   the same figures in the project's own template layout;
- mau_thong_ke.xlsx                 the blank statistics template;
- mau_ke_hoach.xlsx                 the blank plan template;

and `python -m cchc.sample.progress` / `python -m cchc.sample.procedures` the progress-report and procedure-count
templates with their illustrative 2019 files (cchc/sample/progress.py, cchc/sample/procedures.py).

Everything is generated from `random.Random(2019)` and saved with fixed workbook and zip timestamps, so running
the command twice gives byte-identical files. The builders take any table, so tests and benchmarks can make
Biểu 06 or template-layout workbooks of any size.
"""

from __future__ import annotations

import calendar
import math
import random
import re
from pathlib import Path
from typing import Iterable, Sequence
from xml.sax.saxutils import escape as xml_escape

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation

from ..fields import FIELD_LABELS, REQUIRED_FIELDS, STATS_FIELDS, TEMPLATE_HEADERS
from ..registry import REGISTRY_FILE, Registry, load_organisation, load_registry
from ..show.xlsx_style import (
    BORDER,
    CENTER,
    GREY_FILL,
    HEADER_FILL,
    LEFT,
    LEFT_TOP,
    YELLOW_FILL,
    GuideSheet,
    cell_font,
    merge_write,
    print_landscape,
    stable_bytes,
    write_header,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SAMPLE_STATS_FILE = DATA_DIR / "thong_ke_2019_minh_hoa.xlsx"
SAMPLE_STATS_TEMPLATE_LAYOUT_FILE = DATA_DIR / "thong_ke_2019_minh_hoa_mau.xlsx"
STATS_TEMPLATE_FILE = DATA_DIR / "mau_thong_ke.xlsx"
PLAN_TEMPLATE_FILE = DATA_DIR / "mau_ke_hoach.xlsx"

SAMPLE_YEAR = 2019
SAMPLE_SEED = 2019
SAMPLE_ORGANISATION = "UBND huyện Ia Pa"
ILLUSTRATIVE_NOTE = "DỮ LIỆU MINH HỌA – không phải số liệu thật"

STATS_SHEET = "Thống kê"
PLAN_SHEET = "Kế hoạch"
GUIDE_SHEET = "Hướng dẫn"

# ---------------------------------------------------------------------------------------------------------------
# The Biểu 06 layout
# ---------------------------------------------------------------------------------------------------------------

BIEU06_TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
BIEU06_FORM = "Biểu số 06"
BIEU06_UNIT_OF_MEASURE = "Đơn vị tính: Số hồ sơ TTHC"
BIEU06_TOTAL_LABEL = "Tổng cộng"
BIEU06_NAME_HEADER = "Lĩnh vực, công việc giải quyết theo cấp"

# Field shown in each numeric column, from column C (3) on. Columns A and B are STT and the unit's name.
BIEU06_FIELD_COLUMNS: tuple[str, ...] = (
    "received_total", "received_online", "received_direct", "received_carried",
    "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
    "pending_total", "pending_in_time", "pending_overdue",
    "received_online_l3", "received_online_l4", "received_bcci", "returned_bcci", "late_apologies",
)
BIEU06_FIRST_FIELD_COL = 3
BIEU06_LAST_COL = BIEU06_FIRST_FIELD_COL + len(BIEU06_FIELD_COLUMNS) - 1  # 18 = column R

# Row numbers of the layout (1-based, as Excel shows them).
BIEU06_HEADER_ROW = 10  # the header spans rows 10, 11 and 12
BIEU06_NUMBERING_ROW = 13
BIEU06_FIRST_BODY_ROW = 14

# Header cells: (text, first row offset, first column, last row offset, last column); offsets from HEADER_ROW.
_BIEU06_HEADER_CELLS: tuple[tuple[str, int, int, int, int], ...] = (
    ("STT", 0, 1, 2, 1),
    (BIEU06_NAME_HEADER, 0, 2, 2, 2),
    ("Số hồ sơ nhận giải quyết", 0, 3, 0, 6),
    ("Tổng số", 1, 3, 2, 3),
    ("Trong đó", 1, 4, 1, 5),
    ("Trực tuyến", 2, 4, 2, 4),
    ("Trực tiếp, dịch vụ bưu chính", 2, 5, 2, 5),
    ("Từ kỳ trước", 1, 6, 2, 6),
    ("Số hồ sơ đã giải quyết", 0, 7, 0, 10),
    ("Tổng số", 1, 7, 2, 7),
    ("Trước hạn", 1, 8, 2, 8),
    ("Đúng hạn", 1, 9, 2, 9),
    ("Quá hạn", 1, 10, 2, 10),
    ("Số lượng hồ sơ đang giải quyết", 0, 11, 0, 13),
    ("Tổng số", 1, 11, 2, 11),
    ("Trong hạn", 1, 12, 2, 12),
    ("Quá hạn", 1, 13, 2, 13),
    ("Trực tuyến mức độ 3", 0, 14, 2, 14),
    ("Mức độ 4", 0, 15, 2, 15),
    ("Tiếp nhận qua BCCI", 0, 16, 2, 16),
    ("Trả kết quả qua BCCI", 0, 17, 2, 17),
    ("Số hồ sơ quá hạn đã có văn bản xin lỗi", 0, 18, 2, 18),
)

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

# ---------------------------------------------------------------------------------------------------------------
# The sample organisation's units and their behaviour
# ---------------------------------------------------------------------------------------------------------------

# (canonical registry name, mean new dossiers a month, share still pending at month end, early share of the
# dossiers resolved in time, online uptake multiplier, BCCI uptake multiplier)
_DISTRICT_UNITS: tuple[tuple[str, float, float, float, float, float], ...] = (
    ("Phòng Tư pháp", 8.0, 0.20, 0.55, 1.1, 0.8),
    ("Phòng Tài nguyên và Môi trường", 9.0, 0.35, 0.30, 0.7, 1.2),
    ("Phòng Lao động-Thương binh và Xã hội", 8.0, 0.25, 0.45, 0.9, 1.0),
    ("Phòng Kinh tế-Hạ tầng", 6.0, 0.30, 0.40, 1.2, 1.0),
    ("Phòng Tài chính-Kế hoạch", 5.0, 0.20, 0.50, 1.6, 0.9),
    ("Phòng Nội vụ", 2.0, 0.20, 0.50, 1.0, 0.8),
    ("Phòng Giáo dục và Đào tạo", 2.5, 0.15, 0.60, 1.3, 0.8),
    ("Phòng Văn hóa-Thông tin", 1.2, 0.20, 0.60, 1.5, 0.8),
    ("Phòng Y tế", 1.0, 0.25, 0.50, 1.0, 0.8),
    ("Phòng Nông nghiệp và Phát triển nông thôn", 2.0, 0.20, 0.50, 1.0, 0.9),
    ("Chi nhánh Văn phòng đăng ký đất đai", 120.0, 0.42, 0.25, 0.6, 1.4),
)
_COMMUNE_UNITS: tuple[tuple[str, float, float, float, float, float], ...] = (
    ("UBND xã Ia Tul", 55.0, 0.07, 0.65, 0.9, 0.9),
    ("UBND xã Chư Răng", 60.0, 0.08, 0.60, 1.0, 1.0),
    ("UBND xã Kim Tân", 105.0, 0.09, 0.55, 1.3, 1.1),
    ("UBND xã Pờ Tó", 70.0, 0.08, 0.60, 1.1, 1.0),
    ("UBND xã Chư Mố", 65.0, 0.08, 0.60, 1.0, 1.0),
    ("UBND xã Ia Kdăm", 75.0, 0.10, 0.50, 0.9, 0.9),
    ("UBND xã Ia Broăi", 35.0, 0.07, 0.65, 0.8, 0.9),
    ("UBND xã Ia Trok", 50.0, 0.08, 0.60, 0.9, 1.0),
    ("UBND xã Ia Mrơn", 65.0, 0.08, 0.60, 1.0, 1.0),
)
SAMPLE_UNITS: tuple[str, ...] = tuple(u[0] for u in _DISTRICT_UNITS + _COMMUNE_UNITS)

# Uptake multipliers are normalised by their volume-weighted mean, so the overall shares follow the ramps.
_TOTAL_BASE = sum(u[1] for u in _DISTRICT_UNITS + _COMMUNE_UNITS)
_ONLINE_NORM = sum(u[1] * u[4] for u in _DISTRICT_UNITS + _COMMUNE_UNITS) / _TOTAL_BASE
_BCCI_NORM = sum(u[1] * u[5] for u in _DISTRICT_UNITS + _COMMUNE_UNITS) / _TOTAL_BASE

# The units that fall behind in the story: the land office (worst in Q2), a commune that slips in Q2,
# and the natural resources office, a little late all year.
_LAND_OFFICE = "Chi nhánh Văn phòng đăng ký đất đai"
_LAGGING_COMMUNE = "UBND xã Ia Kdăm"
_SLOW_OFFICE = "Phòng Tài nguyên và Môi trường"

# Month-of-year volume factors: Tết (early February 2019) is quiet, March catches up, the year end is busy.
_SEASON = (1.00, 0.72, 1.18, 1.05, 1.00, 0.95, 0.93, 1.00, 1.02, 1.05, 1.08, 1.12)

# Volume bounds (new dossiers a month) the story keeps to.
_COMMUNE_RANGE = (20, 150)
_LAND_RANGE = (60, 200)
_SMALL_RANGE = (0, 15)


def _ramp(month: int, start: float, end: float, power: float = 1.0) -> float:
    """A value rising from `start` in January to `end` in December."""
    t = (month - 1) / 11
    return start + (end - start) * t ** power


def _binomial(rng: random.Random, n: int, p: float) -> int:
    p = min(max(p, 0.0), 1.0)
    return sum(1 for _ in range(n) if rng.random() < p)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, prod = math.exp(-lam), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k


def _late_rate(unit: str, month: int) -> float:
    q2 = 4 <= month <= 6
    if unit == _LAND_OFFICE:
        return 0.19 if q2 else (0.10 if month <= 3 else 0.06)
    if unit == _LAGGING_COMMUNE:
        return 0.13 if q2 else 0.02
    if unit == _SLOW_OFFICE:
        return 0.07
    return _ramp(month, 0.022, 0.008)


def _overdue_rate(unit: str, month: int) -> float:
    q2 = 4 <= month <= 6
    if unit == _LAND_OFFICE:
        return 0.20 if q2 else 0.08
    if unit == _LAGGING_COMMUNE:
        return 0.25 if q2 else 0.04
    if unit == _SLOW_OFFICE:
        return 0.12
    return 0.03


def sample_stats_table(registry: Registry | None = None) -> pd.DataFrame:
    """The illustrative 2019 statistics: one row per unit and month (20 units × 12 months).

    Columns: unit, level, year, month and every field of STATS_FIELDS (int). Every identity of Biểu 06 holds,
    and received_carried of a month is the previous month's pending_total.
    """
    registry = registry or load_registry(REGISTRY_FILE)
    rng = random.Random(SAMPLE_SEED)
    rows: list[dict] = []
    for name, base, pending_share, early_share, online_mult, bcci_mult in _DISTRICT_UNITS + _COMMUNE_UNITS:
        online_mult /= _ONLINE_NORM
        bcci_mult /= _BCCI_NORM
        agency = registry.lookup(name)
        if agency is None or agency.name != name:
            raise ValueError(f"sample unit {name!r} is not a canonical name of the registry")
        is_commune = agency.kind == "commune"
        lo, hi = _COMMUNE_RANGE if is_commune else _LAND_RANGE if name == _LAND_OFFICE else _SMALL_RANGE
        # A plausible December 2018 backlog to carry into January.
        carried = _binomial(rng, max(1, round(base * 1.1)), pending_share)
        for month in range(1, 13):
            new = min(hi, max(lo, _poisson(rng, base * _SEASON[month - 1])))
            p3 = _ramp(month, 0.03, 0.22) * online_mult
            p4 = _ramp(month, 0.005, 0.08, 1.2) * online_mult
            l3 = _binomial(rng, new, p3)
            l4 = _binomial(rng, new - l3, p4 / max(1.0 - p3, 0.5))
            online = l3 + l4
            direct = new - online
            bcci = _binomial(rng, direct, _ramp(month, 0.02, 0.11) * bcci_mult * new / max(direct, 1))
            received = new + carried
            pending = _binomial(rng, received, pending_share)
            resolved = received - pending
            late = _binomial(rng, resolved, _late_rate(name, month) * (0.3 if base < 5 else 1.0))
            early = _binomial(rng, resolved - late, early_share)
            on_time = resolved - late - early
            overdue = _binomial(rng, pending, _overdue_rate(name, month))
            in_time = pending - overdue
            returned = _binomial(rng, resolved, _ramp(month, 0.03, 0.125) * bcci_mult)
            apologies = _binomial(rng, late + overdue, _ramp(month, 0.35, 0.90))
            rows.append({
                "unit": name, "level": agency.level, "year": SAMPLE_YEAR, "month": month,
                "received_total": received, "received_online": online,
                "received_online_l3": l3, "received_online_l4": l4,
                "received_online_full": 0, "received_online_partial": 0,
                "received_direct": direct, "received_carried": carried, "received_bcci": bcci,
                "resolved_total": resolved, "resolved_early": early, "resolved_on_time": on_time,
                "resolved_late": late,
                "pending_total": pending, "pending_in_time": in_time, "pending_overdue": overdue,
                "returned_bcci": returned, "late_apologies": apologies,
            })
            carried = pending
    table = pd.DataFrame(rows, columns=["unit", "level", "year", "month", *STATS_FIELDS])
    return table.astype({f: "int64" for f in ("year", "month", *STATS_FIELDS)})


def story_rates(table: pd.DataFrame) -> dict[str, float]:
    """The headline rates of a table (sum first, then divide), as fractions."""
    s = {f: int(table[f].sum()) if f in table else 0 for f in STATS_FIELDS}
    new = s["received_total"] - s["received_carried"]
    late_all = s["resolved_late"] + s["pending_overdue"]

    def ratio(a: int, b: int) -> float:
        return a / b if b else float("nan")

    return {
        "on_time": ratio(s["resolved_early"] + s["resolved_on_time"], s["resolved_total"]),
        "online_l3": ratio(s["received_online_l3"], new),
        "online_l4": ratio(s["received_online_l4"], new),
        "bcci_intake": ratio(s["received_bcci"], new),
        "bcci_return": ratio(s["returned_bcci"], s["resolved_total"]),
        "apology": ratio(s["late_apologies"], late_all),
    }


# ---------------------------------------------------------------------------------------------------------------
# Biểu 06 workbook
# ---------------------------------------------------------------------------------------------------------------

def _place_name(organisation_name: str) -> str:
    """"UBND huyện Ia Pa" → "Ia Pa": the place written before the report date."""
    name = re.sub(r"^\s*(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", "", organisation_name, flags=re.I)
    name = re.sub(r"^(thành phố|thị xã|thị trấn|huyện|quận|tỉnh|xã|phường)\s+", "", name, flags=re.I)
    return name.strip() or organisation_name


def _level_groups(levels: Iterable[str]) -> list[tuple[str, str]]:
    """(level code, group label) in the organisation's order, unknown levels after in order of appearance."""
    try:
        organisation_levels = list(load_organisation().levels)
    except (OSError, ValueError, KeyError):
        organisation_levels = []
    present = list(dict.fromkeys(str(lv) if lv is not None and lv == lv else "" for lv in levels))
    ordered = [(code, label) for code, label in organisation_levels if code in present]
    known = {code for code, _ in ordered}
    for code in present:
        if code not in known:
            ordered.append((code, f"Cấp {code}" if code else "Đơn vị khác"))
    return ordered


def _period_text(year: int, month: int) -> str:
    last = calendar.monthrange(year, month)[1]
    return (f"Kỳ báo cáo: Tháng {month:02d} năm {year} "
            f"(Từ ngày 01/{month:02d}/{year} đến ngày {last:02d}/{month:02d}/{year})")


def _report_date_text(place: str, year: int, month: int) -> str:
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{place}, ngày 05 tháng {m:02d} năm {y}"


def _int_values(frame: pd.DataFrame) -> list[list[int]]:
    values = []
    for f in BIEU06_FIELD_COLUMNS:
        column = frame[f] if f in frame else pd.Series(0, index=frame.index)
        values.append(pd.to_numeric(column, errors="coerce").fillna(0).astype("int64").tolist())
    return [list(row) for row in zip(*values)] if values and len(frame) else []


def _write_bieu06_sheet(ws, frame: pd.DataFrame, year: int, month: int, organisation_name: str,
                        illustrative: bool) -> None:
    last_col = BIEU06_LAST_COL
    last_letter = get_column_letter(last_col)

    # Title block.
    merge_write(ws, 1, 1, 1, 5, organisation_name.upper(), cell_font(12, bold=True), CENTER)
    merge_write(ws, 2, 1, 2, 5, "—————", cell_font(10), CENTER)
    merge_write(ws, 1, last_col - 4, 1, last_col, BIEU06_FORM, cell_font(12, bold=True), CENTER)
    merge_write(ws, 2, last_col - 4, 2, last_col, "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP",
                 cell_font(10, italic=True), CENTER)
    merge_write(ws, 4, 1, 4, last_col, BIEU06_TITLE, cell_font(14, bold=True), CENTER)
    merge_write(ws, 5, 1, 5, last_col, _period_text(year, month), cell_font(12, italic=True), CENTER)
    merge_write(ws, 6, 1, 6, last_col, f"Đơn vị báo cáo: {organisation_name}", cell_font(12), CENTER)
    merge_write(ws, 7, 1, 7, last_col, BIEU06_UNIT_OF_MEASURE, cell_font(11, italic=True),
                 Alignment(horizontal="right", vertical="center"))
    if illustrative:
        merge_write(ws, 8, 1, 8, last_col, ILLUSTRATIVE_NOTE, cell_font(13, bold=True, color="C00000"), CENTER,
                     fill=YELLOW_FILL)
    ws.row_dimensions[4].height = 36

    # Header over three rows.
    top = BIEU06_HEADER_ROW
    for text, r0, c0, r1, c1 in _BIEU06_HEADER_CELLS:
        merge_write(ws, top + r0, c0, top + r1, c1, text, cell_font(11, bold=True), CENTER, BORDER, HEADER_FILL)
    ws.row_dimensions[top].height = 30
    ws.row_dimensions[top + 1].height = 30
    ws.row_dimensions[top + 2].height = 45
    for col in range(1, last_col + 1):
        cell = ws.cell(row=BIEU06_NUMBERING_ROW, column=col, value=f"({col})")
        cell.font = cell_font(10, italic=True)
        cell.alignment = CENTER
        cell.border = BORDER

    # Body: one group per level, its subtotal on the group row, then the units; then the grand total.
    row = BIEU06_FIRST_BODY_ROW
    number_font, bold_font = cell_font(12), cell_font(12, bold=True)
    grand = [0] * len(BIEU06_FIELD_COLUMNS)

    def write_row(stt, name, values, font, fill=None, name_alignment=LEFT):
        nonlocal row
        for col, value, align in ((1, stt, CENTER), (2, name, name_alignment)):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font, cell.alignment, cell.border = font, align, BORDER
            if fill is not None:
                cell.fill = fill
        for offset, value in enumerate(values):
            cell = ws.cell(row=row, column=BIEU06_FIRST_FIELD_COL + offset, value=int(value))
            cell.font, cell.border, cell.number_format = font, BORDER, "#,##0"
            cell.alignment = Alignment(horizontal="right", vertical="center")
            if fill is not None:
                cell.fill = fill
        row += 1

    levels = frame["level"] if "level" in frame else pd.Series("", index=frame.index)
    levels = levels.fillna("").astype(str)
    for index, (code, label) in enumerate(_level_groups(levels)):
        part = frame[levels == code]
        # Units in order of first appearance; a unit listed twice in one month is summed.
        part_values = _int_values(part)
        per_unit: dict[str, list[int]] = {}
        for unit, values in zip(part["unit"].astype(str).tolist(), part_values):
            if unit in per_unit:
                per_unit[unit] = [a + b for a, b in zip(per_unit[unit], values)]
            else:
                per_unit[unit] = list(values)
        subtotal = [sum(column) for column in zip(*per_unit.values())] or [0] * len(BIEU06_FIELD_COLUMNS)
        grand = [a + b for a, b in zip(grand, subtotal)]
        stt = _ROMAN[index] if index < len(_ROMAN) else str(index + 1)
        write_row(stt, label, subtotal, bold_font, GREY_FILL)
        for number, (unit, values) in enumerate(per_unit.items(), start=1):
            write_row(number, unit, values, number_font)
    write_row(None, BIEU06_TOTAL_LABEL, grand, bold_font, YELLOW_FILL, CENTER)

    # Signature block.
    row += 1
    place = _place_name(organisation_name)
    merge_write(ws, row, last_col - 5, row, last_col, _report_date_text(place, year, month),
                 cell_font(12, italic=True), CENTER)
    row += 1
    merge_write(ws, row, 1, row, 4, "Người lập biểu", cell_font(12, bold=True), CENTER)
    merge_write(ws, row, last_col - 5, row, last_col, "Thủ trưởng đơn vị", cell_font(12, bold=True), CENTER)
    row += 1
    merge_write(ws, row, 1, row, 4, "(Ký, ghi rõ họ tên)", cell_font(11, italic=True), CENTER)
    merge_write(ws, row, last_col - 5, row, last_col, "(Ký tên, đóng dấu)", cell_font(11, italic=True), CENTER)

    # Widths, panes, printing.
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 44
    for col in range(BIEU06_FIRST_FIELD_COL, last_col + 1):
        ws.column_dimensions[get_column_letter(col)].width = 10.5 if col <= 13 else 13
    ws.freeze_panes = ws.cell(row=BIEU06_FIRST_BODY_ROW, column=BIEU06_FIRST_FIELD_COL)
    ws.print_title_rows = f"{BIEU06_HEADER_ROW}:{BIEU06_NUMBERING_ROW}"
    ws.print_area = f"A1:{last_letter}{row}"
    print_landscape(ws)


def bieu06_sheet_name(year: int, month: int, several_years: bool = False) -> str:
    return f"T{month:02d}-{year}" if several_years else f"T{month:02d}"


def build_bieu06_workbook(table: pd.DataFrame, organisation_name: str = SAMPLE_ORGANISATION,
                          illustrative: bool = True) -> bytes:
    """A Biểu 06 workbook of `table`: one sheet per (year, month), units grouped by their level.

    `table` has columns unit, level, year, month and any STATS_FIELDS (missing fields are written as 0).
    Sheets are named "T01".."T12", or "T01-2019" when the table spans several years.
    """
    wb = Workbook()
    wb.remove(wb.active)
    periods = sorted({(int(y), int(m)) for y, m in zip(table["year"], table["month"])})
    several_years = len({y for y, _ in periods}) > 1
    years = table["year"].astype(int)
    months = table["month"].astype(int)
    for year, month in periods:
        ws = wb.create_sheet(bieu06_sheet_name(year, month, several_years))
        _write_bieu06_sheet(ws, table[(years == year) & (months == month)], year, month, organisation_name,
                            illustrative)
    if not periods:
        wb.create_sheet("T01")
    return stable_bytes(wb)


# ---------------------------------------------------------------------------------------------------------------
# The project's template layout
# ---------------------------------------------------------------------------------------------------------------

# Column explanations: (meaning, Biểu 06 column it matches).
FIELD_HELP: dict[str, tuple[str, str]] = {
    "received_total": ("Tổng số hồ sơ nhận giải quyết trong tháng = trực tuyến + trực tiếp/bưu chính + từ kỳ "
                       "trước.", "Số hồ sơ nhận giải quyết – Tổng số, cột (3)"),
    "received_online": ("Số hồ sơ mới tiếp nhận trực tuyến (mức độ 3 + mức độ 4).",
                        "Trong đó: Trực tuyến, cột (4)"),
    "received_online_l3": ("Số hồ sơ tiếp nhận trực tuyến mức độ 3 (tiêu chí 7.2.2).",
                           "Cột bổ sung “Trực tuyến mức độ 3”, cột (14)"),
    "received_online_l4": ("Số hồ sơ tiếp nhận trực tuyến mức độ 4 (tiêu chí 7.2.3).",
                           "Cột bổ sung “Mức độ 4”, cột (15)"),
    "received_online_full": ("Số hồ sơ dịch vụ công trực tuyến toàn trình (cách gọi từ Nghị định 42/2022; gần "
                             "tương ứng mức độ 4). Để trống nếu không theo dõi.", "Không có trong Biểu 06"),
    "received_online_partial": ("Số hồ sơ dịch vụ công trực tuyến một phần (cách gọi từ Nghị định 42/2022; gần "
                                "tương ứng mức độ 3). Để trống nếu không theo dõi.", "Không có trong Biểu 06"),
    "received_direct": ("Số hồ sơ mới tiếp nhận trực tiếp hoặc qua dịch vụ bưu chính.",
                        "Trong đó: Trực tiếp, dịch vụ bưu chính, cột (5)"),
    "received_carried": ("Số hồ sơ từ kỳ trước chuyển sang (bằng số đang giải quyết cuối tháng trước).",
                         "Từ kỳ trước, cột (6)"),
    "received_bcci": ("Số hồ sơ tiếp nhận qua dịch vụ bưu chính công ích (tiêu chí 7.3.2).",
                      "Cột bổ sung “Tiếp nhận qua BCCI”, cột (16)"),
    "resolved_total": ("Tổng số hồ sơ đã giải quyết xong trong tháng = trước hạn + đúng hạn + quá hạn.",
                       "Số hồ sơ đã giải quyết – Tổng số, cột (7)"),
    "resolved_early": ("Số hồ sơ giải quyết trước hạn.", "Trước hạn, cột (8)"),
    "resolved_on_time": ("Số hồ sơ giải quyết đúng hạn.", "Đúng hạn, cột (9)"),
    "resolved_late": ("Số hồ sơ giải quyết quá hạn (trễ hẹn).", "Quá hạn, cột (10)"),
    "pending_total": ("Số hồ sơ còn đang giải quyết cuối tháng = trong hạn + quá hạn.",
                      "Số lượng hồ sơ đang giải quyết – Tổng số, cột (11)"),
    "pending_in_time": ("Số hồ sơ đang giải quyết, chưa đến hạn.", "Trong hạn, cột (12)"),
    "pending_overdue": ("Số hồ sơ đang giải quyết đã quá hạn.", "Quá hạn, cột (13)"),
    "returned_bcci": ("Số kết quả giải quyết được trả qua dịch vụ bưu chính công ích (tiêu chí 7.3.3).",
                      "Cột bổ sung “Trả kết quả qua BCCI”, cột (17)"),
    "late_apologies": ("Số hồ sơ quá hạn (đã giải quyết quá hạn hoặc đang quá hạn) đã có văn bản xin lỗi "
                       "(tiêu chí 3.7).", "Cột bổ sung “Số hồ sơ quá hạn đã có văn bản xin lỗi”, cột (18)"),
}

_TEMPLATE_WIDTHS = {0: 40, 1: 8, 2: 8}
_TEMPLATE_NUMBER_WIDTH = 16


def _template_widths(ws) -> None:
    for index in range(len(TEMPLATE_HEADERS)):
        ws.column_dimensions[get_column_letter(index + 1)].width = _TEMPLATE_WIDTHS.get(index, _TEMPLATE_NUMBER_WIDTH)


class _RowChunk(tuple):
    """Consecutive data rows (tuples of plain values) handed to the write-only sheet in one append."""

    first_row: int


def _xml_text(value: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value!r} cannot be used in worksheets.")
    text = xml_escape(value)
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<t{space}>{text}</t>"


def _chunk_xml(chunk: _RowChunk) -> str:
    """The sheetData XML of a chunk, as openpyxl itself writes it (inline strings, "n" numbers)."""
    letters = [get_column_letter(i) for i in range(1, len(TEMPLATE_HEADERS) + 1)]
    texts: dict[str, str] = {}
    parts: list[str] = []
    for r, values in enumerate(chunk, start=chunk.first_row):
        parts.append(f'<row r="{r}">')
        for letter, value in zip(letters, values):
            if value is None:
                continue
            if isinstance(value, str):
                text = texts.get(value)
                if text is None:
                    text = texts[value] = _xml_text(value)
                parts.append(f'<c r="{letter}{r}" t="inlineStr"><is>{text}</is></c>')
            else:
                parts.append(f'<c r="{letter}{r}" t="n"><v>{value}</v></c>')
        parts.append("</row>")
    return "".join(parts)


def _install_fast_rows(ws, allow_raw: bool = True) -> None:
    """Let a write-only sheet take `_RowChunk`s of plain rows.

    openpyxl serialises every cell through ElementTree, about 7 µs a cell without lxml; a chunk is written as
    ready-made XML through the same stream instead when the stream is et_xmlfile's writer (which exposes its
    raw `_file` writer). Otherwise, e.g. with lxml, each row goes through openpyxl's own path.
    """
    writer = ws._writer
    write_row = writer.write_row
    values_to_row = ws._values_to_row

    def chunk_aware_write_row(xf, row, row_idx):
        if not isinstance(row, _RowChunk):
            return write_row(xf, row, row_idx)
        raw = getattr(xf, "_file", None) if allow_raw else None
        if callable(raw):
            raw(_chunk_xml(row))
            return None
        for r, values in enumerate(row, start=row.first_row):
            write_row(xf, values_to_row(values, r), r)
        return None

    writer.write_row = chunk_aware_write_row
    ws._values_to_row = lambda values, row_idx: values if isinstance(values, _RowChunk) else \
        values_to_row(values, row_idx)


_CHUNK_ROWS = 2000


def build_template_workbook(table: pd.DataFrame, *, _raw_rows: bool = True) -> bytes:
    """`table` in the project's template layout: sheet "Thống kê", TEMPLATE_HEADERS in row 1, one row per
    unit and month. Uses openpyxl's write-only mode and streams rows in chunks, so 100.000 rows stay quick."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(STATS_SHEET)
    _template_widths(ws)
    ws.freeze_panes = "B2"
    header_font = Font(bold=True)
    header = []
    for text in TEMPLATE_HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = header_font
        cell.alignment = CENTER
        header.append(cell)
    ws.append(header)
    n = len(table)
    if n:
        _install_fast_rows(ws, allow_raw=_raw_rows)
        columns = [table["unit"].fillna("").astype(str).tolist(),
                   table["year"].astype("int64").tolist(),
                   table["month"].astype("int64").tolist()]
        for f in STATS_FIELDS:
            if f in table:
                columns.append(pd.to_numeric(table[f], errors="coerce").fillna(0).astype("int64").tolist())
            else:
                columns.append([0] * n)
        rows = list(zip(*columns))
        for start in range(0, n, _CHUNK_ROWS):
            chunk = _RowChunk(rows[start:start + _CHUNK_ROWS])
            chunk.first_row = start + 2
            ws.append(chunk)
    return stable_bytes(wb)


def _guide_sheet(wb: Workbook, title: str, blocks: Sequence[tuple[str, object]], widths: Sequence[float]) -> None:
    """Write a "Hướng dẫn" sheet. blocks: ("title"|"heading"|"text"|"table"|"blank", payload)."""
    guide = GuideSheet(wb, widths, GUIDE_SHEET)
    guide.merged(title, cell_font(14, bold=True), 30, CENTER, style_all=True)
    guide.skip()
    per_line = max(40, int(sum(widths) * 1.1))
    for kind, payload in blocks:
        if kind == "heading":
            guide.heading(payload, LEFT, style_all=True)
        elif kind == "text":
            lines = max(1, math.ceil(len(str(payload)) / per_line))
            guide.merged(payload, cell_font(12), 16.5 * lines, LEFT_TOP, style_all=True)
        elif kind == "table":
            header, *body = payload
            guide.table(header, body, keep_blank=True)
        elif kind == "blank":
            guide.skip()
    guide.finish()


def _unit_names(registry: Registry | None, kinds: Sequence[str] = ("agency", "commune", "partner", "group")
                ) -> list[tuple[str, str, str]]:
    """(name, level label, kind) of the registry's entries of these kinds, in the order of `kinds`."""
    if registry is None:
        try:
            registry = load_registry(REGISTRY_FILE)
        except OSError:
            return []
    try:
        organisation = load_organisation()
        label = organisation.level_label
    except (OSError, ValueError, KeyError):
        def label(code: str) -> str:
            return code
    order = {kind: i for i, kind in enumerate(kinds)}
    agencies = sorted((a for a in registry.agencies if a.kind in order), key=lambda a: order[a.kind])
    return [(a.name, label(a.level) if a.level else "", a.kind) for a in agencies]


_KIND_LABELS = {"agency": "Cơ quan, đơn vị", "commune": "UBND xã", "partner": "Đơn vị phối hợp",
                "group": "Nhóm chung (không phải một đơn vị)"}


def build_stats_template(registry: Registry | None = None) -> bytes:
    """The blank statistics template: header row only on "Thống kê" (no example rows), and "Hướng dẫn"."""
    wb = Workbook()
    ws = wb.active
    ws.title = STATS_SHEET
    _template_widths(ws)
    fields = ("unit", "year", "month", *STATS_FIELDS)
    help_texts = {
        "unit": ("Tên cơ quan, đơn vị hoặc UBND xã, viết như trong danh sách ở trang “Hướng dẫn”.", "Cột (2)"),
        "year": ("Năm của số liệu, 4 chữ số (ví dụ 2019).", "Kỳ báo cáo"),
        "month": ("Tháng của số liệu, từ 1 đến 12.", "Kỳ báo cáo"),
        **FIELD_HELP,
    }
    for col, (text, field) in enumerate(zip(TEMPLATE_HEADERS, fields), start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.fill = HEADER_FILL
        cell.border = BORDER
        meaning, bieu06 = help_texts[field]
        comment = Comment(f"{meaning}\nBiểu 06: {bieu06}", "cchc")
        comment.width, comment.height = 300, 110
        cell.comment = comment
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "B2"

    last_row = 5000
    units = _unit_names(registry, ("agency", "commune"))
    dv_unit = DataValidation(type="list", allow_blank=True, showErrorMessage=True, errorStyle="warning",
                             showInputMessage=True, promptTitle="Đơn vị",
                             prompt="Chọn hoặc gõ tên đơn vị như trong danh sách ở trang “Hướng dẫn”.",
                             errorTitle="Tên đơn vị lạ",
                             error="Tên này không có trong danh sách đơn vị. Vẫn tiếp tục?")
    dv_year = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100",
                             allow_blank=True, showErrorMessage=True, showInputMessage=True, promptTitle="Năm",
                             prompt="Năm có 4 chữ số, ví dụ 2019.", errorTitle="Năm không hợp lệ",
                             error="Năm phải là số nguyên có 4 chữ số.")
    dv_month = DataValidation(type="whole", operator="between", formula1="1", formula2="12", allow_blank=True,
                              showErrorMessage=True, showInputMessage=True, promptTitle="Tháng",
                              prompt="Tháng từ 1 đến 12.", errorTitle="Tháng không hợp lệ",
                              error="Tháng phải là số nguyên từ 1 đến 12.")
    dv_year.add(f"B2:B{last_row}")
    dv_month.add(f"C2:C{last_row}")
    ws.add_data_validation(dv_year)
    ws.add_data_validation(dv_month)
    for col, field in enumerate(STATS_FIELDS, start=4):
        letter = get_column_letter(col)
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, showInputMessage=True,
                            promptTitle=FIELD_LABELS[field][:32], prompt=FIELD_HELP[field][0][:255],
                            errorTitle="Số không hợp lệ", error="Số hồ sơ là số nguyên không âm (để trống = 0).")
        dv.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(dv)

    required = set(REQUIRED_FIELDS)
    field_rows = [["Đơn vị", "Tên cơ quan, đơn vị hoặc UBND xã (xem danh sách cuối trang).", "Cột (2)", "Có"],
                  ["Năm", "Năm của số liệu, 4 chữ số.", "Kỳ báo cáo", "Có"],
                  ["Tháng", "Tháng của số liệu, từ 1 đến 12.", "Kỳ báo cáo", "Có"]]
    for field in STATS_FIELDS:
        meaning, bieu06 = FIELD_HELP[field]
        field_rows.append([FIELD_LABELS[field], meaning, bieu06, "Có" if field in required else "Không"])
    blocks: list[tuple[str, object]] = [
        ("heading", "1. Cách nhập"),
        ("text", "• Mỗi dòng của trang “Thống kê” là số liệu của một đơn vị trong một tháng. Không sửa dòng tiêu "
                 "đề; thêm bao nhiêu dòng cũng được, mỗi đơn vị mỗi tháng một dòng."),
        ("text", "• Tên đơn vị viết như trong danh sách cuối trang này (không phân biệt chữ hoa, chữ thường, dấu "
                 "cách quanh dấu gạch nối)."),
        ("text", "• Các cột số là số hồ sơ: số nguyên từ 0 trở lên, không có chữ, không có số thập phân. Ô để "
                 "trống được hiểu là 0."),
        ("text", "• Tải lên lại số liệu của một đơn vị trong một tháng đã có thì số liệu mới thay thế số liệu "
                 "cũ của đơn vị, tháng đó."),
        ("text", "• Có thể tải lên trực tiếp tệp Biểu số 06 (Thông tư 01/2020/TT-VPCP) xuất từ hệ thống Một cửa "
                 "điện tử, không cần chép sang mẫu này; các cột bổ sung (mức độ 3, mức độ 4, BCCI, văn bản xin "
                 "lỗi) được đọc nếu có."),
        ("text", "• Nếu dùng công thức, hãy mở tệp bằng Excel và lưu lại trước khi tải lên để giá trị được lưu "
                 "trong tệp."),
        ("blank", None),
        ("heading", "2. Ý nghĩa các cột"),
        ("table", [["Cột", "Ý nghĩa", "Tương ứng Biểu 06", "Bắt buộc"], *field_rows]),
        ("blank", None),
        ("heading", "3. Các đẳng thức phải thỏa mãn (sai lệch sẽ được cảnh báo)"),
        ("text", "• Tổng số hồ sơ tiếp nhận = Trực tuyến + Trực tiếp, dịch vụ bưu chính + Từ kỳ trước."),
        ("text", "• Tổng số hồ sơ tiếp nhận = Tổng số hồ sơ đã giải quyết + Tổng số hồ sơ đang giải quyết."),
        ("text", "• Tổng số hồ sơ đã giải quyết = Giải quyết trước hạn + Giải quyết đúng hạn + Giải quyết quá hạn."),
        ("text", "• Tổng số hồ sơ đang giải quyết = Đang giải quyết trong hạn + Đang giải quyết quá hạn."),
        ("text", "• Từ kỳ trước (tháng này) = Tổng số hồ sơ đang giải quyết (tháng trước)."),
        ("text", "• Trực tuyến mức độ 3 + Trực tuyến mức độ 4 không vượt quá Tổng số hồ sơ tiếp nhận; "
                 "Tiếp nhận qua BCCI không vượt quá số hồ sơ mới tiếp nhận; Trả kết quả qua BCCI không vượt quá "
                 "Tổng số hồ sơ đã giải quyết; Số hồ sơ quá hạn đã có văn bản xin lỗi không vượt quá số hồ sơ "
                 "giải quyết quá hạn cộng đang quá hạn."),
        ("blank", None),
        ("heading", "4. Các tỷ lệ được tính (cộng số liệu trước, chia sau)"),
        ("table", [["Tỷ lệ", "Cách tính", "Tiêu chí"],
                   ["Giải quyết đúng hạn", "(Trước hạn + Đúng hạn) / Tổng số đã giải quyết", "3.4"],
                   ["Xin lỗi hồ sơ quá hạn", "Số có văn bản xin lỗi / (Giải quyết quá hạn + Đang quá hạn)", "3.7"],
                   ["Trực tuyến mức độ 3", "Mức độ 3 / Số hồ sơ mới tiếp nhận (Tổng số − Từ kỳ trước)", "7.2.2"],
                   ["Trực tuyến mức độ 4", "Mức độ 4 / Số hồ sơ mới tiếp nhận", "7.2.3"],
                   ["Tiếp nhận qua BCCI", "Tiếp nhận qua BCCI / Số hồ sơ mới tiếp nhận", "7.3.2"],
                   ["Trả kết quả qua BCCI", "Trả kết quả qua BCCI / Tổng số đã giải quyết", "7.3.3"]]),
    ]
    if units:
        blocks += [("blank", None), ("heading", "5. Danh sách đơn vị"),
                   ("table", [["Tên đơn vị", "Cấp", "Loại"],
                              *([name, level, _KIND_LABELS.get(kind, kind)] for name, level, kind in units)])]
    _guide_sheet(wb, "HƯỚNG DẪN NHẬP MẪU THỐNG KÊ KẾT QUẢ GIẢI QUYẾT TTHC", blocks, (34, 62, 40, 10))
    if units:
        guide = wb[GUIDE_SHEET]
        # The unit list is the last table: find its rows for the drop-down.
        names = {name for name, _, _ in units}
        rows = [c.row for c in guide["A"] if c.value in names]
        if rows:
            dv_unit.formula1 = f"'{GUIDE_SHEET}'!$A${min(rows)}:$A${max(rows)}"
            dv_unit.add(f"A2:A{last_row}")
            ws.add_data_validation(dv_unit)
    wb.active = 0
    return stable_bytes(wb)


# ---------------------------------------------------------------------------------------------------------------
# The plan template
# ---------------------------------------------------------------------------------------------------------------

PLAN_TEMPLATE_YEAR = 2025
PLAN_TITLE = "KẾ HOẠCH KHẮC PHỤC TỒN TẠI, HẠN CHẾ VÀ NÂNG CAO CHỈ SỐ CCHC NĂM …"
PLAN_HEADERS: tuple[str, ...] = (
    "STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm chuẩn", f"Điểm thẩm định {PLAN_TEMPLATE_YEAR}",
    "Điểm bị mất", "Giải pháp", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú",
)
PLAN_HEADER_ROW = 3
_PLAN_WIDTHS = (8, 48, 10, 12, 10, 48, 28, 32, 24, 14)


def build_plan_template(registry: Registry | None = None) -> bytes:
    """The blank plan template: title and header on "Kế hoạch" (no data rows), and "Hướng dẫn"."""
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN_SHEET
    ncols = len(PLAN_HEADERS)
    merge_write(ws, 1, 1, 1, ncols, PLAN_TITLE, cell_font(14, bold=True), CENTER)
    merge_write(ws, 2, 1, 2, ncols, "(Kèm theo Kế hoạch số …/KH-… ngày … tháng … năm … của …)",
                 cell_font(12, italic=True), CENTER)
    ws.row_dimensions[1].height = 30
    write_header(ws, PLAN_HEADER_ROW, PLAN_HEADERS, _PLAN_WIDTHS, 48, freeze_column=3)
    # Criterion codes stay text ("3.10" must not become 3.1): the STT column is formatted as Text.
    ws.column_dimensions["A"].number_format = "@"
    year_cell = ws.cell(row=PLAN_HEADER_ROW, column=4)
    note = Comment(f"Đổi {PLAN_TEMPLATE_YEAR} thành năm của kết quả thẩm định Chỉ số CCHC đang dùng (thường là "
                   "năm trước năm kế hoạch), ví dụ “Điểm thẩm định 2018” cho kế hoạch năm 2019.", "cchc")
    note.width, note.height = 300, 90
    year_cell.comment = note
    stt_note = Comment("Mã lĩnh vực (1, 2, …) hoặc mã tiêu chí (3.4, 7.2.2). Nhập dạng văn bản để Excel không "
                       "đổi 3.10 thành 3.1.", "cchc")
    stt_note.width, stt_note.height = 300, 80
    ws.cell(row=PLAN_HEADER_ROW, column=1).comment = stt_note
    ws.print_title_rows = f"{PLAN_HEADER_ROW}:{PLAN_HEADER_ROW}"
    print_landscape(ws)

    # The example's header deliberately differs from PLAN_HEADERS, so no reader mistakes it for the plan table.
    example = [["Loại dòng", "Cột STT", "Cột tên", "Điểm (chuẩn / thẩm định / bị mất)", "Cột giải pháp",
                "Cột chủ trì", "Cột phối hợp", "Cột thời gian"],
               ["Lĩnh vực", "3", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "15 / 8,5 / 6,5", "", "", "", ""],
               ["Tiêu chí", "3.4", "Tỷ lệ hồ sơ TTHC do UBND cấp huyện, đơn vị hành chính cấp xã tiếp nhận trong "
                "năm được giải quyết đúng hạn", "2 / 1 / 1", "100% số hồ sơ TTHC trong năm được giải quyết đúng hạn",
                "Cơ quan, đơn vị có TTHC, UBND xã", "", "Trong năm 2019 và các năm tiếp theo"],
               ["Lĩnh vực", "7", "HIỆN ĐẠI HÓA HÀNH CHÍNH", "13,25 / 9,75 / 3,5", "", "", "", ""],
               ["Tiêu chí thành phần", "7.2.2", "Tỷ lệ hồ sơ TTHC được xử lý trực tuyến mức độ 3", "0,5 / 0 / 0,5",
                "Từ 20% hồ sơ TTHC trở lên được xử lý trực tuyến mức độ 3", "Phòng Văn hóa-Thông tin",
                "Cơ quan, đơn vị liên quan, UBND xã", "Trong năm 2019 và các năm tiếp theo"]]
    blocks: list[tuple[str, object]] = [
        ("heading", "1. Cấu trúc bảng"),
        ("text", "• Giữ nguyên dòng tiêu đề cột của trang “Kế hoạch”; nhập từ dòng ngay dưới tiêu đề. Có thể sửa "
                 "dòng tên kế hoạch ở trên cùng."),
        ("text", "• Dòng lĩnh vực: cột STT ghi mã lĩnh vực là một số nguyên (“1”, “3”, “7”), tên lĩnh vực viết "
                 "IN HOA; các cột điểm ghi tổng của cả lĩnh vực. Bỏ qua lĩnh vực không bị mất điểm."),
        ("text", "• Dòng tiêu chí, tiêu chí thành phần: cột STT ghi mã có dấu chấm (“3.4”, “7.2.2”), theo sau "
                 "dòng lĩnh vực của nó cho đến dòng lĩnh vực kế tiếp. Nên định dạng cột STT là Văn bản (Text) "
                 "để Excel không đổi “3.10” thành 3.1."),
        ("text", "• Điểm bị mất = Điểm chuẩn − Điểm thẩm định. Điểm bị mất của một lĩnh vực bằng tổng điểm bị mất "
                 "của các tiêu chí thuộc lĩnh vực đó. Điểm có thể ghi dấu phẩy hoặc dấu chấm thập phân "
                 "(“0,75” hay “0.75”)."),
        ("text", f"• Cột “Điểm thẩm định {PLAN_TEMPLATE_YEAR}”: đổi {PLAN_TEMPLATE_YEAR} thành năm của kết quả "
                 "thẩm định đang dùng."),
        ("text", "• Mỗi tiêu chí nằm trên một dòng; không để nội dung của một tiêu chí tràn xuống dòng dưới."),
        ("blank", None),
        ("heading", "Ví dụ"),
        ("table", example),
        ("blank", None),
        ("heading", "2. Cách ghi chỉ tiêu ở cột “Giải pháp” để ứng dụng đọc được"),
        ("text", "• Ghi rõ con số phần trăm và chiều của chỉ tiêu. Ví dụ: “Từ 20% hồ sơ TTHC trở lên được xử lý "
                 "trực tuyến mức độ 3” (từ 20% trở lên); “100% số hồ sơ TTHC trong năm được giải quyết đúng hạn” "
                 "(đạt 100%); “Đạt tỷ lệ giải ngân từ 90% trở lên so với kế hoạch được giao”."),
        ("text", "• Chỉ tiêu không có con số (thời hạn, “thực hiện đúng thời gian quy định”, “có thêm đơn vị”) được "
                 "theo dõi bằng đánh giá thủ công."),
        ("blank", None),
        ("heading", "3. Cơ quan chủ trì, cơ quan phối hợp"),
        ("text", "• Ghi tên cơ quan như trong danh sách đơn vị, nhiều cơ quan cách nhau bằng dấu phẩy, ví dụ: "
                 "“Phòng Nội vụ, Phòng Tư pháp”. Được dùng các nhóm chung như “Cơ quan, đơn vị liên quan”, "
                 "“UBND xã”."),
        ("blank", None),
        ("heading", "4. Thời gian thực hiện"),
        ("text", "• Ghi theo các cụm quen dùng, ví dụ: “Quý I, 6 tháng, Quý III và năm” (báo cáo định kỳ), "
                 "“Trong năm 2019 và các năm tiếp theo”, hoặc một thời hạn cụ thể “Trước ngày 15/12/2019”."),
    ]
    units = _unit_names(registry)
    if units:
        blocks += [("blank", None), ("heading", "5. Danh sách đơn vị"),
                   ("table", [["Tên cơ quan, đơn vị", "Cấp", "Loại"],
                              *([name, level, _KIND_LABELS.get(kind, kind)] for name, level, kind in units)])]
    _guide_sheet(wb, "HƯỚNG DẪN NHẬP MẪU KẾ HOẠCH NÂNG CAO CHỈ SỐ CCHC", blocks, (16, 10, 44, 18, 44, 28, 30, 26))
    wb.active = 0
    return stable_bytes(wb)


# ---------------------------------------------------------------------------------------------------------------
# Writing the shipped files
# ---------------------------------------------------------------------------------------------------------------

def write_all(directory: Path | str = DATA_DIR) -> list[Path]:
    """(Re)write the sample statistics (both layouts) and the two blank templates into `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    table = sample_stats_table()
    outputs = {
        SAMPLE_STATS_FILE.name: build_bieu06_workbook(table, SAMPLE_ORGANISATION, illustrative=True),
        SAMPLE_STATS_TEMPLATE_LAYOUT_FILE.name: build_template_workbook(table),
        STATS_TEMPLATE_FILE.name: build_stats_template(),
        PLAN_TEMPLATE_FILE.name: build_plan_template(),
    }
    written = []
    for name, data in outputs.items():
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written
