"""End to end in a real browser: streamlit run + Debian's Chromium driven by Playwright.

Debian's chromium (/usr/bin/chromium) is required, in CI and on a developer's machine alike: scripts/test.sh
installs it, and without it every test here fails with that reason instead of being skipped.

No test waits a fixed time. After page.goto the tests wait for Streamlit's first script run to end (the app root
goes from data-test-script-state "initial" to "running" to "notRunning"); after a click, an upload or a key press
they wait for what that action must bring (a button, a message, a new URL), then for the run to end.

The tests that only read share one server on the sample data. A test that writes gets its own server on its own
SQLite file (`own_server`), so no test sees another's changes and any order gives the same results.
Screenshots land in test-artifacts/ (or $CCHC_ARTIFACTS) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright
from support import ROOT, SheetSpec, book

from benchmarks import serving
from cchc.ingest import load_sample_data
from cchc.sample import build_template_workbook, sample_stats_table
from cchc.store.database import Store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(os.environ.get("CCHC_ARTIFACTS", ROOT / "test-artifacts"))
TIMEOUT_MS = 60_000  # an upper bound for any one wait (2 loaded CI cores), never a time that is waited out
SERVER_START_S = 90
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(folder: Path, name: str, env_extra: dict | None = None, prepare=None, sample: bool = True):
    """`streamlit run serve.py` (app.py behind cchc's own doors, as scripts/run.sh starts it) on a SQLite file of
    its own in `folder`, the sample data loaded (unless `sample` is false); `prepare(store)` adds accounts or the
    like before the start.

    Ready when Streamlit prints its URL (it does so once its server listens), then checked through /_stcore/health.
    On exit the log goes to ARTIFACTS/<name>.log and must hold no traceback.
    """
    url = f"sqlite:///{folder / f'{name}.sqlite'}"
    store = Store(url)
    if sample:
        load_sample_data(store)
    if prepare is not None:
        prepare(store)
    store.dispose()
    log_path = folder / f"{name}.log"
    env = {"CCHC_DATABASE_URL": url, "CCHC_USER": "e2e", **(env_extra or {})}
    try:  # the benchmarks' launcher: the same process, log and health check, one copy of them
        with serving.streamlit_server(ROOT / "serve.py", free_port(), log_path, env=env, cwd=ROOT,
                                      start_timeout_s=SERVER_START_S) as running:
            yield {"base": running.base, "url": url}
    except SystemExit as refused:  # the launcher's way of saying the server did not start
        pytest.fail(str(refused))
    text = log_path.read_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(log_path, ARTIFACTS / f"{name}.log")
    assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM}: the browser tests need it, in CI and "
                    "locally (scripts/test.sh installs it: apt-get install chromium)", pytrace=False)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def warm(browser, base: str) -> None:
    """Open the main page once, as the first visitor of a new server, until its page list has arrived.

    Streamlit shows a spurious "Page not found" dialog to the first session of a server started with st.navigation
    when that session opens another page than the default one (streamlit/streamlit#9992), over the right page. The
    first st.navigation call registers the pages for the whole server; after it every URL opens without the dialog,
    whatever test comes first. The sidebar's page links are drawn by that call, so they are what is waited for.
    """
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.goto(f"{base}/")
    tab.get_by_test_id("stSidebarNav").get_by_role("link", name="Dữ liệu").wait_for()
    context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    """One server on the sample data for the tests that only read: none of them may change its store."""
    with streamlit_server(tmp_path_factory.mktemp("browser"), "streamlit") as running:
        warm(browser, running["base"])
        yield running


@pytest.fixture
def own_server(tmp_path, request, browser):
    """A server of the test's own, on a fresh copy of the sample data, for a test that writes."""
    with streamlit_server(tmp_path, f"streamlit-{request.node.name}") as running:
        warm(browser, running["base"])
        yield running


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module: its HTTP cache keeps Streamlit's scripts between tests.

    Each test still opens its own tab, so its own Streamlit session; the app keeps no state in cookies or browser
    storage.
    """
    shared = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    shared.set_default_timeout(TIMEOUT_MS)
    yield shared
    shared.close()


@pytest.fixture
def page(context):
    tab = context.new_page()
    yield tab
    tab.close()


def idle(page) -> None:
    """Wait until no script run is going on (and at least one has ended since the page loaded)."""
    page.wait_for_selector(IDLE)


def open_page(page, url: str) -> None:
    """Load `url` and wait for the app's first script run to end (the root leaves its "initial" state)."""
    page.goto(url)
    idle(page)


def main(page):
    return page.get_by_test_id("stMain")


def body_text(page) -> str:
    return main(page).inner_text()


# True once the boxes of every element matching the selector are the same as at the previous poll.
STILL = """selector => {
    const boxes = [...document.querySelectorAll(selector)].map(e => {
        const r = e.getBoundingClientRect();
        return [r.x, r.y, r.width, r.height].join(",");
    }).join(";");
    const still = boxes !== "" && window.__cchcBoxes === boxes;
    window.__cchcBoxes = boxes;
    return still;
}"""


def wait_still(page, selector: str) -> None:
    """Wait until the layout of `selector` stops moving (two polls 100 ms apart see the same boxes)."""
    page.evaluate("() => { window.__cchcBoxes = undefined; }")
    page.wait_for_function(STILL, arg=selector, polling=100)


def settled(page, script: str, arg=None, polls: int = 3, every_ms: int = 150):
    """What `script` returns once the page has stopped changing it: the same JSON-equal result `polls` times in a
    row, `every_ms` apart (a loaded machine draws a page in several frames, and a table measured mid-draw is not
    what anyone sees). Fails after TIMEOUT_MS if it never settles."""
    last, same, waited = object(), 0, 0
    while True:
        now = page.evaluate(script, arg)
        same = same + 1 if now == last else 1
        if same >= polls:
            return now
        if waited > TIMEOUT_MS:
            raise AssertionError(f"{script[:60]}... never settled; last {now!r}")
        last = now
        page.wait_for_timeout(every_ms)
        waited += every_ms


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": max(1000, int(height) + 40)})
    wait_still(page, "[data-testid='stMain'], .js-plotly-plot")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), animations="disabled")
    page.set_viewport_size({"width": 1600, "height": 1000})


def chart_titled(page, title: str):
    chart = page.locator(".js-plotly-plot").filter(has_text=title).first
    expect(chart).to_be_visible()
    return chart


def click_bar(page, chart, label: str) -> None:
    """Click a horizontal bar as a person would: at its base, on the row of its axis label.

    Plotly listens on its drag layer, not on the bar's own shape, so the click goes to that point of the layer, once
    the chart has stopped moving (Streamlit sizes it after Plotly's first draw).
    """
    chart.scroll_into_view_if_needed()
    wait_still(page, ".js-plotly-plot .nsewdrag, .js-plotly-plot .ytick text")
    layer = chart.locator(".nsewdrag").first
    tick = chart.locator(".ytick text", has_text=label).first
    area, row = layer.bounding_box(), tick.bounding_box()
    layer.click(position={"x": 25, "y": row["y"] + row["height"] / 2 - area["y"]})


@pytest.mark.parametrize("path, heading", [
    ("", "Tổng quan Chỉ số cải cách hành chính"),
    ("giai-quyet", "Giải quyết hồ sơ thủ tục hành chính"),
    ("truc-tuyen", "Dịch vụ công trực tuyến và bưu chính công ích (BCCI)"),
    ("tieu-chi", "Tiêu chí và điểm dự kiến"),
    ("gia-dinh", "Giả định: làm gì để được nhiều điểm nhất?"),
    ("don-vi", "Đơn vị"),
    ("du-lieu", "Dữ liệu"),
])
def test_every_page_opens(server, page, path, heading):
    open_page(page, f"{server['base']}/{path}")
    expect(main(page)).to_contain_text(heading)
    text = body_text(page)
    assert "Traceback" not in text
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_text("Page not found").count() == 0  # in the page or in Streamlit's dialog over it
    if path in ("", "giai-quyet", "truc-tuyen", "tieu-chi", "gia-dinh"):
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        assert "Dữ liệu minh họa" in text or path == "gia-dinh"
    shot(page, f"trang-{path or 'tong-quan'}")


def test_upload_statistics_and_see_its_months(own_server, page, tmp_path):
    table = sample_stats_table()
    first_quarter = table[table["month"] <= 3].assign(year=2020)
    workbook = tmp_path / "thong_ke_quy_1_2020.xlsx"
    workbook.write_bytes(build_template_workbook(first_quarter))
    open_page(page, f"{own_server['base']}/du-lieu")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
    confirm = page.get_by_role("button", name="Xác nhận nhập dữ liệu")
    expect(confirm).to_be_visible()
    idle(page)
    assert "Thêm 60 đơn vị-tháng mới" in body_text(page)
    shot(page, "du-lieu-xem-truoc")
    confirm.click()
    expect(page.get_by_text("Đã nhập thong_ke_quy_1_2020.xlsx")).to_be_visible()
    idle(page)
    stored = Store(own_server["url"])
    assert stored.stats_periods()[-1] == "2020-03"
    stored.dispose()

    open_page(page, f"{own_server['base']}/giai-quyet?nam=2020")
    ticks = page.locator(".js-plotly-plot .xtick text")
    expect(ticks.filter(has_text="03/2020").first).to_be_attached()  # the monthly chart has drawn its axis
    months = ticks.evaluate_all("els => els.map(e => e.textContent)")
    assert {"01/2020", "02/2020", "03/2020"} <= set(months), months
    assert "04/2020" not in months
    shot(page, "giai-quyet-2020")


def test_the_user_maps_a_column_in_the_browser_and_saves_it(own_server, page, tmp_path):
    header = ["Đơn vị", "Số đầu kỳ", "Tiếp nhận trong kỳ", "Đã giải quyết", "Đúng hạn", "Quá hạn"]
    workbook = tmp_path / "cong_dvc_t01.xlsx"
    workbook.write_bytes(book(SheetSpec("T01-2020", [header, ["Phòng Tư pháp", 5, 25, 20, 18, 2]])))
    open_page(page, f"{own_server['base']}/du-lieu")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
    expect(page.get_by_text("Cách đọc các cột (cần chọn)")).to_be_visible()
    idle(page)
    assert "Tệp bị từ chối" in body_text(page)
    editor = page.get_by_test_id("stExpander").get_by_test_id("stDataFrame").first
    editor.scroll_into_view_if_needed()
    wait_still(page, "[data-testid='stExpander'] [data-testid='stDataFrame']")
    box = editor.bounding_box()
    # the "Đọc là" cell of row B ("Số đầu kỳ"): the grid draws rows 35 px high under a 35 px header
    page.mouse.dblclick(box["x"] + box["width"] * 0.8, box["y"] + 35 * 2 + 17)
    expect(page.get_by_role("option", name="Tên đơn vị")).to_be_visible()  # the select editor's list of fields
    page.keyboard.type("Từ kỳ trước")
    page.keyboard.press("Enter")
    expect(page.get_by_role("option", name="Tên đơn vị")).to_be_hidden()  # the choice is made: the list closes
    # an edit reruns the script: wait for that run to start and end, so the button is pressed on the new value
    try:
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='running']", timeout=5000)
    except PlaywrightTimeout:
        pass  # the run was over before it could be seen
    idle(page)
    page.get_by_role("button", name="Xem trước với cách đọc này").click()
    confirm = page.get_by_role("button", name="Xác nhận nhập dữ liệu")
    expect(confirm).to_be_visible()
    idle(page)
    assert "Tệp bị từ chối" not in body_text(page)
    page.get_by_label("Tên cách đọc (để dùng lại)").fill("Cổng DVC tỉnh")
    page.get_by_label("Tên cách đọc (để dùng lại)").press("Enter")
    idle(page)
    page.get_by_role("button", name="Lưu cách đọc").click()
    expect(page.get_by_text("Đã lưu cách đọc cột “Cổng DVC tỉnh”")).to_be_visible()
    stored = Store(own_server["url"])
    mapping = stored.saved_mappings()
    stored.dispose()
    assert [(m["name"], m["columns"]["Số đầu kỳ"]) for m in mapping] == [("Cổng DVC tỉnh", "received_carried")]
    shot(page, "du-lieu-cach-doc-cot")


def test_agency_opens_by_link(server, page):
    open_page(page, f"{server['base']}/don-vi?don_vi={quote('UBND xã Ia Tul')}")
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(main(page)).to_contain_text("Tiêu chí đơn vị chủ trì và phối hợp")
    assert "UBND xã Ia Tul" in body_text(page)
    assert "don_vi=" in page.url
    shot(page, "don-vi-ia-tul")


def test_filters_live_in_the_url(server, page):
    open_page(page, f"{server['base']}/giai-quyet?nam=2019&thang=T04&thang=T06&cap={quote('Cấp xã')}")
    expect(main(page)).to_contain_text("04/2019 – 06/2019, cấp xã")


def test_clicking_a_unit_bar_opens_its_page(server, page):
    open_page(page, f"{server['base']}/giai-quyet?nam=2019&cap={quote('Cấp xã')}")
    click_bar(page, chart_titled(page, "Xếp hạng đơn vị"), "UBND xã Ia Tul")
    # st.switch_page moves within the app (history.pushState): no page load, the URL changes
    expect(page).to_have_url(re.compile(r"/don-vi\?"))
    expect(main(page)).to_contain_text("Tiêu chí đơn vị chủ trì và phối hợp")
    idle(page)
    assert "don_vi=UBND+x%C3%A3+Ia+Tul" in page.url and "cap=" in page.url  # the filters came along
    shot(page, "don-vi-tu-bieu-do")


def test_clicking_a_domain_lists_its_criteria(server, page):
    open_page(page, f"{server['base']}/?nam=2019")
    click_bar(page, chart_titled(page, "Điểm bị mất theo lĩnh vực"), "3. Cải cách thủ tục hành chính")
    expect(page.get_by_text("Lĩnh vực 3. Cải cách thủ tục hành chính")).to_be_visible()
    idle(page)


def test_presentation_mode(server, page):
    open_page(page, f"{server['base']}/?nam=2019&trinh_chieu=1")
    number = page.locator(".slide-number")
    expect(number).to_have_text(re.compile(r"^1 / "))
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()  # waits: the sidebar goes once the slide is drawn
    shot(page, "trinh-chieu-1")
    page.keyboard.press("ArrowRight")
    expect(number).to_have_text(re.compile(r"^2 / "))
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    idle(page)
    shot(page, "trinh-chieu-2")
