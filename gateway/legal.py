"""Legal value of one e-document (R4): pure functions over the signature reports and the sender's origin.

- `equivalent_to_paper` (TTg Đ4.1): at least one TOTAL_PASSED signature of the issuing agency — its
  certificate's OU/O/CN is one of the issuer's certificate subjects (or, when the issuer is not in the
  directory, the issuer's name as read from the document) — or of its signer: the certificate's CN is the
  signer named in the document and the certificate names no other organisation.
- `valid_by_origin` (BG Đ4.1, KH Đ4.1b): no valid signature of the issuer, but the letter came from one of
  the issuing agency's registry mailboxes, with DKIM passing for a domain aligned with From. Never when a
  signature on the document failed (TOTAL_FAILED) or its certificate was revoked: a tampered or revoked
  document is not rescued by its envelope.
- otherwise `reference_only` (TTg Đ4.2).

Which legal values a letter needs to be accepted is configuration (`Settings.accepted_legal_values`).
"""

from __future__ import annotations

from collections.abc import Iterable

from gateway.authenticity import dkim_aligned
from gateway.directory import address_of, agency_matches_signer, name_key, signer_names
from gateway.models import Agency, Authenticity, Indication, LegalValue, SignatureReport, Signer

_REVOKED = frozenset({"REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"})


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
    if signer is None:
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


def legal_value(
    signatures: Iterable[SignatureReport],
    *,
    issuer_agency: Agency | None,
    sender_agency: Agency | None,
    authenticity: Authenticity | None,
    from_address: str | None,
    issuer_name: str | None = None,
    signer_name: str | None = None,
) -> LegalValue:
    """The legal value of one document (R4); see the module docstring. `authenticity` None: a bare PDF."""
    reports = tuple(signatures)
    for report in reports:
        if report.indication == Indication.TOTAL_PASSED and signed_by_issuer(
            report, issuer_agency=issuer_agency, issuer_name=issuer_name, signer_name=signer_name
        ):
            return LegalValue.EQUIVALENT_TO_PAPER
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
        return LegalValue.VALID_BY_ORIGIN
    return LegalValue.REFERENCE_ONLY
