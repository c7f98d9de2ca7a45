"""Office hours, days off, the official time of receipt (R13), deadlines and urgent alerts (R14)."""

from __future__ import annotations

import tomllib
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.config import ConfigError, load_settings, parse_settings
from gateway.models import Reception
from gateway.office_calendar import (
    InvalidTimeError,
    OfficeCalendar,
    alert_settings,
    calendar_settings,
    load_calendar,
    needs_urgent_alert,
    numbering_year,
    reception,
)
from gateway.vntime import VN_TZ

DEFAULT = OfficeCalendar()


@pytest.fixture(autouse=True)
def _no_local_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no ./config.toml is, so "no --config" means the built-in defaults."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def vn(text: str) -> datetime:
    """An ISO 8601 time; without an offset, Vietnam time."""
    t = datetime.fromisoformat(text)
    return t if t.tzinfo else t.replace(tzinfo=VN_TZ)


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def calendar_from(tmp_path: Path, text: str) -> OfficeCalendar:
    return load_calendar(load_settings(write_config(tmp_path, text)))


# --- the announced civil-service calendars (shipped data + `holidays`) --------------------------------


def test_2025_tet_nine_days_off_saturday_to_sunday():
    # 2025 Tết Ất Tỵ: off Sat 25/01 .. Sun 02/02, i.e. every weekday Mon 27/01 – Fri 31/01.
    assert not any(DEFAULT.is_working_day(d) for d in days(date(2025, 1, 25), date(2025, 2, 2)))
    assert DEFAULT.is_working_day(date(2025, 1, 24))
    assert DEFAULT.is_working_day(date(2025, 2, 3))


def test_2025_april_swap_and_national_day():
    assert DEFAULT.is_working_day(date(2025, 4, 26))  # Saturday worked
    for off in (date(2025, 4, 7), date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)):
        assert not DEFAULT.is_working_day(off), off
    assert DEFAULT.is_working_day(date(2025, 5, 5))
    assert not any(DEFAULT.is_working_day(d) for d in days(date(2025, 8, 30), date(2025, 9, 2)))
    assert DEFAULT.is_working_day(date(2025, 8, 29))
    assert DEFAULT.is_working_day(date(2025, 9, 3))
    assert [d.day for d in DEFAULT.make_up_days(2025)] == [date(2025, 4, 26)]


def test_2026_tet_and_hung_kings_observed():
    assert not any(DEFAULT.is_working_day(d) for d in days(date(2026, 2, 14), date(2026, 2, 22)))
    assert DEFAULT.is_working_day(date(2026, 2, 13))
    assert DEFAULT.is_working_day(date(2026, 2, 23))  # back on Monday
    assert not DEFAULT.is_working_day(date(2026, 4, 26))  # 10/3 lunar, a Sunday
    assert not DEFAULT.is_working_day(date(2026, 4, 27))  # observed on Monday
    assert DEFAULT.is_working_day(date(2026, 4, 28))


def test_2026_august_swap_and_national_day():
    assert DEFAULT.is_working_day(date(2026, 8, 22))  # Saturday worked
    assert not any(DEFAULT.is_working_day(d) for d in days(date(2026, 8, 29), date(2026, 9, 2)))
    assert DEFAULT.is_working_day(date(2026, 9, 3))
    assert [d.day for d in DEFAULT.make_up_days(2026)] == [date(2026, 8, 22)]


def test_holiday_names_are_vietnamese_nfc():
    names = {d.day: d.name for d in DEFAULT.days_off(2026)}
    assert names[date(2026, 2, 17)] == "Tết Nguyên Đán"
    assert names[date(2026, 9, 2)] == "Quốc khánh"
    assert "Giỗ Tổ Hùng Vương" in names[date(2026, 4, 26)]
    assert "nghỉ bù" in names[date(2026, 4, 27)]
    assert "22/08/2026" in names[date(2026, 8, 31)]
    assert "Làm bù" in DEFAULT.make_up_days(2026)[0].name
    assert all(unicodedata.is_normalized("NFC", n) for n in names.values())
    # Tết Ất Tỵ had no 30 Tết: the shipped data renames holidays' "29 Tết" on Monday 27/01/2025.
    assert {d.day: d.name for d in DEFAULT.days_off(2025)}[date(2025, 1, 27)].endswith("(28 tháng Chạp)")


def test_days_off_lists_sources():
    sources = {d.day: d.source for d in DEFAULT.days_off(2026) + DEFAULT.make_up_days(2026)}
    assert sources[date(2026, 2, 17)] == "public_holiday"
    assert sources[date(2026, 8, 31)] == "announced"
    assert sources[date(2026, 8, 22)] == "announced"


# --- the official time of receipt (R13) --------------------------------------------------------------

OFFICIAL = [
    # (received, official); 2026-01-05 is a Monday. A session's first and last seconds are inside.
    ("2026-01-05T07:29:59", "2026-01-05T07:30:00"),
    ("2026-01-05T07:30:00", "2026-01-05T07:30:00"),
    ("2026-01-05T11:30:00", "2026-01-05T11:30:00"),
    ("2026-01-05T11:30:01", "2026-01-05T13:30:00"),
    ("2026-01-05T12:15:00", "2026-01-05T13:30:00"),
    ("2026-01-05T13:29:59", "2026-01-05T13:30:00"),
    ("2026-01-05T17:00:00", "2026-01-05T17:00:00"),
    ("2026-01-05T17:00:01", "2026-01-06T07:30:00"),
    ("2026-01-05T23:59:59", "2026-01-06T07:30:00"),
    ("2026-01-09T17:00:01", "2026-01-12T07:30:00"),  # Friday evening → Monday
    ("2026-01-10T09:00:00", "2026-01-12T07:30:00"),  # Saturday
    ("2026-02-13T17:00:01", "2026-02-23T07:30:00"),  # the eve of Tết 2026
    ("2026-08-21T18:00:00", "2026-08-22T07:30:00"),  # → the make-up Saturday
    ("2026-08-22T10:00:00", "2026-08-22T10:00:00"),  # on the make-up Saturday itself
    ("2026-08-28T17:30:00", "2026-09-03T07:30:00"),  # over 29/08 – 02/09
    ("2025-01-24T17:00:01", "2025-02-03T07:30:00"),  # the eve of Tết 2025
    ("2025-04-25T17:30:00", "2025-04-26T07:30:00"),  # → Saturday 26/04/2025, worked
    ("2025-04-29T18:00:00", "2025-05-05T07:30:00"),  # over 30/04, 01/05, 02/05 and the weekend
    ("2025-08-29T17:30:00", "2025-09-03T07:30:00"),
]


@pytest.mark.parametrize(("received", "official"), OFFICIAL)
def test_official_time(received: str, official: str):
    rec = reception(vn(received), DEFAULT, urgency=None)
    assert rec.official_received_at.isoformat() == official + "+07:00"
    assert rec.after_hours is (received != official)
    assert rec.received_at.isoformat() == received + "+07:00"


def test_fractions_of_a_second_are_dropped():
    rec = reception(vn("2026-01-05T17:00:00.999999"), DEFAULT, urgency=None)
    assert rec.received_at.isoformat() == "2026-01-05T17:00:00+07:00"
    assert not rec.after_hours


@pytest.mark.parametrize(
    ("received", "received_vn", "official"),
    [
        ("2026-01-05T01:00:00Z", "2026-01-05T08:00:00+07:00", "2026-01-05T08:00:00+07:00"),
        ("2026-01-05T10:00:00+00:00", "2026-01-05T17:00:00+07:00", "2026-01-05T17:00:00+07:00"),
        ("2026-01-05T10:00:01Z", "2026-01-05T17:00:01+07:00", "2026-01-06T07:30:00+07:00"),
        ("2026-01-05T19:30:00-05:00", "2026-01-06T07:30:00+07:00", "2026-01-06T07:30:00+07:00"),
        ("2026-01-06T01:30:00+09:00", "2026-01-05T23:30:00+07:00", "2026-01-06T07:30:00+07:00"),
    ],
)
def test_received_time_in_another_zone_is_normalised(received: str, received_vn: str, official: str):
    rec = reception(datetime.fromisoformat(received), DEFAULT, urgency=None)
    assert rec.received_at.isoformat() == received_vn
    assert rec.official_received_at.isoformat() == official


def test_naive_time_is_refused():
    naive = datetime(2026, 1, 5, 8, 0)
    with pytest.raises(InvalidTimeError, match="no time zone"):
        DEFAULT.official_time(naive)
    with pytest.raises(ValueError, match="no time zone"):
        reception(naive, DEFAULT, urgency=None)
    with pytest.raises(InvalidTimeError):
        DEFAULT.in_office_hours(naive)


@pytest.mark.parametrize(
    "bogus",
    [
        datetime(9999, 12, 31, 23, 59, tzinfo=VN_TZ),
        datetime(1, 1, 1, tzinfo=VN_TZ),
        datetime(1970, 1, 1, tzinfo=UTC),
    ],
)
def test_time_outside_the_covered_years_is_refused(bogus: datetime):
    with pytest.raises(InvalidTimeError, match="outside the years 1976–2100"):
        reception(bogus, DEFAULT, urgency=None)


def test_lunch_break_policy(tmp_path: Path):
    lunch_in = calendar_from(tmp_path, "[calendar]\nlunch_break_is_office_hours = true\n")
    for t in ("2026-01-05T11:30:01", "2026-01-05T12:00:00", "2026-01-05T13:29:59"):
        assert lunch_in.in_office_hours(vn(t))
        assert not DEFAULT.in_office_hours(vn(t))
    assert lunch_in.official_time(vn("2026-01-05T17:00:01")) == vn("2026-01-06T07:30:00")
    assert lunch_in.official_time(vn("2026-01-05T07:00:00")) == vn("2026-01-05T07:30:00")
    assert DEFAULT.official_time(vn("2026-01-05T12:00:00")) == vn("2026-01-05T13:30:00")


SEASONS = """
[calendar]
sessions = ["07:30-11:30", "13:30-17:00"]

[[calendar.season]]
name = "Giờ mùa hè"
from = "04-15"
until = "10-14"
sessions = ["07:00-11:00", "13:30-17:00"]

[[calendar.season]]
name = "Giờ mùa đông"
from = "11-01"
until = "02-28"
sessions = ["08:00 – 12:00", "13:00-16:30"]

[calendar.season.weekday_sessions]
fri = ["08:00-12:00"]
"""


@pytest.mark.parametrize(
    ("received", "official"),
    [
        ("2026-04-14T07:10:00", "2026-04-14T07:30:00"),  # the last day before summer hours
        ("2026-04-15T07:10:00", "2026-04-15T07:10:00"),  # the first day of summer hours
        ("2026-04-15T11:00:00", "2026-04-15T11:00:00"),
        ("2026-04-15T11:15:00", "2026-04-15T13:30:00"),
        ("2026-10-14T07:00:00", "2026-10-14T07:00:00"),  # the last day of summer hours
        ("2026-10-15T07:00:00", "2026-10-15T07:30:00"),
        ("2026-10-30T16:45:00", "2026-10-30T16:45:00"),  # between the seasons: the base sessions
        ("2026-11-02T07:45:00", "2026-11-02T08:00:00"),  # winter, over the new year
        ("2026-01-05T16:45:00", "2026-01-06T08:00:00"),
        ("2026-01-09T13:00:00", "2026-01-12T08:00:00"),  # winter Fridays: morning only
        ("2026-03-02T07:45:00", "2026-03-02T07:45:00"),  # 03-01 onwards: the base sessions again
    ],
)
def test_seasonal_schedules(tmp_path: Path, received: str, official: str):
    assert calendar_from(tmp_path, SEASONS).official_time(vn(received)) == vn(official)


def test_weekday_sessions_and_a_working_saturday(tmp_path: Path):
    cal = calendar_from(
        tmp_path,
        """
[calendar]
working_weekdays = ["mon", "tue", "wed", "thu", "fri", "sat"]
[calendar.weekday_sessions]
fri = ["07:30-11:30", "13:30-16:00"]
sat = ["07:30-11:30"]
""",
    )
    assert cal.official_time(vn("2026-01-09T16:00:01")) == vn("2026-01-10T07:30:00")  # Fri → Sat
    assert cal.in_office_hours(vn("2026-01-10T09:00:00"))
    assert cal.official_time(vn("2026-01-10T11:30:01")) == vn("2026-01-12T07:30:00")  # Sat → Mon
    assert not cal.is_working_day(date(2025, 2, 1))  # Mùng bốn Tết 2025, a Saturday holiday, stays off
    assert cal.is_working_day(date(2026, 2, 21))  # mùng 5 Tết 2026 is no public holiday


def test_admin_days_off_and_working_days_win(tmp_path: Path):
    cal = calendar_from(
        tmp_path,
        """
[calendar.days_off]
2026-03-10 = "Nghỉ theo quyết định của UBND tỉnh"

[calendar.working_days]
2026-11-24 = "Làm việc bình thường"
""",
    )
    assert cal.official_time(vn("2026-03-09T17:30:00")) == vn("2026-03-11T07:30:00")
    assert cal.is_working_day(date(2026, 11, 24))
    assert not DEFAULT.is_working_day(date(2026, 11, 24))
    off = {d.day: d for d in cal.days_off(2026)}
    assert off[date(2026, 3, 10)].source == "config"
    assert off[date(2026, 3, 10)].name == "Nghỉ theo quyết định của UBND tỉnh"
    assert date(2026, 11, 24) in {d.day for d in cal.make_up_days(2026)}


# --- deadlines ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "urgency", "deadline"),
    [
        ("2026-02-09T09:00:00", None, date(2026, 2, 25)),  # 7 working days, over Tết
        ("2026-02-09T09:00:00", "khan", date(2026, 2, 11)),
        ("2026-02-09T09:00:00", "thuong_khan", date(2026, 2, 10)),
        ("2026-02-09T09:00:00", "hoa_toc", date(2026, 2, 9)),  # the same day
        ("2026-02-13T18:00:00", "hoa_toc", date(2026, 2, 23)),  # counted from the official time
        ("2026-02-13T18:00:00", None, date(2026, 3, 4)),
        ("2026-02-09T09:00:00", "not-an-urgency", date(2026, 2, 25)),  # unknown: ordinary
    ],
)
def test_deadline(received: str, urgency: str | None, deadline: date):
    assert reception(vn(received), DEFAULT, urgency=urgency).deadline == deadline


def test_deadlines_from_config_and_negative_days(tmp_path: Path):
    cal = calendar_from(tmp_path, "[calendar.deadlines]\nnormal = 10\nkhan = 3\n")
    assert cal.deadline(vn("2026-01-05T09:00:00"), None) == date(2026, 1, 19)
    assert cal.deadline(vn("2026-01-05T09:00:00"), "khan") == date(2026, 1, 8)
    assert cal.deadline(vn("2026-01-05T09:00:00"), "hoa_toc") == date(2026, 1, 5)
    with pytest.raises(ValueError, match="negative"):
        DEFAULT.add_working_days(vn("2026-01-05T09:00:00"), -1)


# --- urgent after hours (R14) and the incoming number's year -----------------------------------------


@pytest.mark.parametrize(
    ("received", "urgency", "alert"),
    [
        ("2026-01-05T22:00:00", "hoa_toc", True),
        ("2026-01-10T10:00:00", "khan", True),  # Saturday
        ("2026-02-17T08:00:00", "thuong_khan", True),  # Tết
        ("2026-01-05T10:00:00", "hoa_toc", False),  # in office hours: the clerk is there
        ("2026-01-05T22:00:00", None, False),
        ("2026-01-05T22:00:00", "mat", False),
    ],
)
def test_needs_urgent_alert(received: str, urgency: str | None, alert: bool):
    rec = reception(vn(received), DEFAULT, urgency=urgency)
    assert needs_urgent_alert(rec, urgency) is alert


def test_new_years_eve_is_numbered_in_the_new_year():
    late = reception(vn("2025-12-31T22:00:00"), DEFAULT, urgency=None)
    assert late.official_received_at.isoformat() == "2026-01-02T07:30:00+07:00"  # 01/01 is a holiday
    assert numbering_year(late) == 2026
    assert numbering_year(reception(vn("2025-12-31T10:00:00"), DEFAULT, urgency=None)) == 2025
    # 17:30 UTC on 31 December is 00:30 on 1 January in Vietnam.
    utc = reception(datetime(2025, 12, 31, 17, 30, tzinfo=UTC), DEFAULT, urgency=None)
    assert utc.received_at.isoformat() == "2026-01-01T00:30:00+07:00"
    assert numbering_year(utc) == 2026
    # A reception built elsewhere, its official time in UTC: the year is still Vietnam's.
    elsewhere = Reception(
        received_at=datetime(2025, 12, 31, 18, 0, tzinfo=UTC),
        official_received_at=datetime(2025, 12, 31, 18, 0, tzinfo=UTC),
        after_hours=False,
    )
    assert numbering_year(elsewhere) == 2026


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('[calendar]\nsessions = ["7h30-11h30"]\n', "calendar.sessions", "is not a session like"),
        ('[calendar]\nsessions = ["11:30-07:30"]\n', "calendar.sessions", "ends before it starts"),
        ("[calendar]\nsessions = []\n", "calendar.sessions", "needs at least one session"),
        ('[calendar]\nsessions = ["07:30-11:30", "11:00-17:00"]\n', "calendar.sessions", "overlap"),
        ('[calendar]\nworking_weekdays = ["mon", "thu2"]\n', "calendar.working_weekdays", "is not one of"),
        ("[calendar]\nworking_weekdays = []\n", "calendar.working_weekdays", "at least one working weekday"),
        (
            '[calendar]\n[calendar.weekday_sessions]\nsun = ["08:00-11:00"]\n',
            "calendar.weekday_sessions.sun",
            "is not one of the working weekdays",
        ),
        (
            '[calendar]\nlunch_break_is_office_hours = "yes"\n',
            "calendar.lunch_break_is_office_hours",
            "true or false",
        ),
        ('[calendar]\nsesions = ["07:30-11:30"]\n', "calendar.sesions", "not a known setting"),
        (
            '[[calendar.season]]\nname = "Hè"\nfrom = "5-1"\nuntil = "09-30"\nsessions = ["07:00-11:00"]\n',
            "calendar.season[0].from",
            "is not a month and day",
        ),
        (
            '[[calendar.season]]\nname = "Hè"\nfrom = "02-30"\nuntil = "09-30"\nsessions = ["07:00-11:00"]\n',
            "calendar.season[0].from",
            "is not a month and day",
        ),
        (
            '[[calendar.season]]\nname = "A"\nfrom = "05-01"\nuntil = "09-30"\nsessions = ["07:00-11:00"]\n'
            '[[calendar.season]]\nname = "B"\nfrom = "09-01"\nuntil = "10-31"\nsessions = ["07:00-11:00"]\n',
            "calendar.season",
            "both cover",
        ),
        (
            '[calendar.days_off]\n"31/08/2026" = "Nghỉ"\n',
            "calendar.days_off.31/08/2026",
            "is not a date like",
        ),
        ('[calendar.days_off]\n2026-08-31 = ""\n', "calendar.days_off.2026-08-31", "non-empty string"),
        (
            '[calendar.days_off]\n2026-03-10 = "Nghỉ"\n[calendar.working_days]\n2026-03-10 = "Làm"\n',
            "calendar.working_days.2026-03-10",
            "is also listed in days_off",
        ),
        ("[calendar.deadlines]\nnormal = 1000\n", "calendar.deadlines.normal", "at most"),
        ('[calendar.deadlines]\nkhan = "2"\n', "calendar.deadlines.khan", "whole number"),
    ],
)
def test_calendar_config_errors(tmp_path: Path, text: str, key: str, problem: str):
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        calendar_settings(load_settings(path).section("calendar"))
    assert err.value.file == str(path)
    assert err.value.key == key
    assert problem in err.value.problem


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[alerts]\non_duty = ["not an address"]\n', "alerts.on_duty"),
        ('[alerts]\non_duty = "truc.ban@example.gov.vn"\n', "alerts.on_duty"),
        ('[alerts]\non_duty = ["a@b"]\ncc = ["c@d"]\n', "alerts.cc"),
    ],
)
def test_alert_config_errors(tmp_path: Path, text: str, key: str):
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        alert_settings(load_settings(path).section("alerts"))
    assert (err.value.file, err.value.key) == (str(path), key)


def test_alert_settings(tmp_path: Path):
    path = write_config(tmp_path, '[alerts]\non_duty = ["truc.ban@example.gov.vn", "lanh.dao@x.vn"]\n')
    assert alert_settings(load_settings(path).section("alerts")).on_duty == (
        "truc.ban@example.gov.vn",
        "lanh.dao@x.vn",
    )
    assert alert_settings(load_settings(None).section("alerts")).on_duty == ()


# --- properties (hypothesis) -------------------------------------------------------------------------

PROPERTY_CONFIG = """
[calendar]
lunch_break_is_office_hours = true
working_weekdays = ["mon", "tue", "wed", "thu", "fri", "sat"]

[calendar.weekday_sessions]
sat = ["08:00-11:00"]

[calendar.days_off]
2025-12-24 = "Nghỉ theo quyết định của tỉnh"

[[calendar.season]]
name = "Giờ mùa hè"
from = "04-15"
until = "10-14"
sessions = ["07:00-11:00", "13:30-17:00"]
"""


def calendar_of(text: str) -> OfficeCalendar:
    return load_calendar(parse_settings(tomllib.loads(text), None, Path(".")))


CALENDARS = {
    "default": DEFAULT,
    "seasons": calendar_of(SEASONS),
    "lunch, saturdays, summer": calendar_of(PROPERTY_CONFIG),
}
ZONES = st.sampled_from([UTC, VN_TZ, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5, minutes=-30))])
INSTANTS = st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2027, 1, 31), timezones=ZONES)


@pytest.mark.parametrize("name", CALENDARS)
@settings(max_examples=300, deadline=None)
@given(received=INSTANTS)
def test_official_time_properties(name: str, received: datetime):
    cal = CALENDARS[name]
    official = cal.official_time(received)
    assert official.utcoffset() == timedelta(hours=7)
    assert official >= received.replace(microsecond=0)  # never earlier than the time of receipt
    assert cal.is_working_day(official.date())  # always on a working day…
    assert cal.in_office_hours(official)  # …inside office hours
    assert cal.official_time(official) == official  # applying the rule twice changes nothing
    assert (official == received.replace(microsecond=0)) is cal.in_office_hours(received)
    if official != received.replace(microsecond=0):  # the start of a session, not later
        assert not cal.in_office_hours(official - timedelta(seconds=1))
    assert cal.add_working_days(received, 0) == official.date()
