"""What a rule can look at: the facts about one document, and the documented field paths into them.

A condition in a rule file names a field path (`metadata.doc_type`, `sender.electronic_capable`,
`signature.any_passed`, …). `FIELDS` is the complete, fixed list: each path has a kind (which operators
apply and what values are valid) and a getter. Nothing else in the facts is reachable from a rule file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gateway.models import Agency, Indication, LegalValue, LetterInfo, Metadata, SignatureReport
from gateway.urgency import URGENCIES
from gateway.vntext import contains_words, squash_spaces


@dataclass(frozen=True)
class RuleFacts:
    """Everything the delivery rules may consider about one document (R4, R7–R12)."""

    metadata: Metadata
    signatures: tuple[SignatureReport, ...] = ()
    legal_value: LegalValue = LegalValue.REFERENCE_ONLY
    sender_agency: Agency | None = None
    letter: LetterInfo | None = None
    receiving_agency: str | None = None  # our own agency's name (Settings.agency.name)
    receiving_aliases: tuple[str, ...] = ()  # other names we go by on Nơi nhận lists ([rules] agency_aliases)
    addressees: tuple[str, ...] = ()  # under "Kính gửi:" (a công điện's under "… điện:"), when read
    filename: str | None = None
    editable: bool = False  # .doc/.docx/.odt: an unsigned editable copy (R2)


# Value kinds: which operators a field accepts and how its values compare.
TEXT, CODE, BOOL, INT, TEXT_LIST, CODE_LIST = "text", "code", "bool", "int", "text_list", "code_list"
LIST_KINDS = (TEXT_LIST, CODE_LIST)


@dataclass(frozen=True)
class Field:
    path: str
    kind: str
    doc: str
    get: Callable[[RuleFacts], Any]
    codes: tuple[str, ...] | None = None  # the valid values of a code field


DOC_TYPES = (
    "cong_van",
    "giay_moi",
    "bao_cao",
    "ke_hoach",
    "thong_bao",
    "to_trinh",
    "quyet_dinh",
    "chi_thi",
    "cong_dien",
    "nghi_quyet",
    "huong_dan",
    "chuong_trinh",
    "quy_che",
    "quy_dinh",
    "bien_ban",
    "giay_uy_quyen",
    "thong_tu",
    "nghi_dinh",
    "lich_cong_tac",
    "other",
)
SECRECIES = ("mat", "toi_mat", "tuyet_mat")
COPY_KINDS = ("sao_y", "trich_sao", "sao_luc")
TEXT_SOURCES = ("text_layer", "ocr", "none")
DKIM_RESULTS = ("pass", "fail", "none", "temperror", "permerror", "neutral", "policy")
SPF_RESULTS = ("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror")


def _meta(name: str) -> Callable[[RuleFacts], Any]:
    return lambda f: getattr(f.metadata, name)


def _sender(name: str) -> Callable[[RuleFacts], Any]:
    return lambda f: getattr(f.sender_agency, name) if f.sender_agency is not None else None


def _letter(get: Callable[[LetterInfo], Any]) -> Callable[[RuleFacts], Any]:
    return lambda f: get(f.letter) if f.letter is not None else None


def _indications(f: RuleFacts) -> tuple[str, ...]:
    return tuple(s.indication.value for s in f.signatures)


_LIST_MARK = re.compile(r"^[\s\-+•*–]+|[\s;,.:]+$")
_PARENTHESES = re.compile(r"\([^)]*\)")


def _entry_names_us(entry: str, names: tuple[str, ...]) -> bool:
    """Is one `Nơi nhận` / `Bản điện tử` line our agency? Whole-word match either way, after cleaning.

    "- Sở Tài chính (để thực hiện);" names "Sở Tài chính tỉnh Bắc Giang". One-word entries ("VT") never
    match: too vague to decide on.
    """
    cleaned = squash_spaces(_LIST_MARK.sub("", _PARENTHESES.sub(" ", entry)))
    if len(cleaned.split()) < 2:
        return False
    return any(contains_words(name, cleaned) or contains_words(cleaned, name) for name in names if name)


def _our_names(f: RuleFacts) -> tuple[str, ...]:
    return tuple(n for n in ((f.receiving_agency or ""), *f.receiving_aliases) if n.strip())


def _on_list(entries: Callable[[RuleFacts], tuple[str, ...]]) -> Callable[[RuleFacts], bool]:
    def get(f: RuleFacts) -> bool:
        names = _our_names(f)
        return bool(names) and any(_entry_names_us(e, names) for e in entries(f))

    return get


_FIELDS: tuple[Field, ...] = (
    # The document's own metadata (R16), read by the reading stage.
    Field("metadata.doc_type", CODE, "document type code (DESIGN.md)", _meta("doc_type"), DOC_TYPES),
    Field(
        "metadata.legal_normative",
        BOOL,
        "a legal normative document (number like 12/2020/QĐ-UBND) (R9a)",
        _meta("legal_normative"),
    ),
    Field("metadata.number", TEXT, "number and notation, e.g. 1123/QĐ-UBND", _meta("number")),
    Field("metadata.issuer", TEXT, "issuing agency", _meta("issuer")),
    Field("metadata.parent_issuer", TEXT, "the issuer's parent agency", _meta("parent_issuer")),
    Field("metadata.place", TEXT, "place of issue", _meta("place")),
    Field("metadata.subject", TEXT, "subject line (trích yếu)", _meta("subject")),
    Field("metadata.urgency", CODE, "urgency mark (R14)", _meta("urgency"), URGENCIES),
    Field("metadata.secrecy", CODE, "secrecy mark (R6)", _meta("secrecy"), SECRECIES),
    Field("metadata.signer_name", TEXT, "signer's name", _meta("signer_name")),
    Field("metadata.signer_title", TEXT, "signer's title", _meta("signer_title")),
    Field("metadata.signing_authority", TEXT, "TM. | KT. | TL. | TUQ. | Q.", _meta("signing_authority")),
    Field("metadata.copy_kind", CODE, "kind of copy (sao y…)", _meta("copy_kind"), COPY_KINDS),
    Field("metadata.text_source", CODE, "where the text came from", _meta("text_source"), TEXT_SOURCES),
    Field(
        "metadata.recipients_paper",
        TEXT_LIST,
        "lines under Nơi nhận: — paper recipients (R12)",
        _meta("recipients_paper"),
    ),
    Field(
        "metadata.recipients_electronic",
        TEXT_LIST,
        "lines under Bản điện tử: — electronic recipients (R12)",
        _meta("recipients_electronic"),
    ),
    Field(
        "metadata.mismatches",
        TEXT_LIST,
        "differences between the letter and the document",
        _meta("mismatches"),
    ),
    # Derived from the recipient lists and our own agency name (R12).
    Field(
        "recipients.us_on_paper",
        BOOL,
        "our agency (or an alias) is on the Nơi nhận (paper) list (R12)",
        _on_list(lambda f: f.metadata.recipients_paper),
    ),
    Field(
        "recipients.us_on_electronic",
        BOOL,
        "our agency (or an alias) is on the Bản điện tử list (R12)",
        _on_list(lambda f: f.metadata.recipients_electronic),
    ),
    Field(
        "recipients.has_electronic_list",
        BOOL,
        "the document has a Bản điện tử: list at all (R12)",
        lambda f: bool(f.metadata.recipients_electronic),
    ),
    Field(
        "addressees",
        TEXT_LIST,
        'the addressees under "Kính gửi:" or a công điện\'s "… điện:" (R9d, R10)',
        lambda f: f.addressees,
    ),
    # Signatures and legal value (R3, R4).
    Field(
        "legal_value",
        CODE,
        "what the e-document is worth legally (R4)",
        lambda f: f.legal_value.value,
        tuple(v.value for v in LegalValue),
    ),
    Field("signature.count", INT, "number of signatures found", lambda f: len(f.signatures)),
    Field("signature.signed", BOOL, "at least one signature", lambda f: bool(f.signatures)),
    Field(
        "signature.any_passed",
        BOOL,
        "some signature is TOTAL_PASSED",
        lambda f: any(s.indication is Indication.TOTAL_PASSED for s in f.signatures),
    ),
    Field(
        "signature.all_passed",
        BOOL,
        "signed, and every signature is TOTAL_PASSED",
        lambda f: bool(f.signatures) and all(s.indication is Indication.TOTAL_PASSED for s in f.signatures),
    ),
    Field(
        "signature.any_failed",
        BOOL,
        "some signature is TOTAL_FAILED (tampered, revoked…)",
        lambda f: any(s.indication is Indication.TOTAL_FAILED for s in f.signatures),
    ),
    Field(
        "signature.any_indeterminate",
        BOOL,
        "some signature is INDETERMINATE",
        lambda f: any(s.indication is Indication.INDETERMINATE for s in f.signatures),
    ),
    Field(
        "signature.modified_after_signing",
        BOOL,
        "some signed revision was changed afterwards",
        lambda f: any(s.modified_after_signing for s in f.signatures),
    ),
    Field(
        "signature.indications",
        CODE_LIST,
        "every signature's indication",
        _indications,
        tuple(i.value for i in Indication),
    ),
    Field(
        "signature.signers",
        TEXT_LIST,
        "signers' certificate common names",
        lambda f: tuple(s.signer.common_name for s in f.signatures if s.signer and s.signer.common_name),
    ),
    Field(
        "signature.organizations",
        TEXT_LIST,
        "signers' certificate organisations",
        lambda f: tuple(s.signer.organization for s in f.signatures if s.signer and s.signer.organization),
    ),
    # The sending agency's directory entry (R9b, R11); empty when the sender is not in the directory.
    Field("sender.known", BOOL, "the sender is in the agency directory", lambda f: f.sender_agency is not None),
    Field("sender.name", TEXT, "directory name of the sending agency", _sender("name")),
    Field("sender.code", TEXT, "its 13-character identifier (R16)", _sender("code")),
    Field("sender.kind", TEXT, "government | ministry | province | department | …", _sender("kind")),
    Field(
        "sender.electronic_capable",
        BOOL,
        "false: it lacks the technical means for e-documents (R9b, R11)",
        _sender("electronic_capable"),
    ),
    Field("sender.domains", TEXT_LIST, "its mail domains", _sender("domains")),
    # The letter that carried the document (absent for a bare PDF).
    Field(
        "letter.present",
        BOOL,
        "the document came in a letter (not a bare file)",
        lambda f: f.letter is not None,
    ),
    Field("letter.from", TEXT, "From: address", _letter(lambda x: x.from_)),
    Field("letter.to", TEXT_LIST, "To: addresses", _letter(lambda x: x.to)),
    Field("letter.subject", TEXT, "Subject: of the letter", _letter(lambda x: x.subject)),
    Field("letter.dkim", CODE, "DKIM result (R4)", _letter(lambda x: x.authenticity.dkim), DKIM_RESULTS),
    Field("letter.spf", CODE, "SPF result (R4)", _letter(lambda x: x.authenticity.spf), SPF_RESULTS),
    Field(
        "letter.directory_match",
        BOOL,
        "the From address is a registry mailbox in the directory",
        _letter(lambda x: x.authenticity.directory_match),
    ),
    # Us, and the file itself.
    Field("receiver.name", TEXT, "our own agency's name", lambda f: f.receiving_agency),
    Field("document.filename", TEXT, "attachment file name", lambda f: f.filename),
    Field("document.editable", BOOL, "an editable .doc/.docx/.odt copy (R2)", lambda f: f.editable),
)

FIELDS: dict[str, Field] = {f.path: f for f in _FIELDS}
