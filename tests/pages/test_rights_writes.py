"""The Dữ liệu page refuses what cchc refuses (cchc/rights.py, store.database.StorageError): the Vietnamese message
in st.error, the refused rows located in the table of findings, no traceback, nothing stored. Accounts log in as in
test_rights.py (its fixture and helpers, whatever hook they use); the expectations are literal, compared as the page
writes them (escaped for markdown, ui.safe.md).
"""

from __future__ import annotations

import sqlalchemy as sa
import test_rights
from sqlalchemy import event
from support import book, figures, template_sheet
from test_rights import (
    OTHER_ROW,
    OWN_ROW,
    TN_MT,
    keys,
    open_as,
    progress_of,
    progress_workbook,
    upload,
)

from cchc.store.database import metadata
from ui.safe import md

accounts_db = test_rights.accounts_db  # the fixture, with its accounts and login hook

FINDINGS_COLUMNS = ["Mức độ", "Vị trí", "Nội dung"]


def state(store) -> tuple:
    with store.engine.connect() as conn:
        counts = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                  for t in metadata.sorted_tables if t.name not in ("login_sessions", "login_throttle")}
    return counts, store.import_history()[["id", "kind", "filename", "user"]].values.tolist()


def findings_shown(at) -> list[dict]:
    tables = [t.value for t in at.table if list(t.value.columns) == FINDINGS_COLUMNS]  # st.table: escaped cells
    assert len(tables) == 1, "the table of findings"
    return tables[0].to_dict("records")


def test_an_agency_editors_file_with_another_agencys_row_is_refused_with_the_row_located(accounts_db):
    """OWN_ROW is Excel row 2, OTHER_ROW (Phòng Tài nguyên và Môi trường) row 3; the agency is column G."""
    before = state(accounts_db)
    at = upload(open_as("noivu", "pages/du_lieu.py"), "tien_do.xlsx", progress_workbook([OWN_ROW, OTHER_ROW]))
    assert [e.value for e in at.error] == [md(
        "Tài khoản “noivu” chỉ được nhập tiến độ của cơ quan mình; tệp có 1 dòng báo cáo không thuộc cơ quan này "
        "(Phòng Tài nguyên và Môi trường). Không có gì được lưu. Hãy bỏ các dòng đó (xem bảng lỗi) rồi tải lên lại.")]
    errors = [r for r in findings_shown(at) if r["Mức độ"] == "Lỗi"]
    assert errors == [{"Mức độ": "Lỗi", "Vị trí": md("Sheet “Tiến độ”, dòng 3, cột “G (Cơ quan báo cáo)”"),
                       "Nội dung": md("Tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ, không được nhập báo "
                                      "cáo tiến độ của Phòng Tài nguyên và Môi trường.")}]
    assert "confirm_import" not in keys(at) and not any(s.value == "Xem trước" for s in at.subheader)
    assert not at.success  # never "Tệp hợp lệ" over a file this account may not store
    assert state(accounts_db) == before


def test_an_agency_editor_is_refused_a_statistics_file(accounts_db):
    before = state(accounts_db)
    data = book(template_sheet([("Phòng Tư pháp", 2019, 1, figures())]))
    at = upload(open_as("noivu", "pages/du_lieu.py"), "thong_ke.xlsx", data)
    assert [e.value for e in at.error] == [md(
        "Tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ; cần tài khoản có quyền Cập nhật cho mọi cơ quan "
        "để tải số liệu thống kê TTHC lên. Không có gì được lưu.")]
    assert "confirm_import" not in keys(at) and "mapping_preview_" not in " ".join(str(k) for k in keys(at))
    assert state(accounts_db) == before


def test_an_agency_editor_may_not_edit_targets_or_rules_nor_roll_back(accounts_db):
    at = open_as("noivu", "pages/du_lieu.py")
    targets = next(d for d in at.dataframe if d.key == "targets_editor")
    rules = next(d for d in at.dataframe if d.key == "rules_editor")
    assert targets.proto.disabled and rules.proto.disabled
    assert not {"save_targets", "save_rules", "rollback"} & keys(at)
    assert len(at.file_uploader) == 1  # it uploads its own agency's progress


def test_a_full_disk_on_confirm_is_a_vietnamese_error_and_nothing_is_stored(accounts_db):
    at = upload(open_as("capnhat", "pages/du_lieu.py"), "tien_do.xlsx", progress_workbook([OWN_ROW, OTHER_ROW]))
    assert not at.error and "confirm_import" in keys(at)
    before = state(accounts_db)

    def full(dbapi_connection, _record, _proxy):  # every connection the page's store hands out, from now on
        dbapi_connection.execute("PRAGMA max_page_count = 1")

    event.listen(sa.pool.Pool, "checkout", full)
    try:
        at.button(key="confirm_import").click()
        at.run()
    finally:
        event.remove(sa.pool.Pool, "checkout", full)
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [md(
        "Không lưu được: ổ đĩa chứa cơ sở dữ liệu đã đầy. Không có gì được lưu. Hãy giải phóng dung lượng đĩa (xóa "
        "bớt tệp không cần trên máy chủ) hoặc báo quản trị viên, rồi thử lại.")]
    assert state(accounts_db) == before
    assert ("3.1.2", "2019-12", 0.1, "not_done", "capnhat") not in progress_of(accounts_db, TN_MT)


ORIGINAL_NOTE = ("Tệp gốc đúng như khi tải lên, có thể chứa công thức hoặc liên kết: hãy mở bằng Excel ở Chế độ xem "
                 "được bảo vệ (Protected View).")


def test_originals_are_an_editors_right_and_labelled(accounts_db):
    """The history opens on the latest entry: the sample's procedures file (thu_tuc_2019_minh_hoa.xlsx)."""
    viewer = open_as("xem", "pages/du_lieu.py")
    assert [b for b in viewer.download_button if b.key == "download_original"] == []
    assert "Tệp gốc chỉ dành cho tài khoản có quyền Cập nhật." in [c.value for c in viewer.caption]
    assert ORIGINAL_NOTE not in [c.value for c in viewer.caption]
    editor = open_as("noivu", "pages/du_lieu.py")
    assert [b.label for b in editor.download_button if b.key == "download_original"] == ["Tải tệp gốc"]
    assert ORIGINAL_NOTE in [c.value for c in editor.caption]
