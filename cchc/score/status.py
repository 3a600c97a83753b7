"""Met / close / behind / no data: how a measured value stands against its target.

"Close" is within CLOSE_MARGIN (absolute, in fraction points) below the target: 95% against 100%, 15%
against 20%. The colours are the Okabe–Ito palette, readable by colour-blind viewers and on a projector;
every status also carries a symbol and a word, so nothing depends on colour alone.
"""

from __future__ import annotations

from ..read.targets import Target

CLOSE_MARGIN = 0.05

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


def classify(value: float | None, target: Target | None) -> str:
    if value is None or target is None:
        return "no_data"
    if met(value, target):
        return "met"
    if target.op == "<=":
        return "close" if value <= target.value + CLOSE_MARGIN else "behind"
    return "close" if value >= target.value - CLOSE_MARGIN else "behind"


def badge(status: str) -> str:
    return f"{STATUS_SYMBOLS[status]} {STATUS_LABELS[status]}"
