"""Realistic monthly TTHC statistics at district, province and national scale, for the benchmarks.

The numbers have the shape of `cchc.sample.sample_stats_table` and every identity of Biểu 06 holds:

    received_total = received_online + received_direct + received_carried = resolved_total + pending_total
    resolved_total = resolved_early + resolved_on_time + resolved_late
    pending_total  = pending_in_time + pending_overdue
    received_online_l3 + received_online_l4 = received_online
    received_bcci <= new dossiers (online + direct),  returned_bcci <= resolved_total
    late_apologies <= resolved_late + pending_overdue
    received_carried of a month = pending_total of the unit's previous month

From 2023 (Nghị định 42/2022) "toàn trình" and "một phần" are filled as well (= mức độ 4 and mức độ 3).

Everything is vectorised with numpy over the units, one step per month (the backlog carries over), so the
national size (10.000 units × 60 months = 600.000 rows) is generated in about a second. Deterministic: the
same size and seed always give the same table.

    python benchmarks/generate.py province --sqlite benchmarks/out/province.sqlite
    python benchmarks/generate.py national --url postgresql+psycopg://…/cchc_bench

Units are named "UBND xã Mẫu 0001", "Phòng Tư pháp huyện Mẫu 001", "Sở Tư pháp tỉnh Mẫu 01" (none of them is in
the registry of data/don_vi.csv, so a workbook of them reads with "unknown unit" warnings, not errors), with the
levels "tỉnh", "huyện" and "xã".
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cchc.fields import STATS_FIELDS  # noqa: E402

COLUMNS: tuple[str, ...] = ("unit", "level", "year", "month", "period", *STATS_FIELDS)
DEFAULT_SEED = 2024

# Provincial departments (cấp tỉnh); the land registration office is the busiest, as in every province.
_PROVINCE_DEPARTMENTS: tuple[tuple[str, float], ...] = (  # (name, mean new dossiers a month)
    ("Văn phòng đăng ký đất đai", 900.0),
    ("Sở Kế hoạch và Đầu tư", 260.0),
    ("Sở Giao thông vận tải", 420.0),
    ("Sở Tư pháp", 380.0),
    ("Sở Lao động - Thương binh và Xã hội", 150.0),
    ("Sở Tài nguyên và Môi trường", 90.0),
    ("Sở Xây dựng", 70.0),
    ("Sở Công Thương", 120.0),
    ("Sở Y tế", 110.0),
    ("Sở Giáo dục và Đào tạo", 60.0),
    ("Sở Nông nghiệp và Phát triển nông thôn", 45.0),
    ("Sở Văn hóa, Thể thao và Du lịch", 35.0),
    ("Sở Thông tin và Truyền thông", 20.0),
    ("Sở Khoa học và Công nghệ", 12.0),
    ("Sở Tài chính", 25.0),
    ("Sở Nội vụ", 18.0),
    ("Ban Quản lý các khu công nghiệp", 30.0),
    ("Ban Dân tộc", 3.0),
    ("Thanh tra tỉnh", 4.0),
    ("Văn phòng UBND tỉnh", 6.0),
)
# District offices (cấp huyện), as in the sample: small offices and one busy land registration branch.
_DISTRICT_OFFICES: tuple[tuple[str, float], ...] = (
    ("Chi nhánh Văn phòng đăng ký đất đai", 120.0),
    ("Phòng Tư pháp", 8.0),
    ("Phòng Tài nguyên và Môi trường", 9.0),
    ("Phòng Lao động-Thương binh và Xã hội", 8.0),
    ("Phòng Kinh tế-Hạ tầng", 6.0),
    ("Phòng Tài chính-Kế hoạch", 5.0),
    ("Phòng Nội vụ", 2.0),
    ("Phòng Giáo dục và Đào tạo", 2.5),
    ("Phòng Văn hóa-Thông tin", 1.2),
    ("Phòng Y tế", 1.0),
    ("Phòng Nông nghiệp và Phát triển nông thôn", 2.0),
    ("Văn phòng HĐND-UBND", 3.0),
)

# Month-of-year volume factors (those of cchc.sample): Tết is quiet, March catches up, the year end is busy.
SEASON = np.array((1.00, 0.72, 1.18, 1.05, 1.00, 0.95, 0.93, 1.00, 1.02, 1.05, 1.08, 1.12))
NEW_ERA_YEAR = 2023  # reports count "toàn trình" / "một phần" from here on


@dataclass(frozen=True)
class Size:
    """How many units of each level, over how many months ending at (end_year, end_month)."""

    name: str
    provinces: int  # departments at "tỉnh": 20 per province
    districts: int  # offices at "huyện": 12 per district
    communes: int  # UBND xã
    months: int
    end_year: int = 2024
    end_month: int = 12

    @property
    def units(self) -> int:
        return self.provinces * len(_PROVINCE_DEPARTMENTS) + self.districts * len(_DISTRICT_OFFICES) + self.communes

    @property
    def rows(self) -> int:
        return self.units * self.months

    def periods(self) -> list[tuple[int, int]]:
        last = self.end_year * 12 + self.end_month - 1
        return [divmod(k, 12) for k in range(last - self.months + 1, last + 1)]  # (year, month-1)


DISTRICT = Size("district", provinces=0, districts=1, communes=13, months=12)  # 25 units × 12 months
PROVINCE = Size("province", provinces=1, districts=0, communes=280, months=60)  # 300 units × 60 months
NATIONAL = Size("national", provinces=63, districts=200, communes=6340, months=60)  # 10.000 units × 60 months
SIZES = {s.name: s for s in (DISTRICT, PROVINCE, NATIONAL)}


def custom_size(units: int, months: int, name: str = "custom", end_year: int = 2024) -> Size:
    """A province-like mix (20 departments at "tỉnh" per 300 units, the rest communes) of any size."""
    provinces = max(1, round(units / 300)) if units >= 40 else 0
    provinces = min(provinces, units // len(_PROVINCE_DEPARTMENTS))
    return Size(name, provinces=provinces, districts=0, communes=units - provinces * len(_PROVINCE_DEPARTMENTS),
                months=months, end_year=end_year)


def units_of(size: Size) -> pd.DataFrame:
    """unit, level, base (mean new dossiers a month) of every unit, in a fixed order."""
    names, levels, bases = [], [], []
    pw = max(2, len(str(size.provinces)))
    for p in range(1, size.provinces + 1):
        for dept, base in _PROVINCE_DEPARTMENTS:
            names.append(f"{dept} tỉnh Mẫu {p:0{pw}d}")
            levels.append("tỉnh")
            bases.append(base)
    dw = max(3, len(str(size.districts)))
    for d in range(1, size.districts + 1):
        for office, base in _DISTRICT_OFFICES:
            names.append(f"{office} huyện Mẫu {d:0{dw}d}")
            levels.append("huyện")
            bases.append(base)
    cw = max(4, len(str(size.communes)))
    names.extend(f"UBND xã Mẫu {c:0{cw}d}" for c in range(1, size.communes + 1))
    levels.extend(["xã"] * size.communes)
    bases.extend([60.0] * size.communes)
    return pd.DataFrame({"unit": names, "level": levels, "base": bases})


def _ramp(t: np.ndarray | float, start: float, end: float, power: float = 1.0):
    return start + (end - start) * np.power(t, power)


def iter_months(size: Size, seed: int = DEFAULT_SEED) -> Iterator[pd.DataFrame]:
    """One DataFrame per month (columns COLUMNS, every unit), oldest first."""
    rng = np.random.default_rng([seed, size.units, size.months])
    units = units_of(size)
    n = len(units)
    level = units["level"].to_numpy()
    commune = level == "xã"
    province = level == "tỉnh"

    # Per-unit behaviour, drawn once: volume, backlog share, early share, online and BCCI uptake, lateness.
    base = units["base"].to_numpy(dtype=float) * rng.lognormal(0.0, 0.25, n)
    base[commune] = np.clip(rng.lognormal(np.log(60.0), 0.45, commune.sum()), 15, 180)
    pending_share = np.where(commune, rng.uniform(0.06, 0.10, n),
                             np.where(province, rng.uniform(0.18, 0.42, n), rng.uniform(0.15, 0.35, n)))
    early_share = np.where(commune, rng.uniform(0.50, 0.66, n), rng.uniform(0.25, 0.60, n))
    online_mult = rng.lognormal(0.0, 0.30, n)
    bcci_mult = rng.lognormal(0.0, 0.25, n)
    online_mult /= np.average(online_mult, weights=base)
    bcci_mult /= np.average(bcci_mult, weights=base)
    late_mult = rng.lognormal(0.0, 0.5, n)
    # One unit in twenty slips badly for one quarter (the story of the sample's land office and Ia Kdăm).
    lagging = rng.random(n) < 0.05
    bad_quarter = rng.integers(0, max(1, size.months // 3), n)

    carried = rng.binomial(np.maximum(1, np.round(base * 1.1)).astype(np.int64), pending_share)
    span = max(1, size.months - 1)
    for k, (year, month0) in enumerate(size.periods()):
        t = k / span
        new = rng.poisson(base * SEASON[month0])
        p3 = np.clip(_ramp(t, 0.03, 0.30) * online_mult, 0.0, 0.85)
        p4 = np.clip(_ramp(t, 0.005, 0.20, 1.2) * online_mult, 0.0, 0.85)
        l3 = rng.binomial(new, p3)
        l4 = rng.binomial(new - l3, np.clip(p4 / np.maximum(1.0 - p3, 0.5), 0.0, 1.0))
        online = l3 + l4
        direct = new - online
        bcci_p = _ramp(t, 0.02, 0.11) * bcci_mult * new / np.maximum(direct, 1)
        bcci = rng.binomial(direct, np.clip(bcci_p, 0.0, 1.0))
        received = new + carried
        pending = rng.binomial(received, pending_share)
        resolved = received - pending
        in_bad_quarter = lagging & (k // 3 == bad_quarter)
        late_p = np.where(in_bad_quarter, 0.16, np.clip(_ramp(t, 0.022, 0.008) * late_mult, 0.0, 0.2))
        late = rng.binomial(resolved, late_p)
        early = rng.binomial(resolved - late, early_share)
        on_time = resolved - late - early
        overdue = rng.binomial(pending, np.where(in_bad_quarter, 0.22, 0.03))
        in_time = pending - overdue
        returned = rng.binomial(resolved, np.clip(_ramp(t, 0.03, 0.125) * bcci_mult, 0.0, 1.0))
        apologies = rng.binomial(late + overdue, _ramp(t, 0.35, 0.90))
        new_era = year >= NEW_ERA_YEAR
        zeros = np.zeros(n, dtype=np.int64)
        month = month0 + 1
        frame = pd.DataFrame({
            "unit": units["unit"].to_numpy(), "level": level,
            "year": np.full(n, year, dtype=np.int64), "month": np.full(n, month, dtype=np.int64),
            "period": f"{year:04d}-{month:02d}",
            "received_total": received, "received_online": online,
            "received_online_l3": l3, "received_online_l4": l4,
            "received_online_full": l4 if new_era else zeros, "received_online_partial": l3 if new_era else zeros,
            "received_direct": direct, "received_carried": carried, "received_bcci": bcci,
            "resolved_total": resolved, "resolved_early": early, "resolved_on_time": on_time, "resolved_late": late,
            "pending_total": pending, "pending_in_time": in_time, "pending_overdue": overdue,
            "returned_bcci": returned, "late_apologies": apologies,
        }, columns=list(COLUMNS))
        yield frame.astype({f: "int64" for f in STATS_FIELDS})
        carried = pending


def generate(size: Size | str, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The whole table, period by period (then unit), with a "period" column ("YYYY-MM")."""
    size = SIZES[size] if isinstance(size, str) else size
    return pd.concat(list(iter_months(size, seed)), ignore_index=True)


def check_identities(table: pd.DataFrame) -> list[str]:
    """The identities that fail (empty when the table is sound)."""
    t = {c: table[c].to_numpy() for c in STATS_FIELDS}
    rules = {
        "received = online + direct + carried":
            t["received_total"] == t["received_online"] + t["received_direct"] + t["received_carried"],
        "received = resolved + pending": t["received_total"] == t["resolved_total"] + t["pending_total"],
        "resolved = early + on_time + late":
            t["resolved_total"] == t["resolved_early"] + t["resolved_on_time"] + t["resolved_late"],
        "pending = in_time + overdue": t["pending_total"] == t["pending_in_time"] + t["pending_overdue"],
        "l3 + l4 = online": t["received_online_l3"] + t["received_online_l4"] == t["received_online"],
        "bcci <= new": t["received_bcci"] <= t["received_online"] + t["received_direct"],
        "returned_bcci <= resolved": t["returned_bcci"] <= t["resolved_total"],
        "apologies <= late + overdue": t["late_apologies"] <= t["resolved_late"] + t["pending_overdue"],
        "full + partial <= received": t["received_online_full"] + t["received_online_partial"] <= t["received_total"],
        "no negative count": np.all([t[f] >= 0 for f in STATS_FIELDS], axis=0),
    }
    failed = [name for name, ok in rules.items() if not np.all(ok)]
    ordered = table.sort_values(["unit", "year", "month"], kind="stable")
    same_unit = ordered["unit"].to_numpy()[1:] == ordered["unit"].to_numpy()[:-1]
    if np.any(same_unit & (ordered["received_carried"].to_numpy()[1:] != ordered["pending_total"].to_numpy()[:-1])):
        failed.append("carried = previous month's pending")
    return failed


def store_size(store, size: Size | str, seed: int = DEFAULT_SEED, rows_per_import: int = 60_000,
               progress=None) -> dict:
    """Generate `size` and store it through Store.import_stats, a few months per import (one transaction each).

    Returns {"rows", "imports", "generate_s", "store_s"}: numpy generation and database time kept apart.
    """
    size = SIZES[size] if isinstance(size, str) else size
    months_per_import = max(1, rows_per_import // max(1, size.units))
    generate_s = store_s = 0.0
    rows = imports = 0
    batch: list[pd.DataFrame] = []

    def flush():
        nonlocal store_s, rows, imports, batch
        if not batch:
            return
        frame = pd.concat(batch, ignore_index=True)
        label = f"benchmarks/generate.py {size.name} seed={seed} {frame['period'].iloc[0]}..{frame['period'].iloc[-1]}"
        started = time.perf_counter()
        store.import_stats(frame, label.encode("utf-8"), f"{size.name}_{frame['period'].iloc[0]}.generated",
                           user="benchmark")
        store_s += time.perf_counter() - started
        rows += len(frame)
        imports += 1
        batch = []
        if progress:
            progress(rows, size.rows)

    months = iter_months(size, seed)
    while True:
        started = time.perf_counter()
        frame = next(months, None)
        generate_s += time.perf_counter() - started
        if frame is None:
            break
        batch.append(frame)
        if len(batch) >= months_per_import:
            flush()
    flush()
    return {"rows": rows, "imports": imports, "generate_s": generate_s, "store_s": store_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sqlite", type=Path, help="store into this SQLite file (created)")
    where.add_argument("--url", help="store into this database URL")
    where.add_argument("--csv", type=Path, help="write a CSV file instead")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    data_dir = (ROOT / "data").resolve()
    target = args.sqlite or args.csv
    if target is not None and data_dir in target.resolve().parents:
        parser.error("generated data never goes into data/")
    if args.csv:
        started = time.perf_counter()
        table = generate(size, args.seed)
        table.to_csv(args.csv, index=False)
        print(f"{len(table)} rows in {time.perf_counter() - started:.1f} s → {args.csv}")
        return 0
    from cchc.store.database import Store

    url = args.url or (f"sqlite:///{args.sqlite}" if args.sqlite else None)
    if url is None:
        started = time.perf_counter()
        table = generate(size, args.seed)
        print(f"{size.name}: {len(table)} rows ({size.units} units × {size.months} months) generated in "
              f"{time.perf_counter() - started:.2f} s; identities: {check_identities(table) or 'all hold'}")
        return 0
    store = Store(url)
    result = store_size(store, size, args.seed)
    store.dispose()
    print(f"{size.name}: {result['rows']} rows in {result['imports']} imports; generated in "
          f"{result['generate_s']:.1f} s, stored in {result['store_s']:.1f} s → {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
