"""Change against before (cchc/show/compare.py): the period compared with, and the change of every rate worked out
by hand from small stores.

The figures (unit A, commune; unit B, agency):
  A 2018-01..03: resolved 100 a month, 99 on time          → Q1 2018: 297 / 300 = 99,0%
  A 2018-10..12: resolved 50 a month, 10 early + 35 on time → Q4 2018: 135 / 150 = 90,0%, late 15 / 150 = 10,0%
  A 2019-01: 10 resolved, 5 on time; 02: 90, 88; 03: 100, 97 → Q1 2019: 190 / 200 = 95,0% (the average of the
    monthly rates would be 81,6%), late 10 / 200 = 5,0%
  B 2018-12 only, then 2019-01..03: 20 resolved a month, 20 on time.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cchc.fields import STATS_FIELDS
from cchc.show import compare
from cchc.store.database import Store


def record(unit: str, level: str, period: str, resolved: int, on_time: int, early: int = 0, **extra) -> dict:
    """A consistent unit-period: everything received directly and resolved; late = resolved − early − on time."""
    values = dict.fromkeys(STATS_FIELDS, 0)
    values.update(received_total=resolved, received_direct=resolved, resolved_total=resolved, resolved_early=early,
                  resolved_on_time=on_time, resolved_late=resolved - early - on_time)
    values.update(extra)
    return {"unit": unit, "level": level, "year": int(period[:4]), "month": int(period[5:7]), "period": period,
            **values}


def fill(store: Store, rows: list[dict]) -> None:
    store.import_stats(pd.DataFrame(rows), b"test", "test.xlsx", user="test")


A_ROWS = ([record("A", "xã", f"2018-{m:02d}", 100, 99) for m in (1, 2, 3)]
          + [record("A", "xã", f"2018-{m}", 50, 35, early=10) for m in (10, 11, 12)]
          + [record("A", "xã", "2019-01", 10, 5), record("A", "xã", "2019-02", 90, 88),
             record("A", "xã", "2019-03", 100, 97)])
B_ROWS = [record("B", "huyện", p, 20, 20) for p in ("2018-12", "2019-01", "2019-02", "2019-03")]


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'compare.sqlite'}")
    yield s
    s.dispose()


@pytest.mark.parametrize("start, end, previous, year_before", [
    ("2019-04", "2019-06", ("2019-01", "2019-03"), ("2018-04", "2018-06")),  # a quarter: the quarter before
    ("2019-01", "2019-12", ("2018-01", "2018-12"), ("2018-01", "2018-12")),  # a year: the year before
    ("2019-01", "2019-03", ("2018-10", "2018-12"), ("2018-01", "2018-03")),  # across the new year
    ("2019-02", "2019-04", ("2018-11", "2019-01"), ("2018-02", "2018-04")),  # straddling it
    ("2019-05", "2019-05", ("2019-04", "2019-04"), ("2018-05", "2018-05")),  # one month
    ("2019-01", "2019-08", ("2018-05", "2018-12"), ("2018-01", "2018-08")),  # eight months
])
def test_the_periods_compared_with(start, end, previous, year_before):
    assert compare.previous_period(start, end) == previous
    assert compare.year_before(start, end) == year_before


def test_the_months_a_stored_period_covers():
    assert compare.months_of("2019-02") == ["2019-02"]
    assert compare.months_of("2018-11..2019-02") == ["2018-11", "2018-12", "2019-01", "2019-02"]


@pytest.mark.parametrize("points, text, better_up, better_down", [
    (2.3, "▲ 2,3 điểm %", "better", "worse"),
    (-0.4, "▼ 0,4 điểm %", "worse", "better"),
    (12.06, "▲ 12,1 điểm %", "better", "worse"),
    (0.04, "= 0,0 điểm %", "equal", "equal"),  # shows as 0,0: no change, not "▲ 0,0"
    (-0.049, "= 0,0 điểm %", "equal", "equal"),
    (0.0, "= 0,0 điểm %", "equal", "equal"),
])
def test_change_text_and_which_way_is_better(points, text, better_up, better_down):
    assert compare.change_text(points) == text
    assert compare.verdict(points) == better_up
    assert compare.verdict(points, lower_is_better=True) == better_down


def test_no_comparison_is_a_dash_never_zero():
    assert compare.change_text(None) == "–" and compare.change_text(float("nan")) == "–"


def test_a_units_rates_against_the_previous_quarter_and_a_year_before(store):
    fill(store, A_ROWS + B_ROWS)
    result = compare.rate_changes(store, "2019-01", "2019-03", units=("A",))
    on_time = {c.kind: c for c in result.of("on_time_rate")}
    previous, year = on_time["previous"], on_time["year_before"]
    assert (previous.start, previous.end) == ("2018-10", "2018-12")
    assert previous.now == pytest.approx(0.95) and previous.before == pytest.approx(0.90)  # sums, not averages
    assert previous.text == "▲ 5,0 điểm %" and previous.color == "green"
    assert (previous.numerator, previous.denominator) == (135, 150)
    assert previous.describe() == "So với kỳ trước (10/2018 – 12/2018): 90,0% (135 / 150 hồ sơ)"
    assert (year.start, year.end) == ("2018-01", "2018-03")
    assert year.text == "▼ 4,0 điểm %" and year.color == "red"  # 95% against 99%
    late = {c.kind: c for c in result.of("late_rate")}["previous"]
    assert late.text == "▼ 5,0 điểm %" and late.color == "green"  # 10% → 5% late: better


def test_nothing_is_compared_with_a_period_missing_unit_months(store):
    fill(store, A_ROWS + B_ROWS)
    # B alone: 2018-12 is one month of the three before; no 2018 Q1 at all
    assert compare.rate_changes(store, "2019-01", "2019-03", units=("B",)).of("on_time_rate") == []
    # everything: Q4 2018 holds 4 unit-months (A's 3, B's December) against 6 now; Q1 2018 only A's 3
    assert compare.rate_changes(store, "2019-01", "2019-03").of("on_time_rate") == []
    # the communes' level is A alone, complete
    by_level = compare.rate_changes(store, "2019-01", "2019-03", level="xã").of("on_time_rate")
    assert [c.text for c in by_level] == ["▲ 5,0 điểm %", "▼ 4,0 điểm %"]


def test_a_rate_with_nothing_to_divide_then_is_not_compared(store):
    # U: 6 late dossiers in Q1 2019 (3 with a letter), 3 in Q4 2018 (all with one), none in Q1 2018
    rows = [record("U", "xã", f"2018-{m:02d}", 10, 10) for m in (1, 2, 3)]  # nothing late a year before
    rows += [record("U", "xã", f"2019-{m:02d}", 10, 8, late_apologies=1) for m in (1, 2, 3)]
    rows += [record("U", "xã", f"2018-{m}", 10, 9, late_apologies=1) for m in (10, 11, 12)]
    fill(store, rows)
    apology = {c.kind: c for c in compare.rate_changes(store, "2019-01", "2019-03").of("apology_rate")}
    assert set(apology) == {"previous"}  # no late dossier in Q1 2018: no rate then, so no change (not −50 points)
    assert apology["previous"].now == pytest.approx(3 / 6) and apology["previous"].before == pytest.approx(1.0)
    assert apology["previous"].text == "▼ 50,0 điểm %" and apology["previous"].color == "red"


def test_a_quarter_stored_as_one_record_covers_its_three_months(store):
    span = record("C", "xã", "2018-10", 300, 240)
    span.update(period="2018-10..2018-12")  # a quarterly file: one record for the whole quarter
    fill(store, [span] + [record("C", "xã", f"2019-{m:02d}", 100, 90) for m in (1, 2, 3)])
    change = compare.rate_changes(store, "2019-01", "2019-03").of("on_time_rate")
    assert [(c.kind, c.text) for c in change] == [("previous", "▲ 10,0 điểm %")]  # 90% against 240/300 = 80%
    units = compare.unit_changes(store, "2019-01", "2019-03")
    assert units.set_index("unit").loc["C", "on_time_rate:previous"] == pytest.approx(10.0)


def test_every_unit_against_its_own_earlier_periods(store):
    fill(store, A_ROWS + B_ROWS)
    units = compare.unit_changes(store, "2019-01", "2019-03").set_index("unit")
    assert sorted(units.index) == ["A", "B"]
    assert units.loc["A", "on_time_rate:previous"] == pytest.approx(5.0)
    assert units.loc["A", "on_time_rate:year_before"] == pytest.approx(-4.0)
    assert math.isnan(units.loc["B", "on_time_rate:previous"])  # B's Q4 2018 is one month of three
    assert math.isnan(units.loc["B", "on_time_rate:year_before"])
    assert units.loc["A", "late_rate:previous"] == pytest.approx(-5.0)


def test_change_columns_in_a_unit_table_with_their_colours(store):
    from cchc.show import views

    fill(store, A_ROWS + B_ROWS)
    units = views.by_unit(store, views.Filters(2019, 1, 3))
    table = views.processing_table(units, None, compare.unit_changes(store, "2019-01", "2019-03"))
    rows = table.set_index("Đơn vị")
    assert list(table.columns[table.columns.get_loc("Tỷ lệ đúng hạn"):][:3]) == [
        "Tỷ lệ đúng hạn", "Đúng hạn so với kỳ trước", "Đúng hạn so với cùng kỳ năm trước"]
    assert rows.loc["A", "Đúng hạn so với kỳ trước"] == "▲ 5,0 điểm %"
    assert rows.loc["A", "Đúng hạn so với cùng kỳ năm trước"] == "▼ 4,0 điểm %"
    assert rows.loc["B", "Đúng hạn so với kỳ trước"] == "–"
    styles = compare.cell_styles(table).set_index(table["Đơn vị"])
    assert styles.loc["A", "Đúng hạn so với kỳ trước"] == compare.VERDICT_CSS["better"]
    assert styles.loc["A", "Đúng hạn so với cùng kỳ năm trước"] == compare.VERDICT_CSS["worse"]
    assert styles.loc["B", "Đúng hạn so với kỳ trước"] == "" and styles.loc["A", "Tỷ lệ đúng hạn"] == ""
    # A's late dossiers had no apology letter, then (15) or now (10): 0% against 0%, unchanged
    assert rows.loc["A", "Xin lỗi so với kỳ trước"] == "= 0,0 điểm %"


def test_no_change_column_where_no_unit_has_an_earlier_period(store):
    from cchc.show import views

    fill(store, B_ROWS)
    units = views.by_unit(store, views.Filters(2019, 1, 3))
    table = views.processing_table(units, None, compare.unit_changes(store, "2019-01", "2019-03"))
    assert not [c for c in table.columns if "so với" in c]  # nothing to compare: no column of dashes
    assert list(views.processing_table(units, None).columns) == list(table.columns)
