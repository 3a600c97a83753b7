"""Presentation mode fits the room: at 1280 × 720, 1024 × 768 and 1920 × 1080 every slide (the organisation's, and
one agency's) shows whole in the window, with nothing to scroll, no text cut or ellipsised (HTML or a chart's SVG
text), and its controls visible and whole. "Toàn màn hình" really enters and leaves the browser's full screen;
the agency page's "Trình chiếu" opens that agency's slides, and "Thoát trình chiếu" comes back in the same tab.

One server on the sample data, one browser context per window size. Each slide is photographed at the window's own
size into test-artifacts/trinh-chieu-<size>-<show>-<n>.png for a person to look at. No fixed waits: the app root's
data-test-script-state, the slide counter, and charts that have been sized and stopped moving.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_browser import ARTIFACTS, TIMEOUT_MS, idle, open_page, streamlit_server, wait_still, warm

SIZES = [(1280, 720), (1024, 768), (1920, 1080)]
AGENCY = "Ia Tul"  # a short name, as a link may carry it: the slides are those of "UBND xã Ia Tul"
CONTROLS = {"◀ Trước": ".st-key-slide_prev button", "Sau ▶": ".st-key-slide_next button",
            "Toàn màn hình": ".slide-fullscreen", "Thoát trình chiếu": ".slide-exit"}

# Everything wrong with the slide on screen, as sentences; [] when it fits.
PROBLEMS = """(controls) => {
    const problems = [], W = innerWidth, H = innerHeight, slack = 1;
    const say = (what, e) => problems.push(`${what}: "${(e.textContent || '').trim().slice(0, 80)}"`);
    const main = document.querySelector('[data-testid="stMain"]'), doc = document.documentElement;
    const over = (what, a, b) => { if (a > b) problems.push(`${what}: ${a} > ${b}`); };
    over('the slide scrolls', main.scrollHeight, main.clientHeight);
    over('the page scrolls', doc.scrollHeight, doc.clientHeight);
    over('the slide is too wide', main.scrollWidth, main.clientWidth);
    const shown = e => {
        const style = getComputedStyle(e);
        return style.display !== 'none' && style.visibility !== 'hidden' && e.getClientRects().length > 0;
    };
    const outside = r => r.left < -slack || r.top < -slack || r.right > W + slack || r.bottom > H + slack;
    for (const e of main.querySelectorAll('*')) {
        if (e instanceof SVGElement || !shown(e) || !(e.textContent || '').trim()) continue;
        if (e.closest('.js-plotly-plot, [data-testid="stTooltipHoverTarget"] [role="tooltip"]')) continue;
        // clipped: the text needs more room than its box has (an ellipsis is this and text-overflow on top)
        if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + slack) say('text cut', e);
        const ownText = [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (ownText && outside(e.getBoundingClientRect())) say('text outside the window', e);
    }
    for (const chart of main.querySelectorAll('[data-testid="stPlotlyChart"]')) {
        const box = chart.getBoundingClientRect();
        if (outside(box)) problems.push(`a chart outside the window: ${JSON.stringify(box)}`);
        for (const t of chart.querySelectorAll('.main-svg text')) {
            if (!t.textContent.trim() || !shown(t)) continue;
            const r = t.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.left < box.left - 2 || r.right > box.right + 2 || r.top < box.top - 2 || r.bottom > box.bottom + 2)
                say('chart text cut at the chart\\'s edge', t);
        }
    }
    for (const [label, selector] of Object.entries(controls)) {
        const control = document.querySelector(selector);
        if (!control || !shown(control)) { problems.push(`control missing: ${label}`); continue; }
        if (!control.innerText.includes(label)) problems.push(`control "${label}" reads "${control.innerText}"`);
        if (outside(control.getBoundingClientRect())) say('control outside the window', control);
        if (control.scrollWidth > control.clientWidth + slack) say('control cut', control);
        // on one line: every piece of its words' text starts on the first piece's line
        const walker = document.createTreeWalker(control, NodeFilter.SHOW_TEXT);
        const pieces = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (!n.textContent.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(n);
            pieces.push(...range.getClientRects());
        }
        if (pieces.some(r => Math.abs(r.top - pieces[0].top) > pieces[0].height / 2))
            say('control wrapped over lines', control);
    }
    return problems;
}"""

# Charts drawn at the height Streamlit measured for them (Plotly's svg as tall as its element), or no chart.
CHARTS_SIZED = """() => [...document.querySelectorAll('.st-key-slide_body [data-testid="stPlotlyChart"]')].every(c => {
    const svg = c.querySelector('.main-svg');
    return svg && Math.abs(svg.getBoundingClientRect().height - c.getBoundingClientRect().height) < 2;
})"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    with streamlit_server(tmp_path_factory.mktemp("presentation"), "streamlit-presentation") as running:
        warm(browser, running["base"])
        yield running


@pytest.fixture(scope="module", params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def window(request, browser):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab, f"{width}x{height}"
    context.close()


def settle(page) -> None:
    """The slide's run has ended and its chart (if any) is drawn at its final size and still."""
    idle(page)
    page.wait_for_function(CHARTS_SIZED, polling=100)
    wait_still(page, ".st-key-slide_body, .st-key-slide_body .main-svg")


def walk(page, size: str, show: str) -> list[str]:
    """Every slide from the first, checked and photographed; the slides' labels, in order."""
    number = page.locator(".slide-number")
    expect(number).to_have_text(re.compile(r"^1 / \d+ · "))
    count = int(number.inner_text().split("/")[1].split("·")[0])
    labels = []
    for index in range(1, count + 1):
        expect(number).to_have_text(re.compile(rf"^{index} / {count} · "))
        settle(page)
        labels.append(number.inner_text().split("·", 1)[1].strip())
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"trinh-chieu-{size}-{show}-{index}.png"), animations="disabled")
        problems = page.evaluate(PROBLEMS, CONTROLS)
        assert problems == [], f"{size}, {show}, slide {index} ({labels[-1]}): {problems}"
        page.locator(CONTROLS["Sau ▶"]).click()
    expect(number).to_have_text(re.compile(rf"^1 / {count} · "))  # after the last slide, the first again
    idle(page)
    return labels


def test_every_slide_of_the_organisation_fits(server, window):
    page, size = window
    open_page(page, f"{server['base']}/?nam=2019&trinh_chieu=1")
    labels = walk(page, size, "to-chuc")
    assert labels[0] == "Tổng quan"
    ranking = [label for label in labels if label.startswith("Xếp hạng đơn vị")]
    assert ranking == ["Xếp hạng đơn vị (1/2)", "Xếp hạng đơn vị (2/2)"]  # the sample's 20 units: 10 a slide


def test_every_slide_of_one_agency_fits(server, window):
    page, size = window
    open_page(page, f"{server['base']}/don-vi?nam=2019&don_vi={AGENCY}&trinh_chieu=1")
    expect(page.get_by_role("heading", name="UBND xã Ia Tul")).to_be_visible()
    labels = walk(page, size, "don-vi")
    assert labels[:3] == ["Tổng quan đơn vị", "Đúng hạn theo tháng", "Trực tuyến mức độ 3, 4"]
    assert "Tiêu chí chủ trì" in labels
    supports = [label for label in labels if label.startswith("Tiêu chí phối hợp")]
    assert len(supports) > 1 and supports[0] == f"Tiêu chí phối hợp (1/{len(supports)})"  # 24 criteria: split
    # leaving the show comes back to the agency's page, in this tab
    page.locator(CONTROLS["Thoát trình chiếu"]).click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    idle(page)
    assert "/don-vi?" in page.url and "trinh_chieu" not in page.url
    expect(page.locator(".slide-number")).to_have_count(0)


def test_full_screen_is_entered_and_left_from_the_slide(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        open_page(page, f"{server['base']}/?nam=2019&trinh_chieu=1")
        button = page.locator(CONTROLS["Toàn màn hình"])
        expect(button).to_have_text("Toàn màn hình")
        button.click()
        page.wait_for_function("() => document.fullscreenElement === document.documentElement")
        expect(button).to_have_text("Thoát toàn màn hình")
        page.locator(CONTROLS["Sau ▶"]).click()  # stepping on keeps the full screen (no reload)
        expect(page.locator(".slide-number")).to_have_text(re.compile(r"^2 / "))
        settle(page)
        assert page.evaluate("() => document.fullscreenElement !== null")
        button.click()
        page.wait_for_function("() => document.fullscreenElement === null")
        expect(button).to_have_text("Toàn màn hình")
    finally:
        context.close()


def test_the_agency_pages_button_presents_that_agency(server, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        open_page(page, f"{server['base']}/don-vi?nam=2019&don_vi=UBND%20x%C3%A3%20Ia%20Tul")
        with context.expect_page() as opened:  # st.link_button opens the show in a tab of its own
            page.get_by_role("link", name=re.compile("Trình chiếu")).click()
        show = opened.value
        idle(show)
        expect(show.locator(".slide-number")).to_have_text(re.compile(r"^1 / \d+ · Tổng quan đơn vị$"))
        expect(show.get_by_role("heading", name="UBND xã Ia Tul")).to_be_visible()
        assert "don_vi=" in show.url and "trinh_chieu=1" in show.url
    finally:
        context.close()
