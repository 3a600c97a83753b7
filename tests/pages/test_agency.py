"""The agency page (Đơn vị) agrees with the overview, and keeps its agency in the address (issue 14).

Each agency's criteria show the overview's status, target and value: progress reports and procedure sheets count
there as in scoring. Expected figures come from the shipped sample's own tables: 7.3.2 from the statistics (BCCI
intake over new dossiers), 7.3.1 from the procedure sheet (procedures with a BCCI dossier over those offered),
7.1.1 from the December progress report (97 %, in progress).
"""

import json
import shutil
from urllib.parse import quote_plus

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from support import html_tables, reads_as
from test_pages import open_page as shared_open_page

from cchc.ingest import load_sample_data
from cchc.sample import sample_stats_table
from cchc.sample.procedures import illustrative_rows
from cchc.store.database import Store

CRITERIA_HEADERS = ["Mã", "Tiêu chí", "Tình trạng", "Chỉ tiêu", "Hiện tại"]
DEADLINE_HEADERS = ["Hạn", "Mã", "Tiêu chí", "Chủ trì", "Tình trạng"]
# The sample plan's agencies that lead criteria (by name, or as "UBND xã" for a commune)
AGENCIES = ["Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài nguyên và Môi trường", "Phòng Tài chính-Kế hoạch",
            "Phòng Văn hóa-Thông tin", "Văn phòng HĐND-UBND huyện", "UBND xã Ia Tul"]


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("agency") / "sample.sqlite"
    store = Store(f"sqlite:///{path}")
    load_sample_data(store)
    store.dispose()
    return path


@pytest.fixture
def sample_url(sample_file, monkeypatch):
    url = f"sqlite:///{sample_file}"
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def own_url(sample_file, tmp_path, monkeypatch):
    """A copy of the sample for a test that writes."""
    path = tmp_path / "own.sqlite"
    shutil.copy(sample_file, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str, query: dict | None = None) -> AppTest:
    """test_pages.open_page (app.py first, then the page, no exception), and no error shown either."""
    at = shared_open_page(page, query)
    assert not at.error, [e.value for e in at.error]
    return at


def tables_with(at, headers: list[str]):
    return [d.value for d in at.dataframe if list(d.value.columns) == headers]


def agency_criteria(at) -> tuple:
    """(lead table, support table or None): the page lists "Chủ trì" first, then "Phối hợp"."""
    counts = {m.value.split(":")[0].strip("*"): int(m.value.split(":")[1].split()[0]) for m in at.markdown
              if m.value.startswith(("**Chủ trì:", "**Phối hợp:"))}
    found = tables_with(at, CRITERIA_HEADERS)
    lead = found.pop(0) if counts["Chủ trì"] else None
    support = found.pop(0) if counts["Phối hợp"] else None
    assert lead is None or len(lead) == counts["Chủ trì"]
    assert support is None or len(support) == counts["Phối hợp"]
    return lead, support


def by_code(frame) -> dict[str, tuple[str, str, str]]:
    return {row["Mã"]: (row["Tình trạng"], row["Chỉ tiêu"], row["Hiện tại"]) for _, row in frame.iterrows()}


def percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}".replace(".", ",") + "%"


def test_every_agency_shows_the_overviews_verdicts(sample_url):
    overview = open_page("pages/tong_quan.py")
    every = [t for t in html_tables(overview) if "Điểm dự kiến" in t.columns and len(t) == 27]
    assert len(every) == 1  # "Các tiêu chí và chỉ tiêu": the 27 criteria of Kế hoạch 75
    verdicts = by_code(every[0])
    compared = 0
    for agency in AGENCIES:
        at = open_page("pages/don_vi.py", {"don_vi": agency})
        for table in agency_criteria(at):
            if table is None:
                continue
            for code, shown in by_code(table).items():
                assert shown == verdicts[code], (agency, code)
                compared += 1
    assert compared >= 40  # every agency leads or supports some criteria


def test_progress_reports_and_procedure_sheets_count_for_the_agency(sample_url):
    at = open_page("pages/don_vi.py", {"don_vi": "Phòng Văn hóa-Thông tin"})
    lead, _ = agency_criteria(at)
    shown = by_code(lead)
    table = sample_stats_table()
    bcci = table["received_bcci"].sum() / (table["received_total"].sum() - table["received_carried"].sum())
    rows = illustrative_rows()
    bcci_used = sum(r["procedures_bcci_used"] for r in rows) / sum(r["procedures_bcci_offered"] for r in rows)
    assert shown["7.3.2"] == ("✖ Chưa đạt", "≥ 10%", percent(bcci))  # 6,6 %: 66 % of its target
    assert shown["7.3.1"] == ("✔ Đạt", "≥ 20%", percent(bcci_used))  # the procedure sheet's 20,3 %
    assert shown["7.1.1"] == ("◐ Gần đạt", "100%", "97,0%")  # the progress report: 97 % is 97 % of 100 %
    assert percent(bcci) == "6,6%" and percent(bcci_used) == "20,3%"


def test_a_task_reported_done_is_not_overdue_on_its_agency(sample_url):
    at = open_page("pages/don_vi.py", {"don_vi": "Phòng Nội vụ"})  # leads 1.2, reported done for June and December
    pressing = tables_with(at, DEADLINE_HEADERS)
    assert len(pressing) == 1
    assert "✖ Quá hạn" not in set(pressing[0]["Tình trạng"])
    # what is left on 31/12/2019: the two tasks reported "Chưa thực hiện" in December, due that day
    assert sorted(zip(pressing[0]["Mã"], pressing[0]["Tình trạng"])) == [("5.5", "◐ Sắp đến hạn"),
                                                                         ("5.6.1", "◐ Sắp đến hạn")]


def test_both_tables_download_as_excel(sample_url):
    at = open_page("pages/don_vi.py", {"don_vi": "UBND xã Ia Tul"})
    lead, support = agency_criteria(at)
    assert lead is not None and support is not None
    ids = [b.proto.id for b in at.get("download_button") if b.proto.label == "Tải Excel"]
    assert any("xlsx_tieu-chi-chu-tri-ubnd-xa-ia-tul" in i for i in ids)
    assert any("xlsx_tieu-chi-phoi-hop-ubnd-xa-ia-tul" in i for i in ids)


def share_link(at) -> str:
    links = [c.value for c in at.code if "/don-vi" in c.value]
    assert len(links) == 1
    return links[0]


@pytest.mark.parametrize("asked", ["Ia Tul", "UBND xã Ia Tul"], ids=["alias", "exact-name"])
def test_a_link_keeps_its_agency_in_the_address(sample_url, asked):
    at = open_page("pages/don_vi.py", {"don_vi": asked, "thang": ["T04", "T06"]})
    assert at.selectbox(key="don_vi").value == "UBND xã Ia Tul"
    assert at.query_params["don_vi"] == "UBND xã Ia Tul"  # the full name, in place of the alias
    link = share_link(at)
    assert f"don_vi={quote_plus('UBND xã Ia Tul')}" in link and "thang=T04&thang=T06" in link


def test_an_unknown_name_says_so(sample_url):
    at = open_page("pages/don_vi.py", {"don_vi": "Xã Không Có"})
    assert at.selectbox(key="don_vi").value is None
    assert any("Không tìm thấy đơn vị" in w.value for w in at.warning)


def test_the_close_ratio_is_set_on_the_data_page(own_url):
    at = open_page("pages/du_lieu.py")
    assert at.number_input(key="close_ratio").value == 90
    at.number_input(key="close_ratio").set_value(60)
    at.button(key="save_close_ratio").click()
    at.run()
    assert any(reads_as(s.value) == "Đã lưu ngưỡng “Gần đạt”: từ 60% chỉ tiêu." for s in at.success)
    store = Store(own_url)
    assert json.loads(store.rules_json(2019))["close_ratio"] == 0.6
    store.dispose()
    # 6,6 % against 10 % reaches 60 % of the target: "Gần đạt" on the overview and on the agency's page
    overview = open_page("pages/tong_quan.py")
    every = [t for t in html_tables(overview) if "Điểm dự kiến" in t.columns and len(t) == 27][0]
    assert by_code(every)["7.3.2"][0] == "◐ Gần đạt"
    agency = open_page("pages/don_vi.py", {"don_vi": "Phòng Văn hóa-Thông tin"})
    assert by_code(agency_criteria(agency)[0])["7.3.2"][0] == "◐ Gần đạt"
    # saving the scoring rules keeps the ratio
    data = open_page("pages/du_lieu.py")
    data.button(key="save_rules").click()
    data.run()
    assert not data.exception and not data.error
    store = Store(own_url)
    assert json.loads(store.rules_json(2019))["close_ratio"] == 0.6
    store.dispose()


def test_long_criterion_names_wrap_in_taller_rows(sample_url):
    """Ia Tul supports criteria named in 80–157 letters: its tables' rows are tall enough for Streamlit to wrap them
    (above 64 px); names of one line would keep 35 px rows (ui.fit.wrapped_rows, tests/ui/test_fit_rows.py)."""
    at = open_page("pages/don_vi.py", {"don_vi": "UBND xã Ia Tul"})
    tables = [d for d in at.dataframe if "Tiêu chí" in d.value.columns]
    assert len(tables) == 2
    assert [t.proto.row_height for t in tables] == [84, 84]  # both hold a name longer than 3 lines of 28 letters
