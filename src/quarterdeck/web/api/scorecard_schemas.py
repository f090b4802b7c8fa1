"""Bodies of the scorecard API: tracked metrics, their thresholds, cards and values, and the
category owners. The KPI catalog's are in `kpi_schemas`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from quarterdeck.catalog.kpis import KpiCatalog
from quarterdeck.domain.scorecard import (
    BandThresholds,
    Cadence,
    Category,
    Direction,
    KpiSet,
    Level,
    Source,
    Thresholds,
    TrendDirection,
    Unit,
)
from quarterdeck.services.scorecard import (
    Measurement,
    MeasurementImport,
    MetricCard,
    MetricDetail,
    ScorecardView,
    TrackedMetric,
)

__all__ = [
    "CardOut",
    "CategoryOwnerIn",
    "CategoryOwnerOut",
    "CustomDefinitionIn",
    "MeasurementImportOut",
    "MeasurementIn",
    "MeasurementOut",
    "MetricDetailOut",
    "MetricIn",
    "MetricPatch",
    "ScorecardOut",
    "StartIn",
    "StartOut",
    "ThresholdsIn",
    "ThresholdsOut",
    "TrackedOut",
]

KEY = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
MetricKey = Annotated[str, Field(min_length=1, max_length=64, pattern=KEY)]
Amount = Annotated[
    Decimal,
    Field(
        allow_inf_nan=False,
        gt=-(10**15),
        lt=10**15,
        decimal_places=6,
        description="A number (or a string holding one) in the metric's unit; a percentage "
        "runs from 0 to 100.",
    ),
]
Owner = Annotated[str, Field(max_length=254, description="Who answers for it; empty: nobody.")]
_LINES = ("target", "warning", "critical")
_BAND = ("low", "high", "critical_low", "critical_high")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- thresholds ----------------------------------------------------------------------------


class ThresholdsIn(_Strict):
    """Either a target, a warning line and a critical line (higher- or lower-is-better
    metrics), or a band from `low` to `high` with an optional critical line on either side
    (target-band metrics). Their order must suit the metric's direction."""

    target: Amount | None = None
    warning: Amount | None = None
    critical: Amount | None = None
    low: Amount | None = None
    high: Amount | None = None
    critical_low: Amount | None = None
    critical_high: Amount | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Self:
        lines = [name for name in _LINES if getattr(self, name) is not None]
        band = [name for name in _BAND if getattr(self, name) is not None]
        if lines and band:
            raise ValueError(
                "give a target, warning and critical line, or a band (low, high and optional "
                "critical_low and critical_high), not both"
            )
        if not lines and not band:
            raise ValueError(
                "give a target, warning and critical line, or a band (low and high); "
                "to remove thresholds send null"
            )
        if band and (self.low is None or self.high is None):
            raise ValueError("a band needs both low and high")
        if lines and len(lines) < len(_LINES):
            missing = [name for name in _LINES if name not in lines]
            raise ValueError(f"thresholds need {' and '.join(missing)} as well")
        return self

    def to_domain(self) -> Thresholds | BandThresholds:
        if self.target is not None and self.warning is not None and self.critical is not None:
            return Thresholds(self.target, self.warning, self.critical)
        assert self.low is not None  # _one_shape guarantees both ends
        assert self.high is not None
        return BandThresholds(self.low, self.high, self.critical_low, self.critical_high)


class ThresholdsOut(BaseModel):
    """The lines of the metric's shape; the others are null."""

    target: Decimal | None = None
    warning: Decimal | None = None
    critical: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    critical_low: Decimal | None = None
    critical_high: Decimal | None = None

    @classmethod
    def of(cls, found: Thresholds | BandThresholds | None) -> ThresholdsOut | None:
        if found is None:
            return None
        if isinstance(found, BandThresholds):
            return cls(
                low=found.low,
                high=found.high,
                critical_low=found.critical_low,
                critical_high=found.critical_high,
            )
        return cls(target=found.target, warning=found.warning, critical=found.critical)


# -- tracked metrics -------------------------------------------------------------------------


class CustomDefinitionIn(_Strict):
    """What a workspace's own metric is; its values are entered by hand or imported."""

    name: str = Field(min_length=1, max_length=120)
    category: Category
    unit: Unit
    direction: Direction
    meaning: str = Field(default="", max_length=2_000)


class MetricIn(_Strict):
    key: MetricKey = Field(description="A catalog key, or the key of your own metric.")
    custom: CustomDefinitionIn | None = Field(
        default=None, description="Only for your own metric: what it is. Omit for a catalog one."
    )
    owner: Owner = ""
    cadence: Cadence | None = Field(
        default=None, description="Default: the catalog's review cadence (monthly for your own)."
    )
    thresholds: ThresholdsIn | None = None


class MetricPatch(_Strict):
    """What is left out stays; `thresholds: null` removes the thresholds."""

    expected_version: int = Field(
        strict=True, ge=1, le=2**31 - 1, description="The version you read; stale answers 409."
    )
    owner: Owner | None = None
    cadence: Cadence | None = None
    thresholds: ThresholdsIn | None = None

    @property
    def clears_thresholds(self) -> bool:
        return "thresholds" in self.model_fields_set and self.thresholds is None


class StartIn(_Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    kpi_set: KpiSet = Field(alias="set", description="The ready-made set to start from.")


class TrackedOut(BaseModel):
    """A metric on the scorecard and the workspace's choices for it."""

    key: str
    name: str
    category: Category
    unit: Unit
    direction: Direction
    source: Source
    custom: bool
    owner: str
    cadence: Cadence
    thresholds: ThresholdsOut | None = Field(description="Null until someone sets them.")
    version: int

    @classmethod
    def fields_of(cls, metric: TrackedMetric) -> dict[str, object]:
        d = metric.definition
        return {
            "key": d.key,
            "name": d.name,
            "category": d.category,
            "unit": d.unit,
            "direction": d.direction,
            "source": d.source,
            "custom": metric.custom,
            "owner": metric.owner,
            "cadence": metric.cadence,
            "thresholds": ThresholdsOut.of(metric.thresholds),
            "version": metric.version,
        }

    @classmethod
    def of(cls, metric: TrackedMetric) -> TrackedOut:
        return cls.model_validate(cls.fields_of(metric))


class StartOut(BaseModel):
    added: list[TrackedOut] = Field(description="The set's metrics that were not yet tracked.")


# -- cards and values ----------------------------------------------------------------------


class MeasurementIn(_Strict):
    period_end: date = Field(description="The last day of the period the value is for.")
    value: Amount
    note: str = Field(default="", max_length=500)


class MeasurementOut(BaseModel):
    period_end: date
    value: Decimal
    source: str = Field(description="manual, import:<file> or computed:<computation>.")
    note: str
    recorded_by: str
    recorded_at: datetime

    @classmethod
    def of(cls, m: Measurement) -> MeasurementOut:
        return cls.model_validate(m, from_attributes=True)


class StatusOut(BaseModel):
    level: Level
    reason: str
    stale: bool


class TrendOut(BaseModel):
    direction: TrendDirection
    change: Decimal | None = Field(description="Latest minus baseline, in the metric's unit.")
    latest: Decimal | None
    baseline: Decimal | None = Field(description="The mean of up to three periods before.")


class PointOut(BaseModel):
    period_end: date
    value: Decimal


class CardOut(TrackedOut):
    status: StatusOut
    trend: TrendOut
    latest: MeasurementOut | None
    series: list[PointOut] = Field(description="One value per period, oldest first.")

    @classmethod
    def fields_of_card(cls, card: MetricCard) -> dict[str, object]:
        return {
            **TrackedOut.fields_of(card.metric),
            "status": StatusOut.model_validate(card.status, from_attributes=True),
            "trend": TrendOut.model_validate(card.trend, from_attributes=True),
            "latest": None if card.latest is None else MeasurementOut.of(card.latest),
            "series": [PointOut(period_end=day, value=value) for day, value in card.series],
        }

    @classmethod
    def of_card(cls, card: MetricCard) -> CardOut:
        return cls.model_validate(cls.fields_of_card(card))


class MetricDetailOut(CardOut):
    meaning: str
    reading: str
    trap: str
    measurements: list[MeasurementOut] = Field(
        description="Every stored value, newest period first, from every source."
    )

    @classmethod
    def of_detail(cls, found: MetricDetail) -> MetricDetailOut:
        d = found.card.metric.definition
        return cls.model_validate(
            {
                **cls.fields_of_card(found.card),
                "meaning": d.meaning,
                "reading": d.reading,
                "trap": d.trap,
                "measurements": [MeasurementOut.of(m) for m in found.measurements],
            }
        )


class CategoryOut(BaseModel):
    category: Category
    name: str
    owner: str
    metrics: list[CardOut]


class ScorecardOut(BaseModel):
    categories: list[CategoryOut] = Field(description="In catalog order; empty ones left out.")
    settings_version: int = Field(
        description="The scorecard settings version (category owners and delivery choices): "
        "send it to change a category owner."
    )

    @classmethod
    def of(cls, view: ScorecardView, catalog: KpiCatalog) -> ScorecardOut:
        return cls(
            settings_version=view.settings_version,
            categories=[
                CategoryOut(
                    category=category,
                    name=catalog.category(category).name,
                    owner=owner,
                    metrics=[CardOut.of_card(card) for card in cards],
                )
                for category, owner, cards in view.categories
            ],
        )


class MeasurementImportOut(BaseModel):
    rows: int
    added: int
    replaced: int = Field(description="Values of the same metric, period and file replaced.")

    @classmethod
    def of(cls, found: MeasurementImport) -> MeasurementImportOut:
        return cls(rows=found.rows, added=found.added, replaced=found.replaced)


class CategoryOwnerIn(_Strict):
    expected_version: int = Field(
        strict=True,
        ge=0,
        le=2**31 - 1,
        description="The scorecard's settings_version you read (0: never saved); stale "
        "answers 409.",
    )
    owner: Owner


class CategoryOwnerOut(BaseModel):
    category: Category
    owner: str
    owners: dict[str, str] = Field(description="Every category that has an owner.")
    version: int = Field(description="The scorecard settings version now.")

    @classmethod
    def of(cls, category: Category, owners: Mapping[str, str], version: int) -> CategoryOwnerOut:
        return cls(
            category=category,
            owner=owners.get(category.value, ""),
            owners=dict(owners),
            version=version,
        )
