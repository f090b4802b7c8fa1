"""Git history in: the commits and tags of a local repository, read with the git command line.

`read_repository` runs git (argument lists, never a shell) and returns plain `Commit` and
`TagRef` values with both times in the offsets they were written in. Pass the `tips` of one
read as `known_tips` to the next and only the commits made since are read.

The git command line was measured against pygit2 and dulwich doing the same walk over a
100,000-commit history (benchmarks/git_ingest.py compares them when they are installed):
pygit2 took 1.1-1.4x as long and dulwich 6-7x, so no library is needed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO

from quarterdeck.domain.engineering import Commit, TagRef
from quarterdeck.domain.errors import InvalidInput, ToolMissing
from quarterdeck.ingest.git_parse import LOG_FORMAT, REF_FORMAT, RefRecord, parse_refs, read_log

__all__ = [
    "GitRepositoryError",
    "NotARepository",
    "RepositoryRead",
    "ShallowRepository",
    "UnreadableRepository",
    "read_repository",
]

MINIMUM_GIT = (2, 15)  # `rev-parse --is-shallow-repository`
# Refs that hold no project history: the stash, notes and replacement objects.
STASH = "refs/stash"
IGNORED_NAMESPACES = ("refs/notes/", "refs/replace/")
# What `git rev-parse --local-env-vars` lists: each points git at some other repository, and
# one inherited from a git hook or a test run would silently read the wrong history.
REPOSITORY_VARIABLES = (
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_CONFIG",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_PARAMETERS",
    "GIT_DIR",
    "GIT_GRAFT_FILE",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_INTERNAL_SUPER_PREFIX",
    "GIT_NAMESPACE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_OBJECT_DIRECTORY",
    "GIT_PREFIX",
    "GIT_REPLACE_REF_BASE",
    "GIT_SHALLOW_FILE",
    "GIT_WORK_TREE",
)
OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


class GitRepositoryError(InvalidInput):
    """The repository at the given path cannot be read; the message names the path."""


class NotARepository(GitRepositoryError):
    """The path is missing, is not a folder, or is not a git repository."""


class ShallowRepository(GitRepositoryError):
    """The repository is a shallow clone: its history is cut, so lead times would be wrong."""


class UnreadableRepository(GitRepositoryError):
    """Git failed while reading: a damaged object, a missing one, or no permission."""


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


def read_repository(
    path: str | os.PathLike[str],
    *,
    known_tips: Collection[str] = (),
    progress: Callable[[int], None] | None = None,
) -> RepositoryRead:
    """Read the history of the git repository at `path` (a working tree's top folder or a
    bare repository).

    Returns every commit reachable from a ref (branches, remote branches, tags, a detached
    HEAD; not stashes, notes or replace refs) and not from `known_tips`, every tag peeled to
    its commit, and the current tips. A known tip that is no longer in the repository is
    ignored; commits it reached that are still reachable come back again, so store commits
    by sha. `progress` gets the number of commits read so far as they arrive.

    Raises ToolMissing when git is not installed (or older than 2.15), InvalidInput when a
    known tip is not a commit id, NotARepository, ShallowRepository (with how to fetch the
    full history) and UnreadableRepository (git's own message), each naming the path.
    """
    shown = Path(path)
    known = _object_ids(known_tips)
    git = _Git.open(shown)
    bare = git.check_repository()
    records = git.refs()
    nested = [record.target for record in records if record.tagged_kind == "tag"]
    peeled = dict(zip(nested, git.object_kinds(f"{oid}^{{}}" for oid in nested), strict=True))
    tags, tips, skipped = _sort_refs(records, peeled)
    head = git.head()
    if head is not None:
        tips.add(head)
    commits: list[Commit] = []
    if not tips <= known:
        # `git log --stdin` stops at an unknown object, so keep the known tips still here.
        wanted = sorted(known)
        kinds = git.object_kinds(wanted)
        exclude = [oid for oid, (_, kind) in zip(wanted, kinds, strict=True) if kind == "commit"]
        commits = git.log(sorted(tips), exclude, progress=progress)
    elif progress is not None:
        progress(0)
    return RepositoryRead(
        path=shown,
        bare=bare,
        commits=tuple(commits),
        tags=tuple(tags),
        tips=tuple(sorted(tips)),
        skipped_tags=tuple(skipped),
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


@cache
def _check_version(executable: str) -> None:
    result = subprocess.run([executable, "--version"], capture_output=True, text=True, check=False)
    found = re.match(r"git version (\d+)\.(\d+)", result.stdout)
    if result.returncode or found is None:
        raise ToolMissing(f"{executable} --version did not answer like git: {result.stdout!r}")
    version = (int(found[1]), int(found[2]))
    if version < MINIMUM_GIT:
        raise ToolMissing(
            f"git {found[1]}.{found[2]} is too old to read repositories; "
            f"Quarterdeck needs git {MINIMUM_GIT[0]}.{MINIMUM_GIT[1]} or newer"
        )


def _last_words(stderr: bytes) -> str:
    """Git's own explanation: its `fatal:` line when it printed one, else its last line."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line and not line.startswith("hint:")]
    fatal = [line for line in lines if line.startswith("fatal:")]
    return (fatal or lines or ["no message"])[-1]


@dataclass(frozen=True, slots=True)
class _Git:
    """The git command line, pointed at one repository."""

    executable: str
    shown: Path  # the path as the caller gave it, for messages
    root: Path
    environment: dict[str, str]

    @classmethod
    def open(cls, shown: Path) -> _Git:
        executable = shutil.which("git")
        if executable is None:
            raise ToolMissing(
                "git is not installed (or not on PATH); install it (Debian: apt-get install "
                "git) to read repositories"
            )
        _check_version(executable)
        if not shown.exists():
            raise NotARepository(f"{shown} does not exist")
        if not shown.is_dir():
            raise NotARepository(f"{shown} is a file, not a git repository")
        root = shown.resolve()
        environment = {
            name: value for name, value in os.environ.items() if name not in REPOSITORY_VARIABLES
        }
        environment.update(
            LC_ALL="C",  # git's messages in English: errors are told apart by their words
            GIT_TERMINAL_PROMPT="0",
            GIT_NO_REPLACE_OBJECTS="1",  # the history as recorded, not as replace refs show it
            GIT_NO_LAZY_FETCH="1",  # a partial clone never reaches for the network
            GIT_OPTIONAL_LOCKS="0",  # a reader takes no locks
            # Full buffers into the pipe instead of a flush per commit: halves git log's time.
            GIT_FLUSH="0",
            # The folder given must be the repository itself, not a folder somewhere inside one.
            GIT_CEILING_DIRECTORIES=str(root.parent),
        )
        return cls(executable, shown, root, environment)

    def run(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [self.executable, *args],
            cwd=self.root,
            env=self.environment,
            input=stdin,
            capture_output=True,
            check=False,
        )

    def unreadable(self, stderr: bytes) -> UnreadableRepository:
        return UnreadableRepository(
            f"git could not read {self.shown}: {_last_words(stderr)} "
            f"(`git -C {self.shown} fsck` lists damaged or missing objects)"
        )

    def check_repository(self) -> bool:
        """Whether the repository is bare; raises unless it is a complete repository."""
        result = self.run("rev-parse", "--is-bare-repository", "--is-shallow-repository")
        if result.returncode:
            if b"not a git repository" in result.stderr:
                raise NotARepository(
                    f"{self.shown} is not a git repository (give the folder that holds .git, "
                    "or a bare repository)"
                )
            raise self.unreadable(result.stderr)
        bare, shallow = result.stdout.split()
        if shallow == b"true":
            raise ShallowRepository(
                f"{self.shown} is a shallow clone: its history is cut off, so lead times "
                f"computed from it would be wrong. Fetch the whole history with "
                f"`git -C {self.shown} fetch --unshallow`, then read it again."
            )
        return bare == b"true"

    def refs(self) -> list[RefRecord]:
        result = self.run("for-each-ref", f"--format={REF_FORMAT}")
        if result.returncode:
            raise self.unreadable(result.stderr)
        try:
            return parse_refs(result.stdout.decode("utf-8", "replace"))
        except ValueError as error:
            raise UnreadableRepository(f"{self.shown}: {error}") from None

    def head(self) -> str | None:
        """The commit HEAD names, which matters when it is detached; None before the
        first commit."""
        result = self.run("rev-parse", "-q", "--verify", "HEAD^{commit}")
        return result.stdout.decode().strip() if result.returncode == 0 else None

    def object_kinds(self, names: Iterable[str]) -> list[tuple[str, str]]:
        """(object id, type) for each name, in order; ("", "missing") for an unknown one."""
        request = "".join(f"{name}\n" for name in names)
        if not request:
            return []
        result = self.run(
            "cat-file", "--batch-check=%(objectname) %(objecttype)", stdin=request.encode()
        )
        if result.returncode:
            raise self.unreadable(result.stderr)
        kinds = []
        for line in result.stdout.decode().splitlines():
            oid, _, kind = line.rpartition(" ")
            kinds.append((oid, kind) if OBJECT_ID.fullmatch(oid) else ("", "missing"))
        return kinds

    def log(
        self,
        tips: list[str],
        exclude: list[str],
        *,
        progress: Callable[[int], None] | None,
    ) -> list[Commit]:
        """Stream `git log` over the commits reachable from `tips` and not from `exclude`."""
        request = "".join(f"{oid}\n" for oid in tips) + "".join(f"^{oid}\n" for oid in exclude)
        command = [
            self.executable,
            "log",
            "--no-show-signature",  # `log.showSignature` would run gpg into the stream
            f"--format={LOG_FORMAT}",
            "--stdin",
        ]
        failure: ValueError | None = None
        with (
            tempfile.TemporaryFile() as errors,
            subprocess.Popen(
                command,
                cwd=self.root,
                env=self.environment,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                bufsize=0,  # raw pipes: each read takes what git has written so far
            ) as process,
        ):
            assert process.stdin is not None  # both are pipes, as asked
            assert process.stdout is not None
            try:
                # git log reads all of --stdin before it prints, so writing first is safe.
                _send(process.stdin, request.encode())
                commits = read_log(process.stdout.read, progress=progress)
            except ValueError as error:
                failure, commits = error, []
                process.stdout.close()  # a git still printing stops on the closed pipe
            except BaseException:
                process.kill()
                raise
            returncode = process.wait()
            errors.seek(0)
            stderr = errors.read()
        if returncode and (failure is None or stderr.strip()):
            raise self.unreadable(stderr)
        if failure is not None:
            raise UnreadableRepository(f"{self.shown}: {failure}")
        return commits


def _send(stream: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    try:
        while view:
            view = view[stream.write(view) :]
    except BrokenPipeError:
        pass  # git stopped early; its exit status and message say why
    stream.close()
