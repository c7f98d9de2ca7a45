"""The durable DMS hand-off queue (R18, R19): every accepted document reaches each DMS exactly once.

A hand-off row is queued in the transaction that writes the register entry (unique per entry,
destination and kind), so a registered document always has its hand-off and never two. `drain` sends
them in order, per destination: a row is claimed with a lease (`sending`, committed) just before the
package goes out and marked `sent` right after the DMS took it. A process killed in between leaves the
row `sending`; when the lease ends it is sent again with the *same* package and DocumentId, which the DMS
de-duplicates (a folder gets the same file name again), so nothing is handed twice.

While a DMS is down (`DmsUnavailable`) its queue waits, in order, and the destination backs off
exponentially; letters keep being taken in, registered and acknowledged. After `alert_after_minutes`
the admins get one `dms_outage` notice, and one `dms_recovered` notice when it answers again. A DMS that
refuses a package (`DmsRejected`) fails that row alone, with the reason, for the admin.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway.disposition import KINDS
from gateway.outbox import enqueue
from gateway.register.backend import DmsRejected, DmsUnavailable
from gateway.register.db import rowcount
from gateway.register.dms import DmsRuntime
from gateway.register.packages import handoff_package
from gateway.register.schema import DmsDestinationRow, DmsHandoffRow
from gateway.replies import compose
from gateway.vntime import aware

log = logging.getLogger("gateway.dms")
OPEN_STATES = ("pending", "sending")


def enqueue_handoffs(
    s: Session,
    entry_ids: Iterable[int],
    destinations: Iterable[str],
    *,
    kind: str = "edoc",
    reason: str | None = None,
    related_entry_id: int | None = None,
) -> int:
    """Queue hand-offs in the caller's transaction; one per entry, destination and kind, ever."""
    now = datetime.now(UTC)
    added = 0
    for entry_id in entry_ids:
        for destination in destinations:
            exists = s.scalar(
                select(DmsHandoffRow.id).where(
                    DmsHandoffRow.entry_id == entry_id,
                    DmsHandoffRow.destination == destination,
                    DmsHandoffRow.kind == kind,
                )
            )
            if exists is None:
                s.add(
                    DmsHandoffRow(
                        entry_id=entry_id,
                        destination=destination,
                        kind=kind,
                        reason=reason,
                        related_entry_id=related_entry_id,
                        state="pending",
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
                added += 1
    return added


@dataclass(frozen=True)
class DrainReport:
    sent: int
    failed: int
    pending: int


def _destination(s: Session, name: str) -> DmsDestinationRow:
    row = s.get(DmsDestinationRow, name)
    if row is None:
        row = DmsDestinationRow(name=name, failures=0)
        s.add(row)
        s.flush()
    return row


def backlog(s: Session, destination: str) -> int:
    return (
        s.scalar(
            select(func.count(DmsHandoffRow.id)).where(
                DmsHandoffRow.destination == destination, DmsHandoffRow.state.in_(OPEN_STATES)
            )
        )
        or 0
    )


def _alert(s: Session, rt: DmsRuntime, kind: str, dest: DmsDestinationRow, now: datetime) -> None:
    if not rt.admins:
        return
    context = {
        "agency": rt.agency,
        "destination": dest.name,
        "down_since": aware(dest.down_since) if dest.down_since else now,
        "now": now,
        "last_error": dest.last_error or "",
        "backlog": backlog(s, dest.name),
    }
    message = compose(rt.templates, rt.outgoing, KINDS[kind], context, to=rt.admins)
    enqueue(s, letter_id=None, kind=kind, message=message, recipients=list(rt.admins))


def check_outage(s: Session, rt: DmsRuntime, name: str, now: datetime | None = None) -> None:
    """Alert the admins once when `name` has been down for `alert_after_minutes` (compare-and-set)."""
    now = now or datetime.now(UTC)
    dest = _destination(s, name)
    if dest.down_since is None or dest.outage_alerted_at is not None:
        return
    if now - aware(dest.down_since) < timedelta(minutes=rt.settings.alert_after_minutes):
        return
    claimed = rowcount(
        s.execute(
            update(DmsDestinationRow)
            .where(DmsDestinationRow.name == name, DmsDestinationRow.outage_alerted_at.is_(None))
            .values(outage_alerted_at=now)
        )
    )
    if claimed == 1:
        s.refresh(dest)
        _alert(s, rt, "dms_outage", dest, now)
        log.error("DMS %s down since %s: admins alerted (%s)", name, dest.down_since, dest.last_error)


def mark_down(sessions: sessionmaker[Session], rt: DmsRuntime, name: str, error: str) -> None:
    now = datetime.now(UTC)
    with sessions.begin() as s:
        dest = _destination(s, name)
        dest.failures += 1
        dest.down_since = dest.down_since or now
        dest.last_error = error[:2000]
        delay = min(rt.settings.retry_base_seconds * 2 ** (dest.failures - 1), rt.settings.retry_max_seconds)
        dest.next_attempt_at = now + timedelta(seconds=delay)
        check_outage(s, rt, name, now)
    log.warning("DMS %s unavailable (%d in a row), next try in %.0f s: %s", name, dest.failures, delay, error)


def mark_up(s: Session, rt: DmsRuntime, name: str, *, delivered: bool) -> None:
    """`name` answered: a delivery ends an outage; a poll only when nothing waits to be handed over (a DMS
    whose status list answers while it refuses packages is still down)."""
    now = datetime.now(UTC)
    dest = _destination(s, name)
    if not delivered:
        dest.last_polled_at = now
        if dest.down_since is not None and backlog(s, name) > 0:
            return
    if dest.down_since is not None:
        if dest.outage_alerted_at is not None:
            _alert(s, rt, "dms_recovered", dest, now)
        log.info("DMS %s answers again (down since %s)", name, dest.down_since)
    dest.down_since = dest.outage_alerted_at = dest.next_attempt_at = None
    dest.failures = 0
    dest.last_error = None
    if delivered:
        dest.last_delivered_at = now


def _claim(sessions: sessionmaker[Session], row_id: int, lease: float) -> bool:
    now = datetime.now(UTC)
    with sessions.begin() as s:
        return (
            rowcount(
                s.execute(
                    update(DmsHandoffRow)
                    .where(
                        DmsHandoffRow.id == row_id,
                        DmsHandoffRow.state.in_(OPEN_STATES),
                        DmsHandoffRow.next_attempt_at <= now,
                    )
                    .values(
                        state="sending",
                        attempts=DmsHandoffRow.attempts + 1,
                        next_attempt_at=now + timedelta(seconds=lease),
                    )
                )
            )
            == 1
        )


def _finish(sessions: sessionmaker[Session], row_id: int, **values) -> None:
    with sessions.begin() as s:
        s.execute(update(DmsHandoffRow).where(DmsHandoffRow.id == row_id).values(**values))


def drain(sessions: sessionmaker[Session], rt: DmsRuntime, *, limit: int = 200) -> DrainReport:
    """Hand over what is due, in order, to every destination. Never raises on DMS trouble."""
    sent = failed = 0
    for name, backend in rt.backends.items():
        now = datetime.now(UTC)
        with sessions.begin() as s:
            check_outage(s, rt, name, now)
            dest = _destination(s, name)
            if dest.next_attempt_at is not None and aware(dest.next_attempt_at) > now:
                continue  # backing off a DMS that is down
            due = list(
                s.scalars(
                    select(DmsHandoffRow.id)
                    .where(
                        DmsHandoffRow.destination == name,
                        DmsHandoffRow.state.in_(OPEN_STATES),
                        DmsHandoffRow.next_attempt_at <= now,
                    )
                    .order_by(DmsHandoffRow.id)
                    .limit(limit)
                )
            )
        for row_id in due:
            if not _claim(sessions, row_id, rt.settings.lease_seconds):
                continue  # another gateway process holds it, or it was handed over meanwhile
            try:
                with sessions() as s:
                    row = s.get_one(DmsHandoffRow, row_id)
                    package = handoff_package(s, row, rt.package)
            except Exception as exc:  # the stored original is gone or unreadable: the admin must look
                log.exception("hand-off %d: cannot build its package", row_id)
                _finish(sessions, row_id, state="failed", last_error=f"package: {type(exc).__name__}: {exc}"[:2000])
                failed += 1
                continue
            try:
                send = backend.register if package.kind == "edoc" else backend.recall
                receipt = send(package)
            except DmsUnavailable as exc:
                _finish(sessions, row_id, state="pending", next_attempt_at=datetime.now(UTC), last_error=str(exc))
                mark_down(sessions, rt, name, str(exc))
                break  # keep the order: nothing after it goes first
            except DmsRejected as exc:
                _finish(sessions, row_id, state="failed", last_error=str(exc)[:2000], document_id=package.document_id)
                log.error("DMS %s refused %s %s: %s", name, package.kind, package.document_id, exc)
                failed += 1
                continue
            with sessions.begin() as s:
                s.execute(
                    update(DmsHandoffRow)
                    .where(DmsHandoffRow.id == row_id)
                    .values(
                        state="sent",
                        sent_at=datetime.now(UTC),
                        last_error=None,
                        document_id=package.document_id,
                        dms_reference=receipt.reference,
                    )
                )
                mark_up(s, rt, name, delivered=True)
            sent += 1
            log.info("handed %s %s to %s", package.kind, package.document_id, name)
    with sessions() as s:
        pending = s.scalar(select(func.count(DmsHandoffRow.id)).where(DmsHandoffRow.state.in_(OPEN_STATES))) or 0
    return DrainReport(sent, failed, pending)


def status_report(s: Session, destinations: Iterable[str]) -> list[dict]:
    """Each destination's backlog and health, for `gateway dms status` and the admin page (R19)."""
    from gateway.models import to_jsonable
    from gateway.vntime import in_vietnam

    report = []
    for name in destinations:
        counts: dict[str, int] = {
            state: n
            for state, n in s.execute(
                select(DmsHandoffRow.state, func.count(DmsHandoffRow.id))
                .where(DmsHandoffRow.destination == name)
                .group_by(DmsHandoffRow.state)
            ).tuples()
        }
        oldest = s.scalar(
            select(func.min(DmsHandoffRow.created_at)).where(
                DmsHandoffRow.destination == name, DmsHandoffRow.state.in_(OPEN_STATES)
            )
        )
        dest = s.get(DmsDestinationRow, name)
        failed = s.scalars(
            select(DmsHandoffRow)
            .where(DmsHandoffRow.destination == name, DmsHandoffRow.state == "failed")
            .order_by(DmsHandoffRow.id)
        ).all()
        report.append(
            {
                "destination": name,
                "backlog": counts.get("pending", 0) + counts.get("sending", 0),
                "oldest_waiting": to_jsonable(in_vietnam(oldest)),
                "sent": counts.get("sent", 0),
                "failed": counts.get("failed", 0),
                "cancelled": counts.get("cancelled", 0),
                "down_since": to_jsonable(in_vietnam(dest.down_since)) if dest else None,
                "admin_alerted": bool(dest and dest.outage_alerted_at),
                "last_error": dest.last_error if dest else None,
                "last_delivered_at": to_jsonable(in_vietnam(dest.last_delivered_at)) if dest else None,
                "last_polled_at": to_jsonable(in_vietnam(dest.last_polled_at)) if dest else None,
                "failures": [
                    {"entry_id": r.entry_id, "kind": r.kind, "error": r.last_error, "attempts": r.attempts}
                    for r in failed
                ],
            }
        )
    return report
