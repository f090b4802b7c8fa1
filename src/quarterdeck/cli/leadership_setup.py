"""setup: setting a workspace up for its leadership model. Without --accept it lists what
would be installed (the decision-rights template, cadences, a scorecard starter set, the
kind's playbooks), each with why and whether it is already in place; with --accept or
--accept-all it installs those and prints what was installed and what was skipped."""

# Annotations here are objects, not strings (no `from __future__ import annotations`):
# Typer reads every command's signature at each start, and each string annotation costs
# a compile, about doubling that time. Names imported only for type checking are quoted.

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.leadership_options import day
from quarterdeck.cli.portfolio_options import listed
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.leadership_records import SetupRecord
    from quarterdeck.domain.workspaces import LeadershipModel
    from quarterdeck.services.leadership_setup import Suggestion

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("setup")(setup)


def setup(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    model: Annotated[
        str | None,
        typer.Option(
            help="Leadership model: cto-cpo, cpto, fractional-cto, interim-cto or "
            "it-manager-cio (default: the workspace profile's). Installing makes it the "
            "profile's model.",
            show_default=False,
        ),
    ] = None,
    accept: Annotated[
        list[str] | None,
        typer.Option(
            "--accept",
            help="Install this suggestion, by the id the listing shows (e.g. rights, "
            "cadence:prioritisation); repeat or separate with commas.",
            metavar="ID",
            show_default=False,
        ),
    ] = None,
    accept_all: Annotated[
        bool, typer.Option("--accept-all", help="Install every suggestion.")
    ] = False,
    start: Annotated[
        str | None,
        typer.Option(
            help="Day 0 of the playbooks it starts, YYYY-MM-DD (default: today in the workspace).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Set the workspace up for its leadership model: without --accept, list the
    suggestions with why and whether each is in place; with --accept or --accept-all,
    install them and record what was installed and skipped."""
    from quarterdeck.services import leadership_setup

    ids = listed(accept)
    if accept_all and ids:
        fail("give --accept or --accept-all, not both")
    if not (accept_all or ids):
        if start is not None:
            fail("--start goes with --accept or --accept-all")
        _propose(ctx, workspace, model, as_json)
        return
    state = cli_state(ctx)
    starts_on = None if start is None else day(start, "--start")

    def work(uow: Any) -> "SetupRecord":
        chosen = ids
        if accept_all:
            _, suggestions = leadership_setup.propose(
                uow, actor=state.operator, workspace=workspace, model=model
            )
            chosen = [s.id for s in suggestions]
        return leadership_setup.install(
            uow,
            actor=state.operator,
            workspace=workspace,
            model=model,
            accept=chosen,
            playbooks_start=starts_on,
        )

    record = state.run(work, write=True)
    if as_json:
        emit_json(
            {
                "id": record.id,
                "leadership_model": record.leadership_model,
                "done_by": record.done_by,
                "done_at": record.done_at,
                "entries": record.installed,
            }
        )
        return
    counts = {
        outcome: sum(1 for e in record.installed if e["outcome"] == outcome)
        for outcome in ("installed", "already in place", "skipped")
    }
    say(
        f"Set up {workspace} for {record.leadership_model}: "
        + ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
        + "."
    )
    table(
        f"Set-up {record.id} of {workspace}",
        ["Outcome", "Id", "What"],
        [(e["outcome"], e["id"], e["title"]) for e in record.installed],
    )


def _propose(ctx: typer.Context, workspace: str, model: str | None, as_json: bool) -> None:
    from quarterdeck.services import leadership_setup

    state = cli_state(ctx)
    found: tuple[LeadershipModel, list[Suggestion]] = state.run(
        lambda uow: leadership_setup.propose(
            uow, actor=state.operator, workspace=workspace, model=model
        ),
        write=False,
    )
    chosen, suggestions = found
    if as_json:
        emit_json(
            {
                "leadership_model": chosen.value,
                "label": chosen.label,
                "suggestions": [
                    {"id": s.id, "title": s.title, "why": s.why, "in_place": s.in_place}
                    for s in suggestions
                ],
            }
        )
        return
    say(f"Setting {workspace} up for the {chosen.label} model would install:")
    table(
        f"Suggestions for {workspace}",
        ["Id", "What", "In place", "Why"],
        [(s.id, s.title, "yes" if s.in_place else "no", s.why) for s in suggestions],
    )
    again = f"quarterdeck setup {workspace}" + (f" --model {chosen.value}" if model else "")
    say(
        f"Install with `{again} --accept ID` (repeatable) or `{again} --accept-all`; the "
        "rest are recorded as skipped."
    )
