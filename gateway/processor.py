"""Processing spooled letters: evaluate, then register, queue the reply and set the state in one transaction.

A letter in state RECEIVED is read from the spool, evaluated by `gateway.pipeline`, and then — in a single
transaction — its register entries, its outbox rows and its new state are committed together. A crash
before that commit leaves it RECEIVED (a restart redoes it); after, everything is there. Two processes
racing on one letter cannot both record it: the state change is a compare-and-set on RECEIVED.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway import office_calendar
from gateway.intake.spool import read_raw
from gateway.letter import reply_address
from gateway.models import Delivery, Outcome, Reason, verdict_to_dict
from gateway.outbox import enqueue, recent_replies_to
from gateway.pipeline import Evaluation, Stages, evaluate_letter, highest_urgency
from gateway.register.schema import LetterRow, LetterState
from gateway.register.sql import EntryRef, record
from gateway.replies import build_message, render, reply_message_id
from gateway.urgency import name_vi
from gateway.wording import signature_summary

log = logging.getLogger("gateway.processor")
MAX_ATTEMPTS = 3  # a letter that breaks the pipeline this often is quarantined for a clerk


@dataclass(frozen=True)
class Processed:
    letter_id: int
    outcome: str
    numbers: tuple[int | None, ...]


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _state_for(outcome: Outcome, *, in_mailbox: bool) -> str:
    """The letter's state once decided; an accepted letter with no mailbox copy to move is FILED at once."""
    return {
        Outcome.ACCEPTED: LetterState.REPLIED if in_mailbox else LetterState.FILED,
        Outcome.REFUSED: LetterState.REFUSED,
        Outcome.QUARANTINED: LetterState.QUARANTINED,
    }[outcome]


def _reply_context(stages: Stages, ev: Evaluation, refs: list[EntryRef]) -> dict:
    v = ev.verdict
    by_index = {r.doc_index: r for r in refs}
    entries = []
    for i, d in enumerate(v.documents):
        ref = by_index.get(i)
        decision = d.decision
        entries.append(
            {
                "number": ref.number if ref else None,
                "duplicate_of": ref.duplicate_of if ref else None,
                "filename": d.filename,
                "pages": d.pages,
                "notation": d.metadata.number,
                "subject": d.metadata.subject,
                "signature_summary": signature_summary(d.signatures),
                "explanation": decision.explanation if decision else None,
                "basis": decision.basis if decision else None,
                "paper_awaited": bool(decision and decision.delivery in (Delivery.PAPER_ALSO, Delivery.PAPER_ONLY)),
                "editable": d.editable,
                "reasons": d.reasons,
            }
        )
    letter = v.letter
    return {
        "agency": stages.settings.agency,
        "letter": {
            "subject": letter.subject if letter else None,
            "message_id": letter.message_id if letter else None,
            "from": letter.from_ if letter else None,
        },
        "sender_name": (letter.sender_agency.name if letter and letter.sender_agency else None)
        or (ev.letter.from_name if ev.letter else None),
        "reception": v.reception,
        "entries": entries,
        "documents": entries,
        "first": entries[0] if entries else {"notation": None},
        "total_pages": sum(d.pages or 0 for d in v.documents),
        "reasons": list(v.reasons),
        "urgency_label": name_vi(highest_urgency(v.documents)),
    }


def _domain(address: str) -> str:
    return address.rpartition("@")[2] or "localhost"


def _queue_replies(
    s: Session, stages: Stages, letter_id: int, sha: str, ev: Evaluation, refs: list[EntryRef], *, urgent: bool
) -> list[Reason]:
    """Queue the reply (and an urgent alert) in the caller's transaction; return notes for the record."""
    notes: list[Reason] = []
    settings = stages.settings
    out = settings.outgoing
    env = stages.templates
    ctx = _reply_context(stages, ev, refs)
    v = ev.verdict
    kind = {
        Outcome.ACCEPTED: "acknowledgement",
        Outcome.REFUSED: "refusal",
        Outcome.QUARANTINED: "quarantine",
    }[v.outcome]
    to = reply_address(ev.letter) if ev.letter else None
    forged = any(r.code == "sender_forged" for r in v.reasons)
    if ev.reply_suppressed:
        notes.append(Reason("reply_suppressed", ev.reply_suppressed))
    elif to is None:
        notes.append(Reason("reply_no_address", "no Return-Path to answer"))
    elif forged:
        notes.append(Reason("reply_withheld", "sender looks forged: no reply to the claimed address"))
    elif recent_replies_to(s, to, datetime.now(UTC) - timedelta(hours=1)) >= out.rate_limit_per_hour:
        notes.append(Reason("reply_rate_limited", f"more than {out.rate_limit_per_hour} replies to {to} this hour"))
    else:
        msg = build_message(
            render(env, kind, ctx),
            from_address=out.from_address,
            from_name=out.from_name,
            to=to,
            message_id=reply_message_id(sha, kind, _domain(out.from_address)),
            in_reply_to=ev.letter.message_id,
            references=ev.letter.references,
        )
        enqueue(s, letter_id=letter_id, kind=kind, message=msg, recipients=[to])
    alerts = stages.alerts
    if urgent and alerts.on_duty:  # R14: told at once, weekends and holidays included
        msg = build_message(
            render(env, "urgent_alert", ctx),
            from_address=out.from_address,
            from_name=out.from_name,
            to=", ".join(alerts.on_duty),
            message_id=reply_message_id(sha, "urgent", _domain(out.from_address)),
            in_reply_to=None,
            auto_reply=False,
        )
        enqueue(s, letter_id=letter_id, kind="urgent_alert", message=msg, recipients=list(alerts.on_duty))
    return notes


def _store_derived(storage_dir: Path, ev: Evaluation) -> None:
    """Extracted and OCR text beside the originals, never in them (R20)."""
    for sha, text in ev.derived_texts.items():
        folder = storage_dir / "derived" / sha[:2]
        folder.mkdir(parents=True, exist_ok=True)
        body = f"source: {text.source}\n--- first page ---\n{text.first_page}\n--- last page ---\n{text.last_page}\n"
        (folder / f"{sha}.txt").write_text(body, encoding="utf-8")


def process_letter(sessions: sessionmaker[Session], stages: Stages, letter_id: int) -> Processed | None:
    """Process one RECEIVED letter. Returns None when another process got there first."""
    with sessions() as s:
        row = s.get(LetterRow, letter_id)
        if row is None or row.state != LetterState.RECEIVED:
            return None
        raw = read_raw(row)
        received_at, truncated, sha = _aware(row.received_at), row.truncated, row.sha256
        in_mailbox = row.source == "imap"
    ev = evaluate_letter(raw, received_at=received_at, stages=stages, truncated=truncated)
    _store_derived(stages.settings.storage_dir, ev)
    v = ev.verdict
    year = office_calendar.numbering_year(v.reception)
    urgent = (
        office_calendar.needs_urgent_alert(v.reception, highest_urgency(v.documents)) and v.outcome == Outcome.ACCEPTED
    )
    with sessions.begin() as s:
        claimed = s.execute(
            update(LetterRow)
            .where(LetterRow.id == letter_id, LetterRow.state == LetterState.RECEIVED)
            .values(state=_state_for(v.outcome, in_mailbox=in_mailbox), updated_at=datetime.now(UTC))
        ).rowcount
        if claimed != 1:
            return None
        verdict_json = verdict_to_dict(v)
        sender_name = v.letter.sender_agency.name if v.letter and v.letter.sender_agency else None
        refs = record(
            s,
            letter_id=letter_id,
            verdict=v,
            verdict_json=verdict_json,
            year=year,
            agency_code=stages.settings.agency.code,
            sender_name=sender_name or (ev.letter.from_name if ev.letter else None),
            urgent_alert=urgent,
        )
        notes = _queue_replies(s, stages, letter_id, sha, ev, refs, urgent=urgent)
        verdict_json["processing_notes"] = [{"code": n.code, "message": n.message} for n in notes]
        row = s.get(LetterRow, letter_id)
        row.outcome = v.outcome.value
        row.verdict = verdict_json
        row.message_id = v.letter.message_id if v.letter else None
        row.from_address = v.letter.from_ if v.letter else None
        row.subject = v.letter.subject if v.letter else None
    log.info("letter %d %s: %s, numbers %s", letter_id, sha[:12], v.outcome.value, [r.number for r in refs])
    return Processed(letter_id, v.outcome.value, tuple(r.number for r in refs))


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
        try:
            result = process_letter(sessions, stages, letter_id)
        except Exception as exc:
            log.exception("letter %d could not be processed", letter_id)
            _give_up(sessions, letter_id, exc)
            continue
        if result is not None:
            done.append(result)
    return done
