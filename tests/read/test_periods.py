"""The period rules of the statistics reader, cell by cell, with literal expectations.

A wrong month stored is worse than a refused file: every form a period is written in is pinned here, and every
form that names no month must be refused (ValueError), never guessed.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cchc.read.stats import _month_cell, _period_from_label, _year_cell


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
