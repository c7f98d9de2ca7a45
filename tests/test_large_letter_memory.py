"""Issue 16 item 7: a large letter is parsed and evaluated without copies many times its size, and the
attachments' bytes do not travel back from a pool worker to the daemon."""

from __future__ import annotations

import base64
import hashlib
import os
import random
import tracemalloc
from datetime import UTC, datetime

import pytest

from gateway import mimeblobs
from gateway.authenticity import header_block
from gateway.config import load_settings
from gateway.letter import Letter, parse_letter
from gateway.pipeline import build_stages
from gateway.samples.render import SampleDoc, render_document
from gateway.workers import EvaluationPool
from tests import hostile_samples
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


# --------------------------------------------------- large bodies kept out of the standard parser (mimeblobs)


def _standard(raw: bytes, monkeypatch) -> Letter:
    """The letter as the standard parser alone reads it: no body is long enough to be left in the raw bytes."""
    with monkeypatch.context() as m:
        m.setattr(mimeblobs, "BLOB_MIN_BYTES", len(raw) + 1)
        return parse_letter(raw)


def test_a_20_mb_attachment_decoded_from_the_raw_bytes_is_the_one_the_standard_parser_gives(monkeypatch):
    pdf = _big_pdf(20)
    raw = good_letter([("ho-so.pdf", pdf)], subject="Công văn số 88/STTTT-VP")
    reduced = mimeblobs.reduce(raw)
    assert len(reduced.runs) == 1 and len(reduced.data) < 64 * 1024  # the parser never sees the base64 body
    letter = parse_letter(raw)
    att = letter.attachments[0]
    assert att.data == pdf and att.sha256 == hashlib.sha256(pdf).hexdigest() and att.size == len(pdf)
    assert letter == _standard(raw, monkeypatch)  # headers, body text, defects, attachments: all the same


def _samples() -> list[tuple[str, bytes]]:
    out = []
    for name in dir(hostile_samples):
        make = getattr(hostile_samples, name)
        if name.endswith("_letter") and callable(make) and name != "large_attachment_letter":
            try:
                out.append((name, make()))
            except TypeError:  # needs arguments
                continue
    return out


def _odd_letters() -> list[tuple[str, bytes]]:
    b64 = base64.encodebytes(os.urandom(3000)).decode("ascii")
    head = "From: a@b.vn\r\nTo: c@d.vn\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
    mixed = head + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
    pdf = "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
    named = pdf + 'Content-Disposition: attachment; filename="a.pdf"\r\n\r\n'
    nest = 'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'  # too deep for the stdlib parser
    return [
        ("bad padding", mixed + f"--b\r\n{named}{b64[:-8]}==AB\r\n--b--\r\n"),
        ("length not a multiple of four", mixed + f"--b\r\n{named}{b64[:-3]}\r\n--b--\r\n"),
        ("no closing boundary", mixed + f"--b\r\n{named}{b64}"),
        ("text after the base64", mixed + f"--b\r\n{named}{b64}not base64!\r\n--b--\r\n"),
        ("base64 in preamble and epilogue", mixed + f"{b64}--b\r\n{named}{b64}--b--\r\n{b64}"),
        ("base64 text body", head + f"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}"),
        ("unnamed", mixed + f"--b\r\n{pdf}\r\n{b64}--b--\r\n"),
        ("no header separator", f"From: a@b.vn\r\n{b64}"),
        ("LF only", (mixed + f"--b\r\n{named}{b64}--b--\r\n").replace("\r\n", "\n")),
        ("nested message", mixed + f"--b\r\nContent-Type: message/rfc822\r\n\r\n{head}{named}{b64}\r\n--b--\r\n"),
        ("two attachments", mixed + f"--b\r\n{named}{b64}--b\r\n{named}{b64}--b--\r\n"),
        ("deeply nested", head + "".join(nest.format(i=i) for i in range(2000)) + named + b64),
    ]


@pytest.mark.parametrize(("name", "raw"), _samples() + [(n, r.encode("ascii")) for n, r in _odd_letters()])
def test_every_letter_reads_the_same_with_its_base64_left_in_the_raw_bytes(name, raw, monkeypatch):
    """Runs of base64 as short as 64 bytes are left out of the parser: malformed mail (bad padding, a
    missing boundary, text after the base64, base64 text bodies, preambles) reads exactly as before."""
    with monkeypatch.context() as m:
        m.setattr(mimeblobs, "BLOB_MIN_BYTES", 64)
        if " " in name:  # the hand-made ones: each has base64 to leave out
            assert mimeblobs.reduce(raw).runs, name
        reduced = parse_letter(raw)
    assert reduced == _standard(raw, monkeypatch), name


def test_a_stored_letter_is_evaluated_as_its_bytes_are(tmp_path):
    """The pool's workers evaluate the spooled file (`evaluate_stored`, which lets the raw bytes go once
    they are parsed): the same verdict as `evaluate_letter` on the bytes, for a letter over LARGE_DOCUMENT."""
    from gateway.pipeline import LARGE_DOCUMENT, evaluate_letter, evaluate_stored

    cfg = tmp_path / "config.toml"
    cfg.write_text('[gateway]\nstorage_dir = "storage"\n', encoding="utf-8")
    stages = build_stages(load_settings(cfg))
    pdf = _big_pdf(LARGE_DOCUMENT // MiB + 1)
    raw = good_letter([("ho-so.pdf", pdf)], subject="Công văn số 88/STTTT-VP")
    path = tmp_path / "letter.eml"
    path.write_bytes(raw)
    when = datetime.now(UTC)
    stored = evaluate_stored(path, received_at=when, stages=stages)
    direct = evaluate_letter(raw, received_at=when, stages=stages)
    assert stored.verdict == direct.verdict and stored.letter == direct.letter
    assert stored.verdict.source.sha256 == hashlib.sha256(raw).hexdigest()
    assert stored.verdict.documents[0].sha256 == hashlib.sha256(pdf).hexdigest()
