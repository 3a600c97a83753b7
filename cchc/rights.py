"""Who may write what, checked where the data is written: a hidden button is a courtesy, this is the door.

Every write of the dashboard passes here before the store: the import of each workbook kind (`authorize_import`,
which `ingest.store_checked` calls, so the page and the CLI refuse alike), the progress editor of the Đơn vị page
(`enter_progress`), targets (`set_targets`) and the QĐ 766 thresholds beside them (`set_index766_thresholds`,
edit_targets), scoring rules (`set_rules`), saved column mappings (`save_mapping`) and
rollback (`rollback_to`); and so does the one read that hands out what someone uploaded (`original_file`). A refusal
is `NotAllowed`: its message is Vietnamese and says which right is needed, and a refused row of a progress file is
a Finding located at its sheet, Excel row and agency column (letter and header). Nothing is stored after a refusal.

The rights (✓ may, – may not):

| Action (ACTIONS)     | What it writes or gives                        | viewer | editor of one agency | editor | admin |
|----------------------|------------------------------------------------|--------|----------------------|--------|-------|
| view                 | the dashboard                                  | ✓      | ✓                    | ✓      | ✓     |
| upload               | the uploader itself (each kind checked below)  | –      | ✓                    | ✓      | ✓     |
| upload_plan          | a plan workbook                                | –      | –                    | ✓      | ✓     |
| upload_stats         | a statistics workbook                          | –      | –                    | ✓      | ✓     |
| upload_procedures    | a procedures workbook                          | –      | –                    | ✓      | ✓     |
| enter_progress       | progress: file rows and the Đơn vị editor      | –      | its own agency only  | ✓      | ✓     |
| edit_targets         | the criteria's targets                         | –      | –                    | ✓      | ✓     |
| edit_rules           | the scoring rules                              | –      | –                    | ✓      | ✓     |
| save_mapping         | a saved column mapping                         | –      | –                    | ✓      | ✓     |
| download_original    | an uploaded file, exactly as uploaded          | –      | ✓                    | ✓      | ✓     |
| rollback             | the data back to how it was after an entry     | –      | –                    | –      | ✓     |
| manage_users         | accounts                                       | –      | –                    | –      | ✓     |
| send_digest          | the weekly digest, e-mailed (cchc/mail.py)     | –      | –                    | –      | ✓     |

An editor of one agency (User.agency set) is an agency head's account: it writes its own agency's progress and
nothing else. A progress file's rows are checked one by one against the agency in "Cơ quan báo cáo" (a row naming
another agency, or none, is refused); plan, statistics, procedures, targets, rules and mappings need an editor for
every agency; rollback stays the admin's, whatever the agency field. Nobody logged in may do nothing; with no
account at all the page acts as the open mode's admin (accounts.OPEN_USER), and the CLI, run by the machine's
administrator, passes an admin account itself (ingest.MACHINE_ADMIN). Viewers get no original files: they are what
someone uploaded, formulas and links included.

A tie: it imports no stage. The account (accounts.User), the check result (ingest.CheckResult) and the store
(store.database.Store) are used as they come; `cchc.store.accounts` re-exports ACTIONS, ROLE_LABELS and `can`.
"""

from __future__ import annotations

from .findings import Findings

ROLE_LABELS = {"viewer": "Xem", "editor": "Cập nhật", "admin": "Quản trị"}

ACTIONS: dict[str, tuple[str, ...]] = {  # action: the roles that have it (an agency limits editors: below)
    "view": ("viewer", "editor", "admin"),
    "upload": ("editor", "admin"),
    "upload_plan": ("editor", "admin"),
    "upload_stats": ("editor", "admin"),
    "upload_procedures": ("editor", "admin"),
    "enter_progress": ("editor", "admin"),
    "edit_targets": ("editor", "admin"),
    "edit_rules": ("editor", "admin"),
    "save_mapping": ("editor", "admin"),
    "download_original": ("editor", "admin"),
    "rollback": ("admin",),
    "manage_users": ("admin",),
    "send_digest": ("admin",),  # the weekly digest by e-mail, to the chairs and agency heads
}
# What an editor of one agency keeps; enter_progress for its own agency only.
AGENCY_EDITOR_ACTIONS = frozenset({"view", "upload", "enter_progress", "download_original"})
# The action that storing each workbook kind needs.
KIND_ACTIONS = {"plan": "upload_plan", "stats": "upload_stats", "procedures": "upload_procedures",
                "progress": "enter_progress", "index766": "upload_stats"}
# What each right lets an account do, as the messages say it ("… để <this>").
RIGHT_WORDS = {
    "view": "xem bảng điều hành",
    "upload": "tải dữ liệu lên",
    "upload_plan": "tải kế hoạch lên",
    "upload_stats": "tải số liệu thống kê TTHC lên",
    "upload_procedures": "tải số liệu thủ tục hành chính lên",
    "enter_progress": "nhập tiến độ",
    "edit_targets": "sửa chỉ tiêu",
    "edit_rules": "sửa cách chấm điểm",
    "save_mapping": "lưu cách đọc cột",
    "download_original": "tải tệp gốc",
    "rollback": "khôi phục dữ liệu về một lần nhập trước",
    "manage_users": "quản lý tài khoản",
    "send_digest": "gửi bản tin tuần qua thư điện tử",
}
READS = frozenset({"view", "download_original"})  # every other action writes: its refusal says nothing was stored
NOTHING_STORED = "Không có gì được lưu."
AGENCY_HEADER = "Cơ quan báo cáo"  # the progress template's agency column (read.progress.PROGRESS_HEADERS)


class NotAllowed(Exception):
    """A write (or an original file) the account has no right to. `message` is Vietnamese and says which right is
    needed; `findings` locate the refused rows of a file (sheet, Excel row, agency column)."""

    def __init__(self, message: str, findings: Findings | None = None):
        super().__init__(message)
        self.message = message
        self.findings = findings if findings is not None else Findings()


def _one_agency(user) -> bool:
    return user is not None and user.role == "editor" and bool(user.agency)


def can(user, action: str, agency: str | None = None) -> bool:
    """Whether an account may do an action (the table above); `agency`: the agency whose progress is entered."""
    if user is None or user.role not in ACTIONS.get(action, ()):
        return False
    if _one_agency(user):
        if action == "enter_progress":
            return agency is not None and agency == user.agency
        return action in AGENCY_EDITOR_ACTIONS
    return True


def _reason(user, action: str, agency: str | None = None) -> str:
    """Why `can` says no, in Vietnamese, naming the right that is needed."""
    what = RIGHT_WORDS.get(action, action)
    roles = ACTIONS.get(action, ())
    if not roles:
        return f"Không có quyền “{action}”."
    needed = ROLE_LABELS[roles[0]]
    if user is None:
        return f"Cần đăng nhập bằng tài khoản có quyền {needed} để {what}."
    name = f"Tài khoản “{user.username}”"
    if user.role not in roles:
        return (f"{name} (quyền {ROLE_LABELS.get(user.role, user.role)}) không được {what}: cần tài khoản có quyền "
                f"{needed}.")
    if action == "enter_progress":
        other = f"của {agency}" if agency else "không ghi cơ quan báo cáo"
        return f"{name} chỉ được nhập tiến độ của {user.agency}, không được nhập báo cáo tiến độ {other}."
    return (f"{name} chỉ được nhập tiến độ của {user.agency}; cần tài khoản có quyền {needed} cho mọi cơ quan để "
            f"{what}.")


def refusal(user, action: str, agency: str | None = None) -> str:
    """The message of a refused action; a refused write adds that nothing was stored."""
    reason = _reason(user, action, agency)
    return reason if action in READS else f"{reason} {NOTHING_STORED}"


def require(account, action: str, agency: str | None = None) -> None:
    """Raise NotAllowed (its Vietnamese message) unless the account may do the action."""
    if not can(account, action, agency):
        raise NotAllowed(refusal(account, action, agency))


# ---------------------------------------------------------------------------------------------------------------
# Imports
# ---------------------------------------------------------------------------------------------------------------

def _row_refusal(user, agency: str, has_column: bool) -> str:
    if not has_column:
        return (f"Bảng không có cột “{AGENCY_HEADER}”: tài khoản “{user.username}” chỉ được nhập tiến độ của "
                f"{user.agency}; hãy thêm cột đó và ghi “{user.agency}” ở mỗi dòng.")
    if not agency:
        return (f"Dòng không ghi cơ quan báo cáo: tài khoản “{user.username}” chỉ được nhập tiến độ của "
                f"{user.agency}; hãy ghi “{user.agency}”.")
    return _reason(user, "enter_progress", agency)


def authorize_import(result, account) -> Findings:
    """The errors storing a checked file would meet for this account (none: it may be stored).

    A plan, statistics or procedures file is refused whole when the account lacks the kind's right; a progress file
    of an editor of one agency row by row: each row whose agency is another one (or none) is an error located at its
    sheet, its Excel row and the agency column ("G (Cơ quan báo cáo)").
    """
    findings = Findings()
    action = KIND_ACTIONS.get(result.kind)
    if action is None:  # nothing that could be stored
        return findings
    if action == "enter_progress" and _one_agency(account) and result.progress is not None:
        columns = getattr(result.progress, "agency_columns", {})
        for record in result.progress.records.itertuples(index=False):
            agency = record.agency or ""
            if can(account, action, agency):
                continue
            located = columns.get(record.sheet)
            findings.error(_row_refusal(account, agency, located is not None), record.sheet, int(record.row),
                           f"{located[0]} ({located[1]})" if located else None)
    elif not can(account, action):
        findings.error(refusal(account, action))
    return findings


def refuse_import(result, account) -> NotAllowed | None:
    """The refusal storing a checked file would meet (its message, its located rows), or None when it may be stored."""
    findings = authorize_import(result, account)
    if findings.ok:
        return None
    located = [f for f in findings.errors if f.row]
    if not located:
        return NotAllowed(findings.errors[0].message, findings)
    records = result.progress.records
    others = sorted({a or "" for a in records["agency"] if not can(account, "enter_progress", a or "")})
    names = ", ".join([a for a in others if a] + (["dòng không ghi cơ quan"] if "" in others else []))
    return NotAllowed(f"Tài khoản “{account.username}” chỉ được nhập tiến độ của cơ quan mình; tệp có {len(located)} "
                      f"dòng báo cáo không thuộc cơ quan này ({names}). {NOTHING_STORED} Hãy bỏ các dòng đó (xem "
                      "bảng lỗi) rồi tải lên lại.", findings)


# ---------------------------------------------------------------------------------------------------------------
# The page's other writes: the right first, then the store
# ---------------------------------------------------------------------------------------------------------------

def _who(account, user: str | None) -> str:
    return user if user is not None else account.username


def enter_progress(store, account, records, user: str | None = None):
    """Save progress entered on the page (the Đơn vị page's editor, source "app"): the account must report for
    the agency of every record."""
    agencies = sorted({a or "" for a in records["agency"]})
    if not agencies:
        raise ValueError("no progress to save")
    for agency in agencies:
        require(account, "enter_progress", agency)
    return store.import_progress(records, b"", "", user=_who(account, user), source="app")


def set_targets(store, account, changes, plan_year: int | None = None, user: str | None = None) -> list[int]:
    """Correct targets [(code, Target | None)], in one transaction."""
    require(account, "edit_targets")
    return store.set_targets(changes, user=_who(account, user), plan_year=plan_year)


def set_rules(store, account, rules_json: str, plan_year: int | None = None, user: str | None = None) -> int:
    require(account, "edit_rules")
    return store.set_rules(rules_json, user=_who(account, user), plan_year=plan_year)


def set_index766_thresholds(store, account, low, high, user: str | None = None) -> int:
    """The QĐ 766 thresholds (Chỉ số 766 page): an editor's, like the targets they stand beside."""
    require(account, "edit_targets")
    return store.set_index766_thresholds(low, high, user=_who(account, user))


def save_mapping(store, account, name: str, signature: str, columns: dict[str, str], user: str | None = None) -> int:
    require(account, "save_mapping")
    return store.save_mapping(name, signature, columns, user=_who(account, user))


def rollback_to(store, account, entry_id: int, user: str | None = None) -> int:
    require(account, "rollback")
    return store.rollback_to(entry_id, user=_who(account, user))


def original_file(store, account, import_id: int) -> tuple[str, bytes] | None:
    """An uploaded file exactly as uploaded (name, bytes), for an account with the right; None when there is none."""
    require(account, "download_original")
    return store.import_content(import_id)
