"""How long Chromium takes to draw the overview completely, against a Streamlit page holding one Plotly chart.

    python benchmarks/browser_draw.py            # 7 rounds (about 2 minutes)
    python benchmarks/browser_draw.py --quick    # 1 round: a smoke run
    python benchmarks/browser_draw.py --root DIR # another copy of the code

Two real `streamlit run` servers on the sample data, side by side: the dashboard (serve.py) on --port and
benchmarks/reference_page.py on --reference-port, showing the first of the overview's figures (the domain chart,
as the overview sends it). Debian's Chromium through Playwright opens each in turn, every round in a new browser
context (an empty HTTP cache: someone opening the meeting's link) and once more in the same context (the browser's
cache filled: opening it again), the order alternating from round to round.

"Drawn" is measured inside the page, in performance.now() since the navigation started, checked on every animation
frame: the script run has ended (data-test-script-state notRunning), no skeleton is left, there are as many
.js-plotly-plot as the page sends charts and each has its SVG and its traces drawn, and every table has its canvas.
The page also records when the run ended and when the first chart was drawn, which says where the time goes.
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

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
GOAL = 1.25  # the overview drawn in ≤ 1,25 × the time of a page with one Plotly chart
TIMEOUT_MS = 120_000  # an upper bound for one page on a loaded machine, never waited out
VIEWPORT = {"width": 1280, "height": 720}  # a meeting room's projector
OUT_DIR = BENCH_DIR / "out"

# Runs in every page before its own scripts: notes, on each animation frame, when the milestones are first reached.
MILESTONES = """
(() => {
  const marks = window.__cchcMarks = {};
  const drawn = (plot) => plot._fullLayout && plot.querySelector("svg.main-svg") && plot.querySelector(".trace");
  const tick = () => {
    const app = document.querySelector("[data-testid='stApp']");
    const state = app && app.getAttribute("data-test-script-state");
    const idle = state === "notRunning";
    if (state === "running" && marks.state !== "running") marks.runs = (marks.runs || 0) + 1;  // script runs seen
    marks.state = state;
    const plots = [...document.querySelectorAll(".js-plotly-plot")];
    if (idle && marks.idle === undefined) marks.idle = performance.now();
    if (plots.some(drawn) && marks.first_chart === undefined) marks.first_chart = performance.now();
    const ready = idle && !document.querySelector("[data-testid='stSkeleton'], .stSkeleton")
      && plots.length === window.__cchcCharts && plots.every(drawn)
      && [...document.querySelectorAll("[data-testid='stDataFrame']")].every(t => t.querySelector("canvas"));
    if (ready) { marks.drawn = performance.now(); return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""


def load(context, url: str, charts: int) -> dict:
    page = context.new_page()
    try:
        page.add_init_script(f"window.__cchcCharts = {charts};")
        page.add_init_script(MILESTONES)
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__cchcMarks && window.__cchcMarks.drawn !== undefined",
                               timeout=TIMEOUT_MS)
        marks = page.evaluate("() => window.__cchcMarks")
        sizes = page.evaluate("""() => ({
            plots: document.querySelectorAll('.js-plotly-plot').length,
            tables: document.querySelectorAll("[data-testid='stDataFrame'], table.cchc-table").length,  // grids, HTML
            nodes: document.querySelectorAll('*').length,
            plotly_js: (performance.getEntriesByType('resource')  // when Plotly's code had arrived
                        .find(e => /PlotlyChart/.test(e.name)) || {}).responseEnd,
            plotly_asked: (performance.getEntriesByType('resource')  // when the page asked for it
                        .find(e => /PlotlyChart/.test(e.name)) || {}).startTime})""")
        return {**marks, **sizes}
    finally:
        page.close()


def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"cần Chromium của Debian tại {CHROMIUM} (apt-get install chromium)")
    root = Path(args.root).resolve()
    options = [f"--{o.split('=', 1)[0]}={o.split('=', 1)[1]}" for o in args.option]
    with tempfile.TemporaryDirectory(prefix="cchc-draw-") as tmp:
        folder = Path(tmp)
        url = serving.sample_database(folder)
        with serving.streamlit_server(root / "serve.py", args.port, folder / "app.log", cwd=root, options=options,
                                      env={"CCHC_DATABASE_URL": url}) as app:
            first = asyncio.run(serving.view(app.port))  # fills the caches; what the overview sends
            if first.status != 0 or first.exceptions or not first.charts:
                raise SystemExit(f"trang Tổng quan không hiển thị được: {first.exceptions[:2]}")
            figures = folder / "figures.json"
            serving.write_figures(first.charts, figures)
            with serving.streamlit_server(serving.REFERENCE_APP, args.reference_port, folder / "reference.log",
                                          options=options, env={"CCHC_BENCH_FIGURES": str(figures)}) as ref:
                pages = {"overview": (f"{app.base}/", len(first.charts)),
                         "one_chart": (f"{ref.base}/?bieu_do=mot", 1)}
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                    try:
                        return measure(browser, pages, args.rounds) | {
                            "charts": len(first.charts), "chart_bytes": [len(c["spec"]) for c in first.charts],
                            "elements": first.elements, "root": str(root), "environment": serving.environment(),
                            "options": args.option,
                            "browser": browser.version}
                    finally:
                        browser.close()


def measure(browser, pages: dict, rounds: int) -> dict:
    def context():
        return browser.new_context(viewport=VIEWPORT, locale="vi-VN")

    warm = {}
    for name, (url, charts) in pages.items():  # the servers' first visits (st.navigation, caches), unmeasured
        warm[name] = context()
        load(warm[name], url, charts)
    results: dict[str, dict[str, list[dict]]] = {name: {"cold": [], "warm": []} for name in pages}
    try:
        for i in range(rounds):
            order = list(pages) if i % 2 == 0 else list(reversed(pages))
            for name in order:
                url, charts = pages[name]
                fresh = context()
                try:
                    results[name]["cold"].append(load(fresh, url, charts))
                finally:
                    fresh.close()
                results[name]["warm"].append(load(warm[name], url, charts))
            print(f"  lần {i + 1}: " + " · ".join(
                f"{name} {results[name]['cold'][-1]['drawn']:.0f} / {results[name]['warm'][-1]['drawn']:.0f} ms"
                for name in pages), file=sys.stderr, flush=True)
    finally:
        for c in warm.values():
            c.close()
    keys = ("plotly_asked", "idle", "plotly_js", "first_chart", "drawn")
    median = {name: {mode: {key: statistics.median(r[key] for r in runs) for key in keys}
                     for mode, runs in modes.items()} for name, modes in results.items()}
    shape = {name: {k: results[name]["cold"][-1][k] for k in ("plots", "tables", "nodes")} for name in pages}
    return {"rounds": rounds, "median": median, "shape": shape, "raw": results,
            "ratio": {mode: median["overview"][mode]["drawn"] / median["one_chart"][mode]["drawn"]
                      for mode in ("cold", "warm")}}


def report(result: dict) -> str:
    vn, m = serving.vn, result["median"]
    shape = result["shape"]["overview"]
    lines = [f"Chromium {result['browser']}, {VIEWPORT['width']}×{VIEWPORT['height']}, trung vị của {result['rounds']} "
             f"lần; {result['environment']}"
             + (f"; tùy chọn {', '.join(result['options'])}" if result["options"] else ""), "",
             "| Trang | Trình duyệt | Chạy xong | Mã Plotly đã tải | Biểu đồ đầu tiên | Vẽ xong | Tỷ lệ |",
             "|---|---|---:|---:|---:|---:|---:|"]
    labels = {"overview": f"Tổng quan ({shape['plots']} biểu đồ, {shape['tables']} bảng)",
              "one_chart": "Trang Streamlit 1 biểu đồ Plotly"}
    modes = {"cold": "mở lần đầu", "warm": "mở lại"}
    for mode, mode_label in modes.items():
        for name, label in labels.items():
            v = m[name][mode]
            lines.append(f"| {label} | {mode_label} | {vn(v['idle'], 0)} ms | {vn(v['plotly_js'], 0)} ms | "
                         f"{vn(v['first_chart'], 0)} ms | "
                         f"{vn(v['drawn'], 0)} ms | {vn(v['drawn'] / m['one_chart'][mode]['drawn'], 2)} × |")
    lines.append("")
    for mode, mode_label in modes.items():
        ratio = result["ratio"][mode]
        lines.append(f"Tỷ lệ thời gian vẽ xong ({mode_label}), Tổng quan / trang 1 biểu đồ: {vn(ratio, 2)} × "
                     f"(mục tiêu ≤ {vn(GOAL, 2)} ×: {'✔ Đạt' if ratio <= GOAL else '✖ Chưa đạt'})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="1 round")
    parser.add_argument("--port", type=int, default=8631)
    parser.add_argument("--reference-port", type=int, default=8632)
    parser.add_argument("--root", default=str(serving.ROOT), help="the copy of the dashboard to serve")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="a Streamlit option for both servers, e.g. runner.postScriptGC=false")
    parser.add_argument("--out", default=None, help="where to write the raw figures (JSON)")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds = 1
    result = run(args)
    serving.write_result(result, report(result), args.out, OUT_DIR / "browser_draw.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
