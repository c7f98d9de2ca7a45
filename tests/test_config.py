"""config.toml: typed, validated, errors that name the file, the key and the problem; the example is valid."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gateway.config import ConfigError, load_settings
from gateway.pipeline import build_stages

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_example_is_a_valid_config(tmp_path, monkeypatch):
    shutil.copy(ROOT / "config.example.toml", tmp_path / "config.toml")
    shutil.copy(ROOT / "agencies.example.toml", tmp_path / "agencies.toml")
    (tmp_path / "trust").mkdir()
    monkeypatch.setenv("GATEWAY_IMAP_PASSWORD", "mật khẩu")
    monkeypatch.setenv("GATEWAY_SMTP_PASSWORD", "x")
    settings = load_settings(tmp_path / "config.toml")
    [mb] = settings.mailboxes
    assert (mb.tls, mb.port, mb.password, mb.folders.quarantine) == ("implicit", 993, "mật khẩu", "Quarantine")
    assert mb.filing_lease_seconds == 300
    assert settings.database_url == f"sqlite:///{tmp_path / 'storage' / 'register.sqlite3'}"
    stages = build_stages(settings)  # every stage accepts its table
    assert stages.rulebook.current().name == "khanh-hoa"
    from gateway.web.settings import web_settings

    web = web_settings(settings)  # and so does the web workplace
    assert (web.host, web.port) == ("127.0.0.1", 8080) and "Văn phòng" in web.units


def test_no_config_file_means_the_embedded_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.file is None and settings.mailboxes == ()
    assert settings.database_url.endswith("storage/register.sqlite3")


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("[gateway]\nstorage = 'x'\n", "gateway.storage", "not a known setting"),
        ("[gatway]\n", "gatway", "not a known setting"),
        ("[gateway]\ndatabase_url = 'mysql://x'\n", "gateway.database_url", "sqlite:/// or postgresql://"),
        ("[[mailbox]]\nname='a'\nhost='h'\nusername='u'\ntls='plain'\n", "mailbox[0].tls", "allow_plain = true"),
        ("[[mailbox]]\nname='a'\nhost='h'\nusername='u'\ntls='ssl'\n", "mailbox[0].tls", "must be one of"),
        ("[[mailbox]]\nname='a'\nusername='u'\n", "mailbox[0].host", "is required"),
        (
            "[[mailbox]]\nname='a'\nhost='h'\nusername='u'\npassword_env='GW_NO_SUCH_VAR'\n",
            "mailbox[0].password_env",
            "GW_NO_SUCH_VAR is not set",
        ),
        (
            "[[mailbox]]\nname='a'\nhost='h'\nusername='u'\nidle_renew_seconds=1800\n",
            "mailbox[0].idle_renew_seconds",
            "29 minutes",
        ),
        (
            "[[mailbox]]\nname='a'\nhost='h'\nusername='u'\nfiling_lease_seconds=0\n",
            "mailbox[0].filing_lease_seconds",
            "",
        ),
        ("[smtp_listener]\nenabled = true\n", "smtp_listener.addresses", "list the addresses"),
        ("[outgoing]\nport = 'hai lăm'\n", "outgoing.port", "whole number"),
        ("[gateway]\naccepted_legal_values = ['valid']\n", "gateway.accepted_legal_values", "is not one of"),
        ("[gateway\n", "(syntax)", ""),
    ],
)
def test_errors_name_the_file_the_key_and_the_problem(tmp_path, text, key, problem):
    cfg = tmp_path / "config.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    assert (err.value.file, err.value.key) == (str(cfg), key)
    assert problem in err.value.problem
    assert str(err.value).startswith(f"{cfg}: {key}: ")


def test_an_explicit_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path / "nope.toml")
