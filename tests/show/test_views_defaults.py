"""What the pages start from (cchc/show/views.py) on a real store: the default filters for an empty store, a plan
alone and statistics; the date deadlines are judged on; the history's line for each kind of entry; and the tables
that stay empty when there is nothing to compare with."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from support import DATA, book, figures, plan_bytes, template_sheet

from cchc.ingest import import_file
from cchc.read.targets import Target
from cchc.score.rules import rules_to_json
from cchc.show import views


def _import(store, data: bytes, name: str) -> None:
    result, outcome = import_file(store, data, name, user="nv")
    assert outcome is not None, result.findings.errors


def test_default_filters_follow_the_data(store):
    assert views.default_filters(store) == views.Filters(None, 1, 12)  # nothing yet: no year to show
    _import(store, plan_bytes(), "ke_hoach.xlsx")
    assert views.default_filters(store) == views.Filters(2019, 1, 12)  # the plan's year, all of it
    stats = book(template_sheet([("Phòng Tư pháp", 2019, 1, figures()), ("Phòng Tư pháp", 2019, 3, figures(carried=4,
                                                                                                       direct=1))]))
    _import(store, stats, "thong_ke.xlsx")
    assert views.default_filters(store) == views.Filters(2019, 1, 3)  # year to date: January to March


def test_a_one_month_file_in_the_history(store):
    # one unit, one month: 1 added, nothing replaced; a single month is named alone, not as a range
    _import(store, book(template_sheet([("UBND xã Ia Tul", 2019, 3, figures())])), "thang3.xlsx")
    table = views.history_table(store.import_history(), store.active_entries())
    assert table["Nội dung"].tolist() == ["1 đơn vị, 03/2019: thêm 1, thay thế 0 đơn vị-tháng"]
    assert table["Tệp"].tolist() == ["thang3.xlsx"] and table["Hiệu lực"].tolist() == ["Đang hiệu lực"]


def test_the_history_says_what_each_entry_did(store):
    _import(store, plan_bytes(), "ke_hoach.xlsx")
    store.set_target("3.4", Target("on_time_rate", ">=", 0.95), user="nv")
    store.set_target("3.7", None, user="nv")
    store.set_rules(rules_to_json([]), user="nv")
    _import(store, (DATA / "thu_tuc_2019_minh_hoa.xlsx").read_bytes(), "thu_tuc.xlsx")
    table = views.history_table(store.import_history(), store.active_entries())
    assert table["Nội dung"].tolist() == [  # newest first
        "Số liệu thủ tục: 20 đơn vị, năm 2019",
        "Cách chấm điểm kế hoạch năm 2019",
        "Sửa chỉ tiêu tiêu chí 3.7: không có chỉ tiêu",
        "Sửa chỉ tiêu tiêu chí 3.4: ≥ 95%",
        "Kế hoạch năm 2019: 2 tiêu chí"]


def test_deadlines_are_judged_today_or_at_the_end_of_a_past_period():
    assert views.reference_date(views.Filters(None)) == dt.date.today()
    assert views.reference_date(views.Filters(2019, 1, 6)) == dt.date(2019, 6, 30)
    assert views.reference_date(views.Filters(2019, 2, 2)) == dt.date(2019, 2, 28)


def test_no_plan_no_deadlines_and_no_target_no_units_behind(store):
    frame = views.deadlines(store, views.Filters(2019, 1, 12))
    assert frame.empty and list(frame.columns) == ["code", "name", "lead", "due", "status", "timeline"]
    units = pd.DataFrame({"unit": ["UBND xã Ia Tul"], "on_time_rate": [0.5], "resolved_early": [1],
                          "resolved_on_time": [0], "resolved_total": [2]})
    behind = views.units_behind(units, "on_time_rate", None)  # without a target nobody is behind
    assert behind.empty and list(behind.columns) == list(units.columns)


def test_the_history_says_what_each_qd766_entry_held():
    """Score files, edited maxima and thresholds get a line of their own in the history, not a blank cell."""
    from cchc.show.views import describe_import

    assert describe_import({"index766": 12, "units": 6, "periods": ["2025-05", "2025-06"], "added": 6,
                            "replaced": 6}) == "Chỉ số 766: 6 đơn vị, 05/2025, 06/2025: thêm 6, thay thế 6 đơn vị-kỳ"
    assert describe_import({"maxima": {"ckmb": 18, "tdgq": 20, "dvctt": 12, "tttt": 10, "mdhl": 18, "mdsh": 22}}) == \
        "Điểm tối đa các nhóm Chỉ số 766: CKMB 18, TDGQ 20, DVCTT 12, TTTT 10, MDHL 18, MDSH 22"
    assert describe_import({"index766_thresholds": [75, 87.5]}) == \
        "Ngưỡng Chỉ số 766: dưới 75 và dưới 87,5 điểm"
