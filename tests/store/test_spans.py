"""A report over several months is stored as one record over its span: period totals count it when the chosen
period holds the whole span, month-by-month views leave it out, and it may not overlap months of the same unit."""

from __future__ import annotations

import pytest
from support import SheetSpec, book

from cchc.ingest import (
    MACHINE_ADMIN,
    check_file,
    conflict_messages,
    preview_import,
    store_checked,
)
from cchc.store.database import PeriodConflict

HEADER = ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Giải quyết đúng hạn",
          "Giải quyết quá hạn"]


def quarter(received=36, title="Kỳ báo cáo: Quý I năm 2019", unit="Phòng Tư pháp"):
    return book(SheetSpec("Sheet1", [[title], [], HEADER, [unit, received, 30, 27, 3]]))


def month(m, received=12, unit="Phòng Tư pháp"):
    return book(SheetSpec(f"T{m:02d}-2019", [HEADER, [unit, received, 10, 9, 1]]))


def load(store, data, name="f.xlsx"):
    result = check_file(data, name)
    assert result.ok, result.findings.errors
    return result, store_checked(store, result, data, name, account=MACHINE_ADMIN)


def test_a_quarter_counts_in_a_period_that_holds_it_and_never_in_a_month(store):
    load(store, quarter())
    load(store, month(4, received=7))
    assert store.stats_totals(start="2019-01", end="2019-03")["received_total"] == 36
    assert store.stats_totals(start="2019-01", end="2019-12")["received_total"] == 36 + 7
    assert store.stats_totals(start="2019-01", end="2019-02")["received_total"] == 0  # part of the quarter only
    assert store.stats_totals(start="2019-02", end="2019-06")["received_total"] == 7
    by_month = store.stats_grouped(by=("period",), start="2019-01", end="2019-12")
    assert by_month[["period", "received_total"]].values.tolist() == [["2019-04", 7]]
    assert store.stats_grouped(by=("unit",))["received_total"].tolist() == [43]
    assert store.stats_periods() == ["2019-04"]
    assert store.stats_spans() == ["2019-01..2019-03"]
    assert store.stats_spans(start="2019-04", end="2019-12") == []
    assert store.stats_summary()["periods"] == ["2019-01..2019-03", "2019-04"]
    assert store.stats_records()["period"].tolist() == ["2019-01..2019-03", "2019-04"]


def test_the_same_quarter_again_replaces_it(store):
    load(store, quarter())
    result, outcome = load(store, quarter(received=40))
    assert (outcome.added, outcome.replaced) == ([], [("Phòng Tư pháp", "2019-01..2019-03")])
    assert store.stats_totals(start="2019-01", end="2019-03")["received_total"] == 40


@pytest.mark.parametrize("first, second, conflict", [
    (lambda: month(2), lambda: quarter(), ("Phòng Tư pháp", "2019-01..2019-03", "2019-02")),
    (lambda: quarter(), lambda: month(2), ("Phòng Tư pháp", "2019-02", "2019-01..2019-03")),
    (lambda: quarter(), lambda: quarter(title="Kỳ báo cáo: 6 tháng đầu năm 2019"),
     ("Phòng Tư pháp", "2019-01..2019-06", "2019-01..2019-03")),
])
def test_a_span_may_not_overlap_stored_months_of_the_same_unit(store, first, second, conflict):
    load(store, first())
    before = store.import_count()
    totals = store.stats_totals()
    data = second()
    result = check_file(data, "f.xlsx")
    assert preview_import(store, result)["conflicts"] == [conflict]
    with pytest.raises(PeriodConflict) as refused:
        store_checked(store, result, data, "f.xlsx", account=MACHINE_ADMIN)
    assert refused.value.conflicts == [conflict]
    assert (store.import_count(), store.stats_totals()) == (before, totals)  # nothing stored


def test_a_span_beside_another_unit_or_year_is_no_conflict(store):
    load(store, month(2, unit="Phòng Nội vụ"))
    load(store, book(SheetSpec("Sheet1", [["Kỳ báo cáo: Quý I năm 2020"], [], HEADER, ["Phòng Tư pháp", 5, 5, 5, 0]])))
    result = check_file(quarter(), "q.xlsx")
    assert preview_import(store, result)["conflicts"] == []


def test_the_conflict_is_said_in_vietnamese():
    assert conflict_messages([("Phòng Tư pháp", "2019-02", "2019-01..2019-03")]) == [
        "Đơn vị “Phòng Tư pháp”: số liệu 02/2019 trong tệp chồng lên số liệu 01–03/2019 đã lưu; một tháng không được "
        "tính hai lần. Hãy hủy lần nhập cũ (Lịch sử nhập) hoặc nhập số liệu cùng kiểu kỳ."]


def test_a_quarter_is_rolled_back_like_any_import_and_named_in_history(store):
    _, first = load(store, month(4, received=7))
    _, span = load(store, quarter())
    assert store.entry_changes(span.import_id).values.tolist() == [["Phòng Tư pháp", "01–03/2019", "Thêm mới"]]
    store.rollback_to(first.import_id)
    assert store.stats_spans() == []
    assert store.stats_totals()["received_total"] == 7
    load(store, month(2))  # the quarter undone, its months are free again
    assert store.stats_periods() == ["2019-02", "2019-04"]


def test_the_user_may_replace_what_a_span_overlaps_and_get_it_back_by_undoing(store):
    _, february = load(store, month(2))
    _, march = load(store, month(3))
    data = quarter()
    result = check_file(data, "q1.xlsx")
    outcome = store_checked(store, result, data, "q1.xlsx", account=MACHINE_ADMIN, replace_overlaps=True)
    assert store.stats_periods() == [] and store.stats_spans() == ["2019-01..2019-03"]
    assert store.stats_totals()["received_total"] == 36  # the quarter, not the quarter and its months
    history = store.import_history()
    assert history.iloc[0]["id"] == outcome.import_id
    from cchc.show.views import describe_import
    summary = history.iloc[0]["summary"]
    assert summary["overlaps_replaced"] == [["Phòng Tư pháp", "2019-02"], ["Phòng Tư pháp", "2019-03"]]
    assert describe_import(summary) == ("1 đơn vị, 01–03/2019: thêm 1, thay thế 0 đơn vị-tháng; thay thế 2 bản ghi "
                                        "chồng kỳ")
    store.rollback_to(march.import_id)  # the quarter undone: its months are back
    assert store.stats_periods() == ["2019-02", "2019-03"] and store.stats_spans() == []
    assert store.stats_totals()["received_total"] == 24
    store.rollback_to(outcome.import_id)  # and redone: replaced again
    assert store.stats_periods() == [] and store.stats_totals()["received_total"] == 36
    assert february.import_id < march.import_id


@pytest.mark.parametrize("m", [1, 3])  # the span's first and last months overlap as much as the middle one
def test_a_month_at_either_end_of_a_stored_span_overlaps_it(store, m):
    load(store, quarter())
    result = check_file(month(m), "f.xlsx")
    assert preview_import(store, result)["conflicts"] == [("Phòng Tư pháp", f"2019-{m:02d}", "2019-01..2019-03")]


def test_the_store_refuses_an_overlap_unless_told_to_replace(store):
    load(store, quarter())
    result = check_file(month(2), "f.xlsx")
    with pytest.raises(PeriodConflict):
        store.import_stats(result.stats.records, month(2), "f.xlsx")  # the default never replaces


def test_an_undone_span_is_no_conflict_even_beside_a_current_one(store):
    _, first = load(store, quarter(unit="Phòng Nội vụ"))
    load(store, quarter())
    store.rollback_to(first.import_id)  # Phòng Tư pháp's quarter undone; Phòng Nội vụ's stays
    result = check_file(month(2), "f.xlsx")
    assert preview_import(store, result)["conflicts"] == []
