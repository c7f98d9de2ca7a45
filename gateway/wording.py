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
