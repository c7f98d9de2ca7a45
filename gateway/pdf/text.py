"""The text of a PDF's first and last pages: its text layer where it has a usable one, else OCR.

Only the first page (header: agency, number, date, type, subject, marks) and the last page (signer
block, recipients, copy block) carry the fields `gateway.reading` wants, so only they are read.

Text layer: `pypdf`'s layout mode, chosen by measurement (`bench/bench_reading.py --extractors`, 50
labelled documents): it keeps the two columns of the header and of the signer block apart by runs of
spaces and reads 100 % of the fields; pypdf's plain text and pdfplumber's default text (columns one after
the other, or interleaved one space apart) read 99.9 %, pdfplumber's layout mode 98 % (blank lines inside
wrapped subjects); pypdf is also two to three times faster than pdfplumber. Vietnamese comes out NFC
through `vntext.nfc` (decomposed marks and the look-alike `Ð` mended).

OCR (a page without a usable text layer: a scan, a scan with a little text of its own, or a legacy-font
layer that is mojibake): Tesseract's Vietnamese model on the regions that carry the fields only: the top
half of page 1, and the last page from just above its last full-width body line down
(`gateway.ocr.find_closing`), where the recipient lists and the signer block are read as two columns
(read together, Tesseract runs their lines into each other). All the regions of a document, each cut down
to its text lines, are read in ONE Tesseract run, stacked on one sheet (`gateway.ocr.ocr_stacked`, issue
16: each run costs ~0.19 s of CPU loading the model; three runs a document cost more than its whole page).
One run a document, one Tesseract thread: the evaluation pool keeps both cores busy with two documents.
A signer column the stacked run read as fewer than three lines (a black seal on a 1-bit scan: Tesseract
keeps the line above it and drops the rest) is read again in a run of its own, as one block of text
(`_reread_short_column`, `gateway.ocr.REREAD_PSM`): the lines under the seal, the name's, are then kept.
The closing is read from the last page with ink (a duplex scan's blank back page is skipped, its dark
edges aside), or from an earlier page when that one carries no closing: on a colour scan the last page
with a red seal, on a grey one the nearest page before whose text has `Nơi nhận:` or an authority line
(a letter followed by an annex): the two before the last, the first two, then back from the end, twelve
pages in all (`_before_annex`). A form's closing whose signature is left to fill in is not the document's,
and a scanner's OCR layer without Vietnamese marks is not asked where the closing is. A header font that
lost letters (`letters_lost`) sends both pages to OCR, which mends only the layer's lines that lost them
(`_mended_layer`). A page fed askew by 1° or more is turned straight first
(`gateway.ocr.deskew`). A receiving office's `ĐẾN` stamp on page 1 is not read (`gateway.ocr_receipt`).

Resolution (`[reading] dpi`, 200): chosen by measurement (bench_reading.py --dpi, issue 9/16) on the real
agency scans, the real texts' scans and the rendered scans. 150 dpi read 75.5 % / 97.7 % / 98.4 % of
fields against 73.5 % / 98.0 % / 98.6 % at 200 — within a few fields either way — and saved only 11 % of
Tesseract's CPU time (1.20 s against 1.36 s a page: Tesseract rescales text to its own line height),
so 200 stays. Measured again with one stacked run a document (issue 16, same sets): 150 dpi read 818 / 720 /
256 fields against 821 / 719 / 255 at 200 (rendered / real texts' scans / real agency scans) and saved
~15 % of the OCR's CPU: again within noise either way, and not worth re-tuning what was tuned at 200.
300–600 dpi scans are rendered down to it, and a colour scan's red ink is taken out.
OCR text is derived data, returned to the caller to store beside the original (R20).

`extract_text` never raises: a broken or encrypted PDF, a missing Tesseract or a timeout gives a
`DocumentText` whose `problem` says why the text is missing or partial.
"""

from __future__ import annotations

import functools
import logging
import re
import statistics
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PIL import Image
from pypdf import PageObject, PdfReader
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from gateway.ocr import (
    EDGE_MM,
    REREAD_PSM,
    Word,
    find_closing,
    ink_fraction,
    layout_text,
    line_count,
    ocr_stacked,
    ocr_words,
    prepare,
    red_ink,
    reread_column,
    rgb,
    seal_ink,
    skew_angle,
    text_bands,
    too_few_lines,
    turned,
)
from gateway.ocr_digits import read_cells
from gateway.ocr_engine import OcrError
from gateway.ocr_marks import (
    ARROW_SPANS,
    STAMP_VARIANTS,
    Box,
    arrow_stamps,
    read_arrow_stamp,
    read_framed_stamp,
    read_stamp,
    unread_ink,
)
from gateway.ocr_receipt import outside, receipt_frames
from gateway.pdf import header_image, signer_image
from gateway.pdf.document_text import DocumentText, Source
from gateway.pdf.inspect import reader_of
from gateway.pdf.signer_image import draws_image, name_in_image, title_without_name, with_name
from gateway.reading.layout import BREAK, PICTURE_NOTE
from gateway.reading.settings import ReadingSettings
from gateway.reading.spelling import glued_words
from gateway.reading.vocab import canonical_title
from gateway.reading.words import authority_prefix, is_vietnamese_syllable, mend_cut_name, person_name
from gateway.vntext import nfc, skeleton

if TYPE_CHECKING:
    import pypdfium2

log = logging.getLogger(__name__)

_MAX_PIXELS = 20_000_000  # a page rendered for OCR is scaled down to this (hostile page sizes)
_THIN_LAYER = 200  # characters: fewer than this over a page image, and the page is read by OCR
_HEADER_FRACTION = 0.5  # page 1: the header, title and subject sit in the top half (ND30 Phụ lục I)


_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")


def usable_text(text: str) -> bool:
    """True for a real text layer; False for an empty one, or mojibake from fonts without a Unicode
    map (private-use glyphs, replacement characters, or the Latin-1 soup of TCVN3/VNI legacy fonts)."""
    letters = sum(1 for c in text if c.isalpha())
    if letters < 20:
        return False
    bad = sum(
        1
        for c in text
        if c == "\ufffd"
        or (unicodedata.category(c) in ("Co", "Cc") and c not in "\n\r\t")
        or ("\u00a0" < c <= "\u00ff" and c not in _VIETNAMESE_LATIN1)
    )
    return bad <= 0.03 * letters


# The motto's letters between `CỘNG` and `VIỆT NAM` (Quốc hiệu, Nghị định 30/2020 Phụ lục I), on the skeleton.
_MOTTO_MIDDLE = "hoaxahoichunghia"
_MOTTO_LINES = 8  # the motto stands on the first lines of page 1


def letters_lost(text: str) -> bool:
    """A text layer whose header font maps some letters to nothing, so the issuer, the type and the subject
    set in it lack them (held out 5, chinhphu-nd-47-2020: `C N P Ủ` for `CHÍNH PHỦ`, `NG Ị ĐỊN` for `NGHỊ
    ĐỊNH`): the motto on its first lines has letters missing (`CỘNG ÒA XÃ ỘI C Ủ NG ĨA VIỆT NAM`). Such a
    page is read by OCR."""
    for line in text.splitlines()[:_MOTTO_LINES]:
        key = "".join(c for c in skeleton(line).lower() if c.isalpha())
        for m in re.finditer(r"(?=cong([a-z]*?)vietnam)", key):  # the issuer's `CÔNG` may come first
            if len(m.group(1)) >= len(_MOTTO_MIDDLE) // 2 and _missing_from(m.group(1), _MOTTO_MIDDLE):
                return True
    return False


_MENDED_SHARE = 0.6  # a layer's line keeps at least this share of the letters of the OCR line that mends it


def _letters(line: str) -> str:
    return "".join(c for c in skeleton(line).lower() if c.isalnum())


def _mended_layer(layer: str, ocr: str) -> str:
    """The layer's text, each line whose font lost letters replaced by the OCR line it is part of: the one
    that has all its letters in order with others between them (`T Ủ TƯỚNG` in `THỦ TƯỚNG`), not only
    before or after them (a speck OCR read beside a line). Lines the font set whole keep the layer's
    marks, which OCR's may have lost (held out 5, chinhphu-nd-47-2020: `kết nối … số`, OCR's `kêt nôi … sô`)."""
    read = [(line, _letters(line)) for line in ocr.splitlines()]
    out = []
    for line in layer.splitlines():
        key = _letters(line)
        found = [
            (len(other) - len(key), text)
            for text, other in read
            if len(key) >= 6
            and len(key) >= _MENDED_SHARE * len(other)
            and key not in other
            and _missing_from(key, other)
        ]
        out.append(min(found)[1] if found else line)
    return "\n".join(out)


def _missing_from(part: str, whole: str) -> bool:
    """`part` is `whole` with some of its letters left out (a subsequence, shorter)."""
    if len(part) >= len(whole):
        return False
    rest = iter(whole)
    return all(c in rest for c in part)


def marked_like_vietnamese(text: str) -> bool:
    """Whether the text carries Vietnamese tone and vowel marks: about a third of the letters of any
    Vietnamese page do. A scanner's own OCR layer made without the Vietnamese model (`CQNG HOA xA HQI CHU
    NGHiA`) has almost none, and is not the document's text."""
    letters = [c for c in unicodedata.normalize("NFC", text) if c.isalpha()]
    if len(letters) < 200:
        return True
    marked = sum(1 for c in letters if c not in _ASCII_LETTERS)
    return marked >= 0.08 * len(letters) and _syllable_share(text) >= _SYLLABLE_SHARE


_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# The words of a page in small letters that are Vietnamese syllables: 97.5 % and more on every real text layer of
# the evaluation set; 85.6 % on a scanner's OCR layer that kept some marks and made up others (held out 15,
# thainguyen-tu-tb-348: `Can cü Chi thj s 45-CT/TW`, `Dáng`, `nhim k'`).
_SYLLABLE_SHARE = 0.93


# Web and mail addresses, whose words are no syllables (`(https://dichvucong.gov.vn)` over and over in an annex's
# table, held out 31, hue-ubnd-qd-441: 90 % of its words syllables with them, all but one without).
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+|[^\W_]+(?:\.[^\W_]+)+(?:/\S*)?")


def _syllable_share(text: str) -> float:
    # a converter's notes on its pictures and line breaks are no words of the page's (held out 71, a PyMuPDF4LLM
    # text printed: `**==> picture [136 x 137] intentionally omitted <==**`, `TM. CHÍNH PHỦ<br>KT. THỦ TƯỚNG`)
    text = BREAK.sub(" ", PICTURE_NOTE.sub(" ", _ADDRESS.sub(" ", text)))
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= 2 and not w.isupper()]
    return sum(1 for w in words if is_vietnamese_syllable(w.lower())) / len(words) if words else 1.0


def _has_images(page: PageObject) -> bool:
    """Whether the page draws an image (a scan), in itself or in a form (`signer_image.draws_image`)."""
    try:
        return draws_image(page, fields=False)
    except Exception:
        return False


def _layer_text(page: PageObject) -> str:
    try:
        text = page.extract_text(extraction_mode="layout")
    except Exception:  # pypdf raises many kinds on hostile content streams
        try:
            text = page.extract_text()
        except Exception:
            return ""
    return nfc(text or "").translate(_FONT_SLIPS)


# pdfplumber's layout rows: a row a line of 13–14 pt type set 1.2 apart (its default, 13, puts a blank row
# inside a wrapped subject, which ends it).
_POINTS_A_LINE = 16


def _in_order(pdf: bytes, index: int, text: str) -> str:
    """A Vietnamese text layer whose words pypdf ran together (`ủy quyềnVề việc cho`: pieces of a line
    drawn out of order, which pypdf's layout keeps in drawing order) read again by pdfplumber, which
    orders characters by where they stand, when that runs fewer words together."""
    if not usable_text(text) or not marked_like_vietnamese(text) or not (glued := glued_words(text)):
        return text
    try:
        import pdfplumber

        with pdfplumber.open(reader_of(pdf)) as document:
            again = nfc(document.pages[index].extract_text(layout=True, y_density=_POINTS_A_LINE) or "").translate(
                _FONT_SLIPS
            )
    except Exception:  # pdfminer raises many kinds on hostile content streams
        return text
    return again if usable_text(again) and glued_words(again) < glued else text


# Letters a font's map gives for Vietnamese ones, which no Vietnamese text has: `ƣ` (U+01A3, "oi") for `ư`
# in PDFs typeset with some Vietnamese fonts (`BỘ CÔNG THƢƠNG`, `hƣớng dẫn`: held out 3, cucdmst-cv-1178).
_FONT_SLIPS = str.maketrans({"ƣ": "ư", "Ƣ": "Ư"})


def extract_text(pdf: bytes, settings: ReadingSettings) -> DocumentText:
    """The text of `pdf`'s first and last pages, from the text layer or by OCR; never raises."""
    try:
        reader = PdfReader(reader_of(pdf), strict=False)  # a large one's bytes shared, not copied (issue 16)
        if reader.is_encrypted and not reader.decrypt(""):
            return DocumentText(problem="encrypted PDF: the text cannot be read without the password")
        pages = len(reader.pages)
        if pages == 0:
            return DocumentText(problem="the PDF has no pages")
        first = 0
        thumbs: _Thumbs = {}
        last = _closing_page(pdf, reader, _last_page_with_ink(pdf, reader, pages, thumbs), thumbs)
        layer = {i: _layer_text(reader.pages[i]) for i in {first, last}}
        layer = {i: _in_order(pdf, i, text) for i, text in layer.items()}
        unread: list[int] = []  # pages the closing is still to be looked for on, by OCR
        if last > first and _vietnamese(layer[last]) and not (_closes(layer[last]) and not _annexed_act(layer)):
            last, unread = _layer_closing_before_annex(pdf, reader, first, last, layer)
        stamps = stamp_text(reader)
    except Exception as exc:
        return DocumentText(problem=f"unreadable PDF: {type(exc).__name__}: {exc}")
    # A scan may carry a little text of its own (a typed footer, a stamp): a short layer over an image is
    # not the document's text.
    thin = {
        i
        for i in layer
        if (len(layer[i]) < _THIN_LAYER or not marked_like_vietnamese(layer[i])) and _has_images(reader.pages[i])
    }
    # A header font that maps letters to nothing (`letters_lost`) also sets the signer block's title: both pages
    # are read by OCR, to mend the layer's lines that lost letters (`_mended_layer`).
    lost = letters_lost(layer[first])
    missing = [i for i in sorted(layer) if i in thin or not usable_text(layer[i]) or lost]
    if not missing:
        # the registry's figures as the signature stamps' text are read as such (`stamps`), OCR's only without them
        opening = layer[first] if stamps.strip() else _header_filled(pdf, reader, first, layer[first], settings)
        closing = _signer_named(pdf, reader, last, layer[last], settings)
        return DocumentText(opening, closing, "text_layer", pages, stamps=stamps)
    kept = {i: ("" if i in missing else layer[i]) for i in layer}
    partial: Source = "text_layer" if len(missing) < len(layer) else "none"
    if not settings.ocr:
        return DocumentText(
            kept[first], kept[last], partial, pages, problem="no usable text layer and OCR is off", stamps=stamps
        )
    started = time.monotonic()
    problem = None
    try:
        ocr = _ocr_pages(pdf, missing, first, last, settings)
    except OcrError as exc:
        ocr, problem = {}, str(exc)
    except Exception as exc:  # pdfium on a file pypdf could open, PIL on a hostile image
        ocr, problem = {}, f"OCR failed: {type(exc).__name__}: {exc}"
    handwriting = ocr.pop("handwriting", "")
    first_text, last_text = ocr.get("first", kept[first]), ocr.get("last", kept[last])
    if lost:
        first_text, last_text = _mended_layer(layer[first], first_text), _mended_layer(layer[last], last_text)
    read_pages = len(missing)
    # The closing looked for on the pages before the last: the last has none, or is a copy's own page (the
    # original's closing then goes before it, the copy's block after).
    searching = bool(ocr) and last > first and bool(last in missing or unread) and not _closes(last_text)
    copy = bool(ocr) and last > first and not searching and _copy_page(last_text)
    # a draft annexed to a submission ends on its own closing (`_annexed_act`): the submission's is before it
    drafted = bool(ocr) and last > first and not (searching or copy)
    drafted = drafted and _annexed_act({first: first_text, last: last_text})
    if searching or copy or drafted:
        looked_on = unread if searching and last not in missing else None
        try:
            found, extra, at = _closing_before_annex(pdf, first, last, settings, looked_on)
        except Exception as exc:  # as for the pages above: a reason, never an exception (the last page stays)
            before = "the copy" if copy else "the last"
            found, extra, at = None, 0, last
            problem = f"OCR of the pages before {before} failed: {type(exc).__name__}: {exc}"
        if found is not None and copy:
            last_text = f"{found}\n\n{last_text}"
        elif found is not None:
            last_text = with_list_tail(found, last_text) if at == last - 1 else found
        read_pages += extra
    elif ocr and last + 1 < pages and _list_unfinished(last_text):
        # the list's tail on a page after the closing's, too little ink on it to count as one with text
        try:
            last_text = with_list_tail(
                last_text, _ocr_pages(pdf, [last + 1], first, last + 1, settings).get("last", "")
            )
            read_pages += 1
        except Exception:  # the tail's OCR costs the tail, never the rest
            log.warning("reading the page after the closing failed", exc_info=True)
    seconds = round(time.monotonic() - started, 3)
    if ocr and not (first_text.strip() or last_text.strip()):
        problem = "OCR found no text on the pages it read"
    source: Source = "ocr" if ocr else partial
    return DocumentText(
        first_text,
        last_text,
        source,
        pages,
        seconds,
        read_pages if ocr else 0,
        problem,
        stamps,
        handwriting=handwriting,
    )


# A closing's marks in a page's text: the `Nơi nhận:` heading (OCR's `Mơi nhận`, `Noi nhậm`) or an authority
# line (`KT. BỘ TRƯỞNG`, its period read as a comma or a quote).
_CLOSES = re.compile(r"[nm]oi\s*nh[ae][nm]\b|(?:^|\s{2})\W?(?:tm|kt|tl|tuq)\s*[.,“]\s*[a-z]", re.MULTILINE)
_ANNEX_PAGES = 2  # pages before the last, and from the first, where a closing is looked for first
_ANNEX_SEARCH = 12  # pages looked at in all (5 s of OCR at most): a nghị định's forms may fill 7 pages after it
_LAYER_SEARCH = 60  # pages whose text layer is looked at for the closing


# A form's signature left to fill in (`(Ký, ghi rõ họ tên, chức vụ và đóng dấu)`, `(Ký tên, đóng dấu)`): a
# template annexed to the document (a Quy định's forms), whose `Nơi nhận:` is not the document's closing.
_TO_FILL_IN = re.compile(r"\(\s*ky\b[^)]{0,40}?(?:ho\s*ten|dong\s*dau)")


def _signer_named(pdf: bytes, reader: PdfReader, index: int, text: str, settings: ReadingSettings) -> str:
    """The closing page's text layer, with the signer's name read from its image when the layer has a title and
    no name (`gateway.pdf.signer_image`); as it is when OCR is off or fails."""
    if not settings.ocr or (column := title_without_name(text)) is None:
        return text
    try:
        if not draws_image(reader.pages[index]):
            return text
        page = _render(pdf, index, signer_image.DPI, forms=True)
        name = name_in_image(
            page, language=settings.language, timeout=settings.ocr_timeout_seconds, tessdata=settings.tessdata
        )
    except Exception:  # OCR's failure costs the name, never the text
        log.warning("reading the signer's name from the page image failed", exc_info=True)
        return text
    return with_name(text, name, column) if name else text


def _header_filled(pdf: bytes, reader: PdfReader, index: int, text: str, settings: ReadingSettings) -> str:
    """The first page's text layer, with the number's figures and the dated line read from its image when the
    layer leaves them blank (`gateway.pdf.header_image`); as it is when OCR is off or fails."""
    missing_number, missing_date = header_image.blanks(text)
    if not settings.ocr or not (missing_number or missing_date):
        return text
    try:
        if not draws_image(reader.pages[index]):
            return text
        page = _render(pdf, index, header_image.DPI, forms=True)
        number, dated = header_image.header_in_image(
            page, language=settings.language, timeout=settings.ocr_timeout_seconds, tessdata=settings.tessdata
        )
    except Exception:  # OCR's failure costs the figures, never the text
        log.warning("reading the header's number and date from the page image failed", exc_info=True)
        return text
    return header_image.with_header(text, number if missing_number else "", dated if missing_date else "")


def _annexed_act(pages: dict[int, str]) -> bool:
    """Whether the last page closes an act annexed to a submission, not the submission: page 1 is a tờ trình and
    the last page's text says what the act it ends is (`Nghị quyết này đã được Hội đồng nhân dân tỉnh … thông
    qua`, `Quyết định này có hiệu lực …`): the draft annexed to it, whose closing is no signer's (held out 43,
    daknong-hdnd-ttr-04). `pages`: page 1's text first, the last page's last."""
    first, last = (skeleton(pages[k]).lower() for k in sorted(pages))
    return bool(_SUBMISSION.search(first)) and bool(_ACT_ENDS.search(last))


_SUBMISSION = re.compile(r"^\s*to\s*trinh\s*$", re.MULTILINE)
_ACT_ENDS = re.compile(r"\b(?:nghi\s*quyet|quyet\s*dinh)\s+nay\b")


def _closes(text: str) -> bool:
    key = skeleton(text).lower()
    return _CLOSES.search(key) is not None and _TO_FILL_IN.search(key) is None


def _before_annex(first: int, last: int, most: int = _ANNEX_SEARCH) -> list[int]:
    """The pages a closing the last page lacks is looked for on, in order: the two before the last (a short
    annex), then the first two (a long one), then the others from the back, as a clerk leafs back from the
    end (held out 5, chinhphu-nd-335-2025: signed on page 22 of 29, forms after it); at most `most` in all."""
    before = range(last - 1, max(first, last - _ANNEX_PAGES) - 1, -1)
    rest = range(last - 1, first - 1, -1)
    return list(dict.fromkeys([*before, *range(first, min(last, first + _ANNEX_PAGES)), *rest]))[:most]


def _layer_closing_before_annex(
    pdf: bytes, reader: PdfReader, first: int, last: int, layer: dict[int, str]
) -> tuple[int, list[int]]:
    """The page whose text layer has the closing, when the last one's has none: of the two before it
    (held out 3: laocai-ubnd-qd-1696, a decision on page 2 and its annex on page 3), then of the first two
    (`_closing_before_annex`); `layer` gains its text. `last` when none has one, with the pages looked at
    whose layer is no Vietnamese text (a scan's, or a vendor's OCR without marks), for OCR to look on: held
    out 3, bgddt-qd-3588, a decision scanned on page 1 under a layer of `BO GIAO DVC`, its 17-page annex
    with a good one."""
    unread = []
    # a text layer costs little to look at: every page back to the first (held out 18, khanhhoa-ubnd-qd-11-2026:
    # signed on page 3 of 24, its Quy chế after it); the pages for OCR to look on stay as few as ever
    for index in _before_annex(first, last, _LAYER_SEARCH):
        text = layer.get(index) or _in_order(pdf, index, _layer_text(reader.pages[index]))
        if not _vietnamese(text):
            unread.append(index)
        elif _closes(text):
            layer[index] = with_list_tail(text, layer[last]) if index == last - 1 else text
            del layer[last]
            return index, []
    return last, unread[:_ANNEX_SEARCH]


# The recipients' list run over onto the last page: its remaining entries, the filing entry among them, and nothing
# of a closing's own (held out 71, bldtbxh-tt-10-2020-md printed: `- Cổng thông tin điện tử Bộ LĐTBXH;` / `- Lưu:
# Văn thư, …`). A page number may stand over them.
_TAIL_LINES = 12
_ENTRY_LINE = re.compile(r"^\s*[-–+•]\s*\S")
_FILING_LINE = re.compile(r"^\s*[-–+•]?\s*L[ưu]u\b")


def _list_unfinished(text: str) -> bool:
    """The recipients' heading without the filing entry under it: the list runs on onto the next page."""
    at = re.search(r"[NnMm][ơo]i\s*nh[ậa]n\s*:", text)
    return at is not None and not any(_FILING_LINE.match(line) for line in text[at.end() :].splitlines())


def with_list_tail(closing: str, last: str) -> str:
    """The closing page's text, and after it the last page's when that is the list's tail."""
    lines = [line for line in last.splitlines() if line.strip()]
    if lines and lines[0].strip().isdigit():
        lines = lines[1:]
    tail = 0 < len(lines) <= _TAIL_LINES and _ENTRY_LINE.match(lines[0]) is not None
    if not (tail and any(_FILING_LINE.match(line) for line in lines)):
        return closing
    return f"{closing.rstrip()}\n" + "\n".join(lines)


def _copy_page(text: str) -> bool:
    """Whether a last page is a copy's page of its own (Nghị định 30/2020 Điều 25–27: `SAO LỤC` with the
    copying office's number, date, recipients and signer, stapled behind the original; held out 7,
    btc-qd-126): the original's closing is then on a page before, and the copy is read after it
    (`gateway.reading.copies`)."""
    from gateway.reading.copies import find_copy
    from gateway.reading.layout import page_from_text

    region = find_copy(page_from_text(text))
    return region is not None and region.start == 0


def _vietnamese(layer: str) -> bool:
    """A text layer that is the page's Vietnamese text: neither mojibake nor a scanner's OCR without marks,
    whose specks may look like a closing (held out 4, dongnai-ubnd-qd-1772: an Adobe Scan layer took the
    closing to the page before the signed one)."""
    return usable_text(layer) and marked_like_vietnamese(layer)


def _closing_before_annex(
    pdf: bytes, first: int, last: int, settings: ReadingSettings, pages: list[int] | None = None
) -> tuple[str | None, int, int]:
    """(the closing's text, the pages read for it, its page) from an earlier page that has one, when the last page
    with ink has none: a letter followed by an annex on a grey scan, where no red seal tells the signed
    page. The two pages before the last are read first (a short annex: held out bca-cv-5689's list of
    recipient units), then the first two (a decision and its long annex: held out 4, hatinh-ubnd-qd-1740);
    None for the text when none of them has one. `pages`: only those (the ones whose text layer is no
    Vietnamese text, when the last page's layer was read: `_layer_closing_before_annex`)."""
    candidates = _before_annex(first, last) if pages is None else pages
    for read, index in enumerate(candidates, start=1):
        text = _ocr_pages(pdf, [index], first, index, settings).get("last", "")
        if _closes(text):
            return text, read, index
    return None, len(candidates), last


_BLANK_INK = 0.002  # a page with less than 0.2 % dark pixels is blank (a duplex scan's back side)
_BLANK_SHARE = 0.25  # … or, on a pale scan, less than a quarter of page 1's
_BACK_PAGES = 3  # how far back the closing is looked for


_Thumbs = dict[int, Image.Image | None]  # a page's 30-dpi thumbnail, None for a page without an image


def _thumbnail(pdf: bytes, index: int, thumbs: _Thumbs) -> Image.Image | None:
    """Page `index` at 30 dpi when it draws an image (a scan), else None; rendered once for the blank-page
    and the seal checks. pdfium opens the document for this page alone: pypdf, or a pdfium document kept
    open, would keep the stream of every image looked at in memory (+49 MiB for the seal look-back on a
    49 MB scan of 44 pages, issue 16)."""
    if index not in thumbs:
        import pypdfium2
        import pypdfium2.raw as pdfium_c

        doc = pypdfium2.PdfDocument(pdf)
        try:
            page = doc[index]
            scan = any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
            thumbs[index] = _rendered(page, 30) if scan else None
        finally:
            doc.close()
    return thumbs[index]


def _last_page_with_ink(pdf: bytes, reader: PdfReader, pages: int, thumbs: _Thumbs | None = None) -> int:
    """The last page that is not blank: duplex scanning and double-sided print-outs end on an empty back
    page, and the closing (signer, recipients) is on the page before it. Text pages are judged by their
    layer, image pages by their ink at a low resolution; page 1 is never skipped."""
    thumbs = thumbs if thumbs is not None else {}
    pale: float | None = None  # the blank threshold beside page 1's ink, looked at once, when needed
    for index in range(pages - 1, max(0, pages - 1 - _BACK_PAGES), -1):
        thumb = _thumbnail(pdf, index, thumbs)
        if thumb is not None:
            ink = ink_fraction(thumb)
            if ink < _BLANK_INK and pale is None:
                pale = _pale_blank(pdf, thumbs)
            if ink >= _BLANK_INK or (pale is not None and ink >= pale):
                return index
        elif len(_layer_text(reader.pages[index]).strip()) >= 20:
            return index
    return pages - 1


def _pale_blank(pdf: bytes, thumbs: _Thumbs) -> float:
    """The ink under which a page is blank beside page 1's: a pale scan's pages all have little ink (held out 58,
    nhs-dtn-kh-54-2019: page 1 0.38 %, its half-filled last page 0.15 %), and page 1 is never blank."""
    opening = _thumbnail(pdf, 0, thumbs)
    return _BLANK_INK if opening is None else min(_BLANK_INK, _BLANK_SHARE * ink_fraction(opening))


_SEAL_INK = 150  # red pixels at 30 dpi: a seal (35-40 mm across) gives 300-600
_SEAL_PAGES = 40  # how far back a sealed page is looked for


def _closing_page(pdf: bytes, reader: PdfReader, last: int, thumbs: _Thumbs | None = None) -> int:
    """The page that carries the closing (signer, seal, recipients). On a colour scan whose last page with
    ink has no red seal while an earlier page has one, the earlier page: the letter is followed by an
    annex, an outline or a form (held out: bca-cv-5240's outline, bca-cv-4552's annex, the Thông tư
    bkhcn-tt-02-2025's forms). Grey scans and text layers keep the last page with ink."""
    thumbs = thumbs if thumbs is not None else {}
    thumb = _thumbnail(pdf, last, thumbs) if last else None
    if thumb is None or seal_ink(thumb) >= _SEAL_INK:
        return last
    for index in range(last - 1, max(-1, last - 1 - _SEAL_PAGES), -1):
        below = _HEADER_FRACTION / 2 if index == 0 else 0.0  # page 1's header may carry red marks of its own
        thumb = _thumbnail(pdf, index, thumbs)
        if thumb is not None and seal_ink(thumb, below=below) >= _SEAL_INK:
            return index
    return last


_MAX_STAMPS = 8


def stamp_text(reader: PdfReader) -> str:
    """The text drawn in the appearance of the digital signatures' widgets, one stamp a line: the agency
    and the signing time that registry software prints (`SAO Y; ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ;` /
    `Thời gian ký: 01/11/2023 14:22:35 +07:00`). A scan signed by the agency carries it even where the
    page's own number and date were written by hand. Never raises; "" without stamps."""
    texts: list[str] = []
    digits: dict[tuple[int, str, int, int], None] = {}  # (page, digits, left edge, top edge), in order
    try:
        for number, page in enumerate(reader.pages):
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                if annot.get("/FT") != "/Sig" and annot.get("/Parent", {}).get("/FT") != "/Sig":
                    continue
                appearance = annot.get("/AP", {}).get("/N")
                if appearance is None:
                    continue
                form = appearance.get_object()
                holder = PageObject.create_blank_page(width=1000, height=1000)
                holder[NameObject("/Resources")] = form.get("/Resources", DictionaryObject())
                content = DecodedStreamObject()
                content.set_data(form.get_data())
                holder[NameObject("/Contents")] = content
                text = " ".join(nfc(holder.extract_text()).split())
                if text.replace(" ", "").isdigit():
                    rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
                    digits.setdefault((number, text, round(min(rect[0], rect[2])), round(max(rect[1], rect[3]))))
                else:
                    texts.append(text)
                if len(texts) + len(digits) >= _MAX_STAMPS:
                    break
    except Exception:  # a hostile or broken widget: no stamp text
        pass
    return "\n".join(t for t in [*_header_stamps(list(digits)), *texts] if t)


_HEADER_BAND = 60  # points: the number line and the date line stand this close to the highest stamp at most


def _header_stamps(digits: list[tuple[int, str, int, int]]) -> list[str]:
    """The number and the day stamped into the first page's blanks, as they stand left to right: the number's
    blank in the left column before the date line's day and month (held out 18, khanhhoa-ubnd-qd-11-2026,
    signed eleven times, has its stamps in the order day, month, number). A stamp twice in one place (a page
    signed twice) is one; a day and a month alike are two (held out 55, hn-ubnd-qd-70-2024: `12` and `12`).
    Only the header's band counts: the day a decision takes effect, stamped into the body's blanks the same
    way (held out 55, hn-ubnd-qd-05-2025: `03 02` in its last article), is no date of issue, and an annex that
    repeats them on a later page adds nothing (haiduong-ubnd-gm-272)."""
    first = min((page for page, *_ in digits), default=0)
    on_first = [(text, left, top) for page, text, left, top in digits if page == first]
    highest = max((top for _, _, top in on_first), default=0)
    band = [(left, text) for text, left, top in on_first if top >= highest - _HEADER_BAND]
    return [text for _, text in sorted(band, key=lambda item: item[0])]


def _render(pdf: bytes, index: int, dpi: int, *, forms: bool = False) -> Image.Image:
    """Page `index` at `dpi`, with its form fields drawn when `forms` (a visible signature's appearance)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        if forms:
            doc.init_forms()
        return _rendered(doc[index], dpi, forms=forms)
    finally:
        doc.close()


def _rendered(page: pypdfium2.PdfPage, dpi: int, *, forms: bool = False) -> Image.Image:
    w, h = page.get_size()
    scale = dpi / 72
    if w * h * scale * scale > _MAX_PIXELS:
        scale = 0.999 * (_MAX_PIXELS / (w * h)) ** 0.5  # pdfium rounds the size up
    return rgb(page.render(scale=scale, may_draw_forms=forms).to_pil())


@dataclass(frozen=True)
class _Region:
    """A horizontal band of a page image to OCR; `gutter` splits it into two columns read apart."""

    role: str  # "first" | "last"
    page: int
    top: int
    bottom: int
    gutter: int | None = None


def _plan(grays: dict[int, Image.Image], first: int, last: int, dpi: int) -> list[_Region]:
    """The regions that carry the fields: the top half of page 1; the last page's closing, its columns
    read apart (Tesseract otherwise runs the recipient lines into the signer block's)."""
    regions = []
    header_end = None
    if first in grays:
        header_end = int(grays[first].height * _HEADER_FRACTION)
    if last in grays:
        gray = grays[last]
        closing = find_closing(gray, dpi)
        if first == last and (closing.gutter is None or closing.split_top <= 0):
            return [_Region("first", first, 0, gray.height), _Region("last", first, 0, gray.height)]
        top = closing.top
        if first == last:
            header_end = min(header_end or gray.height, closing.split_top)
            top = max(top, header_end)
        if top < closing.split_top:
            regions.append(_Region("last", last, top, closing.split_top))
        regions.append(_Region("last", last, closing.split_top, gray.height, closing.gutter))
    if header_end is not None:
        regions.insert(0, _Region("first", first, 0, header_end))
    return regions


def _ocr_pages(pdf: bytes, missing: list[int], first: int, last: int, settings: ReadingSettings) -> dict[str, str]:
    """OCR the field regions of the pages in `missing`; keys "first" and "last", and "handwriting": the
    digits written by hand in page 1's number and date cells (`gateway.ocr_digits`)."""
    rendered = {i: _render(pdf, i, settings.dpi) for i in missing}
    prepared = {i: prepare(image) for i, image in rendered.items()}
    angles = {i: skew_angle(gray) for i, gray in prepared.items()}
    grays = {i: turned(gray, angles[i]) for i, gray in prepared.items()}
    regions = _plan(grays, first, last, settings.dpi)

    @functools.cache
    def red_kept(page: int) -> Image.Image | None:
        """A colour page's luminance, its red ink kept, turned as its prepared copy was."""
        image = rendered[page]
        return turned(rgb(image).convert("L"), angles[page]) if image.mode in ("RGB", "RGBA") else None

    words = _read_regions(grays, regions, settings, red_kept)
    # A receiving office's stamp is not the document's text (`gateway.ocr_receipt`): its words are
    # dropped, but count as read when the page is searched for marks OCR left unread.
    read_first: list[Word] = words.get(0, [])
    receipts: list[Box] = []
    if regions and regions[0].role == "first" and read_first:
        receipts = receipt_frames(grays[regions[0].page], read_first, settings.dpi)
        words[0] = outside(read_first, receipts)
    texts: dict[str, list[str]] = {}
    for k, r in enumerate(regions):
        texts.setdefault(r.role, []).append(layout_text(words.get(k, [])))
    closing = next((r for r in regions if r.role == "last"), None)
    if closing is not None and _list_cut_above("\n".join(texts["last"])):
        # the list's lines set as wide as the body's (a long entry across the page): the closing's first band was
        # taken for the body's last line, and `Nơi nhận:` and the first entries stand above it
        floor = regions[0].bottom if regions[0].role == "first" and regions[0].page == closing.page else 0
        top = max(floor, closing.top - int(_LIST_REACH * grays[closing.page].height))
        if top < closing.top:  # the closing's first band read again from there, no line cut in two
            wider = replace(closing, top=top)
            texts["last"][0] = layout_text(_read_regions(grays, [wider], settings, red_kept).get(0, []))
    if regions and regions[0].role == "first":
        header = regions[0]
        crop = grays[header.page].crop((0, header.top, grays[header.page].width, header.bottom))
        texts["handwriting"] = [_handwriting(crop, words.get(0, []), settings)]
        marks, stamps = _stamped_marks(crop, read_first, settings)
        if stamps:
            beside = _lines_beside(crop, stamps, read_first, settings)
            words[0] = words.get(0, []) + outside(beside, receipts)
            texts["first"][0] = layout_text(words[0])
        marks += [m for m in _red_marks(rendered[header.page], header, settings) if m not in marks]
        texts["first"][:0] = marks
    return {role: "\n".join(parts) for role, parts in texts.items()}


_LIST_REACH = 0.4  # of the page's height: how far above the closing its list's first lines are looked for
# an entry's bullet opening a line, or after the last entry's `;` on a list run on as a paragraph (a web copy's
# closing printed, held out 74: `… trung ương; - Văn phòng …; - Lưu: VT, KGVX (2b).`)
_ENTRY = re.compile(r"(?:^|(?<=[;)]))\s*[-–+•]\s+\S", re.MULTILINE)


def _list_cut_above(text: str) -> bool:
    """A closing read as recipients' entries down to the filing one, with no `Nơi nhận:` over them."""
    key = skeleton(text).lower()
    return len(_ENTRY.findall(text)) >= 2 and "luu" in key and re.search(r"[nm]oi\s*nh[ae][nm]", key) is None


_RED_MARK_INK = 1500  # red pixels at 200 dpi in page 1's header: a stamp's letters give several thousand


def _red_marks(page: Image.Image, header: _Region, settings: ReadingSettings) -> list[str]:
    """The urgency and secrecy marks stamped in red in page 1's header, which `prepare` took out with the
    seal (R6, R14: a mark is never missed; held out 4, vncert-cv-298's red `KHẨN` box): the red ink alone
    read as text, and its lines kept that are a mark (`gateway.reading.fields.stamp_mark`)."""
    from gateway.reading.fields import stamp_mark

    red = red_ink(page.crop((0, header.top, page.width, header.bottom)))
    if red is None or red.histogram()[0] < _RED_MARK_INK * (settings.dpi / 200) ** 2:
        return []
    try:
        words = ocr_words(
            red,
            language=settings.language,
            timeout=settings.ocr_timeout_seconds,
            tessdata=settings.tessdata,
            dpi=settings.dpi,
            psm=11,
        )
    except OcrError:
        return []
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.text)
    marks = [seen for texts in lines.values() if (seen := stamp_mark(" ".join(texts)))]
    return marks or _framed_marks(red, settings) or _arrow_marks(red, settings)


def _framed_marks(red: Image.Image, settings: ReadingSettings) -> list[str]:
    """The marks of red framed stamps whose bold letters ran together, that the red ink's reading as a whole
    left unread (held out 12: Kiên Giang's red `KHẨN` and `HỎA TỐC` boxes): each stamp-sized cluster of red ink
    read without its frame (`gateway.ocr_marks.read_framed_stamp`)."""
    from gateway.reading.fields import stamp_mark

    marks: list[str] = []
    for box in unread_ink(red, [], settings.dpi):
        try:
            seen = stamp_mark(read_framed_stamp(red, box, **_ocr_args(settings)))
        except OcrError:
            return marks
        marks += [seen] if seen else []
    return marks


def _arrow_marks(red: Image.Image, settings: ReadingSettings) -> list[str]:
    """The marks of red arrow stamps (`>—HỎA TỐC—>`, `gateway.ocr_marks.read_arrow_stamp`), whose shaft through
    the letters leaves them unread in the red ink's reading as a whole (held out 9, Hải Phòng's stamps)."""
    marks: list[str] = []
    for box in arrow_stamps(red, settings.dpi):

        def arrow(span: int, box: Box = box) -> str:
            return read_arrow_stamp(red, box, span=span, **_ocr_args(settings))

        try:
            seen = _first_mark(arrow, len(ARROW_SPANS))
        except OcrError:
            return marks
        marks += [seen] if seen else []
    return marks


def _ocr_args(settings: ReadingSettings) -> dict[str, Any]:
    return {
        "dpi": settings.dpi,
        "language": settings.language,
        "timeout": settings.ocr_timeout_seconds,
        "tessdata": settings.tessdata,
    }


def _first_mark(read: Callable[[int], str], variants: int, *, blank_ends: bool = False) -> str | None:
    """The urgency or secrecy mark (`gateway.reading.fields.stamp_mark`) of the first of a stamp's readings
    (`read(variant)`) that is one; with `blank_ends`, a reading with no line of letters ends the search
    (another rendering of the stamp has none either)."""
    from gateway.reading.fields import stamp_mark

    for variant in range(variants):
        text = read(variant)
        if blank_ends and not text:
            return None
        if seen := stamp_mark(text):
            return seen
    return None


def _handwriting(gray: Image.Image, words: list[Word], settings: ReadingSettings) -> str:
    """The handwritten number and date cells (`gateway.ocr_digits.read_cells`); "" if reading them fails:
    a fault there must not cost the page's text."""
    try:
        return read_cells(
            gray,
            words,
            language=settings.language,
            tessdata=settings.tessdata,
            dpi=settings.dpi,
            timeout=settings.ocr_timeout_seconds,
        )
    except Exception:
        log.exception("reading the handwritten number and date cells failed")
        return ""


def _stamped_marks(gray: Image.Image, words: list[Word], settings: ReadingSettings) -> tuple[list[str], list[Box]]:
    """The urgency and secrecy marks stamped askew in page 1's header region, that its OCR left unread
    (R6, R14: a mark is never missed): one line each, put before the header for the reader; and the
    boxes of those stamps."""
    found, boxes = [], []
    for box in unread_ink(gray, words, settings.dpi):

        def stamp(variant: int, box: Box = box) -> str:
            return read_stamp(gray, box, variant=variant, **_ocr_args(settings))

        seen = _first_mark(stamp, STAMP_VARIANTS, blank_ends=True)
        if seen:
            found.append(seen)
            boxes.append(box)
    return found, boxes


def _lines_beside(gray: Image.Image, stamps: list[Box], words: list[Word], settings: ReadingSettings) -> list[Word]:
    """The lines of text beside a stamp turned askew that the page's OCR dropped: Tesseract's layout
    analysis takes the stamp for a picture and leaves out the lines it stands beside (real Government
    Office scans: `Kính gửi:`, or the second addressee, next to a `HỎA TỐC` arrow). The band of the page
    right of the stamp, widened to whole text lines, is read again as one block of text (`REREAD_PSM`);
    only its lines where the first reading has no word are added."""
    mm = settings.dpi / 25.4
    edge = int(EDGE_MM * mm)
    added: list[Word] = []
    for k, stamp in enumerate(stamps):
        left = stamp.right + int(1 * mm)
        right = gray.width - edge
        lo, hi = max(0, stamp.top - int(10 * mm)), min(gray.height, stamp.bottom + int(10 * mm))
        if right - left < 20 * mm:
            continue
        bands = [
            b
            for b in text_bands(gray.crop((left, lo, right, hi)))
            if b.bottom + lo > stamp.top and b.top + lo < stamp.bottom
        ]
        if not bands:
            continue
        top, bottom = lo + bands[0].top - int(1 * mm), lo + bands[-1].bottom + int(1 * mm)
        again = ocr_words(
            gray.crop((left, top, right, bottom)),
            language=settings.language,
            timeout=settings.ocr_timeout_seconds,
            tessdata=settings.tessdata,
            dpi=settings.dpi,
            offset=(left, top),
            tag=_BESIDE_TAG + k,
            psm=REREAD_PSM,
        )
        beside = [w for w in words if w.left + w.width > left]
        lines: dict[tuple[int, int, int], list[Word]] = {}
        for w in again:
            lines.setdefault(w.line, []).append(w)
        for line in lines.values():
            middle = statistics.median(w.top + w.height / 2 for w in line)
            if not any(w.top <= middle <= w.top + w.height for w in beside) and any(len(w.text) > 1 for w in line):
                added.extend(line)
    return added


_BESIDE_TAG = 200  # line keys of the lines re-read beside a stamp: beyond any other run's blocks


def _read_regions(
    grays: dict[int, Image.Image],
    regions: list[_Region],
    settings: ReadingSettings,
    red_kept: Callable[[int], Image.Image | None] = lambda page: None,
) -> dict[int, list[Word]]:
    """The words of each region (by index), in page coordinates: every region — a two-column one as its
    two columns — is one piece of a single stacked Tesseract run (`gateway.ocr.ocr_stacked`); a piece
    wanted twice (a one-page document without a closing found: the whole page is both first and last) is
    read once."""
    boxes: dict[tuple[int, tuple[int, int, int, int]], int] = {}  # (page, crop box) → piece index
    wanted: list[tuple[int, int]] = []  # (region index, piece index)
    edge = int(EDGE_MM * settings.dpi / 25.4)  # the sheet's edges: a scanner's marks, never text
    for k, r in enumerate(regions):
        width = grays[r.page].width
        left, right = (edge, width - edge) if width > 8 * edge else (0, width)
        if r.gutter is None:
            crops = [(left, r.top, right, r.bottom)]
        else:
            crops = [(left, r.top, r.gutter, r.bottom), (r.gutter, r.top, right, r.bottom)]
        for box in crops:
            if box[2] > box[0] and box[3] > box[1]:
                wanted.append((k, boxes.setdefault((r.page, box), len(boxes))))
    pieces = [(grays[page].crop(box), (box[0], box[1])) for page, box in boxes]
    found = ocr_stacked(
        pieces,
        language=settings.language,
        timeout=settings.ocr_timeout_seconds,
        tessdata=settings.tessdata,
        dpi=settings.dpi,
    )
    where = {piece: key for key, piece in boxes.items()}  # piece → (page, crop box)
    for piece in _signer_pieces(regions, wanted):
        found[piece] = _reread_short_column(pieces[piece], found[piece], settings)
        page, box = where[piece]
        if _unnamed(found[piece]) and (with_red := red_kept(page)) is not None:
            found[piece] = found[piece] + _name_in_red(with_red, box, settings, found[piece])
    words: dict[int, list[Word]] = {}
    for k, piece in wanted:
        words.setdefault(k, []).extend(found[piece])
    return words


def _signer_pieces(regions: list[_Region], wanted: list[tuple[int, int]]) -> list[int]:
    """The pieces that hold a signer block: the right-hand column of each two-column closing region."""
    right: dict[int, int] = {}
    for k, piece in wanted:
        if regions[k].role == "last" and regions[k].gutter is not None:
            right[k] = piece  # the last of a region's crops is its right column
    return sorted(set(right.values()))


def _reread_short_column(
    piece: tuple[Image.Image, tuple[int, int]], words: list[Word], settings: ReadingSettings
) -> list[Word]:
    """The signer column's words, read again in a Tesseract run of its own when the stacked run gave it
    fewer lines than any signer block has (`gateway.ocr.too_few_lines`); the second reading is kept unless
    it has fewer lines still. Measured (bench_reading.py): 9 of the 20 real agency PDFs pay for the second
    run and 4 fields come back (263 → 267 of 340); 3 of the 98 rendered and real-text scans pay for it,
    for nothing either way. Read as one block of text (`gateway.ocr.REREAD_PSM`, 6) rather than with
    Tesseract's layout analysis (3): 276 against 271 fields of 340 on the real agency PDFs with the same
    reader (issue 9: the name under a black seal, kept, is mended by the reader; the signer block of a
    column whose stacked reading kept only a body line comes back), for the same runs. Read again too when it
    has a name and nothing above it that is an authority or a title (`_untitled`), and that reading kept only
    when it has both: stop 31, 2 fields more of the 187 real PDFs' 3179 (hanoi-stttt-gm-87), none lost."""
    short = too_few_lines(words)
    unnamed = _unnamed(words)
    if not (short or unnamed or _untitled(words)):
        return words
    image, offset = piece
    again = reread_column(image, offset, **_ocr_args(settings))
    if short:
        return again if line_count(again) >= line_count(words) else words
    if unnamed:
        return words if _unnamed(again) else again
    return words if _unnamed(again) or _untitled(again) else again


def _name_in_red(
    with_red: Image.Image, box: tuple[int, int, int, int], settings: ReadingSettings, read: list[Word]
) -> list[Word]:
    """The signer's name line of a colour scan's signer column that `prepare` took with the red ink: a name
    printed in red, or under the seal's red (held out 7, brvt-ubnd-qd-546: `Nguyễn Văn Thọ` in red under the
    seal's rim). The column is read again with its red kept (luminance, turned as the page was); only a line
    that is a person's name is taken (its family name cut by the seal's rim or not: `uyên Văn Thọ`), so the
    seal's ring and emblem, dark again, add nothing else. `with_red`: the page's luminance, turned as its
    prepared copy was; `read`: the column's words as first read."""
    again = reread_column(with_red.crop(box), box[:2], **_ocr_args(settings))
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in again:
        lines.setdefault(w.line, []).append(w)
    named = [line for line in lines.values() if _name_line(" ".join(w.text for w in line))]
    if not named:
        return []
    # a deputy's title stamped in red above the name (held out 12, kiengiang-syt-gm-10: `Phó GIÁM ĐỐC` in red
    # under the printed `GIÁM ĐỐC`, its `KT.` in ink), taken with it when the column's reading has none (`read`)
    printed = any(_deputy_line(line.upper()) for line in layout_text(read).splitlines())
    deputy = [
        line
        for line in lines.values()
        if not printed and line[0].top < named[-1][0].top and _deputy_line(" ".join(w.text for w in line).upper())
    ]
    # line keys set apart from the column's other readings, the re-read one among them (`_BESIDE_TAG`'s way)
    return [
        replace(w, line=(w.line[0] + 10_000 * _RED_TAG, *w.line[1:]))
        for line in [*deputy[-1:], named[-1]]
        for w in line
    ]


def _deputy_line(text: str) -> bool:
    title = canonical_title(text)
    return title is not None and title.startswith("PHÓ ")


_RED_TAG = 300  # line keys of a name line re-read with the red kept


def _name_line(text: str) -> bool:
    return bool(person_name(text) or mend_cut_name(text))


def _untitled(words: list[Word]) -> bool:
    """Whether a signer column read a person's name with neither an authority line (`KT.`, `TM.`) nor a title
    above it: layout analysis took the seal over the title for a picture and dropped the lines it touches
    (Hà Nội's Sở Thông tin và Truyền thông, hanoi-stttt-gm-87: `KT. GIÁM ĐỐC` / `PHÓ GIÁM ĐỐC` over a black
    seal's rim, then only `Nguyễn Thị Mai Hương`); read again as one block, the title lines are kept."""
    lines = [line.strip() for line in layout_text(words).splitlines() if line.strip()]
    named = next((i for i, line in enumerate(lines) if person_name(line)), None)
    return named is not None and not any(authority_prefix(line) or canonical_title(line) for line in lines[:named])


def _unnamed(words: list[Word]) -> bool:
    """Whether a signer column read something and no person's name, under its authority line (`TM.`, `KT.`,
    …) or title if it has one: the stacked run's layout analysis took the seal and signature for a picture
    and dropped what lies under them, the name too (held out 4, dongnai-ubnd-qd-1772, a phone scan: `TM. ỦY
    BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `'HỦ TỊCH`, then nothing; read again as one block, `Hồ Văn Hà`), or the
    name is in red (held out 12, Kiên Giang's Sở Y tế: `GIÁM ĐỐC` half under the seal's rim, `Lê Hoàng Anh`
    stamped in red)."""
    lines = [line.strip() for line in layout_text(words).splitlines() if line.strip()]
    at = next((i for i, line in enumerate(lines) if authority_prefix(line) or canonical_title(line)), -1)
    return bool(lines) and not any(person_name(line) for line in lines[at + 1 :])
