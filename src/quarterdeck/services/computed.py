"""Computed measurements: the scorecard's values worked out from engineering records.

For every tracked metric whose catalog entry names a computation, the value is computed for
each of the last PERIODS complete review periods of the metric's cadence, in the
workspace's time zone: weeks end on Sunday; fortnights are pairs of such weeks counted from
Monday 2024-01-01; months are calendar months. The period still running is left out (half
a week of deployments is not a weekly rate). Values are stored with the source
`computed:<computation>` and replaced whole on every recompute, so they always follow the
records and the workspace's choices. A period with nothing to compute from gets no value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from zoneinfo import ZoneInfo

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.costs import CostMetrics, measure_costs
from quarterdeck.domain.delivery import DeliveryMetrics, delivery_metrics
from quarterdeck.domain.engineering import CostLine, Severity, Ticket
from quarterdeck.domain.findings import (
    ImportedScan,
    TrackedFinding,
    open_counts,
    time_to_patch,
    track,
)
from quarterdeck.domain.scorecard import Cadence
from quarterdeck.domain.service_desk import ServiceDeskMetrics, measure_service_desk
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import delivery
from quarterdeck.storage import UnitOfWork

__all__ = ["PERIODS", "Window", "periods", "recompute"]

PERIODS = 12
_FORTNIGHT_EPOCH = date(2024, 1, 1)  # a Monday


@dataclass(frozen=True, slots=True)
class Window:
    """One review period: local dates [first, last] and the UTC instants [start, end)."""

    first: date
    last: date  # the period's end: what its measurement is dated
    start: datetime
    end: datetime


def periods(cadence: Cadence, today: date, zone: str, count: int = PERIODS) -> list[Window]:
    """The last `count` complete periods before `today`, oldest first."""
    tz = ZoneInfo(zone)
    spans: list[tuple[date, date]] = []
    if cadence is Cadence.MONTHLY:
        last = today.replace(day=1) - timedelta(days=1)
        for _ in range(count):
            first = last.replace(day=1)
            spans.append((first, last))
            last = first - timedelta(days=1)
    else:
        length = 7 if cadence is Cadence.WEEKLY else 14
        last = today - timedelta(days=today.weekday() + 1)  # the Sunday before today
        if length == 14:
            days_since = (last - _FORTNIGHT_EPOCH).days + 1
            last -= timedelta(days=days_since % 14)
        for _ in range(count):
            first = last - timedelta(days=length - 1)
            spans.append((first, last))
            last = first - timedelta(days=1)

    def instant(day: date) -> datetime:
        return datetime.combine(day, time(0), tz).astimezone(UTC)

    return [
        Window(first, last, instant(first), instant(last + timedelta(days=1)))
        for first, last in reversed(spans)
    ]


class _Records:
    """The workspace's records, each loaded at most once per recompute."""

    def __init__(self, uow: UnitOfWork, workspace: Workspace) -> None:
        self._uow = uow
        self._workspace = workspace
        self._delivery: dict[Window, DeliveryMetrics] = {}
        self._desk: dict[Window, ServiceDeskMetrics] = {}
        self._costs: dict[Window, CostMetrics] = {}

    @cached_property
    def delivery(self) -> delivery.Loaded:
        return delivery.load(self._uow, self._workspace)

    @cached_property
    def findings(self) -> list[TrackedFinding]:
        stored = self._uow.engineering.scans(self._workspace.id)
        return track(ImportedScan(s.report, s.scanned_at) for s in stored)

    @cached_property
    def tickets(self) -> list[Ticket]:
        return self._uow.engineering.tickets(self._workspace.id)

    @cached_property
    def cost_lines(self) -> list[CostLine]:
        return self._uow.engineering.cost_lines(self._workspace.id)

    def metrics(self, window: Window) -> DeliveryMetrics:
        if window not in self._delivery:
            loaded = self.delivery
            self._delivery[window] = delivery_metrics(
                loaded.history, loaded.links, start=window.start, end=window.end
            )
        return self._delivery[window]

    def service_desk(self, window: Window) -> ServiceDeskMetrics:
        if window not in self._desk:
            self._desk[window] = measure_service_desk(
                self.tickets, start=window.start, end=window.end
            )
        return self._desk[window]

    def costs(self, window: Window) -> CostMetrics:
        """The months the window touches (a month's costs are known as a whole)."""
        if window not in self._costs:
            self._costs[window] = measure_costs(
                self.cost_lines, first=window.first.replace(day=1), last=window.last.replace(day=1)
            )
        return self._costs[window]


def _number(value: float | int | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    return round(Decimal(str(value)), places)


def _frequency(records: _Records, window: Window) -> Decimal | None:
    found = records.metrics(window).frequency
    return _number(found.per_week)


def _lead_time(records: _Records, window: Window) -> Decimal | None:
    return _number(records.metrics(window).lead_time.median_hours)


def _failure_rate(records: _Records, window: Window) -> Decimal | None:
    rate = records.metrics(window).change_failure_rate.rate
    return None if rate is None else _number(rate * 100, 1)


def _restore(records: _Records, window: Window) -> Decimal | None:
    return _number(records.metrics(window).time_to_restore.median_hours)


def _acknowledge(records: _Records, window: Window) -> Decimal | None:
    hours = records.metrics(window).time_to_acknowledge.median_hours
    return None if hours is None else _number(hours * 60, 1)  # the catalog counts minutes


def _started_in(link_started: datetime, window: Window) -> bool:
    return window.start <= link_started < window.end


def _incident_count(records: _Records, window: Window) -> Decimal | None:
    links = records.delivery.links
    return Decimal(sum(1 for link in links if _started_in(link.incident.started_at, window)))


def _change_linked(records: _Records, window: Window) -> Decimal | None:
    links = records.delivery.links
    return Decimal(
        sum(1 for link in links if link.linked and _started_in(link.incident.started_at, window))
    )


def _time_to_patch(records: _Records, window: Window) -> Decimal | None:
    if not records.findings:
        return None
    found = time_to_patch(records.findings, since=window.start, until=window.end)
    return _number(found[Severity.CRITICAL].median_days, 1)


def _open_critical_high(records: _Records, window: Window) -> Decimal | None:
    if not records.findings:
        return None
    counts = open_counts(records.findings, as_of=window.end)
    return Decimal(counts[Severity.CRITICAL] + counts[Severity.HIGH])


def _ticket_figure(name: str) -> Callable[[_Records, Window], Decimal | None]:
    def compute(records: _Records, window: Window) -> Decimal | None:
        if not records.tickets:
            return None
        value = records.service_desk(window).by_computation()[name].value
        return None if value is None else round(value, 2)

    return compute


def _cost_figure(name: str) -> Callable[[_Records, Window], Decimal | None]:
    def compute(records: _Records, window: Window) -> Decimal | None:
        if not records.cost_lines:
            return None
        value = records.costs(window).by_computation()[name].value
        return None if value is None else round(value, 2)

    return compute


COMPUTE: dict[str, Callable[[_Records, Window], Decimal | None]] = {
    "delivery.deployment-frequency": _frequency,
    "delivery.lead-time": _lead_time,
    "delivery.change-failure-rate": _failure_rate,
    "delivery.time-to-restore": _restore,
    "delivery.mtta": _acknowledge,
    "delivery.incident-count": _incident_count,
    "delivery.change-linked-incidents": _change_linked,
    "scans.time-to-patch-critical": _time_to_patch,
    "scans.open-critical-high": _open_critical_high,
    **{
        name: _ticket_figure(name)
        for name in (
            "tickets.sla-compliance",
            "tickets.mtta",
            "tickets.mttr",
            "tickets.backlog-size",
            "tickets.backlog-age",
            "tickets.first-contact-resolution",
            "tickets.csat",
        )
    },
    **{
        name: _cost_figure(name)
        for name in (
            "costs.cost-per-customer",
            "costs.cost-per-transaction",
            "costs.forecast-variance",
        )
    },
}


def recompute(uow: UnitOfWork, workspace: Workspace) -> int:
    """Recompute every tracked computed metric; returns how many values are stored. No
    authorization: the intake or scorecard change that calls it has checked it."""
    records = _Records(uow, workspace)
    today = workspace.local(uow.now()).date()
    stored = 0
    for metric in uow.scorecard.metrics(workspace.id):
        if metric.custom:
            continue  # entered by hand
        computation = kpi_catalog().kpi(metric.key).computed_by
        rule = COMPUTE.get(computation or "")
        if computation is None or rule is None:
            continue
        values = []
        for window in periods(Cadence(metric.cadence), today, workspace.time_zone):
            value = rule(records, window)
            if value is not None:
                values.append((metric.key, window.last, value, ""))
        stored += uow.scorecard.replace_computed(
            workspace.id, source=f"computed:{computation}", values=values, now=uow.now()
        )
    return stored
