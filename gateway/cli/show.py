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
    if d.recall is not None:
        req, refusal = d.recall.request, d.recall.refusal
        line = f"  recall request ({req.kind}) of {_text(req.notation)} {req.date or ''}: {d.recall.kind}"
        c.print(line + (f" — {_text(refusal.message)}" if refusal else ""))


def package_dict(read) -> dict:
    """An edXML package as read (`gateway.edxml.read_package`) as JSON-ready data, without file bytes."""
    from gateway.edxml import ReadStatus
    from gateway.models import to_jsonable

    if isinstance(read, ReadStatus):
        return {"kind": "status", "namespace": read.namespace, **to_jsonable(read.status), "problems": read.problems}
    package = read.package
    return {
        "kind": "document",
        "namespace": read.namespace,
        "header": to_jsonable(package.header),
        "traces": to_jsonable(package.traces),
        "business": to_jsonable(package.business),
        "attachments": [
            {
                "content_id": a.content_id,
                "name": a.name,
                "kind": a.kind,
                "bytes": len(a.data or b""),
                "problem": a.problem,
            }
            for a in read.attachments
        ],
        "problems": list(read.problems),
    }


def print_package(read, schema_problems: list[str], *, json_out: bool = False, console: Console | None = None) -> None:
    import json

    data = {**package_dict(read), "schema_problems": schema_problems}
    c = console or Console()
    if json_out:
        c.print_json(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=f"edXML {data['kind']} package", show_header=False)
    if data["kind"] == "status":
        for key in ("status_code", "description", "timestamp", "arrival_number"):
            table.add_row(key, str(data.get(key) or ""))
        table.add_row("response_for", str(data["response_for"]))
    else:
        h = data["header"]
        table.add_row("From", f"{h['from']['organ_id']} {h['from']['name']} {h['from']['email'] or ''}")
        table.add_row("To", "; ".join(f"{t['organ_id']} {t['name']}" for t in h["to"]))
        for key in ("document_id", "code_number", "code_notation", "promulgation_date", "type_name", "subject"):
            table.add_row(key, str(h.get(key) or ""))
        table.add_row(
            "signer", f"{h['signer_competence'] or ''} {h['signer_position'] or ''} {h['signer_full_name'] or ''}"
        )
        table.add_row("priority / pages", f"{h['priority']} / {h['page_amount']}")
        table.add_row("due_date", str(h["due_date"] or ""))
        table.add_row("business", f"{data['business']['doc_type']} {data['business']['reason'] or ''}")
        for t in data["traces"]:
            table.add_row("trace", f"{t['organ_id']} {t['timestamp']}")
        for a in data["attachments"]:
            table.add_row(
                "attachment", f"{a['content_id']} {a['name']} ({a['kind']}, {a['bytes']} bytes) {a['problem'] or ''}"
            )
    for p in data["problems"]:
        table.add_row("problem", p)
    table.add_row("schema", "valid" if not schema_problems else "; ".join(schema_problems))
    c.print(table)
