"""A write the database cannot take reaches the user as Vietnamese that says nothing was stored and what to do
(store.database.StorageError), never as SQLAlchemy's English: a real SQLite file that fills up (max_page_count set
low on every connection), one locked by another writer past the timeout, one that is read-only; PostgreSQL's disk
full and lost connection by their codes. Each time nothing changed in the store (every table's rows, the history).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from support import DATA, plan_bytes

from cchc import cli
from cchc.ingest import MACHINE_ADMIN, check_file, import_file, store_checked
from cchc.read.targets import Target
from cchc.store.database import StorageError, Store, metadata, storage_reason

STATS_FILE = DATA / "thong_ke_2019_minh_hoa.xlsx"  # a real statistics workbook: 20 units, 12 months

FULL = ("Không lưu được: ổ đĩa chứa cơ sở dữ liệu đã đầy. Không có gì được lưu. Hãy giải phóng dung lượng đĩa (xóa "
        "bớt tệp không cần trên máy chủ) hoặc báo quản trị viên, rồi thử lại.")
BUSY = ("Không lưu được: cơ sở dữ liệu đang bận với một lần ghi khác và đã chờ quá lâu. Không có gì được lưu. Hãy "
        "thử lại sau ít phút; nếu vẫn bận, báo quản trị viên.")
READ_ONLY = ("Không lưu được: cơ sở dữ liệu chỉ cho đọc, không cho ghi (tệp hoặc thư mục của nó không có quyền ghi). "
             "Không có gì được lưu. Hãy báo quản trị viên cấp quyền ghi cho cơ sở dữ liệu.")
CONNECTION = ("Không lưu được: mất kết nối tới máy chủ cơ sở dữ liệu. Không có gì được lưu. Hãy thử lại sau; nếu lỗi "
              "lặp lại, báo quản trị viên.")


def state(url: str) -> tuple:
    """Every table's row count and the history, read through a fresh connection of its own."""
    store = Store(url)
    with store.engine.connect() as conn:
        counts = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                  for t in metadata.sorted_tables}
    history = store.import_history()[["id", "kind", "filename", "user", "sha256"]].values.tolist()
    store.dispose()
    return counts, history


@pytest.fixture
def office(tmp_path):
    """A SQLite store with a plan (criteria 3.4, 3.7), and the statistics workbook checked, ready to store."""
    path = tmp_path / "db" / "cchc.sqlite"
    url = f"sqlite:///{path}"
    store = Store(url)
    assert import_file(store, plan_bytes(), "ke_hoach.xlsx", user="mẫu")[1] is not None
    data = STATS_FILE.read_bytes()
    result = check_file(data, STATS_FILE.name, plan=store.current_plan())
    assert result.ok and result.kind == "stats"
    yield store, url, path, result, data
    store.dispose()


def on_every_connection(target, *statements: str):
    """Run PRAGMAs on every new connection of `target` (an engine, or the Pool class for every engine)."""
    def run(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        for statement in statements:
            cursor.execute(statement)
        cursor.close()

    event.listen(target, "connect", run)
    return run


# ---- a full disk ----

def test_a_full_disk_stores_nothing_and_says_so_in_vietnamese(office):
    store, url, _, result, data = office
    before = state(url)
    store.engine.dispose()  # the next connections are the limited ones
    # max_page_count below the file's size holds it at its size: any page more is "database or disk is full"
    limit = on_every_connection(store.engine, "PRAGMA max_page_count = 1")
    with pytest.raises(StorageError) as caught:
        store_checked(store, result, data, STATS_FILE.name, user="nv", account=MACHINE_ADMIN)
    assert caught.value.message == FULL and str(caught.value) == FULL and caught.value.reason == "full"
    assert isinstance(caught.value.__cause__, sa.exc.OperationalError)
    assert "database or disk is full" in str(caught.value.__cause__)  # what the user no longer sees
    assert state(url) == before
    # space freed: the same file goes in
    event.remove(store.engine, "connect", limit)
    store.engine.dispose()
    outcome = store_checked(store, result, data, STATS_FILE.name, user="nv", account=MACHINE_ADMIN)
    assert outcome.import_id == 2 and state(url)[1][0][:4] == [2, "stats", STATS_FILE.name, "nv"]


def test_the_cli_says_the_disk_is_full_and_exits_1(office, capsys, monkeypatch):
    _, url, _, _, _ = office
    before = state(url)
    limit = on_every_connection(sa.pool.Pool, "PRAGMA max_page_count = 1")  # the CLI opens its own engine
    try:
        monkeypatch.setattr("sys.argv", ["cchc", "import", str(STATS_FILE), "--db", url])
        with pytest.raises(SystemExit) as done:
            cli.run()
    finally:
        event.remove(sa.pool.Pool, "connect", limit)
    out, err = capsys.readouterr()
    assert (done.value.code, out, err) == (1, "", FULL + "\n")
    assert state(url) == before


def test_cli_main_returns_1_with_the_message(office, capsys):
    """main() itself (what scripts and tests call) answers with the exit code, not an exception."""
    _, url, _, _, _ = office
    before = state(url)
    limit = on_every_connection(sa.pool.Pool, "PRAGMA max_page_count = 1")
    try:
        code = cli.main(["import", str(STATS_FILE), "--db", url, "--json"])
    finally:
        event.remove(sa.pool.Pool, "connect", limit)
    assert (code, capsys.readouterr()) == (1, ("", FULL + "\n"))
    assert state(url) == before


# ---- locked past the timeout: every write method ----

WRITES = {
    "import_stats": lambda s, r, d: store_checked(s, r, d, "tk.xlsx", account=MACHINE_ADMIN),
    "set_targets": lambda s, r, d: s.set_targets([("3.4", Target("on_time_rate", ">=", 0.9))], "nv", 2019),
    "set_rules": lambda s, r, d: s.set_rules("{}", "nv", 2019),
    "save_mapping": lambda s, r, d: s.save_mapping("Cổng DVC", "abc", {"Tên": "unit"}, "nv"),
    "rollback_to": lambda s, r, d: s.rollback_to(0, "nv"),
    "save_user": lambda s, r, d: s.save_user("moi", role="viewer", password_hash="x"),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_database_locked_past_the_timeout_is_busy(office, write):
    store, url, path, result, data = office
    before = state(url)
    store.engine.dispose()
    on_every_connection(store.engine, "PRAGMA busy_timeout = 100")  # 60 s in production; the test waits 0.1 s
    other = sqlite3.connect(path, isolation_level=None)  # another process mid-import holds the write lock
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError) as caught:
            WRITES[write](store, result, data)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (caught.value.reason, caught.value.message) == ("busy", BUSY)
    assert "database is locked" in str(caught.value.__cause__)
    assert state(url) == before


def test_the_cli_says_a_locked_database_is_busy_for_any_command(office, capsys, monkeypatch):
    store, url, path, _, _ = office
    store.save_user("tuphap", role="editor", password_hash="x")
    before = state(url)
    timeout = on_every_connection(sa.pool.Pool, "PRAGMA busy_timeout = 100")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setattr("sys.argv", ["cchc", "user", "disable", "tuphap", "--db", url])
        with pytest.raises(SystemExit) as done:
            cli.run()
    finally:
        event.remove(sa.pool.Pool, "connect", timeout)
        other.execute("ROLLBACK")
        other.close()
    out, err = capsys.readouterr()
    assert (done.value.code, out, err) == (1, "", BUSY + "\n")
    assert state(url) == before


# ---- a read-only database ----

def test_a_read_only_database_stores_nothing_and_says_whom_to_ask(office):
    store, url, path, result, data = office
    before = state(url)
    keeper = sqlite3.connect(path)  # a reader keeps the WAL files, as a running dashboard does
    keeper.execute("SELECT count(*) FROM imports").fetchall()
    store.engine.dispose()
    folder_mode, file_mode = stat.S_IMODE(path.parent.stat().st_mode), stat.S_IMODE(path.stat().st_mode)
    os.chmod(path, 0o444)
    os.chmod(path.parent, 0o555)
    try:
        if os.geteuid() == 0:  # root writes through any mode bits: open the file read-only, as another user would
            @event.listens_for(store.engine, "do_connect")
            def read_only(dialect, record, cargs, cparams):
                cargs[:] = [f"file:{Path(cargs[0]).as_posix()}?mode=ro"]
                cparams["uri"] = True
        with pytest.raises(StorageError) as caught:
            store_checked(store, result, data, STATS_FILE.name, user="nv", account=MACHINE_ADMIN)
        assert (caught.value.reason, caught.value.message) == ("readonly", READ_ONLY)
        assert "readonly database" in str(caught.value.__cause__)
    finally:
        store.engine.dispose()
        os.chmod(path.parent, folder_mode)
        os.chmod(path, file_mode)
        keeper.close()
    assert state(url) == before


# ---- PostgreSQL, by its error codes; and what is no storage condition stays what it is ----

def wrapped(orig: Exception, invalidated: bool = False) -> sa.exc.DBAPIError:
    return sa.exc.DBAPIError.instance("INSERT INTO stats_rows …", {}, orig, psycopg.Error,
                                      connection_invalidated=invalidated)


@pytest.mark.parametrize("orig, invalidated, reason", [
    (psycopg.errors.DiskFull("could not extend file \"base/16384/2619\": No space left on device"), False, "full"),
    (psycopg.OperationalError("server closed the connection unexpectedly"), True, "connection"),
    (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), False, "connection"),
    (psycopg.InterfaceError("the connection is lost"), True, "connection"),  # no code, no OperationalError
    (psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"), False, "readonly"),
    (psycopg.errors.LockNotAvailable("could not obtain lock on relation"), False, "busy"),
    (psycopg.errors.UniqueViolation("duplicate key value violates unique constraint"), False, None),
    (psycopg.errors.NotNullViolation("null value in column \"import_id\""), False, None),
], ids=["disk-full", "connection-lost", "admin-shutdown", "interface-lost", "read-only", "lock", "unique",
        "not-null"])
def test_postgresql_errors_by_their_codes(orig, invalidated, reason):
    assert storage_reason(wrapped(orig, invalidated)) == reason


def test_a_postgresql_disk_full_inside_a_write_rolls_back_and_is_translated(office):
    store, url, _, _, _ = office
    before = state(url)
    with pytest.raises(StorageError) as caught, store._write() as conn:
        conn.execute(sa.text("DELETE FROM target_versions"))
        raise wrapped(psycopg.errors.DiskFull("could not extend file: No space left on device"))
    assert caught.value.message == FULL
    assert state(url) == before


def test_a_constraint_is_no_storage_error(office):
    """backup.restore calls a backup with a duplicate row damaged: the IntegrityError must reach it unchanged."""
    store, url, _, _, _ = office
    before = state(url)
    with pytest.raises(sa.exc.IntegrityError), store._write() as conn:
        conn.execute(sa.text("INSERT INTO plans (id, import_id, title, current, appraisal_source) "
                             "VALUES (1, 1, 'x', 1, 'appraised')"))
    assert state(url) == before


def test_targets_saved_together_land_whole_or_not_at_all(office):
    """The page saves every changed target at once (Store.set_targets): a failure at the second leaves the first
    as it was, so "nothing was stored" is true."""
    store, url, _, _, _ = office
    with store.engine.begin() as conn:  # the database refuses the second target's row
        conn.execute(sa.text("CREATE TRIGGER refuse_37 BEFORE INSERT ON target_versions WHEN NEW.code = '3.7' "
                             "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    before = state(url)
    with pytest.raises(sa.exc.DBAPIError):
        store.set_targets([("3.4", Target("on_time_rate", ">=", 0.9)), ("3.7", None)], "nv", 2019)
    assert state(url) == before
    assert {c.code: c.target for c in store.current_plan(2019).criteria} == {
        "3.4": Target("on_time_rate", "=", 1.0), "3.7": Target("apology_rate", "=", 1.0)}  # the plan's own
