"""Real git repositories for the git reader's tests, made with the git command line: commits
at chosen times and offsets, tags, and larger generated histories through `git fast-import`."""

from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from quarterdeck.domain.engineering import Commit, TagRef

# The tests' own git runs ignore the machine's git configuration (signing, hooks, templates).
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Ana Lima",
    "GIT_AUTHOR_EMAIL": "ana@example.com",
    "GIT_COMMITTER_NAME": "Ana Lima",
    "GIT_COMMITTER_EMAIL": "ana@example.com",
}
OFFSETS = ("+0000", "+0100", "+0530", "+0545", "-0700", "-0330", "+0900", "+1245", "-1000")
BOT = "49699333+dependabot[bot]@users.noreply.github.com"


def git(repo: Path, *args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> str:
    """Run git in `repo` and return what it printed, stripped; fails the test on an error."""
    result = subprocess.run(
        ["git", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV, **(env or {})},
        input=stdin,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode().strip()


def git_date(iso: str) -> str:
    """A time in git's own raw form ("@seconds +hhmm"), which every git version reads."""
    moment = datetime.fromisoformat(iso)
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"@{int(moment.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit(
    repo: Path,
    message: str,
    *,
    authored: str = "2024-03-01T09:00:00+00:00",
    committed: str | None = None,
    email: str = "ana@example.com",
    files: dict[str, str] | None = None,
) -> str:
    """Commit `files` (or nothing) at the given ISO times and return the new sha."""
    for name, text in (files or {}).items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        git(repo, "add", name)
    times = {
        "GIT_AUTHOR_DATE": git_date(authored),
        "GIT_COMMITTER_DATE": git_date(committed or authored),
        "GIT_AUTHOR_EMAIL": email,
    }
    git(repo, "commit", "-q", "--allow-empty", "-m", message, env=times)
    return git(repo, "rev-parse", "HEAD")


def tag(repo: Path, name: str, *, at: str | None = None, target: str = "HEAD") -> None:
    """A lightweight tag, or an annotated one made at the ISO time `at`."""
    if at is None:
        git(repo, "tag", name, target)
    else:
        git(repo, "tag", "-a", "-m", f"release {name}", name, target, env=tagger(at))


def tagger(at: str) -> dict[str, str]:
    return {"GIT_COMMITTER_DATE": git_date(at), "GIT_COMMITTER_EMAIL": "release@example.com"}


def expected(
    repo: Path, rev: str, email: str, authored: str, committed: str | None = None
) -> Commit:
    """The Commit a reader must return for `rev`, parents and shas taken from git itself."""
    sha, *parents = git(repo, "rev-list", "--parents", "-n", "1", rev).split()
    return Commit(
        sha,
        tuple(parents),
        email,
        datetime.fromisoformat(authored),
        datetime.fromisoformat(committed or authored),
    )


def exactly(value: Commit | TagRef) -> tuple[object, ...]:
    """A value with its times as ISO text, so that a comparison sees the offsets too (equal
    datetimes may be written in different offsets)."""
    if isinstance(value, Commit):
        return (
            value.sha,
            value.parents,
            value.author_email,
            value.author_time.isoformat(),
            value.committer_time.isoformat(),
        )
    tagged = value.tagger_time.isoformat() if value.tagger_time else None
    return (value.name, value.commit, tagged)


def generated_stream(commits: int, tags: int, *, seed: int = 11) -> Iterator[bytes]:
    """A `git fast-import` stream: a main line with feature branches merged into it, many
    authors (a bot among them) in many offsets, author times before, equal to and after the
    committer times, and `tags` main commits spread over the history tagged, annotated and
    lightweight in turn. Ends with one unmerged branch."""
    chance = random.Random(seed)
    people = [f"dev{n}@example.com" for n in range(60)] + [BOT]
    clock = 1_600_000_000
    mark = 0
    made_tags = 0

    def one(ref: str, parent: int, merged: int) -> bytes:
        nonlocal mark, clock
        mark += 1
        clock += chance.randint(60, 7_200)
        email = chance.choice(people)
        authored = clock - chance.choice((0, 0, 0, chance.randint(1, 400_000), -300))
        zone = chance.choice(OFFSETS)
        text = f"change {mark}\n".encode()
        service = chance.choice(("payments", "search"))
        return b"".join(
            (
                f"commit {ref}\nmark :{mark}\n".encode(),
                f"author Dev <{email}> {authored} {chance.choice(OFFSETS)}\n".encode(),
                f"committer Dev <{email}> {clock} {zone}\n".encode(),
                f"data {len(text)}\n".encode() + text,
                f"from :{parent}\n".encode() if parent else b"",
                f"merge :{merged}\n".encode() if merged else b"",
                f"M 100644 inline services/{service}/{mark % 13}.txt\n".encode(),
                f"data {len(text)}\n".encode() + text + b"\n",
            )
        )

    main = 0
    while mark < commits - 1:
        batch = []
        if main and chance.random() < 0.15 and mark + 5 < commits - 1:
            side = main
            for _ in range(chance.randint(1, 3)):
                batch.append(one("refs/heads/feature", side, 0))
                side = mark
            batch.append(one("refs/heads/main", main, side))
        else:
            batch.append(one("refs/heads/main", main, 0))
        main = mark
        if made_tags < tags and mark >= (made_tags + 1) * (commits // (tags + 1)):
            made_tags += 1
            name = f"v2.{made_tags}.0"
            if made_tags % 2:
                note = f"release {name}\n".encode()
                who = f"tagger Release <release@example.com> {clock + 900} {chance.choice(OFFSETS)}"
                batch.append(f"tag {name}\nfrom :{main}\n{who}\ndata {len(note)}\n".encode() + note)
            else:
                batch.append(f"reset refs/tags/{name}\nfrom :{main}\n\n".encode())
        yield b"".join(batch)
    yield one("refs/heads/unmerged", main, 0)


def fast_import(repo: Path, stream: Iterator[bytes]) -> None:
    data = b"".join(stream)
    git(repo, "fast-import", "--quiet", stdin=data)
