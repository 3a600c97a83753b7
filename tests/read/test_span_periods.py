"""A report over several months (a quarter, "6 tháng đầu năm", "Lũy kế đến tháng 6", "Tháng 1-3/2019", a title range
over whole months) is never stored as one of its months. Each of these used to be read as its first or last month;
now it is one record over its span ("2019-01..2019-03"), skipped beside the monthly sheets it sums, or refused when
its months are not stated."""

from __future__ import annotations

import pytest

from cchc.ingest import check_file
from cchc.read.stats import _period_from_label, _period_from_title
from tests.support import SheetSpec, book

HEADER = ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Giải quyết đúng hạn",
          "Giải quyết quá hạn"]
ROW = ["Phòng Tư pháp", 12, 10, 9, 1]


@pytest.mark.parametrize("text, year, span", [
    ("Q1-2019", 2019, (1, 3)), ("Q1.2019", 2019, (1, 3)), ("BaoCao Q4 2019", 2019, (10, 12)),
    ("Quý I/2019", 2019, (1, 3)), ("Quy 3 nam 2019", 2019, (7, 9)), ("Quý IV năm 2020", 2020, (10, 12)),
    ("Tháng 1-3/2019", 2019, (1, 3)), ("T1-T3/2019", 2019, (1, 3)), ("Tháng 01 đến tháng 03 năm 2019", 2019, (1, 3)),
    ("Từ tháng 4 đến tháng 6/2019", 2019, (4, 6)), ("tháng 1,2,3/2019", 2019, (1, 3)),
    ("6 tháng đầu năm 2019", 2019, (1, 6)), ("Sáu tháng cuối năm 2019", 2019, (7, 12)), ("9 tháng 2019", 2019, (1, 9)),
    ("Lũy kế đến tháng 6/2019", 2019, (1, 6)), ("Lũy kế từ đầu năm đến hết tháng 5 năm 2019", 2019, (1, 5)),
    ("Cả năm 2019", 2019, (1, 12)), ("Năm 2019", 2019, (1, 12)),
    ("Từ ngày 01/01/2019 đến ngày 31/03/2019", 2019, (1, 3)),
    ("Lũy kế", None, None),  # several months, which ones not said
    ("Từ ngày 15/12/2018 đến ngày 14/01/2019", 2018, None),  # not whole months
    ("Từ ngày 15/01/2019 đến ngày 31/03/2019", 2019, None),  # starts mid-month
    ("Từ ngày 01/01/2019 đến ngày 30/03/2019", 2019, None),  # ends before the month's last day
    ("Từ ngày 01/12/2018 đến ngày 31/01/2019", 2018, None),  # whole months, but over two years
    ("Từ ngày 01/01/2018 đến ngày 31/03/2019", 2018, None),  # fifteen months
    ("Từ ngày 01/03/2019 đến ngày 31/01/2019", 2019, None),  # backwards
])
def test_a_multi_month_label_is_never_one_of_its_months(text, year, span):
    period = _period_from_label(text)
    assert (period.year, period.month, period.multi, period.span) == (year, None, True, span)


@pytest.mark.parametrize("text, month", [("T01-2019", 1), ("Tháng 12 năm 2019", 12), ("2019-03", 3), ("T7", 7),
                                         ("Từ ngày 01/02/2019 đến ngày 28/02/2019", 2), ("Tháng 1-2019", 1)])
def test_a_one_month_label_stays_one_month(text, month):
    period = _period_from_label(text)
    assert (period.month, period.multi) == (month, False)
    if "2019" in text:
        assert period.year == 2019


@pytest.mark.parametrize("line, span", [
    ("Kỳ báo cáo: Quý I năm 2019", (1, 3)),
    ("Kỳ báo cáo: 6 tháng đầu năm 2019", (1, 6)),
    ("Kỳ báo cáo: Từ ngày 01/01/2019 đến ngày 30/06/2019", (1, 6)),
    ("BÁO CÁO LŨY KẾ ĐẾN THÁNG 6 NĂM 2019", (1, 6)),
    ("Tháng 01 đến tháng 03 năm 2019", (1, 3)),
])
def test_a_multi_month_title_is_never_one_of_its_months(line, span):
    period = _period_from_title([(2, "A", line)])
    assert (period.year, period.month, period.multi, period.span, period.cell) == (2019, None, True, span, (2, "A"))


def test_a_title_line_naming_only_the_year_leaves_the_month_to_the_sheet_name():
    data = book(SheetSpec("T02", [["BÁO CÁO THỐNG KÊ"], ["Năm 2019"], [], HEADER, ROW]))
    result = check_file(data, "x.xlsx")
    assert result.ok, result.findings.errors
    assert result.stats.records["period"].tolist() == ["2019-02"]


def test_a_quarter_file_is_one_record_over_its_months():
    data = book(SheetSpec("Sheet1", [["Kỳ báo cáo: Quý I năm 2019"], [], HEADER, ROW]))
    result = check_file(data, "bao_cao.xlsx")
    assert result.ok, result.findings.errors
    records = result.stats.records
    assert records[["period", "year", "month", "end_month"]].values.tolist() == [["2019-01..2019-03", 2019, 1, 3]]
    assert result.as_dict()["stats"]["periods"] == ["2019-01..2019-03"]


def test_naming_a_month_does_not_turn_a_quarter_into_it():
    data = book(SheetSpec("Sheet1", [["Kỳ báo cáo: Quý I năm 2019"], [], HEADER, ROW]))
    result = check_file(data, "bao_cao.xlsx", period=(2019, 1))
    assert [(e.sheet, e.row, e.column, e.message) for e in result.findings.errors] == [
        ("Sheet1", 1, "A", "Tệp ghi kỳ báo cáo tháng 01–03/2019 nhưng kỳ đã chọn là tháng 01/2019. Hãy bỏ chọn kỳ, "
                           "hoặc kiểm tra lại tệp.")]
    assert not result.needs_period


def test_a_quarter_without_a_year_is_refused():
    data = book(SheetSpec("Sheet1", [["Kỳ báo cáo: Quý I"], [], HEADER, ROW]))
    result = check_file(data, "bao_cao.xlsx")
    assert [(e.sheet, e.row, e.column, e.message) for e in result.findings.errors] == [
        ("Sheet1", 1, "A", "Không xác định được năm của kỳ tháng 01–03: tiêu đề, tên sheet, các sheet khác và tên "
                           "tệp đều không ghi năm.")]


def test_a_quarter_sheet_beside_its_months_is_skipped_and_said():
    sheets = [SheetSpec(f"T{m:02d}-2019", [HEADER, ROW]) for m in (1, 2, 3)]
    sheets.append(SheetSpec("Quý I", [["Kỳ báo cáo: Quý I năm 2019"], [], HEADER, ["Phòng Tư pháp", 36, 30, 27, 3]]))
    result = check_file(book(*sheets), "x.xlsx")
    assert result.ok, result.findings.errors
    assert result.stats.records["period"].tolist() == ["2019-01", "2019-02", "2019-03"]
    assert int(result.stats.records["received_total"].sum()) == 36  # the quarter's 36 is not counted again
    assert ("Quý I", "Sheet này là số liệu tổng hợp nhiều tháng (tháng 01–03/2019); không đọc để tránh tính trùng với "
            "các sheet theo tháng.") in [(w.sheet, w.message) for w in result.findings.warnings]


@pytest.mark.parametrize("cell, period", [("Q1-2019", "2019-01..2019-03"), ("Tháng 1-3/2019", "2019-01..2019-03"),
                                          ("Lũy kế đến tháng 6/2019", "2019-01..2019-06")])
def test_a_multi_month_period_cell_is_one_record_over_its_months(cell, period):
    data = book(SheetSpec("Số liệu", [["Đơn vị", "Kỳ báo cáo", *HEADER[1:]], ["Phòng Tư pháp", "2019-04", 12, 10, 9, 1],
                                       ["Phòng Nội vụ", cell, 12, 10, 9, 1]]))
    result = check_file(data, "x.xlsx")
    assert result.ok, result.findings.errors
    assert result.stats.records["period"].tolist() == ["2019-04", period]


def test_a_period_cell_naming_several_months_without_saying_which_is_a_located_error():
    data = book(SheetSpec("Số liệu", [["Đơn vị", "Kỳ báo cáo", *HEADER[1:]], ["Phòng Nội vụ", "Lũy kế", 12, 10, 9, 1]]))
    result = check_file(data, "x.xlsx")
    assert [(e.sheet, e.row, e.column, e.message) for e in result.findings.errors] == [
        ("Số liệu", 2, "Kỳ báo cáo", "Kỳ “Lũy kế” là số liệu nhiều tháng nhưng không ghi từ tháng nào đến tháng nào, "
                                     "nên không nhập được (không bao giờ tính như một tháng). Hãy ghi rõ kỳ, ví dụ "
                                     "“Quý I/2019” hoặc “Tháng 1-3/2019”.")]


def test_a_quarter_and_one_of_its_months_in_one_file_are_refused_naming_both():
    data = book(SheetSpec("Số liệu", [["Đơn vị", "Kỳ báo cáo", *HEADER[1:]], ["Phòng Nội vụ", "Q1-2019", 36, 30, 27, 3],
                                       ["Phòng Nội vụ", "2019-02", 12, 10, 9, 1]]))
    result = check_file(data, "x.xlsx")
    assert [(e.row, e.column, e.message) for e in result.findings.errors] == [
        (2, "Đơn vị", "Đơn vị “Phòng Nội vụ” có số liệu tháng 01–03/2019 (sheet “Số liệu” dòng 2) chồng lên số liệu "
                      "tháng 02/2019 (sheet “Số liệu” dòng 3): một tháng không được tính hai lần.")]
