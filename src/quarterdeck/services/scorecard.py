"""A workspace's scorecard: which metrics it tracks (from the catalog or its own), their
owners, thresholds and review cadence, the measurements behind them, and the cards that
judge each one (status with its reason, trend, staleness).

When one period of a metric has values from several sources, a person's entry wins over an
imported file, which wins over a computation: people correct what machines count.

This module reads the scorecard; choosing and configuring metrics lives in
`scorecard_setup` (thresholds as typed and stored in `scorecard_thresholds`), recording and
importing values in `measurements`. Every name of those is importable from here as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.scorecard import Category, Status, Trend, status, trend
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services.access import authorize
from quarterdeck.services.measurements import (
    MANUAL,
    ImportRefused,
    Measurement,
    MeasurementImport,
    import_measurements,
    measurement_of,
    record,
)
from quarterdeck.services.scorecard_setup import (
    TrackedMetric,
    add_custom_metric,
    add_metric,
    category_owners,
    configure,
    remove_metric,
    set_category_owner,
    start_from_set,
    tracked_metric,
    tracked_metrics,
)
from quarterdeck.services.scorecard_thresholds import parse_amount, parse_thresholds
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories.scorecard import StoredMeasurement

__all__ = [
    "MANUAL",
    "ImportRefused",
    "Measurement",
    "MeasurementImport",
    "MetricCard",
    "MetricDetail",
    "ScorecardView",
    "TrackedMetric",
    "add_custom_metric",
    "add_metric",
    "category_owners",
    "configure",
    "detail",
    "import_measurements",
    "parse_amount",
    "parse_thresholds",
    "record",
    "remove_metric",
    "set_category_owner",
    "show",
    "start_from_set",
]

SPARKLINE_PERIODS = 12


@dataclass(frozen=True, slots=True)
class MetricCard:
    metric: TrackedMetric
    latest: Measurement | None
    status: Status
    trend: Trend
    series: tuple[tuple[date, Decimal], ...]  # one value per period, oldest first


@dataclass(frozen=True, slots=True)
class ScorecardView:
    workspace: Workspace
    categories: tuple[tuple[Category, str, tuple[MetricCard, ...]], ...]  # (category, owner, cards)
    settings_version: int  # of the category owners (and delivery choices): edit against it

    @property
    def cards(self) -> tuple[MetricCard, ...]:
        return tuple(card for _, _, cards in self.categories for card in cards)


@dataclass(frozen=True, slots=True)
class MetricDetail:
    card: MetricCard
    measurements: tuple[Measurement, ...]  # every stored value, newest period first


# -- reading -------------------------------------------------------------------------------


def show(uow: UnitOfWork, *, actor: Actor, workspace: str) -> ScorecardView:
    """Every tracked metric as a card, grouped by category in catalog order."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    metrics = tracked_metrics(uow, ws)
    by_key = _by_metric(uow.scorecard.measurements(ws.id, [m.key for m in metrics]))
    settings = uow.scorecard.settings(ws.id)
    owners = settings.category_owners
    now = uow.now()
    groups = []
    for category in Category:
        cards = tuple(
            _card(m, by_key.get(m.key, []), now)
            for m in metrics
            if m.definition.category is category
        )
        if cards:
            groups.append((category, owners.get(category.value, ""), cards))
    return ScorecardView(ws, tuple(groups), settings.version)


def detail(uow: UnitOfWork, *, actor: Actor, workspace: str, key: str) -> MetricDetail:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    metric = tracked_metric(uow, ws, key)
    stored = [measurement_of(m) for m in uow.scorecard.measurements(ws.id, [key])]
    card = _card(metric, stored, uow.now())
    newest_first = tuple(sorted(stored, key=lambda m: (m.period_end, m.recorded_at), reverse=True))
    return MetricDetail(card, newest_first)


def _by_metric(rows: Sequence[StoredMeasurement]) -> dict[str, list[Measurement]]:
    found: dict[str, list[Measurement]] = {}
    for row in rows:
        found.setdefault(row.metric_key, []).append(measurement_of(row))
    return found


def _rank(source: str) -> int:
    if source == MANUAL:
        return 0
    return 2 if source.startswith("computed:") else 1


def _series(measurements: Sequence[Measurement]) -> list[Measurement]:
    """One value per period (the most trusted source's), oldest period first."""
    chosen: dict[date, Measurement] = {}
    for m in measurements:
        held = chosen.get(m.period_end)
        if held is None or (_rank(m.source), -m.recorded_at.timestamp()) < (
            _rank(held.source),
            -held.recorded_at.timestamp(),
        ):
            chosen[m.period_end] = m
    return [chosen[day] for day in sorted(chosen)]


def _card(metric: TrackedMetric, measurements: Sequence[Measurement], now: datetime) -> MetricCard:
    series = _series(measurements)
    latest = series[-1] if series else None
    judged = status(
        metric.definition,
        metric.thresholds,
        None if latest is None else latest.value,
        measured_at=None if latest is None else latest.period_end,
        now=now,
        cadence=metric.cadence,
    )
    points = tuple((m.period_end, m.value) for m in series)
    moved = trend(metric.definition, points, thresholds=metric.thresholds)
    return MetricCard(metric, latest, judged, moved, points[-SPARKLINE_PERIODS:])
