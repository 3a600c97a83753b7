"""The shipped sample data and blank templates (cchc/sample/): structure, identities and the sample's story."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from cchc import sample
from cchc.fields import STATS_FIELDS, TEMPLATE_HEADERS
from cchc.read.grid import load_workbook
from cchc.read.plan import read_plan
from cchc.read.targets import parse_target
from cchc.registry import load_registry
from cchc.sample import (
    BIEU06_FIELD_COLUMNS,
    BIEU06_FIRST_BODY_ROW,
    BIEU06_FIRST_FIELD_COL,
    BIEU06_HEADER_ROW,
    BIEU06_NUMBERING_ROW,
    ILLUSTRATIVE_NOTE,
    PLAN_HEADERS,
    PLAN_TEMPLATE_FILE,
    SAMPLE_STATS_FILE,
    SAMPLE_STATS_TEMPLATE_LAYOUT_FILE,
    SAMPLE_UNITS,
    STATS_TEMPLATE_FILE,
    build_bieu06_workbook,
    build_plan_template,
    build_stats_template,
    build_template_workbook,
    sample_stats_table,
    story_rates,
)

LAND_OFFICE = "Chi nhánh Văn phòng đăng ký đất đai"
LAGGING_COMMUNE = "UBND xã Ia Kdăm"
SLOW_OFFICE = "Phòng Tài nguyên và Môi trường"
LAST_DAY = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return sample_stats_table()


@pytest.fixture(scope="module")
def bieu06_book():
    return openpyxl.load_workbook(SAMPLE_STATS_FILE)


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _body(ws) -> list[tuple]:
    """Rows from the first body row up to and including "Tổng cộng"."""
    rows = []
    for row in ws.iter_rows(min_row=BIEU06_FIRST_BODY_ROW, values_only=True):
        rows.append(row)
        if row[1] == "Tổng cộng":
            return rows
    raise AssertionError(f"{ws.title}: no Tổng cộng row")


def _numbers(row: tuple) -> list[int]:
    return list(row[BIEU06_FIRST_FIELD_COL - 1:BIEU06_FIRST_FIELD_COL - 1 + len(BIEU06_FIELD_COLUMNS)])


def _groups(ws) -> list[tuple[tuple, list[tuple]]]:
    """(group row, unit rows) for each group above the total."""
    groups: list[tuple[tuple, list[tuple]]] = []
    for row in _body(ws)[:-1]:
        if isinstance(row[0], str):  # "I", "II": a group row
            groups.append((row, []))
        else:
            groups[-1][1].append(row)
    return groups


# --- the in-memory table ------------------------------------------------------------------------------------------

def test_table_shape_units_and_levels(table):
    assert list(table.columns) == ["unit", "level", "year", "month", *STATS_FIELDS]
    assert len(table) == 20 * 12
    assert list(dict.fromkeys(table["unit"])) == list(SAMPLE_UNITS)
    assert set(table["year"]) == {2019} and sorted(set(table["month"])) == list(range(1, 13))
    assert not table.duplicated(["unit", "year", "month"]).any()
    registry = load_registry()
    for unit, level in table[["unit", "level"]].drop_duplicates().itertuples(index=False):
        agency = registry.lookup(unit)
        assert agency is not None and agency.name == unit and agency.level == level, unit
    communes = {a.name for a in registry.units("xã") if a.kind == "commune"}
    assert set(table.loc[table["level"] == "xã", "unit"]) == communes
    assert (table[list(STATS_FIELDS)] >= 0).all().all()
    assert all(table[f].dtype == "int64" for f in STATS_FIELDS)


def test_table_identities_every_unit_month(table):
    t = table
    new = t.received_total - t.received_carried
    checks = {
        "received = online + direct + carried": t.received_total == t.received_online + t.received_direct
        + t.received_carried,
        "received = resolved + pending": t.received_total == t.resolved_total + t.pending_total,
        "resolved = early + on time + late": t.resolved_total == t.resolved_early + t.resolved_on_time
        + t.resolved_late,
        "pending = in time + overdue": t.pending_total == t.pending_in_time + t.pending_overdue,
        "l3 + l4 = online": t.received_online_l3 + t.received_online_l4 == t.received_online,
        "bcci <= new": t.received_bcci <= new,
        "bcci <= direct/postal": t.received_bcci <= t.received_direct,
        "returned bcci <= resolved": t.returned_bcci <= t.resolved_total,
        "apologies <= late + overdue": t.late_apologies <= t.resolved_late + t.pending_overdue,
        "no toàn trình/một phần figures": (t.received_online_full == 0) & (t.received_online_partial == 0),
    }
    for name, ok in checks.items():
        assert ok.all(), f"{name}: {t.loc[~ok, ['unit', 'month']].values.tolist()[:5]}"
    for unit, rows in t.groupby("unit", sort=False):
        rows = rows.sort_values("month")
        carried, pending = rows.received_carried.tolist(), rows.pending_total.tolist()
        assert carried[1:] == pending[:-1], unit
        assert carried[0] >= 0


def test_table_volumes(table):
    new = table.received_total - table.received_carried
    communes = table.level == "xã"
    land = table.unit == LAND_OFFICE
    small = ~communes & ~land
    assert new[communes].between(20, 150).all()
    assert new[land].between(60, 200).all()
    assert new[small].between(0, 15).all()
    assert (new[small] == 0).sum() >= 5  # some small offices have months without a dossier


def test_table_tells_the_story(table):
    year = story_rates(table)
    assert 0.93 <= year["on_time"] <= 0.99
    assert year["online_l4"] < 0.10  # the 7.2.3 target (≥ 10%) is still missed
    jan, dec = story_rates(table[table.month == 1]), story_rates(table[table.month == 12])
    assert jan["online_l3"] <= 0.05 and 0.18 <= dec["online_l3"] <= 0.26
    assert jan["online_l4"] <= 0.015 and 0.05 <= dec["online_l4"] < 0.10
    assert jan["bcci_intake"] <= 0.04 and 0.08 <= dec["bcci_intake"] <= 0.14
    assert jan["bcci_return"] <= 0.05 and 0.10 <= dec["bcci_return"] <= 0.16
    assert jan["apology"] <= 0.60 and dec["apology"] >= 0.80
    monthly_l3 = [story_rates(table[table.month == m])["online_l3"] for m in range(1, 13)]
    assert monthly_l3[11] > monthly_l3[5] > monthly_l3[0]

    def on_time(rows):
        return story_rates(rows)["on_time"]

    q2 = table.month.between(4, 6)
    assert on_time(table[(table.unit == LAND_OFFICE) & q2]) < 0.88
    assert on_time(table[(table.unit == LAGGING_COMMUNE) & q2]) < 0.90
    behind = {unit for unit, rows in table.groupby("unit")
              if rows.resolved_total.sum() >= 50 and on_time(rows) < 0.95}
    assert behind == {LAND_OFFICE, LAGGING_COMMUNE, SLOW_OFFICE}


def test_generation_is_deterministic(table):
    pd.testing.assert_frame_equal(sample_stats_table(), table)
    assert build_bieu06_workbook(table) == build_bieu06_workbook(table)
    assert build_template_workbook(table) == build_template_workbook(table)
    assert build_stats_template() == build_stats_template()
    assert build_plan_template() == build_plan_template()


def test_shipped_files_are_up_to_date(table):
    """data/ holds exactly what `python -m cchc.sample` writes. The templates list the registry's units, so
    rerun the command after changing cchc/sample/, data/don_vi.csv or data/to_chuc.json."""
    hint = "stale: run `.venv/bin/python -m cchc.sample`"
    assert SAMPLE_STATS_FILE.read_bytes() == build_bieu06_workbook(table, "UBND huyện Ia Pa"), hint
    assert SAMPLE_STATS_TEMPLATE_LAYOUT_FILE.read_bytes() == build_template_workbook(table), hint
    assert STATS_TEMPLATE_FILE.read_bytes() == build_stats_template(), hint
    assert PLAN_TEMPLATE_FILE.read_bytes() == build_plan_template(), hint


def test_the_documented_command_rewrites_the_files(tmp_path):
    """`python -m cchc.sample` is what the hint above and the module docstring tell a maintainer to run."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "cchc.sample", str(tmp_path)], capture_output=True, text=True,
                          cwd=sample.DATA_DIR.parent, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    names = [SAMPLE_STATS_FILE.name, SAMPLE_STATS_TEMPLATE_LAYOUT_FILE.name, STATS_TEMPLATE_FILE.name,
             PLAN_TEMPLATE_FILE.name]
    assert done.stdout.splitlines() == [str(tmp_path / name) for name in names]
    for name in names:
        assert (tmp_path / name).read_bytes() == (sample.DATA_DIR / name).read_bytes(), name


def test_write_all(tmp_path):
    written = sample.write_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(
        p.name for p in (SAMPLE_STATS_FILE, SAMPLE_STATS_TEMPLATE_LAYOUT_FILE, STATS_TEMPLATE_FILE,
                         PLAN_TEMPLATE_FILE))
    for path in written:
        assert path.read_bytes() == (sample.DATA_DIR / path.name).read_bytes()


# --- the Biểu 06 workbook -----------------------------------------------------------------------------------------

def test_bieu06_sheets_and_title_block(bieu06_book):
    assert bieu06_book.sheetnames == [f"T{m:02d}" for m in range(1, 13)]
    for month, ws in enumerate(bieu06_book.worksheets, start=1):
        texts = [v for row in ws.iter_rows(max_row=BIEU06_HEADER_ROW - 1, values_only=True) for v in row if v]
        assert ws["A1"].value == "UBND HUYỆN IA PA"
        assert "Biểu số 06" in texts
        assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC" in texts
        last = LAST_DAY[month]
        assert (f"Kỳ báo cáo: Tháng {month:02d} năm 2019 (Từ ngày 01/{month:02d}/2019 "
                f"đến ngày {last:02d}/{month:02d}/2019)") in texts
        assert "Đơn vị báo cáo: UBND huyện Ia Pa" in texts
        assert "Đơn vị tính: Số hồ sơ TTHC" in texts
        assert ILLUSTRATIVE_NOTE in texts
    assert "ngày 28/02/2019" in bieu06_book["T02"]["A5"].value


def test_bieu06_merged_three_row_header(bieu06_book):
    ws = bieu06_book["T01"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    h0, h1, h2 = BIEU06_HEADER_ROW, BIEU06_HEADER_ROW + 1, BIEU06_HEADER_ROW + 2
    expected = {f"A{h0}:A{h2}", f"B{h0}:B{h2}", f"C{h0}:F{h0}", f"C{h1}:C{h2}", f"D{h1}:E{h1}", f"F{h1}:F{h2}",
                f"G{h0}:J{h0}", f"K{h0}:M{h0}", *(f"{c}{h1}:{c}{h2}" for c in "GHIJKLM"),
                *(f"{c}{h0}:{c}{h2}" for c in "NOPQR")}
    assert expected <= merged
    value = {cell: ws[cell].value for cell in (
        f"A{h0}", f"B{h0}", f"C{h0}", f"C{h1}", f"D{h1}", f"D{h2}", f"E{h2}", f"F{h1}", f"G{h0}", f"G{h1}",
        f"H{h1}", f"I{h1}", f"J{h1}", f"K{h0}", f"K{h1}", f"L{h1}", f"M{h1}", f"N{h0}", f"O{h0}", f"P{h0}",
        f"Q{h0}", f"R{h0}")}
    assert list(value.values()) == [
        "STT", "Lĩnh vực, công việc giải quyết theo cấp", "Số hồ sơ nhận giải quyết", "Tổng số", "Trong đó",
        "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Số hồ sơ đã giải quyết", "Tổng số",
        "Trước hạn", "Đúng hạn", "Quá hạn", "Số lượng hồ sơ đang giải quyết", "Tổng số", "Trong hạn", "Quá hạn",
        "Trực tuyến mức độ 3", "Mức độ 4", "Tiếp nhận qua BCCI", "Trả kết quả qua BCCI",
        "Số hồ sơ quá hạn đã có văn bản xin lỗi"]
    assert ws[f"A{h0}"].font.bold and ws[f"A{h0}"].border.left.style == "thin"
    numbering = [c.value for c in ws[BIEU06_NUMBERING_ROW]]
    assert numbering == [f"({i})" for i in range(1, 19)]
    assert ws.column_dimensions["B"].width > 30


def test_bieu06_groups_subtotals_and_total(bieu06_book, table):
    registry = load_registry()
    for month, ws in enumerate(bieu06_book.worksheets, start=1):
        groups = _groups(ws)
        assert [(g[0][0], g[0][1]) for g in groups] == [("I", "Cấp huyện"), ("II", "Cấp xã")]
        month_rows = table[table.month == month].set_index("unit")
        grand = [0] * len(BIEU06_FIELD_COLUMNS)
        for (group_row, units), level in zip(groups, ("huyện", "xã")):
            assert [u[0] for u in units] == list(range(1, len(units) + 1))
            names = [u[1] for u in units]
            assert names == [n for n in SAMPLE_UNITS if registry.lookup(n).level == level]
            subtotal = [sum(col) for col in zip(*(_numbers(u) for u in units))]
            assert _numbers(group_row) == subtotal
            for unit_row in units:
                assert _numbers(unit_row) == [int(month_rows.loc[unit_row[1], f]) for f in BIEU06_FIELD_COLUMNS]
            grand = [a + b for a, b in zip(grand, subtotal)]
        total_row = _body(ws)[-1]
        assert total_row[1] == "Tổng cộng"
        assert _numbers(total_row) == grand
        assert _numbers(total_row) == [int(month_rows[f].sum()) for f in BIEU06_FIELD_COLUMNS]


def test_bieu06_signature_block(bieu06_book):
    def below_total(ws):
        rows = list(ws.iter_rows(min_row=BIEU06_FIRST_BODY_ROW + len(_body(ws)), values_only=True))
        return [v for row in rows for v in row if v]

    t01 = below_total(bieu06_book["T01"])
    assert "Ia Pa, ngày 05 tháng 02 năm 2019" in t01
    assert "Người lập biểu" in t01 and "Thủ trưởng đơn vị" in t01
    assert "Ia Pa, ngày 05 tháng 01 năm 2020" in below_total(bieu06_book["T12"])


def test_generated_files_pass_the_safe_loader():
    for path in (SAMPLE_STATS_FILE, SAMPLE_STATS_TEMPLATE_LAYOUT_FILE, STATS_TEMPLATE_FILE, PLAN_TEMPLATE_FILE):
        book = load_workbook(path.read_bytes(), path.name)
        assert book.unsaved_formulas == {}, path.name
    book = load_workbook(SAMPLE_STATS_FILE.read_bytes())
    header_merges = [m for m in book.sheets[0].merged if m[0] == BIEU06_HEADER_ROW - 1]
    assert (BIEU06_HEADER_ROW - 1, 2, BIEU06_HEADER_ROW - 1, 5) in header_merges  # 0-based C10:F10


def test_bieu06_builder_any_table():
    rows = []
    for year, month in ((2024, 12), (2025, 1)):
        for unit, level in (("UBND xã A", "xã"), ("Sở B", "tỉnh"), ("UBND xã C", "xã"), ("Tổ D", "")):
            rows.append({"unit": unit, "level": level, "year": year, "month": month, "received_total": 10,
                         "resolved_total": 7, "resolved_on_time": 6, "resolved_late": 1, "pending_total": 3})
    data = build_bieu06_workbook(pd.DataFrame(rows), "UBND xã Ia Tul", illustrative=False)
    book = _open(data)
    assert book.sheetnames == ["T12-2024", "T01-2025"]
    ws = book["T01-2025"]
    assert ws["A1"].value == "UBND XÃ IA TUL"
    texts = [v for row in ws.iter_rows(values_only=True) for v in row if v]
    assert ILLUSTRATIVE_NOTE not in texts
    assert "Kỳ báo cáo: Tháng 01 năm 2025 (Từ ngày 01/01/2025 đến ngày 31/01/2025)" in texts
    assert "Ia Tul, ngày 05 tháng 02 năm 2025" in texts
    groups = _groups(ws)
    # Levels known to the organisation first, in its order; then the others in order of appearance.
    assert [(g[0][0], g[0][1], [u[1] for u in g[1]]) for g in groups] == [
        ("I", "Cấp xã", ["UBND xã A", "UBND xã C"]), ("II", "Cấp tỉnh", ["Sở B"]), ("III", "Đơn vị khác", ["Tổ D"])]
    total = _numbers(_body(ws)[-1])
    by_field = dict(zip(BIEU06_FIELD_COLUMNS, total))
    assert by_field["received_total"] == 40 and by_field["resolved_late"] == 4
    assert by_field["received_online_l3"] == 0  # missing fields are written as 0


# --- the template layout ------------------------------------------------------------------------------------------

def test_template_layout_file_carries_the_same_figures(table, bieu06_book):
    book = openpyxl.load_workbook(SAMPLE_STATS_TEMPLATE_LAYOUT_FILE, read_only=True)
    assert book.sheetnames == ["Thống kê"]
    rows = list(book["Thống kê"].iter_rows(values_only=True))
    assert rows[0] == TEMPLATE_HEADERS
    assert len(rows) == 1 + len(table)
    frame = pd.DataFrame(rows[1:], columns=["unit", "year", "month", *STATS_FIELDS])
    pd.testing.assert_frame_equal(frame, table.drop(columns="level").reset_index(drop=True), check_dtype=False)
    template_totals = frame[list(BIEU06_FIELD_COLUMNS)].sum().astype(int).tolist()
    bieu06_totals = [sum(col) for col in zip(*(_numbers(_body(ws)[-1]) for ws in bieu06_book.worksheets))]
    assert template_totals == bieu06_totals


def test_template_builder_fast_path_matches_openpyxl(table):
    odd = table.head(30).copy()
    odd.loc[odd.index[0], "unit"] = "Đơn vị <A> & “B”"
    odd.loc[odd.index[1], "unit"] = " có dấu cách "
    assert build_template_workbook(odd) == build_template_workbook(odd, _raw_rows=False)
    big = pd.concat([table] * 10, ignore_index=True)
    sheet = load_workbook(build_template_workbook(big)).sheets[0]
    assert len(sheet.rows) == 1 + len(big)
    assert sheet.rows[-1][0] == big.unit.iloc[-1] and sheet.rows[-1][3] == big.received_total.iloc[-1]
    empty = _open(build_template_workbook(table.head(0)))
    assert [c.value for c in empty["Thống kê"][1]] == list(TEMPLATE_HEADERS) and empty["Thống kê"].max_row == 1


# --- the blank templates ------------------------------------------------------------------------------------------

def _guide_text(book) -> str:
    return "\n".join(str(v) for row in book["Hướng dẫn"].iter_rows(values_only=True) for v in row if v)


def test_stats_template():
    book = openpyxl.load_workbook(STATS_TEMPLATE_FILE)
    assert book.sheetnames == ["Thống kê", "Hướng dẫn"]
    ws = book["Thống kê"]
    assert [c.value for c in ws[1]] == list(TEMPLATE_HEADERS)
    assert ws.max_row == 1  # a blank template imports as "no data rows"
    assert ws.freeze_panes == "B2"
    assert all(c.font.bold and c.comment is not None for c in ws[1])
    assert ws.column_dimensions["A"].width >= 30
    validations = ws.data_validations.dataValidation
    assert len(validations) >= len(STATS_FIELDS) and all(v.prompt for v in validations)
    assert len(load_workbook(STATS_TEMPLATE_FILE.read_bytes()).sheets[0].rows) == 1
    guide = _guide_text(book)
    for phrase in ("một đơn vị trong một tháng", "Ô để trống được hiểu là 0", "số nguyên từ 0 trở lên",
                   "thay thế số liệu cũ", "Biểu số 06", "Một cửa điện tử",
                   "Tổng số hồ sơ tiếp nhận = Tổng số hồ sơ đã giải quyết + Tổng số hồ sơ đang giải quyết",
                   "Từ kỳ trước (tháng này) = Tổng số hồ sơ đang giải quyết (tháng trước)", "cột (14)",
                   "UBND xã Ia Tul", "Chi nhánh Văn phòng đăng ký đất đai"):
        assert phrase in guide, phrase


def test_plan_template():
    book = openpyxl.load_workbook(PLAN_TEMPLATE_FILE)
    assert book.sheetnames == ["Kế hoạch", "Hướng dẫn"]
    ws = book["Kế hoạch"]
    assert ws["A1"].value.startswith("KẾ HOẠCH KHẮC PHỤC") and "CHỈ SỐ CCHC NĂM" in ws["A1"].value
    header = [c.value for c in ws[3]]
    assert header == list(PLAN_HEADERS)
    assert header == ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm chuẩn", "Điểm thẩm định 2025",
                      "Điểm bị mất", "Giải pháp", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp",
                      "Thời gian thực hiện", "Ghi chú"]
    assert "Đổi 2025" in ws["D3"].comment.text
    assert ws.max_row == 3 and all(c.font.bold for c in ws[3])
    guide = _guide_text(book)
    for phrase in ("IN HOA", "“3.4”", "“7.2.2”", "Từ 20% hồ sơ TTHC trở lên được xử lý trực tuyến mức độ 3",
                   "100% số hồ sơ TTHC trong năm được giải quyết đúng hạn", "dấu phẩy",
                   "Quý I, 6 tháng, Quý III và năm", "Trong năm 2019 và các năm tiếp theo"):
        assert phrase in guide, phrase
    # The plan reader finds the header on "Kế hoạch", not the example on "Hướng dẫn", and sees no criteria.
    result = read_plan(PLAN_TEMPLATE_FILE.read_bytes(), PLAN_TEMPLATE_FILE.name)
    messages = " ".join(str(e) for e in result.findings.errors)
    assert "Không tìm thấy bảng kế hoạch" not in messages
    assert result.plan is None or not result.plan.criteria


def test_plan_guide_target_phrases_are_understood():
    l3 = parse_target("Từ 20% hồ sơ TTHC trở lên được xử lý trực tuyến mức độ 3")
    assert (l3.metric, l3.op, l3.value) == ("online_l3_share", ">=", pytest.approx(0.2))
    on_time = parse_target("100% số hồ sơ TTHC trong năm được giải quyết đúng hạn")
    assert (on_time.metric, on_time.value) == ("on_time_rate", pytest.approx(1.0))


# --- content checks that do not come from the generator ------------------------------------------------------------
# test_shipped_files_are_up_to_date compares data/ with what the builders write today: it proves the files are
# current, not that they say the right thing (a changed builder rewrites both). These read the files with openpyxl
# and compare them with literals: Kế hoạch 75 itself, and the sample's figures as published with the dashboard.

TEMPLATE_HEADER_TEXTS = [
    "Đơn vị", "Năm", "Tháng", "Tổng số hồ sơ tiếp nhận", "Trực tuyến", "Trực tuyến mức độ 3", "Trực tuyến mức độ 4",
    "Trực tuyến toàn trình", "Trực tuyến một phần", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
    "Tiếp nhận qua BCCI", "Tổng số hồ sơ đã giải quyết", "Giải quyết trước hạn", "Giải quyết đúng hạn",
    "Giải quyết quá hạn", "Tổng số hồ sơ đang giải quyết", "Đang giải quyết trong hạn", "Đang giải quyết quá hạn",
    "Trả kết quả qua BCCI", "Số hồ sơ quá hạn đã có văn bản xin lỗi"]

# The 2019 sample in the template layout, summed over its 240 unit-months (the figures the dashboard shows for 2019:
# on time (4.529 + 4.139) / 8.960 = 96,7%; online level 3: 1.154 / (10.815 − 1.808) = 12,8%).
SAMPLE_2019_TOTALS = {
    "Tổng số hồ sơ tiếp nhận": 10815, "Trực tuyến": 1510, "Trực tuyến mức độ 3": 1154, "Trực tuyến mức độ 4": 356,
    "Trực tuyến toàn trình": 0, "Trực tuyến một phần": 0, "Trực tiếp, dịch vụ bưu chính": 7497, "Từ kỳ trước": 1808,
    "Tiếp nhận qua BCCI": 596, "Tổng số hồ sơ đã giải quyết": 8960, "Giải quyết trước hạn": 4529,
    "Giải quyết đúng hạn": 4139, "Giải quyết quá hạn": 292, "Tổng số hồ sơ đang giải quyết": 1855,
    "Đang giải quyết trong hạn": 1708, "Đang giải quyết quá hạn": 147, "Trả kết quả qua BCCI": 667,
    "Số hồ sơ quá hạn đã có văn bản xin lỗi": 285}

# Biểu 06 columns (3)–(18), in the order of the form
BIEU06_T01_TOTAL = [882, 26, 741, 115, 732, 383, 325, 24, 150, 140, 10, 24, 2, 20, 22, 16]
BIEU06_T12_TOTAL = [965, 233, 576, 156, 803, 415, 370, 18, 162, 151, 11, 170, 63, 86, 94, 26]
BIEU06_T01_IA_TUL = [67, 2, 64, 1, 62, 45, 15, 2, 5, 5, 0, 2, 0, 3, 0, 1]

COMMUNES = ["UBND xã Ia Tul", "UBND xã Chư Răng", "UBND xã Kim Tân", "UBND xã Pờ Tó", "UBND xã Chư Mố",
            "UBND xã Ia Kdăm", "UBND xã Ia Broăi", "UBND xã Ia Trok", "UBND xã Ia Mrơn"]


def _number(value) -> float:
    """A figure of the plan document as typed there: 1.75, 1 or the text "0,75"."""
    return float(str(value).replace(",", "."))


def test_the_plan_document_kế_hoạch_75():
    """data/ke_hoach_75_2019.xlsx is the published appendix of Kế hoạch 75/KH-UBND: 27 criteria in 5 domains,
    55 standard points, 35,75 appraised in 2018, 19,25 lost."""
    from support import DATA

    ws = openpyxl.load_workbook(DATA / "ke_hoach_75_2019.xlsx").worksheets[0]
    assert ws.title == "Phụ lục" and ws["A1"].value == "UBND HUYỆN IA PA"
    assert [c.value for c in ws[8]][:5] == ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm chuẩn",
                                            "Điểm thẩm định 2018", "Điểm bị mất"]
    domains, criteria = {}, {}
    for stt, name, standard, appraised, lost, *_ in ws.iter_rows(min_row=9, max_row=47, values_only=True):
        if stt is None:
            continue
        figures = (_number(standard), _number(appraised), _number(lost))
        if isinstance(stt, int):
            domains[str(stt)] = figures
        else:
            criteria[str(stt)] = figures
    assert list(domains) == ["1", "3", "5", "6", "7"]
    assert domains == {"1": (8.25, 6.75, 1.5), "3": (15, 8.5, 6.5), "5": (7.5, 4.25, 3.25), "6": (11, 6.5, 4.5),
                       "7": (13.25, 9.75, 3.5)}
    assert [sum(d[i] for d in domains.values()) for i in range(3)] == [55, 35.75, 19.25]
    assert len(criteria) == 27
    assert sum(c[2] for c in criteria.values()) == 19.25
    for code, (standard, appraised, lost) in criteria.items():
        assert standard - appraised == pytest.approx(lost), code
    for code, (_, _, lost) in domains.items():
        assert sum(c[2] for k, c in criteria.items() if k.split(".")[0] == code) == pytest.approx(lost), code
    assert criteria["3.4"] == (2, 1, 1) and criteria["7.2.2"] == (0.5, 0, 0.5) and criteria["1.2"] == (1.75, 0.75, 1)


def test_sample_statistics_files_carry_the_published_figures(bieu06_book):
    t01, t12 = bieu06_book["T01"], bieu06_book["T12"]
    assert _numbers(_body(t01)[-1]) == BIEU06_T01_TOTAL
    assert _numbers(_body(t12)[-1]) == BIEU06_T12_TOTAL
    assert _numbers(next(r for r in _body(t01) if r[1] == "UBND xã Ia Tul")) == BIEU06_T01_IA_TUL
    year = [sum(col) for col in zip(*(_numbers(_body(ws)[-1]) for ws in bieu06_book.worksheets))]
    bieu06_headers = ["Tổng số hồ sơ tiếp nhận", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
                      "Tổng số hồ sơ đã giải quyết", "Giải quyết trước hạn", "Giải quyết đúng hạn",
                      "Giải quyết quá hạn", "Tổng số hồ sơ đang giải quyết", "Đang giải quyết trong hạn",
                      "Đang giải quyết quá hạn", "Trực tuyến mức độ 3", "Trực tuyến mức độ 4", "Tiếp nhận qua BCCI",
                      "Trả kết quả qua BCCI", "Số hồ sơ quá hạn đã có văn bản xin lỗi"]
    assert dict(zip(bieu06_headers, year)) == {h: SAMPLE_2019_TOTALS[h] for h in bieu06_headers}

    rows = list(openpyxl.load_workbook(SAMPLE_STATS_TEMPLATE_LAYOUT_FILE, read_only=True).worksheets[0]
                .iter_rows(values_only=True))
    assert list(rows[0]) == TEMPLATE_HEADER_TEXTS and len(rows) == 1 + 20 * 12
    totals = {h: sum(r[i] for r in rows[1:]) for i, h in enumerate(TEMPLATE_HEADER_TEXTS) if i >= 3}
    assert totals == SAMPLE_2019_TOTALS
    units = list(dict.fromkeys(r[0] for r in rows[1:]))
    assert len(units) == 20 and units[-9:] == COMMUNES and units[10] == "Chi nhánh Văn phòng đăng ký đất đai"
    assert {r[1] for r in rows[1:]} == {2019} and sorted({r[2] for r in rows[1:]}) == list(range(1, 13))
    assert rows[1] == ("Phòng Tư pháp", 2019, 1, 11, 0, 0, 0, 0, 0, 10, 1, 0, 8, 8, 0, 0, 3, 3, 0, 0, 0)


def test_blank_templates_have_the_documented_headers():
    from support import DATA

    heads = {name: [c.value for c in openpyxl.load_workbook(DATA / name).worksheets[0][1]]
             for name in ("mau_thong_ke.xlsx", "mau_tien_do.xlsx", "mau_thu_tuc.xlsx")}
    assert heads["mau_thong_ke.xlsx"] == TEMPLATE_HEADER_TEXTS
    assert heads["mau_tien_do.xlsx"] == ["Mã tiêu chí", "Kỳ báo cáo", "Giá trị", "Trạng thái", "Số văn bản",
                                         "Ngày văn bản", "Cơ quan báo cáo", "Ghi chú"]
    assert heads["mau_thu_tuc.xlsx"] == [
        "Đơn vị", "Năm", "Tổng số TTHC", "TTHC xử lý trên phần mềm Một cửa điện tử",
        "TTHC cung cấp trực tuyến mức độ 3, 4", "TTHC trực tuyến mức độ 3", "TTHC trực tuyến mức độ 4",
        "TTHC trực tuyến toàn trình", "TTHC trực tuyến một phần", "TTHC trực tuyến có phát sinh hồ sơ",
        "TTHC cung cấp qua dịch vụ BCCI", "TTHC có phát sinh hồ sơ qua BCCI",
        "TTHC công khai tiến độ, kết quả giải quyết"]


def test_illustrative_progress_and_procedures_files():
    """The progress reports cover the plan's criteria that no statistics or procedure count measures; the
    procedure counts' total row is the sum of its 20 units."""
    import datetime as dt

    from support import DATA

    sheet = openpyxl.load_workbook(DATA / "tien_do_2019_minh_hoa.xlsx").worksheets[0]
    assert sheet["A1"].value.startswith("DỮ LIỆU MINH HỌA – không phải số liệu thật. Báo cáo tiến độ thực hiện "
                                        "Kế hoạch 75/KH-UBND năm 2019")
    reports = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    reported = ["1.2", "1.4.2", "3.1.1", "3.1.2", "3.1.3", "5.1.2", "5.2", "5.5", "5.6.1", "6.1.1", "6.1.2", "6.4",
                "6.8.1", "6.8.2", "6.8.4", "7.1.1", "7.4.4"]
    for period in ("Quý II/2019", "Quý IV/2019"):
        assert [r[0] for r in reports if r[1] == period] == reported
    assert len(reports) == 2 * len(reported)
    assert {r[3] for r in reports} == {"Hoàn thành", "Đang thực hiện", "Chưa thực hiện"}
    last = {r[0]: r for r in reports if r[1] == "Quý IV/2019"}
    assert last["1.2"][3:7] == ("Hoàn thành", "212/BC-UBND", dt.datetime(2019, 12, 12), "Phòng Nội vụ")
    assert (last["7.1.1"][2], last["7.1.1"][3]) == (0.97, "Đang thực hiện")
    assert (last["6.8.1"][2], last["6.8.1"][3]) == (None, "Chưa thực hiện")

    rows = list(openpyxl.load_workbook(DATA / "thu_tuc_2019_minh_hoa.xlsx").worksheets[0].iter_rows(values_only=True))
    body = [r for r in rows[3:] if r[0]]
    units, total = body[:-1], body[-1]
    assert total[0] == "Tổng cộng" and len(units) == 20 and units[-9:][0][0] == COMMUNES[0]
    assert [u[0] for u in units][-9:] == COMMUNES
    assert list(total[2:]) == [1323, 1224, 392, 336, 56, 190, 989, 201, 1132]
    assert [sum(u[i] for u in units) for i in range(2, len(total))] == list(total[2:])
    assert all(u[1] == 2019 for u in units)
