"""Every page through AppTest, on the sample data and on an empty database."""

import base64
import json
import os

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from support import ROOT, SheetSpec, book, postgres_database

from cchc.ingest import load_sample_data
from cchc.sample import build_template_workbook, sample_stats_table
from cchc.store.database import Store
from ui.safe import md

# The pages escape names and messages (ui.safe.md): their markdown source is md() of what users read.

PAGES = ["pages/tong_quan.py", "pages/giai_quyet.py", "pages/truc_tuyen.py", "pages/tieu_chi.py", "pages/gia_dinh.py",
         "pages/don_vi.py", "pages/du_lieu.py"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sample_url(request, tmp_path_factory):
    """The sample data in a SQLite file, and in a PostgreSQL database (the pages run on both)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.sqlite'}"
    else:
        url = postgres_database(f"cchc_pages_{os.getpid()}")
    store = Store(url)
    load_sample_data(store)
    store.dispose()
    return url


@pytest.fixture
def use_db(monkeypatch):
    def use(url: str):
        monkeypatch.setenv("CCHC_DATABASE_URL", url)
        st.cache_data.clear()
        st.cache_resource.clear()
    yield use
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()  # app.py first: it draws the shared filters, then runs the page
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at) -> list[dict]:
    return [_decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def _decode(node):
    """Plotly sends numeric arrays as {"dtype", "bdata"}: turn them back into lists."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            return values.reshape(node["shape"]).tolist() if "shape" in node else values.tolist()
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def chart_titled(at, words: str) -> dict:
    for spec in charts(at):
        if words in spec["layout"]["title"]["text"]:
            return spec
    raise AssertionError(f"no chart titled {words!r}: {[c['layout']['title']['text'] for c in charts(at)]}")


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def target_lines(spec) -> list[float]:
    return sorted(round(shape["y0"], 6) for shape in spec["layout"].get("shapes", []) if shape.get("y0") == shape.get("y1"))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_sample_data(page, sample_url, use_db):
    use_db(sample_url)
    at = open_page(page)
    assert not at.error, [e.value for e in at.error]
    if page not in ("pages/du_lieu.py", "pages/gia_dinh.py"):
        assert any("Dữ liệu minh họa" in w.value for w in at.warning)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_database(page, tmp_path, use_db):
    use_db(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    at = open_page(page)
    assert not at.error
    text = " ".join(i.value for i in at.info)
    if page in ("pages/tong_quan.py", "pages/giai_quyet.py", "pages/truc_tuyen.py", "pages/tieu_chi.py",
                "pages/gia_dinh.py"):
        assert "trang **Dữ liệu**" in text
    assert not any("Dữ liệu minh họa" in w.value for w in at.warning)


def test_overview_numbers_and_domain_bars(sample_url, use_db):
    use_db(sample_url)
    at = open_page("pages/tong_quan.py")
    values = metric_values(at)
    assert values["Điểm chuẩn"] == "55" and values["Điểm bị mất"] == "19,25"
    assert values["Điểm thẩm định 2018"] == "35,75"
    bars = chart_titled(at, "Điểm bị mất theo lĩnh vực")["data"][0]
    lost = dict(zip(bars["y"], bars["x"]))
    assert lost == {"1. Công tác chỉ đạo, điều hành CCHC": 1.5, "3. Cải cách thủ tục hành chính": 6.5,
                    "5. Xây dựng và nâng cao chất lượng đội ngũ CBCCVC": 3.25, "6. Cải cách tài chính công": 4.5,
                    "7. Hiện đại hóa hành chính": 3.5}
    assert list(bars["x"]) == sorted(bars["x"])  # sorted: the largest loss on top
    scoreboard = chart_titled(at, "Kết quả so với chỉ tiêu")
    targets = dict(zip(scoreboard["data"][1]["y"], scoreboard["data"][1]["x"]))
    assert targets["Tỷ lệ hồ sơ trực tuyến mức độ 3 (7.2.2)"] == 0.2
    assert targets["Tỷ lệ giải quyết đúng hạn (3.4)"] == 1.0


def test_rates_are_sums_of_counts_for_the_chosen_months_and_level(sample_url, use_db):
    use_db(sample_url)
    at = open_page("pages/giai_quyet.py", {"nam": "2019", "thang": ["T04", "T06"], "cap": "Cấp xã"})
    table = sample_stats_table()
    chosen = table[(table["month"].between(4, 6)) & (table["level"] == "xã")]
    # on time = (early + on time) / resolved, counts summed over the communes and months first
    on_time = (chosen["resolved_early"].sum() + chosen["resolved_on_time"].sum()) / chosen["resolved_total"].sum()
    expected = f"{on_time * 100:.1f}%".replace(".", ",")
    assert metric_values(at)[f"Đúng hạn ({md('3.4')})"] == expected  # the criterion's code comes from the plan
    spec = chart_titled(at, "đúng hạn theo tháng")
    assert [x[:7] for x in spec["data"][0]["x"]] == ["2019-04", "2019-05", "2019-06"]
    assert target_lines(spec) == [1.0]


def test_online_page_target_lines(sample_url, use_db):
    use_db(sample_url)
    at = open_page("pages/truc_tuyen.py")
    assert target_lines(chart_titled(at, "mức độ 3, 4")) == [0.1, 0.2]
    assert target_lines(chart_titled(at, "BCCI")) == [0.1, 0.1]


def test_unit_link_opens_the_unit(sample_url, use_db):
    use_db(sample_url)
    at = open_page("pages/don_vi.py", {"don_vi": "UBND xã Ia Kdăm"})
    assert at.selectbox(key="don_vi").value == "UBND xã Ia Kdăm"
    assert any("Ia Kdăm" in c["layout"]["title"].get("subtitle", {}).get("text", "") for c in charts(at))
    alias = open_page("pages/don_vi.py", {"don_vi": "Ia Kdăm"})  # a short name works too
    assert alias.selectbox(key="don_vi").value == "UBND xã Ia Kdăm"


def test_upload_lands_and_shows_on_other_pages(tmp_path, use_db):
    use_db(f"sqlite:///{tmp_path / 'upload.sqlite'}")
    table = sample_stats_table()
    data = build_template_workbook(table[table["month"] <= 3])
    at = open_page("pages/du_lieu.py")
    at.file_uploader[0].set_value(("thong_ke_quy_1.xlsx", data,
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.run()
    assert not at.exception
    assert any("Thêm **60**" in m.value for m in at.markdown)
    assert Store(f"sqlite:///{tmp_path / 'upload.sqlite'}").import_count() == 0  # nothing stored before confirming
    at.button(key="confirm_import").click()
    at.run()
    assert not at.exception
    assert any(md("Đã nhập thong_ke_quy_1.xlsx") in s.value for s in at.success)
    at.switch_page("pages/giai_quyet.py")
    at.run()
    spec = chart_titled(at, "đúng hạn theo tháng")
    assert [x[:7] for x in spec["data"][0]["x"]] == ["2019-01", "2019-02", "2019-03"]


def test_refused_upload_shows_located_errors_and_stores_nothing(tmp_path, use_db):
    url = f"sqlite:///{tmp_path / 'refused.sqlite'}"
    use_db(url)
    table = sample_stats_table()
    bad = table[table["month"] == 1].copy()
    bad.loc[bad.index[0], "resolved_late"] = -3
    at = open_page("pages/du_lieu.py")
    at.file_uploader[0].set_value(("sai.xlsx", build_template_workbook(bad), "application/octet-stream"))
    at.run()
    assert any("Tệp bị từ chối" in e.value for e in at.error)
    frame = at.table[0].value  # the findings, whole (tests/pages/test_data_page.py)
    assert list(frame.columns) == ["Mức độ", "Vị trí", "Nội dung"]
    assert frame.iloc[0]["Vị trí"].startswith(md("Sheet “Thống kê”, dòng 2 ("))
    assert not [b for b in at.button if b.key == "confirm_import"]
    assert Store(url).import_count() == 0


def test_target_correction_from_the_data_page(tmp_path, use_db):
    url = f"sqlite:///{tmp_path / 'targets.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    use_db(url)
    at = open_page("pages/du_lieu.py")
    editor = at.get("arrow_data_editor")[0] if at.get("arrow_data_editor") else None
    from cchc.show import views

    plan = store.current_plan()
    before = views.targets_editor_frame(plan)
    after = before.copy()
    row = after.index[after["Mã"] == "7.2.3"][0]
    after.loc[row, "Giá trị (%)"] = "12,5"
    assert views.target_changes(before, after) == [("7.2.3", views.Target("online_l4_share", ">=", 0.125))]
    after.loc[row, "Giá trị (%)"] = "150"
    assert "không phải là tỷ lệ phần trăm" in views.target_changes(before, after)
    assert editor is not None or at.get("data_editor")


# Kế hoạch 75/KH-UBND (data/ke_hoach_75_2019.xlsx): code → (standard, appraised 2018, target from "Giải pháp" as
# (at least, fraction), or None for a task without a measurable target). tests/test_sample.py checks the document.
PLAN75 = {
    "1.2": (1.75, 0.75, None), "1.4.2": (1, 0.5, None), "3.1.1": (0.5, 0, None), "3.1.2": (0.5, 0, 1.0),
    "3.1.3": (0.5, 0, 1.0), "3.2.4": (2, 0, 1.0), "3.4": (2, 1, 1.0), "3.5.2": (1, 0, 1.0), "3.7": (1, 0, 1.0),
    "5.1.2": (1, 0.25, 0.8), "5.2": (1, 0, 1.0), "5.5": (1, 0, 1.0), "5.6.1": (0.5, 0, 1.0), "6.1.1": (1, 0.5, 1.0),
    "6.1.2": (1, 0.5, 0.9), "6.4": (1, 0, None), "6.8.1": (1, 0, None), "6.8.2": (0.5, 0, None),
    "6.8.4": (1, 0, 0.1), "7.1.1": (1, 0.5, 1.0), "7.2.1": (0.25, 0, 0.6), "7.2.2": (0.5, 0, 0.2),
    "7.2.3": (0.5, 0, 0.1), "7.3.1": (0.5, 0, 0.2), "7.3.2": (0.5, 0, 0.1), "7.3.3": (0.5, 0, 0.1),
    "7.4.4": (1, 0.75, None),
}


def _sample_inputs() -> dict[str, float | str]:
    """Each criterion's measured value (a fraction) or progress status, from the raw sample files by plain
    arithmetic: the statistics table, the procedures file's total row, the latest progress report."""
    import openpyxl
    from support import DATA

    t = sample_stats_table().sum(numeric_only=True)
    new = t["received_total"] - t["received_carried"]
    values: dict[str, float | str] = {
        "3.4": (t["resolved_early"] + t["resolved_on_time"]) / t["resolved_total"],
        "3.7": t["late_apologies"] / (t["resolved_late"] + t["pending_overdue"]),
        "7.2.2": t["received_online_l3"] / new, "7.2.3": t["received_online_l4"] / new,
        "7.3.2": t["received_bcci"] / new, "7.3.3": t["returned_bcci"] / t["resolved_total"],
    }
    rows = list(openpyxl.load_workbook(DATA / "thu_tuc_2019_minh_hoa.xlsx").worksheets[0].iter_rows(values_only=True))
    header = rows[2]
    total = dict(zip(header, next(r for r in rows if r[0] == "Tổng cộng")))
    values["3.2.4"] = total["TTHC công khai tiến độ, kết quả giải quyết"] / total["Tổng số TTHC"]
    values["3.5.2"] = total["TTHC xử lý trên phần mềm Một cửa điện tử"] / total["Tổng số TTHC"]
    values["7.2.1"] = total["TTHC trực tuyến có phát sinh hồ sơ"] / total["TTHC cung cấp trực tuyến mức độ 3, 4"]
    values["7.3.1"] = total["TTHC có phát sinh hồ sơ qua BCCI"] / total["TTHC cung cấp qua dịch vụ BCCI"]
    sheet = openpyxl.load_workbook(DATA / "tien_do_2019_minh_hoa.xlsx").worksheets[0]
    for code, period, value, status, *_ in sheet.iter_rows(min_row=4, values_only=True):
        if code and period == "Quý IV/2019":  # the latest report of every criterion
            values[code] = value if value is not None else status
    return values


def _expected_points(code: str, measured) -> float:
    standard, _, target = PLAN75[code]
    if code == "3.4":  # default bands: 100% → all 2 points, 95% → half, below → 0
        return standard if measured >= 1 else standard / 2 if measured >= 0.95 else 0
    if target is None:  # a task: done → full points, not done → 0
        return standard if measured == "Hoàn thành" else 0
    return standard if measured >= target - 1e-9 else 0


def test_points_recovered_front_and_centre(sample_url, use_db):
    use_db(sample_url)
    at = open_page("pages/tong_quan.py")
    assert len(PLAN75) == 27 and sum(std - appraised for std, appraised, _ in PLAN75.values()) == 19.25
    measured = _sample_inputs()
    assert set(measured) == set(PLAN75)  # every criterion has a figure or a report in the sample
    gains = {code: _expected_points(code, measured[code]) - PLAN75[code][1] for code in PLAN75}
    # by hand: progress +1 (1.2) +0,5 (1.4.2) +0,5 (3.1.1) +0,5 (3.1.2) +0,75 (5.1.2) +1 (5.2) +0,5 (6.1.1)
    # +0,5 (6.1.2) +1 (6.4) +0,5 (6.8.2) +1 (6.8.4) −0,5 (7.1.1: 97% < 100%, appraised 0,5) +0,25 (7.4.4);
    # procedures +0,5 (7.3.1: 201 / 989 = 20,3% ≥ 20%); statistics 0 (3.4 at 96,7% keeps its 1 point) = 8
    assert sum(gains.values()) == pytest.approx(8)
    assert gains["7.1.1"] == -0.5 and gains["3.4"] == 0 and gains["7.3.1"] == 0.5
    metric = next(m for m in at.metric if m.label == "Dự kiến khôi phục")
    assert metric.value == "8 / 19,25 điểm"
    assert metric.delta == "Điểm dự kiến 43,75"  # 35,75 appraised + 8


def test_criteria_page_lists_all_27_with_status(sample_url, use_db):
    use_db(sample_url)
    at = open_page("pages/tieu_chi.py")
    table = next(d.value for d in at.dataframe if "Điểm dự kiến" in d.value.columns)
    assert len(table) == 27 and not (table["Tình trạng"] == "– Chưa có số liệu").any()
    assert set(table["Nguồn"]) == {"Thống kê TTHC", "Số liệu thủ tục", "Báo cáo tiến độ"}


def test_what_if_slider_moves_the_projection(sample_url, use_db):
    use_db(sample_url)
    at = open_page("pages/gia_dinh.py")
    before = metric_values(at)["Điểm dự kiến theo giả định"]
    at.select_slider(key="wi_online_l4_share").set_value(15.0)
    at.run()
    after = metric_values(at)["Điểm dự kiến theo giả định"]
    to_number = lambda text: float(text.replace(".", "").replace(",", "."))  # noqa: E731
    assert to_number(after) == pytest.approx(to_number(before) + 0.5)  # 7.2.3 is worth 0,5 point
    at.toggle(key="wi_task_6.8.1").set_value(True)
    at.run()
    assert to_number(metric_values(at)["Điểm dự kiến theo giả định"]) == pytest.approx(to_number(before) + 1.5)


def test_two_plan_years_are_compared_side_by_side(tmp_path, use_db):
    import io

    import openpyxl
    from support import sample_plan_bytes

    from cchc.ingest import import_file

    url = f"sqlite:///{tmp_path / 'years.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    book = openpyxl.load_workbook(io.BytesIO(sample_plan_bytes()))
    sheet = book.active
    header = next(c for row in sheet.iter_rows() for c in row if c.value == "Điểm thẩm định 2018")
    header.value = "Điểm thẩm định 2019"  # next year's plan, appraised against 2019
    lost_cell = sheet.cell(row=header.row + 1, column=header.column)  # domain 1 appraised 6.75 → 7.25
    lost_cell.value = 7.25
    sheet.cell(row=header.row + 1, column=header.column + 1).value = 1.0
    buffer = io.BytesIO()
    book.save(buffer)
    result, outcome = import_file(store, buffer.getvalue(), "ke_hoach_2020.xlsx")
    assert outcome is not None, result.findings.errors
    assert store.plan_years() == [2019, 2020]
    use_db(url)
    at = open_page("pages/tieu_chi.py", {"nam": "2019"})
    spec = chart_titled(at, "qua các năm")
    names = [trace["name"] for trace in spec["data"]]
    assert names == ["Thẩm định 2018 (kế hoạch 2019)", "Thẩm định 2019 (kế hoạch 2020)"]
    domain_one = {trace["name"]: trace["y"][0] for trace in spec["data"]}
    assert domain_one == {"Thẩm định 2018 (kế hoạch 2019)": 1.5, "Thẩm định 2019 (kế hoạch 2020)": 1.0}


def test_rollback_happens_only_after_confirming(tmp_path, use_db):
    """Dữ liệu: "Đưa dữ liệu về như sau lần N" only asks; "Thôi" leaves everything; "Xác nhận khôi phục" rolls
    back (an entry itself), and "Hoàn tác lần khôi phục này" brings the data back, again only once confirmed."""
    url = f"sqlite:///{tmp_path / 'rollback.sqlite'}"
    store = Store(url)
    load_sample_data(store)  # entries 1 plan, 2 statistics, 3 progress, 4 procedures
    received = int(sample_stats_table()["received_total"].sum())

    def state():
        return (store.import_count(), store.stats_totals()["received_total"], sorted(store.active_entries()))

    sample_state = (4, received, [1, 2, 3, 4])
    assert state() == sample_state
    use_db(url)
    at = open_page("pages/du_lieu.py")
    question = "Xác nhận đưa toàn bộ dữ liệu về trạng thái ngay sau lần 1?"
    assert not any(question in w.value for w in at.warning)
    at.selectbox(key="history_entry").set_value(1)
    at.run()
    at.button(key="rollback").click()
    at.run()
    assert not at.exception
    assert any(question in w.value for w in at.warning)
    assert state() == sample_state  # asked, nothing done
    at.button(key="confirm_rollback_no").click()
    at.run()
    assert not any(question in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "confirm_rollback_yes"]
    assert state() == sample_state  # "Thôi": still nothing done
    at.button(key="rollback").click()
    at.run()
    at.button(key="confirm_rollback_yes").click()
    at.run()
    assert not at.exception
    assert state() == (5, 0, [1])  # only the plan is in force; the rollback is entry 5
    latest = store.import_history().iloc[0]
    assert latest["kind"] == "rollback" and latest["summary"] == {"to": 1, "reverted": [2, 3, 4], "restored": []}
    assert any(s.value == md("Đã đưa dữ liệu về như sau lần 1 (lần 5).") for s in at.success)
    assert not any(question in w.value for w in at.warning)

    at.selectbox(key="history_entry").set_value(5)
    at.run()
    at.button(key="undo_rollback").click()
    at.run()
    assert any("Xác nhận đưa toàn bộ dữ liệu về trạng thái ngay sau lần 4?" in w.value for w in at.warning)
    assert state() == (5, 0, [1])  # the undo asks too
    at.button(key="confirm_rollback_yes").click()
    at.run()
    assert not at.exception
    assert state() == (6, received, [1, 2, 3, 4])
    assert any(s.value == md("Đã đưa dữ liệu về như sau lần 4 (lần 6).") for s in at.success)
    store.dispose()


def test_a_file_without_a_period_is_given_one_by_the_user_before_it_is_stored(tmp_path, use_db):
    import hashlib

    url = f"sqlite:///{tmp_path / 'period.sqlite'}"
    use_db(url)
    rows = [["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Giải quyết đúng hạn",
             "Giải quyết quá hạn"], ["Phòng Tư pháp", 12, 10, 9, 1]]
    data = book(SheetSpec("Sheet1", rows))
    sha = hashlib.sha256(data).hexdigest()
    at = open_page("pages/du_lieu.py")
    at.file_uploader[0].set_value(("export.xlsx", data, "application/octet-stream"))
    at.run()
    assert any("Tệp bị từ chối" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "confirm_import"]
    at.selectbox(key=f"period_year_{sha}").set_value(2019)
    at.selectbox(key=f"period_month_{sha}").set_value(3)
    at.button(key=f"period_apply_{sha}").click()
    at.run()
    assert not at.exception
    assert not at.error
    assert any("Thêm **1**" in m.value for m in at.markdown)
    frame = at.table[0].value
    assert md("Tệp không ghi kỳ báo cáo; dùng kỳ người nhập đã chọn: tháng 03/2019.") in frame["Nội dung"].tolist()
    assert Store(url).import_count() == 0
    at.button(key="confirm_import").click()
    at.run()
    assert Store(url).stats_periods() == ["2019-03"]


def test_the_user_maps_a_column_sees_the_preview_and_saves_the_mapping_for_next_month(tmp_path, use_db):
    import hashlib

    url = f"sqlite:///{tmp_path / 'mapping.sqlite'}"
    use_db(url)
    header = ["Đơn vị", "Số đầu kỳ", "Tiếp nhận trong kỳ", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    january = book(SheetSpec("T01-2019", [header, ["Phòng Tư pháp", 5, 25, 20, 18, 2]]))
    sha = hashlib.sha256(january).hexdigest()
    at = open_page("pages/du_lieu.py")
    at.file_uploader[0].set_value(("t01.xlsx", january, "application/octet-stream"))
    at.run()
    assert any("Tệp bị từ chối" in e.value for e in at.error)
    assert at.expander[0].label == "Cách đọc các cột (cần chọn)"
    # what "Xem trước với cách đọc này" stores once the user picked "Từ kỳ trước" for "Số đầu kỳ"
    at.session_state[f"mapping_{sha}"] = {"Đơn vị": "unit", "Số đầu kỳ": "received_carried",
                                          "Tiếp nhận trong kỳ": "received_new", "Đã giải quyết": "resolved_total",
                                          "Đúng hạn": "resolved_on_time", "Quá hạn": "resolved_late"}
    at.run()
    assert not at.exception and not at.error
    assert any("Thêm **1**" in m.value for m in at.markdown)
    at.text_input(key=f"mapping_name_{sha}").set_value("Cổng DVC tỉnh")
    at.button(key=f"mapping_save_{sha}").click()
    at.run()
    assert any("Đã lưu cách đọc cột “Cổng DVC tỉnh”" in s.value for s in at.success)
    assert [m["name"] for m in Store(url).saved_mappings()] == ["Cổng DVC tỉnh"]
    # February, same layout: read by itself, the mapping named in a warning
    february = book(SheetSpec("T02-2019", [header, ["Phòng Tư pháp", 3, 12, 10, 9, 1]]))
    at.file_uploader[0].set_value(("t02.xlsx", february, "application/octet-stream"))
    at.run()
    assert not at.error
    frame = at.table[0].value
    assert md("Đã đọc 6 cột theo cách đọc đã lưu “Cổng DVC tỉnh” (tệp cùng mẫu với tệp đã lưu cách đọc).") in \
        frame["Nội dung"].tolist()


def test_a_quarter_counts_in_the_totals_and_is_named_beside_the_monthly_chart(tmp_path, use_db):
    from cchc.ingest import import_file

    url = f"sqlite:///{tmp_path / 'quarter.sqlite'}"
    store = Store(url)
    header = ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Giải quyết đúng hạn",
              "Giải quyết quá hạn"]
    quarter = book(SheetSpec("Sheet1", [["Kỳ báo cáo: Quý I năm 2019"], [], header, ["Phòng Tư pháp", 36, 30, 27, 3]]))
    april = book(SheetSpec("T04-2019", [header, ["Phòng Tư pháp", 12, 10, 8, 2]]))
    for data in (quarter, april):
        result, outcome = import_file(store, data, "f.xlsx")
        assert outcome is not None, result.findings.errors
    use_db(url)
    at = open_page("pages/giai_quyet.py")
    assert not at.exception
    assert any(c.value == "Số liệu nhiều tháng (01–03/2019) được tính vào các tổng và tỷ lệ của kỳ, nhưng không hiện "
               "trên biểu đồ theo tháng vì không chia được cho từng tháng." for c in at.caption)
    assert at.metric[1].value == "40"  # 30 resolved in the quarter + 10 in April
    spec = chart_titled(at, "đúng hạn theo tháng")
    assert [x[:7] for x in spec["data"][0]["x"]] == ["2019-04"]


def test_a_quarter_over_stored_months_is_held_until_the_user_chooses_to_replace(tmp_path, use_db):
    import hashlib

    from cchc.ingest import import_file

    url = f"sqlite:///{tmp_path / 'overlap.sqlite'}"
    header = ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Giải quyết đúng hạn",
              "Giải quyết quá hạn"]
    result, outcome = import_file(Store(url), book(SheetSpec("T02-2019", [header, ["Phòng Tư pháp", 12, 10, 9, 1]])),
                                  "t02.xlsx")
    assert outcome is not None
    use_db(url)
    quarter = book(SheetSpec("Sheet1", [["Kỳ báo cáo: Quý I năm 2019"], [], header, ["Phòng Tư pháp", 36, 30, 27, 3]]))
    sha = hashlib.sha256(quarter).hexdigest()
    at = open_page("pages/du_lieu.py")
    at.file_uploader[0].set_value(("quy1.xlsx", quarter, "application/octet-stream"))
    at.run()
    assert any("số liệu chồng kỳ với số liệu đã lưu (1 trường hợp)" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "confirm_import"]  # nothing can be stored before choosing
    at.radio(key=f"overlap_{sha}").set_value("Thay thế số liệu đã lưu bị chồng")
    at.run()
    at.button(key="confirm_import").click()
    at.run()
    assert not at.exception
    stored = Store(url)
    assert (stored.stats_periods(), stored.stats_spans()) == ([], ["2019-01..2019-03"])
