"""Delivery metrics of a workspace, computed from its stored git history, deployments and
incidents with the choices the workspace made (DOMAIN.md section 8), and those choices.

The choices live in the scorecard settings: which environment is production, which commit
time counts, which authors are bots, whether incidents link to deployments by service and
time and with what gap, which DORA bands edition grades the figures, and per repository
which tags are releases of which service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.delivery import (
    CommitTime,
    DeliveryHistory,
    DeliveryMetrics,
    DeliverySettings,
    IncidentLink,
    delivery_metrics,
    link_incidents,
)
from quarterdeck.domain.delivery_bands import BandsEdition
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import delivery_traces
from quarterdeck.services.access import authorize
from quarterdeck.services.delivery_traces import TRACES
from quarterdeck.storage import UnitOfWork

__all__ = [
    "TRACES",
    "DeliveryChoices",
    "DeliveryReport",
    "ReleaseRule",
    "choices_from_json",
    "choices_to_json",
    "current_choices",
    "load",
    "report",
]


@dataclass(frozen=True, slots=True)
class ReleaseRule:
    """Tags of one repository that are releases: `pattern` (fnmatch, e.g. "v*") names
    deployments of `service`."""

    pattern: str
    service: str


@dataclass(frozen=True, slots=True)
class DeliveryChoices:
    settings: DeliverySettings = field(default_factory=DeliverySettings)
    releases: Mapping[str, ReleaseRule] = field(default_factory=dict)  # by repository name


def choices_to_json(choices: DeliveryChoices) -> dict[str, Any]:
    s = choices.settings
    return {
        "production_environment": s.production_environment,
        "commit_time": s.commit_time.value,
        "bot_patterns": list(s.bot_patterns),
        "link_by_service_window": s.link_by_service_window,
        "max_link_gap_hours": s.max_link_gap.total_seconds() / 3600,
        "bands_edition": s.bands_edition.value,
        "start_points": dict(s.start_points),
        "releases": {
            name: {"pattern": rule.pattern, "service": rule.service}
            for name, rule in sorted(choices.releases.items())
        },
    }


def choices_from_json(data: Mapping[str, Any]) -> DeliveryChoices:
    """The stored choices; anything missing takes its default."""
    defaults = DeliverySettings()
    try:
        settings = DeliverySettings(
            production_environment=str(
                data.get("production_environment", defaults.production_environment)
            ),
            commit_time=CommitTime(data.get("commit_time", defaults.commit_time.value)),
            bot_patterns=tuple(str(p) for p in data.get("bot_patterns", ())),
            link_by_service_window=bool(
                data.get("link_by_service_window", defaults.link_by_service_window)
            ),
            max_link_gap=timedelta(
                hours=float(
                    data.get("max_link_gap_hours", defaults.max_link_gap.total_seconds() / 3600)
                )
            ),
            bands_edition=BandsEdition(data.get("bands_edition", defaults.bands_edition.value)),
            start_points={str(k): str(v) for k, v in dict(data.get("start_points", {})).items()},
        )
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"delivery settings: {error}") from None
    releases = {
        str(name): ReleaseRule(str(rule["pattern"]), str(rule["service"]))
        for name, rule in dict(data.get("releases", {})).items()
    }
    return DeliveryChoices(settings, releases)


@dataclass(frozen=True, slots=True)
class Loaded:
    """Everything the delivery rules need, traced once for many windows."""

    choices: DeliveryChoices
    history: DeliveryHistory
    links: tuple[IncidentLink, ...]
    unresolved_tags: tuple[str, ...]  # lightweight tags whose commit is not ingested


def load(uow: UnitOfWork, workspace: Workspace) -> Loaded:
    """Trace the workspace's deployments (posted, imported and derived from release tags)
    through its git history and link its incidents. No authorization: callers check it.

    The traced history is reused while nothing it was traced from changed, and deployments
    recorded since are added to it (`delivery_traces`); incidents are linked afresh every
    time, since later exports revise them in place."""
    choices = choices_from_json(uow.scorecard.settings(workspace.id).choices.get("delivery", {}))
    traced = delivery_traces.traced(uow, workspace, choices)
    links = tuple(link_incidents(traced.history, uow.engineering.incidents(workspace.id)))
    return Loaded(traced.choices, traced.history, links, traced.unresolved_tags)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    overall: DeliveryMetrics
    services: tuple[DeliveryMetrics, ...]
    loaded: Loaded


def report(
    uow: UnitOfWork, *, actor: Actor, workspace: str, start: datetime, end: datetime
) -> DeliveryReport:
    """The four keys and MTTA over [start, end), overall and per service."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    loaded = load(uow, ws)
    overall = delivery_metrics(loaded.history, loaded.links, start=start, end=end)
    per_service = tuple(
        delivery_metrics(loaded.history, loaded.links, start=start, end=end, service=service)
        for service in sorted(loaded.history.services)
    )
    return DeliveryReport(overall, per_service, loaded)


def current_choices(
    uow: UnitOfWork, *, actor: Actor, workspace: str
) -> tuple[DeliveryChoices, int]:
    """The workspace's delivery choices and the settings version to edit them against."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    settings = uow.scorecard.settings(ws.id)
    return choices_from_json(settings.choices.get("delivery", {})), settings.version
