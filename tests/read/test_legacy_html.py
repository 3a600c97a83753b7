"""An HTML table saved as .xls by a one-stop system, typed in TCVN3 (ABC): its text is converted to Unicode like a
workbook's, and the user is told both that the file is a web page and which encoding it was typed in."""

from __future__ import annotations

from cchc.read.grid import load_workbook

# "Tên đơn vị", "Tổng số hồ sơ tiếp nhận", "UBND xã Ia Tul" as TCVN3 types them, saved as windows-1252 bytes
PAGE = ("<html><head><meta charset=\"windows-1252\"></head><body><table>"
        "<tr><td>Tªn ®¬n vÞ</td><td>Tæng sè hå s¬ tiÕp nhËn</td></tr>"
        "<tr><td>UBND x· Ia Tul</td><td>12</td></tr></table></body></html>").encode("cp1252")


def test_an_html_table_typed_in_tcvn3_is_read_in_unicode():
    workbook = load_workbook(PAGE, "bieu06_thang01.xls")
    assert [s.name for s in workbook.sheets] == ["Bảng 1"]
    assert workbook.sheets[0].rows == [["Tên đơn vị", "Tổng số hồ sơ tiếp nhận"], ["UBND xã Ia Tul", 12]]
    assert workbook.notices() == [
        (("Tệp là trang web (HTML) được đặt tên như tệp Excel, như nhiều phần mềm một cửa xuất ra; đã đọc 1 bảng "
         "trong trang (Bảng 1)."), None),
        (("Sheet “Bảng 1” được gõ bằng bảng mã TCVN3 (ABC); chữ đã được chuyển sang Unicode trước khi đọc. Hãy kiểm "
         "tra tên đơn vị và tiêu đề cột trong kết quả."), "Bảng 1")]
