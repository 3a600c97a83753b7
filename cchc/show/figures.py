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
from ..score.status import STATUS_COLORS, STATUS_LABELS, STATUS_SYMBOLS, classify

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


PLOTLY_CONFIG = {"displaylogo": False, "locale": "vi",
                 "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "toggleSpikelines"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


def _layout(fig: go.Figure, title: str, height: int = 460, **extra) -> go.Figure:
    main, _, subtitle = title.partition("\n")  # a second line (the period, the filters) becomes the subtitle
    main, subtitle = plot_text(main), plot_text(subtitle)  # titles name units and levels: never Plotly's HTML
    settings = dict(
        title=dict(text=main, x=0, xanchor="left", font=dict(size=22),
                   subtitle=dict(text=subtitle, font=dict(size=15, color="#52606d"))),
        font=FONT, separators=",.", height=height,
        margin=dict(l=10, r=30, t=135 if subtitle else 95, b=40), hoverlabel=dict(font_size=16),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
    )
    settings.update(extra)
    fig.update_layout(**settings)
    return fig


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
    return _layout(fig, title, height=max(320, 90 + 70 * len(frame)), showlegend=False)


def rates_vs_targets(cards, title: str) -> go.Figure:
    """One horizontal bar per rate, coloured by status, with its target marked: the overview's scoreboard."""
    if not cards:
        return empty_figure(title)
    cards = list(reversed(cards))
    values = [c.value if c.value is not None else 0 for c in cards]
    labels = [plot_text(f"{c.label}" + (f" ({c.criterion})" if c.criterion else "")) for c in cards]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=values, y=labels, orientation="h", marker_color=[STATUS_COLORS[c.status] for c in cards],
        text=[f"{fmt.percent(c.value)}  {STATUS_SYMBOLS[c.status]} {STATUS_LABELS[c.status]}" for c in cards],
        textposition="outside", cliponaxis=False, name="Kết quả", showlegend=False,
        customdata=[[c.numerator, c.denominator] for c in cards],
        hovertemplate="%{y}: %{x:.1%}<br>%{customdata[0]:,} / %{customdata[1]:,} hồ sơ<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=[c.target.value if c.target else None for c in cards], y=labels, mode="markers",
        marker=dict(symbol="line-ns", size=34, line=dict(width=4, color=TARGET_COLOR)), name="Chỉ tiêu",
        hovertemplate="Chỉ tiêu: %{x:.0%}<extra></extra>",
    ))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.32], title_text=None)
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, height=max(340, 100 + 62 * len(cards)), bargap=0.35)


def monthly_rates(frame: pd.DataFrame, keys: tuple[str, ...], targets: dict[str, Target | None], title: str,
                  ) -> go.Figure:
    """Rates by month (from summed counts) with each target as a dashed line."""
    if frame.empty:
        return empty_figure(title)
    x = pd.to_datetime(frame["period"] + "-01")
    fig = go.Figure()
    values = pd.concat([frame[k] for k in keys]).dropna()
    # value labels help a single line, unless it is flat (twelve "100,0%" on top of each other help nobody)
    labelled = len(keys) == 1 and len(values) and float(values.max() - values.min()) > 0.005
    for i, key in enumerate(keys):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        fig.add_trace(go.Scatter(
            x=x, y=frame[key], mode="lines+markers+text" if labelled else "lines+markers",
            name=RATES[key].label, line=dict(color=color, width=4), marker=dict(size=10),
            text=[fmt.percent(v) for v in frame[key]] if labelled else None, textposition="top center",
            hovertemplate="%{x|%m/%Y}: %{y:.1%}<extra>" + RATES[key].label + "</extra>",
        ))
        target = targets.get(key)
        if target is not None:
            fig.add_hline(y=target.value, line=dict(color=color if len(keys) > 1 else TARGET_COLOR, dash="dash",
                                                    width=2.5),
                          annotation_text=f"Chỉ tiêu {fmt.percent(target.value, 0)}",
                          annotation_position="top left", annotation_font=dict(size=15))
    top = max([1.0] if "on_time_rate" in keys else [0.0])
    highest = max([top, *(t.value for t in targets.values() if t is not None), *(values.tolist() or [0])])
    ceiling = min(highest * 1.12, 1.06) if highest >= 0.9 else highest * 1.12  # no rate passes 100%
    fig.update_yaxes(tickformat=".0%", range=[_floor(values, keys), ceiling or 1])
    fig.update_xaxes(tickformat="%m/%Y", dtick="M1", title_text=None)
    return _layout(fig, title)


def _floor(values: pd.Series, keys) -> float:
    if "on_time_rate" in keys and len(values):
        return max(0.0, min(0.8, float(values.min()) - 0.05))
    return 0.0


def unit_rates(frame: pd.DataFrame, key: str, target: Target | None, title: str, max_units: int = 40) -> go.Figure:
    """Units ranked by one rate, coloured by status against the target; worst at the top."""
    spec = RATES[key]
    data = frame.dropna(subset=[key]).sort_values(key, ascending=False).tail(max_units)
    if data.empty:
        return empty_figure(title)
    statuses = [classify(v, target) for v in data[key]]
    numerator = sum(data[f] for f in spec.numerator)
    denominator = sum(-data[f[1:]] if f.startswith("-") else data[f] for f in spec.denominator)
    fig = go.Figure(go.Bar(
        x=data[key], y=data["unit"].map(plot_text), orientation="h", marker_color=[STATUS_COLORS[s] for s in statuses],
        text=[fmt.percent(v) for v in data[key]], textposition="outside", cliponaxis=False,
        customdata=list(zip(numerator, denominator, [STATUS_LABELS[s] for s in statuses])),
        hovertemplate="%{y}: %{x:.1%} (%{customdata[2]})<br>%{customdata[0]:,} / %{customdata[1]:,} hồ sơ"
                      "<extra></extra>",
        name=spec.label,
    ))
    if target is not None:
        fig.add_vline(x=target.value, line=dict(color=TARGET_COLOR, dash="dash", width=2.5),
                      annotation_text=f"Chỉ tiêu {fmt.percent(target.value, 0)}", annotation_position="top",
                      annotation_font=dict(size=15))
    low = 0.0
    if key == "on_time_rate":
        low = max(0.0, min(0.8, float(data[key].min()) - 0.05))
    high = max(float(data[key].max()), target.value if target else 0) * 1.18 or 1
    fig.update_xaxes(tickformat=".0%", range=[low, high])
    fig.update_yaxes(automargin=True, tickfont=dict(size=15))
    return _layout(fig, title, height=max(360, 110 + 30 * len(data)), showlegend=False)


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
    """A unit's rates beside the rates of its whole level, with targets."""
    labels = [RATES[k].short or RATES[k].label for k in keys]
    fig = go.Figure()
    # the names go in as trace names, escaped, and reach the hover label as %{fullData.name}: a name is never
    # read as HTML nor as a template
    fig.add_trace(go.Bar(x=labels, y=[unit_rates.get(k) for k in keys], name=plot_text(unit_name),
                         marker_color="#0072B2", text=[fmt.percent(unit_rates.get(k)) for k in keys],
                         textposition="outside", hovertemplate="%{x}: %{y:.1%}<extra>%{fullData.name}</extra>"))
    fig.add_trace(go.Bar(x=labels, y=[level_rates.get(k) for k in keys], name=plot_text(level_name),
                         marker_color="#9E9E9E", text=[fmt.percent(level_rates.get(k)) for k in keys],
                         textposition="outside", hovertemplate="%{x}: %{y:.1%}<extra>%{fullData.name}</extra>"))
    fig.add_trace(go.Scatter(x=labels, y=[targets[k].value if targets.get(k) else None for k in keys],
                             mode="markers", name="Chỉ tiêu",
                             marker=dict(symbol="line-ew", size=60, line=dict(width=4, color=TARGET_COLOR)),
                             hovertemplate="Chỉ tiêu: %{y:.0%}<extra></extra>"))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.18])
    return _layout(fig, title, barmode="group")


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


def for_projector(fig: go.Figure, height: int = 720) -> go.Figure:
    """The same figure for a full-screen slide: larger text and a taller canvas."""
    big = go.Figure(fig)
    big.update_layout(height=height, font=dict(size=24), title=dict(font=dict(size=34)),
                      hoverlabel=dict(font_size=22), margin=dict(t=120))
    big.update_layout(title_subtitle_font_size=22)
    big.update_traces(textfont_size=24, selector=dict(type="bar"))
    big.update_traces(textfont_size=22, selector=dict(type="scatter"))
    big.update_xaxes(tickfont_size=20, title_font_size=22)
    big.update_yaxes(tickfont_size=22, title_font_size=22)
    return big
