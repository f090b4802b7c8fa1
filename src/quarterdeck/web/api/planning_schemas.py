"""Bodies of the planning API: plans (planned, deferred with reasons, team loads, the split
against its target), the proposal beside the handbook rule, an urgent insertion and what it
displaces, and accepted plans.

Person-weeks, percentages of the split and risk-adjusted values travel as numbers: the
planner works in floating point."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.domain.planning import (
    Binding,
    Deferred,
    Kind,
    Plan,
    Planned,
    SplitLine,
    Status,
    Strategy,
    TeamLoad,
)
from quarterdeck.domain.portfolio import AcceptedPlan, IntakeItem, item_key
from quarterdeck.services.planning import PlanRun, assignment_of
from quarterdeck.services.planning_input import PlanningInput
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = [
    "AcceptIn",
    "AcceptedPlanOut",
    "Assignment",
    "BasedOn",
    "CurrentPlanOut",
    "DeferredOut",
    "Given",
    "PlanOut",
    "PlannedOut",
    "ProposalOut",
    "title_of",
]

_NOISE = 1e-9  # person-weeks or percent: sums of the same efforts added in another order
Titles = Mapping[str, IntakeItem]
Assignment = Annotated[
    dict[str, str],
    Field(max_length=10_000, description="Item key -> quarter: the plan as it was shown."),
]
BasedOn = Annotated[
    int,
    Field(
        strict=True,
        ge=0,
        le=MAX_ROW_ID,
        description="`based_on` as it was shown: the accepted plan the proposal followed.",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def title_of(items: Titles, key: str) -> str:
    item = items.get(key)
    return "" if item is None else item.title


class PlannedOut(BaseModel):
    key: str
    title: str
    kind: Kind
    quarter: str
    value: float = Field(description="Risk-adjusted: value x probability of success.")
    effort: dict[str, float] = Field(description="Person-weeks per team.")
    mandatory: bool

    @classmethod
    def of(cls, p: Planned, items: Titles) -> PlannedOut:
        return cls(
            key=p.id,
            title=title_of(items, p.id),
            kind=p.kind,
            quarter=p.quarter,
            value=p.value,
            effort=dict(p.effort),
            mandatory=p.mandatory,
        )


class ReasonOut(BaseModel):
    binding: Binding
    quarter: str | None = Field(description="Null when it binds in every quarter.")
    subject: str = Field(description="The team, kind, item or group it is about.")
    text: str


class DeferredOut(BaseModel):
    key: str
    title: str
    kind: Kind
    value: float
    reasons: list[ReasonOut] = Field(description="What keeps it out of the plan.")
    text: str = Field(description="The reasons in one sentence.")

    @classmethod
    def of(cls, d: Deferred, items: Titles) -> DeferredOut:
        return cls(
            key=d.id,
            title=title_of(items, d.id),
            kind=d.kind,
            value=d.value,
            reasons=[
                ReasonOut(binding=r.binding, quarter=r.quarter, subject=r.subject, text=r.text)
                for r in d.reasons
            ],
            text=d.text,
        )


class LoadOut(BaseModel):
    team: str
    quarter: str
    capacity: float
    reserved: float = Field(description="Kept for keep-the-lights-on work.")
    available: float
    used: float
    left: float = Field(description="Below zero: over-allocated.")
    running: int = Field(description="Planned initiatives with effort on the team.")
    max_parallel: int | None
    over_allocated: bool
    over_parallel: bool

    @classmethod
    def of(cls, x: TeamLoad) -> LoadOut:
        return cls(
            team=x.team,
            quarter=x.quarter,
            capacity=x.capacity,
            reserved=x.reserved,
            available=x.available,
            used=x.used,
            left=x.left,
            running=x.running,
            max_parallel=x.max_parallel,
            over_allocated=x.left < -_NOISE,
            over_parallel=x.max_parallel is not None and x.running > x.max_parallel,
        )


class SplitOut(BaseModel):
    quarter: str
    kind: Kind
    effort: float = Field(description="Planned person-weeks.")
    share: float | None = Field(description="Percent of the quarter's planned split work.")
    of_base: float | None = Field(description="Percent of the quarter's split base.")
    target: float | None
    minimum: float | None
    maximum: float | None
    above_maximum: bool = Field(description="More of the base than the split allows.")

    @classmethod
    def of(cls, s: SplitLine) -> SplitOut:
        above = s.of_base is not None and s.maximum is not None and s.of_base > s.maximum + _NOISE
        return cls(
            quarter=s.quarter,
            kind=s.kind,
            effort=s.effort,
            share=s.share,
            of_base=s.of_base,
            target=s.target,
            minimum=s.minimum,
            maximum=s.maximum,
            above_maximum=above,
        )


class PlanOut(BaseModel):
    strategy: Strategy
    status: Status = Field(description="optimal, time-limit (best found) or rule.")
    value: float = Field(description="Total risk-adjusted value planned.")
    gap: float | None = Field(description="Relative gap to the optimum; null for the rule.")
    seconds: float
    planned: list[PlannedOut] = Field(description="By quarter, then value.")
    deferred: list[DeferredOut]
    loads: list[LoadOut] = Field(description="Every team in every quarter.")
    split: list[SplitOut] = Field(description="Every split kind in every quarter.")
    assignment: dict[str, str] = Field(description="Item key -> quarter.")

    @classmethod
    def of(cls, plan: Plan, items: Titles) -> PlanOut:
        return cls(
            strategy=plan.strategy,
            status=plan.status,
            value=plan.value,
            gap=plan.gap,
            seconds=plan.seconds,
            planned=[PlannedOut.of(p, items) for p in plan.planned],
            deferred=[DeferredOut.of(d, items) for d in plan.deferred],
            loads=[LoadOut.of(x) for x in plan.loads],
            split=[SplitOut.of(s) for s in plan.split],
            assignment=assignment_of(plan),
        )


class SetAsideOut(BaseModel):
    key: str
    title: str
    reason: str


class AcceptedPlanOut(BaseModel):
    number: int
    quarters: list[str]
    strategy: str
    assignment: dict[str, str] = Field(description="Item key -> quarter, as accepted.")
    value: Decimal = Field(description="Risk-adjusted value when accepted.")
    urgent: str | None = Field(description="The urgent item it was accepted for, if any.")
    displaced: list[str]
    decision: str | None = Field(description="The decision recording the displacement (D-n).")
    note: str
    accepted_by: str
    accepted_at: datetime

    @classmethod
    def of(cls, p: AcceptedPlan) -> AcceptedPlanOut:
        return cls(
            number=p.number,
            quarters=list(p.quarters),
            strategy=p.strategy,
            assignment=dict(p.assignment),
            value=p.value,
            urgent=None if p.urgent is None else item_key(p.urgent),
            displaced=[item_key(n) for n in p.displaced],
            decision=None if p.decision_number is None else f"D-{p.decision_number}",
            note=p.note,
            accepted_by=p.accepted_by,
            accepted_at=p.accepted_at,
        )


class Given(BaseModel):
    quarters: list[str]
    value_unit: str
    based_on: int = Field(description="The latest accepted plan's number (0: none): send it back.")
    set_aside: list[SetAsideOut] = Field(description="Open items the planner cannot consider.")

    @staticmethod
    def fields_of(given: PlanningInput) -> dict[str, object]:
        return {
            "quarters": list(given.plan.quarters),
            "value_unit": given.settings.value_unit,
            "based_on": given.based_on,
            "set_aside": [
                SetAsideOut(key=s.key, title=s.title, reason=s.reason) for s in given.set_aside
            ],
        }


class CurrentPlanOut(Given):
    accepted: AcceptedPlanOut | None = Field(description="The latest accepted plan as stored.")
    plan: PlanOut | None = Field(
        description="That plan against today's capacity and intake: over-allocation shows."
    )

    @classmethod
    def of(cls, given: PlanningInput, plan: Plan | None) -> CurrentPlanOut:
        return cls.model_validate(
            {
                **cls.fields_of(given),
                "accepted": None if given.latest is None else AcceptedPlanOut.of(given.latest),
                "plan": None if plan is None else PlanOut.of(plan, given.items),
            }
        )


class ProposalOut(Given):
    optimal: PlanOut = Field(description="The plan of greatest risk-adjusted value.")
    rule: PlanOut | None = Field(description="The handbook rule's plan: best benefit, safest.")
    rule_failure: str | None = Field(description="Why the rule could not make a plan.")
    value_difference: float | None = Field(description="Optimal value minus the rule's.")
    only_optimal: list[str]
    only_rule: list[str]
    current: PlanOut | None = Field(description="The accepted plan as it stands today.")

    @classmethod
    def of(cls, run: PlanRun) -> ProposalOut:
        items, c = run.given.items, run.comparison
        return cls.model_validate(
            {
                **cls.fields_of(run.given),
                "optimal": PlanOut.of(c.optimal, items),
                "rule": None if c.rule is None else PlanOut.of(c.rule, items),
                "rule_failure": c.rule_failure,
                "value_difference": c.value_difference,
                "only_optimal": list(c.only_optimal),
                "only_rule": list(c.only_rule),
                "current": None if run.accepted is None else PlanOut.of(run.accepted, items),
            }
        )


class AcceptIn(_Strict):
    based_on: BasedOn
    assignment: Assignment
    strategy: Strategy = Field(default=Strategy.OPTIMAL, description="Which plan was shown.")
    note: str = Field(default="", max_length=2_000)
