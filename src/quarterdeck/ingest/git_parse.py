"""Parsing what the git command line prints: the commit log stream and the ref listing.

Pure text work, no processes: `quarterdeck.ingest.git` runs git and feeds the output here.
Malformed output raises ValueError naming the commit or ref; the caller adds the path.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from quarterdeck.domain.engineering import Commit

__all__ = [
    "LOG_FORMAT",
    "REF_FORMAT",
    "RefRecord",
    "parse_git_time",
    "parse_refs",
    "read_log",
]

# One commit a line. Strict ISO dates keep the offset each time was written in, and
# `datetime.fromisoformat` reads them faster than anything built from `%at` plus `%ad`.
# Neither an email nor a date can hold a newline or a NUL, so those separate safely.
LOG_FORMAT = "tformat:%H%x00%P%x00%ae%x00%aI%x00%cI"
# For a tag object, `*` names the object it tags (one level: a tag of a tag needs peeling).
REF_FORMAT = (
    "%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)"
    "%00%(taggerdate:iso-strict)"
)
READ_SIZE = 1 << 20
PROGRESS_EVERY = 1_000


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


def _commit_from_line(line: str) -> Commit:
    """The careful reading of one log line, used when the fast path in `_parse_lines`
    stumbles: it either copes (odd offsets) or says which commit is at fault."""
    fields = line.split("\0")
    if len(fields) != 5 or not fields[0]:
        raise ValueError(f"git log printed an unexpected line: {line[:120]!r}")
    sha, parents, email, authored, committed = fields
    try:
        author_time = parse_git_time(authored)
        committer_time = parse_git_time(committed)
    except ValueError as error:
        raise ValueError(f"commit {sha}: {error}") from None
    return Commit(sha, tuple(parents.split()), email, author_time, committer_time)


def _parse_lines(text: str, into: list[Commit]) -> None:
    # The hot loop of a full read (100,000 commits and more): local names, no calls
    # beyond what each commit needs.
    append = into.append
    from_iso = datetime.fromisoformat
    lines = text.split("\n")
    lines.pop()  # text ends with a newline: the last piece is empty
    for line in lines:
        try:
            sha, parents, email, authored, committed = line.split("\0")
            append(
                Commit(sha, tuple(parents.split()), email, from_iso(authored), from_iso(committed))
            )
        except ValueError:
            append(_commit_from_line(line))


def read_log(
    read: Callable[[int], bytes], *, progress: Callable[[int], None] | None = None
) -> list[Commit]:
    """Parse a `git log --format=LOG_FORMAT` stream while it arrives.

    `read(size)` returns the next bytes (at most `size`, at least one) and b"" at the end,
    like a raw pipe's `read`. Only one read's worth of raw output is held at a time.
    `progress` gets the number of commits read so far, every PROGRESS_EVERY commits or so
    and once at the end. Emails that are not UTF-8 are decoded with replacement characters.
    Raises ValueError when the stream is not what LOG_FORMAT prints.
    """
    # Commits hold no reference cycles, so the collector's passes over the growing list (and
    # over whatever the caller already holds) are pure cost: a fifth of the parse or more.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_log(read, progress)
    finally:
        if collecting:
            gc.enable()


def _read_log(read: Callable[[int], bytes], progress: Callable[[int], None] | None) -> list[Commit]:
    commits: list[Commit] = []
    tail = b""
    reported = 0
    while chunk := read(READ_SIZE):
        end = chunk.rfind(b"\n") + 1
        if not end:
            tail += chunk
            continue
        # Cutting at a newline never splits a UTF-8 sequence, so each piece decodes whole.
        text = (tail + chunk[:end] if tail else chunk[:end]).decode("utf-8", "replace")
        tail = chunk[end:]
        _parse_lines(text, commits)
        if progress is not None and len(commits) - reported >= PROGRESS_EVERY:
            reported = len(commits)
            progress(reported)
    if tail:
        raise ValueError(f"git log output ended in the middle of a line: {tail[:120]!r}")
    if progress is not None:
        progress(len(commits))
    return commits


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
