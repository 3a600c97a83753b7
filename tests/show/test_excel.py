"""Tables downloaded as .xlsx: Vietnamese headers, real numbers, formula-like text kept as text."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.show import views
from cchc.show.excel import MAX_WIDTH, sheet_name, to_xlsx


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def cells(ws) -> list:
    return [c for row in ws.iter_rows() for c in row]


DISPLAY = pd.DataFrame({
    "Đơn vị": ["UBND xã Ia Tul", "=SUM(A1)", "+84 912 345 678", "-tạm", "@nhóm", "Phòng Tư pháp"],
    "Số hồ sơ": ["1.234", "12", "–", "1.000.000", "0", "7"],
    "Tỷ lệ đúng hạn": ["95,2%", "100,0%", "–", "0,0%", "12,5%", "1,1%"],
    "Điểm": ["19,25", "55", "–", "0,5", "1", "2"],
    "Mã": ["3.4", "1.2", "7.2.2", "01", "5", "6"],
    "Ghi chú": ["1.234", "abc", "", "", "", ""],
})


@pytest.fixture(scope="module")
def sheet():
    wb = read(to_xlsx(DISPLAY, title="Đơn vị chưa đạt chỉ tiêu"))
    return wb.worksheets[0]


def test_title_header_and_frozen_panes(sheet):
    assert sheet["A1"].value == "Đơn vị chưa đạt chỉ tiêu"
    assert sheet["A1"].font.bold
    assert [c.value for c in sheet[2]] == list(DISPLAY.columns)
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("DCE6F1") for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.max_row == 2 + len(DISPLAY)


def test_formatted_text_becomes_real_numbers(sheet):
    counts = [c.value for c in sheet["B"][2:]]
    assert counts == [1234, 12, None, 1_000_000, 0, 7]
    assert sheet["B3"].data_type == "n" and sheet["B3"].number_format == "#,##0"
    rates = [c.value for c in sheet["C"][2:]]
    assert rates[0] == pytest.approx(0.952) and rates[1] == 1 and rates[2] is None and rates[4] == 0.125
    assert sheet["C3"].number_format == "0.0%"
    assert sheet["D3"].value == 19.25 and sheet["D4"].value == 55 and sheet["D3"].number_format == "#,##0.00"


def test_codes_and_mixed_columns_stay_text(sheet):
    assert [c.value for c in sheet["E"][2:]] == ["3.4", "1.2", "7.2.2", "01", "5", "6"]
    assert sheet["F3"].value == "1.234" and sheet["F3"].data_type == "s"


def test_formula_like_text_is_text_never_a_formula(sheet):
    assert sheet["A4"].value == "=SUM(A1)"
    assert sheet["A4"].data_type == "s"
    assert sheet["A4"].quotePrefix
    assert sheet["A5"].value == "+84 912 345 678" and sheet["A5"].quotePrefix
    assert sheet["A6"].value == "-tạm" and sheet["A7"].value == "@nhóm"
    assert sheet["A6"].quotePrefix and sheet["A7"].quotePrefix
    assert sheet["A6"].data_type == "s" and sheet["A7"].data_type == "s"
    assert not sheet["A3"].quotePrefix
    assert not [c.coordinate for c in cells(sheet) if c.data_type == "f"]


def test_column_widths_fit_content_and_are_capped():
    frame = pd.DataFrame({"Ngắn": ["a"], "Dài": ["x" * 500]})
    ws = read(to_xlsx(frame)).worksheets[0]
    assert ws.column_dimensions["A"].width < 12
    assert ws.column_dimensions["B"].width <= MAX_WIDTH


def test_numeric_columns_get_formats_and_rates_percent():
    frame = pd.DataFrame({"Tiếp nhận": [1200, 35], "Tỷ lệ đúng hạn": [0.952, None], "Điểm": [19.25, 55.0],
                          "Giá trị (%)": [95.2, 80.0], "Hạn": [dt.date(2019, 3, 31), dt.date(2019, 12, 31)]})
    ws = read(to_xlsx(frame)).worksheets[0]
    assert ws["A2"].value == 1200 and ws["A2"].number_format == "#,##0"
    assert ws["B2"].value == pytest.approx(0.952) and ws["B2"].number_format == "0.0%" and ws["B3"].value is None
    assert ws["C2"].number_format == "#,##0.00"
    assert ws["D2"].number_format != "0.0%"  # 95.2 is not a fraction
    assert ws["E2"].value == dt.datetime(2019, 3, 31) and ws["E2"].number_format == "dd/mm/yyyy"
    assert ws.freeze_panes == "A2"


def test_number_formats_override():
    ws = read(to_xlsx(pd.DataFrame({"Số": ["1.234"]}), number_formats={"Số": "0"})).worksheets[0]
    assert ws["A2"].value == 1234 and ws["A2"].number_format == "0"


def test_several_sheets_with_sanitised_unique_names():
    frame = pd.DataFrame({"A": [1]})
    wb = read(to_xlsx({"Đơn vị: [chưa đạt]/tỷ lệ?*": frame, "history": frame, "Bảng": frame, "bảng": frame,
                       "x" * 40: frame}))
    names = wb.sheetnames
    assert names[0] == "Đơn vị- chưa đạt-tỷ lệ"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.lower() for n in names}) == len(names) == 5


def test_sheet_name_rules():
    assert sheet_name("'Tổng hợp'") == "Tổng hợp"
    assert sheet_name("") == "Bảng"
    # at a word boundary, not on a dangling "theo" (test_excel_names_dates_rates.py has more)
    assert sheet_name("Số liệu giải quyết hồ sơ theo đơn vị và theo tháng") == "Số liệu giải quyết hồ sơ"


def test_a_dashboard_table_round_trips(tmp_path):
    from cchc.ingest import load_sample_data
    from cchc.store.database import Store

    store = Store(f"sqlite:///{tmp_path / 'cchc.sqlite'}")
    load_sample_data(store)
    table = views.monthly_table(views.monthly(store, views.Filters(2019, 1, 12)))
    ws = read(to_xlsx({"Theo tháng": table}, title="Số liệu từng tháng")).worksheets[0]
    header = [c.value for c in ws[2]]
    assert header == list(table.columns)
    received = header.index("Tiếp nhận") + 1
    rate = header.index("Tỷ lệ đúng hạn") + 1
    assert ws.cell(3, 1).value == "01/2019"
    assert isinstance(ws.cell(3, received).value, int)
    assert 0.9 < ws.cell(3, rate).value < 1
    store.dispose()


def test_empty_frame_still_has_its_header():
    ws = read(to_xlsx(pd.DataFrame(columns=["Đơn vị", "Tỷ lệ"]))).worksheets[0]
    assert [c.value for c in ws[1]] == ["Đơn vị", "Tỷ lệ"]


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30) | \
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\")", "+1", "-1-", "@SUM(A1)", "\t=1", "#N/A", "=", "'=x"])


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=5))
def test_any_text_reads_back_as_written_and_never_as_a_formula(texts):
    frame = pd.DataFrame({"Văn bản": texts + ["chữ"]})  # one word that is no number keeps the column text
    ws = read(to_xlsx(frame)).worksheets[0]
    assert not [c for c in cells(ws) if c.data_type in ("f", "e")]
    back = [c.value for c in ws["A"][1:]]
    assert back == [unicodedata.normalize("NFC", t) or None for t in texts] + ["chữ"]


# --- the formula guard, leading character by leading character ----------------------------------------------------
# README ("văn bản xuất ra Excel bắt đầu bằng =, +, -, @ được vô hiệu hóa") and the OWASP CSV-injection list, which
# adds tab and carriage return: a cell starting with any of them is text with Excel's quote prefix, never a formula.

FORMULA_LEADS = ["=", "+", "-", "@", "\t", "\r"]
PAYLOADS = ["cmd|' /C calc'!A0", "SUM(1+1)*cmd|' /C calc'!A0", 'HYPERLINK("http://x.invalid","bấm")', "1+1"]


def _sheet_xml(data: bytes, index: int = 1) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def _raw_cell(xml: str, ref: str) -> str:
    import re

    match = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, flags=re.DOTALL)
    assert match, f"no cell {ref} in the sheet XML"
    return match.group(0)


@pytest.mark.parametrize("lead", FORMULA_LEADS, ids=repr)
def test_every_formula_lead_is_neutralised(lead):
    texts = [lead + p for p in PAYLOADS] + ["Phòng Tư pháp"]  # a word keeps the column text
    data = to_xlsx(pd.DataFrame({"Đơn vị": texts, lead + "Tiêu đề": ["a"] * len(texts)}), title="Bảng kiểm tra")
    ws = read(data).worksheets[0]
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the part Excel opens
    for row, text in enumerate(texts[:-1], start=3):  # row 1 title, row 2 header
        cell = ws.cell(row=row, column=1)
        assert cell.value == text, (lead, row)
        assert cell.data_type == "s" and isinstance(cell.value, str)
        assert cell.quotePrefix, f"{text!r} is not quote-prefixed"
        raw = _raw_cell(xml, cell.coordinate)
        assert 't="inlineStr"' in raw or 't="s"' in raw, raw
    header = ws.cell(row=2, column=2)
    assert header.value == lead + "Tiêu đề" and header.data_type == "s" and header.quotePrefix
    assert ws.cell(row=3 + len(PAYLOADS), column=1).value == "Phòng Tư pháp"
    assert not ws.cell(row=3 + len(PAYLOADS), column=1).quotePrefix


def test_the_guard_holds_on_every_sheet_and_in_a_column_that_is_almost_numbers():
    frame = pd.DataFrame({"Số hồ sơ": ["1.234", "-12", "=1+1", "@A1"]})  # not every cell parses: text column
    data = to_xlsx({"Một": frame, "Hai": frame})
    for index, ws in enumerate(read(data).worksheets, start=1):
        assert "<f>" not in _sheet_xml(data, index)
        values = [(c.value, c.data_type, bool(c.quotePrefix)) for c in ws["A"][1:]]
        assert values == [("1.234", "s", False), ("-12", "s", True), ("=1+1", "s", True), ("@A1", "s", True)]


def test_normal_text_and_negative_numbers_are_untouched():
    frame = pd.DataFrame({
        "Đơn vị": ["UBND xã Ia Tul", "a=b", "Tỷ lệ +5%", " =1 (có dấu cách)"],
        "Chênh lệch": [-5, 12, 0, -1234],                     # real numbers
        "Điểm": [-5.5, 0.25, 1.0, -0.75],                    # real decimals
        "Thay đổi": ["-5", "+3", "−1.234", "-0,5"],          # Vietnamese number text, signs included
        "Tỷ lệ thay đổi": ["-5,0%", "12,5%", "0,0%", "-100,0%"],
    })
    ws = read(to_xlsx(frame)).worksheets[0]
    assert [c.value for c in ws["A"][1:]] == list(frame["Đơn vị"])
    assert not any(c.quotePrefix for c in ws["A"][1:])  # "=" or "+" inside the text is harmless
    assert [c.value for c in ws["B"][1:]] == [-5, 12, 0, -1234]
    assert all(c.data_type == "n" and not c.quotePrefix for c in ws["B"][1:])
    assert ws["B2"].number_format == "#,##0"
    assert [c.value for c in ws["C"][1:]] == [-5.5, 0.25, 1.0, -0.75] and ws["C2"].number_format == "#,##0.00"
    assert [c.value for c in ws["D"][1:]] == [-5, 3, -1234, -0.5]  # "−1.234": thousands, Unicode minus
    assert all(c.data_type == "n" for c in ws["D"][1:])
    assert ws["D2"].number_format == "+#,##0.0;-#,##0.0;0"  # a "+" in the column: signs shown
    assert ws["E2"].value == pytest.approx(-0.05) and ws["E5"].value == pytest.approx(-1.0)
    assert ws["E2"].number_format == "0.0%" and ws["E2"].data_type == "n"
