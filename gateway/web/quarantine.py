"""The quarantine (hàng chờ kiểm tra): each letter with every reason, and the clerk's three actions —
release, refuse, reprocess — through the same core as the daemon (`gateway.processor`)."""

from __future__ import annotations

from sqlalchemy import select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from gateway.disposition import ClerkAction, ClerkDecision
from gateway.models import Delivery
from gateway.processor import ClerkError, decide_quarantined
from gateway.processor import reprocess as reprocess_letter
from gateway.register.query import letter_entries, quarantined_letters, unanswered_letters
from gateway.register.schema import OutboxRow
from gateway.web.app import problem, redirect, remote, render, text, workplace
from gateway.web.pages import DELIVERY_CHOICES, DONE, _letter_view
from gateway.web.users import User
from gateway.wording import CLERK_REFUSAL_REASONS

RELEASE_DELIVERIES = tuple(c for c in DELIVERY_CHOICES if c.value in tuple(Delivery) and c.value != Delivery.REFUSE)


def listing(request: Request, _user: User, _form: FormData | None) -> Response:
    with workplace(request).readers() as s:
        letters = [(_letter_view(s, row), letter_entries(s, row.id)) for row in quarantined_letters(s)]
        unanswered = unanswered_letters(s)
    return render(
        request,
        "quarantine.html",
        letters=letters,
        unanswered=unanswered,
        refusal_reasons=CLERK_REFUSAL_REASONS,
        deliveries=RELEASE_DELIVERIES,
        done=DONE.get(request.query_params.get("done", "")),
    )


def _decide(request: Request, decision: ClerkDecision) -> Response | None:
    wp = workplace(request)
    try:
        decide_quarantined(wp.writers, wp.stages(), request.path_params["letter_id"], decision)
    except ClerkError as exc:
        return problem(request, 409, exc.vi)
    return None


def release(request: Request, user: User, form: FormData | None) -> Response:
    chosen = text(form, "delivery")
    if chosen and chosen not in {c.value for c in RELEASE_DELIVERIES}:
        return problem(request, 400, "Hình thức tiếp nhận không hợp lệ.")
    decision = ClerkDecision(
        ClerkAction.RELEASE,
        actor=user.actor,
        note=text(form, "note") or None,
        delivery=Delivery(chosen) if chosen else None,
        remote=remote(request),
    )
    return _decide(request, decision) or redirect(f"/letters/{request.path_params['letter_id']}?done=released")


def refuse(request: Request, user: User, form: FormData | None) -> Response:
    reason = text(form, "reason_other")
    if not reason:
        try:
            reason = CLERK_REFUSAL_REASONS[int(text(form, "reason"))]
        except (ValueError, IndexError):
            return problem(request, 400, "Hãy chọn hoặc ghi lý do từ chối.")
    decision = ClerkDecision(
        ClerkAction.REFUSE, actor=user.actor, note=text(form, "note") or None, reason=reason, remote=remote(request)
    )
    failed = _decide(request, decision)
    if failed is not None:
        return failed
    letter_id = request.path_params["letter_id"]
    with workplace(request).readers() as s:
        kinds = set(s.scalars(select(OutboxRow.kind).where(OutboxRow.letter_id == letter_id)))
    done = "refused" if kinds & {"refusal", "refusal_secret"} else "refused_silent"
    return redirect(f"/letters/{letter_id}?done={done}")


def reprocess(request: Request, user: User, form: FormData | None) -> Response:
    try:
        reprocess_letter(
            workplace(request).writers,
            request.path_params["letter_id"],
            actor=user.actor,
            note=text(form, "note") or None,
            remote=remote(request),
        )
    except ClerkError as exc:
        return problem(request, 409, exc.vi)
    return redirect("/quarantine?done=reprocess")
