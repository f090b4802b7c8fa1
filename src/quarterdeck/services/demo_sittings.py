"""Assessment sittings of the demo's leaders. Sam Rivera, the fractional CTO, took the
modern CTO skill stack twice, about four months apart, aiming to work as a fractional CTO:
the later sitting is stronger on AI, the commercial side, executive influence,
prioritisation and governance, a little weaker on team leadership (no team of their own any
more), and is shared with one client. Harbourline's CTO took the CTO readiness assessment
once and keeps it private.

Ratings are given per area, one per statement in the catalog's order, and taken through
the assessments service as the person themselves, with the clock set back to the day."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.domain.access import Actor
from quarterdeck.services import assessments
from quarterdeck.storage import UnitOfWork

__all__ = ["take_cto_sitting", "take_fractional_sittings"]

SKILLS = "modern-cto-skills"
READINESS = "cto-readiness"

_SAM_EARLIER = {
    "technical-judgment": (4, 4, 5),
    "systems-thinking": (4, 3, 4),
    "strategic-thinking": (3, 3, 3),
    "product-customer-awareness": (3, 2, 3),
    "ai-fluency": (2, 2, 3),
    "commercial-awareness": (2, 3, 2),
    "security-risk-awareness": (4, 3, 4),
    "communication": (4, 3, 4),
    "executive-influence": (3, 2, 3),
    "team-leadership": (4, 4, 3),
    "change-leadership": (3, 3, 2),
    "strategic-prioritisation": (3, 3, 3),
    "governance": (3, 2, 3),
}
_SAM_LATER = {
    **_SAM_EARLIER,
    "product-customer-awareness": (3, 3, 3),
    "ai-fluency": (4, 3, 4),
    "commercial-awareness": (3, 4, 3),
    "executive-influence": (4, 3, 3),
    "team-leadership": (4, 3, 3),
    "strategic-prioritisation": (4, 3, 4),
    "governance": (4, 4, 3),
}
_CTO_READINESS = {
    "strategic-thinking": (4, 4, 3),
    "business-finance": (3, 3, 2),
    "ai-technology-fluency": (4, 3, 4),
    "executive-communication": (4, 3, 2),
    "decisions-under-uncertainty": (4, 3, 4),
    "stakeholder-management": (3, 4, 3),
    "team-leadership": (4, 3, 3),
    "governance-risk": (3, 4, 3),
    "personal-maturity": (4, 4, 3),
}
# Days before the build that each sitting was taken.
SAM_EARLIER_DAYS_AGO = 150
SAM_LATER_DAYS_AGO = 20
CTO_DAYS_AGO = 35


def _ratings(assessment: str, by_area: Mapping[str, tuple[int, ...]]) -> dict[str, int]:
    """One rating per statement of `assessment`, from the ratings given area by area."""
    ratings = {}
    for area in assessment_catalog().assessment(assessment).areas:
        for statement, value in zip(area.statements, by_area[area.key], strict=True):
            ratings[statement.key] = value
    return ratings


def _stopped_at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def take_fractional_sittings(
    uow: UnitOfWork, *, leader: Actor, share_with: str | None
) -> tuple[assessments.Sitting, assessments.Sitting]:
    """The fractional CTO's two sittings of the skill stack, oldest first; the later one is
    shared with the workspace `share_with` (a client they belong to) when given."""
    real_clock = uow.clock
    now = real_clock()
    try:
        sittings = []
        for days_ago, by_area in (
            (SAM_EARLIER_DAYS_AGO, _SAM_EARLIER),
            (SAM_LATER_DAYS_AGO, _SAM_LATER),
        ):
            uow.clock = _stopped_at(now - timedelta(days=days_ago))
            sittings.append(
                assessments.take(
                    uow,
                    actor=leader,
                    assessment=SKILLS,
                    ratings=_ratings(SKILLS, by_area),
                    aiming_for="fractional-cto",
                )
            )
        earlier, later = sittings
        if share_with is not None:
            uow.clock = _stopped_at(now - timedelta(days=SAM_LATER_DAYS_AGO - 1))
            later = assessments.share(
                uow, actor=leader, take_id=later.take.id, workspace=share_with
            )
        return earlier, later
    finally:
        uow.clock = real_clock


def take_cto_sitting(uow: UnitOfWork, *, cto: Actor) -> assessments.Sitting:
    """The CTO's readiness sitting, aiming at the scale-up CTO seat; private."""
    real_clock = uow.clock
    try:
        uow.clock = _stopped_at(real_clock() - timedelta(days=CTO_DAYS_AGO))
        return assessments.take(
            uow,
            actor=cto,
            assessment=READINESS,
            ratings=_ratings(READINESS, _CTO_READINESS),
            aiming_for="scaleup-cto",
        )
    finally:
        uow.clock = real_clock
