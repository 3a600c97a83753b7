"""Benchmarks: ingest, page renders and national aggregation, each measured against a baseline in the same run.

    python benchmarks/run.py            # full run (well under 15 minutes on 2 cores)
    python benchmarks/run.py --quick    # everything small, < 2 minutes (a smoke test)

    # PostgreSQL too (the database named in the URL is wiped: its name must contain "bench"):
    eval "$(bash scripts/postgres.sh start)"
    psql "${CCHC_TEST_POSTGRES_URL/+psycopg/}" -c 'CREATE DATABASE cchc_bench'
    CCHC_BENCH_POSTGRES_URL=${CCHC_TEST_POSTGRES_URL%/postgres}/cchc_bench python benchmarks/run.py

What is measured (medians of 3 runs, 5 for the pages; 1 with --quick):
  1. Ingest of a 100.000-row workbook in the project's template and of a 12-sheet Biểu 06 workbook of 300 units:
     `check_file` alone and `check_file` + `Store.import_stats` into a fresh SQLite file, each as a ratio to
     `pd.read_excel(path, sheet_name=None, engine="calamine")` of the same file.
  2. Every page through AppTest on province data (300 units × 60 months + the sample plan): first render with
     the caches cleared and the cached rerun, as ratios to a page holding only st.title; then the process's
     peak memory (ru_maxrss).
  3. The chart aggregations (Store.stats_grouped / stats_totals) on national data (10.000 units × 60 months,
     stored through Store.import_stats): time, rows returned against rows aggregated, tracemalloc peak and the
     query process's ru_maxrss. SQLite, and PostgreSQL when CCHC_BENCH_POSTGRES_URL is set.

Each part runs in its own Python process (this script with --phase), so every ru_maxrss belongs to that part
alone. Generated data goes to a temporary directory, never into data/. The table is printed and written to
benchmarks/out/last_run.md (all raw figures to benchmarks/out/last_run.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
for path in (ROOT, BENCH_DIR):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from cchc import formatting as fmt  # noqa: E402

PAGES = {  # path: Vietnamese title
    "pages/tong_quan.py": "Tổng quan",
    "pages/giai_quyet.py": "Giải quyết hồ sơ",
    "pages/truc_tuyen.py": "Trực tuyến và BCCI",
    "pages/tieu_chi.py": "Tiêu chí và điểm",
    "pages/gia_dinh.py": "Giả định",
    "pages/don_vi.py": "Đơn vị",
    "pages/du_lieu.py": "Dữ liệu",
}
DEFAULT_PAGE = "pages/tong_quan.py"
PLAN_FILE = ROOT / "data" / "ke_hoach_75_2019.xlsx"

# Goals of the issue "Fast at province and national scale".
INGEST_GOAL = 1.5  # check + store ≤ 1,5 × the raw calamine read
FIRST_RENDER_GOAL = 3.0  # ≤ 3 × an empty page
CACHED_RERUN_GOAL = 1.5  # ≤ 1,5 × an empty page's rerun
MEMORY_GOAL_MB = 1024.0  # < 1 GB
# Aggregation "in SQL": the expected number of groups comes back, and Python's peak stays under this share of the
# peak of loading the aggregated rows themselves (Store.stats_records, measured in the same process).
SQL_MEMORY_SHARE = 0.25


def config(quick: bool) -> dict:
    if quick:
        return {"repeats": 1, "page_repeats": 1, "ingest_units": 200, "ingest_months": 50, "bieu06_units": 60,
                "province_units": 60, "province_months": 24, "national_units": 1000, "national_months": 24}
    return {"repeats": 3, "page_repeats": 5, "ingest_units": 2000, "ingest_months": 50, "bieu06_units": 300,
            "province_units": 300, "province_months": 60, "national_units": 10_000, "national_months": 60}


# ---------------------------------------------------------------------------------------------------------------
# Measuring helpers
# ---------------------------------------------------------------------------------------------------------------

def timed(fn, *args, **kwargs):
    gc.collect()
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def maxrss_mb() -> float:
    """The process's peak resident memory so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def log(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Phase 1: ingest
# ---------------------------------------------------------------------------------------------------------------

def phase_ingest(workdir: Path, cfg: dict) -> dict:
    import generate
    import pandas as pd

    from cchc.ingest import check_file
    from cchc.sample import build_bieu06_workbook, build_template_workbook
    from cchc.store.database import Store

    template_size = generate.custom_size(cfg["ingest_units"], cfg["ingest_months"], "ingest")
    table = generate.generate(template_size)
    build_s, data = timed(build_template_workbook, table)
    template_path = workdir / f"thong_ke_{len(table)}_dong.xlsx"
    template_path.write_bytes(data)
    log(f"  tệp mẫu: {len(table)} dòng, {len(data) / 1e6:.1f} MB, tạo trong {build_s:.1f} s")

    bieu_size = generate.custom_size(cfg["bieu06_units"], 12, "bieu06")
    bieu_table = generate.generate(bieu_size)
    bieu_build_s, bieu_data = timed(build_bieu06_workbook, bieu_table, "UBND tỉnh Mẫu", False)
    bieu_path = workdir / "bieu06_2024.xlsx"
    bieu_path.write_bytes(bieu_data)
    log(f"  Biểu 06: {bieu_size.units} đơn vị × 12 sheet, {len(bieu_data) / 1e6:.2f} MB, tạo trong {bieu_build_s:.1f} s")
    del table, bieu_table

    results = {}
    for key, path, rows in (("template", template_path, template_size.rows), ("bieu06", bieu_path, bieu_size.rows)):
        data = path.read_bytes()
        runs = {"raw": [], "check": [], "store": [], "check_store": []}
        problems: list[str] = []
        for i in range(cfg["repeats"]):
            raw_s, raw = timed(pd.read_excel, path, sheet_name=None, engine="calamine")
            del raw
            store = Store(f"sqlite:///{workdir / f'ingest_{key}_{i}.sqlite'}")
            check_s, result = timed(check_file, data, path.name)
            if not result.ok or result.kind != "stats":
                problems.append(f"check_file refused {path.name}: {result.findings.errors[:3]}")
                store.dispose()
                break
            if len(result.stats.records) != rows:
                problems.append(f"{path.name}: read {len(result.stats.records)} rows, expected {rows}")
            store_s, _ = timed(store.import_stats, result.stats.records, data, path.name, "benchmark")
            store.dispose()
            del result
            runs["raw"].append(raw_s)
            runs["check"].append(check_s)
            runs["store"].append(store_s)
            runs["check_store"].append(check_s + store_s)
            log(f"  {path.name} lần {i + 1}: calamine {raw_s:.2f} s · kiểm tra {check_s:.2f} s · lưu {store_s:.2f} s")
        results[key] = {"file": path.name, "bytes": len(data), "rows": rows, "runs": runs,
                        "median": {k: median(v) for k, v in runs.items()}, "problems": problems}
    results["build"] = {"template_s": build_s, "bieu06_s": bieu_build_s}
    results["maxrss_mb"] = maxrss_mb()
    return results


# ---------------------------------------------------------------------------------------------------------------
# Phase 2: province data and the pages
# ---------------------------------------------------------------------------------------------------------------

def phase_province(workdir: Path, cfg: dict) -> dict:
    import generate

    from cchc.ingest import import_file
    from cchc.store.database import Store

    size = generate.custom_size(cfg["province_units"], cfg["province_months"], "province") \
        if (cfg["province_units"], cfg["province_months"]) != (300, 60) else generate.PROVINCE
    url = f"sqlite:///{workdir / 'province.sqlite'}"
    store = Store(url)
    plan_s, (result, outcome) = timed(import_file, store, PLAN_FILE.read_bytes(), PLAN_FILE.name, "benchmark")
    if outcome is None:
        raise RuntimeError(f"the sample plan failed its check: {result.findings.errors[:3]}")
    stored = generate.store_size(store, size)
    periods = store.stats_periods()
    units = store.stats_units()
    store.dispose()
    log(f"  tỉnh: {stored['rows']} dòng ({size.units} đơn vị × {size.months} tháng), sinh {stored['generate_s']:.2f} s, "
        f"lưu {stored['store_s']:.2f} s; kế hoạch {plan_s:.2f} s")
    commune = units.loc[units["level"] == "xã", "unit"].iloc[0]
    return {"url": url, "units": size.units, "months": size.months, "rows": stored["rows"], "plan_s": plan_s,
            "generate_s": stored["generate_s"], "store_s": stored["store_s"], "first_period": periods[0],
            "last_period": periods[-1], "unit_for_page": commune}


FLOOR_PAGE = '''import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.title("Một biểu đồ và một bảng")
months = [f"2024-{m:02d}" for m in range(1, 13)]
st.plotly_chart(go.Figure(go.Scatter(x=months, y=[0.9 + m / 200 for m in range(12)])), width="stretch")
st.dataframe(pd.DataFrame({"Đơn vị": [f"UBND xã Mẫu {i:04d}" for i in range(300)], "Tỷ lệ": range(300)}),
             hide_index=True)
'''


def phase_pages(workdir: Path, cfg: dict, province: dict) -> dict:
    os.environ["CCHC_DATABASE_URL"] = province["url"]
    import streamlit as st
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.testing.v1 import AppTest

    # A server keeps one ScriptCache (compiled bytecode, after Streamlit's "magic" AST pass) for all sessions and
    # reruns; AppTest makes a new one on every run, which would charge ~20 ms of compiling app.py and the page to
    # every rerun here and almost nothing to the one-line empty page. One shared cache, as in a server.
    if hasattr(app_test_module, "ScriptCache"):
        shared_script_cache = app_test_module.ScriptCache()
        app_test_module.ScriptCache = lambda: shared_script_cache

    app = str(ROOT / "app.py")
    empty = workdir / "trang_trong.py"
    empty.write_text('import streamlit as st\n\nst.title("Trang trống")\n', encoding="utf-8")
    # A reference, not a goal: the smallest page that draws what every dashboard page draws.
    floor = workdir / "trang_toi_thieu.py"
    floor.write_text(FLOOR_PAGE, encoding="utf-8")
    params = {"pages/don_vi.py": {"don_vi": province["unit_for_page"]}}
    rss_before = maxrss_mb()

    def clear():
        st.cache_data.clear()
        st.cache_resource.clear()

    def problems_of(at) -> list[str]:
        return [str(e.value)[:300] for e in at.exception] + [str(e.value)[:300] for e in at.error]

    def render(script: str, page: str | None = None) -> tuple[float, float, AppTest]:
        """(first render with cold caches, cached rerun, the AppTest) of one page.

        Every AppTest runs once unmeasured first: its first run scans the installed packages for components
        (about 60 ms here), a cost a real server pays once at start, not per page. Then the page is opened, the
        caches are cleared (st.cache_data, st.cache_resource: the store is opened again), and the next two runs
        are "first render" and "cached rerun". The empty page goes through exactly the same steps.
        """
        at = AppTest.from_file(script, default_timeout=600)
        for key, value in params.get(page, {}).items():
            at.query_params[key] = value
        at.run()  # app.py renders the default page; AppTest can only switch pages after one run
        if page is not None and page != DEFAULT_PAGE:
            at.switch_page(page)
        clear()
        first, _ = timed(at.run)
        cached, _ = timed(at.run)
        return first, cached, at

    # Warm-up (not measured): imports and bytecode, as in a server that is already running.
    render(str(empty))
    render(str(floor))
    for page in PAGES:
        render(app, page)

    runs = {key: {"first": [], "cached": []} for key in ("empty", "floor", *PAGES)}
    problems: dict[str, list[str]] = {}
    elements: dict[str, dict] = {}
    seen_filters = None
    for i in range(cfg["page_repeats"]):
        for key, script in (("empty", empty), ("floor", floor)):
            first, cached, at = render(str(script))
            runs[key]["first"].append(first)
            runs[key]["cached"].append(cached)
            if problems_of(at):
                problems[key] = problems_of(at)
        log(f"  lần {i + 1} trang trống: {runs['empty']['first'][-1] * 1000:.1f} ms · "
            f"{runs['empty']['cached'][-1] * 1000:.1f} ms; trang 1 biểu đồ + 1 bảng: "
            f"{runs['floor']['first'][-1] * 1000:.1f} ms · {runs['floor']['cached'][-1] * 1000:.1f} ms")
        for page in PAGES:
            first, cached, at = render(app, page)
            runs[page]["first"].append(first)
            runs[page]["cached"].append(cached)
            issues = problems_of(at)
            if issues:
                problems[page] = issues
            elements[page] = {"charts": len(at.get("plotly_chart")), "tables": len(at.dataframe),
                              "metrics": len(at.metric)}
            if page == DEFAULT_PAGE:
                try:
                    seen_filters = repr(at.session_state["filters"])
                except (KeyError, AttributeError):
                    seen_filters = None
            log(f"  lần {i + 1} {PAGES[page]}: lần đầu {first:.2f} s · chạy lại {cached:.2f} s")
    clear()
    return {"runs": runs, "median": {k: {m: median(v) for m, v in r.items()} for k, r in runs.items()},
            "problems": problems, "elements": elements, "filters": seen_filters, "maxrss_before_mb": rss_before, "maxrss_mb": maxrss_mb()}


# ---------------------------------------------------------------------------------------------------------------
# Phase 3: national data in the database, aggregated there
# ---------------------------------------------------------------------------------------------------------------

def _national_size(cfg: dict):
    import generate

    if (cfg["national_units"], cfg["national_months"]) == (10_000, 60):
        return generate.NATIONAL
    return generate.custom_size(cfg["national_units"], cfg["national_months"], "national")


def _wipe(url: str) -> None:
    """Drop every table of a benchmark database, the migrations' bookkeeping too (refused unless the
    database's name says "bench")."""
    import sqlalchemy as sa

    database = sa.engine.make_url(url).database or ""
    if "bench" not in database:
        raise SystemExit(f"CCHC_BENCH_POSTGRES_URL names the database {database!r}: the benchmark wipes it, so its "
                         "name must contain 'bench' (e.g. cchc_bench)")
    engine = sa.create_engine(url)
    existing = sa.MetaData()
    existing.reflect(engine)
    existing.drop_all(engine)
    engine.dispose()


def phase_national_store(workdir: Path, cfg: dict, backend: str) -> dict:
    import generate

    from cchc.store.database import Store

    size = _national_size(cfg)
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'national.sqlite'}"
    else:
        url = os.environ["CCHC_BENCH_POSTGRES_URL"]
        _wipe(url)
    # The numpy generation alone, all months (what "seconds, not minutes" is about).
    generate_s, _ = timed(lambda: sum(len(f) for f in generate.iter_months(size)))
    store = Store(url)

    def progress(done: int, total: int) -> None:
        if done == total or done // size.units % 12 == 0:
            log(f"  {backend}: đã lưu {done:,} / {total:,} dòng")

    stored = generate.store_size(store, size, progress=progress)
    if backend == "postgresql":
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    store.dispose()
    return {"url": url, "units": size.units, "months": size.months, "rows": stored["rows"],
            "imports": stored["imports"], "generate_s": generate_s, "store_s": stored["store_s"],
            "maxrss_mb": maxrss_mb()}


def phase_national_query(workdir: Path, cfg: dict, backend: str, stored: dict) -> dict:
    import sqlalchemy as sa
    from sqlalchemy import event

    from cchc.store.database import Store, stats_rows

    store = Store(stored["url"])
    periods = store.stats_periods()
    year = int(periods[-1][:4])
    start, end = f"{year}-01", f"{year}-12"
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: statements.append(statement))

    def count(where_year: bool) -> int:
        query = sa.select(sa.func.count()).select_from(stats_rows).where(stats_rows.c.current)
        if where_year:
            query = query.where(stats_rows.c.period >= start, stats_rows.c.period <= end)
        with store.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def distinct(column: str, where_year: bool) -> int:
        query = sa.select(sa.func.count(sa.distinct(stats_rows.c[column]))).where(stats_rows.c.current)
        if where_year:
            query = query.where(stats_rows.c.period >= start, stats_rows.c.period <= end)
        with store.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    queries = [  # (key, label, call, expected groups, year only)
        ("by_period", f"theo tháng, năm {year}",
         lambda: store.stats_grouped(by=("period",), start=start, end=end), distinct("period", True), True),
        ("by_unit", f"theo đơn vị, năm {year}",
         lambda: store.stats_grouped(by=("unit", "level"), start=start, end=end), distinct("unit", True), True),
        ("by_level", f"theo cấp, năm {year}",
         lambda: store.stats_grouped(by=("level",), start=start, end=end), distinct("level", True), True),
        ("totals", f"tổng cộng {len(periods)} tháng",
         lambda: store.stats_totals(), 1, False),
    ]
    rss_before = maxrss_mb()
    results = {}
    for key, label, call, expected, year_only in queries:
        aggregated = count(year_only)
        call()  # warm-up: the database's page cache, SQLAlchemy's statement cache
        times = []
        for _ in range(cfg["repeats"]):
            seconds, out = timed(call)
            times.append(seconds)
        returned = len(out) if hasattr(out, "__len__") and not isinstance(out, dict) else 1
        statements.clear()
        gc.collect()
        tracemalloc.start()
        tracemalloc.reset_peak()
        call()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sql = next((s for s in statements if "sum(" in s.lower()), statements[-1] if statements else "")
        results[key] = {"label": label, "times": times, "median_s": median(times), "returned": returned,
                        "expected": expected, "aggregated": aggregated, "tracemalloc_peak_mb": peak / 1e6,
                        "sql": " ".join(sql.split())}
        log(f"  {backend} {label}: {median(times) * 1000:.0f} ms, {returned} dòng trả về từ {aggregated:,} dòng, "
            f"tracemalloc đỉnh {peak / 1e6:.2f} MB")
    rss_queries = maxrss_mb()

    # The contrast: the same year's rows brought into pandas (what aggregating in SQL avoids). After the
    # process's peak memory was read, so that figure stays the aggregations' own.
    records_s, frame = timed(store.stats_records, start=start, end=end)
    loaded = len(frame)
    del frame
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    frame = store.stats_records(start=start, end=end)
    _, records_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del frame
    per_row = records_peak / max(1, loaded)
    log(f"  {backend} đối chứng stats_records năm {year}: {records_s:.2f} s, {loaded:,} dòng, "
        f"tracemalloc đỉnh {records_peak / 1e6:.0f} MB")
    for key, q in results.items():
        sql = q["sql"].lower()
        # In SQL: the statement sums (and groups), only the groups come back, and Python's peak stays a small
        # share of what the aggregated rows take when they are loaded.
        q["as_rows_mb"] = per_row * q["aggregated"] / 1e6
        q["in_sql"] = bool("sum(" in sql and ("group by" in sql or key == "totals")
                           and q["returned"] == q["expected"]
                           and q["tracemalloc_peak_mb"] < SQL_MEMORY_SHARE * q["as_rows_mb"])
    store.dispose()
    return {"backend": backend, "year": year, "queries": results, "maxrss_before_mb": rss_before,
            "maxrss_mb": rss_queries, "records": {"seconds": records_s, "rows": loaded,
                                                  "tracemalloc_peak_mb": records_peak / 1e6},
            "maxrss_after_records_mb": maxrss_mb()}


# ---------------------------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------------------------

def t_text(seconds: float) -> str:
    if seconds != seconds:
        return "–"
    if seconds < 1:
        return f"{fmt.number(seconds * 1000, 0 if seconds >= 0.01 else 1)} ms"
    return f"{fmt.number(seconds, 2)} s"


def ratio_text(value: float) -> str:
    return "–" if value != value else f"{fmt.number(value, 2)} ×"


def mb_text(mb: float) -> str:
    return f"{fmt.number(mb, 0)} MB"


def ok_text(ok: bool | None) -> str:
    return "–" if ok is None else ("✔ Đạt" if ok else "✖ Chưa đạt")


def build_rows(results: dict, cfg: dict) -> list[tuple[str, str, str, str, str]]:
    rows = []

    def add(measure, seconds, ratio, goal, ok):
        rows.append((measure, seconds if isinstance(seconds, str) else t_text(seconds),
                     ratio if isinstance(ratio, str) else ratio_text(ratio), goal, ok_text(ok)))

    ingest = results.get("ingest")
    if ingest:
        for key, title in (("template", f"Tệp mẫu {fmt.number(ingest['template']['rows'])} dòng"),
                           ("bieu06", f"Biểu 06, 12 sheet × {fmt.number(cfg['bieu06_units'])} đơn vị")):
            part = ingest[key]
            m = part["median"]
            size = f"{fmt.number(part['bytes'] / 1e6, 1)} MB"
            add(f"{title} ({size}): đọc thô calamine", m["raw"], "1 ×", "mốc so sánh", None)
            add(f"{title}: kiểm tra (check_file)", m["check"], m["check"] / m["raw"], "tham khảo", None)
            add(f"{title}: kiểm tra + lưu (import_stats, SQLite)", m["check_store"], m["check_store"] / m["raw"],
                f"≤ {fmt.number(INGEST_GOAL, 1)} ×",
                not part["problems"] and m["check_store"] / m["raw"] <= INGEST_GOAL)
    pages = results.get("pages")
    if pages:
        province = results["province"]
        base = pages["median"]["empty"]
        add("Trang trống (st.title): lần đầu", base["first"], "1 ×", "mốc so sánh", None)
        add("Trang trống (st.title): chạy lại", base["cached"], "1 ×", "mốc so sánh", None)
        floor = pages["median"]["floor"]
        add("Trang tối thiểu: 1 biểu đồ Plotly + 1 bảng: lần đầu", floor["first"], floor["first"] / base["first"],
            "tham khảo", None)
        add("Trang tối thiểu: 1 biểu đồ Plotly + 1 bảng: chạy lại", floor["cached"], floor["cached"] / base["cached"],
            "tham khảo", None)
        scope = f"tỉnh {fmt.number(province['units'])} đơn vị × {province['months']} tháng"
        for page, title in PAGES.items():
            m = pages["median"][page]
            broken = page in pages["problems"]
            add(f"Trang {title} ({scope}): lần đầu, đã xóa cache", m["first"], m["first"] / base["first"],
                f"≤ {fmt.number(FIRST_RENDER_GOAL, 0)} ×", not broken and m["first"] / base["first"] <= FIRST_RENDER_GOAL)
            add(f"Trang {title}: chạy lại (cache)", m["cached"], m["cached"] / base["cached"],
                f"≤ {fmt.number(CACHED_RERUN_GOAL, 1)} ×",
                not broken and m["cached"] / base["cached"] <= CACHED_RERUN_GOAL)
        add(f"Bộ nhớ đỉnh (ru_maxrss) sau khi hiển thị {len(PAGES)} trang, dữ liệu tỉnh", mb_text(pages["maxrss_mb"]),
            "–", "< 1 GB", pages["maxrss_mb"] < MEMORY_GOAL_MB)
    for backend, name in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        stored, queried = results.get(f"national_store_{backend}"), results.get(f"national_query_{backend}")
        if not stored:
            continue
        scope = f"toàn quốc {fmt.number(stored['units'])} đơn vị × {stored['months']} tháng"
        if backend == "sqlite":
            add(f"Sinh số liệu {scope} ({fmt.number(stored['rows'])} dòng, numpy)", stored["generate_s"], "–",
                "vài giây", stored["generate_s"] < 30)
        add(f"{name}: lưu {fmt.number(stored['rows'])} dòng qua Store.import_stats ({stored['imports']} lần nhập)",
            stored["store_s"], "–", "tham khảo", None)
        if not queried:
            continue
        for q in queried["queries"].values():
            ratio = (f"trả {fmt.number(q['returned'])} / gộp {fmt.number(q['aggregated'])} dòng; "
                     f"tracemalloc đỉnh {fmt.number(q['tracemalloc_peak_mb'], 2)} MB")
            add(f"{name}, {scope}: {q['label']}", q["median_s"], ratio, "gộp trong SQL", q["in_sql"])
        records = queried["records"]
        add(f"{name}, đối chứng: nạp {fmt.number(records['rows'])} dòng năm {queried['year']} vào pandas "
            "(stats_records)", records["seconds"],
            f"tracemalloc đỉnh {fmt.number(records['tracemalloc_peak_mb'], 0)} MB", "tham khảo", None)
        add(f"{name}: bộ nhớ đỉnh (ru_maxrss) của tiến trình truy vấn", mb_text(queried["maxrss_mb"]), "–", "< 1 GB",
            queried["maxrss_mb"] < MEMORY_GOAL_MB)
    return rows


def markdown_table(rows) -> str:
    lines = ["| Đo lường | Thời gian | Tỷ lệ | Mục tiêu | Đạt? |", "|---|---:|---:|---|---|"]
    lines += [f"| {' | '.join(cell.replace('|', '/') for cell in row)} |" for row in rows]
    return "\n".join(lines)


def environment() -> str:
    import sqlite3

    import pandas
    import sqlalchemy
    import streamlit

    return (f"Python {platform.python_version()}, {os.cpu_count()} nhân, {platform.system()} {platform.release()}; "
            f"SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}, pandas {pandas.__version__}, "
            f"Streamlit {streamlit.__version__}")


# ---------------------------------------------------------------------------------------------------------------
# Orchestration: one process per part, so each ru_maxrss is that part's own
# ---------------------------------------------------------------------------------------------------------------

FAILURES: list[str] = []


def run_phase(name: str, workdir: Path, quick: bool, extra: list[str] | None = None,
              env: dict | None = None) -> dict | None:
    out = workdir / f"{name}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", name, "--workdir", str(workdir),
               *(["--quick"] if quick else []), *(extra or [])]
    started = time.perf_counter()
    done = subprocess.run(command, env={**os.environ, **(env or {})}, cwd=str(ROOT))
    if done.returncode != 0 or not out.exists():
        FAILURES.append(f"phần {name} dừng vì lỗi (mã {done.returncode}); xem thông báo phía trên")
        log(f"  ✖ {FAILURES[-1]}")
        return None
    result = json.loads(out.read_text(encoding="utf-8"))
    result["phase_s"] = time.perf_counter() - started
    return result


def child(args) -> int:
    workdir = Path(args.workdir)
    cfg = config(args.quick)
    name = args.phase
    if name == "ingest":
        result = phase_ingest(workdir, cfg)
    elif name == "province":
        result = phase_province(workdir, cfg)
    elif name == "pages":
        result = phase_pages(workdir, cfg, json.loads((workdir / "province.json").read_text(encoding="utf-8")))
    elif name.startswith("national_store_"):
        result = phase_national_store(workdir, cfg, name.removeprefix("national_store_"))
    elif name.startswith("national_query_"):
        backend = name.removeprefix("national_query_")
        stored = json.loads((workdir / f"national_store_{backend}.json").read_text(encoding="utf-8"))
        result = phase_national_query(workdir, cfg, backend, stored)
    else:
        raise SystemExit(f"unknown phase {name}")
    (workdir / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each (< 2 minutes)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory with the generated data")
    parser.add_argument("--only", choices=["ingest", "pages", "national"], action="append",
                        help="run only these parts (repeatable)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        return child(args)

    started = time.perf_counter()
    cfg = config(args.quick)
    parts = args.only or ["ingest", "pages", "national"]
    workdir = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    log(f"Thư mục tạm: {workdir}{' (chạy nhanh --quick)' if args.quick else ''}")
    results: dict = {"quick": args.quick, "config": cfg, "started": dt.datetime.now().isoformat(timespec="seconds")}
    try:
        if "ingest" in parts:
            log("1. Nhập tệp (check_file + import_stats) so với đọc thô calamine")
            results["ingest"] = run_phase("ingest", workdir, args.quick)
        if "pages" in parts:
            log("2. Hiển thị các trang (AppTest) trên dữ liệu cấp tỉnh")
            results["province"] = run_phase("province", workdir, args.quick)
            if results["province"]:
                results["pages"] = run_phase("pages", workdir, args.quick)
        if "national" in parts:
            log("3. Gộp số liệu toàn quốc trong cơ sở dữ liệu")
            backends = ["sqlite"] + (["postgresql"] if os.environ.get("CCHC_BENCH_POSTGRES_URL") else [])
            for backend in backends:
                results[f"national_store_{backend}"] = run_phase(f"national_store_{backend}", workdir, args.quick)
                if results[f"national_store_{backend}"]:
                    results[f"national_query_{backend}"] = run_phase(f"national_query_{backend}", workdir,
                                                                     args.quick)
            if len(backends) == 1:
                log("  (PostgreSQL bỏ qua: đặt CCHC_BENCH_POSTGRES_URL để đo cả PostgreSQL)")
    finally:
        if args.keep:
            log(f"Giữ lại dữ liệu đã sinh trong {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    total_s = time.perf_counter() - started
    results["total_s"] = total_s
    rows = build_rows(results, cfg)
    table = markdown_table(rows)
    problems = {}
    if results.get("ingest"):
        problems.update({f"ingest/{k}": results["ingest"][k]["problems"] for k in ("template", "bieu06")
                         if results["ingest"][k]["problems"]})
    if results.get("pages"):
        problems.update({f"page/{k}": v for k, v in results["pages"]["problems"].items()})
    header = (f"Kết quả đo ngày {results['started'][:10]}{' (chạy nhanh --quick, cỡ nhỏ)' if args.quick else ''}; "
              f"trung vị của {cfg['repeats']} lần đo (các trang: {cfg['page_repeats']} lần). {environment()}.\n\n"
              "Trang: mỗi lần đo là một phiên AppTest mới đã chạy một lần (để bỏ phần quét gói cài đặt chỉ xảy ra "
              "một lần khi máy chủ khởi động), rồi mở trang, xóa st.cache_data và st.cache_resource, đo lần chạy "
              "đầu và lần chạy lại; trang trống đi qua đúng các bước đó.")
    footer = f"Tổng thời gian chạy: {t_text(total_s)} (`python benchmarks/run.py{' --quick' if args.quick else ''}`)."
    text = f"{header}\n\n{table}\n\n{footer}\n"
    if problems:
        text += f"\nLỗi gặp khi đo: {json.dumps(problems, ensure_ascii=False)}\n"
    if FAILURES:
        results["failures"] = FAILURES
        text += "\n" + "\n".join(f"- ✖ {f}" for f in FAILURES) + "\n"
    print()
    print(text)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "last_run.md").write_text(text, encoding="utf-8")
    (OUT_DIR / "last_run.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str),
                                           encoding="utf-8")
    log(f"Đã ghi {OUT_DIR / 'last_run.md'}")
    return 1 if FAILURES or problems else 0  # goals not met are findings, not failures of the run


if __name__ == "__main__":
    raise SystemExit(main())
