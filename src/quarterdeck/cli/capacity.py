"""capacity show|set|remove-person: the capacity model. Every team's person-weeks per planning
quarter (after leave, hiring dates and its keep-the-lights-on reserve) against the load of
the accepted plan, the capacity split planned against its target, and who works on what;
`capacity set team` and `capacity set person` change the teams and the people in them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from quarterdeck.cli import capacity_teams
from quarterdeck.cli.capacity_teams import person_json
from quarterdeck.cli.portfolio_options import weeks
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.planning import Plan, TeamLoad
    from quarterdeck.services.planning_input import PlanningInput

__all__ = ["register"]

capacity_app = typer.Typer(
    help="The capacity model: teams, people, capacity per quarter and who works on what.",
    no_args_is_help=True,
)

LOAD_COLUMNS = (
    *("Team", "Quarter", "Capacity", "Reserve", "Available", "Planned", "Left"),
    *("Initiatives", "Flag"),
)


def register(app: typer.Typer) -> None:
    app.add_typer(capacity_app, name="capacity")


# -- show ------------------------------------------------------------------------------------


def _flags(load: TeamLoad) -> str | None:
    flags = []
    if load.left < -1e-6:
        flags.append(f"OVER by {weeks(-load.left)} pw")
    if load.max_parallel is not None and load.running > load.max_parallel:
        flags.append(f"OVER the limit of {load.max_parallel} at once")
    return "; ".join(flags) or None


def _capacity_json(given: PlanningInput, plan: Plan | None) -> dict[str, Any]:
    quarters = given.settings.quarters
    teams = []
    for t in given.teams:
        rows = []
        for q in quarters:
            load = None if plan is None else plan.load(t.team.key, q)
            rows.append(
                {
                    "quarter": q,
                    "capacity": str(t.capacity[q]),
                    "reserve": str(t.reserve[q]),
                    "available": str(t.available(q)),
                    "planned": None if load is None else round(load.used, 6),
                    "left": None if load is None else round(load.left, 6),
                    "running": None if load is None else load.running,
                    "over_allocated": load is not None and _flags(load) is not None,
                }
            )
        teams.append(
            {
                "key": t.team.key,
                "name": t.team.name,
                "reserve_percent": str(t.team.reserve_percent),
                "max_parallel": t.team.max_parallel,
                "version": t.team.version,
                "people": [person_json(p) for p in t.people],
                "quarters": rows,
            }
        )
    return {
        "quarters": list(quarters),
        "accepted_plan": None if given.latest is None else given.latest.number,
        "teams": teams,
        "split": [] if plan is None else [_split_json(line) for line in plan.split],
        "work": _work(given, plan),
    }


def _split_json(line: Any) -> dict[str, Any]:
    return {
        "quarter": line.quarter,
        "kind": line.kind.value,
        "planned": round(line.effort, 6),
        "share": None if line.share is None else round(line.share, 6),
        "of_base": None if line.of_base is None else round(line.of_base, 6),
        "target": line.target,
        "minimum": line.minimum,
        "maximum": line.maximum,
    }


def _work(given: PlanningInput, plan: Plan | None) -> list[dict[str, Any]]:
    """Who works on what: each planned item's person-weeks per team and quarter."""
    if plan is None:
        return []
    return [
        {
            "quarter": item.quarter,
            "team": team,
            "key": item.id,
            "title": given.items[item.id].title,
            "weeks": round(effort, 6),
        }
        for item in plan.planned
        for team, effort in item.effort.items()
        if effort > 0
    ]


@capacity_app.command("show")
def show(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """Per team and planning quarter: capacity, reserve, what is available and the load of
    the accepted plan, over-allocation flagged; the split planned against its target; the
    people; and who works on what."""
    from quarterdeck.services import planning

    state = cli_state(ctx)
    given, plan = state.run(
        lambda uow: planning.current(uow, actor=state.operator, workspace=workspace), write=False
    )
    if as_json:
        emit_json(_capacity_json(given, plan))
        return
    if not given.teams:
        say(
            f"{workspace} has no teams yet: add one with "
            f"`quarterdeck capacity set team {workspace} KEY --name NAME`."
        )
        return
    basis = "no plan accepted yet" if given.latest is None else f"plan {given.latest.number}"
    rows = []
    for t in given.teams:
        for q in given.settings.quarters:
            load = None if plan is None else plan.load(t.team.key, q)
            limit = "" if t.team.max_parallel is None else f" of {t.team.max_parallel}"
            rows.append(
                (
                    t.team.name,
                    q,
                    weeks(t.capacity[q]),
                    weeks(t.reserve[q]),
                    weeks(t.available(q)),
                    None if load is None else weeks(load.used),
                    None if load is None else weeks(load.left),
                    None if load is None else f"{load.running}{limit}",
                    None if load is None else _flags(load),
                )
            )
    table(
        f"Capacity of {workspace} in person-weeks, planned load of {basis}",
        LOAD_COLUMNS,
        rows,
    )
    if plan is not None:
        table(
            f"Capacity split of {basis}: planned against target",
            ["Quarter", "Kind", "Planned (pw)", "Share", "Of base", "Target", "Bounds"],
            [_split_row(line) for line in plan.split],
        )
    table(
        f"People of {workspace}",
        ["Team", "Name", "FTE", "Starts", "Ends", "Leave (weeks)", "Version"],
        [
            (
                t.team.name,
                p.name,
                str(p.fte),
                p.starts_on,
                p.ends_on,
                ", ".join(f"{q} {w}" for q, w in p.leave.items()) or None,
                p.version,
            )
            for t in given.teams
            for p in t.people
        ],
    )
    work = _work(given, plan)
    if work:
        table(
            f"Who works on what in {basis}",
            ["Quarter", "Team", "Initiative", "Person-weeks"],
            [
                (w["quarter"], w["team"], f"{w['key']} {w['title']}", weeks(w["weeks"]))
                for w in sorted(work, key=lambda w: (w["quarter"], w["team"], w["key"]))
            ],
        )


def _percent(value: float | None) -> str | None:
    return None if value is None else f"{weeks(value)} %"


def _split_row(line: Any) -> tuple[object, ...]:
    bounds = None
    if line.minimum is not None and line.maximum is not None:
        bounds = f"{weeks(line.minimum)}-{weeks(line.maximum)} %"
    return (
        line.quarter,
        line.kind.label,
        weeks(line.effort),
        _percent(line.share),
        _percent(line.of_base),
        _percent(line.target),
        bounds,
    )


# After `show`: `capacity --help` lists commands as registered.
capacity_teams.register(capacity_app)
