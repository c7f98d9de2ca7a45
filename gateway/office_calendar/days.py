"""Days off and make-up working days of one year, in three layers; a later layer wins for the same date:

1. Vietnamese public holidays from the `holidays` package (country VN, names in Vietnamese): the Labour
   Code days with the lunar ones (Tết, Giỗ Tổ Hùng Vương) and observed days (nghỉ bù);
2. the announced civil-service swaps shipped in `gateway/defaults/calendar/vn-civil-service.toml`
   (e.g. Saturday 2026-08-22 worked, Monday 2026-08-31 off), which `holidays` does not give in full;
3. the admin's `[calendar.days_off]` and `[calendar.working_days]`.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import holidays

from gateway.config import Section
from gateway.office_calendar.settings import date_table
from gateway.vntext import nfc

ANNOUNCED = "defaults/calendar/vn-civil-service.toml"
WEEKDAY_NAMES_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

PUBLIC_HOLIDAY = "public_holiday"  # from the `holidays` package
ANNOUNCED_SWAP = "announced"  # from the shipped announced calendars
CONFIG = "config"  # from the admin's config.toml


@dataclass(frozen=True)
class SpecialDay:
    """A date that breaks the weekly pattern: a day off, or a make-up working day (làm bù)."""

    day: date
    name: str  # Vietnamese, NFC
    working: bool
    source: str  # public_holiday | announced | config


@functools.cache
def announced() -> tuple[dict[date, str], dict[date, str]]:
    """The shipped announced swaps: (days off, make-up working days)."""
    resource = resources.files("gateway").joinpath(ANNOUNCED)
    sec = Section(tomllib.loads(resource.read_text(encoding="utf-8")), "", Path(str(resource)), Path("."))
    return date_table(sec, "days_off"), date_table(sec, "working_days")


def public_holidays(year: int) -> dict[date, str]:
    """Vietnam's public holidays of `year` as `holidays` computes them, named in Vietnamese."""
    return {d: nfc(name) for d, name in holidays.country_holidays("VN", years=year, language="vi").items()}


def build_special_days(year: int, days_off: dict[date, str], working_days: dict[date, str]) -> dict[date, SpecialDay]:
    """Every special date of `year`: public holidays, then the announced swaps, then the admin's lists."""
    days = {d: SpecialDay(d, name, False, PUBLIC_HOLIDAY) for d, name in public_holidays(year).items()}
    shipped_off, shipped_working = announced()
    layers = ((ANNOUNCED_SWAP, shipped_off, shipped_working), (CONFIG, days_off, working_days))
    for source, off, working in layers:
        for is_working, table in ((False, off), (True, working)):
            for d, name in table.items():
                if d.year == year:
                    days[d] = SpecialDay(d, name, is_working, source)
    return days
