"""The register from the command line, for clerks: Vietnamese labels, Rich markup shown as typed, dates as
clerks write them, the Phụ lục IV export; readers need no password and never wait behind the writer."""

from __future__ import annotations

import sqlite3
import threading
import time
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, text
from typer.testing import CliRunner

from gateway.cli import app
from gateway.register.db import open_reader
from gateway.register.schema import AuditRow, RegisterEntryRow
from gateway.web.users import authenticate

runner = CliRunner()


def _run(*args: str, input: str | None = None, env: dict | None = None):
    return runner.invoke(app, list(args), input=input, env={"COLUMNS": "220", **(env or {})})


def test_listing_in_vietnamese_with_markup_escaped_and_dates_as_clerks_write_them(sqlite_workplace):
    cfg = str(sqlite_workplace.settings.file)
    letters = _run("register", "letters", "--config", cfg)
    assert letters.exit_code == 0, letters.output
    assert "[khẩn] Công văn số 4/STTTT-VP" in letters.stdout  # Rich would have eaten "[khẩn]"
    assert "chờ văn thư kiểm tra" in letters.stdout and "tên tệp đáng ngờ" in letters.stdout
    assert "tiếp nhận" in letters.stdout and "accepted" not in letters.stdout
    today = time.strftime("%d/%m/%Y")
    listed = _run("register", "list", "--since", today, "--config", cfg)
    assert listed.exit_code == 0 and "1/2026" in listed.stdout and "chỉ bản giấy (chờ bản giấy)" in listed.stdout
    assert "paper_only" not in listed.stdout
    bad = _run("register", "list", "--since", "31/02/2026", "--config", cfg)
    assert bad.exit_code == 2 and "dd/mm/yyyy" in bad.output


def test_export_the_register_form_in_three_formats(sqlite_workplace, tmp_path):
    cfg = str(sqlite_workplace.settings.file)
    outputs = {}
    for fmt in ("xlsx", "pdf", "csv"):
        path = tmp_path / f"so.{fmt}"
        result = _run(
            "register",
            "export",
            "--from",
            "01/01/2026",
            "--to",
            "31/12/2026",
            "--format",
            fmt,
            "-o",
            str(path),
            "--config",
            cfg,
        )
        assert result.exit_code == 0, result.output
        assert f"{path}: 3 entries" in result.stdout
        outputs[fmt] = path.read_bytes()
    sheet = load_workbook(BytesIO(outputs["xlsx"])).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"] == [r[0] for r in values if r[0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"]
    assert [r[1] for r in values[-3:]] == ["1", "2", "3"]
    assert "Từ số 1 đến số 3" in PdfReader(BytesIO(outputs["pdf"])).pages[0].extract_text()
    csv_lines = outputs["csv"].decode("utf-8-sig").splitlines()
    assert csv_lines[1].split(",")[1:4] == ["1", "Sở Thông tin và Truyền thông thành phố Hà Nội", "1/STTTT-VP"]
    wrong = _run("register", "export", "--from", "02/01/2026", "--to", "01/01/2026", "--config", cfg)
    assert wrong.exit_code == 2 and "--from is after --to" in wrong.output


def test_readers_need_no_mailbox_password(sqlite_workplace):
    cfg = sqlite_workplace.settings.file
    cfg.write_text(
        cfg.read_text(encoding="utf-8")
        + '\n[[mailbox]]\nname = "vanthu"\nhost = "127.0.0.1"\nusername = "vanthu"\npassword_env = "GW_NO_SUCH_VAR"\n',
        encoding="utf-8",
    )
    assert _run("register", "list", "--config", str(cfg)).exit_code == 0
    assert _run("register", "letters", "--config", str(cfg)).exit_code == 0
    daemon = _run("run", "--once", "--config", str(cfg))
    assert daemon.exit_code == 2 and "GW_NO_SUCH_VAR is not set" in daemon.output  # the daemon does need it


def test_a_reader_never_waits_behind_the_writer(sqlite_workplace):
    path = sqlite_workplace.settings.database_url.split("///", 1)[1]
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the daemon in the middle of a transaction
    writer.execute("UPDATE register_entries SET notes = 'chưa lưu' WHERE number = 1")
    seen: list = []

    def read() -> None:
        with open_reader(sqlite_workplace.settings.database_url)() as s:
            seen.append(s.scalar(select(RegisterEntryRow.notes).where(RegisterEntryRow.number == 1)))
            try:
                s.execute(text("DELETE FROM audit_log"))
            except Exception as exc:  # a reader cannot write, even by mistake
                seen.append(type(exc).__name__)

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(10)  # a writer's BEGIN IMMEDIATE would wait here for the 60 s busy timeout
    writer.execute("ROLLBACK")
    writer.close()
    assert not reader.is_alive()
    assert seen[0] != "chưa lưu" and seen[1] == "OperationalError"  # the last committed state; query_only


def test_users_are_created_from_the_command_line(sqlite_workplace):
    cfg = str(sqlite_workplace.settings.file)
    short = _run("users", "add", "thu", "--role", "van_thu", "--password-stdin", "--config", cfg, input="ngắn\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    ok = _run(
        "users",
        "add",
        "Thu",
        "--role",
        "lanh_dao",
        "--name",
        "Phạm Thị Thu",
        "--password-stdin",
        "--config",
        cfg,
        input="một mật khẩu dài\n",
    )
    assert ok.exit_code == 0, ok.output
    again = _run("users", "add", "thu", "--role", "admin", "--password-stdin", "--config", cfg, input="x" * 12 + "\n")
    assert again.exit_code == 1 and "exists already" in again.output
    listed = _run("users", "list", "--config", cfg)
    assert "Phạm Thị Thu" in listed.stdout and "lãnh đạo" in listed.stdout
    assert _run("users", "disable", "thu", "--config", cfg).exit_code == 0
    with sqlite_workplace.sessions.begin() as s:
        assert authenticate(s, "thu", "một mật khẩu dài") is None  # locked
        assert [a.action for a in s.scalars(select(AuditRow).where(AuditRow.actor == "cli"))] == [
            "user_add",
            "user_disable",
        ]
