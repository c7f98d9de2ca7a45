"""R19 end to end: the DMS is down while 50 letters arrive — every one is registered and acknowledged, the
admin is alerted once; when the DMS is back, the 50 packages arrive exactly once, in order, although
`gateway run` (a real process) is SIGKILLed during the outage and again in the middle of a hand-off."""

from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gateway.edxml import read_package, schema_errors
from gateway.models import LetterState
from gateway.register.db import open_database
from gateway.register.schema import DmsHandoffRow, LetterRow, OutboxRow, RegisterEntryRow
from gateway.samples.sink import free_port
from tests.dms_helpers import ADMIN, OURS, crlf, write_dms_config
from tests.e2e_helpers import numbered_letter, parsed
from tests.hostile_samples import SENDER

pytestmark = pytest.mark.slow  # real processes and servers

TOTAL = 50


def _start(config: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gateway", "run", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"),
        cwd=config.parent,
    )


def _wait(predicate, timeout: float, what: str, log: Path, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{log.read_text()[-3000:]}")


def test_fifty_letters_through_a_dms_outage_and_two_sigkills(tmp_path, smtp_sink, dms_server):
    letters = [crlf(numbered_letter(n)) for n in range(1, TOTAL + 1)]
    dms_server.stop()  # the DMS is down from the start
    port = free_port()
    dms = f"""
[smtp_listener]
enabled = true
port = {port}
addresses = ["{OURS}"]

[dms]
backends = ["builtin", "edxml-http"]
alert_after_minutes = 0.02
retry_base_seconds = 0.2
retry_max_seconds = 1
lease_seconds = 3
poll_seconds = 1
[dms.http]
url = "{dms_server.url}"
token = "{dms_server.token}"
timeout_seconds = 2
"""
    config = write_dms_config(tmp_path, dms, outgoing_port=smtp_sink.port)
    sessions = open_database(f"sqlite:///{tmp_path / 'storage' / 'register.sqlite3'}")
    log = tmp_path / "gateway.log"
    proc = _start(config, log)
    try:
        _wait(lambda: _listening(port), 30, "the SMTP listener", log, proc)
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            for raw in letters:
                smtp.sendmail(SENDER, [OURS], raw)

        def acknowledged() -> bool:
            with sessions() as s:
                filed = s.scalar(select(func.count(LetterRow.id)).where(LetterRow.state == LetterState.FILED))
            return filed == TOTAL and sum(1 for r in smtp_sink.received if ADMIN not in r.rcpt_tos) >= TOTAL

        _wait(acknowledged, 90, "50 letters registered and acknowledged while the DMS is down", log, proc)
        _wait(lambda: _alerts(smtp_sink, "không kết nối được") == 1, 30, "the outage alert", log)
        with sessions() as s:
            assert s.scalar(select(func.count(DmsHandoffRow.id)).where(DmsHandoffRow.state == "sent")) == 0

        os.kill(proc.pid, signal.SIGKILL)  # 1: during the outage
        proc.wait(10)
        killed_mid_handoff = threading.Event()

        def kill_on_the_20th(doc_id: str) -> None:
            if len(dms_server.posts) == 20 and not killed_mid_handoff.is_set():
                os.kill(proc.pid, signal.SIGKILL)  # 2: the DMS has the package, the gateway never hears so
                killed_mid_handoff.set()

        dms_server.on_post = kill_on_the_20th
        proc = _start(config, log)
        time.sleep(2)  # still down for a while after the restart: no second outage alert
        dms_server.start()
        _wait(killed_mid_handoff.is_set, 60, "the kill in the middle of a hand-off", log)
        proc.wait(10)
        proc = _start(config, log)

        def delivered() -> bool:
            with sessions() as s:
                sent = s.scalar(select(func.count(DmsHandoffRow.id)).where(DmsHandoffRow.state == "sent"))
            return sent == TOTAL

        _wait(delivered, 60, "all 50 packages handed over", log, proc)
        _wait(lambda: _alerts(smtp_sink, "hoạt động trở lại") == 1, 30, "the recovery notice", log)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()

    with sessions() as s:
        numbers = sorted(s.scalars(select(RegisterEntryRow.number)))
        unsent = s.scalar(select(func.count(OutboxRow.id)).where(OutboxRow.state != "sent"))
    assert numbers == list(range(1, TOTAL + 1)) and unsent == 0
    kept = {doc_id: data for (doc_id, kind), data in dms_server.kept.items() if kind == "edoc"}
    assert len(kept) == TOTAL == len(dms_server.kept)  # each document exactly once in the DMS
    assert sorted(int(d.split(",")[2].split("/")[0]) for d in kept) == list(range(1, TOTAL + 1))
    for data in kept.values():
        assert schema_errors(data) == [] and read_package(data).problems == ()
    resent = len(dms_server.posts) - TOTAL  # the package whose answer the kill swallowed, sent again
    assert 1 <= resent <= 2
    acks = [parsed(r.raw) for r in smtp_sink.received if ADMIN not in r.rcpt_tos]
    assert len({m["In-Reply-To"] for m in acks}) == TOTAL
    assert _alerts(smtp_sink, "không kết nối được") == 1 and _alerts(smtp_sink, "hoạt động trở lại") == 1
    print(
        f"\n{TOTAL} letters during the outage: {len(acks)} acknowledgements, "
        f"{_alerts(smtp_sink, 'không kết nối được')} outage alert, 2 SIGKILLs; after recovery "
        f"{len(dms_server.posts)} POSTs /sendEdoc, {len(kept)} distinct packages kept by the DMS, "
        f"{_alerts(smtp_sink, 'hoạt động trở lại')} recovery notice"
    )


def _listening(port: int) -> bool:
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=2):
            return True
    except OSError:
        return False


def _alerts(sink, words: str) -> int:
    return sum(1 for r in sink.received if ADMIN in r.rcpt_tos and words in str(parsed(r.raw)["Subject"]))
