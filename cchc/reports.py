"""The meeting report: what a page shows, for a chosen period, filters and unit, as PDF, PowerPoint and HTML.

Pure functions, no Streamlit: `build_report` gathers the content from cchc.views (headline figures, Plotly
figures, display tables with Vietnamese headers), and `report_pdf`, `report_pptx`, `report_html` lay it out.

Charts become PNG images through kaleido 1.x and a local Chromium (offline: no MathJax, plotly.js from the
installed package). One kaleido server runs per process (`start_renderer`); renders are serialised and time-limited,
and a chart that cannot be drawn leaves a Vietnamese note in its place: the report is always produced.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import os
import re
import shutil
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from . import figures
from . import formatting as fmt
from . import views
from .metrics import RATES
from .registry import Organisation, load_organisation, load_registry
from .status import STATUS_LABELS, STATUS_SYMBOLS, badge
from .storage import Store
from .text import fold

log = logging.getLogger("cchc.reports")

SECTIONS = ("overview", "processing", "online", "criteria", "unit")
SECTION_TITLES = {
    "overview": "Tổng quan Chỉ số cải cách hành chính",
    "processing": "Giải quyết hồ sơ thủ tục hành chính",
    "online": "Trực tuyến và BCCI: dịch vụ công trực tuyến, bưu chính công ích",
    "criteria": "Tiêu chí và điểm dự kiến",
    "unit": "Đơn vị: {unit}",
}
SECTION_SLUGS = {"overview": "", "processing": "giai-quyet", "online": "truc-tuyen", "criteria": "tieu-chi",
                 "unit": "don-vi"}
REPORT_TITLE = "Báo cáo Chỉ số cải cách hành chính"  # when one report holds several sections
MIME_TYPES = {"pdf": "application/pdf", "html": "text/html",
              "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
PPTX_TABLE_ROWS = 15
CHART_WIDTH = 1200  # layout pixels of a chart image; rendered at scale 2


# ---------------------------------------------------------------------------------------------------------------- #
# The report's content
# ---------------------------------------------------------------------------------------------------------------- #

@dataclass
class ReportPart:
    """What one page contributes: its title, headline figures, charts, tables and short notes."""
    key: str
    title: str
    headline: list[tuple[str, str]] = field(default_factory=list)
    figures: list[tuple[str, go.Figure]] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_figure(self, fig: go.Figure) -> None:
        self.figures.append((figure_title(fig), fig))

    def add_table(self, title: str, frame: pd.DataFrame, empty_note: str | None = None) -> None:
        if frame is None or frame.empty:
            if empty_note:
                self.notes.append(empty_note)
            return
        self.tables.append((title, frame.reset_index(drop=True)))


@dataclass
class Report:
    title: str
    subtitle: list[str]  # organisation, period, filters, "Ngày lập: dd/mm/yyyy"
    parts: list[ReportPart]
    organisation: str = ""
    start: str | None = None  # "2019-01"
    end: str | None = None
    unit: str | None = None
    level: str = ""
    made: dt.date = field(default_factory=dt.date.today)
    notes: list[str] = field(default_factory=list)  # about the whole report (illustrative data…)
    images: dict[int, bytes | None] = field(default_factory=dict, repr=False, compare=False)

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.parts)

    @property
    def headline(self) -> list[tuple[str, str]]:
        return [item for p in self.parts for item in p.headline]

    @property
    def figures(self) -> list[tuple[str, go.Figure]]:
        return [item for p in self.parts for item in p.figures]

    @property
    def tables(self) -> list[tuple[str, pd.DataFrame]]:
        return [item for p in self.parts for item in p.tables]


@dataclass
class _Context:
    store: Store
    filters: views.Filters
    organisation: Organisation
    unit: str | None

    @property
    def period(self) -> str:
        return self.filters.describe(self.organisation)


def build_report(store: Store, filters: views.Filters, unit: str | None = None,
                 organisation: Organisation | None = None, sections=("overview",),
                 made: dt.date | None = None) -> Report:
    """The report of one or more pages ("overview", "processing", "online", "criteria", "unit") for the filters.

    `unit` is needed by the "unit" section. Charts are not rendered here (see `render_images`).
    """
    if isinstance(sections, str):
        sections = (sections,)
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown or not sections:
        raise ValueError(f"unknown report sections {unknown}: choose from {SECTIONS}")
    if "unit" in sections and not unit:
        raise ValueError("the 'unit' section needs a unit")
    organisation = organisation or load_organisation()
    made = made or dt.date.today()
    unit = unit if "unit" in sections else None  # the other pages cover every unit
    ctx = _Context(store, filters, organisation, unit)
    parts = [_BUILDERS[key](ctx) for key in sections]
    title = parts[0].title if len(parts) == 1 else REPORT_TITLE
    subtitle = [organisation.name] if organisation.name else []
    subtitle.append(f"Kỳ báo cáo: {fmt.period_range_label(filters.start, filters.end)}")
    subtitle.append("Cấp: " + (organisation.level_label(filters.level) if filters.level else "tất cả các cấp"))
    if unit:
        subtitle.append(f"Đơn vị: {unit}")
    subtitle.append(f"Ngày lập: {made.strftime('%d/%m/%Y')}")
    notes = []
    if views.has_illustrative(store):
        notes.append("Dữ liệu minh họa: số liệu thống kê TTHC trong báo cáo này là số liệu mẫu đi kèm phần mềm, "
                     "không phải số liệu thật.")
    return Report(title, subtitle, parts, organisation.name, filters.start, filters.end, unit, filters.level, made,
                  notes)


def figure_title(fig: go.Figure) -> str:
    return (fig.layout.title.text or "").strip()


def figure_subtitle(fig: go.Figure) -> str:
    title = fig.layout.title
    return ((title.subtitle.text if title and title.subtitle else None) or "").strip()


def _card_headline(card: views.RateCard, counts: bool = False) -> tuple[str, str]:
    label = card.label + (f" ({card.criterion})" if card.criterion else "")
    target = views.target_text(card.target) if card.target else "–"
    value = f"{fmt.percent(card.value)} · chỉ tiêu {target} · {badge(card.status)}"
    if counts:
        value += f" · {fmt.number(card.numerator)} / {fmt.number(card.denominator)} hồ sơ"
    return label, value


def _status_line(counts: dict[str, int]) -> str:
    return " · ".join(f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}: {counts[s]}" for s in counts)


def _pressing_deadlines(ctx: _Context, part: ReportPart, agency: str | None = None) -> None:
    due = views.deadlines(ctx.store, ctx.filters, agency)
    as_of = views.reference_date(ctx.filters).strftime("%d/%m/%Y")
    if due.empty:
        part.notes.append("Thời hạn thực hiện: không có thời hạn nào trong năm đã chọn.")
        return
    pressing = due[due["status"].isin(["overdue", "due_soon"])]
    part.add_table(f"Việc quá hạn và sắp đến hạn (tính đến ngày {as_of})", views.deadlines_table(pressing),
                   f"Thời hạn thực hiện (tính đến ngày {as_of}): không có việc quá hạn hay sắp đến hạn.")


def _projection(ctx: _Context):
    """The year-end projection, only while the year still has months without statistics."""
    f = ctx.filters
    if not f.year or views.last_month_with_data(ctx.store, f.year) >= 12:
        return None
    return views.year_end_projection(ctx.store, f)


def _no_stats_note(ctx: _Context) -> str:
    if not ctx.filters.year:
        return "Chưa có số liệu thống kê TTHC: hãy tải số liệu lên ở trang Dữ liệu."
    return f"Chưa có số liệu thống kê TTHC cho kỳ {ctx.period}."


def _overview(ctx: _Context) -> ReportPart:
    part = ReportPart("overview", SECTION_TITLES["overview"])
    f = ctx.filters
    result = views.plan_score(ctx.store, f)
    totals = views.stats_totals(ctx.store, f) if f.year else {}
    has_stats = bool(totals) and any(totals.values())
    if result is None:
        part.notes.append("Chưa có kế hoạch nâng cao Chỉ số CCHC: hãy tải kế hoạch lên ở trang Dữ liệu.")
    plan, score = result if result is not None else (None, None)
    if plan is not None:
        total = plan.total
        part.headline += [
            ("Điểm chuẩn", fmt.points(total["standard"])),
            (f"Điểm thẩm định {plan.appraisal_year or ''}".strip(), fmt.points(total["appraised"])),
            ("Điểm bị mất", fmt.points(total["lost"])),
            ("Dự kiến khôi phục", f"{fmt.points(score.recovered)} / {fmt.points(total['lost'])} điểm"),
            ("Điểm dự kiến", f"{fmt.points(score.projected)} / {fmt.points(total['standard'])}"),
        ]
        projection = _projection(ctx)
        if projection is not None:
            part.headline.append(("Dự báo cuối năm (nếu giữ xu hướng)",
                                  f"khôi phục {fmt.points(projection[1].recovered)} điểm, đạt "
                                  f"{fmt.points(projection[1].projected)} điểm"))
        part.headline.append((f"Tình trạng {len(plan.criteria)} tiêu chí", _status_line(score.status_counts())))
    cards = views.rate_cards(totals, plan) if has_stats else []
    part.headline += [_card_headline(c) for c in cards]

    if plan is not None:
        part.add_figure(figures.domain_lost_bar(
            views.domain_lost(plan), f"Điểm bị mất theo lĩnh vực: tổng {fmt.points(plan.total['lost'])} điểm\n"
                                     f"Kết quả thẩm định Chỉ số CCHC năm {plan.appraisal_year or ''}"))
    if not has_stats:
        part.notes.append(_no_stats_note(ctx))
    else:
        targets = {c.key: c.target for c in cards}
        part.add_figure(figures.rates_vs_targets(cards, f"Kết quả so với chỉ tiêu\n{ctx.period}"))
        by_month = views.monthly(ctx.store, f)
        part.add_figure(figures.monthly_rates(by_month, ("on_time_rate",), targets,
                                              f"Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng\n{ctx.period}"))
        part.add_figure(figures.monthly_rates(by_month, ("online_l3_share", "online_l4_share"), targets,
                                              f"Tỷ lệ hồ sơ trực tuyến mức độ 3, 4 theo tháng\n{ctx.period}"))
        units = views.by_unit(ctx.store, f)
        part.add_figure(figures.unit_rates(units, "on_time_rate", targets.get("on_time_rate"),
                                           f"Xếp hạng đơn vị theo tỷ lệ đúng hạn\n{ctx.period}"))
        for key in ("on_time_rate", "online_l3_share", "online_l4_share"):
            behind = views.units_behind(units, key, targets.get(key))
            label = RATES[key].label
            part.add_table(f"Đơn vị chưa đạt chỉ tiêu: {label[0].lower()}{label[1:]}",
                           views.behind_table(behind, key) if len(behind) else behind,
                           f"{label}: tất cả đơn vị đều đạt chỉ tiêu trong kỳ này.")
    if score is not None:
        table = views.score_table(score)
        lagging = table[[c.status in ("behind", "close") for c in score.criteria]]
        part.add_table("Tiêu chí chưa đạt và gần đạt chỉ tiêu", lagging.drop(columns=["Căn cứ"]),
                       "Không có tiêu chí nào chưa đạt hay gần đạt chỉ tiêu.")
        _pressing_deadlines(ctx, part)
    return part


def _stats_or_note(ctx: _Context, part: ReportPart) -> dict | None:
    """The period's summed counts; None (and a note on the part) when there are no statistics."""
    totals = views.stats_totals(ctx.store, ctx.filters) if ctx.filters.year else {}
    if not totals or not any(totals.values()):
        part.notes.append(_no_stats_note(ctx))
        return None
    return totals


def _processing(ctx: _Context) -> ReportPart:
    part = ReportPart("processing", SECTION_TITLES["processing"])
    f = ctx.filters
    totals = _stats_or_note(ctx, part)
    if totals is None:
        return part
    plan = views.plan_for(ctx.store, f.year)
    on_time_target, _ = views.target_for(plan, "on_time_rate")
    apology_target, _ = views.target_for(plan, "apology_rate")
    cards = {c.key: c for c in views.rate_cards(totals, plan, ("on_time_rate", "late_rate", "apology_rate"))}
    part.headline += [
        _card_headline(cards["on_time_rate"], counts=True),
        ("Hồ sơ đã giải quyết", fmt.number(totals["resolved_total"])),
        ("Giải quyết quá hạn", f"{fmt.number(totals['resolved_late'])} hồ sơ ({fmt.percent(cards['late_rate'].value)})"),
        ("Đang giải quyết quá hạn", fmt.number(totals["pending_overdue"])),
        _card_headline(cards["apology_rate"], counts=True),
    ]
    by_month = views.monthly(ctx.store, f)
    units = views.by_unit(ctx.store, f)
    part.add_figure(figures.monthly_rates(by_month, ("on_time_rate",), {"on_time_rate": on_time_target},
                                          f"Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng\n{ctx.period}"))
    part.add_figure(figures.unit_rates(units, "on_time_rate", on_time_target,
                                       f"Xếp hạng đơn vị theo tỷ lệ đúng hạn\n{ctx.period}"))
    part.add_figure(figures.monthly_counts(by_month, {
        "resolved_early": ("Trước hạn", "#56B4E9"), "resolved_on_time": ("Đúng hạn", "#0072B2"),
        "resolved_late": ("Quá hạn", "#D55E00")}, f"Hồ sơ đã giải quyết theo tháng\n{ctx.period}"))
    part.add_figure(figures.monthly_rates(by_month, ("apology_rate",), {"apology_rate": apology_target},
                                          f"Tỷ lệ hồ sơ quá hạn có văn bản xin lỗi theo tháng\n{ctx.period}"))
    part.add_figure(figures.monthly_counts(by_month, {
        "resolved_late": ("Đã giải quyết quá hạn", "#D55E00"),
        "pending_overdue": ("Đang giải quyết quá hạn", "#CC79A7"),
        "late_apologies": ("Có văn bản xin lỗi", "#009E73")},
        f"Hồ sơ quá hạn và văn bản xin lỗi theo tháng\n{ctx.period}", stacked=False))
    behind = views.units_behind(units, "on_time_rate", on_time_target)
    part.add_table("Đơn vị chưa đạt chỉ tiêu giải quyết đúng hạn",
                   views.behind_table(behind, "on_time_rate") if len(behind) else behind,
                   "Tất cả đơn vị đều đạt chỉ tiêu giải quyết đúng hạn trong kỳ này.")
    part.add_table("Số liệu giải quyết hồ sơ theo đơn vị", views.processing_table(units, on_time_target))
    return part


def _online(ctx: _Context) -> ReportPart:
    part = ReportPart("online", SECTION_TITLES["online"])
    f = ctx.filters
    totals = _stats_or_note(ctx, part)
    if totals is None:
        return part
    plan = views.plan_for(ctx.store, f.year)
    cards = views.rate_cards(totals, plan, views.ONLINE_RATES)
    targets = {c.key: c.target for c in cards}
    part.headline += [_card_headline(c, counts=True) for c in cards]
    by_month = views.monthly(ctx.store, f)
    part.add_figure(figures.monthly_rates(
        by_month, ("online_l3_share", "online_l4_share"), targets,
        f"Tỷ lệ hồ sơ trực tuyến mức độ 3, 4 trên hồ sơ mới tiếp nhận\n{ctx.period}"))
    part.add_figure(figures.monthly_rates(by_month, ("bcci_intake_share", "bcci_return_share"), targets,
                                          f"Tỷ lệ tiếp nhận và trả kết quả qua BCCI\n{ctx.period}"))
    if totals.get("received_online_full") or totals.get("received_online_partial"):
        new_cards = views.rate_cards(totals, plan, views.NEW_ERA_RATES)
        part.headline += [_card_headline(c, counts=True) for c in new_cards]
        part.add_figure(figures.monthly_rates(
            by_month, views.NEW_ERA_RATES, {c.key: c.target for c in new_cards},
            f"Dịch vụ công trực tuyến toàn trình và một phần (Nghị định 42/2022)\n{ctx.period}"))
    units = views.by_unit(ctx.store, f)
    for key in views.ONLINE_RATES:
        part.add_figure(figures.unit_rates(units, key, targets.get(key), f"{RATES[key].label} theo đơn vị\n"
                                                                         f"{ctx.period}"))
    for key in views.ONLINE_RATES:
        behind = views.units_behind(units, key, targets.get(key))
        label = RATES[key].label
        part.add_table(f"Đơn vị chưa đạt chỉ tiêu: {label[0].lower()}{label[1:]}",
                       views.behind_table(behind.sort_values("gap", ascending=False), key) if len(behind) else behind,
                       f"{label}: không có đơn vị nào dưới chỉ tiêu trong kỳ này.")
    part.add_table("Số liệu trực tuyến và BCCI theo đơn vị", views.online_table(units))
    return part


def _criteria(ctx: _Context) -> ReportPart:
    from .scoring import gains_if_met, plan_rules

    part = ReportPart("criteria", SECTION_TITLES["criteria"])
    f = ctx.filters
    result = views.plan_score(ctx.store, f)
    if result is None:
        part.notes.append("Chưa có kế hoạch nâng cao Chỉ số CCHC: hãy tải kế hoạch lên ở trang Dữ liệu.")
        return part
    plan, score = result
    part.headline += [
        ("Điểm bị mất", fmt.points(score.lost_total)),
        ("Dự kiến khôi phục", f"{fmt.points(score.recovered)} điểm"),
        ("Điểm dự kiến", f"{fmt.points(score.projected)} / {fmt.points(score.standard_total)}"),
    ]
    projection = _projection(ctx)
    if projection is not None:
        part.headline.append(("Dự báo cuối năm (nếu giữ xu hướng)", fmt.points(projection[1].projected)))
    counts = score.status_counts()
    part.headline.append((f"Tình trạng {len(score.criteria)} tiêu chí", _status_line(counts)))
    part.add_figure(figures.recovery_by_domain(score.by_domain(plan),
                                               f"Điểm bị mất và dự kiến khôi phục theo lĩnh vực\n{ctx.period}"))
    part.add_figure(figures.status_donut(counts, f"Tình trạng {len(score.criteria)} tiêu chí\n{ctx.period}"))
    rules = plan_rules(plan, ctx.store.rules_json(plan.plan_year))
    part.add_figure(figures.points_gain_bars(gains_if_met(plan, rules, score),
                                             f"Việc mang lại nhiều điểm nhất nếu đạt chỉ tiêu\n{ctx.period}"))
    years = views.years_comparison(ctx.store)
    if years["plan_year"].nunique() > 1:
        part.add_figure(figures.years_lost(years, "Điểm bị mất theo lĩnh vực qua các năm thẩm định"))
    part.add_table("Từng tiêu chí: chỉ tiêu, hiện tại và điểm dự kiến", views.score_table(score))
    _pressing_deadlines(ctx, part)
    return part


def _unit(ctx: _Context) -> ReportPart:
    unit = ctx.unit
    part = ReportPart("unit", SECTION_TITLES["unit"].format(unit=unit))
    f = ctx.filters
    registry = load_registry()
    stats_units = views.stats_units(ctx.store)
    level = registry.level_of(unit) or next(iter(stats_units.loc[stats_units["unit"] == unit, "level"]), "")
    part.headline.append(("Cấp", ctx.organisation.level_label(level) if level else "Chưa rõ cấp"))
    plan = views.plan_for(ctx.store, f.year)
    unit_filters = views.Filters(f.year, f.month_from, f.month_to, "")
    unit_totals = views.stats_totals(ctx.store, unit_filters, (unit,)) if f.year else None
    has_stats = bool(unit_totals and any(unit_totals.values()))
    if plan is None:
        part.notes.append("Chưa có kế hoạch nâng cao Chỉ số CCHC: hãy tải kế hoạch lên ở trang Dữ liệu.")
    else:
        groups = registry.group_members(set(stats_units["unit"]))
        leads, supports = views.unit_criteria(plan, unit, level, groups)
        part.headline += [("Tiêu chí chủ trì", str(len(leads))), ("Tiêu chí phối hợp", str(len(supports)))]
        status = views.criteria_status(plan, unit_totals or {k: 0 for k in views.STATS_FIELDS})
        for title, codes in (("Tiêu chí đơn vị chủ trì", leads), ("Tiêu chí đơn vị phối hợp", supports)):
            part.add_table(title, views.criteria_table(status[status["code"].isin(codes)])
                           .drop(columns=["Lĩnh vực", "Chủ trì"]), f"{title}: không có.")
        if leads:
            _pressing_deadlines(ctx, part, unit)
    if not has_stats:
        part.notes.append(f"Chưa có số liệu thống kê TTHC của {unit} trong kỳ đã chọn.")
        return part
    by_month = views.monthly(ctx.store, unit_filters, (unit,))
    cards = views.rate_cards(unit_totals, plan)
    targets = {c.key: c.target for c in cards}
    part.headline += [_card_headline(c, counts=True) for c in cards]
    part.add_figure(figures.monthly_rates(by_month, ("on_time_rate",), targets,
                                          f"Tỷ lệ giải quyết đúng hạn theo tháng\n{unit}"))
    part.add_figure(figures.monthly_rates(by_month, ("online_l3_share", "online_l4_share"), targets,
                                          f"Tỷ lệ trực tuyến mức độ 3, 4 theo tháng\n{unit}"))
    level_rates = views.level_average(ctx.store, unit_filters, level)
    level_name = f"Bình quân {ctx.organisation.level_label(level).lower()}" if level else "Bình quân chung"
    part.add_figure(figures.unit_vs_level({c.key: c.value for c in cards}, level_rates, views.HEADLINE_RATES,
                                          targets, unit, level_name,
                                          f"{unit} so với {level_name.lower()}\n{ctx.period}"))
    part.add_table("Số liệu từng tháng", views.monthly_table(by_month))
    return part


_BUILDERS = {"overview": _overview, "processing": _processing, "online": _online, "criteria": _criteria,
             "unit": _unit}


# ---------------------------------------------------------------------------------------------------------------- #
# Charts as images: one kaleido server per process
# ---------------------------------------------------------------------------------------------------------------- #

CHART_TIMEOUT = 60.0  # seconds for one chart, the browser's start included
_START_LOCK = threading.Lock()
_RENDER_LOCK = threading.Lock()
_renderer: dict = {"started": False, "error": None, "stuck": None}
BROWSER_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                      "/usr/bin/google-chrome-stable", "/snap/bin/chromium")


def browser_path() -> str | None:
    """The browser kaleido drives: $BROWSER_PATH, else choreographer's own lookup, else Debian's chromium."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env
    try:
        from choreographer.utils import get_browser_path

        found = get_browser_path()
    except Exception:  # noqa: BLE001 - a lookup failure only means we look ourselves
        found = None
    if found:
        return str(found)
    for candidate in BROWSER_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def start_renderer() -> bool:
    """Start kaleido's sync server once per process (thread-safe); False when charts cannot be drawn."""
    with _START_LOCK:
        if _renderer["started"]:
            return _renderer["error"] is None
        _renderer["started"] = True
        try:
            import kaleido

            path = browser_path()
            if path is None or not (Path(path).is_file() or shutil.which(path)):
                raise RuntimeError(f"không tìm thấy trình duyệt Chromium ({path or 'BROWSER_PATH'})")
            # plotly passes its defaults as kopts, which a running server ignores (and warns about every chart)
            warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
            kaleido.start_sync_server(mathjax=False, path=path, silence_warnings=True)
        except Exception as exc:  # noqa: BLE001 - the report goes on without images
            _renderer["error"] = str(exc) or type(exc).__name__
            log.warning("chart rendering unavailable: %s", exc)
            return False
        return True


def _server_alive() -> bool:
    try:
        from kaleido._sync_server import GlobalKaleidoServer

        thread = getattr(GlobalKaleidoServer(), "_thread", None)
        return thread is None or thread.is_alive()
    except Exception:  # noqa: BLE001 - a kaleido without this internal: assume alive, the timeout still guards
        return True


def chart_png(fig: go.Figure, width: int = CHART_WIDTH, height: int | None = None, scale: float = 2,
              timeout: float = CHART_TIMEOUT) -> bytes | None:
    """A figure as PNG bytes, or None when it cannot be drawn (no browser, a crash, a timeout); never raises.

    Renders are serialised: kaleido's sync server pairs requests and answers through shared queues.
    """
    if not start_renderer():
        return None
    height = int(height or fig.layout.height or 460)
    with _RENDER_LOCK:
        stuck = _renderer["stuck"]
        if stuck is not None and stuck.is_alive():
            return None  # an earlier render never came back; later answers would be paired with it
        if not _server_alive():
            _renderer["error"] = "kaleido server stopped"
            return None
        box: dict = {}

        def run():
            try:
                box["png"] = fig.to_image(format="png", width=width, height=height, scale=scale)
            except BaseException as exc:  # noqa: BLE001 - reported below
                box["error"] = exc

        worker = threading.Thread(target=run, name="cchc-chart", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            _renderer["stuck"] = worker
            log.warning("chart rendering timed out after %.0f s", timeout)
            return None
        if "error" in box:
            log.warning("chart rendering failed: %s", box["error"])
            return None
        return box.get("png")


def _image_figure(fig: go.Figure) -> go.Figure:
    """The figure without its title (the page or slide shows it), with room left for the legend."""
    image = go.Figure(fig)
    margin = image.layout.margin
    image.update_layout(title=dict(text="", subtitle=dict(text="")),
                        margin=dict(t=60 if image.layout.showlegend is not False else 40,
                                    l=margin.l if margin.l is not None else 10,
                                    r=margin.r if margin.r is not None else 30,
                                    b=margin.b if margin.b is not None else 40))
    return image


def render_images(report: Report, width: int = CHART_WIDTH) -> dict[int, bytes | None]:
    """PNG bytes of every figure (None where it could not be drawn), rendered once and kept on the report."""
    for _, fig in report.figures:
        if id(fig) not in report.images:
            # the title is left out of the image; short charts grow to fill a landscape page or a 16:9 slide
            height = max(int(fig.layout.height or 460) - 40, int(width / 2.15))
            report.images[id(fig)] = chart_png(_image_figure(fig), width=width, height=height)
    return report.images


def chart_failed_note(title: str) -> str:
    return (f"Không dựng được biểu đồ “{title}” thành hình ảnh (cần trình duyệt Chromium trên máy chủ). "
            "Xem biểu đồ trên bảng điều hành hoặc trong báo cáo HTML.")


# ---------------------------------------------------------------------------------------------------------------- #
# File names
# ---------------------------------------------------------------------------------------------------------------- #

def slugify(text: str) -> str:
    """ASCII file-name words: "UBND xã Ia Tul" → "ubnd-xa-ia-tul"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def report_filename(report: Report, ext: str) -> str:
    """"bao-cao-cchc-2019-01-2019-12.pdf"; the page and the unit join the name when the report is theirs."""
    words = ["bao-cao-cchc"]
    if len(report.parts) == 1 and SECTION_SLUGS.get(report.parts[0].key):
        words.append(SECTION_SLUGS[report.parts[0].key])
    if report.unit:
        words.append(slugify(report.unit))
    if report.level:
        words.append("cap-" + slugify(report.level))
    if report.start:
        words.append(report.start if report.start == report.end else f"{report.start}-{report.end}")
    return "-".join(w for w in words if w) + "." + ext.lstrip(".").lower()


def _table_cells(frame: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    headers = [str(c) for c in frame.columns]
    rows = [["" if _blank(v) else (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v))
             for v in row] for row in frame.itertuples(index=False, name=None)]
    return headers, rows


def _blank(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_NUMERIC_CELL = re.compile(r"^[+\-−]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?\s*%?( điểm)?$|^–$")


def _numeric_columns(rows: list[list[str]], n: int) -> list[bool]:
    """Columns whose cells are all numbers ("1.234", "95,2%", "–"): right-aligned in every format."""
    out = []
    for i in range(n):
        cells = [r[i] for r in rows if r[i]]
        out.append(bool(cells) and all(_NUMERIC_CELL.match(c) for c in cells)
                   and any(c != "–" for c in cells))
    return out


def _column_weights(headers: list[str], rows: list[list[str]], cap: int = 40) -> list[float]:
    weights = []
    for i, header in enumerate(headers):
        longest = max([len(r[i]) for r in rows] or [0])
        words = max((len(w) for w in header.split()), default=0)
        weights.append(max(min(longest, cap), min(len(header), 14), words, 3))
    return weights


# ---------------------------------------------------------------------------------------------------------------- #
# PDF (fpdf2, DejaVu Sans)
# ---------------------------------------------------------------------------------------------------------------- #

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/truetype", "/usr/local/share/fonts", str(Path.home() / ".fonts"),
             "/Library/Fonts", "C:/Windows/Fonts")
FONT_FILES = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
              ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"), ("arial.ttf", "arialbd.ttf"))


def find_fonts() -> tuple[str, str] | None:
    """(regular, bold) paths of a Unicode TTF with Vietnamese glyphs; $CCHC_PDF_FONT_DIR is tried first."""
    dirs = [os.environ["CCHC_PDF_FONT_DIR"]] if os.environ.get("CCHC_PDF_FONT_DIR") else []
    for regular, bold in FONT_FILES:
        for folder in (*dirs, *FONT_DIRS):
            path = Path(folder) / regular
            if path.is_file():
                bold_path = Path(folder) / bold
                return str(path), str(bold_path if bold_path.is_file() else path)
    return None


def report_pdf(report: Report) -> bytes:
    """A4 landscape: cover, headline figures, one chart per page, tables with wrapped text, "Trang x/y"."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    fonts = find_fonts()

    class _PDF(FPDF):
        def footer(self):
            self.set_y(-10)
            self.set_font(family, "", 8)
            self.set_text_color(100, 110, 120)
            self.cell(0, 5, text(f"{report.title} · {report.organisation}"), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="R")

    pdf = _PDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(report.title)
    pdf.set_author(report.organisation)
    pdf.set_creator("Bảng điều hành Chỉ số CCHC")
    if fonts:
        family = "DejaVu"
        pdf.add_font(family, "", fonts[0])
        pdf.add_font(family, "B", fonts[1])

        def text(value: str) -> str:
            return value
    else:  # no Unicode font on this machine: Latin-1 core font, diacritics dropped rather than no report
        family = "Helvetica"
        log.warning("no Unicode TTF font found: the PDF is written without Vietnamese diacritics")

        def text(value: str) -> str:
            folded = re.sub(r"[^\x00-\xff]", "?", _strip_marks(value))
            return folded
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(value: str, size: int = 18) -> None:
        pdf.set_font(family, "B", size)
        pdf.set_text_color(31, 41, 51)
        pdf.multi_cell(width, size * 0.5, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    def paragraph(value: str, size: int = 11, color=(82, 96, 109), bold: bool = False) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.set_text_color(*color)
        pdf.multi_cell(width, size * 0.48, text(value), new_x="LMARGIN", new_y="NEXT")

    # Cover
    pdf.add_page()
    pdf.set_y(38)
    if report.organisation:
        paragraph(report.organisation.upper(), 14, (31, 41, 51), bold=True)
        pdf.ln(8)
    paragraph("BÁO CÁO", 13, (0, 114, 178), bold=True)
    pdf.ln(2)
    heading(report.title, 26)
    pdf.ln(4)
    for line in report.subtitle[1:] if report.organisation else report.subtitle:
        paragraph(line, 13)
        pdf.ln(1)
    for note in report.notes:
        pdf.ln(6)
        paragraph(note, 11, (213, 94, 0), bold=True)

    images = render_images(report)
    headline_style = FontFace(emphasis="BOLD", fill_color=(220, 230, 241))
    for part in report.parts:
        if part.headline or part.notes or len(report.parts) > 1:
            pdf.add_page()
            heading(part.title if len(report.parts) > 1 else "Số liệu chính")
            if part.headline:
                pdf.set_font(family, "", 11)
                pdf.set_text_color(31, 41, 51)
                with pdf.table(col_widths=(0.42, 0.58), headings_style=headline_style, line_height=6.5,
                               text_align=("LEFT", "LEFT"), cell_fill_color=(245, 247, 250),
                               cell_fill_mode="ROWS", padding=1.6) as table:
                    table.row([text("Chỉ số"), text("Giá trị")])
                    for label, value in part.headline:
                        table.row([text(label), text(value)])
            for note in part.notes:
                pdf.ln(2)
                paragraph("• " + note, 10.5)
        for title, fig in part.figures:
            pdf.add_page()
            heading(title)
            sub = figure_subtitle(fig)
            if sub:
                paragraph(sub, 11)
            pdf.ln(2)
            png = images.get(id(fig))
            if png is None:
                paragraph(chart_failed_note(title), 12, (213, 94, 0))
                continue
            top = pdf.get_y()
            room_h = pdf.h - pdf.b_margin - top - 1
            from PIL import Image

            with Image.open(io.BytesIO(png)) as im:
                px_w, px_h = im.size
            w = width
            h = w * px_h / px_w
            if h > room_h:
                h = room_h
                w = h * px_w / px_h
            pdf.image(io.BytesIO(png), x=pdf.l_margin + (width - w) / 2, y=top, w=w, h=h, alt_text=title)
        first_table = True
        for title, frame in part.tables:
            # small tables share a page; a table starts a new one when fewer than ~6 rows would fit
            if first_table or pdf.h - pdf.b_margin - pdf.get_y() < 60:
                pdf.add_page()
            else:
                pdf.ln(8)
            first_table = False
            heading(title)
            headers, rows = _table_cells(frame)
            numeric = _numeric_columns(rows, len(headers))
            size = 10 if len(headers) <= 6 else 9 if len(headers) <= 9 else 7.5
            pdf.set_font(family, "", size)
            pdf.set_text_color(31, 41, 51)
            weights = _column_weights(headers, rows)
            with pdf.table(col_widths=weights, headings_style=headline_style, line_height=size * 0.5,
                           text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
                           cell_fill_color=(245, 247, 250), cell_fill_mode="ROWS", padding=1.2,
                           repeat_headings=1) as table:
                table.row([text(h) for h in headers])
                for row in rows:
                    table.row([text(c) for c in row])
            pdf.ln(2)
            paragraph(f"{fmt.number(len(rows))} dòng.", 9)
    return bytes(pdf.output())


def _strip_marks(value: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")


# ---------------------------------------------------------------------------------------------------------------- #
# PowerPoint (python-pptx, 16:9)
# ---------------------------------------------------------------------------------------------------------------- #

def report_pptx(report: Report) -> bytes:
    """16:9: a cover, the headline figures, one slide per chart, one per table (its first rows)."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12_192_000), Emu(6_858_000)  # 13,333 × 7,5 in: 16:9
    slide_w, slide_h = prs.slide_width, prs.slide_height
    margin = Inches(0.5)
    dark, grey, accent = RGBColor(0x1F, 0x29, 0x33), RGBColor(0x52, 0x60, 0x6D), RGBColor(0xD5, 0x5E, 0x00)

    def titled(title: str):
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = margin, Inches(0.3), slide_w - 2 * margin, Inches(0.95)
        shape.text = title
        frame = shape.text_frame
        frame.word_wrap = True
        for paragraph in frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            for run in paragraph.runs:
                run.font.size = Pt(28 if len(title) <= 45 else 24 if len(title) <= 70 else 20)
                run.font.bold = True
                run.font.color.rgb = dark
        return slide

    def textbox(slide, lines: list[str], top, height, size: int = 16, color=grey, bold: bool = False):
        box = slide.shapes.add_textbox(margin, top, slide_w - 2 * margin, height)
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = line
            paragraph.font.size = Pt(size)
            paragraph.font.color.rgb = color
            paragraph.font.bold = bold
        return box

    def table(slide, headers: list[str], rows: list[list[str]], top, size: float, widths: list[float],
              numeric: list[bool], heights: list[float]):
        total = sum(widths) or 1
        available = slide_w - 2 * margin
        shape = slide.shapes.add_table(len(rows) + 1, len(headers), margin, top, available,
                                       Inches(sum(heights)))
        grid = shape.table
        for i, weight in enumerate(widths):
            grid.columns[i].width = Emu(int(available * weight / total))
        for r, height in enumerate(heights):
            grid.rows[r].height = Inches(height)
        for r, row in enumerate([headers, *rows]):
            for c, value in enumerate(row):
                cell = grid.cell(r, c)
                cell.text = value
                cell.margin_left = cell.margin_right = Inches(0.05)
                cell.margin_top = cell.margin_bottom = Inches(0.02)
                for paragraph in cell.text_frame.paragraphs:
                    paragraph.font.size = Pt(size)
                    paragraph.font.bold = r == 0
                    if r > 0 and numeric[c]:
                        paragraph.alignment = PP_ALIGN.RIGHT
        return shape

    def fitting(headers: list[str], rows: list[list[str]], widths: list[float], size: float, room: float,
                limit: int) -> tuple[int, list[float]]:
        """How many rows (at most `limit`) fit in `room` inches, and the row heights (header first)."""
        inches = (slide_w - 2 * margin) / 914400
        total = sum(widths) or 1
        chars_per_inch = 72 / (size * 0.55)
        line = size * 1.25 / 72

        def height(row: list[str]) -> float:
            lines = max(max(1, -(-len(cell) // max(1, int(inches * w / total * chars_per_inch - 1))))
                        for cell, w in zip(row, widths))
            return lines * line + 0.08

        heights = [height(headers)]
        for row in rows[:limit]:
            h = height(row)
            if sum(heights) + h > room and len(heights) > 1:
                break
            heights.append(h)
        return len(heights) - 1, heights

    # Cover: the title layout, its placeholders moved to fit 16:9
    cover = prs.slides.add_slide(prs.slide_layouts[0])
    title_shape, sub_shape = cover.shapes.title, cover.placeholders[1]
    title_shape.left, title_shape.top = margin, Inches(1.6)
    title_shape.width, title_shape.height = slide_w - 2 * margin, Inches(1.8)
    title_shape.text = report.title
    for paragraph in title_shape.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.color.rgb = Pt(40), True, dark
    sub_shape.left, sub_shape.top = margin, Inches(3.6)
    sub_shape.width, sub_shape.height = slide_w - 2 * margin, Inches(3.2)
    frame = sub_shape.text_frame
    for i, line in enumerate([*report.subtitle, *report.notes]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(20 if i < len(report.subtitle) else 14)
        paragraph.font.color.rgb = grey if i < len(report.subtitle) else accent

    images = render_images(report)
    for part in report.parts:
        name = "Số liệu chính" + (f": {part.title}" if len(report.parts) > 1 else "")
        remaining = [[label, value] for label, value in part.headline]
        n = 0
        while remaining:
            slide = titled(name + (" (tiếp)" if n else ""))
            count, heights = fitting(["Chỉ số", "Giá trị"], remaining, [0.42, 0.58], 15, 5.6, 14)
            table(slide, ["Chỉ số", "Giá trị"], remaining[:count], Inches(1.35), 15, [0.42, 0.58],
                  [False, False], heights)
            remaining, n = remaining[count:], n + 1
            top = Inches(1.35 + sum(heights) + 0.15)
            if not remaining and part.notes and top < slide_h - Inches(0.8):
                textbox(slide, ["• " + note for note in part.notes], top, slide_h - top - Inches(0.3), 13)
        if part.notes and not part.headline:
            slide = titled(name)
            textbox(slide, ["• " + note for note in part.notes], Inches(1.4), Inches(5.5), 16)
        for title, fig in part.figures:
            slide = titled(title)
            sub = figure_subtitle(fig)
            top = Inches(1.25)
            if sub:
                textbox(slide, [sub], top, Inches(0.45), 14)
                top += Inches(0.45)
            png = images.get(id(fig))
            if png is None:
                textbox(slide, [chart_failed_note(title)], top + Inches(0.3), Inches(1.5), 18, accent)
                continue
            from PIL import Image

            with Image.open(io.BytesIO(png)) as im:
                px_w, px_h = im.size
            room_w, room_h = slide_w - 2 * margin, slide_h - top - Inches(0.3)
            w = room_w
            h = int(w * px_h / px_w)
            if h > room_h:
                h = room_h
                w = int(h * px_w / px_h)
            slide.shapes.add_picture(io.BytesIO(png), int(margin + (room_w - w) / 2), int(top), int(w), int(h))
        for title, frame_ in part.tables:
            slide = titled(title)
            headers, rows = _table_cells(frame_)
            numeric = _numeric_columns(rows, len(headers))
            size = 12 if len(headers) <= 6 else 10 if len(headers) <= 9 else 8
            widths = _column_weights(headers, rows)
            cells = [[_shorten(c, 120) for c in r] for r in rows]
            count, heights = fitting(headers, cells, widths, size, 5.5, PPTX_TABLE_ROWS)
            table(slide, headers, cells[:count], Inches(1.3), size, widths, numeric, heights)
            if len(rows) > count:
                textbox(slide, [f"{count}/{fmt.number(len(rows))} dòng đầu; bảng đầy đủ có trong báo cáo PDF "
                                "và tệp Excel."], slide_h - Inches(0.55), Inches(0.4), 11)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------------------------------------------- #
# HTML: one self-contained file
# ---------------------------------------------------------------------------------------------------------------- #

_CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --head: #dce6f1; --warn: #d55e00; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1200px; padding: 24px; line-height: 1.45; }
header { border-bottom: 3px solid #0072B2; margin-bottom: 24px; padding-bottom: 12px; }
.to-chuc { font-weight: bold; text-transform: uppercase; color: var(--muted); margin: 0; }
.loai { color: #0072B2; font-weight: bold; letter-spacing: .08em; margin: 16px 0 0; }
h1 { font-size: 2rem; margin: 4px 0 8px; }
h2 { font-size: 1.5rem; margin: 32px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.15rem; margin: 24px 0 8px; }
.phu-de { margin: 2px 0; color: var(--muted); }
.ghi-chu { color: var(--warn); font-weight: bold; }
ul.ghi-chu-phan { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--head); }
tbody tr:nth-child(even) { background: #f5f7fa; }
td.so, th.so { text-align: right; white-space: nowrap; }
table.so-lieu-chinh td:first-child { font-weight: bold; width: 40%; }
.bieu-do { margin: 16px 0 28px; page-break-inside: avoid; break-inside: avoid; }
footer { margin-top: 40px; color: var(--muted); font-size: .85rem; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { page-break-before: always; break-before: page; }
  header + section h2:first-child { page-break-before: avoid; break-before: avoid; }
  .bieu-do, table, tr { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  .modebar-container { display: none !important; }
}
"""


def _html_table(headers: list[str], rows: list[list[str]], css_class: str = "") -> str:
    numeric = _numeric_columns(rows, len(headers))
    attrs = [' class="so"' if n else "" for n in numeric]
    head = "".join(f"<th{a}>{html.escape(h)}</th>" for h, a in zip(headers, attrs))
    body = "".join("<tr>" + "".join(f"<td{a}>{html.escape(c)}</td>" for c, a in zip(row, attrs)) + "</tr>"
                   for row in rows)
    cls = f' class="{css_class}"' if css_class else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(report: Report) -> bytes:
    """One UTF-8 file that works offline: plotly.js inlined once, interactive charts, tables, print styles."""
    from .figures import PLOTLY_CONFIG

    config = {k: v for k, v in PLOTLY_CONFIG.items() if k != "locale"}  # plotly.js ships no "vi" locale
    esc = html.escape
    out = ['<!DOCTYPE html>', '<html lang="vi">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(report.title)} · {esc(fmt.period_range_label(report.start, report.end))}</title>",
           f"<style>{_CSS}</style>", "</head>", "<body>", "<header>"]
    if report.organisation:
        out.append(f'<p class="to-chuc">{esc(report.organisation)}</p>')
    out.append('<p class="loai">BÁO CÁO</p>')
    out.append(f"<h1>{esc(report.title)}</h1>")
    for line in report.subtitle[1:] if report.organisation else report.subtitle:
        out.append(f'<p class="phu-de">{esc(line)}</p>')
    for note in report.notes:
        out.append(f'<p class="ghi-chu">{esc(note)}</p>')
    out.append("</header>")
    plotly_included = False
    chart = 0
    for part in report.parts:
        out.append(f'<section id="{esc(part.key)}">')
        if len(report.parts) > 1:
            out.append(f"<h2>{esc(part.title)}</h2>")
        if part.headline:
            out.append("<h3>Số liệu chính</h3>" if len(report.parts) > 1 else "<h2>Số liệu chính</h2>")
            out.append(_html_table(["Chỉ số", "Giá trị"], [[a, b] for a, b in part.headline], "so-lieu-chinh"))
        if part.notes:
            out.append('<ul class="ghi-chu-phan">' + "".join(f"<li>{esc(n)}</li>" for n in part.notes) + "</ul>")
        if part.figures:
            out.append("<h3>Biểu đồ</h3>" if len(report.parts) > 1 else "<h2>Biểu đồ</h2>")
        for title, fig in part.figures:
            chart += 1
            div = fig.to_html(full_html=False, include_plotlyjs=not plotly_included, include_mathjax=False,
                              config=config, div_id=f"bieu-do-{chart}", default_width="100%",
                              default_height=f"{int(fig.layout.height or 460)}px")
            plotly_included = True
            out.append(f'<figure class="bieu-do" aria-label="{esc(title)}">{div}</figure>')
        for title, frame in part.tables:
            out.append(f"<h3>{esc(title)}</h3>")
            headers, rows = _table_cells(frame)
            out.append(_html_table(headers, rows))
        out.append("</section>")
    out.append(f"<footer>{esc(' · '.join(report.subtitle))}</footer>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")
