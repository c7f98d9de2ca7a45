"""Vietnam's time zone (TTg Đ14.4: ISO 8601, +07:00) and the two helpers every module needs.

Stored times are UTC; SQLite gives them back without a zone, so `aware` puts UTC back on a naive value.
People see Vietnam time: `vn_datetime` writes it as clerks do (`08:00 ngày 23/02/2026`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def aware(t: datetime) -> datetime:
    """`t` with a time zone: a naive value read back from the database is UTC."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def in_vietnam(value: Any) -> Any:
    """A datetime in Vietnam time (naive ones taken as UTC); anything else unchanged."""
    return aware(value).astimezone(VN_TZ) if isinstance(value, datetime) else value


def vn_datetime(value: Any) -> str:
    """`08:00 ngày 23/02/2026` in Vietnam time, as clerks write it."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return str(value)
    t = aware(value).astimezone(VN_TZ)
    return f"{t:%H:%M} ngày {t:%d/%m/%Y}"


def parse_day(text: str) -> date:
    """A day as clerks write it (`02/12/2026`, `2/12/2026`) or in ISO 8601 (`2026-12-02`)."""
    value = text.strip()
    try:
        if "/" in value:
            day, month, year = (int(p) for p in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {text!r} (write dd/mm/yyyy, e.g. 02/12/2026)") from None
