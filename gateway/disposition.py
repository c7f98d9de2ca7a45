"""The end of the pure core: one `Disposition` says everything that follows a verdict.

`dispose(evaluation, …)` turns a letter's verdict into what the processor must commit and nothing else: the
letter's state, the register status of its entries, the mailbox folder its copy goes to, the reply (kind,
template, recipient — or why there is none), the alerts, and whether its documents go on to the agency's DMS.
Two tables hold every mapping, so a new outcome, reply kind or destination is a line here:

- `OUTCOMES`: outcome → letter state, register status, folder, DMS hand-off (DESIGN.md "Invariants").
- `REPLY_KINDS`: every message the gateway writes, in order; the first kind that answers the outcome and
  whose condition holds is the reply. A rule that fired may name another template for it (`template` in
  the rule file); the kind and its recipient stay.

Loops are broken here (issue 15): an automatic message (RFC 3834 markings, and the subjects vacation
responders use without them: `letter.reply_suppression`) is never answered; nor is a message that replies
to one of ours (`In-Reply-To`/`References` with our Message-ID domain, whatever it looks like); and a
letter that brings no document gets at most one refusal per sender per hour (`refused_recently`, which
the processor reads from the outbox). Only the general per-sender rate limit is left to the database (the
processor checks it when it commits).
`gateway check --json` prints the disposition, so what an admin tests is what the daemon does.

A clerk's decision on a quarantined letter (release or refuse, in the web workplace) goes through the same
function: `clerk_evaluation` turns the letter's evaluation into the one the clerk decided, and `dispose`
says what follows — the acknowledgement or the refusal, the register status — as for any letter.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from gateway.models import Decision, Delivery, LetterState, Outcome, Reason, Source, Status, to_jsonable
from gateway.office_calendar import AlertSettings, needs_urgent_alert, numbering_year
from gateway.reading.recall import RecallRequest
from gateway.urgency import highest
from gateway.wording import CLERK_BASIS, CLERK_DELIVERY_EXPLANATIONS

if TYPE_CHECKING:
    from gateway.pipeline import Evaluation


class Folder(enum.StrEnum):
    """Where a letter's mailbox copy is filed; each intake maps the role to its folder's name."""

    PROCESSED = "processed"
    REFUSED = "refused"
    QUARANTINE = "quarantine"


class Recipient(enum.StrEnum):
    """Who a message goes to."""

    SENDER = "sender"  # the letter's Return-Path only (RFC 3834 §4)
    ON_DUTY = "on_duty"  # [alerts] on_duty (R14)
    ADMIN = "admin"  # [alerts] admin


@dataclass(frozen=True)
class OutcomeRow:
    state: str  # the letter's state once committed (a letter with no mailbox copy skips straight to FILED)
    register_status: str  # its register entries' status (R16)
    folder: Folder
    dms_handoff: bool  # its documents go on to the agency's DMS (R18)


OUTCOMES: dict[Outcome, OutcomeRow] = {
    Outcome.ACCEPTED: OutcomeRow(LetterState.REPLIED, Status.ACCEPTED, Folder.PROCESSED, dms_handoff=True),
    Outcome.REFUSED: OutcomeRow(LetterState.REFUSED, Status.REFUSED, Folder.REFUSED, dms_handoff=False),
    Outcome.QUARANTINED: OutcomeRow(LetterState.QUARANTINED, Status.ARRIVED, Folder.QUARANTINE, dms_handoff=False),
}


def _always(_ev: Evaluation) -> bool:
    return True


def _recall_only(ev: Evaluation) -> bool:
    """A request to recall or replace a document (R17) that brings no document of its own."""
    return ev.recall is not None and not ev.verdict.documents and not ev.verdict.reasons


def is_secret(ev: Evaluation) -> bool:
    """A document marked mật / tối mật / tuyệt mật (R6): it must go back to the paper channel."""
    return any(d.metadata.secrecy for d in ev.verdict.documents)


@dataclass(frozen=True)
class ReplyKind:
    """One kind of message: its template (`templates/<template>.txt.j2`), recipient and RFC 3834 marking."""

    name: str  # also the outbox kind: one message of each kind per letter
    to: Recipient
    answers: Outcome | None = None  # the outcome it replies to; None: sent on an event, not as the reply
    when: Callable[[Evaluation], bool] = _always
    auto_reply: bool = True  # Auto-Submitted: auto-replied (to a sender), else auto-generated (our own notices)

    @property
    def template(self) -> str:
        return self.name


REPLY_KINDS: tuple[ReplyKind, ...] = (
    ReplyKind("recall_received", Recipient.SENDER, Outcome.ACCEPTED, when=_recall_only),  # R17: awaits the clerk
    ReplyKind("acknowledgement", Recipient.SENDER, Outcome.ACCEPTED),
    ReplyKind("recall_refused", Recipient.SENDER, Outcome.REFUSED, when=_recall_only),  # R17, R5: why not
    ReplyKind("refusal_secret", Recipient.SENDER, Outcome.REFUSED, when=is_secret),
    ReplyKind("refusal", Recipient.SENDER, Outcome.REFUSED),
    ReplyKind("quarantine", Recipient.SENDER, Outcome.QUARANTINED),
    ReplyKind("urgent_alert", Recipient.ON_DUTY, auto_reply=False),
    ReplyKind("rules_error", Recipient.ADMIN, auto_reply=False),
    ReplyKind("smtp_refused", Recipient.ADMIN, auto_reply=False),  # the relay refuses our mail (5xx)
    ReplyKind("low_disk_space", Recipient.ADMIN, auto_reply=False),  # the storage volume is nearly full
    ReplyKind("template_error", Recipient.ADMIN, auto_reply=False),  # an admin template fell back to the shipped
    # Events after the letter's own reply: the clerk's decision on a recall (R17) …
    ReplyKind("recall_done", Recipient.SENDER),
    ReplyKind("recall_declined", Recipient.SENDER),
    # … the DMS's status packages, for the codes the admin selects (R15; TTg Đ9.2) …
    ReplyKind("dms_status_01", Recipient.SENDER),
    ReplyKind("dms_status_02", Recipient.SENDER),
    ReplyKind("dms_status_03", Recipient.SENDER),
    ReplyKind("dms_status_04", Recipient.SENDER),
    ReplyKind("dms_status_05", Recipient.SENDER),
    ReplyKind("dms_status_06", Recipient.SENDER),
    ReplyKind("dms_status_13", Recipient.SENDER),
    ReplyKind("dms_status_15", Recipient.SENDER),
    ReplyKind("dms_status_16", Recipient.SENDER),
    # … and the DMS's outages (R19).
    ReplyKind("dms_outage", Recipient.ADMIN, auto_reply=False),
    ReplyKind("dms_recovered", Recipient.ADMIN, auto_reply=False),
)
KINDS: dict[str, ReplyKind] = {k.name: k for k in REPLY_KINDS}


@dataclass(frozen=True)
class ReplyPlan:
    """The reply to the sender: sent when `to` is set, else `withheld` says why not."""

    kind: str
    template: str
    to: str | None
    withheld: Reason | None = None


@dataclass(frozen=True)
class AlertPlan:
    kind: str
    to: tuple[str, ...]


@dataclass(frozen=True)
class RecallMatch:
    """What the register says of a recall request (R17): the entry it names, or why it is refused."""

    entry_id: int | None
    refusal: Reason | None = None


@dataclass(frozen=True)
class RecallPlan:
    """A recall or replacement request: recorded for the clerk (`entry_id`) or refused (`refusal`); the
    sender hears of it in the reply (`kind`), or in a message of its own when the letter also brings
    documents. A replacement's new documents wait for the clerk before they go to the DMS (`hold`)."""

    kind: str  # recall_received | recall_refused
    request: RecallRequest
    entry_id: int | None
    refusal: Reason | None
    hold_handoff: bool


@dataclass(frozen=True)
class Disposition:
    outcome: Outcome
    letter_state: str
    register_status: str
    folder: Folder | None  # None: no mailbox copy to file (SMTP delivery, a bare PDF)
    reply: ReplyPlan | None  # None: there is no letter to answer (a bare PDF)
    alerts: tuple[AlertPlan, ...]
    dms_handoff: bool
    numbering_year: int
    urgency: str | None
    recall: RecallPlan | None = None
    # R6: a refused secret document keeps only its short record; the original and derived text are destroyed
    destroy_original: bool = False


def reply_kind(ev: Evaluation, outcome: Outcome | None = None) -> ReplyKind:
    """The first kind in `REPLY_KINDS` that answers this outcome and whose condition holds."""
    outcome = outcome or ev.verdict.outcome
    return next(k for k in REPLY_KINDS if k.answers == outcome and k.when(ev))


def rule_template(ev: Evaluation, kind: ReplyKind) -> str | None:
    """A template named by a rule that decided a document of this letter, in the sense of the reply:
    for a refusal, a refusing rule; otherwise the rule of any accepted document."""
    for doc in ev.verdict.documents:
        decision = doc.decision
        if decision is None or not decision.template:
            continue
        refusing = decision.delivery == Delivery.REFUSE
        if refusing == (kind.answers == Outcome.REFUSED):
            return decision.template
    return None


def _withheld(ev: Evaluation, outcome: Outcome, refused_recently: bool) -> Reason | None:
    """Why the sender must not be answered automatically, if so (RFC 3834; R4 for forged senders; loops)."""
    if ev.sender_forged:
        return Reason("sender_forged", "the sender looks forged: no reply to the claimed address")
    if ev.reply_suppressed:
        return Reason("automatic_message", ev.reply_suppressed)
    if ev.answers_ours:
        return Reason("answers_our_message", f"it replies to our message {ev.answers_ours}: never answered")
    if ev.reply_to is None:
        return Reason("no_return_path", "no Return-Path to answer")
    if ev.reply_origin is None:  # issue 17: no backscatter
        return Reason(
            "sender_unverified",
            f"the origin of {ev.reply_to} is not verified (no aligned DKIM or SPF pass, not a directory mailbox, "
            "not a domain in [outgoing] reply_domains): no automatic reply; the letter is listed for the clerk",
        )
    if refused_recently and outcome == Outcome.REFUSED and not ev.verdict.documents:
        return Reason("refusal_limit", "no document, and this sender had a refusal within the hour")
    return None


def _reply(ev: Evaluation, outcome: Outcome, refused_recently: bool = False) -> ReplyPlan | None:
    if ev.letter is None:
        return None
    kind = reply_kind(ev, outcome)
    withheld = _withheld(ev, outcome, refused_recently)
    template = rule_template(ev, kind) or kind.template
    return ReplyPlan(kind.name, template, None if withheld else ev.reply_to, withheld)


def _recall(ev: Evaluation, match: RecallMatch | None) -> tuple[RecallPlan | None, Outcome]:
    """The recall plan and the letter's outcome: a request alone is refused when the register refuses it.
    `match` None: not checked against the register (a dry run) — shown as it would be received."""
    outcome = ev.verdict.outcome
    if ev.recall is None or outcome != Outcome.ACCEPTED:
        return None, outcome
    refusal = match.refusal if match is not None else None
    if refusal is not None and _recall_only(ev):
        outcome = Outcome.REFUSED
    plan = RecallPlan(
        kind="recall_refused" if refusal else "recall_received",
        request=ev.recall,
        entry_id=match.entry_id if match is not None else None,
        refusal=refusal,
        hold_handoff=refusal is None and ev.recall.kind == "replace" and bool(ev.verdict.documents),
    )
    return plan, outcome


def dispose(
    ev: Evaluation,
    *,
    alerts: AlertSettings,
    source: Source,
    recall: RecallMatch | None = None,
    filed: bool = False,
    refused_recently: bool = False,
) -> Disposition:
    """Everything the processor commits for this evaluation, decided here and nowhere else.

    `recall`: what the register said of the letter's recall request, if it makes one (the processor asks
    it). `filed`: the letter's mailbox copy was filed before (it sits in Quarantine and a clerk decided, or
    it was reprocessed from there): nothing is left to move. `refused_recently`: the sender had a refusal
    within the hour (the processor asks the outbox), so a letter without a document gets no second one."""
    v = ev.verdict
    recall_plan, outcome = _recall(ev, recall)
    row = OUTCOMES[outcome]
    in_mailbox = source in MAILBOX_SOURCES and not filed
    urgency = highest(d.metadata.urgency for d in v.documents)
    plans = []
    if outcome == Outcome.ACCEPTED and alerts.on_duty and needs_urgent_alert(v.reception, urgency):
        plans.append(AlertPlan("urgent_alert", alerts.on_duty))  # R14: at once, weekends and holidays too
    state = row.state
    if state == LetterState.REPLIED and not in_mailbox:
        state = LetterState.FILED  # nothing left to move
    return Disposition(
        outcome=outcome,
        letter_state=state,
        register_status=row.register_status,
        folder=row.folder if in_mailbox else None,
        reply=_reply(ev, outcome, refused_recently),
        alerts=tuple(plans),
        dms_handoff=row.dms_handoff and not (recall_plan and recall_plan.hold_handoff),
        numbering_year=numbering_year(v.reception),
        urgency=urgency,
        recall=recall_plan,
        destroy_original=outcome == Outcome.REFUSED and is_secret(ev),
    )


MAILBOX_SOURCES = frozenset({Source.IMAP})  # intakes whose letters leave a copy to file


class ClerkAction(enum.StrEnum):
    RELEASE = "release"  # accept and register now; the sender gets the acknowledgement
    REFUSE = "refuse"  # refuse with the clerk's reason; the sender gets the refusal


@dataclass(frozen=True)
class ClerkDecision:
    """A clerk's decision on a quarantined letter, with who made it (history, audit log) and from where."""

    action: ClerkAction
    actor: str
    note: str | None = None  # kept in the entries' history
    reason: str | None = None  # refuse: what the sender is told (R5)
    delivery: Delivery | None = None  # release: how the documents must travel; None: as the rules decided
    remote: str | None = None


def _released(doc, delivery: Delivery | None):
    """A document the clerk accepted: acceptable now; the clerk's delivery if they chose one, else the rules'
    (a document the rules refused, or that never reached the rules, goes electronic and on paper: R8)."""
    decision = doc.decision
    if delivery is not None or decision is None or decision.delivery == Delivery.REFUSE:
        chosen = delivery or Delivery.PAPER_ALSO
        decision = Decision(
            delivery=chosen, rule="clerk", basis=CLERK_BASIS, explanation=CLERK_DELIVERY_EXPLANATIONS[chosen]
        )
    return replace(doc, acceptable=True, decision=decision)


def clerk_evaluation(ev: Evaluation, decision: ClerkDecision) -> Evaluation:
    """The evaluation as the clerk decided it; `dispose` then says what follows, as for any letter.

    Released: accepted, every document acceptable; a sender the clerk released is no longer held forged
    (they checked it), but an automatic message is still never answered (RFC 3834). Refused: refused, with
    the clerk's reason for the sender."""
    v = ev.verdict
    if decision.action == ClerkAction.RELEASE:
        documents = tuple(_released(d, decision.delivery) for d in v.documents)
        verdict = replace(v, documents=documents, outcome=Outcome.ACCEPTED)
        return replace(ev, verdict=verdict, sender_forged=False, reply_origin=ev.reply_origin or "clerk")
    reason = Reason("clerk_refused", (decision.reason or "").strip() or "Văn thư không tiếp nhận văn bản.")
    return replace(ev, verdict=replace(v, outcome=Outcome.REFUSED, reasons=(reason,)))


def disposition_to_dict(d: Disposition) -> dict[str, Any]:
    return to_jsonable(d)
