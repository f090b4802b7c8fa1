"""Changing the choices behind a workspace's delivery figures: production environment,
commit time, bot authors, incident linking, DORA bands edition and release rules."""

from __future__ import annotations

from collections.abc import Sequence
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

__all__ = ["keep_release_rule", "release_rules", "set_delivery_choices"]


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
) -> delivery.DeliveryChoices:
    """Change the choices behind the delivery figures (what is not given stays), then
    recompute the computed measurements with them. Stale version: Conflict."""
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
        ),
    )
    uow.scorecard.put_settings(
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
    return after
