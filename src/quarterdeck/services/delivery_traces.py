"""The traced delivery histories of this process: traced once, reused while nothing they
were traced from changed, and grown by the deployments recorded since.

Tracing a big history takes seconds; the history changes far less often than it is read,
and most changes are a few deployments more. An entry is used only when the workspace's
commits and deployments (only ever added, so `history_mark`'s counts and highest ids say
what changed), its delivery choices and its tags are what it was traced from, so every
process and worker stays exact. When only deployments were added, those are added to the
entry (`extend_history`), walking the commits they ship one by one from storage; when that
cannot say, everything is traced again. Entries come from committed data only: a read unit
of work stores at once, a write one after it commits (`UnitOfWork.on_commit`).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quarterdeck.domain.delivery import (
    DeliveryHistory,
    deployments_from_tags,
    extend_history,
    trace_changes,
)
from quarterdeck.domain.engineering import Commit, Deployment, TagRef
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.storage import UnitOfWork

if TYPE_CHECKING:
    from quarterdeck.services.delivery import DeliveryChoices

__all__ = ["TRACES", "Traced", "traced"]


@dataclass(frozen=True, slots=True)
class Traced:
    """A traced history and what it was traced from: the commits and deployments as the
    mark says, the choices and tags themselves, and every deployment id seen."""

    mark: tuple[int, ...]  # commits (count, highest id), deployments (count, highest id)
    choices: DeliveryChoices
    tags: tuple[tuple[str, TagRef], ...]
    history: DeliveryHistory
    unresolved_tags: tuple[str, ...]  # lightweight tags whose commit is not ingested
    known_ids: frozenset[str]


class _TraceCache:
    """The last few traced histories of this process, by database and workspace."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, int], tuple[weakref.ref[Any], Traced]] = OrderedDict()

    def get(self, uow: UnitOfWork, workspace_id: int) -> Traced | None:
        engine = uow.session.get_bind()
        with self._lock:
            found = self._entries.get((id(engine), workspace_id))
            if found is None or found[0]() is not engine:
                return None
            self._entries.move_to_end((id(engine), workspace_id))
            return found[1]

    def put(self, uow: UnitOfWork, workspace_id: int, entry: Traced) -> None:
        engine = uow.session.get_bind()

        def store() -> None:
            with self._lock:
                self._entries[(id(engine), workspace_id)] = (weakref.ref(engine), entry)
                self._entries.move_to_end((id(engine), workspace_id))
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)

        uow.on_commit(store)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


TRACES = _TraceCache(size=4)


class _StoredCommits:
    """The workspace's commits read one at a time as a walk asks for them (each at most
    once): what adding a few deployments needs of a history of any size."""

    def __init__(self, uow: UnitOfWork, workspace_id: int) -> None:
        self._uow = uow
        self._workspace_id = workspace_id
        self._read: dict[str, Commit | None] = {}

    def get(self, sha: str, /) -> Commit | None:
        if sha not in self._read:
            self._read[sha] = self._uow.engineering.commit(self._workspace_id, sha)
        return self._read[sha]

    def __contains__(self, sha: object, /) -> bool:
        return isinstance(sha, str) and self.get(sha) is not None


def traced(uow: UnitOfWork, workspace: Workspace, choices: DeliveryChoices) -> Traced:
    """The workspace's traced history under `choices`: the cached one, the cached one with
    the deployments recorded since, or traced afresh."""
    mark = uow.engineering.history_mark(workspace.id)  # before any record: see the module
    tags = tuple(uow.engineering.tags(workspace.id))
    cached = TRACES.get(uow, workspace.id)
    if (
        cached is not None
        and cached.mark == mark
        and (cached.choices, cached.tags) == (choices, tags)
    ):
        return cached
    found = None if cached is None else _grown(uow, workspace, cached, mark, choices, tags)
    if found is None:
        found = _trace(uow, workspace, mark, choices, tags)
    TRACES.put(uow, workspace.id, found)
    return found


def _grown(
    uow: UnitOfWork,
    workspace: Workspace,
    cached: Traced,
    mark: tuple[int, ...],
    choices: DeliveryChoices,
    tags: tuple[tuple[str, TagRef], ...],
) -> Traced | None:
    """`cached` with the deployments recorded since, when nothing else changed and adding
    them says the same as tracing everything again; else None."""
    if (cached.choices, cached.tags, cached.mark[:2]) != (choices, tags, mark[:2]):
        return None
    count, highest = mark[2], mark[3]
    rows = uow.engineering.deployments_between(workspace.id, cached.mark[3], highest)
    if count - cached.mark[2] != len(rows) or not rows:
        return None  # rows went missing: only tracing again can say
    history = extend_history(
        cached.history, rows, _StoredCommits(uow, workspace.id), known_ids=cached.known_ids
    )
    if history is None:
        return None
    known = cached.known_ids | {row.deployment_id for row in rows}
    return Traced(mark, choices, tags, history, cached.unresolved_tags, known)


def _trace(
    uow: UnitOfWork,
    workspace: Workspace,
    mark: tuple[int, ...],
    choices: DeliveryChoices,
    tags: Sequence[tuple[str, TagRef]],
) -> Traced:
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
    known = frozenset(row.deployment_id for row in deployments)
    return Traced(mark, choices, tuple(tags), history, tuple(unresolved), known)
