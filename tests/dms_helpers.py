"""What the DMS tests share: a gateway configured with DMS backends, DKIM keys for two agencies, letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from gateway.config import Settings, load_settings
from gateway.intake.spool import admit
from gateway.models import Source
from gateway.pipeline import Stages, build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.register.dms import DmsRuntime, build_dms
from gateway.samples.pki import DkimKey, dkim_sign, make_dkim_key
from tests.hostile_samples import SENDER, good_letter

ICT = timezone(timedelta(hours=7))
OURS = "vanthu@ubnd.example.gov.vn"
ADMIN = "quan.tri@ubnd.example.gov.vn"
SENDER_CODE = "000.00.21.H26"
OTHER = "vanthu@soyte.hanoi.gov.vn"  # another agency's registry mailbox
AGENCIES = f"""
[[agency]]
name = "Sở Thông tin và Truyền thông thành phố Hà Nội"
code = "{SENDER_CODE}"
mailboxes = ["{SENDER}"]
domains = ["sotttt.hanoi.gov.vn"]

[[agency]]
name = "Sở Y tế thành phố Hà Nội"
code = "000.00.22.H26"
mailboxes = ["{OTHER}"]
domains = ["soyte.hanoi.gov.vn"]
"""


def crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@dataclass
class DmsEnv:
    settings: Settings
    config: Path
    sessions: sessionmaker[Session]
    stages: Stages
    rt: DmsRuntime
    keys: dict[str, DkimKey]

    def signed(self, raw: bytes, domain: str = "sotttt.hanoi.gov.vn") -> bytes:
        return dkim_sign(crlf(raw), self.keys[domain])

    def admit(self, raw: bytes, minute: int = 0) -> int:
        received = datetime(2026, 3, 3, 9, 0, tzinfo=ICT) + timedelta(minutes=minute)
        return admit(self.sessions, self.settings.storage_dir, raw, source=Source.FILE, received_at=received).letter_id

    def process(self):
        return process_pending(self.sessions, self.stages)


def write_dms_config(tmp_path: Path, dms: str, *, outgoing_port: int = 25, database_url: str | None = None) -> Path:
    (tmp_path / "agencies.toml").write_text(AGENCIES, encoding="utf-8")
    (tmp_path / "dkim").mkdir(exist_ok=True)
    db = f'database_url = "{database_url}"' if database_url else ""
    config = tmp_path / "config.toml"
    config.write_text(
        f"""
[gateway]
storage_dir = "storage"
{db}

[agency]
name = "Ủy ban nhân dân thành phố Thử Nghiệm"
code = "000.00.00.H99"

[outgoing]
port = {outgoing_port}
from_address = "{OURS}"
retry_base_seconds = 0.2
timeout_seconds = 5
rate_limit_per_hour = 1000

[directory]
file = "agencies.toml"

[authenticity]
dkim_keys_dir = "dkim"
use_dns = false

[alerts]
admin = ["{ADMIN}"]

{dms}
""",
        encoding="utf-8",
    )
    return config


def dms_env(tmp_path: Path, dms: str) -> DmsEnv:
    keys = {d: make_dkim_key(tmp_path / "dkim", d) for d in ("sotttt.hanoi.gov.vn", "soyte.hanoi.gov.vn")}
    config = write_dms_config(tmp_path, dms)
    settings = load_settings(config)
    stages = build_stages(settings)
    rt = build_dms(settings, stages.templates, stages.alerts.admin)
    return DmsEnv(settings, config, open_database(settings.database_url), stages, rt, keys)


def request_letter(subject: str, body: str, *, from_: str = SENDER, message_id: str, pdfs=()) -> bytes:
    """A letter as an agency's registry sends it to ask for a recall or a replacement (R17)."""
    return good_letter(
        pdfs, subject=subject, body=body, from_=f"Văn thư <{from_}>", message_id=message_id, return_path=f"<{from_}>"
    )
