"""Hostile names in a real browser: every page on a store whose organisation, levels, units, agencies, domains,
criteria, file names and user are markdown links and images, raw <img>/<a> HTML, ":red[…]", icons and "$…$".

The images point at an HTTP server this test runs and counts; links point at https://evil.example. On every page
(and ?don_vi=…, ?cap=…, ?trinh_chieu=1 with every slide, a domain clicked, an upload with a hostile file name, the
unit bars hovered) the test asserts that no <a> element (HTML or SVG) leads to a hostile target, that no request
reached the image server (Playwright's request log and the server's own count), that nothing of the names became
an image, math or an icon, and that the hostile text shows literally somewhere: shown, not dropped.

Like tests/browser/test_browser.py: Debian's chromium through Playwright, no fixed waits (the app root's
data-test-script-state, and the elements an action must bring).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from support import EVIL, Hostile
from test_browser import ARTIFACTS, TIMEOUT_MS, streamlit_server

from cchc.registry import DATA_DIR_ENV

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
WORD_JOINER = "\u2060"  # ui.safe.md writes it after ":" and "@": invisible, removed before comparing
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
                    "000154a24f5d0000000049454e44ae426082")

# What the page's DOM says about hostile targets: every <a> (HTML and SVG) and what it leads to, every image,
# KaTeX output, icons that only a name could have asked for ("home"), the text a reader sees (body and SVG text).
INSPECT = """([evil, image]) => {
    const hrefOf = a => a.getAttribute('href') || a.getAttribute('xlink:href') || '';
    const links = [...document.querySelectorAll('a')].map(hrefOf)
        .filter(h => h.startsWith(evil) || h.includes(image.replace('http://', '')));
    const images = [...document.querySelectorAll('img, image, source, video, audio, iframe, object, embed')]
        .map(e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('data') || '')
        .filter(s => s.includes(image.replace('http://', '')));
    const styled = [...document.querySelectorAll('[style]')].map(e => e.getAttribute('style'))
        .filter(s => s.includes(image.replace('http://', '')));
    const katex = document.querySelectorAll('.katex').length;
    const homeIcons = [...document.querySelectorAll('[role=img], [data-testid=stIconMaterial]')]
        .filter(e => e.textContent.trim() === 'home').length;
    const text = [document.body.innerText,
                  ...[...document.querySelectorAll('svg text')].map(t => t.textContent)].join('\\n');
    return {links, images, styled, katex, homeIcons, text};
}"""


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server interface
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def image_server():
    """A local HTTP server every hostile image points at; its `hits` must stay empty."""
    handler = type("ImageCounter", (_Counter,), {"hits": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"base": f"http://127.0.0.1:{server.server_address[1]}", "hits": handler.hits}
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def hostile(image_server):
    return Hostile(image_server["base"])


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser, hostile):
    folder = tmp_path_factory.mktemp("hostile-browser")
    data_dir = hostile.write_data_dir(folder / "data")
    with streamlit_server(folder, "streamlit-hostile", {DATA_DIR_ENV: str(data_dir), "CCHC_USER": hostile.user},
                          prepare=lambda store: hostile.load(store.url, data_dir), sample=False) as running:
        yield running["base"]


@pytest.fixture(scope="module")
def session(browser, server, image_server):
    """One browser context whose every request is logged; the first visit registers the pages (see
    tests/browser/test_browser.py `warm`)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    tab = context.new_page()
    tab.goto(f"{server}/")
    tab.get_by_test_id("stSidebarNav").get_by_role("link", name="Dữ liệu").wait_for()
    tab.close()
    yield {"context": context, "requests": requests, "base": server}
    context.close()


@pytest.fixture
def page(session):
    tab = session["context"].new_page()
    yield tab
    tab.close()


def idle(page) -> None:
    page.wait_for_selector(IDLE)


def open_page(page, url: str) -> None:
    page.goto(url)
    idle(page)
    expect(page.get_by_test_id("stMain")).to_be_visible()


def charts_drawn(page, count_at_least: int = 1) -> None:
    """Wait until Plotly has drawn the page's charts (their axes' tick labels are in the SVG)."""
    page.wait_for_function("n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
                           arg=count_at_least)
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every("
                           "p => p.querySelector('.main-svg'))")


def check(page, session, image_server, hostile: Hostile, shown: list[str], name: str) -> None:
    """Nothing hostile became live on this page, and every text of `shown` is there literally."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hostile-{name}.png"), full_page=True, animations="disabled")
    found = page.evaluate(INSPECT, [EVIL, hostile.image])
    assert found["links"] == [], found["links"]
    assert found["images"] == [] and found["styled"] == [], (found["images"], found["styled"])
    assert found["katex"] == 0 and found["homeIcons"] == 0, found
    host = hostile.image.removeprefix("http://")
    assert [u for u in session["requests"] if host in u] == []
    assert image_server["hits"] == []
    assert page.get_by_test_id("stException").count() == 0
    text = found["text"].replace(WORD_JOINER, "")
    missing = [s for s in shown if s not in text]
    assert missing == [], (missing, text[:3000])


PAGES = [  # path, what must show literally besides the organisation's name (the sidebar's heading)
    ("", lambda h: [h.plan_title, *(f"{code}. {name}" for code, name in zip(("1", "3"), h.domains))]),
    ("giai-quyet", lambda h: list(h.units)),
    ("truc-tuyen", lambda h: []),
    ("tieu-chi", lambda h: [f"3. {h.domains[1]}"]),
    ("gia-dinh", lambda h: [f"1.1 · {h.criteria[0]}"]),
    ("don-vi", lambda h: []),
    ("du-lieu", lambda h: [h.user]),
    ("giai-quyet?cap=", lambda h: [h.levels["xã"].lower(), *h.communes]),  # the level's label, as the URL has it
]


@pytest.mark.parametrize("path, shown", PAGES, ids=[p or "tong-quan" for p, _ in PAGES])
def test_every_page_shows_hostile_names_as_text(session, page, image_server, hostile, path, shown):
    query = quote(hostile.levels["xã"]) if path.endswith("cap=") else ""
    open_page(page, f"{session['base']}/{path}{query}")
    if path.split("?")[0] in ("", "giai-quyet", "truc-tuyen", "tieu-chi", "gia-dinh"):
        charts_drawn(page)
    check(page, session, image_server, hostile, [hostile.organisation, *shown(hostile)],
          (path or "tong-quan").split("?")[0] + ("-cap" if "cap=" in path else ""))


@pytest.mark.parametrize("which", ["commune", "agency", "unknown"])
def test_a_unit_named_in_the_link(session, page, image_server, hostile, which):
    unit = {"commune": hostile.communes[1], "agency": hostile.agencies[0],
            "unknown": f'[Bấm]({EVIL}/url) <img src="{hostile.image}/url.png"> ![u]({hostile.image}/url2.png)'}[which]
    open_page(page, f"{session['base']}/don-vi?don_vi={quote(unit)}")
    if which != "unknown":
        charts_drawn(page, 3)
        hover_bars(page, "so với")
    check(page, session, image_server, hostile, [hostile.organisation, unit], f"don-vi-{which}")


def hover_bars(page, title: str) -> None:
    """Bring up the hover label of every bar of the chart titled `title` (it quotes the names)."""
    chart = page.locator(".js-plotly-plot").filter(has_text=title).first
    chart.scroll_into_view_if_needed()
    layer = chart.locator(".nsewdrag").first.bounding_box()  # the plot area: a bar may start outside its range
    hovered = 0
    for bar in chart.locator(".bars .point path").all():
        box = bar.bounding_box()
        left, right = max(box["x"], layer["x"]), min(box["x"] + box["width"], layer["x"] + layer["width"])
        top, bottom = max(box["y"], layer["y"]), min(box["y"] + box["height"], layer["y"] + layer["height"])
        if right - left < 2 or bottom - top < 2:
            continue
        page.mouse.move(1, 1)
        page.mouse.move((left + right) / 2, (top + bottom) / 2, steps=3)
        expect(chart.locator(".hoverlayer .hovertext").first).to_be_attached()
        hovered += 1
    assert hovered


def test_hovering_the_unit_ranking(session, page, image_server, hostile):
    open_page(page, f"{session['base']}/giai-quyet")
    charts_drawn(page, 3)
    hover_bars(page, "Xếp hạng đơn vị")
    check(page, session, image_server, hostile, list(hostile.units), "giai-quyet-hover")


def test_clicking_a_hostile_domain(session, page, image_server, hostile):
    open_page(page, f"{session['base']}/")
    chart = page.locator(".js-plotly-plot").filter(has_text="Điểm bị mất theo lĩnh vực").first
    expect(chart.locator(".ytick text", has_text="CẢI CÁCH [TTHC]")).to_be_attached()
    chart.scroll_into_view_if_needed()
    layer = chart.locator(".nsewdrag").first
    tick = chart.locator(".ytick text", has_text="CẢI CÁCH [TTHC]").first
    area, row = layer.bounding_box(), tick.bounding_box()
    layer.click(position={"x": 25, "y": row["y"] + row["height"] / 2 - area["y"]})
    expect(page.get_by_text("Lĩnh vực 3. CẢI CÁCH [TTHC]")).to_be_visible()
    idle(page)
    check(page, session, image_server, hostile, [f"Lĩnh vực 3. {hostile.domains[1]}"], "tong-quan-linh-vuc")


def test_uploading_a_file_with_a_hostile_name(session, page, image_server, hostile):
    # no '"' in it: the browser sends a file name's quotes as %22
    name = (f"tải lên [tệp]({EVIL}/upload) <img src={hostile.image}/upload.png> ![i]({hostile.image}/i.png) "
            ":red[x] $u$.xlsx")
    open_page(page, f"{session['base']}/du-lieu")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files=[{
        "name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": hostile.stats_bytes()}])
    expect(page.get_by_text("loại tệp:")).to_be_visible()
    idle(page)
    check(page, session, image_server, hostile, [name, hostile.user], "du-lieu-tai-len")


def test_presentation_mode_every_slide(session, page, image_server, hostile):
    open_page(page, f"{session['base']}/?trinh_chieu=1")
    number = page.locator(".slide-number")
    expect(number).to_contain_text("1 / ")
    count = int(number.inner_text().split("/")[1].split("·")[0])
    check(page, session, image_server, hostile, [f"{hostile.organisation}: Chỉ số cải cách hành chính"],
          "trinh-chieu-1")
    seen = ""
    for index in range(2, count + 1):
        page.keyboard.press("ArrowRight")
        expect(number).to_contain_text(f"{index} / ")
        idle(page)
        charts_drawn(page)
        found = page.evaluate(INSPECT, [EVIL, hostile.image])
        assert found["links"] == [] and found["images"] == [], found
        seen += found["text"]
    assert all(unit in seen for unit in hostile.units), seen[-2000:]  # the ranking slide names them all
    check(page, session, image_server, hostile, [], "trinh-chieu-cuoi")
