"""The admin's trust store: one folder of CA certificates and CRLs, read once at start (R3, SIGNATURES.md).

What the folder may hold (file names are free; the extension says how to read the file):
- certificates: `.pem`, `.crt`, `.cer`, `.der` — PEM (several blocks allowed) or DER;
- certificate bundles: `.p7b`, `.p7c` — PKCS#7, PEM or DER, as CAs publish their chains;
- CRLs: `.crl` — DER or PEM; a `.pem` file may also hold `X509 CRL` blocks.
Other files (a README, notes) are ignored. Self-signed certificates are the trust anchors; every other
certificate is an intermediate used to build chains, since Vietnamese signatures often embed only the
signer's own certificate. An unreadable certificate or CRL is a configuration error that names the file.

The project ships this folder empty: an admin adds each root (e.g. "RootCA chuyên dùng Chính phủ G2",
the Vietnam National Root CA, old and re-issued) after checking its fingerprint against the issuer's
official publication — never a copy from elsewhere.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from gateway.config import ConfigError

log = logging.getLogger(__name__)

CERT_SUFFIXES = frozenset({".pem", ".crt", ".cer", ".der"})
BUNDLE_SUFFIXES = frozenset({".p7b", ".p7c"})
CRL_SUFFIXES = frozenset({".crl"})
MAX_FILE_BYTES = 64 * 1024 * 1024  # national CRLs are large, but not this large


@dataclass(frozen=True)
class TrustStore:
    """Parsed contents of the trust folder, in the asn1crypto form pyHanko takes."""

    roots: tuple[asn1_x509.Certificate, ...] = ()
    intermediates: tuple[asn1_x509.Certificate, ...] = ()
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    folder: Path | None = None

    @property
    def crl_issuers(self) -> frozenset[bytes]:
        """DER of the issuer names of the CRLs held (to tell "no CRL for this CA" from other failures)."""
        return frozenset(c["tbs_cert_list"]["issuer"].dump() for c in self.crls)

    def describe(self) -> str:
        return f"{len(self.roots)} root(s), {len(self.intermediates)} intermediate(s), {len(self.crls)} CRL(s)"


def _self_signed(cert: x509.Certificate) -> bool:
    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _pem_blocks(data: bytes) -> list[tuple[str, bytes]]:
    """(label, DER) of every PEM block in `data`."""
    from asn1crypto import pem

    if not pem.detect(data):
        return []
    return [(label, der) for label, _headers, der in pem.unarmor(data, multiple=True)]


def _read_file(path: Path) -> tuple[list[x509.Certificate], list[x509.CertificateRevocationList]]:
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    suffix = path.suffix.lower()
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
        certs.append(x509.load_der_x509_certificate(data))
    if not certs and not crls:
        raise ValueError("holds no certificate and no CRL")
    return certs, crls


def load_trust_store(folder: Path | None) -> TrustStore:
    """Read every certificate and CRL in `folder` (not recursive). A missing folder gives an empty store.

    Raises `ConfigError(file, "signatures.trust_dir", problem)` for a file that cannot be read.
    """
    if folder is None or not folder.is_dir():
        if folder is not None:
            log.warning("trust folder %s does not exist: no signature can be trusted", folder)
        return TrustStore(folder=folder)
    roots: dict[bytes, asn1_x509.Certificate] = {}
    inter: dict[bytes, asn1_x509.Certificate] = {}
    crls: dict[bytes, asn1_crl.CertificateList] = {}
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in CERT_SUFFIXES | BUNDLE_SUFFIXES | CRL_SUFFIXES:
            continue
        try:
            certs, file_crls = _read_file(path)
        except (ValueError, TypeError, OSError) as exc:
            raise ConfigError(path, "signatures.trust_dir", f"cannot read this certificate or CRL: {exc}") from exc
        for cert in certs:
            der = cert.public_bytes(serialization.Encoding.DER)
            (roots if _self_signed(cert) else inter)[der] = asn1_x509.Certificate.load(der)
        for c in file_crls:
            der = c.public_bytes(serialization.Encoding.DER)
            crls[der] = asn1_crl.CertificateList.load(der)
    store = TrustStore(
        roots=tuple(roots.values()),
        intermediates=tuple(inter.values()),
        crls=tuple(crls.values()),
        folder=folder,
    )
    log.info("trust store %s: %s", folder, store.describe())
    return store
