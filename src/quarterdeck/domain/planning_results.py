"""What a selection answers: the planned candidates with their quarter, each deferred
candidate with the constraints that keep it out, the load of every team, and the planned
split against the target.

Reasons for a deferred candidate come from adding it alone to the chosen set, in each
quarter it may go into (see `planning_ledger`). Reasons that hold in every quarter (a
requirement not planned, an alternative already chosen) are listed once. When only shared
capacity keeps it out (team full, parallel limit, split) and it would fit into an empty
plan, the first reason says so: it has lower value than what was chosen (for the handbook
rule: than what the rule took first). A candidate that breaks nothing when added was left
out because it adds no risk-adjusted value, or because the time limit came first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from quarterdeck.domain.planning_ledger import RESOURCE_BINDINGS, Binding, Ledger, Reason
from quarterdeck.domain.planning_model import SPLIT_KINDS, Candidate, Kind, PlanInput

__all__ = [
    "Deferred",
    "Plan",
    "Planned",
    "SplitLine",
    "Status",
    "Strategy",
    "TeamLoad",
    "build_plan",
    "ledger_of",
    "pull_earlier",
]


class Strategy(StrEnum):
    OPTIMAL = "optimal"  # the mixed-integer program
    HANDBOOK_RULE = "handbook-rule"  # highest benefit first, the safest beside it


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven optimal within the gap asked for
    TIME_LIMIT = "time-limit"  # the best plan found when the time limit was reached
    RULE = "rule"  # built by the handbook rule; no claim of optimality
    ACCEPTED = "accepted"  # a plan accepted earlier, measured against what is stored now


@dataclass(frozen=True, slots=True)
class Planned:
    id: str
    kind: Kind
    quarter: str
    value: float  # risk-adjusted
    effort: Mapping[str, float]  # person-weeks per team
    mandatory: bool


@dataclass(frozen=True, slots=True)
class Deferred:
    id: str
    kind: Kind
    value: float  # risk-adjusted
    reasons: tuple[Reason, ...]

    @property
    def text(self) -> str:
        return "; ".join(reason.text for reason in self.reasons)


@dataclass(frozen=True, slots=True)
class TeamLoad:
    """One team in one quarter, in person-weeks; `running` counts planned initiatives."""

    team: str
    quarter: str
    capacity: float
    reserved: float  # keep-the-lights-on reserve
    used: float
    running: int
    max_parallel: int | None

    @property
    def available(self) -> float:
        return self.capacity - self.reserved

    @property
    def left(self) -> float:
        return self.available - self.used


@dataclass(frozen=True, slots=True)
class SplitLine:
    """One split kind in one quarter. `share` is the percentage of the quarter's planned
    split work, `of_base` the percentage of its split base; both None when nothing is there
    to divide by. Target and bounds are None in a quarter without a split."""

    quarter: str
    kind: Kind
    effort: float
    share: float | None
    of_base: float | None
    target: float | None
    minimum: float | None
    maximum: float | None


@dataclass(frozen=True, slots=True)
class Plan:
    strategy: Strategy
    status: Status
    planned: tuple[Planned, ...]
    deferred: tuple[Deferred, ...]
    value: float  # total risk-adjusted value planned
    loads: tuple[TeamLoad, ...]
    split: tuple[SplitLine, ...]
    gap: float | None  # relative gap reached; None for the rule or before any bound is known
    seconds: float  # solver time

    def quarter_of(self, candidate_id: str) -> str | None:
        for item in self.planned:
            if item.id == candidate_id:
                return item.quarter
        return None

    def ids(self) -> frozenset[str]:
        return frozenset(item.id for item in self.planned)

    def load(self, team: str, quarter: str) -> TeamLoad:
        return next(x for x in self.loads if x.team == team and x.quarter == quarter)

    def reasons_for(self, candidate_id: str) -> tuple[Reason, ...]:
        return next((d.reasons for d in self.deferred if d.id == candidate_id), ())


def ledger_of(plan: PlanInput, assignment: Mapping[str, int]) -> Ledger:
    ledger = Ledger(plan)
    for candidate_id, quarter in assignment.items():
        ledger.add(plan.candidate(candidate_id), quarter)
    return ledger


def pull_earlier(ledger: Ledger, *, keep: frozenset[str] = frozenset()) -> None:
    """Move planned candidates (except those in `keep`) into the earliest quarter where they
    still fit. The set planned and its value do not change; this only settles which of
    several equally good quarters a candidate lands in."""
    plan = ledger.plan
    for _ in plan.quarters:
        moved = False
        for candidate_id, quarter in sorted(ledger.chosen.items(), key=lambda x: (x[1], x[0])):
            candidate = plan.candidate(candidate_id)
            if quarter == 0 or candidate.quarter is not None or candidate_id in keep:
                continue
            ledger.remove(candidate)
            target = next((q for q in range(quarter) if ledger.fits(candidate, q)), quarter)
            ledger.add(candidate, target)
            moved = moved or target != quarter
        if not moved:
            return


def build_plan(
    ledger: Ledger,
    *,
    strategy: Strategy,
    status: Status,
    gap: float | None,
    seconds: float,
) -> Plan:
    """The plan the ledger holds, with a reason for every candidate left out."""
    plan = ledger.plan
    planned = tuple(
        Planned(
            c.id,
            c.kind,
            plan.quarters[ledger.chosen[c.id]],
            c.risk_adjusted_value,
            c.effort,
            c.mandatory,
        )
        for c in sorted(
            (plan.candidate(i) for i in ledger.chosen),
            key=lambda c: (ledger.chosen[c.id], -c.risk_adjusted_value, c.id),
        )
    )
    proven = status == Status.OPTIMAL and (gap or 0.0) <= 1e-9
    deferred = tuple(
        Deferred(c.id, c.kind, c.risk_adjusted_value, _reasons(ledger, c, status, proven))
        for c in sorted(plan.candidates, key=lambda c: (-c.risk_adjusted_value, c.id))
        if c.id not in ledger.chosen
    )
    return Plan(
        strategy=strategy,
        status=status,
        planned=planned,
        deferred=deferred,
        value=sum(item.value for item in planned),
        loads=_loads(ledger),
        split=_split(ledger),
        gap=gap,
        seconds=seconds,
    )


def _reasons(
    ledger: Ledger, candidate: Candidate, status: Status, proven: bool
) -> tuple[Reason, ...]:
    plan = ledger.plan
    quarters = plan.allowed_quarters(candidate)
    found: dict[tuple[Binding, str | None, str], Reason] = {}
    for quarter in quarters:
        blockers = ledger.blockers(candidate, quarter)
        if not blockers:
            label = plan.quarters[quarter]
            if candidate.risk_adjusted_value <= 0:
                why = "it adds no value after risk"
            elif status == Status.TIME_LIMIT:
                why = "the time limit came before the solver took it"
            elif status == Status.ACCEPTED:
                why = "the accepted plan did not take it"
            else:
                why = "nothing binds"
            text = f"fits beside the chosen candidates in {label}; left out as {why}"
            return (Reason(Binding.LEFT_OUT, label, candidate.id, text),)
        for reason in blockers:
            found.setdefault((reason.binding, reason.quarter, reason.subject), reason)
    reasons = tuple(found.values())
    if all(reason.binding in RESOURCE_BINDINGS for reason in reasons):
        empty = Ledger(plan)
        alone = any(
            not [r for r in empty.blockers(candidate, q) if r.binding in RESOURCE_BINDINGS]
            for q in quarters
        )
        if alone:
            if status == Status.RULE:
                text = "fits on its own, not beside what the rule took first"
            elif proven:
                text = "lower value than what was chosen: fits on its own, not beside it"
            else:
                text = "fits on its own, not beside the chosen candidates"
            reasons = (Reason(Binding.LOWER_VALUE, None, candidate.id, text), *reasons)
    return reasons


def _loads(ledger: Ledger) -> tuple[TeamLoad, ...]:
    plan = ledger.plan
    return tuple(
        TeamLoad(
            team=team.id,
            quarter=label,
            capacity=team.capacity.get(label, 0.0),
            reserved=team.keep_the_lights_on.get(label, 0.0),
            used=ledger.used(team.id, quarter),
            running=ledger.running(team.id, quarter),
            max_parallel=team.max_parallel,
        )
        for quarter, label in enumerate(plan.quarters)
        for team in plan.teams
    )


def _split(ledger: Ledger) -> tuple[SplitLine, ...]:
    plan = ledger.plan
    lines: list[SplitLine] = []
    for quarter, label in enumerate(plan.quarters):
        split = plan.splits.get(label)
        planned = sum(ledger.kind_effort(kind, quarter) for kind in SPLIT_KINDS)
        base = ledger.base(quarter)
        for kind in SPLIT_KINDS:
            effort = ledger.kind_effort(kind, quarter)
            share = split.share(kind) if split is not None else None
            lines.append(
                SplitLine(
                    quarter=label,
                    kind=kind,
                    effort=effort,
                    share=100 * effort / planned if planned > 0 else None,
                    of_base=100 * effort / base if base > 0 else None,
                    target=share.target if share else None,
                    minimum=share.minimum if share else None,
                    maximum=share.maximum if share else None,
                )
            )
    return tuple(lines)
