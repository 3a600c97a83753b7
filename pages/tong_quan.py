"""Tổng quan: where the points were lost, and how the measurable targets stand this year."""

import streamlit as st

from cchc import formatting as fmt
from cchc.score.status import STATUS_LABELS, STATUS_SYMBOLS
from cchc.show import figures, views
from ui import common, fit
from ui.safe import md

f = common.filters()
common.page_header("Tổng quan Chỉ số cải cách hành chính")
common.page_tools("overview")
plan = common.query("plan_for", f.year)
if plan is None:
    common.empty_state("kế hoạch nâng cao Chỉ số CCHC")
    st.stop()

common.illustrative_notice()
total = plan.total
_, score = common.query("plan_score", f)
appraised_label = md(f"{plan.appraisal_label} {plan.appraisal_year or ''}".strip())  # a header of the workbook
# five tracks, the headline on two: "8 / 19,25 điểm" whole; a narrower page drops tracks and the headline goes below
head = st.grid(5, min_column_width=170)
head.metric("Điểm chuẩn", fmt.points(total["standard"]))
head.metric(appraised_label, fmt.points(total["appraised"]))
head.metric("Điểm bị mất", fmt.points(total["lost"]))
head.cell(column_span=2).metric("Dự kiến khôi phục", f"{fmt.points(score.recovered)} / {fmt.points(total['lost'])} điểm",
               delta=f"Điểm dự kiến {fmt.points(score.projected)}", delta_color="blue", delta_arrow="off",
               border=True, help="Theo số liệu và báo cáo tiến độ của kỳ đã chọn; tiêu chí chưa có số liệu giữ "
                                 "nguyên điểm thẩm định.")
projection = common.query("year_end_projection", f)
caption = f"{md(plan.title)} · Kế hoạch năm {plan.plan_year}"
if projection is not None:
    caption += (f" · Dự báo cuối năm (nếu giữ xu hướng hiện nay): khôi phục "
                f"{fmt.points(projection[1].recovered)} điểm, đạt {fmt.points(projection[1].projected)} điểm")
st.caption(caption)

totals = common.query("stats_totals", f)
counts = score.status_counts()

left, right = fit.columns([3, 2], min_width=320, key="domains")  # the donut goes under at 1024 px
with left:
    domains = views.domain_lost(plan)
    # builders and their arguments, not built figures: each chart is built once per data and filters (ui.figure_cache)
    event = common.show_chart(figures.domain_lost_bar,
        domains, f"Điểm bị mất theo lĩnh vực: tổng {fmt.points(total['lost'])} điểm\n"
                 f"Kết quả thẩm định Chỉ số CCHC năm {plan.appraisal_year or ''}", key="domain_lost",
        on_select="rerun")
    st.caption("Bấm vào một lĩnh vực để xem các tiêu chí bị mất điểm của lĩnh vực đó.")
with right:
    common.show_chart(figures.status_donut, counts, f"Tình trạng {len(plan.criteria)} tiêu chí\n"
                                                    f"{fmt.period_range_label(f.start, f.end)}", key="status_donut")
    st.markdown(" · ".join(f"{STATUS_SYMBOLS[s]} **{STATUS_LABELS[s]}**: {counts[s]}" for s in counts))

points = (event or {}).get("selection", {}).get("points", []) if event else []
if points:
    code = figures.plot_plain(points[0]["y"]).split(".")[0]
    chosen = next((d for d in plan.domains if d.code == code), None)
    if chosen is not None:
        st.subheader(f"Lĩnh vực {md(f'{chosen.code}. {chosen.name}')}: {fmt.points(chosen.lost)} điểm bị mất")
        members = [c for c in score.criteria if c.domain == chosen.code]
        common.score_table(views.score_table(views.PlanScoreView(members)), f"Tiêu chí lĩnh vực {chosen.code}")

has_stats = any(totals.values())
if not has_stats:
    common.empty_state(f"số liệu thống kê TTHC cho {f.describe(common.organisation())}")
else:
    cards = views.rate_cards(totals, plan, close_ratio=common.query("close_ratio", f.year))
    common.show_chart(figures.rates_vs_targets,
                      cards, f"Kết quả so với chỉ tiêu\n{f.describe(common.organisation())}", key="rates_vs_targets")
    card_grid = st.grid(3, min_column_width=260)  # 3 cards a row at 1280 px, 2 at 1024 px
    for card in cards:
        common.rate_metric(card_grid.cell(), card)

    from ui import league

    league.units_behind_section(common.query("by_unit", f), plan)  # every measured target, not only on time

st.subheader("Các tiêu chí và chỉ tiêu")
criteria = views.score_table(score)
st.caption("Nguồn và căn cứ của từng số có trong tệp Excel và ở trang Tiêu chí và điểm.")
common.score_table(criteria, "Các tiêu chí và chỉ tiêu")
st.page_link("pages/tieu_chi.py", label="Xem chi tiết điểm dự kiến, thời hạn và so sánh các năm",
             icon=":material/arrow_forward:")
