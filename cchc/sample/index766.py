"""The QĐ 766 score template (data/mau_chi_so_766.xlsx), written with the vocabulary cchc.read.index766 reads: the
headers, a guide, cell checks from the groups' default maxima. No figures: the portal publishes the real scores, and
none are made up here. `python -m cchc.sample.index766` rewrites the file.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import formatting as fmt
from ..fields import INDEX766_CODES, INDEX766_LABELS
from ..read.index766 import (
    DEFAULT_MAXIMA,
    GROUPS,
    INDEX766_SHEET,
    PERIOD_HEADER,
    ROUNDING,
    TEMPLATE_HEADERS,
    UNIT_HEADER,
)
from ..show.xlsx_style import GUIDE_SHEET, GuideSheet, cell_font, stable_bytes, write_header

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TEMPLATE_FILE = DATA_DIR / "mau_chi_so_766.xlsx"


def _validations(ws, first_row: int, last_row: int = 2000) -> None:
    """Warnings (not refusals) while typing: a group above its default maximum, a total above 100, a rank below 1."""
    for offset, group in enumerate(GROUPS):
        letter = get_column_letter(3 + offset)
        check = DataValidation(type="decimal", operator="between", formula1="0", formula2=str(DEFAULT_MAXIMA[group]),
                               allow_blank=True, showErrorMessage=True, errorStyle="warning",
                               errorTitle=INDEX766_LABELS[group],
                               error=f"Điểm nhóm “{INDEX766_LABELS[group]}” từ 0 đến "
                                     f"{fmt.points(DEFAULT_MAXIMA[group])}.")
        check.add(f"{letter}{first_row}:{letter}{last_row}")
        ws.add_data_validation(check)
    total = get_column_letter(3 + len(GROUPS))
    ceiling = sum(DEFAULT_MAXIMA.values())
    check = DataValidation(type="decimal", operator="between", formula1="0", formula2=str(ceiling), allow_blank=True,
                           showErrorMessage=True, errorStyle="warning", errorTitle="Tổng điểm",
                           error=f"Tổng điểm từ 0 đến {fmt.points(ceiling)}, bằng tổng sáu nhóm.")
    check.add(f"{total}{first_row}:{total}{last_row}")
    ws.add_data_validation(check)
    rank = get_column_letter(4 + len(GROUPS))
    check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="1", allow_blank=True,
                           showErrorMessage=True, errorStyle="warning", errorTitle="Xếp hạng",
                           error="Xếp hạng là số nguyên từ 1 trở lên.")
    check.add(f"{rank}{first_row}:{rank}{last_row}")
    ws.add_data_validation(check)


def _guide_sheet(wb: OpenpyxlWorkbook) -> None:
    guide = GuideSheet(wb, (30, 12, 16, 70), GUIDE_SHEET)
    guide.merged("HƯỚNG DẪN GHI ĐIỂM BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH 766/QĐ-TTg)",
                 cell_font(14, bold=True), 40)
    guide.skip()
    guide.merged(f"Mỗi dòng là điểm của một cơ quan, đơn vị trong một kỳ, chép từ Cổng Dịch vụ công quốc gia. Ghi ở "
                 f"sheet “{INDEX766_SHEET}”, bắt đầu từ dòng 2; không đổi tên các cột. Bảng xuất trực tiếp từ Cổng "
                 "(kể cả bảng chỉ ghi mã CKMB, TDGQ, …, TONG_SCORE) cũng được nhận.", cell_font(12), 50)
    guide.skip()
    guide.heading("1. Các cột")
    guide.table(("Cột", "Mã trên Cổng", "Bắt buộc", "Ý nghĩa"), [
        (UNIT_HEADER, "TEN", "Bắt buộc", "Tên cơ quan, đơn vị đúng như trong danh mục đơn vị. Tên lạ được giữ "
         "nguyên kèm cảnh báo; dòng “Tổng cộng”, “Trung bình” và dòng nhóm được bỏ qua."),
        (PERIOD_HEADER, "", "Bắt buộc nếu tiêu đề, tên sheet không ghi kỳ",
         "Tháng (“Tháng 6/2025”, “06/2025”), quý (“Quý II/2025”), 6 tháng (“6 tháng đầu năm 2025”) hoặc năm "
         "(“Năm 2025”). Điểm quý, năm được lưu là điểm cả kỳ, không phải điểm của một tháng."),
        *((INDEX766_LABELS[g], INDEX766_CODES[g] + (" (hoặc CLGQ)" if g == "dvctt" else ""), "Không bắt buộc",
           f"Điểm nhóm, từ 0 đến {fmt.points(DEFAULT_MAXIMA[g])}; ghi 17,5 hoặc 17.5.") for g in GROUPS),
        (INDEX766_LABELS["total"], "TONG_SCORE", "Không bắt buộc",
         "Tổng điểm, bằng tổng sáu nhóm. Bỏ trống cột này thì tổng được tính từ sáu nhóm."),
        (INDEX766_LABELS["rank"], "", "Không bắt buộc", "Thứ hạng trên Cổng, số nguyên từ 1."),
    ])
    guide.skip()
    guide.heading("2. Điểm tối đa của các nhóm")
    guide.merged("Điểm tối đa đang dùng để kiểm tra có thể sửa trong phần mềm khi Cổng thay đổi cách chấm; mặc định:",
                 cell_font(12), 20)
    guide.table(("Nhóm", "Mã", "Điểm tối đa", ""),
                [(INDEX766_LABELS[g], INDEX766_CODES[g], fmt.points(DEFAULT_MAXIMA[g]), "") for g in GROUPS]
                + [("Tổng", "", fmt.points(sum(DEFAULT_MAXIMA.values())), "")])
    guide.skip()
    guide.heading("3. Lỗi làm tệp bị từ chối")
    guide.merged("• Thiếu cột tên đơn vị; không xác định được kỳ (không có cột kỳ, tiêu đề và tên sheet cũng không "
                 "ghi); một đơn vị ghi hai dòng cho cùng một kỳ.", cell_font(12), 34)
    guide.merged("• Điểm không phải là số, điểm âm, điểm một nhóm vượt điểm tối đa của nhóm; tổng điểm khác tổng sáu "
                 f"nhóm quá {fmt.number(ROUNDING, 2)} điểm (chênh trong mức làm tròn chỉ được cảnh báo).",
                 cell_font(12), 34)
    guide.merged("• Ô có công thức phải được lưu bằng Excel trước khi tải lên. Thông báo lỗi nêu rõ sheet, dòng và "
                 "cột cần sửa.", cell_font(12), 20)
    guide.finish()


def build_index766_template() -> bytes:
    """The blank score workbook: sheet INDEX766_SHEET (headers only) and sheet "Hướng dẫn"."""
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = INDEX766_SHEET
    widths = [34 if text == UNIT_HEADER else 18 if text == PERIOD_HEADER else 14 for text in TEMPLATE_HEADERS]
    write_header(ws, 1, TEMPLATE_HEADERS, widths, 48, freeze_column=3)
    for col in range(1, 3):  # typed as text, so Excel never turns "06/2025" into a date
        for row in range(2, 202):
            ws.cell(row=row, column=col).number_format = "@"
    _validations(ws, 2)
    _guide_sheet(wb)
    return stable_bytes(wb)


def write_files(directory: Path | str = DATA_DIR) -> list[Path]:
    path = Path(directory) / TEMPLATE_FILE.name
    path.write_bytes(build_index766_template())
    return [path]


if __name__ == "__main__":
    for written_path in write_files():
        print(f"wrote {written_path}")
