"""Wrong passwords slow down the next try, counted in the database so parallel tries all count, and never lock an
account out for others.

README ("Bảo mật"): the first 3 wrong passwords of an account from one address cost nothing, then the next try
waits 2, 4, 8, 16, 32 and at most 60 seconds; nothing locks an account but an admin; the answer is the same whether
or not the account exists. Literal numbers on purpose: changing the product's constants must fail here.
"""

import datetime as dt
import threading
import time

import pytest

from cchc.store import accounts as auth

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
T0 = dt.datetime(2026, 3, 2, 7, 30, 0)
HERE, ELSEWHERE = "10.0.0.5", "10.0.0.9"


def waiting(seconds: int) -> str:
    return f"Đăng nhập sai nhiều lần: hãy chờ {seconds} giây rồi thử lại."


@pytest.fixture
def accounts_store(store):
    store.save_user("nv", role="editor", password_hash=auth.hash_password("mat-khau-dai"))
    return store


def test_the_waits_are_the_numbers_the_readme_promises(accounts_store):
    store, t = accounts_store, T0
    for _ in range(3):  # free: tried again at the same instant, no wait
        assert auth.authenticate(store, "nv", "sai", t, HERE).message == WRONG
    for failure, wait in zip((4, 5, 6, 7, 8, 9, 10, 11), (2, 4, 8, 16, 32, 60, 60, 60)):
        result = auth.authenticate(store, "nv", "sai", t, HERE)
        assert (result.user, result.message) == (None, f"{WRONG} Hãy chờ {wait} giây trước khi thử lại."), failure
        t += dt.timedelta(seconds=wait)
    # never a lock: after the longest wait the right password gets in
    back = auth.authenticate(store, "nv", "mat-khau-dai", t, HERE)
    assert back.user is not None and back.user.role == "editor" and back.message == "Đăng nhập thành công."
    for _ in range(3):  # a good login starts the count again
        assert auth.authenticate(store, "nv", "sai", t, HERE).message == WRONG
    assert auth.authenticate(store, "nv", "sai", t, HERE).message == f"{WRONG} Hãy chờ 2 giây trước khi thử lại."


def test_a_try_while_waiting_is_counted_but_does_not_push_the_wait(accounts_store):
    store = accounts_store
    for _ in range(4):
        auth.authenticate(store, "nv", "sai", T0, HERE)  # the 4th asks for 2 s
    for tenth in range(1, 10):  # a flood during the wait: each told the time left, the wait stays where it was
        result = auth.authenticate(store, "nv", "sai", T0 + dt.timedelta(seconds=tenth / 10), HERE)
        assert result.message == waiting(2)
    # half a second before the wait ends even the right password is refused, unchecked
    early = auth.authenticate(store, "nv", "mat-khau-dai", T0 + dt.timedelta(seconds=1.5), HERE)
    assert (early.user, early.message) == (None, waiting(1))
    assert auth.failure_count(store, "nv", HERE) == 4 + 9 + 1
    assert auth.authenticate(store, "nv", "mat-khau-dai", T0 + dt.timedelta(seconds=2), HERE).user is not None


def test_someone_elses_wrong_passwords_never_stop_the_right_one(accounts_store):
    store = accounts_store
    for i in range(30):  # an attacker from another address, hammering the account
        auth.authenticate(store, "nv", "sai", T0 + dt.timedelta(seconds=i), ELSEWHERE)
    assert auth.authenticate(store, "nv", "sai", T0 + dt.timedelta(seconds=30), ELSEWHERE).user is None
    mine = auth.authenticate(store, "nv", "mat-khau-dai", T0 + dt.timedelta(seconds=30), HERE)
    assert mine.user is not None and mine.message == "Đăng nhập thành công."


def test_the_answer_is_the_same_whether_or_not_the_account_exists(accounts_store):
    store = accounts_store
    answers = {}
    for name in ("nv", "khong-co-ai"):
        answers[name] = [auth.authenticate(store, name, "sai", T0, HERE).message for _ in range(5)]
        answers[name].append(auth.authenticate(store, name, "sai", T0 + dt.timedelta(seconds=1), HERE).message)
    assert answers["nv"] == answers["khong-co-ai"] == [
        WRONG, WRONG, WRONG, f"{WRONG} Hãy chờ 2 giây trước khi thử lại.", waiting(2), waiting(1)]


def test_one_address_trying_many_accounts_is_slowed_too(accounts_store):
    """Twenty wrong passwords from one address (an office behind one router shares it) are free, whatever the
    names; the 21st makes that address wait, even for a name it never tried."""
    store = accounts_store
    for i in range(20):
        assert auth.authenticate(store, f"ten-{i}", "sai", T0, HERE).message == WRONG
    assert auth.authenticate(store, "ten-20", "sai", T0, HERE).message == WRONG  # its own wait: the address's next
    assert auth.authenticate(store, "nv", "mat-khau-dai", T0, HERE).message == waiting(2)
    assert auth.authenticate(store, "nv", "mat-khau-dai", T0, ELSEWHERE).user is not None


def test_parallel_wrong_passwords_all_count(accounts_store, monkeypatch):
    """Twelve tries at once from one address: the counter rises by twelve, and only the first four (the free three
    and the one that starts the wait) cost a password check.

    Each count is held open a moment (inside its transaction, where the wait is worked out) so that, were the
    count not serialised by the database, the tries would overlap and read the same old count."""
    store = accounts_store
    real_delay = auth.delay_after

    def slow_delay(*args):
        time.sleep(0.05)  # widens the race; never what the test waits on
        return real_delay(*args)

    monkeypatch.setattr(auth, "delay_after", slow_delay)
    checked = []
    real_verify = auth.verify_password

    def counting_verify(password, stored):
        checked.append(password)
        return real_verify(password, stored)

    auth.verify_password = counting_verify
    start = threading.Barrier(12)
    answers = []

    def attempt():
        start.wait()
        answers.append(auth.authenticate(store, "nv", "sai", T0, HERE).message)

    try:
        threads = [threading.Thread(target=attempt) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        auth.verify_password = real_verify
    assert len(answers) == 12
    assert auth.failure_count(store, "nv", HERE) == 12
    assert len(checked) == 4
    assert sorted(answers).count(waiting(2)) == 8


def test_a_new_password_from_the_admin_forgets_the_failed_tries(accounts_store):
    """`cchc user passwd nv` (clear_failures) forgets this account's failed tries from every address, and only its."""
    store = accounts_store
    for address in (HERE, ELSEWHERE):
        for _ in range(5):
            auth.authenticate(store, "nv", "sai", T0, address)
    for _ in range(5):
        auth.authenticate(store, "nv2", "sai", T0, HERE)
    auth.clear_failures(store, "NV ")  # typed as the admin typed it
    assert (auth.failure_count(store, "nv", HERE), auth.failure_count(store, "nv", ELSEWHERE)) == (0, 0)
    assert auth.failure_count(store, "nv2", HERE) == 5
    assert auth.authenticate(store, "nv", "mat-khau-dai", T0, ELSEWHERE).user is not None


def test_a_right_password_takes_its_try_back_from_the_address(accounts_store):
    """Every try counts on the address first; a right one is then taken back, so an office's good logins never
    use up its twenty free wrong ones, and no other name's count moves."""
    store = accounts_store
    for i in range(19):
        assert auth.authenticate(store, f"ten-{i}", "sai", T0, HERE).message == WRONG
    assert auth.authenticate(store, "nv", "mat-khau-dai", T0, HERE).user is not None  # the 20th try, taken back
    assert auth.failure_count(store, "ten-0", HERE) == 1
    assert auth.authenticate(store, "ten-19", "sai", T0, HERE).message == WRONG  # the 20th failure: still free
    assert auth.authenticate(store, "ten-20", "sai", T0, HERE).message == WRONG  # the 21st: makes the address wait
    assert auth.authenticate(store, "nv", "mat-khau-dai", T0, HERE).message == waiting(2)


def test_clearing_one_name_never_clears_a_name_it_merely_looks_like(accounts_store):
    """Names may hold "_" and "%", which a careless LIKE reads as wildcards."""
    store = accounts_store
    for name in ("a_b", "axb", "a%", "ab"):
        auth.authenticate(store, name, "sai", T0, HERE)
    auth.clear_failures(store, "a_b")
    auth.clear_failures(store, "a%")
    assert [auth.failure_count(store, n, HERE) for n in ("a_b", "axb", "a%", "ab")] == [0, 1, 0, 1]


def test_a_right_password_past_the_addresss_free_tries_leaves_it_no_wait(accounts_store):
    """At the address's 21st try the count asks for a wait; when that try is a right password, it is taken back
    whole: the count and the wait."""
    store = accounts_store
    for i in range(20):
        auth.authenticate(store, f"ten-{i}", "sai", T0, HERE)
    assert auth.authenticate(store, "nv", "mat-khau-dai", T0, HERE).user is not None  # the 21st try
    assert auth.authenticate(store, "nv", "mat-khau-dai", T0, HERE).user is not None  # at once again: no wait
