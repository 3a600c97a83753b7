"""The procedure-count reader (cchc.read.procedures): layouts, header vocabulary, errors, warnings, rates, the files."""

import datetime as dt
import io

import openpyxl
import pytest
from support import DATA, plan_bytes, xlsx_bytes

from cchc.read.grid import load_workbook
from cchc.read.procedures import (
    NO_DATA_ROWS,
    PROCEDURE_FIELDS,
    PROCEDURE_LABELS,
    PROCEDURES_SHEET,
    RECORD_COLUMNS,
    TEMPLATE_HEADERS,
    ProceduresResult,
    detect_procedures_table,
    read_procedures,
    read_procedures_workbook,
)
from cchc.registry import parse_registry
from cchc.sample.procedures import (
    ILLUSTRATIVE_FILE,
    TEMPLATE_FILE,
    build_illustrative_procedures,
    build_procedures_template,
    write_files,
)
from cchc.score.metrics import procedure_rates, procedure_totals

HEADER = list(TEMPLATE_HEADERS)
# Đơn vị | Năm | total | one-stop | online | l3 | l4 | full | partial | online used | BCCI | BCCI used | published
GOOD_ROW = ["Phòng Tư pháp", 2019, 32, 32, 12, 9, 3, None, None, 7, 24, 6, 30]
SHORT_HEADER = ["Đơn vị", "Năm", "Tổng số TTHC"]


def book(rows, header=None, sheet=PROCEDURES_SHEET, above=(), extra_sheets=None) -> bytes:
    grid = [list(r) for r in above] + [list(header or HEADER)] + [list(r) for r in rows]
    sheets = dict(extra_sheets or {})
    sheets[sheet] = grid
    return xlsx_bytes(sheets)


def only_error(result: ProceduresResult):
    assert result.records.empty
    assert len(result.findings.errors) == 1, [e.located() for e in result.findings.errors]
    return result.findings.errors[0]


def assert_clean(result: ProceduresResult):
    assert result.findings.errors == [], [f.located() for f in result.findings.errors]
    assert result.findings.warnings == [], [f.located() for f in result.findings.warnings]


# ---------------------------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------------------------

def test_basic_row():
    result = read_procedures(book([GOOD_ROW]))
    assert_clean(result)
    assert result.ok
    assert list(result.records.columns) == list(RECORD_COLUMNS)
    assert result.present_fields == list(PROCEDURE_FIELDS)
    record = result.records.iloc[0].to_dict()
    assert record == {"unit": "Phòng Tư pháp", "level": "huyện", "year": 2019, "procedures_total": 32,
                      "procedures_one_stop": 32, "procedures_online_offered": 12, "procedures_online_l3_offered": 9,
                      "procedures_online_l4_offered": 3, "procedures_online_full_offered": 0,
                      "procedures_online_partial_offered": 0, "procedures_online_used": 7,
                      "procedures_bcci_offered": 24, "procedures_bcci_used": 6, "procedures_published": 30,
                      "sheet": PROCEDURES_SHEET, "row": 2}
    assert all(str(result.records[c].dtype) == "int64" for c in ("year", *PROCEDURE_FIELDS, "row"))


def test_folded_lowercase_headers_reordered_on_row_5_of_a_second_sheet():
    header = ["ghi chu", "cong khai", "so tthc thuoc tham quyen", "stt", "nam", "co phat sinh ho so truc tuyen",
              "tthc co phat sinh ho so qua dich vu buu chinh cong ich", "don vi", "dua vao phan mem mot cua",
              "tthc cung cap truc tuyen (toan trinh, mot phan)", "tthc trien khai qua buu chinh cong ich"]
    row = ["", 40, 45, 1, "2019", 5, 3, "phong tc-kh", 44, 12, 30]
    data = book([row], header=header, sheet="Số liệu",
                above=[["UBND HUYỆN IA PA"], ["SỐ LIỆU THỦ TỤC HÀNH CHÍNH NĂM 2019"], [], []],
                extra_sheets={"Bìa": [["Báo cáo thủ tục hành chính"], ["Đơn vị: UBND huyện"]]})
    result = read_procedures(data)
    assert_clean(result)
    record = result.records.iloc[0]
    assert (record.unit, record.level, record.year) == ("Phòng Tài chính-Kế hoạch", "huyện", 2019)
    assert (record.procedures_total, record.procedures_one_stop, record.procedures_online_offered,
            record.procedures_online_used, record.procedures_bcci_offered, record.procedures_bcci_used,
            record.procedures_published) == (45, 44, 12, 5, 30, 3, 40)
    assert (record.sheet, record.row) == ("Số liệu", 6)  # the header is on row 5
    assert result.present_fields == ["procedures_total", "procedures_one_stop", "procedures_online_offered",
                                     "procedures_online_used", "procedures_bcci_offered", "procedures_bcci_used",
                                     "procedures_published"]


@pytest.mark.parametrize("label,field", [
    ("Tổng số TTHC", "procedures_total"),
    ("Số TTHC thuộc thẩm quyền", "procedures_total"),
    ("Số TTHC thuộc thẩm quyền giải quyết", "procedures_total"),
    ("Tổng số thủ tục hành chính", "procedures_total"),
    ("TTHC xử lý trên phần mềm Một cửa điện tử", "procedures_one_stop"),
    ("Đưa vào phần mềm một cửa", "procedures_one_stop"),
    ("TTHC cung cấp trực tuyến mức độ 3, 4", "procedures_online_offered"),
    ("TTHC trực tuyến mức độ 3, 4", "procedures_online_offered"),
    ("TTHC cung cấp trực tuyến (toàn trình, một phần)", "procedures_online_offered"),
    ("Mức độ 3", "procedures_online_l3_offered"),
    ("Mức độ 4", "procedures_online_l4_offered"),
    ("TTHC trực tuyến mức độ 3", "procedures_online_l3_offered"),
    ("Trong đó: Mức độ 4", "procedures_online_l4_offered"),
    ("Toàn trình", "procedures_online_full_offered"),
    ("Một phần", "procedures_online_partial_offered"),
    ("TTHC trực tuyến có phát sinh hồ sơ", "procedures_online_used"),
    ("Có phát sinh hồ sơ trực tuyến", "procedures_online_used"),
    ("TTHC cung cấp qua dịch vụ BCCI", "procedures_bcci_offered"),
    ("TTHC triển khai qua bưu chính công ích", "procedures_bcci_offered"),
    ("TTHC cung cấp qua dịch vụ bưu chính công ích", "procedures_bcci_offered"),
    ("TTHC có phát sinh hồ sơ qua BCCI", "procedures_bcci_used"),
    ("Thủ tục có phát sinh hồ sơ qua dịch vụ bưu chính công ích", "procedures_bcci_used"),
    ("TTHC công khai tiến độ, kết quả giải quyết", "procedures_published"),
    ("Công khai", "procedures_published"),
    ("CONG KHAI (*)", "procedures_published"),
])
def test_header_vocabulary(label, field):
    header = ["Đơn vị", "Năm", "Tổng số TTHC", label] if field != "procedures_total" else ["Đơn vị", "Năm", label]
    result = read_procedures(book([["Phòng Tư pháp", 2019, 10, 1]], header=header))
    assert_clean(result)
    assert field in result.present_fields
    assert result.records[field].tolist() == [10 if field == "procedures_total" else 1]


def test_headers_about_dossiers_are_not_procedure_columns():
    header = SHORT_HEADER + ["Tổng số hồ sơ tiếp nhận", "Số hồ sơ TTHC", "Tiếp nhận qua BCCI", "Trực tuyến",
                             "Trả kết quả qua BCCI", "Tỷ lệ TTHC công khai (%)"]
    result = read_procedures(book([["Phòng Tư pháp", 2019, 10, 500, 500, 40, 60, 20, "90%"]], header=header))
    assert_clean(result)
    assert result.present_fields == ["procedures_total"]
    assert result.records[list(PROCEDURE_FIELDS[1:])].sum().sum() == 0


def test_absent_optional_columns_read_as_zero():
    result = read_procedures(book([["Phòng Tư pháp", 2019, 32]], header=SHORT_HEADER))
    assert_clean(result)
    assert result.present_fields == ["procedures_total"]
    record = result.records.iloc[0]
    assert record.procedures_total == 32
    assert all(record[f] == 0 for f in PROCEDURE_FIELDS[1:])
    assert procedure_rates(procedure_totals(result.records)) == {
        "online_procedures_used": None, "bcci_procedures_used": None, "one_stop_coverage": 0.0,
        "publication_rate": 0.0}


def test_online_offered_is_the_sum_of_its_splits_when_absent():
    header = SHORT_HEADER + ["Mức độ 3", "Mức độ 4", "TTHC trực tuyến có phát sinh hồ sơ"]
    result = read_procedures(book([["Phòng Tư pháp", 2019, 30, 9, 3, 7]], header=header))
    assert_clean(result)
    assert result.records.procedures_online_offered.tolist() == [12]
    assert result.present_fields == ["procedures_total", "procedures_online_offered", "procedures_online_l3_offered",
                                     "procedures_online_l4_offered", "procedures_online_used"]
    header = SHORT_HEADER + ["Toàn trình", "Một phần"]
    result = read_procedures(book([["Phòng Tư pháp", 2024, 30, 4, None]], header=header))
    assert_clean(result)
    assert result.records.procedures_online_offered.tolist() == [4]
    # both schemes count the same procedures: the larger sum, not the sum of all four
    header = SHORT_HEADER + ["Mức độ 3", "Mức độ 4", "Toàn trình", "Một phần"]
    result = read_procedures(book([["Phòng Tư pháp", 2022, 30, 9, 3, 5, 8]], header=header))
    assert_clean(result)
    assert result.records.procedures_online_offered.tolist() == [13]


def test_count_forms():
    header = SHORT_HEADER + ["Công khai", "Đưa vào phần mềm một cửa", "Mức độ 3"]
    rows = [["Phòng Tư pháp", "2019", "1.234", "-", None, " 12 "], ["Phòng Y tế", 2019.0, 6.0, "6", "5,0", 0]]
    result = read_procedures(book(rows, header=header))
    assert_clean(result)
    assert result.records[["year", "procedures_total", "procedures_published", "procedures_one_stop",
                           "procedures_online_l3_offered"]].values.tolist() == [[2019, 1234, 0, 0, 12],
                                                                               [2019, 6, 6, 5, 0]]


@pytest.mark.parametrize("cell", [2019, "2019", "Năm 2019", "nam 2019", 2019.0])
def test_year_forms(cell):
    result = read_procedures(book([["Phòng Tư pháp", cell, 5]], header=SHORT_HEADER))
    assert_clean(result)
    assert result.records.year.tolist() == [2019]


def test_numbering_total_group_blank_and_footer_rows_are_skipped():
    header = ["STT"] + SHORT_HEADER + ["Công khai"]
    rows = [["(1)", "(2)", "(3)", "(4)", "(5)"],
            ["I", "Cấp huyện", None, 50, 45],
            [1, "Phòng Tư pháp", 2019, 32, 30],
            [2, "Phòng Y tế", 2019, 6, 5],
            [],
            ["II", "II. Cấp xã", 2019, 109, 88],
            [3, "Xã Ia Tul", 2019, 109, 88],
            [None, "Tổng cộng", 2019, 147, 123],
            ["Tổng cộng", None, 2019, 147, 123],
            ["III", None, None, 0, 0],
            ["STT", "Đơn vị", "Năm", "Tổng số TTHC", "Công khai"],  # the header repeated on a new page
            [],
            ["Người lập biểu", None, None, "Thủ trưởng đơn vị"],
            ["rác sau chữ ký", "x", "y", "z"]]
    result = read_procedures(book(rows, header=header))
    assert_clean(result)
    assert result.records.unit.tolist() == ["Phòng Tư pháp", "Phòng Y tế", "UBND xã Ia Tul"]
    assert result.records.level.tolist() == ["huyện", "huyện", "xã"]
    assert result.records.row.tolist() == [4, 5, 8]


def test_several_sheets_are_read_together():
    data = xlsx_bytes({"2018": [SHORT_HEADER, ["Phòng Tư pháp", 2018, 30]],
                       "2019": [SHORT_HEADER, ["Phòng Tư pháp", 2019, 32]]})
    result = read_procedures(data)
    assert_clean(result)
    assert result.records[["sheet", "year", "procedures_total"]].values.tolist() == [["2018", 2018, 30],
                                                                                     ["2019", 2019, 32]]


def test_read_procedures_workbook_takes_a_loaded_workbook():
    result = read_procedures_workbook(load_workbook(book([GOOD_ROW])))
    assert result.ok and len(result.records) == 1


# ---------------------------------------------------------------------------------------------------------------
# Errors: the file is refused, every message in Vietnamese naming the sheet, the Excel row and the column
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data,words", [
    (b"", "Tệp rỗng"),
    (b"Don vi,Nam,Tong so TTHC\nPhong Tu phap,2019,32\n", "không phải là tệp Excel"),
    (b"PK\x03\x04broken", "bị hỏng"),
])
def test_unreadable_workbook(data, words):
    error = only_error(read_procedures(data, "thu_tuc.xlsx"))
    assert words in error.message


def test_no_recognisable_table():
    error = only_error(read_procedures(xlsx_bytes({"Sheet1": [["Họ tên", "Điểm"], ["A", 1]]})))
    assert "Không tìm thấy bảng số liệu TTHC" in error.message
    assert "“Đơn vị”, “Năm” và “Tổng số TTHC”" in error.message


def test_a_statistics_workbook_is_not_a_procedure_table():
    error = only_error(read_procedures((DATA / "mau_thong_ke.xlsx").read_bytes()))
    assert "Không tìm thấy bảng số liệu TTHC" in error.message


@pytest.mark.parametrize("header,missing", [
    (["Đơn vị", "Tổng số TTHC", "Công khai"], "Năm"),
    (["Đơn vị", "Năm", "TTHC cung cấp trực tuyến mức độ 3, 4", "TTHC công khai tiến độ, kết quả giải quyết"],
     "Tổng số TTHC"),
    (["Tên", "Năm", "Tổng số TTHC", "Công khai"], "Đơn vị"),
])
def test_missing_required_column(header, missing):
    data = book([["Phòng Tư pháp", 2019, 5, 5]], header=header, above=[["SỐ LIỆU TTHC"], []])
    error = only_error(read_procedures(data))
    assert error.message == f"Thiếu cột “{missing}”."
    assert (error.sheet, error.row) == (PROCEDURES_SHEET, 3)


def _row(**values):
    """GOOD_ROW with some cells replaced, by field name (or "unit", "year")."""
    keys = ["unit", "year", *PROCEDURE_FIELDS]
    row = list(GOOD_ROW)
    for key, value in values.items():
        row[keys.index(key)] = value
    return row


@pytest.mark.parametrize("row,column,words", [
    (_row(unit=""), "Đơn vị", "Thiếu tên đơn vị."),
    (_row(year=None), "Năm", "Thiếu năm."),
    (_row(year="hai nghìn"), "Năm", "Năm “hai nghìn” không đúng dạng"),
    (_row(year=2019.5), "Năm", "Năm “2019.5” không đúng dạng"),
    (_row(year=1999), "Năm", "Năm 1999 nằm ngoài khoảng 2000–2100."),
    (_row(year="2101"), "Năm", "Năm 2101 nằm ngoài khoảng 2000–2100."),
    (_row(procedures_total=None), "Tổng số TTHC", "Thiếu số liệu “Tổng số TTHC”."),
    (_row(procedures_total="nhiều"), "Tổng số TTHC", "“nhiều” không phải là số."),
    (_row(procedures_published=True), PROCEDURE_LABELS["procedures_published"], "không phải là số"),
    (_row(procedures_one_stop=-3), PROCEDURE_LABELS["procedures_one_stop"], "Số TTHC không được âm (-3)."),
    (_row(procedures_one_stop="-3"), PROCEDURE_LABELS["procedures_one_stop"], "không được âm"),
    (_row(procedures_bcci_offered=2.5), PROCEDURE_LABELS["procedures_bcci_offered"], "phải là số nguyên"),
    (_row(procedures_bcci_offered="2,5"), PROCEDURE_LABELS["procedures_bcci_offered"], "phải là số nguyên"),
    (_row(procedures_one_stop=33), PROCEDURE_LABELS["procedures_one_stop"],
     "“TTHC xử lý trên phần mềm Một cửa điện tử” (33) lớn hơn “Tổng số TTHC” (32)."),
    (_row(procedures_online_offered=40, procedures_online_l3_offered=None, procedures_online_l4_offered=None),
     PROCEDURE_LABELS["procedures_online_offered"],
     "“TTHC cung cấp trực tuyến mức độ 3, 4” (40) lớn hơn “Tổng số TTHC” (32)."),
    (_row(procedures_online_used=13), PROCEDURE_LABELS["procedures_online_used"],
     "“TTHC trực tuyến có phát sinh hồ sơ” (13) lớn hơn “TTHC cung cấp trực tuyến mức độ 3, 4” (12)."),
    (_row(procedures_bcci_offered=33), PROCEDURE_LABELS["procedures_bcci_offered"],
     "“TTHC cung cấp qua dịch vụ BCCI” (33) lớn hơn “Tổng số TTHC” (32)."),
    (_row(procedures_bcci_used=25), PROCEDURE_LABELS["procedures_bcci_used"],
     "“TTHC có phát sinh hồ sơ qua BCCI” (25) lớn hơn “TTHC cung cấp qua dịch vụ BCCI” (24)."),
    (_row(procedures_published=40), PROCEDURE_LABELS["procedures_published"],
     "“TTHC công khai tiến độ, kết quả giải quyết” (40) lớn hơn “Tổng số TTHC” (32)."),
    (_row(procedures_online_l3_offered=10), PROCEDURE_LABELS["procedures_online_l3_offered"],
     "“TTHC trực tuyến mức độ 3” + “TTHC trực tuyến mức độ 4” (13) lớn hơn "
     "“TTHC cung cấp trực tuyến mức độ 3, 4” (12)."),
    (_row(procedures_online_full_offered=10, procedures_online_partial_offered=5),
     PROCEDURE_LABELS["procedures_online_full_offered"], "(15) lớn hơn “TTHC cung cấp trực tuyến mức độ 3, 4” (12)."),
])
def test_row_errors(row, column, words):
    result = read_procedures(book([["UBND xã Ia Tul", 2019, 109, 96, 29, 26, 3, None, None, 12, 78, 14, 88], row]))
    error = only_error(result)
    assert (error.sheet, error.row, error.column) == (PROCEDURES_SHEET, 3, column)
    assert words in error.message


def test_part_above_the_sum_of_the_splits_when_the_online_total_is_absent():
    header = SHORT_HEADER + ["Mức độ 3", "Mức độ 4", "Có phát sinh hồ sơ trực tuyến"]
    error = only_error(read_procedures(book([["Phòng Tư pháp", 2019, 30, 9, 3, 13]], header=header)))
    assert (error.row, error.column) == (2, "Có phát sinh hồ sơ trực tuyến")
    assert error.message == "“Có phát sinh hồ sơ trực tuyến” (13) lớn hơn tổng các cột “Mức độ 3” + “Mức độ 4” (12)."
    error = only_error(read_procedures(book([["Phòng Tư pháp", 2019, 10, 9, 3, 1]], header=header)))
    assert (error.row, error.column) == (2, "Mức độ 3")
    assert error.message == "“Mức độ 3” + “Mức độ 4” (12) lớn hơn “Tổng số TTHC” (10)."
    header = SHORT_HEADER + ["Mức độ 3", "Mức độ 4", "Toàn trình", "Một phần", "Có phát sinh hồ sơ trực tuyến"]
    error = only_error(read_procedures(book([["Phòng Tư pháp", 2022, 30, 9, 3, 5, 8, 14]], header=header)))
    assert error.message == "“Có phát sinh hồ sơ trực tuyến” (14) lớn hơn tổng các cột “Toàn trình” + “Một phần” (13)."


def test_errors_use_the_header_as_written():
    header = ["DON VI", "Nam bao cao", "So TTHC thuoc tham quyen (1)"]
    error = only_error(read_procedures(book([["Phòng Tư pháp", 2019, "ba mươi"]], header=header)))
    assert error.column == "So TTHC thuoc tham quyen (1)"


def test_every_error_of_a_row_is_reported():
    row = ["", "năm ngoái", "x", 40, None, None, None, None, None, None, None, None, -1]
    result = read_procedures(book([row]))
    assert [e.column for e in result.findings.errors] == [
        "Đơn vị", "Năm", "Tổng số TTHC", PROCEDURE_LABELS["procedures_published"]]
    assert all(e.row == 2 for e in result.findings.errors)


def test_same_unit_and_year_twice():
    rows = [GOOD_ROW, _row(unit="Phòng Tư pháp huyện"), _row(year=2020)]
    error = only_error(read_procedures(book(rows)))
    assert (error.sheet, error.row, error.column) == (PROCEDURES_SHEET, 3, "Đơn vị")
    assert error.message == ("Đơn vị “Phòng Tư pháp” năm 2019 đã có ở dòng 2: mỗi đơn vị chỉ ghi một dòng cho mỗi "
                             "năm.")


def test_same_unknown_unit_twice_and_on_two_sheets():
    rows = [_row(unit="Ban Quản lý dự án"), _row(unit="ban quan ly du an")]
    result = read_procedures(book(rows))
    assert [(e.row, e.column) for e in result.findings.errors] == [(3, "Đơn vị")]
    data = xlsx_bytes({"A": [HEADER, GOOD_ROW], "B": [HEADER, GOOD_ROW]})
    error = only_error(read_procedures(data))
    assert error.sheet == "B" and "dòng 2 sheet “A”" in error.message


def test_formulas_without_saved_values():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = PROCEDURES_SHEET
    ws.append(SHORT_HEADER + ["Công khai"])
    ws.append(["Phòng Tư pháp", 2019, "=20+12", 30])
    buffer = io.BytesIO()
    wb.save(buffer)
    error = only_error(read_procedures(buffer.getvalue()))
    assert error.sheet == PROCEDURES_SHEET and "C2" in error.message
    assert "mở tệp bằng Excel, bấm Lưu" in error.message


def test_no_records_when_any_row_is_wrong():
    result = read_procedures(book([GOOD_ROW, _row(unit="Phòng Y tế", procedures_total="x")]))
    assert not result.ok and result.records.empty
    assert list(result.records.columns) == list(RECORD_COLUMNS)


# ---------------------------------------------------------------------------------------------------------------
# Warnings: the file is accepted
# ---------------------------------------------------------------------------------------------------------------

def test_unknown_unit_is_kept_with_a_warning():
    result = read_procedures(book([_row(unit="Ban Quản lý dự án")]))
    assert result.ok and result.findings.errors == []
    assert result.records[["unit", "level"]].values.tolist() == [["Ban Quản lý dự án", ""]]
    warning = result.findings.warnings[0]
    assert (warning.sheet, warning.row, warning.column) == (PROCEDURES_SHEET, 2, "Đơn vị")
    assert warning.message == "Đơn vị “Ban Quản lý dự án” không có trong danh mục đơn vị; tên được giữ như đã ghi."


def test_a_group_is_not_a_unit_and_its_row_is_skipped():
    rows = [_row(unit="UBND các xã", procedures_total=200, procedures_one_stop=180), _row(unit="Xã Ia Tul")]
    result = read_procedures(book(rows))
    assert result.ok and result.records.unit.tolist() == ["UBND xã Ia Tul"]
    assert [(w.row, w.column) for w in result.findings.warnings] == [(2, "Đơn vị")]
    assert result.findings.warnings[0].message.startswith("“UBND các xã” là một nhóm đơn vị")


def test_a_registry_unit_that_looks_like_a_numbered_heading_is_still_a_unit():
    registry = parse_registry("name,short_name,level,kind,aliases,members\n"
                              "Văn phòng HĐND-UBND,VP,xã,agency,V.P HĐND-UBND,\n")
    result = read_procedures(book([_row(unit="V.P HĐND-UBND")]), registry=registry)
    assert_clean(result)
    assert result.records[["unit", "level"]].values.tolist() == [["Văn phòng HĐND-UBND", "xã"]]


def test_a_row_with_only_a_number_is_skipped_with_a_warning():
    header = ["STT"] + SHORT_HEADER + ["Ghi chú"]
    result = read_procedures(book([[1, "Phòng Tư pháp", 2019, 32], [2, None, None, None, "chưa báo cáo"]],
                                  header=header))
    assert result.ok and len(result.records) == 1
    assert [(w.row, w.message) for w in result.findings.warnings] == [
        (3, "Dòng không có đơn vị, năm hay số liệu TTHC: bỏ qua.")]


def test_blank_file_is_accepted_with_a_warning():
    result = read_procedures(book([]))
    assert result.ok and result.records.empty
    assert list(result.records.columns) == list(RECORD_COLUMNS)
    assert [(w.sheet, w.message) for w in result.findings.warnings] == [(PROCEDURES_SHEET, NO_DATA_ROWS)]
    assert NO_DATA_ROWS == "Tệp không có dòng số liệu nào."


# ---------------------------------------------------------------------------------------------------------------
# Rates: from summed counts, never the average of unit rates
# ---------------------------------------------------------------------------------------------------------------

def test_rates_from_summed_counts_of_two_units():
    rows = [["Phòng Tư pháp", 2019, 10, 10, 4, None, None, None, None, 4, 10, 5, 10],
            ["UBND xã Ia Tul", 2019, 90, 45, 36, None, None, None, None, 9, 40, 2, 27]]
    result = read_procedures(book(rows))
    assert_clean(result)
    totals = procedure_totals(result.records)
    assert totals["procedures_total"] == 100 and totals["procedures_online_offered"] == 40
    rates = procedure_rates(totals)
    assert rates == {"online_procedures_used": pytest.approx(13 / 40), "bcci_procedures_used": pytest.approx(7 / 50),
                     "one_stop_coverage": pytest.approx(0.55), "publication_rate": pytest.approx(0.37)}
    # the averages of the unit rates would be 0.625, 0.275, 0.75 and 0.65
    unit_rates = [procedure_rates(procedure_totals(result.records, units=[u])) for u in result.records.unit]
    for key in rates:
        assert rates[key] != pytest.approx(sum(r[key] for r in unit_rates) / 2)


def test_totals_filter_by_year_and_unit():
    rows = [_row(), _row(year=2020, procedures_total=40), _row(unit="Phòng Y tế", procedures_total=35)]
    records = read_procedures(book(rows)).records
    assert procedure_totals(records)["procedures_total"] == 107
    assert procedure_totals(records, year=2019)["procedures_total"] == 67
    assert procedure_totals(records, year=2019, units=["Phòng Y tế"])["procedures_total"] == 35
    assert procedure_totals(records, year=2030) == dict.fromkeys(PROCEDURE_FIELDS, 0)


def test_rates_without_a_denominator_are_none():
    assert procedure_rates({}) == dict.fromkeys(
        ("online_procedures_used", "bcci_procedures_used", "one_stop_coverage", "publication_rate"))
    assert procedure_rates({"procedures_total": 0, "procedures_one_stop": 0})["one_stop_coverage"] is None


# ---------------------------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ke_hoach_75_2019.xlsx", "thong_ke_2019_minh_hoa.xlsx",
                                  "thong_ke_2019_minh_hoa_mau.xlsx", "mau_thong_ke.xlsx", "mau_tien_do.xlsx",
                                  "tien_do_2019_minh_hoa.xlsx", "mau_ke_hoach.xlsx"])
def test_detection_is_false_for_the_other_workbooks(name):
    assert not detect_procedures_table(load_workbook((DATA / name).read_bytes()))


def test_detection_is_false_for_dossier_headers():
    bieu_06 = [["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"],
               ["Đơn vị tính: Số hồ sơ TTHC"],
               ["STT", "Đơn vị", "Số hồ sơ TTHC nhận giải quyết", "", "", "", "Số hồ sơ đã giải quyết"],
               ["", "", "Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Tổng số"]]
    template = [["Đơn vị", "Năm", "Tháng", "Tổng số hồ sơ tiếp nhận", "Trực tuyến mức độ 3", "Mức độ 4",
                 "Tiếp nhận qua BCCI"], ["Phòng Tư pháp", 2019, 1, 5, 0, 0, 0]]
    for grid in (bieu_06, template, [["Đơn vị", "Số hồ sơ TTHC"]], [["Đơn vị", "Tổng số hồ sơ"]]):
        assert not detect_procedures_table(load_workbook(xlsx_bytes({"T01": grid})))
    assert not detect_procedures_table(load_workbook(plan_bytes()))


def test_detection_is_true_for_procedure_tables():
    assert detect_procedures_table(load_workbook(build_procedures_template()))
    assert detect_procedures_table(load_workbook(ILLUSTRATIVE_FILE.read_bytes()))
    assert detect_procedures_table(load_workbook(book([], header=["don vi", "so tthc thuoc tham quyen"])))
    assert detect_procedures_table(load_workbook(book([], header=["Tên đơn vị", "Tổng số thủ tục hành chính"])))
    # a year or total missing is still a procedure table, so that the reader can name the column
    assert detect_procedures_table(load_workbook(book([], header=["Đơn vị", "Tổng số TTHC"])))


def test_the_guide_sheet_alone_is_not_a_table():
    wb = openpyxl.load_workbook(io.BytesIO(build_procedures_template()))
    del wb[PROCEDURES_SHEET]
    buffer = io.BytesIO()
    wb.save(buffer)
    assert not detect_procedures_table(load_workbook(buffer.getvalue()))
    assert "Không tìm thấy bảng số liệu TTHC" in only_error(read_procedures(buffer.getvalue())).message


# ---------------------------------------------------------------------------------------------------------------
# The template and the illustrative figures
# ---------------------------------------------------------------------------------------------------------------

def test_template_round_trip():
    result = read_procedures(build_procedures_template(), "mau_thu_tuc.xlsx")
    assert result.ok and result.records.empty
    assert [w.message for w in result.findings.warnings] == [NO_DATA_ROWS]
    assert result.present_fields == list(PROCEDURE_FIELDS)


def test_template_layout():
    wb = openpyxl.load_workbook(io.BytesIO(build_procedures_template()))
    assert wb.sheetnames == [PROCEDURES_SHEET, "Hướng dẫn"]
    ws = wb[PROCEDURES_SHEET]
    assert [c.value for c in ws[1]] == HEADER
    assert HEADER[:2] == ["Đơn vị", "Năm"] and HEADER[2:] == list(PROCEDURE_LABELS.values())
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "C2"
    assert ws.max_row == 1
    assert len(ws.data_validations.dataValidation) == 2
    guide = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    for words in HEADER + ["không đếm hồ sơ", "7.2.1", "7.3.1", "3.5.2", "3.2.4", "cộng số liệu trước rồi mới chia",
                           "Tổng cộng"]:
        assert words in guide, words


def test_template_file_is_current_and_stable():
    assert build_procedures_template() == build_procedures_template()
    assert TEMPLATE_FILE.read_bytes() == build_procedures_template()


def test_write_files(tmp_path):
    paths = write_files(tmp_path)
    assert [p.name for p in paths] == [TEMPLATE_FILE.name, ILLUSTRATIVE_FILE.name]
    assert paths[0].read_bytes() == TEMPLATE_FILE.read_bytes()
    assert paths[1].read_bytes() == ILLUSTRATIVE_FILE.read_bytes()


def test_illustrative_file_reads_clean_and_tells_the_story():
    from cchc.sample import sample_stats_table

    data = ILLUSTRATIVE_FILE.read_bytes()
    assert data == build_illustrative_procedures()  # the shipped file is what the code builds
    result = read_procedures(data, ILLUSTRATIVE_FILE.name)
    assert_clean(result)
    records = result.records
    assert set(records.year) == {2019}
    assert len(records) == 20  # the "Tổng cộng" row is skipped
    assert set(records.unit) == set(sample_stats_table()["unit"].unique())
    assert "procedures_online_full_offered" not in result.present_fields  # 2019: levels 3 and 4 only
    assert (records.procedures_online_l3_offered + records.procedures_online_l4_offered
            == records.procedures_online_offered).all()
    district, commune = records[records.level == "huyện"], records[records.level == "xã"]
    assert len(district) == 11 and len(commune) == 9
    assert district.procedures_total.between(5, 60).all()
    assert commune.procedures_total.between(100, 120).all()
    assert (records.procedures_one_stop / records.procedures_total).between(0.85, 1.0).all()

    totals = procedure_totals(records)
    rates = procedure_rates(totals)
    assert 0.85 <= rates["one_stop_coverage"] < 1.0  # 3.5.2 (100%) missed
    assert 0.20 <= totals["procedures_online_offered"] / totals["procedures_total"] <= 0.40
    assert 0.45 <= rates["online_procedures_used"] <= 0.55  # 7.2.1 (60%) missed
    assert 0.60 <= totals["procedures_bcci_offered"] / totals["procedures_total"] <= 0.90
    assert 0.20 <= rates["bcci_procedures_used"] <= 0.21  # 7.3.1 (20%) just met
    assert 0.70 <= rates["publication_rate"] < 1.0  # 3.2.4 (100%) missed
    assert rates == pytest.approx({"online_procedures_used": 190 / 392, "bcci_procedures_used": 201 / 989,
                                   "one_stop_coverage": 1224 / 1323, "publication_rate": 1132 / 1323})


def test_illustrative_file_is_marked():
    wb = openpyxl.load_workbook(io.BytesIO(ILLUSTRATIVE_FILE.read_bytes()))
    ws = wb[PROCEDURES_SHEET]
    assert "DỮ LIỆU MINH HỌA" in ws["A1"].value
    assert wb.properties.created == wb.properties.modified == dt.datetime(2020, 1, 1)
    assert ws.cell(row=ws.max_row, column=1).value == "Tổng cộng"


# ---------------------------------------------------------------------------------------------------------------
# Shared table rules (cchc.read.table)
# ---------------------------------------------------------------------------------------------------------------

def test_a_unit_numbered_with_a_letter_is_read_not_taken_for_a_group():
    """"a) Phòng Tư pháp" is a unit; "b) Cấp xã" is a group heading (its subtotal is not counted again)."""
    rows = [["a) Phòng Tư pháp", 2019, 10], ["b) Cấp xã", 2019, 99], ["UBND xã Ia Tul", 2019, 5]]
    result = read_procedures(book(rows, header=SHORT_HEADER), "thu_tuc.xlsx")
    assert result.findings.errors == []
    assert sorted(result.records["procedures_total"].tolist()) == [5, 10]


def test_a_numeric_procedure_column_nobody_reads_is_named():
    header = ["Đơn vị", "Năm", "Tổng số TTHC", "Số cán bộ tiếp nhận"]
    result = read_procedures(book([["Phòng Tư pháp", 2019, 32, 3]], header=header), "thu_tuc.xlsx")
    warnings = [(w.sheet, w.row, w.column) for w in result.findings.warnings if "không đọc" in w.message]
    assert warnings == [(PROCEDURES_SHEET, 1, "Số cán bộ tiếp nhận")]
    assert result.records["procedures_total"].tolist() == [32]
