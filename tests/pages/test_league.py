"""The league table (Đơn vị with no unit chosen), the change against before on cards and unit tables, and the
overview's units behind, through AppTest on the sample data (Ia Pa, 2019, 20 units).

Expected figures are summed here from the stored rows (Store.stats_records), then divided, then formatted by hand:
nothing of cchc.show.compare or cchc.show.league is used to work them out. April–June is looked at, so January–March
is the previous period; the sample has no 2018, so there is never a "cùng kỳ năm trước".
"""

from __future__ import annotations

from collections import defaultdict

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from support import html_tables
from test_pages import open_page

from cchc.ingest import load_sample_data
from cchc.store.database import Store

Q2 = {"nam": "2019", "thang": ["T04", "T06"]}


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('league') / 'sample.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    store.dispose()
    return url


@pytest.fixture
def sample(sample_url, monkeypatch):
    monkeypatch.setenv("CCHC_DATABASE_URL", sample_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield sample_url
    st.cache_data.clear()
    st.cache_resource.clear()


def sums(url: str, start: str, end: str) -> dict[str, dict[str, int]]:
    """{unit: {field: sum over start..end}} from the stored rows, plus each unit's level under "level"."""
    store = Store(url)
    rows = store.stats_records(start=start, end=end)
    store.dispose()
    out: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for row in rows.to_dict("records"):
        for name, value in row.items():
            if name not in ("unit", "level", "year", "month", "period"):
                out[row["unit"]][name] += int(value)
        out[row["unit"]]["level"] = row["level"]
    return out


def on_time(c) -> float | None:
    return (c["resolved_early"] + c["resolved_on_time"]) / c["resolved_total"] if c["resolved_total"] else None


def apology(c) -> float | None:
    late = c["resolved_late"] + c["pending_overdue"]
    return c["late_apologies"] / late if late else None


def vn(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def change(now: float, before: float) -> str:
    points = (now - before) * 100
    if abs(points) < 0.05:
        return "= 0,0 điểm %"
    return f"{'▲' if points > 0 else '▼'} {vn(abs(points))} điểm %"


def competition_ranks(values: list[float | None]) -> list[str]:
    """1, 1, 3 … for values already in order, best first; no value: "–"."""
    return ["–" if value is None else str(values.index(value) + 1) for value in values]


def league_table(at):
    tables = [d.value for d in at.dataframe if "Hạng" in d.value.columns]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    return tables[0]


def expected_order(figures: dict, rate, weight) -> list[str]:
    """Best first; ties: more dossiers behind the rate first, then by name; units without the rate last."""
    with_rate = [u for u in figures if rate(figures[u]) is not None]
    without = sorted(u for u in figures if rate(figures[u]) is None)
    return sorted(with_rate, key=lambda u: (-rate(figures[u]), -weight(figures[u]), u)) + without


def test_the_league_ranks_every_unit_on_time_by_default(sample):
    q2, q1 = sums(sample, "2019-04", "2019-06"), sums(sample, "2019-01", "2019-03")
    at = open_page("pages/don_vi.py", Q2)
    assert not at.exception and not at.error
    table = league_table(at)
    order = expected_order(q2, on_time, lambda c: c["resolved_total"])
    assert table["Đơn vị"].tolist() == order and len(order) == 20
    assert table["Hạng"].tolist() == competition_ranks([on_time(q2[u]) for u in order])
    rows = table.set_index("Đơn vị")
    # UBND xã Ia Tul: 137 of 142 on time in Q2 (96,5%, close to 100%), 3 points more than Q1's figure
    tul_now, tul_before = on_time(q2["UBND xã Ia Tul"]), on_time(q1["UBND xã Ia Tul"])
    assert rows.loc["UBND xã Ia Tul", "Đúng hạn"] == f"◐ {vn(tul_now * 100)}%" == "◐ 96,5%"
    assert rows.loc["UBND xã Ia Tul", "Đúng hạn so với kỳ trước"] == change(tul_now, tul_before)
    for unit in order:  # every unit's change since Q1, summed then divided
        assert rows.loc[unit, "Đúng hạn so với kỳ trước"] == change(on_time(q2[unit]), on_time(q1[unit])), unit
    assert list(table.columns[:5]) == ["Hạng", "Đơn vị", "Cấp", "Đúng hạn", "Đúng hạn so với kỳ trước"]
    shown = {c for c in table.columns if "so với" not in c}
    assert shown == {"Hạng", "Đơn vị", "Cấp", "Đúng hạn", "Xin lỗi", "Mức độ 3", "Mức độ 4", "Tiếp nhận BCCI",
                     "Trả BCCI"}
    assert set(rows["Cấp"]) == {"Cấp huyện", "Cấp xã"}
    assert any(b.label == "Tải Excel" for b in at.get("download_button"))


def test_ranking_by_another_indicator(sample):
    q2 = sums(sample, "2019-04", "2019-06")
    at = open_page("pages/don_vi.py", Q2)
    at.selectbox(key="xep_hang_theo").set_value("apology_rate").run()
    table = league_table(at)
    order = expected_order(q2, apology, lambda c: c["resolved_late"] + c["pending_overdue"])
    assert table["Đơn vị"].tolist() == order
    assert table["Hạng"].tolist() == competition_ranks([apology(q2[u]) for u in order])
    assert list(table.columns[3:5]) == ["Xin lỗi", "Xin lỗi so với kỳ trước"]
    first = table.iloc[0]
    assert first["Xin lỗi"] == f"✔ {vn(apology(q2[first['Đơn vị']]) * 100)}%"


def test_the_level_filter_keeps_that_level_and_ranks_it_alone(sample):
    q2 = sums(sample, "2019-04", "2019-06")
    communes = {u: c for u, c in q2.items() if c["level"] == "xã"}
    at = open_page("pages/don_vi.py", Q2)
    level = at.selectbox(key="cap_xep_hang")
    assert level.options == ["Tất cả các cấp", "Cấp huyện", "Cấp xã"]  # the organisation's levels with data
    level.set_value("xã").run()
    table = league_table(at)
    order = expected_order(communes, on_time, lambda c: c["resolved_total"])
    assert table["Đơn vị"].tolist() == order and len(order) == 9
    assert table["Hạng"].tolist() == competition_ranks([on_time(communes[u]) for u in order])


def card_changes(at) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value]


def test_cards_show_the_change_against_the_previous_quarter(sample):
    q2 = sums(sample, "2019-04", "2019-06")
    q1 = sums(sample, "2019-01", "2019-03")
    def total(figures: dict) -> dict:
        return {f: sum(c[f] for c in figures.values()) for f in ("resolved_early", "resolved_on_time",
                                                                 "resolved_total", "resolved_late",
                                                                 "pending_overdue", "late_apologies")}

    now, before = total(q2), total(q1)
    at = open_page("pages/tong_quan.py", Q2)
    lines = card_changes(at)
    text = change(on_time(now), on_time(before))
    assert text == "▼ 2,1 điểm %"  # 96,5% of January–March, 94,3% of April–June
    assert f":red-badge[{text}] kỳ trước" in lines  # worse: red
    assert f":green-badge[{change(apology(now), apology(before))}] kỳ trước" in lines  # 47,0% → 59,0%: better
    assert len(lines) == 6 and not any("cùng kỳ năm trước" in line for line in lines)  # no 2018 in the sample


def test_no_change_is_shown_without_an_earlier_period(sample):
    at = open_page("pages/tong_quan.py", {"nam": "2019"})  # January–December: no 2018 to compare with
    assert card_changes(at) == []
    at = open_page("pages/giai_quyet.py", {"nam": "2019"})
    table = next(d.value for d in at.dataframe if "Tỷ lệ đúng hạn" in d.value.columns)
    assert not [c for c in table.columns if "so với" in c]


def test_the_unit_page_cards_compare_that_unit(sample):
    q2, q1 = sums(sample, "2019-04", "2019-06"), sums(sample, "2019-01", "2019-03")
    at = open_page("pages/don_vi.py", {**Q2, "don_vi": "UBND xã Ia Tul"})
    tul = change(on_time(q2["UBND xã Ia Tul"]), on_time(q1["UBND xã Ia Tul"]))
    assert tul.startswith("▲")
    assert f":green-badge[{tul}] kỳ trước" in card_changes(at)


def test_the_processing_table_shows_each_units_change(sample):
    q2, q1 = sums(sample, "2019-04", "2019-06"), sums(sample, "2019-01", "2019-03")
    at = open_page("pages/giai_quyet.py", Q2)
    table = next(d.value for d in at.dataframe if "Tỷ lệ đúng hạn" in d.value.columns).set_index("Đơn vị")
    for unit in q2:
        assert table.loc[unit, "Đúng hạn so với kỳ trước"] == change(on_time(q2[unit]), on_time(q1[unit])), unit
    assert "Đúng hạn so với cùng kỳ năm trước" not in table.columns


def test_the_overview_lists_units_with_every_target_they_miss(sample):
    q2 = sums(sample, "2019-04", "2019-06")
    def new(c) -> int:
        return c["received_total"] - c["received_carried"]

    shares = {"Mức độ 3 (≥ 20%)": (lambda c: c["received_online_l3"] / new(c) if new(c) else None, 0.2),
              "Mức độ 4 (≥ 10%)": (lambda c: c["received_online_l4"] / new(c) if new(c) else None, 0.1),
              "Tiếp nhận BCCI (≥ 10%)": (lambda c: c["received_bcci"] / new(c) if new(c) else None, 0.1),
              "Trả BCCI (≥ 10%)": (lambda c: c["returned_bcci"] / c["resolved_total"] if c["resolved_total"] else
                                   None, 0.1),
              "Đúng hạn (100%)": (on_time, 1.0), "Xin lỗi (100%)": (apology, 1.0)}

    def missed(c) -> int:
        return sum(1 for rate, target in shares.values() if rate(c) is not None and rate(c) < target - 1e-12)

    at = open_page("pages/tong_quan.py", Q2)
    assert "Đơn vị chưa đạt chỉ tiêu" in [s.value for s in at.subheader]
    shown = next(t for t in html_tables(at) if "Số chỉ tiêu chưa đạt" in t.columns)
    table = shown.set_index("Đơn vị")
    behind = {u for u, c in q2.items() if missed(c)}
    assert set(table.index) == behind
    for unit in behind:
        assert table.loc[unit, "Số chỉ tiêu chưa đạt"] == str(missed(q2[unit])), unit
    land = q2["Chi nhánh Văn phòng đăng ký đất đai"]  # 335 of 405 on time, far below 100%: behind, not close
    assert table.loc["Chi nhánh Văn phòng đăng ký đất đai", "Đúng hạn (100%)"] == f"✖ {vn(on_time(land) * 100)}%"
    assert table.loc["UBND xã Ia Tul", "Đúng hạn (100%)"] == "◐ 96,5%"  # within 90% of the target: close
    assert table.loc["Phòng Nội vụ", "Đúng hạn (100%)"] == "✔"
    # every unit's name opens its page, the period kept: the link as the browser resolves it from the overview
    links = shown.attrs["links"]["Đơn vị"]
    assert set(links) == behind
    assert links["UBND xã Ia Tul"] == "don-vi?thang=T04&thang=T06&don_vi=UBND+x%C3%A3+Ia+Tul"  # 2019: the default


def test_a_card_of_another_scope_than_the_pages_gets_no_change(sample):
    """The cards guess their scope (the sidebar's level, or the unit page's unit); a card whose counts are not the
    scope's is left without a change rather than given another scope's."""
    def app():
        import streamlit as st

        from cchc.show import views
        from ui import common

        st.session_state["filters"] = views.Filters(2019, 4, 6)
        store = common.get_store()
        q2 = {"start": "2019-04", "end": "2019-06"}
        whole = views.rate_cards(store.stats_totals(**q2), None, ("on_time_rate",))[0]
        tul = views.rate_cards(store.stats_totals(**q2, units=("UBND xã Ia Tul",)), None, ("on_time_rate",))[0]
        common.rate_metric(st, whole)  # the district, as this page is: compared
        common.rate_metric(st, tul)  # one commune's counts on a page of the district: not compared
        common.rate_metric(st, tul, units=("UBND xã Ia Tul",))  # told its unit: compared

    q2, q1 = sums(sample, "2019-04", "2019-06"), sums(sample, "2019-01", "2019-03")
    tul = change(on_time(q2["UBND xã Ia Tul"]), on_time(q1["UBND xã Ia Tul"]))
    at = AppTest.from_function(app, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert card_changes(at) == [":red-badge[▼ 2,1 điểm %] kỳ trước", f":green-badge[{tul}] kỳ trước"]
