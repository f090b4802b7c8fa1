"""Planning from stored data: the planning input, running the plan, accepting it, and an
urgent insertion that displaces work and records a decision."""

from __future__ import annotations

import pytest

from quarterdeck.domain.access import Actor
from quarterdeck.domain.errors import Conflict, InvalidInput
from quarterdeck.services import capacity, decisions, planning
from quarterdeck.services.planning_input import planning_input
from quarterdeck.storage import Database
from tests.conftest import Factory
from tests.services.portfolio_support import add, setup_portfolio


@pytest.fixture
def ws(db: Database, make: Factory, operator: Actor) -> str:
    make.workspace("acme")
    setup_portfolio(db, operator, "acme")
    return "acme"


def test_capacity_counts_people_and_an_item_not_ready_is_set_aside(
    db: Database, operator: Actor, ws: str
) -> None:
    add(db, operator, ws, "Checkout", value=10, effort={"core": 20})
    add(db, operator, ws, "Search", value=5, effort={"web": 5}, ready={"dependencies": True})
    with db.unit_of_work(write=False) as uow:
        given = planning_input(uow, uow.workspaces.by_slug(ws))  # type: ignore[arg-type]
    assert given.plan.team("core").capacity["2027-Q1"] == 26.0  # two people x 13 weeks
    assert [c.id for c in given.plan.candidates] == ["IN-1"]
    (aside,) = given.set_aside
    assert aside.key == "IN-2"
    assert "not yet confirmed that risk is assessed" in aside.reason


def test_an_item_needing_a_set_aside_item_is_set_aside_too(
    db: Database, operator: Actor, ws: str
) -> None:
    first = add(db, operator, ws, "Base", value=1, effort={"core": 1}, ready={})
    add(db, operator, ws, "On top", value=9, effort={"core": 1}, requires=[first])
    with db.unit_of_work(write=False) as uow:
        given = planning_input(uow, uow.workspaces.by_slug(ws))  # type: ignore[arg-type]
    reasons = {s.key: s.reason for s in given.set_aside}
    assert reasons["IN-2"].startswith("requires IN-1, which cannot be planned (not ready")


def test_run_accept_and_urgent_insertion_records_a_decision(
    db: Database, operator: Actor, ws: str
) -> None:
    # core has 26 person-weeks a quarter; each of these takes 20, so one per quarter.
    add(db, operator, ws, "Checkout", value=10, effort={"core": 20})
    add(db, operator, ws, "Billing", value=8, effort={"core": 20})
    add(db, operator, ws, "Reporting", value=3, effort={"core": 20})
    urgent = add(
        db,
        operator,
        ws,
        "Fix data leak",
        kind="risk-reduction",
        value=1,
        effort={"core": 20},
        urgency="urgent",
        urgency_reason="customer data exposed",
    )
    with db.unit_of_work(write=False) as uow:
        run = planning.run(uow, actor=operator, workspace=ws)
    shown = planning.assignment_of(run.comparison.optimal)
    assert shown == {"IN-1": "2027-Q1", "IN-2": "2027-Q2"}
    assert run.given.based_on == 0
    with db.unit_of_work(write=True) as uow:
        stored = planning.accept(uow, actor=operator, workspace=ws, based_on=0, assignment=shown)
    assert stored.number == 1
    with db.unit_of_work(write=True) as uow, pytest.raises(Conflict):
        planning.accept(uow, actor=operator, workspace=ws, based_on=0, assignment=shown)

    with db.unit_of_work(write=False) as uow:
        insertion = planning.insert_urgent(
            uow, actor=operator, workspace=ws, item=urgent, quarter="2027-Q1"
        )
    d = insertion.displacement
    assert insertion.against == "accepted plan 1"
    assert d.quarter == "2027-Q1"
    assert [x.id for x in d.displaced] == ["IN-2"]
    assert [(r.id, r.before, r.after) for r in d.rescheduled] == [("IN-1", "2027-Q1", "2027-Q2")]
    after = planning.assignment_of(d.after)
    with db.unit_of_work(write=True) as uow:
        plan, decision = planning.accept_insertion(
            uow,
            actor=operator,
            workspace=ws,
            item=f"IN-{urgent}",
            quarter="2027-Q1",
            based_on=1,
            assignment=after,
        )
    assert plan.number == 2
    assert plan.urgent == urgent
    assert plan.displaced == [2]
    assert plan.decision_number == decision.number
    with db.unit_of_work(write=False) as uow:
        logged = decisions.get(uow, actor=operator, workspace=ws, number=decision.number)
        items = {i.key: i for i in uow.portfolio.items(uow.workspaces.by_slug(ws).id)}  # type: ignore[union-attr]
    assert logged.content.title == "Urgent IN-4 Fix data leak displaces IN-2"
    assert logged.content.area == "roadmap"
    assert "IN-2 Billing" in logged.content.context
    assert logged.status.value == "accepted"
    assert items["IN-4"].mandatory
    assert items["IN-4"].pinned_quarter == "2027-Q1"
    assert items["IN-4"].planned_quarter == "2027-Q1"
    assert items["IN-2"].planned_quarter == ""
    assert items["IN-1"].planned_quarter == "2027-Q2"


def test_accepting_a_plan_that_no_longer_fits_changes_nothing(
    db: Database, operator: Actor, ws: str
) -> None:
    add(db, operator, ws, "Checkout", value=10, effort={"core": 20})
    with db.unit_of_work(write=False) as uow:
        run = planning.run(uow, actor=operator, workspace=ws)
    shown = planning.assignment_of(run.comparison.optimal)
    assert shown == {"IN-1": "2027-Q1"}
    with db.unit_of_work(write=True) as uow:  # core drops from 26 to 13 person-weeks
        capacity.remove_person(uow, actor=operator, workspace=ws, name="core-2", expected_version=1)
    with (
        db.unit_of_work(write=True) as uow,
        pytest.raises(Conflict, match=r"no longer fits .*team core is full in 2027-Q1"),
    ):
        planning.accept(uow, actor=operator, workspace=ws, based_on=0, assignment=shown)
    with db.unit_of_work(write=False) as uow:
        assert uow.portfolio.latest_plan(uow.workspaces.by_slug(ws).id) is None  # type: ignore[union-attr]


def test_the_plan_shown_is_accepted_when_it_still_fits(
    db: Database, operator: Actor, ws: str
) -> None:
    """An item added since the plan was shown does not stop its acceptance: the plan is
    what the person looked at, and it still meets every constraint."""
    add(db, operator, ws, "Checkout", value=10, effort={"core": 20})
    with db.unit_of_work(write=False) as uow:
        run = planning.run(uow, actor=operator, workspace=ws)
    shown = planning.assignment_of(run.comparison.optimal)
    add(db, operator, ws, "Bigger", value=50, effort={"core": 20})
    with db.unit_of_work(write=True) as uow:
        stored = planning.accept(uow, actor=operator, workspace=ws, based_on=0, assignment=shown)
    assert stored.assignment == shown


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ({"IN-1": "2027-Q1", "IN-2": "2027-Q1"}, "team core is full in 2027-Q1"),
        ({"IN-9": "2027-Q1"}, "IN-9 is not a candidate"),
        ({"IN-1": "2031-Q1"}, "2031-Q1 is not a quarter of the plan"),
    ],
)
def test_a_plan_that_breaks_a_constraint_is_refused(
    db: Database, operator: Actor, ws: str, assignment: dict[str, str], message: str
) -> None:
    add(db, operator, ws, "Checkout", value=10, effort={"core": 20})
    add(db, operator, ws, "Billing", value=8, effort={"core": 20})
    with db.unit_of_work(write=True) as uow, pytest.raises(Conflict, match=message):
        planning.accept(uow, actor=operator, workspace=ws, based_on=0, assignment=assignment)


def test_an_urgent_item_that_is_not_ready_is_refused_with_the_reason(
    db: Database, operator: Actor, ws: str
) -> None:
    number = add(db, operator, ws, "Rushed", value=1, effort={"core": 1}, ready={})
    with db.unit_of_work(write=False) as uow, pytest.raises(InvalidInput, match="not ready"):
        planning.insert_urgent(uow, actor=operator, workspace=ws, item=number)
