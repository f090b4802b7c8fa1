"""The decision log under /api/v1/workspaces/{workspace}/decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from quarterdeck.domain.decisions import Decision, DecisionStatus
from quarterdeck.services import decisions, rights
from quarterdeck.web.api.decision_schemas import (
    ChangeOut,
    DecisionOut,
    DecisionPage,
    DecisionSummaryOut,
    EditIn,
    HintOut,
    LatencyOut,
    LinkIn,
    QueueEntryOut,
    RecordIn,
    RevisionOut,
    SignalsOut,
    StatusIn,
)
from quarterdeck.web.policies import MAX_ROW_ID, ReaderDep, WorkspaceContext, WriterDep

router = APIRouter(prefix="/workspaces/{workspace}/decisions", tags=["decisions"])
Number = Annotated[
    int, Path(ge=1, le=MAX_ROW_ID, description="The decision's number (12 for D-12).")
]
Revision = Annotated[int, Query(ge=1, le=MAX_ROW_ID)]
ROLE_KEY = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"


def _role_names(ctx: WorkspaceContext, found: Sequence[Decision]) -> dict[str, str]:
    """Names of the roles the decisions wait for (read only when one of them waits)."""
    if not any(d.awaiting for d in found):
        return {}
    view = rights.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return {role.key: role.name for role in view.roles}


def _out(ctx: WorkspaceContext, decision: Decision) -> DecisionOut:
    return DecisionOut.of(decision, _role_names(ctx, [decision]))


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
    names = _role_names(ctx, found)
    return DecisionPage(total=total, items=[DecisionOut.of(d, names) for d in found])


@router.post("", status_code=status.HTTP_201_CREATED, name="api_record_decision")
def record_decision(body: RecordIn, ctx: WriterDep) -> DecisionOut:
    """Record a proposed decision; it gets the next number. Outside your decision rights it
    waits in an approver's queue (`awaiting`, with the reasons in `escalations`); inside
    them, `accept` accepts it at once."""
    recorded = decisions.record(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        content=body.to_content(),
        accept=body.accept,
    )
    return _out(ctx, recorded)


@router.get("/due", name="api_due_decisions")
def due_decisions(
    ctx: ReaderDep,
    on: Annotated[date | None, Query(description="Default: today in the workspace.")] = None,
) -> list[DecisionOut]:
    """Accepted decisions whose revisit date has come, soonest first."""
    day = on or ctx.access.workspace.local(ctx.uow.now()).date()
    found = decisions.due_for_revisit(ctx.uow, actor=ctx.actor, workspace=ctx.slug, on=day)
    names = _role_names(ctx, found)
    return [DecisionOut.of(d, names) for d in found]


# Declared before "/{number}" so that these fixed paths are never read as a number.
@router.get("/queue", name="api_decision_queue")
def decision_queue(
    ctx: ReaderDep,
    role: Annotated[
        str | None, Query(max_length=48, pattern=ROLE_KEY, description="Only this role's queue.")
    ] = None,
    mine: Annotated[bool, Query(description="Only queues of roles you hold.")] = False,
) -> list[QueueEntryOut]:
    """Proposed decisions waiting for an approver, oldest first, with how long they waited."""
    entries = decisions.queue(ctx.uow, actor=ctx.actor, workspace=ctx.slug, role=role, mine=mine)
    names = _role_names(ctx, [entry.decision for entry in entries])
    return [
        QueueEntryOut(
            waiting_seconds=int(entry.waiting.total_seconds()),
            decision=DecisionSummaryOut.of(entry.decision, names),
        )
        for entry in entries
    ]


@router.get("/signals", name="api_decision_signals")
def decision_signals(
    ctx: ReaderDep, window_days: Annotated[int, Query(ge=1, le=3650)] = 90
) -> SignalsOut:
    """Bottleneck signals: median time from proposed to decided, and areas one approver
    keeps approving (candidates for delegation)."""
    found = decisions.signals(ctx.uow, actor=ctx.actor, workspace=ctx.slug, window_days=window_days)
    areas: dict[str, str] = {}
    if found.hints:
        view = rights.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
        areas = {area.key: area.name for area in view.areas}
    return SignalsOut(
        window_days=found.window_days,
        latency=LatencyOut.of(found.latency),
        hints=[HintOut.of(hint, areas) for hint in found.hints],
    )


@router.get("/{number}", name="api_show_decision")
def show_decision(number: Number, ctx: ReaderDep) -> DecisionOut:
    """One decision with its links in both directions."""
    return _out(ctx, decisions.get(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number))


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
    return _out(ctx, edited)


@router.post("/{number}/status", name="api_decide")
def decide(number: Number, body: StatusIn, ctx: WriterDep) -> DecisionOut:
    """Accept, reject or deprecate; illegal transitions answer 422 with the allowed ones.
    Accepting or rejecting without the right to decide answers 403 naming the role that may."""
    decided = decisions.decide(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=number,
        expected_version=body.version,
        to=body.status,
    )
    return _out(ctx, decided)


@router.post("/{number}/superseded-by", name="api_supersede_decision")
def supersede_decision(number: Number, body: LinkIn, ctx: WriterDep) -> DecisionOut:
    """Mark this accepted decision as replaced by the accepted decision `other`."""
    superseded = decisions.supersede(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, by=body.other
    )
    return _out(ctx, superseded)


@router.post("/{number}/amended-by", name="api_amend_decision")
def amend_decision(number: Number, body: LinkIn, ctx: WriterDep) -> DecisionOut:
    """Record that decision `other` amends this accepted decision."""
    decisions.amend(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, by=body.other)
    return _out(ctx, decisions.get(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number))


@router.post("/{number}/relates-to", name="api_relate_decision")
def relate_decision(number: Number, body: LinkIn, ctx: WriterDep) -> DecisionOut:
    """Note that this decision relates to decision `other`."""
    related = decisions.relate(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, to=body.other
    )
    return _out(ctx, related)


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
