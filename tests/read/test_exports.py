"""Statistics laid out as other one-stop systems and portals export them: their vocabularies, totals derived from
their parts (and said so), ratio and "SL" sub-columns, negations. Every expected figure is worked out by hand from
the rows written here."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from cchc.ingest import check_file
from tests.support import SheetSpec, book

TITLE = "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ TTHC - Tháng 01 năm 2019"


def export(columns: list[tuple[str, list[str] | None]], rows: list[list], name="Báo cáo") -> bytes:
    """A title line, a blank line, a two-row header (a group label merged over its sub-columns; a column without
    sub-columns merged down), then the data rows."""
    top, sub, merges = [], [], []
    for label, children in columns:
        start = len(top) + 1
        if children:
            top += [label] + [None] * (len(children) - 1)
            sub += children
            if len(children) > 1:
                merges.append(f"{get_column_letter(start)}3:{get_column_letter(start + len(children) - 1)}3")
        else:
            top.append(label)
            sub.append(None)
            merges.append(f"{get_column_letter(start)}3:{get_column_letter(start)}4")
    return book(SheetSpec(name, [[TITLE], [], top, sub, *rows], merges))


def figures_of(result, unit: str) -> dict:
    records = result.stats.records
    row = records[records["unit"] == unit]
    assert len(row) == 1, records["unit"].tolist()
    return row.iloc[0].to_dict()


def warnings(result) -> list[str]:
    return [w.message for w in result.findings.warnings]


# A provincial public-service portal's per-unit export: "Tiếp nhận › Tổng số / Trong kỳ / Kỳ trước chuyển qua",
# "Đã xử lý › Tổng / Sớm hạn / Đúng hạn / Trễ hạn", "Đang xử lý › Tổng / Chưa đến hạn / Đã quá hạn".
PORTAL = [("STT", None), ("Đơn vị", None), ("Tiếp nhận", ["Tổng số", "Trong kỳ", "Kỳ trước chuyển qua"]),
          ("Đã xử lý", ["Tổng", "Sớm hạn", "Đúng hạn", "Trễ hạn"]),
          ("Đang xử lý", ["Tổng", "Chưa đến hạn", "Đã quá hạn"])]


def test_a_portal_export_reads_every_figure_in_its_own_words():
    data = export(PORTAL, [[1, "Phòng Tư pháp", 30, 25, 5, 20, 4, 14, 2, 10, 9, 1],
                           [2, "UBND xã Ia Tul", 12, 12, 0, 12, 0, 12, 0, 0, 0, 0]])
    result = check_file(data, "bao-cao.xlsx")
    assert result.ok, result.findings.errors
    got = figures_of(result, "Phòng Tư pháp")
    assert (got["received_total"], got["received_carried"]) == (30, 5)  # "Trong kỳ" (25 new) is not the total
    assert (got["resolved_total"], got["resolved_early"], got["resolved_on_time"], got["resolved_late"]) == \
        (20, 4, 14, 2)
    assert (got["pending_total"], got["pending_in_time"], got["pending_overdue"]) == (10, 9, 1)
    assert not [m for m in warnings(result) if "không biết cột này" in m]  # every column understood
    assert result.as_dict()["derived"] == []


def test_a_bare_intake_column_is_the_new_dossiers_when_a_total_is_there_whatever_the_order():
    columns = [("Đơn vị", None), ("Kỳ trước chuyển qua", None), ("Tiếp nhận", None), ("Tổng số tiếp nhận", None),
               ("Đã giải quyết", None), ("Đúng hạn", None), ("Quá hạn", None)]
    result = check_file(export(columns, [["Phòng Tư pháp", 5, 25, 30, 20, 18, 2]]), "t.xlsx")
    assert result.ok, result.findings.errors
    got = figures_of(result, "Phòng Tư pháp")
    assert got["received_total"] == 30 and got["received_carried"] == 5


def test_a_bare_intake_column_alone_is_the_received_total():
    columns = [("Đơn vị", None), ("Tiếp nhận", None), ("Đã giải quyết", None), ("Đúng hạn", None), ("Quá hạn", None)]
    result = check_file(export(columns, [["Phòng Tư pháp", 30, 20, 18, 2]]), "t.xlsx")
    assert result.ok, result.findings.errors
    assert figures_of(result, "Phòng Tư pháp")["received_total"] == 30


def test_missing_totals_are_derived_from_their_parts_and_said_once():
    columns = [("STT", None), ("Đơn vị", None), ("Số mới tiếp nhận", ["Trực tuyến", "Trực tiếp"]),
               ("Số kỳ trước chuyển qua", None), ("Đã giải quyết", ["Sớm", "Đúng", "Trễ"]),
               ("Đang giải quyết", ["Trong hạn", "Quá hạn"])]
    rows = [[1, "Phòng Tư pháp", 10, 15, 5, 4, 14, 2, 9, 1],
            [2, "Phòng Nội vụ", 1, 2, 0, 0, 3, 0, 0, 0]]
    data = export(columns, rows)
    result = check_file(data, "t.xlsx")
    assert result.ok, result.findings.errors
    got = figures_of(result, "Phòng Tư pháp")
    assert got["received_online"] == 10 and got["received_direct"] == 15 and got["received_carried"] == 5
    assert got["received_total"] == 10 + 15 + 5
    assert got["resolved_total"] == 4 + 14 + 2
    assert got["pending_total"] == 9 + 1
    other = figures_of(result, "Phòng Nội vụ")
    assert (other["received_total"], other["resolved_total"], other["pending_total"]) == (3, 3, 0)
    said = [m for m in warnings(result) if m.startswith("Tệp không có cột")]
    assert said == [
        "Tệp không có cột “Tổng số hồ sơ tiếp nhận”; số liệu này được tính bằng “Số mới tiếp nhận › Trực tuyến” + "
        "“Số mới tiếp nhận › Trực tiếp” + “Số kỳ trước chuyển qua”.",
        "Tệp không có cột “Tổng số hồ sơ đã giải quyết”; số liệu này được tính bằng “Đã giải quyết › Sớm” + "
        "“Đã giải quyết › Đúng” + “Đã giải quyết › Trễ”.",
        "Tệp không có cột “Tổng số hồ sơ đang giải quyết”; số liệu này được tính bằng “Đang giải quyết › Trong hạn” "
        "+ “Đang giải quyết › Quá hạn”."]
    checked = result.as_dict()
    assert checked["derived"] == ["received_total", "resolved_total", "pending_total"]
    assert {"sheet": "Báo cáo", "column": "E", "header": "Số kỳ trước chuyển qua", "field": "received_carried"} in \
        checked["mapping"]
    assert {"sheet": "Báo cáo", "column": "F", "header": "Đã giải quyết › Sớm", "field": "resolved_early"} in \
        checked["mapping"]
    assert not any(m["field"] == "resolved_total" for m in checked["mapping"])


def test_a_derived_total_is_said_once_for_a_workbook_of_many_months():
    specs = []
    for month in (1, 2, 3):
        top = ["Đơn vị", "Tiếp nhận", "Đã giải quyết", None, None]
        sub = [None, None, "Trước hạn", "Đúng hạn", "Quá hạn"]
        specs.append(SheetSpec(f"T{month:02d}", [[f"Tháng {month:02d} năm 2019"], [], top, sub,
                                                 ["Phòng Tư pháp", 6, 1, 4, 1]], ["A3:A4", "B3:B4", "C3:E3"]))
    result = check_file(book(*specs), "quy1.xlsx")
    assert result.ok, result.findings.errors
    assert result.stats.records["resolved_total"].tolist() == [6, 6, 6]
    said = [(w.sheet, w.message) for w in result.findings.warnings if w.message.startswith("Tệp không có cột")]
    assert said == [("T01", "Tệp không có cột “Tổng số hồ sơ đã giải quyết”; số liệu này được tính bằng "
                     "“Trước hạn” + “Đúng hạn” + “Quá hạn” (và 2 sheet khác).")]


def test_a_total_that_disagrees_with_its_parts_stays_a_located_warning():
    data = export(PORTAL, [[1, "Phòng Tư pháp", 30, 25, 5, 21, 4, 14, 2, 9, 9, 0]])  # 4 + 14 + 2 = 20, not 21
    result = check_file(data, "t.xlsx")
    assert result.ok, result.findings.errors
    located = [(w.row, w.column, w.message) for w in result.findings.warnings if "nhưng" in w.message]
    assert (5, "Đã xử lý › Tổng", "Tổng số hồ sơ đã giải quyết = 21 nhưng Giải quyết trước hạn + Giải quyết đúng "
            "hạn + Giải quyết quá hạn = 4 + 14 + 2 = 20 (thiếu 1).") in located


def test_apology_columns_with_their_negation():
    columns = [("Đơn vị", None), ("Số hồ sơ nhận giải quyết", ["Tổng số"]),
               ("Số hồ sơ đã giải quyết", ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn (đã có thư xin lỗi)",
                                           "Quá hạn (chưa có thư xin lỗi)"]),
               ("Số hồ sơ đang giải quyết", ["Tổng số", "Trong hạn", "Quá hạn (đã có thư xin lỗi)",
                                             "Quá hạn (chưa có thư xin lỗi)"])]
    # resolved: 10 = 2 + 3 + late (4 with a letter, 1 without); pending: 6 = 3 + overdue (2 with, 1 without)
    result = check_file(export(columns, [["Phòng Tư pháp", 16, 10, 2, 3, 4, 1, 6, 3, 2, 1]]), "t.xlsx")
    assert result.ok, result.findings.errors
    got = figures_of(result, "Phòng Tư pháp")
    assert got["resolved_late"] == 4 + 1
    assert got["pending_overdue"] == 2 + 1
    assert got["late_apologies"] == 4 + 2  # "chưa có thư xin lỗi" is never counted as an apology
    assert result.as_dict()["derived"] == ["resolved_late", "pending_overdue", "late_apologies"]


def test_a_plain_late_column_beside_the_apology_split_is_read_as_it_is():
    columns = [("Đơn vị", None), ("Số hồ sơ nhận giải quyết", ["Tổng số"]),
               ("Số hồ sơ đã giải quyết", ["Tổng số", "Đúng hạn", "Quá hạn", "Đã có thư xin lỗi",
                                           "Chưa có thư xin lỗi"])]
    result = check_file(export(columns, [["Phòng Tư pháp", 10, 10, 7, 3, 1, 2]]), "t.xlsx")
    assert result.ok, result.findings.errors
    got = figures_of(result, "Phòng Tư pháp")
    assert (got["resolved_late"], got["late_apologies"]) == (3, 1)


def test_count_and_ratio_sub_columns():
    columns = [("Đơn vị", None), ("Tổng số hồ sơ tiếp nhận", None), ("Tổng số hồ sơ đã giải quyết", None),
               ("Đúng hạn", ["SL", "Tỷ lệ %"]), ("Quá hạn", ["SL", "Tỷ lệ %"])]
    result = check_file(export(columns, [["Phòng Tư pháp", 40, 40, 38, 95.0, 2, 5.0]]), "t.xlsx")
    assert result.ok, result.findings.errors
    got = figures_of(result, "Phòng Tư pháp")
    assert (got["resolved_on_time"], got["resolved_late"]) == (38, 2)  # the rates 95 and 5 are not counts
    assert not [m for m in warnings(result) if "không biết cột này" in m]


def test_early_and_on_time_together():
    columns = [("Đơn vị", None), ("Tiếp nhận", None),
               ("Đã giải quyết", ["Đúng và trước hạn", "Quá hạn"]), ("Tổng số trễ hạn (13 = 9 + 12)", None)]
    result = check_file(export(columns, [["Phòng Tư pháp", 20, 17, 3, 3]]), "t.xlsx")
    assert result.ok, result.findings.errors
    got = figures_of(result, "Phòng Tư pháp")
    assert (got["resolved_early"], got["resolved_on_time"], got["resolved_late"]) == (0, 17, 3)
    assert got["resolved_total"] == 20  # derived: on time (early included) + late
    assert "resolved_early" not in result.stats.present_fields
    # the derived "(13 = 9 + 12)" column is recognised, neither read nor reported as unknown
    assert not [m for m in warnings(result) if "không biết cột này" in m]



def test_a_report_builders_flat_header_with_early_and_on_time_joined_by_a_comma():
    """One-row header as a one-stop report builder writes it (dangcam/codeigniter4 public/js/export2excel.js: a
    merged title, "tiếp nhận, đã giải quyết, giải quyết trước, đúng hạn, tỉ lệ, trễ hạn, tỉ lệ, đang giải quyết,
    trong hạn, tỉ lệ, quá hạn, tỉ lệ", rates as text with a dot, a "Tổng cộng" row). It was refused for want of an
    on-time column."""
    header = ["STT", "Đơn vị", "Tiếp nhận", "Đã giải quyết", "Giải quyết trước, đúng hạn",
              "Tỉ lệ giải quyết trước, đúng hạn", "Trễ hạn", "Tỉ lệ trễ hạn", "Đang giải quyết", "Trong hạn",
              "Tỉ lệ trong hạn", "Quá hạn", "Tỉ lệ quá hạn"]
    rows = [[1, "UBND xã Ia Tul", 120, 100, 96, "96.00", 4, "4.00", 20, 18, "90.00", 2, "10.00"],
            [2, "Phòng Tư pháp", 40, 38, 38, "100.00", 0, "0.00", 2, 2, "100.00", 0, "0.00"],
            ["Tổng cộng", None, 160, 138, 134, "97.10", 4, "2.90", 22, 20, "90.91", 2, "9.09"]]
    data = book(SheetSpec("Sheet1", [[TITLE], header, *rows], ["A1:M1", "A5:B5"]))
    result = check_file(data, "bao_cao_mot_cua.xlsx")
    assert result.ok, result.findings.errors
    got = figures_of(result, "UBND xã Ia Tul")
    assert (got["received_total"], got["resolved_total"], got["resolved_on_time"], got["resolved_late"]) == \
        (120, 100, 96, 4)  # early and on time together, read as on time: the file has no separate column
    assert (got["pending_total"], got["pending_in_time"], got["pending_overdue"]) == (20, 18, 2)
    assert sorted(result.stats.records["unit"]) == ["Phòng Tư pháp", "UBND xã Ia Tul"]  # the total row is not a unit
    assert not [m for m in warnings(result) if "không biết cột này" in m]

def test_the_land_office_summary_of_a_one_stop_builder_reads_whole():
    """The same builder's Excel summary (export_excel: the office and the national motto side by side, merged, the
    form's name, "Tháng 05 năm 2024" alone on its row, a blank row, then the header), its rates written as numbers
    under "Tỉ lệ …": the period comes from the title, the rates are known as rates (no "unknown column" warning)."""
    header = ["STT", "Đơn vị", "Tiếp nhận", "Đã giải quyết", "Giải quyết trước, đúng hạn",
              "Tỉ lệ giải quyết trước, đúng hạn", "Trễ hạn", "Tỉ lệ trễ hạn", "Đang giải quyết", "Trong hạn",
              "Tỉ lệ trong hạn", "Quá hạn", "Tỉ lệ quá hạn"]
    top = ["VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI\nChi nhánh huyện Ia Pa"] + [None] * 6 + \
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"] + [None] * 6
    rows = [top, ["BIỂU TỔNG HỢP CÔNG TÁC TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ ĐẤT ĐAI"], ["Tháng 05 năm 2024"], [], header,
            [1, "UBND xã Ia Tul", 120, 100, 96, 96, 4, 4, 20, 18, 90, 2, 10],
            [2, "UBND xã Chư Răng", 80, 70, 63, 90, 7, 10, 10, 9, 90, 1, 10],
            ["Tổng cộng", None, 200, 170, 159, 93.53, 11, 6.47, 30, 27, 90, 3, 10]]
    data = book(SheetSpec("Export", rows, ["A1:G1", "H1:N1", "A2:N2", "A3:N3"]))
    result = check_file(data, "datdai_t05_2024.xlsx")
    assert result.ok, result.findings.errors
    assert set(result.stats.records["period"]) == {"2024-05"}
    got = figures_of(result, "UBND xã Chư Răng")
    assert (got["received_total"], got["resolved_total"], got["resolved_on_time"], got["resolved_late"]) == \
        (80, 70, 63, 7)
    assert (got["pending_total"], got["pending_in_time"], got["pending_overdue"]) == (10, 9, 1)
    assert sorted(result.stats.records["unit"]) == ["UBND xã Chư Răng", "UBND xã Ia Tul"]
    assert not [m for m in warnings(result) if "không biết cột này" in m]


def test_online_from_end_to_end_and_partly_online_and_the_other_ways():
    columns = [("Đơn vị", None),
               ("Số hồ sơ nhận giải quyết", ["Trực tuyến toàn trình", "Trực tuyến một phần", "Hình thức khác",
                                              "Bưu chính", "Từ kỳ trước"]),
               ("Số hồ sơ đã giải quyết", ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn"])]
    result = check_file(export(columns, [["Phòng Tư pháp", 6, 4, 8, 2, 2, 15, 5, 9, 1]]), "t.xlsx")
    assert result.ok, result.findings.errors
    got = figures_of(result, "Phòng Tư pháp")
    assert (got["received_online_full"], got["received_online_partial"]) == (6, 4)
    assert got["received_online"] == 10  # derived: toàn trình + một phần
    assert got["received_direct"] == 8 and got["received_bcci"] == 2
    assert got["received_total"] == 6 + 4 + 8 + 2
    assert result.as_dict()["derived"] == ["received_total", "received_online"]


def test_thousands_typed_as_text_are_read_only_where_certain():
    columns = [("Đơn vị", None), ("Tổng số hồ sơ tiếp nhận", None), ("Tổng số hồ sơ đã giải quyết", None),
               ("Đúng hạn", None), ("Quá hạn", None)]
    clear = check_file(export(columns, [["Phòng Tư pháp", "1,500", "1.500", "1.480", "20"]]), "t.xlsx")
    assert clear.ok, clear.findings.errors
    got = figures_of(clear, "Phòng Tư pháp")
    assert (got["received_total"], got["resolved_total"], got["resolved_on_time"]) == (1500, 1500, 1480)
    # the same column writes "12,5" elsewhere: "1,500" could be 1,5 and is a located error, not a guess
    doubtful = check_file(export(columns, [["Phòng Tư pháp", "1,500", 10, 9, 1],
                                           ["Phòng Nội vụ", "12,5", 10, 9, 1]]), "t.xlsx")
    assert not doubtful.ok
    located = [(e.row, e.column, e.message) for e in doubtful.findings.errors]
    assert (5, "Tổng số hồ sơ tiếp nhận", "Giá trị “1,500” không phải là số hồ sơ (phải là số nguyên, ô trống hoặc "
            "“-”).") in located
    assert (6, "Tổng số hồ sơ tiếp nhận", "Giá trị “12,5” không phải là số hồ sơ (phải là số nguyên, ô trống hoặc "
            "“-”).") in located
    mixed = check_file(export(columns, [["Phòng Tư pháp", "1.234,567", 10, 9, 1]]), "t.xlsx")
    assert not mixed.ok


def test_a_header_below_a_long_preamble_is_found_and_a_missing_one_says_where_the_search_stopped():
    preamble = [[f"Ghi chú {i}: hướng dẫn điền số liệu"] for i in range(1, 46)]
    header = ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Đúng hạn", "Quá hạn"]
    found = check_file(book(SheetSpec("T03-2019", [*preamble, header, ["Phòng Tư pháp", 10, 10, 9, 1]])), "t.xlsx")
    assert found.ok, found.findings.errors
    assert found.stats.records["row"].tolist() == [47]
    lost = check_file(book(SheetSpec("T03-2019", [*preamble, *preamble, header, ["Phòng Tư pháp", 10, 10, 9, 1]])),
                      "t.xlsx")
    assert [e.message for e in lost.findings.errors] == [
        "Không tìm thấy bảng số liệu thống kê nào trong tệp: không sheet nào có dòng tiêu đề cột như “Đơn vị”, “Số hồ "
        "sơ nhận giải quyết”, “Đã giải quyết”, “Đúng hạn”, “Quá hạn” (đã tìm trong 60 dòng đầu, 150 cột đầu của mỗi "
        "sheet). Hãy dùng tệp mẫu hoặc Biểu 06 xuất từ phần mềm một cửa."]
