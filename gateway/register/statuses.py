"""Status packages from the DMS (R15, R16; TTg Đ9.2): the register's history, and a notice to the sender.

Each status package polled from a DMS is applied once (unique per destination and package bytes, in one
transaction with its history row and notice), then marked handled on the DMS (`update_status`). The
document it answers is found by the DocumentId we handed over, else by number, notation and date.

Codes and their effect on the entry's status (never backwards, except a refusal or a recall):
01 đã đến → đã chuyển xử lý; 02 từ chối tiếp nhận → từ chối nhận; 03 đã tiếp nhận (with the DMS's own
số đến when it gives one); 04 → đã phân công; 05 → đang xử lý; 06 → đã hoàn thành; 13, 15 → thu hồi;
16 (the DMS refuses a recall) only in the history. For the codes in `[dms] notify_statuses` the e-mail
sender gets the template `dms_status_<code>` (RFC 3834, the same per-sender rate limit as replies), once
per document and code.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import make_msgid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.disposition import KINDS
from gateway.echo import FILENAME_CHARS, NAME_CHARS, NOTATION_CHARS, SUBJECT_CHARS, TEXT_CHARS, echo
from gateway.edxml import STATUS_NAMES, ReadStatus, read_package
from gateway.edxml.model import ResponseFor, StatusPackage
from gateway.edxml.read import PackageError
from gateway.models import Status
from gateway.outbox import enqueue, rate_limited
from gateway.register.backend import DmsUnavailable
from gateway.register.dms import DmsRuntime
from gateway.register.handoff import mark_down, mark_up
from gateway.register.schema import DmsHandoffRow, DmsStatusRow, EntryHistoryRow, LetterRow, RegisterEntryRow
from gateway.replies import compose, our_domain
from gateway.vntime import aware

log = logging.getLogger("gateway.dms")

EFFECT: dict[str, Status | None] = {
    "01": Status.FORWARDED,
    "02": Status.REFUSED,
    "03": Status.ACCEPTED,
    "04": Status.ASSIGNED,
    "05": Status.IN_PROGRESS,
    "06": Status.DONE,
    "13": Status.RECALLED,
    "15": Status.RECALLED,
    "16": None,
}
# The forward path of an entry's status; a refusal or a recall may replace any of them.
_ORDER = (Status.ARRIVED, Status.FORWARDED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.DONE)
_FINAL = (Status.REFUSED, Status.RECALLED)


def advance(current: str, new: Status | None) -> str:
    """The entry's status after a DMS status: forward only, a refusal or recall at any time."""
    if new is None or current in _FINAL:
        return current
    if new in _FINAL or current not in _ORDER:
        return new
    return new if _ORDER.index(new) > _ORDER.index(Status(current)) else current


_ARRIVAL = re.compile(r"số\s+đến\D{0,20}(\d{1,10})", re.IGNORECASE)


def dms_number(status: StatusPackage) -> str | None:
    """The DMS's own incoming number: `ArrivalNumber`, else "số đến: N" in the description."""
    if status.arrival_number:
        return status.arrival_number
    m = _ARRIVAL.search(status.description or "")
    return m.group(1) if m else None


@dataclass(frozen=True)
class Applied:
    handled: bool  # False: tell the DMS it could not be used (unknown document, not a status package)
    note: str | None = None
    entry_id: int | None = None
    notice: str | None = None  # the reply kind queued for the sender


def find_entry(s: Session, destination: str, rf: ResponseFor) -> RegisterEntryRow | None:
    """The entry a status answers: by the DocumentId we handed over, else by notation and date."""
    if rf.document_id:
        entry_id = s.scalar(
            select(DmsHandoffRow.entry_id)
            .where(DmsHandoffRow.document_id == rf.document_id, DmsHandoffRow.destination == destination)
            .limit(1)
        )
        if entry_id is not None:
            return s.get(RegisterEntryRow, entry_id)
    notation, when = rf.code, rf.promulgation_date
    if rf.document_id and rf.document_id.count(",") >= 2:
        _organ, day, code = rf.document_id.split(",", 2)
        notation = notation or code
        try:
            when = when or datetime.strptime(day, "%Y/%m/%d").date()
        except ValueError:
            pass
    if not notation:
        return None
    q = select(RegisterEntryRow).where(RegisterEntryRow.notation == notation, RegisterEntryRow.number.is_not(None))
    if when is not None:
        q = q.where(RegisterEntryRow.document_date == when)
    found = list(s.scalars(q.limit(2)))
    return found[0] if len(found) == 1 else None


def _reply_address(letter: LetterRow) -> str | None:
    """Where the letter's own reply went (its Return-Path), or None if it was withheld (RFC 3834)."""
    reply = ((letter.verdict or {}).get("disposition") or {}).get("reply") or {}
    return reply.get("to")


def notice_context(rt: DmsRuntime, entry: RegisterEntryRow, letter: LetterRow, extra: dict[str, Any]) -> dict:
    """What a notice about an entry sees; the sender's own text echoed short and without links (issue 17)."""
    return {
        "agency": rt.agency,
        "sender_name": echo(entry.sender_name, NAME_CHARS) or letter.from_address,
        "letter": {
            "subject": echo(letter.subject, SUBJECT_CHARS),
            "message_id": echo(letter.message_id, NAME_CHARS),
            "from": letter.from_address,
        },
        "entry": {
            "number": entry.number,
            "year": entry.year,
            "notation": echo(entry.notation, NOTATION_CHARS),
            "subject": echo(entry.subject, TEXT_CHARS),
            "filename": echo(entry.filename, FILENAME_CHARS),
            "document_date": entry.document_date,
            "dms_number": entry.dms_number,
        },
        **extra,
    }


def _notify(s: Session, rt: DmsRuntime, entry: RegisterEntryRow, status: StatusPackage) -> str | None:
    code = status.status_code
    kind = KINDS.get(f"dms_status_{code}")
    if kind is None or code not in rt.settings.notify_statuses:
        return None
    told = s.scalar(
        select(DmsStatusRow.id).where(
            DmsStatusRow.entry_id == entry.id, DmsStatusRow.status_code == code, DmsStatusRow.notice.is_not(None)
        )
    )
    letter = s.get_one(LetterRow, entry.letter_id)
    to = _reply_address(letter)
    if told is not None or to is None or rate_limited(s, rt.outgoing, to):
        return None
    extra = {
        "status": {
            "code": code,
            "name": STATUS_NAMES.get(code, code),
            "description": status.description,
            "at": status.timestamp or datetime.now(UTC),
        }
    }
    message = compose(
        rt.templates,
        rt.outgoing,
        kind,
        notice_context(rt, entry, letter, extra),
        to=[to],
        message_id=make_msgid(idstring=f"dms{code}", domain=our_domain(rt.outgoing)),
        in_reply_to=letter.message_id,
    )
    enqueue(s, letter_id=None, kind=kind.name, message=message, recipients=[to])
    return kind.name


def apply_status_package(s: Session, rt: DmsRuntime, destination: str, data: bytes) -> Applied:
    """Apply one status package in the caller's transaction (once: a package seen before is skipped)."""
    sha = hashlib.sha256(data).hexdigest()
    seen = s.scalar(
        select(DmsStatusRow).where(DmsStatusRow.destination == destination, DmsStatusRow.package_sha256 == sha)
    )
    if seen is not None:
        return Applied(seen.entry_id is not None, "already applied", seen.entry_id, seen.notice)
    now = datetime.now(UTC)
    row = DmsStatusRow(destination=destination, package_sha256=sha, status_code="", received_at=now, problems=[])
    s.add(row)
    try:
        read = read_package(data)
    except PackageError as exc:
        row.problems = [str(exc)]
        return Applied(False, str(exc))
    if not isinstance(read, ReadStatus):
        row.problems = ["a document package where a status package was expected"]
        return Applied(False, row.problems[0])
    st = read.status
    row.status_code, row.description, row.document_id = st.status_code, st.description, st.response_for.document_id
    row.at = st.timestamp
    problems = list(read.problems)
    entry = find_entry(s, destination, st.response_for)
    if entry is None or st.status_code not in STATUS_NAMES:
        problems.append("unknown document" if entry is None else f"unknown status code {st.status_code!r}")
        row.problems = problems
        return Applied(False, "; ".join(problems))
    row.entry_id = entry.id
    row.problems = problems
    code = st.status_code
    note = f"[{code}] {STATUS_NAMES[code]}"
    if st.description:
        note += f": {st.description}"
    if code == "03" and (number := dms_number(st)):
        entry.dms_number = number
        note += f" (số đến tại hệ thống QLVB: {number})"
    entry.status = advance(entry.status, EFFECT[code])
    at = aware(st.timestamp) if st.timestamp else now
    s.add(EntryHistoryRow(entry_id=entry.id, status=entry.status, at=at, actor=f"dms:{destination}", note=note))
    s.flush()
    row.notice = _notify(s, rt, entry, st)
    return Applied(True, None, entry.id, row.notice)


@dataclass(frozen=True)
class PollReport:
    applied: int
    refused: int


def poll_statuses(sessions: sessionmaker[Session], rt: DmsRuntime) -> PollReport:
    """Fetch and apply every waiting status package of every DMS. Never raises on DMS trouble."""
    applied = refused = 0
    for name, backend in rt.backends.items():
        try:
            incoming = backend.poll_statuses()
        except DmsUnavailable as exc:
            mark_down(sessions, rt, name, str(exc))
            continue
        with sessions.begin() as s:
            mark_up(s, rt, name, delivered=False)
        for package in incoming:
            try:
                with sessions.begin() as s:
                    result = apply_status_package(s, rt, name, package.data)
            except Exception:  # a bug must not stop the others; the package stays for the next poll
                log.exception("DMS %s: status package %s could not be applied", name, package.reference)
                continue
            try:
                backend.update_status(package, result.handled, result.note)
            except DmsUnavailable as exc:
                mark_down(sessions, rt, name, str(exc))
                break
            if result.handled:
                applied += 1
            else:
                refused += 1
                log.warning("DMS %s: status package %s not used: %s", name, package.reference, result.note)
    return PollReport(applied, refused)
