"""The bounded upload check (cchc/sandbox.py): every upload is read in a child process with a CPU-time, memory and
wall-clock limit; past a limit the file is refused with a Vietnamese message that says why and what to do; at most
N checks run at once; a normal file gives the same CheckResult as the in-process check_file.

The hostile files are built here: a workbook whose rows all look like header candidates (~2,7 MB, 75 sheets of 64 ×
150 distinct header-like labels), and tiny files with one far cell or a huge declared dimension, in each format the
project reads (xlsx, ods, legacy .xls, an HTML table named .xls). The limits are set low so every test is quick;
no assertion is about time or memory (benchmarks/upload_limits.py measures those)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
import zipfile

import pandas as pd
import pytest
from openpyxl.utils import get_column_letter
from read.test_container import biff8, compound_file, ods, ods_cell
from support import ROOT, SheetSpec, book

from cchc import sandbox
from cchc.ingest import (
    SAMPLE_PLAN_FILE,
    SAMPLE_PROCEDURES_FILE,
    SAMPLE_PROGRESS_FILE,
    SAMPLE_STATS_FILE,
    CheckResult,
    check_file,
)
from cchc.sandbox import Limits, check_file_bounded, limits_from_settings, run_bounded

TIME_WORDS = "quá thời gian"
MEMORY_WORDS = "quá bộ nhớ"
ADVICE = ("xóa các dòng, cột", "chia thành nhiều tệp", "lưu lại dạng .xlsx")

# ---------------------------------------------------------------------------------------------------------------
# Hostile files
# ---------------------------------------------------------------------------------------------------------------

_NS = "http://schemas.openxmlformats.org"


def xlsx(sheets: list[tuple[str, str]]) -> bytes:
    """A minimal .xlsx from (sheet name, <sheetData> body) pairs, cells as inline strings (fast to build)."""
    n = len(sheets)
    content_types = (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_NS}/package/2006/content-types">'
                     f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
                     '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook'
                     '.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                               'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
                     + "</Types>")
    rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_NS}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}/spreadsheetml/2006/main" '
                f'xmlns:r="{_NS}/officeDocument/2006/relationships"><sheets>'
                + "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, 1))
                + "</sheets></workbook>")
    workbook_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_NS}/package/2006/relationships">'
                     + "".join(f'<Relationship Id="rId{i}" Type="{_NS}/officeDocument/2006/relationships/worksheet" '
                               f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1)) + "</Relationships>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        for i, (_, body) in enumerate(sheets, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="'
                                                       f'{_NS}/spreadsheetml/2006/main"><sheetData>{body}</sheetData>'
                                                       "</worksheet>")
    return buffer.getvalue()


def _text_row(r: int, texts: list[str]) -> str:
    return (f'<row r="{r}">' + "".join(f'<c r="{get_column_letter(c)}{r}" t="inlineStr"><is><t>{t}</t></is></c>'
                                      for c, t in enumerate(texts, 1)) + "</row>")


def header_label(sheet: int, row: int, col: int) -> str:
    """A header cell every reader's header search must consider ("Đang giải quyết" names a group of columns),
    and a new text each time, so no memo of the vocabularies helps."""
    return f"Đang giải quyết {sheet}.{row}.{col}"


def header_like_xlsx(sheets: int, rows: int = 64, cols: int = 150) -> bytes:
    return xlsx([(f"S{s}", "".join(_text_row(r, [header_label(s, r, c) for c in range(cols)])
                                    for r in range(1, rows + 1))) for s in range(sheets)])


def header_like_ods(tables: int, rows: int = 64, cols: int = 150) -> bytes:
    return ods("".join(f'<table:table table:name="S{s}">' + "".join(
        "<table:table-row>" + "".join(ods_cell(header_label(s, r, c)) for c in range(cols)) + "</table:table-row>"
        for r in range(rows)) + "</table:table>" for s in range(tables)))


def header_like_html(tables: int, rows: int = 64, cols: int = 150) -> bytes:
    """An HTML page named .xls ("Xuất Excel" of a one-stop system): each table is a sheet."""
    body = "".join("<table>" + "".join("<tr>" + "".join(f"<td>{header_label(s, r, c)}</td>" for c in range(cols))
                                       + "</tr>" for r in range(rows)) + "</table>" for s in range(tables))
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode()


def far_cell_xlsx(ref: str = "J999999") -> bytes:
    """1,5 KB: a header cell and one far cell; calamine builds the 10 million cells in between (~700 MB)."""
    return xlsx([("Số liệu", _text_row(1, ["Đơn vị"]) + f'<row r="{ref[1:]}"><c r="{ref}"><v>1</v></c></row>')])


def far_cell_ods(rows: int = 999_998, cols: int = 9) -> bytes:
    """1 KB: a million empty rows "repeated", then one cell in column J."""
    return ods('<table:table table:name="Số liệu"><table:table-row>' + ods_cell("Đơn vị") + "</table:table-row>"
               f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell/></table:table-row>'
               f'<table:table-row><table:table-cell table:number-columns-repeated="{cols}"/>' + ods_cell(1)
               + "</table:table-row></table:table>")


def huge_dimension_xls(rows: int = 0xFFFFFFF0) -> bytes:
    """5 KB legacy .xls whose DIMENSIONS record claims 4 billion rows (BIFF records are not scanned by the guard)."""
    return compound_file({"Workbook": biff8([["Đơn vị", "Năm"]], dimensions=(0, rows, 0, 255))})


@pytest.fixture(scope="module")
def heavy_workbook() -> bytes:
    data = header_like_xlsx(75)
    assert 2_500_000 < len(data) < 3_000_000  # the ~2,7 MB upload of the issue
    return data


def refusal_text(result: CheckResult) -> str:
    assert result.kind is None and not result.ok
    assert len(result.findings.errors) == 1, result.findings.errors
    return result.findings.errors[0].message


def assert_refused_for(result: CheckResult, words: str) -> None:
    message = refusal_text(result)
    assert words in message, message
    assert "không có gì được lưu" in message and all(advice in message for advice in ADVICE), message


# ---------------------------------------------------------------------------------------------------------------
# A normal file: the same result as in-process
# ---------------------------------------------------------------------------------------------------------------

def _same_result(bounded: CheckResult, direct: CheckResult) -> None:
    assert bounded.as_dict() == direct.as_dict()
    assert bounded.findings == direct.findings
    assert bounded.plan == direct.plan
    for name in ("stats", "progress", "procedures"):
        a, b = getattr(bounded, name), getattr(direct, name)
        assert (a is None) == (b is None), name
        if a is not None:
            pd.testing.assert_frame_equal(a.records, b.records)
            assert {k: v for k, v in vars(a).items() if k != "records"} == \
                   {k: v for k, v in vars(b).items() if k != "records"}


@pytest.mark.parametrize("path", [SAMPLE_PLAN_FILE, SAMPLE_STATS_FILE, SAMPLE_PROGRESS_FILE, SAMPLE_PROCEDURES_FILE],
                         ids=lambda p: p.name)
def test_a_shipped_sample_gives_the_same_result_through_the_sandbox(path):
    data = path.read_bytes()
    bounded = check_file_bounded(data, path.name)
    assert bounded.ok
    _same_result(bounded, check_file(data, path.name))


def test_the_arguments_reach_the_child():
    """plan and period are check_file's: a file that states no period takes the one named, in the child too."""
    data = book(SheetSpec("Sheet1", [["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết",
                                      "Giải quyết đúng hạn", "Giải quyết quá hạn"], ["Phòng Tư pháp", 12, 10, 9, 1]]))
    plan = check_file(SAMPLE_PLAN_FILE.read_bytes(), SAMPLE_PLAN_FILE.name).plan
    for period in (None, (2019, 3)):
        bounded = check_file_bounded(data, "khong_ky.xlsx", plan=plan, period=period)
        assert bounded.ok is (period is not None) and bounded.needs_period is (period is None)
        _same_result(bounded, check_file(data, "khong_ky.xlsx", plan=plan, period=period))


def test_a_legacy_xls_is_read_inside_the_bounded_child():
    """Inside the sandbox a legacy .xls is read in the checking child itself (no grandchild, whose own limits
    could not be raised above the child's): same result as in-process."""
    data = compound_file({"Workbook": biff8([["Đơn vị", "Năm", "Tháng", "Tổng số hồ sơ tiếp nhận"],
                                             ["Phòng Tư pháp", 2019, 1, 5]])})
    direct = check_file(data, "thong_ke.xls")
    assert direct.kind == "stats"
    _same_result(check_file_bounded(data, "thong_ke.xls"), direct)


def test_inside_the_child_a_legacy_xls_needs_no_grandchild():
    assert run_bounded(_xls_grandchild, (), Limits()).value is False


def test_an_unreadable_file_is_refused_as_in_process():
    data = b"PK\x03\x04 not really a zip"
    _same_result(check_file_bounded(data, "hong.xlsx"), check_file(data, "hong.xlsx"))


# ---------------------------------------------------------------------------------------------------------------
# The limits, on the hostile files of every format
# ---------------------------------------------------------------------------------------------------------------

LOW_MEMORY = Limits(memory_mb=150)
LOW_CPU = Limits(cpu_seconds=1, wall_seconds=60)


@pytest.mark.parametrize("name,build", [
    ("far.xlsx", far_cell_xlsx),
    ("far.ods", far_cell_ods),
    ("kich_thuoc.xls", huge_dimension_xls),
])
def test_a_file_that_asks_for_too_much_memory_is_refused_for_memory(name, build):
    assert_refused_for(check_file_bounded(build(), name, limits=LOW_MEMORY), MEMORY_WORDS)


def test_the_far_cell_within_the_default_limits_is_read_to_its_end():
    """A far cell that the container guard lets through (10 million cells) stays within the default 600 MB: the
    file is answered (here: no table), not refused for memory."""
    result = check_file_bounded(far_cell_xlsx(), "far.xlsx")
    assert result.kind == "stats" and "Không tìm thấy bảng số liệu" in result.findings.errors[0].message


@pytest.mark.parametrize("name,build", [
    ("tieu_de.xlsx", lambda: header_like_xlsx(5)),
    ("tieu_de.ods", lambda: header_like_ods(5)),
    ("xuat_excel.xls", lambda: header_like_html(5)),  # an HTML table saved as .xls
])
def test_a_file_that_takes_too_long_is_refused_for_time(name, build):
    assert_refused_for(check_file_bounded(build(), name, limits=LOW_CPU), TIME_WORDS)


def test_the_heavy_workbook_of_the_issue_is_refused_for_time(heavy_workbook):
    """75 sheets whose 60 scanned rows are all header candidates: about a minute of header search even linear (the
    labels are all distinct, so each is matched against every vocabulary once): refused at the CPU limit."""
    result = check_file_bounded(heavy_workbook, "tieu_de.xlsx", limits=Limits(cpu_seconds=2))
    assert_refused_for(result, TIME_WORDS)
    assert "(2 giây)" in refusal_text(result)


def test_the_wall_clock_limit_stops_a_child_that_waits():
    """A child that uses no CPU (blocked) is killed at the wall clock and refused for time."""
    outcome = run_bounded(_block, (), Limits(wall_seconds=1))
    assert outcome.status == "wall"


def test_the_cpu_limit_stops_a_spinning_child():
    outcome = run_bounded(_spin, (), Limits(cpu_seconds=1, wall_seconds=120))
    assert outcome.status == "cpu" and outcome.exitcode == -signal.SIGXCPU


def test_the_memory_limit_is_an_address_space_limit_in_the_child():
    outcome = run_bounded(_allocate, (400,), Limits(memory_mb=150))
    assert outcome.status == "memory"
    assert run_bounded(_allocate, (50,), Limits(memory_mb=150)).status == "ok"


@pytest.mark.parametrize("target,status", [("exit", "crash"), ("segv", "crash"), ("abort", "memory")])
def test_a_dead_child_is_a_refusal(target, status):
    """An allocation calamine cannot make aborts the child (SIGABRT): read as memory; any other death as a crash."""
    assert run_bounded(_die, (target,), Limits()).status == status


def test_each_limit_maps_to_its_message(monkeypatch):
    messages = {}
    for status in ("cpu", "wall", "memory", "crash"):
        monkeypatch.setattr(sandbox, "run_bounded", lambda *a, s=status, **k: sandbox.Outcome(s, exitcode=-9))
        messages[status] = refusal_text(check_file_bounded(b"", "x.xlsx", limits=Limits(cpu_seconds=7,
                                                                                          wall_seconds=9)))
    assert TIME_WORDS in messages["cpu"] and "(7 giây)" in messages["cpu"]
    assert TIME_WORDS in messages["wall"] and "(9 giây)" in messages["wall"]
    assert MEMORY_WORDS in messages["memory"] and "(600 MB)" in messages["memory"]
    assert "dừng bất thường" in messages["crash"] and MEMORY_WORDS in messages["crash"]


def test_a_memory_error_caught_by_check_file_is_still_a_memory_refusal():
    """check_file turns every exception into a refusal; the child tells a MemoryError apart (logged, or the grid
    reader's own out-of-memory refusal) and the user gets the sandbox's memory message."""
    outcome = run_bounded(_memory_error_in_check, (), Limits())
    assert outcome.status == "memory"


# ---------------------------------------------------------------------------------------------------------------
# The answer from the child
# ---------------------------------------------------------------------------------------------------------------

def test_only_the_classes_of_a_check_result_are_unpickled():
    with pytest.raises(pickle.UnpicklingError):
        sandbox._load_result(pickle.dumps(("ok", os.system)))
    with pytest.raises(pickle.UnpicklingError):
        sandbox._load_result(pickle.dumps(("ok", subprocess.Popen)))
    with pytest.raises(pickle.UnpicklingError):  # a function of the project is not a result class either
        sandbox._load_result(pickle.dumps(("ok", check_file)))
    assert run_bounded(_send_a_function, (), Limits()).status == "crash"


# ---------------------------------------------------------------------------------------------------------------
# Taking turns
# ---------------------------------------------------------------------------------------------------------------

def test_at_most_n_checks_run_at_once():
    """Six threads start checks with concurrency 2. Each child increments a shared counter, records the highest
    value seen, and meets one other child at a barrier before it ends, so two checks really do overlap; with the
    semaphore they can never be three."""
    context = sandbox._forkserver()
    active, highest = context.Value("i", 0), context.Value("i", 0)
    barrier = context.Barrier(2, timeout=120)
    limits = Limits(concurrency=2, wall_seconds=180, cpu_seconds=100)
    sandbox.peak_running(reset=True)
    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(run_bounded(_meet, (active, highest, barrier),
                                                                           limits)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [o.status for o in outcomes] == ["ok"] * 6, outcomes
    assert highest.value == 2  # seen by the children
    assert sandbox.peak_running() == 2  # counted by the parent
    assert sandbox.running() == 0


def test_a_check_waiting_for_its_turn_says_so():
    """With one slot taken, the next check enters `waiting` (the page's spinner "Đang chờ lượt kiểm tra…") until
    the first ends; a check that finds a free slot never does."""
    context = sandbox._forkserver()
    started, release = context.Event(), context.Event()
    limits = Limits(concurrency=1, wall_seconds=180)
    queued = threading.Event()

    @contextlib.contextmanager
    def waiting():
        queued.set()
        yield

    first = []
    holder = threading.Thread(target=lambda: first.append(run_bounded(_hold, (started, release), limits)))
    holder.start()
    assert started.wait(120)
    second = []
    waiter = threading.Thread(target=lambda: second.append(run_bounded(_allocate, (1,), limits, waiting)))
    waiter.start()
    assert queued.wait(120)
    assert not second  # still waiting for the slot the first check holds
    release.set()
    holder.join()
    waiter.join()
    assert first[0].status == "ok" and second[0].status == "ok"
    never = threading.Event()
    run_bounded(_allocate, (1,), limits, lambda: contextlib.nullcontext(never.set()))
    assert not never.is_set()


# ---------------------------------------------------------------------------------------------------------------
# A check costs a fork, not an interpreter
# ---------------------------------------------------------------------------------------------------------------

_PRELOAD_PROBE = """
import os, sys
sys.path.insert(0, sys.argv[1])  # the package found through sys.path only, as a launcher script does
from multiprocessing import forkserver
from cchc import sandbox
assert "cchc.ingest" not in sys.modules  # this process has not imported the readers
sandbox.warm_up()
assert sandbox.run_bounded(os.getpid, (), sandbox.Limits()).status == "ok"
with open(f"/proc/{forkserver._forkserver._forkserver_pid}/maps") as maps:
    print("python_calamine" in maps.read())
"""


def test_the_forkserver_holds_the_readers_whatever_the_current_directory(tmp_path):
    """The forkserver imports the readers once (its preload), even when started from a directory that does not
    hold the package (Python starts it without the parent's sys.path): a check is a fork of a process that has
    calamine, pandas and every reader loaded."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", _PRELOAD_PROBE, str(ROOT)], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


# ---------------------------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------------------------

def test_limits_from_settings():
    assert limits_from_settings(lambda name, default: default) == Limits(20, 600, 30, 2)
    given = {"check_cpu_seconds": "5", "check_memory_mb": 300, "check_concurrency": "3"}
    assert limits_from_settings(lambda name, default: given.get(name, default)) == Limits(5, 300, 15, 3)
    given["check_wall_seconds"] = "8"
    assert limits_from_settings(lambda name, default: given.get(name, default)).wall_seconds == 8
    bad = {"check_cpu_seconds": "nhiều", "check_memory_mb": "-1", "check_wall_seconds": "0", "check_concurrency": ""}
    assert limits_from_settings(lambda name, default: bad.get(name, default)) == Limits()
    bad = {"check_cpu_seconds": "inf", "check_memory_mb": "1e30", "check_wall_seconds": None, "check_concurrency": "nan"}
    assert limits_from_settings(lambda name, default: bad.get(name, default)) == Limits()


def test_the_cli_reads_the_environment(monkeypatch):
    monkeypatch.setenv("CCHC_CHECK_CPU_SECONDS", "4")
    monkeypatch.setenv("CCHC_CHECK_MEMORY_MB", "250")
    monkeypatch.delenv("CCHC_CHECK_WALL_SECONDS", raising=False)
    monkeypatch.setenv("CCHC_CHECK_CONCURRENCY", "1")
    assert limits_from_settings(sandbox.environment_setting) == Limits(4, 250, 14, 1)


# ---------------------------------------------------------------------------------------------------------------
# The command line, as a subprocess, on the hostile files
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,build,words", [
    ("far.xlsx", far_cell_xlsx, MEMORY_WORDS),
    ("kich_thuoc.xls", huge_dimension_xls, MEMORY_WORDS),
    ("tieu_de.xlsx", None, TIME_WORDS),
])
def test_the_cli_answers_on_hostile_files(tmp_path, heavy_workbook, name, build, words):
    path = tmp_path / name
    path.write_bytes(build() if build else heavy_workbook)
    env = {**os.environ, "CCHC_CHECK_CPU_SECONDS": "2", "CCHC_CHECK_MEMORY_MB": "150",
           "CCHC_CHECK_WALL_SECONDS": "60"}
    env.pop("CCHC_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "cchc", "check", str(path), "--json"], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    payload = json.loads(done.stdout)
    assert payload["ok"] is False and payload["kind"] is None
    assert words in payload["errors"][0]["message"]


# ---------------------------------------------------------------------------------------------------------------
# Targets run in the child (module level: the child imports them by name)
# ---------------------------------------------------------------------------------------------------------------

def _block():
    os.read(os.pipe()[0], 1)  # nobody ever writes


def _spin():
    while True:
        pass


def _allocate(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def _die(how: str):
    if how == "exit":
        os._exit(3)
    os.kill(os.getpid(), signal.SIGSEGV if how == "segv" else signal.SIGABRT)


def _memory_error_in_check():
    import cchc.ingest

    def read(*_args, **_kwargs):
        raise MemoryError

    cchc.ingest.load_workbook = read  # the child's own copy of the module: the parent is not touched
    return sandbox._check_target(SAMPLE_PLAN_FILE.read_bytes(), "ke_hoach.xlsx", {})


def _xls_grandchild() -> bool:
    from cchc.read.grid import _xls_in_child_available

    return _xls_in_child_available()


def _send_a_function():
    return os.system


def _meet(active, highest, barrier) -> int:
    with active.get_lock():
        active.value += 1
        highest.value = max(highest.value, active.value)
    barrier.wait()
    with active.get_lock():
        active.value -= 1
    return 0


def _hold(started, release) -> int:
    started.set()
    release.wait(120)
    return 0
