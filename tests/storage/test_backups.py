"""Whole-database backup and restore: data comes back as it was at backup time, and a file
that is not a good Quarterdeck backup is refused before anything changes."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from quarterdeck.domain.access import Actor, Role
from quarterdeck.domain.errors import InvalidInput, QuarterdeckError, ToolMissing
from quarterdeck.services import backups, members, portability, workspaces
from quarterdeck.storage import Database, make_engine, upgrade
from tests.conftest import POSTGRES_SERVER, Factory

sqlite_only = pytest.mark.skipif(bool(POSTGRES_SERVER), reason="SQLite file handling")


@pytest.fixture
def acme(db: Database, make: Factory, operator: Actor) -> str:
    ws = make.workspace("acme", time_zone="Europe/Berlin")
    with db.unit_of_work(write=True) as uow:
        uow.users.add(
            email="lead@example.com", display_name="Lead", password_hash=None, now=uow.now()
        )
        members.add(
            uow, actor=operator, workspace="acme", email="lead@example.com", role=Role.OWNER
        )
    return ws.slug


def export(database_url: str, operator: Actor, slug: str = "acme") -> dict[str, Any]:
    database = Database(make_engine(database_url))
    try:
        with database.unit_of_work(write=False) as uow:
            return portability.export_workspace(uow, actor=operator, workspace=slug)
    finally:
        database.dispose()


def slugs(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(text("SELECT slug FROM workspaces ORDER BY slug")))
    finally:
        engine.dispose()


def change_everything(db: Database, make: Factory, operator: Actor) -> None:
    with db.unit_of_work(write=True) as uow:
        workspaces.update(uow, actor=operator, workspace="acme", expected_version=1, name="Renamed")
        uow.users.add(
            email="late@example.com", display_name="Late", password_hash=None, now=uow.now()
        )
        members.add(
            uow, actor=operator, workspace="acme", email="late@example.com", role=Role.VIEWER
        )
    make.workspace("later")


def test_restore_brings_back_the_data_as_it_was_at_backup_time(
    db: Database, make: Factory, operator: Actor, acme: str, database_url: str, tmp_path: Path
) -> None:
    at_backup = export(database_url, operator)
    written = backups.backup(database_url, tmp_path / "backup.bin")
    assert written == tmp_path / "backup.bin"
    change_everything(db, make, operator)
    assert export(database_url, operator) != at_backup
    db.dispose()

    backups.restore(database_url, written)

    assert export(database_url, operator) == at_backup
    assert slugs(database_url) == ["acme"]


def test_restore_can_be_repeated_from_the_same_backup(
    db: Database, make: Factory, operator: Actor, acme: str, database_url: str, tmp_path: Path
) -> None:
    written = backups.backup(database_url, tmp_path / "backup.bin")
    db.dispose()
    backups.restore(database_url, written)
    backups.restore(database_url, written)
    assert slugs(database_url) == ["acme"]


def test_backup_into_a_directory_gets_a_timestamped_name(
    db: Database, acme: str, database_url: str, tmp_path: Path
) -> None:
    written = backups.backup(database_url, tmp_path)
    assert written.parent == tmp_path
    assert written.name.startswith("quarterdeck-")
    assert written.stat().st_size > 0


def test_backup_never_overwrites_an_existing_file_unless_asked(
    db: Database, acme: str, database_url: str, tmp_path: Path
) -> None:
    existing = tmp_path / "keep.bin"
    existing.write_bytes(b"an older backup")
    with pytest.raises(InvalidInput, match="already exists"):
        backups.backup(database_url, existing)
    assert existing.read_bytes() == b"an older backup"

    backups.backup(database_url, existing, overwrite=True)
    assert existing.read_bytes() != b"an older backup"


def test_backup_into_a_missing_directory_is_refused(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        backups.backup(database_url, tmp_path / "nowhere" / "backup.bin")


def test_restore_of_a_missing_file_is_refused(
    db: Database, operator: Actor, acme: str, database_url: str, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.bin"
    with pytest.raises(InvalidInput, match="does not exist") as refused:
        backups.restore(database_url, missing)
    assert str(missing) in refused.value.message


@pytest.mark.parametrize(
    "garbage",
    [b"", b"hello, this is not a backup\n" * 100, b"SQLite format 3\x00" + b"\x00" * 100],
    ids=["empty", "text", "sqlite-header-only"],
)
def test_restore_of_garbage_is_refused_and_changes_nothing(
    db: Database,
    operator: Actor,
    acme: str,
    database_url: str,
    tmp_path: Path,
    garbage: bytes,
) -> None:
    before = export(database_url, operator)
    source = tmp_path / "garbage.bin"
    source.write_bytes(garbage)

    with pytest.raises(InvalidInput) as refused:
        backups.restore(database_url, source)

    assert str(source) in refused.value.message
    assert export(database_url, operator) == before


def test_restore_of_a_database_that_is_not_quarterdeck_is_refused(
    db: Database,
    operator: Actor,
    acme: str,
    database_url: str,
    second_database_url: str,
    tmp_path: Path,
) -> None:
    foreign = make_engine(second_database_url)
    with foreign.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    foreign.dispose()
    source = backups.backup(second_database_url, tmp_path / "foreign.bin")
    before = export(database_url, operator)

    with pytest.raises(InvalidInput, match="not a Quarterdeck database") as refused:
        backups.restore(database_url, source)

    assert str(source) in refused.value.message
    assert export(database_url, operator) == before


def test_restore_from_a_newer_schema_is_refused(
    db: Database,
    operator: Actor,
    acme: str,
    database_url: str,
    second_database_url: str,
    tmp_path: Path,
) -> None:
    future = make_engine(second_database_url)
    upgrade(future)
    with future.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    future.dispose()
    source = backups.backup(second_database_url, tmp_path / "future.bin")
    before = export(database_url, operator)

    with pytest.raises(InvalidInput, match=r"'9999_future'.*newer Quarterdeck"):
        backups.restore(database_url, source)

    assert export(database_url, operator) == before


@pytest.mark.parametrize("keep", [0.5, -1], ids=["cut-in-half", "last-byte-missing"])
def test_restore_of_a_truncated_backup_fails_and_keeps_the_old_data(
    db: Database,
    make: Factory,
    operator: Actor,
    acme: str,
    database_url: str,
    tmp_path: Path,
    keep: float,
) -> None:
    # Cut at the end, the schema revision still reads, so PostgreSQL fails part-way through
    # pg_restore: its single transaction must leave the old data in place.
    written = backups.backup(database_url, tmp_path / "backup.bin")
    data = written.read_bytes()
    written.write_bytes(data[: int(len(data) * keep)] if keep > 0 else data[:-1])
    make.workspace("later")
    before = export(database_url, operator)
    db.dispose()

    with pytest.raises(QuarterdeckError):
        backups.restore(database_url, written)

    assert export(database_url, operator) == before
    assert slugs(database_url) == ["acme", "later"]


# --- SQLite specifics --------------------------------------------------------------------


@sqlite_only
def test_sqlite_backup_is_one_self_contained_file_that_passes_integrity_check(
    db: Database, acme: str, database_url: str, tmp_path: Path
) -> None:
    written = backups.backup(database_url, tmp_path / "backup.db")

    assert sorted(path.name for path in tmp_path.iterdir() if "backup" in path.name) == [
        "backup.db"
    ]
    connection = sqlite3.connect(f"{written.as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("SELECT slug FROM workspaces").fetchall() == [("acme",)]
    finally:
        connection.close()


@sqlite_only
def test_sqlite_backup_of_a_missing_database_is_refused_and_creates_nothing(
    tmp_path: Path,
) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        backups.backup(f"sqlite:///{tmp_path / 'absent.db'}", tmp_path / "backup.db")
    assert list(tmp_path.iterdir()) == []


@sqlite_only
def test_sqlite_restore_creates_a_database_that_did_not_exist(
    db: Database, operator: Actor, acme: str, database_url: str, tmp_path: Path
) -> None:
    written = backups.backup(database_url, tmp_path / "backup.db")
    fresh = f"sqlite:///{tmp_path / 'elsewhere' / 'restored.db'}"

    backups.restore(fresh, written)

    assert export(fresh, operator) == export(database_url, operator)


@sqlite_only
def test_sqlite_restore_leaves_no_scratch_files_behind(
    db: Database, acme: str, database_url: str, tmp_path: Path
) -> None:
    backup_dir = tmp_path / "backups"
    backup_dir.mkdir()
    written = backups.backup(database_url, backup_dir / "backup.db")
    database_dir = Path(database_url.removeprefix("sqlite:///")).parent
    before = {path.name for path in database_dir.iterdir()}

    backups.restore(database_url, written)

    assert not any(path.name.startswith(".quarterdeck-") for path in database_dir.iterdir())
    assert {path.name for path in database_dir.iterdir()} <= before | {"quarterdeck.db-wal"}


@sqlite_only
def test_sqlite_restore_is_seen_by_connections_that_stay_open(
    db: Database, make: Factory, operator: Actor, acme: str, database_url: str, tmp_path: Path
) -> None:
    written = backups.backup(database_url, tmp_path / "backup.db")
    make.workspace("later")

    backups.restore(database_url, written)

    with db.unit_of_work(write=False) as uow:
        assert [ws.slug for ws in uow.workspaces.all()] == ["acme"]


@sqlite_only
def test_sqlite_restore_of_the_database_onto_itself_is_refused(
    db: Database, acme: str, database_url: str
) -> None:
    live = Path(database_url.removeprefix("sqlite:///"))
    with pytest.raises(InvalidInput, match="the database itself"):
        backups.restore(database_url, live)


# --- PostgreSQL client tools -------------------------------------------------------------


def test_missing_pg_dump_names_the_tool_and_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(backups, "PG_BIN_GLOB", str(tmp_path / "lib" / "*" / "bin"))

    with pytest.raises(ToolMissing, match=r"pg_dump.*postgresql-client"):
        backups.backup("postgresql+psycopg://u@127.0.0.1:1/db", tmp_path / "backup.dump")
    assert not (tmp_path / "backup.dump").exists()


def test_missing_pg_restore_names_the_tool_and_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(backups, "PG_BIN_GLOB", str(tmp_path / "lib" / "*" / "bin"))
    archive = tmp_path / "backup.dump"
    archive.write_bytes(b"PGDMP" + b"\x00" * 64)

    with pytest.raises(ToolMissing, match=r"pg_restore.*postgresql-client"):
        backups.restore("postgresql+psycopg://u@127.0.0.1:1/db", archive)


def test_tools_off_path_are_found_in_the_newest_debian_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for version in ("9", "13", "15"):
        tool = tmp_path / "lib" / version / "bin" / "pg_dump"
        tool.parent.mkdir(parents=True)
        tool.write_text("#!/bin/sh\n")
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(backups, "PG_BIN_GLOB", str(tmp_path / "lib" / "*" / "bin"))

    assert backups.find_tool("pg_dump") == str(tmp_path / "lib" / "15" / "bin" / "pg_dump")


def test_pg_dump_gets_the_password_from_the_environment_not_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: dict[str, Any] = {}

    def fake_run(arguments: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        seen["arguments"], seen["env"] = arguments, options["env"]
        Path(next(a for a in arguments if a.startswith("--file="))[7:]).write_bytes(b"PGDMP")
        return subprocess.CompletedProcess(arguments, 0, b"", b"")

    monkeypatch.setattr(backups, "find_tool", lambda name: f"/opt/{name}")
    monkeypatch.setattr(backups.subprocess, "run", fake_run)

    backups.backup("postgresql+psycopg://lead:s3cr%40t@db.example:5433/qd", tmp_path / "b.dump")

    assert not any("s3cr" in argument for argument in seen["arguments"])
    assert "--dbname=postgresql://lead@db.example:5433/qd" in seen["arguments"]
    assert seen["env"]["PGPASSWORD"] == "s3cr@t"
    assert (tmp_path / "b.dump").read_bytes() == b"PGDMP"


def test_a_failing_pg_dump_reports_its_error_and_leaves_no_file(tmp_path: Path) -> None:
    try:
        backups.find_tool("pg_dump")
    except ToolMissing:
        pytest.skip("pg_dump is not installed")

    with pytest.raises(QuarterdeckError, match=r"pg_dump failed \(exit 1\): .*127\.0\.0\.1"):
        backups.backup("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path / "b.dump")
    assert list(tmp_path.iterdir()) == []
