"""The selection as a mixed-integer program, solved by HiGHS (the `highspy` package).

One binary variable per candidate and allowed quarter: 1 when the candidate is planned into
that quarter. Rows, each a family that an infeasibility explanation can leave out:

- assignment (always): a candidate is planned at most once; exactly once when mandatory;
- capacity: per team and quarter, planned effort <= capacity after the reserve;
- parallel: per team with a limit and quarter, planned candidates with effort on it <= limit;
- split: per quarter with a split, a kind's effort <= maximum % of the base, and the other
  kinds' effort <= (100 - minimum) % of the base, the base shrinking by the
  keep-the-lights-on candidates planned (see `planning_model`);
- dependencies: per requirement and quarter q of the dependent, x[dependent, q] <= the sum of
  x[required, q'] over q' <= q;
- exclusive: per group, the members' variables sum to at most 1.

The objective maximises total risk-adjusted value, or, for a displacement's second pass,
given weights while the value stays at a floor. The relative MIP gap is set explicitly
(default 0: the plan is proven optimal) with HiGHS's absolute gap left at 1e-6 value units;
a time limit bounds the search and the best plan found by then is kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

# The public `highspy.Highs` wrapper prints a banner on standard output while it is being
# constructed, before any option can turn output off, which would corrupt `--json` output.
# The binding class underneath takes the same calls and prints nothing.
from highspy import HighsModelStatus, HighsVarType, ObjSense, kHighsInf
from highspy._core import _Highs

from quarterdeck.domain.planning_model import Candidate, Kind, PlanInput

__all__ = ["ALL_FAMILIES", "Family", "Outcome", "Solution", "solve"]


class Family(StrEnum):
    """A family of constraints, as infeasibility explanations name them."""

    CAPACITY = "team capacity"
    PARALLEL = "parallel limits"
    SPLIT = "capacity split"
    DEPENDENCIES = "dependencies"
    EXCLUSIVE = "exclusive alternatives"


ALL_FAMILIES = frozenset(Family)


class Outcome(StrEnum):
    OPTIMAL = "optimal"  # proven within the gap asked for
    TIME_LIMIT = "time-limit"  # the best plan found when time ran out
    INFEASIBLE = "infeasible"
    NO_PLAN_IN_TIME = "no-plan-in-time"


@dataclass(frozen=True, slots=True)
class Solution:
    outcome: Outcome
    assignment: Mapping[str, int]  # candidate id -> quarter index, planned ones only
    gap: float | None  # relative gap between the plan's value and the best bound
    seconds: float


_INCUMBENT_KEPT = {
    HighsModelStatus.kTimeLimit,
    HighsModelStatus.kInterrupt,
    HighsModelStatus.kIterationLimit,
    HighsModelStatus.kSolutionLimit,
    HighsModelStatus.kMemoryLimit,
    HighsModelStatus.kObjectiveBound,
    HighsModelStatus.kObjectiveTarget,
    HighsModelStatus.kUnknown,
}
_FEASIBLE_SOLUTION = 2  # HiGHS primal_solution_status: kSolutionStatusFeasible


class _Rows:
    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def add(self, entries: Iterable[tuple[int, float]], lower: float, upper: float) -> None:
        start = len(self.index)
        for column, coefficient in entries:
            if coefficient != 0:
                self.index.append(column)
                self.value.append(coefficient)
        if len(self.index) == start:
            return
        self.starts.append(start)
        self.lower.append(lower)
        self.upper.append(upper)


def solve(
    plan: PlanInput,
    *,
    candidates: Sequence[Candidate] | None = None,
    families: frozenset[Family] = ALL_FAMILIES,
    weights: Mapping[tuple[str, int], float] | None = None,
    value_floor: float | None = None,
    start: Mapping[str, int] | None = None,
    time_limit: float,
    gap: float,
) -> Solution:
    """Solve over `candidates` (default: all of the plan's). `weights`, keyed by candidate
    id and quarter index, replace the objective; `value_floor` then keeps the total
    risk-adjusted value at or above it. `start`, a plan known to meet every constraint
    (candidate id -> quarter index), is handed to HiGHS as its first incumbent, so a time
    limit always leaves at least that plan. Raises RuntimeError only if HiGHS rejects the model,
    which would be a fault here, not in the input."""
    pool = list(plan.candidates if candidates is None else candidates)
    columns: list[tuple[Candidate, int]] = [
        (candidate, quarter) for candidate in pool for quarter in plan.allowed_quarters(candidate)
    ]
    if not columns:
        return Solution(Outcome.OPTIMAL, {}, 0.0, 0.0)
    position = {(candidate.id, quarter): j for j, (candidate, quarter) in enumerate(columns)}
    rows = _rows(plan, pool, columns, position, families)
    if value_floor is not None:
        rows.add(
            ((j, c.risk_adjusted_value) for j, (c, _) in enumerate(columns)),
            value_floor - 1e-7 * max(1.0, abs(value_floor)),
            kHighsInf,
        )
    if weights is None:
        costs = [candidate.risk_adjusted_value for candidate, _ in columns]
    else:
        costs = [weights.get((candidate.id, quarter), 0.0) for candidate, quarter in columns]

    highs = _Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", float(gap))
    highs.setOptionValue("time_limit", float(time_limit))
    count = len(columns)
    highs.addCols(count, costs, [0.0] * count, [1.0] * count, 0, [], [], [])
    for column in range(count):
        highs.changeColIntegrality(column, HighsVarType.kInteger)
    if rows.starts:
        highs.addRows(
            len(rows.starts),
            rows.lower,
            rows.upper,
            len(rows.index),
            rows.starts,
            rows.index,
            rows.value,
        )
    highs.changeObjectiveSense(ObjSense.kMaximize)
    if start is not None:
        values = [1.0 if start.get(c.id) == q else 0.0 for c, q in columns]
        highs.setSolution(count, list(range(count)), values)
    started = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - started
    status = highs.getModelStatus()
    if status in (HighsModelStatus.kInfeasible, HighsModelStatus.kUnboundedOrInfeasible):
        return Solution(Outcome.INFEASIBLE, {}, None, seconds)
    if status == HighsModelStatus.kOptimal:
        outcome = Outcome.OPTIMAL
    elif status in _INCUMBENT_KEPT:
        if int(highs.getInfo().primal_solution_status) != _FEASIBLE_SOLUTION:
            return Solution(Outcome.NO_PLAN_IN_TIME, {}, None, seconds)
        outcome = Outcome.TIME_LIMIT
    else:
        raise RuntimeError(f"HiGHS could not solve the plan: {highs.modelStatusToString(status)}")
    solved = highs.getSolution().col_value
    assignment = {
        candidate.id: quarter
        for (candidate, quarter), value in zip(columns, solved, strict=True)
        if value > 0.5
    }
    reached = float(highs.getInfo().mip_gap)
    return Solution(outcome, assignment, reached if math.isfinite(reached) else None, seconds)


def _rows(
    plan: PlanInput,
    pool: list[Candidate],
    columns: list[tuple[Candidate, int]],
    position: Mapping[tuple[str, int], int],
    families: frozenset[Family],
) -> _Rows:
    rows = _Rows()
    by_quarter: list[list[tuple[int, Candidate]]] = [[] for _ in plan.quarters]
    for j, (candidate, quarter) in enumerate(columns):
        by_quarter[quarter].append((j, candidate))
    for candidate in pool:
        mandatory = 1.0 if candidate.mandatory else 0.0
        cols = [position[candidate.id, q] for q in plan.allowed_quarters(candidate)]
        rows.add(((j, 1.0) for j in cols), mandatory, 1.0)
    for quarter, label in enumerate(plan.quarters):
        planned = by_quarter[quarter]
        for team in plan.teams:
            on_team = [(j, c.effort.get(team.id, 0.0)) for j, c in planned]
            on_team = [(j, weeks) for j, weeks in on_team if weeks > 0]
            if Family.CAPACITY in families:
                rows.add(on_team, -kHighsInf, team.available(label))
            limit = team.max_parallel
            if Family.PARALLEL in families and limit is not None and len(on_team) > limit:
                rows.add(((j, 1.0) for j, _ in on_team), -kHighsInf, float(limit))
        split = plan.splits.get(label)
        if Family.SPLIT in families and split is not None:
            base = plan.split_base(label)
            run = [(j, c.total_effort) for j, c in planned if c.kind == Kind.KEEP_THE_LIGHTS_ON]
            for share in split.shares:
                if share.maximum < 100:
                    part = share.maximum / 100
                    own = [(j, c.total_effort) for j, c in planned if c.kind == share.kind]
                    rows.add([*own, *((j, part * e) for j, e in run)], -kHighsInf, part * base)
                if share.minimum > 0:
                    part = (100 - share.minimum) / 100
                    others = [
                        (j, c.total_effort)
                        for j, c in planned
                        if c.kind not in (share.kind, Kind.KEEP_THE_LIGHTS_ON)
                    ]
                    rows.add([*others, *((j, part * e) for j, e in run)], -kHighsInf, part * base)
    present = {candidate.id for candidate in pool}
    if Family.DEPENDENCIES in families:
        for candidate in pool:
            for required in candidate.requires:
                for quarter in plan.allowed_quarters(candidate):
                    earlier = [
                        (position[required, q], -1.0)
                        for q in range(quarter + 1)
                        if (required, q) in position
                    ]
                    rows.add([(position[candidate.id, quarter], 1.0), *earlier], -kHighsInf, 0.0)
    if Family.EXCLUSIVE in families:
        for group in plan.exclusive:
            members = [member for member in group.members if member in present]
            if len(members) > 1:
                entries = [
                    (position[member, q], 1.0)
                    for member in members
                    for q in plan.allowed_quarters(plan.candidate(member))
                ]
                rows.add(entries, -kHighsInf, 1.0)
    return rows
