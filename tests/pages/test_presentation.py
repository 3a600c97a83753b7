"""Presentation mode (?trinh_chieu=1, ui/presentation.py) through AppTest: which slides the data allows, the slide
counter, the self-advancing timer (?tu_dong=N) and a nonsense timer value.

Each case opens a fresh app: AppTest reruns only the page after a run that stopped before st.navigation ran, so a
step is shown by starting from the session state the earlier showing left (the slide index, "already shown")."""

import streamlit as st
from streamlit.testing.v1 import AppTest
from support import ROOT, book, figures, plan_bytes, template_sheet

from cchc.ingest import import_file
from cchc.store.database import Store
from ui.safe import md

ALL_SLIDES = ["Tổng quan", "Điểm bị mất theo lĩnh vực", "Dự kiến khôi phục", "Kết quả so với chỉ tiêu",
              "Đúng hạn theo tháng", "Trực tuyến mức độ 3, 4", "BCCI", "Xếp hạng đơn vị"]


def _database(tmp_path, monkeypatch, with_plan: bool, with_stats: bool) -> None:
    url = f"sqlite:///{tmp_path / 'cchc.sqlite'}"
    store = Store(url)
    if with_plan:  # criteria 3.4 and 3.7: standard 3, appraised 1 in 2018, lost 2
        assert import_file(store, plan_bytes(), "ke_hoach.xlsx")[1] is not None
    if with_stats:
        stats = book(template_sheet([("Phòng Tư pháp", 2019, 1, figures()), ("UBND xã Ia Tul", 2019, 1, figures())]))
        assert import_file(store, stats, "thong_ke.xlsx")[1] is not None
    store.dispose()
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()


def present(query: dict | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["trinh_chieu"] = "1"
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def counter(at) -> str:
    """The slide counter in the top right corner: "2 / 8 · Điểm bị mất theo lĩnh vực"."""
    shown = [m.value for m in at.markdown if "slide-number" in m.value]
    assert len(shown) == 1, shown
    return shown[0].removeprefix("<div class='slide-number'>").removesuffix("</div>")


def test_nothing_to_present_on_an_empty_database(tmp_path, monkeypatch):
    _database(tmp_path, monkeypatch, with_plan=False, with_stats=False)
    at = present()
    assert [t.value for t in at.title] == ["Trình chiếu"]
    assert [i.value for i in at.info] == [("Chưa có dữ liệu để trình chiếu. Hãy tải tệp lên ở trang **Dữ liệu** "
                                           "(kế hoạch hoặc thống kê TTHC hằng tháng).")]
    assert not [m for m in at.markdown if "slide-number" in m.value]


def test_a_plan_without_statistics_gives_its_three_slides(tmp_path, monkeypatch):
    _database(tmp_path, monkeypatch, with_plan=True, with_stats=False)
    at = present()
    assert counter(at) == "1 / 3 · Tổng quan"
    big = [m.value for m in at.markdown if "slide-big" in m.value]
    assert big[0] == "<div class='slide-label'>Điểm bị mất</div><div class='slide-big'>2</div>"
    # nothing measured yet: each criterion keeps its 2018 appraisal (3.4: 1, 3.7: 0), so 1 of 3 and nothing recovered
    assert big[1] == "<div class='slide-label'>Dự kiến khôi phục</div><div class='slide-big'>0</div>"
    assert big[2] == "<div class='slide-label'>Điểm dự kiến</div><div class='slide-big'>1 / 3</div>"
    at = present(state={"slide": 1})
    assert counter(at) == "2 / 3 · Điểm bị mất theo lĩnh vực"
    assert len(at.get("plotly_chart")) == 1
    at = present(state={"slide": 5})  # the index wraps round the three slides
    assert counter(at) == "3 / 3 · Dự kiến khôi phục"


def test_the_timer_moves_on_one_slide_each_time_it_fires(tmp_path, monkeypatch):
    _database(tmp_path, monkeypatch, with_plan=True, with_stats=True)
    first = present({"tu_dong": "20"})
    assert counter(first) == "1 / 8 · Tổng quan"  # the first showing stays on the first slide
    ticked = present({"tu_dong": "20"}, state={"slide": 0, "slide_shown": True})
    assert counter(ticked) == "2 / 8 · Điểm bị mất theo lĩnh vực"
    last = present({"tu_dong": "20"}, state={"slide": 7, "slide_shown": True})
    assert counter(last) == "1 / 8 · Tổng quan"  # after the last slide the show starts again


def test_a_timer_that_is_not_a_number_is_off(tmp_path, monkeypatch):
    _database(tmp_path, monkeypatch, with_plan=True, with_stats=True)
    for value in ("abc", "-5", ""):
        at = present({"tu_dong": value}, state={"slide": 3, "slide_shown": True})
        assert counter(at) == f"4 / 8 · {ALL_SLIDES[3]}", value  # no timer: the slide stays where it was


# ---- long lists over several slides: the pure helpers (cchc.show.views), then the slides they make ----

def test_split_even_uses_the_fewest_slides_and_fills_them_evenly():
    from cchc.show.views import split_even

    sizes = lambda weights, capacity: [len(page) for page in split_even(weights, capacity)]
    assert sizes([1] * 25, 14) == [13, 12]  # two slides are enough; 14 + 11 would leave the second thin
    assert sizes([1] * 20, 14) == [10, 10]
    assert sizes([1] * 28, 14) == [14, 14]
    assert sizes([1] * 29, 14) == [10, 10, 9]
    assert sizes([1] * 5, 14) == [5]
    assert split_even([], 14) == []
    # weights (wrapped lines): no slide passes the capacity, order kept, a row taller than a slide stands alone
    pages = split_even([3, 3, 3, 20, 1, 1], 8)
    assert [list(p) for p in pages] == [[0, 1], [2], [3], [4, 5]]


def test_slide_titles_number_only_a_split():
    from cchc.show.views import slide_title

    assert slide_title("Xếp hạng đơn vị", 0, 2) == "Xếp hạng đơn vị (1/2)"
    assert slide_title("Xếp hạng đơn vị", 1, 2) == "Xếp hạng đơn vị (2/2)"
    assert slide_title("Xếp hạng đơn vị", 0, 1) == "Xếp hạng đơn vị"


def test_ranking_pages_put_the_units_behind_first_and_leave_out_units_without_a_rate():
    import pandas as pd

    from cchc.show.views import ranking_pages

    units = pd.DataFrame({"unit": ["A", "B", "C", "D", "E"], "on_time_rate": [0.9, None, 0.5, 0.7, 0.7]})
    pages = ranking_pages(units, "on_time_rate", per_slide=2)
    assert [page["unit"].tolist() for page in pages] == [["C", "D"], ["E", "A"]]  # B resolved nothing


def test_criteria_pages_count_the_lines_long_names_wrap_to():
    import pandas as pd

    from cchc.show.views import criteria_pages

    long_name = "x" * 120  # three lines of 52 characters (a 1024 px slide)
    table = pd.DataFrame({"Tiêu chí": ["ngắn", long_name, "ngắn", long_name, "ngắn"],
                          "Chỉ tiêu": ["100%"] * 5})
    pages = criteria_pages(table, lines=5)  # weights 1, 3, 1, 3, 1: 9 lines need two slides, 1 + 3 + 1 and 3 + 1
    assert [page["Tiêu chí"].tolist() for page in pages] == [["ngắn", long_name, "ngắn"], [long_name, "ngắn"]]


def test_resolve_unit_takes_names_and_aliases_and_refuses_the_unknown():
    from cchc.registry import load_registry
    from cchc.show.views import resolve_unit

    registry = load_registry()  # data/don_vi.csv: "UBND xã Ia Tul", alias "Ia Tul"
    assert resolve_unit("UBND xã Ia Tul", registry, []) == "UBND xã Ia Tul"
    assert resolve_unit("Ia Tul", registry, []) == "UBND xã Ia Tul"
    assert resolve_unit("Đơn vị chỉ có số liệu", registry, ["Đơn vị chỉ có số liệu"]) == "Đơn vị chỉ có số liệu"
    assert resolve_unit("Xã Không Có", registry, ["UBND xã Ia Tul"]) is None
    assert resolve_unit("", registry, []) is None


def _ranked_units(tmp_path, monkeypatch, count: int) -> None:
    """`count` units, unit i (from 0) resolving 20 dossiers of which 4 + i on time: rates 20%, 25%, 30% …"""
    units = [f"Đơn vị {i + 1:02d}" for i in range(count)]
    records = [(name, 2019, 1, figures(online=10, direct=6, carried=4, early=0, on_time=4 + i, late=16 - i,
                                       in_time=0, overdue=0)) for i, name in enumerate(units)]
    url = f"sqlite:///{tmp_path / 'cchc.sqlite'}"
    store = Store(url)
    assert import_file(store, book(template_sheet(records)), "thong_ke.xlsx")[1] is not None
    store.dispose()
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()


def _bars(spec: dict) -> list[str]:
    """The unit names on a ranking chart's bars (every bar trace), as Plotly shows them."""
    return sorted(name for trace in spec["data"] if trace.get("type") == "bar" for name in trace["y"])


def test_a_long_ranking_goes_over_two_slides_on_one_scale(tmp_path, monkeypatch):
    import json

    _ranked_units(tmp_path, monkeypatch, 16)  # 16 bars: too many for one slide (14 at most), 8 + 8 on two
    first = present(state={"slide": 4})
    assert counter(first) == "5 / 6 · Xếp hạng đơn vị (1/2)"
    spec_1 = json.loads(first.get("plotly_chart")[0].proto.spec)
    assert spec_1["layout"]["title"]["text"] == "Xếp hạng đơn vị theo tỷ lệ đúng hạn (1/2)"
    assert _bars(spec_1) == [f"Đơn vị {i:02d}" for i in range(1, 9)]  # the eight lowest rates, 20% to 55%
    second = present(state={"slide": 5})
    assert counter(second) == "6 / 6 · Xếp hạng đơn vị (2/2)"
    spec_2 = json.loads(second.get("plotly_chart")[0].proto.spec)
    assert spec_2["layout"]["title"]["text"] == "Xếp hạng đơn vị theo tỷ lệ đúng hạn (2/2)"
    assert _bars(spec_2) == [f"Đơn vị {i:02d}" for i in range(9, 17)]
    assert spec_1["layout"]["xaxis"]["range"] == spec_2["layout"]["xaxis"]["range"]  # a bar means the same on both


def test_a_short_ranking_stays_on_one_slide(tmp_path, monkeypatch):
    import json

    _ranked_units(tmp_path, monkeypatch, 14)
    at = present(state={"slide": 4})
    assert counter(at) == "5 / 5 · Xếp hạng đơn vị"
    assert len(_bars(json.loads(at.get("plotly_chart")[0].proto.spec))) == 14


# ---- one agency's slides (?don_vi=…, the agency page's "Trình chiếu") ----

def _agency_database(tmp_path, monkeypatch) -> None:
    """The small plan (3.4 led by "UBND xã", so by every commune) and two units' January; Ia Tul has February too:
    January 2 early + 2 on time of 6 resolved, February 1 + 5 of 6, so 10 of 12 on time over both months."""
    url = f"sqlite:///{tmp_path / 'cchc.sqlite'}"
    store = Store(url)
    assert import_file(store, plan_bytes(), "ke_hoach.xlsx")[1] is not None
    stats = book(template_sheet([("Phòng Tư pháp", 2019, 1, figures()),
                                 ("UBND xã Ia Tul", 2019, 1, figures(early=2, on_time=2, late=2)),
                                 ("UBND xã Ia Tul", 2019, 2, figures(early=1, on_time=5, late=0))]))
    assert import_file(store, stats, "thong_ke.xlsx")[1] is not None
    store.dispose()
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()


def _html(at) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def test_an_alias_opens_that_agencys_slides(tmp_path, monkeypatch):
    import json

    _agency_database(tmp_path, monkeypatch)
    at = present({"don_vi": "Ia Tul"})  # the short name a link may carry
    assert counter(at) == "1 / 4 · Tổng quan đơn vị"
    assert "## UBND xã Ia Tul" in [m.value for m in at.markdown]
    cards = next(body for body in _html(at) if "slide-cards" in body)
    assert ("<div class='slide-label'>Đúng hạn (3.4)</div><div class='slide-value'>83,3%</div>"
            "<div class='slide-status'>✖ Chưa đạt · chỉ tiêu 100%</div>"
            "<div class='slide-counts'>10 / 12 hồ sơ</div>") in cards  # its own counts, not Tư pháp's 5 of 6
    assert "### Chủ trì 1 tiêu chí: 1 chưa đạt — Phối hợp 0 tiêu chí" in [m.value for m in at.markdown]

    months = present({"don_vi": "Ia Tul"}, state={"slide": 1})
    assert counter(months) == "2 / 4 · Đúng hạn theo tháng"
    spec = _decode_spec(months.get("plotly_chart")[0].proto.spec)
    line = next(trace for trace in spec["data"] if trace.get("mode", "").startswith("lines"))
    assert [round(v, 4) for v in line["y"]] == [0.6667, 1.0]  # January 4 / 6, February 6 / 6
    assert spec["layout"]["title"]["subtitle"]["text"] == "UBND xã Ia Tul · 01/2019 – 02/2019"  # months with data

    online = present({"don_vi": "Ia Tul"}, state={"slide": 2})
    assert counter(online) == "3 / 4 · Trực tuyến mức độ 3, 4"
    assert len(online.get("plotly_chart")) == 1

    criteria = present({"don_vi": "Ia Tul"}, state={"slide": 3})
    assert counter(criteria) == "4 / 4 · Tiêu chí chủ trì"
    assert f"### {md('Tiêu chí chủ trì: 1 tiêu chí · UBND xã Ia Tul')}" in [m.value for m in criteria.markdown]
    table = next(body for body in _html(criteria) if "slide-table" in body)
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn" in table and "Thực hiện xin lỗi" not in table  # 3.7 is not its own
    assert json.dumps("?don_vi=Ia+Tul")[1:-1] in next(b for b in _html(criteria) if "slide-exit" in b)  # back to it


def _decode_spec(text: str) -> dict:
    import base64
    import json

    import numpy as np

    def decode(node):
        if isinstance(node, dict):
            if "bdata" in node and "dtype" in node:
                return np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"])).tolist()
            return {k: decode(v) for k, v in node.items()}
        if isinstance(node, list):
            return [decode(v) for v in node]
        return node
    return decode(json.loads(text))


def test_an_unknown_agency_is_said_so_in_vietnamese(tmp_path, monkeypatch):
    _agency_database(tmp_path, monkeypatch)
    at = present({"don_vi": "Xã Không Có"})
    assert [t.value for t in at.title] == ["Trình chiếu"]
    assert [w.value for w in at.warning] == [("Không tìm thấy đơn vị “Xã Không Có”. Hãy kiểm tra tên trong liên kết, "
                                              "hoặc trình chiếu số liệu của toàn tổ chức.")]
    assert not [m for m in at.markdown if "slide-number" in m.value]  # no one else's slides instead
    links = [body for body in _html(at) if "slide-control" in body]
    assert any("href='?trinh_chieu=1'" in body and "Trình chiếu toàn tổ chức" in body for body in links)


def test_the_agency_page_presents_that_agency(tmp_path, monkeypatch):
    from urllib.parse import parse_qs, urlsplit

    _agency_database(tmp_path, monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["don_vi"] = "UBND xã Ia Tul"
    at.run()
    at.switch_page("pages/don_vi.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    link = next(b for b in at.get("link_button") if b.proto.label == "Trình chiếu")
    address = urlsplit(link.proto.url)
    assert address.path == ""  # this page's own address: leaving the show comes back here
    assert parse_qs(address.query) == {"don_vi": ["UBND xã Ia Tul"], "trinh_chieu": ["1"]}


def test_an_agency_named_like_markup_is_shown_as_text(tmp_path, monkeypatch):
    name = "UBND <img src=x onerror=alert(1)> [xã](https://evil.example) $x$"
    url = f"sqlite:///{tmp_path / 'cchc.sqlite'}"
    store = Store(url)
    assert import_file(store, plan_bytes(), "ke_hoach.xlsx")[1] is not None
    assert import_file(store, book(template_sheet([(name, 2019, 1, figures())])), "thong_ke.xlsx")[1] is not None
    store.dispose()
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = present({"don_vi": name})
    assert counter(at) == "1 / 4 · Tổng quan đơn vị"  # 3.4 is led by "Cơ quan, đơn vị có TTHC": it too
    assert f"## {md(name)}" in [m.value for m in at.markdown]  # markdown, escaped
    assert all("<img" not in body for body in _html(at))  # the HTML it is put in never carries it raw
    spec = _decode_spec(present({"don_vi": name}, state={"slide": 1}).get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["subtitle"]["text"].startswith("UBND &lt;img src=x")  # Plotly shows it literally
    criteria = present({"don_vi": name}, state={"slide": 3})
    assert counter(criteria) == "4 / 4 · Tiêu chí chủ trì"
    assert f"### {md('Tiêu chí chủ trì: 1 tiêu chí · ' + name)}" in [m.value for m in criteria.markdown]
    assert all("<img" not in body for body in _html(criteria))
