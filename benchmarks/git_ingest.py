"""Git ingest: reading a generated 100,000-commit history with 1,000 release tags against the
plain `git log` that prints the same fields, same machine, same run.

The baseline is the floor any reader pays (git walking the history and a pipe carrying it);
the ratio says what parsing into Commit values costs on top. Also measured: a re-read of the
unchanged repository with the known tips, an incremental read after 100 new commits, the
peak memory of a full read, and, when they are installed, pygit2 and dulwich doing the same
walk. Run with `make bench`.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from quarterdeck.ingest.git import read_repository

COMMITS = 100_000
TAGS = 1_000
NEW_COMMITS = 100
RUNS = 5
AIM_FULL = 1.5  # full read within 1.5x the plain git log
AIM_REREAD = 1.0  # seconds
OFFSETS = (
    "+0000", "+0100", "+0200", "+0300", "+0530", "+0545", "+0800", "+0900", "+1000", "+1245",
    "-0300", "-0330", "-0400", "-0500", "-0700", "-0800", "-1000",
)  # fmt: skip
BASELINE = ["log", "--format=%H%x00%at%x00%ct%x00%P%x00%ae", "--all"]
GIT_ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
PEAK_MEMORY = """
import resource, sys
from pathlib import Path
from quarterdeck.ingest.git import read_repository
read = read_repository(sys.argv[1])
status = Path("/proc/self/status")
peak = [line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM")]
print(read.commit_count, peak[0] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def history(commits: int, tags: int, *, start: int = 0, seed: int = 3) -> Iterator[bytes]:
    """A fast-import stream: a main line with short feature branches merged into it (about
    one commit in ten), 500 authors and a bot in 17 offsets, some author times days before
    their committer times and some after, and `tags` main commits tagged, annotated and
    lightweight in turn. With `start`, it continues an existing main line."""
    chance = random.Random(seed + start)
    people = [f"dev{n}@example.com" for n in range(500)] + ["bot@users.noreply.github.com"]
    clock = 1_546_300_800 + start * 2_000
    mark = 0
    main = "refs/heads/main^0" if start else ""
    chunk: list[bytes] = []

    def commit(ref: str, parent: str, merged: str) -> str:
        nonlocal mark, clock
        mark += 1
        clock += chance.randint(60, 3_600)
        email = chance.choice(people)
        skew = chance.random()
        authored = clock - chance.randint(1, 300_000) if skew < 0.3 else clock
        authored = clock + chance.randint(1, 5_000) if skew > 0.97 else authored
        text = f"change {start + mark}\n"
        path = f"services/{chance.choice(('payments', 'search', 'web'))}/{mark % 40}.txt"
        lines = [
            f"commit {ref}\nmark :{mark}\n",
            f"author Dev <{email}> {authored} {chance.choice(OFFSETS)}\n",
            f"committer Dev <{email}> {clock} {chance.choice(OFFSETS)}\n",
            f"data {len(text)}\n{text}",
            f"from {parent}\n" if parent else "",
            f"merge {merged}\n" if merged else "",
            f"M 100644 inline {path}\ndata {len(text)}\n{text}\n",
        ]
        chunk.append("".join(lines).encode())
        return f":{mark}"

    made = 0
    while mark < commits:
        if main and chance.random() < 0.03 and mark + 5 < commits:
            side = main
            for _ in range(chance.randint(1, 4)):
                side = commit("refs/heads/feature", side, "")
            main = commit("refs/heads/main", main, side)
        else:
            main = commit("refs/heads/main", main, "")
        if made < tags and mark >= (made + 1) * (commits // (tags + 1)):
            made += 1
            name = f"v{start}.{made}.0"
            if made % 2:
                note = f"release {name}\n"
                chunk.append(
                    f"tag {name}\nfrom {main}\ntagger Release <release@example.com> "
                    f"{clock + 600} {chance.choice(OFFSETS)}\ndata {len(note)}\n{note}".encode()
                )
            else:
                chunk.append(f"reset refs/tags/{name}\nfrom {main}\n\n".encode())
        if len(chunk) > 5_000:
            yield b"".join(chunk)
            chunk.clear()
    yield b"".join(chunk)


def fast_import(repo: Path, stream: Iterator[bytes]) -> None:
    importer = subprocess.Popen(
        ["git", "fast-import", "--quiet"], cwd=repo, env=GIT_ENV, stdin=subprocess.PIPE
    )
    assert importer.stdin is not None
    for piece in stream:
        importer.stdin.write(piece)
    importer.stdin.close()
    if importer.wait():
        raise SystemExit("git fast-import failed")


def median_seconds(*actions: Callable[[], object]) -> list[float]:
    """The median time of each action over RUNS rounds, the actions taking turns within a
    round so that a change in the machine's load falls on all of them alike."""
    for action in actions:
        action()  # unmeasured: warms the page cache and the imports
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(RUNS):
        for action, taken in zip(actions, samples, strict=True):
            start = time.perf_counter()
            action()
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) for taken in samples]


def git_log(repo: Path, **environment: str) -> bytes:
    env = {**GIT_ENV, **environment}
    return subprocess.run(
        ["git", *BASELINE], cwd=repo, env=env, capture_output=True, check=True
    ).stdout


def peak_memory_kib(repo: Path) -> tuple[int, int]:
    """The peak resident memory of a fresh interpreter doing one full read (VmHWM on Linux,
    where ru_maxrss would also count this process's own peak, inherited through exec), and
    ru_maxrss of its git children."""
    answer = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, str(repo)], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(answer[1]), int(answer[2])


def libraries(repo: Path) -> dict[str, Callable[[], int]]:
    """The same walk (every ref's commits with sha, parents, email, both aware times) through
    the git libraries that are installed; the project depends on neither."""
    zones: dict[int, timezone] = {}

    def zone(minutes: int) -> timezone:
        return zones.setdefault(minutes, timezone(timedelta(minutes=minutes)))

    walks: dict[str, Callable[[], int]] = {}
    try:
        import pygit2
    except ImportError:
        pass
    else:

        def with_pygit2() -> int:
            found = pygit2.Repository(str(repo))
            walker = found.walk(None, pygit2.GIT_SORT_NONE)
            for name in found.references:
                target = found.references[name].peel()
                if target.type == pygit2.GIT_OBJECT_COMMIT:
                    walker.push(target.id)
            rows = [
                (
                    str(c.id),
                    tuple(str(p) for p in c.parent_ids),
                    c.author.email,
                    datetime.fromtimestamp(c.author.time, zone(c.author.offset)),
                    datetime.fromtimestamp(c.committer.time, zone(c.committer.offset)),
                )
                for c in walker
            ]
            return len(rows)

        walks[f"pygit2 {pygit2.__version__}"] = with_pygit2
    try:
        import dulwich
        from dulwich.repo import Repo
    except ImportError:
        pass
    else:

        def with_dulwich() -> int:
            found = Repo(str(repo))
            tips = []
            for oid in found.get_refs().values():
                target = found[oid]
                while target.type_name == b"tag":
                    target = found[target.object[1]]
                if target.type_name == b"commit":
                    tips.append(target.id)
            rows = []
            for entry in found.get_walker(include=tips):
                c = entry.commit
                rows.append(
                    (
                        c.id.decode(),
                        tuple(p.decode() for p in c.parents),
                        c.author.rsplit(b"<", 1)[-1].rstrip(b">").decode(),
                        datetime.fromtimestamp(c.author_time, zone(c.author_timezone // 60)),
                        datetime.fromtimestamp(c.commit_time, zone(c.commit_timezone // 60)),
                    )
                )
            return len(rows)

        walks["dulwich " + ".".join(map(str, dulwich.__version__))] = with_dulwich
    return walks


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder, "history")
        repo.mkdir()
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, env=GIT_ENV, check=True)
        started = time.perf_counter()
        fast_import(repo, history(COMMITS, TAGS))
        generated = time.perf_counter() - started

        python_kib, git_kib = peak_memory_kib(repo)  # first: this process is small yet
        first = read_repository(repo)
        if first.commit_count != COMMITS or first.tag_count != TAGS:
            print(f"expected {COMMITS} commits and {TAGS} tags, read {first.commit_count}")
            return 1
        walks = libraries(repo)
        baseline, unflushed, full, *other_times = median_seconds(
            lambda: git_log(repo),
            lambda: git_log(repo, GIT_FLUSH="0"),
            lambda: read_repository(repo),
            *walks.values(),
        )
        others = dict(zip(walks, other_times, strict=True))
        (reread,) = median_seconds(lambda: read_repository(repo, known_tips=first.tips))
        fast_import(repo, history(NEW_COMMITS, 0, start=COMMITS))
        added = read_repository(repo, known_tips=first.tips).commit_count
        (incremental,) = median_seconds(lambda: read_repository(repo, known_tips=first.tips))

    print(
        f"Git ingest of {COMMITS:,} generated commits and {TAGS:,} tags, median of {RUNS} "
        f"runs ({sys.executable})"
    )
    print(f"  generating the history (fast-import)     {generated:8.1f} s  (not measured below)")
    print(f"  plain git log, same fields (baseline)    {baseline * 1000:8.1f} ms")
    print(f"  the same with GIT_FLUSH=0 (the floor)    {unflushed * 1000:8.1f} ms")
    print(
        f"  read_repository, full read               {full * 1000:8.1f} ms"
        f"  ({COMMITS / full:,.0f} commits/s)"
    )
    verdict = "within" if full / baseline < AIM_FULL else "OVER"
    print(
        f"  ratio full read / baseline: {full / baseline:.2f}x ({verdict} the {AIM_FULL:g}x aim);"
        f" / floor: {full / unflushed:.2f}x"
    )
    verdict = "within" if reread < AIM_REREAD else "OVER"
    print(
        f"  re-read, unchanged, with known tips      {reread * 1000:8.1f} ms"
        f"  ({verdict} the {AIM_REREAD:g} s aim)"
    )
    print(
        f"  read after {added} new commits, known tips {incremental * 1000:8.1f} ms"
        f"  ({incremental / full:.1%} of a full read)"
    )
    print(
        f"  peak memory of a full read, in a child interpreter (VmHWM; git's ru_maxrss): "
        f"python {python_kib / 1024:.0f} MiB, git {git_kib / 1024:.0f} MiB"
    )
    for name, seconds in others.items():
        print(f"  {name:<40} {seconds * 1000:8.1f} ms  ({seconds / full:.1f}x read_repository)")
    if not others:
        print("  (pygit2 and dulwich are not installed: no library comparison in this run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
