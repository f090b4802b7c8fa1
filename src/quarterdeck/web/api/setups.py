"""Setting a workspace up for its leadership model under
/api/v1/workspaces/{workspace}/setup: the decision-rights template, the cadences, a
scorecard starter set and the playbooks for that kind of leader. Anyone in the workspace
reads what it would install and what was installed before; owners install."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.services import leadership_setup
from quarterdeck.web.api.setup_schemas import (
    SetupIn,
    SetupOut,
    SetupProposalOut,
    SuggestionOut,
)
from quarterdeck.web.policies import AdminDep, ReaderDep

__all__ = ["router"]

router = APIRouter(prefix="/workspaces/{workspace}", tags=["setup"])


@router.get("/setup", name="api_propose_setup")
def propose_setup(
    ctx: ReaderDep,
    model: Annotated[LeadershipModel | None, Query(description="Default: the profile's.")] = None,
) -> SetupProposalOut:
    """What setting the workspace up for the leadership model would install, each with
    why and whether it is already in place. Changes nothing."""
    chosen, suggestions = leadership_setup.propose(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, model=None if model is None else model.value
    )
    return SetupProposalOut(
        model=chosen,
        model_label=chosen.label,
        leader_kind=leadership_setup.leader_kind(chosen, ctx.access.workspace.profile.stage),
        suggestions=[SuggestionOut.of(s) for s in suggestions],
    )


@router.post("/setup", status_code=status.HTTP_201_CREATED, name="api_install_setup")
def install_setup(body: SetupIn, ctx: AdminDep) -> SetupOut:
    """Install the accepted suggestions and record every suggestion as installed, already
    in place or skipped, with why. Owners only; an unknown suggestion id answers 422 and
    installs nothing."""
    record = leadership_setup.install(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        model=None if body.model is None else body.model.value,
        accept=body.accept,
        playbooks_start=body.playbooks_start,
    )
    return SetupOut.of(record)


@router.get("/setups", name="api_list_setups")
def list_setups(ctx: ReaderDep) -> list[SetupOut]:
    """Every set-up of the workspace, newest first."""
    return [
        SetupOut.of(r)
        for r in leadership_setup.setups(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    ]
