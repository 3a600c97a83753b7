"""Criterion status, projected points, what-if and the year-end projection (issue 4)."""

import json
import subprocess
import sys

import pandas as pd
import pytest
from support import ROOT, sample_plan_bytes

from cchc.fields import STATS_FIELDS
from cchc.ingest import load_sample_data
from cchc.read.plan import read_plan
from cchc.score import scoring
from cchc.score.rules import Rule, rules_to_json
from cchc.show import views
from cchc.store.database import Store


@pytest.fixture(scope="module")
def plan():
    return read_plan(sample_plan_bytes()).plan


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("scoring") / "sample.sqlite"
    store = Store(f"sqlite:///{path}")
    load_sample_data(store)
    store.dispose()
    return f"sqlite:///{path}"


def totals(**values):
    base = {f: 0 for f in STATS_FIELDS}
    base.update(values)
    return base


def by_code(score):
    return {c.code: c for c in score.criteria}


def test_stats_measured_criteria_score_themselves(plan):
    rules = scoring.plan_rules(plan, None)
    counts = totals(received_total=1000, received_online_l3=250, received_online_l4=40, received_bcci=120,
                    resolved_total=900, resolved_on_time=870, resolved_early=0, resolved_late=30,
                    returned_bcci=80, late_apologies=30)
    score = by_code(scoring.score_plan(plan, rules, scoring.Inputs(counts)))
    assert score["7.2.2"].value == pytest.approx(0.25) and score["7.2.2"].status == "met"
    assert score["7.2.2"].points == 0.5 and score["7.2.2"].source == "stats"
    assert score["7.2.3"].value == pytest.approx(0.04) and score["7.2.3"].status == "behind"
    assert score["7.2.3"].points == 0.0
    assert score["3.4"].value == pytest.approx(870 / 900) and score["3.4"].points == 1.0  # 96,7%: half of 2 points
    assert score["3.7"].value == 1.0 and score["3.7"].points == 1.0
    assert score["7.3.3"].status == "behind"  # 8,9% against 10%: 89% of the target, below the 90% of "Gần đạt"
    assert score["1.2"].status == "no_data" and score["1.2"].points is None


def test_procedures_progress_and_unchanged_without_data(plan):
    rules = scoring.plan_rules(plan, None)
    procedures = {"procedures_total": 100, "procedures_one_stop": 100, "procedures_online_offered": 40,
                  "procedures_online_used": 30, "procedures_bcci_offered": 50, "procedures_bcci_used": 5,
                  "procedures_published": 90}
    progress = pd.DataFrame([
        {"code": "6.1.2", "period": "2019-06", "value": 0.78, "status": "", "doc_number": "1/BC", "doc_date": "",
         "note": "", "agency": "Phòng Tài chính-Kế hoạch", "created_at": pd.Timestamp("2019-06-20")},
        {"code": "6.1.2", "period": "2019-12", "value": 0.93, "status": "", "doc_number": "9/BC",
         "doc_date": "2019-12-15", "note": "", "agency": "Phòng Tài chính-Kế hoạch",
         "created_at": pd.Timestamp("2019-12-20")},
        {"code": "1.2", "period": "2019-12", "value": float("nan"), "status": "done", "doc_number": "",
         "doc_date": "", "note": "", "agency": "Phòng Nội vụ", "created_at": pd.Timestamp("2019-12-20")},
        {"code": "6.8.1", "period": "2019-12", "value": float("nan"), "status": "not_done", "doc_number": "",
         "doc_date": "", "note": "", "agency": "Phòng Tài chính-Kế hoạch", "created_at": pd.Timestamp("2019-12-20")},
    ])
    score = scoring.score_plan(plan, rules, scoring.Inputs(totals(), procedures, progress))
    c = by_code(score)
    assert (c["7.2.1"].value, c["7.2.1"].status, c["7.2.1"].source) == (0.75, "met", "procedures")
    assert c["7.3.1"].value == 0.1 and c["7.3.1"].status == "behind"
    assert c["3.5.2"].value == 1.0 and c["3.2.4"].value == 0.9
    assert c["6.1.2"].value == 0.93 and c["6.1.2"].source == "progress" and "9/BC" in c["6.1.2"].evidence
    assert c["1.2"].status == "met" and c["1.2"].points == 1.75 and c["1.2"].gain == 1.0
    assert c["6.8.1"].status == "behind" and c["6.8.1"].points == 0.0
    # no data: assumed unchanged, so it neither adds nor removes points
    assert c["5.5"].points is None and c["5.5"].gain == 0
    assert score.projected == pytest.approx(35.75 + score.recovered)
    assert score.recovered == pytest.approx(sum(x.points - x.appraised for x in score.criteria if x.points is not None))


def test_changing_a_rule_changes_the_projection(plan):
    counts = totals(resolved_total=100, resolved_on_time=96)
    default = scoring.score_plan(plan, scoring.plan_rules(plan, None), scoring.Inputs(counts))
    stricter = scoring.plan_rules(plan, rules_to_json([Rule("3.4", "threshold")]))
    changed = scoring.score_plan(plan, stricter, scoring.Inputs(counts))
    assert by_code(default)["3.4"].points == 1.0 and by_code(changed)["3.4"].points == 0.0
    assert changed.projected == pytest.approx(default.projected - 1.0)
    proportional = scoring.plan_rules(plan, rules_to_json([Rule("3.4", "proportional")]))
    assert by_code(scoring.score_plan(plan, proportional, scoring.Inputs(counts)))["3.4"].points == pytest.approx(1.92)


def test_what_if_overrides_move_the_points(plan):
    rules = scoring.plan_rules(plan, None)
    base = scoring.score_plan(plan, rules, scoring.Inputs(totals()))
    moved = scoring.score_plan(plan, rules, scoring.Inputs(totals()), overrides={"online_l4_share": 0.12},
                               tasks={"6.4": True})
    c = by_code(moved)
    assert c["7.2.3"].source == "what_if" and c["7.2.3"].points == 0.5
    assert c["6.4"].points == 1.0
    assert moved.projected == pytest.approx(base.projected + 0.5 + 1.0)
    gains = scoring.gains_if_met(plan, rules, moved)
    assert gains.iloc[0]["extra"] == max(gains["extra"])  # the most valuable action first
    assert "7.2.3" not in set(gains["code"])


def test_year_end_projection_follows_the_trend():
    months = pd.DataFrame({"period": [f"2019-{m:02d}" for m in range(1, 7)],
                           **{f: [0] * 6 for f in STATS_FIELDS}})
    months["received_total"] = 100
    months["received_online_l3"] = [5, 7, 9, 11, 13, 15]  # +2 points a month
    projected = scoring.project_year_end(months)
    # Jan–Jun: 60/600; Jul–Dec follow the trend 17 … 27 → (60 + 132) / 1200
    assert projected["online_l3_share"] == pytest.approx((60 + sum(range(17, 28, 2))) / 1200)


def test_every_seed_criterion_has_status_and_points_from_the_sample(sample_url):
    store = Store(sample_url)
    plan, score = views.plan_score(store, views.Filters(2019, 1, 12))
    assert len(score.criteria) == 27
    assert all(c.status != "no_data" and c.points is not None for c in score.criteria)
    assert {c.source for c in score.criteria} == {"stats", "procedures", "progress"}
    assert 0 < score.recovered < 19.25
    due = views.deadlines(store, views.Filters(2019, 1, 12))
    quarterly = due[due["code"] == "1.2"]
    assert [d.strftime("%d/%m") for d in quarterly["due"]] == ["31/03", "30/06", "30/09", "31/12"]
    assert set(due["status"]) <= {"overdue", "due_soon", "upcoming", "done"}


def test_cli_score_json_contract(sample_url):
    done = subprocess.run([sys.executable, "-m", "cchc", "score", "--db", sample_url, "--from", "2019-01", "--to",
                           "2019-06", "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["from"] == "2019-01" and payload["to"] == "2019-06"
    assert len(payload["criteria"]) == 27
    for item in payload["criteria"]:
        assert set(item) == {"code", "standard", "value", "target", "status", "points", "source"}
        assert item["status"] in {"met", "close", "behind", "no_data"}
        assert item["source"] in {"stats", "procedures", "progress", None}
        if item["value"] is not None and item["target"] is not None:
            assert 0 <= item["value"] <= 1
    c34 = next(i for i in payload["criteria"] if i["code"] == "3.4")
    assert c34["target"] == {"metric": "on_time_rate", "op": "=", "value": 1.0} and c34["source"] == "stats"
    assert set(payload["total"]) == {"standard", "projected", "recovered"} and payload["total"]["standard"] == 55.0
    unit = subprocess.run([sys.executable, "-m", "cchc", "score", "--db", sample_url, "--unit", "Ia Tul", "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert unit.returncode == 0 and json.loads(unit.stdout)["from"] == "2019-01"
    bad = subprocess.run([sys.executable, "-m", "cchc", "score", "--db", sample_url, "--from", "2019-13"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_progress_entered_in_the_app_is_stored_with_who_and_when(sample_url, tmp_path):
    url = f"sqlite:///{tmp_path / 'entry.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    plan = store.current_plan()
    filters = views.Filters(2019, 1, 12)
    before = views.progress_entry_frame(store, plan, "Phòng Tài chính-Kế hoạch", filters)
    assert set(before["Mã tiêu chí"]) == {"6.1.1", "6.1.2", "6.4", "6.8.1", "6.8.2", "6.8.4"}
    after = before.copy()
    row = after.index[after["Mã tiêu chí"] == "6.8.1"][0]
    after.loc[row, "Trạng thái"] = "Hoàn thành"
    after.loc[row, "Số văn bản"] = "99/QĐ-UBND"
    records, errors = views.entries_to_progress(before, after, plan, "Phòng Tài chính-Kế hoạch")
    assert errors == [] and list(records["code"]) == ["6.8.1"]
    store.import_progress(records, b"", "", user="tckh@iapa", source="app")
    entry = store.import_history().iloc[0]
    assert entry["kind"] == "progress_entry" and entry["user"] == "tckh@iapa"
    c = by_code(views.plan_score(store, filters)[1])
    assert c["6.8.1"].status == "met" and "99/QĐ-UBND" in c["6.8.1"].evidence
    after.loc[row, "Mã tiêu chí"] = "3.4"  # not its criterion
    _, errors = views.entries_to_progress(before, after, plan, "Phòng Tài chính-Kế hoạch")
    assert errors and "không chủ trì" in errors[0]


def test_rules_edited_in_vietnamese_come_back_as_rules(plan):
    rules = list(scoring.plan_rules(plan, None).values())
    table = views.rules_editor_frame(rules)
    assert list(table.columns) == ["Mã tiêu chí", "Cách chấm", "Ngưỡng (%)", "Dải điểm", "Ghi chú"]
    assert "None" not in table.to_string() and set(table["Cách chấm"]) == {"Nhập điểm", "Đạt ngưỡng", "Theo dải"}
    row = table.index[table["Mã tiêu chí"] == "7.2.3"][0]
    table.loc[row, "Cách chấm"] = "Tỷ lệ"
    table.loc[row, "Ngưỡng (%)"] = "12,5"
    edited, findings = views.rules_from_editor(table, plan)
    assert findings.errors == []
    assert next(r for r in edited if r.code == "7.2.3") == Rule("7.2.3", "proportional", threshold=0.125,
                                                                  note=table.loc[row, "Ghi chú"])
    table.loc[row, "Cách chấm"] = "Không biết"
    assert views.rules_from_editor(table, plan)[1].errors
