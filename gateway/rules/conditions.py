"""Conditions: read from a rule file's TOML, checked against `FIELDS`, evaluated against `RuleFacts`.

A leaf is `{ field = "<path>", <operator> = <value> }`, with `ignore_diacritics = true` allowed for text
operators; `{ all = [...] }`, `{ any = [...] }` and `{ not = {...} }` combine them. No code, no other
operators: the set is fixed and documented in rules/README.md.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from gateway.models import to_jsonable
from gateway.rules.facts import BOOL, CODE, CODE_LIST, FIELDS, INT, LIST_KINDS, TEXT, TEXT_LIST, RuleFacts
from gateway.rules.model import COMBINATORS, OPERATORS, AllOf, AnyOf, Condition, Leaf, Not, suggestion
from gateway.vntext import contains_words, fold, nfc

LEAF_KEYS = ("field", "ignore_diacritics")
# Which operators each kind of field accepts.
_ALLOWED = {
    TEXT: ("equals", "in", "matches", "regex", "exists"),
    TEXT_LIST: ("equals", "in", "matches", "regex", "exists"),
    CODE: ("equals", "in", "exists"),
    CODE_LIST: ("equals", "in", "exists"),
    BOOL: ("equals", "exists"),
    INT: ("equals", "in", "exists"),
}
_TEXTUAL = (TEXT, TEXT_LIST)


@dataclass(frozen=True)
class Issue:
    """A problem in a condition, with tokens to find its line by: a key (`equals`) or a quoted value.

    The line holding all the tokens is the one meant; failing that, the line holding the first.
    """

    problem: str
    tokens: tuple[str, ...] = ()


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def parse_condition(data: Any) -> tuple[Condition | None, list[Issue]]:
    """A condition from its TOML form, or None and the issues that stop it."""
    issues: list[Issue] = []
    cond = _parse(data, issues)
    return (cond if not issues else None), issues


def _parse(data: Any, issues: list[Issue]) -> Condition | None:
    if not isinstance(data, dict):
        issues.append(
            Issue(
                "a condition must be a table such as "
                f'{{ field = "metadata.doc_type", equals = "giay_moi" }}, not {_show(to_jsonable(data))}'
            )
        )
        return None
    combinators = [k for k in data if k in COMBINATORS]
    if combinators:
        key = combinators[0]
        if len(data) != 1:
            others = ", ".join(sorted(k for k in data if k != key))
            issues.append(Issue(f"a condition with {key!r} cannot have other keys (found: {others})", (key,)))
            return None
        return _parse_combinator(key, data[key], issues)
    return _parse_leaf(data, issues)


def _parse_combinator(key: str, value: Any, issues: list[Issue]) -> Condition | None:
    if key == "not":
        if not isinstance(value, dict):
            issues.append(Issue("'not' takes one condition table, e.g. not = { field = …, exists = true }", (key,)))
            return None
        item = _parse(value, issues)
        return Not(item) if item is not None else None
    if not isinstance(value, list) or not value:
        issues.append(Issue(f"{key!r} takes a non-empty list of conditions", (key,)))
        return None
    items = [_parse(v, issues) for v in value]
    if any(i is None for i in items):
        return None
    parts = tuple(i for i in items if i is not None)
    return AllOf(parts) if key == "all" else AnyOf(parts)


def _parse_leaf(data: dict[str, Any], issues: list[Issue]) -> Condition | None:
    unknown = [k for k in data if k not in OPERATORS and k not in LEAF_KEYS]
    listing = f"operators: {', '.join(OPERATORS)}; combine with {', '.join(COMBINATORS)}"
    for k in unknown:
        problem = f"unknown operator {k!r}" + suggestion(k, OPERATORS + LEAF_KEYS + COMBINATORS, listing)
        issues.append(Issue(problem, (k,)))
    path = data.get("field")
    if path is None:
        if not unknown:
            issues.append(Issue("a condition needs a 'field' (or is all/any/not of other conditions)"))
        return None
    if not isinstance(path, str):
        issues.append(Issue(f"'field' must be a string, not {_show(to_jsonable(path))}", ("field",)))
        return None
    here = f'"{path}"'
    spec = FIELDS.get(path)
    if spec is None:
        problem = f"unknown field {path!r}" + suggestion(path, list(FIELDS), "see gateway rules fields")
        issues.append(Issue(problem, (here,)))
        return None
    ops = [k for k in data if k in OPERATORS]
    if unknown:
        return None  # the unknown key is most likely the operator, misspelt: reported above
    if len(ops) != 1:
        what = "no operator" if not ops else f"{len(ops)} operators ({', '.join(ops)})"
        issues.append(Issue(f"a condition on {path} needs exactly one operator; it has {what}", (here,)))
        return None
    op = ops[0]
    if op not in _ALLOWED[spec.kind]:
        problem = f"operator {op!r} does not apply to {path} ({spec.kind}); use {', '.join(_ALLOWED[spec.kind])}"
        issues.append(Issue(problem, (here, op)))
        return None
    ignore = data.get("ignore_diacritics", False)
    if not isinstance(ignore, bool):
        problem = f"'ignore_diacritics' must be true or false, not {_show(to_jsonable(ignore))}"
        issues.append(Issue(problem, (here, "ignore_diacritics")))
        return None
    if ignore and (spec.kind not in _TEXTUAL or op == "exists"):
        problem = f"'ignore_diacritics' only applies to text operators on text fields, not {path} {op}"
        issues.append(Issue(problem, (here, "ignore_diacritics")))
        return None
    value, value_problem = _parse_value(path, spec.kind, spec.codes, op, data[op])
    if value_problem is not None:
        issues.append(Issue(value_problem, (here, op)))
        return None
    return Leaf(path, op, value, ignore)


def _element_problem(path: str, kind: str, codes: tuple[str, ...] | None, v: Any) -> str | None:
    """Why `v` cannot be compared with an element of field `path`, or None when it can."""
    base = {TEXT_LIST: TEXT, CODE_LIST: CODE}.get(kind, kind)
    if base == BOOL and not isinstance(v, bool):
        return f"{path} is true or false; {_show(to_jsonable(v))} is not"
    if base == INT and (isinstance(v, bool) or not isinstance(v, int)):
        return f"{path} is a whole number; {_show(to_jsonable(v))} is not"
    if base in (TEXT, CODE) and not isinstance(v, str):
        return f"{path} is text; {_show(to_jsonable(v))} is not a string"
    if base == CODE and codes is not None and v not in codes:
        return f"{_show(v)} is not a valid value of {path}" + suggestion(v, codes, f"valid: {', '.join(codes)}")
    if base == TEXT and not v.strip():
        return f"an empty string never matches {path}"
    return None


def _parse_value(path: str, kind: str, codes: tuple[str, ...] | None, op: str, value: Any) -> tuple[Any, str | None]:
    """The operator's value in the form evaluation uses, or the problem with it."""
    shown = _show(to_jsonable(value))
    if op == "exists":
        return (value, None) if isinstance(value, bool) else (None, f"'exists' takes true or false, not {shown}")
    if op == "regex":
        if not isinstance(value, str) or not value:
            return None, f"'regex' takes a non-empty string, not {shown}"
        try:
            re.compile(value)
        except re.error as exc:
            return None, f"bad regular expression {shown}: {exc}"
        return nfc(value), None
    if op == "matches":
        words = [value] if isinstance(value, str) else value
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            return None, f"'matches' takes a keyword or a list of keywords, not {shown}"
        if any(not w.strip() for w in words):
            return None, "'matches' keywords must not be empty"
        return tuple(nfc(w) for w in words), None
    if op == "in":
        if not isinstance(value, list) or not value:
            return None, f"'in' takes a non-empty list of values, not {shown}"
        for v in value:
            problem = _element_problem(path, kind, codes, v)
            if problem:
                return None, problem
        return tuple(nfc(v) if isinstance(v, str) else v for v in value), None
    problem = _element_problem(path, kind, codes, value)  # equals
    if problem:
        return None, problem
    return (nfc(value) if isinstance(value, str) else value), None


# ---------------------------------------------------------------------------------------------- rendering


def describe(cond: Condition) -> str:
    """One line for people: `metadata.doc_type in ["giay_moi", "lich_cong_tac"]`."""
    if isinstance(cond, AllOf):
        return "all of"
    if isinstance(cond, AnyOf):
        return "any of"
    if isinstance(cond, Not):
        return "not"
    suffix = " (ignoring diacritics)" if cond.ignore_diacritics else ""
    if cond.op == "exists":
        return f"{cond.field} {'exists' if cond.value else 'is absent'}"
    if cond.op == "matches":
        return f"{cond.field} matches any of {_show(list(cond.value))}{suffix}"
    if cond.op == "in":
        return f"{cond.field} in {_show(list(cond.value))}{suffix}"
    if cond.op == "regex":
        return f"{cond.field} regex /{cond.value}/{suffix}"
    return f"{cond.field} {cond.op} {_show(cond.value)}{suffix}"


# --------------------------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class ConditionResult:
    """How one condition fared: held or failed, the value seen (leaves), and its parts (all/any/not)."""

    condition: str
    held: bool
    seen: Any = None
    parts: tuple[ConditionResult, ...] = ()


class FactReader:
    """Field values of one document, each computed once."""

    def __init__(self, facts: RuleFacts):
        self.facts = facts
        self._cache: dict[str, Any] = {}

    def value(self, path: str) -> Any:
        if path not in self._cache:
            self._cache[path] = FIELDS[path].get(self.facts)
        return self._cache[path]


def evaluate(cond: Condition, reader: FactReader) -> ConditionResult:
    """Evaluate every part (no short cut), so an explanation shows each part's result."""
    if isinstance(cond, AllOf | AnyOf):
        parts = tuple(evaluate(c, reader) for c in cond.items)
        combine = all if isinstance(cond, AllOf) else any
        return ConditionResult(describe(cond), combine(p.held for p in parts), None, parts)
    if isinstance(cond, Not):
        inner = evaluate(cond.item, reader)
        return ConditionResult(describe(cond), not inner.held, None, (inner,))
    value = reader.value(cond.field)
    return ConditionResult(describe(cond), _holds(cond, value), to_jsonable(value))


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != ()


def _holds(cond: Leaf, value: Any) -> bool:
    if cond.op == "exists":
        return _present(value) == cond.value
    kind = FIELDS[cond.field].kind
    values = tuple(value or ()) if kind in LIST_KINDS else (value,)
    values = tuple(v for v in values if v is not None)
    strip = cond.ignore_diacritics
    if cond.op == "equals":
        return any(_same(v, cond.value, strip) for v in values)
    if cond.op == "in":
        return any(_same(v, e, strip) for v in values for e in cond.value)
    if cond.op == "matches":
        return any(contains_words(str(v), w, strip_diacritics=strip) for v in values for w in cond.value)
    pattern = _compiled(_strip_marks(cond.value) if strip else nfc(cond.value))
    return any(pattern.search(fold(str(v), strip_diacritics=True) if strip else nfc(str(v))) for v in values)


def _strip_marks(pattern: str) -> str:
    """A regex without Vietnamese marks (đ → d); its syntax is ASCII, so it is left as it is."""
    decomposed = unicodedata.normalize("NFD", nfc(pattern))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def _same(a: Any, b: Any, strip: bool) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return fold(a, strip_diacritics=strip).strip() == fold(b, strip_diacritics=strip).strip()
    return type(a) is type(b) and a == b


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)
