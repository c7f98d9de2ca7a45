"""The urgency vocabulary (R14), in one place: codes, their order, their Vietnamese names, edXML priorities.

Documents mark urgency as *Khẩn*, *Thượng khẩn*, *Hỏa tốc* (Nghị định 30/2020, Phụ lục I); the metadata
carries the codes below, the calendar gives each its deadline, the alert and the replies show the names.
"""

from __future__ import annotations

from collections.abc import Iterable

KHAN = "khan"
THUONG_KHAN = "thuong_khan"
HOA_TOC = "hoa_toc"
URGENCIES = (KHAN, THUONG_KHAN, HOA_TOC)  # ascending
URGENCY_NAMES_VI = {KHAN: "Khẩn", THUONG_KHAN: "Thượng khẩn", HOA_TOC: "Hỏa tốc"}
# QCVN 102:2016 OtherInfo/Priority: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc (4: hỏa tốc hẹn giờ).
EDXML_PRIORITY = {None: 0, KHAN: 1, THUONG_KHAN: 2, HOA_TOC: 3}


def highest(urgencies: Iterable[str | None]) -> str | None:
    """The most urgent of `urgencies` (unknown codes and None ignored), or None."""
    found = [u for u in urgencies if u in URGENCIES]
    return max(found, key=URGENCIES.index) if found else None


def name_vi(urgency: str | None) -> str:
    """`Hỏa tốc` for `hoa_toc`; empty for an ordinary document."""
    return URGENCY_NAMES_VI.get(urgency or "", "")
