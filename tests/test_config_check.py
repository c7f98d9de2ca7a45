"""`gateway config check` reports every problem at once with file:line; `gateway templates preview` renders a
reply as the sender reads it (issue 14)."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from gateway.cli import app
from gateway.config_check import check_all, locate
from gateway.replies import SHIPPED_TEMPLATES

runner = CliRunner()

CONFIG = """[gateway]
storage_dir = "storage"
templates_dir = "templates"

[[mailbox]]
name = "vanthu"
host = "imap.example.gov.vn"
username = "vanthu"
tls = "ssl"

[outgoing]
port = "587"

[rules]
profile = "mine"
dir = "rules"

[signatures]
alow_sha1 = true

[calendar]
lunch_brak_is_office_hours = true

[directory]
file = "agencies.toml"
"""
AGENCIES = """[[agency]]
name = "Sở Tài chính"
code = "000.00.12.H34"

[[agency]]
name = "Sở Nội vụ"
code = "SNV-KH"
"""
RULES = """[profile]
title = "Của văn thư"
extends = "national"

[[rule]]
id = "giay-moi"
basis = "TTg Đ4.1"
description = "Giấy mời"
when = { doc_typ = "giay_moi" }
action = "electronic_only"
"""


def _install(tmp_path):
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "agencies.toml").write_text(AGENCIES, encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.toml").write_text(RULES, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    broken = (SHIPPED_TEMPLATES / "refusal.txt.j2").read_text(encoding="utf-8").replace("agency.name", "agency.nmae")
    (tmp_path / "templates" / "refusal.txt.j2").write_text(broken, encoding="utf-8")
    return tmp_path / "config.toml"


def test_every_mistake_is_reported_at_once_with_its_line(tmp_path):
    cfg = _install(tmp_path)
    found = {(p.what, p.file.rpartition("/")[2], p.line, p.message.split(":")[0]) for p in check_all(cfg)}
    assert ("config", "config.toml", 9, "mailbox[0].tls") in found
    assert ("config", "config.toml", 12, "outgoing.port") in found
    assert ("config", "config.toml", 19, "signatures.alow_sha1") in found
    assert ("calendar", "config.toml", 22, "calendar.lunch_brak_is_office_hours") in found
    assert ("directory", "agencies.toml", 7, "agency[1].code") in found
    assert any(w == "rules" and f == "mine.toml" and line == 9 for w, f, line, _ in found), found
    line = next(
        n for n, t in enumerate((tmp_path / "templates" / "refusal.txt.j2").read_text().splitlines(), 1) if "nmae" in t
    )
    assert any(w == "template" and f == "refusal.txt.j2" and ln == line for w, f, ln, _ in found), found


def test_the_cli_prints_them_and_exits_1_and_a_clean_install_is_ok(tmp_path, monkeypatch):
    cfg = _install(tmp_path)
    result = runner.invoke(app, ["config", "check", "--config", str(cfg)])
    assert result.exit_code == 1
    assert "config.toml:9:" in result.output and "agencies.toml:7:" in result.output
    assert "7 problem(s) found" in result.output
    monkeypatch.chdir(tmp_path / "rules")  # no config.toml here: the built-in defaults
    monkeypatch.delenv("GATEWAY_CONFIG", raising=False)
    result = runner.invoke(app, ["config", "check"])
    assert result.exit_code == 0 and "OK" in result.output, result.output


def test_locate_finds_keys_in_arrays_of_tables(tmp_path):
    f = tmp_path / "x.toml"
    f.write_text(
        '[[mailbox]]\nname = "a"\n[mailbox.folders]\ninbox = "I"\n'
        '[[mailbox]]\nname = "b"\n[mailbox.folders]\ninbox = "J"\n'
    )
    assert locate(f, "mailbox[1].name") == 6
    assert locate(f, "mailbox[1].folders.inbox") == 8
    assert locate(f, "mailbox[0].folders.inbox") == 4


def test_templates_preview_uses_the_admin_template_or_falls_back(tmp_path):
    cfg = _install(tmp_path)
    shutil.rmtree(tmp_path / "rules")
    (tmp_path / "config.toml").write_text('[gateway]\ntemplates_dir = "templates"\n', encoding="utf-8")
    result = runner.invoke(app, ["templates", "preview", "acknowledgement", "--case", "paper_only", "-c", str(cfg)])
    assert result.exit_code == 0, result.output
    assert "Kính gửi: " in result.output and "Đề nghị Quý cơ quan gửi bản giấy" in result.output
    result = runner.invoke(app, ["templates", "preview", "refusal", "-c", str(cfg)])  # the admin's is broken
    assert result.exit_code == 0 and "Từ chối tiếp nhận" in result.output
    assert runner.invoke(app, ["templates", "preview", "nonsense", "-c", str(cfg)]).exit_code == 2
