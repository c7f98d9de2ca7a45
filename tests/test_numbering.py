"""Incoming numbers are gap-free and unique per year, even with two processes on one database (R16)."""

from __future__ import annotations

import multiprocessing as mp
import random

import pytest
from sqlalchemy import select

from gateway.register.db import open_database
from gateway.register.numbering import next_number
from gateway.register.schema import NumberCounterRow


def _worker(url: str, seed: int, count: int, queue) -> None:
    """Take `count` numbers; roll back about a third of the transactions after taking one."""
    sessions = open_database(url)
    rng = random.Random(seed)
    kept = []
    for _ in range(count):
        s = sessions()
        try:
            with s.begin():
                n = next_number(s, 2026)
                if rng.random() < 0.33:
                    raise RuntimeError("simulated failure after taking a number")
            kept.append(n)
        except RuntimeError:
            pass
        finally:
            s.close()
    queue.put(kept)


def _race(url: str, per_process: int = 60) -> list[int]:
    open_database(url)  # migrate once before the race
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, seed, per_process, queue)) for seed in (1, 2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    return sorted(results[0] + results[1])


@pytest.mark.slow  # two processes, a real PostgreSQL
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_processes_get_gap_free_unique_numbers(backend, sqlite_url, request):
    url = sqlite_url if backend == "sqlite" else request.getfixturevalue("postgres_url")
    numbers = _race(url)
    assert len(numbers) > 40  # most transactions committed
    assert numbers == list(range(1, len(numbers) + 1))  # no gap, no repeat, though a third rolled back


def test_each_year_counts_from_one(sessions):
    with sessions.begin() as s:
        assert [next_number(s, 2025), next_number(s, 2025), next_number(s, 2026)] == [1, 2, 1]
    with sessions() as s:
        rows = {r.year: r.last_number for r in s.scalars(select(NumberCounterRow))}
    assert rows == {2025: 2, 2026: 1}


def test_migrations_create_exactly_the_models(sqlite_url):
    """The Alembic migrations and the SQLAlchemy models agree (no change left to autogenerate)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from gateway.register.db import make_engine, upgrade
    from gateway.register.schema import Base

    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
