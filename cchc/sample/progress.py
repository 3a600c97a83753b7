"""The progress-report template (data/mau_tien_do.xlsx) and the ILLUSTRATIVE 2019 reports
(data/tien_do_2019_minh_hoa.xlsx), written with the vocabulary cchc.read.progress reads.
`python -m cchc.sample.progress` rewrites both files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..read.plan import Plan
from ..read.progress import (
    PROCEDURE_MEASURED_METRICS,
    PROGRESS_HEADERS,
    PROGRESS_SHEET,
    PROGRESS_STATUSES,
    STATS_MEASURED_METRICS,
)
from ..show.xlsx_style import (
    BORDER,
    GUIDE_SHEET,
    LEFT_TOP,
    GuideSheet,
    banner,
    cell_font,
    stable_bytes,
    write_header,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TEMPLATE_FILE = DATA_DIR / "mau_tien_do.xlsx"
ILLUSTRATIVE_FILE = DATA_DIR / "tien_do_2019_minh_hoa.xlsx"
SAMPLE_PLAN_FILE = DATA_DIR / "ke_hoach_75_2019.xlsx"


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
        from ..read.plan import read_plan

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
