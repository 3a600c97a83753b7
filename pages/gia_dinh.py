"""Giả định (what-if): move the measurable rates and tick the tasks, see the projected points move."""

import streamlit as st

from cchc import formatting as fmt
from cchc.score import scoring
from cchc.show import what_if
from ui import common
from ui.safe import md

# The chart column sticks beside the sliders while they scroll; below 1100 px the two columns stack, chart first,
# since a bar chart of long criterion names is unreadable in half of a narrow page.
LAYOUT_CSS = """<style>
.st-key-wi_layout [data-testid="stLayoutWrapper"]:has(> .st-key-wi_side) { position: sticky; top: 3.75rem; }
@media (max-width: 1100px) {
  .st-key-wi_layout [data-testid="stHorizontalBlock"] { flex-direction: column; }
  .st-key-wi_layout [data-testid="stColumn"] { width: 100% !important; flex: 1 1 auto !important; }
  .st-key-wi_layout [data-testid="stColumn"]:last-child { order: -1; }
  .st-key-wi_layout [data-testid="stLayoutWrapper"]:has(> .st-key-wi_side) { position: static; }
}
</style>"""

f = common.filters()
common.page_header("Giả định: làm gì để được nhiều điểm nhất?")
result = common.query("plan_score", f)
if result is None:
    common.empty_state("kế hoạch nâng cao Chỉ số CCHC")
    st.stop()
plan, current = result
st.caption("Kéo các tỷ lệ và đánh dấu nhiệm vụ hoàn thành để xem điểm dự kiến thay đổi. Giá trị ban đầu là số liệu "
           f"hiện có ({md(f.describe(common.organisation()))}); chỉ những gì bạn thay đổi mới được tính là giả định. "
           "Đây là giả định, không lưu vào dữ liệu.")
st.html(LAYOUT_CSS)

summary = st.container()  # filled below, once the assumptions are read: the numbers stay on top
sliders, toggles = what_if.rate_sliders(current), what_if.task_toggles(current)
with st.container(key="wi_layout"):
    inputs, side = st.columns([2, 3], gap="medium")
with inputs:
    st.markdown("**Các tỷ lệ đo được**")
    chosen = {s.metric: st.select_slider(md(s.label), options=s.options, value=s.start,
                                         format_func=what_if.percent_label, key=f"wi_{s.metric}")
              for s in sliders}
    st.markdown("**Nhiệm vụ (không có chỉ tiêu định lượng)**")
    ticked = {t.code: st.toggle(md(t.label), value=t.start, key=f"wi_task_{t.code}") for t in toggles}
overrides = what_if.rate_overrides(sliders, chosen)
done = what_if.task_overrides(toggles, ticked)

assumed = common.query("plan_score", f, None, tuple(sorted(overrides.items())), tuple(sorted(done.items())))[1]
delta = what_if.total_change(assumed, current)
cols = summary.columns(3)
cols[0].metric("Điểm dự kiến hiện tại", fmt.points(current.projected), border=True)
cols[1].metric("Điểm dự kiến theo giả định", fmt.points(assumed.projected),
               delta=f"{what_if.signed_points(delta)} điểm so với dự kiến hiện tại",
               delta_color="normal" if delta else "off", delta_arrow="auto" if delta else "off", border=True)
cols[2].metric("Khôi phục theo giả định", f"{fmt.points(assumed.recovered)} / {fmt.points(assumed.lost_total)}",
               border=True)

rules = scoring.plan_rules(plan, common.query("rules_json_for", f.year))
gains = scoring.gains_if_met(plan, rules, assumed)
with side, st.container(key="wi_side"):
    # the cards above scroll away with the sliders; this line stays in sight with the chart
    st.markdown(f"**Theo giả định: {fmt.points(assumed.projected)} điểm** "
                f"({what_if.signed_points(delta)} so với dự kiến hiện tại {fmt.points(current.projected)})")
    common.show_chart(what_if.gains_chart(gains), key="gains")
st.markdown("**Điểm từng tiêu chí theo giả định**")
common.dataframe(what_if.change_table(assumed, current), column_config={
    "Tiêu chí": st.column_config.TextColumn(width=300),  # long names would push "Thay đổi" out of sight
    "Thay đổi": st.column_config.TextColumn(help="Điểm theo giả định trừ điểm dự kiến hiện tại")})
