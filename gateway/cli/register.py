"""`gateway register …`: the incoming register for clerks.

The listing commands only read: they open the database as a reader (`open_reader`: never waiting behind
the daemon's writer) and need no mailbox or SMTP password (`load(…, secrets=False)`).
"""

from __future__ import annotations

import enum
import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gateway.cli.common import ConfigOption, JsonOption, load, open_existing_reader
from gateway.cli.show import _text  # escaped: a subject "[khẩn] Quyết định…" is shown as typed
from gateway.models import to_jsonable

app = typer.Typer(help="The incoming register (sổ văn bản đến).", no_args_is_help=True)


def _sessions(config):
    from gateway.register.db import open_database

    return open_database(load(config).database_url)


def _reader(config):
    return open_existing_reader(load(config))


def _day(value: str, option: str) -> date:
    from gateway.vntime import parse_day

    try:
        return parse_day(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from exc


@app.command("list")
def list_(
    config: ConfigOption = None,
    json_out: JsonOption = False,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only entries officially received on or after DATE (dd/mm/yyyy or ISO)."),
    ] = None,
) -> None:
    """List register entries, oldest first."""
    from gateway.register.sql import entry_dict, list_entries

    since_date = _day(since, "--since") if since else None
    with _reader(config)() as s:
        rows = [entry_dict(r) for r in list_entries(s, since=since_date)]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print_entries(rows)


def print_entries(rows: list[dict], console: Console | None = None) -> None:
    from gateway.vntime import vn_datetime
    from gateway.wording import DELIVERY_VI

    table = Table(title="Sổ văn bản đến", show_lines=False)
    for col in ("Số đến", "Nhận chính thức", "Nơi gửi", "Số, ký hiệu", "Trích yếu", "Hình thức", "Trạng thái"):
        table.add_column(col, overflow="fold")
    for r in rows:
        number = f"{r['number']}/{r['year']}" if r["number"] else "—"
        delivery = DELIVERY_VI.get(r["delivery"] or "", r["delivery"] or "")
        if r["paper_awaited"] and not r["paper_received_at"]:
            delivery += " (chờ bản giấy)"
        table.add_row(
            number,
            vn_datetime(r["official_received_at"]),
            _text(r["sender_name"] or r["sender_address"]),
            _text(r["notation"]),
            _text((r["subject"] or r["filename"] or "")[:80]),
            _text(delivery),
            _text(r["status"]),
        )
    (console or Console()).print(table)


@app.command("letters")
def letters(
    config: ConfigOption = None,
    json_out: JsonOption = False,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="Only letters with this outcome: accepted, refused, quarantined.")
    ] = None,
) -> None:
    """List letters with their outcome and reasons — the quarantine for clerks is `--outcome quarantined`."""
    from gateway.register.sql import letter_dict, list_letters

    with _reader(config)() as s:
        rows = [letter_dict(r) for r in list_letters(s, outcome=outcome)]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from gateway.vntime import vn_datetime
    from gateway.wording import OUTCOME_VI, reason_label

    table = Table(title="Thư đến")
    for col in ("#", "Nhận lúc", "Người gửi", "Tiêu đề", "Kết quả", "Lý do"):
        table.add_column(col, overflow="fold")
    for r in rows:
        reasons = "; ".join(f"{reason_label(x['code'])}: {x['message']}" for x in r["reasons"])
        table.add_row(
            str(r["id"]),
            vn_datetime(r["received_at"]),
            _text(r["from"]),
            _text(r["subject"]),
            _text(OUTCOME_VI.get(r["outcome"] or "", r["outcome"] or "")),
            _text(reasons),
        )
    Console().print(table)


@app.command("paper-received")
def paper_received(
    number: Annotated[str, typer.Argument(help="Incoming number, as N or N/YEAR (default year: this year).")],
    config: ConfigOption = None,
    clerk: Annotated[str, typer.Option("--clerk", help="Who received it (for the history).")] = "văn thư",
) -> None:
    """Record that the signed, sealed paper original of an entry has arrived."""
    from gateway.intake.spool import now_utc
    from gateway.register.audit import audit
    from gateway.register.sql import RegisterError, mark_paper_received

    n, _, y = number.partition("/")
    try:
        num, year = int(n), int(y) if y else now_utc().year
    except ValueError as exc:
        raise typer.BadParameter(f"not an incoming number: {number!r}") from exc
    sessions = _sessions(config)
    try:
        with sessions.begin() as s:
            row = mark_paper_received(s, year=year, number=num, actor=clerk)
            audit(s, clerk, "paper", letter_id=row.letter_id, entry_id=row.id, detail={"number": number}, remote="cli")
            typer.echo(f"entry {num}/{year}: paper original recorded at {to_jsonable(row.paper_received_at)}")
    except RegisterError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


class ExportFormat(enum.StrEnum):
    xlsx = "xlsx"
    pdf = "pdf"
    csv = "csv"


@app.command("export")
def export(
    from_: Annotated[str, typer.Option("--from", help="First day, dd/mm/yyyy (or ISO).")],
    to: Annotated[str, typer.Option("--to", help="Last day, dd/mm/yyyy (or ISO).")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="xlsx, pdf (A4 landscape) or csv.")] = ExportFormat.xlsx,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: a name with the dates, here).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Export the official incoming register (Nghị định 30/2020 Phụ lục IV) for a period of days."""
    from gateway.register.official import filename, official_register, render

    start, end = _day(from_, "--from"), _day(to, "--to")
    if start > end:
        raise typer.BadParameter("--from is after --to")
    settings = load(config)
    with open_existing_reader(settings)() as s:
        form = official_register(s, start, end, agency=settings.agency.name, parent_agency=settings.agency.parent)
    path = output or Path(filename(form, fmt.value))
    path.write_bytes(render(form, fmt.value))
    typer.echo(f"{path}: {len(form.lines)} entries, {start:%d/%m/%Y} – {end:%d/%m/%Y} ({fmt.value})")
