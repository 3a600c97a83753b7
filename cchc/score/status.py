"""Met / close / behind / no data: how a measured value stands against its target.

"Close" (Gần đạt) is relative to the target: a value that reaches `close_ratio` of it (default 90 %) without
meeting it. 96,7 % against 100 % is close, 6,6 % against 10 % is behind (9 % would be close). For an "at most"
target the value may exceed the target by the same proportion: at most 50 % is close up to 50 % / 0,9 ≈ 55,6 %.
The ratio is a setting stored with the plan's scoring rules (rules.close_ratio_from_json), edited on Dữ liệu.

The colours are the Okabe–Ito palette, readable by colour-blind viewers and on a projector; every status also
carries a symbol and a word, so nothing depends on colour alone.
"""

from __future__ import annotations

from ..read.targets import Target

DEFAULT_CLOSE_RATIO = 0.9
_EPS = 1e-9  # 0.1 × 0.9 is 0.09000000000000001 in floating point: exactly 90 % must still count as close

STATUSES = ("met", "close", "behind", "no_data")
STATUS_LABELS = {"met": "Đạt", "close": "Gần đạt", "behind": "Chưa đạt", "no_data": "Chưa có số liệu"}
STATUS_SYMBOLS = {"met": "✔", "close": "◐", "behind": "✖", "no_data": "–"}
STATUS_COLORS = {"met": "#0072B2", "close": "#E69F00", "behind": "#D55E00", "no_data": "#9E9E9E"}


def met(value: float | None, target: Target) -> bool | None:
    """Whether a measured value meets the target; None without a value. "=" targets count as "at least"."""
    if value is None:
        return None
    if target.op == "<=":
        return value <= target.value + 1e-12
    return value >= target.value - 1e-12


def valid_close_ratio(ratio: object) -> bool:
    """A share of the target strictly above 0 and at most 1 (1: nothing is "close", only met or behind)."""
    return isinstance(ratio, (int, float)) and not isinstance(ratio, bool) and 0 < ratio <= 1


def classify(value: float | None, target: Target | None, close_ratio: float = DEFAULT_CLOSE_RATIO) -> str:
    if value is None or target is None:
        return "no_data"
    if met(value, target):
        return "met"
    ratio = close_ratio if valid_close_ratio(close_ratio) else DEFAULT_CLOSE_RATIO
    if target.op == "<=":
        return "close" if value * ratio <= target.value + _EPS else "behind"
    return "close" if value >= target.value * ratio - _EPS else "behind"


def badge(status: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {STATUS_LABELS[status]}"
