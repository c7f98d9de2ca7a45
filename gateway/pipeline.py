"""The composition of DESIGN.md's stages: raw bytes → `Verdict`, with no I/O of its own.

`Stages` holds what is built once and kept warm (the signature verifier with its trust store — on first
use —, the rule book, the office calendar, the agency directory, the template environment); `evaluate_letter` and
`evaluate_pdf` run one letter or one bare PDF through letter → documents → reading → rules → calendar
and decide the outcome. `gateway check` and the daemon call exactly these functions.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2.sandbox import SandboxedEnvironment

from gateway import derived, office_calendar
from gateway.authenticity import AuthenticitySettings, authenticity_settings, check_authenticity, reply_origin
from gateway.budget import ProcessingSettings, processing_settings
from gateway.config import Settings
from gateway.directory import Directory, load_directory_from_settings
from gateway.legal import legal_assessment
from gateway.letter import Attachment, Letter, parse_letter, reply_address, reply_suppression
from gateway.models import (
    Agency,
    Authenticity,
    Delivery,
    DocumentVerdict,
    LegalValue,
    LetterInfo,
    Metadata,
    Outcome,
    Reason,
    Verdict,
    VerdictSource,
)
from gateway.pdf.document_text import DocumentText
from gateway.pdf.signature_settings import SignatureSettings, load_trust, signature_settings
from gateway.reading import ReadingSettings, read_metadata, reading_settings
from gateway.reading.recall import RecallRequest, recognise
from gateway.register.dms_settings import dms_settings
from gateway.replies import make_environment
from gateway.rules import RuleBook, RuleFacts, rules_settings
from gateway.urgency import highest
from gateway.wording import signature_sentence

if TYPE_CHECKING:
    from gateway.pdf.signatures import SignatureVerifier
    from gateway.trust import TrustStore

log = logging.getLogger("gateway.pipeline")
_building = threading.Lock()


@dataclass
class Stages:
    """The warm, long-lived objects every letter goes through."""

    settings: Settings
    signatures: SignatureSettings
    directory: Directory
    authenticity: AuthenticitySettings
    reading: ReadingSettings
    rulebook: RuleBook
    calendar: office_calendar.OfficeCalendar
    templates: SandboxedEnvironment
    alerts: office_calendar.AlertSettings
    agency_aliases: tuple[str, ...] = ()
    dms_destinations: tuple[str, ...] = ()  # the DMS backends accepted documents are handed to (R18)
    budget: ProcessingSettings = field(default_factory=ProcessingSettings)  # attachments, text kept (issue 17)
    trust: TrustStore | None = field(default=None, repr=False, compare=False)  # as read by `build_stages`
    _verifier: SignatureVerifier | None = field(default=None, repr=False, compare=False)

    @property
    def verifier(self) -> SignatureVerifier:
        """The signature verifier with its trust store, built on first use: only a process that verifies
        imports the pyHanko stack — the evaluation workers, `gateway check` —, not the daemon's parent,
        which leaves evaluation to its pool (issue 16: start-up time and memory)."""
        with _building:
            if self._verifier is None:
                from gateway.pdf.signatures import SignatureVerifier

                self._verifier = SignatureVerifier(self.signatures, trust=self.trust)
                self.trust = None  # the verifier's own copy is current from now on (`reload`)
            return self._verifier

    def built_verifier(self) -> SignatureVerifier | None:
        """The verifier if this process has built it (it has verified a signature), else None."""
        with _building:
            return self._verifier


def build_stages(
    settings: Settings,
    *,
    profile: str | None = None,
    on_rules_error: Callable[[str], None] | None = None,
    rulebook: RuleBook | None = None,
) -> Stages:
    """Everything built once. `on_rules_error` hears of a broken rule edit (the last good rules stay);
    `rulebook`, one already loaded (an evaluation worker gets the daemon's)."""
    rules = rules_settings(settings.section("rules"))
    signatures = signature_settings(settings.section("signatures"), storage_dir=settings.storage_dir)
    return Stages(
        settings=settings,
        signatures=signatures,
        trust=load_trust(signatures),  # read now: a broken trust folder stops the start, as it always did
        directory=load_directory_from_settings(settings),
        authenticity=authenticity_settings(settings.section("authenticity")),
        reading=reading_settings(settings.section("reading")),
        rulebook=rulebook or RuleBook(rules, settings.base_dir, profile=profile, on_error=on_rules_error),
        calendar=office_calendar.load_calendar(settings),
        templates=make_environment(settings.templates_dir),
        alerts=office_calendar.alert_settings(settings.section("alerts")),
        agency_aliases=tuple(rules.agency_aliases),
        dms_destinations=dms_settings(settings.section("dms")).destinations,
        budget=processing_settings(settings.section("processing")),
    )


@dataclass(frozen=True)
class Evaluation:
    """A verdict and what came with it: the parsed letter, derived texts to store beside the originals, and
    what `gateway.disposition` needs to decide about the reply."""

    verdict: Verdict
    letter: Letter | None
    derived_texts: dict[str, DocumentText]  # document sha256 → extracted/OCR text (R20: stored beside)
    reply_suppressed: str | None = None  # RFC 3834 reason not to answer, if any
    facts: tuple[tuple[str, RuleFacts], ...] = ()
    sender_forged: bool = False  # a directory agency's address with a failing DKIM signature (R4)
    reply_to: str | None = None  # the Return-Path, where an automatic reply may go (RFC 3834 §4)
    recall: RecallRequest | None = None  # the letter asks to recall or replace a document it sent (R17)
    # How `reply_to` is known to be the sender's (`authenticity.reply_origin`: dkim, spf, directory,
    # reply_domains; "clerk" once a clerk released the letter); None: unverified, never answered.
    reply_origin: str | None = None
    answers_ours: str | None = None  # the Message-ID of one of our own messages it replies to (a loop guard)


def _reason(code: str, message: str) -> Reason:
    return Reason(code=code, message=message)


LARGE_DOCUMENT = 4 * 1024 * 1024  # bytes: a document whose readers are collected as soon as they are done


def _free_reader_cycles(data: bytes) -> None:
    """pypdf's and pyHanko's readers keep a document's objects (decoded streams included) in reference
    cycles that only the cycle collector frees, and large bytes objects never set it off: a 49 MB scan's
    readers held about 100 MB through the rest of its evaluation (issue 16). For a large document they are
    collected as soon as they are done; a small one keeps its speed (a collection costs milliseconds)."""
    if len(data) >= LARGE_DOCUMENT:
        gc.collect()


def _document(
    stages: Stages,
    filename: str,
    data: bytes,
    *,
    media_type: str,
    editable: bool,
    letter: Letter | None,
    sender_agency: Agency | None,
    authenticity: Authenticity,
    letter_info: LetterInfo | None,
) -> tuple[DocumentVerdict, DocumentText | None, RuleFacts | None]:
    sha = hashlib.sha256(data).hexdigest()
    base = DocumentVerdict(filename=filename, sha256=sha, media_type=media_type, size=len(data), editable=editable)

    def facts_for(metadata: Metadata, signatures=(), value=LegalValue.REFERENCE_ONLY) -> RuleFacts:
        return RuleFacts(
            metadata=metadata,
            signatures=signatures,
            legal_value=value,
            sender_agency=sender_agency,
            letter=letter_info,
            receiving_agency=stages.settings.agency.name,
            receiving_aliases=stages.agency_aliases,
            addressees=metadata.addressees,
            filename=filename,
            editable=editable,
        )

    if editable:
        # R2: editable formats are registered, flagged as unsigned copies for reference; rules may still act.
        facts = facts_for(Metadata())
        return replace(base, decision=stages.rulebook.decide(facts)), None, facts
    from gateway.pdf.inspect import inspect_pdf  # here, as `extract_text`: only evaluating processes need pypdf

    inspection = inspect_pdf(data)
    _free_reader_cycles(data)
    doc = replace(
        base,
        pages=inspection.pages,
        has_text_layer=inspection.has_text_layer,
        safety=inspection.safety,
        acceptable=inspection.acceptable,
        reasons=tuple(inspection.reasons),
    )
    if not inspection.acceptable:
        return doc, None, None
    signatures = stages.verifier.verify(data)
    _free_reader_cycles(data)
    text = _read_text(stages, sha, data)
    metadata = read_metadata(
        text,
        letter_subject=letter.subject if letter else None,
        letter_body=letter.body_text if letter else None,
        attachment_name=filename,
    )
    issuer_agency = (
        stages.directory.by_issuer_name(metadata.issuer, metadata.parent_issuer) if metadata.issuer else None
    )
    assessment = legal_assessment(
        signatures,
        issuer_agency=issuer_agency,
        sender_agency=sender_agency,
        authenticity=authenticity,
        from_address=letter.from_address if letter else None,
        issuer_name=metadata.issuer,
        signer_name=metadata.signer_name,
        directory=stages.directory,
    )
    value = assessment.value
    facts = facts_for(metadata, signatures, value)
    decision = stages.rulebook.decide(facts)
    doc = replace(
        doc,
        signatures=signatures,
        legal_value=value,
        legal_basis=assessment.basis,
        signature_roles=tuple((a.field, a.role.value) for a in assessment.signatures),
        metadata=metadata,
        decision=decision,
    )
    reasons = list(doc.reasons)
    if decision.delivery == Delivery.REFUSE:
        reasons.append(_reason(f"rule:{decision.rule}", decision.explanation))
    elif value.value not in stages.settings.accepted_legal_values:
        reasons.append(
            _reason(
                "legal_value_insufficient",
                "Văn bản không có chữ ký số hợp lệ của cơ quan ban hành và không được gửi từ hộp thư văn thư "
                "đã đăng ký của cơ quan đó, nên chỉ có giá trị tham khảo (Quyết định 28/2018/QĐ-TTg, Điều 4). "
                "Đề nghị ký số văn bản và gửi lại.",
            )
        )
    failed = [s for s in signatures if s.indication.value == "TOTAL_FAILED"]
    if failed:
        reasons.append(
            _reason(
                "signature_failed",
                " ".join(signature_sentence(s) for s in failed) + " Đề nghị ký số lại bản gốc và gửi lại.",
            )
        )
    doc = replace(doc, reasons=tuple(reasons), acceptable=not reasons)
    return doc, text, facts


def _read_text(stages: Stages, sha: str, data: bytes) -> DocumentText:
    """The document's text: the stored OCR text of the same bytes when it may stand for OCR'ing them again
    (`gateway.derived`: signatures, safety, fields and rules are still done afresh), else read now."""
    stored = derived.load(stages.settings.storage_dir, sha, stages.reading)
    if stored is not None:
        return stored
    from gateway.pdf.text import extract_text  # pypdf, Pillow, OCR: not imported by the daemon's parent (issue 16)

    return replace(extract_text(data, stages.reading), reading=derived.reading_key(stages.reading))


def _claims_pdf(att: Attachment) -> bool:
    """Sent as a PDF (by type or name) though the bytes are not one: checked, so the sender hears why."""
    name = (att.original_filename or att.filename or "").lower()
    return att.declared_type.lower() == "application/pdf" or name.endswith(".pdf")


def _letter_info(letter: Letter, agency: Agency | None, authenticity: Authenticity) -> LetterInfo:
    return LetterInfo(
        message_id=letter.message_id,
        from_=letter.from_address,
        to=letter.to,
        subject=letter.subject,
        date=letter.date,
        sender_agency=agency,
        authenticity=authenticity,
    )


def _forged(agency: Agency | None, authenticity: Authenticity) -> bool:
    """A From that names a registered agency mailbox or domain whose DKIM signature fails (R4)."""
    return agency is not None and authenticity.dkim == "fail"


@dataclass(frozen=True)
class _Read:
    """What the evaluation needs of the raw bytes: the parsed letter, its authenticity and its sha256."""

    letter: Letter
    authenticity: Authenticity
    sha256: str


def _read(raw: bytes, stages: Stages, direct: bool) -> _Read:
    letter = parse_letter(raw)
    authenticity = check_authenticity(raw, letter.from_address, stages.authenticity, stages.directory, direct=direct)
    return _Read(letter, authenticity, hashlib.sha256(raw).hexdigest())


def evaluate_letter(
    raw: bytes, *, received_at: datetime, stages: Stages, truncated: bool = False, direct: bool = False
) -> Evaluation:
    """The verdict for one e-mail letter (raw RFC 5322 bytes). `direct`: it came straight from the sender
    through our SMTP listener (no MTA of ours vouches for its Authentication-Results)."""
    return _evaluate(_read(raw, stages, direct), received_at=received_at, stages=stages, truncated=truncated)


def evaluate_stored(
    path: Path, *, received_at: datetime, stages: Stages, truncated: bool = False, direct: bool = False
) -> Evaluation:
    """`evaluate_letter` of the letter stored at `path`, whose raw bytes are let go once the letter is
    parsed and its authenticity checked: a large letter's documents are then inspected, verified and read
    without the encoded copy beside them (66 MB for a 49 MB scan: issue 16)."""
    read = _read(path.read_bytes(), stages, direct)
    return _evaluate(read, received_at=received_at, stages=stages, truncated=truncated)


def _evaluate(read: _Read, *, received_at: datetime, stages: Stages, truncated: bool) -> Evaluation:
    letter, authenticity = read.letter, read.authenticity
    sender_agency = stages.directory.by_address(letter.from_address) if letter.from_address else None
    info = _letter_info(letter, sender_agency, authenticity)
    suppressed = reply_suppression(letter)
    # An automatic message (a bounce, an auto-reply quoting our notice) never makes a request (RFC 3834).
    recall = None if suppressed else recognise(letter.subject, letter.body_text)
    reasons: list[Reason] = []
    documents: list[DocumentVerdict] = []
    texts: dict[str, DocumentText] = {}
    facts: list[tuple[str, RuleFacts]] = []
    if truncated:
        reasons.append(
            _reason(
                "letter_too_large",
                "Thư vượt quá dung lượng cho phép của hộp thư công vụ nên không được tải về. Đề nghị nén, "
                "tách văn bản thành nhiều thư nhỏ hơn và gửi lại.",
            )
        )
    else:
        candidates = [a for a in letter.attachments if a.kind in ("pdf", "editable") or _claims_pdf(a)]
        limit = stages.budget.max_attachments
        if len(candidates) > limit:  # a bounded cost per letter: none of them is read (issue 17)
            reasons.append(
                _reason(
                    "too_many_attachments",
                    f"Thư kèm {len(candidates)} tệp văn bản, vượt quá {limit} tệp cho phép trong một thư. "
                    "Đề nghị gửi mỗi văn bản (hoặc mỗi nhóm văn bản) trong một thư riêng.",
                )
            )
            candidates = []
        for att in candidates:
            doc, text, fact = _attachment(stages, att, letter, sender_agency, authenticity, info)
            documents.append(doc)
            if text is not None:
                cap = stages.budget.max_text_chars
                texts[doc.sha256] = replace(text, first_page=text.first_page[:cap], last_page=text.last_page[:cap])
            if fact is not None:
                facts.append((doc.filename, fact))
        if letter.structure_unread:  # issue 17: say why, rather than "no document"
            reasons.append(
                _reason(
                    "structure_too_deep",
                    "Thư có cấu trúc nhiều lớp lồng nhau quá sâu (thư đính kèm trong thư, nhiều tầng) nên hệ thống "
                    "không đọc được toàn bộ nội dung và tệp đính kèm. Đề nghị đính kèm trực tiếp văn bản (tệp PDF) "
                    "vào thư và gửi lại.",
                )
            )
        elif not documents and recall is None and not reasons:
            reasons.append(
                _reason(
                    "no_document",
                    "Thư không kèm văn bản điện tử ở định dạng được chấp nhận (.pdf; .doc, .docx, .odt chỉ để "
                    "tham khảo). Đề nghị đính kèm văn bản định dạng PDF và gửi lại.",
                )
            )
        elif documents and all(d.editable for d in documents):
            reasons.append(
                _reason(
                    "only_editable",
                    "Thư chỉ kèm tệp có thể chỉnh sửa (.doc, .docx, .odt), không phải văn bản đã ký ban hành. "
                    "Đề nghị gửi kèm bản PDF đã ký số hoặc bản chụp có chữ ký, đóng dấu.",
                )
            )
    docs = tuple(documents)
    reception = office_calendar.reception(
        received_at, stages.calendar, urgency=highest(d.metadata.urgency for d in docs)
    )
    outcome = _outcome(docs, reasons)
    if recall is not None and not docs and not reasons:
        outcome = Outcome.ACCEPTED  # a request with nothing to register; the register decides it (R17)
    forged = _forged(sender_agency, authenticity)
    if forged:
        reasons.append(
            _reason(
                "sender_forged",
                "Địa chỉ người gửi trùng với hộp thư của cơ quan trong danh bạ nhưng chữ ký DKIM không hợp lệ: "
                "có dấu hiệu giả mạo người gửi. Thư được chuyển văn thư kiểm tra.",
            )
        )
        outcome = Outcome.QUARANTINED
    elif letter.from_address is None and not suppressed:
        reasons.append(_reason("no_sender", "Thư không có địa chỉ người gửi hợp lệ; chuyển văn thư kiểm tra."))
        outcome = Outcome.QUARANTINED
    elif suppressed and outcome == Outcome.REFUSED:
        # An automatic message (bounce, auto-reply, list) with nothing to register: never answer it (RFC
        # 3834), but a clerk must see it rather than it vanishing.
        reasons.append(_reason("automatic_message", f"Thư tự động ({suppressed}); không trả lời tự động."))
        outcome = Outcome.QUARANTINED
    verdict = Verdict(
        source=VerdictSource(kind="eml", sha256=read.sha256),
        letter=info,
        reception=reception,
        documents=docs,
        outcome=outcome,
        reasons=tuple(reasons),
    )
    return Evaluation(
        verdict,
        letter,
        texts,
        reply_suppressed=suppressed,
        facts=tuple(facts),
        sender_forged=forged,
        reply_to=reply_address(letter),
        recall=recall,
        reply_origin=reply_origin(
            reply_address(letter), authenticity, stages.directory, stages.settings.outgoing.reply_domains
        ),
        answers_ours=answers_ours(letter, stages.settings.outgoing.from_address),
    )


def answers_ours(letter: Letter, our_address: str) -> str | None:
    """The first Message-ID in In-Reply-To or References that we made (our From domain names every
    Message-ID the gateway writes: `replies.compose`), or None."""
    domain = our_address.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for mid in (letter.in_reply_to, *letter.references):
        if mid and mid.strip("<> ").rpartition("@")[2].lower() == domain:
            return mid
    return None


# Control characters (as sent, or as `letter._filename` shows them: control pictures such as "␀"), bidi marks
_HIDDEN_CONTROLS = re.compile(r"[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2400-\u2421]")


def suspicious_filename(original: str | None) -> bool:
    """A name crafted to mislead: path traversal, or bidi/control characters that hide the real extension."""
    if not original:
        return False
    parts = re.split(r"[\\/]", original)
    return ".." in parts or bool(_HIDDEN_CONTROLS.search(original))


def _attachment(
    stages: Stages,
    att: Attachment,
    letter: Letter,
    sender_agency: Agency | None,
    authenticity: Authenticity,
    info: LetterInfo,
) -> tuple[DocumentVerdict, DocumentText | None, RuleFacts | None]:
    try:
        doc, text, fact = _document(
            stages,
            att.filename,
            att.data,
            media_type=att.media_type,
            editable=att.kind == "editable",
            letter=letter,
            sender_agency=sender_agency,
            authenticity=authenticity,
            letter_info=info,
        )
    except Exception as exc:  # a stage broke on this input: quarantine, never crash (nothing silent)
        log.exception("stage failure on %s", att.filename)
        doc = DocumentVerdict(
            filename=att.filename,
            sha256=att.sha256,
            media_type=att.media_type,
            size=att.size,
            acceptable=False,
            reasons=(_reason("internal_error", f"Lỗi khi kiểm tra tệp ({type(exc).__name__}); văn thư sẽ kiểm tra."),),
        )
        return doc, None, None
    if suspicious_filename(att.original_filename):
        reason = _reason(
            "filename_suspicious",
            f"Tên tệp đính kèm có ký tự ẩn hoặc đường dẫn thư mục ({att.original_filename!r}), có thể nhằm "
            f"đánh lừa người mở tệp; tệp được lưu với tên {att.filename!r} và chuyển văn thư kiểm tra.",
        )
        doc = replace(doc, acceptable=False, reasons=(*doc.reasons, reason))
    return doc, text, fact


# Findings a clerk must look at, rather than an automatic refusal the sender could act on.
QUARANTINE_CODES = frozenset({"internal_error", "filename_suspicious"})


def _outcome(documents: tuple[DocumentVerdict, ...], reasons: list[Reason]) -> Outcome:
    if any(r.code in QUARANTINE_CODES for d in documents for r in d.reasons):
        return Outcome.QUARANTINED
    if reasons or not documents or any(not d.acceptable for d in documents):
        return Outcome.REFUSED
    return Outcome.ACCEPTED


def evaluate_pdf(data: bytes, filename: str, *, received_at: datetime, stages: Stages) -> Evaluation:
    """The verdict for a bare PDF (no letter): what `gateway check FILE.pdf` prints."""
    doc, text, fact = _document(
        stages,
        filename,
        data,
        media_type="application/pdf",
        editable=False,
        letter=None,
        sender_agency=None,
        authenticity=Authenticity(),
        letter_info=None,
    )
    reception = office_calendar.reception(received_at, stages.calendar, urgency=doc.metadata.urgency)
    verdict = Verdict(
        source=VerdictSource(kind="pdf", sha256=doc.sha256),
        letter=None,
        reception=reception,
        documents=(doc,),
        outcome=_outcome((doc,), []),
    )
    return Evaluation(verdict, None, {doc.sha256: text} if text else {}, facts=((filename, fact),) if fact else ())


def evaluate_file(path: Path, *, received_at: datetime, stages: Stages) -> Evaluation:
    data = path.read_bytes()
    if data[:1024].lstrip().startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        return evaluate_pdf(data, path.name, received_at=received_at, stages=stages)
    return evaluate_letter(data, received_at=received_at, stages=stages)


def document_facts(path: Path, settings: Settings, *, profile: str | None = None) -> list[tuple[str, RuleFacts]]:
    """The rule facts of each document in a .pdf or .eml file (for `gateway rules explain`)."""
    from gateway.intake.spool import now_utc

    stages = build_stages(settings, profile=profile)
    return list(evaluate_file(path, received_at=now_utc(), stages=stages).facts)
