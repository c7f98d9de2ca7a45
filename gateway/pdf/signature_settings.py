"""The `[signatures]` settings and the trust store they name, without the pyHanko stack (`gateway.pdf.signatures`):
a process that only needs them — the daemon's parent, which refreshes CRLs while its evaluation workers
verify, the configuration check — does not import pyHanko (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gateway.config import Section
from gateway.revocation import RefreshSettings, refresh_settings
from gateway.trust import TrustStore, load_trust_store

REVOCATION_MODES = ("hard-fail", "soft-fail")


@dataclass(frozen=True)
class SignatureSettings:
    """The `[signatures]` table."""

    trust_dir: Path
    revocation: str = "hard-fail"  # "soft-fail": revocation may go unchecked, and reports say so
    allow_sha1: bool = False  # SHA-1 under every root; per root: `trust.toml` in the trust folder
    refresh: RefreshSettings = field(default_factory=RefreshSettings)


def signature_settings(sec: Section, *, storage_dir: Path | None = None) -> SignatureSettings:
    """Parse `[signatures]`: `trust_dir` (default `<config dir>/trust`), `revocation`, `allow_sha1`, and the
    revocation refresher's keys (`gateway.revocation.refresh_settings`)."""
    explicit = sec.has("trust_dir")
    trust_dir = sec.path_value("trust_dir", "trust")
    if explicit and not trust_dir.is_dir():
        raise sec.error("trust_dir", f"no such folder: {trust_dir}")
    settings = SignatureSettings(
        trust_dir=trust_dir,
        revocation=sec.choice("revocation", REVOCATION_MODES, "hard-fail"),
        allow_sha1=sec.bool("allow_sha1", False),
        refresh=refresh_settings(sec, storage_dir=storage_dir),
    )
    sec.check_unknown()
    return settings


def load_trust(settings: SignatureSettings) -> TrustStore:
    """The trust folder with the refresher's cached CRLs and the SHA-1 policy of `settings`."""
    return load_trust_store(
        settings.trust_dir,
        crl_dirs=(settings.refresh.cache_dir,) if settings.refresh.cache_dir else (),
        allow_sha1_everywhere=settings.allow_sha1,
    )
