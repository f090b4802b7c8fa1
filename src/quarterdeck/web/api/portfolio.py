"""The portfolio under /api/v1/workspaces/{workspace}: planning settings, teams and the
people in them with capacity per quarter, and the outcome and tech roadmap. Anyone in the
workspace reads them; editors and write tokens change them, against the version they read.
The intake is in `intake`, the plans in `planning`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from quarterdeck.services import capacity, portfolio_settings, roadmap
from quarterdeck.web.api.portfolio_schemas import (
    KEY,
    PersonIn,
    PersonOut,
    SettingsIn,
    SettingsOut,
    TeamIn,
    TeamOut,
    TeamPut,
)
from quarterdeck.web.api.roadmap_schemas import OutcomeIn, OutcomeOut, RoadmapOut
from quarterdeck.web.policies import MAX_ROW_ID, ReaderDep, WorkspaceContext, WriterDep

__all__ = ["router"]

router = APIRouter(prefix="/workspaces/{workspace}", tags=["portfolio"])
TeamKey = Annotated[
    str, Path(min_length=1, max_length=48, pattern=KEY, description="The team's key.")
]
PersonName = Annotated[str, Path(min_length=1, max_length=120, description="The person's name.")]
OutcomeKey = Annotated[
    str, Path(min_length=1, max_length=48, pattern=KEY, description="The outcome's key.")
]


@router.get("/portfolio/settings", name="api_planning_settings")
def show_settings(ctx: ReaderDep) -> SettingsOut:
    """The planning settings, with defaults for what was never saved (`defaults` names them)."""
    found = portfolio_settings.planning_settings(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return SettingsOut.of(found)


@router.put("/portfolio/settings", name="api_set_planning_settings")
def set_settings(body: SettingsIn, ctx: WriterDep) -> SettingsOut:
    """Change any of the settings (the rest keep their values). Everything is checked before
    anything is saved: a split whose targets do not sum to 100 answers 422 naming the
    quarter; a stale `version` answers 409."""
    saved = portfolio_settings.set_planning_settings(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        expected_version=body.version,
        **body.changes(),
    )
    return SettingsOut.of(saved)


def _team_out(ctx: WorkspaceContext, key: str) -> TeamOut:
    teams = capacity.team_capacities(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return TeamOut.of(next(t for t in teams if t.team.key == key))


@router.get("/teams", name="api_list_teams")
def list_teams(ctx: ReaderDep) -> list[TeamOut]:
    """Every team with its people and, for each planning quarter, its capacity after leave
    and hiring dates, its keep-the-lights-on reserve and what is left for initiatives."""
    teams = capacity.team_capacities(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return [TeamOut.of(t) for t in teams]


@router.post("/teams", status_code=status.HTTP_201_CREATED, name="api_add_team")
def add_team(body: TeamIn, ctx: WriterDep) -> TeamOut:
    """Add a team; a key already taken answers 409."""
    added = capacity.add_team(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        key=body.key,
        name=body.name,
        reserve_percent=body.reserve_percent,
        max_parallel=body.max_parallel,
    )
    return _team_out(ctx, added.key)


@router.put("/teams/{team}", name="api_change_team")
def change_team(team: TeamKey, body: TeamPut, ctx: WriterDep) -> TeamOut:
    """Rename a team, change its reserve or its limit of initiatives at once."""
    changed = capacity.update_team(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        key=team,
        expected_version=body.version,
        name=body.name,
        reserve_percent=body.reserve_percent,
        max_parallel=body.max_parallel,
    )
    return _team_out(ctx, changed.key)


@router.put("/people/{name}", name="api_put_person")
def put_person(name: PersonName, body: PersonIn, ctx: WriterDep) -> PersonOut:
    """Add someone to a team (`version` 0) or change their team, FTE, dates or leave. A name
    already taken answers 409 when adding."""
    person = capacity.put_person(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        name=name,
        team=body.team,
        fte=body.fte,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        leave=body.weeks_away(),
        expected_version=body.version,
    )
    return PersonOut.of(person)


@router.delete("/people/{name}", status_code=status.HTTP_204_NO_CONTENT, name="api_remove_person")
def remove_person(
    name: PersonName,
    ctx: WriterDep,
    version: Annotated[int, Query(ge=1, le=MAX_ROW_ID, description="The version you read.")],
) -> Response:
    """Take someone out of their team (a stale `version` answers 409)."""
    capacity.remove_person(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, name=name, expected_version=version
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/roadmap", name="api_roadmap")
def show_roadmap(ctx: ReaderDep) -> RoadmapOut:
    """The outcome roadmap (themes, their outcomes and the initiatives serving each), the
    tech roadmap (open platform investments) and the open items serving no outcome yet."""
    return RoadmapOut.of(roadmap.roadmap(ctx.uow, actor=ctx.actor, workspace=ctx.slug))


@router.put("/outcomes/{key}", name="api_put_outcome")
def put_outcome(key: OutcomeKey, body: OutcomeIn, ctx: WriterDep) -> OutcomeOut:
    """Add an outcome (`version` 0) or change one: a measurable target by a quarter."""
    outcome = roadmap.put_outcome(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        key=key,
        theme=body.theme,
        title=body.title,
        metric=body.metric,
        target=body.target,
        quarter=body.quarter,
        expected_version=body.version,
    )
    return OutcomeOut.of(outcome)
