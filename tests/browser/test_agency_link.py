"""The agency page in a real browser (issue 14): its agency stays in the address bar and in "Sao chép liên kết"
however it was chosen (an alias in the link, the exact name, the box), and its criteria tables show status, target
and value without scrolling sideways at 1280 and 1024 px."""

from __future__ import annotations

from urllib.parse import quote, unquote_plus

import pytest
from playwright.sync_api import expect
from test_browser import TIMEOUT_MS, idle, main, open_page, settled, streamlit_server, warm

IA_TUL = "UBND xã Ia Tul"


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    with streamlit_server(tmp_path_factory.mktemp("agency"), "streamlit-agency") as running:
        warm(browser, running["base"])
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def shown(page) -> None:
    expect(main(page)).to_contain_text("Tiêu chí đơn vị chủ trì và phối hợp")
    idle(page)


def share_link(page) -> str:
    page.get_by_role("button", name="Sao chép liên kết").click()
    code = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode")
    expect(code).to_be_visible()
    link = unquote_plus(code.inner_text())
    page.keyboard.press("Escape")
    expect(code).to_be_hidden()
    return link


def choose(page, name: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text="Chọn cơ quan").click()
    page.keyboard.type(name)
    page.get_by_role("option", name=name).first.click()
    expect(main(page)).to_contain_text("Tiêu chí đơn vị chủ trì và phối hợp")
    page.wait_for_url(lambda url: f"don_vi={name}" in unquote_plus(url))
    idle(page)


def asked_for(page) -> str | None:
    address = unquote_plus(page.url)
    return address.split("don_vi=")[1].split("&")[0] if "don_vi=" in address else None


@pytest.mark.parametrize("asked", ["Ia Tul", IA_TUL], ids=["alias", "exact-name"])
def test_the_agency_stays_in_the_address(server, page, asked):
    open_page(page, f"{server['base']}/don-vi?thang=T04&thang=T06&don_vi={quote(asked)}")
    shown(page)
    assert asked_for(page) == IA_TUL
    link = share_link(page)
    assert f"don_vi={IA_TUL}" in link and "thang=T04&thang=T06" in link
    choose(page, "Phòng Tư pháp")  # then chosen in the box: the address and the link follow
    assert asked_for(page) == "Phòng Tư pháp"
    link = share_link(page)
    assert "don_vi=Phòng Tư pháp" in link and "thang=T04&thang=T06" in link
    page.reload()  # the address opens the same agency again
    shown(page)
    expect(page.get_by_role("combobox", name="Chọn cơ quan, đơn vị hoặc xã")).to_have_value("Phòng Tư pháp")


def test_chosen_in_the_box_from_an_empty_page(server, page):
    open_page(page, f"{server['base']}/don-vi")
    choose(page, "Phòng Nội vụ")
    assert asked_for(page) == "Phòng Nội vụ"
    assert "don_vi=Phòng Nội vụ" in share_link(page)


SCROLL = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].slice(0, 2).map(frame => {
    const scroller = frame.querySelector('.dvn-scroller');
    return scroller.scrollWidth - scroller.clientWidth;
})"""
FRAMES_READY = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(
    frame => frame.querySelector('.dvn-scroller')).length >= 2"""


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_criteria_tables_fit_the_width(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        open_page(tab, f"{server['base']}/don-vi?don_vi={quote(IA_TUL)}")  # leads 2 criteria, supports 24
        shown(tab)
        tab.wait_for_function(FRAMES_READY)
        assert settled(tab, SCROLL) == [0, 0]  # nothing to scroll sideways in "Chủ trì" and "Phối hợp"
        # a "Tải Excel" under each criteria table, and under the monthly figures
        expect(tab.get_by_role("button", name="Tải Excel")).to_have_count(3)
    finally:
        context.close()
