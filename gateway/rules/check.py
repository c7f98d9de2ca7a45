"""Validation of rule files for admins (`gateway rules check`): every problem, not just the first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gateway.rules.load import SHIPPED_DIR, build_profile, resolve_profile
from gateway.rules.model import Profile, RuleProblem, RulesSettings


@dataclass(frozen=True)
class CheckResult:
    target: str  # the profile name or path as given
    profile: Profile | None
    problems: tuple[RuleProblem, ...]


def check_profile(name_or_path: str, settings: RulesSettings, *, base_dir: Path | None = None) -> list[RuleProblem]:
    """Every problem in the profile and the files it extends; empty when it loads."""
    return build_profile(name_or_path, settings, base_dir=base_dir)[1]


def shipped_profiles() -> tuple[str, ...]:
    """Names of the profiles shipped in the repository's rules/ folder."""
    return tuple(sorted(p.stem for p in SHIPPED_DIR.glob("*.toml")))


def default_targets(settings: RulesSettings) -> tuple[str, ...]:
    """What `gateway rules check` checks with no arguments: the configured profile and the shipped ones."""
    shipped = [SHIPPED_DIR / f"{n}.toml" for n in shipped_profiles()]
    configured, _ = resolve_profile(settings.profile, settings)
    if configured is not None and any(configured.resolve() == p.resolve() for p in shipped):
        return tuple(str(p) for p in shipped)
    return (settings.profile, *(str(p) for p in shipped))


def check_targets(
    targets: tuple[str, ...] | list[str], settings: RulesSettings, *, base_dir: Path | None = None
) -> list[CheckResult]:
    results = []
    for target in targets:
        profile, problems, _ = build_profile(target, settings, base_dir=base_dir)
        results.append(CheckResult(target, profile, tuple(problems)))
    return results
