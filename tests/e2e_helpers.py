"""What the end-to-end tests share: a config.toml for a real Dovecot user and a real SMTP sink."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gateway.config import Settings, load_settings
from gateway.samples.render import SampleDoc, render_document
from gateway.samples.sink import SmtpSink
from tests.hostile_samples import SENDER, good_letter
from tests.servers.dovecot import DovecotServer

OUR_ADDRESS = "vanthu@ubnd.example.gov.vn"


@dataclass(frozen=True)
class Env:
    settings: Settings
    config: Path
    user: str


def write_config(
    tmp_path: Path,
    dovecot: DovecotServer,
    user: str,
    sink: SmtpSink,
    *,
    database_url: str | None = None,
    extra: str = "",
    mailbox_extra: str = "",
    outgoing_extra: str = "",
    gateway_extra: str = "",
) -> Env:
    db = f'database_url = "{database_url}"' if database_url else ""
    agencies = tmp_path / "agencies.toml"
    agencies.write_text(
        f"""
[[agency]]
name = "Sở Thông tin và Truyền thông thành phố Hà Nội"
code = "000.00.21.H26"
mailboxes = ["{SENDER}"]
domains = ["sotttt.hanoi.gov.vn"]
""",
        encoding="utf-8",
    )
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[gateway]
storage_dir = "storage"
{db}
{gateway_extra}

[agency]
name = "Ủy ban nhân dân thành phố Thử Nghiệm"
code = "000.00.00.H99"

[[mailbox]]
name = "vanthu"
host = "{dovecot.host}"
port = {dovecot.port}
tls = "plain"
allow_plain = true
username = "{user}"
password = "{dovecot.users[user]}"
poll_seconds = 1
timeout_seconds = 10
{mailbox_extra}

[outgoing]
host = "127.0.0.1"
port = {sink.port}
from_address = "{OUR_ADDRESS}"
retry_base_seconds = 0.2
timeout_seconds = 5
rate_limit_per_hour = 1000
{outgoing_extra}

[directory]
file = "agencies.toml"
{extra}
""",
        encoding="utf-8",
    )
    return Env(load_settings(config), config, user)


def numbered_letter(n: int, *, message_id: str | None = None) -> bytes:
    """A distinct, ordinary letter carrying a distinct công văn (its own number and bytes)."""
    pdf = render_document(
        SampleDoc(
            issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
            parent_issuer="UBND THÀNH PHỐ HÀ NỘI",
            number=f"{n}/STTTT-VP",
            place="Hà Nội",
            date=date(2026, 3, 2),
            title="",
            subject=f"V/v triển khai nhiệm vụ chuyển đổi số đợt {n}",
            authority="KT. GIÁM ĐỐC",
            signer_title="PHÓ GIÁM ĐỐC",
            signer_name="Phạm Minh Đức",
            recipients_paper=("Như trên;", "Lưu: VT, VP."),
        )
    )
    return good_letter(
        [(f"{n}-STTTT-VP.pdf", pdf)],
        subject=f"Công văn số {n}/STTTT-VP V/v triển khai nhiệm vụ chuyển đổi số đợt {n}",
        message_id=message_id or f"<cv{n}.20260302@sotttt.hanoi.gov.vn>",
    )


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def smtp_daemon_config(tmp_path: Path, sink: SmtpSink, *, extra: str = "", authenticity: str = "") -> tuple[Path, int]:
    """config.toml for a daemon taking letters over its own SMTP listener (a free port) and replying to `sink`;
    the sample sender is a registry mailbox of the directory. `authenticity`: more `[authenticity]` keys."""
    from gateway.samples.sink import free_port

    port = free_port()
    (tmp_path / "dkim").mkdir(exist_ok=True)
    (tmp_path / "agencies.toml").write_text(
        f'[[agency]]\nname = "Sở Thông tin và Truyền thông thành phố Hà Nội"\nmailboxes = ["{SENDER}"]\n'
        'domains = ["sotttt.hanoi.gov.vn"]\n',
        encoding="utf-8",
    )
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f"""
[smtp_listener]
enabled = true
port = {port}
addresses = ["{OUR_ADDRESS}"]
[outgoing]
port = {sink.port}
from_address = "{OUR_ADDRESS}"
[directory]
file = "agencies.toml"
[authenticity]
dkim_keys_dir = "dkim"
use_dns = false
{authenticity}
[alerts]
on_duty = ["truc.ban@ubnd.example.gov.vn"]
{extra}
""",
        encoding="utf-8",
    )
    return cfg, port
