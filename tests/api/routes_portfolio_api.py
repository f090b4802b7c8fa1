"""The routes of the portfolio API, the policy each must have,
and a realistic request for each (see tests/api/routes.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from tests.api.routes import (
    ITEM,
    OUTCOME,
    PERSON,
    PLAN_QUARTERS,
    TEAM,
    URGENT_ITEM,
    WS,
    Call,
    Policy,
    Route,
    Target,
    _fill,
    _path,
)

Q1, Q2 = PLAN_QUARTERS
# What the planner makes of every tenant's portfolio (tests/api/world.py): both items fit,
# one per quarter; planning IN-2 first moves IN-1 to the second quarter.
PROPOSED = {f"IN-{ITEM}": Q1, f"IN-{URGENT_ITEM}": Q2}
URGENT_FIRST = {f"IN-{URGENT_ITEM}": Q1, f"IN-{ITEM}": Q2}
READY = dict.fromkeys(("dependencies", "risk", "security", "performance"), True)


def _json(template: str, body: dict[str, Any]) -> Callable[[Target], Call]:
    return lambda t: Call(_fill(template, t), json=body)


def _person(t: Target, tail: str = "") -> str:
    return _fill(WS, t) + f"/people/{quote(PERSON)}{tail}"


def _item(t: Target, tail: str = "") -> str:
    return _fill(WS, t) + f"/intake/IN-{ITEM}{tail}"


SETTINGS = {
    "version": 1,
    "goals": [
        {"key": "growth", "title": "Grow revenue", "weight": 2},
        {"key": "retention", "title": "Keep customers", "weight": "1"},
    ],
    "method": "rice",
    "weights": {"risk": "2"},
    "splits": {
        quarter: [
            {"kind": "product-bet", "target": 60, "minimum": 40, "maximum": 80},
            {"kind": "platform-investment", "target": 25},
            {"kind": "risk-reduction", "target": "15"},
        ]
        for quarter in PLAN_QUARTERS
    },
    "value_unit": "EUR k",
    "time_limit": 10,
}
NEW_ITEM = {
    "title": "Usage-based billing",
    "kind": "product-bet",
    "requester": "Head of Sales",
    "department": "Sales",
    "hypothesis": "Metered plans convert trial accounts that outgrow the free tier.",
    "smallest_bet": "Offer metered billing to ten design partners.",
    "urgency": "high",
    "urgency_reason": "two enterprise renewals depend on it",
    "ready": READY,
    "requires": [f"IN-{ITEM}"],
    "value": "40",
    "success": "0.6",
    "scores": {
        "five-criteria": {
            "serves": {"growth": 4},
            "departmental": 4,
            "resources": 3,
            "viability": 4,
            "risk": 2,
        },
        "rice": {"reach": 800, "impact": 2, "confidence": 80, "effort": 3},
    },
    "effort": {TEAM: 8},
    "outcome_key": OUTCOME,
    "primary_metric": "trial-conversion",
    "guardrail_metric": "error-rate",
}

ROUTES: tuple[Route, ...] = (
    # Planning settings, teams and people
    Route("GET", WS + "/portfolio/settings", Policy.READ, 200, _path(WS + "/portfolio/settings")),
    Route(
        "PUT",
        WS + "/portfolio/settings",
        Policy.WRITE,
        200,
        _json(WS + "/portfolio/settings", SETTINGS),
        audit_actions=("portfolio.settings_changed",),
    ),
    Route("GET", WS + "/teams", Policy.READ, 200, _path(WS + "/teams")),
    Route(
        "POST",
        WS + "/teams",
        Policy.WRITE,
        201,
        _json(
            WS + "/teams",
            {"key": "platform", "name": "Platform", "reserve_percent": "20", "max_parallel": 2},
        ),
        audit_actions=("team.added",),
    ),
    Route(
        "PUT",
        WS + "/teams/{team}",
        Policy.WRITE,
        200,
        _json(
            WS + f"/teams/{TEAM}",
            {"version": 1, "name": "Core Product", "reserve_percent": 15, "max_parallel": 3},
        ),
        audit_actions=("team.changed",),
    ),
    Route(
        "PUT",
        WS + "/people/{name}",
        Policy.WRITE,
        200,
        lambda t: Call(
            _person(t),
            json={
                "version": 1,
                "team": TEAM,
                "fte": "0.8",
                "ends_on": "2027-05-31",
                "leave": {Q1: 2},
            },
        ),
        audit_actions=("person.changed",),
    ),
    Route(
        "DELETE",
        WS + "/people/{name}",
        Policy.WRITE,
        204,
        lambda t: Call(_person(t, "?version=1")),
        audit_actions=("person.removed",),
    ),
    # The single intake
    Route(
        "GET",
        WS + "/intake",
        Policy.READ,
        200,
        _path(WS + "/intake?kind=product-bet&urgency=urgent&ready=true&q=login"),
    ),
    Route(
        "POST",
        WS + "/intake",
        Policy.WRITE,
        201,
        _json(WS + "/intake", NEW_ITEM),
        audit_actions=("intake.added",),
    ),
    Route(
        "GET", WS + "/intake/ranking", Policy.READ, 200, _path(WS + "/intake/ranking?method=wsjf")
    ),
    Route("GET", WS + "/intake/{key}", Policy.READ, 200, lambda t: Call(_item(t))),
    Route(
        "PATCH",
        WS + "/intake/{key}",
        Policy.WRITE,
        200,
        lambda t: Call(
            _item(t),
            json={
                "version": 1,
                "description": "Let trial users set up their workspace without a call.",
                "scores": {
                    "wsjf": {
                        "business_value": 8,
                        "time_criticality": 5,
                        "risk_reduction": 2,
                        "job_size": 5,
                    }
                },
                "success": "0.8",
            },
        ),
        audit_actions=("intake.changed",),
    ),
    Route(
        "POST",
        WS + "/intake/{key}/checkpoints/{checkpoint}",
        Policy.WRITE,
        200,
        lambda t: Call(
            _item(t, "/checkpoints/problem-validated"),
            json={
                "version": 1,
                "done": True,
                "note": "Twelve of fifteen trial users asked for it unprompted.",
                "link": "https://research.example/onboarding-interviews",
            },
        ),
        audit_actions=("intake.checkpoint",),
    ),
    Route(
        "PUT",
        WS + "/intake/{key}/cost-benefit",
        Policy.WRITE,
        200,
        lambda t: Call(
            _item(t, "/cost-benefit"),
            json={
                "version": 1,
                "period": "quarter",
                "discount_rate": 8,
                "costs": [60000, "15000", 5000, 5000],
                "benefits": [0, 30000, 45000, "50000.50"],
            },
        ),
        audit_actions=("intake.cost_benefit",),
    ),
    # Roadmap
    Route("GET", WS + "/roadmap", Policy.READ, 200, _path(WS + "/roadmap")),
    Route(
        "PUT",
        WS + "/outcomes/{key}",
        Policy.WRITE,
        200,
        _json(
            WS + f"/outcomes/{OUTCOME}",
            {
                "version": 1,
                "theme": "Growth",
                "title": "More trials become paying customers",
                "metric": "trial-conversion",
                "target": "30 % of trials convert",
                "quarter": Q2,
            },
        ),
        audit_actions=("outcome.changed",),
    ),
    # Planning
    Route("GET", WS + "/plan", Policy.READ, 200, _path(WS + "/plan")),
    Route("GET", WS + "/plan/proposal", Policy.READ, 200, _path(WS + "/plan/proposal")),
    Route(
        "POST",
        WS + "/plan/accept",
        Policy.WRITE,
        201,
        _json(
            WS + "/plan/accept",
            {"based_on": 0, "assignment": PROPOSED, "strategy": "optimal", "note": "Q1 review"},
        ),
        audit_actions=("plan.accepted",),
    ),
    Route(
        "GET",
        WS + "/plan/insertions/proposal",
        Policy.READ,
        200,
        _path(WS + f"/plan/insertions/proposal?item=IN-{URGENT_ITEM}&quarter={Q1}"),
    ),
    Route(
        "POST",
        WS + "/plan/insertions/accept",
        Policy.WRITE,
        201,
        _json(
            WS + "/plan/insertions/accept",
            {
                "item": f"IN-{URGENT_ITEM}",
                "quarter": Q1,
                "based_on": 0,
                "assignment": URGENT_FIRST,
                "note": "The exploit is in the wild.",
            },
        ),
        audit_actions=("decision.recorded", "intake.changed", "plan.accepted"),
    ),
)
