"""The routes of the intake and roadmap pages, the policy each must have,
and a realistic request for each (see tests/api/routes.py)."""

from __future__ import annotations

from tests.api.routes import ITEM, OUTCOME, PLAN_QUARTERS, TEAM, Call, Policy, Route, Target

UI = "/w/{workspace}/intake"
UR = "/w/{workspace}/roadmap"
READY = {f"ready_{check}": "yes" for check in ("dependencies", "risk", "security", "performance")}


def _intake(t: Target, tail: str = "") -> str:
    return f"/w/{t.slug}/intake{tail}"


def _item(t: Target, tail: str = "") -> str:
    return f"/w/{t.slug}/intake/IN-{ITEM}{tail}"


def _request_form(**extra: str) -> dict[str, str]:
    """The request form as a browser posts it: every field, five-criteria and RICE scored."""
    return {
        "title": "Usage-based billing",
        "kind": "product-bet",
        "status": "proposed",
        "requester": "Head of Sales",
        "department": "Sales",
        "description": "Bill **per seat-hour** for the enterprise plan.",
        "hypothesis": "Enterprise trials convert better when the price follows use.",
        "smallest_bet": "Offer it to three trial accounts by hand.",
        "urgency": "high",
        "urgency_reason": "two renewals ask for it this quarter",
        **READY,
        "value": "8",
        "success": "0.6",
        f"effort_{TEAM}": "6",
        "requires": "",
        "alternative_group": "",
        "pinned_quarter": PLAN_QUARTERS[1],
        "outcome_key": OUTCOME,
        "primary_metric": "trial-conversion",
        "guardrail_metric": "billing-errors",
        "fc_serves_growth": "4",
        "fc_departmental": "3",
        "fc_resources": "4",
        "fc_viability": "4",
        "fc_risk": "2",
        "fc_departments": "yes",
        "rice_reach": "400",
        "rice_impact": "2",
        "rice_confidence": "70",
        "rice_effort": "3",
        "wsjf_business_value": "",
        "wsjf_time_criticality": "",
        "wsjf_risk_reduction": "",
        "wsjf_job_size": "",
        **extra,
    }


def _outcome_form(**extra: str) -> dict[str, str]:
    return {
        "theme": "Retention",
        "title": "Fewer customers leave in their first year",
        "metric": "first-year-churn",
        "target": "below 8 %",
        "quarter": PLAN_QUARTERS[1],
        **extra,
    }


ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        UI,
        Policy.READ,
        200,
        lambda t: Call(_intake(t, "?status=all&ready=yes&method=five-criteria&q=onboarding")),
    ),
    Route("GET", UI + "/new", Policy.WRITE, 200, lambda t: Call(_intake(t, "/new"))),
    Route(
        "POST",
        UI,
        Policy.WRITE,
        303,
        lambda t: Call(_intake(t), form=_request_form()),
        audit_actions=("intake.added",),
    ),
    Route("GET", UI + "/{key}", Policy.READ, 200, lambda t: Call(_item(t, "?method=rice"))),
    Route("GET", UI + "/{key}/edit", Policy.WRITE, 200, lambda t: Call(_item(t, "/edit"))),
    Route(
        "POST",
        UI + "/{key}/edit",
        Policy.WRITE,
        303,
        lambda t: Call(
            _item(t, "/edit"),
            form=_request_form(
                version="1",
                title="Self-serve onboarding with a guided tour",
                urgency="normal",
                urgency_reason="",
                pinned_quarter="",
            ),
        ),
        audit_actions=("intake.changed",),
    ),
    Route(
        "POST",
        UI + "/{key}/checkpoints",
        Policy.WRITE,
        303,
        lambda t: Call(
            _item(t, "/checkpoints"),
            form={
                "version": "1",
                "checkpoint": "problem-validated",
                "done": "yes",
                "note": "Twelve trial interviews: setup is where they stop.",
                "link": "https://wiki.example/research/onboarding",
            },
        ),
        audit_actions=("intake.checkpoint",),
    ),
    Route(
        "POST",
        UI + "/{key}/cost-benefit",
        Policy.WRITE,
        303,
        lambda t: Call(
            _item(t, "/cost-benefit"),
            form={
                "version": "1",
                "period": "quarter",
                "discount_rate": "8",
                "costs": "60000, 10000, 10000, 10000",
                "benefits": "0, 30000, 45000, 60000",
                "pessimistic_benefits": "",
                "pessimistic_costs": "",
                "optimistic_benefits": "",
                "optimistic_costs": "",
            },
        ),
        audit_actions=("intake.cost_benefit",),
    ),
    Route("GET", UR, Policy.READ, 200, lambda t: Call(f"/w/{t.slug}/roadmap")),
    Route(
        "POST",
        UR + "/outcomes",
        Policy.WRITE,
        303,
        lambda t: Call(f"/w/{t.slug}/roadmap/outcomes", form=_outcome_form(key="first-year")),
        audit_actions=("outcome.added",),
    ),
    Route(
        "POST",
        UR + "/outcomes/{key}",
        Policy.WRITE,
        303,
        lambda t: Call(
            f"/w/{t.slug}/roadmap/outcomes/{OUTCOME}",
            form=_outcome_form(version="1", theme="Growth", metric="trial-conversion"),
        ),
        audit_actions=("outcome.changed",),
    ),
)
