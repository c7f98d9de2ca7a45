"""The audit log: every write a person makes — in the web workplace or with the CLI — is recorded with who
made it, what it was, on which letter or register entry, when and from where (R20: safe from unrecorded
change). Written in the same transaction as the change itself, so one never exists without the other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from gateway.models import to_jsonable
from gateway.register.schema import AuditRow


def audit(
    s: Session,
    actor: str,
    action: str,
    *,
    letter_id: int | None = None,
    entry_id: int | None = None,
    detail: dict[str, Any] | None = None,
    remote: str | None = None,
) -> AuditRow:
    """Record one write in the caller's transaction."""
    row = AuditRow(
        at=datetime.now(UTC),
        actor=actor[:64],
        action=action[:32],
        letter_id=letter_id,
        entry_id=entry_id,
        detail=to_jsonable(detail) if detail else None,
        remote=(remote or "")[:64] or None,
    )
    s.add(row)
    return row


def audit_trail(s: Session, *, letter_id: int | None = None, entry_ids: tuple[int, ...] = ()) -> list[AuditRow]:
    """What people did to a letter and its entries, oldest first."""
    conditions = []
    if letter_id is not None:
        conditions.append(AuditRow.letter_id == letter_id)
    if entry_ids:
        conditions.append(AuditRow.entry_id.in_(entry_ids))
    if not conditions:
        return []
    return list(s.scalars(select(AuditRow).where(or_(*conditions)).order_by(AuditRow.id)))
