"""Why no plan exists. Without mandatory candidates the empty plan always meets every
constraint (capacities are never negative: a reserve above capacity is refused as input),
so an impossible plan is always mandatory work that cannot fit. The explanation is built in
two steps:

1. Direct checks on the mandatory candidates and everything they require, by family: two of
   them in one exclusive group; a pinned quarter before a requirement can be planned; one
   candidate too large for its team, the parallel limit or the split even on its own; their
   total effort per team above the team's capacity over the plan; their number per team
   above the parallel limit over the plan; their effort per kind above the split's maximum
   (or the other kinds' reserves) over the plan.
2. When none of those names the conflict, the solver: mandatory candidates are removed one
   at a time while the rest stays infeasible, leaving a smallest set that still conflicts;
   then each constraint family is dropped in turn (then pairs), and the families whose
   removal would allow a plan are named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import combinations

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.planning_ledger import Binding, Ledger
from quarterdeck.domain.planning_model import SPLIT_KINDS, Candidate, Kind, PlanInput
from quarterdeck.domain.planning_solver import ALL_FAMILIES, Family, Outcome, solve

__all__ = ["Conflict", "PlanInfeasible", "explain", "needed"]

# A smallest conflicting set is searched for among at most this many mandatory candidates;
# above it, all of them are named.
MAX_SHRINK = 40

_FAMILY = {
    Binding.TEAM_FULL: Family.CAPACITY,
    Binding.PARALLEL_LIMIT: Family.PARALLEL,
    Binding.SPLIT_MAXIMUM: Family.SPLIT,
    Binding.SPLIT_RESERVE: Family.SPLIT,
}


@dataclass(frozen=True, slots=True)
class Conflict:
    """Constraint families that together with these mandatory candidates allow no plan."""

    families: tuple[Family, ...]
    candidates: tuple[str, ...]
    text: str


class PlanInfeasible(InvalidInput):
    """No plan meets every constraint; `conflicts` says which ones clash."""

    def __init__(self, conflicts: tuple[Conflict, ...]) -> None:
        super().__init__("no plan meets every constraint: " + "; ".join(c.text for c in conflicts))
        self.conflicts = conflicts


def needed(plan: PlanInput, ids: Iterable[str]) -> dict[str, str]:
    """The given candidates and everything they require, requirements first, each with why
    it is needed ("mandatory" or "required by X")."""
    order: dict[str, str] = {}

    def visit(candidate_id: str, why: str) -> None:
        if candidate_id in order:
            return
        for required in plan.candidate(candidate_id).requires:
            visit(required, f"required by {candidate_id}")
        order[candidate_id] = why

    for candidate_id in ids:
        visit(candidate_id, "mandatory")
    return order


def explain(plan: PlanInput, *, time_limit: float, gap: float) -> tuple[Conflict, ...]:
    """The conflicts that make `plan` impossible (call only once it is known to be)."""
    mandatory = [c.id for c in plan.candidates if c.mandatory]
    direct = _direct(plan, needed(plan, mandatory))
    if direct:
        return direct
    return (_by_families(plan, mandatory, time_limit=time_limit, gap=gap),)


def _direct(plan: PlanInput, need: dict[str, str]) -> tuple[Conflict, ...]:
    found: list[Conflict] = []
    labels = plan.quarters

    def named(ids: Iterable[str]) -> str:
        return ", ".join(f"{i} ({need[i]})" for i in ids)

    for group in plan.exclusive:
        members = [m for m in group.members if m in need]
        if len(members) > 1:
            families = [Family.EXCLUSIVE]
            if any(need[m] != "mandatory" for m in members):
                families.append(Family.DEPENDENCIES)
            found.append(
                Conflict(
                    tuple(families),
                    tuple(members),
                    f"alternatives {group.name} allow only one of {named(members)}",
                )
            )
    earliest: dict[str, int] = {}
    for candidate_id in need:
        candidate = plan.candidate(candidate_id)
        start = max((earliest[r] for r in candidate.requires), default=0)
        if candidate.quarter is not None:
            pinned = labels.index(candidate.quarter)
            late = [r for r in candidate.requires if earliest[r] > pinned]
            if late:
                found.append(
                    Conflict(
                        (Family.DEPENDENCIES,),
                        (candidate_id, *late),
                        f"{named([candidate_id])} is pinned to {candidate.quarter} but needs "
                        f"{named(late)}, planned in {labels[earliest[late[0]]]} at the earliest",
                    )
                )
            start = pinned
        earliest[candidate_id] = start
    empty = Ledger(plan)
    for candidate_id in need:
        candidate = plan.candidate(candidate_id)
        tried = [
            [r for r in empty.blockers(candidate, q) if r.binding in _FAMILY]
            for q in plan.allowed_quarters(candidate)
        ]
        if all(tried):
            blocking = tuple(dict.fromkeys(_FAMILY[r.binding] for r in tried[0]))
            more = " (and alike in every other quarter)" if len(tried) > 1 else ""
            found.append(
                Conflict(
                    blocking,
                    (candidate_id,),
                    f"{named([candidate_id])} does not fit even on its own: "
                    f"{', '.join(r.text for r in tried[0])}{more}",
                )
            )
    if not found:
        found.extend(_totals(plan, [plan.candidate(i) for i in need], named))
    return tuple(found)


def _totals(
    plan: PlanInput, work: list[Candidate], named: Callable[[Iterable[str]], str]
) -> list[Conflict]:
    found: list[Conflict] = []
    count = len(plan.quarters)
    span = f"over the plan's {count} quarter{'s' if count > 1 else ''}"
    for team in plan.teams:
        on_team = [c for c in work if c.effort.get(team.id, 0.0) > 0]
        weeks = sum(c.effort[team.id] for c in on_team)
        have = sum(team.available(q) for q in plan.quarters)
        if weeks > have + 1e-6 * max(1.0, have):
            found.append(
                Conflict(
                    (Family.CAPACITY,),
                    tuple(c.id for c in on_team),
                    f"{named(c.id for c in on_team)} need {weeks:g} person-weeks of team "
                    f"{team.id}, which has {have:g} {span}",
                )
            )
        limit = team.max_parallel
        if limit is not None and len(on_team) > limit * count:
            found.append(
                Conflict(
                    (Family.PARALLEL,),
                    tuple(c.id for c in on_team),
                    f"{named(c.id for c in on_team)} are {len(on_team)} initiatives on team "
                    f"{team.id}, which runs at most {limit} at a time, {limit * count} {span}",
                )
            )
    splits = [plan.splits.get(q) for q in plan.quarters]
    if all(split is not None for split in splits):
        bases = [plan.split_base(q) for q in plan.quarters]
        for kind in SPLIT_KINDS:
            mine = [c for c in work if c.kind == kind]
            others = [c for c in work if c.kind not in (kind, Kind.KEEP_THE_LIGHTS_ON)]
            pairs = [(s, b) for s, b in zip(splits, bases, strict=True) if s is not None]
            top = sum(s.share(kind).maximum / 100 * b for s, b in pairs)
            rest = sum((100 - s.share(kind).minimum) / 100 * b for s, b in pairs)
            weeks = sum(c.total_effort for c in mine)
            if weeks > top + 1e-6 * max(1.0, top):
                found.append(
                    Conflict(
                        (Family.SPLIT,),
                        tuple(c.id for c in mine),
                        f"{named(c.id for c in mine)} need {weeks:g} person-weeks of "
                        f"{kind.label}, above the split's maximum of {top:g} {span}",
                    )
                )
            weeks = sum(c.total_effort for c in others)
            if weeks > rest + 1e-6 * max(1.0, rest):
                found.append(
                    Conflict(
                        (Family.SPLIT,),
                        tuple(c.id for c in others),
                        f"{named(c.id for c in others)} need {weeks:g} person-weeks outside "
                        f"{kind.label}, above the {rest:g} its reserve leaves {span}",
                    )
                )
    return found


def _infeasible(
    plan: PlanInput,
    mandatory: list[str],
    families: frozenset[Family],
    *,
    time_limit: float,
    gap: float,
) -> bool:
    wanted = set(mandatory)
    pool = [replace(plan.candidate(i), mandatory=i in wanted) for i in needed(plan, mandatory)]
    solution = solve(
        plan, candidates=pool, families=families, weights={}, time_limit=time_limit, gap=gap
    )
    return solution.outcome == Outcome.INFEASIBLE


def _by_families(
    plan: PlanInput, mandatory: list[str], *, time_limit: float, gap: float
) -> Conflict:
    def infeasible(ids: list[str], families: frozenset[Family] = ALL_FAMILIES) -> bool:
        return _infeasible(plan, ids, families, time_limit=time_limit, gap=gap)

    core = list(mandatory)
    if len(core) <= MAX_SHRINK:
        for candidate_id in list(core):
            trial = [i for i in core if i != candidate_id]
            if trial and infeasible(trial):
                core = trial
    names = ", ".join(core)
    lead = f"mandatory {names} cannot all be planned"
    single = [f for f in Family if not infeasible(core, ALL_FAMILIES - {f})]
    if single:
        text = " or ".join(f.value for f in single)
        how = "either alone" if len(single) > 1 else "it"
        return Conflict(
            tuple(single), tuple(core), f"{lead} within {text} (relaxing {how} would allow a plan)"
        )
    for pair in combinations(Family, 2):
        if not infeasible(core, ALL_FAMILIES - set(pair)):
            return Conflict(
                pair,
                tuple(core),
                f"{lead} within {pair[0].value} and {pair[1].value} together "
                "(relaxing both would allow a plan)",
            )
    return Conflict(tuple(Family), tuple(core), f"{lead} under all the constraints together")
