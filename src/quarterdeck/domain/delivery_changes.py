"""Which commits each deployment ships (DOMAIN.md section 8): `trace_changes` gives every
counted deployment the commits it is the first of its service to ship, and
`extend_history` adds deployments recorded later without tracing everything again. The
settings, the merging of rows that share an id and the deployments read from release tags
are in `delivery_settings` (importable from here too); the metrics built on the result in
`delivery`.

Tracing costs O(commits + deployments) per service: every commit is visited at most once
per service, by an iterative walk.

Choices section 8 leaves open (the metrics' `notes()` print the ones behind them):

- Duplicate ids are merged before anything else, across services and environments: the
  row with the latest finish time (on a tie, the later row given) is the deployment. If
  that row failed or is not production, the deployment does not count, whatever its
  earlier rows said.
- Production is the settings' environment name, compared case-insensitively.
- A service's deployments are ordered by finish time, then deployment id: a commit
  reachable from two deployments finishing at the same instant goes to the smaller id.
- Baseline: the first deployment of a service whose commit is in the ingested history
  ships the history before it. Those changes are kept (an incident may name one) but not
  counted for lead time, and are counted as excluded. A configured start point replaces
  the baseline: it and all its ancestors count as shipped before the first deployment
  (git's `start..deployed`). A start point missing from the history is ignored and
  reported; the baseline rule applies then.
- A deployment whose commit is missing (None) or not in the history ships nothing and is
  reported; what it shipped goes to the service's next deployment with a known commit.
  A parent missing from the history (a shallow clone) ends the walk there and is counted.
- A change's author is a bot when the author email matches a bot pattern, case-
  insensitively: `*` stands for any text, `?` for one character, everything else for
  itself (brackets too, so "*[bot]@*" matches GitHub's bot accounts).
- Every time is compared and reported in UTC.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, Protocol

from quarterdeck.domain.delivery_settings import (
    CommitTime,
    DeliverySettings,
    TagDeployments,
    bot_matcher,
    bot_pattern_regex,
    deduplicate,
    deployments_from_tags,
)
from quarterdeck.domain.engineering import Commit, Deployment, DeploymentStatus

__all__ = [
    "Change",
    "CommitLookup",
    "CommitTime",
    "DeliveryHistory",
    "DeliverySettings",
    "LeadTimes",
    "ShippedDeployment",
    "TagDeployments",
    "bot_pattern_regex",
    "deduplicate",
    "deployments_from_tags",
    "extend_history",
    "trace_changes",
]


# --- changes --------------------------------------------------------------------


class Change(NamedTuple):
    """A commit at the deployment that first shipped it to its service. Times in UTC.

    A named tuple rather than a dataclass: a big history makes hundreds of thousands of
    them, and a tuple is several times cheaper to build."""

    sha: str
    service: str
    deployment_id: str
    author_email: str
    committed_at: datetime  # author or committer time, as the settings say
    deployed_at: datetime
    bot: bool
    baseline: bool  # shipped by the service's first deployment: no lead time

    @property
    def lead_time(self) -> timedelta:
        return self.deployed_at - self.committed_at


class _Facts(NamedTuple):
    """What a commit brings to every change it becomes, worked out once per trace."""

    author_email: str
    committed_at: datetime  # UTC
    micros: int  # committed_at in microseconds since the epoch
    bot: bool


@dataclass(frozen=True, slots=True)
class LeadTimes:
    """A deployment's changes as lead time sees them: the spans that count, in
    microseconds, and how many changes each exclusion took (baseline first, then bot
    authors, then a lead time of zero or less)."""

    spans: tuple[int, ...] = ()
    baseline: int = 0
    bots: int = 0
    non_positive: int = 0


@dataclass(frozen=True, slots=True)
class ShippedDeployment:
    """A counted deployment with the changes it is the first to ship (in walk order).

    The changes are summed up in `lead` as they are traced and built as `Change` values
    only when asked for: a big monorepo history ships hundreds of thousands of them."""

    deployment: Deployment
    finished_at: datetime  # UTC
    baseline: bool  # the service's first deployment with a known commit, no start point
    commit_known: bool  # False: no commit, or one missing from the history
    lead: LeadTimes = LeadTimes()
    shas: tuple[str, ...] = ()  # the changes' commits, in walk order
    _facts: Mapping[str, _Facts] = field(default_factory=dict, repr=False, compare=False)

    @property
    def changes(self) -> tuple[Change, ...]:
        service, ident = self.deployment.service, self.deployment.deployment_id
        facts = self._facts
        return tuple(
            Change(
                sha,
                service,
                ident,
                facts[sha].author_email,
                facts[sha].committed_at,
                self.finished_at,
                facts[sha].bot,
                self.baseline,
            )
            for sha in self.shas
        )


@dataclass(frozen=True, slots=True)
class DeliveryHistory:
    """Counted deployments (successful, production, deduplicated) in finish order, what
    each shipped, and what could not be traced."""

    settings: DeliverySettings
    deployments: tuple[ShippedDeployment, ...]
    merged_rows: int  # rows folded into another row with the same id
    not_counted: int  # deployments that failed or are not production
    no_commit: tuple[str, ...]  # ids of counted deployments naming no commit
    unknown_commits: tuple[str, ...]  # ids of counted deployments whose commit is not ingested
    history_gaps: int  # parents met on a walk that are not in the history (shallow clone)
    unknown_start_points: tuple[str, ...]  # services whose start point is not ingested
    _by_id: Mapping[str, int] = field(repr=False, compare=False)
    _shipped: Mapping[str, Mapping[str, int]] = field(repr=False, compare=False)
    _times: Sequence[datetime] = field(repr=False, compare=False)
    _per_service: Mapping[str, tuple[list[datetime], list[int]]] = field(repr=False, compare=False)

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(sorted(self._per_service))

    def deployment(self, deployment_id: str) -> ShippedDeployment | None:
        position = self._by_id.get(deployment_id)
        return None if position is None else self.deployments[position]

    def first_shipper(self, sha: str, *, service: str | None = None) -> ShippedDeployment | None:
        """The deployment that first shipped `sha`: of `service` when it did, else the
        earliest of any service. None when no deployment shipped it (start-point history
        counts as shipped by none)."""
        own = self._shipped.get(service, {}).get(sha, -1) if service is not None else -1
        if own >= 0:
            return self.deployments[own]
        found = [p for shipped in self._shipped.values() if (p := shipped.get(sha, -1)) >= 0]
        return self.deployments[min(found)] if found else None

    def finished_between(
        self, start: datetime, end: datetime, *, service: str | None = None
    ) -> tuple[ShippedDeployment, ...]:
        """Counted deployments with start <= finish < end, of one service or all."""
        if service is None:
            low, high = bisect_left(self._times, start), bisect_left(self._times, end)
            return self.deployments[low:high]
        times, positions = self._per_service.get(service, ([], []))
        low, high = bisect_left(times, start), bisect_left(times, end)
        return tuple(self.deployments[p] for p in positions[low:high])

    def latest_before(self, service: str, moment: datetime) -> ShippedDeployment | None:
        """The service's latest counted deployment finishing strictly before `moment`."""
        times, positions = self._per_service.get(service, ([], []))
        index = bisect_left(times, moment) - 1
        return self.deployments[positions[index]] if index >= 0 else None


def _walk(
    sha: str, position: int, shipped: dict[str, int], commits: CommitLookup
) -> tuple[list[Commit], int]:
    """Commits reachable from `sha` and not yet in `shipped`, marking them shipped by
    `position`. Shipped is closed under ancestry, so the walk stops at shipped commits."""
    shipped[sha] = position
    stack, found, gaps = [sha], [], 0
    while stack:
        commit = commits.get(stack.pop())
        if commit is None:
            gaps += 1
            continue
        found.append(commit)
        for parent in commit.parents:
            if parent not in shipped:
                shipped[parent] = position
                stack.append(parent)
    return found, gaps


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _lead_times(shas: Sequence[str], finished: datetime, facts: Mapping[str, _Facts]) -> LeadTimes:
    """Lead time's view of the changes a (not first) deployment ships."""
    deployed = (finished - _EPOCH) // _MICROSECOND
    spans: list[int] = []
    bots = non_positive = 0
    for sha in shas:
        fact = facts[sha]
        if fact.bot:
            bots += 1
        elif (span := deployed - fact.micros) <= 0:
            non_positive += 1
        else:
            spans.append(span)
    return LeadTimes(tuple(spans), 0, bots, non_positive)


class CommitLookup(Protocol):
    """What tracing asks of the history: a dict of commits by sha, or a reader that fetches
    them from storage as the walk needs them."""

    def get(self, sha: str, /) -> Commit | None: ...

    def __contains__(self, sha: object, /) -> bool: ...


class _Shipper:
    """Gives deployments their changes under one set of settings. What it works out per
    commit (its time in UTC, whether a bot wrote it) it works out once."""

    def __init__(self, settings: DeliverySettings, commits: CommitLookup) -> None:
        self.commits = commits
        self.facts: dict[str, _Facts] = {}
        self.gaps = 0
        self._is_bot = bot_matcher(settings.bot_patterns)
        self._by_author = settings.commit_time is CommitTime.AUTHOR

    def _facts_of(self, commit: Commit) -> None:
        written = commit.author_time if self._by_author else commit.committer_time
        moment = written.astimezone(UTC)
        self.facts[commit.sha] = _Facts(
            commit.author_email,
            moment,
            (moment - _EPOCH) // _MICROSECOND,
            self._is_bot(commit.author_email),
        )

    def ship(
        self,
        position: int,
        finished: datetime,
        row: Deployment,
        shipped: dict[str, int],
        baseline_pending: bool,
    ) -> tuple[ShippedDeployment, bool]:
        """The deployment at `position` with what it is the first to ship, marking that in
        its service's `shipped`; and whether the service's baseline is still to come."""
        sha, baseline = row.commit, False
        shas: tuple[str, ...] = ()
        lead = LeadTimes()
        known = sha is not None and sha in self.commits
        if sha is None:
            pass  # reported in `no_commit`
        elif not known:  # reported in `unknown_commits`
            shipped.setdefault(sha, position)  # an incident naming it still finds it
        elif sha not in shipped:
            baseline, baseline_pending = baseline_pending, False
            found, missing = _walk(sha, position, shipped, self.commits)
            self.gaps += missing
            shas = tuple(commit.sha for commit in found)
            for commit in found:
                if commit.sha not in self.facts:
                    self._facts_of(commit)
            lead = (
                LeadTimes(baseline=len(shas))
                if baseline
                else _lead_times(shas, finished, self.facts)
            )
        return ShippedDeployment(
            row, finished, baseline, known, lead, shas, self.facts
        ), baseline_pending


def _counted(
    rows: Iterable[Deployment], settings: DeliverySettings
) -> list[tuple[datetime, str, Deployment]]:
    """The successful production rows, in finish (UTC) then id order."""
    production = settings.production_environment.casefold()
    return sorted(
        (
            (row.finished_at.astimezone(UTC), row.deployment_id, row)
            for row in rows
            if row.status == DeploymentStatus.SUCCESS and row.environment.casefold() == production
        ),
        key=lambda item: (item[0], item[1]),
    )


def _history(
    settings: DeliverySettings,
    ordered: tuple[ShippedDeployment, ...],
    per_service: Mapping[str, list[int]],
    shipped: Mapping[str, Mapping[str, int]],
    *,
    merged_rows: int,
    not_counted: int,
    gaps: int,
    unknown_start: Iterable[str],
) -> DeliveryHistory:
    return DeliveryHistory(
        settings=settings,
        deployments=ordered,
        merged_rows=merged_rows,
        not_counted=not_counted,
        no_commit=tuple(d.deployment.deployment_id for d in ordered if d.deployment.commit is None),
        unknown_commits=tuple(
            d.deployment.deployment_id
            for d in ordered
            if d.deployment.commit is not None and not d.commit_known
        ),
        history_gaps=gaps,
        unknown_start_points=tuple(sorted(unknown_start)),
        _by_id={d.deployment.deployment_id: p for p, d in enumerate(ordered)},
        _shipped=shipped,
        _times=[d.finished_at for d in ordered],
        _per_service={
            service: ([ordered[p].finished_at for p in positions], positions)
            for service, positions in per_service.items()
        },
    )


def trace_changes(
    deployments: Iterable[Deployment],
    commits: CommitLookup,
    *,
    settings: DeliverySettings = DeliverySettings(),
) -> DeliveryHistory:
    """Deduplicate, keep the successful production deployments and give each the commits
    it is the first of its service to ship. Never raises for missing history: it is
    reported in the result (see the module docstring)."""
    given = list(deployments)
    rows = deduplicate(given)
    counted = _counted(rows, settings)
    per_service: dict[str, list[int]] = {}
    for position, (_, _, row) in enumerate(counted):
        per_service.setdefault(row.service, []).append(position)

    shipper = _Shipper(settings, commits)  # a monorepo's services each walk the same history
    traced: list[ShippedDeployment | None] = [None] * len(counted)
    shipped_by_service: dict[str, dict[str, int]] = {}
    unknown_start: list[str] = []
    for service, positions in per_service.items():
        shipped: dict[str, int] = {}
        baseline_pending = True
        start = settings.start_points.get(service)
        if start is not None and start in commits:
            _walk(start, -1, shipped, commits)
            baseline_pending = False
        elif start is not None:
            unknown_start.append(service)
        for position in positions:
            finished, _, row = counted[position]
            traced[position], baseline_pending = shipper.ship(
                position, finished, row, shipped, baseline_pending
            )
        shipped_by_service[service] = shipped

    return _history(
        settings,
        tuple(d for d in traced if d is not None),
        per_service,
        shipped_by_service,
        merged_rows=len(given) - len(rows),
        not_counted=len(rows) - len(counted),
        gaps=shipper.gaps,
        unknown_start=unknown_start,
    )


def extend_history(
    history: DeliveryHistory,
    rows: Sequence[Deployment],
    commits: CommitLookup,
    *,
    known_ids: AbstractSet[str],
) -> DeliveryHistory | None:
    """`history` with deployment rows recorded after everything it was traced from, exactly
    as `trace_changes` over all the rows would give it, walking only what the new
    deployments ship. `known_ids` are the ids of every row traced before (counted or not).

    None when only tracing everything again can say: a new row shares an id with another
    row (the merge could change an earlier deployment), a counted one finishes no later
    than the last counted deployment (it would not come last), or it is the first of its
    service (the baseline and start point rules apply)."""
    ids = [row.deployment_id for row in rows]
    if len(set(ids)) != len(ids) or any(ident in known_ids for ident in ids):
        return None
    settings = history.settings
    counted = _counted(rows, settings)
    if not counted:
        return replace(history, not_counted=history.not_counted + len(rows))
    if history.deployments and counted[0][0] <= history.deployments[-1].finished_at:
        return None
    if any(row.service not in history._per_service for _, _, row in counted):
        return None
    shipper = _Shipper(settings, commits)
    ordered = list(history.deployments)
    per_service = {name: list(positions) for name, (_, positions) in history._per_service.items()}
    copies: dict[str, dict[str, int]] = {}  # shipped of the services that deploy again
    pending: dict[str, bool] = {}
    for finished, _, row in counted:
        service = row.service
        if service not in pending:  # copied: the history given stays as it is
            copies[service] = dict(history._shipped[service])
            started = service in settings.start_points
            started = started and service not in history.unknown_start_points
            pending[service] = not started and not any(
                ordered[p].baseline for p in per_service[service]
            )
        position = len(ordered)
        deployment, pending[service] = shipper.ship(
            position, finished, row, copies[service], pending[service]
        )
        ordered.append(deployment)
        per_service[service].append(position)
    return _history(
        settings,
        tuple(ordered),
        per_service,
        {**history._shipped, **copies},
        merged_rows=history.merged_rows,
        not_counted=history.not_counted + len(rows) - len(counted),
        gaps=history.history_gaps + shipper.gaps,
        unknown_start=history.unknown_start_points,
    )
