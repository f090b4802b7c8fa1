"""Parsing what the git command line prints: the commit log stream and the ref listing.

Pure text work, no processes: `quarterdeck.ingest.git` runs git and feeds the output here.
Malformed output raises ValueError naming the commit or ref; the caller adds the path.

A log line becomes either a `Commit` or a `CommitRecord`: the plain tuple a store takes,
made without a Commit and two datetimes per commit (an eighth of the work, measured over
100,000 commits, of making Commits and turning them into rows):

    (sha, parents separated by spaces, author email,
     author time in seconds since 1970 (UTC), author offset in minutes east of UTC,
     committer time in seconds, committer offset in minutes)

An offset of a day or more (old tools wrote "+6000") is no offset at all: the record keeps
the instant and gives 0, as a Commit gives the time in UTC.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import TypeVar

from quarterdeck.domain.engineering import Commit

__all__ = [
    "LOG_DATE",
    "LOG_FORMAT",
    "REF_FORMAT",
    "CommitRecord",
    "RefRecord",
    "commit_from_record",
    "parse_commits",
    "parse_git_time",
    "parse_records",
    "parse_refs",
    "paused_collector",
    "read_log",
    "stream_log",
]

# One commit a line: times as seconds (what git stores; no calendar work on either side) and,
# through LOG_DATE, each time's own offset as git stored it ("+0530"). Neither an email nor
# a time can hold a newline or a NUL, so those separate safely.
LOG_FORMAT = "tformat:%H%x00%P%x00%ae%x00%at%x00%ad%x00%ct%x00%cd"
LOG_DATE = "format:%z"  # git prints %z itself, from the offset stored in the commit
# For a tag object, `*` names the object it tags (one level: a tag of a tag needs peeling).
REF_FORMAT = (
    "%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)"
    "%00%(taggerdate:iso-strict)"
)
READ_SIZE = 1 << 17  # about 800 commits: progress moves smoothly however far git is ahead
BATCH = 2_000  # commits per batch handed on while git is still printing
PROGRESS_EVERY = 1_000
# Times a datetime holds in any offset: from 1970 to the last day of year 9999 (UTC).
LATEST_SECONDS = 253_402_214_400
DAY_MINUTES = 24 * 60

CommitRecord = tuple[str, str, str, int, int, int, int]
Parsed = TypeVar("Parsed", Commit, CommitRecord)


@dataclass(frozen=True, slots=True)
class RefRecord:
    """One line of `git for-each-ref`: the object a ref names and, for an annotated tag,
    the object that tag names and when it was made."""

    name: str  # full name, "refs/tags/v1.0"
    kind: str  # commit, tag, tree or blob
    target: str
    tagged_kind: str = ""  # set when kind is "tag"
    tagged: str = ""
    tagger_time: datetime | None = None


def parse_git_time(text: str) -> datetime:
    """A strict ISO time as git prints it, keeping its offset.

    Git stores whatever offset a tool wrote, and a few real histories hold impossible ones
    ("+60:00"); those keep their instant and are given in UTC. Raises ValueError for text
    that is no time at all.
    """
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    local, sign, hours, minutes = text[:-6], text[-6:-5], text[-5:-3], text[-2:]
    if sign not in ("+", "-") or text[-3:-2] != ":" or not (hours + minutes).isdigit():
        raise ValueError(f"{text!r} is not a time") from None
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    moment = datetime.fromisoformat(local) - (offset if sign == "+" else -offset)
    return moment.replace(tzinfo=UTC)


def _minutes(text: str) -> int:
    """An offset as git prints %z ("+0530", "-1399": hours and minutes taken as written)."""
    if len(text) != 5 or text[0] not in "+-" or not (text.isascii() and text[1:].isdigit()):
        raise ValueError(f"{text!r} is not an offset")
    minutes = int(text[1:3]) * 60 + int(text[3:])
    minutes = -minutes if text[0] == "-" else minutes
    return minutes if -DAY_MINUTES < minutes < DAY_MINUTES else 0


def _seconds(text: str) -> int:
    seconds = int(text) if text.isascii() and text.isdigit() else -1
    if not 0 <= seconds <= LATEST_SECONDS:
        raise ValueError(f"{text!r} is not a time git can mean (seconds since 1970)")
    return seconds


def _record_from_line(line: str) -> CommitRecord:
    """The careful reading of one log line, used when the fast path stumbles: it says which
    commit is at fault and what is wrong with it."""
    fields = line.split("\0")
    if len(fields) != 7 or not fields[0]:
        raise ValueError(f"git log printed an unexpected line: {line[:120]!r}")
    sha, parents, email, authored, author_offset, committed, committer_offset = fields
    try:
        return (
            sha,
            parents,
            email,
            _seconds(authored),
            _minutes(author_offset),
            _seconds(committed),
            _minutes(committer_offset),
        )
    except ValueError as error:
        raise ValueError(f"commit {sha}: {error}") from None


# The two hot loops of a full read (100,000 commits and more): local names, no calls beyond
# what each commit needs, offsets looked up in a table filled as they turn up. The range
# checks and anything odd fall to `_record_from_line`.


def parse_records(text: str, into: list[CommitRecord]) -> None:
    """Append a CommitRecord for each whole line of LOG_FORMAT output in `text`."""
    append = into.append
    offsets = _OFFSETS
    lines = text.split("\n")
    lines.pop()  # text ends with a newline: the last piece is empty
    for line in lines:
        try:
            sha, parents, email, authored, author_zone, committed, committer_zone = line.split("\0")
            author_time = int(authored)
            committer_time = int(committed)
            if not (0 <= author_time <= LATEST_SECONDS and 0 <= committer_time <= LATEST_SECONDS):
                raise ValueError
            append(
                (
                    sha,
                    parents,
                    email,
                    author_time,
                    offsets[author_zone],
                    committer_time,
                    offsets[committer_zone],
                )
            )
        except (ValueError, KeyError):
            append(_noted(_record_from_line(line), line))


def parse_commits(text: str, into: list[Commit]) -> None:
    """Append a Commit for each whole line of LOG_FORMAT output in `text`."""
    append = into.append
    zones = _ZONES
    from_seconds = datetime.fromtimestamp
    lines = text.split("\n")
    lines.pop()
    for line in lines:
        try:
            sha, parents, email, authored, author_zone, committed, committer_zone = line.split("\0")
            author_time = int(authored)
            committer_time = int(committed)
            if not (0 <= author_time <= LATEST_SECONDS and 0 <= committer_time <= LATEST_SECONDS):
                raise ValueError
            append(
                Commit(
                    sha,
                    tuple(parents.split()),
                    email,
                    from_seconds(author_time, zones[author_zone]),
                    from_seconds(committer_time, zones[committer_zone]),
                )
            )
        except (ValueError, KeyError):
            record = _noted(_record_from_line(line), line)
            append(commit_from_record(record))


_OFFSETS: dict[str, int] = {}  # "+0530": 330, filled by `_noted`
_ZONES: dict[str, timezone] = {}  # "+0530": the zone of 330 minutes, likewise


def _noted(record: CommitRecord, line: str) -> CommitRecord:
    """Learn the offsets of a line that the table did not know yet."""
    fields = line.split("\0")
    for text, minutes in ((fields[4], record[4]), (fields[6], record[6])):
        _OFFSETS[text] = minutes
        _ZONES[text] = _zone(minutes)
    return record


def _zone(minutes: int) -> timezone:
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


def commit_from_record(record: CommitRecord) -> Commit:
    """The Commit a record stands for, each time in its own offset."""
    sha, parents, email, authored, author_offset, committed, committer_offset = record
    return Commit(
        sha,
        tuple(parents.split()),
        email,
        datetime.fromtimestamp(authored, _zone(author_offset)),
        datetime.fromtimestamp(committed, _zone(committer_offset)),
    )


def stream_log(
    read: Callable[[int], bytes],
    parse: Callable[[str, list[Parsed]], None],
    *,
    progress: Callable[[int], None] | None = None,
    batch: int = BATCH,
) -> Iterator[list[Parsed]]:
    """Parse a `git log --format=LOG_FORMAT --date=LOG_DATE` stream while it arrives,
    handing on lists of at least `batch` parsed commits (the last may be shorter; none for
    an empty stream) as soon as they are read.

    `read(size)` returns the next bytes (at most `size`, at least one) and b"" at the end,
    like a raw pipe's `read`; `parse` is `parse_commits` or `parse_records`. Only one read's
    worth of raw output and one batch are held at a time. `progress` gets the number of
    commits read so far, about every PROGRESS_EVERY commits and once at the end. Emails
    that are not UTF-8 are decoded with replacement characters. Raises ValueError when the
    stream is not what LOG_FORMAT prints.
    """
    parsed: list[Parsed] = []
    tail = b""
    count = reported = 0
    while chunk := read(READ_SIZE):
        end = chunk.rfind(b"\n") + 1
        if not end:
            tail += chunk
            continue
        # Cutting at a newline never splits a UTF-8 sequence, so each piece decodes whole.
        text = (tail + chunk[:end] if tail else chunk[:end]).decode("utf-8", "replace")
        tail = chunk[end:]
        parse(text, parsed)
        if progress is not None and count + len(parsed) - reported >= PROGRESS_EVERY:
            reported = count + len(parsed)
            progress(reported)
        if len(parsed) >= batch:
            count += len(parsed)
            yield parsed
            parsed = []
    if tail:
        raise ValueError(f"git log output ended in the middle of a line: {tail[:120]!r}")
    if parsed:
        count += len(parsed)
        yield parsed
    if progress is not None:
        progress(count)


def read_log(
    read: Callable[[int], bytes], *, progress: Callable[[int], None] | None = None
) -> list[Commit]:
    """Every commit of a whole `git log` stream (see `stream_log`), in the order printed."""
    with paused_collector():
        parts = stream_log(read, parse_commits, progress=progress)
        return [commit for part in parts for commit in part]


@contextmanager
def paused_collector() -> Iterator[None]:
    """No cyclic garbage collection inside the block. Commits and records hold no reference
    cycles, so the collector's passes over a growing list of them (and over whatever the
    caller already holds) are pure cost: a fifth of a full read or more."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def parse_refs(text: str) -> list[RefRecord]:
    """Parse `git for-each-ref --format=REF_FORMAT`. Raises ValueError on a line it cannot
    read, naming the ref."""
    records = []
    for line in text.splitlines():
        fields = line.split("\0")
        if len(fields) != 6:
            raise ValueError(f"git for-each-ref printed an unexpected line: {line[:120]!r}")
        name, kind, target, tagged_kind, tagged, tagger_date = fields
        try:
            tagger_time = parse_git_time(tagger_date) if tagger_date else None
        except ValueError as error:
            raise ValueError(f"{name}: tagger date {error}") from None
        records.append(RefRecord(name, kind, target, tagged_kind, tagged, tagger_time))
    return records
