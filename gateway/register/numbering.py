"""Gap-free incoming numbers (số đến), unique per calendar year (R16).

The number is taken inside the transaction that writes the register entry, by incrementing the year's
counter row: the row lock serialises concurrent gateways on PostgreSQL (the second waits for the first to
commit or roll back), SQLite's BEGIN IMMEDIATE does the same for processes sharing a file, and a rolled-back
transaction gives its number back. So numbers are 1, 2, 3, … with no gap and no repeat. The year is the
year of the *official* time of receipt (`gateway.calendar.numbering_year`).
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from gateway.register.schema import NumberCounterRow


def next_number(s: Session, year: int) -> int:
    """The next incoming number of `year`; valid only if the caller's transaction commits.

    One statement (issue 16): the year's counter row is created at 1 or incremented, and the number read
    back, by an INSERT … ON CONFLICT DO UPDATE … RETURNING — the same row lock as an UPDATE."""
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(NumberCounterRow).values(year=year, last_number=1)
    return s.execute(
        statement.on_conflict_do_update(
            index_elements=[NumberCounterRow.year],
            set_={"last_number": NumberCounterRow.last_number + 1},
        ).returning(NumberCounterRow.last_number)
    ).scalar_one()
