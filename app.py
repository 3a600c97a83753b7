"""CCHC dashboard: navigation and the shared filters (year, months, level) kept in the URL."""

import logging

import streamlit as st

from cchc import web_page
from cchc.show import views
from ui import auth, common, fit, vietnamese
from ui.safe import md

# the icon ships with the app: a :material/…: icon would be fetched from Google's font servers for the tab
st.set_page_config(page_title=web_page.TITLE, page_icon=str(vietnamese.PAGE_ICON), layout="wide",
                   initial_sidebar_state="expanded")

st.html("""<style>
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; }
h1 { font-size: 2.2rem !important; }
</style>""")
vietnamese.apply()  # Streamlit's own English (uploader, pickers, table toolbars, dialogs) in Vietnamese

pages = {
    "Điều hành": [
        st.Page("pages/tong_quan.py", title="Tổng quan", icon=":material/dashboard:", default=True),
        st.Page("pages/giai_quyet.py", title="Giải quyết hồ sơ", icon=":material/timer:", url_path="giai-quyet"),
        st.Page("pages/truc_tuyen.py", title="Trực tuyến và BCCI", icon=":material/language:", url_path="truc-tuyen"),
        st.Page("pages/tieu_chi.py", title="Tiêu chí và điểm", icon=":material/checklist:", url_path="tieu-chi"),
        st.Page("pages/gia_dinh.py", title="Giả định", icon=":material/tune:", url_path="gia-dinh"),
        st.Page(common.UNIT_PAGE, title="Đơn vị", icon=":material/apartment:", url_path=common.UNIT_PATH),
        st.Page("pages/chi_so_766.py", title="Chỉ số 766", icon=":material/leaderboard:", url_path="chi-so-766"),
    ],
    "Quản trị": [
        st.Page("pages/du_lieu.py", title="Dữ liệu", icon=":material/upload_file:", url_path="du-lieu"),
    ],
}
st.session_state["_run_id"] = st.session_state.get("_run_id", 0) + 1  # keys the once-per-run data version
navigation = st.navigation(pages)
st.session_state["page_url_path"] = navigation.url_path

store = common.get_store()
with st.sidebar:
    common.login_box()
if common.login_required() and common.current_account() is None:
    st.title("Bảng điều hành Chỉ số CCHC")
    st.info("Cần đăng nhập để xem bảng điều hành.", icon=":material/lock:")
    auth.login_button(primary=True)
    st.stop()
organisation = common.organisation()
periods = common.query("stats_periods")
years = sorted({int(p[:4]) for p in periods} | set(common.query("plan_years")))

with st.sidebar:
    st.markdown(f"### {md(organisation.name)}")
    if years:
        year = st.selectbox("Năm", years, index=len(years) - 1, key="nam", bind="query-params",
                            persist_state="session")
        month_from, month_to = st.select_slider(
            "Kỳ báo cáo (tháng)", options=list(range(1, 13)), value=(1, 12), key="thang", bind="query-params",
            format_func=common.month_label, persist_state="session")
        levels = ["", *(code for code, _ in organisation.levels)]
        level = st.selectbox("Cấp", levels, key="cap", bind="query-params", persist_state="session",
                             format_func=common.level_label)
        in_year = [int(p[5:]) for p in periods if p.startswith(str(year))]
        # The label states the months that really have data, not an empty tail of the slider.
        shown_to = min(month_to, max(in_year)) if in_year and month_from <= max(in_year) else month_to
        st.session_state["filters"] = views.Filters(int(year), int(month_from), int(shown_to), level or "")
        if in_year:
            st.caption(f"Số liệu thống kê năm {year}: tháng {min(in_year):02d} đến {max(in_year):02d}.")
        else:
            st.caption(f"Chưa có số liệu thống kê năm {year}.")
    else:
        st.session_state["filters"] = views.Filters(None)
        st.caption("Chưa có dữ liệu. Tải tệp lên ở trang Dữ liệu.")

if st.query_params.get("trinh_chieu") == "1":
    from ui import presentation

    presentation.run()
    st.stop()

fit.apply()  # page layout for projectors; the slides above keep their own
try:
    navigation.run()
except Exception:  # st.stop/st.rerun/st.switch_page are BaseExceptions and pass through untouched
    logging.getLogger("cchc").exception("page failed: %s", navigation.title)
    st.error("Đã xảy ra lỗi ngoài dự kiến khi hiển thị trang này. Dữ liệu đã lưu không bị ảnh hưởng. Hãy tải lại "
             "trang; nếu lỗi còn, báo cho quản trị viên kèm thời điểm xảy ra.", icon=":material/error:")
