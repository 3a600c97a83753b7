"""ui.figure_cache and common.show_chart with a builder: a chart built once for the same data, in any session, and
built anew when its data change; what the browser receives is what the uncached figure would have sent."""

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cchc.show import figures
from ui import figure_cache

BUILT: list[dict] = []  # the counts every donut_counting call was given


def donut_counting(counts: dict, title: str):
    BUILT.append(dict(counts))
    return figures.status_donut(counts, title)


@pytest.fixture(autouse=True)
def empty_cache():
    st.cache_resource.clear()
    BUILT.clear()
    yield
    st.cache_resource.clear()


def pie_values(fig) -> list[int]:
    return list(fig.data[0].values)


def test_same_data_is_built_once_other_data_again():
    first = figure_cache.figure(donut_counting, {"met": 5, "behind": 2}, "Tình trạng 7 tiêu chí")
    again = figure_cache.figure(donut_counting, {"met": 5, "behind": 2}, "Tình trạng 7 tiêu chí")
    assert again is first and BUILT == [{"met": 5, "behind": 2}]

    after_import = figure_cache.figure(donut_counting, {"met": 6, "behind": 1}, "Tình trạng 7 tiêu chí")
    assert pie_values(after_import) == [6, 1]  # the new counts, not the cached chart
    other_period = figure_cache.figure(donut_counting, {"met": 6, "behind": 1}, "Tình trạng 7 tiêu chí\nT01–T06")
    assert other_period.layout.title.subtitle.text == "T01–T06"
    assert len(BUILT) == 3
    assert pie_values(figure_cache.figure(donut_counting, {"met": 5, "behind": 2}, "Tình trạng 7 tiêu chí")) == [5, 2]


def test_a_closure_is_refused():
    counts = {"met": 1}
    with pytest.raises(TypeError):
        figure_cache.figure(lambda: figures.status_donut(counts, "x"))


SCRIPT = """
from test_figure_cache import donut_counting  # this module, as pytest imported it
from cchc.show import figures
from ui import common

common.show_chart(donut_counting, {"met": 3, "close": 1, "no_data": 2}, "Tình trạng 6 tiêu chí\\nNăm 2019",
                  key="donut")
"""


def sent_spec(at) -> dict:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


def test_show_chart_sends_the_built_figure_once_for_every_session():
    sessions = [AppTest.from_string(SCRIPT, default_timeout=60) for _ in range(2)]
    for at in sessions:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    sessions[0].run()  # a rerun too
    assert len(BUILT) == 1  # two sessions, three runs, one figure built

    expected = json.loads(figures.status_donut({"met": 3, "close": 1, "no_data": 2},
                                               "Tình trạng 6 tiêu chí\nNăm 2019").to_json())
    for at in sessions:
        spec = sent_spec(at)
        assert spec["data"][0]["labels"] == expected["data"][0]["labels"]
        assert spec["layout"]["title"] == expected["layout"]["title"]
        assert spec["layout"]["annotations"][0]["text"] == "<b>6</b><br>tiêu chí"
