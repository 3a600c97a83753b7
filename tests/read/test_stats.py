"""The monthly TTHC statistics reader (cchc.read.stats): layouts, header vocabulary, errors and warnings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
from support import (
    TITLE,
    SheetSpec,
    bieu06_sheet,
    book,
    data_start_row,
    figures,
    make_registry,
    standard_groups,
    template_sheet,
)

from cchc.fields import FIELD_LABELS, REQUIRED_FIELDS, STATS_FIELDS, TEMPLATE_HEADERS
from cchc.findings import WorkbookRefused
from cchc.read.grid import load_workbook
from cchc.read.stats import (
    MESSAGE_CAP,
    RECORD_COLUMNS,
    StatsResult,
    _classify,
    _norm,
    detect_stats_table,
    read_stats,
    read_stats_workbook,
)

REG = make_registry()
ROOT = Path(__file__).resolve().parents[2]

RESOLVED_ON_TIME = "Số hồ sơ đã giải quyết › Đúng hạn"
RESOLVED_TOTAL = "Số hồ sơ đã giải quyết › Tổng số"
RECEIVED_TOTAL = "Số hồ sơ nhận giải quyết › Tổng số"
PENDING_TOTAL = "Số lượng hồ sơ đang giải quyết › Tổng số"
CARRIED = "Số hồ sơ nhận giải quyết › Trong đó › Từ kỳ trước"
UNIT_COL = "Lĩnh vực, công việc giải quyết theo cấp"


def read(*sheets, filename="", registry=REG) -> StatsResult:
    return read_stats(book(*sheets), filename=filename, registry=registry)


def only(findings, pattern):
    """The findings whose message matches a regex."""
    return [f for f in findings if re.search(pattern, f.message)]


def assert_clean(result: StatsResult):
    assert result.findings.errors == [], [f.located() for f in result.findings.errors]
    assert result.findings.warnings == [], [f.located() for f in result.findings.warnings]


def template_record(unit="Phòng Tư pháp", year=2019, month=1, **kw):
    return (unit, year, month, figures(**kw))


# ------------------------------------------------------------------------------------------------------------------
# The project template
# ------------------------------------------------------------------------------------------------------------------

def test_template_layout_reads_every_field():
    values = figures(received_online_l3=2, received_online_l4=1, received_online_full=1, received_online_partial=2,
                     received_bcci=1, returned_bcci=1, late_apologies=1)
    result = read(template_sheet([("Phòng Tư pháp huyện", 2019, 1, values), ("Ia Tul", 2019, 2, figures())]))
    assert_clean(result)
    assert result.layout == "template"
    assert result.present_fields == list(STATS_FIELDS)
    records = result.records
    assert list(records.columns) == list(RECORD_COLUMNS)
    assert records["unit"].tolist() == ["Phòng Tư pháp", "UBND xã Ia Tul"]  # registry canonical names
    assert records["level"].tolist() == ["huyện", "xã"]
    assert records["period"].tolist() == ["2019-01", "2019-02"]
    assert records["row"].tolist() == [2, 3]
    assert records["sheet"].tolist() == ["Số liệu", "Số liệu"]
    for f in STATS_FIELDS:
        assert records[f].dtype == np.int64
        assert records.loc[0, f] == values[f]
    assert records[["year", "month", "row"]].dtypes.tolist() == [np.int64] * 3


def test_thousands_separator_and_dash():
    values = figures()
    rows = [list(TEMPLATE_HEADERS),
            ["Phòng Tư pháp", 2019, 1, *(values[f] for f in STATS_FIELDS)],
            ["Phòng Nội vụ", 2019, 1, *(values[f] for f in STATS_FIELDS)]]
    col = {f: 3 + i for i, f in enumerate(STATS_FIELDS)}
    # "1.234" is 1234; "-" and an empty cell are 0; the figures still satisfy every identity.
    rows[2][col["received_total"]] = "1.234"
    rows[2][col["received_direct"]] = "1.227"
    rows[2][col["received_online"]] = "-"
    rows[2][col["received_carried"]] = 7
    rows[2][col["resolved_total"]] = "1.200"
    rows[2][col["resolved_on_time"]] = "1.190"
    rows[2][col["resolved_early"]] = "-"
    rows[2][col["resolved_late"]] = 10
    rows[2][col["pending_total"]] = 34
    rows[2][col["pending_in_time"]] = "30"
    rows[2][col["pending_overdue"]] = " 4 "
    rows[2][col["late_apologies"]] = None
    result = read(SheetSpec("Số liệu", rows))
    assert_clean(result)
    second = result.records.iloc[1]
    assert second["received_total"] == 1234
    assert second["received_online"] == 0
    assert second["received_direct"] == 1227
    assert second["resolved_early"] == 0
    assert second["resolved_on_time"] == 1190
    assert second["pending_overdue"] == 4
    assert second["late_apologies"] == 0


def test_default_registry_is_loaded_when_none_is_given():
    result = read_stats(book(template_sheet([template_record("Phòng Tư pháp")])))
    assert result.records["unit"].tolist() == ["Phòng Tư pháp"]
    assert result.records["level"].tolist() == ["huyện"]


def test_read_stats_workbook_accepts_a_loaded_workbook():
    workbook = load_workbook(book(template_sheet([template_record()])))
    result = read_stats_workbook(workbook, REG)
    assert result.records["period"].tolist() == ["2019-01"]


def test_unreadable_file_is_refused():
    with pytest.raises(WorkbookRefused):
        read_stats(b"Don vi;Thang\nPhong Tu phap;1\n", "thong_ke.xlsx", REG)


# ------------------------------------------------------------------------------------------------------------------
# Biểu 06
# ------------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("levels", [3, 2])
@pytest.mark.parametrize("merged", [True, False])
@pytest.mark.parametrize("total", ["top", "bottom"])
def test_bieu06_layouts(levels, merged, total):
    result = read(bieu06_sheet(standard_groups(), levels=levels, merged=merged, total=total))
    assert_clean(result)
    assert result.layout == "bieu06"
    records = result.records
    assert records["unit"].tolist() == ["Phòng Tư pháp", "Văn phòng HĐND-UBND huyện", "UBND xã Ia Tul",
                                        "UBND xã Kim Tân"]
    assert records["level"].tolist() == ["huyện", "huyện", "xã", "xã"]
    assert set(records["period"]) == {"2019-01"}  # from the title, not from "… ngày 21 tháng 10 năm 2020"
    first = data_start_row(levels) + (1 if total == "top" else 0)  # the total row, then group I
    assert records["row"].tolist() == [first + 1, first + 2, first + 4, first + 5]
    tu_phap = records.iloc[0]
    expected = figures()
    for f in ("received_total", "received_online", "received_direct", "received_carried", "resolved_total",
              "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time",
              "pending_overdue"):
        assert tu_phap[f] == expected[f], f
    assert tu_phap["received_bcci"] == 0 and tu_phap["received_online_l3"] == 0  # absent columns are 0
    assert "received_bcci" not in result.present_fields


def test_bieu06_extra_columns():
    groups = [("I", "Cấp huyện", [("Phòng Tư pháp", figures(received_online_l3=3, received_online_l4=2,
                                                            received_bcci=1, returned_bcci=2, late_apologies=1))])]
    result = read(bieu06_sheet(groups, extras=True))
    assert_clean(result)
    row = result.records.iloc[0]
    assert (row["received_online_l3"], row["received_online_l4"], row["received_bcci"], row["returned_bcci"],
            row["late_apologies"]) == (3, 2, 1, 2, 1)
    assert row["received_online"] == 5  # "Trực tuyến mức độ 3" did not take the place of "Trực tuyến"
    assert row["received_direct"] == 3  # "Tiếp nhận qua dịch vụ bưu chính công ích" is BCCI, not direct


def test_bieu06_named_and_lettered_groups_without_numbering():
    groups = [
        ("A", "Sở, ban, ngành", [("Phòng Tư pháp", figures())]),
        (None, "Huyện, thị xã", [("Phòng Mới Lập", figures())]),
        (None, "B. Xã, phường, thị trấn", [("Xã Không Có", figures()), ("Kim Tân", figures())]),
    ]
    result = read(bieu06_sheet(groups, numbering=False, levels=2, unit_label="Tên đơn vị"))
    assert result.findings.errors == []
    records = result.records
    assert records["unit"].tolist() == ["Phòng Tư pháp", "Phòng Mới Lập", "Xã Không Có", "UBND xã Kim Tân"]
    # unknown units take the level of their group: "Huyện, thị xã" → huyện; "Xã, phường, thị trấn" → xã
    assert records["level"].tolist() == ["huyện", "huyện", "xã", "xã"]
    unknown = only(result.findings.warnings, "không có trong danh mục")
    assert [f.message.split("”")[0] for f in unknown] == ["Đơn vị “Phòng Mới Lập", "Đơn vị “Xã Không Có"]


def test_group_rows_numbered_in_the_label_and_roman_stt():
    groups = [(None, "I. Cấp huyện", [("Phòng Tư pháp", figures())]),
              ("II", "Cấp xã", [("Ia Tul", figures())])]
    result = read(bieu06_sheet(groups))
    assert_clean(result)
    assert result.records["unit"].tolist() == ["Phòng Tư pháp", "UBND xã Ia Tul"]


def test_signature_block_and_notes_end_the_table():
    result = read(bieu06_sheet(standard_groups(), signature=True))
    assert_clean(result)
    units = result.records["unit"].tolist()
    assert not any(re.search(r"người lập|thủ trưởng|ghi chú|ngày|ký|nguyễn", u.lower()) for u in units)
    assert len(units) == 4


def test_instructions_sheet_is_skipped():
    instructions = SheetSpec("Hướng dẫn", [["Hướng dẫn nhập số liệu"],
                                           ["Nhập mỗi đơn vị một dòng, mỗi tháng một dòng."]])
    result = read(instructions, bieu06_sheet(standard_groups()))
    assert_clean(result)
    assert set(result.records["sheet"]) == {"Biểu 06"}


def test_numbering_row_with_formulas_is_skipped():
    spec = bieu06_sheet(standard_groups(), total=None)
    numbering = data_start_row() - 1
    spec.rows[numbering - 1][2] = "(3)=(4)+(5)+(6)"
    spec.rows[numbering - 1][6] = "(7)=(8)+(9)+(10)"
    result = read(spec)
    assert_clean(result)
    assert len(result.records) == 4


# ------------------------------------------------------------------------------------------------------------------
# Periods
# ------------------------------------------------------------------------------------------------------------------

def month_sheet(name, title, **figs):
    groups = [("I", "Cấp huyện", [("Phòng Tư pháp", figures(**figs))])]
    return bieu06_sheet(groups, name=name, title=title, signature=False)


@pytest.mark.parametrize("sheet_name, expected", [
    ("T01-2019", "2019-01"), ("T1.2019", "2019-01"), ("01.2019", "2019-01"), ("2019-03", "2019-03"),
    ("Thang 12 nam 2019", "2019-12"), ("Tháng 12 năm 2019", "2019-12"), ("Tháng 7-2020", "2020-07"),
])
def test_period_from_sheet_name(sheet_name, expected):
    result = read(month_sheet(sheet_name, "TÌNH HÌNH GIẢI QUYẾT TTHC"))
    assert_clean(result)
    assert result.records["period"].tolist() == [expected]


def test_sheet_name_month_takes_year_from_title():
    result = read(month_sheet("Tháng 3", "Báo cáo năm 2019"))
    assert result.findings.errors == []
    assert result.records["period"].tolist() == ["2019-03"]


def test_sheet_name_month_takes_year_from_other_sheet():
    result = read(month_sheet("T01-2021", "Số liệu"), month_sheet("Tháng 2", "Số liệu", carried=0, direct=5))
    assert result.findings.errors == []
    assert result.records["period"].tolist() == ["2021-01", "2021-02"]


def test_sheet_name_month_takes_year_from_file_name():
    result = read(month_sheet("Tháng 1", "Số liệu"), filename="thong_ke_tthc_2020.xlsx")
    assert result.findings.errors == []
    assert result.records["period"].tolist() == ["2020-01"]


def test_period_from_file_name_only():
    result = read(month_sheet("Sheet1", "Số liệu"), filename="BC_TTHC_thang_05_2019.xlsx")
    assert result.findings.errors == []
    assert result.records["period"].tolist() == ["2019-05"]


def test_title_period_wins_over_sheet_name_with_a_warning():
    result = read(month_sheet("T02-2019", TITLE))
    assert result.records["period"].tolist() == ["2019-01"]
    warning, = only(result.findings.warnings, "tên sheet")
    assert (warning.sheet, warning.row, warning.column) == ("T02-2019", 3, "C")  # the title cell


def test_form_number_in_file_name_is_not_a_month():
    result = read(month_sheet("Tháng 3", "Số liệu"), filename="Bieu06_2019.xlsx")
    assert result.records["period"].tolist() == ["2019-03"]


def test_title_month_with_slash():
    result = read(month_sheet("Sheet1", "Kỳ báo cáo: Tháng 11/2019"))
    assert result.records["period"].tolist() == ["2019-11"]


def test_title_period_as_date_range_only():
    result = read(month_sheet("Biểu", "Kỳ báo cáo (Từ ngày 01/04/2019 đến ngày 30/04/2019)"))
    assert result.records["period"].tolist() == ["2019-04"]


def test_several_month_sheets_and_carried_in_check():
    jan = month_sheet("T01-2019", "Kỳ báo cáo: Tháng 01 năm 2019", in_time=3, overdue=1)  # pending 4 at end of Jan
    feb_ok = month_sheet("T02-2019", "Kỳ báo cáo: Tháng 02 năm 2019", carried=4, direct=1)  # carried 4: matches
    result = read(jan, feb_ok)
    assert_clean(result)
    assert result.records["period"].tolist() == ["2019-01", "2019-02"]

    feb_bad = month_sheet("T02-2019", "Kỳ báo cáo: Tháng 02 năm 2019", carried=2, direct=3)
    result = read(jan, feb_bad)
    assert result.findings.errors == []
    warning, = only(result.findings.warnings, "Từ kỳ trước")
    assert (warning.sheet, warning.row, warning.column) == ("T02-2019", data_start_row() + 2, CARRIED)
    assert "02/2019" in warning.message and "01/2019" in warning.message
    assert "là 2" in warning.message and "là 4" in warning.message


def test_summary_sheet_over_several_months_is_skipped_with_a_warning():
    year = month_sheet("Cả năm", "Kỳ báo cáo: Năm 2019")
    result = read(month_sheet("T01-2019", "Số liệu"), year)
    assert result.findings.errors == []
    assert result.records["sheet"].tolist() == ["T01-2019"]
    warning, = only(result.findings.warnings, "nhiều tháng")
    assert warning.sheet == "Cả năm"


@pytest.mark.parametrize("cell, expected", [
    (1, "2019-01"), ("01/2019", "2019-01"), ("2019-02", "2019-02"), ("Tháng 3/2019", "2019-03"),
    ("Tháng 04 năm 2019", "2019-04"), (dt.datetime(2019, 5, 1), "2019-05"), (dt.date(2019, 6, 30), "2019-06"),
    ("T07-2019", "2019-07"),
])
def test_month_column_forms(cell, expected):
    values = figures()
    header = ["Đơn vị", "Tháng", *(FIELD_LABELS[f] for f in STATS_FIELDS)]
    row = ["Phòng Tư pháp", cell, *(values[f] for f in STATS_FIELDS)]
    result = read(SheetSpec("Data", [header, row]), filename="so_lieu_2019.xlsx")
    assert_clean(result)
    assert result.records["period"].tolist() == [expected]
    assert result.layout == "flat"


def test_period_column_in_bieu06():
    spec = bieu06_sheet(standard_groups(), title="Tình hình giải quyết TTHC", total=None)
    # a "Kỳ báo cáo" column at the right, merged over the header rows
    for r, row in enumerate(spec.rows, start=1):
        if r == 6:
            row.extend([None] * (13 - len(row)) + ["Kỳ báo cáo"])
        elif r >= data_start_row() and len(row) > 2 and isinstance(row[2], int):
            row.extend([None] * (13 - len(row)) + ["Tháng 02 năm 2019"])
    spec.merges.append("N6:N8")
    result = read(spec)
    assert_clean(result)
    assert set(result.records["period"]) == {"2019-02"}


# ------------------------------------------------------------------------------------------------------------------
# Flat headers and vocabulary
# ------------------------------------------------------------------------------------------------------------------

def test_flat_headers_without_diacritics_lower_case():
    header = ["stt", "don vi", "nam", "thang", "tong so ho so tiep nhan", "da giai quyet", "truoc han", "dung han",
              "qua han", "dang giai quyet", "trong han", "qua han"]
    rows = [header,
            [1, "phong tu phap", 2019, 1, 10, 6, 1, 4, 1, 4, 3, 1],
            [2, "XA IA TUL", 2019, 1, 2, 2, 0, 2, 0, 0, 0, 0]]
    result = read(SheetSpec("Sheet1", rows))
    assert_clean(result)
    assert result.layout == "flat"
    records = result.records
    assert records["unit"].tolist() == ["Phòng Tư pháp", "UBND xã Ia Tul"]
    assert records.loc[0, "resolved_late"] == 1 and records.loc[0, "pending_overdue"] == 1  # the second "qua han"
    assert records.loc[0, "pending_in_time"] == 3
    assert result.present_fields == ["received_total", "resolved_total", "resolved_early", "resolved_on_time",
                                     "resolved_late", "pending_total", "pending_in_time", "pending_overdue"]


def test_older_export_names():
    header = ["Tên đơn vị", "Kỳ báo cáo", "Tổng số hồ sơ tiếp nhận", "Số mới tiếp nhận trực tuyến",
              "Trong đó: Trực tuyến mức độ 3", "Mức độ 4", "Số mới tiếp nhận trực tiếp",
              "Số mới tiếp nhận qua dịch vụ bưu chính công ích", "Số kỳ trước chuyển qua", "Đã giải quyết",
              "Trả đúng thời hạn", "Trả quá hạn", "Đang giải quyết", "Chưa đến hạn", "Đang giải quyết quá hạn",
              "Trả kết quả qua dịch vụ BCCI", "Văn bản xin lỗi"]
    rows = [header, ["Phòng Tư pháp", "01/2019", 20, 8, 3, 5, 10, 2, 2, 15, 14, 1, 5, 4, 1, 3, 1]]
    result = read(SheetSpec("Xuất", rows))
    assert_clean(result)
    row = result.records.iloc[0]
    assert {f: row[f] for f in STATS_FIELDS if row[f]} == {
        "received_total": 20, "received_online": 8, "received_online_l3": 3, "received_online_l4": 5,
        "received_direct": 10, "received_bcci": 2, "received_carried": 2, "resolved_total": 15,
        "resolved_on_time": 14, "resolved_late": 1, "pending_total": 5, "pending_in_time": 4, "pending_overdue": 1,
        "returned_bcci": 3, "late_apologies": 1}


@pytest.mark.parametrize("path, role", [
    (("Số hồ sơ nhận giải quyết", "Tổng số"), "received_total"),
    (("Số hồ sơ tiếp nhận", "Tổng số"), "received_total"),
    (("Tiếp nhận", "Tổng số"), "received_total"),
    (("Số hồ sơ đã giải quyết", "Tổng số"), "resolved_total"),
    (("Số lượng hồ sơ đang giải quyết", "Tổng số"), "pending_total"),
    (("Số hồ sơ đã giải quyết", "Quá hạn"), "resolved_late"),
    (("Số lượng hồ sơ đang giải quyết", "Quá hạn"), "pending_overdue"),
    (("Số hồ sơ nhận giải quyết", "Trong đó", "Trực tuyến"), "received_online"),
    (("Trong đó: Trực tuyến",), "received_online"),
    (("Trực tuyến mức độ 3",), "received_online_l3"),
    (("Số hồ sơ nhận giải quyết", "Trực tuyến", "Mức độ 4"), "received_online_l4"),
    (("Toàn trình",), "received_online_full"),
    (("Trực tuyến một phần",), "received_online_partial"),
    (("Trực tiếp, dịch vụ bưu chính",), "received_direct"),
    (("Trực tiếp",), "received_direct"),
    (("Tiếp nhận qua BCCI",), "received_bcci"),
    (("Số hồ sơ nhận giải quyết", "Qua dịch vụ bưu chính công ích"), "received_bcci"),
    (("Số hồ sơ đã giải quyết", "Trả qua dịch vụ BCCI"), "returned_bcci"),
    (("Từ kỳ trước",), "received_carried"),
    (("Kỳ trước chuyển qua",), "received_carried"),
    (("Trước hạn",), "resolved_early"),
    (("Trả đúng thời hạn",), "resolved_on_time"),
    (("Chưa đến hạn",), "pending_in_time"),
    (("Đang giải quyết trong hạn",), "pending_in_time"),
    (("Số hồ sơ quá hạn đã có văn bản xin lỗi",), "late_apologies"),
    (("Đơn vị",), "unit"), (("TÊN ĐƠN VỊ",), "unit"), (("Lĩnh vực, công việc giải quyết theo cấp",), "unit"),
    (("Kỳ báo cáo",), "month"), (("Tháng",), "month"), (("Năm",), "year"),
    # early and on time together: read as on time when the file has no separate on-time column (_resolve_late)
    (("Số hồ sơ đã giải quyết", "Trong hạn"), "resolved_on_time+early"),
    # with a comma, as one-stop exports write it (a report builder in dangcam/codeigniter4: "giải quyết trước,
    # đúng hạn"; the Biểu 06 layouts: "Trước hạn, đúng hạn")
    (("Giải quyết trước, đúng hạn",), "resolved_on_time+early"),
    (("Số hồ sơ đã giải quyết", "Trước hạn, đúng hạn"), "resolved_on_time+early"),
    (("Đúng hạn, trước hạn",), "resolved_on_time+early"),
    (("Trước hạn và đúng hạn",), "resolved_on_time+early"),
    (("Trực tiếp - dịch vụ bưu chính",), "received_direct"),
    (("Tháng/năm",), "month"),
    (("Đơn vị/Lĩnh vực",), "unit"),
    (("SO HO SO DA GIAI QUYET", "TONG SO"), "resolved_total"),
    (("so ho so dang giai quyet", "qua han"), "pending_overdue"),
    (("Số hồ sơ đã giải quyết", "Trực tuyến"), None),  # not an intake channel
    (("Tỷ lệ đúng hạn (%)",), None),  # rates are computed, never read
    (("Số TTHC trực tuyến mức độ 4",), None),  # procedures, not dossiers
    (("Số hồ sơ TTHC đã giải quyết",), "resolved_total"),
    (("Số hồ sơ nhận giải quyết", "Số mới tiếp nhận", "Tổng số"), None),  # new dossiers only: not a field
    (("Số hồ sơ nhận giải quyết", "Số mới tiếp nhận", "Trực tuyến"), "received_online"),
    (("Tổng số",), None),  # ambiguous without its group
    (("Đơn vị báo cáo: UBND huyện Ia Pa",), None),
    (("Lĩnh vực/Tiêu chí/Tiêu chí thành phần",), None),
])
def test_header_vocabulary(path, role):
    assert _classify(tuple(_norm(p) for p in path)) == role


@pytest.mark.parametrize("field", STATS_FIELDS)
def test_template_labels_are_recognised(field):
    assert _classify((_norm(FIELD_LABELS[field]),)) == field


# ------------------------------------------------------------------------------------------------------------------
# Telling a statistics file from a plan file
# ------------------------------------------------------------------------------------------------------------------

def test_detect_stats_table():
    assert detect_stats_table(load_workbook(book(bieu06_sheet(standard_groups()))))
    assert detect_stats_table(load_workbook(book(template_sheet([template_record()]))))
    plan = SheetSpec("Kế hoạch", [
        ["KẾ HOẠCH KHẮC PHỤC NĂM 2019"], [],
        ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm chuẩn", "Điểm thẩm định 2018", "Điểm bị mất",
         "Giải pháp", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú"],
        ["3", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 15, 8.5, 6.5],
        [3.4, "Tỷ lệ hồ sơ giải quyết đúng hạn", 2, 1, 1, "100% hồ sơ giải quyết đúng hạn", "UBND xã"],
    ])
    assert not detect_stats_table(load_workbook(book(plan)))


# ------------------------------------------------------------------------------------------------------------------
# Errors: the file is refused
# ------------------------------------------------------------------------------------------------------------------

def test_error_no_recognisable_table():
    result = read(SheetSpec("Sheet1", [["Báo cáo"], ["Nội dung", "Ghi chú"], ["abc", "def"]]))
    error, = result.findings.errors
    assert error.message.startswith("Không tìm thấy bảng số liệu")
    assert result.records.empty and list(result.records.columns) == list(RECORD_COLUMNS)


@pytest.mark.parametrize("fields, text", [
    (["resolved_on_time"], "Thiếu cột “Đúng hạn” (Số hồ sơ đã giải quyết)"),
    (["resolved_late"], "Thiếu cột “Quá hạn” (Số hồ sơ đã giải quyết)"),
    # a missing total whose parts are not all there either cannot be derived
    (["resolved_total", "resolved_early"], "Thiếu cột “Tổng số” (Số hồ sơ đã giải quyết)"),
    (["received_total", "received_carried"], "Thiếu cột “Tổng số” (Số hồ sơ nhận giải quyết)"),
])
def test_error_required_column_missing(fields, text):
    assert fields[0] in REQUIRED_FIELDS
    headers = [h for h in TEMPLATE_HEADERS if h not in {FIELD_LABELS[f] for f in fields}]
    rows = [headers, ["Phòng Tư pháp", 2019, 1, *([1] * (len(headers) - 3))]]
    result = read(SheetSpec("Số liệu", rows))
    error, = only(result.findings.errors, "Thiếu cột")
    assert error.message.startswith(text)
    assert (error.sheet, error.row) == ("Số liệu", 1)


def test_error_required_column_missing_in_bieu06():
    spec = bieu06_sheet(standard_groups())
    spec.rows[6][8] = "Ghi chú"  # row 7, column I: "Đúng hạn" replaced
    result = read(spec)
    error, = only(result.findings.errors, "Thiếu cột")
    assert error.message.startswith("Thiếu cột “Đúng hạn” (Số hồ sơ đã giải quyết)")
    assert (error.sheet, error.row) == ("Biểu 06", 8)


def test_error_unit_column_missing():
    headers = ["Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    result = read(SheetSpec("Số liệu", [headers, [1, 2019, 5, 5, 4, 1]]))
    error, = result.findings.errors
    assert "Thiếu cột tên đơn vị" in error.message
    assert (error.sheet, error.row) == ("Số liệu", 1)


def test_error_not_a_number_names_the_cell():
    spec = bieu06_sheet(standard_groups())
    row = data_start_row() + 2  # Phòng Tư pháp
    spec.rows[row - 1][8] = "bốn"
    result = read(spec)
    error, = result.findings.errors
    assert "“bốn” không phải là số" in error.message
    assert (error.sheet, error.row, error.column) == ("Biểu 06", row, RESOLVED_ON_TIME)


def test_error_fraction_is_not_a_count():
    record = template_record()
    spec = template_sheet([record])
    spec.rows[1][3 + STATS_FIELDS.index("received_online")] = 2.5
    error, = read(spec).findings.errors
    assert "“2.5”" in error.message
    assert (error.row, error.column) == (2, FIELD_LABELS["received_online"])


def test_error_negative_count():
    spec = template_sheet([template_record(), template_record("Phòng Nội vụ")])
    spec.rows[2][3 + STATS_FIELDS.index("late_apologies")] = -2
    error, = read(spec).findings.errors
    assert "âm" in error.message and "-2" in error.message
    assert (error.sheet, error.row, error.column) == ("Số liệu", 3, FIELD_LABELS["late_apologies"])


def test_error_parts_above_total():
    spec = bieu06_sheet(standard_groups())
    row = data_start_row() + 2
    spec.rows[row - 1][6] = 5  # resolved total 5, while early 1 + on time 4 + late 1 = 6
    result = read(spec)
    error, = result.findings.errors
    assert (error.sheet, error.row, error.column) == ("Biểu 06", row, RESOLVED_TOTAL)
    assert "= 1 + 4 + 1 = 6" in error.message and "lớn hơn" in error.message and "= 5" in error.message


def test_error_month_outside_range_in_column():
    spec = template_sheet([template_record(month=13)])
    error, = read(spec).findings.errors
    assert "Tháng “13” không hợp lệ" in error.message
    assert (error.sheet, error.row, error.column) == ("Số liệu", 2, "Tháng")


def test_error_month_outside_range_in_sheet_name():
    result = read(month_sheet("Tháng 13 năm 2019", "Số liệu"))
    error, = result.findings.errors
    assert "Tháng 13" in error.message and error.sheet == "Tháng 13 năm 2019"


def test_error_month_cell_empty():
    spec = template_sheet([template_record(), template_record("Phòng Nội vụ")])
    spec.rows[2][2] = None
    error, = read(spec).findings.errors
    assert "Thiếu tháng" in error.message
    assert (error.row, error.column) == (3, "Tháng")


def test_error_no_period_at_all():
    result = read(month_sheet("Sheet1", "TÌNH HÌNH GIẢI QUYẾT TTHC"), filename="bieu06.xlsx")
    error, = result.findings.errors
    assert "Không xác định được kỳ báo cáo" in error.message
    assert (error.sheet, error.row) == ("Sheet1", 6)
    assert result.records.empty


def test_error_no_year():
    result = read(month_sheet("Tháng 2", "Số liệu"), filename="bieu.xlsx")
    error, = result.findings.errors
    assert "năm" in error.message and error.sheet == "Tháng 2"


def test_error_formula_without_saved_value():
    spec = bieu06_sheet(standard_groups())
    total_row = data_start_row()
    spec.formulas = {f"C{total_row}": f"=SUM(C{total_row + 2}:C{total_row + 3})",
                     f"D{total_row}": f"=SUM(D{total_row + 2}:D{total_row + 3})"}
    result = read(spec)
    error, = result.findings.errors
    assert f"C{total_row}, D{total_row}" in error.message and "Excel" in error.message and "Lưu" in error.message
    assert (error.sheet, error.row, error.column) == ("Biểu 06", total_row, "C")


def test_error_same_unit_and_month_twice():
    spec = template_sheet([template_record(), template_record("Phòng Nội vụ"), template_record("Phòng Tư pháp huyện")])
    error, = read(spec).findings.errors
    assert "Phòng Tư pháp" in error.message and "01/2019" in error.message
    assert "dòng 2" in error.message and "dòng 4" in error.message
    assert (error.sheet, error.row, error.column) == ("Số liệu", 4, "Đơn vị")


def test_error_same_unit_and_month_on_two_sheets():
    result = read(month_sheet("T01-2019", "Số liệu"), month_sheet("Bản sao", "Kỳ báo cáo: Tháng 01 năm 2019"))
    error, = result.findings.errors
    assert "sheet “T01-2019”" in error.message and "sheet “Bản sao”" in error.message
    assert error.sheet == "Bản sao"


def test_errors_are_capped_per_kind():
    records = [template_record(f"Đơn vị {i}", month=1) for i in range(MESSAGE_CAP + 20)]
    spec = template_sheet(records)
    for row in spec.rows[1:]:
        row[3] = "n/a"
    result = read(spec)
    numbers = only(result.findings.errors, "^Giá trị “n/a” không phải là số")
    assert len(numbers) == MESSAGE_CAP
    summary, = only(result.findings.errors, "và 20 trường hợp khác cùng loại \\(ô không phải là số\\)")
    assert summary.sheet is None
    unknown = only(result.findings.warnings, "^Đơn vị “.*” không có trong danh mục")
    assert len(unknown) == MESSAGE_CAP
    assert only(result.findings.warnings, "^… và 20 trường hợp khác cùng loại \\(đơn vị không có trong danh mục\\)")


# ------------------------------------------------------------------------------------------------------------------
# Warnings
# ------------------------------------------------------------------------------------------------------------------

def test_warning_received_total_above_its_channels():
    spec = template_sheet([template_record()])
    column = {f: 3 + i for i, f in enumerate(STATS_FIELDS)}
    # received 12 = resolved 6 + pending 6 (in time 5 + overdue 1), but the channels give only 10
    for f in ("received_total", "pending_total", "pending_in_time"):
        spec.rows[1][column[f]] += 2
    result = read(spec)
    assert result.findings.errors == []
    warning, = result.findings.warnings
    assert "Trực tuyến + Trực tiếp, dịch vụ bưu chính + Từ kỳ trước = 5 + 3 + 2 = 10" in warning.message
    assert (warning.sheet, warning.row, warning.column) == ("Số liệu", 2, FIELD_LABELS["received_total"])
    assert "thiếu 2" in warning.message


def test_no_channel_warning_without_the_channel_columns():
    headers = ["Đơn vị", "Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Trực tuyến", "Đã giải quyết", "Đúng hạn",
               "Quá hạn", "Đang giải quyết"]
    result = read(SheetSpec("S", [headers, ["Phòng Tư pháp", 1, 2019, 10, 2, 6, 5, 1, 4]]))
    assert_clean(result)


def test_warning_received_differs_from_resolved_plus_pending():
    spec = bieu06_sheet(standard_groups(), total=None)
    row = data_start_row() + 1
    line = spec.rows[row - 1]
    line[2] += 1  # received total 11 …
    line[5] += 1  # … from carried 3: the channels still add up, but resolved 6 + pending 4 = 10
    result = read(spec)
    assert result.findings.errors == []
    warning, = only(result.findings.warnings, "khác")
    assert (warning.sheet, warning.row, warning.column) == ("Biểu 06", row, RECEIVED_TOTAL)
    assert "= 11" in warning.message and "6 + 4 = 10" in warning.message


def test_warning_resolved_parts_below_total():
    spec = bieu06_sheet(standard_groups(), total=None)
    row = data_start_row() + 1
    line = spec.rows[row - 1]
    line[7] -= 1  # early 0: 0 + 4 + 1 = 5 < 6
    result = read(spec)
    assert result.findings.errors == []
    warning, = only(result.findings.warnings, "Giải quyết trước hạn .*thiếu 1")
    assert (warning.sheet, warning.row, warning.column) == ("Biểu 06", row, RESOLVED_TOTAL)
    assert "0 + 4 + 1 = 5" in warning.message


def test_warning_resolved_without_early_column_uses_on_time_plus_late():
    headers = ["Đơn vị", "Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    ok = read(SheetSpec("S", [headers, ["Phòng Tư pháp", 1, 2019, 10, 6, 5, 1]]))
    assert_clean(ok)
    result = read(SheetSpec("S", [headers, ["Phòng Tư pháp", 1, 2019, 10, 6, 4, 1]]))
    warning, = result.findings.warnings
    assert "Giải quyết đúng hạn + Giải quyết quá hạn = 4 + 1 = 5" in warning.message
    assert (warning.row, warning.column) == (2, "Đã giải quyết")


def test_warning_pending_parts_below_total():
    spec = bieu06_sheet(standard_groups(), total=None)
    row = data_start_row() + 1
    spec.rows[row - 1][12] = 0  # overdue 0: 3 + 0 < 4
    result = read(spec)
    assert result.findings.errors == []
    warning, = only(result.findings.warnings, "Đang giải quyết trong hạn")
    assert (warning.sheet, warning.row, warning.column) == ("Biểu 06", row, PENDING_TOTAL)


def test_warning_unknown_unit_named():
    spec = template_sheet([template_record("Phòng Không Tồn Tại"),
                           template_record("Phòng Không Tồn Tại", month=2, carried=4, direct=1)])
    result = read(spec)
    assert result.findings.errors == []
    warning, = result.findings.warnings
    assert "“Phòng Không Tồn Tại”" in warning.message and "2 dòng" in warning.message
    assert (warning.sheet, warning.row, warning.column) == ("Số liệu", 2, "Đơn vị")
    assert result.records["unit"].tolist() == ["Phòng Không Tồn Tại"] * 2
    assert result.records["level"].tolist() == ["", ""]


def test_warning_group_row_differs_from_its_units():
    groups = standard_groups()
    spec = bieu06_sheet(groups)
    group_row = data_start_row() + 1  # "I. Cấp huyện" (the total row is above it)
    spec.rows[group_row - 1][2] += 5
    result = read(spec)
    assert result.findings.errors == []
    warning, = only(result.findings.warnings, "Cấp huyện")
    assert (warning.sheet, warning.row, warning.column) == ("Biểu 06", group_row, RECEIVED_TOTAL)
    assert "ghi 25" in warning.message and "là 20" in warning.message
    assert len(result.records) == 4  # the group row is never a unit


def test_warning_total_row_differs_from_all_units():
    spec = bieu06_sheet(standard_groups(), total="bottom")
    total_row = next(i for i, row in enumerate(spec.rows, start=1) if len(row) > 1 and row[1] == "Tổng cộng")
    spec.rows[total_row - 1][9] = 99
    result = read(spec)
    assert result.findings.errors == []
    warning, = only(result.findings.warnings, "Tổng cộng")
    assert (warning.sheet, warning.row, warning.column) == ("Biểu 06", total_row, "Số hồ sơ đã giải quyết › Quá hạn")
    assert "ghi 99" in warning.message and "là 2" in warning.message


def test_subtotal_rows_after_each_group_are_accepted():
    spec = bieu06_sheet(standard_groups(), total=None, group_sums=False)
    rows = spec.rows
    start = data_start_row() - 1
    body = rows[start:start + 6]
    tail = rows[start + 6:]
    huyen = [sum(r[c] for r in body[1:3]) if c >= 2 else None for c in range(13)]
    xa = [sum(r[c] for r in body[4:6]) if c >= 2 else None for c in range(13)]
    grand = [a + b if a is not None else None for a, b in zip(huyen, xa)]
    huyen[1], xa[1], grand[1] = "Cộng", "Cộng", "Tổng cộng"
    spec.rows = rows[:start] + body[:3] + [huyen] + body[3:] + [xa, grand] + tail
    result = read(spec)
    assert_clean(result)
    assert len(result.records) == 4


def test_findings_are_vietnamese_and_located():
    spec = bieu06_sheet(standard_groups())
    spec.rows[data_start_row() + 1][3] = "x"
    result = read(spec)
    for finding in result.findings.errors + result.findings.warnings:
        assert finding.sheet and finding.row and finding.column
        assert re.search(r"[ăâđêôơưáàảãạ]", finding.message.lower())


# ------------------------------------------------------------------------------------------------------------------
# Scale: the vectorised path
# ------------------------------------------------------------------------------------------------------------------

def test_many_rows_template():
    records = [(f"Đơn vị {i % 250}", 2019, i // 250 + 1, figures()) for i in range(3000)]
    spec = template_sheet(records)
    spec.rows[500][3] = "1.000"  # text among numbers takes the per-cell path for that column only
    result = read(spec)
    assert result.findings.errors == []
    assert len(result.records) == 3000
    assert result.records["received_total"].iloc[499] == 1000
    assert result.records["received_total"].iloc[498] == 10
    assert result.records["period"].iloc[-1] == "2019-12"


# ------------------------------------------------------------------------------------------------------------------
# More shapes real files have
# ------------------------------------------------------------------------------------------------------------------

def test_flat_table_below_a_title_block():
    header = ["TT", "Tên đơn vị", "Tổng số hồ sơ tiếp nhận", "Số hồ sơ đã giải quyết", "Đúng hạn", "Quá hạn"]
    rows = [["BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC"], ["Kỳ báo cáo: Tháng 02 năm 2019"], [], [], header,
            ["1", "1. Phòng Tư pháp", 5, 5, 4, 1], ["2", "2. Xã Ia Tul", 3, 3, 3, 0], [],
            [None, "* Ghi chú: số liệu tạm tính"], [None, "Nguyễn Văn A", 1, 2, 3]]
    result = read(SheetSpec("BC", rows))
    assert_clean(result)
    assert result.layout == "flat"
    assert result.records["unit"].tolist() == ["Phòng Tư pháp", "UBND xã Ia Tul"]
    assert result.records["row"].tolist() == [6, 7]
    assert set(result.records["period"]) == {"2019-02"}


def test_plain_numbering_row_is_skipped():
    header = ["STT", "Đơn vị", "Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    rows = [header, [1, 2, 3, 4, 5, 6, 7, 8], [1, "Phòng Tư pháp", 1, 2019, 5, 5, 4, 1]]
    result = read(SheetSpec("S", rows))
    assert_clean(result)
    assert result.records["row"].tolist() == [3]


def test_flat_late_column_without_pending_columns_is_resolved_late():
    header = ["Đơn vị", "Tháng", "Năm", "Tổng số", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    result = read(SheetSpec("S", [header, ["Phòng Tư pháp", 1, 2019, 5, 5, 4, 1]]))
    # "Tổng số" alone is ambiguous: the received total is reported missing
    error, = result.findings.errors
    assert error.message.startswith("Thiếu cột “Tổng số” (Số hồ sơ nhận giải quyết)")
    assert result.records.loc[0, "resolved_late"] == 1


DUPLICATED = ["Đơn vị", "Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn",
              "Trả đúng thời hạn"]


def test_a_duplicated_column_with_other_figures_refuses_naming_both():
    result = read(SheetSpec("S", [DUPLICATED, ["Phòng Tư pháp", 1, 2019, 5, 5, 4, 1, 9]]))
    assert [(e.sheet, e.row, e.column, e.message) for e in result.findings.errors] == [
        ("S", 1, "Trả đúng thời hạn", "Hai cột “Đúng hạn” (F) và “Trả đúng thời hạn” (H) cùng được hiểu là một loại "
                                      "số liệu nhưng ghi số khác nhau, nên không biết cột nào đúng. Hãy xóa hoặc đổi "
                                      "tên một trong hai cột rồi tải lên lại.")]
    assert result.records.empty


def test_a_duplicated_column_with_the_same_figures_reads_the_first():
    result = read(SheetSpec("S", [DUPLICATED, ["Phòng Tư pháp", 1, 2019, 5, 5, 4, 1, 4]]))
    assert result.findings.ok
    warning, = only(result.findings.warnings, "trùng nghĩa")
    assert (warning.sheet, warning.row, warning.column) == ("S", 1, "Trả đúng thời hạn")
    assert warning.message == ("Cột “Trả đúng thời hạn” trùng nghĩa với cột “Đúng hạn” và ghi cùng số liệu; chỉ đọc "
                               "cột thứ nhất.")
    assert result.records.loc[0, "resolved_on_time"] == 4


def test_of_two_duplicated_columns_the_one_with_figures_is_read():
    result = read(SheetSpec("S", [DUPLICATED, ["Phòng Tư pháp", 1, 2019, 5, 5, None, 1, 4]]))
    assert result.findings.ok, result.findings.errors
    warning, = only(result.findings.warnings, "trùng nghĩa")
    assert warning.message == ("Cột “Đúng hạn” trùng nghĩa với cột “Trả đúng thời hạn” nhưng để trống; đọc cột "
                               "“Trả đúng thời hạn”, cột có số liệu.")
    assert result.records.loc[0, "resolved_on_time"] == 4


def test_warning_figures_without_unit_name():
    header = ["Đơn vị", "Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    rows = [header, ["Phòng Tư pháp", 1, 2019, 5, 5, 4, 1], [None, 1, 2019, 3, 3, 3, 0]]
    result = read(SheetSpec("S", rows))
    assert result.findings.errors == []
    warning, = result.findings.warnings
    assert "không có tên" in warning.message or "để trống" in warning.message
    assert (warning.sheet, warning.row, warning.column) == ("S", 3, "Đơn vị")
    assert len(result.records) == 1


def test_warning_empty_table():
    result = read(SheetSpec("S", [["Đơn vị", "Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết",
                                   "Đúng hạn", "Quá hạn"]]))
    assert result.findings.errors == []
    warning, = result.findings.warnings
    assert "không có dòng số liệu" in warning.message and warning.sheet == "S"
    assert result.records.empty


def test_error_invalid_year():
    spec = template_sheet([template_record(), template_record("Phòng Nội vụ")])
    spec.rows[2][1] = "hai nghìn"
    error, = read(spec).findings.errors
    assert "Năm “hai nghìn” không hợp lệ" in error.message
    assert (error.sheet, error.row, error.column) == ("Số liệu", 3, "Năm")


def test_group_row_known_only_by_roman_stt_is_not_a_unit():
    groups = [("I", None, [("Phòng Tư pháp", figures())]), ("II", None, [("Ia Tul", figures())])]
    result = read(bieu06_sheet(groups, total=None))
    assert_clean(result)
    assert result.records["unit"].tolist() == ["Phòng Tư pháp", "UBND xã Ia Tul"]


def test_registry_group_names_are_groups():
    groups = [("I", "Cấp huyện", [("Phòng Tư pháp", figures())]),
              (None, "UBND các xã", [("Xã Mới", figures())])]
    result = read(bieu06_sheet(groups, total=None))
    assert result.records["unit"].tolist() == ["Phòng Tư pháp", "Xã Mới"]
    assert result.records["level"].tolist() == ["huyện", "xã"]


def test_total_label_merged_over_stt_and_name():
    spec = bieu06_sheet(standard_groups(), total="bottom")
    total_row = next(i for i, row in enumerate(spec.rows, start=1) if len(row) > 1 and row[1] == "Tổng cộng")
    spec.rows[total_row - 1][0], spec.rows[total_row - 1][1] = "TỔNG CỘNG", None
    spec.merges.append(f"A{total_row}:B{total_row}")
    result = read(spec)
    assert_clean(result)
    spec.rows[total_row - 1][2] += 1
    warning, = read(spec).findings.warnings
    assert (warning.row, warning.column) == (total_row, RECEIVED_TOTAL)
    assert "TỔNG CỘNG" in warning.message


def test_unit_label_merged_over_two_columns_is_one_column():
    header = ["STT", "Đơn vị", None, "Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    rows = [header, [1, "Phòng Tư pháp", None, 1, 2019, 5, 5, 4, 1]]
    result = read(SheetSpec("S", rows, merges=["B1:C1", "B2:C2"]))
    assert_clean(result)
    assert result.records["unit"].tolist() == ["Phòng Tư pháp"]


def test_instructions_table_describing_the_columns_is_not_a_table():
    rows = [["HƯỚNG DẪN NHẬP MẪU THỐNG KÊ"], [], ["Cột", "Ý nghĩa", "Tương ứng Biểu 06", "Bắt buộc"],
            ["Đơn vị", "Tên cơ quan, đơn vị hoặc UBND xã.", "Cột (2)", "Có"],
            ["Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ nhận giải quyết = trực tuyến + trực tiếp + từ kỳ trước.",
             "Số hồ sơ nhận giải quyết – Tổng số, cột (3)", "Có"],
            ["Trực tuyến", "Số hồ sơ mới tiếp nhận trực tuyến (mức độ 3 + mức độ 4).", "Trong đó: Trực tuyến, cột (4)",
             "Không"],
            ["Từ kỳ trước", "Số hồ sơ từ kỳ trước chuyển sang (bằng số đang giải quyết cuối tháng trước).",
             "Từ kỳ trước, cột (6)", "Không"]]
    workbook = load_workbook(book(SheetSpec("Hướng dẫn", rows)))
    assert not detect_stats_table(workbook)
    result = read(template_sheet([template_record()]), SheetSpec("Hướng dẫn", rows))
    assert_clean(result)


@pytest.mark.parametrize("name, layout", [("thong_ke_2019_minh_hoa.xlsx", "bieu06"),
                                          ("thong_ke_2019_minh_hoa_mau.xlsx", "template")])
def test_shipped_samples_read_without_errors(name, layout):
    path = ROOT / "data" / name
    assert path.exists(), f"{name} is shipped in data/ (python -m cchc.sample writes it)"
    result = read_stats(path.read_bytes(), name)
    assert result.findings.errors == []
    assert result.layout == layout
    assert len(result.records) > 0


def test_year_column_with_month_from_sheet_name():
    header = ["Đơn vị", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    result = read(SheetSpec("Tháng 4", [header, ["Phòng Tư pháp", 2020, 5, 5, 4, 1]]))
    assert_clean(result)
    assert result.records["period"].tolist() == ["2020-04"]


def test_two_unit_name_columns_read_the_first():
    header = ["Đơn vị", "Tên đơn vị", "Tháng", "Năm", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn",
              "Quá hạn"]
    result = read(SheetSpec("S", [header, ["Phòng Tư pháp", "TP", 1, 2019, 5, 5, 4, 1]]))
    assert result.findings.ok, result.findings.errors
    assert result.records["unit"].tolist() == ["Phòng Tư pháp"]
    warning, = only(result.findings.warnings, "trùng nghĩa")
    assert warning.message == "Cột “Tên đơn vị” trùng nghĩa với cột “Đơn vị”; chỉ đọc cột thứ nhất."
