"""`gateway run` as systemd runs it (issue 14): READY/RELOADING/STOPPING over a real NOTIFY_SOCKET datagram
socket, /healthz and /metrics on a local port, SIGHUP reloading the configuration (and refusing a broken
one), SIGTERM stopping cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gateway.samples.sink import free_port
from gateway.sdnotify import notify, watchdog_seconds


def _receive(sock: socket.socket, wanted: str, timeout: float = 60.0) -> list[str]:
    got: list[str] = []
    sock.settimeout(timeout)
    while wanted not in got:
        got.extend(sock.recv(4096).decode().split("\n"))
    return got


def test_notify_sends_one_datagram_and_is_a_no_op_outside_systemd(tmp_path, monkeypatch):
    path = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(path)
        monkeypatch.setenv("NOTIFY_SOCKET", path)
        assert notify("READY=1")
        assert sock.recv(100) == b"READY=1"
    monkeypatch.delenv("NOTIFY_SOCKET")
    assert notify("READY=1") is False
    monkeypatch.setenv("WATCHDOG_USEC", "120000000")
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    assert watchdog_seconds() == 120.0
    monkeypatch.setenv("WATCHDOG_PID", "1")
    assert watchdog_seconds() is None


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.slow
def test_gateway_run_under_a_notify_socket(tmp_path):
    port = free_port()
    cfg = tmp_path / "config.toml"
    base = f'[gateway]\nstorage_dir = "storage"\n[service]\nmetrics_port = {port}\n'
    cfg.write_text(base + '[agency]\nname = "Sở A"\n', encoding="utf-8")
    sock_path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sock_path)
    env = {**os.environ, "NOTIFY_SOCKET": sock_path}
    log = (tmp_path / "daemon.log").open("w")
    gateway = Path(sys.executable).parent / "gateway"
    proc = subprocess.Popen([str(gateway), "run", "-c", str(cfg)], env=env, stderr=log, cwd=tmp_path)
    try:
        assert "READY=1" in _receive(sock, "READY=1")
        status, body = _get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200 and b"gateway_processing_seconds_bucket" in body and b"gateway_outbox_backlog" in body
        status, body = _get(f"http://127.0.0.1:{port}/healthz")
        report = json.loads(body)
        assert status == 200 and report["ok"] and report["database"] == "ok" and report["outbox_pending"] == 0

        cfg.write_text(base + '[agency]\nname = "Sở B"\n', encoding="utf-8")  # a good edit: applied
        proc.send_signal(signal.SIGHUP)
        assert "RELOADING=1" in _receive(sock, "RELOADING=1")
        _receive(sock, "READY=1")
        cfg.write_text(base + "[agency]\nnmae = 1\n", encoding="utf-8")  # a broken edit: refused
        proc.send_signal(signal.SIGHUP)
        _receive(sock, "RELOADING=1")
        _receive(sock, "READY=1")

        proc.send_signal(signal.SIGTERM)
        assert "STOPPING=1" in _receive(sock, "STOPPING=1")
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sock.close()
        log.close()
    lines = [json.loads(line) for line in (tmp_path / "daemon.log").read_text().splitlines() if line.startswith("{")]
    messages = [entry["msg"] for entry in lines]
    assert any(m.startswith("configuration reloaded") for m in messages)
    assert any("reload refused" in m and "agency.nmae" in m for m in messages)
    assert any(entry.get("version") for entry in lines)  # the version is in the start line
