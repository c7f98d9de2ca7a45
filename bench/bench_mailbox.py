"""Benchmark: a whole mailbox through the gateway, against a real Dovecot and a real SMTP sink.

    .venv/bin/python bench/bench_mailbox.py [--letters 100]

Starts a throw-away Dovecot (the tests' server), appends N distinct letters (each a one-page công văn
with a text layer), then runs `gateway run --once` as a separate process and reports: letters, wall
seconds (process start to exit, so the ~2 s of imports and start-up are in it), letters per second,
replies received by the sink, and the folders the messages ended in.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from gateway.samples.sink import SmtpSink
    from tests.e2e_helpers import numbered_letter, write_config
    from tests.servers.dovecot import DovecotServer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100)
    args = parser.parse_args()
    server = DovecotServer.start()
    sink = SmtpSink().start()
    try:
        user = server.add_user()
        with tempfile.TemporaryDirectory() as tmp:
            env = write_config(Path(tmp), server, user, sink, mailbox_extra="batch_size = 50")
            started = time.perf_counter()
            for n in range(1, args.letters + 1):
                server.append(user, "INBOX", numbered_letter(n))
            made = time.perf_counter() - started
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "gateway", "run", "--once", "--config", str(env.config)],
                check=True,
                cwd=tmp,
                stderr=subprocess.DEVNULL,
            )
            seconds = time.perf_counter() - started
            replies = sink.wait_for(args.letters, timeout=30)
            folders = {f: len(server.folder_uids(user, f)) for f in ("INBOX", "Processed", "Refused", "Quarantine")}
    finally:
        sink.stop()
        server.stop()
    print(f"letters appended: {args.letters} (rendering and APPEND took {made:.1f} s)")
    print(f"gateway run --once: {seconds:.1f} s wall, {args.letters / seconds:.1f} letters/s")
    print(f"per letter: {1000 * seconds / args.letters:.0f} ms (start-up included)")
    print(f"replies received: {len(replies)}")
    print("folders: " + ", ".join(f"{k} {v}" for k, v in folders.items()))


if __name__ == "__main__":
    main()
