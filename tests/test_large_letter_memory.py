"""Issue 16 item 7: a large letter is parsed and evaluated without copies many times its size, and the
attachments' bytes do not travel back from a pool worker to the daemon."""

from __future__ import annotations

import os
import random
import tracemalloc
from datetime import UTC, datetime

from gateway.authenticity import header_block
from gateway.config import load_settings
from gateway.letter import parse_letter
from gateway.pipeline import build_stages
from gateway.samples.render import SampleDoc, render_document
from gateway.workers import EvaluationPool
from tests.hostile_samples import good_letter

MiB = 1024 * 1024


def _big_pdf(megabytes: int) -> bytes:
    """A real one-page công văn with an incompressible stream appended as an unused object: base64 of it
    is what a large scan's letter carries."""
    pdf = render_document(SampleDoc(number="88/STTTT-VP", title="", subject="V/v hồ sơ số hóa"))
    filler = random.Random(16).randbytes(megabytes * MiB)
    return pdf + b"\n%" + filler.replace(b"\n", b" ").replace(b"\r", b" ") + b"\n"


def test_parsing_a_large_letter_peaks_at_a_small_multiple_of_its_size():
    pdf = _big_pdf(12)
    raw = good_letter([("ho-so.pdf", pdf)], subject="Công văn số 88/STTTT-VP")
    tracemalloc.start()
    try:
        letter = parse_letter(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert letter.attachments[0].data == pdf
    # The standard parser peaked near ten times the letter (a StringIO of it, the base64 body as a list
    # of lines); the tree itself (the body as text) and the decoded bytes are about twice.
    assert peak < 3 * len(raw), f"parse peak {peak / MiB:.0f} MiB for a {len(raw) / MiB:.0f} MiB letter"


def test_the_authenticity_check_reads_the_header_block_only():
    raw = good_letter([("a.pdf", _big_pdf(1))])
    head = header_block(raw)
    assert head.endswith(b"\n\n") and b"Content-Disposition: attachment" not in head
    assert b"Message-ID:" in head and len(head) < 4096


def test_a_worker_returns_the_evaluation_without_the_attachment_bytes(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[gateway]\nstorage_dir = "storage"\n[processing]\nworkers = 1\n', encoding="utf-8")
    settings = load_settings(cfg)
    pdf = render_document(SampleDoc(number="41/UBND-VP", title="", subject="V/v rà soát hồ sơ"))
    raw_path = tmp_path / "letter.eml"
    raw_path.write_bytes(good_letter([("cv.pdf", pdf)]))
    pool = EvaluationPool(settings, build_stages(settings).rulebook)
    try:
        ev = pool.result(pool.submit(str(raw_path), datetime.now(UTC), False, False))
    finally:
        pool.close()
    assert ev.letter is not None and [a.data for a in ev.letter.attachments] == [b""]
    assert ev.letter.attachments[0].size == len(pdf)
    assert ev.verdict.documents[0].metadata.number == "41/UBND-VP"  # evaluated in full, in the worker
    assert "MALLOC_ARENA_MAX" in os.environ  # set before the fork server started (inherited)
