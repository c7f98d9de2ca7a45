"""The R21 statistics from a real register, and the schema migration that brought the workplace's columns."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from alembic import command
from sqlalchemy import select, text

from gateway.disposition import ClerkAction, ClerkDecision
from gateway.exports.charts import svg
from gateway.processor import decide_quarantined
from gateway.register.db import _alembic_config, make_engine, upgrade
from gateway.register.schema import LetterRow, OutboxRow
from gateway.reports.statistics import charts, half_year, statistics


def test_half_year_periods():
    assert half_year(date(2026, 6, 30)) == (date(2026, 1, 1), date(2026, 6, 30))
    assert half_year(date(2026, 7, 1)) == (date(2026, 7, 1), date(2026, 12, 31))


def test_statistics_count_what_came_in_and_how_fast_it_was_acknowledged(sqlite_workplace):
    wp = sqlite_workplace
    refuse = ClerkDecision(ClerkAction.REFUSE, actor="Lan (lan)", reason="Văn bản gửi nhầm cơ quan.")
    decide_quarantined(wp.sessions, wp.stages, wp.quarantined_id, refuse)
    with wp.sessions.begin() as s:  # two acknowledgements left 4 and 10 minutes after their letters came
        acks = s.scalars(select(OutboxRow).where(OutboxRow.kind == "acknowledgement").order_by(OutboxRow.id)).all()
        for ack, minutes in zip(acks, (4, 10), strict=False):
            ack.state, ack.sent_at = (
                "sent",
                s.get_one(LetterRow, ack.letter_id).received_at + timedelta(minutes=minutes),
            )
    today = datetime.now(UTC).date()
    with wp.sessions() as s:
        # entries count by their official time of receipt (R13): a letter that came in after hours on a Friday
        # evening is registered on Monday, after a holiday later still, so the period runs a month on
        r = statistics(s, today - timedelta(days=1), today + timedelta(days=31))
    assert (r.letters, r.documents, r.registered, r.refusals) == (4, 4, 3, 1)
    # the clerk's reason, and what the documents' check had found
    assert {(b.label, b.value) for b in r.refusals_by_reason} == {("văn thư từ chối", 1), ("tên tệp đáng ngờ", 1)}
    assert {b.label: b.value for b in r.quarantine} == {
        "Chuyển văn thư kiểm tra": 1,
        "Còn chờ kiểm tra": 0,
        "Văn thư tiếp nhận": 0,
        "Văn thư từ chối": 1,
        "Kiểm tra lại tự động": 0,
    }
    assert [(b.label, b.value) for b in r.by_agency] == [("Sở Thông tin và Truyền thông thành phố Hà Nội", 3)]
    assert [(b.label, b.value) for b in r.by_type] == [("Công văn", 3)]
    assert {b.label: b.value for b in r.urgent} == {"Khẩn": 0, "Thượng khẩn": 0, "Hỏa tốc": 1}
    assert r.acknowledged == 2 and r.median_ack_minutes == 7.0
    drawing = svg(charts(r)[1])
    assert drawing.startswith("<svg") and "Sở Thông tin và Truyền thông" in drawing and "<script" not in drawing
    assert "&lt;b&gt;" in svg(charts(r)[0].__class__("<b>", ()))  # titles are escaped


def test_the_migration_fills_the_search_columns_of_entries_made_before_it(sqlite_url):
    engine = make_engine(sqlite_url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        now = datetime.now(UTC)
        conn.execute(
            text(
                "INSERT INTO letters (id, sha256, source, raw_path, size, truncated, received_at, state, attempts, "
                "created_at, updated_at) VALUES (1, 'ab', 'file', '/x', 1, 0, :t, 'FILED', 0, :t, :t)"
            ),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO register_entries (letter_id, doc_index, status, received_at, official_received_at, "
                "after_hours, filename, document_sha256, notation, issuer, subject, paper_awaited, urgent_alert, "
                "verdict, created_at) VALUES (1, 0, 'đã tiếp nhận', :t, :t, 0, 'a.pdf', 'cd', '12/QĐ-UBND', "
                "'ỦY BAN NHÂN DÂN TỈNH', 'Về việc phân bổ kinh phí', 0, 0, '{}', :t)"
            ),
            {"t": now},
        )
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT search_text, search_issuer, search_notation FROM register_entries")).one()
    assert row == (
        "12/qd-ubnd uy ban nhan dan tinh ve viec phan bo kinh phi a.pdf",
        "uy ban nhan dan tinh",
        "12/qd-ubnd",
    )
