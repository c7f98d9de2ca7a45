"""Every gateway process sharing one database must share one storage folder (issue 17).

The originals are written to `storage_dir` and only their path is in the database; a second gateway on
another host with its own, empty storage folder cannot read the first one's letters. So the storage folder
carries an identity (`.storage-id`, a random UUID written once) and the database records it
(`gateway_meta.storage_id`). At start, `check_shared_storage` compares the two: the first gateway sets
them; any later one must see the same id in its own storage folder, or it refuses to start with a clear
message (mount the shared storage there). A letter is never quarantined for it.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from gateway.register.schema import GatewayMetaRow

ID_FILE = ".storage-id"
KEY = "storage_id"


class StorageMismatch(RuntimeError):
    """This storage folder is not the one the database's letters are kept in."""


def _read_id(storage_dir: Path) -> str | None:
    try:
        return (storage_dir / ID_FILE).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def _write_id(storage_dir: Path) -> str:
    """Write a new id, unless another process just did (O_EXCL): the id in the folder wins."""
    storage_dir.mkdir(parents=True, exist_ok=True)
    new = str(uuid.uuid4())
    try:
        fd = os.open(storage_dir / ID_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    except FileExistsError:
        # The other process created the file and may not have written its id yet: wait for it.
        for _ in range(50):
            found = _read_id(storage_dir)
            if found:
                return found
            time.sleep(0.1)
        return new
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(new + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return new


def check_shared_storage(sessions: sessionmaker[Session], storage_dir: Path) -> str:
    """The storage id this process and the database agree on; `StorageMismatch` when they do not."""
    on_disk = _read_id(storage_dir)
    with sessions() as s:
        row = s.get(GatewayMetaRow, KEY)
        recorded = row.value if row is not None else None
    if recorded is None:
        on_disk = on_disk or _write_id(storage_dir)
        try:
            with sessions.begin() as s:
                s.add(GatewayMetaRow(key=KEY, value=on_disk))
        except IntegrityError:  # another gateway recorded its storage first
            with sessions() as s:
                recorded = s.get_one(GatewayMetaRow, KEY).value
        else:
            return on_disk
    if on_disk != recorded:
        # Read again: the id this process read or made may be stale, when another gateway starting at the
        # same moment created the file first and wrote its id while this one waited (a CI run saw it).
        on_disk = _read_id(storage_dir)
    if on_disk != recorded:
        found = f"id {on_disk}" if on_disk else f"no {ID_FILE}"
        raise StorageMismatch(
            f"storage_dir {storage_dir} is not the storage this database's originals are kept in "
            f"(the database expects storage id {recorded}, the folder has {found}). Every gateway sharing one "
            f"database must use the same shared storage folder: mount it at storage_dir."
        )
    return recorded
