"""The styling shared by the generated workbooks (templates and illustrative data), and their byte-stable saving.

Fonts, borders, fills and alignments; `stable_bytes`, which serialises a workbook with fixed document properties
and zip entry times so equal content gives equal bytes; `GuideSheet`, the "Hướng dẫn" sheet written top to
bottom; `write_header` for a template's header row; `banner` for the red "illustrative data" title row.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

GUIDE_SHEET = "Hướng dẫn"

# Workbook metadata and zip entry times are fixed so the generated files are byte-reproducible.
FIXED_TIMESTAMP = dt.datetime(2020, 1, 1, 0, 0, 0)
ZIP_TIME = (2020, 1, 1, 0, 0, 0)

FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GREY_FILL = PatternFill("solid", fgColor="F2F2F2")
YELLOW_FILL = PatternFill("solid", fgColor="FFF2CC")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
HEADING_COLOR = "1F3864"
WARNING_COLOR = "C00000"


def cell_font(size: float = 12, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=color)


# ---------------------------------------------------------------------------------------------------------------
# Reproducible saving
# ---------------------------------------------------------------------------------------------------------------

class FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry one fixed timestamp, so equal content gives equal bytes."""

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # noqa: D102
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # noqa: D102
        info = self._info(arcname or Path(filename).name)
        info.file_size = Path(filename).stat().st_size
        with open(filename, "rb") as src, self.open(info, "w", force_zip64=info.file_size > 2**31) as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)


def stable_bytes(wb: Workbook) -> bytes:
    """Serialise a workbook (normal or write-only) with fixed document properties and zip entry times."""
    wb.properties.creator = "cchc"
    wb.properties.lastModifiedBy = "cchc"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    buffer = io.BytesIO()
    with FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # unlike wb.save(), leaves `modified` alone
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# Sheet pieces
# ---------------------------------------------------------------------------------------------------------------

def merge_write(ws, r0: int, c0: int, r1: int, c1: int, value, font=None, alignment=None, border=None,
                fill=None) -> None:
    """Write `value` into a merged range and give every cell of the range the same style."""
    ws.cell(row=r0, column=c0, value=value)
    if r1 != r0 or c1 != c0:
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            target = ws.cell(row=r, column=c)
            if font is not None:
                target.font = font
            if alignment is not None:
                target.alignment = alignment
            if border is not None:
                target.border = border
            if fill is not None:
                target.fill = fill


def write_header(ws, row: int, labels: Sequence[str], widths: Sequence[float], height: float,
                 freeze_column: int | None = None) -> None:
    """A template's header row: bold, centred, bordered, filled labels; column widths; optionally frozen panes."""
    for col, (text, width) in enumerate(zip(labels, widths), start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font, cell.alignment, cell.border, cell.fill = cell_font(12, bold=True), CENTER, BORDER, HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[row].height = height
    if freeze_column is not None:
        ws.freeze_panes = ws.cell(row=row + 1, column=freeze_column)


def banner(ws, text: str, ncols: int, row: int = 1) -> None:
    """A merged red title row across `ncols` columns (the "DỮ LIỆU MINH HỌA" warning of illustrative files)."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    title = ws.cell(row=row, column=1, value=text)
    title.font, title.alignment = cell_font(13, bold=True, color=WARNING_COLOR), CENTER
    ws.row_dimensions[row].height = 36


def print_landscape(ws) -> None:
    """Print on A4 landscape, all columns on one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


class GuideSheet:
    """A "Hướng dẫn" sheet written top to bottom: merged lines of text and bordered tables."""

    def __init__(self, wb: Workbook, widths: Sequence[float], name: str = GUIDE_SHEET) -> None:
        self.ws = wb.create_sheet(name)
        self.widths = tuple(widths)
        for col, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(col)].width = width
        self.row = 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def merged(self, text: str, font: Font, height: float | None = None, alignment: Alignment = LEFT_TOP,
               style_all: bool = False) -> None:
        """One line of text merged across the sheet's columns; style_all styles every merged cell, not the first."""
        ws, row = self.ws, self.row
        if style_all:
            merge_write(ws, row, 1, row, len(self.widths), text, font, alignment)
        else:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(self.widths))
            cell = ws.cell(row=row, column=1, value=text)
            cell.font, cell.alignment = font, alignment
        if height:
            ws.row_dimensions[row].height = height
        self.row += 1

    def heading(self, text: str, alignment: Alignment = LEFT_TOP, style_all: bool = False) -> None:
        self.merged(text, cell_font(12, bold=True, color=HEADING_COLOR), alignment=alignment, style_all=style_all)

    def table(self, header: Sequence[str], body: Sequence[Sequence], keep_blank: bool = False) -> None:
        """A bordered table; each body row as tall as its longest text needs. Blank ("") cells are left empty
        unless keep_blank."""
        ws = self.ws
        for col, text in enumerate(header, start=1):
            cell = ws.cell(row=self.row, column=col, value=text)
            cell.font, cell.alignment, cell.border, cell.fill = cell_font(11, bold=True), CENTER, BORDER, HEADER_FILL
        self.row += 1
        for values in body:
            lines = 1
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=self.row, column=col, value=value if keep_blank or value != "" else None)
                cell.font, cell.alignment, cell.border = cell_font(11), LEFT_TOP, BORDER
                lines = max(lines, math.ceil(len(str(value or "")) / max(self.widths[col - 1] * 1.05, 1)))
            ws.row_dimensions[self.row].height = 15.5 * lines
            self.row += 1

    def finish(self) -> None:
        self.ws.sheet_view.showGridLines = False
