"""Build data/ke_hoach_75_2019.xlsx from the seed's appendix, the way an office types it into Excel.

The quirks of the real document are kept on purpose: criterion codes Excel turned into numbers, decimal
commas typed as text, blank rows, and 7.3.1's partner cell broken across a page into a row of its own.
Run: .venv/bin/python scripts/make_plan_sample.py [path/to/seed.txt]
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_fe9ab09dc854ace3.txt"
OUT = ROOT / "data" / "ke_hoach_75_2019.xlsx"
NUMERIC_CODES = {"1.2", "3.4", "5.2", "6.4"}  # the ones Excel turned into numbers in the real file


def appendix_rows(seed_text: str) -> list[list[str]]:
    lines = seed_text.split("STT\tLĩnh vực/Tiêu chí")[1].split("\n")[1:]
    return [line.split("\t") for line in lines]


def cell_value(text: str, column: int):
    text = text.strip()
    bold = "<b>" in text
    text = re.sub(r"</?b>", "", text)
    if column == 0 and text in NUMERIC_CODES:
        return float(text), bold
    if column == 0 and re.fullmatch(r"\d+", text):
        return int(text), bold
    if column in (2, 3, 4) and re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text), bold  # "0,75" stays text, as typed on a machine with another locale
    return text or None, bold


def build(seed_path: Path = SEED, out: Path = OUT) -> None:
    rows = appendix_rows(seed_path.read_text(encoding="utf-8"))
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    thin = Side(style="thin")
    ws["A1"] = "UBND HUYỆN IA PA"
    ws["F1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["F2"] = "Độc lập - Tự do - Hạnh phúc"
    ws["A4"] = "PHỤ LỤC"
    ws["A5"] = ("KẾ HOẠCH KHẮC PHỤC NHỮNG TỒN TẠI HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2019 "
                "VÀ CÁC NĂM TIẾP THEO")
    ws["A6"] = "(Kèm theo Kế hoạch số 75/KH-UBND ngày 10 tháng 7 năm 2019 của UBND huyện Ia Pa)"
    for ref in ("A1", "F1", "A4", "A5"):
        ws[ref].font = Font(bold=True)
    ws["A6"].font = Font(italic=True)
    for merged in ("A4:J4", "A5:J5", "A6:J6"):
        ws.merge_cells(merged)
        ws[merged.split(":")[0]].alignment = Alignment(horizontal="center", wrap_text=True)
    header = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm chuẩn", "Điểm thẩm định 2018",
              "Điểm bị mất", "Giải pháp", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp", "Thời gian thực hiện",
              "Ghi chú"]
    start = 8
    for col, label in enumerate(header, start=1):
        c = ws.cell(row=start, column=col, value=label)
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    r = start + 1
    for raw in rows:
        texts = [t.strip() for t in raw]
        if not texts[0] and sum(bool(t) for t in texts) == 1 and texts[6:7] == [next(t for t in texts if t)]:
            # The text file shifted 7.3.1's page-break tail one cell left; in the workbook it sits under
            # "Cơ quan phối hợp", where the cell it continues is.
            raw = ["", "", "", "", "", "", "", texts[6], "", ""]
        for col, text in enumerate(raw[:10]):
            value, bold = cell_value(text, col)
            c = ws.cell(row=r, column=col + 1, value=value)
            c.alignment = Alignment(vertical="top", wrap_text=True)
            c.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            if bold:
                c.font = Font(bold=True)
        r += 1
    r += 1
    ws.cell(row=r, column=1, value="Ghi chú: Các cơ quan, đơn vị báo cáo kết quả thực hiện về Phòng Nội vụ "
                                   "trước ngày 15 hằng tháng.").font = Font(italic=True)
    ws.cell(row=r + 2, column=7, value="TM. ỦY BAN NHÂN DÂN").font = Font(bold=True)
    ws.cell(row=r + 3, column=7, value="CHỦ TỊCH").font = Font(bold=True)
    ws.cell(row=r + 6, column=7, value="Nguyễn Thế Hùng").font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJ", (6, 42, 9, 11, 9, 48, 26, 30, 24, 10)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    wb.properties.created = wb.properties.modified = dt.datetime(2019, 7, 10)
    wb.save(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else SEED)
    print(f"wrote {OUT}")
