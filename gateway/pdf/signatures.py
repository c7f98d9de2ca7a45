"""Digital signatures in a PDF, verified offline with pyHanko and reported the ETSI way (R3, R4).

Build one `SignatureVerifier` per process and reuse it: it reads the trust folder (`gateway.trust`) once;
`verify(pdf)` then costs a few tens of milliseconds per signature. Every check follows SIGNATURES.md:

- validation is offline (no fetching), against the admin's roots, intermediates and CRLs only;
  revocation is checked in hard-fail mode unless the admin chose soft-fail — then every report says
  `revocation_checked=False`;
- tight decode limits on both readers, so a flate bomb is refused rather than decoded;
- nothing is skipped: filled `/Sig` fields are counted with pypdf independently of pyHanko, and a field
  pyHanko will not validate (SubFilter `adbe.pkcs7.sha1`, anything unknown) is reported TOTAL_FAILED /
  FORMAT_FAILURE, never dropped;
- `intact` is looked at before `valid` (a changed byte leaves the CMS signature "valid");
- content changed after signing fails the signature; the last signature must cover the whole file
  (only validation data — DSS, document timestamps — may follow it); form filling by a later signature
  is fine;
- the signer's claimed signing time is reported, never used; a trusted timestamp is the only proof of
  time (it turns REVOKED_NO_POE / OUT_OF_BOUNDS_NO_POE into TOTAL_FAILED REVOKED / EXPIRED when it proves
  the certificate was already revoked or expired when signing);
- key usage digitalSignature or nonRepudiation; SHA-1 refused unless `allow_sha1`.

`verify` never raises. A PDF that is encrypted, or that pyHanko cannot read while there is any sign of a
signature in it (pypdf sees a filled signature field, pypdf cannot read it either, or `/ByteRange` is
written in its bytes), gives exactly one report for the pseudo-field `DOCUMENT_FIELD` ("(document)"):
TOTAL_FAILED / FORMAT_FAILURE with a problem starting `encrypted:` or `unreadable:` — its signatures
cannot be checked, and it is never taken for "unsigned". A file with no sign of a signature that only
pyHanko cannot parse gives `()`, like any unsigned PDF (the safety scan judges its readability).

Each report's `problems` are stable English codes with a detail (`hash_failure: …`,
`modified_after_signing: …`, `unsupported_subfilter: …`, `revocation_not_checked: …`, `no_revocation_data:
…`, `timestamp_not_trusted: …`, `document_timestamp: …`, `count_unverified: …`, `not_enumerated: …`);
`gateway.wording.signature_sentence(report)` says in Vietnamese what a sender or a clerk needs to know.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
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
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleTrustManager

from gateway.config import Section
from gateway.models import DOCUMENT_FIELD, Indication, SignatureReport, Signer
from gateway.trust import TrustStore, load_trust_store
from gateway.vntext import nfc

log = logging.getLogger(__name__)

REVOCATION_MODES = ("hard-fail", "soft-fail")
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
_FINE_AFTER_SIGNING = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class SignatureSettings:
    """The `[signatures]` table."""

    trust_dir: Path
    revocation: str = "hard-fail"  # "soft-fail": revocation may go unchecked, and reports say so
    allow_sha1: bool = False


def signature_settings(sec: Section) -> SignatureSettings:
    """Parse `[signatures]`: `trust_dir` (default `<config dir>/trust`), `revocation`, `allow_sha1`."""
    explicit = sec.has("trust_dir")
    trust_dir = sec.path_value("trust_dir", "trust")
    if explicit and not trust_dir.is_dir():
        raise sec.error("trust_dir", f"no such folder: {trust_dir}")
    settings = SignatureSettings(
        trust_dir=trust_dir,
        revocation=sec.choice("revocation", REVOCATION_MODES, "hard-fail"),
        allow_sha1=sec.bool("allow_sha1", False),
    )
    sec.check_unknown()
    return settings


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


def _judge(
    field: str, sub_filter: str, status: Any, *, is_last: bool, settings: SignatureSettings, trust: TrustStore
) -> SignatureReport:
    """The ETSI indication for one validated signature (see the module docstring for the rules)."""
    problems: list[str] = []
    cert = status.signing_cert
    signer = signer_of(cert)
    ts_time = _trusted_timestamp(status)
    if getattr(status, "timestamp_validity", None) is not None and ts_time is None:
        problems.append("timestamp_not_trusted: the signature timestamp does not verify or is not trusted")
    coverage = status.coverage
    level = status.modification_level
    coverage_ok = coverage in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
    if is_last:
        whole = coverage == SignatureCoverageLevel.ENTIRE_FILE or level == ModificationLevel.LTA_UPDATES
    else:
        whole = True
    modified = bool(coverage_ok and (not whole or level not in _FINE_AFTER_SIGNING or status.docmdp_ok is False))
    trust_sub = status.trust_problem_indic

    if not status.intact:
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
        elif sub == "CERTIFICATE_CHAIN_GENERAL_FAILURE" and settings.revocation == "hard-fail":
            if _lacks_crl(status.validation_path, trust):
                sub = "TRY_LATER"
                problems.append("no_revocation_data: the trust store holds no CRL for a CA in the chain")
    elif status.seed_value_constraint_error is not None:
        indication, sub = Indication.INDETERMINATE, "SIG_CONSTRAINTS_FAILURE"
        problems.append(f"seed_value: {status.seed_value_constraint_error}")
    else:
        indication, sub = Indication.TOTAL_PASSED, None
    # Not checked: soft-fail passed over missing revocation data, or hard-fail stopped for want of it.
    revocation_checked = status.revoked or (settings.revocation == "hard-fail" and sub != "TRY_LATER")
    if not revocation_checked and settings.revocation == "soft-fail":
        problems.append("revocation_not_checked: soft-fail mode; the certificate may be revoked")
    return SignatureReport(
        field=field,
        signer=signer,
        indication=indication,
        sub_indication=sub,
        intact=bool(status.intact),
        trusted=bool(status.trusted) and indication != Indication.TOTAL_FAILED,
        coverage=coverage.name if coverage is not None else None,
        modified_after_signing=modified,
        claimed_signing_time=getattr(status, "signer_reported_dt", None),
        timestamp_time=ts_time,
        revocation_checked=bool(revocation_checked),
        sub_filter=sub_filter,
        problems=tuple(problems),
    )


def _lacks_crl(path: Any, trust: TrustStore) -> bool:
    """True when some certificate on the path (below its anchor) has no CRL from its issuer in the store."""
    if path is None:
        return False
    issuers = trust.crl_issuers
    try:
        certs = list(path.iter_certs(include_root=False))
    except (AttributeError, TypeError, ValueError):
        return False
    return any(c.issuer.dump() not in issuers for c in certs)


def _judge_timestamp(field: str, status: Any, *, is_last: bool) -> SignatureReport:
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
        problems=("document_timestamp: a document timestamp, not a signature of a person or agency",),
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


def _trust(store: TrustStore) -> _Trust:
    return _Trust(store=store, manager=SimpleTrustManager.build(trust_roots=list(store.roots)))


class SignatureVerifier:
    """A warm, long-lived verifier: the trust store is read once; `verify` is thread-safe.

    `reload()` re-reads the trust folder (e.g. after the admin's daily CRL refresh) without a restart.
    """

    def __init__(self, settings: SignatureSettings, *, trust: TrustStore | None = None):
        self.settings = settings
        self._trust = _trust(trust if trust is not None else load_trust_store(settings.trust_dir))
        self._weak_hashes = frozenset({"md2", "md5"} if settings.allow_sha1 else {"md2", "md5", "sha1"})
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def trust(self) -> TrustStore:
        return self._trust.store

    def reload(self) -> TrustStore:
        """Re-read the trust folder; verifications already running finish with the old one."""
        self._trust = _trust(load_trust_store(self.settings.trust_dir))
        return self._trust.store

    def _context(self, trust: _Trust) -> ValidationContext:
        # Contexts are stateful (caches, POE): one per signature (SIGNATURES.md).
        return ValidationContext(
            trust_manager=trust.manager,
            other_certs=list(trust.store.intermediates),
            crls=list(trust.store.crls),
            allow_fetching=False,
            revocation_mode=self.settings.revocation,
            weak_hash_algos=self._weak_hashes,
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
        """A pyHanko reader: strict first; lenient (hybrid-reference files refused) for quirky writers."""
        for strict in (True, False):
            try:
                reader = PdfFileReader(io.BytesIO(pdf), strict=strict, decode_limits=DECODE_LIMITS)
                if reader.encrypted:
                    return None, False, "encrypted"
                if not strict and reader.xrefs.hybrid_xrefs_present:
                    return (
                        None,
                        False,
                        "hybrid-reference file (may show different content to different readers)",
                    )
                reader.root  # noqa: B018 - force the catalogue to parse now
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
                ts_status = await async_validate_pdf_timestamp(emb, self._context(trust))
                return _judge_timestamp(name, ts_status, is_last=is_last)
            status = await async_validate_pdf_signature(emb, self._context(trust), key_usage_settings=KEY_USAGE)
            return _judge(name, sub_filter, status, is_last=is_last, settings=self.settings, trust=trust.store)
        except SignatureValidationError as exc:
            sub = exc.ades_subindication
            indication = _indication_of(sub)
            signer = _safe_signer(emb)
            code = getattr(sub, "name", str(sub))
            report = _failed(name, code, (f"invalid: {exc}",), signer=signer, sub_filter=sub_filter)
            if indication != Indication.TOTAL_FAILED:
                report = _replace(report, indication=indication)
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

    def _cross_check(self, reports: list[SignatureReport], pypdf_names: list[str] | None) -> list[SignatureReport]:
        """Add a failure for every filled field pypdf sees that pyHanko did not enumerate."""
        if pypdf_names is None:
            note = "count_unverified: a second reader could not count the signature fields"
            return [_with_problem(r, note) for r in reports]
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


def _replace(report: SignatureReport, **changes: Any) -> SignatureReport:
    import dataclasses

    return dataclasses.replace(report, **changes)


def _with_problem(report: SignatureReport, problem: str) -> SignatureReport:
    return _replace(report, problems=(*report.problems, problem))
