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

import contextlib
import logging
import os
import socket
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway import derived, office_calendar
from gateway.budget import processing_settings
from gateway.destruction import destroy_secret
from gateway.disposition import (
    KINDS,
    ClerkAction,
    ClerkDecision,
    Disposition,
    clerk_evaluation,
    dispose,
    disposition_to_dict,
    is_secret,
)
from gateway.intake.spool import raw_file, read_raw
from gateway.metrics import LETTERS, PROCESSING
from gateway.models import LetterState, Outcome, Reason, Source, Verdict, VerdictSource, to_jsonable, verdict_to_dict
from gateway.outage import first_line, is_database_down, is_infrastructure
from gateway.outbox import SenderHistory, enqueue, rate_limited, sender_history
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
from gateway.streaming import Arrivals
from gateway.vntime import aware
from gateway.workers import EvaluationPool, OverBudget

log = logging.getLogger("gateway.processor")
MAX_ATTEMPTS = 3  # a letter that breaks the pipeline this often is quarantined for a clerk
# A letter held back by a fault of ours (a full disk, a storage folder without its original) is tried again
# after this many seconds, doubling up to the cap — alone: the letters behind it go on meanwhile.
HOLD_BASE_SECONDS, HOLD_CAP_SECONDS = 5.0, 600.0
_held: dict[int, tuple[float, int]] = {}  # letter id → (monotonic time of its next try, failures)
_interrupted: set[int] = set()  # claimed by this process when the database went away mid-pass


@dataclass(frozen=True)
class Processed:
    letter_id: int
    outcome: str
    numbers: tuple[int | None, ...]


def _queue_messages(
    s: Session,
    stages: Stages,
    letter_id: int,
    sha: str,
    ev: Evaluation,
    disposition: Disposition,
    refs: list[EntryRef],
    *,
    history: SenderHistory | None = None,
    decided_before: bool = True,
) -> list[Reason]:
    """Queue the reply and the alerts in the caller's transaction; return notes on what was not sent.

    `history`: the sender's outbox history read in this transaction (the rate limit is not asked again);
    `decided_before` False: the letter never had an outcome, so nothing of it can be queued already."""
    notes: list[Reason] = []
    plan = disposition.reply
    reply = plan is not None and plan.to is not None
    if plan is not None and plan.withheld is not None:
        notes.append(plan.withheld)
    if plan is not None and plan.to is not None and _rate_limited(s, stages, plan.to, history):
        limit = stages.settings.outgoing.rate_limit_per_hour
        notes.append(Reason("reply_rate_limited", f"more than {limit} replies to {plan.to} this hour"))
        reply = False
    settings = stages.settings
    queued = set(s.scalars(select(OutboxRow.kind).where(OutboxRow.letter_id == letter_id))) if decided_before else set()
    for kind, message, recipients in letter_messages(
        stages.templates, settings.outgoing, settings.agency, ev, disposition, refs, sha, reply=reply
    ):
        if kind.name in queued:  # decided again after the quarantine: the sender heard this once already
            notes.append(Reason("already_queued", f"a {kind.name} message was queued for this letter before"))
            continue
        enqueue(s, letter_id=letter_id, kind=kind.name, message=message, recipients=list(recipients))
    notify_broken_templates(s, stages)
    return notes


def _rate_limited(s: Session, stages: Stages, to: str, history: SenderHistory | None) -> bool:
    known = history.rate_limited(stages.settings.outgoing, to) if history is not None else None
    return rate_limited(s, stages.settings.outgoing, to) if known is None else known


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


def _store_derived(storage_dir: Path, ev: Evaluation) -> None:
    """Extracted and OCR text beside the originals, never in them (R20); never for a secret document (R6)."""
    if is_secret(ev):
        return
    for sha, text in ev.derived_texts.items():
        if not text.reused:  # the stored file is where it came from
            derived.store(storage_dir, sha, text)


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
    history: SenderHistory | None = None,
) -> list[EntryRef] | None:
    """Write what `disposition` says, in the caller's transaction; None if another process decided first.

    The letter's row is written with two Core statements (issue 16): the compare-and-set of its state,
    which also returns its previous outcome, and the decision's columns at the end; its documents' verdicts
    are made JSON-ready once, for their register entries and for the letter's verdict."""
    letters = cast(Table, LetterRow.__table__)
    previous_outcome = s.execute(
        update(letters)
        .where(letters.c.id == letter_id, letters.c.state == from_state)
        .values(state=disposition.letter_state, updated_at=datetime.now(UTC), lease_until=None)
        .returning(letters.c.outcome)
    ).first()
    if previous_outcome is None:
        return None
    quarantined_for = None
    if previous_outcome.outcome == Outcome.QUARANTINED:  # what the clerk (or the reprocessing) decided on
        quarantined_for = all_reasons(s.scalar(select(letters.c.verdict).where(letters.c.id == letter_id)) or {})
    decided_before = previous_outcome.outcome is not None  # else it has no register entries, no messages yet
    v = ev.verdict
    sender_name = v.letter.sender_agency.name if v.letter and v.letter.sender_agency else None
    if disposition.outcome != v.outcome:  # a recall request alone, refused by the register (R17)
        v = replace(v, outcome=disposition.outcome)
    documents = [to_jsonable(d) for d in v.documents]
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
        document_dicts=documents,
        decided_before=decided_before,
    )
    new_entries = [r.entry_id for r in refs if r.entry_id is not None and r.duplicate_of is None and r.number]
    if disposition.dms_handoff and stages.dms_destinations:
        enqueue_handoffs(s, new_entries, stages.dms_destinations)  # R18, R19: with the entries, or not at all
    record_request(s, letter_id, disposition, new_entries, v.letter.from_ if v.letter else None)
    notes = _queue_messages(
        s, stages, letter_id, sha, ev, disposition, refs, history=history, decided_before=decided_before
    )
    if disposition.recall is not None and disposition.recall.refusal is not None:
        v = replace(v, reasons=(*v.reasons, disposition.recall.refusal))
    verdict = {
        **verdict_to_dict(v, documents=documents),
        "disposition": disposition_to_dict(disposition),
        "processing_notes": to_jsonable(notes),
    }
    if quarantined_for is not None:
        verdict["quarantined_for"] = quarantined_for
    if clerk is not None:
        verdict["clerk_decision"] = to_jsonable(clerk)
        numbers = [f"{r.number}/{r.year}" for r in refs if r.number]
        detail = {"note": clerk.note, "reason": clerk.reason, "delivery": clerk.delivery, "numbers": numbers}
        audit(s, clerk.actor, clerk.action, letter_id=letter_id, detail=detail, remote=clerk.remote)
    s.execute(
        update(letters)
        .where(letters.c.id == letter_id)
        .values(
            outcome=v.outcome.value,
            verdict=verdict,
            message_id=v.letter.message_id if v.letter else None,
            from_address=v.letter.from_ if v.letter else None,
            subject=v.letter.subject if v.letter else None,
        )
    )
    return refs


@dataclass(frozen=True)
class Claimed:
    """A letter this process holds the claim on: what evaluating it needs, read in the claiming transaction."""

    letter_id: int
    raw_path: str
    received_at: datetime
    truncated: bool
    sha256: str
    source: Source
    filed: bool
    attempt: int
    started: float  # monotonic time of the claim: the processing-seconds metric counts from it
    began: str | None = None  # `began_mark`: written when its evaluation starts, removed once it is decided


def began_mark(storage_dir: Path, letter_id: int) -> Path:
    """The file that says the letter's evaluation began, and in which process (its pid, written in it).

    A claimer that died counts an attempt against the letter only when it was evaluating the letter itself
    (`gateway check`, a pass without a pool): a poison letter that kills the process evaluating it must not
    loop forever. A letter merely claimed ahead (queued for the workers), or evaluated in a pool worker — a
    worker's death is caught and reported per letter (`OverBudget`) — did not kill the daemon: a daemon
    SIGKILLed at start-up over and over had set queued letters aside as "interrupted 3 times" (issue 16)."""
    return storage_dir / "evaluating" / str(letter_id)


def mark_began(path: str | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):  # best effort: without it a death counts as before, not less
            Path(path).write_text(str(os.getpid()), encoding="ascii")


def _died_of_it(began: Path, claimed_by: str | None) -> bool:
    """Whether the dead claimer was evaluating the letter in its own process (`began_mark`)."""
    try:
        pid = began.read_text(encoding="ascii").strip()
    except OSError:
        return False
    return pid == (claimed_by or "").rpartition(":")[2]


def _ended(c: Claimed) -> None:
    if c.began is not None:
        with contextlib.suppress(OSError):
            Path(c.began).unlink(missing_ok=True)


def _claimer() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claimer_dead(claimed_by: str | None) -> bool:
    """The claimer was a process on this host that no longer runs (a daemon killed and restarted)."""
    host, _, pid = (claimed_by or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def claim(
    sessions: sessionmaker[Session],
    letter_id: int,
    *,
    storage_dir: Path | None = None,
    lease_seconds: float = 900.0,
    max_attempts: int = MAX_ATTEMPTS,
) -> Claimed | None:
    """Take the letter for evaluation, counting the attempt BEFORE the work starts (issue 16, 17).

    A compare-and-set on RECEIVED with no live lease: two processes (or hosts) on one database never
    evaluate the same letter, and only the claimer commits it. The attempt is counted in the same
    statement, so a worker or daemon that dies while evaluating still counts; a letter whose
    `max_attempts` evaluations all died is set aside for a clerk (`processing_failed`), never looped on.
    Returns None when the letter is not (or no longer) ours to take.
    """
    taken = claim_many(
        sessions, [letter_id], storage_dir=storage_dir, lease_seconds=lease_seconds, max_attempts=max_attempts
    )
    return taken[0] if taken else None


def claim_many(
    sessions: sessionmaker[Session],
    letter_ids: list[int],
    *,
    storage_dir: Path | None = None,
    lease_seconds: float = 900.0,
    max_attempts: int = MAX_ATTEMPTS,
) -> list[Claimed]:
    """`claim` for several letters in one transaction (one fsync'd commit for a batch, issue 16); returns
    the claims won, in the order of `letter_ids`."""
    now = datetime.now(UTC)
    won: list[Claimed] = []
    if storage_dir is not None:
        with contextlib.suppress(OSError):
            (storage_dir / "evaluating").mkdir(parents=True, exist_ok=True)
    with sessions.begin() as s:
        # The rows and their mailbox places read in one query each (issue 16); `_claim_in` finds them in the
        # session's identity map and in `filed`.
        list(s.scalars(select(LetterRow).where(LetterRow.id.in_(letter_ids))))
        filed = _filed_before(s, letter_ids)
        for letter_id in letter_ids:
            c = _claim_in(s, letter_id, now, storage_dir, lease_seconds, max_attempts, letter_id in filed)
            if c is not None:
                won.append(c)
    for c in won:
        _interrupted.discard(c.letter_id)
    return won


def _claim_in(
    s: Session,
    letter_id: int,
    now: datetime,
    storage_dir: Path | None,
    lease_seconds: float,
    max_attempts: int,
    filed: bool,
) -> Claimed | None:
    row = s.get(LetterRow, letter_id)
    if row is None or row.state != LetterState.RECEIVED:
        return None
    lease = aware(row.lease_until) if row.lease_until is not None else None
    # Left by a pass of this process that a database outage interrupted: ours to take again, uncounted.
    own = letter_id in _interrupted and row.claimed_by == _claimer()
    if lease is not None and lease > now and not own and not _claimer_dead(row.claimed_by):
        return None
    # A claim that died (the lease it left is still there) without evaluating the letter in its own
    # process was not the letter's attempt (`began_mark`).
    began = began_mark(storage_dir, letter_id) if storage_dir is not None else None
    not_its = began is not None and lease is not None and row.attempts > 0 and not _died_of_it(began, row.claimed_by)
    counted = row.attempts - 1 if not_its else row.attempts
    if counted >= max_attempts:  # every earlier evaluation died before it could record a failure
        _set_aside(row, row.error or f"the evaluation was interrupted {counted} times (crash or kill)")
        log.error("letter set aside after %d interrupted attempts", counted, extra={"letter_id": letter_id})
        return None
    # A pass of ours that a fault of ours interrupted is not the letter's attempt either (issue 15).
    attempts = row.attempts if own else counted + 1
    if began is not None:
        with contextlib.suppress(OSError):
            began.unlink(missing_ok=True)  # the last claim's mark: this one writes its own
    claimed = rowcount(
        s.execute(
            update(LetterRow)
            .where(
                LetterRow.id == letter_id,
                LetterRow.state == LetterState.RECEIVED,
                LetterRow.attempts == row.attempts,
            )
            .values(
                attempts=attempts,
                lease_until=now + timedelta(seconds=lease_seconds),
                claimed_by=_claimer(),
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    )
    if claimed != 1:
        return None
    return Claimed(
        letter_id=letter_id,
        raw_path=str(raw_file(row, storage_dir)),
        received_at=aware(row.received_at),
        truncated=row.truncated,
        sha256=row.sha256,
        source=Source(row.source),
        filed=filed,
        attempt=attempts,
        started=time.monotonic(),
        began=str(began) if began is not None else None,
    )


def release(sessions: sessionmaker[Session], letter_id: int) -> None:
    """Give a claim back without counting it: the evaluation failed for a fault of ours (issue 15)."""
    with sessions.begin() as s:
        s.execute(
            update(LetterRow)
            .where(LetterRow.id == letter_id, LetterRow.state == LetterState.RECEIVED, LetterRow.attempts > 0)
            .values(attempts=LetterRow.attempts - 1, lease_until=None, claimed_by=None)
        )


def finish(sessions: sessionmaker[Session], stages: Stages, c: Claimed, ev: Evaluation) -> Processed | None:
    """Dispose of a claimed letter's evaluation and commit it (serialised through the database)."""
    (result,) = finish_many(sessions, stages, [(c, ev)])
    if isinstance(result, BaseException):
        raise result
    return result


def finish_many(
    sessions: sessionmaker[Session], stages: Stages, items: list[tuple[Claimed, Evaluation]]
) -> list[Processed | Exception | None]:
    """Dispose of several claimed letters' evaluations and commit them in one transaction, in order, each in
    a savepoint of its own (issue 16: one fsync'd commit for the letters evaluated meanwhile, not one each).

    A letter whose commit fails rolls back alone — its numbers too, so numbers stay gap-free — and its
    exception is returned in its place for the caller to handle; a database that does not answer raises
    (nothing of the batch is committed). Per letter: a `Processed`, None (another process decided it
    first) or the exception."""
    results: list[Processed | Exception | None] = []
    decided: list[tuple[int, Claimed, Disposition, list[EntryRef]]] = []
    ready: list[tuple[int, Claimed, Evaluation]] = []
    for i, (c, ev) in enumerate(items):
        try:
            _store_derived(stages.settings.storage_dir, ev)
        except Exception as exc:
            results.append(exc)
            continue
        results.append(None)
        ready.append((i, c, ev))
    with sessions.begin() as s:
        for i, c, ev in ready:
            try:
                with s.begin_nested():
                    # A recall request is checked against the register in the transaction that records it (R17);
                    # the sender's outbox history too: the letters before it in this batch count (one look-up).
                    history = sender_history(s, ev.reply_to)
                    disposition = dispose(
                        ev,
                        alerts=stages.alerts,
                        source=c.source,
                        recall=match_request(s, ev),
                        filed=c.filed,
                        refused_recently=history.refused,
                    )
                    refs = _commit(s, stages, c.letter_id, c.sha256, ev, disposition, history=history)
                    if refs is not None and disposition.destroy_original:
                        destroy_secret(s, stages.settings.storage_dir, c.letter_id)  # R6
            except Exception as exc:
                if is_database_down(exc):
                    raise
                results[i] = exc
                continue
            if refs is not None:
                decided.append((i, c, disposition, refs))
    for i, c, disposition, refs in decided:
        PROCESSING.observe(time.monotonic() - c.started)
        LETTERS.labels(disposition.outcome.value).inc()
        numbers = tuple(r.number for r in refs)
        log.info(
            "letter decided: %s, numbers %s",
            disposition.outcome.value,
            list(numbers),
            extra={"letter_id": c.letter_id, "sha256": c.sha256, "outcome": disposition.outcome.value},
        )
        results[i] = Processed(c.letter_id, disposition.outcome.value, numbers)
    return results


def _evaluate_here(stages: Stages, c: Claimed) -> Evaluation:
    mark_began(c.began)
    raw = Path(c.raw_path).read_bytes()
    direct = c.source == Source.SMTP
    return evaluate_letter(raw, received_at=c.received_at, stages=stages, truncated=c.truncated, direct=direct)


def _filed_before(s: Session, letter_ids: list[int]) -> set[int]:
    """The letters whose mailbox copies were all filed before (to Quarantine): a new decision has nothing
    to move."""
    places: dict[int, list[str | None]] = {}
    where = MailboxMessageRow.letter_id.in_(letter_ids)
    for letter_id, filed_to in s.execute(select(MailboxMessageRow.letter_id, MailboxMessageRow.filed_to).where(where)):
        places.setdefault(letter_id, []).append(filed_to)
    return {letter_id for letter_id, filed in places.items() if all(f is not None for f in filed)}


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
        filed = letter_id in _filed_before(s, [letter_id])
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
        if refs is not None and disposition.destroy_original:
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


def _set_aside(row: LetterRow, error: str, code: str = "processing_failed") -> None:
    """Quarantine a letter the pipeline could not decide, with the reason for the clerk."""
    row.error = error[:2000]
    row.state = LetterState.QUARANTINED
    row.outcome = Outcome.QUARANTINED.value
    row.lease_until = None
    row.updated_at = datetime.now(UTC)
    message = RESOURCE_LIMIT_MESSAGE if code == "resource_limit" else f"Lỗi xử lý tự động: {row.error}"
    row.verdict = {"outcome": "quarantined", "reasons": [{"code": code, "message": message}]}


RESOURCE_LIMIT_MESSAGE = (
    "Việc kiểm tra thư vượt quá giới hạn bộ nhớ hoặc thời gian cho phép đối với một thư; thư được chuyển "
    "văn thư kiểm tra."
)


def _give_up(
    sessions: sessionmaker[Session], letter_id: int, exc: BaseException, *, max_attempts: int = MAX_ATTEMPTS
) -> None:
    """Record a processing failure (the attempt was counted by `claim`); after `max_attempts` the letter goes
    to quarantine with the reason, before that its claim is released for the next pass."""
    with sessions.begin() as s:
        row = s.get(LetterRow, letter_id)
        if row is None or row.state != LetterState.RECEIVED:
            return
        row.error = f"{type(exc).__name__}: {exc}"[:2000]
        row.updated_at = datetime.now(UTC)
        row.lease_until = None
        if row.attempts >= max_attempts:
            _set_aside(row, row.error)


def over_budget(sessions: sessionmaker[Session], letter_id: int, what: str) -> None:
    """The letter's evaluation went over its memory or time budget: quarantined at once (issue 17)."""
    with sessions.begin() as s:
        row = s.get(LetterRow, letter_id)
        if row is None or row.state != LetterState.RECEIVED:
            return
        _set_aside(row, f"resource limit: {what}", code="resource_limit")
    log.error("letter %d quarantined: resource limit (%s)", letter_id, what)


def pending_count(sessions: sessionmaker[Session]) -> int:
    """How many letters wait to be evaluated."""
    with sessions() as s:
        return s.scalar(select(func.count(LetterRow.id)).where(LetterRow.state == LetterState.RECEIVED)) or 0


COMMIT_BATCH = 8  # evaluated letters committed together at most (one transaction, a savepoint each)
ARRIVALS_WAIT = 0.5  # seconds: nothing to process while a fetch goes on: look again after this at the latest


def process_pending(
    sessions: sessionmaker[Session],
    stages: Stages,
    *,
    limit: int = 500,
    pool: EvaluationPool | None = None,
    arriving: Arrivals | None = None,
    committed: Callable[[], None] | None = None,
) -> list[Processed]:
    """Process every RECEIVED letter, oldest first. One letter's failure never stops the others.

    With a `pool`, letters are claimed a few ahead (a batch per transaction) and evaluated in its worker
    processes in parallel; their commits (numbers, register, replies) are made here in the order of the
    letters, those whose evaluations are ready together in one transaction (`finish_many`). Without one,
    each letter is evaluated in this process.

    `arriving`: a fetch going on in another thread; the letters it admits are processed as they come, and
    the pass ends when it is over and they are done (issue 16). `committed` is called after each commit.
    """
    settings = pool.processing if pool is not None else processing_settings(stages.settings.section("processing"))
    pending: deque[int] = deque()
    seen = 0  # the highest letter id read into `pending`

    def more() -> bool:
        """The next `limit` pending letters after those read: a backlog larger than `limit`, or letters
        spooled meanwhile, are processed in this pass too (`run --once` left 500 of 2,000 behind)."""
        nonlocal seen
        if arriving is not None:
            arriving.take()  # before the look-up: a batch admitted after it is looked for again
        with sessions() as s:
            ids = list(
                s.scalars(
                    select(LetterRow.id)
                    .where(LetterRow.state == LetterState.RECEIVED, LetterRow.id > seen)
                    .order_by(LetterRow.id)
                    .limit(limit)
                )
            )
        pending.extend(ids)
        seen = ids[-1] if ids else seen
        return bool(ids)

    more()
    window: deque[tuple[Claimed, Future | None]] = deque()
    # Claimed ahead: up to `high`, topped up (in one transaction) when the window falls to `low`.
    high, low = (4 * pool.size, 2 * pool.size) if pool is not None else (1, 0)

    def fill() -> None:
        if len(window) > low:
            return
        while len(window) < high and (pending or more()):
            batch: list[int] = []
            while pending and len(window) + len(batch) < high:
                letter_id = pending.popleft()
                if time.monotonic() < _held.get(letter_id, (0.0, 0))[0]:
                    continue  # held back by a fault of ours; the others go on
                batch.append(letter_id)
            if not batch:
                return
            for c in claim_many(
                sessions,
                batch,
                storage_dir=stages.settings.storage_dir,
                lease_seconds=settings.lease,
                max_attempts=settings.max_attempts,
            ):
                direct = c.source == Source.SMTP
                future = pool.submit(c.raw_path, c.received_at, c.truncated, direct, began=c.began) if pool else None
                window.append((c, future))

    def evaluated(c: Claimed, future: Future | None) -> Evaluation | None:
        """The letter's evaluation, or None when it failed (recorded here)."""
        try:
            if future is None or pool is None:
                return _evaluate_here(stages, c)
            return pool.result(future)
        except OverBudget as exc:
            over_budget(sessions, c.letter_id, str(exc))
        except MemoryError as exc:  # in-process evaluation only: the pool reports OverBudget
            over_budget(sessions, c.letter_id, f"MemoryError: {exc}")
        except Exception as exc:
            failed(c, exc, [])
        return None

    def failed(c: Claimed, exc: Exception, others: list[Claimed]) -> None:
        if is_database_down(exc):
            # Nothing can be committed: the daemon logs the outage once and backs off. The claims of this
            # pass are taken again, uncounted, when the database is back (issue 15).
            _interrupted.update([c.letter_id, *(o.letter_id for o in others), *(w.letter_id for w, _ in window)])
            raise exc
        if is_infrastructure(exc):
            # Our fault, not the letter's (disk full, original missing): never an attempt toward the
            # quarantine (issue 15); this letter alone waits.
            release(sessions, c.letter_id)
            failures = _held.get(c.letter_id, (0.0, 0))[1]
            delay = min(HOLD_BASE_SECONDS * 2**failures, HOLD_CAP_SECONDS)
            _held[c.letter_id] = (time.monotonic() + delay, failures + 1)
            log.warning(
                "letter held back %.0f s, not its fault: %s", delay, first_line(exc), extra={"letter_id": c.letter_id}
            )
            return
        log.error("letter could not be processed", exc_info=exc, extra={"letter_id": c.letter_id})
        _give_up(sessions, c.letter_id, exc, max_attempts=settings.max_attempts)

    done: list[Processed] = []
    while True:
        if not window:
            fill()
        if not window:
            if arriving is None or arriving.finished():
                break
            arriving.wait(ARRIVALS_WAIT)
            continue
        taken: list[Claimed] = []
        group: list[tuple[Claimed, Evaluation]] = []
        try:
            # The next letter in order, and those behind it whose evaluations are ready already.
            while window and len(group) < COMMIT_BATCH:
                c, future = window[0]
                if taken and (future is None or not future.done()):
                    break
                window.popleft()
                taken.append(c)
                if future is not None:
                    fill()  # keep the workers busy while this one is awaited and committed
                ev = evaluated(c, future)
                if ev is not None:
                    group.append((c, ev))
            if not group:
                continue
            try:
                results = finish_many(sessions, stages, group)
            except Exception as exc:
                for c, _ in group:  # only a database down is expected here: the first call raises
                    failed(c, exc, [other for other, _ in group])
                continue
            for (c, _), result in zip(group, results, strict=True):
                if isinstance(result, Exception):
                    failed(c, result, [])
                    continue
                _held.pop(c.letter_id, None)
                if result is not None:
                    done.append(result)
            if committed is not None:
                committed()
        except Exception as exc:
            if is_database_down(exc):  # the claims taken in this pass are ours to take again, uncounted
                _interrupted.update([*(c.letter_id for c in taken), *(w.letter_id for w, _ in window)])
            raise
        finally:
            for c in taken:
                _ended(c)
            fill()
    return done
