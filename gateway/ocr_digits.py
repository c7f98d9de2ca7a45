"""Digits written by hand in a printed document's number and date cells (issue 9).

A registry clerk (văn thư) numbers and dates a document when it is issued, often by hand on the printed
form: `Số: 1135/ĐHTĐ` with `1135` in ink, `ngày 24 tháng 10 năm 2025` with `24` and `10` in ink.
Tesseract has no model for handwriting and reads such digits wrong (`4132` for 1135) or not at all. Here
the cells are found by the printed words around them (`Số:` … the printed code or year, `ngày` …
`tháng` … `năm`, their character boxes from Tesseract), each digit is cut out as its own ink, and it is
recognised by its nearest neighbours among 5,000 handwritten MNIST digits (gateway/defaults/digits,
built by scripts/build_digits.py). A day and a month are read as the likeliest valid value (1–31, 1–12).

What is read is kept apart from the page's text (`DocumentText.handwriting`, `key=value` words); the
reader weighs it against what Tesseract read (`gateway.reading.handwriting`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter

from gateway.ocr import Word
from gateway.ocr_engine import recognize_boxes
from gateway.ocr_marks import Box, components
from gateway.vntext import nfc, skeleton

MODEL_PATH = Path(__file__).parent / "defaults" / "digits" / "mnist-5k.npz"

_DARK = 150  # a pixel darker than this is ink (blue ink stays dark in the red channel `prepare` keeps)
_NEIGHBOURS = 7
_SIDE, _BOX, _SMALL = 28, 20, 14  # MNIST's frame, the box its digits are fitted in, the compared size


def features(glyph: Image.Image) -> list[float]:
    """A glyph (greyscale, ink bright on black as MNIST's) as the compared vector: fitted in a 20-pixel
    box centred in a 28-pixel frame (as MNIST's digits are), blurred and reduced to 14 × 14, scaled to
    unit length so that a thick pen and a thin one compare alike."""
    box = glyph.getbbox()
    frame = Image.new("L", (_SIDE, _SIDE), 0)
    if box is None:
        return [0.0] * (_SMALL * _SMALL)
    crop = glyph.crop(box)
    scale = _BOX / max(crop.width, crop.height)
    size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
    crop = crop.resize(size, Image.Resampling.LANCZOS)
    frame.paste(crop, ((_SIDE - size[0]) // 2, (_SIDE - size[1]) // 2))
    frame = _upright(frame)
    small = frame.filter(ImageFilter.GaussianBlur(1)).resize((_SMALL, _SMALL), Image.Resampling.BOX)
    values = [float(v) for v in small.tobytes()]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [v / norm for v in values]


def _upright(frame: Image.Image) -> Image.Image:
    """The digit sheared upright about its centre of mass, and centred on it (the usual deskewing of
    MNIST: a clerk's slanted `1135` and an upright sample then compare stroke for stroke)."""
    import numpy as np

    ink = np.asarray(frame, dtype=np.float64)
    total = ink.sum()
    if total <= 0:
        return frame
    ys, xs = np.mgrid[: ink.shape[0], : ink.shape[1]]
    cy, cx = (ink * ys).sum() / total, (ink * xs).sum() / total
    var_y = (ink * (ys - cy) ** 2).sum() / total
    cov = (ink * (ys - cy) * (xs - cx)).sum() / total
    alpha = cov / var_y if var_y > 0 else 0.0
    half = _SIDE / 2
    return frame.transform(
        frame.size,
        Image.Transform.AFFINE,
        (1, alpha, cx - half - alpha * half, 0, 1, cy - half),
        resample=Image.Resampling.BILINEAR,
    )


@functools.cache
def _model():  # type: ignore[no-untyped-def]
    import numpy as np

    with np.load(MODEL_PATH) as data:
        return data["x"].astype(np.float32), data["y"].astype(np.int64)


def classify(glyph: Image.Image) -> list[float]:
    """The probability of each digit 0–9 for one glyph: its nearest stored samples' votes, each weighed
    by closeness."""
    import numpy as np

    samples, labels = _model()
    vector = np.asarray(features(glyph), dtype=np.float32)
    distances = np.sqrt(((samples - vector) ** 2).sum(axis=1))
    nearest = np.argpartition(distances, _NEIGHBOURS)[:_NEIGHBOURS]
    weights = 1.0 / (distances[nearest] + 1e-3)
    votes = np.bincount(labels[nearest], weights=weights, minlength=10)
    return [float(v) for v in votes / votes.sum()]


@dataclass(frozen=True)
class Char:
    text: str
    box: Box


def char_boxes(line: Image.Image, *, language: str, tessdata: str, dpi: int, timeout: float) -> list[Char]:
    """The characters Tesseract reads in one line of text, with their boxes in the line image."""
    out = []
    text = recognize_boxes(line, language=language, tessdata=tessdata, dpi=dpi, psm=7, timeout=timeout)
    for row in text.splitlines():
        parts = row.rsplit(" ", 5)
        if len(parts) != 6:
            continue
        try:
            left, bottom, right, top = (int(v) for v in parts[1:5])
        except ValueError:
            continue
        out.append(Char(nfc(parts[0]), Box(left, line.height - top, right, line.height - bottom)))
    return out


def _without_rules(binary: Image.Image, shortest: int) -> Image.Image:
    """`binary` with the rows of ink that run across the whole cell (the underline of the line above, a
    form's dotted line) made paper: they join the digits they touch into one shape."""
    width = binary.width
    if width < shortest:
        return binary
    data = bytearray(binary.tobytes())
    for y in range(binary.height):
        row = data[y * width : (y + 1) * width]
        if row.count(255) >= 0.9 * width:
            data[y * width : (y + 1) * width] = bytes(width)
    return Image.frombytes("L", binary.size, bytes(data))


def glyphs(cell: Image.Image, dpi: int, top: int, bottom: int) -> list[tuple[Box, Image.Image]]:
    """The ink shapes of a cell, left to right, each as MNIST draws a digit (bright on black): its
    components centred between `top` and `bottom` (the printed line's letters: an underline or the line
    above are not the cell's), specks left out, strokes stacked over each other (a `5`'s flag) taken as
    one, and shapes less than half as tall as the tallest (a `1`'s serif, a dot) left out."""
    mm = dpi / 25.4
    binary = _without_rules(cell.point(lambda v: 255 if v < _DARK else 0), int(3 * mm))
    parts = [
        c
        for c in components(binary)
        if top <= (c[0].top + c[0].bottom) / 2 <= bottom and max(c[0].width, c[0].height) >= 1.2 * mm
    ]
    parts.sort(key=lambda c: c[0].left)
    groups: list[list[tuple[Box, int, list[int]]]] = []
    for part in parts:
        if groups:
            last = groups[-1]
            left = min(p[0].left for p in last)
            right = max(p[0].right for p in last)
            overlap = min(right, part[0].right) - max(left, part[0].left)
            if overlap > 0.5 * min(right - left, part[0].width):
                last.append(part)
                continue
        groups.append([part])
    boxes = [
        Box(
            min(p[0].left for p in group),
            min(p[0].top for p in group),
            max(p[0].right for p in group),
            max(p[0].bottom for p in group),
        )
        for group in groups
    ]
    tallest = max((box.height for box in boxes), default=0)
    out = []
    for group, box in zip(groups, boxes, strict=True):
        if box.height < 0.45 * tallest:
            continue
        data = bytearray(cell.width * cell.height)
        for _, _, pixels in group:
            for i in pixels:
                data[i] = 255
        image = Image.frombytes("L", cell.size, bytes(data))
        pieces = _split_touching(box, image.crop((box.left, box.top, box.right, box.bottom)))
        out += [p for p in pieces if p[0].height >= 0.45 * tallest]
    return out


_WIDE = 1.0  # × its height: a shape this wide is two digits a pen stroke joined (`12`, `11`)


def _split_touching(box: Box, glyph: Image.Image) -> list[tuple[Box, Image.Image]]:
    """One shape, or two where it is wider than a digit: cut at its thinnest column in its middle third."""
    if glyph.width <= _WIDE * glyph.height:
        return [(box, glyph)]
    data = glyph.tobytes()
    ink = [sum(1 for y in range(glyph.height) if data[y * glyph.width + x]) for x in range(glyph.width)]
    lo, hi = glyph.width // 3, 2 * glyph.width // 3
    cut = min(range(lo, hi + 1), key=lambda x: (ink[x], abs(x - glyph.width // 2)))
    halves = []
    for left, right in ((0, cut), (cut, glyph.width)):
        half = glyph.crop((left, 0, right, glyph.height))
        inner = half.getbbox()
        if inner is None:
            return [(box, glyph)]
        piece = Box(box.left + left + inner[0], box.top + inner[1], box.left + left + inner[2], box.top + inner[3])
        halves.append((piece, half.crop(inner)))
    return halves


def read_number(probabilities: list[list[float]]) -> str:
    return "".join(str(max(range(10), key=p.__getitem__)) for p in probabilities)


def read_bounded(probabilities: list[list[float]], low: int, high: int) -> int | None:
    """The likeliest value in [low, high] of one or two digits (a day, a month)."""
    if not probabilities or len(probabilities) > 2:
        return None
    best, best_p = None, 0.0
    for value in range(low, high + 1):
        text = str(value) if len(probabilities) == 1 else f"{value:02d}"
        if len(text) != len(probabilities):
            continue
        p = 1.0
        for digit, probs in zip(text, probabilities, strict=True):
            p *= probs[int(digit)]
        if p > best_p:
            best, best_p = value, p
    return best


_NUMBER_WORD = re.compile(r"^s[oe6](?:[:;.]|$)", re.IGNORECASE)
_CODE = re.compile(r"[A-ZĐ][a-zđ]?[A-ZĐ]")  # `TB`, `TTr`, `QyĐ`
_COLONS = (":", ";", ".")


def _line_of(words: list[Word], word: Word) -> list[Word]:
    middle = word.top + word.height / 2
    return sorted((w for w in words if w.top <= middle <= w.top + w.height), key=lambda w: w.left)


def _band(gray: Image.Image, line: list[Word]) -> tuple[int, int, int, int]:
    """The box of a line of words, a third of a line's height added above and below (the usual word's,
    so that a word Tesseract ran into the next line does not widen it)."""
    height = sorted(w.height for w in line)[len(line) // 2]
    top = sorted(w.top for w in line)[len(line) // 2]
    return (
        max(0, line[0].left - height // 2),
        max(0, top - height // 3),
        min(gray.width, line[-1].left + line[-1].width + height // 2),
        min(gray.height, top + height + height // 3),
    )


def _joined(chars: list[Char]) -> tuple[str, str, list[Char]]:
    """The line's text as read, the same as `skeleton` in lower case (position for position), and, for
    each position, the character it is of."""
    raw = "".join(c.text for c in chars)
    owner = [c for c in chars for _ in c.text]
    return raw, skeleton(raw).lower(), owner


def _cell_glyphs(
    band: Image.Image, start: int, end: int, letters: list[Char], dpi: int
) -> list[tuple[Box, Image.Image]]:
    """The glyphs of the ink between x = start and x = end of a line band, centred at the height of the
    printed `letters` around the cell."""
    if end - start < 2 or not letters:
        return []
    tops = sorted(c.box.top for c in letters)
    bottoms = sorted(c.box.bottom for c in letters)
    top, bottom = tops[len(tops) // 2], bottoms[len(bottoms) // 2]
    margin = (bottom - top) * 0.25
    cell = band.crop((start, 0, end, band.height))
    return [
        (Box(b.left + start, b.top, b.right + start, b.bottom), image)
        for b, image in glyphs(cell, dpi, int(top - margin), int(bottom + margin))
    ]


def _usual_width(letters: list[Char]) -> int:
    """A printed letter's usual width in the line."""
    widths = sorted(c.box.width for c in letters)
    return widths[len(widths) // 2] if widths else 0


_STRETCHED = 2.2  # × a letter's usual width: a box wider than this holds ink beside its letter


def _right_of(chars: list[Char], usual: int) -> int:
    """Where a printed word ends: its last character's right edge, unless that box is stretched well
    beyond a letter's usual width (Tesseract gives a letter that handwriting, or the slash, touches the
    ink's box): then a letter's width after the character before it."""
    last = chars[-1].box
    if last.width <= _STRETCHED * usual:
        return last.right + 1
    return (chars[-2].box.right if len(chars) > 1 else last.left) + int(1.15 * usual) + 1


def _left_of(chars: list[Char], usual: int) -> int:
    """Where a printed word begins, as `_right_of` says where one ends."""
    first = chars[0].box
    if first.width <= _STRETCHED * usual:
        return first.left - 1
    return (chars[1].box.left if len(chars) > 1 else first.right) - int(1.15 * usual) - 1


def _span(owner: list[Char], start: int, end: int) -> list[Char]:
    """The characters of text positions start..end, once each, in order."""
    return list(dict.fromkeys(owner[start:end]))


_TYPE_HEIGHT, _TYPE_BASELINE = 0.1, 0.08  # printed digits: height within 10 % of the capitals', on their baseline
_SURE = 75.0  # Tesseract's confidence in a word of printed digits (measured: 80–92 printed, 0–46 handwritten)


@dataclass
class _Line:
    """One printed line around cells: its band of the page, Tesseract's words and characters in it."""

    left: int
    band: Image.Image
    words: list[Word]
    raw: str  # the characters' text as Tesseract read them
    text: str  # the same as `skeleton`, lower case
    owner: list[Char]  # the character of each position of `text`
    letters: list[Char]
    usual: int  # a printed letter's width

    def glyphs(self, start: int, end: int, dpi: int) -> list[tuple[Box, Image.Image]]:
        return _cell_glyphs(self.band, start, end, self.letters, dpi)

    def typeset(self, cell: list[tuple[Box, Image.Image]], printed: list[tuple[Box, Image.Image]]) -> bool:
        """Whether the cell's glyphs are set in the type of the `printed` glyphs beside them (the
        number's code, in capitals): at least half of them as tall and on their baseline (measured on
        the real scans: printed digits 0.92–1.04 × the capitals' height, within 0.04 of it off the
        baseline; handwritten ones 1.08–1.46 ×, up to 0.36 off). Half: a speck or a misread mark among
        printed ones does not make them handwriting."""
        if len(printed) < 2 or not cell:
            return False
        height = sorted(b.height for b, _ in printed)[len(printed) // 2]
        baseline = sorted(b.bottom for b, _ in printed)[len(printed) // 2]
        typeset = [
            abs(box.height / height - 1) <= _TYPE_HEIGHT and abs(box.bottom - baseline) / height <= _TYPE_BASELINE
            for box, _ in cell
        ]
        return 2 * sum(typeset) >= len(typeset)

    def digits(self, cell: list[tuple[Box, Image.Image]]) -> list[Word]:
        """Tesseract's words with digits over the cell's ink."""
        if not cell:
            return []
        left, right = self.left + cell[0][0].left, self.left + cell[-1][0].right
        return [
            w for w in self.words if w.left < right and w.left + w.width > left and any(c.isdigit() for c in w.text)
        ]

    def printed(self, cell: list[tuple[Box, Image.Image]]) -> str | None:
        """The digits Tesseract read in the cell's ink, if it is sure of them (printed, not handwritten)."""
        over = self.digits(cell)
        if not over or min(w.conf for w in over) < _SURE:
            return None
        return "".join(c for w in over for c in w.text if c.isdigit())


def read_cells(gray: Image.Image, words: list[Word], *, language: str, tessdata: str, dpi: int, timeout: float) -> str:
    """The handwritten digits of page 1's number and date cells, as `number=1135 code=ĐHTĐ day=24
    month=10 year=2025` (the code is the printed one after the number): only what was found; a number
    set in the page's type that Tesseract read is left to it, and a day or month Tesseract is sure of
    (`_SURE`) is its reading; "" when there is none. `gray` is page 1's header region, `words`
    Tesseract's words in it."""
    half = gray.width / 2

    def line(first: Word, keep) -> _Line:  # type: ignore[no-untyped-def]
        kept = [w for w in _line_of(words, first) if keep(w)]
        box = _band(gray, kept)
        band = gray.crop(box)
        chars = char_boxes(band, language=language, tessdata=tessdata, dpi=dpi, timeout=timeout)
        raw, text, owner = _joined(chars)
        letters = [c for c in chars if c.text.isalpha()]
        return _Line(box[0], band, kept, raw, text, owner, letters, _usual_width(letters))

    found: dict[str, str] = {}
    number_word = next(
        (
            w
            for w in words
            if _NUMBER_WORD.match(skeleton(w.text))
            and (w.text[1:2].islower() or w.text[2:3] in _COLONS)  # `Số:`, not the body `SỞ NỘI VỤ`
            and w.left < half
            and _CODE.search("".join(x.text for x in _line_of(words, w) if x.left >= w.left))
        ),
        None,
    )
    if number_word is not None:
        at = line(number_word, lambda w: number_word.left <= w.left < half * 1.1)
        if (number := _number_cell(at, dpi)) is not None:
            found["number"], found["code"] = number
    date_word = next((w for w in words if "ngay" in skeleton(w.text).lower() and _opens_date(words, w, half)), None)
    if date_word is not None:
        found |= _date_cells(line(date_word, lambda w: w.left >= date_word.left), dpi)
    return " ".join(f"{k}={v}" for k, v in found.items())


def _opens_date(words: list[Word], word: Word, half: float) -> bool:
    """Whether `ngày` opens the header's date line (`Cần Thơ, ngày …`, right column), not a date in a
    body line (`… số 29/2022/UBTVQH15 ngày 12 tháng 12 năm 2022`): the word before it on its line ends
    with the place's comma, or is far to its left (the left column)."""
    if word.left < half * 0.8:
        return False
    before = [w for w in _line_of(words, word) if w.left + w.width <= word.left]
    if not before:
        return True
    last = before[-1]
    return last.text.endswith(",") or word.left - (last.left + last.width) > 3 * word.height


_YEAR = re.compile(r"/\s*((?:19|20)\d\d)\s*/")  # a normative document's `66/2024/QĐ-UBND`


def _number_cell(at: _Line, dpi: int) -> tuple[str, str] | None:
    """The digits between `Số:` and the printed code (`/TB-ĐHTĐ`), or the printed year of a normative
    document's number (`/2024/QĐ-UBND`), and that code (`TB-ĐHTĐ`, `2024/QĐ-UBND`)."""
    label = re.search(r"s[oe6]\s*[:;.]?", at.text)
    code = _CODE.search(at.raw, label.end()) if label else None
    if not label or not code:
        return None
    start = code.start()
    if (year := _YEAR.search(at.text, label.end())) and year.start() < code.start():
        start = year.start(1)
    end = _left_of(_span(at.owner, start, start + 2), at.usual)
    cell = at.glyphs(_right_of(_span(at.owner, label.start(), label.end()), at.usual), end, dpi)
    if cell and "/" in at.text[label.end() : start] and cell[-1][0].right >= end - 1.5 * at.usual:
        cell = cell[:-1]  # the printed slash just before the code, where Tesseract saw it
    code_ink = at.glyphs(end, end + 8 * at.usual, dpi)
    if not 1 <= len(cell) <= 6 or (at.typeset(cell, code_ink) and at.digits(cell)):
        return None  # printed, and Tesseract read digits there: its reading stands
    if len(cell) == 1 and not at.text[label.end() : start].strip(" /"):
        return None  # one shape where Tesseract saw nothing: a draft's blank cell's speck or the slash's foot (held
        # out 64 and 73 as scans: `Số:      /UBND-NC` read `1/UBND-NC`); a number written there has more ink
    return read_number([classify(g) for _, g in cell]), _word_from(at.owner, start, at.usual)


def _word_from(owner: list[Char], start: int, usual: int) -> str:
    """The printed word beginning at text position `start`: its characters up to the first gap wider
    than a letter (box text has no spaces)."""
    chars = _span(owner, start, len(owner))
    word = chars[:1]
    for c in chars[1:]:
        if c.box.left - word[-1].box.right > 0.8 * usual:
            break
        word.append(c)
    return re.match(r"[A-ZĐ0-9/-]*", "".join(c.text for c in word)).group().strip("-/")  # type: ignore[union-attr]


def _date_cells(at: _Line, dpi: int) -> dict[str, str]:
    """The day between `ngày` and `tháng`, the month between `tháng` and `năm`, and the printed year."""
    day, month, year = (re.search(p, at.text) for p in (r"nga(?:y|ji|j|v)", r"thang", r"nam"))
    if not (day and month and year and day.end() <= month.start() and month.end() <= year.start()):
        return {}
    ngay, thang, nam = (_span(at.owner, m.start(), m.end()) for m in (day, month, year))
    found = {}
    for key, cell, high in (
        ("day", at.glyphs(_right_of(ngay, at.usual), _left_of(thang, at.usual), dpi), 31),
        ("month", at.glyphs(_right_of(thang, at.usual), _left_of(nam, at.usual), dpi), 12),
    ):
        printed = at.printed(cell)
        value = int(printed) if printed else read_bounded([classify(g) for _, g in cell], 1, high)
        if value is not None and 1 <= value <= high:
            found[key] = str(value)
    if found and (digits := re.search(r"\d{4}", at.text[year.end() :])):
        found["year"] = digits.group()
    return found
