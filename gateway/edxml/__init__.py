"""edXML (QCVN 102:2016/BTTTT): the packages the agency's DMS speaks — model, writer, reader and schema.

`write.document_xml` / `write.status_xml` write packages; `read.read_package` reads ours and the variants
of other systems; `validate` checks bytes against `edxml.rng`, the schema of what we write.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from gateway.edxml.model import (
    NS,
    STATUS_NAMES,
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
from gateway.edxml.read import PackageError, ReadDocument, ReadStatus, parse_xml, read_package
from gateway.edxml.write import document_xml, edxml_date, edxml_timestamp, status_xml

SCHEMA = Path(__file__).resolve().parent / "edxml.rng"


@cache
def _schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def schema_errors(data: bytes) -> list[str]:
    """Why `data` does not match the schema of what the gateway writes; empty when it does."""
    try:
        root = parse_xml(data)
    except PackageError as exc:
        return [str(exc)]
    schema = _schema()
    if schema.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


__all__ = [
    "NS",
    "SCHEMA",
    "STATUS_NAMES",
    "Attachment",
    "Business",
    "BusinessType",
    "DocumentHeader",
    "DocumentPackage",
    "Organ",
    "PackageError",
    "ReadDocument",
    "ReadStatus",
    "ResponseFor",
    "StatusPackage",
    "TraceHeader",
    "document_xml",
    "edxml_date",
    "edxml_timestamp",
    "read_package",
    "schema_errors",
    "status_xml",
]
