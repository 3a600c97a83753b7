"""Accounts, rights and logins: salted scrypt, slow-down and lock, the CLI, controls hidden without rights, and the
header and OIDC login modes through the app."""

import datetime as dt
import subprocess
import sys
import types

import pytest
import streamlit as st
import streamlit.runtime.context
from streamlit.testing.v1 import AppTest
from support import ROOT

from cchc.ingest import load_sample_data
from cchc.store import accounts as auth
from cchc.store.database import Store


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


def test_failed_logins_slow_down_then_lock(tmp_path):
    store, _ = make_store(tmp_path, sample=False)
    add(store, "nv", "editor")
    now = dt.datetime(2026, 1, 1, 8, 0, 0)
    for _ in range(3):  # README: the first 3 failures cost nothing
        assert auth.authenticate(store, "nv", "sai", now).user is None
    result = auth.authenticate(store, "nv", "sai", now)
    assert "chờ 2 giây" in result.message
    # while the wait runs, even the right password is refused
    assert auth.authenticate(store, "nv", "mat-khau-dai", now + dt.timedelta(seconds=1)).user is None
    later = now + dt.timedelta(seconds=3)
    assert auth.authenticate(store, "nv", "mat-khau-dai", later).user.role == "editor"
    for i in range(10):  # README: 10 failures lock the account
        result = auth.authenticate(store, "nv", "sai", later + dt.timedelta(minutes=2 * i))
    assert "tạm khóa" in result.message and "15 phút" in result.message
    locked_at = later + dt.timedelta(minutes=2 * 9)
    assert auth.authenticate(store, "nv", "mat-khau-dai", locked_at + dt.timedelta(minutes=5)).user is None
    assert auth.authenticate(store, "nv", "mat-khau-dai", locked_at + dt.timedelta(minutes=16)).user is not None
    assert auth.authenticate(store, "khong-co", "x", now).message == "Tên đăng nhập hoặc mật khẩu không đúng."


GENERIC = "Tên đăng nhập hoặc mật khẩu không đúng."


def test_login_waits_are_the_numbers_the_readme_promises(tmp_path):
    """README: 3 free failures, then waits doubling up to 60 s (2, 4, 8, 16, 32, 60), the 10th locks for 15 min.

    Literal numbers on purpose: changing FREE_FAILURES, MAX_DELAY_SECONDS, LOCK_AFTER or LOCK_MINUTES must fail here.
    """
    store, _ = make_store(tmp_path, sample=False)
    add(store, "nv", "editor")
    t = dt.datetime(2026, 3, 2, 7, 30, 0)
    half = dt.timedelta(milliseconds=500)
    for failure in (1, 2, 3):  # free: tried again at the same instant, no wait
        result = auth.authenticate(store, "nv", "sai", t)
        assert (result.user, result.message) == (None, GENERIC)
        assert (store.get_user("nv")["failed_logins"], store.get_user("nv")["locked_until"]) == (failure, None)
    for failure, wait in zip((4, 5, 6, 7, 8, 9), (2, 4, 8, 16, 32, 60)):
        result = auth.authenticate(store, "nv", "sai", t)
        assert result.user is None
        assert result.message == f"{GENERIC} Hãy chờ {wait} giây trước khi thử lại.", failure
        record = store.get_user("nv")
        assert (record["failed_logins"], record["locked_until"]) == (failure, t + dt.timedelta(seconds=wait))
        # half a second before the wait ends even the right password is refused, and nothing is counted
        refused = auth.authenticate(store, "nv", "mat-khau-dai", t + dt.timedelta(seconds=wait) - half)
        assert refused.user is None and refused.message == "Đăng nhập sai nhiều lần: hãy thử lại sau 1 giây."
        assert store.get_user("nv")["failed_logins"] == failure
        t += dt.timedelta(seconds=wait)  # the wait is over: the next try is checked again
    result = auth.authenticate(store, "nv", "sai", t)  # the 10th failure in a row
    assert result.message == "Đăng nhập sai 10 lần: tài khoản bị tạm khóa 15 phút."
    assert store.get_user("nv")["locked_until"] == t + dt.timedelta(minutes=15)
    for early in (dt.timedelta(minutes=14), dt.timedelta(minutes=15) - half):
        assert auth.authenticate(store, "nv", "mat-khau-dai", t + early).user is None
    back = auth.authenticate(store, "nv", "mat-khau-dai", t + dt.timedelta(minutes=15))
    assert back.user is not None and back.user.role == "editor" and back.message == "Đăng nhập thành công."
    # a good login starts the count again: the next 3 failures are free once more
    for failure in (1, 2, 3):
        assert auth.authenticate(store, "nv", "sai", t + dt.timedelta(minutes=15)).message == GENERIC
    assert "chờ 2 giây" in auth.authenticate(store, "nv", "sai", t + dt.timedelta(minutes=15)).message


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
    for name in ("CCHC_AUTH", "CCHC_LOGIN_REQUIRED", "CCHC_TRUSTED_HEADER"):  # each test states its own settings
        monkeypatch.delenv(name, raising=False)
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
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.label == "Đăng nhập").click()
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


def test_wrong_password_is_refused_in_the_app(app_with_accounts):
    at = login(open_data_page(), "capnhat", "sai-mat-khau")
    assert any("không đúng" in e.value for e in at.error)
    assert len(at.file_uploader) == 0


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

@pytest.fixture
def proxy_headers(monkeypatch):
    """The request headers a proxy in front of the app sends.

    AppTest cannot send headers (AppTest.context takes browser fields only), so the session's client context is
    replaced at its source in streamlit.runtime.context: st.context.headers itself, its case-insensitive lookup and
    ui/common.current_account all run unchanged.
    """
    sent: list[tuple[str, str]] = []
    client = types.SimpleNamespace(headers=sent, cookies={}, remote_ip=None)
    monkeypatch.setattr(streamlit.runtime.context, "_get_client_context", lambda: client)
    return sent


def signed_in_as(at) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith("Đăng nhập:")]


def rights(at) -> dict:
    """The Dữ liệu page's write controls as this user sees them."""
    return {"upload": len(at.file_uploader) == 1, "targets": "save_targets" in keys(at),
            "rules": "save_rules" in keys(at), "rollback": "rollback" in keys(at)}


NONE = {"upload": False, "targets": False, "rules": False, "rollback": False}
EDITOR = {"upload": True, "targets": True, "rules": True, "rollback": False}
ADMIN = {"upload": True, "targets": True, "rules": True, "rollback": True}


def test_header_mode_gives_the_named_account_its_role(app_with_accounts, monkeypatch, proxy_headers):
    monkeypatch.setenv("CCHC_AUTH", "header")
    proxy_headers[:] = [("x-remote-user", "capnhat")]  # header names are case-insensitive
    at = open_data_page()
    assert rights(at) == EDITOR
    assert signed_in_as(at) == ["Đăng nhập: **capnhat** · Cập nhật"]
    assert "login_username" not in {t.key for t in at.text_input}  # the proxy vouches: no password form
    proxy_headers[:] = [("X-Remote-User", "xem")]
    at = open_data_page()
    assert rights(at) == NONE and signed_in_as(at) == ["Đăng nhập: **xem** · Xem"]
    proxy_headers[:] = [("X-Remote-User", "quantri")]
    assert rights(open_data_page()) == ADMIN


def test_header_mode_strangers_only_view(app_with_accounts, monkeypatch, proxy_headers):
    """README: người lạ chỉ được xem — an identity with no account, or a disabled one, is a viewer."""
    monkeypatch.setenv("CCHC_AUTH", "header")
    monkeypatch.setenv("CCHC_LOGIN_REQUIRED", "1")
    proxy_headers[:] = [("X-Remote-User", "nguoi-la@example.com")]
    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    home.run()
    assert not home.exception and home.get("plotly_chart")  # viewing is allowed
    assert not any("Cần đăng nhập để xem" in i.value for i in home.info)
    at = open_data_page()
    assert rights(at) == NONE and signed_in_as(at) == ["Đăng nhập: **nguoi-la@example.com** · Xem"]
    app_with_accounts.save_user("quantri", disabled=True)
    proxy_headers[:] = [("X-Remote-User", "quantri")]
    at = open_data_page()
    assert rights(at) == NONE and signed_in_as(at) == ["Đăng nhập: **quantri** · Xem"]


def test_header_mode_without_the_header_logs_nobody_in(app_with_accounts, monkeypatch, proxy_headers):
    monkeypatch.setenv("CCHC_AUTH", "header")
    monkeypatch.setenv("CCHC_TRUSTED_HEADER", "X-Auth-Email")
    proxy_headers[:] = [("X-Remote-User", "quantri")]  # not the header the settings trust
    at = open_data_page()
    assert rights(at) == NONE and not signed_in_as(at)
    assert any("Chưa xác định được người dùng" in c.value for c in at.caption)
    assert any("Cần đăng nhập" in i.value for i in at.info)
    monkeypatch.setenv("CCHC_LOGIN_REQUIRED", "1")
    proxy_headers[:] = []
    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    home.run()
    assert not home.exception and not home.get("plotly_chart")
    assert any("Cần đăng nhập để xem" in i.value for i in home.info)
    proxy_headers[:] = [("X-Auth-Email", "quantri")]  # the trusted header
    assert rights(open_data_page()) == ADMIN


def test_oidc_mode_maps_the_identity_to_an_account(app_with_accounts, monkeypatch):
    monkeypatch.setenv("CCHC_AUTH", "oidc")
    add(app_with_accounts, "qt@iapa.gov.vn", "admin")
    at = open_data_page({"is_logged_in": True, "email": "qt@iapa.gov.vn", "name": "Quản trị"})
    assert rights(at) == ADMIN and signed_in_as(at) == ["Đăng nhập: **qt@iapa.gov.vn** · Quản trị"]
    assert "logout" in keys(at) and "login_oidc" not in keys(at)
    at = open_data_page({"is_logged_in": True, "email": "la@example.com"})
    assert rights(at) == NONE and signed_in_as(at) == ["Đăng nhập: **la@example.com** · Xem"]
    at = open_data_page({"is_logged_in": True, "sub": "capnhat"})  # no e-mail claim: the subject names the account
    assert rights(at) == EDITOR


def test_oidc_mode_before_login_offers_the_login_button(app_with_accounts, monkeypatch):
    monkeypatch.setenv("CCHC_AUTH", "oidc")
    at = open_data_page({"is_logged_in": False, "email": "quantri"})
    assert rights(at) == NONE and not signed_in_as(at)
    assert "login_oidc" in keys(at) and "login_username" not in {t.key for t in at.text_input}
