"""The signed-in person's own assessment sittings under /api/v1/me/assessments, and the
sittings shared with a workspace under /api/v1/workspaces/{workspace}/assessments/shared.

A sitting is private to the person who took it: someone else's answers 404, shared or
not. Taking and reading one's sittings needs a signed-in person; an API token acts for a
workspace, not for the person's own record, and answers 403 there. A sitting shared with
a workspace is read by that workspace's members (and its tokens) through the workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.services import assessments
from quarterdeck.web.api.assessment_schemas import (
    KEY,
    SharedSittingOut,
    ShareIn,
    SittingOut,
    TakeIn,
)
from quarterdeck.web.policies import ReaderDep, RowId, SignedInDep

__all__ = ["router"]

router = APIRouter(tags=["assessments"])
MA = "/me/assessments"


@router.post(MA, status_code=status.HTTP_201_CREATED, name="api_take_assessment")
def take(body: TakeIn, signed: SignedInDep) -> SittingOut:
    """Store a sitting: every statement of the assessment rated 1 to 5. It comes back
    scored, with the change since your previous sitting of the same assessment. A missing,
    unknown or out-of-range rating answers 422 naming the statement, and stores nothing."""
    sitting = assessments.take(
        signed.uow,
        actor=signed.actor,
        assessment=body.assessment,
        ratings=body.ratings,
        aiming_for=body.aiming_for,
    )
    return SittingOut.of(sitting)


@router.get(MA, name="api_my_sittings")
def my_sittings(
    signed: SignedInDep,
    assessment: Annotated[
        str | None, Query(max_length=48, pattern=KEY, description="Only this assessment's.")
    ] = None,
) -> list[SittingOut]:
    """Your sittings, oldest first, each with the change since the one before it."""
    if assessment is not None:
        assessment_catalog().assessment(assessment)  # an unknown key answers 422, naming the known
    found = assessments.my_sittings(signed.uow, actor=signed.actor, assessment=assessment)
    return [SittingOut.of(sitting) for sitting in found]


@router.get(MA + "/{take_id}", name="api_my_sitting")
def my_sitting(take_id: RowId, signed: SignedInDep) -> SittingOut:
    """One of your sittings."""
    return SittingOut.of(assessments.sitting(signed.uow, actor=signed.actor, take_id=take_id))


@router.put(MA + "/{take_id}/share", name="api_share_sitting")
def share(take_id: RowId, body: ShareIn, signed: SignedInDep) -> SittingOut:
    """Share one of your sittings with a workspace you belong to (its members may then
    read it), or make it private again with `workspace: null`. A sitting is shared with
    one workspace at a time."""
    return SittingOut.of(
        assessments.share(signed.uow, actor=signed.actor, take_id=take_id, workspace=body.workspace)
    )


@router.get("/workspaces/{workspace}/assessments/shared", name="api_shared_sittings")
def shared_sittings(ctx: ReaderDep) -> list[SharedSittingOut]:
    """The sittings members have shared with the workspace, with who took each."""
    found = assessments.shared_in(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return [SharedSittingOut(taken_by=who, sitting=SittingOut.of(s)) for who, s in found]
