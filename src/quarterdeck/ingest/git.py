"""Git history in: the commits and tags of a local repository, read with the git command line.

`read_repository` runs git (argument lists, never a shell) and returns plain `Commit` and
`TagRef` values with both times in the offsets they were written in. Pass the `tips` of one
read as `known_tips` to the next and only the commits made since are read.

`open_repository` reads the refs only and streams the commits on demand, in batches handed
on while git is still walking, as Commits or as the plain `CommitRecord` tuples a store
takes: a long history is stored as it is read, never held whole.

The git command line was measured against pygit2 and dulwich doing the same walk over a
100,000-commit history (benchmarks/git_ingest.py compares them when they are installed):
pygit2 took 1.1-1.4x as long and dulwich 6-7x, so no library is needed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Generator
from dataclasses import dataclass, field
from pathlib import Path

from quarterdeck.domain.engineering import Commit, TagRef
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.git_command import (
    OBJECT_ID,
    REPOSITORY_VARIABLES,
    Git,
    GitRepositoryError,
    NotARepository,
    Progress,
    ShallowRepository,
    UnreadableRepository,
)
from quarterdeck.ingest.git_parse import (
    CommitRecord,
    Parsed,
    RefRecord,
    parse_commits,
    parse_records,
    paused_collector,
)

__all__ = [
    "REPOSITORY_VARIABLES",
    "CommitRecord",
    "GitRepositoryError",
    "NotARepository",
    "Progress",
    "RepositoryHistory",
    "RepositoryRead",
    "ShallowRepository",
    "UnreadableRepository",
    "open_repository",
    "read_repository",
]

# Batches of commits as git prints them; close one not read to the end, and git stops.
Batches = Generator[list[Parsed], None, None]
# Refs that hold no project history: the stash, notes and replacement objects.
STASH = "refs/stash"
IGNORED_NAMESPACES = ("refs/notes/", "refs/replace/")


@dataclass(frozen=True, slots=True)
class RepositoryRead:
    """What one read found. `commits` are those not reachable from the known tips, in the
    order git lists them (newest first, parents not always after children); `tips` are the
    commits all refs point at now, to pass as `known_tips` next time."""

    path: Path
    bare: bool
    commits: tuple[Commit, ...]
    tags: tuple[TagRef, ...]
    tips: tuple[str, ...]
    skipped_tags: tuple[str, ...] = ()  # tags naming a tree or a blob, not a commit

    @property
    def commit_count(self) -> int:
        return len(self.commits)

    @property
    def merge_count(self) -> int:
        return sum(1 for commit in self.commits if len(commit.parents) > 1)

    @property
    def tag_count(self) -> int:
        return len(self.tags)

    @property
    def annotated_tag_count(self) -> int:
        return sum(1 for tag in self.tags if tag.tagger_time is not None)


@dataclass(frozen=True, slots=True)
class RepositoryHistory:
    """An opened repository: what its refs say now (read when it was opened), and the
    commits made since the known tips, streamed from git when asked for. Each call of
    `commits` or `commit_records` runs git again."""

    path: Path
    bare: bool
    tags: tuple[TagRef, ...]
    tips: tuple[str, ...]
    skipped_tags: tuple[str, ...]
    _git: Git = field(repr=False)
    _exclude: tuple[str, ...] | None = field(repr=False)  # None: nothing new to read

    def commits(self, *, progress: Progress | None = None) -> Batches[Commit]:
        """The new commits in the order git lists them, in lists of a few thousand handed on
        while git is still reading; see `read_repository` for what comes back and what is
        raised (at the end, when git fails)."""
        return self._log(parse_commits, progress)

    def commit_records(self, *, progress: Progress | None = None) -> Batches[CommitRecord]:
        """The same as `commits`, as plain CommitRecord tuples (what a store needs)."""
        return self._log(parse_records, progress)

    def _log(
        self, parse: Callable[[str, list[Parsed]], None], progress: Progress | None
    ) -> Batches[Parsed]:
        if self._exclude is None:
            if progress is not None:
                progress(0)
            return
        yield from self._git.log(list(self.tips), list(self._exclude), parse, progress=progress)


def open_repository(
    path: str | os.PathLike[str], *, known_tips: Collection[str] = ()
) -> RepositoryHistory:
    """Open the git repository at `path` (a working tree's top folder or a bare
    repository): read its refs now, and get ready to read the commits since `known_tips`.

    Raises ToolMissing when git is not installed (or older than 2.15), InvalidInput when a
    known tip is not a commit id, NotARepository, ShallowRepository (with how to fetch the
    full history) and UnreadableRepository (git's own message), each naming the path.
    """
    shown = Path(path)
    known = _object_ids(known_tips)
    git = Git.open(shown)
    bare = git.check_repository()
    records = git.refs()
    nested = [record.target for record in records if record.tagged_kind == "tag"]
    peeled = dict(zip(nested, git.object_kinds(f"{oid}^{{}}" for oid in nested), strict=True))
    tags, tips, skipped = _sort_refs(records, peeled)
    head = git.head()
    if head is not None:
        tips.add(head)
    exclude = None
    if not tips <= known:
        # `git log --stdin` stops at an unknown object, so keep the known tips still here.
        wanted = sorted(known)
        kinds = git.object_kinds(wanted)
        exclude = tuple(
            oid for oid, (_, kind) in zip(wanted, kinds, strict=True) if kind == "commit"
        )
    return RepositoryHistory(
        path=shown,
        bare=bare,
        tags=tuple(tags),
        tips=tuple(sorted(tips)),
        skipped_tags=tuple(skipped),
        _git=git,
        _exclude=exclude,
    )


def read_repository(
    path: str | os.PathLike[str],
    *,
    known_tips: Collection[str] = (),
    progress: Progress | None = None,
) -> RepositoryRead:
    """Read the history of the git repository at `path` (a working tree's top folder or a
    bare repository).

    Returns every commit reachable from a ref (branches, remote branches, tags, a detached
    HEAD; not stashes, notes or replace refs) and not from `known_tips`, every tag peeled to
    its commit, and the current tips. A known tip that is no longer in the repository is
    ignored; commits it reached that are still reachable come back again, so store commits
    by sha. `progress` gets the number of commits read so far as they arrive.

    Raises what `open_repository` raises, and UnreadableRepository when git fails while
    reading the commits.
    """
    history = open_repository(path, known_tips=known_tips)
    with paused_collector():
        commits = tuple(c for part in history.commits(progress=progress) for c in part)
    return RepositoryRead(
        path=history.path,
        bare=history.bare,
        commits=commits,
        tags=history.tags,
        tips=history.tips,
        skipped_tags=history.skipped_tags,
    )


def _object_ids(values: Collection[str]) -> set[str]:
    if isinstance(values, str):
        raise InvalidInput("known tips must be a collection of commit ids, not one string")
    found = set()
    for value in values:
        oid = value.strip().lower() if isinstance(value, str) else ""
        if not OBJECT_ID.fullmatch(oid):
            raise InvalidInput(f"known tip {value!r} is not a full commit id (40 or 64 hex digits)")
        found.add(oid)
    return found


def _sort_refs(
    records: list[RefRecord], peeled: dict[str, tuple[str, str]]
) -> tuple[list[TagRef], set[str], list[str]]:
    """Split the refs into tags (peeled to commits), the set of tip commits, and the names
    of tags that name no commit."""
    tags: list[TagRef] = []
    tips: set[str] = set()
    skipped: list[str] = []
    for record in records:
        if record.name == STASH or record.name.startswith(IGNORED_NAMESPACES):
            continue
        if record.kind == "commit":
            commit = record.target
        elif record.kind == "tag" and record.tagged_kind == "commit":
            commit = record.tagged
        elif record.kind == "tag" and record.tagged_kind == "tag":
            commit, kind = peeled[record.target]
            commit = commit if kind == "commit" else ""
        else:
            commit = ""
        is_tag = record.name.startswith("refs/tags/")
        if not commit:
            if is_tag:
                skipped.append(record.name.removeprefix("refs/tags/"))
            continue
        tips.add(commit)
        if is_tag:
            tagger_time = record.tagger_time if record.kind == "tag" else None
            tags.append(TagRef(record.name.removeprefix("refs/tags/"), commit, tagger_time))
    return tags, tips, skipped
