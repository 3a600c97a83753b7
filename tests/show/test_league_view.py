"""The league table and the units that miss targets (cchc/show/league.py), on small stores worked out by hand.

Q1 2019 (and Q4 2018 for the change), every dossier received directly unless said:
  X (xã):    resolved 200, 190 on time → 95,0%  (Q4 2018: 180 / 200 = 90,0% → ▲ 5,0)
  Y (xã):    resolved 100, 100 on time → 100,0% (Q4 2018: 100 / 100 → = 0,0)
  Z (huyện): resolved  50,  50 on time → 100,0% (Q4 2018 missing: –)
  W (huyện): resolved 400, 300 on time → 75,0%  (Q4 2018: 320 / 400 = 80,0% → ▼ 5,0)
  P (xã):    resolved  30,  27 on time → 90,0%  (Q4 2018: December alone, so no change: –)
  V (huyện): received 10, resolved 0   → no on-time rate: last, unranked
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_compare import fill, record

from cchc.fields import STATS_FIELDS
from cchc.read.targets import Target
from cchc.show import league, views
from cchc.store.database import Store

Q1 = ("2019-01", "2019-02", "2019-03")
Q4 = ("2018-10", "2018-11", "2018-12")


def spread(unit: str, level: str, months, resolved: int, on_time: int, **extra) -> list[dict]:
    """A quarter's counts spread over its three months (the first month takes the remainder)."""
    def share(total: int, first: bool) -> int:
        return total // 3 + (total % 3 if first else 0)

    return [record(unit, level, period, share(resolved, i == 0), share(on_time, i == 0),
                   **{k: share(v, i == 0) for k, v in extra.items()}) for i, period in enumerate(months)]


def pending(unit: str, level: str, months, received: int) -> list[dict]:
    rows = []
    for i, period in enumerate(months):
        row = record(unit, level, period, 0, 0)
        amount = received // 3 + (received % 3 if i == 0 else 0)
        row.update(received_total=amount, received_direct=amount, pending_total=amount, pending_in_time=amount)
        rows.append(row)
    return rows


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'league.sqlite'}")
    fill(s, spread("X", "xã", Q1, 200, 190) + spread("X", "xã", Q4, 200, 180)
         + spread("Y", "xã", Q1, 100, 100) + spread("Y", "xã", Q4, 100, 100)
         + spread("Z", "huyện", Q1, 50, 50)
         + spread("W", "huyện", Q1, 400, 300) + spread("W", "huyện", Q4, 400, 320)
         + spread("P", "xã", Q1, 30, 27) + [record("P", "xã", "2018-12", 10, 10)]
         + pending("V", "huyện", Q1, 10))
    yield s
    s.dispose()


def on_time(chosen):
    return next(i for i in chosen if i.key == "on_time_rate")


def test_units_ranked_best_first_ties_share_a_rank(store):
    frame, chosen = league.league(store, "2019-01", "2019-03")
    ranked = league.ranked(frame, on_time(chosen))
    # Y and Z tie at 100%: both first, Y (100 dossiers) above Z (50); then X 95%, P 90%, W 75%; V has no rate
    assert ranked["unit"].tolist() == ["Y", "Z", "X", "P", "W", "V"]
    assert ranked["rank"].tolist()[:5] == [1, 1, 3, 4, 5] and pd.isna(ranked["rank"].iloc[5])
    table = league.league_table(ranked, chosen, "on_time_rate", {"xã": "Cấp xã", "huyện": "Cấp huyện"})
    assert table["Hạng"].tolist() == ["1", "1", "3", "4", "5", "–"]
    assert table["Cấp"].tolist() == ["Cấp xã", "Cấp huyện", "Cấp xã", "Cấp xã", "Cấp huyện", "Cấp huyện"]
    assert table["Đúng hạn"].tolist() == ["✔ 100,0%", "✔ 100,0%", "◐ 95,0%", "◐ 90,0%", "✖ 75,0%", "–"]
    assert table["Đúng hạn so với kỳ trước"].tolist() == ["= 0,0 điểm %", "–", "▲ 5,0 điểm %", "–", "▼ 5,0 điểm %",
                                                          "–"]
    assert table.attrs["verdicts"]["Đúng hạn so với kỳ trước"].tolist() == ["equal", "", "better", "", "worse", ""]


def test_the_indicator_ranked_on_comes_first(store):
    frame, chosen = league.league(store, "2019-01", "2019-03")
    bcci = next(i for i in chosen if i.key == "bcci_intake_share")
    table = league.league_table(league.ranked(frame, bcci), chosen, "bcci_intake_share")
    assert list(table.columns[:5]) == ["Hạng", "Đơn vị", "Cấp", "Tiếp nhận BCCI", "Tiếp nhận BCCI so với kỳ trước"]
    assert [c for c in table.columns if "so với" not in c][3:] == [
        "Tiếp nhận BCCI", "Đúng hạn", "Xin lỗi", "Mức độ 3", "Mức độ 4", "Trả BCCI"]


def test_a_level_alone(store):
    frame, _ = league.league(store, "2019-01", "2019-03", level="xã")
    assert sorted(frame["unit"]) == ["P", "X", "Y"]


def test_a_lower_is_better_indicator_ranks_the_lowest_first():
    frame = pd.DataFrame({"unit": ["a", "b", "c"], "level": ["xã"] * 3, "late": [0.2, None, 0.05]})
    late = league.Indicator("late", "Tỷ lệ quá hạn", "Quá hạn", lower_is_better=True)
    ranked = league.ranked(frame, late)
    assert ranked["unit"].tolist() == ["c", "a", "b"] and ranked["rank"].tolist()[:2] == [1, 2]


def test_online_columns_follow_what_the_data_has():
    def units(**sums):
        frame = pd.DataFrame([dict.fromkeys(STATS_FIELDS, 0)])
        for name, value in sums.items():
            frame[name] = value
        return frame

    base = ("on_time_rate", "apology_rate")
    bcci = ("bcci_intake_share", "bcci_return_share")
    assert league.measured_rates(units(received_online_l3=5)) == (*base, "online_l3_share", "online_l4_share",
                                                                  *bcci)
    assert league.measured_rates(units(received_online_full=5)) == (*base, "online_full_share",
                                                                    "online_partial_share", *bcci)
    assert league.measured_rates(units(received_online_l4=1, received_online_partial=2)) == (
        *base, "online_l3_share", "online_l4_share", "online_full_share", "online_partial_share", *bcci)
    assert league.measured_rates(units()) == (*base, "online_l3_share", "online_l4_share", *bcci)


def test_an_extra_indicator_joins_through_the_hook(store, monkeypatch):
    """The "Chỉ số 766" total will come this way: a provider of one value per unit and period."""
    scores = {("2019-01", "2019-03"): {"X": 71.5, "W": 90.25}, ("2018-10", "2018-12"): {"X": 70.0, "W": 92.0}}

    def provider(_store, start, end, _level):
        values = scores.get((start, end), {})
        return pd.DataFrame({"unit": list(values), "index_766": list(values.values())})

    total = league.Indicator("index_766", "Chỉ số 766 (tổng điểm)", "Chỉ số 766", Target("index_766", ">=", 90),
                             percent=False)
    monkeypatch.setattr(league, "EXTRA_INDICATORS", [(total, provider)])
    frame, chosen = league.league(store, "2019-01", "2019-03")
    assert chosen[-1] == total
    ranked = league.ranked(frame, total)
    assert ranked["unit"].tolist()[:2] == ["W", "X"]
    table = league.league_table(ranked, chosen, "index_766").set_index("Đơn vị")
    assert table.loc["W", "Chỉ số 766"] == "✔ 90,25" and table.loc["X", "Chỉ số 766"] == "✖ 71,5"
    assert table.loc["W", "Chỉ số 766 so với kỳ trước"] == "▼ 1,8 điểm"  # a score moves in points, not %
    assert table.loc["X", "Chỉ số 766 so với kỳ trước"] == "▲ 1,5 điểm"
    assert table.loc["Y", "Chỉ số 766"] == "–"


def test_the_excel_version_keeps_numbers_and_statuses_apart(store):
    frame, chosen = league.league(store, "2019-01", "2019-03")
    table = league.league_table(league.ranked(frame, on_time(chosen)), chosen, "on_time_rate", for_excel=True)
    x = table.set_index("Đơn vị").loc["X"]
    assert x["Đúng hạn"] == "95,0%" and x["Đúng hạn: tình trạng"] == "◐ Gần đạt"


def test_level_choices_follow_the_organisation_then_the_data():
    units = pd.DataFrame({"unit": ["a", "b", "c"], "level": ["xã", "phường", "huyện"]})
    levels = (("tỉnh", "Cấp tỉnh"), ("huyện", "Cấp huyện"), ("xã", "Cấp xã"))
    assert league.level_choices(units, levels) == ["", "huyện", "xã", "phường"]  # no "tỉnh": nothing stored


def test_units_listed_with_every_target_they_miss(store):
    units = views.by_unit(store, views.Filters(2019, 1, 3))
    frame, chosen = league.missed_targets(units, None)  # the national norms: on time 100%, online and BCCI shares
    table = league.missed_table(frame, chosen, {"xã": "Cấp xã", "huyện": "Cấp huyện"}).set_index("Đơn vị")
    # every unit takes no dossier online nor by post: 4 shares missed by everyone with new dossiers; W and X are
    # also late without apology letters (on time ✖ / ◐, apologies 0%)
    assert table.loc["W", "Số chỉ tiêu chưa đạt"] == "6" and table.loc["X", "Số chỉ tiêu chưa đạt"] == "6"
    assert table.loc["W", "Đúng hạn (100%)"] == "✖ 75,0%" and table.loc["X", "Đúng hạn (100%)"] == "◐ 95,0%"
    assert table.loc["W", "Xin lỗi (100%)"] == "✖ 0,0%"
    assert table.loc["Y", "Đúng hạn (100%)"] == "✔" and table.loc["Y", "Xin lỗi (100%)"] == "–"  # none late
    assert table.loc["Y", "Số chỉ tiêu chưa đạt"] == "4" and table.loc["Y", "Mức độ 3 (≥ 20%)"] == "✖ 0,0%"
    # the most targets missed (W, P, X: 6), the lowest on-time rate first among them (75%, 90%, 95%)
    assert list(table.index[:3]) == ["W", "P", "X"]
    assert table.loc["V", "Đúng hạn (100%)"] == "–"  # nothing resolved: not missed, no data


def test_a_unit_meeting_every_target_is_not_listed(store):
    # Y with every target met: 100% on time, shares at the norms
    units = pd.DataFrame([{"unit": "Y", "level": "xã", "on_time_rate": 1.0, "apology_rate": None,
                           "online_l3_share": 0.25, "online_l4_share": 0.1, "bcci_intake_share": 0.1,
                           "bcci_return_share": 0.12, **dict.fromkeys(STATS_FIELDS, 1)}])
    frame, chosen = league.missed_targets(units, None)
    assert frame.empty and len(chosen) == 6
