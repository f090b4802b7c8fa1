"""Bottleneck signals of the decision system: the delegation hint and decision latency.

The handbook's quick test for a leader who has become the bottleneck: the same kind of
decision keeps coming back to the same approver. Such an area should be delegated
inside clear guardrails, and the hint says so with the numbers behind it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "DelegationHint",
    "LatencySummary",
    "delegation_hints",
    "interpolated_median",
    "latency_summary",
]


@dataclass(frozen=True, slots=True)
class DelegationHint:
    """One approver took most of one area's approvals within the window."""

    approver: str
    area: str
    count: int  # approvals of `area` by `approver` in the window
    total: int  # all approvals of `area` in the window
    window_days: int

    @property
    def share(self) -> float:
        return self.count / self.total

    def message(self, *, approver_label: str | None = None, area_label: str | None = None) -> str:
        """The hint in words; the labels replace the keys when the caller has names."""
        who = approver_label or self.approver
        what = area_label or self.area
        return (
            f"{who} approved {self.count} of the {self.total} {what} decisions of the last "
            f"{self.window_days} days. Consider handing {what} decisions to the people closest "
            "to the work, with guardrails that say what must still come back to you."
        )


def delegation_hints(
    approvals: Iterable[tuple[str, str, datetime]],
    *,
    window_days: int = 90,
    min_count: int = 5,
    min_share: float = 0.8,
    as_of: datetime | None = None,
) -> list[DelegationHint]:
    """Suggest delegating an area when one approver keeps approving it.

    `approvals` holds (approver, area, decided_at). Only approvals with
    `as_of - window_days <= decided_at <= as_of` count; `as_of` defaults to the latest
    approval given. A hint is given for an (approver, area) pair with at least
    `min_count` approvals that are at least `min_share` of the area's approvals in the
    window. Hints come most approvals first. Raises InvalidInput for settings outside
    their range.
    """
    if window_days < 1:
        raise InvalidInput("the delegation window must be at least one day")
    if min_count < 1:
        raise InvalidInput("the minimum number of approvals must be at least 1")
    if not 0 < min_share <= 1:
        raise InvalidInput("the minimum share of approvals must be above 0 and at most 1")
    rows = list(approvals)
    if not rows:
        return []
    end = as_of if as_of is not None else max(decided_at for _, _, decided_at in rows)
    start = end - timedelta(days=window_days)
    recent = [(approver, area) for approver, area, at in rows if start <= at <= end]
    per_area = Counter(area for _, area in recent)
    per_pair = Counter(recent)
    hints = [
        DelegationHint(approver, area, count, per_area[area], window_days)
        for (approver, area), count in per_pair.items()
        if count >= min_count and count / per_area[area] >= min_share
    ]
    return sorted(hints, key=lambda hint: (-hint.count, hint.area, hint.approver))


def interpolated_median(values: Sequence[float]) -> float | None:
    """The median of `values`, or None when there are none.

    "Interpolated" means that for an even count the result lies halfway between the two
    middle values (their mean), rather than being one of them; for an odd count it is
    the middle value. This is the ordinary statistical median (as DOMAIN.md section 8
    commits to), not the grouped-data median. NaN is refused with InvalidInput.
    """
    if any(math.isnan(value) for value in values):
        raise InvalidInput("a median cannot be taken over a missing (NaN) value")
    ordered = sorted(values)
    count = len(ordered)
    if count == 0:
        return None
    middle = count // 2
    if count % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True, slots=True)
class LatencySummary:
    """Median hours from proposed to decided, over `count` decisions; `excluded` counts
    pairs decided before they were proposed, which are left out."""

    median_hours: float | None
    count: int
    excluded: int = 0


def latency_summary(pairs: Iterable[tuple[datetime, datetime]]) -> LatencySummary:
    """Decision latency from (proposed_at, decided_at) pairs.

    A pair decided before it was proposed (clock or import error) is left out and
    counted in `excluded`; a decision taken the moment it was proposed counts as zero.
    """
    hours, excluded = [], 0
    for proposed_at, decided_at in pairs:
        elapsed = (decided_at - proposed_at).total_seconds() / 3600
        if elapsed < 0:
            excluded += 1
        else:
            hours.append(elapsed)
    return LatencySummary(interpolated_median(hours), len(hours), excluded)
