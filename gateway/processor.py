"""Processing spooled letters: read, evaluate, dispose, then commit everything in one transaction.

A letter in state RECEIVED is read from the spool, evaluated (`gateway.pipeline.evaluate_letter`) and
disposed of (`gateway.disposition.dispose`); then — in a single transaction — its register entries, its
outbox rows and its new state are committed together, exactly as the disposition says. A crash before
that commit leaves it RECEIVED (a restart redoes it); after, everything is there. Two processes racing on
one letter cannot both record it: the state change is a compare-and-set on RECEIVED.

A quarantined letter leaves the quarantine the same way (the clerk's workplace): `decide_quarantined`
commits a clerk's release or refusal through `_commit` — compare-and-set on QUARANTINED, the register
entries, the reply — with the clerk's name and note in the history; `reprocess` puts it back to RECEIVED
for the daemon to evaluate again with the current rules, templates and trust store.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway import office_calendar
from gateway.destruction import destroy_secret
from gateway.disposition import (
    KINDS,
    ClerkAction,
    ClerkDecision,
    Disposition,
    clerk_evaluation,
    dispose,
    disposition_to_dict,
)
from gateway.intake.spool import read_raw
from gateway.metrics import LETTERS, PROCESSING, Timer
from gateway.models import LetterState, Outcome, Reason, Source, Verdict, VerdictSource, to_jsonable, verdict_to_dict
from gateway.outage import first_line, is_database_down, is_infrastructure
from gateway.outbox import enqueue, rate_limited, refused_within_hour
from gateway.pipeline import Evaluation, Stages, evaluate_letter
from gateway.register.audit import audit
from gateway.register.db import rowcount
from gateway.register.handoff import enqueue_handoffs
from gateway.register.recall import match_request, record_request
from gateway.register.schema import EntryHistoryRow, LetterRow, MailboxMessageRow, OutboxRow, RegisterEntryRow
from gateway.register.sql import EntryRef, all_reasons, record
from gateway.replies import (
    compose,
    letter_messages,
    our_domain,
    shipped_environment,
    take_template_failures,
    template_failure_message_id,
)
from gateway.vntime import aware

log = logging.getLogger("gateway.processor")
MAX_ATTEMPTS = 3  # a letter that breaks the pipeline this often is quarantined for a clerk
# A letter held back by a fault of ours (a full disk, a storage folder without its original) is tried again
# after this many seconds, doubling up to the cap — alone: the letters behind it go on meanwhile.
HOLD_BASE_SECONDS, HOLD_CAP_SECONDS = 5.0, 600.0
_held: dict[int, tuple[float, int]] = {}  # letter id → (monotonic time of its next try, failures)


@dataclass(frozen=True)
class Processed:
    letter_id: int
    outcome: str
    numbers: tuple[int | None, ...]


def _queue_messages(
    s: Session, stages: Stages, letter_id: int, sha: str, ev: Evaluation, disposition: Disposition, refs: list[EntryRef]
) -> list[Reason]:
    """Queue the reply and the alerts in the caller's transaction; return notes on what was not sent."""
    notes: list[Reason] = []
    plan = disposition.reply
    reply = plan is not None and plan.to is not None
    if plan is not None and plan.withheld is not None:
        notes.append(plan.withheld)
    if plan is not None and plan.to is not None and rate_limited(s, stages.settings.outgoing, plan.to):
        limit = stages.settings.outgoing.rate_limit_per_hour
        notes.append(Reason("reply_rate_limited", f"more than {limit} replies to {plan.to} this hour"))
        reply = False
    settings = stages.settings
    queued = set(s.scalars(select(OutboxRow.kind).where(OutboxRow.letter_id == letter_id)))
    for kind, message, recipients in letter_messages(
        stages.templates, settings.outgoing, settings.agency, ev, disposition, refs, sha, reply=reply
    ):
        if kind.name in queued:  # decided again after the quarantine: the sender heard this once already
            notes.append(Reason("already_queued", f"a {kind.name} message was queued for this letter before"))
            continue
        enqueue(s, letter_id=letter_id, kind=kind.name, message=message, recipients=list(recipients))
    notify_broken_templates(s, stages)
    return notes


def notify_broken_templates(s: Session, stages: Stages) -> None:
    """An admin template that failed and fell back to the shipped one (the letter was answered all the same):
    one notice to the admins per template and error, ever (its Message-ID is derived from both)."""
    failures = take_template_failures()
    admins = list(stages.alerts.admin)
    if not failures or not admins:
        return
    out = stages.settings.outgoing
    for template, error in failures:
        mid = template_failure_message_id(template, error, our_domain(out))
        if s.scalar(select(OutboxRow.id).where(OutboxRow.message_id == mid)) is not None:
            continue
        context = {"agency": stages.settings.agency, "template": template, "error": error}
        msg = compose(shipped_environment(), out, KINDS["template_error"], context, to=admins, message_id=mid)
        enqueue(s, letter_id=None, kind="template_error", message=msg, recipients=admins)
        log.warning("admin notified of the broken reply template %s", template)


def _secret(ev: Evaluation) -> bool:
    return any(d.metadata.secrecy for d in ev.verdict.documents)


def _store_derived(storage_dir: Path, ev: Evaluation) -> None:
    """Extracted and OCR text beside the originals, never in them (R20); never for a secret document (R6)."""
    if _secret(ev):
        return
    for sha, text in ev.derived_texts.items():
        folder = storage_dir / "derived" / sha[:2]
        folder.mkdir(parents=True, exist_ok=True)
        body = f"source: {text.source}\n--- first page ---\n{text.first_page}\n--- last page ---\n{text.last_page}\n"
        (folder / f"{sha}.txt").write_text(body, encoding="utf-8")


def _commit(
    s: Session,
    stages: Stages,
    letter_id: int,
    sha: str,
    ev: Evaluation,
    disposition: Disposition,
    *,
    from_state: str = LetterState.RECEIVED,
    clerk: ClerkDecision | None = None,
) -> list[EntryRef] | None:
    """Write what `disposition` says, in the caller's transaction; None if another process decided first."""
    claimed = rowcount(
        s.execute(
            update(LetterRow)
            .where(LetterRow.id == letter_id, LetterRow.state == from_state)
            .values(state=disposition.letter_state, updated_at=datetime.now(UTC))
        )
    )
    if claimed != 1:
        return None
    previous = s.get_one(LetterRow, letter_id).verdict or {}
    v = ev.verdict
    sender_name = v.letter.sender_agency.name if v.letter and v.letter.sender_agency else None
    if disposition.outcome != v.outcome:  # a recall request alone, refused by the register (R17)
        v = replace(v, outcome=disposition.outcome)
    refs = record(
        s,
        letter_id=letter_id,
        verdict=v,
        status=disposition.register_status,
        year=disposition.numbering_year,
        agency_code=stages.settings.agency.code,
        sender_name=sender_name or (ev.letter.from_name if ev.letter else None),
        urgent_alert=bool(disposition.alerts),
        actor=clerk.actor if clerk else "gateway",
        note=clerk.note if clerk else None,
    )
    new_entries = [r.entry_id for r in refs if r.entry_id is not None and r.duplicate_of is None and r.number]
    if disposition.dms_handoff and stages.dms_destinations:
        enqueue_handoffs(s, new_entries, stages.dms_destinations)  # R18, R19: with the entries, or not at all
    record_request(s, letter_id, disposition, new_entries, v.letter.from_ if v.letter else None)
    notes = _queue_messages(s, stages, letter_id, sha, ev, disposition, refs)
    if disposition.recall is not None and disposition.recall.refusal is not None:
        v = replace(v, reasons=(*v.reasons, disposition.recall.refusal))
    row = s.get_one(LetterRow, letter_id)
    row.outcome = v.outcome.value
    row.verdict = {
        **verdict_to_dict(v),
        "disposition": disposition_to_dict(disposition),
        "processing_notes": to_jsonable(notes),
    }
    if previous.get("outcome") == Outcome.QUARANTINED:  # what the clerk (or the reprocessing) decided on
        row.verdict["quarantined_for"] = all_reasons(previous)
    if clerk is not None:
        row.verdict["clerk_decision"] = to_jsonable(clerk)
        numbers = [f"{r.number}/{r.year}" for r in refs if r.number]
        detail = {"note": clerk.note, "reason": clerk.reason, "delivery": clerk.delivery, "numbers": numbers}
        audit(s, clerk.actor, clerk.action, letter_id=letter_id, detail=detail, remote=clerk.remote)
    row.message_id = v.letter.message_id if v.letter else None
    row.from_address = v.letter.from_ if v.letter else None
    row.subject = v.letter.subject if v.letter else None
    return refs


def process_letter(sessions: sessionmaker[Session], stages: Stages, letter_id: int) -> Processed | None:
    """Process one RECEIVED letter. Returns None when another process got there first."""
    with sessions() as s:
        row = s.get(LetterRow, letter_id)
        if row is None or row.state != LetterState.RECEIVED:
            return None
        raw = read_raw(row, stages.settings.storage_dir)
        received_at, truncated, sha, source = aware(row.received_at), row.truncated, row.sha256, Source(row.source)
        filed = _already_filed(s, letter_id)
    timer = Timer().__enter__()
    ev = evaluate_letter(raw, received_at=received_at, stages=stages, truncated=truncated, direct=source == Source.SMTP)
    _store_derived(stages.settings.storage_dir, ev)
    with sessions.begin() as s:
        # A recall request is checked against the register in the transaction that records it (R17).
        disposition = dispose(
            ev,
            alerts=stages.alerts,
            source=source,
            recall=match_request(s, ev),
            filed=filed,
            refused_recently=refused_within_hour(s, ev.reply_to),
        )
        refs = _commit(s, stages, letter_id, sha, ev, disposition)
        if refs is not None and disposition.outcome == Outcome.REFUSED and _secret(ev):
            destroy_secret(s, stages.settings.storage_dir, letter_id)  # R6
    if refs is None:
        return None
    timer.__exit__()
    PROCESSING.observe(timer.seconds)
    LETTERS.labels(disposition.outcome.value).inc()
    numbers = tuple(r.number for r in refs)
    log.info(
        "letter decided: %s, numbers %s",
        disposition.outcome.value,
        list(numbers),
        extra={"letter_id": letter_id, "sha256": sha, "outcome": disposition.outcome.value},
    )
    return Processed(letter_id, disposition.outcome.value, numbers)


def _already_filed(s: Session, letter_id: int) -> bool:
    """The letter's mailbox copy was filed before (to Quarantine): a new decision has nothing to move."""
    places = s.scalars(select(MailboxMessageRow.filed_to).where(MailboxMessageRow.letter_id == letter_id)).all()
    return bool(places) and all(p is not None for p in places)


class ClerkError(ValueError):
    """A clerk's action that cannot be done; `str()` is English (logs), `vi` the clerk's words."""

    def __init__(self, message: str, vi: str):
        super().__init__(message)
        self.vi = vi


def _not_quarantined(letter_id: int) -> ClerkError:
    return ClerkError(
        f"letter {letter_id} is not in the quarantine",
        "Thư này không còn trong hàng chờ kiểm tra (có thể người khác vừa xử lý).",
    )


def _unreadable(sha: str, received_at: datetime, stages: Stages) -> Evaluation:
    """A letter the pipeline cannot read: no letter to answer, no documents — only its time of receipt."""
    verdict = Verdict(
        source=VerdictSource(kind="eml", sha256=sha),
        letter=None,
        reception=office_calendar.reception(received_at, stages.calendar, urgency=None),
        documents=(),
        outcome=Outcome.QUARANTINED,
    )
    return Evaluation(verdict, None, {})


def decide_quarantined(
    sessions: sessionmaker[Session], stages: Stages, letter_id: int, decision: ClerkDecision
) -> Processed:
    """Commit a clerk's release or refusal of a quarantined letter: the letter is evaluated again (its
    verdict is needed for the register and the reply), the clerk's decision applied (`clerk_evaluation`),
    and what `dispose` says is committed in one transaction, as for any letter."""
    with sessions() as s:
        row = s.get(LetterRow, letter_id)
        if row is None or row.state != LetterState.QUARANTINED:
            raise _not_quarantined(letter_id)
        raw = read_raw(row, stages.settings.storage_dir)
        received_at, truncated, sha, source = aware(row.received_at), row.truncated, row.sha256, Source(row.source)
        filed = _already_filed(s, letter_id)
    try:
        ev = evaluate_letter(
            raw, received_at=received_at, stages=stages, truncated=truncated, direct=source == Source.SMTP
        )
    except Exception as exc:
        log.exception("letter %d could not be read for the clerk's decision", letter_id)
        if decision.action == ClerkAction.RELEASE:
            raise ClerkError(
                f"letter {letter_id} cannot be read ({type(exc).__name__}): it cannot be registered",
                f"Không đọc được thư ({type(exc).__name__}) nên không vào sổ được; hãy từ chối hoặc xử lý lại.",
            ) from exc
        ev = _unreadable(sha, received_at, stages)  # refused without a reply: there is no letter to answer
    if decision.action == ClerkAction.RELEASE and not ev.verdict.documents:
        raise ClerkError(
            f"letter {letter_id} has no document to register",
            "Thư không kèm văn bản nào để vào sổ; chỉ có thể từ chối.",
        )
    ev = clerk_evaluation(ev, decision)
    _store_derived(stages.settings.storage_dir, ev)
    with sessions.begin() as s:
        disposition = dispose(ev, alerts=stages.alerts, source=source, recall=match_request(s, ev), filed=filed)
        refs = _commit(s, stages, letter_id, sha, ev, disposition, from_state=LetterState.QUARANTINED, clerk=decision)
        if refs is not None and disposition.outcome == Outcome.REFUSED and _secret(ev):
            destroy_secret(s, stages.settings.storage_dir, letter_id)  # R6
    if refs is None:
        raise _not_quarantined(letter_id)
    numbers = tuple(r.number for r in refs)
    log.info("letter %d %s by %s: numbers %s", letter_id, decision.action.value, decision.actor, list(numbers))
    return Processed(letter_id, ev.verdict.outcome.value, numbers)


def reprocess(
    sessions: sessionmaker[Session], letter_id: int, *, actor: str, note: str | None = None, remote: str | None = None
) -> None:
    """Put a quarantined letter back to RECEIVED: the daemon evaluates it again with the current rules,
    templates and trust store (after an admin fixed one of them)."""
    text = "văn thư yêu cầu kiểm tra lại" + (f": {note}" if note else "")
    with sessions.begin() as s:
        claimed = rowcount(
            s.execute(
                update(LetterRow)
                .where(LetterRow.id == letter_id, LetterRow.state == LetterState.QUARANTINED)
                .values(state=LetterState.RECEIVED, attempts=0, error=None, updated_at=datetime.now(UTC))
            )
        )
        if claimed != 1:
            raise _not_quarantined(letter_id)
        now = datetime.now(UTC)
        for entry in s.scalars(select(RegisterEntryRow).where(RegisterEntryRow.letter_id == letter_id)):
            s.add(EntryHistoryRow(entry_id=entry.id, status=entry.status, at=now, actor=actor[:64], note=text))
        audit(s, actor, "reprocess", letter_id=letter_id, detail={"note": note} if note else None, remote=remote)


def _give_up(sessions: sessionmaker[Session], letter_id: int, exc: BaseException) -> None:
    """Record a processing failure; after MAX_ATTEMPTS the letter goes to quarantine with the reason."""
    with sessions.begin() as s:
        row = s.get(LetterRow, letter_id)
        if row is None or row.state != LetterState.RECEIVED:
            return
        row.attempts += 1
        row.error = f"{type(exc).__name__}: {exc}"[:2000]
        row.updated_at = datetime.now(UTC)
        if row.attempts >= MAX_ATTEMPTS:
            row.state = LetterState.QUARANTINED
            row.outcome = Outcome.QUARANTINED.value
            row.verdict = {
                "outcome": "quarantined",
                "reasons": [{"code": "processing_failed", "message": f"Lỗi xử lý tự động: {row.error}"}],
            }


def process_pending(sessions: sessionmaker[Session], stages: Stages, *, limit: int = 500) -> list[Processed]:
    """Process every RECEIVED letter, oldest first. One letter's failure never stops the others."""
    with sessions() as s:
        ids = list(
            s.scalars(
                select(LetterRow.id).where(LetterRow.state == LetterState.RECEIVED).order_by(LetterRow.id).limit(limit)
            )
        )
    done: list[Processed] = []
    for letter_id in ids:
        next_try, failures = _held.get(letter_id, (0.0, 0))
        if time.monotonic() < next_try:
            continue  # held back by a fault of ours; the others go on
        try:
            result = process_letter(sessions, stages, letter_id)
        except Exception as exc:
            if is_database_down(exc):
                raise  # nothing can be committed: the daemon logs the outage once and backs off
            if is_infrastructure(exc):
                # Our fault, not the letter's (disk full, original missing): never an attempt toward the
                # quarantine (issue 15); this letter alone waits.
                delay = min(HOLD_BASE_SECONDS * 2**failures, HOLD_CAP_SECONDS)
                _held[letter_id] = (time.monotonic() + delay, failures + 1)
                log.warning(
                    "letter held back %.0f s, not its fault: %s", delay, first_line(exc), extra={"letter_id": letter_id}
                )
                continue
            log.exception("letter could not be processed", extra={"letter_id": letter_id})
            _give_up(sessions, letter_id, exc)
            continue
        _held.pop(letter_id, None)
        if result is not None:
            done.append(result)
    return done
