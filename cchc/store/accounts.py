"""Accounts and rights: viewer, editor, admin; salted scrypt hashes; growing waits after failed logins; sessions.

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

# The rights model (who may do what, an agency editor's limits) lives in cchc/rights.py; re-exported here.
from ..rights import ACTIONS, ROLE_LABELS, can  # noqa: F401

ROLES = ("viewer", "editor", "admin")

# scrypt cost: n=2^14, r=8, p=1 — about 16 MB and tens of milliseconds per check
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
FREE_FAILURES = 3  # failures of one account from one address before any wait
MAX_DELAY_SECONDS = 60  # the wait after each further failure doubles up to this; no lock but an admin's


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


@dataclass
class LoginResult:
    user: User | None
    message: str  # Vietnamese, for the login form


WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
DISABLED = "Tài khoản đã bị khóa bởi quản trị viên. Hãy liên hệ quản trị viên."
CLIENT_FREE_FAILURES = 20  # failures from one address (any account) before it waits: an office shares one address
_dummy_hash: list[str] = []


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def delay_after(failures: int, free: int = FREE_FAILURES) -> int:
    """Seconds to wait after `failures` failures in a row: none for the free ones, then 2, 4, 8, … up to 60."""
    return 0 if failures <= free else min(MAX_DELAY_SECONDS, 2 ** (failures - free))


def _throttle_keys(username: str, client: str) -> dict[str, int]:
    """The counters a try goes through, with their free failures: this account from this address, and this address.

    Keyed by the name typed, whether or not such an account exists (the answer must not tell), and never by the
    account alone: someone else's wrong passwords from another address never make the right one wait.
    """
    return {f"account:{username.casefold()}|{client}": FREE_FAILURES, f"client:{client}": CLIENT_FREE_FAILURES}


def _claim(store, keys: dict[str, int], now: dt.datetime) -> int:
    """Count one try on every counter in one transaction; the seconds to wait when a counter says wait (0 = go).

    Serialised by the database (SQLite's BEGIN IMMEDIATE, PostgreSQL's row lock), so N parallel tries count N, and
    a try made while waiting is counted but checks no password and does not push the wait further.
    """
    import sqlalchemy as sa

    from .database import login_throttle

    if store.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    with store.engine.execution_options(write=True).begin() as conn:
        conn.execute(insert(login_throttle).values(
            [{"key": key, "failures": 0, "next_allowed_at": now, "updated_at": now} for key in keys]
        ).on_conflict_do_nothing(index_elements=["key"]))
        rows = {row.key: row for row in conn.execute(
            sa.select(login_throttle).where(login_throttle.c.key.in_(list(keys))).with_for_update())}
        wait = max(int((rows[key].next_allowed_at - now).total_seconds() + 0.999) for key in keys)
        for key, free in keys.items():
            failures = rows[key].failures + 1
            values = {"failures": failures, "updated_at": now}
            if wait <= 0:
                values["next_allowed_at"] = now + dt.timedelta(seconds=delay_after(failures, free))
            conn.execute(login_throttle.update().where(login_throttle.c.key == key).values(**values))
    return max(wait, 0)


def _take_back(store, keys: dict[str, int], now: dt.datetime) -> None:
    """A right password: this account's counter from here starts again, and the address gets its try back (each
    try was counted on it first), so an office's good logins never use up its free wrong ones."""
    from .database import login_throttle

    pair, client = list(keys)
    with store.engine.begin() as conn:  # two plain writes: no read to serialise
        conn.execute(login_throttle.update().where(login_throttle.c.key == pair).values(
            failures=0, next_allowed_at=now))
        conn.execute(login_throttle.update().where(login_throttle.c.key == client).values(
            failures=login_throttle.c.failures - 1, next_allowed_at=now))


def _wait_left(store, keys: dict[str, int], now: dt.datetime) -> int:
    """The wait the next try of this account from here faces (after a wrong password)."""
    import sqlalchemy as sa

    from .database import login_throttle

    pair = next(iter(keys))
    with store.engine.connect() as conn:
        allowed = conn.execute(sa.select(login_throttle.c.next_allowed_at)
                               .where(login_throttle.c.key == pair)).scalar_one()
    return max(0, int((allowed - now).total_seconds() + 0.999))


def failure_count(store, username: str, client: str = "") -> int:
    """Failed tries in a row of this name from this address (what the wait grows with)."""
    import sqlalchemy as sa

    from .database import login_throttle

    key = next(iter(_throttle_keys(username.strip(), client)))
    with store.engine.connect() as conn:
        found = conn.execute(sa.select(login_throttle.c.failures).where(login_throttle.c.key == key)).scalar()
    return int(found or 0)


def authenticate(store, username: str, password: str, now: dt.datetime | None = None,
                 client: str = "") -> LoginResult:
    """Check a password. Failures make the next try from the same address wait longer (2, 4, … 60 s); nothing locks
    an account but an admin. The answer is the same whether or not the account exists."""
    now = now or _utcnow()
    name = username.strip()
    keys = _throttle_keys(name, client)
    wait = _claim(store, keys, now)
    if wait:
        return LoginResult(None, f"Đăng nhập sai nhiều lần: hãy chờ {wait} giây rồi thử lại.")
    record = store.get_user(name) if name else None
    if record is None:
        if not _dummy_hash:
            _dummy_hash.append(hash_password("dummy"))
        verify_password(password, _dummy_hash[0])  # the same time as a real check: names are not revealed
        right = False
    else:
        right = verify_password(password, record["password_hash"])
    if not right:
        wait = _wait_left(store, keys, now)
        return LoginResult(None, WRONG + (f" Hãy chờ {wait} giây trước khi thử lại." if wait else ""))
    _take_back(store, keys, now)
    if record["disabled"]:
        return LoginResult(None, DISABLED)
    return LoginResult(User(record["username"], record["role"], record["agency"], record["display_name"]),
                       "Đăng nhập thành công.")


# ---------------------------------------------------------------- sessions (the login cookie)
SESSION_COOKIE = "cchc_session"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(store, username: str, client: str = "", hours: float = 10, now: dt.datetime | None = None) -> str:
    """A new login: the random token for the cookie (only its hash is stored)."""
    import secrets

    from .database import login_sessions

    now = now or _utcnow()
    token = secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        conn.execute(login_sessions.insert().values(
            token_hash=_token_hash(token), username=username, created_at=now,
            expires_at=now + dt.timedelta(hours=hours), client=client[:100]))
    return token


def session_user(store, token: str | None, now: dt.datetime | None = None) -> User | None:
    """The account behind a cookie, read afresh (one query): None when the session expired, was ended, or its
    account was disabled or got a new password since."""
    import sqlalchemy as sa

    from .database import login_sessions, users

    if not token:
        return None
    now = now or _utcnow()
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(users.c.username, users.c.role, users.c.agency, users.c.display_name, users.c.disabled,
                      users.c.password_changed_at, login_sessions.c.created_at, login_sessions.c.expires_at,
                      login_sessions.c.revoked_at)
            .join(users, users.c.username == login_sessions.c.username)
            .where(login_sessions.c.token_hash == _token_hash(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now or row.disabled:
        return None
    if row.password_changed_at is not None and row.created_at < row.password_changed_at:
        return None
    return User(row.username, row.role, row.agency, row.display_name)


def end_session(store, token: str | None, now: dt.datetime | None = None) -> None:
    """Đăng xuất: this cookie no longer logs anyone in."""
    from .database import login_sessions

    if not token:
        return
    with store.engine.begin() as conn:
        conn.execute(login_sessions.update().where(login_sessions.c.token_hash == _token_hash(token),
                                                   login_sessions.c.revoked_at.is_(None))
                     .values(revoked_at=now or _utcnow()))


def user_from_identity(store, identity: str) -> User | None:
    """The account behind an identity another system vouched for (OIDC e-mail, proxy header); a stranger is a
    viewer; a disabled account is nobody (None)."""
    record = store.get_user(identity) if identity else None
    if record is None:
        return User(identity or "khach", "viewer", "", identity)
    if record["disabled"]:
        return None
    return User(record["username"], record["role"], record["agency"], record["display_name"])


def clear_failures(store, username: str) -> None:
    """An admin's reset (new password): this account's failed tries from every address are forgotten."""
    from .database import login_throttle

    prefix = f"account:{username.strip().casefold()}|"
    with store.engine.begin() as conn:  # one statement
        conn.execute(login_throttle.delete().where(login_throttle.c.key.startswith(prefix, autoescape=True)))
