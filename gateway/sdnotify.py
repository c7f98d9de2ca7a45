"""systemd's notify protocol (sd_notify(3)), written out: one datagram to $NOTIFY_SOCKET per state change.

`Type=notify` units wait for READY=1 before they count as started; with `WatchdogSec=` systemd kills and
restarts a service that stops sending WATCHDOG=1 at least every WATCHDOG_USEC microseconds (the daemon
pings at half that). Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
"""

from __future__ import annotations

import os
import socket


def notify(state: str) -> bool:
    """Send `state` ("READY=1", "WATCHDOG=1", "RELOADING=1", "STOPPING=1", "STATUS=…"); False if not under
    systemd or the socket is gone."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(state.encode("utf-8"))
    except OSError:
        return False
    return True


def watchdog_seconds() -> float | None:
    """How often systemd expects WATCHDOG=1 (WATCHDOG_USEC, for this process), or None."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        value = int(usec)
    except ValueError:
        return None
    return value / 1_000_000 if value > 0 else None
