"""Who may change what: the rights matrix itself, and every write control of the Dữ liệu and Đơn vị pages by role.

README, "Bảo mật và sao lưu": viewer xem; editor tải tệp lên, nhập tiến độ, sửa chỉ tiêu và cách chấm điểm (editor gắn
với một cơ quan chỉ nhập tiến độ của cơ quan đó); admin thêm quyền khôi phục dữ liệu. The expectations are literal
tables, never read back from cchc.store.accounts.ACTIONS.
"""

import math
import os

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from support import ROOT, BrowserRequest, reads_as, xlsx_bytes

from cchc.ingest import load_sample_data
from cchc.store import accounts as auth
from cchc.store.database import Store
from ui.safe import md

PASSWORD = "mat-khau-dai"
NOI_VU, TN_MT = "Phòng Nội vụ", "Phòng Tài nguyên và Môi trường"
NOI_VU_LEADS = ["1.2", "1.4.2", "5.1.2", "5.2", "5.5", "5.6.1"]  # the sample plan's criteria Phòng Nội vụ leads
TN_MT_LEADS = ["3.1.1", "3.1.2", "3.1.3"]

# ---- the rights matrix, straight from cchc.store.accounts.can ----

MATRIX = {  # action: (viewer, editor, admin)
    "view": (True, True, True),
    "upload": (False, True, True),
    "edit_targets": (False, True, True),
    "edit_rules": (False, True, True),
    "enter_progress": (False, True, True),
    "rollback": (False, False, True),
    "manage_users": (False, False, True),
}


@pytest.mark.parametrize("action", list(MATRIX))
def test_rights_matrix_by_role(action):
    viewer, editor, admin = auth.User("a", "viewer"), auth.User("b", "editor"), auth.User("c", "admin")
    assert (auth.can(viewer, action), auth.can(editor, action), auth.can(admin, action)) == MATRIX[action]
    assert auth.can(None, action) is False  # nobody logged in may do nothing, not even view
    assert auth.can(auth.User("d", "khach"), action) is False  # a role that does not exist has no right


def test_agency_editor_rights():
    noi_vu = auth.User("nv", "editor", NOI_VU)
    # an agency head's account: it views, uploads (its own progress, checked row by row: cchc/rights.py) and enters
    # its own agency's progress; targets, scoring rules and rollback need another account
    assert [auth.can(noi_vu, a) for a in MATRIX] == [True, True, False, False, False, False, False]
    assert auth.can(noi_vu, "enter_progress", NOI_VU) is True
    assert auth.can(noi_vu, "enter_progress", TN_MT) is False
    assert auth.can(noi_vu, "enter_progress", "") is False
    # an editor with no agency, and an admin whatever its agency field, enter progress for every agency
    assert auth.can(auth.User("all", "editor"), "enter_progress", TN_MT) is True
    assert auth.can(auth.User("qt", "admin", NOI_VU), "enter_progress", TN_MT) is True
    # an agency does not give a viewer any right to write
    assert auth.can(auth.User("x", "viewer", NOI_VU), "enter_progress", NOI_VU) is False
    assert auth.can(noi_vu, "no_such_action") is False


# ---- the pages, through AppTest ----

BROWSER = BrowserRequest()

@pytest.fixture
def accounts_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rights.sqlite'}"
    store = Store(url)
    load_sample_data(store)
    for username, role, agency in (("quantri", "admin", ""), ("capnhat", "editor", ""), ("xem", "viewer", ""),
                                   ("noivu", "editor", NOI_VU)):
        store.save_user(username, role=role, agency=agency, password_hash=auth.hash_password(PASSWORD))
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    monkeypatch.setenv("CCHC_SERVED", "1")  # as behind serve.py, whose login page sets the session cookie
    for name in ("CCHC_AUTH", "CCHC_LOGIN_REQUIRED", "CCHC_TRUSTED_HEADER"):  # password mode, viewing open
        monkeypatch.delenv(name, raising=False)
    BROWSER.install(monkeypatch)
    BROWSER.cookies.clear()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield store
    st.cache_data.clear()
    st.cache_resource.clear()
    store.dispose()


def open_as(username: str | None, page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    if username is not None:
        store = Store(os.environ["CCHC_DATABASE_URL"])
        BROWSER.log_in(store, username)  # what the login page does (tested in tests/test_web.py)
        store.dispose()
        at.run()
        assert any(reads_as(c.value).startswith(f"Đăng nhập: {username} ·") for c in at.caption), "login failed"
    assert not at.exception, [e.value for e in at.exception]
    return at


def keys(at) -> set:
    return {b.key for b in at.button}


def table(at, key: str):
    found = [d for d in at.dataframe if d.key == key]
    return found[0] if found else None


def data_page_controls(at) -> dict:
    targets, rules = table(at, "targets_editor"), table(at, "rules_editor")
    assert targets is not None and rules is not None  # everyone sees both tables; only some may change them
    return {"upload": len(at.file_uploader) == 1,
            "targets editable": not targets.proto.disabled, "save targets": "save_targets" in keys(at),
            "rules editable": not rules.proto.disabled, "save rules": "save_rules" in keys(at),
            "rollback": "rollback" in keys(at)}


def expected(upload, targets, rules, rollback) -> dict:
    return {"upload": upload, "targets editable": targets, "save targets": targets, "rules editable": rules,
            "save rules": rules, "rollback": rollback}


DATA_PAGE = {  # who: (upload, targets editor, rules editor, rollback)
    None: (False, False, False, False),
    "xem": (False, False, False, False),
    "capnhat": (True, True, True, False),
    "quantri": (True, True, True, True),
}


@pytest.mark.parametrize("who", list(DATA_PAGE), ids=lambda w: w or "not-logged-in")
def test_data_page_write_controls_by_role(accounts_db, who):
    at = open_as(who, "pages/du_lieu.py")
    assert data_page_controls(at) == expected(*DATA_PAGE[who])
    refusal = any("Cần đăng nhập bằng tài khoản có quyền để tải dữ liệu lên" in i.value for i in at.info)
    assert refusal is (not DATA_PAGE[who][0])


def progress_controls(at, unit: str) -> dict:
    editor = table(at, f"progress_{unit}")
    return {"editor": editor is not None and not editor.proto.disabled, "save": "save_progress" in keys(at),
            "refused": any(f"Cần đăng nhập bằng tài khoản có quyền để nhập tiến độ của {unit}" in i.value
                           for i in at.info)}


CAN_ENTER = {"editor": True, "save": True, "refused": False}
CANNOT_ENTER = {"editor": False, "save": False, "refused": True}


def unit_page(who: str | None, unit: str) -> AppTest:
    at = open_as(who, "pages/don_vi.py", {"don_vi": unit})
    assert at.selectbox(key="don_vi").value == unit
    return at


@pytest.mark.parametrize("who, unit, rights", [
    (None, NOI_VU, CANNOT_ENTER),
    ("xem", NOI_VU, CANNOT_ENTER),
    ("capnhat", TN_MT, CAN_ENTER),  # an editor for every agency
    ("quantri", TN_MT, CAN_ENTER),
    ("noivu", NOI_VU, CAN_ENTER),  # an agency's editor, on its own agency
    ("noivu", TN_MT, CANNOT_ENTER),  # … and on another agency
], ids=["not-logged-in", "viewer", "editor", "admin", "agency-editor-own", "agency-editor-other"])
def test_progress_entry_by_role_and_agency(accounts_db, who, unit, rights):
    at = unit_page(who, unit)
    assert progress_controls(at, unit) == rights
    leads = NOI_VU_LEADS if unit == NOI_VU else TN_MT_LEADS
    if rights["editor"]:  # the editor holds exactly the criteria the agency leads, their codes fixed
        editor = table(at, f"progress_{unit}")
        assert editor.value["Mã tiêu chí"].tolist() == leads and editor.editing_mode == "fixed"
    else:  # the same rows, read only
        assert any(d.key is None and "Mã tiêu chí" in d.value.columns and d.value["Mã tiêu chí"].tolist() == leads
                   for d in at.dataframe)


def progress_of(store, agency: str) -> list[tuple]:
    rows = store.progress_records()
    rows = rows[rows["agency"] == agency]
    values = [None if math.isnan(v) else round(v, 4) for v in rows["value"]]  # NaN (status only): None
    return sorted(zip(rows["code"], rows["period"], values, rows["status"], rows["user"]))


def test_agency_editor_saves_its_own_progress(accounts_db):
    at = unit_page("noivu", NOI_VU)
    row = NOI_VU_LEADS.index("5.5")
    at.session_state[f"progress_{NOI_VU}"] = {"edited_rows": {row: {"Giá trị (%)": "95"}}, "added_rows": [],
                                             "deleted_rows": []}
    at.run()
    at.button(key="save_progress").click()
    at.run()
    assert not at.exception and not at.error
    # the latest period's report is replaced (the sample's stays in the history), the earlier one untouched
    assert [r for r in progress_of(accounts_db, NOI_VU) if r[0] == "5.5"] == [
        ("5.5", "2019-06", 0.45, "in_progress", "mẫu"), ("5.5", "2019-12", 0.95, "not_done", "noivu")]
    assert accounts_db.import_history().iloc[0]["user"] == "noivu"


def test_agency_editor_cannot_slip_in_another_agencys_criterion(accounts_db):
    """The code column is disabled in the browser; an edit sent anyway is refused on the server, nothing stored."""
    before = progress_of(accounts_db, NOI_VU), progress_of(accounts_db, TN_MT)
    at = unit_page("noivu", NOI_VU)
    at.session_state[f"progress_{NOI_VU}"] = {"edited_rows": {0: {"Mã tiêu chí": "3.1.2", "Giá trị (%)": "100"}},
                                             "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_progress").click()
    at.run()
    assert not at.exception
    assert any(md(f"{NOI_VU} không chủ trì tiêu chí “3.1.2”") in e.value for e in at.error)  # escaped: it quotes cells
    assert (progress_of(accounts_db, NOI_VU), progress_of(accounts_db, TN_MT)) == before


def progress_workbook(rows) -> bytes:
    from cchc.read.progress import PROGRESS_HEADERS

    return xlsx_bytes({"Tiến độ": [list(PROGRESS_HEADERS.values()), *rows]})


# Mã tiêu chí | Kỳ báo cáo | Giá trị | Trạng thái | Số văn bản | Ngày văn bản | Cơ quan báo cáo | Ghi chú
OWN_ROW = ["5.5", "2019-12", "97%", "Đang thực hiện", "12/BC-NV", "20/12/2019", NOI_VU, ""]
OTHER_ROW = ["3.1.2", "2019-12", "10%", "Chưa thực hiện", "", "", TN_MT, ""]


def upload(at, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_agency_editor_cannot_upload_another_agencys_progress(accounts_db):
    """Uploading a progress workbook is entering progress too: another agency's rows are refused, nothing stored."""
    before = progress_of(accounts_db, NOI_VU), progress_of(accounts_db, TN_MT)
    at = upload(open_as("noivu", "pages/du_lieu.py"), "tien_do.xlsx", progress_workbook([OWN_ROW, OTHER_ROW]))
    assert "confirm_import" not in keys(at)
    assert any(TN_MT in e.value and NOI_VU not in e.value for e in at.error), [e.value for e in at.error]
    assert (progress_of(accounts_db, NOI_VU), progress_of(accounts_db, TN_MT)) == before
    # its own agency's rows only: accepted
    at = upload(at, "tien_do_noi_vu.xlsx", progress_workbook([OWN_ROW]))
    assert not at.error
    at.button(key="confirm_import").click()
    at.run()
    assert not at.exception
    assert ("5.5", "2019-12", 0.97, "in_progress", "noivu") in progress_of(accounts_db, NOI_VU)
    assert progress_of(accounts_db, TN_MT) == before[1]


def test_editor_for_every_agency_uploads_every_agencys_progress(accounts_db):
    at = upload(open_as("capnhat", "pages/du_lieu.py"), "tien_do.xlsx", progress_workbook([OWN_ROW, OTHER_ROW]))
    assert not at.error
    at.button(key="confirm_import").click()
    at.run()
    assert not at.exception
    assert ("5.5", "2019-12", 0.97, "in_progress", "capnhat") in progress_of(accounts_db, NOI_VU)
    assert ("3.1.2", "2019-12", 0.1, "not_done", "capnhat") in progress_of(accounts_db, TN_MT)
