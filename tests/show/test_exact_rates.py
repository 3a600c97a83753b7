"""The dashboard's "Tải Excel" of a unit table carries every rate at full precision: the screen says "95,2%", the
cell holds 20/21 with a % format, so a clerk's own sums and checks in Excel start from the real figures."""

import io

import pandas as pd
from openpyxl import load_workbook

from cchc.show import views
from cchc.show.excel import to_xlsx


def units() -> pd.DataFrame:
    # counts chosen so the rates are not round: 20/21 on time, 1/3 apologies, 2/7 level 3, 1/6 BCCI
    return pd.DataFrame({
        "unit": ["UBND xã Ia Tul", "Phòng Tư pháp"], "level": ["xa", "huyen"],
        "received_total": [30, 12], "new_received": [21, 12], "resolved_total": [21, 12],
        "resolved_early": [5, 0], "resolved_on_time": [15, 12], "resolved_late": [1, 0],
        "on_time_rate": [20 / 21, 1.0], "pending_total": [9, 0], "pending_overdue": [3, 0],
        "late_apologies": [1, 0], "apology_rate": [1 / 3, None],
        "received_online_l3": [6, 0], "online_l3_share": [6 / 21, 0.0],
        "received_online_l4": [1, 0], "online_l4_share": [1 / 21, 0.0],
        "received_bcci": [3, 2], "bcci_intake_share": [3 / 21, 2 / 12],
        "returned_bcci": [2, 2], "bcci_return_share": [2 / 21, 2 / 12],
        "received_online_full": [0, 0], "received_online_partial": [0, 0],
        "online_full_share": [None, None], "online_partial_share": [None, None],
        "period": ["2019-03", "2019-04"], "gap": [1, 0],
    })


def cells(table: pd.DataFrame) -> dict[str, list]:
    """{header: the column's cells below the header} of the one sheet to_xlsx writes (a title row first)."""
    sheet = load_workbook(io.BytesIO(to_xlsx(table, title="Bảng"))).active
    rows = list(sheet.iter_rows(min_row=2))
    headers = [c.value for c in rows[0]]
    return {h: [r[i] for r in rows[1:]] for i, h in enumerate(headers)}


def by_unit(exported: dict[str, list], header: str) -> dict[str, object]:
    """{unit: the exported cell's value} of one column: the tables sort their rows by the rate."""
    return {u.value: c.value for u, c in zip(exported["Đơn vị"], exported[header])}


def test_the_processing_table_shows_rounded_rates_and_exports_them_exact():
    table = views.processing_table(units(), None)
    assert table["Tỷ lệ đúng hạn"].tolist() == ["95,2%", "100,0%"]
    exported = cells(table)
    on_time = by_unit(exported, "Tỷ lệ đúng hạn")
    assert abs(on_time["UBND xã Ia Tul"] - 20 / 21) < 1e-12 and on_time["Phòng Tư pháp"] == 1
    assert all("%" in c.number_format for c in exported["Tỷ lệ đúng hạn"])
    apology = by_unit(exported, "Tỷ lệ xin lỗi")
    assert abs(apology["UBND xã Ia Tul"] - 1 / 3) < 1e-12
    assert apology["Phòng Tư pháp"] is None  # no data stays empty, never 0 %


def test_the_online_table_exports_every_share_exact():
    exported = cells(views.online_table(units()))
    assert abs(by_unit(exported, "Tỷ lệ mức độ 3")["UBND xã Ia Tul"] - 6 / 21) < 1e-12
    assert abs(by_unit(exported, "Tỷ lệ mức độ 4")["UBND xã Ia Tul"] - 1 / 21) < 1e-12
    assert abs(by_unit(exported, "Tỷ lệ tiếp nhận BCCI")["Phòng Tư pháp"] - 2 / 12) < 1e-12
    assert abs(by_unit(exported, "Tỷ lệ trả BCCI")["UBND xã Ia Tul"] - 2 / 21) < 1e-12


def test_a_sorted_table_keeps_each_units_own_exact_rate():
    frame = units()
    table = views.behind_table(frame, "on_time_rate")
    resorted = table.iloc[::-1]  # a page sorting the table after it was built
    exported = cells(resorted)
    assert [c.value for c in exported["Đơn vị"]] == ["Phòng Tư pháp", "UBND xã Ia Tul"]
    column = exported["Tỷ lệ giải quyết đúng hạn"]
    assert column[0].value == 1 and abs(column[1].value - 20 / 21) < 1e-12


def test_the_monthly_table_exports_the_on_time_rate_exact():
    exported = cells(views.monthly_table(units()))
    assert abs(exported["Tỷ lệ đúng hạn"][0].value - 20 / 21) < 1e-12
