"""Vietnamese number formats: 1.234,5 and 95,2%; numeric months "01/2019"."""

from __future__ import annotations

import math


def _swap(text: str) -> str:
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def number(value: float | int | None, decimals: int = 0, trim: bool = False, empty: str = "–") -> str:
    """1234.5 → "1.234,5"; trim=True drops trailing zeros (19.25 → "19,25", 55.0 → "55")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return empty
    text = _swap(f"{value:,.{decimals}f}")
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def points(value: float | None) -> str:
    return number(value, 2, trim=True)


def percent(fraction: float | None, decimals: int = 1, empty: str = "–") -> str:
    """0.952 → "95,2%"; None → "–" (no data is not 0%)."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return empty
    return number(fraction * 100, decimals) + "%"


def period_label(period: str) -> str:
    """"2019-01" → "01/2019"; a span "2019-01..2019-03" → "01–03/2019"."""
    if not period or len(period) < 7:
        return period or ""
    if ".." in period:
        start, end = period.split("..", 1)
        if start[:4] == end[:4]:
            return f"{start[5:7]}–{end[5:7]}/{start[:4]}"
        return f"{period_label(start)}–{period_label(end)}"
    return f"{period[5:7]}/{period[:4]}"


def period_range_label(start: str | None, end: str | None) -> str:
    if not start:
        return "chưa có dữ liệu"
    if start == end:
        return f"tháng {period_label(start)}"
    return f"{period_label(start)} – {period_label(end)}"
