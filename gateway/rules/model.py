"""The parsed form of rule files: conditions, rules, profiles, and the problems found reading them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.models import Delivery

# The operators a leaf condition may use, and the ones that combine conditions.
OPERATORS = ("equals", "in", "matches", "regex", "exists")
COMBINATORS = ("all", "any", "not")


@dataclass(frozen=True)
class Leaf:
    """A leaf condition: one operator applied to one field (`FIELDS`)."""

    field: str
    op: str  # one of OPERATORS
    value: Any  # bool for exists; a tuple for in/matches; str/bool/int otherwise
    ignore_diacritics: bool = False


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Leaf | AllOf | AnyOf | Not


@dataclass(frozen=True)
class Rule:
    """One delivery rule. `when=None` is a catch-all (the default rule)."""

    id: str
    basis: str  # short article reference(s), e.g. "KH Đ5.2" or "TTg Đ5.4, Đ9.1"
    description: str  # Vietnamese, for people
    action: Delivery
    when: Condition | None
    file: Path
    line: int
    template: str | None = None
    register_note: str | None = None
    explanation: str | None = None  # Vietnamese; when absent one is composed from the action and basis


@dataclass(frozen=True)
class Profile:
    """An ordered list of rules, first match wins, the last one a catch-all."""

    name: str
    title: str
    file: Path
    rules: tuple[Rule, ...]
    sources: tuple[tuple[str, str], ...]  # basis abbreviation → the regulation's full citation
    chain: tuple[Path, ...] = ()  # this file, then the files it extends
    watched: tuple[Path, ...] = ()  # files whose change (or appearance) means the profile must be re-read

    def __post_init__(self) -> None:
        if not self.rules or self.rules[-1].when is not None:
            raise ValueError(f"profile {self.name}: the last rule must be a catch-all (no 'when')")

    @property
    def source_map(self) -> dict[str, str]:
        return dict(self.sources)


@dataclass(frozen=True)
class RulesSettings:
    """The `[rules]` table of config.toml."""

    profile: str = "national"  # a profile name (looked up in `dir`, then the shipped rules) or a file path
    dir: Path = Path("rules")  # the admin's rule files
    notify_admin: bool = True  # tell the admin (by mail) when an edit is broken and the old rules stay
    agency_aliases: tuple[str, ...] = ()  # other names of our agency on Nơi nhận lists (R12)


@dataclass(frozen=True)
class RuleProblem:
    """One thing wrong in a rule file: where, which rule, what."""

    file: Path
    line: int | None
    rule: str | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        who = f" rule {self.rule}:" if self.rule else ""
        return f"{where}:{who} {self.problem}"


class RuleError(ValueError):
    """A profile could not be loaded; `problems` lists every reason found."""

    def __init__(self, problems: list[RuleProblem] | tuple[RuleProblem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid rules")


def suggestion(word: str, choices: tuple[str, ...] | list[str], listing: str | None = None) -> str:
    """ " (did you mean 'x'?)" for a near miss; else " (<listing>)" when given; else nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" ({listing})" if listing else ""
