"""The `[calendar]` and `[alerts]` tables of config.toml → typed, validated settings.

```toml
[calendar]
sessions = ["07:30-11:30", "13:30-17:00"]        # office sessions of every working weekday
working_weekdays = ["mon", "tue", "wed", "thu", "fri"]
lunch_break_is_office_hours = false              # true: 11:30–13:30 counts as office hours too

[calendar.weekday_sessions]                      # optional: one weekday with its own sessions
fri = ["07:30-11:30", "13:30-16:30"]

[[calendar.season]]                              # optional: recurring date ranges (MM-DD, inclusive)
name = "Giờ làm việc mùa hè"
from = "05-01"
until = "09-30"
sessions = ["07:00-11:30", "14:00-17:00"]

[calendar.days_off]                              # extra days off, by date
2026-03-10 = "Nghỉ theo quyết định của UBND tỉnh"

[calendar.working_days]                          # make-up working days (làm bù), by date
2026-08-22 = "Làm bù cho thứ Hai 31/08/2026"

[calendar.deadlines]                             # processing deadline, in working days (0 = same day)
normal = 7
khan = 2
thuong_khan = 1
hoa_toc = 0

[alerts]
on_duty = ["truc.ban@example.gov.vn"]            # told at once of urgent mail after hours (R14)
```
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from gateway.config import Section
from gateway.urgency import URGENCIES
from gateway.vntext import nfc

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
MAX_DEADLINE_DAYS = 365


@dataclass(frozen=True)
class Session:
    """One office session; both ends are inside office hours, to the second (17:00:00 is, 17:00:01 not)."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Schedule:
    """Sessions for each weekday (index 0 = Monday); an empty tuple is a weekly day of rest.

    `default` serves make-up working days (làm bù) that fall on a weekly day of rest.
    """

    default: tuple[Session, ...]
    week: tuple[tuple[Session, ...], ...]

    def sessions_on(self, day: date) -> tuple[Session, ...]:
        return self.week[day.weekday()] or self.default


@dataclass(frozen=True)
class Season:
    """A recurring date range (month, day) with its own sessions, e.g. a province's summer hours.

    Both ends are inclusive; a range may run over the new year (from 10-15 until 04-14).
    """

    name: str
    start: tuple[int, int]
    end: tuple[int, int]
    schedule: Schedule

    def covers(self, day: date) -> bool:
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end


@dataclass(frozen=True)
class Deadlines:
    """Working days to process a document, by urgency, counted from the official time of receipt.

    Defaults: 7 for ordinary documents, 2 for khẩn, 1 for thượng khẩn, 0 (the same working day) for hỏa
    tốc. Agencies set their own in their working rules (quy chế làm việc); these are a common practice.
    """

    normal: int = 7
    khan: int = 2
    thuong_khan: int = 1
    hoa_toc: int = 0

    def for_urgency(self, urgency: str | None) -> int:
        """An unknown or missing urgency counts as an ordinary document."""
        return getattr(self, urgency) if urgency in URGENCIES else self.normal


STANDARD_DAY = (Session(time(7, 30), time(11, 30)), Session(time(13, 30), time(17, 0)))
STANDARD_WEEK = Schedule(default=STANDARD_DAY, week=(STANDARD_DAY,) * 5 + ((), ()))  # Monday to Friday


@dataclass(frozen=True)
class CalendarSettings:
    """The office calendar as configured; the default is the civil service's (Monday to Friday,
    07:30–11:30 and 13:30–17:00, lunch break outside office hours)."""

    schedule: Schedule = STANDARD_WEEK
    seasons: tuple[Season, ...] = ()
    lunch_break_is_office_hours: bool = False
    days_off: dict[date, str] = field(default_factory=dict)  # admin extra days off
    working_days: dict[date, str] = field(default_factory=dict)  # admin make-up working days
    deadlines: Deadlines = field(default_factory=Deadlines)


@dataclass(frozen=True)
class AlertSettings:
    """Who is told at once: the duty officer of urgent mail after hours (R14); the admin of broken rule edits."""

    on_duty: tuple[str, ...] = ()
    admin: tuple[str, ...] = ()


_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ADDRESS = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+$")


def _clock(text: str) -> time | None:
    m = _TIME.match(text)
    return time(int(m.group(1)), int(m.group(2))) if m else None


def _session(sec: Section, name: str, text: str) -> Session:
    ends = [_clock(part) for part in re.split(r"\s*[-–]\s*", text.strip())]
    start, end = ends if len(ends) == 2 else (None, None)
    if start is None or end is None:
        raise sec.error(name, f'{text!r} is not a session like "07:30-11:30"')
    if start >= end:
        raise sec.error(name, f"session {text!r} ends before it starts")
    return Session(start, end)


def _sessions(sec: Section, name: str, default: tuple[Session, ...] | None) -> tuple[Session, ...]:
    texts = sec.str_list(name, None)
    if texts is None:
        if default is None:
            raise sec.error(name, "is required")
        return default
    if not texts:
        raise sec.error(name, "needs at least one session")
    sessions = sorted((_session(sec, name, t) for t in texts), key=lambda s: s.start)
    for before, after in itertools.pairwise(sessions):
        if after.start <= before.end:
            raise sec.error(name, f"sessions {before} and {after} overlap")
    return tuple(sessions)


def _schedule(sec: Section, working: frozenset[int], default: tuple[Session, ...] | None) -> Schedule:
    sessions = _sessions(sec, "sessions", default)
    overrides = sec.table("weekday_sessions")
    week = []
    for i, name in enumerate(WEEKDAYS):
        if i in working:
            week.append(_sessions(overrides, name, sessions))
        elif overrides.has(name):
            raise overrides.error(name, "is not one of the working weekdays")
        else:
            week.append(())
    overrides.check_unknown()
    return Schedule(default=sessions, week=tuple(week))


def _weekdays(sec: Section) -> frozenset[int]:
    names = sec.str_list("working_weekdays", WEEKDAYS[:5])
    for name in names:
        if name not in WEEKDAYS:
            raise sec.error("working_weekdays", f"{name!r} is not one of {', '.join(WEEKDAYS)}")
    if not names:
        raise sec.error("working_weekdays", "needs at least one working weekday")
    return frozenset(WEEKDAYS.index(n) for n in names)


def _is_month_day(month: int, day: int) -> bool:
    try:
        date(2024, month, day)  # a leap year: 02-29 is a valid boundary
    except ValueError:
        return False
    return True


def _month_day(sec: Section, name: str) -> tuple[int, int]:
    text = sec.str(name)
    m = _MONTH_DAY.match(text)
    if not m or not _is_month_day(int(m.group(1)), int(m.group(2))):
        raise sec.error(name, f'{text!r} is not a month and day like "05-01"')
    return int(m.group(1)), int(m.group(2))


def _seasons(root: Section, working: frozenset[int]) -> tuple[Season, ...]:
    seasons = []
    for sec in root.tables("season"):
        season = Season(
            name=nfc(sec.str("name")),
            start=_month_day(sec, "from"),
            end=_month_day(sec, "until"),
            schedule=_schedule(sec, working, None),
        )
        sec.check_unknown()
        seasons.append(season)
    day = date(2024, 1, 1)
    while day.year == 2024:  # every month-day once, 02-29 included
        covering = [s.name for s in seasons if s.covers(day)]
        if len(covering) > 1:
            raise root.error("season", f"{' and '.join(covering)} both cover {day:%m-%d}")
        day += timedelta(days=1)
    return tuple(seasons)


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if _ISO_DATE.match(text) else None
    except ValueError:
        return None


def date_table(sec: Section, name: str) -> dict[date, str]:
    """A table of `YYYY-MM-DD = "name"` lines."""
    table = sec.table(name)
    days: dict[date, str] = {}
    for key, value in table.data.items():
        day = _iso_date(key)
        if day is None:
            raise table.error(key, "is not a date like 2026-08-22")
        if not isinstance(value, str) or not value.strip():
            raise table.error(key, "must be the day's name, a non-empty string")
        days[day] = nfc(value.strip())
    return days


def _deadlines(sec: Section) -> Deadlines:
    d = Deadlines()
    values = {k: sec.int(k, getattr(d, k), minimum=0) for k in ("normal", *URGENCIES)}
    for key, value in values.items():
        if value > MAX_DEADLINE_DAYS:
            raise sec.error(key, f"must be at most {MAX_DEADLINE_DAYS} working days, not {value}")
    sec.check_unknown()
    return Deadlines(**values)


def calendar_settings(sec: Section) -> CalendarSettings:
    """Parse `[calendar]`; raises `ConfigError` naming the file, the key and the problem."""
    working = _weekdays(sec)
    schedule = _schedule(sec, working, STANDARD_DAY)
    seasons = _seasons(sec, working)
    days_off = date_table(sec, "days_off")
    working_days = date_table(sec, "working_days")
    both = sorted(days_off.keys() & working_days.keys())
    if both:
        raise sec.error(f"working_days.{both[0]}", "is also listed in days_off")
    settings = CalendarSettings(
        schedule=schedule,
        seasons=seasons,
        lunch_break_is_office_hours=sec.bool("lunch_break_is_office_hours", False),
        days_off=days_off,
        working_days=working_days,
        deadlines=_deadlines(sec.table("deadlines")),
    )
    sec.check_unknown()
    return settings


def alert_settings(sec: Section) -> AlertSettings:
    """Parse `[alerts]`; raises `ConfigError` naming the file, the key and the problem."""
    lists = {}
    for key in ("on_duty", "admin"):
        lists[key] = sec.str_list(key, ())
        for address in lists[key]:
            if not _ADDRESS.match(address):
                raise sec.error(key, f"{address!r} is not an e-mail address")
    sec.check_unknown()
    return AlertSettings(**lists)
