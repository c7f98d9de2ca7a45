"""Intakes: the ways letters come in (R1).

Every intake stores a letter's raw bytes first, with `gateway.intake.spool.admit(…, source=Source.X)`; the
processor takes it from there. Two kinds exist:
- pulled, like `imap.ImapIntake`: the daemon connects, takes in, lets the processor run, then files the
  mailbox copies of decided letters (the `Intake` protocol below);
- pushed, like `smtp.SpoolHandler`: a server of its own admits letters as they arrive and wakes the
  processor.
A new intake adds its value to `gateway.models.Source`; if its letters leave a copy to file, it also joins
`gateway.disposition.MAILBOX_SOURCES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from gateway.models import Source


class Intake(Protocol):
    """An intake the daemon polls: `connect` gives a connection the caller closes."""

    source: Source

    @property
    def name(self) -> str: ...

    def connect(self) -> Any: ...

    def take_in(self, connection: Any, admitted: Callable[[int], None] | None = None) -> int | None: ...

    def file_decided(self, connection: Any) -> int: ...
