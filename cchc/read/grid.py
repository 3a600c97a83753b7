"""The grid reader: an upload that passed the container guard (cchc.read.container), read into plain grids.

Every sheet becomes a `Sheet`: rows of cell values as python-calamine gives them (text, numbers, dates, None) and its
merged ranges, clipped to the grid. Legacy .xls (BIFF) files are read by calamine in a child process with a memory
and CPU limit, because their records are not scanned by the guard; the child's answer comes back through an
unpickler that accepts plain values only. Cell text is never evaluated: "=cmd|' /C calc'!A0" stays that text.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from ..findings import WorkbookRefused
from .container import (
    MAX_CELLS,
    MAX_MERGED_RANGES,
    MAX_SHEETS,
    PASSWORD,
    RESAVE,
    XLS_CHILD_CPU_SECONDS,
    XLS_CHILD_MEMORY_BYTES,
    _corrupt,
    _count,
    _refuse,
    _too_many_cells,
    column_name,
    inspect_upload,
)
from .html import read_html_tables
from .legacy import convert_cell, encoding_of_font, guess_encoding, is_unicode_vietnamese, uppercase_font


@dataclass
class Sheet:
    name: str
    rows: list[list]  # rows[0] is Excel row 1, rows[r][0] is column A
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1), 0-based inclusive
    # header grids built by cchc.read.table, shared by every kind's header search on this sheet
    grids: dict = field(default_factory=dict, repr=False, compare=False)
    # 1-based rows and columns Excel hides whose cells were blanked here, so no reader counts what a user cannot see
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[int] = field(default_factory=list)

    def cell(self, row: int, col: int):
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Workbook:
    sheets: list[Sheet]
    # cells that hold a formula but no saved value, by sheet name: ["C5", ...]
    unsaved_formulas: dict[str, list[str]] = field(default_factory=dict)
    hidden_sheets: list[str] = field(default_factory=list)  # hidden sheets with content, left out of `sheets`
    # sheet name → (encoding, font or None) of sheets typed in a legacy Vietnamese encoding, converted to Unicode
    legacy: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    html: bool = False  # an HTML table saved with an Excel name ("Xuất Excel" of many one-stop systems)

    def notices(self) -> list[tuple[str, str | None]]:
        """(warning, sheet) for how the file was read: as a web page, converted from a legacy encoding, with hidden
        sheets, rows or columns left out."""
        out = [("Tệp là trang web (HTML) được đặt tên như tệp Excel, như nhiều phần mềm một cửa xuất ra; đã đọc "
                f"{len(self.sheets)} bảng trong trang ({', '.join(s.name for s in self.sheets)}).", None)
               ] if self.html else []
        out += [(f"Sheet “{name}” được gõ bằng bảng mã {_ENCODING_NAMES[encoding]}"
                + (f", phông {font}" if font else "") + "; chữ đã được chuyển sang Unicode trước khi đọc. Hãy "
                "kiểm tra tên đơn vị và tiêu đề cột trong kết quả.", name)
               for name, (encoding, font) in self.legacy.items()]
        out += [(f"Sheet “{name}” đang bị ẩn trong Excel nên không được đọc. Nếu cần số liệu của sheet này, hãy bỏ "
                "ẩn (chuột phải vào tên sheet → Unhide) rồi tải lên lại.", name) for name in self.hidden_sheets]
        for sheet in self.sheets:
            if sheet.hidden_rows:
                rows = _spans(sheet.hidden_rows)
                out.append((f"{len(sheet.hidden_rows)} dòng bị ẩn ({rows}) không được đọc: chỉ "
                            "đọc số liệu thấy được trong Excel. Nếu cần các dòng này, hãy bỏ ẩn rồi tải lên lại.",
                            sheet.name))
            if sheet.hidden_cols:
                cols = _spans(sheet.hidden_cols, letters=True)
                out.append((f"{len(sheet.hidden_cols)} cột bị ẩn ({cols}) không được đọc: chỉ "
                            "đọc số liệu thấy được trong Excel. Nếu cần các cột này, hãy bỏ ẩn rồi tải lên lại.",
                            sheet.name))
        return out

    def unsaved_formulas_message(self, sheet: str) -> str | None:
        """The error for a sheet whose formulas have no saved value (the file was never opened and saved in Excel)."""
        cells = self.unsaved_formulas.get(sheet)
        if not cells:
            return None
        more = "…" if len(cells) > 10 else ""
        return (f"Các ô có công thức nhưng chưa có giá trị đã lưu ({', '.join(cells[:10])}{more}). Hãy mở tệp bằng "
                "Excel, bấm Lưu rồi tải lên lại.")


_ENCODING_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}
_LEGACY_ROWS = 200  # the rows (title, header, unit names) whose text tells a sheet's encoding


def _workbook_fonts(upload) -> list[str]:
    """The font names an .xlsx declares in its styles (a ".VnTime" or "VNI-Times" font says how it was typed)."""
    if upload.format != "xlsx":
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(upload.data)) as archive:
            name = next((n for n in archive.namelist() if n.lower() == "xl/styles.xml"), None)
            xml = archive.read(name) if name else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        return []
    return [m.decode("utf-8", "replace") for m in re.findall(rb'<(?:\w+:)?(?:name|rFont)\s+val="([^"]{1,64})"', xml)]


def _convert_legacy(rows: list[list], fonts: list[str]) -> tuple[str, str | None] | None:
    """Convert a sheet typed in TCVN3 or VNI to Unicode in place, when its characters say so; (encoding, font)."""
    texts = list(dict.fromkeys(v for row in rows[:_LEGACY_ROWS] for v in row if isinstance(v, str) and not v.isascii()))
    if not texts or sum(map(is_unicode_vietnamese, texts)) * 2 >= len(texts):
        return None  # typed in Unicode (ơ, ư, đ, ạ … exist in no legacy cell): nothing to tell
    encoding = guess_encoding(texts)
    if encoding is None:
        return None
    font = next((f for f in fonts if encoding_of_font(f) == encoding), None)
    upper = bool(font) and uppercase_font(font) and not any(encoding_of_font(f) == encoding and not uppercase_font(f)
                                                           for f in fonts)
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, str) and not value.isascii():
                row[c] = convert_cell(value, encoding, upper)
    return encoding, font


def _spans(numbers: list[int], letters: bool = False) -> str:
    """"5–7, 12" (or "C–D, H"): consecutive numbers written as a range."""
    name = (lambda n: column_name(n - 1)) if letters else str
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(name(start) if start == n else f"{name(start)}–{name(n)}")
            start = None
    return ", ".join(parts)


def _blank_hidden(rows: list[list], hidden_rows: list[int], hidden_cols: list[int]) -> tuple[list[int], list[int]]:
    """Blank the hidden rows and columns that hold something; returns those (1-based), for the warning."""
    rows_with_content = []
    for number in hidden_rows:
        row = rows[number - 1] if number <= len(rows) else None
        if row and any(v is not None and v != "" for v in row):
            rows[number - 1] = [None] * len(row)
            rows_with_content.append(number)
    cols_with_content = []
    for number in hidden_cols:
        col = number - 1
        if any(col < len(row) and row[col] is not None and row[col] != "" for row in rows):
            for row in rows:
                if col < len(row):
                    row[col] = None
            cols_with_content.append(number)
    return rows_with_content, cols_with_content


# ---------------------------------------------------------------------------------------------------------------
# Reading the cells with calamine
# ---------------------------------------------------------------------------------------------------------------

def _clean_merges(raw_merges, rows: list[list], name: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges clipped to the grid, in file order, without exact duplicates.

    Ranges that cover more cells together than the sheet has must overlap, which never happens in a file Excel
    wrote (it reports such a file as damaged); they are refused, so whatever a reader does per merged cell is
    bounded by the size of the sheet (a few hundred bytes of XML could otherwise ask for billions of steps).
    """
    if raw_merges is None:
        return []
    if len(raw_merges) > MAX_MERGED_RANGES:
        raise _refuse(f"Sheet “{name}” có quá nhiều vùng gộp ô ({_count(len(raw_merges))}). " + RESAVE)
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    merged: dict[tuple[int, int, int, int], None] = {}
    for (r0, c0), (r1, c1) in raw_merges:
        if r1 < r0:
            r0, r1 = r1, r0
        if c1 < c0:
            c0, c1 = c1, c0
        if r0 >= height or c0 >= width:
            continue
        merged[(r0, c0, min(r1, height - 1), min(c1, width - 1))] = None
    area = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in merged)
    if area > height * width:
        raise _refuse(f"Sheet “{name}” có các vùng gộp ô chồng lên nhau (tệp bị hỏng). " + RESAVE)
    return list(merged)


OUT_OF_MEMORY = "Tệp quá lớn để đọc: không đủ bộ nhớ. Hãy tách tệp hoặc xóa các dòng, cột thừa."


def _read_calamine(data: bytes, max_cells: int = MAX_CELLS) -> list[tuple[str, list[list], list, bool]]:
    """(name, rows, merged, visible) of every sheet. Raises WorkbookRefused."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        visible = {m.name: m.visible == python_calamine.SheetVisibleEnum.Visible for m in book.sheets_metadata}
        if len(names) > MAX_SHEETS:
            raise _refuse(f"Tệp có quá nhiều sheet ({_count(len(names))}; giới hạn {MAX_SHEETS}).")
        out = []
        total = 0
        for name in names:
            raw = book.get_sheet_by_name(name)
            end = raw.end
            if end is not None:
                cells = (end[0] + 1) * (end[1] + 1)
                total += cells
                if total > max_cells:
                    raise _too_many_cells(f"Sheet “{name}”", end[0] + 1, end[1] + 1, total)
            rows = raw.to_python(skip_empty_area=False)
            try:
                merges = raw.merged_cell_ranges
            except Exception:  # merged ranges are a hint only; some formats do not carry them
                merges = None
            out.append((name, [list(r) for r in rows], merges, visible.get(name, True)))
        return out
    except WorkbookRefused:
        raise
    except python_calamine.PasswordError:
        raise _refuse(PASSWORD) from None
    except MemoryError:
        raise _refuse(OUT_OF_MEMORY) from None
    except Exception as exc:  # calamine raises several types for broken files; all mean "unreadable"
        raise _refuse(f"Tệp Excel bị hỏng, không đọc được nội dung ({type(exc).__name__}). {RESAVE}") from None
    except BaseException as exc:  # a Rust panic inside calamine arrives as pyo3's PanicException (a BaseException)
        if type(exc).__name__ == "PanicException":
            raise _refuse(f"Tệp Excel bị hỏng, không đọc được nội dung (lỗi bên trong bộ đọc). {RESAVE}") from None
        raise


# A legacy .xls is read in a child process that cannot take more than XLS_CHILD_MEMORY_BYTES nor run longer than
# XLS_CHILD_CPU_SECONDS: BIFF records are not scanned here, and a small .xls can ask calamine for gigabytes.
_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from cchc.read.grid import _child_main
_child_main()
"""

_ALLOWED_CLASSES = {("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta"),
                    ("datetime", "timezone")}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


def _child_main() -> None:  # pragma: no cover - runs in the child process
    import resource

    memory, seconds = int(sys.argv[2]), int(sys.argv[3])
    memory_hard, cpu_hard = resource.getrlimit(resource.RLIMIT_AS)[1], resource.getrlimit(resource.RLIMIT_CPU)[1]
    if memory_hard != resource.RLIM_INFINITY:  # a parent bounded more tightly: its limits stand
        memory = min(memory, memory_hard)
    if cpu_hard != resource.RLIM_INFINITY:
        seconds = min(seconds, cpu_hard - 1)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    data = sys.stdin.buffer.read()
    try:
        result = ("ok", _read_calamine(data))
    except WorkbookRefused as refused:
        result = ("refused", [f.message for f in refused.findings.errors])
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


def _read_xls_in_child(data: bytes):
    root = str(Path(__file__).resolve().parents[2])
    try:
        done = subprocess.run([sys.executable, "-I", "-c", _CHILD, root, str(XLS_CHILD_MEMORY_BYTES),
                               str(XLS_CHILD_CPU_SECONDS)], input=data, capture_output=True,
                              timeout=XLS_CHILD_CPU_SECONDS * 2 + 30)
    except subprocess.TimeoutExpired:
        raise _refuse("Tệp .xls quá lớn hoặc bị hỏng: đọc quá lâu. Hãy mở bằng Excel, lưu lại dạng .xlsx rồi tải "
                      "lên.") from None
    if done.returncode != 0 or not done.stdout:
        raise _refuse("Tệp .xls quá lớn hoặc bị hỏng, không đọc được an toàn. Hãy mở bằng Excel, lưu lại dạng .xlsx "
                      "rồi tải lên.")
    try:
        status, payload = _SafeUnpickler(io.BytesIO(done.stdout)).load()
    except Exception:
        raise _corrupt("không đọc được kết quả") from None
    if status == "refused":
        raise _refuse(payload[0] if payload else "Tệp Excel bị hỏng.")
    return payload


def _xls_in_child_available() -> bool:
    """A legacy .xls is read in a child of its own on POSIX, unless this process is itself bounded at least as
    tightly as that child would be (the upload check's child, cchc.sandbox): then it is read here, under this
    process's limits, and a check stopped at its wall clock leaves no grandchild running."""
    if os.name != "posix":
        return False
    import resource

    memory, cpu = resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_CPU)[0]
    bounded = (memory != resource.RLIM_INFINITY and memory <= XLS_CHILD_MEMORY_BYTES
               and cpu != resource.RLIM_INFINITY and cpu <= XLS_CHILD_CPU_SECONDS)
    return not bounded


# ---------------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------------

TITLE_ROWS = 10  # a title block above the figures is a few lines, never a table of its own


def _html_workbook(data: bytes, filename: str) -> Workbook:
    """An HTML table saved under an Excel name: its tables are the sheets (merged ranges as the spans give them),
    read with the same cell and merge limits and the same legacy-encoding check as a workbook."""
    sheets, legacy = [], {}
    tables = list(read_html_tables(data, filename))
    title: list[list] = []  # a table of text only (the report's title, "Kỳ báo cáo: …") heads the next table
    for index, (name, rows, merged) in enumerate(tables):
        if index + 1 < len(tables) and 0 < len(rows) <= TITLE_ROWS and not any(
                isinstance(v, (int, float)) for row in rows for v in row):
            title += rows
            continue
        if title:
            width = max(len(row) for row in rows) if rows else 0
            rows = [(row + [None] * width)[:max(width, 1)] for row in title] + rows
            merged = [(r1 + len(title), c1, r2 + len(title), c2) for r1, c1, r2, c2 in merged]
            title = []
        if (found := _convert_legacy(rows, [])) is not None:
            legacy[name] = found
        sheets.append(Sheet(name=name, rows=rows, merged=merged))
    return Workbook(sheets=sheets, legacy=legacy, html=True)


def load_workbook(data: bytes, filename: str = "") -> Workbook:
    """Read every sheet of an .xlsx/.xlsm/.xls/.ods file given as bytes. Raises WorkbookRefused."""
    upload = inspect_upload(data, filename)
    if upload.format == "html":
        return _html_workbook(upload.data, filename)
    if upload.format == "xls":
        read = _read_xls_in_child(upload.data) if _xls_in_child_available() else _read_calamine(upload.data)
    else:
        try:
            read = _read_calamine(upload.data)
        except WorkbookRefused as refused:
            located = upload.diagnose() if "bị hỏng" in refused.findings.errors[0].message else None
            raise located or refused from None
    unsaved = dict(upload.unsaved_formulas)
    sheets, hidden_sheets = [], []
    legacy: dict[str, tuple[str, str | None]] = {}
    fonts = _workbook_fonts(upload)
    for i, (name, rows, merges, visible) in enumerate(read):
        if not visible:  # a user sees the figures they see in Excel: a hidden sheet is left out, and said so
            unsaved.pop(name, None)
            if any(v is not None and v != "" for row in rows for v in row):
                hidden_sheets.append(name)
            continue
        hidden_rows, hidden_cols = _blank_hidden(rows, *upload.hidden.get(name, ([], [])))
        if (found := _convert_legacy(rows, fonts)) is not None:
            legacy[name] = found
        if not (name or "").strip():  # an .ods table may have no name; every message must be able to name its sheet
            unsaved.pop(name, None)
            name = f"Sheet{i + 1}"
        sheets.append(Sheet(name=name, rows=rows, merged=_clean_merges(merges, rows, name), hidden_rows=hidden_rows,
                            hidden_cols=hidden_cols))
    return Workbook(sheets=sheets, unsaved_formulas=unsaved, hidden_sheets=hidden_sheets, legacy=legacy)
