"""Downloaded tables (cchc/show/excel.py) with the other kinds of columns the store's frames hold: yes/no flags,
dates with and without a time or a time zone, numbers kept as Python objects, lists of agencies, mixed notes; and
the shapes a frame can take: a named index, a two-level header, no columns, no sheet at all. Read back with
openpyxl, as Excel would show them."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from cchc.show.excel import to_xlsx


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def sheet():
    frame = pd.DataFrame({
        "Đã khóa": [True, False, True],
        "Ngày nhập": pd.to_datetime(["2019-07-10 08:30", None, "2019-07-11 00:00"]),
        "Ngày văn bản": pd.Series([dt.date(2019, 6, 14), None, dt.date(2019, 12, 12)], dtype=object),
        "Cập nhật lúc": pd.Series(pd.to_datetime(["2019-07-10 08:30", "2019-07-10 09:00", "2019-07-11 10:15"]))
        .dt.tz_localize("Asia/Ho_Chi_Minh"),
        "Số hồ sơ": pd.Series([3, None, 1234], dtype=object),
        "Cơ quan phối hợp": [["Phòng Nội vụ", "Phòng Tư pháp"], ("Văn phòng HĐND-UBND huyện",), {"Phòng Nội vụ"}],
        "Ghi chú": ["xong", 5, None],
        "Tỷ lệ đạt": [1.0, 0.0, 1.0],
        "Đã xử lý": ["1.234", None, "5"],
    })
    frame.index = pd.Index([1, 2, 3], name="STT")
    return read(to_xlsx(frame, title="Lịch sử nhập")).worksheets[0]


def column(sheet, header: str) -> list[tuple]:
    headers = [c.value for c in sheet[2]]
    index = headers.index(header)
    return [(row[index].value, row[index].number_format) for row in sheet.iter_rows(min_row=3)]


def test_a_named_index_becomes_the_first_column(sheet):
    assert [c.value for c in sheet[2]] == ["STT", "Đã khóa", "Ngày nhập", "Ngày văn bản", "Cập nhật lúc", "Số hồ sơ",
                                           "Cơ quan phối hợp", "Ghi chú", "Tỷ lệ đạt", "Đã xử lý"]
    assert column(sheet, "STT") == [(1, "#,##0"), (2, "#,##0"), (3, "#,##0")]


def test_flags_stay_true_and_false(sheet):
    assert column(sheet, "Đã khóa") == [(True, "General"), (False, "General"), (True, "General")]


def test_dates_are_real_dates_shown_day_first(sheet):
    # a column where some value has a time of day shows the time for every row; a blank stays blank
    assert column(sheet, "Ngày nhập") == [(dt.datetime(2019, 7, 10, 8, 30), "dd/mm/yyyy hh:mm"), (None, "General"),
                                          (dt.datetime(2019, 7, 11), "dd/mm/yyyy hh:mm")]
    assert column(sheet, "Ngày văn bản") == [(dt.datetime(2019, 6, 14), "dd/mm/yyyy"), (None, "General"),
                                             (dt.datetime(2019, 12, 12), "dd/mm/yyyy")]
    # Excel has no time zones: the local time as the office read it, 08:30 in Hà Nội stays 08:30
    assert column(sheet, "Cập nhật lúc") == [(dt.datetime(2019, 7, 10, 8, 30), "dd/mm/yyyy hh:mm"),
                                             (dt.datetime(2019, 7, 10, 9, 0), "dd/mm/yyyy hh:mm"),
                                             (dt.datetime(2019, 7, 11, 10, 15), "dd/mm/yyyy hh:mm")]


def test_numbers_held_as_objects_or_text_become_numbers(sheet):
    assert column(sheet, "Số hồ sơ") == [(3, "#,##0"), (None, "General"), (1234, "#,##0")]
    assert column(sheet, "Đã xử lý") == [(1234, "#,##0"), (None, "General"), (5, "#,##0")]
    # a rate column of whole 0 and 1 is 100 % and 0 %, not the counts 1 and 0
    assert column(sheet, "Tỷ lệ đạt") == [(1, "0.0%"), (0, "0.0%"), (1, "0.0%")]


def test_lists_are_joined_and_mixed_notes_are_text(sheet):
    assert [v for v, _ in column(sheet, "Cơ quan phối hợp")] == [
        "Phòng Nội vụ, Phòng Tư pháp", "Văn phòng HĐND-UBND huyện", "Phòng Nội vụ"]
    assert column(sheet, "Ghi chú") == [("xong", "General"), ("5", "General"), (None, "General")]


def test_a_two_level_header_becomes_one_line_per_column():
    frame = pd.DataFrame([["UBND xã Ia Tul", 5, 3]], columns=pd.MultiIndex.from_tuples(
        [("Unnamed: 0_level_0", "Đơn vị"), ("Tiếp nhận", "Trực tuyến"), ("Tiếp nhận", "Trực tiếp")]))
    ws = read(to_xlsx(frame)).worksheets[0]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["Đơn vị", "Tiếp nhận – Trực tuyến", "Tiếp nhận – Trực tiếp"], ["UBND xã Ia Tul", 5, 3]]
    assert ws.freeze_panes == "A2"


def test_no_columns_and_no_sheets_still_give_a_workbook_excel_opens():
    ws = read(to_xlsx(pd.DataFrame(), title="Không có cột")).worksheets[0]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["Không có cột"]]
    assert ws.freeze_panes is None and ws.auto_filter.ref is None  # no header row to freeze or filter
    workbook = read(to_xlsx({}))
    assert workbook.sheetnames == ["Bảng"] and workbook.worksheets[0].max_row == 1
    assert workbook.worksheets[0]["A1"].value is None
