"""Recall and replacement of a registered document (R17; TTg Đ8.2, Đ9.2): the register's side.

1. A letter asks to recall (`thu hồi`) or replace (`thay thế`) a document (`gateway.reading.recall`).
   `match_request` checks it against the register: the document must be registered here, sent by the
   same agency (the directory entry of the request's sender is the entry's sender), and the request's
   origin must be proven — DKIM passing for the agency's registry mailbox, or a document in the letter
   carrying the agency's valid signature. Otherwise it is refused with the reason.
2. `record_request` (in the letter's transaction) keeps the request; a matched one puts the entry into
   *đề nghị thu hồi* and waits for the clerk.
3. The clerk decides — `confirm` or `decline`, plain functions the CLI (and the web workplace) call in
   one transaction: confirming marks the entry *thu hồi* with the reason, hands a revocation package
   (BussinessDocType 1) or, for a replacement, the new document as a replacement package (type 3,
   linking the new entry to the old) to every DMS the document went to, and answers the sender.
   Declining restores the entry's status, sends a replacement's held documents on as new ones, and tells
   the sender why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.authenticity import dkim_aligned
from gateway.directory import address_of
from gateway.disposition import KINDS, Disposition, RecallMatch
from gateway.models import Agency, LegalValue, Reason, Status
from gateway.outbox import enqueue
from gateway.register.db import rowcount
from gateway.register.handoff import enqueue_handoffs
from gateway.register.schema import (
    DmsHandoffRow,
    EntryHistoryRow,
    LetterRow,
    RecallRequestRow,
    RegisterEntryRow,
)
from gateway.register.statuses import notice_context
from gateway.replies import compose, message_id_for, our_domain
from gateway.vntext import fold

if TYPE_CHECKING:
    from gateway.pipeline import Evaluation
    from gateway.register.dms import DmsRuntime

WORD = {"recall": "thu hồi", "replace": "thay thế"}


def _same_notation(a: str | None, b: str | None) -> bool:
    return bool(a and b) and fold("".join(a.split())) == fold("".join(b.split()))  # type: ignore[union-attr]


def _entry_agency_matches(entry: RegisterEntryRow, agency: Agency) -> bool:
    if entry.sender_agency_code and agency.code:
        return entry.sender_agency_code == agency.code
    sender = address_of(entry.sender_address)
    return sender is not None and (sender in agency.mailboxes or sender.rsplit("@", 1)[1] in agency.domains)


def origin_proven(ev: Evaluation) -> bool:
    """The request surely comes from its agency: DKIM passing and aligned for one of its registry mailboxes,
    or a document of the letter with the legal value of paper (a valid signature of the issuer, R4)."""
    letter = ev.verdict.letter
    if letter is None or letter.sender_agency is None or ev.sender_forged:
        return False
    addr = address_of(letter.from_)
    by_mailbox = (
        addr is not None
        and addr in letter.sender_agency.mailboxes
        and letter.authenticity.dkim == "pass"
        and dkim_aligned(letter.authenticity.dkim_domain, addr)
    )
    signed = any(d.legal_value == LegalValue.EQUIVALENT_TO_PAPER for d in ev.verdict.documents)
    return by_mailbox or signed


def match_request(s: Session, ev: Evaluation) -> RecallMatch | None:
    """What the register says of the letter's recall request; None when it makes none."""
    req = ev.recall
    if req is None:
        return None
    word = WORD[req.kind]
    when = f" ngày {req.date:%d/%m/%Y}" if req.date else ""
    number = req.notation.split("/", 1)[0]  # digits: the same however the notation is spaced or cased
    numbered = select(RegisterEntryRow).where(
        RegisterEntryRow.number.is_not(None), RegisterEntryRow.notation.like(f"{number}/%")
    )
    candidates = [
        e
        for e in s.scalars(numbered)
        if _same_notation(e.notation, req.notation) and (req.date is None or e.document_date == req.date)
    ]
    if not candidates:
        return RecallMatch(
            None,
            Reason(
                "recall_unknown_document",
                f"Không tìm thấy văn bản số {req.notation}{when} trong sổ văn bản đến nên không thể {word}. "
                "Đề nghị kiểm tra lại số, ký hiệu và ngày của văn bản.",
            ),
        )
    agency = ev.verdict.letter.sender_agency if ev.verdict.letter else None
    own = [e for e in candidates if agency is not None and _entry_agency_matches(e, agency)]
    if not own:
        return RecallMatch(
            None,
            Reason(
                "recall_other_agency",
                f"Căn cứ Điều 8 Quyết định số 28/2018/QĐ-TTg, chỉ cơ quan đã gửi văn bản mới được đề nghị {word}; "
                f"văn bản số {req.notation}{when} không do Quý cơ quan gửi đến.",
            ),
        )
    if not origin_proven(ev):
        return RecallMatch(
            None,
            Reason(
                "recall_origin_unproven",
                "Không xác thực được nguồn gửi của đề nghị (thư không được gửi từ hộp thư văn thư đã đăng ký với "
                "chữ ký DKIM hợp lệ, và không kèm văn bản có chữ ký số của cơ quan). Đề nghị gửi lại từ hộp thư "
                "văn thư của cơ quan hoặc kèm văn bản đề nghị đã ký số.",
            ),
        )
    entry = own[-1]
    if entry.status == Status.RECALLED:
        return RecallMatch(
            None, Reason("recall_already_done", f"Văn bản số {req.notation}{when} đã được {word} trước đó.")
        )
    if entry.status == Status.RECALL_REQUESTED:
        return RecallMatch(
            None,
            Reason("recall_pending", f"Đã có đề nghị {word} văn bản số {req.notation}{when} đang chờ văn thư xử lý."),
        )
    return RecallMatch(entry.id)


def record_request(
    s: Session, letter_id: int, disposition: Disposition, new_entry_ids: list[int], sender: str | None
) -> RecallRequestRow | None:
    """Keep the letter's request (caller's transaction); a matched one waits for the clerk (R17)."""
    plan = disposition.recall
    if plan is None:
        return None
    now = datetime.now(UTC)
    req = plan.request
    row = RecallRequestRow(
        letter_id=letter_id,
        kind=req.kind,
        notation=req.notation,
        document_date=req.date,
        reason=req.reason,
        entry_id=plan.entry_id,
        replacement_entry_id=new_entry_ids[0] if req.kind == "replace" and new_entry_ids else None,
        state="refused" if plan.refusal else "pending",
        refusal=plan.refusal.message if plan.refusal else None,
        created_at=now,
    )
    s.add(row)
    if plan.entry_id is not None and plan.refusal is None:
        entry = s.get_one(RegisterEntryRow, plan.entry_id)
        entry.status = Status.RECALL_REQUESTED
        note = f"đề nghị {WORD[req.kind]} của {sender or 'nơi gửi'}"
        if req.reason:
            note += f"; lý do: {req.reason}"
        s.add(EntryHistoryRow(entry_id=entry.id, status=entry.status, at=now, actor="gateway", note=note))
    return row


class RecallError(ValueError):
    """The clerk's decision cannot be applied (no such request, already decided)."""


@dataclass(frozen=True)
class Decided:
    request: RecallRequestRow
    handoffs: int  # revocation or replacement packages queued for the DMS
    answered: bool  # a message to the sender was queued


def _pending(s: Session, request_id: int) -> RecallRequestRow:
    row = s.get(RecallRequestRow, request_id)
    if row is None:
        raise RecallError(f"no recall request {request_id}")
    if row.state != "pending":
        raise RecallError(f"recall request {request_id} is {row.state}, not pending")
    claimed = rowcount(
        s.execute(
            update(RecallRequestRow)
            .where(RecallRequestRow.id == request_id, RecallRequestRow.state == "pending")
            .values(state="deciding")
        )
    )
    if claimed != 1:
        raise RecallError(f"recall request {request_id} was decided meanwhile")
    s.refresh(row)
    return row


def _answer(s: Session, rt: DmsRuntime, request: RecallRequestRow, kind: str, extra: dict) -> bool:
    letter = s.get_one(LetterRow, request.letter_id)
    reply = ((letter.verdict or {}).get("disposition") or {}).get("reply") or {}
    to = reply.get("to")
    if not to or request.entry_id is None:
        return False
    entry = s.get_one(RegisterEntryRow, request.entry_id)
    context = notice_context(rt, entry, letter, {"request": request, "word": WORD[request.kind], **extra})
    message = compose(
        rt.templates,
        rt.outgoing,
        KINDS[kind],
        context,
        to=[to],
        message_id=message_id_for(letter.sha256, kind, our_domain(rt.outgoing)),
        in_reply_to=letter.message_id,
    )
    enqueue(s, letter_id=letter.id, kind=kind, message=message, recipients=[to])
    return True


def _handed_to(s: Session, entry_id: int) -> dict[str, DmsHandoffRow]:
    rows = s.scalars(select(DmsHandoffRow).where(DmsHandoffRow.entry_id == entry_id, DmsHandoffRow.kind == "edoc"))
    return {r.destination: r for r in rows}


def confirm(s: Session, rt: DmsRuntime, request_id: int, *, actor: str, note: str | None = None) -> Decided:
    """The clerk confirms a pending request (caller's transaction): the entry is recalled, the DMS told,
    the sender answered."""
    request = _pending(s, request_id)
    now = datetime.now(UTC)
    entry = s.get_one(RegisterEntryRow, request.entry_id)
    reason = request.reason or note or f"theo đề nghị {WORD[request.kind]} của nơi gửi"
    replacement = s.get(RegisterEntryRow, request.replacement_entry_id) if request.replacement_entry_id else None
    history_note = f"{WORD[request.kind]}: {reason}"
    if replacement is not None:
        history_note += f"; thay bằng số đến {replacement.number}/{replacement.year}"
        replacement.replaces_entry_id = entry.id
        s.add(
            EntryHistoryRow(
                entry_id=replacement.id,
                status=replacement.status,
                at=now,
                actor=actor,
                note=f"thay thế văn bản số đến {entry.number}/{entry.year} ({entry.notation or entry.filename})",
            )
        )
    entry.status = Status.RECALLED
    s.add(EntryHistoryRow(entry_id=entry.id, status=Status.RECALLED, at=now, actor=actor, note=history_note))
    queued = 0
    for destination, edoc in _handed_to(s, entry.id).items():
        if edoc.state == "pending":  # never left: nothing to revoke there
            edoc.state, edoc.last_error = "cancelled", f"{WORD[request.kind]} before hand-off"
            if replacement is None:
                continue
        if replacement is not None:
            queued += enqueue_handoffs(
                s, [replacement.id], [destination], kind="replacement", reason=reason, related_entry_id=entry.id
            )
        else:
            queued += enqueue_handoffs(s, [entry.id], [destination], kind="revocation", reason=reason)
    if replacement is not None:  # destinations the old document never reached get the new one as new
        reached = set(_handed_to(s, entry.id))
        queued += enqueue_handoffs(s, [replacement.id], [d for d in rt.settings.destinations if d not in reached])
    request.state, request.decided_by, request.decided_at = "confirmed", actor, now
    extra = {"replacement": replacement, "reason": reason}
    return Decided(request, queued, _answer(s, rt, request, "recall_done", extra))


def decline(s: Session, rt: DmsRuntime, request_id: int, *, actor: str, reason: str) -> Decided:
    """The clerk declines a pending request, with the reason the sender is told."""
    request = _pending(s, request_id)
    now = datetime.now(UTC)
    entry = s.get_one(RegisterEntryRow, request.entry_id)
    history = s.scalars(
        select(EntryHistoryRow).where(EntryHistoryRow.entry_id == entry.id).order_by(EntryHistoryRow.id)
    )
    before = [h.status for h in history if h.status != Status.RECALL_REQUESTED]
    entry.status = before[-1] if before else Status.ACCEPTED
    note = f"không {WORD[request.kind]}: {reason}"
    s.add(EntryHistoryRow(entry_id=entry.id, status=entry.status, at=now, actor=actor, note=note))
    queued = 0
    if request.replacement_entry_id is not None:  # the held new document goes on as a new one
        queued = enqueue_handoffs(s, [request.replacement_entry_id], rt.settings.destinations)
    request.state, request.refusal, request.decided_by, request.decided_at = "declined", reason, actor, now
    return Decided(request, queued, _answer(s, rt, request, "recall_declined", {"reason": reason}))


def request_dict(row: RecallRequestRow, entry: RegisterEntryRow | None) -> dict:
    return {
        "id": row.id,
        "kind": row.kind,
        "state": row.state,
        "notation": row.notation,
        "document_date": row.document_date.isoformat() if row.document_date else None,
        "reason": row.reason,
        "refusal": row.refusal,
        "entry": f"{entry.number}/{entry.year}" if entry is not None else None,
        "letter_id": row.letter_id,
        "replacement_entry_id": row.replacement_entry_id,
        "decided_by": row.decided_by,
    }
