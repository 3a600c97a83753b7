"""The period comes from what the file states, or from the user: never from the date a system stamped on the file
name when it was downloaded, never from an empty "(Từ ngày … đến ngày …)"; a user-named period never overrides
one the file states."""

from __future__ import annotations

import pytest

from cchc.ingest import check_file
from cchc.read.stats import _file_period
from tests.support import SheetSpec, book

HEADER = ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Giải quyết đúng hạn",
          "Giải quyết quá hạn"]
ROW = ["Phòng Tư pháp", 12, 10, 9, 1]
NO_PERIOD = "Không xác định được kỳ báo cáo (tháng, năm)"


def _file(title_lines=(), name="Sheet1") -> bytes:
    return book(SheetSpec(name, [[t] for t in title_lines] + [[]] * bool(title_lines) + [HEADER, ROW]))


def _errors(result) -> list[str]:
    return [e.message for e in result.findings.errors]


@pytest.mark.parametrize("filename", [
    "BaoCao_20190215_103045.xlsx",  # downloaded 15/02/2019 10:30:45
    "thong-ke (15-02-2019 10h30).xlsx",
    "export 2019-02-15T10-30-45.xlsx",
    "bao_cao_1550226645123.xlsx",  # a millisecond timestamp
])
def test_a_download_stamp_in_the_file_name_is_not_a_period(filename):
    assert _file_period(filename).month is None
    result = check_file(_file(), filename)
    assert not result.ok
    assert any(m.startswith(NO_PERIOD) for m in _errors(result))
    assert result.needs_period


@pytest.mark.parametrize("filename, period", [
    ("Thang_02_2019.xlsx", (2019, 2)),
    ("T02-2019 (tai ve 15-03-2019 08h15).xlsx", (2019, 2)),  # the stated month survives the stamp beside it
    ("bieu06_2019-02.xlsx", (2019, 2)),
])
def test_a_month_the_file_name_states_is_still_read(filename, period):
    assert (_file_period(filename).year, _file_period(filename).month) == period
    result = check_file(_file(), filename)
    assert result.ok, result.findings.errors
    assert result.stats.records["period"].tolist() == [f"{period[0]}-{period[1]:02d}"]


def test_an_empty_date_range_in_the_title_is_no_period():
    result = check_file(_file(["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC", "(Từ ngày …/…/… đến ngày …/…/…)"]), "x.xlsx")
    assert not result.ok
    assert any(m.startswith(NO_PERIOD) for m in _errors(result))


def test_the_user_names_the_period_of_a_file_that_states_none():
    result = check_file(_file(), "export.xlsx", period=(2019, 3))
    assert result.ok, result.findings.errors
    assert result.stats.records["period"].tolist() == ["2019-03"]
    assert [(w.sheet, w.row, w.message) for w in result.findings.warnings] == [
        ("Sheet1", 1, "Tệp không ghi kỳ báo cáo; dùng kỳ người nhập đã chọn: tháng 03/2019.")]


def test_a_named_period_never_overrides_the_one_the_file_states():
    data = _file(["Kỳ báo cáo: Tháng 01 năm 2019"])
    result = check_file(data, "x.xlsx", period=(2019, 3))
    assert not result.ok
    assert [(e.sheet, e.row, e.column, e.message) for e in result.findings.errors] == [
        ("Sheet1", 1, "A", "Tệp ghi kỳ báo cáo tháng 01/2019 nhưng kỳ đã chọn là tháng 03/2019. Hãy bỏ chọn kỳ, "
                           "hoặc kiểm tra lại tệp.")]
    same = check_file(data, "x.xlsx", period=(2019, 1))
    assert same.ok and same.stats.records["period"].tolist() == ["2019-01"]


def test_a_month_without_a_year_takes_the_named_year():
    result = check_file(_file(["Kỳ báo cáo: Tháng 04"]), "x.xlsx", period=(2020, 4))
    assert result.ok, result.findings.errors
    assert result.stats.records["period"].tolist() == ["2020-04"]


def test_the_user_names_a_span_for_a_file_that_states_none():
    result = check_file(_file(), "export.xlsx", period=(2019, 1, 3))
    assert result.ok, result.findings.errors
    assert result.stats.records["period"].tolist() == ["2019-01..2019-03"]
    assert [w.message for w in result.findings.warnings] == [
        "Tệp không ghi kỳ báo cáo; dùng kỳ người nhập đã chọn: tháng 01–03/2019."]


def test_a_named_span_never_overrides_the_month_or_span_the_file_states():
    month = check_file(_file(["Kỳ báo cáo: Tháng 01 năm 2019"]), "x.xlsx", period=(2019, 1, 3))
    assert [e.message for e in month.findings.errors] == [
        "Tệp ghi kỳ báo cáo tháng 01/2019 nhưng kỳ đã chọn là tháng 01–03/2019. Hãy bỏ chọn kỳ, hoặc kiểm tra lại tệp."]
    other = check_file(_file(["Kỳ báo cáo: Quý II năm 2019"]), "x.xlsx", period=(2019, 1, 3))
    assert [e.message for e in other.findings.errors] == [
        "Tệp ghi kỳ báo cáo tháng 04–06/2019 nhưng kỳ đã chọn là tháng 01–03/2019. Hãy bỏ chọn kỳ, hoặc kiểm tra lại "
        "tệp."]
    same = check_file(_file(["Kỳ báo cáo: Quý I năm 2019"]), "x.xlsx", period=(2019, 1, 3))
    assert same.ok and same.stats.records["period"].tolist() == ["2019-01..2019-03"]
    assert same.findings.warnings == []


def test_a_month_the_file_states_without_its_year_is_never_replaced_by_another_month():
    result = check_file(_file(["Kỳ báo cáo: Tháng 04"]), "x.xlsx", period=(2020, 5))
    assert [(e.sheet, e.row, e.column, e.message) for e in result.findings.errors] == [
        ("Sheet1", 1, "A", "Tệp ghi kỳ báo cáo tháng 04 nhưng kỳ đã chọn là tháng 05/2020. Hãy bỏ chọn kỳ, hoặc kiểm "
                           "tra lại tệp.")]


def test_a_sheet_name_period_that_conflicts_is_located_at_the_header_and_other_sheets_still_read():
    sheets = [SheetSpec("T02-2019", [HEADER, ROW]), SheetSpec("Sheet2", [HEADER, ["Phòng Nội vụ", 12, 10, 9, 1]])]
    result = check_file(book(*sheets), "x.xlsx", period=(2019, 3))
    assert [(e.sheet, e.row, e.column) for e in result.findings.errors] == [("T02-2019", 1, None)]
    assert result.stats.records[["sheet", "period"]].values.tolist() == [["Sheet2", "2019-03"]]


def test_the_sheets_without_a_period_are_named_for_the_picker():
    result = check_file(book(SheetSpec("Sheet1", [HEADER, ROW]), SheetSpec("Sheet2", [HEADER, ROW])), "x.xlsx")
    assert result.stats.period_missing == ["Sheet1", "Sheet2"]
