"""Names from files and accounts in charts and reports: Plotly reads a subset of HTML in every text it draws
(<a href>, <b>, <br>), so names reach a figure escaped (figures.plot_text) and come back as written where the text
leaves Plotly (a clicked bar's label, a PDF or PowerPoint heading); the HTML report escapes them too."""

import html
import json
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import EVIL, Hostile

from cchc.registry import DATA_DIR_ENV
from cchc.score.metrics import RATES
from cchc.show import figures, reports, views
from cchc.store.database import Store

HOSTILE = Hostile("http://127.0.0.1:9")
FILTERS = views.Filters(2019, 1, 6)
TAG = re.compile(r"<\s*/?\s*[a-zA-Z]")


def texts(fig) -> list[str]:
    """Every string of the figure that Plotly draws as (pseudo-)HTML text."""
    found = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("text", "name", "y", "x", "labels", "hovertemplate", "ticktext"):
            found.append(node)

    walk(json.loads(fig.to_json()))
    return found


def _elements(page: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, attrs))

    parser = Collect()
    parser.feed(page)
    return parser.found


def _html_tags(text: str) -> list[str]:
    allowed = {"<br>", "<extra>", "</extra>", "<b>", "</b>"}  # what the figures themselves write
    return [t for t in re.findall(r"<[^<>]*>", text) if t not in allowed]


@given(st.text(max_size=40))
def test_plot_plain_undoes_plot_text(text):
    assert figures.plot_plain(figures.plot_text(text)) == text
    assert "<" not in figures.plot_text(text) and ">" not in figures.plot_text(text)


def test_plot_text_leaves_ordinary_names_alone():
    assert figures.plot_text("UBND xã Ia Tul (cũ) - Phòng Văn hóa-Thông tin") == \
        "UBND xã Ia Tul (cũ) - Phòng Văn hóa-Thông tin"
    assert figures.plot_text("Phòng TN&MT") == "Phòng TN&amp;MT"  # shown by Plotly as "TN&MT"


def _units_frame() -> pd.DataFrame:
    rows = []
    for i, unit in enumerate(HOSTILE.units):
        rows.append({"unit": unit, "level": "xã", "received_total": 10, "resolved_total": 6, "resolved_early": 1,
                     "resolved_on_time": 3 + i % 2, "resolved_late": 2 - i % 2, "pending_total": 4,
                     "pending_in_time": 3, "pending_overdue": 1, "late_apologies": 1})
    frame = pd.DataFrame(rows)
    for column in ("received_online", "received_online_l3", "received_online_l4", "received_bcci",
                   "returned_bcci", "received_direct", "received_carried", "received_online_full",
                   "received_online_partial"):
        frame[column] = 0
    return views.add_rates(frame)


def test_unit_ranking_bars_are_labelled_with_escaped_names_that_come_back_on_click():
    fig = figures.unit_rates(_units_frame(), "on_time_rate", None, f"Xếp hạng\n{HOSTILE.levels['xã']}")
    labels = list(fig.data[0].y)
    assert sorted(figures.plot_plain(y) for y in labels) == sorted(HOSTILE.units)  # the page's don_vi link
    for text in texts(fig):
        assert not _html_tags(text), text


def test_a_unit_beside_its_level_names_both_escaped_never_in_the_template():
    unit, level = HOSTILE.communes[1], HOSTILE.levels["xã"]
    fig = figures.unit_vs_level({"on_time_rate": 0.9}, {"on_time_rate": 0.8}, views.HEADLINE_RATES, {}, unit, level,
                                f"{unit} so với {level}\n{HOSTILE.organisation}")
    assert [figures.plot_plain(t.name) for t in fig.data[:2]] == [unit, level]
    assert all(unit not in t.hovertemplate and "%{fullData.name}" in t.hovertemplate for t in fig.data[:2])
    for text in texts(fig):
        assert not _html_tags(text), text
    assert reports.figure_title(fig) == unit + " so với " + level  # plain again for PDF and PowerPoint
    assert reports.figure_subtitle(fig) == HOSTILE.organisation


def test_domain_and_criterion_labels_are_escaped():
    domains = pd.DataFrame({"code": ["1", "3"], "name": list(HOSTILE.domains), "standard": [2, 3],
                            "appraised": [1, 1], "lost": [1, 2], "recovered": [0.5, 1]})
    gains = pd.DataFrame({"code": ["1.1", "3.4", "3.7"], "name": list(HOSTILE.criteria), "extra": [1, 0.5, 0.25],
                          "status": ["behind", "close", "no_data"]})
    years = domains.assign(plan_year=2019, appraisal_year=2018)
    for fig in (figures.domain_lost_bar(domains, "a"), figures.recovery_by_domain(domains, "b"),
                figures.points_gain_bars(gains, "c"), figures.years_lost(years, "d"),
                figures.empty_figure(HOSTILE.organisation, HOSTILE.criteria[2])):
        for text in texts(fig):
            assert not _html_tags(text), text


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'cchc.sqlite'}"
    HOSTILE.load(url, HOSTILE.write_data_dir(folder / "data"))
    store = Store(url)
    yield store, folder / "data"
    store.dispose()


@pytest.mark.parametrize("section, unit", [("overview", None), ("processing", None), ("criteria", None),
                                           ("unit", HOSTILE.communes[1])])
def test_the_html_report_shows_every_name_as_text(hostile_store, monkeypatch, section, unit):
    store, data_dir = hostile_store
    monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))
    report = reports.build_report(store, FILTERS, unit=unit, sections=(section,))
    page = reports.report_html(report).decode("utf-8")
    # no element the names could bring (plotly.js's own script holds "<a": the parser reads scripts as text)
    elements = _elements(page)
    assert not [e for e in elements if e[0] in ("img", "a", "b", "iframe", "object", "embed")], elements
    assert not [e for e in elements if any(HOSTILE.image in (v or "") or EVIL in (v or "") for k, v in e[1]
                                           if k in ("href", "src", "srcset", "data", "action"))]
    outside = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)
    assert html.escape(HOSTILE.organisation) in outside
    if unit:
        assert html.escape(f"Đơn vị: {unit}") in outside
    # and the charts it draws hold the names escaped for Plotly, never a tag
    assert report.figures
    for _, fig in report.figures:
        for text in texts(fig):
            assert not _html_tags(text), text


def test_rates_keep_their_own_labels():
    assert all("<" not in spec.label for spec in RATES.values())  # constants: written into templates as they are
