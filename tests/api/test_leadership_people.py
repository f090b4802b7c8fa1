"""Engagements and assessments through the API: how a leader is engaged with a client
workspace and the overview across their clients, which never shows a client they no
longer belong to; and assessment sittings, private to the person who took them until
they share one with a workspace, whose members alone may then read it.

Every tenant starts as tests/api/world.py builds it: the editor engaged on an operating
retainer (version 1); the owner has one private sitting of SITTING_ASSESSMENT, rated 3
throughout (alpha's is sitting 1, bravo's sitting 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.domain.access import Actor, Role
from quarterdeck.services import members
from quarterdeck.storage import Database
from tests.api.test_portfolio import PF, Unchanged, refused
from tests.api.world import (
    ALPHA,
    BRAVO,
    SITTING_ASSESSMENT,
    Browsers,
    MovableClock,
    World,
    row_counts,
)
from tests.conftest import sign_in

ALPHA_SITTING, BRAVO_SITTING = 1, 2
MA = "/api/v1/me/assessments"


def _signed(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    client.headers["X-CSRF-Token"] = sign_in(client, email)
    return client


@pytest.fixture
def owner(browsers: Browsers, world: World) -> TestClient:
    return _signed(browsers, world.alpha.owner.email)


@pytest.fixture
def unchanged(db: Database) -> Unchanged:
    return Unchanged(db)


def _engagement(**overrides: Any) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    return {
        "version": 0,
        "model": "assessment-sprint",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=14)).isoformat(),
        "hours_per_week": "20",
        "pricing_basis": "day-rate",
        "amount": "1200",
        "currency": "gbp",
        "sponsor": "Chief Operating Officer",
        "owns": ["Delivery health review"],
        "decision_rights": ["architecture"],
        "milestones": [{"title": "Action plan", "due": (today + timedelta(days=14)).isoformat()}],
        **overrides,
    }


# -- engagements -------------------------------------------------------------------------------


def test_members_read_the_engagements_with_their_red_flag_check(
    browsers: Browsers, world: World
) -> None:
    viewer = _signed(browsers, world.alpha.viewer.email)
    (engaged,) = viewer.get(f"{PF}/engagements").json()
    assert engaged["leader"] == world.alpha.editor.email
    assert engaged["model"] == "operating-retainer"
    assert (engaged["hours_per_week"], engaged["currency"]) == ("16", "EUR")
    assert engaged["check"]["verdict"] == "go"
    assert engaged["version"] == 1


def test_owner_records_an_engagement_then_changes_it_against_the_version_read(
    owner: TestClient, world: World, db: Database
) -> None:
    path = f"{PF}/engagements/{world.alpha.spare.email}"
    recorded = owner.put(path, json=_engagement(red_flags={"hero-wanted": True}))
    assert recorded.status_code == 200, recorded.text
    shown = recorded.json()
    assert (shown["version"], shown["currency"], shown["amount"]) == (1, "GBP", "1200")
    assert shown["check"]["verdict"] == "resolve-first"
    assert [r["flag"] for r in shown["check"]["raised"]] == ["hero-wanted"]
    assert shown["next_milestone"]["title"] == "Action plan"
    with Unchanged(db):
        again = owner.put(path, json=_engagement())
    refused(again, 409, "already has an engagement")
    changed = owner.put(path, json=_engagement(version=1, sponsor="", decision_rights=[]))
    assert changed.json()["version"] == 2
    assert changed.json()["check"]["verdict"] == "do-not-engage"
    with Unchanged(db):
        stale = owner.put(path, json=_engagement(version=1))
    refused(stale, 409, "since version 1")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "2001-01-01"}, "before it starts"),
        ({"ends_on": None}, "needs its planned end"),
        ({"hours_per_week": "61"}, "at most 60"),
        ({"decision_rights": ["golf"]}, "unknown decision area 'golf'"),
        ({"red_flags": {"too-cheerful": True}}, "red flags are no-sponsor"),
        ({"model": "moonlighting"}, "model"),
    ],
)
def test_an_engagement_that_breaks_a_rule_saves_nothing(
    owner: TestClient,
    world: World,
    unchanged: Unchanged,
    overrides: dict[str, Any],
    message: str,
) -> None:
    with unchanged:
        response = owner.put(
            f"{PF}/engagements/{world.alpha.spare.email}", json=_engagement(**overrides)
        )
    refused(response, 422, message)


def test_a_leader_who_is_not_a_member_cannot_be_engaged(
    owner: TestClient, world: World, unchanged: Unchanged
) -> None:
    with unchanged:
        response = owner.put(f"{PF}/engagements/{world.newcomer.email}", json=_engagement())
    refused(response, 422, "is not a member of 'alpha-corp'")


def test_a_leader_sees_only_the_clients_they_still_belong_to(
    db: Database, world: World, browsers: Browsers, operator: Actor
) -> None:
    leader = world.alpha.editor
    with db.unit_of_work(write=True) as uow:
        members.add(uow, actor=operator, workspace=BRAVO, email=leader.email, role=Role.VIEWER)
    bravo_owner = _signed(browsers, world.bravo.owner.email)
    recorded = bravo_owner.put(
        f"/api/v1/workspaces/{BRAVO}/engagements/{leader.email}", json=_engagement()
    )
    assert recorded.status_code == 200, recorded.text
    client = _signed(browsers, leader.email)
    overview = client.get("/api/v1/me/engagements").json()
    assert [c["workspace"] for c in overview["clients"]] == [ALPHA, BRAVO]
    assert overview["hours_per_week"] == "36"
    with db.unit_of_work(write=True) as uow:
        members.remove(uow, actor=operator, workspace=BRAVO, email=leader.email)
    overview = client.get("/api/v1/me/engagements").json()
    assert [c["workspace"] for c in overview["clients"]] == [ALPHA]
    assert overview["hours_per_week"] == "16"
    refused(client.get(f"/api/v1/workspaces/{BRAVO}/engagements"), 404, BRAVO)


def test_another_workspaces_engagement_answers_404(
    owner: TestClient, world: World, unchanged: Unchanged
) -> None:
    refused(owner.get(f"/api/v1/workspaces/{BRAVO}/engagements"), 404)
    with unchanged:
        response = owner.put(
            f"/api/v1/workspaces/{BRAVO}/engagements/{world.bravo.editor.email}",
            json=_engagement(version=1),
        )
    refused(response, 404)


def test_a_token_cannot_read_the_overview_across_clients(client: TestClient, world: World) -> None:
    response = client.get(
        "/api/v1/me/engagements",
        headers={"Authorization": f"Bearer {world.alpha.read_token.secret}"},
    )
    refused(response, 403, "for a signed-in person")


# -- assessments -------------------------------------------------------------------------------


def _ratings(rating: int) -> dict[str, int]:
    return dict.fromkeys(assessment_catalog().assessment(SITTING_ASSESSMENT).statement_keys, rating)


def test_a_sitting_is_scored_and_compared_with_the_one_before(
    owner: TestClient, clock: MovableClock
) -> None:
    clock.advance(minutes=1)  # after the sitting the tenant was built with
    ratings = _ratings(4)
    first_area = assessment_catalog().assessment(SITTING_ASSESSMENT).areas[0]
    for statement in first_area.statements:
        ratings[statement.key] = 2
    taken = owner.post(
        MA,
        json={"assessment": SITTING_ASSESSMENT, "ratings": ratings, "aiming_for": "scaleup-cto"},
    )
    assert taken.status_code == 201, taken.text
    sitting = taken.json()
    assert sitting["shared_with"] is None
    assert sitting["gaps"] == [first_area.key]
    assert [p["key"] for p in sitting["priorities"]] == [first_area.key]
    assert sitting["priorities"][0]["development"] == list(first_area.development)
    assert len(sitting["strengths"]) == len(sitting["areas"]) - 1
    changes = {c["key"]: c["change"] for c in sitting["since_previous"]}
    assert changes[first_area.key] == "-1.00"
    assert set(changes.values()) == {"-1.00", "1.00"}
    mine = owner.get(f"{MA}?assessment={SITTING_ASSESSMENT}").json()
    assert [s["id"] for s in mine] == [ALPHA_SITTING, sitting["id"]]
    assert mine[0]["since_previous"] is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"ratings": {}}, "is not rated"),
        ({"ratings": {**_ratings(3), "golf": 3}}, "has no statement 'golf'"),
        ({"ratings": _ratings(6)}, "ratings run from 1 to 5"),
        ({"ratings": _ratings(3), "aiming_for": "chief-wizard"}, "unknown kind of leader"),
        ({"assessment": "iq-test", "ratings": {}}, "unknown assessment 'iq-test'"),
    ],
)
def test_a_sitting_with_a_bad_rating_stores_nothing(
    owner: TestClient, unchanged: Unchanged, body: dict[str, Any], message: str
) -> None:
    with unchanged:
        response = owner.post(MA, json={"assessment": SITTING_ASSESSMENT, **body})
    refused(response, 422, message)


def test_another_persons_sitting_answers_404_shared_or_not(
    owner: TestClient, browsers: Browsers, world: World
) -> None:
    assert owner.get(f"{MA}/{ALPHA_SITTING}").status_code == 200
    refused(owner.get(f"{MA}/{BRAVO_SITTING}"), 404, f"assessment sitting {BRAVO_SITTING}")
    refused(owner.put(f"{MA}/{BRAVO_SITTING}/share", json={"workspace": ALPHA}), 404)
    bravo_owner = _signed(browsers, world.bravo.owner.email)
    refused(bravo_owner.get(f"{MA}/{ALPHA_SITTING}"), 404)
    assert owner.put(f"{MA}/{ALPHA_SITTING}/share", json={"workspace": ALPHA}).status_code == 200
    refused(bravo_owner.get(f"{MA}/{ALPHA_SITTING}"), 404)
    assert [s["id"] for s in bravo_owner.get(MA).json()] == [BRAVO_SITTING]


def test_a_shared_sitting_is_read_by_that_workspaces_members_only(
    owner: TestClient, browsers: Browsers, world: World, client: TestClient
) -> None:
    shared = owner.put(f"{MA}/{ALPHA_SITTING}/share", json={"workspace": ALPHA})
    assert shared.json()["shared_with"] == ALPHA
    viewer = _signed(browsers, world.alpha.viewer.email)
    (seen,) = viewer.get(f"{PF}/assessments/shared").json()
    assert seen["sitting"]["id"] == ALPHA_SITTING
    assert seen["taken_by"] in (world.alpha.owner.display_name, world.alpha.owner.email)
    token = {"Authorization": f"Bearer {world.alpha.read_token.secret}"}
    assert len(client.get(f"{PF}/assessments/shared", headers=token).json()) == 1
    bravo_owner = _signed(browsers, world.bravo.owner.email)
    refused(bravo_owner.get(f"{PF}/assessments/shared"), 404)
    assert bravo_owner.get(f"/api/v1/workspaces/{BRAVO}/assessments/shared").json() == []
    private = owner.put(f"{MA}/{ALPHA_SITTING}/share", json={"workspace": None})
    assert private.json()["shared_with"] is None
    assert viewer.get(f"{PF}/assessments/shared").json() == []


def test_a_sitting_cannot_be_shared_with_a_workspace_one_does_not_belong_to(
    owner: TestClient, unchanged: Unchanged
) -> None:
    with unchanged:
        response = owner.put(f"{MA}/{ALPHA_SITTING}/share", json={"workspace": BRAVO})
    refused(response, 404, BRAVO)


def test_tokens_neither_take_nor_read_personal_sittings(
    client: TestClient, world: World, db: Database
) -> None:
    token = {"Authorization": f"Bearer {world.alpha.write_token.secret}"}
    before = row_counts(db)
    taken = client.post(
        MA, json={"assessment": SITTING_ASSESSMENT, "ratings": _ratings(3)}, headers=token
    )
    refused(taken, 403, "by the person themselves")
    assert row_counts(db) == before
    refused(client.get(MA, headers=token), 403)
    refused(client.get(f"{MA}/{ALPHA_SITTING}", headers=token), 403)
