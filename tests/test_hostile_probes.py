"""Issue 17, item 4 (the parser's part) and the echo filter of item 3: each probe of the security campaign.

- a PDF nested 1,000 MIME levels deep gets a reason that says so, not "no document";
- a NUL in an attachment's name (`evil\\x00.exe.pdf`) is flagged in the verdict, not silently dropped;
- a bare CR in the Subject neither splits it nor makes a `Bcc:` appear, in the stored letter or the reply;
- text of the sender's choosing is echoed short and without links; where a reply may go.
"""

from __future__ import annotations

import base64
import email
import email.policy
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from gateway.authenticity import reply_origin
from gateway.config import load_settings
from gateway.directory import Directory, DirectoryEntry
from gateway.echo import echo, strip_links
from gateway.intake.spool import admit
from gateway.letter import parse_letter
from gateway.models import Agency, Authenticity, Source
from gateway.pipeline import build_stages, evaluate_letter
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.query import unanswered_letters
from gateway.register.schema import LetterRow, OutboxRow
from tests.hostile_samples import RECIPIENT, SENDER, good_letter, good_pdf

CONFIG = '[gateway]\nstorage_dir = "storage"\n[outgoing]\nreply_domains = ["sotttt.hanoi.gov.vn"]\n'


@pytest.fixture(scope="module")
def stages(tmp_path_factory):
    cfg = tmp_path_factory.mktemp("probes") / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    return build_stages(load_settings(cfg))


def _nested_pdf_letter(depth: int) -> bytes:
    """A real PDF at the bottom of `depth` levels of multipart/mixed."""
    head = f"From: {SENDER}\r\nTo: {RECIPIENT}\r\nSubject: deep\r\nReturn-Path: <{SENDER}>\r\nMIME-Version: 1.0\r\n"
    opening = b"".join(b'Content-Type: multipart/mixed; boundary="n%d"\r\n\r\n--n%d\r\n' % (i, i) for i in range(depth))
    pdf = base64.encodebytes(good_pdf()).replace(b"\n", b"\r\n")
    leaf = (
        b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="congvan.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + pdf
    )
    closing = b"".join(b"\r\n--n%d--\r\n" % i for i in reversed(range(depth)))
    return head.encode() + opening + leaf + closing


def test_a_pdf_nested_a_thousand_levels_deep_is_refused_with_a_clear_reason(stages):
    ev = evaluate_letter(_nested_pdf_letter(1000), received_at=datetime.now(UTC), stages=stages)
    codes = [r.code for r in ev.verdict.reasons]
    assert codes == ["structure_too_deep"]  # not "no_document": the sender learns what to change
    assert "lồng nhau quá sâu" in ev.verdict.reasons[0].message
    assert ev.verdict.outcome == "refused"


def test_a_shallow_nested_pdf_is_still_read(stages):
    ev = evaluate_letter(_nested_pdf_letter(5), received_at=datetime.now(UTC), stages=stages)
    assert [d.filename for d in ev.verdict.documents] == ["congvan.pdf"]
    assert "structure_too_deep" not in [r.code for r in ev.verdict.reasons]


@pytest.mark.parametrize("name", ["evil\x00.exe.pdf", "evil\x01\x1f.pdf", "evil\x7f.pdf"])
def test_a_control_character_in_a_file_name_is_flagged_not_dropped(stages, name):
    raw = good_letter([(name, good_pdf())])
    [att] = parse_letter(raw).attachments
    assert not any(ord(c) < 32 or c == "\x7f" for c in att.original_filename)  # shown as control pictures
    assert att.filename.endswith(".pdf") and not any(ord(c) < 32 or c == "\x7f" for c in att.filename)
    ev = evaluate_letter(raw, received_at=datetime.now(UTC), stages=stages)
    [doc] = ev.verdict.documents
    flagged = [r for r in doc.reasons if r.code == "filename_suspicious"]
    assert flagged and ev.verdict.outcome == "quarantined"  # a clerk looks at it


def test_a_nul_in_the_name_is_shown_in_the_reason():
    [att] = parse_letter(good_letter([("evil\x00.exe.pdf", good_pdf())])).attachments
    assert att.original_filename == "evil␀.exe.pdf"
    assert att.filename == "evil.exe.pdf"


def test_a_folded_long_file_name_is_not_flagged(stages):
    name = "Công văn số 05 về việc triển khai kế hoạch chuyển đổi số năm 2026 của Ủy ban nhân dân tỉnh.pdf"
    ev = evaluate_letter(good_letter([(name, good_pdf())]), received_at=datetime.now(UTC), stages=stages)
    [doc] = ev.verdict.documents
    assert "filename_suspicious" not in [r.code for r in doc.reasons]


def _bare_cr_letter() -> bytes:
    raw = good_letter([good_pdf()], subject="Công văn gửi Sở")
    subject = "Công văn gửi Sở".encode()
    encoded = email.message_from_bytes(raw)["Subject"].encode()
    header = b"Subject: " + (encoded if encoded in raw else subject)
    assert header in raw
    return raw.replace(header, header + b"\rBcc: victim@evil.example", 1)


def test_a_bare_cr_in_the_subject_makes_no_bcc_in_the_letter():
    letter = parse_letter(_bare_cr_letter())
    assert letter.header_all("Bcc") == ()
    assert letter.subject is not None and letter.subject.endswith("Bcc: victim@evil.example")
    assert "\r" not in letter.subject
    assert any("bare CR" in d for d in letter.defects)


def test_a_bare_cr_in_the_subject_makes_no_bcc_in_the_stored_letter_or_the_reply(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(cfg)
    sessions = open_database(settings.database_url)
    raw = _bare_cr_letter()
    admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=datetime.now(UTC))
    [done] = process_pending(sessions, build_stages(settings))
    with sessions() as s:
        row = s.scalars(select(LetterRow)).one()
        [out] = s.scalars(select(OutboxRow)).all()
    assert "\r" not in row.subject and row.subject.endswith("Bcc: victim@evil.example")
    assert row.verdict["letter"]["subject"] == row.subject
    assert "victim@evil.example" not in str(row.verdict["letter"]["to"])
    assert done.outcome in ("accepted", "refused")
    reply = email.message_from_string(out.raw, policy=email.policy.default)
    assert reply["Bcc"] is None and reply["To"] == SENDER
    assert [k.lower() for k in reply.keys()].count("subject") == 1
    assert "\r" not in str(reply["Subject"])
    assert out.recipients == [SENDER]  # and nobody else


# ------------------------------------------------------------------------------------- echo, origin


def test_links_are_stripped_from_echoed_text():
    assert strip_links("Xem http://spam.example/x?y=1 và www.ad.example ngay") == "Xem […] và […] ngay"
    assert strip_links("Truy cập quangcao.com/khuyen-mai hoặc muaban.xyz.") == "Truy cập […] hoặc […]."
    assert strip_links("Công văn số 05/QĐ-UBND ngày 01/01/2026") == "Công văn số 05/QĐ-UBND ngày 01/01/2026"
    assert strip_links("cong-van-05.pdf gửi vanthu@stc.khanhhoa.example") == (
        "cong-van-05.pdf gửi vanthu@stc.khanhhoa.example"
    )


def test_echo_is_one_short_line():
    text = echo("Dòng một\r\nBcc: x@y.example\x00 " + "dài " * 200, 120)
    assert text is not None and "\n" not in text and "\r" not in text and "\x00" not in text
    assert len(text) == 120 and text.endswith("…")
    assert echo(None, 10) is None


def test_where_a_reply_may_go():
    directory = Directory(entries=(DirectoryEntry(Agency(name="Sở Tài chính", mailboxes=("vanthu@stc.example",))),))
    none = Authenticity()
    assert reply_origin("VanThu@stc.example", none, directory) == "directory"
    assert reply_origin("other@stc.example", none, directory) is None
    assert reply_origin("a@x.example", none, directory) is None
    assert reply_origin("a@x.example", Authenticity(dkim="pass", dkim_domain="x.example"), directory) == "dkim"
    assert reply_origin("a@mail.x.example", Authenticity(dkim="pass", dkim_domain="x.example"), directory) == "dkim"
    # a signature of another domain vouches for nothing about this address
    assert reply_origin("a@x.example", Authenticity(dkim="pass", dkim_domain="evil.example"), directory) is None
    assert reply_origin("a@x.example", Authenticity(dkim="fail", dkim_domain="x.example"), directory) is None
    assert reply_origin("a@x.example", Authenticity(spf="pass"), directory) == "spf"
    assert reply_origin("a@x.example", none, directory, ("x.example",)) == "reply_domains"
    assert reply_origin("a@sub.x.example", none, directory, ("x.example",)) == "reply_domains"
    assert reply_origin("a@notx.example", none, directory, ("x.example",)) is None
    assert reply_origin(None, Authenticity(spf="pass"), directory) is None


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_unanswered_letters_are_listed_for_the_clerk(request, db):
    url = request.getfixturevalue("sqlite_url" if db == "sqlite" else "postgres_url")
    sessions = open_database(url)
    now = datetime.now(UTC)

    def letter(n: int, withheld: str | None, state: str = "REFUSED") -> LetterRow:
        reply = {"kind": "refusal", "to": None if withheld else "a@x.example", "withheld": None}
        if withheld:
            reply["withheld"] = {"code": withheld, "message": "…"}
        return LetterRow(
            sha256=f"{n:064d}", source="smtp", raw_path="x", size=1, received_at=now, state=state,
            outcome="refused", verdict={"disposition": {"reply": reply}}, created_at=now, updated_at=now,
        )  # fmt: skip

    with sessions.begin() as s:
        s.add_all([letter(1, "sender_unverified"), letter(2, None), letter(3, "automatic_message")])
        s.add_all([letter(4, "sender_unverified", "FILED"), letter(5, None, "RECEIVED")])
    with sessions() as s:
        assert [r.sha256[-1] for r in unanswered_letters(s)] == ["4", "1"]  # newest first
    sessions.kw["bind"].dispose()


def test_a_letter_with_cr_only_line_ends_is_read_as_before():
    raw = good_letter([good_pdf()], subject="Công văn").replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    letter = parse_letter(raw)
    assert letter.from_address == SENDER and len(letter.attachments) == 1
    assert not any("bare CR" in d for d in letter.defects)
