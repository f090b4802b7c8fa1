"""Assessment sittings: scored for the person, compared with their earlier sittings,
private unless they share one with a workspace they belong to."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.errors import Forbidden, InvalidInput, NotFound
from quarterdeck.services import assessments
from quarterdeck.storage import Database
from tests.conftest import Factory

IT = "it-manager-skills"


def ratings(default: int = 4, **by_area: int) -> dict[str, int]:
    chosen = assessment_catalog().assessment(IT)
    return {
        s.key: by_area.get(area.key.replace("-", "_"), default)
        for area in chosen.areas
        for s in area.statements
    }


@pytest.fixture
def people(make: Factory) -> tuple[Actor, Actor]:
    ws = make.workspace("acme")
    alice = make.member(ws, Role.EDITOR, "alice@acme.example")
    bob = make.member(ws, Role.OWNER, "bob@acme.example")
    make.workspace("elsewhere")
    return (
        Actor(kind=ActorKind.USER, label=alice.email, user_id=alice.id),
        Actor(kind=ActorKind.USER, label=bob.email, user_id=bob.id),
    )


def test_a_sitting_gives_strengths_gaps_priorities_and_the_change_since_last_time(
    db: Database, people: tuple[Actor, Actor]
) -> None:
    alice, _ = people
    with db.unit_of_work(write=True) as uow:
        first = assessments.take(
            uow,
            actor=alice,
            assessment=IT,
            ratings=ratings(4, marketing=2, sales=1),
            aiming_for="it-manager",
        )
    assert [a.area.key for a in first.result.gaps] == ["marketing", "sales"]
    assert [a.area.key for a in first.result.priorities] == ["sales", "marketing"]
    assert first.since_previous is None
    with db.unit_of_work(write=True) as uow:
        second = assessments.take(uow, actor=alice, assessment=IT, ratings=ratings(4, sales=3))
    assert second.since_previous is not None
    sales = next(c for c in second.since_previous if c.area.key == "sales")
    assert sales.change == Decimal(2)


def test_sittings_are_private_until_shared(db: Database, people: tuple[Actor, Actor]) -> None:
    alice, bob = people
    with db.unit_of_work(write=True) as uow:
        mine = assessments.take(uow, actor=alice, assessment=IT, ratings=ratings())
    take_id = mine.take.id
    with db.unit_of_work(write=False) as uow:
        assert assessments.my_sittings(uow, actor=bob) == []
        assert assessments.shared_in(uow, actor=bob, workspace="acme") == []
        with pytest.raises(NotFound):
            assessments.sitting(uow, actor=bob, take_id=take_id)
    with db.unit_of_work(write=True) as uow, pytest.raises(NotFound):
        assessments.share(uow, actor=bob, take_id=take_id, workspace="acme")
    with db.unit_of_work(write=True) as uow, pytest.raises(NotFound):
        assessments.share(uow, actor=alice, take_id=take_id, workspace="elsewhere")
    with db.unit_of_work(write=True) as uow:
        shared = assessments.share(uow, actor=alice, take_id=take_id, workspace="acme")
    assert shared.shared_with_slug == "acme"
    with db.unit_of_work(write=False) as uow:
        ((who, seen),) = assessments.shared_in(uow, actor=bob, workspace="acme")
    assert who == "alice"  # the display name made from her email
    assert seen.take.id == take_id
    with db.unit_of_work(write=True) as uow:
        assessments.share(uow, actor=alice, take_id=take_id, workspace=None)
    with db.unit_of_work(write=False) as uow:
        assert assessments.shared_in(uow, actor=bob, workspace="acme") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"drop": "tests-recovery"}, "tests-recovery"),
        ({"set": ("tests-recovery", 6)}, "tests-recovery"),
        ({"set": ("tests-recovery", True)}, "whole number from 1 to 5"),
        ({"set": ("made-up", 3)}, "has no statement 'made-up'"),
    ],
)
def test_bad_ratings_are_refused_and_nothing_is_stored(
    db: Database, people: tuple[Actor, Actor], change: dict[str, object], message: str
) -> None:
    alice, _ = people
    given: dict[str, object] = dict(ratings())
    if "drop" in change:
        del given[str(change["drop"])]
    else:
        key, value = change["set"]  # type: ignore[misc]
        given[key] = value
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match=message):
        assessments.take(uow, actor=alice, assessment=IT, ratings=given)  # type: ignore[arg-type]
    with db.unit_of_work(write=False) as uow:
        assert assessments.my_sittings(uow, actor=alice) == []


def test_the_operator_and_tokens_do_not_take_assessments(db: Database, operator: Actor) -> None:
    with db.unit_of_work(write=True) as uow, pytest.raises(Forbidden):
        assessments.take(uow, actor=operator, assessment=IT, ratings=ratings())
