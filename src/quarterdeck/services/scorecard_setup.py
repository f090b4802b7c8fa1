"""Choosing and configuring a workspace's scorecard: which metrics it tracks (from the
catalog or its own), their owners, thresholds and review cadence, and who answers for each
category. Also what a tracked metric is and how it is read back from storage, which the
measurements and the cards build on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
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
    Thresholds,
    Unit,
    check_thresholds,
)
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import audit, computed
from quarterdeck.services.access import authorize
from quarterdeck.services.scorecard_thresholds import thresholds_from_json, thresholds_to_json
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories.scorecard import StoredMetric

__all__ = [
    "TrackedMetric",
    "add_custom_metric",
    "add_metric",
    "category_owners",
    "configure",
    "remove_metric",
    "set_category_owner",
    "start_from_set",
    "tracked_metric",
    "tracked_metrics",
]

_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


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


# -- reading back what is tracked -----------------------------------------------------------


def tracked_metrics(uow: UnitOfWork, ws: Workspace) -> list[TrackedMetric]:
    """Every metric on the workspace's scorecard (no authorization: the caller has done it)."""
    return [_to_tracked(stored) for stored in uow.scorecard.metrics(ws.id)]


def tracked_metric(uow: UnitOfWork, ws: Workspace, key: str) -> TrackedMetric:
    """One metric on the workspace's scorecard; NotFound when it is not on it."""
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
        thresholds=thresholds_from_json(stored.thresholds),
        cadence=Cadence(stored.cadence),
        version=stored.version,
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
    added = [
        _add(uow, actor, ws, definition, custom=False, owner="", cadence=None, compute=False)
        for definition in kpi_catalog().in_set(chosen)
        if definition.key not in present
    ]
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
    cadence: Cadence | None = None,
    thresholds: Thresholds | BandThresholds | None = None,
) -> TrackedMetric:
    """Put the workspace's own metric on the scorecard (entered by hand). Its review cadence
    defaults to that of its category's catalog metrics."""
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
    cadence = cadence or kpi_catalog().category(category).review  # as its category's metrics
    definition = _custom_definition(key, data, cadence)
    return _add(
        uow, actor, ws, definition, custom=True, owner=owner, cadence=cadence, thresholds=thresholds
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
        thresholds=thresholds_to_json(thresholds),
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
    current = tracked_metric(uow, ws, key)
    new_thresholds = None if clear_thresholds else thresholds or current.thresholds
    if new_thresholds is not None:
        check_thresholds(current.definition.direction, new_thresholds)
    before = uow.scorecard.metric(ws.id, key)
    stored = uow.scorecard.update_metric(
        ws.id,
        key,
        expected_version=expected_version,
        owner=current.owner if owner is None else _owner(owner),
        thresholds=thresholds_to_json(new_thresholds),
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


def category_owners(uow: UnitOfWork, *, actor: Actor, workspace: str) -> tuple[dict[str, str], int]:
    """Who answers for each category (only those with an owner), and the scorecard settings
    version to change them against."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    settings = uow.scorecard.settings(ws.id)
    return dict(settings.category_owners), settings.version


def set_category_owner(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    category: Category,
    owner: str,
    expected_version: int,
) -> tuple[dict[str, str], int]:
    """Name who answers for a category of the scorecard (empty: nobody); returns all owners
    and the new settings version. Category owners share one version with the delivery
    choices: a stale `expected_version` raises Conflict and changes nothing."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    settings = uow.scorecard.settings(ws.id)
    owners = {**settings.category_owners, category.value: _owner(owner)}
    owners = {k: v for k, v in owners.items() if v}
    stored = uow.scorecard.put_settings(
        ws.id,
        expected_version=expected_version,
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
    return owners, stored.version
