"""`gateway rules …` commands: check rule files, explain a decision, show a profile, list the fields."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from gateway.cli.common import ConfigOption, JsonOption, load
from gateway.config import ConfigError, Settings
from gateway.models import to_jsonable
from gateway.replies import make_environment, template_problems
from gateway.rules import (
    FIELDS,
    AllOf,
    AnyOf,
    Condition,
    ConditionResult,
    Explanation,
    Not,
    Profile,
    RuleError,
    RulesSettings,
    check_targets,
    complete_facts,
    default_targets,
    explain,
    load_profile,
    rules_settings,
)
from gateway.rules.conditions import describe

app = typer.Typer(help="Delivery rules: check rule files, explain decisions.", no_args_is_help=True)

ProfileOption = Annotated[
    str | None,
    typer.Option("--profile", "-p", help="Profile name or .toml path (default: [rules] profile in config)."),
]


def _rules_settings(settings: Settings) -> RulesSettings:
    try:
        return rules_settings(settings.section("rules"))
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _shown(path: Path | str) -> str:
    """A path as the admin typed it: relative to the current folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def _problem_line(problem: Any) -> str:
    where = f"{_shown(problem.file)}:{problem.line}" if problem.line else _shown(problem.file)
    who = f" rule {problem.rule}:" if problem.rule else ""
    return f"{where}:{who} {problem.problem}"


@app.command("check")
def check_command(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            help="Rule files or profile names (default: the configured profile and the shipped ones).",
            show_default=False,
        ),
    ] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Validate rule files: every problem with file:line, rule id and what is wrong; exit 1 on errors."""
    settings = load(config)
    rs = _rules_settings(settings)
    env = make_environment(settings.templates_dir)
    results = [
        r if r.profile is None else replace(r, problems=(*r.problems, *template_problems(r.profile, env)))
        for r in check_targets(targets or default_targets(rs), rs, base_dir=Path.cwd())
    ]
    failed = any(r.problems for r in results)
    if as_json:
        out = [
            {
                "target": r.target,
                "ok": not r.problems,
                "file": str(r.profile.file) if r.profile else None,
                "rules": len(r.profile.rules) if r.profile else None,
                "problems": [
                    {"file": str(p.file), "line": p.line, "rule": p.rule, "problem": p.problem} for p in r.problems
                ],
            }
            for r in results
        ]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r.profile is not None and not r.problems:
                chain = " → ".join(_shown(p) for p in r.profile.chain)
                typer.echo(f"OK     {r.profile.name}: {len(r.profile.rules)} rules ({chain})")
            else:
                typer.echo(f"ERROR  {r.target}: {len(r.problems)} problem(s)")
                for p in r.problems:
                    typer.echo(f"  {_problem_line(p)}")
    if failed:
        raise typer.Exit(1)


def _load_profile(name: str, rs: RulesSettings) -> Profile:
    try:
        return load_profile(name, rs, base_dir=Path.cwd())
    except RuleError as exc:
        typer.echo(f"the rules profile {name!r} has errors:", err=True)
        for p in exc.problems:
            typer.echo(f"  {_problem_line(p)}", err=True)
        raise typer.Exit(1) from exc


def _seen(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 100 else text[:97] + "…"


def _condition_lines(result: ConditionResult, depth: int) -> list[str]:
    mark = "held  " if result.held else "failed"
    pad = "    " * depth
    if result.parts:
        lines = [f"{pad}{mark}  {result.condition}:"]
        for part in result.parts:
            lines.extend(_condition_lines(part, depth + 1))
        return lines
    return [f"{pad}{mark}  {result.condition}   (seen: {_seen(result.seen)})"]


def explanation_lines(explanation: Explanation) -> list[str]:
    """`gateway rules explain` as text: each rule considered, its conditions, and the decision."""
    lines = []
    for n, r in enumerate(explanation.considered, 1):
        verdict = "MATCH" if r.matched else "no match"
        lines.append(f"  {n:>2}. {r.rule} [{r.basis}] → {r.action.value}: {verdict}   ({_shown(r.file)}:{r.line})")
        if r.condition is None:
            lines.append("          (default rule: no conditions)")
        else:
            lines.extend(_condition_lines(r.condition, 2))
    if explanation.not_reached:
        lines.append(f"      not reached: {', '.join(explanation.not_reached)}")
    d = explanation.decision
    lines.append(f"  Decision: {d.delivery.value} — rule {d.rule} ({d.basis})")
    lines.append(f"    {d.explanation}")
    if d.register_note:
        lines.append(f"    register note: {d.register_note}")
    if d.template:
        lines.append(f"    reply template: {d.template}")
    return lines


@app.command("explain")
def explain_command(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="A .pdf document or an .eml letter."),
    ],
    profile: ProfileOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show, for each document in FILE, every rule considered, which conditions held, and the decision."""
    settings = load(config)
    rs = _rules_settings(settings)
    prof = _load_profile(profile or rs.profile, rs)
    try:
        from gateway.pipeline import document_facts
    except ImportError as exc:
        typer.echo(f"cannot read documents: gateway.pipeline.document_facts is not available ({exc})", err=True)
        raise typer.Exit(2) from exc
    try:
        documents = document_facts(file, settings)
    except Exception as exc:  # a hostile or broken file must give a clear message, not a traceback
        typer.echo(f"cannot read {file}: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from exc
    results = [(name, explain(prof, complete_facts(facts, rs))) for name, facts in documents]
    if as_json:
        out = {
            "profile": prof.name,
            "profile_file": str(prof.file),
            "documents": [{"filename": name, **to_jsonable(e)} for name, e in results],
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    chain = " → ".join(_shown(p) for p in prof.chain)
    typer.echo(f"Profile {prof.name}: {prof.title}\n  ({chain})")
    if not results:
        typer.echo(f"\n{file}: no documents found")
    for name, e in results:
        typer.echo(f"\n{name}")
        for line in explanation_lines(e):
            typer.echo(line)


@app.command("show")
def show_command(profile: ProfileOption = None, config: ConfigOption = None) -> None:
    """List a profile's rules in the order they are tried, after `extends` is applied."""
    settings = load(config)
    rs = _rules_settings(settings)
    prof = _load_profile(profile or rs.profile, rs)
    typer.echo(f"Profile {prof.name}: {prof.title}")
    for n, rule in enumerate(prof.rules, 1):
        typer.echo(f"{n:>3}. {rule.id} [{rule.basis}] → {rule.action.value}   ({_shown(rule.file)}:{rule.line})")
        typer.echo(f"       {rule.description}")
        when = _condition_text(rule.when) if rule.when is not None else "(always: default rule)"
        typer.echo(f"       when: {when}")


def _condition_text(cond: Condition) -> str:
    if isinstance(cond, AllOf | AnyOf):
        joiner = " and " if isinstance(cond, AllOf) else " or "
        return "(" + joiner.join(_condition_text(c) for c in cond.items) + ")"
    if isinstance(cond, Not):
        return f"not {_condition_text(cond.item)}"
    return describe(cond)


@app.command("fields")
def fields_command(as_json: JsonOption = False) -> None:
    """List the field paths conditions can use, their kind, and the valid values of code fields."""
    if as_json:
        out = [{"field": f.path, "kind": f.kind, "values": f.codes, "doc": f.doc} for f in FIELDS.values()]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for f in FIELDS.values():
        values = f"  values: {', '.join(f.codes)}" if f.codes else ""
        typer.echo(f"{f.path:<34} {f.kind:<9} {f.doc}{values}")
