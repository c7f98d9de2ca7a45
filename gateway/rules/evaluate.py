"""Rules × facts → a decision, with the full account of how it was reached (R7–R12).

`explain` walks the profile's rules in order and stops at the first that matches; every rule it
considered is reported with each condition's result and the value it saw. `decide` is `explain(...)
.decision`: one evaluation path, so what `gateway rules explain` shows is what the daemon does.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.models import Decision, Delivery
from gateway.rules.conditions import ConditionResult, FactReader, evaluate
from gateway.rules.facts import RuleFacts
from gateway.rules.model import Profile, Rule
from gateway.rules.wording import explanation_text


@dataclass(frozen=True)
class RuleResult:
    """One rule as considered for one document."""

    rule: str
    basis: str
    description: str
    action: Delivery
    matched: bool
    condition: ConditionResult | None  # None: a catch-all, which always matches
    file: str
    line: int


@dataclass(frozen=True)
class Explanation:
    profile: str
    considered: tuple[RuleResult, ...]  # in order; the last one matched
    not_reached: tuple[str, ...]  # ids of the rules after the match
    decision: Decision


def decision_for(rule: Rule, profile: Profile) -> Decision:
    """The `Decision` a matching rule makes, with its Vietnamese explanation."""
    text = rule.explanation or explanation_text(rule.action, rule.description, rule.basis, profile.source_map)
    return Decision(
        delivery=rule.action,
        rule=rule.id,
        basis=rule.basis,
        explanation=text,
        template=rule.template,
        register_note=rule.register_note,
    )


def explain(profile: Profile, facts: RuleFacts) -> Explanation:
    """Every rule considered, in order, until the first match (a profile always ends with a catch-all)."""
    reader = FactReader(facts)
    considered: list[RuleResult] = []
    for index, rule in enumerate(profile.rules):
        result = evaluate(rule.when, reader) if rule.when is not None else None
        matched = result is None or result.held
        considered.append(
            RuleResult(
                rule=rule.id,
                basis=rule.basis,
                description=rule.description,
                action=rule.action,
                matched=matched,
                condition=result,
                file=str(rule.file),
                line=rule.line,
            )
        )
        if matched:
            rest = tuple(r.id for r in profile.rules[index + 1 :])
            return Explanation(profile.name, tuple(considered), rest, decision_for(rule, profile))
    raise AssertionError("unreachable: Profile guarantees a final catch-all rule")


def decide(profile: Profile, facts: RuleFacts) -> Decision:
    """How this document must travel, and why (pure)."""
    return explain(profile, facts).decision
