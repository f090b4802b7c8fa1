"""The terms on which the demo's fractional CTO, Sam Rivera, works for each client: an
operating retainer with Kestrel Labs and an assessment sprint for Brightwater Health, in the
form `engagements.put_engagement` takes. Dates are relative to the day the terms are
recorded, so the demo's milestones lie around whatever day it is built."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

__all__ = ["brightwater_terms", "kestrel_terms"]


def kestrel_terms(*, leader: str, starts_on: date) -> dict[str, Any]:
    """A monthly retainer: 16 hours a week, 12,000 EUR a month, sponsored by the CEO; no red
    flag."""
    return {
        "leader": leader,
        "model": "operating-retainer",
        "starts_on": starts_on,
        "ends_on": None,
        "hours_per_week": "16",
        "pricing_basis": "retainer",
        "amount": "12000",
        "currency": "EUR",
        "sponsor": "Ines de Vries (CEO)",
        "owns": [
            "Where the technology goes, and the architecture guardrails teams build within",
            "How work runs: the sponsor sync, the delivery rhythm, the decision log and "
            "the order of priorities",
            "Engineering leadership: team structure, the hiring bar, coaching the tech lead",
            "Technology risk: security, reliability and which technical debt to pay first",
        ],
        "does_not_own": [
            "Full-time presence: the retainer covers 16 hours a week",
            "Writing product code or taking tickets in the sprint",
            "Office IT: laptops, accounts and the office network",
            "Fixing what nobody has given the authority to change",
        ],
        "out_of_scope": [
            "Hands-on feature development",
            "Vendor contracts and budget sign-off, which stay with the CEO",
            "IT support for staff",
        ],
        "decision_rights": ["architecture", "cross-team", "process", "reliability", "security"],
        "red_flags": {
            "no-sponsor": False,
            "fix-everything": False,
            "no-decision-rights": False,
            "everything-urgent": False,
            "hero-wanted": False,
        },
        "milestones": [
            {
                "title": "Assessment report shared with the sponsor",
                "due": starts_on + timedelta(days=30),
            },
            {
                "title": "Engineering plan for the next two quarters agreed",
                "due": starts_on + timedelta(days=45),
            },
            {"title": "Outcome review with the sponsor", "due": starts_on + timedelta(days=90)},
            {
                "title": "Decide whether to hire a full-time head of engineering",
                "due": starts_on + timedelta(days=135),
            },
        ],
    }


def brightwater_terms(*, leader: str, starts_on: date) -> dict[str, Any]:
    """A three-week assessment sprint at 1,100 GBP a day, 8 hours a week, sponsored by the
    CPTO; one red flag raised: everything there is urgent."""
    return {
        "leader": leader,
        "model": "assessment-sprint",
        "starts_on": starts_on,
        "ends_on": starts_on + timedelta(weeks=3),
        "hours_per_week": "8",
        "pricing_basis": "day-rate",
        "amount": "1100",
        "currency": "GBP",
        "sponsor": "Hannah Osei (CPTO)",
        "owns": [
            "An outside view of delivery health, the team, the architecture and technology risk",
            "Whether one CPTO still fits a regulated company with two product lines",
            "A ranked action plan with the measures that show it worked",
        ],
        "does_not_own": [
            "Roadmap, budget and people decisions, which stay with the CPTO",
            "Fixing what the assessment finds",
        ],
        "out_of_scope": [
            "Clinical safety and regulatory sign-off",
            "Hands-on engineering work",
        ],
        "decision_rights": ["architecture", "process"],
        "red_flags": {
            "no-sponsor": False,
            "fix-everything": False,
            "no-decision-rights": False,
            "everything-urgent": True,
            "hero-wanted": False,
        },
        "milestones": [
            {
                "title": "Interviews with the product, engineering and clinical-safety leads",
                "due": starts_on + timedelta(days=7),
            },
            {
                "title": "Findings and a ranked action plan presented to the CPTO",
                "due": starts_on + timedelta(weeks=3),
            },
        ],
    }
