"""The demo organisation's git history: a year of Harbourline's monorepo, written with
`git fast-import` so that a few thousand commits take well under a second.

The monorepo holds three services: tracking (the shipment-tracking API, released by
annotated tags `tracking/vX.Y.Z` whose tagger time is when the deployment finished),
billing and portal (deployed from main by the pipeline; `demo_events` writes its events).
About twenty people in a dozen time zones branch, commit and merge, and each team merges
its own way (merge commits, squash merges, rebase merges), as real histories mix them. A
dependency bot proposes bumps every Monday. Around the new year the teams are mostly away
and nothing is released. Everything comes from a seeded generator and the clock given:
the same clock gives the same repository, commit for commit.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.services.demo_cast import (
    BOT,
    BUMPS,
    FILES,
    FOLLOW_UPS,
    GITHUB,
    LOCKFILES,
    MERGE_STYLE,
    PEOPLE,
    SERVICES,
    SUBJECTS,
    TICKET_PREFIX,
    Person,
)
from quarterdeck.services.demo_git import FastImport, fast_import

__all__ = ["History", "Release", "on_holiday", "poisson", "write_history"]

TRACKING_TAG_PREFIX = "tracking/v"
_SCRATCH = "refs/heads/_scratch"
_MAIN = "refs/heads/main"
_FOUNDER = next(person for person in PEOPLE if person.name == "Jonas Berg")  # made the monorepo


@dataclass(frozen=True, slots=True)
class Release:
    """A tracking release: its annotated tag, the commit it deployed, and when the
    deployment finished (the tagger time)."""

    tag: str
    commit: str
    at: datetime


@dataclass(frozen=True, slots=True)
class History:
    """What was written: the repository, its size, main's commits in order (committer
    time, sha) and the tracking releases."""

    path: Path
    commits: int
    merges: int
    authors: int
    open_branches: int
    main: tuple[tuple[datetime, str], ...]
    releases: tuple[Release, ...]
    times: tuple[datetime, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "times", tuple(moment for moment, _ in self.main))

    def tip_at(self, moment: datetime) -> str:
        """The commit at the tip of main at `moment` (the first commit before any)."""
        return self.main[max(bisect_right(self.times, moment) - 1, 0)][1]


@dataclass(slots=True)
class _Change:
    """One pull request: who, when it was opened and merged, what it changed."""

    author: Person
    team: str
    started: datetime
    merged: datetime | None  # None: still open
    subject: str
    commit_times: list[datetime]
    paths: list[str]
    merger: Person
    number: int = 0


def on_holiday(day: date) -> bool:
    """The quiet weeks around the new year: few changes, no releases."""
    return (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 3)


def _local_time(person: Person, day: date, hour: float) -> datetime:
    minutes = round(hour * 60)
    local = datetime.combine(day, time(minutes // 60 % 24, minutes % 60), ZoneInfo(person.zone))
    return local.astimezone(UTC)


def _working_moment(rng: random.Random, person: Person, moment: datetime) -> datetime:
    """`moment`, or the next working-hours moment of `person` after it."""
    local = moment.astimezone(ZoneInfo(person.zone))
    day, hour = local.date(), local.hour + local.minute / 60
    if hour >= 18.5:
        day, hour = day + timedelta(days=1), rng.uniform(8.5, 11)
    elif hour < 8:
        hour = rng.uniform(8.5, 11)
    while day.weekday() >= 5:
        day, hour = day + timedelta(days=1), rng.uniform(8.5, 11)
    return max(_local_time(person, day, hour), moment)


def _daytime(rng: random.Random, person: Person, moment: datetime) -> datetime:
    """`moment`, moved into the daytime of its day for `person`, unless they were working
    late (one time in ten)."""
    local = moment.astimezone(ZoneInfo(person.zone))
    if 8 <= local.hour < 20 or rng.random() < 0.1:
        return moment
    return _local_time(person, local.date(), rng.uniform(9, 18))


def poisson(rng: random.Random, mean: float) -> int:
    """A draw from the Poisson distribution with `mean` (Knuth's method; small means)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _plan(rng: random.Random, start: datetime, now: datetime, scale: float) -> list[_Change]:
    changes: list[_Change] = []
    teammates = {team: [p for p in PEOPLE if p.team == team] for team in FILES}
    for week in range(53):
        monday = start + timedelta(weeks=week)
        for person in PEOPLE:
            rate = person.changes_per_week * scale
            for _ in range(poisson(rng, rate)):
                day = (monday + timedelta(days=rng.randrange(7))).date()
                if day.weekday() >= 5 and rng.random() < 0.85:
                    day += timedelta(days=7 - day.weekday())
                if on_holiday(day) and rng.random() < 0.8:
                    continue
                began = _local_time(person, day, min(max(rng.gauss(12.5, 2.8), 7.5), 21.5))
                if began <= start or began >= now - timedelta(hours=1):
                    continue
                changes.append(_change(rng, person, person.team, began, now, person))
        # The bot's bumps, Monday early morning; one in ten is closed unmerged.
        bot_day = monday.date() + timedelta(days=(7 - monday.weekday()) % 7)
        for service in SERVICES:
            if rng.random() < 0.25:
                continue
            began = datetime.combine(bot_day, time(5, rng.randrange(60)), UTC)
            if began >= now - timedelta(hours=1) or rng.random() < 0.1:
                continue
            package = rng.choice(BUMPS[service])
            merger = rng.choice(teammates[service])
            bump = _change(rng, BOT, service, began, now, merger, hours=rng.uniform(20, 140))
            bump.subject = f"Bump {package} in /{service}"
            bump.paths = [LOCKFILES[service]]
            bump.commit_times = bump.commit_times[:1]
            changes.append(bump)
    for number, change in enumerate(sorted(changes, key=lambda c: c.started), start=3107):
        change.number = number
    return changes


def _change(
    rng: random.Random,
    author: Person,
    team: str,
    began: datetime,
    now: datetime,
    merger: Person,
    hours: float | None = None,
) -> _Change:
    hours = hours if hours is not None else math.exp(rng.gauss(math.log(20), 0.9))
    merged: datetime | None = _working_moment(
        rng, merger, began + timedelta(hours=min(max(hours, 0.4), 240))
    )
    if merged is not None and merged >= now - timedelta(minutes=30):
        merged = None
    last = (merged or now) - timedelta(minutes=10)
    count = rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0]
    span = max((last - began).total_seconds(), 60.0)
    later = (
        _daytime(rng, author, began + timedelta(seconds=rng.uniform(0, span)))
        for _ in range(count - 1)
    )
    times = [began, *sorted(min(max(t, began), last) for t in later)]
    files = FILES[team]
    paths = [rng.choice(files) for _ in times]
    subject = rng.choice(SUBJECTS[team])
    return _Change(author, team, began, merged, subject, times, paths, merger)


def _message(change: _Change, index: int) -> str:
    if change.author is BOT:
        return f"{change.subject}\n\nBumps the version in the lock file; see the release notes.\n"
    ticket = f"{TICKET_PREFIX[change.team]}-{1000 + change.number % 3000}"
    follow_up = FOLLOW_UPS[(change.number + index) % len(FOLLOW_UPS)]
    subject = change.subject if index == 0 else follow_up
    return f"{subject}\n\nRefs {ticket}.\n"


def _branch(change: _Change) -> str:
    words = "-".join(change.subject.lower().replace("/", " ").split()[:5])
    slug = "".join(ch for ch in words if ch.isalnum() or ch == "-")
    return f"{TICKET_PREFIX.get(change.team, 'DEPS').lower()}-{change.number}-{slug}"


def _write(
    rng: random.Random, writer: FastImport, changes: list[_Change], root: datetime
) -> list[tuple[datetime, int]]:
    """Every change in merge order onto main; returns main's commits (time, mark)."""
    founder = _FOUNDER
    files = {path: writer.content(path) for paths in FILES.values() for path in paths}
    files.update({path: writer.content(path) for path in LOCKFILES.values()})
    files["README.md"] = "# Harbourline monorepo (demo data generated by Quarterdeck)\n"
    first = writer.commit(
        _MAIN,
        author=founder,
        authored=root,
        committer=founder,
        committed=root,
        message="Import tracking, billing and portal into one repository\n",
        parents=(),
        files=files,
    )
    main: list[tuple[datetime, int]] = [(root, first)]
    times = [root]  # main's commit times, kept beside it for bisecting
    merged = sorted((c for c in changes if c.merged is not None), key=lambda c: c.merged or root)
    for change in merged:
        assert change.merged is not None
        fork = main[max(bisect_right(times, change.started) - 1, 0)][1]
        tip = main[-1][1]
        style = "squash" if change.author is BOT else MERGE_STYLE[change.team]
        if style == "squash":
            contents = {path: writer.content(path) for path in change.paths}
            mark = writer.commit(
                _MAIN,
                author=change.author,
                authored=change.commit_times[0],
                committer=GITHUB,
                committed=change.merged,
                message=_message(change, 0).replace("\n\n", f" (#{change.number})\n\n", 1),
                parents=(tip,),
                files=contents,
            )
            main.append((change.merged, mark))
            times.append(change.merged)
        elif style == "rebase":
            for index, (authored, path) in enumerate(
                zip(change.commit_times, change.paths, strict=True)
            ):
                tip = writer.commit(
                    _MAIN,
                    author=change.author,
                    authored=authored,
                    committer=GITHUB,
                    committed=change.merged,
                    message=_message(change, index),
                    parents=(tip,),
                    files={path: writer.content(path)},
                )
                main.append((change.merged, tip))
                times.append(change.merged)
        else:
            head, contents = _commit_branch(rng, writer, change, _SCRATCH, fork)
            mark = writer.commit(
                _MAIN,
                author=change.merger,
                authored=change.merged,
                committer=GITHUB,
                committed=change.merged,
                message=f"Merge pull request #{change.number} from harbourline/"
                f"{_branch(change)}\n\n{change.subject}\n",
                parents=(tip, head),
                files=contents,
            )
            main.append((change.merged, mark))
            times.append(change.merged)
    return main


def _commit_branch(
    rng: random.Random, writer: FastImport, change: _Change, ref: str, fork: int
) -> tuple[int, dict[str, str]]:
    head, contents = fork, {}
    for index, (authored, path) in enumerate(zip(change.commit_times, change.paths, strict=True)):
        contents[path] = writer.content(path)
        committed = authored
        if rng.random() < 0.2:  # amended or rebased before review: committed later
            later = authored + timedelta(minutes=rng.uniform(5, 600))
            committed = min(later, (change.merged or later) - timedelta(minutes=5))
            committed = max(committed, authored)
        elif rng.random() < 0.01:  # a laptop clock a few minutes behind
            committed = authored - timedelta(minutes=rng.uniform(1, 5))
        head = writer.commit(
            ref,
            author=change.author,
            authored=authored,
            committer=change.author,
            committed=committed,
            message=_message(change, index),
            parents=(head,),
            files={path: contents[path]},
        )
    return head, contents


def _release_moments(rng: random.Random, start: datetime, now: datetime) -> list[datetime]:
    """Tuesdays and Thursdays early afternoon in London, outside the holidays."""
    london = ZoneInfo("Europe/London")
    moments = []
    day = start.date() + timedelta(days=7)
    while day <= now.date():
        if day.weekday() in (1, 3) and not on_holiday(day):
            at = datetime.combine(day, time(14, rng.randrange(40)), london).astimezone(UTC)
            if at < now - timedelta(minutes=30):
                moments.append(at)
        day += timedelta(days=1)
    return moments


def write_history(path: Path, *, now: datetime, scale: float = 1.0, seed: int = 1707) -> History:
    """Write the monorepo as a bare repository at `path` (which must not exist yet) with a
    year of history up to `now`; `scale` multiplies the number of changes (tests use
    less). Raises ToolMissing without git, InvalidInput if git fails."""
    if path.exists():
        raise InvalidInput(f"{path} already exists; the demo repository needs a new folder")
    # Demo data, not secrets: a seeded generator is what makes the history repeatable.
    rng = random.Random(seed)  # noqa: S311
    start = now - timedelta(days=365)
    changes = _plan(rng, start, now, scale)
    writer = FastImport()
    main = _write(rng, writer, changes, start - timedelta(days=12))
    open_changes = [c for c in changes if c.merged is None and c.author is not BOT][-4:]
    for change in open_changes:
        times = [t for t, _ in main]
        fork = main[max(bisect_right(times, change.started) - 1, 0)][1]
        ref = f"refs/heads/{_branch(change)}"
        _commit_branch(rng, writer, change, ref, fork)
    releases: list[tuple[str, int, datetime]] = []
    minor, patch, shipped = 14, 0, -1
    for moment in _release_moments(rng, start, now):
        times = [t for t, _ in main]
        mark = main[max(bisect_right(times, moment - timedelta(minutes=15)) - 1, 0)][1]
        if mark == shipped:
            continue
        shipped = mark
        name = f"{TRACKING_TAG_PREFIX}1.{minor}.{patch}"
        finished = moment + timedelta(seconds=rng.randrange(420, 960))
        message = f"tracking 1.{minor}.{patch}\n\nDeployed to production by the release pipeline.\n"
        writer.tag(name, mark=mark, at=finished, message=message)
        releases.append((name, mark, finished))
        minor, patch = (minor + 1, 0) if patch >= 7 else (minor, patch + 1)
    shas = fast_import(path, writer, drop=(_SCRATCH,))
    main_shas = tuple((moment, shas[mark]) for moment, mark in main)
    return History(
        path=path,
        commits=writer.commits,
        merges=writer.merges,
        authors=len({c.author.email for c in changes} | {_FOUNDER.email}),
        open_branches=len(open_changes),
        main=main_shas,
        releases=tuple(Release(name, shas[mark], at) for name, mark, at in releases),
    )
