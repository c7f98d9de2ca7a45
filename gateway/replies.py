"""Replies to senders (R5, R15) and alerts, rendered from sandboxed Jinja2 templates in Vietnamese.

Templates live in `templates/` (the admin's folder, `gateway.templates_dir`, is searched first, then the
shipped one); each has a `subject` and a `body` block. Outgoing mail follows RFC 3834: it goes to the
Return-Path only, carries `Auto-Submitted: auto-replied`, `In-Reply-To` and `References`, and has a
Message-ID derived from the letter so that a re-render is the same message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from gateway.vntext import nfc, squash_spaces

SHIPPED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_datetime(value: Any) -> str:
    """`08:00 ngày 23/02/2026` in Vietnam time, as clerks write it."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return str(value)
    t = value.astimezone(VN)
    return f"{t:%H:%M} ngày {t:%d/%m/%Y}"


def make_environment(admin_dir: Path | None) -> SandboxedEnvironment:
    loaders = [FileSystemLoader(str(admin_dir))] if admin_dir and admin_dir.is_dir() else []
    loaders.append(FileSystemLoader(str(SHIPPED_TEMPLATES)))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders), undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters["vn_datetime"] = vn_datetime
    return env


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render(env: SandboxedEnvironment, template: str, context: dict[str, Any]) -> Rendered:
    """Render `template` (e.g. "acknowledgement") to a one-line subject and an NFC body."""
    t = env.get_template(f"{template}.txt.j2")
    ctx = t.new_context(context)
    subject = "".join(t.blocks["subject"](ctx))
    body = "".join(t.blocks["body"](t.new_context(context)))
    return Rendered(subject=nfc(squash_spaces(subject))[:250], body=nfc(body.strip() + "\n"))


def reply_message_id(letter_sha256: str, kind: str, domain: str) -> str:
    return f"<{kind}.{letter_sha256[:24]}@{domain}>"


def build_message(
    rendered: Rendered,
    *,
    from_address: str,
    from_name: str,
    to: str,
    message_id: str,
    in_reply_to: str | None,
    references: tuple[str, ...] = (),
    auto_reply: bool = True,
    date: datetime | None = None,
) -> Message:
    """The outgoing message, UTF-8 quoted-printable.

    Built with the classic `email.mime` API and `email.header.Header`: the modern policy's folder drops the
    space between two encoded words of a long Vietnamese subject ("Giấy mời" came out "Giấymời").
    """
    charset = Charset("utf-8")
    charset.body_encoding = QP
    msg = MIMEText(rendered.body, "plain", charset)
    msg["From"] = formataddr((str(Header(from_name, "utf-8")), from_address))
    msg["To"] = to
    msg["Subject"] = Header(rendered.subject, "utf-8")
    msg["Date"] = format_datetime(date or datetime.now(VN))
    msg["Message-ID"] = message_id
    if auto_reply:
        # RFC 3834 §5: mark it, so that other responders do not answer us back.
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"
    else:
        msg["Auto-Submitted"] = "auto-generated"
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = " ".join((*references, in_reply_to))
    return msg


def new_message_id(domain: str) -> str:
    return make_msgid(domain=domain)
