"""An HTML table saved as .xls (the "Xuất Excel" of many one-stop systems) is read like a workbook: the same header
search, checks, figures and messages, whatever its text encoding."""

from __future__ import annotations

import pytest

from cchc.ingest import check_file

EXPORT = """<html xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset={charset}">
<style>td {{ mso-number-format:"\\@"; }}</style></head><body>
<table border="1">
<tr><td colspan="12"><b>BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC</b><br>Kỳ báo cáo: Tháng 02 năm 2019</td></tr>
<tr><th rowspan="2">STT</th><th rowspan="2">Đơn vị</th><th colspan="3">Số hồ sơ nhận giải quyết</th>
    <th colspan="4">Số hồ sơ đã giải quyết</th><th colspan="3">Số hồ sơ đang giải quyết</th></tr>
<tr><th>Tổng số</th><th>Trực tuyến</th><th>Từ kỳ trước</th><th>Tổng số</th><th>Trước hạn</th><th>Đúng hạn</th>
    <th>Quá hạn</th><th>Tổng số</th><th>Trong hạn</th><th>Quá hạn</th></tr>
<tr><td>1</td><td>Phòng Tư pháp</td><td x:num="1234">1.234</td><td>200</td><td>34</td><td x:num>1.200</td>
    <td>100</td><td>1.090</td><td>10</td><td>34</td><td>30</td><td>4</td></tr>
<tr><td>2</td><td>UBND xã&nbsp;Ia Tul</td><td>12</td><td>2</td><td>0</td><td>12</td><td>0</td><td>12</td><td>0</td>
    <td>0</td><td>0</td><td>0</td></tr>
</table></body></html>"""


TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: a letter with its vowel mark as one byte (ô, ư), the tone
    as a combining mark after it."""
    import unicodedata

    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (letter + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return out


@pytest.mark.parametrize("charset, codec", [("utf-8", "utf-8"), ("utf-8", "utf-8-sig"), ("utf-16", "utf-16"),
                                             ("windows-1258", "cp1258")])
def test_an_html_export_reads_every_figure(charset, codec):
    text = EXPORT.format(charset=charset)
    data = _cp1258(text) if codec == "cp1258" else text.encode(codec)
    result = check_file(data, "bieu06_thang02.xls")
    assert result.ok, result.findings.errors
    records = result.stats.records.set_index("unit")
    assert records.loc["Phòng Tư pháp", "period"] == "2019-02"
    assert records.loc["Phòng Tư pháp", ["received_total", "received_online", "received_carried"]].tolist() == \
        [1234, 200, 34]
    assert records.loc["Phòng Tư pháp", ["resolved_total", "resolved_early", "resolved_on_time",
                                         "resolved_late"]].tolist() == [1200, 100, 1090, 10]
    assert records.loc["UBND xã Ia Tul", "received_total"] == 12
    assert result.findings.warnings[0].message == (
        "Tệp là trang web (HTML) được đặt tên như tệp Excel, như nhiều phần mềm một cửa xuất ra; đã đọc 1 bảng "
        "trong trang (Bảng 1).")


def test_a_bad_figure_in_an_html_export_is_located_like_in_a_workbook():
    text = EXPORT.format(charset="utf-8").replace("<td>2</td><td>0</td><td>12</td>", "<td>2</td><td>0</td><td>mười</td>")
    result = check_file(text.encode(), "bieu06.xls")
    assert not result.ok
    error = result.findings.errors[0]
    assert (error.sheet, error.row, error.column) == ("Bảng 1", 5, "Số hồ sơ đã giải quyết › Tổng số")
    assert error.message.startswith("Giá trị “mười” không phải là số hồ sơ")


# A one-stop system's "Xuất Excel" (a React page, ThongKe06 "các cấp"): the title and "Kỳ báo cáo" in a table of
# their own above the table of figures (id="tableToExcel"), group rows by level, a download stamp in the file name.
TITLE_APART = """<html><head><meta charset="utf-8"></head><body>
<table><tr><td colspan="13"><b>TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC</b></td></tr>
<tr><td colspan="13">Kỳ báo cáo: Tháng 03 năm 2019 (Từ ngày 01/03/2019 đến ngày 31/03/2019)</td></tr>
<tr><td colspan="13">Đơn vị tính: Số hồ sơ TTHC</td></tr></table>
<table id="tableToExcel"><thead>
<tr><td rowspan="3"><strong>STT</strong></td><td rowspan="3"><strong>Lĩnh vực, công việc giải quyết theo cấp</strong></td>
<td colspan="4"><strong>Số hồ sơ nhận giải quyết</strong></td><td colspan="4"><strong>Số hồ sơ đã giải quyết</strong></td>
<td colspan="3"><strong>Số lượng hồ sơ đang giải quyết</strong></td></tr>
<tr><td rowspan="2"><strong>Tổng số</strong></td><td colspan="2"><strong>Trong đó</strong></td><td rowspan="2"><strong>Từ kỳ trước</strong></td>
<td rowspan="2"><strong>Tổng số</strong></td><td rowspan="2"><strong>Trước hạn</strong></td><td rowspan="2"><strong>Đúng hạn</strong></td><td rowspan="2"><strong>Quá hạn</strong></td>
<td rowspan="2"><strong>Tổng số</strong></td><td rowspan="2"><strong>Trong hạn</strong></td><td rowspan="2"><strong>Quá hạn</strong></td></tr>
<tr><td><strong>Trực tuyến</strong></td><td><strong>Trực tiếp, dịch vụ bưu chính</strong></td></tr></thead><tbody><tr><td></td><td><b>Xã, phường, thị trấn</b></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td></tr><tr><td>1</td><td>UBND xã Ia Kdăm</td><td>30</td><td>5</td><td>20</td><td>5</td><td>26</td><td>4</td><td>20</td><td>2</td><td>4</td><td>3</td><td>1</td></tr><tr><td>2</td><td>UBND xã Ia Tul</td><td>18</td><td>2</td><td>14</td><td>2</td><td>16</td><td>2</td><td>13</td><td>1</td><td>2</td><td>2</td><td>0</td></tr></tbody></table></body></html>"""


def test_a_title_in_a_table_of_its_own_heads_the_table_of_figures():
    result = check_file(TITLE_APART.encode("utf-8"), "ThongKe06_CacCap_20190405_101530.xls")
    assert result.ok, [e.message for e in result.findings.errors]
    assert sorted(result.stats.records["period"].unique()) == ["2019-03"]  # from the title table, never the download stamp (2019-04)
    by_unit = result.stats.records.set_index("unit")
    assert by_unit.loc["UBND xã Ia Kdăm", ["received_total", "received_online", "received_direct", "received_carried",
                                             "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
                                             "pending_total", "pending_in_time", "pending_overdue"]].tolist() == [
        30, 5, 20, 5, 26, 4, 20, 2, 4, 3, 1]
    assert int(by_unit.loc["UBND xã Ia Tul", "received_total"]) == 18
