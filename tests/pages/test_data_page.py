"""The Dữ liệu page tells the clerk exactly what happened (issue 14): each finding whole, at its unit and month; the
history's detail on the entry just made; the sample still called the sample when uploaded again; whether a
re-import changed anything; times in Vietnam's time zone and people by name.

Row numbers come from tests/support.bieu06_sheet's layout: header rows 6–8, the numbering row 9, then the total row
(10), "I. Cấp huyện" (11), Phòng Tư pháp (12), Văn phòng HĐND-UBND huyện (13), "II. Cấp xã" (14), UBND xã Ia Tul (15).
"""

import datetime as dt
import time

import sqlalchemy as sa
from support import DATA, BrowserRequest, SheetSpec, bieu06_sheet, book, figures, standard_groups
from test_pages import open_page, use_db  # noqa: F401  (use_db is a fixture)

from cchc.ingest import load_sample_data
from cchc.store.database import Store, imports
from ui.safe import md

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARCH = "Kỳ báo cáo: Tháng 03 năm 2019 (Từ ngày 01/03/2019 đến ngày 31/03/2019)"


def ia_tul_with_a_negative_late_count() -> bytes:
    groups = standard_groups()
    ia_tul = groups[1][2][0][1]
    ia_tul["resolved_late"] = -1  # the clerk's typo
    return book(bieu06_sheet(groups, name="Biểu 06", title=MARCH))


def findings_shown(at) -> list[dict]:
    """The findings table as the page sends it (st.table: cells are markdown, so the page escapes them)."""
    tables = [t.value for t in at.table if "Nội dung" in t.value.columns]
    assert len(tables) == 1, "the findings are one static table"
    return tables[0].to_dict("records")


def test_a_finding_names_the_unit_and_month_of_its_row_and_is_shown_whole(tmp_path, use_db):
    use_db(f"sqlite:///{tmp_path / 'findings.sqlite'}")
    at = open_page("pages/du_lieu.py")
    at.file_uploader[0].set_value(("bieu06_t03.xlsx", ia_tul_with_a_negative_late_count(), XLSX))
    at.run()
    assert not at.exception
    assert any("Tệp bị từ chối" in e.value for e in at.error)
    rows = findings_shown(at)
    assert list(rows[0]) == ["Mức độ", "Vị trí", "Nội dung"]
    assert {"Mức độ": "Lỗi",
            "Vị trí": md("Sheet “Biểu 06”, dòng 15 (UBND xã Ia Tul, tháng 03/2019), cột “Số hồ sơ đã giải quyết › "
                         "Quá hạn”"),
            "Nội dung": md("Số hồ sơ không được âm (-1).")} in rows
    # a long message is there in full, never cut ("…"), in a table that wraps its text
    identity = md("Tổng số hồ sơ đã giải quyết = 2 nhưng Giải quyết trước hạn + Giải quyết đúng hạn + Giải quyết quá "
                  "hạn = 0 + 2 + -1 = 1 (thiếu 1).")
    assert {"Mức độ": "Cảnh báo",
            "Vị trí": md("Sheet “Biểu 06”, dòng 15 (UBND xã Ia Tul, tháng 03/2019), cột “Số hồ sơ đã giải quyết › "
                         "Tổng số”"),
            "Nội dung": identity} in rows
    assert not [d for d in at.dataframe if "Nội dung" in d.value.columns]  # not a dataframe's one-line cells


def test_after_an_upload_the_history_detail_shows_the_new_entry(tmp_path, use_db):
    url = f"sqlite:///{tmp_path / 'follow.sqlite'}"
    store = Store(url)
    load_sample_data(store)  # entries 1 plan, 2 statistics, 3 progress, 4 procedures
    store.dispose()
    use_db(url)
    at = open_page("pages/du_lieu.py")
    at.selectbox(key="history_entry").set_value(1)  # the clerk looked at the plan's entry
    at.run()
    assert any(m.value.startswith("**Lần 1** · ") for m in at.markdown)
    header = ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Giải quyết đúng hạn",
              "Giải quyết quá hạn"]
    at.file_uploader[0].set_value(("t01_2020.xlsx", book(SheetSpec("T01-2020", [header, ["Phòng Tư pháp", 12, 10,
                                                                                          9, 1]])), XLSX))
    at.run()
    at.button(key="confirm_import").click()
    at.run()
    assert not at.exception
    assert at.selectbox(key="history_entry").value == 5
    assert any(m.value.startswith("**Lần 5** · " + md("Thống kê TTHC · ")) for m in at.markdown)
    changes = [d.value for d in at.dataframe if "Thao tác" in d.value.columns][-1]
    assert changes.to_dict("records") == [{"Đối tượng": "Phòng Tư pháp", "Kỳ": "01/2020", "Thao tác": "Thêm mới"}]
    # and the clerk may still look at another entry afterwards
    at.selectbox(key="history_entry").set_value(2)
    at.run()
    assert at.selectbox(key="history_entry").value == 2


def test_the_sample_uploaded_again_keeps_its_notice_and_says_nothing_changed(tmp_path, use_db):
    url = f"sqlite:///{tmp_path / 'sample_again.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    store.dispose()
    use_db(url)
    at = open_page("pages/du_lieu.py")
    sample = (DATA / "thong_ke_2019_minh_hoa.xlsx").read_bytes()
    at.file_uploader[0].set_value(("thong_ke_2019_minh_hoa.xlsx", sample, XLSX))
    at.run()
    at.button(key="confirm_import").click()
    at.run()
    assert not at.exception
    # 20 units × 12 months of 2019, every figure as stored
    assert any(s.value == md("Đã nhập thong_ke_2019_minh_hoa.xlsx (lần nhập số 5). Thêm 0 đơn vị-tháng, thay thế "
                             "240 đơn vị-tháng, không đổi số liệu nào.") for s in at.success)
    history = next(d.value for d in at.dataframe if "Nội dung" in d.value.columns)
    first = history.iloc[0]
    assert first["Lần"] == 5 and first["Minh họa"] == "Có"
    assert first["Nội dung"] == "20 đơn vị, 01/2019–12/2019: thêm 0, thay thế 240 đơn vị-tháng, không đổi số liệu nào"
    at.switch_page("pages/tong_quan.py")
    at.run()
    assert any("Dữ liệu minh họa" in w.value for w in at.warning)


def test_history_times_are_vietnam_time_and_people_are_named(tmp_path, use_db, monkeypatch):
    url = f"sqlite:///{tmp_path / 'names.sqlite'}"
    store = Store(url)
    header = ["Đơn vị", "Tổng số hồ sơ tiếp nhận", "Tổng số hồ sơ đã giải quyết", "Giải quyết đúng hạn",
              "Giải quyết quá hạn"]
    from cchc.ingest import import_file

    _, outcome = import_file(store, book(SheetSpec("T01-2019", [header, ["Phòng Tư pháp", 12, 10, 9, 1]])),
                             "t01.xlsx", user="nguyen.van.a")
    store.save_user("nguyen.van.a", display_name="Nguyễn Văn A", role="editor")
    with store.engine.begin() as conn:  # made at 18:05 UTC on 31/01/2019: 01:05 on 1 February in Vietnam
        conn.execute(imports.update().where(imports.c.id == outcome.import_id)
                     .values(created_at=dt.datetime(2019, 1, 31, 18, 5)))
    store.dispose()
    use_db(url)
    # an account exists: password mode, viewing open; the page reads the (absent) login cookie as a browser sends it
    monkeypatch.setenv("CCHC_SERVED", "1")
    for name in ("CCHC_AUTH", "CCHC_LOGIN_REQUIRED", "CCHC_TRUSTED_HEADER"):
        monkeypatch.delenv(name, raising=False)
    BrowserRequest().install(monkeypatch)
    monkeypatch.setenv("TZ", "America/New_York")  # the server's own zone plays no part
    time.tzset()
    try:
        at = open_page("pages/du_lieu.py")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert not at.exception
    history = next(d.value for d in at.dataframe if "Nội dung" in d.value.columns)
    assert history[["Thời điểm (giờ Việt Nam)", "Người thực hiện"]].values.tolist() == [
        ["01/02/2019 01:05", "Nguyễn Văn A"]]
    assert any(m.value == "**Lần 1** · " + md("Thống kê TTHC · Nguyễn Văn A · 01/02/2019 01:05 · 1 đơn vị, 01/2019: "
                                               "thêm 1, thay thế 0 đơn vị-tháng") for m in at.markdown)


def test_the_open_mode_hint_names_a_command_that_works(tmp_path, use_db):
    import re
    import shlex
    import subprocess

    from support import ROOT

    use_db(f"sqlite:///{tmp_path / 'open.sqlite'}")
    at = open_page("pages/du_lieu.py")
    hint = next(c.value for c in at.sidebar.caption if "Chế độ mở" in c.value)
    command = re.search(r"`([^`]+)`", hint)[1]
    assert command.startswith(".venv/bin/python -m cchc user add ")
    # the command as printed, run from the software's folder, with the account's name and --help (nothing created)
    words = [w for w in shlex.split(command) if w != "TÊN"]
    done = subprocess.run([*words, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "--role" in done.stdout
    with sa.create_engine(f"sqlite:///{tmp_path / 'open.sqlite'}").connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar_one() == 0


def test_a_qd766_score_file_is_previewed_stored_and_checked_against_the_stored_maxima(tmp_path, use_db):
    """The page's check runs in a child with the default maxima: the office's own maxima must still decide."""
    url = f"sqlite:///{tmp_path / 'diem766.sqlite'}"
    use_db(url)
    header = ["STT", "Tên đơn vị", "Công khai, minh bạch", "Tiến độ giải quyết", "Dịch vụ công trực tuyến",
              "Thanh toán trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ", "Tổng điểm"]
    rows = [["Kỳ đánh giá: Tháng 6 năm 2025"], header,
            [1, "UBND xã Ia Tul", 16, 18, 10, 8, 17, 20, 89],   # 16+18+10+8+17+20 = 89
            [2, "UBND xã Ia Kdăm", 15, 17, 9, 7, 16, 19, 83]]   # 15+17+9+7+16+19 = 83
    workbook = book(SheetSpec("Điểm", rows))
    store = Store(url)
    store.set_index766_maxima({"ckmb": 15, "tdgq": 20, "dvctt": 12, "tttt": 10, "mdhl": 18, "mdsh": 25}, user="qt")
    store.dispose()
    at = open_page("pages/du_lieu.py")
    at.file_uploader[0].set_value(("diem_766_t06.xlsx", workbook, XLSX))
    at.run()
    assert not at.exception
    # Ia Tul's 16 is above the office's maximum of 15 for CKMB (the default 18 would let it pass)
    assert any("Tệp bị từ chối" in e.value for e in at.error)
    assert any("UBND xã Ia Tul" in str(r) or "dòng 3" in str(r) for r in findings_shown(at))

    store = Store(url)
    store.set_index766_maxima({"ckmb": 18, "tdgq": 20, "dvctt": 12, "tttt": 10, "mdhl": 18, "mdsh": 22}, user="qt")
    store.dispose()
    at = open_page("pages/du_lieu.py")
    at.file_uploader[0].set_value(("diem_766_t06.xlsx", workbook, XLSX))
    at.run()
    assert not at.exception and not at.error
    assert any("đơn vị-kỳ" in m.value for m in at.markdown)  # the preview speaks of unit-periods
    next(b for b in at.button if b.label == "Xác nhận nhập dữ liệu").click().run()
    assert not at.exception
    stored = Store(url).index766_scores()
    assert sorted(zip(stored["unit"], stored["total"])) == [("UBND xã Ia Kdăm", 83.0), ("UBND xã Ia Tul", 89.0)]
