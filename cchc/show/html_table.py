"""Display tables as plain HTML, for the overview a meeting opens first.

An HTML table costs the browser a fraction of Streamlit's data grid (no grid code to load, no canvas to paint:
benchmarks/browser_draw.py), shows every cell whole (long criterion names wrap instead of hiding behind the cell's
overlay) and can hold links. Every text is escaped: names come from uploaded workbooks. The frames are display
frames (text already, see views.score_table); a missing value shows as "–".
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd

TABLE_CLASS = "cchc-table"


def _cell_text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    return str(value)


def table_html(frame: pd.DataFrame, *, label: str, nowrap: Iterable[str] = (), numeric: Iterable[str] = (),
               names: Iterable[str] = (), optional: Iterable[str] = (),
               links: Mapping[str, Mapping[str, str]] | None = None, max_height: int | None = None,
               table_class: str = TABLE_CLASS) -> str:
    """`frame` as an HTML table inside a region named `label` that scrolls sideways only if it must.

    `nowrap` columns keep their cells on one line (codes, statuses, figures: their headers still wrap); `numeric`
    columns are right-aligned; `names` columns (free text, such as a unit's name) may wrap but keep room for a few
    words a line;
    `optional` columns give way when the table is narrow (below 720 px: a projector at 1024 px with the sidebar
    open), so the others stay in view; `links[column][text]` is the address a cell of `column` with that text opens (in the same tab). With
    `max_height` (px) the rows scroll under a header that stays. `table_class` names the table (its wrapper is
    "<class>-wrap") for the style sheet that lays it out: the page's (ui/fit.py) or the slides' (ui/presentation.py).
    """
    nowrap, numeric, names, optional = set(nowrap), set(numeric), set(names), set(optional)
    links = links or {}

    def classes(column: str) -> str:
        kinds = [k for k, on in (("nowrap", column in nowrap), ("num", column in numeric), ("name", column in names),
                                 ("optional", column in optional)) if on]
        return f' class="{" ".join(kinds)}"' if kinds else ""

    head = "".join(f'<th scope="col"{classes(c)}>{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(frame.columns, values):
            text = _cell_text(value)
            shown = html.escape(text)
            address = links.get(column, {}).get(text)
            if address:
                shown = f'<a href="{html.escape(address, quote=True)}" target="_self">{shown}</a>'
            cells.append(f"<td{classes(column)}>{shown}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    height = f' style="max-height: {int(max_height)}px; overflow-y: auto"' if max_height else ""
    return (f'<div class="{table_class}-wrap" role="region" aria-label="{html.escape(label, quote=True)}" '
            f'tabindex="0"{height}><table class="{table_class}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")
