"""The daemon: it only schedules — intakes, letter processing, the outbox and the DMS hand-off queue and
status polling, each done by its own module.

One cycle for a mailbox (`gateway.intake.imap.ImapIntake`): connect, take in new messages (spool first),
process every pending letter (`gateway.processor`), then file the mailbox copies of decided letters — only
now, when their register entries and replies are committed. APScheduler runs each mailbox's cycle every
`poll_seconds`, the outbox every few seconds and the revocation refresher (`gateway.revocation`) every
`refresh_minutes`; an IDLE thread per mailbox wakes its cycle at once when mail arrives (R1, R14: watched
continuously, weekends and holidays too). The SMTP listener admits letters
as they come and wakes the processor. A failing mailbox backs off with jitter and never stops the others;
SIGTERM/SIGINT stop everything cleanly.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from gateway.config import MailboxSettings, Settings
from gateway.disposition import KINDS
from gateway.intake.imap import ImapIntake
from gateway.intake.imap_client import ImapMailbox, MailboxError, backoff_delays
from gateway.outbox import enqueue, send_all_due
from gateway.pipeline import Stages, build_stages
from gateway.processor import pending_count, process_pending
from gateway.register.db import open_database
from gateway.register.dms import build_dms
from gateway.register.handoff import drain
from gateway.register.statuses import poll_statuses
from gateway.replies import compose
from gateway.revocation import refresh_and_reload
from gateway.workers import EvaluationPool

log = logging.getLogger("gateway.daemon")


class Gateway:
    """Everything one gateway process does; `run_once` is one full pass, `run_forever` the daemon."""

    def __init__(
        self, settings: Settings, *, sessions: sessionmaker[Session] | None = None, stages: Stages | None = None
    ):
        self.settings = settings
        self.stages: Stages = stages or build_stages(settings, on_rules_error=self._rules_broken)
        self.sessions = sessions or open_database(settings.database_url)
        self.intakes = {m.name: ImapIntake(m, self.sessions, settings.storage_dir) for m in settings.mailboxes}
        self.process_lock = threading.Lock()
        self.stop_event = threading.Event()
        self._scheduler: BackgroundScheduler | None = None
        self._controller: Any = None
        self._backoff = {m.name: backoff_delays() for m in settings.mailboxes}
        self.dms = build_dms(settings, self.stages.templates, self.stages.alerts.admin)
        self._pool: EvaluationPool | None = None  # started when the first letter needs evaluating

    # --- jobs -------------------------------------------------------------------------------------
    def cycle_mailbox(self, mb: MailboxSettings) -> None:
        """Connect, take in, process, file. Errors are logged and backed off; nothing propagates."""
        if self.stop_event.is_set():
            return
        intake = self.intakes[mb.name]
        box: ImapMailbox | None = None
        try:
            box = intake.connect()
            intake.take_in(box)
            self.process()
            intake.file_decided(box)
            self._backoff[mb.name] = backoff_delays()
        except MailboxError as exc:
            delay = next(self._backoff[mb.name])
            log.warning("mailbox %s: %s; retrying in %.1f s", mb.name, exc, delay)
            self.stop_event.wait(delay)
        except Exception:
            log.exception("mailbox %s: unexpected error", mb.name)
        finally:
            if box is not None:
                box.close()

    def process(self) -> int:
        """Evaluate pending letters in the worker pool and commit them; wake the outbox after commits."""
        with self.process_lock:
            self.stages.rulebook.current()  # a broken rule edit is reported here; workers keep the last good
            if not pending_count(self.sessions):
                return 0
            if self._pool is None:
                self._pool = EvaluationPool(self.settings, self.stages.rulebook)
            done = len(process_pending(self.sessions, self.stages, pool=self._pool))
        if done:
            self._wake("outbox")  # replies leave now, not at the next poll (issue 16)
        return done

    def close_pool(self) -> None:
        with self.process_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def send_outbox(self) -> None:
        try:
            send_all_due(self.sessions, self.settings.outgoing)
        except Exception:
            log.exception("outbox: unexpected error")

    def refresh_revocation(self) -> None:
        """Keep the CRLs the verifier reads current (`gateway.revocation`); nothing propagates."""
        try:
            refresh_and_reload(self.stages.verifier)
        except Exception:
            log.exception("revocation refresh: unexpected error")

    def hand_off(self) -> None:
        """Hand accepted documents to the DMS, in order, each once (R18, R19)."""
        try:
            drain(self.sessions, self.dms)
        except Exception:
            log.exception("DMS hand-off: unexpected error")

    def poll_dms(self) -> None:
        """Read the DMS's status packages into the register; notify senders (R15)."""
        try:
            poll_statuses(self.sessions, self.dms)
        except Exception:
            log.exception("DMS statuses: unexpected error")

    def run_once(self) -> None:
        """Process everything pending and exit: mailboxes, spooled SMTP letters, the DMS, the outbox (until
        nothing is due)."""
        try:
            for mb in self.settings.mailboxes:
                self.cycle_mailbox(mb)
            if self.process() and self.settings.mailboxes:
                # Letters another process spooled after our cycle, decided here: file their copies too.
                for mb in self.settings.mailboxes:
                    self.cycle_mailbox(mb)
        finally:
            self.close_pool()
        if self.dms.backends:
            self.hand_off()
            self.poll_dms()
        self.send_outbox()

    def _rules_broken(self, message: str) -> None:
        """A rule edit is broken and the last good rules stay in use: tell the admins (R7–R12 need them)."""
        admins = self.stages.alerts.admin
        if not admins:
            return
        context = {"agency": self.settings.agency, "problems": message}
        msg = compose(self.stages.templates, self.settings.outgoing, KINDS["rules_error"], context, to=admins)
        with self.sessions.begin() as s:
            enqueue(s, letter_id=None, kind="rules_error", message=msg, recipients=list(admins))

    # --- the daemon -------------------------------------------------------------------------------
    def _idle_loop(self, mb: MailboxSettings) -> None:
        """Keep an IDLE connection; when the server reports activity, run the mailbox cycle now."""
        delays = backoff_delays()
        while not self.stop_event.is_set():
            box = ImapMailbox(mb)
            try:
                box.connect()
                delays = backoff_delays()
                while not self.stop_event.is_set():
                    if box.wait_for_activity(min(mb.poll_seconds, mb.idle_renew_seconds), stop=self.stop_event):
                        self._wake(f"mailbox:{mb.name}")
            except MailboxError as exc:
                delay = next(delays)
                log.warning("IDLE on %s: %s; reconnecting in %.1f s", mb.name, exc, delay)
                self.stop_event.wait(delay)
            except Exception:
                log.exception("IDLE on %s: unexpected error", mb.name)
                self.stop_event.wait(next(delays))
            finally:
                box.close()

    def _wake(self, job_id: str) -> None:
        if self._scheduler is not None:
            try:
                self._scheduler.modify_job(job_id, next_run_time=datetime.now(UTC))
            except Exception:  # the job may be gone while shutting down
                log.debug("could not wake %s", job_id)

    def start(self) -> None:
        from gateway.intake.smtp import start_listener

        sched = BackgroundScheduler(timezone="Asia/Ho_Chi_Minh", job_defaults={"coalesce": True, "max_instances": 1})
        now = datetime.now(UTC)
        for mb in self.settings.mailboxes:
            sched.add_job(
                self.cycle_mailbox,
                "interval",
                args=[mb],
                seconds=mb.poll_seconds,
                id=f"mailbox:{mb.name}",
                next_run_time=now,
            )
        sched.add_job(self.process, "interval", seconds=5, id="process", next_run_time=now)
        sched.add_job(self.send_outbox, "interval", seconds=3, id="outbox", next_run_time=now)
        minutes = self.stages.verifier.settings.refresh.refresh_minutes
        sched.add_job(self.refresh_revocation, "interval", minutes=minutes, id="revocation", next_run_time=now)
        if self.dms.backends:
            sched.add_job(self.hand_off, "interval", seconds=3, id="dms", next_run_time=now)
            poll = self.dms.settings.poll_seconds
            sched.add_job(self.poll_dms, "interval", seconds=poll, id="dms-statuses", next_run_time=now)
        self._scheduler = sched
        with self.process_lock:
            self._pool = EvaluationPool(self.settings, self.stages.rulebook)
            self._pool.warm()  # the first letter after start-up does not wait for the workers
        sched.start()
        for mb in self.settings.mailboxes:
            if mb.idle:
                threading.Thread(target=self._idle_loop, args=(mb,), name=f"idle-{mb.name}", daemon=True).start()
        if self.settings.smtp_listener.enabled:
            self._controller = start_listener(
                self.settings.smtp_listener,
                self.sessions,
                self.settings.storage_dir,
                on_admitted=lambda _a: self._wake("process"),
            )
            log.info("SMTP listener on %s:%d", self.settings.smtp_listener.host, self._controller.port)
        log.info("gateway running: %d mailbox(es)", len(self.settings.mailboxes))

    def stop(self) -> None:
        self.stop_event.set()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None
        self.close_pool()
        log.info("gateway stopped")

    def run_forever(self) -> None:
        def _stop(signum, _frame):
            log.info("signal %d: stopping", signum)
            self.stop_event.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.start()
        try:
            while not self.stop_event.wait(1.0):
                pass
        finally:
            self.stop()
