"""Decisions routed through decision rights over HTTP: the approval queue, who may accept,
what is recorded about it, and the bottleneck signals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.access import Role
from tests.api.world import Browsers, MovableClock
from tests.conftest import Factory, sign_in

HARBOUR = "harbour"
DECISIONS = f"/api/v1/workspaces/{HARBOUR}/decisions"
ONE_WAY_CROSS_TEAM = {
    "title": "Move checkout and billing onto one shared event bus",
    "area": "architecture",
    "context": "Checkout and billing each keep their own queue and drift apart.",
    "reversibility": "one-way",
    "cross_team": True,
}


@dataclass
class Browser:
    """A signed-in client and its CSRF token."""

    client: TestClient
    csrf: str

    def get(self, path: str, **params: Any) -> httpx.Response:
        # An empty `params` would wipe a query string written into `path`.
        return self.client.get(path, params=params or None)

    def send(self, method: str, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.client.request(method, path, json=body, headers={"X-CSRF-Token": self.csrf})


def _browser(browsers: Browsers, email: str) -> Browser:
    client = browsers.open()
    return Browser(client, sign_in(client, email))


@dataclass
class Crew:
    """A CTO + CPO organisation: an owner, a team lead and a CTO (both editors)."""

    owner: Browser
    lead: Browser
    chief: Browser
    lead_email: str
    chief_email: str


@pytest.fixture
def crew(make: Factory, browsers: Browsers) -> Crew:
    workspace = make.workspace(HARBOUR)
    owner = make.member(workspace, Role.OWNER, "owner@harbour.example")
    lead = make.member(workspace, Role.EDITOR, "lead@harbour.example")
    chief = make.member(workspace, Role.EDITOR, "chief@harbour.example")
    crew = Crew(
        owner=_browser(browsers, owner.email),
        lead=_browser(browsers, lead.email),
        chief=_browser(browsers, chief.email),
        lead_email=lead.email,
        chief_email=chief.email,
    )
    for email, roles in ((lead.email, ["team-lead"]), (chief.email, ["cto"])):
        given = crew.owner.send(
            "PUT",
            f"/api/v1/workspaces/{HARBOUR}/members/{email}/leadership-roles",
            {"roles": roles},
        )
        assert given.status_code == 200, given.text
    return crew


def _accept(browser: Browser, decision: dict[str, Any]) -> httpx.Response:
    return browser.send(
        "POST",
        f"{DECISIONS}/{decision['number']}/status",
        {"version": decision["version"], "status": "accepted"},
    )


def test_cross_team_one_way_door_waits_for_the_cto_and_only_a_cto_accepts_it(
    crew: Crew, clock: MovableClock
) -> None:
    recorded = crew.lead.send("POST", DECISIONS, {**ONE_WAY_CROSS_TEAM, "accept": True})
    assert recorded.status_code == 201, recorded.text
    proposed = recorded.json()
    assert proposed["status"] == "proposed"  # accept is ignored outside the proposer's rights
    assert proposed["awaiting"] == {"key": "cto", "name": "CTO"}
    assert proposed["proposed_by"] == crew.lead_email
    assert (proposed["decided_by"], proposed["decided_as"]) == (None, None)
    assert [(e["rule"], e["route_to"], e["reason"]) for e in proposed["escalations"]] == [
        ("Cross-team tradeoffs", "cto", "it is a cross-team tradeoff"),
        ("One-way doors", "cto", "it is a one-way door (costly or impossible to undo)"),
        ("", "cto", "outside your decision rights"),
    ]

    clock.advance(hours=3)
    (entry,) = crew.lead.get(DECISIONS + "/queue", role="cto").json()
    assert entry["waiting_seconds"] == 3 * 3600
    assert entry["decision"]["key"] == proposed["key"]
    assert entry["decision"]["title"] == ONE_WAY_CROSS_TEAM["title"]
    assert entry["decision"]["awaiting"] == {"key": "cto", "name": "CTO"}
    assert entry["decision"]["escalations"] == proposed["escalations"]
    assert crew.lead.get(DECISIONS + "/queue", role="cpo").json() == []
    assert crew.lead.get(DECISIONS + "/queue", mine="true").json() == []
    assert [
        e["decision"]["key"] for e in crew.chief.get(DECISIONS + "/queue", mine="true").json()
    ] == [proposed["key"]]

    refused = _accept(crew.lead, proposed)
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert f"{proposed['key']} is for CTO to decide" in detail
    assert "it is a cross-team tradeoff" in detail
    assert "your leadership roles: Team lead" in detail
    assert crew.lead.get(f"{DECISIONS}/{proposed['number']}").json() == proposed

    accepted = _accept(crew.chief, proposed)
    assert accepted.status_code == 200, accepted.text
    decided = accepted.json()
    assert decided["status"] == "accepted"
    assert decided["decided_by"] == crew.chief_email
    assert decided["decided_as"] == "approver as CTO"
    assert decided["awaiting"] is None
    assert decided["escalations"] == proposed["escalations"]  # why it went up stays on record

    assert crew.chief.get(DECISIONS + "/queue").json() == []
    signals = crew.lead.get(DECISIONS + "/signals").json()
    assert signals["latency"] == {"median_hours": 3.0, "count": 1, "excluded": 0}
    assert signals["hints"] == []
    assert signals["window_days"] == 90


def test_decision_inside_the_proposers_rights_is_accepted_at_once(crew: Crew) -> None:
    recorded = crew.chief.send(
        "POST",
        DECISIONS,
        {"title": "Standardise on OpenTelemetry", "area": "architecture", "accept": True},
    )
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert body["status"] == "accepted"
    assert body["decided_at"] is not None
    assert (body["awaiting"], body["escalations"]) == (None, [])
    assert body["decided_by"] == crew.chief_email
    assert body["decided_as"] == "within their rights as CTO"
    assert crew.chief.get(DECISIONS + "/queue").json() == []


def test_decision_inside_the_proposers_rights_without_accept_stays_proposed_and_queueless(
    crew: Crew,
) -> None:
    recorded = crew.chief.send(
        "POST", DECISIONS, {"title": "Standardise on OpenTelemetry", "area": "architecture"}
    )
    body = recorded.json()
    assert (body["status"], body["awaiting"], body["decided_by"]) == ("proposed", None, None)
    assert crew.chief.get(DECISIONS + "/queue").json() == []


def test_security_exception_is_kept_and_sends_the_decision_to_the_cto(crew: Crew) -> None:
    recorded = crew.lead.send(
        "POST",
        DECISIONS,
        {"title": "Skip MFA for the kiosk account", "area": "process", "security_exception": True},
    )
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert body["content"]["security_exception"] is True
    assert body["awaiting"] == {"key": "cto", "name": "CTO"}
    assert ("Security exceptions", "it asks for a security exception") in {
        (e["rule"], e["reason"]) for e in body["escalations"]
    }
    shown = crew.lead.get(f"{DECISIONS}/{body['number']}").json()
    assert shown["content"]["security_exception"] is True


def test_one_approver_taking_every_approval_of_an_area_gets_a_delegation_hint(
    crew: Crew, clock: MovableClock
) -> None:
    for round_ in range(5):  # the hint needs five approvals
        recorded = crew.lead.send(
            "POST", DECISIONS, {**ONE_WAY_CROSS_TEAM, "title": f"Shared contract {round_}"}
        )
        clock.advance(hours=1)
        assert _accept(crew.chief, recorded.json()).status_code == 200
    signals = crew.owner.get(DECISIONS + "/signals", window_days=30).json()
    assert signals["window_days"] == 30
    assert signals["latency"] == {"median_hours": 1.0, "count": 5, "excluded": 0}
    (hint,) = signals["hints"]
    assert {k: v for k, v in hint.items() if k != "message"} == {
        "approver": crew.chief_email,
        "area": "architecture",
        "count": 5,
        "total": 5,
        "window_days": 30,
    }
    assert "approved 5 of the 5 Architecture decisions of the last 30 days" in hint["message"]


@pytest.mark.parametrize(
    "query",
    ["/signals?window_days=0", "/signals?window_days=3651", "/queue?role=Not%20a%20role"],
)
def test_queue_and_signals_refuse_out_of_range_parameters(crew: Crew, query: str) -> None:
    response = crew.lead.get(DECISIONS + query)
    assert response.status_code == 422
    assert response.json()["error"] == "Check your input"
