"""Any table the dashboard shows, as a formatted .xlsx a user can download: pure functions, no Streamlit.

The display frames carry Vietnamese headers and often numbers already formatted as text ("1.234", "95,2%",
"–"). A column whose every cell reads as a Vietnamese number goes back to Excel as real numbers with a number
format, so the user can sum and sort it. Text that Excel would take as a formula (=, +, -, @, tab, CR at the
start) is stored as text with Excel's quote prefix: it shows and reads back exactly as written, never runs.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .xlsx_style import print_landscape

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
HEADER_FILL = PatternFill("solid", start_color="DCE6F1", end_color="DCE6F1")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_BORDER = Border(bottom=Side(style="thin", color="7F8C9A"))
MIN_WIDTH, MAX_WIDTH = 6, 60
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BLANK_MARKERS = {"", "–", "—", "-", "−"}  # fmt.number/percent write "–" for no data
# frame.attrs[EXACT_ATTR] = {header: unrounded values (a Series indexed like the frame, or a list in row order)}:
# a display column shows "95,2%", the cell gets 0.95238… with a % format (used only where each value rounds to
# the text shown, so a frame filtered or re-sorted later can never get another row's numbers)
EXACT_ATTR = "exact"
_RESERVED_SHEET_NAMES = {"history"}  # Excel refuses a sheet named History

# Vietnamese numbers: "1.234", "1.234,5", "-12", "+0,75"; percents "95,2%", "100%". A thousands group is exactly
# three digits; a leading zero ("01", "007") marks a code, not a number.
_NUMBER_RE = re.compile(r"^(?P<sign>[+\-−]?)(?P<int>0|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*)(?:,(?P<dec>\d+))?$")


def to_xlsx(frames: Mapping[str, pd.DataFrame] | pd.DataFrame, title: str | None = None,
            number_formats: Mapping[str, str] | None = None) -> bytes:
    """One formatted sheet per frame ({sheet name: frame}, or one frame), as .xlsx bytes.

    title: a bold first row on every sheet. number_formats: {column header: Excel format} to override the
    format this function would choose (the values are still converted only where the whole column parses).
    """
    if isinstance(frames, pd.DataFrame):
        frames = {title or "Bảng": frames}
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for i, (name, frame) in enumerate(frames.items(), start=1):
        sheet = workbook.create_sheet(sheet_name(str(name), used, fallback=f"Bảng {i}"))
        _write_sheet(sheet, frame, title, dict(number_formats or {}))
    if not workbook.worksheets:
        workbook.create_sheet("Bảng")
    workbook.properties.creator = "Bảng điều hành Chỉ số CCHC"
    if title:
        workbook.properties.title = _clean_text(title)[:250]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_name(name: str, used: set[str] | None = None, fallback: str = "Bảng") -> str:
    """A name Excel accepts: no []:*?/\\, no leading/trailing apostrophe, ≤ 31 characters, unique (any case).

    A longer name is shortened at a word boundary, never inside a word ("Số liệu giải quyết hồ sơ theo đơn vị và
    theo tháng" → "Số liệu giải quyết hồ sơ"), and a repeated one gets " (2)", " (3)"… the same way."""
    used = used if used is not None else set()
    text = re.sub(r"[:/\\]", "-", re.sub(r"[\[\]*?]", "", _clean_text(name)))
    text = re.sub(r"\s+", " ", text).strip().strip("'").strip()
    if not text or text.lower() in _RESERVED_SHEET_NAMES:
        text = fallback
    text = _shorten_name(text, SHEET_NAME_LIMIT) or _shorten_name(fallback, SHEET_NAME_LIMIT)
    candidate, n = text, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = _shorten_name(text, SHEET_NAME_LIMIT - len(suffix)) + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


SHEET_NAME_LIMIT = 31  # Excel's limit, in UTF-16 code units
# Words a shortened name should not end on ("… theo", "… và"): it ends on the word before them
_TRAILING_WORDS = {"và", "của", "theo", "với", "cho", "trong", "các", "những", "về", "đến", "từ", "tại", "ở", "hoặc",
                   "là", "có", "được", "đã", "trên", "dưới", "so", "-", "–", "—"}


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _shorten_name(text: str, limit: int) -> str:
    """`text` cut to `limit` UTF-16 units at the last whole word (and without a dangling "và", "theo"…); a first
    word longer than the limit is the only thing cut inside."""
    if _units(text) <= limit:
        return text.strip().strip("'").strip()
    words = text.split(" ")
    kept: list[str] = []
    for word in words:
        if _units(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1].lower().strip(",;:.") in _TRAILING_WORDS:
        kept.pop()
    if kept:
        short = " ".join(kept).rstrip(" ,;:.-–—(").strip("'").strip()
        if short:
            return short
    out = ""
    for ch in text:  # one word longer than the limit: cut it (nothing else to do)
        if _units(out + ch) > limit:
            break
        out += ch
    return out.rstrip().strip("'")


def _write_sheet(sheet, frame: pd.DataFrame, title: str | None, overrides: dict[str, str]) -> None:
    exact = _exact_columns(frame)
    frame = _flatten(frame)
    first = 1
    if title:
        cell = sheet.cell(row=1, column=1, value=_clean_text(title))
        cell.data_type = "s"
        cell.font = TITLE_FONT
        first = 2
    headers = [_header_text(c) for c in frame.columns]
    widths = [_text_width(h) + 2 for h in headers]  # bold header: a little wider
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=first, column=col)
        _set_text(cell, header)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for col, header in enumerate(headers, start=1):
        values, number_format = column_values(frame.iloc[:, col - 1], header)
        if header in exact and number_format:
            values = _with_exact(frame.iloc[:, col - 1], values, exact[header])
        number_format = overrides.get(header, number_format)
        for row, value in enumerate(values, start=first + 1):
            cell = sheet.cell(row=row, column=col)
            if value is None:
                continue
            if isinstance(value, str):
                _set_text(cell, value)
            else:
                cell.value = value
                if number_format:
                    cell.number_format = number_format
            widths[col - 1] = max(widths[col - 1], _display_width(value, number_format))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    if headers:
        sheet.freeze_panes = sheet.cell(row=first + 1, column=1).coordinate
        last = get_column_letter(len(headers))
        sheet.auto_filter.ref = f"A{first}:{last}{first + max(len(frame), 1)}"
        sheet.print_title_rows = f"{first}:{first}"
    print_landscape(sheet)


def _exact_columns(frame: pd.DataFrame) -> dict[str, list]:
    """{header: the column's unrounded values in row order} from frame.attrs[EXACT_ATTR], where they line up."""
    out = {}
    for header, values in (frame.attrs.get(EXACT_ATTR) or {}).items():
        if isinstance(values, pd.Series):
            if values.index.equals(frame.index):
                out[str(header)] = list(values)
            elif values.index.is_unique and frame.index.isin(values.index).all():
                out[str(header)] = list(values.reindex(frame.index))  # rows filtered or sorted since
        elif len(values) == len(frame):
            out[str(header)] = list(values)
    return out


def _with_exact(shown: pd.Series, parsed: list, exact: list) -> list:
    """The exact values where every one rounds to the text on screen ("95,2%" ← 0.95238); else the parsed text
    (a frame re-indexed after its exact values were attached must not get another row's numbers)."""
    out = []
    for text, value, precise in zip(shown, parsed, exact):
        if value is None:
            if not _missing(precise):
                return parsed
            out.append(None)
            continue
        if _missing(precise) or not isinstance(precise, (int, float, np.integer, np.floating)) or \
                isinstance(precise, bool) or not math.isfinite(float(precise)):
            return parsed
        if abs(float(precise) - float(value)) > _half_unit(text) + 1e-9:
            return parsed
        out.append(precise.item() if hasattr(precise, "item") else precise)
    return out


def _half_unit(text) -> float:
    """Half the last shown digit of a Vietnamese number ("95,2%" → 0.0005, "19,25" → 0.005, "1.234" → 0.5)."""
    if not isinstance(text, str):
        return 0.0
    body = text.strip()
    decimals = len(body.rstrip("%").split(",")[1]) if "," in body else 0
    return 0.5 * 10 ** -(decimals + (2 if body.endswith("%") else 0))


def _flatten(frame: pd.DataFrame) -> pd.DataFrame:
    """Named indexes become columns; a MultiIndex header becomes one line of text per column."""
    if frame.index.nlevels > 1 or frame.index.name is not None:
        frame = frame.reset_index()
    if frame.columns.nlevels > 1:
        frame = frame.copy()
        frame.columns = [" – ".join(str(p) for p in parts if str(p) and not str(p).startswith("Unnamed"))
                         for parts in frame.columns]
    return frame


def _header_text(value) -> str:
    return _clean_text("" if value is None else str(value))


def _clean_text(text: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", text))
    return text[:MAX_CELL_CHARS]


def _set_text(cell, text: str) -> None:
    """Text stays text: never a formula or an error code, and text Excel would evaluate gets the quote prefix."""
    text = _clean_text(text)
    cell.value = text
    cell.data_type = "s"  # openpyxl would make "=…" a formula and "#N/A" an error
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


# ---------------------------------------------------------------------------------------------------------------- #
# Column values: real numbers and dates where the column holds them
# ---------------------------------------------------------------------------------------------------------------- #

def column_values(series: pd.Series, header: str) -> tuple[list, str | None]:
    """The cells of one column as Excel values, and the number format for its numbers (None for text)."""
    if pd.api.types.is_bool_dtype(series):
        return [None if _missing(v) else bool(v) for v in series], None
    if pd.api.types.is_numeric_dtype(series):
        return _numeric_column(series, header)
    if pd.api.types.is_datetime64_any_dtype(series):
        values = [None if _missing(v) else _naive(pd.Timestamp(v).to_pydatetime()) for v in series]
        return values, _date_format(values)
    present = [v for v in series if not _missing(v)]
    if present and all(isinstance(v, (dt.date, dt.datetime, pd.Timestamp)) for v in present):
        values = [None if _missing(v) else _naive(v.to_pydatetime() if isinstance(v, pd.Timestamp) else v)
                  for v in series]
        return values, _date_format(values)
    if present and all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                       for v in present):
        return _numeric_column(pd.to_numeric(series, errors="coerce"), header)
    parsed = parse_column(series)
    if parsed is not None:
        return parsed
    dates = parse_dates(series)
    if dates is not None:
        return dates, _date_format(dates)
    return [None if _missing(v) else _as_text(v) for v in series], None


def _numeric_column(series: pd.Series, header: str) -> tuple[list, str]:
    values = [None if _missing(v) else v.item() if hasattr(v, "item") else v for v in series]
    values = [None if v is not None and isinstance(v, float) and math.isinf(v) else v for v in values]
    numbers = [v for v in values if v is not None]
    if pd.api.types.is_integer_dtype(series) or all(float(v).is_integer() for v in numbers):
        if _is_rate_header(header) and numbers and all(0 <= v <= 1 for v in numbers) and \
                not pd.api.types.is_integer_dtype(series):
            return values, "0.0%"
        return [int(v) if v is not None and float(v).is_integer() else v for v in values], INTEGER_FORMAT
    if _is_rate_header(header) and all(-1 <= v <= 1 for v in numbers):
        return values, "0.0%"
    decimals = min(max((_decimals(v) for v in numbers), default=0), 4)
    return values, INTEGER_FORMAT + ("." + "0" * decimals if decimals else "")


def _is_rate_header(header: str) -> bool:
    return "tỷ lệ" in header.lower() or "tỉ lệ" in header.lower() or "%" in header


def _decimals(value: float) -> int:
    text = f"{value:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def parse_column(series: pd.Series) -> tuple[list, str] | None:
    """Vietnamese number text back to numbers, when every non-blank cell parses the same way; else None.

    "1.234" → 1234 ("#,##0"), "19,25" → 19.25 ("#,##0.00"), "95,2%" → 0.952 ("0.0%"), "–" → empty.
    """
    values: list = []
    kinds: set[str] = set()
    decimals = 0
    signed = False
    for raw in series:
        if _missing(raw):
            values.append(None)
            continue
        if not isinstance(raw, str):
            return None
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        if text in BLANK_MARKERS:
            values.append(None)
            continue
        percent = text.endswith("%")
        match = _NUMBER_RE.match(text[:-1] if percent else text)
        if match is None:
            return None
        number = float(match["int"].replace(".", "") + ("." + match["dec"] if match["dec"] else ""))
        if match["sign"] in ("-", "−"):
            number = -number
        signed = signed or match["sign"] == "+"
        decimals = max(decimals, len(match["dec"] or ""))
        kinds.add("percent" if percent else "number")
        values.append(number / 100 if percent else number)
    if len(kinds) != 1:
        return None  # nothing but blanks, or numbers mixed with percents: keep the text
    decimals = min(decimals, 4)
    if kinds == {"percent"}:
        values = [None if v is None else round(v, decimals + 2 + 6) for v in values]
        return values, "0" + ("." + "0" * decimals if decimals else "") + "%"
    if decimals == 0:
        values = [None if v is None else int(v) for v in values]
        base = INTEGER_FORMAT
    else:
        base = INTEGER_FORMAT + "." + "0" * decimals
    return values, (f"+{base};-{base};0" if signed else base)


_TIME = r"(?:[T ]\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
_DATE_RE = re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})" + _TIME)  # 31/12/2019 [08:30]
_ISO_DATE_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})" + _TIME)  # 2019-12-31[T08:30]


def parse_dates(series: pd.Series) -> list | None:
    """Dates written as text ("31/12/2019", "10/07/2019 08:30", "2019-12-31") back to dates, when every non-blank
    cell is one; else None. A month ("01/2019") is not a date: it stays text."""
    values: list = []
    found = False
    for raw in series:
        if _missing(raw):
            values.append(None)
            continue
        if not isinstance(raw, str):
            return None
        text = raw.strip()
        if text in BLANK_MARKERS:
            values.append(None)
            continue
        match = _DATE_RE.match(text) or _ISO_DATE_RE.match(text)
        if match is None:
            return None
        try:
            values.append(dt.datetime(int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"] or 0),
                                      int(match["M"] or 0), int(match["S"] or 0)))
        except ValueError:  # 31/02/2019 is no date: the column is text
            return None
        found = True
    return values if found else None


def _missing(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    try:
        return value is pd.NA
    except TypeError:
        return False


def _naive(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _date_format(values: list) -> str:
    with_time = any(isinstance(v, dt.datetime) and (v.hour, v.minute, v.second) != (0, 0, 0) for v in values)
    return DATETIME_FORMAT if with_time else DATE_FORMAT


def _as_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _text_width(text: str) -> int:
    lines = str(text).split("\n")
    return max(len(line) for line in lines) if lines else 0


def _display_width(value, number_format: str | None) -> int:
    from .. import formatting as fmt

    if isinstance(value, str):
        return _text_width(value)
    if isinstance(value, bool):
        return 5
    if isinstance(value, (dt.date, dt.datetime)):
        return 16 if isinstance(value, dt.datetime) else 10
    if number_format and number_format.endswith("%"):
        return len(fmt.percent(value, 2)) + 1
    return len(fmt.number(value, 2)) + 1
