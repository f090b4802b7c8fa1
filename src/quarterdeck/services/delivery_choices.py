"""Changing the choices behind a workspace's delivery figures: production environment,
commit time, bot authors, incident linking, DORA bands edition, release rules (which tags of
a repository are deployments of which service) and start points (the commit from which a
service's first deployment counts its changes)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.delivery import CommitTime
from quarterdeck.domain.delivery_bands import BandsEdition
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import audit, computed, delivery
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork

__all__ = [
    "MAX_RELEASE_RULES",
    "MAX_START_POINTS",
    "keep_release_rule",
    "read_repositories",
    "release_rules",
    "set_delivery_choices",
]

MAX_RELEASE_RULES = 50
MAX_START_POINTS = 50
_SHA = re.compile(r"^[0-9a-f]{4,64}$")
_FULL_SHA_LENGTHS = (40, 64)  # SHA-1 and SHA-256 object names


def release_rules(uow: UnitOfWork, ws: Workspace) -> dict[str, delivery.ReleaseRule]:
    stored = uow.scorecard.settings(ws.id).choices.get("delivery", {})
    return dict(delivery.choices_from_json(stored).releases)


def keep_release_rule(
    uow: UnitOfWork, ws: Workspace, repository: str, pattern: str, service: str
) -> None:
    if not pattern.strip() or len(pattern) > 120:
        raise InvalidInput("a release tag pattern needs 1-120 characters, like 'v*'")
    settings = uow.scorecard.settings(ws.id)
    choices = delivery.choices_from_json(settings.choices.get("delivery", {}))
    releases = {**choices.releases, repository: delivery.ReleaseRule(pattern, service)}
    stored = delivery.choices_to_json(replace(choices, releases=releases))
    uow.scorecard.put_settings(
        ws.id,
        expected_version=settings.version,
        category_owners=settings.category_owners,
        choices={**settings.choices, "delivery": stored},
        now=uow.now(),
    )


def read_repositories(uow: UnitOfWork, *, actor: Actor, workspace: str) -> list[str]:
    """The names of the repositories read into the workspace, which release rules may name."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return [repository.name for repository in uow.engineering.repositories(ws.id)]


def set_delivery_choices(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    expected_version: int,
    production_environment: str | None = None,
    commit_time: CommitTime | None = None,
    bot_patterns: Sequence[str] | None = None,
    link_by_service_window: bool | None = None,
    max_link_gap_hours: float | None = None,
    bands_edition: BandsEdition | None = None,
    releases: Mapping[str, delivery.ReleaseRule] | None = None,
    start_points: Mapping[str, str] | None = None,
) -> tuple[delivery.DeliveryChoices, int]:
    """Change the choices behind the delivery figures (what is not given stays; `releases`
    and `start_points`, when given, replace the stored ones whole), then recompute the
    computed measurements with them. Returns the choices and the new settings version.

    A release rule names a repository read into the workspace, a tag pattern of 1-100
    characters and a service of 1-64; a start point a service and a commit sha of 4-64 hex
    characters (an abbreviated sha is completed when it names one stored commit); at most
    50 of each. Rules and start points already stored pass as they are. Bad input raises
    InvalidInput, a stale `expected_version` Conflict; either way nothing changes."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    settings = uow.scorecard.settings(ws.id)
    before = delivery.choices_from_json(settings.choices.get("delivery", {}))
    patterns = before.settings.bot_patterns if bot_patterns is None else tuple(bot_patterns)
    if any(not p.strip() or len(p) > 200 for p in patterns) or len(patterns) > 50:
        raise InvalidInput("bot patterns are 1-200 characters each, at most 50 of them")
    gap = before.settings.max_link_gap
    if max_link_gap_hours is not None:
        if not 0 < max_link_gap_hours <= 24 * 30:
            raise InvalidInput("the linking gap must be above 0 and at most 720 hours")
        gap = timedelta(hours=max_link_gap_hours)
    environment = before.settings.production_environment
    if production_environment is not None:
        environment = production_environment.strip()
        if not environment or len(environment) > 64:
            raise InvalidInput("the production environment needs a name of 1-64 characters")
    rules = before.releases if releases is None else _release_rules(uow, ws, before, releases)
    starts = (
        before.settings.start_points
        if start_points is None
        else _start_points(uow, ws, before, start_points)
    )
    after = replace(
        before,
        settings=replace(
            before.settings,
            production_environment=environment,
            commit_time=commit_time or before.settings.commit_time,
            bot_patterns=patterns,
            link_by_service_window=before.settings.link_by_service_window
            if link_by_service_window is None
            else link_by_service_window,
            max_link_gap=gap,
            bands_edition=bands_edition or before.settings.bands_edition,
            start_points=starts,
        ),
        releases=rules,
    )
    stored = uow.scorecard.put_settings(
        ws.id,
        expected_version=expected_version,
        category_owners=settings.category_owners,
        choices={**settings.choices, "delivery": delivery.choices_to_json(after)},
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="delivery.choices_changed",
        entity_type="scorecard",
        entity_id="delivery",
        before=delivery.choices_to_json(before),
        after=delivery.choices_to_json(after),
    )
    computed.recompute(uow, ws)
    return after, stored.version


def _service(name: str, what: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 64:
        raise InvalidInput(f"{what} needs a service name of 1-64 characters")
    return cleaned


def _release_rules(
    uow: UnitOfWork,
    ws: Workspace,
    before: delivery.DeliveryChoices,
    wanted: Mapping[str, delivery.ReleaseRule],
) -> dict[str, delivery.ReleaseRule]:
    if len(wanted) > MAX_RELEASE_RULES:
        raise InvalidInput(f"a workspace keeps at most {MAX_RELEASE_RULES} release rules")
    rules = {}
    for repository, rule in wanted.items():
        if before.releases.get(repository) == rule:
            rules[repository] = rule
            continue
        if uow.engineering.repository(ws.id, repository) is None:
            raise InvalidInput(
                f"repository {repository[:120]!r} is not read into {ws.slug!r}; a release rule "
                "names a repository read with `quarterdeck ingest git`"
            )
        pattern = rule.pattern.strip()
        if not pattern or len(pattern) > 100:
            raise InvalidInput(
                f"the release tag pattern of {repository!r} needs 1-100 characters, like 'v*'"
            )
        rules[repository] = delivery.ReleaseRule(
            pattern, _service(rule.service, f"the release rule of {repository!r}")
        )
    return rules


def _start_points(
    uow: UnitOfWork, ws: Workspace, before: delivery.DeliveryChoices, wanted: Mapping[str, str]
) -> dict[str, str]:
    if len(wanted) > MAX_START_POINTS:
        raise InvalidInput(f"a workspace keeps at most {MAX_START_POINTS} start points")
    stored = before.settings.start_points
    starts: dict[str, str] = {}
    known: list[str] | None = None  # the stored commits, read once if a sha is abbreviated
    for service, sha in wanted.items():
        if stored.get(service) == sha:
            starts[service] = sha
            continue
        name = _service(service, "a start point")
        typed = sha.strip().lower()
        if not _SHA.match(typed):
            raise InvalidInput(
                f"the start point of {name!r} must be a commit sha of 4-64 hex characters; "
                f"got {sha[:70]!r}"
            )
        if name in starts:
            raise InvalidInput(f"{name!r} has two start points; keep one")
        if len(typed) not in _FULL_SHA_LENGTHS:
            if known is None:
                known = list(uow.engineering.commits(ws.id))
            matching = [full for full in known if full.startswith(typed)]
            if len(matching) > 1:
                raise InvalidInput(
                    f"the start point {typed!r} of {name!r} names {len(matching)} commits; "
                    "give more of its sha"
                )
            typed = matching[0] if matching else typed  # not read yet: the figures say so
        starts[name] = typed
    return starts
