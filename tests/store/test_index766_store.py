"""QĐ 766 scores in the store, on SQLite and PostgreSQL: a round trip, re-import replacing a unit-period, history and
entry changes, rollback bringing the previous scores back, the groups' maxima as versioned data that the checks use,
the query functions the pages use, and migration 0006 up and down."""

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command
from support import ROOT, SheetSpec, book

from cchc.ingest import MACHINE_ADMIN, check_file, import_file, preview_import, store_checked
from cchc.store.database import Store, index766_rows

HEADER = ["STT", "Tên đơn vị", "Công khai, minh bạch", "Tiến độ giải quyết", "Dịch vụ công trực tuyến",
          "Thanh toán trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ", "Tổng điểm", "Xếp hạng"]
COLUMNS = ["unit", "level", "year", "period", "ckmb", "tdgq", "dvctt", "tttt", "mdhl", "mdsh", "total", "rank"]
DEFAULT = {"ckmb": 18.0, "tdgq": 20.0, "dvctt": 12.0, "tttt": 10.0, "mdhl": 18.0, "mdsh": 22.0}  # QĐ 766


def score_file(rows, title="Kỳ đánh giá: Tháng 6 năm 2025") -> bytes:
    return book(SheetSpec("Điểm", [[title], [], HEADER, *rows]))


JUNE = [[1, "Phòng Tư pháp", 17.5, 19.25, 10, 8.5, 17, 20.5, 92.75, 2],
        [2, "UBND xã Ia Tul", 15, 16.5, 9, 7.25, 16, 18.75, 82.5, None]]
JUNE_AGAIN = [[1, "Phòng Tư pháp", 18, 19.25, 10, 8.5, 17, 20.5, 93.25, 1]]  # CKMB 17,5 → 18
QUARTER = [[1, "Phòng Tư pháp", 16, 18, 10, 8, 16, 20, 88, 4]]


def rows_of(frame: pd.DataFrame) -> list[dict]:
    """Plain rows, NaN as None (a score the file did not give)."""
    return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in frame.to_dict("records")]


def imported(store, rows, title="Kỳ đánh giá: Tháng 6 năm 2025", name="diem.xlsx"):
    result, outcome = import_file(store, score_file(rows, title), name, user="vp")
    assert outcome is not None, [f.located() for f in result.findings.errors]
    return outcome


def test_scores_round_trip_with_history_and_entry_changes(store):
    data = score_file(JUNE)
    _, outcome = import_file(store, data, "diem.xlsx", user="vp")
    assert (outcome.added, outcome.replaced) == ([("Phòng Tư pháp", "2025-06"), ("UBND xã Ia Tul", "2025-06")], [])
    assert rows_of(store.index766_scores()) == [
        {"unit": "Phòng Tư pháp", "level": "huyện", "year": 2025, "period": "2025-06", "ckmb": 17.5, "tdgq": 19.25,
         "dvctt": 10.0, "tttt": 8.5, "mdhl": 17.0, "mdsh": 20.5, "total": 92.75, "rank": 2.0},
        {"unit": "UBND xã Ia Tul", "level": "xã", "year": 2025, "period": "2025-06", "ckmb": 15.0, "tdgq": 16.5,
         "dvctt": 9.0, "tttt": 7.25, "mdhl": 16.0, "mdsh": 18.75, "total": 82.5, "rank": None}]
    assert list(store.index766_scores().columns) == COLUMNS
    assert store.index766_periods() == ["2025-06"]
    assert store.index766_units().values.tolist() == [["Phòng Tư pháp", "huyện"], ["UBND xã Ia Tul", "xã"]]
    entry = store.import_history().iloc[0]
    assert (entry["kind"], entry["filename"], entry["user"]) == ("index766", "diem.xlsx", "vp")
    assert entry["summary"] == {"index766": 2, "units": 2, "periods": ["2025-06"], "added": 2, "replaced": 0}
    assert store.import_content(outcome.import_id) == ("diem.xlsx", data)  # the original kept
    assert store.entry_changes(outcome.import_id).to_dict("records") == [
        {"Đối tượng": "Phòng Tư pháp", "Kỳ": "06/2025", "Thao tác": "Thêm mới"},
        {"Đối tượng": "UBND xã Ia Tul", "Kỳ": "06/2025", "Thao tác": "Thêm mới"}]


def test_re_import_replaces_a_unit_period_a_quarter_stands_beside_its_months_and_rollback_restores(store):
    june = imported(store, JUNE)
    quarter = imported(store, QUARTER, title="Kỳ đánh giá: Quý II năm 2025")
    assert quarter.added == [("Phòng Tư pháp", "2025-04..2025-06")] and quarter.replaced == []
    check = check_file(score_file(JUNE_AGAIN), "diem_lai.xlsx")
    assert preview_import(store, check) == {"added": [], "replaced": [("Phòng Tư pháp", "2025-06")]}
    again = store_checked(store, check, score_file(JUNE_AGAIN), "diem_lai.xlsx", account=MACHINE_ADMIN)
    assert (again.added, again.replaced) == ([], [("Phòng Tư pháp", "2025-06")])

    def justice() -> dict:
        frame = store.index766_scores(units=["Phòng Tư pháp"])
        return dict(zip(frame["period"], zip(frame["ckmb"], frame["total"])))

    assert justice() == {"2025-06": (18.0, 93.25), "2025-04..2025-06": (16.0, 88.0)}
    assert store.index766_scores()["unit"].tolist() == ["Phòng Tư pháp", "Phòng Tư pháp", "UBND xã Ia Tul"]
    with store.engine.connect() as conn:  # nothing deleted: the June score of the first import is kept, not current
        kept = conn.execute(sa.select(index766_rows.c.import_id, index766_rows.c.current).where(
            index766_rows.c.unit == "Phòng Tư pháp").order_by(index766_rows.c.id)).tuples().all()
    assert kept == [(june.import_id, False), (quarter.import_id, True), (again.import_id, True)]
    assert store.entry_changes(again.import_id).to_dict("records") == [
        {"Đối tượng": "Phòng Tư pháp", "Kỳ": "06/2025", "Thao tác": "Thay thế"}]

    back = store.rollback_to(quarter.import_id, user="quantri")  # undo the re-import
    assert justice() == {"2025-06": (17.5, 92.75), "2025-04..2025-06": (16.0, 88.0)}
    store.rollback_to(back - 1, user="quantri")  # undo the rollback
    assert justice() == {"2025-06": (18.0, 93.25), "2025-04..2025-06": (16.0, 88.0)}
    store.rollback_to(june.import_id, user="quantri")  # the quarter and the re-import undone
    assert justice() == {"2025-06": (17.5, 92.75)}
    assert store.index766_periods() == ["2025-06"]


def test_queries_by_period_units_level_and_kind_of_period(store):
    imported(store, JUNE)
    imported(store, QUARTER, title="Kỳ đánh giá: Quý II năm 2025")
    imported(store, [[1, "UBND xã Ia Tul", 15, 17, 9, 7, 16, 19, 83, 2]], title="Kỳ đánh giá: Tháng 7 năm 2025")
    frame = store.index766_scores
    assert store.index766_periods() == ["2025-04..2025-06", "2025-06", "2025-07"]
    assert frame(start="2025-07")[["unit", "period"]].values.tolist() == [["UBND xã Ia Tul", "2025-07"]]
    # a span counts in a period that holds all of it: not in April–May nor May–June, in April–June
    assert frame(start="2025-04", end="2025-05").empty
    assert frame(start="2025-05", end="2025-06")["period"].tolist() == ["2025-06", "2025-06"]
    assert frame(start="2025-04", end="2025-06")["period"].tolist() == ["2025-04..2025-06", "2025-06", "2025-06"]
    assert frame(spans=True)["period"].tolist() == ["2025-04..2025-06"]
    assert frame(spans=False)["period"].tolist() == ["2025-06", "2025-06", "2025-07"]
    assert frame(level="xã")["period"].tolist() == ["2025-06", "2025-07"]
    assert frame(units=["UBND xã Ia Tul"], end="2025-06")["total"].tolist() == [82.5]


def test_the_maxima_are_versioned_data_the_checks_use_and_a_rollback_brings_back(store):
    assert store.index766_maxima() == DEFAULT
    nineteen = [[1, "Phòng Tư pháp", 19, 20, 12, 10, 18, 22, 101, 1]]  # CKMB 19: above the default 18
    assert not check_file(score_file(nineteen), "d.xlsx").ok
    before = store.import_count()
    for bad in ({**DEFAULT, "ckmb": 0}, {k: v for k, v in DEFAULT.items() if k != "mdsh"}, {**DEFAULT, "tttt": "mười"}):
        with pytest.raises(ValueError, match="Điểm tối đa của nhóm"):
            store.set_index766_maxima(bad, user="quantri")
    assert store.import_count() == before  # refused: nothing stored
    raised = store.set_index766_maxima({**DEFAULT, "ckmb": "20"}, user="quantri")
    assert store.index766_maxima() == {**DEFAULT, "ckmb": 20.0}
    entry = store.import_history().iloc[0]
    assert (entry["kind"], entry["summary"]) == ("index766_maxima", {"maxima": {**DEFAULT, "ckmb": 20.0}})
    assert store.entry_changes(raised).to_dict("records") == [
        {"Đối tượng": "Điểm tối đa các nhóm Bộ chỉ số 766", "Kỳ": "", "Thao tác": "Thêm mới"}]
    stored = imported(store, nineteen)  # import_file checks against the stored maxima: 19 of 20
    assert store.index766_scores()["ckmb"].tolist() == [19.0]

    # a file checked before the maxima were lowered is refused when it is stored
    seventeen = score_file([[1, "UBND xã Ia Tul", 17, 20, 12, 10, 18, 22, 99, 1]])
    checked = check_file(seventeen, "d.xlsx", maxima=store.index766_maxima())
    assert checked.ok
    lowered = store.set_index766_maxima({**DEFAULT, "ckmb": 15}, user="quantri")
    with pytest.raises(ValueError):
        store_checked(store, checked, seventeen, "d.xlsx", account=MACHINE_ADMIN)
    assert store.index766_units()["unit"].tolist() == ["Phòng Tư pháp"]
    versions = store.index766_maxima_versions()
    assert versions[["import_id", "ckmb", "current"]].values.tolist() == [[lowered, 15.0, True],
                                                                         [raised, 20.0, False]]

    store.rollback_to(stored.import_id, user="quantri")  # before the lowering
    assert store.index766_maxima() == {**DEFAULT, "ckmb": 20.0}
    store.rollback_to(raised - 1, user="quantri")  # before any maxima were set
    assert store.index766_maxima() == DEFAULT


def test_only_an_account_that_may_upload_statistics_stores_scores(store):
    from cchc.rights import NotAllowed
    from cchc.store.accounts import User

    data = score_file(JUNE)
    checked = check_file(data, "diem.xlsx")
    for account, message in ((User("xem", "viewer", "", ""), "Tài khoản “xem” (quyền Xem) không được tải số liệu "
                              "thống kê TTHC lên: cần tài khoản có quyền Cập nhật. Không có gì được lưu."),
                             (User("noivu", "editor", "Phòng Nội vụ", ""), "Tài khoản “noivu” chỉ được nhập tiến độ "
                              "của Phòng Nội vụ; cần tài khoản có quyền Cập nhật cho mọi cơ quan để tải số liệu thống "
                              "kê TTHC lên. Không có gì được lưu.")):
        with pytest.raises(NotAllowed) as refused:
            store_checked(store, checked, data, "diem.xlsx", account=account)
        assert refused.value.message == message
    assert store.import_count() == 0 and store.index766_scores().empty
    store_checked(store, checked, data, "diem.xlsx", account=User("vp", "editor", "", ""))
    assert store.index766_units()["unit"].tolist() == ["Phòng Tư pháp", "UBND xã Ia Tul"]


def _config(conn):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT / "cchc" / "store" / "migrations"))
    config.attributes["connection"] = conn
    return config


def test_0006_adds_the_score_and_maxima_tables_and_goes_back_down(tmp_path):
    url = f"sqlite:///{tmp_path / 'sau.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0005")
        conn.execute(sa.text("INSERT INTO imports (id, kind, filename, created_at) VALUES (1, 'stats', 'a.xlsx', "
                             "'2025-02-01 00:00:00')"))
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0006")
    inspector = sa.inspect(engine)
    assert {c["name"] for c in inspector.get_columns("index766_rows")} == {
        "id", "import_id", "unit", "level", "year", "period", "period_end", "current", "ckmb", "tdgq", "dvctt", "tttt",
        "mdhl", "mdsh", "total", "rank"}
    assert {c["name"] for c in inspector.get_columns("index766_maxima")} == {
        "id", "import_id", "scope", "ckmb", "tdgq", "dvctt", "tttt", "mdhl", "mdsh", "current", "updated_at",
        "updated_by"}
    with engine.begin() as conn:
        command.downgrade(_config(conn), "0005")
    assert not {"index766_rows", "index766_maxima"} & set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT kind FROM imports")).scalars().all() == ["stats"]
    engine.dispose()
    store = Store(url)  # back up to the newest revision, the older entry kept
    assert store.index766_scores().empty and store.import_count() == 1
    store.dispose()
