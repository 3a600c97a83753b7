import pandas as pd
import pytest
import sqlalchemy as sa
from support import sample_plan_bytes

from cchc.fields import STATS_FIELDS
from cchc.read.plan import read_plan
from cchc.read.targets import Target
from cchc.score.metrics import rate
from cchc.store import database
from cchc.store.database import imports, stats_rows


def records(rows):
    """rows: (unit, level, period, {field: value})."""
    out = []
    for unit, level, period, values in rows:
        base = {f: 0 for f in STATS_FIELDS}
        base.update(values)
        out.append({"unit": unit, "level": level, "year": int(period[:4]), "month": int(period[5:]),
                    "period": period, **base})
    return pd.DataFrame(out)


JAN = records([("UBND xã Ia Tul", "xã", "2019-01", {"received_total": 10, "resolved_total": 8,
                                                     "resolved_on_time": 7, "resolved_late": 1}),
               ("Phòng Tư pháp", "huyện", "2019-01", {"received_total": 4, "resolved_total": 4,
                                                      "resolved_on_time": 4})])


def test_plan_round_trip(store):
    plan = read_plan(sample_plan_bytes()).plan
    store.import_plan(plan, sample_plan_bytes(), "ke_hoach.xlsx", user="nv")
    loaded = store.current_plan()
    assert loaded.total == {"standard": 55.0, "appraised": 35.75, "lost": 19.25}
    assert [c.code for c in loaded.criteria] == [c.code for c in plan.criteria]
    by_code = {c.code: c for c in loaded.criteria}
    assert by_code["7.2.2"].target == Target("online_l3_share", ">=", 0.2)
    assert by_code["7.3.1"].partners[-1] == "Công an huyện"
    history = store.import_history()
    assert history.loc[0, "kind"] == "plan" and history.loc[0, "user"] == "nv"
    assert store.import_content(int(history.loc[0, "id"])) == ("ke_hoach.xlsx", sample_plan_bytes())


def test_second_plan_of_same_year_replaces_but_history_keeps(store):
    plan = read_plan(sample_plan_bytes()).plan
    store.import_plan(plan, sample_plan_bytes(), "a.xlsx")
    store.import_plan(plan, sample_plan_bytes(), "b.xlsx")
    assert store.plan_years() == [2019]
    assert store.import_count() == 2
    assert len(store.current_plan().criteria) == 27


def test_target_correction_is_stored_and_recorded(store):
    plan = read_plan(sample_plan_bytes()).plan
    store.import_plan(plan, sample_plan_bytes(), "a.xlsx")
    store.set_target("6.4", Target("criterion_rate", ">=", 1.0), user="admin")
    store.set_target("7.2.2", None, user="admin")
    by_code = {c.code: c for c in store.current_plan().criteria}
    assert by_code["6.4"].target == Target("criterion_rate", ">=", 1.0)
    assert by_code["7.2.2"].target is None
    frame = store.targets_frame()
    assert frame.set_index("code").loc["6.4", "source"] == "user"
    assert store.import_history()["kind"].tolist()[:2] == ["targets", "targets"]


def test_reimport_replaces_unit_month_and_never_counts_twice(store):
    first = store.import_stats(JAN, b"jan-v1", "t1.xlsx")
    assert len(first.added) == 2 and first.replaced == []
    newer = records([("UBND xã Ia Tul", "xã", "2019-01", {"received_total": 12, "resolved_total": 10,
                                                           "resolved_on_time": 10}),
                     ("UBND xã Ia Tul", "xã", "2019-02", {"received_total": 5, "resolved_total": 5,
                                                           "resolved_on_time": 5})])
    preview_added, preview_replaced = store.preview_stats(newer)
    assert preview_replaced == [("UBND xã Ia Tul", "2019-01")] and preview_added == [("UBND xã Ia Tul", "2019-02")]
    second = store.import_stats(newer, b"jan-v2", "t2.xlsx")
    assert second.replaced == [("UBND xã Ia Tul", "2019-01")]
    totals = store.stats_totals()
    assert totals["received_total"] == 12 + 4 + 5
    assert store.stats_periods() == ["2019-01", "2019-02"]
    with store.engine.connect() as conn:  # the older version stays in history
        assert conn.execute(sa.select(sa.func.count()).select_from(stats_rows)).scalar_one() == 4
    summary = store.import_history().iloc[0]["summary"]
    assert summary["replaced"] == 1 and summary["added"] == 1


def test_grouped_sums_in_the_database_and_rates_from_counts(store):
    store.import_stats(JAN, b"x", "t.xlsx")
    by_level = store.stats_grouped(by=("level",)).set_index("level")
    assert by_level.loc["xã", "received_total"] == 10
    totals = store.stats_totals(level="xã")
    assert rate(totals, "on_time_rate") == pytest.approx(7 / 8)
    overall = store.stats_totals()
    # summed counts, not the average of 87,5% and 100%
    assert rate(overall, "on_time_rate") == pytest.approx(11 / 12)
    assert store.stats_totals(start="2019-02")["received_total"] == 0


class FailedAfterWriting(Exception):
    """Raised by the test inside an import's transaction, after the import wrote everything it writes."""


def stored_state(store) -> dict:
    """Everything stored: every table's row count, every statistics row (figures, current flag), the history."""
    with store.engine.connect() as conn:
        counts = {table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                  for table in database.metadata.sorted_tables}
        stats = [tuple(row) for row in conn.execute(sa.select(stats_rows).order_by(stats_rows.c.id))]
    return {"counts": counts, "stats_rows": stats, "current": store.stats_records().to_dict("records"),
            "totals": store.stats_totals(), "periods": store.stats_periods(),
            "history": store.import_history().to_dict("records"), "version": store.data_version()}


def test_a_failed_import_stores_nothing(store, monkeypatch):
    store.import_stats(JAN, b"x", "t.xlsx")
    before = stored_state(store)
    before_counts = (store.import_count(), store.stats_totals())
    newer = records([("UBND xã Ia Tul", "xã", "2019-01", {"received_total": 99}),  # supersedes January
                     ("UBND xã Ia Tul", "xã", "2019-02", {"received_total": 5})])  # a new month
    inside: dict = {}
    bulk_insert = database._bulk_insert_stats

    def insert_then_fail(conn, rows, import_id):  # the import's last step, inside its transaction
        bulk_insert(conn, rows, import_id)
        inside["entry"] = conn.execute(sa.select(imports.c.filename).where(imports.c.id == import_id)).scalar()
        inside["rows"] = conn.execute(sa.select(sa.func.count()).select_from(stats_rows).where(
            stats_rows.c.import_id == import_id)).scalar_one()
        inside["current_january"] = conn.execute(sa.select(stats_rows.c.import_id).where(
            stats_rows.c.current, stats_rows.c.unit == "UBND xã Ia Tul",
            stats_rows.c.period == "2019-01")).scalars().all()
        inside["import_id"] = import_id
        raise FailedAfterWriting(import_id)

    monkeypatch.setattr(database, "_bulk_insert_stats", insert_then_fail)
    with pytest.raises(FailedAfterWriting):
        store.import_stats(newer, b"y", "bad.xlsx")
    # it failed after writing: its entry, its rows and the superseding of January were in the transaction
    assert inside == {"entry": "bad.xlsx", "rows": 2, "current_january": [inside["import_id"]],
                      "import_id": inside["import_id"]}
    assert stored_state(store) == before  # … and none of it is stored
    assert (store.import_count(), store.stats_totals()) == before_counts
    monkeypatch.undo()  # the store still works: the same import lands
    outcome = store.import_stats(newer, b"y", "bad.xlsx")
    assert outcome.replaced == [("UBND xã Ia Tul", "2019-01")] and outcome.added == [("UBND xã Ia Tul", "2019-02")]
    assert store.stats_totals()["received_total"] == 99 + 4 + 5


def test_named_database_starts_empty(tmp_path):
    from cchc.ingest import open_default_store

    s = open_default_store(f"sqlite:///{tmp_path / 'named.sqlite'}")
    assert s.import_count() == 0 and s.current_plan() is None


def test_default_database_gets_the_sample_once(tmp_path, monkeypatch):
    from cchc import ingest
    from cchc.store import database as storage

    monkeypatch.delenv("CCHC_DATABASE_URL", raising=False)
    monkeypatch.setattr(storage, "DEFAULT_SQLITE", tmp_path / "cchc.sqlite")
    s = ingest.open_default_store()
    assert s.current_plan().total["lost"] == 19.25
    assert s.has_illustrative_data()
    assert s.stats_periods()[0] == "2019-01" and len(s.stats_periods()) == 12
    count = s.import_count()
    s.dispose()
    again = ingest.open_default_store()
    assert again.import_count() == count
