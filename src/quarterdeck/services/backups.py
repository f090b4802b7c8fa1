"""Whole-database backup and restore.

SQLite uses its online backup API, so a backup is consistent while the database stays in
use. PostgreSQL uses pg_dump and pg_restore from the postgresql-client package. A backup is
written beside its destination and renamed into place, so a half-written file never carries
the backup's name; a restore is checked completely before the live database is touched.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine
from sqlalchemy.engine import make_url

from quarterdeck.domain.errors import InvalidInput, QuarterdeckError, ToolMissing
from quarterdeck.storage import make_engine, upgrade
from quarterdeck.storage.engine import sqlite_path
from quarterdeck.storage.schema import alembic_config

__all__ = ["POSTGRES_CLIENT_PACKAGE", "backup", "find_tool", "restore"]

POSTGRES_CLIENT_PACKAGE = "postgresql-client"
# Debian installs versioned tools here without always putting them on PATH.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PG_DUMP_MAGIC = b"PGDMP"
_STDERR_LINES = 5


def backup(database_url: str, destination: Path, *, overwrite: bool = False) -> Path:
    """Write a backup of the whole database to `destination` and return its path.

    When `destination` is a directory, a timestamped file is made inside it. SQLite gives a
    single self-contained database file; PostgreSQL a `pg_dump --format=custom` archive.
    The file appears only once complete. Raises InvalidInput when the database file is
    missing, the directory does not exist or the file exists (unless `overwrite`);
    ToolMissing when pg_dump is not installed; QuarterdeckError when pg_dump fails.
    """
    parsed = make_url(database_url)
    backend = parsed.get_backend_name()
    target = _target(destination, ".db" if backend == "sqlite" else ".dump")
    if target.exists() and not overwrite:
        raise InvalidInput(f"{target} already exists; choose another name or remove it first")
    if backend == "sqlite":
        _backup_sqlite(_sqlite_file(database_url), target)
    elif backend == "postgresql":
        _backup_postgres(parsed, target)
    else:
        raise InvalidInput(f"backups support SQLite and PostgreSQL, not {backend}")
    return target


def restore(database_url: str, source: Path) -> None:
    """Replace the whole database with the backup in `source`.

    The backup is checked first: it must exist, be a SQLite database (or a pg_dump custom
    archive for PostgreSQL), hold a Quarterdeck schema revision this version knows, and
    (SQLite) pass `PRAGMA integrity_check`; a refused backup changes nothing. A backup from
    an older schema is restored and then upgraded; one from a newer schema is refused.
    SQLite is copied into place in one transaction; PostgreSQL is restored with
    `pg_restore --single-transaction`, so a failure leaves the old data. Other connections
    should be closed first. Raises InvalidInput naming the file, ToolMissing when
    pg_restore is not installed, QuarterdeckError when pg_restore fails.
    """
    parsed = make_url(database_url)
    backend = parsed.get_backend_name()
    if not source.is_file():
        raise InvalidInput(f"backup file {source} does not exist")
    if backend == "sqlite":
        _restore_sqlite(database_url, _sqlite_file(database_url, must_exist=False), source)
    elif backend == "postgresql":
        _restore_postgres(parsed, source)
    else:
        raise InvalidInput(f"restore supports SQLite and PostgreSQL, not {backend}")


def find_tool(name: str) -> str:
    """The path of a PostgreSQL client program: from PATH, else the newest Debian install.

    Raises ToolMissing naming the program and the package that provides it.
    """
    found = shutil.which(name)
    if found:
        return found
    installed = [
        Path(candidate)
        for candidate in glob.glob(f"{PG_BIN_GLOB}/{name}")
        if os.access(candidate, os.X_OK)
    ]
    if installed:
        return str(max(installed, key=_major_version))
    raise ToolMissing(
        f"{name} is not installed (looked on PATH and in {PG_BIN_GLOB}); install the "
        f"Debian package {POSTGRES_CLIENT_PACKAGE}: apt-get install {POSTGRES_CLIENT_PACKAGE}"
    )


def _major_version(tool: Path) -> int:
    version = tool.parent.parent.name
    return int(version) if version.isdigit() else 0


def _target(destination: Path, suffix: str) -> Path:
    if destination.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        return destination / f"quarterdeck-{stamp}{suffix}"
    if not destination.parent.is_dir():
        raise InvalidInput(f"directory {destination.parent} does not exist")
    return destination


def _sqlite_file(database_url: str, *, must_exist: bool = True) -> Path:
    path = sqlite_path(database_url)
    if path is None:
        raise InvalidInput("an in-memory SQLite database cannot be backed up or restored")
    if must_exist and not path.is_file():
        raise InvalidInput(f"database file {path} does not exist")
    return path


@contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """A scratch path beside `target` that takes its place only if the block succeeds."""
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".quarterdeck-") as scratch:
        path = Path(scratch) / target.name
        yield path
        with path.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(path, target)
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename durable; not every platform can open a directory.
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- SQLite ------------------------------------------------------------------------------


def _backup_sqlite(source: Path, target: Path) -> None:
    with _replacing(target) as scratch:
        # mode=rw: opening must never create an empty database where the real one is missing.
        live = sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
        with closing(live), closing(sqlite3.connect(scratch)) as copy:
            live.backup(copy)
            # One self-contained file: no -wal or -shm companions to forget.
            copy.execute("PRAGMA journal_mode=DELETE")


def _restore_sqlite(database_url: str, target: Path, source: Path) -> None:
    with source.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(_SQLITE_MAGIC):
        raise InvalidInput(f"{source} is not a SQLite database")
    _check_sqlite_length(source, header)
    if target.exists() and target.samefile(source):
        raise InvalidInput(f"{source} is the database itself; restore from a backup copy")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".quarterdeck-") as scratch:
        # Work on a copy: the backup file is never modified, the live file not yet touched.
        copy = Path(scratch) / "restore.db"
        shutil.copyfile(source, copy)
        revision = _sqlite_revision(copy, source)
        engine = make_engine(f"sqlite:///{copy}")
        try:
            if _needs_upgrade(engine, revision, source):
                upgrade(engine)
        finally:
            engine.dispose()
        with closing(sqlite3.connect(copy)) as checked:
            live = sqlite3.connect(target, timeout=30)
            with closing(live):
                # The backup API writes the live file in one transaction: all pages or none.
                checked.backup(live)


def _check_sqlite_length(source: Path, header: bytes) -> None:
    """Refuse a file cut short: SQLite may read a truncated file without complaint when
    the missing bytes were unused, so its length is checked against its own header."""
    if len(header) < 100:
        raise InvalidInput(f"{source} is damaged: it ends inside the database header")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65_536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    pages_valid = header[24:28] == header[92:96]  # the page count is trustworthy
    size = source.stat().st_size
    if page_size < 512 or size % page_size or (pages_valid and pages and size != pages * page_size):
        raise InvalidInput(
            f"{source} is damaged: it holds {size:,} bytes, not a whole number of its "
            f"{page_size:,}-byte pages as its header records"
        )


def _sqlite_revision(copy: Path, source: Path) -> str:
    try:
        with closing(sqlite3.connect(copy)) as connection:
            problems = connection.execute("PRAGMA integrity_check").fetchall()
            if problems != [("ok",)]:
                raise InvalidInput(f"{source} is damaged: {problems[0][0]}")
            tables = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                ("alembic_version",),
            ).fetchone()
            if not tables or not tables[0]:
                raise InvalidInput(
                    f"{source} is not a Quarterdeck database (it has no alembic_version table)"
                )
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"{source} is not a readable SQLite database: {error}") from None
    if len(rows) != 1:
        raise InvalidInput(f"{source} is not a Quarterdeck database (it has no schema revision)")
    return str(rows[0][0])


def _needs_upgrade(engine: Engine, revision: str, source: Path) -> bool:
    """False at the newest schema, True for an older one; refuses one this version lacks."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    head = script.get_current_head()
    if revision == head:
        return False
    if revision not in {known.revision for known in script.walk_revisions()}:
        raise InvalidInput(
            f"{source} has schema revision {revision!r}, which this Quarterdeck does not know "
            f"(its newest is {head!r}); it was probably made by a newer Quarterdeck: "
            "upgrade Quarterdeck, then restore"
        )
    return True


# --- PostgreSQL --------------------------------------------------------------------------


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and an environment carrying it as PGPASSWORD."""
    conninfo = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    return conninfo, environment


def _run(tool: str, arguments: list[str], environment: dict[str, str]) -> str:
    # A list of arguments, never a shell: nothing in a URL or path can become a command.
    result = subprocess.run([tool, *arguments], env=environment, capture_output=True, check=False)
    if result.returncode != 0:
        raise QuarterdeckError(
            f"{Path(tool).name} failed (exit {result.returncode}): {_first_lines(result.stderr)}"
        )
    return result.stdout.decode("utf-8", errors="replace")


def _first_lines(output: bytes) -> str:
    lines = output.decode("utf-8", errors="replace").strip().splitlines()
    return " | ".join(lines[:_STDERR_LINES]) or "no error output"


def _backup_postgres(url: URL, target: Path) -> None:
    pg_dump = find_tool("pg_dump")
    conninfo, environment = _libpq(url)
    with _replacing(target) as scratch:
        _run(
            pg_dump,
            ["--format=custom", "--no-password", f"--file={scratch}", f"--dbname={conninfo}"],
            environment,
        )


def _restore_postgres(url: URL, source: Path) -> None:
    with source.open("rb") as handle:
        if handle.read(len(_PG_DUMP_MAGIC)) != _PG_DUMP_MAGIC:
            raise InvalidInput(
                f"{source} is not a PostgreSQL backup (a pg_dump --format=custom archive)"
            )
    pg_restore = find_tool("pg_restore")
    conninfo, environment = _libpq(url)
    revision = _archive_revision(pg_restore, source, environment)
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        needs_upgrade = _needs_upgrade(engine, revision, source)
        _run(
            pg_restore,
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--no-password",
                f"--dbname={conninfo}",
                str(source),
            ],
            environment,
        )
        if needs_upgrade:
            upgrade(engine)
    finally:
        engine.dispose()


def _archive_revision(pg_restore: str, source: Path, environment: dict[str, str]) -> str:
    """The schema revision inside an archive, read without touching any database."""
    try:
        script = _run(
            pg_restore,
            ["--data-only", "--table=alembic_version", "--file=-", str(source)],
            environment,
        )
    except QuarterdeckError as error:
        raise InvalidInput(f"{source} is not a readable pg_dump archive: {error}") from None
    lines = script.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("COPY ")]
    for start in starts:
        if "alembic_version" not in lines[start]:
            continue
        rows = []
        for line in lines[start + 1 :]:
            if line == "\\.":
                break
            rows.append(line.strip())
        if len(rows) == 1 and rows[0]:
            return rows[0]
    raise InvalidInput(f"{source} is not a Quarterdeck database (it has no schema revision)")
