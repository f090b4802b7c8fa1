"""The values behind a scorecard: recording one by hand, importing a file of them, and the
checks every value passes (finite, not negative unless the metric allows it, a period that
ends no more than a month from today).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import Direction, Unit
from quarterdeck.ingest.limits import DEFAULT_MAX_BYTES
from quarterdeck.ingest.measurements import parse_measurements
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.services.scorecard_setup import TrackedMetric, tracked_metric, tracked_metrics
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories.scorecard import StoredMeasurement

__all__ = [
    "MANUAL",
    "ImportRefused",
    "Measurement",
    "MeasurementImport",
    "import_measurements",
    "measurement_of",
    "record",
]

MANUAL = "manual"
_FUTURE_LIMIT = timedelta(days=31)  # a period may end at most a month from today


@dataclass(frozen=True, slots=True)
class Measurement:
    period_end: date
    value: Decimal
    source: str
    note: str
    recorded_by: str
    recorded_at: datetime


class ImportRefused(InvalidInput):
    """A file of values refused whole; `problems` lists each one, naming its file and line
    ("quality.csv line 4: column value: ..."), the message the first of them."""

    def __init__(self, message: str, problems: Sequence[str]) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class MeasurementImport:
    rows: int
    added: int
    replaced: int


def measurement_of(row: StoredMeasurement) -> Measurement:
    """A stored value as the scorecard shows it."""
    return Measurement(
        row.period_end, row.value, row.source, row.note, row.recorded_by, row.recorded_at
    )


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
    metric = tracked_metric(uow, ws, key)
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
    return measurement_of(after)


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


def import_measurements(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    data: bytes,
    source: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> MeasurementImport:
    """Import values from a CSV or JSON file (metric, period_end, value, note), all or
    nothing: any unreadable row, unknown metric or refused value stops the whole import,
    and every problem is named with its line. Values keep the source `import:<file>`.
    `max_bytes` is the configured import limit; a larger file is refused whole. A file with
    bad lines raises ImportRefused (an InvalidInput listing every problem it found)."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    report = parse_measurements(data, source=source, max_bytes=max_bytes)
    try:
        lines = report.records_or_raise()
    except InvalidInput as refused:  # ImportRefused lists every problem, not only the first
        raise ImportRefused(refused.message, report.problems) from None
    tracked = {m.key: m for m in tracked_metrics(uow, ws)}
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
        raise ImportRefused(f"nothing was imported: {'; '.join(problems[:10])}{more}", problems)
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
