"""The edXML package (QCVN 102:2016/BTTTT) as typed values: what the writer takes and the reader gives back.

Field names follow the standard's element names (`../shared/docs/EDXML.md`); a document package carries a
`MessageHeader` (the document's metadata), a `TraceHeaderList` (the hops, and the business kind: new,
revocation, update, replacement) and its files; a status package answers one document with a status code.
Times are aware datetimes (written in Vietnam time), dates plain dates.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


class BusinessType(enum.IntEnum):
    """`Bussiness/BussinessDocType` (sic): what a document package does to the receiver's copy."""

    NEW = 0
    REVOCATION = 1  # thu hồi (R17)
    UPDATE = 2
    REPLACEMENT = 3  # thay thế


# Status codes of QCVN 102 status packages and what they mean (EDXML.md "Status packages").
STATUS_NAMES = {
    "01": "đã đến",
    "02": "từ chối tiếp nhận",
    "03": "đã tiếp nhận",
    "04": "đã phân công",
    "05": "đang xử lý",
    "06": "đã xử lý xong",
    "13": "thu hồi",
    "15": "đồng ý thu hồi/cập nhật",
    "16": "từ chối thu hồi/cập nhật",
}


@dataclass(frozen=True)
class Organ:
    """`From` / `To`: an agency, known by its identifier code (mã định danh)."""

    organ_id: str | None
    name: str | None = None
    email: str | None = None
    organization_in_charge: str | None = None
    address: str | None = None
    telephone: str | None = None
    fax: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class Attachment:
    """One file of a package: `data` is the file itself (the writer zips it, then Base64)."""

    content_id: str  # "cid:<uuid>", referenced from the manifest
    name: str
    data: bytes
    content_type: str = "application/pdf"  # of the file inside the zip
    description: str | None = None


@dataclass(frozen=True)
class TraceHeader:
    organ_id: str | None
    timestamp: datetime | None


@dataclass(frozen=True)
class Business:
    doc_type: BusinessType = BusinessType.NEW
    reason: str | None = None  # BussinessDocReason: why a document is revoked or replaced
    document_id: str | None = None  # the document this one revokes or replaces


@dataclass(frozen=True)
class DocumentHeader:
    """`MessageHeader` of a document package, in the order vendor libraries write it."""

    from_: Organ
    to: tuple[Organ, ...]
    document_id: str
    code_number: str | None = None
    code_notation: str | None = None
    place: str | None = None
    promulgation_date: date | None = None
    type_code: str | None = None  # vendors' numeric codes differ; TypeName is the reliable one
    type_detail: str | None = None
    type_name: str | None = None
    subject: str | None = None
    content: str | None = None
    signer_competence: str | None = None
    signer_position: str | None = None
    signer_full_name: str | None = None
    due_date: date | None = None
    priority: int = 0  # 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ
    page_amount: int | None = None
    to_places: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentPackage:
    header: DocumentHeader
    traces: tuple[TraceHeader, ...] = ()
    business: Business = field(default_factory=Business)
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class ResponseFor:
    """The document a status package answers."""

    organ_id: str | None
    code: str | None
    promulgation_date: date | None
    document_id: str | None


@dataclass(frozen=True)
class StatusPackage:
    """A status package's `MessageHeader`: From, ResponseFor, StaffInfo, StatusCode, Description, Timestamp."""

    from_: Organ
    response_for: ResponseFor
    status_code: str
    description: str | None = None
    timestamp: datetime | None = None
    department: str | None = None  # StaffInfo
    staff: str | None = None
    arrival_number: str | None = None  # the DMS's own incoming number (số đến), when it assigns one
