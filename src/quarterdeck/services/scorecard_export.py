"""The scorecard sections of a workspace export: tracked metrics, scorecard settings and
every measurement. They were added after the first exports, so a document without them
reads as if they were empty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, field_validator

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.access import Actor
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import Cadence, Category, Direction, Unit
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services.delivery import choices_from_json
from quarterdeck.services.document_sections import MAX_INT, Section, StrictItem, iso, text
from quarterdeck.services.json_input import BoundedObject, UtcTime
from quarterdeck.storage import UnitOfWork

__all__ = ["MEASUREMENTS", "SCORECARD_METRICS", "SCORECARD_SETTINGS", "decimal_text"]

_Key = Annotated[str, text(64, min_length=1)]


def decimal_text(value: str, what: str = "value") -> str:
    """Check that a string is a finite decimal (how amounts travel in the document)."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{what} {value[:40]!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{what} must be finite")
    return value


# --- Metrics -------------------------------------------------------------------------------


class _DefinitionItem(StrictItem):
    """What a custom metric is; catalog metrics take theirs from the catalog."""

    name: Annotated[str, text(120, min_length=1)]
    category: Annotated[Category, Field(strict=False)]
    unit: Annotated[Unit, Field(strict=False)]
    direction: Annotated[Direction, Field(strict=False)]
    meaning: Annotated[str, text(2_000)]


class _MetricItem(StrictItem):
    key: _Key
    custom: bool
    definition: _DefinitionItem | None
    owner: Annotated[str, text(254)]
    thresholds: dict[Annotated[str, text(20)], Annotated[str, text(48)]]
    cadence: Annotated[Cadence, Field(strict=False)]
    position: Annotated[int, Field(ge=0, le=MAX_INT)]

    @field_validator("thresholds")
    @classmethod
    def _amounts(cls, value: dict[str, str]) -> dict[str, str]:
        allowed = {"target", "warning", "critical", "low", "high", "critical_low", "critical_high"}
        for name, amount in value.items():
            if name not in allowed:
                raise ValueError(f"unknown threshold {name!r}")
            decimal_text(amount, name)
        return value


def _export_metrics(uow: UnitOfWork, workspace: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "key": m.key,
            "custom": m.custom,
            "definition": m.definition,
            "owner": m.owner,
            "thresholds": m.thresholds,
            "cadence": m.cadence,
            "position": m.position,
        }
        for m in uow.scorecard.metrics(workspace.id)
    ]


def _check_metrics(items: list[_MetricItem]) -> None:
    seen: set[str] = set()
    catalog = set(kpi_catalog().keys)
    for index, item in enumerate(items):
        where = f"scorecard_metrics[{index}]"
        if item.key in seen:
            raise InvalidInput(f"{where}.key: {item.key!r} is listed twice")
        seen.add(item.key)
        if item.custom and item.definition is None:
            raise InvalidInput(f"{where}.definition: a custom metric needs its definition")
        if not item.custom and item.key not in catalog:
            raise InvalidInput(f"{where}.key: {item.key!r} is not in the metric catalog")
        if not item.custom and item.definition is not None:
            raise InvalidInput(f"{where}.definition: a catalog metric takes the catalog's")


def _restore_metrics(
    uow: UnitOfWork, actor: Actor, workspace: Workspace, items: list[_MetricItem]
) -> None:
    for item in sorted(items, key=lambda i: i.position):
        uow.scorecard.add_metric(
            workspace.id,
            key=item.key,
            custom=item.custom,
            definition=None if item.definition is None else item.definition.model_dump(mode="json"),
            owner=item.owner,
            thresholds=dict(item.thresholds),
            cadence=item.cadence.value,
            now=uow.now(),
        )


SCORECARD_METRICS: Section[_MetricItem] = Section(
    "scorecard_metrics",
    TypeAdapter(list[_MetricItem]),
    _export_metrics,
    _check_metrics,
    _restore_metrics,
    required=False,
)


# --- Settings ------------------------------------------------------------------------------


class _SettingsItem(StrictItem):
    category_owners: dict[Annotated[str, text(32)], Annotated[str, text(254)]]
    choices: BoundedObject


def _export_settings(uow: UnitOfWork, workspace: Workspace) -> list[dict[str, Any]]:
    stored = uow.scorecard.settings(workspace.id)
    if stored.version == 0:
        return []
    return [{"category_owners": stored.category_owners, "choices": stored.choices}]


def _check_settings(items: list[_SettingsItem]) -> None:
    if len(items) > 1:
        raise InvalidInput(f"scorecard_settings: one item at most, not {len(items)}")
    for index, item in enumerate(items):
        try:
            choices_from_json(item.choices.get("delivery", {}))
        except (InvalidInput, KeyError, TypeError, ValueError) as error:
            raise InvalidInput(
                f"scorecard_settings[{index}].choices.delivery: cannot be read ({error})"
            ) from None


def _restore_settings(
    uow: UnitOfWork, actor: Actor, workspace: Workspace, items: list[_SettingsItem]
) -> None:
    for item in items:
        uow.scorecard.put_settings(
            workspace.id,
            expected_version=0,
            category_owners=dict(item.category_owners),
            choices=dict(item.choices),
            now=uow.now(),
        )


SCORECARD_SETTINGS: Section[_SettingsItem] = Section(
    "scorecard_settings",
    TypeAdapter(list[_SettingsItem]),
    _export_settings,
    _check_settings,
    _restore_settings,
    required=False,
)


# --- Measurements ----------------------------------------------------------------------------


class _MeasurementItem(StrictItem):
    metric_key: _Key
    period_end: Annotated[str, text(10, min_length=10)]
    value: Annotated[str, text(48, min_length=1)]
    source: Annotated[str, text(120, min_length=1)]
    note: Annotated[str, text(500)]
    recorded_by: Annotated[str, text(254)]
    recorded_at: UtcTime

    @field_validator("period_end")
    @classmethod
    def _a_date(cls, value: str) -> str:
        date.fromisoformat(value)
        return value

    @field_validator("value")
    @classmethod
    def _a_number(cls, value: str) -> str:
        return decimal_text(value)


def _export_measurements(uow: UnitOfWork, workspace: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "metric_key": m.metric_key,
            "period_end": m.period_end.isoformat(),
            "value": str(m.value),
            "source": m.source,
            "note": m.note,
            "recorded_by": m.recorded_by,
            "recorded_at": iso(m.recorded_at),
        }
        for m in uow.scorecard.measurements(workspace.id)
    ]


def _check_measurements(items: list[_MeasurementItem]) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for index, item in enumerate(items):
        identity = (item.metric_key, item.period_end, item.source)
        if identity in seen:
            raise InvalidInput(
                f"measurements[{index}]: {item.metric_key} for {item.period_end} from "
                f"{item.source} is already measurements[{seen[identity]}]"
            )
        seen[identity] = index


def _restore_measurements(
    uow: UnitOfWork, actor: Actor, workspace: Workspace, items: list[_MeasurementItem]
) -> None:
    for item in items:
        uow.scorecard.put_measurement(
            workspace.id,
            metric_key=item.metric_key,
            period_end=date.fromisoformat(item.period_end),
            value=Decimal(item.value),
            source=item.source,
            note=item.note,
            recorded_by=item.recorded_by,
            now=item.recorded_at,
        )


MEASUREMENTS: Section[_MeasurementItem] = Section(
    "measurements",
    TypeAdapter(list[_MeasurementItem]),
    _export_measurements,
    _check_measurements,
    _restore_measurements,
    required=False,
)
