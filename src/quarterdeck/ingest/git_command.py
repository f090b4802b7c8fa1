"""The git command line, pointed at one repository: a clean environment, the version check,
the few commands the reader runs, and the errors a repository can give.

Git runs from argument lists, never a shell. `Git.log` streams `git log` through a pipe
widened so that git keeps printing while the commits before are parsed and stored.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Generator, Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO

from quarterdeck.domain.errors import InvalidInput, ToolMissing
from quarterdeck.ingest.git_parse import (
    LOG_DATE,
    LOG_FORMAT,
    REF_FORMAT,
    Parsed,
    RefRecord,
    parse_refs,
    stream_log,
)

if sys.platform == "linux":
    import fcntl

__all__ = [
    "OBJECT_ID",
    "REPOSITORY_VARIABLES",
    "Git",
    "GitRepositoryError",
    "NotARepository",
    "Progress",
    "ShallowRepository",
    "UnreadableRepository",
]

Progress = Callable[[int], None]  # gets the number of commits read so far
MINIMUM_GIT = (2, 15)  # `rev-parse --is-shallow-repository`
PIPE_SIZE = 1 << 20  # what Linux lets any user ask for (/proc/sys/fs/pipe-max-size)
OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
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


class GitRepositoryError(InvalidInput):
    """The repository at the given path cannot be read; the message names the path."""


class NotARepository(GitRepositoryError):
    """The path is missing, is not a folder, or is not a git repository."""


class ShallowRepository(GitRepositoryError):
    """The repository is a shallow clone: its history is cut, so lead times would be wrong."""


class UnreadableRepository(GitRepositoryError):
    """Git failed while reading: a damaged object, a missing one, or no permission."""


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
class Git:
    """The git command line, pointed at one repository."""

    executable: str
    shown: Path  # the path as the caller gave it, for messages
    root: Path
    environment: dict[str, str]

    @classmethod
    def open(cls, shown: Path) -> Git:
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
        parse: Callable[[str, list[Parsed]], None],
        *,
        progress: Progress | None,
    ) -> Generator[list[Parsed], None, None]:
        """Stream `git log` over the commits reachable from `tips` and not from `exclude`,
        handing on each batch as soon as it is parsed. Git's failure is raised once its
        output has ended; a consumer that stops early stops git."""
        request = "".join(f"{oid}\n" for oid in tips) + "".join(f"^{oid}\n" for oid in exclude)
        command = [
            self.executable,
            "log",
            "--no-show-signature",  # `log.showSignature` would run gpg into the stream
            f"--date={LOG_DATE}",
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
            _widen(process.stdout)
            try:
                # git log reads all of --stdin before it prints, so writing first is safe.
                _send(process.stdin, request.encode())
                yield from stream_log(process.stdout.read, parse, progress=progress)
            except ValueError as error:
                failure = error
                process.stdout.close()  # a git still printing stops on the closed pipe
            except BaseException:  # closed by a consumer that stopped early, or an interrupt
                process.kill()
                raise
            returncode = process.wait()
            errors.seek(0)
            stderr = errors.read()
        if returncode and (failure is None or stderr.strip()):
            raise self.unreadable(stderr)
        if failure is not None:
            raise UnreadableRepository(f"{self.shown}: {failure}")


def _widen(pipe: IO[bytes]) -> None:
    """Let git print up to PIPE_SIZE ahead of the reader (the default is 64 KiB), so that it
    keeps working while the commits it printed last are being stored. Linux only; a
    refusal (a user over the system's pipe allowance) leaves the pipe as it was."""
    if sys.platform == "linux":
        with suppress(OSError):
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)


def _send(stream: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    try:
        while view:
            view = view[stream.write(view) :]
    except BrokenPipeError:
        pass  # git stopped early; its exit status and message say why
    stream.close()
