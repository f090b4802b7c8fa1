"""playbook done|pause|resume|replan|abandon: changing a run against the version read.
A step is marked done with a note or an evidence link; pausing and abandoning say why; a
re-plan moves day 0 (and may change owners) and resumes a paused run."""

# Annotations here are objects, not strings (no `from __future__ import annotations`):
# Typer reads every command's signature at each start, and each string annotation costs
# a compile, about doubling that time. Names imported only for type checking are quoted.

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.leadership_options import (
    RunArg,
    RunVersion,
    day,
    owners,
    run_no,
)
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, say

if TYPE_CHECKING:
    from quarterdeck.domain.leadership_records import PlaybookRun
    from quarterdeck.services.playbook_runs import RunView

__all__ = ["register"]

Reason = Annotated[
    str, typer.Option(help="Why (needed), kept in the run's history.", show_default=False)
]


def register(app: typer.Typer) -> None:
    app.command("done")(done)
    app.command("pause")(pause)
    app.command("resume")(resume)
    app.command("replan")(replan)
    app.command("abandon")(abandon)


def _change(
    ctx: typer.Context,
    workspace: str,
    run: str,
    as_json: bool,
    change: "Callable[[Any, Any, int], PlaybookRun]",
    verb: str,
) -> None:
    """Apply `change(uow, operator, number)` in one transaction and show the run after it."""
    from quarterdeck.cli.playbook_views import run_json, run_line
    from quarterdeck.services import playbook_runs

    state = cli_state(ctx)
    number = run_no(run)

    def work(uow: Any) -> "RunView":
        change(uow, state.operator, number)
        return playbook_runs.get_run(uow, actor=state.operator, workspace=workspace, number=number)

    view = state.run(work, write=True)
    if as_json:
        emit_json(run_json(view))
        return
    say(f"{verb} {view.run.key}.")
    say(run_line(view))


def done(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    run: RunArg,
    step: Annotated[
        str,
        typer.Argument(help="The step's key (`playbook show` lists them).", metavar="STEP"),
    ],
    version: RunVersion,
    note: Annotated[str, typer.Option(help="What was done.", show_default=False)] = "",
    link: Annotated[
        str, typer.Option(help="An http(s) link to the evidence.", show_default=False)
    ] = "",
    as_json: JsonFlag = False,
) -> None:
    """Mark a step done with a note and/or an evidence link (at least one); the run is
    complete when every step is done."""
    from quarterdeck.services import playbook_runs

    _change(
        ctx,
        workspace,
        run,
        as_json,
        lambda uow, actor, number: playbook_runs.mark_done(
            uow,
            actor=actor,
            workspace=workspace,
            number=number,
            expected_version=version,
            step=step,
            note=note,
            link=link,
        ),
        f"Marked step {step} done in",
    )


def pause(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    run: RunArg,
    version: RunVersion,
    reason: Reason = "",
    as_json: JsonFlag = False,
) -> None:
    """Pause a running playbook, saying why; its steps stop counting as overdue."""
    from quarterdeck.services import playbook_runs

    _change(
        ctx,
        workspace,
        run,
        as_json,
        lambda uow, actor, number: playbook_runs.pause(
            uow,
            actor=actor,
            workspace=workspace,
            number=number,
            expected_version=version,
            reason=reason,
        ),
        "Paused",
    )


def resume(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    run: RunArg,
    version: RunVersion,
    reason: Annotated[
        str, typer.Option(help="Why, kept in the run's history (optional).", show_default=False)
    ] = "",
    as_json: JsonFlag = False,
) -> None:
    """Resume a paused playbook on its dates (re-plan it to move them)."""
    from quarterdeck.services import playbook_runs

    _change(
        ctx,
        workspace,
        run,
        as_json,
        lambda uow, actor, number: playbook_runs.resume(
            uow,
            actor=actor,
            workspace=workspace,
            number=number,
            expected_version=version,
            reason=reason,
        ),
        "Resumed",
    )


def replan(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    run: RunArg,
    version: RunVersion,
    start_on: Annotated[
        str,
        typer.Option(
            "--start",
            help="The new day 0, YYYY-MM-DD, within a year of today.",
            show_default=False,
        ),
    ],
    reason: Reason = "",
    owner: Annotated[
        list[str] | None,
        typer.Option(
            "--owner",
            metavar="ROLE=EMAIL",
            help="Give the steps of that leadership role to this member (e.g. "
            "cto=ana@acme.example); repeat for several. Other roles keep their owners.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Move a run's day 0 (every step's dates move with it; done steps stay done) and,
    with --owner, change owners; a paused run resumes."""
    from quarterdeck.services import playbook_runs

    starts_on = day(start_on, "--start")
    given = owners(owner) if owner else None
    _change(
        ctx,
        workspace,
        run,
        as_json,
        lambda uow, actor, number: playbook_runs.replan(
            uow,
            actor=actor,
            workspace=workspace,
            number=number,
            expected_version=version,
            starts_on=starts_on,
            reason=reason,
            owners=given,
        ),
        "Re-planned",
    )


def abandon(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    run: RunArg,
    version: RunVersion,
    reason: Reason = "",
    as_json: JsonFlag = False,
) -> None:
    """Abandon a running or paused playbook, saying why; it is kept with its history."""
    from quarterdeck.services import playbook_runs

    _change(
        ctx,
        workspace,
        run,
        as_json,
        lambda uow, actor, number: playbook_runs.abandon(
            uow,
            actor=actor,
            workspace=workspace,
            number=number,
            expected_version=version,
            reason=reason,
        ),
        "Abandoned",
    )
