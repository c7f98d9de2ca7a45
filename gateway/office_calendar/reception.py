"""One letter's reception (R13), the urgent after-hours alert (R14) and the incoming number's year."""

from __future__ import annotations

from datetime import datetime

from gateway.models import Reception
from gateway.office_calendar.office import OfficeCalendar, vn_time
from gateway.urgency import URGENCIES

SUBJECT_MAX = 180


def reception(received_at: datetime, calendar: OfficeCalendar, *, urgency: str | None) -> Reception:
    """R13: `received_at` is when the letter entered our system (IMAP INTERNALDATE or SMTP arrival; never
    the sender's Date: header); the official time is the start of the next office session when it came
    outside office hours; the deadline counts working days from the official time (`[calendar.deadlines]`).
    Naive `received_at` raises `InvalidTimeError`."""
    received = vn_time(received_at)
    official = calendar.official_time(received)
    return Reception(
        received_at=received,
        official_received_at=official,
        after_hours=official != received,
        deadline=calendar.deadline(official, urgency),
    )


def needs_urgent_alert(reception: Reception, urgency: str | None) -> bool:
    """R14 (TTg Đ6.2, QB Đ9.2b): khẩn, thượng khẩn or hỏa tốc mail that came outside office hours is
    handed to the on-duty officer at once (`[alerts] on_duty`) and flagged in the register."""
    return reception.after_hours and urgency in URGENCIES


def numbering_year(reception: Reception) -> int:
    """The year of the incoming register a letter is numbered in: the year of its official time of
    receipt in Vietnam (22:00 on 31 December, official 2 January, is numbered in the new year)."""
    return vn_time(reception.official_received_at).year
