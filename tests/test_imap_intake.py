"""IMAP intake against a real Dovecot (R1: the gateway watches the official mailbox continuously).

Covers: batched, size-first fetching with PEEK (nothing marked read), INTERNALDATE as the time of receipt
(R13), incremental fetch after a UID (and the `UID n:*` trap), folders created when missing, filing to
processed / refused / quarantine only through `move` (with MOVE, with COPY + UID EXPUNGE, with plain
EXPUNGE), a real UIDVALIDITY change (R18: nothing registered twice — the same bytes come back under new
keys), IDLE wake-up / renewal / stop, errors and timeouts as `MailboxError`, TLS (implicit and STARTTLS,
verified), and the reconnect backoff.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from itertools import islice, pairwise

import pytest

from gateway.config import Folders
from gateway.disposition import OUTCOMES
from gateway.intake import imap_client
from gateway.intake.imap_client import (
    FetchedMessage,
    ImapMailbox,
    MailboxAuthError,
    MailboxError,
    MessageVanished,
    _uid_set,
    backoff_delays,
    resume_uid,
)
from gateway.intake.spool import store_pieces, store_raw
from gateway.models import Outcome
from gateway.samples.render import SampleDoc, render_document
from tests.servers.dovecot import DOVEADM, DovecotServer, running_dovecot

pytestmark = pytest.mark.slow  # real servers (Dovecot, SMTP)

VN = timezone(timedelta(hours=7))


def letter(subject: str, *, pdf: bytes | None = None, filler: int = 0) -> bytes:
    """A công văn as an agency's registry would send it, CRLF line ends (as IMAP stores it)."""
    msg = EmailMessage()
    msg["From"] = "Văn thư Sở Tài chính <vanthu@stc.example.gov.vn>"
    msg["To"] = "vanthu@ubnd.example.gov.vn"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 01 Mar 2024 17:40:00 +0700"
    msg["Message-ID"] = f"<{hashlib.sha1(subject.encode()).hexdigest()}@stc.example.gov.vn>"
    msg.set_content("Kính gửi Văn phòng UBND tỉnh,\nSở Tài chính gửi văn bản đính kèm.\n")
    if pdf is not None:
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="05-QD-UBND.pdf")
    if filler:
        msg.add_attachment(random.Random(subject).randbytes(filler), maintype="application", subtype="octet-stream")
    return msg.as_bytes(policy=policy.SMTP)


def header_of(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"


def sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_document(SampleDoc())


@pytest.fixture
def mailbox(dovecot: DovecotServer, imap_user: str) -> Iterator[ImapMailbox]:
    mb = ImapMailbox(dovecot.settings(imap_user))
    yield mb
    mb.close()


def later(seconds: float, action) -> threading.Timer:
    timer = threading.Timer(seconds, action)
    timer.start()
    return timer


# -- fetching ------------------------------------------------------------------------------------------------


def test_fetch_in_batches_sizes_first_and_big_messages_header_only(dovecot, imap_user, caplog):
    raws = [letter(f"Công văn số {i}/STC-NS") for i in range(4)]
    big = letter("Hồ sơ quá lớn", filler=20_000)
    raws.insert(2, big)
    uids = [dovecot.append(imap_user, "INBOX", raw) for raw in raws]
    settings = dovecot.settings(imap_user, batch_size=2, max_message_bytes=8192)
    caplog.set_level(logging.DEBUG, logger="imapclient")

    with ImapMailbox(settings) as mb:
        got = list(mb.fetch_new(0))

    assert [m.uid for m in got] == uids
    uidvalidity = dovecot.uidvalidity(imap_user, "INBOX")
    for m, raw in zip(got, raws, strict=True):
        assert (m.mailbox, m.folder, m.uidvalidity) == (settings.name, "INBOX", uidvalidity)
        assert m.size == len(raw)
        if raw is big:
            assert m.truncated and m.raw == header_of(big) and len(m.raw) < settings.max_message_bytes
        else:
            assert not m.truncated and m.raw == raw
    # PEEK: fetching marks nothing as read, not even the oversized one.
    for uid in uids:
        assert b"\\Seen" not in dovecot.flags(imap_user, "INBOX", uid)
    # Batches of at most batch_size UIDs, each asked for its sizes before any body.
    fetches = [
        (set(map(int, m.group(1).split(","))), m.group(2))
        for r in caplog.records
        if (m := re.search(r"UID FETCH ([\d,]+) \((.*)\)'", r.getMessage()))
    ]
    assert fetches, "no FETCH commands were logged"
    assert all(len(batch) <= 2 for batch, _items in fetches)
    sized: set[int] = set()
    for batch, items in fetches:
        if "RFC822.SIZE" in items:
            sized |= batch
        else:
            assert batch <= sized, f"body of {batch} fetched before its size"
    assert any("BODY.PEEK[HEADER]" in items and batch == {uids[2]} for batch, items in fetches)


def test_a_large_message_is_fetched_in_pieces_with_the_bytes_and_sha256_of_a_whole_fetch(
    dovecot, imap_user, tmp_path, monkeypatch
):
    """Issue 16: a message over PIECES_OVER is never held whole by the intake; spooled a piece at a time,
    it is the same original, with the same sha256, as when it is fetched at once."""
    small, big = letter("Công văn số 7/STC-NS"), letter("Hồ sơ số hóa", filler=20 * 1024 * 1024)
    uids = [dovecot.append(imap_user, "INBOX", raw) for raw in (small, big)]
    settings = dovecot.settings(imap_user, max_message_bytes=64 * 1024 * 1024)
    sizes: list[int] = []

    def counted(pieces: Iterator[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            sizes.append(len(piece))
            yield piece

    with ImapMailbox(settings) as mb:
        got = list(mb.fetch_new(0))
        assert [m.uid for m in got] == uids and got[0].pieces is None and got[0].raw == small
        assert got[1].pieces is not None and got[1].raw == b"" and got[1].size == len(big)
        sha_pieces, path_pieces = store_pieces(tmp_path / "pieces", counted(got[1].pieces()))
        monkeypatch.setattr(imap_client, "PIECES_OVER", 2**40)
        [whole] = mb.fetch_uids([uids[1]])
    assert whole.pieces is None and whole.raw == big
    sha_whole, path_whole = store_raw(tmp_path / "whole", whole.raw)
    assert sha_pieces == sha_whole == sha(big) and path_pieces.read_bytes() == big
    assert path_pieces.relative_to(tmp_path / "pieces") == path_whole.relative_to(tmp_path / "whole")
    assert len(sizes) == -(-len(big) // imap_client.PIECE_BYTES) and max(sizes) == imap_client.PIECE_BYTES
    assert [p.name for p in (tmp_path / "pieces" / "raw").iterdir() if p.is_file()] == []  # no temporary left


def test_a_message_expunged_while_it_is_fetched_in_pieces_leaves_nothing(dovecot, imap_user, tmp_path):
    big = letter("Hồ sơ rút lại", filler=12 * 1024 * 1024)
    dovecot.append(imap_user, "INBOX", big)
    with ImapMailbox(dovecot.settings(imap_user, max_message_bytes=64 * 1024 * 1024)) as mb:
        [msg] = mb.fetch_new(0)
        assert msg.pieces is not None
        mb.destroy(msg.uid)
        with pytest.raises(MessageVanished):
            store_pieces(tmp_path, msg.pieces())
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_internaldate_is_the_instant_given_at_append(dovecot, imap_user, mailbox):
    arrived = datetime(2024, 3, 1, 17, 45, 3, tzinfo=VN)  # after office hours (R13)
    dovecot.append(imap_user, "INBOX", letter("Giấy mời họp"), internaldate=arrived)
    dovecot.append(imap_user, "INBOX", letter("Báo cáo tháng"))

    mailbox.connect()
    given, now = list(mailbox.fetch_new(0))

    assert given.internaldate.tzinfo is not None and given.internaldate == arrived
    assert now.internaldate.tzinfo is not None
    assert abs(now.internaldate - datetime.now(UTC)) < timedelta(minutes=1)


def test_incremental_fetch_after_a_uid(dovecot, imap_user, mailbox):
    first = [dovecot.append(imap_user, "INBOX", letter(f"Đợt 1 số {i}")) for i in range(3)]
    mailbox.connect()
    assert [m.uid for m in mailbox.fetch_new(0)] == first
    # `UID SEARCH UID 4:*` matches UID 3 when 3 is the highest: it must not come back.
    assert list(mailbox.fetch_new(first[-1])) == []

    second = [dovecot.append(imap_user, "INBOX", letter(f"Đợt 2 số {i}")) for i in range(2)]
    got = list(mailbox.fetch_new(first[-1]))
    assert [m.uid for m in got] == second
    assert [m.raw for m in got] == [letter(f"Đợt 2 số {i}") for i in range(2)]
    assert [m.uid for m in mailbox.fetch_new(first[0])] == first[1:] + second
    # Direct fetch by UID skips UIDs that do not exist.
    assert [m.uid for m in mailbox.fetch_uids([second[0], first[1], 9999])] == [first[1], second[0]]


def test_resume_uid_only_trusts_the_same_uidvalidity():
    assert resume_uid(None, None, 77) == 0
    assert resume_uid(77, 12, 77) == 12
    assert resume_uid(76, 12, 77) == 0  # the old UIDs mean nothing now


# -- folders and filing --------------------------------------------------------------------------------------


def test_folders_are_created_when_missing(dovecot, imap_user):
    folders = Folders(inbox="INBOX", processed="Đã xử lý", refused="Từ chối", quarantine="Cách ly")
    settings = dovecot.settings(imap_user, folders=folders)
    assert dovecot.folders(imap_user) == {"INBOX"}

    with ImapMailbox(settings):
        pass
    assert dovecot.folders(imap_user) == {"INBOX", "Đã xử lý", "Từ chối", "Cách ly"}
    with dovecot.session(imap_user) as c:
        subscribed = {name for _f, _s, name in c.list_sub_folders()}
    assert {"Đã xử lý", "Từ chối", "Cách ly"} <= subscribed

    with ImapMailbox(settings) as mb:  # a second start finds them and creates nothing
        assert mb.connected
    assert dovecot.folders(imap_user) == {"INBOX", "Đã xử lý", "Từ chối", "Cách ly"}


def test_move_files_each_outcome_in_its_folder(dovecot, imap_user, mailbox, sample_pdf):
    raws = {
        Outcome.ACCEPTED: letter("Quyết định 05/QĐ-UBND", pdf=sample_pdf),
        Outcome.REFUSED: letter("Văn bản không có chữ ký"),
        Outcome.QUARANTINED: letter("Tệp đính kèm nghi vấn"),
    }
    uids = {outcome: dovecot.append(imap_user, "INBOX", raw) for outcome, raw in raws.items()}
    mailbox.connect()
    folders = mailbox.settings.folders
    with dovecot.session(imap_user) as c:  # a clerk deleted the quarantine folder meanwhile
        c.delete_folder(folders.quarantine)

    for outcome, uid in uids.items():
        assert mailbox.move(uid, folders.for_role(OUTCOMES[outcome].folder)) is True

    assert dovecot.folder_uids(imap_user, "INBOX") == []
    for outcome, raw in raws.items():
        folder = folders.for_role(OUTCOMES[outcome].folder)
        (moved,) = dovecot.folder_uids(imap_user, folder)
        assert dovecot.message(imap_user, folder, moved) == raw
    assert folders.for_role(OUTCOMES[Outcome.ACCEPTED].folder) == "Processed"
    assert folders.for_role(OUTCOMES[Outcome.QUARANTINED].folder) == "Quarantine"
    # Moving again (e.g. after a crash between the move and its bookkeeping) is a no-op.
    assert mailbox.move(uids[Outcome.ACCEPTED], folders.processed) is False
    assert len(dovecot.folder_uids(imap_user, folders.processed)) == 1


def test_move_many_moves_the_present_ones_with_one_command_and_skips_those_gone(dovecot, imap_user, mailbox):
    """Filing a batch (issue 16): one UID MOVE for scattered UIDs; one moved before (a crash after the move,
    before its record) is reported as not moved, and a message not named stays in the inbox."""
    uids = [dovecot.append(imap_user, "INBOX", letter(f"Công văn số {i}")) for i in range(1, 6)]
    mailbox.connect()
    assert mailbox.move(uids[0], "Processed") is True

    moved = mailbox.move_many([uids[3], uids[0], uids[1], uids[4]], "Processed")

    assert moved == [uids[1], uids[3], uids[4]]
    assert dovecot.folder_uids(imap_user, "INBOX") == [uids[2]]
    kept = {dovecot.message(imap_user, "Processed", u) for u in dovecot.folder_uids(imap_user, "Processed")}
    assert kept == {letter(f"Công văn số {i}") for i in (1, 2, 4, 5)}
    assert mailbox.move_many(uids[:2], "Processed") == []  # all gone: nothing moved, nothing raised


def test_uid_set_is_a_compact_imap_sequence_set():
    assert _uid_set([9, 3, 4, 5, 12, 13, 7]) == "3:5,7,9,12:13"
    assert _uid_set([42]) == "42"


@pytest.fixture(scope="module")
def uidplus_server() -> Iterator[DovecotServer]:
    """Dovecot advertising neither MOVE nor IDLE, but UIDPLUS: `move` does COPY + UID EXPUNGE."""
    with running_dovecot(imap_capability="IMAP4rev1 LITERAL+ UIDPLUS") as server:
        yield server


@pytest.fixture(scope="module")
def bare_server() -> Iterator[DovecotServer]:
    """Dovecot advertising plain IMAP4rev1: no MOVE, no UIDPLUS, no IDLE."""
    with running_dovecot(imap_capability="IMAP4rev1 LITERAL+") as server:
        yield server


@pytest.mark.parametrize("server_fixture", ["uidplus_server", "bare_server"])
def test_move_without_move_capability_expunges_only_that_message(request, server_fixture):
    server: DovecotServer = request.getfixturevalue(server_fixture)
    user = server.add_user()
    mine = server.append(user, "INBOX", letter("Công văn cần chuyển"))
    theirs = server.append(user, "INBOX", letter("Thư rác"), flags=("\\Deleted",))  # a clerk's choice
    also, last = (server.append(user, "INBOX", letter(f"Công văn {i}")) for i in (2, 3))

    with ImapMailbox(server.settings(user)) as mb:
        caps = mb.capabilities()
        assert "MOVE" not in caps and ("UIDPLUS" in caps) == (server_fixture == "uidplus_server")
        assert mb.move(mine, "Processed") is True
        assert mb.move(mine, "Processed") is False
        assert mb.move_many([also, mine, last], "Processed") == [also, last]

    assert server.folder_uids(user, "INBOX") == [theirs]
    assert b"\\Deleted" in server.flags(user, "INBOX", theirs)
    moved = {server.message(user, "Processed", u) for u in server.folder_uids(user, "Processed")}
    assert moved == {letter("Công văn cần chuyển"), letter("Công văn 2"), letter("Công văn 3")}


# -- UIDVALIDITY ---------------------------------------------------------------------------------------------


def test_uidvalidity_change_is_seen_and_the_same_bytes_come_back(dovecot, imap_user, mailbox, sample_pdf):
    arrived = datetime(2024, 3, 4, 8, 0, tzinfo=VN)
    for raw in (letter("Kế hoạch năm 2024", pdf=sample_pdf), letter("Thông báo lịch họp")):
        dovecot.append(imap_user, "INBOX", raw, internaldate=arrived)
    mailbox.connect()
    before = list(mailbox.fetch_new(0))
    old_validity = mailbox.uidvalidity()

    new_validity = dovecot.reset_uidvalidity(imap_user, "INBOX")

    with pytest.raises(MailboxError):  # Dovecot drops the session that had the old view selected
        list(mailbox.fetch_new(before[-1].uid))
    assert not mailbox.connected
    mailbox.connect()
    assert mailbox.uidvalidity() == new_validity != old_validity
    after_uid = resume_uid(old_validity, before[-1].uid, mailbox.uidvalidity())
    assert after_uid == 0
    after = list(mailbox.fetch_new(after_uid))

    assert sorted(sha(m.raw) for m in after) == sorted(sha(m.raw) for m in before)
    assert {m.uidvalidity for m in after} == {new_validity}
    keys = {(m.mailbox, m.uidvalidity, m.uid) for m in before}
    assert keys.isdisjoint({(m.mailbox, m.uidvalidity, m.uid) for m in after})
    assert all(m.internaldate == arrived for m in after)


def test_fetch_new_ignores_a_uid_from_another_uidvalidity(dovecot, imap_user, mailbox):
    for i in range(3):
        dovecot.append(imap_user, "INBOX", letter(f"Tờ trình số {i}"))
    mailbox.connect()
    old_validity = mailbox.uidvalidity()
    last_uid = [m.uid for m in mailbox.fetch_new(0)][-1]
    mailbox.close()
    dovecot.reset_uidvalidity(imap_user, "INBOX")
    mailbox.connect()

    # A caller still holding (old UIDVALIDITY, last UID) gets everything, not "nothing after UID 3".
    again = list(mailbox.fetch_new(last_uid, old_validity))
    assert [m.raw for m in again] == [letter(f"Tờ trình số {i}") for i in range(3)]
    assert list(mailbox.fetch_new(last_uid, mailbox.uidvalidity())) == []


# -- waiting for mail ----------------------------------------------------------------------------------------


def test_idle_wakes_up_when_mail_arrives(dovecot, imap_user, mailbox):
    mailbox.connect()
    assert "IDLE" in mailbox.capabilities()
    timer = later(0.3, lambda: dovecot.append(imap_user, "INBOX", letter("Hỏa tốc")))
    started = time.monotonic()
    woke = mailbox.wait_for_activity(20.0)
    elapsed = time.monotonic() - started
    timer.join()

    assert woke is True and elapsed < 5.0
    assert [m.raw for m in mailbox.fetch_new(0)] == [letter("Hỏa tốc")]


def test_keepalives_are_not_mail(dovecot, imap_user, mailbox, caplog):
    caplog.set_level(logging.DEBUG, logger="imapclient")
    mailbox.connect()
    started = time.monotonic()
    assert mailbox.wait_for_activity(1.6) is False
    assert 1.6 <= time.monotonic() - started < 3.0
    # The test server says "* OK Still here" every second: received, and not taken for mail.
    assert any("Still here" in r.getMessage() for r in caplog.records)


def test_idle_is_renewed_and_still_wakes_up(dovecot, imap_user, caplog):
    caplog.set_level(logging.DEBUG, logger="gateway.intake.imap_client")
    settings = dovecot.settings(imap_user, idle_renew_seconds=1)  # the config insists on >= 10
    with ImapMailbox(settings) as mb:
        timer = later(1.5, lambda: dovecot.append(imap_user, "INBOX", letter("Sau khi chờ")))
        started = time.monotonic()
        assert mb.wait_for_activity(10.0) is True
        assert 1.5 <= time.monotonic() - started < 5.0  # Dovecot reports new mail within ~1 s
        timer.join()
        assert sum("IDLE renewed" in r.getMessage() for r in caplog.records) >= 1
        # The session is in order after the IDLE/DONE rounds.
        assert [m.raw for m in mb.fetch_new(0)] == [letter("Sau khi chờ")]


def test_waiting_stops_when_asked(dovecot, imap_user, mailbox):
    mailbox.connect()
    stop = threading.Event()
    timer = later(0.3, stop.set)
    started = time.monotonic()
    assert mailbox.wait_for_activity(30.0, stop) is False
    assert time.monotonic() - started < 1.5
    timer.join()
    assert list(mailbox.fetch_new(0)) == []  # and the connection is still usable


def test_server_dropping_the_session_during_idle_raises_quickly(dovecot, imap_user, mailbox):
    mailbox.connect()
    kick = [str(DOVEADM), "-c", str(dovecot.config), "kick", imap_user]
    timer = later(0.3, lambda: subprocess.run(kick, check=True, capture_output=True))
    started = time.monotonic()
    with pytest.raises(MailboxError):
        mailbox.wait_for_activity(20.0)
    assert time.monotonic() - started < 5.0
    timer.join()
    assert not mailbox.connected
    mailbox.connect()  # and a reconnect works
    assert mailbox.connected


def test_without_idle_it_sleeps_then_polls(bare_server):
    server = bare_server
    user = server.add_user()
    with ImapMailbox(server.settings(user)) as mb:
        assert "IDLE" not in mb.capabilities()
        timer = later(0.1, lambda: server.append(user, "INBOX", letter("Thư mới")))
        started = time.monotonic()
        assert mb.wait_for_activity(0.6) is True
        assert time.monotonic() - started >= 0.6
        timer.join()
        assert mb.wait_for_activity(0.2) is False
        assert [m.raw for m in mb.fetch_new(0)] == [letter("Thư mới")]


# -- errors and timeouts -------------------------------------------------------------------------------------


def test_wrong_password_is_an_auth_error(dovecot, imap_user):
    mb = ImapMailbox(dovecot.settings(imap_user, password="sai-mật-khẩu"))
    started = time.monotonic()
    with pytest.raises(MailboxAuthError) as caught:
        mb.connect()
    assert isinstance(caught.value, MailboxError)
    assert time.monotonic() - started < 3.0
    assert not mb.connected


def test_non_ascii_password_logs_in(dovecot):
    user = dovecot.add_user(password="Mật-khẩu-văn-thư-2024")  # LOGIN cannot carry it; SASL PLAIN can
    with ImapMailbox(dovecot.settings(user)) as mb:
        assert mb.connected


def test_closed_port_fails_fast(dovecot, imap_user):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    mb = ImapMailbox(dovecot.settings(imap_user, port=closed_port))
    started = time.monotonic()
    with pytest.raises(MailboxError, match="cannot connect"):
        mb.connect()
    assert time.monotonic() - started < 2.0


def test_silent_server_times_out(dovecot, imap_user):
    with socket.socket() as silent:  # accepts connections (the kernel does) but never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        settings = dovecot.settings(imap_user, port=silent.getsockname()[1], timeout_seconds=0.5)
        started = time.monotonic()
        with pytest.raises(MailboxError, match="timed out"):
            ImapMailbox(settings).connect()
        assert 0.4 <= time.monotonic() - started < 3.0


def test_not_connected_is_a_mailbox_error(dovecot, imap_user):
    mb = ImapMailbox(dovecot.settings(imap_user))
    with pytest.raises(MailboxError):
        list(mb.fetch_new(0))
    with pytest.raises(MailboxError):
        mb.move(1, "Processed")
    with pytest.raises(MailboxError):
        mb.uidvalidity()


# -- TLS -----------------------------------------------------------------------------------------------------


def _logins(server: DovecotServer, user: str) -> list[str]:
    return [line for line in server.log_text().splitlines() if "Login:" in line and f"<{user}>" in line]


@pytest.mark.parametrize(("mode", "how"), [("implicit", "env"), ("starttls", "env"), ("implicit", "ca_file")])
def test_tls_with_a_verified_certificate(dovecot, imap_user, monkeypatch, mode, how):
    if how == "env":
        monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.ca_file))  # trust the test CA, verify as usual
        settings = dovecot.settings(imap_user, tls=mode)
    else:  # the province's private CA named in config.toml
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        settings = dovecot.settings(imap_user, tls=mode, ca_file=dovecot.ca_file)
    dovecot.append(imap_user, "INBOX", letter("Qua kênh mã hóa"))
    with ImapMailbox(settings) as mb:
        assert [m.raw for m in mb.fetch_new(0)] == [letter("Qua kênh mã hóa")]
    (login,) = _logins(dovecot, imap_user)[-1:]
    assert "TLS" in login


def test_tls_certificate_is_verified_unless_disabled(dovecot, imap_user, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)  # the test CA is trusted nowhere
    with pytest.raises(MailboxError, match="CERTIFICATE_VERIFY_FAILED"):
        ImapMailbox(dovecot.settings(imap_user, tls="implicit")).connect()
    assert _logins(dovecot, imap_user) == []

    with ImapMailbox(dovecot.settings(imap_user, tls="implicit", verify_tls=False)) as mb:
        assert mb.connected
    assert "TLS" in _logins(dovecot, imap_user)[-1]


# -- backoff -------------------------------------------------------------------------------------------------


def test_backoff_grows_to_the_cap_with_jitter():
    highest = list(islice(backoff_delays(1.0, 60.0, rng=lambda: 0.999999), 10))
    lowest = list(islice(backoff_delays(1.0, 60.0, rng=lambda: 0.0), 10))
    assert lowest == [0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30]
    assert all(a < b for a, b in pairwise(highest[:7]))
    assert max(highest) <= 60.0 and highest[-1] == pytest.approx(60.0)

    a = list(islice(backoff_delays(2.0, 300.0, rng=random.Random(1).random), 20))
    b = list(islice(backoff_delays(2.0, 300.0, rng=random.Random(2).random), 20))
    assert a != b  # two gateways do not retry in step
    for n, delay in enumerate(a):
        ceiling = min(2.0 * 2**n, 300.0)
        assert ceiling / 2 <= delay <= ceiling <= 300.0


def test_fetched_message_is_frozen():
    m = FetchedMessage("hop-thu", "INBOX", 1, 2, 3, datetime.now(UTC), b"x", False)
    with pytest.raises(AttributeError):
        m.uid = 5  # type: ignore[misc]
