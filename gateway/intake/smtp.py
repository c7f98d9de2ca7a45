"""Direct delivery: an aiosmtpd listener for agencies that send straight to the gateway (R1).

It accepts mail only for the configured addresses (550 otherwise) and enforces the size limit (552). It
stores the bytes as received with only a Return-Path header added (no trace header with a time stamp:
the same letter delivered twice has the same sha256 and is recognised, nothing doubled). It answers 250
only after the raw bytes are fsync'd in the spool and the letter row is committed, so a 250 from us
means the letter cannot be lost; a failure to store answers 451 (try again later).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from gateway.config import SmtpListenerSettings
from gateway.intake.spool import Admitted, admit, now_utc
from gateway.models import Source

log = logging.getLogger("gateway.smtp")


class SpoolHandler:
    def __init__(
        self,
        settings: SmtpListenerSettings,
        sessions: sessionmaker[DbSession],
        storage_dir: Path,
        on_admitted: Callable[[Admitted], None] | None = None,
    ):
        self.settings = settings
        self.sessions = sessions
        self.storage_dir = storage_dir
        self.on_admitted = on_admitted

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options):
        if address.lower() not in self.settings.addresses:
            return "550 5.1.1 No such official mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        raw = content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content
        if len(raw) > self.settings.max_message_bytes:
            return "552 5.3.4 Message too big for this mailbox"
        received_at = now_utc()
        # As a final-delivery MTA does (RFC 5321 §4.4): the envelope sender becomes Return-Path, where
        # replies go (RFC 3834 §4). Deterministic, so a re-delivery still has the same sha256.
        raw = f"Return-Path: <{envelope.mail_from or ''}>\r\n".encode("ascii", "replace") + raw
        try:
            loop = asyncio.get_running_loop()
            admitted = await loop.run_in_executor(
                None,
                lambda: admit(self.sessions, self.storage_dir, raw, source=Source.SMTP, received_at=received_at),
            )
        except Exception:
            log.exception("could not spool a letter from %s", envelope.mail_from)
            return "451 4.3.0 Could not store the message; try again later"
        log.info(
            "spooled a letter from %s (%d bytes)",
            envelope.mail_from,
            len(raw),
            extra={"letter_id": admitted.letter_id, "sha256": admitted.sha256, "mailbox": "smtp"},
        )
        if self.on_admitted is not None:
            self.on_admitted(admitted)
        return "250 2.0.0 Stored"


def start_listener(
    settings: SmtpListenerSettings,
    sessions: sessionmaker[DbSession],
    storage_dir: Path,
    on_admitted: Callable[[Admitted], None] | None = None,
) -> Controller:
    """Start the listener in its own thread; `controller.stop()` ends it."""
    handler = SpoolHandler(settings, sessions, storage_dir, on_admitted)
    controller = Controller(
        handler,
        hostname=settings.host,
        port=settings.port,
        data_size_limit=settings.max_message_bytes,
        decode_data=False,
        server_hostname="official-mail-gateway",
        ready_timeout=10,
    )
    controller.start()
    return controller
