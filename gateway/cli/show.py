"""Human-readable rendering of a verdict (for `gateway check` without --json)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gateway.wording import OUTCOME_VI


def print_verdict(v: dict, console: Console | None = None) -> None:
    c = console or Console()
    rec = v["reception"]
    c.print(f"[bold]Outcome:[/bold] {v['outcome']} ({OUTCOME_VI.get(v['outcome'], '')})")
    c.print(
        f"received_at {rec['received_at']}  official_received_at {rec['official_received_at']}"
        f"  after_hours {rec['after_hours']}  deadline {rec['deadline']}"
    )
    if v.get("letter"):
        lt = v["letter"]
        auth = lt["authenticity"]
        c.print(
            f"From {lt['from']}  Subject {lt['subject']!r}  DKIM {auth['dkim']}  SPF {auth['spf']}"
            f"  directory {auth['directory_match']}"
        )
    for r in v.get("reasons", []):
        c.print(f"  - [{r['code']}] {r['message']}")
    for d in v["documents"]:
        table = Table(title=f"{d['filename']} ({d['pages']} pages, {d['legal_value']})", show_header=False)
        m = d["metadata"]
        for key in ("number", "doc_type", "date", "issuer", "subject", "urgency", "secrecy", "signer_name"):
            table.add_row(key, str(m.get(key) or ""))
        for s in d["signatures"]:
            signer = (s.get("signer") or {}).get("common_name") or ""
            table.add_row(f"signature {s['field']}", f"{s['indication']} {s['sub_indication'] or ''} {signer}")
        if d.get("decision"):
            dec = d["decision"]
            table.add_row("decision", f"{dec['delivery']} ({dec['rule']}, {dec['basis']})")
            table.add_row("", dec["explanation"])
        for r in d.get("reasons", []):
            table.add_row(f"reason {r['code']}", r["message"])
        c.print(table)
    disp = v.get("disposition")
    if disp:
        c.print(
            f"[bold]Disposition:[/bold] letter {disp['letter_state']}, register {disp['register_status']}, "
            f"folder {disp['folder'] or '—'}, DMS hand-off {'yes' if disp['dms_handoff'] else 'no'}"
        )
        reply = disp.get("reply")
        if reply and reply["to"]:
            c.print(f"  reply {reply['kind']} (template {reply['template']}) to {escape(reply['to'])}")
        elif reply:
            c.print(f"  no reply: [{reply['withheld']['code']}] {escape(reply['withheld']['message'])}")
        for alert in disp.get("alerts", []):
            c.print(f"  alert {alert['kind']} to {', '.join(alert['to'])}")
