"""Sender origin: DKIM, SPF, and the agency-directory match of the From address (R4; BG Đ4.1, KH Đ4.1b).

`check_authenticity` answers with a `models.Authenticity`:
- `dkim`: pass | fail | none | temperror | permerror. From our own MTA's `Authentication-Results` header
  when `[authenticity] trusted_authserv_id` names it (the topmost header with that authserv-id only —
  headers with other ids are the sender's word and are ignored); otherwise verified here with dkimpy.
  A DKIM result for a message with more or fewer than one From header is `permerror`: no signature can
  vouch for "the" sender then.
- `spf`: only from that trusted header (we never see the connecting IP here), else "none".
- `dkim_domain`: the d= of the signature reported (a passing one aligned with From is preferred).
- `directory_match`: the From address is a registry mailbox in the agency directory.

Public keys: looked up in `dkim_keys_dir` first — one file per key, named after the DNS name,
`<selector>._domainkey.<domain>.txt` (e.g. `mail._domainkey.stc.khanhhoa.example.txt`), holding the TXT
record's text (`v=DKIM1; k=rsa; p=…`; zone-file quoting allowed) — then in DNS unless `use_dns = false`,
through `dns_resolver` (one nameserver: "10.0.0.53", "10.0.0.53:5353", "[::1]:53") or the system's
resolver, with `dkim_timeout` seconds.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32
from functools import lru_cache
from pathlib import Path

import authres
import dns.exception
import dns.resolver

from gateway.config import Section
from gateway.directory import Directory, address_of, domain_of
from gateway.models import Authenticity

log = logging.getLogger(__name__)
# dkimpy logs every failed signature at ERROR; our own log line at INFO says the same.
_quiet = logging.getLogger("gateway.authenticity.dkimpy")
_quiet.setLevel(logging.CRITICAL)

_DNS_NAME = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(\.(?!-)[a-z0-9_-]{1,63})+$")
MAX_DKIM_SIGNATURES = 5


@dataclass(frozen=True)
class AuthenticitySettings:
    """The `[authenticity]` table."""

    dkim_keys_dir: Path | None = None
    use_dns: bool = True
    dns_resolver: str | None = None
    trusted_authserv_id: str | None = None
    dkim_timeout: float = 5.0


def authenticity_settings(sec: Section) -> AuthenticitySettings:
    keys_dir = sec.path_value("dkim_keys_dir", None)
    if keys_dir is not None and not keys_dir.is_dir():
        raise sec.error("dkim_keys_dir", f"no such folder: {keys_dir}")
    resolver = sec.str("dns_resolver", None)
    if resolver is not None:
        try:
            _nameserver(resolver)
        except ValueError as exc:
            raise sec.error(
                "dns_resolver", f"must be a nameserver's IP address, optionally with :port; not {resolver!r}"
            ) from exc
    authserv = sec.str("trusted_authserv_id", None)
    settings = AuthenticitySettings(
        dkim_keys_dir=keys_dir,
        use_dns=sec.bool("use_dns", True),
        dns_resolver=resolver,
        trusted_authserv_id=authserv.strip().lower() if authserv else None,
        dkim_timeout=sec.float("dkim_timeout", 5.0, minimum=0.1),
    )
    sec.check_unknown()
    return settings


def dkim_aligned(dkim_domain: str | None, from_address: str | None) -> bool:
    """The DKIM signing domain is the From domain or a parent of it (DMARC relaxed alignment, no PSL)."""
    from_domain = domain_of(from_address)
    if not dkim_domain or not from_domain:
        return False
    d = dkim_domain.strip().lower().rstrip(".")
    return "." in d and (from_domain == d or from_domain.endswith("." + d))


# --- Authentication-Results from our own MTA ------------------------------------------------------------


def _trusted_results(values: list[str], authserv_id: str) -> tuple[str, str | None, str] | None:
    """(dkim, dkim domain, spf) from the topmost header by `authserv_id`; None if there is none."""
    for value in values:
        try:
            header = authres.AuthenticationResultsHeader.parse_value(" ".join(value.split()))
        except Exception:  # a malformed header is not ours
            continue
        if str(header.authserv_id).lower() != authserv_id:
            continue
        dkims = [r for r in header.results if str(r.method).lower() == "dkim"]
        spfs = [r for r in header.results if str(r.method).lower() == "spf"]
        dkim_result, dkim_domain = "none", None
        if dkims:
            passing = [r for r in dkims if str(r.result).lower() == "pass"]
            chosen = passing[0] if passing else dkims[0]
            dkim_result = str(chosen.result).lower()
            for prop in chosen.properties:
                if prop.type == "header" and prop.name == "d":
                    dkim_domain = str(prop.value).lower()
                elif prop.type == "header" and prop.name == "i" and dkim_domain is None and "@" in str(prop.value):
                    dkim_domain = str(prop.value).rsplit("@", 1)[1].lower()
        spf = str(spfs[0].result).lower() if spfs else "none"
        return dkim_result, dkim_domain, spf
    return None


# --- DKIM verified here ---------------------------------------------------------------------------------


def _nameserver(text: str) -> tuple[str, int]:
    """ "10.0.0.53", "10.0.0.53:5353", "::1" or "[::1]:5353" → (address, port)."""
    host, port = text.strip(), 53
    if host.startswith("["):
        host, _, rest = host[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") else 53
    elif host.count(":") == 1:
        host, _, p = host.partition(":")
        port = int(p)
    ipaddress.ip_address(host)
    if not 0 < port < 65536:
        raise ValueError(f"port {port} out of range")
    return host, port


@lru_cache(maxsize=8)
def _resolver(nameserver: str | None, timeout: float) -> dns.resolver.Resolver:
    resolver = dns.resolver.Resolver(configure=nameserver is None)
    if nameserver is not None:
        host, port = _nameserver(nameserver)
        resolver.nameservers = [host]
        resolver.port = port
    resolver.lifetime = timeout
    return resolver


def _record_text(text: str) -> bytes:
    quoted = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    return ("".join(quoted) if quoted else " ".join(text.split())).encode("ascii", "replace")


class _KeyLookup:
    """dkimpy's `dnsfunc`: offline key files first, then DNS; remembers why a key was not found."""

    def __init__(self, settings: AuthenticitySettings):
        self.settings = settings
        self.missing = False
        self.temporary = False
        self.found = False

    def __call__(self, name: bytes, timeout: float = 5) -> bytes | None:
        qname = name.decode("ascii", "replace").rstrip(".").lower()
        if not _DNS_NAME.match(qname) or "._domainkey." not in qname:
            self.missing = True  # never a path outside the keys folder, never a strange DNS query
            return None
        keys_dir = self.settings.dkim_keys_dir
        if keys_dir is not None:
            path = keys_dir / f"{qname}.txt"
            if path.is_file():
                self.found = True
                return _record_text(path.read_text(encoding="utf-8", errors="replace"))
        if not self.settings.use_dns:
            self.missing = True
            return None
        try:
            answer = _resolver(self.settings.dns_resolver, self.settings.dkim_timeout).resolve(qname, "TXT")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            self.missing = True
            return None
        except dns.exception.DNSException as exc:
            log.info("DKIM key lookup %s failed: %s", qname, exc)
            self.temporary = True
            return None
        self.found = True
        return b"".join(b"".join(rdata.strings) for rdata in answer)


def _verify_dkim(raw: bytes, settings: AuthenticitySettings, count: int) -> list[tuple[str, str | None]]:
    """(result, d=) for each of the first DKIM signatures."""
    import dkim  # here: the daemon's parent builds these settings but never verifies (issue 16)

    results: list[tuple[str, str | None]] = []
    try:
        verifier = dkim.DKIM(raw, timeout=settings.dkim_timeout, logger=_quiet)
    except Exception as exc:  # dkimpy on a malformed message
        log.info("DKIM: cannot parse the message: %s", exc)
        return [("permerror", None)]
    for idx in range(min(count, MAX_DKIM_SIGNATURES)):
        lookup = _KeyLookup(settings)
        verifier.domain = None
        try:
            ok = verifier.verify(idx=idx, dnsfunc=lookup)
        except dkim.ValidationError as exc:
            # raised before the key lookup: a malformed signature; after it: the body hash differs
            log.info("DKIM signature %d does not verify: %s", idx, exc)
            ok = False if lookup.found else None
        except dkim.DKIMException as exc:
            log.info("DKIM signature %d is malformed: %s", idx, exc)
            ok = None
        except Exception as exc:  # anything else from hostile input
            log.info("DKIM signature %d cannot be checked: %s", idx, exc)
            ok = None
        domain = verifier.domain.decode("ascii", "replace").lower() if verifier.domain else None
        if ok:
            results.append(("pass", domain))
        elif lookup.temporary:
            results.append(("temperror", domain))
        elif ok is None or lookup.missing:
            results.append(("permerror", domain))
        else:
            results.append(("fail", domain))
    return results


def _summarise(results: list[tuple[str, str | None]], from_address: str | None) -> tuple[str, str | None]:
    if not results:
        return "none", None
    passing = [d for r, d in results if r == "pass"]
    if passing:
        aligned = [d for d in passing if dkim_aligned(d, from_address)]
        return "pass", (aligned or passing)[0]
    for wanted in ("temperror", "fail", "permerror"):
        for r, d in results:
            if r == wanted:
                return r, d
    return results[0]


_HEADER_END = re.compile(rb"\r?\n\r?\n")


def header_block(raw: bytes) -> bytes:
    """The message's header block, up to and with its first empty line: the header parser reads no further,
    but `parsebytes` would first decode the whole message (a large letter's body, for nothing: issue 16)."""
    end = _HEADER_END.search(raw)
    return raw[: end.end()] if end else raw


def check_authenticity(
    raw: bytes,
    from_address: str | None,
    settings: AuthenticitySettings,
    directory: Directory,
    *,
    direct: bool = False,
) -> Authenticity:
    """DKIM, SPF and directory match of one raw message (see the module docstring). Never raises.

    `direct`: the message came straight from the sender (our SMTP listener): no MTA of ours stood before
    it, so an `Authentication-Results` header in it, whatever its authserv-id, is the sender's own word."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(header_block(raw))
        from_headers = headers.get_all("From") or []
        ar_values = [str(v) for v in headers.get_all("Authentication-Results") or []]
        dkim_count = len(headers.get_all("DKIM-Signature") or [])
    except Exception as exc:
        log.info("unparseable message headers: %s", exc)
        from_headers, ar_values, dkim_count = [], [], 0
    addr = address_of(from_address) or (address_of(str(from_headers[0])) if len(from_headers) == 1 else None)
    directory_match = directory.by_address(addr) is not None
    trusted = None
    if settings.trusted_authserv_id and not direct:
        trusted = _trusted_results(ar_values, settings.trusted_authserv_id)
    spf = trusted[2] if trusted is not None else "none"
    if trusted is not None and trusted[0] != "none":
        dkim_result, dkim_domain = trusted[0], trusted[1]
    elif dkim_count:
        dkim_result, dkim_domain = _summarise(_verify_dkim(raw, settings, dkim_count), addr)
    else:
        dkim_result, dkim_domain = "none", None
    if len(from_headers) != 1 and dkim_result != "none":
        dkim_result, dkim_domain = "permerror", None  # which From would the signature vouch for?
    return Authenticity(dkim=dkim_result, spf=spf, directory_match=directory_match, dkim_domain=dkim_domain)


# --- Where a reply may go (no backscatter) -------------------------------------------------------------


def reply_origin(
    address: str | None, authenticity: Authenticity, directory: Directory, reply_domains: tuple[str, ...] = ()
) -> str | None:
    """How the address an automatic reply would go to (the Return-Path) is known to be the sender's, or
    None: then no reply goes there, or the gateway could be made to send text to any address (backscatter).

    "dkim": a passing DKIM signature aligned with its domain; "spf": SPF pass in our own MTA's
    Authentication-Results (SPF checks exactly the envelope sender); "directory": a registry mailbox of the
    agency directory (a known official address, never an arbitrary one); "reply_domains": a domain the
    admin lists in `[outgoing] reply_domains` (or a subdomain of one)."""
    addr = address_of(address)
    if addr is None:
        return None
    if authenticity.dkim == "pass" and dkim_aligned(authenticity.dkim_domain, addr):
        return "dkim"
    if authenticity.spf == "pass":
        return "spf"
    if directory.by_address(addr) is not None:
        return "directory"
    domain = domain_of(addr)
    if domain and any(domain == d or domain.endswith("." + d) for d in reply_domains):
        return "reply_domains"
    return None
