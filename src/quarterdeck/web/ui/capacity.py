"""The capacity page: per team and quarter a heat map of the latest accepted plan's load
(over-allocation flagged), the planned capacity split and each team's load as charts, who
works on what, and the forms that add and change teams and the people in them. Members
read; editors change.

A refused form shows the page again with every problem and what was typed, and saves
nothing; a stale one (another change saved since the page was loaded) answers 409 and shows
what is stored now."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRouter

from quarterdeck.domain.errors import Conflict, NotFound, QuarterdeckError
from quarterdeck.domain.planning import Plan, TeamLoad
from quarterdeck.domain.portfolio import PersonRecord
from quarterdeck.services import capacity, planning
from quarterdeck.services.planning_input import PlanningInput
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.capacity_charts import heat_cell, load_chart, person_weeks, split_chart
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.planning_forms import (
    Refused,
    amount,
    leave_field,
    person_from_form,
    person_values,
    version_of,
)
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["router"]

router = APIRouter(prefix="/w/{workspace}/capacity")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
_TEAM_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
NOTICES = {
    "team-added": "The team was added. Add the people in it next.",
    "team-saved": "The team was saved.",
    "person-added": "The person was added to the team.",
    "person-saved": "The person's capacity was saved.",
    "person-removed": "The person was removed from the team.",
}
STALE = "Nothing was changed; the page now shows what is stored."


def team_key(team: str) -> str:
    """A team key from the address; anything that cannot be one is simply not there."""
    if len(team) > 48 or not _TEAM_KEY.fullmatch(team):
        raise NotFound("there is no such team")
    return team


TeamDep = Annotated[str, Depends(team_key)]


def _unplanned(given: PlanningInput) -> tuple[TeamLoad, ...]:
    """Every team's quarters with nothing planned: what the heat map shows before any plan
    is accepted."""
    return tuple(
        TeamLoad(
            team=team.id,
            quarter=quarter,
            capacity=team.capacity.get(quarter, 0.0),
            reserved=team.keep_the_lights_on.get(quarter, 0.0),
            used=0.0,
            running=0,
            max_parallel=team.max_parallel,
        )
        for quarter in given.plan.quarters
        for team in given.plan.teams
    )


def _work(
    given: PlanningInput, plan: Plan | None, team: str
) -> dict[str, list[tuple[str, str, str]]]:
    """What the plan gives `team` in each quarter: (item key, title, person-weeks)."""
    found: dict[str, list[tuple[str, str, str]]] = {q: [] for q in given.plan.quarters}
    for item in plan.planned if plan else ():
        weeks = item.effort.get(team, 0.0)
        if weeks > 0:
            title = given.items[item.id].title if item.id in given.items else ""
            found.setdefault(item.quarter, []).append((item.id, title, person_weeks(weeks)))
    return found


def _leave_text(person: PersonRecord) -> str:
    return ", ".join(f"{q}: {weeks} weeks" for q, weeks in sorted(person.leave.items()))


def _page(
    ctx: WorkspaceContext,
    *,
    failed: str = "",
    typed: dict[str, str] | None = None,
    problems: tuple[str, ...] = (),
    **extra: object,
) -> dict[str, object]:
    """The page; the form named `failed` shows `typed` instead of what is stored."""
    given, accepted = planning.current(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    quarters = given.plan.quarters
    names = {t.team.key: t.team.name for t in given.teams}
    loads = accepted.loads if accepted is not None else _unplanned(given)
    by_place = {(load.team, load.quarter): load for load in loads}

    def form(form_id: str, stored: dict[str, str]) -> dict[str, str]:
        return dict(typed or {}) if failed == form_id else stored

    teams = []
    over = 0
    for t in given.teams:
        key = t.team.key
        stored = {
            "name": t.team.name,
            "reserve_percent": amount(t.team.reserve_percent),
            "max_parallel": "" if t.team.max_parallel is None else str(t.team.max_parallel),
            "version": str(t.team.version),
        }
        cells = [heat_cell(by_place[key, q]) for q in quarters if (key, q) in by_place]
        over += sum(1 for cell in cells if cell.over)
        teams.append(
            {
                "record": t.team,
                "form": form(f"team:{key}", stored),
                "cells": cells,
                "capacity": [
                    (q, person_weeks(float(t.capacity[q])), person_weeks(float(t.reserve[q])))
                    for q in quarters
                ],
                "people": [
                    (p, _leave_text(p), form(f"person:{p.name}", person_values(p, quarters)))
                    for p in t.people
                ],
                "work": _work(given, accepted, key),
            }
        )
    return workspace_page(
        ctx,
        quarters=quarters,
        teams=teams,
        team_names=names,
        latest=given.latest,
        accepted=accepted,
        over=over,
        split_svg=split_chart(accepted.split) if accepted is not None else None,
        load_svg=load_chart(loads, names=names),
        add_team_form=form("add-team", {}),
        add_person_form=form("add-person", {}),
        leave_field=leave_field,
        amount=amount,
        failed=failed,
        problems=problems,
        **extra,
    )


def _refused(
    ctx: WorkspaceContext, exc: QuarterdeckError, form_id: str, fields: dict[str, str]
) -> PageError:
    """The page again with why the form was refused: a stale form shows what is stored now,
    any other refusal the form as it was typed."""
    if isinstance(exc, Conflict):
        page = _page(ctx, error=f"{exc.message}. {STALE}")
    else:
        problems = exc.problems if isinstance(exc, Refused) else (exc.message,)
        page = _page(ctx, failed=form_id, typed=fields, problems=problems)
    return PageError("capacity.html", page, status_code=status_for(exc))


def _change(
    request: Request,
    ctx: WorkspaceContext,
    form_id: str,
    fields: dict[str, str],
    change: Callable[[], str],
) -> Response:
    try:
        done = change()
    except QuarterdeckError as exc:
        raise _refused(ctx, exc, form_id, fields) from exc
    target = request.url_for("capacity", workspace=ctx.slug).include_query_params(done=done)
    return RedirectResponse(target, status_code=303)


@router.get("", response_class=HTMLResponse, name="capacity")
def show(request: Request, ctx: ReaderDep, done: str = "") -> Response:
    return render(request, "capacity.html", _page(ctx, notice=NOTICES.get(done, "")))


@router.post("/teams", name="capacity_add_team")
def add_team(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Add a team (`key`, `name`, `reserve_percent`, `max_parallel`: empty for no limit)."""

    def change() -> str:
        capacity.add_team(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            key=fields.get("key", "").strip()[:60],
            name=fields.get("name", "")[:200],
            reserve_percent=fields.get("reserve_percent", "").strip()[:20] or "0",
            max_parallel=fields.get("max_parallel", "").strip()[:20],
        )
        return "team-added"

    return _change(request, ctx, "add-team", fields, change)


@router.post("/teams/{team}", name="capacity_save_team")
def save_team(request: Request, ctx: WriterDep, team: TeamDep, fields: FieldsDep) -> Response:
    """Change a team's name, reserve and parallel limit, against the `version` shown."""

    def change() -> str:
        capacity.update_team(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            key=team,
            expected_version=version_of(fields),
            name=fields.get("name", "")[:200],
            reserve_percent=fields.get("reserve_percent", "").strip()[:20] or "0",
            max_parallel=fields.get("max_parallel", "").strip()[:20],
        )
        return "team-saved"

    return _change(request, ctx, f"team:{team}", fields, change)


def _put_person(ctx: WorkspaceContext, fields: dict[str, str], *, adding: bool) -> None:
    given, _ = planning.current(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    quarters = given.plan.quarters
    typed = person_from_form(
        fields, teams={t.team.key: t.team.name for t in given.teams}, quarters=quarters
    )
    leave: dict[str, object] = dict(typed.leave)
    version = 0
    if not adding:
        version = version_of(fields) or -1  # the change form never adds anyone
        stored = next((p for t in given.teams for p in t.people if p.name == typed.name), None)
        if stored is not None:  # leave in quarters the form does not show is kept
            leave |= {q: w for q, w in stored.leave.items() if q not in quarters}
    capacity.put_person(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        name=typed.name,
        team=typed.team,
        fte=typed.fte,
        starts_on=typed.starts_on,
        ends_on=typed.ends_on,
        leave=leave,
        expected_version=version,
    )


@router.post("/people", name="capacity_add_person")
def add_person(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Add someone to a team: `name`, `team`, `fte`, optional `starts_on` and `ends_on`,
    and weeks of leave per planning quarter (`leave_<quarter>`)."""

    def change() -> str:
        _put_person(ctx, fields, adding=True)
        return "person-added"

    return _change(request, ctx, "add-person", fields, change)


@router.post("/people/change", name="capacity_save_person")
def save_person(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Change the team, FTE, dates or leave of the person `name`, against `version`."""

    def change() -> str:
        _put_person(ctx, fields, adding=False)
        return "person-saved"

    return _change(request, ctx, f"person:{fields.get('name', '').strip()}", fields, change)


@router.post("/people/remove", name="capacity_remove_person")
def remove_person(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Take the person `name` out of their team, against `version`."""

    def change() -> str:
        capacity.remove_person(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            name=fields.get("name", "").strip()[:120],
            expected_version=version_of(fields),
        )
        return "person-removed"

    return _change(request, ctx, "", fields, change)
