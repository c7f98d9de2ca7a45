"""Benchmark: what a letter's commit costs with an empty register and with 50,000 entries (issue 16).

    .venv/bin/python bench/bench_register.py [--entries 50000] [--letters 30]

For each register — empty; N entries (and N sent replies to the same sender, older than the rate-limit
hour) with the indexes of migration 0005; the same without those two indexes — K ordinary letters are
spooled and evaluated first (evaluation does not touch the register), then each is claimed and committed
(`processor.claim` + `processor.finish`: the duplicate look-up by notation, issuer and date, numbering,
entries, the rate limit's count of recent replies, the reply, the letter's state). Prints the median and
p90 commit milliseconds per letter, and the ratio to the empty register.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fill(sessions, n: int) -> None:
    from sqlalchemy import insert

    from gateway.register.schema import LetterRow, OutboxRow, RegisterEntryRow
    from tests.hostile_samples import SENDER

    old = datetime.now(UTC) - timedelta(days=30)
    with sessions.begin() as s:
        for start in range(0, n, 5000):
            ids = range(start + 1, min(n, start + 5000) + 1)
            letters = [
                {
                    "id": i,
                    "sha256": f"{i:064x}",
                    "source": "imap",
                    "raw_path": "/nonexistent",
                    "size": 1000,
                    "truncated": False,
                    "received_at": old,
                    "state": "FILED",
                    "attempts": 1,
                    "created_at": old,
                    "updated_at": old,
                }
                for i in ids
            ]
            s.execute(insert(LetterRow), letters)
            entries = [
                {
                    "letter_id": i,
                    "doc_index": 0,
                    "year": 2025,
                    "number": i,
                    "status": "registered",
                    "received_at": old,
                    "official_received_at": old,
                    "filename": f"{i}.pdf",
                    "document_sha256": f"{i:064x}",
                    "notation": f"{i}/STTTT-VP",
                    "issuer": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
                    "document_date": date(2025, 1, 1) + timedelta(days=i % 365),
                    "verdict": {},
                    "created_at": old,
                }
                for i in ids
            ]
            s.execute(insert(RegisterEntryRow), entries)
            replies = [
                {
                    "letter_id": i,
                    "kind": "acknowledgement",
                    "message_id": f"<r{i}@x>",
                    "recipients": [SENDER],
                    "recipient": SENDER.lower(),
                    "raw": "x",
                    "state": "sent",
                    "attempts": 1,
                    "next_attempt_at": old,
                    "created_at": old - timedelta(minutes=i % 10000),
                }
                for i in ids
            ]
            s.execute(insert(OutboxRow), replies)


def measure(entries: int, letters: int, indexes: bool) -> list[float]:
    from sqlalchemy import select, text

    from gateway.config import load_settings
    from gateway.intake.spool import admit
    from gateway.models import Source
    from gateway.pipeline import build_stages, evaluate_letter
    from gateway.processor import claim, finish
    from gateway.register.db import open_database
    from gateway.register.schema import LetterRow
    from tests.e2e_helpers import numbered_letter

    with tempfile.TemporaryDirectory(prefix="bench-register-") as tmp:
        cfg = Path(tmp) / "config.toml"
        cfg.write_text('[gateway]\nstorage_dir = "storage"\n[outgoing]\nrate_limit_per_hour = 10000\n')
        settings = load_settings(cfg)
        sessions = open_database(settings.database_url)
        fill(sessions, entries)
        if not indexes:
            with sessions.begin() as s:
                s.execute(text("DROP INDEX ix_register_entries_notation_issuer_date"))
                s.execute(text("DROP INDEX ix_outbox_recipient_created_at"))
        with sessions.begin() as s:
            s.execute(text("ANALYZE"))
        for i in range(1, letters + 1):
            admit(
                sessions,
                settings.storage_dir,
                numbered_letter(10**6 + i),
                source=Source.FILE,
                received_at=datetime.now(UTC),
            )
        stages = build_stages(settings)
        with sessions() as s:
            ids = list(s.scalars(select(LetterRow.id).where(LetterRow.state == "RECEIVED").order_by(LetterRow.id)))
        times = []
        for letter_id in ids:
            with sessions() as s:
                row = s.get_one(LetterRow, letter_id)
                raw = Path(row.raw_path).read_bytes()
            ev = evaluate_letter(raw, received_at=datetime.now(UTC), stages=stages)
            t = time.perf_counter()
            c = claim(sessions, letter_id)
            assert c is not None
            assert finish(sessions, stages, c, ev) is not None
            times.append(1000 * (time.perf_counter() - t))
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--letters", type=int, default=30)
    args = parser.parse_args()
    base = None
    for label, entries, indexes in (
        ("empty register", 0, True),
        (f"{args.entries} entries, indexes", args.entries, True),
        (f"{args.entries} entries, no 0005 indexes", args.entries, False),
    ):
        t = measure(entries, args.letters, indexes)
        med = statistics.median(t)
        base = base or med
        p90 = statistics.quantiles(t, n=10)[-1]
        print(f"{label:<36} commit per letter: median {med:6.1f} ms, p90 {p90:6.1f} ms, ×{med / base:.2f}")


if __name__ == "__main__":
    main()
