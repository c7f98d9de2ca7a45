"""`gateway dms …`: the hand-off to the agency's DMS (R18, R19), its status packages, and recalls (R17)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gateway.cli.common import ConfigOption, JsonOption, build_or_exit, load

app = typer.Typer(help="The agency's DMS: hand-off queue, statuses, recall requests.", no_args_is_help=True)
STATE_VI = {"pending": "chờ xác nhận", "confirmed": "đã thực hiện", "declined": "không thực hiện", "refused": "từ chối"}


def _open(config):
    from gateway.register.db import open_database
    from gateway.register.dms import build_dms

    settings = load(config, secrets=True)
    stages = build_or_exit(settings)
    return open_database(settings.database_url), build_dms(settings, stages.templates, stages.alerts.admin)


@app.command("status")
def status(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """The backlog and health of each DMS destination; pending recall requests."""
    from sqlalchemy import func, select

    from gateway.register.handoff import status_report
    from gateway.register.schema import RecallRequestRow
    from gateway.vntime import vn_datetime

    sessions, rt = _open(config)
    with sessions() as s:
        report = status_report(s, rt.settings.destinations)
        recalls = s.scalar(select(func.count(RecallRequestRow.id)).where(RecallRequestRow.state == "pending")) or 0
    if json_out:
        data = {"backends": list(rt.settings.backends), "destinations": report, "pending_recalls": recalls}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(f"Backends: {', '.join(rt.settings.backends)}")
    table = Table(title="Chuyển văn bản sang hệ thống quản lý văn bản")
    for col in ("Đích", "Chờ chuyển", "Chờ từ", "Đã chuyển", "Lỗi", "Gián đoạn từ", "Lỗi gần nhất"):
        table.add_column(col, overflow="fold")
    for r in report:
        table.add_row(
            r["destination"],
            str(r["backlog"]),
            vn_datetime(r["oldest_waiting"]) if r["oldest_waiting"] else "",
            str(r["sent"]),
            str(r["failed"]),
            vn_datetime(r["down_since"]) if r["down_since"] else "hoạt động",
            r["last_error"] or "",
        )
    console.print(table)
    console.print(f"Đề nghị thu hồi chờ xác nhận: {recalls}")


@app.command("recalls")
def recalls(
    config: ConfigOption = None,
    json_out: JsonOption = False,
    every: Annotated[bool, typer.Option("--all", help="Also decided and refused requests.")] = False,
) -> None:
    """Recall and replacement requests (R17); pending ones await `gateway dms confirm` or `decline`."""
    from sqlalchemy import select

    from gateway.register.recall import request_dict
    from gateway.register.schema import RecallRequestRow, RegisterEntryRow

    sessions, _rt = _open(config)
    with sessions() as s:
        q = select(RecallRequestRow).order_by(RecallRequestRow.id)
        if not every:
            q = q.where(RecallRequestRow.state == "pending")
        rows = [request_dict(r, s.get(RegisterEntryRow, r.entry_id) if r.entry_id else None) for r in s.scalars(q)]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title="Đề nghị thu hồi / thay thế")
    for col in ("#", "Loại", "Văn bản", "Số đến", "Lý do", "Trạng thái"):
        table.add_column(col, overflow="fold")
    for r in rows:
        kind = "thay thế" if r["kind"] == "replace" else "thu hồi"
        table.add_row(
            str(r["id"]),
            kind,
            r["notation"] or "",
            r["entry"] or "",
            r["reason"] or r["refusal"] or "",
            STATE_VI.get(r["state"], r["state"]),
        )
    Console().print(table)


@app.command("confirm")
def confirm(
    request_id: Annotated[int, typer.Argument(help="The request's number (gateway dms recalls).")],
    config: ConfigOption = None,
    clerk: Annotated[str, typer.Option("--clerk", help="Who confirms (for the history).")] = "văn thư",
) -> None:
    """Confirm a recall or replacement: the entry is recalled, the DMS told, the sender answered."""
    from gateway.register.recall import RecallError
    from gateway.register.recall import confirm as confirm_request

    sessions, rt = _open(config)
    try:
        with sessions.begin() as s:
            done = confirm_request(s, rt, request_id, actor=clerk)
            typer.echo(
                f"request {request_id}: confirmed; {done.handoffs} package(s) queued for the DMS; "
                f"sender {'answered' if done.answered else 'not answered (no reply address)'}"
            )
    except RecallError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("decline")
def decline(
    request_id: Annotated[int, typer.Argument(help="The request's number (gateway dms recalls).")],
    reason: Annotated[str, typer.Option("--reason", help="Why, in Vietnamese: the sender is told.")],
    config: ConfigOption = None,
    clerk: Annotated[str, typer.Option("--clerk", help="Who declines (for the history).")] = "văn thư",
) -> None:
    """Decline a recall or replacement request, telling the sender why."""
    from gateway.register.recall import RecallError
    from gateway.register.recall import decline as decline_request

    sessions, rt = _open(config)
    try:
        with sessions.begin() as s:
            decline_request(s, rt, request_id, actor=clerk, reason=reason)
            typer.echo(f"request {request_id}: declined")
    except RecallError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("show")
def show(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="An edXML package (.edxml, .xml).")],
    json_out: JsonOption = False,
) -> None:
    """Read an edXML package: its header, attachments, and whether it matches the gateway's schema."""
    from gateway.cli.show import print_package
    from gateway.edxml import PackageError, read_package, schema_errors

    data = file.read_bytes()
    try:
        read = read_package(data)
    except PackageError as exc:
        typer.echo(f"not a readable edXML package: {exc}", err=True)
        raise typer.Exit(1) from exc
    print_package(read, schema_errors(data), json_out=json_out)
