"""End to end in a real browser: streamlit run + Debian's Chromium driven by Playwright.

Screenshots land in test-artifacts/ (or $CCHC_ARTIFACTS) for a person to look at.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from support import ROOT

from cchc.ingest import load_sample_data
from cchc.sample import build_template_workbook, sample_stats_table
from cchc.store.database import Store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(os.environ.get("CCHC_ARTIFACTS", ROOT / "test-artifacts"))

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (scripts/test.sh installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'e2e.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    store.dispose()
    port = free_port()
    env = {**os.environ, "CCHC_DATABASE_URL": url, "CCHC_USER": "e2e"}
    log = open(folder / "streamlit.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("streamlit did not become healthy: " + (folder / "streamlit.log").read_text())
    yield {"base": base, "folder": folder, "url": url}
    process.terminate()
    process.wait(timeout=20)
    log.close()
    text = (folder / "streamlit.log").read_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(folder / "streamlit.log", ARTIFACTS / "streamlit.log")
    assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    tab = context.new_page()
    yield tab
    context.close()


def settle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=90_000)
    page.wait_for_timeout(700)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=90_000)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": max(1000, int(height) + 40)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size({"width": 1600, "height": 1000})


def click_bar(page, chart, label: str) -> None:
    """Click a horizontal bar as a person would: at its base, on the row of its axis label.

    Plotly listens on its drag layer, not on the bar's own shape, so the click goes to that point on the page.
    """
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    plot_area = chart.locator(".nsewdrag").first.bounding_box()
    tick = chart.locator(".ytick text", has_text=label).first.bounding_box()
    page.mouse.click(plot_area["x"] + 25, tick["y"] + tick["height"] / 2)


def body_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


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
    page.goto(f"{server['base']}/{path}")
    settle(page)
    text = body_text(page)
    assert heading in text
    assert "Traceback" not in text and "Page not found" not in text
    if path in ("", "giai-quyet", "truc-tuyen", "tieu-chi", "gia-dinh"):
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        assert "Dữ liệu minh họa" in text or path == "gia-dinh"
    shot(page, f"trang-{path or 'tong-quan'}")


def test_upload_statistics_and_see_its_months(server, page, tmp_path):
    table = sample_stats_table()
    first_quarter = table[table["month"] <= 3].assign(year=2020)
    workbook = tmp_path / "thong_ke_quy_1_2020.xlsx"
    workbook.write_bytes(build_template_workbook(first_quarter))
    page.goto(f"{server['base']}/du-lieu")
    settle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
    settle(page)
    page.get_by_text("Xác nhận nhập dữ liệu").wait_for(timeout=60_000)
    assert "Thêm 60 đơn vị-tháng mới" in body_text(page)
    shot(page, "du-lieu-xem-truoc")
    page.get_by_text("Xác nhận nhập dữ liệu").click()
    settle(page)
    page.get_by_text("Đã nhập thong_ke_quy_1_2020.xlsx").wait_for(timeout=60_000)
    assert Store(server["url"]).stats_periods()[-1] == "2020-03"

    page.goto(f"{server['base']}/giai-quyet?nam=2020")
    settle(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    ticks = page.locator(".js-plotly-plot .xtick text").evaluate_all("els => els.map(e => e.textContent)")
    assert {"01/2020", "02/2020", "03/2020"} <= set(ticks), ticks
    assert "04/2020" not in ticks
    shot(page, "giai-quyet-2020")


def test_agency_opens_by_link(server, page):
    page.goto(f"{server['base']}/don-vi?don_vi={quote('UBND xã Ia Tul')}")
    settle(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    text = body_text(page)
    assert "Tiêu chí đơn vị chủ trì và phối hợp" in text and "UBND xã Ia Tul" in text
    assert "don_vi=" in page.url
    shot(page, "don-vi-ia-tul")


def test_filters_live_in_the_url(server, page):
    page.goto(f"{server['base']}/giai-quyet?nam=2019&thang=T04&thang=T06&cap={quote('Cấp xã')}")
    settle(page)
    text = body_text(page)
    assert "04/2019 – 06/2019, cấp xã" in text


def test_clicking_a_unit_bar_opens_its_page(server, page):
    page.goto(f"{server['base']}/giai-quyet?nam=2019&cap={quote('Cấp xã')}")
    settle(page)
    chart = page.locator(".js-plotly-plot").filter(has_text="Xếp hạng đơn vị").first
    chart.wait_for(timeout=30_000)
    click_bar(page, chart, "UBND xã Ia Tul")
    # st.switch_page moves within the app (history.pushState): no page load to wait for
    page.wait_for_function("() => location.pathname.endsWith('/don-vi')", timeout=60_000)
    settle(page)
    assert "don_vi=UBND+x%C3%A3+Ia+Tul" in page.url and "cap=" in page.url  # the filters came along
    assert "Tiêu chí đơn vị chủ trì và phối hợp" in body_text(page)
    shot(page, "don-vi-tu-bieu-do")


def test_clicking_a_domain_lists_its_criteria(server, page):
    page.goto(f"{server['base']}/?nam=2019")
    settle(page)
    chart = page.locator(".js-plotly-plot").filter(has_text="Điểm bị mất theo lĩnh vực").first
    chart.wait_for(timeout=30_000)
    click_bar(page, chart, "3. Cải cách thủ tục hành chính")
    settle(page)
    page.get_by_text("Lĩnh vực 3. Cải cách thủ tục hành chính").wait_for(timeout=30_000)


def test_presentation_mode(server, page):
    page.goto(f"{server['base']}/?nam=2019&trinh_chieu=1")
    settle(page)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert "1 / " in body_text(page)
    shot(page, "trinh-chieu-1")
    page.keyboard.press("ArrowRight")
    settle(page)
    page.get_by_text("2 / ").wait_for(timeout=30_000)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    shot(page, "trinh-chieu-2")
