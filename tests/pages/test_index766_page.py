"""The Chỉ số 766 page through AppTest: the sample data (Ia Pa, 2019) plus a QĐ 766 score workbook built here and
imported as a user would (ingest.import_file), May and June 2019 and a quarter.

The scores, worked out by hand (groups → total; the portal's rank where given):
  May:  UBND huyện Ia Pa 88 (5) · Phòng Tư pháp 91 (2) · UBND xã Ia Tul 81 · UBND xã Chư Răng 75 · Phòng Nội vụ 93,5
  June: UBND huyện Ia Pa 89,5 (4) ▲ 1,5 · Phòng Tư pháp 92,75 (2) ▲ 1,75 · UBND xã Ia Tul 82,5 ▲ 1,5 · UBND xã Chư
        Răng 74 ▼ 1 · Phòng Nội vụ 92,75 ▼ 0,75 · UBND xã Kim Tân 85 (no May: –)
  Quý II/2019: Phòng Tư pháp 88
June by total: Nội vụ, Tư pháp 1 (tied), Ia Pa 3, Kim Tân 4, Ia Tul 5, Chư Răng 6. The on-time and online shares beside
them are summed here from the stored June rows (Store.stats_records), then divided.
"""

from __future__ import annotations

import os

import pytest
import streamlit as st
from support import BrowserRequest, SheetSpec, book, reads_as
from test_pages import chart_titled, open_page

from cchc.ingest import import_file, load_sample_data
from cchc.store import accounts as auth
from cchc.store.database import Store
from ui.safe import md

HEADER = ["STT", "Tên đơn vị", "Công khai, minh bạch", "Tiến độ giải quyết", "Dịch vụ công trực tuyến",
          "Thanh toán trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ", "Tổng điểm", "Xếp hạng"]
IA_PA, TU_PHAP, NOI_VU = "UBND huyện Ia Pa", "Phòng Tư pháp", "Phòng Nội vụ"
IA_TUL, CHU_RANG, KIM_TAN = "UBND xã Ia Tul", "UBND xã Chư Răng", "UBND xã Kim Tân"
MAY = [[1, IA_PA, 16, 18, 10, 8, 16, 20, 88, 5], [2, TU_PHAP, 17, 19, 10, 8, 17, 20, 91, 2],
       [3, IA_TUL, 15, 16, 9, 7, 16, 18, 81, None], [4, CHU_RANG, 14, 15, 8, 6, 15, 17, 75, None],
       [5, NOI_VU, "17,5", 19, 11, 9, 17, 20, "93,5", None]]
JUNE = [[1, IA_PA, 16, "18,5", 10, 8, 16, 21, "89,5", 4], [2, TU_PHAP, 17.5, 19.25, 10, 8.5, 17, 20.5, 92.75, 2],
        [3, IA_TUL, 15, 16.5, 9, 7.25, 16, 18.75, 82.5, None], [4, CHU_RANG, 14, 15, 8, 6, 15, 16, 74, None],
        [5, NOI_VU, 17.5, 19, 11, 9, 17, 19.25, 92.75, None], [6, KIM_TAN, 16, 17, 9, 8, 16, 19, 85, None]]
QUARTER = [[1, TU_PHAP, 16, 18, 10, 8, 16, 20, 88, None]]
JUNE_ORDER = [NOI_VU, TU_PHAP, IA_PA, KIM_TAN, IA_TUL, CHU_RANG]
PAGE = "pages/chi_so_766.py"


def score_workbook() -> bytes:
    return book(SheetSpec("T05", [["Kỳ đánh giá: Tháng 5 năm 2019"], [], HEADER, *MAY]),
                SheetSpec("T06", [["Kỳ đánh giá: Tháng 6 năm 2019"], [], HEADER, *JUNE]),
                SheetSpec("Quý II", [["Kỳ đánh giá: Quý II năm 2019"], [], HEADER, *QUARTER]))


def load_scores(store: Store) -> None:
    result, outcome = import_file(store, score_workbook(), "chi_so_766_2019.xlsx", user="test")
    assert outcome is not None, [f.located() for f in result.findings.errors]


@pytest.fixture(scope="module")
def sample_only(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('c766') / 'sample.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    store.dispose()
    return url


@pytest.fixture(scope="module")
def scored_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('c766') / 'scored.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    load_scores(store)
    store.dispose()
    return url


@pytest.fixture
def use(monkeypatch):
    def choose(url: str) -> str:
        monkeypatch.setenv("CCHC_DATABASE_URL", url)
        st.cache_data.clear()
        st.cache_resource.clear()
        return url
    yield choose
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def scored(use, tmp_path, scored_url):
    """A copy of the scored store of the test's own (some tests write thresholds)."""
    from shutil import copy

    copy(scored_url.removeprefix("sqlite:///"), tmp_path / "own.sqlite")
    return use(f"sqlite:///{tmp_path / 'own.sqlite'}")


def ranking(at, period: str = "2019-06"):
    tables = [d for d in at.dataframe if d.key == f"bang_chi_so_766_{period}"]
    assert len(tables) == 1, [d.key for d in at.dataframe]
    return tables[0].value


def period_tables(at) -> list:
    """The tables of periods (one unit over time), in page order."""
    return [d.value for d in at.dataframe if "Kỳ" in d.value.columns]


def texts(elements) -> list[str]:
    return [reads_as(e.value) for e in elements]


def test_without_scores_the_page_says_what_to_upload(use, sample_only):
    use(sample_only)
    at = open_page(PAGE)
    assert not at.error
    (notice,) = at.info
    assert "Chưa có điểm Bộ chỉ số 766" in notice.value and "bảng điểm xuất từ Cổng Dịch vụ công quốc gia" in \
        notice.value
    assert [b.proto.label for b in at.get("download_button")] == ["Tải tệp mẫu (mau_chi_so_766.xlsx)"]
    links = at.get("page_link")
    assert len(links) == 1 and links[0].proto.page == "du-lieu"
    assert not at.dataframe and not at.get("plotly_chart")


def test_every_unit_ranked_for_the_latest_month_by_default(scored):
    at = open_page(PAGE)
    assert not at.error
    picker = at.selectbox(key="ky_766")
    assert picker.options == ["Tháng 06/2019", "Quý II/2019", "Tháng 05/2019"] and picker.value == "2019-06"
    table = ranking(at)
    assert table["Đơn vị"].tolist() == JUNE_ORDER
    assert table["Hạng"].tolist() == ["1", "1", "3", "4", "5", "6"]
    assert table["Tổng điểm (100)"].tolist() == ["92,75", "92,75", "89,5", "85", "82,5", "74"]
    assert table["So với kỳ trước"].tolist() == ["▼ 0,75", "▲ 1,75", "▲ 1,5", "–", "▲ 1,5", "▼ 1"]
    assert list(table.columns[5:12]) == ["Hạng trên Cổng", "CKMB (18)", "TDGQ (20)", "DVCTT (12)", "TTTT (10)",
                                         "MDHL (18)", "MDSH (22)"]
    assert table.set_index("Đơn vị").loc[IA_PA, "Hạng trên Cổng"] == "4"
    # a "Tải Excel" under each table: the organisation's periods, the ranking, the TTHC figures beside
    assert [b.proto.label for b in at.get("download_button")].count("Tải Excel") == 3


def test_the_organisations_own_score_rank_and_line(scored):
    at = open_page(PAGE)
    cards = {reads_as(m.label): (m.value, reads_as(m.proto.delta)) for m in at.metric}
    assert cards["Tổng điểm · Tháng 06/2019"] == ("89,5", "▲ 1,5 so với tháng 05/2019")
    assert cards["Hạng theo tổng điểm"][0] == "3/6" and cards["Hạng trên Cổng"][0] == "4"
    line = chart_titled(at, f"Tổng điểm của {IA_PA} qua các kỳ")["data"][0]
    assert line["x"] == ["05/2019", "06/2019"] and line["y"] == [88, 89.5]
    own = period_tables(at)[0]  # the organisation's, above the ranking
    assert own["Kỳ"].tolist() == ["Tháng 06/2019", "Tháng 05/2019"] and own["Hạng"].tolist() == ["3/6", "3/5"]


def test_the_page_says_when_the_organisation_has_no_row(use, tmp_path):
    url = use(f"sqlite:///{tmp_path / 'khong_co_to_chuc.sqlite'}")
    store = Store(url)
    load_sample_data(store)
    result, outcome = import_file(store, book(SheetSpec("T06", [["Kỳ đánh giá: Tháng 6 năm 2019"], [], HEADER,
                                                                 *JUNE[1:]])), "diem.xlsx", user="test")
    store.dispose()
    assert outcome is not None
    at = open_page(PAGE)
    assert any(reads_as(i.value).startswith(f"Các bảng điểm đã nhập không có dòng nào của {IA_PA}") for i in at.info)
    assert ranking(at)["Đơn vị"].tolist() == [NOI_VU, TU_PHAP, KIM_TAN, IA_TUL, CHU_RANG]


def test_a_quarter_chosen_and_the_level_filter(scored):
    at = open_page(PAGE, {"ky_766": "Quý II/2019"})
    table = ranking(at, "2019-04..2019-06")
    assert table[["Đơn vị", "Tổng điểm (100)", "So với kỳ trước"]].values.tolist() == [[TU_PHAP, "88", "–"]]
    at = open_page(PAGE, {"nam": "2019", "cap": "Cấp xã"})
    assert ranking(at)["Đơn vị"].tolist() == [KIM_TAN, IA_TUL, CHU_RANG]
    assert ranking(at)["Hạng"].tolist() == ["1", "2", "3"]


def threshold_lines(at) -> list[str]:
    found = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(found) == 1
    return [reads_as(line[2:]) for line in found[0].split("\n")]


def test_the_units_under_the_thresholds_and_editing_them(scored):
    at = open_page(PAGE)
    assert threshold_lines(at) == [
        f"Dưới 80 điểm (1 đơn vị): {CHU_RANG} (74)",
        f"Từ 80 đến dưới 90 điểm (3 đơn vị): {IA_TUL} (82,5), {KIM_TAN} (85), {IA_PA} (89,5)",
        f"3 đơn vị thấp nhất: {CHU_RANG} (74), {IA_TUL} (82,5), {KIM_TAN} (85)"]
    # the open mode (no account yet) is an admin: the editor is there
    at.text_input(key="nguong_duoi").set_value("83")
    at.text_input(key="nguong_tren").set_value("92,75")
    at.button(key="save_thresholds").click().run()
    assert not at.exception and not at.error
    assert threshold_lines(at)[:2] == [f"Dưới 83 điểm (2 đơn vị): {CHU_RANG} (74), {IA_TUL} (82,5)",
                                       f"Từ 83 đến dưới 92,75 điểm (2 đơn vị): {KIM_TAN} (85), {IA_PA} (89,5)"]
    store = Store(os.environ["CCHC_DATABASE_URL"])
    assert store.index766_thresholds() == (83.0, 92.75)
    store.dispose()
    at.text_input(key="nguong_duoi").set_value("95").run()
    at.button(key="save_thresholds").click().run()
    assert texts(at.error) == ["Ngưỡng dưới phải lớn hơn 0 và nhỏ hơn ngưỡng trên."]


def test_a_click_on_a_unit_shows_its_trend(scored):
    at = open_page(PAGE)
    assert "Bấm vào một dòng của bảng xếp hạng" in " ".join(c.value for c in at.caption)
    # what a click on the second row sends (AppTest cannot click a table; the browser test does)
    at.session_state["bang_chi_so_766_2019-06"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert f"Diễn biến: {md(TU_PHAP)}" in [s.value for s in at.subheader]
    total = chart_titled(at, "Tổng điểm qua các kỳ")
    assert total["data"][0]["x"] == ["05/2019", "06/2019"] and total["data"][0]["y"] == [91, 92.75]
    groups = chart_titled(at, "Điểm sáu nhóm chỉ số qua các kỳ")
    assert [t["name"] for t in groups["data"]][:2] == ["CKMB (18)", "TDGQ (20)"]
    assert groups["data"][0]["y"] == [17, 17.5]
    trend = period_tables(at)[1]  # the organisation's first, then the clicked unit's
    assert trend["Tổng điểm (100)"].tolist() == ["92,75", "91"] and trend["Hạng"].tolist() == ["1/6", "2/5"]


def vn_percent(share: float) -> str:
    return f"{share * 100:.1f}%".replace(".", ",")


def test_the_tthc_figures_beside_the_scores(scored):
    store = Store(os.environ["CCHC_DATABASE_URL"])
    rows = store.stats_records(start="2019-06", end="2019-06")
    store.dispose()
    at = open_page(PAGE)
    beside = next(d.value for d in at.dataframe if "Đúng hạn (thống kê TTHC)" in d.value.columns).set_index("Đơn vị")
    assert beside.index.tolist() == JUNE_ORDER
    for unit in JUNE_ORDER:
        mine = rows[rows["unit"] == unit]
        if mine.empty:  # the organisation itself has no statistics row
            assert beside.loc[unit, "Đúng hạn (thống kê TTHC)"] == "–", unit
            continue
        resolved = int(mine["resolved_total"].sum())
        on_time = int(mine["resolved_early"].sum() + mine["resolved_on_time"].sum())
        new = int(mine["received_total"].sum() - mine["received_carried"].sum())
        online = int(mine["received_online"].sum())
        assert beside.loc[unit, "Đúng hạn (thống kê TTHC)"] == vn_percent(on_time / resolved), unit
        assert beside.loc[unit, "Hồ sơ đã giải quyết"] == f"{resolved:,}".replace(",", "."), unit
        assert beside.loc[unit, "Trực tuyến (thống kê TTHC)"] == vn_percent(online / new), unit
    assert beside.loc[TU_PHAP, "TDGQ (20)"] == "19,25" and beside.loc[TU_PHAP, "DVCTT (12)"] == "10"


def test_the_league_table_gets_the_766_total(scored):
    at = open_page("pages/don_vi.py", {"nam": "2019", "thang": ["T06", "T06"]})
    league = next(d.value for d in at.dataframe if "Hạng" in d.value.columns and "Chỉ số 766" in d.value.columns)
    rows = league.set_index("Đơn vị")
    assert rows.loc[TU_PHAP, "Chỉ số 766"] == "✔ 92,75" and rows.loc[NOI_VU, "Chỉ số 766"] == "✔ 92,75"
    assert rows.loc[IA_TUL, "Chỉ số 766"] == "◐ 82,5" and rows.loc[CHU_RANG, "Chỉ số 766"] == "✖ 74"
    assert rows.loc[KIM_TAN, "Chỉ số 766"] == "◐ 85"
    assert rows.loc[TU_PHAP, "Chỉ số 766 so với kỳ trước"] == "▲ 1,8 điểm"  # the league's one decimal
    assert rows.loc[CHU_RANG, "Chỉ số 766 so với kỳ trước"] == "▼ 1,0 điểm"
    assert rows.loc["Phòng Y tế", "Chỉ số 766"] == "–"  # no score
    at.selectbox(key="xep_hang_theo").set_value("index766_total").run()
    league = next(d.value for d in at.dataframe if "Hạng" in d.value.columns and "Chỉ số 766" in d.value.columns)
    assert league["Đơn vị"].tolist()[:5] == [NOI_VU, TU_PHAP, KIM_TAN, IA_TUL, CHU_RANG]
    assert league["Hạng"].tolist()[:5] == ["1", "1", "3", "4", "5"]


def test_without_scores_the_league_has_no_766_column(use, sample_only):
    use(sample_only)
    at = open_page("pages/don_vi.py", {"nam": "2019", "thang": ["T06", "T06"]})
    league = next(d.value for d in at.dataframe if "Hạng" in d.value.columns)
    assert "Chỉ số 766" not in league.columns


# ---- who may change the thresholds ----

BROWSER = BrowserRequest()


@pytest.fixture
def accounts(scored, monkeypatch):
    store = Store(scored)
    for username, role in (("capnhat", "editor"), ("xem", "viewer")):
        store.save_user(username, role=role, agency="", password_hash=auth.hash_password("mat-khau-dai"))
    store.dispose()
    monkeypatch.setenv("CCHC_SERVED", "1")
    for name in ("CCHC_AUTH", "CCHC_LOGIN_REQUIRED", "CCHC_TRUSTED_HEADER"):
        monkeypatch.delenv(name, raising=False)
    BROWSER.install(monkeypatch)
    BROWSER.cookies.clear()
    return scored


def open_as(username: str | None):
    at = open_page(PAGE)
    if username is not None:
        store = Store(os.environ["CCHC_DATABASE_URL"])
        BROWSER.log_in(store, username)
        store.dispose()
        at.run()
        assert any(reads_as(c.value).startswith(f"Đăng nhập: {username} ·") for c in at.caption), "login failed"
    return at


@pytest.mark.parametrize("who, may", [(None, False), ("xem", False), ("capnhat", True)],
                         ids=["not-logged-in", "viewer", "editor"])
def test_only_editors_get_the_thresholds_editor(accounts, who, may):
    at = open_as(who)
    assert not at.exception
    assert ("save_thresholds" in {b.key for b in at.button}) is may
    assert len(at.text_input) == (2 if may else 0)
    assert any("sửa ngưỡng điểm" in i.value for i in at.info) is not may
    assert len(threshold_lines(at)) == 3  # everyone reads the lists
