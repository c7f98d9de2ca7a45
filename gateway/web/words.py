"""A stored verdict in words for the clerk (entry and letter pages): the JSON kept with each entry and letter
back to `gateway.wording`'s sentences, so that the web says exactly what the replies say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gateway.models import Indication, SignatureReport, Signer
from gateway.wording import DELIVERY_VI, LEGAL_VALUE_VI, reason_label, signature_sentence


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def signature_report(d: dict[str, Any]) -> SignatureReport:
    """A `SignatureReport` from its JSON form in a stored verdict."""
    signer = d.get("signer")
    return SignatureReport(
        field=d["field"],
        signer=Signer(
            **{**signer, "not_before": _time(signer.get("not_before")), "not_after": _time(signer.get("not_after"))}
        )
        if signer
        else None,
        indication=Indication(d["indication"]),
        sub_indication=d.get("sub_indication"),
        intact=bool(d.get("intact")),
        trusted=bool(d.get("trusted")),
        coverage=d.get("coverage"),
        modified_after_signing=bool(d.get("modified_after_signing")),
        claimed_signing_time=_time(d.get("claimed_signing_time")),
        timestamp_time=_time(d.get("timestamp_time")),
        revocation_checked=d.get("revocation_checked", True),
        sub_filter=d.get("sub_filter"),
        problems=tuple(d.get("problems", ())),
    )


@dataclass(frozen=True)
class Reasoned:
    label: str
    message: str


@dataclass(frozen=True)
class DocumentWords:
    signatures: tuple[str, ...]
    legal_value: str
    delivery: str
    rule: str | None
    basis: str | None
    explanation: str | None
    reasons: tuple[Reasoned, ...]


def reasons(items: list[dict[str, Any]]) -> tuple[Reasoned, ...]:
    return tuple(Reasoned(reason_label(r["code"]), r["message"]) for r in items)


def document_words(doc: dict[str, Any]) -> DocumentWords:
    """One document's verdict (an entry's `verdict`, or one of a letter's `documents`) in words."""
    decision = doc.get("decision") or {}
    return DocumentWords(
        signatures=tuple(signature_sentence(signature_report(s)) for s in doc.get("signatures", []))
        or ("Văn bản không có chữ ký số.",),
        legal_value=LEGAL_VALUE_VI.get(doc.get("legal_value") or "", "—"),
        delivery=DELIVERY_VI.get(decision.get("delivery") or "", "—"),
        rule=decision.get("rule"),
        basis=decision.get("basis"),
        explanation=decision.get("explanation"),
        reasons=reasons(doc.get("reasons", [])),
    )
