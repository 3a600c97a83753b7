"""The what-if page's model: sliders that start at the measured values, and changes against the current projection.

Only what the user moves becomes an assumption: a slider left where the measurement put it, or a task left as
reported, changes nothing, so with nothing touched the what-if projection is the current projection, criterion by
criterion. Slider values are percents (0–100) as users read them; the scoring takes fractions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .. import formatting as fmt
from ..read.targets import METRICS
from ..score.scoring import SOURCE_LABELS, CriterionScore, PlanScore
from ..score.status import badge
from .figures import points_gain_bars
from .views import target_text

HALF_PERCENTS: tuple[float, ...] = tuple(i / 2 for i in range(201))  # 0 to 100% in half points
CHART_NAME_CHARS = 34  # the chart sits in a column beside the sliders: shorter names leave the bars room
CHART_TITLE = "Việc đáng làm nhất\nĐiểm thêm được nếu đạt chỉ tiêu, so với giả định đang chọn"


def percent_label(percent: float) -> str:
    """A slider position in percent, the Vietnamese way: 96.741… → "96,74%", 15.0 → "15%"."""
    return fmt.number(percent, 2, trim=True) + "%"


@dataclass(frozen=True)
class RateSlider:
    metric: str
    codes: tuple[str, ...]  # the criteria this measured rate scores (one slider per rate)
    label: str  # plain text: the page escapes it
    measured: float | None  # percent; None without data
    options: tuple[float, ...]  # percents

    @property
    def start(self) -> float:
        """Exactly the measured value (no snapping to the grid); 0 without data."""
        return self.measured if self.measured is not None else 0.0


def slider_options(measured: float | None) -> tuple[float, ...]:
    """Half percents plus the measured value itself, so the slider can start on it.

    A half percent that would read the same as the measured value is left out: the widget tells options apart by
    their labels, and the measured value is the one to keep.
    """
    if measured is None:
        return HALF_PERCENTS
    own = percent_label(measured)
    return tuple(sorted({p for p in HALF_PERCENTS if percent_label(p) != own} | {measured}))


def rate_sliders(score: PlanScore) -> list[RateSlider]:
    """One slider per measured rate of the plan's criteria, in plan order, starting at the measured value."""
    by_metric: dict[str, list[CriterionScore]] = {}
    for c in score.criteria:
        if c.target is not None:
            by_metric.setdefault(c.target.metric, []).append(c)
    sliders = []
    for metric, members in by_metric.items():
        first = members[0]
        measured = None if first.value is None else first.value * 100
        name = METRICS[metric].label if metric in METRICS else first.name
        now = percent_label(measured) if measured is not None else "chưa có số liệu"
        label = (f"{', '.join(c.code for c in members)} · {name} (hiện tại {now}; "
                 f"chỉ tiêu {target_text(first.target)})")
        sliders.append(RateSlider(metric, tuple(c.code for c in members), label, measured, slider_options(measured)))
    return sliders


def rate_overrides(sliders: list[RateSlider], chosen: Mapping[str, float]) -> dict[str, float]:
    """metric → fraction for the sliders moved off their start; an untouched slider is no assumption."""
    out = {}
    for s in sliders:
        value = chosen.get(s.metric, s.start)
        if value != s.start:  # exact: an untouched slider returns its start option itself
            out[s.metric] = round(value / 100, 6)
    return out


@dataclass(frozen=True)
class TaskToggle:
    code: str
    label: str  # plain text: the page escapes it
    start: bool  # done, as far as the data says


def task_toggles(score: PlanScore) -> list[TaskToggle]:
    """One toggle per criterion without a measurable target, on when its points are already full."""
    return [TaskToggle(c.code, f"{c.code} · {c.name}", c.status == "met") for c in score.criteria
            if c.target is None]


def task_overrides(toggles: list[TaskToggle], chosen: Mapping[str, bool]) -> dict[str, bool]:
    """code → done for the toggles switched away from their start; an untouched task stays as scored."""
    return {t.code: bool(chosen[t.code]) for t in toggles if t.code in chosen and bool(chosen[t.code]) != t.start}


def projected_points(c: CriterionScore) -> float:
    """A criterion's share of the projected total: its points, or its appraised points without data."""
    return round(c.appraised + c.gain, 6)


def changes(what_if: PlanScore, current: PlanScore) -> dict[str, float]:
    """code → what-if points − current projected points."""
    now = {c.code: projected_points(c) for c in current.criteria}
    return {c.code: round(projected_points(c) - now.get(c.code, c.appraised), 6) for c in what_if.criteria}


def total_change(what_if: PlanScore, current: PlanScore) -> float:
    return round(what_if.projected - current.projected, 6)


def signed_points(value: float) -> str:
    """+1; 0; -0,5 (points, Vietnamese format)."""
    return ("+" if value > 1e-9 else "") + fmt.points(0.0 if abs(value) < 1e-9 else value)


def change_table(what_if: PlanScore, current: PlanScore) -> pd.DataFrame:
    """Every criterion: the assumed value, its points now and under the assumptions, and the change between them."""
    delta = changes(what_if, current)
    now = {c.code: c for c in current.criteria}
    rows = []
    for c in what_if.criteria:
        if c.value is None:
            value = "–"
        elif c.target is not None:
            value = percent_label(c.value * 100)  # as the slider shows it
        else:
            value = fmt.points(c.value) + " điểm"
        before = now.get(c.code)
        rows.append({
            "Mã": c.code, "Tiêu chí": c.name,
            "Chỉ tiêu": target_text(c.target) if c.target else "Nhiệm vụ",
            "Giá trị": value, "Tình trạng": badge(c.status),
            "Điểm dự kiến hiện tại": fmt.points(projected_points(before)) if before else "–",
            "Điểm theo giả định": fmt.points(projected_points(c)),
            "Thay đổi": signed_points(delta[c.code]),
            "Nguồn": SOURCE_LABELS.get(c.source, c.source or ""),
        })
    return pd.DataFrame(rows, columns=["Mã", "Tiêu chí", "Chỉ tiêu", "Giá trị", "Tình trạng", "Điểm dự kiến hiện tại",
                                       "Điểm theo giả định", "Thay đổi", "Nguồn"])


def gains_chart(gains: pd.DataFrame):
    """The "most points for the effort" bars, names cut to fit beside the sliders (the table below has them whole)."""
    def cut(name: str) -> str:
        return name if len(name) <= CHART_NAME_CHARS else name[:CHART_NAME_CHARS].rstrip() + "…"

    return points_gain_bars(gains.assign(name=[cut(n) for n in gains["name"]]), CHART_TITLE)
