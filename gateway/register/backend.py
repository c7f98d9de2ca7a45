"""The DMS backends behind one small interface (R18): register a document, recall it, poll for statuses,
and update the status of what was polled.

`builtin` is the gateway's own SQL register (`gateway.register.sql`): always on, the source of the
incoming number and of the status history; it is written in the letter's own transaction. The edXML
backends are the agency's DMS, reached through the durable hand-off queue (`gateway.register.handoff`):

- `edxml-folder` (`edxml_folder.FolderBackend`): one package file per hand-off in an outgoing folder the
  DMS imports (temp file, fsync, rename), status packages read from an incoming folder;
- `edxml-http` (`edxml_http.HttpBackend`): the vendor-SDK endpoints `/sendEdoc`, `/getReceivedEdocList`,
  `/getEdoc`, `/updateStatus`.

A backend raises `DmsUnavailable` when the DMS cannot be reached (retried, R19) and `DmsRejected` when it
answered that it will not take this package (not retried; the reason is kept for the admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from gateway.register.dms_settings import DmsSettings


class DmsUnavailable(Exception):
    """The DMS did not answer, or answered that it cannot work now: try again later."""


class DmsRejected(Exception):
    """The DMS refused this package: retrying the same bytes will not help."""


@dataclass(frozen=True)
class OutgoingPackage:
    kind: str  # edoc | revocation | replacement (the vendor SDK's messageType)
    document_id: str  # the package's DocumentId (the DMS de-duplicates on it)
    name: str  # a file-safe name, unique per hand-off and the same on every retry
    data: bytes


@dataclass(frozen=True)
class Receipt:
    reference: str | None  # the DMS's id for what it took, or the file written


@dataclass(frozen=True)
class IncomingPackage:
    reference: str  # a file name, or the DMS's id of the message
    data: bytes


class DmsBackend(Protocol):
    name: str

    def register(self, package: OutgoingPackage) -> Receipt:
        """Hand over a document package (BussinessDocType 0)."""
        ...

    def recall(self, package: OutgoingPackage) -> Receipt:
        """Hand over a revocation (1) or replacement (3) package."""
        ...

    def poll_statuses(self) -> list[IncomingPackage]:
        """The status packages waiting for us, oldest first."""
        ...

    def update_status(self, incoming: IncomingPackage, handled: bool, note: str | None = None) -> None:
        """Tell the DMS (or the folder) that a polled package was handled, or could not be."""
        ...


def make_backends(settings: DmsSettings, *, our_organ_id: str | None) -> dict[str, DmsBackend]:
    """The configured edXML backends by name (builtin needs no object: it is the SQL register)."""
    from gateway.register.edxml_folder import FolderBackend
    from gateway.register.edxml_http import HttpBackend

    backends: dict[str, DmsBackend] = {}
    if settings.folder is not None:
        backends["edxml-folder"] = FolderBackend(settings.folder)
    if settings.http is not None:
        backends["edxml-http"] = HttpBackend(settings.http, our_organ_id=our_organ_id)
    return backends
