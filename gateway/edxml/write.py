"""Writing edXML packages (QCVN 102:2016): a document package and a status package, as UTF-8 XML bytes.

Every element is in the edXML namespace (bound as the default namespace on the root, which is the same
document as the prefixed form vendor libraries write). Dates are `yyyy/MM/dd`, timestamps
`yyyy/MM/dd HH:mm:ss` in Vietnam time (EDXML.md); text is NFC. Each file is zipped (one entry, fixed
time stamp, so the same file gives the same bytes on every retry), then Base64, and referenced from the
manifest by its `cid:`. `gateway/edxml/edxml.rng` is the schema of what this module writes.
"""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import date, datetime

from lxml import etree

from gateway.edxml.model import NS, Attachment, DocumentPackage, Organ, StatusPackage
from gateway.vntext import nfc
from gateway.vntime import VN_TZ, aware

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def edxml_date(d: date | None) -> str:
    return f"{d:%Y/%m/%d}" if d else ""


def edxml_timestamp(t: datetime | None) -> str:
    return f"{aware(t).astimezone(VN_TZ):%Y/%m/%d %H:%M:%S}" if t else ""


def zip_file(name: str, data: bytes) -> bytes:
    """`data` as the only entry `name` of a zip archive; the same input gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        archive.writestr(info, data)
    return buffer.getvalue()


def _el(parent: etree._Element, name: str, text: str | int | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        child.text = nfc(str(text))
    return child


def _organ(parent: etree._Element, name: str, organ: Organ) -> None:
    el = _el(parent, name)
    _el(el, "OrganId", organ.organ_id or "")
    _el(el, "OrganizationInCharge", organ.organization_in_charge or "")
    _el(el, "OrganName", organ.name or "")
    _el(el, "OrganAdd", organ.address or "")
    _el(el, "Email", organ.email or "")
    _el(el, "Telephone", organ.telephone or "")
    _el(el, "Fax", organ.fax or "")
    _el(el, "Website", organ.website or "")


def _root() -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{NS}}}edXML", nsmap={None: NS})
    envelope = _el(root, "edXMLEnvelope")
    return root, envelope


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def document_xml(package: DocumentPackage) -> bytes:
    """The document package as XML bytes."""
    h = package.header
    root, envelope = _root()
    header = _el(envelope, "edXMLHeader")
    mh = _el(header, "MessageHeader")
    _organ(mh, "From", h.from_)
    for to in h.to:
        _organ(mh, "To", to)
    _el(mh, "DocumentId", h.document_id)
    code = _el(mh, "Code")
    _el(code, "CodeNumber", h.code_number or "")
    _el(code, "CodeNotation", h.code_notation or "")
    info = _el(mh, "PromulgationInfo")
    _el(info, "Place", h.place or "")
    _el(info, "PromulgationDate", edxml_date(h.promulgation_date))
    doc_type = _el(mh, "DocumentType")
    _el(doc_type, "Type", h.type_code or "")
    _el(doc_type, "TypeDetail", h.type_detail or "")
    _el(doc_type, "TypeName", h.type_name or "")
    _el(mh, "Subject", h.subject or "")
    _el(mh, "Content", h.content or "")
    signer = _el(mh, "SignerInfo")
    _el(signer, "Competence", h.signer_competence or "")
    _el(signer, "Position", h.signer_position or "")
    _el(signer, "FullName", h.signer_full_name or "")
    _el(mh, "DueDate", edxml_date(h.due_date))
    other = _el(mh, "OtherInfo")
    _el(other, "Priority", h.priority)
    _el(other, "PageAmount", h.page_amount if h.page_amount is not None else "")
    places = _el(mh, "ToPlaces")
    for place in h.to_places:
        _el(places, "Place", place)
    traces = _el(header, "TraceHeaderList")
    business = _el(traces, "Bussiness")
    _el(business, "BussinessDocType", int(package.business.doc_type))
    _el(business, "BussinessDocReason", package.business.reason or "")
    if package.business.document_id:
        _el(business, "DocumentId", package.business.document_id)
    for trace in package.traces:
        th = _el(traces, "TraceHeader")
        _el(th, "OrganId", trace.organ_id or "")
        _el(th, "Timestamp", edxml_timestamp(trace.timestamp))
    manifest = _el(_el(envelope, "edXMLBody"), "edXMLManifest")
    manifest.set("version", "1.0")
    encoded = _el(root, "AttachmentEncoded")
    for att in package.attachments:
        _reference(manifest, att)
        _attachment(encoded, att)
    return _bytes(root)


def _reference(manifest: etree._Element, att: Attachment) -> None:
    ref = _el(manifest, "Reference")
    _el(ref, "ContentId", att.content_id)
    _el(ref, "ContentType", "application/zip")
    _el(ref, "AttachmentName", att.name)
    _el(ref, "Description", att.description or att.name)


def _attachment(encoded: etree._Element, att: Attachment) -> None:
    el = _el(encoded, "Attachment")
    _el(el, "ContentId", att.content_id)
    _el(el, "AttachmentName", att.name)
    _el(el, "Description", att.description or att.name)
    _el(el, "ContentType", "application/zip")
    # Base64 is ASCII; set directly (no NFC pass over megabytes of it).
    etree.SubElement(el, f"{{{NS}}}ContentTransferEncoded").text = base64.b64encode(
        zip_file(att.name, att.data)
    ).decode("ascii")


def status_xml(status: StatusPackage) -> bytes:
    """A status package as XML bytes (what a DMS sends back about a document)."""
    root, envelope = _root()
    mh = _el(_el(envelope, "edXMLHeader"), "MessageHeader")
    _organ(mh, "From", status.from_)
    rf = _el(mh, "ResponseFor")
    _el(rf, "OrganId", status.response_for.organ_id or "")
    _el(rf, "Code", status.response_for.code or "")
    _el(rf, "PromulgationDate", edxml_date(status.response_for.promulgation_date))
    _el(rf, "DocumentId", status.response_for.document_id or "")
    staff = _el(mh, "StaffInfo")
    _el(staff, "Department", status.department or "")
    _el(staff, "Staff", status.staff or "")
    _el(mh, "StatusCode", status.status_code)
    _el(mh, "Description", status.description or "")
    _el(mh, "Timestamp", edxml_timestamp(status.timestamp))
    if status.arrival_number:
        _el(mh, "ArrivalNumber", status.arrival_number)
    return _bytes(root)
