"""capacity set team|person and capacity remove-person: the teams of the capacity model
and the people in them, added, or changed against the version read."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.portfolio_options import pairs
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say

if TYPE_CHECKING:
    from quarterdeck.domain.portfolio import PersonRecord, TeamRecord
    from quarterdeck.services.planning_input import PlanningInput

__all__ = ["person_json", "register"]

set_app = typer.Typer(
    help="Add or change a team or a person (`capacity set team --help`).", no_args_is_help=True
)

VersionOption = Annotated[
    int | None,
    typer.Option(
        "--version",
        min=1,
        help="Change it at this version (`capacity show --json` gives it); the options not "
        "given keep their values. Without it, it is added.",
        show_default=False,
    ),
]


def register(capacity_app: typer.Typer) -> None:
    capacity_app.add_typer(set_app, name="set")
    capacity_app.command("remove-person")(remove_person)


def person_json(person: PersonRecord) -> dict[str, Any]:
    return {
        "name": person.name,
        "team": person.team,
        "fte": str(person.fte),
        "starts_on": person.starts_on,
        "ends_on": person.ends_on,
        "leave": dict(person.leave),
        "version": person.version,
    }


def _team_json(team: TeamRecord) -> dict[str, Any]:
    return {
        "key": team.key,
        "name": team.name,
        "reserve_percent": str(team.reserve_percent),
        "max_parallel": team.max_parallel,
        "version": team.version,
    }


def _current(uow: Any, state: Any, workspace: str) -> PlanningInput:
    from quarterdeck.services import planning

    return planning.current(uow, actor=state.operator, workspace=workspace)[0]


@set_app.command("team")
def set_team(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    key: Annotated[str, typer.Argument(help="Team key, e.g. payments.", metavar="KEY")],
    name: Annotated[str | None, typer.Option(help="The team's name.", show_default=False)] = None,
    reserve: Annotated[
        str | None,
        typer.Option(
            help="Percent of its capacity kept for keep-the-lights-on work (default 0).",
            show_default=False,
        ),
    ] = None,
    max_parallel: Annotated[
        int | None,
        typer.Option(help="At most this many initiatives at once.", show_default=False),
    ] = None,
    no_limit: Annotated[
        bool, typer.Option("--no-limit", help="No limit on initiatives at once.")
    ] = False,
    version: VersionOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Add a team, or change one with --version."""
    from quarterdeck.domain.errors import InvalidInput, NotFound
    from quarterdeck.services import capacity

    state = cli_state(ctx)
    if no_limit and max_parallel is not None:
        fail("give --max-parallel or --no-limit, not both")

    def work(uow: Any) -> TeamRecord:
        if version is None:
            if name is None:
                raise InvalidInput("a new team needs --name")
            return capacity.add_team(
                uow,
                actor=state.operator,
                workspace=workspace,
                key=key,
                name=name,
                reserve_percent=reserve or 0,
                max_parallel=max_parallel,
            )
        teams = {t.team.key: t.team for t in _current(uow, state, workspace).teams}
        if key not in teams:
            raise NotFound(f"team {key!r} not found; leave out --version to add it")
        team = teams[key]
        limit = None if no_limit else team.max_parallel if max_parallel is None else max_parallel
        return capacity.update_team(
            uow,
            actor=state.operator,
            workspace=workspace,
            key=key,
            expected_version=version,
            name=team.name if name is None else name,
            reserve_percent=team.reserve_percent if reserve is None else reserve,
            max_parallel=limit,
        )

    saved = state.run(work, write=True)
    if as_json:
        emit_json(_team_json(saved))
        return
    limit = (
        "no limit on initiatives at once"
        if saved.max_parallel is None
        else f"at most {saved.max_parallel} initiative(s) at once"
    )
    say(
        f"{'Saved' if version else 'Added'} team {saved.key} ({saved.name}) in {workspace}: "
        f"{saved.reserve_percent} % kept for keep-the-lights-on work, {limit} "
        f"(version {saved.version})."
    )


def _day(text: str | None, option: str) -> date | None:
    from quarterdeck.cli.scorecard_options import day

    return None if text is None or not text.strip() else day(text, option)


@set_app.command("person")
def set_person(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="The person's name.", metavar="NAME")],
    team: Annotated[str | None, typer.Option(help="Team key.", show_default=False)] = None,
    fte: Annotated[
        str | None,
        typer.Option(
            help="Full-time equivalent, above 0 and at most 1 (default 1).", show_default=False
        ),
    ] = None,
    starts: Annotated[
        str | None,
        typer.Option(help='Joins on YYYY-MM-DD ("" clears it).', show_default=False),
    ] = None,
    ends: Annotated[
        str | None,
        typer.Option(help='Leaves on YYYY-MM-DD ("" clears it).', show_default=False),
    ] = None,
    leave: Annotated[
        list[str] | None,
        typer.Option(
            help="QUARTER=WEEKS of leave, e.g. 2027-Q1=2; repeat for several quarters "
            "(QUARTER=0 clears one).",
            show_default=False,
        ),
    ] = None,
    version: VersionOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Add someone to a team, or change their team, FTE, dates or leave with --version."""
    from quarterdeck.domain.errors import InvalidInput, NotFound
    from quarterdeck.services import capacity

    state = cli_state(ctx)
    given_leave = pairs(leave, "--leave", "QUARTER=WEEKS, like 2027-Q1=2")
    starts_on, ends_on = _day(starts, "--starts"), _day(ends, "--ends")

    def work(uow: Any) -> PersonRecord:
        if version is None:
            if team is None:
                raise InvalidInput("a new person needs --team")
            return capacity.put_person(
                uow,
                actor=state.operator,
                workspace=workspace,
                name=name,
                team=team,
                fte=fte or 1,
                starts_on=starts_on,
                ends_on=ends_on,
                leave=given_leave,
            )
        people = {p.name: p for t in _current(uow, state, workspace).teams for p in t.people}
        if name not in people:
            raise NotFound(f"{name} is not in any team of {workspace!r}; leave out --version")
        person = people[name]
        return capacity.put_person(
            uow,
            actor=state.operator,
            workspace=workspace,
            name=name,
            team=person.team if team is None else team,
            fte=person.fte if fte is None else fte,
            starts_on=person.starts_on if starts is None else starts_on,
            ends_on=person.ends_on if ends is None else ends_on,
            leave={**person.leave, **given_leave},
            expected_version=version,
        )

    saved = state.run(work, write=True)
    if as_json:
        emit_json(person_json(saved))
        return
    say(
        f"{'Saved' if version else 'Added'} {saved.name} in team {saved.team} at {saved.fte} FTE "
        f"(version {saved.version})."
    )


def remove_person(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="The person's name.", metavar="NAME")],
    version: Annotated[
        int,
        typer.Option(
            "--version",
            min=1,
            help="Their version you read (`capacity show` prints it).",
            show_default=False,
        ),
    ],
) -> None:
    """Take someone out of their team (and so out of the capacity model)."""
    from quarterdeck.services import capacity

    state = cli_state(ctx)
    state.run(
        lambda uow: capacity.remove_person(
            uow, actor=state.operator, workspace=workspace, name=name, expected_version=version
        ),
        write=True,
    )
    say(f"Removed {name} from the teams of {workspace}.")
