"""`gateway config check` and `gateway templates preview`: what an admin runs after editing anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from gateway.cli.common import ConfigOption, JsonOption, load
from gateway.config import ConfigError, find_config

app = typer.Typer(help="The configuration as a whole.", no_args_is_help=True)
templates_app = typer.Typer(help="The reply templates.", no_args_is_help=True)


@app.command("check")
def check_command(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """Check everything at once — config.toml, rule files, reply templates (rendered with sample letters),
    the agency directory, the trust folder, the office calendar — and print every problem as file:line.
    Exit 0 when there is none, 1 otherwise, 2 when the config file cannot be found."""
    from gateway.config_check import check_all

    try:
        source = find_config(config)
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc
    problems = check_all(source.path)
    if json_out:
        out = {
            "config": str(source.path) if source.path else None,
            "found_by": source.how,
            "problems": [{"file": p.file, "line": p.line, "part": p.what, "message": p.message} for p in problems],
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        raise typer.Exit(1 if problems else 0)
    typer.echo(f"config: {source.describe()}")
    for p in problems:
        typer.echo(str(p))
    if problems:
        typer.echo(f"{len(problems)} problem(s) found")
        raise typer.Exit(1)
    typer.echo("OK: config, rules, templates, directory, trust folder and calendar")


@templates_app.command("preview")
def preview_command(
    kind: Annotated[str, typer.Argument(help="A reply kind, e.g. acknowledgement, refusal, refusal_secret.")],
    letter: Annotated[
        Path | None,
        typer.Option("--letter", exists=True, dir_okay=False, help="Render it for this .eml letter."),
    ] = None,
    case: Annotated[str | None, typer.Option("--case", help="Which sample (e.g. paper_only); default: all.")] = None,
    config: ConfigOption = None,
) -> None:
    """Render the reply KIND as the sender would read it: with the admin's templates, for a sample letter, or
    for --letter FILE.eml as the daemon would answer it (nothing is written, nothing is sent)."""
    from gateway.disposition import KINDS
    from gateway.replies import make_environment, render_with_fallback
    from gateway.reply_samples import sample_cases

    if kind not in KINDS:
        raise typer.BadParameter(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    settings = load(config)
    env = make_environment(settings.templates_dir)
    if letter is not None:
        from gateway.cli.common import build_or_exit
        from gateway.disposition import dispose
        from gateway.intake.spool import now_utc
        from gateway.models import Source
        from gateway.pipeline import evaluate_file
        from gateway.replies import letter_context

        stages = build_or_exit(settings)
        ev = evaluate_file(letter, received_at=now_utc(), stages=stages)
        disposition = dispose(ev, alerts=stages.alerts, source=Source.IMAP)
        contexts = [("letter", letter_context(settings.agency, ev, (), disposition.recall))]
        if disposition.reply is not None and disposition.reply.kind != kind:
            typer.echo(f"note: the daemon would answer this letter with {disposition.reply.kind}, not {kind}", err=True)
    else:
        contexts = [(c.case, c.context) for c in sample_cases(settings.agency) if c.kind == kind]
        if case is not None:
            contexts = [(n, c) for n, c in contexts if n == case]
            if not contexts:
                raise typer.BadParameter(f"no sample {case!r} for {kind}")
    for name, context in contexts:
        r = render_with_fallback(env, kind, kind, context)
        typer.echo(f"===== {kind} ({name}) =====")
        typer.echo(f"Subject: {r.subject}\n")
        typer.echo(r.body)
