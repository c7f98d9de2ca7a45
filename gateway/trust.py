"""The admin's trust store: one folder of CA certificates and CRLs, plus its policy file (R3, SIGNATURES.md).

What the folder may hold (file names are free; the extension says how to read the file):
- certificates: `.pem`, `.crt`, `.cer`, `.der` — PEM (several blocks allowed) or DER;
- certificate bundles: `.p7b`, `.p7c` — PKCS#7, PEM or DER, as CAs publish their chains;
- CRLs: `.crl` — DER or PEM; a `.pem` file may also hold `X509 CRL` blocks (dropped in by hand, e.g. on
  an air-gapped machine; the revocation refresher keeps its downloads in a cache folder of its own);
- `trust.toml` — the policy per root, keyed by the SHA-256 fingerprint of the root's DER:

      [[root]]
      fingerprint = "f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90"
      name = "Co quan chung thuc so chuyen dung Chinh phu (RootCA)"   # for people, not checked
      allow_sha1 = true     # accept SHA-1 in signatures, chains and timestamps under this root

Other files (a README, notes) are ignored. Self-signed certificates are the trust anchors — whatever their
own signature algorithm (the older government root signs itself with SHA-1); every other certificate is an
intermediate used to build chains, since Vietnamese signatures often embed only the signer's own
certificate. An unreadable certificate, CRL or policy is a configuration error that names the file.

The project ships this folder empty: an admin adds each root (e.g. "RootCA chuyên dùng Chính phủ G2",
the Vietnam National Root CA, old and re-issued) after checking its fingerprint against the issuer's
official publication — never a copy from elsewhere (trust/README.md lists the government's).
"""

from __future__ import annotations

import hashlib
import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from gateway.config import ConfigError, Section

log = logging.getLogger(__name__)

CERT_SUFFIXES = frozenset({".pem", ".crt", ".cer", ".der"})
BUNDLE_SUFFIXES = frozenset({".p7b", ".p7c"})
CRL_SUFFIXES = frozenset({".crl"})
POLICY_FILE = "trust.toml"
MAX_FILE_BYTES = 64 * 1024 * 1024  # national CRLs are large, but not this large
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")

# The government's own CAs (Ban Cơ yếu Chính phủ), SHA-256 of the DER as issue 10 gives them and as checked
# on copies of the certificates (trust/README.md). Used only to say "this is the one" when an admin adds a
# certificate: the store itself ships empty.
GOVERNMENT_CAS = {
    "f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90": "government G1 root (2010–2030)",
    "75e969c07ba35c29c72bbc1bfb880f20f3891a619b00b77eb02ca6160736a1fe": "government G1 intermediate (2010–2030)",
    "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8": "government G2 root (2018–2048)",
    "d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b": "government G2 intermediate (2018–2048)",
}


def fingerprint(der: bytes) -> str:
    """SHA-256 of a certificate's DER, lower-case hex: what an admin compares with the CA's publication."""
    return hashlib.sha256(der).hexdigest()


def normalise_fingerprint(text: str) -> str:
    """`F7:BC:89…` or `f7bc89…` → `f7bc89…`; ValueError if it is not a SHA-256 fingerprint."""
    value = re.sub(r"[\s:]", "", text).lower()
    if not _FINGERPRINT.match(value):
        raise ValueError(f"{text!r} is not a SHA-256 fingerprint (64 hexadecimal digits)")
    return value


def signed_by(child: x509.Certificate | x509.CertificateRevocationList, issuer_key: Any) -> bool:
    """True when `issuer_key` verifies `child`'s signature — SHA-1 included.

    `cryptography`'s own `verify_directly_issued_by` refuses SHA-1 outright; the older government
    hierarchy is signed with it, and whether SHA-1 is acceptable is the trust policy's decision, not a
    parsing accident.
    """
    tbs = child.tbs_certificate_bytes if isinstance(child, x509.Certificate) else child.tbs_certlist_bytes
    try:
        params: Any = child.signature_algorithm_parameters
        hash_alg: Any = child.signature_hash_algorithm
        if isinstance(issuer_key, rsa.RSAPublicKey):
            issuer_key.verify(child.signature, tbs, params, hash_alg)
        elif isinstance(issuer_key, ec.EllipticCurvePublicKey):
            issuer_key.verify(child.signature, tbs, params)
        elif isinstance(issuer_key, dsa.DSAPublicKey):
            issuer_key.verify(child.signature, tbs, hash_alg)
        elif isinstance(issuer_key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            issuer_key.verify(child.signature, tbs)
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def cdp_urls(cert: asn1_x509.Certificate) -> tuple[str, ...]:
    """The http(s) CRL distribution points a certificate names (where its issuer's CRL is published)."""
    urls: list[str] = []
    try:
        points = cert.crl_distribution_points_value
    except ValueError:
        return ()
    for point in points.native if points is not None else ():
        for name in point.get("distribution_point") or ():
            if isinstance(name, str) and name.startswith(("http://", "https://")) and name not in urls:
                urls.append(name)
    return tuple(urls)


def self_signed(cert: x509.Certificate) -> bool:
    return cert.subject == cert.issuer and signed_by(cert, cert.public_key())


@dataclass(frozen=True)
class RootPolicy:
    """One `[[root]]` of `trust.toml`."""

    fingerprint: str
    name: str | None = None
    allow_sha1: bool = False


@dataclass(frozen=True)
class TrustStore:
    """Parsed contents of the trust folder (and the revocation cache), in the asn1crypto form pyHanko takes."""

    roots: tuple[asn1_x509.Certificate, ...] = ()
    intermediates: tuple[asn1_x509.Certificate, ...] = ()
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    folder: Path | None = None
    policies: tuple[RootPolicy, ...] = ()
    allow_sha1_everywhere: bool = False  # `[signatures] allow_sha1 = true`: every root, always with the note

    @property
    def certificates(self) -> tuple[asn1_x509.Certificate, ...]:
        return self.roots + self.intermediates

    def policy_of(self, root: asn1_x509.Certificate) -> RootPolicy:
        fp = fingerprint(root.dump())
        for p in self.policies:
            if p.fingerprint == fp:
                return p
        return RootPolicy(fingerprint=fp)

    def sha1_allowed(self, root: asn1_x509.Certificate) -> bool:
        return self.allow_sha1_everywhere or self.policy_of(root).allow_sha1

    def chain_of(self, cert: asn1_x509.Certificate) -> list[asn1_x509.Certificate]:
        """`cert` and the store certificates above it, each verified to have signed the one below, up to
        a root if one is reached (the last element is then that root)."""
        by_subject: dict[bytes, list[asn1_x509.Certificate]] = {}
        for c in self.certificates:
            by_subject.setdefault(c.subject.dump(), []).append(c)
        roots = {r.dump() for r in self.roots}
        chain = [cert]
        while chain[-1].dump() not in roots and len(chain) <= 16:
            child = x509.load_der_x509_certificate(chain[-1].dump())
            issuers = [
                c
                for c in by_subject.get(chain[-1].issuer.dump(), [])
                if c.dump() not in {x.dump() for x in chain}
                and signed_by(child, x509.load_der_x509_certificate(c.dump()).public_key())
            ]
            if not issuers:
                break
            chain.append(issuers[0])
        return chain

    def anchor_of(self, cert: asn1_x509.Certificate) -> asn1_x509.Certificate | None:
        """The root a store certificate (or a certificate issued under the store) chains to, by signature."""
        last = self.chain_of(cert)[-1]
        return last if last.dump() in {r.dump() for r in self.roots} else None

    def sha1_keys(self) -> frozenset[bytes]:
        """DER of the public keys of every store certificate under a root that allows SHA-1.

        A signature made with one of these keys (a CA's, on a certificate or CRL) may use SHA-1; so may
        a signer or a TSA whose certificate one of these keys issued (see `gateway.pdf.weak_algorithms`).
        """
        keys = set()
        for cert in self.certificates:
            anchor = self.anchor_of(cert)
            if anchor is not None and self.sha1_allowed(anchor):
                keys.add(cert.public_key.dump())
        return frozenset(keys)

    def describe(self) -> str:
        text = f"{len(self.roots)} root(s), {len(self.intermediates)} intermediate(s), {len(self.crls)} CRL(s)"
        sha1 = [p for p in self.policies if p.allow_sha1]
        if self.allow_sha1_everywhere:
            text += ", SHA-1 allowed under every root"
        elif sha1:
            text += f", SHA-1 allowed under {len(sha1)} root(s)"
        return text


def _pem_blocks(data: bytes) -> list[tuple[str, bytes]]:
    """(label, DER) of every PEM block in `data`."""
    from asn1crypto import pem

    if not pem.detect(data):
        return []
    return [(label, der) for label, _headers, der in pem.unarmor(data, multiple=True)]


def read_pki_file(path: Path) -> tuple[list[x509.Certificate], list[x509.CertificateRevocationList]]:
    """Certificates and CRLs in one file (PEM, DER, PKCS#7); ValueError when it holds neither."""
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    return parse_pki_bytes(data, path.suffix.lower())


def parse_pki_bytes(
    data: bytes, suffix: str = ""
) -> tuple[list[x509.Certificate], list[x509.CertificateRevocationList]]:
    certs: list[x509.Certificate] = []
    crls: list[x509.CertificateRevocationList] = []
    blocks = _pem_blocks(data)
    if blocks:
        for label, der in blocks:
            if label in ("CERTIFICATE", "TRUSTED CERTIFICATE"):
                certs.append(x509.load_der_x509_certificate(der))
            elif label == "X509 CRL":
                crls.append(x509.load_der_x509_crl(der))
            elif label in ("PKCS7", "CERTIFICATE CHAIN"):
                certs.extend(pkcs7.load_der_pkcs7_certificates(der))
            else:
                raise ValueError(f"unexpected PEM block {label!r}")
    elif suffix in BUNDLE_SUFFIXES:
        certs.extend(pkcs7.load_der_pkcs7_certificates(data))
    elif suffix in CRL_SUFFIXES:
        crls.append(x509.load_der_x509_crl(data))
    else:
        try:
            certs.append(x509.load_der_x509_certificate(data))
        except ValueError:
            crls.append(x509.load_der_x509_crl(data))
    if not certs and not crls:
        raise ValueError("holds no certificate and no CRL")
    return certs, crls


def _policies(folder: Path, roots: Iterable[asn1_x509.Certificate]) -> tuple[RootPolicy, ...]:
    path = folder / POLICY_FILE
    if not path.is_file():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "(syntax)", str(exc)) from exc
    sec = Section(data, "", path, folder)
    present = {fingerprint(r.dump()) for r in roots}
    out: list[RootPolicy] = []
    for item in sec.tables("root"):
        try:
            fp = normalise_fingerprint(item.str("fingerprint"))
        except ValueError as exc:
            raise item.error("fingerprint", str(exc)) from exc
        if fp not in present:
            raise item.error("fingerprint", f"no root certificate with this fingerprint in {folder}")
        if any(p.fingerprint == fp for p in out):
            raise item.error("fingerprint", "listed twice")
        out.append(RootPolicy(fingerprint=fp, name=item.str("name", None), allow_sha1=item.bool("allow_sha1", False)))
        item.check_unknown()
    sec.check_unknown()
    return tuple(out)


def _crl_key(c: asn1_crl.CertificateList) -> tuple[bytes, bytes]:
    """CRLs replace each other per issuer and scope (issuing distribution point)."""
    idp = c.issuing_distribution_point_value
    return c["tbs_cert_list"]["issuer"].dump(), idp.dump() if idp is not None else b""


def crl_this_update(c: asn1_crl.CertificateList) -> datetime:
    return c["tbs_cert_list"]["this_update"].native


def crl_next_update(c: asn1_crl.CertificateList) -> datetime | None:
    return c["tbs_cert_list"]["next_update"].native


def newest_crls(crls: Iterable[asn1_crl.CertificateList]) -> tuple[asn1_crl.CertificateList, ...]:
    """One CRL per issuer and scope, the one issued last (a CRL dropped in by hand may be older)."""
    best: dict[tuple[bytes, bytes], asn1_crl.CertificateList] = {}
    for c in crls:
        key = _crl_key(c)
        if key not in best or crl_this_update(c) > crl_this_update(best[key]):
            best[key] = c
    return tuple(best.values())


def load_trust_store(
    folder: Path | None, *, crl_dirs: Iterable[Path] = (), allow_sha1_everywhere: bool = False
) -> TrustStore:
    """Read every certificate and CRL in `folder` (not recursive), its `trust.toml`, and the CRLs in
    `crl_dirs` (the revocation refresher's cache). A missing folder gives an empty store.

    Raises `ConfigError(file, "signatures.trust_dir", problem)` for a file that cannot be read.
    """
    if folder is None or not folder.is_dir():
        if folder is not None:
            log.warning("trust folder %s does not exist: no signature can be trusted", folder)
        return TrustStore(folder=folder, allow_sha1_everywhere=allow_sha1_everywhere)
    roots: dict[bytes, asn1_x509.Certificate] = {}
    inter: dict[bytes, asn1_x509.Certificate] = {}
    crls: dict[bytes, asn1_crl.CertificateList] = {}
    for path in _files(folder, CERT_SUFFIXES | BUNDLE_SUFFIXES | CRL_SUFFIXES):
        try:
            certs, file_crls = read_pki_file(path)
        except (ValueError, TypeError, OSError) as exc:
            raise ConfigError(path, "signatures.trust_dir", f"cannot read this certificate or CRL: {exc}") from exc
        for cert in certs:
            der = cert.public_bytes(serialization.Encoding.DER)
            (roots if self_signed(cert) else inter)[der] = asn1_x509.Certificate.load(der)
        for c in file_crls:
            der = c.public_bytes(serialization.Encoding.DER)
            crls[der] = asn1_crl.CertificateList.load(der)
    crls.update(_cached_crls(crl_dirs))
    store = TrustStore(
        roots=tuple(roots.values()),
        intermediates=tuple(inter.values()),
        crls=newest_crls(crls.values()),
        folder=folder,
        policies=_policies(folder, roots.values()),
        allow_sha1_everywhere=allow_sha1_everywhere,
    )
    log.info("trust store %s: %s", folder, store.describe())
    return store


def _cached_crls(crl_dirs: Iterable[Path]) -> dict[bytes, asn1_crl.CertificateList]:
    """The CRLs in the revocation refresher's cache folders, by DER; an unreadable one is skipped."""
    crls: dict[bytes, asn1_crl.CertificateList] = {}
    for crl_dir in crl_dirs:
        for path in _files(crl_dir, CRL_SUFFIXES):
            try:
                der = x509.load_der_x509_crl(path.read_bytes()).public_bytes(serialization.Encoding.DER)
            except (ValueError, OSError) as exc:  # the refresher's cache: never fatal
                log.warning("ignoring unreadable cached CRL %s: %s", path, exc)
                continue
            crls[der] = asn1_crl.CertificateList.load(der)
    return crls


def with_cached_crls(store: TrustStore, crl_dirs: Iterable[Path]) -> TrustStore:
    """`store` with the refresher's cached CRLs read again: what a verifier keeps when an admin's edit
    broke the trust folder — the last good certificates, with revocation data as fresh as the cache."""
    return replace(store, crls=newest_crls([*store.crls, *_cached_crls(crl_dirs).values()]))


def _files(folder: Path, suffixes: frozenset[str]) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in suffixes]


# --- freshness of revocation data, per CA ---------------------------------------------------------------


@dataclass(frozen=True)
class CrlState:
    """What the store knows about the revocation status of certificates a CA issued."""

    ca: asn1_x509.Certificate
    crl: asn1_crl.CertificateList | None

    @property
    def this_update(self) -> datetime | None:
        return crl_this_update(self.crl) if self.crl is not None else None

    @property
    def next_update(self) -> datetime | None:
        return crl_next_update(self.crl) if self.crl is not None else None

    def state(self, now: datetime | None = None) -> str:
        """`missing`, `stale` (past its nextUpdate) or `fresh`."""
        if self.crl is None:
            return "missing"
        nxt = self.next_update
        if nxt is not None and nxt < (now or datetime.now(UTC)):
            return "stale"
        return "fresh"


def crl_state(store: TrustStore, ca: asn1_x509.Certificate) -> CrlState:
    """The newest CRL in the store issued by `ca` (matched by name, checked by signature); computed once per
    store and CA, since national CRLs are large and every signature asks."""
    cache = store.__dict__.setdefault("_crl_states", {})  # a frozen dataclass may still cache
    key = ca.dump()
    if key not in cache:
        public_key = x509.load_der_x509_certificate(key).public_key()
        found = None
        for c in store.crls:
            if c["tbs_cert_list"]["issuer"].dump() != ca.subject.dump():
                continue
            if not signed_by(x509.load_der_x509_crl(c.dump()), public_key):
                continue
            if found is None or crl_this_update(c) > crl_this_update(found):
                found = c
        cache[key] = CrlState(ca=ca, crl=found)
    return cache[key]


def ca_by_name(store: TrustStore, name: asn1_x509.Name) -> list[asn1_x509.Certificate]:
    return [c for c in store.certificates if c.subject.dump() == name.dump()]
