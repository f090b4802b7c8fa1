"""What the planner runs on, read from the workspace: the planning quarters, every team's
capacity after leave, hiring and its keep-the-lights-on reserve, the open intake items that
may be planned, their alternatives and the target split. Items that cannot take part are
set aside with the reason, never dropped silently."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from quarterdeck.domain.planning import (
    Candidate,
    ExclusiveGroup,
    Kind,
    Plan,
    PlanInput,
    Status,
    Strategy,
    Team,
)
from quarterdeck.domain.planning_results import build_plan, ledger_of
from quarterdeck.domain.portfolio import AcceptedPlan, IntakeItem, item_key
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services.capacity import TeamCapacity, capacities
from quarterdeck.services.intake import READY_CHECKS, is_ready
from quarterdeck.services.intake import Status as ItemStatus
from quarterdeck.services.portfolio_settings import PlanningSettings, settings_of
from quarterdeck.storage import UnitOfWork

__all__ = ["PlanningInput", "SetAside", "accepted_as_plan", "planning_input"]


@dataclass(frozen=True, slots=True)
class SetAside:
    """An open intake item the planner does not consider, and why."""

    key: str
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class PlanningInput:
    plan: PlanInput
    settings: PlanningSettings
    teams: tuple[TeamCapacity, ...]
    items: Mapping[str, IntakeItem]  # every item of the workspace, by key
    set_aside: tuple[SetAside, ...]
    latest: AcceptedPlan | None

    @property
    def based_on(self) -> int:
        """The number of the latest accepted plan (0: none yet): a new one must follow it."""
        return 0 if self.latest is None else self.latest.number


def _own_reason(item: IntakeItem, quarters: tuple[str, ...], teams: set[str]) -> str | None:
    if item.status == ItemStatus.PROPOSED and not is_ready(item):
        missing = [text.lower() for key, text in READY_CHECKS.items() if not item.ready.get(key)]
        return "not ready: " + "; ".join(
            f"not yet confirmed that {m[0].lower()}{m[1:]}" for m in missing
        )
    if not any(float(weeks) > 0 for weeks in item.effort.values()):
        return "no effort estimate for any team"
    unknown = sorted(set(item.effort) - teams)
    if unknown:
        return f"effort on a team that no longer exists: {', '.join(unknown)}"
    if item.pinned_quarter and item.pinned_quarter not in quarters:
        return f"pinned to {item.pinned_quarter}, outside the planning quarters"
    return None


def planning_input(uow: UnitOfWork, ws: Workspace) -> PlanningInput:
    """Read everything the planner needs (no authorization: the caller has done it)."""
    settings = settings_of(uow, ws)
    quarters = settings.quarters
    teams = capacities(uow, ws, quarters)
    team_keys = {t.team.key for t in teams}
    every = {item.key: item for item in uow.portfolio.items(ws.id)}
    open_items = {
        k: i for k, i in every.items() if i.status in (ItemStatus.PROPOSED, ItemStatus.IN_PROGRESS)
    }
    reasons: dict[str, str] = {}
    for key, item in open_items.items():
        reason = _own_reason(item, quarters, team_keys)
        if reason:
            reasons[key] = reason
    changed = True
    while changed:  # an item needing an item that cannot be planned cannot be planned either
        changed = False
        for key, item in open_items.items():
            if key in reasons:
                continue
            for needed in map(item_key, item.requires):
                other = every.get(needed)
                if other is None or other.status == ItemStatus.DROPPED:
                    reasons[key] = f"requires {needed}, which was dropped"
                elif needed in reasons:
                    reasons[key] = f"requires {needed}, which cannot be planned ({reasons[needed]})"
                else:
                    continue
                changed = True
                break
    candidates = []
    groups: dict[str, list[str]] = defaultdict(list)
    for key, item in open_items.items():
        if key in reasons:
            continue
        running = item.status == ItemStatus.IN_PROGRESS
        pinned = item.pinned_quarter or None
        if running and pinned is None:
            pinned = item.planned_quarter if item.planned_quarter in quarters else quarters[0]
        candidates.append(
            Candidate(
                id=key,
                kind=Kind(item.kind),
                value=float(item.value),
                success=float(item.success),
                effort={team: float(weeks) for team, weeks in item.effort.items()},
                requires=tuple(item_key(n) for n in item.requires if item_key(n) in open_items),
                mandatory=item.mandatory or running,
                quarter=pinned,
            )
        )
        if item.alternative_group:
            groups[item.alternative_group].append(key)
    plan = PlanInput(
        quarters=quarters,
        teams=tuple(
            Team(
                id=t.team.key,
                capacity={q: float(t.capacity[q]) for q in quarters},
                keep_the_lights_on={q: float(t.reserve[q]) for q in quarters},
                max_parallel=t.team.max_parallel,
            )
            for t in teams
        ),
        candidates=tuple(candidates),
        splits=dict(settings.splits),
        exclusive=tuple(
            ExclusiveGroup(name, tuple(members))
            for name, members in sorted(groups.items())
            if len(members) > 1
        ),
    )
    set_aside = tuple(
        SetAside(key, open_items[key].title, reason)
        for key, reason in sorted(reasons.items(), key=lambda kv: open_items[kv[0]].number)
    )
    return PlanningInput(
        plan, settings, tuple(teams), every, set_aside, uow.portfolio.latest_plan(ws.id)
    )


def accepted_as_plan(given: PlanningInput) -> Plan | None:
    """The latest accepted plan measured against today's capacity and intake: its loads and
    split as they stand now (over-allocation shows), items no longer plannable left out."""
    if given.latest is None:
        return None
    plan = given.plan
    index = {quarter: i for i, quarter in enumerate(plan.quarters)}
    assignment = {
        key: index[quarter]
        for key, quarter in given.latest.assignment.items()
        if plan.has(key) and quarter in index
    }
    return build_plan(
        ledger_of(plan, assignment),
        strategy=Strategy(given.latest.strategy),
        status=Status.ACCEPTED,
        gap=None,
        seconds=0.0,
    )
