"""What one import or rollback records, and which entries are in force at any moment (cchc.store.database).

Expected values are worked out by hand from the calls each test makes: entry ids count from 1 in call order.
"""

import hashlib
import json

import pandas as pd
import pytest
import sqlalchemy as sa

from cchc.fields import STATS_FIELDS
from cchc.store.database import imports, stats_rows

JAN, FEB = "2019-01", "2019-02"


def records(*keys, received=5) -> pd.DataFrame:
    rows = []
    for unit, period in keys:
        row = {"unit": unit, "level": "xã", "year": int(period[:4]), "month": int(period[5:]), "period": period}
        row.update({f: 0 for f in STATS_FIELDS})
        row["received_total"] = received
        rows.append(row)
    return pd.DataFrame(rows)


def entry(store, entry_id: int) -> dict:
    with store.engine.connect() as conn:
        return dict(conn.execute(sa.select(imports).where(imports.c.id == entry_id)).mappings().one())


def current_rows(store) -> dict[tuple[str, str], int]:
    """(unit, period) → the import whose row is current."""
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(stats_rows.c.unit, stats_rows.c.period, stats_rows.c.import_id)
                            .where(stats_rows.c.current)).all()
    found: dict[tuple[str, str], int] = {}
    for unit, period, import_id in rows:
        assert (unit, period) not in found, f"two current rows for {unit} {period}"
        found[(unit, period)] = import_id
    return found


def test_an_import_records_the_file_its_author_and_what_it_did(store):
    data = b"the uploaded bytes"  # 18 bytes
    store.import_stats(records(("Ia Tul", JAN), ("Ia Tul", FEB), ("Chư Răng", JAN)), data, "thống kê.xlsx",
                       user="nguyen.van.a")
    row = entry(store, 1)
    assert row["kind"] == "stats" and row["filename"] == "thống kê.xlsx" and row["user"] == "nguyen.van.a"
    assert row["sha256"] == hashlib.sha256(b"the uploaded bytes").hexdigest() and row["size"] == 18
    assert bytes(row["content"]) == data and row["illustrative"] is False
    assert json.loads(row["summary"]) == {"rows": 3, "units": 2, "periods": [JAN, FEB], "added": 3, "replaced": 0}


def test_a_file_without_a_name_is_recorded_without_one(store):
    store.import_stats(records(("Ia Tul", JAN)), b"x", "", user="a")
    assert entry(store, 1)["filename"] == ""


def test_a_reimport_supersedes_each_unit_only_in_its_own_month(store):
    store.import_stats(records(("A", JAN), ("B", JAN), ("A", FEB), ("B", FEB)), b"1", "1.xlsx", user="u")
    outcome = store.import_stats(records(("A", JAN), ("B", FEB)), b"2", "2.xlsx", user="u")
    assert outcome.replaced == [("A", JAN), ("B", FEB)] and outcome.added == []
    assert current_rows(store) == {("A", JAN): 2, ("B", JAN): 1, ("A", FEB): 1, ("B", FEB): 2}
    assert json.loads(entry(store, 2)["summary"])["replaced"] == 2


def test_a_month_rolled_back_and_imported_again_is_added_not_replaced(store):
    store.import_stats(records(("A", JAN)), b"1", "1.xlsx", user="u")  # entry 1
    store.rollback_to(0, user="admin")  # entry 2: nothing is in force
    outcome = store.import_stats(records(("A", JAN)), b"3", "3.xlsx", user="u")  # entry 3
    assert outcome.added == [("A", JAN)] and outcome.replaced == []
    assert current_rows(store) == {("A", JAN): 3}


def test_rollback_targets_must_exist(store):
    with pytest.raises(KeyError) as empty:
        store.rollback_to(1)  # an empty store has no entry 1
    assert empty.value.args == (1,)
    store.import_stats(records(("A", JAN)), b"1", "1.xlsx", user="u")  # entry 1
    store.import_stats(records(("A", FEB)), b"2", "2.xlsx", user="u")  # entry 2
    for wrong in (-1, 3):
        with pytest.raises(KeyError) as refused:
            store.rollback_to(wrong)
        assert refused.value.args == (wrong,)
    assert store.rollback_to(2, user="admin") == 3  # the latest entry itself: allowed, changes nothing
    assert current_rows(store) == {("A", JAN): 1, ("A", FEB): 2}
    assert store.rollback_to(0, user="admin") == 4  # back to empty: allowed
    assert current_rows(store) == {}


def test_a_rollback_is_an_entry_of_its_own(store):
    store.import_stats(records(("A", JAN)), b"1", "1.xlsx", user="u")  # entry 1
    store.import_stats(records(("A", FEB)), b"2", "2.xlsx", user="u")  # entry 2
    assert store.rollback_to(0, user="quantri") == 3
    row = entry(store, 3)
    assert row["kind"] == "rollback" and row["filename"] == "" and row["user"] == "quantri"
    assert bytes(row["content"]) == b"" and row["size"] == 0 and row["illustrative"] is False
    assert row["sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # SHA-256 of b""
    assert json.loads(row["summary"]) == {"to": 0, "reverted": [1, 2], "restored": []}


def test_entries_in_force_at_every_moment(store):
    store.import_stats(records(("A", JAN)), b"1", "1.xlsx", user="u")  # entry 1
    store.import_stats(records(("A", FEB)), b"2", "2.xlsx", user="u")  # entry 2
    store.rollback_to(1, user="admin")  # entry 3 undoes 2
    assert store.active_entries() == {1}
    assert (store.active_entries(1), store.active_entries(2), store.active_entries(3)) == ({1}, {1, 2}, {1})
    store.rollback_to(2, user="admin")  # entry 4 undoes the rollback: 2 is back
    assert store.active_entries() == {1, 2}
    assert store.active_entries(3) == {1}  # as it was right after entry 3, before 2 was brought back
    assert current_rows(store) == {("A", JAN): 1, ("A", FEB): 2}


def test_an_entry_undone_and_brought_back_twice_keeps_its_past(store):
    store.import_stats(records(("A", JAN)), b"1", "1.xlsx", user="u")  # entry 1
    store.import_stats(records(("A", FEB)), b"2", "2.xlsx", user="u")  # entry 2
    store.rollback_to(1, user="admin")  # 3: undoes 2
    store.rollback_to(2, user="admin")  # 4: brings 2 back
    store.rollback_to(1, user="admin")  # 5: undoes 2 again
    store.rollback_to(4, user="admin")  # 6: as right after 4, so 2 is back again
    assert [store.active_entries(m) for m in (2, 3, 4, 5, 6)] == [{1, 2}, {1}, {1, 2}, {1}, {1, 2}]
    assert current_rows(store) == {("A", JAN): 1, ("A", FEB): 2}
