"""HTML tables saved as .xls by one-stop systems' "Xuất Excel" button (cchc.read.html).

The fixtures are written the way those exporters write them: an <html> with the office:excel namespace, a <meta
http-equiv="Content-Type" content="application/vnd.ms-excel; charset=utf-8">, a <style> block with mso- CSS, a title
row spanning the whole table, a two-row header with colspan/rowspan (the Biểu 06 statistics form), <b>/<span>/<br>
inside cells, &nbsp;, x:num attributes and Vietnamese number formats. Every expected grid is written out by hand.
"""

from __future__ import annotations

import io
import time
import unicodedata
import zipfile

import openpyxl
import pytest

from cchc.findings import WorkbookRefused
from cchc.read.html import MAX_SPAN, looks_like_html, read_html_tables

TITLE = "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC - Tháng 01 năm 2019"

# The Biểu 06 export, as a one-stop system's server writes it (Response.ContentType = "application/vnd.ms-excel").
BIEU_06 = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset=utf-8">
<meta name="ProgId" content="Excel.Sheet">
<title>BaoCaoTinhHinhGiaiQuyetTTHC</title>
<style>
  br { mso-data-placement: same-cell; }
  td { font-family: "Times New Roman"; font-size: 12pt; mso-number-format: General; }
  .text { mso-number-format: "\\@"; }
  .tieude { font-weight: bold; text-align: center; }
</style>
<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>Bieu06</x:Name>
</x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->
</head>
<body>
<table border="1" cellpadding="0" cellspacing="0" style="border-collapse:collapse">
  <tr>
    <td colspan="8" class="tieude" style="height:30pt"><b>BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC&nbsp;- Tháng 01 năm
      2019</b></td>
  </tr>
  <tr class="tieude">
    <th rowspan="2">STT</th>
    <th rowspan="2">Đơn vị</th>
    <th colspan="3">Số hồ sơ nhận giải quyết</th>
    <th colspan="3">Số hồ sơ đã giải quyết</th>
  </tr>
  <tr class="tieude">
    <th>Tổng số</th>
    <th>Trực<br>tuyến</th>
    <th>Trực tiếp</th>
    <th>Tổng số</th>
    <th><span style="color:#000">Trước hạn,</span> <span>đúng hạn</span></th>
    <th>Quá hạn</th>
  </tr>
  <tr>
    <td align="center">(1)</td><td align="center">(2)</td><td>(3)=(4)+(5)</td><td>(4)</td><td>(5)</td>
    <td>(6)=(7)+(8)</td><td>(7)</td><td>(8)</td>
  </tr>
  <tr>
    <td align="center">1</td>
    <td>Sở Tư pháp</td>
    <td x:num="1234">1.234</td>
    <td x:num>1034</td>
    <td>200</td>
    <td>1.500</td>
    <td>1.480</td>
    <td>20</td>
  </tr>
  <tr>
    <td align="center">2</td>
    <td>UBND huyện<br/>Bình&nbsp;Chánh</td>
    <td>2.345.678</td>
    <td>2.000.000</td>
    <td>345.678</td>
    <td>12</td>
    <td>&nbsp;</td>
    <td><span><b>0</b></span></td>
  </tr>
  <tr>
    <td colspan="2" align="center"><b>Tổng cộng</b></td>
    <td x:num="2346912" x:fmla="=SUM(C5:C6)">2.346.912</td>
    <td></td><td></td><td></td><td></td><td></td>
  </tr>
</table>
</body>
</html>
"""

BIEU_06_ROWS = [
    [TITLE, None, None, None, None, None, None, None],
    ["STT", "Đơn vị", "Số hồ sơ nhận giải quyết", None, None, "Số hồ sơ đã giải quyết", None, None],
    [None, None, "Tổng số", "Trực tuyến", "Trực tiếp", "Tổng số", "Trước hạn, đúng hạn", "Quá hạn"],
    ["(1)", "(2)", "(3)=(4)+(5)", "(4)", "(5)", "(6)=(7)+(8)", "(7)", "(8)"],
    [1, "Sở Tư pháp", 1234, 1034, 200, "1.500", "1.480", 20],
    [2, "UBND huyện Bình Chánh", 2345678, 2000000, "345.678", 12, None, 0],
    ["Tổng cộng", None, 2346912, None, None, None, None, None],
]
BIEU_06_MERGED = [(0, 0, 0, 7), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 4), (1, 5, 1, 7), (6, 0, 6, 1)]


def one(data: bytes, **kwargs):
    tables = read_html_tables(data, "bao_cao.xls", **kwargs)
    assert len(tables) == 1, tables
    return tables[0]


def refused(data: bytes, **kwargs) -> str:
    with pytest.raises(WorkbookRefused) as info:
        read_html_tables(data, "bao_cao.xls", **kwargs)
    errors = info.value.findings.errors
    assert len(errors) == 1
    return errors[0]


def table(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode("utf-8")


def cp1258(text: str) -> bytes:
    """Vietnamese text as windows-1258 writes it: a precomposed base letter (â, ê, ô, ơ, ư, ă, đ) + a tone mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        tone = "".join(m for m in nfd[1:] if m in tones)
        base = unicodedata.normalize("NFC", nfd[0] + "".join(m for m in nfd[1:] if m not in tones))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return out


# ---------------------------------------------------------------------------------------------------------------
# The Biểu 06 export in every encoding the exporters use
# ---------------------------------------------------------------------------------------------------------------

def test_bieu_06_utf8_with_meta():
    name, rows, merged = one(BIEU_06.encode("utf-8"))
    assert name == "Bảng 1"
    assert rows == BIEU_06_ROWS
    assert merged == BIEU_06_MERGED


def test_bieu_06_utf8_bom_without_meta():
    data = b"\xef\xbb\xbf" + BIEU_06.replace("charset=utf-8", "").encode("utf-8")
    assert one(data) == ("Bảng 1", BIEU_06_ROWS, BIEU_06_MERGED)


def test_bieu_06_utf16_le_with_bom():
    data = b"\xff\xfe" + BIEU_06.replace("charset=utf-8", "charset=utf-16").encode("utf-16-le")
    assert one(data) == ("Bảng 1", BIEU_06_ROWS, BIEU_06_MERGED)


def test_bieu_06_utf16_without_bom():
    assert one(BIEU_06.encode("utf-16-le")) == ("Bảng 1", BIEU_06_ROWS, BIEU_06_MERGED)
    assert one(BIEU_06.encode("utf-16-be")) == ("Bảng 1", BIEU_06_ROWS, BIEU_06_MERGED)


def test_bieu_06_windows_1258_declared():
    source = BIEU_06.replace("charset=utf-8", "charset=windows-1258")
    data = cp1258(source)
    assert b"S\xf5\xd2 T\xfd ph\xe1p" in data  # "Sở Tư pháp": ơ + combining hook above
    assert one(data) == ("Bảng 1", BIEU_06_ROWS, BIEU_06_MERGED)  # tone marks recomposed (NFC)


def test_windows_1258_without_declaration_is_the_fallback():
    data = cp1258("<table><tr><td>Sở Tư pháp</td><td>Tiếp nhận</td></tr></table>")
    assert one(data)[1] == [["Sở Tư pháp", "Tiếp nhận"]]


def test_utf8_bytes_under_a_legacy_declaration_are_read_as_utf8():
    data = table("<table><tr><td>Sở Tư pháp</td></tr></table>", '<meta charset="windows-1258">')
    assert one(data)[1] == [["Sở Tư pháp"]]
    data = table("<table><tr><td>Sở Tư pháp</td></tr></table>",
                 '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">')
    assert one(data)[1] == [["Sở Tư pháp"]]


def test_cp1252_declared_and_xml_prolog():
    data = ('<?xml version="1.0" encoding="windows-1252"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            '<body><table><tr><td>Caf\u00e9 \u20ac</td></tr></table></body></html>').encode("cp1252")
    assert one(data)[1] == [["Café €"]]


# ---------------------------------------------------------------------------------------------------------------
# Layout: spans as a browser places them
# ---------------------------------------------------------------------------------------------------------------

def test_a_rowspan_pushes_the_next_rows_cells_right():
    _, rows, merged = one(table("""<table>
        <tr><td>a</td><td rowspan="3">b</td><td>c</td></tr>
        <tr><td>d</td><td>e</td></tr>
        <tr><td rowspan="2" colspan="1">f</td><td>g</td><td>h</td></tr>
        <tr><td>i</td><td>j</td><td>k</td></tr></table>"""))
    assert rows == [["a", "b", "c", None],
                    ["d", None, "e", None],
                    ["f", None, "g", "h"],
                    [None, "i", "j", "k"]]
    assert merged == [(0, 1, 2, 1), (2, 0, 3, 0)]


def test_rows_are_padded_to_the_table_width():
    _, rows, merged = one(table("<table><tr><td>x</td></tr><tr><td>1</td><td>2</td><td>3</td></tr>"
                                "<tr></tr></table>"))
    assert rows == [["x", None, None], [1, 2, 3], [None, None, None]]
    assert merged == []


def test_rowspans_stop_at_the_end_of_their_row_group():
    _, rows, merged = one(table("""<table>
        <thead><tr><th rowspan="5">STT</th><th>Đơn vị</th></tr></thead>
        <tbody><tr><td>1</td><td>Sở Y tế</td></tr>
               <tr><td rowspan="0">2</td><td>Sở Tài chính</td></tr>
               <tr><td>Sở Xây dựng</td></tr></tbody>
        </table>"""))
    assert rows == [["STT", "Đơn vị"], [1, "Sở Y tế"], [2, "Sở Tài chính"], [None, "Sở Xây dựng"]]
    assert merged == [(2, 0, 3, 0)]  # the thead's rowspan="5" is clipped to 1: no range


def test_thead_first_and_tfoot_last_as_shown():
    _, rows, _ = one(table("<table><tfoot><tr><td>Tổng</td></tr></tfoot><tbody><tr><td>1</td></tr></tbody>"
                           "<thead><tr><th>STT</th></tr></thead></table>"))
    assert rows == [["STT"], [1], ["Tổng"]]


def test_colspan_zero_or_garbage_is_one_and_overlaps_are_cut():
    _, rows, merged = one(table("""<table>
        <tr><td colspan="0">a</td><td colspan="x">b</td><td colspan=" 2px">c</td></tr>
        <tr><td>d</td><td rowspan="2">e</td><td>f</td><td>g</td></tr>
        <tr><td colspan="3">h</td><td>i</td></tr></table>"""))
    # row 3: "h" asks for 3 columns but B3 is still covered by "e": it keeps A3 only and "i" goes to C3
    assert rows == [["a", "b", "c", None],
                    ["d", "e", "f", "g"],
                    ["h", None, "i", None]]
    assert merged == [(0, 2, 0, 3), (1, 1, 2, 1)]


def test_sloppy_markup_of_old_exporters():
    _, rows, merged = one(b"<TABLE BORDER=1><TR><TH COLSPAN=2>H\xe1\xbb\x93 s\xc6\xa1<TR><TD>1<TD>2"
                          b"<TR><TD>3<TD>4</TABLE>")
    assert rows == [["Hồ sơ", None], [1, 2], [3, 4]]
    assert merged == [(0, 0, 0, 1)]


def test_cell_text_whitespace_and_markup():
    _, rows, _ = one(table("""<table><tr>
        <td>  Trung tâm\n\t Phục vụ <br>hành chính&nbsp;&nbsp;công </td>
        <td><p>Sở</p><p>Nội vụ</p></td>
        <td>a<script>alert(1)</script>b<style>td{}</style></td>
        <td><!-- ghi chú -->&#8203;</td>
        <td>=cmd|' /C calc'!A0</td>
        </tr></table>"""))
    assert rows == [["Trung tâm Phục vụ hành chính công", "Sở Nội vụ", "ab", None, "=cmd|' /C calc'!A0"]]


def test_content_after_the_end_of_the_document_is_read_as_a_browser_does():
    page = table("<table><tr><td>Biểu 06</td></tr></table>")
    tables = read_html_tables(page + "\r\n<table><tr><td>Người lập biểu</td></tr></table>".encode() + page)
    assert tables == [("Bảng 1", [["Biểu 06"]], []), ("Bảng 2", [["Người lập biểu"]], []),
                      ("Bảng 3", [["Biểu 06"]], [])]


def test_rows_inside_a_stray_form_and_cells_outside_rows():
    _, rows, _ = one(table("<table><form action='/XuatExcel' method='post'><tr><td>1</td><td>Sở Y tế</td></tr>"
                           "</form><td>2</td><td>Sở Công Thương</td></table>"))
    assert rows == [[1, "Sở Y tế"], [2, "Sở Công Thương"]]


def test_nested_tables_and_empty_tables():
    data = table("""
        <table><tr><td><table><tr><td>STT</td><td>Đơn vị</td></tr><tr><td>1</td><td>Sở Nội vụ</td></tr></table>
        </td></tr></table>
        <table><tr><td>&nbsp;</td><td></td></tr></table>
        <table><tr><td>Người lập biểu</td><td>Thủ trưởng đơn vị</td></tr></table>
        <table></table>""")
    tables = read_html_tables(data)
    # the layout wrapper (its only content is the inner table) and the blank tables are skipped, not numbered
    assert tables == [("Bảng 1", [["STT", "Đơn vị"], [1, "Sở Nội vụ"]], []),
                      ("Bảng 2", [["Người lập biểu", "Thủ trưởng đơn vị"]], [])]


def test_a_wrapper_with_its_own_text_keeps_it_and_the_inner_table_is_separate():
    data = table("<table><tr><td>Kỳ báo cáo: Quý I/2019</td></tr><tr><td><table><tr><td>STT</td></tr>"
                 "</table></td></tr></table>")
    assert read_html_tables(data) == [("Bảng 1", [["Kỳ báo cáo: Quý I/2019"], [None]], []),
                                      ("Bảng 2", [["STT"]], [])]


# ---------------------------------------------------------------------------------------------------------------
# Numbers: only when the text cannot mean anything else
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("1234", 1234), ("-5", -5), ("0", 0), ("1.234.567", 1234567), ("1,234,567", 1234567),
    ("-1.234.567", -1234567), ("12,5", 12.5), ("0,75", 0.75), ("12,50", 12.5), ("1234,567", 1234.567),
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), (" 42 ", 42), ("4&nbsp;2", "4 2"),
    # text: ambiguous, or not a plain number
    ("1.500", "1.500"), ("1,500", "1,500"), ("-2.000", "-2.000"), ("12.5", "12.5"), ("1.2", "1.2"),
    ("3.10", "3.10"), ("95,2%", "95,2%"), ("01/02/2019", "01/02/2019"), ("2019-01-31", "2019-01-31"),
    ("007", "007"), ("0912345678", "0912345678"), ("1 234", "1 234"), ("+5", "+5"), ("(5)", "(5)"),
    ("1.2.3", "1.2.3"), ("12.345.67", "12.345.67"), ("1234567890123456", "1234567890123456"),
    ("000.00.12.H12-190101-0001", "000.00.12.H12-190101-0001"), ("-", "-"), ("10 ngày", "10 ngày"),
    ("١٢", "١٢"), ("12,٥", "12,٥"),  # digits other than 0-9 are not Excel numbers
])
def test_text_numbers(text, value):
    _, rows, _ = one(table(f"<table><tr><td>{text}</td></tr></table>"))
    assert rows == [[value]]
    assert type(rows[0][0]) is type(value)


@pytest.mark.parametrize("cell, value", [
    ('<td x:num="1500">1.500</td>', 1500),
    ('<td x:num="1.5">1,5</td>', 1.5),
    ('<td x:num="0.952" class="pct">95,2%</td>', 0.952),
    ('<td x:num="4.3520000000000003E-2">4,35%</td>', 0.04352),
    ('<td x:num="2346912" x:fmla="=SUM(C5:C6)">2.346.912</td>', 2346912),
    ('<td x:num="7"></td>', 7),
    ('<td x:num>12.5</td>', 12.5),  # a bare x:num: Excel says the text is a number
    ('<td x:num>1034</td>', 1034),
    ('<td x:num>1.500</td>', "1.500"),  # still ambiguous
    ('<td x:num="abc">12</td>', 12),  # an unreadable x:num: the text decides
    ('<td x:num="nan">n/a</td>', "n/a"),
    ('<td x:str>1234</td>', "1234"),
    ('<td x:str="\'0912">0912</td>', "0912"),
])
def test_excel_number_attributes(cell, value):
    _, rows, _ = one(table(f"<table><tr>{cell}</tr></table>",
                           '<meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset=utf-8">'))
    assert rows == [[value]]
    assert type(rows[0][0]) is type(value)


# ---------------------------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------------------------

def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["STT", "Đơn vị"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("data", [
    BIEU_06.encode("utf-8"),
    b"\xef\xbb\xbf" + BIEU_06.encode("utf-8"),
    b"\xff\xfe" + BIEU_06.encode("utf-16-le"),
    BIEU_06.encode("utf-16-le"),
    b"\xfe\xff" + BIEU_06.encode("utf-16-be"),
    b"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n<html><body></body></html>",
    b"  \r\n<table border=1><tr><td>1</td></tr></table>",
    b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    b'<meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset=utf-8"><table></table>',
    b"<!-- Xuat Excel -->\n<HTML><BODY><TABLE></TABLE></BODY></HTML>",
    b"<style>td{mso-number-format:\\@}</style><table><tr><td>1</td></tr></table>",
    b"B\xc3\xa1o c\xc3\xa1o th\xc3\xa1ng 01\r\n<br><table><tr><td>1</td></tr></table>",  # text, then a table
], ids=range(12))
def test_detects_html(data):
    assert looks_like_html(data)


@pytest.mark.parametrize("data", [
    b"",
    xlsx_bytes(),
    b"PK\x03\x04" + b"<table>" * 10,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"<table>",
    "STT,Đơn vị,Tổng số\r\n1,Sở Tư pháp,\"1.234\"\r\n".encode("utf-8"),
    b"\xef\xbb\xbfSTT;\xc4\x90\xc6\xa1n v\xe1\xbb\x8b\r\n1;S\xe1\xbb\x9f N\xe1\xbb\x99i v\xe1\xbb\xa5\r\n",
    "STT\tĐơn vị\r\n1\tSở Y tế\r\n".encode("utf-16"),
    (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
     b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1"><Table><Row/></Table>'
     b"</Worksheet></Workbook>"),
    b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart\"\r\n\r\n<html><table>",
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    b"\x00\x01\x02<table>\x00",
], ids=range(11))
def test_does_not_detect_other_files(data):
    assert not looks_like_html(data)


# ---------------------------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------------------------

def test_absurd_colspan_is_refused_and_located():
    error = refused(table('<table><tr><td>STT</td><td colspan="20000">Đơn vị</td></tr></table>'))
    assert error.message.startswith("Bảng 1 có ô gộp bất thường (colspan=20000; giới hạn 10.000)")
    assert (error.sheet, error.row, error.column) == ("Bảng 1", 1, "B")


def test_absurd_rowspan_is_refused():
    error = refused(table('<table><tr><td>1</td></tr><tr><td>2</td><td rowspan="99999999999999999999999">x</td>'
                          '</tr></table>'))
    assert error.message.startswith("Bảng 1 có ô gộp bất thường (rowspan=999999999999…; giới hạn 10.000)")
    assert (error.sheet, error.row, error.column) == ("Bảng 1", 2, "B")
    assert MAX_SPAN == 10_000
    assert one(table(f'<table><tr><td colspan="{MAX_SPAN}">x</td></tr></table>'))[2] == [(0, 0, 0, MAX_SPAN - 1)]


def test_too_many_cells():
    rows = "".join(f"<tr><td>{i}</td><td>Sở {i}</td><td>{i * 3}</td></tr>" for i in range(20))
    data = table(f"<table>{rows}</table>")
    assert len(one(data, max_cells=60)[1]) == 20
    error = refused(data, max_cells=59)
    assert error.message.startswith("Bảng 1 có vùng dữ liệu quá lớn: ô xa nhất có dữ liệu là C20 (20 dòng × 3 cột; "
                                    "cả tệp 60 ô")
    # the cells of every table count together
    error = refused(data + data, max_cells=100)
    assert error.message.startswith("Bảng 2 có vùng dữ liệu quá lớn")


def test_spans_that_would_expand_past_the_limit_are_refused_before_expanding():
    cells = '<td colspan="10000">x</td>' * 2000
    data = table("<table>" + f"<tr>{cells}</tr>" * 5 + "</table>")
    start = time.perf_counter()
    error = refused(data)
    assert time.perf_counter() - start < 2
    assert "có vùng dữ liệu quá lớn" in error.message and "giới hạn 10.000.000 ô" in error.message
    # every row's cell pushed right by all the rowspans above it: width grows with height
    staircase = "".join(f'<tr><td rowspan="9000">{i}</td></tr>' for i in range(9000))
    start = time.perf_counter()
    error = refused(table(f"<table>{staircase}</table>"))
    assert time.perf_counter() - start < 3
    assert "có vùng dữ liệu quá lớn" in error.message


def test_rows_without_cells_count_as_rows():
    data = table("<table>" + "<tr></tr>" * 200 + "<tr><td>Tổng</td></tr></table>")
    assert len(one(data, max_cells=201)[1]) == 201
    error = refused(data, max_cells=150)
    assert error.message.startswith("Bảng 1 có vùng dữ liệu quá lớn: ô xa nhất có dữ liệu là A151 (151 dòng × 1 cột")


def test_too_many_tables():
    data = table("".join(f"<table><tr><td>Bảng {i}</td></tr></table>" for i in range(3)))
    assert [t[0] for t in read_html_tables(data, max_sheets=3)] == ["Bảng 1", "Bảng 2", "Bảng 3"]
    error = refused(data, max_sheets=2)
    assert error.message.startswith("Tệp có quá nhiều bảng (hơn 2 bảng có dữ liệu; mỗi bảng được đọc như một sheet, "
                                    "giới hạn 2).")


def test_too_many_merged_ranges():
    data = table('<table><tr><td colspan="2">a</td></tr><tr><td colspan="2">b</td></tr></table>')
    assert one(data, max_merged=2)[2] == [(0, 0, 0, 1), (1, 0, 1, 1)]
    error = refused(data, max_merged=1)
    assert error.message.startswith("Tệp có quá nhiều vùng gộp ô (2; giới hạn 1).")


@pytest.mark.parametrize("data, detail", [
    (b"", "tệp rỗng"),
    (b" \r\n\t", "tệp rỗng"),
    (b"\xef\xbb\xbf<table><tr><td>\xff\xfe</td></tr></table>", "không giải mã được các ký tự"),
    (b"\xff\xfe" + "<table><tr><td>".encode("utf-16-le") + b"\x00\xd8<\x00", "không giải mã được các ký tự"),
    (b"<table><tr><td>\x81\x8d\x90</td></tr></table>", "không giải mã được các ký tự"),
])
def test_unreadable(data, detail):
    error = refused(data)
    assert error.message == (f"Tệp “bao_cao.xls” không đọc được như một bảng HTML ({detail}). Hãy mở tệp bằng Excel, "
                             "lưu lại dạng .xlsx (Tệp › Lưu thành › Excel Workbook) rồi tải lên tệp mới.")


def test_a_page_without_a_table():
    login = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Đăng nhập - Hệ thống một cửa điện tử</title>'
             '</head><body><form method="post"><input name="username"></form></body></html>').encode("utf-8")
    for data in (login, table("<table><tr><td>&nbsp;</td></tr></table>")):
        error = refused(data)
        assert error.message.startswith("Tệp “bao_cao.xls” là trang web (HTML) nhưng không có bảng số liệu nào.")
    with pytest.raises(WorkbookRefused) as info:
        read_html_tables(login)
    assert info.value.findings.errors[0].message.startswith("Tệp là trang web (HTML)")


def test_no_network_and_no_entities():
    data = (b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<html><body><table><tr><td>&xxe;</td><td><img src="http://127.0.0.1:1/x.png">a</td></tr>'
            b'</table></body></html>')
    _, rows, _ = one(data)
    assert "root:" not in str(rows)
    assert rows[0][1] == "a"


# ---------------------------------------------------------------------------------------------------------------
# Size
# ---------------------------------------------------------------------------------------------------------------

def test_a_5_mb_export_reads_in_seconds():
    head, _, _ = BIEU_06.partition("<tr>\n    <td align=\"center\">1</td>")
    # as ASP.NET's GridView.RenderControl writes it: a style on every cell
    cell = '<td style="border:.5pt solid windowtext;font-family:\'Times New Roman\';text-align:{align}"{attr}>{v}</td>'
    row = ("<tr>" + cell.format(align="center", attr="", v="{i}")
           + cell.format(align="left", attr="", v="Ủy ban nhân dân xã Tân Thạnh Đông {i}")
           + cell.format(align="right", attr=' x:num="{t}"', v="{t}")
           + cell.format(align="right", attr="", v="{a}") + cell.format(align="right", attr="", v="{b}")
           + cell.format(align="right", attr=' class="text"', v="1.{i:03d}")
           + cell.format(align="right", attr="", v="{a}") + cell.format(align="right", attr="", v="0") + "</tr>\n")
    body = "".join(row.format(i=i % 1000, t=i + 20, a=i, b=20) for i in range(6_500))
    data = (head + body + "</table></body></html>").encode("utf-8")
    assert len(data) > 5 * 1024 * 1024
    start = time.perf_counter()
    _, rows, merged = one(data)
    elapsed = time.perf_counter() - start
    assert elapsed < 4, elapsed
    assert len(rows) == 4 + 6_500 and all(len(r) == 8 for r in rows)
    assert rows[4] == [0, "Ủy ban nhân dân xã Tân Thạnh Đông 0", 20, 0, 20, "1.000", 0, 0]
    assert rows[-1][:3] == [499, "Ủy ban nhân dân xã Tân Thạnh Đông 499", 6_519]
    assert merged == BIEU_06_MERGED[:5]


def test_zip_is_not_read_as_html():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("a.html", "<table><tr><td>1</td></tr></table>")
    assert not looks_like_html(buffer.getvalue())
