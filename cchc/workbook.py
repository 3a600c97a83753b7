"""Open an uploaded workbook safely and hand back its sheets as plain grids of cell values.

Every failure becomes a Vietnamese message: a renamed CSV, a truncated or encrypted file, a zip that would
inflate past the limit, formulas whose values were never saved.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import python_calamine

from .findings import Findings, WorkbookRefused

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_INFLATED_BYTES = 400 * 1024 * 1024
MAX_INFLATE_RATIO = 200

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Sheet:
    name: str
    rows: list[list]  # rows[0] is Excel row 1, rows[r][0] is column A
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1), 0-based inclusive

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


def _refuse(message: str) -> WorkbookRefused:
    findings = Findings()
    findings.error(message)
    return WorkbookRefused(findings)


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise _refuse("Tệp bị hỏng hoặc chưa tải lên trọn vẹn (không đọc được cấu trúc tệp Excel). "
                      "Hãy mở tệp bằng Excel, lưu lại rồi tải lên lần nữa.") from None
    inflated = sum(i.file_size for i in infos)
    if inflated > MAX_INFLATED_BYTES or (len(data) and inflated / len(data) > MAX_INFLATE_RATIO
                                         and inflated > 20 * 1024 * 1024):
        raise _refuse("Tệp bị từ chối: nội dung giải nén quá lớn so với kích thước tệp "
                      "(có thể là tệp độc hại dạng “zip bomb”).")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        raise _refuse("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")
    if "xl/vbaProject.bin" in names:
        raise _refuse("Tệp có chứa macro (VBA). Vì an toàn, hãy lưu lại dưới dạng “Excel Workbook (.xlsx)” "
                      "không có macro rồi tải lên.")
    return archive


_CELL = re.compile(rb"<c\b([^>]*)>(.*?)</c>", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')


def _unsaved_formulas(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Cells with a formula and no cached value, per sheet (xlsx only)."""
    try:
        workbook_xml = archive.read("xl/workbook.xml")
        rels_xml = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = dict(re.findall(rb'Id="([^"]+)"[^>]*Target="([^"]+)"', rels_xml))
    targets.update({k: v for v, k in re.findall(rb'Target="([^"]+)"[^>]*Id="([^"]+)"', rels_xml)})
    found: dict[str, list[str]] = {}
    for name, rid in re.findall(rb'<sheet\b[^>]*name="([^"]*)"[^>]*r:id="([^"]+)"', workbook_xml):
        target = targets.get(rid, b"").decode()
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        try:
            xml = archive.read(path)
        except KeyError:
            continue
        if b"<f" not in xml:
            continue
        cells = []
        for attrs, body in _CELL.findall(xml):
            if b"<f" in body and (b"<v>" not in body and b"<v/>" not in body or re.search(rb"<v>\s*</v>", body)):
                ref = _REF.search(attrs)
                if ref:
                    cells.append(ref.group(1).decode())
        if cells:
            sheet_name = name.decode("utf-8").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            found[sheet_name] = cells
    return found


def load_workbook(data: bytes, filename: str = "") -> Workbook:
    """Read every sheet of an .xlsx/.xlsm/.xls/.ods file given as bytes. Raises WorkbookRefused."""
    if not data:
        raise _refuse("Tệp rỗng (0 byte).")
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(f"Tệp quá lớn ({len(data) / 1024 / 1024:.0f} MB); giới hạn là "
                      f"{MAX_FILE_BYTES // 1024 // 1024} MB.")
    unsaved: dict[str, list[str]] = {}
    if data.startswith(_ZIP_MAGIC):
        archive = _check_zip(data)
        unsaved = _unsaved_formulas(archive)
    elif data.startswith(_OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise _refuse("Tệp Excel được đặt mật khẩu (mã hóa). Hãy gỡ mật khẩu trong Excel "
                          "(Tệp › Thông tin › Bảo vệ sổ làm việc) rồi tải lên lại.")
    else:
        head = data[:2048]
        looks_text = all(b >= 9 for b in head[:512]) or head.startswith(b"\xef\xbb\xbf")
        hint = " Tệp này có vẻ là tệp văn bản/CSV được đổi đuôi." if looks_text else ""
        raise _refuse("Không đọc được tệp: đây không phải là tệp Excel (.xlsx, .xls) hay .ods." + hint)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in book.sheet_names:
            raw = book.get_sheet_by_name(name)
            rows = raw.to_python(skip_empty_area=False)
            try:
                merged = [(a[0], a[1], b[0], b[1]) for a, b in (raw.merged_cell_ranges or [])]
            except Exception:  # merged ranges are a hint only; some formats do not carry them
                merged = []
            sheets.append(Sheet(name=name, rows=[list(r) for r in rows], merged=merged))
    except python_calamine.PasswordError:
        raise _refuse("Tệp Excel được đặt mật khẩu (mã hóa). Hãy gỡ mật khẩu rồi tải lên lại.") from None
    except Exception as exc:  # calamine raises several types for broken files; all mean "unreadable"
        raise _refuse("Tệp Excel bị hỏng, không đọc được nội dung "
                      f"({type(exc).__name__}). Hãy mở tệp bằng Excel, lưu lại rồi tải lên lần nữa.") from None
    return Workbook(sheets=sheets, unsaved_formulas=unsaved)
