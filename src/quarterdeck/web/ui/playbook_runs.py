"""The playbook pages: the workspace's runs with how far each has got, the form that starts
a playbook with its day 0 and an owner per role, and one run's checklist (dates in the
workspace's time zone, owners, what done looks like, evidence, overdue steps) with the
forms that mark a step done, pause, resume, re-plan or abandon it, and its history.
Members read; editors change.

A refused form shows the page again with the problem next to the form, what was typed,
and nothing saved. A stale form (the run changed since the page was loaded) answers 409
and shows the run as stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.catalog.playbooks import playbook_catalog
from quarterdeck.domain.access import Membership
from quarterdeck.domain.errors import Conflict, NotFound, QuarterdeckError
from quarterdeck.domain.playbooks import Playbook
from quarterdeck.services import playbook_runs, rights
from quarterdeck.services.playbook_runs import RunStatus
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.playbook_forms import (
    STATUS_CHANGES,
    day_of,
    history_rows,
    owners_of,
    path_number,
    step_rows,
    target_status,
    version_of,
)
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["router"]

router = APIRouter(prefix="/w/{workspace}/playbooks")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
Choice = Annotated[str, Query(max_length=60)]
NOTICES = {
    "started": "The playbook was started; its steps are on the calendar below.",
    "done": "The step was marked done.",
    "paused": "The run was paused; nothing is overdue while it is paused.",
    "running": "The run was resumed.",
    "abandoned": "The run was abandoned; its checklist stays as it was.",
    "replanned": "The run was re-planned: every step's dates moved with its new day 0.",
}
STALE = "Nothing was changed; the page now shows the run as stored."


def _key(key: str) -> int:
    return path_number(key)


NumberDep = Annotated[int, Depends(_key)]


def _people(ctx: WorkspaceContext) -> tuple[list[Membership], dict[str, object]]:
    """The members (for owner choices and names) and the names of the leadership roles."""
    seats = rights.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    team = list(seats.members)
    # Who a role falls to when no owner is chosen: the first member holding its seat.
    seated: dict[str, str] = {}
    for member in team:
        for role in member.leadership_roles:
            seated.setdefault(role, member.display_name or member.email)
    return team, {"members": team, "role_name": seats.role_name, "seated": seated}


def _roles(playbook: Playbook) -> list[str]:
    """The leadership roles the playbook's steps name, in the order they first appear."""
    return list(dict.fromkeys(step.owner for step in playbook.steps))


def _chosen(key: str) -> Playbook | None:
    catalog = playbook_catalog()
    return catalog.playbook(key) if key in catalog.keys else None


def _list_page(
    ctx: WorkspaceContext, chosen: str, form: dict[str, str] | None = None, **extra: object
) -> dict[str, object]:
    playbook = _chosen(chosen)
    today = ctx.access.workspace.local(ctx.uow.now()).date()
    return workspace_page(
        ctx,
        runs=playbook_runs.runs(ctx.uow, actor=ctx.actor, workspace=ctx.slug),
        playbooks=playbook_catalog().playbooks,
        chosen=playbook,
        roles=[] if playbook is None else _roles(playbook),
        form=form or {"starts_on": today.isoformat()},
        **_people(ctx)[1],
        **extra,
    )


@router.get("", response_class=HTMLResponse, name="playbooks")
def list_runs(request: Request, ctx: ReaderDep, playbook: Choice = "") -> Response:
    """Every run, newest last; the start form asks for a playbook first, then its owners."""
    return render(request, "playbooks.html", _list_page(ctx, playbook))


@router.post("", name="start_playbook")
def start(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Start `playbook` on day 0 `starts_on` with the owners chosen (owner_<role>); a role
    left empty goes to whoever holds its seat."""
    chosen = fields.get("playbook", "")
    try:
        run = playbook_runs.start(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            playbook=chosen,
            starts_on=day_of(fields, "starts_on", "day 0 (the start date)"),
            owners=owners_of(fields),
        )
    except QuarterdeckError as exc:
        page = _list_page(ctx, chosen, fields, error=exc.message)
        raise PageError("playbooks.html", page, status_code=status_for(exc)) from exc
    return _to_run(request, ctx, run.number, "started")


def _run_page(ctx: WorkspaceContext, number: int, **extra: object) -> dict[str, object]:
    view = playbook_runs.get_run(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    team, people = _people(ctx)
    return workspace_page(
        ctx,
        view=view,
        run=view.run,
        rows=step_rows(view, team),
        history=history_rows(view.run.history),
        roles=_roles(view.playbook),
        status_changes=[
            (status.value, label)
            for status, label in STATUS_CHANGES.items()
            if _allowed(view.run.status, status)
        ],
        can_replan=view.run.status in (RunStatus.RUNNING, RunStatus.PAUSED),
        **people,
        **({"typed": {}, "failed": "", "failure": ""} | extra),
    )


def _allowed(current: str, to: RunStatus) -> bool:
    if to is RunStatus.RUNNING:
        return current == RunStatus.PAUSED
    if to is RunStatus.PAUSED:
        return current == RunStatus.RUNNING
    return current in (RunStatus.RUNNING, RunStatus.PAUSED)


def _to_run(request: Request, ctx: WorkspaceContext, number: int, done: str) -> Response:
    target = request.url_for("playbook_run", workspace=ctx.slug, key=f"PB-{number}")
    return RedirectResponse(target.include_query_params(done=done), status_code=303)


def _refused(
    ctx: WorkspaceContext, number: int, exc: QuarterdeckError, failed: str, fields: dict[str, str]
) -> PageError:
    """The run page again: as stored, with the reason, for a stale form; with what was typed
    beside the form that failed otherwise."""
    if isinstance(exc, Conflict):
        page = _run_page(ctx, number, error=f"{exc.message}. {STALE}")
    else:
        page = _run_page(ctx, number, failed=failed, failure=exc.message, typed=fields)
    return PageError("playbook_run.html", page, status_code=status_for(exc))


@router.get("/{key}", response_class=HTMLResponse, name="playbook_run")
def show(request: Request, ctx: ReaderDep, number: NumberDep, done: str = "") -> Response:
    page = _run_page(ctx, number, notice=NOTICES.get(done, ""))
    return render(request, "playbook_run.html", page)


@router.post("/{key}/done", name="mark_playbook_step")
def mark_done(request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep) -> Response:
    """Mark `step` done with a note and/or an evidence link."""
    step = fields.get("step", "")
    try:
        playbook_runs.mark_done(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            number=number,
            expected_version=version_of(fields),
            step=step,
            note=fields.get("note", ""),
            link=fields.get("link", ""),
        )
    except QuarterdeckError as exc:
        if isinstance(exc, NotFound):
            raise
        raise _refused(ctx, number, exc, f"done:{step}", fields) from exc
    return _to_run(request, ctx, number, "done")


@router.post("/{key}/status", name="change_playbook_status")
def change_status(
    request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep
) -> Response:
    """Pause (to=paused), resume (to=running) or abandon (to=abandoned) the run, with the
    reason (required to pause or abandon)."""
    to = fields.get("to", "")
    try:
        status = target_status(fields)
        change = {
            RunStatus.PAUSED: playbook_runs.pause,
            RunStatus.RUNNING: playbook_runs.resume,
            RunStatus.ABANDONED: playbook_runs.abandon,
        }[status]
        change(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            number=number,
            expected_version=version_of(fields),
            reason=fields.get("reason", ""),
        )
    except QuarterdeckError as exc:
        if isinstance(exc, NotFound):
            raise
        raise _refused(ctx, number, exc, f"status:{to}", fields) from exc
    return _to_run(request, ctx, number, status.value)


@router.post("/{key}/replan", name="replan_playbook")
def replan(request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep) -> Response:
    """Move the run's day 0 (every date moves with it; done steps stay done) and, where
    chosen, its owners. A paused run resumes."""
    try:
        owners = owners_of(fields)
        playbook_runs.replan(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            number=number,
            expected_version=version_of(fields),
            starts_on=day_of(fields, "starts_on", "the new day 0"),
            reason=fields.get("reason", ""),
            owners=owners or None,
        )
    except QuarterdeckError as exc:
        if isinstance(exc, NotFound):
            raise
        raise _refused(ctx, number, exc, "replan", fields) from exc
    return _to_run(request, ctx, number, "replanned")
