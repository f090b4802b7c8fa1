"""What the scorecard pages show of a metric card, in words and charts: the latest value
against its target, the trend as an arrow with the change, the sparkline, and the counts
by status; and the catalog choices left to add."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.scorecard import (
    BandThresholds,
    CategoryInfo,
    KpiDefinition,
    Level,
    TrendDirection,
    Unit,
    format_value,
)
from quarterdeck.services.scorecard import MetricCard, ScorecardView, TrackedMetric
from quarterdeck.web.ui.charts import sparkline

__all__ = [
    "CardView",
    "Summary",
    "card_view",
    "catalog_choices",
    "category_names",
    "change_text",
    "counts",
    "summary",
    "target_text",
    "thresholds_text",
]

ARROWS = {"up": "↑", "down": "↓", "level": "→"}


@dataclass(frozen=True, slots=True)
class CardView:
    card: MetricCard
    value: str  # the latest value, or "—"
    target: str  # what it is judged against
    arrow: str
    change: str  # "+4 h", "" when there is no trend
    spark: Markup

    @property
    def metric(self) -> TrackedMetric:
        return self.card.metric

    @property
    def trend(self) -> TrendDirection:
        return self.card.trend.direction


def target_text(metric: TrackedMetric) -> str:
    """'target 24 h', 'band 85% to 110%', or 'no target set'."""
    unit, found = metric.definition.unit, metric.thresholds
    if found is None:
        return "no target set"
    if isinstance(found, BandThresholds):
        return f"band {format_value(found.low, unit)} to {format_value(found.high, unit)}"
    return f"target {format_value(found.target, unit)}"


def thresholds_text(metric: TrackedMetric) -> str:
    """Every line of the thresholds: 'target 24 h · warning 36 h · critical 48 h'."""
    unit, found = metric.definition.unit, metric.thresholds
    if found is None:
        return "none set"
    if isinstance(found, BandThresholds):
        parts = [target_text(metric)]
        if found.critical_low is not None:
            parts.append(f"critical low {format_value(found.critical_low, unit)}")
        if found.critical_high is not None:
            parts.append(f"critical high {format_value(found.critical_high, unit)}")
        return " · ".join(parts)
    return (
        f"target {format_value(found.target, unit)} · warning {format_value(found.warning, unit)}"
        f" · critical {format_value(found.critical, unit)}"
    )


def change_text(change: Decimal | None, unit: Unit, *, like: Decimal | None = None) -> str:
    """A signed change in the metric's unit, to the precision of the value it is `like`
    (at least one decimal: a mean of three periods rarely comes out round); a percentage
    moves in points."""
    if change is None:
        return ""
    exponent = like.as_tuple().exponent if like is not None else -1
    places = max(1, -exponent) if isinstance(exponent, int) else 1
    rounded = abs(change).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "+" if change > 0 else "\N{MINUS SIGN}" if change < 0 else "±"
    if unit is Unit.PERCENT:
        return f"{sign}{format_value(rounded, None)} pts"
    return f"{sign}{format_value(rounded, unit)}"


def card_view(card: MetricCard) -> CardView:
    unit = card.metric.definition.unit
    change = card.trend.change
    if change is None:
        arrow = ""
    else:
        arrow = ARROWS["up" if change > 0 else "down" if change < 0 else "level"]
    return CardView(
        card=card,
        value="—" if card.latest is None else format_value(card.latest.value, unit),
        target=target_text(card.metric),
        arrow=arrow,
        change=change_text(change, unit, like=card.trend.latest),
        spark=sparkline(card.series, label=card.metric.definition.name, unit=unit),
    )


def counts(cards: Iterable[MetricCard]) -> dict[str, int]:
    """How many cards are at each status, every status listed (green, amber, red, unknown)."""
    found = dict.fromkeys((level.value for level in Level), 0)
    for card in cards:
        found[card.status.level.value] += 1
    return found


@dataclass(frozen=True, slots=True)
class Summary:
    """The scorecard in one line for the dashboard."""

    counts: dict[str, int]
    total: int
    stale: int


def summary(view: ScorecardView) -> Summary:
    cards = view.cards
    return Summary(counts(cards), len(cards), sum(1 for card in cards if card.status.stale))


def category_names() -> dict[str, str]:
    return {info.category.value: info.name for info in kpi_catalog().categories}


def catalog_choices(
    tracked: Iterable[str],
) -> list[tuple[CategoryInfo, tuple[KpiDefinition, ...]]]:
    """The catalog's metrics not yet on the scorecard, by category in catalog order."""
    present = set(tracked)
    catalog = kpi_catalog()
    groups = []
    for info in catalog.categories:
        left = tuple(k for k in catalog.in_category(info.category) if k.key not in present)
        if left:
            groups.append((info, left))
    return groups
