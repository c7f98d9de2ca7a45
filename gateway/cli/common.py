"""What every CLI command shares: the --config option and loading settings with a clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gateway.config import ConfigError, Settings, load_settings

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Path to config.toml (default: ./config.toml, else built-in defaults)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def load(config: Path | None, *, secrets: bool = True) -> Settings:
    """Settings from --config, or exit 2 with the file, key and problem. `secrets=False` for commands that
    only read the register: a password kept in an unset environment variable is then no error."""
    try:
        return load_settings(config, secrets=secrets)
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


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
