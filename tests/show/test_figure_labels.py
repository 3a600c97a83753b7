"""Charts that read cleanly (issue 14): value labels never on a target line nor on each other, legends never over
the subtitle, the online and BCCI axes fitted to their data, Plotly's own words in Vietnamese.

Positions are checked on the figure objects, in px, as Plotly lays them out: the plot is `height - margin.t -
margin.b` px high (and up to 70 px less when a narrow column turns the month ticks on their side: both heights are
checked), a label is its font size × 1.3 px high and starts 5 px (a marker's radius) from its point. The expected
values are worked out by hand from the small frames below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit

from cchc.read.targets import Target
from cchc.show import figures
from cchc.show.views import RateCard

TITLE = "Tỷ lệ giải quyết đúng hạn theo tháng\n01/2019 – 06/2019, tất cả các cấp"
TICKS_TURNED_PX = 70


def months(n: int) -> list[str]:
    return [f"2019-{m:02d}" for m in range(1, n + 1)]


def target(metric: str, value: float) -> Target:
    return Target(metric, ">=", value)


def plot_heights(fig) -> list[float]:
    full = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    return [full, full - TICKS_TURNED_PX]


def to_px(fig, y: float, plot_px: float) -> float:
    low, high = fig.layout.yaxis.range
    return (y - low) / (high - low) * plot_px


def line_labels(fig) -> list[dict]:
    """The value labels a line chart draws: month number (0-based), value, side, text, font size."""
    labels = []
    for trace in fig.data:
        if trace.type != "scatter" or trace.text is None:
            continue
        for row, (text, y) in enumerate(zip(trace.text, trace.y)):
            if text:
                position = trace.textposition[row] if isinstance(trace.textposition, tuple) else trace.textposition
                labels.append({"row": row, "y": float(y), "side": position.split()[0], "text": text,
                               "size": trace.textfont.size})
    return labels


def label_box(fig, label: dict, plot_px: float) -> tuple[float, float]:
    at, height = to_px(fig, label["y"], plot_px), label["size"] * 1.3
    return (at + 5, at + 5 + height) if label["side"] == "top" else (at - 5 - height, at - 5)


def target_values(fig) -> list[float]:
    return [shape.y0 for shape in fig.layout.shapes if shape.y0 == shape.y1]


def assert_labels_clear(fig) -> None:
    """No label box holds a target line; labels one month apart or less never overlap; every label in the plot."""
    labels = line_labels(fig)
    assert labels, "no label at all"
    for plot_px in plot_heights(fig):
        boxes = [(label, label_box(fig, label, plot_px)) for label in labels]
        for label, (y0, y1) in boxes:
            assert 0 <= y0 and y1 <= plot_px, (label, plot_px)
            for value in target_values(fig):
                assert not (y0 - 1 < to_px(fig, value, plot_px) < y1 + 1), (label, value, plot_px)
        for i, (a, (a0, a1)) in enumerate(boxes):
            for b, (b0, b1) in boxes[i + 1:]:
                if abs(a["row"] - b["row"]) <= 1:
                    assert a1 <= b0 or b1 <= a0, (a, b, plot_px)


def on_time_frame(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"period": months(len(values)), "on_time_rate": values})


# --- line charts: which points carry a value, and on which side -----------------------------------------------------

def test_only_the_last_point_and_the_extremes_carry_a_value():
    # Jun is the last point (98%), May the highest (100%), Feb the lowest (95%); Jan, Mar and Apr carry none
    fig = figures.monthly_rates(on_time_frame([0.96, 0.95, 0.99, 0.97, 1.0, 0.98]), ("on_time_rate",),
                                {"on_time_rate": target("on_time_rate", 1.0)}, TITLE)
    assert {label["row"]: label["text"] for label in line_labels(fig)} == {1: "95,0%", 4: "100,0%", 5: "98,0%"}
    assert_labels_clear(fig)
    assert target_values(fig) == [1.0]


def test_a_last_point_just_under_the_target_has_its_value_below_it():
    # Mar, 99%, is one point under the 100% target line: above it, its value would sit on the line; Feb, 100%, on
    # the line, has its value above; Jan, the lowest, below
    fig = figures.monthly_rates(on_time_frame([0.95, 1.0, 0.99]), ("on_time_rate",),
                                {"on_time_rate": target("on_time_rate", 1.0)}, TITLE)
    assert {label["row"]: (label["text"], label["side"]) for label in line_labels(fig)} == {
        0: ("95,0%", "bottom"), 1: ("100,0%", "top"), 2: ("99,0%", "bottom")}
    assert_labels_clear(fig)


def test_a_peak_with_no_clear_side_goes_without_its_value():
    # Feb, 99%, the highest: above it the 100% line, below it the two lines running down to Jan and Mar; the hover
    # still has it
    fig = figures.monthly_rates(on_time_frame([0.95, 0.99, 0.97]), ("on_time_rate",),
                                {"on_time_rate": target("on_time_rate", 1.0)}, TITLE)
    assert sorted(label["row"] for label in line_labels(fig)) == [0, 2]
    assert fig.data[0].hovertemplate.startswith("%{x|%m/%Y}: %{y:.1%}")
    assert_labels_clear(fig)


def test_a_flat_line_carries_only_its_last_value():
    fig = figures.monthly_rates(on_time_frame([1.0, 1.0, 1.0, 1.0]), ("on_time_rate",),
                                {"on_time_rate": target("on_time_rate", 1.0)}, TITLE)
    assert [(label["row"], label["text"], label["side"]) for label in line_labels(fig)] == [(3, "100,0%", "top")]
    assert_labels_clear(fig)


def online_frame() -> pd.DataFrame:
    return pd.DataFrame({"period": months(4), "online_l3_share": [0.05, 0.12, 0.19, 0.21],
                         "online_l4_share": [0.01, 0.03, 0.09, 0.04],
                         "bcci_intake_share": [0.03, 0.06, 0.09, 0.11], "bcci_return_share": [0.02, 0.05, 0.10, 0.12]})


ALL_TARGETS = {  # the pages pass every rate's target, the on-time 100% included
    "on_time_rate": target("on_time_rate", 1.0), "online_l3_share": target("online_l3_share", 0.2),
    "online_l4_share": target("online_l4_share", 0.1), "bcci_intake_share": target("bcci_intake_share", 0.1),
    "bcci_return_share": target("bcci_return_share", 0.1)}


@pytest.mark.parametrize("keys, highest", [(("online_l3_share", "online_l4_share"), 0.21),
                                           (("bcci_intake_share", "bcci_return_share"), 0.12)])
def test_online_and_bcci_axes_fit_their_data_not_0_to_100(keys, highest):
    fig = figures.monthly_rates(online_frame(), keys, ALL_TARGETS, "Trực tuyến\n2019")
    low, high = fig.layout.yaxis.range
    assert low == 0
    # a bit above the highest point (21% / 12%), room for its label: nowhere near the on-time target's 100%
    assert highest < high < highest * 1.3
    assert 1.0 not in target_values(fig)
    assert_labels_clear(fig)


def test_target_names_stand_right_of_the_plot_one_per_value():
    online = figures.monthly_rates(online_frame(), ("online_l3_share", "online_l4_share"), ALL_TARGETS, "a\nb")
    names = [(a.text, a.xref, a.x, a.xanchor) for a in online.layout.annotations]
    assert names == [("Chỉ tiêu 10%", "paper", 1, "left"), ("Chỉ tiêu 20%", "paper", 1, "left")]
    # intake and return share one 10% target: their two lines fall on each other, one name for both
    bcci = figures.monthly_rates(online_frame(), ("bcci_intake_share", "bcci_return_share"), ALL_TARGETS, "a\nb")
    assert [a.text for a in bcci.layout.annotations] == ["Chỉ tiêu 10%"]
    assert target_values(bcci) == [0.1, 0.1]
    assert {shape.line.color for shape in bcci.layout.shapes} == {figures.TARGET_COLOR}


def test_close_targets_names_are_pushed_apart():
    targets = {"online_l3_share": target("online_l3_share", 0.11), "online_l4_share": target("online_l4_share", 0.1)}
    fig = figures.monthly_rates(online_frame(), ("online_l3_share", "online_l4_share"), targets, "a\nb")
    for plot_px in plot_heights(fig)[:1]:
        lower, upper = sorted(fig.layout.annotations, key=lambda a: a.y)
        gap = to_px(fig, upper.y, plot_px) + upper.yshift - to_px(fig, lower.y, plot_px) - lower.yshift
        assert gap >= upper.font.size * 1.3  # one name's height at least: the two never overlap


# --- bar charts: values beside the plot or clear of the target mark --------------------------------------------------

def column(fig) -> dict[str, str]:
    """The value column right of a bar chart: tick labels of a second y axis on the right, on the first's rows
    (matching it), which push the margin to fit them."""
    axis = fig.layout.yaxis2
    assert (axis.side, axis.overlaying, axis.matches, axis.automargin) == ("right", "y", "y", True)
    return dict(zip(axis.tickvals, axis.ticktext))


def units_frame() -> pd.DataFrame:
    # on time = (early + on time) / resolved: 10/10 = 100%, 49/50 = 98%, 9/10 = 90%
    return pd.DataFrame({"unit": ["Phòng Tư pháp", "UBND xã Ia Tul", "UBND xã Ia Mrơn"],
                         "resolved_early": [5, 20, 4], "resolved_on_time": [5, 29, 5], "resolved_total": [10, 50, 10],
                         "on_time_rate": [1.0, 0.98, 0.9]})


def test_unit_values_stand_in_a_column_right_of_the_plot_off_the_target_line():
    fig = figures.unit_rates(units_frame(), "on_time_rate", target("on_time_rate", 1.0), "Xếp hạng\n2019")
    bar = fig.data[0]
    assert bar.textposition == "none"  # nothing at the bars' ends, where the 100% line runs
    assert column(fig) == {"Phòng Tư pháp": "100,0%", "UBND xã Ia Tul": "98,0%", "UBND xã Ia Mrơn": "90,0%"}
    low, high = fig.layout.xaxis.range
    assert low < 1.0 < high  # the target line is inside the plot, the column outside it


def test_the_scoreboard_writes_value_and_status_right_of_the_plot():
    cards = [RateCard("on_time_rate", "Tỷ lệ giải quyết đúng hạn", 0.967, target("on_time_rate", 1.0), "3.4",
                      "close", 8665, 8960),
             RateCard("online_l3_share", "Tỷ lệ hồ sơ trực tuyến mức độ 3", 0.128, target("online_l3_share", 0.2),
                      "7.2.2", "behind", 1154, 9007)]
    fig = figures.rates_vs_targets(cards, "Kết quả so với chỉ tiêu\n2019")
    assert fig.data[0].text is None
    assert column(fig) == {"Tỷ lệ giải quyết đúng hạn (3.4)": "96,7%  ◐ Gần đạt",
                      "Tỷ lệ hồ sơ trực tuyến mức độ 3 (7.2.2)": "12,8%  ✖ Chưa đạt"}
    assert list(fig.data[1].x) == [0.2, 1.0]  # the targets, marked inside the plot (cards listed bottom up)
    assert fig.layout.xaxis.range[1] >= 1.0


def test_a_unit_beside_its_level_keeps_every_value_off_the_targets_and_apart():
    # on time: 97% and 98% just under the 100% target (above their bars they would sit on the mark); online level
    # 3: 18% and 15% under a 20% target
    keys = ("on_time_rate", "online_l3_share")
    fig = figures.unit_vs_level({"on_time_rate": 0.97, "online_l3_share": 0.18},
                                {"on_time_rate": 0.98, "online_l3_share": 0.15}, keys, ALL_TARGETS,
                                "UBND xã Ia Tul", "Bình quân cấp xã", "So sánh\n2019")
    labels = list(fig.layout.annotations)
    assert sorted(a.text for a in labels) == ["15,0%", "18,0%", "97,0%", "98,0%"]  # every bar has its value
    goals = [1.0, 0.2]
    for plot_px in plot_heights(fig):
        boxes = []
        for a in labels:
            at = to_px(fig, a.y, plot_px) + a.yshift
            height = a.font.size * 1.3
            y0, y1 = (at, at + height) if a.yanchor == "bottom" else (at - height, at)
            category = round(a.x)
            line = to_px(fig, goals[category], plot_px)
            assert not (y0 - 2 < line < y1 + 2), (a.text, plot_px)  # the mark is 4 px thick
            assert 0 <= y0 and y1 <= plot_px, (a.text, plot_px)
            boxes.append((category, y0, y1, a.text))
        for category in (0, 1):
            (_, a0, a1, _), (_, b0, b1, _) = [b for b in boxes if b[0] == category]
            assert a1 <= b0 or b1 <= a0  # side by side they may be wider than their bars: never at one height
    assert all(tick <= 1 for tick in fig.layout.yaxis.tickvals or ())  # no "120%" tick


# --- legends and titles ----------------------------------------------------------------------------------------------

LEGEND_CHARTS = {
    "monthly_rates": lambda: figures.monthly_rates(online_frame(), ("online_l3_share", "online_l4_share"),
                                                   ALL_TARGETS, "Trực tuyến mức độ 3, 4\n01/2019 – 04/2019"),
    "monthly_counts": lambda: figures.monthly_counts(
        pd.DataFrame({"period": months(2), "resolved_late": [3, 4], "pending_overdue": [1, 2]}),
        {"resolved_late": ("Đã giải quyết quá hạn", "#D55E00"), "pending_overdue": ("Đang quá hạn", "#CC79A7")},
        "Hồ sơ quá hạn\n01/2019 – 02/2019", stacked=False),
    "unit_vs_level": lambda: figures.unit_vs_level({"on_time_rate": 0.9}, {"on_time_rate": 0.8}, ("on_time_rate",),
                                                   ALL_TARGETS, "UBND xã Ia Tul", "Bình quân", "So sánh\n2019"),
}


@pytest.mark.parametrize("name", LEGEND_CHARTS)
def test_the_legend_sits_under_the_plot_and_the_subtitle_under_the_title(name):
    fig = LEGEND_CHARTS[name]()
    layout = fig.layout
    assert layout.title.subtitle.text  # the title's second line is the subtitle
    # the legend hangs from the figure's bottom edge, in the bottom margin, a row of 40 px (wrapped rows push the
    # plot up, never into the title); the title and subtitle stand in the top margin, from the figure's top edge
    assert (layout.legend.yref, layout.legend.y, layout.legend.yanchor) == ("container", 0, "bottom")
    assert layout.margin.b >= 40 + 40
    assert (layout.title.yref, layout.title.yanchor) == ("container", "top") and layout.title.y > 0.95
    title_px = layout.title.font.size * 1.3 + layout.title.subtitle.font.size * 1.3
    assert layout.margin.t >= title_px + (1 - layout.title.y) * layout.height


# --- Plotly's own words ----------------------------------------------------------------------------------------------

PLOTLY_BUNDLE = next((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))


def test_plotly_speaks_vietnamese_with_vietnamese_numbers():
    config = figures.PLOTLY_CONFIG
    assert config["locale"] == "vi"
    vi = config["locales"]["vi"]
    assert vi["format"]["decimal"] == "," and vi["format"]["thousands"] == "."
    words = vi["dictionary"]
    assert {key: words[key] for key in ("Download plot as a PNG", "Zoom in", "Zoom out", "Reset axes")} == {
        "Download plot as a PNG": "Tải ảnh PNG", "Zoom in": "Phóng to", "Zoom out": "Thu nhỏ",
        "Reset axes": "Về như ban đầu"}
    # the keys are plotly.js's own strings, as the plotly.js Streamlit ships asks its dictionary for them
    bundle = PLOTLY_BUNDLE.read_text(encoding="utf-8")
    asked = set(re.findall(r"\(\w+,`([^`]+)`\)", bundle))
    for key in ("Download plot as a PNG", "Zoom", "Pan", "Zoom in", "Zoom out", "Reset axes",
                "Double-click to zoom back out"):
        assert key in asked and key in words, key


def test_the_longest_lost_points_bar_has_room_for_its_label_right_of_the_plot():
    """"6,5 điểm" stands outside the plot at the longest bar's end: the right margin must hold it (8 characters at
    the chart's 14 px font need about 65 px; the default 30 px cut it to "6,5 điể" at 1280 px)."""
    import pandas as pd

    domains = pd.DataFrame({"code": ["3", "1"], "name": ["Cải cách thủ tục hành chính", "Công tác chỉ đạo"],
                            "lost": [6.5, 1.0], "standard": [10.0, 5.0], "appraised": [3.5, 4.0]})
    fig = figures.domain_lost_bar(domains, "Điểm bị mất")
    assert fig.data[0].text[0] == "6,5 điểm" or "6,5 điểm" in list(fig.data[0].text)
    assert fig.layout.margin.r >= 65
