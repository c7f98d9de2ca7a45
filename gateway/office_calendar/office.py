"""`OfficeCalendar`: working days, office hours, the official time of receipt (R13) and deadlines.

All times are read in Vietnam's time zone (Asia/Ho_Chi_Minh, +07:00; TTg Đ14.4) and to the second:
an aware datetime in any zone is converted, microseconds are dropped, a naive datetime is refused
(`InvalidTimeError`, a `ValueError`), since a time without a zone could be anybody's; so is one outside
the years 1976–2100.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from gateway.config import Settings
from gateway.office_calendar.days import SpecialDay, build_special_days
from gateway.office_calendar.settings import CalendarSettings, Session, calendar_settings
from gateway.vntime import VN_TZ

FIRST_YEAR, LAST_YEAR = 1976, 2100  # Vietnam has kept +07:00 since 1975; `holidays` computes lunar dates
SEARCH_DAYS = 3 * 366  # no office session for this long means the calendar is broken


class InvalidTimeError(ValueError):
    """A time the calendar cannot place: without a time zone, or outside the years it covers."""


def vn_time(t: datetime) -> datetime:
    """`t` in Vietnam's time zone, to the second; raises `InvalidTimeError` for a naive `t` or one
    outside the years the calendar covers."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise InvalidTimeError(f"{t.isoformat()} has no time zone; give one, e.g. +07:00 or Z")
    try:
        local = t.astimezone(VN_TZ).replace(microsecond=0)
    except OverflowError:
        local = None
    if local is None or not FIRST_YEAR <= local.year <= LAST_YEAR:
        raise InvalidTimeError(f"{t.isoformat()} is outside the years {FIRST_YEAR}–{LAST_YEAR}")
    return local


class OfficeCalendar:
    """The office calendar built once from `CalendarSettings`; each year's special days are computed
    when first needed and kept."""

    def __init__(self, settings: CalendarSettings | None = None):
        self.settings = settings or CalendarSettings()
        self._years: dict[int, dict[date, SpecialDay]] = {}

    def special_days(self, year: int) -> dict[date, SpecialDay]:
        if year not in self._years:
            self._years[year] = build_special_days(year, self.settings.days_off, self.settings.working_days)
        return self._years[year]

    def days_off(self, year: int) -> list[SpecialDay]:
        """Named days off of `year` (weekly days of rest not included), by date."""
        return self._by_date(year, working=False)

    def make_up_days(self, year: int) -> list[SpecialDay]:
        """Make-up working days (làm bù) of `year`, by date."""
        return self._by_date(year, working=True)

    def _by_date(self, year: int, *, working: bool) -> list[SpecialDay]:
        return sorted((d for d in self.special_days(year).values() if d.working is working), key=lambda d: d.day)

    def is_working_day(self, d: date) -> bool:
        if isinstance(d, datetime):
            d = vn_time(d).date()
        special = self.special_days(d.year).get(d)
        if special is not None:
            return special.working
        return bool(self.settings.schedule.week[d.weekday()])

    def sessions(self, d: date) -> tuple[Session, ...]:
        """The office hours of day `d` (none on a day off); with the lunch break counted as office hours,
        one session from the first start to the last end."""
        if not self.is_working_day(d):
            return ()
        season = next((s for s in self.settings.seasons if s.covers(d)), None)
        sessions = (season.schedule if season else self.settings.schedule).sessions_on(d)
        if self.settings.lunch_break_is_office_hours and len(sessions) > 1:
            return (Session(sessions[0].start, sessions[-1].end),)
        return sessions

    def in_office_hours(self, t: datetime) -> bool:
        """True from a session's first second to its last one, both included (17:00:00 is inside)."""
        t = vn_time(t)
        return any(s.start <= t.time() <= s.end for s in self.sessions(t.date()))

    def official_time(self, received_at: datetime) -> datetime:
        """R13 (KH Đ11.2): inside office hours, the time of receipt itself; outside, the start of the next
        office session on a working day. Always in +07:00, to the second; applying it twice changes
        nothing."""
        t = vn_time(received_at)
        if self.in_office_hours(t):
            return t
        day = t.date()
        for _ in range(SEARCH_DAYS):
            for session in self.sessions(day):
                start = datetime.combine(day, session.start, VN_TZ)
                if start > t:
                    return start
            day += timedelta(days=1)
        raise ValueError(f"no office hours in the {SEARCH_DAYS} days after {t.isoformat()}: check [calendar]")

    def add_working_days(self, start: datetime, n: int) -> date:
        """The `n`-th working day after the day of `start`'s official time of receipt (n = 0: that day)."""
        if n < 0:
            raise ValueError(f"a number of working days cannot be negative: {n}")
        day = self.official_time(start).date()
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def deadline(self, start: datetime, urgency: str | None) -> date:
        """The processing deadline for a document of `urgency` (`[calendar.deadlines]`)."""
        return self.add_working_days(start, self.settings.deadlines.for_urgency(urgency))


def load_calendar(settings: Settings) -> OfficeCalendar:
    """The office calendar of `settings` (`[calendar]`, or the default); raises `ConfigError`."""
    return OfficeCalendar(calendar_settings(settings.section("calendar")))
