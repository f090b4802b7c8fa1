"""Reading a local git repository into a workspace: new commits, its tags, and release
tags as deployments by the workspace's release rule."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.git import open_repository
from quarterdeck.ingest.git_parse import paused_collector
from quarterdeck.services import audit, computed
from quarterdeck.services.access import authorize
from quarterdeck.services.delivery_choices import keep_release_rule, release_rules
from quarterdeck.storage import UnitOfWork

__all__ = ["GitIntake", "ingest_git"]


@dataclass(frozen=True, slots=True)
class GitIntake:
    repository: str
    commits_added: int
    tags: int
    deployments_from_tags: int  # tags that the release pattern turns into deployments


def ingest_git(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    path: str,
    name: str | None = None,
    release_pattern: str | None = None,
    service: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> GitIntake:
    """Read a local git repository into the workspace: the commits not read before (the
    ref tips of the last read bound the walk) and all its tags. With `release_pattern`
    (e.g. "v*"), matching tags become deployments of `service` (the repository's name by
    default); the rule is kept for later reads.

    Commits are stored batch by batch while git is still walking the history, in the
    caller's transaction: a failure part-way (git's, raised as UnreadableRepository) leaves
    nothing once the caller rolls back. `progress` gets the number of commits read so far.
    Raises what `quarterdeck.ingest.git.open_repository` raises, and InvalidInput for a
    repository name over 120 characters."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    repository = name or Path(path).resolve().name or "repository"
    if len(repository) > 120:
        raise InvalidInput("a repository name is limited to 120 characters")
    known = uow.engineering.repository(ws.id, repository)
    read = open_repository(path, known_tips=() if known is None else known.tips)
    # Batches are stored as git prints them; the records hold no reference cycles, so the
    # collector's passes meanwhile would be pure cost.
    with paused_collector(), closing(read.commit_records(progress=progress)) as batches:
        added = uow.engineering.add_commit_records(ws.id, batches)
    uow.engineering.save_repository_read(
        ws.id,
        name=repository,
        path=str(read.path),
        tips=read.tips,
        tags=read.tags,
        added_commits=added,
        now=uow.now(),
    )
    if release_pattern is not None:
        keep_release_rule(uow, ws, repository, release_pattern, service or repository)
    rule = release_rules(uow, ws).get(repository)
    releases = 0 if rule is None else sum(fnmatchcase(t.name, rule.pattern) for t in read.tags)
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="git.ingested",
        entity_type="repository",
        entity_id=repository[:64],
        after={"commits_added": added, "tags": len(read.tags), "release_tags": releases},
    )
    computed.recompute(uow, ws)
    return GitIntake(repository, added, len(read.tags), releases)
