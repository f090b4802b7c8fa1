"""Bodies of an urgent insertion: what the urgent item displaces ("if it's urgent, we
decide what it displaces") and accepting it, which records a decision."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.domain.decisions import Decision, DecisionStatus
from quarterdeck.domain.planning import Displacement, Kind
from quarterdeck.domain.portfolio import AcceptedPlan
from quarterdeck.services.planning import UrgentInsertion
from quarterdeck.web.api.planning_schemas import (
    AcceptedPlanOut,
    Assignment,
    BasedOn,
    DeferredOut,
    Given,
    PlannedOut,
    PlanOut,
    title_of,
)
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = ["InsertionAcceptIn", "InsertionAcceptedOut", "InsertionOut"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RescheduledOut(BaseModel):
    key: str
    title: str
    before: str
    after: str


class CapacityMoveOut(BaseModel):
    team: str
    quarter: str
    before: float = Field(description="Planned person-weeks before.")
    after: float
    change: float
    to_urgent: float = Field(description="Person-weeks the urgent item takes there.")
    from_displaced: float = Field(description="Person-weeks the displaced items had there.")


class SplitChangeOut(BaseModel):
    quarter: str
    kind: Kind
    effort_before: float
    effort_after: float
    share_before: float | None
    share_after: float | None


class InsertionOut(Given):
    urgent: str
    title: str
    quarter: str = Field(description="Where the urgent item is planned.")
    against: str = Field(description="What 'before' is: the accepted plan or the optimal one.")
    displaced: list[DeferredOut] = Field(description="Planned before, deferred now, with why.")
    brought_in: list[PlannedOut]
    rescheduled: list[RescheduledOut]
    capacity: list[CapacityMoveOut] = Field(description="Team-quarters whose load changes.")
    split: list[SplitChangeOut] = Field(description="Split kinds whose planned effort changes.")
    value_lost: float = Field(description="Risk-adjusted value of the displaced items.")
    value_change: float = Field(description="Total planned value after minus before.")
    before: PlanOut
    after: PlanOut = Field(description="Its `assignment` is what accepting sends back.")

    @classmethod
    def of(cls, found: UrgentInsertion) -> InsertionOut:
        d: Displacement = found.displacement
        items = found.given.items
        return cls.model_validate(
            {
                **cls.fields_of(found.given),
                "urgent": d.urgent,
                "title": title_of(items, d.urgent),
                "quarter": d.quarter,
                "against": found.against,
                "displaced": [DeferredOut.of(x, items) for x in d.displaced],
                "brought_in": [PlannedOut.of(p, items) for p in d.brought_in],
                "rescheduled": [
                    RescheduledOut(
                        key=r.id, title=title_of(items, r.id), before=r.before, after=r.after
                    )
                    for r in d.rescheduled
                ],
                "capacity": [
                    CapacityMoveOut(
                        team=m.team,
                        quarter=m.quarter,
                        before=m.before,
                        after=m.after,
                        change=m.change,
                        to_urgent=m.to_urgent,
                        from_displaced=m.from_displaced,
                    )
                    for m in d.capacity
                ],
                "split": [
                    SplitChangeOut(
                        quarter=s.quarter,
                        kind=s.kind,
                        effort_before=s.effort_before,
                        effort_after=s.effort_after,
                        share_before=s.share_before,
                        share_after=s.share_after,
                    )
                    for s in d.split
                ],
                "value_lost": d.value_lost,
                "value_change": d.value_change,
                "before": PlanOut.of(d.before, items),
                "after": PlanOut.of(d.after, items),
            }
        )


class InsertionAcceptIn(_Strict):
    item: (
        Annotated[int, Field(strict=True, ge=1, le=MAX_ROW_ID)]
        | Annotated[str, Field(max_length=12)]
    ) = Field(description="The urgent item: 12 or IN-12.")
    quarter: str | None = Field(
        default=None, max_length=7, description="As previewed; default: the first quarter."
    )
    based_on: BasedOn
    assignment: Assignment = Field(description="The `after` plan's assignment as shown.")
    note: str = Field(default="", max_length=2_000)


class InsertionAcceptedOut(BaseModel):
    plan: AcceptedPlanOut
    decision: str = Field(description="The decision recording what was displaced (D-n).")
    decision_status: DecisionStatus = Field(
        description="accepted, or proposed while it waits for an approver."
    )

    @classmethod
    def of(cls, plan: AcceptedPlan, decision: Decision) -> InsertionAcceptedOut:
        return cls(
            plan=AcceptedPlanOut.of(plan),
            decision=f"D-{decision.number}",
            decision_status=decision.status,
        )
