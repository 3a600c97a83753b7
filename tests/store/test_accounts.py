"""Accounts, rights and logins: salted scrypt, the CLI, controls hidden without rights, and the
header and OIDC login modes through the app."""

import os
import subprocess
import sys

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from support import ROOT, BrowserRequest, reads_as

from cchc.ingest import load_sample_data
from cchc.store import accounts as auth
from cchc.store.database import Store


BROWSER = BrowserRequest()


def make_store(tmp_path, name="acc.sqlite", sample=True) -> tuple[Store, str]:
    url = f"sqlite:///{tmp_path / name}"
    store = Store(url)
    if sample:
        load_sample_data(store)
    return store, url


def add(store, username, role, password="mat-khau-dai", agency=""):
    store.save_user(username, role=role, agency=agency, password_hash=auth.hash_password(password))


def test_passwords_are_salted_scrypt_hashes(tmp_path):
    first, second = auth.hash_password("bí mật 123"), auth.hash_password("bí mật 123")
    assert first != second and first.startswith("scrypt$")
    assert auth.verify_password("bí mật 123", first) and not auth.verify_password("bi mat 123", first)
    store, _ = make_store(tmp_path, sample=False)
    add(store, "nv", "editor", "bí mật 123")
    assert "bí mật" not in store.get_user("nv")["password_hash"]


def test_rights_by_role_and_agency():
    viewer, admin = auth.User("a", "viewer"), auth.User("b", "admin")
    editor = auth.User("c", "editor", "Phòng Nội vụ")
    assert auth.can(viewer, "view") and not auth.can(viewer, "upload") and not auth.can(None, "view")
    assert auth.can(editor, "upload") and not auth.can(editor, "rollback") and not auth.can(editor, "manage_users")
    assert auth.can(editor, "enter_progress", "Phòng Nội vụ")
    assert not auth.can(editor, "enter_progress", "Phòng Tư pháp")
    assert auth.can(auth.User("d", "editor"), "enter_progress", "Phòng Tư pháp")  # an editor for all agencies
    assert auth.can(admin, "rollback")


def run_cli(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "cchc", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_user_commands(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    done = run_cli("user", "add", "tp", "--role", "editor", "--agency", "Tư pháp", "--password-stdin", "--db", url,
                   stdin="mat-khau-dai\n")
    assert done.returncode == 0, done.stderr
    store = Store(url)
    assert store.get_user("tp")["agency"] == "Phòng Tư pháp"
    assert run_cli("user", "add", "tp", "--password-stdin", "--db", url, stdin="x" * 10 + "\n").returncode == 1
    assert run_cli("user", "add", "ngan", "--password-stdin", "--db", url, stdin="ngan\n").returncode == 1
    assert run_cli("user", "add", "x", "--agency", "Sở Mặt Trăng", "--password-stdin", "--db", url,
                   stdin="mat-khau-dai\n").returncode == 1
    assert run_cli("user", "passwd", "tp", "--password-stdin", "--db", url, stdin="mat-khau-moi-1\n").returncode == 0
    assert auth.authenticate(store, "tp", "mat-khau-moi-1").user is not None
    assert run_cli("user", "disable", "tp", "--db", url).returncode == 0
    assert "đã bị khóa" in auth.authenticate(store, "tp", "mat-khau-moi-1").message
    listing = run_cli("user", "list", "--db", url)
    assert "tp" in listing.stdout and "đã khóa" in listing.stdout
    assert run_cli("user", "passwd", "khong-co", "--password-stdin", "--db", url, stdin="abcdefghij\n").returncode == 1


@pytest.fixture
def app_with_accounts(tmp_path, monkeypatch):
    store, url = make_store(tmp_path)
    add(store, "quantri", "admin")
    add(store, "capnhat", "editor")
    add(store, "xem", "viewer")
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    for name in ("CCHC_AUTH", "CCHC_LOGIN_REQUIRED", "CCHC_TRUSTED_HEADER", "CCHC_PROXY_SECRET"):  # each test
        monkeypatch.delenv(name, raising=False)  # states its own settings
    monkeypatch.setenv("CCHC_SERVED", "1")  # as behind serve.py, whose login page sets the session cookie
    BROWSER.install(monkeypatch)
    BROWSER.cookies.clear()
    BROWSER.headers.clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    st.cache_data.clear()
    st.cache_resource.clear()


def open_data_page(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if user is not None:
        at.user = user  # what st.user holds after an OIDC login (AppTest seeds it for the run)
    at.run()
    at.switch_page("pages/du_lieu.py")
    at.run()
    assert not at.exception
    return at


def login(at: AppTest, username: str, password: str = "mat-khau-dai") -> AppTest:
    """What the login page (cchc/web.py, tested in tests/test_web.py) does: check the password, then the browser
    carries the session cookie on its next connection."""
    store = Store(os.environ["CCHC_DATABASE_URL"])
    result = auth.authenticate(store, username, password)
    if result.user is not None:
        BROWSER.log_in(store, result.user.username)
    store.dispose()
    at.run()
    assert not at.exception
    return at


def keys(at) -> set:
    return {b.key for b in at.button}


def test_controls_hidden_without_rights(app_with_accounts):
    at = open_data_page()
    assert len(at.file_uploader) == 0 and "rollback" not in keys(at)
    assert any("Cần đăng nhập" in i.value for i in at.info)
    login(at, "xem")
    assert len(at.file_uploader) == 0 and "rollback" not in keys(at)
    at = login(open_data_page(), "capnhat")
    assert len(at.file_uploader) == 1 and "rollback" not in keys(at) and "save_targets" in keys(at)
    at = login(open_data_page(), "quantri")
    assert len(at.file_uploader) == 1 and "rollback" in keys(at)


def test_a_cookie_that_is_no_session_logs_nobody_in(app_with_accounts):
    login(open_data_page(), "capnhat", "sai-mat-khau")  # the wrong password: no cookie at all
    assert not BROWSER.cookies
    BROWSER.cookies[auth.SESSION_COOKIE] = "forged-" + "x" * 36  # a cookie the server never gave
    at = open_data_page()
    assert len(at.file_uploader) == 0 and not signed_in_as(at)
    assert any(">Đăng nhập<" in h.proto.body for h in at.get("html"))  # the way to the login page


def test_logout_disabling_and_a_new_password_end_the_session_at_the_next_click(app_with_accounts):
    store = app_with_accounts
    at = login(open_data_page(), "capnhat")
    assert signed_in_as(at) == ["Đăng nhập: capnhat · Cập nhật"]
    auth.end_session(store, BROWSER.cookies[auth.SESSION_COOKIE])  # what "Đăng xuất" (/dang-xuat) does
    at.run()
    assert not signed_in_as(at) and len(at.file_uploader) == 0
    at = login(open_data_page(), "capnhat")
    store.save_user("capnhat", disabled=True)  # `cchc user disable capnhat`, from another machine
    at.run()
    assert not signed_in_as(at) and len(at.file_uploader) == 0
    store.save_user("capnhat", disabled=False)
    at = login(open_data_page(), "capnhat")
    assert len(at.file_uploader) == 1
    store.save_user("capnhat", password_hash=auth.hash_password("mat-khau-moi-1"))  # `cchc user passwd`
    at.run()
    assert not signed_in_as(at) and len(at.file_uploader) == 0
    store.save_user("capnhat", role="viewer")  # a role changed: the next click has the new rights
    at = login(open_data_page(), "capnhat", "mat-khau-moi-1")
    assert signed_in_as(at) == ["Đăng nhập: capnhat · Xem"] and len(at.file_uploader) == 0


def test_viewing_can_require_a_login(app_with_accounts, monkeypatch):
    monkeypatch.setenv("CCHC_LOGIN_REQUIRED", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception and not at.get("plotly_chart")
    assert any("Cần đăng nhập để xem" in i.value for i in at.info)
    login(at, "xem")
    assert at.get("plotly_chart")


def test_open_mode_without_accounts_says_so(tmp_path, monkeypatch):
    _, url = make_store(tmp_path, "open.sqlite")
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_data_page()
    assert len(at.file_uploader) == 1 and "rollback" in keys(at)
    assert any("Chế độ mở" in c.value for c in at.caption)


def test_trusted_header_and_oidc_identities_map_to_accounts(tmp_path):
    store, _ = make_store(tmp_path, sample=False)
    add(store, "nv@iapa.gov.vn", "editor", agency="Phòng Nội vụ")
    known = auth.user_from_identity(store, "nv@iapa.gov.vn")
    assert (known.role, known.agency) == ("editor", "Phòng Nội vụ")
    assert auth.user_from_identity(store, "la@example.com").role == "viewer"


# ---- header and OIDC modes, through the app ----

SECRET = "chung-voi-may-chu-trung-gian"


@pytest.fixture
def proxy_headers(monkeypatch):
    """The request headers a proxy in front of the app sends; the shared secret is added by `from_proxy`."""
    monkeypatch.setenv("CCHC_PROXY_SECRET", SECRET)
    return BROWSER.headers


def from_proxy(*headers: tuple[str, str]) -> list[tuple[str, str]]:
    return [*headers, ("X-Cchc-Proxy-Secret", SECRET)]


def signed_in_as(at) -> list[str]:
    """Who the sidebar says is logged in, as the reader sees it."""
    return [reads_as(c.value) for c in at.caption if c.value.startswith("Đăng nhập:")]


def rights(at) -> dict:
    """The Dữ liệu page's write controls as this user sees them."""
    return {"upload": len(at.file_uploader) == 1, "targets": "save_targets" in keys(at),
            "rules": "save_rules" in keys(at), "rollback": "rollback" in keys(at)}


NONE = {"upload": False, "targets": False, "rules": False, "rollback": False}
EDITOR = {"upload": True, "targets": True, "rules": True, "rollback": False}
ADMIN = {"upload": True, "targets": True, "rules": True, "rollback": True}


def test_header_mode_gives_the_named_account_its_role(app_with_accounts, monkeypatch, proxy_headers):
    monkeypatch.setenv("CCHC_AUTH", "header")
    proxy_headers[:] = from_proxy(("x-remote-user", "capnhat"))  # header names are case-insensitive
    at = open_data_page()
    assert rights(at) == EDITOR
    assert signed_in_as(at) == ["Đăng nhập: capnhat · Cập nhật"]
    assert "login_username" not in {t.key for t in at.text_input}  # the proxy vouches: no password form
    proxy_headers[:] = from_proxy(("X-Remote-User", "xem"))
    at = open_data_page()
    assert rights(at) == NONE and signed_in_as(at) == ["Đăng nhập: xem · Xem"]
    proxy_headers[:] = from_proxy(("X-Remote-User", "quantri"))
    assert rights(open_data_page()) == ADMIN


def test_header_mode_strangers_only_view(app_with_accounts, monkeypatch, proxy_headers):
    """README: người lạ chỉ được xem — an identity with no account is a viewer; a disabled account is logged out."""
    monkeypatch.setenv("CCHC_AUTH", "header")
    monkeypatch.setenv("CCHC_LOGIN_REQUIRED", "1")
    proxy_headers[:] = from_proxy(("X-Remote-User", "nguoi-la@example.com"))
    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    home.run()
    assert not home.exception and home.get("plotly_chart")  # viewing is allowed
    assert not any("Cần đăng nhập để xem" in i.value for i in home.info)
    at = open_data_page()
    assert rights(at) == NONE and signed_in_as(at) == ["Đăng nhập: nguoi-la@example.com · Xem"]
    app_with_accounts.save_user("quantri", disabled=True)
    proxy_headers[:] = from_proxy(("X-Remote-User", "quantri"))
    at = open_data_page()
    assert rights(at) == NONE and not signed_in_as(at)


def test_header_mode_without_the_header_logs_nobody_in(app_with_accounts, monkeypatch, proxy_headers):
    monkeypatch.setenv("CCHC_AUTH", "header")
    monkeypatch.setenv("CCHC_TRUSTED_HEADER", "X-Auth-Email")
    proxy_headers[:] = from_proxy(("X-Remote-User", "quantri"))  # not the header the settings trust
    at = open_data_page()
    assert rights(at) == NONE and not signed_in_as(at)
    assert any("Chưa xác định được người dùng" in c.value for c in at.caption)
    assert any("Cần đăng nhập" in i.value for i in at.info)
    monkeypatch.setenv("CCHC_LOGIN_REQUIRED", "1")
    proxy_headers[:] = from_proxy()
    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    home.run()
    assert not home.exception and not home.get("plotly_chart")
    assert any("Cần đăng nhập để xem" in i.value for i in home.info)
    proxy_headers[:] = from_proxy(("X-Auth-Email", "quantri"))  # the trusted header
    assert rights(open_data_page()) == ADMIN


def test_oidc_mode_maps_the_identity_to_an_account(app_with_accounts, monkeypatch):
    monkeypatch.setenv("CCHC_AUTH", "oidc")
    add(app_with_accounts, "qt@iapa.gov.vn", "admin")
    at = open_data_page({"is_logged_in": True, "email": "qt@iapa.gov.vn", "name": "Quản trị"})
    assert rights(at) == ADMIN and signed_in_as(at) == ["Đăng nhập: qt@iapa.gov.vn · Quản trị"]
    assert "logout" in keys(at) and "login_oidc" not in keys(at)
    at = open_data_page({"is_logged_in": True, "email": "la@example.com"})
    assert rights(at) == NONE and signed_in_as(at) == ["Đăng nhập: la@example.com · Xem"]
    at = open_data_page({"is_logged_in": True, "sub": "capnhat"})  # no e-mail claim: the subject names the account
    assert rights(at) == EDITOR


def test_oidc_mode_before_login_offers_the_login_button(app_with_accounts, monkeypatch):
    monkeypatch.setenv("CCHC_AUTH", "oidc")
    at = open_data_page({"is_logged_in": False, "email": "quantri"})
    assert rights(at) == NONE and not signed_in_as(at)
    assert "login_oidc" in keys(at) and "login_username" not in {t.key for t in at.text_input}


def test_header_mode_believes_only_the_proxy_that_knows_the_secret(app_with_accounts, monkeypatch, proxy_headers):
    """Anyone who reaches the port can send X-Remote-User; only the proxy sends the shared secret with it."""
    monkeypatch.setenv("CCHC_AUTH", "header")
    proxy_headers[:] = [("X-Remote-User", "quantri")]  # no secret: someone who bypassed the proxy
    at = open_data_page()
    assert rights(at) == NONE and not signed_in_as(at)
    proxy_headers[:] = [("X-Remote-User", "quantri"), ("X-Cchc-Proxy-Secret", SECRET + "x")]  # a wrong secret
    assert rights(open_data_page()) == NONE
    proxy_headers[:] = from_proxy(("X-Remote-User", "quantri"))
    assert rights(open_data_page()) == ADMIN
    monkeypatch.delenv("CCHC_PROXY_SECRET")  # no secret configured: nobody is believed, whatever they send
    proxy_headers[:] = [("X-Remote-User", "quantri"), ("X-Cchc-Proxy-Secret", "")]
    assert rights(open_data_page()) == NONE
