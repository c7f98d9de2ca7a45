"""`gateway calendar official-time | holidays | check` (R13, R14)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gateway.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_local_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no ./config.toml is, so "no --config" means the built-in defaults."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def run(*args: str):
    return runner.invoke(app, ["calendar", *args])


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_official_time_json_after_hours_on_new_years_eve():
    result = run("official-time", "2025-12-31T22:00:00+07:00", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["received_at"] == "2025-12-31T22:00:00+07:00"
    assert data["official_received_at"] == "2026-01-02T07:30:00+07:00"  # 01/01 is a holiday
    assert data["after_hours"] is True
    assert data["deadline"] == "2026-01-13"  # 7 working days from Friday 02/01
    assert data["urgent_alert"] is False


def test_official_time_in_utc_and_urgent():
    result = run("official-time", "2026-01-05T10:00:01Z", "--urgency", "hoa_toc", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["received_at"] == "2026-01-05T17:00:01+07:00"
    assert data["official_received_at"] == "2026-01-06T07:30:00+07:00"
    assert data["deadline"] == "2026-01-06"  # hỏa tốc: the same working day
    assert data["urgent_alert"] is True


def test_official_time_inside_office_hours_as_text():
    result = run("official-time", "2026-01-05T17:00:00")  # no offset: Vietnam time
    assert result.exit_code == 0, result.output
    assert "received at:    2026-01-05T17:00:00+07:00  (Thứ Hai)" in result.stdout
    assert "official time:  2026-01-05T17:00:00+07:00" in result.stdout
    assert "after hours:    no" in result.stdout
    assert "deadline:       2026-01-14  (7 working days, normal)" in result.stdout


def test_official_time_rejects_garbage():
    result = run("official-time", "yesterday evening")
    assert result.exit_code == 2
    assert "not an ISO 8601 time" in result.output
    result = run("official-time", "9999-12-31T23:59:59+07:00")
    assert result.exit_code == 2
    assert "outside the years 1976–2100" in result.output


def test_official_time_with_a_config(tmp_path: Path):
    path = write_config(tmp_path, "[calendar]\nlunch_break_is_office_hours = true\n")
    result = run("official-time", "2026-01-05T12:00:00+07:00", "--json", "--config", str(path))
    assert json.loads(result.stdout)["after_hours"] is False
    default = json.loads(run("official-time", "2026-01-05T12:00:00+07:00", "--json").stdout)
    assert default["official_received_at"] == "2026-01-05T13:30:00+07:00"


def test_official_time_with_a_broken_config(tmp_path: Path):
    path = write_config(tmp_path, '[calendar]\nsessions = ["17:00-07:00"]\n')
    result = run("official-time", "2026-01-05T12:00:00+07:00", "--config", str(path))
    assert result.exit_code == 2
    assert f"{path}: calendar.sessions: session '17:00-07:00' ends before it starts" in result.output


def test_holidays_2026_json():
    result = run("holidays", "2026", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    by_date = {d["date"]: d for d in data["days"]}
    assert by_date["2026-08-22"]["kind"] == "working_day"
    assert by_date["2026-08-22"]["weekday"] == "Thứ Bảy"
    assert by_date["2026-08-31"]["kind"] == "day_off"
    assert by_date["2026-02-17"]["name"] == "Tết Nguyên Đán"
    assert by_date["2026-04-27"]["name"] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert [d for d in by_date if d.startswith("2026-02")] == [f"2026-02-{n}" for n in range(16, 21)]
    # 261 weekdays, 13 of them off, plus the make-up Saturday.
    assert data["working_days"] == 249


def test_holidays_2025_table_with_admin_days(tmp_path: Path):
    path = write_config(tmp_path, '[calendar.days_off]\n2025-12-24 = "Nghỉ [theo quyết định của tỉnh]"\n')
    result = run("holidays", "2025", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert "Tết Nguyên Đán" in result.stdout
    assert "2025-04-26" in result.stdout and "working day" in result.stdout
    assert "Nghỉ [theo quyết định của tỉnh]" in result.stdout  # not read as rich markup
    assert "config" in result.stdout


def test_check_ok(tmp_path: Path):
    path = write_config(
        tmp_path,
        """
[calendar]
sessions = ["07:00-11:30", "13:30-17:00"]

[[calendar.season]]
name = "Giờ mùa đông"
from = "10-15"
until = "04-14"
sessions = ["07:30-11:30", "13:30-17:00"]

[alerts]
on_duty = ["truc.ban@example.gov.vn"]
""",
    )
    result = run("check", "--config", str(path))
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout
    assert "Thứ Hai: 07:00-11:30, 13:30-17:00" in result.stdout
    assert "season Giờ mùa đông: 10-15 .. 04-14" in result.stdout
    assert "on duty: truc.ban@example.gov.vn" in result.stdout


def test_check_warns_without_on_duty_address():
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "on_duty is empty" in result.stdout


def test_check_reports_file_key_and_problem(tmp_path: Path):
    path = write_config(tmp_path, '[calendar]\nworking_weekdays = ["mon", "funday"]\n')
    result = run("check", "--config", str(path))
    assert result.exit_code == 1
    assert f"{path}: calendar.working_weekdays: 'funday' is not one of" in result.output
    path = write_config(tmp_path, '[alerts]\non_duty = ["trực ban"]\n')
    result = run("check", "--config", str(path))
    assert result.exit_code == 1
    assert f"{path}: alerts.on_duty: 'trực ban' is not an e-mail address" in result.output


def test_installed_command_prints_the_table(tmp_path: Path):
    gateway = Path(sys.executable).with_name("gateway")
    out = subprocess.run(
        [str(gateway), "calendar", "holidays", "2026"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "Làm bù (nghỉ thứ Hai 31/08/2026)" in out
    assert "Quốc khánh" in out
