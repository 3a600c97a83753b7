"""The what-if page's model (issue 14): sliders start at the measured values, only what is moved is assumed, and the
change column compares with the current projection.

Expected points come from the sample plan (Kế hoạch 75, Ia Pa) as its appendix prints them: 3.4 standard 2,
appraised 1; 3.7 1 / 0; 7.2.2 0,5 / 0; 7.2.3 0,5 / 0; 1.2 1,75 / 0,75; and the default rules: 3.4 by bands
(100% → all, 95% → half), the other rates all or nothing at the target, tasks scored by hand.
"""

import pandas as pd
import pytest
from support import sample_plan_bytes

from cchc.fields import STATS_FIELDS
from cchc.read.plan import read_plan
from cchc.score import scoring
from cchc.show import what_if


@pytest.fixture(scope="module")
def plan():
    return read_plan(sample_plan_bytes()).plan


def totals(**values):
    base = {f: 0 for f in STATS_FIELDS}
    base.update(values)
    return base


# 3.4 on time 870/900 = 96,666…%; 7.2.2 online level 3 198/1000 = 19,8% (a half-percent grid would say 20%: met);
# 7.2.3 level 4 40/1000 = 4%; 3.7 every late dossier apologised for (30/30).
COUNTS = totals(received_total=1000, received_online_l3=198, received_online_l4=40, received_bcci=120,
                resolved_total=900, resolved_on_time=870, resolved_early=0, resolved_late=30, returned_bcci=80,
                late_apologies=30)
# 1.2 reported with 1 point of its 1,75 typed in (partly done); 6.8.1 not done.
PROGRESS = pd.DataFrame([
    {"code": "1.2", "period": "2019-12", "value": 1.0, "status": "", "doc_number": "", "doc_date": "", "note": "",
     "agency": "Văn phòng HĐND-UBND huyện", "created_at": pd.Timestamp("2019-12-20")},
    {"code": "6.8.1", "period": "2019-12", "value": float("nan"), "status": "not_done", "doc_number": "",
     "doc_date": "", "note": "", "agency": "Phòng Tài chính-Kế hoạch", "created_at": pd.Timestamp("2019-12-20")},
])


def score(plan, overrides=None, tasks=None):
    return scoring.score_plan(plan, scoring.plan_rules(plan, None), scoring.Inputs(COUNTS, {}, PROGRESS),
                              overrides, tasks)


def sliders_by_metric(current):
    return {s.metric: s for s in what_if.rate_sliders(current)}


def test_a_slider_starts_exactly_at_the_measured_value(plan):
    on_time = sliders_by_metric(score(plan))["on_time_rate"]
    assert on_time.codes == ("3.4",)
    assert on_time.start == pytest.approx(870 / 900 * 100, abs=1e-12)  # not 96,5 nor 97
    assert on_time.start in on_time.options
    assert "hiện tại 96,67%" in on_time.label and "chỉ tiêu 100%" in on_time.label
    assert what_if.percent_label(on_time.start) == "96,67%"
    labels = [what_if.percent_label(o) for o in on_time.options]
    assert len(labels) == len(set(labels))  # the widget keys its options by label
    assert {0.0, 15.0, 96.5, 97.0, 100.0} <= set(on_time.options)


def test_a_measured_value_on_the_grid_is_one_option_not_two():
    options = what_if.slider_options(20.0001)  # reads "20%", as the half point 20 does
    assert options.count(20.0001) == 1 and 20.0 not in options
    assert len(what_if.slider_options(None)) == 201 and what_if.slider_options(None)[0] == 0.0


def test_a_rate_without_data_starts_at_zero_and_says_so(plan):
    current = scoring.score_plan(plan, scoring.plan_rules(plan, None), scoring.Inputs(totals()))
    bcci = sliders_by_metric(current)["bcci_intake_share"]
    assert bcci.measured is None and bcci.start == 0.0 and "chưa có số liệu" in bcci.label
    assert what_if.rate_overrides([bcci], {"bcci_intake_share": 0.0}) == {}


def test_untouched_sliders_and_toggles_assume_nothing(plan):
    current = score(plan)
    sliders, toggles = what_if.rate_sliders(current), what_if.task_toggles(current)
    overrides = what_if.rate_overrides(sliders, {s.metric: s.start for s in sliders})
    done = what_if.task_overrides(toggles, {t.code: t.start for t in toggles})
    assert overrides == {} and done == {}
    untouched = score(plan, overrides, done)
    assert [(c.code, c.points) for c in untouched.criteria] == [(c.code, c.points) for c in current.criteria]
    by_code = {c.code: c for c in untouched.criteria}
    assert by_code["7.2.2"].points == 0.0  # 19,8% stays short of 20%
    assert by_code["1.2"].points == 1.0  # the partly done task keeps its 1 point
    assert untouched.projected == current.projected


def test_only_a_moved_slider_or_a_switched_task_is_assumed(plan):
    current = score(plan)
    sliders, toggles = what_if.rate_sliders(current), what_if.task_toggles(current)
    chosen = {s.metric: s.start for s in sliders} | {"online_l4_share": 15.0}
    assert what_if.rate_overrides(sliders, chosen) == {"online_l4_share": 0.15}
    start = {t.code: t.start for t in toggles}
    assert start["6.8.1"] is False and start["1.2"] is False  # 1 of 1,75 points is not done
    assert what_if.task_overrides(toggles, start | {"6.8.1": True}) == {"6.8.1": True}
    assert what_if.task_overrides(toggles, start | {"1.4.2": True}) == {"1.4.2": True}  # no data: off
    assert {t.code for t in toggles} == {c.code for c in plan.criteria if c.target is None}


def test_the_change_column_compares_with_the_current_projection(plan):
    current = score(plan)
    assumed = score(plan, {"on_time_rate": 1.0, "apology_rate": 0.5, "online_l3_share": 0.198,
                           "online_l4_share": 0.1})
    changes = what_if.changes(assumed, current)
    assert changes["3.4"] == 1.0  # 1 of 2 points at 96,67% → 2 at 100%
    assert changes["3.7"] == -1.0  # 1 point now (30/30 apologised) → 0 at 50%; against the appraisal it is 0
    assert changes["7.2.3"] == 0.5  # 0 at 4% → 0,5 at 10%
    assert changes["7.2.2"] == 0.0  # the same 19,8%
    assert changes["1.2"] == 0.0 and changes["5.5"] == 0.0  # untouched; 5.5 has no data
    assert sum(changes.values()) == 0.5
    assert what_if.total_change(assumed, current) == 0.5
    table = what_if.change_table(assumed, current).set_index("Mã")
    assert len(table) == 27
    assert table.loc["3.4", "Thay đổi"] == "+1" and table.loc["3.7", "Thay đổi"] == "-1"
    assert table.loc["7.2.3", "Thay đổi"] == "+0,5" and table.loc["7.2.2", "Thay đổi"] == "0"
    assert (table.loc["3.4", "Điểm dự kiến hiện tại"], table.loc["3.4", "Điểm theo giả định"]) == ("1", "2")
    assert table.loc["3.7", "Giá trị"] == "50%" and table.loc["3.4", "Giá trị"] == "100%"
    # no data: the projection counts the appraised points, on both sides
    assert (table.loc["5.5", "Điểm dự kiến hiện tại"], table.loc["5.5", "Điểm theo giả định"]) == ("0", "0")
    assert table.loc["1.2", "Điểm dự kiến hiện tại"] == "1"


def test_with_nothing_assumed_every_change_is_zero(plan):
    current = score(plan)
    table = what_if.change_table(score(plan), current)
    assert set(table["Thay đổi"]) == {"0"}
    assert what_if.total_change(score(plan), current) == 0


def test_the_side_chart_cuts_long_names_and_keeps_its_title(plan):
    current = score(plan)
    gains = scoring.gains_if_met(plan, scoring.plan_rules(plan, None), current)
    fig = what_if.gains_chart(gains)
    assert fig.layout.title.text == "Việc đáng làm nhất"
    labels = list(fig.data[0].y)
    assert len(labels) == min(15, len(gains))
    assert max(len(label) for label in labels) <= len("7.3.3 · ") + what_if.CHART_NAME_CHARS + 1
    assert any(label.endswith("…") for label in labels)
