"""The routes of the playbook, handover, engagement and assessment pages, the policy each must have,
and a realistic request for each (see tests/api/routes.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from quarterdeck.catalog.assessments import assessment_catalog
from tests.api.routes import Call, Policy, Route, Target

UP = "/w/{workspace}/playbooks"
UE = "/w/{workspace}/engagements"
# Every tenant (tests/api/world.py `build_leadership`): PB-1, the new CTO's first 90 days,
# running at version 1 with no step done; the editor engaged on a retainer. Every tenant's
# owner has one private sitting (`sit_assessment`); alpha's, made first, is sitting 1.
RUN, STEP, SITTING = "PB-1", "business-context", 1
ASSESSMENT = "it-manager-skills"


def _fill(template: str, t: Target) -> str:
    return template.format(workspace=t.slug)


def _path(template: str) -> Callable[[Target], Call]:
    return lambda t: Call(_fill(template, t))


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _next_week() -> str:
    return (datetime.now(UTC).date() + timedelta(days=7)).isoformat()


def _start_form(t: Target) -> Call:
    """What the start form (and the advisor's result) posts: an owner chosen for one role."""
    return Call(
        _fill(UP, t),
        form={
            "playbook": "handover-to-permanent-cto",
            "starts_on": _today(),
            "owner_cto": t.member_email,
        },
    )


def _engagement_form(t: Target) -> Call:
    """The engagement form as a browser posts it for a new engagement of the spare member:
    an assessment sprint with one decision right, one red flag ticked, two milestones."""
    return Call(
        _fill(UE, t),
        form={
            "version": "0",
            "leader": t.member_email,
            "model": "assessment-sprint",
            "starts_on": _today(),
            "ends_on": _next_week(),
            "hours_per_week": "20",
            "pricing_basis": "day-rate",
            "amount": "1200",
            "currency": "gbp",
            "sponsor": "Chief Operating Officer",
            "owns": "Delivery health review\nArchitecture review",
            "does_not_own": "Hiring decisions",
            "out_of_scope": "Hands-on coding",
            "right_architecture": "yes",
            "flag_everything-urgent": "yes",
            "milestones": f"{_today()} Kick-off with the sponsor\n{_next_week()} Action plan",
        },
    )


def _take_form(t: Target) -> Call:
    statements = assessment_catalog().assessment(ASSESSMENT).statement_keys
    form = {f"rate_{key}": str(1 + index % 5) for index, key in enumerate(statements)}
    return Call(f"/assessments/{ASSESSMENT}/take", form={"aiming_for": "it-manager", **form})


ROUTES: tuple[Route, ...] = (
    # Playbook runs
    Route("GET", UP, Policy.READ, 200, _path(UP)),
    Route("POST", UP, Policy.WRITE, 303, _start_form, audit_actions=("playbook.started",)),
    Route("GET", UP + "/{key}", Policy.READ, 200, _path(f"{UP}/{RUN}")),
    Route(
        "POST",
        UP + "/{key}/done",
        Policy.WRITE,
        303,
        lambda t: Call(
            _fill(f"{UP}/{RUN}/done", t),
            form={
                "version": "1",
                "step": STEP,
                "note": "Summary agreed with the CEO.",
                "link": "https://wiki.example/business-context",
            },
        ),
        audit_actions=("playbook.step_done",),
    ),
    Route(
        "POST",
        UP + "/{key}/status",
        Policy.WRITE,
        303,
        lambda t: Call(
            _fill(f"{UP}/{RUN}/status", t),
            form={"version": "1", "to": "paused", "reason": "The CEO is on leave."},
        ),
        audit_actions=("playbook.paused",),
    ),
    Route(
        "POST",
        UP + "/{key}/replan",
        Policy.WRITE,
        303,
        lambda t: Call(
            _fill(f"{UP}/{RUN}/replan", t),
            form={
                "version": "1",
                "starts_on": _next_week(),
                "reason": "Start after the board meeting.",
                "owner_cto": "",
            },
        ),
        audit_actions=("playbook.replanned",),
    ),
    # Handover pack
    Route("GET", "/w/{workspace}/handover", Policy.READ, 200, _path("/w/{workspace}/handover")),
    Route(
        "GET", "/w/{workspace}/handover.md", Policy.READ, 200, _path("/w/{workspace}/handover.md")
    ),
    # Engagements
    Route("GET", UE, Policy.READ, 200, _path(UE)),
    Route(
        "POST",
        UE,
        Policy.ADMINISTER,
        303,
        _engagement_form,
        audit_actions=("engagement.recorded",),
    ),
    Route("GET", "/clients", Policy.SIGNED_IN, 200, _path("/clients")),
    # Assessments
    Route("GET", "/assessments", Policy.SIGNED_IN, 200, _path("/assessments")),
    Route(
        "GET",
        "/assessments/{key}/take",
        Policy.SIGNED_IN,
        200,
        _path(f"/assessments/{ASSESSMENT}/take"),
    ),
    Route(
        "POST",
        "/assessments/{key}/take",
        Policy.SIGNED_IN,
        303,
        _take_form,
        audit_actions=("assessment.taken",),
    ),
    Route(
        "GET",
        "/assessments/sittings/{take_id}",
        Policy.SIGNED_IN,
        200,
        _path(f"/assessments/sittings/{SITTING}"),
    ),
    Route(
        "POST",
        "/assessments/sittings/{take_id}/share",
        Policy.SIGNED_IN,
        303,
        lambda t: Call(f"/assessments/sittings/{SITTING}/share", form={"workspace": t.slug}),
        audit_actions=("assessment.shared",),
    ),
    Route(
        "GET",
        "/w/{workspace}/assessments",
        Policy.READ,
        200,
        _path("/w/{workspace}/assessments"),
    ),
)
