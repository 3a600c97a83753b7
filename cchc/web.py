"""The web server's own doors (Starlette, in front of Streamlit; see serve.py): the login and logout pages that set
and clear the HttpOnly session cookie, and a gate that checks every request before Streamlit sees it.

The gate: Streamlit endpoints that need not be public answer 404; in trusted-header mode a request without the
proxy's shared secret is refused; when login is required, files Streamlit serves (/media/: downloads, originals,
exports, images) need a logged-in session. Database calls run in worker threads, never on the event loop.
"""

from __future__ import annotations

import hmac
import html
import logging
import os
from urllib.parse import parse_qs, quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from . import settings
from .store import accounts

LOGIN_PATH = "/dang-nhap"
LOGOUT_PATH = "/dang-xuat"
# Streamlit endpoints the dashboard never uses in a browser: runtime metrics, the agent (automation) API, the
# script health probe. Closed so nobody reads cache sizes or drives the app without a page.
CLOSED_PREFIXES = ("/_stcore/metrics", "/_stcore/agent", "/_stcore/script-health-check")
MAX_FORM_BYTES = 8 * 1024
log = logging.getLogger("cchc")

_stores: dict = {}


def _store():
    """The dashboard's store (the same URL the pages use), opened once per process."""
    from .ingest import open_default_store

    url = os.environ.get("CCHC_DATABASE_URL")
    if url not in _stores:
        _stores[url] = open_default_store(url)
    return _stores[url]


def client_address(scope) -> str:
    """The client's address: the socket's, or the last X-Forwarded-For hop when the socket is a trusted proxy."""
    peer = (scope.get("client") or ("", 0))[0] or ""
    if peer in settings.trusted_proxies():
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-for":
                hops = [hop.strip() for hop in value.decode("latin-1").split(",") if hop.strip()]
                if hops:
                    return hops[-1][:100]
    return peer[:100]


def _is_https(scope) -> bool:
    if scope.get("scheme") in ("https", "wss"):
        return True
    peer = (scope.get("client") or ("", 0))[0] or ""
    if peer in settings.trusted_proxies():
        return dict(scope.get("headers", [])).get(b"x-forwarded-proto", b"").decode("latin-1") == "https"
    return False


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (never another origin)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def _page(body: str, status: int = 200) -> HTMLResponse:
    organisation = ""
    try:
        from .registry import load_organisation

        organisation = load_organisation().name
    except Exception:  # the login page never fails for want of the organisation's name
        organisation = ""
    document = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Đăng nhập – Bảng điều hành Chỉ số CCHC</title>
<style>
body {{ font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; background: #f3f6fa; margin: 0;
       display: flex; min-height: 100vh; align-items: center; justify-content: center; color: #1f2937; }}
main {{ background: #fff; padding: 2rem 2.4rem; border-radius: 10px; box-shadow: 0 2px 14px rgba(0,0,0,.08);
        width: min(420px, 92vw); }}
h1 {{ font-size: 1.5rem; margin: 0 0 .3rem; }} p.org {{ color: #4b5563; margin: 0 0 1.4rem; }}
label {{ display: block; font-weight: 600; margin: .9rem 0 .3rem; }}
input {{ width: 100%; box-sizing: border-box; font-size: 1.05rem; padding: .55rem .7rem; border: 1px solid #c7ced8;
         border-radius: 6px; }}
button {{ margin-top: 1.4rem; width: 100%; font-size: 1.1rem; padding: .65rem; border: 0; border-radius: 6px;
          background: #0b5cad; color: #fff; cursor: pointer; }}
.error {{ background: #fdecec; color: #8a1c1c; padding: .7rem .9rem; border-radius: 6px; margin-top: 1rem; }}
a {{ color: #0b5cad; }}
</style></head><body><main><h1>Bảng điều hành Chỉ số CCHC</h1>
<p class="org">{html.escape(organisation)}</p>{body}</main></body></html>"""
    return HTMLResponse(document, status_code=status, headers={"Cache-Control": "no-store",
                                                               "X-Frame-Options": "DENY"})


def _form(next_path: str, username: str = "", message: str = "") -> str:
    error = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    return f"""<form method="post" action="{LOGIN_PATH}">
<input type="hidden" name="next" value="{html.escape(next_path)}">
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" autocomplete="username" value="{html.escape(username)}" required autofocus>
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Đăng nhập</button>{error}</form>
<p><a href="{html.escape(next_path)}">Quay lại bảng điều hành</a></p>"""


def _same_origin(request: Request) -> bool:
    """A login form posted from another site is refused (its Origin names that site)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def login_page(request: Request) -> Response:
    if request.method == "GET":
        return _page(_form(safe_next(request.query_params.get("next"))))
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return PlainTextResponse("Dữ liệu đăng nhập quá dài.", status_code=413)
    fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
    next_path = safe_next(fields.get("next"))
    if not _same_origin(request):
        return _page(_form(next_path, message="Biểu mẫu đăng nhập phải được gửi từ chính trang này."), 403)
    username = fields.get("username", "")[:200]
    client = client_address(request.scope)
    store = _store()
    try:
        result = await run_in_threadpool(accounts.authenticate, store, username, fields.get("password", ""),
                                         None, client)
    except Exception:  # the database is down or full: say so, never a traceback
        log.exception("login failed on the server")
        return _page(_form(next_path, username, "Không đăng nhập được do lỗi máy chủ (cơ sở dữ liệu). Hãy thử "
                                                "lại sau hoặc báo quản trị viên."), 503)
    if result.user is None:
        return _page(_form(next_path, username, result.message), 401)
    hours = settings.session_hours()
    token = await run_in_threadpool(accounts.open_session, store, result.user.username, client, hours)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(accounts.SESSION_COOKIE, token, max_age=int(hours * 3600), path="/", httponly=True,
                        samesite="lax", secure=_is_https(request.scope))
    response.headers["Cache-Control"] = "no-store"
    return response


async def logout_page(request: Request) -> Response:
    token = request.cookies.get(accounts.SESSION_COOKIE)
    if token:
        try:
            await run_in_threadpool(accounts.end_session, _store(), token)
        except Exception:
            log.exception("logout could not end the session in the database")
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(accounts.SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=_is_https(request.scope))
    response.headers["Cache-Control"] = "no-store"
    return response


def routes() -> list[Route]:
    return [Route(LOGIN_PATH, login_page, methods=["GET", "POST"]), Route(LOGOUT_PATH, logout_page, methods=["GET"])]


def login_url(next_path: str) -> str:
    return f"{LOGIN_PATH}?next={quote(safe_next(next_path), safe='')}"


def check_startup() -> None:
    """Refuse to serve in trusted-header mode without the proxy's shared secret: anyone reaching the port could
    otherwise send the header and be whoever they like."""
    if settings.auth_mode() == "header" and not settings.proxy_secret():
        raise SystemExit("Chế độ auth = \"header\" cần proxy_secret (mật mã chung với máy chủ trung gian) trong "
                         "[cchc] của .streamlit/secrets.toml hoặc biến CCHC_PROXY_SECRET; bảng điều hành không "
                         "khởi động khi thiếu nó.")


def proxy_secret_ok(headers: dict[str, str]) -> bool:
    expected = settings.proxy_secret()
    sent = headers.get(settings.PROXY_SECRET_HEADER.lower(), "")
    return bool(expected) and hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


class Gate:
    """ASGI middleware in front of Streamlit (see the module docstring)."""

    def __init__(self, app, oidc_logged_in=None):
        self.app = app
        self.oidc_logged_in = oidc_logged_in  # serve.py's check of Streamlit's signed identity cookie

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if any(path == p or path.startswith(p + "/") for p in CLOSED_PREFIXES):
            return await self._refuse(scope, receive, send, 404, "Không có trang này.")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        mode = settings.auth_mode()
        if mode == "header" and path != "/_stcore/health" and not proxy_secret_ok(headers):  # health tells nothing
            return await self._refuse(scope, receive, send, 403, "Chỉ truy cập được qua máy chủ trung gian.")
        if path.startswith("/media/") and settings.login_required() and not await self._logged_in(scope, headers):
            return await self._refuse(scope, receive, send, 403, "Cần đăng nhập để tải tệp này.")
        return await self.app(scope, receive, send)

    async def _logged_in(self, scope, headers: dict[str, str]) -> bool:
        mode = settings.auth_mode()
        if mode == "header":
            return bool(headers.get(settings.trusted_header().lower()))
        if mode == "oidc":
            return bool(self.oidc_logged_in and self.oidc_logged_in(Request(scope)))
        store = _store()
        if not await run_in_threadpool(store.has_users):
            return True  # open mode: no accounts, nothing to log in to
        token = Request(scope).cookies.get(accounts.SESSION_COOKIE)
        return await run_in_threadpool(accounts.session_user, store, token) is not None

    @staticmethod
    async def _refuse(scope, receive, send, status: int, message: str):
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await PlainTextResponse(message, status_code=status, headers={"Cache-Control": "no-store"})(
            scope, receive, send)
