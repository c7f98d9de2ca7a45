"""Decision-table cases (`cases_<profile>.toml`) → `RuleFacts`, strictly: an unknown key is an error.

A case names the metadata, signatures, legal value, sender, addressees and letter of one document, plus
the expected delivery and rule id. `[defaults]` apply to every case; `normalize = "NFD"` decomposes every
text of the case first, to prove matching is Unicode-normalisation-proof (R2).
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.models import (
    Agency,
    Authenticity,
    Indication,
    LegalValue,
    LetterInfo,
    Metadata,
    SignatureReport,
    Signer,
)
from gateway.rules import RuleFacts

META_KEYS = (
    "doc_type",
    "legal_normative",
    "number",
    "issuer",
    "subject",
    "urgency",
    "secrecy",
    "signer_title",
    "copy_kind",
    "recipients_paper",
    "recipients_electronic",
)
OTHER_KEYS = (
    "name",
    "expect",
    "rule",
    "normalize",
    "signatures",
    "legal_value",
    "sender",
    "addressees",
    "letter",
    "receiving_agency",
    "receiving_aliases",
    "editable",
)


@dataclass(frozen=True)
class Case:
    name: str
    facts: RuleFacts
    expect: str
    rule: str


def _decompose(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, list):
        return [_decompose(v) for v in value]
    if isinstance(value, dict):
        return {k: _decompose(v) for k, v in value.items()}
    return value


def _signature(indication: str, n: int) -> SignatureReport:
    ind = Indication(indication)
    return SignatureReport(
        field=f"Signature{n}",
        signer=Signer(common_name="Nguyễn Văn An", organization="Ủy ban nhân dân tỉnh"),
        indication=ind,
        sub_indication=None if ind is Indication.TOTAL_PASSED else "HASH_FAILURE",
        intact=ind is not Indication.TOTAL_FAILED,
        trusted=ind is Indication.TOTAL_PASSED,
        coverage="ENTIRE_FILE",
        modified_after_signing=False,
        claimed_signing_time=None,
    )


def _sender(value: Any) -> Agency | None:
    if value is False or value is None:
        return None
    known = {"name", "electronic_capable", "kind", "code", "domains"}
    if set(value) - known:
        raise ValueError(f"unknown sender keys: {set(value) - known}")
    return Agency(
        name=value["name"],
        code=value.get("code"),
        kind=value.get("kind"),
        domains=tuple(value.get("domains", ())),
        electronic_capable=value.get("electronic_capable", True),
    )


def _letter(value: Any) -> LetterInfo | None:
    if value is False or value is None:
        return None
    return LetterInfo(
        message_id="<case@example.vn>",
        from_=value.get("from"),
        to=tuple(value.get("to", ())),
        subject=value.get("subject"),
        date=None,
        authenticity=Authenticity(
            dkim=value.get("dkim", "none"),
            spf=value.get("spf", "none"),
            directory_match=value.get("directory_match", False),
        ),
    )


def case_from(data: dict[str, Any], defaults: dict[str, Any]) -> Case:
    merged = {**defaults, **data}
    unknown = set(merged) - set(META_KEYS) - set(OTHER_KEYS)
    if unknown:
        raise ValueError(f"case {data.get('name')!r}: unknown keys {sorted(unknown)}")
    if merged.get("normalize") == "NFD":
        merged = {
            k: (_decompose(v) if k not in ("expect", "rule", "name", "legal_value") else v) for k, v in merged.items()
        }
    meta = {k: merged[k] for k in META_KEYS if k in merged}
    for key in ("recipients_paper", "recipients_electronic"):
        if key in meta:
            meta[key] = tuple(meta[key])
    facts = RuleFacts(
        metadata=Metadata(**meta),
        signatures=tuple(_signature(s, n) for n, s in enumerate(merged.get("signatures", []), 1)),
        legal_value=LegalValue(merged.get("legal_value", "reference_only")),
        sender_agency=_sender(merged.get("sender")),
        letter=_letter(merged.get("letter")),
        receiving_agency=merged.get("receiving_agency"),
        receiving_aliases=tuple(merged.get("receiving_aliases", ())),
        addressees=tuple(merged.get("addressees", ())),
        editable=merged.get("editable", False),
    )
    return Case(name=merged["name"], facts=facts, expect=merged["expect"], rule=merged["rule"])


def load_cases(path: Path) -> tuple[str, list[Case]]:
    """The profile the table is for, and its cases."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    return data["profile"], [case_from(c, defaults) for c in data["case"]]
