"""Charts as PNG images, through kaleido 1.x and a local Chromium (offline: no MathJax, plotly.js from the
installed package). One kaleido server runs per process (`start_renderer`); renders are serialised and time-limited,
and a chart that cannot be drawn leaves a Vietnamese note in its place: the report is always produced.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import warnings
from pathlib import Path

import plotly.graph_objects as go

from .content import CHART_WIDTH, Report

log = logging.getLogger("cchc.reports")

# ---------------------------------------------------------------------------------------------------------------- #
# Charts as images: one kaleido server per process
# ---------------------------------------------------------------------------------------------------------------- #

CHART_TIMEOUT = 60.0  # seconds for one chart, the browser's start included
_START_LOCK = threading.Lock()
_RENDER_LOCK = threading.Lock()
_renderer: dict = {"started": False, "error": None, "stuck": None}
BROWSER_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                      "/usr/bin/google-chrome-stable", "/snap/bin/chromium")


def browser_path() -> str | None:
    """The browser kaleido drives: $BROWSER_PATH, else choreographer's own lookup, else Debian's chromium."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env
    try:
        from choreographer.utils import get_browser_path

        found = get_browser_path()
    except Exception:  # noqa: BLE001 - a lookup failure only means we look ourselves
        found = None
    if found:
        return str(found)
    for candidate in BROWSER_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def start_renderer() -> bool:
    """Start kaleido's sync server once per process (thread-safe); False when charts cannot be drawn."""
    with _START_LOCK:
        if _renderer["started"]:
            return _renderer["error"] is None
        _renderer["started"] = True
        try:
            import kaleido

            path = browser_path()
            if path is None or not (Path(path).is_file() or shutil.which(path)):
                raise RuntimeError(f"không tìm thấy trình duyệt Chromium ({path or 'BROWSER_PATH'})")
            # plotly passes its defaults as kopts, which a running server ignores (and warns about every chart)
            warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
            kaleido.start_sync_server(mathjax=False, path=path, silence_warnings=True)
        except Exception as exc:  # noqa: BLE001 - the report goes on without images
            _renderer["error"] = str(exc) or type(exc).__name__
            log.warning("chart rendering unavailable: %s", exc)
            return False
        return True


def _server_alive() -> bool:
    try:
        from kaleido._sync_server import GlobalKaleidoServer

        thread = getattr(GlobalKaleidoServer(), "_thread", None)
        return thread is None or thread.is_alive()
    except Exception:  # noqa: BLE001 - a kaleido without this internal: assume alive, the timeout still guards
        return True


def chart_png(fig: go.Figure, width: int = CHART_WIDTH, height: int | None = None, scale: float = 2,
              timeout: float = CHART_TIMEOUT) -> bytes | None:
    """A figure as PNG bytes, or None when it cannot be drawn (no browser, a crash, a timeout); never raises.

    Renders are serialised: kaleido's sync server pairs requests and answers through shared queues.
    """
    if not start_renderer():
        return None
    height = int(height or fig.layout.height or 460)
    with _RENDER_LOCK:
        stuck = _renderer["stuck"]
        if stuck is not None and stuck.is_alive():
            return None  # an earlier render never came back; later answers would be paired with it
        if not _server_alive():
            _renderer["error"] = "kaleido server stopped"
            return None
        box: dict = {}

        def run():
            try:
                box["png"] = fig.to_image(format="png", width=width, height=height, scale=scale)
            except BaseException as exc:  # noqa: BLE001 - reported below
                box["error"] = exc

        worker = threading.Thread(target=run, name="cchc-chart", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            _renderer["stuck"] = worker
            log.warning("chart rendering timed out after %.0f s", timeout)
            return None
        if "error" in box:
            log.warning("chart rendering failed: %s", box["error"])
            return None
        return box.get("png")


def _image_figure(fig: go.Figure) -> go.Figure:
    """The figure without its title (the page or slide shows it), with room left for the legend."""
    image = go.Figure(fig)
    margin = image.layout.margin
    image.update_layout(title=dict(text="", subtitle=dict(text="")),
                        margin=dict(t=60 if image.layout.showlegend is not False else 40,
                                    l=margin.l if margin.l is not None else 10,
                                    r=margin.r if margin.r is not None else 30,
                                    b=margin.b if margin.b is not None else 40))
    return image


def render_images(report: Report, width: int = CHART_WIDTH) -> dict[int, bytes | None]:
    """PNG bytes of every figure (None where it could not be drawn), rendered once and kept on the report."""
    for _, fig in report.figures:
        if id(fig) not in report.images:
            # the title is left out of the image; short charts grow to fill a landscape page or a 16:9 slide
            height = max(int(fig.layout.height or 460) - 40, int(width / 2.15))
            report.images[id(fig)] = chart_png(_image_figure(fig), width=width, height=height)
    return report.images


def chart_failed_note(title: str) -> str:
    return (f"Không dựng được biểu đồ “{title}” thành hình ảnh (cần trình duyệt Chromium trên máy chủ). "
            "Xem biểu đồ trên bảng điều hành hoặc trong báo cáo HTML.")
