"""A register with letters in it, as the clerk's workplace finds it: three accepted letters (one urgent, one
from an agency in the directory), one quarantined (a file name with a hidden bidi control), users of the
three roles. Made through the real intake and processor on SQLite or a throw-away PostgreSQL database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from gateway.config import Settings, load_settings
from gateway.intake.spool import admit
from gateway.models import Source
from gateway.pipeline import Stages, build_stages
from gateway.processor import process_pending
from gateway.register.db import open_database
from gateway.samples.render import SampleDoc, render_document
from gateway.web.users import Role, add_user
from tests.hostile_samples import SENDER, good_letter

UNITS = ("Phòng Tổng hợp", "Phòng Kinh tế", "Đồng chí Phó Chủ tịch Lê Văn Hùng")
PASSWORDS = {"lan": "mật-khẩu-văn-thư-1", "hung": "mật-khẩu-lãnh-đạo", "root": "mật-khẩu-quản-trị"}
HIDDEN_NAME = "cong-van\u202efdp.pdf"  # shows as "cong-vanpdf.pdf": a bidi override hides the real name


@dataclass
class Workplace:
    settings: Settings
    sessions: sessionmaker[Session]
    stages: Stages
    quarantined_id: int


def write_config(tmp_path: Path, database_url: str | None, *, extra: str = "") -> Path:
    (tmp_path / "agencies.toml").write_text(
        f'[[agency]]\nname = "Sở Thông tin và Truyền thông thành phố Hà Nội"\ncode = "000.00.21.H26"\n'
        f'mailboxes = ["{SENDER}"]\ndomains = ["sotttt.hanoi.gov.vn"]\n',
        encoding="utf-8",
    )
    db = f'database_url = "{database_url}"\n' if database_url else ""
    units = ", ".join(f'"{u}"' for u in UNITS)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[gateway]\nstorage_dir = "storage"\n{db}\n[agency]\nname = "Ủy ban nhân dân thành phố Thử Nghiệm"\n'
        f'code = "000.00.00.H99"\nparent = "Chính phủ"\n\n[directory]\nfile = "agencies.toml"\n\n'
        f"[web]\nunits = [{units}]\nlogin_attempts = 3\n{extra}",
        encoding="utf-8",
    )
    return config


def document(n: int, *, urgency: str | None = None, subject: str | None = None) -> bytes:
    return render_document(
        SampleDoc(
            issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
            parent_issuer="UBND THÀNH PHỐ HÀ NỘI",
            number=f"{n}/STTTT-VP",
            place="Hà Nội",
            date=date(2026, 3, 2),
            title="",
            subject=subject or f"V/v triển khai nhiệm vụ chuyển đổi số đợt {n}",
            urgency=urgency or "",
            authority="KT. GIÁM ĐỐC",
            signer_title="PHÓ GIÁM ĐỐC",
            signer_name="Phạm Minh Đức",
            recipients_paper=("Như trên;", "Lưu: VT, VP."),
        )
    )


def fill(settings: Settings, sessions: sessionmaker[Session], stages: Stages) -> int:
    """The letters and the users; returns the quarantined letter's id."""
    now = datetime.now(UTC).replace(microsecond=0)
    letters = [
        good_letter([("1-STTTT-VP.pdf", document(1))], subject="Công văn số 1/STTTT-VP", message_id="<cv1@sotttt>"),
        good_letter(
            [("2-STTTT-VP.pdf", document(2, urgency="HỎA TỐC", subject="V/v phòng chống bão số 3"))],
            subject="Công văn hỏa tốc số 2/STTTT-VP",
            message_id="<cv2@sotttt>",
        ),
        good_letter([("3-STTTT-VP.pdf", document(3))], subject="Công văn số 3/STTTT-VP", message_id="<cv3@sotttt>"),
        good_letter([(HIDDEN_NAME, document(4))], subject="[khẩn] Công văn số 4/STTTT-VP", message_id="<cv4@sotttt>"),
    ]
    for i, raw in enumerate(letters):
        admit(sessions, settings.storage_dir, raw, source=Source.FILE, received_at=now - timedelta(minutes=10 - i))
    done = process_pending(sessions, stages)
    assert [p.outcome for p in done] == ["accepted", "accepted", "accepted", "quarantined"], done
    with sessions.begin() as s:
        add_user(s, username="lan", full_name="Nguyễn Thị Lan", role=Role.VAN_THU, password=PASSWORDS["lan"])
        add_user(s, username="hung", full_name="Lê Văn Hùng", role=Role.LANH_DAO, password=PASSWORDS["hung"])
        add_user(s, username="root", full_name="Quản trị hệ thống", role=Role.ADMIN, password=PASSWORDS["root"])
    return done[-1].letter_id


def make_workplace(tmp_path: Path, database_url: str | None) -> Workplace:
    settings = load_settings(write_config(tmp_path, database_url))
    sessions = open_database(settings.database_url)
    stages = build_stages(settings)
    return Workplace(settings, sessions, stages, fill(settings, sessions, stages))


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Workplace:
    """Built once: each test gets a copy of its database (`sqlite_workplace`)."""
    return make_workplace(tmp_path_factory.mktemp("workplace"), None)


def _copy(template: Workplace, tmp_path: Path) -> Workplace:
    """A private copy of the template's register (SQLite's backup API: consistent, WAL included). The
    originals stay in the template's spool, which nobody writes to (R20)."""
    import sqlite3

    source_url = template.settings.database_url
    settings = load_settings(write_config(tmp_path, None))
    src = sqlite3.connect(source_url.split("///", 1)[1])
    Path(settings.database_url.split("///", 1)[1]).parent.mkdir(parents=True)
    dst = sqlite3.connect(settings.database_url.split("///", 1)[1])
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return Workplace(settings, open_database(settings.database_url), template.stages, template.quarantined_id)


@pytest.fixture
def sqlite_workplace(_sqlite_template, tmp_path) -> Workplace:
    return _copy(_sqlite_template, tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def workplace(request, tmp_path) -> Workplace:
    if request.param == "postgresql":
        return make_workplace(tmp_path, request.getfixturevalue("postgres_url"))
    return _copy(request.getfixturevalue("_sqlite_template"), tmp_path)
