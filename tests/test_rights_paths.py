"""Every write path checks the account in cchc, whatever the page showed (cchc/rights.py): each is refused for
nobody, a viewer and the accounts without the right, with the Vietnamese message that names the right needed, and
nothing is stored; the right account writes. A progress file of an agency editor is checked row by row, each refused
row located at its sheet, Excel row and agency column.

The messages and the rights are literal expectations, never read back from cchc.rights.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from support import book, figures, plan_bytes, template_sheet, xlsx_bytes

from cchc import rights
from cchc.ingest import MACHINE_ADMIN, check_file, import_file, store_checked
from cchc.read.targets import Target
from cchc.rights import NotAllowed
from cchc.store.accounts import User
from cchc.store.database import Store, metadata

NOI_VU, TN_MT = "Phòng Nội vụ", "Phòng Tài nguyên và Môi trường"
NOBODY = None
VIEWER = User("xem", "viewer")
AGENCY_EDITOR = User("noivu", "editor", NOI_VU)
EDITOR = User("capnhat", "editor")
ADMIN = User("quantri", "admin")
ACCOUNTS = {"nobody": NOBODY, "viewer": VIEWER, "agency editor": AGENCY_EDITOR, "editor": EDITOR, "admin": ADMIN}

# Mã tiêu chí | Kỳ báo cáo | Giá trị | Trạng thái | Số văn bản | Ngày văn bản | Cơ quan báo cáo | Ghi chú
PROGRESS_HEADER = ["Mã tiêu chí", "Kỳ báo cáo", "Giá trị", "Trạng thái", "Số văn bản", "Ngày văn bản",
                   "Cơ quan báo cáo", "Ghi chú"]
OWN = ["3.4", "2019-06", "90%", "Đang thực hiện", "12/BC-NV", "20/06/2019", NOI_VU, ""]
OTHER = ["3.7", "2019-06", "100%", "Hoàn thành", "", "", TN_MT, ""]
NONE_NAMED = ["3.4", "2019-12", "95%", "", "", "", "", ""]


def progress_bytes(*rows, sheet="Tiến độ") -> bytes:
    return xlsx_bytes({sheet: [PROGRESS_HEADER, *rows]})


PLAN = plan_bytes()  # criteria 3.4 and 3.7, plan year 2019 (support.SMALL_PLAN_ROWS)


def plan_file() -> bytes:
    return PLAN


def stats_file() -> bytes:
    return book(template_sheet([("Phòng Tư pháp", 2019, 1, figures())]))


def procedures_file() -> bytes:
    return xlsx_bytes({"Số liệu TTHC": [["Đơn vị", "Năm", "Tổng số TTHC", "TTHC xử lý trên phần mềm Một cửa điện tử"],
                                        ["Phòng Tư pháp", 2019, 32, 30]]})


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'rights.sqlite'}")
    result, outcome = import_file(s, plan_file(), "ke_hoach.xlsx", user="mẫu")
    assert outcome is not None, result.findings.errors
    yield s
    s.dispose()


def state(store) -> tuple:
    """Everything stored: every table's row count and the history (who, what, which file)."""
    with store.engine.connect() as conn:
        counts = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                  for t in metadata.sorted_tables}
    history = store.import_history()[["id", "kind", "filename", "user"]].values.tolist()
    return counts, history


def checked(store, data: bytes, name: str = "tep.xlsx"):
    result = check_file(data, name, plan=store.current_plan())
    assert result.ok, result.findings.errors
    return result


def refused(store, write) -> NotAllowed:
    """Run a write that must be refused; nothing stored."""
    before = state(store)
    with pytest.raises(NotAllowed) as caught:
        write()
    assert state(store) == before
    return caught.value


# ---- uploads, each workbook kind ----

FILES = {"plan": plan_file, "stats": stats_file, "procedures": procedures_file}
# who: the message storing a plan / statistics / procedures file meets (None: stored)
UPLOADS = {
    "nobody": {
        "plan": "Cần đăng nhập bằng tài khoản có quyền Cập nhật để tải kế hoạch lên. Không có gì được lưu.",
        "stats": "Cần đăng nhập bằng tài khoản có quyền Cập nhật để tải số liệu thống kê TTHC lên. Không có gì được "
                 "lưu.",
        "procedures": "Cần đăng nhập bằng tài khoản có quyền Cập nhật để tải số liệu thủ tục hành chính lên. Không "
                      "có gì được lưu."},
    "viewer": {
        "plan": "Tài khoản “xem” (quyền Xem) không được tải kế hoạch lên: cần tài khoản có quyền Cập nhật. Không có "
                "gì được lưu.",
        "stats": "Tài khoản “xem” (quyền Xem) không được tải số liệu thống kê TTHC lên: cần tài khoản có quyền Cập "
                 "nhật. Không có gì được lưu.",
        "procedures": "Tài khoản “xem” (quyền Xem) không được tải số liệu thủ tục hành chính lên: cần tài khoản có "
                      "quyền Cập nhật. Không có gì được lưu."},
    "agency editor": {
        "plan": "Tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ; cần tài khoản có quyền Cập nhật cho mọi "
                "cơ quan để tải kế hoạch lên. Không có gì được lưu.",
        "stats": "Tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ; cần tài khoản có quyền Cập nhật cho mọi "
                 "cơ quan để tải số liệu thống kê TTHC lên. Không có gì được lưu.",
        "procedures": "Tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ; cần tài khoản có quyền Cập nhật cho "
                      "mọi cơ quan để tải số liệu thủ tục hành chính lên. Không có gì được lưu."},
    "editor": {"plan": None, "stats": None, "procedures": None},
    "admin": {"plan": None, "stats": None, "procedures": None},
}


@pytest.mark.parametrize("kind", list(FILES))
@pytest.mark.parametrize("who", list(UPLOADS))
def test_uploading_each_kind_needs_its_right(store, who, kind):
    account, expected = ACCOUNTS[who], UPLOADS[who][kind]
    data = FILES[kind]()
    result = checked(store, data)
    assert result.kind == kind
    write = lambda: store_checked(store, result, data, "tep.xlsx", user="ai-do", account=account)
    if expected is None:
        before = store.import_count()
        assert write().import_id == before + 1
        assert store.import_history().iloc[0][["kind", "user"]].tolist() == [kind, "ai-do"]
    else:
        refusal = refused(store, write)
        assert refusal.message == expected
        assert [f.message for f in refusal.findings.errors] == [expected]  # the whole file: no row, no column
        assert rights.authorize_import(result, account).errors[0].row is None


def test_store_checked_needs_an_account():
    """The page must say who stores; no account given is a programming error, not a silent admin."""
    with pytest.raises(TypeError):
        store_checked(None, None, b"", "tep.xlsx")  # type: ignore[call-arg]


# ---- progress files: the agency of every row ----

def test_an_agency_editor_is_refused_another_agencys_rows_each_located(store):
    data = progress_bytes(OWN, OTHER, NONE_NAMED)  # Excel rows 2, 3, 4
    result = checked(store, data)
    refusal = refused(store, lambda: store_checked(store, result, data, "tien_do.xlsx", account=AGENCY_EDITOR))
    assert refusal.message == (
        "Tài khoản “noivu” chỉ được nhập tiến độ của cơ quan mình; tệp có 2 dòng báo cáo không thuộc cơ quan này "
        "(Phòng Tài nguyên và Môi trường, dòng không ghi cơ quan). Không có gì được lưu. Hãy bỏ các dòng đó (xem "
        "bảng lỗi) rồi tải lên lại.")
    assert [f.as_dict() for f in refusal.findings.errors] == [
        {"sheet": "Tiến độ", "row": 3, "column": "G (Cơ quan báo cáo)",
         "message": "Tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ, không được nhập báo cáo tiến độ của "
                    "Phòng Tài nguyên và Môi trường."},
        {"sheet": "Tiến độ", "row": 4, "column": "G (Cơ quan báo cáo)",
         "message": "Dòng không ghi cơ quan báo cáo: tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ; hãy "
                    "ghi “Phòng Nội vụ”."}]
    assert refusal.findings.errors[0].located() == (
        "sheet “Tiến độ”, dòng 3, cột “G (Cơ quan báo cáo)”: Tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội "
        "vụ, không được nhập báo cáo tiến độ của Phòng Tài nguyên và Môi trường.")


def test_the_agency_column_is_named_where_the_file_has_it(store):
    """Another sheet name, the agency column third under another header, the table lower down: the place follows."""
    header = ["Mã tiêu chí", "Kỳ báo cáo", "Đơn vị báo cáo", "Giá trị", "Trạng thái"]
    data = xlsx_bytes({"Quý II": [["Báo cáo tiến độ quý II/2019"], [], header,
                                  ["3.4", "2019-06", NOI_VU, "90%", "Đang thực hiện"],
                                  ["3.7", "2019-06", TN_MT, "100%", "Hoàn thành"]]})
    result = checked(store, data)
    errors = refused(store, lambda: store_checked(store, result, data, "q2.xlsx", account=AGENCY_EDITOR)).findings
    assert [(f.sheet, f.row, f.column) for f in errors.errors] == [("Quý II", 5, "C (Đơn vị báo cáo)")]


def test_a_table_without_an_agency_column_is_refused_row_by_row(store):
    data = xlsx_bytes({"Tiến độ": [["Mã tiêu chí", "Kỳ báo cáo", "Giá trị"], ["3.4", "2019-06", "90%"],
                                   ["3.7", "2019-06", "100%"]]})
    result = checked(store, data)
    errors = refused(store, lambda: store_checked(store, result, data, "t.xlsx", account=AGENCY_EDITOR)).findings
    message = ("Bảng không có cột “Cơ quan báo cáo”: tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ; hãy "
               "thêm cột đó và ghi “Phòng Nội vụ” ở mỗi dòng.")
    assert [(f.sheet, f.row, f.column, f.message) for f in errors.errors] == [
        ("Tiến độ", 2, None, message), ("Tiến độ", 3, None, message)]


def progress_stored(store) -> list[tuple]:
    rows = store.progress_records()
    return sorted(zip(rows["code"], rows["period"], rows["agency"], rows["source"], rows["user"]))


def test_an_agency_editor_stores_its_own_agencys_rows(store):
    data = progress_bytes(OWN, ["3.7", "2019-12", "", "Hoàn thành", "", "", "Nội vụ", ""])  # a short name
    result = checked(store, data)
    assert rights.authorize_import(result, AGENCY_EDITOR).errors == []
    store_checked(store, result, data, "tien_do.xlsx", user="noivu", account=AGENCY_EDITOR)
    assert progress_stored(store) == [("3.4", "2019-06", NOI_VU, "file", "noivu"),
                                      ("3.7", "2019-12", NOI_VU, "file", "noivu")]


@pytest.mark.parametrize("account", [EDITOR, ADMIN, User("qt", "admin", NOI_VU)], ids=["editor", "admin",
                                                                                       "admin-with-agency"])
def test_an_editor_for_every_agency_and_an_admin_store_every_row(store, account):
    data = progress_bytes(OWN, OTHER, NONE_NAMED)
    store_checked(store, checked(store, data), data, "tien_do.xlsx", user=account.username, account=account)
    assert progress_stored(store) == [("3.4", "2019-06", NOI_VU, "file", account.username),
                                      ("3.4", "2019-12", "", "file", account.username),
                                      ("3.7", "2019-06", TN_MT, "file", account.username)]


@pytest.mark.parametrize("who, message", [
    ("nobody", "Cần đăng nhập bằng tài khoản có quyền Cập nhật để nhập tiến độ. Không có gì được lưu."),
    ("viewer", ("Tài khoản “xem” (quyền Xem) không được nhập tiến độ: cần tài khoản có quyền Cập nhật. Không có gì "
                "được lưu.")),
])
def test_a_progress_file_is_refused_whole_without_the_right(store, who, message):
    data = progress_bytes(OWN)
    result = checked(store, data)
    refusal = refused(store, lambda: store_checked(store, result, data, "t.xlsx", account=ACCOUNTS[who]))
    assert refusal.message == message and [f.message for f in refusal.findings.errors] == [message]


# ---- the progress editor of the Đơn vị page ----

def entered(agency: str):
    import pandas as pd

    return pd.DataFrame([{"code": "3.4", "period": "2019-12", "value": 0.9, "status": "in_progress", "doc_number": "",
                          "doc_date": "", "note": "", "agency": agency}])


def test_the_progress_editor_checks_the_agency(store):
    assert refused(store, lambda: rights.enter_progress(store, AGENCY_EDITOR, entered(TN_MT))).message == (
        "Tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ, không được nhập báo cáo tiến độ của Phòng Tài "
        "nguyên và Môi trường. Không có gì được lưu.")
    assert refused(store, lambda: rights.enter_progress(store, VIEWER, entered(NOI_VU))).message == (
        "Tài khoản “xem” (quyền Xem) không được nhập tiến độ: cần tài khoản có quyền Cập nhật. Không có gì được lưu.")
    assert refused(store, lambda: rights.enter_progress(store, NOBODY, entered(NOI_VU))).message == (
        "Cần đăng nhập bằng tài khoản có quyền Cập nhật để nhập tiến độ. Không có gì được lưu.")
    rights.enter_progress(store, AGENCY_EDITOR, entered(NOI_VU))
    rights.enter_progress(store, EDITOR, entered(TN_MT), user="capnhat (máy 2)")
    assert progress_stored(store) == [("3.4", "2019-12", NOI_VU, "app", "noivu"),
                                      ("3.4", "2019-12", TN_MT, "app", "capnhat (máy 2)")]


# ---- targets, rules, mappings, rollback ----

def rules_json() -> str:
    return '{"3.4": {"kind": "threshold"}}'


WRITES = {  # name: (the write, what it leaves that shows it was stored)
    "targets": (lambda s, a: rights.set_targets(s, a, [("3.4", Target("on_time_rate", ">=", 0.95)), ("3.7", None)],
                                                plan_year=2019),
                lambda s: {c.code: c.target for c in s.current_plan(2019).criteria}
                == {"3.4": Target("on_time_rate", ">=", 0.95), "3.7": None}),
    "rules": (lambda s, a: rights.set_rules(s, a, rules_json(), plan_year=2019),
              lambda s: s.rules_json(2019) == rules_json()),
    "mapping": (lambda s, a: rights.save_mapping(s, a, "Cổng DVC", "abc123", {"Tên đơn vị": "unit"}),
                lambda s: s.saved_mappings() == [{"name": "Cổng DVC", "signature": "abc123",
                                                   "columns": {"Tên đơn vị": "unit"}}]),
    "rollback": (lambda s, a: rights.rollback_to(s, a, 0),
                 lambda s: s.current_plan() is None and s.import_history().iloc[0]["kind"] == "rollback"),
}
WHAT = {"targets": "sửa chỉ tiêu", "rules": "sửa cách chấm điểm", "mapping": "lưu cách đọc cột",
        "rollback": "khôi phục dữ liệu về một lần nhập trước"}
NEEDED = {"targets": "Cập nhật", "rules": "Cập nhật", "mapping": "Cập nhật", "rollback": "Quản trị"}
MAY = {"targets": {"editor", "admin"}, "rules": {"editor", "admin"}, "mapping": {"editor", "admin"},
       "rollback": {"admin"}}


def expected_refusal(who: str, write: str) -> str:
    what, needed = WHAT[write], NEEDED[write]
    if who == "nobody":
        reason = f"Cần đăng nhập bằng tài khoản có quyền {needed} để {what}."
    elif who == "agency editor" and needed == "Cập nhật":
        reason = (f"Tài khoản “noivu” chỉ được nhập tiến độ của Phòng Nội vụ; cần tài khoản có quyền Cập nhật cho "
                  f"mọi cơ quan để {what}.")
    else:
        name, role = {"viewer": ("xem", "Xem"), "agency editor": ("noivu", "Cập nhật"),
                      "editor": ("capnhat", "Cập nhật")}[who]
        reason = f"Tài khoản “{name}” (quyền {role}) không được {what}: cần tài khoản có quyền {needed}."
    return reason + " Không có gì được lưu."


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("who", list(ACCOUNTS))
def test_each_edit_needs_its_right(store, who, write):
    account, (do, landed) = ACCOUNTS[who], WRITES[write]
    if who in MAY[write]:
        do(store, account)
        assert landed(store)
        assert store.import_history().iloc[0]["user"] == account.username
    else:
        assert refused(store, lambda: do(store, account)).message == expected_refusal(who, write)
        assert not landed(store)


def test_an_agency_editors_rollback_names_the_admin_right(store):
    assert refused(store, lambda: rights.rollback_to(store, AGENCY_EDITOR, 0)).message == (
        "Tài khoản “noivu” (quyền Cập nhật) không được khôi phục dữ liệu về một lần nhập trước: cần tài khoản có "
        "quyền Quản trị. Không có gì được lưu.")


# ---- the original files: an editor's right ----

@pytest.mark.parametrize("who", list(ACCOUNTS))
def test_original_files_only_for_editors(store, who):
    if who in ("nobody", "viewer"):
        expected = {"nobody": "Cần đăng nhập bằng tài khoản có quyền Cập nhật để tải tệp gốc.",
                    "viewer": "Tài khoản “xem” (quyền Xem) không được tải tệp gốc: cần tài khoản có quyền Cập nhật."}
        assert refused(store, lambda: rights.original_file(store, ACCOUNTS[who], 1)).message == expected[who]
    else:
        assert rights.original_file(store, ACCOUNTS[who], 1) == ("ke_hoach.xlsx", PLAN)


def test_the_cli_acts_as_the_machines_administrator():
    assert (MACHINE_ADMIN.role, MACHINE_ADMIN.agency) == ("admin", "")
