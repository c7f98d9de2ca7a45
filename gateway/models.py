"""Typed values that flow between the pipeline's stages, and the verdict they add up to.

The verdict's shape is the one in DESIGN.md ("The verdict"): `verdict_to_dict` turns a `Verdict` into the
JSON object that `gateway check --json` prints and that every register entry stores.
Stages are plain functions from these values to these values; none of them does I/O.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


class Indication(enum.StrEnum):
    """ETSI EN 319 102-1 main status indication of one signature."""

    TOTAL_PASSED = "TOTAL_PASSED"
    INDETERMINATE = "INDETERMINATE"
    TOTAL_FAILED = "TOTAL_FAILED"


class LegalValue(enum.StrEnum):
    """What an e-document is worth legally (R4)."""

    EQUIVALENT_TO_PAPER = "equivalent_to_paper"  # a valid signature of the issuer (TTg Đ4.1)
    VALID_BY_ORIGIN = "valid_by_origin"  # registry-to-registry scan, origin proven (BG Đ4.1, KH Đ4.1b)
    REFERENCE_ONLY = "reference_only"  # for information only (TTg Đ4.2)


class Delivery(enum.StrEnum):
    """How a document must travel (R7–R12)."""

    ELECTRONIC_ONLY = "electronic_only"
    PAPER_ALSO = "paper_also"
    PAPER_ONLY = "paper_only"
    REFUSE = "refuse"


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    QUARANTINED = "quarantined"


class Source(enum.StrEnum):
    """How a letter came in (its intake)."""

    IMAP = "imap"  # fetched from an official mailbox; its copy there is filed once decided
    SMTP = "smtp"  # delivered to the gateway's SMTP listener
    FILE = "file"  # handed over as a file (tests, imports)


class LetterState(enum.StrEnum):
    """Where a letter is in its processing (the `letters` table)."""

    RECEIVED = "RECEIVED"  # stored; not yet decided
    REPLIED = "REPLIED"  # accepted, registered, reply queued; its mailbox copy still to be filed
    FILED = "FILED"  # accepted and nothing left to do
    REFUSED = "REFUSED"
    QUARANTINED = "QUARANTINED"


DECIDED_STATES = (LetterState.REPLIED, LetterState.REFUSED, LetterState.QUARANTINED, LetterState.FILED)


class Status(enum.StrEnum):
    """Register entry statuses (R16), as clerks name them."""

    ARRIVED = "đã đến"
    ACCEPTED = "đã tiếp nhận"
    FORWARDED = "đã chuyển xử lý"
    ASSIGNED = "đã phân công"
    IN_PROGRESS = "đang xử lý"
    DONE = "đã hoàn thành"
    REFUSED = "từ chối nhận"
    RECALL_REQUESTED = "đề nghị thu hồi"
    RECALLED = "thu hồi"
    DELETED = "xóa"


@dataclass(frozen=True)
class Reason:
    """Why a letter or document was refused or quarantined.

    `code` is a stable English identifier (templates and tests key on it); `message` is plain Vietnamese
    that a sending agency or a clerk can act on (R5).
    """

    code: str
    message: str


@dataclass(frozen=True)
class Authenticity:
    """Sender origin (R4): DKIM, SPF and the agency-directory match of the From address."""

    dkim: str = "none"  # pass | fail | none | temperror | permerror
    spf: str = "none"  # pass | fail | softfail | neutral | none (from a trusted Authentication-Results)
    directory_match: bool = False
    dkim_domain: str | None = None


@dataclass(frozen=True)
class Agency:
    """One entry of the agency directory (admin-edited)."""

    name: str
    code: str | None = None  # the 13-character identifier, four dot-separated groups (R16)
    mailboxes: tuple[str, ...] = ()  # registry mailbox addresses
    domains: tuple[str, ...] = ()
    certificate_subjects: tuple[str, ...] = ()  # organisation names as they appear in certificates
    electronic_capable: bool = True  # False: it lacks the technical means (R9b, R11)
    kind: str | None = None  # e.g. "government", "ministry", "province", "department"


@dataclass(frozen=True)
class LetterInfo:
    """The verdict's `letter` block."""

    message_id: str | None
    from_: str | None
    to: tuple[str, ...]
    subject: str | None
    date: datetime | None  # the sender's Date: header, a claim (R13)
    sender_agency: Agency | None = None
    authenticity: Authenticity = field(default_factory=Authenticity)


@dataclass(frozen=True)
class Reception:
    """When the letter entered our system and when it officially counts as received (R13, R14)."""

    received_at: datetime
    official_received_at: datetime
    after_hours: bool
    deadline: date | datetime | None = None


@dataclass(frozen=True)
class Safety:
    """What a PDF safety scan found (R6)."""

    encrypted: bool = False
    javascript: bool = False
    embedded_files: bool = False
    launch: bool = False
    xfa: bool = False
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signer:
    common_name: str | None = None
    organization: str | None = None
    organizational_unit: str | None = None
    serial_number: str | None = None
    issuer: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None


DOCUMENT_FIELD = "(document)"  # the pseudo-field of a report on a PDF whose signatures cannot be checked at all


@dataclass(frozen=True)
class SignatureReport:
    """One signature, reported the way EU DSS does (ETSI EN 319 102-1); see SIGNATURES.md."""

    field: str
    signer: Signer | None
    indication: Indication
    sub_indication: str | None
    intact: bool
    trusted: bool
    coverage: str | None
    modified_after_signing: bool
    claimed_signing_time: datetime | None  # what the signer's software wrote: a claim, never used to decide
    timestamp_time: datetime | None = None  # from a trusted timestamp token, if any
    revocation_checked: bool = True
    sub_filter: str | None = None
    problems: tuple[str, ...] = ()
    weak_algorithm: str | None = None  # "SHA-1" when the trust policy accepted it: shown as "thuật toán yếu"
    claimed_time_shifted: bool = False  # the claimed time is Vietnam local time written as UTC (7 h off)
    validated_at: datetime | None = None  # when the chain was validated: the trusted timestamp, or the check


@dataclass(frozen=True)
class CopyBlock:
    """The copying agency's block on a copy (sao y, trích sao, sao lục; Nghị định 30/2020 Phụ lục I, IV)."""

    kind: str  # sao_y | trich_sao | sao_luc
    issuer: str | None = None  # the copying agency
    number: str | None = None  # the copy's own number, e.g. "512/SY-VPUBND"
    date: date | None = None
    place: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    signing_authority: str | None = None
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metadata:
    """Official-document metadata read from the document (R16; Nghị định 30/2020 layout)."""

    issuer: str | None = None
    parent_issuer: str | None = None
    number: str | None = None  # số và ký hiệu, e.g. "1123/QĐ-UBND"
    doc_type: str | None = None  # code from DESIGN.md, e.g. "quyet_dinh"
    legal_normative: bool = False
    date: date | None = None
    place: str | None = None
    subject: str | None = None
    urgency: str | None = None  # khan | thuong_khan | hoa_toc
    secrecy: str | None = None  # mat | toi_mat | tuyet_mat
    signer_name: str | None = None
    signer_title: str | None = None
    signing_authority: str | None = None  # TM. | KT. | TL. | TUQ. | Q.
    recipients_paper: tuple[str, ...] = ()  # under "Nơi nhận:" (R12)
    recipients_electronic: tuple[str, ...] = ()  # under "Bản điện tử:" (R12)
    addressees: tuple[str, ...] = ()  # under "Kính gửi:" or "… điện:" (R9d, R10: e.g. the Government, the PM)
    copy_kind: str | None = None  # sao_y | trich_sao | sao_luc, for copies
    copy_block: CopyBlock | None = None  # the copying agency's block; the fields above are the original's
    text_source: str | None = None  # text_layer | ocr | none
    mismatches: tuple[str, ...] = ()  # differences between the letter and the document
    # Where each non-empty field came from: text_layer | ocr (the document), signature_stamp (the visible
    # text of a digital signature), letter_subject | letter_body (the covering e-mail), attachment_name
    # (the file name, e.g. `299 UB.signed.pdf` for a handwritten 299); an OCR'd field whose words a second
    # source mended names both (`ocr+letter_subject`, `ocr+attachment_name`).
    field_sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """What the rules decided for one document, and why (R7–R12)."""

    delivery: Delivery
    rule: str
    basis: str
    explanation: str
    template: str | None = None
    register_note: str | None = None


@dataclass(frozen=True)
class DocumentVerdict:
    filename: str
    sha256: str
    media_type: str
    size: int
    pages: int | None = None
    has_text_layer: bool | None = None
    safety: Safety = field(default_factory=Safety)
    signatures: tuple[SignatureReport, ...] = ()
    legal_value: LegalValue = LegalValue.REFERENCE_ONLY
    legal_basis: str | None = None  # the signature field the legal value rests on, "origin", or None (R4)
    signature_roles: tuple[tuple[str, str], ...] = ()  # (field, issuer | issuer_signer | publisher | …)
    metadata: Metadata = field(default_factory=Metadata)
    decision: Decision | None = None
    acceptable: bool = True
    reasons: tuple[Reason, ...] = ()
    editable: bool = False  # .doc/.docx/.odt: registered, flagged as an unsigned editable copy (R2)


@dataclass(frozen=True)
class VerdictSource:
    kind: str  # eml | pdf
    sha256: str


@dataclass(frozen=True)
class Verdict:
    source: VerdictSource
    letter: LetterInfo | None
    reception: Reception
    documents: tuple[DocumentVerdict, ...]
    outcome: Outcome
    reasons: tuple[Reason, ...] = ()


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {_key(f.name): _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _key(name: str) -> str:
    # `from` is a Python keyword: the dataclass says from_, the JSON says from.
    return name[:-1] if name.endswith("_") else name


def to_jsonable(value: Any) -> Any:
    """Any model value (dataclass, enum, date, tuple…) as plain JSON-ready Python data."""
    return _jsonable(value)


def verdict_to_dict(verdict: Verdict, *, documents: list[Any] | None = None) -> dict[str, Any]:
    """The verdict as the JSON object of DESIGN.md; `documents`: its documents made JSON-ready already
    (`to_jsonable` of each), not made again."""
    if documents is None:
        return _jsonable(verdict)
    return {
        _key(f.name): documents if f.name == "documents" else _jsonable(getattr(verdict, f.name))
        for f in dataclasses.fields(verdict)
    }
