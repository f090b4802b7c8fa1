"""A workspace's scorecard: which metrics it tracks (from the catalog or its own), their
owners, thresholds and review cadence, the measurements behind them, and the cards that
judge each one (status with its reason, trend, staleness).

When one period of a metric has values from several sources, a person's entry wins over an
imported file, which wins over a computation: people correct what machines count.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.errors import Conflict, InvalidInput, NotFound
from quarterdeck.domain.scorecard import (
    BandThresholds,
    Cadence,
    Category,
    Direction,
    KpiDefinition,
    KpiSet,
    Source,
    Status,
    Thresholds,
    Trend,
    Unit,
    check_thresholds,
    status,
    trend,
)
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.ingest.measurements import parse_measurements
from quarterdeck.services import audit, computed
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories.scorecard import StoredMeasurement, StoredMetric

__all__ = [
    "MANUAL",
    "MeasurementImport",
    "MetricCard",
    "MetricDetail",
    "ScorecardView",
    "TrackedMetric",
    "add_custom_metric",
    "add_metric",
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

MANUAL = "manual"
SPARKLINE_PERIODS = 12
_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_FUTURE_LIMIT = timedelta(days=31)  # a period may end at most a month from today


@dataclass(frozen=True, slots=True)
class TrackedMetric:
    """A metric on the scorecard: its definition (catalog or custom) and the workspace's
    choices for it."""

    definition: KpiDefinition
    custom: bool
    owner: str
    thresholds: Thresholds | BandThresholds | None
    cadence: Cadence
    version: int

    @property
    def key(self) -> str:
        return self.definition.key


@dataclass(frozen=True, slots=True)
class Measurement:
    period_end: date
    value: Decimal
    source: str
    note: str
    recorded_by: str
    recorded_at: datetime


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
    metrics = _tracked(uow, ws)
    by_key = _by_metric(uow.scorecard.measurements(ws.id, [m.key for m in metrics]))
    owners = uow.scorecard.settings(ws.id).category_owners
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
    return ScorecardView(ws, tuple(groups))


def detail(uow: UnitOfWork, *, actor: Actor, workspace: str, key: str) -> MetricDetail:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    metric = _one(uow, ws, key)
    stored = [_measurement(m) for m in uow.scorecard.measurements(ws.id, [key])]
    card = _card(metric, stored, uow.now())
    newest_first = tuple(sorted(stored, key=lambda m: (m.period_end, m.recorded_at), reverse=True))
    return MetricDetail(card, newest_first)


def _tracked(uow: UnitOfWork, ws: Workspace) -> list[TrackedMetric]:
    return [_to_tracked(stored) for stored in uow.scorecard.metrics(ws.id)]


def _one(uow: UnitOfWork, ws: Workspace, key: str) -> TrackedMetric:
    stored = uow.scorecard.metric(ws.id, key)
    if stored is None:
        raise NotFound(f"metric {key!r} is not on the scorecard of {ws.slug!r}")
    return _to_tracked(stored)


def _to_tracked(stored: StoredMetric) -> TrackedMetric:
    if stored.custom:
        assert stored.definition is not None
        definition = _custom_definition(stored.key, stored.definition, Cadence(stored.cadence))
    else:
        definition = kpi_catalog().kpi(stored.key)
    return TrackedMetric(
        definition=definition,
        custom=stored.custom,
        owner=stored.owner,
        thresholds=_thresholds_from_json(stored.thresholds),
        cadence=Cadence(stored.cadence),
        version=stored.version,
    )


def _by_metric(rows: Sequence[StoredMeasurement]) -> dict[str, list[Measurement]]:
    found: dict[str, list[Measurement]] = {}
    for row in rows:
        found.setdefault(row.metric_key, []).append(_measurement(row))
    return found


def _measurement(row: StoredMeasurement) -> Measurement:
    return Measurement(
        row.period_end, row.value, row.source, row.note, row.recorded_by, row.recorded_at
    )


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


# -- choosing metrics ------------------------------------------------------------------------


def start_from_set(
    uow: UnitOfWork, *, actor: Actor, workspace: str, kpi_set: KpiSet | str
) -> list[TrackedMetric]:
    """Add every metric of a ready-made set that is not yet on the scorecard; returns the
    ones added. Thresholds start unset: each card says so until someone sets them."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    try:
        chosen = KpiSet(kpi_set)
    except ValueError:
        known = ", ".join(s.value for s in KpiSet)
        raise InvalidInput(f"unknown metric set {kpi_set!r}; known: {known}") from None
    present = {m.key for m in uow.scorecard.metrics(ws.id)}
    added = []
    for definition in kpi_catalog().in_set(chosen):
        if definition.key not in present:
            added.append(
                _add(
                    uow,
                    actor,
                    ws,
                    definition,
                    custom=False,
                    owner="",
                    cadence=None,
                    compute=False,
                )
            )
    if any(m.definition.computed_by for m in added):
        computed.recompute(uow, ws)
    return added


def add_metric(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    key: str,
    owner: str = "",
    cadence: Cadence | None = None,
    thresholds: Thresholds | BandThresholds | None = None,
) -> TrackedMetric:
    """Put a catalog metric on the scorecard."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    try:
        definition = kpi_catalog().kpi(key)
    except (InvalidInput, KeyError):
        raise InvalidInput(
            f"{key!r} is not in the metric catalog; see `quarterdeck metric catalog` or add "
            "a custom metric"
        ) from None
    return _add(
        uow,
        actor,
        ws,
        definition,
        custom=False,
        owner=owner,
        cadence=cadence,
        thresholds=thresholds,
    )


def add_custom_metric(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    key: str,
    name: str,
    category: Category,
    unit: Unit,
    direction: Direction,
    meaning: str = "",
    owner: str = "",
    cadence: Cadence = Cadence.MONTHLY,
    thresholds: Thresholds | BandThresholds | None = None,
) -> TrackedMetric:
    """Put the workspace's own metric on the scorecard (entered by hand)."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    if not _KEY.match(key) or len(key) > 64:
        raise InvalidInput(
            f"metric key {key!r} must be lower-case words joined by hyphens, like 'churned-seats'"
        )
    if key in kpi_catalog().keys:
        raise InvalidInput(f"{key!r} is a catalog metric; add it as it is, or choose another key")
    if not name.strip() or len(name) > 120:
        raise InvalidInput("a custom metric needs a name of 1-120 characters")
    if len(meaning) > 2_000:
        raise InvalidInput("the explanation is limited to 2,000 characters")
    data = {
        "name": name.strip(),
        "category": category.value,
        "unit": unit.value,
        "direction": direction.value,
        "meaning": meaning.strip(),
    }
    definition = _custom_definition(key, data, cadence)
    return _add(
        uow, actor, ws, definition, custom=True, owner=owner, cadence=cadence, thresholds=thresholds
    )


def _custom_definition(key: str, data: Mapping[str, Any], cadence: Cadence) -> KpiDefinition:
    return KpiDefinition(
        key=key,
        name=str(data["name"]),
        category=Category(data["category"]),
        unit=Unit(data["unit"]),
        direction=Direction(data["direction"]),
        source=Source.MANUAL,
        computed_by=None,
        meaning=str(data.get("meaning", "")),
        reading="",
        trap="",
        review=cadence,
    )


def _add(
    uow: UnitOfWork,
    actor: Actor,
    ws: Workspace,
    definition: KpiDefinition,
    *,
    custom: bool,
    owner: str,
    cadence: Cadence | None,
    thresholds: Thresholds | BandThresholds | None = None,
    compute: bool = True,
) -> TrackedMetric:
    """Store the metric; a computed one gets its values at once (unless `compute` is off
    because the caller recomputes after adding several)."""
    if uow.scorecard.metric(ws.id, definition.key) is not None:
        raise Conflict(f"{definition.key!r} is already on the scorecard")
    if thresholds is not None:
        check_thresholds(definition.direction, thresholds)
    chosen = cadence or definition.review
    stored = uow.scorecard.add_metric(
        ws.id,
        key=definition.key,
        custom=custom,
        definition=None
        if not custom
        else {
            "name": definition.name,
            "category": definition.category.value,
            "unit": definition.unit.value,
            "direction": definition.direction.value,
            "meaning": definition.meaning,
        },
        owner=_owner(owner),
        thresholds=_thresholds_to_json(thresholds),
        cadence=chosen.value,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="metric.added",
        entity_type="metric",
        entity_id=definition.key,
        after=_metric_state(stored),
    )
    if compute and definition.computed_by:
        computed.recompute(uow, ws)
    return _to_tracked(stored)


def configure(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    key: str,
    expected_version: int,
    owner: str | None = None,
    cadence: Cadence | None = None,
    thresholds: Thresholds | BandThresholds | None = None,
    clear_thresholds: bool = False,
) -> TrackedMetric:
    """Change a tracked metric's owner, cadence or thresholds (what is not given stays).
    A stale `expected_version` raises Conflict and changes nothing."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    current = _one(uow, ws, key)
    new_thresholds = None if clear_thresholds else thresholds or current.thresholds
    if new_thresholds is not None:
        check_thresholds(current.definition.direction, new_thresholds)
    before = uow.scorecard.metric(ws.id, key)
    stored = uow.scorecard.update_metric(
        ws.id,
        key,
        expected_version=expected_version,
        owner=current.owner if owner is None else _owner(owner),
        thresholds=_thresholds_to_json(new_thresholds),
        cadence=(cadence or current.cadence).value,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="metric.configured",
        entity_type="metric",
        entity_id=key,
        before=None if before is None else _metric_state(before),
        after=_metric_state(stored),
    )
    if current.definition.computed_by and stored.cadence != current.cadence.value:
        computed.recompute(uow, ws)  # the periods follow the cadence
    return _to_tracked(stored)


def remove_metric(uow: UnitOfWork, *, actor: Actor, workspace: str, key: str) -> None:
    """Take a metric off the scorecard. Its measurements are kept, so adding it back
    brings its history with it."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    before = uow.scorecard.metric(ws.id, key)
    if before is None:
        raise NotFound(f"metric {key!r} is not on the scorecard of {ws.slug!r}")
    uow.scorecard.remove_metric(ws.id, key)
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="metric.removed",
        entity_type="metric",
        entity_id=key,
        before=_metric_state(before),
    )


def _owner(owner: str) -> str:
    cleaned = owner.strip()
    if len(cleaned) > 254:
        raise InvalidInput("an owner is limited to 254 characters")
    return cleaned


def _metric_state(stored: StoredMetric) -> dict[str, Any]:
    return {
        "owner": stored.owner,
        "cadence": stored.cadence,
        "thresholds": stored.thresholds,
        "version": stored.version,
        **({"definition": stored.definition} if stored.custom else {}),
    }


# -- thresholds ------------------------------------------------------------------------------


def parse_amount(text: str, what: str) -> Decimal:
    """A decimal typed by a person ('24', '99.5', '1,200'); InvalidInput naming `what`."""
    cleaned = text.strip().replace(",", "").replace("_", "").removesuffix("%")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(f"{what} must be a number; got {text!r}") from None
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise InvalidInput(f"{what} must be a finite number below 10^15; got {text!r}")
    return value


def parse_thresholds(
    direction: Direction, values: Mapping[str, str]
) -> Thresholds | BandThresholds | None:
    """Thresholds from text fields: target/warning/critical, or low/high/critical_low/
    critical_high for a target-band metric; all empty means none. Checked against the
    direction, with a message saying which line is out of order."""
    filled = {k: v for k, v in values.items() if v is not None and v.strip()}
    if not filled:
        return None
    if direction is Direction.TARGET_BAND:
        unknown = set(filled) - {"low", "high", "critical_low", "critical_high"}
        missing = [name for name in ("low", "high") if name not in filled]
    else:
        unknown = set(filled) - {"target", "warning", "critical"}
        missing = [name for name in ("target", "warning", "critical") if name not in filled]
    if unknown:
        raise InvalidInput(
            f"a {direction.value} metric takes no {', '.join(sorted(unknown))} threshold"
        )
    if missing:
        raise InvalidInput(f"thresholds need {' and '.join(missing)} as well")
    amounts = {k: parse_amount(v, k.replace("_", " ")) for k, v in filled.items()}
    found: Thresholds | BandThresholds
    if direction is Direction.TARGET_BAND:
        found = BandThresholds(**amounts)
    else:
        found = Thresholds(**amounts)
    check_thresholds(direction, found)
    return found


def _thresholds_to_json(found: Thresholds | BandThresholds | None) -> dict[str, Any]:
    if found is None:
        return {}
    if isinstance(found, BandThresholds):
        data = {
            "low": found.low,
            "high": found.high,
            "critical_low": found.critical_low,
            "critical_high": found.critical_high,
        }
    else:
        data = {"target": found.target, "warning": found.warning, "critical": found.critical}
    return {k: str(v) for k, v in data.items() if v is not None}


def _thresholds_from_json(data: Mapping[str, Any]) -> Thresholds | BandThresholds | None:
    if not data:
        return None
    amounts = {k: Decimal(v) for k, v in data.items()}
    if "low" in amounts:
        return BandThresholds(**amounts)
    return Thresholds(**amounts)


# -- measurements ----------------------------------------------------------------------------


def record(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    key: str,
    period_end: date,
    value: Decimal,
    note: str = "",
    source: str = MANUAL,
) -> Measurement:
    """Record a metric's value for the period ending on `period_end`. A second value for the
    same period and source replaces the first; the audit log keeps both."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    metric = _one(uow, ws, key)
    _check_value(metric, value, period_end, ws.local(uow.now()).date())
    if len(note) > 500:
        raise InvalidInput("a note is limited to 500 characters")
    before, after = uow.scorecard.put_measurement(
        ws.id,
        metric_key=key,
        period_end=period_end,
        value=value,
        source=source,
        note=note.strip(),
        recorded_by=actor.label,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="measurement.recorded",
        entity_type="metric",
        entity_id=key,
        before=None if before is None else _measurement_state(before),
        after=_measurement_state(after),
    )
    return _measurement(after)


def _check_value(metric: TrackedMetric, value: Decimal, period_end: date, today: date) -> None:
    if not value.is_finite():
        raise InvalidInput(f"{metric.key}: the value must be a finite number")
    signed = (
        metric.definition.unit is Unit.SCORE or metric.definition.direction is Direction.TARGET_BAND
    )
    if value < 0 and not signed:
        raise InvalidInput(f"{metric.key}: the value cannot be negative ({value})")
    if period_end > today + _FUTURE_LIMIT:
        raise InvalidInput(
            f"{metric.key}: the period ends {period_end.isoformat()}, more than a month from today"
        )


def _measurement_state(stored: StoredMeasurement) -> dict[str, Any]:
    return {
        "period_end": stored.period_end.isoformat(),
        "value": str(stored.value),
        "source": stored.source,
        "note": stored.note,
    }


@dataclass(frozen=True, slots=True)
class MeasurementImport:
    rows: int
    added: int
    replaced: int


def import_measurements(
    uow: UnitOfWork, *, actor: Actor, workspace: str, data: bytes, source: str
) -> MeasurementImport:
    """Import values from a CSV or JSON file (metric, period_end, value, note), all or
    nothing: any unreadable row, unknown metric or refused value stops the whole import,
    and every problem is named with its line. Values keep the source `import:<file>`."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    lines = parse_measurements(data, source=source).records_or_raise()
    tracked = {m.key: m for m in _tracked(uow, ws)}
    today = ws.local(uow.now()).date()
    problems = []
    for line in lines:
        metric = tracked.get(line.metric)
        if metric is None:
            problems.append(f"{line.location}: metric {line.metric!r} is not on the scorecard")
            continue
        try:
            _check_value(metric, line.value, line.period_end, today)
        except InvalidInput as error:
            problems.append(f"{line.location}: {error.message}")
        if len(line.note) > 500:
            problems.append(f"{line.location}: a note is limited to 500 characters")
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise InvalidInput(f"nothing was imported: {'; '.join(problems[:10])}{more}")
    origin = f"import:{source}"[:120]
    added = replaced = 0
    for line in lines:
        before, _ = uow.scorecard.put_measurement(
            ws.id,
            metric_key=line.metric,
            period_end=line.period_end,
            value=line.value,
            source=origin,
            note=line.note.strip(),
            recorded_by=actor.label,
            now=uow.now(),
        )
        added += before is None
        replaced += before is not None
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="measurements.imported",
        entity_type="measurements",
        entity_id=source[:64],
        after={"rows": len(lines), "added": added, "replaced": replaced},
    )
    return MeasurementImport(len(lines), added, replaced)


def set_category_owner(
    uow: UnitOfWork, *, actor: Actor, workspace: str, category: Category, owner: str
) -> dict[str, str]:
    """Name who answers for a category of the scorecard (empty: nobody); returns all owners."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    settings = uow.scorecard.settings(ws.id)
    owners = {**settings.category_owners, category.value: _owner(owner)}
    owners = {k: v for k, v in owners.items() if v}
    uow.scorecard.put_settings(
        ws.id,
        expected_version=settings.version,
        category_owners=owners,
        choices=settings.choices,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="scorecard.category_owner_set",
        entity_type="scorecard",
        entity_id=category.value,
        before={"owner": settings.category_owners.get(category.value, "")},
        after={"owner": owners.get(category.value, "")},
    )
    return owners
