"""The edXML package of a register entry: `MessageHeader` from what was read and decided, the document
itself from the stored original (R20: the bytes as received), built anew for every attempt and identical
each time (the same `cid:`s, the same zip bytes), so a retried hand-off is the same package.

- `From`: the sending agency (directory: identifier code, name; the sender's address); `To`: us.
- `DocumentId`: `<sender OrganId>,<yyyy/MM/dd>,<CodeNumber>/<CodeNotation>` (EDXML.md). When the sender
  has no identifier in the directory its address stands in for it; when the number could not be read,
  our own document identifier (`<our code>.<year>.<số đến>`) does.
- `TraceHeaderList`: the sender's hop (its Date: header, a claim) when known, then ours with the official
  time of receipt (R13); `Bussiness` says new, revocation (R17) or replacement.
- Each PDF zipped then Base64, referenced by `cid:`; the original e-mail too when configured.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from gateway.config import AgencySettings
from gateway.edxml import (
    Attachment,
    Business,
    BusinessType,
    DocumentHeader,
    DocumentPackage,
    Organ,
    TraceHeader,
    document_xml,
)
from gateway.intake.spool import read_raw
from gateway.letter import parse_letter
from gateway.reading.vocab import BY_CODE
from gateway.register.backend import OutgoingPackage
from gateway.register.schema import DmsHandoffRow, LetterRow, RegisterEntryRow
from gateway.urgency import EDXML_PRIORITY
from gateway.vntime import aware

_CID_NAMESPACE = uuid.UUID("6f1d3c52-7a0e-4a55-9a43-2d7e3f0c1b13")  # cid:s derived from the bytes


@dataclass(frozen=True)
class PackageContext:
    agency: AgencySettings
    agency_email: str | None = None
    attach_original_email: bool = False


def type_name(doc_type: str | None) -> str:
    """The Vietnamese type name for TypeName (`quyet_dinh` → `Quyết định`); vendors' Type codes differ."""
    known = BY_CODE.get(doc_type or "")
    if known is None or doc_type == "other":
        return "Văn bản"
    return known.names[0].capitalize()


def split_notation(notation: str | None) -> tuple[str | None, str | None]:
    """`125/QĐ-STC` → (`125`, `QĐ-STC`); `12/2020/QĐ-UBND` → (`12`, `2020/QĐ-UBND`)."""
    if not notation or "/" not in notation:
        return None, notation
    number, _, rest = notation.partition("/")
    return (number.strip() or None), rest.strip() or None


def document_id_for(entry: RegisterEntryRow) -> str:
    organ = entry.sender_agency_code or entry.sender_address or "unknown"
    when: date = entry.document_date or aware(entry.official_received_at).date()
    code = entry.notation or f"SĐ-{entry.document_identifier or f'{entry.number}/{entry.year}'}"
    return f"{organ},{when:%Y/%m/%d},{code}"


def _due_date(deadline: str | None) -> date | None:
    if not deadline:
        return None
    try:
        return datetime.fromisoformat(deadline).date()
    except ValueError:
        try:
            return date.fromisoformat(deadline)
        except ValueError:
            return None


def entry_header(entry: RegisterEntryRow, ctx: PackageContext) -> DocumentHeader:
    metadata = (entry.verdict or {}).get("metadata") or {}
    number, notation = split_notation(entry.notation)
    places = tuple(metadata.get("recipients_electronic") or ()) + tuple(metadata.get("recipients_paper") or ())
    return DocumentHeader(
        from_=Organ(entry.sender_agency_code, entry.sender_name or entry.issuer, entry.sender_address),
        to=(Organ(ctx.agency.code, ctx.agency.name, ctx.agency_email),),
        document_id=document_id_for(entry),
        code_number=number,
        code_notation=notation,
        place=metadata.get("place"),
        promulgation_date=entry.document_date,
        type_name=type_name(entry.doc_type),
        subject=entry.subject,
        signer_competence=metadata.get("signing_authority"),
        signer_position=entry.signer_title,
        signer_full_name=entry.signer_name,
        due_date=_due_date(entry.deadline),
        priority=EDXML_PRIORITY.get(entry.urgency, 0),
        page_amount=entry.pages,
        to_places=places,
    )


def _traces(entry: RegisterEntryRow, ctx: PackageContext) -> tuple[TraceHeader, ...]:
    ours = TraceHeader(ctx.agency.code, aware(entry.official_received_at))
    if entry.sent_at is None:
        return (ours,)
    return (TraceHeader(entry.sender_agency_code, aware(entry.sent_at)), ours)


def _attachments(s: Session, entry: RegisterEntryRow, ctx: PackageContext) -> tuple[Attachment, ...]:
    raw = read_raw(s.get_one(LetterRow, entry.letter_id))
    files = []
    for att in parse_letter(raw).attachments:
        if att.sha256 == entry.document_sha256:
            cid = f"cid:{uuid.uuid5(_CID_NAMESPACE, att.sha256)}"
            files.append(Attachment(cid, entry.filename, att.data, att.media_type, entry.subject or entry.filename))
            break
    else:
        raise FileNotFoundError(f"document {entry.document_sha256[:12]} is not in its stored letter")
    if ctx.attach_original_email:
        cid = f"cid:{uuid.uuid5(_CID_NAMESPACE, 'eml:' + entry.document_sha256)}"
        files.append(Attachment(cid, "thu-dien-tu-goc.eml", raw, "message/rfc822", "Thư điện tử gốc"))
    return tuple(files)


def handoff_package(s: Session, row: DmsHandoffRow, ctx: PackageContext) -> OutgoingPackage:
    """The package of one hand-off: a new document, a revocation (R17) or a replacement."""
    entry = s.get_one(RegisterEntryRow, row.entry_id)
    header = entry_header(entry, ctx)
    if row.kind == "revocation":
        package = DocumentPackage(
            header, _traces(entry, ctx), Business(BusinessType.REVOCATION, row.reason, header.document_id)
        )
    elif row.kind == "replacement":
        old = s.get_one(RegisterEntryRow, row.related_entry_id)
        business = Business(BusinessType.REPLACEMENT, row.reason, document_id_for(old))
        package = DocumentPackage(header, _traces(entry, ctx), business, _attachments(s, entry, ctx))
    else:
        package = DocumentPackage(header, _traces(entry, ctx), Business(), _attachments(s, entry, ctx))
    name = f"{row.id:08d}-{row.kind}-{entry.year or 0}-{entry.number or 0}"
    return OutgoingPackage(row.kind, header.document_id, name, document_xml(package))
