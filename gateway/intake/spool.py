"""The spool: a letter's raw bytes on disk, content-addressed and fsync'd, before anything else (R18, R20).

`store_raw` writes `storage/raw/ab/cd/<sha256>.eml` through a temporary file, fsyncs the file and its
folder, and never rewrites an existing original (`store_pieces` the same, for an original that comes in
pieces). `admit` then records the letter in the `letters` table
(state RECEIVED) in the same call (`admit_stored` records a batch of stored originals in one transaction);
a letter already known by its sha256 is not admitted twice (nothing doubled) — its existing row is
returned instead.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from gateway.models import LetterState, Source
from gateway.register.schema import LetterRow, MailboxMessageRow


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def raw_path(storage_dir: Path, sha256: str) -> Path:
    return storage_dir / "raw" / sha256[:2] / sha256[2:4] / f"{sha256}.eml"


def store_raw(storage_dir: Path, raw: bytes) -> tuple[str, Path]:
    """Write `raw` durably under its sha256; return (sha256, path). Existing originals are left untouched."""
    sha = hashlib.sha256(raw).hexdigest()
    path = raw_path(storage_dir, sha)
    if path.exists() and path.stat().st_size == len(raw):
        return sha, path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o440)  # originals are read-only (R20)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return sha, path


def store_pieces(storage_dir: Path, pieces: Iterable[bytes]) -> tuple[str, Path]:
    """`store_raw` for an original that comes in pieces (a large IMAP message, fetched a part at a time:
    issue 16): each piece is hashed and written to a temporary file as it comes, so the whole message is
    never in memory; the file is then fsync'd and renamed to its sha256's name. Existing originals are
    left untouched. A failure while the pieces come (the message vanished, the connection dropped)
    leaves nothing behind."""
    folder = storage_dir / "raw"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                digest.update(piece)
                fh.write(piece)
                size += len(piece)
            fh.flush()
            os.fsync(fh.fileno())
        sha = digest.hexdigest()
        path = raw_path(storage_dir, sha)
        if path.exists() and path.stat().st_size == size:
            Path(tmp).unlink()
            return sha, path
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o440)  # originals are read-only (R20)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return sha, path


@dataclass(frozen=True)
class MailboxPlace:
    """Where an IMAP message sits: (mailbox, folder, UIDVALIDITY, UID)."""

    mailbox: str
    folder: str
    uidvalidity: int
    uid: int


@dataclass(frozen=True)
class Admitted:
    letter_id: int
    sha256: str
    new: bool  # False: the same bytes were already known (re-delivery, UIDVALIDITY change)


def now_utc() -> datetime:
    return datetime.now(UTC)


def admit(
    sessions: sessionmaker[Session],
    storage_dir: Path,
    raw: bytes,
    *,
    source: Source,
    received_at: datetime,
    place: MailboxPlace | None = None,
    truncated: bool = False,
    size: int | None = None,
) -> Admitted:
    """Store `raw` durably, then record it (state RECEIVED) and, for IMAP, where it sits.

    Idempotent: calling it again for the same bytes or the same mailbox place records nothing new.
    """
    sha, path = store_raw(storage_dir, raw)
    stored = Stored(sha, path, size if size is not None else len(raw), received_at, truncated, place)
    return admit_stored(sessions, [stored], source=source)[0]


@dataclass(frozen=True)
class Stored:
    """An original already written by `store_raw`, to be recorded by `admit_stored`."""

    sha256: str
    path: Path
    size: int
    received_at: datetime
    truncated: bool = False
    place: MailboxPlace | None = None


def admit_stored(
    sessions: sessionmaker[Session],
    stored: list[Stored],
    *,
    source: Source,
    also: Callable[[Session], None] | None = None,
) -> list[Admitted]:
    """Record originals already stored durably, all in one transaction (a mailbox's fetched batch costs one
    fsync'd commit, not one per message: issue 16); `also(s)` runs in that transaction (the IMAP cursor).
    Idempotent like `admit`."""
    for _ in range(3):  # a concurrent admit of the same bytes may win the unique constraint; then re-read
        try:
            with sessions.begin() as s:
                admitted = _record_all(s, stored, source)
                if also is not None:
                    also(s)
                return admitted
        except IntegrityError:
            continue
    raise RuntimeError(f"could not admit letters {[item.sha256 for item in stored]}")


def _record_all(s: Session, stored: list[Stored], source: Source) -> list[Admitted]:
    """The letters' rows and their mailbox places, the ones already known read in one query each and the
    new ones flushed together (a batch of 50 costs a few statements, not four a message: issue 16)."""
    shas = list(dict.fromkeys(item.sha256 for item in stored))
    known = {row.sha256: row for row in s.scalars(select(LetterRow).where(LetterRow.sha256.in_(shas)))}
    rows: dict[str, LetterRow] = dict(known)
    now = now_utc()
    for item in stored:
        if item.sha256 not in rows:
            rows[item.sha256] = LetterRow(
                sha256=item.sha256,
                source=source.value,
                raw_path=str(item.path),
                size=item.size,
                truncated=item.truncated,
                received_at=item.received_at.astimezone(UTC),
                state=LetterState.RECEIVED,
                attempts=0,
                created_at=now,
                updated_at=now,
            )
            s.add(rows[item.sha256])
    s.flush()  # the new rows' ids
    places = [item.place for item in stored if item.place is not None]
    for place in _unrecorded(s, places):
        sha = next(item.sha256 for item in stored if item.place == place)
        s.add(
            MailboxMessageRow(
                mailbox=place.mailbox,
                folder=place.folder,
                uidvalidity=place.uidvalidity,
                uid=place.uid,
                letter_id=rows[sha].id,
            )
        )
    firsts: set[str] = set()
    admitted = []
    for item in stored:  # the same bytes twice in a batch: new the first time only
        new = item.sha256 not in known and item.sha256 not in firsts
        firsts.add(item.sha256)
        admitted.append(Admitted(rows[item.sha256].id, item.sha256, new))
    return admitted


def _unrecorded(s: Session, places: list[MailboxPlace]) -> list[MailboxPlace]:
    """The places not yet recorded, each once (one query per mailbox folder and UIDVALIDITY)."""
    out: list[MailboxPlace] = []
    groups: dict[tuple[str, str, int], list[MailboxPlace]] = {}
    for place in dict.fromkeys(places):
        groups.setdefault((place.mailbox, place.folder, place.uidvalidity), []).append(place)
    for (mailbox, folder, uidvalidity), group in groups.items():
        recorded = set(
            s.scalars(
                select(MailboxMessageRow.uid).where(
                    MailboxMessageRow.mailbox == mailbox,
                    MailboxMessageRow.folder == folder,
                    MailboxMessageRow.uidvalidity == uidvalidity,
                    MailboxMessageRow.uid.in_([p.uid for p in group]),
                )
            )
        )
        out += [p for p in group if p.uid not in recorded]
    return out


def raw_file(row: LetterRow, storage_dir: Path | None = None) -> Path:
    """Where the original is: as admitted, or — with `storage_dir` — under it, when the shared storage is
    mounted at another path on this host than on the one that admitted it."""
    admitted = Path(row.raw_path)
    if storage_dir is None or admitted.exists():
        return admitted
    elsewhere = raw_path(storage_dir, row.sha256)
    return elsewhere if elsewhere.exists() else admitted


def read_raw(row: LetterRow, storage_dir: Path | None = None) -> bytes:
    """The original's bytes (`raw_file`)."""
    return raw_file(row, storage_dir).read_bytes()
