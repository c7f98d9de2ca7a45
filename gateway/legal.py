"""Legal value of one e-document (R4): pure functions over the signature reports and the sender's origin.

- `equivalent_to_paper` (TTg Đ4.1): at least one TOTAL_PASSED signature of the issuing agency — its
  certificate's OU/O/CN is one of the issuer's certificate subjects (or, when the issuer is not in the
  directory, the issuer's name as read from the document) — or of its signer: the certificate's CN is the
  signer named in the document and the certificate names no other organisation.
- A signature of a *publishing unit* — a provincial gazette centre (Trung tâm Công báo), the Government
  portal (Cổng Thông tin điện tử Chính phủ), or any agency of kind `publisher` in the directory — is
  reported with its role but never stands in for the issuer's, even when its certificate names the
  issuer's office as its organisation (the portal's says "VĂN PHÒNG CHÍNH PHỦ").
- `valid_by_origin` (BG Đ4.1, KH Đ4.1b): no valid signature of the issuer, but the letter came from one of
  the issuing agency's registry mailboxes, with DKIM passing for a domain aligned with From. Never when a
  signature on the document failed (TOTAL_FAILED) or its certificate was revoked: a tampered or revoked
  document is not rescued by its envelope.
- otherwise `reference_only` (TTg Đ4.2).

Which legal values a letter needs to be accepted is configuration (`Settings.accepted_legal_values`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from gateway.authenticity import dkim_aligned
from gateway.directory import Directory, address_of, agency_matches_signer, name_key, signer_names
from gateway.models import Agency, Authenticity, Indication, LegalValue, SignatureReport, Signer

_REVOKED = frozenset({"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"})
# Publishing units, by the name in their certificate (matched without diacritics, whole words).
_PUBLISHER = re.compile(r"\b(cong bao|cong thong tin dien tu)\b")


class SignatureRole(enum.StrEnum):
    """Whose signature it is, as far as legal value goes."""

    ISSUER = "issuer"  # the issuing agency's own certificate, or one naming it as organisation
    ISSUER_SIGNER = "issuer_signer"  # the person named as signer in the document, no other organisation
    PUBLISHER = "publisher"  # a publishing unit: reported, never stands in for the issuer
    TIMESTAMP = "timestamp"  # a document timestamp
    OTHER = "other"


@dataclass(frozen=True)
class SignatureAssessment:
    field: str
    role: SignatureRole
    counts: bool  # a valid signature of the issuer (or its signer): makes the document equivalent to paper
    why: str  # English, for the verdict and the logs


@dataclass(frozen=True)
class LegalAssessment:
    """The legal value with its reasons: which signature made it, and what every other one is."""

    value: LegalValue
    basis: str | None  # the field of the signature that makes it equivalent to paper, "origin", or None
    signatures: tuple[SignatureAssessment, ...] = ()


def is_publisher(signer: Signer | None, directory: Directory | None = None) -> bool:
    """A publishing unit's certificate: its own name (CN or OU, not its parent organisation) is that of a
    directory agency of kind `publisher`, or of a gazette centre or an e-portal."""
    if signer is None:
        return False
    own = Signer(common_name=signer.common_name, organizational_unit=signer.organizational_unit)
    if directory is not None and any(
        a.kind == "publisher" and agency_matches_signer(a, own) for a in directory.agencies
    ):
        return True
    return any(_PUBLISHER.search(name_key(n)) for n in (signer.common_name, signer.organizational_unit) if n)


def same_agency(a: Agency | None, b: Agency | None) -> bool:
    if a is None or b is None:
        return False
    if a.code and b.code:
        return a.code == b.code
    return name_key(a.name) == name_key(b.name)


def signed_by_issuer(
    report: SignatureReport,
    *,
    issuer_agency: Agency | None,
    issuer_name: str | None = None,
    signer_name: str | None = None,
) -> bool:
    """True when this signature is the issuing agency's (or its named signer's), whatever its validity."""
    signer = report.signer
    if signer is None or is_publisher(signer):
        return False
    if issuer_agency is not None and agency_matches_signer(issuer_agency, signer):
        return True
    if issuer_agency is None and issuer_name and name_key(issuer_name) in signer_names(signer):
        return True
    if signer_name and signer.common_name and name_key(signer.common_name) == name_key(signer_name):
        if signer.organization is None:
            return True
        if issuer_agency is not None:
            return agency_matches_signer(issuer_agency, Signer(organization=signer.organization))
        return bool(issuer_name) and name_key(signer.organization) == name_key(issuer_name)
    return False


def origin_proven(
    *,
    issuer_agency: Agency | None,
    sender_agency: Agency | None,
    authenticity: Authenticity,
    from_address: str | None,
) -> bool:
    """Sent from the issuing agency's own registry mailbox, DKIM passing and aligned with From (BG Đ4.1)."""
    addr = address_of(from_address)
    return (
        addr is not None
        and sender_agency is not None
        and addr in sender_agency.mailboxes
        and same_agency(sender_agency, issuer_agency)
        and authenticity.dkim == "pass"
        and dkim_aligned(authenticity.dkim_domain, addr)
    )


def signature_role(
    report: SignatureReport,
    *,
    issuer_agency: Agency | None,
    issuer_name: str | None = None,
    signer_name: str | None = None,
    directory: Directory | None = None,
) -> tuple[SignatureRole, str]:
    """The role of one signature and why (strict: a publishing unit is recognised before anything else)."""
    signer = report.signer
    if report.sub_filter == "ETSI.RFC3161":
        return SignatureRole.TIMESTAMP, "a document timestamp"
    if is_publisher(signer, directory):
        who = signer.common_name if signer else "?"
        return SignatureRole.PUBLISHER, f"{who} is a publishing unit: it publishes, it does not issue"
    if signer is not None and issuer_agency is not None and agency_matches_signer(issuer_agency, signer):
        return SignatureRole.ISSUER, f"the certificate names {issuer_agency.name}, the issuing agency"
    if signer is not None and issuer_agency is None and issuer_name and name_key(issuer_name) in signer_names(signer):
        return SignatureRole.ISSUER, f"the certificate names {issuer_name}, the issuer read from the document"
    if signed_by_issuer(report, issuer_agency=issuer_agency, issuer_name=issuer_name, signer_name=signer_name):
        return SignatureRole.ISSUER_SIGNER, f"the certificate names {signer_name}, the document's signer"
    return SignatureRole.OTHER, "the certificate names neither the issuer nor the document's signer"


def legal_assessment(
    signatures: Iterable[SignatureReport],
    *,
    issuer_agency: Agency | None,
    sender_agency: Agency | None,
    authenticity: Authenticity | None,
    from_address: str | None,
    issuer_name: str | None = None,
    signer_name: str | None = None,
    directory: Directory | None = None,
) -> LegalAssessment:
    """The legal value of one document (R4) with its basis; see the module docstring.

    `authenticity` None: a bare PDF. `directory` lets agencies of kind `publisher` be recognised.
    """
    reports = tuple(signatures)
    assessed = []
    for report in reports:
        role, why = signature_role(
            report, issuer_agency=issuer_agency, issuer_name=issuer_name, signer_name=signer_name, directory=directory
        )
        counts = report.indication == Indication.TOTAL_PASSED and role in (
            SignatureRole.ISSUER,
            SignatureRole.ISSUER_SIGNER,
        )
        assessed.append(SignatureAssessment(field=report.field, role=role, counts=counts, why=why))
    basis = next((a.field for a in assessed if a.counts), None)
    if basis is not None:
        return LegalAssessment(LegalValue.EQUIVALENT_TO_PAPER, basis, tuple(assessed))
    spoiled = any(r.indication == Indication.TOTAL_FAILED or r.sub_indication in _REVOKED for r in reports)
    if (
        not spoiled
        and authenticity is not None
        and origin_proven(
            issuer_agency=issuer_agency,
            sender_agency=sender_agency,
            authenticity=authenticity,
            from_address=from_address,
        )
    ):
        return LegalAssessment(LegalValue.VALID_BY_ORIGIN, "origin", tuple(assessed))
    return LegalAssessment(LegalValue.REFERENCE_ONLY, None, tuple(assessed))


def legal_value(
    signatures: Iterable[SignatureReport],
    *,
    issuer_agency: Agency | None,
    sender_agency: Agency | None,
    authenticity: Authenticity | None,
    from_address: str | None,
    issuer_name: str | None = None,
    signer_name: str | None = None,
    directory: Directory | None = None,
) -> LegalValue:
    """The legal value of one document (R4): `legal_assessment(...).value`."""
    return legal_assessment(
        signatures,
        issuer_agency=issuer_agency,
        sender_agency=sender_agency,
        authenticity=authenticity,
        from_address=from_address,
        issuer_name=issuer_name,
        signer_name=signer_name,
        directory=directory,
    ).value
