"""Database engine and schema upgrades for the embedded register (SQLite by default, PostgreSQL alike).

Writers: SQLite is opened in WAL mode with a busy timeout, and every writing transaction starts with BEGIN
IMMEDIATE so that two writers queue instead of failing half-way; PostgreSQL needs nothing special (row
locks on the number counter serialise numbering, see `gateway.register.numbering`).

Readers (`open_reader`: the read-only CLI commands, the web view's pages) get an engine of their own whose
transactions are plain deferred BEGINs on a `query_only` connection (SQLite) or READ ONLY transactions
(PostgreSQL): under WAL a reader sees the last committed state and never waits behind the daemon's writer.
A reader migrates nothing unless the schema is behind, and then only through a short-lived writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def make_engine(url: str, *, readonly: bool = False) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
            dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" below issue BEGIN itself
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            if readonly:
                cur.execute("PRAGMA query_only=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover
            conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    options = {"postgresql_readonly": True} if readonly else {}
    return create_engine(url, pool_pre_ping=True, execution_options=options)


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def at_head(engine: Engine) -> bool:
    """True when the schema is at the newest Alembic revision (a read; takes no write lock)."""
    heads = set(ScriptDirectory.from_config(_alembic_config()).get_heads())
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads()) == heads


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE matched (SQLAlchemy types `Session.execute` as a plain `Result`)."""
    return cast(CursorResult[Any], result).rowcount


def open_database(url: str) -> sessionmaker[Session]:
    """An upgraded database and a session factory for writing to it."""
    engine = make_engine(url)
    upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


def open_reader(url: str) -> sessionmaker[Session]:
    """A session factory for reading only: never waits behind a writer, never writes (see the module doc)."""
    engine = make_engine(url, readonly=True)
    if not at_head(engine):
        writer = make_engine(url)
        try:
            upgrade(writer)
        finally:
            writer.dispose()
    return sessionmaker(engine, expire_on_commit=False)
