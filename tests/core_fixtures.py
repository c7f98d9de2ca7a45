"""Fixtures for the core's tests: a fresh PostgreSQL database, an SQLite register, an SMTP sink."""

from __future__ import annotations

import logging
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from gateway.register.db import open_database
from gateway.samples.sink import SmtpSink

PG_ADMIN = "host=127.0.0.1 port=5432 dbname=test"


def _pg_admin() -> psycopg.Connection:
    try:
        return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        # The machine's PostgreSQL may have stopped: start it the way the machine does, once.
        subprocess.run(
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
            shell=True,
            check=False,
            capture_output=True,
        )
        try:
            return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as exc:
            pytest.fail(f"PostgreSQL is not reachable on 127.0.0.1:5432 ({exc}); these tests need it")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"gw_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://127.0.0.1:5432/{name}"
    finally:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'register.sqlite3'}"


@pytest.fixture
def sessions(sqlite_url):
    return open_database(sqlite_url)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """CLI commands install the JSON log handler on the root logger; take it away again after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
