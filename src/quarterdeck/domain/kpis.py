"""What a KPI is: the vocabulary of the catalog (categories, directions, units, sources,
ready-made sets, review cadences) and the definition of one metric. The rules that judge a
metric's value (status, staleness, trend) live in `scorecard`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "COMPUTATIONS",
    "QUICK_STARTER_SIZE",
    "Cadence",
    "Category",
    "CategoryInfo",
    "Direction",
    "KpiDefinition",
    "KpiSet",
    "KpiSetInfo",
    "Source",
    "Unit",
]

# Every computation a computed catalog entry may name; the metric rules implement them.
COMPUTATIONS: tuple[str, ...] = (
    "delivery.deployment-frequency",
    "delivery.lead-time",
    "delivery.change-failure-rate",
    "delivery.time-to-restore",
    "delivery.mtta",
    "delivery.incident-count",
    "delivery.change-linked-incidents",
    "scans.time-to-patch-critical",
    "scans.open-critical-high",
    "tickets.sla-compliance",
    "tickets.mtta",
    "tickets.mttr",
    "tickets.backlog-size",
    "tickets.backlog-age",
    "tickets.first-contact-resolution",
    "tickets.csat",
    "costs.cost-per-customer",
    "costs.cost-per-transaction",
    "costs.forecast-variance",
)
QUICK_STARTER_SIZE = (8, 10)  # "pick 8-10 metrics" (DOMAIN.md section 3), both ends included


class Category(StrEnum):
    """What a metric is about. Service-desk measures form `it-service`; the measures of a
    leadership engagement itself (stakeholders, team, projects) form `leadership`."""

    PRODUCT = "product"
    DELIVERY = "delivery"
    RELIABILITY = "reliability"
    SECURITY = "security"
    COST = "cost"
    IT_SERVICE = "it-service"
    LEADERSHIP = "leadership"


class Direction(StrEnum):
    HIGHER = "higher-is-better"
    LOWER = "lower-is-better"
    TARGET_BAND = "target-band"


class Unit(StrEnum):
    PERCENT = "percent"  # 0-100
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    COUNT = "count"
    PER_WEEK = "per-week"
    PER_MONTH = "per-month"
    CURRENCY = "currency"  # the workspace's currency
    SCORE = "score"  # on the scale the metric's text names (1-5, -100..100 ...)


class Source(StrEnum):
    MANUAL = "manual"
    COMPUTED = "computed"


class KpiSet(StrEnum):
    """Ready-made selections from the catalog to start a scorecard with."""

    QUICK_STARTER = "quick-starter"
    IT_SERVICE = "it-service"


class Cadence(StrEnum):
    """How often a metric is reviewed and so expected to be updated."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"

    @property
    def days(self) -> int:
        return {"weekly": 7, "biweekly": 14, "monthly": 31}[self.value]

    @property
    def grace_days(self) -> int:
        return {"weekly": 1, "biweekly": 2, "monthly": 3}[self.value]

    @property
    def allowed_age(self) -> timedelta:
        """How old the last measurement may be before the metric is stale."""
        return timedelta(days=self.days + self.grace_days)


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    """One metric of the catalog: how it is measured, and how a leader should read it."""

    key: str
    name: str
    category: Category
    unit: Unit
    direction: Direction
    source: Source
    computed_by: str | None
    meaning: str  # what it tells a leader
    reading: str  # how to read it
    trap: str  # a common way to misread or game it
    review: Cadence
    sets: frozenset[KpiSet] = frozenset()

    def __post_init__(self) -> None:
        if self.source is Source.COMPUTED and self.computed_by is None:
            raise InvalidInput(f"metric {self.key!r} is computed but names no computation")
        if self.source is Source.MANUAL and self.computed_by is not None:
            raise InvalidInput(f"metric {self.key!r} is entered by hand but names a computation")
        if self.computed_by is not None and self.computed_by not in COMPUTATIONS:
            raise InvalidInput(
                f"metric {self.key!r} names an unknown computation {self.computed_by!r}"
            )


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    category: Category
    name: str
    description: str
    review: Cadence  # the default review cadence of its metrics


@dataclass(frozen=True, slots=True)
class KpiSetInfo:
    kpi_set: KpiSet
    name: str
    description: str
