"""The corpus of malformed rule files (tests/rules/bad/*.toml): each must give exactly the problems its
`# expect:` lines list — file:line, rule id and what is wrong — and never an exception."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.rules import SHIPPED_DIR, RuleError, RuleProblem, RulesSettings, check_profile, load_profile

BAD = Path(__file__).parent / "bad"
FILES = sorted(BAD.glob("*.toml"))


def _expected(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8", errors="replace")  # one file is deliberately not UTF-8
    return [line.removeprefix("# expect: ") for line in text.splitlines() if line.startswith("# expect: ")]


def _shown(problem: RuleProblem) -> str:
    text = str(replace(problem, file=Path(problem.file.name)))
    return text.replace(str(BAD.resolve()), "<bad>").replace(str(SHIPPED_DIR), "<shipped>")


def test_the_corpus_covers_every_kind_of_mistake() -> None:
    assert len(FILES) >= 25


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_malformed_rule_file(path: Path) -> None:
    settings = RulesSettings(dir=BAD.resolve())
    expected = _expected(path)
    assert expected, f"{path.name} has no '# expect:' lines"
    problems = check_profile(str(path.resolve()), settings)
    assert [_shown(p) for p in problems] == expected
    with pytest.raises(RuleError) as caught:
        load_profile(str(path.resolve()), settings)
    assert caught.value.problems == tuple(problems)
    assert str(caught.value).splitlines() == [str(p) for p in problems]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mangled_shipped_file_gives_problems_never_an_exception(tmp_path: Path, data: st.DataObject) -> None:
    """Hostile edits: lines of khanh-hoa.toml deleted, duplicated or swapped, in any number."""
    lines = (SHIPPED_DIR / "khanh-hoa.toml").read_text(encoding="utf-8").splitlines()
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(0, len(lines) - 1))
        edit = data.draw(st.sampled_from(["delete", "duplicate", "swap"]))
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
    path = tmp_path / "mangled.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = check_profile(str(path), RulesSettings(dir=tmp_path))
    for p in problems:
        assert p.problem and (p.line is None or 1 <= p.line <= len(lines) + 1 or p.file.name != "mangled.toml")
