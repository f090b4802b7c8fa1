"""The decision log under /api/v1/workspaces/{workspace}/decisions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from quarterdeck.domain.decisions import DecisionStatus
from quarterdeck.services import decisions
from quarterdeck.web.api.decision_schemas import (
    ChangeOut,
    DecisionIn,
    DecisionOut,
    DecisionPage,
    EditIn,
    LinkIn,
    RevisionOut,
    StatusIn,
)
from quarterdeck.web.policies import MAX_ROW_ID, ReaderDep, WriterDep

router = APIRouter(prefix="/workspaces/{workspace}/decisions", tags=["decisions"])
Number = Annotated[
    int, Path(ge=1, le=MAX_ROW_ID, description="The decision's number (12 for D-12).")
]
Revision = Annotated[int, Query(ge=1, le=MAX_ROW_ID)]


@router.get("", name="api_list_decisions")
def list_decisions(
    ctx: ReaderDep,
    status_: Annotated[DecisionStatus | None, Query(alias="status")] = None,
    area: Annotated[str | None, Query(max_length=64)] = None,
    tag: Annotated[str | None, Query(max_length=100)] = None,
    decider: Annotated[str | None, Query(max_length=254)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title.")] = None,
    sort: Annotated[str, Query(pattern="^-?(number|title)$|^revisit_on$")] = "-number",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> DecisionPage:
    """A page of the log, filtered and sorted, with the total number of matches."""
    where = decisions.DecisionFilter(
        status=status_,
        area=area,
        tag=tag,
        decider=decider,
        text=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    found, total = decisions.search(ctx.uow, actor=ctx.actor, workspace=ctx.slug, where=where)
    return DecisionPage(total=total, items=[DecisionOut.of(d) for d in found])


@router.post("", status_code=status.HTTP_201_CREATED, name="api_record_decision")
def record_decision(body: DecisionIn, ctx: WriterDep) -> DecisionOut:
    """Record a proposed decision; it gets the next number."""
    return DecisionOut.of(
        decisions.record(ctx.uow, actor=ctx.actor, workspace=ctx.slug, content=body.to_content())
    )


@router.get("/due", name="api_due_decisions")
def due_decisions(
    ctx: ReaderDep,
    on: Annotated[date | None, Query(description="Default: today in the workspace.")] = None,
) -> list[DecisionOut]:
    """Accepted decisions whose revisit date has come, soonest first."""
    day = on or ctx.access.workspace.local(ctx.uow.now()).date()
    found = decisions.due_for_revisit(ctx.uow, actor=ctx.actor, workspace=ctx.slug, on=day)
    return [DecisionOut.of(d) for d in found]


@router.get("/{number}", name="api_show_decision")
def show_decision(number: Number, ctx: ReaderDep) -> DecisionOut:
    """One decision with its links in both directions."""
    return DecisionOut.of(
        decisions.get(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    )


@router.put("/{number}", name="api_edit_decision")
def edit_decision(number: Number, body: EditIn, ctx: WriterDep) -> DecisionOut:
    """Save new text for a proposed decision as a new revision (a stale version answers 409)."""
    edited = decisions.edit(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=number,
        expected_version=body.version,
        content=body.to_content(),
    )
    return DecisionOut.of(edited)


@router.post("/{number}/status", name="api_decide")
def decide(number: Number, body: StatusIn, ctx: WriterDep) -> DecisionOut:
    """Accept, reject or deprecate; illegal transitions answer 422 with the allowed ones."""
    decided = decisions.decide(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=number,
        expected_version=body.version,
        to=body.status,
    )
    return DecisionOut.of(decided)


@router.post("/{number}/superseded-by", name="api_supersede_decision")
def supersede_decision(number: Number, body: LinkIn, ctx: WriterDep) -> DecisionOut:
    """Mark this accepted decision as replaced by the accepted decision `other`."""
    return DecisionOut.of(
        decisions.supersede(
            ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, by=body.other
        )
    )


@router.post("/{number}/amended-by", name="api_amend_decision")
def amend_decision(number: Number, body: LinkIn, ctx: WriterDep) -> DecisionOut:
    """Record that decision `other` amends this accepted decision."""
    decisions.amend(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, by=body.other)
    return DecisionOut.of(
        decisions.get(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    )


@router.post("/{number}/relates-to", name="api_relate_decision")
def relate_decision(number: Number, body: LinkIn, ctx: WriterDep) -> DecisionOut:
    """Note that this decision relates to decision `other`."""
    return DecisionOut.of(
        decisions.relate(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, to=body.other)
    )


@router.get("/{number}/history", name="api_decision_history")
def decision_history(number: Number, ctx: ReaderDep) -> list[RevisionOut]:
    """Every saved revision, oldest first."""
    revisions = decisions.history(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    return [RevisionOut.of(r) for r in revisions]


@router.get("/{number}/diff", name="api_decision_diff")
def decision_diff(number: Number, old: Revision, new: Revision, ctx: ReaderDep) -> list[ChangeOut]:
    """What changed between revisions `old` and `new`, field by field."""
    changes = decisions.diff(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, old=old, new=new
    )
    return [ChangeOut.of(c) for c in changes]
