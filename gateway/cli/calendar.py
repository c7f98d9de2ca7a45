"""`gateway calendar …`: the official time of receipt of an instant, a year's days off, a config check."""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gateway.cli.common import ConfigOption, JsonOption, load
from gateway.config import ConfigError, load_settings
from gateway.models import to_jsonable
from gateway.office_calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    WEEKDAY_NAMES_VI,
    InvalidTimeError,
    OfficeCalendar,
    alert_settings,
    calendar_settings,
    load_calendar,
    needs_urgent_alert,
    reception,
)
from gateway.urgency import HOA_TOC, KHAN, THUONG_KHAN
from gateway.vntime import VN_TZ

app = typer.Typer(help="Office hours, days off and the official time of receipt (R13, R14).", no_args_is_help=True)


class Urgency(enum.StrEnum):
    normal = "normal"
    khan = KHAN
    thuong_khan = THUONG_KHAN
    hoa_toc = HOA_TOC


def _calendar(config: Path | None) -> OfficeCalendar:
    try:
        return load_calendar(load(config))
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _instant(text: str) -> datetime:
    try:
        t = datetime.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO 8601 time like 2026-01-02T22:00:00+07:00") from None
    return t if t.tzinfo else t.replace(tzinfo=VN_TZ)


def _dates_of(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def _weekday(d: date) -> str:
    return WEEKDAY_NAMES_VI[d.weekday()]


@app.command("official-time")
def official_time(
    when: Annotated[
        str,
        typer.Argument(
            help="When the letter entered the system, ISO 8601 (2026-01-02T22:00:00+07:00, …Z); "
            "a time without an offset is read as Vietnam time."
        ),
    ],
    urgency: Annotated[
        Urgency, typer.Option("--urgency", "-u", help="The document's urgency, for the deadline.")
    ] = Urgency.normal,
    json_: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """The official time of receipt (R13), whether it was after hours, and the processing deadline."""
    calendar = _calendar(config)
    code = None if urgency is Urgency.normal else urgency.value
    try:
        rec = reception(_instant(when), calendar, urgency=code)
    except InvalidTimeError as exc:
        raise typer.BadParameter(str(exc)) from None
    data = to_jsonable(rec) | {
        "urgency": urgency.value,
        "urgent_alert": needs_urgent_alert(rec, code),
    }
    if json_:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    days = calendar.settings.deadlines.for_urgency(code)
    typer.echo(f"received at:    {data['received_at']}  ({_weekday(rec.received_at)})")
    typer.echo(f"official time:  {data['official_received_at']}  ({_weekday(rec.official_received_at)})")
    typer.echo(f"after hours:    {'yes' if rec.after_hours else 'no'}")
    typer.echo(f"deadline:       {data['deadline']}  ({days} working days, {urgency.value})")
    if data["urgent_alert"]:
        typer.echo("urgent alert:   yes, the on-duty officer is told at once (R14)")


@app.command("holidays")
def holidays_cmd(
    year: Annotated[int, typer.Argument(help="The year, e.g. 2026.", min=FIRST_YEAR, max=LAST_YEAR)],
    json_: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """The year's days off and make-up working days, with their Vietnamese names."""
    calendar = _calendar(config)
    days = sorted(calendar.special_days(year).values(), key=lambda d: d.day)
    working = sum(calendar.is_working_day(d) for d in _dates_of(year))
    if json_:
        rows = [
            {
                "date": d.day.isoformat(),
                "weekday": _weekday(d.day),
                "kind": "working_day" if d.working else "day_off",
                "name": d.name,
                "source": d.source,
            }
            for d in days
        ]
        out = {"year": year, "working_days": working, "days": rows}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Days off and make-up working days, {year}", caption=f"{working} working days")
    for column in ("Date", "Weekday", "Kind", "Name", "Source"):
        table.add_column(column)
    for d in days:
        kind = "[green]working day[/]" if d.working else "day off"
        table.add_row(d.day.isoformat(), _weekday(d.day), kind, escape(d.name), d.source)
    Console(width=None if sys.stdout.isatty() else 120).print(table)


@app.command("check")
def check(config: ConfigOption = None) -> None:
    """Validate the calendar and alerts tables; an error names the file, the key and the problem (exit 1)."""
    try:
        settings = load_settings(config)
        cal = calendar_settings(settings.section("calendar"))
        alerts = alert_settings(settings.section("alerts"))
        calendar = OfficeCalendar(cal)
        this_year = datetime.now(VN_TZ).year
        off = len(calendar.days_off(this_year))
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"calendar of {settings.file or 'the built-in defaults'}: OK")
    for i, sessions in enumerate(cal.schedule.week):
        if sessions:
            typer.echo(f"  {WEEKDAY_NAMES_VI[i]}: {', '.join(map(str, sessions))}")
    for season in cal.seasons:
        hours = ", ".join(map(str, season.schedule.default))
        start, end = (f"{m:02d}-{d:02d}" for m, d in (season.start, season.end))
        typer.echo(f"  season {season.name}: {start} .. {end}: {hours}")
    lunch = "office hours" if cal.lunch_break_is_office_hours else "outside office hours"
    typer.echo(f"  lunch break: {lunch}")
    typer.echo(f"  extra days off: {len(cal.days_off)}, make-up working days: {len(cal.working_days)}")
    typer.echo(f"  named days off in {this_year}: {off}")
    d = cal.deadlines
    typer.echo(
        f"  deadlines (working days): normal {d.normal}, khan {d.khan}, "
        f"thuong_khan {d.thuong_khan}, hoa_toc {d.hoa_toc}"
    )
    if alerts.on_duty:
        typer.echo(f"  on duty: {', '.join(alerts.on_duty)}")
    else:
        typer.echo("  warning: [alerts] on_duty is empty: nobody is told of urgent mail after hours (R14)")
