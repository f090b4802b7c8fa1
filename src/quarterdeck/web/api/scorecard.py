"""The scorecard under /api/v1/workspaces/{workspace}/scorecard, and the KPI catalog it is
chosen from at /api/v1/kpis. Anyone in the workspace reads it; editors and write tokens
choose metrics, set thresholds and record or import values."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.delivery import CommitTime, DeliveryMetrics
from quarterdeck.domain.delivery_bands import Band, BandRating, BandsEdition
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import Cadence, Category, KpiSet
from quarterdeck.services import delivery, engineering, scorecard
from quarterdeck.web.api.engineering import FileBody, SourceName, file_request
from quarterdeck.web.api.scorecard_schemas import (
    KEY,
    CardOut,
    CatalogOut,
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
from quarterdeck.web.policies import ReaderDep, SignedInDep, WorkspaceContext, WriterDep

__all__ = ["router"]

router = APIRouter(tags=["scorecard"])
ONE_DAY = timedelta(days=1)
DEFAULT_DAYS = 30
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
def import_measurements(data: FileBody, source: SourceName, ctx: WriterDep) -> MeasurementImportOut:
    """Import values from a CSV or JSON file sent as the body, all or nothing: a bad row or
    an untracked metric answers 422 naming the file and line, and stores nothing."""
    imported = scorecard.import_measurements(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, data=data, source=source
    )
    return MeasurementImportOut.of(imported)


@router.put(SC + "/categories/{category}/owner", name="api_set_category_owner")
def set_category_owner(
    category: Category, body: CategoryOwnerIn, ctx: WriterDep
) -> CategoryOwnerOut:
    """Name who answers for a category of the scorecard (an empty owner: nobody)."""
    owners = scorecard.set_category_owner(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, category=category, owner=body.owner
    )
    return CategoryOwnerOut.of(category, owners)


# -- delivery figures (DOMAIN.md section 8) --------------------------------------------------


class BandOut(BaseModel):
    edition: BandsEdition
    band: Band | None = Field(description="Null without a figure, or when the table cannot tell.")
    bands: list[Band] = Field(description="Three for a 2021 change failure rate above 15%.")
    stated: str = Field(description="The table row's words.")
    note: str

    @classmethod
    def of(cls, rating: BandRating) -> BandOut:
        return cls(
            edition=rating.edition,
            band=rating.band,
            bands=list(rating.bands),
            stated=rating.stated,
            note=rating.note(),
        )


class FrequencyOut(BaseModel):
    count: int
    days: float
    per_day: float
    per_week: float
    production_environment: str
    band: BandOut
    notes: list[str]


class LeadTimeOut(BaseModel):
    median_hours: float | None
    count: int = Field(description="Changes behind the median.")
    commit_time: CommitTime
    non_positive: int = Field(description="Changes excluded: lead time zero or less.")
    bots: int = Field(description="Changes excluded: bot authors.")
    baseline: int = Field(description="Changes excluded: shipped by a first deployment.")
    unknown_commits: int
    band: BandOut
    notes: list[str]


class ChangeFailureRateOut(BaseModel):
    rate: float | None
    failed: int
    deployments: int = Field(description="The count the rate divides by.")
    incidents_linked: int
    incidents_unlinked: int
    unlinked_by_rule: dict[str, int]
    band: BandOut
    notes: list[str]


class TimeToRestoreOut(BaseModel):
    median_hours: float | None
    count: int
    unresolved: int
    negative: int
    band: BandOut
    notes: list[str]


class TimeToAcknowledgeOut(BaseModel):
    median_hours: float | None
    count: int
    unacknowledged: int
    negative: int
    notes: list[str]


def _figure(figure: Any, **extra: object) -> dict[str, object]:
    """A figure's fields as stored, with its band and notes in words."""
    fields = {name: getattr(figure, name) for name in type(figure).__dataclass_fields__}
    if "band" in fields:
        fields["band"] = BandOut.of(figure.band)
    return {**fields, **extra, "notes": list(figure.notes())}


class DeliveryMetricsOut(BaseModel):
    service: str | None = Field(description="Null: every service pooled.")
    frequency: FrequencyOut
    lead_time: LeadTimeOut
    change_failure_rate: ChangeFailureRateOut
    time_to_restore: TimeToRestoreOut
    time_to_acknowledge: TimeToAcknowledgeOut

    @classmethod
    def of(cls, m: DeliveryMetrics) -> DeliveryMetricsOut:
        cfr = m.change_failure_rate
        return cls.model_validate(
            {
                "service": m.service,
                "frequency": _figure(m.frequency),
                "lead_time": _figure(m.lead_time),
                "change_failure_rate": _figure(
                    cfr, unlinked_by_rule={rule.value: n for rule, n in cfr.unlinked_by_rule}
                ),
                "time_to_restore": _figure(m.time_to_restore),
                "time_to_acknowledge": _figure(m.time_to_acknowledge),
            }
        )


class DeliveryReportOut(BaseModel):
    start: datetime = Field(description="Included, UTC.")
    end: datetime = Field(description="Excluded, UTC.")
    bands_edition: BandsEdition
    overall: DeliveryMetricsOut
    services: list[DeliveryMetricsOut]
    unresolved_tags: list[str] = Field(description="Release tags whose commit is not ingested.")


class ReleaseRuleOut(BaseModel):
    repository: str
    pattern: str
    service: str


class DeliveryChoicesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_version: int = Field(
        strict=True, ge=0, le=2**31 - 1, description="The version you read (0: never saved)."
    )
    production_environment: str = Field(min_length=1, max_length=64)
    commit_time: CommitTime
    bot_patterns: list[str] = Field(max_length=50, description="fnmatch on author emails.")
    link_by_service_window: bool
    max_link_gap_hours: float = Field(gt=0, le=720, allow_inf_nan=False)
    bands_edition: BandsEdition


class DeliveryChoicesOut(BaseModel):
    version: int
    production_environment: str
    commit_time: CommitTime
    bot_patterns: list[str]
    link_by_service_window: bool
    max_link_gap_hours: float
    bands_edition: BandsEdition
    start_points: dict[str, str] = Field(description="service -> commit counted as shipped.")
    releases: list[ReleaseRuleOut] = Field(description="Release tags, set by git ingestion.")

    @classmethod
    def of(cls, choices: delivery.DeliveryChoices, version: int) -> DeliveryChoicesOut:
        stored = delivery.choices_to_json(choices)
        releases = stored.pop("releases")
        return cls.model_validate(
            {
                **stored,
                "version": version,
                "releases": [{"repository": name, **rule} for name, rule in releases.items()],
            }
        )


def _window(
    ctx: WorkspaceContext, start: date | None, end: date | None, days: int | None
) -> tuple[datetime, datetime]:
    """Whole days in the workspace's time zone; without `end`, up to now."""
    if start is not None and days is not None:
        raise InvalidInput("give start or days, not both")
    zone = ZoneInfo(ctx.access.workspace.time_zone)
    until = ctx.uow.now() if end is None else datetime.combine(end + ONE_DAY, time(), zone)
    if start is None:
        return until - (days or DEFAULT_DAYS) * ONE_DAY, until
    return datetime.combine(start, time(), zone), until


@router.get("/workspaces/{workspace}/delivery", tags=["delivery"], name="api_delivery_report")
def delivery_report(
    ctx: ReaderDep,
    start: Annotated[date | None, Query(description="First day, workspace time.")] = None,
    end: Annotated[date | None, Query(description="Last day, included; default: now.")] = None,
    days: Annotated[int | None, Query(ge=1, le=3660, description="Default 30.")] = None,
) -> DeliveryReportOut:
    """Deployment frequency, lead time, change failure rate, time to restore and to
    acknowledge, overall and per service, each with its count, DORA band and the choices
    behind it in words."""
    since, until = _window(ctx, start, end, days)
    found = delivery.report(ctx.uow, actor=ctx.actor, workspace=ctx.slug, start=since, end=until)
    return DeliveryReportOut(
        start=found.overall.start,
        end=found.overall.end,
        bands_edition=found.overall.bands_edition,
        overall=DeliveryMetricsOut.of(found.overall),
        services=[DeliveryMetricsOut.of(m) for m in found.services],
        unresolved_tags=list(found.loaded.unresolved_tags),
    )


@router.get(
    "/workspaces/{workspace}/delivery/choices", tags=["delivery"], name="api_delivery_choices"
)
def delivery_choices(ctx: ReaderDep) -> DeliveryChoicesOut:
    """The choices behind the delivery figures, and the version to change them against."""
    choices, version = delivery.current_choices(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return DeliveryChoicesOut.of(choices, version)


@router.put(
    "/workspaces/{workspace}/delivery/choices",
    tags=["delivery"],
    name="api_set_delivery_choices",
)
def set_delivery_choices(body: DeliveryChoicesIn, ctx: WriterDep) -> DeliveryChoicesOut:
    """Replace the choices (send every one, and the version you read: stale answers 409);
    the computed scorecard values are worked out again with them."""
    engineering.set_delivery_choices(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        expected_version=body.expected_version,
        production_environment=body.production_environment,
        commit_time=body.commit_time,
        bot_patterns=body.bot_patterns,
        link_by_service_window=body.link_by_service_window,
        max_link_gap_hours=body.max_link_gap_hours,
        bands_edition=body.bands_edition,
    )
    return delivery_choices(ctx)
