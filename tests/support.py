"""Shared test helpers: workbooks the tests build themselves, and stores on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

PLAN_HEADER = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm chuẩn", "Điểm thẩm định 2018", "Điểm bị mất",
               "Giải pháp", "Cơ quan chủ trì thực hiện", "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú"]

SMALL_PLAN_ROWS = [
    ["3", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 3, 1, 2, None, None, None, None, None],
    [3.4, "Tỷ lệ hồ sơ giải quyết đúng hạn", 2, 1, 1, "100% số hồ sơ TTHC trong năm được giải quyết đúng hạn",
     "Cơ quan, đơn vị có TTHC, UBND xã", None, "Trong năm 2019 và các năm tiếp theo", None],
    ["3.7", "Thực hiện xin lỗi", 1, 0, 1, "100% hồ sơ quá hạn giải quyết có văn bản xin lỗi",
     "Văn phòng HDND-UBND huyện", "Phòng Nội vụ,", "Trong năm 2019", None],
]


def xlsx_bytes(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
               start_row: int = 1) -> bytes:
    """A workbook with the given sheets; each sheet's rows are written from `start_row`."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=start_row):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plan_bytes(rows=None, header=None, title=("KẾ HOẠCH KHẮC PHỤC … NĂM 2019",), footer=(), sheet="Kế hoạch"):
    grid = [[t] for t in title] + [[]] + [list(header or PLAN_HEADER)] + [list(r) for r in (rows or SMALL_PLAN_ROWS)]
    grid += [[]] + [list(f) for f in footer]
    return xlsx_bytes({sheet: grid})


def sample_plan_bytes() -> bytes:
    return (DATA / "ke_hoach_75_2019.xlsx").read_bytes()


def _postgres_url() -> str | None:
    return os.environ.get("CCHC_TEST_POSTGRES_URL")


def postgres_database(name: str) -> str:
    """A new, empty database on the test PostgreSQL server (dropped first if a run left it); skips without one."""
    base = _postgres_url()
    if not base:
        if os.environ.get("CI"):
            pytest.fail("CCHC_TEST_POSTGRES_URL is not set: scripts/test.sh starts PostgreSQL for these tests")
        pytest.skip("no PostgreSQL server (run through scripts/test.sh)")
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL: a SQLite file, and a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    base = _postgres_url()
    if not base:
        if os.environ.get("CI"):
            pytest.fail("CCHC_TEST_POSTGRES_URL is not set: scripts/test.sh starts PostgreSQL for these tests")
        pytest.skip("no PostgreSQL server (run through scripts/test.sh)")
    name = f"cchc_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        sa.create_engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def store(db_url):
    from cchc.store.database import Store

    s = Store(db_url)
    yield s
    s.dispose()
