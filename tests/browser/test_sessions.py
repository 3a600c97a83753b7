"""A login in a real browser: it survives a reload and a second tab for a working day, no page script can read it,
"Đăng xuất" and disabling the account end it at the next click, and a download's address is worthless without it.
"""

from __future__ import annotations

import http.client
import urllib.parse

import pytest
from playwright.sync_api import expect
from test_browser import TIMEOUT_MS, idle, streamlit_server, warm

from cchc.store import accounts as auth
from cchc.store.database import Store

PASSWORD = "mat-khau-dai-1"


def add_accounts(store):
    store.save_user("capnhat", role="editor", display_name="Chuyên viên Nội vụ",
                    password_hash=auth.hash_password(PASSWORD))


@pytest.fixture
def locked_server(tmp_path, browser):
    with streamlit_server(tmp_path, "sessions", {"CCHC_LOGIN_REQUIRED": "1"}, prepare=add_accounts) as running:
        warm(browser, running["base"])
        yield running


def signed_in(tab):
    return tab.get_by_test_id("stSidebar").get_by_text("Đăng nhập: Chuyên viên Nội vụ")


def log_in(tab, base: str) -> None:
    tab.goto(f"{base}/du-lieu")
    idle(tab)
    expect(tab.get_by_text("Cần đăng nhập để xem bảng điều hành.")).to_be_visible()
    tab.get_by_test_id("stMain").get_by_role("link", name="Đăng nhập").click()
    tab.wait_for_url("**/dang-nhap?**")
    tab.get_by_label("Tên đăng nhập").fill("capnhat")
    tab.get_by_label("Mật khẩu").fill(PASSWORD)
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.wait_for_url(f"{base}/du-lieu")
    idle(tab)
    expect(signed_in(tab)).to_be_visible()


def fetch_without_cookie(url: str) -> int:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=60)
    conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    status = conn.getresponse().status
    conn.close()
    return status


def test_a_login_lasts_across_reloads_and_tabs_and_ends_at_logout(locked_server, browser):
    base = locked_server["base"]
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    log_in(tab, base)
    cookie = next(c for c in context.cookies() if c["name"] == "cchc_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert "cchc_session" not in tab.evaluate("() => document.cookie")  # no page script can read it
    tab.reload()  # F5
    idle(tab)
    expect(signed_in(tab)).to_be_visible()
    second = context.new_page()  # a second tab, a shared link
    second.goto(f"{base}/don-vi?nam=2019")
    idle(second)
    expect(signed_in(second)).to_be_visible()
    second.get_by_test_id("stSidebar").get_by_role("link", name="Đăng xuất").click()
    second.wait_for_url(f"{base}/")
    idle(second)
    expect(second.get_by_text("Cần đăng nhập để xem bảng điều hành.")).to_be_visible()
    tab.reload()  # the other tab is logged out too: the session ended on the server
    idle(tab)
    expect(tab.get_by_text("Cần đăng nhập để xem bảng điều hành.")).to_be_visible()
    context.close()


def test_disabling_the_account_logs_it_out_at_its_next_click(locked_server, browser):
    base = locked_server["base"]
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    log_in(tab, base)
    store = Store(locked_server["url"])
    store.save_user("capnhat", disabled=True)  # `cchc user disable capnhat`, while the page stays open
    store.dispose()
    tab.get_by_test_id("stSidebarNav").get_by_role("link", name="Tổng quan").click()  # the next click
    expect(tab.get_by_text("Cần đăng nhập để xem bảng điều hành.")).to_be_visible()
    expect(signed_in(tab)).to_have_count(0)
    context.close()


def test_a_download_address_is_refused_without_the_session(locked_server, browser):
    base = locked_server["base"]
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    log_in(tab, base)
    tab.goto(f"{base}/tieu-chi")
    idle(tab)
    with tab.expect_download() as download:
        tab.get_by_test_id("stMain").get_by_role("button", name="Tải Excel").first.click()
    url = download.value.url
    assert "/media/" in url and download.value.path().stat().st_size > 1000  # the logged-in user gets the file
    assert fetch_without_cookie(url) == 403  # the same address, from a client with no session
    context.close()
