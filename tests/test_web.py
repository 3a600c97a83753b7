"""cchc's own doors in front of Streamlit (serve.py, cchc/web.py), attacked over HTTP by a client with no cookie
of its own: the login page and its cookie, closed endpoints, files that need a session, the trusted-header mode's
shared secret, and parallel wrong passwords counted one by one."""

import http.client
import subprocess
import sys
import threading
import urllib.parse

import pytest
from browser.test_browser import streamlit_server
from support import ROOT

from cchc.store import accounts as auth
from cchc.store.database import Store

PASSWORD = "mat-khau-dai-1"


def add_accounts(store):
    store.save_user("quantri", role="admin", password_hash=auth.hash_password(PASSWORD))
    store.save_user("xem", role="viewer", password_hash=auth.hash_password(PASSWORD))


def request(base: str, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    """One request, no cookie jar, no redirect following: what an attacker's script sends."""
    host = urllib.parse.urlsplit(base).netloc
    conn = http.client.HTTPConnection(host, timeout=60)
    data = urllib.parse.urlencode(body).encode() if body is not None else None
    sent = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
    conn.request(method, path, body=data, headers={**sent, **(headers or {})})
    answer = conn.getresponse()
    text = answer.read().decode("utf-8", "replace")
    conn.close()
    return answer.status, answer, text


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("web"), "web", {"CCHC_LOGIN_REQUIRED": "1"},
                          prepare=add_accounts) as running:
        yield running


def test_streamlit_endpoints_that_need_not_be_public_are_closed(server):
    for path in ("/_stcore/metrics", "/_stcore/agent/openapi.json", "/_stcore/agent/interact",
                 "/_stcore/script-health-check"):
        assert request(server["base"], "GET", path)[0] == 404, path
    assert request(server["base"], "GET", "/_stcore/health")[2] == "ok"  # what the browser needs stays open


def test_the_login_page_sets_an_http_only_session_cookie(server):
    status, _, page = request(server["base"], "GET", "/dang-nhap?next=/du-lieu")
    assert status == 200 and 'name="password"' in page and 'value="/du-lieu"' in page
    status, answer, page = request(server["base"], "POST", "/dang-nhap",
                                   {"username": "quantri", "password": "sai", "next": "/du-lieu"})
    assert status == 401 and "Tên đăng nhập hoặc mật khẩu không đúng." in page
    assert answer.getheader("Set-Cookie") is None
    status, answer, _ = request(server["base"], "POST", "/dang-nhap",
                                {"username": "quantri", "password": PASSWORD, "next": "/du-lieu?nam=2019"})
    assert status == 303 and answer.getheader("Location") == "/du-lieu?nam=2019"
    cookie = answer.getheader("Set-Cookie")
    name, _, rest = cookie.partition("=")
    token = rest.split(";")[0]
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert name == "cchc_session" and len(token) >= 40
    assert "httponly" in attributes and attributes["samesite"].lower() == "samesite=lax"
    assert attributes["max-age"] == "Max-Age=36000" and attributes["path"] == "Path=/"  # a working day: 10 hours
    store = Store(server["url"])
    assert auth.session_user(store, token).username == "quantri"
    assert token not in str(store.engine.connect().exec_driver_sql("SELECT * FROM login_sessions").all())
    status, answer, _ = request(server["base"], "GET", "/dang-xuat", headers={"Cookie": f"cchc_session={token}"})
    assert status == 303 and "cchc_session=" in answer.getheader("Set-Cookie")
    assert auth.session_user(store, token) is None  # the cookie is dead on the server, not only in the browser
    store.dispose()


def test_the_login_page_sends_nobody_elsewhere_and_takes_no_form_from_another_site(server):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        _, answer, _ = request(server["base"], "POST", "/dang-nhap",
                               {"username": "xem", "password": PASSWORD, "next": target})
        assert answer.getheader("Location") == "/", target
    status, answer, page = request(server["base"], "POST", "/dang-nhap",
                                   {"username": "xem", "password": PASSWORD, "next": "/"},
                                   headers={"Origin": "https://evil.example"})
    assert status == 403 and answer.getheader("Set-Cookie") is None and "chính trang này" in page


def test_files_need_a_session_when_login_is_required(server):
    """Streamlit serves downloads at /media/…; without a session the gate answers before Streamlit looks."""
    status, _, text = request(server["base"], "GET", "/media/0123456789abcdef.xlsx")
    assert status == 403 and "Cần đăng nhập" in text
    store = Store(server["url"])
    token = auth.open_session(store, "xem")
    store.dispose()
    status, _, _ = request(server["base"], "GET", "/media/0123456789abcdef.xlsx",
                           headers={"Cookie": f"cchc_session={token}"})
    assert status == 404  # past the gate: Streamlit's own answer for a file it does not have
    status, _, _ = request(server["base"], "GET", "/media/0123456789abcdef.xlsx",
                           headers={"Cookie": "cchc_session=forged"})
    assert status == 403


def test_parallel_wrong_passwords_over_http_all_count(server):
    store = Store(server["url"])
    start = threading.Barrier(8)
    statuses = []

    def attempt():
        start.wait()
        statuses.append(request(server["base"], "POST", "/dang-nhap",
                                {"username": "nguoi-tan-cong", "password": "sai", "next": "/"})[0])

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [401] * 8
    assert auth.failure_count(store, "nguoi-tan-cong", "127.0.0.1") == 8
    store.dispose()


def test_header_mode_refuses_to_start_without_the_proxy_secret(tmp_path):
    env = {"CCHC_AUTH": "header", "CCHC_DATABASE_URL": f"sqlite:///{tmp_path / 'h.sqlite'}", "PATH": "/usr/bin"}
    done = subprocess.run([sys.executable, "-c", "import runpy; runpy.run_path('serve.py')"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "proxy_secret" in done.stderr and "không khởi động" in done.stderr


def test_header_mode_answers_only_requests_that_carry_the_secret(tmp_path):
    env = {"CCHC_AUTH": "header", "CCHC_PROXY_SECRET": "bi-mat-chung-123", "CCHC_LOGIN_REQUIRED": "1"}
    with streamlit_server(tmp_path, "web-header", env, prepare=add_accounts) as running:
        status, _, text = request(running["base"], "GET", "/", headers={"X-Remote-User": "quantri"})
        assert status == 403 and "máy chủ trung gian" in text
        assert request(running["base"], "GET", "/media/x.xlsx", headers={
            "X-Remote-User": "quantri", "X-Cchc-Proxy-Secret": "sai"})[0] == 403
        assert request(running["base"], "GET", "/", headers={
            "X-Remote-User": "quantri", "X-Cchc-Proxy-Secret": "bi-mat-chung-123"})[0] == 200
        assert request(running["base"], "GET", "/media/x.xlsx", headers={  # the proxy vouches: past the gate
            "X-Remote-User": "quantri", "X-Cchc-Proxy-Secret": "bi-mat-chung-123"})[0] == 404


def test_every_page_is_served_as_vietnamese_with_the_dashboards_title(server):
    """Chrome offers "Translate from English?" on a page marked lang="en"; the tab said "Streamlit" until the app ran."""
    for path in ("/", "/giai-quyet", "/don-vi?don_vi=Ia%20Tul"):
        status, answer, page = request(server["base"], "GET", path)
        assert status == 200 and answer.getheader("Content-Type").startswith("text/html"), path
        assert '<html lang="vi">' in page and 'lang="en"' not in page, path
        assert "<title>Chỉ số CCHC – Bảng điều hành</title>" in page, path
        assert int(answer.getheader("Content-Length")) == len(page.encode("utf-8")), path
        assert 'src="./static/js/index.' in page, path  # Streamlit's own page, whole
    status, answer, script = request(server["base"], "GET", "/_stcore/health")
    assert script == "ok"  # other answers pass untouched
    assert "<title>Đăng nhập – Bảng điều hành Chỉ số CCHC</title>" in request(server["base"], "GET", "/dang-nhap")[2]
