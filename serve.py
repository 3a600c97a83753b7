"""The dashboard's server: Streamlit's app (app.py) behind cchc's own doors (login pages, the session cookie, the
gate that closes what need not be public). Started by scripts/run.sh as `streamlit run serve.py`."""

import os

import streamlit as st
from starlette.middleware import Middleware

from cchc import tcp, web, web_page

web.check_startup()
tcp.answer_without_delay()  # answers on a kept-alive connection wait for no delayed ACK (cchc/tcp.py)
os.environ["CCHC_SERVED"] = "1"  # the pages know the login pages exist


def _oidc_logged_in(request) -> bool:
    """Whether Streamlit's signed identity cookie (st.login) is present and valid."""
    try:
        from streamlit.web.server.starlette.starlette_auth_routes import _get_signed_cookie_from_request
        from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

        return _get_signed_cookie_from_request(request, USER_COOKIE_NAME) is not None
    except Exception:  # an unreadable cookie is no login
        return False


app = st.App("app.py", routes=web.routes(), middleware=[Middleware(web.Gate, oidc_logged_in=_oidc_logged_in),
                                                         Middleware(web_page.VietnamesePage)])
