"""Structured logs: one JSON object per line on stderr (ts, level, logger, msg, and any extras)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD:
                out[key] = value if isinstance(value, str | int | float | bool | None) else repr(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time of the record, not the one at set-up."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def setup_logging(*, verbose: bool) -> None:
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in (
        "apscheduler",
        "mail-parser",
        "mailparser",
        "pyhanko",
        "pyhanko_certvalidator",
        "imapclient",
        "mail.log",
        "aiosmtpd",
        "pypdf",
        "pdfminer",
        "fontTools",
        "alembic",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # pyHanko logs a traceback for every untrusted, expired or revoked certificate; the verdict says it.
    # APScheduler warns each time a wake-up finds the job still running, which IDLE and SMTP wakes do by design.
    for chatty in ("pyhanko", "pyhanko_certvalidator", "apscheduler"):
        logging.getLogger(chatty).setLevel(logging.ERROR)
