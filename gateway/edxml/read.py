"""Reading edXML packages: what we write, and the variants other systems write (EDXML.md).

- Elements are found by local name, case-insensitively, whatever namespace they are in: the default
  namespace on the root, an `edXML:` prefix on the envelope, the `http://www.go.vn/eDoc` variant with
  `EdXMLEnvelope` and inline attachments all read the same.
- Manifest references are taken only under `edXMLBody/edXMLManifest` (an unprefixed `Signature` inherits
  the namespace and has `Reference`s of its own).
- Dates `yyyy/MM/dd` (ours), `dd/MM/yyyy`, ISO; timestamps with either date order. An empty date is None;
  one that cannot be a date (`2014/02/30`) is None and named in `problems` — never a failure.
- Attachments are decided by their first bytes (`PK` a zip, `%PDF` a PDF), not by `ContentType`; a
  truncated zip or a damaged PDF is reported on the attachment instead of failing the package.
- A file that is not well-formed XML (stray text before `<?xml`, an unbound prefix) or that carries a DTD
  is refused with `PackageError` and the reason.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from gateway.edxml.model import (
    Attachment,
    Business,
    BusinessType,
    DocumentHeader,
    DocumentPackage,
    Organ,
    ResponseFor,
    StatusPackage,
    TraceHeader,
)
from gateway.vntext import nfc
from gateway.vntime import VN_TZ


class PackageError(ValueError):
    """The bytes are not an edXML package we can read; the message says why."""


@dataclass(frozen=True)
class ReadAttachment:
    content_id: str | None
    name: str | None
    declared_type: str | None
    description: str | None
    kind: str  # zip | pdf | other | empty
    data: bytes | None  # the file (unzipped when it came zipped); None when it could not be read
    problem: str | None = None


@dataclass(frozen=True)
class ReadDocument:
    package: DocumentPackage  # with the attachments that could be read
    attachments: tuple[ReadAttachment, ...]
    references: tuple[str, ...]  # the manifest's ContentIds
    namespace: str | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadStatus:
    status: StatusPackage
    namespace: str | None
    problems: tuple[str, ...] = ()


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname.lower() if isinstance(el.tag, str) else ""


def _child(el: etree._Element | None, name: str) -> etree._Element | None:
    if el is None:
        return None
    name = name.lower()
    return next((c for c in el if _local(c) == name), None)


def _children(el: etree._Element | None, name: str) -> list[etree._Element]:
    if el is None:
        return []
    name = name.lower()
    return [c for c in el if _local(c) == name]


def _descendant(el: etree._Element | None, name: str) -> etree._Element | None:
    if el is None:
        return None
    name = name.lower()
    return next((d for d in el.iter() if _local(d) == name), None)


def _first(*elements: etree._Element | None) -> etree._Element | None:
    """The first element that exists (an lxml element without children is falsy: never use `or`)."""
    return next((e for e in elements if e is not None), None)


def _text(el: etree._Element | None, *path: str) -> str | None:
    for name in path:
        el = _child(el, name)
    if el is None or el.text is None:
        return None
    value = nfc(el.text).strip()
    return value or None


_DATE_FORMATS = ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")
_TIME_FORMATS = (*(f"{d} %H:%M:%S" for d in _DATE_FORMATS), "%Y-%m-%dT%H:%M:%S")


def parse_date(value: str | None, what: str, problems: list[str]) -> date | None:
    if not value:
        return None
    head = value.strip().split(" ")[0].split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    problems.append(f"{what}: {value!r} is not a date")
    return None


def parse_timestamp(value: str | None, what: str, problems: list[str]) -> datetime | None:
    if not value:
        return None
    text = value.strip()
    try:
        t = datetime.fromisoformat(text)
        return t if t.tzinfo else t.replace(tzinfo=VN_TZ)
    except ValueError:
        pass
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    day = parse_date(text, what, problems)  # a bare date where a timestamp belongs
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ) if day else None


def _int(value: str | None, what: str, problems: list[str]) -> int | None:
    if not value:
        return None
    if re.fullmatch(r"\s*\d+\s*", value):
        return int(value)
    problems.append(f"{what}: {value!r} is not a whole number")
    return None


def parse_xml(data: bytes) -> etree._Element:
    """The root element, or `PackageError` saying why the bytes are not a package we read."""
    head = data[:65536]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise PackageError("the file declares a DTD or entities, which edXML packages never need")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"not well-formed XML: {exc}") from exc


def _organ(el: etree._Element | None) -> Organ:
    return Organ(
        organ_id=_text(el, "OrganId"),
        name=_text(el, "OrganName"),
        email=_text(el, "Email"),
        organization_in_charge=_text(el, "OrganizationInCharge"),
        address=_text(el, "OrganAdd"),
        telephone=_text(el, "Telephone"),
        fax=_text(el, "Fax"),
        website=_text(el, "Website"),
    )


def read_package(data: bytes) -> ReadDocument | ReadStatus:
    """A document package or a status package (it has a `StatusCode`); `PackageError` if neither."""
    root = parse_xml(data)
    namespace = etree.QName(root).namespace
    header = _descendant(root, "MessageHeader")
    if header is None:
        raise PackageError(f"no MessageHeader in <{etree.QName(root).localname}>: not an edXML package")
    if _child(header, "StatusCode") is not None:
        return _status(header, namespace)
    return _document(root, header, namespace)


def _status(mh: etree._Element, namespace: str | None) -> ReadStatus:
    problems: list[str] = []
    rf = _child(mh, "ResponseFor")
    code = _text(mh, "StatusCode") or ""
    if not re.fullmatch(r"\d{1,2}", code):
        problems.append(f"StatusCode: {code!r} is not a status code")
    staff = _child(mh, "StaffInfo")
    status = StatusPackage(
        from_=_organ(_child(mh, "From")),
        response_for=ResponseFor(
            organ_id=_text(rf, "OrganId"),
            code=_text(rf, "Code"),
            promulgation_date=parse_date(_text(rf, "PromulgationDate"), "ResponseFor/PromulgationDate", problems),
            document_id=_text(rf, "DocumentId"),
        ),
        status_code=code.zfill(2) if code.isdigit() else code,
        description=_text(mh, "Description"),
        timestamp=parse_timestamp(_text(mh, "Timestamp"), "Timestamp", problems),
        department=_text(staff, "Department"),
        staff=_text(staff, "Staff"),
        arrival_number=_text(mh, "ArrivalNumber"),
    )
    if rf is None or not (status.response_for.document_id or status.response_for.code):
        problems.append("ResponseFor: names no document (DocumentId or Code)")
    return ReadStatus(status, namespace, tuple(problems))


def _business(traces: etree._Element | None, problems: list[str]) -> Business:
    el = _first(_child(traces, "Bussiness"), _child(traces, "Business"))
    if el is None:
        return Business()
    raw = _text(el, "BussinessDocType") or _text(el, "BusinessDocType")
    kind = _int(raw, "BussinessDocType", problems)
    try:
        doc_type = BusinessType(kind if kind is not None else 0)
    except ValueError:
        problems.append(f"BussinessDocType: {raw!r} is not 0, 1, 2 or 3")
        doc_type = BusinessType.NEW
    return Business(
        doc_type=doc_type,
        reason=_text(el, "BussinessDocReason") or _text(el, "BusinessDocReason"),
        document_id=_text(el, "DocumentId"),
    )


def _document(root: etree._Element, mh: etree._Element, namespace: str | None) -> ReadDocument:
    problems: list[str] = []
    code = _child(mh, "Code")
    info = _child(mh, "PromulgationInfo")
    doc_type = _child(mh, "DocumentType")
    signer = _child(mh, "SignerInfo")
    other = _child(mh, "OtherInfo")
    document_id = _text(mh, "DocumentId")
    if not document_id:
        problems.append("DocumentId: missing")
    header = DocumentHeader(
        from_=_organ(_child(mh, "From")),
        to=tuple(_organ(el) for el in _children(mh, "To")),
        document_id=document_id or "",
        code_number=_text(code, "CodeNumber"),
        code_notation=_text(code, "CodeNotation"),
        place=_text(info, "Place"),
        promulgation_date=parse_date(_text(info, "PromulgationDate"), "PromulgationDate", problems),
        type_code=_text(doc_type, "Type"),
        type_detail=_text(doc_type, "TypeDetail"),
        type_name=_text(doc_type, "TypeName"),
        subject=_text(mh, "Subject"),
        content=_text(mh, "Content"),
        signer_competence=_text(signer, "Competence"),
        signer_position=_text(signer, "Position"),
        signer_full_name=_text(signer, "FullName"),
        due_date=parse_date(_text(mh, "DueDate"), "DueDate", problems),
        priority=_int(_text(other, "Priority"), "Priority", problems) or 0,
        page_amount=_int(_text(other, "PageAmount"), "PageAmount", problems),
        to_places=tuple(p for el in _children(_child(mh, "ToPlaces"), "Place") if (p := _text(el)) is not None),
    )
    traces_el = _descendant(root, "TraceHeaderList")
    traces = tuple(
        TraceHeader(_text(th, "OrganId"), parse_timestamp(_text(th, "Timestamp"), "TraceHeader/Timestamp", problems))
        for th in _children(traces_el, "TraceHeader")
    )
    manifest = _first(_child(_descendant(root, "edXMLBody"), "edXMLManifest"), _descendant(root, "Manifest"))
    references = tuple(r for ref in _children(manifest, "Reference") if (r := _text(ref, "ContentId")) is not None)
    read = tuple(_attachment(el) for el in root.iter() if _local(el) == "attachment")
    for cid in references:
        if not any(a.content_id == cid for a in read):
            problems.append(f"manifest reference {cid} has no attachment")
    attachments = tuple(
        Attachment(a.content_id or "", a.name or "attachment", a.data, _media_type(a), a.description)
        for a in read
        if a.data is not None
    )
    package = DocumentPackage(header, traces, _business(traces_el, problems), attachments)
    return ReadDocument(package, read, references, namespace, tuple(problems))


def _attachment(el: etree._Element) -> ReadAttachment:
    def field(name: str) -> str | None:
        return _text(el, name) or (nfc(v).strip() or None if (v := el.get(name)) is not None else None)

    cid, name, declared = field("ContentId"), field("AttachmentName"), field("ContentType")
    desc = field("Description")
    holder = _child(el, "ContentTransferEncoded")
    encoded = (holder.text if holder is not None else el.text) or ""
    try:
        raw = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        return ReadAttachment(cid, name, declared, desc, "other", None, f"not Base64: {exc}")
    if not raw:
        return ReadAttachment(cid, name, declared, desc, "empty", None, "no content")
    if raw.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                entries = [i for i in archive.infolist() if not i.is_dir()]
                if not entries:
                    return ReadAttachment(cid, name, declared, desc, "zip", None, "the zip is empty")
                data = archive.read(entries[0])
                inner = entries[0].filename
        except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as exc:
            return ReadAttachment(cid, name, declared, desc, "zip", None, f"truncated or damaged zip: {exc}")
        return ReadAttachment(cid, name or inner, declared, desc, "zip", data, _pdf_problem(data))
    if raw.startswith(b"%PDF"):
        return ReadAttachment(cid, name, declared, desc, "pdf", raw, _pdf_problem(raw))
    return ReadAttachment(cid, name, declared, desc, "other", raw, None)


def _media_type(a: ReadAttachment) -> str:
    """What the file is, by its bytes: `ContentType` often does not match them."""
    if a.data is not None and a.data.startswith(b"%PDF"):
        return "application/pdf"
    return a.declared_type if a.declared_type and a.declared_type != "application/zip" else "application/octet-stream"


def _pdf_problem(data: bytes) -> str | None:
    if data.startswith(b"%PDF") and b"%%EOF" not in data[-2048:]:
        return "damaged PDF: no %%EOF at its end (truncated?)"
    return None
