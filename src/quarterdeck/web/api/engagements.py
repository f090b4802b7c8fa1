"""Engagements of fractional, part-time and interim leaders: per client workspace under
/api/v1/workspaces/{workspace}/engagements (members read; owners record and change them),
and the overview a leader with several clients reads at /api/v1/me/engagements.

The overview spans workspaces, so it is the signed-in person's alone: an API token is
bound to one workspace and answers 403 there (read a client's engagements through that
workspace instead). It lists only the clients the person is still a member of."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from quarterdeck.services import engagements
from quarterdeck.web.api.engagement_schemas import EngagementIn, EngagementOut, OverviewOut
from quarterdeck.web.policies import AdminDep, ReaderDep, SignedInDep

__all__ = ["router"]

router = APIRouter(tags=["engagements"])
ES = "/workspaces/{workspace}/engagements"
Email = Annotated[str, Path(min_length=3, max_length=254, description="The leader's email.")]


@router.get(ES, name="api_list_engagements")
def list_engagements(ctx: ReaderDep) -> list[EngagementOut]:
    """Every leader engaged with the workspace: model, dates, time and price, scope, the
    decision rights granted, milestones and the red-flag check with its verdict."""
    today = ctx.access.workspace.local(ctx.uow.now()).date()
    found = engagements.engagements(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return [EngagementOut.of(view, today) for view in found]


@router.put(ES + "/{email}", name="api_put_engagement")
def put_engagement(email: Email, body: EngagementIn, ctx: AdminDep) -> EngagementOut:
    """Record how a member is engaged (`version` 0) or change it (the version you read;
    stale answers 409). Everything is checked first: a leader who is not a member, an end
    before the start, hours outside 0-60 or an unknown decision area or red flag answers
    422 and saves nothing. Owners only."""
    view = engagements.put_engagement(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        leader=email,
        model=body.model.value,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        hours_per_week=body.hours_per_week,
        pricing_basis=body.pricing_basis.value,
        amount=body.amount,
        currency=body.currency,
        sponsor=body.sponsor,
        owns=body.owns,
        does_not_own=body.does_not_own,
        out_of_scope=body.out_of_scope,
        decision_rights=body.decision_rights,
        red_flags=body.red_flags,
        milestones=[m.model_dump() for m in body.milestones],
        expected_version=body.version,
    )
    return EngagementOut.of(view, ctx.access.workspace.local(ctx.uow.now()).date())


@router.get("/me/engagements", name="api_my_engagements")
def my_engagements(signed: SignedInDep) -> OverviewOut:
    """Your engagements across the client workspaces you are a member of: hours committed
    per week, next milestones and red flags. For a signed-in person: a token answers 403."""
    today = signed.uow.now().date()
    overview = engagements.overview(signed.uow, actor=signed.actor, today=today)
    return OverviewOut.of(overview, today)
