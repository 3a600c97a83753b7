"""Criterion status and projected points: how many of the lost points the plan is winning back.

For a chosen period every criterion gets a measured value from one source:
- "stats": the monthly statistics (3.4, 3.7, 7.2.2, 7.2.3, 7.3.2, 7.3.3), rates from summed counts;
- "procedures": the optional procedure sheet (7.2.1, 7.3.1, 3.5.2, 3.2.4), when one is stored for the year;
- "progress": the latest progress report in the period (a value, or a done / in progress / not done status).
Its rule (rules.py) turns the value into points. The projected total is the appraised total plus, for every
criterion with a value, its points minus its appraised points; a criterion without data is assumed unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import formatting as fmt
from ..read.plan import Criterion, Plan
from ..read.targets import Target
from .metrics import METRIC_TO_RATE, RATES, procedure_rates, rate
from .rules import Rule, close_ratio_from_json, default_rule, points, points_for_status, rules_from_json
from .status import DEFAULT_CLOSE_RATIO, classify

PROCEDURE_METRICS = ("online_procedures_used", "bcci_procedures_used", "one_stop_coverage", "publication_rate")
PROGRESS_STATUS_TO_STATUS = {"done": "met", "in_progress": "close", "not_done": "behind"}
SOURCE_LABELS = {"stats": "Thống kê TTHC", "procedures": "Số liệu thủ tục", "progress": "Báo cáo tiến độ",
                 "what_if": "Giả định", "projection": "Dự báo cuối năm", None: "Chưa có"}


@dataclass
class Inputs:
    """What the measurements come from, for one period and set of units."""
    stats_totals: Mapping[str, int]
    procedure_totals: Mapping[str, int] = field(default_factory=dict)
    progress: pd.DataFrame = field(default_factory=pd.DataFrame)  # store.progress_records(start, end)


@dataclass
class CriterionScore:
    code: str
    name: str
    domain: str
    standard: float
    appraised: float
    lost: float
    target: Target | None
    rule: Rule
    value: float | None
    status: str
    points: float | None
    source: str | None
    evidence: str = ""
    progress_status: str = ""

    @property
    def gain(self) -> float:
        """Points won back (negative: lost further) against the appraisal; 0 without data."""
        return 0.0 if self.points is None else round(self.points - self.appraised, 6)

    def as_json(self) -> dict:
        """The criterion object of `python -m cchc score --json`."""
        return {"code": self.code, "standard": self.standard, "value": self.value,
                "target": self.target.as_dict() if self.target else None, "status": self.status,
                "points": self.points, "source": self.source}


@dataclass
class PlanScore:
    criteria: list[CriterionScore]
    appraised_total: float
    standard_total: float
    lost_total: float

    @property
    def recovered(self) -> float:
        return round(sum(c.gain for c in self.criteria), 6)

    @property
    def projected(self) -> float:
        return round(self.appraised_total + self.recovered, 6)

    def total_json(self) -> dict:
        return {"standard": self.standard_total, "projected": self.projected, "recovered": self.recovered}

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([{
            "code": c.code, "name": c.name, "domain": c.domain, "standard": c.standard, "appraised": c.appraised,
            "lost": c.lost, "metric": c.target.metric if c.target else None,
            "target_value": c.target.value if c.target else None, "target_op": c.target.op if c.target else None,
            "value": c.value, "status": c.status, "points": c.points, "gain": c.gain, "source": c.source,
            "rule": c.rule.kind, "evidence": c.evidence, "progress_status": c.progress_status,
        } for c in self.criteria])

    def by_domain(self, plan: Plan) -> pd.DataFrame:
        """Per domain: standard, appraised, lost, projected and recovered points."""
        rows = []
        for d in plan.domains:
            members = [c for c in self.criteria if c.domain == d.code]
            recovered = round(sum(c.gain for c in members), 6)
            rows.append({"code": d.code, "name": d.name, "standard": d.standard, "appraised": d.appraised,
                         "lost": d.lost, "recovered": recovered, "projected": round(d.appraised + recovered, 6),
                         "still_lost": round(d.lost - recovered, 6)})
        return pd.DataFrame(rows)

    def status_counts(self) -> dict[str, int]:
        counts = {s: 0 for s in ("met", "close", "behind", "no_data")}
        for c in self.criteria:
            counts[c.status] += 1
        return counts


def plan_rules(plan: Plan, rules_json: str | None) -> dict[str, Rule]:
    """The stored rules of a plan, with the default rule for any criterion they do not cover."""
    stored = {r.code: r for r in rules_from_json(rules_json)} if rules_json else {}
    return {c.code: stored.get(c.code) or default_rule(c) for c in plan.criteria}


def _latest_progress(progress: pd.DataFrame, code: str) -> dict | None:
    if progress is None or progress.empty:
        return None
    rows = progress[progress["code"] == code]
    if rows.empty:
        return None
    order = ["period", "created_at"] if "created_at" in rows else ["period"]
    return rows.sort_values(order).iloc[-1].to_dict()


def _evidence(report: dict) -> str:
    parts = []
    if report.get("doc_number"):
        date = report.get("doc_date") or ""
        parts.append(f"{report['doc_number']}" + (f" ngày {date[8:10]}/{date[5:7]}/{date[:4]}" if date else ""))
    if report.get("agency"):
        parts.append(str(report["agency"]))
    parts.append(f"kỳ {fmt.period_label(report['period'])}")
    return ", ".join(parts)


def score_criterion(c: Criterion, rule: Rule, inputs: Inputs, overrides: Mapping[str, float] | None = None,
                    tasks: Mapping[str, bool] | None = None, close_ratio: float = DEFAULT_CLOSE_RATIO
                    ) -> CriterionScore:
    target = c.target
    metric = target.metric if target else None
    value, source, evidence, progress_status = None, None, "", ""
    overrides = overrides or {}
    tasks = tasks or {}
    if metric and metric in overrides:
        value, source = overrides[metric], "what_if"
    elif c.code in tasks:
        progress_status, source = ("done" if tasks[c.code] else "not_done"), "what_if"
    elif metric in METRIC_TO_RATE:
        key = METRIC_TO_RATE[metric]
        value = rate(inputs.stats_totals, key) if inputs.stats_totals else None
        if value is not None:
            spec = RATES[key]
            num = sum(inputs.stats_totals[f] for f in spec.numerator)
            den = sum(-inputs.stats_totals[f[1:]] if f.startswith("-") else inputs.stats_totals[f]
                      for f in spec.denominator)
            source, evidence = "stats", f"{fmt.number(num)} / {fmt.number(den)} hồ sơ"
    elif metric in PROCEDURE_METRICS and any(inputs.procedure_totals.values() if inputs.procedure_totals else []):
        value = procedure_rates(inputs.procedure_totals)[metric]
        if value is not None:
            source, evidence = "procedures", "theo số liệu thủ tục hành chính"
    if source is None:
        report = _latest_progress(inputs.progress, c.code)
        if report is not None:
            source, evidence = "progress", _evidence(report)
            raw = report.get("value")
            value = None if raw is None or pd.isna(raw) else float(raw)
            progress_status = report.get("status") or ""

    if value is not None and target is not None:
        status = classify(value, target, close_ratio)
        earned = points(rule, c.standard, target, value)
    elif value is not None:  # a task-type criterion with a number: under a manual rule the number is its points
        earned = points(rule, c.standard, target, value)
        status = "met" if earned is not None and earned >= c.standard - 1e-9 else "behind"
    elif progress_status:
        status = PROGRESS_STATUS_TO_STATUS.get(progress_status, "no_data")
        if target is not None and progress_status == "done":
            value = target.value  # done, as the target asks
            earned = points(rule, c.standard, target, value)
        else:
            earned = points_for_status(progress_status, c.standard)
    else:
        status, earned = "no_data", None
    return CriterionScore(c.code, c.name, c.domain, c.standard, c.appraised, c.lost, target, rule, value, status,
                          earned, source, evidence, progress_status)


def score_plan(plan: Plan, rules: Mapping[str, Rule], inputs: Inputs, overrides: Mapping[str, float] | None = None,
               tasks: Mapping[str, bool] | None = None, close_ratio: float = DEFAULT_CLOSE_RATIO) -> PlanScore:
    scored = [score_criterion(c, rules.get(c.code) or default_rule(c), inputs, overrides, tasks, close_ratio)
              for c in plan.criteria]
    total = plan.total
    return PlanScore(scored, total["appraised"], total["standard"], total["lost"])


def project_year_end(monthly: pd.DataFrame, keys=tuple(k for k in RATES if RATES[k].metric),
                     months_in_year: int = 12) -> dict[str, float]:
    """Year-end rates (by metric) from the months so far and their trend: a projection, not a measurement.

    The remaining months' denominators are the average of the last three months; their rates follow the linear
    trend of the monthly rates (least squares over the months so far), kept within 0–100%. The year's rate is then
    again summed counts divided: the months so far plus the projected months.
    """
    if monthly.empty:
        return {}
    months = sorted(int(p[5:]) for p in monthly["period"])
    remaining = [m for m in range(months[-1] + 1, months_in_year + 1)]
    out: dict[str, float] = {}
    for key in keys:
        spec = RATES[key]
        num = sum(monthly[f] for f in spec.numerator).astype(float)
        den = sum(-monthly[f[1:]] if f.startswith("-") else monthly[f] for f in spec.denominator).astype(float)
        if den.sum() <= 0:
            continue
        monthly_rate = (num / den.where(den > 0)).to_numpy()
        x = np.array(months, dtype=float)
        valid = ~np.isnan(monthly_rate)
        projected_num, projected_den = float(num.sum()), float(den.sum())
        if remaining and valid.sum() >= 1:
            if valid.sum() >= 3:
                slope, intercept = np.polyfit(x[valid], monthly_rate[valid], 1)
            else:
                slope, intercept = 0.0, float(np.nanmean(monthly_rate))
            volume = float(den.tail(3).mean())
            for m in remaining:
                future = min(1.0, max(0.0, intercept + slope * m))
                projected_num += future * volume
                projected_den += volume
        out[spec.metric] = float(projected_num / projected_den) if projected_den else None
    return {k: v for k, v in out.items() if v is not None}


def gains_if_met(plan: Plan, rules: Mapping[str, Rule], score: PlanScore) -> pd.DataFrame:
    """For each criterion not yet at full points: the points meeting its target would add. The meeting's list."""
    rows = []
    for c, scored in zip(plan.criteria, score.criteria):
        current = scored.points if scored.points is not None else c.appraised
        extra = round(c.standard - current, 6)
        if extra > 1e-9:
            rows.append({"code": c.code, "name": c.name, "domain": c.domain, "standard": c.standard,
                         "current": current, "extra": extra, "status": scored.status,
                         "target": scored.target, "lead": ", ".join(c.lead)})
    frame = pd.DataFrame(rows, columns=["code", "name", "domain", "standard", "current", "extra", "status",
                                        "target", "lead"])
    return frame.sort_values(["extra", "code"], ascending=[False, True]).reset_index(drop=True)


def score_for_period(store, start: str | None = None, end: str | None = None, unit: str | None = None,
                     ) -> tuple[str, str, PlanScore] | None:
    """Score the plan that governs a period over the stored data; (start, end, score), None without a plan.

    The default period is the latest year with statistics, from January to its latest month.
    """
    periods = store.stats_periods()
    if end is None:
        end = (max(periods) if periods else None) or (f"{start[:4]}-12" if start else None)
    if start is None and end is not None:
        start = f"{end[:4]}-01"
    year = int((end or start or "0")[:4]) or None
    from ..store.database import plan_for

    plan = plan_for(store, year)
    if plan is None:
        return None
    if start is None:
        start, end = f"{plan.plan_year}-01", f"{plan.plan_year}-12"
        year = plan.plan_year
    units = (unit,) if unit else None
    progress = store.progress_records(start, end)
    if unit:  # a unit's own reports only
        progress = progress[progress["agency"] == unit]
    inputs = Inputs(store.stats_totals(start=start, end=end, units=units),
                    store.procedure_totals(year, units=units), progress)
    rules_json = store.rules_json(plan.plan_year)
    return start, end, score_plan(plan, plan_rules(plan, rules_json), inputs,
                                  close_ratio=close_ratio_from_json(rules_json))
