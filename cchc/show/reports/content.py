"""What a meeting report holds: the headline figures, Plotly figures and display tables of the pages, for a
chosen period, filters and unit. Built once (`build_report`) and laid out by the pdf, pptx and html modules; pure
functions over cchc.show.views, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from ... import formatting as fmt
from ...read.text import fold
from ...registry import Organisation, load_organisation, load_registry
from ...score.metrics import RATES
from ...score.status import STATUS_LABELS, STATUS_SYMBOLS, badge
from ...store.database import Store
from .. import figures, views

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
PPTX_TABLE_ROWS = 15  # at most this many rows on one slide, fewer when their text wraps
PPTX_MAX_TABLE_SLIDES = 12  # a longer table is cut on the slides (the PDF and the Excel file have it whole)
TABLE_FONT_PT = 14  # table text on slides and PDF pages: readable on a projector from the back of the room
ILLUSTRATIVE_NOTICE = "Dữ liệu minh họa: số liệu mẫu, không phải số liệu thật"  # on every page and slide
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
    illustrative: bool = False  # sample statistics: every page and slide says so (ILLUSTRATIVE_NOTICE)
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

    @property
    def close_ratio(self) -> float:
        """The "Gần đạt" share of the target stored with the plan's scoring rules, as the pages use it."""
        return views.close_ratio(self.store, self.filters.year)


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
    illustrative = views.has_illustrative(store)
    if illustrative:
        notes.append("Dữ liệu minh họa: số liệu thống kê TTHC trong báo cáo này là số liệu mẫu đi kèm phần mềm, "
                     "không phải số liệu thật.")
    return Report(title, subtitle, parts, organisation.name, filters.start, filters.end, unit, filters.level, made,
                  notes, illustrative=illustrative)


def figure_title(fig: go.Figure) -> str:
    """The chart's title as text (a PDF or PowerPoint heading, the HTML report's label, escaped there again)."""
    return figures.plot_plain(fig.layout.title.text or "").strip()


def figure_subtitle(fig: go.Figure) -> str:
    title = fig.layout.title
    return figures.plot_plain((title.subtitle.text if title and title.subtitle else None) or "").strip()


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
            (f"{plan.appraisal_label} {plan.appraisal_year or ''}".strip(), fmt.points(total["appraised"])),
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
    cards = views.rate_cards(totals, plan, close_ratio=ctx.close_ratio) if has_stats else []
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
                                           f"Xếp hạng đơn vị theo tỷ lệ đúng hạn\n{ctx.period}",
                                           close_ratio=ctx.close_ratio))
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
    cards = {c.key: c for c in views.rate_cards(totals, plan, ("on_time_rate", "late_rate", "apology_rate"),
                                                ctx.close_ratio)}
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
                                       f"Xếp hạng đơn vị theo tỷ lệ đúng hạn\n{ctx.period}",
                                       close_ratio=ctx.close_ratio))
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
    part.add_table("Số liệu giải quyết hồ sơ theo đơn vị", views.processing_table(units, on_time_target,
                                                                                 close_ratio=ctx.close_ratio))
    return part


def _online(ctx: _Context) -> ReportPart:
    part = ReportPart("online", SECTION_TITLES["online"])
    f = ctx.filters
    totals = _stats_or_note(ctx, part)
    if totals is None:
        return part
    plan = views.plan_for(ctx.store, f.year)
    cards = views.rate_cards(totals, plan, views.ONLINE_RATES, ctx.close_ratio)
    targets = {c.key: c.target for c in cards}
    part.headline += [_card_headline(c, counts=True) for c in cards]
    by_month = views.monthly(ctx.store, f)
    part.add_figure(figures.monthly_rates(
        by_month, ("online_l3_share", "online_l4_share"), targets,
        f"Tỷ lệ hồ sơ trực tuyến mức độ 3, 4 trên hồ sơ mới tiếp nhận\n{ctx.period}"))
    part.add_figure(figures.monthly_rates(by_month, ("bcci_intake_share", "bcci_return_share"), targets,
                                          f"Tỷ lệ tiếp nhận và trả kết quả qua BCCI\n{ctx.period}"))
    if totals.get("received_online_full") or totals.get("received_online_partial"):
        new_cards = views.rate_cards(totals, plan, views.NEW_ERA_RATES, ctx.close_ratio)
        part.headline += [_card_headline(c, counts=True) for c in new_cards]
        part.add_figure(figures.monthly_rates(
            by_month, views.NEW_ERA_RATES, {c.key: c.target for c in new_cards},
            f"Dịch vụ công trực tuyến toàn trình và một phần (Nghị định 42/2022)\n{ctx.period}"))
    units = views.by_unit(ctx.store, f)
    for key in views.ONLINE_RATES:
        part.add_figure(figures.unit_rates(units, key, targets.get(key), f"{RATES[key].label} theo đơn vị\n"
                                                                         f"{ctx.period}", close_ratio=ctx.close_ratio))
    for key in views.ONLINE_RATES:
        behind = views.units_behind(units, key, targets.get(key))
        label = RATES[key].label
        part.add_table(f"Đơn vị chưa đạt chỉ tiêu: {label[0].lower()}{label[1:]}",
                       views.behind_table(behind.sort_values("gap", ascending=False), key) if len(behind) else behind,
                       f"{label}: không có đơn vị nào dưới chỉ tiêu trong kỳ này.")
    part.add_table("Số liệu trực tuyến và BCCI theo đơn vị", views.online_table(units))
    return part


def _criteria(ctx: _Context) -> ReportPart:
    from ...score.scoring import gains_if_met, plan_rules

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
        status = views.criteria_status(plan, views.plan_score(ctx.store, f)[1])  # as on the agency page
        for title, codes in (("Tiêu chí đơn vị chủ trì", leads), ("Tiêu chí đơn vị phối hợp", supports)):
            part.add_table(title, views.criteria_table(status[status["code"].isin(codes)])
                           .drop(columns=["Lĩnh vực", "Chủ trì"]), f"{title}: không có.")
        if leads:
            _pressing_deadlines(ctx, part, unit)
    if not has_stats:
        part.notes.append(f"Chưa có số liệu thống kê TTHC của {unit} trong kỳ đã chọn.")
        return part
    by_month = views.monthly(ctx.store, unit_filters, (unit,))
    cards = views.rate_cards(unit_totals, plan, close_ratio=ctx.close_ratio)
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
