"""The procedure-count template (data/mau_thu_tuc.xlsx) and the ILLUSTRATIVE 2019 figures
(data/thu_tuc_2019_minh_hoa.xlsx), written with the vocabulary cchc.read.procedures reads.
`python -m cchc.sample.procedures` rewrites both files.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..read.procedures import (
    PROCEDURE_LABELS,
    PROCEDURES_SHEET,
    TEMPLATE_HEADERS,
    UNIT_HEADER,
    YEAR_HEADER,
    YEAR_RANGE,
)
from ..registry import REGISTRY_FILE, Registry, load_registry
from ..show.xlsx_style import (
    BORDER,
    GREY_FILL,
    GUIDE_SHEET,
    LEFT,
    RIGHT,
    GuideSheet,
    banner,
    cell_font,
    stable_bytes,
    write_header,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TEMPLATE_FILE = DATA_DIR / "mau_thu_tuc.xlsx"
ILLUSTRATIVE_FILE = DATA_DIR / "thu_tuc_2019_minh_hoa.xlsx"


# ---------------------------------------------------------------------------------------------------------------
# Writing: the template and the illustrative figures
# ---------------------------------------------------------------------------------------------------------------

def _write_header(ws, row: int, headers: tuple[str, ...]) -> None:
    widths = [34 if text == UNIT_HEADER else 8 if text == YEAR_HEADER else 16 for text in headers]
    write_header(ws, row, headers, widths, 80, freeze_column=3)


def _validations(ws, ncols: int, first_row: int, last_row: int = 1000) -> None:
    year = DataValidation(type="whole", operator="between", formula1=str(YEAR_RANGE[0]), formula2=str(YEAR_RANGE[1]),
                          allow_blank=True, showErrorMessage=True, errorStyle="warning", errorTitle="Năm",
                          error=f"Năm phải từ {YEAR_RANGE[0]} đến {YEAR_RANGE[1]}, ví dụ 2019.")
    year.add(f"B{first_row}:B{last_row}")
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorStyle="warning", errorTitle="Số TTHC",
                            error="Số TTHC là số nguyên không âm.")
    counts.add(f"C{first_row}:{get_column_letter(ncols)}{last_row}")
    ws.add_data_validation(year)
    ws.add_data_validation(counts)


_GUIDE_COLUMNS = [
    (UNIT_HEADER, "Bắt buộc", "Tên cơ quan, đơn vị đúng như trong danh mục đơn vị (tên đầy đủ hoặc tên thường gọi). "
     "Tên lạ được giữ nguyên kèm cảnh báo. Dòng “Tổng cộng” và dòng nhóm (I. Cấp huyện…) được bỏ qua.",
     "Phòng Tư pháp"),
    (YEAR_HEADER, "Bắt buộc", f"Năm của số liệu, từ {YEAR_RANGE[0]} đến {YEAR_RANGE[1]}.", "2019"),
    (PROCEDURE_LABELS["procedures_total"], "Bắt buộc",
     "Số thủ tục hành chính thuộc thẩm quyền giải quyết của đơn vị trong năm.", "45"),
    (PROCEDURE_LABELS["procedures_one_stop"], "Không bắt buộc",
     "Số thủ tục được tiếp nhận, giải quyết trên phần mềm (tiêu chí 3.5.2).", "45"),
    (PROCEDURE_LABELS["procedures_online_offered"], "Không bắt buộc",
     "Số thủ tục cung cấp dịch vụ công mức độ 3 hoặc 4; từ năm 2022 là toàn trình hoặc một phần. Bỏ trống cột "
     "này thì lấy tổng hai cột mức độ (hoặc hai cột toàn trình, một phần).", "14"),
    (PROCEDURE_LABELS["procedures_online_l3_offered"], "Không bắt buộc", "Trong số trên: mức độ 3.", "11"),
    (PROCEDURE_LABELS["procedures_online_l4_offered"], "Không bắt buộc", "Trong số trên: mức độ 4.", "3"),
    (PROCEDURE_LABELS["procedures_online_full_offered"], "Không bắt buộc",
     "Trong số trên: toàn trình (từ năm 2022).", ""),
    (PROCEDURE_LABELS["procedures_online_partial_offered"], "Không bắt buộc",
     "Trong số trên: một phần (từ năm 2022).", ""),
    (PROCEDURE_LABELS["procedures_online_used"], "Không bắt buộc",
     "Trong số thủ tục cung cấp trực tuyến, số thủ tục đã có ít nhất một hồ sơ nộp trực tuyến trong năm "
     "(tiêu chí 7.2.1).", "8"),
    (PROCEDURE_LABELS["procedures_bcci_offered"], "Không bắt buộc",
     "Số thủ tục tiếp nhận hồ sơ, trả kết quả qua dịch vụ bưu chính công ích.", "34"),
    (PROCEDURE_LABELS["procedures_bcci_used"], "Không bắt buộc",
     "Trong số trên, số thủ tục đã có ít nhất một hồ sơ gửi, nhận qua bưu điện trong năm (tiêu chí 7.3.1).", "7"),
    (PROCEDURE_LABELS["procedures_published"], "Không bắt buộc",
     "Số thủ tục được công khai tiến độ, kết quả giải quyết trên trang thông tin điện tử (tiêu chí 3.2.4).", "40"),
]

_GUIDE_RATES = [
    ("7.2.1", "TTHC trực tuyến có phát sinh hồ sơ ÷ TTHC cung cấp trực tuyến mức độ 3, 4", "Từ 60% trở lên"),
    ("7.3.1", "TTHC có phát sinh hồ sơ qua BCCI ÷ TTHC cung cấp qua dịch vụ BCCI", "Từ 20% trở lên"),
    ("3.5.2", "TTHC xử lý trên phần mềm Một cửa điện tử ÷ Tổng số TTHC", "100%"),
    ("3.2.4", "TTHC công khai tiến độ, kết quả giải quyết ÷ Tổng số TTHC", "100%"),
]


def _guide_sheet(wb: OpenpyxlWorkbook) -> None:
    guide = GuideSheet(wb, (30, 18, 70, 16), GUIDE_SHEET)
    guide.merged("HƯỚNG DẪN GHI SỐ LIỆU THỦ TỤC HÀNH CHÍNH (TTHC)", cell_font(14, bold=True), 24)
    guide.skip()
    guide.merged("Số liệu này đếm thủ tục hành chính, không đếm hồ sơ: mỗi dòng là một cơ quan, đơn vị trong một "
                 "năm, mỗi đơn vị chỉ ghi một dòng cho mỗi năm. Ghi số liệu ở sheet “Số liệu TTHC”, bắt đầu từ dòng "
                 "2; không đổi tên các cột. Cột không bắt buộc mà đơn vị không theo dõi có thể xóa hoặc để trống "
                 "(được tính là 0).", cell_font(12), 66)
    guide.skip()
    guide.heading("1. Các cột")
    guide.table(("Cột", "Bắt buộc", "Ý nghĩa", "Ví dụ"), _GUIDE_COLUMNS)
    guide.skip()
    guide.heading("2. Các tỷ lệ được tính")
    guide.merged("Tỷ lệ được tính trên tổng số thủ tục của các đơn vị được chọn (cộng số liệu trước rồi mới chia), "
                 "không lấy trung bình tỷ lệ của từng đơn vị.", cell_font(12), 34)
    guide.table(("Tiêu chí", "Cách tính", "Chỉ tiêu"), _GUIDE_RATES)
    guide.skip()
    guide.heading("3. Lỗi làm tệp bị từ chối")
    guide.merged("• Thiếu cột Đơn vị, Năm hoặc Tổng số TTHC; năm bỏ trống hoặc ngoài khoảng "
                 f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}; một đơn vị ghi hai dòng trong cùng năm.", cell_font(12), 34)
    guide.merged("• Số liệu không phải số, số âm hoặc số lẻ; phần lớn hơn tổng (ví dụ số TTHC có phát sinh hồ sơ "
                 "trực tuyến lớn hơn số TTHC cung cấp trực tuyến, hay số TTHC công khai lớn hơn tổng số TTHC).",
                 cell_font(12), 34)
    guide.merged("• Ô có công thức phải được lưu bằng Excel trước khi tải lên (để tệp có giá trị đã tính). Thông báo "
                 "lỗi nêu rõ sheet, dòng và cột cần sửa.", cell_font(12), 34)
    guide.finish()


def build_procedures_template() -> bytes:
    """The blank procedure workbook: sheet "Số liệu TTHC" (headers only) and sheet "Hướng dẫn"."""
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = PROCEDURES_SHEET
    _write_header(ws, 1, TEMPLATE_HEADERS)
    _validations(ws, len(TEMPLATE_HEADERS), 2)
    _guide_sheet(wb)
    return stable_bytes(wb)


ILLUSTRATIVE_YEAR = 2019
# The 2019 columns: levels 3 and 4 (toàn trình / một phần came with Nghị định 42/2022).
ILLUSTRATIVE_FIELDS: tuple[str, ...] = (
    "procedures_total", "procedures_one_stop", "procedures_online_offered", "procedures_online_l3_offered",
    "procedures_online_l4_offered", "procedures_online_used", "procedures_bcci_offered", "procedures_bcci_used",
    "procedures_published",
)
# ILLUSTRATIVE figures, not real ones: the units with TTHC in cchc.sample. (unit, total, one-stop, level 3,
# level 4, online with a dossier, BCCI offered, BCCI with a dossier, published). District offices handle a few
# dozen procedures, communes about 110; the communes lag on the software, online use and publication.
_ILLUSTRATIVE: tuple[tuple[str, int, int, int, int, int, int, int, int], ...] = (
    ("Phòng Tư pháp", 32, 32, 9, 3, 7, 24, 6, 30),
    ("Phòng Tài nguyên và Môi trường", 46, 44, 12, 3, 8, 38, 9, 39),
    ("Phòng Lao động-Thương binh và Xã hội", 38, 38, 11, 2, 7, 30, 7, 35),
    ("Phòng Kinh tế-Hạ tầng", 34, 33, 10, 4, 8, 26, 5, 30),
    ("Phòng Tài chính-Kế hoạch", 41, 41, 10, 6, 11, 33, 8, 41),
    ("Phòng Nội vụ", 18, 18, 6, 1, 3, 12, 2, 17),
    ("Phòng Giáo dục và Đào tạo", 24, 24, 7, 2, 5, 18, 3, 22),
    ("Phòng Văn hóa-Thông tin", 14, 14, 5, 1, 3, 10, 1, 13),
    ("Phòng Y tế", 6, 6, 2, 0, 1, 4, 0, 5),
    ("Phòng Nông nghiệp và Phát triển nông thôn", 22, 21, 6, 1, 3, 16, 3, 19),
    ("Chi nhánh Văn phòng đăng ký đất đai", 57, 57, 14, 4, 12, 50, 14, 52),
    ("UBND xã Ia Tul", 109, 96, 26, 3, 12, 78, 14, 88),
    ("UBND xã Chư Răng", 112, 103, 28, 4, 15, 84, 19, 97),
    ("UBND xã Kim Tân", 118, 115, 33, 5, 20, 95, 24, 112),
    ("UBND xã Pờ Tó", 110, 101, 28, 3, 14, 82, 18, 96),
    ("UBND xã Chư Mố", 108, 98, 27, 3, 13, 80, 15, 90),
    ("UBND xã Ia Kdăm", 115, 98, 25, 2, 10, 79, 11, 83),
    ("UBND xã Ia Broăi", 101, 88, 24, 2, 10, 70, 11, 79),
    ("UBND xã Ia Trok", 106, 95, 26, 3, 13, 77, 14, 89),
    ("UBND xã Ia Mrơn", 112, 102, 27, 4, 15, 83, 17, 95),
)


def illustrative_rows(registry: Registry | None = None) -> list[dict]:
    """The illustrative 2019 figures, one dict per unit: unit, level, year and ILLUSTRATIVE_FIELDS."""
    registry = registry or load_registry(REGISTRY_FILE)
    rows = []
    for name, total, one_stop, l3, l4, used, bcci, bcci_used, published in _ILLUSTRATIVE:
        agency = registry.lookup(name)
        if agency is None or agency.name != name or agency.kind not in ("agency", "commune"):
            raise ValueError(f"illustrative unit {name!r} is not a canonical agency or commune of the registry")
        rows.append({"unit": name, "level": agency.level, "year": ILLUSTRATIVE_YEAR, "procedures_total": total,
                     "procedures_one_stop": one_stop, "procedures_online_offered": l3 + l4,
                     "procedures_online_l3_offered": l3, "procedures_online_l4_offered": l4,
                     "procedures_online_used": used, "procedures_bcci_offered": bcci,
                     "procedures_bcci_used": bcci_used, "procedures_published": published})
    return rows


def build_illustrative_procedures(registry: Registry | None = None) -> bytes:
    """data/thu_tuc_2019_minh_hoa.xlsx: ILLUSTRATIVE 2019 procedure counts (not real figures)."""
    rows = illustrative_rows(registry)
    headers = (UNIT_HEADER, YEAR_HEADER, *(PROCEDURE_LABELS[f] for f in ILLUSTRATIVE_FIELDS))
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = PROCEDURES_SHEET
    banner(ws, "DỮ LIỆU MINH HỌA – không phải số liệu thật. Số liệu thủ tục hành chính của các cơ quan, đơn vị "
               f"năm {ILLUSTRATIVE_YEAR}", len(headers))
    header_row = 3
    _write_header(ws, header_row, headers)
    r = header_row
    for r, item in enumerate(rows, start=header_row + 1):
        values = [item["unit"], item["year"], *(item[f] for f in ILLUSTRATIVE_FIELDS)]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font, cell.border = cell_font(12), BORDER
            cell.alignment = LEFT if c == 1 else RIGHT
    # A total row with plain values (no formulas: the reader refuses formulas without saved values).
    r += 1
    totals = ["Tổng cộng", None, *(sum(item[f] for item in rows) for f in ILLUSTRATIVE_FIELDS)]
    for c, value in enumerate(totals, start=1):
        cell = ws.cell(row=r, column=c, value=value)
        cell.font, cell.border, cell.fill = cell_font(12, bold=True), BORDER, GREY_FILL
        cell.alignment = LEFT if c == 1 else RIGHT
    return stable_bytes(wb)


def write_files(directory: Path | str = DATA_DIR) -> list[Path]:
    directory = Path(directory)
    written = []
    for name, data in ((TEMPLATE_FILE.name, build_procedures_template()),
                       (ILLUSTRATIVE_FILE.name, build_illustrative_procedures())):
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_files():
        print(f"wrote {written_path}")
