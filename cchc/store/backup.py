"""Move the whole store between machines: `python -m cchc backup FILE` and `restore FILE`.

A backup is a zip: manifest.json (format, schema revision, row counts) and one JSON-lines file per table, written
and read in batches so a large store never sits whole in memory. It restores into any empty database SQLAlchemy
reaches, SQLite to PostgreSQL included.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import zipfile
import zlib
from pathlib import Path

import sqlalchemy as sa

from .database import HEAD_REVISION, Store, metadata

FORMAT = 1
BATCH = 5000


class BackupError(Exception):
    """A backup that cannot be restored here; the message is Vietnamese."""


def _encode(value):
    if isinstance(value, (bytes, memoryview)):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "$b64" in value:
            return base64.b64decode(value["$b64"])
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
    return value


# Logins are this machine's, not the office's data: a restored copy starts with nobody logged in and no waits.
NOT_BACKED_UP = ("login_sessions", "login_throttle")


def _tables():
    return [table for table in metadata.sorted_tables if table.name not in NOT_BACKED_UP]


def backup(store: Store, path: Path | str) -> dict:
    """Write every table but the logins to a zip file; returns the manifest."""
    counts = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive, store.engine.connect() as conn:
        for table in _tables():
            count = 0
            with archive.open(f"{table.name}.jsonl", "w") as out:
                result = conn.execution_options(yield_per=BATCH).execute(
                    sa.select(table).order_by(*table.primary_key.columns))
                for row in result.mappings():
                    out.write((json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
                              .encode("utf-8"))
                    count += 1
            counts[table.name] = count
        manifest = {"format": FORMAT, "revision": HEAD_REVISION, "created_at": dt.datetime.now().isoformat(),
                    "tables": counts}
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


@contextlib.contextmanager
def _damaged_table_refused():
    """Table data that does not read or does not fit (the manifest was fine): a BackupError, not a crash."""
    try:
        yield
    except sa.exc.OperationalError:
        raise  # the database itself, not the backup
    except (ValueError, TypeError, AttributeError, KeyError, EOFError, zipfile.BadZipFile, zlib.error,
            sa.exc.StatementError):
        raise BackupError("Bản sao lưu bị hỏng (dữ liệu của một bảng không đọc được hoặc không khớp): không phục "
                          "hồi gì, cơ sở dữ liệu đích vẫn trống.") from None


def restore(store: Store, path: Path | str) -> dict:
    """Load a backup into an empty store, in one transaction. Raises BackupError with a Vietnamese message."""
    try:
        archive = zipfile.ZipFile(path)
        manifest = json.loads(archive.read("manifest.json"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        raise BackupError("Tệp không phải là bản sao lưu của phần mềm (thiếu manifest.json hoặc hỏng).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Bản sao lưu dạng {manifest.get('format')} không được hỗ trợ.")
    if manifest.get("revision") != HEAD_REVISION:
        raise BackupError(f"Bản sao lưu theo lược đồ {manifest.get('revision')}, phần mềm đang dùng "
                          f"{HEAD_REVISION}: hãy dùng cùng phiên bản phần mềm để phục hồi.")
    if store.import_count() or store.has_users():
        raise BackupError("Cơ sở dữ liệu đích đã có dữ liệu: chỉ phục hồi vào cơ sở dữ liệu trống.")
    with _damaged_table_refused(), store._write() as conn:  # one transaction: rolled back, then refused
        for table in _tables():
            name = f"{table.name}.jsonl"
            if name not in archive.namelist():
                continue
            batch = []
            with archive.open(name) as lines:
                for line in lines:
                    batch.append({k: _decode(v) for k, v in json.loads(line).items()})
                    if len(batch) >= BATCH:
                        conn.execute(table.insert(), batch)
                        batch = []
            if batch:
                conn.execute(table.insert(), batch)
        if conn.dialect.name == "postgresql":  # explicit ids were inserted: move the sequences past them
            for table in metadata.sorted_tables:
                if "id" in table.c and table.c.id.primary_key:
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return manifest
