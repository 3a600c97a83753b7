"""Sending the weekly digest by e-mail (SMTP, smtplib): settings, messages, and errors in Vietnamese.

The settings are a [mail] (or [smtp]) table of `.streamlit/secrets.toml` (the files cchc.settings reads), or of the
TOML file named by $CCHC_MAIL_SECRETS (a cron job on another machine, the tests):

    [mail]
    host = "smtp.example.vn"
    port = 587
    starttls = true
    username = "cchc@example.vn"
    password = "…"
    sender = "Bảng điều hành CCHC <cchc@example.vn>"
    recipients = ["chutich@example.vn", "phochutich@example.vn"]   # the whole digest
    [mail.agencies]                                                # each agency head: their own part
    "Phòng Nội vụ" = ["noivu@example.vn"]

Agencies are named as in the registry (short names and aliases are accepted). Every failure is a MailError whose
`message` says what to do; `sent` lists what had gone out before it. Sending needs the "send_digest" right
(cchc/rights.py): the CLI passes the machine's administrator, the page the account acting.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import tomllib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from . import rights

TIMEOUT_SECONDS = 20
SECRETS_ENV = "CCHC_MAIL_SECRETS"
TABLES = ("mail", "smtp")


class MailError(Exception):
    def __init__(self, message: str, sent: list | None = None):
        super().__init__(message)
        self.message = message
        self.sent = sent or []


@dataclass
class MailSettings:
    host: str
    port: int = 25
    starttls: bool = False
    username: str = ""
    password: str = ""
    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    agencies: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Outgoing:
    label: str  # "toàn bộ bản tin" or the agency's name
    to: list[str]
    message: EmailMessage


def _secrets_files() -> list[Path]:
    if os.environ.get(SECRETS_ENV):
        return [Path(os.environ[SECRETS_ENV])]
    from .settings import _secrets_files as files

    return files()


def _addresses(value, where: str) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise MailError(f"Cài đặt gửi thư: “{where}” phải là một địa chỉ thư hoặc danh sách địa chỉ.")
    found = [address for _, address in getaddresses(items) if address]
    bad = [a for a in found if "@" not in a]
    if bad:
        raise MailError(f"Cài đặt gửi thư: “{bad[0]}” ở “{where}” không phải địa chỉ thư.")
    return found


def load_settings(files: list[Path] | None = None, registry=None) -> MailSettings:
    """The [mail] or [smtp] table; MailError when there is none or it is incomplete."""
    table: dict = {}
    for path in files if files is not None else _secrets_files():
        try:
            with open(path, "rb") as handle:
                parsed = tomllib.load(handle)
        except OSError:
            continue
        except tomllib.TOMLDecodeError as exc:
            raise MailError(f"Không đọc được tệp cài đặt {path}: {exc}.") from None
        for name in TABLES:
            if isinstance(parsed.get(name), dict):
                table = {**table, **parsed[name]}
    if not table:
        raise MailError("Chưa có cài đặt gửi thư: hãy thêm mục [mail] (host, port, sender, recipients…) vào "
                        ".streamlit/secrets.toml (xem README, mục Bản tin tuần).")
    host = str(table.get("host") or "").strip()
    if not host:
        raise MailError("Cài đặt gửi thư thiếu “host” (máy chủ thư).")
    try:
        port = int(table.get("port", 587 if table.get("starttls") else 25))
    except (TypeError, ValueError):
        raise MailError(f"Cài đặt gửi thư: cổng “{table.get('port')}” không phải là số.") from None
    sender = str(table.get("sender") or table.get("username") or "").strip()
    if not sender:
        raise MailError("Cài đặt gửi thư thiếu “sender” (địa chỉ người gửi).")
    recipients = _addresses(table.get("recipients", []), "recipients")
    agencies: dict[str, list[str]] = {}
    raw_agencies = table.get("agencies", {})
    if not isinstance(raw_agencies, dict):
        raise MailError("Cài đặt gửi thư: [mail.agencies] phải là bảng “tên cơ quan” = [địa chỉ…].")
    if raw_agencies:
        from .registry import load_registry

        registry = registry or load_registry()
        for name, value in raw_agencies.items():
            agency = registry.lookup(name)
            if agency is None or agency.is_group:
                raise MailError(f"Cài đặt gửi thư: cơ quan “{name}” không có trong danh mục đơn vị.")
            agencies.setdefault(agency.name, []).extend(_addresses(value, f"agencies.{name}"))
    if not recipients and not agencies:
        raise MailError("Cài đặt gửi thư chưa có người nhận: hãy ghi “recipients” (và/hoặc [mail.agencies]).")
    flag = table.get("starttls", False)
    starttls = flag if isinstance(flag, bool) else str(flag).strip().lower() in ("1", "true", "yes", "có", "on")
    return MailSettings(host, port, starttls, str(table.get("username") or ""), str(table.get("password") or ""),
                        sender, recipients, agencies)


def message(settings: MailSettings, to: list[str], subject: str, body: str,
            attachments: tuple[tuple[str, bytes, str], ...] = ()) -> EmailMessage:
    """A plain-text UTF-8 message; attachments are (file name, bytes, MIME type)."""
    mail = EmailMessage()
    mail["Subject"] = subject
    mail["From"] = settings.sender
    mail["To"] = ", ".join(to)
    mail.set_content(body, charset="utf-8")
    for name, data, mime in attachments:
        main, _, sub = mime.partition("/")
        mail.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return mail


def send(settings: MailSettings, outgoing: list[Outgoing]) -> list[Outgoing]:
    """Send every message over one connection (STARTTLS first when asked, then the login when a username is set).
    Returns what was sent; MailError (Vietnamese, with what had gone out) on the first failure."""
    where = f"{settings.host}:{settings.port}"
    sent: list[Outgoing] = []
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password)
            for item in outgoing:
                smtp.send_message(item.message, from_addr=_envelope_sender(settings), to_addrs=item.to)
                sent.append(item)
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"Máy chủ thư {where} từ chối đăng nhập tài khoản “{settings.username}”: kiểm tra "
                        "username và password trong mục [mail].", sent) from None
    except smtplib.SMTPNotSupportedError:
        what = "STARTTLS" if settings.starttls and not sent else "đăng nhập (AUTH)"
        raise MailError(f"Máy chủ thư {where} không hỗ trợ {what}: kiểm tra “starttls”, “port” trong mục [mail].",
                        sent) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"Máy chủ thư {where} từ chối người nhận {', '.join(exc.recipients)}.", sent) from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(f"Máy chủ thư {where} từ chối người gửi “{exc.sender}”.", sent) from None
    except ssl.SSLError as exc:
        raise MailError(f"Không thiết lập được kết nối mã hóa (STARTTLS) với {where}: {exc.reason or exc}.",
                        sent) from None
    except smtplib.SMTPException as exc:
        raise MailError(f"Máy chủ thư {where} báo lỗi: {exc}.", sent) from None
    except (socket.timeout, TimeoutError):
        raise MailError(f"Máy chủ thư {where} không trả lời (quá {TIMEOUT_SECONDS} giây).", sent) from None
    except OSError as exc:  # refused, unknown host, no route
        raise MailError(f"Không kết nối được máy chủ thư {where}: {exc.strerror or exc}. Kiểm tra “host” và "
                        "“port” trong mục [mail].", sent) from None
    return sent


def _envelope_sender(settings: MailSettings) -> str:
    found = getaddresses([settings.sender])
    return found[0][1] if found and found[0][1] else settings.sender


def digest_messages(settings: MailSettings, digest, pdf: tuple[str, bytes] | None = None) -> list[Outgoing]:
    """The whole digest to `recipients`, and each agency's own part to its addresses; the PDF attached to all."""
    from .show import digest as content

    attachments = ((pdf[0], pdf[1], "application/pdf"),) if pdf else ()
    out = []
    if settings.recipients:
        out.append(Outgoing("toàn bộ bản tin", settings.recipients,
                            message(settings, settings.recipients, content.subject(digest),
                                    content.digest_text(digest), attachments)))
    for agency, to in settings.agencies.items():
        out.append(Outgoing(agency, to, message(settings, to, content.subject(digest, agency),
                                                content.agency_text(digest, agency), attachments)))
    return out


def send_digest(account, settings: MailSettings, digest, pdf: tuple[str, bytes] | None = None) -> list[Outgoing]:
    """Check the right, then send (rights.NotAllowed, MailError)."""
    rights.require(account, "send_digest")
    return send(settings, digest_messages(settings, digest, pdf))


def sent_text(sent: list[Outgoing]) -> str:
    """"Đã gửi bản tin tới: a@x, b@y (toàn bộ bản tin); c@z (Phòng Nội vụ)."."""
    if not sent:
        return "Chưa gửi thư nào."
    return "Đã gửi bản tin tới: " + "; ".join(f"{', '.join(s.to)} ({s.label})" for s in sent) + "."
