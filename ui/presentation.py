"""Presentation mode (?trinh_chieu=1): full-screen slides of the main charts for the meeting room.

Arrow keys (or the buttons) step through the slides; ?tu_dong=20 advances every 20 seconds by itself. With
?don_vi=X (the agency page's "Trình chiếu") the slides are that agency's: its rates, its months, its criteria.

Every slide fits the window: the main block is exactly as tall as the viewport, and the slide's body (below the
controls) takes what is left; a chart fills that body (st.plotly_chart height="stretch": Streamlit measures the
element and gives Plotly that height), so nothing depends on the screen's size.
"""

from __future__ import annotations

import html

import streamlit as st

from cchc import formatting as fmt
from cchc.score.metrics import RATES
from cchc.score.status import badge
from cchc.show import figures, views
from ui import common
from ui.safe import md

STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
/* the slide is the window: a column exactly as tall as the viewport, its body taking what the controls leave */
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.5rem 0.8rem; max-width: 100%; height: 100dvh;
  box-sizing: border-box; display: flex; flex-direction: column; }
[data-testid="stMainBlockContainer"] :is([data-testid="stVerticalBlock"], [data-testid="stLayoutWrapper"])
  :is(:has(.st-key-slide_body), .st-key-slide_body) { flex: 1 1 0; min-height: 0; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { flex: 1 1 0; min-height: 0; }
.st-key-slide_body { overflow: hidden; }
.slide-number { font-size: 1.1rem; color: #52606d; text-align: right; white-space: nowrap; }
/* type grows with the window's height, so a 1080 px screen is not a 720 px slide with a white band below */
.st-key-slide_body h2 { font-size: clamp(1.8rem, 5.6vh, 3.6rem); }
.st-key-slide_body h3 { font-size: clamp(1.3rem, 3.8vh, 2.4rem); }
.st-key-slide_body [data-testid="stCaptionContainer"] { font-size: clamp(1rem, 2.6vh, 1.6rem); }
.slide-big { font-size: clamp(2.2rem, 9vh, 6rem); font-weight: 700; line-height: 1.1; white-space: nowrap; }
.slide-label { font-size: clamp(1.1rem, 3.6vh, 2.4rem); color: #52606d; }
.slide-cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 2vh 1.2rem; }
.slide-card { border-left: 0.45rem solid var(--status); padding: 0.3rem 0 0.3rem 0.8rem; }
.slide-card .slide-value { font-size: clamp(2rem, 8vh, 5.4rem); font-weight: 700; line-height: 1.1; }
.slide-card .slide-label { font-size: clamp(1.05rem, 3.1vh, 2.1rem); }
.slide-card .slide-status { font-size: clamp(1rem, 2.8vh, 1.9rem); }
.slide-card .slide-counts { font-size: clamp(0.95rem, 2.4vh, 1.6rem); color: #52606d; }
.slide-table { width: 100%; border-collapse: collapse; font-size: clamp(1rem, 2.9vh, 2rem); line-height: 1.3; }
.slide-table th { text-align: left; color: #52606d; font-weight: 600; border-bottom: 2px solid #9aa5b1;
  padding: 0.25rem 0.5rem; }
.slide-table td { border-bottom: 1px solid #d9e2ec; padding: 0.3rem 0.5rem; vertical-align: top; }
.slide-table .nowrap { white-space: nowrap; }
.slide-table .name { min-width: 6em; }
/* the controls look like Streamlit's own buttons */
.slide-control { display: inline-flex; align-items: center; justify-content: center; white-space: nowrap;
  min-height: 2.5rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem; border: 1px solid rgba(49, 51, 63, 0.2);
  background: #fff; color: #31333f; font: inherit; font-size: 1rem; line-height: 1.6; text-decoration: none;
  cursor: pointer; box-sizing: border-box; }
.slide-control:hover { border-color: #0b5cad; color: #0b5cad; text-decoration: none; }
.slide-control:focus-visible { outline: 2px solid #0b5cad; outline-offset: 1px; }
.st-key-slide_controls button p { font-size: 1rem; }
</style>"""

# requestFullscreen must run in the page itself, from the click (a user gesture): st.html runs this script in the
# app's document (not in an iframe, which would need allow="fullscreen"); the label follows the real state, so
# Esc (the browser leaving full screen by itself) is reflected too.
FULLSCREEN = """<button type="button" class="slide-control slide-fullscreen">Toàn màn hình</button>
<script>
(() => {
  const button = document.currentScript.parentNode.querySelector(".slide-fullscreen");
  if (!button || !document.fullscreenEnabled) { if (button) button.style.display = "none"; return; }
  const label = () => {
    button.textContent = document.fullscreenElement ? "Thoát toàn màn hình" : "Toàn màn hình";
  };
  button.addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  });
  document.addEventListener("fullscreenchange", label);
  label();
})();
</script>"""


def _headline(f: views.Filters, score) -> callable:
    def draw() -> None:
        st.markdown(f"## {md(common.organisation().name)}: Chỉ số cải cách hành chính")
        st.caption(md(f.describe(common.organisation())))
        cols = st.columns(3)
        for col, label, value in ((cols[0], "Điểm bị mất", fmt.points(score.lost_total)),
                                  (cols[1], "Dự kiến khôi phục", fmt.points(score.recovered)),
                                  (cols[2], "Điểm dự kiến", (f"{fmt.points(score.projected)} / "
                                                              f"{fmt.points(score.standard_total)}"))):
            col.markdown(f"<div class='slide-label'>{label}</div><div class='slide-big'>{value}</div>",
                         unsafe_allow_html=True)
        counts = score.status_counts()
        st.markdown(f"### {counts['met']} tiêu chí đạt · {counts['close']} gần đạt · {counts['behind']} chưa đạt"
                    f" · {counts['no_data']} chưa có số liệu")
    return draw


def _slides(f: views.Filters) -> list[tuple[str, callable]]:
    """(title, draw) for every slide the data allows, in meeting order."""
    result = common.query("plan_score", f)
    slides = []
    if result is not None:
        plan, score = result
        slides.append(("Tổng quan", _headline(f, score)))
        slides.append(("Điểm bị mất theo lĩnh vực", lambda: _chart(figures.domain_lost_bar(
            views.domain_lost(plan), f"Điểm bị mất theo lĩnh vực: tổng {fmt.points(plan.total['lost'])} điểm\n"
                                     f"Thẩm định năm {plan.appraisal_year or ''}"))))
        slides.append(("Dự kiến khôi phục", lambda: _chart(figures.recovery_by_domain(
            score.by_domain(plan), f"Điểm bị mất và dự kiến khôi phục theo lĩnh vực\n{f.describe()}"))))
    totals = common.query("stats_totals", f) if f.year else {}
    if totals and any(totals.values()):
        plan = result[0] if result else None
        cards = views.rate_cards(totals, plan, close_ratio=common.query("close_ratio", f.year))
        targets = {c.key: c.target for c in cards}
        slides.append(("Kết quả so với chỉ tiêu", lambda: _chart(figures.rates_vs_targets(
            cards, f"Kết quả so với chỉ tiêu\n{f.describe(common.organisation())}"))))
        by_month = common.query("monthly", f)
        slides.append(("Đúng hạn theo tháng", lambda: _chart(figures.monthly_rates(
            by_month, ("on_time_rate",), targets, f"Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng\n{f.describe()}"))))
        slides.append(("Trực tuyến mức độ 3, 4", lambda: _chart(figures.monthly_rates(
            by_month, ("online_l3_share", "online_l4_share"), targets,
            f"Tỷ lệ hồ sơ trực tuyến mức độ 3, 4\n{f.describe()}"))))
        slides.append(("BCCI", lambda: _chart(figures.monthly_rates(
            by_month, ("bcci_intake_share", "bcci_return_share"), targets,
            f"Tiếp nhận và trả kết quả qua BCCI\n{f.describe()}"))))
        slides.extend(_ranking(common.query("by_unit", f), targets.get("on_time_rate"), f))
    return slides


def _ranking(units, target, f: views.Filters) -> list[tuple[str, callable]]:
    """The ranking by on-time rate over as many slides as keep its bars legible, all on one scale."""
    pages = views.ranking_pages(units, "on_time_rate")
    if not pages:
        return []
    title = f"Xếp hạng đơn vị theo tỷ lệ đúng hạn\n{f.describe()}"
    # one x range for every page (the whole ranking's), so a bar means the same length on each slide
    close_ratio = common.query("close_ratio", f.year)
    scale = figures.unit_rates(units, "on_time_rate", target, title, max_units=len(units),
                               close_ratio=close_ratio).layout.xaxis.range
    slides = []
    for i, page in enumerate(pages):
        main, _, sub = title.partition("\n")
        page_title = f"{views.slide_title(main, i, len(pages))}\n{sub}"
        figure = figures.unit_rates(page, "on_time_rate", target, page_title, max_units=len(page),
                                    close_ratio=close_ratio)
        slides.append((views.slide_title("Xếp hạng đơn vị", i, len(pages)),
                       lambda figure=figure: _chart(figure, x_range=scale)))
    return slides


def _unit_slides(f: views.Filters, unit: str) -> list[tuple[str, callable]]:
    """One agency's slides, as its page (pages/don_vi.py) computes them: its rates, its months, its criteria."""
    organisation, registry = common.organisation(), common.registry()
    stats_units = common.query("stats_units")
    level = registry.level_of(unit) or next(iter(stats_units.loc[stats_units["unit"] == unit, "level"]), "")
    unit_filters = views.Filters(f.year, f.month_from, f.month_to, "")  # the unit's own figures, any level
    period = fmt.period_range_label(unit_filters.start, unit_filters.end) if f.year else ""
    totals = common.query("stats_totals", unit_filters, (unit,)) if f.year else None
    has_stats = bool(totals and any(totals.values()))
    plan = common.query("plan_for", f.year) if f.year else None
    cards = views.rate_cards(totals, plan, close_ratio=common.query("close_ratio", f.year)) if has_stats else []
    targets = {c.key: c.target for c in cards}
    leads, supports, status = [], [], None
    if plan is not None:
        groups = registry.group_members(set(stats_units["unit"]))
        leads, supports = views.unit_criteria(plan, unit, level, groups)
        status = views.criteria_status(plan, common.query("plan_score", f)[1])  # the agency page's verdicts

    def headline() -> None:
        st.markdown(f"## {md(unit)}")
        where = organisation.level_label(level) if level else "Chưa rõ cấp"
        st.caption(md(f"{where} · {period}" if f.year else where))
        if cards:
            st.html(_cards_html(cards))
        else:
            st.markdown(f"### Chưa có số liệu thống kê TTHC của {md(unit)} trong kỳ đã chọn.")
        if status is not None:
            st.markdown(f"### {_criteria_summary(status, leads, supports)}")

    slides = [("Tổng quan đơn vị", headline)]
    if has_stats:
        by_month = common.query("monthly", unit_filters, (unit,))
        slides.append(("Đúng hạn theo tháng", lambda: _chart(figures.monthly_rates(
            by_month, ("on_time_rate",), targets, f"Tỷ lệ giải quyết đúng hạn theo tháng\n{unit} · {period}"))))
        slides.append(("Trực tuyến mức độ 3, 4", lambda: _chart(figures.monthly_rates(
            by_month, ("online_l3_share", "online_l4_share"), targets,
            f"Tỷ lệ trực tuyến mức độ 3, 4 theo tháng\n{unit} · {period}"))))
    if status is not None:
        for role, codes in (("chủ trì", leads), ("phối hợp", supports)):
            table = views.criteria_table(status[status["code"].isin(codes)], views.AGENCY_CRITERIA_COLUMNS)
            pages = views.criteria_pages(table)
            for i, page in enumerate(pages):
                heading = views.slide_title(f"Tiêu chí {role}: {len(table)} tiêu chí", i, len(pages))
                slides.append((views.slide_title(f"Tiêu chí {role}", i, len(pages)),
                               lambda heading=heading, page=page: _table(f"{heading} · {unit}", page)))
    return slides


def _criteria_summary(status, leads: list[str], supports: list[str]) -> str:
    """"Chủ trì 2 tiêu chí: 1 đạt · … · Phối hợp 24 tiêu chí" (markdown: the counts only, no names)."""
    parts = []
    for role, codes in (("Chủ trì", leads), ("Phối hợp", supports)):
        shown = status[status["code"].isin(codes)]["status"].value_counts()
        counts = " · ".join(f"{int(shown[s])} {label}" for s, label in
                            (("met", "đạt"), ("close", "gần đạt"), ("behind", "chưa đạt"),
                             ("no_data", "chưa có số liệu")) if shown.get(s))
        parts.append(f"{role} {len(codes)} tiêu chí" + (f": {counts}" if counts else ""))
    return " — ".join(parts)


def _cards_html(cards) -> str:
    """The agency's rates as large numbers, each with its status in words and its target (never colour alone)."""
    from cchc.score.status import STATUS_COLORS

    items = []
    for card in cards:
        spec = RATES[card.key]
        label = (spec.short or spec.label) + (f" ({card.criterion})" if card.criterion else "")
        target = views.target_text(card.target) if card.target else "–"
        items.append(
            f"<div class='slide-card' style='--status: {STATUS_COLORS[card.status]}'>"
            f"<div class='slide-label'>{html.escape(label)}</div>"
            f"<div class='slide-value'>{html.escape(fmt.percent(card.value))}</div>"
            f"<div class='slide-status'>{html.escape(badge(card.status))} · chỉ tiêu {html.escape(target)}</div>"
            f"<div class='slide-counts'>{fmt.number(card.numerator)} / {fmt.number(card.denominator)} hồ sơ</div>"
            "</div>")
    return f"<div class='slide-cards'>{''.join(items)}</div>"


def _table(title: str, table) -> None:
    """A page of criteria as an HTML table (cchc.show.html_table: every cell escaped, names come from the plan)."""
    from cchc.show.html_table import table_html

    st.markdown(f"### {md(title)}")
    columns = list(views.AGENCY_CRITERIA_COLUMNS)  # as the agency page orders them
    st.html(table_html(table[columns], label=title, table_class="slide-table", names=("Chỉ tiêu",),
                       nowrap=("Mã", "Điểm bị mất", "Hiện tại", "Tình trạng")))


def _chart(fig, x_range=None) -> None:
    st.plotly_chart(figures.for_projector(fig, x_range=x_range), config=figures.PLOTLY_CONFIG, width="stretch",
                    height="stretch", key="slide_chart")


def _step(delta: int, count: int) -> None:
    st.session_state["slide"] = (st.session_state.get("slide", 0) + delta) % count


def _exit_link(label: str = "Thoát trình chiếu", drop=("trinh_chieu", "tu_dong")) -> str:
    """A plain link in this tab (st.link_button always opens a new one), back to the page the show came from."""
    href = "?" + common.query_string(exclude=drop)
    return f"<a class='slide-control slide-exit' href='{html.escape(href)}'>{html.escape(label)}</a>"


def _unknown_unit(asked: str) -> None:
    st.title("Trình chiếu")
    st.warning(f"Không tìm thấy đơn vị “{md(asked)}”. Hãy kiểm tra tên trong liên kết, hoặc trình chiếu số liệu "
               "của toàn tổ chức.", icon=":material/search_off:")
    with st.container(horizontal=True, gap="small"):
        st.html(_exit_link("Trình chiếu toàn tổ chức", drop=("don_vi",)), width="content")
        st.html(_exit_link(), width="content")


def run() -> None:
    st.html(STYLE)
    f = common.filters()
    asked = st.query_params.get("don_vi")
    if asked:
        unit = views.resolve_unit(asked, common.registry(), common.query("stats_units")["unit"].tolist())
        if unit is None:
            _unknown_unit(asked)
            return
        slides = _unit_slides(f, unit)
    else:
        slides = _slides(f)
    if not slides:
        st.title("Trình chiếu")
        common.empty_state("dữ liệu để trình chiếu")
        return
    try:
        seconds = max(0, int(st.query_params.get("tu_dong", "0") or 0))
    except ValueError:
        seconds = 0

    @st.fragment(run_every=seconds or None)
    def show() -> None:
        st.session_state["_run_id"] = st.session_state.get("_run_id", 0) + 1  # see fresh data on every tick
        count = len(slides)
        if seconds and st.session_state.get("slide_shown"):
            _step(1, count)  # the timer, not a click, woke this fragment
        st.session_state["slide_shown"] = True
        index = st.session_state.get("slide", 0) % count
        # one row, each control as wide as its words: "◀ Trước" stays whole at 1024 px
        with st.container(horizontal=True, vertical_alignment="center", gap="small", key="slide_controls"):
            st.button("◀ Trước", on_click=_step, args=(-1, count), shortcut="Left", key="slide_prev")
            st.button("Sau ▶", on_click=_step, args=(1, count), shortcut="Right", key="slide_next")
            st.space("stretch")
            st.markdown(f"<div class='slide-number'>{index + 1} / {count} · {html.escape(slides[index][0])}</div>",
                        unsafe_allow_html=True, width="content")
            st.html(FULLSCREEN, width="content", unsafe_allow_javascript=True)
            st.html(_exit_link(), width="content")
        with st.container(key="slide_body", height="stretch"):
            slides[index][1]()

    show()
