"""The `[reading]` table of config.toml: how documents are read (text layer, OCR)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from gateway.config import Section

log = logging.getLogger(__name__)
_LANGUAGE = re.compile(r"[A-Za-z_]+(\+[A-Za-z_]+)*")


@dataclass(frozen=True)
class ReadingSettings:
    ocr: bool = True  # OCR pages that have no usable text layer
    language: str = "vie"  # Tesseract model(s), e.g. "vie" or "vie+eng"
    ocr_timeout_seconds: float = 60.0  # per Tesseract run (one region of one page)
    dpi: int = 200  # resolution pages are rendered at for OCR
    tessdata: str = ""  # folder of Tesseract's models; "": TESSDATA_PREFIX or the usual folders


def reading_settings(sec: Section) -> ReadingSettings:
    """`[reading]` → `ReadingSettings`; raises `ConfigError` naming the key."""
    language = sec.str("language", "vie")
    if not _LANGUAGE.fullmatch(language):
        raise sec.error("language", f"must name Tesseract models like 'vie' or 'vie+eng', not {language!r}")
    dpi = sec.int("dpi", 200, minimum=72)
    if dpi > 600:
        raise sec.error("dpi", f"must be at most 600, not {dpi}")
    settings = ReadingSettings(
        ocr=sec.bool("ocr", True),
        language=language,
        ocr_timeout_seconds=sec.float("ocr_timeout_seconds", 60.0, minimum=1),
        dpi=dpi,
        tessdata=sec.str("tessdata", ""),
    )
    if sec.str("tesseract", ""):  # the program's path, before Tesseract ran in the process: a config keeps working
        log.warning("[reading] tesseract is no longer used: OCR runs libtesseract in the process; remove the key")
    sec.check_unknown()
    return settings
