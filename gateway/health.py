"""The daemon's local HTTP endpoint: `/healthz` (JSON; 200 healthy, 503 not) and `/metrics` (Prometheus).

Healthy means: the database answers, and every mailbox had a successful cycle within three poll intervals
(plus a minute's grace). The body also gives the outbox and DMS backlogs with the age of the oldest item,
so that a monitor sees a stuck queue before a sender does. Bind it to 127.0.0.1 (`[service] metrics_host`);
it shows counts and ages only, never letters.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from gateway.metrics import REGISTRY, backlogs
from gateway.resources import version

log = logging.getLogger("gateway.health")


def health(sessions: sessionmaker[Session], mailboxes: dict[str, tuple[float | None, float]]) -> dict[str, Any]:
    """The health report. `mailboxes`: name → (monotonic time of the last good cycle or None, allowed age)."""
    now = time.monotonic()
    report: dict[str, Any] = {"version": version(), "ok": True, "database": "ok", "mailboxes": {}}
    try:
        with sessions() as s:
            s.execute(text("SELECT 1"))
            report.update(backlogs(s))
    except Exception as exc:
        report["ok"] = False
        report["database"] = f"unreachable: {type(exc).__name__}"
    for name, (last_ok, allowed) in mailboxes.items():
        age = None if last_ok is None else round(now - last_ok, 1)
        alive = age is not None and age <= allowed
        report["mailboxes"][name] = {"alive": alive, "last_cycle_seconds_ago": age}
        report["ok"] = report["ok"] and alive
    return report


def serve(host: str, port: int, report: Callable[[], dict[str, Any]]) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Start the endpoint in a daemon thread; returns the server (its `server_address` has the real port)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/metrics":
                body, ctype, status = generate_latest(REGISTRY), CONTENT_TYPE_LATEST, 200
            elif self.path == "/healthz":
                data = report()
                body = json.dumps(data, ensure_ascii=False).encode()
                ctype, status = "application/json", 200 if data["ok"] else 503
            else:
                body, ctype, status = b"not found\n", "text/plain", 404
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("http: " + format, *args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="health", daemon=True)
    thread.start()
    return server, thread
