"""Tiêu chí và điểm: status of every criterion, projected points per domain, deadlines, several years."""

import streamlit as st

from cchc import formatting as fmt
from cchc.score.status import STATUS_LABELS, STATUS_SYMBOLS
from cchc.show import figures, views
from ui import common, fit

f = common.filters()
common.page_header("Tiêu chí và điểm dự kiến")
common.page_tools("criteria")
result = common.query("plan_score", f)
if result is None:
    common.empty_state("kế hoạch nâng cao Chỉ số CCHC")
    st.stop()
common.illustrative_notice()
plan, score = result
period = f.describe(common.organisation())

cols = st.grid(4, min_column_width=190)  # two rows of two at 1024 px rather than cut values
cols.metric("Điểm bị mất", fmt.points(score.lost_total), border=True)
cols.metric("Dự kiến khôi phục", fmt.points(score.recovered), border=True,
           help="Tổng (điểm dự kiến − điểm thẩm định) của các tiêu chí đã có số liệu trong kỳ.")
cols.metric("Điểm dự kiến", f"{fmt.points(score.projected)} / {fmt.points(score.standard_total)}", border=True,
           help="Điểm thẩm định cộng phần dự kiến khôi phục; tiêu chí chưa có số liệu giữ nguyên điểm thẩm định.")
projection = common.query("year_end_projection", f)
if projection is not None:
    cols.metric("Dự báo cuối năm", f"{fmt.points(projection[1].projected)}", border=True,
               help="Nếu số liệu thống kê giữ xu hướng các tháng đã qua (dự báo, không phải kết quả).")
counts = score.status_counts()
st.markdown(" · ".join(f"{STATUS_SYMBOLS[s]} **{STATUS_LABELS[s]}**: {counts[s]}" for s in counts))

left, right = fit.columns([3, 2], min_width=320, key="domains")  # the donut goes under at 1024 px
with left:
    common.show_chart(figures.recovery_by_domain(score.by_domain(plan),
                                                 f"Điểm bị mất và dự kiến khôi phục theo lĩnh vực\n{period}"),
                      key="recovery_domains")
with right:
    common.show_chart(figures.status_donut(counts, f"Tình trạng {len(score.criteria)} tiêu chí\n{period}"),
                      key="criteria_donut")

st.subheader("Từng tiêu chí")
domain_names = {d.code: f"{d.code}. {d.name}" for d in plan.domains}
chosen = st.multiselect("Lĩnh vực", list(domain_names), format_func=domain_names.get, key="linh_vuc",
                        placeholder="Tất cả lĩnh vực")
table = views.score_table(score)
if chosen:
    table = table[[c.domain in chosen for c in score.criteria]]
common.dataframe(table, height=min(38 * (len(table) + 1), 900), excel="Tiêu chí và điểm dự kiến",
                 column_config=fit.criteria_columns(table))
with st.expander("Cách chấm điểm"):
    st.markdown("Mỗi tiêu chí có một cách chấm (sửa ở trang **Dữ liệu**): *Đạt ngưỡng* — đủ điểm khi đạt chỉ tiêu; "
                "*Theo dải* — một phần điểm theo mức đạt (mặc định cho 3.4: 100% đủ điểm, từ 95% nửa điểm); "
                "*Tỷ lệ* — điểm theo tỷ lệ đạt so với chỉ tiêu; *Nhập điểm* — theo báo cáo tiến độ (hoàn thành: đủ "
                "điểm). Tiêu chí chưa có số liệu giữ nguyên điểm thẩm định khi cộng điểm dự kiến.")

st.subheader("Thời hạn thực hiện")
due = common.query("deadlines", f)
if due.empty:
    st.caption("Không có thời hạn nào trong năm đã chọn.")
else:
    st.caption(f"Tính đến ngày {views.reference_date(f).strftime('%d/%m/%Y')}.")
    pressing = due[due["status"].isin(["overdue", "due_soon"])]
    if pressing.empty:
        st.success("Không có việc quá hạn hay sắp đến hạn.")
    else:
        pressing_table = views.deadlines_table(pressing)
        common.dataframe(pressing_table, excel="Việc quá hạn và sắp đến hạn",
                         column_config=fit.criteria_columns(pressing_table, fit.DEADLINE_NAME_WIDTHS))
    with st.expander(f"Tất cả {len(due)} thời hạn trong năm {f.year}"):
        due_table = views.deadlines_table(due)
        common.dataframe(due_table, column_config=fit.criteria_columns(due_table, fit.DEADLINE_NAME_WIDTHS))

years = common.query("years_comparison")
if years["plan_year"].nunique() > 1:
    st.subheader("So sánh các năm")
    common.show_chart(figures.years_lost(years, "Điểm bị mất theo lĩnh vực qua các năm thẩm định"), key="years")
    summary = years.groupby(["plan_year", "appraisal_year"], as_index=False)[["standard", "appraised", "lost",
                                                                            "recovered"]].sum()
    common.dataframe(summary.rename(columns={
        "plan_year": "Kế hoạch năm", "appraisal_year": "Thẩm định năm", "standard": "Điểm chuẩn",
        "appraised": "Điểm thẩm định", "lost": "Điểm bị mất", "recovered": "Dự kiến khôi phục"}))
