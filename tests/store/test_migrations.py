"""The schema migrations (cchc/store/migrations): an empty database is built by them alone, the first two
revisions can be taken down and put back up on SQLite leaving exactly their tables, and the rules a 0002 database
kept survive the move to 0003's versioned tables."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from support import ROOT

from cchc.fields import STATS_FIELDS
from cchc.store.database import HEAD_REVISION, Store

FIRST = {"imports", "plans", "plan_domains", "plan_criteria", "criterion_targets", "stats_rows"}
SECOND = {"progress_rows", "procedure_rows", "plan_rules"}


def _config(conn) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ROOT / "cchc" / "store" / "migrations"))
    config.attributes["connection"] = conn
    return config


def _tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def _revision(engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(engine, direction, revision: str) -> None:
    with engine.begin() as conn:
        direction(_config(conn), revision)


def test_upgrade_from_an_empty_database_builds_every_table(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'trong.sqlite'}")
    _migrate(engine, command.upgrade, "head")
    assert _revision(engine) == HEAD_REVISION  # the revision a Store checks for
    # 0003 replaces 0001's criterion_targets and 0002's plan_rules by versioned tables
    tables = _tables(engine)
    assert (FIRST | SECOND | {"target_versions", "rule_versions", "entry_reverts", "users"}) - {
        "criterion_targets", "plan_rules"} <= tables
    assert not {"criterion_targets", "plan_rules"} & tables
    inspector = sa.inspect(engine)
    stats_columns = {c["name"] for c in inspector.get_columns("stats_rows")}
    assert {"unit", "level", "year", "month", "period", "current", *STATS_FIELDS} <= stats_columns
    assert {c["name"] for c in inspector.get_columns("rule_versions")} == {
        "id", "import_id", "plan_id", "rules", "current", "updated_at", "updated_by"}
    engine.dispose()


def test_first_two_revisions_go_down_and_back_up(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'khu_hoi.sqlite'}")
    _migrate(engine, command.upgrade, "0002")
    assert _tables(engine) == FIRST | SECOND and _revision(engine) == "0002"

    _migrate(engine, command.downgrade, "0001")  # 0002 down: progress, procedures and rules go, 0001's stay
    assert _tables(engine) == FIRST and _revision(engine) == "0001"

    _migrate(engine, command.downgrade, "base")  # 0001 down: nothing of the schema is left
    assert _tables(engine) == set() and _revision(engine) is None

    _migrate(engine, command.upgrade, "0002")  # and back up, twice over the same file
    assert _tables(engine) == FIRST | SECOND and _revision(engine) == "0002"
    progress_columns = {c["name"] for c in sa.inspect(engine).get_columns("procedure_rows")}
    assert {"import_id", "unit", "level", "year", "current"} <= progress_columns
    with engine.begin() as conn:  # the rebuilt tables take rows
        conn.execute(sa.text("INSERT INTO imports (id, kind, filename, sha256, size, created_at, \"user\", "
                             "illustrative, summary, content) VALUES (1, 'stats', 'tk.xlsx', '', 3, "
                             "'2019-07-10 00:00:00', 'nv', 0, '{}', x'616263')"))
        conn.execute(sa.text("INSERT INTO stats_rows (import_id, unit, level, year, month, period, current, "
                             "received_total) VALUES (1, 'UBND xã Ia Tul', 'xã', 2019, 1, '2019-01', 1, 40)"))
        assert conn.execute(sa.text("SELECT received_total FROM stats_rows")).scalar() == 40
    engine.dispose()


def test_rules_kept_by_a_0002_database_are_carried_into_rule_versions(tmp_path):
    url = f"sqlite:///{tmp_path / 'cu.sqlite'}"
    engine = sa.create_engine(url)
    _migrate(engine, command.upgrade, "0002")
    rules = '{"version": 1, "rules": []}'
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO imports (id, kind, filename, sha256, size, created_at, \"user\", "
                             "illustrative, summary, content) VALUES (1, 'plan', 'kh.xlsx', '', 3, "
                             "'2019-07-10 00:00:00', 'nv', 0, '{}', x'616263')"))
        conn.execute(sa.text("INSERT INTO plans (id, import_id, plan_year, appraisal_year, title, current) "
                             "VALUES (1, 1, 2019, 2018, 'Kế hoạch cũ', 1)"))
        conn.execute(sa.text("INSERT INTO plan_rules VALUES (1, :rules, '2019-07-11 08:30:00', 'tckh')"),
                     {"rules": rules})
    engine.dispose()
    store = Store(url)  # upgrades 0002 → 0003 (and on to the newest revision)
    assert store.rules_json() == rules
    with store.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT import_id, updated_by, current FROM rule_versions")).one()
    assert tuple(row) == (1, "tckh", 1)
    store.dispose()


def test_0004_adds_spans_mappings_and_the_plan_source_and_goes_back_down(tmp_path):
    url = f"sqlite:///{tmp_path / 'bon.sqlite'}"
    engine = sa.create_engine(url)
    _migrate(engine, command.upgrade, "0003")
    with engine.begin() as conn:  # a 0003 database with a month stored
        conn.execute(sa.text("INSERT INTO imports (id, kind, filename, created_at) VALUES (1, 'stats', 'a.xlsx', "
                             "'2019-02-01 00:00:00')"))
        conn.execute(sa.text("INSERT INTO stats_rows (import_id, unit, level, year, month, period, current) VALUES "
                             "(1, 'Phòng Tư pháp', 'huyện', 2019, 1, '2019-01', 1)"))
    _migrate(engine, command.upgrade, "0004")
    inspector = sa.inspect(engine)
    assert {"period_end", "superseded_by"} <= {c["name"] for c in inspector.get_columns("stats_rows")}
    assert "appraisal_source" in {c["name"] for c in inspector.get_columns("plans")}
    assert "mapping_versions" in _tables(engine)
    with engine.connect() as conn:  # the month kept is a month: no end, not superseded
        assert conn.execute(sa.text("SELECT period, period_end, superseded_by FROM stats_rows")).all() == [
            ("2019-01", None, None)]
    _migrate(engine, command.downgrade, "0003")
    inspector = sa.inspect(engine)
    assert not {"period_end", "superseded_by"} & {c["name"] for c in inspector.get_columns("stats_rows")}
    assert "appraisal_source" not in {c["name"] for c in inspector.get_columns("plans")}
    assert "mapping_versions" not in _tables(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT unit, period FROM stats_rows")).all() == [("Phòng Tư pháp", "2019-01")]
    engine.dispose()
    assert Store(url).stats_periods() == ["2019-01"]  # a Store brings it back up to the newest revision


def test_0005_adds_sessions_and_the_login_counter_and_goes_back_down(tmp_path):
    url = f"sqlite:///{tmp_path / 'nam.sqlite'}"
    engine = sa.create_engine(url)
    _migrate(engine, command.upgrade, "0004")
    with engine.begin() as conn:  # a 0004 database with an account
        conn.execute(sa.text("INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES "
                             "('nv', 'editor', 'scrypt$x', '2019-02-01 00:00:00', '2019-02-01 00:00:00')"))
    _migrate(engine, command.upgrade, "0005")
    assert {"login_sessions", "login_throttle"} <= _tables(engine)
    assert "password_changed_at" in {c["name"] for c in sa.inspect(engine).get_columns("users")}
    with engine.connect() as conn:  # the account kept, never "changed its password" by the move
        assert conn.execute(sa.text("SELECT username, password_changed_at FROM users")).all() == [("nv", None)]
    _migrate(engine, command.downgrade, "0004")
    assert not {"login_sessions", "login_throttle"} & _tables(engine)
    assert "password_changed_at" not in {c["name"] for c in sa.inspect(engine).get_columns("users")}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT username, role FROM users")).all() == [("nv", "editor")]
    engine.dispose()
