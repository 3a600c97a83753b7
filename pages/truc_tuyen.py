"""Trực tuyến và BCCI: online level 3/4 and postal (BCCI) shares against their targets (7.2.x, 7.3.x)."""

import streamlit as st

from cchc import formatting as fmt
from cchc.score.metrics import RATES
from cchc.show import figures, views
from ui import common, fit, league

f = common.filters()
common.page_header("Dịch vụ công trực tuyến và bưu chính công ích (BCCI)")
common.page_tools("online")
totals = common.stats_or_stop(f)

plan = common.query("plan_for", f.year)
period = f.describe(common.organisation())
close_ratio = common.query("close_ratio", f.year)  # "Gần đạt" as a share of the target (Dữ liệu)
cards = views.rate_cards(totals, plan, views.ONLINE_RATES, close_ratio)
targets = {c.key: c.target for c in cards}
cols = st.grid(len(cards), min_column_width=220)  # fewer cards a row rather than cut ones
for card in cards:
    col = cols.cell()
    common.rate_metric(col, card)
    col.caption(f"{fmt.number(card.numerator)} / {fmt.number(card.denominator)} hồ sơ")

by_month = common.query("monthly", f)
if span_note := common.query("span_note", f):
    st.caption(span_note)
left, right = fit.columns(2, min_width=400, key="month_charts")  # monthly axes need the room
with left:
    common.show_chart(figures.monthly_rates(
        by_month, ("online_l3_share", "online_l4_share"), targets,
        f"Tỷ lệ hồ sơ trực tuyến mức độ 3, 4 trên hồ sơ mới tiếp nhận\n{period}"), key="online_month")
with right:
    common.show_chart(figures.monthly_rates(
        by_month, ("bcci_intake_share", "bcci_return_share"), targets,
        f"Tỷ lệ tiếp nhận và trả kết quả qua BCCI\n{period}"), key="bcci_month")

if totals["received_online_full"] or totals["received_online_partial"]:
    new_cards = views.rate_cards(totals, plan, views.NEW_ERA_RATES, close_ratio)
    common.show_chart(figures.monthly_rates(
        by_month, views.NEW_ERA_RATES, {c.key: c.target for c in new_cards},
        f"Dịch vụ công trực tuyến toàn trình và một phần (Nghị định 42/2022)\n{period}"), key="full_partial")

units = common.query("by_unit", f)
st.subheader("Theo đơn vị")
# short names: the four full ones overflow the tab row at 1024 px; each chart's title carries the full one
tabs = st.tabs([RATES[k].short or RATES[k].label for k in views.ONLINE_RATES])
for tab, key in zip(tabs, views.ONLINE_RATES):
    with tab:
        event = common.show_chart(figures.unit_rates(units, key, targets.get(key),
                                                     f"{RATES[key].label} theo đơn vị\n{period}",
                                                     close_ratio=close_ratio),
                                  key=f"units_{key}", on_select="rerun")
        points = (event or {}).get("selection", {}).get("points", []) if event else []
        if points:
            st.switch_page(common.UNIT_PAGE, query_params={"don_vi": figures.plot_plain(points[0]["y"])})

st.subheader("Đơn vị kéo tỷ lệ chung xuống dưới chỉ tiêu")
st.caption("Sắp xếp theo số hồ sơ còn thiếu để đơn vị đạt chỉ tiêu: đơn vị thiếu nhiều nhất ảnh hưởng lớn nhất "
           "đến tỷ lệ chung.")
key = st.radio("Chỉ tiêu", views.ONLINE_RATES, format_func=lambda k: RATES[k].label, horizontal=True,
               key="behind_rate")
behind = views.units_behind(units, key, targets.get(key))
if behind.empty:
    st.success("Không có đơn vị nào dưới chỉ tiêu này trong kỳ đã chọn.")
else:
    league.table(views.behind_table(behind.sort_values("gap", ascending=False), key, league.unit_changes()),
                 excel="Đơn vị dưới chỉ tiêu")

st.subheader("Số liệu theo đơn vị")
league.table(views.online_table(units, league.unit_changes()), excel="Số liệu trực tuyến và BCCI theo đơn vị",
             column_config={"Đơn vị": st.column_config.TextColumn(pinned=True)})
league.change_caption()
