"""Admin-edited delivery rules: electronic only, also on paper, paper only, or refuse (R4–R12).

Rule files live in `rules/` (one profile per file, see rules/README.md). The pipeline builds `RuleFacts`
for each document and calls `decide(profile, facts)`; the daemon holds a `RuleBook` whose `current()`
re-reads edited rule files; `gateway rules check|explain` are the admin's tools.
"""

from gateway.rules.check import CheckResult, check_profile, check_targets, default_targets, shipped_profiles
from gateway.rules.conditions import ConditionResult
from gateway.rules.evaluate import Explanation, RuleResult, decide, decision_for, explain
from gateway.rules.facts import FIELDS, Field, RuleFacts
from gateway.rules.load import SHIPPED_DIR, build_profile, load_profile, resolve_profile
from gateway.rules.model import (
    COMBINATORS,
    OPERATORS,
    AllOf,
    AnyOf,
    Condition,
    Leaf,
    Not,
    Profile,
    Rule,
    RuleError,
    RuleProblem,
    RulesSettings,
)
from gateway.rules.reload import RuleBook
from gateway.rules.settings import complete_facts, rules_settings
from gateway.rules.wording import basis_text

__all__ = [
    "COMBINATORS",
    "FIELDS",
    "OPERATORS",
    "SHIPPED_DIR",
    "AllOf",
    "AnyOf",
    "CheckResult",
    "Condition",
    "ConditionResult",
    "Explanation",
    "Field",
    "Leaf",
    "Not",
    "Profile",
    "Rule",
    "RuleBook",
    "RuleError",
    "RuleFacts",
    "RuleProblem",
    "RuleResult",
    "RulesSettings",
    "basis_text",
    "build_profile",
    "check_profile",
    "check_targets",
    "complete_facts",
    "decide",
    "decision_for",
    "default_targets",
    "explain",
    "load_profile",
    "resolve_profile",
    "rules_settings",
    "shipped_profiles",
]
