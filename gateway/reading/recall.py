"""A sender's request to recall or replace a document it sent (R17; TTg Đ8.2, Đ9.2), read from the letter.

Recognised in the subject, then the body: *thu hồi* or *thay thế*, optionally a document type, then the
number and notation (`số 41/UBND-VP`), optionally its date (`ngày 02/3/2026`, `ngày 2 tháng 3 năm 2026`),
and a reason after *lý do*. "V/v thu hồi đất" (land recovery) is not a request: a number must follow.
Pure: whether the document is in the register, and whether the request comes from its sender with a
valid origin, is checked when the letter is processed (`gateway.register.recall`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from gateway.reading.words import CODE_CHARS
from gateway.vntext import nfc, squash_spaces


@dataclass(frozen=True)
class RecallRequest:
    kind: str  # recall | replace
    notation: str  # số và ký hiệu, e.g. 41/UBND-VP
    date: date | None = None
    reason: str | None = None


_TYPES = (
    r"văn bản|công văn|quyết định|giấy mời|thông báo|báo cáo|kế hoạch|tờ trình|công điện|chỉ thị|hướng dẫn"
    r"|nghị quyết|chương trình|biên bản|giấy ủy quyền|giấy uỷ quyền|quy chế|quy định|lịch công tác"
)
_NOTATION = r"\d{1,6}(?:\s*/\s*(?:19|20)\d\d)?\s*/\s*[A-ZĐ][" + CODE_CHARS + r"]*(?:\s?[-–]\s?[" + CODE_CHARS + r"]+)*"
_DATE = (
    r"(?:,?\s*ngày\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
    r"|,?\s*ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))?"
)
_REQUEST = re.compile(
    rf"(?P<verb>thu\s+hồi|thay\s+thế)\s+(?:(?:{_TYPES})\s+)?(?:(?:số|so)\s*:?\s*)?(?P<notation>{_NOTATION}){_DATE}",
    re.IGNORECASE,
)
_REASON = re.compile(r"lý\s+do\s*(?:thu\s+hồi|thay\s+thế)?\s*[:\-–]?\s*(?P<reason>[^\n]{3,300})", re.IGNORECASE)


def _date(m: re.Match[str]) -> date | None:
    suffix = "" if m.group("d") else "2"
    d, mo, y = (m.group(f"{g}{suffix}") for g in ("d", "m", "y"))
    if not d:
        return None
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def recognise(subject: str | None, body: str | None) -> RecallRequest | None:
    """The recall or replacement request in this letter, if it makes one."""
    for text in (subject or "", body or ""):
        found = _REQUEST.search(nfc(text))
        if found is None:
            continue
        kind = "replace" if found.group("verb").lower().startswith("thay") else "recall"
        notation = re.sub(r"\s+", "", found.group("notation")).replace("–", "-").rstrip(".")
        reason = _REASON.search(nfc(body or ""))
        return RecallRequest(
            kind=kind,
            notation=notation,
            date=_date(found),
            reason=squash_spaces(reason.group("reason")).rstrip(".") if reason else None,
        )
    return None
