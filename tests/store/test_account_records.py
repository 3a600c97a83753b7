"""Passwords and identities, down to what is stored (cchc.store.accounts), with literal expectations."""

import base64
import datetime as dt

import pytest
import sqlalchemy as sa

from cchc.store.accounts import (User, authenticate, failure_count, hash_password, user_from_identity,
                                 verify_password)
from cchc.store.database import Store

T0 = dt.datetime(2026, 12, 1, 8, 0, 0)


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'acc.sqlite'}")
    s.save_user("noivu", role="editor", agency="Phòng Nội vụ", display_name="Chuyên viên Nội vụ",
                password_hash=hash_password("mat-khau-dung"))
    yield s
    s.dispose()


def test_a_hash_is_scrypt_with_a_16_byte_salt_and_a_32_byte_digest():
    scheme, n, r, p, salt, digest = hash_password("mật khẩu").split("$")
    assert scheme == "scrypt" and int(n) >= 2 ** 14 and int(r) >= 8 and int(p) >= 1
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert hash_password("mật khẩu") != hash_password("mật khẩu")  # salted
    assert verify_password("mật khẩu", hash_password("mật khẩu")) is True
    assert verify_password("mat khau", hash_password("mật khẩu")) is False


@pytest.mark.parametrize("stored", [
    "md5$16384$8$1$c2FsdA==$ZGlnZXN0",  # another scheme
    "scrypt$16384$8$1",  # too few parts
    "scrypt$n$8$1$c2FsdA==$ZGlnZXN0",  # a cost that is not a number
    "scrypt$16384$8$1$!!!$???",  # not base64
    "",
])
def test_a_damaged_stored_hash_never_lets_anyone_in(stored):
    assert verify_password("anything", stored) is False


def test_a_login_gives_the_account_as_stored(store):
    result = authenticate(store, "noivu", "mat-khau-dung", now=T0)
    assert result.user == User("noivu", "editor", "Phòng Nội vụ", "Chuyên viên Nội vụ")
    assert result.message == "Đăng nhập thành công."


def test_a_good_login_clears_an_expired_wait(store):
    for i in range(4):  # the 4th failure asks for a 2 s wait
        authenticate(store, "noivu", "sai", now=T0 + dt.timedelta(seconds=i))
    assert failure_count(store, "noivu") == 4
    assert authenticate(store, "noivu", "mat-khau-dung", now=T0 + dt.timedelta(seconds=10)).user is not None
    assert failure_count(store, "noivu") == 0
    assert authenticate(store, "noivu", "sai", now=T0 + dt.timedelta(seconds=10)).message == (
        "Tên đăng nhập hoặc mật khẩu không đúng.")  # free again


def test_a_disabled_account_is_told_so_only_with_its_right_password(store):
    store.save_user("noivu", disabled=True)
    result = authenticate(store, "noivu", "mat-khau-dung", now=T0)
    assert result.user is None
    assert result.message == "Tài khoản đã bị khóa bởi quản trị viên. Hãy liên hệ quản trị viên."
    # a wrong password gets the answer any wrong password gets: the lock tells nothing to a guesser
    assert authenticate(store, "noivu", "sai", now=T0).message == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_identities_from_another_system(store):
    assert user_from_identity(store, "noivu") == User("noivu", "editor", "Phòng Nội vụ", "Chuyên viên Nội vụ")
    assert user_from_identity(store, "la@x.vn") == User("la@x.vn", "viewer", "", "la@x.vn")
    assert user_from_identity(store, "") == User("khach", "viewer", "", "")
    store.save_user("noivu", disabled=True)
    assert user_from_identity(store, "noivu") is None  # a disabled account is logged out, not a viewer



# ---- sessions (the login cookie) ----

S0 = dt.datetime(2030, 1, 2, 8, 0, 0)  # after the fixture's password was set (a session opened before it is dead)

def test_a_session_lasts_its_hours_and_not_a_second_more(store):
    from cchc.store.accounts import open_session, session_user

    token = open_session(store, "noivu", client="10.0.0.5", hours=10, now=S0)
    assert len(token) >= 40
    noivu = User("noivu", "editor", "Phòng Nội vụ", "Chuyên viên Nội vụ")
    assert session_user(store, token, now=S0) == noivu
    assert session_user(store, token, now=S0 + dt.timedelta(hours=10) - dt.timedelta(seconds=1)) == noivu
    assert session_user(store, token, now=S0 + dt.timedelta(hours=10)) is None
    assert session_user(store, token + "x", now=S0) is None  # a token the server never gave
    assert session_user(store, "", now=S0) is None and session_user(store, None, now=S0) is None
    with store.engine.connect() as conn:  # only the token's SHA-256 is stored
        import hashlib

        stored = conn.exec_driver_sql("SELECT token_hash, username, client FROM login_sessions").all()
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), "noivu", "10.0.0.5")]


def test_logout_ends_that_session_only(store):
    from cchc.store.accounts import end_session, open_session, session_user

    first, second = open_session(store, "noivu", now=S0), open_session(store, "noivu", now=S0)
    end_session(store, first, now=S0 + dt.timedelta(minutes=1))
    assert session_user(store, first, now=S0 + dt.timedelta(minutes=2)) is None
    assert session_user(store, second, now=S0 + dt.timedelta(minutes=2)).username == "noivu"


def test_disabling_or_a_new_password_ends_every_session_and_a_new_role_shows_at_once(store):
    from cchc.store.accounts import open_session, session_user

    token = open_session(store, "noivu")
    store.save_user("noivu", role="viewer")  # the next read has the new rights, the session goes on
    assert session_user(store, token).role == "viewer"
    store.save_user("noivu", disabled=True)
    assert session_user(store, token) is None
    store.save_user("noivu", disabled=False)
    assert session_user(store, token) is None  # re-enabled: the old session does not come back
    token = open_session(store, "noivu")
    assert session_user(store, token) is not None
    store.save_user("noivu", password_hash=hash_password("mat-khau-moi"))
    assert session_user(store, token) is None
    assert session_user(store, open_session(store, "noivu")) is not None  # a login after the change works


def test_a_disabled_account_with_a_live_session_row_is_still_nobody(store):
    """Even if a session row were left unrevoked (a copy, a bug), a disabled account logs nobody in."""
    from cchc.store.accounts import open_session, session_user
    from cchc.store.database import users

    token = open_session(store, "noivu")
    with store.engine.begin() as conn:  # disabled behind save_user's back: no revocation happened
        conn.execute(users.update().where(users.c.username == "noivu").values(disabled=True))
    assert session_user(store, token) is None


def test_a_session_of_an_account_without_a_password_of_its_own(store):
    """An account made for OIDC or the proxy has no password (none ever changed): its sessions are valid."""
    from cchc.store.accounts import open_session, session_user

    store.save_user("la@iapa.gov.vn", role="viewer")
    assert store.get_user("la@iapa.gov.vn")["password_changed_at"] is None
    assert session_user(store, open_session(store, "la@iapa.gov.vn")).username == "la@iapa.gov.vn"


def test_ending_a_session_records_when_once(store):
    from cchc.store.accounts import end_session, open_session

    token = open_session(store, "noivu", client="x" * 150, now=S0)
    end_session(store, token, now=S0 + dt.timedelta(minutes=5))
    end_session(store, token, now=S0 + dt.timedelta(minutes=9))  # a second logout changes nothing
    from cchc.store.database import login_sessions

    with store.engine.connect() as conn:
        assert conn.execute(sa.select(login_sessions.c.revoked_at, login_sessions.c.client)).all() == [
            (S0 + dt.timedelta(minutes=5), "x" * 100)]


def test_a_session_by_default_lasts_a_working_day_with_a_256_bit_token(store):
    from cchc.store.accounts import open_session, session_user

    token = open_session(store, "noivu", now=S0)
    assert len(token) == 43  # 32 random bytes, URL-safe base64
    assert session_user(store, token, now=S0 + dt.timedelta(hours=10) - dt.timedelta(seconds=1)) is not None
    assert session_user(store, token, now=S0 + dt.timedelta(hours=10)) is None
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT client FROM login_sessions").scalar_one() == ""
