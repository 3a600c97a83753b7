"""Rates over any period and any set of units: always sums of counts divided, never averages of rates.

Every function takes summed counts (a dict or a DataFrame of summed columns) and returns fractions 0–1, or
None / NaN where the denominator is zero ("no data" is not 0%).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..fields import PROCEDURE_FIELDS


@dataclass(frozen=True)
class Rate:
    key: str
    label: str  # Vietnamese
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]  # summed; a leading "-" subtracts the field
    metric: str  # the target metric it measures (targets.METRICS)
    criterion: str  # the seed's criterion code, for reference
    short: str = ""  # a label that fits a card on a projector


_SHORT = {"on_time_rate": "Đúng hạn", "late_rate": "Quá hạn", "apology_rate": "Xin lỗi khi quá hạn",
          "online_l3_share": "Trực tuyến mức độ 3", "online_l4_share": "Trực tuyến mức độ 4",
          "online_full_share": "Toàn trình", "online_partial_share": "Một phần", "online_share": "Trực tuyến",
          "bcci_intake_share": "Tiếp nhận qua BCCI", "bcci_return_share": "Trả kết quả qua BCCI"}

RATES: dict[str, Rate] = {r.key: r for r in (
    Rate("on_time_rate", "Tỷ lệ giải quyết đúng hạn", ("resolved_early", "resolved_on_time"),
         ("resolved_total",), "on_time_rate", "3.4"),
    Rate("late_rate", "Tỷ lệ giải quyết quá hạn", ("resolved_late",), ("resolved_total",), "", ""),
    Rate("apology_rate", "Tỷ lệ hồ sơ quá hạn có văn bản xin lỗi", ("late_apologies",),
         ("resolved_late", "pending_overdue"), "apology_rate", "3.7"),
    Rate("online_l3_share", "Tỷ lệ hồ sơ trực tuyến mức độ 3", ("received_online_l3",),
         ("received_total", "-received_carried"), "online_l3_share", "7.2.2"),
    Rate("online_l4_share", "Tỷ lệ hồ sơ trực tuyến mức độ 4", ("received_online_l4",),
         ("received_total", "-received_carried"), "online_l4_share", "7.2.3"),
    Rate("online_full_share", "Tỷ lệ hồ sơ trực tuyến toàn trình", ("received_online_full",),
         ("received_total", "-received_carried"), "online_full_share", ""),
    Rate("online_partial_share", "Tỷ lệ hồ sơ trực tuyến một phần", ("received_online_partial",),
         ("received_total", "-received_carried"), "online_partial_share", ""),
    Rate("online_share", "Tỷ lệ hồ sơ trực tuyến", ("received_online",),
         ("received_total", "-received_carried"), "", ""),
    Rate("bcci_intake_share", "Tỷ lệ hồ sơ tiếp nhận qua BCCI", ("received_bcci",),
         ("received_total", "-received_carried"), "bcci_intake_share", "7.3.2"),
    Rate("bcci_return_share", "Tỷ lệ kết quả trả qua BCCI", ("returned_bcci",), ("resolved_total",),
         "bcci_return_share", "7.3.3"),
)}
RATES = {key: replace(spec, short=_SHORT.get(key, "")) for key, spec in RATES.items()}

METRIC_TO_RATE = {r.metric: r.key for r in RATES.values() if r.metric}


def _sum(counts, fields: tuple[str, ...]):
    total = 0
    for name in fields:
        if name.startswith("-"):
            total = total - counts[name[1:]]
        else:
            total = total + counts[name]
    return total


def rate(counts: Mapping[str, int], key: str) -> float | None:
    """One rate from summed counts; None when nothing was in the denominator."""
    spec = RATES[key]
    denominator = _sum(counts, spec.denominator)
    if not denominator or denominator <= 0:
        return None
    return float(_sum(counts, spec.numerator)) / float(denominator)


def rates(counts: Mapping[str, int]) -> dict[str, float | None]:
    return {key: rate(counts, key) for key in RATES}


def new_received(counts):
    """Dossiers newly received in the period: received total minus those carried in."""
    return counts["received_total"] - counts["received_carried"]


def add_rates(frame: pd.DataFrame, keys: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Add rate columns to a frame of summed counts (one row per group); NaN where the denominator is 0."""
    out = frame.copy()
    for key in keys or tuple(RATES):
        spec = RATES[key]
        numerator = _sum(out, spec.numerator).astype("float64")
        denominator = _sum(out, spec.denominator).astype("float64")
        out[key] = np.where(denominator > 0, numerator / denominator.where(denominator > 0, 1.0), np.nan)
    out["new_received"] = new_received(out)
    return out


def year_to_date(periods: list[str]) -> tuple[str | None, str | None]:
    """The first and last period of the latest year that has data: the default range a leader expects."""
    if not periods:
        return None, None
    year = max(periods)[:4]
    in_year = [p for p in periods if p.startswith(year)]
    return min(in_year), max(in_year)


# The rates the procedure counts give: metric key (targets.METRICS) → (numerator, denominator, criterion).
PROCEDURE_RATES: dict[str, tuple[str, str, str]] = {
    "online_procedures_used": ("procedures_online_used", "procedures_online_offered", "7.2.1"),
    "bcci_procedures_used": ("procedures_bcci_used", "procedures_bcci_offered", "7.3.1"),
    "one_stop_coverage": ("procedures_one_stop", "procedures_total", "3.5.2"),
    "publication_rate": ("procedures_published", "procedures_total", "3.2.4"),
}


# ---------------------------------------------------------------------------------------------------------------
# Rates: always from summed counts
# ---------------------------------------------------------------------------------------------------------------

def procedure_totals(records: pd.DataFrame, year: int | None = None,
                     units: Iterable[str] | None = None) -> dict[str, int]:
    """The counts of PROCEDURE_FIELDS summed over the records (optionally one year, some units)."""
    frame = records
    if year is not None:
        frame = frame[frame["year"] == year]
    if units is not None:
        frame = frame[frame["unit"].isin(list(units))]
    return {name: int(frame[name].sum()) if name in frame and len(frame) else 0 for name in PROCEDURE_FIELDS}


def procedure_rates(totals: Mapping[str, int]) -> dict[str, float | None]:
    """online_procedures_used (7.2.1), bcci_procedures_used (7.3.1), one_stop_coverage (3.5.2) and
    publication_rate (3.2.4) as fractions of summed counts; None when the denominator is 0 ("no data", not 0%)."""
    out: dict[str, float | None] = {}
    for key, (numerator, denominator, _criterion) in PROCEDURE_RATES.items():
        below = totals.get(denominator, 0) or 0
        out[key] = float(totals.get(numerator, 0) or 0) / float(below) if below > 0 else None
    return out
