"""Passwords and identities, down to what is stored (cchc.store.accounts), with literal expectations."""

import base64
import datetime as dt

import pytest

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

