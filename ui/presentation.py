"""Presentation mode (?trinh_chieu=1): full-screen slides of the main charts for the meeting room.

Arrow keys (or the buttons) step through the slides; ?tu_dong=20 advances every 20 seconds by itself.
"""

from __future__ import annotations

import html

import streamlit as st

from cchc import formatting as fmt
from cchc.show import figures, views
from ui import common
from ui.safe import md

HIDE_CHROME = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; max-width: 100%; }
.slide-number { font-size: 1.1rem; color: #52606d; text-align: right; }
.slide-big { font-size: 4.2rem; font-weight: 700; line-height: 1.1; }
.slide-label { font-size: 1.6rem; color: #52606d; }
</style>"""


def _slides(f: views.Filters) -> list[tuple[str, callable]]:
    """(title, draw) for every slide the data allows, in meeting order."""
    result = common.query("plan_score", f)
    slides = []
    if result is not None:
        plan, score = result

        def headline():
            st.markdown(f"## {md(common.organisation().name)}: Chỉ số cải cách hành chính")
            st.caption(md(f.describe(common.organisation())))
            cols = st.columns(3)
            for col, label, value in ((cols[0], "Điểm bị mất", fmt.points(score.lost_total)),
                                      (cols[1], "Dự kiến khôi phục", fmt.points(score.recovered)),
                                      (cols[2], "Điểm dự kiến", f"{fmt.points(score.projected)} / "
                                                                 f"{fmt.points(score.standard_total)}")):
                col.markdown(f"<div class='slide-label'>{label}</div><div class='slide-big'>{value}</div>",
                             unsafe_allow_html=True)
            counts = score.status_counts()
            st.markdown(f"### {counts['met']} tiêu chí đạt · {counts['close']} gần đạt · {counts['behind']} chưa đạt"
                        f" · {counts['no_data']} chưa có số liệu")

        slides.append(("Tổng quan", headline))
        slides.append(("Điểm bị mất theo lĩnh vực", lambda: _chart(figures.domain_lost_bar(
            views.domain_lost(plan), f"Điểm bị mất theo lĩnh vực: tổng {fmt.points(plan.total['lost'])} điểm\n"
                                     f"Thẩm định năm {plan.appraisal_year or ''}"))))
        slides.append(("Dự kiến khôi phục", lambda: _chart(figures.recovery_by_domain(
            score.by_domain(plan), f"Điểm bị mất và dự kiến khôi phục theo lĩnh vực\n{f.describe()}"))))
    totals = common.query("stats_totals", f) if f.year else {}
    if totals and any(totals.values()):
        plan = result[0] if result else None
        cards = views.rate_cards(totals, plan)
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
        units = common.query("by_unit", f)
        slides.append(("Xếp hạng đơn vị", lambda: _chart(figures.unit_rates(
            units, "on_time_rate", targets.get("on_time_rate"),
            f"Xếp hạng đơn vị theo tỷ lệ đúng hạn\n{f.describe()}", max_units=20), height=880)))
    return slides


def _chart(fig, height: int = 760) -> None:
    common.show_chart(figures.for_projector(fig, height), key="slide_chart")


def _step(delta: int, count: int) -> None:
    st.session_state["slide"] = (st.session_state.get("slide", 0) + delta) % count


def run() -> None:
    st.html(HIDE_CHROME)
    f = common.filters()
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
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.button("◀ Trước", on_click=_step, args=(-1, count), shortcut="Left", key="slide_prev")
            st.button("Sau ▶", on_click=_step, args=(1, count), shortcut="Right", key="slide_next")
            st.space("stretch")
            st.markdown(f"<div class='slide-number'>{index + 1} / {count} · {html.escape(slides[index][0])}</div>",
                        unsafe_allow_html=True, width="content")
            st.link_button("Thoát trình chiếu", "?" + common.query_string(exclude=("trinh_chieu", "tu_dong")))
        slides[index][1]()

    show()
