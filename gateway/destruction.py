"""Destroying what must not be kept (R6): a refused secret document, and refused letters past retention.

A document marked mật / tối mật / tuyệt mật must never travel or be kept electronically (R6: KH Đ1.2,
VL Đ1.2, BG Đ16.7, TTg Đ1.2). When one is refused, the register keeps only what it needs to show that the
letter came and was refused — the letter's hash, the sender, the time, the secrecy mark and the reason — and
everything else goes: the raw e-mail and the derived text files are overwritten with zeros, fsync'd and
unlinked; the trích yếu, signer, issuer and notation are blanked in the register entries; the stored verdict
is reduced to the same short record; an audit row and a log line say it was done.

Other refused letters are kept `[gateway] refused_retention_days` days (0: kept for ever), then their raw
e-mail and derived text files are destroyed the same way; their register rows stay (R16).

The mailbox copy of a refused secret document is deleted from the IMAP server (\\Deleted and expunged, not
filed to Refused) once the decision is committed (`intake.imap.ImapIntake.file_decided`). Copies of other
refused letters are filed to the Refused folder; their retention there is the mail server's policy.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.derived import derived_path
from gateway.models import DECIDED_STATES, Outcome
from gateway.register.audit import audit
from gateway.register.schema import LetterRow, RegisterEntryRow

log = logging.getLogger("gateway.destruction")
DESTROYED = "destroyed"  # the verdict key that marks a letter whose files are gone
DESTROYED_IN_MAILBOX = "(destroyed: secret document, R6)"  # mailbox_messages.filed_to of such a copy


def secret_destroyed(verdict: dict[str, Any] | None) -> bool:
    """The letter was a refused secret document whose files were destroyed (R6)."""
    return ((verdict or {}).get(DESTROYED) or {}).get("why") == "secret"


def shred(path: Path) -> bool:
    """Overwrite `path` with zeros, fsync it, unlink it and fsync its folder. False if it was not there."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    os.chmod(path, 0o600)  # originals are stored read-only (R20)
    with open(path, "r+b", buffering=0) as fh:
        chunk = b"\0" * 65536
        left = size
        while left > 0:
            n = fh.write(chunk[: min(left, len(chunk))])
            left -= n or 0
        os.fsync(fh.fileno())
    path.unlink()
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _document_hashes(verdict: dict[str, Any] | None) -> list[str]:
    return [d["sha256"] for d in (verdict or {}).get("documents") or [] if d.get("sha256")]


def _shred_files(storage_dir: Path, row: LetterRow) -> list[str]:
    gone = []
    if shred(Path(row.raw_path)):
        gone.append("raw e-mail")
    for sha in _document_hashes(row.verdict):
        if shred(derived_path(storage_dir, sha)):
            gone.append(f"derived text {sha[:12]}")
    return gone


def _short_record(verdict: dict[str, Any], why: str, now: datetime) -> dict[str, Any]:
    """What stays of a destroyed letter's verdict: outcome, reasons, source (hash), reception, sender, marks."""
    letter = verdict.get("letter") or {}
    documents = [
        {"sha256": d.get("sha256"), "secrecy": (d.get("metadata") or {}).get("secrecy"), "reasons": d.get("reasons")}
        for d in verdict.get("documents") or []
    ]
    return {
        "outcome": verdict.get("outcome"),
        "reasons": verdict.get("reasons") or [],
        "source": verdict.get("source"),
        "reception": verdict.get("reception"),
        "letter": {"from": letter.get("from"), "sender_agency": letter.get("sender_agency")},
        "documents": documents,
        "disposition": {"reply": ((verdict.get("disposition") or {}).get("reply"))},
        DESTROYED: {"at": now.isoformat(), "why": why},
    }


def destroy_secret(s: Session, storage_dir: Path, letter_id: int, *, now: datetime | None = None) -> list[str]:
    """R6: reduce a refused secret letter to its short record and destroy its files, in the caller's
    transaction (the files go first: a crash after that leaves a row that says less than it could, never a
    secret on disk). Returns what was destroyed."""
    now = now or datetime.now(UTC)
    row = s.get_one(LetterRow, letter_id)
    gone = _shred_files(storage_dir, row)
    row.verdict = _short_record(row.verdict or {}, "secret", now)
    row.subject = None
    for entry in s.scalars(select(RegisterEntryRow).where(RegisterEntryRow.letter_id == letter_id)):
        entry.subject = entry.signer_name = entry.signer_title = entry.issuer = entry.notation = None
        entry.filename = "(văn bản mật đã hủy)"
        entry.search_text = None
    audit(s, "gateway", "secret_destroyed", letter_id=letter_id, detail={"destroyed": gone})
    log.warning(
        "secret document refused: raw e-mail and derived text destroyed",
        extra={"letter_id": letter_id, "sha256": row.sha256, "destroyed": ", ".join(gone)},
    )
    return gone


def purge_refused(
    sessions: sessionmaker[Session], storage_dir: Path, retention_days: int, *, now: datetime | None = None
) -> int:
    """Destroy the raw e-mail and derived text of refused letters older than `retention_days` (0: never).
    Their register rows and verdicts stay. Returns how many letters were purged."""
    if retention_days <= 0:
        return 0
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    with sessions() as s:
        ids = list(
            s.scalars(
                select(LetterRow.id).where(
                    LetterRow.outcome == Outcome.REFUSED.value,
                    LetterRow.state.in_(DECIDED_STATES),
                    LetterRow.received_at < cutoff,
                )
            )
        )
    purged = 0
    for letter_id in ids:
        with sessions.begin() as s:
            row = s.get_one(LetterRow, letter_id)
            if DESTROYED in (row.verdict or {}):
                continue
            gone = _shred_files(storage_dir, row)
            row.verdict = {**(row.verdict or {}), DESTROYED: {"at": now.isoformat(), "why": "retention"}}
            audit(s, "gateway", "refused_purged", letter_id=letter_id, detail={"destroyed": gone})
            log.info(
                "refused letter past retention: files destroyed", extra={"letter_id": letter_id, "sha256": row.sha256}
            )
            purged += 1
    return purged
