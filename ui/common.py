"""Store access, cached queries, filters and the small components every page uses."""

from __future__ import annotations

import os
import threading

import pandas as pd
import streamlit as st

from cchc.ingest import open_default_store
from cchc.registry import load_organisation, load_registry
from cchc.show import views
from cchc.show.figures import PLOTLY_CONFIG
from cchc.store.database import Store
from ui.safe import md

DATA_PAGE = "pages/du_lieu.py"
UNIT_PAGE = "pages/don_vi.py"
UNIT_PATH = "don-vi"  # its address (app.py), relative: links from a page of the app reach it under any base path


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
    """Changes on every import or edit: the key that invalidates every cached query.

    Read once per script run (a page asks for it many times); any write in this run clears the caches itself.
    """
    return once_per_run("_data_version", store.data_version)


def once_per_run(key: str, compute):
    """compute() at most once per script run (app.py numbers the runs), kept in the session."""
    run = st.session_state.get("_run_id")
    cached = st.session_state.get(key)
    if cached is None or cached[0] != run:
        cached = (run, compute())
        st.session_state[key] = cached
    return cached[1]


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


def show_chart(fig, *args, key: str | None = None, on_select: str = "ignore", **kwargs):
    """A figure, or a builder and its arguments: show_chart(figures.status_donut, counts, title, key=…) builds the
    figure once for those arguments, for every session (ui.figure_cache); a cached view then costs no Plotly build."""
    if callable(fig):
        from ui import figure_cache

        fig = figure_cache.figure(fig, *args, **kwargs)
    elif args or kwargs:
        raise TypeError("show_chart: arguments are for a builder, not for a built figure")
    return st.plotly_chart(fig, config=PLOTLY_CONFIG, width="stretch", key=key, on_select=on_select,
                           selection_mode="points" if on_select != "ignore" else ("points", "box", "lasso"))


def empty_state(what: str) -> None:
    """`what` is plain text (it may name a level or a unit): escaped here."""
    st.info(f"Chưa có {md(what)}. Hãy tải tệp lên ở trang **Dữ liệu** (kế hoạch hoặc thống kê TTHC hằng tháng).",
            icon=":material/folder_open:")
    st.page_link(DATA_PAGE, label="Đến trang Dữ liệu để tải tệp lên", icon=":material/upload:")


def stats_or_stop(f: views.Filters) -> dict:
    """The chosen period's summed counts; with none, say what to upload and stop the page there."""
    totals = query("stats_totals", f) if f.year else {}
    if not totals or not any(totals.values()):
        empty_state("số liệu thống kê TTHC cho kỳ đã chọn")
        st.stop()
    illustrative_notice()
    return totals


def illustrative_notice() -> None:
    if query("has_illustrative"):
        st.warning("**Dữ liệu minh họa** – số liệu thống kê TTHC đang hiển thị là số liệu mẫu đi kèm phần mềm, "
                   "không phải số liệu thật. Tải số liệu thật lên ở trang Dữ liệu để thay thế.", icon=":material/info:")


def page_header(title: str, subtitle: str | None = None) -> None:
    """`title` and a given `subtitle` are markdown; the default subtitle (organisation, filters) is escaped."""
    st.title(title)
    f = filters()
    if subtitle is None and f.year:
        subtitle = md(f"{organisation().name} · {f.describe(organisation())}")
    if subtitle:
        st.caption(subtitle)


def dataframe(frame: pd.DataFrame, excel: str | None = None, **kwargs):
    """A table as users see it, with its own Excel download when `excel` (the file's title) is given.

    A missing value shows as "–" (Streamlit would write "None"); a table without rows says so in words (Streamlit
    would draw "empty" in its grid, where no page script can translate it)."""
    if not len(frame):
        st.caption("Bảng trống: không có dòng nào.")
        return None
    kwargs.setdefault("placeholder", "–")
    plain = frame.copy()
    plain.attrs = {}  # the exact values are for the workbook; Streamlit would try to send them as JSON
    shown = st.dataframe(plain, hide_index=True, width="stretch", **kwargs)
    if excel:
        excel_button(frame, excel)
    return shown


def static_table(frame: pd.DataFrame, label: str, excel: str | None = None, excel_frame: pd.DataFrame | None = None,
                 **options) -> None:
    """A display table as plain HTML (cchc.show.html_table: light to draw, every cell whole, links allowed), with
    the Excel download of `excel_frame` (or the table) when `excel` (the file's title) is given."""
    from cchc.show.html_table import table_html

    if not len(frame):
        st.caption("Bảng trống: không có dòng nào.")
        return
    st.html(table_html(frame, label=label, **options))
    if excel:
        excel_button(excel_frame if excel_frame is not None else frame, excel)


def score_table(table: pd.DataFrame, title: str) -> None:
    """views.score_table as the overview shows it (a meeting's columns) under `title`; its Excel has every column."""
    shown = table[list(views.OVERVIEW_SCORE_COLUMNS)]
    static_table(shown, title, excel=title, excel_frame=table, nowrap=views.SCORE_NOWRAP_COLUMNS,
                 numeric=views.SCORE_NUMERIC_COLUMNS)


def _slug(text: str) -> str:
    from cchc.read.text import fold

    return "-".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split())[:60] or "bang"


def excel_button(frame: pd.DataFrame, title: str) -> None:
    """A formatted .xlsx of the table (Vietnamese headers, number formats, formulas neutralised), made on click."""
    f = filters()
    period = f" ({f.describe(organisation())})" if f.year else ""

    def make() -> bytes:
        from cchc.show.excel import to_xlsx

        return to_xlsx(frame, title=f"{title}{period}")

    st.download_button("Tải Excel", make, file_name=f"{_slug(title)}.xlsx", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"xlsx_{_slug(title)}", type="tertiary")


_REPORTS: dict = {}
_REPORTS_LOCK = threading.Lock()


def _report(store: Store, f: views.Filters, section: str, unit: str | None):
    """One Report per (data, filters, page, unit): PDF, PPTX and HTML share it and its rendered charts."""
    from cchc.show.reports import build_report

    key = (store.url, store.data_version(), f, section, unit)
    with _REPORTS_LOCK:
        report = _REPORTS.get(key)
        if report is None:
            report = build_report(store, f, unit=unit, sections=(section,))
            _REPORTS.clear()  # only the latest report is worth keeping
            _REPORTS[key] = report
        return report


def report_buttons(section: str, unit: str | None = None) -> None:
    """The page's meeting report, as PDF, PowerPoint and HTML, made when a button is clicked."""
    from cchc.show import reports

    f = filters()
    if not f.year:
        return
    store = get_store()
    skeleton = reports.Report("", [], [reports.ReportPart(section, "")], unit=unit, level=f.level, start=f.start,
                              end=f.end)
    writers = {"pdf": reports.report_pdf, "pptx": reports.report_pptx, "html": reports.report_html}

    def make(kind: str):
        def render() -> bytes:  # runs on click, in a thread of its own
            return writers[kind](_report(store, f, section, unit))
        return render

    with st.popover("Xuất báo cáo", icon=":material/picture_as_pdf:"):
        st.caption(md(f"Báo cáo {f.describe(organisation())}" + (f", {unit}" if unit else ""))
                   + ". Tệp được tạo khi bấm (vài giây).")
        for kind, label in (("pdf", "PDF"), ("pptx", "PowerPoint (.pptx)"),
                            ("html", "HTML (một tệp, xem không cần mạng)")):
            st.download_button(label, make(kind), file_name=reports.report_filename(skeleton, kind),
                               mime=reports.MIME_TYPES[kind], key=f"report_{kind}", width="stretch")


def share_link() -> None:
    """The current view's address (filters included), with the copy button st.code carries."""
    with st.popover("Sao chép liên kết", icon=":material/link:"):
        st.caption("Liên kết mở lại đúng trang và bộ lọc này:")
        st.code(current_url(), language=None, wrap_lines=True)


def query_string(exclude=(), extra: dict | None = None) -> str:
    """The current query parameters (repeated ones kept), less `exclude`, plus `extra`."""
    from urllib.parse import urlencode

    pairs = [(k, v) for k in st.query_params if k not in exclude for v in st.query_params.get_all(k)]
    return urlencode(pairs + list((extra or {}).items()))


def current_url() -> str:
    """This page's address with the filters now chosen (bound widgets keep st.query_params up to date)."""
    from urllib.parse import urlsplit, urlunsplit

    base = urlsplit(st.context.url or "http://localhost:8501/")
    path = "/" + (st.session_state.get("page_url_path") or "")
    return urlunsplit((base.scheme, base.netloc, path, query_string(), ""))


def page_tools(section: str, unit: str | None = None) -> None:
    """The row of tools at the top right of a page: report export and link sharing."""
    # one right-aligned row, each button as wide as its words (fixed columns cut them at 1280 px and below)
    with st.container(horizontal=True, horizontal_alignment="right", gap="small"):
        st.link_button("Trình chiếu", "?" + query_string(extra={"trinh_chieu": "1"}),  # this page, its don_vi too
                       icon=":material/slideshow:", help="Toàn màn hình, phím ← → để chuyển trang.")
        report_buttons(section, unit)
        share_link()


def month_label(month: int) -> str:
    return f"T{month:02d}"


def level_label(code: str) -> str:
    return organisation().level_label(code) if code else "Tất cả các cấp"


_DELTA_COLORS = {"met": "blue", "close": "orange", "behind": "red", "no_data": "gray"}


def rate_metric(container, card, show_counts: bool = True, units: tuple[str, ...] | None = None) -> None:
    """A rate as a large number with its status and target underneath (colour and words, never colour alone), and
    its change against the previous period and the same period a year before where there is data (ui.league).

    `units`: the units the card sums (default: the unit chosen on the unit page, else the sidebar's level)."""
    from cchc import formatting as fmt
    from cchc.score.metrics import RATES
    from cchc.score.status import badge
    from ui import league

    spec = RATES[card.key]
    label = spec.short or spec.label
    if card.criterion:  # a code read from the plan workbook
        label += f" ({md(card.criterion)})"
    target = views.target_text(card.target) if card.target else "–"
    changes = league.card_changes(card, units)
    box = container.container(border=True) if changes else container  # the changes sit inside the card's border
    box.metric(label, fmt.percent(card.value), delta=f"{badge(card.status)} · chỉ tiêu {target}",
               delta_color=_DELTA_COLORS[card.status], delta_arrow="off", border=not changes,
               help=f"{spec.label}: {fmt.number(card.numerator)} / {fmt.number(card.denominator)} hồ sơ"
               if show_counts else spec.label)
    if changes:
        league.change_lines(box, changes)


# The account helpers live in ui/auth.py; pages keep calling them as common.<name>.
from ui.auth import (auth_mode, can, current_account, current_user, login_box, login_required, no_right,  # noqa: E402,F401
                     setting)
