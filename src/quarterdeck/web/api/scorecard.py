"""The scorecard under /api/v1/workspaces/{workspace}/scorecard, and the KPI catalog it is
chosen from at /api/v1/kpis. Anyone in the workspace reads it; editors and write tokens
choose metrics, set thresholds, name category owners and record or import values. The
delivery figures behind it (`delivery`) are served with it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.scorecard import Cadence, Category, KpiSet
from quarterdeck.services import scorecard
from quarterdeck.web.api import delivery
from quarterdeck.web.api.engineering import FileBody, ImportLimit, SourceName, file_request
from quarterdeck.web.api.kpi_schemas import CatalogOut
from quarterdeck.web.api.scorecard_schemas import (
    KEY,
    CardOut,
    CategoryOwnerIn,
    CategoryOwnerOut,
    MeasurementImportOut,
    MeasurementIn,
    MeasurementOut,
    MetricDetailOut,
    MetricIn,
    MetricPatch,
    ScorecardOut,
    StartIn,
    StartOut,
    TrackedOut,
)
from quarterdeck.web.policies import ReaderDep, SignedInDep, WriterDep

__all__ = ["router"]

router = APIRouter(tags=["scorecard"])
SC = "/workspaces/{workspace}/scorecard"
Key = Annotated[
    str, Path(min_length=1, max_length=64, pattern=KEY, description="The metric's key.")
]


@router.get("/kpis", name="api_kpi_catalog")
def show_kpi_catalog(
    _: SignedInDep,
    category: Annotated[Category | None, Query()] = None,
    kpi_set: Annotated[KpiSet | None, Query(alias="set")] = None,
) -> CatalogOut:
    """The shipped KPI catalog: categories, ready-made sets and every metric with what it
    means, how to read it and how it is misread. Filter with `category` or `set`."""
    return CatalogOut.of(kpi_catalog(), category=category, kpi_set=kpi_set)


@router.get(SC, name="api_show_scorecard")
def show_scorecard(ctx: ReaderDep) -> ScorecardOut:
    """Every tracked metric as a card (status with its reason, staleness, trend, latest
    value, recent series), grouped by category with the category's owner."""
    view = scorecard.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return ScorecardOut.of(view, kpi_catalog())


@router.post(SC + "/start", name="api_start_scorecard")
def start_scorecard(body: StartIn, ctx: WriterDep) -> StartOut:
    """Track every metric of a ready-made set (quick-starter, it-service) not yet tracked.
    Their thresholds start unset."""
    added = scorecard.start_from_set(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, kpi_set=body.kpi_set
    )
    return StartOut(added=[TrackedOut.of(metric) for metric in added])


@router.get(SC + "/metrics", name="api_list_metrics")
def list_metrics(ctx: ReaderDep) -> list[CardOut]:
    """The tracked metrics as cards, in scorecard order."""
    view = scorecard.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return [CardOut.of_card(card) for card in view.cards]


@router.post(SC + "/metrics", status_code=status.HTTP_201_CREATED, name="api_add_metric")
def add_metric(body: MetricIn, ctx: WriterDep) -> TrackedOut:
    """Track a catalog metric, or with `custom` your own. Thresholds out of order for the
    metric's direction answer 422 saying which line; an already tracked key answers 409."""
    thresholds = None if body.thresholds is None else body.thresholds.to_domain()
    if body.custom is None:
        added = scorecard.add_metric(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            key=body.key,
            owner=body.owner,
            cadence=body.cadence,
            thresholds=thresholds,
        )
    else:
        added = scorecard.add_custom_metric(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            key=body.key,
            name=body.custom.name,
            category=body.custom.category,
            unit=body.custom.unit,
            direction=body.custom.direction,
            meaning=body.custom.meaning,
            owner=body.owner,
            cadence=body.cadence or Cadence.MONTHLY,
            thresholds=thresholds,
        )
    return TrackedOut.of(added)


@router.get(SC + "/metrics/{key}", name="api_show_metric")
def show_metric(key: Key, ctx: ReaderDep) -> MetricDetailOut:
    """One metric's card, its definition and every stored value."""
    found = scorecard.detail(ctx.uow, actor=ctx.actor, workspace=ctx.slug, key=key)
    return MetricDetailOut.of_detail(found)


@router.patch(SC + "/metrics/{key}", name="api_configure_metric")
def configure_metric(key: Key, body: MetricPatch, ctx: WriterDep) -> TrackedOut:
    """Change owner, cadence or thresholds (send the version you read; stale answers 409)."""
    configured = scorecard.configure(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        key=key,
        expected_version=body.expected_version,
        owner=body.owner,
        cadence=body.cadence,
        thresholds=None if body.thresholds is None else body.thresholds.to_domain(),
        clear_thresholds=body.clears_thresholds,
    )
    return TrackedOut.of(configured)


@router.delete(
    SC + "/metrics/{key}", status_code=status.HTTP_204_NO_CONTENT, name="api_remove_metric"
)
def remove_metric(key: Key, ctx: WriterDep) -> Response:
    """Stop tracking a metric. Its values are kept: tracking it again brings them back."""
    scorecard.remove_metric(ctx.uow, actor=ctx.actor, workspace=ctx.slug, key=key)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(SC + "/metrics/{key}/measurements", name="api_list_measurements")
def list_measurements(key: Key, ctx: ReaderDep) -> list[MeasurementOut]:
    """Every stored value of the metric, newest period first, from every source."""
    found = scorecard.detail(ctx.uow, actor=ctx.actor, workspace=ctx.slug, key=key)
    return [MeasurementOut.of(m) for m in found.measurements]


@router.post(
    SC + "/metrics/{key}/measurements",
    status_code=status.HTTP_201_CREATED,
    name="api_record_measurement",
)
def record_measurement(key: Key, body: MeasurementIn, ctx: WriterDep) -> MeasurementOut:
    """Record the value for the period ending on `period_end`; a second value for the same
    period replaces the first. A person's value wins over imported and computed ones."""
    recorded = scorecard.record(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        key=key,
        period_end=body.period_end,
        value=body.value,
        note=body.note,
    )
    return MeasurementOut.of(recorded)


@router.post(
    SC + "/measurements/import",
    name="api_import_measurements",
    openapi_extra=file_request(
        'Columns: metric, period_end, value, note; JSON: {"kind": "measurements", "items": [...]}.'
    ),
)
def import_measurements(
    data: FileBody, source: SourceName, limit: ImportLimit, ctx: WriterDep
) -> MeasurementImportOut:
    """Import values from a CSV or JSON file sent as the body, all or nothing: a bad row or
    an untracked metric answers 422 naming the file and line, and stores nothing."""
    imported = scorecard.import_measurements(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, data=data, source=source, max_bytes=limit
    )
    return MeasurementImportOut.of(imported)


@router.put(SC + "/categories/{category}/owner", name="api_set_category_owner")
def set_category_owner(
    category: Category, body: CategoryOwnerIn, ctx: WriterDep
) -> CategoryOwnerOut:
    """Name who answers for a category of the scorecard (an empty owner: nobody). Send the
    scorecard's `settings_version` you read (category owners share it with the delivery
    choices): a stale one answers 409 and changes nothing."""
    owners, version = scorecard.set_category_owner(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        category=category,
        owner=body.owner,
        expected_version=body.expected_version,
    )
    return CategoryOwnerOut.of(category, owners, version)


router.include_router(delivery.router)
