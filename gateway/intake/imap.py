"""The IMAP intake: an official mailbox's new messages into the spool, and decided letters filed away (R1, R18).

One `ImapIntake` per `[[mailbox]]`. `take_in(box)` spools every message above the mailbox cursor (the
highest UID taken in per folder and UIDVALIDITY) with `spool.admit`, advancing the cursor after each; after
the processor has committed a letter's outcome, `file_decided(box)` moves its mailbox copy to the folder
its disposition names (`gateway.disposition.OUTCOMES`) — never before (DESIGN.md "Nothing lost").
`box` is a connected `gateway.intake.imap_client.ImapMailbox`; the daemon owns connecting and backing off.

Only one gateway process fetches the inbox at a time (`gateway.intake.fetch_lease`; two processes or
hosts on one database): `take_in` returns None at once when another holds the lease, and that process goes
on processing the letters the holder spools — which records them in small first batches, so they reach the
evaluation while the rest is still being fetched (issue 16).

A message that cannot be stored (the storage volume is full) is held back on its own: it is fetched again
only after its own backoff (doubling from `HOLD_BASE_SECONDS` to `HOLD_CAP_SECONDS`), while the messages
after it are taken in; the cursor stays below it, so it is never skipped for good (the ones after it are
fetched again meanwhile and deduplicated by their sha256). Filing goes on as usual, so a full disk never
keeps decided letters in the inbox.

Filing is claimed before the move (`filed_to` set to "(filing) …" by compare-and-set), so two gateways on
one mailbox never both move — or COPY and EXPUNGE — the same message; a claim left by a crash is taken up
again after the mailbox's `filing_lease_seconds` (5 minutes unless configured).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Table, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway.config import MailboxSettings
from gateway.destruction import DESTROYED_IN_MAILBOX, secret_destroyed
from gateway.disposition import OUTCOMES
from gateway.intake.fetch_lease import fetch_lease
from gateway.intake.imap_client import ImapMailbox, MessageVanished
from gateway.intake.spool import MailboxPlace, Stored, admit_stored, store_pieces, store_raw
from gateway.models import DECIDED_STATES, LetterState, Outcome, Source
from gateway.outage import first_line, is_storage_fault
from gateway.register.db import rowcount
from gateway.register.schema import LetterRow, MailboxCursorRow, MailboxMessageRow

log = logging.getLogger("gateway.intake.imap")
HOLD_BASE_SECONDS, HOLD_CAP_SECONDS = 5.0, 600.0
FILING = "(filing) "
ADMIT_BATCH = 50  # fetched messages recorded per transaction (one fsync'd commit instead of two per message)
FIRST_ADMIT = 4  # ... but the first batches are small: the letters reach the evaluation (here and in other
# gateway processes on the same database) while the rest is still being fetched (issue 16)


def admit_batches() -> Iterator[int]:
    """How many fetched messages each transaction records: doubling from `FIRST_ADMIT` up to `ADMIT_BATCH`."""
    size = FIRST_ADMIT
    while True:
        yield size
        size = min(2 * size, ADMIT_BATCH)


def _record_filed(s: Session, places: list[MailboxMessageRow], target: str, planned: dict[int, str]) -> None:
    """The group's messages are filed to `target` ("": a stale UIDVALIDITY, each noted with the folder it
    was meant for) and their replied letters are done: one UPDATE each, not a read and a write per message
    (issue 16)."""
    now = datetime.now(UTC)
    places_table = cast(Table, MailboxMessageRow.__table__)
    if target:
        ids = [p.id for p in places]
        s.execute(update(places_table).where(places_table.c.id.in_(ids)).values(filed_to=target, filed_at=now))
    else:
        for place in places:
            stale = f"(stale uidvalidity) {planned[place.id]}"
            s.execute(update(places_table).where(places_table.c.id == place.id).values(filed_to=stale, filed_at=now))
    letters = cast(Table, LetterRow.__table__)
    s.execute(
        update(letters)
        .where(letters.c.id.in_({p.letter_id for p in places}), letters.c.state == LetterState.REPLIED)
        .values(state=LetterState.FILED)
    )


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
        self._held: dict[tuple[int, int], tuple[float, int]] = {}  # (uidvalidity, uid) → (next try, failures)

    @property
    def name(self) -> str:
        return self.mailbox.name

    def connect(self) -> ImapMailbox:
        """A connected mailbox (`MailboxError` when it cannot be reached); the caller closes it."""
        box = ImapMailbox(self.mailbox)
        box.connect()
        return box

    def take_in(self, box: ImapMailbox, admitted: Callable[[int], None] | None = None) -> int | None:
        """Spool every new message of the inbox; returns how many were taken in this time, or None when
        another process is fetching the inbox now (`fetch_lease`): it spools them, this one need not.
        `admitted(n)` is called after each batch is committed (the processing may take its letters now).

        Each original is written (fsync'd) as it comes; they are recorded in batches (`admit_batches`),
        each batch and the cursor in one transaction (issue 16). A crash before that commit leaves the
        cursor below them: they are fetched again and recognised by their sha256."""
        folder = self.mailbox.folders.inbox
        with fetch_lease(self.sessions, self.name, folder) as held:
            if not held:
                log.debug("another process is fetching %s", folder, extra={"mailbox": self.name})
                return None
            return self._take_in(box, folder, admitted or (lambda _n: None))

    def _take_in(self, box: ImapMailbox, folder: str, admitted: Callable[[int], None]) -> int:
        uidvalidity = box.uidvalidity()
        with self.sessions.begin() as s:
            last_uid = _cursor(s, self.name, folder, uidvalidity).last_uid
        now = time.monotonic()
        waiting = {uid for (v, uid), (t, _) in self._held.items() if v == uidvalidity and t > now}
        count = 0
        seen: set[int] = set()
        batch: list[Stored] = []
        sizes = admit_batches()
        limit = next(sizes)
        for msg in box.fetch_new(last_uid, uidvalidity, skip=waiting):
            seen.add(msg.uid)
            try:
                if msg.pieces is None:
                    sha, path = store_raw(self.storage_dir, msg.raw)
                else:  # a large message, written a piece at a time as it comes (issue 16)
                    sha, path = store_pieces(self.storage_dir, msg.pieces())
            except MessageVanished:
                continue  # expunged while it was fetched: nothing to take in
            except OSError as exc:
                if not is_storage_fault(exc):
                    raise
                self._hold(msg.uidvalidity, msg.uid, exc)
                continue
            self._held.pop((msg.uidvalidity, msg.uid), None)
            place = MailboxPlace(self.name, msg.folder, msg.uidvalidity, msg.uid)
            batch.append(Stored(sha, path, msg.size, msg.internaldate, msg.truncated, place))
            if len(batch) >= limit:
                count += self._admit(batch, folder)
                admitted(len(batch))
                batch, limit = [], next(sizes)
        if batch:
            count += self._admit(batch, folder)
            admitted(len(batch))
        for key in [k for k in self._held if k[0] == uidvalidity and k[1] not in waiting and k[1] not in seen]:
            del self._held[key]  # due but not fetched: gone from the inbox, it holds the cursor back no more
        return count

    def _hold(self, uidvalidity: int, uid: int, exc: OSError) -> None:
        _, failures = self._held.get((uidvalidity, uid), (0.0, 0))
        delay = min(HOLD_BASE_SECONDS * 2**failures, HOLD_CAP_SECONDS)
        self._held[(uidvalidity, uid)] = (time.monotonic() + delay, failures + 1)
        log.warning(
            "UID %d cannot be stored (%s); held back %.0f s", uid, first_line(exc), delay, extra={"mailbox": self.name}
        )

    def _admit(self, batch: list[Stored], folder: str) -> int:
        """Record a batch of stored originals and advance the cursor past them, never past a held message."""

        highest: dict[int, int] = {}  # UIDVALIDITY → the highest UID the cursor may pass
        for item in batch:
            assert item.place is not None
            v, uid = item.place.uidvalidity, item.place.uid
            if not any(hv == v and held < uid for hv, held in self._held):  # else one below must come again
                highest[v] = max(highest.get(v, 0), uid)

        def advance(s: Session) -> None:
            for v, uid in highest.items():  # one cursor row read and written a batch, not a message (issue 16)
                cur = _cursor(s, self.name, folder, v)
                cur.last_uid = max(cur.last_uid, uid)

        admitted = admit_stored(self.sessions, batch, source=self.source, also=advance)
        for item, done in zip(batch, admitted, strict=True):
            log.info(
                "spooled UID %d (%d bytes)%s",
                item.place.uid if item.place else 0,
                item.size,
                "" if done.new else ", already known",
                extra={"letter_id": done.letter_id, "sha256": done.sha256, "mailbox": self.name},
            )
        return len(batch)

    def file_decided(self, box: ImapMailbox) -> int:
        """Move the mailbox copies of decided letters to their disposition's folder; returns how many.

        Batched (issue 16): the filings are claimed in one transaction, each folder's messages are moved
        with one UID MOVE, and each folder's filings are recorded in one transaction after its move. A
        crash between a move and its record leaves the claims to be taken up after the filing lease; the
        messages are then found gone and recorded, never moved twice."""
        stale = datetime.now(UTC) - timedelta(seconds=self.mailbox.filing_lease_seconds)
        with self.sessions() as s:
            rows = s.execute(
                select(MailboxMessageRow, LetterRow.outcome, LetterRow.verdict)
                .join(LetterRow, LetterRow.id == MailboxMessageRow.letter_id)
                .where(
                    MailboxMessageRow.mailbox == self.name,
                    or_(
                        MailboxMessageRow.filed_to.is_(None),
                        and_(MailboxMessageRow.filed_to.startswith(FILING), MailboxMessageRow.filed_at < stale),
                    ),
                    LetterRow.state.in_(DECIDED_STATES),
                )
                .order_by(MailboxMessageRow.id)  # claims in one order: two gateways never deadlock on them
            ).all()
        if not rows:
            return 0
        plan: list[tuple[MailboxMessageRow, str]] = []
        for place, outcome, verdict in rows:
            target = self.mailbox.folders.for_role(OUTCOMES[Outcome(outcome or Outcome.QUARANTINED)].folder)
            if secret_destroyed(verdict):  # R6: the mailbox copy of a refused secret document goes too
                target = DESTROYED_IN_MAILBOX
            plan.append((place, target))
        claimed = self._claim_filings(plan)  # those another gateway is filing are left out
        current = box.uidvalidity()
        groups: dict[str, list[MailboxMessageRow]] = {}
        for place, target in claimed:
            groups.setdefault(target if place.uidvalidity == current else "", []).append(place)
        filed = {place.id: target for place, target in claimed}
        moved = 0
        for target, places in groups.items():
            if target == DESTROYED_IN_MAILBOX:
                for place in places:
                    box.destroy(place.uid)
            elif target:
                box.move_many([p.uid for p in places], target)  # those already gone (a crash): same result
            with self.sessions.begin() as s:
                _record_filed(s, places, target, filed)
            moved += len(places)
        return moved

    def _claim_filings(self, plan: list[tuple[MailboxMessageRow, str]]) -> list[tuple[MailboxMessageRow, str]]:
        """Compare-and-set each place to "(filing) target", all in one transaction: only the gateway that
        wins a place moves its message."""
        won: list[tuple[MailboxMessageRow, str]] = []
        with self.sessions.begin() as s:
            now = datetime.now(UTC)
            for place, target in plan:
                condition = (
                    MailboxMessageRow.filed_to.is_(None)
                    if place.filed_to is None
                    else and_(
                        MailboxMessageRow.filed_to == place.filed_to, MailboxMessageRow.filed_at == place.filed_at
                    )
                )
                claimed = s.execute(
                    update(MailboxMessageRow)
                    .where(MailboxMessageRow.id == place.id, condition)
                    .values(filed_to=FILING + target, filed_at=now)
                )
                if rowcount(claimed) == 1:
                    won.append((place, target))
        return won
