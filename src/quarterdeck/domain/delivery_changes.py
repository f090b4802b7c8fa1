"""Which commits each deployment ships (DOMAIN.md section 8): the workspace's settings for
delivery metrics, merging rows that share a deployment id, deployments read from release
tags, and `trace_changes`, which gives every counted deployment the commits it is the first
of its service to ship. The metrics built on the result live in `delivery`.

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

import fnmatch
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from quarterdeck.domain.delivery_bands import BandsEdition
from quarterdeck.domain.engineering import (
    Commit,
    Deployment,
    DeploymentSource,
    DeploymentStatus,
    TagRef,
)
from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "Change",
    "CommitTime",
    "DeliveryHistory",
    "DeliverySettings",
    "LeadTimes",
    "ShippedDeployment",
    "TagDeployments",
    "bot_pattern_regex",
    "deduplicate",
    "deployments_from_tags",
    "trace_changes",
]


class CommitTime(StrEnum):
    AUTHOR = "author"
    COMMITTER = "committer"


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    """A workspace's choices for delivery metrics (DOMAIN.md section 8)."""

    production_environment: str = "production"
    commit_time: CommitTime = CommitTime.AUTHOR
    bot_patterns: tuple[str, ...] = ()  # on author email, `*` and `?` wildcards, any case
    link_by_service_window: bool = True
    max_link_gap: timedelta = timedelta(hours=24)
    bands_edition: BandsEdition = BandsEdition.DORA_2023
    # service -> sha: that commit and its ancestors count as shipped before the first deployment
    start_points: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not self.production_environment.strip():
            raise InvalidInput("the production environment needs a name")
        if self.max_link_gap < timedelta(0):
            raise InvalidInput("the maximum gap for linking incidents cannot be negative")
        if any(not pattern.strip() for pattern in self.bot_patterns):
            raise InvalidInput("a bot author pattern cannot be empty")
        try:
            object.__setattr__(self, "commit_time", CommitTime(self.commit_time))
            object.__setattr__(self, "bands_edition", BandsEdition(self.bands_edition))
        except ValueError as error:
            raise InvalidInput(str(error)) from None
        object.__setattr__(self, "bot_patterns", tuple(self.bot_patterns))
        object.__setattr__(self, "start_points", MappingProxyType(dict(self.start_points)))


# --- deployments ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TagDeployments:
    """Deployments read from release tags; `unresolved` names lightweight tags whose commit
    is not in the history, so no finish time is known for them."""

    deployments: tuple[Deployment, ...]
    unresolved: tuple[str, ...]


def deployments_from_tags(
    tags: Iterable[TagRef],
    commits: Mapping[str, Commit],
    pattern: str,
    service: str,
    *,
    environment: str = "production",
) -> TagDeployments:
    """One successful deployment per tag whose name matches `pattern` (fnmatch, case-
    sensitive like git), id "tag:<name>", finished at the tagger time of an annotated tag,
    else at the committer time of the tagged commit. Raises InvalidInput for an empty
    pattern."""
    if not pattern:
        raise InvalidInput("the release tag pattern cannot be empty")
    made: list[Deployment] = []
    unresolved: list[str] = []
    for tag in tags:
        if not fnmatch.fnmatchcase(tag.name, pattern):
            continue
        finished = tag.tagger_time
        if finished is None:
            commit = commits.get(tag.commit)
            if commit is None:
                unresolved.append(tag.name)
                continue
            finished = commit.committer_time
        made.append(
            Deployment(
                f"tag:{tag.name}",
                service,
                environment,
                tag.commit,
                finished,
                DeploymentStatus.SUCCESS,
                DeploymentSource.GIT_REF,
            )
        )
    return TagDeployments(tuple(made), tuple(unresolved))


def deduplicate(deployments: Iterable[Deployment]) -> tuple[Deployment, ...]:
    """One row per deployment id: the one with the latest finish time (the later row
    given on a tie), whose fields stand for the deployment."""
    latest: dict[str, Deployment] = {}
    for row in deployments:
        kept = latest.get(row.deployment_id)
        if kept is None or row.finished_at >= kept.finished_at:
            latest[row.deployment_id] = row
    return tuple(latest.values())


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


def bot_pattern_regex(pattern: str) -> str:
    """A bot pattern as a regular expression matching a whole email, case-insensitively:
    `*` is any text, `?` one character, and everything else stands for itself, so
    "dependabot[bot]@users.noreply.github.com" matches that address (in fnmatch, "[bot]"
    would be a character class)."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.casefold())
    return "(?s:" + "".join(parts) + r")\Z"


def _bot_matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    if not patterns:
        return lambda email: False
    regex = re.compile("|".join(bot_pattern_regex(p) for p in patterns))
    seen: dict[str, bool] = {}

    def is_bot(email: str) -> bool:
        hit = seen.get(email)
        if hit is None:
            hit = seen[email] = regex.match(email.casefold()) is not None
        return hit

    return is_bot


def _walk(
    sha: str, position: int, shipped: dict[str, int], commits: Mapping[str, Commit]
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


def trace_changes(
    deployments: Iterable[Deployment],
    commits: Mapping[str, Commit],
    *,
    settings: DeliverySettings = DeliverySettings(),
) -> DeliveryHistory:
    """Deduplicate, keep the successful production deployments and give each the commits
    it is the first of its service to ship. Never raises for missing history: it is
    reported in the result (see the module docstring)."""
    given = list(deployments)
    rows = deduplicate(given)
    production = settings.production_environment.casefold()
    counted = sorted(
        (
            (row.finished_at.astimezone(UTC), row.deployment_id, row)
            for row in rows
            if row.status == DeploymentStatus.SUCCESS and row.environment.casefold() == production
        ),
        key=lambda item: (item[0], item[1]),
    )
    per_service: dict[str, list[int]] = {}
    for position, (_, _, row) in enumerate(counted):
        per_service.setdefault(row.service, []).append(position)

    is_bot = _bot_matcher(settings.bot_patterns)
    by_author = settings.commit_time is CommitTime.AUTHOR
    traced: list[ShippedDeployment | None] = [None] * len(counted)
    shipped_by_service: dict[str, dict[str, int]] = {}
    unknown_start: list[str] = []
    facts: dict[str, _Facts] = {}  # a monorepo's services each walk the same history
    gaps = 0

    def facts_of(commit: Commit) -> _Facts:
        moment = (commit.author_time if by_author else commit.committer_time).astimezone(UTC)
        found = facts[commit.sha] = _Facts(
            commit.author_email,
            moment,
            (moment - _EPOCH) // _MICROSECOND,
            is_bot(commit.author_email),
        )
        return found

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
            sha, baseline = row.commit, False
            shas: tuple[str, ...] = ()
            lead = LeadTimes()
            if sha is None:
                pass  # reported in `no_commit`
            elif sha not in commits:  # reported in `unknown_commits`
                shipped.setdefault(sha, position)  # an incident naming it still finds it
            elif sha not in shipped:
                baseline, baseline_pending = baseline_pending, False
                found, missing = _walk(sha, position, shipped, commits)
                gaps += missing
                shas = tuple(commit.sha for commit in found)
                for commit in found:
                    if commit.sha not in facts:
                        facts_of(commit)
                lead = (
                    LeadTimes(baseline=len(shas))
                    if baseline
                    else _lead_times(shas, finished, facts)
                )
            known = sha is not None and sha in commits
            traced[position] = ShippedDeployment(row, finished, baseline, known, lead, shas, facts)
        shipped_by_service[service] = shipped

    ordered = tuple(d for d in traced if d is not None)
    return DeliveryHistory(
        settings=settings,
        deployments=ordered,
        merged_rows=len(given) - len(rows),
        not_counted=len(rows) - len(counted),
        no_commit=tuple(d.deployment.deployment_id for d in ordered if d.deployment.commit is None),
        unknown_commits=tuple(
            d.deployment.deployment_id
            for d in ordered
            if d.deployment.commit is not None and not d.commit_known
        ),
        history_gaps=gaps,
        unknown_start_points=tuple(sorted(unknown_start)),
        _by_id={d.deployment.deployment_id: p for p, d in enumerate(ordered)},
        _shipped=shipped_by_service,
        _times=[d.finished_at for d in ordered],
        _per_service={
            service: ([ordered[p].finished_at for p in positions], positions)
            for service, positions in per_service.items()
        },
    )
