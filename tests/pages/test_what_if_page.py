"""The what-if page (Giả định) on the sample data, through AppTest (issue 14).

It starts where we are: untouched, it shows the overview's projection and no change anywhere; moving one slider
changes that criterion alone, against the current projection.
"""

import json

import pytest
import streamlit as st
from test_pages import charts, metric_values, open_page

from cchc.ingest import load_sample_data
from cchc.sample import sample_stats_table
from cchc.store.database import Store

PAGE = "pages/gia_dinh.py"


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('what_if') / 'sample.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    store.dispose()
    return url


@pytest.fixture
def on_sample(sample_url, monkeypatch):
    monkeypatch.setenv("CCHC_DATABASE_URL", sample_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def change_table(at):
    return next(d.value for d in at.dataframe if "Thay đổi" in d.value.columns).set_index("Mã")


def on_time_percent() -> float:
    """3.4 as the sample's 2019 statistics give it: (early + on time) / resolved, counts summed over the year."""
    year = sample_stats_table().query("year == 2019")
    return float((year["resolved_early"].sum() + year["resolved_on_time"].sum()) / year["resolved_total"].sum() * 100)


def test_untouched_it_is_the_current_projection(on_sample):
    overview = open_page("pages/tong_quan.py")
    projected = next(m for m in overview.metric if m.label == "Dự kiến khôi phục").delta  # "Điểm dự kiến 43,75"
    criteria = next(d.value for d in open_page("pages/tieu_chi.py").dataframe
                    if "Điểm dự kiến" in d.value.columns).set_index("Mã")["Điểm dự kiến"]

    at = open_page(PAGE)
    values = metric_values(at)
    assert projected == f"Điểm dự kiến {values['Điểm dự kiến theo giả định']}"
    assert values["Điểm dự kiến theo giả định"] == values["Điểm dự kiến hiện tại"] == "43,75"
    what_if = next(m for m in at.metric if m.label == "Điểm dự kiến theo giả định")
    assert what_if.delta == "0 điểm so với dự kiến hiện tại"
    table = change_table(at)
    assert len(table) == 27 and set(table["Thay đổi"]) == {"0"}
    # every criterion keeps the points the criteria page projects for it
    assert table["Điểm theo giả định"].to_dict() == criteria.to_dict()
    assert (table["Điểm dự kiến hiện tại"] == table["Điểm theo giả định"]).all()
    assert "Giả định" not in set(table["Nguồn"])  # nothing untouched is taken for an assumption


def test_sliders_start_at_the_measured_values(on_sample):
    at = open_page(PAGE)
    slider = at.select_slider(key="wi_on_time_rate")
    measured = on_time_percent()
    assert slider.value == pytest.approx(measured, abs=1e-9)  # not the nearest half percent
    shown = f"{measured:.2f}".replace(".", ",") + "%"
    assert shown == "96,74%" and f"hiện tại {shown}" in slider.label


def test_one_slider_to_its_target_changes_that_criterion_alone(on_sample):
    at = open_page(PAGE)
    at.select_slider(key="wi_on_time_rate").set_value(100.0)
    at.run()
    assert not at.exception
    # 3.4 (standard 2, appraised 1 in the plan): 96,74% is in the 95% band, half of 2 = 1 point; at 100%, 2 points
    table = change_table(at)
    assert table.loc["3.4", "Thay đổi"] == "+1"
    assert (table.loc["3.4", "Điểm dự kiến hiện tại"], table.loc["3.4", "Điểm theo giả định"]) == ("1", "2")
    assert set(table.drop(index="3.4")["Thay đổi"]) == {"0"}
    values = metric_values(at)
    assert values["Điểm dự kiến hiện tại"] == "43,75" and values["Điểm dự kiến theo giả định"] == "44,75"
    what_if = next(m for m in at.metric if m.label == "Điểm dự kiến theo giả định")
    assert what_if.delta == "+1 điểm so với dự kiến hiện tại"
    # 3.4 at full points leaves the list of what is worth doing
    gains = next(c for c in charts(at) if "Việc đáng làm nhất" in c["layout"]["title"]["text"])["data"][0]
    assert not any(label.startswith("3.4 ") for label in gains["y"])

    at.select_slider(key="wi_on_time_rate").set_value(on_time_percent())
    at.run()
    assert set(change_table(at)["Thay đổi"]) == {"0"}  # back where it started: no assumption left


def test_the_chart_sits_beside_the_sliders(on_sample):
    at = open_page(PAGE)
    beside = [(i, c) for i, c in enumerate(at.columns) if c.get("plotly_chart")]
    assert len(beside) == 1
    i, chart_column = beside[0]
    sliders_column = at.columns[i - 1]
    assert len(sliders_column.get("select_slider")) >= 17 and not chart_column.get("select_slider")
    assert "Việc đáng làm nhất" in json.loads(chart_column.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
