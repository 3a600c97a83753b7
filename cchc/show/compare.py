"""Change against before: the previous period of the same length, and the same period a year before.

A period is a range of months, "YYYY-MM" to "YYYY-MM". Months 04–06 compare with 01–03, a year with the year before,
01–03/2019 with 10–12/2018. The rates of both periods are sums of counts divided (metrics.rate), never averages of
monthly rates. A comparison is made only where the earlier period holds data for at least as many unit-months as
the one looked at (a quarter with one month stored is not "the previous quarter"; a district total is not compared
with a quarter half its units reported), so nothing is compared with a made-up 0.

Changes are in percentage points, shown as the QĐ 766 portal shows them: ▲ / ▼ / = coloured green when better,
red when worse, yellow when unchanged; "better" depends on the rate's direction (a lower late share is better).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .. import formatting as fmt
from ..fields import STATS_FIELDS
from ..score.metrics import RATES, add_rates, rate
from ..store.database import Store, stats_rows

KINDS = ("previous", "year_before")
KIND_LABELS = {"previous": "kỳ trước", "year_before": "cùng kỳ năm trước"}
LOWER_IS_BETTER = frozenset({"late_rate"})  # shares of dossiers that went wrong: down is better
EQUAL_POINTS = 0.05  # a change that shows as "0,0 điểm %" is no change
VERDICT_COLORS = {"better": "green", "worse": "red", "equal": "yellow"}  # Streamlit's named colours
VERDICT_LABELS = {"better": "tốt hơn", "worse": "kém hơn", "equal": "không đổi"}


# ---------------------------------------------------------------------------------------------------------------
# Period arithmetic
# ---------------------------------------------------------------------------------------------------------------

def month_number(period: str) -> int:
    """"2019-03" → a running month number (year × 12 + month − 1), so periods can be added and subtracted."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def month_period(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def shift(period: str, months: int) -> str:
    return month_period(month_number(period) + months)


def length(start: str, end: str) -> int:
    """Months from start to end, both included."""
    return month_number(end) - month_number(start) + 1


def previous_period(start: str, end: str) -> tuple[str, str]:
    """The period of the same length that ends the month before `start`."""
    n = length(start, end)
    return shift(start, -n), shift(end, -n)


def year_before(start: str, end: str) -> tuple[str, str]:
    return shift(start, -12), shift(end, -12)


def compared_period(kind: str, start: str, end: str) -> tuple[str, str]:
    return previous_period(start, end) if kind == "previous" else year_before(start, end)


def months_of(label: str) -> list[str]:
    """The months a stored period covers: "2019-02" → itself; a span "2019-01..2019-03" → its three months."""
    first, _, last = label.partition("..")
    return [shift(first, i) for i in range(length(first, last or first))]


# ---------------------------------------------------------------------------------------------------------------
# One change
# ---------------------------------------------------------------------------------------------------------------

def verdict(points: float, lower_is_better: bool = False) -> str:
    """"better", "worse" or "equal" for a change of `points` percentage points."""
    if abs(points) < EQUAL_POINTS:
        return "equal"
    return "better" if (points > 0) != lower_is_better else "worse"


def change_text(points: float | None) -> str:
    """"▲ 2,3 điểm %", "▼ 0,4 điểm %", "= 0,0 điểm %"; "–" without a comparison (never a made-up 0)."""
    if points is None or (isinstance(points, float) and np.isnan(points)):
        return "–"
    if abs(points) < EQUAL_POINTS:
        return "= 0,0 điểm %"
    return f"{'▲' if points > 0 else '▼'} {fmt.number(abs(points), 1)} điểm %"


@dataclass(frozen=True)
class Change:
    key: str  # the rate (metrics.RATES)
    kind: str  # "previous" | "year_before"
    start: str  # the period compared with
    end: str
    now: float  # the rate looked at, 0–1
    before: float  # the rate of the compared period, 0–1
    numerator: int  # the compared period's counts behind `before`
    denominator: int

    @property
    def points(self) -> float:
        return (self.now - self.before) * 100

    @property
    def verdict(self) -> str:
        return verdict(self.points, self.key in LOWER_IS_BETTER)

    @property
    def color(self) -> str:
        return VERDICT_COLORS[self.verdict]

    @property
    def text(self) -> str:
        return change_text(self.points)

    @property
    def period_label(self) -> str:
        return fmt.period_range_label(self.start, self.end)

    def describe(self) -> str:
        """One line for a tooltip: the compared period, its rate and the counts behind it."""
        return (f"So với {KIND_LABELS[self.kind]} ({self.period_label}): {fmt.percent(self.before)} "
                f"({fmt.number(self.numerator)} / {fmt.number(self.denominator)} hồ sơ)")


@dataclass(frozen=True)
class Changes:
    """What the rates of a scope (some units, a level or everything) were, and how they moved."""
    counts: dict  # the summed counts of the period looked at (to check a card shows the same scope)
    changes: dict  # {rate key: {kind: Change}}; a kind is absent where there is nothing to compare with

    def of(self, key: str) -> list[Change]:
        return [self.changes[key][kind] for kind in KINDS if kind in self.changes.get(key, {})]


# ---------------------------------------------------------------------------------------------------------------
# From the store
# ---------------------------------------------------------------------------------------------------------------

def unit_months(store: Store, start: str, end: str, units=None, level: str | None = None) -> pd.Series:
    """Months with data in start..end, per unit (a stored span counts each of its months).

    Reads only (unit, period, span end) of the rows the store's own filter keeps (Store._filtered: current rows, a
    span only when the period holds all of it), not every count: a province's year is 3.600 rows."""
    query = store._filtered(sa.select(stats_rows.c.unit, stats_rows.c.period, stats_rows.c.period_end), start, end,
                            units, level)
    with store.engine.connect() as conn:
        rows = conn.execute(query).tuples().all()
    months = pd.Series([1 if last is None else length(first, last) for _, first, last in rows],
                       index=[unit for unit, _, _ in rows], dtype="int64")
    return months.groupby(level=0).sum().astype("int64")


def _sum(counts, fields) -> int:
    return int(sum(-counts[f[1:]] if f.startswith("-") else counts[f] for f in fields))


def rate_changes(store: Store, start: str | None, end: str | None, units=None, level: str | None = None,
                 keys: Iterable[str] = tuple(RATES)) -> Changes:
    """Every rate of start..end for the scope, against the previous period and the same period a year before."""
    keys = tuple(keys)
    if not start or not end:
        return Changes({}, {})
    units = tuple(units) if units else None
    level = level or None
    now = store.stats_totals(start=start, end=end, units=units, level=level)
    months_now = int(unit_months(store, start, end, units, level).sum())  # unit-months with data
    changes: dict[str, dict[str, Change]] = {key: {} for key in keys}
    for kind in KINDS:
        first, last = compared_period(kind, start, end)
        if not months_now or int(unit_months(store, first, last, units, level).sum()) < months_now:
            continue  # the earlier period is missing unit-months: no comparison, rather than a wrong one
        then = store.stats_totals(start=first, end=last, units=units, level=level)
        for key in keys:
            value_now, value_then = rate(now, key), rate(then, key)
            if value_now is None or value_then is None:
                continue
            spec = RATES[key]
            changes[key][kind] = Change(key, kind, first, last, value_now, value_then,
                                        _sum(then, spec.numerator), _sum(then, spec.denominator))
    return Changes(now, changes)


def unit_counts(store: Store, start: str, end: str, level: str | None = None) -> pd.DataFrame:
    """Per unit over start..end: summed counts, rates and the number of months with data ("months")."""
    grouped = store.stats_grouped(by=("unit", "level"), start=start, end=end, level=level or None)
    frame = grouped.groupby("unit", as_index=False)[list(STATS_FIELDS)].sum()  # a unit that changed level: one row
    frame["level"] = frame["unit"].map(grouped.drop_duplicates("unit", keep="last").set_index("unit")["level"])
    frame["months"] = frame["unit"].map(unit_months(store, start, end, level=level or None)).fillna(0).astype("int64")
    return add_rates(frame[["unit", "level", *STATS_FIELDS, "months"]])


def change_column(key: str, kind: str) -> str:
    """The column of unit_changes holding the change of `key` against `kind`, in percentage points."""
    return f"{key}:{kind}"


def unit_changes(store: Store, start: str | None, end: str | None, level: str | None = None,
                 keys: Iterable[str] = tuple(RATES)) -> pd.DataFrame:
    """One row per unit with data in start..end: for each rate and kind, the change in percentage points (NaN where
    the unit has no comparable earlier period or either rate has no denominator)."""
    keys = tuple(keys)
    columns = ["unit", *(change_column(k, kind) for k in keys for kind in KINDS)]
    if not start or not end:
        return pd.DataFrame(columns=columns)
    now = unit_counts(store, start, end, level).set_index("unit")
    out = pd.DataFrame(index=now.index)
    earlier: dict[tuple[str, str], pd.DataFrame] = {}
    for kind in KINDS:
        first, last = compared_period(kind, start, end)
        if (first, last) not in earlier:  # a year's previous period is the year before: read once
            earlier[first, last] = unit_counts(store, first, last, level).set_index("unit")
        then = earlier[first, last].reindex(now.index)
        complete = then["months"].fillna(0) >= now["months"]  # the unit's earlier period is not missing months
        for key in keys:
            points = (now[key] - then[key]) * 100
            out[change_column(key, kind)] = points.where(complete & now[key].notna() & then[key].notna())
    return out.reset_index()[columns]


# ---------------------------------------------------------------------------------------------------------------
# Change columns in the unit tables, and their colours
# ---------------------------------------------------------------------------------------------------------------

# Background tints of the portal's green / red / yellow, dark text on them (readable on a projector).
VERDICT_CSS = {"better": "background-color: #DDF2E3; color: #0B5D26", "worse": "background-color: #FBE0DD; "
               "color: #9B1C14", "equal": "background-color: #FFF3BF; color: #5C4700"}


def change_header(short: str, kind: str) -> str:
    return f"{short} so với {KIND_LABELS[kind]}"


def insert_changes(table: pd.DataFrame, units: pd.Series, changes: pd.DataFrame | None,
                   columns: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """`table` (one row per unit, `units` its unit names, same index) with, after each rate column, the rate's
    change against the previous period and the same period a year before: {rate key: (rate column, short name)}.
    A change column no unit has a value for is left out (nothing shown, not a column of blanks); the cells'
    verdicts ("better", "worse", "equal", "") go to .attrs["verdicts"] for colour."""
    verdicts = pd.DataFrame(index=table.index)
    if changes is None or changes.empty:
        table.attrs["verdicts"] = verdicts
        return table
    by_unit = changes.set_index("unit")
    out = table.copy()
    for key, (after, short) in columns.items():
        position = out.columns.get_loc(after) + 1
        for kind in KINDS:
            name = change_column(key, kind)
            if name not in by_unit:
                continue
            points = pd.Series(by_unit[name].reindex(units.tolist()).to_numpy(), index=table.index)
            if points.isna().all():
                continue
            header = change_header(short, kind)
            out.insert(position, header, [change_text(None if pd.isna(p) else float(p)) for p in points])
            verdicts[header] = ["" if pd.isna(p) else verdict(float(p), key in LOWER_IS_BETTER) for p in points]
            position += 1
    out.attrs["verdicts"] = verdicts
    return out


def cell_styles(table: pd.DataFrame) -> pd.DataFrame:
    """CSS for every cell of `table` (for a pandas Styler): the verdict's colour on change cells, none elsewhere."""
    styles = pd.DataFrame("", index=table.index, columns=table.columns)
    verdicts = table.attrs.get("verdicts")
    if verdicts is None:
        return styles
    for column in verdicts.columns:
        if column in styles:
            styles[column] = verdicts[column].reindex(table.index).fillna("").map(lambda v: VERDICT_CSS.get(v, ""))
    return styles
