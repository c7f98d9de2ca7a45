"""The daemon with direct SMTP delivery: intake, processing, replies, urgent alerts (R14), forged senders,
the per-sender reply limit — all through real SMTP on both sides."""

from __future__ import annotations

import smtplib
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from gateway.config import load_settings
from gateway.daemon import Gateway
from gateway.register.schema import LetterRow, OutboxRow, RegisterEntryRow
from gateway.samples.pki import dkim_sign, make_dkim_key
from gateway.samples.render import SampleDoc, render_document
from tests.e2e_helpers import OUR_ADDRESS, parsed, smtp_daemon_config
from tests.hostile_samples import SENDER, good_letter

pytestmark = pytest.mark.slow  # real servers (Dovecot, SMTP)

OURS = OUR_ADDRESS


@pytest.fixture
def dkim_key(tmp_path):
    return make_dkim_key(tmp_path / "dkim", "sotttt.hanoi.gov.vn")


def crlf(raw: bytes) -> bytes:
    """SMTP wants CRLF line ends (and DKIM signs what is sent)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _send(port: int, raw: bytes, sender: str = SENDER) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.sendmail(sender, [OURS], raw)


def _wait_decided(gw: Gateway, count: int, timeout: float = 60) -> list[LetterRow]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with gw.sessions() as s:
            rows = list(s.scalars(select(LetterRow).where(LetterRow.state != "RECEIVED").order_by(LetterRow.id)))
            unsent = s.scalars(select(OutboxRow).where(OutboxRow.state != "sent")).all()
        if len(rows) >= count and not unsent:
            return rows
        time.sleep(0.2)
    raise AssertionError("the daemon did not finish in time")


def test_urgent_letter_after_hours_alerts_the_duty_officer(tmp_path, smtp_sink, dkim_key):
    # Whenever this runs, today is made a day off, so the letter arrives outside office hours.
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    cfg, port = smtp_daemon_config(
        tmp_path, smtp_sink, extra=f'[calendar.days_off]\n{today.isoformat()} = "Nghỉ (thử nghiệm)"\n'
    )
    urgent = render_document(
        SampleDoc(
            issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
            number="88/CĐ-STTTT",
            date=date(2026, 11, 21),
            title="CÔNG ĐIỆN",
            subject="Về việc ứng phó khẩn cấp sự cố an toàn thông tin",
            urgency="HỎA TỐC",
        )
    )
    gw = Gateway(load_settings(cfg))
    gw.start()
    try:
        raw = crlf(good_letter([("88-CD.pdf", urgent)], subject="Công điện hỏa tốc số 88"))
        _send(port, dkim_sign(raw, dkim_key))
        [letter] = _wait_decided(gw, 1)
    finally:
        gw.stop()
    replies = [parsed(r.raw) for r in smtp_sink.wait_for(2, timeout=5)]
    with gw.sessions() as s:
        entry = s.scalar(select(RegisterEntryRow))
    assert letter.outcome == "accepted" and entry.urgency == "hoa_toc"
    assert entry.after_hours is True
    alert = next(m for m in replies if m["To"] == "truc.ban@ubnd.example.gov.vn")
    assert alert["Subject"].startswith("[HỎA TỐC]")
    assert alert["Auto-Submitted"] == "auto-generated"
    assert "88/CĐ-STTTT" in alert.get_content()
    assert entry.urgent_alert is True
    ack = next(m for m in replies if m["To"] == SENDER)
    assert "ngoài giờ hành chính" in ack.get_content()


def test_forged_sender_is_quarantined_and_not_answered(tmp_path, smtp_sink, dkim_key):
    cfg, port = smtp_daemon_config(tmp_path, smtp_sink)
    pdf = render_document(SampleDoc(number="7/STTTT-VP", title="", subject="V/v thanh toán"))
    raw = dkim_sign(crlf(good_letter([pdf], subject="Công văn số 7/STTTT-VP")), dkim_key)
    # A copy changed on the way: the signed Subject no longer matches the agency's DKIM signature.
    forged = raw.replace(b"\r\nSubject: ", b"\r\nSubject: FW ", 1)
    assert forged != raw
    gw = Gateway(load_settings(cfg))
    gw.start()
    try:
        _send(port, forged)
        [letter] = _wait_decided(gw, 1)
    finally:
        gw.stop()
    assert letter.outcome == "quarantined"
    assert any(r["code"] == "sender_forged" for r in letter.verdict["reasons"])
    assert letter.verdict["letter"]["authenticity"]["dkim"] == "fail"
    assert smtp_sink.received == []  # nothing sent to the address that was forged


def test_replies_to_one_sender_are_rate_limited(tmp_path, smtp_sink):
    cfg, port = smtp_daemon_config(tmp_path, smtp_sink, extra="")
    text = cfg.read_text(encoding="utf-8").replace(
        f'from_address = "{OURS}"', f'from_address = "{OURS}"\nrate_limit_per_hour = 2'
    )
    cfg.write_text(text, encoding="utf-8")
    gw = Gateway(load_settings(cfg))
    gw.start()
    try:
        for n in range(3):
            pdf = render_document(SampleDoc(number=f"{n + 1}/STTTT-VP", title="", subject=f"V/v việc {n}"))
            _send(port, crlf(good_letter([pdf], subject=f"Công văn {n}", message_id=f"<rl{n}@sotttt.hanoi.gov.vn>")))
        letters = _wait_decided(gw, 3)
    finally:
        gw.stop()
    assert [lt.outcome for lt in letters] == ["accepted"] * 3  # all registered …
    assert {lt.state for lt in letters} == {"FILED"}  # nothing to move in a mailbox: done
    assert len(smtp_sink.received) == 2  # … but only two replies within the hour
    notes = [n["code"] for lt in letters for n in lt.verdict["processing_notes"]]
    assert notes == ["reply_rate_limited"]


def test_a_broken_rule_edit_keeps_the_old_rules_and_mails_the_admin(tmp_path, smtp_sink):
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    mine = rules_dir / "mine.toml"
    good = '[profile]\ntitle = "Tỉnh thử nghiệm"\nextends = "national"\n'
    mine.write_text(good, encoding="utf-8")
    extra = '[rules]\nprofile = "mine"\n'
    cfg, port = smtp_daemon_config(tmp_path, smtp_sink, extra=extra)
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("[alerts]\n", '[alerts]\nadmin = ["quan.tri@ubnd.example.gov.vn"]\n'),
        encoding="utf-8",
    )
    gw = Gateway(load_settings(cfg))
    gw.start()
    try:
        time.sleep(1.1)  # a coarse file-system clock must see a newer mtime
        mine.write_text(good + '[[rule]]\nid = "x"\nbasis = "KH Đ5"\n', encoding="utf-8")  # no action, no when
        pdf = render_document(SampleDoc(number="9/STTTT-VP", title="", subject="V/v rà soát"))
        _send(port, crlf(good_letter([pdf], subject="Công văn số 9", message_id="<rules1@sotttt.hanoi.gov.vn>")))
        [letter] = _wait_decided(gw, 1)
    finally:
        gw.stop()
    assert letter.outcome == "accepted"  # processed with the last good rules
    mails = [parsed(r.raw) for r in smtp_sink.wait_for(2, timeout=5)]
    notice = next(m for m in mails if m["To"] == "quan.tri@ubnd.example.gov.vn")
    assert "quy tắc" in notice["Subject"] and "mine.toml" in notice.get_content()
