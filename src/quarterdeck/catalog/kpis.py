"""The KPI catalog: every metric a scorecard can track, its categories and its ready-made
sets, loaded from YAML, validated and cross-checked."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quarterdeck.catalog.loading import CatalogError, load_yaml, shipped, validate_document
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.kpis import (
    COMPUTATIONS,
    QUICK_STARTER_SIZE,
    Cadence,
    Category,
    CategoryInfo,
    Direction,
    KpiDefinition,
    KpiSet,
    KpiSetInfo,
    Source,
    Unit,
)

__all__ = ["KPIS_FILE", "KpiCatalog", "kpi_catalog", "load_kpi_catalog"]

KPIS_FILE = "kpis.yaml"
_E = TypeVar("_E", KpiSet, Category)

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", max_length=48)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Category(_Schema):
    name: Name
    description: Text
    review: Annotated[Cadence, Field(strict=False)]


class _Set(_Schema):
    name: Name
    description: Text


class _Kpi(_Schema):
    key: Key
    name: Name
    category: Annotated[Category, Field(strict=False)]
    unit: Annotated[Unit, Field(strict=False)]
    direction: Annotated[Direction, Field(strict=False)]
    source: Annotated[Source, Field(strict=False)]
    computed_by: str | None = None
    meaning: Text
    reading: Text
    trap: Text
    sets: list[Annotated[KpiSet, Field(strict=False)]] = []


class _KpisFile(_Schema):
    version: Literal[1]
    categories: dict[Key, _Category]
    sets: dict[Key, _Set]
    kpis: Annotated[list[_Kpi], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class KpiCatalog:
    """Every shipped metric, category and set, in file order."""

    kpis: tuple[KpiDefinition, ...]
    categories: tuple[CategoryInfo, ...]
    sets: tuple[KpiSetInfo, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(kpi.key for kpi in self.kpis)

    def kpi(self, key: str) -> KpiDefinition:
        """The metric with `key`; InvalidInput otherwise."""
        for kpi in self.kpis:
            if kpi.key == key:
                return kpi
        raise InvalidInput(f"unknown metric {key!r}; see the KPI catalog for the known keys")

    def in_set(self, kpi_set: KpiSet | str) -> tuple[KpiDefinition, ...]:
        """The metrics of a ready-made set, in catalog order; InvalidInput for an unknown set."""
        chosen = _parse(KpiSet, kpi_set, "metric set")
        return tuple(kpi for kpi in self.kpis if chosen in kpi.sets)

    def in_category(self, category: Category | str) -> tuple[KpiDefinition, ...]:
        """The metrics of a category, in catalog order; InvalidInput for an unknown category."""
        chosen = _parse(Category, category, "metric category")
        return tuple(kpi for kpi in self.kpis if kpi.category is chosen)

    def category(self, category: Category | str) -> CategoryInfo:
        chosen = _parse(Category, category, "metric category")
        return next(info for info in self.categories if info.category is chosen)

    def set_info(self, kpi_set: KpiSet | str) -> KpiSetInfo:
        chosen = _parse(KpiSet, kpi_set, "metric set")
        return next(info for info in self.sets if info.kpi_set is chosen)


def load_kpi_catalog(source: Traversable | Path | None = None) -> KpiCatalog:
    """Load and cross-check the KPI catalog; `source` defaults to the shipped file.

    Raises CatalogError naming the file and the path inside it when the file cannot be
    read, breaks its schema, misses or adds a category or set, repeats a key, names an
    unknown computation (or one for a manual metric, or none for a computed one), or
    leaves a set empty or the quick-starter set outside 8-10 metrics.
    """
    source = shipped(KPIS_FILE) if source is None else source
    document = validate_document(_KpisFile, load_yaml(source), source)
    categories = _categories(document, source)
    sets = _sets(document, source)
    reviews = {info.category: info.review for info in categories}
    seen: dict[str, int] = {}
    kpis = []
    for index, raw in enumerate(document.kpis):
        where = f"{source}: kpis[{index}]"
        if raw.key in seen:
            raise CatalogError(f"{where}.key: {raw.key!r} is already used by kpis[{seen[raw.key]}]")
        seen[raw.key] = index
        kpis.append(_build(raw, review=reviews[raw.category], where=where))
    _check_sets(kpis, source)
    unused = [c.value for c in Category if not any(k.category is c for k in kpis)]
    if unused:
        raise CatalogError(f"{source}: kpis: no metric in category {', '.join(unused)}")
    return KpiCatalog(kpis=tuple(kpis), categories=categories, sets=sets)


@functools.cache
def kpi_catalog() -> KpiCatalog:
    """The shipped KPI catalog, loaded once per process."""
    return load_kpi_catalog()


def _categories(document: _KpisFile, source: Traversable | Path) -> tuple[CategoryInfo, ...]:
    _check_covers("categories", set(document.categories), {c.value for c in Category}, source)
    return tuple(
        CategoryInfo(Category(key), raw.name, raw.description, raw.review)
        for key, raw in document.categories.items()
    )


def _sets(document: _KpisFile, source: Traversable | Path) -> tuple[KpiSetInfo, ...]:
    _check_covers("sets", set(document.sets), {s.value for s in KpiSet}, source)
    return tuple(
        KpiSetInfo(KpiSet(key), raw.name, raw.description) for key, raw in document.sets.items()
    )


def _check_covers(
    section: str, found: set[str], expected: set[str], source: Traversable | Path
) -> None:
    problems = []
    if unknown := sorted(found - expected):
        problems.append(f"unknown {', '.join(unknown)} (known: {', '.join(sorted(expected))})")
    if missing := sorted(expected - found):
        problems.append(f"missing {', '.join(missing)}")
    if problems:
        raise CatalogError(f"{source}: {section}: {'; '.join(problems)}")


def _build(raw: _Kpi, *, review: Cadence, where: str) -> KpiDefinition:
    if raw.source is Source.COMPUTED and raw.computed_by is None:
        raise CatalogError(f"{where}.computed_by: a computed metric must name its computation")
    if raw.source is Source.MANUAL and raw.computed_by is not None:
        raise CatalogError(f"{where}.computed_by: only a computed metric names a computation")
    if raw.computed_by is not None and raw.computed_by not in COMPUTATIONS:
        raise CatalogError(
            f"{where}.computed_by: unknown computation {raw.computed_by!r} "
            f"(known: {', '.join(COMPUTATIONS)})"
        )
    repeated = [kpi_set.value for kpi_set, n in Counter(raw.sets).items() if n > 1]
    if repeated:
        raise CatalogError(f"{where}.sets: {', '.join(repeated)} listed more than once")
    try:
        return KpiDefinition(
            key=raw.key,
            name=raw.name,
            category=raw.category,
            unit=raw.unit,
            direction=raw.direction,
            source=raw.source,
            computed_by=raw.computed_by,
            meaning=raw.meaning,
            reading=raw.reading,
            trap=raw.trap,
            review=review,
            sets=frozenset(raw.sets),
        )
    except InvalidInput as error:
        raise CatalogError(f"{where}: {error.message}") from None


def _check_sets(kpis: list[KpiDefinition], source: Traversable | Path) -> None:
    for kpi_set in KpiSet:
        members = sum(1 for kpi in kpis if kpi_set in kpi.sets)
        if not members:
            raise CatalogError(f"{source}: kpis: no metric is in set {kpi_set.value}")
        low, high = QUICK_STARTER_SIZE
        if kpi_set is KpiSet.QUICK_STARTER and not low <= members <= high:
            raise CatalogError(
                f"{source}: kpis: set {kpi_set.value} has {members} metrics; it needs "
                f"{low} to {high}"
            )


def _parse(kind: type[_E], value: _E | str, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        raise InvalidInput(f"unknown {what} {value!r}; known: {known}") from None
