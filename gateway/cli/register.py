"""`gateway register …`: the incoming register for clerks."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gateway.cli.common import ConfigOption, JsonOption, load
from gateway.models import to_jsonable

app = typer.Typer(help="The incoming register (sổ văn bản đến).", no_args_is_help=True)


def _sessions(config):
    from gateway.register.db import open_database

    return open_database(load(config).database_url)


@app.command("list")
def list_(
    config: ConfigOption = None,
    json_out: JsonOption = False,
    since: Annotated[
        str | None, typer.Option("--since", help="Only entries officially received on or after DATE.")
    ] = None,
) -> None:
    """List register entries, oldest first."""
    from gateway.register.sql import entry_dict, list_entries

    since_date = None
    if since:
        try:
            since_date = date.fromisoformat(since)
        except ValueError as exc:
            raise typer.BadParameter(f"not an ISO date: {since!r}") from exc
    with _sessions(config)() as s:
        rows = [entry_dict(r) for r in list_entries(s, since=since_date)]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print_entries(rows)


def print_entries(rows: list[dict], console: Console | None = None) -> None:
    from gateway.vntime import vn_datetime

    table = Table(title="Sổ văn bản đến", show_lines=False)
    for col in ("Số đến", "Nhận chính thức", "Nơi gửi", "Số, ký hiệu", "Trích yếu", "Hình thức", "Trạng thái"):
        table.add_column(col, overflow="fold")
    for r in rows:
        number = f"{r['number']}/{r['year']}" if r["number"] else "—"
        delivery = r["delivery"] or ""
        if r["paper_awaited"] and not r["paper_received_at"]:
            delivery += " (chờ bản giấy)"
        table.add_row(
            number,
            vn_datetime(r["official_received_at"]),
            r["sender_name"] or r["sender_address"] or "",
            r["notation"] or "",
            (r["subject"] or r["filename"] or "")[:80],
            delivery,
            r["status"],
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

    with _sessions(config)() as s:
        rows = [letter_dict(r) for r in list_letters(s, outcome=outcome)]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from gateway.vntime import vn_datetime

    table = Table(title="Thư đến")
    for col in ("#", "Nhận lúc", "Người gửi", "Tiêu đề", "Kết quả", "Lý do"):
        table.add_column(col, overflow="fold")
    for r in rows:
        reasons = "; ".join(f"[{x['code']}] {x['message']}" for x in r["reasons"])
        table.add_row(
            str(r["id"]),
            vn_datetime(r["received_at"]),
            r["from"] or "",
            r["subject"] or "",
            r["outcome"] or "",
            reasons,
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
            typer.echo(f"entry {num}/{year}: paper original recorded at {to_jsonable(row.paper_received_at)}")
    except RegisterError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
