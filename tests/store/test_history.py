"""History, rollback, backup/restore, migrations, atomic imports — on SQLite and PostgreSQL.

Two imports at once: test_concurrency.py.
"""

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
import sqlalchemy as sa
from support import ROOT, sample_plan_bytes

from cchc.ingest import import_file, load_sample_data
from cchc.read.targets import Target
from cchc.sample import build_template_workbook, sample_stats_table
from cchc.store.backup import BackupError, backup, restore
from cchc.store.database import Store, stats_rows


def snapshot(store: Store) -> dict:
    """Everything a user could see change: entries, rows, totals, the plan's targets."""
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(stats_rows)).scalar_one()
    plan = store.current_plan()
    return {"imports": store.import_count(), "rows": rows, "totals": store.stats_totals(),
            "periods": store.stats_periods(),
            "targets": {c.code: c.target for c in plan.criteria} if plan else None}


def quarter_workbook(tmp_path, months, name, scale=1):
    table = sample_stats_table()
    part = table[table["month"].isin(months)].copy()
    if scale != 1:
        part["received_total"] = part["received_total"]  # same figures; a different file all the same
    path = tmp_path / name
    path.write_bytes(build_template_workbook(part))
    return path


def test_rollback_to_any_entry_and_undo(store):
    load_sample_data(store)
    after_sample = snapshot(store)
    store.set_target("7.2.2", Target("online_l3_share", ">=", 0.3), user="admin")
    edited = snapshot(store)
    assert edited["targets"]["7.2.2"].value == 0.3
    rollback = store.rollback_to(1, user="admin")  # just the plan
    only_plan = snapshot(store)
    assert only_plan["totals"]["received_total"] == 0 and only_plan["periods"] == []
    assert only_plan["targets"]["7.2.2"].value == 0.2
    assert store.import_history().iloc[0]["kind"] == "rollback"
    changes = store.entry_changes(rollback)
    assert set(changes["Thao tác"]) == {"Hủy"} and len(changes) == 4  # stats, progress, procedures, target
    store.rollback_to(rollback - 1, user="admin")  # undo the rollback
    restored = snapshot(store)
    assert restored["totals"] == edited["totals"] and restored["targets"] == edited["targets"]
    store.rollback_to(4, user="admin")  # the state right after the sample: the target edit undone
    assert snapshot(store)["targets"] == after_sample["targets"]
    assert snapshot(store)["totals"] == after_sample["totals"]


def test_entry_changes_name_unit_months_added_and_replaced(store, tmp_path):
    import_file(store, sample_plan_bytes(), "ke_hoach.xlsx")
    first = quarter_workbook(tmp_path, [1, 2], "t1.xlsx")
    second = quarter_workbook(tmp_path, [2, 3], "t2.xlsx")
    _, one = import_file(store, first.read_bytes(), first.name)
    _, two = import_file(store, second.read_bytes(), second.name)
    changes = store.entry_changes(two.import_id)
    counts = changes.groupby("Thao tác").size().to_dict()
    assert counts == {"Thêm mới": 20, "Thay thế": 20}
    assert set(changes.loc[changes["Thao tác"] == "Thay thế", "Kỳ"]) == {"02/2019"}
    store.rollback_to(one.import_id)
    assert store.stats_periods() == ["2019-01", "2019-02"]  # February is the first file's again
    table = sample_stats_table()
    assert store.stats_totals()["received_total"] == int(table[table["month"] <= 2]["received_total"].sum())


def test_backup_and_restore_between_databases(store, tmp_path):
    load_sample_data(store)
    store.set_target("6.4", Target("criterion_rate", ">=", 1.0), user="admin")
    store.save_user("admin", role="admin", password_hash="scrypt$x", display_name="Quản trị")
    before = snapshot(store)
    path = tmp_path / "sao_luu.zip"
    manifest = backup(store, path)
    assert manifest["tables"]["stats_rows"] == before["rows"]
    # restore into a fresh SQLite file (the store fixture itself runs on SQLite and on PostgreSQL)
    target = Store(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    restore(target, path)
    assert snapshot(target) == before
    assert target.import_content(2) == store.import_content(2)
    assert target.get_user("admin")["display_name"] == "Quản trị"
    later = target.set_target("6.4", None, user="admin")  # ids continue after the restored ones
    assert later == before["imports"] + 1
    with pytest.raises(BackupError, match="đã có dữ liệu"):
        restore(target, path)


def test_restore_sqlite_backup_into_postgresql(tmp_path, postgres_url):
    db_url = postgres_url
    source = Store(f"sqlite:///{tmp_path / 'office.sqlite'}")
    load_sample_data(source)
    path = tmp_path / "office.zip"
    backup(source, path)
    target = Store(db_url)
    restore(target, path)
    assert snapshot(target) == snapshot(source)
    entry = target.set_target("6.4", None, user="admin")  # the PostgreSQL sequences were moved on
    assert entry == source.import_count() + 1


def test_upgrade_from_the_first_schema_keeps_data(db_url):
    """A database made by the first version (revision 0001) upgrades to the newest without losing a row."""
    from alembic import command
    from alembic.config import Config

    engine = sa.create_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(ROOT / "cchc" / "store" / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        now = pd.Timestamp("2019-07-10").to_pydatetime()
        conn.execute(sa.text("INSERT INTO imports (id, kind, filename, sha256, size, created_at, \"user\", "
                             "illustrative, summary, content) VALUES (1, 'plan', 'kh.xlsx', '', 3, :now, 'nv', "
                             ":false, '{}', :content)"), {"now": now, "false": False, "content": b"abc"})
        conn.execute(sa.text("INSERT INTO plans (id, import_id, plan_year, appraisal_year, title, current) "
                             "VALUES (1, 1, 2019, 2018, 'Kế hoạch cũ', :true)"), {"true": True})
        conn.execute(sa.text("INSERT INTO plan_domains VALUES (1, '7', 'Hiện đại hóa hành chính', 13.25, 9.75, 3.5, 0)"))
        conn.execute(sa.text("INSERT INTO plan_criteria (plan_id, code, domain, name, standard, appraised, lost, "
                             "lead, partners, position) VALUES (1, '7.2.2', '7', 'Mức độ 3', 0.5, 0, 0.5, "
                             "'[\"Phòng Văn hóa-Thông tin\"]', '[]', 0)"))
        conn.execute(sa.text("INSERT INTO criterion_targets VALUES (1, '7.2.2', 'online_l3_share', '>=', 0.2, "
                             "'user', '', :now, 'nv')"), {"now": now})
        conn.execute(sa.text("INSERT INTO stats_rows (import_id, unit, level, year, month, period, current, "
                             "received_total, resolved_total) VALUES (1, 'UBND xã Ia Tul', 'xã', 2019, 1, '2019-01', "
                             ":true, 40, 30)"), {"true": True})
    engine.dispose()
    store = Store(db_url)  # upgrades
    plan = store.current_plan()
    assert plan.title == "Kế hoạch cũ" and plan.criteria[0].target == Target("online_l3_share", ">=", 0.2)
    assert store.stats_totals()["received_total"] == 40
    assert store.import_content(1) == ("kh.xlsx", b"abc")
    assert store.progress_records().empty and not store.has_users()  # the new tables exist, empty
    with store.engine.connect() as conn:
        # upgraded to the newest migration file in the tree, whichever that is
        newest = max(path.name[:4] for path in (ROOT / "cchc/store/migrations/versions").glob("0*.py"))
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == newest


def _cli_import(path, url, env=None):
    return subprocess.Popen([sys.executable, "-m", "cchc", "import", str(path), "--db", url, "--json"],
                            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_for(path, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists():
            return
        time.sleep(0.05)
    raise AssertionError("the import never reached its hold point")


def test_killed_import_leaves_the_store_exactly_as_before(db_url, tmp_path):
    store = Store(db_url)
    load_sample_data(store)
    before = snapshot(store)
    table = sample_stats_table()
    big = pd.concat([table.assign(year=y, unit=table["unit"] + f" {i}") for i, y in enumerate(range(2020, 2023))])
    big["period"] = big["year"].astype(str) + "-" + big["month"].map("{:02d}".format)
    path = tmp_path / "lon.xlsx"
    path.write_bytes(build_template_workbook(big.drop(columns=["period"])))
    marker = tmp_path / "held"
    process = _cli_import(path, db_url, {"CCHC_TEST_HOLD_IMPORT": str(marker)})
    _wait_for(marker)
    # half of the import is written inside its transaction: a reader sees none of it
    assert snapshot(Store(db_url)) == before
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    after = Store(db_url)
    assert snapshot(after) == before
    _, outcome = import_file(after, path.read_bytes(), path.name)  # and the store still works
    assert outcome is not None and after.stats_periods()[-1] == "2022-12"
