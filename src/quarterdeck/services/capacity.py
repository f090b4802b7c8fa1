"""The capacity model: teams, the people in them with FTE, hiring and leaving dates and
leave, and what that gives each team per quarter after its keep-the-lights-on reserve."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.capacity import Member, check_quarter, member_weeks
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.domain.portfolio import PersonRecord, TeamRecord
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.services.portfolio_settings import number, settings_of
from quarterdeck.storage import UnitOfWork

__all__ = [
    "TeamCapacity",
    "add_team",
    "capacities",
    "member_of",
    "put_person",
    "remove_person",
    "team_capacities",
    "update_team",
]

_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class TeamCapacity:
    """A team's person-weeks in each quarter: everyone's time, the reserve for
    keep-the-lights-on work taken off first, and what is left for initiatives."""

    team: TeamRecord
    people: tuple[PersonRecord, ...]
    capacity: Mapping[str, Decimal]
    reserve: Mapping[str, Decimal]

    def available(self, quarter: str) -> Decimal:
        return self.capacity[quarter] - self.reserve[quarter]


def member_of(person: PersonRecord) -> Member:
    return Member(
        person.name,
        person.fte,
        person.starts_on,
        person.ends_on,
        {quarter: Decimal(weeks) for quarter, weeks in person.leave.items()},
    )


def capacities(uow: UnitOfWork, ws: Workspace, quarters: tuple[str, ...]) -> list[TeamCapacity]:
    """Every team's capacity in `quarters` (no authorization: the caller has done it)."""
    people = uow.portfolio.people(ws.id)
    result = []
    for team in uow.portfolio.teams(ws.id):
        mine = tuple(p for p in people if p.team == team.key)
        capacity = {
            q: sum((member_weeks(member_of(p), q) for p in mine), Decimal(0)) for q in quarters
        }
        reserve = {
            q: (capacity[q] * team.reserve_percent / HUNDRED).quantize(Decimal("0.01"))
            for q in quarters
        }
        result.append(TeamCapacity(team, mine, capacity, reserve))
    return result


def team_capacities(uow: UnitOfWork, *, actor: Actor, workspace: str) -> list[TeamCapacity]:
    """Every team's capacity in the workspace's planning quarters."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return capacities(uow, ws, settings_of(uow, ws).quarters)


def _team_values(
    name: str, reserve_percent: object, max_parallel: object
) -> tuple[str, Decimal, int | None]:
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput("a team needs a name of 1-120 characters")
    reserve = number(reserve_percent, "keep-the-lights-on reserve")
    if reserve > HUNDRED:
        raise InvalidInput(f"keep-the-lights-on reserve is a percentage up to 100, not {reserve}")
    parallel = None
    if max_parallel not in (None, ""):
        if isinstance(max_parallel, bool) or not str(max_parallel).strip().isdigit():
            raise InvalidInput(
                f"parallel initiatives must be a whole number of 1 or more, not {max_parallel!r}"
            )
        parallel = int(str(max_parallel).strip())
        if parallel < 1:
            raise InvalidInput(
                "parallel initiatives must be 1 or more (leave it empty for no limit)"
            )
    return name, reserve, parallel


def add_team(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    key: str,
    name: str,
    reserve_percent: object = 0,
    max_parallel: object = None,
) -> TeamRecord:
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    if not _KEY.match(key) or len(key) > 48:
        raise InvalidInput(
            f"team key {key!r} must be lower-case words joined by hyphens, like 'payments'"
        )
    name, reserve, parallel = _team_values(name, reserve_percent, max_parallel)
    team = uow.portfolio.add_team(
        ws.id, key=key, name=name, reserve_percent=reserve, max_parallel=parallel, now=uow.now()
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="team.added",
        entity_type="team",
        entity_id=key,
        after=_team_json(team),
    )
    return team


def update_team(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    key: str,
    expected_version: int,
    name: str,
    reserve_percent: object,
    max_parallel: object,
) -> TeamRecord:
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    before = uow.portfolio.team(ws.id, key)
    if before is None:
        raise NotFound(f"team {key!r} not found")
    name, reserve, parallel = _team_values(name, reserve_percent, max_parallel)
    team = uow.portfolio.update_team(
        ws.id,
        key,
        expected_version=expected_version,
        name=name,
        reserve_percent=reserve,
        max_parallel=parallel,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="team.changed",
        entity_type="team",
        entity_id=key,
        before=_team_json(before),
        after=_team_json(team),
    )
    return team


def _team_json(team: TeamRecord) -> dict[str, object]:
    return {
        "name": team.name,
        "reserve_percent": str(team.reserve_percent),
        "max_parallel": team.max_parallel,
        "version": team.version,
    }


def _person_json(person: PersonRecord) -> dict[str, object]:
    return {
        "team": person.team,
        "fte": str(person.fte),
        "starts_on": person.starts_on.isoformat() if person.starts_on else None,
        "ends_on": person.ends_on.isoformat() if person.ends_on else None,
        "leave": dict(person.leave),
        "version": person.version,
    }


def put_person(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    name: str,
    team: str,
    fte: object,
    starts_on: date | None = None,
    ends_on: date | None = None,
    leave: Mapping[str, object] | None = None,
    expected_version: int = 0,
) -> PersonRecord:
    """Add someone to a team (`expected_version` 0) or change their team, FTE, dates or
    leave. Leave is weeks per quarter."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput("a person needs a name of 1-120 characters")
    if uow.portfolio.team(ws.id, team) is None:
        raise InvalidInput(f"unknown team {team!r}; add the team first")
    weeks = {
        check_quarter(q, f"{name}: leave in"): number(w, f"{name}: leave in {q}")
        for q, w in (leave or {}).items()
    }
    member = Member(name, number(fte, f"{name}: FTE"), starts_on, ends_on, weeks)
    before = uow.portfolio.person(ws.id, name) if expected_version else None
    if expected_version and before is None:
        raise NotFound(f"{name} is not in any team of {ws.slug!r}")
    person = uow.portfolio.put_person(
        ws.id,
        name=name,
        team=team,
        fte=member.fte,
        starts_on=starts_on,
        ends_on=ends_on,
        leave={q: str(w) for q, w in weeks.items() if w},
        expected_version=expected_version,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="person.changed" if before else "person.added",
        entity_type="person",
        entity_id=name,
        before=None if before is None else _person_json(before),
        after=_person_json(person),
    )
    return person


def remove_person(
    uow: UnitOfWork, *, actor: Actor, workspace: str, name: str, expected_version: int
) -> None:
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    before = uow.portfolio.person(ws.id, name)
    if before is None:
        raise NotFound(f"{name} is not in any team of {ws.slug!r}")
    uow.portfolio.remove_person(ws.id, name, expected_version=expected_version)
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="person.removed",
        entity_type="person",
        entity_id=name,
        before=_person_json(before),
    )
