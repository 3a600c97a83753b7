"""The QĐ 766 score reader (cchc.read.index766): the portal's layouts (full names, codes, no diacritics, a group label
over the groups, periods from a column, the title, the sheet name), every check, the template, and telling the kind
of a workbook. Expected values are worked out by hand in each test."""

import datetime as dt
import math

import openpyxl
import pytest
from support import DATA, SheetSpec, book, make_registry

from cchc.ingest import CheckResult, apply_index766_maxima, check_file
from cchc.read.index766 import RECORD_COLUMNS, read_index766
from cchc.sample.index766 import TEMPLATE_FILE, build_index766_template

LABELS = ["Công khai, minh bạch (18 điểm)", "Tiến độ giải quyết (20 điểm)", "Dịch vụ công trực tuyến (12 điểm)",
          "Thanh toán trực tuyến (10 điểm)", "Mức độ hài lòng (18 điểm)", "Số hóa hồ sơ (22 điểm)"]
HEADER = ["STT", "Tên đơn vị", *LABELS, "Tổng điểm", "Xếp hạng"]
GROUPS = ["ckmb", "tdgq", "dvctt", "tttt", "mdhl", "mdsh"]
ALL_CODES = ["CKMB", "TDGQ", "DVCTT", "TTTT", "MDHL", "MDSH"]
TITLE = "Kỳ đánh giá: Tháng 6 năm 2025"


def read(*sheets: SheetSpec, filename="diem.xlsx", **kwargs):
    return read_index766(book(*sheets), filename, make_registry(), **kwargs)


def flat(rows, title=TITLE, header=None, name="Điểm") -> SheetSpec:
    """A title line, a blank line, the header on row 3, the rows from row 4."""
    return SheetSpec(name, [[title], [], list(header or HEADER), *[list(r) for r in rows]])


def located(findings) -> list[tuple]:
    return [(f.sheet, f.row, f.column, f.message) for f in findings]


def scores(result, unit) -> dict:
    row = result.records[result.records["unit"] == unit].iloc[0]
    return {f: row[f] for f in (*GROUPS, "total", "rank")}


def assert_clean(result):
    assert result.findings.errors == [], [f.located() for f in result.findings.errors]
    assert result.findings.warnings == [], [f.located() for f in result.findings.warnings]


# ---------------------------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------------------------

def test_portal_table_with_full_names_groups_of_units_and_a_signature():
    rows = [[("BẢNG TỔNG HỢP ĐIỂM BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (Quyết định số 766/QĐ-TTg ngày "
              "23/6/2022 của Thủ tướng Chính phủ)")], [TITLE], [], HEADER,
            ["I", "Cấp huyện"],
            [1, "Phòng Tư pháp", "17,5", 19.25, 10, 8.5, 17, "20,5", 92.75, 2],
            [2, "Phòng Nội vụ huyện", 18, 20, 12, 10, 18, 22, 100, 1],
            ["II", "Cấp xã"],
            [1, "Xã Ia Tul", 15, 16.5, 9, 7.25, 16, 18.75, 82.5, 3],
            [None, "Trung bình", 16.83, 18.58, 10.33, 8.58, 17, 20.42, 91.75],
            ["Tổng cộng", None, 50.5, 55.75, 31, 25.75, 51, 61.25, 275.25],
            [], [None, "Người lập biểu", None, None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
            [None, "Trần Văn B", 99]]
    result = read(SheetSpec("Bảng điểm", rows))
    assert_clean(result)
    assert result.ok and list(result.records.columns) == list(RECORD_COLUMNS)
    assert result.codes == ALL_CODES and result.periods() == ["2025-06"]
    records = result.records
    assert records["unit"].tolist() == ["Phòng Tư pháp", "Phòng Nội vụ", "UBND xã Ia Tul"]  # the registry's names
    assert records["level"].tolist() == ["huyện", "huyện", "xã"]
    assert records["row"].tolist() == [6, 7, 9] and set(records["sheet"]) == {"Bảng điểm"}
    assert records[["year", "month", "end_month"]].values.tolist() == [[2025, 6, 6]] * 3
    assert scores(result, "Phòng Tư pháp") == {"ckmb": 17.5, "tdgq": 19.25, "dvctt": 10, "tttt": 8.5, "mdhl": 17,
                                               "mdsh": 20.5, "total": 92.75, "rank": 2}
    assert scores(result, "UBND xã Ia Tul") == {"ckmb": 15, "tdgq": 16.5, "dvctt": 9, "tttt": 7.25, "mdhl": 16,
                                                "mdsh": 18.75, "total": 82.5, "rank": 3}


def test_the_decisions_citation_in_the_title_line_is_no_period_and_hides_none():
    title = "KẾT QUẢ ĐÁNH GIÁ THEO QUYẾT ĐỊNH SỐ 766/QĐ-TTG NGÀY 23/6/2022 THÁNG 5 NĂM 2025"
    result = read(flat([[1, "Phòng Tư pháp", 18, 20, 12, 10, 18, 22, 100, 1]], title=title))
    assert_clean(result)
    assert result.periods() == ["2025-05"]


def test_portal_codes_sheet_name_period_and_text_figures_with_points():
    header = ["ROW_STT", "TEN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH", "TONG_SCORE"]
    rows = [header, ["1", "Phòng Tư pháp", "17.50", "19.25", "10.00", "8.50", "17.00", "20.50", "92.75"],
            ["2", "UBND xã Chư Răng", "16", "18", "11", "9", "15", "19", "88"]]
    result = read(SheetSpec("T06-2025", rows))
    assert result.ok and result.periods() == ["2025-06"] and result.codes == ALL_CODES
    assert scores(result, "Phòng Tư pháp") == {"ckmb": 17.5, "tdgq": 19.25, "dvctt": 10, "tttt": 8.5, "mdhl": 17,
                                               "mdsh": 20.5, "total": 92.75, "rank": pytest.approx(math.nan,
                                                                                              nan_ok=True)}
    assert result.records.loc[1, "level"] == "xã"
    # the two codes public exports use inconsistently: read as the vocabulary says, each said once, on its column
    assert [(f.sheet, f.row, f.column) for f in result.findings.warnings] == [("T06-2025", 1, "CLGQ"),
                                                                              ("T06-2025", 1, "TTTT")]
    assert "“Dịch vụ công trực tuyến” (tối đa 12 điểm)" in result.findings.warnings[0].message
    assert "“Thanh toán trực tuyến” (tối đa 10 điểm)" in result.findings.warnings[1].message


def test_a_label_decides_over_the_code_it_is_typed_with():
    header = ["Đơn vị", "Công khai, minh bạch (CKMB)", "Tiến độ giải quyết (TDGQ)", "Thanh toán trực tuyến (CLGQ)",
              "Dịch vụ công trực tuyến (TTTT)", "Tổng điểm"]
    result = read(flat([["Phòng Tư pháp", 18, 20, 9, 11.5, 58.5]], header=header))
    assert_clean(result)
    assert scores(result, "Phòng Tư pháp")["tttt"] == 9 and scores(result, "Phòng Tư pháp")["dvctt"] == 11.5
    assert result.codes == ["CKMB", "TDGQ", "DVCTT", "TTTT"]


def test_headers_without_diacritics_and_a_period_column_of_months_quarters_and_years():
    header = ["Don vi", "Ky danh gia", "cong khai, minh bach", "tien do giai quyet", "dich vu cong truc tuyen",
              "thanh toan truc tuyen", "muc do hai long", "so hoa ho so", "tong diem"]
    figures = [18, 20, 12, 10, 18, 22, 100]
    periods = ["Quý II/2025", "Năm 2025", "06/2025", "6 tháng đầu năm 2025", dt.datetime(2025, 5, 1), 2024,
               "Tháng 7 năm 2025"]
    rows = [["Phòng Tư pháp", period, *figures] for period in periods]
    result = read(SheetSpec("Sheet1", [header, *rows]))
    assert_clean(result)
    assert result.records["period"].tolist() == ["2025-04..2025-06", "2025-01..2025-12", "2025-06",
                                                 "2025-01..2025-06", "2025-05", "2024-01..2024-12", "2025-07"]
    assert result.records[["month", "end_month"]].values.tolist() == [[4, 6], [1, 12], [6, 6], [1, 6], [5, 5],
                                                                      [1, 12], [7, 7]]


@pytest.mark.parametrize("merged", [True, False])
def test_a_group_label_over_the_groups_a_numbering_row_and_a_quarter_in_the_sheet_name(merged):
    """Merged as Excel exports it, or typed once with no merge (HTML pages, copies)."""
    top = ["STT", "Cơ quan, đơn vị", "Điểm các nhóm chỉ số", None, None, None, None, None, "Tổng điểm", "Xếp hạng"]
    sub = [None, None, "Công khai", "Tiến độ", "DVC trực tuyến", "Thanh toán", "Hài lòng", "Số hóa"]
    numbering = [f"({i})" for i in range(1, 11)]
    rows = [top, sub, numbering, [1, "UBND xã Kim Tân", 17, 18, 11, 9, 17, 21, 93, 1]]
    merges = ["A1:A2", "B1:B2", "C1:H1", "I1:I2", "J1:J2"] if merged else []
    result = read(SheetSpec("Quý I-2025", rows, merges))
    assert_clean(result)
    assert result.periods() == ["2025-01..2025-03"]
    assert scores(result, "UBND xã Kim Tân") == {"ckmb": 17, "tdgq": 18, "dvctt": 11, "tttt": 9, "mdhl": 17,
                                                 "mdsh": 21, "total": 93, "rank": 1}


def test_a_score_and_a_rate_under_each_group_read_the_score_and_leave_the_rate():
    """The groups on the first header row, everything else (the unit too) on the second."""
    top = [None, None, "Công khai, minh bạch", None, "Tiến độ giải quyết"]
    sub = ["Đơn vị", "Kỳ", "Điểm", "Tỷ lệ (%)", "Điểm", "Tỷ lệ (%)", "Tổng điểm"]
    rows = [top, sub, ["Phòng Tư pháp", "06/2025", 9, 50, 15, 75, 60]]
    result = read(SheetSpec("Sheet1", rows, ["C1:D1", "E1:F1"]))
    assert_clean(result)  # the rates are recognised, not reported as columns nobody reads
    assert scores(result, "Phòng Tư pháp")["ckmb"] == 9 and scores(result, "Phòng Tư pháp")["tdgq"] == 15
    assert math.isnan(scores(result, "Phòng Tư pháp")["dvctt"])  # not in the file: not a made-up 0
    assert result.codes == ["CKMB", "TDGQ"]


def test_a_quarter_column_and_a_year_column():
    header = ["Tên đơn vị", "Quý", "Năm", *LABELS, "Tổng điểm"]
    rows = [["Phòng Tư pháp", "II", 2025, 18, 20, 12, 10, 18, 22, 100],
            ["Phòng Tư pháp", 3, 2025, 17, 20, 12, 10, 18, 22, 99]]
    result = read(SheetSpec("Sheet1", [header, *rows]))
    assert_clean(result)
    assert result.records["period"].tolist() == ["2025-04..2025-06", "2025-07..2025-09"]


def test_the_portals_web_page_saved_as_xls_with_its_title_table_above():
    html = """<html><head><meta charset="utf-8"></head><body>
    <table><tr><td colspan="9">KẾT QUẢ ĐÁNH GIÁ BỘ CHỈ SỐ 766 - THÁNG 6 NĂM 2025</td></tr></table>
    <table border="1">
    <tr><th rowspan="2">STT</th><th rowspan="2">Tên đơn vị</th><th colspan="6">Điểm các nhóm chỉ số</th>
        <th rowspan="2">Tổng điểm</th></tr>
    <tr><th>Công khai, minh bạch</th><th>Tiến độ giải quyết</th><th>Dịch vụ công trực tuyến</th>
        <th>Thanh toán trực tuyến</th><th>Mức độ hài lòng</th><th>Số hóa hồ sơ</th></tr>
    <tr><td>1</td><td>Phòng Tư pháp</td><td>17,5</td><td>19,25</td><td>10</td><td>8,5</td><td>17</td><td>20,5</td>
        <td>92,75</td></tr>
    </table></body></html>"""
    result = check_file(html.encode("utf-8"), "ket_qua_766.xls", make_registry())
    assert result.kind == "index766" and result.ok and result.findings.errors == []
    assert result.index766.periods() == ["2025-06"] and result.index766.codes == ALL_CODES
    assert scores(result.index766, "Phòng Tư pháp") == {"ckmb": 17.5, "tdgq": 19.25, "dvctt": 10, "tttt": 8.5,
                                                        "mdhl": 17, "mdsh": 20.5, "total": 92.75,
                                                        "rank": pytest.approx(math.nan, nan_ok=True)}


def test_the_period_in_the_file_name_when_nothing_else_states_one():
    result = read(flat([[1, "Phòng Tư pháp", 18, 20, 12, 10, 18, 22, 100, 1]], title="BẢNG ĐIỂM"),
                  filename="diem_766_thang_04_2025.xlsx")
    assert_clean(result)
    assert result.periods() == ["2025-04"]


# ---------------------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------------------

MAXIMA = {"ckmb": 18, "tdgq": 20, "dvctt": 12, "tttt": 10, "mdhl": 18, "mdsh": 22}  # QĐ 766, written out here


@pytest.mark.parametrize("group", GROUPS)
def test_a_group_above_its_maximum_is_a_located_error_and_its_maximum_is_fine(group):
    index = GROUPS.index(group)
    at_max = [MAXIMA[g] for g in GROUPS]
    above = list(at_max)
    above[index] = MAXIMA[group] + 0.25
    rows = [[1, "Phòng Tư pháp", *at_max, 100, 1], [2, "Phòng Nội vụ", *above, 100.25, 2]]
    result = read(flat(rows))
    label = {"ckmb": "Công khai, minh bạch", "tdgq": "Tiến độ giải quyết", "dvctt": "Dịch vụ công trực tuyến",
             "tttt": "Thanh toán trực tuyến", "mdhl": "Mức độ hài lòng", "mdsh": "Số hóa hồ sơ"}[group]
    written = {18: "18,25", 20: "20,25", 12: "12,25", 10: "10,25", 22: "22,25"}[MAXIMA[group]]
    assert located(result.findings.errors) == [
        ("Điểm", 5, LABELS[index], f"Điểm nhóm “{label}” là {written}, vượt điểm tối đa {MAXIMA[group]} của nhóm."),
        ("Điểm", 5, "Tổng điểm", "Tổng điểm 100,25 vượt tổng điểm tối đa 100 của sáu nhóm chỉ số.")]
    assert not result.ok


def test_the_checks_use_the_maxima_given_and_ingest_redoes_them_with_other_maxima():
    rows = [[1, "Phòng Tư pháp", 18.5, 20, 12, 10, 18, 22, 100.5, 1]]
    data = book(flat(rows))
    raised = {**MAXIMA, "ckmb": 19}
    assert read(flat(rows)).findings.errors[0].message.startswith("Điểm nhóm “Công khai, minh bạch” là 18,5")
    assert read(flat(rows), maxima=raised).ok  # 18,5 of 19; the total 100,5 of 101
    lowered = {**MAXIMA, "ckmb": 15}
    result = check_file(data, "diem.xlsx", make_registry(), maxima=raised)
    assert result.kind == "index766" and result.ok
    redone = apply_index766_maxima(result, lowered)
    assert located(redone.findings.errors) == [
        ("Điểm", 4, LABELS[0], "Điểm nhóm “Công khai, minh bạch” là 18,5, vượt điểm tối đa 15 của nhóm."),
        ("Điểm", 4, "Tổng điểm", "Tổng điểm 100,5 vượt tổng điểm tối đa 97 của sáu nhóm chỉ số.")]
    assert not redone.ok and result.ok  # a new result; the one checked before is left as it was
    assert apply_index766_maxima(redone, raised).ok  # and back: the maxima errors are replaced, not added to


@pytest.mark.parametrize(("total", "kind"), [(92.76, "warning"), (92.74, "warning"), (92.77, "error"),
                                             (90, "error")])
def test_a_total_that_is_not_the_sum_of_its_groups(total, kind):
    rows = [[1, "Phòng Tư pháp", 17.5, 19.25, 10, 8.5, 17, 20.5, total, 1]]  # the groups sum to 92,75
    result = read(flat(rows))
    findings = result.findings.warnings if kind == "warning" else result.findings.errors
    assert len(findings) == 1 and (findings[0].sheet, findings[0].row, findings[0].column) == ("Điểm", 4,
                                                                                               "Tổng điểm")
    total_text = str(total).replace(".", ",")
    assert findings[0].message.startswith(f"Tổng điểm {total_text} khác tổng sáu nhóm chỉ số "
                                          "17,5 + 19,25 + 10 + 8,5 + 17 + 20,5 = 92,75")
    assert result.ok == (kind == "warning")
    other = result.findings.errors if kind == "warning" else result.findings.warnings
    assert other == []


def test_a_total_below_the_groups_it_has_is_an_error():
    header = ["Tên đơn vị", LABELS[0], LABELS[1], "Tổng điểm"]
    result = read(flat([["Phòng Tư pháp", 18, 20, 30]], header=header))
    assert located(result.findings.errors) == [
        ("Điểm", 4, "Tổng điểm", "Tổng điểm 30 nhỏ hơn tổng các nhóm có trong bảng (38).")]


def test_no_total_column_the_total_is_the_sum_of_the_six_groups_and_said_so():
    header = ["STT", "Tên đơn vị", *LABELS]
    result = read(flat([[1, "Phòng Tư pháp", 17.5, 19.25, 10, 8.5, 17, 20.5]], header=header))
    assert result.ok and scores(result, "Phòng Tư pháp")["total"] == 92.75
    assert located(result.findings.warnings) == [
        ("Điểm", 3, None, "Bảng không có cột “Tổng điểm”; tổng điểm của mỗi dòng được tính bằng tổng sáu nhóm chỉ số.")]


def test_figures_that_are_not_scores_negative_scores_and_bad_ranks_are_located_errors():
    rows = [[1, "Phòng Tư pháp", "mười tám", 20, 12, 10, 18, 22, 100, 1],
            [2, "Phòng Nội vụ", 18, -1, 12, 10, 18, 22, 79, "nhất"],
            [3, "UBND xã Ia Tul", 18, 20, 12, 10, 18, 22, 100, "2/63"]]
    result = read(flat(rows))
    assert located(result.findings.errors) == [
        ("Điểm", 4, LABELS[0], "“mười tám” không phải là điểm số (ghi dạng 17,5 hoặc 17.5)."),
        ("Điểm", 5, LABELS[1], "Điểm không được âm (-1)."),
        ("Điểm", 5, "Xếp hạng", "Xếp hạng “nhất” không hợp lệ (ghi số thứ hạng, ví dụ 3).")]
    assert scores(result, "UBND xã Ia Tul")["rank"] == 2  # "2/63": second of 63


def test_a_column_with_figures_nobody_reads_is_named_and_a_rate_column_is_not():
    header = [*HEADER, "Điểm thưởng", "Tỷ lệ hài lòng (%)"]
    result = read(flat([[1, "Phòng Tư pháp", 18, 20, 12, 10, 18, 22, 100, 1, 2, 95]], header=header))
    assert result.ok
    assert [(f.row, f.column) for f in result.findings.warnings] == [(3, "Điểm thưởng")]
    assert result.findings.warnings[0].message.startswith("Cột K “Điểm thưởng” có số liệu nhưng phần mềm không biết")


def test_units_through_the_registry_unknown_ones_kept_with_a_warning_and_the_level_of_their_group():
    rows = [["II", "Cấp xã"], [1, "Ia Tul", 18, 20, 12, 10, 18, 22, 100, 1],
            [2, "UBND xã Ia Lạ", 17, 20, 12, 10, 18, 22, 99, 2]]
    result = read(flat(rows))
    assert result.ok
    assert result.records[["unit", "level"]].values.tolist() == [["UBND xã Ia Tul", "xã"], ["UBND xã Ia Lạ", "xã"]]
    assert located(result.findings.warnings) == [
        ("Điểm", 6, "Tên đơn vị", ("Đơn vị “UBND xã Ia Lạ” không có trong danh mục đơn vị; tên được giữ như đã "
                                 "ghi. Kiểm tra lại tên đơn vị hoặc bổ sung đơn vị vào danh mục."))]


def test_the_same_unit_and_period_twice_is_an_error_a_month_and_its_quarter_are_not():
    header = ["Đơn vị", "Kỳ", *LABELS, "Tổng điểm"]
    figures = [18, 20, 12, 10, 18, 22, 100]
    rows = [["Phòng Tư pháp", "06/2025", *figures], ["Phòng Tư pháp", "Quý II/2025", *figures],
            ["Phòng Tư pháp huyện", "Tháng 6/2025", *figures]]
    result = read(SheetSpec("Sheet1", [header, *rows]))
    assert located(result.findings.errors) == [
        ("Sheet1", 4, "Đơn vị", "Đơn vị “Phòng Tư pháp” có hai dòng điểm cho kỳ 06/2025: đã có ở dòng 2.")]


def test_no_period_anywhere_is_refused_and_a_named_period_is_used_with_a_warning():
    sheet = flat([[1, "Phòng Tư pháp", 18, 20, 12, 10, 18, 22, 100, 1]], title="BẢNG ĐIỂM", name="Sheet1")
    refused = read(sheet)
    assert [(f.sheet, f.row) for f in refused.findings.errors] == [("Sheet1", 3)]
    assert refused.findings.errors[0].message.startswith("Không xác định được kỳ đánh giá (tháng, quý hay năm)")
    assert refused.period_missing == ["Sheet1"] and refused.records.empty
    named = read(sheet, period=(2025, 4, 6))
    assert named.ok and named.periods() == ["2025-04..2025-06"]
    assert located(named.findings.warnings) == [
        ("Sheet1", 3, None, "Tệp không ghi kỳ đánh giá; dùng kỳ người nhập đã chọn: tháng 04–06/2025.")]
    clash = read(flat([[1, "Phòng Tư pháp", 18, 20, 12, 10, 18, 22, 100, 1]]), period=(2025, 5))
    assert located(clash.findings.errors) == [
        ("Điểm", 1, "A", ("Tệp ghi kỳ tháng 06/2025 nhưng kỳ đã chọn là tháng 05/2025. Hãy bỏ chọn kỳ, hoặc kiểm "
                          "tra lại tệp."))]


def test_a_table_without_a_unit_column_names_it():
    header = ["STT", *LABELS, "Tổng điểm"]
    result = read(flat([[1, 18, 20, 12, 10, 18, 22, 100]], header=header))
    assert located(result.findings.errors) == [
        ("Điểm", 3, None, "Thiếu cột tên đơn vị (“Tên đơn vị”, “Đơn vị”, “Cơ quan, đơn vị” hoặc “Tỉnh/Thành phố”).")]


# ---------------------------------------------------------------------------------------------------------------
# The kind of a workbook, and the template
# ---------------------------------------------------------------------------------------------------------------

def test_score_files_are_told_from_the_other_kinds():
    data = book(flat([[1, "Phòng Tư pháp", 18, 20, 12, 10, 18, 22, 100, 1]]))
    result = check_file(data, "diem.xlsx", make_registry())
    assert isinstance(result, CheckResult) and result.kind == "index766" and result.ok
    assert result.as_dict()["index766"] == {"units": 1, "periods": ["2025-06"], "groups": ALL_CODES}
    shipped = {"thong_ke_2019_minh_hoa.xlsx": "stats", "thong_ke_2019_minh_hoa_mau.xlsx": "stats",
               "mau_thong_ke.xlsx": "stats", "thu_tuc_2019_minh_hoa.xlsx": "procedures",
               "tien_do_2019_minh_hoa.xlsx": "progress", "ke_hoach_75_2019.xlsx": "plan"}
    for name, kind in shipped.items():
        assert check_file((DATA / name).read_bytes(), name).kind == kind, name


def test_the_shipped_template_is_the_one_the_code_builds_and_reads_as_an_empty_score_table(tmp_path):
    def cells(data: bytes) -> dict:
        path = tmp_path / "x.xlsx"
        path.write_bytes(data)
        wb = openpyxl.load_workbook(path)
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}

    built = build_index766_template()
    assert cells(built) == cells(TEMPLATE_FILE.read_bytes())
    sheet = openpyxl.load_workbook(TEMPLATE_FILE).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Tên đơn vị", "Kỳ đánh giá", "Công khai, minh bạch", "Tiến độ giải quyết",
                                           "Dịch vụ công trực tuyến", "Thanh toán trực tuyến", "Mức độ hài lòng",
                                           "Số hóa hồ sơ", "Tổng điểm", "Xếp hạng"]
    result = check_file(built, TEMPLATE_FILE.name)
    assert result.kind == "index766" and result.ok and result.index766.codes == ALL_CODES
    assert result.index766.records.empty
