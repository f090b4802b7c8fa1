"""Commit records from a git read are stored batch by batch exactly as Commit values are:
the same stored times and parents, the same values read back with their offsets, each
commit once however the batches fall, and the count of what was added."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import text

from quarterdeck.domain.engineering import Commit, Deployment, DeploymentStatus
from quarterdeck.ingest.git_parse import CommitRecord, commit_from_record
from quarterdeck.storage import Database, UnitOfWork
from tests.conftest import Factory

ROOT = "1" * 40
MAIN = "2" * 40
SIDE = "3" * 40
MERGE = "4" * 40
LONG = "5" * 64  # a sha256 repository's commit
RECORDS: list[CommitRecord] = [
    (ROOT, "", "ana@example.com", 1_709_283_600, 330, 1_709_283_600, 330),
    (MAIN, ROOT, "bot@users.noreply.github.com", 1_709_370_000, -210, 1_709_373_600, 0),
    (SIDE, ROOT, "caf\u00e9@example.com", 1_709_456_400, 765, 1_709_300_000, -600),
    (MERGE, f"{MAIN} {SIDE}", "ana@example.com", 0, -879, 253_402_214_400, 345),
    (LONG, MERGE, "ana@example.com", 1_112_911_993, 0, 1_112_911_993, 840),
]


def stored_columns(uow: UnitOfWork, workspace_id: int) -> dict[str, tuple[Any, ...]]:
    """What the database holds for each commit, as its driver hands it back: the time text
    and JSON text on SQLite, timestamps and parsed JSON on PostgreSQL."""
    rows = uow.session.execute(
        text(
            "SELECT sha, parents, author_email, author_time, author_offset, committer_time, "
            "committer_offset FROM commits WHERE workspace_id = :workspace"
        ),
        {"workspace": workspace_id},
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def test_records_are_stored_exactly_as_the_same_commits_are(db: Database, make: Factory) -> None:
    by_records = make.workspace("records")
    by_commits = make.workspace("commits")
    commits = [commit_from_record(record) for record in RECORDS]
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_commit_records(by_records.id, [RECORDS]) == len(RECORDS)
        assert uow.engineering.add_commits(by_commits.id, commits) == len(RECORDS)
    with db.unit_of_work(write=False) as uow:
        assert stored_columns(uow, by_records.id) == stored_columns(uow, by_commits.id)
        read_back = uow.engineering.commits(by_records.id)
    assert read_back == {c.sha: c for c in commits}
    # Equal datetimes may differ in offset: compare what each one says, offset included.
    for c in commits:
        stored = read_back[c.sha]
        assert stored.author_time.isoformat() == c.author_time.isoformat()
        assert stored.committer_time.isoformat() == c.committer_time.isoformat()


def test_stored_times_are_utc_and_parents_keep_their_order(db: Database, make: Factory) -> None:
    ws = make.workspace("acme")
    with db.unit_of_work(write=True) as uow:
        uow.engineering.add_commit_records(ws.id, [RECORDS])
    with db.unit_of_work(write=False) as uow:
        stored = uow.engineering.commits(ws.id)
    root, merge = stored[ROOT], stored[MERGE]
    assert root.parents == ()
    assert merge.parents == (MAIN, SIDE)
    assert root.author_time == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    assert root.author_time.utcoffset() == timedelta(hours=5, minutes=30)
    assert merge.author_time == datetime(1970, 1, 1, tzinfo=UTC)
    assert merge.author_time.utcoffset() == -timedelta(hours=13, minutes=99)
    assert merge.committer_time == datetime(9999, 12, 31, tzinfo=UTC)
    assert stored[SIDE].author_email == "caf\u00e9@example.com"
    assert stored[LONG].committer_time.tzinfo == timezone(timedelta(hours=14))


def test_each_commit_is_stored_once_however_the_batches_fall(db: Database, make: Factory) -> None:
    ws = make.workspace("acme")
    first, second = RECORDS[:3], RECORDS[2:]  # SIDE in both batches
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_commit_records(ws.id, [first, [], second]) == len(RECORDS)
        assert uow.engineering.add_commit_records(ws.id, [RECORDS, RECORDS]) == 0
        assert uow.engineering.add_commit_records(ws.id, []) == 0
    with db.unit_of_work(write=False) as uow:
        assert uow.engineering.commit_count(ws.id) == len(RECORDS)


def test_a_commit_twice_in_one_batch_is_stored_and_counted_once(
    db: Database, make: Factory
) -> None:
    ws = make.workspace("acme")
    with db.unit_of_work(write=True) as uow:
        added = uow.engineering.add_commit_records(ws.id, [[RECORDS[0], RECORDS[1], RECORDS[0]]])
    with db.unit_of_work(write=False) as uow:
        assert added == uow.engineering.commit_count(ws.id) == 2


def test_a_batch_of_one_root_commit_without_an_email_is_stored(db: Database, make: Factory) -> None:
    ws = make.workspace("acme")
    lonely = (ROOT, "", "", 1_709_283_600, 60, 1_709_283_600, 60)
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_commit_records(ws.id, [[lonely]]) == 1
    with db.unit_of_work(write=False) as uow:
        assert uow.engineering.commits(ws.id) == {ROOT: commit_from_record(lonely)}
    assert commit_from_record(lonely).parents == ()


def test_the_same_commit_belongs_to_each_workspace_that_reads_it(
    db: Database, make: Factory
) -> None:
    one, two = make.workspace("one"), make.workspace("two")
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_commit_records(one.id, [RECORDS]) == len(RECORDS)
        assert uow.engineering.add_commit_records(two.id, [RECORDS[:2]]) == 2
    with db.unit_of_work(write=False) as uow:
        assert set(uow.engineering.commits(two.id)) == {ROOT, MAIN}


def test_records_and_commits_skip_each_other(db: Database, make: Factory) -> None:
    ws = make.workspace("acme")
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_commits(ws.id, [commit_from_record(RECORDS[0])]) == 1
        assert uow.engineering.add_commit_records(ws.id, [RECORDS]) == len(RECORDS) - 1
        assert uow.engineering.add_commits(ws.id, map(commit_from_record, RECORDS)) == 0


def test_many_batches_count_what_they_added(db: Database, make: Factory) -> None:
    ws = make.workspace("acme")
    records = [
        (f"{n:040x}", "", f"dev{n % 7}@example.com", 1_700_000_000 + n, 60, 1_700_000_000 + n, 60)
        for n in range(5_000)
    ]
    batches = [records[start : start + 700] for start in range(0, len(records), 700)]
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_commit_records(ws.id, batches) == 5_000
        assert uow.engineering.add_commit_records(ws.id, [[*records[-10:], RECORDS[0]]]) == 1


@pytest.mark.parametrize("copies", [1, 3])
def test_batched_inserts_count_only_new_rows(db: Database, make: Factory, copies: int) -> None:
    ws = make.workspace("acme")
    now = datetime.now(UTC)
    events = [
        Deployment(f"d-{n}", "shop", "production", ROOT, now, DeploymentStatus.SUCCESS)
        for n in range(12_000)  # more than one batch of the driver
    ]
    with db.unit_of_work(write=True) as uow:
        assert uow.engineering.add_deployments(ws.id, events * copies, now=now) == 12_000
        assert uow.engineering.add_deployments(ws.id, events[:5], now=now) == 0


def test_a_record_is_the_commit_it_stands_for() -> None:
    (sha, parents, email, authored, author_offset, committed, committer_offset) = RECORDS[3]
    merge = commit_from_record(RECORDS[3])
    assert merge == Commit(
        sha,
        (MAIN, SIDE),
        email,
        datetime.fromtimestamp(authored, timezone(timedelta(minutes=author_offset))),
        datetime.fromtimestamp(committed, timezone(timedelta(minutes=committer_offset))),
    )
    assert parents.split() == list(merge.parents)
