"""Engagements of a fractional leader with client workspaces: the red-flag check and its
verdict, and the overview across clients, which never shows a client the leader does not
belong to."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.engagements import Verdict, check_red_flags
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput
from quarterdeck.services import engagements, members
from quarterdeck.storage import Database
from tests.conftest import Factory

LEADER = "fractional@leader.example"
TODAY = date(2027, 1, 10)


def terms(**overrides: Any) -> dict[str, Any]:
    return {
        "leader": LEADER,
        "model": "operating-retainer",
        "starts_on": date(2027, 1, 4),
        "ends_on": None,
        "hours_per_week": "16",
        "pricing_basis": "retainer",
        "amount": "12000",
        "currency": "usd",
        "sponsor": "CEO",
        "owns": ["technology direction", "execution system"],
        "out_of_scope": ["IT administration"],
        "decision_rights": ["architecture", "process"],
        "milestones": [{"title": "Action plan", "due": "2027-02-01"}],
        **overrides,
    }


@pytest.fixture
def leader(db: Database, make: Factory, operator: Actor) -> Actor:
    user = make.user(LEADER, name="Frankie Fractional")
    for slug in ("client-a", "client-b", "client-c"):
        ws = make.workspace(slug)
        if slug != "client-c":
            with db.unit_of_work(write=True) as uow:
                members.add(uow, actor=operator, workspace=slug, email=LEADER, role=Role.EDITOR)
        else:
            make.member(ws, Role.EDITOR, "someone@c.example")
    return Actor(kind=ActorKind.USER, label=LEADER, user_id=user.id)


def put(db: Database, operator: Actor, slug: str, **overrides: Any) -> engagements.EngagementView:
    with db.unit_of_work(write=True) as uow:
        return engagements.put_engagement(uow, actor=operator, workspace=slug, **terms(**overrides))


def test_the_overview_shows_only_clients_the_leader_belongs_to(
    db: Database, operator: Actor, leader: Actor
) -> None:
    put(db, operator, "client-a")
    put(db, operator, "client-b", hours_per_week="8", sponsor="", milestones=[])
    with db.unit_of_work(write=False) as uow:
        view = engagements.overview(uow, actor=leader, today=TODAY)
    assert [c.workspace.slug for c in view.clients] == ["client-a", "client-b"]
    assert view.hours_per_week == Decimal(24)
    assert view.clients[0].next_milestone == {"title": "Action plan", "due": "2027-02-01"}
    assert view.red_flags == 1  # client-b names no sponsor
    # Removed from client-b: its engagement disappears from the overview.
    with db.unit_of_work(write=True) as uow:
        members.remove(uow, actor=operator, workspace="client-b", email=LEADER)
    with db.unit_of_work(write=False) as uow:
        view = engagements.overview(uow, actor=leader, today=TODAY)
    assert [c.workspace.slug for c in view.clients] == ["client-a"]


def test_the_leader_cannot_be_engaged_by_a_client_they_do_not_belong_to(
    db: Database, operator: Actor, leader: Actor
) -> None:
    with (
        db.unit_of_work(write=True) as uow,
        pytest.raises(InvalidInput, match="not a member of 'client-c'"),
    ):
        engagements.put_engagement(uow, actor=operator, workspace="client-c", **terms())
    with db.unit_of_work(write=True) as uow, pytest.raises(Forbidden):
        engagements.put_engagement(uow, actor=leader, workspace="client-a", **terms())


def test_the_overview_needs_a_person(db: Database, operator: Actor) -> None:
    with db.unit_of_work(write=False) as uow, pytest.raises(Forbidden):
        engagements.overview(uow, actor=operator, today=TODAY)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": date(2026, 12, 1)}, "ends on 2026-12-01 before it starts"),
        ({"model": "interim"}, "interim engagement needs its planned end"),
        ({"hours_per_week": "0"}, "hours per week must be above 0"),
        ({"hours_per_week": "90"}, "at most 60"),
        ({"currency": "dollars"}, "three-letter code"),
        ({"decision_rights": ["everything"]}, "unknown decision area 'everything'"),
        (
            {"milestones": [{"title": "x", "due": "soon"}]},
            "milestone 1 needs a title and a due date",
        ),
        ({"red_flags": {"bad-vibes": True}}, "red flags are"),
        ({"model": "gig"}, "model is one of"),
    ],
)
def test_bad_terms_are_refused(
    db: Database, operator: Actor, leader: Actor, overrides: dict[str, Any], message: str
) -> None:
    with db.unit_of_work(write=True) as uow, pytest.raises(InvalidInput, match=message):
        engagements.put_engagement(uow, actor=operator, workspace="client-a", **terms(**overrides))
    with db.unit_of_work(write=False) as uow:
        assert engagements.engagements(uow, actor=operator, workspace="client-a") == []


def test_a_stale_change_is_refused(db: Database, operator: Actor, leader: Actor) -> None:
    put(db, operator, "client-a")
    put(db, operator, "client-a", expected_version=1, hours_per_week="20")
    with db.unit_of_work(write=True) as uow, pytest.raises(Conflict):
        engagements.put_engagement(
            uow, actor=operator, workspace="client-a", **terms(expected_version=1)
        )


def test_red_flags_add_up_to_a_verdict() -> None:
    clean = check_red_flags(
        {}, sponsor="CEO", decision_rights=["process"], owns=["a"], out_of_scope=[]
    )
    assert clean.verdict is Verdict.GO
    one = check_red_flags(
        {"everything-urgent": True},
        sponsor="CEO",
        decision_rights=["process"],
        owns=[],
        out_of_scope=[],
    )
    assert one.verdict is Verdict.RESOLVE_FIRST
    assert one.raised == (("everything-urgent", "answered yes"),)
    derived = check_red_flags(
        {}, sponsor=" ", decision_rights=[], owns=list("abcdef"), out_of_scope=[]
    )
    assert derived.verdict is Verdict.DO_NOT_ENGAGE
    assert [key for key, _ in derived.raised] == [
        "no-sponsor",
        "fix-everything",
        "no-decision-rights",
    ]
    assert "declares nothing out of scope" in dict(derived.raised)["fix-everything"]
    bounded = check_red_flags(
        {}, sponsor="CEO", decision_rights=["x"], owns=list("abcdef"), out_of_scope=["IT"]
    )
    assert bounded.verdict is Verdict.GO


def test_milestones_in_the_past_are_not_next(db: Database, operator: Actor, leader: Actor) -> None:
    put(
        db,
        operator,
        "client-a",
        milestones=[
            {"title": "Old", "due": "2027-01-01"},
            {"title": "New", "due": (TODAY + timedelta(days=3)).isoformat()},
        ],
    )
    with db.unit_of_work(write=False) as uow:
        (line,) = engagements.overview(uow, actor=leader, today=TODAY).clients
    assert line.next_milestone is not None
    assert line.next_milestone["title"] == "New"
