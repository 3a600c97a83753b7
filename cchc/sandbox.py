"""Check an upload in a child process that has a CPU-time, a memory and a wall-clock limit.

The container guard (cchc.read.container) refuses what a file declares; what a file makes the readers *do* is
bounded here. Every upload (xlsx, xlsm, ods, legacy .xls, an HTML table named .xls) is read by
`cchc.ingest.check_file` in a child process forked from a multiprocessing "forkserver" that has imported the
readers once, so a check costs a fork, not a fresh interpreter. Before it reads a byte the child limits itself
(`resource.setrlimit`): RLIMIT_CPU to `cpu_seconds` (SIGXCPU past it) and RLIMIT_AS to the address space it starts
with plus `memory_mb` (allocations fail past it: MemoryError in Python, an abort in calamine). The parent waits at
most `wall_seconds` and kills the child past that. Only the CheckResult comes back (records DataFrames and
findings, never the grids), through an unpickler that accepts the classes a CheckResult is made of and nothing
else, so the parent's memory does not grow with what a file asks for. A child stopped by a limit, or dead for any
reason, becomes an ordinary refusal in Vietnamese that says why and what to do.

At most `concurrency` checks run at once in a process (a bounded semaphore); a check waiting for its turn calls
`waiting()` (the Dữ liệu page shows a spinner) while it waits.

This module never imports Streamlit: the CLI and the page read the settings their own way and pass them to
`limits_from_settings`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import connection
from typing import TYPE_CHECKING

from .findings import Findings

if TYPE_CHECKING:
    from .ingest import CheckResult

# cchc.ingest (and with it every reader, pandas and calamine) is imported where it is used, so that the CLI can start
# the forkserver (which imports them too) before it imports them itself: the two imports overlap.

LOG = logging.getLogger("cchc")
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 20  # CPU time of one check
    memory_mb: int = 600  # memory one check may take beyond what the checking process starts with (the readers)
    wall_seconds: int = 30  # wall-clock time of one check, once it has its turn
    concurrency: int = 2  # checks running at once in this process; more wait their turn

    def __post_init__(self):
        for name in ("cpu_seconds", "memory_mb", "wall_seconds", "concurrency"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1")


DEFAULT_LIMITS = Limits()
_WALL_MARGIN = 10  # the wall clock's default: the CPU time plus this
_MAX_SETTING = 1_000_000  # seconds or MB: above this a setting is a typing mistake, and no rlimit takes it


def _positive(name: str, value, default: int) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        number = int(float(value))
    except (TypeError, ValueError, OverflowError):
        number = 0
    if not 1 <= number <= _MAX_SETTING:
        LOG.warning("setting %s = %r is not a positive number up to %s; using %s", name, value, _MAX_SETTING, default)
        return default
    return number


def limits_from_settings(get: Callable[[str, object], object]) -> Limits:
    """The limits from settings read by `get(name, default)`: check_cpu_seconds, check_memory_mb,
    check_wall_seconds, check_concurrency. The CLI passes a reader of the environment (CCHC_CHECK_CPU_SECONDS …),
    the page ui.common.setting (secrets.toml [cchc], overridden by the same variables). A value that is not a
    positive number takes the default (and is logged); the wall clock defaults to the CPU time plus 10 s."""
    cpu = _positive("check_cpu_seconds", get("check_cpu_seconds", None), DEFAULT_LIMITS.cpu_seconds)
    memory = _positive("check_memory_mb", get("check_memory_mb", None), DEFAULT_LIMITS.memory_mb)
    wall = _positive("check_wall_seconds", get("check_wall_seconds", None), cpu + _WALL_MARGIN)
    concurrency = _positive("check_concurrency", get("check_concurrency", None), DEFAULT_LIMITS.concurrency)
    return Limits(cpu_seconds=cpu, memory_mb=memory, wall_seconds=wall, concurrency=concurrency)


def environment_setting(name: str, default=None):
    """A setting from the environment, CCHC_<NAME> (the CLI's reader for limits_from_settings)."""
    return os.environ.get(f"CCHC_{name.upper()}", default)


# ---------------------------------------------------------------------------------------------------------------
# The refusals
# ---------------------------------------------------------------------------------------------------------------

_NOTHING_STORED = "không có gì được lưu"
_WHAT_TO_DO = ("Hãy xóa các dòng, cột và sheet thừa (kể cả ô định dạng hay ô có dấu cách ở rất xa bảng: chọn từ "
               "dòng, cột ngay sau bảng đến cuối sheet rồi xóa), hoặc chia thành nhiều tệp nhỏ hơn; tệp .xls hay "
               ".ods thì mở bằng Excel, lưu lại dạng .xlsx rồi tải lên lại.")


def time_message(seconds: int) -> str:
    return (f"Tệp bị từ chối vì kiểm tra quá thời gian cho phép ({seconds} giây): {_NOTHING_STORED}. "
            "Tệp có quá nhiều dòng, cột, sheet hoặc tiêu đề để đọc. " + _WHAT_TO_DO)


def memory_message(limits: Limits) -> str:
    return (f"Tệp bị từ chối vì đọc tệp cần quá bộ nhớ cho phép ({limits.memory_mb} MB): {_NOTHING_STORED}. "
            "Thường do sheet kéo dài tới một ô ở rất xa (như XFD1048576) hoặc có quá nhiều dòng, cột. " + _WHAT_TO_DO)


def crash_message() -> str:
    return (f"Tệp bị từ chối vì việc kiểm tra tệp dừng bất thường (quá bộ nhớ hoặc tệp bị hỏng): {_NOTHING_STORED}. "
            + _WHAT_TO_DO + " Nếu vẫn không được, hãy gửi tệp cho quản trị viên.")


def refusal(message: str) -> CheckResult:
    """A refusal of the same shape check_file returns for a file it cannot read: kind None, one error."""
    from .ingest import CheckResult

    findings = Findings()
    findings.error(message)
    return CheckResult(None, findings)


# ---------------------------------------------------------------------------------------------------------------
# Taking turns
# ---------------------------------------------------------------------------------------------------------------

_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}
_count_lock = threading.Lock()
_running = 0
_peak = 0


def _slot(concurrency: int) -> threading.BoundedSemaphore:
    """The process-wide semaphore of this many slots (settings do not change while a server runs: one)."""
    with _slots_lock:
        if concurrency not in _slots:
            _slots[concurrency] = threading.BoundedSemaphore(concurrency)
        return _slots[concurrency]


@contextlib.contextmanager
def _turn(limits: Limits, waiting: Callable[[], contextlib.AbstractContextManager] | None):
    global _running, _peak
    slot = _slot(limits.concurrency)
    if not slot.acquire(blocking=False):
        with waiting() if waiting is not None else contextlib.nullcontext():
            slot.acquire()
    try:
        with _count_lock:
            _running += 1
            _peak = max(_peak, _running)
        yield
    finally:
        with _count_lock:
            _running -= 1
        slot.release()


def running() -> int:
    """Checks running now in this process."""
    return _running


def peak_running(reset: bool = False) -> int:
    """The most checks that ran at once in this process (since the last reset)."""
    global _peak
    with _count_lock:
        peak = _peak
        if reset:
            _peak = _running
    return peak


# ---------------------------------------------------------------------------------------------------------------
# The child
# ---------------------------------------------------------------------------------------------------------------

def _address_space() -> int:
    """The bytes of address space this process holds now (Linux: /proc/self/statm)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 512 * MB  # elsewhere, about what a process with the readers imported holds


def _limit_self(memory_mb: int, cpu_seconds: int) -> None:
    import resource

    try:  # pyarrow's default pool (mimalloc) reserves a gigabyte of address space up front; the system's does not
        import pyarrow

        pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    except Exception:  # pragma: no cover - pandas without pyarrow
        pass
    os.environ["RUST_BACKTRACE"] = "0"  # a failed allocation in calamine: one line on stderr, not a backtrace
    memory = _address_space() + memory_mb * MB
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):  # pragma: no cover - a system without an address-space limit (macOS)
        LOG.warning("the checking process cannot limit its address space here; CPU and wall clock still apply")
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))  # SIGXCPU, then SIGKILL a second on


class _MemoryWatch(logging.Handler):
    """Notes a MemoryError that check_file caught and logged (it turns every exception into a refusal)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.seen = False

    def emit(self, record):
        if record.exc_info and isinstance(record.exc_info[1], MemoryError):
            self.seen = True


def _check_target(data: bytes, filename: str, kwargs: dict):
    """Runs in the child: check_file, with a MemoryError anywhere in it told apart from other refusals."""
    from .ingest import check_file
    from .read.grid import OUT_OF_MEMORY

    watch = _MemoryWatch()
    LOG.addHandler(watch)
    try:
        result = check_file(data, filename, **kwargs)
    finally:
        LOG.removeHandler(watch)
    if watch.seen or (result.kind is None and any(f.message == OUT_OF_MEMORY for f in result.findings.errors)):
        raise MemoryError
    return result


def _child_main(conn, target, args, memory_mb: int, cpu_seconds: int) -> None:  # runs in the child process
    _limit_self(memory_mb, cpu_seconds)
    try:
        payload = pickle.dumps(("ok", target(*args)), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        payload = pickle.dumps(("memory", None))
    conn.send_bytes(payload)
    conn.close()


# ---------------------------------------------------------------------------------------------------------------
# The parent
# ---------------------------------------------------------------------------------------------------------------

_context_lock = threading.Lock()
_context = None


_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _forkserver():
    """The forkserver context; its server imports this module and cchc.ingest (so every reader) once."""
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__, "cchc.ingest"])
            _context = context
        _ensure_running()
        return _context


def _ensure_running() -> None:
    """Start the forkserver if it is not running. Python (3.11 to 3.13) starts it without the parent's sys.path, so
    its preload would find cchc only when the current directory holds it, and fail silently otherwise (every check
    would then import the readers itself, ~1 s): the package's directory is put on its PYTHONPATH."""
    from multiprocessing import forkserver

    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, saved) if p)
    try:
        forkserver.ensure_running()
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def warm_up() -> None:
    """Start the forkserver now (it imports the readers in the background), not at the first check."""
    if os.name == "posix":
        _forkserver()


try:
    from multiprocessing import popen_forkserver, reduction, spawn, util
    from multiprocessing.context import ForkServerProcess, set_spawning_popen
except ImportError:  # pragma: no cover - a Python whose multiprocessing is laid out differently
    ForkServerProcess = None
else:
    class _Popen(popen_forkserver.Popen):
        """The forkserver's Popen, less the step that re-runs the parent's main script in every child:
        multiprocessing does it so that objects defined in __main__ unpickle; a check needs none, and under
        Streamlit it would import Streamlit again for every upload (~0,8 s)."""

        def _launch(self, process_obj):
            prep_data = spawn.get_preparation_data(process_obj._name)
            prep_data.pop("init_main_from_name", None)
            prep_data.pop("init_main_from_path", None)
            buf = io.BytesIO()
            set_spawning_popen(self)
            try:
                reduction.dump(prep_data, buf)
                reduction.dump(process_obj, buf)
            finally:
                set_spawning_popen(None)
            self.sentinel, w = popen_forkserver.forkserver.connect_to_new_process(self._fds)
            _parent_w = os.dup(w)
            self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
            with open(w, "wb", closefd=True) as f:
                f.write(buf.getbuffer())
            self.pid = popen_forkserver.forkserver.read_signed(self.sentinel)

    class _CheckProcess(ForkServerProcess):
        @staticmethod
        def _Popen(process_obj):
            return _Popen(process_obj)


def _process(context, **kwargs):
    """A process started by the forkserver (see _Popen)."""
    if ForkServerProcess is None:  # pragma: no cover
        return context.Process(**kwargs)
    return _CheckProcess(**kwargs)


@dataclass
class Outcome:
    status: str  # "ok" | "cpu" | "wall" | "memory" | "crash"
    value: object = None
    exitcode: int | None = None


def run_bounded(target: Callable, args: tuple, limits: Limits = DEFAULT_LIMITS,
                waiting: Callable[[], contextlib.AbstractContextManager] | None = None,
                unpickle: Callable[[bytes], object] | None = None) -> Outcome:
    """Run target(*args) in a bounded child once this process has a free turn; target must pickle by reference (a
    function of an importable module: the child does not re-run the parent's __main__). `unpickle` reads the
    child's answer (default: the CheckResult unpickler)."""
    with _turn(limits, waiting):
        return _run_child(target, args, limits, unpickle or _load_result)


def _run_child(target, args, limits: Limits, unpickle) -> Outcome:
    context = _forkserver()
    receive, send = context.Pipe(duplex=False)
    process = _process(context, target=_child_main, args=(send, target, args, limits.memory_mb, limits.cpu_seconds),
                       daemon=True, name="cchc-check")
    deadline = time.monotonic() + limits.wall_seconds
    payload = None
    timed_out = False
    try:
        process.start()
        send.close()
        while payload is None:
            remaining = deadline - time.monotonic()
            ready = connection.wait([receive, process.sentinel], timeout=max(remaining, 0))
            if not ready:
                timed_out = True
                break
            if receive in ready or receive.poll():
                try:
                    payload = receive.recv_bytes()
                except (EOFError, OSError):
                    break
            else:
                break  # the child ended without an answer
    finally:
        if process.is_alive():
            process.kill()
        if process.pid is not None:
            process.join()
        receive.close()
        send.close()
    if timed_out:
        return Outcome("wall", exitcode=process.exitcode)
    if payload is None:
        code = process.exitcode
        if code == -signal.SIGXCPU:
            return Outcome("cpu", exitcode=code)
        # an allocation that failed under the address-space limit where no MemoryError can be raised (calamine's
        # Rust code aborts), or the kernel's out-of-memory killer (SIGXCPU comes a second before the CPU hard limit)
        if code in (-signal.SIGABRT, -signal.SIGKILL):
            return Outcome("memory", exitcode=code)
        return Outcome("crash", exitcode=code)
    try:
        status, value = unpickle(payload)
    except Exception:
        LOG.exception("the checking process sent an answer that could not be read")
        return Outcome("crash", exitcode=process.exitcode)
    return Outcome(status, value, process.exitcode)


# What a CheckResult is made of: the project's result classes, and what pandas, numpy and pyarrow need to rebuild
# its DataFrames. Anything else in the child's answer is refused (a child that read a hostile file is not trusted).
_ALLOWED = {
    ("builtins", "slice"), ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "complex"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("numpy", "dtype"), ("numpy", "ndarray"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar"),
    ("numpy._core.numeric", "_frombuffer"), ("numpy.core.numeric", "_frombuffer"),
    ("pandas", "DataFrame"), ("pandas", "Series"), ("pandas", "Index"), ("pandas", "RangeIndex"),
    ("pandas", "StringDtype"), ("pandas", "Int64Dtype"), ("pandas", "Float64Dtype"), ("pandas", "BooleanDtype"),
    ("pandas", "Timestamp"), ("pandas.arrays", "ArrowStringArray"), ("pandas.arrays", "StringArray"),
    ("pandas._libs.internals", "_unpickle_block"), ("pandas.core.indexes.base", "_new_Index"),
    ("pandas.core.internals.managers", "BlockManager"), ("pandas.core.internals.managers", "SingleBlockManager"),
    ("pandas._libs.tslibs.timestamps", "_unpickle_timestamp"), ("pandas._libs.tslibs.nattype", "__nat_unpickle"),
    ("pyarrow.lib", "_restore_array"), ("pyarrow.lib", "py_buffer"), ("pyarrow.lib", "type_for_alias"),
}
_PROJECT_MODULES = ("cchc.findings", "cchc.ingest", "cchc.read.")


class _ResultUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module.startswith(_PROJECT_MODULES) and not name.startswith("_"):
            found = super().find_class(module, name)
            if isinstance(found, type) and hasattr(found, "__dataclass_fields__"):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a check result")


def _load_result(payload: bytes):
    return _ResultUnpickler(io.BytesIO(payload)).load()


def check_file_bounded(data: bytes, filename: str = "", registry=None, plan=None, period=None, mappings=None,
                       forced_mapping=None, *, limits: Limits = DEFAULT_LIMITS,
                       waiting: Callable[[], contextlib.AbstractContextManager] | None = None) -> CheckResult:
    """cchc.ingest.check_file in a bounded child process (same arguments, same result); a check past a limit, or
    whose child dies, is refused with a message that says why and what to do. Never raises for bad input."""
    kwargs = {"registry": registry, "plan": plan, "period": period, "mappings": mappings,
              "forced_mapping": forced_mapping}
    from .ingest import CheckResult, check_file

    if os.name != "posix":  # pragma: no cover - no forkserver, no rlimits: the container guard is all there is
        LOG.warning("checking %s without a bounded child process (not available on this system)", filename)
        return check_file(data, filename, **kwargs)
    outcome = run_bounded(_check_target, (data, filename, kwargs), limits, waiting)
    if outcome.status == "ok" and isinstance(outcome.value, CheckResult):
        return outcome.value
    if outcome.status in ("cpu", "wall"):
        LOG.warning("check of %s stopped: past its time limit (%s)", filename, outcome.status)
        return refusal(time_message(limits.cpu_seconds if outcome.status == "cpu" else limits.wall_seconds))
    if outcome.status == "memory":
        LOG.warning("check of %s stopped: past its memory limit", filename)
        return refusal(memory_message(limits))
    LOG.warning("check of %s stopped: the checking process ended with code %s", filename, outcome.exitcode)
    return refusal(crash_message())
