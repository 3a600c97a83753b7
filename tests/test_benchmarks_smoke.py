"""The benchmark data generator (benchmarks/generate.py): the district size, its identities, its determinism; and a
smoke run of the benchmark script on its smallest part.

No test here measures speed: a time limit in a test fails on a slow or busy machine and says nothing about the code.
Speed is what `python benchmarks/run.py` reports, against its baselines.
"""

import importlib.util
import os
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
