"""`edxml-folder`: packages as files in a folder the DMS imports; status packages from a folder it writes.

A package is written atomically — a temp file in the same folder, fsync, rename, fsync of the folder —
under a name fixed per hand-off, so a retry after a crash replaces the same file with the same bytes
instead of adding a second one. Status packages (`*.xml`, `*.edxml`) are read from the incoming folder
oldest first and moved to `done/` once applied, or to `failed/` with a `.reason.txt` beside them.
"""

from __future__ import annotations

import os
from pathlib import Path

from gateway.register.backend import DmsUnavailable, IncomingPackage, OutgoingPackage, Receipt
from gateway.register.dms_settings import FolderSettings


def write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """`folder/name` holds `data` entirely or not at all, and survives a power cut once this returns."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    temp = folder / f".{name}.tmp"
    with open(temp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, target)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return target


class FolderBackend:
    name = "edxml-folder"

    def __init__(self, settings: FolderSettings):
        self.settings = settings

    def _write(self, package: OutgoingPackage) -> Receipt:
        try:
            path = write_atomically(self.settings.outgoing, f"{package.name}.edxml", package.data)
        except OSError as exc:  # the share is unmounted, full, or not ours: try again later
            raise DmsUnavailable(f"cannot write to {self.settings.outgoing}: {exc}") from exc
        return Receipt(path.name)

    def register(self, package: OutgoingPackage) -> Receipt:
        return self._write(package)

    def recall(self, package: OutgoingPackage) -> Receipt:
        return self._write(package)

    def poll_statuses(self) -> list[IncomingPackage]:
        folder = self.settings.incoming
        try:
            files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".xml", ".edxml")]
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise DmsUnavailable(f"cannot read {folder}: {exc}") from exc
        files.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
        return [IncomingPackage(p.name, p.read_bytes()) for p in files]

    def update_status(self, incoming: IncomingPackage, handled: bool, note: str | None = None) -> None:
        source = self.settings.incoming / incoming.reference
        target_dir = self.settings.incoming / ("done" if handled else "failed")
        target_dir.mkdir(exist_ok=True)
        if not handled and note:
            write_atomically(target_dir, f"{incoming.reference}.reason.txt", note.encode("utf-8"))
        if source.exists():
            os.replace(source, target_dir / incoming.reference)
