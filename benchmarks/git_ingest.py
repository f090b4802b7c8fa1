"""Git ingest: a generated 100,000-commit history with 1,000 release tags read and stored
against the plain `git log` that prints the same fields, same machine, same run.

The baseline is the floor any reader pays (git walking the history and a pipe carrying it).
Measured against it: the whole ingest as `quarterdeck ingest git` runs it (`ingest_git` into
a fresh, migrated SQLite database, committed), and the reader alone (`read_repository`,
parsing into Commit values). Also measured: re-ingesting the unchanged repository, ingesting
after 100 new commits, the peak memory of the whole ingest and of a full read, and, when they
are installed, pygit2 and dulwich doing the reader's walk. Run with `make bench`.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from quarterdeck.domain.access import Actor
from quarterdeck.ingest.git import read_repository
from quarterdeck.services import workspaces
from quarterdeck.services.git_ingest import ingest_git
from quarterdeck.storage import Database, make_engine, upgrade

COMMITS = 100_000
TAGS = 1_000
NEW_COMMITS = 100
RUNS = 5
AIM_FULL = 1.5  # whole ingest within 1.5x the plain git log
AIM_REREAD = 1.0  # seconds
AIM_MEMORY_MIB = 500
SLUG = "bench"
QUIET: dict[str, Any] = {"capture_output": True, "check": True}
CLI = "from quarterdeck.cli.app import main; main()"  # `quarterdeck`, from this interpreter
OPERATOR = Actor.operator("operator:bench")
OFFSETS = (
    "+0000", "+0100", "+0200", "+0300", "+0530", "+0545", "+0800", "+0900", "+1000", "+1245",
    "-0300", "-0330", "-0400", "-0500", "-0700", "-0800", "-1000",
)  # fmt: skip
BASELINE = ["log", "--format=%H%x00%at%x00%ct%x00%P%x00%ae", "--all"]
GIT_ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
# Run in a fresh interpreter: argv[1] is the repository, argv[2] a database file to ingest
# into, or "-" for a read alone.
PEAK_MEMORY = """
import resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from git_ingest import fresh_database, ingest, read_repository
if sys.argv[2] == "-":
    count = read_repository(sys.argv[1]).commit_count
else:
    database = fresh_database(Path(sys.argv[2]))
    count = ingest(database, Path(sys.argv[1]))
status = Path("/proc/self/status")
peak = [line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM")]
print(count, peak[0] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
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


Action = Callable[[], object] | tuple[Callable[[], object], Callable[[], object]]


def median_seconds(*actions: Action) -> list[float]:
    """The median time of each action over RUNS rounds, the actions taking turns within a
    round so that a change in the machine's load falls on all of them alike. An action given
    as (prepare, run) has `prepare` called before each run, unmeasured."""
    steps = [action if isinstance(action, tuple) else (lambda: None, action) for action in actions]
    for prepare, run in steps:
        prepare()
        run()  # unmeasured: warms the page cache and the imports
    samples: list[list[float]] = [[] for _ in steps]
    for _ in range(RUNS):
        for (prepare, run), taken in zip(steps, samples, strict=True):
            prepare()
            start = time.perf_counter()
            run()
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) for taken in samples]


def git_log(repo: Path, **environment: str) -> bytes:
    env = {**GIT_ENV, **environment}
    return subprocess.run(
        ["git", *BASELINE], cwd=repo, env=env, capture_output=True, check=True
    ).stdout


def fresh_database(path: Path) -> Database:
    """A new SQLite database at `path`, migrated, holding the benchmark's empty workspace."""
    database = Database(make_engine(f"sqlite:///{path}"))
    upgrade(database.engine)
    with database.unit_of_work(write=True) as uow:
        workspaces.create(uow, actor=OPERATOR, slug=SLUG, name="Git ingest benchmark")
    return database


def ingest(database: Database, repo: Path) -> int:
    """`quarterdeck ingest git` without the terminal: one unit of work, committed."""
    with database.unit_of_work(write=True) as uow:
        return ingest_git(uow, actor=OPERATOR, workspace=SLUG, path=str(repo)).commits_added


class Ingests:
    """Ingests of `repo`, each into a database of its own made beforehand: a fresh one, or a
    copy of `template` (a database file no connection holds open)."""

    def __init__(self, repo: Path, folder: Path, template: Path | None = None) -> None:
        self.repo = repo
        self.folder = Path(tempfile.mkdtemp(dir=folder))  # no name shared with other runs
        self.template = template
        self.made = 0
        self.database: Database | None = None
        self.added: list[int] = []

    def prepare(self) -> None:
        if self.database is not None:
            self.database.dispose()
            for used in self.folder.glob(f"ingest-{self.made}.db*"):
                used.unlink()
        self.made += 1
        path = self.folder / f"ingest-{self.made}.db"
        if self.template is None:
            self.database = fresh_database(path)
        else:
            shutil.copyfile(self.template, path)
            self.database = Database(make_engine(f"sqlite:///{path}"))

    def run(self) -> None:
        assert self.database is not None
        self.added.append(ingest(self.database, self.repo))


def settled(database: Database, path: Path) -> Path:
    """The database file with everything in it (the write-ahead log folded in), closed."""
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


def peak_memory_kib(repo: Path, database: Path | None) -> tuple[int, int]:
    """The peak resident memory of a fresh interpreter doing one whole ingest into a new
    `database`, or one full read when None (VmHWM on Linux, where ru_maxrss would also count
    this process's own peak, inherited through exec), and ru_maxrss of its git children."""
    target = "-" if database is None else str(database)
    here = str(Path(__file__).resolve().parent)
    command = [sys.executable, "-c", PEAK_MEMORY, str(repo), target, here]
    answer = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    if int(answer[0]) != COMMITS:
        raise SystemExit(f"the child read {answer[0]} commits, not {COMMITS}")
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
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        repo = folder / "history"
        repo.mkdir()
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, env=GIT_ENV, check=True)
        started = time.perf_counter()
        fast_import(repo, history(COMMITS, TAGS))
        generated = time.perf_counter() - started

        # First, while this process is small yet.
        ingest_kib, ingest_git_kib = peak_memory_kib(repo, folder / "memory.db")
        read_kib, _ = peak_memory_kib(repo, None)
        first = read_repository(repo)
        if first.commit_count != COMMITS or first.tag_count != TAGS:
            print(f"expected {COMMITS} commits and {TAGS} tags, read {first.commit_count}")
            return 1
        walks = libraries(repo)
        full = Ingests(repo, folder)
        baseline, unflushed, whole, reader, *other_times = median_seconds(
            lambda: git_log(repo),
            lambda: git_log(repo, GIT_FLUSH="0"),
            (full.prepare, full.run),
            lambda: read_repository(repo),
            *walks.values(),
        )
        if set(full.added) != {COMMITS}:
            print(f"the whole ingests added {full.added} commits, not {COMMITS} each")
            return 1
        others = dict(zip(walks, other_times, strict=True))

        stored = fresh_database(folder / "stored.db")
        ingest(stored, repo)
        reingests: list[int] = []
        cli = [sys.executable, "-c", CLI, "--db", str(stored.engine.url)]
        reingest, reread, command, startup = median_seconds(
            lambda: reingests.append(ingest(stored, repo)),
            lambda: read_repository(repo, known_tips=first.tips),
            lambda: subprocess.run([*cli, "ingest", "git", SLUG, str(repo)], **QUIET),
            lambda: subprocess.run([*cli, "workspace", "list"], **QUIET),
        )
        template = settled(stored, folder / "stored.db")

        fast_import(repo, history(NEW_COMMITS, 0, start=COMMITS))
        added = read_repository(repo, known_tips=first.tips).commit_count
        later = Ingests(repo, folder, template)
        incremental, incremental_read = median_seconds(
            (later.prepare, later.run),
            lambda: read_repository(repo, known_tips=first.tips),
        )
        if set(reingests) != {0} or set(later.added) != {added}:
            print(f"re-ingests added {set(reingests)}, ingests after {added} new: {later.added}")
            return 1

    print(
        f"Git ingest of {COMMITS:,} generated commits and {TAGS:,} tags, median of {RUNS} "
        f"runs ({sys.executable})"
    )
    print(f"  generating the history (fast-import)     {generated:8.1f} s  (not measured below)")
    print(f"  plain git log, same fields (baseline)    {baseline * 1000:8.1f} ms")
    print(f"  the same with GIT_FLUSH=0 (the floor)    {unflushed * 1000:8.1f} ms")
    print(
        f"  whole ingest into SQLite (ingest_git)    {whole * 1000:8.1f} ms"
        f"  ({COMMITS / whole:,.0f} commits/s, committed)"
    )
    verdict = "within" if whole / baseline < AIM_FULL else "OVER"
    print(
        f"  ratio whole ingest / baseline: {whole / baseline:.2f}x ({verdict} the {AIM_FULL:g}x "
        f"aim); / floor: {whole / unflushed:.2f}x"
    )
    print(
        f"  read_repository alone, full read         {reader * 1000:8.1f} ms"
        f"  ({reader / baseline:.2f}x baseline)"
    )
    verdict = "within" if reingest < AIM_REREAD else "OVER"
    print(
        f"  re-ingest, unchanged repository          {reingest * 1000:8.1f} ms"
        f"  ({verdict} the {AIM_REREAD:g} s aim; reader alone {reread * 1000:.1f} ms)"
    )
    print(
        f"  the same through the command line        {command * 1000:8.1f} ms  (a new process; "
        f"`quarterdeck workspace list` takes {startup * 1000:.1f} ms)"
    )
    print(
        f"  ingest after {added} new commits            {incremental * 1000:8.1f} ms"
        f"  ({incremental / whole:.1%} of the whole ingest; reader alone "
        f"{incremental_read * 1000:.1f} ms)"
    )
    verdict = "within" if ingest_kib / 1024 < AIM_MEMORY_MIB else "OVER"
    print(
        f"  peak memory of the whole ingest, child interpreter (VmHWM): "
        f"{ingest_kib / 1024:.0f} MiB ({verdict} the {AIM_MEMORY_MIB} MiB aim); "
        f"git {ingest_git_kib / 1024:.0f} MiB (ru_maxrss); a full read alone: "
        f"{read_kib / 1024:.0f} MiB"
    )
    for name, seconds in others.items():
        print(f"  {name:<40} {seconds * 1000:8.1f} ms  ({seconds / reader:.1f}x read_repository)")
    if not others:
        print("  (pygit2 and dulwich are not installed: no library comparison in this run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
