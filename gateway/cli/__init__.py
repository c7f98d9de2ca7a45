"""The `gateway` command line: run, check, demo, web, register, users, dms, rules, calendar, trust."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from gateway.cli import calendar as calendar_cli
from gateway.cli import config as config_cli
from gateway.cli import dms as dms_cli
from gateway.cli import outbox as outbox_cli
from gateway.cli import register as register_cli
from gateway.cli import rules as rules_cli
from gateway.cli import trust as trust_cli
from gateway.cli import users as users_cli
from gateway.cli.common import ConfigOption, JsonOption, build_or_exit, load
from gateway.config import ConfigError
from gateway.logs import setup_logging

app = typer.Typer(
    name="gateway",
    help="Official-mail gateway: takes in công văn from official mailboxes, checks, registers, acknowledges.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(rules_cli.app, name="rules")
app.add_typer(calendar_cli.app, name="calendar")
app.add_typer(register_cli.app, name="register")
app.add_typer(trust_cli.app, name="trust")
app.add_typer(dms_cli.app, name="dms")
app.add_typer(users_cli.app, name="users")
app.add_typer(config_cli.app, name="config")
app.add_typer(outbox_cli.app, name="outbox")
app.add_typer(config_cli.templates_app, name="templates")


def _print_version(value: bool) -> None:
    if value:
        from gateway.resources import version

        typer.echo(f"official-mail-gateway {version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Official-mail gateway: takes in công văn from official mailboxes, checks, registers, acknowledges."""


def _parse_when(value: str | None) -> datetime:
    from gateway.intake.spool import now_utc

    if value is None:
        return now_utc()
    try:
        t = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not an ISO 8601 date-time: {value!r}") from exc
    if t.tzinfo is None:
        raise typer.BadParameter("give a time zone, e.g. 2026-02-23T21:05:00+07:00")
    return t


@app.command()
def check(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A .eml letter or a .pdf document.")],
    config: ConfigOption = None,
    json_out: JsonOption = False,
    received: Annotated[
        str | None, typer.Option("--received", help="When it entered the system (ISO 8601); default: now.")
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", help="Rules profile to apply instead of the configured one.")
    ] = None,
    trust: trust_cli.TrustOption = None,
) -> None:
    """Dry run: print the verdict for FILE and its disposition (state, folder, reply, alerts), as if it had
    come from a mailbox. Writes nothing, sends nothing."""
    from gateway.disposition import dispose, disposition_to_dict
    from gateway.models import Source, verdict_to_dict
    from gateway.pipeline import evaluate_file

    setup_logging(verbose=False)
    stages = build_or_exit(trust_cli.with_trust_dir(load(config), trust), profile=profile)
    ev = evaluate_file(file, received_at=_parse_when(received), stages=stages)
    source = Source.IMAP if ev.letter is not None else Source.FILE
    disposition = dispose(ev, alerts=stages.alerts, source=source)
    if json_out:
        data = {**verdict_to_dict(ev.verdict), "disposition": disposition_to_dict(disposition)}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from gateway.cli.show import print_verdict

    print_verdict(ev.verdict, disposition)


@app.command()
def run(
    config: ConfigOption = None,
    once: Annotated[bool, typer.Option("--once", help="Process everything pending, send the outbox, exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Run the daemon: watch the mailboxes, process, register, reply."""
    from gateway.daemon import Gateway
    from gateway.workers import limit_malloc_arenas

    limit_malloc_arenas()  # first, before threads make arenas (issue 16)
    setup_logging(verbose=verbose)
    settings = load(config, secrets=True)
    stages = build_or_exit(settings)
    gw = Gateway(settings, stages=stages, wait=not once)  # the daemon waits for its database; --once exits 2
    if once:
        gw.run_once()
        return
    gw.run_forever()


@app.command()
def web(
    config: ConfigOption = None,
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (default: [web] host, 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default: [web] port, 8080).")] = None,
) -> None:
    """Serve the clerk's web workplace: the register, the quarantine, the register form and the report.

    It needs the database only (no mailbox or SMTP password). Put a TLS reverse proxy in front of it to
    reach it from other machines."""
    import uvicorn

    from gateway.web.app import create_app
    from gateway.web.settings import web_settings

    setup_logging(verbose=False)
    settings = load(config)
    try:
        ws = web_settings(settings)
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc
    app_ = create_app(settings)
    bind_host, bind_port = host or ws.host, ws.port if port is None else port
    typer.echo(f"web workplace on http://{bind_host}:{bind_port}/", err=True)
    uvicorn.run(
        app_,
        host=bind_host,
        port=bind_port,
        proxy_headers=True,
        forwarded_allow_ips=list(ws.forwarded_allow_ips),
        log_level="warning",
        server_header=False,
    )


@app.command()
def demo(
    keep: Annotated[
        Path | None,
        typer.Option("--dir", help="Work folder for the demo (default: a new one under ./storage)."),
    ] = None,
    web: Annotated[
        bool, typer.Option("--web/--no-web", help="Then serve the clerk's web workplace until Ctrl+C.")
    ] = True,
) -> None:
    """Run the gateway on the embedded default with local SMTP intake and sink, feed it letters, show results,
    then serve the clerk's web workplace with a demo clerk account (its address and password are printed)."""
    from gateway.demo import run_demo

    setup_logging(verbose=False)
    logging.getLogger().setLevel(logging.WARNING)  # the demo shows its results; the daemon's log would bury them
    sys.exit(run_demo(keep, web=web))


def main() -> None:
    logging.captureWarnings(True)
    app()
