"""Office hours, days off, the official time of receipt, deadlines and the urgent after-hours alert.

The `calendar` stage of DESIGN.md (R13, R14):

- **Time zone.** Every time is read and written in Vietnam's time zone, Asia/Ho_Chi_Minh, ISO 8601 with
  `+07:00` (TTg Đ14.4); an aware time in any zone is converted. A naive time is refused with
  `InvalidTimeError` (a `ValueError`): an instant without a zone could be anybody's; so is one outside
  the years 1976–2100. Times are kept to the second (microseconds dropped).
- **Office hours** (`[calendar]`): sessions per weekday (default 07:30–11:30 and 13:30–17:00, Monday to
  Friday), seasonal schedules (recurring date ranges with their own sessions), and whether the lunch
  break counts as office hours (default: no). A session's first and last seconds are both inside:
  17:00:00 is office hours, 17:00:01 is not; 11:30:01 is lunch.
- **Days off**: Vietnamese public holidays from `holidays` (names in Vietnamese), the announced
  civil-service swaps shipped as data, and the admin's own lists (`days.py`).
- **Official time of receipt** (R13, KH Đ11.2): `received_at` is when the letter entered our system
  (IMAP INTERNALDATE or SMTP arrival); inside office hours the official time is the same instant,
  outside it is the start of the next office session on a working day.
- **Deadline**: working days by urgency (`[calendar.deadlines]`; defaults normal 7, khẩn 2, thượng khẩn 1,
  hỏa tốc 0 = the same working day), counted from the official time of receipt.
- **Urgent after hours** (R14): `needs_urgent_alert` says when khẩn / thượng khẩn / hỏa tốc mail came
  outside office hours; the outbox then mails the `urgent_alert` template to `[alerts] on_duty` at once.
- **The incoming number's year** is the year of the *official* date of receipt: a letter that entered
  at 22:00 on 31 December and officially counts from 07:30 on 2 January is numbered in the new year's
  register (`numbering_year`).
"""

from gateway.office_calendar.days import WEEKDAY_NAMES_VI, SpecialDay
from gateway.office_calendar.office import (
    FIRST_YEAR,
    LAST_YEAR,
    InvalidTimeError,
    OfficeCalendar,
    load_calendar,
    vn_time,
)
from gateway.office_calendar.reception import (
    needs_urgent_alert,
    numbering_year,
    reception,
)
from gateway.office_calendar.settings import (
    AlertSettings,
    CalendarSettings,
    Deadlines,
    Season,
    Session,
    alert_settings,
    calendar_settings,
)

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "WEEKDAY_NAMES_VI",
    "AlertSettings",
    "CalendarSettings",
    "Deadlines",
    "InvalidTimeError",
    "OfficeCalendar",
    "Season",
    "Session",
    "SpecialDay",
    "alert_settings",
    "calendar_settings",
    "load_calendar",
    "needs_urgent_alert",
    "numbering_year",
    "reception",
    "vn_time",
]
