"""Plotly figures for the dashboard and the reports: pure functions of plain data, no Streamlit.

Meeting-room defaults: large fonts, Vietnamese separators (1.234,5; 95,2%), numeric months, titles that say
what the chart shows and for which period, status colours that colour-blind viewers can tell apart.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .. import formatting as fmt
from ..read.targets import Target
from ..score.metrics import RATES
from ..score.status import DEFAULT_CLOSE_RATIO, STATUS_COLORS, STATUS_LABELS, STATUS_SYMBOLS, classify

FONT = dict(family="Inter, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif", size=17, color="#1f2933")
SERIES_COLORS = ["#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#D55E00", "#F0E442", "#000000"]
TARGET_COLOR = "#B2182B"
# Set once: passing template= to every update_layout makes Plotly rebuild and copy the template (≈ 10 ms a figure).
pio.templates.default = "plotly_white"

def plot_text(text: object) -> str:
    """Text from files and accounts (unit, agency, criterion, domain and level names) as Plotly shows it literally.

    Plotly reads a subset of HTML in every text it draws (titles, tick labels, legends, annotations, bar texts,
    hover labels, the values %{x} and %{y} bring into a hovertemplate): "<a href=…>" would be a link, "<b>" bold,
    "<br>" a new line. Its "&lt;", "&gt;" and "&amp;" show as the characters.
    """
    if text is None:
        return ""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plot_plain(text: object) -> str:
    """plot_text undone: the name behind a clicked bar's label, a chart title for a PDF or PowerPoint heading."""
    if text is None:
        return ""
    return str(text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# Plotly's own words (mode bar tooltips, notices) in Vietnamese: plotly.js ships a "vi" locale with month and day
# names only, so the dictionary goes in the config; the keys are plotly.js's English strings, word for word.
PLOTLY_VI = {
    "dictionary": {
        "Download plot as a PNG": "Tải ảnh PNG", "Download plot as a png": "Tải ảnh PNG",
        "Download plot as a SVG": "Tải ảnh SVG", "Download plot": "Tải ảnh",
        "Download plot as JSON": "Tải tệp JSON",
        "Zoom": "Phóng to vùng chọn", "Pan": "Kéo", "Zoom in": "Phóng to", "Zoom out": "Thu nhỏ",
        "Autoscale": "Tự co giãn", "Reset axes": "Về như ban đầu", "Reset view": "Về như ban đầu",
        "Reset views": "Về như ban đầu", "Reset": "Về như ban đầu", "Box Select": "Chọn theo khung",
        "Lasso Select": "Chọn tự do", "Toggle Spike Lines": "Bật/tắt đường gióng",
        "Show closest data on hover": "Hiện số liệu gần nhất khi rê chuột",
        "Compare data on hover": "So sánh số liệu khi rê chuột",
        "Toggle show closest data on hover": "Bật/tắt hiện số liệu gần nhất khi rê chuột",
        "Double-click to zoom back out": "Bấm đúp để trở về như ban đầu",
        "Double-click on legend to isolate one trace": "Bấm đúp vào chú giải để chỉ xem một chuỗi",
        "Taking snapshot - this may take a few seconds": "Đang chụp ảnh, xin chờ vài giây",
        "Preparing image - this may take a few seconds": "Đang chuẩn bị ảnh, xin chờ vài giây",
        "Snapshot succeeded": "Đã chụp ảnh", "Image download succeeded": "Đã tải ảnh",
        "JSON download succeeded": "Đã tải tệp JSON",
        "Sorry, there was a problem downloading your snapshot!": "Không tải được ảnh.",
        "Sorry, there was a problem downloading your image!": "Không tải được ảnh.",
        "Sorry, there was a problem downloading your JSON file!": "Không tải được tệp JSON.",
        "Produced with Plotly.js": "Vẽ bằng Plotly.js", "Close": "Đóng", "Cancel": "Hủy",
        "Draw line": "Vẽ đường thẳng", "Draw rectangle": "Vẽ hình chữ nhật", "Draw circle": "Vẽ hình tròn",
        "Draw open freeform": "Vẽ tự do", "Draw closed freeform": "Vẽ hình kín", "Erase active shape": "Xóa hình",
        "trace": "chuỗi", "new text": "chữ mới",
    },
    # Vietnamese separators for what Plotly formats itself (ticks, hover), like layout.separators
    "format": {"decimal": ",", "thousands": ".", "date": "%d/%m/%Y"},
}
PLOTLY_CONFIG = {"displaylogo": False, "locale": "vi", "locales": {"vi": PLOTLY_VI},
                 "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "toggleSpikelines"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


LEGEND_PX = 40  # one row of legend under the plot, with its padding


def _layout(fig: go.Figure, title: str, height: int = 460, **extra) -> go.Figure:
    """Title and subtitle on top, alone; a legend (two or more named traces) under the plot, where it cannot run
    into the subtitle however narrow the column makes it wrap."""
    main, _, subtitle = title.partition("\n")  # a second line (the period, the filters) becomes the subtitle
    main, subtitle = plot_text(main), plot_text(subtitle)  # titles name units and levels: never Plotly's HTML
    legend = extra.get("showlegend", True) is not False and sum(t.showlegend is not False for t in fig.data) > 1
    settings = dict(
        title=dict(text=main, x=0, xanchor="left", y=0.985, yref="container", yanchor="top", font=dict(size=22),
                   subtitle=dict(text=subtitle, font=dict(size=15, color="#52606d"))),
        font=FONT, separators=",.", height=height,
        margin=dict(l=10, r=30, t=top_margin(subtitle), b=40 + (LEGEND_PX if legend else 0)),
        hoverlabel=dict(font_size=16),
        legend=dict(orientation="h", x=0, xanchor="left", y=0, yref="container", yanchor="bottom"),
    )
    margin = extra.pop("margin", None)
    settings.update(extra)
    if margin:
        settings["margin"].update(margin)
    fig.update_layout(**settings)
    return fig


def top_margin(subtitle: bool, above_plot: int = 0) -> int:
    """Room for the title (22 px), its subtitle (15 px) and `above_plot` px of labels just above the plot."""
    return (92 if subtitle else 64) + above_plot


def empty_figure(title: str, message: str = "Chưa có số liệu cho lựa chọn này") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=plot_text(message), showarrow=False, font=dict(size=20, color="#52606d"), x=0.5, y=0.5,
                       xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=300)


def domain_lost_bar(domains: pd.DataFrame, title: str) -> go.Figure:
    """Lost points per domain, largest at the top, each bar named and labelled with its points."""
    if domains.empty:
        return empty_figure(title, "Chưa có kế hoạch")
    frame = domains.sort_values("lost", ascending=True)
    labels = [plot_text(f"{c}. {n}") for c, n in zip(frame["code"], frame["name"])]
    fig = go.Figure(go.Bar(
        x=frame["lost"], y=labels, orientation="h", marker_color="#D55E00",
        text=[f"{fmt.points(v)} điểm" for v in frame["lost"]], textposition="outside", cliponaxis=False,
        customdata=list(zip(frame["code"], frame["standard"], frame["appraised"])),
        hovertemplate="%{y}<br>Điểm bị mất: %{x:.2f}<br>Điểm chuẩn: %{customdata[1]:.2f}"
                      "<br>Điểm thẩm định: %{customdata[2]:.2f}<extra></extra>",
        name="Điểm bị mất",
    ))
    fig.update_xaxes(title_text="Điểm bị mất", rangemode="tozero", range=[0, float(frame["lost"].max()) * 1.25])
    fig.update_yaxes(automargin=True)
    fig = _layout(fig, title, height=max(320, 90 + 70 * len(frame)), showlegend=False)
    # the longest bar's "6,5 điểm" stands outside the plot: a margin wide enough for it (30 px cut it at 1280)
    fig.update_layout(margin_r=90)
    return fig


def rates_vs_targets(cards, title: str) -> go.Figure:
    """One horizontal bar per rate, coloured by status, with its target marked: the overview's scoreboard.

    Each bar's value and status stand in a column right of the plot, not at the bar's end, where the target mark
    of a rate close to its target would cross them."""
    if not cards:
        return empty_figure(title)
    cards = list(reversed(cards))
    values = [c.value if c.value is not None else 0 for c in cards]
    labels = [plot_text(f"{c.label}" + (f" ({c.criterion})" if c.criterion else "")) for c in cards]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=values, y=labels, orientation="h", marker_color=[STATUS_COLORS[c.status] for c in cards],
        name="Kết quả", showlegend=False, customdata=[[c.numerator, c.denominator] for c in cards],
        hovertemplate="%{y}: %{x:.1%}<br>%{customdata[0]:,} / %{customdata[1]:,} hồ sơ<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=[c.target.value if c.target else None for c in cards], y=labels, mode="markers",
        marker=dict(symbol="line-ns", size=34, line=dict(width=4, color=TARGET_COLOR)), name="Chỉ tiêu",
        hovertemplate="Chỉ tiêu: %{x:.0%}<extra></extra>",
    ))
    value_column(fig, labels, [f"{fmt.percent(c.value)}  {STATUS_SYMBOLS[c.status]} {STATUS_LABELS[c.status]}"
                               for c in cards])
    top = max([1.0, *values, *(c.target.value for c in cards if c.target)])
    fig.update_xaxes(tickformat=".0%", range=[0, top * 1.04], title_text=None)
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, height=max(340, 100 + 62 * len(cards)), bargap=0.35)


def value_column(fig: go.Figure, rows: list[str], texts: list[str]) -> None:
    """`texts` right of the plot, each on the row of its category: the tick labels of a second y axis on the right,
    matching the first. Axis labels push the margin to fit (annotations would not), at any font size a projector
    gives them."""
    # a trace that draws nothing gives the axis its rows (an axis without a trace is not drawn)
    fig.add_trace(go.Scatter(x=[None] * len(rows), y=rows, yaxis="y2", mode="markers", marker=dict(opacity=0),
                             showlegend=False, hoverinfo="skip", name=""))
    fig.update_layout(yaxis2=dict(overlaying="y", side="right", matches="y", type="category", tickmode="array",
                                  tickvals=rows,
                                  ticktext=texts, showgrid=False, zeroline=False, automargin=True, ticks="",
                                  ticklabelstandoff=10))


# Data labels of the line charts: their size in px, to keep them off target lines and off each other.
LABEL_SIZE = 15  # font size
LABEL_PX = 20  # a label's height (the font and its line spacing)
LABEL_GAP = 8  # between a point and its label: the marker's radius and a little air
LINE_PAD = 3  # px kept clear on either side of a target line


def label_sides(points: list[tuple[int, float, str]], lines: list[float], low: float, high: float,
                plot_px: float, obstacles: list[tuple[float, float, float]] = (), reach: int = 1
                ) -> list[str | None]:
    """For each (slot, y, preferred side) point, in priority order, the side its label goes: "top", "bottom" or
    None (left out: no side is clear).

    A label is a LABEL_PX high box LABEL_GAP above or below its point. It must stay inside the plot, clear of every
    target line (`lines`, y values), of the labels already placed within `reach` slots (neighbouring months: a
    label is wider than a month), and of the `obstacles` (x in slots, y, half height in px) at most half a slot
    away: the markers, and the lines between them (their midpoints). `plot_px` is the plot's height in px: smaller than the real
    one errs on the side of more room.
    """
    per_unit = plot_px / (high - low)
    markers = [(x, (y - low) * per_unit - half, (y - low) * per_unit + half) for x, y, half in obstacles]
    line_px = [(t - low) * per_unit for t in lines]
    placed: list[tuple[int, float, float]] = []
    sides: list[str | None] = []
    for slot, y, prefer in points:
        at = (y - low) * per_unit
        chosen = None
        for side in (prefer, "bottom" if prefer == "top" else "top"):
            y0, y1 = (at + LABEL_GAP, at + LABEL_GAP + LABEL_PX) if side == "top" else \
                (at - LABEL_GAP - LABEL_PX, at - LABEL_GAP)
            clear = (0 <= y0 and y1 <= plot_px
                     and not any(y0 - LINE_PAD < t < y1 + LINE_PAD for t in line_px)
                     and not any(abs(s - slot) <= 0.5 and y0 < b1 and b0 < y1 for s, b0, b1 in markers)
                     and not any(abs(slot - s) <= reach and y0 < b1 and b0 < y1 for s, b0, b1 in placed))
            if clear:
                chosen = side
                placed.append((slot, y0, y1))
                break
        sides.append(chosen)
    return sides


def _labelled_points(series: list[pd.Series]) -> list[tuple[int, int, str]]:
    """(series, row, preferred side) of the points worth a label, most important first: each line's last point,
    then its highest (above) and lowest (below); a flat line (all within 0.5 points) only its last. The last
    point's label goes away from the line coming into it."""
    chosen: list[tuple[int, int, str]] = []
    extremes: list[tuple[int, int, str]] = []
    for i, values in enumerate(series):
        known = values.dropna()
        if known.empty:
            continue
        last = known.index[-1]
        rising = len(known) < 2 or known.iloc[-1] >= known.iloc[-2]
        chosen.append((i, last, "top" if rising else "bottom"))
        if float(known.max() - known.min()) > 0.005:
            extremes += [(i, known.idxmax(), "top"), (i, known.idxmin(), "bottom")]
    for point in extremes:
        if all(point[:2] != c[:2] for c in chosen):
            chosen.append(point)
    return chosen


def _line_obstacles(series: list[pd.Series]) -> list[tuple[float, float, float]]:
    """Every marker of the lines (10 px, with a px of air), and the midpoint of every segment between two months
    (4 px thick, the same)."""
    points = [(float(row), float(v), 6.0) for s in series for row, v in s.items() if pd.notna(v)]
    for s in series:
        points += [(row + 0.5, (float(s[row]) + float(s[row + 1])) / 2, 3.0) for row in s.index[:-1]
                   if pd.notna(s[row]) and pd.notna(s[row + 1])]
    return points


def rate_axis(values: list[float], lines: list[float], keys, plot_px: float, labels_above: int = 1
              ) -> tuple[float, float]:
    """The y range of a rate chart: from the floor to a little above the highest value or target, with room for
    `labels_above` labels above the highest point. Shares (online, BCCI) get an axis fitted to them, not 0–100%."""
    low = 0.0
    if "on_time_rate" in keys and values:  # on-time rates live in the 90s: show the differences
        low = max(0.0, min(0.8, min(values) - 0.05))
    top = max([*values, *lines, 1.0 if "on_time_rate" in keys else 0.0])
    if top <= low:
        return low, low + 0.1  # nothing above the floor: an empty axis of 10 points
    room = (LABEL_GAP + LABEL_PX * labels_above + LINE_PAD) / plot_px
    high = max((top - low * room) / (1 - room), low + (top - low) * 1.08)
    return low, high


def monthly_rates(frame: pd.DataFrame, keys: tuple[str, ...], targets: dict[str, Target | None], title: str,
                  ) -> go.Figure:
    """Rates by month (from summed counts), each target a dashed line named in the right margin.

    Only each line's last point and its extremes carry a value, on the side that keeps the label off the target
    lines and off the other labels (see label_sides); the hover has every value."""
    if frame.empty:
        return empty_figure(title)
    frame = frame.reset_index(drop=True)
    x = pd.to_datetime(frame["period"] + "-01")
    height = 460
    several = len(keys) > 1
    margin = dict(t=top_margin(True), b=40 + (LEGEND_PX if several else 0), r=135)
    plot_px = height - margin["t"] - margin["b"] - 70  # 70: month ticks turned on their side in a narrow column
    shown = {k: targets[k] for k in keys if targets.get(k) is not None}  # the page passes every rate's target
    lines = sorted({t.value for t in shown.values()})
    values = pd.concat([frame[k] for k in keys]).dropna().astype(float).tolist()
    low, high = rate_axis(values, lines, keys, plot_px)

    series = [frame[k].astype(float) for k in keys]
    wanted = _labelled_points(series)
    sides = label_sides([(row, float(series[i][row]), prefer) for i, row, prefer in wanted], lines, low, high,
                        plot_px, obstacles=_line_obstacles(series))
    fig = go.Figure()
    for i, key in enumerate(keys):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        text = [""] * len(frame)
        position = ["top center"] * len(frame)
        for (j, row, _), side in zip(wanted, sides):
            if j == i and side:
                text[row] = fmt.percent(series[i][row])
                position[row] = f"{side} center"
        fig.add_trace(go.Scatter(
            x=x, y=frame[key], mode="lines+markers+text", name=RATES[key].short or RATES[key].label,
            line=dict(color=color, width=4), marker=dict(size=10), text=text, textposition=position,
            textfont=dict(size=LABEL_SIZE, color=color if several else FONT["color"]), cliponaxis=False,
            hovertemplate="%{x|%m/%Y}: %{y:.1%}<extra>" + RATES[key].label + "</extra>",
        ))
    _target_lines(fig, keys, shown, low, high, plot_px)
    fig.update_yaxes(tickformat=".0%", range=[low, high])
    half_month = pd.Timedelta(days=16)  # the first and last labels stay inside the plot
    fig.update_xaxes(tickformat="%m/%Y", dtick="M1", title_text=None, range=[x.min() - half_month,
                                                                           x.max() + half_month])
    return _layout(fig, title, height=height, margin=margin)


def _target_lines(fig: go.Figure, keys, shown: dict[str, Target], low: float, high: float, plot_px: float) -> None:
    """Each target as a dashed line across the plot, its value named right of the plot at its height: one name (and
    the target colour, not a series') for targets of the same value, names pushed apart when two are close."""
    by_value: dict[float, list[int]] = {}
    for i, key in enumerate(keys):
        if key in shown:
            by_value.setdefault(shown[key].value, []).append(i)
    per_unit = plot_px / (high - low)
    previous = None
    for value in sorted(by_value):
        members = by_value[value]
        color = SERIES_COLORS[members[0] % len(SERIES_COLORS)] if len(keys) > 1 and len(members) == 1 \
            else TARGET_COLOR
        for _ in members:  # one line per rate, drawn over each other
            fig.add_hline(y=value, line=dict(color=color, dash="dash", width=2.5))
        at = (value - low) * per_unit
        shift = 0.0 if previous is None else max(0.0, previous + LABEL_PX - at)
        previous = at + shift
        fig.add_annotation(x=1, xref="paper", xanchor="left", xshift=8, y=value, yref="y", yanchor="middle",
                           yshift=shift, text=f"Chỉ tiêu {fmt.percent(value, 0)}", showarrow=False,
                           font=dict(size=LABEL_SIZE, color=color), align="left")


def unit_rates(frame: pd.DataFrame, key: str, target: Target | None, title: str, max_units: int = 40,
               close_ratio: float = DEFAULT_CLOSE_RATIO) -> go.Figure:
    """Units ranked by one rate, coloured by status against the target ("Gần đạt" from `close_ratio`, the share of
    the target stored with the scoring rules); worst at the top.

    The values stand in a column right of the plot: at the bars' ends they would sit on the target line (units at
    or just under a 100% target) and in its label."""
    spec = RATES[key]
    data = frame.dropna(subset=[key]).sort_values(key, ascending=False).tail(max_units)
    if data.empty:
        return empty_figure(title)
    statuses = [classify(v, target, close_ratio) for v in data[key]]
    numerator = sum(data[f] for f in spec.numerator)
    denominator = sum(-data[f[1:]] if f.startswith("-") else data[f] for f in spec.denominator)
    names = data["unit"].map(plot_text)
    fig = go.Figure(go.Bar(
        x=data[key], y=names, orientation="h", marker_color=[STATUS_COLORS[s] for s in statuses],
        text=[fmt.percent(v) for v in data[key]], textposition="none",  # drawn in the column, not at the bars
        customdata=list(zip(numerator, denominator, [STATUS_LABELS[s] for s in statuses])),
        hovertemplate="%{y}: %{x:.1%} (%{customdata[2]})<br>%{customdata[0]:,} / %{customdata[1]:,} hồ sơ"
                      "<extra></extra>",
        name=spec.label,
    ))
    value_column(fig, list(names), [fmt.percent(v) for v in data[key]])
    if target is not None:
        fig.add_vline(x=target.value, line=dict(color=TARGET_COLOR, dash="dash", width=2.5),
                      annotation_text=f"Chỉ tiêu {fmt.percent(target.value, 0)}", annotation_position="top",
                      annotation_font=dict(size=LABEL_SIZE, color=TARGET_COLOR))
    low = 0.0
    if key == "on_time_rate":
        low = max(0.0, min(0.8, float(data[key].min()) - 0.05))
    high = max(float(data[key].max()), target.value if target else 0) * 1.03 or 1  # the values stand beside the plot
    fig.update_xaxes(tickformat=".0%", range=[low, high])
    fig.update_yaxes(automargin=True, tickfont=dict(size=15))
    return _layout(fig, title, height=max(360, 130 + 30 * len(data)), showlegend=False,
                   margin=dict(t=top_margin(True, above_plot=26 if target is not None else 0)))


def monthly_counts(frame: pd.DataFrame, fields: dict[str, tuple[str, str]], title: str, stacked: bool = True
                   ) -> go.Figure:
    """Counts by month; fields maps a column to (Vietnamese label, colour)."""
    if frame.empty:
        return empty_figure(title)
    x = pd.to_datetime(frame["period"] + "-01")
    fig = go.Figure()
    for column, (label, color) in fields.items():
        fig.add_trace(go.Bar(x=x, y=frame[column], name=label, marker_color=color,
                             hovertemplate="%{x|%m/%Y}: %{y:,} hồ sơ<extra>" + label + "</extra>"))
    fig.update_xaxes(tickformat="%m/%Y", dtick="M1")
    fig.update_yaxes(title_text="Số hồ sơ", tickformat=",d")
    return _layout(fig, title, barmode="stack" if stacked else "group")


def status_donut(counts: dict[str, int], title: str) -> go.Figure:
    order = [s for s in ("met", "close", "behind", "no_data") if counts.get(s)]
    if not order:
        return empty_figure(title, "Chưa có tiêu chí")
    fig = go.Figure(go.Pie(
        labels=[f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}" for s in order], values=[counts[s] for s in order],
        marker=dict(colors=[STATUS_COLORS[s] for s in order], line=dict(color="white", width=2)), hole=0.55,
        sort=False, direction="clockwise", textinfo="value", textfont=dict(size=20),
        hovertemplate="%{label}: %{value} tiêu chí<extra></extra>",
    ))
    fig.add_annotation(text=f"<b>{sum(counts.values())}</b><br>tiêu chí", showarrow=False, font=dict(size=22))
    return _layout(fig, title, height=380, legend=dict(orientation="v", x=1.02, y=0.5))


def unit_vs_level(unit_rates: dict[str, float | None], level_rates: dict[str, float | None], keys: tuple[str, ...],
                  targets: dict[str, Target | None], unit_name: str, level_name: str, title: str) -> go.Figure:
    """A unit's rates beside the rates of its whole level, with targets.

    Each bar's value goes above it, inside its top or above the target mark, whichever keeps both values of a
    rate off the target mark and off each other (bar_label_spots)."""
    labels = [_wrap(RATES[k].short or RATES[k].label) for k in keys]
    height = 460
    margin = dict(t=top_margin(True), b=62 + LEGEND_PX)  # two lines of rate names, then the legend
    plot_px = height - margin["t"] - margin["b"] - 10
    goals = [targets[k].value if targets.get(k) else None for k in keys]
    series = [[unit_rates.get(k) for k in keys], [level_rates.get(k) for k in keys]]
    known = [v for values in series for v in values if v is not None]
    low, high = rate_axis(known, [g for g in goals if g is not None], (), plot_px, labels_above=2)
    fig = go.Figure()
    # the names go in as trace names, escaped, and reach the hover label as %{fullData.name}: a name is never
    # read as HTML nor as a template
    for values, name, color in ((series[0], unit_name, "#0072B2"), (series[1], level_name, "#9E9E9E")):
        fig.add_trace(go.Bar(x=labels, y=values, name=plot_text(name), marker_color=color,
                             hovertemplate="%{x}: %{y:.1%}<extra>%{fullData.name}</extra>"))
    fig.add_trace(go.Scatter(x=labels, y=goals, mode="markers", name="Chỉ tiêu",
                             marker=dict(symbol="line-ew", size=60, line=dict(width=4, color=TARGET_COLOR)),
                             hovertemplate="Chỉ tiêu: %{y:.0%}<extra></extra>"))
    # barmode="group" with two traces and the default gap of 0.2: each bar is 0.4 of a category wide, centred
    # 0.2 left and right of the category (annotations take a category axis's positions as its index)
    for i, goal in enumerate(goals):
        spots = pair_spots([None if values[i] is None else bar_label_spots(values[i], goal, low, high, plot_px)
                            for values in series])
        for offset, values, spot, color in ((-0.2, series[0], spots[0], "#0072B2"),
                                            (0.2, series[1], spots[1], "#52606d")):
            if spot is None:
                continue
            y, side, shift, _, _ = spot
            fig.add_annotation(x=i + offset, xref="x", y=y, yref="y", text=fmt.percent(values[i]),
                               showarrow=False, yanchor="bottom" if shift > 0 else "top", yshift=shift,
                               font=dict(size=LABEL_SIZE, color="white" if side == "inside" else color))
    # the room above 100% is for labels: no rate reaches 120%, so no tick says it
    fig.update_yaxes(tickformat=".0%", range=[low, high], tickvals=[i / 5 for i in range(6)] if high > 1 else None)
    fig.update_xaxes(tickangle=0)  # the names are wrapped: turned, they would take the plot's height
    return _layout(fig, title, height=height, barmode="group", margin=margin)


def _wrap(text: str, width: int = 12) -> str:
    """A short name on lines of about `width` characters (Plotly's <br>), so category ticks never need turning."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(plot_text(line) for line in lines)


Spot = tuple[float, str, int, float, float]  # y it hangs from, side, px shift, px box bottom and top


def bar_label_spots(value: float, goal: float | None, low: float, high: float, plot_px: float) -> list[Spot]:
    """The places a vertical bar's value label may go, best first, each clear of the target mark and inside the
    plot: above the bar, inside its top (when the bar is tall enough), above the target mark, then the two
    "above" places one label higher (for when the neighbouring bar's label takes the first)."""
    per_unit = plot_px / (high - low)
    line = None if goal is None else (goal - low) * per_unit
    clear = LINE_PAD + 2  # the target mark is 4 px thick
    wanted = [(value, "above", 4), (value, "inside", -4)]
    if line is not None and goal > value:
        wanted.append((goal, "above target", clear + 2))
    wanted += [(y, side, shift + LABEL_PX + 2) for y, side, shift in wanted if shift > 0]
    spots = []
    for y, side, shift in wanted:
        base = (y - low) * per_unit + shift
        y0, y1 = (base, base + LABEL_PX) if shift > 0 else (base - LABEL_PX, base)
        if 0 <= y0 and y1 <= plot_px and (line is None or not (y0 - clear < line < y1 + clear)):
            spots.append((y, side, shift, y0, y1))
    return spots


def pair_spots(choices: list[list[Spot] | None]) -> list[Spot | None]:
    """One spot for each of a category's two bars, as good as can be and never overlapping: the two bars stand
    side by side, but in a narrow window a label is wider than its bar, so overlapping heights are not allowed."""
    options = [[*(c or []), None] for c in choices]
    best, best_cost = [None, None], None
    for a, first in enumerate(options[0]):
        for b, second in enumerate(options[1]):
            if first and second and first[3] < second[4] and second[3] < first[4]:
                continue
            cost = a + b + (100 if first is None and choices[0] else 0) + (100 if second is None and choices[1] else 0)
            if best_cost is None or cost < best_cost:
                best, best_cost = [first, second], cost
    return best


def recovery_by_domain(domains: pd.DataFrame, title: str) -> go.Figure:
    """Per domain: the lost points split into recovered (projected) and still lost."""
    if domains.empty:
        return empty_figure(title, "Chưa có kế hoạch")
    frame = domains.sort_values("lost", ascending=True)
    labels = [plot_text(f"{c}. {n}") for c, n in zip(frame["code"], frame["name"])]
    recovered = frame["recovered"].clip(lower=0)
    still = (frame["lost"] - recovered).clip(lower=0)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=recovered, y=labels, orientation="h", name="Dự kiến khôi phục", marker_color="#0072B2",
                         text=[fmt.points(v) if v > 0 else "" for v in recovered], textposition="inside",
                         hovertemplate="%{y}<br>Dự kiến khôi phục: %{x:.2f} điểm<extra></extra>"))
    fig.add_trace(go.Bar(x=still, y=labels, orientation="h", name="Vẫn mất", marker_color="#D55E00",
                         text=[fmt.points(v) if v > 0 else "" for v in still], textposition="inside",
                         hovertemplate="%{y}<br>Vẫn mất: %{x:.2f} điểm<extra></extra>"))
    fig.update_xaxes(title_text="Điểm", rangemode="tozero")
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, height=max(320, 110 + 70 * len(frame)), barmode="stack")


def points_gain_bars(gains: pd.DataFrame, title: str, top: int = 15) -> go.Figure:
    """The actions worth most points: what meeting each criterion's target would add."""
    if gains.empty:
        return empty_figure(title, "Mọi tiêu chí đã đạt đủ điểm")
    data = gains.head(top).iloc[::-1]
    labels = [plot_text(f"{c} · {n[:55]}{'…' if len(n) > 55 else ''}") for c, n in zip(data["code"], data["name"])]
    fig = go.Figure(go.Bar(
        x=data["extra"], y=labels, orientation="h", marker_color=[STATUS_COLORS[s] for s in data["status"]],
        text=[f"+{fmt.points(v)}" for v in data["extra"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>Thêm %{x:.2f} điểm nếu đạt chỉ tiêu<extra></extra>", name="Điểm có thể thêm"))
    fig.update_xaxes(title_text="Điểm có thể thêm", rangemode="tozero",
                     range=[0, float(data["extra"].max()) * 1.25 or 1])
    fig.update_yaxes(automargin=True, tickfont=dict(size=14))
    return _layout(fig, title, height=max(320, 100 + 34 * len(data)), showlegend=False)


def years_lost(frame: pd.DataFrame, title: str) -> go.Figure:
    """Lost points per domain, one bar per plan year, side by side."""
    if frame.empty:
        return empty_figure(title)
    fig = go.Figure()
    for i, (year, rows) in enumerate(frame.groupby("plan_year")):
        appraisal = rows["appraisal_year"].iloc[0]
        fig.add_trace(go.Bar(x=[plot_text(f"{c}. {n}") for c, n in zip(rows["code"], rows["name"])], y=rows["lost"],
                             name=f"Thẩm định {appraisal} (kế hoạch {year})",
                             marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
                             text=[fmt.points(v) for v in rows["lost"]], textposition="outside",
                             hovertemplate="%{x}: %{y:.2f} điểm bị mất<extra></extra>"))
    fig.update_yaxes(title_text="Điểm bị mất", rangemode="tozero")
    return _layout(fig, title, barmode="group")


def for_projector(fig: go.Figure, height: int = 600, x_range: list | tuple | None = None) -> go.Figure:
    """The same figure for a full-screen slide: text sized for the back of a meeting room (20 px ticks, a 30 px
    title), every margin the figure keeps for its own texts (value column, target names, legend) grown with them,
    and `height` only until the browser gives the chart what its slide leaves (st.plotly_chart height="stretch").

    `x_range` puts every page of a ranking split over several slides on one scale.
    """
    big = go.Figure(fig)
    base = 20  # px: a slide's base text (ticks, legend, value columns), up from FONT's 17
    grow = base / FONT["size"]
    margin = big.layout.margin
    subtitle = bool(big.layout.title.subtitle.text)
    above = max(0, (margin.t or 0) - top_margin(subtitle))  # labels the figure keeps just above its plot
    big.update_layout(height=height, autosize=True, font=dict(size=base),
                      title=dict(font=dict(size=30), subtitle=dict(font=dict(size=base))),
                      hoverlabel=dict(font_size=base),
                      legend=dict(font=dict(size=base)),  # Streamlit's theme sets a small one of its own
                      # a value that fits its bar only when shrunk (a 0,25 sliver) is left to the hover, not printed
                      # too small to read from the back of the room
                      uniformtext=dict(minsize=16, mode="hide"),
                      margin=dict(t=(104 if subtitle else 70) + round(above * grow),
                                  r=round((margin.r if margin.r is not None else 30) * grow),
                                  b=round((margin.b if margin.b is not None else 40) * grow)))
    for note in big.layout.annotations:  # value columns, target names: each as much larger as the rest
        note.font.size = round((note.font.size or FONT["size"]) * grow)
    for trace in big.data:
        size = trace.textfont.size if getattr(trace, "textfont", None) is not None else None
        if isinstance(size, (int, float)):  # a set size (data labels); unset ones follow the 20 px font
            trace.textfont.size = round(size * grow)
    big.update_xaxes(tickfont_size=base, title_font_size=base, automargin=True)
    big.update_yaxes(tickfont_size=base, title_font_size=base, automargin=True)
    if x_range is not None:
        big.update_xaxes(range=list(x_range))
    return big
