"""`config.toml` → typed settings, validated at start.

Every error names the file, the key and what is wrong (`ConfigError`). With no config file at all the
embedded default applies (SQLite and storage under `./storage`, the national rules profile, the default
office calendar, no mailbox), so `gateway check` works on a fresh install.

Each stage that has settings of its own parses its table with a `Section` (see `gateway.office_calendar`,
`gateway.rules`, `gateway.pdf.signatures`, …); this module composes them.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CONFIG = Path("config.toml")


class ConfigError(ValueError):
    """A configuration problem: which file, which key, what is wrong."""

    def __init__(self, file: str | Path | None, key: str, problem: str):
        self.file = str(file) if file else "<built-in defaults>"
        self.key = key
        self.problem = problem
        super().__init__(f"{self.file}: {key}: {problem}")


_MISSING: Any = object()
Text = str  # `Section.str` shadows the builtin inside the class body


class Section:
    """A TOML table with its dotted path, read through typed getters that raise `ConfigError`.

    Keys that are given but never read are reported by `Section.check_unknown`, so a typo does not pass
    silently.
    """

    def __init__(self, data: dict[str, Any], path: Text, file: Path | None, base_dir: Path, *, secrets: bool = True):
        self.data = data
        self.path = path
        self.file = file
        self.base_dir = base_dir
        self.secrets = secrets  # False: a reader that needs no password (`secret` gives None when unset)
        self._read: set[str] = set()

    def key(self, name: Text) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: Text, problem: str) -> ConfigError:
        return ConfigError(self.file, self.key(name), problem)

    def has(self, name: Text) -> bool:
        return name in self.data

    def _get(self, name: Text, default: Any, kinds: tuple[type, ...], what: str) -> Any:
        self._read.add(name)
        if name not in self.data:
            if default is _MISSING:
                raise self.error(name, "is required")
            return default
        value = self.data[name]
        if isinstance(value, bool) and bool not in kinds:
            raise self.error(name, f"must be {what}, not {value!r}")
        if not isinstance(value, kinds):
            raise self.error(name, f"must be {what}, not {value!r}")
        return value

    def str(self, name: Text, default: Any = _MISSING) -> Any:
        return self._get(name, default, (str,), "a string")

    def int(self, name: Text, default: Any = _MISSING, *, minimum: int | None = None) -> Any:
        value = self._get(name, default, (int,), "a whole number")
        if value is not None and minimum is not None and value < minimum:
            raise self.error(name, f"must be at least {minimum}, not {value}")
        return value

    def float(self, name: Text, default: Any = _MISSING, *, minimum: float | None = None) -> Any:
        value = self._get(name, default, (int, float), "a number")
        if value is not None and minimum is not None and value < minimum:
            raise self.error(name, f"must be at least {minimum}, not {value}")
        return float(value) if value is not None else None

    def bool(self, name: Text, default: Any = _MISSING) -> Any:
        return self._get(name, default, (bool,), "true or false")

    def choice(self, name: Text, choices: tuple[Text, ...], default: Any = _MISSING) -> Any:
        value = self.str(name, default)
        if value is not None and value not in choices:
            raise self.error(name, f"must be one of {', '.join(choices)}; got {value!r}")
        return value

    def str_list(self, name: Text, default: Any = _MISSING) -> Any:
        value = self._get(name, default, (list,), "a list of strings")
        if value is None:
            return None
        for item in value:
            if not isinstance(item, str):
                raise self.error(name, f"must be a list of strings; {item!r} is not a string")
        return tuple(value)

    def path_value(self, name: Text, default: Any = _MISSING) -> Any:
        """A file or folder path; relative paths are relative to the config file's folder."""
        value = self.str(name, default)
        if value is None:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    def table(self, name: Text) -> Section:
        value = self._get(name, {}, (dict,), "a table")
        return Section(value, self.key(name), self.file, self.base_dir, secrets=self.secrets)

    def tables(self, name: Text) -> Iterator[Section]:
        """An array of tables (`[[name]]`)."""
        value = self._get(name, [], (list,), "an array of tables")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.error(f"{name}[{i}]", "must be a table")
            yield Section(item, f"{self.key(name)}[{i}]", self.file, self.base_dir, secrets=self.secrets)

    def secret(self, name: Text) -> Text | None:
        """`name` given inline, or `name_env` naming an environment variable that holds it.

        For a reader (`secrets=False`: the web view, the read-only commands) an unset variable is no error."""
        env_name = self.str(f"{name}_env", None)
        inline = self.str(name, None)
        if env_name:
            value = os.environ.get(env_name)
            if value is None and not self.secrets:
                return None
            if value is None:
                raise self.error(f"{name}_env", f"environment variable {env_name} is not set")
            return value
        return inline

    def check_unknown(self) -> None:
        unknown = sorted(set(self.data) - self._read)
        if unknown:
            raise self.error(unknown[0], "is not a known setting (a typo?)")


TLS_MODES = ("implicit", "starttls", "plain")


@dataclass(frozen=True)
class Folders:
    inbox: str = "INBOX"
    processed: str = "Processed"
    refused: str = "Refused"
    quarantine: str = "Quarantine"

    def for_role(self, role: str) -> str:
        """The folder's name for a disposition's folder role (`processed`, `refused`, `quarantine`)."""
        return {"processed": self.processed, "refused": self.refused, "quarantine": self.quarantine}[role]


@dataclass(frozen=True)
class MailboxSettings:
    """One official mailbox watched over IMAP (R1)."""

    name: str
    host: str
    port: int
    tls: str
    username: str
    password: str | None
    folders: Folders = field(default_factory=Folders)
    idle: bool = True
    idle_renew_seconds: int = 600  # re-issue IDLE well inside the 29 minutes of RFC 2177
    poll_seconds: int = 60
    batch_size: int = 20
    timeout_seconds: float = 30.0
    max_message_bytes: int = 50 * 1024 * 1024
    # How long a filing claim left by a gateway killed between its IMAP MOVE and the record of it is
    # honoured before this or another gateway takes it up (`gateway.intake.imap`).
    filing_lease_seconds: int = 300
    verify_tls: bool = True
    ca_file: Path | None = None  # a private CA for the server's certificate
    address: str | None = None  # the mailbox's own address (replies are sent from it when set)


@dataclass(frozen=True)
class SmtpListenerSettings:
    """Direct delivery by agencies (aiosmtpd)."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 2525
    addresses: tuple[str, ...] = ()
    max_message_bytes: int = 50 * 1024 * 1024


@dataclass(frozen=True)
class OutgoingSettings:
    """Where replies are sent (SMTP submission)."""

    host: str = "127.0.0.1"
    port: int = 25
    tls: str = "plain"
    username: str | None = None
    password: str | None = None
    from_address: str = "vanthu@localhost"
    from_name: str = "Văn thư (tự động)"
    timeout_seconds: float = 30.0  # per SMTP command (smtplib's socket timeout)
    max_attempts: int = 0  # 0: no cap on the count; a reply is given up by time only (retry_for_hours)
    retry_base_seconds: float = 30.0  # the first retry; each next one doubles …
    retry_max_interval_seconds: float = 1800.0  # … up to one attempt per this interval (30 min)
    retry_for_hours: float = 72.0  # a temporary failure is retried this long after queueing, then `failed`
    rate_limit_per_hour: int = 100  # replies to one sender per hour: a backstop against loops (RFC 3834 §2)
    verify_tls: bool = True
    ca_file: Path | None = None
    # Mail domains whose senders are answered though their origin is not verified (no aligned DKIM or SPF
    # pass, not a directory mailbox): the admin's own list, e.g. partners without DKIM (no backscatter).
    reply_domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgencySettings:
    """Who we are (the receiving agency)."""

    name: str = "Cơ quan nhận (chưa cấu hình)"
    code: str | None = None  # 13-character identifier, four dot-separated groups (R16)
    parent: str | None = None  # the parent agency (cơ quan chủ quản), printed on the register form


@dataclass(frozen=True)
class ServiceSettings:
    """How the daemon runs as a service: its local /healthz and /metrics endpoint (0: off)."""

    metrics_host: str = "127.0.0.1"
    metrics_port: int = 0


@dataclass(frozen=True)
class Settings:
    file: Path | None
    base_dir: Path
    storage_dir: Path
    database_url: str
    templates_dir: Path | None  # admin templates; None: the shipped ones
    agency: AgencySettings
    mailboxes: tuple[MailboxSettings, ...]
    smtp_listener: SmtpListenerSettings
    outgoing: OutgoingSettings
    accepted_legal_values: tuple[str, ...]
    raw: dict[str, Any]  # the parsed TOML, for stages that read their own table
    service: ServiceSettings = field(default_factory=ServiceSettings)
    refused_retention_days: int = 0  # refused letters' raw e-mail and derived text kept this long; 0: for ever
    secrets: bool = True  # False: loaded by a reader, passwords from unset environment variables left out
    min_free_mb: int = 1024  # [gateway] min_free_mb: below this much free space on storage_dir, alert the admins

    def section(self, name: str) -> Section:
        return Section(self.raw.get(name, {}), name, self.file, self.base_dir, secrets=self.secrets)


LEGAL_VALUES = ("equivalent_to_paper", "valid_by_origin", "reference_only")


def _existing_file(sec: Section, name: str) -> Path | None:
    path = sec.path_value(name, None)
    if path is not None and not path.is_file():
        raise sec.error(name, f"no such file: {path}")
    return path


def _mailbox(sec: Section) -> MailboxSettings:
    tls = sec.choice("tls", TLS_MODES, "implicit")
    if tls == "plain" and not sec.bool("allow_plain", False):
        raise sec.error("tls", "plain (unencrypted) IMAP needs allow_plain = true; use it only for tests")
    sec.bool("allow_plain", False)
    f = sec.table("folders")
    folders = Folders(
        inbox=f.str("inbox", "INBOX"),
        processed=f.str("processed", "Processed"),
        refused=f.str("refused", "Refused"),
        quarantine=f.str("quarantine", "Quarantine"),
    )
    f.check_unknown()
    idle_renew = sec.int("idle_renew_seconds", 600, minimum=10)
    if idle_renew >= 29 * 60:
        raise sec.error("idle_renew_seconds", "must be well under 29 minutes (RFC 2177)")
    mb = MailboxSettings(
        name=sec.str("name"),
        host=sec.str("host"),
        port=sec.int("port", 993 if tls == "implicit" else 143, minimum=1),
        tls=tls,
        username=sec.str("username"),
        password=sec.secret("password"),
        folders=folders,
        idle=sec.bool("idle", True),
        idle_renew_seconds=idle_renew,
        poll_seconds=sec.int("poll_seconds", 60, minimum=1),
        batch_size=sec.int("batch_size", 20, minimum=1),
        timeout_seconds=sec.float("timeout_seconds", 30.0, minimum=1),
        max_message_bytes=sec.int("max_message_bytes", 50 * 1024 * 1024, minimum=1024),
        filing_lease_seconds=sec.int("filing_lease_seconds", 300, minimum=1),
        verify_tls=sec.bool("verify_tls", True),
        ca_file=_existing_file(sec, "ca_file"),
        address=sec.str("address", None),
    )
    sec.check_unknown()
    return mb


def _smtp_listener(sec: Section) -> SmtpListenerSettings:
    s = SmtpListenerSettings(
        enabled=sec.bool("enabled", False),
        host=sec.str("host", "127.0.0.1"),
        port=sec.int("port", 2525, minimum=0),
        addresses=tuple(a.lower() for a in sec.str_list("addresses", ())),
        max_message_bytes=sec.int("max_message_bytes", 50 * 1024 * 1024, minimum=1024),
    )
    if s.enabled and not s.addresses:
        raise sec.error("addresses", "list the addresses the listener accepts mail for")
    sec.check_unknown()
    return s


def _outgoing(sec: Section) -> OutgoingSettings:
    o = OutgoingSettings(
        host=sec.str("host", "127.0.0.1"),
        port=sec.int("port", 25, minimum=1),
        tls=sec.choice("tls", TLS_MODES, "plain"),
        username=sec.str("username", None),
        password=sec.secret("password"),
        from_address=sec.str("from_address", "vanthu@localhost"),
        from_name=sec.str("from_name", "Văn thư (tự động)"),
        timeout_seconds=sec.float("timeout_seconds", 30.0, minimum=1),
        max_attempts=sec.int("max_attempts", 0, minimum=0),
        retry_base_seconds=sec.float("retry_base_seconds", 30.0, minimum=0),
        retry_max_interval_seconds=sec.float("retry_max_interval_seconds", 1800.0, minimum=0),
        retry_for_hours=sec.float("retry_for_hours", 72.0, minimum=0),
        rate_limit_per_hour=sec.int("rate_limit_per_hour", 100, minimum=1),
        verify_tls=sec.bool("verify_tls", True),
        ca_file=_existing_file(sec, "ca_file"),
        reply_domains=tuple(d.strip().lower().rstrip(".") for d in sec.str_list("reply_domains", []) if d.strip()),
    )
    sec.check_unknown()
    return o


def _service(sec: Section) -> ServiceSettings:
    s = ServiceSettings(
        metrics_host=sec.str("metrics_host", "127.0.0.1"),
        metrics_port=sec.int("metrics_port", 0, minimum=0),
    )
    sec.check_unknown()
    return s


# Tables parsed by the stages that own them; listed so that an unknown top-level table is an error.

STAGE_TABLES = (
    "calendar",
    "rules",
    "signatures",
    "authenticity",
    "directory",
    "reading",
    "alerts",
    "dms",
    "web",
    "processing",
)


def parse_settings(data: dict[str, Any], file: Path | None, base_dir: Path, *, secrets: bool = True) -> Settings:
    root = Section(data, "", file, base_dir, secrets=secrets)
    g = root.table("gateway")
    storage_dir = g.path_value("storage_dir", "storage")
    database_url = g.str("database_url", None) or f"sqlite:///{(storage_dir / 'register.sqlite3').resolve()}"
    if not database_url.startswith(("sqlite", "postgresql")):
        raise g.error("database_url", "must be a sqlite:/// or postgresql:// URL")
    templates_dir = g.path_value("templates_dir", None)
    min_free_mb = g.int("min_free_mb", 1024, minimum=0)
    accepted = g.str_list("accepted_legal_values", LEGAL_VALUES)
    for v in accepted:
        if v not in LEGAL_VALUES:
            raise g.error("accepted_legal_values", f"{v!r} is not one of {', '.join(LEGAL_VALUES)}")
    retention = g.int("refused_retention_days", 0, minimum=0)
    g.check_unknown()
    a = root.table("agency")
    agency = AgencySettings(
        name=a.str("name", AgencySettings.name), code=a.str("code", None), parent=a.str("parent", None)
    )
    a.check_unknown()
    mailboxes = tuple(_mailbox(s) for s in root.tables("mailbox"))
    names = [m.name for m in mailboxes]
    if len(set(names)) != len(names):
        raise ConfigError(file, "mailbox.name", "mailbox names must be unique")
    settings = Settings(
        file=file,
        base_dir=base_dir,
        storage_dir=storage_dir,
        database_url=database_url,
        templates_dir=templates_dir,
        agency=agency,
        mailboxes=mailboxes,
        smtp_listener=_smtp_listener(root.table("smtp_listener")),
        outgoing=_outgoing(root.table("outgoing")),
        accepted_legal_values=accepted,
        raw=data,
        refused_retention_days=retention,
        service=_service(root.table("service")),
        secrets=secrets,
        min_free_mb=min_free_mb,
    )
    for name in STAGE_TABLES:
        root.table(name)
    root.check_unknown()
    return settings


SYSTEM_CONFIG = Path("/etc/official-mail-gateway/config.toml")
CONFIG_ENV = "GATEWAY_CONFIG"


@dataclass(frozen=True)
class ConfigSource:
    """Which config file applies and why: `--config`, `$GATEWAY_CONFIG`, `./config.toml`, the system file, or
    none (the embedded default)."""

    path: Path | None
    how: str

    def describe(self) -> str:
        return f"{self.path} ({self.how})" if self.path else "built-in defaults (no config file found)"


def find_config(path: str | Path | None = None, *, system: Path = SYSTEM_CONFIG) -> ConfigSource:
    """The config file to use: `path` (from --config), else `$GATEWAY_CONFIG`, else `./config.toml`, else
    `/etc/official-mail-gateway/config.toml`. A file named explicitly (option or variable) must exist."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(p, "(file)", "no such file (given with --config)")
        return ConfigSource(p, "--config")
    env = os.environ.get(CONFIG_ENV)
    if env:
        p = Path(env)
        if not p.is_file():
            raise ConfigError(p, "(file)", f"no such file (named by ${CONFIG_ENV})")
        return ConfigSource(p, f"${CONFIG_ENV}")
    if DEFAULT_CONFIG.is_file():
        return ConfigSource(DEFAULT_CONFIG, "./config.toml in the current folder")
    if system.is_file():
        return ConfigSource(system, "the system-wide file")
    return ConfigSource(None, "built-in defaults")


def load_settings(path: str | Path | None = None, *, secrets: bool = True) -> Settings:
    """Read and validate the config file `find_config` chooses; with none at all, the embedded default.

    `secrets=False` is for readers (the web view, read-only commands): a password kept in an environment
    variable that is not set is then left out instead of being an error."""
    p = find_config(path).path
    if p is None:
        return parse_settings({}, None, Path.cwd(), secrets=secrets)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(p, "(syntax)", str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(p, "(encoding)", f"the file must be UTF-8: {exc}") from exc
    return parse_settings(data, p, p.resolve().parent, secrets=secrets)
