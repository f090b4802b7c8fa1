"""Delivery metrics of a workspace, computed from its stored git history, deployments and
incidents with the choices the workspace made (DOMAIN.md section 8), and those choices.

The choices live in the scorecard settings: which environment is production, which commit
time counts, which authors are bots, whether incidents link to deployments by service and
time and with what gap, which DORA bands edition grades the figures, and per repository
which tags are releases of which service.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping, Sequence
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
    deployments_from_tags,
    link_incidents,
    trace_changes,
)
from quarterdeck.domain.delivery_bands import BandsEdition
from quarterdeck.domain.engineering import Deployment, TagRef
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services.access import authorize
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


@dataclass(frozen=True, slots=True)
class _Traced:
    """A traced history and what it was traced from: the commits and deployments as the
    mark says, and the choices and tags themselves."""

    mark: tuple[int, ...]
    choices: DeliveryChoices
    tags: tuple[tuple[str, TagRef], ...]
    history: DeliveryHistory
    unresolved_tags: tuple[str, ...]

    def fits(self, mark: tuple[int, ...], choices: DeliveryChoices, tags: Sequence[Any]) -> bool:
        return self.mark == mark and self.choices == choices and self.tags == tuple(tags)


class _TraceCache:
    """The last few traced histories of this process, by database and workspace.

    Tracing a big history takes seconds; the history changes far less often than it is
    read. An entry is used only when the workspace's commits and deployments (which are
    only ever added, see `history_mark`), its delivery choices and its tags are what it
    was traced from, so every process and worker stays exact. Entries come from committed
    data only: a read unit of work stores at once, a write one after it commits."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, int], tuple[weakref.ref[Any], _Traced]] = (
            OrderedDict()
        )

    def get(self, uow: UnitOfWork, workspace_id: int) -> _Traced | None:
        engine = uow.session.get_bind()
        with self._lock:
            found = self._entries.get((id(engine), workspace_id))
            if found is None or found[0]() is not engine:
                return None
            self._entries.move_to_end((id(engine), workspace_id))
            return found[1]

    def put(self, uow: UnitOfWork, workspace_id: int, traced: _Traced) -> None:
        engine = uow.session.get_bind()

        def store() -> None:
            with self._lock:
                self._entries[(id(engine), workspace_id)] = (weakref.ref(engine), traced)
                self._entries.move_to_end((id(engine), workspace_id))
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)

        uow.on_commit(store)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


TRACES = _TraceCache(size=4)


def _trace(
    uow: UnitOfWork,
    workspace: Workspace,
    mark: tuple[int, ...],
    choices: DeliveryChoices,
    tags: Sequence[tuple[str, TagRef]],
) -> _Traced:
    commits = uow.engineering.commits(workspace.id)
    deployments: list[Deployment] = list(uow.engineering.deployments(workspace.id))
    unresolved: list[str] = []
    tags_by_repository: dict[str, list[TagRef]] = {}
    for repository, tag in tags:
        tags_by_repository.setdefault(repository, []).append(tag)
    for repository, rule in choices.releases.items():
        derived = deployments_from_tags(
            tags_by_repository.get(repository, []),
            commits,
            rule.pattern,
            rule.service,
            environment=choices.settings.production_environment,
        )
        deployments.extend(derived.deployments)
        unresolved.extend(f"{repository}:{name}" for name in derived.unresolved)
    history = trace_changes(deployments, commits, settings=choices.settings)
    return _Traced(mark, choices, tuple(tags), history, tuple(unresolved))


def load(uow: UnitOfWork, workspace: Workspace) -> Loaded:
    """Trace the workspace's deployments (posted, imported and derived from release tags)
    through its git history and link its incidents. No authorization: callers check it.

    The traced history is reused while nothing it was traced from changed (`TRACES`);
    incidents are linked afresh every time, since later exports revise them in place."""
    mark = uow.engineering.history_mark(workspace.id)  # before the records: see _TraceCache
    choices = choices_from_json(uow.scorecard.settings(workspace.id).choices.get("delivery", {}))
    tags = uow.engineering.tags(workspace.id)
    traced = TRACES.get(uow, workspace.id)
    if traced is None or not traced.fits(mark, choices, tags):
        traced = _trace(uow, workspace, mark, choices, tags)
        TRACES.put(uow, workspace.id, traced)
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
