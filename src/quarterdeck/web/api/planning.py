"""Planning under /api/v1/workspaces/{workspace}/plan: the accepted plan as it stands, the
proposal (the optimal plan beside the handbook rule's), an urgent insertion and exactly what
it displaces, and accepting either. Proposals change nothing, so anyone in the workspace may
ask for them; editors and write tokens accept.

Nothing is accepted blind: accepting sends back the `assignment` and `based_on` that were
shown. Another plan accepted since, or an assignment that no longer meets every constraint
of what is stored now (capacity, split, dependencies, alternatives, mandatory items),
answers 409 naming what it breaks. When no plan can meet every constraint, the proposal
answers 422 naming the constraints that clash."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from quarterdeck.services import planning
from quarterdeck.web.api.insertion_schemas import (
    InsertionAcceptedOut,
    InsertionAcceptIn,
    InsertionOut,
)
from quarterdeck.web.api.intake_schemas import ITEM_KEY
from quarterdeck.web.api.planning_schemas import (
    AcceptedPlanOut,
    AcceptIn,
    CurrentPlanOut,
    ProposalOut,
)
from quarterdeck.web.policies import ReaderDep, WriterDep

__all__ = ["router"]

router = APIRouter(prefix="/workspaces/{workspace}/plan", tags=["planning"])


@router.get("", name="api_current_plan")
def current_plan(ctx: ReaderDep) -> CurrentPlanOut:
    """The latest accepted plan, and the same plan measured against today's capacity and
    intake: team loads (over-allocation shows), the split against its target, items no
    longer plannable left out. Open items the planner cannot consider are listed with why."""
    given, plan = planning.current(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return CurrentPlanOut.of(given, plan)


@router.get("/proposal", name="api_plan_proposal")
def propose_plan(ctx: ReaderDep) -> ProposalOut:
    """Work out the optimal plan for the planning quarters beside the handbook rule's
    (highest benefit first, the safest beside it), each deferred item with the constraints
    that keep it out. Changes nothing: accept the one you choose with its `assignment` and
    `based_on`."""
    return ProposalOut.of(planning.run(ctx.uow, actor=ctx.actor, workspace=ctx.slug))


@router.post("/accept", status_code=status.HTTP_201_CREATED, name="api_accept_plan")
def accept_plan(body: AcceptIn, ctx: WriterDep) -> AcceptedPlanOut:
    """Accept the plan that was shown: it becomes the workspace's plan and every item gets
    its quarter. A newer accepted plan, or an assignment that no longer meets every
    constraint of what is stored now, answers 409 naming the item at fault and changes
    nothing."""
    accepted = planning.accept(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        based_on=body.based_on,
        assignment=body.assignment,
        strategy=body.strategy.value,
        note=body.note,
    )
    return AcceptedPlanOut.of(accepted)


@router.get("/insertions/proposal", name="api_plan_insertion")
def propose_insertion(
    ctx: ReaderDep,
    item: Annotated[str, Query(pattern=ITEM_KEY, max_length=12, description="IN-12 or 12.")],
    quarter: Annotated[
        str | None, Query(max_length=7, description="Default: the first planning quarter.")
    ] = None,
) -> InsertionOut:
    """If this item is urgent, what does it displace? Re-plans with the item mandatory in
    `quarter` and answers with what it pushes out of the accepted plan (or, before any plan
    was accepted, out of the optimal one), each with why, what moves to another quarter,
    the capacity and split that change and the value lost. Changes nothing."""
    found = planning.insert_urgent(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, item=item, quarter=quarter
    )
    return InsertionOut.of(found)


@router.post("/insertions/accept", status_code=status.HTTP_201_CREATED, name="api_accept_insertion")
def accept_insertion(body: InsertionAcceptIn, ctx: WriterDep) -> InsertionAcceptedOut:
    """Accept an urgent insertion as shown: the item becomes mandatory in its quarter, the
    re-plan becomes the workspace's plan, and a decision naming the urgent item and every
    item it displaces goes into the decision log. A newer accepted plan, or an `after`
    assignment that no longer meets every constraint, answers 409."""
    plan, decision = planning.accept_insertion(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        item=body.item,
        quarter=body.quarter,
        based_on=body.based_on,
        assignment=body.assignment,
        note=body.note,
    )
    return InsertionAcceptedOut.of(plan, decision)
