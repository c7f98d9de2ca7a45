"""Every message the gateway writes (R5, R15, R14): composed here from sandboxed Jinja2 templates in Vietnamese.

The reply kinds, their recipients and RFC 3834 marking are listed in `gateway.disposition.REPLY_KINDS`;
this module turns a kind, its template and a context into an RFC 5322 message:
- `letter_context` is what every template about a letter sees (the letter, its reception, its documents
  with their register numbers, signatures worded by `gateway.wording`);
- `compose` renders a template and builds the message: replies to a sender go to the Return-Path only and
  carry `Auto-Submitted: auto-replied`, `In-Reply-To` and `References`; notices to our own staff are
  `auto-generated`. A letter's message has a Message-ID derived from the letter and the kind, so that a
  re-render is the same message.

Templates live in `templates/` (the admin's folder, `gateway.templates_dir`, is searched first); each has a
`subject` and a `body` block. A template a rule names that cannot be rendered falls back to the kind's own.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from gateway.config import AgencySettings, OutgoingSettings
from gateway.disposition import KINDS, Disposition, RecallPlan, ReplyKind
from gateway.echo import (
    FILENAME_CHARS,
    NAME_CHARS,
    NOTATION_CHARS,
    REASON_CHARS,
    SUBJECT_CHARS,
    TEXT_CHARS,
    echo,
    echo_multiline,
)
from gateway.models import Delivery, Reason
from gateway.resources import shipped
from gateway.rules import Profile, RuleProblem
from gateway.urgency import highest, name_vi
from gateway.vntext import nfc, squash_spaces
from gateway.vntime import VN_TZ, vn_datetime
from gateway.wording import SECRECY_VI, signature_summary

if TYPE_CHECKING:
    from gateway.pipeline import Evaluation
    from gateway.register.sql import EntryRef

SHIPPED_TEMPLATES = shipped("templates")
log = logging.getLogger("gateway.replies")


def make_environment(admin_dir: Path | None) -> SandboxedEnvironment:
    loaders = [FileSystemLoader(str(admin_dir))] if admin_dir and admin_dir.is_dir() else []
    loaders.append(FileSystemLoader(str(SHIPPED_TEMPLATES)))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders), undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters["vn_datetime"] = vn_datetime
    return env


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render(env: SandboxedEnvironment, template: str, context: dict[str, Any]) -> Rendered:
    """Render `template` (e.g. "acknowledgement") to a one-line subject and an NFC body."""
    t = env.get_template(f"{template}.txt.j2")
    ctx = t.new_context(context)
    subject = "".join(t.blocks["subject"](ctx))
    body = "".join(t.blocks["body"](t.new_context(context)))
    return Rendered(subject=nfc(squash_spaces(subject))[:250], body=nfc(body.strip() + "\n"))


@cache
def shipped_environment() -> SandboxedEnvironment:
    return make_environment(None)


def render_with_fallback(env: SandboxedEnvironment, template: str, kind: str, context: dict[str, Any]) -> Rendered:
    """Render `template`; if it fails, the kind's own template, then the shipped one: a broken admin template
    is logged, never a reason to hold a letter back."""
    attempts = [(env, template)]
    if template != kind:
        attempts.append((env, kind))
    attempts.append((shipped_environment(), kind))
    for env_, name in attempts[:-1]:
        try:
            return render(env_, name, context)
        except Exception as exc:  # an admin's template may fail in any way Jinja2 can
            log.error("reply template %s failed (%s: %s); falling back", name, type(exc).__name__, exc)
            with _failures_lock:
                _failures[(name, f"{type(exc).__name__}: {exc}")] = None
    env_, name = attempts[-1]
    return render(env_, name, context)


_failures: dict[tuple[str, str], None] = {}  # (template, error) seen since the last `take_template_failures`
_failures_lock = threading.Lock()


def take_template_failures() -> list[tuple[str, str]]:
    """The admin templates that failed and fell back since the last call: (template, error), each once."""
    with _failures_lock:
        out = list(_failures)
        _failures.clear()
    return out


def template_failure_message_id(template: str, error: str, domain: str) -> str:
    """One admin notice per broken template and error, ever: the same Message-ID each time it recurs."""
    digest = hashlib.sha256(f"{template}\0{error}".encode()).hexdigest()[:24]
    return f"<template_error.{digest}@{domain}>"


def template_problems(profile: Profile, env: SandboxedEnvironment) -> list[RuleProblem]:
    """Rules that name a reply template (`template = "…"`) the template folders do not have, or cannot load."""
    problems = []
    for rule in profile.rules:
        if not rule.template:
            continue
        try:
            t = env.get_template(f"{rule.template}.txt.j2")
        except TemplateError as exc:
            problem = f"template {rule.template!r}: {type(exc).__name__}: {exc}"
            problems.append(RuleProblem(rule.file, rule.line, rule.id, problem))
            continue
        missing = {"subject", "body"} - set(t.blocks)
        if missing:
            problem = f"template {rule.template!r} lacks the block(s) {', '.join(sorted(missing))}"
            problems.append(RuleProblem(rule.file, rule.line, rule.id, problem))
    return problems


def recall_context(plan: RecallPlan | None) -> dict[str, Any] | None:
    """A recall or replacement request as templates see it (R17)."""
    if plan is None:
        return None
    req = plan.request
    return {
        "kind": req.kind,
        "word": "thay thế" if req.kind == "replace" else "thu hồi",
        "notation": echo(req.notation, NOTATION_CHARS),
        "date": req.date,
        "reason": echo(req.reason, TEXT_CHARS),
        "refusal": echo_multiline(plan.refusal.message, REASON_CHARS) if plan.refusal else None,
    }


def _echoed_reasons(reasons) -> list[Reason]:
    """Reasons as a message may repeat them: a reason can quote the sender (a file name, a rule's match)."""
    return [Reason(r.code, echo_multiline(r.message, REASON_CHARS) or "") for r in reasons]


def letter_context(
    agency: AgencySettings, ev: Evaluation, refs: Sequence[EntryRef] = (), recall: RecallPlan | None = None
) -> dict[str, Any]:
    """What every template about a letter sees. Text of the sender's choosing (subject, name, file names,
    notation, trích yếu, message id, reasons quoting it) is echoed through `gateway.echo`: short, one line,
    no links (issue 17: the gateway never carries a stranger's text to an address)."""
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
                "filename": echo(d.filename, FILENAME_CHARS),
                "pages": d.pages,
                "notation": echo(d.metadata.number, NOTATION_CHARS),
                "subject": echo(d.metadata.subject, TEXT_CHARS),
                "secrecy": d.metadata.secrecy,
                "secrecy_vi": SECRECY_VI.get(d.metadata.secrecy or "", d.metadata.secrecy),
                "signature_summary": signature_summary(d.signatures),
                "explanation": decision.explanation if decision else None,
                "basis": decision.basis if decision else None,
                "paper_awaited": bool(decision and decision.delivery in (Delivery.PAPER_ALSO, Delivery.PAPER_ONLY)),
                "paper_only": bool(decision and decision.delivery == Delivery.PAPER_ONLY),
                "editable": d.editable,
                "reasons": _echoed_reasons(d.reasons),
            }
        )
    letter = v.letter
    urgencies = [d.metadata.urgency for d in v.documents]
    return {
        "agency": agency,
        "letter": {
            "subject": echo(letter.subject, SUBJECT_CHARS) if letter else None,
            "message_id": echo(letter.message_id, NAME_CHARS) if letter else None,
            "from": letter.from_[:254] if letter and letter.from_ else None,
        },
        # the directory's name for the agency (ours, not the sender's); else the From's display name, echoed
        "sender_name": (letter.sender_agency.name if letter and letter.sender_agency else None)
        or (echo(ev.letter.from_name, NAME_CHARS) if ev.letter else None),
        "reception": v.reception,
        "entries": entries,
        "documents": entries,
        "first": entries[0] if entries else {"notation": None},
        "total_pages": sum(d.pages or 0 for d in v.documents),
        "any_paper_only": any(e["paper_only"] for e in entries),
        "any_paper_awaited": any(e["paper_awaited"] for e in entries),
        "reasons": _echoed_reasons(v.reasons),
        "urgency_label": name_vi(highest(urgencies)),
        "recall": recall_context(recall),
    }


def message_id_for(letter_sha256: str, kind: str, domain: str) -> str:
    """The Message-ID of a letter's message of `kind`: the same on every re-render (nothing doubled)."""
    return f"<{kind}.{letter_sha256[:24]}@{domain}>"


def our_domain(out: OutgoingSettings) -> str:
    return out.from_address.rpartition("@")[2] or "localhost"


def compose(
    env: SandboxedEnvironment,
    out: OutgoingSettings,
    kind: ReplyKind,
    context: dict[str, Any],
    *,
    to: Sequence[str],
    template: str | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: tuple[str, ...] = (),
) -> Message:
    """The message of `kind` to `to`, rendered from `template` (default: the kind's own)."""
    rendered = render_with_fallback(env, template or kind.template, kind.template, context)
    return build_message(
        rendered,
        from_address=out.from_address,
        from_name=out.from_name,
        to=", ".join(to),
        message_id=message_id or make_msgid(domain=our_domain(out)),
        in_reply_to=in_reply_to,
        references=references,
        auto_reply=kind.auto_reply,
    )


def letter_messages(
    env: SandboxedEnvironment,
    out: OutgoingSettings,
    agency: AgencySettings,
    ev: Evaluation,
    disposition: Disposition,
    refs: Sequence[EntryRef],
    letter_sha256: str,
    *,
    reply: bool = True,
) -> list[tuple[ReplyKind, Message, tuple[str, ...]]]:
    """The messages a decided letter causes: its reply (when `reply`), then its alerts."""
    context = letter_context(agency, ev, refs, disposition.recall)
    domain = our_domain(out)
    messages: list[tuple[ReplyKind, Message, tuple[str, ...]]] = []
    plan = disposition.reply
    if reply and plan is not None and plan.to is not None:
        kind = KINDS[plan.kind]
        msg = compose(
            env,
            out,
            kind,
            context,
            to=[plan.to],
            template=plan.template,
            message_id=message_id_for(letter_sha256, kind.name, domain),
            in_reply_to=ev.letter.message_id if ev.letter else None,
            references=ev.letter.references if ev.letter else (),
        )
        messages.append((kind, msg, (plan.to,)))
    for alert in disposition.alerts:
        kind = KINDS[alert.kind]
        msg = compose(env, out, kind, context, to=alert.to, message_id=message_id_for(letter_sha256, "urgent", domain))
        messages.append((kind, msg, alert.to))
    recall = disposition.recall
    if reply and plan is not None and plan.to is not None and recall is not None and recall.kind != plan.kind:
        # The letter brought documents too: its request is answered in a message of its own (R17).
        kind = KINDS[recall.kind]
        msg = compose(
            env,
            out,
            kind,
            context,
            to=[plan.to],
            message_id=message_id_for(letter_sha256, kind.name, domain),
            in_reply_to=ev.letter.message_id if ev.letter else None,
            references=ev.letter.references if ev.letter else (),
        )
        messages.append((kind, msg, (plan.to,)))
    return messages


def build_message(
    rendered: Rendered,
    *,
    from_address: str,
    from_name: str,
    to: str,
    message_id: str,
    in_reply_to: str | None,
    references: tuple[str, ...] = (),
    auto_reply: bool = True,
    date: datetime | None = None,
) -> Message:
    """The outgoing message, UTF-8 quoted-printable.

    Built with the classic `email.mime` API and `email.header.Header`: the modern policy's folder drops the
    space between two encoded words of a long Vietnamese subject ("Giấy mời" came out "Giấymời").
    """
    charset = Charset("utf-8")
    charset.body_encoding = QP
    msg = MIMEText(rendered.body, "plain", charset)  # type: ignore[arg-type]  # a Charset object is allowed
    msg["From"] = formataddr((str(Header(from_name, "utf-8")), from_address))
    msg["To"] = to
    msg["Subject"] = Header(rendered.subject, "utf-8")  # type: ignore[assignment]  # folds Vietnamese right
    msg["Date"] = format_datetime(date or datetime.now(VN_TZ))
    msg["Message-ID"] = message_id
    if auto_reply:
        # RFC 3834 §5: mark it, so that other responders do not answer us back.
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"
    else:
        msg["Auto-Submitted"] = "auto-generated"
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = " ".join((*references, in_reply_to))
    return msg
