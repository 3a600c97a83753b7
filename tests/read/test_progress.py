import datetime as dt
import io
import math

import openpyxl
import pytest
from support import DATA, PLAN_HEADER, plan_bytes, sample_plan_bytes, xlsx_bytes

from cchc.read.grid import load_workbook
from cchc.read.plan import read_plan
from cchc.read.progress import (
    NO_DATA_ROWS,
    PROCEDURE_MEASURED_METRICS,
    PROGRESS_HEADERS,
    PROGRESS_SHEET,
    PROGRESS_STATUSES,
    RECORD_COLUMNS,
    STATS_MEASURED_METRICS,
    detect_progress_table,
    parse_period,
    parse_status,
    parse_value,
    read_progress,
    read_progress_workbook,
)
from cchc.sample.progress import (
    ILLUSTRATIVE_FILE,
    TEMPLATE_FILE,
    build_illustrative_progress,
    build_progress_template,
)

HEADER = list(PROGRESS_HEADERS.values())  # Mã tiêu chí | Kỳ báo cáo | Giá trị | Trạng thái | Số văn bản | ...
GOOD_ROW = ["6.1.2", "2019-06", "78%", "Đang thực hiện", "53/BC-TCKH", "17/6/2019", "Phòng Tài chính-Kế hoạch",
            "Chậm giải ngân"]


@pytest.fixture(scope="module")
def plan():
    result = read_plan(sample_plan_bytes())
    assert result.plan is not None
    return result.plan


def book(rows, header=None, sheet="Tiến độ", above=(), extra_sheets=None) -> bytes:
    grid = [list(r) for r in above] + [list(header or HEADER)] + [list(r) for r in rows]
    sheets = dict(extra_sheets or {})
    sheets[sheet] = grid
    return xlsx_bytes(sheets)


def only_error(result):
    assert result.records.empty
    assert len(result.findings.errors) == 1, result.findings.errors
    return result.findings.errors[0]


# ---------------------------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------------------------

def test_basic_row(plan):
    result = read_progress(book([GOOD_ROW]), plan=plan)
    assert result.ok and result.findings.warnings == []
    assert list(result.records.columns) == list(RECORD_COLUMNS)
    record = result.records.iloc[0].to_dict()
    assert record == {"code": "6.1.2", "period": "2019-06", "value": 0.78, "status": "in_progress",
                      "doc_number": "53/BC-TCKH", "doc_date": "2019-06-17", "note": "Chậm giải ngân",
                      "agency": "Phòng Tài chính-Kế hoạch", "sheet": "Tiến độ", "row": 2}


def test_header_below_a_title_on_a_later_sheet_with_columns_reordered_and_folded():
    header = ["Ghi chu", "GIA TRI (%)", "Ma tieu chi (*)", "Cột lạ", "ky bao cao:", "Trang thai", "So van ban",
              "Ngay van ban", "Don vi bao cao"]
    row = ["", 85, 1.2, "x", "Quý II/2019", "Hoàn thành", 45, dt.date(2019, 6, 14), "Phòng Nội vụ huyện"]
    data = book([[], row], header=header, sheet="Báo cáo",
                above=[["UBND HUYỆN IA PA"], ["BÁO CÁO TIẾN ĐỘ QUÝ II/2019"], []],
                extra_sheets={"Bìa": [["Báo cáo tiến độ"], ["Mã tiêu chí là mã trong kế hoạch"]]})
    result = read_progress(data)
    assert result.ok and result.findings.warnings == []
    record = result.records.iloc[0]
    assert (record.code, record.period, record.value, record.status) == ("1.2", "2019-06", 0.85, "done")
    assert (record.doc_number, record.doc_date, record.agency) == ("45", "2019-06-14", "Phòng Nội vụ")
    assert (record.sheet, record.row) == ("Báo cáo", 6)


def test_short_period_header_but_not_a_signature_column():
    result = read_progress(book([["6.1.2", "Quý II/2019", "78%"]], header=["Mã tiêu chí", "Kỳ", "Giá trị"]))
    assert result.ok and result.records.period.tolist() == ["2019-06"]
    result = read_progress(book([["6.1.2", "x", "78%"]], header=["Mã tiêu chí", "Ký tên", "Giá trị"]))
    assert result.findings.errors[0].message == "Thiếu cột “Kỳ báo cáo”."


def test_status_only_and_value_only_tables(plan):
    status_only = book([["6.4", "2019-12", "Đã hoàn thành"]], header=["Mã tiêu chí", "Kỳ báo cáo", "Trạng thái"])
    result = read_progress(status_only, plan=plan)
    assert result.ok and result.records.status.tolist() == ["done"]
    assert math.isnan(result.records.value.iloc[0])
    value_only = book([["6.1.2", "2019-12", 0.93]], header=["Mã tiêu chí", "Kỳ báo cáo", "Giá trị"])
    result = read_progress(value_only, plan=plan)
    assert result.ok and result.records.value.tolist() == [0.93] and result.records.status.tolist() == [""]


def test_blank_numbering_and_footer_rows(plan):
    rows = [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"], GOOD_ROW, [], [None, None, None, None],
            ["5.2", "2019-06", 1, "Hoàn thành"], [], ["Người lập biểu", "", "", "", "", "", "Nguyễn Văn A"],
            ["garbage after the signature"]]
    result = read_progress(book(rows), plan=plan)
    assert result.ok, result.findings.errors
    assert result.records.code.tolist() == ["6.1.2", "5.2"]
    assert result.records.row.tolist() == [3, 6]


def test_a_row_with_only_a_note_is_skipped_with_a_warning(plan):
    result = read_progress(book([GOOD_ROW, ["", "", "", "", "", "", "", "tiếp theo dòng trên"]]), plan=plan)
    assert result.ok and len(result.records) == 1
    assert [(w.row, w.message) for w in result.findings.warnings] == [
        (3, "Dòng không có mã tiêu chí, kỳ báo cáo, giá trị hay trạng thái: bỏ qua.")]


def test_several_sheets_with_tables_are_read_together(plan):
    data = xlsx_bytes({"Quý II": [HEADER, GOOD_ROW], "Quý IV": [HEADER, ["6.1.2", "Quý IV/2019", "93%", "Đạt"]]})
    result = read_progress(data, plan=plan)
    assert result.ok
    assert result.records[["sheet", "period", "value"]].values.tolist() == [["Quý II", "2019-06", 0.78],
                                                                           ["Quý IV", "2019-12", 0.93]]


def test_code_that_excel_made_a_number(plan):
    rows = [[1.2, "2019-06", None, "Hoàn thành"], [6.4, "2019-06", None, "Đang thực hiện"],
            [5.2, 2019, 1, None]]
    result = read_progress(book(rows), plan=plan)
    assert result.ok
    assert result.records.code.tolist() == ["1.2", "6.4", "5.2"]
    assert result.records.period.tolist() == ["2019-06", "2019-06", "2019-12"]


@pytest.mark.parametrize("cell,expected", [
    ("2019-06", "2019-06"), ("2019/6", "2019-06"), ("06/2019", "2019-06"), ("6/2019", "2019-06"),
    ("6-2019", "2019-06"), ("Tháng 6/2019", "2019-06"), ("tháng 06 năm 2019", "2019-06"), ("THANG 6/2019", "2019-06"),
    ("T6/2019", "2019-06"), ("Quý II/2019", "2019-06"), ("quy ii/2019", "2019-06"), ("Quý 2 năm 2019", "2019-06"),
    ("QUÝ IV/2019", "2019-12"), ("Quý I - 2019", "2019-03"), ("Quý III/2019", "2019-09"),
    ("6 tháng 2019", "2019-06"), ("6 tháng đầu năm 2019", "2019-06"), ("6 thang nam 2019", "2019-06"),
    ("6 tháng cuối năm 2019", "2019-12"), ("9 tháng 2019", "2019-09"), ("Năm 2019", "2019-12"),
    ("nam 2019", "2019-12"), ("2019", "2019-12"), (2019, "2019-12"), (2019.0, "2019-12"),
    ("30/6/2019", "2019-06"), ("2019-06-30", "2019-06"), (dt.date(2019, 6, 30), "2019-06"),
    (dt.datetime(2019, 12, 31, 0, 0), "2019-12"),
])
def test_period_forms(cell, expected):
    assert parse_period(cell) == expected


def test_period_from_a_date_cell_in_a_workbook(plan):
    result = read_progress(book([["6.1.2", dt.date(2019, 9, 30), 0.85, None]]), plan=plan)
    assert result.ok and result.records.period.tolist() == ["2019-09"]


@pytest.mark.parametrize("cell", ["Quý V/2019", "13/2019", "Tháng 6", "hè 2019", "2019-13", 6.2019, 1850,
                                  "Quý II", "0/2019"])
def test_bad_periods(cell):
    with pytest.raises(ValueError) as info:
        parse_period(cell)
    assert "Kỳ báo cáo" in str(info.value)


@pytest.mark.parametrize("cell,expected", [
    ("85%", 0.85), ("85 %", 0.85), ("0,85", 0.85), ("0.85", 0.85), (85, 0.85), (85.0, 0.85), (0.85, 0.85),
    ("85,5%", 0.855), ("85,5", 0.855), ("100%", 1.0), (100, 1.0), (1, 1.0), (0, 0.0), ("0%", 0.0), ("", None),
    (None, None),
])
def test_value_forms(cell, expected):
    assert parse_value(cell) == (pytest.approx(expected) if expected is not None else None)


def test_value_kept_as_typed_when_not_a_percentage():
    assert parse_value(2, percent=False) == 2.0
    assert parse_value("150", percent=False) == 150.0
    assert parse_value("50%", percent=False) == 0.5


@pytest.mark.parametrize("cell,expected", [
    ("Hoàn thành", "done"), ("Đã hoàn thành", "done"), ("Đạt", "done"), ("DAT", "done"), ("hoan thanh.", "done"),
    ("Đang thực hiện", "in_progress"), ("dang thuc hien", "in_progress"),
    ("Chưa thực hiện", "not_done"), ("Chưa hoàn thành", "not_done"), ("Không đạt", "not_done"),
    ("KHONG DAT", "not_done"),
])
def test_status_forms(cell, expected):
    assert parse_status(cell) == expected


def test_status_labels():
    assert PROGRESS_STATUSES == {"done": "Hoàn thành", "in_progress": "Đang thực hiện", "not_done": "Chưa thực hiện"}
    for key, label in PROGRESS_STATUSES.items():
        assert parse_status(label) == key


@pytest.mark.parametrize("cell,expected", [
    (dt.date(2019, 6, 17), "2019-06-17"), ("17/6/2019", "2019-06-17"), ("17-06-2019", "2019-06-17"),
    ("2019-06-17", "2019-06-17"), ("ngày 17 tháng 6 năm 2019", "2019-06-17"), (43633, "2019-06-17"), ("", ""),
])
def test_document_dates(plan, cell, expected):
    row = GOOD_ROW[:5] + [cell] + GOOD_ROW[6:]
    result = read_progress(book([row]), plan=plan)
    assert result.ok and result.findings.warnings == []
    assert result.records.doc_date.tolist() == [expected]


def test_unreadable_document_date_is_a_warning(plan):
    row = GOOD_ROW[:5] + ["31/6/2019"] + GOOD_ROW[6:]
    result = read_progress(book([row]), plan=plan)
    assert result.ok and result.records.doc_date.tolist() == [""]
    warning = result.findings.warnings[0]
    assert (warning.sheet, warning.row, warning.column) == ("Tiến độ", 2, "Ngày văn bản")


def test_agency_aliases_resolve_to_the_registry_name(plan):
    row = GOOD_ROW[:6] + ["phong tc-kh"] + GOOD_ROW[7:]
    result = read_progress(book([row]), plan=plan)
    assert result.ok and result.findings.warnings == []
    assert result.records.agency.tolist() == ["Phòng Tài chính-Kế hoạch"]


def test_no_plan_reads_any_well_formed_code():
    result = read_progress(book([["9.9.9", "2019-06", 50, None]]))
    assert result.ok and result.records.value.tolist() == [0.5]


# ---------------------------------------------------------------------------------------------------------------
# Errors: the file is refused, every message in Vietnamese naming the sheet, the Excel row and the column
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data,words", [
    (b"", "Tệp rỗng"),
    (b"STT,Ma tieu chi\n1,1.2\n", "không phải là tệp Excel"),
    (b"PK\x03\x04broken", "bị hỏng"),
])
def test_unreadable_workbook(data, words):
    result = read_progress(data, "tien_do.xlsx")
    error = only_error(result)
    assert words in error.message


def test_no_recognisable_table(plan):
    error = only_error(read_progress(xlsx_bytes({"Sheet1": [["Họ tên", "Điểm"], ["A", 1]]}), plan=plan))
    assert "Không tìm thấy bảng tiến độ" in error.message and "Mã tiêu chí" in error.message


def test_missing_period_column(plan):
    error = only_error(read_progress(book([["6.1.2", "78%"]], header=["Mã tiêu chí", "Giá trị"]), plan=plan))
    assert error.message == "Thiếu cột “Kỳ báo cáo”."
    assert (error.sheet, error.row) == ("Tiến độ", 1)


def test_missing_value_and_status_columns(plan):
    data = book([["6.1.2", "2019-06", "x"]], header=["Mã tiêu chí", "Kỳ báo cáo", "Ghi chú"], above=[["Tiêu đề"]])
    error = only_error(read_progress(data, plan=plan))
    assert "Thiếu cột “Giá trị” hoặc “Trạng thái”" in error.message
    assert (error.sheet, error.row) == ("Tiến độ", 2)


@pytest.mark.parametrize("row,column,words", [
    (["9.9", "2019-06", "50%"], "Mã tiêu chí", "Tiêu chí “9.9” không có trong kế hoạch."),
    (["abc", "2019-06", "50%"], "Mã tiêu chí", "không đúng dạng"),
    ([3, "2019-06", "50%"], "Mã tiêu chí", "không đúng dạng"),  # a domain, not a criterion
    (["", "2019-06", "50%"], "Mã tiêu chí", "Thiếu mã tiêu chí."),
    (["6.1.2", "", "50%"], "Kỳ báo cáo", "Thiếu kỳ báo cáo."),
    (["6.1.2", "Quý V/2019", "50%"], "Kỳ báo cáo", "Kỳ báo cáo “Quý V/2019” không đúng dạng"),
    (["6.1.2", "2019-06", "tốt"], "Giá trị", "“tốt” không phải là số"),
    (["6.1.2", "2019-06", -5], "Giá trị", "không được âm"),
    (["6.1.2", "2019-06", "-0,5"], "Giá trị", "không được âm"),
    (["6.1.2", "2019-06", "150%"], "Giá trị", "vượt quá 100%"),
    (["6.1.2", "2019-06", 150], "Giá trị", "vượt quá 100%"),
    (["6.1.2", "2019-06", None, "Sắp xong"], "Trạng thái", "Trạng thái “Sắp xong” không hợp lệ"),
    (["6.1.2", "2019-06", None, None, "53/BC-TCKH"], "Giá trị", "cần ghi “Giá trị” hoặc “Trạng thái”"),
])
def test_row_errors(plan, row, column, words):
    result = read_progress(book([GOOD_ROW, row]), plan=plan)
    error = only_error(result)
    assert (error.sheet, error.row, error.column) == ("Tiến độ", 3, column)
    assert words in error.message


def test_row_with_neither_names_the_status_column_when_there_is_no_value_column(plan):
    data = book([["6.4", "2019-06", None, "x"]], header=["Mã tiêu chí", "Kỳ báo cáo", "Trạng thái", "Ghi chú"])
    error = only_error(read_progress(data, plan=plan))
    assert (error.row, error.column) == (2, "Trạng thái")


def test_errors_use_the_header_as_written(plan):
    data = book([["6.1.2", "2019-06", "nhiều"]], header=["MA TIEU CHI", "Ky bao cao", "Gia tri dat duoc (%)"])
    error = only_error(read_progress(data, plan=plan))
    assert error.column == "Gia tri dat duoc (%)"


def test_every_error_of_a_row_is_reported(plan):
    result = read_progress(book([["9.9", "Quý V", "abc", "??"]]), plan=plan)
    assert [e.column for e in result.findings.errors] == ["Mã tiêu chí", "Kỳ báo cáo", "Giá trị", "Trạng thái"]
    assert all(e.row == 2 for e in result.findings.errors)


def test_same_criterion_and_period_twice(plan):
    rows = [GOOD_ROW, ["6.1.2", "Quý II/2019", "80%", None], ["6.1.2", "Quý IV/2019", "93%", None]]
    error = only_error(read_progress(book(rows), plan=plan))
    assert (error.row, error.column) == (3, "Mã tiêu chí")
    assert "Tiêu chí 6.1.2 kỳ 2019-06 đã có ở dòng 2" in error.message


def test_same_criterion_and_period_on_two_sheets(plan):
    data = xlsx_bytes({"A": [HEADER, GOOD_ROW], "B": [HEADER, GOOD_ROW]})
    error = only_error(read_progress(data, plan=plan))
    assert error.sheet == "B" and "dòng 2 sheet “A”" in error.message


def test_formulas_without_saved_values(plan):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tiến độ"
    ws.append(HEADER)
    ws.append(["6.1.2", "2019-06", "=39/50", "Đang thực hiện"])
    buffer = io.BytesIO()
    wb.save(buffer)
    error = only_error(read_progress(buffer.getvalue(), plan=plan))
    assert error.sheet == "Tiến độ" and "C2" in error.message
    assert "mở tệp bằng Excel, bấm Lưu" in error.message


def test_no_records_when_any_row_is_wrong(plan):
    result = read_progress(book([GOOD_ROW, ["5.2", "2019-06", "abc"], ["1.2", "2019-06", None, "Đạt"]]), plan=plan)
    assert not result.ok and result.records.empty
    assert list(result.records.columns) == list(RECORD_COLUMNS)


# ---------------------------------------------------------------------------------------------------------------
# Warnings: the file is accepted
# ---------------------------------------------------------------------------------------------------------------

def test_unknown_agency_is_kept_with_a_warning(plan):
    row = GOOD_ROW[:6] + ["Ban Quản lý dự án"] + GOOD_ROW[7:]
    result = read_progress(book([row]), plan=plan)
    assert result.ok and result.records.agency.tolist() == ["Ban Quản lý dự án"]
    warning = result.findings.warnings[0]
    assert (warning.sheet, warning.row, warning.column) == ("Tiến độ", 2, "Cơ quan báo cáo")
    assert "Ban Quản lý dự án" in warning.message and "danh mục" in warning.message


def test_value_for_a_criterion_without_a_percentage_target(plan):
    result = read_progress(book([["6.8.1", "2019-12", 2, "Chưa thực hiện"]]), plan=plan)
    assert result.ok and result.records.value.tolist() == [2.0]
    warning = result.findings.warnings[0]
    assert (warning.row, warning.column) == (2, "Giá trị")
    assert "6.8.1" in warning.message and "không có chỉ tiêu tỷ lệ" in warning.message


def test_without_a_plan_values_are_read_as_percentages():
    result = read_progress(book([["6.8.1", "2019-12", 2, None]]))
    assert result.ok and result.records.value.tolist() == [0.02] and result.findings.warnings == []


# ---------------------------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------------------------

def test_detection_is_false_for_the_plan_workbooks():
    assert not detect_progress_table(load_workbook(sample_plan_bytes()))
    assert not detect_progress_table(load_workbook(plan_bytes()))
    assert PLAN_HEADER[0] == "STT"
    with_code_header = ["Mã tiêu chí"] + PLAN_HEADER[1:]
    assert not detect_progress_table(load_workbook(plan_bytes(header=with_code_header)))


def test_detection_is_false_for_statistics_workbooks():
    bieu_06 = [["Kỳ báo cáo: Tháng 01 năm 2019"], [],
               ["STT", "Lĩnh vực, công việc giải quyết theo cấp", "Số hồ sơ nhận giải quyết", "", "", "",
                "Số hồ sơ đã giải quyết"],
               ["", "", "Tổng số", "Trong đó", "", "Từ kỳ trước", "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn"]]
    template = [["Đơn vị", "Năm", "Tháng", "Tổng số hồ sơ tiếp nhận", "Trực tuyến"], ["Phòng Tư pháp", 2019, 1, 5, 0]]
    for grid in (bieu_06, template):
        assert not detect_progress_table(load_workbook(xlsx_bytes({"T01": grid})))
    for name in ("thong_ke_2019_minh_hoa.xlsx", "thong_ke_2019_minh_hoa_mau.xlsx", "mau_thong_ke.xlsx",
                 "mau_ke_hoach.xlsx"):
        path = DATA / name
        if path.exists():  # generated by cchc.sample
            assert not detect_progress_table(load_workbook(path.read_bytes())), name


def test_detection_is_true_for_progress_tables():
    assert detect_progress_table(load_workbook(build_progress_template()))
    assert detect_progress_table(load_workbook(book([], header=["ma tieu chi", "trang thai"])))
    assert not detect_progress_table(load_workbook(book([], header=["Mã tiêu chí", "Kỳ báo cáo"])))


def test_read_progress_workbook_takes_a_loaded_workbook(plan):
    result = read_progress_workbook(load_workbook(book([GOOD_ROW])), plan=plan)
    assert result.ok and len(result.records) == 1


# ---------------------------------------------------------------------------------------------------------------
# The template and the illustrative reports
# ---------------------------------------------------------------------------------------------------------------

def test_template_round_trip(plan):
    data = build_progress_template()
    result = read_progress(data, "mau_tien_do.xlsx", plan=plan)
    assert result.ok and result.records.empty
    assert list(result.records.columns) == list(RECORD_COLUMNS)
    assert [w.message for w in result.findings.warnings] == [NO_DATA_ROWS]
    assert NO_DATA_ROWS == "Tệp không có dòng số liệu nào."


def test_template_layout():
    wb = openpyxl.load_workbook(io.BytesIO(build_progress_template()))
    assert wb.sheetnames == [PROGRESS_SHEET, "Hướng dẫn"]
    ws = wb[PROGRESS_SHEET]
    assert [c.value for c in ws[1]] == HEADER
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 1
    assert all(ws.column_dimensions[letter].width >= 10 for letter in "ABCDEFGH")
    assert ws.column_dimensions["A"].number_format == "@"  # codes stay text
    guide = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    for words in HEADER + ["Quý II/2019", "6 tháng 2019", "Năm 2019", "Giá trị hay Trạng thái", "Hoàn thành",
                           "Đang thực hiện", "Chưa thực hiện", "số lớn hơn 1 được hiểu là phần trăm"]:
        assert words in guide, words


def test_template_file_is_current_and_stable():
    assert build_progress_template() == build_progress_template()
    assert TEMPLATE_FILE.read_bytes() == build_progress_template()


def test_illustrative_file_reads_clean_against_the_seed_plan(plan):
    data = ILLUSTRATIVE_FILE.read_bytes()
    assert data == build_illustrative_progress(plan)  # the shipped file is what the code builds
    assert detect_progress_table(load_workbook(data))
    result = read_progress(data, ILLUSTRATIVE_FILE.name, plan=plan)
    assert result.findings.errors == [] and result.findings.warnings == []
    records = result.records
    assert set(records.period) == {"2019-06", "2019-12"}
    measured = {c.code for c in plan.criteria if c.target and c.target.metric in STATS_MEASURED_METRICS}
    assert measured == {"3.4", "3.7", "7.2.2", "7.2.3", "7.3.2", "7.3.3"}
    # the criteria the illustrative procedure sheet measures are left to it, so the two samples never disagree
    by_procedures = {c.code for c in plan.criteria if c.target and c.target.metric in PROCEDURE_MEASURED_METRICS}
    assert by_procedures == {"3.2.4", "3.5.2", "7.2.1", "7.3.1"}
    expected_codes = {c.code for c in plan.criteria} - measured - by_procedures
    for period in ("2019-06", "2019-12"):
        assert set(records[records.period == period].code) == expected_codes
    assert len(records) == 2 * len(expected_codes) == 34

    def row(code, period):
        return records[(records.code == code) & (records.period == period)].iloc[0]

    assert row("6.1.2", "2019-06").value == 0.78 and row("6.1.2", "2019-12").value == 0.93
    assert row("1.2", "2019-06").status == "done" and row("1.2", "2019-06").doc_number == "45/BC-UBND"
    assert row("6.8.1", "2019-12").status == "not_done"
    statuses = set(records.status)
    assert statuses == {"done", "in_progress", "not_done"}
    below = [r for r in records.itertuples() if not math.isnan(r.value)
             and r.value < next(c for c in plan.criteria if c.code == r.code).target.value]
    assert below, "some values are below target"
    lead = {c.code: c.lead[0] for c in plan.criteria}
    assert all(r.agency == lead[r.code] for r in records.itertuples())
    assert all(r.doc_number and r.doc_date.startswith("2019-") for r in records.itertuples())
    # no value is reported for a criterion without a percentage target
    no_target = {c.code for c in plan.criteria if c.target is None}
    assert records[records.code.isin(no_target)].value.isna().all()


def test_illustrative_file_is_marked():
    wb = openpyxl.load_workbook(io.BytesIO(ILLUSTRATIVE_FILE.read_bytes()))
    ws = wb[PROGRESS_SHEET]
    assert "DỮ LIỆU MINH HỌA" in ws["A1"].value
    assert wb.properties.created == wb.properties.modified == dt.datetime(2020, 1, 1)
