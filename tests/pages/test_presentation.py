"""Presentation mode (?trinh_chieu=1, ui/presentation.py) through AppTest: which slides the data allows, the slide
counter, the self-advancing timer (?tu_dong=N) and a nonsense timer value.

Each case opens a fresh app: AppTest reruns only the page after a run that stopped before st.navigation ran, so a
step is shown by starting from the session state the earlier showing left (the slide index, "already shown")."""

import streamlit as st
from streamlit.testing.v1 import AppTest
from support import ROOT, book, figures, plan_bytes, template_sheet

from cchc.ingest import import_file
from cchc.store.database import Store

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
