"""The bounded upload check (cchc/sandbox.py): what it costs and what it holds off.

    python benchmarks/upload_limits.py          # about a minute and a half on 2 cores
    python benchmarks/upload_limits.py --full   # also the in-process check of the 2,7 MB header-like workbook (minutes)

Printed, as ratios where there is something to compare with:
  1. the shipped samples: check_file in-process against check_file_bounded (medians), the cost of one bounded check
     beyond the check itself (a fork from the forkserver, the file sent, the result sent back), the first check
     (which starts the forkserver, importing the readers once), and an empty child (the process cost alone);
  2. the hostile files of tests/test_sandbox.py under the default limits (20 s, 600 MB, 30 s, 2 at once): what each
     gives, in how long, and the parent's resident memory during the check against its resident memory idle;
     the far-cell workbook also in-process, in a process of its own (its peak resident memory), for comparison;
  3. three far-cell checks started at once: the peak resident memory of everything involved (this process, the
     forkserver and its children), sampled every 5 ms.

Memory is the resident set (VmRSS) read from /proc; Linux only. Nothing here asserts: goals are the tests' business.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from test_sandbox import (  # noqa: E402  (the hostile files are built by the tests' own builders)
    far_cell_ods,
    far_cell_xlsx,
    header_like_html,
    header_like_ods,
    header_like_xlsx,
    huge_dimension_xls,
)

from cchc import sandbox  # noqa: E402
from cchc.ingest import (  # noqa: E402
    SAMPLE_PLAN_FILE,
    SAMPLE_PROCEDURES_FILE,
    SAMPLE_PROGRESS_FILE,
    SAMPLE_STATS_FILE,
    check_file,
)


def rss_mb(pid: int | str = "self") -> float:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children_of(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return out


class Sampler:
    """The peak of `measure()` while a block runs, sampled every 5 ms in a thread."""

    def __init__(self, measure):
        self.measure, self.peak, self._stop = measure, 0.0, threading.Event()

    def __enter__(self):
        self.peak = self.measure()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.measure())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.measure())


def pss_mb(pid: int | str = "self") -> float:
    """Proportional set size: resident memory with each shared page divided among the processes sharing it."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss_mb(pid)


def everything_mb() -> float:
    """This process, the forkserver and the checks it forked (PSS, so pages they share count once)."""
    total = pss_mb()
    for server in children_of(os.getpid()):
        total += pss_mb(server) + sum(pss_mb(c) for c in children_of(server))
    return total


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def summary(result) -> str:
    if result.kind is None:
        return "từ chối: " + result.findings.errors[0].message[:80] + "…"
    return f"{result.kind}, {'hợp lệ' if result.ok else f'{len(result.findings.errors)} lỗi'}"


def in_process_peak(expression: str) -> str:
    """check_file of one hostile file in a fresh process: its peak resident memory and CPU time, or how it died."""
    code = ("import resource, sys, time; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']\n"
            "import test_sandbox as t; from cchc.ingest import check_file\n"
            f"data = t.{expression}; started = time.process_time(); r = check_file(data, 'x')\n"
            "print(round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "
            "round(time.process_time() - started, 1), r.kind)")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True)
    if done.returncode != 0:
        return f"tiến trình chết (mã {done.returncode})"
    peak, cpu, kind = done.stdout.split()
    return f"đỉnh {peak} MB, CPU {cpu} s, loại {kind}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    limits = sandbox.Limits()

    print(f"Giới hạn: CPU {limits.cpu_seconds} s, bộ nhớ {limits.memory_mb} MB, thời gian thực {limits.wall_seconds} s, "
          f"{limits.concurrency} lượt cùng lúc. RSS tiến trình này lúc đầu: {rss_mb():.0f} MB.\n")
    print("1. Tệp mẫu: kiểm tra trong tiến trình và trong tiến trình con có giới hạn")
    started = time.perf_counter()
    sandbox.check_file_bounded(SAMPLE_PLAN_FILE.read_bytes(), SAMPLE_PLAN_FILE.name)
    print(f"   lần kiểm tra đầu (khởi động forkserver, nạp bộ đọc một lần): {time.perf_counter() - started:.2f} s")
    empty = median_time(lambda: sandbox.run_bounded(os.getpid, (), limits), args.repeats)
    print(f"   tiến trình con rỗng (chỉ chi phí fork + gửi/nhận): {empty * 1000:.0f} ms")
    overheads = []
    for path in (SAMPLE_PLAN_FILE, SAMPLE_STATS_FILE, SAMPLE_PROGRESS_FILE, SAMPLE_PROCEDURES_FILE):
        data = path.read_bytes()
        direct = median_time(lambda: check_file(data, path.name), args.repeats)
        bounded = median_time(lambda: sandbox.check_file_bounded(data, path.name), args.repeats)
        overheads.append(bounded - direct)
        print(f"   {path.name:32} trong tiến trình {direct * 1000:6.0f} ms · có giới hạn {bounded * 1000:6.0f} ms · "
              f"tỷ lệ {bounded / direct:5.2f} × · thêm {(bounded - direct) * 1000:4.0f} ms")
    print(f"   chi phí thêm mỗi lần kiểm tra (trung vị): {statistics.median(overheads) * 1000:.0f} ms\n")

    print("2. Tệp độc hại, giới hạn mặc định")
    cases = [("header_like_xlsx(75)", "tieu_de_2_7MB.xlsx"), ("header_like_ods(30)", "tieu_de.ods"),
             ("header_like_html(30)", "xuat_excel.xls"), ("far_cell_xlsx()", "o_xa.xlsx"),
             ("far_cell_ods()", "o_xa.ods"), ("huge_dimension_xls()", "kich_thuoc.xls")]
    builders = {"header_like_xlsx": header_like_xlsx, "header_like_ods": header_like_ods,
                "header_like_html": header_like_html, "far_cell_xlsx": far_cell_xlsx, "far_cell_ods": far_cell_ods,
                "huge_dimension_xls": huge_dimension_xls}
    for expression, name in cases:
        function, _, arguments = expression.partition("(")
        data = builders[function](*[int(a) for a in arguments.rstrip(")").split(",") if a])
        idle = rss_mb()
        with Sampler(rss_mb) as parent:
            started = time.perf_counter()
            result = sandbox.check_file_bounded(data, name, limits=limits)
            seconds = time.perf_counter() - started
        print(f"   {name:20} {len(data) / 1024:8.0f} KB · {seconds:5.1f} s · {summary(result)}")
        print(f"   {'':20} RSS tiến trình cha: nghỉ {idle:.0f} MB, đỉnh khi kiểm tra {parent.peak:.0f} MB "
              f"(tăng {parent.peak - idle:.0f} MB, tỷ lệ {parent.peak / idle:.2f} ×)")
        if expression.startswith("far_cell_xlsx") or args.full:
            print(f"   {'':20} cùng tệp, check_file trong tiến trình riêng: {in_process_peak(expression)}")
    print()

    print("3. Ba tệp ô xa kiểm tra cùng lúc (giới hạn mặc định, 2 lượt cùng lúc)")
    data = far_cell_xlsx()
    results = []
    with Sampler(everything_mb) as total:
        threads = [threading.Thread(target=lambda: results.append(sandbox.check_file_bounded(data, "o_xa.xlsx")))
                   for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(f"   đỉnh RSS cộng lại (PSS của tiến trình này + forkserver + các tiến trình kiểm tra; trang dùng chung "
          f"chia đều): {total.peak:.0f} MB; "
          f"nhiều nhất {sandbox.peak_running()} lượt cùng lúc; kết quả: {', '.join(summary(r) for r in results)}")
    return 0



if __name__ == "__main__":
    raise SystemExit(main())
