"""A roomful opening the meeting's link at once: the server's CPU per view of the overview, against a page that
shows the same figures from precomputed JSON.

    python benchmarks/roomful.py              # 40 sessions at once, 5 rounds (about 3 minutes on 2 cores)
    python benchmarks/roomful.py --quick      # 4 sessions, 1 round: a smoke run
    python benchmarks/roomful.py --root DIR   # serve another copy of the code (a branch, a change being tried)
    python benchmarks/roomful.py --option runner.postScriptGC=false   # a Streamlit option for both servers

Two real `streamlit run` servers on the sample data: the dashboard (serve.py, as scripts/run.sh starts it) on
--port, and benchmarks/reference_page.py on --reference-port. One first view of the overview fills the caches and
gives its Plotly figures as the overview sends them; they go to a JSON file the reference page reads on every view
and hands to st.plotly_chart. Then, each round, N sessions open the overview at the same moment, N the reference
page with those figures, and N the reference page with a title only (what a Streamlit session costs by itself).

Why real websocket sessions rather than AppTest in threads: what 40 people cost the server is also the session
setup, the protobuf messages and Streamlit's per-run work (its garbage collection after every run, the element
registry), none of which AppTest runs as a server does. Each view is a new /_stcore/stream session that sends the
BackMsg a browser sends on opening the page and reads every ForwardMsg until the run has finished; every view is
checked (finished, no exception, every chart). The CPU is the server process's utime + stime from /proc/<pid>/stat,
read when the process has gone quiet before and after the N views (closed sessions cleaned up), divided by N.
Medians over the rounds; the order of the pages alternates from round to round.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import serving

GOAL = 2.0  # CPU per cached view of the overview ≤ 2 × the reference page's
OUT_DIR = BENCH_DIR / "out"


def measure(server: serving.Server, n: int, query: str, charts: int, what: str) -> dict:
    serving.settle(server.pid)
    before = server.cpu_seconds()
    views = serving.views_at_once(server.port, n, query)
    for result in views:
        serving.check(result, charts, what)
    serving.settle(server.pid)
    used = server.cpu_seconds() - before
    return {"cpu_ms_per_view": used / n * 1000, "last_view_s": max(v.seconds for v in views),
            "median_view_s": statistics.median(v.seconds for v in views), "rss_mb": server.rss_mb()}


def run(args) -> dict:
    root = Path(args.root).resolve()
    options = [f"--{o.split('=', 1)[0]}={o.split('=', 1)[1]}" for o in args.option]
    with tempfile.TemporaryDirectory(prefix="cchc-roomful-") as tmp:
        folder = Path(tmp)
        url = serving.sample_database(folder)
        with serving.streamlit_server(root / "serve.py", args.port, folder / "app.log", cwd=root, options=options,
                                      env={"CCHC_DATABASE_URL": url}) as app:
            first = asyncio.run(serving.view(app.port))  # fills the caches; what the overview sends
            if first.status != 0 or first.exceptions or not first.charts:
                raise SystemExit(f"trang Tổng quan không hiển thị được: {first.exceptions[:2]}")
            charts = len(first.charts)
            figures = folder / "figures.json"
            serving.write_figures(first.charts, figures)
            with serving.streamlit_server(serving.REFERENCE_APP, args.reference_port, folder / "reference.log",
                                          options=options, env={"CCHC_BENCH_FIGURES": str(figures)}) as ref:
                pages = {
                    "overview": (app, "", charts, "Tổng quan"),
                    "reference": (ref, "bieu_do=tat_ca", charts, "trang đối chứng"),
                    "session": (ref, "bieu_do=khong", 0, "trang chỉ có tiêu đề"),
                }
                for server, query, count, what in pages.values():  # warm: every cache filled, every module loaded
                    serving.check(asyncio.run(serving.view(server.port, query)), count, what)
                rounds: dict[str, list[dict]] = {name: [] for name in pages}
                for i in range(args.rounds):
                    order = list(pages) if i % 2 == 0 else list(reversed(pages))
                    for name in order:
                        server, query, count, what = pages[name]
                        rounds[name].append(measure(server, args.sessions, query, count, what))
                    print(f"  lần {i + 1}: " + " · ".join(
                        f"{pages[n][3]} {serving.vn(rounds[n][-1]['cpu_ms_per_view'], 1)} ms CPU" for n in pages),
                        file=sys.stderr, flush=True)
    median = {name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
              for name, runs in rounds.items()}
    return {"sessions": args.sessions, "rounds": rounds, "median": median, "charts": charts,
            "chart_bytes": [len(c["spec"]) for c in first.charts], "options": args.option,
            "root": str(root), "environment": serving.environment(),
            "ratio": median["overview"]["cpu_ms_per_view"] / median["reference"]["cpu_ms_per_view"]}


def report(result: dict) -> str:
    n, m, vn = result["sessions"], result["median"], serving.vn
    ref = m["reference"]["cpu_ms_per_view"]
    rows = [
        ("Tổng quan (serve.py, dữ liệu mẫu, đã có cache)", m["overview"]),
        (f"Trang đối chứng: {result['charts']} biểu đồ của Tổng quan đọc từ JSON", m["reference"]),
        ("Trang chỉ có tiêu đề (chi phí của một phiên Streamlit)", m["session"]),
    ]
    lines = [f"{n} phiên mở cùng lúc, trung vị của {len(result['rounds']['overview'])} lần; {result['environment']}"
             + (f"; tùy chọn {', '.join(result['options'])}" if result["options"] else ""),
             "", (f"| Trang | CPU máy chủ mỗi lượt xem | Tỷ lệ | {n} lượt cùng lúc: người cuối thấy trang sau "
                  "| Bộ nhớ máy chủ |"), "|---|---:|---:|---:|---:|"]
    for label, values in rows:
        lines.append(f"| {label} | {vn(values['cpu_ms_per_view'], 1)} ms | "
                     f"{vn(values['cpu_ms_per_view'] / ref, 2)} × | {vn(values['last_view_s'], 1)} s | "
                     f"{vn(values['rss_mb'], 0)} MB |")
    ok = result["ratio"] <= GOAL
    lines += ["", (f"Tỷ lệ CPU mỗi lượt xem, Tổng quan / trang đối chứng: {vn(result['ratio'], 2)} × "
                   f"(mục tiêu ≤ {vn(GOAL, 0)} ×: {'✔ Đạt' if ok else '✖ Chưa đạt'})")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=40, help="sessions opened at the same moment (40)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="4 sessions, 1 round")
    parser.add_argument("--port", type=int, default=8631)
    parser.add_argument("--reference-port", type=int, default=8632)
    parser.add_argument("--root", default=str(serving.ROOT), help="the copy of the dashboard to serve")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="a Streamlit option for both servers, e.g. runner.postScriptGC=false")
    parser.add_argument("--out", default=None, help="where to write the raw figures (JSON)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sessions, args.rounds = 4, 1
    result = run(args)
    serving.write_result(result, report(result), args.out, OUT_DIR / "roomful.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
