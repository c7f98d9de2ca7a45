"""`gateway demo`: the whole gateway on the embedded default, fed realistic letters made at run time.

It makes a work folder (SQLite register, local storage, a demo trust folder with a throw-away CA, a demo
agency directory), starts the daemon with its SMTP intake on a loopback port and a local SMTP sink for
replies, sends a few letters the way agencies do (DKIM-signed by the sender's mail system) — a scan of a
decision signed by the leader and the agency, an unsigned scanned invitation from the issuer's registry
mailbox (legally valid by origin, BG Đ4.1), a secret report, a broken attachment, a file whose name hides its
real extension — waits until every one has an outcome, its reply is sent and its accepted documents are in the
DMS's folder as edXML packages, then prints the register, the replies and one package. With `web=True` it then
serves the clerk's web workplace with a demo clerk account (printing the address and the credentials) until
Ctrl+C, the daemon still running so that a clerk's release is answered.
"""

from __future__ import annotations

import secrets
import smtplib
import threading
import time
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from gateway.config import load_settings
from gateway.intake.spool import now_utc
from gateway.samples.render import SampleDoc, render_document, render_scan
from gateway.samples.sink import SmtpSink, free_port

SENDER_DOMAIN = "stc.khanhhoa.gov.vn"
SENDER = f"vanthu@{SENDER_DOMAIN}"
OUR_ADDRESS = "vanthu@ubnd.demo.gov.vn"

AGENCIES = f"""
[[agency]]
name = "Sở Tài chính tỉnh Khánh Hòa"
code = "000.00.12.H34"
mailboxes = ["{SENDER}"]
domains = ["{SENDER_DOMAIN}"]
certificate_subjects = ["Sở Tài chính tỉnh Khánh Hòa"]
"""


def _config(work: Path, smtp_port: int, sink_port: int) -> Path:
    (work / "agencies.toml").write_text(AGENCIES, encoding="utf-8")
    cfg = work / "config.toml"
    cfg.write_text(
        f"""
[gateway]
storage_dir = "storage"

[agency]
name = "Ủy ban nhân dân tỉnh Demo"
code = "000.00.00.H99"

[smtp_listener]
enabled = true
host = "127.0.0.1"
port = {smtp_port}
addresses = ["{OUR_ADDRESS}"]

[outgoing]
host = "127.0.0.1"
port = {sink_port}
from_address = "{OUR_ADDRESS}"
retry_base_seconds = 1

[signatures]
trust_dir = "pki/trust"
fetch_revocation = false   # the throw-away CA's CRLs are in its trust folder; nothing to fetch

[directory]
file = "agencies.toml"

[authenticity]
dkim_keys_dir = "dkim"

[rules]
profile = "khanh-hoa"

[dms]                                   # the agency's DMS imports edXML packages from a shared folder
backends = ["builtin", "edxml-folder"]
[dms.folder]
outgoing = "dms/outgoing"
incoming = "dms/incoming"
""",
        encoding="utf-8",
    )
    return cfg


def _letter(subject: str, body: str, attachments: list[tuple[str, bytes]]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Văn thư Sở Tài chính <{SENDER}>"
    msg["To"] = OUR_ADDRESS
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now_utc())
    msg["Message-ID"] = make_msgid(domain=SENDER_DOMAIN)
    msg.set_content(body)
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return msg


def _letters(work: Path) -> list[bytes]:
    """The demo's letters as the sending province's mail system sends them: DKIM-signed raw bytes."""
    from gateway.samples.pki import dkim_sign, make_dkim_key, make_pki, sign_pdf

    dkim_key = make_dkim_key(work / "dkim", SENDER_DOMAIN)

    pki = make_pki(work / "pki", agency_name="Sở Tài chính tỉnh Khánh Hòa", person_name="Nguyễn Văn An")
    sender: dict[str, Any] = {"parent_issuer": "UBND TỈNH KHÁNH HÒA", "issuer": "SỞ TÀI CHÍNH", "place": "Khánh Hòa"}
    decision = render_document(
        SampleDoc(
            **sender,
            number="125/QĐ-STC",
            date=date(2026, 11, 18),
            title="QUYẾT ĐỊNH",
            subject="Về việc phân bổ kinh phí chuyển đổi số năm 2026",
            authority="KT. GIÁM ĐỐC",
            signer_title="PHÓ GIÁM ĐỐC",
            signer_name="Nguyễn Văn An",
            recipients_paper=("Như Điều 3;", "Lưu: VT, KHTC."),
        )
    )
    signed_scan = sign_pdf(render_scan(decision, seed=1), pki.person, field_name="LanhDao", visible=True)
    signed_scan = sign_pdf(signed_scan, pki.agency, field_name="CoQuan")
    invitation = render_scan(
        render_document(
            SampleDoc(
                **sender,
                number="2140/GM-STC",
                date=date(2026, 11, 19),
                title="GIẤY MỜI",
                subject="Dự họp triển khai quyết toán ngân sách năm 2026",
                authority="TL. GIÁM ĐỐC",
                signer_title="CHÁNH VĂN PHÒNG",
                signer_name="Trần Thị Bình",
                recipients_paper=("Như trên;", "Lưu: VT."),
            )
        ),
        seed=2,
    )
    secret = render_document(
        SampleDoc(
            **sender,
            number="77/BC-STC",
            date=date(2026, 11, 20),
            title="BÁO CÁO",
            subject="Tình hình thực hiện dự toán quý III",
            secrecy="MẬT",
            authority="KT. GIÁM ĐỐC",
            signer_title="PHÓ GIÁM ĐỐC",
            signer_name="Nguyễn Văn An",
        )
    )
    notice = render_document(
        SampleDoc(
            **sender,
            number="2141/STC-KHTC",
            date=date(2026, 11, 20),
            title="",
            subject="V/v góp ý dự thảo kế hoạch chuyển đổi số năm 2027",
            authority="KT. GIÁM ĐỐC",
            signer_title="PHÓ GIÁM ĐỐC",
            signer_name="Nguyễn Văn An",
            recipients_paper=("Như trên;", "Lưu: VT, KHTC."),
        )
    )
    letters = [
        _letter(
            "Số 125/QĐ-STC V/v phân bổ kinh phí chuyển đổi số năm 2026",
            "Kính gửi Văn thư UBND tỉnh,\nSở Tài chính gửi Quyết định số 125/QĐ-STC (bản ký số).\n",
            [("125-QD-STC.pdf", signed_scan)],
        ),
        _letter(
            "Giấy mời họp số 2140/GM-STC",
            "Kính gửi Văn thư,\nĐề nghị bố trí dự họp theo giấy mời đính kèm.\n",
            [("giay-moi-2140.pdf", invitation)],
        ),
        _letter("Báo cáo số 77/BC-STC", "Kính gửi,\nGửi báo cáo quý III.\n", [("77-BC-STC.pdf", secret)]),
        _letter(  # a right-to-left override hides the file's real name: quarantined for a clerk
            "[khẩn] Công văn số 2141/STC-KHTC",
            "Kính gửi Văn thư,\nGửi công văn đính kèm.\n",
            [("cong-van-2141\u202efdp.pdf", notice)],
        ),
        _letter(
            "Công văn gửi lại",
            "Gửi lại công văn.\n",
            [("cong-van.pdf", b"<html><body>Not a PDF at all</body></html>")],
        ),
    ]
    return [dkim_sign(msg.as_bytes(policy=SMTP), dkim_key) for msg in letters]


def run_demo(
    work: Path | None = None,
    *,
    console: Console | None = None,
    timeout: float = 180.0,
    web: bool = False,
    stop: threading.Event | None = None,
) -> int:
    """Run the demo; returns a process exit code (0 when every letter got its outcome and reply). With `web`,
    then serve the workplace until Ctrl+C (or until `stop` is set)."""
    from gateway.daemon import Gateway
    from gateway.models import LetterState
    from gateway.register.schema import DmsHandoffRow, LetterRow, OutboxRow

    out = console or Console()
    work = (work or Path("storage") / f"demo-{time.strftime('%Y%m%d-%H%M%S')}").resolve()
    work.mkdir(parents=True, exist_ok=True)
    sink = SmtpSink().start()
    smtp_port = free_port()
    settings = load_settings(_config(work, smtp_port, sink.port))
    out.print(f"[bold]Demo work folder:[/bold] {work}")
    out.print("Making sample letters (signed and unsigned scans, a secret report, a broken file)…")
    letters = _letters(work)
    gateway = Gateway(settings)
    gateway.start()
    try:
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=30) as smtp:
            for raw in letters:
                smtp.sendmail(SENDER, [OUR_ADDRESS], raw)
        out.print(f"Sent {len(letters)} letters to {OUR_ADDRESS} over SMTP; waiting for the gateway…")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with gateway.sessions() as s:
                letters_done = s.query(LetterRow).filter(LetterRow.state != LetterState.RECEIVED).count()
                unsent = s.query(OutboxRow).filter(OutboxRow.state.in_(("pending", "sending"))).count()
                unsent += s.query(DmsHandoffRow).filter(DmsHandoffRow.state.in_(("pending", "sending"))).count()
            if letters_done >= len(letters) and unsent == 0:
                break
            time.sleep(0.5)
        else:
            out.print("[red]timed out waiting for the gateway[/red]")
            return 1
        _show(out, gateway, sink, settings)
        _show_packages(work / "dms" / "outgoing", out)
        if web:
            _serve(out, gateway, settings, stop or threading.Event())
    finally:
        gateway.stop()
        sink.stop()
    return 0


def _show(out: Console, gateway, sink: SmtpSink, settings) -> None:
    from gateway.cli.register import print_entries
    from gateway.register.sql import entry_dict, list_entries

    with gateway.sessions() as s:
        rows = [entry_dict(r) for r in list_entries(s)]
    print_entries(rows, out)
    for received in list(sink.received):
        m = received.message
        out.print(Panel(escape(m.get_content()), title=escape(f"{m['Subject']}  →  {m['To']}"), expand=False))
    out.print(f"Register: {settings.database_url}\nOriginals: {settings.storage_dir / 'raw'}")


def _show_packages(folder: Path, out: Console) -> None:
    """The edXML packages handed to the DMS folder, and the first one: read back, checked, and trimmed."""
    import re

    from gateway.cli.show import print_package
    from gateway.edxml import read_package, schema_errors

    packages = sorted(folder.glob("*.edxml"))
    out.print(f"[bold]edXML packages for the DMS[/bold] ({folder}): {', '.join(p.name for p in packages)}")
    if not packages:
        return
    data = packages[0].read_bytes()
    print_package(read_package(data), schema_errors(data), console=out)
    text = re.sub(r"(<ContentTransferEncoded>)([^<]{60})[^<]*", r"\1\2…", data.decode("utf-8"))
    out.print(Panel(escape(text), title=f"{packages[0].name} (Base64 trimmed)", expand=False))


DEMO_CLERK = "vanthu"


def _serve(out: Console, gateway, settings, stop: threading.Event) -> None:
    """The clerk's workplace on a loopback port, with a demo clerk account, until Ctrl+C or `stop`."""
    from gateway.web.app import create_app
    from gateway.web.server import WebServer
    from gateway.web.users import Role, add_user

    password = secrets.token_urlsafe(9)
    with gateway.sessions.begin() as s:
        add_user(s, username=DEMO_CLERK, full_name="Văn thư (demo)", role=Role.VAN_THU, password=password)
    server = WebServer(create_app(settings, writers=gateway.sessions, stages=gateway.stages), port=free_port()).start()
    out.print(
        Panel(
            f"Trang làm việc của văn thư: [bold]{server.url}/[/bold]\n"
            f"Tài khoản: [bold]{DEMO_CLERK}[/bold]   Mật khẩu: [bold]{escape(password)}[/bold]\n"
            "Một thư đang chờ văn thư kiểm tra (Hàng chờ kiểm tra). Nhấn Ctrl+C để dừng.",
            title="Web workplace",
            expand=False,
        )
    )
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        out.print("stopping…")
    finally:
        server.stop()
