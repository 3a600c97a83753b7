"""Store access, cached queries, filters and the small components every page uses."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from cchc import views
from cchc.figures import PLOTLY_CONFIG
from cchc.ingest import open_default_store
from cchc.registry import load_organisation, load_registry
from cchc.storage import Store

DATA_PAGE = "pages/du_lieu.py"
UNIT_PAGE = "pages/don_vi.py"


@st.cache_resource(show_spinner=False)
def _store(url: str | None) -> Store:
    return open_default_store(url)


def get_store() -> Store:
    return _store(os.environ.get("CCHC_DATABASE_URL"))


def organisation():
    return load_organisation()


def registry():
    return load_registry()


def version(store: Store) -> int:
    """Changes on every import or edit: the key that invalidates every cached query."""
    return store.data_version()


# Cached queries: keyed by the store's URL, its data version and the filter values, never by objects.
@st.cache_data(show_spinner=False, max_entries=256)
def cached_call(url: str, data_version: int, name: str, *args):
    store = _store(None if url == _default_key() else url)
    return getattr(views, name)(store, *args)


def _default_key() -> str:
    return "default"


def query(name: str, *args):
    """Call views.<name>(store, *args) through the cache."""
    store = get_store()
    url = os.environ.get("CCHC_DATABASE_URL") or _default_key()
    return cached_call(url, version(store), name, *args)


def filters() -> views.Filters:
    return st.session_state.get("filters") or views.Filters(None)


def show_chart(fig, key: str | None = None, on_select: str = "ignore"):
    return st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key=key, on_select=on_select,
                           selection_mode="points" if on_select != "ignore" else ("points", "box", "lasso"))


def empty_state(what: str) -> None:
    st.info(f"Chưa có {what}. Hãy tải tệp lên ở trang **Dữ liệu** (kế hoạch hoặc thống kê TTHC hằng tháng).",
            icon=":material/folder_open:")
    st.page_link(DATA_PAGE, label="Đến trang Dữ liệu để tải tệp lên", icon=":material/upload:")


def illustrative_notice() -> None:
    if query("has_illustrative"):
        st.warning("**Dữ liệu minh họa** – số liệu thống kê TTHC đang hiển thị là số liệu mẫu đi kèm phần mềm, "
                   "không phải số liệu thật. Tải số liệu thật lên ở trang Dữ liệu để thay thế.", icon=":material/info:")


def page_header(title: str, subtitle: str | None = None) -> None:
    st.title(title)
    f = filters()
    if subtitle is None and f.year:
        subtitle = f"{organisation().name} · {f.describe(organisation())}"
    if subtitle:
        st.caption(subtitle)


def dataframe(frame: pd.DataFrame, **kwargs):
    return st.dataframe(frame, hide_index=True, width="stretch", **kwargs)


def month_label(month: int) -> str:
    return f"T{month:02d}"


def level_label(code: str) -> str:
    return organisation().level_label(code) if code else "Tất cả các cấp"


def filter_params() -> dict:
    """The shared filters as query parameters, to carry them into a drill-down page.

    Bound widgets keep their displayed option text in the URL (?thang=T04&thang=T06&cap=Cấp xã).
    """
    f = filters()
    if not f.year:
        return {}
    params = {"nam": str(f.year)}
    months = st.session_state.get("thang")
    if months:
        params["thang"] = [month_label(int(m)) for m in months]
    if f.level:
        params["cap"] = level_label(f.level)
    return params


def current_user() -> str:
    """Who is acting: the logged-in user where there is one, else the machine's user."""
    try:
        if getattr(st.user, "is_logged_in", False):
            return st.user.get("email") or st.user.get("name") or "người dùng"
    except Exception:  # st.user is unavailable outside a configured auth setup
        pass
    from cchc.storage import current_user as machine_user

    return machine_user()


_DELTA_COLORS = {"met": "blue", "close": "orange", "behind": "red", "no_data": "gray"}


def rate_metric(container, card, show_counts: bool = True) -> None:
    """A rate as a large number with its status and target underneath (colour and words, never colour alone)."""
    from cchc import formatting as fmt
    from cchc.metrics import RATES
    from cchc.status import badge

    spec = RATES[card.key]
    label = spec.short or spec.label
    if card.criterion:
        label += f" ({card.criterion})"
    target = views.target_text(card.target) if card.target else "–"
    container.metric(label, fmt.percent(card.value), delta=f"{badge(card.status)} · chỉ tiêu {target}",
                     delta_color=_DELTA_COLORS[card.status], delta_arrow="off", border=True,
                     help=f"{spec.label}: {fmt.number(card.numerator)} / {fmt.number(card.denominator)} hồ sơ"
                     if show_counts else spec.label)
