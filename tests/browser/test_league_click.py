"""The league table in Chromium at 1280×720: nothing cut, and a click on a row opens that unit's page (AppTest cannot
click a table: Streamlit runs the selection's callback only for a selection made in the browser).

The sample data, April–June 2019. Which unit sits on which row is worked out here from the stored counts (on-time
share, ties by dossiers then name), not read from the page.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect
from test_browser import ARTIFACTS, TIMEOUT_MS, idle, open_page, streamlit_server, wait_still, warm

from cchc.store.database import Store

QUERY = "nam=2019&thang=T04&thang=T06"
ROW_PX = 35  # Streamlit's table row and header height
GRID = "[data-testid='stDataFrame']"


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    with streamlit_server(tmp_path_factory.mktemp("league"), "streamlit-league") as running:
        warm(browser, running["base"])
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def q2_on_time_order(url: str) -> list[str]:
    store = Store(url)
    rows = store.stats_records(start="2019-04", end="2019-06")
    store.dispose()
    sums = rows.groupby("unit")[["resolved_early", "resolved_on_time", "resolved_total"]].sum()
    share = (sums["resolved_early"] + sums["resolved_on_time"]) / sums["resolved_total"]
    return sorted(sums.index, key=lambda u: (-share[u], -sums.loc[u, "resolved_total"], u))


def click_row(page, grid, row: int) -> None:
    """Click the unit's name on a row (any cell of it opens the unit) once the table has stopped moving."""
    grid.scroll_into_view_if_needed()
    wait_still(page, GRID)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 160, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)


def test_a_click_on_a_league_row_opens_that_units_page(server, page):
    order = q2_on_time_order(server["url"])
    open_page(page, f"{server['base']}/don-vi?{QUERY}")
    grid = page.locator(GRID).first
    expect(grid).to_be_visible()
    # the page never scrolls sideways at 1280 px, and the table with its header fits the screen's height
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box["x"] + box["width"] <= 1280 and box["height"] <= 720
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bang-xep-hang-1280.png"))
    click_row(page, grid, 2)
    expect(page).to_have_url(re.compile(r"/don-vi\?.*don_vi=" + re.escape(quote_plus(order[2]))))
    idle(page)
    expect(page.get_by_role("combobox", name="Chọn cơ quan, đơn vị hoặc xã")).to_have_value(order[2])
    assert "thang=T04&thang=T06" in page.url  # the period came along (2019, the default year, is left out)


def test_every_league_column_is_as_wide_as_its_text(server, page):
    """Cell text is drawn on a canvas: measured here with the table's own font, against the width each column is
    given (ui.league.league_columns, what the page passes to st.dataframe)."""
    from cchc.show import league as league_view
    from ui import league as league_ui

    store = Store(server["url"])
    frame, chosen = league_view.league(store, "2019-04", "2019-06", None, 2019)
    store.dispose()
    shown = league_view.league_table(league_view.ranked(frame, chosen[0]), chosen, "on_time_rate",
                                     {"huyện": "Cấp huyện", "xã": "Cấp xã"})
    config = league_ui.league_columns(shown, chosen)
    open_page(page, f"{server['base']}/don-vi?{QUERY}")
    expect(page.locator(GRID).first).to_be_visible()
    texts = {column: [str(config[column].get("label") or column), *map(str, shown[column])]
             for column in shown.columns}
    widest = page.evaluate("""texts => {
        const font = getComputedStyle(document.querySelector("[data-testid='stMain']")).fontFamily;
        const ctx = document.createElement("canvas").getContext("2d");
        ctx.font = `400 14px ${font}`;
        return Object.fromEntries(Object.entries(texts).map(
            ([column, cells]) => [column, Math.max(...cells.map(t => ctx.measureText(t).width))]));
    }""", texts)
    for column, width in widest.items():
        assert width + 2 * 8 <= config[column]["width"], (column, width, config[column]["width"])  # 8 px padding


def test_a_click_on_a_unit_behind_on_the_overview_opens_its_page(server, page):
    """The overview's "Đơn vị chưa đạt chỉ tiêu" is a plain table: a unit's name is a link to its page, the period
    kept. The land registry office misses the on-time target in April–June (335 of 405 on time)."""
    unit = "Chi nhánh Văn phòng đăng ký đất đai"
    open_page(page, f"{server['base']}/?{QUERY}")
    link = page.get_by_role("region", name="Đơn vị chưa đạt chỉ tiêu").get_by_role("link", name=unit)
    link.scroll_into_view_if_needed()
    link.click()
    expect(page).to_have_url(re.compile(r"/don-vi\?.*don_vi=" + re.escape(quote_plus(unit))))
    idle(page)
    expect(page.get_by_role("combobox", name="Chọn cơ quan, đơn vị hoặc xã")).to_have_value(unit)
    assert "thang=T04&thang=T06" in page.url
