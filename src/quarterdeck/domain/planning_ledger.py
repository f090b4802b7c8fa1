"""The load of a plan while it is built or read: what each team carries per quarter, the
split, the alternatives taken. It answers one question, quickly: what would planning this
candidate into that quarter break? Every constraint but a dependency only tightens as
candidates are added, so "adding it alone to the chosen set" is an exact test of whether a
candidate still fits, and the answer names each constraint that binds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from quarterdeck.domain.planning_model import Candidate, Kind, PlanInput

__all__ = ["RESOURCE_BINDINGS", "Binding", "Ledger", "Reason"]

# Loads may exceed a limit by this fraction (of the limit, or absolutely below 1) and still
# fit: the solver's own feasibility tolerance is 1e-7 on rows of this size.
TOLERANCE = 1e-6


def _over(load: float, limit: float) -> bool:
    return load > limit + TOLERANCE * max(1.0, abs(limit))


class Binding(StrEnum):
    """Which constraint keeps a candidate out of a plan."""

    TEAM_FULL = "team-full"
    PARALLEL_LIMIT = "parallel-limit"
    SPLIT_MAXIMUM = "split-maximum"
    SPLIT_RESERVE = "split-reserve"
    NEEDS_DEFERRED = "needs-deferred"
    NEEDS_LATER = "needs-later"
    EXCLUDED = "excluded"
    LOWER_VALUE = "lower-value"
    LEFT_OUT = "left-out"


# Bindings that come from sharing limited capacity with the chosen candidates.
RESOURCE_BINDINGS = frozenset(
    {Binding.TEAM_FULL, Binding.PARALLEL_LIMIT, Binding.SPLIT_MAXIMUM, Binding.SPLIT_RESERVE}
)


@dataclass(frozen=True, slots=True)
class Reason:
    """One constraint that binds. `subject` is the team id, kind, candidate id or exclusive
    group the constraint is about; `quarter` is None when it binds in every quarter."""

    binding: Binding
    quarter: str | None
    subject: str
    text: str


class Ledger:
    """Mutable running totals of one plan under construction (kept private to a call)."""

    def __init__(self, plan: PlanInput) -> None:
        self.plan = plan
        self.chosen: dict[str, int] = {}
        count = len(plan.quarters)
        self._used = {team.id: [0.0] * count for team in plan.teams}
        self._running = {team.id: [0] * count for team in plan.teams}
        self._kinds = [dict.fromkeys(Kind, 0.0) for _ in range(count)]

    def add(self, candidate: Candidate, quarter: int) -> None:
        self.chosen[candidate.id] = quarter
        self._change(candidate, quarter, 1)

    def remove(self, candidate: Candidate) -> None:
        quarter = self.chosen.pop(candidate.id)
        self._change(candidate, quarter, -1)

    def _change(self, candidate: Candidate, quarter: int, sign: int) -> None:
        for team, weeks in candidate.effort.items():
            if weeks > 0:
                self._used[team][quarter] += sign * weeks
                self._running[team][quarter] += sign
        self._kinds[quarter][candidate.kind] += sign * candidate.total_effort

    def used(self, team: str, quarter: int) -> float:
        return self._used[team][quarter]

    def running(self, team: str, quarter: int) -> int:
        return self._running[team][quarter]

    def kind_effort(self, kind: Kind, quarter: int) -> float:
        return self._kinds[quarter][kind]

    def base(self, quarter: int) -> float:
        """The quarter's split base: capacity after reserves and keep-the-lights-on work."""
        label = self.plan.quarters[quarter]
        return self.plan.split_base(label) - self._kinds[quarter][Kind.KEEP_THE_LIGHTS_ON]

    def fits(self, candidate: Candidate, quarter: int) -> bool:
        return not self.blockers(candidate, quarter)

    def blockers(self, candidate: Candidate, quarter: int) -> list[Reason]:
        """Every constraint that planning `candidate` into `quarter` (index) would break,
        given what is chosen now. Empty when it fits."""
        label = self.plan.quarters[quarter]
        reasons: list[Reason] = []
        for team_id, weeks in candidate.effort.items():
            if weeks <= 0:
                continue
            team = self.plan.team(team_id)
            left = team.available(label) - self._used[team_id][quarter]
            if _over(weeks, left):
                reasons.append(
                    Reason(
                        Binding.TEAM_FULL,
                        label,
                        team_id,
                        f"team {team_id} is full in {label}: needs {weeks:g} person-weeks, "
                        f"{max(left, 0.0):g} of {team.available(label):g} left",
                    )
                )
            limit = team.max_parallel
            if limit is not None and self._running[team_id][quarter] + 1 > limit:
                reasons.append(
                    Reason(
                        Binding.PARALLEL_LIMIT,
                        label,
                        team_id,
                        f"team {team_id} already runs its limit of {limit} initiatives in {label}",
                    )
                )
        reasons.extend(self._split_blockers(candidate, quarter))
        for required in candidate.requires:
            where = self.chosen.get(required)
            if where is None:
                reasons.append(
                    Reason(
                        Binding.NEEDS_DEFERRED,
                        None,
                        required,
                        f"depends on {required}, which is not in the plan",
                    )
                )
            elif where > quarter:
                reasons.append(
                    Reason(
                        Binding.NEEDS_LATER,
                        label,
                        required,
                        f"depends on {required}, planned only in {self.plan.quarters[where]}",
                    )
                )
        for group in self.plan.groups_of(candidate.id):
            for member in group.members:
                if member != candidate.id and member in self.chosen:
                    reasons.append(
                        Reason(
                            Binding.EXCLUDED,
                            None,
                            group.name,
                            f"excluded by {member}, chosen in alternatives {group.name}",
                        )
                    )
        return reasons

    def _split_blockers(self, candidate: Candidate, quarter: int) -> list[Reason]:
        label = self.plan.quarters[quarter]
        split = self.plan.splits.get(label)
        if split is None:
            return []
        kinds = dict(self._kinds[quarter])
        kinds[candidate.kind] += candidate.total_effort
        base = self.plan.split_base(label) - kinds[Kind.KEEP_THE_LIGHTS_ON]
        shrinks = candidate.kind == Kind.KEEP_THE_LIGHTS_ON
        reasons: list[Reason] = []
        for share in split.shares:
            if share.maximum < 100 and (shrinks or candidate.kind == share.kind):
                limit = share.maximum / 100 * base
                if _over(kinds[share.kind], limit):
                    reasons.append(
                        Reason(
                            Binding.SPLIT_MAXIMUM,
                            label,
                            share.kind,
                            f"{share.kind.label} would take {kinds[share.kind]:g} "
                            f"person-weeks in {label}, above their maximum of "
                            f"{share.maximum:g} % ({max(limit, 0.0):g})",
                        )
                    )
            if share.minimum > 0 and (shrinks or candidate.kind != share.kind):
                others = sum(
                    weeks
                    for kind, weeks in kinds.items()
                    if kind not in (share.kind, Kind.KEEP_THE_LIGHTS_ON)
                )
                limit = (100 - share.minimum) / 100 * base
                if _over(others, limit):
                    reasons.append(
                        Reason(
                            Binding.SPLIT_RESERVE,
                            label,
                            share.kind,
                            f"{share.minimum:g} % of {label} is reserved for "
                            f"{share.kind.label}: the other kinds would take {others:g} "
                            f"person-weeks, above the {max(limit, 0.0):g} left to them",
                        )
                    )
        return reasons
