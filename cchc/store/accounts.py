"""Accounts and rights: viewer, editor, admin; salted scrypt hashes; slow-down and lock after failed logins.

With no account at all the app runs open (one office on one machine): everybody may do everything, and the app
says so. Once an admin exists, changes need a login, and viewing needs one too when the setting says so.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass

ROLES = ("viewer", "editor", "admin")
ROLE_LABELS = {"viewer": "Xem", "editor": "Cập nhật", "admin": "Quản trị"}

# scrypt cost: n=2^14, r=8, p=1 — about 16 MB and tens of milliseconds per check
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
FREE_FAILURES = 3  # failures before any wait
MAX_DELAY_SECONDS = 60  # the wait after each further failure doubles up to this
LOCK_AFTER = 10  # failures in a row that lock the account
LOCK_MINUTES = 15

ACTIONS = {
    "view": ("viewer", "editor", "admin"),
    "upload": ("editor", "admin"),
    "edit_targets": ("editor", "admin"),
    "edit_rules": ("editor", "admin"),
    "enter_progress": ("editor", "admin"),
    "rollback": ("admin",),
    "manage_users": ("admin",),
}


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return "scrypt${}${}${}${}${}".format(SCRYPT_N, SCRYPT_R, SCRYPT_P, base64.b64encode(salt).decode(),
                                          base64.b64encode(digest).decode())


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                   p=int(p), dklen=len(base64.b64decode(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, base64.b64decode(digest))


@dataclass(frozen=True)
class User:
    username: str
    role: str
    agency: str = ""  # an editor limited to one agency's progress; "" = every agency
    display_name: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.username


OPEN_USER = User("khong-dang-nhap", "admin", "", "Chế độ mở (chưa có tài khoản)")


def can(user: User | None, action: str, agency: str | None = None) -> bool:
    """Whether a user may do an action; an agency editor enters progress for its own agency only."""
    if user is None or user.role not in ACTIONS.get(action, ()):
        return False
    if action == "enter_progress" and user.role == "editor" and user.agency:
        return agency is not None and agency == user.agency
    return True


@dataclass
class LoginResult:
    user: User | None
    message: str  # Vietnamese, for the login form


def authenticate(store, username: str, password: str, now: dt.datetime | None = None) -> LoginResult:
    """Check a password; failures slow down (a growing wait) and then lock the account for a while."""
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    generic = "Tên đăng nhập hoặc mật khẩu không đúng."
    record = store.get_user(username.strip())
    if record is None:
        verify_password(password, hash_password("dummy"))  # same time as a real check: names are not revealed
        return LoginResult(None, generic)
    if record["disabled"]:
        return LoginResult(None, "Tài khoản đã bị khóa bởi quản trị viên.")
    locked_until = record["locked_until"]
    if locked_until and locked_until > now:
        wait = int((locked_until - now).total_seconds()) + 1
        return LoginResult(None, f"Đăng nhập sai nhiều lần: hãy thử lại sau {wait} giây.")
    if not verify_password(password, record["password_hash"]):
        failures = record["failed_logins"] + 1
        if failures >= LOCK_AFTER:
            until = now + dt.timedelta(minutes=LOCK_MINUTES)
            message = f"Đăng nhập sai {failures} lần: tài khoản bị tạm khóa {LOCK_MINUTES} phút."
        elif failures > FREE_FAILURES:
            delay = min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_FAILURES))
            until = now + dt.timedelta(seconds=delay)
            message = f"{generic} Hãy chờ {delay} giây trước khi thử lại."
        else:
            until, message = None, generic
        store.save_user(record["username"], failed_logins=failures, locked_until=until)
        return LoginResult(None, message)
    store.save_user(record["username"], failed_logins=0, locked_until=None)
    return LoginResult(User(record["username"], record["role"], record["agency"], record["display_name"]),
                       "Đăng nhập thành công.")


def user_from_identity(store, identity: str) -> User:
    """The account behind an identity another system vouched for (OIDC e-mail, proxy header); else a viewer."""
    record = store.get_user(identity) if identity else None
    if record is None or record["disabled"]:
        return User(identity or "khach", "viewer", "", identity)
    return User(record["username"], record["role"], record["agency"], record["display_name"])
