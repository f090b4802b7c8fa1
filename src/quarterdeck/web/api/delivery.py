"""The delivery figures (DOMAIN.md section 8) under /api/v1/workspaces/{workspace}/delivery:
the four keys and MTTA over a window, and the choices behind them, release rules and start
points included. Anyone in the workspace reads them; editors and write tokens change the
choices, against the scorecard settings version they read."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from quarterdeck.domain.delivery import CommitTime, DeliveryMetrics
from quarterdeck.domain.delivery_bands import Band, BandRating, BandsEdition
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.services import delivery, engineering
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep

__all__ = ["router"]

router = APIRouter(tags=["delivery"])
ONE_DAY = timedelta(days=1)
DEFAULT_DAYS = 30
MAX_LISTED = 50  # release rules, start points
Service = Annotated[str, Field(min_length=1, max_length=64)]


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


class ReleaseRuleIn(ReleaseRuleOut):
    """Tags of a repository read into the workspace that are releases of a service."""

    model_config = ConfigDict(extra="forbid")

    repository: str = Field(min_length=1, max_length=120)
    pattern: str = Field(
        min_length=1,
        max_length=100,
        description="Tag names, as git matches them (fnmatch: *, ?, [...]).",
    )
    service: Service

    def to_rule(self) -> delivery.ReleaseRule:
        return delivery.ReleaseRule(self.pattern, self.service)


Sha = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{4,64}$", description="A commit sha.")]


class DeliveryChoicesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_version: int = Field(
        strict=True, ge=0, le=2**31 - 1, description="The version you read (0: never saved)."
    )
    production_environment: str = Field(min_length=1, max_length=64)
    commit_time: CommitTime
    bot_patterns: list[str] = Field(
        max_length=50, description="Author emails; `*` any text, `?` one character, any case."
    )
    link_by_service_window: bool
    max_link_gap_hours: float = Field(gt=0, le=720, allow_inf_nan=False)
    bands_edition: BandsEdition
    releases: list[ReleaseRuleIn] | None = Field(
        default=None,
        max_length=MAX_LISTED,
        description="Every release rule, one per repository read into the workspace; "
        "replaces the stored ones. Left out: they stay.",
    )
    start_points: dict[Service, Sha] | None = Field(
        default=None,
        max_length=MAX_LISTED,
        description="service -> the commit its first deployment counts changes from (an "
        "abbreviated sha is completed when it names one stored commit); replaces the stored "
        "ones. Left out: they stay.",
    )

    @model_validator(mode="after")
    def _one_rule_per_repository(self) -> Self:
        names = [rule.repository for rule in self.releases or ()]
        if twice := sorted({name for name in names if names.count(name) > 1}):
            raise ValueError(f"one release rule per repository; given twice: {', '.join(twice)}")
        return self

    def release_rules(self) -> dict[str, delivery.ReleaseRule] | None:
        if self.releases is None:
            return None
        return {rule.repository: rule.to_rule() for rule in self.releases}


class DeliveryChoicesOut(BaseModel):
    version: int
    production_environment: str
    commit_time: CommitTime
    bot_patterns: list[str]
    link_by_service_window: bool
    max_link_gap_hours: float
    bands_edition: BandsEdition
    start_points: dict[str, str] = Field(description="service -> commit counted as shipped.")
    releases: list[ReleaseRuleOut] = Field(description="Release tags of each repository.")

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


@router.get("/workspaces/{workspace}/delivery", name="api_delivery_report")
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


@router.get("/workspaces/{workspace}/delivery/choices", name="api_delivery_choices")
def delivery_choices(ctx: ReaderDep) -> DeliveryChoicesOut:
    """The choices behind the delivery figures, and the version to change them against."""
    choices, version = delivery.current_choices(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return DeliveryChoicesOut.of(choices, version)


@router.put("/workspaces/{workspace}/delivery/choices", name="api_set_delivery_choices")
def set_delivery_choices(body: DeliveryChoicesIn, ctx: WriterDep) -> DeliveryChoicesOut:
    """Replace the choices (send every one, and the version you read: stale answers 409;
    release rules and start points left out stay); the computed scorecard values are worked
    out again with them. A release rule for a repository not read into the workspace, or a
    start point that is no sha, answers 422 and changes nothing."""
    choices, version = engineering.set_delivery_choices(
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
        releases=body.release_rules(),
        start_points=body.start_points,
    )
    return DeliveryChoicesOut.of(choices, version)
