"""`gateway config check`: every problem in an installation at once, each with file:line.

What is checked, each part on its own so that one mistake does not hide the next:
- `config.toml`: syntax, then each top-level table (and each `[[mailbox]]`) parsed alone, then the tables
  the stages own (`[rules]`, `[signatures]`, `[calendar]`, `[alerts]`, `[directory]`, `[dms]`, …);
- the active rule profile and the files it extends (`gateway.rules`, with their own file:line);
- every reply template (the admin's folder first, then the shipped ones), rendered with each sample context
  of `gateway.reply_samples` under StrictUndefined, and the templates rules name;
- the agency directory file;
- the trust folder: expired roots and intermediates, stale or missing CRLs;
- the office calendar (this year's and next year's days off resolve).

The daemon runs it at start and on reload (SIGHUP); `gateway config check` prints it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gateway.config import ConfigError, Settings, parse_settings

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    what: str  # the part checked: config, rules, template, directory, trust, calendar
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: [{self.what}] {self.message}"


def locate(path: Path | None, key: str) -> int | None:
    """The line of `key` (`mailbox[1].folders.inbox`, `gateway.database_url`, `agency[3].code`) in the TOML
    file `path`, or of its table, or None."""
    if path is None or not path.is_file():
        return None
    parts = re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", key)
    if not parts:
        return None
    names = [p[0] for p in parts]
    index = next((int(p[1]) for p in parts if p[1]), None)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    table, seen_index, counts = "", None, {}  # type: ignore[var-annotated]
    table_line: int | None = None
    for n, line in enumerate(lines, 1):
        m = _HEADER.match(line)
        if m:
            table = m.group(2).replace(" ", "")
            if m.group(1) == "[[":
                counts[table] = counts.get(table, 0) + 1
            top = table.split(".")[0]
            seen_index = counts.get(top, 0) - 1 if top in counts else None
            if table == ".".join(names) and (index is None or seen_index == index):
                table_line = n
            continue
        want_table = ".".join(names[:-1])
        if table == want_table and (index is None or seen_index == index):
            if re.match(rf"\s*\"?{re.escape(names[-1])}\"?\s*=", line):
                return n
            if table_line is None:
                table_line = n
    if table_line is None:
        for n, line in enumerate(lines, 1):
            m = _HEADER.match(line)
            if m and m.group(2).replace(" ", "") == ".".join(names[:-1]):
                return n
    return table_line


def _config_problem(exc: ConfigError, what: str = "config") -> Problem:
    path = Path(exc.file) if exc.file and not exc.file.startswith("<") else None
    return Problem(exc.file, locate(path, exc.key), what, f"{exc.key}: {exc.problem}")


def _syntax_line(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


def check_config_file(path: Path | None, *, secrets: bool = False) -> tuple[list[Problem], Settings | None]:
    """The config file's own problems, every table on its own; the settings if it parses as a whole."""
    if path is None:
        return [], parse_settings({}, None, Path.cwd(), secrets=secrets)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return [Problem(str(path), _syntax_line(str(exc)), "config", f"TOML syntax: {exc}")], None
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(str(path), None, "config", f"cannot read: {exc}")], None
    base = path.resolve().parent
    problems: list[Problem] = []
    good: dict[str, Any] = {}
    for key, value in data.items():
        parts = [(key, value)]
        if key == "mailbox" and isinstance(value, list):
            parts = [(key, [item]) for item in value]
        for i, (k, v) in enumerate(parts):
            try:
                parse_settings({k: v}, path, base, secrets=secrets)
            except ConfigError as exc:
                if k == "mailbox" and isinstance(value, list):  # parsed alone it was [0]: name its real index
                    exc = ConfigError(exc.file, exc.key.replace("mailbox[0]", f"mailbox[{i}]", 1), exc.problem)
                problems.append(_config_problem(exc))
                continue
            if k == "mailbox":
                good.setdefault(k, []).extend(v)
            else:
                good[k] = v
    try:
        settings = parse_settings(good, path, base, secrets=secrets)
    except ConfigError as exc:  # across tables (two mailboxes of one name)
        problems.append(_config_problem(exc))
        settings = None
    return problems, settings


def _stage_tables(settings: Settings) -> list[Problem]:
    from gateway.authenticity import authenticity_settings
    from gateway.directory import load_directory_from_settings
    from gateway.office_calendar import alert_settings, calendar_settings
    from gateway.office_calendar.office import OfficeCalendar
    from gateway.pdf.signatures import signature_settings
    from gateway.reading.settings import reading_settings
    from gateway.register.dms_settings import dms_settings
    from gateway.rules import rules_settings
    from gateway.web.settings import web_settings

    def calendar() -> None:
        cal = OfficeCalendar(calendar_settings(settings.section("calendar")))
        year = datetime.now(UTC).year
        cal.days_off(year), cal.days_off(year + 1)

    checks = (
        ("config", lambda: rules_settings(settings.section("rules"))),
        ("config", lambda: signature_settings(settings.section("signatures"), storage_dir=settings.storage_dir)),
        ("config", lambda: authenticity_settings(settings.section("authenticity"))),
        ("config", lambda: reading_settings(settings.section("reading"))),
        ("config", lambda: alert_settings(settings.section("alerts"))),
        ("config", lambda: dms_settings(settings.section("dms"))),
        ("config", lambda: web_settings(settings)),
        ("calendar", calendar),
        ("directory", lambda: load_directory_from_settings(settings)),
    )
    problems = []
    for what, check in checks:
        try:
            check()
        except ConfigError as exc:
            problems.append(_config_problem(exc, what))
    return problems


def _rules(settings: Settings) -> list[Problem]:
    from gateway.rules import RuleError, rules_settings
    from gateway.rules.check import check_profile

    try:
        rs = rules_settings(settings.section("rules"))
    except (ConfigError, RuleError):
        return []  # reported with the config
    return [
        Problem(str(p.file), p.line, "rules", (f"rule {p.rule}: " if p.rule else "") + p.problem)
        for p in check_profile(rs.profile, rs, base_dir=settings.base_dir)
    ]


def _template_location(exc: BaseException, fallback: str) -> tuple[str, int | None]:
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename:
        return filename, lineno
    tb = exc.__traceback__
    found: tuple[str, int | None] = (fallback, None)
    while tb is not None:  # Jinja2 rewrites frames so that a template's own file and line appear
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_line(env: Any, file: str, line: int | None) -> int | None:
    """A line of the compiled template code → the line in the template file (Jinja2's debug info)."""
    if line is None:
        return None
    try:
        t = env.get_template(Path(file).name)
    except Exception:
        return line
    return t.get_corresponding_lineno(line) if t.filename == file else line


def _templates(settings: Settings) -> list[Problem]:
    from jinja2 import TemplateNotFound

    from gateway.replies import make_environment, render
    from gateway.reply_samples import sample_cases

    env = make_environment(settings.templates_dir)
    problems: list[Problem] = []
    seen: set[tuple[str, int | None, str]] = set()
    for case in sample_cases(settings.agency):
        try:
            render(env, case.kind, case.context)
        except TemplateNotFound as exc:
            problems.append(Problem(f"{case.kind}.txt.j2", None, "template", f"not found: {exc}"))
        except Exception as exc:  # an admin's template may fail in any way Jinja2 can
            file, line = _template_location(exc, f"{case.kind}.txt.j2")
            line = _template_line(env, file, line)
            key = (file, line, str(exc))
            if key not in seen:
                seen.add(key)
                message = f"{case.kind} ({case.case}): {type(exc).__name__}: {exc}"
                problems.append(Problem(file, line, "template", message))
    try:
        from gateway.replies import template_problems
        from gateway.rules import load_profile, rules_settings

        rs = rules_settings(settings.section("rules"))
        profile = load_profile(rs.profile, rs, base_dir=settings.base_dir)
        problems += [Problem(str(p.file), p.line, "template", p.problem) for p in template_problems(profile, env)]
    except Exception:  # a broken profile is reported by the rules check
        pass
    return problems


def _trust(settings: Settings, now: datetime) -> list[Problem]:
    from gateway.pdf.signatures import load_trust, signature_settings
    from gateway.trust import crl_state

    try:
        sig = signature_settings(settings.section("signatures"), storage_dir=settings.storage_dir)
        store = load_trust(sig)
    except ConfigError:
        return []  # reported with the config
    problems = []
    where = str(sig.trust_dir)
    for cert in store.certificates:
        name = cert.subject.human_friendly
        if cert.not_valid_after < now:
            problems.append(Problem(where, None, "trust", f"{name}: expired on {cert.not_valid_after:%Y-%m-%d}"))
        state = crl_state(store, cert).state(now)
        if state == "stale":
            problems.append(Problem(where, None, "trust", f"{name}: its CRL is stale (past its next update)"))
        elif state == "missing" and not sig.refresh.fetch:
            problems.append(Problem(where, None, "trust", f"{name}: no CRL, and CRL fetching is off"))
    return problems


def check_all(path: Path | None, *, now: datetime | None = None) -> list[Problem]:
    """Every problem found in the installation that `path` configures (None: the built-in defaults)."""
    now = now or datetime.now(UTC)
    problems, settings = check_config_file(path)
    if settings is None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8")) if path else {}
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return problems
        # The stage tables can still be checked on their own when a core table is broken.
        base = path.resolve().parent if path else Path.cwd()
        stage_only = {k: v for k, v in data.items() if k not in ("gateway", "agency", "mailbox", "outgoing")}
        try:
            settings = parse_settings(stage_only, path, base, secrets=False)
        except ConfigError:
            return problems
    problems += _stage_tables(settings)
    problems += _rules(settings)
    problems += _templates(settings)
    problems += _trust(settings, now)
    return problems
