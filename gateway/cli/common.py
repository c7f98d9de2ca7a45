"""What every CLI command shares: the --config option, loading settings with a clear error, and opening the
register for reading without ever creating an empty one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from gateway.config import ConfigError, Settings, find_config, load_settings

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Path to config.toml (default: $GATEWAY_CONFIG, else ./config.toml, else "
        "/etc/official-mail-gateway/config.toml, else built-in defaults).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def load(config: Path | None, *, secrets: bool = False) -> Settings:
    """Settings from the config file `find_config` chooses, or exit 2 with the file, key and problem.

    Only the commands that log in somewhere (`gateway run`, the DMS commands) ask for `secrets=True`; for
    every other one a password kept in an unset environment variable is no error. Which file is used is said
    on stderr when a person is watching (a terminal), so that scripts parsing the output are not disturbed."""
    try:
        source = find_config(config)
        if sys.stderr.isatty():
            typer.echo(f"config: {source.describe()}", err=True)
        return load_settings(source.path, secrets=secrets)
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


def open_existing_reader(settings: Settings):
    """A read-only session factory on the register, or exit 2 if there is no register yet: a read command
    must never create an empty one and show it as if it were the agency's (a wrong folder, a wrong config)."""
    from sqlalchemy.exc import SQLAlchemyError

    from gateway.register.db import open_reader

    url = settings.database_url
    where = settings.file or "the built-in defaults"
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if not path or path == ":memory:" or not Path(path).is_file():
            typer.echo(
                f"error: no register database at {path or url} (config: {where}); give the right --config, or "
                "start the gateway once (`gateway run`) to create it",
                err=True,
            )
            raise typer.Exit(2)
    try:
        return open_reader(url)
    except SQLAlchemyError as exc:
        typer.echo(f"error: the register database is unreachable ({_short(exc)}); config: {where}", err=True)
        raise typer.Exit(2) from exc


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def build_or_exit(settings: Settings, *, profile: str | None = None):
    """The warm pipeline stages, or exit 2 naming what in the configuration or rule files is wrong."""
    from gateway.pipeline import build_stages
    from gateway.rules import RuleError

    try:
        return build_stages(settings, profile=profile)
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except RuleError as exc:
        typer.echo(f"rules error:\n{exc}", err=True)
        raise typer.Exit(2) from exc
