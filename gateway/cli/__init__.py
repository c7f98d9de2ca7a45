"""The `gateway` command line: run, check, demo, register, rules, calendar."""

from __future__ import annotations

import typer

from gateway.cli import calendar as calendar_cli
from gateway.cli import rules as rules_cli

app = typer.Typer(
    name="gateway",
    help="Official-mail gateway: takes in công văn from official mailboxes, checks, registers, acknowledges.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(rules_cli.app, name="rules")
app.add_typer(calendar_cli.app, name="calendar")


def main() -> None:
    app()
