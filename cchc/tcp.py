"""Streamlit's server answers at once on a reused connection: TCP_NODELAY on every connection it accepts.

Streamlit 1.67 binds its listening socket itself, with socket.socket(family): that socket's proto is 0, and asyncio
sets TCP_NODELAY only on connections accepted from a socket whose proto is IPPROTO_TCP. Without it, an answer on a
kept-alive connection sends its headers, then holds its body until the browser's delayed ACK (about 40 ms): a
page that asks for a hundred script chunks over six connections loses a good part of a second to it
(benchmarks/browser_draw.py), and the websocket's small messages wait the same way.

The socket is bound before serve.py is imported (uvicorn imports the app as it starts serving), so the option is
set where each connection begins: in uvicorn's HTTP protocols' connection_made, before anything is sent. A
websocket starts as an HTTP connection, so it keeps the option.
"""

from __future__ import annotations

import functools
import logging
import socket

_LOG = logging.getLogger("cchc")


def set_nodelay(transport) -> bool:
    """TCP_NODELAY on the transport's socket; False when it is not a TCP socket (or refuses)."""
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        return False
    return True


def _with_nodelay(connection_made):
    @functools.wraps(connection_made)
    def connection_made_without_delay(self, transport, *args, **kwargs):
        set_nodelay(transport)
        return connection_made(self, transport, *args, **kwargs)

    connection_made_without_delay.cchc_nodelay = True
    return connection_made_without_delay


def protocol_classes() -> list[type]:
    """uvicorn's HTTP protocol classes that can be imported here (its "auto" is httptools' when installed, else h11's;
    zttp's need a package this project does not install)."""
    classes = []
    try:
        from uvicorn.protocols.http.h11_impl import H11Protocol

        classes.append(H11Protocol)
    except ImportError:
        pass
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        classes.append(HttpToolsProtocol)
    except ImportError:  # httptools is optional
        pass
    return classes


def answer_without_delay() -> bool:
    """Set TCP_NODELAY on every connection uvicorn accepts from now on; True when at least one protocol is mended."""
    classes = protocol_classes()  # none when not served by uvicorn: nothing to mend then
    for cls in classes:
        if not getattr(cls.connection_made, "cchc_nodelay", False):
            cls.connection_made = _with_nodelay(cls.connection_made)
    if not classes:
        _LOG.warning("no uvicorn HTTP protocol found: TCP_NODELAY is not set by cchc (see cchc/tcp.py)")
    return bool(classes)
