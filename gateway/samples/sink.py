"""A local SMTP sink (aiosmtpd) that keeps what it receives: the demo's and the tests' reply catcher."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class SmtpSink:
    host: str = "127.0.0.1"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    tls_context: ssl.SSLContext | None = None  # offer STARTTLS and require it
    credentials: tuple[str, str] | None = None  # require AUTH (PLAIN/LOGIN) with this user and password
    refuse_mail: str | None = None  # answer MAIL FROM with this (e.g. "550 5.7.1 sender refused"); settable live
    command_delay: float = 0.0  # seconds before answering MAIL, RCPT and DATA: a slow but working relay
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _controller: Controller | None = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:
        if self.command_delay:
            await asyncio.sleep(self.command_delay)
        if self.refuse_mail:
            return self.refuse_mail
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.command_delay:
            await asyncio.sleep(self.command_delay)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.command_delay:
            await asyncio.sleep(self.command_delay)
        with self._lock:
            self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content))
            self._lock.notify_all()
        return "250 OK"

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        given = (auth_data.login.decode(), auth_data.password.decode())
        return AuthResult(success=given == self.credentials)

    def start(self) -> SmtpSink:
        self.port = self.port or free_port(self.host)
        options: dict = {}
        if self.tls_context is not None:
            options.update(tls_context=self.tls_context, require_starttls=True)
        if self.credentials is not None:
            options.update(authenticator=self._authenticate, auth_require_tls=self.tls_context is not None)
        self._controller = Controller(self, hostname=self.host, port=self.port, decode_data=False, **options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Block until at least `count` messages arrived (or the timeout passed); return them all."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.received) < count and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
            return list(self.received)
