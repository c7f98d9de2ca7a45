"""Config discovery (--config, $GATEWAY_CONFIG, ./config.toml, the system file) and read commands that
must not invent an empty register (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from gateway.cli import app
from gateway.config import ConfigError, find_config

runner = CliRunner()


def _config(folder: Path, *, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "config.toml"
    cfg.write_text(f'[gateway]\nstorage_dir = "data"\n{extra}', encoding="utf-8")
    return cfg


def test_order_option_then_environment_then_current_folder_then_system(tmp_path, monkeypatch):
    option, env, cwd, system = (_config(tmp_path / n) for n in ("opt", "env", "cwd", "etc"))
    monkeypatch.chdir(cwd.parent)
    monkeypatch.setenv("GATEWAY_CONFIG", str(env))
    assert find_config(option, system=system).path == option
    assert find_config(None, system=system).path == env
    monkeypatch.delenv("GATEWAY_CONFIG")
    assert find_config(None, system=system).path == Path("config.toml")
    monkeypatch.chdir(tmp_path)
    found = find_config(None, system=system)
    assert found.path == system and "system" in found.describe()
    assert find_config(None, system=tmp_path / "none.toml").path is None


def test_a_named_file_that_is_missing_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="--config"):
        find_config(tmp_path / "nope.toml")
    monkeypatch.setenv("GATEWAY_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(ConfigError, match="GATEWAY_CONFIG"):
        find_config(None)


def test_reading_the_register_without_a_database_is_an_error_not_an_empty_register(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = _config(tmp_path / "conf")
    result = runner.invoke(app, ["register", "list", "--config", str(cfg)])
    assert result.exit_code == 2
    assert "no register database" in result.output
    assert not (tmp_path / "conf" / "data").exists()  # nothing created on the way
    result = runner.invoke(app, ["register", "list"])  # no config anywhere: the built-in defaults
    assert result.exit_code == 2 and not (tmp_path / "storage").exists()


def test_reading_needs_no_mailbox_password(tmp_path, monkeypatch):
    monkeypatch.delenv("I14_IMAP_PASSWORD", raising=False)
    cfg = _config(
        tmp_path,
        extra='[[mailbox]]\nname = "m"\nhost = "127.0.0.1"\nusername = "u"\npassword_env = "I14_IMAP_PASSWORD"\n',
    )
    result = runner.invoke(app, ["rules", "check", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["run", "--once", "--config", str(cfg)])
    assert result.exit_code == 2 and "I14_IMAP_PASSWORD is not set" in result.output


def test_a_database_outage_is_one_clear_line_not_a_traceback(tmp_path):
    from gateway.samples.sink import free_port

    cfg = _config(tmp_path, extra=f'database_url = "postgresql+psycopg://u@127.0.0.1:{free_port()}/nodb"\n')
    for args in (["run", "--once"], ["register", "list"], ["outbox", "list"]):
        result = runner.invoke(app, [*args, "--config", str(cfg)])
        assert result.exit_code == 2, (args, result.output)
        assert "unreachable" in result.output and "Traceback" not in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) <= 2, result.output
