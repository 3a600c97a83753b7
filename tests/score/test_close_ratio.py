"""“Gần đạt” is relative to the target (issue 14): at least 90 % of it by default, a ratio stored with the plan's
scoring rules (so versioned, in history and rolled back with them) and used by every place that classifies.

Expected values are worked out by hand: 6,6 % against a 10 % target is 66 % of it (behind), 96,7 % against 100 %
is 96,7 % of it (close), 9 % against 10 % is exactly 90 % (close).
"""

import json
import shutil

import pandas as pd
import pytest

from cchc.ingest import load_sample_data
from cchc.read.targets import Target
from cchc.sample import sample_stats_table
from cchc.score import rules as rules_module
from cchc.score.rules import Rule
from cchc.score.scoring import score_for_period
from cchc.score.status import DEFAULT_CLOSE_RATIO, classify
from cchc.show import figures, views
from cchc.show.reports import build_report
from cchc.store.database import Store

AT_LEAST_10 = Target("bcci_intake_share", ">=", 0.1)
AT_LEAST_20 = Target("online_l3_share", ">=", 0.2)
FULL = Target("on_time_rate", "=", 1.0)
AT_MOST_50 = Target("criterion_rate", "<=", 0.5)


@pytest.mark.parametrize("value, target, expected", [
    (0.066, AT_LEAST_10, "behind"),  # the issue's 6,6 % against 10 %: it was "Gần đạt" under a 5-point margin
    (0.967, FULL, "close"),  # the issue's 96,7 % against 100 %
    (0.09, AT_LEAST_10, "close"), (0.0899, AT_LEAST_10, "behind"),  # exactly 90 % of the target, and just under
    (0.9, FULL, "close"), (0.8999, FULL, "behind"),
    (0.18, AT_LEAST_20, "close"), (0.1799, AT_LEAST_20, "behind"),
    (0.1, AT_LEAST_10, "met"), (1.0, FULL, "met"),
    # "at most 50 %": close up to 50 % / 0,9 = 55,56 %
    (0.5, AT_MOST_50, "met"), (0.5555, AT_MOST_50, "close"), (0.5556, AT_MOST_50, "behind"),
])
def test_close_is_ninety_percent_of_the_target(value, target, expected):
    assert DEFAULT_CLOSE_RATIO == 0.9
    assert classify(value, target) == expected


@pytest.mark.parametrize("ratio, value, target, expected", [
    (0.8, 0.16, AT_LEAST_20, "close"), (0.8, 0.1599, AT_LEAST_20, "behind"),
    (0.6, 0.066, AT_LEAST_10, "close"),  # 66 % of the target reaches a 60 % ratio
    (1.0, 0.999, FULL, "behind"),  # 100 %: nothing is close, met or behind only
    (0.8, 0.625, AT_MOST_50, "close"), (0.8, 0.6251, AT_MOST_50, "behind"),  # 50 % / 0,8 = 62,5 %
])
def test_a_chosen_ratio(ratio, value, target, expected):
    assert classify(value, target, ratio) == expected


def test_the_ratio_is_stored_with_the_rules():
    assert rules_module.close_ratio_from_json(None) == 0.9  # nothing stored: the default
    assert rules_module.close_ratio_from_json(rules_module.rules_to_json([])) == 0.9
    rules = [Rule("3.4", "threshold", 0.95, note="Ngưỡng riêng")]
    stored = rules_module.rules_to_json(rules, 0.85)
    assert json.loads(stored)["close_ratio"] == 0.85
    assert rules_module.close_ratio_from_json(stored) == 0.85
    changed = rules_module.with_close_ratio(stored, 0.75)  # the ratio changes, the rules stay
    assert rules_module.close_ratio_from_json(changed) == 0.75
    assert rules_module.rules_from_json(changed) == rules
    assert rules_module.rules_from_json(rules_module.with_close_ratio(None, 0.8)) == []  # defaults keep applying
    with pytest.raises(ValueError):
        rules_module.rules_to_json(rules, 0)
    with pytest.raises(ValueError):
        rules_module.rules_to_json(rules, 1.5)


@pytest.mark.parametrize("text, expected", [("90", 0.9), ("92,5", 0.925), ("85%", 0.85), (100, 1.0), (75, 0.75)])
def test_the_ratio_as_typed(text, expected):
    assert rules_module.parse_close_ratio(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["0", "101", "chín mươi", "", "-5"])
def test_a_ratio_that_is_no_share_of_the_target(text):
    with pytest.raises(ValueError, match="Gần đạt"):
        rules_module.parse_close_ratio(text)


def test_the_note_works_the_examples_out():
    note = rules_module.close_ratio_note(0.9)
    assert "từ 90%" in note and "chỉ tiêu 100% thì từ 90,0%" in note and "chỉ tiêu 10% thì từ 9,00%" in note


# ---------------------------------------------------------------------------------------------------------------
# The stored ratio reaches every place that classifies
# ---------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("ratio") / "sample.sqlite"
    store = Store(f"sqlite:///{path}")
    load_sample_data(store)
    store.dispose()
    return path


@pytest.fixture
def sample(sample_file, tmp_path):
    path = tmp_path / "sample.sqlite"
    shutil.copy(sample_file, path)
    store = Store(f"sqlite:///{path}")
    yield store
    store.dispose()


def bcci_intake_share() -> float:
    """7.3.2 over the sample year, from the shipped table: summed BCCI intake over summed new dossiers."""
    table = sample_stats_table()
    return table["received_bcci"].sum() / (table["received_total"].sum() - table["received_carried"].sum())


YEAR = views.Filters(2019, 1, 12)


def statuses(sample) -> dict[str, str]:
    return {c.code: c.status for c in views.plan_score(sample, YEAR)[1].criteria}


def test_sample_figures_are_the_issues_examples(sample):
    assert round(bcci_intake_share(), 3) == 0.066  # 6,6 % against the 10 % of 7.3.2
    seen = statuses(sample)
    assert seen["7.3.2"] == "behind" and seen["3.4"] == "close"  # 3.4: 96,7 % against 100 %


def test_a_saved_ratio_changes_every_verdict_and_rolls_back(sample):
    assert views.close_ratio(sample, 2019) == 0.9
    entry = sample.set_rules(rules_module.with_close_ratio(sample.rules_json(2019), 0.6), user="kiểm thử")
    assert views.close_ratio(sample, 2019) == 0.6
    # 6,6 % is 66 % of 10 %: close from a 60 % ratio on, wherever it is classified
    assert statuses(sample)["7.3.2"] == "close"
    assert score_for_period(sample, "2019-01", "2019-12")[2].criteria[
        [c.code for c in sample.current_plan(2019).criteria].index("7.3.2")].status == "close"
    totals = views.stats_totals(sample, YEAR)
    plan = sample.current_plan(2019)
    cards = {c.key: c for c in views.rate_cards(totals, plan, close_ratio=views.close_ratio(sample, 2019))}
    assert cards["bcci_intake_share"].status == "close"
    report = build_report(sample, YEAR, sections=("online",))
    assert any("Tỷ lệ hồ sơ tiếp nhận qua BCCI" in label and "◐ Gần đạt" in value
               for part in report.parts for label, value in part.headline)
    history = sample.import_history()
    assert history.set_index("id").loc[entry, "kind"] == "rules"

    sample.rollback_to(entry - 1, user="kiểm thử")  # back to before the change: the default again
    assert views.close_ratio(sample, 2019) == 0.9
    assert statuses(sample)["7.3.2"] == "behind"


def test_unit_tables_and_charts_use_the_ratio():
    units = pd.DataFrame({"unit": ["A", "B"], "level": ["xa", "xa"], "received_total": [100, 100],
                          "resolved_total": [100, 100], "resolved_early": [0, 0], "resolved_on_time": [85, 92],
                          "resolved_late": [15, 8], "pending_total": [0, 0], "pending_overdue": [0, 0],
                          "late_apologies": [0, 0], "on_time_rate": [0.85, 0.92], "apology_rate": [0.0, 0.0]})
    table = views.processing_table(units, FULL, close_ratio=0.8)
    assert dict(zip(table["Đơn vị"], table["Tình trạng"])) == {"A": "◐ Gần đạt", "B": "◐ Gần đạt"}
    table = views.processing_table(units, FULL)
    assert dict(zip(table["Đơn vị"], table["Tình trạng"])) == {"A": "✖ Chưa đạt", "B": "◐ Gần đạt"}
    bars = figures.unit_rates(units, "on_time_rate", FULL, "Xếp hạng", close_ratio=0.8).data[0]
    assert [row[2] for row in bars.customdata] == ["Gần đạt", "Gần đạt"]
    bars = figures.unit_rates(units, "on_time_rate", FULL, "Xếp hạng").data[0]
    assert sorted(row[2] for row in bars.customdata) == ["Chưa đạt", "Gần đạt"]
