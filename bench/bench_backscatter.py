"""Manual measurement (issue 17, item 3): what forged envelope senders get back through the SMTP listener.

    .venv/bin/python bench/bench_backscatter.py [--letters 20] [--source DIR]

Starts the daemon (`gateway.daemon.Gateway`) with its SMTP listener on a loopback port and a local SMTP
sink for replies, sends N letters with a forged MAIL FROM (N different outside addresses, a link in the
Subject and the display name, an attachment that is not a PDF), waits until every letter is decided and
every queued message sent, and prints one JSON line: letters, decided outcomes, messages the sink received,
how many of them carry the link, and the wall seconds. `--source DIR` measures another checkout (before/after).
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
import json, smtplib, sys, time
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from gateway.config import load_settings
from gateway.daemon import Gateway
from gateway.register.schema import LetterRow, OutboxRow
from gateway.samples.sink import SmtpSink, free_port

n, work = int(sys.argv[1]), Path(sys.argv[2])
ours = "vanthu@ubnd.example.gov.vn"
sink = SmtpSink().start()
port = free_port()
(work / "config.toml").write_text(
    f'[gateway]\nstorage_dir = "storage"\n[smtp_listener]\nenabled = true\nport = {port}\naddresses = ["{ours}"]\n'
    f'[outgoing]\nport = {sink.port}\nfrom_address = "{ours}"\n[authenticity]\nuse_dns = false\n',
    encoding="utf-8",
)
gw = Gateway(load_settings(work / "config.toml"))
gw.start()
started = time.perf_counter()
try:
    for i in range(n):
        victim = f"nan.nhan{i}@victim{i}.example"
        msg = EmailMessage()
        msg["From"] = f"Qua tang http://spam.example <{victim}>"
        msg["To"] = ours
        msg["Subject"] = f"Nhan thuong tai http://spam.example/win/{i}"
        msg["Message-ID"] = f"<forged{i}@victim{i}.example>"
        msg.set_content("Xem tai http://spam.example")
        msg.add_attachment(b"<html>not a pdf</html>", maintype="application", subtype="pdf", filename="cv.pdf")
        raw = msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.sendmail(victim, [ours], raw)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with gw.sessions() as s:
            rows = s.scalars(select(LetterRow).where(LetterRow.state != "RECEIVED")).all()
            unsent = s.scalars(select(OutboxRow).where(OutboxRow.state != "sent")).all()
        if len(rows) >= n and not unsent:
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
finally:
    gw.stop()
    sink.stop()
with gw.sessions() as s:
    outcomes = sorted(r.outcome for r in s.scalars(select(LetterRow)))
received = list(sink.received)
print(json.dumps({
    "letters": n,
    "outcomes": {o: outcomes.count(o) for o in set(outcomes)},
    "messages_sent": len(received),
    "distinct_recipients": len({r for m in received for r in m.rcpt_tos}),
    "messages_with_link": sum(1 for m in received if b"spam.example" in m.raw),
    "seconds": round(seconds, 1),
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=20)
    parser.add_argument("--source", type=Path, default=ROOT, help="the gateway checkout to measure")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.source.resolve()), "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(args.letters), tmp], env=env, cwd=tmp, capture_output=True, text=True
        )
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(out.returncode)
        print(out.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
