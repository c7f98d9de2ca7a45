"""Tesseract OCR of page images, returned as layout text (columns kept apart by runs of spaces).

Tesseract runs in the process, its model loaded once and kept warm (`gateway.ocr_engine`, issue 16), one
thread (`OMP_THREAD_LIMIT=1`: on two cores OpenMP threads made Tesseract 5.3 four times slower on a full
page, 5.1 s against 1.35 s), no inverted-text pass (another 15 %), a deadline per run. The TSV word boxes are
laid out on a character grid, so the two columns of the Nghị định 30 header and of the signer block stay
apart the way `pypdf`'s layout mode keeps them for a text layer: `gateway.reading` reads both alike.

Red ink is taken out before OCR (`prepare`): the seal over the signature and red stamps become paper,
so Tesseract neither reads them nor drops the names they cross as a picture; black and blue ink stay.
`find_closing` finds, without OCR, where a last page's closing is and the gutter between its columns.

OCR text is derived data (R20): it is returned, never written into the original.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageStat

from gateway.metrics import OCR_SECONDS
from gateway.ocr_engine import recognize_tsv
from gateway.vntext import nfc


@dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line: tuple[int, int, int]  # tesseract's (block, paragraph, line)


def prepare(image: Image.Image) -> Image.Image:
    """Greyscale, with the red ink gone: the seal over the signature and red stamps become paper, so
    Tesseract neither reads them nor takes the names they cross for a picture. Black and blue stay."""
    if image.mode not in ("RGB", "RGBA"):
        return image.convert("L")
    gray = rgb(image).getchannel("R")
    gray.paste(255, mask=_redness(image).point(lambda v: 255 if v > 40 else 0))
    return gray


def rgb(image: Image.Image) -> Image.Image:
    """`image` in RGB: itself when it is (PIL's convert copies it even then: a 200-dpi page is 12 MB)."""
    return image if image.mode == "RGB" else image.convert("RGB")


def _redness(image: Image.Image) -> Image.Image:
    """How much redder than green and blue each pixel of a colour image is (0 for grey)."""
    r, g, b = rgb(image).split()
    return ImageChops.subtract(r, ImageChops.lighter(g, b))


def red_ink(image: Image.Image) -> Image.Image | None:
    """The red ink of a colour image alone, black on white (what `prepare` takes out: a seal, and a red
    urgency or secrecy stamp, R6, R14); None for a grey or 1-bit image."""
    if image.mode not in ("RGB", "RGBA"):
        return None
    return _redness(image).point(lambda v: 0 if v > 40 else 255)


def ink_fraction(image: Image.Image, *, dark: int = 140, margin: float = 0.05) -> float:
    """The share of dark pixels inside the page's margins: a blank page has almost none. The outer 5 % of
    each side is left out: a scanner's lid and the sheet's edge cast a dark border on blank backs
    (held-out bca-cv-4409's page 2 had 2 % dark pixels, all at its edges)."""
    gray = image.convert("L")
    dx, dy = int(gray.width * margin), int(gray.height * margin)
    if dx and dy:
        gray = gray.crop((dx, dy, gray.width - dx, gray.height - dy))
    histogram = gray.histogram()
    return sum(histogram[:dark]) / max(1, gray.width * gray.height)


def seal_ink(image: Image.Image, *, margin: float = 0.08, below: float = 0.0) -> int:
    """The number of red pixels away from the side edges, and below `below` of the height: a signed page's
    red seal over the signer block gives a few hundred at 30 dpi, a page without one none (a "giáp lai"
    half seal on an annex page's edge is left out with the edges; page 1's header, where a red urgency
    stamp or emblem may stand, with `below`). Grey and 1-bit scans have none."""
    if image.mode not in ("RGB", "RGBA"):
        return 0
    dx = int(image.width * margin)
    redness = _redness(image.crop((dx, int(image.height * below), image.width - dx, image.height)))
    return sum(redness.point(lambda v: 255 if v > 60 else 0).histogram()[255:])


# Degrees: a page tilted less is OCR'd as it is. Chosen by measurement (bench_reading.py): turning pages
# from 0.3° on cost 2 fields of 833 on the rendered scans and 3 of 204 on the real PDFs (Tesseract copes
# with a small tilt, and resampling blurs); from 1° on, nothing was lost.
DESKEW_FROM = 1.0
_SKEW_MAX = 3.0  # degrees: a sheet fed askew; more is a page scanned sideways, not mended here


def _row_peakedness(small: Image.Image, angle: float) -> float:
    rows = small.rotate(angle, resample=Image.Resampling.NEAREST).resize((1, small.height), Image.Resampling.BOX)
    return ImageStat.Stat(rows).var[0]


def skew_angle(gray: Image.Image) -> float:
    """The angle (degrees, counter-clockwise) that makes the text lines of a page horizontal: the one whose
    row profile of ink is the most peaked (lines and gaps sharply apart). Every 0.5° up to ±3° on a
    quarter-size copy of the page, then the quarter degrees either side of the best."""
    small = gray.point(lambda v: 255 if v < 140 else 0).resize(
        (max(1, gray.width // 4), max(1, gray.height // 4)), Image.Resampling.BOX
    )
    scores = {a / 2: _row_peakedness(small, a / 2) for a in range(-int(2 * _SKEW_MAX), int(2 * _SKEW_MAX) + 1)}
    best = max(scores, key=lambda a: (scores[a], -abs(a)))
    for angle in (best - 0.25, best + 0.25):
        scores[angle] = _row_peakedness(small, angle)
    return max(scores, key=lambda a: (scores[a], -abs(a)))


def deskew(gray: Image.Image) -> Image.Image:
    """The page turned straight when a scanner fed it askew (`DESKEW_FROM` or more): the two columns of
    the header and of the signer block then stay apart on a line, and the gutter between them stays white."""
    return turned(gray, skew_angle(gray))


def turned(image: Image.Image, angle: float) -> Image.Image:
    """`image` turned by `angle` (`skew_angle`'s), or itself below `DESKEW_FROM`: another rendering of a page
    (its red ink kept) turned as its prepared copy was."""
    if abs(angle) < DESKEW_FROM:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)


def run_tesseract(
    image: Image.Image,
    *,
    language: str = "vie",
    timeout: float = 30.0,
    tessdata: str = "",
    dpi: int = 200,
    psm: int = 3,
) -> list[Word]:
    """The words Tesseract finds in `image` (already prepared), with their boxes: read by the engine
    kept warm in this process (`gateway.ocr_engine`)."""
    return parse_tsv(recognize_tsv(image, language=language, tessdata=tessdata, dpi=dpi, psm=psm, timeout=timeout))


# Letters Vietnamese does not have that Tesseract's Vietnamese model reads for one it has: `ñ` for `đ` (`chỉ
# ñạo`, bacgiang-tu-bptt-cv-368).
_NOT_VIETNAMESE = str.maketrans({"ñ": "đ", "Ñ": "Đ"})


def parse_tsv(tsv: str) -> list[Word]:
    """The word rows (level 5) of Tesseract's TSV; its header and page, block, paragraph and line rows
    are left out."""
    words = []
    for row in tsv.splitlines():
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = nfc(cols[11]).translate(_NOT_VIETNAMESE).strip()
        if not text:
            continue
        try:
            block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
            left, top, width, height = (int(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        words.append(Word(text, left, top, width, height, conf, (block, par, line)))
    return words


def _rows(words: list[Word]) -> list[list[Word]]:
    """Tesseract's lines merged into page rows: lines side by side (the two columns of the header or of
    the signer block, which full page segmentation may put in different blocks) become one row."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    rows: list[list[Word]] = []
    for ws in sorted(lines.values(), key=lambda ws: min(w.top for w in ws)):
        top, bottom = min(w.top for w in ws), max(w.top + w.height for w in ws)
        left, right = min(w.left for w in ws), max(w.left + w.width for w in ws)
        for row in rows:
            r_top, r_bottom = min(w.top for w in row), max(w.top + w.height for w in row)
            overlap = min(bottom, r_bottom) - max(top, r_top)
            side_by_side = all(w.left + w.width <= left or w.left >= right for w in row)
            if side_by_side and overlap >= 0.5 * min(bottom - top, r_bottom - r_top):
                row.extend(ws)
                break
        else:
            rows.append(list(ws))
    return sorted(rows, key=lambda row: statistics.median(w.top for w in row))


# A dash Tesseract reads alone between two spaces is named by its width against the letters of its line
# (their boxes' height, about an em): a hyphen is a third of an em, an en dash half of one, an em dash a
# whole one. Tesseract's own choice among `-`, `–`, `—` and `~` follows the font, not the glyph: on the
# real agency scans (bench_reading.py) the hyphens of bullets and of `Hồ Chí Minh - Long Thành` measured
# 0.27–0.38, the en dashes of `2024 – 2025`, `17 – năm 2026`, `TC – HC` 0.58–0.77, read as `-`, `—`, `~`.
# Tesseract may read one en dash as two glyphs (`—-`; 5.5 did): a word of at most two dash glyphs is one dash.
_DASH_GLYPHS = frozenset("-–—~")
EN_DASH_FROM = 0.45
EM_DASH_FROM = 1.0


def dash_by_width(word: Word, letter_height: float) -> str:
    """`word`'s text, or the dash its width says it is when it is a lone dash (a thin stroke)."""
    lone_dash = 0 < len(word.text) <= 2 and set(word.text) <= _DASH_GLYPHS
    if not lone_dash or letter_height <= 0 or word.height > 0.3 * letter_height:
        return word.text
    ratio = word.width / letter_height
    return "-" if ratio < EN_DASH_FROM else "–" if ratio < EM_DASH_FROM else "—"


def _letter_height(row: list[Word], default: float) -> float:
    """The median height of the row's words of two letters or more (a dash's own box is a thin stroke)."""
    heights = [w.height for w in row if sum(c.isalpha() for c in w.text) >= 2]
    return statistics.median(heights) if heights else default


def layout_text(words: list[Word], *, min_conf: float = 0.0) -> str:
    """Words laid out on a character grid, one text line per row: words of a phrase are one space
    apart, and a wide gap (between columns) puts the next word at the column its left edge falls on, so
    the columns come out separated by runs of spaces; a wide vertical gap gives a blank line."""
    kept = [w for w in words if w.conf >= min_conf or w.conf < 0]
    if not kept:
        return ""
    char_w = statistics.median(w.width / max(len(w.text), 1) for w in kept) or 1.0
    # a line's height from its words, a lone letter's box being smaller; 20 px when only such letters were read
    heights = [w.height for w in kept if len(w.text) > 1]
    line_h = statistics.median(heights) if len(kept) > 1 and heights else 20
    out = []
    previous_bottom = None
    for row in _rows(kept):
        top = statistics.median(w.top for w in row)
        if previous_bottom is not None and top - previous_bottom > 1.2 * line_h:
            out.append("")  # a gap (after the subject, before the signer's name) is a blank line
        previous_bottom = statistics.median(w.top + w.height for w in row)
        text, prev_right = "", None
        letters = _letter_height(row, line_h)
        for w in sorted(row, key=lambda w: w.left):
            col = round(w.left / char_w)
            if prev_right is None:
                text = " " * col
            elif w.left - prev_right <= 2 * line_h:  # a word space; a column gap is wider (≥ 10 mm)
                text += " "
            else:
                text += " " * max(3, col - len(text))
            text += dash_by_width(w, letters)
            prev_right = w.left + w.width
        out.append(text.rstrip())
    return "\n".join(out)


# --- where the fields are: cheap line analysis of a page image (no OCR) -------------------------------


@dataclass(frozen=True)
class Band:
    """One line of text on a page image: its rows, its horizontal extent and widest inner gap (pixels)."""

    top: int
    bottom: int
    left: int
    right: int
    widest_gap: int
    runs: int  # separate stretches of ink along the line: letters and words make many, a rule one


def text_bands(gray: Image.Image, *, dark: int = 140, step: int = 4) -> list[Band]:
    """The text lines of a greyscale page image, found from its ink profile."""
    ink = gray.point(lambda v: 255 if v < dark else 0)
    w, h = ink.size
    rows = ink.resize((1, h), Image.Resampling.BOX).tobytes()
    bands, start = [], None
    for y, v in enumerate([*rows, 0]):
        if v > 1 and start is None:
            start = y
        elif v <= 1 and start is not None:
            if y - start >= 8:  # thinner than ~1 mm: a drawn rule or noise, not text
                bands.append((start, y))
            start = None
    out = []
    cols_n = max(1, w // step)
    for top, bottom in bands:
        cols = ink.crop((0, top, w, bottom)).resize((cols_n, 1), Image.Resampling.BOX).tobytes()
        inked = [i for i, v in enumerate(cols) if v > 8]
        if not inked:
            continue
        gaps = [b - a for a, b in itertools.pairwise(inked)]
        widest, runs = max(gaps, default=0), 1 + sum(1 for g in gaps if g > 1)
        out.append(Band(top, bottom, inked[0] * step, (inked[-1] + 1) * step, widest * step, runs))
    return out


@dataclass(frozen=True)
class Closing:
    """Where a last page's closing (signer block, recipients, copy block) lies on its image."""

    top: int  # from here down (two lines to spare above the body's last full-width line)
    split_top: int  # from here down the page is two columns, read apart
    gutter: int | None  # x between the columns, or None when there is no clear gutter


# Millimetres along the sheet's left and right edges that hold no text (Nghị định 30/2020 Phụ lục I: margins of
# 30–35 mm on the left, 15–20 mm on the right) but often a scanner's marks: the sheet's own edge, punch holes,
# the shadow of a binding. A mark there beside a body line made it two stretches of ink far apart, not a
# full-width line, and the closing was not found (real VPCP scan: the whole page read as one column).
EDGE_MM = 8


def find_closing(gray: Image.Image, dpi: int) -> Closing:
    """The closing of a last page: everything under its last full-width body line, with the white gutter
    between the recipient lists (left) and the signer block (right). No body line: the whole page."""
    w, h = gray.size
    mm = dpi / 25.4
    edge = int(EDGE_MM * mm)
    full = [
        b
        for b in text_bands(gray.crop((edge, 0, w - edge, h)))
        if b.left + edge <= 45 * mm
        and b.right + edge >= w - 45 * mm
        and b.widest_gap <= 6 * mm
        and b.bottom - b.top < 12 * mm
        and b.runs >= 12  # a drawn rule (the copy block's, skewed) is one long stretch of ink
    ]
    if not full:
        return Closing(0, 0, None)
    split_top = min(h, full[-1].bottom + int(1 * mm))
    return Closing(max(0, full[-1].top - int(16 * mm)), split_top, _gutter(gray, split_top, dpi))


def _gutter(gray: Image.Image, top: int, dpi: int, *, step: int = 4) -> int | None:
    """The x of the emptiest column strip between 38 % and 58 % of the width, below `top`: the middle of
    the widest run of the emptiest columns."""
    w, h = gray.size
    if h - top < dpi // 4:
        return None
    ink = gray.crop((0, top, w, h)).point(lambda v: 255 if v < 140 else 0)
    cols = ink.resize((max(1, w // step), 1), Image.Resampling.BOX).tobytes()
    lo, hi = int(len(cols) * 0.38), int(len(cols) * 0.58)
    if hi <= lo:
        return None
    least = min(cols[lo:hi])
    if least > 2:
        return None
    # The middle of the widest strip as white as the whitest: a strip's edge may cut the end of a long
    # recipient line the profile averages away (`… cơ quan thuộc CP;` read as `thuộc C`, a real scan).
    runs: list[tuple[int, int]] = []  # (start, end) of the runs of columns at `least`
    for i in range(lo, hi):
        if cols[i] == least:
            if runs and runs[-1][1] == i:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
    middle = (lo + hi) // 2
    start, end = max(runs, key=lambda r: (r[1] - r[0], -abs((r[0] + r[1]) // 2 - middle)))
    return ((start + end) // 2) * step


def ocr_words(
    image: Image.Image,
    *,
    language: str = "vie",
    timeout: float = 30.0,
    tessdata: str = "",
    dpi: int = 200,
    offset: tuple[int, int] = (0, 0),
    tag: int = 0,
    psm: int = 3,
) -> list[Word]:
    """The words of `image` (a `prepare`d region of a page), their boxes moved by `offset` into page
    coordinates and their line keys tagged, so the words of several regions can be laid out together."""
    with OCR_SECONDS.time():
        words = run_tesseract(image, language=language, timeout=timeout, tessdata=tessdata, dpi=dpi, psm=psm)
    dx, dy = offset
    return [
        Word(w.text, w.left + dx, w.top + dy, w.width, w.height, w.conf, (w.line[0] + 10_000 * tag, *w.line[1:]))
        for w in words
    ]


def ocr_stacked(
    pieces: list[tuple[Image.Image, tuple[int, int]]],
    *,
    language: str = "vie",
    timeout: float = 30.0,
    tessdata: str = "",
    dpi: int = 200,
) -> list[list[Word]]:
    """The words of several `prepare`d regions in ONE Tesseract run: the regions are stacked one under
    the other on white paper, half an inch apart, and each word goes back to its region (by where its box
    lies) with its box moved by the region's `offset` into page coordinates.

    Chosen by measurement (issue 16): each Tesseract run costs ~0.19 s of CPU before it reads anything
    (loading the Vietnamese model), so the header and the two closing columns read in three runs cost 0.91 s
    of CPU on the bench's scan against 0.56 s for its whole page; stacked, the columns still come out apart
    (no text line spans the gap between two regions) and the model is loaded once. Each region is cut
    down to its text lines first: blank paper on the sheet still costs layout analysis.
    Measured (8 bench scans, CPU a document, Tesseract + Python): 1.09 s in three runs, 0.62 s stacked and
    trimmed, 0.80 s with the header in a run of its own. Fields read (bench_reading.py): rendered scans and
    real texts' scans unchanged (821/833, 719/748); real agency scans 255/340 against 260/340 (257 with
    the header apart): Tesseract reads a few closing lines of those poor scans differently either way."""
    if not pieces:
        return []
    pieces = [_trimmed(image, offset, dpi) for image, offset in pieces]
    gap = max(16, dpi // 2)
    width = max(image.width for image, _ in pieces)
    height = sum(image.height for image, _ in pieces) + gap * (len(pieces) + 1)
    sheet = Image.new("L", (width + 2 * gap, height), 255)
    starts = []
    y = gap
    for image, _ in pieces:
        sheet.paste(image.convert("L"), (gap, y))
        starts.append(y)
        y += image.height + gap
    with OCR_SECONDS.time():
        words = run_tesseract(sheet, language=language, timeout=timeout, tessdata=tessdata, dpi=dpi)
    out: list[list[Word]] = [[] for _ in pieces]
    for w in words:
        middle = w.top + w.height // 2
        k = max(0, bisect.bisect_right(starts, middle) - 1)
        image, (dx, dy) = pieces[k]
        if not starts[k] <= middle < starts[k] + image.height:
            continue  # noise Tesseract found in a gap
        out[k].append(Word(w.text, w.left - gap + dx, w.top - starts[k] + dy, w.width, w.height, w.conf, w.line))
    return out


def _trimmed(image: Image.Image, offset: tuple[int, int], dpi: int) -> tuple[Image.Image, tuple[int, int]]:
    """The piece cut down to its lines of text (`text_bands`) with a margin of a tenth of an inch: the
    blank paper under a signer block or beside a column costs Tesseract's page layout analysis time and
    holds nothing. A piece without a band is kept whole (faint text the profile misses)."""
    bands = text_bands(image)
    if not bands:
        return image, offset
    margin = max(4, dpi // 10)
    box = (
        max(0, min(b.left for b in bands) - margin),
        max(0, bands[0].top - margin),
        min(image.width, max(b.right for b in bands) + margin),
        min(image.height, bands[-1].bottom + margin),
    )
    return image.crop(box), (offset[0] + box[0], offset[1] + box[1])


# A signer block is at least its title and the signer's name, with the signature between them, and
# usually the signing authority (KT., TM.) above: fewer rows than this in the signer column means the
# stacked run lost some of it.
SIGNER_ROWS = 3


def line_count(words: list[Word]) -> int:
    """How many text rows the words make (`layout_text`'s rows)."""
    return len(_rows(words))


def too_few_lines(words: list[Word], *, rows: int = SIGNER_ROWS) -> bool:
    """Whether a signer column read by the stacked run came out shorter than any signer block."""
    return line_count(words) < rows


def reread_column(
    image: Image.Image,
    offset: tuple[int, int],
    *,
    language: str = "vie",
    timeout: float = 30.0,
    tessdata: str = "",
    dpi: int = 200,
) -> list[Word]:
    """The words of one column (a `prepare`d crop), read in a Tesseract run of its own as one uniform
    block of text (`REREAD_PSM`), boxes moved by `offset` into page coordinates; their line keys are set
    apart from those of the stacked run, whose words of the other column are laid out with them (`_rows`
    groups words by line key)."""
    return ocr_words(
        image,
        language=language,
        timeout=timeout,
        tessdata=tessdata,
        dpi=dpi,
        offset=offset,
        tag=_REREAD_TAG,
        psm=REREAD_PSM,
    )


# Tesseract's page segmentation for the re-read column: 6, one uniform block of text, not 3 (automatic
# layout analysis). Under a black seal on a 1-bit scan, layout analysis takes the seal for a picture and
# drops every line that touches it, the name under it too; read as one block, each line is kept (with
# the seal's specks read as junk lines, which the reader skips). Measured on the real agency PDFs
# (bench_reading.py, issue 9): see gateway.pdf.text._reread_short_column.
REREAD_PSM = 6
_REREAD_TAG = 100  # line keys of a re-read column: block + 10_000 × 100, beyond any stacked run's blocks
