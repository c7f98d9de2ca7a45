"""The workplace in a real headless Chromium (Debian's package, driven by Playwright; never `playwright
install`), with the real daemon behind it: letters arrive over SMTP, replies leave to an SMTP sink.

A clerk logs in, finds a document by its number, opens its PDF, releases a quarantined letter and sees the
acknowledgement reach the sender, exports the register form (Phụ lục IV) as XLSX; a leader cannot act; a
form stripped of its CSRF token is refused. Screenshots of the main pages are kept as test artifacts (under
the pytest tmp folder and in /work/artifacts/issue-12/ when that folder can be made).
"""

from __future__ import annotations

import hashlib
import shutil
import smtplib
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from gateway.config import load_settings
from gateway.daemon import Gateway
from gateway.models import LetterState
from gateway.register.schema import LetterRow, OutboxRow, RegisterEntryRow
from gateway.samples.sink import SmtpSink, free_port
from gateway.vntime import VN_TZ, aware
from gateway.web.app import create_app
from gateway.web.server import WebServer
from gateway.web.users import Role, add_user
from tests.hostile_samples import SENDER, good_letter
from tests.web.conftest import HIDDEN_NAME, PASSWORDS, UNITS, document

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUR_ADDRESS = "vanthu@ubnd.example.gov.vn"
ARTIFACTS = Path("/work/artifacts/issue-12")


class Site:
    def __init__(self, work: Path):
        self.work = work
        self.sink = SmtpSink().start()
        listen = free_port()
        (work / "agencies.toml").write_text(
            f'[[agency]]\nname = "Sở Thông tin và Truyền thông thành phố Hà Nội"\ncode = "000.00.21.H26"\n'
            f'mailboxes = ["{SENDER}"]\n',
            encoding="utf-8",
        )
        units = ", ".join(f'"{u}"' for u in UNITS)
        (work / "config.toml").write_text(
            f'[gateway]\nstorage_dir = "storage"\n[agency]\nname = "Ủy ban nhân dân thành phố Thử Nghiệm"\n'
            f'code = "000.00.00.H99"\n[directory]\nfile = "agencies.toml"\n'
            f'[smtp_listener]\nenabled = true\nport = {listen}\naddresses = ["{OUR_ADDRESS}"]\n'
            f'[outgoing]\nport = {self.sink.port}\nfrom_address = "{OUR_ADDRESS}"\nretry_base_seconds = 0.2\n'
            f"[web]\nunits = [{units}]\n",
            encoding="utf-8",
        )
        self.settings = load_settings(work / "config.toml")
        self.gateway = Gateway(self.settings)
        self.gateway.start()
        letters = [
            good_letter([("1-STTTT-VP.pdf", document(1))], subject="Công văn số 1/STTTT-VP", message_id="<b1@sotttt>"),
            good_letter(
                [("2-STTTT-VP.pdf", document(2, urgency="HỎA TỐC", subject="V/v phòng chống bão số 3"))],
                subject="Công văn hỏa tốc số 2/STTTT-VP",
                message_id="<b2@sotttt>",
            ),
            good_letter(
                [(HIDDEN_NAME, document(4))], subject="[khẩn] Công văn số 4/STTTT-VP", message_id="<b4@sotttt>"
            ),
        ]
        with smtplib.SMTP("127.0.0.1", listen, timeout=30) as smtp:
            for raw in letters:
                smtp.sendmail(SENDER, [OUR_ADDRESS], raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
        self.sink.wait_for(3, timeout=120)  # two acknowledgements, one "waiting for a clerk"
        with self.gateway.sessions.begin() as s:
            for name, full, role in (("lan", "Nguyễn Thị Lan", Role.VAN_THU), ("hung", "Lê Văn Hùng", Role.LANH_DAO)):
                add_user(s, username=name, full_name=full, role=role, password=PASSWORDS[name])
        app = create_app(self.settings, writers=self.gateway.sessions, stages=self.gateway.stages)
        self.web = WebServer(app, port=free_port()).start()

    def close(self) -> None:
        self.web.stop()
        self.gateway.stop()
        self.sink.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    s = Site(tmp_path_factory.mktemp("site"))
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run bash scripts/install-system-deps.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1400, "height": 900},
            accept_downloads=True,
            locale="vi-VN",
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def _shot(page, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, ARTIFACTS / path.name)
    except OSError:
        pass  # another machine: the pytest tmp folder keeps them


def _login(page, site: Site, username: str) -> None:
    page.goto(f"{site.web.url}/register")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_selector("h1:has-text('Sổ văn bản đến')")


def test_a_clerk_finds_opens_releases_and_exports(site, browser, shots, tmp_path):
    page = browser.new_page()
    _login(page, site, "lan")
    assert page.locator("table.register tbody tr").count() == 3  # today: two registered, one waiting
    _shot(page, shots, "1-register")

    page.fill("input[name=number]", "2")
    page.click("button:has-text('Tìm')")
    rows = page.locator("table.register tbody tr")
    assert rows.count() == 1 and "phòng chống bão" in rows.inner_text()
    rows.locator("a").first.click()
    page.wait_for_selector("h1:has-text('Văn bản đến số 2/')")
    assert "Hỏa tốc" in page.inner_text("h1")
    assert "Văn bản không có chữ ký số." in page.inner_text("main")
    _shot(page, shots, "2-entry")

    with (
        page.expect_popup() as popup_info,
        browser.expect_event("response", lambda r: "/documents/" in r.url) as response_info,
    ):
        page.click("a:has-text('Mở văn bản (PDF)')")  # opens in a new tab, in the browser's own viewer
    response = response_info.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    with site.gateway.sessions() as s:
        entry = s.scalars(select(RegisterEntryRow).where(RegisterEntryRow.number == 2)).one()
    # The browser shows it in its own PDF viewer; the bytes served are the original's, byte for byte.
    served = page.request.get(response.url).body()
    assert hashlib.sha256(served).hexdigest() == entry.document_sha256
    popup_info.value.close()  # (headless Chromium does not paint its PDF viewer into screenshots)

    page.click("nav a:has-text('Hàng chờ kiểm tra')")
    page.wait_for_selector("h1:has-text('Hàng chờ văn thư kiểm tra')")
    assert "[khẩn] Công văn số 4/STTTT-VP" in page.inner_text("main")
    _shot(page, shots, "3-quarantine")
    before = len(site.sink.received)
    page.fill("form[action$='/release'] textarea[name=note]", "Đã gọi điện xác minh với Sở")
    page.click("button:has-text('Tiếp nhận và vào sổ')")
    page.wait_for_selector("text=Đã tiếp nhận và vào sổ")
    [ack] = site.sink.wait_for(before + 1, timeout=60)[before:]
    assert ack.rcpt_tos == (SENDER,) and ack.message["Subject"].startswith("Xác nhận đã nhận văn bản")
    assert "Số đến: 3" in ack.message.get_content()
    with site.gateway.sessions() as s:
        assert s.scalars(select(LetterRow.state).where(LetterRow.subject.like("[khẩn]%"))).one() == LetterState.FILED

    page.click("nav a:has-text('Sổ đăng ký')")
    page.wait_for_selector("text=SỔ ĐĂNG KÝ VĂN BẢN ĐẾN")
    # The page opens on this month. Letters that came in after hours on a month's last day are officially
    # received next month (R13): the clerk picks the period of the entries, as on any day.
    with site.gateway.sessions() as s:
        days = [aware(t).astimezone(VN_TZ).date() for t in s.scalars(select(RegisterEntryRow.official_received_at))]
    page.fill("input[name=from]", f"{min(days):%d/%m/%Y}")
    page.fill("input[name=to]", f"{max(days):%d/%m/%Y}")
    page.click("button:has-text('Xem')")
    page.wait_for_selector(f"input[name=to][value='{max(days):%d/%m/%Y}']")
    with page.expect_download() as download_info:
        page.click("a:has-text('Tải XLSX')")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    sheet = load_workbook(saved).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "Ngày đến")
    assert values[header][:4] == ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu"]
    lines = values[header + 2 :]
    assert [(r[1], r[3]) for r in lines] == [("1", "1/STTTT-VP"), ("2", "2/STTTT-VP"), ("3", "4/STTTT-VP")]
    assert lines[1][5] == "Công văn V/v phòng chống bão số 3" and lines[1][2].startswith("Sở Thông tin")
    _shot(page, shots, "4-official-register")

    page.click("nav a:has-text('Báo cáo')")
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart").count() == 7
    _shot(page, shots, "5-report")

    page.goto(f"{site.web.url}/register?number=1")
    page.locator("table.register a").first.click()
    page.wait_for_selector("form[action$='/note']")
    page.locator("form[action$='/note'] input[name=csrf]").evaluate("el => el.remove()")  # a forged form
    page.fill("form[action$='/note'] textarea[name=text]", "ghi chú giả mạo")
    page.click("button:has-text('Thêm ghi chú')")
    page.wait_for_selector("text=thiếu mã xác thực CSRF")
    with site.gateway.sessions() as s:
        assert "giả mạo" not in (
            s.scalars(select(RegisterEntryRow.notes).where(RegisterEntryRow.number == 1)).one() or ""
        )
    page.close()


def test_a_leader_reads_but_cannot_act(site, browser):
    browser.clear_cookies()
    page = browser.new_page()
    _login(page, site, "hung")
    assert "Lê Văn Hùng" in page.inner_text("header")
    page.goto(f"{site.web.url}/register?number=1")
    page.locator("table.register a").first.click()
    page.wait_for_selector("h1:has-text('Văn bản đến số 1/')")
    assert page.locator("form[action$='/note']").count() == 0 and page.locator("form[action$='/assign']").count() == 0
    token = page.locator("form[action='/logout'] input[name=csrf]").get_attribute("value")
    entry_path = page.url.split(site.web.url, 1)[1]
    refused = page.request.post(f"{site.web.url}{entry_path}/note", form={"csrf": token, "text": "lãnh đạo ghi"})
    assert refused.status == 403 and "lãnh đạo" in refused.text()
    with site.gateway.sessions() as s:
        assert s.scalars(select(OutboxRow).where(OutboxRow.state == "failed")).all() == []
    page.close()
