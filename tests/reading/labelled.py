"""The labelled set (documents.toml, seed_texts.toml): loading, rendering, scoring.

Shared by the tests and bench/bench_reading.py, so both score exactly the same way: a field is right
when it equals its label exactly (strings NFC, dates ISO, lists in order).
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gateway.models import Metadata, to_jsonable
from gateway.samples.render import CopyBlock, SampleDoc, render_document, render_scan

HERE = Path(__file__).parent

FIELDS = (
    "issuer",
    "parent_issuer",
    "number",
    "doc_type",
    "legal_normative",
    "date",
    "place",
    "subject",
    "urgency",
    "secrecy",
    "signer_name",
    "signer_title",
    "signing_authority",
    "recipients_paper",
    "recipients_electronic",
    "addressees",
    "copy_kind",
)
_LISTS = ("recipients_paper", "recipients_electronic", "addressees", "recipients")
COPY_FIELDS = (
    "kind",
    "issuer",
    "number",
    "date",
    "place",
    "signer_name",
    "signer_title",
    "signing_authority",
    "recipients",
)


@dataclass(frozen=True, eq=False)
class Case:
    id: str
    expect: dict[str, Any]
    sample: SampleDoc | None = None
    first_page: str | None = None
    last_page: str | None = None
    scan: bool = False  # in the quick OCR subset pytest runs
    ocr: bool = True  # in the scanned set at all
    copy_expect: dict[str, Any] | None = field(default=None)


def _nfd(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, list):
        return [_nfd(v) for v in value]
    return value


def _sample(table: dict[str, Any], nfd: bool) -> SampleDoc:
    kwargs = dict(table)
    if kwargs.get("date") == "blank":
        kwargs["date"] = None
    copy = kwargs.pop("copy", None)
    if nfd:
        kwargs = {k: _nfd(v) for k, v in kwargs.items()}
    for key, value in list(kwargs.items()):
        if isinstance(value, list):
            kwargs[key] = tuple(value)
    if copy is not None:
        copy = {k: tuple(v) if isinstance(v, list) else v for k, v in copy.items()}
        kwargs["copy"] = CopyBlock(**copy)
    return SampleDoc(**kwargs)


def check_labels(table: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    table = dict(table)
    copy = table.pop("copy_block", None)
    unknown = set(table) - set(FIELDS)  # a typo in a label must not pass as "expected empty"
    if unknown:
        raise ValueError(f"unknown labels: {sorted(unknown)}")
    return table, copy


@functools.cache
def documents() -> tuple[Case, ...]:
    """The rendered set: specs and labels from documents.toml."""
    data = tomllib.loads((HERE / "documents.toml").read_text(encoding="utf-8"))
    cases = []
    for doc in data["doc"]:
        expect, copy = check_labels(doc["expect"])
        sample = _sample(doc["sample"], doc.get("nfd", False))
        cases.append(
            Case(
                doc["id"],
                expect,
                sample=sample,
                scan=doc.get("scan", False),
                ocr=doc.get("ocr", True),
                copy_expect=copy,
            )
        )
    return tuple(cases)


@functools.cache
def seed_texts() -> tuple[Case, ...]:
    """The real regulations' extracted text: seed_texts.toml."""
    data = tomllib.loads((HERE / "seed_texts.toml").read_text(encoding="utf-8"))
    cases = []
    for doc in data["doc"]:
        expect, copy = check_labels(doc["expect"])
        cases.append(
            Case(doc["id"], expect, first_page=doc["first_page"], last_page=doc["last_page"], copy_expect=copy)
        )
    return tuple(cases)


def pdf(case: Case) -> bytes:
    """The born-digital PDF of a case (rendered once per process)."""
    return _pdf(case.id)


def scan(case: Case) -> bytes:
    """Its 200-dpi scan: noise, skew, hand signature and red seal; seeded by the case id."""
    return _scan(case.id)


@functools.cache
def _pdf(case_id: str) -> bytes:
    sample = next(c.sample for c in documents() if c.id == case_id)
    assert sample is not None
    return render_document(sample)


@functools.cache
def _scan(case_id: str) -> bytes:
    return render_scan(_pdf(case_id), seed=sum(map(ord, case_id)))


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def expected(case: Case) -> dict[str, Any]:
    out = {}
    for name in FIELDS:
        default: Any = [] if name in _LISTS else (False if name == "legal_normative" else None)
        out[name] = _plain(case.expect.get(name, default))
    return out


def actual(meta: Metadata) -> dict[str, Any]:
    return {name: _plain(getattr(meta, name)) for name in FIELDS}


def score(meta: Metadata, case: Case) -> dict[str, bool]:
    """Per field: does the reading equal the label?"""
    want, got = expected(case), actual(meta)
    return {name: want[name] == got[name] for name in FIELDS}


def copy_differences(meta: Metadata, case: Case) -> dict[str, tuple[Any, Any]]:
    """Fields of the copy block that differ from the labels: {field: (expected, got)}."""
    if case.copy_expect is None:
        return {} if meta.copy_block is None else {"copy_block": (None, to_jsonable(meta.copy_block))}
    if meta.copy_block is None:
        return {"copy_block": (case.copy_expect, None)}
    got = {f.name: _plain(getattr(meta.copy_block, f.name)) for f in dataclasses.fields(meta.copy_block)}
    out = {}
    for name in COPY_FIELDS:
        want = _plain(case.copy_expect.get(name, [] if name in _LISTS else None))
        if want != got[name]:
            out[name] = (want, got[name])
    return out
