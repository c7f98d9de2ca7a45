"""Words for people: the one place where the gateway's codes become Vietnamese.

Replies to senders, the CLI and the clerk's web view all word signatures, outcomes, delivery decisions and
legal values through this module; the JSON verdict keeps the codes (ETSI sub-indications, `paper_also`…).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gateway.models import DOCUMENT_FIELD, Indication, SignatureReport

# Why a signature did not pass, by ETSI EN 319 102-1 sub-indication (SIGNATURES.md).
SIGNATURE_PROBLEMS = {
    "HASH_FAILURE": "nội dung văn bản đã bị thay đổi sau khi ký",
    "SIG_CRYPTO_FAILURE": "giá trị chữ ký số không khớp với chứng thư số",
    "FORMAT_FAILURE": "chữ ký số không đúng định dạng hoặc văn bản đã bị sửa đổi sau khi ký",
    "REVOKED": "chứng thư số đã bị thu hồi trước thời điểm ký",
    "REVOKED_NO_POE": "chứng thư số đã bị thu hồi",
    "REVOKED_CA_NO_POE": "chứng thư của tổ chức cấp đã bị thu hồi",
    "EXPIRED": "chứng thư số đã hết hạn trước thời điểm ký",
    "NOT_YET_VALID": "chứng thư số chưa có hiệu lực tại thời điểm ký",
    "OUT_OF_BOUNDS_NO_POE": "chứng thư số đã hết hạn hoặc chưa có hiệu lực",
    "NO_CERTIFICATE_CHAIN_FOUND": "chứng thư số không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp",
    "CRYPTO_CONSTRAINTS_FAILURE": "chữ ký số dùng thuật toán không còn an toàn (ví dụ SHA-1)",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "chữ ký số dùng thuật toán không còn an toàn",
    "TRY_LATER": "chưa kiểm tra được tình trạng thu hồi của chứng thư số",
    "CHAIN_CONSTRAINTS_FAILURE": "chứng thư số không được phép dùng để ký văn bản",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "không kiểm tra được chuỗi chứng thư số",
}
SIGNATURE_UNKNOWN_PROBLEM = "chữ ký số không kiểm tra được"
WEAK_ALGORITHM = "thuật toán yếu"  # shown with every signature the trust policy accepted with SHA-1

OUTCOME_VI = {"accepted": "tiếp nhận", "refused": "từ chối", "quarantined": "chờ văn thư kiểm tra"}
DELIVERY_VI = {
    "electronic_only": "điện tử",
    "paper_also": "điện tử, kèm bản giấy",
    "paper_only": "chỉ bản giấy",
    "refuse": "từ chối",
}
# A clerk's decision on a quarantined letter (the workplace's quarantine page): what the sender is told.
CLERK_BASIS = "văn thư kiểm tra và quyết định tiếp nhận"
CLERK_DELIVERY_EXPLANATIONS = {
    "electronic_only": "Văn thư đã kiểm tra và tiếp nhận văn bản điện tử; không cần gửi bản giấy.",
    "paper_also": "Văn thư đã kiểm tra và tiếp nhận văn bản điện tử; đề nghị Quý cơ quan gửi kèm bản giấy.",
    "paper_only": "Văn thư đã kiểm tra; văn bản được xử lý khi nhận được bản giấy, bản điện tử chỉ để tham khảo.",
}
# Reasons a clerk picks when refusing a letter from the quarantine (or writes their own).
CLERK_REFUSAL_REASONS = (
    "Không xác định được cơ quan gửi văn bản; đề nghị gửi lại từ hộp thư công vụ của văn thư cơ quan.",
    "Tệp đính kèm không đọc được hoặc không đầy đủ; đề nghị gửi lại văn bản đầy đủ.",
    "Văn bản gửi nhầm cơ quan; đề nghị kiểm tra lại nơi nhận.",
    "Văn bản có chứa nội dung mật, phải gửi bằng bản giấy theo quy định về bảo vệ bí mật nhà nước.",
    "Văn bản đã được gửi trước đó; không tiếp nhận bản gửi trùng.",
)
LEGAL_VALUE_VI = {
    "equivalent_to_paper": "có giá trị như bản giấy (chữ ký số hợp lệ của cơ quan ban hành)",
    "valid_by_origin": "hợp lệ theo nguồn gửi (gửi từ hộp thư văn thư của cơ quan ban hành)",
    "reference_only": "chỉ có giá trị tham khảo",
}


def signer_label(report: SignatureReport) -> str:
    """Who signed, as a person reads it: the certificate's common name, else the field's name."""
    if report.signer and report.signer.common_name:
        return report.signer.common_name
    return report.field


def signature_problem(report: SignatureReport) -> str:
    """Why `report` did not pass, as a clause (`văn bản đã bị sửa đổi sau khi ký`)."""
    if report.modified_after_signing:
        return "văn bản đã bị sửa đổi sau khi ký"
    if any(p.startswith("unsupported_subfilter") for p in report.problems):
        return f"chữ ký số dùng định dạng không được hỗ trợ ({report.sub_filter})"
    return SIGNATURE_PROBLEMS.get(report.sub_indication or "", SIGNATURE_UNKNOWN_PROBLEM)


def signature_sentence(report: SignatureReport) -> str:
    """One Vietnamese sentence on this signature, for a refusal reason or a clerk (R3, R5)."""
    who = report.signer.common_name if report.signer and report.signer.common_name else "không rõ người ký"
    if report.field == DOCUMENT_FIELD:
        if any(p.startswith("encrypted") for p in report.problems):
            return "Tệp PDF được mã hóa nên không kiểm tra được chữ ký số."
        return "Không đọc được tệp PDF nên không kiểm tra được chữ ký số."
    if report.indication == Indication.TOTAL_PASSED:
        text = f"Chữ ký số của {who} hợp lệ."
        if report.weak_algorithm:
            text = f"Chữ ký số của {who} hợp lệ, nhưng dùng {WEAK_ALGORITHM} ({report.weak_algorithm})."
        if not report.revocation_checked:
            text += " Chưa kiểm tra tình trạng thu hồi chứng thư số."
        return text
    verdict = "không hợp lệ" if report.indication == Indication.TOTAL_FAILED else "chưa xác định được"
    return f"Chữ ký số của {who} {verdict}: {signature_problem(report)}."


def signature_summary(reports: Iterable[SignatureReport]) -> str:
    """All signatures of one document in a line, for an acknowledgement (`hợp lệ (Nguyễn Văn A); …`)."""
    parts = []
    for sig in reports:
        who = signer_label(sig)
        if sig.indication == Indication.TOTAL_PASSED and sig.weak_algorithm:
            parts.append(f"hợp lệ ({who}; {WEAK_ALGORITHM} {sig.weak_algorithm})")
        elif sig.indication == Indication.TOTAL_PASSED:
            parts.append(f"hợp lệ ({who})")
        elif sig.indication == Indication.TOTAL_FAILED:
            parts.append(f"không hợp lệ ({who}: {signature_problem(sig)})")
        else:
            parts.append(f"chưa xác định được ({who}: {signature_problem(sig)})")
    return "; ".join(parts) or "không có chữ ký số"


def weak_algorithm_note(reports: Iterable[SignatureReport]) -> str | None:
    """The register's note when a valid signature rests on a weak algorithm (SHA-1 accepted by policy)."""
    weak = [r for r in reports if r.weak_algorithm and r.indication == Indication.TOTAL_PASSED]
    if not weak:
        return None
    names = ", ".join(dict.fromkeys(signer_label(r) for r in weak))
    algorithms = ", ".join(dict.fromkeys(str(r.weak_algorithm) for r in weak))
    return f"Chữ ký số dùng {WEAK_ALGORITHM} ({algorithms}): {names}."


# Why, in detail, for `gateway trust check`: one sentence per problem a clerk (or the admin) can act on.
_DETAIL = re.compile(r"^(?P<code>[a-z_]+): (?P<detail>.*)$")


def _ca_name(detail: str) -> str:
    m = re.search(r"from (.+?)(?: is out of date| \(|$)", detail)
    return m.group(1) if m else detail


def problem_sentence(problem: str) -> str | None:
    """One Vietnamese sentence for a report's problem code, or None for codes the verdict already says."""
    m = _DETAIL.match(problem)
    if not m:
        return None
    code, detail = m.group("code"), m.group("detail")
    if code == "no_revocation_data":
        return (
            f"Hệ thống chưa có danh sách chứng thư bị thu hồi (CRL) của {_ca_name(detail)}: "
            "chạy `gateway trust refresh`, hoặc chép tệp CRL vào thư mục tin cậy nếu máy không nối mạng."
        )
    if code == "stale_revocation_data":
        when = re.search(r"next update was (\S+?)\)", detail)
        since = f" từ {when.group(1)}" if when else ""
        return (
            f"Danh sách chứng thư bị thu hồi (CRL) của {_ca_name(detail)} đã quá hạn{since}: "
            "cần cập nhật (`gateway trust refresh`) rồi kiểm tra lại."
        )
    if code == "revocation_not_checked":
        return "Chế độ kiểm tra mềm (soft-fail): chưa xác minh được chứng thư số có bị thu hồi hay không."
    if code == "timestamp_not_trusted":
        return "Dấu thời gian kèm chữ ký không được tin cậy nên không chứng minh được thời điểm ký."
    if code == "weak_algorithm":
        return (
            f"Chữ ký dùng {WEAK_ALGORITHM} SHA-1; được chấp nhận vì chứng thư gốc của nó được quản trị viên "
            "cho phép dùng SHA-1 (trust.toml)."
        )
    if code == "claimed_time_shifted":
        return (
            "Thời điểm ký do phần mềm ký tự ghi lệch đúng 7 giờ (giờ Việt Nam ghi thành giờ UTC); "
            "hệ thống không dùng thời điểm này."
        )
    if code == "hash_failure":
        return "Nội dung đã ký không còn khớp với chữ ký: văn bản đã bị thay đổi."
    if code == "modified_after_signing":
        return "Sau khi ký, văn bản có thay đổi không phải là điền biểu mẫu hay ký tiếp."
    if code == "document_timestamp":
        return "Đây là dấu thời gian của văn bản, không phải chữ ký của người hay cơ quan."
    return None


def signature_explanation(report: SignatureReport) -> list[str]:
    """The verdict sentence for one signature, then why (in a clerk's words), for `gateway trust check`."""
    lines = [signature_sentence(report)]
    if report.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND":
        issuer = report.signer.issuer if report.signer and report.signer.issuer else "một tổ chức không rõ"
        lines.append(
            f"Chứng thư số do {issuer} cấp; chứng thư gốc của tổ chức này chưa có trong kho tin cậy "
            "(quản trị viên kiểm tra dấu vân tay rồi thêm bằng `gateway trust add`)."
        )
    elif report.sub_indication in ("CRYPTO_CONSTRAINTS_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"):
        lines.append(
            "Chữ ký hoặc chuỗi chứng thư dùng thuật toán không được chấp nhận (thường là SHA-1); quản trị viên "
            "có thể cho phép SHA-1 cho đúng chứng thư gốc đó trong trust.toml."
        )
    elif (
        report.sub_indication in ("OUT_OF_BOUNDS_NO_POE", "EXPIRED", "NOT_YET_VALID")
        and report.signer
        and report.signer.not_before
        and report.signer.not_after
    ):
        lines.append(
            f"Chứng thư số có hiệu lực từ {report.signer.not_before:%d/%m/%Y} đến {report.signer.not_after:%d/%m/%Y}"
            + ("; không có dấu thời gian tin cậy chứng minh thời điểm ký." if not report.timestamp_time else ".")
        )
    for problem in report.problems:
        sentence = problem_sentence(problem)
        if sentence and sentence not in lines:
            lines.append(sentence)
    return lines


SECRECY_VI = {"mat": "Mật", "toi_mat": "Tối mật", "tuyet_mat": "Tuyệt mật"}
LETTER_STATE_VI = {
    "RECEIVED": "đang kiểm tra",
    "REPLIED": "đã tiếp nhận, đã trả lời",
    "FILED": "đã tiếp nhận",
    "REFUSED": "đã từ chối",
    "QUARANTINED": "chờ văn thư kiểm tra",
}
# Short names of reason codes, for a clerk's tables and the report's "refusals by reason" (R21).
REASON_VI = {
    "signature_failed": "chữ ký số không hợp lệ",
    "legal_value_insufficient": "không đủ giá trị pháp lý",
    "no_document": "không kèm văn bản",
    "only_editable": "chỉ kèm tệp chỉnh sửa được",
    "letter_too_large": "thư quá dung lượng",
    "sender_forged": "nghi giả mạo người gửi",
    "no_sender": "không có địa chỉ người gửi",
    "automatic_message": "thư tự động",
    "internal_error": "lỗi khi kiểm tra tệp",
    "processing_failed": "lỗi xử lý tự động",
    "filename_suspicious": "tên tệp đáng ngờ",
    "clerk_refused": "văn thư từ chối",
    "pdf_too_large": "tệp PDF quá lớn",
    "pdf_unreadable": "tệp không đọc được",
    "pdf_truncated": "tệp PDF bị cắt cụt",
    "pdf_encrypted": "tệp PDF mã hóa",
    "pdf_decompression_bomb": "tệp PDF nguy hiểm (bom giải nén)",
    "pdf_javascript": "tệp PDF chứa mã JavaScript",
    "pdf_launch": "tệp PDF chứa lệnh chạy chương trình",
    "pdf_embedded_files": "tệp PDF chứa tệp nhúng",
    "pdf_xfa": "tệp PDF dạng biểu mẫu XFA",
    "pdf_no_pages": "tệp PDF không có trang",
    "pdf_too_many_pages": "tệp PDF quá nhiều trang",
    "pdf_too_complex": "tệp PDF quá phức tạp",
}


def reason_label(code: str) -> str:
    """`chữ ký số không hợp lệ` for `signature_failed`; a rule's refusal is named by its rule."""
    if code.startswith("rule:"):
        return f"theo quy tắc {code[5:]}"
    return REASON_VI.get(code, code)


def doc_type_name(code: str | None) -> str:
    """`Quyết định` for `quyet_dinh` (Nghị định 30/2020 Phụ lục III); empty when unknown."""
    from gateway.reading.vocab import BY_CODE

    if not code or code == "other" or code not in BY_CODE:
        return ""
    return BY_CODE[code].names[0].capitalize()


def doc_types() -> list[tuple[str, str]]:
    """Every doc type code with its name, for a clerk's filter."""
    from gateway.reading.vocab import BY_CODE
    from gateway.vntext import search_key

    return sorted(((c, doc_type_name(c)) for c in BY_CODE if c != "other"), key=lambda kv: search_key(kv[1]))
