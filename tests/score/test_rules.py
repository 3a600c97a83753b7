import json
import math

import pandas as pd
import pytest
from support import sample_plan_bytes

from cchc.read.plan import read_plan
from cchc.read.targets import Target
from cchc.score.rules import (
    ON_TIME_BANDS,
    RULE_COLUMN_LABELS,
    RULE_KIND_DESCRIPTIONS,
    RULE_KIND_LABELS,
    RULE_KINDS,
    BandsError,
    Rule,
    band_share,
    bands_to_text,
    default_rules,
    parse_bands,
    points,
    points_for_status,
    rule_kinds_table,
    rules_by_code,
    rules_from_frame,
    rules_from_json,
    rules_to_frame,
    rules_to_json,
)

AT_LEAST_90 = Target("disbursement_rate", ">=", 0.9)
FULL = Target("on_time_rate", "=", 1.0)
AT_MOST_5 = Target("criterion_rate", "<=", 0.05)
NO_TARGET_CODES = {"1.2", "1.4.2", "3.1.1", "6.4", "6.8.1", "6.8.2", "7.4.4"}


@pytest.fixture(scope="module")
def plan():
    result = read_plan(sample_plan_bytes())
    assert result.plan is not None
    return result.plan


# ---------------------------------------------------------------------------------------------------------------
# points, kind by kind
# ---------------------------------------------------------------------------------------------------------------

def test_threshold():
    rule = Rule("6.1.2", "threshold")
    assert points(rule, 1.0, AT_LEAST_90, 0.93) == 1.0
    assert points(rule, 1.0, AT_LEAST_90, 0.90) == 1.0
    assert points(rule, 1.0, AT_LEAST_90, 0.78) == 0.0
    assert points(Rule("3.2.4", "threshold"), 2.0, FULL, 1.0) == 2.0  # "=" counts as at least
    assert points(Rule("3.2.4", "threshold"), 2.0, FULL, 0.999) == 0.0


def test_threshold_override_and_missing_target():
    rule = Rule("6.1.2", "threshold", threshold=0.75)
    assert points(rule, 1.0, AT_LEAST_90, 0.78) == 1.0
    assert points(rule, 1.0, None, 0.78) == 1.0  # a threshold stands in for a missing target (as "at least")
    assert points(rule, 1.0, None, 0.70) == 0.0
    assert points(Rule("6.4", "threshold"), 1.0, None, 0.5) is None  # nothing to compare with


def test_threshold_at_most_target():
    rule = Rule("x.1", "threshold")
    assert points(rule, 1.0, AT_MOST_5, 0.05) == 1.0
    assert points(rule, 1.0, AT_MOST_5, 0.02) == 1.0
    assert points(rule, 1.0, AT_MOST_5, 0.06) == 0.0


def test_value_none_or_nan_gives_none_for_every_kind():
    for rule in (Rule("a.1", "threshold"), Rule("a.1", "bands", bands=ON_TIME_BANDS), Rule("a.1", "proportional"),
                 Rule("a.1", "manual")):
        assert points(rule, 1.0, FULL, None) is None
        assert points(rule, 1.0, FULL, math.nan) is None
        assert points(rule, 1.0, FULL, pd.NA) is None


def test_bands_highest_band_reached():
    rule = Rule("3.4", "bands", bands=ON_TIME_BANDS)
    assert points(rule, 2.0, FULL, 1.0) == 2.0
    assert points(rule, 2.0, FULL, 0.97) == 1.0
    assert points(rule, 2.0, FULL, 0.95) == 1.0
    assert points(rule, 2.0, FULL, 0.949) == 0.0
    assert points(rule, 2.0, None, 0.97) == 1.0  # bands need no target


def test_bands_order_does_not_matter():
    shuffled = Rule("3.4", "bands", bands=((0.0, 0.0), (1.0, 1.0), (0.95, 0.5)))
    assert shuffled.bands == ON_TIME_BANDS == Rule("3.4", "bands", bands=ON_TIME_BANDS).bands
    for value in (0.5, 0.95, 0.97, 1.0):
        assert points(shuffled, 2.0, FULL, value) == points(Rule("3.4", "bands", bands=ON_TIME_BANDS), 2.0, FULL,
                                                            value)


def test_bands_without_a_zero_band_and_non_monotonic_shares():
    assert points(Rule("a.1", "bands", bands=((0.9, 1.0), (0.8, 0.25))), 1.0, None, 0.5) == 0.0
    assert band_share([(0.9, 0.2), (0.5, 0.6)], 0.95) == 0.6  # the largest share reached wins
    assert points(Rule("a.1", "bands"), 1.0, FULL, 0.5) is None  # no bands at all


def test_bands_at_most_target():
    rule = Rule("x.1", "bands", bands=((0.0, 1.0), (0.05, 0.5), (1.0, 0.0)))
    assert points(rule, 1.0, AT_MOST_5, 0.0) == 1.0
    assert points(rule, 1.0, AT_MOST_5, 0.03) == 0.5
    assert points(rule, 1.0, AT_MOST_5, 0.2) == 0.0


def test_proportional():
    rule = Rule("6.1.2", "proportional")
    assert points(rule, 1.0, AT_LEAST_90, 0.45) == pytest.approx(0.5)
    assert points(rule, 1.0, AT_LEAST_90, 0.99) == 1.0
    assert points(rule, 2.0, FULL, 0.0) == 0.0
    assert points(Rule("a", "proportional", threshold=0.5), 1.0, FULL, 0.25) == pytest.approx(0.5)
    assert points(rule, 1.0, Target("m", ">=", 0.0), 0.0) == 1.0  # a zero target is always met
    assert points(rule, 1.0, None, 0.5) is None


def test_proportional_at_most_target():
    rule = Rule("x.1", "proportional")
    assert points(rule, 1.0, AT_MOST_5, 0.04) == 1.0
    assert points(rule, 1.0, AT_MOST_5, 0.10) == pytest.approx(0.5)
    assert points(rule, 1.0, AT_MOST_5, 0.0) == 1.0


def test_manual_points_are_capped():
    rule = Rule("1.2", "manual")
    assert points(rule, 1.75, None, 0.75) == 0.75
    assert points(rule, 1.75, None, 3) == 1.75
    assert points(rule, 1.75, None, -1) == 0.0
    assert points(rule, 1.75, FULL, 1.0) == 1.0  # the value is points, not a rate


def test_points_for_status():
    assert points_for_status("done", 1.75) == 1.75
    assert points_for_status("in_progress", 1.75) == 0.0
    assert points_for_status("not_done", 1.75) == 0.0
    assert points_for_status("", 1.75) is None


def test_rule_rejects_unknown_kind():
    with pytest.raises(ValueError):
        Rule("1.2", "guess")


# ---------------------------------------------------------------------------------------------------------------
# defaults on the seed plan
# ---------------------------------------------------------------------------------------------------------------

def test_default_rules_on_the_seed(plan):
    rules = default_rules(plan)
    assert len(rules) == 27
    assert [r.code for r in rules] == [c.code for c in plan.criteria]
    by_code = rules_by_code(rules)
    assert by_code["3.4"].kind == "bands" and by_code["3.4"].bands == ON_TIME_BANDS
    assert {code for code, r in by_code.items() if r.kind == "manual"} == NO_TARGET_CODES
    assert {code for code, r in by_code.items() if r.kind == "threshold"} == set(by_code) - NO_TARGET_CODES - {"3.4"}
    assert all(r.threshold is None for r in rules)  # the plan's targets are the full-point thresholds
    assert all(r.note.startswith("Mặc định") for r in rules)
    assert "≥ 90%" in by_code["6.1.2"].note


def test_seed_targets_are_full_point_thresholds(plan):
    by_code = rules_by_code(default_rules(plan))
    for criterion in plan.criteria:
        rule = by_code[criterion.code]
        if rule.kind != "threshold":
            continue
        target = criterion.target
        assert points(rule, criterion.standard, target, target.value) == criterion.standard, criterion.code
        assert points(rule, criterion.standard, target, target.value - 0.01) == 0.0, criterion.code


def test_seed_2018_partial_score_of_3_4(plan):
    criterion = next(c for c in plan.criteria if c.code == "3.4")
    rule = rules_by_code(default_rules(plan))["3.4"]
    assert (criterion.standard, criterion.appraised) == (2.0, 1.0)
    for rate in (0.95, 0.97, 0.995):  # a 2018-like rate between 95% and 100%
        assert points(rule, criterion.standard, criterion.target, rate) == criterion.appraised
    assert points(rule, criterion.standard, criterion.target, 1.0) == 2.0
    assert points(rule, criterion.standard, criterion.target, 0.9) == 0.0


def test_seed_2018_partial_score_of_1_2_is_manual(plan):
    criterion = next(c for c in plan.criteria if c.code == "1.2")
    rule = rules_by_code(default_rules(plan))["1.2"]
    assert points(rule, criterion.standard, criterion.target, 0.75) == criterion.appraised


def test_kind_labels_and_table():
    assert set(RULE_KIND_LABELS) == set(RULE_KINDS) == set(RULE_KIND_DESCRIPTIONS)
    assert RULE_KIND_LABELS["manual"] == "Nhập điểm"
    table = rule_kinds_table()
    assert list(table.columns) == ["Cách chấm", "Cách tính điểm và mặc định"] and len(table) == 4
    assert "3.4" in RULE_KIND_DESCRIPTIONS["bands"]


# ---------------------------------------------------------------------------------------------------------------
# the editable frame and storage
# ---------------------------------------------------------------------------------------------------------------

def test_bands_text():
    assert bands_to_text(ON_TIME_BANDS) == "100:1; 95:0,5; 0:0"
    assert parse_bands("100:1; 95:0,5; 0:0") == ON_TIME_BANDS
    assert parse_bands("0:0;100%:1;95 : 0.5") == ON_TIME_BANDS
    assert parse_bands("97,5:50%") == ((0.975, 0.5),)
    assert parse_bands("") == () and parse_bands(None) == ()
    for bad in ("100", "abc:1", "100:x", "100:1,5", "-5:0", "95:0,5; 95:1", ":1"):
        with pytest.raises(BandsError):
            parse_bands(bad)


def test_frame_round_trip(plan):
    rules = default_rules(plan) + [Rule("9.9", "proportional", threshold=0.955, note="tự đặt"),
                                   Rule("9.8", "bands", bands=((0.975, 0.25), (0.5, 0.1)))]
    frame = rules_to_frame(rules)
    assert list(frame.columns) == ["code", "kind", "threshold", "bands", "note"]
    assert frame.loc[frame.code == "3.4", "bands"].item() == "100:1; 95:0,5; 0:0"
    assert frame.loc[frame.code == "9.9", "threshold"].item() == pytest.approx(95.5)
    assert math.isnan(frame.loc[frame.code == "6.1.2", "threshold"].item())
    back, findings = rules_from_frame(frame)
    assert findings.errors == [] and findings.warnings == []
    assert back == rules


def test_json_round_trip(plan):
    rules = default_rules(plan) + [Rule("9.9", "proportional", threshold=0.955, note="Ghi chú có dấu")]
    text = rules_to_json(rules)
    assert "Ghi chú có dấu" in text and json.loads(text)["version"] == 1
    assert rules_from_json(text) == rules
    assert rules_from_json(json.dumps([{"code": "1.2", "kind": "manual"}])) == [Rule("1.2", "manual")]


@pytest.mark.parametrize("text", ["not json", "{}", json.dumps([{"code": "1.2", "kind": "guess"}]),
                                  json.dumps([{"kind": "manual"}]), json.dumps([{"code": "1", "kind": "bands",
                                                                                  "bands": [[1]]}])])
def test_json_refuses_bad_content(text):
    with pytest.raises(ValueError):
        rules_from_json(text)


def edited(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["code", "kind", "threshold", "bands", "note"])


def test_frame_accepts_what_users_type(plan):
    frame = edited([
        {"code": 3.4, "kind": "Theo dải", "threshold": None, "bands": "100:1; 97,5:0,5; 0:0", "note": None},
        {"code": "6.1.2", "kind": "ty le", "threshold": "85%", "bands": "", "note": "  giảm ngưỡng "},
        {"code": "7.2.2", "kind": "Đạt ngưỡng", "threshold": "20,5", "bands": None, "note": ""},
        {"code": "1.2", "kind": "NHAP DIEM", "threshold": math.nan, "bands": math.nan, "note": math.nan},
        {"code": None, "kind": None, "threshold": None, "bands": None, "note": None},  # an empty row the editor adds
    ])
    rules, findings = rules_from_frame(frame, plan)
    assert findings.errors == [] and findings.warnings == []
    assert rules == [Rule("3.4", "bands", bands=((1.0, 1.0), (0.975, 0.5), (0.0, 0.0))),
                     Rule("6.1.2", "proportional", threshold=0.85, note="giảm ngưỡng"),
                     Rule("7.2.2", "threshold", threshold=0.205), Rule("1.2", "manual")]


@pytest.mark.parametrize("row,column,words", [
    ({"code": None, "kind": "manual"}, "Mã tiêu chí", "Thiếu mã tiêu chí"),
    ({"code": "abc", "kind": "manual"}, "Mã tiêu chí", "không đúng dạng"),
    ({"code": "9.9", "kind": "manual"}, "Mã tiêu chí", "không có trong kế hoạch"),
    ({"code": "1.4.2", "kind": "đoán"}, "Cách chấm", "không hợp lệ"),
    ({"code": "6.1.2", "kind": "threshold", "threshold": "chín mươi"}, "Ngưỡng (%)", "không phải là số"),
    ({"code": "6.1.2", "kind": "threshold", "threshold": 120}, "Ngưỡng (%)", "từ 0 đến 100"),
    ({"code": "6.1.2", "kind": "threshold", "threshold": -5}, "Ngưỡng (%)", "từ 0 đến 100"),
    ({"code": "6.1.2", "kind": "proportional", "threshold": 0}, "Ngưỡng (%)", "lớn hơn 0"),
    ({"code": "3.4", "kind": "bands", "bands": "100-1"}, "Dải điểm", "phần trăm:tỷ lệ điểm"),
    ({"code": "3.4", "kind": "bands", "bands": "100:2"}, "Dải điểm", "từ 0 đến 1"),
    ({"code": "3.4", "kind": "bands", "bands": "95:1; 95:0,5"}, "Dải điểm", "hai lần"),
    ({"code": "3.4", "kind": "bands", "bands": ""}, "Dải điểm", "ít nhất một dải"),
    ({"code": "6.4", "kind": "threshold"}, "Ngưỡng (%)", "không có chỉ tiêu định lượng"),
])
def test_frame_errors_name_row_and_column(plan, row, column, words):
    good = {"code": "1.2", "kind": "manual"}
    rules, findings = rules_from_frame(edited([good, row]), plan)
    assert rules == []
    assert len(findings.errors) == 1
    error = findings.errors[0]
    assert (error.row, error.column) == (2, column)
    assert words in error.message
    assert error.message[0].isupper()


def test_frame_duplicate_code(plan):
    _, findings = rules_from_frame(edited([{"code": "1.2", "kind": "manual"}, {"code": "1.2", "kind": "manual"}]))
    assert [(e.row, e.column) for e in findings.errors] == [(2, "Mã tiêu chí")]
    assert "dòng 1 và dòng 2" in findings.errors[0].message


def test_frame_without_plan_accepts_unknown_codes_and_no_target():
    rules, findings = rules_from_frame(edited([{"code": "9.9", "kind": "threshold"}]))
    assert findings.ok and rules == [Rule("9.9", "threshold")]


def test_frame_warnings_for_unused_fields(plan):
    rules, findings = rules_from_frame(edited([
        {"code": "6.1.2", "kind": "threshold", "bands": "100:1"},
        {"code": "1.2", "kind": "manual", "threshold": 50},
    ]), plan)
    assert findings.ok and len(rules) == 2
    assert [(w.row, w.column) for w in findings.warnings] == [(1, "Dải điểm"), (2, "Ngưỡng (%)")]


def test_frame_missing_columns():
    rules, findings = rules_from_frame(pd.DataFrame({"note": ["x"]}))
    assert rules == []
    assert {e.column for e in findings.errors} == {RULE_COLUMN_LABELS["code"], RULE_COLUMN_LABELS["kind"]}
