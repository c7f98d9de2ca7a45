"""Fonts with Vietnamese glyphs for the PDFs the gateway draws (the register form, the report, the samples).

Liberation Serif (metric-compatible with Times New Roman, the font of official documents, Nghị định 30/2020
Phụ lục I) when installed, else DejaVu Serif — both from Debian's packages (scripts/install-system-deps.sh).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_CANDIDATES = {
    "Serif": [
        "liberation2/LiberationSerif-Regular.ttf",
        "liberation/LiberationSerif-Regular.ttf",
        "dejavu/DejaVuSerif.ttf",
    ],
    "Serif-Bold": [
        "liberation2/LiberationSerif-Bold.ttf",
        "liberation/LiberationSerif-Bold.ttf",
        "dejavu/DejaVuSerif-Bold.ttf",
    ],
    "Serif-Italic": [
        "liberation2/LiberationSerif-Italic.ttf",
        "liberation/LiberationSerif-Italic.ttf",
        "dejavu/DejaVuSerif-Italic.ttf",
    ],
}
FONT_ROOT = Path("/usr/share/fonts/truetype")


def font_path(name: str) -> Path:
    for rel in FONT_CANDIDATES[name]:
        path = FONT_ROOT / rel
        if path.exists():
            return path
    raise RuntimeError(f"no font with Vietnamese glyphs for {name}: install fonts-liberation2 or fonts-dejavu-core")


def register_fonts() -> None:
    """Register Serif, Serif-Bold and Serif-Italic with reportlab (once)."""
    for name in FONT_CANDIDATES:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
