"""Rule files → a `Profile`, or every problem found, each with file:line and rule id.

A profile file is TOML: a `[profile]` table (`title`, optional `extends` and `description`), a `[sources]`
table (basis abbreviation → the regulation's full citation) and an array of `[[rule]]` tables. A profile
that `extends` another inherits its sources and rules: a rule with an inherited id overrides that rule's
keys in place (`when` as a whole), `enabled = false` drops it, and new rules go just before the inherited
default rule unless `before`/`after` names another place. See rules/README.md.

Profile names are looked up next to the extending file (for `extends`), then in the admin's `[rules] dir`,
then among the rules shipped with the gateway (`SHIPPED_DIR`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gateway.models import Delivery
from gateway.resources import shipped
from gateway.rules.conditions import parse_condition
from gateway.rules.model import Profile, Rule, RuleError, RuleProblem, RulesSettings, suggestion
from gateway.rules.wording import parse_basis
from gateway.vntext import nfc

SHIPPED_DIR = shipped("rules")

PROFILE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
RULE_ID = re.compile(r"[a-z0-9][a-z0-9_.-]*")
SOURCE_ABBREVIATION = re.compile(r"[^\s;,]+")
TOP_KEYS = ("profile", "sources", "rule")
PROFILE_KEYS = ("title", "extends", "description")
RULE_KEYS = (
    "id",
    "basis",
    "description",
    "when",
    "action",
    "template",
    "register_note",
    "explanation",
    "before",
    "after",
    "enabled",
)
ACTIONS = tuple(d.value for d in Delivery)
MAX_DEPTH = 8


# -------------------------------------------------------------------------------------- where things are


_HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_. -]+?)\s*\]\]?\s*(#.*)?")


class _AllOf:
    """A line matcher: every pattern must be found."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        self.patterns = patterns

    def search(self, line: str) -> bool:
        return all(p.search(line) for p in self.patterns)


class _Lines:
    """Line numbers in a TOML file that tomllib does not give: rule tables, keys, tokens."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        headers: list[tuple[int, str, bool]] = []
        for n, line in enumerate(self.lines, 1):
            m = _HEADER.fullmatch(line)
            if m:
                headers.append((n, m.group(2).replace(" ", ""), m.group(1) == "[["))
        self.headers = headers
        self.rule_blocks: list[tuple[int, int]] = []
        for i, (n, name, is_array) in enumerate(headers):
            if name == "rule" and is_array:
                end = len(self.lines) + 1
                for line_no, other, other_array in headers[i + 1 :]:
                    if (other == "rule" and other_array) or not other.startswith("rule."):
                        end = line_no
                        break
                self.rule_blocks.append((n, end))

    def _find(self, start: int, end: int, pattern: re.Pattern[str] | _AllOf) -> int | None:
        for n in range(start, min(end, len(self.lines) + 1)):
            if pattern.search(self.lines[n - 1]):
                return n
        return None

    @staticmethod
    def _key_pattern(key: str) -> re.Pattern[str]:
        return re.compile(rf"^\s*(?:\[\s*rule\.)?{re.escape(key)}\s*[=.\]]")

    def rule_line(self, block: int) -> int | None:
        return self.rule_blocks[block][0] if block < len(self.rule_blocks) else None

    def rule_key_line(self, block: int, key: str) -> int | None:
        if block >= len(self.rule_blocks):
            return None
        start, end = self.rule_blocks[block]
        return self._find(start, end, self._key_pattern(key)) or start

    def rule_token_line(self, block: int, tokens: tuple[str, ...], key: str) -> int | None:
        """The line in a rule table that holds all `tokens` (else the first one; else `key`'s line).

        A token in double quotes is a literal value (`"metadata.subject"`); any other is a key (`equals`).
        """
        if block >= len(self.rule_blocks):
            return None
        start, end = self.rule_blocks[block]
        patterns = [
            re.compile(re.escape(t)) if t.startswith('"') else re.compile(rf"(?<!\w){re.escape(t)}\s*=") for t in tokens
        ]
        for wanted in (patterns, patterns[:1]):
            if wanted:
                found = self._find(start, end, _AllOf(wanted))
                if found:
                    return found
        return self.rule_key_line(block, key)

    def table_key_line(self, table: str | None, key: str | None) -> int | None:
        """The line of `key` in `[table]` (or of the table header), or of a dotted `table.key = …`."""
        start, end = 1, len(self.lines) + 1
        if table is not None:
            for i, (n, name, is_array) in enumerate(self.headers):
                if name == table and not is_array:
                    start = n
                    end = self.headers[i + 1][0] if i + 1 < len(self.headers) else end
                    break
            else:
                dotted = self._find(1, end, re.compile(rf"^\s*{re.escape(table)}\s*[.=]"))
                if dotted is None or key is None:
                    return dotted
                return self._find(dotted, end, re.compile(rf"^\s*{re.escape(table)}\.{re.escape(key)}\s*=")) or dotted
        elif self.headers:
            end = self.headers[0][0]
        if key is None:
            return start if table is not None else None
        return self._find(start, end, re.compile(rf"^\s*{re.escape(key)}\s*[=.]")) or (
            start if table is not None else None
        )


# ------------------------------------------------------------------------------------------- one file


@dataclass
class _Origin:
    """Where a rule's key was written: the file, its line index and which [[rule]] table."""

    file: Path
    lines: _Lines
    block: int

    def line(self, key: str | None = None) -> int | None:
        return self.lines.rule_line(self.block) if key is None else self.lines.rule_key_line(self.block, key)


@dataclass
class _RawRule:
    keys: dict[str, Any]
    origins: dict[str, _Origin]  # key → where it was written (after overrides: the overriding file)
    header: _Origin  # the most derived [[rule]] table that defined or overrode this rule
    label: str  # the id, or "#n" when it has none

    def line(self, key: str | None = None) -> int | None:
        origin = self.origins.get(key, self.header) if key else self.header
        return origin.line(key) if key in self.origins else origin.line()


@dataclass
class _Layer:
    path: Path
    lines: _Lines
    title: str | None
    description: str | None
    extends: str | None
    sources: dict[str, str]
    rules: list[_RawRule]
    rules_malformed: bool = False  # `rule` is not an array of tables: already reported


@dataclass
class _Build:
    settings: RulesSettings
    base_dir: Path | None
    problems: list[RuleProblem] = field(default_factory=list)
    watched: list[Path] = field(default_factory=list)

    def add(self, file: Path, line: int | None, rule: str | None, problem: str) -> None:
        self.problems.append(RuleProblem(file, line, rule, problem))


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def _read(path: Path, b: _Build) -> tuple[dict[str, Any], _Lines] | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        b.add(path, None, None, f"cannot read the file: {exc.strerror or exc}")
        return None
    except UnicodeDecodeError as exc:
        b.add(path, None, None, f"the file must be UTF-8 ({exc.reason} at byte {exc.start})")
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_POSITION.search(message)
        b.add(
            path,
            int(m.group(1)) if m else None,
            None,
            f"TOML syntax error: {_TOML_POSITION.sub('', message)}",
        )
        return None
    return data, _Lines(text)


def _parse_layer(path: Path, b: _Build) -> _Layer | None:
    read = _read(path, b)
    if read is None:
        return None
    data, lines = read
    for key in data:
        if key not in TOP_KEYS:
            b.add(
                path,
                lines.table_key_line(None, key) or lines.table_key_line(key, None),
                None,
                f"unknown top-level key {key!r}"
                + suggestion(key, TOP_KEYS, "expected: [profile], [sources], [[rule]]"),
            )
    prof = data.get("profile")
    title = description = extends = None
    if not isinstance(prof, dict):
        b.add(path, None, None, "the file needs a [profile] table with at least a title")
    else:
        for key in prof:
            if key not in PROFILE_KEYS:
                b.add(
                    path,
                    lines.table_key_line("profile", key),
                    None,
                    f"unknown key {key!r} in [profile]"
                    + suggestion(key, PROFILE_KEYS, "keys: title, extends, description"),
                )
        for key in PROFILE_KEYS:
            if key in prof and (not isinstance(prof[key], str) or not prof[key].strip()):
                b.add(
                    path,
                    lines.table_key_line("profile", key),
                    None,
                    f"[profile] {key} must be a non-empty string",
                )
        title = prof.get("title") if isinstance(prof.get("title"), str) else None
        if not title:
            b.add(path, lines.table_key_line("profile", None), None, "[profile] needs a title (Vietnamese)")
        description = prof.get("description") if isinstance(prof.get("description"), str) else None
        extends = prof.get("extends") if isinstance(prof.get("extends"), str) else None
    sources: dict[str, str] = {}
    src = data.get("sources", {})
    if not isinstance(src, dict):
        b.add(
            path,
            lines.table_key_line("sources", None),
            None,
            '[sources] must be a table: abbreviation = "citation"',
        )
    else:
        for key, value in src.items():
            if not SOURCE_ABBREVIATION.fullmatch(key) or not isinstance(value, str) or not value.strip():
                b.add(
                    path,
                    lines.table_key_line("sources", key),
                    None,
                    f"[sources] {key}: must be a one-word abbreviation = the regulation's citation (text)",
                )
            else:
                sources[key] = nfc(value)
    raw_rules = data.get("rule", [])
    rules: list[_RawRule] = []
    if not isinstance(raw_rules, list):
        line = lines.table_key_line(None, "rule") or lines.table_key_line("rule", None)
        b.add(path, line, None, "rules must be [[rule]] tables (an array), not a single [rule] table or value")
        raw_rules = []
    for i, table in enumerate(raw_rules):
        origin = _Origin(path, lines, i)
        if not isinstance(table, dict):
            b.add(path, origin.line(), f"#{i + 1}", "a rule must be a [[rule]] table")
            continue
        rid = table.get("id")
        label = rid if isinstance(rid, str) and rid else f"#{i + 1}"
        rules.append(_RawRule(dict(table), {k: origin for k in table}, origin, label))
    malformed = not isinstance(data.get("rule", []), list)
    return _Layer(path, lines, title, description, extends, sources, rules, malformed)


# ------------------------------------------------------------------------------------------ resolution


def looks_like_path(name: str) -> bool:
    return name.endswith(".toml") or "/" in name or "\\" in name or name.startswith("~")


def resolve_profile(
    name_or_path: str, settings: RulesSettings, *, near: Path | None = None, base_dir: Path | None = None
) -> tuple[Path | None, tuple[Path, ...]]:
    """The file a profile name or path means (None if none), and every path looked at, in order."""
    if looks_like_path(name_or_path):
        p = Path(name_or_path).expanduser()
        if not p.is_absolute():
            p = (near or base_dir or Path.cwd()) / p
        return (p if p.is_file() else None), (p,)
    dirs: list[Path] = []
    for d in (near, settings.dir, SHIPPED_DIR):
        if d is not None and all(d.resolve() != x.resolve() for x in dirs):
            dirs.append(d)
    looked: list[Path] = []
    for d in dirs:
        candidate = d / f"{name_or_path}.toml"
        looked.append(candidate)
        if candidate.is_file():
            return candidate, tuple(looked)
    return None, tuple(looked)


def _chain(name_or_path: str, b: _Build) -> tuple[list[_Layer], bool]:
    """The profile's file and the files it extends, most derived first, and whether that chain is whole
    (every file read, every `extends` found, no cycle); problems recorded in `b`."""
    if not looks_like_path(name_or_path) and not PROFILE_NAME.fullmatch(name_or_path):
        b.add(
            Path(name_or_path),
            None,
            None,
            "a profile is a name like 'khanh-hoa' (lower-case letters, digits, - and _) or a path to a .toml file",
        )
        return [], False
    path, looked = resolve_profile(name_or_path, b.settings, base_dir=b.base_dir)
    b.watched.extend(looked)
    if path is None:
        b.add(
            looked[-1] if looks_like_path(name_or_path) else Path(f"{name_or_path}.toml"),
            None,
            None,
            "no such profile; looked for " + ", ".join(str(p) for p in looked),
        )
        return [], False
    layers: list[_Layer] = []
    seen: list[Path] = []
    while path is not None:
        if path.resolve() in seen:
            cycle = " → ".join(p.name for p in [*seen, path.resolve()])
            b.add(
                layers[-1].path,
                layers[-1].lines.table_key_line("profile", "extends"),
                None,
                f"extends makes a cycle: {cycle}",
            )
            return layers, False
        if len(seen) >= MAX_DEPTH:
            b.add(path, None, None, f"extends goes more than {MAX_DEPTH} files deep")
            return layers, False
        seen.append(path.resolve())
        b.watched.append(path)
        layer = _parse_layer(path, b)
        if layer is None:
            return layers, False
        layers.append(layer)
        if layer.extends is None:
            break
        parent, looked = resolve_profile(layer.extends, b.settings, near=path.parent, base_dir=b.base_dir)
        b.watched.extend(looked)
        if parent is None:
            b.add(
                path,
                layer.lines.table_key_line("profile", "extends"),
                None,
                f"extends {layer.extends!r}: no such profile; looked for " + ", ".join(str(p) for p in looked),
            )
            return layers, False
        path = parent
    return layers, True


# ----------------------------------------------------------------------------------------------- merging


def _position_target(raw: _RawRule, b: _Build) -> tuple[str, str] | None:
    where = [k for k in ("before", "after") if k in raw.keys]
    if len(where) == 2:
        b.add(raw.header.file, raw.line("after"), raw.label, "give either 'before' or 'after', not both")
        return None
    if not where:
        return None
    target = raw.keys[where[0]]
    if not isinstance(target, str):
        b.add(
            raw.header.file,
            raw.line(where[0]),
            raw.label,
            f"{where[0]!r} must be the id of a rule (a string)",
        )
        return None
    return where[0], target


def _merge(layers: list[_Layer], b: _Build) -> list[_RawRule]:
    """Apply each layer, base first, onto the rules inherited so far."""
    merged: list[_RawRule] = []
    for depth, layer in enumerate(reversed(layers)):
        inherited = depth > 0
        default = merged[-1] if merged and "when" not in merged[-1].keys else None
        seen_here: set[str] = set()
        for raw in layer.rules:
            rid = raw.keys.get("id")
            if isinstance(rid, str):
                if rid in seen_here:
                    b.add(layer.path, raw.line("id"), rid, "duplicate rule id in this file")
                    continue
                seen_here.add(rid)
            place = _position_target(raw, b)
            if place and not inherited:
                b.add(
                    layer.path,
                    raw.line(place[0]),
                    raw.label,
                    f"{place[0]!r} only applies in a profile that extends another",
                )
                place = None
            index = next((i for i, r in enumerate(merged) if r.keys.get("id") == rid), None) if rid else None
            enabled = raw.keys.get("enabled", True)
            if index is not None and inherited:
                if enabled is False:
                    del merged[index]
                    continue
                old = merged.pop(index)
                keys = {**{k: v for k, v in old.keys.items() if k not in ("before", "after")}, **raw.keys}
                origins = {**old.origins, **raw.origins}
                rule = _RawRule(keys, origins, raw.header, raw.label)
                merged.insert(index, rule)
                if default is old:
                    default = rule
                if place is None:
                    continue
                merged.pop(index)
            else:
                rule = raw
                if enabled is False:
                    if inherited:
                        b.add(
                            layer.path,
                            raw.line("enabled"),
                            raw.label,
                            "enabled = false, but no inherited rule has this id",
                        )
                    continue
            if place is not None:
                kind, target = place
                at = next((i for i, r in enumerate(merged) if r.keys.get("id") == target), None)
                if at is None:
                    b.add(layer.path, raw.line(kind), raw.label, f"{kind} {target!r}: no such rule")
                    at = len(merged) - (1 if default is not None and default in merged else 0)
                elif kind == "after":
                    at += 1
                merged.insert(at, rule)
            elif default is not None and default in merged and rule is not default:
                merged.insert(merged.index(default), rule)
            else:
                merged.append(rule)
    return merged


# --------------------------------------------------------------------------------------------- checking


def _build_rule(raw: _RawRule, sources: dict[str, str], b: _Build) -> Rule | None:
    bad = False
    file = raw.header.file

    def problem(key: str | None, text: str, line: int | None = None) -> None:
        nonlocal bad
        bad = True
        origin = raw.origins.get(key, raw.header) if key else raw.header
        b.add(origin.file, line or raw.line(key), raw.label, text)

    for key in raw.keys:
        if key not in RULE_KEYS:
            problem(key, f"unknown key {key!r}" + suggestion(key, RULE_KEYS, f"rule keys: {', '.join(RULE_KEYS)}"))
    for key in ("id", "basis", "description", "action"):
        if key not in raw.keys:
            problem(None, f"the rule has no {key!r}")
    for key in ("id", "basis", "description", "action", "template", "register_note", "explanation"):
        value = raw.keys.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problem(key, f"{key!r} must be a non-empty string")
    if "enabled" in raw.keys and not isinstance(raw.keys["enabled"], bool):
        problem("enabled", "'enabled' must be true or false")
    rid, basis, action = raw.keys.get("id"), raw.keys.get("basis"), raw.keys.get("action")
    if isinstance(rid, str) and rid and not RULE_ID.fullmatch(rid):
        problem("id", f"bad rule id {rid!r}: use lower-case letters, digits, '.', '-' and '_'")
    if isinstance(action, str) and action and action not in ACTIONS:
        problem(
            "action",
            f"unknown action {action!r} (actions: {', '.join(ACTIONS)})",
        )
    if isinstance(basis, str) and basis.strip():
        refs = parse_basis(basis)
        if isinstance(refs, str):
            problem("basis", refs)
        else:
            for ref in refs:
                if ref.source not in sources:
                    known = ", ".join(sorted(sources)) or "none"
                    problem(
                        "basis",
                        f"basis {basis!r} cites {ref.source!r}, which [sources] does not define (defined: {known})",
                    )
    when = None
    if "when" in raw.keys:
        when, issues = parse_condition(raw.keys["when"])
        origin = raw.origins["when"]
        for issue in issues:
            problem("when", issue.problem, origin.lines.rule_token_line(origin.block, issue.tokens, "when"))
    if bad or not (isinstance(rid, str) and isinstance(basis, str) and isinstance(action, str)):
        return None
    return Rule(
        id=rid,
        basis=nfc(basis),
        description=nfc(raw.keys["description"]),
        action=Delivery(action),
        when=when,
        file=file,
        line=raw.line() or 0,
        template=raw.keys.get("template"),
        register_note=nfc(raw.keys["register_note"]) if raw.keys.get("register_note") else None,
        explanation=nfc(raw.keys["explanation"]) if raw.keys.get("explanation") else None,
    )


def _check_order(rules: list[Rule], raws: list[_RawRule], b: _Build, top: _Layer) -> None:
    catch_all: Rule | None = None
    for rule in rules:
        if catch_all is not None:
            b.add(
                rule.file,
                rule.line,
                rule.id,
                f"can never match: the catch-all rule {catch_all.id!r} "
                f"({catch_all.file.name}:{catch_all.line}) comes first and takes every document",
            )
            continue
        if rule.when is None:
            catch_all = rule
            continue
        twin = next((r for r in rules[: rules.index(rule)] if r.when == rule.when), None)
        if twin is not None:
            b.add(
                rule.file,
                rule.line,
                rule.id,
                f"can never match: rule {twin.id!r} ({twin.file.name}:{twin.line}) has the same conditions "
                "and comes first",
            )
    if not raws and not top.rules_malformed:
        b.add(
            top.path,
            None,
            None,
            "the profile has no rules; it needs at least a default rule (one without 'when')",
        )
    elif raws and "when" in raws[-1].keys:
        last = raws[-1]
        b.add(
            last.header.file,
            last.line(),
            last.label,
            "the profile must end with a default rule (one without 'when'); this last rule has conditions",
        )


def _sorted(problems: list[RuleProblem]) -> list[RuleProblem]:
    """File by file, in line order (stable for problems on one line)."""
    return sorted(problems, key=lambda p: (str(p.file), p.line or 0))


def build_profile(
    name_or_path: str, settings: RulesSettings, *, base_dir: Path | None = None
) -> tuple[Profile | None, list[RuleProblem], tuple[Path, ...]]:
    """The profile, or None; every problem found; every path whose change would change the result."""
    b = _Build(settings, base_dir)
    layers, whole = _chain(name_or_path, b)
    if not whole:  # an unreadable file or a broken `extends`: the rules cannot be judged yet
        return None, _sorted(b.problems), tuple(dict.fromkeys(b.watched))
    sources: dict[str, str] = {}
    for layer in reversed(layers):
        sources.update(layer.sources)
    raws = _merge(layers, b)
    rules = [r for r in (_build_rule(raw, sources, b) for raw in raws) if r is not None]
    _check_order(rules, raws, b, layers[0])
    watched = tuple(dict.fromkeys(b.watched))
    if b.problems:
        return None, _sorted(b.problems), watched
    top = layers[0]
    profile = Profile(
        name=top.path.stem,
        title=nfc(top.title or top.path.stem),
        file=top.path,
        rules=tuple(rules),
        sources=tuple(sorted(sources.items())),
        chain=tuple(layer.path for layer in layers),
        watched=watched,
    )
    return profile, [], watched


def load_profile(name_or_path: str, settings: RulesSettings, *, base_dir: Path | None = None) -> Profile:
    """The named profile (or the profile file at a path); `RuleError` listing every problem otherwise.

    A relative path is taken relative to `base_dir` (default: the current directory).
    """
    profile, problems, _ = build_profile(name_or_path, settings, base_dir=base_dir)
    if profile is None:
        raise RuleError(problems)
    return profile
