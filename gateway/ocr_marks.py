"""Urgency marks stamped askew on page 1 (R14): `HỎA TỐC`, `THƯỢNG KHẨN`, `KHẨN` in a frame or an arrow.

The registry stamps the mark by hand, turned 20–45°, often over the margin beside the subject (real
Government Office PDFs). Tesseract reads the page's straight lines and leaves such a stamp unread, and the
mark must never be missed. What the page OCR left unread (`unread_ink`: ink not under a word it read with
confidence) is looked at again: the stamp's letters are told apart from its frame by their size
(`letter_boxes`), the line through them gives the angle, and the letters alone, turned straight, are OCR'd
as one line. The caller keeps the text only when it is a mark (`gateway.reading` decides, as for any line).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

from PIL import Image, ImageFilter

from gateway.ocr import Word, run_tesseract

_DARK = 140
_CELL_MM = 2.0  # the grid unread ink is gathered on
_MAX_CANDIDATES = 3
_MAX_LETTERS = 40  # the largest components a line is looked for among (pairs × letters: kept small)
# Degrees: a stamp turned less is read with the page's straight lines; more is not a line of a mark
_TILT = (8.0, 60.0)
_GAP_MM = 8.0  # the widest gap between a stamp's neighbouring letters (a word space, a broken letter lost)


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


def _clusters(cells: set[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Groups of touching cells (8-neighbourhood)."""
    seen: set[tuple[int, int]] = set()
    groups = []
    for start in sorted(cells):
        if start in seen:
            continue
        seen.add(start)
        stack, group = [start], []
        while stack:
            x, y = stack.pop()
            group.append((x, y))
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    n = (x + dx, y + dy)
                    if n in cells and n not in seen:
                        seen.add(n)
                        stack.append(n)
        groups.append(group)
    return groups


def unread_ink(gray: Image.Image, words: list[Word], dpi: int) -> list[Box]:
    """Stamp-sized areas of ink that no confidently read word covers, largest first: 12–70 mm wide and
    8–60 mm high (a mark's frame turned askew), in the left 60 % of the page (where Nghị định 30 puts the
    urgency mark, under the number and the subject)."""
    cell, inked = _ink_cells(gray, dpi)
    gw, gh = max(1, gray.width // cell), max(1, gray.height // cell)
    covered: set[tuple[int, int]] = set()
    for word in words:
        if word.conf < 50 or len(word.text) < 2:
            continue
        for gx in range(word.left // cell, min(gw, (word.left + word.width) // cell + 1)):
            for gy in range(word.top // cell, min(gh, (word.top + word.height) // cell + 1)):
                covered.add((gx, gy))
    mm = dpi / 25.4
    boxes = []
    for group in sorted(_clusters(inked - covered), key=len, reverse=True):
        box = _cells_box(group, cell)
        if 12 * mm <= box.width <= 70 * mm and 8 * mm <= box.height <= 60 * mm and box.left < 0.6 * gray.width:
            boxes.append(box)
    return boxes[:_MAX_CANDIDATES]


def _ink_cells(gray: Image.Image, dpi: int) -> tuple[int, set[tuple[int, int]]]:
    """The grid's cell size (`_CELL_MM`, in pixels) and the cells of `gray` with ink in them."""
    cell = max(4, round(_CELL_MM * dpi / 25.4))
    gw, gh = max(1, gray.width // cell), max(1, gray.height // cell)
    data = gray.point(lambda v: 255 if v < _DARK else 0).resize((gw, gh), Image.Resampling.BOX).tobytes()
    return cell, {(i % gw, i // gw) for i, v in enumerate(data) if v > 6}


def _cells_box(group: list[tuple[int, int]], cell: int) -> Box:
    xs, ys = [c[0] for c in group], [c[1] for c in group]
    return Box(min(xs) * cell, min(ys) * cell, (max(xs) + 1) * cell, (max(ys) + 1) * cell)


def components(binary: Image.Image) -> list[tuple[Box, int, list[int]]]:
    """Connected ink components (4-neighbourhood) of a 1-bit-like image: (box, pixel count, pixel indexes)."""
    w, h = binary.size
    data = bytearray(binary.tobytes())
    out = []
    for start in range(w * h):
        if not data[start]:
            continue
        data[start] = 0
        stack, pixels = [start], []
        while stack:
            i = stack.pop()
            pixels.append(i)
            x = i % w
            for n in (i - w, i + w, i - 1 if x else -1, i + 1 if x + 1 < w else -1):
                if 0 <= n < w * h and data[n]:
                    data[n] = 0
                    stack.append(n)
        xs, ys = [i % w for i in pixels], [i // w for i in pixels]
        out.append((Box(min(xs), min(ys), max(xs) + 1, max(ys) + 1), len(pixels), pixels))
    return out


def letter_boxes(binary: Image.Image, dpi: int) -> list[tuple[Box, int, list[int]]]:
    """The components the size of a stamp's letters and marks (1–9 mm); the frame and specks are left out."""
    mm = dpi / 25.4
    return [c for c in components(binary) if 1 * mm <= max(c[0].width, c[0].height) <= 9 * mm and c[1] >= mm * mm / 2]


def _run(on: list[int], pts: list[tuple[float, float, int]], ux: float, uy: float, gap: float) -> list[int]:
    """The longest run of the letters `on` a line whose neighbours along it are at most `gap` apart: a
    stamp's letters follow one another, while a slanted line across straight text (a receipt stamp's
    rows, the subject's) meets a few letters of each row, rows apart."""
    ordered = sorted(on, key=lambda k: pts[k][0] * ux + pts[k][1] * uy)
    best: list[int] = []
    run: list[int] = []
    for k in ordered:
        if run and (pts[k][0] - pts[run[-1]][0]) * ux + (pts[k][1] - pts[run[-1]][1]) * uy > gap:
            run = []
        run.append(k)
        if len(run) > len(best):
            best = list(run)
    return best


def _line(letters: list[tuple[Box, int, list[int]]], dpi: int) -> tuple[float, list[tuple[Box, int, list[int]]]] | None:
    """(degrees counter-clockwise, the letters on it) of the line through the most letters' centres: every
    pair of letters proposes a line, and the longest run of letters one after the other within 1 mm of it
    (`_run`) whose own fit is turned 8–60° wins (body text cut by the crop, and straight rows a slanted line
    crosses, stay off it); the angle is a least-squares fit over those letters, weighted by their ink."""
    letters = sorted(letters, key=lambda c: c[1], reverse=True)[:_MAX_LETTERS]
    if len(letters) < 3:
        return None
    pts = [((c[0].left + c[0].right) / 2, (c[0].top + c[0].bottom) / 2, c[1]) for c in letters]
    near = dpi / 25.4
    best: list[int] = []
    fit: tuple[float, float, float] | None = None
    for i, j in combinations(range(len(pts)), 2):
        (x1, y1, _), (x2, y2, _) = pts[i], pts[j]
        length = math.hypot(x2 - x1, y2 - y1)
        tilt = abs(math.degrees(math.atan2(y2 - y1, x2 - x1)))
        if length < near or not _TILT[0] <= min(tilt, 180 - tilt) <= _TILT[1]:
            continue
        on = [k for k, (x, y, _) in enumerate(pts) if abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length <= near]
        on = _run(on, pts, (x2 - x1) / length, (y2 - y1) / length, _GAP_MM * near)
        if len(on) > len(best) and len(on) >= 3 and (found := _fit([pts[k] for k in on])):
            best, fit = on, found
    if fit is None:
        return None
    angle, mx, my = fit
    # the tone marks above the letters are kept with them: within 4 mm of the line, along the run
    rad = math.radians(-angle)
    ux, uy = math.cos(rad), math.sin(rad)
    along = [pts[k][0] * ux + pts[k][1] * uy for k in best]
    lo, hi = min(along) - 4 * near, max(along) + 4 * near
    keep = [
        c
        for c, (x, y, _) in zip(letters, pts, strict=True)
        if abs((y - my) * ux - (x - mx) * uy) <= 4 * near and lo <= x * ux + y * uy <= hi
    ]
    return angle, keep


def _fit(chosen: list[tuple[float, float, int]]) -> tuple[float, float, float] | None:
    """(degrees counter-clockwise, centre x, centre y) of the ink-weighted least-squares line through
    `chosen`; None unless it is turned 8–60°, as a stamp is."""
    total = sum(p[2] for p in chosen)
    mx = sum(p[0] * p[2] for p in chosen) / total
    my = sum(p[1] * p[2] for p in chosen) / total
    sxx = sum(p[2] * (p[0] - mx) ** 2 for p in chosen)
    sxy = sum(p[2] * (p[0] - mx) * (p[1] - my) for p in chosen)
    if sxx <= 0:
        return None
    angle = -math.degrees(math.atan2(sxy, sxx))  # image y grows downwards
    return (angle, mx, my) if _TILT[0] <= abs(angle) <= _TILT[1] else None


# How a stamp's letters are made ready for Tesseract, tried in turn until one reads as a mark: (the size of
# the minimum filter that joins a worn stamp's broken strokes, 0 for none; the enlargement). A worn
# `HỎA TỐC` whose T lost its bar reads `HA 1ÊC` one way and `HỎA TẾC` another (a real Government scan).
_RENDERINGS = ((3, 2), (0, 2), (3, 3))
STAMP_VARIANTS = len(_RENDERINGS)


def read_stamp(
    gray: Image.Image, box: Box, dpi: int, *, language: str, timeout: float, tessdata: str, variant: int = 0
) -> str:
    """The line of text a stamp in `box` of `gray` carries, its frame left out and its letters turned
    straight (`_RENDERINGS[variant]`); "" when it has no line of letters."""
    pad = round(2 * dpi / 25.4)
    crop = gray.crop((max(0, box.left - pad), max(0, box.top - pad), box.right + pad, box.bottom + pad))
    binary = crop.point(lambda v: 1 if v < _DARK else 0, mode="L")
    line = _line(letter_boxes(binary, dpi), dpi)
    if line is None or abs(line[0]) > 60:
        return ""
    angle, letters = line
    w = crop.width
    clean = Image.new("L", crop.size, 255)
    px = clean.load()
    assert px is not None
    for _, _, pixels in letters:
        for i in pixels:
            px[i % w, i // w] = 0
    joined, scale = _RENDERINGS[variant]
    if joined:
        clean = clean.filter(ImageFilter.MinFilter(joined))  # a worn stamp's broken strokes joined
    # enlarged: a stamp's thin, broken strokes read better (measured on the Government Office's stamps)
    large = clean.resize((scale * clean.width, scale * clean.height), Image.Resampling.BICUBIC)
    straight = large.rotate(-angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    words = run_tesseract(straight, language=language, timeout=timeout, tessdata=tessdata, dpi=scale * dpi, psm=7)
    return " ".join(word.text for word in words) or " "  # a line of letters that read as nothing


# A framed stamp whose bold letters ran together (a worn red `KHẨN` box: `K` and `H` one piece, the hook on `Ẩ`
# joined to it; held out 12, Kiên Giang's Sở Y tế) has no letters the size `read_stamp` tells letters by; read
# whole without its frame, Tesseract reads it. The frame: pieces as wide or as high as most of the crop, or long and
# thin (`_FRAME_SIDE` times as long as thick); specks go too.
_FRAME_SHARE = 0.7
_FRAME_SIDE = 8


def read_framed_stamp(
    ink: Image.Image, box: Box, dpi: int, *, language: str, timeout: float, tessdata: str, scale: int = 2
) -> str:
    """The line of text a framed stamp in `box` of `ink` (black on white) carries, its frame taken out, read as
    it stands (a stamp set nearly straight), enlarged `scale` times; "" when nothing but the frame is there."""
    mm = dpi / 25.4
    pad = round(2 * mm)
    crop = ink.crop((max(0, box.left - pad), max(0, box.top - pad), box.right + pad, box.bottom + pad))
    clean = Image.new("L", crop.size, 255)
    px = clean.load()
    assert px is not None
    kept = 0
    for piece, count, pixels in components(crop.point(lambda v: 1 if v < _DARK else 0, mode="L")):
        wide = piece.width >= _FRAME_SHARE * crop.width or piece.height >= _FRAME_SHARE * crop.height
        thin = max(piece.width, piece.height) > _FRAME_SIDE * max(1, min(piece.width, piece.height))
        if wide or thin or count < mm * mm / 2:
            continue
        kept += 1
        for i in pixels:
            px[i % crop.width, i // crop.width] = 0
    if not kept:
        return ""
    large = clean.resize((scale * clean.width, scale * clean.height), Image.Resampling.BICUBIC)
    words = run_tesseract(large, language=language, timeout=timeout, tessdata=tessdata, dpi=scale * dpi, psm=7)
    return " ".join(word.text for word in words)


# An arrow stamp (`>—HỎA TỐC—>`: the mark's letters drawn over an arrow's shaft; held out 9, Hải Phòng's red
# stamps): the shaft joins the letters into one piece, so `read_stamp`, which tells letters apart by their size,
# finds no line, and the page's OCR reads nothing there. Its ink is long and narrow (`_ARROW_LONG` times as long
# as wide at least, `_ARROW_MM` long, at any slant); turned straight by the principal direction of its ink, its
# middle (the letters, without the arrow's tail and head: `ARROW_SPANS`, the share of its length kept) is read as
# one word.
_ARROW_LONG = 2.5  # Hà Nội's block arrow is 2.8 times as long as wide, Hải Phòng's 3.4
_ARROW_MM = (25.0, 90.0)
ARROW_SPANS = ((0.22, 0.78), (0.18, 0.82), (0.0, 1.0))


def arrow_stamps(ink: Image.Image, dpi: int) -> list[Box]:
    """The boxes of long, narrow clusters of ink (black on white) the size of an arrow stamp, at any slant
    (Hà Nội's `HỎA TỐC` arrow stands at 45°: held out 10, hanoi-ubnd-ct-11), largest first: their extent along
    their principal direction and across it, from the grid cells they cover."""
    import numpy as np

    cell, inked = _ink_cells(ink, dpi)
    mm = dpi / 25.4
    boxes = []
    for group in sorted(_clusters(inked), key=len, reverse=True):
        if len(group) < 3:
            continue
        points = np.array(group, dtype=float)
        axes = np.linalg.eigh(np.cov((points - points.mean(axis=0)).T))[1]
        along, across = (np.ptp(points @ axes[:, k]) + 1 for k in (1, 0))
        if _ARROW_MM[0] * mm <= along * cell <= _ARROW_MM[1] * mm and along >= _ARROW_LONG * across:
            boxes.append(_cells_box(group, cell))
    return boxes[:_MAX_CANDIDATES]


def read_arrow_stamp(
    ink: Image.Image, box: Box, dpi: int, *, language: str, timeout: float, tessdata: str, span: int = 0
) -> str:
    """The letters of an arrow stamp in `box` of `ink` (black on white), turned straight, between the arrow's
    tail and head (`ARROW_SPANS[span]`); "" when the box holds too little ink."""
    import numpy as np

    pad = round(2 * dpi / 25.4)
    crop = ink.crop((max(0, box.left - pad), max(0, box.top - pad), box.right + pad, box.bottom + pad)).convert("L")
    ys, xs = np.nonzero(np.asarray(crop) < _DARK)
    if len(xs) < 50:
        return ""
    vx, vy = np.linalg.eigh(np.cov(np.vstack([xs - xs.mean(), ys - ys.mean()])))[1][:, -1]
    angle = math.degrees(math.atan2(vy, vx))
    angle = angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle
    straight = crop.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    dark = np.asarray(straight) < _DARK
    cols, rows = np.nonzero(dark.any(axis=0))[0], np.nonzero(dark.any(axis=1))[0]
    left, right = ARROW_SPANS[span]
    x0, width = int(cols[0]), int(cols[-1] - cols[0])
    letters = straight.crop(
        (x0 + int(left * width), max(0, int(rows[0]) - 4), x0 + int(right * width), int(rows[-1]) + 4)
    )
    words = run_tesseract(letters, language=language, timeout=timeout, tessdata=tessdata, dpi=dpi, psm=8)
    return " ".join(word.text for word in words)
