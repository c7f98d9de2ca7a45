"""The shipped profiles against their decision tables (tests/rules/cases_<profile>.toml): R4–R12."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.models import Delivery
from gateway.rules import RulesSettings, decide, explain, load_profile
from gateway.vntext import nfc
from tests.rules.casebook import Case, load_cases

HERE = Path(__file__).parent
TABLES = sorted(HERE.glob("cases_*.toml"))
PROFILES = {path.stem.removeprefix("cases_"): load_cases(path) for path in TABLES}


def _params() -> list:
    params = []
    for stem, (profile, cases) in PROFILES.items():
        for n, case in enumerate(cases, 1):
            params.append(pytest.param(profile, case, id=f"{stem}-{n:02d}"))
    return params


@pytest.fixture(scope="module")
def profiles() -> dict:
    return {name: load_profile(name, RulesSettings()) for name, _ in PROFILES.values()}


def test_every_shipped_profile_has_a_table_of_at_least_30_cases() -> None:
    assert {profile for profile, _ in PROFILES.values()} == {"national", "khanh-hoa", "bac-giang"}
    for stem, (profile, cases) in PROFILES.items():
        assert stem == profile
        assert len(cases) >= 30, f"{profile}: only {len(cases)} cases"


@pytest.mark.parametrize(("profile_name", "case"), _params())
def test_decision_table(profiles: dict, profile_name: str, case: Case) -> None:
    profile = profiles[profile_name]
    decision = decide(profile, case.facts)
    assert (decision.delivery.value, decision.rule) == (case.expect, case.rule), case.name
    # One evaluation path: explain stops at the same rule, and every rule before it failed.
    e = explain(profile, case.facts)
    assert e.decision == decision
    assert e.considered[-1].rule == case.rule and e.considered[-1].matched
    assert not any(r.matched for r in e.considered[:-1])
    assert [r.rule for r in e.considered] + list(e.not_reached) == [r.id for r in profile.rules]
    # What the sender reads: Vietnamese, NFC, with the article spelled out.
    assert decision.explanation == nfc(decision.explanation)
    assert "Điều" in decision.explanation and "Căn cứ" in decision.explanation
    if decision.delivery is Delivery.PAPER_ALSO:
        assert "bản chính bằng giấy (có chữ ký, đóng dấu)" in decision.explanation
        assert "bưu chính" in decision.explanation
