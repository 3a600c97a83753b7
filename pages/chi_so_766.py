"""Chỉ số 766: the National Public Service Portal's QĐ 766 scores — the organisation's own over time, every unit
ranked for a period, those under the thresholds, one unit's trend, and the TTHC figures beside the scores."""

import streamlit as st

from cchc import formatting as fmt
from cchc import rights
from cchc.fields import INDEX766_LABELS
from cchc.sample.index766 import TEMPLATE_FILE
from cchc.show import index766 as view
from cchc.show.excel import XLSX_MIME, to_xlsx
from cchc.store.database import StorageError
from ui import common, league
from ui.safe import md

TABLE_KEY = "bang_chi_so_766"  # + the period: a selection belongs to the table it was made in
VERDICT_COLORS = {"better": "green", "worse": "red", "equal": "yellow", "": "gray"}
PERIODS = {view.PERIOD_HEADER: st.column_config.TextColumn(pinned=True)}  # a unit's periods: the period pinned


def excel(frame, title: str) -> None:
    """"Tải Excel" of a table titled with its own period (common.excel_button would add the sidebar's months,
    which are not this page's period)."""
    plain = frame.copy()
    plain.attrs = {}
    st.download_button("Tải Excel", lambda: to_xlsx(plain, title=title), file_name=f"{common._slug(title)}.xlsx",
                       icon=":material/download:", mime=XLSX_MIME, key=f"xlsx_{common._slug(title)}",
                       type="tertiary")


def table_height(rows: int) -> int:
    return min(35 * (rows + 1) + 3, league.TABLE_MAX_HEIGHT)


f = common.filters()
organisation = common.organisation()
registry = common.registry()
level_labels = dict(organisation.levels)

st.title("Chỉ số 766")
st.caption("Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg): điểm Cổng Dịch vụ công quốc gia chấm "
           "từng cơ quan, đơn vị, nhập từ bảng điểm của Cổng. Phần mềm không tự tính điểm này.")

periods = common.query("index766_periods")
if not periods:
    st.info("Chưa có điểm Bộ chỉ số 766. Hãy tải lên ở trang **Dữ liệu** bảng điểm xuất từ Cổng Dịch vụ công quốc "
            "gia (mỗi dòng một đơn vị: các nhóm Công khai, minh bạch; Tiến độ giải quyết; Dịch vụ công trực tuyến; "
            "Thanh toán trực tuyến; Mức độ hài lòng; Số hóa hồ sơ; tổng điểm, xếp hạng), hoặc tệp mẫu dưới đây đã "
            "chép điểm vào. Kỳ đánh giá (tháng, quý, năm) ghi ở một cột, ở tiêu đề hoặc ở tên sheet.",
            icon=":material/folder_open:")
    st.page_link(common.DATA_PAGE, label="Đến trang Dữ liệu để tải bảng điểm lên", icon=":material/upload:")
    st.download_button("Tải tệp mẫu (mau_chi_so_766.xlsx)", TEMPLATE_FILE.read_bytes(), file_name=TEMPLATE_FILE.name,
                       mime=XLSX_MIME, icon=":material/download:", key="mau_chi_so_766")
    st.stop()

scores = common.query("index766_scores")
maxima = common.query("index766_maxima")
low, high = common.query("index766_thresholds")
ceiling = sum(maxima.values())
period = st.selectbox("Kỳ đánh giá", view.ordered_periods(periods), key="ky_766", bind="query-params",
                      format_func=view.period_name)
previous = view.previous_period(period)
period_name, previous_name = view.period_name(period), view.period_name(previous)
level_text = common.level_label(f.level)
st.caption(md(f"{level_text}; so sánh với {previous_name.lower()}. Kỳ đánh giá chọn ở đây: năm và tháng ở thanh bên "
              "là của số liệu thống kê TTHC, còn cấp ở thanh bên được áp dụng cho bảng xếp hạng."))

# ---- 1. the organisation's own score and rank over time
st.subheader(f"Điểm của {md(organisation.name)}")
own = view.organisation_rows(scores, organisation.name, registry)
if own.empty:
    st.info(md(f"Các bảng điểm đã nhập không có dòng nào của {organisation.name}: chỉ có điểm của các cơ quan, đơn "
               f"vị, xã. Muốn theo dõi điểm của {organisation.name}, hãy nhập bảng điểm có dòng đó (tên như trong "
               "tệp to_chuc.json hoặc một tên gọi khác khai trong danh mục đơn vị)."), icon=":material/info:")
else:
    own_unit = own["unit"].iloc[-1]
    own_history = view.unit_history(scores, own_unit)
    cards = st.columns(3)
    shown = view.own_figures(scores, own_unit, period)
    if shown is None:
        cards[0].metric(f"Tổng điểm · {period_name}", "–", border=True, help="Chưa có điểm của kỳ này.")
    else:
        cards[0].metric(f"Tổng điểm · {period_name}", shown["total"],
                        delta=f"{shown['change']} so với {previous_name.lower()}", delta_arrow="off",
                        delta_color=VERDICT_COLORS[shown["verdict"]], border=True)
        cards[1].metric("Hạng theo tổng điểm", shown["place"], border=True,
                        help="Thứ hạng trong các đơn vị có tổng điểm cùng kỳ trong bảng điểm đã nhập.")
        cards[2].metric("Hạng trên Cổng", shown["rank"], border=True,
                        help="Thứ hạng do Cổng công bố, như ghi trong tệp; – là tệp không ghi.")
    common.show_chart(view.total_figure(own_history, f"Tổng điểm của {organisation.name} qua các kỳ\n"
                                        f"Đường đứt nét: ngưỡng {fmt.points(low)} và {fmt.points(high)} điểm",
                                        (low, high), ceiling), key="chi_so_766_to_chuc")
    own_table = view.history_table(own_history, maxima)
    league.table(own_table, key="chi_so_766_to_chuc_bang", height=table_height(len(own_table)), column_config=PERIODS)
    excel(own_table, f"Chỉ số 766 - {organisation.name}")

# ---- 2. every unit ranked for the period
st.subheader(f"Xếp hạng các đơn vị · {period_name}")
now = view.ranked(view.with_changes(view.in_period(scores, period, f.level), view.in_period(scores, previous)))
if now.empty:
    st.info(md(f"Không có điểm của {level_text.lower()} trong kỳ {period_name.lower()}."))
    st.stop()
ranking = view.ranking_table(now, maxima, level_labels)
st.caption(md(f"{len(ranking)} đơn vị, {level_text.lower()}; xếp theo tổng điểm (bằng điểm thì cùng hạng). Thay đổi "
              f"tổng điểm so với {previous_name.lower()}: ▲ tăng, nền xanh; ▼ giảm, nền đỏ; = không đổi, nền vàng; – "
              "là kỳ trước không có điểm. Bấm vào một dòng để xem diễn biến của đơn vị."))
# rank and unit pinned while the groups scroll sideways (1024 px); the Excel file keeps the full headers
config = {view.RANK_HEADER: st.column_config.TextColumn(pinned=True, alignment="right"),
          view.UNIT_HEADER: st.column_config.TextColumn(pinned=True),
          view.CHANGE_HEADER: st.column_config.TextColumn("± kỳ trước",
                                                          help=f"Tổng điểm so với {previous_name.lower()}")}
config.update({view.group_header(g, maxima): st.column_config.TextColumn(help=INDEX766_LABELS[g])
               for g in view.GROUPS})
event = league.table(ranking, key=f"{TABLE_KEY}_{period}", on_select="rerun", selection_mode="single-row",
                     column_config=config, height=table_height(len(ranking)))
excel(ranking, f"Xếp hạng Chỉ số 766 - {period_name}")

# ---- 3. the bottom and the units under the thresholds
st.markdown("**Đơn vị cần chú ý**")
st.markdown("\n".join(f"- {md(line)}" for line in view.threshold_lines(now, low, high)))
with st.expander(f"Ngưỡng điểm: {fmt.points(low)} và {fmt.points(high)}"):
    if common.can("edit_targets"):
        left, right = st.columns(2)
        new_low = left.text_input("Ngưỡng dưới (điểm)", fmt.points(low), key="nguong_duoi")
        new_high = right.text_input("Ngưỡng trên (điểm)", fmt.points(high), key="nguong_tren")
        if st.button("Lưu ngưỡng", key="save_thresholds"):
            try:  # the right is checked again in cchc (rights.py), on the server
                rights.set_index766_thresholds(common.get_store(), common.current_account(), new_low.strip(),
                                               new_high.strip(), user=common.current_user())
            except (rights.NotAllowed, StorageError) as refused:
                st.error(md(refused.message), icon=":material/block:")
            except ValueError as wrong:
                st.error(md(str(wrong)), icon=":material/error:")
            else:
                st.cache_data.clear()
                st.toast("Đã lưu ngưỡng điểm mới.", icon=":material/check:")
                st.rerun()
        st.caption("Mỗi lần lưu là một phiên bản trong lịch sử (trang Dữ liệu), khôi phục được như chỉ tiêu.")
    else:
        st.caption(md(f"Đơn vị dưới {fmt.points(low)} điểm và từ {fmt.points(low)} đến dưới {fmt.points(high)} "
                      "điểm được nêu tên ở trên."))
        common.no_right("sửa ngưỡng điểm")
    versions = common.query("index766_thresholds_versions")
    if len(versions):
        common.dataframe(view.thresholds_versions_table(versions))

# ---- 4. a clicked unit's trend
rows = list((event or {}).get("selection", {}).get("rows") or [])
if rows and rows[0] < len(ranking):
    unit = ranking[view.UNIT_HEADER].iloc[rows[0]]
    st.subheader(f"Diễn biến: {md(unit)}")
    history = view.unit_history(scores, unit)
    left, right = st.columns(2)
    with left:
        common.show_chart(view.total_figure(history, f"Tổng điểm qua các kỳ\n{unit}", (low, high), ceiling),
                          key="chi_so_766_don_vi_tong")
    with right:
        common.show_chart(view.groups_figure(history, maxima, f"Điểm sáu nhóm chỉ số qua các kỳ\n{unit}"),
                          key="chi_so_766_don_vi_nhom")
    unit_table = view.history_table(history, maxima)
    league.table(unit_table, key="chi_so_766_don_vi_bang", height=table_height(len(unit_table)), column_config=PERIODS)
    excel(unit_table, f"Chỉ số 766 - {unit}")
else:
    st.caption("Bấm vào một dòng của bảng xếp hạng để xem tổng điểm và điểm sáu nhóm của đơn vị qua các kỳ.")

# ---- 5. the TTHC statistics beside the scores
st.subheader(f"Điểm và số liệu thống kê TTHC · {period_name}")
stats = common.query("index766_stats", period, tuple(now["unit"]))
if stats.empty:
    st.info(md(f"Chưa có số liệu thống kê TTHC của các đơn vị này trong {period_name.lower()}."))
else:
    st.caption("Tiến độ giải quyết (TDGQ) đặt cạnh tỷ lệ hồ sơ giải quyết đúng hạn, Dịch vụ công trực tuyến (DVCTT) "
               "cạnh tỷ lệ hồ sơ tiếp nhận trực tuyến, cùng đơn vị và cùng các tháng của kỳ. Tỷ lệ = tổng số hồ sơ "
               "các tháng cộng dồn rồi mới chia. Cổng chấm điểm theo phương pháp riêng, nên điểm không suy ra được "
               "từ tỷ lệ; hai cột đặt cạnh nhau để thấy điểm đến từ đâu.")
    beside = view.beside_table(now, stats, maxima)
    common.dataframe(beside, height=table_height(len(beside)), column_config=league.column_widths(
        beside, {view.UNIT_HEADER: st.column_config.TextColumn(pinned=True)}))
    excel(beside, f"Chỉ số 766 và số liệu TTHC - {period_name}")
