"""What benchmarks/roomful.py and benchmarks/browser_draw.py share: real `streamlit run` servers, views through
Streamlit's own websocket protocol, and a process's CPU time read from /proc.

A view is what a browser opening the page makes the server do: open /_stcore/stream (a new session), send one
BackMsg.rerun_script, receive ForwardMsgs (protobuf) until the run's script_finished. The client checks every view:
the run must end successfully, without an exception element, and with the Plotly charts the page draws.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
REFERENCE_APP = BENCH_DIR / "reference_page.py"
READY_LINE = "You can now view your Streamlit app"
START_TIMEOUT_S = 120  # an upper bound for a loaded machine, never waited out when the server is up


def sample_database(folder: Path) -> str:
    """A SQLite file in `folder` with the shipped sample data (Kế hoạch 75, Ia Pa, and the 2019 statistics)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from cchc.ingest import load_sample_data
    from cchc.store.database import Store

    url = f"sqlite:///{folder / 'mau.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    store.dispose()
    return url


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: closed sessions linger
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path
    base: str = field(init=False)

    def __post_init__(self):
        self.base = f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.pid)

    def rss_mb(self) -> float:
        """The resident memory now (VmRSS in /proc/<pid>/status)."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as f:
            kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        return kb / 1024


@contextmanager
def streamlit_server(script: Path, port: int, log: Path, env: dict | None = None,
                     options: list[str] | None = None, cwd: Path | None = None,
                     start_timeout_s: float = START_TIMEOUT_S):
    """`python -m streamlit run script` on 127.0.0.1:port until the block ends; its output goes to `log`."""
    if not port_is_free(port):
        raise SystemExit(f"cổng {port} đang bận: chọn cổng khác (--port)")
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false", *(options or [])]
    inherited = {k: v for k, v in os.environ.items() if k not in ("CCHC_AUTH", "CCHC_LOGIN_REQUIRED")}
    process = subprocess.Popen(command, cwd=str(cwd or script.parent), env={**inherited, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                               errors="replace")
    ready = threading.Event()

    def copy_log() -> None:  # keeps the pipe drained for the server's whole life
        with open(log, "w", encoding="utf-8") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()
                if READY_LINE in line:
                    ready.set()
        ready.set()

    reader = threading.Thread(target=copy_log, daemon=True)
    reader.start()
    server = Server(process, port, log)
    try:
        if not ready.wait(start_timeout_s) or process.poll() is not None:
            raise SystemExit(f"streamlit không khởi động được ({script}):\n{log.read_text(encoding='utf-8')}")
        with urllib.request.urlopen(f"{server.base}/_stcore/health", timeout=30) as answer:
            if answer.read() != b"ok":
                raise SystemExit(f"{server.base}/_stcore/health không trả lời ok")
        yield server
    finally:
        process.terminate()  # only the process this function started
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of the process, all its threads, from /proc/<pid>/stat (no psutil)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, quiet_s: float = 0.3, limit_s: float = 10.0) -> None:
    """Wait until the process has used no CPU for `quiet_s` (closed sessions are cleaned up after the client has
    left), at most `limit_s`."""
    end = time.monotonic() + limit_s
    last = process_cpu_seconds(pid)
    while time.monotonic() < end:
        time.sleep(quiet_s)
        now = process_cpu_seconds(pid)
        if now == last:
            return
        last = now


@dataclass
class View:
    charts: list[dict]          # each Plotly chart's spec and config, as sent
    elements: dict[str, int]    # element kind → count
    exceptions: list[str]
    status: int | None
    seconds: float


async def view(port: int, query: str = "", page: str = "") -> View:
    """One browser's first visit: a new session, one script run, every message until it has finished."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.perf_counter()
    charts: list[dict] = []
    elements: dict[str, int] = {}
    exceptions: list[str] = []
    status = None
    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=START_TIMEOUT_S) as ws:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        state.page_name = page
        state.context_info.timezone = "Asia/Ho_Chi_Minh"
        state.context_info.locale = "vi-VN"
        state.context_info.url = f"http://127.0.0.1:{port}/{page}" + (f"?{query}" if query else "")
        await ws.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                name = element.WhichOneof("type")
                elements[name] = elements.get(name, 0) + 1
                if name == "plotly_chart":
                    charts.append({"spec": element.plotly_chart.spec, "config": element.plotly_chart.config})
                elif name == "exception":
                    exceptions.append(element.exception.message)
            elif kind == "script_finished":
                status = forward.script_finished
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # an st.rerun: the next run is the view
                    break
    return View(charts, elements, exceptions, status, time.perf_counter() - started)


def check(result: View, charts: int, what: str) -> None:
    if result.status != 0 or result.exceptions or len(result.charts) != charts:
        raise SystemExit(f"{what}: lượt xem không đúng (trạng thái {result.status}, lỗi {result.exceptions[:2]}, "
                         f"{len(result.charts)} biểu đồ, cần {charts}; các phần tử {result.elements})")


def views_at_once(port: int, n: int, query: str = "") -> list[View]:
    """`n` sessions opened at the same moment, as a roomful opening one link."""
    async def all_of_them():
        return await asyncio.gather(*(view(port, query) for _ in range(n)))

    return asyncio.run(all_of_them())


def write_figures(charts: list[dict], path: Path) -> None:
    path.write_text(json.dumps(charts, ensure_ascii=False), encoding="utf-8")


def environment() -> str:
    import platform

    import plotly
    import streamlit

    return (f"Python {platform.python_version()}, {os.cpu_count()} nhân, {platform.system()} {platform.release()}; "
            f"Streamlit {streamlit.__version__}, Plotly {plotly.__version__}")


def vn(value: float, digits: int = 2) -> str:
    """1.234,56: the README's number format."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from cchc import formatting

    return formatting.number(value, digits)


def write_result(result: dict, table: str, out: str | None, default: Path) -> None:
    """Print a benchmark's table and keep its raw figures (JSON) at `out`, or at `default`."""
    print(table)
    path = Path(out) if out else default
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**result, "table": table}, ensure_ascii=False, indent=1), encoding="utf-8")
