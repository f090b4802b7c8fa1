"""The routes of the capacity and planning pages, the policy each must have,
and a realistic request for each (see tests/api/routes.py)."""

from __future__ import annotations

from collections.abc import Callable

from tests.api.routes import (
    PERSON,
    PLAN_QUARTERS,
    TEAM,
    URGENT_ITEM,
    Call,
    Policy,
    Route,
    Target,
)

UC = "/w/{workspace}/capacity"
UP = "/w/{workspace}/plan"
FIRST, SECOND = PLAN_QUARTERS
URGENT = f"IN-{URGENT_ITEM}"
# What the planner gives every tenant (tests/api/world.py `build_portfolio`): IN-1 and IN-2
# take 10 of core's 13 person-weeks each, so one goes into each quarter, IN-1 first (equal
# value, settled by key); the handbook rule agrees. No plan is accepted yet (based on 0).
PROPOSED = {"assign-IN-1": FIRST, "assign-IN-2": SECOND}
# IN-2 urgently into the first quarter against that plan: the two swap quarters.
INSERTED = {"assign-IN-2": FIRST, "assign-IN-1": SECOND}


def _fill(template: str, t: Target) -> str:
    return template.format(workspace=t.slug)


def _path(template: str) -> Callable[[Target], Call]:
    def build(t: Target) -> Call:
        return Call(_fill(template, t))

    return build


def _person_form(t: Target, tail: str, **fields: str) -> Call:
    """The person form as a browser posts it: every field, leave for each planning quarter."""
    return Call(
        _fill(UC + tail, t),
        form={
            "team": TEAM,
            "fte": "0.8",
            "starts_on": "2027-02-01",
            "ends_on": "",
            f"leave_{FIRST}": "2",
            f"leave_{SECOND}": "",
            **fields,
        },
    )


def _settings_form(t: Target) -> Call:
    """The settings form as a browser posts it: both quarters' splits, two goals, a blank
    goal row, the five weights."""
    split = {}
    for quarter in PLAN_QUARTERS:
        for kind, target, low, high in (
            ("product-bet", "50", "30", "70"),
            ("platform-investment", "30", "10", "50"),
            ("risk-reduction", "20", "10", "40"),
        ):
            split |= {
                f"split_{quarter}_{kind}_target": target,
                f"split_{quarter}_{kind}_minimum": low,
                f"split_{quarter}_{kind}_maximum": high,
            }
    return Call(
        _fill(UP + "/settings", t),
        form={
            "version": "1",
            "quarters": f"{FIRST} {SECOND}",
            "value_unit": "EUR",
            "time_limit": "5",
            "method": "five-criteria",
            "goal_0_key": "growth",
            "goal_0_title": "Grow revenue",
            "goal_0_weight": "2",
            "goal_1_key": "trust",
            "goal_1_title": "Keep customers' trust",
            "goal_1_weight": "1",
            "goal_2_key": "",
            "goal_2_title": "",
            "goal_2_weight": "",
            "weight_strategic": "3",
            "weight_departmental": "1",
            "weight_resources": "1",
            "weight_viability": "1",
            "weight_risk": "2",
            **split,
        },
    )


ROUTES: tuple[Route, ...] = (
    # Capacity
    Route("GET", UC, Policy.READ, 200, _path(UC)),
    Route(
        "POST",
        UC + "/teams",
        Policy.WRITE,
        303,
        lambda t: Call(
            _fill(UC + "/teams", t),
            form={
                "key": "platform",
                "name": "Platform",
                "reserve_percent": "20",
                "max_parallel": "2",
            },
        ),
        audit_actions=("team.added",),
    ),
    Route(
        "POST",
        UC + "/teams/{team}",
        Policy.WRITE,
        303,
        lambda t: Call(
            _fill(UC + f"/teams/{TEAM}", t),
            form={
                "version": "1",
                "name": "Core Product",
                "reserve_percent": "15",
                "max_parallel": "",
            },
        ),
        audit_actions=("team.changed",),
    ),
    Route(
        "POST",
        UC + "/people",
        Policy.WRITE,
        303,
        lambda t: _person_form(t, "/people", name="Grace Hopper"),
        audit_actions=("person.added",),
    ),
    Route(
        "POST",
        UC + "/people/change",
        Policy.WRITE,
        303,
        lambda t: _person_form(t, "/people/change", name=PERSON, version="1", fte="0.5"),
        audit_actions=("person.changed",),
    ),
    Route(
        "POST",
        UC + "/people/remove",
        Policy.WRITE,
        303,
        lambda t: Call(_fill(UC + "/people/remove", t), form={"name": PERSON, "version": "1"}),
        audit_actions=("person.removed",),
    ),
    # Planning
    Route("GET", UP, Policy.READ, 200, _path(UP)),
    Route("GET", UP + "/settings", Policy.READ, 200, _path(UP + "/settings")),
    Route(
        "POST",
        UP + "/settings",
        Policy.WRITE,
        303,
        _settings_form,
        audit_actions=("portfolio.settings_changed",),
    ),
    Route("GET", UP + "/proposal", Policy.READ, 200, _path(UP + "/proposal")),
    Route(
        "POST",
        UP + "/accept",
        Policy.WRITE,
        303,
        lambda t: Call(
            _fill(UP + "/accept", t),
            form={"based_on": "0", "strategy": "optimal", "note": "Q1 planning", **PROPOSED},
        ),
        audit_actions=("plan.accepted",),
    ),
    Route(
        "GET",
        UP + "/insert",
        Policy.READ,
        200,
        lambda t: Call(_fill(UP + f"/insert?item={URGENT}&quarter={FIRST}", t)),
    ),
    Route(
        "POST",
        UP + "/insert",
        Policy.WRITE,
        303,
        lambda t: Call(
            _fill(UP + "/insert", t),
            form={
                "item": URGENT,
                "quarter": FIRST,
                "based_on": "0",
                "note": "The exploit is public.",
                **INSERTED,
            },
        ),
        # The tenants' owners hold no decision right over the roadmap area, so the decision
        # waits in the approval queue rather than being accepted at once.
        audit_actions=("decision.recorded", "intake.changed", "plan.accepted"),
    ),
)
