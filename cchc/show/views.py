"""What each dashboard page shows, computed from the store: pure functions, no Streamlit.

Every rate is computed from counts summed over the chosen months, units and level (metrics.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import formatting as fmt
from ..read.plan import Plan
from ..read.targets import METRICS, Target
from ..registry import Organisation
from ..score.metrics import METRIC_TO_RATE, RATES, add_rates, rate
from ..score.status import classify
from ..store.database import Store, plan_for

# The national norms the seed's plan also uses; they apply when no stored plan sets a target for a rate.
DEFAULT_TARGETS: dict[str, Target] = {
    "on_time_rate": Target("on_time_rate", "=", 1.0),
    "apology_rate": Target("apology_rate", "=", 1.0),
    "online_l3_share": Target("online_l3_share", ">=", 0.2),
    "online_l4_share": Target("online_l4_share", ">=", 0.1),
    "bcci_intake_share": Target("bcci_intake_share", ">=", 0.1),
    "bcci_return_share": Target("bcci_return_share", ">=", 0.1),
}
HEADLINE_RATES = ("on_time_rate", "online_l3_share", "online_l4_share", "bcci_intake_share", "bcci_return_share",
                  "apology_rate")
ONLINE_RATES = ("online_l3_share", "online_l4_share", "bcci_intake_share", "bcci_return_share")
NEW_ERA_RATES = ("online_full_share", "online_partial_share")  # Nghị định 42/2022: toàn trình / một phần


@dataclass(frozen=True)
class Filters:
    year: int | None
    month_from: int = 1
    month_to: int = 12
    level: str = ""  # "" means every level

    @property
    def start(self) -> str | None:
        return f"{self.year}-{self.month_from:02d}" if self.year else None

    @property
    def end(self) -> str | None:
        return f"{self.year}-{self.month_to:02d}" if self.year else None

    def query(self) -> dict:
        return {"start": self.start, "end": self.end, "level": self.level or None}

    def describe(self, organisation: Organisation | None = None) -> str:
        period = fmt.period_range_label(self.start, self.end)
        level = organisation.level_label(self.level) if organisation and self.level else (
            self.level or "tất cả các cấp")
        return f"{period}, {level.lower() if self.level else level}"




def default_filters(store: Store) -> Filters:
    """The latest year with statistics, January to its latest month: year to date."""
    periods = store.stats_periods()
    if periods:
        last = max(periods)
        return Filters(int(last[:4]), 1, int(last[5:]))
    years = store.plan_years()
    return Filters(years[-1] if years else None, 1, 12)


def last_month_with_data(store: Store, year: int | None) -> int:
    months = [int(p[5:]) for p in store.stats_periods() if year and p.startswith(str(year))]
    return max(months) if months else 12


def target_for(plan: Plan | None, metric: str) -> tuple[Target | None, str | None]:
    """(target, criterion code) for a metric: the plan's, else the default norm."""
    if plan is not None:
        for criterion in plan.criteria:
            if criterion.target is not None and criterion.target.metric == metric:
                return criterion.target, criterion.code
    return DEFAULT_TARGETS.get(metric), None


@dataclass
class RateCard:
    key: str
    label: str
    value: float | None
    target: Target | None
    criterion: str | None
    status: str
    numerator: int
    denominator: int


def rate_cards(totals: dict[str, int], plan: Plan | None, keys=HEADLINE_RATES) -> list[RateCard]:
    cards = []
    for key in keys:
        spec = RATES[key]
        target, code = target_for(plan, spec.metric)
        value = rate(totals, key)
        numerator = sum(totals[f] for f in spec.numerator)
        denominator = sum(-totals[f[1:]] if f.startswith("-") else totals[f] for f in spec.denominator)
        cards.append(RateCard(key, spec.label, value, target, code or spec.criterion or None,
                              classify(value, target), int(numerator), int(denominator)))
    return cards


def domain_lost(plan: Plan) -> pd.DataFrame:
    """Lost points per domain, largest first, with the domain's name for the chart."""
    frame = pd.DataFrame([{"code": d.code, "name": d.name, "standard": d.standard, "appraised": d.appraised,
                           "lost": d.lost, "criteria": sum(1 for c in plan.criteria if c.domain == d.code)}
                          for d in plan.domains])
    return frame.sort_values(["lost", "code"], ascending=[False, True]).reset_index(drop=True)


def criteria_status(plan: Plan, totals: dict[str, int]) -> pd.DataFrame:
    """Every criterion with its target, the value the statistics give (where they measure it) and its status."""
    domain_names = {d.code: d.name for d in plan.domains}
    rows = []
    for c in plan.criteria:
        metric = c.target.metric if c.target else None
        rate_key = METRIC_TO_RATE.get(metric or "")
        value = rate(totals, rate_key) if rate_key else None
        rows.append({
            "code": c.code, "name": c.name, "domain": c.domain, "domain_name": domain_names.get(c.domain, c.domain),
            "standard": c.standard, "appraised": c.appraised, "lost": c.lost,
            "metric": metric, "metric_label": METRICS[metric].label if metric in METRICS else "",
            "target_text": target_text(c.target) if c.target else c.no_target_reason or "Không có chỉ tiêu định lượng",
            "target_value": c.target.value if c.target else None,
            "value": value, "status": classify(value, c.target),
            "source": "stats" if rate_key and value is not None else None,
            "lead": c.lead, "partners": c.partners, "timeline": c.timeline, "solution": c.solution,
        })
    return pd.DataFrame(rows)


def target_text(target: Target) -> str:
    op = {">=": "≥ ", "=": "", "<=": "≤ "}.get(target.op, "")
    return f"{op}{fmt.percent(target.value, 0 if float(target.value * 100).is_integer() else 1)}"




def monthly(store: Store, filters: Filters, units=None) -> pd.DataFrame:
    """One row per month of the chosen range: summed counts and rates."""
    frame = store.stats_grouped(by=("period",), units=units, **filters.query())
    return add_rates(frame)


def span_note(store: Store, filters: Filters, units=None) -> str | None:
    """The multi-month records a month-by-month chart leaves out (they count in the period's totals)."""
    spans = store.stats_spans(units=units, **filters.query())
    if not spans:
        return None
    listed = ", ".join(fmt.period_label(s) for s in spans[:6]) + (" …" if len(spans) > 6 else "")
    return (f"Số liệu nhiều tháng ({listed}) được tính vào các tổng và tỷ lệ của kỳ, nhưng không hiện trên biểu đồ "
            "theo tháng vì không chia được cho từng tháng.")


def by_unit(store: Store, filters: Filters) -> pd.DataFrame:
    """One row per unit over the chosen months: summed counts and rates."""
    frame = store.stats_grouped(by=("unit", "level"), **filters.query())
    return add_rates(frame)


def level_average(store: Store, filters: Filters, level: str) -> dict[str, float | None]:
    """The rates of a whole level (its counts summed), the yardstick a unit is compared with."""
    totals = store.stats_totals(start=filters.start, end=filters.end, level=level or None)
    return {key: rate(totals, key) for key in RATES}


def units_behind(units: pd.DataFrame, key: str, target: Target | None, min_denominator: int = 1) -> pd.DataFrame:
    """Units below the target on one rate, the worst first, with the dossiers that would close the gap."""
    if target is None or units.empty:
        return units.iloc[0:0]
    spec = RATES[key]
    frame = units.copy()
    denominator = sum(-frame[f[1:]] if f.startswith("-") else frame[f] for f in spec.denominator)
    frame = frame[(denominator >= min_denominator) & frame[key].notna()]
    frame = frame[frame[key].map(lambda v: classify(v, target) != "met")]
    numerator = sum(frame[f] for f in spec.numerator)
    denominator = denominator.loc[frame.index]
    frame = frame.assign(gap=(target.value * denominator - numerator).clip(lower=0).round().astype(int))
    return frame.sort_values([key, "gap"], ascending=[True, False]).reset_index(drop=True)


def unit_criteria(plan: Plan, unit: str, level: str, organisation_groups: dict[str, set[str]] | None = None
                  ) -> tuple[list[str], list[str]]:
    """Codes of the criteria a unit leads and supports: by name, or through a group it belongs to."""
    groups = organisation_groups or {}
    names = {unit} | {g for g, members in groups.items() if unit in members}
    leads = [c.code for c in plan.criteria if names & set(c.lead)]
    supports = [c.code for c in plan.criteria if c.code not in leads and names & set(c.partners)]
    return leads, supports




def has_illustrative(store: Store) -> bool:
    return store.has_illustrative_data()


def stats_totals(store: Store, filters: Filters, units=None) -> dict[str, int]:
    return store.stats_totals(units=units, **filters.query())


def plan_years(store: Store) -> list[int]:
    return store.plan_years()


def stats_periods(store: Store) -> list[str]:
    return store.stats_periods()


PAR_INDEX_FIRST_YEAR = 2012  # the first year provinces were ranked by the PAR Index


MAPPING_CHOICES = {"": "— Không đọc —", "unit": "Tên đơn vị", "month": "Tháng", "year": "Năm",
                   # counts read only to derive a field from (the readers' part roles)
                   "received_new": "Số hồ sơ mới tiếp nhận trong kỳ (chưa gồm kỳ trước)",
                   "resolved_late_apology": "Giải quyết quá hạn, đã có văn bản xin lỗi",
                   "resolved_late_no_apology": "Giải quyết quá hạn, chưa có văn bản xin lỗi",
                   "pending_overdue_apology": "Đang giải quyết quá hạn, đã có văn bản xin lỗi",
                   "pending_overdue_no_apology": "Đang giải quyết quá hạn, chưa có văn bản xin lỗi"}


def mapping_choices() -> dict[str, str]:
    from ..fields import FIELD_LABELS, STATS_FIELDS

    return {**MAPPING_CHOICES, **{f: FIELD_LABELS[f] for f in STATS_FIELDS}}


def mapping_frame(columns: list[dict]) -> pd.DataFrame:
    """The header as read, for the user to map: column letter, header text, the field it is read as (Vietnamese)."""
    names = mapping_choices()
    return pd.DataFrame([{"Cột": c["column"], "Tiêu đề trong tệp": c["header"],
                          "Đọc là": names.get(c["field"], names[""])} for c in columns],
                        columns=["Cột", "Tiêu đề trong tệp", "Đọc là"])


def mapping_from_editor(frame: pd.DataFrame) -> dict[str, str]:
    """{header text: field} from the edited mapping table (a Vietnamese name back to its field)."""
    fields = {label: f for f, label in mapping_choices().items()}
    return {row["Tiêu đề trong tệp"]: fields.get(row["Đọc là"], "") for _, row in frame.iterrows()}


def period_picker_years(store: Store, chosen: tuple[int, int] | None = None, today=None) -> list[int]:
    """The years offered when a user names the period of a file that states none: every year since the PAR
    Index began (2012) up to this one, and any plan or data year outside that, oldest first."""
    import datetime as dt

    this_year = (today or dt.date.today()).year
    years = set(range(PAR_INDEX_FIRST_YEAR, this_year + 1)) | set(store.plan_years())
    years |= {int(p[:4]) for p in store.stats_periods()}
    if chosen:
        years.add(chosen[0])
    return sorted(years)


def stats_units(store: Store) -> pd.DataFrame:
    return store.stats_units()


def import_history(store: Store) -> pd.DataFrame:
    return store.import_history()


def behind_table(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Units behind on one rate, for display: Vietnamese headers, formatted numbers."""
    spec = RATES[key]
    denominator = sum(-frame[f[1:]] if f.startswith("-") else frame[f] for f in spec.denominator)
    return pd.DataFrame({
        "Đơn vị": frame["unit"],
        spec.label: frame[key].map(fmt.percent),
        "Số hồ sơ tính tỷ lệ": denominator.map(lambda v: fmt.number(v)),
        "Số hồ sơ còn thiếu để đạt": frame["gap"].map(lambda v: fmt.number(v)),
    })


def criteria_table(status: pd.DataFrame) -> pd.DataFrame:
    from ..score.status import badge

    return pd.DataFrame({
        "Mã": status["code"],
        "Tiêu chí": status["name"],
        "Lĩnh vực": status["domain_name"],
        "Điểm bị mất": status["lost"].map(fmt.points),
        "Chỉ tiêu": status["target_text"],
        "Hiện tại": status["value"].map(fmt.percent),
        "Tình trạng": status["status"].map(badge),
        "Chủ trì": status["lead"].map(", ".join),
    })


def processing_table(units: pd.DataFrame, on_time_target: Target | None) -> pd.DataFrame:
    """Per unit: the counts behind every processing rate, and the rates."""
    from ..score.status import badge

    frame = units.sort_values("on_time_rate", na_position="last")
    return pd.DataFrame({
        "Đơn vị": frame["unit"],
        "Cấp": frame["level"],
        "Tiếp nhận": frame["received_total"].map(fmt.number),
        "Đã giải quyết": frame["resolved_total"].map(fmt.number),
        "Trước hạn": frame["resolved_early"].map(fmt.number),
        "Đúng hạn": frame["resolved_on_time"].map(fmt.number),
        "Quá hạn": frame["resolved_late"].map(fmt.number),
        "Tỷ lệ đúng hạn": frame["on_time_rate"].map(fmt.percent),
        "Tình trạng": frame["on_time_rate"].map(lambda v: badge(classify(None if pd.isna(v) else v,
                                                                          on_time_target))),
        "Đang giải quyết": frame["pending_total"].map(fmt.number),
        "Đang quá hạn": frame["pending_overdue"].map(fmt.number),
        "Văn bản xin lỗi": frame["late_apologies"].map(fmt.number),
        "Tỷ lệ xin lỗi": frame["apology_rate"].map(fmt.percent),
    })


def online_table(units: pd.DataFrame) -> pd.DataFrame:
    frame = units.sort_values("online_l3_share", na_position="last")
    out = pd.DataFrame({
        "Đơn vị": frame["unit"],
        "Cấp": frame["level"],
        "Hồ sơ mới tiếp nhận": frame["new_received"].map(fmt.number),
        "Trực tuyến mức độ 3": frame["received_online_l3"].map(fmt.number),
        "Tỷ lệ mức độ 3": frame["online_l3_share"].map(fmt.percent),
        "Trực tuyến mức độ 4": frame["received_online_l4"].map(fmt.number),
        "Tỷ lệ mức độ 4": frame["online_l4_share"].map(fmt.percent),
        "Tiếp nhận qua BCCI": frame["received_bcci"].map(fmt.number),
        "Tỷ lệ tiếp nhận BCCI": frame["bcci_intake_share"].map(fmt.percent),
        "Đã giải quyết": frame["resolved_total"].map(fmt.number),
        "Trả kết quả qua BCCI": frame["returned_bcci"].map(fmt.number),
        "Tỷ lệ trả BCCI": frame["bcci_return_share"].map(fmt.percent),
    })
    if frame["received_online_full"].sum() or frame["received_online_partial"].sum():
        out["Toàn trình"] = frame["received_online_full"].map(fmt.number)
        out["Một phần"] = frame["received_online_partial"].map(fmt.number)
    return out


def monthly_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Tháng": frame["period"].map(fmt.period_label),
        "Tiếp nhận": frame["received_total"].map(fmt.number),
        "Mới tiếp nhận": frame["new_received"].map(fmt.number),
        "Đã giải quyết": frame["resolved_total"].map(fmt.number),
        "Đúng hạn (gồm trước hạn)": (frame["resolved_early"] + frame["resolved_on_time"]).map(fmt.number),
        "Quá hạn": frame["resolved_late"].map(fmt.number),
        "Tỷ lệ đúng hạn": frame["on_time_rate"].map(fmt.percent),
        "Mức độ 3": frame["received_online_l3"].map(fmt.number),
        "Mức độ 4": frame["received_online_l4"].map(fmt.number),
        "Tiếp nhận BCCI": frame["received_bcci"].map(fmt.number),
        "Trả BCCI": frame["returned_bcci"].map(fmt.number),
        "Văn bản xin lỗi": frame["late_apologies"].map(fmt.number),
    })


def describe_import(summary: dict) -> str:
    """One line on what an import held, for the history table."""
    if "progress" in summary:
        return f"{summary['progress']} báo cáo tiến độ, {len(summary.get('criteria', []))} tiêu chí"
    if "criteria" in summary:
        return f"Kế hoạch năm {summary.get('plan_year')}: {summary['criteria']} tiêu chí"
    if "rows" in summary:
        periods = summary.get("periods") or []
        span = (f"{fmt.period_label(periods[0])}–{fmt.period_label(periods[-1])}" if len(periods) > 1
                else fmt.period_label(periods[0]) if periods else "")
        overlaps = len(summary.get("overlaps_replaced") or [])
        return (f"{summary['units']} đơn vị, {span}: thêm {summary.get('added', 0)}, thay thế "
                f"{summary.get('replaced', 0)} đơn vị-tháng"
                + (f"; thay thế {overlaps} bản ghi chồng kỳ" if overlaps else ""))
    if "to" in summary:
        return (f"Đưa dữ liệu về như sau lần {summary['to']}: hủy {len(summary.get('reverted', []))}, khôi phục "
                f"{len(summary.get('restored', []))} lần")
    if "procedure_units" in summary:
        return f"Số liệu thủ tục: {summary['procedure_units']} đơn vị, năm {', '.join(map(str, summary['years']))}"
    if "mapping" in summary:
        return f"Cách đọc cột “{summary['mapping']}”: {summary.get('columns', 0)} cột"
    if summary.get("rules"):
        return f"Cách chấm điểm kế hoạch năm {summary.get('plan_year')}"
    if "code" in summary:
        target = summary.get("target")
        what = target_text(Target(**target)) if target else "không có chỉ tiêu"
        return f"Sửa chỉ tiêu tiêu chí {summary['code']}: {what}"
    return ""


NO_CHOICE = "—"  # a visible "nothing chosen" (an empty cell would show as a bare "None")
OP_LABELS = {NO_CHOICE: "—", ">=": "≥ (từ … trở lên)", "=": "= (đạt)", "<=": "≤ (không quá)"}


def targets_editor_frame(plan: Plan) -> pd.DataFrame:
    """The plan's targets as an editable table: text cells, so nothing shows as a bare "None"."""
    return pd.DataFrame([{
        "Mã": c.code, "Tiêu chí": c.name,
        "Chỉ số": c.target.metric if c.target else NO_CHOICE,
        "Phép so sánh": c.target.op if c.target else NO_CHOICE,
        "Giá trị (%)": fmt.number(c.target.value * 100, 2, trim=True, empty="") if c.target else "",
    } for c in plan.criteria])


def target_changes(before: pd.DataFrame, after: pd.DataFrame) -> list[tuple[str, Target | None]] | str:
    """Targets edited in the table: [(code, Target or None)], or a Vietnamese message naming a bad row."""
    from ..read.text import NumberError, parse_points

    changes = []
    for (_, old), (_, new) in zip(before.iterrows(), after.iterrows()):
        keys = ("Chỉ số", "Phép so sánh", "Giá trị (%)")
        if all(_same(old[k], new[k]) for k in keys):
            continue
        metric, op, value = (new[k] for k in keys)
        if _blank(metric) and _blank(value):
            changes.append((new["Mã"], None))
            continue
        if _blank(metric) or _blank(value) or _blank(op):
            return f"Tiêu chí {new['Mã']}: cần đủ chỉ số, phép so sánh và giá trị (hoặc xóa cả ba)."
        try:
            number = parse_points(str(value).replace("%", "").strip())
        except NumberError:
            number = None
        if number is None or not 0 <= number <= 100:
            return f"Tiêu chí {new['Mã']}: giá trị “{value}” không phải là tỷ lệ phần trăm từ 0 đến 100."
        changes.append((new["Mã"], Target(str(metric), str(op), round(number / 100, 6))))
    return changes


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value in ("", NO_CHOICE)


def rules_editor_frame(rules) -> pd.DataFrame:
    """Scoring rules as users edit them: Vietnamese headers and kinds, text cells (never a bare "None")."""
    from ..score.rules import RULE_COLUMN_LABELS, RULE_KIND_LABELS, rules_to_frame

    frame = rules_to_frame(rules)
    frame["kind"] = frame["kind"].map(RULE_KIND_LABELS)
    frame["threshold"] = frame["threshold"].map(lambda v: "" if pd.isna(v) else fmt.number(v, 2, trim=True))
    return frame.rename(columns=RULE_COLUMN_LABELS)


def rules_from_editor(frame: pd.DataFrame, plan: Plan):
    """(rules, findings) from the edited table (rules.rules_from_frame reads Vietnamese kinds and "95,5")."""
    from ..score.rules import RULE_COLUMN_LABELS, rules_from_frame

    english = frame.rename(columns={label: key for key, label in RULE_COLUMN_LABELS.items()})
    return rules_from_frame(english, plan)


def _same(a, b) -> bool:
    return (_blank(a) and _blank(b)) or a == b


# ---------------------------------------------------------------------------------------------------------------- #
# Scoring: status of every criterion, projected points, deadlines, several years
# ---------------------------------------------------------------------------------------------------------------- #

def scoring_inputs(store: Store, filters: Filters, units=None):
    from ..score.scoring import Inputs

    progress = store.progress_records(filters.start, filters.end)
    return Inputs(store.stats_totals(units=units, **filters.query()),
                  store.procedure_totals(filters.year, units=units, level=filters.level or None), progress)


def plan_score(store: Store, filters: Filters, units=None, overrides: tuple = (), tasks: tuple = ()):
    """(plan, PlanScore) for the plan governing the filter's year; None without a plan.

    `overrides` ((metric, value), …) and `tasks` ((code, done), …) are what-if assumptions (tuples, so the call
    can be cached).
    """
    from ..score.scoring import plan_rules, score_plan

    plan = plan_for(store, filters.year)
    if plan is None:
        return None
    rules = plan_rules(plan, store.rules_json(plan.plan_year))
    score = score_plan(plan, rules, scoring_inputs(store, filters, units), dict(overrides), dict(tasks))
    return plan, score


def year_end_projection(store: Store, filters: Filters):
    """The plan's points at year end if the statistics keep their trend (None without a plan or statistics)."""
    from ..score.scoring import project_year_end

    if not filters.year:
        return None
    year_filters = Filters(filters.year, 1, last_month_with_data(store, filters.year), filters.level)
    monthly_frame = store.stats_grouped(by=("period",), **year_filters.query())
    projected = project_year_end(monthly_frame)
    if not projected:
        return None
    return plan_score(store, Filters(filters.year, 1, 12, filters.level), overrides=tuple(projected.items()))


def reference_date(filters: Filters):
    """Deadlines are judged as of today, or as of the end of the chosen period when that is in the past."""
    import calendar
    import datetime as dt

    today = dt.date.today()
    if not filters.year:
        return today
    end = dt.date(filters.year, filters.month_to, calendar.monthrange(filters.year, filters.month_to)[1])
    return min(today, end)


def deadlines(store: Store, filters: Filters, agency: str | None = None) -> pd.DataFrame:
    """Due dates of the plan's reported tasks in the chosen year: overdue / due soon / done / upcoming.

    Criteria the statistics or the procedure sheet measure are left out: their figures arrive every month.
    """
    from ..score.deadlines import due_dates, status_of

    columns = ["code", "name", "lead", "due", "status", "timeline"]
    plan = plan_for(store, filters.year)
    if plan is None or not filters.year:
        return pd.DataFrame(columns=columns)
    today = reference_date(filters)
    progress = store.progress_records(f"{filters.year}-01", f"{filters.year}-12")
    done_periods = set()
    for record in progress.to_dict("records"):
        if record["status"] == "done" or (record["value"] is not None and not pd.isna(record["value"])):
            done_periods.add((record["code"], record["period"]))
    from ..score.scoring import PROCEDURE_METRICS

    measured = set(METRIC_TO_RATE) | set(PROCEDURE_METRICS)  # figures measure these continuously, not reports
    rows = []
    for c in plan.criteria:
        if (agency and agency not in c.lead) or (c.target is not None and c.target.metric in measured):
            continue
        for due in due_dates(c.timeline, [filters.year]):
            if due.year != filters.year:
                continue
            done = (c.code, f"{due.year}-{due.month:02d}") in done_periods
            rows.append({"code": c.code, "name": c.name, "lead": ", ".join(c.lead), "due": due,
                         "status": status_of(due, today, done), "timeline": c.timeline})
    return pd.DataFrame(rows, columns=columns).sort_values(["due", "code"]).reset_index(drop=True)


DEADLINE_LABELS = {"overdue": "✖ Quá hạn", "due_soon": "◐ Sắp đến hạn", "upcoming": "Chưa đến hạn",
                   "done": "✔ Đã báo cáo"}


def deadlines_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Hạn": frame["due"].map(lambda d: d.strftime("%d/%m/%Y")),
        "Mã": frame["code"], "Tiêu chí": frame["name"], "Chủ trì": frame["lead"],
        "Tình trạng": frame["status"].map(DEADLINE_LABELS),
    })


@dataclass
class PlanScoreView:
    """A subset of a PlanScore's criteria, for the same tables."""
    criteria: list


def score_table(score) -> pd.DataFrame:
    """Every criterion: target, value, status, points, and where the value comes from."""
    from ..score.scoring import SOURCE_LABELS
    from ..score.status import badge

    rows = []
    for c in score.criteria:
        if c.value is None:
            value = "–"
        elif c.target is not None:
            value = fmt.percent(c.value)
        else:
            value = fmt.points(c.value) + " điểm"
        rows.append({
            "Mã": c.code, "Tiêu chí": c.name,
            "Chỉ tiêu": target_text(c.target) if c.target else "Nhiệm vụ",
            "Hiện tại": value, "Tình trạng": badge(c.status),
            "Điểm chuẩn": fmt.points(c.standard), "Điểm thẩm định": fmt.points(c.appraised),
            "Điểm dự kiến": fmt.points(c.points) if c.points is not None else "–",
            "Thay đổi": (("+" if c.gain > 0 else "") + fmt.points(c.gain)) if c.points is not None else "–",
            "Nguồn": SOURCE_LABELS.get(c.source, c.source or ""), "Căn cứ": c.evidence,
        })
    return pd.DataFrame(rows)


def years_comparison(store: Store) -> pd.DataFrame:
    """One row per stored plan year and domain: lost points and, where statistics exist, projected points."""
    rows = []
    for year in store.plan_years():
        plan = store.current_plan(year)
        result = plan_score(store, Filters(year, 1, last_month_with_data(store, year)))
        domains = result[1].by_domain(plan) if result else pd.DataFrame()
        for d in plan.domains:
            match = domains[domains["code"] == d.code] if len(domains) else domains
            rows.append({"plan_year": year, "appraisal_year": plan.appraisal_year, "code": d.code, "name": d.name,
                         "standard": d.standard, "appraised": d.appraised, "lost": d.lost,
                         "recovered": float(match["recovered"].iloc[0]) if len(match) else 0.0})
    return pd.DataFrame(rows, columns=["plan_year", "appraisal_year", "code", "name", "standard", "appraised",
                                       "lost", "recovered"])


def rules_json_for(store: Store, year: int | None) -> str | None:
    plan = plan_for(store, year)
    return store.rules_json(plan.plan_year) if plan else None


# ---------------------------------------------------------------------------------------------------------------- #
# Progress entered in the app by an agency
# ---------------------------------------------------------------------------------------------------------------- #

PROGRESS_STATUS_LABELS = ("Hoàn thành", "Đang thực hiện", "Chưa thực hiện")
ENTRY_COLUMNS = {"code": "Mã tiêu chí", "period": "Kỳ báo cáo", "value": "Giá trị (%)", "status": "Trạng thái",
                 "doc_number": "Số văn bản", "doc_date": "Ngày văn bản", "note": "Ghi chú"}


def progress_entry_frame(store: Store, plan: Plan, agency: str, filters: Filters) -> pd.DataFrame:
    """The agency's latest reports on the criteria it leads (editable), one row per criterion."""
    from ..read.progress import PROGRESS_STATUSES

    codes = [c.code for c in plan.criteria if agency in c.lead]
    reports = store.progress_records(filters.start, filters.end)
    reports = reports[reports["agency"] == agency]
    default_period = filters.end or ""
    rows = []
    for code in codes:
        mine = reports[reports["code"] == code].sort_values("period")
        last = mine.iloc[-1].to_dict() if len(mine) else {}
        value = last.get("value")
        rows.append({
            ENTRY_COLUMNS["code"]: code,
            ENTRY_COLUMNS["period"]: fmt.period_label(last.get("period") or default_period),
            ENTRY_COLUMNS["value"]: "" if value is None or pd.isna(value) else fmt.number(value * 100, 2, trim=True),
            ENTRY_COLUMNS["status"]: PROGRESS_STATUSES.get(last.get("status") or "", ""),
            ENTRY_COLUMNS["doc_number"]: last.get("doc_number") or "",
            ENTRY_COLUMNS["doc_date"]: _date_label(last.get("doc_date") or ""),
            ENTRY_COLUMNS["note"]: last.get("note") or "",
        })
    return pd.DataFrame(rows, columns=list(ENTRY_COLUMNS.values()))


def _date_label(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) == 10 else iso


def entries_to_progress(before: pd.DataFrame, after: pd.DataFrame, plan: Plan, agency: str
                        ) -> tuple[pd.DataFrame, list[str]]:
    """The rows an agency changed, as progress records; or Vietnamese messages naming the row and column."""
    from ..read.progress import parse_doc_date, parse_period, parse_status, parse_value

    targets = {c.code: c.target for c in plan.criteria}
    lead = {c.code for c in plan.criteria if agency in c.lead}
    records, errors = [], []
    for index, (_, new) in enumerate(after.iterrows(), start=1):
        old = before.iloc[index - 1] if index - 1 < len(before) else None
        if old is not None and all(str(old[c]) == str(new[c]) for c in after.columns):
            continue
        code = str(new[ENTRY_COLUMNS["code"]] or "").strip()
        where = f"Dòng {index}"
        if code not in lead:
            errors.append(f"{where}, cột “{ENTRY_COLUMNS['code']}”: {agency} không chủ trì tiêu chí “{code}”.")
            continue
        try:
            period = parse_period(new[ENTRY_COLUMNS["period"]])
            value = parse_value(new[ENTRY_COLUMNS["value"]], percent=targets.get(code) is not None)
            status_text = new[ENTRY_COLUMNS["status"]]
            status = parse_status(status_text) if not _blank(status_text) else ""
            doc_date = parse_doc_date(new[ENTRY_COLUMNS["doc_date"]])
        except ValueError as exc:
            errors.append(f"{where} (tiêu chí {code}): {exc}")
            continue
        if value is None and not status:
            errors.append(f"{where} (tiêu chí {code}): cần nhập giá trị hoặc trạng thái.")
            continue
        records.append({"code": code, "period": period, "value": value if value is not None else float("nan"),
                        "status": status, "doc_number": str(new[ENTRY_COLUMNS["doc_number"]] or "").strip(),
                        "doc_date": doc_date, "note": str(new[ENTRY_COLUMNS["note"]] or "").strip(),
                        "agency": agency})
    return pd.DataFrame(records, columns=["code", "period", "value", "status", "doc_number", "doc_date", "note",
                                          "agency"]), errors



def active_entries(store: Store) -> set[int]:
    return store.active_entries()


def entry_changes(store: Store, entry_id: int) -> pd.DataFrame:
    return store.entry_changes(entry_id)


def history_table(history: pd.DataFrame, active: set[int]) -> pd.DataFrame:
    """The history as users read it, with whether each entry is in force."""
    from ..fields import KIND_LABELS
    from ..store.database import DATA_KINDS

    def state(row) -> str:
        if row["kind"] not in DATA_KINDS:
            return ""
        return "Đang hiệu lực" if row["id"] in active else "Đã hủy (khôi phục)"

    return pd.DataFrame({
        "Lần": history["id"],
        "Thời điểm (UTC)": history["created_at"].dt.strftime("%d/%m/%Y %H:%M"),
        "Loại": history["kind"].map(lambda k: KIND_LABELS.get(k, k)),
        "Tệp": history["filename"],
        "Người thực hiện": history["user"],
        "Nội dung": history["summary"].map(describe_import),
        "Hiệu lực": history.apply(state, axis=1),
        "Minh họa": history["illustrative"].map(lambda v: "Có" if v else ""),
    })


def entry_label(history: pd.DataFrame, entry_id: int) -> str:
    from ..fields import KIND_LABELS

    row = history.set_index("id").loc[entry_id]
    return f"Lần {entry_id}: {KIND_LABELS.get(row['kind'], row['kind'])} {row['filename']}".strip()
