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

Outages (issue 15, 17): no job sleeps. A mailbox that cannot be reached is tried again after a capped,
jittered delay (at most `IMAP_RETRY_CAP` seconds) by rescheduling its job, and its IDLE thread — which
reconnects on the same capped backoff — wakes the cycle as soon as the server answers again, so a server
back is a server used within seconds. A database that does not answer is one `Outage`: one warning when
it starts, one line when it ends, jobs backed off in between, no traceback per job; at start the daemon
waits for it (`wait_for_database`) instead of exiting. The storage volume's free space is checked every
minute: below `[gateway] min_free_mb` the admins get one `low_disk_space` notice per low spell.
"""

from __future__ import annotations

import logging
import shutil
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from gateway.config import MailboxSettings, Settings
from gateway.destruction import purge_refused
from gateway.disposition import KINDS
from gateway.health import health, serve
from gateway.intake.imap import ImapIntake
from gateway.intake.imap_client import ImapMailbox, MailboxError, backoff_delays
from gateway.intake.storage_check import StorageMismatch, check_shared_storage
from gateway.metrics import IMAP_RECONNECTS, REGISTRY, BacklogCollector
from gateway.outage import Outage, first_line, is_database_down
from gateway.outbox import enqueue, revive_failed, send_all_due
from gateway.pdf.signature_settings import load_trust
from gateway.pipeline import Stages, build_stages
from gateway.processor import pending_count, process_pending
from gateway.register.db import open_database
from gateway.register.dms import build_dms
from gateway.register.handoff import drain
from gateway.register.statuses import poll_statuses
from gateway.replies import compose
from gateway.resources import version
from gateway.revocation import refresh_and_reload, refresh_revocation
from gateway.sdnotify import notify, watchdog_seconds
from gateway.streaming import Arrivals, Repeater
from gateway.workers import EvaluationPool

log = logging.getLogger("gateway.daemon")
IMAP_RETRY_CAP = 8.0  # seconds: a mailbox server back is used again within this (plus one connect)
BUSY_RETRY = 0.5  # seconds: a mailbox another process is fetching is cycled again after this
FILE_EVERY = 1.0  # seconds: decided letters' copies are filed during a pass at most this often


@dataclass(frozen=True)
class Cycle:
    """What one mailbox cycle did: `fetched` None when another process was fetching the mailbox."""

    fetched: int | None
    processed: int


def wait_for_database(
    url: str, stop: threading.Event, *, cap: float = 10.0, wait: bool = True
) -> sessionmaker[Session] | None:
    """Open (and upgrade) the database, waiting while it does not answer: one warning, then a line when it
    does. None if `stop` is set meanwhile, or at once (with one error line) when not `wait`."""
    outage = Outage("database", cap=cap)
    while not stop.is_set():
        try:
            sessions = open_database(url)
        except Exception as exc:
            if not is_database_down(exc):
                raise
            if not wait:
                log.error("database unreachable: %s", first_line(exc))
                return None
            stop.wait(outage.failed(exc))
            continue
        outage.ok()
        return sessions
    return None


class Gateway:
    """Everything one gateway process does; `run_once` is one full pass, `run_forever` the daemon."""

    def __init__(
        self,
        settings: Settings,
        *,
        sessions: sessionmaker[Session] | None = None,
        stages: Stages | None = None,
        wait: bool = True,
    ):
        self.settings = settings
        self.stop_event = threading.Event()
        self.database = Outage("database")
        if sessions is None:
            sessions = wait_for_database(settings.database_url, self.stop_event, wait=wait)
            if sessions is None:
                raise SystemExit(1 if wait else 2)
        try:
            check_shared_storage(sessions, settings.storage_dir)
        except StorageMismatch as exc:
            log.error("%s", exc)
            raise SystemExit(2) from exc
        self.stages: Stages = stages or build_stages(settings, on_rules_error=self._rules_broken)
        self.sessions = sessions
        self.intakes = {m.name: ImapIntake(m, self.sessions, settings.storage_dir) for m in settings.mailboxes}
        self.process_lock = threading.Lock()
        self._reload_wanted = threading.Event()
        self._scheduler: BackgroundScheduler | None = None
        self._controller: Any = None
        self._backoff = {m.name: backoff_delays(cap=IMAP_RETRY_CAP) for m in settings.mailboxes}
        self._mailbox_down: dict[str, bool] = {}
        self._low_disk = False
        self.dms = build_dms(settings, self.stages.templates, self.stages.alerts.admin)
        self._last_ok: dict[str, float | None] = {m.name: None for m in settings.mailboxes}
        self._health: Any = None
        self._collector: Any = None
        self._pool: EvaluationPool | None = None  # started when the first letter needs evaluating

    # --- jobs -------------------------------------------------------------------------------------
    def _guarded(self, job: str, work: Callable[[], object]) -> None:
        """Run `work` unless the database is backing off; a database outage is logged once (`Outage`)."""
        if not self.database.due():
            return
        try:
            work()
        except Exception as exc:
            if is_database_down(exc):
                self.database.failed(exc)
                return
            log.exception("%s: unexpected error", job)
            return
        self.database.ok()

    def cycle_mailbox(self, mb: MailboxSettings) -> Cycle | None:
        """Connect, take in, process, file; None when the cycle did not run or failed. Errors are logged and
        backed off; nothing propagates, nothing sleeps: a failing mailbox's job is rescheduled after its
        (capped) backoff. While another process is fetching the mailbox (its fetch lease), this one
        processes the letters it spools and comes back after `BUSY_RETRY` seconds."""
        if self.stop_event.is_set() or not self.database.due():
            return None
        intake = self.intakes[mb.name]
        box: ImapMailbox | None = None
        try:
            box = intake.connect()
            fetched, processed = self._take_in_and_process(intake, box)
            intake.file_decided(box)
            self._mailbox_up(mb)
            self.database.ok()
            self._last_ok[mb.name] = time.monotonic()
            if fetched is None:
                self._wake(f"mailbox:{mb.name}", BUSY_RETRY)
            return Cycle(fetched, processed)
        except MailboxError as exc:
            IMAP_RECONNECTS.labels(mb.name).inc()
            delay = next(self._backoff[mb.name])
            if not self._mailbox_down.get(mb.name):
                log.warning(
                    "mailbox unreachable: %s; retrying every few seconds (at most %.0f s)",
                    exc,
                    IMAP_RETRY_CAP,
                    extra={"mailbox": mb.name},
                )
            else:
                log.debug("mailbox still unreachable: %s; next try in %.1f s", exc, delay, extra={"mailbox": mb.name})
            self._mailbox_down[mb.name] = True
            self._wake(f"mailbox:{mb.name}", delay)
        except Exception as exc:
            if is_database_down(exc):
                self.database.failed(exc)
            else:
                log.exception("mailbox: unexpected error", extra={"mailbox": mb.name})
        finally:
            if box is not None:
                box.close()
        return None

    def _mailbox_up(self, mb: MailboxSettings) -> None:
        self._backoff[mb.name] = backoff_delays(cap=IMAP_RETRY_CAP)
        if self._mailbox_down.pop(mb.name, False):
            log.warning("mailbox reachable again", extra={"mailbox": mb.name})

    def _take_in_and_process(self, intake: ImapIntake, box: ImapMailbox) -> tuple[int | None, int]:
        """Fetch, process and file at once (issue 16, `gateway.streaming`): the fetch runs in a thread of its
        own while the letters it admits are evaluated and committed here as they come, and after each
        commit a `Repeater` — once the fetch has let go of `box` — files the decided letters' copies (at
        most every `FILE_EVERY` seconds). Replies are not sent during the pass: measured A/B on 240 signed
        letters, sending them from a thread meanwhile cost 10 ms of CPU a letter (an SMTP session and the
        outbox look-ups per run, the SQLite write lock shared with the commits) and made the pass slower
        (20.3 vs 25.7 letters/s); the outbox is woken when the pass ends. Returns (taken in, processed);
        an error of the fetch is raised here once the letters it admitted are processed."""
        arrivals = Arrivals()
        fetched: list[int | None] = []
        fetch_error: list[BaseException] = []
        fetch_over = threading.Event()

        def fetch() -> None:
            try:
                fetched.append(intake.take_in(box, arrivals.admitted))
            except BaseException as exc:
                fetch_error.append(exc)
            finally:
                fetch_over.set()
                arrivals.close()

        last_filing = [0.0]

        def after_commits() -> None:
            if fetch_over.is_set() and not fetch_error and time.monotonic() - last_filing[0] >= FILE_EVERY:
                last_filing[0] = time.monotonic()
                try:
                    intake.file_decided(box)
                except MailboxError as exc:  # the cycle's own filing at the end meets it again and backs off
                    fetch_error.append(exc)
                    log.debug("filing during the pass: %s", exc, extra={"mailbox": intake.name})

        fetcher = threading.Thread(target=fetch, name=f"fetch-{intake.name}", daemon=True)
        fetcher.start()
        repeater = Repeater(f"after-commits-{intake.name}", after_commits, gap=FILE_EVERY)
        try:
            processed = self.process(arriving=arrivals, committed=repeater.poke)
        finally:
            fetcher.join()
            repeater.stop()  # before `box` is used here again
        if fetch_error:
            raise fetch_error[0]
        return fetched[0], processed

    def process(self, arriving: Arrivals | None = None, committed: Callable[[], None] | None = None) -> int:
        """Evaluate pending letters in the worker pool and commit them; wake the outbox after commits.
        `arriving`: a fetch going on meanwhile, whose letters are processed as they come (`process_pending`)."""
        with self.process_lock:
            self.stages.rulebook.current()  # a broken rule edit is reported here; workers keep the last good
            if arriving is None and not pending_count(self.sessions):
                return 0
            pool = self._started_pool()
            done = len(process_pending(self.sessions, self.stages, pool=pool, arriving=arriving, committed=committed))
        if done:
            self._wake("outbox")  # replies leave now, not at the next poll (issue 16)
        return done

    def _started_pool(self, *, warm: bool = False, wait: bool = True) -> EvaluationPool:
        """The evaluation pool, started if it is not (call with `process_lock` held); `warm` starts its
        workers now, in a thread of their own with `wait=False`."""
        if self._pool is None:
            self._pool = EvaluationPool(self.settings, self.stages.rulebook)
            if warm:
                self._pool.warm(wait=wait)
        return self._pool

    def close_pool(self) -> None:
        with self.process_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def process_job(self) -> None:
        self._guarded("processing", self.process)

    def send_outbox(self) -> None:
        self._guarded("outbox", lambda: send_all_due(self.sessions, self.settings.outgoing, alert=self._relay_refused))

    def purge_refused(self) -> None:
        """Refused letters past `[gateway] refused_retention_days`: their files are destroyed (R6, R20)."""
        try:
            purge_refused(self.sessions, self.settings.storage_dir, self.settings.refused_retention_days)
        except Exception:
            log.exception("refused-letter retention: unexpected error")

    def refresh_revocation(self) -> None:
        """Keep the CRLs the verifiers read current (`gateway.revocation`); nothing propagates. The CRLs are
        fetched into the revocation cache with the trust store alone: the evaluation workers, which verify,
        read them again when the cache changes (`gateway.workers`), and this process never imports pyHanko."""
        signatures, verifier = self.stages.signatures, self.stages.built_verifier()
        try:
            if verifier is not None:  # this process verifies too (no pool): its verifier reads them now
                refresh_and_reload(verifier)
            else:
                refresh_revocation(signatures.refresh, load_trust(signatures))
        except Exception:
            log.exception("revocation refresh: unexpected error")

    def hand_off(self) -> None:
        """Hand accepted documents to the DMS, in order, each once (R18, R19)."""
        self._guarded("DMS hand-off", lambda: drain(self.sessions, self.dms))

    def poll_dms(self) -> None:
        """Read the DMS's status packages into the register; notify senders (R15)."""
        self._guarded("DMS statuses", lambda: poll_statuses(self.sessions, self.dms))

    def check_storage(self) -> None:
        """Alert the admins once when the storage volume's free space falls below `min_free_mb`."""
        threshold = self.settings.min_free_mb
        if threshold <= 0:
            return
        try:
            free_mb = shutil.disk_usage(self.settings.storage_dir).free // (1024 * 1024)
        except OSError as exc:
            log.warning("storage %s: cannot read free space: %s", self.settings.storage_dir, first_line(exc))
            return
        if free_mb >= threshold:
            if self._low_disk:
                log.warning("storage %s: %d MB free again", self.settings.storage_dir, free_mb)
            self._low_disk = False
            return
        if self._low_disk:
            return
        self._low_disk = True
        log.error(
            "storage %s: only %d MB free (threshold %d MB): admins alerted",
            self.settings.storage_dir,
            free_mb,
            threshold,
        )
        context = {
            "agency": self.settings.agency,
            "storage_dir": str(self.settings.storage_dir),
            "free_mb": free_mb,
            "threshold_mb": threshold,
            "now": datetime.now(UTC),
        }
        self._alert_admins("low_disk_space", context)

    def _alert_admins(self, kind: str, context: dict[str, Any], s: Session | None = None) -> None:
        admins = self.stages.alerts.admin
        if not admins:
            return
        msg = compose(self.stages.templates, self.settings.outgoing, KINDS[kind], context, to=admins)
        if s is not None:
            enqueue(s, letter_id=None, kind=kind, message=msg, recipients=list(admins))
            return
        with self.sessions.begin() as fresh:
            enqueue(fresh, letter_id=None, kind=kind, message=msg, recipients=list(admins))

    def _relay_refused(self, s: Session, error: str) -> None:
        """The outbox's hook: the relay refused a message for good (5xx); once per outage (outbox.py)."""
        out = self.settings.outgoing
        context = {
            "agency": self.settings.agency,
            "relay": f"{out.host}:{out.port}",
            "error": error,
            "now": datetime.now(UTC),
        }
        self._alert_admins("smtp_refused", context, s)

    def run_once(self) -> None:
        """Process everything pending and exit: mailboxes, spooled SMTP letters, the DMS, the outbox (until
        nothing is due)."""
        revive_failed(self.sessions, self.settings.outgoing)
        if self.settings.mailboxes or pending_count(self.sessions):
            with self.process_lock:
                # The workers start (import, build their stages) while the mailboxes are fetched (issue 16).
                self._started_pool(warm=True, wait=False)
        try:
            self._take_in_every_mailbox()
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

    def _take_in_every_mailbox(self) -> None:
        """`run --once`: a cycle for every mailbox, again and again for a mailbox another process is fetching
        (processing what it spools meanwhile) until this process has had its turn to fetch it — so every
        message there at the start is taken in, and every letter decided here is filed."""
        waiting = list(self.settings.mailboxes)
        while waiting and not self.stop_event.is_set():
            cycles = [(mb, self.cycle_mailbox(mb)) for mb in waiting]
            busy = [(mb, c) for mb, c in cycles if c is not None and c.fetched is None]
            waiting = [mb for mb, _ in busy]
            if busy and not any(c.processed for _, c in busy):
                self.stop_event.wait(BUSY_RETRY)  # nothing spooled yet by the fetching process

    def _rules_broken(self, message: str) -> None:
        """A rule edit is broken and the last good rules stay in use: tell the admins (R7–R12 need them)."""
        self._alert_admins("rules_error", {"agency": self.settings.agency, "problems": message})

    # --- the daemon -------------------------------------------------------------------------------
    def _idle_loop(self, mb: MailboxSettings) -> None:
        """Keep an IDLE connection; when the server reports activity — or answers again after an outage —
        run the mailbox cycle now."""
        delays = backoff_delays(cap=IMAP_RETRY_CAP)
        while not self.stop_event.is_set():
            box = ImapMailbox(mb)
            try:
                box.connect()
                delays = backoff_delays(cap=IMAP_RETRY_CAP)
                if self._mailbox_down.get(mb.name):
                    self._backoff[mb.name] = backoff_delays(cap=IMAP_RETRY_CAP)
                    self._wake(f"mailbox:{mb.name}")  # the server is back: do not wait for the cycle's backoff
                while not self.stop_event.is_set():
                    if box.wait_for_activity(min(mb.poll_seconds, mb.idle_renew_seconds), stop=self.stop_event):
                        self._wake(f"mailbox:{mb.name}")
            except MailboxError as exc:
                delay = next(delays)
                log.debug("IDLE: %s; reconnecting in %.1f s", exc, delay, extra={"mailbox": mb.name})
                self.stop_event.wait(delay)
            except Exception:
                log.exception("IDLE: unexpected error", extra={"mailbox": mb.name})
                self.stop_event.wait(next(delays))
            finally:
                box.close()

    def _wake(self, job_id: str, after: float = 0.0) -> None:
        """Run `job_id` now (or in `after` seconds) instead of at its next interval."""
        if self._scheduler is not None:
            try:
                self._scheduler.modify_job(job_id, next_run_time=datetime.now(UTC) + timedelta(seconds=after))
            except Exception:  # the job may be gone while shutting down
                log.debug("could not wake %s", job_id)

    def start(self) -> None:
        from gateway.intake.smtp import start_listener

        self._guarded("outbox", lambda: revive_failed(self.sessions, self.settings.outgoing))
        with self.process_lock:
            self._started_pool(warm=True)  # the first letter after start-up does not wait for the workers
        # Started after the warm-up, and a first run that is late still runs (APScheduler skips a run more than
        # misfire_grace_time late: a 60-s job missed at start would wait a whole interval).
        sched = BackgroundScheduler(
            timezone="Asia/Ho_Chi_Minh",
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
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
        sched.add_job(self.process_job, "interval", seconds=5, id="process", next_run_time=now)
        sched.add_job(self.check_storage, "interval", seconds=60, id="storage", next_run_time=now)
        sched.add_job(self.send_outbox, "interval", seconds=3, id="outbox", next_run_time=now)
        minutes = self.stages.signatures.refresh.refresh_minutes
        sched.add_job(self.refresh_revocation, "interval", minutes=minutes, id="revocation", next_run_time=now)
        if self.settings.refused_retention_days > 0:
            sched.add_job(self.purge_refused, "interval", hours=6, id="retention", next_run_time=now)
        if self.dms.backends:
            sched.add_job(self.hand_off, "interval", seconds=3, id="dms", next_run_time=now)
            poll = self.dms.settings.poll_seconds
            sched.add_job(self.poll_dms, "interval", seconds=poll, id="dms-statuses", next_run_time=now)
        self._scheduler = sched
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
        self._start_service()
        log.info(
            "gateway %s running: %d mailbox(es)", version(), len(self.settings.mailboxes), extra={"version": version()}
        )
        notify("READY=1")
        notify(f"STATUS=gateway {version()}: {len(self.settings.mailboxes)} mailbox(es)")

    # --- service: config check, reload, health, systemd ----------------------------------------------
    def check_configuration(self) -> list[str]:
        """`gateway config check` on the running configuration; each problem logged (start and reload)."""
        from gateway.config_check import check_all

        problems = [str(p) for p in check_all(self.settings.file)]
        for p in problems:
            log.warning("configuration problem: %s", p)
        return problems

    def reload(self) -> bool:
        """SIGHUP: read config.toml again and rebuild the stages (rules, templates, directory, trust store,
        calendar). A configuration with problems is not applied: the running one stays, and says why.
        Mailboxes, the database and the listener are read at start only (a restart applies them)."""
        from gateway.config import ConfigError, load_settings
        from gateway.config_check import check_all

        notify("RELOADING=1")
        try:
            try:
                settings = load_settings(self.settings.file)
                problems = [str(p) for p in check_all(self.settings.file)]
            except ConfigError as exc:
                problems = [str(exc)]
            if problems:
                for p in problems:
                    log.error("reload refused, the running configuration stays: %s", p)
                return False
            stages = build_stages(settings, on_rules_error=self._rules_broken)
            dms = build_dms(settings, stages.templates, stages.alerts.admin)
            with self.process_lock:
                self.settings, self.stages, self.dms = settings, stages, dms
                pool, self._pool = self._pool, None  # the next pass starts workers with the new rules and budget
            if pool is not None:
                pool.close()
            if settings.mailboxes != tuple(i.mailbox for i in self.intakes.values()):
                log.warning("mailbox settings changed: they take effect at the next restart")
            log.info("configuration reloaded from %s", settings.file or "the built-in defaults")
            return True
        finally:
            notify("READY=1")

    def _health_report(self) -> dict[str, Any]:
        allowed = {m.name: 3 * m.poll_seconds + 60 for m in self.settings.mailboxes}
        return health(self.sessions, {n: (self._last_ok.get(n), allowed[n]) for n in allowed})

    def _start_service(self) -> None:
        svc = self.settings.service
        if self._collector is None:
            self._collector = BacklogCollector(self.sessions)
            REGISTRY.register(self._collector)
        if svc.metrics_port:
            self._health, _ = serve(svc.metrics_host, svc.metrics_port, self._health_report)
            host, port = self._health.server_address[:2]
            log.info("health and metrics on http://%s:%d/healthz and /metrics", host, port)
        interval = watchdog_seconds()
        if interval:
            threading.Thread(target=self._watchdog, args=(interval / 2,), name="watchdog", daemon=True).start()

    def _watchdog(self, every: float) -> None:
        """WATCHDOG=1 while the scheduler runs: a hung daemon is restarted by systemd."""
        while not self.stop_event.wait(every):
            if self._scheduler is not None and self._scheduler.running:
                notify("WATCHDOG=1")

    def stop(self) -> None:
        notify("STOPPING=1")
        self.stop_event.set()
        if self._health is not None:
            self._health.shutdown()
            self._health.server_close()
            self._health = None
        if self._collector is not None:
            REGISTRY.unregister(self._collector)
            self._collector = None
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

        def _reload(_signum, _frame):
            self._reload_wanted.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGHUP, _reload)
        self.check_configuration()
        self.start()
        try:
            while not self.stop_event.wait(1.0):
                if self._reload_wanted.is_set():
                    self._reload_wanted.clear()
                    log.info("SIGHUP: reloading the configuration")
                    self.reload()
        finally:
            self.stop()
