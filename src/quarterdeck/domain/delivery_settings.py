"""The choices behind a workspace's delivery metrics (DOMAIN.md section 8), and what comes
before tracing: merging rows that share a deployment id, deployments read from release
tags, and which authors are bots. Tracing itself is in `delivery_changes`."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType

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
    "CommitTime",
    "DeliverySettings",
    "TagDeployments",
    "bot_matcher",
    "bot_pattern_regex",
    "deduplicate",
    "deployments_from_tags",
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


def bot_pattern_regex(pattern: str) -> str:
    """A bot pattern as a regular expression matching a whole email, case-insensitively:
    `*` is any text, `?` one character, and everything else stands for itself, so
    "dependabot[bot]@users.noreply.github.com" matches that address (in fnmatch, "[bot]"
    would be a character class)."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.casefold())
    return "(?s:" + "".join(parts) + r")\Z"


def bot_matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
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
