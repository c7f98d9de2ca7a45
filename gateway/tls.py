"""TLS client contexts for the mailbox and the outgoing server: system CAs, or the admin's CA file.

Provinces often run their mail servers under a private CA; `ca_file` names it instead of turning
verification off. `verify=False` (an explicit admin choice) disables verification altogether.
"""

from __future__ import annotations

import functools
import ssl
from pathlib import Path


def client_context(*, verify: bool = True, ca_file: Path | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def shared_client_context(*, verify: bool = True, ca_file: Path | None = None) -> ssl.SSLContext:
    """`client_context`, built once and reused while the CA file is unchanged: loading the system CAs
    costs tens of milliseconds of CPU, and the outbox connects once per batch it sends (issue 16: most of
    the sending's CPU during a pass). A CA file replaced by the admin is read again at the next connection."""
    try:
        mark = ca_file.stat().st_mtime_ns if ca_file else 0
    except OSError:
        mark = -1  # missing: `client_context` reports it as before
    return _cached_context(verify, ca_file, mark)


@functools.lru_cache(maxsize=8)
def _cached_context(verify: bool, ca_file: Path | None, _mark: int) -> ssl.SSLContext:
    return client_context(verify=verify, ca_file=ca_file)
