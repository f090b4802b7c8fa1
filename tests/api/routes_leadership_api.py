"""The routes of the leadership API, the policy each must have,
and a realistic request for each (see tests/api/routes.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from quarterdeck.catalog.assessments import assessment_catalog
from tests.api.routes import WS, Call, Policy, Route, Target, _fill, _path

PR = WS + "/playbook-runs"
ES = WS + "/engagements"
MA = "/api/v1/me/assessments"
# Every tenant (tests/api/world.py `build_leadership`): PB-1, the new CTO's first 90 days,
# running at version 1 with no step done; PB-2 paused at version 2; the editor engaged on
# a retainer. Every tenant's owner has one private sitting; alpha's, made first, is 1.
RUN, PAUSED_RUN, STEP, SITTING = "PB-1", "PB-2", "business-context", 1
# A 40-person startup with eight engineers, no budget for a full-time executive and no
# technology leader, that needs a foundation and product outcomes: a fractional CTO.
STARTUP_ANSWERS: dict[str, Any] = {
    "stage": "startup",
    "headcount": 40,
    "engineers": 8,
    "technology_leader": "none",
    "needs": ["foundation", "product-outcomes"],
}
ASSESSMENT = "it-manager-skills"


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _next_week() -> str:
    return (datetime.now(UTC).date() + timedelta(days=7)).isoformat()


def _json(template: str, body: dict[str, Any]) -> Callable[[Target], Call]:
    return lambda t: Call(_fill(template, t), json=body)


def _run(tail: str, body: dict[str, Any], run: str = RUN) -> Callable[[Target], Call]:
    return lambda t: Call(_fill(f"{PR}/{run}{tail}", t), json=body)


def _install(t: Target) -> Call:
    """Another model than the profile's, its decision-rights template and one playbook."""
    return Call(
        _fill(WS + "/setup", t),
        json={
            "model": "fractional-cto",
            "accept": ["rights", "playbook:fractional-engagement"],
            "playbooks_start": _today(),
        },
    )


def _start(t: Target) -> Call:
    return Call(
        _fill(PR, t),
        json={
            "playbook": "handover-to-permanent-cto",
            "starts_on": _today(),
            "owners": {"cto": t.member_email},
        },
    )


def _engagement(t: Target) -> Call:
    """A new engagement of the spare member: an assessment sprint with one decision right,
    one red flag answered yes and two milestones."""
    return Call(
        f"/api/v1/workspaces/{t.slug}/engagements/{t.member_email}",
        json={
            "version": 0,
            "model": "assessment-sprint",
            "starts_on": _today(),
            "ends_on": _next_week(),
            "hours_per_week": "20",
            "pricing_basis": "day-rate",
            "amount": 1200,
            "currency": "GBP",
            "sponsor": "Chief Operating Officer",
            "owns": ["Delivery health review", "Architecture review"],
            "does_not_own": ["Hiring decisions"],
            "out_of_scope": ["Hands-on coding"],
            "decision_rights": ["architecture"],
            "red_flags": {"everything-urgent": True},
            "milestones": [
                {"title": "Kick-off with the sponsor", "due": _today()},
                {"title": "Action plan", "due": _next_week()},
            ],
        },
    )


def _take(_: Target) -> Call:
    statements = assessment_catalog().assessment(ASSESSMENT).statement_keys
    ratings = {key: 1 + index % 5 for index, key in enumerate(statements)}
    return Call(MA, json={"assessment": ASSESSMENT, "ratings": ratings, "aiming_for": "it-manager"})


ROUTES: tuple[Route, ...] = (
    # The catalog
    Route("GET", "/api/v1/roles", Policy.SIGNED_IN, 200, _path("/api/v1/roles")),
    Route(
        "GET",
        "/api/v1/roles/compare",
        Policy.SIGNED_IN,
        200,
        _path("/api/v1/roles/compare?kinds=fractional-cto,interim-cto,cpto"),
    ),
    Route("GET", "/api/v1/roles/{kind}", Policy.SIGNED_IN, 200, _path("/api/v1/roles/cpto")),
    Route(
        "GET",
        "/api/v1/playbooks",
        Policy.SIGNED_IN,
        200,
        _path("/api/v1/playbooks?kind=fractional-cto"),
    ),
    Route(
        "GET",
        "/api/v1/playbooks/{key}",
        Policy.SIGNED_IN,
        200,
        _path("/api/v1/playbooks/new-cto-90-days"),
    ),
    Route(
        "GET",
        "/api/v1/assessments",
        Policy.SIGNED_IN,
        200,
        _path("/api/v1/assessments?kind=it-manager"),
    ),
    Route(
        "GET",
        "/api/v1/assessments/{key}",
        Policy.SIGNED_IN,
        200,
        _path("/api/v1/assessments/cto-readiness"),
    ),
    # The advisor: it stores nothing, so it audits nothing
    Route(
        "GET",
        "/api/v1/advisor/questions",
        Policy.SIGNED_IN,
        200,
        _path("/api/v1/advisor/questions"),
    ),
    Route(
        "POST",
        "/api/v1/advisor",
        Policy.SIGNED_IN,
        200,
        _json("/api/v1/advisor", {"answers": STARTUP_ANSWERS}),
    ),
    Route(
        "POST",
        "/api/v1/advisor/brief",
        Policy.SIGNED_IN,
        200,
        _json(
            "/api/v1/advisor/brief?format=html",
            {"answers": STARTUP_ANSWERS, "organisation": "Acme", "considered": True},
        ),
    ),
    Route("GET", WS + "/advisor/answers", Policy.READ, 200, _path(WS + "/advisor/answers")),
    # Set-up
    Route("GET", WS + "/setup", Policy.READ, 200, _path(WS + "/setup?model=fractional-cto")),
    Route(
        "POST",
        WS + "/setup",
        Policy.ADMINISTER,
        201,
        _install,
        audit_actions=(
            "workspace.updated",
            "rights.template_applied",
            "playbook.started",
            "workspace.set_up",
        ),
    ),
    Route("GET", WS + "/setups", Policy.READ, 200, _path(WS + "/setups")),
    # Playbook runs
    Route("GET", PR, Policy.READ, 200, _path(PR + "?status=running")),
    Route("POST", PR, Policy.WRITE, 201, _start, audit_actions=("playbook.started",)),
    Route("GET", PR + "/{key}", Policy.READ, 200, _path(f"{PR}/{RUN}")),
    Route(
        "POST",
        PR + "/{key}/steps/{step}/done",
        Policy.WRITE,
        200,
        _run(
            f"/steps/{STEP}/done",
            {
                "version": 1,
                "note": "Summary agreed with the CEO.",
                "link": "https://wiki.example/business-context",
            },
        ),
        audit_actions=("playbook.step_done",),
    ),
    Route(
        "POST",
        PR + "/{key}/pause",
        Policy.WRITE,
        200,
        _run("/pause", {"version": 1, "reason": "The CEO is on leave."}),
        audit_actions=("playbook.paused",),
    ),
    Route(
        "POST",
        PR + "/{key}/resume",
        Policy.WRITE,
        200,
        _run("/resume", {"version": 2, "reason": "The sitting is done."}, PAUSED_RUN),
        audit_actions=("playbook.resumed",),
    ),
    Route(
        "POST",
        PR + "/{key}/replan",
        Policy.WRITE,
        200,
        lambda t: Call(
            _fill(f"{PR}/{RUN}/replan", t),
            json={
                "version": 1,
                "starts_on": _next_week(),
                "reason": "Start after the board meeting.",
                "owners": {"cto": t.member_email},
            },
        ),
        audit_actions=("playbook.replanned",),
    ),
    Route(
        "POST",
        PR + "/{key}/abandon",
        Policy.WRITE,
        200,
        _run("/abandon", {"version": 2, "reason": "A CTO was hired."}, PAUSED_RUN),
        audit_actions=("playbook.abandoned",),
    ),
    Route("GET", WS + "/handover", Policy.READ, 200, _path(WS + "/handover?format=markdown")),
    # Engagements
    Route("GET", ES, Policy.READ, 200, _path(ES)),
    Route(
        "PUT",
        ES + "/{email}",
        Policy.ADMINISTER,
        200,
        _engagement,
        audit_actions=("engagement.recorded",),
    ),
    Route("GET", "/api/v1/me/engagements", Policy.SIGNED_IN, 200, _path("/api/v1/me/engagements")),
    # Assessments
    Route("POST", MA, Policy.SIGNED_IN, 201, _take, audit_actions=("assessment.taken",)),
    Route("GET", MA, Policy.SIGNED_IN, 200, _path(MA + "?assessment=cto-readiness")),
    Route("GET", MA + "/{take_id}", Policy.SIGNED_IN, 200, _path(f"{MA}/{SITTING}")),
    Route(
        "PUT",
        MA + "/{take_id}/share",
        Policy.SIGNED_IN,
        200,
        lambda t: Call(f"{MA}/{SITTING}/share", json={"workspace": t.slug}),
        audit_actions=("assessment.shared",),
    ),
    Route("GET", WS + "/assessments/shared", Policy.READ, 200, _path(WS + "/assessments/shared")),
)
