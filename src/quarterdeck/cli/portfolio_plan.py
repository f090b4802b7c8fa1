"""plan settings|run|insert|accept: choosing the initiatives for the next quarters within
capacity. `run` shows the optimal plan beside the handbook rule's, `insert` what an urgent
item would displace, and `accept` accepts exactly the plan shown: it names the accepted plan
the run was based on and the assignment it showed, and is refused if either changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli import plan_settings
from quarterdeck.cli.portfolio_options import ItemArg, figure, item_no, listed, pair
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say

if TYPE_CHECKING:
    from quarterdeck.domain.decisions import Decision
    from quarterdeck.domain.portfolio import AcceptedPlan

__all__ = ["register"]

plan_app = typer.Typer(
    help="Planning the next quarters: the optimal plan beside the handbook rule, urgent "
    "insertions and what they displace, and accepting a plan.",
    no_args_is_help=True,
)
plan_settings.register(plan_app)  # first: `plan --help` lists commands as registered


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")


@plan_app.command("run")
def run(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """Work out the optimal plan beside the handbook rule's for the planning quarters. Shows
    what each selects per quarter, what is deferred and why, the items set aside, the
    difference in value, and the `plan accept` command that accepts exactly the plan
    shown."""
    from quarterdeck.cli.plan_views import print_run, run_json
    from quarterdeck.services import planning

    state = cli_state(ctx)
    found = state.run(
        lambda uow: planning.run(uow, actor=state.operator, workspace=workspace), write=False
    )
    if as_json:
        emit_json(run_json(workspace, found))
        return
    print_run(workspace, found)


@plan_app.command("insert")
def insert(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    item: ItemArg,
    quarter: Annotated[
        str | None,
        typer.Option(
            help="The quarter it must be done in (default: its pinned quarter, else the first "
            "planning quarter).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """If it's urgent, we decide what it displaces: re-plan with the item in the quarter and
    show what it pushes out (with the reasons), moves, and the capacity and split it shifts.
    Changes nothing; it prints the `plan accept` command that accepts it."""
    from quarterdeck.cli.plan_insertions import displacement_json, print_displacement
    from quarterdeck.services import planning

    state = cli_state(ctx)
    number = item_no(item)
    found = state.run(
        lambda uow: planning.insert_urgent(
            uow, actor=state.operator, workspace=workspace, item=number, quarter=quarter
        ),
        write=False,
    )
    if as_json:
        emit_json(displacement_json(workspace, found))
        return
    print_displacement(workspace, found)


def _assignment(texts: list[str]) -> dict[str, str]:
    """IN-1=2027-Q1,IN-2=2027-Q2 (or 'none' for an empty plan) as item key -> quarter."""
    from quarterdeck.domain.portfolio import item_key

    parts = listed(texts)
    if parts == ["none"]:
        return {}
    found: dict[str, str] = {}
    for part in parts:
        key, quarter = pair(part, "--assignment", "ITEM=QUARTER, like IN-1=2027-Q1")
        key = item_key(item_no(key))
        if key in found:
            fail(f"--assignment names {key} twice")
        found[key] = quarter
    return found


def _plan_json(plan: AcceptedPlan) -> dict[str, Any]:
    from quarterdeck.domain.portfolio import item_key

    return {
        "number": plan.number,
        "strategy": plan.strategy,
        "quarters": plan.quarters,
        "assignment": plan.assignment,
        "value": str(plan.value),
        "urgent": None if plan.urgent is None else item_key(plan.urgent),
        "displaced": [item_key(n) for n in plan.displaced],
        "decision": None if plan.decision_number is None else f"D-{plan.decision_number}",
        "note": plan.note,
        "accepted_by": plan.accepted_by,
        "accepted_at": plan.accepted_at,
    }


@plan_app.command("accept")
def accept(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    based_on: Annotated[
        int,
        typer.Option(
            "--based-on",
            min=0,
            help="The number of the accepted plan the shown plan was worked out from (0: "
            "none); `plan run` and `plan insert` print it.",
            show_default=False,
        ),
    ],
    assignment: Annotated[
        list[str],
        typer.Option(
            help="The plan shown, ITEM=QUARTER for every planned item, e.g. "
            "IN-1=2027-Q1,IN-2=2027-Q2 ('none' for a plan with nothing in it).",
            show_default=False,
        ),
    ],
    strategy: Annotated[
        str,
        typer.Option(help="The plan shown: optimal or handbook-rule."),
    ] = "optimal",
    urgent: Annotated[
        str | None,
        typer.Option(
            "--insert",
            help="Accept the urgent insertion of this item (as `plan insert` showed it).",
            show_default=False,
        ),
    ] = None,
    quarter: Annotated[
        str | None,
        typer.Option(help="With --insert: the quarter it is planned in.", show_default=False),
    ] = None,
    note: Annotated[str, typer.Option(help="Why, for the record.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Accept the plan shown: it becomes the workspace's plan and every item gets its
    quarter. The plan is worked out again and refused if it is not the one shown (the
    intake, capacity or settings changed, or another plan was accepted). Accepting an
    urgent insertion records a decision in the decision log naming what it displaces."""
    from quarterdeck.services import planning

    state = cli_state(ctx)
    shown = _assignment(assignment)
    if urgent is None and quarter is not None:
        fail("--quarter goes with --insert")
    if urgent is not None and strategy != "optimal":
        fail("an urgent insertion is accepted as the optimal re-plan; leave out --strategy")
    number = None if urgent is None else item_no(urgent)

    def work(uow: Any) -> tuple[AcceptedPlan, Decision | None]:
        if number is None:
            stored = planning.accept(
                uow,
                actor=state.operator,
                workspace=workspace,
                based_on=based_on,
                assignment=shown,
                strategy=strategy.strip().lower(),
                note=note,
            )
            return stored, None
        return planning.accept_insertion(
            uow,
            actor=state.operator,
            workspace=workspace,
            item=number,
            quarter=quarter,
            based_on=based_on,
            assignment=shown,
            note=note,
        )

    stored, decision = state.run(work, write=True)
    if as_json:
        emit_json(
            {
                "plan": _plan_json(stored),
                "decision": None
                if decision is None
                else {
                    "key": decision.key,
                    "status": decision.status.value,
                    "title": decision.content.title,
                },
            }
        )
        return
    say(
        f"Accepted plan {stored.number} ({stored.strategy}) for {', '.join(stored.quarters)}: "
        f"{len(stored.assignment)} item(s) planned, value {figure(stored.value)}."
    )
    if decision is not None:
        say(
            f"Recorded {decision.key} ({decision.status.value}) in the decision log: "
            f"{decision.content.title}"
        )
