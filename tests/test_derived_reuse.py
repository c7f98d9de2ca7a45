"""Issue 16: a document read before (same sha256) is not OCR'd again — its stored derived text (R20) stands
for it while signatures, safety, fields and rules are done afresh; the stored form reads back exactly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from gateway import derived
from gateway.config import load_settings
from gateway.intake.spool import admit
from gateway.models import Source
from gateway.pdf.text import DocumentText
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.reading import ReadingSettings
from gateway.register.db import open_database
from gateway.register.schema import LetterRow, RegisterEntryRow
from gateway.samples.render import SampleDoc, render_document, render_scan
from tests.hostile_samples import good_letter

SETTINGS = ReadingSettings()


def _ocr_text(**kw) -> DocumentText:
    fields = {
        "first_page": "UBND TỈNH\n--- last page ---\nSố: 12/UBND-VP\r\n",
        "last_page": "Nơi nhận:\n--- first page ---\nNguyễn Văn An",
        "source": "ocr",
        "pages": 2,
        "ocr_seconds": 1.7,
        "ocr_pages": 2,
        "stamps": "SAO Y; ỦY BAN NHÂN DÂN: x",
        "reading": derived.reading_key(SETTINGS),
    }
    return DocumentText(**{**fields, **kw})  # type: ignore[arg-type]


def test_stored_text_reads_back_exactly_even_with_separator_lines_inside(tmp_path):
    text = _ocr_text()
    derived.store(tmp_path, "ab" * 32, text)
    back = derived.load(tmp_path, "ab" * 32, SETTINGS)
    assert back is not None and back.reused and back.ocr_seconds == 0.0
    assert (back.first_page, back.last_page, back.stamps, back.pages) == (
        text.first_page,
        text.last_page,
        text.stamps,
        text.pages,
    )
    assert derived.derived_path(tmp_path, "ab" * 32).read_text(encoding="utf-8").startswith('source: "ocr"\n')


@pytest.mark.parametrize(
    "stored, settings",
    [
        (_ocr_text(source="text_layer"), SETTINGS),  # a text layer is cheaper to read again than to load
        (_ocr_text(problem="tesseract took longer than 60 s"), SETTINGS),  # a partial reading is redone
        (_ocr_text(), ReadingSettings(dpi=300)),  # other settings read otherwise
        (_ocr_text(), ReadingSettings(language="vie+eng")),
        (_ocr_text(reading="ocr=1 language=vie dpi=200 reader=older"), SETTINGS),  # the OCR code changed
        (_ocr_text(), ReadingSettings(ocr=False)),
    ],
)
def test_stored_text_is_not_reused_when_it_may_differ(tmp_path, stored, settings):
    derived.store(tmp_path, "cd" * 32, stored)
    assert derived.load(tmp_path, "cd" * 32, settings) is None


def test_a_shredded_or_truncated_file_is_not_reused(tmp_path):
    derived.store(tmp_path, "ef" * 32, _ocr_text())
    path = derived.derived_path(tmp_path, "ef" * 32)
    body = path.read_bytes()
    path.write_bytes(body[:-5])
    assert derived.load(tmp_path, "ef" * 32, SETTINGS) is None
    path.write_bytes(b"\0" * len(body))
    assert derived.load(tmp_path, "ef" * 32, SETTINGS) is None


@pytest.mark.slow  # Tesseract, once
def test_a_scan_sent_again_is_not_ocr_d_again(tmp_path):
    """The second letter carries the same scan; its stages have no Tesseract at all. Without reuse its
    document would have no text (OCR fails) and no number; with reuse it reads like the first."""
    storage = (tmp_path / "storage").as_posix()
    common = f'[gateway]\nstorage_dir = "{storage}"\n[outgoing]\nreply_domains = ["sotttt.hanoi.gov.vn"]\n'
    (tmp_path / "a.toml").write_text(common, encoding="utf-8")
    (tmp_path / "b.toml").write_text(common + '[reading]\ntessdata = "/nonexistent/tessdata"\n', encoding="utf-8")
    settings = load_settings(tmp_path / "a.toml")
    without_tesseract = load_settings(tmp_path / "b.toml")
    sessions = open_database(settings.database_url)
    doc = SampleDoc(number="37/STTTT-VP", title="", subject="V/v triển khai nhiệm vụ chuyển đổi số")
    scan = render_scan(render_document(doc), seed=5)

    def send(n: int, stages) -> int:
        raw = good_letter([scan], subject=f"Công văn gửi lần {n}", message_id=f"<again-{n}@sotttt.hanoi.gov.vn>")
        letter_id = admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=datetime.now(UTC))
        process_pending(sessions, stages)
        return letter_id.letter_id

    first = send(1, build_stages(settings))
    second = send(2, build_stages(without_tesseract))
    with sessions() as s:
        docs = [s.get_one(LetterRow, i).verdict["documents"][0] for i in (first, second)]
        notation = s.scalars(select(RegisterEntryRow.notation).where(RegisterEntryRow.letter_id == first)).all()
    assert docs[0]["sha256"] == docs[1]["sha256"]
    assert docs[0]["metadata"]["number"] == "37/STTTT-VP"
    assert docs[1]["metadata"] == docs[0]["metadata"]  # read from the stored OCR text
    assert notation == ["37/STTTT-VP"]
    assert docs[1]["signatures"] == docs[0]["signatures"]  # validated again (here: none)
