"""Planning through the API: the proposal beside the handbook rule, accepting exactly what was
shown, the accepted plan as capacity changes under it, an urgent insertion that shows what it
displaces and records a decision when accepted, and a plan no one can make.

Every tenant starts with the portfolio of tests/api/world.py `build_portfolio`: one person
(13 person-weeks a quarter) and IN-1, IN-2 of 10 person-weeks each."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from quarterdeck.storage import Database
from tests.api.routes import PERSON, PLAN_QUARTERS, TEAM
from tests.api.test_portfolio import PF, Unchanged, refused
from tests.api.world import ALPHA, Browsers, World
from tests.conftest import sign_in

Q1, Q2 = PLAN_QUARTERS


@pytest.fixture
def editor(browsers: Browsers, world: World) -> TestClient:
    """A signed-in editor of alpha whose writes carry the session's CSRF token."""
    client = browsers.open()
    client.headers["X-CSRF-Token"] = sign_in(client, world.alpha.editor.email)
    return client


@pytest.fixture
def unchanged(db: Database) -> Unchanged:
    return Unchanged(db)


def edit(client: TestClient, key: str, **changes: Any) -> dict[str, Any]:
    version = client.get(f"{PF}/intake/{key}").json()["version"]
    response = client.patch(f"{PF}/intake/{key}", json={"version": version, **changes})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def accept(client: TestClient, proposal: dict[str, Any], strategy: str = "optimal") -> Any:
    plan = proposal["optimal"] if strategy == "optimal" else proposal["rule"]
    return client.post(
        f"{PF}/plan/accept",
        json={
            "based_on": proposal["based_on"],
            "assignment": plan["assignment"],
            "strategy": strategy,
        },
    )


def test_a_proposal_is_accepted_as_shown_and_then_stands_as_the_plan(
    editor: TestClient, unchanged: Unchanged
) -> None:
    with unchanged:
        proposal = editor.get(f"{PF}/plan/proposal").json()
    assert proposal["based_on"] == 0
    assert proposal["current"] is None
    optimal = proposal["optimal"]
    assert optimal["assignment"] == {"IN-1": Q1, "IN-2": Q2}
    assert optimal["value"] == 10.0
    assert [(p["key"], p["title"]) for p in optimal["planned"]] == [
        ("IN-1", "Self-serve onboarding"),
        ("IN-2", "Patch the login flaw"),
    ]
    assert proposal["rule"]["assignment"] == optimal["assignment"]
    assert proposal["value_difference"] == 0.0
    load = {(x["team"], x["quarter"]): x for x in optimal["loads"]}[TEAM, Q1]
    assert (load["capacity"], load["used"], load["left"], load["over_allocated"]) == (
        13.0,
        10.0,
        3.0,
        False,
    )

    accepted = accept(editor, proposal)
    assert accepted.status_code == 201, accepted.text
    stored = accepted.json()
    assert (stored["number"], stored["strategy"]) == (1, "optimal")
    assert stored["assignment"] == optimal["assignment"]
    assert stored["accepted_by"].startswith("editor@")
    planned = {i["key"]: i["planned_quarter"] for i in editor.get(f"{PF}/intake").json()["items"]}
    assert planned == {"IN-1": Q1, "IN-2": Q2}

    with unchanged:
        again = accept(editor, proposal)
    refused(again, 409, "plan 1 was accepted since this plan was worked out")

    # Ada goes half-time: the accepted plan now over-allocates the team in both quarters.
    editor.put(f"{PF}/people/{PERSON}", json={"version": 1, "team": TEAM, "fte": "0.5"})
    current = editor.get(f"{PF}/plan").json()
    assert current["based_on"] == 1
    assert current["accepted"]["number"] == 1
    loads = {x["quarter"]: x for x in current["plan"]["loads"]}
    assert loads[Q1]["left"] == -3.5
    assert loads[Q1]["over_allocated"] is True
    assert editor.get(f"{PF}/plan/proposal").json()["current"]["loads"] == current["plan"]["loads"]


def test_a_plan_that_changed_since_it_was_shown_is_refused(
    editor: TestClient, unchanged: Unchanged
) -> None:
    proposal = editor.get(f"{PF}/plan/proposal").json()
    edit(editor, "IN-2", effort={TEAM: 14})  # no longer fits in a quarter
    with unchanged:
        changed = accept(editor, proposal)
        unknown = editor.post(
            f"{PF}/plan/accept",
            json={"based_on": 0, "assignment": {}, "strategy": "coin-toss"},
        )
        loose = editor.post(f"{PF}/plan/accept", json={"based_on": "0", "assignment": {"IN-1": Q1}})
    refused(
        changed,
        409,
        "the plan shown no longer fits what is stored",
        "IN-2 in 2027-Q2: team core is full in 2027-Q2",
    )
    refused(unknown, 422, "strategy")
    refused(loose, 422, "based_on")


def test_the_handbook_rule_plan_can_be_accepted_instead(editor: TestClient) -> None:
    edit(editor, "IN-1", success="0.5")
    proposal = editor.get(f"{PF}/plan/proposal").json()
    accepted = accept(editor, proposal, strategy="handbook-rule")
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["strategy"] == "handbook-rule"
    assert accepted.json()["assignment"] == proposal["rule"]["assignment"]


def test_an_urgent_insertion_shows_what_it_displaces_and_accepting_records_a_decision(
    editor: TestClient, unchanged: Unchanged
) -> None:
    # Three items of 10 person-weeks, room for one a quarter: the plan keeps IN-3 and IN-1.
    edit(editor, "IN-2", value=2)
    added = editor.post(
        f"{PF}/intake",
        json={
            "title": "Partner API",
            "ready": dict.fromkeys(("dependencies", "risk", "security", "performance"), True),
            "value": 8,
            "effort": {TEAM: 10},
        },
    )
    assert added.status_code == 201, added.text
    proposal = editor.get(f"{PF}/plan/proposal").json()
    assert proposal["optimal"]["assignment"] == {"IN-3": Q1, "IN-1": Q2}
    [left_out] = proposal["optimal"]["deferred"]
    assert left_out["key"] == "IN-2"
    assert left_out["reasons"][0]["binding"] == "lower-value"
    assert accept(editor, proposal).status_code == 201

    with unchanged:
        preview = editor.get(
            f"{PF}/plan/insertions/proposal", params={"item": "IN-2", "quarter": Q1}
        )
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert (shown["urgent"], shown["quarter"], shown["against"]) == ("IN-2", Q1, "accepted plan 1")
    assert shown["based_on"] == 1
    [displaced] = shown["displaced"]
    assert displaced["key"] == "IN-1"
    assert displaced["title"] == "Self-serve onboarding"
    assert displaced["reasons"]
    assert shown["value_lost"] == 5.0
    assert shown["value_change"] == -3.0
    assert shown["after"]["assignment"] == {"IN-2": Q1, "IN-3": Q2}
    assert {(m["quarter"], m["to_urgent"]) for m in shown["capacity"]} >= {(Q1, 10.0)}

    with unchanged:
        stale = editor.post(
            f"{PF}/plan/insertions/accept",
            json={
                "item": "IN-2",
                "quarter": Q1,
                "based_on": 0,
                "assignment": shown["after"]["assignment"],
            },
        )
        other = editor.post(
            f"{PF}/plan/insertions/accept",
            json={
                "item": "IN-2",
                "quarter": Q1,
                "based_on": 1,
                "assignment": proposal["optimal"]["assignment"],
            },
        )
    refused(stale, 409, "plan 1 was accepted since")
    refused(other, 409, "no longer fits what is stored (mandatory IN-2 must be in the plan)")

    accepted = editor.post(
        f"{PF}/plan/insertions/accept",
        json={
            "item": 2,
            "quarter": Q1,
            "based_on": shown["based_on"],
            "assignment": shown["after"]["assignment"],
            "note": "The exploit is in the wild.",
        },
    )
    assert accepted.status_code == 201, accepted.text
    result = accepted.json()
    assert result["decision"] == "D-4"  # every tenant's log holds D-1 to D-3
    plan = result["plan"]
    assert (plan["number"], plan["urgent"], plan["displaced"]) == (2, "IN-2", ["IN-1"])
    assert plan["decision"] == "D-4"
    decision = editor.get(f"/api/v1/workspaces/{ALPHA}/decisions/4").json()
    assert decision["key"] == "D-4"
    assert decision["status"] == result["decision_status"]
    assert decision["content"]["title"] == "Urgent IN-2 Patch the login flaw displaces IN-1"
    assert "IN-1 Self-serve onboarding" in decision["content"]["context"]
    assert {"in-2", "in-1"} <= set(decision["content"]["tags"])
    urgent = editor.get(f"{PF}/intake/IN-2").json()
    assert (urgent["mandatory"], urgent["pinned_quarter"], urgent["planned_quarter"]) == (
        True,
        Q1,
        Q1,
    )
    assert editor.get(f"{PF}/intake/IN-1").json()["planned_quarter"] == ""


def test_an_item_that_cannot_be_planned_is_refused_as_urgent(
    editor: TestClient, unchanged: Unchanged
) -> None:
    edit(editor, "IN-1", ready={"dependencies": True, "risk": False})
    with unchanged:
        not_ready = editor.get(f"{PF}/plan/insertions/proposal", params={"item": "IN-1"})
        missing = editor.get(f"{PF}/plan/insertions/proposal", params={"item": "IN-40"})
        quarter = editor.get(
            f"{PF}/plan/insertions/proposal", params={"item": "IN-2", "quarter": "2031-Q1"}
        )
        malformed = editor.get(f"{PF}/plan/insertions/proposal", params={"item": "the urgent one"})
    refused(not_ready, 422, "IN-1 cannot be planned: not ready")
    refused(missing, 404, "intake item IN-40 not found")
    refused(quarter, 422, "2031-Q1 is not one of the planning quarters")
    refused(malformed, 422, "item")
    [aside] = editor.get(f"{PF}/plan").json()["set_aside"]
    assert aside["key"] == "IN-1"
    assert "not yet confirmed that risk is assessed" in aside["reason"]


def test_two_mandatory_items_that_cannot_both_fit_answer_422_naming_the_conflict(
    editor: TestClient, unchanged: Unchanged
) -> None:
    for key in ("IN-1", "IN-2"):
        edit(editor, key, mandatory=True, pinned_quarter=Q1)
    with unchanged:
        proposal = editor.get(f"{PF}/plan/proposal")
        insertion = editor.get(f"{PF}/plan/insertions/proposal", params={"item": "IN-1"})
        # Posting a plan no one could make is checked like any other: it breaks capacity.
        accepted = editor.post(
            f"{PF}/plan/accept", json={"based_on": 0, "assignment": {"IN-1": Q1, "IN-2": Q1}}
        )
    for answer in (proposal, insertion):
        refused(
            answer,
            422,
            "no plan meets every constraint",
            "mandatory IN-1, IN-2 cannot all be planned within team capacity",
        )
    refused(accepted, 409, "team core is full in 2027-Q1")
