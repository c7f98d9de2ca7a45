"""TLS client contexts for the mailbox and the outgoing server: system CAs, or the admin's CA file.

Provinces often run their mail servers under a private CA; `ca_file` names it instead of turning
verification off. `verify=False` (an explicit admin choice) disables verification altogether.
"""

from __future__ import annotations

import ssl
from pathlib import Path


def client_context(*, verify: bool = True, ca_file: Path | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context
