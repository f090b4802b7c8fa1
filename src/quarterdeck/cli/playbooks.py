"""playbook list|runs|start|show|handover: the playbook catalog, starting a playbook in a
workspace with a day 0 and owners, its checklist, and the handover pack; marking steps
done, pausing, resuming, re-planning and abandoning are in playbook_changes."""

# Annotations here are objects, not strings (no `from __future__ import annotations`):
# Typer reads every command's signature at each start, and each string annotation costs
# a compile, about doubling that time. Names imported only for type checking are quoted.

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli import playbook_changes
from quarterdeck.cli.leadership_options import OwnerOption, RunArg, checked, day, owners, run_no
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, say, table

if TYPE_CHECKING:
    from quarterdeck.services.playbook_runs import RunView

__all__ = ["register"]

playbook_app = typer.Typer(
    help="Playbooks: step lists started with a day 0 and owners, followed as a checklist, "
    "and the handover pack.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(playbook_app, name="playbook")


@playbook_app.command("list")
def list_playbooks(
    kind: Annotated[
        str | None,
        typer.Option(
            help="Only the playbooks that apply to this kind of leader, e.g. interim-cto.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The playbook catalog: each playbook's steps, length, owning roles and the kinds of
    leader it applies to."""
    from quarterdeck.catalog.roles import role_catalog
    from quarterdeck.cli.playbook_views import playbook_json

    roles = role_catalog()
    found = (
        roles.playbooks.playbooks if kind is None else checked(lambda: roles.playbooks_for(kind))
    )

    def kinds(key: str) -> list[str]:
        return [k.key for k in roles.kinds if key in k.playbooks]

    if as_json:
        emit_json([playbook_json(p, kinds(p.key)) for p in found])
        return
    table(
        "Playbooks" + ("" if kind is None else f" for {roles.kind(kind).name}"),
        ["Playbook", "Name", "Steps", "Days", "Owners", "For"],
        [
            (
                p.key,
                p.name,
                len(p.steps),
                p.length_days,
                ", ".join(sorted({s.owner for s in p.steps})),
                ", ".join(kinds(p.key)) or None,
            )
            for p in found
        ],
    )


@playbook_app.command("runs")
def runs(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """Every playbook started in the workspace, with its status and progress."""
    from quarterdeck.cli.playbook_views import run_json
    from quarterdeck.services import playbook_runs

    state = cli_state(ctx)
    found = state.run(
        lambda uow: playbook_runs.runs(uow, actor=state.operator, workspace=workspace),
        write=False,
    )
    if as_json:
        emit_json([run_json(v) for v in found])
        return
    table(
        f"Playbook runs of {workspace}",
        ["Run", "Playbook", "Status", "Day 0", "Last due", "Done", "Overdue", "Version"],
        [
            (
                v.run.key,
                v.playbook.name,
                v.run.status,
                v.run.starts_on.isoformat(),
                v.ends_on.isoformat(),
                f"{v.done_count}/{len(v.steps)} ({v.percent} %)",
                len(v.overdue),
                v.run.version,
            )
            for v in found
        ],
    )


@playbook_app.command("start")
def start(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    playbook: Annotated[
        str,
        typer.Argument(help="Playbook key, e.g. new-cto-90-days.", metavar="PLAYBOOK"),
    ],
    start_on: Annotated[
        str,
        typer.Option(
            "--start",
            help="Day 0, YYYY-MM-DD, within a year of today; every step's dates follow it.",
            show_default=False,
        ),
    ],
    owner: OwnerOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Start a playbook in the workspace (PB-1, PB-2, ...) with a day 0 and an owner for
    each leadership role its steps name."""
    from quarterdeck.cli.playbook_views import print_run, run_json
    from quarterdeck.services import playbook_runs

    state = cli_state(ctx)
    starts_on = day(start_on, "--start")
    given = owners(owner)

    def work(uow: Any) -> "RunView":
        run = playbook_runs.start(
            uow,
            actor=state.operator,
            workspace=workspace,
            playbook=playbook,
            starts_on=starts_on,
            owners=given,
        )
        return playbook_runs.get_run(
            uow, actor=state.operator, workspace=workspace, number=run.number
        )

    view = state.run(work, write=True)
    if as_json:
        emit_json(run_json(view))
        return
    say(f"Started {view.run.key}.")
    print_run(workspace, view)


@playbook_app.command("show")
def show(
    ctx: typer.Context, workspace: WorkspaceArg, run: RunArg, as_json: JsonFlag = False
) -> None:
    """A run's checklist: each step's dates, owner, done note or link, overdue steps
    flagged, the percentage done, and the run's history."""
    from quarterdeck.cli.playbook_views import print_run, run_json
    from quarterdeck.services import playbook_runs

    state = cli_state(ctx)
    number = run_no(run)
    view = state.run(
        lambda uow: playbook_runs.get_run(
            uow, actor=state.operator, workspace=workspace, number=number
        ),
        write=False,
    )
    if as_json:
        emit_json(run_json(view))
        return
    print_run(workspace, view)


@playbook_app.command("handover")
def handover(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    html: Annotated[bool, typer.Option("--html", help="Sanitized HTML instead of Markdown.")] = (
        False
    ),
    as_json: JsonFlag = False,
) -> None:
    """The handover pack for a successor, from the workspace's own records: open
    decisions, the decision log, playbooks under way, the scorecard, and who is who."""
    from quarterdeck.cli.playbook_views import handover_json
    from quarterdeck.services import handover as handovers
    from quarterdeck.services.handover_markdown import handover_html, handover_markdown

    state = cli_state(ctx)
    pack = state.run(
        lambda uow: handovers.handover_pack(uow, actor=state.operator, workspace=workspace),
        write=False,
    )
    if as_json:
        emit_json(
            {
                **handover_json(pack),
                "document": handover_html(pack) if html else handover_markdown(pack),
            }
        )
        return
    typer.echo((handover_html(pack) if html else handover_markdown(pack)).rstrip("\n"))


# After the commands above, in this order: `playbook --help` lists commands as registered.
playbook_changes.register(playbook_app)
