"""Dữ liệu, "Bản tin tuần": the digest text to copy (st.code), and "Gửi" for admins only, checked again on the server
at the click (rights "send_digest"). Accounts log in as in test_rights.py; the mail goes to an SMTP server the test
starts (test_mail.SmtpSink) and is read back.
"""

from __future__ import annotations

import test_rights
from test_mail import SmtpSink
from test_rights import open_as

from ui.safe import md

accounts_db = test_rights.accounts_db  # the sample, with accounts quantri (admin), capnhat, xem, noivu

HEADER = "BẢN TIN CẢI CÁCH HÀNH CHÍNH – UBND huyện Ia Pa\nSố liệu đến hết tháng 12/2019 · lập ngày "
SENT = md("Đã gửi bản tin tới: chutich@iapa.example, pct@iapa.example (toàn bộ bản tin).")
REFUSED = md("Tài khoản “xem” (quyền Xem) không được gửi bản tin tuần qua thư điện tử: cần tài khoản có quyền "
             "Quản trị. Không có gì được lưu.")


def digest_code(at) -> str:
    [code] = [c.value for c in at.code if c.value.startswith("BẢN TIN CẢI CÁCH HÀNH CHÍNH")]
    return code


def send_buttons(at) -> list:
    return [b for b in at.button if b.key == "digest_send"]


def test_a_viewer_reads_the_digest_but_has_no_send_button(accounts_db, tmp_path, monkeypatch):
    with SmtpSink() as sink:
        monkeypatch.setenv("CCHC_MAIL_SECRETS", sink.secrets(tmp_path / "secrets.toml"))
        for who in ("xem", "capnhat"):  # a viewer, and an editor: sending is the admin's
            at = open_as(who, "pages/du_lieu.py")
            assert "Bản tin tuần" in [h.value for h in at.subheader]
            code = digest_code(at)
            assert code.startswith(HEADER)
            assert "- Tỷ lệ giải quyết đúng hạn (3.4): 96,7%, chỉ tiêu 100%: ◐ Gần đạt" in code
            assert send_buttons(at) == []
            assert "Chỉ quản trị viên gửi được bản tin qua thư điện tử." in [c.value for c in at.caption]
        assert sink.received == []


def test_an_admins_click_sends_the_digest_shown(accounts_db, tmp_path, monkeypatch):
    with SmtpSink() as sink:
        monkeypatch.setenv("CCHC_MAIL_SECRETS", sink.secrets(tmp_path / "secrets.toml"))
        at = open_as("quantri", "pages/du_lieu.py")
        shown = digest_code(at)
        [button] = send_buttons(at)
        assert button.label == "Gửi"
        button.click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert [s.value for s in at.success] == [SENT]
        [got] = sink.received
    assert got.recipients == ["chutich@iapa.example", "pct@iapa.example"]
    assert got.message["Subject"] == "Bản tin CCHC tháng 12/2019 – UBND huyện Ia Pa"
    assert got.body.rstrip("\n") == shown.rstrip("\n")  # st.code drops the last line break


def test_a_forged_click_by_a_viewer_is_refused_on_the_server_and_nothing_is_sent(accounts_db, tmp_path,
                                                                                monkeypatch):
    """A tampered page that shows "Gửi" to a viewer (the page's own rights check made to say yes): the click still
    meets cchc's check of the account acting (mail.send_digest → rights.require) and is refused."""
    from ui import common

    allowed = common.can
    monkeypatch.setattr(common, "can", lambda action, agency=None: action == "send_digest" or allowed(action, agency))
    with SmtpSink() as sink:
        monkeypatch.setenv("CCHC_MAIL_SECRETS", sink.secrets(tmp_path / "secrets.toml"))
        at = open_as("xem", "pages/du_lieu.py")
        send_buttons(at)[0].click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert [e.value for e in at.error] == [REFUSED]
        assert not at.success
        assert sink.received == []


def test_an_admin_without_mail_settings_is_told_what_to_add(accounts_db, tmp_path, monkeypatch):
    missing = tmp_path / "secrets.toml"
    missing.write_text("[cchc]\n", encoding="utf-8")
    monkeypatch.setenv("CCHC_MAIL_SECRETS", str(missing))
    at = open_as("quantri", "pages/du_lieu.py")
    send_buttons(at)[0].click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [md(
        "Gửi thư không thành công: Chưa có cài đặt gửi thư: hãy thêm mục [mail] (host, port, sender, recipients…) "
        "vào .streamlit/secrets.toml (xem README, mục Bản tin tuần).")]
