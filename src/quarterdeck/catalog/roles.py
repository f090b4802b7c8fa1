"""The role catalog: every kind of technology leader and the neighbouring roles, loaded
from YAML, validated and cross-checked against the KPI catalog and the playbooks."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quarterdeck.catalog.kpis import KpiCatalog, kpi_catalog
from quarterdeck.catalog.loading import CatalogError, load_yaml, shipped, validate_document
from quarterdeck.catalog.playbooks import PlaybookCatalog, playbook_catalog
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.playbooks import Playbook
from quarterdeck.domain.role_kinds import (
    CompensationBasis,
    CompensationBenchmark,
    Engagement,
    EngagementMode,
    RoleKind,
    Span,
)

__all__ = [
    "COMPARE_SIZE",
    "ROLES_FILE",
    "RoleCatalog",
    "compare",
    "load_role_catalog",
    "role_catalog",
]

ROLES_FILE = "roles.yaml"
COMPARE_SIZE = (2, 4)  # how many kinds a comparison puts side by side, both ends included

_MONTH = re.compile(r"(?P<year>(?:19|20)[0-9]{2})-(?P<month>0[1-9]|1[0-2])")

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", max_length=48)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Amount = Annotated[int, Field(gt=0)]
Count = Annotated[int, Field(ge=0)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Span(_Schema):
    low: Count
    high: Count


class _Engagement(_Schema):
    mode: Annotated[EngagementMode, Field(strict=False)]
    hours_per_week: _Span | None = None
    months: _Span | None = None
    note: Text | None = None


class _Benchmark(_Schema):
    region: Name
    basis: Annotated[CompensationBasis, Field(strict=False)]
    currency: Currency
    low: Amount | None = None
    high: Amount | None = None
    average: Amount | None = None
    median: Amount | None = None
    as_of: str | None  # required, so an undated figure is stated as such (null)
    source: Text
    note: Text | None = None


class _Kind(_Schema):
    key: Key
    name: Name
    neighbour: bool = False
    focus: Text
    owns: Annotated[list[Phrase], Field(min_length=1)]
    co_owns: list[Phrase] = []
    influences: list[Phrase] = []
    success_measures: Annotated[list[Key], Field(min_length=1)]
    engagement: _Engagement
    compensation: list[_Benchmark] = []
    red_flags: Annotated[list[Phrase], Field(min_length=1)]
    playbooks: list[Key] = []


class _RolesFile(_Schema):
    version: Literal[1]
    kinds: Annotated[list[_Kind], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class RoleCatalog:
    """Every shipped kind of technology leader and neighbouring role, in file order, with
    the playbook catalog their `playbooks` keys were checked against. A kind's list is the
    one place that says which playbooks apply to it."""

    kinds: tuple[RoleKind, ...]
    playbooks: PlaybookCatalog

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(kind.key for kind in self.kinds)

    def kind(self, key: str) -> RoleKind:
        """The kind with `key`; InvalidInput otherwise."""
        for kind in self.kinds:
            if kind.key == key:
                return kind
        raise InvalidInput(f"unknown kind of leader {key!r}; known: {', '.join(self.keys)}")

    def playbooks_for(self, key: str) -> tuple[Playbook, ...]:
        """The playbooks that apply to the kind `key`, in the order the kind lists them;
        InvalidInput for an unknown kind."""
        return tuple(self.playbooks.playbook(playbook) for playbook in self.kind(key).playbooks)

    def compare(self, keys: Sequence[str]) -> tuple[RoleKind, ...]:
        """Two to four kinds side by side, in the order asked for.

        Raises InvalidInput for fewer than two or more than four keys, a key given twice
        or an unknown key.
        """
        low, high = COMPARE_SIZE
        if not low <= len(keys) <= high:
            raise InvalidInput(f"compare {low} to {high} kinds of leader, not {len(keys)}")
        repeated = sorted({key for key in keys if list(keys).count(key) > 1})
        if repeated:
            raise InvalidInput(f"{', '.join(repeated)} given more than once")
        return tuple(self.kind(key) for key in keys)


def load_role_catalog(
    source: Traversable | Path | None = None,
    *,
    kpis: KpiCatalog | None = None,
    playbooks: PlaybookCatalog | None = None,
) -> RoleCatalog:
    """Load and cross-check the role catalog; `source` defaults to the shipped file, `kpis`
    to the shipped KPI catalog and `playbooks` to the shipped playbook catalog.

    Raises CatalogError naming the file and the path inside it when the file cannot be
    read, breaks its schema, repeats a key, names a KPI or playbook that does not exist,
    gives a range whose low is above its high, or dates a figure with something other
    than a month (YYYY-MM).
    """
    source = shipped(ROLES_FILE) if source is None else source
    known_kpis = frozenset((kpi_catalog() if kpis is None else kpis).keys)
    playbooks = playbook_catalog() if playbooks is None else playbooks
    known_playbooks = frozenset(playbooks.keys)
    document = validate_document(_RolesFile, load_yaml(source), source)
    seen: dict[str, int] = {}
    kinds = []
    for index, raw in enumerate(document.kinds):
        where = f"{source}: kinds[{index}]"
        if raw.key in seen:
            raise CatalogError(
                f"{where}.key: {raw.key!r} is already used by kinds[{seen[raw.key]}]"
            )
        seen[raw.key] = index
        _check_known(
            raw.success_measures,
            known_kpis,
            f"{where}.success_measures",
            "KPI",
            hint="see the KPI catalog for the known keys",
        )
        _check_known(
            raw.playbooks,
            known_playbooks,
            f"{where}.playbooks",
            "playbook",
            hint=f"known: {', '.join(playbooks.keys)}",
        )
        kinds.append(_build(raw, where=where))
    return RoleCatalog(kinds=tuple(kinds), playbooks=playbooks)


@functools.cache
def role_catalog() -> RoleCatalog:
    """The shipped role catalog, loaded once per process."""
    return load_role_catalog()


def compare(keys: Sequence[str]) -> tuple[RoleKind, ...]:
    """Two to four shipped kinds side by side; see RoleCatalog.compare for what it raises."""
    return role_catalog().compare(keys)


def _check_known(
    keys: list[str], known: frozenset[str], where: str, what: str, *, hint: str
) -> None:
    for index, key in enumerate(keys):
        if key not in known:
            raise CatalogError(f"{where}[{index}]: unknown {what} {key!r}; {hint}")


def _build(raw: _Kind, *, where: str) -> RoleKind:
    engagement = _engagement(raw.engagement, where=f"{where}.engagement")
    compensation = tuple(
        _benchmark(benchmark, where=f"{where}.compensation[{index}]")
        for index, benchmark in enumerate(raw.compensation)
    )
    try:
        return RoleKind(
            key=raw.key,
            name=raw.name,
            focus=raw.focus,
            neighbour=raw.neighbour,
            owns=tuple(raw.owns),
            co_owns=tuple(raw.co_owns),
            influences=tuple(raw.influences),
            success_measures=tuple(raw.success_measures),
            engagement=engagement,
            compensation=compensation,
            red_flags=tuple(raw.red_flags),
            playbooks=tuple(raw.playbooks),
        )
    except InvalidInput as error:
        raise CatalogError(f"{where}: {error.message}") from None


def _engagement(raw: _Engagement, *, where: str) -> Engagement:
    hours = _span(raw.hours_per_week, where=f"{where}.hours_per_week")
    months = _span(raw.months, where=f"{where}.months")
    try:
        return Engagement(mode=raw.mode, hours_per_week=hours, months=months, note=raw.note)
    except InvalidInput as error:
        raise CatalogError(f"{where}: {error.message}") from None


def _span(raw: _Span | None, *, where: str) -> Span | None:
    if raw is None:
        return None
    try:
        return Span(raw.low, raw.high)
    except InvalidInput as error:
        raise CatalogError(f"{where}: {error.message}") from None


def _benchmark(raw: _Benchmark, *, where: str) -> CompensationBenchmark:
    try:
        return CompensationBenchmark(
            region=raw.region,
            basis=raw.basis,
            currency=raw.currency,
            source=raw.source,
            as_of=_month(raw.as_of, where=f"{where}.as_of"),
            low=raw.low,
            high=raw.high,
            average=raw.average,
            median=raw.median,
            note=raw.note,
        )
    except InvalidInput as error:
        if isinstance(error, CatalogError):
            raise
        raise CatalogError(f"{where}: {error.message}") from None


def _month(text: str | None, *, where: str) -> date | None:
    if text is None:
        return None
    match = _MONTH.fullmatch(text)
    if match is None:
        raise CatalogError(f"{where}: {text!r} is not a month (YYYY-MM)")
    return date(int(match["year"]), int(match["month"]), 1)
