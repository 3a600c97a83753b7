"""What Excel hides is not read: hidden sheets, hidden (or filtered-out) rows and hidden columns are left out, and a
warning names each, so a user sees in the dashboard the figures they see in Excel."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from cchc.fields import STATS_FIELDS, TEMPLATE_HEADERS
from cchc.ingest import check_file
from cchc.read.grid import _spans, load_workbook
from tests.support import figures

HIDDEN_ROWS = ("dòng bị ẩn ({rows}) không được đọc: chỉ đọc số liệu thấy được trong Excel. Nếu cần các dòng này, "
               "hãy bỏ ẩn rồi tải lên lại.")


def _template(units: list[tuple[str, dict]], hide_rows=(), hide_cols=(), hidden_sheet=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(list(TEMPLATE_HEADERS))
    for unit, values in units:
        ws.append([unit, 2019, 1, *(values[f] for f in STATS_FIELDS)])
    for r in hide_rows:
        ws.row_dimensions[r].hidden = True
    for letter in hide_cols:
        ws.column_dimensions[letter].hidden = True
    if hidden_sheet:
        draft = wb.create_sheet(hidden_sheet[0])
        for row in hidden_sheet[1]:
            draft.append(row)
        draft.sheet_state = hidden_sheet[2]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _warnings(result) -> list[tuple[str | None, str]]:
    return [(w.sheet, w.message) for w in result.findings.warnings]


def test_a_hidden_unit_row_is_not_counted_and_is_named():
    data = _template([("Phòng Tư pháp", figures(online=5)), ("Ia Tul", figures(online=50, direct=30, on_time=76)),
                      ("Phòng Nội vụ", figures(online=7, on_time=6))], hide_rows=[3])
    result = check_file(data, "thang1.xlsx")
    assert result.ok, result.findings.errors
    records = result.stats.records
    assert records["unit"].tolist() == ["Phòng Tư pháp", "Phòng Nội vụ"]
    # 5 + 3 + 2 and 7 + 3 + 2: the hidden row's 50 + 30 + 2 is not in the total
    assert int(records["received_total"].sum()) == 10 + 12
    assert ("Số liệu", "1 " + HIDDEN_ROWS.format(rows="3")) in _warnings(result)


def test_consecutive_hidden_rows_are_named_as_a_range():
    units = [(name, figures()) for name in ("Phòng Tư pháp", "Ia Tul", "Ia Broăi", "Phòng Nội vụ", "Ia Kdăm")]
    result = check_file(_template(units, hide_rows=[3, 4, 6]), "t.xlsx")
    assert result.ok
    assert result.stats.records["unit"].tolist() == ["Phòng Tư pháp", "Phòng Nội vụ"]
    assert ("Số liệu", "3 " + HIDDEN_ROWS.format(rows="3–4, 6")) in _warnings(result)


def test_a_hidden_empty_row_says_nothing():
    result = check_file(_template([("Phòng Tư pháp", figures())], hide_rows=[5]), "t.xlsx")
    assert result.ok
    assert not any("bị ẩn" in message for _, message in _warnings(result))


def test_a_hidden_sheet_is_left_out_and_named():
    draft = ("Nháp", [list(TEMPLATE_HEADERS), ["Ia Tul", 2019, 2, *(figures(online=99, on_time=98)[f] for f in STATS_FIELDS)]],
             "hidden")
    result = check_file(_template([("Phòng Tư pháp", figures())], hidden_sheet=draft), "t.xlsx")
    assert result.ok
    assert result.stats.records["period"].tolist() == ["2019-01"]  # the hidden sheet's February is not read
    assert ("Nháp", "Sheet “Nháp” đang bị ẩn trong Excel nên không được đọc. Nếu cần số liệu của sheet này, hãy bỏ "
            "ẩn (chuột phải vào tên sheet → Unhide) rồi tải lên lại.") in _warnings(result)


def test_a_very_hidden_sheet_is_left_out_too():
    draft = ("Macro", [["bí mật", 1]], "veryHidden")
    workbook = load_workbook(_template([("Phòng Tư pháp", figures())], hidden_sheet=draft))
    assert [s.name for s in workbook.sheets] == ["Số liệu"]
    assert workbook.hidden_sheets == ["Macro"]


def test_an_empty_hidden_sheet_is_left_out_silently():
    workbook = load_workbook(_template([("Phòng Tư pháp", figures())], hidden_sheet=("Trống", [], "hidden")))
    assert [s.name for s in workbook.sheets] == ["Số liệu"]
    assert workbook.hidden_sheets == []
    assert workbook.notices() == []


def test_a_hidden_column_of_figures_is_not_read_and_is_named():
    units = [("Phòng Tư pháp", figures(received_bcci=4)), ("Phòng Nội vụ", figures(received_bcci=6))]
    visible = check_file(_template(units), "t.xlsx")
    assert int(visible.stats.records["received_bcci"].sum()) == 10
    assert "received_bcci" in visible.stats.present_fields
    result = check_file(_template(units, hide_cols=["L"]), "t.xlsx")  # L: "Tiếp nhận qua BCCI"
    assert result.ok, result.findings.errors
    assert "received_bcci" not in result.stats.present_fields
    assert ("Số liệu", "1 cột bị ẩn (L) không được đọc: chỉ đọc số liệu thấy được trong Excel. Nếu cần các cột "
            "này, hãy bỏ ẩn rồi tải lên lại.") in _warnings(result)
    workbook = load_workbook(_template(units, hide_cols=["L"]))
    assert [row[11] for row in workbook.sheets[0].rows] == [None, None, None]


def _rewrite_sheet_xml(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            target.writestr(item, body)
    return out.getvalue()


@pytest.mark.parametrize("attribute", [b'hidden="1"', b'hidden="true"', b"hidden='1'"])
def test_hidden_rows_are_found_however_the_attribute_is_written(attribute):
    data = _template([("Phòng Tư pháp", figures()), ("Ia Tul", figures(online=50, on_time=49))])
    data = _rewrite_sheet_xml(data, lambda xml: xml.replace(b'<row r="3"', b'<row r="3" ' + attribute, 1))
    workbook = load_workbook(data)
    assert workbook.sheets[0].hidden_rows == [3]
    assert workbook.sheets[0].rows[2] == [None] * len(workbook.sheets[0].rows[2])


def test_hidden_rows_are_found_on_the_tag_by_tag_path():
    # rows written without r="…" (as some generators do) send the sheet to the tag-by-tag check
    data = _template([("Phòng Tư pháp", figures()), ("Ia Tul", figures(online=50, on_time=49)), ("Phòng Nội vụ", figures())])

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb'<row r="\d+"', b"<row", xml)
        return xml.replace(b'<row><c r="A3"', b'<row hidden="1"><c r="A3"', 1)

    rewritten = _rewrite_sheet_xml(data, change)
    assert b'<row hidden="1"><c r="A3"' in zipfile.ZipFile(io.BytesIO(rewritten)).read("xl/worksheets/sheet1.xml")
    result = check_file(rewritten, "t.xlsx")
    assert result.ok, result.findings.errors
    assert result.stats.records["unit"].tolist() == ["Phòng Tư pháp", "Phòng Nội vụ"]
    assert ("Số liệu", "1 " + HIDDEN_ROWS.format(rows="3")) in _warnings(result)


def test_spans_are_written_as_ranges():
    assert _spans([2, 3, 4, 9, 11, 12]) == "2–4, 9, 11–12"
    assert _spans([7]) == "7"
    assert _spans([1, 2, 27], letters=True) == "A–B, AA"


def _ods_rows(rows: list[tuple[list, str | None]], hidden_columns: int = 0) -> bytes:
    from tests.read.test_container import ods, ods_cell

    columns = ('<table:table-column table:number-columns-repeated="21"/>' if not hidden_columns else
               f'<table:table-column table:number-columns-repeated="{hidden_columns - 1}"/>'
               '<table:table-column table:visibility="collapse"/>'
               f'<table:table-column table:number-columns-repeated="{21 - hidden_columns}"/>')
    body = "".join(f'<table:table-row{f" table:visibility={chr(34)}{v}{chr(34)}" if v else ""}>'
                   + "".join(ods_cell(c) for c in cells) + "</table:table-row>" for cells, v in rows)
    return ods(f'<table:table table:name="Số liệu">{columns}{body}</table:table>')


def _ods_record(unit: str, values: dict) -> list:
    return [unit, 2019, 1, *(values[f] for f in STATS_FIELDS)]


def test_rows_hidden_or_filtered_out_in_libreoffice_are_left_out_and_named():
    data = _ods_rows([(list(TEMPLATE_HEADERS), None),
                      (_ods_record("Phòng Tư pháp", figures()), None),
                      (_ods_record("Ia Tul", figures(online=50, on_time=49)), "collapse"),
                      (_ods_record("Ia Broăi", figures(online=40, on_time=39)), "filter"),
                      (_ods_record("Phòng Nội vụ", figures()), None)])
    result = check_file(data, "t.ods")
    assert result.ok, result.findings.errors
    assert result.stats.records["unit"].tolist() == ["Phòng Tư pháp", "Phòng Nội vụ"]
    assert ("Số liệu", "2 " + HIDDEN_ROWS.format(rows="3–4")) in _warnings(result)


def test_a_column_hidden_in_libreoffice_is_left_out_and_named():
    data = _ods_rows([(list(TEMPLATE_HEADERS), None),
                      (_ods_record("Phòng Tư pháp", figures(received_bcci=4)), None)], hidden_columns=12)
    result = check_file(data, "t.ods")
    assert result.ok, result.findings.errors
    assert "received_bcci" not in result.stats.present_fields  # L, "Tiếp nhận qua BCCI", is hidden
    assert ("Số liệu", "1 cột bị ẩn (L) không được đọc: chỉ đọc số liệu thấy được trong Excel. Nếu cần các cột "
            "này, hãy bỏ ẩn rồi tải lên lại.") in _warnings(result)


def _with_cols(data: bytes, cols: bytes, slow: bool = False) -> bytes:
    """The first sheet with a <cols> block of its own (and, slow, rows without r="…": the tag-by-tag path)."""
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<cols>.*?</cols>", b"", xml)
        xml = xml.replace(b"<sheetData", b"<cols>" + cols + b"</cols><sheetData", 1)
        return re.sub(rb'<row r="\d+"', b"<row", xml) if slow else xml
    return _rewrite_sheet_xml(data, change)


@pytest.mark.parametrize("slow", [False, True])
@pytest.mark.parametrize("cols, hidden", [
    (b'<col min="2" max="3" width="9" hidden="1"/>', [2, 3]),  # a range: B and C
    (b'<col min="5" hidden="1"/>', [5]),  # no max: the one column
    (b'<col min="2" max="2" width="9"/><col min="4" max="4" hidden="true"/>', [4]),
    (b'<col min="2" max="3" hidden="0"/>', []),
])
def test_hidden_columns_however_they_are_written(cols, hidden, slow):
    data = _with_cols(_template([("Phòng Tư pháp", figures()), ("Phòng Nội vụ", figures())]), cols, slow)
    sheet = load_workbook(data).sheets[0]
    assert sheet.hidden_cols == hidden
    for col in hidden:
        assert all(row[col - 1] is None for row in sheet.rows)
    assert sheet.rows[1][0] == "Phòng Tư pháp"


def test_a_hidden_row_on_the_tag_by_tag_path_is_counted_from_its_position():
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb'<row r="\d+"', b"<row", xml)
        return xml.replace(b'<row><c r="A2"', b'<row hidden="true"><c r="A2"', 1)

    data = _rewrite_sheet_xml(_template([("Phòng Tư pháp", figures()), ("Phòng Nội vụ", figures())]), change)
    assert load_workbook(data).sheets[0].hidden_rows == [2]


def test_an_empty_hidden_row_or_column_inside_the_table_says_nothing():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Đơn vị", "Năm", "Tháng", None, "Tổng số hồ sơ tiếp nhận"])  # D is empty
    ws.append([])  # row 2 is empty
    ws.append(["Phòng Tư pháp", 2019, 1, None, 5])
    ws.row_dimensions[2].hidden = True
    ws.column_dimensions["D"].hidden = True
    out = io.BytesIO()
    wb.save(out)
    workbook = load_workbook(out.getvalue())
    assert (workbook.sheets[0].hidden_rows, workbook.sheets[0].hidden_cols) == ([], [])
    assert workbook.notices() == []


def test_an_html_export_of_several_tables_names_them_all():
    from cchc.read.grid import Sheet, Workbook

    workbook = Workbook(sheets=[Sheet("Bảng 1", [["a"]]), Sheet("Bảng 2", [["b"]])], html=True)
    assert workbook.notices() == [("Tệp là trang web (HTML) được đặt tên như tệp Excel, như nhiều phần mềm một cửa "
                                   "xuất ra; đã đọc 2 bảng trong trang (Bảng 1, Bảng 2).", None)]


def _xls(rows: list[list], hidden_rows=(), hidden_cols=()) -> bytes:
    """A one-sheet .xls (the BIFF8 and compound-file writers of tests/read/test_container.py) with ROW records
    marked hidden (fDyZero) and a COLINFO record hiding a column range."""
    import struct

    from tests.read.test_container import biff8, compound_file

    stream = biff8(rows)
    extra = b""
    for r in hidden_rows:  # ROW: rw, colMic, colMac, miyRw, reserved, unused, grbit (0x20 = hidden), ixfe
        extra += struct.pack("<HH", 0x0208, 16) + struct.pack("<HHHHHHHH", r - 1, 0, 3, 255, 0, 0, 0x20 | 0x100, 15)
    for first, last in hidden_cols:  # COLINFO: colFirst, colLast, coldx, ixfe, options (1 = hidden), unused
        extra += struct.pack("<HH", 0x007D, 12) + struct.pack("<HHHHHH", first - 1, last - 1, 0, 15, 1, 0)
    sheet_bof = stream.index(struct.pack("<HH", 0x0809, 16), 4)
    dimensions_end = sheet_bof + 4 + 16 + 4 + 14  # BOF, then DIMENSIONS
    return compound_file({"Workbook": stream[:dimensions_end] + extra + stream[dimensions_end:]})


def test_rows_and_columns_hidden_in_a_legacy_xls_are_left_out_and_named():
    rows = [["Đơn vị", "Năm", "Tháng"], ["Phòng Tư pháp", 2019, 1], ["Ia Tul", 2019, 2], ["Phòng Nội vụ", 2019, 3]]
    workbook = load_workbook(_xls(rows, hidden_rows=[3], hidden_cols=[(2, 2)]), "thong_ke.xls")
    sheet = workbook.sheets[0]
    assert (sheet.hidden_rows, sheet.hidden_cols) == ([3], [2])
    assert [row[0] for row in sheet.rows] == ["Đơn vị", "Phòng Tư pháp", None, "Phòng Nội vụ"]
    assert [row[1] for row in sheet.rows] == [None, None, None, None]
    assert [message for message, _ in workbook.notices()] == [
        "1 " + HIDDEN_ROWS.format(rows="3"),
        "1 cột bị ẩn (B) không được đọc: chỉ đọc số liệu thấy được trong Excel. Nếu cần các cột này, hãy bỏ ẩn rồi "
        "tải lên lại."]


def test_a_legacy_xls_without_hidden_rows_is_read_whole():
    rows = [["Đơn vị", "Năm"], ["Phòng Tư pháp", 2019]]
    workbook = load_workbook(_xls(rows), "thong_ke.xls")
    assert workbook.sheets[0].rows[1][0] == "Phòng Tư pháp" and workbook.notices() == []
