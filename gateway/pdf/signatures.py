"""Digital signatures in a PDF, verified offline with pyHanko and reported the ETSI way (R3, R4).

Build one `SignatureVerifier` per process and reuse it: it reads the trust folder (`gateway.trust`) and the
revocation cache (`gateway.revocation`) once; `verify(pdf)` then costs a few tens of milliseconds per
signature. Every check follows SIGNATURES.md:

- validation is offline (no fetching), against the admin's roots, intermediates and CRLs only — the
  revocation refresher downloads CRLs ahead of time; revocation is checked in hard-fail mode unless the
  admin chose soft-fail, and a report says `revocation_checked=False` whenever a CA on the path had no
  current CRL (`no_revocation_data` / `stale_revocation_data` say which);
- tight decode limits on both readers, so a flate bomb is refused rather than decoded;
- nothing is skipped: filled `/Sig` fields are counted with pypdf independently of pyHanko, and a field
  pyHanko will not validate (SubFilter `adbe.pkcs7.sha1`, anything unknown) is reported TOTAL_FAILED /
  FORMAT_FAILURE, never dropped;
- `intact` is looked at before `valid` (a changed byte leaves the CMS signature "valid");
- content changed after signing fails the signature; the last signature must cover the whole file
  (only validation data — DSS, document timestamps — may follow it); form filling and signing by later
  signatures is fine, including the structure-tree bookkeeping real signing tools add
  (`gateway.pdf.modifications`); hybrid-reference files (Word's PDF export) are read when their
  cross-reference sections pass the strict consistency check;
- the chain is validated at the signing time proven by a trusted timestamp when there is one (a
  certificate that expired or was revoked after it still passes); the signer's claimed time (CMS
  `signingTime`, `/M`) is reported, never used — and when a Vietnamese tool wrote local time as UTC
  (exactly 7 h off) the report says so (`claimed_time_shifted`);
- key usage digitalSignature or nonRepudiation; MD5 never; SHA-1 only under a root whose policy allows
  it (`trust.toml`, or `allow_sha1` for all), and then always with `weak_algorithm = "SHA-1"`.

`verify` never raises. A PDF that is encrypted, or that pyHanko cannot read while there is any sign of a
signature in it (pypdf sees a filled signature field, pypdf cannot read it either, or `/ByteRange` is
written in its bytes), gives exactly one report for the pseudo-field `DOCUMENT_FIELD` ("(document)"):
TOTAL_FAILED / FORMAT_FAILURE with a problem starting `encrypted:` or `unreadable:` — its signatures
cannot be checked, and it is never taken for "unsigned". A file with no sign of a signature that only
pyHanko cannot parse gives `()`, like any unsigned PDF (the safety scan judges its readability).

Each report's `problems` are stable English codes with a detail (`hash_failure: …`,
`modified_after_signing: …`, `unsupported_subfilter: …`, `revocation_not_checked: …`, `no_revocation_data:
…`, `stale_revocation_data: …`, `timestamp_not_trusted: …`, `weak_algorithm: …`, `claimed_time_shifted: …`,
`document_timestamp: …`, `count_unverified: …`, `not_enumerated: …`); `gateway.wording` says in Vietnamese
what a sender or a clerk needs to know.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import logging
import re
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pypdf
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.decode_limits import (
    DEFAULT_PURPOSE_LIMITS,
    DecodeLimits,
    DecodePurpose,
    DocumentDecodeBudget,
    StreamDecodeLimits,
)
from pyhanko.pdf_utils.misc import PdfError, PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.general import extract_certificate_info
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import extract_self_reported_ts, extract_tst_data_iter
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleTrustManager

from gateway.config import ConfigError
from gateway.models import DOCUMENT_FIELD, Indication, SignatureReport, Signer
from gateway.pdf.modifications import GATEWAY_DIFF_POLICY
from gateway.pdf.objstm_reader import IndexedPdfFileReader
from gateway.pdf.signature_settings import REVOCATION_MODES, SignatureSettings, load_trust, signature_settings
from gateway.pdf.weak_algorithms import WeakUse, policy_for
from gateway.trust import TrustStore, ca_by_name, cdp_urls, crl_state, with_cached_crls
from gateway.vntext import nfc

log = logging.getLogger(__name__)
__all__ = ["REVOCATION_MODES", "SignatureSettings", "SignatureVerifier", "load_trust", "signature_settings"]

SIGNATURE_SUBFILTERS = frozenset({"/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/PBAD.PAdES"})
TIMESTAMP_SUBFILTERS = frozenset({"/ETSI.RFC3161"})
# Written in every signature dictionary or signature field; found in the raw bytes of a file no reader
# can parse, it means "signed, but damaged" rather than "unsigned".
_SIGNATURE_MARKER = re.compile(rb"/ByteRange\s*\[|/FT\s*/Sig\b|/Type\s*/Sig\b")
MAX_SIGNATURES = 50  # more filled signature fields than this in one letter is not a real document

MiB = 1024 * 1024
# pyHanko's defaults let a 204 KB flate bomb expand to 200 MiB (SIGNATURES.md): cap every stream at
# 32 MiB and a ratio of 200, object streams at 16 MiB, the whole document at 64 MiB or 20 times its size.
DECODE_LIMITS = DecodeLimits(
    per_stream=StreamDecodeLimits(max_ratio=200, ratio_floor=MiB, max_output_size=32 * MiB),
    per_purpose={
        **DEFAULT_PURPOSE_LIMITS,
        DecodePurpose.OBJECT_STREAM: StreamDecodeLimits(max_ratio=100, ratio_floor=4 * MiB, max_output_size=16 * MiB),
    },
    document_budget=DocumentDecodeBudget(base_allowance=64 * MiB, max_ratio=20),
)
# pypdf only walks the form-field tree here (object and xref streams at most).
PYPDF_LIMITS = {
    "zlib_maximum_output_length": 16 * MiB,
    "lzw_maximum_output_length": 16 * MiB,
    "run_length_maximum_output_length": 16 * MiB,
    "array_based_stream_maximum_output_length": 16 * MiB,
    "maximum_declared_stream_length": 64 * MiB,
    "form_fields_maximum_entries": 10_000,
    "form_fields_maximum_depth": 32,
}

# Key usage: Vietnamese certificates carry digitalSignature, nonRepudiation or both; either suffices.
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
_REVOKED = frozenset({"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"})
# Sub-indications that may change when the chain is validated at the proven signing time instead of now.
_TIME_BOUND = frozenset(
    {
        "OUT_OF_BOUNDS_NO_POE",
        "OUT_OF_BOUNDS_NOT_REVOKED",
        "REVOKED_NO_POE",
        "REVOKED_CA_NO_POE",
        "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
        "EXPIRED",
        "NOT_YET_VALID",
    }
)
_FINE_AFTER_SIGNING = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
VN_OFFSET = timedelta(hours=7)  # Vietnam has no daylight saving time
_SHIFT_SLACK = timedelta(minutes=2)


# --- reading the certificate ----------------------------------------------------------------------------


def _name_part(name: asn1_x509.Name, key: str) -> str | None:
    value = name.native.get(key)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return nfc(str(value)) if value else None


def signer_of(cert: asn1_x509.Certificate | None) -> Signer | None:
    """Who a certificate names: subject CN/O/OU, serial (hex), issuer, validity."""
    if cert is None:
        return None
    try:
        validity = cert["tbs_certificate"]["validity"]
        return Signer(
            common_name=_name_part(cert.subject, "common_name"),
            organization=_name_part(cert.subject, "organization_name"),
            organizational_unit=_name_part(cert.subject, "organizational_unit_name"),
            serial_number=format(cert.serial_number, "X"),
            issuer=nfc(cert.issuer.human_friendly),
            not_before=validity["not_before"].native,
            not_after=validity["not_after"].native,
        )
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("unreadable signer certificate: %s", exc)
        return None


def _cert_from_contents(sig_value: Any) -> asn1_x509.Certificate | None:
    """Best effort: the signer certificate inside a /Contents pyHanko will not process."""
    try:
        contents = sig_value.get("/Contents")
        info = cms.ContentInfo.load(bytes(contents))
        signed = info["content"]
        sid = signed["signer_infos"][0]["sid"]
        certs = [c.chosen for c in signed["certificates"] if c.name == "certificate"]
        if sid.name == "issuer_and_serial_number":
            serial = sid.chosen["serial_number"].native
            for cert in certs:
                if cert.serial_number == serial:
                    return cert
        return certs[0] if certs else None
    except Exception:  # hostile bytes: no signer is a fine answer
        return None


def _tsa_cert(signer_info: cms.SignerInfo) -> asn1_x509.Certificate | None:
    """The certificate of the TSA that timestamped this signature, if the token carries it."""
    try:
        for signed_data in extract_tst_data_iter(signer_info, signed=False):
            return extract_certificate_info(signed_data).signer_cert
    except Exception:  # a broken token: pyHanko reports it; no TSA certificate is a fine answer
        return None
    return None


# --- the report -----------------------------------------------------------------------------------------


def _failed(
    field: str,
    sub: str,
    problems: Iterable[str],
    *,
    signer: Signer | None = None,
    sub_filter: str | None = None,
) -> SignatureReport:
    return SignatureReport(
        field=field,
        signer=signer,
        indication=Indication.TOTAL_FAILED,
        sub_indication=sub,
        intact=False,
        trusted=False,
        coverage=None,
        modified_after_signing=False,
        claimed_signing_time=None,
        sub_filter=sub_filter,
        problems=tuple(problems),
    )


def _document_failure(problem: str) -> tuple[SignatureReport, ...]:
    return (_failed(DOCUMENT_FIELD, "FORMAT_FAILURE", (problem,)),)


def _indication_of(sub: Any) -> Indication:
    return Indication.TOTAL_FAILED if isinstance(sub, AdESFailure) else Indication.INDETERMINATE


def _trusted_timestamp(status: Any) -> datetime | None:
    ts = getattr(status, "timestamp_validity", None)
    if ts is not None and ts.intact and ts.valid and ts.trusted:
        return ts.timestamp
    return None


@dataclass(frozen=True)
class Checked:
    """What one validated signature produced: pyHanko's status(es) and what the gateway noted around them."""

    status: Any  # trust: validated at the proven signing time when there is one
    integrity: Any  # coverage and modifications (always from the first validation)
    validated_at: datetime  # the moment the chain was validated at
    weak: frozenset[str] = frozenset()  # where SHA-1 was accepted
    claimed_shift: str | None = None  # why the claimed time is 7 h off, if it is


def claimed_time_shift(cms_time: datetime | None, pdf_time: datetime | None, ts_time: datetime | None) -> str | None:
    """A sentence when the signer's claimed time is Vietnam local time written as UTC, else None.

    With a trusted timestamp: a claim 6–7 h *after* the timestamp (impossible for an honest clock, and
    exactly what UTC+7 written as UTC gives). Without: the CMS `signingTime` and the PDF's `/M` 7 h apart.
    """
    for claim in (cms_time, pdf_time):
        if claim is None:
            continue
        if ts_time is not None:
            ahead = claim - ts_time
            if VN_OFFSET - timedelta(hours=1) <= ahead <= VN_OFFSET + _SHIFT_SLACK:
                return (
                    f"the claimed signing time {claim.isoformat()} is {ahead} after the trusted timestamp "
                    f"{ts_time.isoformat()}: Vietnam time (UTC+7) written as UTC"
                )
    if cms_time is not None and pdf_time is not None and ts_time is None:
        gap = abs(cms_time - pdf_time)
        if abs(gap - VN_OFFSET) <= _SHIFT_SLACK:
            return (
                f"signingTime {cms_time.isoformat()} and /M {pdf_time.isoformat()} are 7 h apart: "
                "one of them is Vietnam time (UTC+7) written as UTC"
            )
    return None


def _judge(
    field: str, sub_filter: str, checked: Checked, *, is_last: bool, settings: SignatureSettings, trust: TrustStore
) -> SignatureReport:
    """The ETSI indication for one validated signature (see the module docstring for the rules)."""
    status, integrity = checked.status, checked.integrity
    problems: list[str] = []
    cert = status.signing_cert
    signer = signer_of(cert)
    ts_time = _trusted_timestamp(status)
    ts = getattr(status, "timestamp_validity", None)
    if ts is not None and ts_time is None:
        why = ts.trust_problem_indic.name if ts.trust_problem_indic is not None else "does not verify"
        problems.append(f"timestamp_not_trusted: the signature timestamp is not trusted ({why})")
    coverage = integrity.coverage
    level = integrity.modification_level
    coverage_ok = coverage in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
    if is_last:
        whole = coverage == SignatureCoverageLevel.ENTIRE_FILE or level == ModificationLevel.LTA_UPDATES
    else:
        whole = True
    modified = bool(coverage_ok and (not whole or level not in _FINE_AFTER_SIGNING or integrity.docmdp_ok is False))
    trust_sub = status.trust_problem_indic
    gaps = _revocation_gaps(status.validation_path, cert, trust, datetime.now(UTC))

    if not integrity.intact:
        indication, sub = Indication.TOTAL_FAILED, "HASH_FAILURE"
        problems.append("hash_failure: the document was changed inside the signed bytes")
    elif not status.valid:
        indication, sub = Indication.TOTAL_FAILED, "SIG_CRYPTO_FAILURE"
        problems.append("sig_crypto_failure: the signature value does not verify with the certificate")
    elif not coverage_ok:
        indication, sub = Indication.TOTAL_FAILED, "FORMAT_FAILURE"
        problems.append(f"byte_range: the signature does not cover its revision ({coverage.name})")
    elif modified:
        indication, sub = Indication.TOTAL_FAILED, "FORMAT_FAILURE"
        what = level.name if level is not None else "UNKNOWN"
        problems.append(f"modified_after_signing: content was changed after this signature ({what})")
    elif trust_sub is not None:
        indication, sub = _indication_of(trust_sub), trust_sub.name
        if sub in _REVOKED and ts_time and status.revocation_details is not None:
            if status.revocation_details.revocation_date <= ts_time:
                indication, sub = Indication.TOTAL_FAILED, "REVOKED"
        elif sub == "OUT_OF_BOUNDS_NO_POE" and ts_time and signer and signer.not_after and signer.not_before:
            if ts_time > signer.not_after:
                indication, sub = Indication.TOTAL_FAILED, "EXPIRED"
            elif ts_time < signer.not_before:
                indication, sub = Indication.TOTAL_FAILED, "NOT_YET_VALID"
        elif sub == "CERTIFICATE_CHAIN_GENERAL_FAILURE" and settings.revocation == "hard-fail" and gaps:
            sub = "TRY_LATER"
    elif integrity.seed_value_constraint_error is not None:
        indication, sub = Indication.INDETERMINATE, "SIG_CONSTRAINTS_FAILURE"
        problems.append(f"seed_value: {integrity.seed_value_constraint_error}")
    else:
        indication, sub = Indication.TOTAL_PASSED, None
    # Checked: a revocation was found, or the chain validated with a current CRL from every CA on it.
    revocation_checked = bool(status.revoked) or (status.validation_path is not None and not gaps)
    if not status.revoked:
        problems.extend(_gap_problems(gaps))
    if not revocation_checked and settings.revocation == "soft-fail":
        problems.append("revocation_not_checked: soft-fail mode; the certificate may be revoked")
    if checked.weak:
        problems.append(_weak_problem(checked.weak))
    if checked.claimed_shift:
        problems.append(f"claimed_time_shifted: {checked.claimed_shift}; the claimed time is not used")
    return SignatureReport(
        field=field,
        signer=signer,
        indication=indication,
        sub_indication=sub,
        intact=bool(integrity.intact),
        trusted=bool(status.trusted) and indication != Indication.TOTAL_FAILED,
        coverage=coverage.name if coverage is not None else None,
        modified_after_signing=modified,
        claimed_signing_time=getattr(status, "signer_reported_dt", None),
        timestamp_time=ts_time,
        revocation_checked=bool(revocation_checked),
        sub_filter=sub_filter,
        problems=tuple(problems),
        weak_algorithm="SHA-1" if checked.weak else None,
        claimed_time_shifted=checked.claimed_shift is not None,
        validated_at=checked.validated_at,
    )


def _weak_problem(places: frozenset[str]) -> str:
    return f"weak_algorithm: SHA-1 accepted by the trust policy of the root ({', '.join(sorted(places))})"


@dataclass(frozen=True)
class Gap:
    """A CA on the validation path whose revocation data the store lacks or holds only past its nextUpdate."""

    ca: str
    state: str  # missing | stale
    next_update: datetime | None = None


def _revocation_gaps(path: Any, cert: Any, trust: TrustStore, now: datetime) -> tuple[Gap, ...]:
    """CAs on the validation path (the issuers of every certificate below the anchor) without a CRL current
    at `now`. When validation stopped before a path was found (pyHanko says TRY_LATER for a stale CRL), the
    chain is rebuilt from the store."""
    try:
        if path is not None:
            certs = list(path.iter_certs(include_root=False))
        elif cert is not None and trust.anchor_of(cert) is not None:
            certs = trust.chain_of(cert)[:-1]
        else:
            return ()
    except (AttributeError, TypeError, ValueError):
        return ()
    gaps: list[Gap] = []
    for below in certs:
        issuers = ca_by_name(trust, below.issuer)
        states = [crl_state(trust, ca) for ca in issuers]
        name = nfc(below.issuer.native.get("common_name") or below.issuer.human_friendly)
        if not states or all(s.crl is None for s in states):
            gaps.append(Gap(ca=name, state="missing"))
            continue
        fresh = [s for s in states if s.state(now) == "fresh"]
        if not fresh:
            latest = max((s for s in states if s.crl is not None), key=lambda s: s.this_update or now)
            gaps.append(Gap(ca=name, state="stale", next_update=latest.next_update))
    return tuple(gaps)


def _gap_problems(gaps: Iterable[Gap]) -> list[str]:
    out = []
    for g in gaps:
        if g.state == "missing":
            out.append(f"no_revocation_data: the store holds no CRL from {g.ca}")
        else:
            when = g.next_update.isoformat() if g.next_update else "?"
            out.append(f"stale_revocation_data: the CRL from {g.ca} is out of date (next update was {when})")
    return out


def _judge_timestamp(field: str, status: Any, *, is_last: bool, weak: frozenset[str]) -> SignatureReport:
    """A document timestamp (/DocTimeStamp): intact, trusted, covering; its signer is the TSA."""
    coverage = status.coverage
    level = status.modification_level
    whole = not is_last or coverage == SignatureCoverageLevel.ENTIRE_FILE or level == ModificationLevel.LTA_UPDATES
    modified = not whole or level not in _FINE_AFTER_SIGNING
    if not status.intact:
        indication, sub = Indication.TOTAL_FAILED, "HASH_FAILURE"
    elif not status.valid:
        indication, sub = Indication.TOTAL_FAILED, "SIG_CRYPTO_FAILURE"
    elif modified:
        indication, sub = Indication.TOTAL_FAILED, "FORMAT_FAILURE"
    elif status.trust_problem_indic is not None:
        indication, sub = _indication_of(status.trust_problem_indic), status.trust_problem_indic.name
    else:
        indication, sub = Indication.TOTAL_PASSED, None
    problems = ["document_timestamp: a document timestamp, not a signature of a person or agency"]
    if weak:
        problems.append(_weak_problem(weak))
    return SignatureReport(
        field=field,
        signer=signer_of(status.signing_cert),
        indication=indication,
        sub_indication=sub,
        intact=bool(status.intact),
        trusted=bool(status.trusted) and indication == Indication.TOTAL_PASSED,
        coverage=coverage.name if coverage is not None else None,
        modified_after_signing=modified,
        claimed_signing_time=None,
        timestamp_time=status.timestamp if indication == Indication.TOTAL_PASSED else None,
        sub_filter="ETSI.RFC3161",
        problems=tuple(problems),
        weak_algorithm="SHA-1" if weak else None,
    )


# --- counting fields with pypdf -------------------------------------------------------------------------


def _pypdf_filled_sig_fields(pdf: bytes) -> list[str] | None:
    """Names of the filled signature fields, as pypdf sees them; None if pypdf cannot read the file."""
    try:
        with pypdf.apply_configuration(None, **PYPDF_LIMITS):
            reader = pypdf.PdfReader(io.BytesIO(pdf), strict=False)
            if reader.is_encrypted:
                return None
            root: Any = reader.trailer["/Root"].get_object()
            acroform = root.get("/AcroForm")
            if acroform is None:
                return []
            fields = acroform.get_object().get("/Fields")
            if fields is None:
                return []
            found: list[str] = []
            _walk_fields(fields.get_object(), None, "", found, set(), 0)
            return found
    except Exception as exc:  # pypdf on hostile input: any error means "cannot tell"
        log.info("pypdf cannot count signature fields: %s", exc)
        return None


def _walk_fields(kids: Any, inherited_ft: Any, prefix: str, found: list[str], seen: set, depth: int) -> None:
    if depth > 32 or len(seen) > 10_000:
        raise ValueError("form field tree too deep or too large")
    for ref in kids:
        key = (ref.idnum, ref.generation) if isinstance(ref, pypdf.generic.IndirectObject) else id(ref)
        if key in seen:
            continue
        seen.add(key)
        node = ref.get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            continue
        ft = node.get("/FT", inherited_ft)
        part = node.get("/T")
        name = f"{prefix}.{part}" if prefix and part is not None else str(part) if part is not None else prefix
        children = node.get("/Kids")
        if children is not None and any("/T" in k.get_object() for k in children.get_object()):
            _walk_fields(children.get_object(), ft, name, found, seen, depth + 1)
        elif ft == "/Sig" and _filled(node.raw_get("/V") if "/V" in node else None):
            found.append(name)


def _filled(value: Any) -> bool:
    # An indirect /V is not resolved: parsing the signature dictionary (its long /Contents) twice costs
    # milliseconds, and pyHanko parses it anyway; a reference to nothing is then a field pyHanko did not
    # enumerate, which the cross-check reports.
    return value is not None and not isinstance(value, pypdf.generic.NullObject)


# --- the verifier ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Trust:
    store: TrustStore
    manager: SimpleTrustManager
    sha1_keys: frozenset[bytes]


def _trust(store: TrustStore) -> _Trust:
    return _Trust(
        store=store, manager=SimpleTrustManager.build(trust_roots=list(store.roots)), sha1_keys=store.sha1_keys()
    )


class SignatureVerifier:
    """A warm, long-lived verifier: the trust store is read once; `verify` is thread-safe.

    `reload()` re-reads the trust folder and the revocation cache (the refresher calls it after each
    download) without a restart. `wanted_crl_urls()` lists the CRL distribution points of certificates
    seen under the store's CAs, for the refresher to fetch.
    """

    def __init__(self, settings: SignatureSettings, *, trust: TrustStore | None = None):
        self.settings = settings
        self._trust = _trust(trust if trust is not None else load_trust(settings))
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._wanted: set[str] = set()

    @property
    def trust(self) -> TrustStore:
        return self._trust.store

    def reload(self) -> TrustStore:
        """Re-read the trust folder and the CRL cache; verifications already running finish with the old one.
        A trust folder that no longer loads raises, and the last good certificates stay in use, but with the
        refresher's CRLs read again: a worker that had not verified since the last refresh must not keep
        the CRLs it started with (R5)."""
        try:
            self._trust = _trust(load_trust(self.settings))
        except ConfigError:
            cache = self.settings.refresh.cache_dir
            if cache is not None:
                self._trust = _trust(with_cached_crls(self._trust.store, (cache,)))
            raise
        return self._trust.store

    def wanted_crl_urls(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._wanted)

    def _context(self, trust: _Trust, policy: Any, *, moment: datetime | None = None) -> ValidationContext:
        # Contexts are stateful (caches, POE): one per signature (SIGNATURES.md). At a past moment (a trusted
        # timestamp), today's CRLs speak for that moment too: a revocation dated later does not count.
        return ValidationContext(
            trust_manager=trust.manager,
            other_certs=list(trust.store.intermediates),
            crls=list(trust.store.crls),
            allow_fetching=False,
            revocation_mode=self.settings.revocation,
            algorithm_usage_policy=policy,
            moment=moment,
            best_signature_time=moment,
            retroactive_revinfo=moment is not None,
        )

    def verify(self, pdf: bytes) -> tuple[SignatureReport, ...]:
        """One report per filled signature field, in signing order; () for an unsigned PDF. Never raises."""
        if not _loop_running():
            return asyncio.run(self.averify(pdf))
        # Called from inside an event loop: run on a private thread with its own loop.
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="signatures")
        return self._executor.submit(lambda: asyncio.run(self.averify(pdf))).result()

    async def averify(self, pdf: bytes) -> tuple[SignatureReport, ...]:
        """`verify` for async callers; CPU-bound (about 15 ms a signature) on the caller's loop."""
        try:
            return await self._verify(pdf)
        except Exception as exc:  # the last line of defence: hostile input never escapes as an exception
            log.exception("signature verification failed unexpectedly")
            return _document_failure(f"unreadable: {type(exc).__name__}: {exc}")

    async def _verify(self, pdf: bytes) -> tuple[SignatureReport, ...]:
        pypdf_names = _pypdf_filled_sig_fields(pdf)
        reader, lenient, problem = self._open(pdf)
        if reader is None:
            if problem == "encrypted":
                return _document_failure("encrypted: the PDF is encrypted; its signatures cannot be checked")
            if pypdf_names is None or pypdf_names or _SIGNATURE_MARKER.search(pdf):
                return _document_failure(f"unreadable: {problem}")
            return ()  # no reader sees a signature and none is written anywhere in it: unsigned
        if lenient:
            log.debug("PDF read leniently (syntax quirks, e.g. Pillow's free-list generation 65536)")
        reports = await self._verify_reader(reader, self._trust)
        return tuple(self._cross_check(reports, pypdf_names))

    def _open(self, pdf: bytes) -> tuple[PdfFileReader | None, bool, str | None]:
        """A pyHanko reader: strict first; lenient (hybrid-reference files refused) for quirky writers.

        A hybrid-reference file (a classic xref table plus an xref stream, as Word's PDF export writes) is
        accepted when the strict reader's cross-reference consistency checks pass; pyHanko then validates
        it with a non-strict reader, since its strict mode refuses hybrids outright.
        """
        for strict in (True, False):
            try:
                reader = IndexedPdfFileReader(io.BytesIO(pdf), strict=strict, decode_limits=DECODE_LIMITS)
                if reader.encrypted:
                    return None, False, "encrypted"
                if not strict and reader.xrefs.hybrid_xrefs_present:
                    return (
                        None,
                        False,
                        "hybrid-reference file (may show different content to different readers)",
                    )
                reader.root  # noqa: B018 - force the catalogue to parse now
                if strict and reader.xrefs.hybrid_xrefs_present:
                    reader = IndexedPdfFileReader(io.BytesIO(pdf), strict=False, decode_limits=DECODE_LIMITS)
                    reader.root  # noqa: B018
                return reader, not strict, None
            except PdfStrictReadError:
                continue
            except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
                return None, False, f"{type(exc).__name__}: {exc}"
        return None, False, "unreadable"

    async def _verify_reader(self, reader: PdfFileReader, trust: _Trust) -> list[SignatureReport]:
        try:
            fields = list(enumerate_sig_fields(reader, filled_status=True))
        except Exception as exc:
            return list(_document_failure(f"unreadable: signature fields: {type(exc).__name__}: {exc}"))
        if len(fields) > MAX_SIGNATURES:
            return list(_document_failure(f"unreadable: {len(fields)} signature fields (at most {MAX_SIGNATURES})"))
        embedded: list[EmbeddedPdfSignature] = []
        failures: list[SignatureReport] = []
        for name, sig_value, sig_field in fields:
            name = str(name)
            try:
                value = sig_value.get_object()
                sub_filter = value.get("/SubFilter")
                sig_type = value.get("/Type", generic.NameObject("/Sig"))
            except Exception as exc:
                failures.append(_failed(name, "FORMAT_FAILURE", (f"unreadable: {exc}",)))
                continue
            shown = str(sub_filter)[1:] if sub_filter is not None else None
            supported = TIMESTAMP_SUBFILTERS if sig_type == "/DocTimeStamp" else SIGNATURE_SUBFILTERS
            if sub_filter not in supported:
                failures.append(
                    _failed(
                        name,
                        "FORMAT_FAILURE",
                        (f"unsupported_subfilter: {shown} cannot be verified",),
                        signer=signer_of(_cert_from_contents(value)),
                        sub_filter=shown,
                    )
                )
                continue
            try:
                embedded.append(EmbeddedPdfSignature(reader, sig_field, name))
            except Exception as exc:
                failures.append(_failed(name, "FORMAT_FAILURE", (f"unreadable: {exc}",), sub_filter=shown))
        embedded.sort(key=_signed_revision)
        last = max((_signed_revision(e) for e in embedded), default=-1)
        reports = [await self._one(e, trust, is_last=_signed_revision(e) == last) for e in embedded]
        return reports + failures

    async def _one(self, emb: EmbeddedPdfSignature, trust: _Trust, *, is_last: bool) -> SignatureReport:
        name = str(emb.field_name)
        sub_filter = None
        try:
            sub_filter = str(emb.sig_object.get("/SubFilter"))[1:]
            if emb.sig_object_type == "/DocTimeStamp":
                use = WeakUse()
                policy = policy_for(trust.store, trust.sha1_keys, emb.signer_cert, use=use, what="timestamp")
                ts_status = await async_validate_pdf_timestamp(
                    emb, self._context(trust, policy), diff_policy=GATEWAY_DIFF_POLICY
                )
                return _judge_timestamp(name, ts_status, is_last=is_last, weak=frozenset(use.places))
            checked = await self._validate(emb, trust)
            self._note_wanted(emb, trust.store)
            return _judge(name, sub_filter, checked, is_last=is_last, settings=self.settings, trust=trust.store)
        except SignatureValidationError as exc:
            sub = exc.ades_subindication
            indication = _indication_of(sub)
            signer = _safe_signer(emb)
            code = getattr(sub, "name", str(sub))
            report = _failed(name, code, (f"invalid: {exc}",), signer=signer, sub_filter=sub_filter)
            if indication != Indication.TOTAL_FAILED:
                report = dataclasses.replace(report, indication=indication)
            return report
        except Exception as exc:  # malformed CMS, broken objects, decode limits…
            log.info("signature %s cannot be processed: %s", name, exc)
            return _failed(
                name,
                "FORMAT_FAILURE",
                (f"unreadable: {type(exc).__name__}: {exc}",),
                signer=_safe_signer(emb),
                sub_filter=sub_filter,
            )

    async def _validate(self, emb: EmbeddedPdfSignature, trust: _Trust) -> Checked:
        """Validate now; then, if a trusted timestamp proves an earlier signing time that could change the
        answer, validate the chain again at that time (the integrity findings of the first pass stand)."""
        now = datetime.now(UTC)
        status, use = await self._pass(emb, trust, moment=None, skip_diff=False)
        integrity, validated_at = status, now
        ts_time = _trusted_timestamp(status)
        if ts_time is not None and _depends_on_time(status, ts_time):
            status, use = await self._pass(emb, trust, moment=ts_time, skip_diff=True)
            validated_at = ts_time
        cms_time = extract_self_reported_ts(emb.signer_info)
        try:
            pdf_time = generic.parse_pdf_date(emb.sig_object["/M"], strict=False) if "/M" in emb.sig_object else None
        except (PdfError, ValueError, TypeError):
            pdf_time = None
        return Checked(
            status=status,
            integrity=integrity,
            validated_at=validated_at,
            weak=frozenset(use.places),
            claimed_shift=claimed_time_shift(cms_time, pdf_time, ts_time),
        )

    async def _pass(
        self, emb: EmbeddedPdfSignature, trust: _Trust, *, moment: datetime | None, skip_diff: bool
    ) -> tuple[Any, WeakUse]:
        use = WeakUse()
        signer_policy = policy_for(trust.store, trust.sha1_keys, emb.signer_cert, use=use, what="signature")
        tsa_policy = policy_for(trust.store, trust.sha1_keys, _tsa_cert(emb.signer_info), use=use, what="timestamp")
        status = await async_validate_pdf_signature(
            emb,
            self._context(trust, signer_policy, moment=moment),
            ts_validation_context=self._context(trust, tsa_policy),
            diff_policy=GATEWAY_DIFF_POLICY,
            key_usage_settings=KEY_USAGE,
            skip_diff=skip_diff,
        )
        return status, use

    def _note_wanted(self, emb: EmbeddedPdfSignature, store: TrustStore) -> None:
        """Remember the CRL locations of certificates issued by the store's CAs (leaves name their CA's CRL)."""
        certs = [emb.signer_cert, _tsa_cert(emb.signer_info)]
        urls = {u for c in certs if c is not None and ca_by_name(store, c.issuer) for u in cdp_urls(c)}
        if urls:
            with self._lock:
                self._wanted |= urls

    def _cross_check(self, reports: list[SignatureReport], pypdf_names: list[str] | None) -> list[SignatureReport]:
        """Add a failure for every filled field pypdf sees that pyHanko did not enumerate."""
        if pypdf_names is None:
            note = "count_unverified: a second reader could not count the signature fields"
            return [dataclasses.replace(r, problems=(*r.problems, note)) for r in reports]
        seen = [r.field for r in reports]
        extra: list[SignatureReport] = []
        for name in pypdf_names:
            if name in seen:
                seen.remove(name)
            else:
                extra.append(
                    _failed(
                        name,
                        "FORMAT_FAILURE",
                        ("not_enumerated: the validator skipped this signature field",),
                    )
                )
        return reports + extra

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False)


def _depends_on_time(status: Any, ts_time: datetime) -> bool:
    """Would validating at `ts_time` rather than now change the answer?"""
    sub = status.trust_problem_indic
    if sub is not None:
        return sub.name in _TIME_BOUND
    path = status.validation_path
    try:
        certs = list(path.iter_certs(include_root=True)) if path is not None else [status.signing_cert]
    except (AttributeError, TypeError, ValueError):
        return False
    return any(c.not_valid_before > ts_time for c in certs)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _signed_revision(emb: EmbeddedPdfSignature) -> int:
    try:
        return emb.signed_revision
    except Exception:
        return -1


def _safe_signer(emb: EmbeddedPdfSignature) -> Signer | None:
    try:
        return signer_of(emb.signer_cert)
    except Exception:
        return None
