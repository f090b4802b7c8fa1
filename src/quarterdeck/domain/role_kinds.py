"""The kinds of technology leader (and the neighbouring roles they are compared with):
what each focuses on and owns, how its success is measured, how it is typically engaged
and paid, the warning signs around it and the playbooks that apply to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "CompensationBasis",
    "CompensationBenchmark",
    "Engagement",
    "EngagementMode",
    "RoleKind",
    "Span",
]


class EngagementMode(StrEnum):
    """How a leader of a kind is typically engaged."""

    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    FRACTIONAL = "fractional"
    INTERIM = "interim"


class CompensationBasis(StrEnum):
    """What period or unit a compensation figure is paid for."""

    YEARLY = "yearly"
    HOURLY = "hourly"
    DAILY = "daily"
    MONTHLY_RETAINER = "monthly-retainer"


@dataclass(frozen=True, slots=True)
class Span:
    """An inclusive range of whole numbers (hours per week, months), low <= high."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low < 0:
            raise InvalidInput(f"low {self.low} is negative")
        if self.low > self.high:
            raise InvalidInput(f"low {self.low} is above high {self.high}")


@dataclass(frozen=True, slots=True)
class Engagement:
    """The typical engagement of a kind. A part-time engagement states its hours per week
    and an interim one its duration in months; a full-time one states neither."""

    mode: EngagementMode
    hours_per_week: Span | None = None
    months: Span | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.mode is EngagementMode.PART_TIME and self.hours_per_week is None:
            raise InvalidInput("a part-time engagement states its hours per week")
        if self.mode is EngagementMode.INTERIM and self.months is None:
            raise InvalidInput("an interim engagement states its duration in months")
        if self.mode is EngagementMode.FULL_TIME and (self.hours_per_week or self.months):
            raise InvalidInput("a full-time engagement states neither hours nor months")
        if self.hours_per_week is not None and self.hours_per_week.high > 7 * 24:
            raise InvalidInput(f"{self.hours_per_week.high} hours exceed a week")


@dataclass(frozen=True, slots=True)
class CompensationBenchmark:
    """One dated market figure for a kind, in whole units of `currency`.

    It carries a range (low and/or high), a central figure (average and/or median), or
    both; a central figure lies inside the range. `as_of` is the first day of the month
    the source dates the figure to, or None when the source gives no date.
    """

    region: str
    basis: CompensationBasis
    currency: str
    source: str
    as_of: date | None
    low: int | None = None
    high: int | None = None
    average: int | None = None
    median: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        figures = (self.low, self.high, self.average, self.median)
        if all(figure is None for figure in figures):
            raise InvalidInput("a benchmark needs low/high, an average or a median")
        if any(figure is not None and figure <= 0 for figure in figures):
            raise InvalidInput("benchmark figures are positive amounts")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise InvalidInput(f"low {self.low} is above high {self.high}")
        for label, central in (("average", self.average), ("median", self.median)):
            if central is None:
                continue
            if (self.low is not None and central < self.low) or (
                self.high is not None and central > self.high
            ):
                raise InvalidInput(f"{label} {central} lies outside low..high")
        if self.as_of is not None and self.as_of.day != 1:
            raise InvalidInput("as_of is a month: the first day of it")


@dataclass(frozen=True, slots=True)
class RoleKind:
    """One kind of technology leader, or a neighbouring role (`neighbour`) shown beside
    them for comparison. `success_measures` are KPI catalog keys, `playbooks` playbook
    keys; both in the order the catalog gives them."""

    key: str
    name: str
    focus: str
    neighbour: bool
    owns: tuple[str, ...]
    co_owns: tuple[str, ...]
    influences: tuple[str, ...]
    success_measures: tuple[str, ...]
    engagement: Engagement
    compensation: tuple[CompensationBenchmark, ...]
    red_flags: tuple[str, ...]
    playbooks: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.owns:
            raise InvalidInput("a kind owns something")
        if not self.success_measures:
            raise InvalidInput("a kind names at least one success measure")
        for label, items in (
            ("success_measures", self.success_measures),
            ("playbooks", self.playbooks),
        ):
            repeated = sorted({item for item in items if items.count(item) > 1})
            if repeated:
                raise InvalidInput(f"{label}: {', '.join(repeated)} listed more than once")
        shared = set(self.owns) & (set(self.co_owns) | set(self.influences))
        shared |= set(self.co_owns) & set(self.influences)
        if shared:
            raise InvalidInput(
                f"{', '.join(sorted(shared))} sits in more than one of owns/co_owns/influences"
            )
