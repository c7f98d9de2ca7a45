"""The register page, an entry, a letter, and the clerk's actions on an entry (paper received, chuyển xử
lý, notes) — each action one transaction with its history row and its audit row."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import Response

from gateway.intake.spool import read_raw
from gateway.letter import Letter, parse_letter
from gateway.models import Status
from gateway.register.audit import audit, audit_trail
from gateway.register.query import ANY_URGENT, PAPER_AWAITED, RegisterFilter, find, letter_entries
from gateway.register.schema import LetterRow, OutboxRow, RegisterEntryRow
from gateway.register.sql import RegisterError, add_note, assign, history, paper_received
from gateway.urgency import URGENCIES, name_vi
from gateway.vntime import VN_TZ, parse_day
from gateway.web.app import problem, redirect, remote, render, text, workplace
from gateway.web.users import User
from gateway.web.words import document_words, reasons
from gateway.wording import DELIVERY_VI, doc_types

PER_PAGE = 50
DONE = {  # ?done=… after an action: what the clerk is told
    "paper": "Đã ghi nhận bản giấy.",
    "assigned": "Đã chuyển xử lý.",
    "noted": "Đã thêm ghi chú.",
    "released": "Đã tiếp nhận và vào sổ; thư xác nhận đã được xếp hàng gửi cho bên gửi.",
    "refused": "Đã từ chối; thư từ chối đã được xếp hàng gửi cho bên gửi.",
    "refused_silent": "Đã từ chối (không gửi thư trả lời tự động cho thư này).",
    "reprocess": "Thư đã được đưa lại để hệ thống kiểm tra lại.",
}


ACTION_DONE = {"paper": "paper", "assign": "assigned", "note": "noted"}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


DELIVERY_CHOICES = (
    *(Choice(k, v) for k, v in DELIVERY_VI.items() if k != "refuse"),
    Choice(PAPER_AWAITED, "đang chờ bản giấy"),
    Choice("refuse", "từ chối"),
)
URGENCY_CHOICES = (Choice(ANY_URGENT, "Khẩn trở lên"), *(Choice(u, name_vi(u)) for u in URGENCIES))


def _register_filter(params: QueryParams) -> tuple[RegisterFilter, list[str]]:
    """The filter in the query string; from today on when nothing is asked (the clerk's default view).

    Open-ended, not today only: a letter that came in after office hours is officially received at the start of
    the next office hours (R13), a day or a weekend ahead, and the clerk must still see it tonight."""
    errors: list[str] = []

    def day(name: str) -> date | None:
        value = params.get(name, "").strip()
        if not value:
            return None
        try:
            return parse_day(value)
        except ValueError:
            errors.append(f"Ngày không hợp lệ: {value} (viết dd/mm/yyyy).")
            return None

    number = year = None
    raw_number = params.get("number", "").strip()
    if raw_number:
        n, _, y = raw_number.partition("/")
        try:
            number, year = int(n), int(y) if y else None
        except ValueError:
            errors.append(f"Số đến không hợp lệ: {raw_number} (viết 12 hoặc 12/2026).")
    f = RegisterFilter(
        date_from=day("from"),
        date_to=day("to"),
        number=number,
        year=year,
        notation=params.get("notation") or None,
        issuer=params.get("issuer") or None,
        words=params.get("q") or None,
        doc_type=params.get("type") or None,
        delivery=params.get("delivery") or None,
        status=params.get("status") or None,
        urgency=params.get("urgency") or None,
        after_hours=params.get("after_hours") == "1",
    )
    if not params:
        today = datetime.now(VN_TZ).date()
        f = replace(f, date_from=today)
    return f, errors


def register(request: Request, _user: User, _form: FormData | None) -> Response:
    f, errors = _register_filter(request.query_params)
    try:
        page_no = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page_no = 1
    with workplace(request).readers() as s:
        found = find(s, f, page=page_no, per_page=PER_PAGE)
    return render(
        request,
        "register.html",
        f=f,
        found=found,
        errors=errors,
        params=request.query_params,
        doc_types=doc_types(),
        deliveries=DELIVERY_CHOICES,
        urgencies=URGENCY_CHOICES,
        statuses=list(Status),
        done=DONE.get(request.query_params.get("done", "")),
        page_url=lambda p: "/register?" + urlencode([*_without_page(request.query_params), ("page", p)]),
    )


def _without_page(params: QueryParams) -> list[tuple[str, str]]:
    return [(k, v) for k, v in params.multi_items() if k != "page"]


def _letter_view(s: Session, row: LetterRow) -> dict[str, Any]:
    """What the entry and letter pages show of a letter: the e-mail, its outcome, replies, what people did."""
    parsed: Letter | None
    try:
        parsed = parse_letter(read_raw(row))
    except OSError:
        parsed = None
    verdict = row.verdict or {}
    replies = list(s.scalars(select(OutboxRow).where(OutboxRow.letter_id == row.id).order_by(OutboxRow.id)))
    letter_reasons = reasons(verdict.get("reasons", []))
    quarantined_for = reasons(verdict.get("quarantined_for", []))
    authenticity = (verdict.get("letter") or {}).get("authenticity") or {}
    return {
        "row": row,
        "parsed": parsed,
        "verdict": verdict,
        "authenticity": authenticity,
        "reasons": letter_reasons,
        "quarantined_for": quarantined_for,
        "replies": [(r, _reply_text(r)) for r in replies],
        "documents": [(d, document_words(d)) for d in verdict.get("documents", [])],
        "clerk": verdict.get("clerk_decision"),
    }


def _reply_text(row: OutboxRow) -> tuple[str, str]:
    """The subject and body of a queued or sent reply, as the recipient reads them."""
    msg = email.message_from_string(row.raw, policy=email.policy.default)
    body = msg.get_body(preferencelist=("plain",))
    return str(msg["Subject"] or ""), body.get_content() if body is not None else ""  # type: ignore[attr-defined]


def entry(request: Request, _user: User, _form: FormData | None) -> Response:
    wp = workplace(request)
    entry_id = request.path_params["entry_id"]
    with wp.readers() as s:
        row = s.get(RegisterEntryRow, entry_id)
        if row is None:
            return problem(request, 404, "Không có văn bản này trong sổ.")
        letter = s.get_one(LetterRow, row.letter_id)
        steps = history(s, row.id)
        trail = audit_trail(s, entry_ids=(row.id,))
        view = _letter_view(s, letter)
        siblings = [e for e in letter_entries(s, letter.id) if e.id != row.id]
    return render(
        request,
        "entry.html",
        e=row,
        words=document_words(row.verdict or {}),
        metadata=(row.verdict or {}).get("metadata") or {},
        steps=steps,
        trail=trail,
        letter=view,
        siblings=siblings,
        units=wp.web.units,
        done=DONE.get(request.query_params.get("done", "")),
    )


def letter(request: Request, _user: User, _form: FormData | None) -> Response:
    wp = workplace(request)
    with wp.readers() as s:
        row = s.get(LetterRow, request.path_params["letter_id"])
        if row is None:
            return problem(request, 404, "Không có thư này.")
        view = _letter_view(s, row)
        entries = letter_entries(s, row.id)
        trail = audit_trail(s, letter_id=row.id, entry_ids=tuple(e.id for e in entries))
    return render(
        request,
        "letter.html",
        letter=view,
        entries=entries,
        trail=trail,
        done=DONE.get(request.query_params.get("done", "")),
    )


def _entry_action(request: Request, user: User, action: str, do) -> Response:
    """Run a clerk's action on an entry in one transaction with its audit row; back to the entry page."""
    wp = workplace(request)
    entry_id = request.path_params["entry_id"]
    try:
        with wp.writers.begin() as s:
            row = s.get(RegisterEntryRow, entry_id)
            if row is None:
                return problem(request, 404, "Không có văn bản này trong sổ.")
            detail = do(s, row)
            audit(
                s, user.actor, action, letter_id=row.letter_id, entry_id=row.id, detail=detail, remote=remote(request)
            )
    except RegisterError as exc:
        return problem(request, 409, exc.vi)
    return redirect(f"/entries/{entry_id}?done={ACTION_DONE[action]}")


def paper(request: Request, user: User, _form: FormData | None) -> Response:
    def do(s: Session, row: RegisterEntryRow) -> dict:
        paper_received(s, row, actor=user.actor)
        return {"number": f"{row.number}/{row.year}"}

    return _entry_action(request, user, "paper", do)


def assign_entry(request: Request, user: User, form: FormData | None) -> Response:
    units = workplace(request).web.units
    to = text(form, "to", limit=200)
    if units and to not in units:
        return problem(request, 400, "Đơn vị hoặc người nhận không có trong danh sách đã cấu hình.")
    try:
        on = parse_day(text(form, "on")) if text(form, "on") else datetime.now(VN_TZ).date()
    except ValueError:
        return problem(request, 400, f"Ngày chuyển không hợp lệ: {text(form, 'on')} (viết dd/mm/yyyy).")
    note_text = text(form, "note") or None

    def do(s: Session, row: RegisterEntryRow) -> dict:
        assign(s, row, to=to, on=on, actor=user.actor, note=note_text)
        return {"to": to, "on": on, "note": note_text}

    return _entry_action(request, user, "assign", do)


def note(request: Request, user: User, form: FormData | None) -> Response:
    body = text(form, "text")

    def do(s: Session, row: RegisterEntryRow) -> dict:
        add_note(s, row, text=body, actor=user.actor)
        return {"text": body}

    return _entry_action(request, user, "note", do)
