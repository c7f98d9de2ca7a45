"""`gateway users …`: accounts of the clerk's web workplace (văn thư, lãnh đạo, admin)."""

from __future__ import annotations

import enum
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gateway.cli.common import ConfigOption, load, open_existing_reader

app = typer.Typer(help="Accounts of the web workplace (gateway web).", no_args_is_help=True)


class RoleOption(enum.StrEnum):
    van_thu = "van_thu"
    lanh_dao = "lanh_dao"
    admin = "admin"


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input instead of a prompt.")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _writers(config):
    from gateway.register.db import open_database

    return open_database(load(config, secrets=False).database_url)


def _run(config, action) -> None:
    from gateway.register.audit import audit
    from gateway.web.users import UserError

    try:
        with _writers(config).begin() as s:
            done = action(s)
            audit(s, "cli", done[0], detail=done[1], remote="cli")
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name (letters, digits, '.', '_', '-').")],
    role: Annotated[RoleOption, typer.Option("--role", help="van_thu (acts), lanh_dao (reads), admin.")],
    name: Annotated[str, typer.Option("--name", help="Full name, as the history shows it.")] = "",
    password_stdin: PasswordStdin = False,
    config: ConfigOption = None,
) -> None:
    """Create an account; the password is asked for (twice) unless --password-stdin."""
    from gateway.web.users import Role, add_user

    password = _password(password_stdin)

    def action(s):
        user = add_user(s, username=username, full_name=name or username, role=Role(role.value), password=password)
        return "user_add", {"username": user.username, "role": user.role.value}

    _run(config, action)
    typer.echo(f"user {username.lower()} ({role.value}) created")


def _change(config, audit_action: str, username: str, change) -> None:
    def action(s):
        change(s)
        return audit_action, {"username": username}

    _run(config, action)


@app.command("passwd")
def passwd(username: str, password_stdin: PasswordStdin = False, config: ConfigOption = None) -> None:
    """Set a new password (the user's sessions end)."""
    from gateway.web.users import set_password

    password = _password(password_stdin)
    _change(config, "user_passwd", username, lambda s: set_password(s, username, password))
    typer.echo(f"password of {username} changed")


@app.command("disable")
def disable(username: str, config: ConfigOption = None) -> None:
    """Lock an account (its sessions end); `enable` opens it again."""
    from gateway.web.users import set_active

    _change(config, "user_disable", username, lambda s: set_active(s, username, False))
    typer.echo(f"user {username} disabled")


@app.command("enable")
def enable(username: str, config: ConfigOption = None) -> None:
    """Unlock an account."""
    from gateway.web.users import set_active

    _change(config, "user_enable", username, lambda s: set_active(s, username, True))
    typer.echo(f"user {username} enabled")


@app.command("list")
def list_(config: ConfigOption = None) -> None:
    """List the accounts."""
    from gateway.web.users import ROLE_VI, Role, list_users

    with open_existing_reader(load(config))() as s:
        users = list_users(s)
    table = Table(title="Tài khoản")
    for col in ("Tên đăng nhập", "Họ tên", "Vai trò", "Hoạt động"):
        table.add_column(col)
    for u in users:
        table.add_row(escape(u.username), escape(u.full_name), ROLE_VI[Role(u.role)], "có" if u.active else "đã khóa")
    Console().print(table)
