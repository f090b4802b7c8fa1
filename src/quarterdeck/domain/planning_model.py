"""What a capacity plan is chosen from (DOMAIN.md sections 3 and 5): candidate initiatives,
teams with their capacity per quarter, the target capacity split, and the alternatives of
which at most one may run. Constructing a `PlanInput` validates all of it; every message
names the candidate, team, quarter or field at fault.

Modelling choices:

- Effort and capacity are in person-weeks. A candidate states its effort per team for the
  quarter it runs in; an initiative is planned into one quarter (larger work is entered as
  several candidates chained by `requires`).
- A team's capacity is stated for every quarter of the plan (after leave and hiring, as the
  capacity model computes it). Its keep-the-lights-on reserve is taken off first: what is
  left is the capacity initiatives can be planned into.
- Value is a number in the workspace's value unit (a score or money), never negative.
  `success` is the probability that the initiative delivers that value; the risk-adjusted
  value the plan maximises is `value * success`. The safest candidate has the highest
  `success`.
- `requires`: a candidate may be planned only if each candidate it requires is planned in
  the same or an earlier quarter. Cycles are refused.
- `mandatory`: the candidate must be in the plan. `quarter` pins a candidate to one quarter.
- Exclusive groups: at most one member of a group is planned, over all quarters.
- `Team.max_parallel`: at most that many planned initiatives with effort on the team in one
  quarter.
- The capacity split is per quarter, over all teams, for the three split kinds (product
  bets, platform investment, risk reduction). Its base is the quarter's capacity after the
  teams' reserves and after the keep-the-lights-on candidates planned in that quarter.
  A share's maximum caps the kind at that percentage of the base. A share's minimum reserves
  that percentage of the base for the kind: the other kinds together stay within the rest.
  A reserve the kind cannot fill is left free rather than making the plan impossible; the
  planned share is reported against the target. A kind the split does not name has target
  0, minimum 0 and maximum 100. A quarter without a split has no split constraint.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "SPLIT_KINDS",
    "Candidate",
    "ExclusiveGroup",
    "Kind",
    "PlanInput",
    "Share",
    "Split",
    "Team",
    "refuse_cycles",
]


class Kind(StrEnum):
    """The four kinds of work one intake holds."""

    PRODUCT_BET = "product-bet"
    PLATFORM_INVESTMENT = "platform-investment"
    RISK_REDUCTION = "risk-reduction"
    KEEP_THE_LIGHTS_ON = "keep-the-lights-on"

    @property
    def label(self) -> str:
        """The kind in a sentence: "product bets", "risk reduction"."""
        return _LABELS[self]


_LABELS = {
    Kind.PRODUCT_BET: "product bets",
    Kind.PLATFORM_INVESTMENT: "platform investment",
    Kind.RISK_REDUCTION: "risk reduction",
    Kind.KEEP_THE_LIGHTS_ON: "keep-the-lights-on work",
}


SPLIT_KINDS: tuple[Kind, ...] = (Kind.PRODUCT_BET, Kind.PLATFORM_INVESTMENT, Kind.RISK_REDUCTION)


def _number(value: float, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{where} must be a finite number, not {value!r}")
    return float(value)


def _not_negative(value: float, where: str) -> float:
    number = _number(value, where)
    if number < 0:
        raise InvalidInput(f"{where} must not be negative ({value:g})")
    return number


@dataclass(frozen=True, slots=True)
class Candidate:
    """One initiative the plan may take. `effort` maps team id to person-weeks."""

    id: str
    kind: Kind
    value: float
    effort: Mapping[str, float]
    success: float = 1.0
    requires: tuple[str, ...] = ()
    mandatory: bool = False
    quarter: str | None = None

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidInput("candidate id must not be empty")
        where = f"candidate {self.id!r}"
        if self.kind not in set(Kind):
            raise InvalidInput(f"{where}: kind {self.kind!r} is not one of {', '.join(Kind)}")
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "value", _not_negative(self.value, f"{where}: value"))
        success = _number(self.success, f"{where}: success")
        if not 0 <= success <= 1:
            raise InvalidInput(f"{where}: success is a probability from 0 to 1, not {success:g}")
        object.__setattr__(self, "success", success)
        effort = {
            team: _not_negative(weeks, f"{where}: effort for team {team!r}")
            for team, weeks in self.effort.items()
        }
        if len(set(self.requires)) != len(self.requires):
            raise InvalidInput(f"{where}: requires names a candidate twice")
        object.__setattr__(self, "effort", MappingProxyType(effort))
        object.__setattr__(self, "requires", tuple(self.requires))

    @property
    def risk_adjusted_value(self) -> float:
        return self.value * self.success

    @property
    def total_effort(self) -> float:
        return sum(self.effort.values())

    def teams(self) -> tuple[str, ...]:
        """The teams this candidate puts work on (effort above zero)."""
        return tuple(team for team, weeks in self.effort.items() if weeks > 0)


@dataclass(frozen=True, slots=True)
class Team:
    """A team's capacity and keep-the-lights-on reserve per quarter label, in person-weeks."""

    id: str
    capacity: Mapping[str, float]
    keep_the_lights_on: Mapping[str, float] = field(default_factory=dict)
    max_parallel: int | None = None

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidInput("team id must not be empty")
        capacity = {
            quarter: _not_negative(weeks, f"team {self.id!r}: capacity in {quarter}")
            for quarter, weeks in self.capacity.items()
        }
        reserve = {
            quarter: _not_negative(
                weeks, f"team {self.id!r}: keep-the-lights-on reserve in {quarter}"
            )
            for quarter, weeks in self.keep_the_lights_on.items()
        }
        for quarter, weeks in reserve.items():
            if weeks > capacity.get(quarter, 0.0):
                raise InvalidInput(
                    f"team {self.id!r}: keep-the-lights-on reserve in {quarter} ({weeks:g}) "
                    f"exceeds its capacity ({self.capacity.get(quarter, 0.0):g})"
                )
        if self.max_parallel is not None and (
            isinstance(self.max_parallel, bool)
            or not isinstance(self.max_parallel, int)
            or self.max_parallel < 0
        ):
            raise InvalidInput(f"team {self.id!r}: max_parallel must be a whole number >= 0")
        object.__setattr__(self, "capacity", MappingProxyType(capacity))
        object.__setattr__(self, "keep_the_lights_on", MappingProxyType(reserve))

    def available(self, quarter: str) -> float:
        """Capacity left for initiatives in `quarter` once the reserve is taken off."""
        return self.capacity.get(quarter, 0.0) - self.keep_the_lights_on.get(quarter, 0.0)


@dataclass(frozen=True, slots=True)
class Share:
    """One kind's part of a split, in percent of the quarter's split base."""

    kind: Kind
    target: float
    minimum: float = 0.0
    maximum: float = 100.0


@dataclass(frozen=True, slots=True)
class Split:
    """A target capacity split: targets sum to 100 %, each inside its own bounds."""

    shares: tuple[Share, ...]

    def __post_init__(self) -> None:
        seen: set[Kind] = set()
        for share in self.shares:
            where = f"split share {share.kind!s}"
            if share.kind not in SPLIT_KINDS:
                raise InvalidInput(
                    f"{where}: only {', '.join(map(str, SPLIT_KINDS))} take part in a split; "
                    "keep-the-lights-on is reserved before it"
                )
            if share.kind in seen:
                raise InvalidInput(f"{where}: the kind appears twice")
            seen.add(share.kind)
            for name in ("target", "minimum", "maximum"):
                value = _number(getattr(share, name), f"{where}: {name}")
                if not 0 <= value <= 100:
                    raise InvalidInput(f"{where}: {name} must be from 0 to 100 %, not {value:g}")
            if share.minimum > share.maximum:
                raise InvalidInput(
                    f"{where}: minimum {share.minimum:g} % is above maximum {share.maximum:g} %"
                )
            if not share.minimum <= share.target <= share.maximum:
                raise InvalidInput(
                    f"{where}: target {share.target:g} % is outside its bounds "
                    f"{share.minimum:g}-{share.maximum:g} %"
                )
        total = sum(share.target for share in self.shares)
        if abs(total - 100) > 1e-6:
            raise InvalidInput(f"split: targets sum to {total:g} %, not 100 %")
        if sum(share.minimum for share in self.shares) > 100 + 1e-6:
            raise InvalidInput("split: minimums sum to more than 100 %")
        object.__setattr__(self, "shares", tuple(self.shares))

    def share(self, kind: Kind) -> Share:
        """The share of `kind`; a kind the split does not name is unbounded with target 0."""
        for share in self.shares:
            if share.kind == kind:
                return share
        return Share(kind, 0.0)


@dataclass(frozen=True, slots=True)
class ExclusiveGroup:
    """Alternatives: at most one member is planned."""

    name: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanInput:
    """Everything one selection runs on. Quarters are labels in planning order."""

    quarters: tuple[str, ...]
    teams: tuple[Team, ...]
    candidates: tuple[Candidate, ...]
    splits: Mapping[str, Split] = field(default_factory=dict)
    exclusive: tuple[ExclusiveGroup, ...] = ()
    _by_id: Mapping[str, Candidate] = field(init=False, repr=False, compare=False)
    _teams: Mapping[str, Team] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("quarters", "teams", "candidates", "exclusive"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "splits", MappingProxyType(dict(self.splits)))
        object.__setattr__(self, "_by_id", _unique("candidate", self.candidates))
        object.__setattr__(self, "_teams", _unique("team", self.teams))
        _check(self)
        refuse_cycles({candidate.id: candidate.requires for candidate in self.candidates})

    def candidate(self, candidate_id: str) -> Candidate:
        return self._by_id[candidate_id]

    def team(self, team_id: str) -> Team:
        return self._teams[team_id]

    def has(self, candidate_id: str) -> bool:
        return candidate_id in self._by_id

    def allowed_quarters(self, candidate: Candidate) -> tuple[int, ...]:
        """Indexes of the quarters `candidate` may be planned into."""
        if candidate.quarter is None:
            return tuple(range(len(self.quarters)))
        return (self.quarters.index(candidate.quarter),)

    def groups_of(self, candidate_id: str) -> tuple[ExclusiveGroup, ...]:
        return tuple(group for group in self.exclusive if candidate_id in group.members)

    def split_base(self, quarter: str) -> float:
        """Capacity of all teams in `quarter` after their reserves, before any candidate."""
        return sum(team.available(quarter) for team in self.teams)


_Identified = TypeVar("_Identified", Candidate, Team)


def _unique(what: str, items: tuple[_Identified, ...]) -> dict[str, _Identified]:
    found: dict[str, _Identified] = {}
    for item in items:
        if item.id in found:
            raise InvalidInput(f"{what} id {item.id!r} appears twice")
        found[item.id] = item
    return found


def _check(plan: PlanInput) -> None:
    if not plan.quarters:
        raise InvalidInput("a plan needs at least one quarter")
    if len(set(plan.quarters)) != len(plan.quarters):
        raise InvalidInput("quarters: a quarter appears twice")
    quarters = set(plan.quarters)
    for team in plan.teams:
        for quarter in plan.quarters:
            if quarter not in team.capacity:
                raise InvalidInput(f"team {team.id!r}: no capacity given for {quarter}")
        for quarter in [*team.capacity, *team.keep_the_lights_on]:
            if quarter not in quarters:
                raise InvalidInput(f"team {team.id!r}: {quarter} is not a quarter of the plan")
    for quarter in plan.splits:
        if quarter not in quarters:
            raise InvalidInput(f"split for {quarter}: not a quarter of the plan")
    for candidate in plan.candidates:
        where = f"candidate {candidate.id!r}"
        for team_id in candidate.effort:
            if team_id not in plan._teams:
                raise InvalidInput(f"{where}: effort for unknown team {team_id!r}")
        for required in candidate.requires:
            if required not in plan._by_id:
                raise InvalidInput(f"{where}: requires unknown candidate {required!r}")
        if candidate.quarter is not None and candidate.quarter not in quarters:
            raise InvalidInput(f"{where}: quarter {candidate.quarter} is not a quarter of the plan")
    names: set[str] = set()
    for group in plan.exclusive:
        if group.name in names:
            raise InvalidInput(f"exclusive group {group.name!r} appears twice")
        names.add(group.name)
        if len(set(group.members)) != len(group.members):
            raise InvalidInput(f"exclusive group {group.name!r}: a member appears twice")
        for member in group.members:
            if member not in plan._by_id:
                raise InvalidInput(f"exclusive group {group.name!r}: unknown candidate {member!r}")


def refuse_cycles(requires: Mapping[str, tuple[str, ...]]) -> None:
    """Raise InvalidInput naming the first dependency cycle found, in dependency order.
    `requires` maps each id to the ids it requires; ids it does not list require nothing."""
    done: set[str] = set()
    for start in sorted(requires):
        if start in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, position = stack.pop()
            if position == 0:
                path.append(node)
                on_path.add(node)
            needed = requires.get(node, ())
            if position < len(needed):
                stack.append((node, position + 1))
                nxt = needed[position]
                if nxt in on_path:
                    cycle = [*path[path.index(nxt) :], nxt]
                    raise InvalidInput(f"dependency cycle: {' requires '.join(cycle)}")
                if nxt not in done:
                    stack.append((nxt, 0))
            else:
                path.pop()
                on_path.discard(node)
                done.add(node)
