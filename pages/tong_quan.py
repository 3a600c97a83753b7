"""Tổng quan: where the points were lost, and how the measurable targets stand this year."""

import streamlit as st

from cchc import figures, views
from cchc import formatting as fmt
from cchc.status import STATUS_LABELS, STATUS_SYMBOLS
from ui import common

f = common.filters()
common.page_header("Tổng quan Chỉ số cải cách hành chính")
plan = common.query("plan_for", f.year)
if plan is None:
    common.empty_state("kế hoạch nâng cao Chỉ số CCHC")
    st.stop()

common.illustrative_notice()
total = plan.total
appraised_label = f"Điểm thẩm định {plan.appraisal_year}" if plan.appraisal_year else "Điểm thẩm định"
cols = st.columns(4)
cols[0].metric("Điểm chuẩn", fmt.points(total["standard"]))
cols[1].metric(appraised_label, fmt.points(total["appraised"]))
cols[2].metric("Điểm bị mất", fmt.points(total["lost"]))
cols[3].metric("Tiêu chí cần khắc phục", f"{len(plan.criteria)}")
st.caption(f"{plan.title} · Kế hoạch năm {plan.plan_year}")

totals = common.query("stats_totals", f)
status = views.criteria_status(plan, totals)
counts = views.status_counts(status)

left, right = st.columns([3, 2])
with left:
    domains = views.domain_lost(plan)
    common.show_chart(figures.domain_lost_bar(
        domains, f"Điểm bị mất theo lĩnh vực: tổng {fmt.points(total['lost'])} điểm\n"
                 f"Kết quả thẩm định Chỉ số CCHC năm {plan.appraisal_year or ''}"), key="domain_lost")
with right:
    common.show_chart(figures.status_donut(counts, f"Tình trạng {len(plan.criteria)} tiêu chí\n"
                                                   f"{fmt.period_range_label(f.start, f.end)}"), key="status_donut")
    st.markdown(" · ".join(f"{STATUS_SYMBOLS[s]} **{STATUS_LABELS[s]}**: {counts[s]}" for s in counts))

has_stats = any(totals.values())
if not has_stats:
    common.empty_state(f"số liệu thống kê TTHC cho {f.describe(common.organisation())}")
else:
    cards = views.rate_cards(totals, plan)
    common.show_chart(figures.rates_vs_targets(
        cards, f"Kết quả so với chỉ tiêu\n{f.describe(common.organisation())}"), key="rates_vs_targets")
    metric_cols = st.columns(3)
    for i, card in enumerate(cards):
        common.rate_metric(metric_cols[i % 3], card)

    units = common.query("by_unit", f)
    on_time_target, _ = views.target_for(plan, "on_time_rate")
    behind = views.units_behind(units, "on_time_rate", on_time_target)
    st.subheader("Đơn vị chưa đạt chỉ tiêu giải quyết đúng hạn")
    if behind.empty:
        st.success("Tất cả đơn vị đều đạt chỉ tiêu giải quyết đúng hạn trong kỳ này.")
    else:
        common.dataframe(views.behind_table(behind, "on_time_rate"))

st.subheader("Các tiêu chí và chỉ tiêu")
common.dataframe(views.criteria_table(status), height=min(38 * (len(status) + 1), 700))
