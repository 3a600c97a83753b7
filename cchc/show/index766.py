"""The Chỉ số 766 page: QĐ 766/QĐ-TTg scores ranked, against the thresholds, over time, beside the TTHC figures.

The scores are the portal's own (Store.index766_scores): nothing here computes a score, it only ranks, compares and
lists them. A period is a month ("2019-06") or a span of months ("2019-04..2019-06"); a span's score is the portal's
score of that span, never an average of its months. The change of a unit is its total against its total of the
period of the same length just before (a month against the month before, a quarter against the quarter before); with
no score there, there is no change ("–"), never a made-up 0.

Beside the scores stand the figures the TTHC statistics give for the same units and months (on-time share, online
share): counts summed over the period's months, then divided (score.metrics), so a leader sees where the points come
from. The two are not derived from each other: the portal scores by its own method.

Pure functions of frames and plain values, no Streamlit; the few that take a store only query it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import formatting as fmt
from ..fields import INDEX766_CODES, INDEX766_GROUPS, INDEX766_LABELS, INDEX766_THRESHOLDS
from ..read.targets import Target
from ..read.text import fold
from ..registry import Registry
from ..score.metrics import add_rates
from ..store.database import Store
from . import compare
from .figures import FONT, SERIES_COLORS, TARGET_COLOR, _layout, empty_figure, plot_text

GROUPS = INDEX766_GROUPS
DEFAULT_THRESHOLDS = INDEX766_THRESHOLDS  # the one constant: Store.index766_thresholds falls back to it
EQUAL_POINTS = 0.005  # scores carry two decimals: a change that shows as 0 is no change
CHANGE_HEADER = "So với kỳ trước"
RANK_HEADER, UNIT_HEADER, LEVEL_HEADER, PORTAL_RANK_HEADER = "Hạng", "Đơn vị", "Cấp", "Hạng trên Cổng"
PERIOD_HEADER = "Kỳ"
ON_TIME_HEADER, ONLINE_HEADER = "Đúng hạn (thống kê TTHC)", "Trực tuyến (thống kê TTHC)"
RESOLVED_HEADER, NEW_HEADER = "Hồ sơ đã giải quyết", "Hồ sơ mới tiếp nhận"
LEAGUE_KEY = "index766_total"  # the league table's column (cchc.show.league.Indicator.key)
LEAGUE_SHORT = "Chỉ số 766"
BOTTOM_COUNT = 3
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# ---------------------------------------------------------------------------------------------------------------
# Headers and numbers
# ---------------------------------------------------------------------------------------------------------------

def group_header(group: str, maxima: Mapping[str, float]) -> str:
    """"CKMB (18)": the portal's code and the group's current maximum."""
    return f"{INDEX766_CODES[group]} ({fmt.points(maxima[group])})"


def total_header(maxima: Mapping[str, float]) -> str:
    return f"Tổng điểm ({fmt.points(sum(maxima[g] for g in GROUPS))})"


def score_text(value) -> str:
    return "–" if value is None or pd.isna(value) else fmt.points(float(value))


def change_text(points) -> str:
    """"▲ 1,5", "▼ 0,25", "= 0" (points of the total); "–" when there is nothing to compare with."""
    if points is None or pd.isna(points):
        return "–"
    if abs(points) < EQUAL_POINTS:
        return "= 0"
    return f"{'▲' if points > 0 else '▼'} {fmt.points(round(abs(float(points)), 2))}"


def verdict(points) -> str:
    """"better", "worse", "equal" (the portal's green, red, yellow); "" without a comparison."""
    if points is None or pd.isna(points):
        return ""
    if abs(points) < EQUAL_POINTS:
        return "equal"
    return "better" if points > 0 else "worse"


# ---------------------------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------------------------

def period_bounds(label: str) -> tuple[str, str]:
    """"2019-06" → ("2019-06", "2019-06"); "2019-04..2019-06" → ("2019-04", "2019-06")."""
    start, _, end = label.partition("..")
    return start, end or start


def period_label(start: str, end: str) -> str:
    return start if start == end else f"{start}..{end}"


def is_span(label: str) -> bool:
    return ".." in label


def period_name(label: str) -> str:
    """How the portal names a period: "Tháng 06/2019", "Quý II/2019", "6 tháng đầu năm 2019", "Năm 2019", else
    "Từ 04/2019 đến 08/2019"."""
    start, end = period_bounds(label)
    if start == end:
        return f"Tháng {fmt.period_label(start)}"
    year, first, last = start[:4], int(start[5:7]), int(end[5:7])
    if start[:4] == end[:4]:
        if last - first == 2 and first % 3 == 1:
            return f"Quý {_ROMAN[(first + 2) // 3]}/{year}"
        if (first, last) == (1, 6):
            return f"6 tháng đầu năm {year}"
        if (first, last) == (7, 12):
            return f"6 tháng cuối năm {year}"
        if (first, last) == (1, 12):
            return f"Năm {year}"
    return f"Từ {fmt.period_label(start)} đến {fmt.period_label(end)}"


def ordered_periods(periods) -> list[str]:
    """Newest first: by last month, a month before a span that ends with it, a shorter span before a longer."""
    def key(label: str):
        start, end = period_bounds(label)
        return end, -compare.length(start, end)

    return sorted(set(periods), key=key, reverse=True)


def default_period(periods) -> str | None:
    """The latest period with scores (a month rather than the quarter ending with it)."""
    ordered = ordered_periods(periods)
    return ordered[0] if ordered else None


def previous_period(label: str) -> str:
    """The period of the same length just before: the month before a month, the quarter before a quarter."""
    return period_label(*compare.previous_period(*period_bounds(label)))


def months_only(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~frame["period"].str.contains("..", regex=False)]


def series_periods(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a trend draws: the months, in order; spans only when there is no month at all (a file of quarters),
    of the commonest length. A quarter and its months on one line would read as consecutive periods."""
    months = months_only(frame)
    if len(months):
        return months.sort_values("period")
    if frame.empty:
        return frame
    lengths = frame["period"].map(lambda p: compare.length(*period_bounds(p)))
    common = lengths.value_counts().idxmax()
    return frame[lengths == common].sort_values("period")


# ---------------------------------------------------------------------------------------------------------------
# The organisation's own row
# ---------------------------------------------------------------------------------------------------------------

def _keys(name: str) -> set[str]:
    key = fold(name)
    return {key, key[5:]} if key.startswith("ubnd ") else {key}  # "UBND huyện Ia Pa" is "Huyện Ia Pa"


def is_organisation(unit: str, name: str, registry: Registry | None = None) -> bool:
    """Whether a score row's unit is the organisation itself: the same name (folded, "UBND " aside), or a name the
    registry resolves to the organisation's entry (its aliases, short name)."""
    if _keys(unit) & _keys(name):
        return True
    mine = registry.lookup(name) if registry is not None and name else None
    return mine is not None and registry.lookup(unit) is mine


def organisation_rows(scores: pd.DataFrame, name: str, registry: Registry | None = None) -> pd.DataFrame:
    """The organisation's own scores (every period), in period order; empty when the files have no row of it."""
    mask = [is_organisation(u, name, registry) for u in scores["unit"]]
    return scores[mask].sort_values("period").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------
# One period: every unit ranked
# ---------------------------------------------------------------------------------------------------------------

def in_period(scores: pd.DataFrame, label: str | None, level: str | None = None) -> pd.DataFrame:
    if label is None:
        return scores.iloc[0:0]
    out = scores[scores["period"] == label]
    if level:
        out = out[out["level"] == level]
    return out.reset_index(drop=True)


def ranked(scores: pd.DataFrame) -> pd.DataFrame:
    """One period's scores best first by total, with "place": equal totals share a place (1, 2, 2, 4), ties listed
    by name; units without a total last, without a place."""
    out = scores.assign(_missing=scores["total"].isna()).sort_values(["_missing", "total", "unit"],
                                                                      ascending=[True, False, True])
    out["place"] = out["total"].rank(method="min", ascending=False).astype("Int64")
    return out.drop(columns="_missing").reset_index(drop=True)


def with_changes(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """`now` with "change": its total minus the unit's total in `before` (NaN when the unit has none there)."""
    earlier = before.drop_duplicates("unit").set_index("unit")["total"] if len(before) else pd.Series(dtype=float)
    return now.assign(change=now["total"] - now["unit"].map(earlier).astype(float))


def ranking_table(frame: pd.DataFrame, maxima: Mapping[str, float],
                  level_labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The ranked period as users read it: Hạng, Đơn vị, Cấp, Tổng điểm (100), So với kỳ trước ("▲ 1,5"), the
    portal's own rank when the file gave one, the six groups headed with their maxima ("CKMB (18)"). The change
    cells' verdicts are in .attrs["verdicts"] (for colour; the arrow says it too)."""
    labels = dict(level_labels or {})
    table = pd.DataFrame({
        RANK_HEADER: [fmt.number(p) if not pd.isna(p) else "–" for p in frame["place"]],
        UNIT_HEADER: frame["unit"],
        LEVEL_HEADER: frame["level"].map(lambda code: labels.get(code, code) if code else "–"),
        total_header(maxima): frame["total"].map(score_text),
        CHANGE_HEADER: frame["change"].map(change_text),
    }, index=frame.index)
    if frame["rank"].notna().any():  # beside the total: what leaders compare first, before the groups
        table[PORTAL_RANK_HEADER] = [fmt.number(r) if not pd.isna(r) else "–" for r in frame["rank"]]
    for group in GROUPS:
        table[group_header(group, maxima)] = frame[group].map(score_text)
    table.attrs["verdicts"] = pd.DataFrame({CHANGE_HEADER: frame["change"].map(verdict)}, index=frame.index)
    return table


# ---------------------------------------------------------------------------------------------------------------
# Thresholds and the bottom of the table
# ---------------------------------------------------------------------------------------------------------------

def bands(frame: pd.DataFrame, low: float, high: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(below low, from low to below high), each lowest total first; units without a total are in neither."""
    scored = frame[frame["total"].notna()].sort_values(["total", "unit"])
    return scored[scored["total"] < low], scored[(scored["total"] >= low) & (scored["total"] < high)]


def _names(frame: pd.DataFrame) -> str:
    return ", ".join(f"{u} ({fmt.points(t)})" for u, t in zip(frame["unit"], frame["total"]))


def threshold_lines(frame: pd.DataFrame, low: float, high: float, bottom: int = BOTTOM_COUNT) -> list[str]:
    """The short list under the table, plain text (names as the files wrote them):
    "Dưới 80 điểm (2 đơn vị): A (75,5), B (78)", "Từ 80 đến dưới 90 điểm (1 đơn vị): C (85)", "Thấp nhất: …"."""
    below, between = bands(frame, low, high)
    lo, hi = fmt.points(low), fmt.points(high)
    lines = [f"Dưới {lo} điểm ({len(below)} đơn vị): {_names(below)}" if len(below) else
             f"Dưới {lo} điểm: không có đơn vị nào.",
             f"Từ {lo} đến dưới {hi} điểm ({len(between)} đơn vị): {_names(between)}" if len(between) else
             f"Từ {lo} đến dưới {hi} điểm: không có đơn vị nào."]
    scored = frame[frame["total"].notna()].sort_values(["total", "unit"])
    if len(scored) > bottom:
        lines.append(f"{bottom} đơn vị thấp nhất: {_names(scored.head(bottom))}")
    missing = frame.loc[frame["total"].isna(), "unit"].tolist()
    if missing:
        lines.append(f"Chưa có tổng điểm ({len(missing)} đơn vị): {', '.join(missing)}")
    return lines


def band_status(total, low: float, high: float) -> str:
    """A total against the thresholds, in the statuses the league shows: met from high, close from low."""
    if total is None or pd.isna(total):
        return "no_data"
    return "met" if total >= high else "close" if total >= low else "behind"


def thresholds_versions_table(versions: pd.DataFrame) -> pd.DataFrame:
    from .views import vietnam_time

    return pd.DataFrame({
        "Lần": versions["import_id"],
        "Thời điểm (giờ Việt Nam)": vietnam_time(versions["updated_at"]),
        "Người sửa": versions["updated_by"],
        "Ngưỡng dưới": versions["low"].map(fmt.points),
        "Ngưỡng trên": versions["high"].map(fmt.points),
        "Hiệu lực": versions["current"].map(lambda c: "Đang dùng" if c else ""),
    })


# ---------------------------------------------------------------------------------------------------------------
# One unit over time
# ---------------------------------------------------------------------------------------------------------------

def places(scores: pd.DataFrame) -> pd.DataFrame:
    """Every unit's place by total within each period, and the number of units with a total there."""
    out = scores.copy()
    out["place"] = out.groupby("period")["total"].rank(method="min", ascending=False).astype("Int64")
    out["of"] = out.groupby("period")["total"].transform("count")
    return out


def unit_history(scores: pd.DataFrame, unit: str) -> pd.DataFrame:
    """A unit's scores over the periods its trend draws (series_periods), with its place among the units scored
    in each period ("place", "of") and the change since the period before ("change")."""
    placed = places(scores)
    rows = placed[placed["unit"] == unit]
    return _changes_over_time(series_periods(rows), scores[scores["unit"] == unit])


def _changes_over_time(rows: pd.DataFrame, all_rows: pd.DataFrame) -> pd.DataFrame:
    by_period = all_rows.drop_duplicates("period").set_index("period")["total"]
    before = rows["period"].map(lambda p: by_period.get(previous_period(p), np.nan)).astype(float)
    return rows.assign(change=rows["total"] - before).reset_index(drop=True)


def history_table(history: pd.DataFrame, maxima: Mapping[str, float]) -> pd.DataFrame:
    """A unit's periods, newest first: Kỳ, Tổng điểm (100), So với kỳ trước, Hạng (among the units scored that
    period, "3/20"), the portal's rank when given, the six groups."""
    rows = history.iloc[::-1].reset_index(drop=True)
    table = pd.DataFrame({
        PERIOD_HEADER: rows["period"].map(period_name),
        total_header(maxima): rows["total"].map(score_text),
        CHANGE_HEADER: rows["change"].map(change_text),
        RANK_HEADER: [f"{fmt.number(p)}/{fmt.number(n)}" if not pd.isna(p) else "–"
                      for p, n in zip(rows["place"], rows["of"])],
    })
    if rows["rank"].notna().any():
        table[PORTAL_RANK_HEADER] = [fmt.number(r) if not pd.isna(r) else "–" for r in rows["rank"]]
    for group in GROUPS:
        table[group_header(group, maxima)] = rows[group].map(score_text)
    table.attrs["verdicts"] = pd.DataFrame({CHANGE_HEADER: rows["change"].map(verdict)}, index=table.index)
    return table


def own_figures(scores: pd.DataFrame, unit: str, label: str) -> dict[str, str] | None:
    """The organisation's cards for a period: total, its change since the period before ("▲ 1,5") and that
    change's verdict, its place by total among the units scored ("3/20"), the portal's rank ("–" when not given);
    None when the unit has no score in the period."""
    placed = places(scores)
    here = placed[(placed["unit"] == unit) & (placed["period"] == label)]
    if here.empty:
        return None
    row = with_changes(here, in_period(scores, previous_period(label))).iloc[0]
    return {"total": score_text(row["total"]), "change": change_text(row["change"]), "verdict": verdict(row["change"]),
            "place": "–" if pd.isna(row["place"]) else f"{fmt.number(row['place'])}/{fmt.number(row['of'])}",
            "rank": "–" if pd.isna(row["rank"]) else fmt.number(row["rank"])}


def _x_labels(frame: pd.DataFrame) -> list[str]:
    return [fmt.period_label(p) for p in frame["period"]]


def _score_range(values: list[float], lines: list[float], ceiling: float) -> list[float]:
    low = min([*values, *lines]) if values or lines else 0.0
    return [max(0.0, np.floor((low - 8) / 5) * 5), ceiling + 4]


def total_figure(history: pd.DataFrame, title: str, thresholds: tuple[float, float] | None = None,
                 ceiling: float = 100.0) -> go.Figure:
    """A unit's total by period, each value written on its point; the thresholds as dashed lines named at the
    right ("80 điểm")."""
    rows = history[history["total"].notna()]
    if rows.empty:
        return empty_figure(title, "Chưa có tổng điểm để vẽ")
    lines = sorted(thresholds or ())
    fig = go.Figure(go.Scatter(
        x=_x_labels(rows), y=rows["total"], mode="lines+markers+text", name="Tổng điểm",
        line=dict(color=SERIES_COLORS[0], width=4), marker=dict(size=10),
        text=[fmt.points(v) for v in rows["total"]], textposition="top center",
        textfont=dict(size=15, color=FONT["color"]), cliponaxis=False,
        hovertemplate="%{x}: %{y:.2f} điểm<extra>Tổng điểm</extra>"))
    for value in lines:
        fig.add_hline(y=value, line=dict(color=TARGET_COLOR, dash="dash", width=2))
        fig.add_annotation(x=1, xref="paper", xanchor="left", xshift=8, y=value, yref="y", yanchor="middle",
                           text=f"{fmt.points(value)} điểm", showarrow=False, font=dict(size=15, color=TARGET_COLOR))
    fig.update_yaxes(range=_score_range(rows["total"].astype(float).tolist(), lines, ceiling), title_text="Điểm")
    fig.update_xaxes(type="category", title_text=None)
    return _layout(fig, title, height=400, margin=dict(r=90), showlegend=False)


def groups_figure(history: pd.DataFrame, maxima: Mapping[str, float], title: str) -> go.Figure:
    """The six groups by period, one line each, named with their maxima ("CKMB (18)") in the legend and the
    hover (the full name)."""
    if history.empty or history[list(GROUPS)].isna().all().all():
        return empty_figure(title, "Chưa có điểm nhóm chỉ số để vẽ")
    fig = go.Figure()
    x = _x_labels(history)
    for i, group in enumerate(GROUPS):
        if history[group].isna().all():
            continue
        fig.add_trace(go.Scatter(
            x=x, y=history[group], mode="lines+markers", name=group_header(group, maxima),
            line=dict(color=SERIES_COLORS[i % len(SERIES_COLORS)], width=3), marker=dict(size=8),
            hovertemplate="%{x}: %{y:.2f} / " + fmt.points(maxima[group]) + " điểm<extra>"
                          + plot_text(INDEX766_LABELS[group]) + "</extra>"))
    fig.update_yaxes(range=[0, max(maxima.values()) + 2], title_text="Điểm")
    fig.update_xaxes(type="category", title_text=None)
    return _layout(fig, title, height=420)


# ---------------------------------------------------------------------------------------------------------------
# The TTHC figures beside the scores
# ---------------------------------------------------------------------------------------------------------------

def stats_by_unit(store: Store, label: str, units: tuple[str, ...]) -> pd.DataFrame:
    """The units' TTHC counts summed over the period's months (a span record inside it included), with their
    rates (sums divided: score.metrics.add_rates)."""
    if not units:
        return pd.DataFrame(columns=["unit"])
    start, end = period_bounds(label)
    counts = store.stats_grouped(by=("unit",), start=start, end=end, units=list(units))
    return add_rates(counts, ("on_time_rate", "online_share")) if len(counts) else pd.DataFrame(columns=["unit"])


def beside_table(frame: pd.DataFrame, stats: pd.DataFrame, maxima: Mapping[str, float]) -> pd.DataFrame:
    """One row per ranked unit: its total, TDGQ beside the on-time share of its dossiers, DVCTT beside its online
    share, with the dossiers behind each share ("–" where the statistics have nothing for the unit)."""
    by_unit = stats.set_index("unit") if len(stats) else pd.DataFrame()

    def pick(unit: str, column: str):
        return by_unit.at[unit, column] if unit in by_unit.index and column in by_unit.columns else np.nan

    return pd.DataFrame({
        UNIT_HEADER: frame["unit"],
        total_header(maxima): frame["total"].map(score_text),
        group_header("tdgq", maxima): frame["tdgq"].map(score_text),
        ON_TIME_HEADER: [fmt.percent(pick(u, "on_time_rate")) for u in frame["unit"]],
        RESOLVED_HEADER: [fmt.number(pick(u, "resolved_total")) for u in frame["unit"]],
        group_header("dvctt", maxima): frame["dvctt"].map(score_text),
        ONLINE_HEADER: [fmt.percent(pick(u, "online_share")) for u in frame["unit"]],
        NEW_HEADER: [fmt.number(pick(u, "new_received")) for u in frame["unit"]],
    })


# ---------------------------------------------------------------------------------------------------------------
# The Đơn vị league table's "Chỉ số 766" column
# ---------------------------------------------------------------------------------------------------------------

def period_for_range(periods, start: str | None, end: str | None) -> str | None:
    """The scores a league of start..end shows: those of exactly that period (a month, or a span stored as such),
    else of the latest month inside it (a score is a state at a moment, like the portal's current month; never an
    average of months); None when no score lies inside."""
    if not start or not end:
        return None
    periods = set(periods)
    exact = period_label(start, end)
    if exact in periods:
        return exact
    inside = [p for p in periods if not is_span(p) and start <= p <= end]
    return max(inside) if inside else None


def league_indicator(label: str, thresholds: tuple[float, float]):
    from .league import Indicator

    return Indicator(LEAGUE_KEY, f"Chỉ số 766 (tổng điểm, {period_name(label).lower()})", LEAGUE_SHORT,
                     Target(LEAGUE_KEY, ">=", float(thresholds[1])), percent=False)


def join_league(frame: pd.DataFrame, chosen: list, scores: pd.DataFrame, start: str | None, end: str | None,
                thresholds: tuple[float, float]) -> tuple[pd.DataFrame, list]:
    """The league (cchc.show.league.league's frame and indicators) with the Chỉ số 766 total joined on: the value
    (period_for_range of start..end), its change since the previous period's score (points), its status against the
    thresholds (✔ from the upper, ◐ from the lower, ✖ below). Unchanged when no unit of the league has a score."""
    label = period_for_range(scores["period"], start, end)
    if frame.empty or "unit" not in frame:
        return frame, chosen
    now = in_period(scores, label).drop_duplicates("unit").set_index("unit")["total"]
    values = frame["unit"].map(now).astype(float)
    if values.isna().all():
        return frame, chosen
    # compared like with like: a span with the span before it, a month with the latest month of the range before
    before_label = previous_period(label) if is_span(label) else period_for_range(
        [p for p in scores["period"] if not is_span(p)], *compare.previous_period(start, end))
    before = in_period(scores, before_label).drop_duplicates("unit").set_index("unit")["total"] \
        if before_label else pd.Series(dtype=float)
    low, high = thresholds
    out = frame.copy()
    out[LEAGUE_KEY] = values
    out[f"{LEAGUE_KEY}:previous"] = values - frame["unit"].map(before).astype(float)
    out[f"{LEAGUE_KEY}:status"] = [band_status(v, low, high) for v in values]
    return out, [*chosen, league_indicator(label, thresholds)]


def league_with_scores(store: Store, start: str | None, end: str | None, level: str | None = None,
                       year: int | None = None) -> tuple[pd.DataFrame, list]:
    """cchc.show.league.league, with the Chỉ số 766 column where the store has scores for its units and period."""
    from . import league

    frame, chosen = league.league(store, start, end, level, year)
    if not chosen:
        return frame, chosen
    return join_league(frame, chosen, store.index766_scores(), start, end, store.index766_thresholds())
