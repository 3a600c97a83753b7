"""Two imports at once, forced to overlap: the second waits for the first's write lock, then both land exactly once.

The first import is held inside its transaction (lock taken, entry recorded, rows written, not committed) while
the second starts; the test watches the second wait, releases the first, and checks what landed. On SQLite
(BEGIN IMMEDIATE) and on PostgreSQL (the advisory lock).
"""

import threading
import time

import sqlalchemy as sa
from sqlalchemy import event
from support import sample_plan_bytes

from cchc.ingest import import_file
from cchc.sample import build_template_workbook, sample_stats_table
from cchc.store import database
from cchc.store.database import Store, imports, stats_rows

DEADLINE = 120  # seconds: generous, only ever reached when something is wrong
UNITS = 20  # in the sample statistics table


def wait_until(condition, what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def months_workbook(months) -> bytes:
    table = sample_stats_table()
    return build_template_workbook(table[table["month"].isin(months)].copy())


class ImportThread(threading.Thread):
    """import_file on its own Store (its own engine and connections), as a second server process would."""

    def __init__(self, name: str, store: Store, data: bytes, filename: str):
        super().__init__(name=name, daemon=True)
        self.store, self.data, self.filename = store, data, filename
        self.outcome = None
        self.error: BaseException | None = None

    def run(self):
        try:
            result, self.outcome = import_file(self.store, self.data, self.filename, user=self.name)
            if self.outcome is None:
                raise AssertionError(f"{self.filename} failed its check: {result.findings.errors[:3]}")
        except Exception as error:  # reported by the test thread
            self.error = error


class WriteLog:
    """The statements a store's write transactions sent: started, and returned. Reads are not logged."""

    def __init__(self, engine):
        self.started: list[str] = []
        self.returned: list[str] = []
        self.backend_pid: int | None = None
        # SQLite's BEGIN IMMEDIATE goes through the cursor too (the store's "begin" listener), so it is logged
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    @staticmethod
    def _writing(conn) -> bool:
        return bool(conn.get_execution_options().get("write"))

    def _before(self, conn, _cursor, statement, *_):
        if self._writing(conn):
            if conn.dialect.name == "postgresql":
                self.backend_pid = conn.connection.dbapi_connection.info.backend_pid
            self.started.append(statement)

    def _after(self, conn, _cursor, statement, *_):
        if self._writing(conn):
            self.returned.append(statement)


def committed_state(store: Store) -> dict:
    """What another connection sees: entries, every statistics row, the current ones."""
    with store.engine.connect() as conn:
        return {"imports": conn.execute(sa.select(imports.c.id, imports.c.kind).order_by(imports.c.id)).all(),
                "stats_rows": conn.execute(sa.select(sa.func.count()).select_from(stats_rows)).scalar_one(),
                "totals": store.stats_totals()}


def test_second_import_waits_for_the_first_then_both_land_once(db_url, monkeypatch):
    setup = Store(db_url)
    import_file(setup, sample_plan_bytes(), "ke_hoach.xlsx")
    before = committed_state(setup)
    assert [kind for _, kind in before["imports"]] == ["plan"] and before["stats_rows"] == 0

    first = ImportThread("first", Store(db_url), months_workbook(range(1, 7)), "h1.xlsx")  # Jan–Jun
    second = ImportThread("second", Store(db_url), months_workbook(range(4, 13)), "h2.xlsx")  # Apr–Dec
    log = WriteLog(second.store.engine)

    held, release = threading.Event(), threading.Event()
    inside_first: dict = {}
    bulk_insert = database._bulk_insert_stats

    def insert_then_hold(conn, rows, import_id):
        bulk_insert(conn, rows, import_id)
        if threading.current_thread() is first:  # lock taken, entry recorded, rows written; not committed
            inside_first["rows"] = conn.execute(sa.select(sa.func.count()).select_from(stats_rows).where(
                stats_rows.c.import_id == import_id)).scalar_one()
            held.set()
            if not release.wait(DEADLINE):
                raise AssertionError("the test never released the first import")

    monkeypatch.setattr(database, "_bulk_insert_stats", insert_then_hold)
    try:
        first.start()
        wait_until(lambda: held.is_set() or not first.is_alive(), "the first import to reach its hold point")
        assert first.error is None and held.is_set(), first.error
        assert inside_first["rows"] == 6 * UNITS  # its rows are written inside the open transaction

        second.start()
        wait_until(lambda: log.started or not second.is_alive(), "the second import to start writing")
        assert second.error is None, second.error
        if db_url.startswith("postgresql"):  # the server itself says the second session waits on a lock
            def waiting() -> bool:
                with setup.engine.connect() as conn:
                    kind = conn.execute(sa.text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                                        {"pid": log.backend_pid}).scalar()
                return kind == "Lock" or not second.is_alive()

            wait_until(waiting, "the second import's session to wait on a lock")
        # held a moment longer, the second is still stuck in the first statement of its transaction
        second.join(timeout=1.0)
        assert second.error is None, second.error
        assert second.is_alive(), "the second import finished while the first one held the write lock"
        assert log.returned == [], f"the second import ran past its lock: {log.returned}"
        assert len(log.started) == 1, log.started
        assert first.is_alive() and first.outcome is None
        assert committed_state(setup) == before  # nothing of either import is visible yet
    finally:
        release.set()
        first.join(timeout=DEADLINE)
        second.join(timeout=DEADLINE)
    assert not first.is_alive() and not second.is_alive()
    assert first.error is None and second.error is None, (first.error, second.error)

    # both landed, once each, in order: the second found April–June there and superseded it
    one, two = first.outcome, second.outcome
    april_to_june = sorted((u, f"2019-{m:02d}") for u in sample_stats_table()["unit"].unique() for m in (4, 5, 6))
    assert one.replaced == [] and len(one.added) == 6 * UNITS
    assert sorted(two.replaced) == april_to_june and len(two.added) == 6 * UNITS
    assert sorted(len(o.replaced) for o in (one, two)) == [0, 60]
    after = Store(db_url)
    history = after.import_history()
    assert history["kind"].tolist() == ["stats", "stats", "plan"]
    assert history["id"].tolist() == [two.import_id, one.import_id, before["imports"][0][0]]
    assert history["filename"].tolist() == ["h2.xlsx", "h1.xlsx", "ke_hoach.xlsx"]
    summaries = dict(zip(history["filename"], history["summary"]))
    assert (summaries["h1.xlsx"]["rows"], summaries["h1.xlsx"]["added"], summaries["h1.xlsx"]["replaced"]) == (
        6 * UNITS, 6 * UNITS, 0)
    assert (summaries["h2.xlsx"]["rows"], summaries["h2.xlsx"]["added"], summaries["h2.xlsx"]["replaced"]) == (
        9 * UNITS, 6 * UNITS, 3 * UNITS)
    assert after.import_count() == 3
    with after.engine.connect() as conn:
        by_import = dict(conn.execute(sa.select(stats_rows.c.import_id, sa.func.count()).group_by(
            stats_rows.c.import_id)).all())
        assert by_import == {one.import_id: 6 * UNITS, two.import_id: 9 * UNITS}
        duplicates = conn.execute(sa.select(stats_rows.c.unit, stats_rows.c.period).where(stats_rows.c.current)
                                  .group_by(stats_rows.c.unit, stats_rows.c.period)
                                  .having(sa.func.count() > 1)).all()
        assert duplicates == []
        current = conn.execute(sa.select(stats_rows.c.import_id, stats_rows.c.month, sa.func.count()).where(
            stats_rows.c.current).group_by(stats_rows.c.import_id, stats_rows.c.month)).all()
        assert sorted(current) == sorted([(one.import_id, m, UNITS) for m in (1, 2, 3)] +
                                         [(two.import_id, m, UNITS) for m in range(4, 13)])
        superseded = conn.execute(sa.select(stats_rows.c.import_id, stats_rows.c.unit, stats_rows.c.period).where(
            ~stats_rows.c.current)).all()
        assert sorted((u, p) for _, u, p in superseded) == april_to_june
        assert {i for i, _, _ in superseded} == {one.import_id}
    assert after.stats_periods() == [f"2019-{m:02d}" for m in range(1, 13)]
    assert after.stats_totals()["received_total"] == int(sample_stats_table()["received_total"].sum())
    for s in (setup, first.store, second.store, after):
        s.dispose()
