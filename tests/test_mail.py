"""cchc/mail.py against a real SMTP conversation: a small SMTP server (SmtpSink, socketserver) started by the test on
127.0.0.1, whose received messages are read back (subject, recipients, body, attachment). Also the settings and the
Vietnamese errors: no settings, refused login, unreachable host, no STARTTLS.

SmtpSink is shared with tests/test_cli_digest.py and tests/pages/test_digest_page.py.
"""

from __future__ import annotations

import base64
import email
import email.policy
import socket
import socketserver
import threading
from dataclasses import dataclass, field

import pytest

from cchc import mail
from cchc.registry import load_registry
from cchc.store.accounts import User
from cchc.rights import NotAllowed


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        # SMTP carries lines ended by CRLF; a mail program reads them back as lines
        return email.message_from_bytes(self.data.replace(b"\r\n", b"\n"), policy=email.policy.default)

    @property
    def body(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    def attachments(self) -> list[tuple[str, str, bytes]]:
        return [(a.get_filename(), a.get_content_type(), a.get_content()) for a in self.message.iter_attachments()]


@dataclass
class SmtpSink:
    """An SMTP server on 127.0.0.1 (port chosen by the system): EHLO, AUTH PLAIN (one account), MAIL, RCPT, DATA,
    QUIT. No STARTTLS is offered."""
    username: str = "bantin"
    password: str = "mat-khau-thu"
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    def __enter__(self) -> "SmtpSink":
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.reply("220 sink ESMTP")
                sender, recipients = "", []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    command = line.decode("utf-8", "replace").rstrip("\r\n")
                    verb = command[:4].upper()
                    if verb == "EHLO":
                        self.reply("250-sink")
                        self.reply("250-AUTH PLAIN")
                        self.reply("250 8BITMIME")
                    elif verb == "HELO":
                        self.reply("250 sink")
                    elif verb == "AUTH":
                        parts = command.split()
                        _, user, password = base64.b64decode(parts[2]).decode().split("\0")
                        if (user, password) == (sink.username, sink.password):
                            sink.logins.append(user)
                            self.reply("235 2.7.0 Authentication successful")
                        else:
                            self.reply("535 5.7.8 Authentication credentials invalid")
                    elif verb == "MAIL":
                        sender, recipients = command.split(":", 1)[1].strip().strip("<>").split(">")[0], []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                        sink.received.append(Received(sender, recipients, b"".join(lines)))
                        self.reply("250 OK queued")
                    elif verb == "RSET":
                        sender, recipients = "", []
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def secrets(self, path, recipients=("chutich@iapa.example", "pct@iapa.example"), agencies=None,
                password=None, starttls=False, table="mail") -> str:
        """A secrets.toml with a [mail] table pointing at this sink; returns its path (for $CCHC_MAIL_SECRETS)."""
        lines = [f"[{table}]", 'host = "127.0.0.1"', f"port = {self.port}", f"starttls = {str(starttls).lower()}",
                 f'username = "{self.username}"', f'password = "{password or self.password}"',
                 'sender = "Bảng điều hành CCHC <cchc@iapa.example>"',
                 "recipients = [" + ", ".join(f'"{r}"' for r in recipients) + "]"]
        if agencies:
            lines.append(f"[{table}.agencies]")
            lines += [f'"{name}" = [' + ", ".join(f'"{a}"' for a in addresses) + "]"
                      for name, addresses in agencies.items()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sink():
    with SmtpSink() as running:
        yield running


def settings_for(sink: SmtpSink, tmp_path, **kwargs) -> mail.MailSettings:
    return mail.load_settings([sink.secrets(tmp_path / "secrets.toml", **kwargs)])


def test_a_message_is_sent_logged_in_and_read_back_whole(sink, tmp_path):
    settings = settings_for(sink, tmp_path)
    body = "Tỷ lệ giải quyết đúng hạn: 96,7%\nDòng bắt đầu bằng dấu chấm:\n.\n"
    pdf = b"%PDF-1.4 bao cao\r\n.\r\n%%EOF"  # a line that is a lone dot must survive SMTP's dot-stuffing
    outgoing = [mail.Outgoing("toàn bộ bản tin", settings.recipients,
                              mail.message(settings, settings.recipients, "Bản tin CCHC tháng 12/2019", body,
                                           (("bao_cao.pdf", pdf, "application/pdf"),)))]
    sent = mail.send(settings, outgoing)
    assert [s.to for s in sent] == [["chutich@iapa.example", "pct@iapa.example"]]
    assert sink.logins == ["bantin"]
    [got] = sink.received
    assert got.sender == "cchc@iapa.example"
    assert got.recipients == ["chutich@iapa.example", "pct@iapa.example"]
    assert got.message["Subject"] == "Bản tin CCHC tháng 12/2019"
    assert got.message["To"] == "chutich@iapa.example, pct@iapa.example"
    assert got.body == body
    assert got.attachments() == [("bao_cao.pdf", "application/pdf", pdf)]
    assert mail.sent_text(sent) == ("Đã gửi bản tin tới: chutich@iapa.example, pct@iapa.example (toàn bộ bản "
                                    "tin).")


def test_settings_from_an_smtp_table_and_agencies_by_their_short_names(sink, tmp_path):
    path = sink.secrets(tmp_path / "s.toml", table="smtp", agencies={"Nội vụ": ["noivu@iapa.example"],
                                                                      "Ia Tul": ["iatul@iapa.example"]})
    settings = mail.load_settings([path], registry=load_registry())
    assert (settings.host, settings.port, settings.starttls, settings.sender) == (
        "127.0.0.1", sink.port, False, "Bảng điều hành CCHC <cchc@iapa.example>")
    assert settings.agencies == {"Phòng Nội vụ": ["noivu@iapa.example"], "UBND xã Ia Tul": ["iatul@iapa.example"]}


def test_no_settings_is_a_vietnamese_message(tmp_path):
    empty = tmp_path / "secrets.toml"
    empty.write_text('[cchc]\nlogin_required = false\n', encoding="utf-8")
    with pytest.raises(mail.MailError) as refused:
        mail.load_settings([empty, tmp_path / "missing.toml"])
    assert refused.value.message.startswith("Chưa có cài đặt gửi thư: hãy thêm mục [mail]")


def test_an_unknown_agency_is_refused_before_anything_is_sent(sink, tmp_path):
    with pytest.raises(mail.MailError) as refused:
        settings_for(sink, tmp_path, agencies={"Phòng Không Có": ["x@iapa.example"]})
    assert refused.value.message == "Cài đặt gửi thư: cơ quan “Phòng Không Có” không có trong danh mục đơn vị."


def _one(settings):
    return [mail.Outgoing("toàn bộ bản tin", settings.recipients,
                          mail.message(settings, settings.recipients, "Bản tin", "Nội dung\n"))]


def test_a_refused_login_is_a_vietnamese_message_and_nothing_is_sent(sink, tmp_path):
    settings = settings_for(sink, tmp_path, password="sai-mat-khau")
    with pytest.raises(mail.MailError) as refused:
        mail.send(settings, _one(settings))
    assert refused.value.message == (f"Máy chủ thư 127.0.0.1:{sink.port} từ chối đăng nhập tài khoản “bantin”: "
                                     "kiểm tra username và password trong mục [mail].")
    assert sink.received == [] and refused.value.sent == []


def test_an_unreachable_host_is_a_vietnamese_message(tmp_path):
    port = free_port()
    path = tmp_path / "s.toml"
    path.write_text(f'[mail]\nhost = "127.0.0.1"\nport = {port}\nsender = "a@b.example"\n'
                    'recipients = ["c@d.example"]\n', encoding="utf-8")
    settings = mail.load_settings([path])
    with pytest.raises(mail.MailError) as refused:
        mail.send(settings, _one(settings))
    assert refused.value.message.startswith(f"Không kết nối được máy chủ thư 127.0.0.1:{port}: ")
    assert refused.value.message.endswith("Kiểm tra “host” và “port” trong mục [mail].")


def test_starttls_asked_of_a_server_without_it_is_refused_before_the_password_is_sent(sink, tmp_path):
    settings = settings_for(sink, tmp_path, starttls=True)
    with pytest.raises(mail.MailError) as refused:
        mail.send(settings, _one(settings))
    assert refused.value.message == (f"Máy chủ thư 127.0.0.1:{sink.port} không hỗ trợ STARTTLS: kiểm tra "
                                     "“starttls”, “port” trong mục [mail].")
    assert sink.logins == [] and sink.received == []


def test_sending_the_digest_needs_the_admins_right(sink, tmp_path):
    settings = settings_for(sink, tmp_path)
    with pytest.raises(NotAllowed) as refused:
        mail.send_digest(User("capnhat", "editor"), settings, digest=None)
    assert refused.value.message == ("Tài khoản “capnhat” (quyền Cập nhật) không được gửi bản tin tuần qua thư điện "
                                     "tử: cần tài khoản có quyền Quản trị. Không có gì được lưu.")
    assert sink.received == []
