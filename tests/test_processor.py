"""Processing spooled letters: the same document sent again in a new letter is not numbered twice."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from gateway.config import load_settings
from gateway.intake.spool import admit
from gateway.models import Source
from gateway.pipeline import build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.schema import OutboxRow, RegisterEntryRow
from gateway.samples.render import SampleDoc, render_document
from tests.hostile_samples import good_letter

# The sample sender is in no directory and signs nothing: the admin lists its domain so that it is
# answered (issue 17: replies only to a verified origin).
CONFIG = '[gateway]\nstorage_dir = "storage"\n[outgoing]\nreply_domains = ["sotttt.hanoi.gov.vn"]\n'

ICT = timezone(timedelta(hours=7))


def test_a_document_sent_again_keeps_its_number(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    pdf = render_document(SampleDoc(number="41/UBND-VP", title="", subject="V/v rà soát hồ sơ"))
    for n in (1, 2):  # the sender re-sends the same công văn in a new letter
        raw = good_letter([pdf], subject="Công văn số 41/UBND-VP", message_id=f"<resend{n}@so.example.gov.vn>")
        admit(
            sessions, settings.storage_dir, raw, source=Source.FILE, received_at=datetime(2026, 3, 3, 9, n, tzinfo=ICT)
        )
    done = process_pending(sessions, build_stages(settings))
    assert [p.numbers for p in done] == [(1,), (1,)]
    with sessions() as s:
        assert [e.number for e in s.scalars(select(RegisterEntryRow))] == [1]  # one entry, nothing doubled
        second = s.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()[1]
    body = email.message_from_string(second.raw, policy=email.policy.default).get_content()
    assert "Số đến: 1 (văn bản này đã được vào sổ trước đó)" in body


def test_a_backlog_larger_than_a_page_is_processed_in_one_pass(tmp_path):
    """`limit` is a page, not a cap: `run --once` over 2,000 letters used to leave 500 of them behind."""
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    for n in range(5):
        pdf = render_document(SampleDoc(number=f"{40 + n}/UBND-VP", title="", subject="V/v rà soát hồ sơ"))
        raw = good_letter([pdf], subject=f"Công văn số {40 + n}/UBND-VP", message_id=f"<page{n}@so.example.gov.vn>")
        admit(
            sessions, settings.storage_dir, raw, source=Source.FILE, received_at=datetime(2026, 3, 3, 9, n, tzinfo=ICT)
        )
    done = process_pending(sessions, build_stages(settings), limit=2)
    assert sorted(n for p in done for n in p.numbers) == [1, 2, 3, 4, 5]


def test_a_letter_that_keeps_breaking_the_pipeline_is_quarantined_after_three_attempts(tmp_path, monkeypatch):
    import gateway.processor as processor
    from gateway.models import LetterState
    from gateway.register.schema import LetterRow

    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    pdf = render_document(SampleDoc(number="41/UBND-VP", title="", subject="V/v rà soát hồ sơ"))
    poison = good_letter([pdf], subject="Thư gây lỗi", message_id="<poison@so.example.gov.vn>")
    fine = good_letter([pdf], subject="Công văn số 41/UBND-VP", message_id="<fine@so.example.gov.vn>")
    for raw in (poison, fine):
        admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=datetime(2026, 3, 3, 9, tzinfo=ICT))
    real = processor.evaluate_letter

    def evaluate(raw, **kwargs):  # a fault in a stage, injected for one letter only
        if b"<poison@" in raw:
            raise RuntimeError("stage exploded")
        return real(raw, **kwargs)

    monkeypatch.setattr(processor, "evaluate_letter", evaluate)
    stages = build_stages(settings)
    passes = [[p.outcome for p in process_pending(sessions, stages)] for _ in range(3)]
    assert passes == [["accepted"], [], []]  # the other letter is never held up
    with sessions() as s:
        rows = {r.subject or "": r for r in s.scalars(select(LetterRow))}
        bad = next(r for r in s.scalars(select(LetterRow)) if r.state != LetterState.FILED)
    assert bad.state == LetterState.QUARANTINED and bad.attempts == 3
    assert bad.verdict["reasons"][0]["code"] == "processing_failed" and "stage exploded" in bad.error
    assert rows["Công văn số 41/UBND-VP"].state == LetterState.FILED


def test_a_sha1_signature_accepted_by_policy_is_noted_in_the_register(tmp_path):
    """Issue 10: SHA-1 accepted under a root the admin allows — registered, never silently (R3, R16)."""
    from tests import conftest_pki

    cfg = tmp_path / "config.toml"
    trust = conftest_pki.both_roots_trust_dir(sha1_policy=True)
    cfg.write_text(
        f'[gateway]\nstorage_dir = "storage"\n[signatures]\ntrust_dir = "{trust}"\nrevocation = "soft-fail"\n'
        "fetch_revocation = false\n",
        encoding="utf-8",
    )
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    raw = conftest_pki.letter(
        attachment=conftest_pki.pdf("sha1_chain"), extra_headers=(("Return-Path", f"<{conftest_pki.REGISTRY}>"),)
    )
    admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=datetime(2026, 3, 3, 9, tzinfo=ICT))
    [done] = process_pending(sessions, build_stages(settings))
    with sessions() as s:
        [entry] = s.scalars(select(RegisterEntryRow)).all()
    assert done.outcome == "accepted" and entry.number == 1
    assert entry.notes is not None and "thuật toán yếu" in entry.notes and "SHA-1" in entry.notes
    assert entry.verdict["signatures"][0]["weak_algorithm"] == "SHA-1"


def test_letters_committed_together_roll_back_alone_and_keep_the_numbers_gap_free(tmp_path):
    """Issue 16: the letters evaluated meanwhile are committed in one transaction, each in a savepoint. The
    database refusing one letter's entry (a trigger: a real refusal, not a mock) rolls back that letter only,
    its number too; the others are decided, numbered without a gap, and answered."""
    from sqlalchemy import text

    from gateway.models import LetterState
    from gateway.pipeline import evaluate_letter
    from gateway.processor import claim_many, finish_many
    from gateway.register.schema import LetterRow

    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    ids = []
    for n in (1, 2, 3):
        pdf = render_document(SampleDoc(number=f"{n}/UBND-VP", title="", subject=f"V/v rà soát hồ sơ đợt {n}"))
        raw = good_letter([pdf], subject=f"Công văn số {n}/UBND-VP", message_id=f"<group{n}@so.example.gov.vn>")
        received = datetime(2026, 3, 3, 9, n, tzinfo=ICT)
        ids.append(admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=received).letter_id)
    with sessions.begin() as s:
        s.execute(
            text(
                "CREATE TRIGGER refuse_two BEFORE INSERT ON register_entries WHEN NEW.notation LIKE '2/%' "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        )
    stages = build_stages(settings)
    claims = claim_many(sessions, ids, storage_dir=settings.storage_dir)
    assert [c.letter_id for c in claims] == ids and claim_many(sessions, ids) == []  # leased: taken once
    items = [
        (c, evaluate_letter(open(c.raw_path, "rb").read(), received_at=c.received_at, stages=stages)) for c in claims
    ]

    first, second, third = finish_many(sessions, stages, items)

    assert first.numbers == (1,) and third.numbers == (2,)  # type: ignore[union-attr]
    assert "refused by the test" in str(second)
    with sessions() as s:
        assert [e.number for e in s.scalars(select(RegisterEntryRow).order_by(RegisterEntryRow.number))] == [1, 2]
        assert {r.letter_id for r in s.scalars(select(OutboxRow))} == {ids[0], ids[2]}
        assert s.get_one(LetterRow, ids[1]).state == LetterState.RECEIVED  # nothing of it was committed
        assert s.get_one(LetterRow, ids[0]).state != LetterState.RECEIVED


def test_the_per_sender_rate_limit_counts_the_letters_before_it_in_one_batch(tmp_path):
    """Issue 16: the sender's outbox history is read once per letter inside the batch's transaction, so the
    replies queued for the letters before it in the same `finish_many` count (R15's backstop against mail
    loops), and each acknowledgement still carries the number taken in that transaction."""
    from gateway.pipeline import evaluate_letter
    from gateway.processor import claim_many, finish_many
    from gateway.register.schema import LetterRow

    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG + "rate_limit_per_hour = 2\n", encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    ids = []
    for n in (1, 2, 3):
        pdf = render_document(SampleDoc(number=f"{n}/UBND-VP", title="", subject=f"V/v rà soát hồ sơ đợt {n}"))
        raw = good_letter([pdf], subject=f"Công văn số {n}/UBND-VP", message_id=f"<limit{n}@so.example.gov.vn>")
        received = datetime(2026, 3, 3, 9, n, tzinfo=ICT)
        ids.append(admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=received).letter_id)
    stages = build_stages(settings)
    claims = claim_many(sessions, ids, storage_dir=settings.storage_dir)
    items = [
        (c, evaluate_letter(open(c.raw_path, "rb").read(), received_at=c.received_at, stages=stages)) for c in claims
    ]

    results = finish_many(sessions, stages, items)

    assert [r.numbers for r in results] == [(1,), (2,), (3,)]  # type: ignore[union-attr]  # all registered …
    with sessions() as s:
        replies = s.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
        notes = [[n["code"] for n in s.get_one(LetterRow, i).verdict["processing_notes"]] for i in ids]
    assert [r.letter_id for r in replies] == ids[:2]  # … only two replies within the hour
    assert notes == [[], [], ["reply_rate_limited"]]
    for number, reply in enumerate(replies, start=1):
        body = email.message_from_string(reply.raw, policy=email.policy.default).get_content()
        assert f"Số đến: {number}" in body
