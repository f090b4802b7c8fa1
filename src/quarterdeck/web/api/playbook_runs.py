"""Playbook runs under /api/v1/workspaces/{workspace}/playbook-runs: a playbook started on
a day 0 with an owner for each leadership role its steps name, read as a dated checklist
in the workspace's time zone with overdue steps flagged. Anyone in the workspace reads
them; editors and write tokens start runs, mark steps done (with a note or an evidence
link), pause, resume, re-plan and abandon them, each against the version they read (stale
answers 409). The handover pack built from the workspace's records is served here too."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from quarterdeck.services import playbook_runs
from quarterdeck.services.handover import handover_pack
from quarterdeck.services.handover_markdown import handover_html, handover_markdown
from quarterdeck.services.playbook_runs import RunStatus
from quarterdeck.web.api.advisor import MEDIA_TYPES, TEXT_RESPONSES, FormatQuery
from quarterdeck.web.api.playbook_run_schemas import (
    KEY,
    DoneIn,
    ReasonIn,
    ReplanIn,
    ResumeIn,
    RunOut,
    RunSummaryOut,
    StartIn,
)
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep

__all__ = ["router"]

router = APIRouter(prefix="/workspaces/{workspace}")
PR = "/playbook-runs"
RunKey = Annotated[
    str,
    Path(pattern=r"^(?:[Pp][Bb]-)?[0-9]{1,9}$", max_length=12, description="PB-3 or 3."),
]
StepKey = Annotated[str, Path(min_length=1, max_length=48, pattern=KEY)]


def _show(ctx: WorkspaceContext, key: str) -> RunOut:
    number = playbook_runs.run_number(key)
    view = playbook_runs.get_run(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    return RunOut.of_view(view)


@router.get(PR, tags=["playbook runs"], name="api_list_playbook_runs")
def list_runs(
    ctx: ReaderDep,
    status_: Annotated[
        RunStatus | None, Query(alias="status", description="Only the runs in this status.")
    ] = None,
) -> list[RunSummaryOut]:
    """Every run in number order, with its progress and overdue steps; `status` keeps
    only running, paused, abandoned or complete ones."""
    views = playbook_runs.runs(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return [RunSummaryOut.of(v) for v in views if status_ is None or v.run.status == status_]


@router.post(
    PR, status_code=status.HTTP_201_CREATED, tags=["playbook runs"], name="api_start_playbook"
)
def start_run(body: StartIn, ctx: WriterDep) -> RunOut:
    """Start a playbook on `starts_on` (its day 0, within a year of today) as the next run
    (PB-1, PB-2, ...). An owner who is not a member, or a role the playbook's steps do not
    name, answers 422 and starts nothing."""
    run = playbook_runs.start(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        playbook=body.playbook,
        starts_on=body.starts_on,
        owners=body.owners,
    )
    return _show(ctx, run.key)


@router.get(PR + "/{key}", tags=["playbook runs"], name="api_show_playbook_run")
def show_run(key: RunKey, ctx: ReaderDep) -> RunOut:
    """One run: every step with its dates, owner, whether it is overdue and, once done,
    the note, evidence link, who and when; and the run's history with every reason."""
    return _show(ctx, key)


@router.post(
    PR + "/{key}/steps/{step}/done", tags=["playbook runs"], name="api_mark_playbook_step_done"
)
def mark_done(key: RunKey, step: StepKey, body: DoneIn, ctx: WriterDep) -> RunOut:
    """Mark a step of a running run done, with a note and/or an evidence link (at least
    one). The last step done completes the run."""
    playbook_runs.mark_done(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=playbook_runs.run_number(key),
        expected_version=body.version,
        step=step,
        note=body.note,
        link=body.link,
    )
    return _show(ctx, key)


@router.post(PR + "/{key}/pause", tags=["playbook runs"], name="api_pause_playbook_run")
def pause(key: RunKey, body: ReasonIn, ctx: WriterDep) -> RunOut:
    """Pause a running run, saying why; a paused run flags no step overdue."""
    playbook_runs.pause(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=playbook_runs.run_number(key),
        expected_version=body.version,
        reason=body.reason,
    )
    return _show(ctx, key)


@router.post(PR + "/{key}/resume", tags=["playbook runs"], name="api_resume_playbook_run")
def resume(key: RunKey, body: ResumeIn, ctx: WriterDep) -> RunOut:
    """Resume a paused run on its dates as they stand (re-plan it to move them)."""
    playbook_runs.resume(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=playbook_runs.run_number(key),
        expected_version=body.version,
        reason=body.reason,
    )
    return _show(ctx, key)


@router.post(PR + "/{key}/replan", tags=["playbook runs"], name="api_replan_playbook_run")
def replan(key: RunKey, body: ReplanIn, ctx: WriterDep) -> RunOut:
    """Move the run's day 0, saying why: every step's dates move with it and done steps
    stay done; `owners` changes the roles it names. A paused run resumes."""
    playbook_runs.replan(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=playbook_runs.run_number(key),
        expected_version=body.version,
        starts_on=body.starts_on,
        reason=body.reason,
        owners=body.owners,
    )
    return _show(ctx, key)


@router.post(PR + "/{key}/abandon", tags=["playbook runs"], name="api_abandon_playbook_run")
def abandon(key: RunKey, body: ReasonIn, ctx: WriterDep) -> RunOut:
    """Abandon a running or paused run, saying why. It stays readable; it cannot restart."""
    playbook_runs.abandon(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        number=playbook_runs.run_number(key),
        expected_version=body.version,
        reason=body.reason,
    )
    return _show(ctx, key)


@router.get(
    "/handover",
    response_class=Response,
    responses=TEXT_RESPONSES,
    tags=["handover"],
    name="api_handover_pack",
)
def handover(ctx: ReaderDep, format_: FormatQuery = "markdown") -> Response:
    """The handover pack a leader leaving the seat leaves behind, from the workspace's own
    records: open decisions, the decision log, the playbooks under way, the scorecard and
    who is who."""
    pack = handover_pack(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    text = handover_html(pack) if format_ == "html" else handover_markdown(pack)
    return Response(text, media_type=MEDIA_TYPES[format_])
