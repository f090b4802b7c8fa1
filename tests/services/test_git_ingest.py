"""Ingesting a git repository through the service: a history long enough to arrive in
several batches is stored whole and exactly, once; a later read adds only what is new; and
git failing part-way through leaves nothing behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quarterdeck.domain.access import Actor
from quarterdeck.ingest.git import UnreadableRepository, read_repository
from quarterdeck.ingest.git_parse import BATCH
from quarterdeck.services import engineering
from quarterdeck.storage import Database
from tests.conftest import Factory
from tests.ingest.git_support import commit, exactly, fast_import, generated_stream, git, make_repo

COMMITS = 2 * BATCH + 300


@pytest.fixture(autouse=True)
def plain_git_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "shop")
    fast_import(repo, generated_stream(COMMITS, 10))
    return repo


def ingest(db: Database, actor: Actor, repo: Path, seen: list[int] | None = None) -> int:
    with db.unit_of_work(write=True) as uow:
        intake = engineering.ingest_git(
            uow,
            actor=actor,
            workspace="acme",
            path=str(repo),
            progress=None if seen is None else seen.append,
        )
    return intake.commits_added


def test_a_long_history_is_stored_whole_and_exactly(
    db: Database, make: Factory, operator: Actor, history: Path
) -> None:
    ws = make.workspace("acme")
    seen: list[int] = []

    added = ingest(db, operator, history, seen)

    with db.unit_of_work(write=False) as uow:
        stored = uow.engineering.commits(ws.id)
        repository = uow.engineering.repository(ws.id, "shop")
        audit = [e for e in uow.audit.all_for(ws.id) if e.action == "git.ingested"]
    read = read_repository(history)
    assert added == COMMITS
    assert sorted(exactly(c) for c in stored.values()) == sorted(exactly(c) for c in read.commits)
    assert repository is not None
    assert (repository.commit_count, repository.tips) == (COMMITS, read.tips)
    assert [e.after for e in audit] == [{"commits_added": COMMITS, "tags": 10, "release_tags": 0}]
    assert len(seen) > 2
    assert seen == sorted(seen)
    assert seen[-1] == COMMITS


def test_reading_again_adds_only_the_new_commits(
    db: Database, make: Factory, operator: Actor, history: Path
) -> None:
    ws = make.workspace("acme")
    ingest(db, operator, history)
    seen: list[int] = []

    unchanged = ingest(db, operator, history, seen)
    git(history, "checkout", "-q", "-f", "main")
    new = {commit(history, f"new {n}", authored=f"2026-03-0{n}T09:00:00+01:00") for n in (1, 2)}
    then = ingest(db, operator, history)

    with db.unit_of_work(write=False) as uow:
        stored = uow.engineering.commits(ws.id)
        repository = uow.engineering.repository(ws.id, "shop")
        audit = [e.after for e in uow.audit.all_for(ws.id) if e.action == "git.ingested"]
    assert (unchanged, seen, then) == (0, [0], 2)
    assert new <= set(stored)
    assert len(stored) == COMMITS + 2
    assert repository is not None
    assert repository.commit_count == COMMITS + 2
    assert [a["commits_added"] for a in audit if a is not None] == [COMMITS, 0, 2]


def test_git_failing_part_way_leaves_nothing_stored(
    db: Database, make: Factory, operator: Actor, history: Path
) -> None:
    ws = make.workspace("acme")
    # The root commit left out of the repository's pack: git prints the commits after it
    # (several batches, stored already) before it finds it missing.
    (root,) = git(history, "rev-list", "--max-parents=0", "main").split()
    listed = git(history, "rev-list", "--objects", "--all").splitlines()
    kept = "".join(f"{line.split()[0]}\n" for line in listed if not line.startswith(root))
    packs = history / ".git" / "objects" / "pack"
    old = list(packs.iterdir())
    git(history, "pack-objects", "-q", str(packs / "pack"), stdin=kept.encode())
    for path in old:
        path.unlink()
    seen: list[int] = []

    with pytest.raises(UnreadableRepository, match=f"git could not read {history}"):
        ingest(db, operator, history, seen)

    assert seen[-1] > BATCH  # batches were stored before git failed
    with db.unit_of_work(write=False) as uow:
        assert uow.engineering.commit_count(ws.id) == 0
        assert uow.engineering.repository(ws.id, "shop") is None
        assert not [e for e in uow.audit.all_for(ws.id) if e.action == "git.ingested"]
