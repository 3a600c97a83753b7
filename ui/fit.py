"""Layout that fits a projector (1280 × 720, 1024 × 768, the sidebar open): less padding around the page, card
labels that wrap instead of ending in "…", and side-by-side columns that go under each other once a column would
be narrower than what it holds (st.columns only stacks below a 640 px window, far too late with the sidebar open).

Card rows use st.grid (it drops columns by itself); `columns` is for uneven pairs such as a chart and a donut.
"""

from __future__ import annotations

import streamlit as st

MIN_WIDTHS = (280, 320, 400)  # px: the minimum column widths `columns` offers, one CSS rule each

_STACK = "\n".join(
    f'[class*="st-key-fit-{w}-"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; row-gap: 1rem; }}\n'
    f'[class*="st-key-fit-{w}-"] [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] '
    f'{{ min-width: min({w}px, 100%); }}' for w in MIN_WIDTHS)

_CSS = f"""<style>
/* Streamlit's 6rem above and 5rem beside the page cost a row of cards and 160 px of width on a projector */
[data-testid="stMainBlockContainer"] {{ padding: 4rem 1.75rem 4rem; }}
/* a card's label and its status line wrap onto a second line rather than end in "…" */
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div,
[data-testid="stMetricDelta"] > div {{ white-space: normal; overflow: visible; text-overflow: clip; }}
/* a toggle's or checkbox's label (a task's code and name on Giả định) wraps too */
[data-testid="stCheckbox"] label p, [data-testid="stCheckbox"] label div {{ white-space: normal; overflow: visible;
  text-overflow: clip; }}
{_STACK}
/* plain HTML tables (cchc.show.html_table): Streamlit's look, every cell whole, sideways scroll only if it must */
.cchc-table-wrap {{ overflow-x: auto; margin-bottom: 0.5rem; container-type: inline-size; }}
@container (max-width: 720px) {{ .cchc-table .optional {{ display: none; }} }}
.cchc-table {{ width: 100%; border-collapse: collapse; font-size: 0.95rem; line-height: 1.35; }}
.cchc-table th {{ text-align: left; vertical-align: bottom; font-weight: 600; color: rgba(49, 51, 63, 0.75);
  background: rgb(240, 242, 246); border-bottom: 1px solid rgba(49, 51, 63, 0.2); padding: 0.35rem 0.4rem; }}
.cchc-table td {{ vertical-align: top; border-bottom: 1px solid rgba(49, 51, 63, 0.1); padding: 0.35rem 0.4rem; }}
.cchc-table tbody tr:nth-child(even) {{ background: rgba(240, 242, 246, 0.45); }}
.cchc-table thead th {{ position: sticky; top: 0; z-index: 1; }}
.cchc-table td.nowrap {{ white-space: nowrap; }}
.cchc-table .name {{ min-width: 8em; }}
.cchc-table .num {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style>"""


def apply() -> None:
    st.html(_CSS)


def columns(spec, *, min_width: int, key: str, **kwargs):
    """st.columns(spec) whose columns wrap under each other, each then full width, when one would be narrower than
    `min_width` px (one of MIN_WIDTHS); `key` names the group (unique on the page)."""
    if min_width not in MIN_WIDTHS:
        raise ValueError(f"min_width must be one of {MIN_WIDTHS}, not {min_width}")
    with st.container(key=f"fit-{min_width}-{key}"):
        return st.columns(spec, **kwargs)


# px for the free-text columns of a criteria table: with them the code, target, current value and status stay in
# the ~670 px a table has at 1024 px with the sidebar open (the name's full text is in the cell's overlay)
SCORE_NAME_WIDTHS = {"Tiêu chí": 320}
DEADLINE_NAME_WIDTHS = {"Tiêu chí": 230, "Chủ trì": 150}  # beside "Hạn", "Mã" and "Tình trạng"


def criteria_columns(frame, names: dict[str, int] = SCORE_NAME_WIDTHS) -> dict:
    """column_config for a table of criteria (views.score_table, views.deadlines_table): every column as wide as its
    content, the free-text columns at the widths `names` gives them, so the columns beside them are not pushed out
    of sight."""
    from ui import league

    return league.column_widths(frame, {name: {"width": width} for name, width in names.items()})


# Streamlit wraps a table cell's text only when its rows are taller than 4rem (64 px)
LINE_PX, LETTER_PX, WRAP_MIN_ROW_PX, HEADER_PX, MAX_LINES = 18, 7.3, 66, 36, 4


def wrapped_rows(texts, column_px: int) -> dict:
    """st.dataframe's row_height and height for a short table whose `texts` column (`column_px` wide) should read
    whole: rows tall enough for its longest text on up to MAX_LINES lines, every row shown (the page scrolls, not
    the table); one line of rows when every text fits on one."""
    texts = [str(t) for t in texts]
    letters = max(1, int(column_px // LETTER_PX) - 2)  # the cell's padding
    lines = min(MAX_LINES, max((-(-len(t) // letters) for t in texts), default=1))
    row_px = 35 if lines <= 1 else max(WRAP_MIN_ROW_PX, lines * LINE_PX + 12)
    return {"row_height": row_px, "height": HEADER_PX + row_px * len(texts) + 2}
