"""Choosing the initiatives for the next quarters within capacity, and what an urgent one
displaces (DOMAIN.md sections 3 and 5). This module is the planning area's public face; the
input and its rules are in `planning_model`, the checks in `planning_ledger`, the
mixed-integer program in `planning_solver`, the explanations of an impossible plan in
`planning_conflicts`, the answers in `planning_results` and `planning_displacement`.

Two strategies:

- `select`: the plan of greatest total risk-adjusted value that meets team capacity per
  quarter, the split bounds, dependencies, exclusive alternatives, mandatory candidates,
  pinned quarters and parallel limits; solved exactly by HiGHS (relative gap 0 unless asked
  otherwise) within a time limit. When time runs out the best plan found is returned with
  status `time-limit` and the gap reached. Among quarters of equal value, each candidate is
  settled into the earliest one it fits.
- `select_by_rule`: the handbook's rule (DOMAIN.md section 5). Mandatory work first; then,
  taking turns, the remaining candidate of highest benefit (value before risk) and the
  safest remaining one (highest probability of success), each planned with whatever it
  requires into the earliest quarter where all of it fits, and skipped when it does not.

`compare` runs both on one input. `displace` re-plans with an urgent candidate mandatory
and reports exactly what it pushes out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.planning_conflicts import Conflict, PlanInfeasible, explain
from quarterdeck.domain.planning_displacement import (
    CapacityMove,
    Displacement,
    Rescheduled,
    SplitChange,
    difference,
)
from quarterdeck.domain.planning_greedy import Stuck, by_density, by_turns, fill
from quarterdeck.domain.planning_ledger import Binding, Reason
from quarterdeck.domain.planning_model import (
    SPLIT_KINDS,
    Candidate,
    ExclusiveGroup,
    Kind,
    PlanInput,
    Share,
    Split,
    Team,
)
from quarterdeck.domain.planning_results import (
    Deferred,
    Plan,
    Planned,
    SplitLine,
    Status,
    Strategy,
    TeamLoad,
    build_plan,
    ledger_of,
    pull_earlier,
)
from quarterdeck.domain.planning_solver import Family, Outcome, Solution, solve

__all__ = [
    "DEFAULT_GAP",
    "DEFAULT_TIME_LIMIT",
    "SPLIT_KINDS",
    "Binding",
    "Candidate",
    "CapacityMove",
    "Comparison",
    "Conflict",
    "Deferred",
    "Displacement",
    "ExclusiveGroup",
    "Family",
    "Kind",
    "NoPlanInTime",
    "Plan",
    "PlanInfeasible",
    "PlanInput",
    "Planned",
    "Reason",
    "Rescheduled",
    "Share",
    "Split",
    "SplitChange",
    "SplitLine",
    "Status",
    "Strategy",
    "Team",
    "TeamLoad",
    "compare",
    "displace",
    "evaluate",
    "select",
    "select_by_rule",
    "with_urgent",
]

DEFAULT_TIME_LIMIT = 5.0  # seconds
DEFAULT_GAP = 0.0  # relative MIP gap: 0 asks for a proven optimum


class NoPlanInTime(InvalidInput):
    """The time limit ran out before any plan meeting every constraint was found."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """Both strategies on one input. `rule` is None when the rule could not even place the
    mandatory candidates; `rule_failure` then says why."""

    optimal: Plan
    rule: Plan | None
    rule_failure: str | None

    @property
    def value_difference(self) -> float | None:
        """How much more risk-adjusted value the optimal plan holds than the rule's."""
        return None if self.rule is None else self.optimal.value - self.rule.value

    @property
    def only_optimal(self) -> tuple[str, ...]:
        rule = self.rule.ids() if self.rule else frozenset()
        return tuple(item.id for item in self.optimal.planned if item.id not in rule)

    @property
    def only_rule(self) -> tuple[str, ...]:
        if self.rule is None:
            return ()
        optimal = self.optimal.ids()
        return tuple(item.id for item in self.rule.planned if item.id not in optimal)


def _check_limits(time_limit: float, gap: float) -> None:
    if not math.isfinite(time_limit) or time_limit <= 0:
        raise InvalidInput(f"time limit must be a positive number of seconds, not {time_limit}")
    if not 0 <= gap < 1:
        raise InvalidInput(f"gap must be from 0 (proven optimal) to below 1, not {gap}")


def _accept(plan: PlanInput, solution: Solution, *, time_limit: float, gap: float) -> Status:
    if solution.outcome == Outcome.INFEASIBLE:
        raise PlanInfeasible(explain(plan, time_limit=time_limit, gap=gap))
    if solution.outcome == Outcome.NO_PLAN_IN_TIME:
        raise NoPlanInTime(
            f"no plan meeting every constraint was found within {time_limit:g} s; "
            "allow more time or accept a larger gap"
        )
    return Status.OPTIMAL if solution.outcome == Outcome.OPTIMAL else Status.TIME_LIMIT


def _start(plan: PlanInput) -> dict[str, int] | None:
    """A first plan for the solver: value per person-week, greedily; None when that order
    cannot place the mandatory candidates."""
    try:
        return fill(plan, by_density).chosen
    except Stuck:
        return None


def select(
    plan: PlanInput, *, time_limit: float = DEFAULT_TIME_LIMIT, gap: float = DEFAULT_GAP
) -> Plan:
    """The plan of greatest risk-adjusted value. Raises PlanInfeasible naming the
    conflicting constraints when no plan exists, NoPlanInTime when the time limit passes
    before any plan is found, InvalidInput for a bad time limit or gap."""
    _check_limits(time_limit, gap)
    solution = solve(plan, start=_start(plan), time_limit=time_limit, gap=gap)
    status = _accept(plan, solution, time_limit=time_limit, gap=gap)
    ledger = ledger_of(plan, solution.assignment)
    pull_earlier(ledger)
    return build_plan(
        ledger,
        strategy=Strategy.OPTIMAL,
        status=status,
        gap=solution.gap,
        seconds=solution.seconds,
    )


def select_by_rule(plan: PlanInput) -> Plan:
    """The handbook's rule: highest benefit first, the safest beside it, filling capacity
    greedily (see the module text). Raises PlanInfeasible when the rule cannot place a
    mandatory candidate, naming what binds."""
    try:
        ledger = fill(plan, by_turns)
    except Stuck as stuck:
        conflict = Conflict(
            (),
            (stuck.candidate.id,),
            f"the handbook rule cannot place mandatory {stuck.candidate.id}: "
            + ", ".join(reason.text for reason in stuck.blockers),
        )
        raise PlanInfeasible((conflict,)) from None
    return build_plan(
        ledger, strategy=Strategy.HANDBOOK_RULE, status=Status.RULE, gap=None, seconds=0.0
    )


def compare(
    plan: PlanInput, *, time_limit: float = DEFAULT_TIME_LIMIT, gap: float = DEFAULT_GAP
) -> Comparison:
    """The optimal plan beside the handbook rule's. Raises as `select` does."""
    optimal = select(plan, time_limit=time_limit, gap=gap)
    try:
        return Comparison(optimal, select_by_rule(plan), None)
    except PlanInfeasible as failure:
        return Comparison(optimal, None, failure.message)


def displace(
    plan: PlanInput,
    urgent: Candidate | str,
    *,
    quarter: str | None = None,
    before: Plan | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    gap: float = DEFAULT_GAP,
) -> Displacement:
    """Re-plan with `urgent` (a candidate of the plan by id, or a new one) mandatory in
    `quarter` (default: its pinned quarter, else the first quarter of the plan), and report
    what it displaces against `before` (default: `select(plan)`).

    The re-plan first finds the greatest value with the urgent candidate in; among plans of
    that value it then keeps as much of `before` as it can (each candidate kept counts,
    kept in its own quarter counts double), so that what the report shows as displaced is
    what the urgent candidate forces out, not an arbitrary reshuffle among equals. A
    `Candidate` given as `urgent` replaces the plan's candidate of the same id. Each solve
    (the plan before when not given, the re-plan, the keeping pass) gets the time limit.
    Raises PlanInfeasible when the urgent candidate cannot be planned (naming what
    conflicts), NoPlanInTime, or InvalidInput for an unknown candidate or quarter."""
    _check_limits(time_limit, gap)
    revised = with_urgent(plan, urgent, quarter)
    made = revised.candidate(urgent if isinstance(urgent, str) else urgent.id)
    if before is None:
        before = select(plan, time_limit=time_limit, gap=gap)
    first = solve(revised, start=_start(revised), time_limit=time_limit, gap=gap)
    status = _accept(revised, first, time_limit=time_limit, gap=gap)
    value = sum(revised.candidate(i).risk_adjusted_value for i in first.assignment)
    weights: dict[tuple[str, int], float] = {}
    for item in before.planned:
        if revised.has(item.id):
            for q in revised.allowed_quarters(revised.candidate(item.id)):
                weights[item.id, q] = 2.0 if revised.quarters[q] == item.quarter else 1.0
    second = solve(
        revised,
        weights=weights,
        value_floor=value,
        start=first.assignment,
        time_limit=time_limit,
        gap=gap,
    )
    kept = second if second.outcome in (Outcome.OPTIMAL, Outcome.TIME_LIMIT) else first
    ledger = ledger_of(revised, kept.assignment)
    stays = frozenset(
        item.id
        for item in before.planned
        if item.id in ledger.chosen and revised.quarters[ledger.chosen[item.id]] == item.quarter
    )
    pull_earlier(ledger, keep=stays)
    after = build_plan(
        ledger,
        strategy=Strategy.OPTIMAL,
        status=status,
        gap=first.gap,
        seconds=first.seconds + second.seconds,
    )
    return difference(before, after, made.id)


def with_urgent(plan: PlanInput, urgent: Candidate | str, quarter: str | None = None) -> PlanInput:
    """`plan` with `urgent` (a candidate of the plan by id, or a new one) made mandatory in
    `quarter` (default: its pinned quarter, else the first quarter of the plan): the input
    `displace` re-plans. InvalidInput for an unknown candidate or quarter."""
    if isinstance(urgent, str):
        if not plan.has(urgent):
            raise InvalidInput(f"urgent candidate {urgent!r}: no such candidate in the plan")
        urgent = plan.candidate(urgent)
    pin = quarter or urgent.quarter or plan.quarters[0]
    if pin not in plan.quarters:
        raise InvalidInput(f"urgent candidate {urgent.id!r}: {pin} is not a quarter of the plan")
    made = replace(urgent, mandatory=True, quarter=pin)
    candidates = tuple(made if c.id == made.id else c for c in plan.candidates)
    return replace(plan, candidates=candidates if plan.has(made.id) else (*candidates, made))


def evaluate(
    plan: PlanInput,
    assignment: Mapping[str, str],
    *,
    strategy: Strategy = Strategy.OPTIMAL,
    status: Status = Status.OPTIMAL,
) -> Plan:
    """The plan that `assignment` (candidate id -> quarter label) makes of `plan`, checked
    against every constraint: each candidate known and in a quarter of the plan (its pinned
    one, if any), every mandatory candidate in, and no candidate breaking team capacity,
    parallel limits, the split, its dependencies or its alternatives given the others.
    Raises InvalidInput naming the first candidate at fault and every constraint it breaks.
    `strategy` and `status` say where the assignment came from, for the plan's reasons."""
    index = {label: i for i, label in enumerate(plan.quarters)}
    for candidate_id, label in assignment.items():
        if not plan.has(candidate_id):
            raise InvalidInput(f"{candidate_id} is not a candidate of this plan")
        if label not in index:
            raise InvalidInput(f"{candidate_id}: {label} is not a quarter of the plan")
        pinned = plan.candidate(candidate_id).quarter
        if pinned is not None and pinned != label:
            raise InvalidInput(f"{candidate_id} is pinned to {pinned}, not {label}")
    missing = [c.id for c in plan.candidates if c.mandatory and c.id not in assignment]
    if missing:
        raise InvalidInput(f"mandatory {', '.join(missing)} must be in the plan")
    ledger = ledger_of(plan, {cid: index[label] for cid, label in assignment.items()})
    for candidate_id, label in sorted(assignment.items()):
        candidate = plan.candidate(candidate_id)
        ledger.remove(candidate)
        blockers = ledger.blockers(candidate, index[label])
        ledger.add(candidate, index[label])
        if blockers:
            raise InvalidInput(
                f"{candidate_id} in {label}: " + "; ".join(reason.text for reason in blockers)
            )
    return build_plan(ledger, strategy=strategy, status=status, gap=0.0, seconds=0.0)
