"""The Chỉ số 766 page in Chromium at 1280×720 and 1024×768: no text of the main area cut (scrollWidth beyond
clientWidth), the page never scrolls sideways, and a click on a row of the ranking shows that unit's trend (AppTest
cannot click a table). Screenshots in test-artifacts/: chi-so-766-<width>[-xu-huong][-ca-trang].png, before and
after the click, the screen and the whole page.

The sample data plus June and May 2019 scores built here: June by total, Phòng Nội vụ and Phòng Tư pháp 92,75 (tied,
by name), UBND xã Kim Tân 85, UBND xã Ia Tul 82,5, UBND xã Chư Răng 74; so the second row is Phòng Tư pháp, 91 in May.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support import SheetSpec, book
from test_browser import ARTIFACTS, TIMEOUT_MS, idle, open_page, streamlit_server, wait_still, warm

from cchc.ingest import import_file

HEADER = ["STT", "Tên đơn vị", "Công khai, minh bạch", "Tiến độ giải quyết", "Dịch vụ công trực tuyến",
          "Thanh toán trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ", "Tổng điểm", "Xếp hạng"]
MAY = [[1, "Phòng Tư pháp", 17, 19, 10, 8, 17, 20, 91, 2], [2, "Phòng Nội vụ", "17,5", 19, 11, 9, 17, 20, "93,5", 1]]
JUNE = [[1, "UBND huyện Ia Pa", 16, "18,5", 10, 8, 16, 21, "89,5", 4],
        [2, "Phòng Tư pháp", 17.5, 19.25, 10, 8.5, 17, 20.5, 92.75, 2],
        [3, "UBND xã Ia Tul", 15, 16.5, 9, 7.25, 16, 18.75, 82.5, None],
        [4, "UBND xã Chư Răng", 14, 15, 8, 6, 15, 16, 74, None],
        [5, "Phòng Nội vụ", 17.5, 19, 11, 9, 17, 19.25, 92.75, 1],
        [6, "UBND xã Kim Tân", 16, 17, 9, 8, 16, 19, 85, None]]
GRID = "[data-testid='stDataFrame']"
ROW_PX = 35  # Streamlit's table row and header height

# Every element of the main area with text (a picker's: its input's value) wider than its box (cut, or ending in an
# ellipsis); charts (SVG text) and the tables (text drawn on a canvas, sized by ui.league.column_widths) aside.
CLIPPED = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const cut = [];
    for (const e of main.querySelectorAll('*')) {
        const text = (e.tagName === 'INPUT' ? e.value : e.textContent) || '';  // a picker shows its value in one
        if (e instanceof SVGElement || !text.trim()) continue;
        if (e.closest('.js-plotly-plot, [data-testid="stDataFrame"], [role="tooltip"]')) continue;
        // a block holding a table: the table's own frame sticks out a few px past it (Streamlit's resize handle)
        if (e.querySelector('[data-testid="stDataFrame"]')) continue;
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden' || !e.getClientRects().length) continue;
        if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
            cut.push(`${e.tagName}: ${text.trim().slice(0, 60)} (${e.scrollWidth} > ${e.clientWidth})`);
    }
    return cut;
}"""


def load_scores(store) -> None:
    data = book(SheetSpec("T05", [["Kỳ đánh giá: Tháng 5 năm 2019"], [], HEADER, *MAY]),
                SheetSpec("T06", [["Kỳ đánh giá: Tháng 6 năm 2019"], [], HEADER, *JUNE]))
    result, outcome = import_file(store, data, "chi_so_766.xlsx", user="test")
    assert outcome is not None, [f.located() for f in result.findings.errors]


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    with streamlit_server(tmp_path_factory.mktemp("c766"), "streamlit-chi-so-766", prepare=load_scores) as running:
        warm(browser, running["base"])
        yield running


def shot(tab, name: str, width: int, height: int) -> None:
    """The screen as it is (name.png), then the whole page at that width (name-ca-trang.png): Streamlit scrolls
    its main area, not the document, so the window is made as tall as the page for it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    tall = tab.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    tab.set_viewport_size({"width": width, "height": max(height, int(tall) + 40)})
    wait_still(tab, f"[data-testid='stMain'], {GRID}, .js-plotly-plot")
    tab.screenshot(path=str(ARTIFACTS / f"{name}-ca-trang.png"))
    tab.set_viewport_size({"width": width, "height": height})
    wait_still(tab, f"[data-testid='stMain'], {GRID}, .js-plotly-plot")


@pytest.mark.parametrize("width, height", [(1280, 720), (1024, 768)])
def test_nothing_cut_and_a_click_shows_the_trend(server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        open_page(tab, f"{server['base']}/chi-so-766")
        expect(tab.get_by_role("heading", name="Chỉ số 766", exact=True)).to_be_visible()
        grids = tab.locator(GRID)
        expect(grids).to_have_count(3)  # the organisation's periods, the ranking, the TTHC figures beside them
        wait_still(tab, f"{GRID}, .js-plotly-plot")
        assert tab.evaluate(CLIPPED) == []
        assert tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        shot(tab, f"chi-so-766-{width}", width, height)

        ranking = grids.nth(1)
        ranking.scroll_into_view_if_needed()
        wait_still(tab, GRID)
        box = ranking.bounding_box()
        assert box["x"] + box["width"] <= width
        tab.mouse.click(box["x"] + 12, box["y"] + ROW_PX * 2 + ROW_PX / 2)  # the second row's tick box
        expect(tab.get_by_role("heading", name="Diễn biến: Phòng Tư pháp")).to_be_visible()
        idle(tab)
        expect(tab.locator(".js-plotly-plot").filter(has_text="Điểm sáu nhóm chỉ số qua các kỳ")).to_be_visible()
        wait_still(tab, f"{GRID}, .js-plotly-plot")
        assert tab.evaluate(CLIPPED) == []
        assert tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        shot(tab, f"chi-so-766-{width}-xu-huong", width, height)
    finally:
        context.close()
