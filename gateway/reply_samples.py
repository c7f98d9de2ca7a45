"""Sample contexts for every reply kind: what `gateway config check` renders each template with (strict
undefined: a misspelt variable is found before a real letter needs it), what `gateway templates preview`
shows without a letter, and what the tests of the replies' wording read.

Each context has the shape the real caller builds (`replies.letter_context` for a letter's replies,
`register.statuses.notice_context` for DMS and recall notices, `register.handoff._alert` for outages, the
daemon for a broken rule file); `tests/test_reply_wording.py` checks that the letter sample has every key
the real `letter_context` gives. A kind may have several cases (an acknowledgement for electronic-only,
paper-also and paper-only documents), so that every branch of a template is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from gateway.config import AgencySettings
from gateway.disposition import REPLY_KINDS
from gateway.models import Delivery, Reception
from gateway.rules.wording import explanation_text

SOURCES = {"TTg": "Quyết định số 28/2018/QĐ-TTg ngày 12/7/2018 của Thủ tướng Chính phủ"}
RECEIVED = datetime(2026, 11, 20, 14, 5, tzinfo=UTC)  # 21:05 Vietnam time: after hours
OFFICIAL = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)


@dataclass(frozen=True)
class SampleCase:
    kind: str
    case: str  # a short name for the variant ("paper_only")
    context: dict[str, Any]


def _entry(n: int, delivery: Delivery | None, **extra: Any) -> dict[str, Any]:
    explanation = (
        explanation_text(delivery, "Văn bản điện tử đã ký số theo quy định", "TTg Đ4.1", SOURCES) if delivery else None
    )
    entry: dict[str, Any] = {
        "number": 1200 + n,
        "duplicate_of": None,
        "filename": f"{125 + n}-QD-STC.pdf",
        "pages": 3,
        "notation": f"{125 + n}/QĐ-STC",
        "subject": "Về việc phân bổ kinh phí chuyển đổi số năm 2026",
        "secrecy": None,
        "secrecy_vi": None,
        "signature_summary": "hợp lệ (Nguyễn Văn An; Sở Tài chính tỉnh Khánh Hòa)",
        "explanation": explanation,
        "basis": "TTg Đ4.1" if delivery else None,
        "paper_awaited": delivery in (Delivery.PAPER_ALSO, Delivery.PAPER_ONLY),
        "paper_only": delivery == Delivery.PAPER_ONLY,
        "editable": False,
        "reasons": [],
    }
    entry.update(extra)
    return entry


def _letter(agency: AgencySettings, entries: list[dict[str, Any]], reasons: list[dict[str, str]] | None = None) -> dict:
    return {
        "agency": agency,
        "letter": {
            "subject": "Quyết định phân bổ kinh phí",
            "message_id": "<20261120140500.1@stc.khanhhoa.gov.vn>",
            "from": "vanthu@stc.khanhhoa.gov.vn",
        },
        "sender_name": "Sở Tài chính tỉnh Khánh Hòa",
        "reception": Reception(received_at=RECEIVED, official_received_at=OFFICIAL, after_hours=True),
        "entries": entries,
        "documents": entries,
        "first": entries[0] if entries else {"notation": None},
        "total_pages": sum(e["pages"] or 0 for e in entries),
        "any_paper_only": any(e["paper_only"] for e in entries),
        "any_paper_awaited": any(e["paper_awaited"] for e in entries),
        "reasons": list(reasons or ()),
        "urgency_label": "Hỏa tốc",
        "recall": None,
    }


def _recall(kind: str = "recall", refusal: str | None = None) -> dict[str, Any]:
    return {
        "kind": kind,
        "word": "thay thế" if kind == "replace" else "thu hồi",
        "notation": "125/QĐ-STC",
        "date": date(2026, 11, 18),
        "reason": "văn bản ghi sai số liệu tại Điều 2",
        "refusal": refusal,
    }


def _notice(agency: AgencySettings, **extra: Any) -> dict[str, Any]:
    return {
        "agency": agency,
        "sender_name": "Sở Tài chính tỉnh Khánh Hòa",
        "letter": {"subject": "Quyết định phân bổ kinh phí", "message_id": "<m@stc>", "from": "vanthu@stc.gov.vn"},
        "entry": {
            "number": 1201,
            "year": 2026,
            "notation": "125/QĐ-STC",
            "subject": "Về việc phân bổ kinh phí chuyển đổi số năm 2026",
            "filename": "125-QD-STC.pdf",
            "document_date": date(2026, 11, 18),
            "dms_number": "D-2026-0815",
        },
        **extra,
    }


def _status(code: str) -> dict[str, Any]:
    from gateway.edxml import STATUS_NAMES

    return {
        "status": {
            "code": code,
            "name": STATUS_NAMES.get(code, code),
            "description": "Đã giao phòng Kế hoạch - Tài chính xử lý",
            "at": datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        }
    }


def sample_cases(agency: AgencySettings | None = None) -> list[SampleCase]:
    """Every reply kind of `REPLY_KINDS`, each with one or more sample contexts."""
    a = agency or AgencySettings(name="Ủy ban nhân dân tỉnh Khánh Hòa")
    secret = _entry(1, None, secrecy="mat", secrecy_vi="Mật", signature_summary="không kiểm tra (văn bản mật)")
    bad = _entry(
        1,
        None,
        number=None,
        reasons=[{"code": "signature_invalid", "message": "Chữ ký số không hợp lệ: nội dung đã bị sửa sau khi ký."}],
    )
    refusal_reasons = [{"code": "no_documents", "message": "Thư không kèm văn bản PDF nào."}]
    out: list[SampleCase] = []
    for kind in REPLY_KINDS:
        name = kind.name
        if name == "acknowledgement":
            out += [
                SampleCase(name, "electronic_only", _letter(a, [_entry(1, Delivery.ELECTRONIC_ONLY)])),
                SampleCase(name, "paper_also", _letter(a, [_entry(1, Delivery.PAPER_ALSO)])),
                SampleCase(
                    name,
                    "paper_only",
                    _letter(a, [_entry(1, Delivery.ELECTRONIC_ONLY), _entry(2, Delivery.PAPER_ONLY)]),
                ),
            ]
        elif name == "refusal":
            out += [
                SampleCase(name, "document", _letter(a, [bad])),
                SampleCase(name, "letter", _letter(a, [], refusal_reasons)),
            ]
        elif name == "refusal_secret":
            reason = [{"code": "secret", "message": "Văn bản có đóng dấu độ mật."}]
            out.append(SampleCase(name, "secret", _letter(a, [secret], reason)))
        elif name in ("quarantine", "urgent_alert"):
            out.append(SampleCase(name, "letter", _letter(a, [_entry(1, Delivery.ELECTRONIC_ONLY)])))
        elif name == "recall_received":
            ctx = _letter(a, [])
            ctx["recall"] = _recall()
            out.append(SampleCase(name, "recall", ctx))
        elif name == "recall_refused":
            ctx = _letter(a, [])
            ctx["recall"] = _recall(refusal="Không tìm thấy văn bản số 125/QĐ-STC trong sổ văn bản đến.")
            out.append(SampleCase(name, "recall", ctx))
        elif name == "recall_done":
            request = {"notation": "125/QĐ-STC", "kind": "replace"}
            replacement = {"notation": "126/QĐ-STC", "filename": "126-QD-STC.pdf", "number": 1207, "year": 2026}
            out += [
                SampleCase(
                    name, "recall", _notice(a, request=request, word="thu hồi", replacement=None, reason="ghi sai")
                ),
                SampleCase(
                    name,
                    "replace",
                    _notice(a, request=request, word="thay thế", replacement=replacement, reason="ghi sai số liệu"),
                ),
            ]
        elif name == "recall_declined":
            request = {"notation": "125/QĐ-STC", "kind": "recall"}
            ctx = _notice(a, request=request, word="thu hồi", reason="văn bản đã được lãnh đạo giao xử lý")
            out.append(SampleCase(name, "recall", ctx))
        elif name.startswith("dms_status_"):
            out.append(SampleCase(name, "status", _notice(a, **_status(name.rpartition("_")[2]))))
        elif name in ("dms_outage", "dms_recovered"):
            ctx = {
                "agency": a,
                "destination": "qlvb-tinh",
                "down_since": datetime(2026, 11, 20, 1, 0, tzinfo=UTC),
                "now": datetime(2026, 11, 20, 3, 30, tzinfo=UTC),
                "last_error": "POST /documents: HTTP 503 Service Unavailable",
                "backlog": 12,
            }
            out.append(SampleCase(name, "outage", ctx))
        elif name == "rules_error":
            problems = "rules/khanh-hoa.toml:42: rule 'giay-moi': unknown field 'doc_typ' (did you mean 'doc_type'?)"
            out.append(SampleCase(name, "problems", {"agency": a, "problems": problems}))
        elif name == "template_error":
            ctx = {
                "agency": a,
                "template": "acknowledgement",
                "error": "UndefinedError: 'gateway.config.AgencySettings object' has no attribute 'nmae'",
            }
            out.append(SampleCase(name, "undefined", ctx))
        elif name == "smtp_refused":
            ctx = {
                "agency": a,
                "relay": "mail.khanhhoa.gov.vn:587",
                "error": "550 5.7.1 Sender address rejected: not owned by user",
                "now": datetime(2026, 11, 20, 3, 30, tzinfo=UTC),
            }
            out.append(SampleCase(name, "relay", ctx))
        elif name == "low_disk_space":
            ctx = {
                "agency": a,
                "storage_dir": "/var/lib/official-mail-gateway",
                "free_mb": 812,
                "threshold_mb": 1024,
                "now": datetime(2026, 11, 20, 3, 30, tzinfo=UTC),
            }
            out.append(SampleCase(name, "disk", ctx))
        else:  # a kind added without a sample: config check and the tests say so
            raise KeyError(f"no sample context for reply kind {name!r}: add one in gateway/reply_samples.py")
    return out
