"""Giải quyết hồ sơ: on-time processing by month and by unit, late dossiers and apologies (3.4, 3.7)."""

import streamlit as st

from cchc import formatting as fmt
from cchc.show import figures, views
from ui import common, fit, league

f = common.filters()
common.page_header("Giải quyết hồ sơ thủ tục hành chính")
common.page_tools("processing")
totals = common.stats_or_stop(f)

plan = common.query("plan_for", f.year)
on_time_target, _ = views.target_for(plan, "on_time_rate")
apology_target, _ = views.target_for(plan, "apology_rate")
close_ratio = common.query("close_ratio", f.year)  # "Gần đạt" as a share of the target (Dữ liệu)
cards = {c.key: c for c in views.rate_cards(totals, plan, ("on_time_rate", "late_rate", "apology_rate"),
                                            close_ratio=close_ratio)}
period = f.describe(common.organisation())

# five fixed columns left a card 100 px at 1024 px ("9…", "Gần …"): the grid drops columns instead
cols = st.grid(5, min_column_width=200)
common.rate_metric(cols.cell(), cards["on_time_rate"])
cols.metric("Hồ sơ đã giải quyết", fmt.number(totals["resolved_total"]), border=True)
cols.metric("Giải quyết quá hạn", fmt.number(totals["resolved_late"]), border=True)
cols.metric("Đang giải quyết quá hạn", fmt.number(totals["pending_overdue"]), border=True)
common.rate_metric(cols.cell(), cards["apology_rate"])

by_month = common.query("monthly", f)
if span_note := common.query("span_note", f):
    st.caption(span_note)
common.show_chart(figures.monthly_rates(by_month, ("on_time_rate",), {"on_time_rate": on_time_target},
                                        f"Tỷ lệ hồ sơ giải quyết đúng hạn theo tháng\n{period}"), key="on_time_month")

units = common.query("by_unit", f)
left, right = fit.columns([3, 2], min_width=320, key="units_months")
with left:
    event = common.show_chart(
        figures.unit_rates(units, "on_time_rate", on_time_target,
                           f"Xếp hạng đơn vị theo tỷ lệ đúng hạn\n{period}", close_ratio=close_ratio),
        key="on_time_units", on_select="rerun")
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points:
        # the bar's label is the name escaped for Plotly: the unit is the name behind it
        st.switch_page(common.UNIT_PAGE, query_params={"don_vi": figures.plot_plain(points[0]["y"])})
    st.caption("Bấm vào cột của một đơn vị để mở trang đơn vị đó.")
with right:
    common.show_chart(figures.monthly_counts(by_month, {
        "resolved_early": ("Trước hạn", "#56B4E9"), "resolved_on_time": ("Đúng hạn", "#0072B2"),
        "resolved_late": ("Quá hạn", "#D55E00")}, f"Hồ sơ đã giải quyết theo tháng\n{period}"), key="resolved_month")

st.subheader("Hồ sơ quá hạn và văn bản xin lỗi (tiêu chí 3.7)")
left, right = fit.columns(2, min_width=400, key="late")  # monthly axes need the room
with left:
    common.show_chart(figures.monthly_rates(by_month, ("apology_rate",), {"apology_rate": apology_target},
                                            f"Tỷ lệ hồ sơ quá hạn có văn bản xin lỗi theo tháng\n{period}"),
                      key="apology_month")
with right:
    overdue = units[(units["resolved_late"] + units["pending_overdue"]) > 0].copy()
    overdue["late_total"] = overdue["resolved_late"] + overdue["pending_overdue"]
    common.show_chart(figures.monthly_counts(by_month, {
        "resolved_late": ("Đã giải quyết quá hạn", "#D55E00"), "pending_overdue": ("Đang giải quyết quá hạn", "#CC79A7"),
        "late_apologies": ("Có văn bản xin lỗi", "#009E73")},
        f"Hồ sơ quá hạn và văn bản xin lỗi theo tháng\n{period}", stacked=False), key="late_month")

st.subheader("Số liệu theo đơn vị")
st.caption("Mọi tỷ lệ được tính từ tổng số hồ sơ của cả kỳ (không lấy trung bình các tháng).")
league.table(views.processing_table(units, on_time_target, league.unit_changes(), close_ratio),
             excel="Số liệu giải quyết hồ sơ theo đơn vị", column_config={"Đơn vị": st.column_config.TextColumn(
                 pinned=True)})
league.change_caption()
