"""Bodies of the KPI catalog API: the categories, ready-made sets and every metric a
scorecard can track, with what it means."""

from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel, Field

from quarterdeck.catalog.kpis import KpiCatalog
from quarterdeck.domain.scorecard import (
    Cadence,
    Category,
    Direction,
    KpiDefinition,
    KpiSet,
    Source,
    Unit,
)

__all__ = ["CatalogOut", "CategoryInfoOut", "KpiOut", "SetInfoOut"]


class KpiOut(BaseModel):
    key: str
    name: str
    category: Category
    unit: Unit
    direction: Direction
    source: Source
    computed_by: str | None = Field(description="The computation behind a computed metric.")
    review: Cadence = Field(description="The review cadence it defaults to.")
    sets: list[KpiSet]
    meaning: str
    reading: str
    trap: str

    @classmethod
    def of(cls, kpi: KpiDefinition) -> KpiOut:
        return cls.model_validate({**asdict(kpi), "sets": sorted(kpi.sets)})


class CategoryInfoOut(BaseModel):
    category: Category
    name: str
    description: str
    review: Cadence


class SetInfoOut(BaseModel):
    set: KpiSet
    name: str
    description: str
    keys: list[str]


class CatalogOut(BaseModel):
    categories: list[CategoryInfoOut]
    sets: list[SetInfoOut]
    kpis: list[KpiOut]

    @classmethod
    def of(
        cls, catalog: KpiCatalog, *, category: Category | None, kpi_set: KpiSet | None
    ) -> CatalogOut:
        return cls(
            categories=[
                CategoryInfoOut.model_validate(c, from_attributes=True) for c in catalog.categories
            ],
            sets=[
                SetInfoOut(
                    set=s.kpi_set,
                    name=s.name,
                    description=s.description,
                    keys=[kpi.key for kpi in catalog.in_set(s.kpi_set)],
                )
                for s in catalog.sets
            ],
            kpis=[
                KpiOut.of(kpi)
                for kpi in catalog.kpis
                if (category is None or kpi.category is category)
                and (kpi_set is None or kpi_set in kpi.sets)
            ],
        )
