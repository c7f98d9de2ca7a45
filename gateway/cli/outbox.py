"""`gateway outbox list [--failed]` and `gateway outbox retry ID|--failed`: the replies and notices waiting, sent or
given up on (R5, R15)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gateway.cli.common import ConfigOption, JsonOption, load, open_existing_reader

app = typer.Typer(help="Outgoing replies and notices.", no_args_is_help=True)


@app.command("list")
def list_command(
    config: ConfigOption = None,
    failed: Annotated[bool, typer.Option("--failed", help="Only the messages given up on.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 200,
    json_out: JsonOption = False,
) -> None:
    """The outbox, newest first: kind, recipients, state, attempts and the last error."""
    from gateway.outbox import list_messages

    with open_existing_reader(load(config))() as s:
        rows = list_messages(s, failed_only=failed, limit=limit)
        data: list[dict[str, Any]] = [
            {
                "id": r.id,
                "letter_id": r.letter_id,
                "kind": r.kind,
                "recipients": r.recipients,
                "state": r.state,
                "attempts": r.attempts,
                "created_at": r.created_at.isoformat() if r.created_at else None,
                "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                "next_attempt_at": r.next_attempt_at.isoformat() if r.next_attempt_at else None,
                "last_error": r.last_error,
            }
            for r in rows
        ]
    if json_out:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not data:
        typer.echo("no failed messages" if failed else "the outbox is empty")
        return
    table = Table(title="Outbox" + (" (failed)" if failed else ""))
    for column in ("ID", "Letter", "Kind", "To", "State", "Attempts", "Created", "Last error"):
        table.add_column(column, overflow="fold")
    for d in data:
        table.add_row(
            str(d["id"]),
            str(d["letter_id"] or "-"),
            d["kind"],
            escape(", ".join(d["recipients"])),
            d["state"],
            str(d["attempts"]),
            (d["created_at"] or "")[:16],
            escape(d["last_error"] or ""),
        )
    Console(width=160).print(table)


@app.command("retry")
def retry_command(
    message_id: Annotated[
        int | None, typer.Argument(help="The message's ID (from `gateway outbox list`).", show_default=False)
    ] = None,
    all_failed: Annotated[
        bool, typer.Option("--failed", help="Queue every failed message again (after the relay was fixed).")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Queue a failed message (or, with --failed, every failed one) again, attempts and retry schedule reset;
    the running gateway sends it within seconds."""
    from gateway.outbox import RetryError, retry, retry_failed
    from gateway.register.db import open_database

    if (message_id is None) == (not all_failed):
        typer.echo("error: give one message ID or --failed", err=True)
        raise typer.Exit(2)
    settings = load(config)
    open_existing_reader(settings)  # never create an empty register by mistake
    sessions = open_database(settings.database_url)
    if message_id is None:
        typer.echo(f"{retry_failed(sessions)} failed message(s) queued again")
        return
    try:
        with sessions.begin() as s:
            row = retry(s, message_id)
            kind, to = row.kind, ", ".join(row.recipients)
    except RetryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"outbox message {message_id} ({kind} to {to}) queued again")
