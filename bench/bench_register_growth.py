"""Manual measurement (issue 17, item 2): what one letter with many small invalid attachments costs.

    .venv/bin/python bench/bench_register_growth.py --attachments 200 2000 [--source DIR]

For each N, in a fresh child process (so that its peak memory is its own): builds one letter with N small
attachments that claim to be PDFs but are not (each ~120 bytes, all different), admits it to a fresh
SQLite register (as the SMTP listener does), runs `process_pending` once and prints one JSON line: the
letter's size, seconds of processing, the register file's size after (database + WAL), the bytes of
verdict JSON kept on the entries and on the letter, the number of entries, and the child's peak RSS.

`--source DIR` runs the same against another checkout of the gateway (e.g. `git archive <commit>` unpacked
in a temporary folder), for before/after figures; only the long-stable API is used (load_settings,
open_database, admit, build_stages, process_pending).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import func, select

from gateway.config import load_settings
from gateway.intake.spool import admit
from gateway import models
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.schema import LetterRow, RegisterEntryRow

n, work = int(sys.argv[1]), Path(sys.argv[2])
cfg = work / "config.toml"
cfg.write_text(
    '[gateway]\nstorage_dir = "storage"\n'
    # Every document read (the default reads at most 50 per letter): the growth per entry is what is measured.
    "[processing]\nmax_attachments = 10000\n",
    encoding="utf-8",
)
settings = load_settings(cfg)
sessions = open_database(settings.database_url)
msg = EmailMessage()
msg["Return-Path"] = "<vanthu@so.example.gov.vn>"
msg["From"] = "vanthu@so.example.gov.vn"
msg["To"] = "vanthu@ubnd.example.gov.vn"
msg["Subject"] = f"{n} attachments"
msg["Message-ID"] = f"<growth{n}@so.example.gov.vn>"
msg.set_content("Kính gửi Văn thư.")
for i in range(n):
    body = (b"<html><body>not a pdf, attachment %d</body></html>\n" % i).ljust(120, b" ")
    msg.add_attachment(body, maintype="application", subtype="pdf", filename=f"cv-{i:05d}.pdf")
raw = msg.as_bytes()
source = models.Source.SMTP if hasattr(models, "VerdictSource") else "smtp"  # a plain str before
admit(sessions, settings.storage_dir, raw, source=source, received_at=datetime.now(UTC))
stages = build_stages(settings)
started = time.perf_counter()
done = process_pending(sessions, stages)
seconds = time.perf_counter() - started
db = Path(settings.database_url.removeprefix("sqlite:///"))
files = [db, db.with_name(db.name + "-wal")]
with sessions() as s:
    entries = s.scalar(select(func.count(RegisterEntryRow.id)))
    entry_json = sum(len(json.dumps(v, ensure_ascii=False)) for v in s.scalars(select(RegisterEntryRow.verdict)))
    letter_json = sum(len(json.dumps(v, ensure_ascii=False)) for v in s.scalars(select(LetterRow.verdict)))
print(json.dumps({
    "attachments": n,
    "letter_bytes": len(raw),
    "outcome": [p.outcome for p in done],
    "process_seconds": round(seconds, 2),
    "register_bytes": sum(f.stat().st_size for f in files if f.exists()),
    "wal_bytes": files[1].stat().st_size if files[1].exists() else 0,
    "entries": entries,
    "entry_verdict_json_bytes": entry_json,
    "letter_verdict_json_bytes": letter_json,
    "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attachments", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--source", type=Path, default=ROOT, help="the gateway checkout to measure")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.source.resolve()), "PYTHONDONTWRITEBYTECODE": "1"}
    for n in args.attachments:
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(n), tmp], env=env, cwd=tmp, capture_output=True, text=True
            )
            if out.returncode != 0:
                print(out.stderr[-3000:], file=sys.stderr)
                raise SystemExit(out.returncode)
            print(out.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
