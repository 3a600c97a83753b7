"""A re-import says whether it changed anything, and the history says who and when as a clerk in Vietnam reads it.

Every expected count is worked out by hand from the few rows each test stores: a "số liệu" is one figure of one
unit-period (one cell of the file), compared with the figure the replaced row held.
"""

import time

import pandas as pd
import sqlalchemy as sa

from cchc.fields import PROCEDURE_FIELDS, STATS_FIELDS
from cchc.show import views
from cchc.store.database import imports

JAN, FEB = "2019-01", "2019-02"


def stats(*rows) -> pd.DataFrame:
    """rows: (unit, period, {field: value}); every other figure 0."""
    out = []
    for unit, period, values in rows:
        row = {"unit": unit, "level": "xã", "year": int(period[:4]), "month": int(period[5:]), "period": period}
        row.update(dict.fromkeys(STATS_FIELDS, 0))
        row.update(values)
        out.append(row)
    return pd.DataFrame(out)


def latest_line(store) -> str:
    history = store.import_history()
    return views.history_table(history, store.active_entries())["Nội dung"].iloc[0]


FIRST = stats(("UBND xã Ia Tul", JAN, {"received_total": 5, "resolved_total": 4}),
              ("UBND xã Ia Tul", FEB, {"received_total": 6, "resolved_total": 6}),
              ("UBND xã Chư Răng", JAN, {"received_total": 3, "resolved_total": 3}))


def test_the_same_figures_again_replace_without_changing_any(store):
    store.import_stats(FIRST, b"t1", "t1.xlsx")
    outcome = store.import_stats(FIRST, b"t1 again", "t1.xlsx")
    assert (len(outcome.added), len(outcome.replaced)) == (0, 3)
    assert (outcome.changed_values, outcome.changed_rows) == (0, 0)
    assert latest_line(store) == ("2 đơn vị, 01/2019–02/2019: thêm 0, thay thế 3 đơn vị-tháng, "
                                  "không đổi số liệu nào")


def test_changed_figures_are_counted_one_by_one(store):
    store.import_stats(FIRST, b"t1", "t1.xlsx")
    # Ia Tul January: received 5 → 7 and resolved 4 → 5 (2 figures); Chư Răng January: resolved 3 → 2 (1 figure);
    # Ia Tul February as before; Chư Răng February is new (added, not a change)
    second = stats(("UBND xã Ia Tul", JAN, {"received_total": 7, "resolved_total": 5}),
                   ("UBND xã Ia Tul", FEB, {"received_total": 6, "resolved_total": 6}),
                   ("UBND xã Chư Răng", JAN, {"received_total": 3, "resolved_total": 2}),
                   ("UBND xã Chư Răng", FEB, {"received_total": 9, "resolved_total": 1}))
    outcome = store.import_stats(second, b"t2", "t2.xlsx")
    assert (len(outcome.added), len(outcome.replaced)) == (1, 3)
    assert (outcome.changed_values, outcome.changed_rows) == (3, 2)
    assert latest_line(store) == "2 đơn vị, 01/2019–02/2019: thêm 1, thay thế 3 đơn vị-tháng, đổi 3 số liệu ở 2 " \
                                 "đơn vị-tháng"
    assert store.stats_totals()["received_total"] == 7 + 6 + 3 + 9  # the new figures are the ones in force


def test_an_import_that_only_adds_says_nothing_about_changes(store):
    store.import_stats(FIRST, b"t1", "t1.xlsx")
    summary = store.import_history().iloc[0]["summary"]
    assert "changed_values" not in summary
    assert latest_line(store) == "2 đơn vị, 01/2019–02/2019: thêm 3, thay thế 0 đơn vị-tháng"


def test_an_entry_made_before_values_were_compared_claims_nothing():
    old = {"rows": 240, "units": 20, "periods": ["2019-01", "2019-12"], "added": 0, "replaced": 240}
    assert views.describe_import(old) == "20 đơn vị, 01/2019–12/2019: thêm 0, thay thế 240 đơn vị-tháng"


def progress(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"code": code, "period": period, "value": value, "status": status, "doc_number": "",
                          "doc_date": "", "note": note, "agency": "Phòng Nội vụ"}
                         for code, period, value, status, note in rows],
                        columns=["code", "period", "value", "status", "doc_number", "doc_date", "note", "agency"])


def test_a_progress_report_again_with_one_status_changed(store):
    first = progress(("1.2", "2019-06", None, "Đang thực hiện", ""), ("5.2", "2019-06", 0.5, "Đang thực hiện", "a"))
    store.import_progress(first, b"p1", "p1.xlsx")
    outcome = store.import_progress(first, b"p1 again", "p1.xlsx")
    assert (outcome.changed_values, outcome.changed_rows) == (0, 0)  # an empty value stays empty: no change
    assert latest_line(store) == "2 báo cáo tiến độ, 2 tiêu chí, thay thế 2 báo cáo, không đổi số liệu nào"
    # 1.2 now done (status: 1 value); 5.2 as before
    second = progress(("1.2", "2019-06", None, "Hoàn thành", ""), ("5.2", "2019-06", 0.5, "Đang thực hiện", "a"))
    outcome = store.import_progress(second, b"p2", "p2.xlsx")
    assert (outcome.changed_values, outcome.changed_rows) == (1, 1)
    assert latest_line(store) == "2 báo cáo tiến độ, 2 tiêu chí, thay thế 2 báo cáo, đổi 1 số liệu ở 1 báo cáo"


def test_procedure_counts_again(store):
    def procedures(total: int) -> pd.DataFrame:
        row = {"unit": "UBND xã Ia Tul", "level": "xã", "year": 2019, **dict.fromkeys(PROCEDURE_FIELDS, 0)}
        row["procedures_total"] = total
        return pd.DataFrame([row])

    store.import_procedures(procedures(120), b"a", "a.xlsx")
    store.import_procedures(procedures(120), b"b", "b.xlsx")
    assert latest_line(store) == "Số liệu thủ tục: 1 đơn vị, năm 2019, thay thế 1 đơn vị-năm, không đổi số liệu nào"
    outcome = store.import_procedures(procedures(118), b"c", "c.xlsx")
    assert (outcome.changed_values, outcome.changed_rows) == (1, 1)
    assert latest_line(store) == "Số liệu thủ tục: 1 đơn vị, năm 2019, thay thế 1 đơn vị-năm, đổi 1 số liệu ở 1 " \
                                 "đơn vị-năm"


def set_moment(store, entry_id: int, moment: str) -> None:
    """Say an entry was made at `moment` (UTC, as the store records every moment)."""
    with store.engine.begin() as conn:
        conn.execute(imports.update().where(imports.c.id == entry_id)
                     .values(created_at=pd.Timestamp(moment).to_pydatetime()))


def test_history_times_are_vietnam_time_whatever_the_servers_zone(store, monkeypatch):
    store.import_stats(FIRST, b"t1", "t1.xlsx", user="a")
    set_moment(store, 1, "2019-07-10 17:30")  # 17:30 UTC is 00:30 the next day in Vietnam (UTC+7)
    for zone in ("UTC", "America/New_York", "Asia/Ho_Chi_Minh"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        table = views.history_table(store.import_history(), store.active_entries())
        assert table["Thời điểm (giờ Việt Nam)"].tolist() == ["11/07/2019 00:30"], zone
        assert views.entry_detail(store.import_history(), 1)["when"] == "11/07/2019 00:30"
    monkeypatch.delenv("TZ")
    time.tzset()


def test_history_names_the_account_as_people_know_it(store):
    store.save_user("nguyen.van.a", display_name="Nguyễn Văn A", role="editor")
    store.save_user("tuphap", display_name="  ", role="editor")  # an account without a display name
    store.import_stats(FIRST, b"1", "1.xlsx", user="nguyen.van.a")
    store.import_stats(FIRST, b"2", "2.xlsx", user="tuphap")
    store.import_stats(FIRST, b"3", "3.xlsx", user="may-chu")  # no such account (the machine's login name)
    table = views.history_table(store.import_history(), store.active_entries())
    assert table["Người thực hiện"].tolist() == ["may-chu", "tuphap", "Nguyễn Văn A"]  # newest first
    assert views.entry_detail(store.import_history(), 1)["who"] == "Nguyễn Văn A"
    # the account renamed later: the history follows the account, the entry keeps the login name it was made with
    store.save_user("nguyen.van.a", display_name="Nguyễn Văn An")
    history = store.import_history()
    assert history.set_index("id").loc[1, "user_name"] == "Nguyễn Văn An"
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(imports.c.user).where(imports.c.id == 1)).scalar_one() == "nguyen.van.a"
