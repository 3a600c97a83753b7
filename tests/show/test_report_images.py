"""Chart images for the reports (cchc/show/reports/images.py) when something goes wrong: a browser that is not at a
usual place, a chart whose data cannot be sent to the browser, a render that does not come back in time, a browser
that does not start. In every case a chart is left out (None, with a log line), never an exception, and rendering
goes on for the next chart where it can.

These use Debian's chromium as tests/show/test_reports.py does (scripts/test.sh installs it)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import plotly.graph_objects as go
import pytest
from support import ROOT

from cchc.show.reports import images

pytestmark = pytest.mark.filterwarnings("ignore:The kopts argument is ignored")

PNG = b"\x89PNG\r\n\x1a\n"


def bar() -> go.Figure:
    return go.Figure(go.Bar(x=["Tư pháp", "Ia Tul"], y=[0.8, 0.667]))


def test_a_browser_only_on_the_path_is_found(tmp_path, monkeypatch):
    """A server where chromium lives somewhere else than the usual /usr/bin or /snap paths (here: a directory on
    PATH); with no browser anywhere there is none to name."""
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(images, "BROWSER_CANDIDATES", (str(tmp_path / "usr" / "bin" / "chromium"),))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    browser = bin_dir / "chromium-browser"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert images.browser_path() == str(browser)
    browser.unlink()
    assert images.browser_path() is None
    monkeypatch.setenv("BROWSER_PATH", "/opt/trinh-duyet/chrome")  # the administrator's choice always wins
    assert images.browser_path() == "/opt/trinh-duyet/chrome"


def test_a_chart_whose_data_cannot_be_sent_is_left_out(caplog):
    unsendable = go.Figure(go.Bar(x=["a"], y=[1], customdata=[{1, 2}]))  # a set has no JSON form
    with caplog.at_level(logging.WARNING, logger="cchc.reports"):
        assert images.chart_png(unsendable) is None
    assert "chart rendering failed: Object of type set is not JSON serializable" in caplog.text
    assert images.chart_png(bar()).startswith(PNG)  # the next chart is drawn


def test_a_render_that_does_not_come_back_in_time_holds_later_ones_until_it_does(caplog):
    """kaleido pairs requests and answers in order: while a timed-out render is still out, a new one would get its
    answer, so later charts are left out until it has come back; then charts are drawn again."""
    assert images.chart_png(bar()).startswith(PNG)  # the browser is up: only the render itself is timed
    try:
        with caplog.at_level(logging.WARNING, logger="cchc.reports"):
            assert images.chart_png(bar(), timeout=0) is None  # no round trip to the browser takes no time
        assert "chart rendering timed out after 0 s" in caplog.text
        stuck = images._renderer["stuck"]
        assert stuck is not None and stuck.is_alive()
        assert images.chart_png(bar()) is None  # at once: the first answer is still on its way
    finally:
        images._renderer["stuck"].join()
    assert images.chart_png(bar()).startswith(PNG)


SCRIPT = """
import json
from kaleido._sync_server import GlobalKaleidoServer
import plotly.graph_objects as go
from cchc.show.reports import images

started = images.start_renderer()
GlobalKaleidoServer()._thread.join(120)  # the server gives up on a browser that exits at once
first = images.chart_png(go.Figure(go.Bar(x=["a"], y=[1])), timeout=30)
second = images.chart_png(go.Figure(go.Bar(x=["b"], y=[2])), timeout=30)
print(json.dumps({"started": started, "first": first, "second": second, "error": images._renderer["error"],
                  "stuck": images._renderer["stuck"] is not None}))
"""


def test_a_browser_that_does_not_start_leaves_every_chart_out_at_once(tmp_path):
    """BROWSER_PATH names a program that is not a browser (it exits at once): the renderer seems to start, then its
    server stops; charts are left out straight away instead of each waiting for its timeout."""
    environment = {**os.environ, "BROWSER_PATH": "/bin/true"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], check=False, cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"started": True, "first": None, "second": None, "error": "kaleido server stopped",
                      "stuck": False}
