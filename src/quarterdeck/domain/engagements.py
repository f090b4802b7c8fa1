"""Engagements of fractional, part-time and interim leaders (DOMAIN.md section 2): the
engagement models, how they are priced, and the check made before engaging: the five red
flags and the verdict they add up to.

The verdict: no red flag -> go; one -> go only once it is resolved, naming it; two or
more -> do not engage as scoped. Three of the flags can also be read from the engagement
itself, and are raised whatever the answer says: no sponsor named; no decision right
granted (accountability without authority); nothing declared out of scope while the scope
owns more than five things (a "fix everything" scope)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "FIX_EVERYTHING_OWNS",
    "RED_FLAGS",
    "EngagementModel",
    "PricingBasis",
    "RedFlagCheck",
    "Verdict",
    "check_red_flags",
    "weekly_hours",
]

FIX_EVERYTHING_OWNS = 5


class EngagementModel(StrEnum):
    ASSESSMENT_SPRINT = "assessment-sprint"  # 1-3 weeks: health, team, architecture, risk
    OPERATING_RETAINER = "operating-retainer"  # monthly: sponsor sync, rhythm, guardrails
    TIME_BOXED = "time-boxed-execution"  # 4-12+ weeks towards a clear end state
    INTERIM = "interim"  # full-time through a vacancy, typically 6-12 months
    PART_TIME = "part-time"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class PricingBasis(StrEnum):
    HOURLY = "hourly"
    DAY_RATE = "day-rate"
    RETAINER = "retainer"  # per month


RED_FLAGS: Mapping[str, str] = {
    "no-sponsor": "No real sponsor who owns the engagement and clears the way",
    "fix-everything": 'A "fix everything" scope with no edges',
    "no-decision-rights": "Full accountability without the decision rights to match",
    "everything-urgent": "A culture that will not prioritise: everything is urgent",
    "hero-wanted": "They want a hero to do the work instead of a system that does it",
}


class Verdict(StrEnum):
    GO = "go"
    RESOLVE_FIRST = "resolve-first"
    DO_NOT_ENGAGE = "do-not-engage"


@dataclass(frozen=True, slots=True)
class RedFlagCheck:
    raised: tuple[tuple[str, str], ...]  # (flag key, why it is raised)
    verdict: Verdict

    @property
    def summary(self) -> str:
        if self.verdict is Verdict.GO:
            return "No red flag: the engagement can start."
        names = ", ".join(RED_FLAGS[key].split(":")[0].lower() for key, _ in self.raised)
        if self.verdict is Verdict.RESOLVE_FIRST:
            return f"One red flag to resolve before starting: {names}."
        return f"{len(self.raised)} red flags; do not engage as scoped: {names}."


def check_red_flags(
    answers: Mapping[str, bool],
    *,
    sponsor: str,
    decision_rights: Sequence[str],
    owns: Sequence[str],
    out_of_scope: Sequence[str],
) -> RedFlagCheck:
    """The red flags raised by the answers and by the engagement's own terms."""
    raised: dict[str, str] = {key: "answered yes" for key in RED_FLAGS if answers.get(key)}
    if not sponsor.strip():
        raised["no-sponsor"] = "no sponsor is named"
    if not decision_rights:
        raised["no-decision-rights"] = "no decision right is granted"
    if len(owns) > FIX_EVERYTHING_OWNS and not out_of_scope:
        raised["fix-everything"] = (
            f"the scope owns {len(owns)} things and declares nothing out of scope"
        )
    ordered = tuple((key, raised[key]) for key in RED_FLAGS if key in raised)
    verdict = (
        Verdict.GO
        if not ordered
        else Verdict.RESOLVE_FIRST
        if len(ordered) == 1
        else Verdict.DO_NOT_ENGAGE
    )
    return RedFlagCheck(ordered, verdict)


def weekly_hours(hours: Sequence[Decimal]) -> Decimal:
    """Hours committed per week across engagements."""
    return sum(hours, Decimal(0))
