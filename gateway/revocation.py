"""The revocation refresher: current CRLs for the trust store's CAs, fetched ahead of time (issue 10).

Validation stays offline and fast (`gateway.pdf.signatures` never fetches); this module brings the
revocation data to it. `refresh_revocation` downloads the CRLs named in the CRL distribution points of the
trust store's certificates, the `crl_urls` the admin lists, and those of signer and timestamp certificates
seen under the store's CAs (a leaf names its own CA's CRL, e.g. `http://ca.gov.vn/pki/pub/crl/cpcag2.crl`),
checks that each is a CRL signed by a CA of the store and not older than the one already held, and keeps
it in a cache folder that the verifier reads beside the trust folder. The daemon runs it as a scheduled job
(`refresh_and_reload`); `gateway trust refresh` runs it once.

Air-gapped machines turn fetching off (`fetch_revocation = false`) and drop CRLs into the trust folder by
hand. Either way a CRL past its nextUpdate is *stale*: the verifier reports it (`stale_revocation_data`),
and `gateway trust list` shows each CA's CRL as fresh, stale or missing.

```toml
[signatures]
fetch_revocation = true                 # false: air-gapped, CRLs dropped into the trust folder by hand
refresh_minutes = 360                   # how often the daemon refreshes
revocation_cache_dir = "storage/revocation"   # default: <storage_dir>/revocation
crl_urls = ["http://ca.gov.vn/pki/pub/crl/cpcag2.crl"]   # more CRLs to keep current
fetch_timeout_seconds = 20
```
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
import tempfile
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from gateway.config import Section
from gateway.resources import user_agent
from gateway.trust import CrlState, TrustStore, cdp_urls, crl_state, parse_pki_bytes, signed_by

if TYPE_CHECKING:
    from gateway.pdf.signatures import SignatureVerifier

log = logging.getLogger(__name__)

MAX_CRL_BYTES = 64 * 1024 * 1024
STATE_FILE = "state.json"
WANTED_FILE = "wanted-urls.txt"
Fetch = Callable[[str, float, int], bytes]


@dataclass(frozen=True)
class RefreshSettings:
    """The refresher's keys of `[signatures]`."""

    cache_dir: Path | None = None
    fetch: bool = True
    refresh_minutes: int = 360
    crl_urls: tuple[str, ...] = ()
    timeout_seconds: float = 20.0


def _check_url(sec: Section, key: str, url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise sec.error(key, f"{url!r} is not an http:// or https:// URL")
    return url


def refresh_settings(sec: Section, *, storage_dir: Path | None = None) -> RefreshSettings:
    """The refresher's keys of `[signatures]` (see the module docstring); the caller checks unknown keys."""
    default_cache = (storage_dir if storage_dir is not None else sec.base_dir / "storage") / "revocation"
    return RefreshSettings(
        cache_dir=sec.path_value("revocation_cache_dir", None) or default_cache,
        fetch=sec.bool("fetch_revocation", True),
        refresh_minutes=sec.int("refresh_minutes", 360, minimum=5),
        crl_urls=tuple(_check_url(sec, "crl_urls", u) for u in sec.str_list("crl_urls", ())),
        timeout_seconds=sec.float("fetch_timeout_seconds", 20.0, minimum=1),
    )


# --- fetching ---------------------------------------------------------------------------------------------


# http and https only, redirects included (urllib's default opener would also follow one to ftp://);
# proxies from the environment, as an agency network may require.
_OPENER = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPRedirectHandler(),
    urllib.request.HTTPErrorProcessor(),
):
    _OPENER.add_handler(_handler)


def http_fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    """GET `url` (http or https only), at most `max_bytes`; OSError/ValueError on any failure."""
    if urlparse(url).scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": f"{user_agent()} (CRL refresh)"})
    with _OPENER.open(request, timeout=timeout) as response:
        if urlparse(response.geturl()).scheme not in ("http", "https"):
            raise ValueError(f"redirected to {response.geturl()}")
        data = response.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"larger than {max_bytes} bytes")
    return data


# --- the cache --------------------------------------------------------------------------------------------


def cache_file(cache_dir: Path, url: str) -> Path:
    """Where the CRL downloaded from `url` is kept: its file name, then a hash of the whole URL."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(urlparse(url).path).stem)[:40] or "crl"
    return cache_dir / f"{stem}-{hashlib.sha256(url.encode()).hexdigest()[:12]}.crl"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_state(cache_dir: Path | None) -> dict[str, dict[str, str | None]]:
    """Per URL: `last_attempt`, `last_success` (ISO 8601) and the last `error`, as the refresher left them."""
    if cache_dir is None:
        return {}
    try:
        data = json.loads((cache_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def learned_urls(cache_dir: Path | None) -> tuple[str, ...]:
    if cache_dir is None:
        return ()
    try:
        lines = (cache_dir / WANTED_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return ()
    return tuple(u.strip() for u in lines if u.strip().startswith(("http://", "https://")))


def store_urls(store: TrustStore) -> tuple[str, ...]:
    """The CRL distribution points (http/https) written in the store's certificates."""
    return tuple(dict.fromkeys(u for cert in store.certificates for u in cdp_urls(cert)))


# --- one refresh ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UrlResult:
    url: str
    outcome: str  # updated | unchanged | unreachable | rejected
    detail: str = ""
    issuer: str | None = None
    next_update: datetime | None = None
    stale: bool = False


@dataclass(frozen=True)
class RefreshReport:
    results: tuple[UrlResult, ...] = ()
    skipped: str | None = None  # why nothing was fetched
    states: tuple[CrlState, ...] = field(default_factory=tuple)  # each CA's CRL once reloaded (refresh_and_reload)

    @property
    def changed(self) -> bool:
        return any(r.outcome == "updated" for r in self.results)


def _issuer_in_store(store: TrustStore, crl: x509.CertificateRevocationList) -> str | None:
    for cert in store.certificates:
        crypto = x509.load_der_x509_certificate(cert.dump())
        if crypto.subject == crl.issuer and signed_by(crl, crypto.public_key()):
            return crypto.subject.rfc4514_string()
    return None


def _fetch_one(url: str, settings: RefreshSettings, store: TrustStore, now: datetime, fetch: Fetch) -> UrlResult:
    assert settings.cache_dir is not None
    try:
        data = fetch(url, settings.timeout_seconds, MAX_CRL_BYTES)
    except (OSError, ValueError) as exc:
        return UrlResult(url, "unreachable", f"{type(exc).__name__}: {exc}")
    try:
        _certs, crls = parse_pki_bytes(data, ".crl")
    except (ValueError, TypeError) as exc:
        return UrlResult(url, "rejected", f"not a CRL: {exc}")
    if len(crls) != 1:
        return UrlResult(url, "rejected", f"expected one CRL, found {len(crls)}")
    crl = crls[0]
    issuer = _issuer_in_store(store, crl)
    if issuer is None:
        return UrlResult(url, "rejected", f"not signed by a CA of the trust store ({crl.issuer.rfc4514_string()})")
    der = crl.public_bytes(serialization.Encoding.DER)
    next_update = crl.next_update_utc
    stale = next_update is not None and next_update < now
    path = cache_file(settings.cache_dir, url)
    if path.is_file():
        try:
            held = x509.load_der_x509_crl(path.read_bytes())
        except ValueError:
            held = None
        if held is not None and held.last_update_utc > crl.last_update_utc:
            return UrlResult(
                url,
                "rejected",
                f"older than the CRL already held (issued {held.last_update_utc.isoformat()})",
                issuer=issuer,
                next_update=held.next_update_utc,
            )
        if held is not None and held.public_bytes(serialization.Encoding.DER) == der:
            return UrlResult(url, "unchanged", "", issuer=issuer, next_update=next_update, stale=stale)
    _atomic_write(path, der)
    return UrlResult(url, "updated", "", issuer=issuer, next_update=next_update, stale=stale)


def refresh_revocation(
    settings: RefreshSettings,
    store: TrustStore,
    *,
    extra_urls: Iterable[str] = (),
    now: datetime | None = None,
    fetch: Fetch = http_fetch,
) -> RefreshReport:
    """Fetch every known CRL into the cache; never raises for a network or content problem (each URL's
    outcome is in the report). With fetching turned off, only reports the store's current state."""
    now = now or datetime.now(UTC)
    cache = settings.cache_dir
    extra = tuple(u for u in extra_urls if u.startswith(("http://", "https://")))
    if cache is not None and extra:
        known = learned_urls(cache)
        new = [u for u in sorted(set(extra)) if u not in known]
        if new:
            _atomic_write(cache / WANTED_FILE, ("\n".join((*known, *new)) + "\n").encode("utf-8"))
    if not settings.fetch or cache is None:
        return RefreshReport(skipped="fetching is turned off (fetch_revocation = false)")
    urls: list[str] = []
    for u in (*store_urls(store), *settings.crl_urls, *learned_urls(cache), *extra):
        if u not in urls:
            urls.append(u)
    results = tuple(_fetch_one(u, settings, store, now, fetch) for u in urls)
    state = load_state(cache)
    for r in results:
        entry = state.setdefault(r.url, {})
        entry["last_attempt"] = now.isoformat()
        if r.outcome in ("updated", "unchanged"):
            entry["last_success"] = now.isoformat()
            entry["error"] = None
            entry["issuer"] = r.issuer
        else:
            entry["error"] = f"{r.outcome}: {r.detail}"
        log.log(
            logging.INFO if r.outcome in ("updated", "unchanged") else logging.WARNING,
            "CRL %s: %s %s",
            r.url,
            r.outcome,
            r.detail,
        )
    _atomic_write(cache / STATE_FILE, json.dumps(state, indent=2, sort_keys=True).encode("utf-8"))
    return RefreshReport(results=results)


def refresh_and_reload(verifier: SignatureVerifier, *, fetch: Fetch = http_fetch) -> RefreshReport:
    """The scheduled job: refresh the CRLs the verifier's store and its recent signatures need, then let
    the verifier read them (it re-reads the trust folder too, so CRLs dropped in by hand count as well)."""
    report = refresh_revocation(
        verifier.settings.refresh, verifier.trust, extra_urls=verifier.wanted_crl_urls(), fetch=fetch
    )
    return dataclasses.replace(report, states=crl_states(verifier.reload()))


def crl_states(store: TrustStore) -> tuple[CrlState, ...]:
    """The CRL each CA of `store` has there (fresh, stale or missing)."""
    return tuple(crl_state(store, ca) for ca in store.certificates)
