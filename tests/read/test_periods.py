"""The period rules of the statistics reader, cell by cell, with literal expectations.

A wrong month stored is worse than a refused file: every form a period is written in is pinned here, and every
form that names no month must be refused (ValueError), never guessed.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from support import SheetSpec, bieu06_sheet, book, figures, make_registry, xlsx_bytes

from cchc.read.stats import _month_cell, _period_from_label, _year_cell, read_stats

REGISTRY = make_registry()


@pytest.mark.parametrize("value, expected", [
    (dt.date(2019, 3, 15), (3, 2019)), (dt.datetime(2020, 11, 1, 8, 30), (11, 2020)),
    (pd.Timestamp("2021-07-31"), (7, 2021)),
    (4, (4, None)), (4.0, (4, None)), (np.int64(12), (12, None)), (np.float64(1.0), (1, None)),
    (float("nan"), (None, None)), (None, (None, None)), ("", (None, None)), ("   ", (None, None)),
    ("7", (7, None)), ("07", (7, None)),
    ("15/06/2019", (6, 2019)), ("1.2.2020", (2, 2020)), ("01-12-2018", (12, 2018)),
    ("2019-06-30", (6, 2019)), ("2019-6-1 00:00:00", (6, 2019)), ("2019-06-01T00:00", (6, 2019)),
    ("Tháng 6", (6, None)), ("Tháng 6/2019", (6, 2019)), ("T06-2019", (6, 2019)), ("06/2019", (6, 2019)),
    ("2019-06", (6, 2019)), ("Tháng 12 năm 2019", (12, 2019)),
    # a date typed as text gives its month in any year the "Năm" column accepts, up to 2100
    ("30/06/2100", (6, 2100)), ("2100-06-30", (6, 2100)), ("2100-06-01T08:00", (6, 2100)),
])
def test_month_cells(value, expected):
    assert _month_cell(value) == expected


@pytest.mark.parametrize("value", [True, False, 4.5, "Quý II", "Năm 2019", "tháng", "abc"])
def test_month_cells_that_name_no_month_are_refused(value):
    with pytest.raises(ValueError):
        _month_cell(value)


@pytest.mark.parametrize("value, expected", [
    (dt.date(2019, 3, 15), 2019), (dt.datetime(2020, 1, 1), 2020), (pd.Timestamp("2021-07-31"), 2021),
    (2019, 2019), (2019.0, 2019), (np.int64(2024), 2024), (float("nan"), None), (None, None), ("", None),
    ("2019", 2019), ("Năm 2019", 2019), ("nam2020", 2020), (" 2018 ", 2018),
])
def test_year_cells(value, expected):
    assert _year_cell(value) == expected


@pytest.mark.parametrize("value", [True, 2019.5, "19", "Năm", "2019/2020", "Quý I/2019"])
def test_year_cells_that_name_no_year_are_refused(value):
    with pytest.raises(ValueError):
        _year_cell(value)


@pytest.mark.parametrize("text, year, month, multi", [
    ("T01-2019", 2019, 1, False), ("Tháng 1", None, 1, False), ("01.2019", 2019, 1, False),
    ("2019-01", 2019, 1, False), ("Thang 12 nam 2019", 2019, 12, False), ("Biểu 06 tháng 3 2019", 2019, 3, False),
    ("bieu06a_T05_2020", 2020, 5, False), ("T7", None, 7, False), ("11", None, 11, False),
    ("Quý II năm 2019", 2019, None, True), ("6 tháng đầu năm 2019", 2019, None, True),
    ("Lũy kế năm 2019", 2019, None, True), ("Năm 2019", 2019, None, True), ("Tổng hợp", None, None, True),
    # the form's number is not a month; a download date in front of a file name is not the report's year
    ("Bieu06_2019", 2019, None, False), ("Mẫu số 02-2019", 2019, None, False),
    ("2020-01-05 Báo cáo tháng 12-2019", 2019, 12, False),
])
def test_period_labels(text, year, month, multi):
    period = _period_from_label(text)
    assert (period.year, period.month, period.multi) == (year, month, multi)


def test_a_blank_month_cell_is_refused_even_when_the_sheet_names_the_month():
    """Never guessed: the row's own month column is empty, so the row has no month, whatever the sheet says."""
    from support import xlsx_bytes

    from cchc.read.stats import read_stats

    header = ["Đơn vị", "Tháng", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    rows = [["KẾT QUẢ GIẢI QUYẾT TTHC THÁNG 3 NĂM 2019"], header,
            ["Phòng Tư pháp", None, 10, 9, 8, 1], ["UBND xã Ia Tul", 3, 6, 6, 6, 0]]
    result = read_stats(xlsx_bytes({"T03-2019": rows}), "t.xlsx")
    assert [(e.sheet, e.row, e.column, e.message) for e in result.findings.errors] == [
        ("T03-2019", 3, "Tháng", "Thiếu tháng của dòng số liệu.")]


# ---------------------------------------------------------------------------------------------------------------
# Through the reader: the period each sheet gets, and the exact messages when it has none
# ---------------------------------------------------------------------------------------------------------------

FLAT = ["Đơn vị", "Tháng", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
FLAT_WITH_YEAR = ["Đơn vị", "Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
FIGURES = [5, 5, 4, 1]  # received 5 = resolved 5 = on time 4 + late 1

NO_PERIOD = ("Không xác định được kỳ báo cáo (tháng, năm): bảng không có cột “Tháng”, tiêu đề không ghi “Kỳ báo cáo: "
             "Tháng … năm …”, tên sheet và tên tệp cũng không cho biết tháng. Hãy chọn kỳ báo cáo khi nhập (hoặc --period "
             "YYYY-MM), thêm cột “Tháng”/“Năm” hoặc đặt tên sheet như “T01-2019”.")
SUMMARY_SKIPPED = ("Sheet này là số liệu tổng hợp nhiều tháng (quý, năm, lũy kế); không đọc để tránh tính trùng với "
                   "các sheet theo tháng.")


def summary_skipped(months: str) -> str:
    """The warning for a summary sheet whose months are stated ("tháng 01–03/2019")."""
    return f"Sheet này là số liệu tổng hợp nhiều tháng ({months}); không đọc để tránh tính trùng với các sheet theo tháng."


def multi_month_refused() -> str:
    return ("Sheet là số liệu nhiều tháng nhưng không ghi từ tháng nào đến tháng nào, nên không nhập được (không bao "
            "giờ tính như một tháng). Hãy ghi rõ kỳ trong tiêu đề, ví dụ “Kỳ báo cáo: Quý I năm 2019” hoặc “Lũy kế "
            "đến tháng 6 năm 2019”.")


def no_year_for_month(month):
    return (f"Không xác định được năm của kỳ báo cáo tháng {month}: tiêu đề, tên sheet, các sheet khác và tên tệp đều "
            "không ghi năm. Hãy ghi “Tháng … năm …” trong tiêu đề hoặc đặt tên sheet như “T01-2019”.")


def rows_without_year(n):
    return (f"Không xác định được năm của số liệu ({n} dòng): thêm cột “Năm”, ghi tháng dạng “01/2019”, hoặc ghi năm "
            "trong tiêu đề/tên sheet/tên tệp.")


def bad_month(text):
    return f"Tháng “{text}” không hợp lệ (tháng phải từ 1 đến 12)."


def sheet_month_out_of_range(month):
    return f"Tháng {month} (lấy từ tiêu đề hoặc tên sheet) không hợp lệ: tháng phải từ 1 đến 12."


def more_of_the_same(n, kind):
    return f"… và {n} trường hợp khác cùng loại ({kind}); chỉ liệt kê 50 trường hợp đầu."


def month_sheet(name, title="TÌNH HÌNH GIẢI QUYẾT TTHC"):
    """A Biểu 06 sheet with one unit: its title is cell C3, its header starts on row 6."""
    return bieu06_sheet([("I", "Cấp huyện", [("Phòng Tư pháp", figures())])], name=name, title=title, signature=False)


def read_sheets(*specs, filename="t.xlsx"):
    return read_stats(book(*specs), filename, registry=REGISTRY)


def read_grids(sheets: dict, filename="t.xlsx"):
    return read_stats(xlsx_bytes(sheets), filename, registry=REGISTRY)


def stored(result):
    return list(zip(result.records["sheet"], result.records["period"]))


def errors(result):
    return [(e.sheet, e.row, e.column, e.message) for e in result.findings.errors]


def warnings(result):
    return [(w.sheet, w.row, w.column, w.message) for w in result.findings.warnings]


def test_title_month_followed_by_a_comma_takes_the_year_written_after_it():
    result = read_sheets(month_sheet("Sheet1", "BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC THÁNG 3, NĂM 2019"))
    assert (errors(result), warnings(result)) == ([], [])
    assert stored(result) == [("Sheet1", "2019-03")]


def test_title_year_on_one_line_and_month_on_the_next():
    spec = month_sheet("Sheet1", "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC NĂM 2019")
    spec.rows[3][2] = "Tháng 3"  # C4, under the title
    result = read_sheets(spec)
    assert (errors(result), warnings(result)) == ([], [])
    assert stored(result) == [("Sheet1", "2019-03")]


def test_a_title_cell_with_the_legal_citation_and_the_period_on_two_lines():
    """The citation line ("… Thông tư … ngày 21 tháng 10 năm 2020") is skipped, not the period below it."""
    title = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21 tháng 10 năm 2020\nKỳ báo cáo: Tháng 02 năm 2019"
    result = read_sheets(month_sheet("Sheet1", title))
    assert (errors(result), warnings(result)) == ([], [])
    assert stored(result) == [("Sheet1", "2019-02")]


def test_a_quarter_title_gives_the_year_to_a_table_with_a_month_column():
    rows = [["Kỳ báo cáo: từ ngày 01/01/2019 đến ngày 31/03/2019"], [], FLAT,
            ["Phòng Tư pháp", 1, *FIGURES], ["Phòng Tư pháp", 2, *FIGURES], ["Phòng Tư pháp", 3, *FIGURES]]
    result = read_grids({"Quý I": rows})
    assert (errors(result), warnings(result)) == ([], [])
    assert stored(result) == [("Quý I", "2019-01"), ("Quý I", "2019-02"), ("Quý I", "2019-03")]


@pytest.mark.parametrize("title, warning", [
    ("Kỳ báo cáo: Năm 2019", SUMMARY_SKIPPED),
    ("Kỳ báo cáo: Quý I năm 2019", summary_skipped("tháng 01–03/2019")),
    ("Kỳ báo cáo: 6 tháng đầu năm 2019", summary_skipped("tháng 01–06/2019")),
    ("SỐ LIỆU LŨY KẾ TỪ ĐẦU NĂM", SUMMARY_SKIPPED),
    ("Kỳ báo cáo: Quý I", summary_skipped("tháng 01–03/2019")),  # the year comes from the other sheets
])
def test_a_summary_sheet_beside_month_sheets_is_skipped_with_a_warning_at_its_title(title, warning):
    result = read_sheets(month_sheet("T01-2019"), month_sheet("Báo cáo", title))
    assert errors(result) == []
    assert warnings(result) == [("Báo cáo", 3, "C", warning)]
    assert stored(result) == [("T01-2019", "2019-01")]


@pytest.mark.parametrize("title", [
    "Kỳ báo cáo: Từ ngày 01/01/2019 đến ngày 31/03/2019",
    "Kỳ báo cáo: Từ ngày 01 tháng 01 năm 2019 đến ngày 31 tháng 03 năm 2019",
])
def test_a_date_range_over_several_months_is_a_summary_not_its_first_month(title):
    result = read_sheets(month_sheet("T01-2019"), month_sheet("Báo cáo", title))
    assert errors(result) == []
    assert [(w.sheet, w.message) for w in result.findings.warnings] == [
        ("Báo cáo", summary_skipped("tháng 01–03/2019"))]
    assert stored(result) == [("T01-2019", "2019-01")]


def test_a_summary_named_only_by_its_sheet_is_located_at_the_header():
    result = read_sheets(month_sheet("T01-2019"), month_sheet("Quý I"))
    assert errors(result) == []
    assert warnings(result) == [("Quý I", 6, None, summary_skipped("tháng 01–03/2019"))]
    assert stored(result) == [("T01-2019", "2019-01")]


def test_a_heading_that_names_only_the_year_is_not_a_summary_and_gives_no_month():
    result = read_sheets(month_sheet("T01-2019"), month_sheet("Báo cáo", "TÌNH HÌNH GIẢI QUYẾT TTHC NĂM 2019"))
    assert errors(result) == [("Báo cáo", 6, None, NO_PERIOD)]
    assert warnings(result) == []
    assert stored(result) == [("T01-2019", "2019-01")]


def test_a_file_of_quarter_sheets_is_one_record_per_quarter_never_a_month():
    result = read_sheets(month_sheet("Quý I", "Kỳ báo cáo: Quý I năm 2019"),
                         month_sheet("Quý II", "Kỳ báo cáo: Quý II năm 2019"))
    assert (errors(result), warnings(result)) == ([], [])
    assert stored(result) == [("Quý I", "2019-01..2019-03"), ("Quý II", "2019-04..2019-06")]
    assert result.records[["month", "end_month"]].values.tolist() == [[1, 3], [4, 6]]


def test_a_summary_sheet_whose_months_are_not_stated_is_refused():
    result = read_sheets(month_sheet("Lũy kế", "SỐ LIỆU LŨY KẾ TỪ ĐẦU NĂM 2019"))
    assert errors(result) == [("Lũy kế", 3, "C", multi_month_refused())]
    assert result.records.empty


def test_a_form_number_in_the_file_name_gives_no_month_to_a_sheet_without_one():
    result = read_sheets(month_sheet("Sheet1"), filename="Bieu06_2019.xlsx")
    assert errors(result) == [("Sheet1", 6, None, NO_PERIOD)]
    assert result.records.empty


def test_the_sheet_name_month_wins_over_the_file_name_month():
    result = read_sheets(month_sheet("T03-2019"), filename="bao_cao_thang_05_2019.xlsx")
    assert (errors(result), warnings(result)) == ([], [])
    assert stored(result) == [("T03-2019", "2019-03")]


def test_month_from_the_file_name_and_year_from_the_title():
    result = read_sheets(month_sheet("Sheet1", "TÌNH HÌNH GIẢI QUYẾT TTHC NĂM 2019"), filename="so_lieu_thang_05.xlsx")
    assert (errors(result), warnings(result)) == ([], [])
    assert stored(result) == [("Sheet1", "2019-05")]


def test_a_month_named_sheet_after_a_month_column_sheet_takes_the_year_of_the_file_name():
    table = [FLAT_WITH_YEAR, ["Phòng Tư pháp", 1, 2019, *FIGURES]]
    result = read_stats(book(SheetSpec("Số liệu", table), month_sheet("T02")), "thong_ke_2019.xlsx",
                        registry=REGISTRY)
    assert (errors(result), warnings(result)) == ([], [])
    assert stored(result) == [("Số liệu", "2019-01"), ("T02", "2019-02")]


def test_title_month_differing_from_the_sheet_name_is_named_in_the_warning():
    result = read_sheets(month_sheet("T02-2019", "Kỳ báo cáo: Tháng 01 năm 2019"))
    assert errors(result) == []
    assert warnings(result) == [("T02-2019", 3, "C", ("Tiêu đề ghi kỳ báo cáo tháng 01/2019 nhưng tên sheet là "
                                                       "“T02-2019”; dùng kỳ báo cáo trong tiêu đề."))]
    assert stored(result) == [("T02-2019", "2019-01")]


def test_a_sheet_name_that_contradicts_the_title_month_gives_it_no_year():
    result = read_sheets(month_sheet("T03-2019", "Kỳ báo cáo: Tháng 2"))
    assert warnings(result) == [("T03-2019", 3, "C", ("Tiêu đề ghi kỳ báo cáo tháng 02 nhưng tên sheet là "
                                                       "“T03-2019”; dùng kỳ báo cáo trong tiêu đề."))]
    assert errors(result) == [("T03-2019", 6, None, no_year_for_month(2))]
    assert result.records.empty


def test_a_sheet_name_that_agrees_with_the_title_month_gives_it_its_year():
    result = read_sheets(month_sheet("T02-2019", "Kỳ báo cáo: Tháng 2"))
    assert (errors(result), warnings(result)) == ([], [])
    assert stored(result) == [("T02-2019", "2019-02")]


def test_a_month_outside_1_to_12_in_the_title_is_refused_at_the_title_cell():
    result = read_sheets(month_sheet("Sheet1", "Kỳ báo cáo: Tháng 13 năm 2019"))
    assert errors(result) == [("Sheet1", 3, "C", sheet_month_out_of_range(13))]


def test_a_month_outside_1_to_12_in_the_sheet_name_is_refused_at_the_header():
    result = read_sheets(month_sheet("T13-2019"))
    assert errors(result) == [("T13-2019", 6, None, sheet_month_out_of_range(13))]


def test_rows_without_a_year_are_refused_and_counted_once():
    """The row refused for its month is not counted again among the rows that lack a year."""
    rows = [FLAT, ["Phòng Tư pháp", "Tháng 13", *FIGURES], ["Phòng Nội vụ", 2, *FIGURES],
            ["UBND xã Ia Tul", 2, *FIGURES]]
    result = read_grids({"Số liệu": rows})
    assert errors(result) == [("Số liệu", 2, "Tháng", bad_month("Tháng 13")),
                              ("Số liệu", 3, "Tháng", rows_without_year(2))]


def test_a_blank_year_cell_is_not_a_year():
    rows = [FLAT_WITH_YEAR, ["Phòng Tư pháp", "Tháng 13", None, *FIGURES], ["Phòng Nội vụ", 2, None, *FIGURES],
            ["UBND xã Ia Tul", 2, 2019, *FIGURES]]
    result = read_grids({"Số liệu": rows})
    assert errors(result) == [("Số liệu", 2, "Tháng", bad_month("Tháng 13")),
                              ("Số liệu", 3, "Tháng", rows_without_year(1))]


def test_a_blank_year_cell_under_a_month_named_sheet_is_not_a_year():
    header = ["Đơn vị", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    rows = [header, ["Phòng Tư pháp", 2019, *FIGURES], ["Phòng Nội vụ", None, *FIGURES]]
    result = read_grids({"Tháng 4": rows})
    assert errors(result) == [("Tháng 4", 3, None, rows_without_year(1))]


def test_rows_without_a_year_are_reported_sheet_by_sheet_in_workbook_order():
    result = read_grids({"Xã": [FLAT, ["UBND xã Ia Tul", 1, *FIGURES]],
                         "Huyện": [FLAT, ["Phòng Tư pháp", 1, *FIGURES], ["Phòng Nội vụ", 1, *FIGURES]]})
    assert errors(result) == [("Xã", 2, "Tháng", rows_without_year(1)), ("Huyện", 2, "Tháng", rows_without_year(2))]


@pytest.mark.parametrize("year, refused", [(1899, True), (1900, False), (2100, False), (2101, True)])
def test_years_from_1900_to_2100_are_accepted(year, refused):
    result = read_grids({"Số liệu": [FLAT_WITH_YEAR, ["Phòng Tư pháp", 1, year, *FIGURES]]})
    if refused:
        assert errors(result) == [("Số liệu", 2, "Năm", f"Năm “{year}” không hợp lệ.")]
    else:
        assert errors(result) == []
        assert stored(result) == [("Số liệu", f"{year}-01")]


@pytest.mark.parametrize("n", [50, 51])
def test_month_errors_are_listed_up_to_50_then_summed_up(n):
    rows = [FLAT] + [["Phòng Tư pháp", "Tháng 13", *FIGURES]] * n
    listed = [("Số liệu", r, "Tháng", bad_month("Tháng 13")) for r in range(2, 52)]
    summary = [(None, None, None, more_of_the_same(1, "tháng không hợp lệ"))] if n > 50 else []
    assert errors(read_grids({"Số liệu": rows})) == listed + summary


def test_month_errors_of_all_sheets_share_one_cap():
    rows = [FLAT] + [["Phòng Tư pháp", "Tháng 13", *FIGURES]] * 50
    result = read_stats(book(SheetSpec("Số liệu", rows), month_sheet("T13-2019")), "t.xlsx", registry=REGISTRY)
    listed = [("Số liệu", r, "Tháng", bad_month("Tháng 13")) for r in range(2, 52)]
    assert errors(result) == listed + [(None, None, None, more_of_the_same(1, "tháng không hợp lệ"))]


@pytest.mark.parametrize("n", [50, 51])
def test_year_errors_are_listed_up_to_50_then_summed_up(n):
    rows = [FLAT_WITH_YEAR] + [["Phòng Tư pháp", 1, 1850, *FIGURES]] * n
    listed = [("Số liệu", r, "Năm", "Năm “1850” không hợp lệ.") for r in range(2, 52)]
    summary = [(None, None, None, more_of_the_same(1, "năm không hợp lệ"))] if n > 50 else []
    assert errors(read_grids({"Số liệu": rows})) == listed + summary


@pytest.mark.parametrize("cell, year", [("15/06/0219", 219), ("0219-06-15", 219), ("15/06/2150", 2150)])
def test_a_mistyped_year_in_a_date_cell_is_refused_not_stored(cell, year):
    result = read_grids({"Số liệu": [FLAT, ["Phòng Tư pháp", cell, *FIGURES]]})
    assert errors(result) == [("Số liệu", 2, "Tháng", f"Năm {year} trong ô “{cell}” không hợp lệ (năm phải từ 1900 "
                                                     "đến 2100).")]
