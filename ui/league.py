"""Change against before on cards and unit tables, the overview's units behind, and the league table of units.

The figures come from cchc.show.compare and cchc.show.league through one cache, keyed like ui.common.query (the
store's URL, its data version and the arguments).
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from cchc import formatting as fmt
from cchc.score.metrics import RATES
from cchc.show import compare, league
from ui import common
from ui.safe import md

_MODULES = {"compare": compare, "league": league}
LEAGUE_KEY = "bang_xep_hang"  # the table's selection state
TABLE_MAX_HEIGHT = 528  # 14 rows and the header: the table and its controls fit a 1280×720 screen


@st.cache_data(show_spinner=False, max_entries=128)
def _cached(url: str, data_version: int, module: str, name: str, *args):
    return getattr(_MODULES[module], name)(common.get_store(), *args)


def query(module: str, name: str, *args):
    """compare.<name>(store, *args) or league.<name>(store, *args), through the cache."""
    store = common.get_store()
    return _cached(store.url, common.version(store), module, name, *args)


def unit_changes() -> pd.DataFrame:
    """Every unit's change of every rate (compare.unit_changes) for the filters on the sidebar."""
    f = common.filters()
    return query("compare", "unit_changes", f.start, f.end, f.level or None)


# ---------------------------------------------------------------------------------------------------------------
# Cards
# ---------------------------------------------------------------------------------------------------------------

def _scope() -> tuple[tuple[str, ...] | None, str | None]:
    """The units and level the page's cards are about: the chosen unit on the unit page (every level, as that page
    sums it), else the sidebar's level."""
    if st.session_state.get("page_url_path") == "don-vi" and st.session_state.get("don_vi"):
        return (st.session_state["don_vi"],), None
    return None, common.filters().level or None


def card_changes(card, units: tuple[str, ...] | None = None) -> list[compare.Change]:
    """The card's rate against the previous period and the same period a year before, where there is data.

    Shown only when the counts behind the card are the counts of the scope compared: a card of another scope than
    the one guessed gets no change rather than someone else's."""
    f = common.filters()
    if not f.year:
        return []
    level = None
    if units is None:
        units, level = _scope()
    result = query("compare", "rate_changes", f.start, f.end, units, level)
    if not result.counts:
        return []
    spec = RATES[card.key]
    numerator = sum(result.counts[name] for name in spec.numerator)
    denominator = sum(-result.counts[n[1:]] if n.startswith("-") else result.counts[n] for n in spec.denominator)
    if (numerator, denominator) != (card.numerator, card.denominator):
        return []
    return result.of(card.key)


def change_lines(container, changes: list[compare.Change]) -> None:
    """"▲ 2,3 điểm % kỳ trước" lines, each in the portal's colour (green better, red worse, yellow unchanged)."""
    lines = [f":{c.color}-badge[{c.text}] {compare.KIND_LABELS[c.kind]}" for c in changes]
    container.markdown("  \n".join(lines), help="  \n".join(c.describe() for c in changes))


# ---------------------------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------------------------

PX_PER_CHAR, PX_PADDING, PX_MAX = 6.4, 32, 360  # Streamlit's table font at 14 px, cell padding and sort arrow


def column_widths(frame: pd.DataFrame, config: dict | None = None) -> dict:
    """`config` with a width for every column, wide enough for its header and its longest cell: the grid sizes
    columns on the first rows only and would cut "▲ 55,6 điểm %" further down with an ellipsis."""
    config = dict(config or {})
    for column in frame.columns:
        settings = {k: v for k, v in (config.get(column) or {}).items() if v is not None}
        longest = max([len(str(settings.get("label") or column)), *(len(str(v)) for v in frame[column])])
        settings.setdefault("width", min(PX_MAX, int(longest * PX_PER_CHAR + PX_PADDING)))
        config[column] = settings
    return config


def table(frame: pd.DataFrame, excel: str | None = None, excel_frame: pd.DataFrame | None = None,
          column_config: dict | None = None, **kwargs):
    """A display table whose change cells carry their colour (frame.attrs["verdicts"]), every column as wide as
    its content; "Tải Excel" of `excel_frame` (or the table) when `excel` is given. The cells are text already:
    nothing shows as "None"."""
    styles = compare.cell_styles(frame)
    plain = frame.copy()
    plain.attrs = {}  # the verdicts are in the styles now; Streamlit would try to send them as JSON
    shown = st.dataframe(plain.style.apply(lambda _: styles, axis=None), hide_index=True, width="stretch",
                         column_config=column_widths(frame, column_config), **kwargs)  # idempotent on widths
    if excel and len(frame):
        common.excel_button(excel_frame if excel_frame is not None else frame, excel)
    return shown


def change_caption() -> None:
    st.caption("So với kỳ trước (cùng số tháng, liền trước) và cùng kỳ năm trước, theo điểm phần trăm: "
               "▲ tăng, ▼ giảm, = không đổi; nền xanh là tốt hơn, đỏ là kém hơn, vàng là không đổi. Chỉ so sánh khi "
               "kỳ so sánh có số liệu đủ số tháng.")


def units_behind_section(units: pd.DataFrame, plan) -> None:
    """The overview's units that miss any measured target, with the targets each one misses."""
    frame, chosen = league.missed_targets(units, plan, common.query("close_ratio", common.filters().year))
    st.subheader("Đơn vị chưa đạt chỉ tiêu")
    if not chosen:
        st.caption("Chưa có chỉ tiêu nào đo được bằng số liệu thống kê.")
        return
    names = ", ".join(i.short for i in chosen)
    if frame.empty:
        st.success(f"Tất cả đơn vị đều đạt mọi chỉ tiêu đo được trong kỳ này ({names}).")
        return
    st.caption(f"{len(frame)} đơn vị chưa đạt ít nhất một chỉ tiêu ({names}). Mỗi ô ghi tỷ lệ của đơn vị ở chỉ tiêu "
               "chưa đạt (◐ gần đạt, ✖ chưa đạt); ✔ là đã đạt, – là không có hồ sơ để tính. Bấm vào tên một đơn vị "
               "để mở trang của đơn vị đó.")
    shown = league.missed_table(frame, chosen, dict(common.organisation().levels))
    # a link per unit to its page, the period and level kept (a plain table: the overview draws fast)
    pages = {unit: f"{common.UNIT_PATH}?{common.query_string(exclude=('don_vi',), extra={'don_vi': unit})}"
             for unit in shown["Đơn vị"]}
    common.static_table(shown, "Đơn vị chưa đạt chỉ tiêu", excel="Đơn vị chưa đạt chỉ tiêu",
                        nowrap=[c for c in shown.columns if c != "Đơn vị"], names=("Đơn vị",), optional=("Cấp",),
                        links={"Đơn vị": pages},
                        max_height=TABLE_MAX_HEIGHT)


# ---------------------------------------------------------------------------------------------------------------
# The league table (Đơn vị with no unit chosen)
# ---------------------------------------------------------------------------------------------------------------

def league_section() -> None:
    """Every unit in one table, ranked by a chosen indicator; a click on a row opens that unit's page."""
    f = common.filters()
    organisation = common.organisation()
    st.subheader("Bảng xếp hạng đơn vị")
    if not f.year:
        common.empty_state("số liệu thống kê TTHC")
        return
    levels = league.level_choices(common.query("stats_units"), organisation.levels)
    pick, level_box = st.columns([3, 2])
    level = level_box.selectbox("Cấp", levels, index=levels.index(f.level) if f.level in levels else 0,
                                key="cap_xep_hang", bind="query-params", format_func=common.level_label)
    # the league, with a "Chỉ số 766" total column where QĐ 766 scores exist for its units and period
    frame, chosen = common.query("index766_league", f.start, f.end, level or None, f.year)
    if frame.empty or not chosen:
        st.info(md(f"Chưa có số liệu thống kê TTHC của {common.level_label(level).lower()} trong kỳ đã chọn."))
        return
    by_key = {i.key: i for i in chosen}
    key = pick.selectbox("Xếp hạng theo", list(by_key), key="xep_hang_theo", bind="query-params",
                         format_func=lambda k: by_key[k].label)
    indicator = by_key[key]
    ordered = league.ranked(frame, indicator)
    labels = dict(organisation.levels)
    shown = league.league_table(ordered, chosen, key, labels)
    previous = compare.previous_period(f.start, f.end)
    st.caption(md(f"{len(shown)} đơn vị, {fmt.period_range_label(f.start, f.end)}; xếp hạng theo "
                  f"{indicator.label.lower()} ({'thấp' if indicator.lower_is_better else 'cao'} hơn đứng trước, bằng "
                  f"nhau thì cùng hạng, đơn vị nhiều hồ sơ hơn đứng trên). ✔ đạt, ◐ gần đạt, ✖ chưa đạt chỉ tiêu. "
                  f"Thay đổi so với kỳ trước ({fmt.period_range_label(*previous)}), theo điểm phần trăm: nền "
                  f"xanh tốt hơn, đỏ kém hơn, vàng không đổi; – là không có số liệu để so sánh. Bấm vào một dòng để mở "
                  f"trang đơn vị."))
    table(shown, excel="Bảng xếp hạng đơn vị",
          excel_frame=league.league_table(ordered, chosen, key, labels, for_excel=True),
          key=LEAGUE_KEY, on_select=partial(_choose_unit, shown["Đơn vị"].tolist()),
          selection_mode=["single-row", "single-cell"], column_config=league_columns(shown, chosen),
          height=min(35 * (len(shown) + 1) + 3, TABLE_MAX_HEIGHT))


def league_columns(shown: pd.DataFrame, chosen: list) -> dict:
    """Rank and unit pinned while the indicators scroll; each change column headed "± kỳ trước" beside its
    indicator (the Excel file keeps the full names); every column as wide as its text."""
    config = {"Hạng": st.column_config.TextColumn(pinned=True, alignment="right"),
              "Đơn vị": st.column_config.TextColumn(pinned=True)}
    for i in chosen:
        config[compare.change_header(i.short, "previous")] = st.column_config.TextColumn(
            "± kỳ trước", help=f"{i.label}: thay đổi so với kỳ trước (điểm phần trăm)")
        config[i.short] = st.column_config.TextColumn(i.short, help=i.label)
    return column_widths(shown, config)


def selected_row(selection) -> int | None:
    """The row a click chose: a row ticked in the left margin, or any cell of it."""
    rows = list(selection.get("rows") or []) + [cell[0] for cell in selection.get("cells") or []]
    return rows[0] if rows else None


def _choose_unit(names: list[str]) -> None:
    """The clicked row's unit becomes the page's chosen unit. A callback: it runs before the page's selectbox
    (bound to ?don_vi=) is drawn, the one moment its value may be set."""
    row = selected_row(st.session_state[LEAGUE_KEY]["selection"])
    if row is not None and row < len(names):
        st.session_state["don_vi"] = names[row]
