"""Nothing in English reaches a user, and nothing is fetched from off the machine (issue 14), in a real browser.

Every page is opened on the sample data; the file uploader (before and after a file is chosen), a picker whose
search finds nothing, the tables' and charts' toolbars (hovered, button by button) and the app's frame are read as
a person sees them: the page's text, and the tooltips, labels and placeholders Streamlit and Plotly write. None of
ui.vietnamese.ENGLISH may appear (whole words, case as written), and every request the browser makes goes to the
app's own server on 127.0.0.1. Screenshots land in test-artifacts/vi-*.png.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pandas as pd
import pytest
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest
from support import ROOT
from test_browser import TIMEOUT_MS, idle, open_page, shot, streamlit_server, wait_still, warm

from ui.vietnamese import ENGLISH

PAGES = ["", "giai-quyet", "truc-tuyen", "tieu-chi", "gia-dinh", "don-vi", f"don-vi?don_vi={quote('UBND xã Ia Tul')}",
         "du-lieu", "?trinh_chieu=1"]
ENGLISH_WORDS = re.compile("|".join(rf"(?<![\w<]){re.escape(w)}(?![\w>])" for w in ENGLISH))
# what a person reads besides the text: tooltips (title, Plotly's data-title), labels, placeholders
READ_ATTRIBUTES = """() => [...document.querySelectorAll('[title], [data-title], [aria-label], [placeholder]')]
    .flatMap(e => ['title', 'data-title', 'aria-label', 'placeholder'].map(a => e.getAttribute(a)))
    .filter(Boolean)"""


SKELETONS = "[data-testid='stSkeleton'], [data-testid='stSkeletonElement'], [data-testid='stAppSkeleton']"


def open_whole(page, url: str) -> None:
    """Open `url` until the script run has ended and every element is drawn: Streamlit shows a grey skeleton while
    an element's code (chart, table, metric) is still loading, and the element's own words come with that code."""
    open_page(page, url)
    expect(page.locator(SKELETONS)).to_have_count(0)


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    with streamlit_server(tmp_path_factory.mktemp("vietnamese"), "streamlit-vietnamese") as running:
        warm(browser, running["base"])
        yield running


@pytest.fixture
def tab(browser, server):
    """A tab of its own context, with every request it makes recorded; when the test ends, each of them must have
    gone to the app's server."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    yield page
    context.close()
    local = urlsplit(server["base"]).netloc
    elsewhere = sorted({url for url in requests if urlsplit(url).netloc != local})
    assert requests and not elsewhere, elsewhere


def english_on(page) -> list[str]:
    """The English words a person can read on the page (its text, its attributes' texts), each with the words
    around it, to find where it came from."""
    texts = [page.locator("body").inner_text(), *page.evaluate(READ_ATTRIBUTES)]
    return sorted({text[max(0, m.start() - 30):m.end() + 30] for text in texts for m in ENGLISH_WORDS.finditer(text)})


def test_the_word_list_catches_english_and_leaves_vietnamese_alone():
    assert [m.group(0) for m in ENGLISH_WORDS.finditer("Drag and drop file here · None · 50MB per file")] == \
        ["Drag and drop", "None", "per file"]
    assert not ENGLISH_WORDS.search("Tải tệp lên · Không tìm thấy · 13,6 KB · Tối đa 50 MB mỗi tệp · upload_file")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_reads_vietnamese(server, tab, path):
    open_whole(tab, f"{server['base']}/{path}")
    expect(tab.get_by_test_id("stMain")).to_be_visible()
    charts = tab.locator(".js-plotly-plot:visible")
    if charts.count():
        charts.first.hover()  # the mode bar shows on hover: its tooltips are read too
        expect(charts.first.locator(".modebar")).to_be_attached()
    assert english_on(tab) == []
    assert tab.get_by_test_id("stMainMenu").count() == 0  # no app menu (Print, Record a screencast, …)
    icons = tab.locator("link[rel*='icon']").evaluate_all("links => links.map(l => l.href)")
    assert icons and all(urlsplit(href).netloc == urlsplit(server["base"]).netloc for href in icons), icons
    name = path.split("?")[0] or ("trinh-chieu" if "trinh_chieu" in path else "tong-quan")
    shot(tab, f"vi-{name}{'-don-vi' if 'don_vi=' in path else ''}")


def test_the_uploader_reads_vietnamese_before_and_after_a_file(server, tab):
    open_whole(tab, f"{server['base']}/du-lieu")
    uploader = tab.get_by_test_id("stFileUploader").first
    expect(uploader.get_by_role("button", name="Tải tệp lên")).to_be_visible()
    expect(uploader).to_contain_text("Tối đa 50 MB mỗi tệp")
    assert english_on(tab) == []
    workbook = ROOT / "data" / "mau_thong_ke.xlsx"
    tab.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
    name = tab.get_by_test_id("stFileChipName")
    expect(name).to_have_text("mau_thong_ke.xlsx")
    expect(tab.get_by_role("heading", name="Xem trước")).to_be_visible()  # the file is checked
    idle(tab)
    expect(tab.locator(SKELETONS)).to_have_count(0)
    # Streamlit counts 1 KB as 1000 bytes, one decimal: the same size, Vietnamese style
    kilobytes = f"{workbook.stat().st_size / 1000:.1f}".replace(".", ",")
    expect(uploader).to_contain_text(f"{kilobytes} KB")
    assert english_on(tab) == []
    shot(tab, "vi-du-lieu-tep")


def test_a_picker_that_finds_nothing_says_so_in_vietnamese(server, tab):
    open_whole(tab, f"{server['base']}/tieu-chi")
    for picker in (tab.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first,
                   tab.get_by_test_id("stMain").get_by_test_id("stMultiSelect").first):
        picker.click()
        tab.keyboard.type("zzz không có")
        listbox = tab.get_by_role("listbox")
        expect(listbox).to_contain_text("Không tìm thấy")
        assert english_on(tab) == []
        shot(tab, "vi-chon-khong-thay")
        tab.get_by_test_id("stMain").locator("h1").first.click()  # away from the picker: its list closes
        expect(listbox).to_be_hidden()


def test_toolbar_tooltips_read_vietnamese(server, tab):
    open_whole(tab, f"{server['base']}/giai-quyet")
    table = tab.get_by_test_id("stDataFrame").first
    table.scroll_into_view_if_needed()
    table.hover()
    buttons = table.get_by_test_id("stElementToolbar").locator("button")
    expect(buttons.first).to_be_visible()
    tips = []
    for i in range(buttons.count()):
        button = buttons.nth(i)
        if not button.is_visible():
            continue  # the CSV download: "Tải Excel" under the table replaces it
        button.hover()
        tip = tab.get_by_test_id("stTooltipContent")
        expect(tip).to_be_visible()
        tips.append(tip.inner_text())
        assert english_on(tab) == []
    assert tips == ["Ẩn/hiện cột", "Tìm kiếm", "Toàn màn hình"]
    shot(tab, "vi-thanh-cong-cu-bang")

    chart = tab.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    modebar = chart.locator(".modebar-btn")
    expect(modebar.first).to_be_visible()
    wait_still(tab, ".js-plotly-plot .modebar")
    titles = modebar.evaluate_all("buttons => buttons.map(b => b.getAttribute('data-title'))")
    assert titles == ["Tải ảnh PNG", "Phóng to vùng chọn", "Kéo", "Phóng to", "Thu nhỏ", "Về như ban đầu",
                      "Toàn màn hình"]
    modebar.first.hover()  # Plotly draws the tooltip from data-title, read above
    shot(tab, "vi-thanh-cong-cu-bieu-do")


def _tables_app():
    import pandas as pd

    from ui import common

    common.dataframe(pd.DataFrame({"Đơn vị": ["UBND xã Ia Tul", None], "Tỷ lệ": [0.95, None]}))
    common.dataframe(pd.DataFrame({"Đơn vị": [], "Tỷ lệ": []}))


def test_tables_show_a_dash_for_missing_values_and_say_when_they_are_empty():
    """The grid draws on a canvas, out of the page's text: what ui.common.dataframe asks Streamlit for is read from
    the element Streamlit sends (its text for missing values), and an empty table is a sentence, not "empty"."""
    at = AppTest.from_function(_tables_app)
    at.run()
    assert not at.exception
    assert [d.proto.placeholder for d in at.dataframe] == ["–"]
    assert at.dataframe[0].value["Đơn vị"].tolist()[0] == "UBND xã Ia Tul"
    assert pd.isna(at.dataframe[0].value["Tỷ lệ"].tolist()[1])  # the value stays missing: only its display is "–"
    assert [c.value for c in at.caption] == ["Bảng trống: không có dòng nào."]
