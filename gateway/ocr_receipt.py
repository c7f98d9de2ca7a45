"""A receiving office's `ĐẾN` stamp on page 1 (Nghị định 30/2020 Phụ lục IV: the receipt stamp, a ruled
frame with the receiver's name, `ĐẾN`, `Số:`, `Ngày:`, `Giờ:`) is not the document's text.

Agencies publish what they received, so their scans carry it, stamped in the blank beside the title and
the subject (the Government portal's `CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ / ĐẾN / Giờ / Ngày` on every
Government Office PDF). OCR reads its lines into the subject's (`ĐẾN way.0244212024.| dịp trước, trong và
sau Tết…`). The frame is found without OCR: two horizontal rules of the same span, 10–40 mm apart, joined
by a vertical rule at one end at least, pressed up to 3° askew. The words inside it are dropped when they
are a receipt stamp's: `ĐẾN` or `Giờ` among them, or a portal's name, or three words or more in a frame
tall enough for the stamp's lines (OCR makes little of its small print). A framed urgency or secrecy mark
(R6, R14) says so and stays; a ruled cell with the document's own number says none of this and stays.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from gateway.ocr import Word
from gateway.ocr_marks import Box
from gateway.vntext import skeleton

_DARK = 140
_WIDTH_MM = (30.0, 90.0)
_HEIGHT_MM = (10.0, 40.0)
_SAME_SPAN = 0.7  # two rules are one frame's when they share this much of the longer one
_TILT_MM = 2.0
_SIDE_SHARE = 0.9  # of a side's rows that must have ink near it
# `ĐẾN` and `Giờ` are on every receipt stamp (Phụ lục IV), and on nothing else a page frames; OCR may read
# only the receiver's name, an electronic portal's (`CỔNG THÔNG TIN ĐIỆN TỬ …`). `Số:` alone is not enough
# (a header set in a ruled table frames the document's own number).
_RECEIPT_WORDS = frozenset(("den", "gio"))
_PORTAL = "thongtin"
# A frame this tall holds a receipt stamp's three or more lines, whatever OCR made of them; a framed mark
# is one line, and says what it is.
_TALL_MM = 15.0
_MARK_WORDS = frozenset(("khan", "toc", "mat"))


def _runs(row: np.ndarray, least: int) -> list[tuple[int, int]]:
    """The runs of True in `row` at least `least` long, as (start, end)."""
    padded = np.concatenate(([False], row, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= least]


def frames(gray: Image.Image, dpi: int) -> list[Box]:
    """The ruled rectangles of a receipt stamp's size in `gray`."""
    mm = dpi / 25.4
    ink = np.asarray(gray.convert("L")) < _DARK
    # A stamp is pressed askew: a rule's row steps up or down along it. Rows ORed over 2 mm keep it one
    # run (3° over 40 mm is 2 mm); text lines do not become runs, the spaces between words stay.
    tilt = max(1, round(_TILT_MM * mm))
    thick = ink.copy()
    for k in range(1, tilt):
        thick[:-k] |= ink[k:]
    least = int(_WIDTH_MM[0] * mm)
    # (y, start, end): the horizontal rules, a rule's thickness merged into its first row
    rules: list[tuple[int, int, int]] = []
    for y in np.flatnonzero(thick.sum(axis=1) >= least).tolist():  # a row with less ink has no run that long
        for a, b in _runs(thick[y], least):
            if not any(abs(y - y0) <= tilt + 3 and abs(a - a0) <= 3 and abs(b - b0) <= 3 for y0, a0, b0 in rules[-20:]):
                rules.append((y + tilt - 1, a, b))  # the row its ink is on, the window ORed down to it
    found: list[Box] = []
    for i, (y, a, b) in enumerate(rules):
        if not _WIDTH_MM[0] * mm <= b - a <= _WIDTH_MM[1] * mm:
            continue
        for y2, a2, b2 in rules[i + 1 :]:
            if y2 - y > _HEIGHT_MM[1] * mm:
                break
            # the same span, but for a faint corner that left one rule's end a little short
            if y2 - y < _HEIGHT_MM[0] * mm or min(b, b2) - max(a, a2) < _SAME_SPAN * max(b - a, b2 - a2):
                continue
            # one side ruled is enough (a stamp pressed unevenly leaves the other faint)
            if any(_side(ink, y, y2, x, tilt) for x in (a, a2, b - 1, b2 - 1)):
                box = Box(min(a, a2), y - tilt, max(b, b2), y2 + 1)
                overlapping = [
                    f
                    for f in found
                    if f.left < box.right and box.left < f.right and f.top < box.bottom and box.top < f.bottom
                ]
                for f in overlapping:  # the same frame found from another of its rules' rows
                    found.remove(f)
                    box = Box(
                        min(f.left, box.left), min(f.top, box.top), max(f.right, box.right), max(f.bottom, box.bottom)
                    )
                found.append(box)
                break
    return found


def _side(ink: np.ndarray, top: int, bottom: int, x: int, tilt: int) -> bool:
    """A vertical rule near column x from `top` to `bottom`, askew by as much as a rule may be: nearly
    every row has ink within `tilt` pixels of x (a column of text lines leaves the gaps between them)."""
    lo, hi = max(0, x - tilt), min(ink.shape[1], x + tilt + 1)
    return bool(ink[top:bottom, lo:hi].any(axis=1).mean() >= _SIDE_SHARE)


def _inside(word: Word, box: Box) -> bool:
    cx, cy = word.left + word.width / 2, word.top + word.height / 2
    return box.left <= cx <= box.right and box.top <= cy <= box.bottom


def receipt_frames(gray: Image.Image, words: list[Word], dpi: int) -> list[Box]:
    """The `frames` in `gray` whose words (read from it, in its pixels) are a receipt stamp's."""
    found = []
    for box in frames(gray, dpi):
        said = ["".join(c for c in skeleton(w.text).lower() if c.isalpha()) for w in words if _inside(w, box)]
        if set(said) & _MARK_WORDS:
            continue  # a framed urgency or secrecy mark (R6, R14)
        tall = box.height >= _TALL_MM * dpi / 25.4  # a receipt stamp's lines (name, ĐẾN, Số, Ngày, Giờ)
        if set(said) & _RECEIPT_WORDS or _PORTAL in "".join(said) or (tall and len(said) >= 3):
            found.append(box)
    return found


def outside(words: list[Word], boxes: list[Box]) -> list[Word]:
    """`words` but those inside one of `boxes`."""
    return [w for w in words if not any(_inside(w, box) for box in boxes)]
