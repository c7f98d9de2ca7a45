"""The hand-off to the agency's DMS (R18, R19), its status packages (R15, R16) and recall (R17), with a real
folder and a real HTTP endpoint standing in for the DMS (tests/servers/dms.py)."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from gateway.cli import app
from gateway.edxml import (
    STATUS_NAMES,
    BusinessType,
    Organ,
    ReadDocument,
    ResponseFor,
    StatusPackage,
    read_package,
    schema_errors,
    status_xml,
)
from gateway.intake.spool import read_raw
from gateway.letter import parse_letter
from gateway.models import Status
from gateway.register.handoff import drain
from gateway.register.recall import confirm, decline
from gateway.register.schema import (
    DmsDestinationRow,
    DmsHandoffRow,
    EntryHistoryRow,
    LetterRow,
    OutboxRow,
    RecallRequestRow,
    RegisterEntryRow,
)
from gateway.register.statuses import poll_statuses
from gateway.vntime import VN_TZ
from tests.dms_helpers import ADMIN, OTHER, SENDER_CODE, DmsEnv, dms_env, request_letter
from tests.e2e_helpers import numbered_letter
from tests.hostile_samples import SENDER

FOLDER = """
[dms]
backends = ["builtin", "edxml-folder"]
[dms.folder]
outgoing = "dms/out"
incoming = "dms/in"
"""


@pytest.fixture
def env(tmp_path) -> DmsEnv:
    return dms_env(tmp_path, FOLDER)


def _entries(env: DmsEnv) -> list[RegisterEntryRow]:
    with env.sessions() as s:
        return list(s.scalars(select(RegisterEntryRow).order_by(RegisterEntryRow.id)))


def _mails(env: DmsEnv, kind: str) -> list[email.message.EmailMessage]:
    with env.sessions() as s:
        rows = s.scalars(select(OutboxRow).where(OutboxRow.kind == kind).order_by(OutboxRow.id)).all()
    return [email.message_from_string(r.raw, policy=email.policy.default) for r in rows]


def _packages(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.edxml"))]


def _register(env: DmsEnv, numbers: range) -> list[RegisterEntryRow]:
    for n in numbers:
        env.admit(env.signed(numbered_letter(n)), minute=n)
    assert {p.outcome for p in env.process()} == {"accepted"}
    return _entries(env)


def test_each_accepted_document_becomes_one_valid_package_in_the_folder(env):
    entries = _register(env, range(1, 4))
    report = drain(env.sessions, env.rt)
    assert (report.sent, report.failed, report.pending) == (3, 0, 0)
    packages = _packages(env.settings.base_dir / "dms/out")
    assert len(packages) == 3
    assert not list((env.settings.base_dir / "dms/out").glob(".*"))  # no temp files left behind
    for (name, data), entry in zip(packages, entries, strict=True):
        assert schema_errors(data) == [], name
        read = read_package(data)
        assert isinstance(read, ReadDocument) and read.problems == ()
        h = read.package.header
        assert h.document_id == f"{SENDER_CODE},2026/03/02,{entry.notation}"
        assert (h.code_number, h.code_notation) == tuple(entry.notation.split("/", 1))
        assert h.from_ == Organ(SENDER_CODE, "Sở Thông tin và Truyền thông thành phố Hà Nội", SENDER)
        assert h.to[0].organ_id == "000.00.00.H99" and h.to[0].name == "Ủy ban nhân dân thành phố Thử Nghiệm"
        assert h.subject == entry.subject and "chuyển đổi số" in h.subject
        assert h.signer_full_name == "Phạm Minh Đức" and h.type_name == "Công văn" and h.priority == 0
        assert h.due_date == date.fromisoformat(entry.deadline[:10]) and h.page_amount == entry.pages
        assert read.package.traces[-1].organ_id == "000.00.00.H99"
        assert read.package.traces[-1].timestamp == entry.official_received_at.replace(microsecond=0).astimezone(VN_TZ)
        with env.sessions() as s:
            sent = parse_letter(read_raw(s.get_one(LetterRow, entry.letter_id))).attachments[0].data
        assert [a.data for a in read.package.attachments] == [sent]  # the original, byte for byte (R20)
    assert drain(env.sessions, env.rt).sent == 0  # nothing handed twice
    assert len(_packages(env.settings.base_dir / "dms/out")) == 3


def _status(entry: RegisterEntryRow, code: str, **kw) -> bytes:
    return status_xml(
        StatusPackage(
            from_=Organ("000.00.00.H99", "Văn phòng UBND thành phố"),
            response_for=ResponseFor(
                SENDER_CODE, entry.notation, entry.document_date, f"{SENDER_CODE},2026/03/02,{entry.notation}"
            ),
            status_code=code,
            timestamp=datetime(2026, 3, 4, 8, 0, tzinfo=VN_TZ),
            **kw,
        )
    )


def test_every_status_code_updates_the_history_and_notifies_the_sender_of_the_selected_ones(env):
    first, second, third = _register(env, range(1, 4))
    drain(env.sessions, env.rt)
    incoming = env.settings.base_dir / "dms/in"
    incoming.mkdir(parents=True)
    plan = [
        (first, "01", {}),
        (first, "03", {"description": "Đã vào sổ văn bản đến", "arrival_number": "3561"}),
        (first, "04", {"department": "Phòng Kinh tế"}),
        (first, "05", {}),
        (first, "06", {"description": "Đã ban hành văn bản trả lời"}),
        (second, "02", {"description": "Văn bản gửi nhầm nơi nhận"}),
        (third, "16", {"description": "Văn bản đã được xử lý"}),
        (third, "13", {}),
        (third, "15", {}),
    ]
    assert sorted({code for _, code, _ in plan}) == sorted(STATUS_NAMES)  # every code of QCVN 102
    for i, (entry, code, extra) in enumerate(plan):
        (incoming / f"{i:02d}-{code}.xml").write_bytes(_status(entry, code, **extra))
        poll_statuses(env.sessions, env.rt)  # one at a time: the order of the plan is the DMS's
    (incoming / "again.xml").write_bytes(_status(first, "06", description="Đã ban hành văn bản trả lời"))
    (incoming / "stranger.xml").write_bytes(_status(first, "03").replace(b"/STTTT-VP<", b"/XYZ-VP<"))
    report = poll_statuses(env.sessions, env.rt)
    assert (report.applied, report.refused) == (1, 1)  # a re-sent package applies once; an unknown document
    assert sorted(p.name for p in (incoming / "failed").iterdir()) == ["stranger.xml", "stranger.xml.reason.txt"]
    assert "unknown document" in (incoming / "failed/stranger.xml.reason.txt").read_text(encoding="utf-8")
    assert len(list((incoming / "done").iterdir())) == len(plan) + 1

    first, second, third = _entries(env)
    assert (first.status, first.dms_number) == (Status.DONE, "3561")
    assert second.status == Status.REFUSED and third.status == Status.RECALLED
    with env.sessions() as s:
        notes = [h.note for h in s.scalars(select(EntryHistoryRow).where(EntryHistoryRow.entry_id == first.id))]
    assert notes[-5:] == [
        "[01] đã đến",
        "[03] đã tiếp nhận: Đã vào sổ văn bản đến (số đến tại hệ thống QLVB: 3561)",
        "[04] đã phân công",
        "[05] đang xử lý",
        "[06] đã xử lý xong: Đã ban hành văn bản trả lời",
    ]
    # Default [dms] notify_statuses: 02, 03, 06 — once each, to the letter's Return-Path, RFC 3834.
    with env.sessions() as s:
        kinds = sorted(s.scalars(select(OutboxRow.kind).where(OutboxRow.kind.like("dms_status_%"))))
    assert kinds == ["dms_status_02", "dms_status_03", "dms_status_06"]
    [accepted] = _mails(env, "dms_status_03")
    assert accepted["To"] == SENDER and accepted["Auto-Submitted"] == "auto-replied"
    assert accepted["In-Reply-To"] == "<cv1.20260302@sotttt.hanoi.gov.vn>"
    body = accepted.get_content()
    assert "1/STTTT-VP" in body and "3561" in body and "đã được tiếp nhận và vào sổ" in body
    assert "gửi nhầm nơi nhận" in _mails(env, "dms_status_02")[0].get_content()


def test_the_admin_chooses_which_statuses_the_sender_hears_of(tmp_path):
    env = dms_env(tmp_path, FOLDER.replace("[dms]\n", '[dms]\nnotify_statuses = ["05"]\n'))
    [entry] = _register(env, range(1, 2))
    drain(env.sessions, env.rt)
    incoming = env.settings.base_dir / "dms/in"
    incoming.mkdir(parents=True)
    for code in ("03", "05", "06"):
        (incoming / f"{code}.xml").write_bytes(_status(entry, code))
        poll_statuses(env.sessions, env.rt)
    with env.sessions() as s:
        assert list(s.scalars(select(OutboxRow.kind).where(OutboxRow.kind.like("dms_status_%")))) == ["dms_status_05"]


def _recall(
    env: DmsEnv, subject: str, *, body: str = "", minute: int = 30, from_: str = SENDER, sign: str | None = None
):
    raw = request_letter(subject, body, from_=from_, message_id=f"<recall{minute}@{from_.split('@')[1]}>")
    env.admit(env.signed(raw, sign) if sign else raw, minute=minute)
    [processed] = env.process()
    return processed


def test_a_recall_is_recorded_confirmed_by_the_clerk_and_revoked_in_the_dms(env):
    first, _second = _register(env, range(1, 3))
    drain(env.sessions, env.rt)
    done = _recall(
        env,
        "Đề nghị thu hồi công văn số 1/STTTT-VP ngày 02/3/2026",
        body="Kính gửi Văn thư,\nLý do: văn bản ban hành nhầm đối tượng.\nTrân trọng.",
        sign="sotttt.hanoi.gov.vn",
    )
    assert done.outcome == "accepted" and done.numbers == ()
    with env.sessions() as s:
        [request] = s.scalars(select(RecallRequestRow)).all()
        assert (request.state, request.entry_id, request.reason) == (
            "pending",
            first.id,
            "văn bản ban hành nhầm đối tượng",
        )
        assert s.get_one(RegisterEntryRow, first.id).status == Status.RECALL_REQUESTED
    [received] = _mails(env, "recall_received")
    assert "đề nghị thu hồi văn bản số 1/STTTT-VP" in received.get_content() and received["To"] == SENDER

    result = CliRunner().invoke(
        app, ["dms", "confirm", str(request.id), "--config", str(env.config), "--clerk", "Nguyễn Thị Lan"]
    )
    assert result.exit_code == 0, result.output
    assert "1 package(s) queued" in result.output
    with env.sessions() as s:
        entry = s.get_one(RegisterEntryRow, first.id)
        last = s.scalars(
            select(EntryHistoryRow).where(EntryHistoryRow.entry_id == first.id).order_by(EntryHistoryRow.id)
        ).all()[-1]
    assert entry.status == Status.RECALLED
    assert (last.actor, last.note) == ("Nguyễn Thị Lan", "thu hồi: văn bản ban hành nhầm đối tượng")
    assert drain(env.sessions, env.rt).sent == 1
    name, data = _packages(env.settings.base_dir / "dms/out")[-1]
    assert "revocation" in name and schema_errors(data) == []
    read = read_package(data)
    assert isinstance(read, ReadDocument)
    assert read.package.business.doc_type == BusinessType.REVOCATION
    assert read.package.business.reason == "văn bản ban hành nhầm đối tượng"
    assert (
        read.package.business.document_id == read.package.header.document_id == f"{SENDER_CODE},2026/03/02,1/STTTT-VP"
    )
    [answer] = _mails(env, "recall_done")
    assert "đã thu hồi văn bản số 1/STTTT-VP" in answer.get_content()
    again = CliRunner().invoke(app, ["dms", "confirm", str(request.id), "--config", str(env.config)])
    assert again.exit_code == 1 and "confirmed, not pending" in again.output


@pytest.mark.parametrize(
    ("subject", "from_", "sign", "code", "words"),
    [
        (
            "Đề nghị thu hồi công văn số 999/STTTT-VP",
            SENDER,
            "sotttt.hanoi.gov.vn",
            "recall_unknown_document",
            "Không tìm thấy",
        ),
        (
            "Thu hồi văn bản số 2/STTTT-VP ngày 02/03/2026",
            OTHER,
            "soyte.hanoi.gov.vn",
            "recall_other_agency",
            "không do Quý cơ quan",
        ),
        ("Thu hồi văn bản số 2/STTTT-VP ngày 02/03/2026", SENDER, None, "recall_origin_unproven", "DKIM"),
    ],
    ids=["unknown-document", "wrong-agency", "origin-unproven"],
)
def test_a_recall_that_cannot_be_is_refused_with_the_reason(env, subject, from_, sign, code, words):
    _register(env, range(1, 3))
    done = _recall(env, subject, from_=from_, sign=sign)
    assert done.outcome == "refused"
    with env.sessions() as s:
        [request] = s.scalars(select(RecallRequestRow)).all()
        letter = s.get_one(LetterRow, request.letter_id)
    assert request.state == "refused" and words in request.refusal
    assert code in [r["code"] for r in letter.verdict["reasons"]]
    assert {e.status for e in _entries(env)} == {Status.ACCEPTED}  # nothing changed in the register
    [refused] = _mails(env, "recall_refused")
    assert refused["To"] == from_ and words in refused.get_content()


def test_a_replacement_links_the_entries_and_hands_the_new_document_as_type_3(env):
    old, _ = _register(env, range(1, 3))
    drain(env.sessions, env.rt)
    new_pdf = parse_letter(numbered_letter(41)).attachments[0].data
    raw = request_letter(
        "Thay thế công văn số 1/STTTT-VP ngày 02/3/2026",
        "Sở gửi văn bản thay thế.\nLý do: sai số liệu phụ lục.",
        message_id="<replace1@sotttt.hanoi.gov.vn>",
        pdfs=[("41-STTTT-VP.pdf", new_pdf)],
    )
    env.admit(env.signed(raw), minute=40)
    [done] = env.process()
    assert done.outcome == "accepted" and done.numbers == (3,)  # the new document is registered at once …
    new = _entries(env)[-1]
    with env.sessions() as s:
        assert s.scalars(select(DmsHandoffRow).where(DmsHandoffRow.entry_id == new.id)).all() == []  # … held
        [request] = s.scalars(select(RecallRequestRow)).all()
    assert (request.kind, request.entry_id, request.replacement_entry_id) == ("replace", old.id, new.id)
    assert len(_mails(env, "acknowledgement")) == 3 and len(_mails(env, "recall_received")) == 1
    with env.sessions.begin() as s:
        decided = confirm(s, env.rt, request.id, actor="Nguyễn Thị Lan")
    assert decided.handoffs == 1 and decided.answered
    assert drain(env.sessions, env.rt).sent == 1
    name, data = _packages(env.settings.base_dir / "dms/out")[-1]
    assert "replacement" in name and schema_errors(data) == []
    read = read_package(data)
    assert isinstance(read, ReadDocument)
    assert read.package.business.doc_type == BusinessType.REPLACEMENT
    assert read.package.business.document_id == f"{SENDER_CODE},2026/03/02,1/STTTT-VP"
    assert read.package.header.document_id == f"{SENDER_CODE},2026/03/02,41/STTTT-VP"
    assert [a.data for a in read.package.attachments] == [new_pdf]
    old, _, new = _entries(env)
    assert old.status == Status.RECALLED and new.replaces_entry_id == old.id
    assert (
        "Văn bản thay thế 41/STTTT-VP đã được vào sổ với số đến 3/2026" in _mails(env, "recall_done")[0].get_content()
    )


def test_the_clerk_may_decline_a_recall_and_the_sender_hears_why(env):
    _register(env, range(1, 3))
    _recall(env, "Đề nghị thu hồi công văn số 1/STTTT-VP", sign="sotttt.hanoi.gov.vn")
    with env.sessions() as s:
        [request] = s.scalars(select(RecallRequestRow)).all()
    with env.sessions.begin() as s:
        decline(s, env.rt, request.id, actor="Nguyễn Thị Lan", reason="văn bản đã được lãnh đạo giao xử lý")
    assert _entries(env)[0].status == Status.ACCEPTED  # back to what it was
    [answer] = _mails(env, "recall_declined")
    assert "văn bản đã được lãnh đạo giao xử lý" in answer.get_content() and answer["To"] == SENDER
    result = CliRunner().invoke(app, ["dms", "recalls", "--all", "--json", "--config", str(env.config)])
    assert result.exit_code == 0 and '"state": "declined"' in result.output


HTTP = """
[dms]
backends = ["builtin", "edxml-http"]
alert_after_minutes = 0
retry_base_seconds = 0
[dms.http]
url = "{url}"
organ_id = "000.00.00.H99"
token = "{token}"
timeout_seconds = 5
"""


@pytest.mark.slow  # a real HTTP server
def test_http_endpoint_errors_outage_alerts_and_statuses(tmp_path, dms_server):
    env = dms_env(tmp_path, HTTP.format(url=dms_server.url, token=dms_server.token))
    entries = _register(env, range(1, 4))
    dms_server.fail_next(503)  # busy: retried
    assert drain(env.sessions, env.rt).sent == 0
    with env.sessions() as s:
        dest = s.get_one(DmsDestinationRow, "edxml-http")
        assert dest.down_since is not None and "HTTP 503" in dest.last_error
    assert [m["To"] for m in _mails(env, "dms_outage")] == [ADMIN]  # alert_after_minutes = 0: at once, once
    dms_server.fail_next(200 + 200)  # HTTP 400: this package is refused, the next ones go on
    report = drain(env.sessions, env.rt)
    assert (report.sent, report.failed, report.pending) == (2, 1, 0)
    assert len(_mails(env, "dms_outage")) == 1 and len(_mails(env, "dms_recovered")) == 1
    with env.sessions() as s:
        failed = s.scalar(select(DmsHandoffRow).where(DmsHandoffRow.state == "failed"))
    assert failed.entry_id == entries[0].id and "HTTP 400" in failed.last_error
    assert [k for _, k in dms_server.posts] == ["edoc"] * 4
    for (doc_id, _kind), data in dms_server.kept.items():
        assert schema_errors(data) == [] and read_package(data).package.header.document_id == doc_id

    dms_server.add_status("st-1", _status(entries[1], "03", arrival_number="77"))
    dms_server.add_status("st-2", b"<html>not a package</html>")
    assert poll_statuses(env.sessions, env.rt).applied == 1
    assert dms_server.handled == {"st-1": "done", "st-2": "fail"}
    assert _entries(env)[1].dms_number == "77"
    status = CliRunner().invoke(app, ["dms", "status", "--json", "--config", str(env.config)])
    assert status.exit_code == 0, status.output
    assert '"backlog": 0' in status.output and '"sent": 2' in status.output and '"failed": 1' in status.output


@pytest.mark.slow  # a real HTTP server
def test_http_endpoint_down_then_back(tmp_path, dms_server):
    env = dms_env(tmp_path, HTTP.format(url=dms_server.url, token=dms_server.token).replace("= 0\n", "= 60\n", 1))
    _register(env, range(1, 3))
    dms_server.stop()
    for _ in range(3):
        drain(env.sessions, env.rt)
    assert _mails(env, "dms_outage") == []  # down, but not yet for alert_after_minutes
    with env.sessions() as s:
        assert s.scalar(select(DmsHandoffRow.attempts).order_by(DmsHandoffRow.id)) == 3
        assert s.scalars(select(DmsHandoffRow.state)).all() == ["pending", "pending"]  # in order, waiting
    dms_server.start()
    assert drain(env.sessions, env.rt).sent == 2
    assert _mails(env, "dms_recovered") == []  # nobody was told of the outage, so no recovery notice
    assert len(dms_server.kept) == 2


def test_every_status_and_recall_template_renders_in_vietnamese():
    from gateway.config import AgencySettings
    from gateway.replies import render, shipped_environment

    entry = {"number": 7, "year": 2026, "notation": "7/STTTT-VP", "subject": "V/v rà soát", "filename": "7.pdf"}
    context = {
        "agency": AgencySettings("Ủy ban nhân dân thành phố Thử Nghiệm", "000.00.00.H99"),
        "sender_name": "Sở Thông tin và Truyền thông",
        "letter": {"subject": "Công văn số 7", "message_id": "<m@x>", "from": SENDER},
        "entry": {**entry, "document_date": date(2026, 3, 2), "dms_number": "3561"},
        "status": {"code": "", "name": "", "description": "Ghi chú", "at": datetime(2026, 3, 4, 8, tzinfo=VN_TZ)},
        "request": {"notation": "7/STTTT-VP"},
        "word": "thu hồi",
        "reason": "gửi nhầm",
        "replacement": None,
    }
    bodies = {}
    for code in STATUS_NAMES:
        rendered = render(shipped_environment(), f"dms_status_{code}", context)
        assert "7/STTTT-VP" in rendered.subject and "Số đến: 7/2026" in rendered.body and "3561" in rendered.body
        bodies[code] = rendered.body
    assert len(set(bodies.values())) == len(STATUS_NAMES)  # each status says its own thing
    for kind in ("recall_done", "recall_declined"):
        assert "gửi nhầm" in render(shipped_environment(), kind, context).body


@pytest.mark.slow  # a real HTTPS server
def test_https_endpoint_under_a_private_ca(tmp_path):
    import ssl

    from tests.servers.dms import DmsServer
    from tests.servers.dovecot import write_test_certificates

    ca_file, chain, key = write_test_certificates(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(chain, key)
    server = DmsServer(token="t0ken", tls=tls).start()
    try:
        plain = HTTP.format(url=server.url, token="t0ken")
        env = dms_env(tmp_path, plain)
        _register(env, range(1, 2))
        drain(env.sessions, env.rt)  # the system CAs do not know the province's CA: refused, retried later
        with env.sessions() as s:
            assert "CERTIFICATE_VERIFY_FAILED" in s.get_one(DmsDestinationRow, "edxml-http").last_error
        assert server.posts == []
        trusted = dms_env(tmp_path / "trusted", plain + f'ca_file = "{ca_file}"\n')
        _register(trusted, range(1, 2))
        assert drain(trusted.sessions, trusted.rt).sent == 1 and len(server.kept) == 1
    finally:
        server.stop()
