"""The traced delivery history is reused between reads, and never once anything it was
traced from changed: commits, deployments, tags and choices, committed or not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from quarterdeck.domain.access import Actor
from quarterdeck.domain.engineering import Commit, Deployment, DeploymentStatus
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import delivery, engineering
from quarterdeck.storage import Database, make_engine, upgrade
from quarterdeck.storage.repositories.engineering import EngineeringRepository
from tests.conftest import Factory

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    delivery.TRACES.clear()
    yield
    delivery.TRACES.clear()


def history(count: int) -> list[Commit]:
    """A straight line of commits an hour apart."""
    made: list[Commit] = []
    for n in range(count):
        at = START + timedelta(hours=n)
        parents = (made[-1].sha,) if made else ()
        made.append(Commit(f"{n:040x}", parents, "dev@example.com", at, at))
    return made


def deploy(ident: str, sha: str, hours: float) -> Deployment:
    return Deployment(
        ident, "shop", "production", sha, START + timedelta(hours=hours), DeploymentStatus.SUCCESS
    )


def load(db: Database, slug: str = "acme") -> delivery.Loaded:
    with db.unit_of_work(write=False) as uow:
        return delivery.load(uow, found(uow, slug))


def found(uow: object, slug: str) -> Workspace:
    workspace = uow.workspaces.by_slug(slug)  # type: ignore[attr-defined]
    assert workspace is not None
    return workspace  # type: ignore[no-any-return]


def shipped(loaded: delivery.Loaded) -> dict[str, list[str]]:
    return {
        d.deployment.deployment_id: [c.sha[-2:] for c in d.changes]
        for d in loaded.history.deployments
    }


@pytest.fixture
def acme(db: Database, make: Factory, operator: Actor) -> Database:
    make.workspace("acme")
    with db.unit_of_work(write=True) as uow:
        workspace = found(uow, "acme")
        uow.engineering.add_commits(workspace.id, history(6))
    with db.unit_of_work(write=True) as uow:
        engineering.record_deployments(
            uow,
            actor=operator,
            workspace="acme",
            deployments=[deploy("d1", f"{1:040x}", 2)],
            origin="api",
        )
    return db


def test_an_unchanged_history_is_traced_once(acme: Database) -> None:
    first, second = load(acme), load(acme)
    assert second.history is first.history
    assert shipped(second) == {"d1": ["01", "00"]}


def test_a_new_deployment_is_traced_at_once(acme: Database, operator: Actor) -> None:
    before = load(acme)
    with acme.unit_of_work(write=True) as uow:
        engineering.record_deployments(
            uow,
            actor=operator,
            workspace="acme",
            deployments=[deploy("d2", f"{4:040x}", 6)],
            origin="api",
        )
    after = load(acme)
    assert after.history is not before.history
    assert shipped(after) == {"d1": ["01", "00"], "d2": ["04", "03", "02"]}


def test_a_rolled_back_write_leaves_nothing_behind(acme: Database, operator: Actor) -> None:
    """A deployment recorded and traced in a unit of work that then fails must not be
    served later, even when the next deployment gets the same row id (SQLite reuses it)."""
    load(acme)

    def failing_request() -> None:
        with acme.unit_of_work(write=True) as uow:
            engineering.record_deployments(
                uow,
                actor=operator,
                workspace="acme",
                deployments=[deploy("ghost", f"{5:040x}", 7)],
                origin="api",
            )
            assert "ghost" in shipped(delivery.load(uow, found(uow, "acme")))
            raise RuntimeError("the request failed after tracing")

    with pytest.raises(RuntimeError):
        failing_request()
    with acme.unit_of_work(write=True) as uow:
        engineering.record_deployments(
            uow,
            actor=operator,
            workspace="acme",
            deployments=[deploy("d2", f"{3:040x}", 7)],
            origin="api",
        )
    assert shipped(load(acme)) == {"d1": ["01", "00"], "d2": ["03", "02"]}


def test_new_commits_and_changed_choices_trace_again(acme: Database, operator: Actor) -> None:
    before = load(acme)
    with acme.unit_of_work(write=True) as uow:
        more = history(8)[6:]
        uow.engineering.add_commits(found(uow, "acme").id, more)
    assert load(acme).history is not before.history
    settled = load(acme)
    with acme.unit_of_work(write=False) as uow:
        _, version = delivery.current_choices(uow, actor=operator, workspace="acme")
    with acme.unit_of_work(write=True) as uow:
        engineering.set_delivery_choices(
            uow, actor=operator, workspace="acme", expected_version=version, bot_patterns=["dev@*"]
        )
    after = load(acme)
    assert after.history is not settled.history
    assert [d.lead.bots for d in after.history.deployments] == [0]  # d1 is the baseline
    assert after.choices.settings.bot_patterns == ("dev@*",)


def test_another_database_with_the_same_workspace_id_is_not_confused(
    acme: Database, second_database_url: str, operator: Actor
) -> None:
    load(acme)
    engine = make_engine(second_database_url)
    upgrade(engine)
    other = Database(engine)
    try:
        Factory(other, operator).workspace("acme")
        with other.unit_of_work(write=True) as uow:
            workspace = found(uow, "acme")
            uow.engineering.add_commits(workspace.id, history(6))
            uow.engineering.add_deployments(
                workspace.id, [deploy("d1", f"{1:040x}", 2)], now=uow.now()
            )
        with acme.unit_of_work(write=False) as uow, other.unit_of_work(write=False) as them:
            assert found(uow, "acme").id == found(them, "acme").id
        assert load(other).history is not load(acme).history
    finally:
        other.dispose()


def test_deployments_recorded_since_are_added_without_reading_the_whole_history(
    acme: Database, operator: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(acme)
    with acme.unit_of_work(write=True) as uow:
        engineering.record_deployments(
            uow,
            actor=operator,
            workspace="acme",
            deployments=[deploy("d2", f"{3:040x}", 6), deploy("d3", f"{5:040x}", 8)],
            origin="api",
        )

    def whole_history(*_: object) -> None:
        raise AssertionError("the whole history was read")

    with monkeypatch.context() as patched:
        patched.setattr(EngineeringRepository, "commits", whole_history)
        grown = load(acme)
    delivery.TRACES.clear()
    afresh = load(acme)
    assert grown.history == afresh.history
    assert shipped(grown) == {"d1": ["01", "00"], "d2": ["03", "02"], "d3": ["05", "04"]}


def test_a_deployment_finishing_before_the_last_one_traces_again(
    acme: Database, operator: Actor
) -> None:
    load(acme)
    with acme.unit_of_work(write=True) as uow:
        engineering.record_deployments(
            uow,
            actor=operator,
            workspace="acme",
            deployments=[deploy("d0", f"{0:040x}", 1)],  # finished before d1
            origin="api",
        )
    assert shipped(load(acme)) == {"d0": ["00"], "d1": ["01"]}
