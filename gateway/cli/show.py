"""Human-readable rendering of a verdict and its disposition (for `gateway check` without --json).

Codes are shown beside their words for people (`gateway.wording`); everything that came from a letter or a
document is escaped, so a subject such as `[khẩn] Quyết định…` is printed as it is, not taken for markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gateway.disposition import Disposition
from gateway.models import Verdict
from gateway.wording import DELIVERY_VI, LEGAL_VALUE_VI, OUTCOME_VI, signature_sentence


def _text(value: object) -> str:
    return escape("" if value is None else str(value))


def print_verdict(v: Verdict, disposition: Disposition, console: Console | None = None) -> None:
    c = console or Console()
    rec = v.reception
    c.print(f"[bold]Outcome:[/bold] {v.outcome.value} ({OUTCOME_VI[v.outcome.value]})")
    c.print(
        f"received_at {rec.received_at.isoformat()}  official_received_at {rec.official_received_at.isoformat()}"
        f"  after_hours {rec.after_hours}  deadline {_text(rec.deadline)}"
    )
    if v.letter is not None:
        lt, auth = v.letter, v.letter.authenticity
        c.print(
            f"From {_text(lt.from_)}  Subject {_text(repr(lt.subject))}  DKIM {auth.dkim}  SPF {auth.spf}"
            f"  directory {auth.directory_match}"
        )
    for r in v.reasons:
        c.print(f"  - {_text(r.code)}: {_text(r.message)}")
    for d in v.documents:
        title = f"{d.filename} ({d.pages} pages, {LEGAL_VALUE_VI[d.legal_value.value]})"
        table = Table(title=_text(title), show_header=False)
        m = d.metadata
        for key in ("number", "doc_type", "date", "issuer", "subject", "urgency", "secrecy", "signer_name"):
            table.add_row(key, _text(getattr(m, key) or ""))
        for s in d.signatures:
            table.add_row(f"signature {_text(s.field)}", _text(f"{signature_sentence(s)} ({s.indication.value})"))
        if d.decision is not None:
            dec = d.decision
            delivery = f"{dec.delivery.value}: {DELIVERY_VI[dec.delivery.value]}"
            table.add_row("decision", _text(f"{delivery} ({dec.rule}, {dec.basis})"))
            table.add_row("", _text(dec.explanation))
        for r in d.reasons:
            table.add_row(f"reason {_text(r.code)}", _text(r.message))
        c.print(table)
    print_disposition(disposition, c)


def print_disposition(d: Disposition, c: Console) -> None:
    c.print(
        f"[bold]Disposition:[/bold] letter {d.letter_state}, register {d.register_status}, folder {d.folder or '—'}"
        f", DMS hand-off {'yes' if d.dms_handoff else 'no'}"
    )
    if d.reply is not None and d.reply.to is not None:
        c.print(f"  reply {d.reply.kind} (template {_text(d.reply.template)}) to {_text(d.reply.to)}")
    elif d.reply is not None and d.reply.withheld is not None:
        c.print(f"  no reply: {d.reply.withheld.code}: {_text(d.reply.withheld.message)}")
    for alert in d.alerts:
        c.print(f"  alert {alert.kind} to {_text(', '.join(alert.to))}")
