"""Issue 17, item 2: the register grows linearly with a letter's attachments, and by little per entry.

Each register entry keeps its own document's verdict; the letter's verdict is kept once, on the letter.
(Before, every entry held the whole letter's verdict: 2,000 small invalid attachments made 9.8 GB.)
Measured on the real register (SQLite file, as the daemon writes it) after the real processor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from gateway.config import load_settings
from gateway.intake.spool import admit
from gateway.models import Source
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.schema import EntryHistoryRow, LetterRow, RegisterEntryRow

ENTRY_VERDICT_MAX = 1_500  # JSON bytes of one entry's verdict (an invalid attachment: ~1.1 KB)


def invalid_attachments_letter(n: int) -> bytes:
    """One letter with `n` small attachments that claim to be PDFs but are not, all different."""
    msg = EmailMessage()
    msg["Return-Path"] = "<vanthu@so.example.gov.vn>"
    msg["From"] = "vanthu@so.example.gov.vn"
    msg["To"] = "vanthu@ubnd.example.gov.vn"
    msg["Subject"] = f"{n} tệp đính kèm"
    msg["Message-ID"] = f"<growth{n}@so.example.gov.vn>"
    msg.set_content("Kính gửi Văn thư.")
    for i in range(n):
        body = (b"<html><body>not a pdf, attachment %d</body></html>\n" % i).ljust(120, b" ")
        msg.add_attachment(body, maintype="application", subtype="pdf", filename=f"cv-{i:05d}.pdf")
    return msg.as_bytes()


@dataclass(frozen=True)
class Growth:
    entries: int
    history: int
    entry_verdicts: list[int]  # JSON bytes of each entry's verdict
    letter_verdict: int
    documents_in_letter_verdict: int
    register_bytes: int  # the SQLite database and its WAL


def measure(folder: Path, n: int) -> Growth:
    folder.mkdir()
    cfg = folder / "config.toml"
    cfg.write_text(
        '[gateway]\nstorage_dir = "storage"\n'
        # Every document read (the default reads at most 50 per letter): the growth per entry is what is measured.
        "[processing]\nmax_attachments = 10000\n",
        encoding="utf-8",
    )
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    admit(
        sessions, settings.storage_dir, invalid_attachments_letter(n), source=Source.FILE, received_at=datetime.now(UTC)
    )
    [done] = process_pending(sessions, build_stages(settings))
    assert done.outcome == "refused"
    with sessions() as s:
        verdicts = list(s.scalars(select(RegisterEntryRow.verdict)))
        letter = s.scalars(select(LetterRow)).one()
        history = len(s.scalars(select(EntryHistoryRow.id)).all())
    sessions.kw["bind"].dispose()
    db = Path(settings.database_url.removeprefix("sqlite:///"))
    files = (db, db.with_name(db.name + "-wal"))
    return Growth(
        entries=len(verdicts),
        history=history,
        entry_verdicts=[len(json.dumps(v, ensure_ascii=False)) for v in verdicts],
        letter_verdict=len(json.dumps(letter.verdict, ensure_ascii=False)),
        documents_in_letter_verdict=len(letter.verdict["documents"]),
        register_bytes=sum(f.stat().st_size for f in files if f.exists()),
    )


@pytest.mark.slow  # 250 attachments through the whole pipeline: ~10 s on a busy machine
def test_a_200_attachment_letter_grows_the_register_linearly_and_little(tmp_path):
    small = measure(tmp_path / "fifty", 50)
    big = measure(tmp_path / "two-hundred", 200)
    assert (big.entries, big.documents_in_letter_verdict) == (200, 200)
    assert big.history == 400  # arrived + refused, per entry: nothing per pair of documents
    # Each entry: its own document's verdict, small and bounded — not the letter's with its 200 documents.
    assert max(big.entry_verdicts) < ENTRY_VERDICT_MAX
    assert max(small.entry_verdicts) < ENTRY_VERDICT_MAX
    # The letter's verdict once: about one document's worth per attachment.
    assert big.letter_verdict < 200 * ENTRY_VERDICT_MAX + 20_000
    # Four times the attachments, about four times the stored verdicts and register file (quadratic: 16×).
    stored = (sum(big.entry_verdicts) + big.letter_verdict) / (sum(small.entry_verdicts) + small.letter_verdict)
    assert 3.5 < stored < 4.5
    assert big.register_bytes / small.register_bytes < 4.5
    assert big.register_bytes < 200 * 8 * 1024  # under 8 KiB per entry, everything included
