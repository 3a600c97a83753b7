"""The store's refusals and allowances that tests/store/test_history.py and test_storage_errors.py do not reach:
restoring what is not one of our backups, a backup of another format or schema, a backup whose table data is
damaged (nothing restored, the target stays empty), a backup without some table or with more rows than one batch;
and the PostgreSQL write lock (cchc/store/database.py, _WriteTransaction): a writer that cannot get it in time, one
interrupted while waiting for it, a commit the server never confirms, a constraint that fails only at commit;
corrections refused before anything is written (a target for a criterion the plan lacks, rules without a plan, a
mapping without a name); and a driver error without a code, judged by its words.

Restores run into the `store` fixture, a fresh database on SQLite and on PostgreSQL; the lock tests need a
PostgreSQL server (scripts/postgres.sh) and use postgres_url.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from support import plan_bytes

from cchc.fields import STATS_FIELDS
from cchc.ingest import import_file
from cchc.read.targets import Target
from cchc.store.backup import BackupError, backup, restore
from cchc.store.database import StorageError, Store, metadata, storage_reason

NOT_A_BACKUP = "Tệp không phải là bản sao lưu của phần mềm (thiếu manifest.json hoặc hỏng)."
DAMAGED = ("Bản sao lưu bị hỏng (dữ liệu của một bảng không đọc được hoặc không khớp): không phục hồi gì, cơ sở dữ "
           "liệu đích vẫn trống.")


def stats_records(units: int, period: str = "2019-01") -> pd.DataFrame:
    """One month of `units` units, each with 3 received and 3 resolved on time."""
    values = dict.fromkeys(STATS_FIELDS, 0)
    values.update(received_total=3, received_direct=3, resolved_total=3, resolved_on_time=3)
    return pd.DataFrame([{"unit": f"Đơn vị {i:05d}", "level": "xã", "year": int(period[:4]),
                          "month": int(period[5:]), "period": period, **values} for i in range(units)])


def row_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables}


def empty(store: Store) -> bool:
    return set(row_counts(store).values()) == {0}


@pytest.fixture(scope="module")
def small_backup(tmp_path_factory):
    """A backup (the zip `python -m cchc backup` writes) of a SQLite store with one statistics import of 3 units
    and one account; with its row counts."""
    folder = tmp_path_factory.mktemp("sao_luu")
    source = Store(f"sqlite:///{folder / 'nguon.sqlite'}")
    source.import_stats(stats_records(3), b"tep goc", "thong_ke.xlsx", user="nv")
    source.save_user("quantri", role="admin", display_name="Quản trị", password_hash="x")
    path = folder / "sao_luu.zip"
    backup(source, path)
    counts = row_counts(source)
    source.dispose()
    return path, counts


def rewritten(path: Path, target: Path, members: dict[str, bytes | None]) -> Path:
    """A copy of the backup at `target` with some members replaced (bytes) or left out (None)."""
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            if name not in members:
                copy.writestr(name, original.read(name))
        for name, data in members.items():
            if data is not None:
                copy.writestr(name, data)
    return target


def manifest_with(path, **changes) -> bytes:
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
    manifest.update(changes)
    return json.dumps(manifest).encode()


def first_line(path, member: str) -> dict:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read(member).decode("utf-8").splitlines()[0])


# ---------------------------------------------------------------------------------------------------------------
# Restore: what is not one of our backups, or not of this version
# ---------------------------------------------------------------------------------------------------------------

def xlsx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def manifest_only(text: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("manifest.json", text)
    return buffer.getvalue()


@pytest.mark.parametrize("content", [
    b"Don vi,Nam\nPhong Tu phap,2019\n",  # not a zip
    xlsx_like(),  # a zip without manifest.json (a workbook chosen by mistake)
    manifest_only(b"{khong phai json"),  # a manifest that is not JSON
    None,  # no such file
], ids=["text", "workbook", "manifest-not-json", "missing"])
def test_what_is_not_a_backup_is_refused(store, tmp_path, content):
    path = tmp_path / "sao_luu.zip"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BackupError) as refused:
        restore(store, path)
    assert str(refused.value) == NOT_A_BACKUP
    assert empty(store)


def test_a_backup_of_another_format_is_refused(store, small_backup, tmp_path):
    path, _ = small_backup
    other = rewritten(path, tmp_path / "dang_2.zip", {"manifest.json": manifest_with(path, format=2)})
    with pytest.raises(BackupError) as refused:
        restore(store, other)
    assert "Bản sao lưu dạng 2 không được hỗ trợ" in str(refused.value)
    assert empty(store)


@pytest.mark.parametrize("revision", ["0099", "0001"], ids=["newer", "older"])
def test_a_backup_of_another_schema_is_refused(store, small_backup, tmp_path, revision):
    path, _ = small_backup
    other = rewritten(path, tmp_path / "luoc_do.zip", {"manifest.json": manifest_with(path, revision=revision)})
    with pytest.raises(BackupError) as refused:
        restore(store, other)
    text = str(refused.value)
    assert f"Bản sao lưu theo lược đồ {revision}, phần mềm đang dùng" in text and "cùng phiên bản" in text
    assert empty(store)


# ---------------------------------------------------------------------------------------------------------------
# Restore: damaged table data is refused whole
# ---------------------------------------------------------------------------------------------------------------

def damaged_stats(path, damage: str) -> bytes:
    """stats_rows.jsonl of the backup with its first row damaged in one way."""
    with zipfile.ZipFile(path) as z:
        lines = z.read("stats_rows.jsonl").decode("utf-8").splitlines()
    row = json.loads(lines[0])
    if damage == "not-json":
        lines[0] = lines[0][:-5]
    elif damage == "value-of-another-kind":
        row["received_total"] = {"so": 3}
        lines[0] = json.dumps(row)
    elif damage == "missing-value":
        row["unit"] = None
        lines[0] = json.dumps(row)
    elif damage == "row-twice":
        lines.append(lines[0])
    elif damage == "not-an-object":
        lines[0] = "[1, 2, 3]"
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("damage", ["not-json", "value-of-another-kind", "missing-value", "row-twice",
                                    "not-an-object"])
def test_damaged_table_data_restores_nothing(store, small_backup, tmp_path, damage):
    """The manifest is fine, a row of stats_rows is not: refused, and the rows already inserted before it (the
    imports, the account) are rolled back, so the target stays empty and can take a good backup."""
    path, counts = small_backup
    other = rewritten(path, tmp_path / "hong.zip", {"stats_rows.jsonl": damaged_stats(path, damage)})
    with pytest.raises(BackupError) as refused:
        restore(store, other)
    assert str(refused.value) == DAMAGED
    assert empty(store)
    restore(store, path)
    assert row_counts(store) == counts


def test_a_table_file_whose_packed_bytes_are_corrupt_restores_nothing(store, small_backup, tmp_path):
    """A byte flipped inside the packed data of a table's zip member: it no longer inflates."""
    path, _ = small_backup
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("stats_rows.jsonl")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    broken = tmp_path / "bit.zip"
    broken.write_bytes(bytes(data))
    with pytest.raises(BackupError) as refused:
        restore(store, broken)
    assert str(refused.value) == DAMAGED
    assert empty(store)


def test_a_table_file_failing_its_checksum_restores_nothing(store, small_backup, tmp_path):
    """The member stored unpacked, one digit of a unit's name changed after its CRC was written: every line still
    reads, and the checksum fails at its end."""
    path, _ = small_backup
    with zipfile.ZipFile(path) as original:
        members = {name: original.read(name) for name in original.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for name, content in members.items():
            copy.writestr(name, content, compress_type=zipfile.ZIP_STORED if name == "stats_rows.jsonl" else None)
    data = bytearray(buffer.getvalue())
    at = data.index("Đơn vị 00000".encode()) + len("Đơn vị ".encode())
    data[at] = ord("9")
    broken = tmp_path / "crc.zip"
    broken.write_bytes(bytes(data))
    with pytest.raises(BackupError) as refused:
        restore(store, broken)
    assert str(refused.value) == DAMAGED
    assert empty(store)


# ---------------------------------------------------------------------------------------------------------------
# Restore: what it accepts
# ---------------------------------------------------------------------------------------------------------------

def test_a_table_missing_from_the_backup_is_restored_empty(store, small_backup, tmp_path):
    path, counts = small_backup
    without = rewritten(path, tmp_path / "thieu.zip", {"users.jsonl": None})
    restore(store, without)
    assert row_counts(store) == {**counts, "users": 0}
    assert store.stats_totals()["received_total"] == 9


def test_a_table_larger_than_one_batch_is_restored_whole(store, tmp_path):
    """5.001 statistics rows: one full batch of 5.000 inserted, then the last row; each exactly once."""
    source = Store(f"sqlite:///{tmp_path / 'lon.sqlite'}")
    source.import_stats(stats_records(5001), b"tep goc", "thong_ke.xlsx", user="nv")
    path = tmp_path / "lon.zip"
    backup(source, path)
    source.dispose()
    restore(store, path)
    assert row_counts(store)["stats_rows"] == 5001
    assert store.stats_totals()["received_total"] == 3 * 5001
    assert len(store.stats_units()) == 5001


def test_a_restore_the_disk_cannot_hold_is_a_storage_error(tmp_path):
    """The target database fills up while restoring (a stored file of 300 KB, more than the empty database's free
    pages): the user reads that the disk is full, not that the backup is damaged, and nothing was restored."""
    source = Store(f"sqlite:///{tmp_path / 'nguon.sqlite'}")
    source.import_stats(stats_records(3), random.Random(7).randbytes(300_000), "thong_ke.xlsx", user="nv")
    path = tmp_path / "sao_luu.zip"
    backup(source, path)
    source.dispose()
    target = Store(f"sqlite:///{tmp_path / 'day.sqlite'}")
    target.engine.dispose()

    def limit(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA max_page_count = 1")  # held at its size: any page more is "disk full"

    event.listen(target.engine, "connect", limit)
    with pytest.raises(StorageError) as refused:
        restore(target, path)
    assert refused.value.reason == "full" and "ổ đĩa chứa cơ sở dữ liệu đã đầy" in refused.value.message
    event.remove(target.engine, "connect", limit)
    target.engine.dispose()
    assert empty(target)
    target.dispose()


# ---------------------------------------------------------------------------------------------------------------
# The PostgreSQL write lock
# ---------------------------------------------------------------------------------------------------------------

LOCK_KEY = 7_317_011  # the application's advisory lock (database._WRITE_LOCK_KEY), taken here by "another writer"


def with_options(url: str, options: str) -> str:
    return f"{url}?options={options.replace(' ', '%20').replace('=', '%3D')}"


def test_a_writer_that_cannot_get_the_write_lock_in_time_is_told_busy(postgres_url):
    """Another writer holds the lock past the server's lock_timeout: the write is refused as "busy", nothing of it
    is stored, and once the lock is free the same write goes in."""
    Store(postgres_url).dispose()  # migrated before the lock is taken (opening a store reads first, then writes)
    store = Store(with_options(postgres_url, "-c lock_timeout=200"))
    holder = sa.create_engine(postgres_url).connect()
    holder.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
    try:
        with pytest.raises(StorageError) as refused:
            store.save_mapping("Cổng DVC", "abc", {"Tên": "unit"}, "nv")
        assert refused.value.reason == "busy" and "đang bận với một lần ghi khác" in refused.value.message
        assert store.import_count() == 0 and store.saved_mappings() == []
        assert store.engine.pool.checkedout() == 0
    finally:
        holder.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        holder.close()
    assert store.save_mapping("Cổng DVC", "abc", {"Tên": "unit"}, "nv") == 1
    assert [m["name"] for m in store.saved_mappings()] == ["Cổng DVC"]
    store.dispose()


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError], ids=["ctrl-c", "error"])
def test_a_writer_interrupted_while_waiting_for_the_lock_gives_its_connection_back(postgres_url, interruption):
    """Ctrl-C, or an error that is not the database's, while the write waits for the lock: the transaction is
    ended, the connection goes back to the pool at once, and the interruption goes on unchanged."""
    store = Store(postgres_url)

    def interrupt(conn, cursor, statement, *_):
        if "pg_advisory_xact_lock" in statement:
            raise interruption("stopped")

    event.listen(store.engine, "before_cursor_execute", interrupt)
    with pytest.raises(interruption):
        store.save_mapping("Cổng DVC", "abc", {"Tên": "unit"}, "nv")
    assert store.engine.pool.checkedout() == 0
    event.remove(store.engine, "before_cursor_execute", interrupt)
    assert store.save_mapping("Cổng DVC", "abc", {"Tên": "unit"}, "nv") == 1
    store.dispose()


def test_a_commit_the_server_never_confirms_is_a_lost_connection(postgres_url):
    """The server goes away between the last statement and COMMIT: the user is told the connection was lost and
    nothing was stored; the next write reconnects."""
    store = Store(postgres_url)
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")

    def drop_connection(conn):
        pid = conn.connection.dbapi_connection.info.backend_pid
        with admin.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    event.listen(store.engine, "commit", drop_connection)
    with pytest.raises(StorageError) as refused:
        store.save_mapping("Cổng DVC", "abc", {"Tên": "unit"}, "nv")
    event.remove(store.engine, "commit", drop_connection)
    assert refused.value.reason == "connection" and "mất kết nối tới máy chủ cơ sở dữ liệu" in refused.value.message
    assert store.import_count() == 0
    store.save_mapping("Cổng DVC", "abc", {"Tên": "unit"}, "nv")
    assert store.import_count() == 1 and [m["name"] for m in store.saved_mappings()] == ["Cổng DVC"]
    admin.dispose()
    store.dispose()


def test_a_constraint_failing_at_commit_stays_a_database_error(postgres_url):
    """A deferred constraint is checked at COMMIT: its failure is the data's, not the storage's, so it is not
    disguised as "disk full" or "busy" (backup.restore relies on that to call a backup damaged)."""
    store = Store(postgres_url)
    with store.engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE mapping_versions ADD CONSTRAINT one_version_per_name UNIQUE (name) "
                             "DEFERRABLE INITIALLY DEFERRED"))
    store.save_mapping("Cổng DVC", "abc", {"Tên": "unit"}, "nv")
    with pytest.raises(sa.exc.IntegrityError) as refused:
        store.save_mapping("Cổng DVC", "abd", {"Tên đơn vị": "unit"}, "nv")  # a second version: refused at COMMIT
    assert "one_version_per_name" in str(refused.value)
    assert store.import_count() == 1 and store.engine.pool.checkedout() == 0
    store.dispose()


# ---------------------------------------------------------------------------------------------------------------
# Corrections the store refuses before it writes anything
# ---------------------------------------------------------------------------------------------------------------

def test_targets_for_a_criterion_the_plan_lacks_are_refused_whole(store):
    """One unknown code among the changes: none of them is saved, not even the valid one before it."""
    import_file(store, plan_bytes(), "ke_hoach.xlsx", user="nv")
    before = row_counts(store)
    with pytest.raises(KeyError, match="9.9"):
        store.set_targets([("3.4", Target("on_time_rate", ">=", 0.9)), ("9.9", None)], "nv", 2019)
    assert row_counts(store) == before
    assert {c.code: c.target for c in store.current_plan(2019).criteria}["3.4"] == Target("on_time_rate", "=", 1.0)


def test_scoring_rules_without_a_plan_are_refused(store):
    with pytest.raises(KeyError):
        store.set_rules("{}", "nv", 2019)
    assert empty(store)


def test_a_column_mapping_without_a_name_is_refused(store):
    with pytest.raises(ValueError, match="needs a name"):
        store.save_mapping("   ", "abc", {"Tên": "unit"}, "nv")
    assert empty(store) and store.saved_mappings() == []


# ---------------------------------------------------------------------------------------------------------------
# A driver error with neither SQLite's code nor a SQLSTATE: judged by its words
# ---------------------------------------------------------------------------------------------------------------

class CodelessDriverError(Exception):
    """A DB-API error as some drivers (or an older sqlite3) raise it: no sqlite_errorcode, no sqlstate."""


@pytest.mark.parametrize("words, reason", [
    ("database is locked", "busy"),
    ("attempt to write a readonly database", "readonly"),
    ("disk is full", "full"),
    ("server closed the connection unexpectedly", "connection"),
    ("unable to open database file", "other"),  # the database's condition all the same: nothing was stored
], ids=["locked", "read-only", "full", "connection", "anything-else"])
def test_an_operational_error_without_a_code_is_judged_by_its_words(words, reason):
    error = sa.exc.OperationalError("INSERT INTO imports …", {}, CodelessDriverError(words))
    assert storage_reason(error) == reason
