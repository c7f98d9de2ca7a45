"""The agency directory: who the agencies we exchange documents with are, and how to recognise them (R4).

An admin-edited TOML file (`[directory] file = "agencies.toml"`, relative to the config file; see
`agencies.example.toml`), one `[[agency]]` table per agency:

    [[agency]]
    name = "Sở Tài chính tỉnh Khánh Hòa"         # official name (required)
    code = "000.00.12.H34"                        # 13-character identifier, four dot-separated groups (R16)
    parent = "Ủy ban nhân dân tỉnh Khánh Hòa"     # the governing body, as written above the name on documents
    aliases = ["Sở Tài chính"]                    # other names for it as an issuer on documents
    mailboxes = ["vanthu@stc.khanhhoa.example"]   # registry (văn thư) mailboxes
    domains = ["stc.khanhhoa.example"]            # mail domains that are its own
    certificate_subjects = ["Sở Tài chính tỉnh Khánh Hòa"]  # O, OU or CN in its signing certificates
    electronic_capable = true                     # false: it lacks the technical means (R9, R11)
    kind = "department"

Lookups are exact, case-insensitive and Vietnamese-aware (`gateway.vntext.fold`, diacritics optional,
"UBND"/"HĐND"/"TP." expanded); an ambiguous lookup (two agencies would fit) answers None.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from gateway.config import ConfigError, Section, Settings
from gateway.models import Agency, Signer
from gateway.vntext import fold, nfc

AGENCY_CODE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$")
_ABBREVIATIONS = (
    (re.compile(r"\bubnd\b"), "uy ban nhan dan"),
    (re.compile(r"\bhdnd\b"), "hoi dong nhan dan"),
    (re.compile(r"\btp\b"), "thanh pho"),
)


def name_key(text: str | None) -> str:
    """The matching form of an agency or person name: folded, no diacritics, abbreviations expanded."""
    if not text:
        return ""
    key = fold(text, strip_diacritics=True)
    key = re.sub(r"[^\w]+", " ", key)
    for pattern, full in _ABBREVIATIONS:
        key = pattern.sub(full, key)
    return " ".join(key.split())


def address_of(text: str | None) -> str | None:
    """The bare, lower-cased address in `text` ("Văn thư <vanthu@x.vn>" → "vanthu@x.vn"), or None."""
    if not text:
        return None
    _name, addr = parseaddr(text)
    addr = addr.strip().lower()
    return addr if "@" in addr else None


def domain_of(address: str | None) -> str | None:
    addr = address_of(address)
    return addr.rsplit("@", 1)[1].rstrip(".") if addr else None


def signer_names(signer: Signer | None) -> list[str]:
    """Keys to try for a certificate's subject, most specific first: "OU, O", OU, O, CN."""
    if signer is None:
        return []
    o, ou, cn = signer.organization, signer.organizational_unit, signer.common_name
    candidates = [f"{ou}, {o}" if o and ou else None, ou, o, cn]
    keys: list[str] = []
    for c in candidates:
        k = name_key(c)
        if k and k not in keys:
            keys.append(k)
    return keys


@dataclass(frozen=True)
class DirectoryEntry:
    agency: Agency
    aliases: tuple[str, ...] = ()
    parent: str | None = None

    @property
    def issuer_keys(self) -> frozenset[str]:
        return frozenset(k for k in map(name_key, (self.agency.name, *self.aliases)) if k)

    @property
    def certificate_keys(self) -> frozenset[str]:
        names = self.agency.certificate_subjects or (self.agency.name,)
        return frozenset(k for k in map(name_key, names) if k)


def agency_matches_signer(agency: Agency, signer: Signer | None) -> bool:
    """True when the certificate's OU, O or CN is one of the agency's certificate subjects (or its name)."""
    keys = {name_key(n) for n in (*agency.certificate_subjects, agency.name)} - {""}
    return any(k in keys for k in signer_names(signer))


@dataclass(frozen=True)
class Directory:
    entries: tuple[DirectoryEntry, ...] = ()
    file: Path | None = None

    @property
    def agencies(self) -> tuple[Agency, ...]:
        return tuple(e.agency for e in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def by_address(self, address: str | None) -> Agency | None:
        """The agency one of whose registry mailboxes is exactly `address`."""
        addr = address_of(address)
        if addr is None:
            return None
        return _only(e for e in self.entries if addr in e.agency.mailboxes)

    def by_domain(self, domain: str | None) -> Agency | None:
        """The agency owning mail domain `domain` (listed in `domains`); None if several share it."""
        if not domain:
            return None
        d = domain.strip().lower().rstrip(".")
        return _only(e for e in self.entries if d in e.agency.domains)

    def by_signer(self, signer: Signer | None) -> Agency | None:
        """The agency a signing certificate belongs to: its "OU, O", OU, O or CN, most specific first."""
        for key in signer_names(signer):
            found = _only(e for e in self.entries if key in e.certificate_keys)
            if found is not None:
                return found
        return None

    def by_issuer_name(self, text: str | None, parent: str | None = None) -> Agency | None:
        """The agency named `text` as the issuer of a document (its name or an alias).

        `parent` (the line above the issuer in the header, e.g. "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA") picks one
        when several agencies share a short name such as "Sở Tài chính".
        """
        key = name_key(text)
        if not key:
            return None
        matches = [e for e in self.entries if key in e.issuer_keys]
        if len(matches) > 1 and parent:
            pkey = name_key(parent)
            matches = [e for e in matches if e.parent and name_key(e.parent) == pkey]
        if not matches and parent:
            combined = name_key(f"{text} {_place_of(parent)}")
            matches = [e for e in self.entries if combined in e.issuer_keys]
        return matches[0].agency if len(matches) == 1 else None


def _place_of(parent: str) -> str:
    """ "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" → "TỈNH KHÁNH HÒA" (so "SỞ TÀI CHÍNH" + it is the full name)."""
    m = re.search(r"\b(tỉnh|thành phố|huyện|quận|thị xã|xã|phường)\b.*", fold(parent))
    return m.group(0) if m else ""


def _only(entries: Iterable[DirectoryEntry]) -> Agency | None:
    found = list(entries)
    return found[0].agency if len(found) == 1 else None


# --- loading --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectorySettings:
    """The `[directory]` table."""

    file: Path | None


def directory_settings(sec: Section) -> DirectorySettings:
    """`[directory] file`: an explicit path (must exist), else `<config dir>/agencies.toml` if present."""
    if sec.has("file"):
        path = sec.path_value("file")
        if not path.is_file():
            raise sec.error("file", f"no such file: {path}")
    else:
        default = sec.base_dir / "agencies.toml"
        path = default if default.is_file() else None
    sec.check_unknown()
    return DirectorySettings(file=path)


def _addresses(sec: Section, name: str) -> tuple[str, ...]:
    out = []
    for raw in sec.str_list(name, ()):
        addr = address_of(raw)
        if addr is None or addr != raw.strip().lower():
            raise sec.error(name, f"{raw!r} is not a bare e-mail address")
        out.append(addr)
    return tuple(out)


def _entry(sec: Section) -> DirectoryEntry:
    name = nfc(sec.str("name")).strip()
    if not name:
        raise sec.error("name", "must not be empty")
    code = sec.str("code", None)
    if code is not None and not AGENCY_CODE.match(code):
        raise sec.error("code", f"{code!r} is not a 13-character agency code like 000.00.12.H34")
    domains = tuple(d.strip().lower().rstrip(".") for d in sec.str_list("domains", ()))
    entry = DirectoryEntry(
        agency=Agency(
            name=name,
            code=code,
            mailboxes=_addresses(sec, "mailboxes"),
            domains=domains,
            certificate_subjects=tuple(nfc(s) for s in sec.str_list("certificate_subjects", ())),
            electronic_capable=sec.bool("electronic_capable", True),
            kind=sec.str("kind", None),
        ),
        aliases=tuple(nfc(a) for a in sec.str_list("aliases", ())),
        parent=nfc(p) if (p := sec.str("parent", None)) else None,
    )
    sec.check_unknown()
    return entry


def load_directory_from_settings(settings: Settings) -> Directory:
    """The directory named by the `[directory]` table of `settings` (see `directory_settings`)."""
    return load_directory(directory_settings(settings.section("directory")).file)


def load_directory(path: Path | None) -> Directory:
    """Read the directory file; None gives an empty directory. Raises `ConfigError` naming file and key."""
    if path is None:
        return Directory()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(path, "(file)", f"cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "(syntax)", str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(path, "(encoding)", f"the file must be UTF-8: {exc}") from exc
    root = Section(data, "", path, path.parent)
    entries = tuple(_entry(s) for s in root.tables("agency"))
    root.check_unknown()
    seen: dict[str, str] = {}
    for e in entries:
        for box in e.agency.mailboxes:
            if box in seen:
                raise ConfigError(path, "agency.mailboxes", f"{box} is listed for both {seen[box]} and {e.agency.name}")
            seen[box] = e.agency.name
    return Directory(entries=entries, file=path)
