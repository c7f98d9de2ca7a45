"""Issue 9's targets on the real sets (tests/reading/real_texts.toml, real_pdfs.toml), and what a clerk
also reads: the letter's subject and the attachment's file name (R16: the register's fields).

CI asserts the targets on the development texts (raw, as text-layer PDFs, and a quick subset of their 200-dpi
scans) and floors on each held-out set of texts (`TEXT_FLOORS`), and on its share of the real PDFs (standalone and
with the letter; `FLOORS` by group); bench/bench_reading.py scores them all.
"""

from __future__ import annotations

import concurrent.futures
import re
from datetime import date

import pytest

from gateway.pdf.text import DocumentText, extract_text, marked_like_vietnamese
from gateway.reading import read_metadata
from gateway.reading.letter import file_number
from gateway.reading.vocab import mend_agency
from gateway.samples.render import SampleDoc, render_document, render_scan
from tests.reading import labelled, real
from tests.reading.conftest import SETTINGS
from tests.reading.test_labelled_set import _accuracy

QUICK_SCANS = ("doan-cv-6129", "doan-qd-112", "doan-cv-draft-covid", "cb-ct-21-ttg")


def test_real_sets_are_labelled_with_their_sources():
    texts, pdfs = real.real_texts(), real.real_pdfs()
    assert len(texts) >= 49 and len(pdfs) >= 23
    issuers = {labelled.expected(c)["issuer"] for c in texts}
    assert len(issuers - {None, "BAN CHẤP HÀNH TRUNG ƯƠNG"}) >= 8  # not one issuer family: ministries, Government
    assert len({c.id for c in texts} | {d.case.id for d in pdfs}) == len(texts) + len(pdfs)
    for doc in pdfs:
        # the name as published, its extension in capitals too (`04.TTr-HDND.PDF`, held out 43)
        assert re.fullmatch(r"[0-9a-f]{64}", doc.sha256) and doc.file.lower().endswith(".pdf")
        assert doc.letter_subject and doc.attachment_name
    types = {labelled.expected(c)["doc_type"] for c in [*texts, *(d.case for d in pdfs)]}
    assert types >= {"cong_van", "quyet_dinh", "thong_bao", "bao_cao", "ke_hoach", "nghi_quyet", "chi_thi", "to_trinh"}
    assert types >= {"giay_moi", "thong_tu", "cong_dien"}
    urgent = [d for d in pdfs if labelled.expected(d.case)["urgency"]]
    assert len(urgent) >= 3  # HỎA TỐC stamps on real scans: never missed, never invented (bench)


# Each held-out set of real texts at its floors (raw text, as a text-layer PDF), two to three points under what
# it reads now; the development texts at issue 9's target. Each set was read once, blind, when it came, on the
# reader of the commit named (raw / as a text-layer PDF): held out 64 (provincial offices' Word drafts, a Hà Nội
# OCR benchmark's corrected pages) 88.73 / 92.16 % and 65 (a thuvienphapluat crawl's Markdown, central bodies)
# 72.06 / 69.12 % at 7e7600e; 66 (Party and youth-union texts, pandoc and pdftotext) 88.24 / 82.35 % at be47f76; 67
# (OCR converters' text: Tesseract, Marker) 71.12 / 73.26 % at 68cc65b; 71 (vbpl HTML, PyMuPDF4LLM) 94.12 / 94.12 %
# at d93978e; 72 (the same crawl, provinces) 90.20 / 82.84 % at 4c1e859; 73 (the 2025 reorganisation's
# resolutions, provincial drafts) 90.05 / 91.40 % and 74 (Word files through pandoc, a run-together page crawl)
# 75.88 / 79.41 % at e37441d; 75 (universities' decisions) 93.38 / 93.38 % at 17bb7fa; 77 (northern universities'
# decisions, OCR) 95.10 / 95.10 % at 9e7ae53; 78 (texts pasted into a metadata extractor's tests) 93.14 / 93.14 %
# at 025f5ba; 80 (a cryptography academy's documents in a student app's SQL dumps: Tesseract text of scans and
# text layers with words broken by spaces) 82.35 / 82.35 % at 4f91239; 79 (a university's OCR Markdown: its decision,
# a draft, two circulars and a decree) 87.06 / 87.06 % at c1290fb. There is no held out 70 or 76 (their
# searches found none) and 68 and 69 are PDFs.
# Floors raised in stop 36 to two or three points under what the sets read after its changes (and after one
# convention for the filing entry and two label slips were made one across the sets: real_texts.toml, top), and
# again in stop 37 (after one convention for a purpose note after an entry's `;`, and a label's non-breaking hyphen).
TEXT_FLOORS = {
    "development": (0.97, 0.97),
    "held out 64": (0.97, 0.97),
    "held out 65": (0.96, 0.96),
    "held out 66": (0.94, 0.95),
    "held out 67": (0.84, 0.84),
    "held out 71": (0.97, 0.97),
    "held out 72": (0.94, 0.93),
    "held out 73": (0.97, 0.97),
    "held out 74": (0.97, 0.97),
    "held out 75": (0.97, 0.97),
    "held out 77": (0.97, 0.97),
    "held out 78": (0.97, 0.97),
    "held out 79": (0.85, 0.85),
    "held out 80": (0.82, 0.82),
}


# Issue 9's target on the real full texts as a whole, raw and as text-layer PDFs (the bench's `real texts` and `real
# text PDFs`): CI holds the reader to it, as to each set's floor.
TEXT_TARGET = 0.97


def _texts_at_their_floors(readings, which: int) -> None:
    by_set: dict[str, list] = {}
    for reading in readings:
        by_set.setdefault(real.text_set(reading[0]), []).append(reading)
    assert set(by_set) == set(TEXT_FLOORS)
    for name, group in by_set.items():
        accuracy, misses = _accuracy(group)
        assert accuracy >= TEXT_FLOORS[name][which], f"{name}: {accuracy:.4f}\n" + "\n".join(misses)
    accuracy, misses = _accuracy(readings)
    assert accuracy >= TEXT_TARGET, f"all real texts: {accuracy:.4f}\n" + "\n".join(misses)


def test_real_full_texts_meet_the_target():
    readings = [
        (c, None, read_metadata(DocumentText(c.first_page or "", c.last_page or "", "text_layer")))
        for c in real.real_texts()
    ]
    _texts_at_their_floors(readings, 0)


def test_real_texts_as_text_layer_pdfs_meet_the_target():
    readings = []
    for case in real.real_texts():
        text = extract_text(real.text_pdf(case), SETTINGS)
        assert text.source == "text_layer"
        readings.append((case, text, read_metadata(text)))
    _texts_at_their_floors(readings, 1)


@pytest.mark.slow  # Tesseract
def test_real_text_scans_meet_the_target():
    """A quick subset of the real texts' 200-dpi scans; the bench reads them all."""
    readings = []
    for case in real.real_texts():
        if case.id in QUICK_SCANS:
            text = extract_text(real.text_scan(case), SETTINGS)
            assert text.source == "ocr" and text.problem is None
            readings.append((case, text, read_metadata(text)))
    assert len(readings) == len(QUICK_SCANS)
    accuracy, misses = _accuracy(readings)
    assert accuracy >= 0.92, "\n".join(misses)


# Fields right standalone and with the letter, by group (`real.RealPdf.group`): issue 9's targets on the
# development set; on the others, floors two to three points under what they measure (`bench_reading.py`,
# stop 26), so that what the reader does on them cannot silently get worse.
# Each group's floors (standalone, with the letter) on CI's share of it (`ci_share`, every third PDF since stop 32,
# every second before), two to three points under what that share reads; the comments give the whole groups'
# figures, which the bench prints, and the share's of their day. Moving to every third PDF (stop 32: 107 of the 255,
# 174 pages read by OCR against 209, CI's slowest test 144 s on two cores) lowered six groups' floors to under what
# their new share reads: held out 5 (91.18 %, 94.12 %), 7 (82.35 %, 84.31 %), 25 (91.18 %, 97.06 %), 36 (88.24 %,
# 100 %), 37 (88.24 %, 94.12 %) and 43 (86.27 %, 92.16 %).
FLOORS = {
    # stop 27: 93.61 %, 96.16 % (letter floor kept at the target)
    "development": (0.91, 0.95),
    # stop 27 (names under the seal's red, implied titles, standard formulas, arrow stamps): added 81.82 %, 89.84 %;
    # held out 89.71 %, 94.61 %; held out 3 96.57 %, 99.02 %
    "added": (0.79, 0.87),
    "held out": (0.87, 0.92),
    "held out 3": (0.94, 0.965),
    # held out 4 measured 66.67 % and 69.61 % when it came (551a4fc), 70.59 % and 73.53 % at its merge (c79eca4),
    # 80.39 % and 83.33 % with the recipients' OCR mends (ocr-splits), 83.33 % and 86.27 % in stop 26, 87.25 % and
    # 91.18 % in stop 27
    "held out 4": (0.845, 0.885),
    # held out 5 measured 83.33 % and 84.31 % when it came (8fab414), the reader never tuned on it; 95.10 % and
    # 96.08 % in stop 26, 96.08 % and 97.06 % in stop 27
    "held out 5": (0.885, 0.915),
    # held out 6 measured 87.50 % and 91.18 % when it came (ba374c4, the reader of b6ed37b); 90.44 % and 94.12 %
    # with stop 26's first rules, made before it was looked at (b966d3b); 94.12 % and 97.79 % in stop 27
    "held out 6": (0.915, 0.95),
    # held out 7 measured 78.99 % and 81.51 % when it came (9c4ca3e, the reader of 11bcead), never tuned on it;
    # 86.55 % and 89.08 % in stop 27
    "held out 7": (0.80, 0.82),
    # held out 8 measured 83.19 % and 86.55 % when it came (dd26480, the reader of 299ddc2), never tuned on it, and
    # the same again on stop 27's first rules, made before it came (f884a44); 91.60 % and 94.96 % since
    "held out 8": (0.89, 0.92),
    # held out 9 measured 88.97 % and 92.65 % when it came, blind, on the reader of 8e75342 and again on 61e9370
    # (stop 27's rules made before its misses were looked at); 93.38 % and 97.06 % since (f9bed9e on)
    "held out 9": (0.91, 0.945),
    # held out 10 measured 83.33 % and 88.24 % when it came, blind, on the reader of 6e4f7b8 (every rule of stop 27
    # but the last four), its HỎA TỐC arrow missed; 90.20 % and 95.10 % since (4e7675a on)
    "held out 10": (0.875, 0.925),
    # held out 11 (the Prime Minister's decisions as the portal scanned them) measured 75.29 % and 76.47 % when it
    # came, blind, on the reader of b759298; 88.24 % and 89.41 % in stop 28 (aa1450d on)
    "held out 11": (0.845, 0.855),
    # held out 12 measured 80.39 % and 84.31 % when it came, blind, on the reader of aa1450d, two red framed marks
    # missed; 94.12 % and 98.04 % in stop 28 (5aed8f2 on)
    "held out 12": (0.915, 0.955),
    # held out 13 measured 91.76 % and 95.29 % when it came, blind, on the reader of d8fdcb5; 94.12 % and 97.65 %
    # in stop 28 (645c299 on)
    "held out 13": (0.915, 0.95),
    # held out 14 measured 86.27 % and 93.14 % when it came, blind, on the reader of 0640a44; 88.24 % and 95.10 %
    # in stop 28 (21e5016 on)
    "held out 14": (0.855, 0.925),
    # held out 15 (three documents) measured 72.55 % and 78.43 % when it came, blind, on the reader of ecddb6e (a
    # scanner's OCR layer taken for the text, right OCR spoiled by the lexicon); 92.16 % and 96.08 % in stop 28
    "held out 15": (0.89, 0.93),
    # held out 16 measured 84.71 % and 88.24 % when it came, blind, on the reader of 5993520; 87.06 % and 90.59 %
    # in stop 28 (247949e on)
    "held out 16": (0.82, 0.84),
    # held out 17 (three công văn of Đà Nẵng) measured 80.39 % and 84.31 % when it came, blind, on the reader of
    # 27c450d; 84.31 % and 88.24 % in stop 28 (fdfade6 on)
    "held out 17": (0.82, 0.86),
    # held out 18 measured 83.53 % and 83.53 % when it came, blind, on the reader of 607b36d; 96.47 % and
    # 96.47 % in stop 28 (27c450d on)
    "held out 18": (0.94, 0.94),
    # stop 29's six sets, measured blind when they came (standalone, with the letter), then developed on but the last:
    # held out 19 82.35 %, 82.35 % (c9f71c6) → 91.18 %, 91.18 %; held out 20 76.47 %, 82.35 % (9b6ba17) → 86.27 %,
    # 92.16 %; held out 21 83.33 %, 89.22 % (06e11ae) → 88.24 %, 95.10 %; held out 22 73.53 %, 82.35 % (adfad6c) →
    # 79.41 %, 88.24 %; held out 23 78.15 %, 84.03 % (3fb3645) → 84.03 %, 91.60 %; held out 24, never developed on,
    # 76.47 %, 85.29 % (3fb3645) and the same since
    "held out 19": (0.85, 0.85),
    "held out 20": (0.80, 0.88),
    "held out 21": (0.86, 0.925),
    "held out 22": (0.77, 0.86),
    "held out 23": (0.815, 0.89),
    "held out 24": (0.62, 0.74),
    # stop 30's two sets, measured blind when they came, then developed on: held out 25 88.24 %, 92.16 % (9510a71) →
    # 92.16 %, 97.06 %; held out 26 79.41 %, 83.82 % (9000488) → 88.24 %, 92.65 % (the share: 94.12 %, 98.04 % and
    # 85.29 %, 91.18 %)
    "held out 25": (0.885, 0.945),
    "held out 26": (0.82, 0.88),
    # held out 27 (four Vĩnh Long documents) measured 92.65 %, 95.59 % blind (82e2fcb), the first set read at the
    # target unseen; 95.59 %, 98.53 % since (the share: 94.12 %, 100 %)
    "held out 27": (0.915, 0.97),
    # stop 31's three sets, measured blind when they came (standalone, with the letter), then developed on: held out 28
    # (five documents of Vietnam National University, Hanoi) 88.24 %, 91.76 % (172ad55) → 94.12 %, 97.65 %; held out
    # 29 (two quyết định) 91.18 %, 94.12 % (172ad55) → 94.12 %, 97.06 %; held out 30 (six provinces' and a ministry's
    # quyết định công bố thủ tục hành chính) 87.25 %, 92.16 % (a9f6c55) → 92.16 %, 97.06 % (the share: 96.08 %, 100 %;
    # 88.24 %, 94.12 %, its one document; 94.12 %, 96.08 %)
    "held out 28": (0.935, 0.97),
    "held out 29": (0.85, 0.91),
    "held out 30": (0.915, 0.93),
    # held out 31 (eight born-digital signed quyết định of eight provinces) measured 92.65 %, 93.38 % blind (5b60f32),
    # its misses a closing before an annex whose web addresses hid the text layer, a subject's comma-ended line, two
    # filing entries; 97.79 %, 98.53 % since (the share: 98.53 %, 100 %)
    "held out 31": (0.955, 0.97),
    # held out 32 (eight more provinces' born-digital quyết định, one an unsigned Word export) measured 94.12 %, 94.12 %
    # blind (6e39107) → 99.26 %, 99.26 % since (the share: 100 %, 100 %); held out 33 (four scans of two Hồ Chí Minh
    # City universities' bodies, a youth union's and a student association's among them) 67.65 %, 77.94 % blind
    # (6e39107) → 76.47 %, 86.76 % (the share: 64.71 %, 76.47 %)
    "held out 32": (0.97, 0.97),
    "held out 33": (0.62, 0.74),
    # held out 34 (one born-digital decision of the Prime Minister's) read 100 %, 100 % blind (681ad32)
    "held out 34": (0.94, 0.94),
    # stop 32's sets, measured blind when they came (standalone, with the letter), then developed on (the share's
    # figures after): held out 35 (seven Hà Tĩnh documents of 2017-2018, five bitonal scans) 78.15 %, 83.19 % (467f50a)
    # → 86.55 %, 91.60 % (86.76 %, 91.18 %); held out 36 (two health centres' scans and a university's notice) 84.31 %,
    # 90.20 % (467f50a) → 94.12 %, 100 % (94.12 %, 100 %); held out 37 (the State Bank's thông tư through a vendor's OCR
    # layer and four Party documents of Vĩnh Long) 83.53 %, 85.88 % (50668b1) → 92.94 %, 95.29 % (92.16 %, 94.12 %);
    # held out 38 (two born-digital documents of a commune in Lai Châu) 100 %, 100 % (70574aa); held out 39 (a
    # ministry's and its department's, the Government's and the Prime Minister's, one an unmarked OCR layer over a
    # scan drawn in a form) 77.94 %, 83.82 % (70574aa) → 89.71 %, 94.12 % (88.24 %, 91.18 %); held out 41 (a Sóc Trăng
    # district's notice, a scan) 76.47 %, 88.24 % (d95200a) → 88.24 %, 100 % (88.24 %, 100 %)
    "held out 35": (0.84, 0.88),
    "held out 36": (0.85, 0.97),
    "held out 37": (0.85, 0.91),
    "held out 38": (0.94, 0.94),
    "held out 39": (0.85, 0.88),
    "held out 41": (0.85, 0.94),
    # held out 42 (three Lạng Sơn decisions, born digital) 96.08 %, 96.08 % blind (59a982b) → 100 %, 100 %; held out
    # 43 (eight Đắk Nông documents, seven scans) 83.09 %, 90.44 % (59a982b) → 86.76 %, 94.12 % (the share: 97.06 %,
    # 100 %); held out 44 (a ministry's decision, a colour scan under a vendor's OCR layer) 82.35 %, 94.12 % (59a982b)
    "held out 42": (0.97, 0.97),
    "held out 43": (0.835, 0.895),
    "held out 44": (0.76, 0.88),
    # stop 33: held out 45 (three signed documents of a state power company, the number and the date line laid as
    # images) 86.27 %, 94.12 % blind (5074142) → 98.04 %, 98.04 % (the share: 100 %, 100 %); held out 46 (eight Mekong
    # delta documents, four scans) 88.24 %, 91.91 % blind (0c3d069; 89.71 %, 93.38 % with two labels' legal_normative
    # the brief had not named) → 91.18 %, 94.85 % (92.16 %, 96.08 %); held out 47 (a Party chỉ thị, a contest board's
    # kế hoạch, the Prime Minister's decision; scans) 82.35 %, 84.31 % (0c3d069) → 88.24 %, 90.20 % (94.12 %, 94.12 %);
    # held out 48 (two national university decisions, scans with ink) 91.18 %, 94.12 % (65994ee) → 94.12 %, 97.06 %
    # (94.12 %, 100 %)
    "held out 45": (0.97, 0.97),
    "held out 46": (0.89, 0.93),
    "held out 47": (0.91, 0.91),
    "held out 48": (0.91, 0.97),
    # held out 49 (six university documents, five scans or photographs) 84.31 %, 90.20 % blind (3ce57d5) → 88.24 %,
    # 93.14 % (the share: 79.41 %, 88.24 %); held out 50 (the Prime Minister's decision of 2015, a bitonal scan the
    # portal received and signed) 64.71 %, 76.47 % (04b87ab) → 70.59 %, 82.35 %; held out 51 (a ward office's two
    # công văn, born digital and signed) 100 %, 100 % (3ce57d5)
    "held out 49": (0.76, 0.85),
    "held out 50": (0.64, 0.76),
    "held out 51": (0.97, 0.97),
    # held out 52 (seven documents two student projects kept: three committees' scans, a school's browser re-prints)
    # 89.08 %, 89.92 % blind (3f11ec4) → 89.92 %, 90.76 % (the share: 88.24 %, 90.20 %); held out 53 (a ministry's
    # scan, a city trade union's three born-digital letters) 82.35 %, 83.82 % (7c68066) → 98.53 %, 100 % (97.06 %,
    # 100 %)
    "held out 52": (0.85, 0.87),
    "held out 53": (0.94, 0.97),
    # stop 34, blind → now (the share): held out 54 (eight Đắk Nông scans) 72.79 %, 79.41 % (a928bda) → 80.88 %, 87.50 %
    # (76.47 %, 80.39 %); held out 55 (Sơn La, Lai Châu, Cần Thơ, Hà Nội) 90.20 %, 94.12 % (364feff) → 93.14 %,
    # 95.10 % (94.12 %, 94.12 %); held out 56 (a power company's two scans) 79.41 %, 88.24 % (a928bda), not developed
    # on (82.35 %, 88.24 %); held out 58 (a district youth union's eight scans) 76.47 %, 85.29 % (a928bda) → 80.88 %,
    # 89.71 % (74.51 %, 84.31 %); held out 59 (eight of Hà Nội's signed decisions) 93.38 %, 94.85 % (e7ff3b1) →
    # 95.59 %, 97.06 % (94.12 %, 96.08 %); held out 60 (two of the Prime Minister's decisions, the portal's scans)
    # 70.59 %, 73.53 % (e7ff3b1) → 79.41 %, 82.35 % (70.59 %, 76.47 %); held out 61 (a university's three scans)
    # 82.35 %, 84.31 % (4e3af42) → 84.31 %, 86.27 % (94.12 %, 100 %); held out 63 (six scans of two universities and a
    # Party committee) 74.51 %, 84.31 % (40d2438) → 82.35 %, 92.16 % (79.41 %, 91.18 %)
    "held out 54": (0.74, 0.78),
    "held out 55": (0.91, 0.91),
    "held out 56": (0.76, 0.82),
    "held out 58": (0.72, 0.82),
    "held out 59": (0.92, 0.94),
    "held out 60": (0.64, 0.70),
    "held out 61": (0.88, 0.94),
    "held out 63": (0.76, 0.88),
    # stop 35, blind (the share), not developed on: held out 68 (a joint circular's 41-page scan signed on page 17,
    # a decree as a legal site republished its scan) 70.59 %, 70.59 % (4e5d231; 64.71 %, 64.71 %); held out 69 (a
    # new ward's three signed decisions) 100 %, 100 % (4e5d231; 100 %, 100 %)
    "held out 68": (0.62, 0.62),
    "held out 69": (0.97, 0.97),
}


def _read_real_pdf(doc: real.RealPdf) -> DocumentText | None:
    data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
    return None if data is None else extract_text(data, SETTINGS)


def ci_share() -> tuple[real.RealPdf, ...]:
    """The real PDFs CI reads (issue 9's "fast subset"): every third one of each group, its first among them,
    and every one labelled with an urgency or secrecy mark; the bench reads them all (173 PDFs took 183 s of
    CI's 754 s on two cores in stop 29; every second one, 144 of 255, took 144 s of 686 s in stop 32, when the share
    became every third, 107 of them; 122 of 291 in stop 33; 138 of 334 in stop 34)."""
    seen: dict[str, int] = {}
    share = []
    for doc in real.real_pdfs():
        k = seen[doc.group] = seen.get(doc.group, -1) + 1
        expect = labelled.expected(doc.case)
        if k % 3 == 0 or expect["urgency"] or expect["secrecy"]:
            share.append(doc)
    return tuple(share)


@pytest.mark.slow  # Tesseract, about a minute and a half on two cores
def test_real_pdfs_meet_the_targets():
    """CI's share of the real agency PDFs (`ci_share`), each read once (two at a time: one Tesseract run per
    core): each group at its floors (`FLOORS`), all of them together at issue 9's standalone target and a floor
    with the letter, and no urgency or secrecy mark missed or invented in any."""
    groups: dict[str, tuple[list, list]] = {g: ([], []) for g in real.GROUPS}
    docs = ci_share()
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(_read_real_pdf, docs))
    for doc, text in zip(docs, texts, strict=True):
        assert text is not None, f"{doc.file}: missing from {real.DEFAULT_PDF_DIR} or not the labelled file"
        alone, with_letter = groups[doc.group]
        alone.append((doc.case, text, read_metadata(text)))
        context = read_metadata(text, letter_subject=doc.letter_subject, attachment_name=doc.attachment_name)
        with_letter.append((doc.case, text, context))
    for group, (alone, with_letter) in groups.items():
        assert alone, f"no real PDF in the group {group!r}"
        (accuracy, misses), (with_context, letter_misses) = _accuracy(alone), _accuracy(with_letter)
        marks = [m for m in misses + letter_misses if m.split(":")[0].rsplit(".", 1)[1] in ("urgency", "secrecy")]
        assert not marks, marks
        floors = FLOORS[group]
        assert accuracy >= floors[0], f"{group}: {accuracy:.2%}\n" + "\n".join(misses)
        assert with_context >= floors[1], f"{group}: {with_context:.2%}\n" + "\n".join(letter_misses)
    # issue 9's targets on the real PDFs together: 85 % of fields standalone (90.97 % on all 334 in stop 34, 90.24 %
    # on CI's 138); with the letter 95 %, which all 334 read to 95.07 % (5398 of 5678) and CI's 138 to 94.76 % (2223
    # of 2346, six fields under the target: the blind sets of stop 34 read less well): the floor is half a point under
    # it, so that a field or two traded for others does not fail CI, as the groups' floors are set under what they read
    everything = [reading for alone, _ in groups.values() for reading in alone]
    with_letters = [reading for _, with_letter in groups.values() for reading in with_letter]
    assert _accuracy(everything)[0] >= 0.85
    assert _accuracy(with_letters)[0] >= 0.945


def test_no_mark_is_invented_from_the_words_of_the_body():
    """`khẩn trương`, `KHẨN CẤP`, `bí mật nhà nước` in a text are not urgency or secrecy marks (R6, R14)."""
    for case in real.real_texts():
        meta = read_metadata(DocumentText(case.first_page or "", case.last_page or "", "text_layer"))
        assert (meta.urgency, meta.secrecy) == (None, None), case.id
    body = "Số: 12/UBND-VP\nĐề nghị các đơn vị khẩn trương báo cáo.\nKHẨN CẤP TRIỂN KHAI\nbảo vệ bí mật nhà nước"
    meta = read_metadata(DocumentText(body, body, "text_layer"))
    assert (meta.urgency, meta.secrecy) == (None, None)


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("299 UB.signed.pdf", "299"),
        ("TB_so_561_Vv_dich_van_ban.pdf", "561"),
        ("1135_CV_gui_Cuc_QLCL_24.10.2025.pdf", "1135"),
        ("QĐ-539-2025.pdf", "539"),
        ("Ke hoach trien khai.pdf", None),
        (None, None),
    ],
)
def test_the_number_a_file_is_named_after(name, number):
    assert file_number(name) == number


@pytest.fixture(scope="module")
def handwritten_scan() -> DocumentText:
    """A scan whose number and day were left for the registry clerk's pen: printed `Số:     /TB-ĐHTĐ`."""
    doc = SampleDoc(
        issuer="TRƯỜNG ĐẠI HỌC TÂY ĐÔ",
        parent_issuer="BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        number="/TB-ĐHTĐ",
        place="Cần Thơ",
        date=None,
        draft_year=2025,
        title="THÔNG BÁO",
        subject="Về việc đăng ký kế hoạch báo cáo seminar cấp Khoa/Bộ môn",
        authority="",
        signer_title="HIỆU TRƯỞNG",
        signer_name="Trần Công Luận",
        recipients_paper=("HĐT (để b/c);", "Lưu: VT, TC-HC."),
    )
    return extract_text(render_scan(render_document(doc), seed=7), SETTINGS)


@pytest.mark.slow  # Tesseract
def test_a_handwritten_number_is_completed_from_the_file_name(handwritten_scan):
    alone = read_metadata(handwritten_scan)
    assert alone.number == "/TB-ĐHTĐ" and alone.date is None
    assert alone.field_sources["number"] == "ocr" and alone.field_sources["issuer"] == "ocr"
    meta = read_metadata(handwritten_scan, attachment_name="TB_1145_vv_dang_ky_0001.pdf")
    assert meta.number == "1145/TB-ĐHTĐ"
    assert meta.field_sources["number"] == "attachment_name"


@pytest.mark.slow  # Tesseract
def test_the_letter_fills_number_and_date_and_says_so(handwritten_scan):
    meta = read_metadata(
        handwritten_scan,
        letter_subject="Trường Đại học Tây Đô gửi Thông báo số 1145/TB-ĐHTĐ ngày 28/10/2025",
        attachment_name="TB_1145.pdf",
    )
    assert (meta.number, meta.date) == ("1145/TB-ĐHTĐ", date(2025, 10, 28))
    assert meta.field_sources["number"] == meta.field_sources["date"] == "letter_subject"
    assert meta.field_sources["subject"] == "ocr" and meta.mismatches == ()


@pytest.mark.slow  # Tesseract
def test_the_letter_body_is_a_source_of_its_own(handwritten_scan):
    meta = read_metadata(
        handwritten_scan, letter_body="Kính gửi Quý cơ quan Thông báo số 1145/TB-ĐHTĐ ngày 28/10/2025."
    )
    assert meta.number == "1145/TB-ĐHTĐ" and meta.field_sources["number"] == "letter_body"


def test_a_disagreeing_letter_is_a_mismatch_and_the_document_wins():
    text = extract_text(labelled.pdf(labelled.documents()[0]), SETTINGS)
    meta = read_metadata(text, letter_subject="Gửi Quyết định số 126/QĐ-UBND ngày 15/03/2021")
    assert meta.number == "125/QĐ-UBND" and meta.field_sources["number"] == "text_layer"
    assert any(m.startswith("number:") for m in meta.mismatches)


def test_a_scanners_ocr_layer_without_vietnamese_is_not_the_text():
    """Scanners OCR without the Vietnamese model and embed the result (`CQNG HOA xA HQI CHU NGHiA`)."""
    vendor = "BO GIAO DUC vA DAO TAO CQNG HOA xA HQI CHU NGHiA VIET NAM TRUONG DAI HQC TAY DO THONG BAO " * 5
    assert not marked_like_vietnamese(vendor)
    # one that kept some marks and made up others (held out 15, thainguyen-tu-tb-348): its words are too often
    # no Vietnamese syllable
    marked = "Can cü Chi thj s 45-CT/TW, ngày 14/4/2025 cüa B ChInh trj v diai hi dâng b các cp tin tâi Di hi dai " * 4
    assert not marked_like_vietnamese(marked)
    # every development text is Vietnamese; a held-out text layer with its words broken by spaces (`HỌC VI ỆN KỸ
    # THU ẬT`, held out 80) may be judged too broken to read, and OCR read instead, as it should
    for case in real.real_texts():
        if real.text_set(case) == "development":
            assert marked_like_vietnamese(case.first_page or ""), case.id


def _signed_copy(
    stamp_text: str,
    base: bytes | None = None,
    field: str = "SaoY",
    box: tuple[int, int, int, int] = (340, 790, 580, 830),
) -> bytes:
    """A born-digital page signed by the agency with a visible stamp (pyHanko, the test CA), the stamp's
    text in a font with Vietnamese glyphs, as registry software draws it."""
    import io as _io

    from pyhanko import stamp
    from pyhanko.pdf_utils import text as pdf_text
    from pyhanko.pdf_utils.font import opentype
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from gateway.fonts import font_path
    from tests.conftest_pki import pki

    agency = pki().agency
    style = stamp.TextStampStyle(
        stamp_text=stamp_text,
        text_box_style=pdf_text.TextBoxStyle(font=opentype.GlyphAccumulatorFactory(str(font_path("Serif")))),
    )
    signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name=field),
        signer=signers.SimpleSigner(signing_cert=agency.asn1_cert, signing_key=agency.asn1_key, cert_registry=None),
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(field, on_page=0, box=box),
    )
    writer = IncrementalPdfFileWriter(_io.BytesIO(base or labelled.pdf(labelled.documents()[0])), strict=False)
    return signer.sign_pdf(writer, in_place=False).getvalue()


def test_a_signature_stamp_says_the_document_is_a_copy():
    """An electronic copy made from paper (sao y): the page shows the original, the agency's signature
    stamp says `SAO Y; <agency>; Thời gian ký: …` (Nghị định 30/2020 Phụ lục I)."""
    pdf = _signed_copy("SAO Y; ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ;\nThời gian ký: 01/11/2023 14:22:35 +07:00")
    text = extract_text(pdf, SETTINGS)
    assert "SAO Y; ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ;" in text.stamps and "01/11/2023" in text.stamps
    meta = read_metadata(text)
    assert meta.copy_kind == "sao_y" and meta.field_sources["copy_kind"] == "signature_stamp"
    assert meta.number == "125/QĐ-UBND" and meta.date == date(2021, 3, 15)  # the original's, from the page
    plain = read_metadata(extract_text(labelled.pdf(labelled.documents()[0]), SETTINGS))
    assert plain.copy_kind is None and "copy_kind" not in plain.field_sources


def test_the_number_and_day_the_registry_stamps_at_signing_fill_the_pages_blanks():
    """A born-digital draft issued through registry software: the page keeps `Số:      /TTr-VPCP` and
    `ngày    tháng    năm 2024`; the software signs the number and the day into the blanks as stamps of
    their own (real 4728/SGDĐT-HSSV of Sở GD&ĐT TP.HCM)."""
    draft = next(c for c in labelled.documents() if c.id == "to-trinh-draft")
    numbered = _signed_copy("4728", labelled.pdf(draft), "So", (80, 700, 140, 720))
    pdf = _signed_copy("18 11", numbered, "Ngay", (400, 700, 460, 720))
    text = extract_text(pdf, SETTINGS)
    meta = read_metadata(text)
    assert (meta.number, meta.date) == ("4728/TTr-VPCP", date(2024, 11, 18))
    assert meta.field_sources["number"] == meta.field_sources["date"] == "signature_stamp"
    blank = read_metadata(extract_text(labelled.pdf(draft), SETTINGS))
    assert (blank.number, blank.date) == ("/TTr-VPCP", None)
    # signed the other way round, the day and the month first (held out 18, khanhhoa-ubnd-qd-11-2026): the
    # stamps are read as they stand on the page, the number's left of the date's
    dated = _signed_copy("18", labelled.pdf(draft), "Ngay", (400, 700, 430, 720))
    dated = _signed_copy("11", dated, "Thang", (440, 700, 470, 720))
    pdf = _signed_copy("4728", dated, "So", (80, 700, 140, 720))
    reversed_order = read_metadata(extract_text(pdf, SETTINGS))
    assert (reversed_order.number, reversed_order.date) == ("4728/TTr-VPCP", date(2024, 11, 18))
    # a day and a month alike are two stamps, and the day the decision takes effect, stamped into the body's
    # blanks the same way between them from left to right, is no part of the header's (held out 55: Hà Nội's
    # decisions 70/2024, its `12` and `12`, and 05/2025, its `03 02` low on the page)
    dated = _signed_copy("11", labelled.pdf(draft), "Ngay", (400, 700, 430, 720))
    dated = _signed_copy("03 02", dated, "HieuLuc", (410, 100, 460, 120))
    dated = _signed_copy("11", dated, "Thang", (440, 700, 470, 720))
    pdf = _signed_copy("4728", dated, "So", (80, 700, 140, 720))
    alike = read_metadata(extract_text(pdf, SETTINGS))
    assert (alike.number, alike.date) == ("4728/TTr-VPCP", date(2024, 11, 11))


def test_the_whole_number_and_date_lines_the_registry_stamps_fill_the_pages_blanks():
    """Registry software that stamps the whole lines over the blank ones, `Số: 5880/QĐ-ĐHBK` and `Hà Nội, ngày 20
    tháng 7 năm 2023` (held out 49, hust-qd-5880-2023, signed three times): the number's figures and the day."""
    draft = next(c for c in labelled.documents() if c.id == "to-trinh-draft")
    numbered = _signed_copy("Số: 4728/TTr-VPCP", labelled.pdf(draft), "So", (60, 700, 200, 720))
    pdf = _signed_copy("Hà Nội, ngày 18 tháng 11 năm 2024", numbered, "Ngay", (330, 700, 560, 720))
    meta = read_metadata(extract_text(pdf, SETTINGS))
    assert (meta.number, meta.date) == ("4728/TTr-VPCP", date(2024, 11, 18))
    assert meta.field_sources["number"] == meta.field_sources["date"] == "signature_stamp"


def _read(first: str, last: str | None = None):
    return read_metadata(DocumentText(first, last if last is not None else first, "text_layer"))


def test_a_web_copys_markdown_tables_are_read_as_their_columns():
    """A .docx converted to Markdown: the header's two columns, and the closing's, each in one table row,
    a cell's lines two spaces apart; `\\\\` for the rule under the agency's name."""
    first = (
        "|  |  |\n|  |  |\n"
        "| BAN CHẤP HÀNH TRUNG ƯƠNG  \\\\\\  Số: 245 KH/TWĐTNBTG "
        "| ĐOÀN TNCS HỒ CHÍ MINH  Hà Nội, ngày 08 tháng 11 năm 2019 |"
        "\n\nKẾ HOẠCH\n\nTổ chức cuộc thi trực tuyến\n\n\n\n"
        "Thực hiện Kế hoạch số 221 của Ban Thường vụ, Ban Bí thư ban hành kế hoạch.\n"
    )
    last = (
        "Đề nghị các đơn vị thực hiện.\n\n|  |  |\n|  |  |\n"
        "| Nơi nhận:   Ban Bí thư TW Đoàn (để báo cáo);   Các tỉnh, thành đoàn (để t/h);   Lưu VP, BTG. "
        "| TM. BAN BÍ THƯ TRUNG ƯƠNG ĐOÀN  BÍ THƯ  (Đã ký)  Nguyễn Ngọc Lương |\n"
    )
    meta = _read(first, last)
    assert (meta.issuer, meta.number, meta.date) == ("BAN CHẤP HÀNH TRUNG ƯƠNG", "245-KH/TWĐTNBTG", date(2019, 11, 8))
    assert (meta.doc_type, meta.subject) == ("ke_hoach", "Tổ chức cuộc thi trực tuyến")
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("TM.", "BÍ THƯ", "Nguyễn Ngọc Lương")
    assert meta.recipients_paper == ("Ban Bí thư TW Đoàn (để báo cáo)", "Các tỉnh, thành đoàn (để t/h)", "Lưu VP, BTG")


def test_a_signer_block_above_the_recipients_is_the_signer():
    """Party and Youth Union documents sign before `Nơi nhận:`; a block split around it keeps its name."""
    above = (
        "triển khai thực hiện.\n\nTM. BAN BÍ THƯ TRUNG ƯƠNG ĐOÀN\nBÍ THƯ\n\nNguyễn Tường Lâm\n\n"
        "Nơi nhận:\n Ban Bí thư;\n Lưu VP."
    )
    meta = _read("Số: 12 KH/TWĐTN", above)
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("TM.", "BÍ THƯ", "Nguyễn Tường Lâm")
    assert meta.recipients_paper == ("Ban Bí thư", "Lưu VP")
    split = (
        "tình hình mới.\n\n      TL. BAN BÍ THƯ TRUNG ƯƠNG ĐOÀN\n\nCHÁNH VĂN PHÒNG\n\n"
        "Nơi nhận:\n Bộ Y tế;\n Lưu VP.\n\nNguyễn Quốc Huy"
    )
    meta = _read("Số: 15 BC/TWĐTN", split)
    signer = (meta.signing_authority, meta.signer_title, meta.signer_name)
    assert signer == ("TL.", "CHÁNH VĂN PHÒNG", "Nguyễn Quốc Huy")
    body = "Nguyễn Văn An\n\nNơi nhận:\n Như trên;\n Lưu VT.\n\nCHỦ TỊCH\n\nTrần Văn Bình"  # a name alone: no block
    assert _read("Số: 1/UBND", body).signer_name == "Trần Văn Bình"


def test_ocr_misreadings_of_closed_vocabularies_are_mended():
    """An agency's organ and province words, a place before a handwritten day, `©` for `c`."""
    first = (
        "ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "THÁNH PHÓ CÁN THƠ               Độc lập - Tự do - Hạnh phúc\n"
        "Số: 4427/UBND-NC          Cân Thơ, ngày †lHháng 7 năm 2025\n"
    )
    closing = "Nơi nhận:                      CHỦ TỊCH\n- HĐT (để b/©);\n- Lưu: VT.\n\n" + " " * 31 + "Trần Văn An"
    meta = _read(first, closing)
    assert meta.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ"
    assert (meta.place, meta.date) == ("Cần Thơ", None)
    assert meta.recipients_paper == ("HĐT (để b/c)", "Lưu: VT")
    assert meta.signer_name == "Trần Văn An"
    assert mend_agency("ỦY BAN NHÂN DÂN TỈNH THANH HOÁ") == "ỦY BAN NHÂN DÂN TỈNH THANH HOÁ"  # old tone placement
    assert _read("Số: 1/UBND\nPhòng họp A, ngày ‡ năm 2025").place is None  # only a province is trusted so


def test_the_letters_number_also_says_the_type_and_whether_it_is_normative():
    """A handwritten number lost to OCR: the letter's `73/2025/UBTVQH15` on a nghị quyết is numbered with
    its year, so the document is normative (R9); a title lost too: `82/NQ-CP` names the type."""
    text = DocumentText("ỦY BAN THƯỜNG VỤ QUỐC HỘI\nNghị quyết số: l3 /2025/UBTVQHI15\n\nNGHỊ QUYẾT\n", "", "ocr")
    alone = read_metadata(text)
    assert (alone.number, alone.doc_type, alone.legal_normative) == (None, "nghi_quyet", False)
    meta = read_metadata(text, letter_subject="Ủy ban Thường vụ Quốc hội gửi Nghị quyết số 73/2025/UBTVQH15")
    assert (meta.number, meta.doc_type, meta.legal_normative) == ("73/2025/UBTVQH15", "nghi_quyet", True)
    untitled = DocumentText("CHÍNH PHỦ\nSố:\n", "", "ocr")  # the whole number lost
    meta = read_metadata(untitled, letter_subject="Chính phủ gửi Nghị quyết số 82/NQ-CP ngày 13/4/2025")
    assert (meta.number, meta.doc_type, meta.legal_normative) == ("82/NQ-CP", "nghi_quyet", False)
    assert meta.field_sources["doc_type"] == meta.field_sources["number"] == "letter_subject"
    # Only the digits lost (`Số: §2/NQ-CP`): the printed code still names the type on the page itself.
    digits_lost = read_metadata(DocumentText("CHÍNH PHỦ\nSố: §2/NQ-CP\n", "", "ocr"))
    assert (digits_lost.number, digits_lost.doc_type) == ("/NQ-CP", "nghi_quyet")


def test_a_copys_form_is_read_from_a_stamp_without_semicolons():
    """`SAO Y Bộ Công an Thời gian ký: …` on one line (held out bca-cv-4409): the form is the line's
    opening words; a stamp naming its signer (`Người ký: …`) says no form."""
    from gateway.reading.stamps import stamp_clues

    assert stamp_clues("SAO Y Bộ Công an Thời gian ký: 2025-10-01T17:08:18+07:00").copy_kind == "sao_y"
    assert stamp_clues("TRÍCH SAO; Sở Nội vụ; 03/04/2025 16:23:18").copy_kind == "trich_sao"
    portal = "Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ Cơ quan: VĂN PHÒNG CHÍNH PHỦ Thời gian ký: 02.12.2024"
    assert stamp_clues(portal).copy_kind is None
    assert stamp_clues("Saoyen Hotel").copy_kind is None


def test_stamps_of_a_number_a_day_and_a_month_fill_the_blanks_in_order():
    """Registry software stamps the number, then the day and the month (together or apart), or the day
    alone where the month is printed, or the day and the month first and the number after them; a page
    signed twice repeats them, and a month stamped over a printed one is the month of issue (held out 3:
    the Lào Cai letters, laocai-ubnd-qd-1696)."""
    from gateway.models import Metadata
    from gateway.reading.stamps import apply_stamps, stamp_clues

    day_only = stamp_clues("1178\n09", "Số:    /ĐCK-CTT    Hà Nội, ngày       tháng 7 năm 2025")
    assert (day_only.number, day_only.issued_on) == ("1178", date(2025, 7, 9))
    apart = stamp_clues("2496\n06\n4", "Lào Cai, ngày      tháng     năm 2026")
    assert (apart.number, apart.issued_on) == ("2496", date(2026, 4, 6))
    twice = stamp_clues("1696\n15\n5\n\n\n1696\n15\n5", "Lào Cai, ngày     tháng 4 năm 2026")
    assert (twice.number, twice.issued_on) == ("1696", date(2026, 5, 15))
    assert stamp_clues("4728", "ngày    tháng    năm 2025").issued_on is None  # no day stamped
    assert stamp_clues("12\n40\n7", "ngày   tháng   năm 2025").issued_on is None  # no such day
    # the day and the month stamped first, the number after them with a full stop (bimson-ubnd-kh-3070)
    after = stamp_clues("09 9\n3070.", "Bỉm Sơn, ngày       tháng    năm 2024")
    assert (after.number, after.issued_on) == ("3070", date(2024, 9, 9))
    # a stale day and figure in the text layer under the stamps (held out 55, hn-ubnd-qd-70-2024): the stamps'
    stale = stamp_clues("70\n12\n12", "Số: 0     7/2024/QĐ-UBND    Hà Nội, ngày 30 tháng     năm 2024")
    assert (stale.number, stale.issued_on) == ("70", date(2024, 12, 12))
    read = Metadata(number="7/2024/QĐ-UBND")
    assert apply_stamps(read, stale).number == "70/2024/QĐ-UBND"
    assert apply_stamps(Metadata(number="71/2024/QĐ-UBND"), stale).number == "71/2024/QĐ-UBND"  # not the stamp's


def test_a_decision_with_an_annex_and_a_fonts_slips_in_its_text_layer():
    """Born-digital, signed (held out 3): the decision's closing on page 2 and its annex on page 3
    (laocai-ubnd-qd-1696); a text layer typeset with `ƣ` for `ư` (`BỘ CÔNG THƢƠNG`, cucdmst-cv-1178)."""
    docs = {d.case.id: d for d in real.real_pdfs()}
    decision = docs["laocai-ubnd-qd-1696"]
    data = real.load_pdf(real.DEFAULT_PDF_DIR, decision)
    assert data is not None
    meta = read_metadata(extract_text(data, SETTINGS))
    assert (meta.signing_authority, meta.signer_title, meta.signer_name) == ("TM.", "CHỦ TỊCH", "Nguyễn Tuấn Anh")
    assert (meta.number, meta.date) == ("1696/QĐ-UBND", date(2026, 5, 15))
    assert meta.recipients_paper == tuple(decision.case.expect["recipients_paper"])  # page 2, read in order
    letter = docs["cucdmst-cv-1178"]
    data = real.load_pdf(real.DEFAULT_PDF_DIR, letter)
    assert data is not None
    text = extract_text(data, SETTINGS)
    assert "ƣ" not in text.first_page and "BỘ CÔNG THƯƠNG" in text.first_page
    assert read_metadata(text).subject == letter.case.expect["subject"]


def test_a_text_layer_drawn_out_of_order_is_read_in_the_order_it_stands():
    """Signed born-digital letters whose lines were drawn in pieces out of order (held out 3: Lào Cai's):
    pypdf runs the words together (`ủy quyềnVề việc cho`, `loạihiểm`), pdfplumber reads them by where they
    stand; a layer in order is left to pypdf."""
    from gateway.reading.spelling import glued_words

    assert glued_words("ủy quyềnVề việc cho Giám đốc, vận chuyển hàng hoá nguy loại 1,2,3,4,9hiểm") == 1
    # abbreviations are not glued words; a brand's capital is counted, and only costs a second reading that
    # is kept when it runs fewer words together
    assert glued_words("Về tăng cường đôn đốc thu ngân sách nhà nước; TTg, QĐ-UBND, GDĐT, iPhone") == 1
    assert glued_words("tham gia ý định hồ sơ đề nghịkiến thẩm thành lập") == 1
    assert glued_words("- Sở (B/c);- Giám đốc\n- Trung tâm Thông tin và tỉnh;Hội nghị") == 2  # entries run on
    docs = {d.case.id: d for d in real.real_pdfs()}
    for case_id in ("laocai-ubnd-cv-2496", "laocai-ubnd-cv-7432"):
        doc = docs[case_id]
        data = real.load_pdf(real.DEFAULT_PDF_DIR, doc)
        assert data is not None
        meta = read_metadata(extract_text(data, SETTINGS))
        assert meta.subject == doc.case.expect["subject"], case_id
    assert meta.addressees == tuple(doc.case.expect["addressees"])


def test_an_urgency_mark_stamped_in_red_is_read():
    """A colour scan whose `KHẨN` is stamped in a red box beside `Kính gửi:` (held out 4: vncert-cv-298,
    missed when the set came): `prepare` takes red ink out with the seal, so the header's red ink is read
    apart for marks (R14); a red seal or a red receipt stamp says no mark."""
    docs = {d.case.id: d for d in real.real_pdfs()}
    data = real.load_pdf(real.DEFAULT_PDF_DIR, docs["vncert-cv-298"])
    assert data is not None
    assert read_metadata(extract_text(data, SETTINGS)).urgency == "khan"
    sealed = real.load_pdf(real.DEFAULT_PDF_DIR, docs["ctuet-tb-873"])  # red ink in the header half: no mark
    assert sealed is not None
    meta = read_metadata(extract_text(sealed, SETTINGS))
    assert (meta.urgency, meta.secrecy) == (None, None)
