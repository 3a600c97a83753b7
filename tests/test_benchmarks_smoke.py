"""The benchmark data generator (benchmarks/generate.py): the district size, its identities, its determinism; and a
smoke run of the benchmark script on its smallest part.

No test here measures speed: a time limit in a test fails on a slow or busy machine and says nothing about the code.
Speed is what `python benchmarks/run.py` reports, against its baselines.
"""

import importlib.util
import os
import re
import subprocess
import sys

from support import ROOT

from cchc.fields import STATS_FIELDS


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_district_size_is_realistic():
    generate = _generator()
    table = generate.generate("district")
    assert len(table) == 25 * 12 and table["unit"].nunique() == 25
    assert list(table.columns) == ["unit", "level", "year", "month", "period", *STATS_FIELDS]
    assert set(table["level"]) == {"huyện", "xã"}
    assert table["unit"].str.match(r"^UBND xã Mẫu \d{4}$").sum() == 13 * 12
    assert generate.check_identities(table) == []
    assert (table["period"] == table["year"].map("{:04d}".format) + "-" + table["month"].map("{:02d}".format)).all()
    assert table["received_total"].sum() > 0 and table["resolved_late"].sum() > 0
    assert table.equals(generate.generate("district"))  # deterministic


def test_sizes_and_levels():
    generate = _generator()
    assert (generate.DISTRICT.units, generate.DISTRICT.months) == (25, 12)
    assert (generate.PROVINCE.units, generate.PROVINCE.months) == (300, 60)
    assert (generate.NATIONAL.units, generate.NATIONAL.rows) == (10_000, 600_000)
    units = generate.units_of(generate.PROVINCE)
    assert units["level"].value_counts().to_dict() == {"xã": 280, "tỉnh": 20}
    assert units["unit"].is_unique


# benchmarks/run.py as its main() runs it, with the table files written to a temporary folder instead of
# benchmarks/out/, which keeps a person's last real run.
SMOKE = """
import importlib.util, pathlib, sys
spec = importlib.util.spec_from_file_location("bench_run", sys.argv[1])
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)
run.OUT_DIR = pathlib.Path(sys.argv[2])
sys.exit(run.main(["--quick", "--only", "ingest"]))
"""


def test_the_benchmark_script_runs_and_prints_its_table(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", SMOKE, str(ROOT / "benchmarks" / "run.py"), str(out)], check=False,
                          cwd=ROOT, env={**os.environ, "CCHC_BENCH_POSTGRES_URL": ""}, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    table = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert table[:2] == ["| Đo lường | Thời gian | Tỷ lệ | Mục tiêu | Đạt? |", "|---|---:|---:|---|---|"], done.stdout
    rows = table[2:]
    assert len(rows) == 6, done.stdout  # raw read, check, check + store; for the template file and for Biểu 06
    assert any("Tệp mẫu" in row and "kiểm tra + lưu" in row for row in rows), rows
    assert any("Biểu 06" in row and "kiểm tra + lưu" in row for row in rows), rows
    assert (out / "last_run.md").read_text(encoding="utf-8").count("| Đo lường |") == 1
    assert (out / "last_run.json").exists()


def _free_ports(n: int) -> list[int]:
    import socket

    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _run_bench(script: str, tmp_path, *extra: str) -> str:
    port, reference = _free_ports(2)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--quick", "--port", str(port),
                           "--reference-port", str(reference), "--out", str(tmp_path / "out.json"), *extra],
                          check=False, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out.json").exists()
    return done.stdout


# benchmarks/roomful.py on its smallest run (4 sessions, 1 round): it serves the overview and the reference page,
# checks every view and prints the ratio of their server CPU per view. No figure is judged here.
def test_the_roomful_script_runs_and_prints_its_ratio(tmp_path):
    out = _run_bench("roomful.py", tmp_path)
    assert re.search(r"^Tỷ lệ CPU mỗi lượt xem, Tổng quan / trang đối chứng: \d+,\d\d ×", out, re.MULTILINE), out


# benchmarks/browser_draw.py on one round in Chromium: the overview and a one-chart page drawn, both ratios printed.
def test_the_browser_draw_script_runs_and_prints_its_ratios(tmp_path):
    out = _run_bench("browser_draw.py", tmp_path)
    assert len(re.findall(r"^Tỷ lệ thời gian vẽ xong \(.+\), Tổng quan / trang 1 biểu đồ: \d+,\d\d ×", out,
                          re.MULTILINE)) == 2, out
