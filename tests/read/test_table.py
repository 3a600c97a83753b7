"""The shared table module (cchc.read.table) and the vocabulary files every reader reads."""

import tomllib

import pytest
from support import PLAN_HEADER, SMALL_PLAN_ROWS, plan_bytes, xlsx_bytes

from cchc.fields import PROCEDURE_FIELDS, STATS_FIELDS
from cchc.read import table
from cchc.read.grid import Sheet, load_workbook
from cchc.read.plan import read_plan
from cchc.read.progress import read_progress
from cchc.read.stats import read_stats

UNMAPPED = "có số liệu nhưng phần mềm không biết cột này ghi gì nên không đọc"


def unmapped_warnings(findings):
    return [(w.sheet, w.row, w.column, w.message) for w in findings.warnings if UNMAPPED in w.message]


def test_a_numeric_statistics_column_nobody_reads_is_named_not_dropped():
    header = ["Đơn vị", "Năm", "Tháng", "Tổng số hồ sơ tiếp nhận", "Số hồ sơ phi địa giới", "Đã giải quyết",
              "Đúng hạn", "Quá hạn", "Ghi chú"]
    rows = [header, ["Phòng Tư pháp", 2019, 1, 10, 4, 9, 8, 1, "đủ"], ["UBND xã Ia Tul", 2019, 1, 6, 0, 6, 6, 0, None]]
    result = read_stats(xlsx_bytes({"T1": rows}), "t1.xlsx")
    assert result.findings.ok, result.findings.errors
    # column E, the header row 1; the text "Ghi chú" column (I) holds no figures and is not a warning
    assert unmapped_warnings(result.findings) == [
        ("T1", 1, "Số hồ sơ phi địa giới",
         "Cột E “Số hồ sơ phi địa giới” có số liệu nhưng phần mềm không biết cột này ghi gì nên không đọc. "
         "Nếu đây là số liệu cần dùng, hãy đổi tiêu đề theo mẫu.")]
    # what is read is unchanged: 10 + 6 received, 9 + 6 resolved
    assert int(result.records["received_total"].sum()) == 16 and int(result.records["resolved_total"].sum()) == 15


def test_an_unread_column_under_a_group_is_named_with_its_label_path():
    top = ["Đơn vị", "Tháng", "Năm", "Số hồ sơ nhận giải quyết", None, "Số hồ sơ đã giải quyết", None, None]
    sub = [None, None, None, "Tổng số", "Số hồ sơ chờ bổ sung", "Tổng số", "Đúng hạn", "Quá hạn"]
    rows = [top, sub, ["Phòng Tư pháp", 1, 2019, 10, 2, 9, 8, 1]]
    merges = {"S": ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:H1"]}
    result = read_stats(xlsx_bytes({"S": rows}, merges), "s.xlsx")
    assert result.findings.ok, result.findings.errors
    assert [(w[0], w[1], w[2]) for w in unmapped_warnings(result.findings)] == [
        ("S", 1, "Số hồ sơ nhận giải quyết › Số hồ sơ chờ bổ sung")]
    assert "Cột E " in unmapped_warnings(result.findings)[0][3]


def test_rates_are_recognised_as_rates_and_never_warned_as_unknown():
    header = ["Đơn vị", "Năm", "Tháng", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn",
              "Tỷ lệ đúng hạn (%)"]
    rows = [header, ["Phòng Tư pháp", 2019, 1, 10, 9, 8, 1, 88.9]]
    result = read_stats(xlsx_bytes({"T1": rows}), "t1.xlsx")
    assert result.findings.ok and unmapped_warnings(result.findings) == []


def test_rates_spelled_ti_le_are_rates_too():
    """"Tỉ lệ" and "tỷ lệ" are both correct Vietnamese; a one-stop export writes "Tỉ lệ trễ hạn" with numbers."""
    header = ["Đơn vị", "Năm", "Tháng", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn",
              "Tỉ lệ đúng hạn", "Tỉ lệ trễ hạn"]
    rows = [header, ["Phòng Tư pháp", 2019, 1, 10, 9, 8, 1, 88.9, 11.1]]
    result = read_stats(xlsx_bytes({"T1": rows}), "t1.xlsx")
    assert result.findings.ok and unmapped_warnings(result.findings) == []


def test_a_numeric_plan_column_nobody_reads_is_named():
    header = PLAN_HEADER[:5] + ["Điểm thưởng"] + PLAN_HEADER[5:]
    rows = [r[:5] + [0.5] + r[5:] for r in SMALL_PLAN_ROWS]
    result = read_plan(plan_bytes(rows=rows, header=header), "ke_hoach.xlsx")
    assert result.plan is not None and len(result.plan.criteria) == 2
    # title on row 1, a blank row 2, the header on row 3; the extra column is F
    assert [(w[0], w[1], w[2]) for w in unmapped_warnings(result.findings)] == [("Kế hoạch", 3, "Điểm thưởng")]
    assert "Cột F " in unmapped_warnings(result.findings)[0][3]


def test_a_numeric_progress_column_nobody_reads_is_named():
    header = ["Mã tiêu chí", "Kỳ báo cáo", "Giá trị", "Mức ưu tiên", "Trạng thái"]
    rows = [header, ["6.1.2", "2019-06", "78%", 2, "Đang thực hiện"]]
    result = read_progress(xlsx_bytes({"Tiến độ": rows}), "tien_do.xlsx")
    assert result.ok, result.findings.errors
    assert [(w[0], w[1], w[2]) for w in unmapped_warnings(result.findings)] == [("Tiến độ", 1, "Mức ưu tiên")]
    assert float(result.records["value"].iloc[0]) == pytest.approx(0.78)


def test_every_vocabulary_file_names_only_canonical_fields():
    canonical = {
        "stats": set(STATS_FIELDS) | {"unit", "stt", "month", "year", "late?", "received_total?", "received_new",
                                          "resolved_on_time+early", "resolved_late_apology", "resolved_late_no_apology",
                                          "pending_overdue_apology", "pending_overdue_no_apology"},
        "procedures": set(PROCEDURE_FIELDS) | {"unit", "year"},
        "plan": {"code", "name", "standard", "appraised", "self_assessed", "lost", "solution", "lead", "partners",
                 "timeline", "note"},
        "progress": {"code", "period", "value", "status", "doc_number", "doc_date", "agency", "note"},
    }
    for kind, fields in canonical.items():
        with open(table.VOCABULARY_DIR / f"{kind}.toml", "rb") as handle:
            spec = tomllib.load(handle)
        named = {c.get("field", "") for c in spec["column"]} - {""}
        assert named <= fields, (kind, named - fields)
        assert all(c.get("unit") or not c.get("field") for c in spec["column"]), kind  # every field says its unit


def test_the_vocabulary_is_data():
    """A new label becomes a field by a line in a vocabulary, not by code."""
    spec = {"header": {"rows": 2, "accept": [{"require": ["unit", "count"]}]},
            "define": {"pre": "(?:so )?"},
            "label": {"normalise": [{"pattern": r"\s+", "replace": " "}, {"strip": " :"}]},
            "section": [{"name": "g", "pattern": r"\bnhom\b"}],
            "column": [{"field": "", "any": ["ty le"]},
                       {"field": "count", "match": "{{pre}}ho so", "under": ["g"], "unit": "count"},
                       {"field": "unit", "match": "don vi|co quan", "unit": "text"}]}
    vocabulary = table.Vocabulary("test", spec)
    assert vocabulary.classify(("nhom a", "so ho so")) == "count"
    assert vocabulary.classify(("so ho so",)) is None  # not under its group
    assert vocabulary.classify(("nhom a", "ty le ho so")) is None  # recognised as a rate, not read
    assert vocabulary.normalise("  Đơn   vị : ") == "don vi"
    sheet = Sheet("S", [["Tiêu đề"], ["Cơ quan", "Nhóm A"], [None, "Số hồ sơ"], ["Phòng Tư pháp", 4]],
                  merged=[(1, 0, 2, 0)])
    header = table.find_header(sheet, vocabulary)
    assert header is not None and header.roles == {"unit": 0, "count": 1}
    assert (header.top, header.bottom, header.data_start) == (1, 2, 3)
    assert header.labels == {0: "Cơ quan", 1: "Nhóm A › Số hồ sơ"}


def test_the_header_search_looks_at_a_bounded_block_only():
    """A sheet 16.384 columns wide and 10.000 rows deep: only scan_rows × scan_columns cells are looked at."""
    wide = ["x"] * 16384
    rows = [list(wide) for _ in range(100)] + [["Đơn vị", "Tổng số hồ sơ tiếp nhận"]]
    sheet = Sheet("S", rows)
    vocabulary = table.load_vocabulary("stats")
    assert table.find_header(sheet, vocabulary) is None  # the header sits below the first 30 rows
    (width,) = {len(r) for r in next(iter(sheet.grids.values()))[0]}
    assert width == vocabulary.scan_columns == 150


def test_the_memo_cannot_grow_without_bound():
    vocabulary = table.load_vocabulary("stats")
    for i in range(vocabulary._MEMO_LIMIT + 10):
        vocabulary.classify((f"cot {i}",))
        vocabulary.normalise(f"Cột {i}")
    assert len(vocabulary._classified) <= vocabulary._MEMO_LIMIT + 1
    assert len(vocabulary._normalised) <= vocabulary._MEMO_LIMIT + 1


@pytest.mark.parametrize("cells, expected", [
    (["(1)", "(2)", "(3)"], True), (["1", "2", "3", "4"], True), (["A", "B", "1", "2", "3"], True),
    (["(1)", "(2)"], True), (["(4)=(5)+(6)", "(5)", "(6)"], True), (["1", "3", "4"], False),
    (["Phòng Tư pháp", "1", "2"], False), (["1"], False),
])
def test_one_numbering_row_rule(cells, expected):
    assert table.is_numbering_row(cells) is expected


def test_the_shipped_workbooks_need_no_unread_column_warning():
    from support import DATA

    for path in sorted(DATA.glob("*.xlsx")):
        workbook = load_workbook(path.read_bytes(), path.name)
        from cchc.ingest import check_file

        result = check_file(path.read_bytes(), path.name)
        assert not unmapped_warnings(result.findings), path.name
        assert workbook.sheets
