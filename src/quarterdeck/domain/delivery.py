"""Delivery metrics exactly as DOMAIN.md section 8 defines them: lead time for changes,
deployment frequency, change failure rate, time to restore and time to acknowledge, each
with the choices behind it. Which commits each deployment ships is traced in
`delivery_changes` (its names are importable from here too).

Use: `trace_changes` once over a service's (or a repository's) deployments and commits,
`link_incidents` once over the incidents, then `delivery_metrics` per window and service.
`measure_delivery` does all three.

Choices section 8 leaves open (every result's `notes()` prints the ones behind it; those
of tracing, from merging duplicate ids to start points, are listed in `delivery_changes`):

- Lead time exclusions are counted under one heading each, in this order: baseline, bot
  author (`*` and `?` wildcards on the author email, any case), non-positive lead time.
- Window [start, end): deployments and their changes by finish time; incidents by start
  time (time to restore, MTTA, unlinked count). A deployment in the window has failed
  when any incident is linked to it, whenever that incident began.
- One service: its deployments and the incidents whose service it is. All services
  (service None): everything pooled, so the frequency of a monorepo is the sum of its
  services' frequencies.
- Linking: the incident's cause deployment (a counted deployment, any service), else its
  cause commit (the deployment of the incident's own service that first shipped it, else
  the earliest of any service). A named cause that resolves to nothing leaves the
  incident unlinked: it is not replaced by a guess. With no named cause and window
  linking allowed: the latest counted deployment of the incident's service that finished
  strictly before the incident began, when the gap is at most the maximum (inclusive).
- Time to restore and MTTA cover every incident, linked or not; a duration below zero is
  excluded and counted, zero counts. All medians are `interpolated_median`.
- Every time is compared and reported in UTC.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from quarterdeck.domain.bottlenecks import interpolated_median
from quarterdeck.domain.delivery_bands import BandRating, BandsEdition, Metric, grade
from quarterdeck.domain.delivery_changes import (
    Change,
    CommitLookup,
    CommitTime,
    DeliveryHistory,
    DeliverySettings,
    ShippedDeployment,
    TagDeployments,
    deduplicate,
    deployments_from_tags,
    extend_history,
    trace_changes,
)
from quarterdeck.domain.engineering import Commit, Deployment, Incident, require_aware
from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "Change",
    "ChangeFailureRate",
    "CommitLookup",
    "CommitTime",
    "DeliveryHistory",
    "DeliveryMetrics",
    "DeliverySettings",
    "DeploymentFrequency",
    "IncidentLink",
    "LeadTime",
    "LinkRule",
    "ShippedDeployment",
    "TagDeployments",
    "TimeToAcknowledge",
    "TimeToRestore",
    "deduplicate",
    "delivery_metrics",
    "deployments_from_tags",
    "extend_history",
    "link_incidents",
    "measure_delivery",
    "trace_changes",
]

MICROSECOND = timedelta(microseconds=1)
MICROS_PER_HOUR = 3_600_000_000
MICROS_PER_DAY = 24 * MICROS_PER_HOUR


# --- incidents ------------------------------------------------------------------


class LinkRule(StrEnum):
    CAUSE_DEPLOYMENT = "cause-deployment"
    CAUSE_COMMIT = "cause-commit"
    SERVICE_WINDOW = "service-window"
    # unlinked:
    UNRESOLVED_CAUSE = "unresolved-cause"  # the named cause is no counted deployment
    NO_CAUSE = "no-cause"  # nothing named and window linking is off
    NO_EARLIER_DEPLOYMENT = "no-earlier-deployment"
    BEYOND_GAP = "beyond-gap"


@dataclass(frozen=True, slots=True)
class IncidentLink:
    incident: Incident
    deployment_id: str | None  # None: unlinked, `rule` says why
    rule: LinkRule

    @property
    def linked(self) -> bool:
        return self.deployment_id is not None


def link_incidents(
    history: DeliveryHistory, incidents: Iterable[Incident]
) -> tuple[IncidentLink, ...]:
    """Link each incident to the deployment that caused it, by the rules of section 8 and
    the history's settings (see the module docstring), or say why it stays unlinked."""
    return tuple(_link(history, incident) for incident in incidents)


def _link(history: DeliveryHistory, incident: Incident) -> IncidentLink:
    if incident.cause_deployment or incident.cause_commit:
        found = history.deployment(incident.cause_deployment) if incident.cause_deployment else None
        if found is not None:
            return IncidentLink(incident, found.deployment.deployment_id, LinkRule.CAUSE_DEPLOYMENT)
        if incident.cause_commit:
            sha = incident.cause_commit.strip()
            found = history.first_shipper(sha, service=incident.service)
            found = found or history.first_shipper(sha.lower(), service=incident.service)
            if found is not None:
                return IncidentLink(incident, found.deployment.deployment_id, LinkRule.CAUSE_COMMIT)
        return IncidentLink(incident, None, LinkRule.UNRESOLVED_CAUSE)
    if not history.settings.link_by_service_window:
        return IncidentLink(incident, None, LinkRule.NO_CAUSE)
    latest = history.latest_before(incident.service, incident.started_at)
    if latest is None:
        return IncidentLink(incident, None, LinkRule.NO_EARLIER_DEPLOYMENT)
    if incident.started_at - latest.finished_at > history.settings.max_link_gap:
        return IncidentLink(incident, None, LinkRule.BEYOND_GAP)
    return IncidentLink(incident, latest.deployment.deployment_id, LinkRule.SERVICE_WINDOW)


# --- metrics ----------------------------------------------------------------------


def _hours(span: timedelta) -> str:
    return f"{span / timedelta(hours=1):g} h"


@dataclass(frozen=True, slots=True)
class DeploymentFrequency:
    count: int
    days: float  # the window's length
    per_day: float
    per_week: float
    production_environment: str
    band: BandRating

    def notes(self) -> tuple[str, ...]:
        return (
            f"{self.count} successful '{self.production_environment}' deployments finished "
            f"in the window of {self.days:g} days; rows sharing a deployment id count once.",
            self.band.note(),
        )


@dataclass(frozen=True, slots=True)
class LeadTime:
    median_hours: float | None
    count: int
    commit_time: CommitTime
    non_positive: int  # changes with a lead time of zero or less, excluded
    bots: int  # changes by bot authors, excluded
    bot_patterns: tuple[str, ...]
    baseline: int  # changes shipped by a first deployment, excluded
    start_points: tuple[tuple[str, str], ...]  # (service, sha) in effect
    unknown_start_points: tuple[str, ...]  # services whose start point is not in the history
    unknown_commits: int  # deployments in the window whose commit is not in the history
    band: BandRating

    def notes(self) -> tuple[str, ...]:
        lines = [
            f"Deployment finish time minus the commit's {self.commit_time} time (UTC); "
            f"interpolated median over {self.count} changes, each at its first deployment.",
            f"{self.non_positive} changes with a lead time of zero or less are excluded.",
            f"{self.bots} changes by bot authors are excluded"
            + (f" ({', '.join(self.bot_patterns)})." if self.bot_patterns else " (no patterns)."),
            f"{self.baseline} changes shipped by a service's first deployment are excluded: "
            "it has no predecessor (a start point makes them count).",
        ]
        lines += [
            f"Start point for {service}: {sha} and its ancestors count as already shipped."
            for service, sha in self.start_points
        ]
        lines += [
            f"The start point for {service} is not in the history; it is ignored."
            for service in self.unknown_start_points
        ]
        if self.unknown_commits:
            lines.append(
                f"{self.unknown_commits} deployments name a commit missing from the history; "
                "their changes count at the next deployment."
            )
        return (*lines, self.band.note())


@dataclass(frozen=True, slots=True)
class ChangeFailureRate:
    failed: int  # deployments in the window with at least one linked incident
    deployments: int
    rate: float | None
    incidents_linked: int  # incidents linked to the window's deployments
    incidents_unlinked: int  # incidents started in the window that stay unlinked
    unlinked_by_rule: tuple[tuple[LinkRule, int], ...]
    link_by_service_window: bool
    max_link_gap: timedelta
    band: BandRating

    def notes(self) -> tuple[str, ...]:
        rule = (
            "then to the latest production deployment of the same service that finished "
            f"before the incident began, at most {_hours(self.max_link_gap)} before it"
            if self.link_by_service_window
            else "only (linking by service and time is off)"
        )
        return (
            f"{self.failed} of {self.deployments} deployments caused at least one incident; "
            "the rate divides by deployments, never by changes.",
            f"Incidents are linked by their named cause (deployment id or commit sha) {rule}.",
            f"{self.incidents_unlinked} incidents that began in the window stay unlinked.",
            self.band.note(),
        )


@dataclass(frozen=True, slots=True)
class TimeToRestore:
    median_hours: float | None
    count: int
    unresolved: int
    negative: int  # resolved before started, excluded
    band: BandRating

    def notes(self) -> tuple[str, ...]:
        return (
            f"Resolved minus started, interpolated median over {self.count} incidents that "
            f"began in the window; {self.unresolved} unresolved and {self.negative} resolved "
            "before they began are left out.",
            self.band.note(),
        )


@dataclass(frozen=True, slots=True)
class TimeToAcknowledge:
    median_hours: float | None
    count: int
    unacknowledged: int
    negative: int  # acknowledged before started, excluded

    def notes(self) -> tuple[str, ...]:
        return (
            f"Acknowledged minus started, interpolated median over {self.count} incidents "
            f"that began in the window; {self.unacknowledged} unacknowledged and "
            f"{self.negative} acknowledged before they began are left out.",
        )


@dataclass(frozen=True, slots=True)
class DeliveryMetrics:
    start: datetime  # UTC, included
    end: datetime  # UTC, excluded
    service: str | None  # None: all services pooled
    bands_edition: BandsEdition
    frequency: DeploymentFrequency
    lead_time: LeadTime
    change_failure_rate: ChangeFailureRate
    time_to_restore: TimeToRestore
    time_to_acknowledge: TimeToAcknowledge


def _median(micros: Sequence[int]) -> tuple[float | None, Fraction | None]:
    """The interpolated median in hours, as a float and exactly (for grading)."""
    median = interpolated_median(micros)
    if median is None:
        return None, None
    return median / MICROS_PER_HOUR, Fraction(median) / MICROS_PER_HOUR


def _durations(
    pairs: Iterable[tuple[datetime, datetime | None]],
) -> tuple[list[int], int, int]:
    spans, missing, negative = [], 0, 0
    for began, ended in pairs:
        if ended is None:
            missing += 1
        elif (span := (ended - began) // MICROSECOND) < 0:
            negative += 1
        else:
            spans.append(span)
    return spans, missing, negative


def _lead_time(
    history: DeliveryHistory, shipped: Sequence[ShippedDeployment], service: str | None
) -> LeadTime:
    settings = history.settings
    spans: list[int] = []
    non_positive = bots = baseline = 0
    for deployment in shipped:
        lead = deployment.lead
        spans.extend(lead.spans)
        non_positive += lead.non_positive
        bots += lead.bots
        baseline += lead.baseline
    hours, exact = _median(spans)
    unknown = tuple(s for s in history.unknown_start_points if service in (None, s))
    starts = tuple(
        (name, sha)
        for name, sha in sorted(settings.start_points.items())
        if service in (None, name) and name not in unknown
    )
    return LeadTime(
        hours,
        len(spans),
        settings.commit_time,
        non_positive,
        bots,
        settings.bot_patterns,
        baseline,
        starts,
        unknown,
        sum(1 for d in shipped if d.deployment.commit is not None and not d.commit_known),
        grade(Metric.LEAD_TIME, exact, edition=settings.bands_edition),
    )


def delivery_metrics(
    history: DeliveryHistory,
    links: Sequence[IncidentLink],
    *,
    start: datetime,
    end: datetime,
    service: str | None = None,
) -> DeliveryMetrics:
    """The four keys and MTTA over [start, end) for one service or all (None), from a
    traced history and its incident links. Raises InvalidInput for a window without a
    time zone or not ending after it starts."""
    require_aware("window start", start)
    require_aware("window end", end)
    if end <= start:
        raise InvalidInput("the window must end after it starts")
    settings, edition = history.settings, history.settings.bands_edition
    shipped = history.finished_between(start, end, service=service)

    window = (end - start) // MICROSECOND
    per_day = Fraction(len(shipped) * MICROS_PER_DAY, window)
    frequency = DeploymentFrequency(
        len(shipped),
        window / MICROS_PER_DAY,
        float(per_day),
        float(per_day * 7),
        settings.production_environment,
        grade(Metric.DEPLOYMENT_FREQUENCY, per_day, edition=edition),
    )

    ids = {d.deployment.deployment_id for d in shipped}
    caused = Counter(link.deployment_id for link in links if link.deployment_id in ids)
    began = [
        link
        for link in links
        if start <= link.incident.started_at < end
        and (service is None or link.incident.service == service)
    ]
    unlinked = Counter(link.rule for link in began if not link.linked)
    failure = ChangeFailureRate(
        len(caused),
        len(shipped),
        len(caused) / len(shipped) if shipped else None,
        sum(caused.values()),
        sum(unlinked.values()),
        tuple(sorted(unlinked.items())),
        settings.link_by_service_window,
        settings.max_link_gap,
        grade(
            Metric.CHANGE_FAILURE_RATE,
            Fraction(len(caused), len(shipped)) if shipped else None,
            edition=edition,
        ),
    )

    incidents = [link.incident for link in began]
    spans, unresolved, negative = _durations((i.started_at, i.resolved_at) for i in incidents)
    hours, exact = _median(spans)
    restore = TimeToRestore(
        hours,
        len(spans),
        unresolved,
        negative,
        grade(Metric.TIME_TO_RESTORE, exact, edition=edition),
    )
    spans, unacknowledged, negative = _durations(
        (i.started_at, i.acknowledged_at) for i in incidents
    )
    acknowledge = TimeToAcknowledge(_median(spans)[0], len(spans), unacknowledged, negative)

    return DeliveryMetrics(
        start.astimezone(UTC),
        end.astimezone(UTC),
        service,
        edition,
        frequency,
        _lead_time(history, shipped, service),
        failure,
        restore,
        acknowledge,
    )


def measure_delivery(
    deployments: Iterable[Deployment],
    commits: Mapping[str, Commit],
    incidents: Iterable[Incident],
    *,
    settings: DeliverySettings,
    start: datetime,
    end: datetime,
    service: str | None = None,
) -> DeliveryMetrics:
    """`trace_changes`, `link_incidents` and `delivery_metrics` in one call."""
    history = trace_changes(deployments, commits, settings=settings)
    links = link_incidents(history, incidents)
    return delivery_metrics(history, links, start=start, end=end, service=service)
