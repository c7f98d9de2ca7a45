"""Issue 17, item 3: the gateway is never a tool to send a stranger's text to an arbitrary address.

Over the real SMTP listener, with a real SMTP sink for replies: letters with a forged envelope sender (a
MAIL FROM of an outside address, attacker text with a link in the Subject and the display name, one even
carrying an `Authentication-Results` header that claims DKIM and SPF pass under our own authserv-id)
are refused or quarantined as before, but nothing is sent, and the clerk's workplace lists them. A
registry mailbox of the agency directory still gets its refusal, and an outside sender whose DKIM
signature verifies and is aligned with its address gets its own — with the echoed text cut and its
links removed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.config import load_settings
from gateway.daemon import Gateway
from gateway.register.query import unanswered_letters
from gateway.register.schema import OutboxRow
from gateway.samples.pki import dkim_sign, make_dkim_key
from tests.e2e_helpers import OUR_ADDRESS, parsed, smtp_daemon_config
from tests.hostile_samples import SENDER, good_letter, good_pdf, letter_with_attachment, not_a_pdf
from tests.test_daemon_smtp import _send, _wait_decided, crlf

pytestmark = pytest.mark.slow  # real SMTP both ways

OURS = OUR_ADDRESS
SPAM = "Nhận thưởng 100 triệu tại http://spam.example/win hoặc www.quangcao.example ngay hôm nay"
AUTHSERV = "mx.ubnd.example.gov.vn"
SIGNED_DOMAIN = "doanhnghiep.example"


def _config(tmp_path, sink):
    return smtp_daemon_config(tmp_path, sink, authenticity=f'trusted_authserv_id = "{AUTHSERV}"')


def _forged(n: int, *, claim_auth: bool = False) -> tuple[bytes, str]:
    victim = f"nan.nhan{n}@victim{n}.example"
    extra = ()
    if claim_auth:  # the sender's own word: no MTA of ours stands before the listener
        extra = (
            (
                "Authentication-Results",
                f"{AUTHSERV}; dkim=pass header.d=victim{n}.example; spf=pass smtp.mailfrom=victim{n}.example",
            ),
        )
    raw = letter_with_attachment(
        not_a_pdf(),
        "congvan.pdf",
        subject=SPAM,
        from_=f"Quà tặng http://spam.example <{victim}>",
        return_path=None,
        message_id=f"<forged{n}@victim{n}.example>",
        extra_headers=extra,
    )
    return crlf(raw), victim


def test_forged_envelope_senders_get_nothing_and_are_listed_for_the_clerk(tmp_path, smtp_sink):
    cfg, port = _config(tmp_path, smtp_sink)
    gw = Gateway(load_settings(cfg))
    gw.start()
    try:
        victims = []
        for n in range(3):
            raw, victim = _forged(n, claim_auth=n == 2)
            _send(port, raw, victim)
            victims.append(victim)
        letters = _wait_decided(gw, 3)
    finally:
        gw.stop()
    assert [lt.outcome for lt in letters] == ["refused"] * 3  # decided as before: not a PDF (R6)
    with gw.sessions() as s:
        assert s.scalars(select(OutboxRow)).all() == []  # nothing queued …
        listed = unanswered_letters(s)
    assert smtp_sink.received == []  # … and nothing sent to any of the three victims
    for lt in letters:
        assert lt.verdict["disposition"]["reply"]["to"] is None
        assert lt.verdict["disposition"]["reply"]["withheld"]["code"] == "sender_unverified"
        assert [n["code"] for n in lt.verdict["processing_notes"]] == ["sender_unverified"]
    # the forged Authentication-Results header counted for nothing: the listener is the first hop
    assert letters[2].verdict["letter"]["authenticity"]["spf"] == "none"
    assert letters[2].verdict["letter"]["authenticity"]["dkim"] == "none"
    assert sorted(r.id for r in listed) == sorted(lt.id for lt in letters)  # the clerk sees all three


def test_verified_senders_still_get_their_refusal_without_links(tmp_path, smtp_sink):
    cfg, port = _config(tmp_path, smtp_sink)
    key = make_dkim_key(tmp_path / "dkim", SIGNED_DOMAIN)
    signed_sender = f"lienhe@{SIGNED_DOMAIN}"
    directory_letter = letter_with_attachment(
        not_a_pdf(), "congvan.pdf", subject=SPAM, return_path=None, message_id="<dir1@sotttt.hanoi.gov.vn>"
    )
    signed_letter = dkim_sign(
        crlf(
            letter_with_attachment(
                not_a_pdf(),
                "congvan.pdf",
                subject=SPAM,
                from_=f"Công ty Thử nghiệm <{signed_sender}>",
                return_path=None,
                message_id=f"<dkim1@{SIGNED_DOMAIN}>",
            )
        ),
        key,
    )
    gw = Gateway(load_settings(cfg))
    gw.start()
    try:
        _send(port, crlf(directory_letter), SENDER)  # a registry mailbox of the directory, not signed
        _send(port, signed_letter, signed_sender)  # an outside sender, DKIM aligned with its address
        letters = _wait_decided(gw, 2)
    finally:
        gw.stop()
    assert [lt.outcome for lt in letters] == ["refused", "refused"]
    origins = [lt.verdict["disposition"]["reply"]["to"] for lt in letters]
    assert origins == [SENDER, signed_sender]
    replies = {m["To"]: m for m in (parsed(r.raw) for r in smtp_sink.wait_for(2, timeout=5))}
    assert set(replies) == {SENDER, signed_sender}
    for reply in replies.values():
        text = str(reply["Subject"]) + "\n" + reply.get_content()
        assert reply["Subject"].startswith("Từ chối tiếp nhận văn bản")
        assert "Nhận thưởng 100 triệu tại […]" in text  # the subject echoed, its links removed
        assert "spam.example" not in text and "quangcao" not in text and "http" not in text


def test_an_ordinary_verified_letter_is_still_acknowledged(tmp_path, smtp_sink):
    cfg, port = _config(tmp_path, smtp_sink)
    gw = Gateway(load_settings(cfg))
    gw.start()
    try:
        _send(port, crlf(good_letter([good_pdf()], return_path=None)), SENDER)
        [letter] = _wait_decided(gw, 1)
    finally:
        gw.stop()
    assert letter.outcome == "accepted"
    [ack] = [parsed(r.raw) for r in smtp_sink.wait_for(1, timeout=5)]
    assert ack["To"] == SENDER and ack["Subject"].startswith("Xác nhận")
