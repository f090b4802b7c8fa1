"""SQLite is set up for durability and for writers that queue instead of failing half-way."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from quarterdeck.storage import Database, make_engine, upgrade

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("QUARTERDECK_TEST_POSTGRES_URL")),
    reason="SQLite settings; the PostgreSQL run has nothing to add",
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "quarterdeck.db"


@pytest.fixture
def engine(path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def database(engine: Engine) -> Iterator[Database]:
    upgrade(engine)
    database = Database(engine)
    yield database
    database.dispose()


def pragma(engine: Engine, name: str) -> object:
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def try_to_take_write_lock(path: Path) -> None:
    """Raise sqlite3.OperationalError ("database is locked") if another connection holds it."""
    other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_connections_use_write_ahead_logging(engine: Engine) -> None:
    assert pragma(engine, "journal_mode") == "wal"


def test_commits_are_synced_to_disk_in_full(engine: Engine) -> None:
    assert pragma(engine, "synchronous") == 2  # FULL


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    assert pragma(engine, "foreign_keys") == 1


def test_a_busy_database_is_waited_for_rather_than_failing_at_once(engine: Engine) -> None:
    busy_timeout = pragma(engine, "busy_timeout")
    assert isinstance(busy_timeout, int)
    assert busy_timeout > 0


def test_a_write_unit_of_work_takes_the_write_lock_when_it_begins(
    database: Database, path: Path
) -> None:
    # Nothing is written inside: only BEGIN IMMEDIATE explains a held lock.
    with (
        database.unit_of_work(write=True),
        pytest.raises(sqlite3.OperationalError, match="database is locked"),
    ):
        try_to_take_write_lock(path)
    try_to_take_write_lock(path)


def test_a_write_unit_of_work_releases_the_write_lock_when_it_fails(
    database: Database, path: Path
) -> None:
    with pytest.raises(RuntimeError), database.unit_of_work(write=True):
        raise RuntimeError("boom")
    try_to_take_write_lock(path)


def test_two_read_units_of_work_can_be_open_together(database: Database, path: Path) -> None:
    with database.unit_of_work(write=False) as first, database.unit_of_work(write=False) as second:
        assert first.workspaces.all() == []
        assert second.workspaces.all() == []
        # Readers leave the write lock free.
        try_to_take_write_lock(path)


def test_a_reader_is_not_blocked_by_an_open_writer(database: Database) -> None:
    with database.unit_of_work(write=True), database.unit_of_work(write=False) as reader:
        assert reader.workspaces.all() == []
