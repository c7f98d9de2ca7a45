"""The IMAP intake: an official mailbox's new messages into the spool, and decided letters filed away (R1, R18).

One `ImapIntake` per `[[mailbox]]`. `take_in(box)` spools every message above the mailbox cursor (the
highest UID taken in per folder and UIDVALIDITY) with `spool.admit`, advancing the cursor after each; after
the processor has committed a letter's outcome, `file_decided(box)` moves its mailbox copy to the folder
its disposition names (`gateway.disposition.OUTCOMES`) — never before (DESIGN.md "Nothing lost").
`box` is a connected `gateway.intake.imap_client.ImapMailbox`; the daemon owns connecting and backing off.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.config import MailboxSettings
from gateway.destruction import DESTROYED_IN_MAILBOX, secret_destroyed
from gateway.disposition import OUTCOMES
from gateway.intake.imap_client import FetchedMessage, ImapMailbox
from gateway.intake.spool import MailboxPlace, admit
from gateway.models import DECIDED_STATES, LetterState, Outcome, Source
from gateway.register.schema import LetterRow, MailboxCursorRow, MailboxMessageRow

log = logging.getLogger("gateway.intake.imap")


def _cursor(s: Session, mailbox: str, folder: str, uidvalidity: int) -> MailboxCursorRow:
    row = s.scalar(
        select(MailboxCursorRow).where(
            MailboxCursorRow.mailbox == mailbox,
            MailboxCursorRow.folder == folder,
            MailboxCursorRow.uidvalidity == uidvalidity,
        )
    )
    if row is None:
        row = MailboxCursorRow(mailbox=mailbox, folder=folder, uidvalidity=uidvalidity, last_uid=0)
        s.add(row)
        s.flush()
    return row


class ImapIntake:
    """Letters from one official mailbox; `source` is what their `letters` rows say."""

    source = Source.IMAP

    def __init__(self, mailbox: MailboxSettings, sessions: sessionmaker[Session], storage_dir: Path):
        self.mailbox = mailbox
        self.sessions = sessions
        self.storage_dir = storage_dir

    @property
    def name(self) -> str:
        return self.mailbox.name

    def connect(self) -> ImapMailbox:
        """A connected mailbox (`MailboxError` when it cannot be reached); the caller closes it."""
        box = ImapMailbox(self.mailbox)
        box.connect()
        return box

    def take_in(self, box: ImapMailbox) -> int:
        """Spool every new message of the inbox; returns how many were new to the mailbox cursor."""
        folder = self.mailbox.folders.inbox
        uidvalidity = box.uidvalidity()
        with self.sessions.begin() as s:
            last_uid = _cursor(s, self.name, folder, uidvalidity).last_uid
        count = 0
        for msg in box.fetch_new(last_uid, uidvalidity):
            self._admit(msg)
            with self.sessions.begin() as s:
                cur = _cursor(s, self.name, folder, msg.uidvalidity)
                cur.last_uid = max(cur.last_uid, msg.uid)
            count += 1
        return count

    def _admit(self, msg: FetchedMessage) -> None:
        admitted = admit(
            self.sessions,
            self.storage_dir,
            msg.raw,
            source=self.source,
            received_at=msg.internaldate,
            place=MailboxPlace(self.name, msg.folder, msg.uidvalidity, msg.uid),
            truncated=msg.truncated,
            size=msg.size,
        )
        log.info(
            "spooled UID %d (%d bytes)%s",
            msg.uid,
            msg.size,
            "" if admitted.new else ", already known",
            extra={"letter_id": admitted.letter_id, "sha256": admitted.sha256, "mailbox": self.name},
        )

    def file_decided(self, box: ImapMailbox) -> int:
        """Move the mailbox copies of decided letters to their disposition's folder; returns how many."""
        with self.sessions() as s:
            rows = s.execute(
                select(MailboxMessageRow, LetterRow.outcome, LetterRow.verdict)
                .join(LetterRow, LetterRow.id == MailboxMessageRow.letter_id)
                .where(
                    MailboxMessageRow.mailbox == self.name,
                    MailboxMessageRow.filed_to.is_(None),
                    LetterRow.state.in_(DECIDED_STATES),
                )
            ).all()
        current = box.uidvalidity()
        moved = 0
        for place, outcome, verdict in rows:
            target = self.mailbox.folders.for_role(OUTCOMES[Outcome(outcome or Outcome.QUARANTINED)].folder)
            if secret_destroyed(verdict):  # R6: the mailbox copy of a refused secret document goes too
                target = DESTROYED_IN_MAILBOX
                if place.uidvalidity == current:
                    box.destroy(place.uid)
            elif place.uidvalidity == current:
                box.move(place.uid, target)  # False when already gone (moved before a crash): same result
            with self.sessions.begin() as s:
                row = s.get_one(MailboxMessageRow, place.id)
                row.filed_to = target if place.uidvalidity == current else f"(stale uidvalidity) {target}"
                row.filed_at = datetime.now(UTC)
                letter = s.get(LetterRow, place.letter_id)
                if letter is not None and letter.state == LetterState.REPLIED:
                    letter.state = LetterState.FILED
            moved += 1
        return moved
