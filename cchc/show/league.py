"""Every unit side by side: the league table (issue 15) and the units that miss any measured target.

A unit's figures are its counts summed over the period, then divided (metrics.add_rates). The league ranks the units
on one chosen indicator; every indicator the data measures is shown with its status against the target and its
change since the previous period of the same length (compare.py, where that period has data).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import formatting as fmt
from ..read.plan import Plan
from ..read.targets import Target
from ..score.metrics import RATES
from ..score.status import DEFAULT_CLOSE_RATIO, STATUS_SYMBOLS, badge, classify
from ..store.database import Store, plan_for
from . import compare
from .views import close_ratio, target_for


@dataclass(frozen=True)
class Indicator:
    key: str  # a rate of metrics.RATES, or the key an extra provider brings
    label: str  # full name, for the ranking picker
    short: str  # column header
    target: Target | None = None
    lower_is_better: bool = False
    percent: bool = True  # a 0–1 share (changes in percentage points); False: a score (changes in points)


# Indicators that do not come from the monthly counts join the league here: the "Chỉ số 766" total is the first to
# come. Each entry is (Indicator, provider); provider(store, start, end, level) returns a frame with a "unit" column
# and a column named indicator.key (NaN where a unit has no value). The league asks it for the period looked at
# and for the previous one, ranks on it when chosen, and shows its status (against indicator.target) and change.
EXTRA_INDICATORS: list[tuple[Indicator, Callable[[Store, str, str, str | None], pd.DataFrame]]] = []

STATS_INDICATORS = ("on_time_rate", "apology_rate", "online_l3_share", "online_l4_share", "online_full_share",
                    "online_partial_share", "bcci_intake_share", "bcci_return_share")
_SHORT = {"on_time_rate": "Đúng hạn", "apology_rate": "Xin lỗi", "online_l3_share": "Mức độ 3",
          "online_l4_share": "Mức độ 4", "online_full_share": "Toàn trình", "online_partial_share": "Một phần",
          "bcci_intake_share": "Tiếp nhận BCCI", "bcci_return_share": "Trả BCCI"}
_LEVEL_FIELDS = ("received_online_l3", "received_online_l4")
_ERA_FIELDS = ("received_online_full", "received_online_partial")  # Nghị định 42/2022: toàn trình / một phần


def measured_rates(units: pd.DataFrame) -> tuple[str, ...]:
    """The rates the data measures: online level 3/4, or toàn trình / một phần when that is what the data has
    (both pairs when both are there; level 3/4 when neither is, as the seed's targets name them)."""
    def has(fields) -> bool:
        return bool(len(units)) and any(int(units[f].sum()) > 0 for f in fields if f in units)

    levels, era = has(_LEVEL_FIELDS), has(_ERA_FIELDS)
    online = (("online_l3_share", "online_l4_share") if levels or not era else ()) + (
        ("online_full_share", "online_partial_share") if era else ())
    return ("on_time_rate", "apology_rate", *online, "bcci_intake_share", "bcci_return_share")


def indicators(units: pd.DataFrame, plan: Plan | None) -> list[Indicator]:
    """The league's columns: the measured rates with their targets (the plan's, else the national norms), then the
    extra indicators."""
    out = []
    for key in measured_rates(units):
        spec = RATES[key]
        target, _ = target_for(plan, spec.metric)
        out.append(Indicator(key, spec.label, _SHORT[key], target, key in compare.LOWER_IS_BETTER))
    return out + [indicator for indicator, _ in EXTRA_INDICATORS]


def _denominator(frame: pd.DataFrame, key: str) -> pd.Series:
    if key not in RATES:
        return pd.Series(0, index=frame.index)
    return sum(-frame[f[1:]] if f.startswith("-") else frame[f] for f in RATES[key].denominator)


def _extra_values(store: Store, start: str, end: str, level: str | None, units: pd.Index) -> pd.DataFrame:
    out = pd.DataFrame(index=units)
    for indicator, provider in EXTRA_INDICATORS:
        values = provider(store, start, end, level)
        out[indicator.key] = values.set_index("unit")[indicator.key].reindex(units) if len(values) else np.nan
    return out


def league(store: Store, start: str | None, end: str | None, level: str | None = None,
           year: int | None = None) -> tuple[pd.DataFrame, list[Indicator]]:
    """(frame, indicators): one row per unit with data in start..end (of `level`, or every level): its summed
    counts, each indicator's value, f"{key}:status" and f"{key}:previous" (change since the previous period, in
    percentage points for shares, NaN where there is nothing to compare with)."""
    if not start or not end:
        return pd.DataFrame(columns=["unit", "level"]), []
    now = compare.unit_counts(store, start, end, level).set_index("unit")
    chosen = indicators(now, plan_for(store, year))
    ratio = close_ratio(store, year)  # "Gần đạt" as a share of the target, stored with the scoring rules
    first, last = compare.previous_period(start, end)
    then = compare.unit_counts(store, first, last, level).set_index("unit").reindex(now.index)
    complete = then["months"].fillna(0) >= now["months"]  # the earlier period is not missing months
    extra_now = _extra_values(store, start, end, level, now.index)
    extra_then = _extra_values(store, first, last, level, now.index)
    for indicator in chosen:
        key = indicator.key
        if key in RATES:
            value, before = now[key], then[key].where(complete)
        else:
            value, before = extra_now[key], extra_then[key]
            now[key] = value
        scale = 100 if indicator.percent else 1
        now[f"{key}:previous"] = (value - before) * scale
        now[f"{key}:status"] = [classify(None if pd.isna(v) else float(v), indicator.target, ratio)
                                for v in value]
    return now.reset_index(), chosen


def ranked(frame: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """The units best first on `indicator`, with "rank": equal values share a rank (1, 2, 2, 4); units without a
    value come last, unranked. Within a tie the unit with more dossiers behind its figure comes first, then by name."""
    key = indicator.key
    out = frame.assign(_weight=_denominator(frame, key), _missing=frame[key].isna())
    out = out.sort_values(["_missing", key, "_weight", "unit"],
                          ascending=[True, indicator.lower_is_better, False, True], na_position="last")
    ranks = out[key].rank(method="min", ascending=indicator.lower_is_better)
    out["rank"] = ranks.astype("Int64")
    return out.drop(columns=["_weight", "_missing"]).reset_index(drop=True)


def _value_text(value, indicator: Indicator) -> str:
    if value is None or pd.isna(value):
        return "–"
    return fmt.percent(float(value)) if indicator.percent else fmt.points(float(value))


def _change_text(points, indicator: Indicator) -> str:
    text = compare.change_text(None if pd.isna(points) else float(points))
    return text if indicator.percent else text.replace(" điểm %", " điểm")


def _verdict(points, indicator: Indicator) -> str:
    if pd.isna(points):
        return ""
    return compare.verdict(float(points), indicator.lower_is_better)


def league_table(frame: pd.DataFrame, chosen: list[Indicator], first: str,
                 level_labels: Mapping[str, str] | None = None, for_excel: bool = False) -> pd.DataFrame:
    """The ranked frame as users read it: Hạng, Đơn vị, Cấp, then for each indicator (the one ranked on first) its
    value with the status symbol ("✔ 95,2%") and its change since the previous period ("▲ 2,3 điểm %").

    for_excel: the value as a number the workbook can sort, and the status in words in a column of its own.
    The change cells' verdicts ("better", "worse", "equal", "") are in .attrs["verdicts"] (index-aligned), for
    colour."""
    labels = dict(level_labels or {})
    order = sorted(chosen, key=lambda i: i.key != first)
    table = pd.DataFrame({
        "Hạng": [fmt.number(r) if not pd.isna(r) else "–" for r in frame["rank"]],
        "Đơn vị": frame["unit"],
        "Cấp": frame["level"].map(lambda code: labels.get(code, code)),
    }, index=frame.index)
    verdicts = pd.DataFrame(index=frame.index)
    for indicator in order:
        key = indicator.key
        values = frame[key]
        if for_excel:
            table[indicator.short] = [_value_text(v, indicator) for v in values]
            table[f"{indicator.short}: tình trạng"] = frame[f"{key}:status"].map(badge)
        else:
            table[indicator.short] = [_value_text(v, indicator) if s == "no_data" else
                                      f"{STATUS_SYMBOLS[s]} {_value_text(v, indicator)}"
                                      for v, s in zip(values, frame[f"{key}:status"])]
        column = compare.change_header(indicator.short, "previous")
        table[column] = [_change_text(p, indicator) for p in frame[f"{key}:previous"]]
        verdicts[column] = [_verdict(p, indicator) for p in frame[f"{key}:previous"]]
    table.attrs["verdicts"] = verdicts
    return table


def level_choices(stats_units: pd.DataFrame, organisation_levels: tuple[tuple[str, str], ...]) -> list[str]:
    """The levels to filter on: the organisation's levels that have data, in its order, then any other level the
    data names; "" (every level) first."""
    present = list(dict.fromkeys(stats_units["level"].dropna().tolist())) if len(stats_units) else []
    known = [code for code, _ in organisation_levels if code in present]
    return ["", *known, *(code for code in present if code not in known)]


# ---------------------------------------------------------------------------------------------------------------
# Units that miss a measured target (the overview's "Đơn vị chưa đạt")
# ---------------------------------------------------------------------------------------------------------------

def missed_targets(units: pd.DataFrame, plan: Plan | None, ratio: float = DEFAULT_CLOSE_RATIO
                   ) -> tuple[pd.DataFrame, list[Indicator]]:
    """(frame, indicators with a target): the units that miss at least one measured target over the period, the
    most targets missed first (then the lowest on-time rate, then by name), with "missed" (how many) and each
    indicator's status. A rate without data for a unit (no late dossier, say) is not counted as missed."""
    chosen = [i for i in indicators(units, plan) if i.key in RATES and i.target is not None]
    frame = units.copy()
    missed = pd.Series(0, index=frame.index)
    for indicator in chosen:
        statuses = [classify(None if pd.isna(v) else float(v), indicator.target, ratio)
                    for v in frame[indicator.key]]
        frame[f"{indicator.key}:status"] = statuses
        missed += pd.Series([s in ("close", "behind") for s in statuses], index=frame.index).astype(int)
    frame["missed"] = missed
    frame = frame[frame["missed"] > 0]
    frame = frame.sort_values(["missed", "on_time_rate", "unit"], ascending=[False, True, True], na_position="last")
    return frame.reset_index(drop=True), chosen


def missed_table(frame: pd.DataFrame, chosen: list[Indicator],
                 level_labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per unit behind: how many targets it misses, then one column per target (header with the target):
    the value with its status where missed ("✖ 80,0%"), "✔" where met, "–" without data."""
    from .views import target_text

    labels = dict(level_labels or {})
    table = pd.DataFrame({
        "Đơn vị": frame["unit"],
        "Cấp": frame["level"].map(lambda code: labels.get(code, code)),
        "Số chỉ tiêu chưa đạt": frame["missed"].map(fmt.number),
    })
    for indicator in chosen:
        cells = []
        for value, status in zip(frame[indicator.key], frame[f"{indicator.key}:status"]):
            if status == "no_data":
                cells.append("–")
            elif status == "met":
                cells.append(STATUS_SYMBOLS["met"])
            else:
                cells.append(f"{STATUS_SYMBOLS[status]} {_value_text(value, indicator)}")
        table[f"{indicator.short} ({target_text(indicator.target)})"] = cells
    return table
