"""Giả định (what-if): move the measurable rates and tick the tasks, see the projected points move."""

import streamlit as st

from cchc import formatting as fmt
from cchc.read.targets import METRICS
from cchc.score import scoring
from cchc.show import figures, views
from ui import common
from ui.safe import md

HALF_PERCENTS = [i / 2 for i in range(201)]  # 0 to 100% in half points, shown the Vietnamese way

f = common.filters()
common.page_header("Giả định: làm gì để được nhiều điểm nhất?")
result = common.query("plan_score", f)
if result is None:
    common.empty_state("kế hoạch nâng cao Chỉ số CCHC")
    st.stop()
plan, current = result
st.caption("Kéo các tỷ lệ và đánh dấu nhiệm vụ hoàn thành để xem điểm dự kiến thay đổi. Giá trị ban đầu là số liệu "
           f"hiện có ({md(f.describe(common.organisation()))}). Đây là giả định, không lưu vào dữ liệu.")

summary = st.container()  # filled below, once the assumptions are read: the numbers stay on top
measurable = [c for c in current.criteria if c.target is not None]
tasks = [c for c in current.criteria if c.target is None]
overrides, done = {}, {}
left, right = st.columns([3, 2])
with left:
    st.markdown("**Các tỷ lệ đo được**")
    seen = set()
    for c in measurable:
        metric = c.target.metric
        if metric in seen:
            continue
        seen.add(metric)
        start = round((c.value if c.value is not None else 0.0) * 200) / 2  # the nearest half percent
        chosen = st.select_slider(md(f"{c.code} · {METRICS[metric].label if metric in METRICS else c.name} ")
                                  + f"(chỉ tiêu {views.target_text(c.target)})", options=HALF_PERCENTS, value=start,
                                  format_func=lambda v: fmt.number(v, 1) + "%", key=f"wi_{metric}")
        if abs(chosen - start) > 1e-9 or c.value is not None:
            overrides[metric] = round(chosen / 100, 6)
with right:
    st.markdown("**Nhiệm vụ (không có chỉ tiêu định lượng)**")
    for c in tasks:
        was_done = c.status == "met"
        toggled = st.toggle(md(f"{c.code} · {c.name}"), value=was_done, key=f"wi_task_{c.code}")
        if toggled != was_done or c.status != "no_data":  # an untouched task without data stays as appraised
            done[c.code] = toggled

what_if = common.query("plan_score", f, None, tuple(sorted(overrides.items())), tuple(sorted(done.items())))[1]
delta = what_if.projected - current.projected
cols = summary.columns(3)
cols[0].metric("Điểm dự kiến hiện tại", fmt.points(current.projected), border=True)
cols[1].metric("Điểm dự kiến theo giả định", fmt.points(what_if.projected),
               delta=f"{'+' if delta >= 0 else ''}{fmt.points(delta)} điểm", delta_color="normal", border=True)
cols[2].metric("Khôi phục theo giả định", f"{fmt.points(what_if.recovered)} / {fmt.points(what_if.lost_total)}",
               border=True)

rules = scoring.plan_rules(plan, common.query("rules_json_for", f.year))
gains = scoring.gains_if_met(plan, rules, what_if)
common.show_chart(figures.points_gain_bars(gains, "Việc đáng làm nhất: điểm thêm được nếu đạt chỉ tiêu\n"
                                                  "So với giả định đang chọn"), key="gains")
common.dataframe(views.score_table(what_if)[["Mã", "Tiêu chí", "Chỉ tiêu", "Hiện tại", "Tình trạng", "Điểm dự kiến",
                                            "Thay đổi", "Nguồn"]])
