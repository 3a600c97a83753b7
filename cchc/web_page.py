"""The page the browser first receives (Streamlit's index.html), in the dashboard's language.

ASGI middleware in front of Streamlit (serve.py). Every HTML page Streamlit answers with is its one index.html,
written `<html lang="en">` and titled "Streamlit". On its way out the page gets `lang="vi"` and the dashboard's title:
the browser does not offer to translate a Vietnamese page "from English", reads it aloud and breaks its words as
Vietnamese, and the tab does not say "Streamlit" while the app starts.

(Fetching Plotly's code with this page, before the script has run, was measured with benchmarks/browser_draw.py and
left out: running it while the app waits for the server delays the app's own first messages as much as it saves.)
"""

from __future__ import annotations

import html
import re

TITLE = "Chỉ số CCHC – Bảng điều hành"  # also the title app.py gives Streamlit


STREAMLIT_PAGE_MARK = "./static/js/index."  # the script tag of Streamlit's own index.html


def rewrite_index(page: str) -> str:
    """Streamlit's index.html with the dashboard's language and title; any other page (the login page has its own
    title) as it came."""
    if STREAMLIT_PAGE_MARK not in page:
        return page
    page = re.sub(r"<html\b[^>]*>", '<html lang="vi">', page, count=1)
    page = re.sub(r"<title>.*?</title>", f"<title>{html.escape(TITLE)}</title>", page, count=1, flags=re.S)
    return page


class VietnamesePage:
    """Rewrites Streamlit's HTML answers (its index.html) on the way out; everything else passes untouched."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            return await self.app(scope, receive, send)
        start: dict | None = None
        body: list[bytes] = []

        async def send_rewritten(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                is_page = (message.get("status") == 200 and headers.get(b"content-type", b"").startswith(b"text/html")
                           and b"content-encoding" not in headers)
                if not is_page:
                    return await send(message)
                start = message
                return None
            if start is None or message["type"] != "http.response.body":
                return await send(message)
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return None
            page = b"".join(body)
            try:
                out = rewrite_index(page.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:  # not Streamlit's page: as it came
                out = page
            # The length changes; the file's validators would describe the file, not this page.
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k.lower() not in (b"content-length", b"etag", b"last-modified")]
            headers.append((b"content-length", str(len(out)).encode("latin-1")))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": out})
            return None

        await self.app(scope, receive, send_rewritten)
