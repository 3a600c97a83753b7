"""Every page fits a projector: at 1280 × 720 and 1024 × 768, the sidebar open, no text in the main area is cut.

For HTML text (card labels, values and status lines, buttons, headings, captions, paragraphs, tabs) an element is
cut when its text needs more room than its box gives it (scrollWidth > clientWidth + 1), which is also what an
ellipsis needs. st.dataframe draws on a canvas: its grid's own column list (the widths it drew, read from the
grid component's props) is checked against the widths of the header and of every cell's text, measured in the
grid's own fonts; a criterion's target, current value and status must moreover lie wholly in the table's visible
width, not behind its horizontal scroll bar.

One server on the sample data, one browser context per window size; every page of the sidebar is visited (so a
page added later is checked too), and the unit page with a unit. A screenshot of every page at both sizes goes to
test-artifacts/fit-<size>-<page>.png for a person to look at. No fixed waits.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect
from test_browser import ARTIFACTS, TIMEOUT_MS, idle, open_page, settled, streamlit_server, wait_still, warm

SIZES = [(1280, 720), (1024, 768)]
UNIT = "UBND xã Ia Tul"
EXPECTED_PAGES = {"Tổng quan", "Giải quyết hồ sơ", "Trực tuyến và BCCI", "Tiêu chí và điểm", "Giả định", "Đơn vị",
                  "Dữ liệu"}
# Free text read from files (a criterion's or a unit's name, a file name): as wide as a table can spare, the rest
# readable in the cell's overlay; every other column must show its content whole.
NAME_COLUMNS = {"Tiêu chí", "Đơn vị", "Tên", "Nội dung", "Căn cứ", "Tệp", "Nhiệm vụ", "Cơ quan", "Ghi chú",
                "Chủ trì", "Phối hợp", "Tên tiêu chí", "Việc cần làm", "Mô tả", "Lý do"}
# On a criterion's row (a table with a "Tiêu chí" column) these are what a meeting looks at: never behind the scroll bar.
IN_VIEW = ("Chỉ tiêu", "Hiện tại", "Tình trạng")

# Everything cut in the main area, as sentences naming the element and its text; [] when nothing is.
CUT = """([nameColumns, inView]) => {
    const problems = [], slack = 1;
    const main = document.querySelector('[data-testid="stMain"]');
    const text = e => (e.innerText || e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80);
    const say = (what, e) => problems.push(`${what} <${e.tagName.toLowerCase()} ${e.getAttribute('data-testid') || e.className || ''}>: "${text(e)}"`);
    const shown = e => {
        const style = getComputedStyle(e);
        return style.display !== 'none' && style.visibility !== 'hidden' && e.getClientRects().length > 0;
    };
    if (main.scrollWidth > main.clientWidth + slack) problems.push(`the page scrolls sideways: ${main.scrollWidth} > ${main.clientWidth}`);
    // the boxes that clip what they hold: the element itself and every ancestor up to the main area
    const clips = e => {
        const boxes = [];
        for (let a = e; a && a !== main.parentElement; a = a.parentElement) {
            const style = getComputedStyle(a);
            if (style.overflowX !== 'visible') boxes.push(a.getBoundingClientRect());
        }
        return boxes;
    };
    for (const e of main.querySelectorAll('*')) {
        if (e instanceof SVGElement || !shown(e)) continue;
        // charts are checked by their own tests; a grid's DOM is an offscreen accessibility copy of its canvas
        if (e.closest('.js-plotly-plot, [data-testid="stDataFrame"], [role="tooltip"]')) continue;
        const own = [...e.childNodes].filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        if (!own.length) continue;
        const style = getComputedStyle(e);
        if (style.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + slack) {
            say(style.textOverflow === 'ellipsis' ? 'text ellipsised' : 'text cut', e);
            continue;
        }
        const range = document.createRange();
        const rects = own.flatMap(n => { range.selectNodeContents(n); return [...range.getClientRects()]; });
        const boxes = clips(e.parentElement);
        if (rects.some(r => boxes.some(b => r.right > b.right + slack || r.left < b.left - slack))) say('text cut', e);
    }
    const canvas = document.createElement('canvas').getContext('2d');
    const measure = (font, s) => { canvas.font = font; return canvas.measureText(s).width; };
    document.querySelectorAll('[data-testid="stDataFrame"]').forEach((frame, index) => {
        if (!frame.checkVisibility()) return;  // in a closed expander
        const visible = frame.getBoundingClientRect().width;
        const drawn = frame.querySelector('canvas');
        if (!drawn) { problems.push(`table ${index + 1} was not drawn`); return; }
        // the grid component's props: the columns as drawn (widths after sizing), its visible width, its cells
        let fiber = drawn[Object.keys(drawn).find(k => k.startsWith('__reactFiber'))], grid = null;
        for (let depth = 0; fiber && depth < 20 && !grid; depth++, fiber = fiber.return) {
            const p = fiber.memoizedProps;
            if (p && Array.isArray(p.columns) && typeof p.width === 'number' && typeof p.getCellContent === 'function') grid = p;
        }
        if (!grid) { problems.push(`table ${index + 1}: its grid exposes no columns`); return; }
        const t = grid.theme, pad = 2 * t.cellHorizontalPadding;
        const cellFont = `${t.baseFontStyle} ${t.fontFamily}`, headerFont = `${t.headerFontStyle} ${t.fontFamily}`;
        const criteria = grid.columns.some(c => c.title === 'Tiêu chí');  // a table of criteria
        const titles = grid.columns.map(c => c.title).filter(Boolean).join(' | ').slice(0, 60);
        let x = 0;
        grid.columns.forEach((column, col) => {
            const left = x;
            x += column.width;
            if (!column.title) return;  // the row selection markers
            const where = `table ${index + 1} (${titles}), column "${column.title}" (${column.width} px)`;
            if (criteria && inView.includes(column.title) && left + column.width > visible + slack)
                problems.push(`${where} lies beyond the table's visible ${Math.round(visible)} px`);
            if (nameColumns.includes(column.title)) return;
            if (measure(headerFont, column.title) + pad > column.width + slack)
                problems.push(`${where}: its header is cut`);
            for (let row = 0; row < grid.rows; row++) {
                const cell = grid.getCellContent([col, row]);
                const shownText = String(cell.displayData ?? cell.data ?? '');
                if (!shownText || typeof cell.displayData === 'object') continue;
                const need = measure(cellFont, shownText) + pad;
                if (need > column.width + slack) {
                    problems.push(`${where}: "${shownText}" needs ${Math.ceil(need)} px`);
                    break;
                }
            }
        });
    });
    return problems;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    with streamlit_server(tmp_path_factory.mktemp("fit"), "streamlit-fit") as running:
        warm(browser, running["base"])
        yield running


@pytest.fixture(scope="module", params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def window(request, browser):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    yield context, width, height
    context.close()


def sidebar_pages(context, base: str) -> dict[str, str]:
    """Every page the sidebar offers: its title and its path."""
    tab = context.new_page()
    open_page(tab, f"{base}/")
    links = tab.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(links.filter(has_text="Dữ liệu")).to_be_visible()
    # a link's text is its icon's name, then its title; its address is the page's path
    pages = {a.inner_text().strip().splitlines()[-1].strip(): urlsplit(a.get_attribute("href")).path.strip("/")
             for a in links.all()}
    tab.close()
    return pages


def settle(page, width: int) -> None:
    """Stretch the window to the page's height (the width stays, so does the layout) so every table and chart is
    drawn, and wait for them to stop moving."""
    idle(page)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": int(height) + 40})
    wait_still(page, "[data-testid='stMain'] .element-container, .js-plotly-plot .main-svg")
    tables = page.get_by_test_id("stDataFrame")
    for index in range(tables.count()):
        if tables.nth(index).is_visible():  # a table in a closed expander is drawn when it opens
            expect(tables.nth(index).locator("canvas").first).to_be_attached()
    # a table that arrives after the loop above (a loaded machine draws the page in several frames) is drawn too
    # before the check reads it: the check itself still fails on a table that never draws
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
        .every(frame => !frame.checkVisibility() || frame.querySelector('canvas'))""", timeout=TIMEOUT_MS)


def test_no_text_is_cut_on_any_page(server, window):
    context, width, height = window
    pages = sidebar_pages(context, server["base"])
    assert EXPECTED_PAGES <= set(pages), pages
    visits = [(title, path) for title, path in pages.items()]
    visits.append((f"Đơn vị: {UNIT}", f"don-vi?don_vi={quote(UNIT)}"))
    problems = {}
    for title, path in visits:
        page = context.new_page()
        open_page(page, f"{server['base']}/{path}")
        expect(page.get_by_test_id("stSidebar")).to_be_visible()  # the sidebar is open, as it is by default
        if title.startswith("Đơn vị:"):
            expect(page.get_by_test_id("stMain")).to_contain_text(UNIT)
        settle(page, width)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        slug = (path.split("?")[0] or "tong-quan") + ("-don-vi-chon" if "?" in path else "")
        page.screenshot(path=str(ARTIFACTS / f"fit-{width}x{height}-{slug}.png"), animations="disabled")
        found = settled(page, CUT, [sorted(NAME_COLUMNS), list(IN_VIEW)])
        if found:
            problems[title] = found
        page.close()
    assert problems == {}, f"{width}×{height}: " + "\n".join(f"{t}: {p}" for t, p in problems.items())


def test_the_overview_headline_and_toolbar_are_whole_at_1280(server, browser):
    """The overview's headline card and first chart, and the toolbar's words, at 1280 × 720 before any scrolling."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    open_page(page, f"{server['base']}/")
    headline = page.get_by_test_id("stMetric").filter(has_text="Dự kiến khôi phục")
    value = headline.get_by_test_id("stMetricValue")
    expect(value).to_have_text("8 / 19,25 điểm")
    assert value.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.firstElementChild.scrollWidth <= "
                          "e.firstElementChild.clientWidth + 1"), "the headline is cut"
    box = value.bounding_box()
    assert box["y"] + box["height"] <= 720, f"the headline is below the fold: {box}"
    for words in ("Trình chiếu", "Xuất báo cáo", "Sao chép liên kết"):
        button = page.get_by_test_id("stMain").get_by_role("button", name=words).or_(
            page.get_by_test_id("stMain").get_by_role("link", name=words)).first
        expect(button).to_contain_text(words)
        assert button.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), f"{words} is cut"
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["y"] < 720, "no chart in the first screen"
    context.close()
