"""The single intake under /api/v1/workspaces/{workspace}/intake: every request with where it
stands in the ranking, the ranking itself with its breakdown, evidence checkpoints and
cost-benefit figures. Anyone in the workspace reads them; editors and write tokens add and
change items, against the version they read. Every item is checked whole before anything
is saved."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status

from quarterdeck.domain.planning import Kind
from quarterdeck.domain.portfolio import IntakeItem, item_number
from quarterdeck.domain.prioritisation import Method
from quarterdeck.services import intake, intake_ranking, roadmap
from quarterdeck.services.intake import IntakeFilter, Urgency
from quarterdeck.services.intake_ranking import IntakeRanking
from quarterdeck.web.api.cost_benefit_schemas import AppraisalOut, CostBenefitIn
from quarterdeck.web.api.intake_schemas import (
    ITEM_KEY,
    CheckpointIn,
    CostBenefitOut,
    IntakeItemOut,
    ItemDetailOut,
    ItemIn,
    ItemListOut,
    ItemPatch,
    ListedItemOut,
)
from quarterdeck.web.api.ranking_schemas import RankingOut, Standing
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep

__all__ = ["router"]

router = APIRouter(prefix="/workspaces/{workspace}/intake", tags=["intake"])
ItemKey = Annotated[
    str, Path(pattern=ITEM_KEY, max_length=12, description="The item: IN-12 or 12.")
]
Checkpoint = Annotated[
    str,
    Path(
        min_length=1,
        max_length=32,
        description="problem-validated, experiment-plan or post-launch.",
    ),
]
StatusFilter = Literal["open", "proposed", "in-progress", "done", "dropped", "all"]


def _ranking(ctx: WorkspaceContext) -> IntakeRanking:
    return intake_ranking.rank(ctx.uow, actor=ctx.actor, workspace=ctx.slug)


def _get(ctx: WorkspaceContext, key: str) -> IntakeItem:
    return intake.get_item(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=item_number(key))


@router.get("", name="api_list_intake")
def list_intake(
    ctx: ReaderDep,
    kind: Annotated[Kind | None, Query()] = None,
    status_: Annotated[
        StatusFilter, Query(alias="status", description="Default: open (proposed, in progress).")
    ] = "open",
    department: Annotated[str | None, Query(max_length=120)] = None,
    urgency: Annotated[Urgency | None, Query()] = None,
    ready: Annotated[bool | None, Query(description="Meets the definition of ready.")] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Words in key, title, description or requester."),
    ] = None,
) -> ItemListOut:
    """The intake, filtered, in number order; each item with its rank and score under the
    workspace's prioritisation method, or why it is not ranked."""
    where = IntakeFilter(
        kind=kind.value if kind else "",
        status="" if status_ == "open" else status_,
        department=department or "",
        urgency=urgency.value if urgency else "",
        ready=ready,
        text=q or "",
    )
    found = intake.items(ctx.uow, actor=ctx.actor, workspace=ctx.slug, where=where)
    ranking = _ranking(ctx)
    return ItemListOut(
        method=ranking.method,
        items=[
            ListedItemOut.model_validate(
                {**IntakeItemOut.fields_of(item), "ranking": Standing.of(item, ranking)}
            )
            for item in found
        ],
    )


@router.post("", status_code=status.HTTP_201_CREATED, name="api_add_intake_item")
def add_item(body: ItemIn, ctx: WriterDep) -> IntakeItemOut:
    """Add a request with the next number (IN-1, IN-2, ...). A dependency cycle, effort on
    an unknown team, a negative number or an urgency without its reason answers 422 and
    adds nothing."""
    added = intake.add_item(ctx.uow, actor=ctx.actor, workspace=ctx.slug, values=body.values())
    return IntakeItemOut.of(added)


# Declared before "/{key}" so that this fixed path is never read as an item.
@router.get("/ranking", name="api_intake_ranking")
def show_ranking(
    ctx: ReaderDep,
    method: Annotated[Method | None, Query(description="Default: the workspace's.")] = None,
) -> RankingOut:
    """The open intake ranked by a prioritisation method, every rank with its breakdown
    (raw, normalised, weight and contribution per criterion); items failing a gate are
    listed with their reasons, items not scored for the method with what they lack."""
    found = intake_ranking.rank(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        method=None if method is None else method.value,
    )
    return RankingOut.of(found)


@router.get("/{key}", name="api_show_intake_item")
def show_item(key: ItemKey, ctx: ReaderDep) -> ItemDetailOut:
    """One item, where it stands in the ranking and why, line by line, and its cost-benefit
    appraisal (pessimistic, expected and optimistic) when it has figures."""
    item = _get(ctx, key)
    ranking = _ranking(ctx)
    standing = Standing.of(item, ranking)
    if standing.standing in ("ranked", "excluded"):
        explanation = list(ranking.ranking.explain(item.key))
    else:
        explanation = [f"{item.key} is not ranked: {'; '.join(standing.reasons)}."]
    appraisal = roadmap.appraisal_of(item)
    return ItemDetailOut.model_validate(
        {
            **IntakeItemOut.fields_of(item),
            "ranking": standing,
            "explanation": explanation,
            "appraisal": None if appraisal is None else AppraisalOut.of(appraisal),
        }
    )


@router.patch("/{key}", name="api_edit_intake_item")
def edit_item(key: ItemKey, body: ItemPatch, ctx: WriterDep) -> IntakeItemOut:
    """Change some fields (the others keep their values). The item is checked whole: any
    rule it breaks answers 422 and nothing is saved; a stale `version` answers 409."""
    edited = intake.edit_item(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=item_number(key),
        expected_version=body.version,
        changes=body.values(),
    )
    return IntakeItemOut.of(edited)


@router.post("/{key}/checkpoints/{checkpoint}", name="api_record_checkpoint")
def record_checkpoint(
    key: ItemKey, checkpoint: Checkpoint, body: CheckpointIn, ctx: WriterDep
) -> IntakeItemOut:
    """Mark an evidence checkpoint done (with a note or a link to the evidence) or not."""
    recorded = intake.record_checkpoint(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=item_number(key),
        expected_version=body.version,
        checkpoint=checkpoint,
        done=body.done,
        note=body.note,
        link=body.link,
    )
    return IntakeItemOut.of(recorded)


@router.put("/{key}/cost-benefit", name="api_set_cost_benefit")
def set_cost_benefit(key: ItemKey, body: CostBenefitIn, ctx: WriterDep) -> CostBenefitOut:
    """Store the initiative's costs and benefits per period and its discount rate, and
    answer with the appraisal: NPV, ROI and payback for the pessimistic, expected and
    optimistic cases. Figures that cannot be appraised answer 422 and nothing is saved."""
    pessimistic, optimistic = body.pessimistic, body.optimistic
    item, appraisal = roadmap.set_cost_benefit(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number_=item_number(key),
        expected_version=body.version,
        period=body.period.value,
        discount_rate=body.discount_rate,
        costs=list(body.costs),
        benefits=list(body.benefits),
        pessimistic=None if pessimistic is None else (pessimistic.benefits, pessimistic.costs),
        optimistic=None if optimistic is None else (optimistic.benefits, optimistic.costs),
    )
    return CostBenefitOut(item=IntakeItemOut.of(item), appraisal=AppraisalOut.of(appraisal))
