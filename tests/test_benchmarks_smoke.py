"""The benchmark data generator (benchmarks/generate.py): the district size, its identities, its determinism.

Only the generator: the benchmarks themselves (python benchmarks/run.py) are not part of the test suite.
"""

import importlib.util
import sys
import time

from support import ROOT

from cchc.fields import STATS_FIELDS


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_district_size_is_realistic_and_quick():
    generate = _generator()
    started = time.perf_counter()
    table = generate.generate("district")
    assert time.perf_counter() - started < 5
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
