"""Hot reload: the daemon asks `RuleBook.current()` for every document and gets the newest good rules.

The rule files (the profile, the files it extends, and any file that would shadow one of them if it
appeared) are stat'ed on each call; when one changed, the profile is read again. A broken edit keeps the
last good rules in use, is logged with every problem, and is reported once to `on_error` (the lead mails
it to the admin) — not again on every call, only when the files change again.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from gateway.models import Decision
from gateway.rules.evaluate import Explanation, decide, explain
from gateway.rules.facts import RuleFacts
from gateway.rules.load import build_profile
from gateway.rules.model import Profile, RuleError, RuleProblem, RulesSettings
from gateway.rules.settings import complete_facts

log = logging.getLogger(__name__)

Stamp = tuple[tuple[str, int | None, int | None, int | None], ...]


def _stamp(paths: tuple[Path, ...]) -> Stamp:
    stamps: list[tuple[str, int | None, int | None, int | None]] = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            stamps.append((str(p), None, None, None))
        else:
            stamps.append((str(p), st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(stamps)


class RuleBook:
    """The current rules of one profile, re-read when its files change.

    The first load must succeed (`RuleError` otherwise: the daemon cannot start without rules). Later
    broken edits keep the last good profile. Safe to call from several threads.
    """

    def __init__(
        self,
        settings: RulesSettings,
        base_dir: Path,
        *,
        profile: str | None = None,
        on_error: Callable[[str], None] | None = None,
    ):
        self._settings = settings
        self._base_dir = base_dir
        self._name = profile or settings.profile
        self._on_error = on_error if settings.notify_admin else None
        self._lock = threading.Lock()
        self._failed: Stamp | None = None
        loaded, problems, watched = self._build()
        if loaded is None:
            raise RuleError(problems)
        self._profile = loaded
        self._stamps = _stamp(watched)
        self.reloads = 0  # successful re-reads since start, for status pages and tests

    def __getstate__(self) -> dict:
        """For an evaluation worker (`gateway.workers`): the loaded rules travel, the admin notice stays here."""
        state = dict(self.__dict__)
        del state["_lock"]
        state["_on_error"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def _build(self) -> tuple[Profile | None, list[RuleProblem], tuple[Path, ...]]:
        return build_profile(self._name, self._settings, base_dir=self._base_dir)

    @property
    def name(self) -> str:
        return self._name

    def current(self) -> Profile:
        """The rules to use now: re-read if a rule file changed, else the ones already loaded."""
        with self._lock:
            now = _stamp(self._profile.watched)
            if now == self._stamps or now == self._failed:
                return self._profile
            profile, problems, watched = self._build()
            if profile is None:
                self._failed = now
                self._report(problems)
                return self._profile
            # Stamps taken before reading: an edit made while we read triggers another reload.
            stamps = now if tuple(watched) == tuple(self._profile.watched) else _stamp(watched)
            self._profile, self._stamps, self._failed = profile, stamps, None
            self.reloads += 1
            log.info("rules profile %s reloaded from %s (%d rules)", profile.name, profile.file, len(profile.rules))
            return profile

    def decide(self, facts: RuleFacts) -> Decision:
        """The decision of the current rules for one document (see `gateway.rules.decide`)."""
        return decide(self.current(), complete_facts(facts, self._settings))

    def explain(self, facts: RuleFacts) -> Explanation:
        """Every rule considered for one document under the current rules (see `gateway.rules.explain`)."""
        return explain(self.current(), complete_facts(facts, self._settings))

    def _report(self, problems: list[RuleProblem]) -> None:
        details = "\n".join(f"  {p}" for p in problems)
        log.error(
            "rules profile %s: the edited rule files have %d problem(s); the last good rules stay in use:\n%s",
            self._name,
            len(problems),
            details,
        )
        if self._on_error is None:
            return
        message = (
            f"Tệp quy tắc của hồ sơ «{self._name}» vừa sửa có lỗi; "
            "hệ thống vẫn dùng bộ quy tắc hợp lệ trước đó.\n"
            f"The edited rule files of profile {self._name} have errors; the last good rules stay in use:\n"
            f"{details}\n"
            "Fix them and check with: gateway rules check"
        )
        try:
            self._on_error(message)
        except Exception:
            log.exception("rules: the on_error callback failed")
