"""Downloaded tables (cchc/show/excel.py) as a user checks them in Excel, read back with openpyxl:

- sheet names within Excel's 31 characters are cut at a word boundary, never inside a word, and stay unique;
- dates written as text ("31/03/2019", "10/07/2019 08:30") are real dates shown dd/mm/yyyy;
- a rate keeps its full precision (the cell holds 0.96741…, shown 96,7% by its % format), never a rounded text.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.show.excel import EXACT_ATTR, sheet_name, to_xlsx


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


FRAME = pd.DataFrame({"A": [1]})


@pytest.mark.parametrize("name, expected", [
    # 49 characters: "…hồ sơ theo" would end on "theo": the name ends on the word before it
    ("Số liệu giải quyết hồ sơ theo đơn vị và theo tháng", "Số liệu giải quyết hồ sơ"),
    ("Tỷ lệ hồ sơ trực tuyến mức độ 3 theo đơn vị", "Tỷ lệ hồ sơ trực tuyến mức độ 3"),  # exactly 31
    ("Phòng Lao động-Thương binh và Xã hội: số liệu", "Phòng Lao động-Thương binh"),  # not "… và"
    ("📊 Báo cáo tổng hợp số liệu giải quyết hồ sơ", "📊 Báo cáo tổng hợp số liệu"),  # 📊 is two of Excel's 31
    ("Tổng hợp", "Tổng hợp"),
])
def test_a_long_sheet_name_is_cut_at_a_word_boundary(name, expected):
    assert sheet_name(name) == expected
    assert read(to_xlsx({name: FRAME})).sheetnames == [expected]


def test_names_that_shorten_alike_stay_unique_and_whole_worded():
    names = ["Đơn vị chưa đạt chỉ tiêu: tỷ lệ hồ sơ trực tuyến mức độ 3",
             "Đơn vị chưa đạt chỉ tiêu: tỷ lệ hồ sơ trực tuyến mức độ 4",
             "Đơn vị chưa đạt chỉ tiêu: tỷ lệ hồ sơ tiếp nhận qua BCCI"]
    assert read(to_xlsx(dict.fromkeys(names, FRAME))).sheetnames == [
        "Đơn vị chưa đạt chỉ tiêu- tỷ lệ",  # ":" is not allowed in a sheet name
        "Đơn vị chưa đạt chỉ tiêu (2)",  # room for " (2)": back to the last whole word
        "Đơn vị chưa đạt chỉ tiêu (3)"]


WORDS = st.sampled_from(["Số", "liệu", "giải", "quyết", "hồ", "sơ", "theo", "đơn", "vị", "Phòng", "Tư", "pháp", "và",
                         "UBND", "xã", "Ia", "Tul", "trực", "tuyến", "mức", "độ", "3.4", "1.234", "95,2%"])


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=14))
def test_any_name_keeps_whole_words_within_31(words):
    name = " ".join(words)
    short = sheet_name(name)
    assert 0 < utf16(short) <= 31
    kept = short.split(" ")
    assert kept == words[:len(kept)]  # a run of the name's first words, none of them cut


def test_dates_written_as_text_become_real_dates():
    frame = pd.DataFrame({
        "Hạn": ["31/03/2019", "30/06/2019", "–"],
        "Thời điểm": ["10/07/2019 08:30", "11/07/2019 14:05", ""],
        "Ngày (ISO)": ["2019-12-31", "2020-01-02", "2020-02-29"],
        "Tháng": ["01/2019", "02/2019", "03/2019"],  # a month is no date: it stays as written
        "Ghi chú": ["31/02/2019", "01/01/2019", "01/01/2019"],  # no 31 February: the column is text
    })
    ws = read(to_xlsx(frame)).worksheets[0]
    due = [(c.value, c.number_format, c.is_date) for c in ws["A"][1:]]
    assert due == [(dt.datetime(2019, 3, 31), "dd/mm/yyyy", True), (dt.datetime(2019, 6, 30), "dd/mm/yyyy", True),
                   (None, "General", False)]
    assert [(c.value, c.number_format) for c in ws["B"][1:3]] == [
        (dt.datetime(2019, 7, 10, 8, 30), "dd/mm/yyyy hh:mm"), (dt.datetime(2019, 7, 11, 14, 5), "dd/mm/yyyy hh:mm")]
    assert ws["B4"].value is None
    assert [c.value for c in ws["C"][1:]] == [dt.datetime(2019, 12, 31), dt.datetime(2020, 1, 2),
                                              dt.datetime(2020, 2, 29)]
    assert ws["C2"].number_format == "dd/mm/yyyy"
    assert [(c.value, c.data_type) for c in ws["D"][1:]] == [("01/2019", "s"), ("02/2019", "s"), ("03/2019", "s")]
    assert [c.value for c in ws["E"][1:]] == ["31/02/2019", "01/01/2019", "01/01/2019"]
    assert all(c.data_type == "s" for c in ws["E"][1:])


# 8.668 of 8.960 dossiers on time: 96,741…%, shown 96,7%; 285 of 439 apologies: 64,920…%, shown 64,9%
ON_TIME, APOLOGY = 8668 / 8960, 285 / 439


def display() -> pd.DataFrame:
    """A table as the pages show it (text), with the unrounded rates attached as views' tables attach them."""
    frame = pd.DataFrame({"Đơn vị": ["Phòng Tư pháp", "UBND xã Ia Tul", "UBND xã Kim Tân"],
                          "Tỷ lệ đúng hạn": ["96,7%", "–", "64,9%"], "Đã giải quyết": ["8.960", "0", "439"]})
    frame.attrs[EXACT_ATTR] = {"Tỷ lệ đúng hạn": pd.Series([ON_TIME, None, APOLOGY])}
    return frame


def rates(data: bytes) -> list[tuple]:
    ws = read(data).worksheets[0]
    return [(c.value, c.number_format, c.data_type) for c in ws["B"][1:]]


def test_a_rate_keeps_its_full_precision_under_a_percent_format():
    assert rates(to_xlsx(display())) == [(ON_TIME, "0.0%", "n"), (None, "General", "n"), (APOLOGY, "0.0%", "n")]
    assert ON_TIME != 0.967 and APOLOGY != 0.649  # what the text alone would give


def test_rows_filtered_after_the_rates_were_attached_keep_their_own_rates():
    frame = display()
    kept = frame[frame["Đơn vị"] != "UBND xã Ia Tul"]  # index 0 and 2: the rates follow their rows
    assert rates(to_xlsx(kept)) == [(ON_TIME, "0.0%", "n"), (APOLOGY, "0.0%", "n")]
    reordered = frame.iloc[[2, 0, 1]]
    assert [v for v, _, _ in rates(to_xlsx(reordered))] == [APOLOGY, ON_TIME, None]


def test_rates_that_no_longer_match_their_rows_are_never_used():
    # re-sorted and re-numbered after the rates were attached: row 0 now shows 64,9% but the attached row 0 is
    # 96,7%: the column falls back to the numbers on screen rather than give a row another row's rate
    frame = display().sort_values("Đã giải quyết").reset_index(drop=True)  # "0", "439", "8.960" as text
    assert list(frame["Tỷ lệ đúng hạn"]) == ["–", "64,9%", "96,7%"]
    assert rates(to_xlsx(frame)) == [(None, "General", "n"), (pytest.approx(0.649), "0.0%", "n"),
                                     (pytest.approx(0.967), "0.0%", "n")]


def test_even_close_rates_are_not_given_to_the_wrong_rows():
    # 20/21 = 95,238…% and 143/150 = 95,333…%: shown 95,2% and 95,3%; reversed and re-numbered, each attached rate
    # would now sit next to the other's text, a tenth of a point apart: still refused
    frame = pd.DataFrame({"Đơn vị": ["Phòng Tư pháp", "UBND xã Ia Tul"], "Tỷ lệ đúng hạn": ["95,2%", "95,3%"]})
    frame.attrs[EXACT_ATTR] = {"Tỷ lệ đúng hạn": [20 / 21, 143 / 150]}  # a list: in row order
    assert rates(to_xlsx(frame)) == [(20 / 21, "0.0%", "n"), (143 / 150, "0.0%", "n")]
    swapped = frame.iloc[::-1].reset_index(drop=True)
    assert rates(to_xlsx(swapped)) == [(pytest.approx(0.953), "0.0%", "n"), (pytest.approx(0.952), "0.0%", "n")]
    assert [v for v, _, _ in rates(to_xlsx(swapped))] != [143 / 150, 20 / 21]


def test_rates_given_as_numbers_are_written_unrounded():
    frame = pd.DataFrame({"Đơn vị": ["Phòng Tư pháp", "UBND xã Ia Tul"], "Tỷ lệ đúng hạn": [ON_TIME, APOLOGY]})
    assert rates(to_xlsx(frame)) == [(ON_TIME, "0.0%", "n"), (APOLOGY, "0.0%", "n")]
