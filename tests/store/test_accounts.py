"""Accounts, rights and logins: salted scrypt, slow-down and lock, the CLI, controls hidden without rights."""

import datetime as dt
import os
import subprocess
import sys

import pytest
import streamlit as st
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
    for _ in range(auth.FREE_FAILURES):
        assert auth.authenticate(store, "nv", "sai", now).user is None
    result = auth.authenticate(store, "nv", "sai", now)
    assert "chờ 2 giây" in result.message
    # while the wait runs, even the right password is refused
    assert auth.authenticate(store, "nv", "mat-khau-dai", now + dt.timedelta(seconds=1)).user is None
    later = now + dt.timedelta(seconds=3)
    assert auth.authenticate(store, "nv", "mat-khau-dai", later).user.role == "editor"
    for i in range(auth.LOCK_AFTER):
        result = auth.authenticate(store, "nv", "sai", later + dt.timedelta(minutes=2 * i))
    assert "tạm khóa" in result.message
    locked_at = later + dt.timedelta(minutes=2 * (auth.LOCK_AFTER - 1))
    assert auth.authenticate(store, "nv", "mat-khau-dai", locked_at + dt.timedelta(minutes=5)).user is None
    assert auth.authenticate(store, "nv", "mat-khau-dai", locked_at + dt.timedelta(minutes=16)).user is not None
    assert auth.authenticate(store, "khong-co", "x", now).message == "Tên đăng nhập hoặc mật khẩu không đúng."


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
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    st.cache_data.clear()
    st.cache_resource.clear()


def open_data_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
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
