"""Streaming a repository's history: the refs read when it is opened, the commits handed on
in batches while git is still walking, as Commits or as plain records that say the same."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from quarterdeck.ingest.git import open_repository, read_repository
from quarterdeck.ingest.git_parse import (
    BATCH,
    commit_from_record,
    parse_commits,
    parse_records,
    stream_log,
)
from tests.ingest.git_support import commit, exactly, fast_import, generated_stream, git, make_repo

COMMITS = 2 * BATCH + 500


@pytest.fixture(autouse=True)
def plain_git_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("stream") / "repo")
    fast_import(repo, generated_stream(COMMITS, 20))
    return repo


def test_records_say_exactly_what_the_commits_say(history: Path) -> None:
    opened = open_repository(history)

    records = [record for batch in opened.commit_records() for record in batch]
    commits = [c for batch in opened.commits() for c in batch]

    assert len(records) == COMMITS
    assert [exactly(commit_from_record(r)) for r in records] == [exactly(c) for c in commits]
    assert [exactly(c) for c in commits] == [exactly(c) for c in read_repository(history).commits]


def test_commits_come_in_batches_while_git_reads(history: Path) -> None:
    seen: list[int] = []

    sizes = [len(batch) for batch in open_repository(history).commit_records(progress=seen.append)]

    assert len(sizes) >= 2
    assert all(size >= BATCH for size in sizes[:-1])
    assert sum(sizes) == COMMITS
    assert seen == sorted(seen)
    assert seen[-1] == COMMITS


def test_the_refs_are_known_before_any_commit_is_read(history: Path) -> None:
    opened = open_repository(history)
    whole = read_repository(history)

    assert (opened.tags, opened.tips, opened.bare) == (whole.tags, whole.tips, whole.bare)
    assert len(opened.tags) == 20


def test_stopping_early_stops_git_and_a_new_read_starts_over(history: Path) -> None:
    opened = open_repository(history)
    batches = opened.commit_records()
    first = next(batches)

    batches.close()

    again = next(opened.commit_records())
    assert again[:BATCH] == first[:BATCH]  # how far past BATCH a batch goes depends on timing


def test_nothing_new_reads_no_commits_and_still_reports_progress(history: Path) -> None:
    tips = open_repository(history).tips
    seen: list[int] = []

    batches = list(open_repository(history, known_tips=tips).commit_records(progress=seen.append))

    assert (batches, seen) == ([], [0])


def test_only_commits_since_the_known_tips_are_streamed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    commit(repo, "one")
    tips = open_repository(repo).tips
    two = commit(repo, "two", authored="2024-03-02T09:00:00-03:00")

    (batch,) = open_repository(repo, known_tips=tips).commit_records()

    assert batch == [(two, tips[0], "ana@example.com", 1709380800, -180, 1709380800, -180)]


def test_odd_offsets_are_kept_as_git_reads_them_or_dropped_when_impossible(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "repo")
    tree = git(repo, "write-tree")
    body = (
        f"tree {tree}\n"
        "author Old Tool <old@example.com> 1112911993 +6000\n"
        "committer Old Tool <old@example.com> 1112911993 -1399\n\nimported\n"
    ).encode()
    odd = git(repo, "hash-object", "-w", "-t", "commit", "--literally", "--stdin", stdin=body)
    git(repo, "update-ref", "refs/heads/imported", odd)

    (batch,) = open_repository(repo).commit_records()

    assert batch == [(odd, "", "old@example.com", 1112911993, 0, 1112911993, -(13 * 60 + 99))]


def line(*fields: str) -> bytes:
    return ("\0".join(fields) + "\n").encode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (("a" * 40, "", "x@example.com", "", "+0000", "1", "+0000"), "is not a time"),
        (("a" * 40, "", "x@example.com", "-5", "+0000", "1", "+0000"), "is not a time"),
        (("a" * 40, "", "x@example.com", "253402300800", "+0000", "1", "+0000"), "not a time"),
        (("a" * 40, "", "x@example.com", "1", "+01", "1", "+0000"), "is not an offset"),
        (("a" * 40, "", "x@example.com", "1", "+0000", "1"), "unexpected line"),
    ],
)
def test_a_line_git_would_not_print_names_the_commit(fields: tuple[str, ...], message: str) -> None:
    good = line("b" * 40, "", "y@example.com", "1", "+0100", "2", "-0100")
    for parse in (parse_records, parse_commits):
        stream = io.BytesIO(good + line(*fields))
        with pytest.raises(ValueError, match=message) as refused:
            list(stream_log(stream.read, parse))
        if len(fields) == 7:
            assert "a" * 40 in str(refused.value)


def test_batches_follow_the_batch_size_wherever_reads_cut() -> None:
    stream = b"".join(
        line(f"{n:040x}", "", "x@example.com", str(n), "+0100", str(n), "-0230") for n in range(25)
    )
    source = io.BytesIO(stream)

    batches = list(stream_log(lambda _: source.read(13), parse_records, batch=10))

    assert [len(b) for b in batches] == [10, 10, 5]
    assert batches[2][-1] == (f"{24:040x}", "", "x@example.com", 24, 60, 24, -150)
