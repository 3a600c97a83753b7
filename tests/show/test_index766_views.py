"""The Chỉ số 766 page's view models (cchc/show/index766.py), on scores worked out by hand, and the thresholds stored
as versions (Store.set_index766_thresholds, rights.set_index766_thresholds).

The scores (groups CKMB, TDGQ, DVCTT, TTTT, MDHL, MDSH → total; the portal's rank where given):
  May 2019:  UBND huyện Ia Pa 16 18 10 8 16 20 → 88 (5) · Phòng Tư pháp 17 19 10 8 17 20 → 91 (2)
             UBND xã Ia Tul 15 16 9 7 16 18 → 81 · UBND xã Chư Răng 14 15 8 6 15 17 → 75
             Phòng Nội vụ 17,5 19 11 9 17 20 → 93,5
  June 2019: UBND huyện Ia Pa 16 18,5 10 8 16 21 → 89,5 (4), ▲ 1,5 · Phòng Tư pháp 17,5 19,25 10 8,5 17 20,5 → 92,75
             (2), ▲ 1,75 · UBND xã Ia Tul 15 16,5 9 7,25 16 18,75 → 82,5, ▲ 1,5 · UBND xã Chư Răng 14 15 8 6 15 16 →
             74, ▼ 1 · Phòng Nội vụ 17,5 19 11 9 17 19,25 → 92,75, ▼ 0,75 · UBND xã Kim Tân 16 17 9 8 16 19 → 85
             (no May: –)
  Quý II/2019: Phòng Tư pháp 16 18 10 8 16 20 → 88 (no Quý I: –)
June by total: Nội vụ and Tư pháp 92,75 share place 1 (by name: Nội vụ first), Ia Pa 3, Kim Tân 4, Ia Tul 5, Chư Răng
6. Against 80 and 90: below 80 Chư Răng (74); from 80 to below 90 Ia Tul (82,5), Kim Tân (85), Ia Pa (89,5).
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_compare import fill, record

from cchc import rights
from cchc.registry import parse_registry
from cchc.show import index766 as view
from cchc.store.accounts import User
from cchc.store.database import Store

GROUPS = ("ckmb", "tdgq", "dvctt", "tttt", "mdhl", "mdsh")
DEFAULT = {"ckmb": 18.0, "tdgq": 20.0, "dvctt": 12.0, "tttt": 10.0, "mdhl": 18.0, "mdsh": 22.0}
LEVELS = {"huyện": "Cấp huyện", "xã": "Cấp xã"}
IA_PA, TU_PHAP, NOI_VU = "UBND huyện Ia Pa", "Phòng Tư pháp", "Phòng Nội vụ"
IA_TUL, CHU_RANG, KIM_TAN = "UBND xã Ia Tul", "UBND xã Chư Răng", "UBND xã Kim Tân"
LEVEL = {IA_PA: "", TU_PHAP: "huyện", NOI_VU: "huyện", IA_TUL: "xã", CHU_RANG: "xã", KIM_TAN: "xã"}

MAY = {IA_PA: ((16, 18, 10, 8, 16, 20), 88, 5), TU_PHAP: ((17, 19, 10, 8, 17, 20), 91, 2),
       IA_TUL: ((15, 16, 9, 7, 16, 18), 81, None), CHU_RANG: ((14, 15, 8, 6, 15, 17), 75, None),
       NOI_VU: ((17.5, 19, 11, 9, 17, 20), 93.5, None)}
JUNE = {IA_PA: ((16, 18.5, 10, 8, 16, 21), 89.5, 4), TU_PHAP: ((17.5, 19.25, 10, 8.5, 17, 20.5), 92.75, 2),
        IA_TUL: ((15, 16.5, 9, 7.25, 16, 18.75), 82.5, None), CHU_RANG: ((14, 15, 8, 6, 15, 16), 74, None),
        NOI_VU: ((17.5, 19, 11, 9, 17, 19.25), 92.75, None), KIM_TAN: ((16, 17, 9, 8, 16, 19), 85, None)}
QUARTER = {TU_PHAP: ((16, 18, 10, 8, 16, 20), 88, None)}
NAN = float("nan")


def records(period: str, scores: dict) -> list[dict]:
    return [{"unit": unit, "level": LEVEL[unit], "year": int(period[:4]), "period": period,
             **dict(zip(GROUPS, map(float, groups))), "total": float(total),
             "rank": NAN if rank is None else float(rank)} for unit, (groups, total, rank) in scores.items()]


def frame_of(*parts: list[dict]) -> pd.DataFrame:
    """Rows shaped like Store.index766_scores(), in its order (period, then unit)."""
    rows = [r for part in parts for r in part]
    return pd.DataFrame(rows).sort_values(["period", "unit"]).reset_index(drop=True)


SCORES = frame_of(records("2019-05", MAY), records("2019-06", JUNE), records("2019-04..2019-06", QUARTER))


def june(level=None) -> pd.DataFrame:
    return view.ranked(view.with_changes(view.in_period(SCORES, "2019-06", level), view.in_period(SCORES, "2019-05")))


# ---- periods ----

def test_periods_newest_first_the_month_before_its_quarter():
    periods = ["2019-04..2019-06", "2019-05", "2019-06", "2019-01..2019-12"]
    assert view.ordered_periods(periods) == ["2019-01..2019-12", "2019-06", "2019-04..2019-06", "2019-05"]
    assert view.default_period(["2019-04..2019-06", "2019-05", "2019-06"]) == "2019-06"
    assert view.default_period([]) is None
    assert view.previous_period("2019-06") == "2019-05"
    assert view.previous_period("2019-01") == "2018-12"
    assert view.previous_period("2019-04..2019-06") == "2019-01..2019-03"
    names = {"2019-06": "Tháng 06/2019", "2019-04..2019-06": "Quý II/2019", "2019-01..2019-06": "6 tháng đầu năm 2019",
             "2019-07..2019-12": "6 tháng cuối năm 2019", "2019-01..2019-12": "Năm 2019",
             "2019-04..2019-08": "Từ 04/2019 đến 08/2019"}
    assert {p: view.period_name(p) for p in names} == names


# ---- every unit ranked ----

def test_units_ranked_by_total_ties_share_a_place_with_the_change_since_may():
    table = view.ranking_table(june(), DEFAULT, LEVELS)
    assert list(table.columns) == ["Hạng", "Đơn vị", "Cấp", "Tổng điểm (100)", "So với kỳ trước", "Hạng trên Cổng",
                                   "CKMB (18)", "TDGQ (20)", "DVCTT (12)", "TTTT (10)", "MDHL (18)", "MDSH (22)"]
    assert table["Đơn vị"].tolist() == [NOI_VU, TU_PHAP, IA_PA, KIM_TAN, IA_TUL, CHU_RANG]
    assert table["Hạng"].tolist() == ["1", "1", "3", "4", "5", "6"]
    assert table["Tổng điểm (100)"].tolist() == ["92,75", "92,75", "89,5", "85", "82,5", "74"]
    assert table["So với kỳ trước"].tolist() == ["▼ 0,75", "▲ 1,75", "▲ 1,5", "–", "▲ 1,5", "▼ 1"]
    assert table.attrs["verdicts"]["So với kỳ trước"].tolist() == ["worse", "better", "better", "", "better",
                                                                  "worse"]
    assert table["Cấp"].tolist() == ["Cấp huyện", "Cấp huyện", "–", "Cấp xã", "Cấp xã", "Cấp xã"]
    rows = table.set_index("Đơn vị")
    assert rows.loc[TU_PHAP, ["CKMB (18)", "TDGQ (20)", "TTTT (10)", "MDSH (22)"]].tolist() == [
        "17,5", "19,25", "8,5", "20,5"]
    assert rows.loc[TU_PHAP, "Hạng trên Cổng"] == "2" and rows.loc[KIM_TAN, "Hạng trên Cổng"] == "–"


def test_an_unchanged_total_is_equal_and_a_period_without_ranks_has_no_rank_column():
    again = frame_of(records("2019-06", {IA_TUL: JUNE[IA_TUL][:2] + (None,)}),
                     records("2019-07", {IA_TUL: ((15, 16.5, 9, 7.25, 16, 18.75), 82.5, None)}))
    now = view.ranked(view.with_changes(view.in_period(again, "2019-07"), view.in_period(again, "2019-06")))
    table = view.ranking_table(now, DEFAULT)
    assert table["So với kỳ trước"].tolist() == ["= 0"]
    assert table.attrs["verdicts"]["So với kỳ trước"].tolist() == ["equal"]
    assert "Hạng trên Cổng" not in table.columns


def test_the_level_filter_ranks_that_level_alone():
    table = view.ranking_table(june("xã"), DEFAULT, LEVELS)
    assert table["Đơn vị"].tolist() == [KIM_TAN, IA_TUL, CHU_RANG]
    assert table["Hạng"].tolist() == ["1", "2", "3"]
    assert table["So với kỳ trước"].tolist() == ["–", "▲ 1,5", "▼ 1"]  # May's figures of the same units


def test_the_maxima_in_force_head_the_columns():
    maxima = {**DEFAULT, "ckmb": 20.0, "mdsh": 20.5}
    table = view.ranking_table(june(), maxima)
    assert "CKMB (20)" in table.columns and "MDSH (20,5)" in table.columns
    assert "Tổng điểm (100,5)" in table.columns


def test_a_unit_without_a_total_comes_last_without_a_place():
    partial = SCORES[SCORES["period"] == "2019-06"].copy()
    partial.loc[partial["unit"] == NOI_VU, "total"] = NAN
    table = view.ranking_table(view.ranked(view.with_changes(partial, SCORES.iloc[0:0])), DEFAULT)
    assert table["Đơn vị"].iloc[-1] == NOI_VU and table["Hạng"].iloc[-1] == "–"
    assert table["Hạng"].tolist()[:2] == ["1", "2"]  # Tư pháp alone at the top now
    lines = view.threshold_lines(view.ranked(view.with_changes(partial, SCORES.iloc[0:0])), 80, 90)
    assert lines[-1] == f"Chưa có tổng điểm (1 đơn vị): {NOI_VU}"


# ---- the thresholds ----

def test_the_units_under_the_thresholds_and_the_bottom_three():
    assert view.threshold_lines(june(), 80, 90) == [
        f"Dưới 80 điểm (1 đơn vị): {CHU_RANG} (74)",
        f"Từ 80 đến dưới 90 điểm (3 đơn vị): {IA_TUL} (82,5), {KIM_TAN} (85), {IA_PA} (89,5)",
        f"3 đơn vị thấp nhất: {CHU_RANG} (74), {IA_TUL} (82,5), {KIM_TAN} (85)"]
    # other thresholds, edited: 85 is not below 85, 92,75 is not below 92,75
    assert view.threshold_lines(june(), 85, 92.75)[:2] == [
        f"Dưới 85 điểm (2 đơn vị): {CHU_RANG} (74), {IA_TUL} (82,5)",
        f"Từ 85 đến dưới 92,75 điểm (2 đơn vị): {KIM_TAN} (85), {IA_PA} (89,5)"]
    assert view.threshold_lines(june(), 50, 60)[:2] == ["Dưới 50 điểm: không có đơn vị nào.",
                                                        "Từ 50 đến dưới 60 điểm: không có đơn vị nào."]


def test_thresholds_are_stored_as_versions_and_a_rollback_brings_the_old_ones_back(store):
    """On SQLite and PostgreSQL (support.store)."""
    assert store.index766_thresholds() == (80.0, 90.0)  # nothing stored: the defaults
    editor = User("capnhat", "editor")
    first = rights.set_index766_thresholds(store, editor, "75", "85,5")
    second = rights.set_index766_thresholds(store, editor, 70, 88)
    assert store.index766_thresholds() == (70.0, 88.0)
    versions = store.index766_thresholds_versions()
    assert versions[["import_id", "low", "high", "current", "updated_by"]].values.tolist() == [
        [second, 70.0, 88.0, True, "capnhat"], [first, 75.0, 85.5, False, "capnhat"]]
    assert store.import_history()["kind"].tolist()[:2] == ["index766_thresholds", "index766_thresholds"]
    undo = store.rollback_to(first)
    assert store.index766_thresholds() == (75.0, 85.5)
    store.rollback_to(undo - 1)  # the rollback undone: the second version again
    assert store.index766_thresholds() == (70.0, 88.0)
    with pytest.raises(rights.NotAllowed) as refused:
        rights.set_index766_thresholds(store, User("xem", "viewer"), 60, 70)
    assert "Không có gì được lưu" in refused.value.message
    for low, high, words in ((90, 80, "nhỏ hơn ngưỡng trên"), ("tám mươi", 90, "phải là một số"),
                             (0, 50, "lớn hơn 0"), (80, 100.5, "vượt tổng điểm tối đa 100")):
        with pytest.raises(ValueError, match=words):
            rights.set_index766_thresholds(store, editor, low, high)
    assert store.index766_thresholds() == (70.0, 88.0) and len(store.index766_thresholds_versions()) == 2
    table = view.thresholds_versions_table(store.index766_thresholds_versions())
    assert table[["Ngưỡng dưới", "Ngưỡng trên", "Hiệu lực"]].values.tolist() == [["70", "88", "Đang dùng"],
                                                                                ["75", "85,5", ""]]


# ---- the organisation, one unit over time ----

REGISTRY = parse_registry("""name,short_name,level,kind,aliases
Phòng Tư pháp,Tư pháp,huyện,agency,
UBND huyện Ia Pa,Ia Pa,,agency,Huyện Ia Pa|Ia Pa district
""")


def test_the_organisations_own_row_by_its_name_or_an_alias():
    assert view.organisation_rows(SCORES, IA_PA)["total"].tolist() == [88.0, 89.5]
    assert view.organisation_rows(SCORES, "Huyện Ia Pa")["total"].tolist() == [88.0, 89.5]  # "UBND " aside
    renamed = SCORES.assign(unit=SCORES["unit"].replace({IA_PA: "Ia Pa district"}))
    assert view.organisation_rows(renamed, IA_PA)["period"].tolist() == []  # no registry: not known as the same
    assert view.organisation_rows(renamed, IA_PA, REGISTRY)["period"].tolist() == ["2019-05", "2019-06"]
    assert view.organisation_rows(SCORES, "UBND tỉnh Gia Lai", REGISTRY).empty


def test_the_organisations_cards():
    assert view.own_figures(SCORES, IA_PA, "2019-06") == {"total": "89,5", "change": "▲ 1,5", "verdict": "better",
                                                         "place": "3/6", "rank": "4"}
    assert view.own_figures(SCORES, IA_PA, "2019-05") == {"total": "88", "change": "–", "verdict": "",
                                                         "place": "3/5", "rank": "5"}
    assert view.own_figures(SCORES, IA_PA, "2019-04..2019-06") is None  # no quarter score of its own


def test_a_units_trend_months_only_with_place_and_change():
    history = view.unit_history(SCORES, TU_PHAP)
    assert history["period"].tolist() == ["2019-05", "2019-06"]  # the quarter is not a month of the line
    table = view.history_table(history, DEFAULT)
    assert table["Kỳ"].tolist() == ["Tháng 06/2019", "Tháng 05/2019"]  # newest first
    assert table["Tổng điểm (100)"].tolist() == ["92,75", "91"]
    assert table["So với kỳ trước"].tolist() == ["▲ 1,75", "–"]
    assert table["Hạng"].tolist() == ["1/6", "2/5"]  # June: tied first of 6; May: after Nội vụ's 93,5, of 5
    assert table["Hạng trên Cổng"].tolist() == ["2", "2"]
    assert table["CKMB (18)"].tolist() == ["17,5", "17"]
    quarters_only = frame_of(records("2019-04..2019-06", QUARTER),
                             records("2019-07..2019-09", {TU_PHAP: ((16, 18, 10, 8, 16, 21), 89, None)}))
    assert view.unit_history(quarters_only, TU_PHAP)["change"].tolist()[1] == 1.0  # Q3 against Q2


def test_the_trend_figures():
    history = view.unit_history(SCORES, TU_PHAP)
    fig = view.total_figure(history, "Tổng điểm qua các kỳ\nPhòng Tư pháp", (80, 90))
    line = fig.data[0]
    assert list(line.x) == ["05/2019", "06/2019"] and list(line.y) == [91.0, 92.75]
    assert list(line.text) == ["91", "92,75"]
    assert sorted(shape.y0 for shape in fig.layout.shapes) == [80, 90]
    assert [a.text for a in fig.layout.annotations] == ["80 điểm", "90 điểm"]
    assert fig.layout.separators == ",."
    groups = view.groups_figure(history, DEFAULT, "Điểm sáu nhóm\nPhòng Tư pháp")
    assert [t.name for t in groups.data] == ["CKMB (18)", "TDGQ (20)", "DVCTT (12)", "TTTT (10)", "MDHL (18)",
                                             "MDSH (22)"]
    assert list(groups.data[1].y) == [19.0, 19.25]
    empty = view.total_figure(history.iloc[0:0], "Không có gì", (80, 90))
    assert empty.layout.annotations[0].text == "Chưa có tổng điểm để vẽ"


# ---- the TTHC statistics beside the scores, and the league's column ----

@pytest.fixture
def scored(tmp_path):
    """June 2019 statistics: Tư pháp 40 resolved, 38 on time (95,0%), 50 new dossiers of which 20 online (40,0%);
    Ia Tul 25 resolved, 20 on time (80,0%), 30 received of which 10 carried in, 5 online (5 / 20 = 25,0%); Chư Răng
    10 resolved, 7 on time (70,0%), 10 new, none online (0,0%). May: 10 resolved by each, all on time but 1 of Ia
    Tul's; July: Tư pháp 5 of 5. Kim Tân has no statistics. The scores above, stored."""
    store = Store(f"sqlite:///{tmp_path / 'diem.sqlite'}")
    fill(store, [record(TU_PHAP, "huyện", "2019-06", 40, 30, early=8, received_total=50, received_online=20,
                        received_direct=30),
                 record(IA_TUL, "xã", "2019-06", 25, 20, received_total=30, received_carried=10, received_online=5,
                        received_direct=15),
                 record(CHU_RANG, "xã", "2019-06", 10, 7), record(CHU_RANG, "xã", "2019-05", 10, 10),
                 record(TU_PHAP, "huyện", "2019-05", 10, 10), record(IA_TUL, "xã", "2019-05", 10, 9),
                 record(TU_PHAP, "huyện", "2019-07", 5, 5)])
    store.import_index766(SCORES, b"diem", "diem.xlsx", user="test")
    yield store
    store.dispose()


def test_the_tthc_figures_beside_the_scores_are_sums_divided(scored):
    now = june()
    stats = view.stats_by_unit(scored, "2019-06", tuple(now["unit"]))
    table = view.beside_table(now, stats, DEFAULT).set_index("Đơn vị")
    assert list(table.columns) == ["Tổng điểm (100)", "TDGQ (20)", "Đúng hạn (thống kê TTHC)", "Hồ sơ đã giải quyết",
                                   "DVCTT (12)", "Trực tuyến (thống kê TTHC)", "Hồ sơ mới tiếp nhận"]
    assert table.loc[TU_PHAP].tolist() == ["92,75", "19,25", "95,0%", "40", "10", "40,0%", "50"]
    assert table.loc[IA_TUL].tolist() == ["82,5", "16,5", "80,0%", "25", "9", "25,0%", "20"]
    assert table.loc[CHU_RANG].tolist() == ["74", "15", "70,0%", "10", "8", "0,0%", "10"]  # June's, not May's
    assert table.loc[KIM_TAN].tolist()[2:] == ["–", "–", "9", "–", "–"]  # no statistics: no figure, not 0
    # the quarter: April–June summed (Tư pháp: 10 + 40 resolved in May and June, 10 + 38 on time → 48 / 50)
    quarter = view.in_period(SCORES, "2019-04..2019-06")
    stats = view.stats_by_unit(scored, "2019-04..2019-06", (TU_PHAP,))
    assert view.beside_table(quarter, stats, DEFAULT).iloc[0, 1:5].tolist() == ["88", "18", "96,0%", "50"]


def test_the_league_gets_the_766_total_with_its_change_and_status(scored):
    frame, chosen = view.league_with_scores(scored, "2019-06", "2019-06")
    indicator = chosen[-1]
    assert (indicator.key, indicator.short, indicator.label) == ("index766_total", "Chỉ số 766",
                                                                 "Chỉ số 766 (tổng điểm, tháng 06/2019)")
    rows = frame.set_index("unit")
    assert sorted(rows.index) == sorted([TU_PHAP, IA_TUL, CHU_RANG])  # the units with June statistics
    assert rows.loc[TU_PHAP, "index766_total"] == 92.75 and rows.loc[IA_TUL, "index766_total"] == 82.5
    assert rows.loc[TU_PHAP, "index766_total:previous"] == pytest.approx(1.75)
    assert rows.loc[CHU_RANG, "index766_total:previous"] == pytest.approx(-1.0)
    assert rows.loc[[TU_PHAP, IA_TUL, CHU_RANG], "index766_total:status"].tolist() == ["met", "close", "behind"]
    # a range of months without a score of its own: its latest month (June), compared with the range before's
    frame, chosen = view.league_with_scores(scored, "2019-05", "2019-06")
    assert chosen[-1].label == "Chỉ số 766 (tổng điểm, tháng 06/2019)"
    assert pd.isna(frame.set_index("unit").loc[TU_PHAP, "index766_total:previous"])  # March–April: no score
    # July has statistics (Tư pháp) but no score: the league as it was
    frame, chosen = view.league_with_scores(scored, "2019-07", "2019-07")
    assert frame["unit"].tolist() == [TU_PHAP]
    assert "index766_total" not in frame and all(i.key != "index766_total" for i in chosen)


def test_the_score_a_league_range_shows():
    periods = ["2019-04..2019-06", "2019-05", "2019-06", "2019-08"]
    assert view.period_for_range(periods, "2019-04", "2019-06") == "2019-04..2019-06"  # stored as such
    assert view.period_for_range(periods, "2019-01", "2019-07") == "2019-06"  # the latest month inside
    assert view.period_for_range(periods, "2019-06", "2019-06") == "2019-06"
    assert view.period_for_range(periods, "2019-01", "2019-04") is None
    assert view.band_status(90, 80, 90) == "met" and view.band_status(80, 80, 90) == "close"
    assert view.band_status(79.99, 80, 90) == "behind" and view.band_status(NAN, 80, 90) == "no_data"
