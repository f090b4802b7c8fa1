"""Two people edit the same workspace from the same version: one change lands, the other is a
conflict, and nothing is silently overwritten. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.audit import AuditEntry
from quarterdeck.domain.errors import Conflict
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import workspaces
from quarterdeck.storage import Database
from tests.conftest import Factory

SLUG = "harbour"


def owner(make: Factory, workspace: Workspace, email: str) -> Actor:
    user = make.member(workspace, Role.OWNER, email)
    return Actor(kind=ActorKind.USER, label=user.email, user_id=user.id)


def read(db: Database, actor: Actor) -> Workspace:
    with db.unit_of_work(write=False) as uow:
        return workspaces.show(uow, actor=actor, workspace=SLUG).workspace


def rename(db: Database, actor: Actor, *, expected_version: int, name: str) -> Workspace:
    with db.unit_of_work(write=True) as uow:
        return workspaces.update(
            uow, actor=actor, workspace=SLUG, expected_version=expected_version, name=name
        )


def audit_trail(db: Database, workspace: Workspace) -> list[AuditEntry]:
    with db.unit_of_work(write=False) as uow:
        return uow.audit.all_for(workspace.id)


def assert_only_the_winner_is_recorded(
    db: Database, workspace: Workspace, trail_before: list[AuditEntry], winner: Actor, name: str
) -> None:
    stored = read(db, winner)
    assert stored.name == name
    assert stored.version == workspace.version + 1

    trail = audit_trail(db, workspace)
    assert trail[: len(trail_before)] == trail_before
    [update] = trail[len(trail_before) :]
    assert update.action == "workspace.updated"
    assert update.actor == winner.label
    assert update.before is not None
    assert update.after is not None
    assert update.before["name"] == workspace.name
    assert update.after["name"] == name


def test_second_writer_from_the_same_version_gets_a_conflict(db: Database, make: Factory) -> None:
    workspace = make.workspace(SLUG)
    alice = owner(make, workspace, "alice@example.com")
    bob = owner(make, workspace, "bob@example.com")
    trail_before = audit_trail(db, workspace)

    seen_by_alice = read(db, alice)
    seen_by_bob = read(db, bob)
    assert seen_by_alice.version == seen_by_bob.version

    rename(db, alice, expected_version=seen_by_alice.version, name="Harbour (Alice)")
    with pytest.raises(Conflict):
        rename(db, bob, expected_version=seen_by_bob.version, name="Harbour (Bob)")

    assert_only_the_winner_is_recorded(db, workspace, trail_before, alice, "Harbour (Alice)")


def test_simultaneous_writers_from_the_same_version_exactly_one_wins(
    db: Database, make: Factory
) -> None:
    workspace = make.workspace(SLUG)
    writers = {
        "Harbour (Alice)": owner(make, workspace, "alice@example.com"),
        "Harbour (Bob)": owner(make, workspace, "bob@example.com"),
    }
    trail_before = audit_trail(db, workspace)
    version = read(db, writers["Harbour (Alice)"]).version
    start = threading.Barrier(len(writers), timeout=30)
    outcomes: dict[str, object] = {}

    def write(name: str, actor: Actor) -> None:
        try:
            start.wait()
            rename(db, actor, expected_version=version, name=name)
            outcomes[name] = "won"
        except Conflict:
            outcomes[name] = "conflict"
        except BaseException as error:  # reported by the assertion below
            outcomes[name] = error

    threads = [
        threading.Thread(target=write, args=(name, actor), name=name)
        for name, actor in writers.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"

    assert sorted(map(str, outcomes.values())) == ["conflict", "won"], outcomes
    [winner] = [name for name, outcome in outcomes.items() if outcome == "won"]
    assert_only_the_winner_is_recorded(db, workspace, trail_before, writers[winner], winner)
