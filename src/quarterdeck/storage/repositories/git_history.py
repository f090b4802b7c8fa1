"""The git history of a workspace's repositories: each repository's last read, its
commits and its tags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from quarterdeck.domain.engineering import Commit, TagRef
from quarterdeck.storage.engineering_tables import CommitRow, GitRepositoryRow, TagRow
from quarterdeck.storage.repositories.engineering_base import (
    EngineeringBase,
    offset_minutes,
    with_offset,
)

__all__ = ["GitHistory", "GitRepository"]


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

    def commits(self, workspace_id: int) -> dict[str, Commit]:
        """Every commit of the workspace by sha, with the offsets its times were written in."""
        rows = self._session.execute(
            select(
                CommitRow.sha,
                CommitRow.parents,
                CommitRow.author_email,
                CommitRow.author_time,
                CommitRow.author_offset,
                CommitRow.committer_time,
                CommitRow.committer_offset,
            ).where(CommitRow.workspace_id == workspace_id)
        )
        return {
            sha: Commit(
                sha=sha,
                parents=tuple(parents),
                author_email=email,
                author_time=with_offset(authored, author_offset),
                committer_time=with_offset(committed, committer_offset),
            )
            for sha, parents, email, authored, author_offset, committed, committer_offset in rows
        }

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


def _repository(row: GitRepositoryRow) -> GitRepository:
    return GitRepository(
        id=row.id,
        name=row.name,
        path=row.path,
        tips=tuple(row.tips or ()),
        commit_count=row.commit_count,
        last_read_at=row.last_read_at,
    )
