"""The git history of a workspace's repositories: each repository's last read, its
commits and its tags.

Commits come in two ways. `add_commits` takes Commit values through SQLAlchemy, for the few
a workspace import brings. `add_commit_records` takes a git read's plain tuples batch by
batch as they are read (100,000 commits and more): one driver-level statement per batch,
with the database itself turning seconds into stored times and parents into JSON, so no
Python work is spent per commit. Both store the same values: the times as `UtcDateTime`
stores them, the parents as the JSON list the column holds (tests compare the two).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from json import loads
from typing import Any

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from quarterdeck.domain.engineering import Commit, TagRef
from quarterdeck.storage.engineering_tables import CommitRow, GitRepositoryRow, TagRow
from quarterdeck.storage.repositories.engineering_base import (
    EngineeringBase,
    offset_minutes,
    stored_instant,
    with_offset,
)

__all__ = ["CommitRecord", "GitHistory", "GitRepository"]

# What a git read gives for one commit (quarterdeck.ingest.git_parse.CommitRecord): sha,
# parents separated by spaces, author email, author time in seconds since 1970, its offset
# in minutes east of UTC, committer time in seconds, its offset.
CommitRecord = tuple[str, str, str, int, int, int, int]
# SQLite: executemany of (workspace id, *record), numbered parameters. The time text is the
# DATETIME storage SQLAlchemy uses on SQLite (microseconds always written), in UTC.
_SQLITE_COMMITS = """
INSERT INTO commits (workspace_id, sha, parents, author_email, author_time, author_offset,
                     committer_time, committer_offset)
VALUES (?1, ?2, CASE ?3 WHEN '' THEN '[]' ELSE '["' || replace(?3, ' ', '", "') || '"]' END, ?4,
        datetime(?5, 'unixepoch') || '.000000', ?6,
        datetime(?7, 'unixepoch') || '.000000', ?8)
ON CONFLICT DO NOTHING
"""
# The page cache while a history goes in (KiB; SQLite's default is 2 MiB). Each commit lands
# at a random place in the (workspace, sha) index: with the index in memory, 100,000 commits
# go in a quarter faster.
_SQLITE_BULK_CACHE_KIB = 16 * 1024
# PostgreSQL: one statement a batch (a round trip per row would cost more than all the
# rest), each column sent as one text with a line for each commit: psycopg would dump a list
# element by element in Python, and no field of a record holds a newline. A batch of one
# root commit sends '' for its parents, which splits into no element at all: unnest pads
# with NULL, read back as ''. Times are stored as UTC without a zone.
_POSTGRESQL_COMMITS = """
INSERT INTO commits (workspace_id, sha, parents, author_email, author_time, author_offset,
                     committer_time, committer_offset)
SELECT %s, sha, to_json(string_to_array(coalesce(parents, ''), ' ')), coalesce(email, ''),
       to_timestamp(authored) AT TIME ZONE 'UTC', author_offset,
       to_timestamp(committed) AT TIME ZONE 'UTC', committer_offset
FROM unnest(string_to_array(%s, chr(10)), string_to_array(%s, chr(10)),
            string_to_array(%s, chr(10)), string_to_array(%s, chr(10))::bigint[],
            string_to_array(%s, chr(10))::integer[], string_to_array(%s, chr(10))::bigint[],
            string_to_array(%s, chr(10))::integer[])
     AS batch(sha, parents, email, authored, author_offset, committed, committer_offset)
ON CONFLICT DO NOTHING
"""


@dataclass(frozen=True, slots=True)
class GitRepository:
    id: int
    name: str
    path: str
    tips: tuple[str, ...]
    commit_count: int
    last_read_at: datetime | None


class GitHistory(EngineeringBase):
    def repository(self, workspace_id: int, name: str) -> GitRepository | None:
        row = self._session.scalar(
            select(GitRepositoryRow).where(
                GitRepositoryRow.workspace_id == workspace_id, GitRepositoryRow.name == name
            )
        )
        return None if row is None else _repository(row)

    def repositories(self, workspace_id: int) -> list[GitRepository]:
        rows = self._session.scalars(
            select(GitRepositoryRow)
            .where(GitRepositoryRow.workspace_id == workspace_id)
            .order_by(GitRepositoryRow.name)
        )
        return [_repository(row) for row in rows]

    def save_repository_read(
        self,
        workspace_id: int,
        *,
        name: str,
        path: str,
        tips: Sequence[str],
        tags: Sequence[TagRef],
        added_commits: int,
        now: datetime,
    ) -> GitRepository:
        """Record a read of a repository: its new tips and its tags as they are now."""
        row = self._session.scalar(
            select(GitRepositoryRow).where(
                GitRepositoryRow.workspace_id == workspace_id, GitRepositoryRow.name == name
            )
        )
        if row is None:
            row = GitRepositoryRow(
                workspace_id=workspace_id, name=name, path=path, tips=[], commit_count=0
            )
            self._session.add(row)
            self._session.flush()
        row.path = path
        row.tips = sorted(tips)
        row.commit_count += added_commits
        row.last_read_at = now
        self._session.execute(delete(TagRow).where(TagRow.repository_id == row.id))
        self._insert_new(
            TagRow.__table__,  # type: ignore[arg-type]
            [
                {
                    "workspace_id": workspace_id,
                    "repository_id": row.id,
                    "name": tag.name,
                    "commit": tag.commit,
                    "tagger_time": tag.tagger_time,
                    "tagger_offset": None
                    if tag.tagger_time is None
                    else offset_minutes(tag.tagger_time),
                }
                for tag in tags
            ],
        )
        self._session.flush()
        return _repository(row)

    def add_commits(self, workspace_id: int, commits: Iterable[Commit]) -> int:
        rows = [
            {
                "workspace_id": workspace_id,
                "sha": c.sha,
                "parents": list(c.parents),
                "author_email": c.author_email,
                "author_time": c.author_time,
                "author_offset": offset_minutes(c.author_time),
                "committer_time": c.committer_time,
                "committer_offset": offset_minutes(c.committer_time),
            }
            for c in commits
        ]
        return self._insert_new(CommitRow.__table__, rows)  # type: ignore[arg-type]

    def add_commit_records(
        self, workspace_id: int, batches: Iterable[Sequence[CommitRecord]]
    ) -> int:
        """Store each batch of commit records as it comes, skipping commits the workspace
        holds already (by sha, also within one batch); returns how many were added. The
        records must be as a git read gives them: times from 1970 to the year 9999, parents
        hexadecimal shas, no field holding a newline."""
        connection = self._session.connection()
        if connection.dialect.name == "postgresql":
            return _insert_on_postgresql(connection, workspace_id, batches)
        return _insert_on_sqlite(connection, workspace_id, batches)

    def commits(self, workspace_id: int) -> dict[str, Commit]:
        """Every commit of the workspace by sha, with the offsets its times were written in.

        Read through the driver's cursor: a big history is hundreds of thousands of rows."""
        return _commits(self._driver_rows(_READ_COMMITS, workspace_id))

    def commit(self, workspace_id: int, sha: str) -> Commit | None:
        """One commit of the workspace, None when it is not stored."""
        found = _commits(self._driver_rows(_READ_COMMITS + " AND sha = {}", workspace_id, sha))
        return found.get(sha)

    def commit_count(self, workspace_id: int) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(CommitRow)
                .where(CommitRow.workspace_id == workspace_id)
            )
            or 0
        )

    def tags(self, workspace_id: int) -> list[tuple[str, TagRef]]:
        """(repository name, tag) for every tag the workspace's repositories hold."""
        rows = self._session.execute(
            select(GitRepositoryRow.name, TagRow)
            .join(GitRepositoryRow, GitRepositoryRow.id == TagRow.repository_id)
            .where(TagRow.workspace_id == workspace_id)
            .order_by(GitRepositoryRow.name, TagRow.name)
        )
        return [
            (
                repository,
                TagRef(
                    name=tag.name,
                    commit=tag.commit,
                    tagger_time=None
                    if tag.tagger_time is None or tag.tagger_offset is None
                    else with_offset(tag.tagger_time, tag.tagger_offset),
                ),
            )
            for repository, tag in rows
        ]


_READ_COMMITS = (
    "SELECT sha, parents, author_email, author_time, author_offset, committer_time, "
    "committer_offset FROM commits WHERE workspace_id = {}"
)


_COUNTED = {"preserve_rowcount": True}


def _insert_on_sqlite(
    connection: Connection, workspace_id: int, batches: Iterable[Sequence[CommitRecord]]
) -> int:
    cache = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA cache_size = -{_SQLITE_BULK_CACHE_KIB}")
    added = 0
    try:
        for batch in batches:
            if batch:
                rows = [(workspace_id, *record) for record in batch]
                added += connection.exec_driver_sql(
                    _SQLITE_COMMITS, rows, execution_options=_COUNTED
                ).rowcount
    except BaseException:
        with suppress(SQLAlchemyError):  # the failure that got here is the one to tell
            connection.exec_driver_sql(f"PRAGMA cache_size = {cache}")
        raise
    connection.exec_driver_sql(f"PRAGMA cache_size = {cache}")
    return added


def _insert_on_postgresql(
    connection: Connection, workspace_id: int, batches: Iterable[Sequence[CommitRecord]]
) -> int:
    added = 0
    for batch in batches:
        if batch:
            columns = ("\n".join(map(str, column)) for column in zip(*batch, strict=True))
            added += connection.exec_driver_sql(
                _POSTGRESQL_COMMITS, (workspace_id, *columns), execution_options=_COUNTED
            ).rowcount
    return added


def _repository(row: GitRepositoryRow) -> GitRepository:
    return GitRepository(
        id=row.id,
        name=row.name,
        path=row.path,
        tips=tuple(row.tips or ()),
        commit_count=row.commit_count,
        last_read_at=row.last_read_at,
    )


def _commits(rows: list[tuple[Any, ...]]) -> dict[str, Commit]:
    """Commits from rows of `_READ_COMMITS`, by sha, in the offsets they were written in."""
    zones: dict[int, timezone] = {}
    found: dict[str, Commit] = {}
    for sha, parents, email, authored, author_offset, committed, committer_offset in rows:
        author_zone = zones.get(author_offset) or zones.setdefault(
            author_offset, timezone(timedelta(minutes=author_offset))
        )
        committer_zone = zones.get(committer_offset) or zones.setdefault(
            committer_offset, timezone(timedelta(minutes=committer_offset))
        )
        found[sha] = Commit(
            sha,
            tuple(loads(parents) if isinstance(parents, str) else parents),
            email,
            stored_instant(authored).astimezone(author_zone),
            stored_instant(committed).astimezone(committer_zone),
        )
    return found
