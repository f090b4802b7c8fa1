"""What an urgent candidate displaces ("if it's urgent, we decide what it displaces",
DOMAIN.md section 3): the difference between the plan before and the plan re-made with the
urgent candidate mandatory. `planning.displace` makes the second plan; this module only
compares the two.
"""

from __future__ import annotations

from dataclasses import dataclass

from quarterdeck.domain.planning_model import Kind
from quarterdeck.domain.planning_results import Deferred, Plan, Planned

__all__ = ["CapacityMove", "Displacement", "Rescheduled", "SplitChange", "difference"]

_NOISE = 1e-9  # person-weeks: sums of the same efforts added in another order


@dataclass(frozen=True, slots=True)
class Rescheduled:
    id: str
    before: str  # quarter
    after: str


@dataclass(frozen=True, slots=True)
class CapacityMove:
    """One team in one quarter, in person-weeks: its planned load before and after, what
    the urgent candidate takes there and what the displaced candidates had there."""

    team: str
    quarter: str
    before: float
    after: float
    to_urgent: float
    from_displaced: float

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class SplitChange:
    """One split kind in one quarter: planned effort and share (of planned split work)."""

    quarter: str
    kind: Kind
    effort_before: float
    effort_after: float
    share_before: float | None
    share_after: float | None


@dataclass(frozen=True, slots=True)
class Displacement:
    urgent: str
    quarter: str  # where the urgent candidate is planned
    before: Plan
    after: Plan
    displaced: tuple[Deferred, ...]  # planned before, deferred now, with the reasons
    brought_in: tuple[Planned, ...]  # planned now but not before, besides the urgent one
    rescheduled: tuple[Rescheduled, ...]  # others planned in both, in another quarter now
    urgent_was: str | None  # the urgent candidate's quarter before, if it was planned
    capacity: tuple[CapacityMove, ...]  # team-quarters whose load changed
    split: tuple[SplitChange, ...]  # quarter-kinds whose planned effort changed
    value_lost: float  # risk-adjusted value of the displaced candidates
    value_change: float  # total value after minus before


def difference(before: Plan, after: Plan, urgent: str) -> Displacement:
    """Compare two plans of the same input, `after` holding the urgent candidate."""
    was = {item.id: item for item in before.planned}
    now = {item.id: item for item in after.planned}
    displaced = tuple(d for d in after.deferred if d.id in was)
    gone = {d.id for d in displaced}
    moves: list[CapacityMove] = []
    for old in before.loads:
        new = after.load(old.team, old.quarter)
        to_urgent = (
            now[urgent].effort.get(old.team, 0.0) if now[urgent].quarter == old.quarter else 0.0
        )
        freed = sum(was[i].effort.get(old.team, 0.0) for i in gone if was[i].quarter == old.quarter)
        if abs(old.used - new.used) > _NOISE or to_urgent or freed:
            moves.append(CapacityMove(old.team, old.quarter, old.used, new.used, to_urgent, freed))
    changes = [
        SplitChange(old.quarter, old.kind, old.effort, new.effort, old.share, new.share)
        for old, new in zip(before.split, after.split, strict=True)
        if abs(old.effort - new.effort) > _NOISE
    ]
    return Displacement(
        urgent=urgent,
        quarter=now[urgent].quarter,
        before=before,
        after=after,
        displaced=displaced,
        brought_in=tuple(item for i, item in now.items() if i not in was and i != urgent),
        rescheduled=tuple(
            Rescheduled(i, was[i].quarter, item.quarter)
            for i, item in now.items()
            if i in was and i != urgent and was[i].quarter != item.quarter
        ),
        urgent_was=was[urgent].quarter if urgent in was else None,
        capacity=tuple(moves),
        split=tuple(changes),
        value_lost=sum(d.value for d in displaced),
        value_change=after.value - before.value,
    )
