"""Overlapping a mailbox cycle's phases (issue 16): letters are evaluated and committed while the fetch goes
on, and mailbox copies are filed while the processing goes on.

The fetch (IMAP, I/O) runs in a thread of its own and tells the processing, through `Arrivals`, each time
it has admitted a batch of letters and when it is over; the processing (`gateway.processor.process_pending`)
picks the new letters up as they come instead of waiting for the whole mailbox. `Repeater` runs the I/O
that follows the commits — filing decided letters' copies — in another thread, whenever a commit pokes
it, while the next letters are processed. The replies leave when the pass ends (the outbox is woken then):
sending them during the pass cost the parent more CPU than the overlap won (measured with
bench/bench_mailbox.py). Every guarantee stays with the step
that gives it: a letter is admitted before it is processed, committed before its reply is queued, and
filed only once its decision is committed (the filing reads only decided letters).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("gateway.streaming")


class Arrivals:
    """Letters admitted by a fetch still going on: `admitted` after each batch, `close` when it is over."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._new = False
        self._open = True

    def admitted(self, count: int = 1) -> None:
        if count:
            with self._cond:
                self._new = True
                self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._open = False
            self._cond.notify_all()

    def take(self) -> bool:
        """True when letters were admitted since the last `take`."""
        with self._cond:
            new, self._new = self._new, False
            return new

    def finished(self) -> bool:
        """The fetch is over and every letter it admitted has been taken."""
        with self._cond:
            return not self._open and not self._new

    def wait(self, timeout: float) -> None:
        """Until letters are admitted, the fetch ends, or `timeout` seconds."""
        with self._cond:
            self._cond.wait_for(lambda: self._new or not self._open, timeout)


class Repeater:
    """Runs `work` in a thread of its own each time it is poked (and every `every` seconds) until stopped,
    but at most once every `gap` seconds: pokes meanwhile make one run after it, so a commit every few
    milliseconds costs one run, not one each. Its errors are logged, never raised: the caller runs
    `work` once more itself after `stop`."""

    def __init__(self, name: str, work: Callable[[], object], *, every: float = 1.0, gap: float = 0.0):
        self._work = work
        self._every = every
        self._gap = gap
        self._poked = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._poked.set()

    def stop(self) -> None:
        """Stop after the run under way, if any; returns when the thread has ended."""
        self._stopped.set()
        self._poked.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self._poked.wait(self._every)
            if self._stopped.is_set():
                return
            self._poked.clear()
            try:
                self._work()
            except Exception:
                log.exception("%s: unexpected error", self._thread.name)
            self._stopped.wait(self._gap)
