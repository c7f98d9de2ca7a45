"""Derived text beside the originals (R20), and its reuse for a document read before (issue 16).

The text read from a document (its text layer, or OCR of a scan) is stored beside the original, never in
it: `storage_dir/derived/<sha[:2]>/<sha256>.txt`, a small header then the first and last pages' text.

The same document (same sha256) arriving again — a resend, a copy to another mailbox, a reprocessing —
is not OCR'd again: `load` gives the stored text when it was made by OCR, without a problem, with the
same reading settings (`[reading]` ocr, language, dpi) and the same OCR code (`READER`, a hash of the
modules that turn a page into text: ocr, ocr_marks, pdf/text, vntext). OCR is 80-90 % of a scanned
letter's cost and depends on nothing but the bytes and those settings (bench_mailbox: a scan's evaluation
1455 ms, the same document seen before 38 ms). What is NOT reused, because it depends on more than the bytes:
- signature validation (pyHanko): revocation, certificate expiry and the trust store change with time
  and with a SIGHUP reload (R3);
- the safety scan (R6): a few milliseconds, and the gate before anything else reads the file;
- reading the fields and the rules: the letter's subject and file name, the sender, the calendar and the
  rule files all take part (R1-R21), and they cost milliseconds.
A text-layer document is read again too: that costs less than reading the stored file would save.

The file is written atomically (a reader in a worker process never sees half of it) and is destroyed with
the letter's raw e-mail when retention or R6 says so (`gateway.destruction`); a file that cannot be
parsed (shredded, or from an older gateway) is simply not reused.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import replace
from pathlib import Path

from gateway.pdf.document_text import DocumentText
from gateway.reading.settings import ReadingSettings


def _reader_revision() -> str:
    """A hash of the code that turns a page into text: a change to it makes earlier OCR texts stale."""
    digest = hashlib.sha256()
    modules = (
        "gateway.ocr",
        "gateway.ocr_digits",
        "gateway.ocr_engine",
        "gateway.ocr_marks",
        "gateway.ocr_receipt",
        "gateway.pdf.text",
        "gateway.reading.spelling",  # which pages' text layers are read again in order (`glued_words`)
    )
    for module in (*modules, "gateway.vntext"):
        # The files, found without importing them: the daemon's parent reads this key and never imports
        # pypdf or Pillow (issue 16).
        spec = importlib.util.find_spec(module)
        digest.update(Path(spec.origin if spec and spec.origin else "").read_bytes())
    return digest.hexdigest()[:16]


READER = _reader_revision()


def reading_key(settings: ReadingSettings) -> str:
    """What the text of a scan depends on besides its bytes (the Tesseract binary's path does not count)."""
    return f"ocr={int(settings.ocr)} language={settings.language} dpi={settings.dpi} reader={READER}"


def derived_path(storage_dir: Path, document_sha256: str) -> Path:
    return storage_dir / "derived" / document_sha256[:2] / f"{document_sha256}.txt"


_FIRST, _LAST = "--- first page ---\n", "\n--- last page ---\n"


def render(text: DocumentText) -> str:
    """The stored form: `key: json value` lines, then the two pages (their lengths are in the header, so
    a page that contains the separator lines is still read back exactly)."""
    header = {
        "source": text.source,
        "reading": text.reading,
        "pages": text.pages,
        "ocr_pages": text.ocr_pages,
        "problem": text.problem,
        "stamps": text.stamps,
        "handwriting": text.handwriting,
        "first_page_chars": len(text.first_page),
        "last_page_chars": len(text.last_page),
    }
    lines = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in header.items())
    return f"{lines}{_FIRST}{text.first_page}{_LAST}{text.last_page}\n"


def parse(body: str) -> DocumentText | None:
    """The DocumentText of a stored file, or None if it is not one (shredded, truncated, older format)."""
    head, sep, rest = body.partition(_FIRST)
    if not sep:
        return None
    try:
        header = {k: json.loads(v) for k, _, v in (line.partition(": ") for line in head.splitlines())}
        n_first, n_last = int(header["first_page_chars"]), int(header["last_page_chars"])
        first, tail = rest[:n_first], rest[n_first:]
        if not tail.startswith(_LAST) or len(tail) != len(_LAST) + n_last + 1:
            return None
        return DocumentText(
            first_page=first,
            last_page=tail[len(_LAST) : len(_LAST) + n_last],
            source=header["source"],
            pages=int(header["pages"]),
            ocr_pages=int(header["ocr_pages"]),
            problem=header["problem"],
            stamps=str(header["stamps"]),
            reading=str(header["reading"]),
            handwriting=str(header.get("handwriting", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None


def store(storage_dir: Path, sha256: str, text: DocumentText) -> None:
    """Write the derived text of a document atomically (a temporary file renamed over the old one)."""
    path = derived_path(storage_dir, sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(render(text).encode("utf-8"))
    os.replace(tmp, path)


def load(storage_dir: Path, sha256: str, settings: ReadingSettings) -> DocumentText | None:
    """The stored OCR text of the document, if it may stand for OCR'ing it again (see the module text)."""
    if not settings.ocr:
        return None
    try:
        body = derived_path(storage_dir, sha256).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    text = parse(body)
    if text is None or text.source != "ocr" or text.problem or text.reading != reading_key(settings):
        return None
    return replace(text, ocr_seconds=0.0, reused=True)
