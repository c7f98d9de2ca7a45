"""The clerk's workplace over HTTP against the real register (SQLite and PostgreSQL): logging in, finding a
document, its page and its original, the quarantine's three actions through the processor, the clerk's
actions on an entry, who may do what, CSRF, the register form and the report as files."""

from __future__ import annotations

import email
import email.policy
import hashlib
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from gateway.intake.spool import admit
from gateway.models import LetterState, Source, Status
from gateway.processor import process_pending
from gateway.register.schema import AuditRow, EntryHistoryRow, LetterRow, OutboxRow, RegisterEntryRow
from gateway.vntime import VN_TZ
from tests.hostile_samples import good_letter
from tests.web.conftest import HIDDEN_NAME, PASSWORDS, UNITS, document
from tests.web.helpers import client, csrf_of, logged_in, login, post


def _entry(wp, number: int) -> RegisterEntryRow:
    with wp.sessions() as s:
        return s.scalars(select(RegisterEntryRow).where(RegisterEntryRow.number == number)).one()


def test_find_a_document_by_number_issuer_and_words_then_open_it(workplace):
    c = logged_in(workplace, "lan")
    today = c.get("/register")  # today's documents by default
    assert today.status_code == 200
    assert all(f"{n}/STTTT-VP" in today.text for n in (1, 2, 3, 4))
    assert "Hỏa tốc" in today.text and "Hàng chờ kiểm tra" in today.text
    from gateway.resources import version

    assert f"phiên bản {version()}</footer>" in today.text  # the version in the footer (issue 14)

    def numbers(**params) -> list[str]:
        page = c.get("/register", params=params)
        assert page.status_code == 200
        return sorted(n for n in ("1/STTTT-VP", "2/STTTT-VP", "3/STTTT-VP", "4/STTTT-VP") if n in page.text)

    assert numbers(number="2") == ["2/STTTT-VP"]
    assert numbers(number="2/2026", **{"from": ""}) == ["2/STTTT-VP"] or numbers(number="2") == ["2/STTTT-VP"]
    assert numbers(q="phong chong bao", **{"from": ""}) == ["2/STTTT-VP"]  # no diacritics, any case
    assert numbers(q="PHÒNG CHỐNG BÃO") == ["2/STTTT-VP"]
    assert numbers(notation="3/stttt") == ["3/STTTT-VP"]
    assert numbers(issuer="thông tin và truyền", urgency="any") == ["2/STTTT-VP"]
    assert numbers(issuer="sở tài chính", **{"from": ""}) == []
    assert numbers(status=Status.ARRIVED) == ["4/STTTT-VP"]  # the quarantined one: arrived, not registered
    assert "Ngày không hợp lệ" in c.get("/register", params={"from": "31/02/2026"}).text

    second = _entry(workplace, 2)
    page = c.get(f"/entries/{second.id}")
    assert page.status_code == 200
    for words in (
        "Văn bản đến số 2/",
        "V/v phòng chống bão số 3",
        "Hỏa tốc",
        "Văn bản không có chữ ký số.",
        "Giá trị pháp lý",
        "Quá trình xử lý",
        "đã tiếp nhận",
        "xác nhận đã nhận",
        "Thư điện tử",
    ):
        assert words in page.text, words
    pdf = c.get(f"/letters/{second.letter_id}/documents/{second.document_sha256}")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline;")
    assert hashlib.sha256(pdf.content).hexdigest() == second.document_sha256  # the original, byte for byte
    saved = c.get(f"/letters/{second.letter_id}/documents/{second.document_sha256}", params={"download": "1"})
    assert saved.headers["content-disposition"].startswith("attachment;") and saved.content == pdf.content
    eml = c.get(f"/letters/{second.letter_id}/raw")
    assert eml.headers["content-type"].startswith("message/rfc822") and b"<cv2@sotttt>" in eml.content


def test_the_default_view_shows_what_came_in_after_hours(sqlite_workplace):
    """A letter received on a Saturday is officially received on the next office day (R13), after today: the
    clerk's default view (from today on) lists it, whatever the time of day the test runs at."""
    wp = sqlite_workplace
    now = datetime.now(VN_TZ)
    saturday = (now + timedelta(days=(5 - now.weekday()) % 7 or 7)).replace(hour=10, minute=0)
    raw = good_letter([("5-STTTT-VP.pdf", document(5))], subject="Công văn số 5/STTTT-VP", message_id="<cv5@sotttt>")
    admit(wp.sessions, wp.settings.storage_dir, raw, source=Source.FILE, received_at=saturday.astimezone(UTC))
    assert [p.outcome for p in process_pending(wp.sessions, wp.stages)] == ["accepted"]
    entry = _entry(wp, 4)
    assert entry.official_received_at.date() > saturday.date()  # not a holiday-free guess: after the weekend
    page = logged_in(wp, "lan").get("/register")
    assert "5/STTTT-VP" in page.text and "1/STTTT-VP" in page.text


def test_release_registers_now_and_queues_the_acknowledgement(workplace):
    c = logged_in(workplace, "lan")
    queue = c.get("/quarantine")
    assert "[khẩn] Công văn số 4/STTTT-VP" in queue.text and "tên tệp đáng ngờ" in queue.text
    lid = workplace.quarantined_id
    done = post(c, f"/letters/{lid}/release", {"note": "Đã gọi điện xác minh với Sở", "delivery": "electronic_only"})
    assert done.status_code == 303 and done.headers["location"] == f"/letters/{lid}?done=released"
    with workplace.sessions() as s:
        letter = s.get_one(LetterRow, lid)
        [entry] = s.scalars(select(RegisterEntryRow).where(RegisterEntryRow.letter_id == lid)).all()
        steps = s.scalars(select(EntryHistoryRow).where(EntryHistoryRow.entry_id == entry.id)).all()
        ack = s.scalars(select(OutboxRow).where(OutboxRow.letter_id == lid, OutboxRow.kind == "acknowledgement")).one()
        trail = s.scalars(select(AuditRow).where(AuditRow.letter_id == lid)).all()
    assert letter.state == LetterState.FILED and letter.outcome == "accepted"
    assert (entry.number, entry.status, entry.delivery) == (4, Status.ACCEPTED, "electronic_only")  # the next number
    assert [(h.status, h.actor, h.note) for h in steps][-1] == (
        Status.ACCEPTED,
        "Nguyễn Thị Lan (lan)",
        "Đã gọi điện xác minh với Sở",
    )
    body = email.message_from_string(ack.raw, policy=email.policy.default).get_content()
    assert "Số đến: 4" in body and "Văn thư đã kiểm tra và tiếp nhận văn bản điện tử" in body
    assert [(a.actor, a.action, a.detail["numbers"]) for a in trail] == [
        ("Nguyễn Thị Lan (lan)", "release", ["4/2026"])
    ]
    assert letter.verdict["quarantined_for"][0]["code"] == "filename_suspicious"
    page = c.get(f"/letters/{lid}?done=released")
    assert "Đã tiếp nhận và vào sổ" in page.text and "Lý do đã chuyển văn thư kiểm tra" in page.text
    again = post(c, f"/letters/{lid}/release")
    assert again.status_code == 409 and "không còn trong hàng chờ" in again.text
    assert "Không có thư nào chờ kiểm tra" in c.get("/quarantine").text


def test_refuse_with_a_chosen_or_written_reason(sqlite_workplace):
    wp = sqlite_workplace
    c = logged_in(wp, "lan")
    lid = wp.quarantined_id
    assert post(c, f"/letters/{lid}/refuse", {}).status_code == 400  # a reason is required
    done = post(c, f"/letters/{lid}/refuse", {"reason": "1", "note": "tệp có ký tự ẩn"})
    assert done.status_code == 303 and done.headers["location"].endswith("done=refused")
    with wp.sessions() as s:
        letter = s.get_one(LetterRow, lid)
        refusal = s.scalars(select(OutboxRow).where(OutboxRow.letter_id == lid, OutboxRow.kind == "refusal")).one()
        entry = s.scalars(select(RegisterEntryRow).where(RegisterEntryRow.letter_id == lid)).one()
    assert letter.state == LetterState.REFUSED and entry.status == Status.REFUSED and entry.number is None
    body = email.message_from_string(refusal.raw, policy=email.policy.default).get_content()
    assert "Tệp đính kèm không đọc được hoặc không đầy đủ" in body


def test_reprocess_sends_the_letter_back_to_the_daemon(sqlite_workplace):
    wp = sqlite_workplace
    c = logged_in(wp, "lan")
    lid = wp.quarantined_id
    done = post(c, f"/letters/{lid}/reprocess", {"note": "quản trị đã sửa quy tắc"})
    assert done.status_code == 303
    with wp.sessions() as s:
        assert s.get_one(LetterRow, lid).state == LetterState.RECEIVED
    [again] = process_pending(wp.sessions, wp.stages)  # the same finding: back in the quarantine
    assert again.outcome == "quarantined"
    with wp.sessions() as s:
        kinds = s.scalars(select(OutboxRow.kind).where(OutboxRow.letter_id == lid)).all()
        notes = [h.note for h in s.scalars(select(EntryHistoryRow).order_by(EntryHistoryRow.id))]
        letter = s.get_one(LetterRow, lid)
    assert kinds == ["quarantine"]  # the sender was told once, not twice
    assert "văn thư yêu cầu kiểm tra lại: quản trị đã sửa quy tắc" in notes
    assert {n["code"] for n in letter.verdict["processing_notes"]} == {"already_queued"}


def test_clerk_actions_on_an_entry_are_in_its_history_and_the_audit_log(sqlite_workplace):
    wp = sqlite_workplace
    c = logged_in(wp, "lan")
    entry = _entry(wp, 1)
    assert post(c, f"/entries/{entry.id}/paper").status_code == 303
    assert post(c, f"/entries/{entry.id}/paper").status_code == 409  # recorded once
    assert post(c, f"/entries/{entry.id}/assign", {"to": "Phòng Không Có"}).status_code == 400
    ok = post(c, f"/entries/{entry.id}/assign", {"to": UNITS[1], "on": "03/12/2026", "note": "xử lý gấp"})
    assert ok.status_code == 303
    assert post(c, f"/entries/{entry.id}/note", {"text": "Đã báo lãnh đạo"}).status_code == 303
    with wp.sessions() as s:
        row = s.get_one(RegisterEntryRow, entry.id)
        steps = [
            (h.status, h.note) for h in s.scalars(select(EntryHistoryRow).where(EntryHistoryRow.entry_id == entry.id))
        ]
        actions = [a.action for a in s.scalars(select(AuditRow).where(AuditRow.entry_id == entry.id))]
    assert row.paper_received_at is not None and row.status == Status.FORWARDED
    assert (row.assigned_to, f"{row.assigned_at:%d/%m/%Y}") == (UNITS[1], "03/12/2026")
    assert row.notes.endswith("Đã báo lãnh đạo")
    assert steps[-3:] == [
        (Status.ACCEPTED, "đã nhận bản giấy"),
        (Status.FORWARDED, "chuyển xử lý: Phòng Kinh tế, ngày 03/12/2026; xử lý gấp"),
        (Status.FORWARDED, "Đã báo lãnh đạo"),
    ]
    assert actions == ["paper", "assign", "note"]
    page = c.get(f"/entries/{entry.id}")
    assert "chuyển Phòng Kinh tế ngày 03/12/2026" in page.text and "Nguyễn Thị Lan (lan)" in page.text


def test_a_leader_reads_but_cannot_act(sqlite_workplace):
    wp = sqlite_workplace
    c = logged_in(wp, "hung")
    entry = _entry(wp, 1)
    page = c.get(f"/entries/{entry.id}")
    assert page.status_code == 200 and "Xử lý của văn thư" not in page.text
    assert "Tiếp nhận và vào sổ" not in c.get("/quarantine").text
    for path in (f"/letters/{wp.quarantined_id}/release", f"/entries/{entry.id}/note"):
        refused = post(c, path, {"text": "x"})
        assert refused.status_code == 403 and "lãnh đạo" in refused.text
    assert c.get("/admin").status_code == 403
    with wp.sessions() as s:
        assert s.get_one(LetterRow, wp.quarantined_id).state == LetterState.QUARANTINED
    admin = logged_in(wp, "root")
    overview = admin.get("/admin")
    assert overview.status_code == 200 and "Sở Thông tin và Truyền thông thành phố Hà Nội" in overview.text
    assert "Quy tắc đang áp dụng" in overview.text and "Kho chứng thư trống" in overview.text


def test_a_form_without_the_csrf_token_is_refused(sqlite_workplace):
    wp = sqlite_workplace
    c = logged_in(wp, "lan")
    entry = _entry(wp, 1)
    for data in ({"text": "giả mạo"}, {"text": "giả mạo", "csrf": "not-the-token"}):
        refused = c.post(f"/entries/{entry.id}/note", data=data)
        assert refused.status_code == 403 and "CSRF" in refused.text
    stranger = client(wp)  # not logged in at all
    assert stranger.post(f"/entries/{entry.id}/note", data={"text": "x", "csrf": csrf_of(c)}).status_code == 401
    # the login form has its own token (double submit): a cross-site login attempt is refused
    assert stranger.post("/login", data={"username": "lan", "password": PASSWORDS["lan"]}).status_code == 403
    with wp.sessions() as s:
        assert "giả mạo" not in (s.get_one(RegisterEntryRow, entry.id).notes or "")


def test_login_is_rate_limited_audited_and_the_session_cookie_is_safe(sqlite_workplace):
    wp = sqlite_workplace
    c = client(wp)
    assert c.get("/register").headers["location"].startswith("/login?next=")
    for _ in range(3):  # login_attempts = 3
        assert login(c, "lan", "sai-mat-khau-roi").status_code == 401
    blocked = login(c, "lan")  # even the right password waits now
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.text
    other = client(wp)
    ok = login(other, "hung")
    cookie = ok.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    page = other.get("/register")
    assert (
        page.headers["x-frame-options"] == "SAMEORIGIN"
        and "script-src 'none'" in page.headers["content-security-policy"]
    )
    assert post(other, "/logout").status_code == 303
    assert other.get("/register").status_code == 303  # the session ended on the server
    with wp.sessions() as s:
        actions = [(a.actor, a.action) for a in s.scalars(select(AuditRow).order_by(AuditRow.id))]
    assert actions.count(("lan", "login_failed")) == 3
    assert ("Lê Văn Hùng (hung)", "login") in actions and ("Lê Văn Hùng (hung)", "logout") in actions


def test_the_register_form_and_the_report_as_files(workplace):
    c = logged_in(workplace, "hung")  # reading: a leader may
    period = {"from": "01/01/2026", "to": "31/12/2026"}
    xlsx = c.get("/official-register.xlsx", params=period)
    assert xlsx.status_code == 200 and "so-van-ban-den_20260101-20261231.xlsx" in xlsx.headers["content-disposition"]
    ws = load_workbook(BytesIO(xlsx.content)).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    header = rows.index(
        [
            "Ngày đến",
            "Số đến",
            "Tác giả",
            "Số, ký hiệu",
            "Ngày tháng",
            "Tên loại và trích yếu nội dung",
            "Đơn vị hoặc người nhận",
            "Ngày chuyển",
            "Ký nhận",
            "Ghi chú",
        ]
    )
    assert rows[0][0] == "CHÍNH PHỦ" and "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in [r[0] for r in rows[:header]]
    assert rows[header + 1] == [f"({i})" for i in range(1, 11)]
    lines = rows[header + 2 :]
    assert [line[1] for line in lines] == ["1", "2", "3"]  # the quarantined letter is not registered
    assert lines[0][2] == "Sở Thông tin và Truyền thông thành phố Hà Nội" and lines[0][3] == "1/STTTT-VP"
    assert lines[1][4] == "02/03/2026" and lines[1][5] == "Công văn V/v phòng chống bão số 3"
    assert lines[1][9].startswith("Hỏa tốc")
    pdf = c.get("/official-register.pdf", params=period)
    reader = PdfReader(BytesIO(pdf.content))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # A4 landscape
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in reader.pages[0].extract_text()
    assert "phòng chống bão" in "".join(p.extract_text() for p in reader.pages[1:])
    csv = c.get("/official-register.csv", params=period).content.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("Ngày đến,Số đến,Tác giả") and len(csv) == 4
    assert (
        "Không có văn bản vào sổ" in c.get("/official-register", params={"from": "01/01/2025", "to": "02/01/2025"}).text
    )

    report = c.get("/report", params=period)
    assert report.status_code == 200 and report.text.count("<svg") == 7
    assert (
        "Văn bản vào sổ theo cơ quan gửi" in report.text
        and "Sở Thông tin và Truyền thông thành phố Hà Nội" in report.text
    )
    book = load_workbook(BytesIO(c.get("/report.xlsx", params=period).content))
    summary = {r[0].value: r[1].value for r in book["Tổng hợp"].iter_rows() if r[0].value and r[1].value}
    assert summary["Thư đến"] == "4" and summary["Văn bản vào sổ"] == "3"
    assert summary["Văn bản khẩn, thượng khẩn, hỏa tốc"] == "1"
    report_pdf = PdfReader(BytesIO(c.get("/report.pdf", params=period).content))
    assert "BÁO CÁO THỐNG KÊ" in report_pdf.pages[0].extract_text()


def test_quarantined_document_can_be_inspected_before_deciding(sqlite_workplace):
    wp = sqlite_workplace
    c = logged_in(wp, "lan")
    with wp.sessions() as s:
        letter = s.get_one(LetterRow, wp.quarantined_id)
    doc = letter.verdict["documents"][0]
    assert doc["filename"] != HIDDEN_NAME  # stored under a safe name
    page = c.get(f"/letters/{wp.quarantined_id}")
    assert page.status_code == 200 and "chờ văn thư kiểm tra" in page.text
    pdf = c.get(f"/letters/{wp.quarantined_id}/documents/{doc['sha256']}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert c.get(f"/letters/{wp.quarantined_id}/documents/{'0' * 64}").status_code == 404


@pytest.mark.parametrize("path", ["/register", "/quarantine", "/report", "/official-register", "/admin"])
def test_every_page_needs_a_login(sqlite_workplace, path):
    response = client(sqlite_workplace).get(path)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_letter_not_answered_for_its_unverified_sender_is_listed_for_the_clerk(sqlite_workplace):
    """Issue 17: a forged envelope sender gets no reply; the clerk sees the letter on the quarantine page."""
    from datetime import UTC, datetime

    from gateway.intake.spool import admit
    from gateway.models import Source
    from tests.hostile_samples import good_letter, not_a_pdf

    wp = sqlite_workplace
    raw = good_letter(
        [("cv.pdf", not_a_pdf())],
        subject="Thư giả mạo nơi gửi",
        from_="nan.nhan@victim.example",
        return_path="<nan.nhan@victim.example>",
        message_id="<forged@victim.example>",
    )
    admit(wp.sessions, wp.settings.storage_dir, raw, source=Source.SMTP, received_at=datetime.now(UTC))
    [done] = process_pending(wp.sessions, wp.stages)
    assert done.outcome == "refused"
    with wp.sessions() as s:
        assert s.scalars(select(OutboxRow).where(OutboxRow.letter_id == done.letter_id)).all() == []
    page = logged_in(wp, "lan").get("/quarantine")
    assert page.status_code == 200
    assert "Thư không được trả lời tự động" in page.text
    assert f'href="/letters/{done.letter_id}"' in page.text and "Thư giả mạo nơi gửi" in page.text
