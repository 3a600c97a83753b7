"""Charts for a choice that has no data (cchc/show/figures.py): each says so in Vietnamese, in the middle of an
empty, axis-free canvas under its usual title, instead of drawing an empty or broken chart. And charts without a
target draw no target line."""

from __future__ import annotations

import pandas as pd
import pytest

from cchc.read.targets import Target
from cchc.show import figures

NO_DATA = "Chưa có số liệu cho lựa chọn này"
EMPTY = pd.DataFrame()

CASES = [
    ("domain_lost_bar", lambda t: figures.domain_lost_bar(EMPTY, t), "Chưa có kế hoạch"),
    ("rates_vs_targets", lambda t: figures.rates_vs_targets([], t), NO_DATA),
    ("monthly_rates", lambda t: figures.monthly_rates(EMPTY, ("on_time_rate",), {}, t), NO_DATA),
    ("unit_rates", lambda t: figures.unit_rates(pd.DataFrame({"unit": ["UBND xã Ia Tul"], "on_time_rate": [None]}),
                                                "on_time_rate", None, t), NO_DATA),
    ("monthly_counts", lambda t: figures.monthly_counts(EMPTY, {"received_total": ("Tiếp nhận", "#0072B2")}, t),
     NO_DATA),
    ("status_donut", lambda t: figures.status_donut({"met": 0, "behind": 0}, t), "Chưa có tiêu chí"),
    ("recovery_by_domain", lambda t: figures.recovery_by_domain(EMPTY, t), "Chưa có kế hoạch"),
    ("points_gain_bars", lambda t: figures.points_gain_bars(EMPTY, t), "Mọi tiêu chí đã đạt đủ điểm"),
    ("years_lost", lambda t: figures.years_lost(EMPTY, t), NO_DATA),
]


@pytest.mark.parametrize("name,draw,message", CASES, ids=[c[0] for c in CASES])
def test_a_chart_without_data_says_so(name, draw, message):
    fig = draw("Tỷ lệ giải quyết đúng hạn\nNăm 2019, tháng 01 – 06")
    assert fig.data == ()  # nothing drawn
    assert [a.text for a in fig.layout.annotations] == [message]
    note = fig.layout.annotations[0]
    assert (note.x, note.y, note.xref, note.yref, note.showarrow) == (0.5, 0.5, "paper", "paper", False)
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.title.text == "Tỷ lệ giải quyết đúng hạn"
    assert fig.layout.title.subtitle.text == "Năm 2019, tháng 01 – 06"
    assert fig.layout.height == 300


def _months():
    return pd.DataFrame({"period": ["2019-01", "2019-02"], "on_time_rate": [0.8, 0.9]})


def test_monthly_rates_draw_a_target_line_only_for_a_rate_that_has_one():
    without = figures.monthly_rates(_months(), ("on_time_rate",), {"on_time_rate": None}, "Đúng hạn theo tháng")
    assert without.layout.shapes == () and without.layout.annotations == ()
    with_target = figures.monthly_rates(_months(), ("on_time_rate",), {"on_time_rate": Target("on_time_rate", ">=",
                                                                                               1.0)},
                                        "Đúng hạn theo tháng")
    assert [(s.y0, s.y1) for s in with_target.layout.shapes] == [(1.0, 1.0)]
    assert [a.text for a in with_target.layout.annotations] == ["Chỉ tiêu 100%"]


def test_units_ranked_without_a_target_have_no_target_line():
    # Tư pháp 5 of 6 on time, Ia Tul 2 of 3: the better one at the bottom, the worst at the top
    units = pd.DataFrame({"unit": ["Phòng Tư pháp", "UBND xã Ia Tul"], "on_time_rate": [5 / 6, 2 / 3],
                          "resolved_early": [1, 1], "resolved_on_time": [4, 1], "resolved_total": [6, 3]})
    fig = figures.unit_rates(units, "on_time_rate", None, "Xếp hạng đơn vị")
    assert fig.layout.shapes == ()
    bars = fig.data[0]
    assert list(bars.y) == ["Phòng Tư pháp", "UBND xã Ia Tul"] and list(bars.text) == ["83,3%", "66,7%"]
    assert [tuple(c)[:2] for c in bars.customdata] == [(5, 6), (2, 3)]  # on time / resolved, for the hover
