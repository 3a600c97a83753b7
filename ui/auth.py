"""Who is acting: the account behind this browser (session cookie, OIDC identity or trusted proxy header), its
rights, and the sidebar's account area. Re-read from the store once per script run, so a disabled account or a
changed password ends its sessions at the next click."""

from __future__ import annotations

import os

import streamlit as st

from cchc.store.database import Store


def _get_store() -> Store:
    from ui.common import get_store

    return get_store()


def _once_per_run(key, compute):
    from ui.common import once_per_run

    return once_per_run(key, compute)


def setting(name: str, default=None):
    """A [cchc] setting (cchc/settings.py: .streamlit/secrets.toml, overridden by CCHC_<NAME>)."""
    from cchc import settings

    return settings.setting(name, default)


def auth_mode() -> str:
    from cchc import settings

    return settings.auth_mode()


def login_required() -> bool:
    from cchc import settings

    return settings.login_required()


def served() -> bool:
    """Whether the app runs behind serve.py (which has the login pages), not bare `streamlit run app.py`."""
    return os.environ.get("CCHC_SERVED") == "1"


def current_account():
    """The user acting now, or None when nobody is logged in. No accounts at all: the open mode's admin.

    Read from the store once per script run: a disabled account, a new password or a logout ends the session at
    the next click, whatever the browser still holds.
    """
    return _once_per_run("_account", _read_account)


def _read_account():
    from cchc import settings, web
    from cchc.store.accounts import OPEN_USER, SESSION_COOKIE, session_user, user_from_identity

    store = _get_store()
    mode = auth_mode()
    if mode == "header":
        headers = {k.lower(): v for k, v in st.context.headers.items()}
        if not web.proxy_secret_ok(headers):  # also checked by the server's gate; bare app.py has no gate
            return None
        identity = headers.get(settings.trusted_header().lower(), "")
        return user_from_identity(store, identity) if identity else None
    if mode == "oidc":
        if getattr(st.user, "is_logged_in", False):
            return user_from_identity(store, st.user.get("email") or st.user.get("sub") or "")
        return None
    if not _has_accounts(store):
        return OPEN_USER
    return session_user(store, st.context.cookies.get(SESSION_COOKIE))


def _has_accounts(store: Store) -> bool:
    """Whether any account exists, asked once per script run (every rights check needs it)."""
    return _once_per_run("_has_accounts", store.has_users)


def can(action: str, agency: str | None = None) -> bool:
    from cchc.store.accounts import can as allowed

    return allowed(current_account(), action, agency)


def current_user() -> str:
    """Who is acting, for the history: the account's name, else the machine's user."""
    account = current_account()
    if account is not None:
        return account.username
    from cchc.store.database import current_user as machine_user

    return machine_user()


def no_right(what: str) -> None:
    st.info(f"Cần đăng nhập bằng tài khoản có quyền để {what}.", icon=":material/lock:")


def _here() -> str:
    """This page's path and query, where the login page sends the user back to."""
    from urllib.parse import urlencode

    path = "/" + (st.session_state.get("page_url_path") or "")
    pairs = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    return path + (f"?{urlencode(pairs)}" if pairs else "")


_LINK_STYLE = ("display:inline-block;padding:.4rem .9rem;border-radius:.5rem;text-decoration:none;font-weight:600;"
               "border:1px solid #0b5cad;")


def _same_tab_link(label: str, url: str, primary: bool) -> None:
    """A button-like link that stays in this tab (st.link_button opens a new one): the login page sends the user
    back here. Label and URL are ours; the URL's query is percent-encoded and HTML-escaped."""
    import html

    colours = "background:#0b5cad;color:#fff;" if primary else "background:#fff;color:#0b5cad;"
    st.html(f'<a href="{html.escape(url)}" target="_self" data-testid="cchc-auth-link" '
            f'style="{_LINK_STYLE}{colours}">{html.escape(label)}</a>')


def login_button(primary: bool = False) -> None:
    from cchc import web

    if not served():
        st.warning("Hãy khởi động bảng điều hành bằng `bash scripts/run.sh` (serve.py) để đăng nhập được.",
                   icon=":material/lock:")
        return
    _same_tab_link("Đăng nhập", web.login_url(_here()), primary)


def login_box() -> None:
    """The sidebar's account area: who is logged in and "Đăng xuất", or the way to log in."""
    from cchc import web
    from cchc.store.accounts import ROLE_LABELS

    mode = auth_mode()
    account = current_account()
    store = _get_store()
    if mode == "password" and not _has_accounts(store):
        st.caption("Chế độ mở: chưa có tài khoản nào, mọi người dùng đều có toàn quyền. Quản trị viên tạo tài "
                   "khoản bằng lệnh `.venv/bin/python -m cchc user add TÊN --role admin` (chạy trong thư mục "
                   "của phần mềm).")
        return
    if account is not None:
        from ui.safe import md

        st.caption(f"Đăng nhập: **{md(account.label)}** · {md(ROLE_LABELS.get(account.role, account.role))}"
                   + (f" · {md(account.agency)}" if account.agency else ""))
        if mode == "password":
            _same_tab_link("Đăng xuất", web.LOGOUT_PATH, False)
        elif mode == "oidc" and st.button("Đăng xuất", key="logout"):
            st.logout()
        return
    if mode == "oidc":
        if st.button("Đăng nhập", key="login_oidc", type="primary"):
            st.login()
        return
    if mode == "header":
        st.caption("Chưa xác định được người dùng (máy chủ trung gian không gửi tên đăng nhập).")
        return
    login_button()
