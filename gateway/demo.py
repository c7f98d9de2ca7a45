"""`gateway demo`: the whole gateway on the embedded default, fed realistic letters made at run time.

It makes a work folder (SQLite register, local storage, a demo trust folder with a throw-away CA, a demo
agency directory), starts the daemon with its SMTP intake on a loopback port and a local SMTP sink for
replies, sends a few letters the way agencies do (DKIM-signed by the sender's mail system) — a scan of a
decision signed by the leader and the agency, an unsigned scanned invitation from the issuer's registry
mailbox (legally valid by origin, BG Đ4.1), a secret report, a broken attachment — waits until every one has an
outcome and its reply is sent, then prints the register and the replies.
"""

from __future__ import annotations

import smtplib
import time
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from rich.console import Console
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
        _letter(
            "Công văn gửi lại",
            "Gửi lại công văn.\n",
            [("cong-van.pdf", b"<html><body>Not a PDF at all</body></html>")],
        ),
    ]
    return [dkim_sign(msg.as_bytes(policy=SMTP), dkim_key) for msg in letters]


def run_demo(work: Path | None = None, *, console: Console | None = None, timeout: float = 180.0) -> int:
    """Run the demo; returns a process exit code (0 when every letter got its outcome and reply)."""
    from gateway.daemon import Gateway
    from gateway.models import LetterState
    from gateway.register.schema import LetterRow, OutboxRow
    from gateway.register.sql import entry_dict, list_entries

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
            if letters_done >= len(letters) and unsent == 0:
                break
            time.sleep(0.5)
        else:
            out.print("[red]timed out waiting for the gateway[/red]")
            return 1
    finally:
        gateway.stop()
        sink.stop()
    from gateway.cli.register import print_entries

    with gateway.sessions() as s:
        rows = [entry_dict(r) for r in list_entries(s)]
    print_entries(rows, out)
    for received in sink.received:
        m = received.message
        out.print(Panel(m.get_content(), title=f"{m['Subject']}  →  {m['To']}", expand=False))
    out.print(f"Register: {settings.database_url}\nOriginals: {settings.storage_dir / 'raw'}")
    return 0
