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
from ..score.status import DEFAULT_CLOSE_RATIO, classify
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


def rate_cards(totals: dict[str, int], plan: Plan | None, keys=HEADLINE_RATES,
               close_ratio: float = DEFAULT_CLOSE_RATIO) -> list[RateCard]:
    """`close_ratio`: the "Gần đạt" share of the target (views.close_ratio, stored with the scoring rules)."""
    cards = []
    for key in keys:
        spec = RATES[key]
        target, code = target_for(plan, spec.metric)
        value = rate(totals, key)
        numerator = sum(totals[f] for f in spec.numerator)
        denominator = sum(-totals[f[1:]] if f.startswith("-") else totals[f] for f in spec.denominator)
        cards.append(RateCard(key, spec.label, value, target, code or spec.criterion or None,
                              classify(value, target, close_ratio), int(numerator), int(denominator)))
    return cards


def domain_lost(plan: Plan) -> pd.DataFrame:
    """Lost points per domain, largest first, with the domain's name for the chart."""
    frame = pd.DataFrame([{"code": d.code, "name": d.name, "standard": d.standard, "appraised": d.appraised,
                           "lost": d.lost, "criteria": sum(1 for c in plan.criteria if c.domain == d.code)}
                          for d in plan.domains])
    return frame.sort_values(["lost", "code"], ascending=[False, True]).reset_index(drop=True)


def criteria_status(plan: Plan, score) -> pd.DataFrame:
    """Every criterion of the plan as the scoring sees it (`plan_score`: statistics, procedure sheets, progress
    reports), with its target, value, status and agencies: the agency page shows exactly the overview's verdicts."""
    domain_names = {d.code: d.name for d in plan.domains}
    scored = {c.code: c for c in score.criteria}
    rows = []
    for c in plan.criteria:
        s = scored[c.code]
        metric = s.target.metric if s.target else None
        rows.append({
            "code": c.code, "name": c.name, "domain": c.domain, "domain_name": domain_names.get(c.domain, c.domain),
            "standard": c.standard, "appraised": c.appraised, "lost": c.lost,
            "metric": metric, "metric_label": METRICS[metric].label if metric in METRICS else "",
            "target_text": target_text(s.target) if s.target else "Nhiệm vụ",
            "target_note": "" if s.target else c.no_target_reason or "Không có chỉ tiêu định lượng",
            "target_value": s.target.value if s.target else None,
            "value": s.value, "value_text": current_text(s), "status": s.status, "source": s.source,
            "points": s.points, "lead": c.lead, "partners": c.partners, "timeline": c.timeline,
            "solution": c.solution,
        })
    return pd.DataFrame(rows)


def current_text(c) -> str:
    """A scored criterion's value as tables show it: a percent against a target, points for a task, "–" without."""
    if c.value is None:
        return "–"
    if c.target is not None:
        return fmt.percent(c.value)
    return fmt.points(c.value) + " điểm"


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


def with_exact(table: pd.DataFrame, frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """`table` carrying, for "Tải Excel", the unrounded rates behind its percent columns ({header: frame column}):
    the screen shows "95,2%", the workbook gets 0.95238… with a % format (show/excel.EXACT_ATTR)."""
    from .excel import EXACT_ATTR

    exact = {header: frame[key].astype("float64") for header, key in columns.items()
             if header in table.columns and key in frame.columns}
    table.attrs[EXACT_ATTR] = {**(table.attrs.get(EXACT_ATTR) or {}), **exact}
    return table


def behind_table(frame: pd.DataFrame, key: str, changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Units behind on one rate, for display: Vietnamese headers, formatted numbers; with `changes`
    (compare.unit_changes), the rate's change against the previous period and a year before, where there is data."""
    from .compare import insert_changes

    spec = RATES[key]
    denominator = sum(-frame[f[1:]] if f.startswith("-") else frame[f] for f in spec.denominator)
    table = pd.DataFrame({
        "Đơn vị": frame["unit"],
        spec.label: frame[key].map(fmt.percent),
        "Số hồ sơ tính tỷ lệ": denominator.map(lambda v: fmt.number(v)),
        "Số hồ sơ còn thiếu để đạt": frame["gap"].map(lambda v: fmt.number(v)),
    })
    table = insert_changes(table, frame["unit"], changes, {key: (spec.label, spec.short or spec.label)})
    return with_exact(table, frame, {spec.label: key})


AGENCY_CRITERIA_COLUMNS = ("Mã", "Tiêu chí", "Tình trạng", "Chỉ tiêu", "Hiện tại")
# score_table's columns a meeting reads on the overview (where each figure comes from: its Excel, Tiêu chí và điểm)
OVERVIEW_SCORE_COLUMNS = ("Mã", "Tiêu chí", "Chỉ tiêu", "Hiện tại", "Tình trạng", "Điểm chuẩn", "Điểm thẩm định",
                          "Điểm dự kiến", "Thay đổi")
SCORE_NUMERIC_COLUMNS = ("Điểm chuẩn", "Điểm thẩm định", "Điểm dự kiến", "Thay đổi")
SCORE_NOWRAP_COLUMNS = ("Mã", "Chỉ tiêu", "Hiện tại", "Tình trạng", *SCORE_NUMERIC_COLUMNS)


def criteria_table(status: pd.DataFrame, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Criteria for display (Vietnamese headers, formatted values); `columns` picks and orders them, e.g.
    AGENCY_CRITERIA_COLUMNS: status, target and value first, narrow enough for a 1024 px screen."""
    from ..score.status import badge

    table = pd.DataFrame({
        "Mã": status["code"],
        "Tiêu chí": status["name"],
        "Lĩnh vực": status["domain_name"],
        "Điểm bị mất": status["lost"].map(fmt.points),
        "Chỉ tiêu": status["target_text"],
        "Hiện tại": status["value_text"],
        "Tình trạng": status["status"].map(badge),
        "Chủ trì": status["lead"].map(", ".join),
    })
    return table[list(columns)] if columns else table


def processing_table(units: pd.DataFrame, on_time_target: Target | None,
                     changes: pd.DataFrame | None = None, close_ratio: float = DEFAULT_CLOSE_RATIO) -> pd.DataFrame:
    """Per unit: the counts behind every processing rate, and the rates; with `changes` (compare.unit_changes),
    each rate's change against the previous period and the same period a year before, where there is data."""
    from ..score.status import badge
    from .compare import insert_changes

    frame = units.sort_values("on_time_rate", na_position="last")
    table = pd.DataFrame({
        "Đơn vị": frame["unit"],
        "Cấp": frame["level"],
        "Tiếp nhận": frame["received_total"].map(fmt.number),
        "Đã giải quyết": frame["resolved_total"].map(fmt.number),
        "Trước hạn": frame["resolved_early"].map(fmt.number),
        "Đúng hạn": frame["resolved_on_time"].map(fmt.number),
        "Quá hạn": frame["resolved_late"].map(fmt.number),
        "Tỷ lệ đúng hạn": frame["on_time_rate"].map(fmt.percent),
        "Tình trạng": frame["on_time_rate"].map(lambda v: badge(classify(None if pd.isna(v) else v,
                                                                          on_time_target, close_ratio))),
        "Đang giải quyết": frame["pending_total"].map(fmt.number),
        "Đang quá hạn": frame["pending_overdue"].map(fmt.number),
        "Văn bản xin lỗi": frame["late_apologies"].map(fmt.number),
        "Tỷ lệ xin lỗi": frame["apology_rate"].map(fmt.percent),
    })
    table = insert_changes(table, frame["unit"], changes, {"on_time_rate": ("Tỷ lệ đúng hạn", "Đúng hạn"),
                                                           "apology_rate": ("Tỷ lệ xin lỗi", "Xin lỗi")})
    return with_exact(table, frame, {"Tỷ lệ đúng hạn": "on_time_rate", "Tỷ lệ xin lỗi": "apology_rate"})


def online_table(units: pd.DataFrame, changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per unit: online and BCCI counts and shares; with `changes` (compare.unit_changes), each share's change
    against the previous period and the same period a year before, where there is data."""
    from .compare import insert_changes

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
    columns = {"online_l3_share": ("Tỷ lệ mức độ 3", "Mức độ 3"), "online_l4_share": ("Tỷ lệ mức độ 4", "Mức độ 4"),
               "bcci_intake_share": ("Tỷ lệ tiếp nhận BCCI", "Tiếp nhận BCCI"),
               "bcci_return_share": ("Tỷ lệ trả BCCI", "Trả BCCI")}
    if frame["received_online_full"].sum() or frame["received_online_partial"].sum():
        out["Toàn trình"] = frame["received_online_full"].map(fmt.number)
        out["Tỷ lệ toàn trình"] = frame["online_full_share"].map(fmt.percent)
        out["Một phần"] = frame["received_online_partial"].map(fmt.number)
        out["Tỷ lệ một phần"] = frame["online_partial_share"].map(fmt.percent)
        columns.update({"online_full_share": ("Tỷ lệ toàn trình", "Toàn trình"),
                        "online_partial_share": ("Tỷ lệ một phần", "Một phần")})
    out = insert_changes(out, frame["unit"], changes, columns)
    return with_exact(out, frame, {header: key for key, (header, _) in columns.items()})


def monthly_table(frame: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame({
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
    return with_exact(table, frame, {"Tỷ lệ đúng hạn": "on_time_rate"})


def changes_text(replaced: int, changed_values: int | None, changed_rows: int | None, what: str) -> str:
    """Whether re-imported things changed: "không đổi số liệu nào", "đổi 3 số liệu ở 2 đơn vị-tháng"; "" when
    nothing was replaced, or for an entry made before imports compared values (never a guess)."""
    if not replaced or changed_values is None:
        return ""
    if not changed_values:
        return "không đổi số liệu nào"
    return f"đổi {fmt.number(changed_values)} số liệu ở {fmt.number(changed_rows or 0)} {what}"


def _replaced_text(summary: dict, what: str) -> str:
    """", thay thế 240 đơn vị-tháng, không đổi số liệu nào" of a summary that replaced something, else ""."""
    replaced = summary.get("replaced", 0)
    if not replaced:
        return ""
    changes = changes_text(replaced, summary.get("changed_values"), summary.get("changed_rows"), what)
    return f", thay thế {fmt.number(replaced)} {what}" + (f", {changes}" if changes else "")


def describe_import(summary: dict) -> str:
    """One line on what an import held, for the history table; a re-import says whether it changed any value."""
    if "index766" in summary:  # before "rows": a score file's summary has units and periods too
        periods = summary.get("periods") or []
        span = ", ".join(fmt.period_label(p) for p in periods[:3]) + ("…" if len(periods) > 3 else "")
        return (f"Chỉ số 766: {summary['units']} đơn vị, {span}: thêm {fmt.number(summary.get('added', 0))}, "
                f"thay thế {fmt.number(summary.get('replaced', 0))} đơn vị-kỳ")
    if "index766_thresholds" in summary:
        low, high = summary["index766_thresholds"]
        return f"Ngưỡng Chỉ số 766: dưới {fmt.points(low)} và dưới {fmt.points(high)} điểm"
    if "maxima" in summary:
        return "Điểm tối đa các nhóm Chỉ số 766: " + ", ".join(
            f"{code.upper()} {fmt.points(value)}" for code, value in summary["maxima"].items())
    if "progress" in summary:
        return (f"{summary['progress']} báo cáo tiến độ, {len(summary.get('criteria', []))} tiêu chí"
                + _replaced_text(summary, "báo cáo"))
    if "criteria" in summary:
        return f"Kế hoạch năm {summary.get('plan_year')}: {summary['criteria']} tiêu chí"
    if "rows" in summary:
        periods = summary.get("periods") or []
        span = (f"{fmt.period_label(periods[0])}–{fmt.period_label(periods[-1])}" if len(periods) > 1
                else fmt.period_label(periods[0]) if periods else "")
        overlaps = len(summary.get("overlaps_replaced") or [])
        replaced = summary.get("replaced", 0)
        changes = changes_text(replaced, summary.get("changed_values"), summary.get("changed_rows"), "đơn vị-tháng")
        return (f"{summary['units']} đơn vị, {span}: thêm {fmt.number(summary.get('added', 0))}, thay thế "
                f"{fmt.number(replaced)} đơn vị-tháng" + (f", {changes}" if changes else "")
                + (f"; thay thế {overlaps} bản ghi chồng kỳ" if overlaps else ""))
    if "to" in summary:
        return (f"Đưa dữ liệu về như sau lần {summary['to']}: hủy {len(summary.get('reverted', []))}, khôi phục "
                f"{len(summary.get('restored', []))} lần")
    if "procedure_units" in summary:
        return (f"Số liệu thủ tục: {summary['procedure_units']} đơn vị, năm {', '.join(map(str, summary['years']))}"
                + _replaced_text(summary, "đơn vị-năm"))
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
    from ..score.rules import close_ratio_from_json

    rules_json = store.rules_json(plan.plan_year)
    rules = plan_rules(plan, rules_json)
    score = score_plan(plan, rules, scoring_inputs(store, filters, units), dict(overrides), dict(tasks),
                       close_ratio_from_json(rules_json))
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


def deadlines(store: Store, filters: Filters, agency: str | None = None, codes: tuple = ()) -> pd.DataFrame:
    """Due dates of the plan's reported tasks in the chosen year: overdue / due soon / done / upcoming.

    Criteria the statistics or the procedure sheet measure are left out: their figures arrive every month. A task
    reported done ("Hoàn thành") by the reference date is done for the deadlines its report settles
    (deadlines.done_flags), never overdue. `agency` keeps the criteria it leads by name; `codes`, those criteria.
    """
    import calendar
    import datetime as dt

    from ..score.deadlines import done_flags, due_dates, report_done, status_of
    from ..score.scoring import PROCEDURE_METRICS

    columns = ["code", "name", "lead", "due", "status", "timeline"]
    plan = plan_for(store, filters.year)
    if plan is None or not filters.year:
        return pd.DataFrame(columns=columns)
    today = reference_date(filters)
    targets = {c.code: c.target for c in plan.criteria}
    progress = store.progress_records(f"{filters.year}-01", f"{filters.year}-12")
    done_until: dict[str, list[dt.date]] = {}
    for record in progress.to_dict("records"):
        period = str(record["period"])
        first, last = period[:7], period[-7:]  # a month, or a span "2019-01..2019-06"
        if dt.date(int(first[:4]), int(first[5:7]), 1) > today:
            continue  # reported after the day the deadlines are judged on
        value = record["value"]
        if report_done(record["status"], None if value is None or pd.isna(value) else float(value),
                       targets.get(record["code"])):
            year, month = int(last[:4]), int(last[5:7])
            done_until.setdefault(record["code"], []).append(
                dt.date(year, month, calendar.monthrange(year, month)[1]))

    measured = set(METRIC_TO_RATE) | set(PROCEDURE_METRICS)  # figures measure these continuously, not reports
    rows = []
    for c in plan.criteria:
        if (agency and agency not in c.lead) or (codes and c.code not in codes):
            continue
        if c.target is not None and c.target.metric in measured:
            continue
        dues = [due for due in due_dates(c.timeline, [filters.year]) if due.year == filters.year]
        for due, done in zip(dues, done_flags(dues, done_until.get(c.code, []))):
            rows.append({"code": c.code, "name": c.name, "lead": ", ".join(c.lead), "due": due,
                         "status": status_of(due, today, done), "timeline": c.timeline})
    return pd.DataFrame(rows, columns=columns).sort_values(["due", "code"]).reset_index(drop=True)


DEADLINE_LABELS = {"overdue": "✖ Quá hạn", "due_soon": "◐ Sắp đến hạn", "upcoming": "Chưa đến hạn",
                   "done": "✔ Đã hoàn thành"}


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
        value = current_text(c)
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


def close_ratio(store: Store, year: int | None) -> float:
    """The "Gần đạt" share of the target for the plan governing a year (stored with its rules), else the default."""
    from ..score.rules import close_ratio_from_json

    return close_ratio_from_json(rules_json_for(store, year))


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
        "Thời điểm (giờ Việt Nam)": vietnam_time(history["created_at"]),
        "Loại": history["kind"].map(lambda k: KIND_LABELS.get(k, k)),
        "Tệp": history["filename"],
        "Người thực hiện": _who(history),
        "Nội dung": history["summary"].map(describe_import),
        "Hiệu lực": history.apply(state, axis=1),
        "Minh họa": history["illustrative"].map(lambda v: "Có" if v else ""),
    })


def entry_label(history: pd.DataFrame, entry_id: int) -> str:
    from ..fields import KIND_LABELS

    row = history.set_index("id").loc[entry_id]
    return f"Lần {entry_id}: {KIND_LABELS.get(row['kind'], row['kind'])} {row['filename']}".strip()


VIETNAM_OFFSET = pd.Timedelta(hours=7)  # Vietnam keeps UTC+7 all year (no daylight saving)


def vietnam_time(moments: pd.Series) -> pd.Series:
    """Stored moments (UTC, without a zone: store._now) as a clerk in Vietnam reads a clock, whatever the server's
    own time zone: "10/07/2019 14:05"."""
    moments = pd.to_datetime(moments)
    if moments.dt.tz is not None:
        moments = moments.dt.tz_convert("UTC").dt.tz_localize(None)
    return (moments + VIETNAM_OFFSET).dt.strftime("%d/%m/%Y %H:%M")


def _who(history: pd.DataFrame) -> pd.Series:
    """The account's display name (Store.import_history's user_name), else the login name stored."""
    if "user_name" not in history:
        return history["user"]
    return history["user_name"].where(history["user_name"].fillna("").astype(str).str.strip() != "", history["user"])


def entry_detail(history: pd.DataFrame, entry_id: int) -> dict:
    """The chosen entry's header line, its parts as plain text: kind, who (by name), when (Vietnam time), what."""
    from ..fields import KIND_LABELS

    rows = history[history["id"] == entry_id]
    row = rows.iloc[0]
    return {"kind": KIND_LABELS.get(row["kind"], row["kind"]), "who": _who(rows).iloc[0],
            "when": vietnam_time(rows["created_at"]).iloc[0], "what": describe_import(row["summary"])}


# Presentation mode (ui/presentation.py): lists too long for one slide go over several, each still legible.

RANKING_ROWS_PER_SLIDE = 14  # bars a ranking slide holds with 20 px labels still apart at 1280 × 720
CRITERIA_LINES_PER_SLIDE = 14  # table lines a criteria slide holds, even one a row, at 1280 × 720 and 1024 × 768


def split_even(weights: list[int], capacity: int) -> list[range]:
    """Consecutive pages of items whose weights add up to at most `capacity` each (a heavier item alone), in as
    few pages as possible, and as even as those few pages allow: 25 units at 12 a slide are 9 + 9 + 7, not
    12 + 12 + 1: no slide holds a lone straggler."""
    if not weights:
        return []

    def pack(limit: int) -> list[range]:
        pages, start, load = [], 0, 0
        for i, weight in enumerate(weights):
            if i > start and load + weight > limit:
                pages.append(range(start, i))
                start, load = i, 0
            load += weight
        pages.append(range(start, len(weights)))
        return pages

    fewest = len(pack(capacity))
    low, high = 1, max(1, capacity)
    while low < high:  # the smallest page limit that still needs no more pages than the capacity does
        middle = (low + high) // 2
        if len(pack(middle)) <= fewest:
            high = middle
        else:
            low = middle + 1
    return pack(low)


def slide_title(title: str, index: int, count: int) -> str:
    """A title for slide `index` (from 0) of `count`: "Xếp hạng đơn vị (1/2)"; a lone slide keeps its title."""
    return f"{title} ({index + 1}/{count})" if count > 1 else title


def ranking_pages(units: pd.DataFrame, key: str, per_slide: int = RANKING_ROWS_PER_SLIDE) -> list[pd.DataFrame]:
    """The units ranked by `key`, lowest first (the top of the ranking chart, where the units behind are), split
    into slides of at most `per_slide`; units without a rate (nothing resolved) are left out, as the chart does."""
    ranked = units.dropna(subset=[key]).sort_values([key, "unit"], ascending=[True, True], kind="stable")
    ranked = ranked.reset_index(drop=True)
    return [ranked.iloc[list(page)] for page in split_even([1] * len(ranked), per_slide)]


def text_lines(text: str, per_line: int) -> int:
    """How many lines a text wraps to, about, at `per_line` characters a line."""
    return max(1, -(-len(str(text or "")) // per_line))


def criteria_pages(table: pd.DataFrame, lines: int = CRITERIA_LINES_PER_SLIDE) -> list[pd.DataFrame]:
    """A criteria_table split into slides by the lines its rows wrap to, at most `lines` a slide: on a 1024 px
    screen, the narrowest a slide is made for, a name's column holds about 52 characters a line."""
    weights = [max(text_lines(name, 52), text_lines(target, 16))
               for name, target in zip(table["Tiêu chí"], table["Chỉ tiêu"])]
    return [table.iloc[list(page)] for page in split_even(weights, lines)]


def resolve_unit(asked: str | None, registry, stats_units: list[str]) -> str | None:
    """The unit a link names (?don_vi=…): a unit with statistics or in the registry, by its name or, through the
    registry, by a short name or alias ("Ia Tul" → "UBND xã Ia Tul"); None when nothing matches."""
    if not asked:
        return None
    known = [*stats_units, *(a.name for a in registry.units() if a.kind != "partner")]
    if asked in known:
        return asked
    agency = registry.lookup(asked)
    return agency.name if agency is not None and agency.name in known else None


# ---------------------------------------------------------------------------------------------------------------
# QĐ 766 scores (the Chỉ số 766 page, the Đơn vị league's column): queries for ui/common.query's cache
# ---------------------------------------------------------------------------------------------------------------

def index766_scores(store: Store) -> pd.DataFrame:
    """Every current score, months and spans (a unit has tens of rows, not thousands: filtered by the page)."""
    return store.index766_scores()


def index766_periods(store: Store) -> list[str]:
    return store.index766_periods()


def index766_maxima(store: Store) -> dict[str, float]:
    return store.index766_maxima()


def index766_thresholds(store: Store) -> tuple[float, float]:
    return store.index766_thresholds()


def index766_thresholds_versions(store: Store) -> pd.DataFrame:
    return store.index766_thresholds_versions()


def index766_stats(store: Store, period: str, units: tuple[str, ...]) -> pd.DataFrame:
    from .index766 import stats_by_unit

    return stats_by_unit(store, period, units)


def index766_league(store: Store, start: str | None, end: str | None, level: str | None = None,
                    year: int | None = None):
    from .index766 import league_with_scores

    return league_with_scores(store, start, end, level, year)
