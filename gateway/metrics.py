"""Prometheus metrics (prometheus-client) of the daemon, and what `/healthz` reports.

Counters and histograms are updated where things happen (the processor, the outbox, the IMAP cycle, OCR);
the outbox and DMS backlogs are read from the database at scrape time (`BacklogCollector`), so that they
are right even after a restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

REGISTRY = CollectorRegistry(auto_describe=True)

LETTERS = Counter("gateway_letters_total", "Letters decided, by outcome", ["outcome"], registry=REGISTRY)
PROCESSING = Histogram(
    "gateway_processing_seconds",
    "Time to read, evaluate and commit one letter",
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
    registry=REGISTRY,
)
ACKNOWLEDGED = Histogram(
    "gateway_arrival_to_acknowledgement_seconds",
    "From a letter's arrival to its acknowledgement being sent (R15)",
    buckets=(5, 15, 30, 60, 120, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600),
    registry=REGISTRY,
)
OUTBOX_FAILURES = Counter("gateway_outbox_failures_total", "Messages given up on by the outbox", registry=REGISTRY)
IMAP_RECONNECTS = Counter(
    "gateway_imap_reconnects_total", "IMAP connections lost or refused, by mailbox", ["mailbox"], registry=REGISTRY
)
OCR_SECONDS = Histogram(
    "gateway_ocr_seconds",
    "Time spent in Tesseract per page",
    buckets=(0.5, 1, 2, 4, 8, 16, 32, 64),
    registry=REGISTRY,
)


def _age(oldest: datetime | None, now: datetime) -> float:
    if oldest is None:
        return 0.0
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return max(0.0, (now - oldest).total_seconds())


def backlogs(s: Session, now: datetime | None = None) -> dict[str, float]:
    """Outbox and DMS backlogs: counts and the age in seconds of the oldest waiting item."""
    from gateway.register.handoff import OPEN_STATES
    from gateway.register.schema import DmsHandoffRow, OutboxRow

    now = now or datetime.now(UTC)
    waiting = OutboxRow.state.in_(("pending", "sending"))
    out_count, out_oldest = s.execute(
        select(func.count(OutboxRow.id), func.min(OutboxRow.created_at)).where(waiting)
    ).one()
    failed = s.scalar(select(func.count(OutboxRow.id)).where(OutboxRow.state == "failed")) or 0
    open_ = DmsHandoffRow.state.in_(OPEN_STATES)
    dms_count, dms_oldest = s.execute(
        select(func.count(DmsHandoffRow.id), func.min(DmsHandoffRow.created_at)).where(open_)
    ).one()
    return {
        "outbox_pending": float(out_count or 0),
        "outbox_oldest_seconds": _age(out_oldest, now),
        "outbox_failed": float(failed),
        "dms_backlog": float(dms_count or 0),
        "dms_oldest_seconds": _age(dms_oldest, now),
    }


class BacklogCollector(Collector):
    """The backlogs, read from the database at each scrape."""

    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            with self.sessions() as s:
                b = backlogs(s)
        except Exception:  # the database is away: /healthz says so; the metrics leave these out
            return
        yield GaugeMetricFamily("gateway_outbox_backlog", "Messages waiting to be sent", value=b["outbox_pending"])
        yield GaugeMetricFamily(
            "gateway_outbox_oldest_seconds", "Age of the oldest message waiting", value=b["outbox_oldest_seconds"]
        )
        yield GaugeMetricFamily(
            "gateway_outbox_failed", "Messages given up on (see gateway outbox list --failed)", value=b["outbox_failed"]
        )
        yield GaugeMetricFamily("gateway_dms_backlog", "Documents waiting for the DMS", value=b["dms_backlog"])
        yield GaugeMetricFamily(
            "gateway_dms_oldest_seconds",
            "Age of the oldest document waiting for the DMS",
            value=b["dms_oldest_seconds"],
        )
