"""Đơn vị: one agency or commune — its criteria, its monthly figures, and how it compares with its level."""

import streamlit as st
from streamlit.errors import StreamlitAPIException

from cchc import rights
from cchc.show import figures, views
from cchc.store.database import StorageError
from ui import common, fit
from ui.safe import md

# Least widths (px) of the agency's criteria tables: 556 in all, what a table gets at 1024 px with the sidebar open;
# wider screens share out the rest. "– Chưa có số liệu", "Nhiệm vụ" and "1,5 điểm" fit whole.
CRITERIA_COLUMNS = {
    "Mã": st.column_config.TextColumn(width=52, pinned=True),
    "Tiêu chí": st.column_config.TextColumn(width=220),
    "Tình trạng": st.column_config.TextColumn(width=124),
    "Chỉ tiêu": st.column_config.TextColumn(width=80),
    "Hiện tại": st.column_config.TextColumn(width=80),
}

f = common.filters()
organisation = common.organisation()
registry = common.registry()
stats_units = common.query("stats_units")
known = [a.name for a in registry.units() if a.kind != "partner"]
options = list(dict.fromkeys([*stats_units["unit"].tolist(), *known]))

# A link may name the unit by a short name or alias (?don_vi=Ia Tul): resolve it before the widget reads it. The
# widget would drop a value that is not one of its options from the address (and "Sao chép liên kết" with it), so
# the address gets the full name and the page starts over, the widget then reading the name from it.
asked = st.query_params.get("don_vi")
if asked and asked not in options:
    agency = registry.lookup(asked)
    if agency is not None and agency.name in options:
        try:
            st.query_params["don_vi"] = agency.name
        except StreamlitAPIException:  # already bound (back to an alias link in this page's history): as before
            st.session_state["don_vi"] = agency.name
        else:
            st.rerun()

st.title("Đơn vị")
common.illustrative_notice()
unit = st.selectbox("Chọn cơ quan, đơn vị hoặc xã", options, index=None, key="don_vi", bind="query-params",
                    placeholder="Gõ tên để tìm…")
if unit is None:
    if asked:
        st.warning(f"Không tìm thấy đơn vị “{md(asked)}”. Hãy chọn trong danh sách.")
    st.info("Chọn một đơn vị (hoặc bấm vào một dòng của bảng xếp hạng) để xem các tiêu chí đơn vị chủ trì, phối "
            "hợp và số liệu của đơn vị.")
    from ui import league

    league.league_section()
    st.stop()

common.page_tools("unit", unit)
level = registry.level_of(unit) or next(iter(stats_units.loc[stats_units["unit"] == unit, "level"]), "")
st.caption(md(f"{organisation.level_label(level) if level else 'Chưa rõ cấp'} · {f.describe(organisation)}"))

plan = common.query("plan_for", f.year)
unit_totals = common.query("stats_totals", views.Filters(f.year, f.month_from, f.month_to, ""), (unit,)) \
    if f.year else None
has_stats = bool(unit_totals and any(unit_totals.values()))

st.subheader("Tiêu chí đơn vị chủ trì và phối hợp")
if plan is None:
    common.empty_state("kế hoạch")
else:
    groups = registry.group_members(set(stats_units["unit"]))
    leads, supports = views.unit_criteria(plan, unit, level, groups)
    _, score = common.query("plan_score", f)  # the overview's scoring, so both pages give the same verdicts
    status = views.criteria_status(plan, score)
    st.caption(md(f"Tình trạng tính cho cả {organisation.name} ({f.describe(organisation)}), đúng như trang Tổng "
                  "quan: theo số liệu thống kê TTHC, số liệu thủ tục và báo cáo tiến độ."))
    # Stacked, one above the other, at CRITERIA_COLUMNS' widths: status, target and value stay in view without
    # scrolling sideways at 1024 px; a long name wraps on up to four lines (whole in the cell's overlay and Excel).
    for role, title, codes in (("lead", "Chủ trì", leads), ("support", "Phối hợp", supports)):
        st.markdown(f"**{title}: {len(codes)} tiêu chí**")
        if codes:
            table = views.criteria_table(status[status["code"].isin(codes)], views.AGENCY_CRITERIA_COLUMNS)
            common.dataframe(table, excel=f"Tiêu chí {title.lower()} - {unit}", key=f"criteria_{role}",
                             column_config=CRITERIA_COLUMNS, **fit.wrapped_rows(table["Tiêu chí"], 220))
        else:
            st.caption("Không có tiêu chí nào.")

    if leads:
        st.subheader("Thời hạn các việc đơn vị chủ trì")
        due = common.query("deadlines", f, None, tuple(leads))
        pressing = due[due["status"].isin(["overdue", "due_soon"])] if len(due) else due
        if due.empty:
            st.caption("Không có thời hạn nào trong năm đã chọn.")
        elif pressing.empty:
            st.success("Không có việc quá hạn hay sắp đến hạn.")
        else:
            common.dataframe(views.deadlines_table(pressing))

        st.subheader("Báo cáo tiến độ của đơn vị")
        entries = views.progress_entry_frame(common.get_store(), plan, unit, f)
        if entries.empty:
            st.caption("Đơn vị không chủ trì tiêu chí nào cần báo cáo tiến độ.")
        elif not common.can("enter_progress", unit):
            common.dataframe(entries)
            common.no_right(f"nhập tiến độ của {md(unit)}")
        else:
            st.caption("Sửa trực tiếp trong bảng rồi bấm Lưu. Mỗi lần lưu ghi lại người nhập và thời điểm.")
            edited = st.data_editor(
                entries, hide_index=True, width="stretch", key=f"progress_{unit}",
                disabled=[views.ENTRY_COLUMNS["code"]],
                column_config={views.ENTRY_COLUMNS["status"]: st.column_config.SelectboxColumn(
                    options=["", *views.PROGRESS_STATUS_LABELS])})
            if st.button("Lưu báo cáo tiến độ", key="save_progress"):
                records, errors = views.entries_to_progress(entries, edited, plan, unit)
                if errors:
                    for message in errors:  # they quote the unit, codes and cells
                        st.error(md(message))
                elif records.empty:
                    st.info("Không có thay đổi nào.")
                else:
                    try:  # the account's right to this agency's progress is checked again in cchc, on the server
                        rights.enter_progress(common.get_store(), common.current_account(), records,
                                              user=common.current_user())
                    except (rights.NotAllowed, StorageError) as refused:
                        st.error(md(refused.message), icon=":material/block:")  # it names the account, agency
                    else:
                        st.cache_data.clear()
                        st.success(f"Đã lưu {len(records)} báo cáo tiến độ của {md(unit)}.")
                        st.rerun()

st.subheader("Số liệu giải quyết hồ sơ của đơn vị")
if not has_stats:
    st.info(f"Chưa có số liệu thống kê TTHC của {md(unit)} trong kỳ đã chọn.")
    st.stop()

unit_filters = views.Filters(f.year, f.month_from, f.month_to, "")
by_month = common.query("monthly", unit_filters, (unit,))
if span_note := common.query("span_note", unit_filters, (unit,)):
    st.caption(span_note)
cards = views.rate_cards(unit_totals, plan, close_ratio=common.query("close_ratio", f.year))
targets = {c.key: c.target for c in cards}
cols = st.columns(3)
for i, card in enumerate(cards):
    common.rate_metric(cols[i % 3], card, units=(unit,))  # the unit's own change, not a guessed scope

left, right = st.columns(2)
with left:
    common.show_chart(figures.monthly_rates(by_month, ("on_time_rate",), targets,
                                            f"Tỷ lệ giải quyết đúng hạn theo tháng\n{unit}"), key="unit_on_time")
with right:
    common.show_chart(figures.monthly_rates(by_month, ("online_l3_share", "online_l4_share"), targets,
                                            f"Tỷ lệ trực tuyến mức độ 3, 4 theo tháng\n{unit}"),
                      key="unit_online")

level_rates = common.query("level_average", unit_filters, level)
unit_rates = {c.key: c.value for c in cards}
level_name = f"Bình quân {organisation.level_label(level).lower()}" if level else "Bình quân chung"
common.show_chart(figures.unit_vs_level(unit_rates, level_rates, views.HEADLINE_RATES, targets, unit, level_name,
                                        f"{unit} so với {level_name.lower()}\n{f.describe(organisation)}"),
                  key="unit_vs_level")
st.caption("Bình quân của cấp = tổng số hồ sơ của mọi đơn vị cùng cấp chia nhau, không phải trung bình các tỷ lệ.")

st.subheader("Số liệu từng tháng")
common.dataframe(views.monthly_table(by_month), excel=f"Số liệu từng tháng - {unit}")
