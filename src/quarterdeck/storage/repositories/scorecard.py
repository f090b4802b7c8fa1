"""A workspace's scorecard: the metrics it tracks, its settings, and measurements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from quarterdeck.domain.errors import Conflict
from quarterdeck.storage.scorecard_tables import (
    MeasurementRow,
    ScorecardMetricRow,
    ScorecardSettingsRow,
)

__all__ = ["ScorecardRepository", "StoredMeasurement", "StoredMetric", "StoredSettings"]


@dataclass(frozen=True, slots=True)
class StoredMetric:
    key: str
    custom: bool
    definition: dict[str, Any] | None
    owner: str
    thresholds: dict[str, Any]
    cadence: str
    position: int
    version: int


@dataclass(frozen=True, slots=True)
class StoredMeasurement:
    metric_key: str
    period_end: date
    value: Decimal
    source: str
    note: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class StoredSettings:
    category_owners: dict[str, str]
    choices: dict[str, Any]
    version: int  # 0: never saved


class ScorecardRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- metrics -------------------------------------------------------------------------

    def metrics(self, workspace_id: int) -> list[StoredMetric]:
        rows = self._session.scalars(
            select(ScorecardMetricRow)
            .where(ScorecardMetricRow.workspace_id == workspace_id)
            .order_by(ScorecardMetricRow.position, ScorecardMetricRow.id)
        )
        return [_metric(row) for row in rows]

    def metric(self, workspace_id: int, key: str) -> StoredMetric | None:
        row = self._metric_row(workspace_id, key)
        return None if row is None else _metric(row)

    def add_metric(
        self,
        workspace_id: int,
        *,
        key: str,
        custom: bool,
        definition: dict[str, Any] | None,
        owner: str,
        thresholds: dict[str, Any],
        cadence: str,
        now: datetime,
    ) -> StoredMetric:
        last = self._session.scalar(
            select(func.max(ScorecardMetricRow.position)).where(
                ScorecardMetricRow.workspace_id == workspace_id
            )
        )
        row = ScorecardMetricRow(
            workspace_id=workspace_id,
            key=key,
            custom=custom,
            definition=definition,
            owner=owner,
            thresholds=thresholds,
            cadence=cadence,
            position=int(last or 0) + 1,
            version=1,
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _metric(row)

    def update_metric(
        self,
        workspace_id: int,
        key: str,
        *,
        expected_version: int,
        owner: str,
        thresholds: dict[str, Any],
        cadence: str,
        now: datetime,
    ) -> StoredMetric:
        """Compare-and-set on the version; a stale one raises Conflict and writes nothing."""
        result = self._session.execute(
            update(ScorecardMetricRow)
            .where(
                ScorecardMetricRow.workspace_id == workspace_id,
                ScorecardMetricRow.key == key,
                ScorecardMetricRow.version == expected_version,
            )
            .values(
                owner=owner,
                thresholds=thresholds,
                cadence=cadence,
                version=ScorecardMetricRow.version + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                f"metric {key!r} was changed by someone else since version {expected_version}; "
                "reload it and apply your change again"
            )
        self._session.expire_all()
        row = self._metric_row(workspace_id, key)
        assert row is not None
        return _metric(row)

    def remove_metric(self, workspace_id: int, key: str) -> None:
        """Take a metric off the scorecard; its measurements stay."""
        self._session.execute(
            delete(ScorecardMetricRow).where(
                ScorecardMetricRow.workspace_id == workspace_id, ScorecardMetricRow.key == key
            )
        )

    def _metric_row(self, workspace_id: int, key: str) -> ScorecardMetricRow | None:
        return self._session.scalar(
            select(ScorecardMetricRow).where(
                ScorecardMetricRow.workspace_id == workspace_id, ScorecardMetricRow.key == key
            )
        )

    # -- settings ------------------------------------------------------------------------

    def settings(self, workspace_id: int) -> StoredSettings:
        row = self._session.scalar(
            select(ScorecardSettingsRow).where(ScorecardSettingsRow.workspace_id == workspace_id)
        )
        if row is None:
            return StoredSettings({}, {}, 0)
        return StoredSettings(dict(row.category_owners), dict(row.choices), row.version)

    def put_settings(
        self,
        workspace_id: int,
        *,
        expected_version: int,
        category_owners: dict[str, str],
        choices: dict[str, Any],
        now: datetime,
    ) -> StoredSettings:
        row = self._session.scalar(
            select(ScorecardSettingsRow).where(ScorecardSettingsRow.workspace_id == workspace_id)
        )
        current = 0 if row is None else row.version
        if current != expected_version:
            raise Conflict(
                "the scorecard settings were changed by someone else; reload and apply your "
                "change again"
            )
        if row is None:
            row = ScorecardSettingsRow(
                workspace_id=workspace_id,
                category_owners=category_owners,
                choices=choices,
                version=1,
                updated_at=now,
            )
            self._session.add(row)
        else:
            row.category_owners = category_owners
            row.choices = choices
            row.version += 1
            row.updated_at = now
        self._session.flush()
        return StoredSettings(dict(row.category_owners), dict(row.choices), row.version)

    # -- measurements ----------------------------------------------------------------------

    def put_measurement(
        self,
        workspace_id: int,
        *,
        metric_key: str,
        period_end: date,
        value: Decimal,
        source: str,
        note: str,
        recorded_by: str,
        now: datetime,
    ) -> tuple[StoredMeasurement | None, StoredMeasurement]:
        """Add or replace the value of one metric, period and source; returns (before, after)."""
        row = self._session.scalar(
            select(MeasurementRow).where(
                MeasurementRow.workspace_id == workspace_id,
                MeasurementRow.metric_key == metric_key,
                MeasurementRow.period_end == period_end,
                MeasurementRow.source == source,
            )
        )
        before = None if row is None else _measurement(row)
        if row is None:
            row = MeasurementRow(
                workspace_id=workspace_id,
                metric_key=metric_key,
                period_end=period_end,
                source=source,
            )
            self._session.add(row)
        row.value = value
        row.note = note
        row.recorded_by = recorded_by
        row.recorded_at = now
        self._session.flush()
        return before, _measurement(row)

    def replace_computed(
        self,
        workspace_id: int,
        *,
        source: str,
        values: Sequence[tuple[str, date, Decimal, str]],
        now: datetime,
    ) -> int:
        """Replace every measurement from `source` (a computation) with `values`
        (metric key, period end, value, note); returns how many are stored."""
        self._session.execute(
            delete(MeasurementRow).where(
                MeasurementRow.workspace_id == workspace_id, MeasurementRow.source == source
            )
        )
        for key, period_end, value, note in values:
            self._session.add(
                MeasurementRow(
                    workspace_id=workspace_id,
                    metric_key=key,
                    period_end=period_end,
                    value=value,
                    source=source,
                    note=note,
                    recorded_by="computed",
                    recorded_at=now,
                )
            )
        self._session.flush()
        return len(values)

    def measurements(
        self, workspace_id: int, metric_keys: Sequence[str] | None = None
    ) -> list[StoredMeasurement]:
        """Measurements of the given metrics (all when None), oldest period first."""
        query = select(MeasurementRow).where(MeasurementRow.workspace_id == workspace_id)
        if metric_keys is not None:
            query = query.where(MeasurementRow.metric_key.in_(list(metric_keys)))
        rows = self._session.scalars(
            query.order_by(MeasurementRow.metric_key, MeasurementRow.period_end, MeasurementRow.id)
        )
        return [_measurement(row) for row in rows]


def _metric(row: ScorecardMetricRow) -> StoredMetric:
    return StoredMetric(
        key=row.key,
        custom=row.custom,
        definition=None if row.definition is None else dict(row.definition),
        owner=row.owner,
        thresholds=dict(row.thresholds),
        cadence=row.cadence,
        position=row.position,
        version=row.version,
    )


def _measurement(row: MeasurementRow) -> StoredMeasurement:
    return StoredMeasurement(
        metric_key=row.metric_key,
        period_end=row.period_end,
        value=row.value,
        source=row.source,
        note=row.note,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )
