"""The playbook catalog: one YAML file per playbook in the `playbooks/` folder, each
validated against a schema and cross-checked against the leadership roles catalog."""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quarterdeck.catalog.loading import (
    CatalogError,
    catalog_files,
    load_yaml,
    shipped,
    validate_document,
)
from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.playbooks import MAX_DAY, Playbook, PlaybookStep

__all__ = [
    "PLAYBOOKS_DIR",
    "STEP_COUNTS",
    "PlaybookCatalog",
    "load_playbook",
    "load_playbook_catalog",
    "playbook_catalog",
]

PLAYBOOKS_DIR = "playbooks"
SUFFIX = ".yaml"
MAX_FILES = 200

# Playbooks whose published form is a fixed number of steps; editing one must keep it.
STEP_COUNTS: dict[str, int] = {"interim-cto-onboarding": 12, "part-time-to-full-time": 7}

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", max_length=48)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
Day = Annotated[int, Field(ge=0, le=MAX_DAY)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Step(_Schema):
    key: Key
    title: Name
    done_when: Text
    owner: Key
    start_day: Day
    due_day: Day
    artifact: Name


class _PlaybookFile(_Schema):
    version: Literal[1]
    key: Key
    name: Name
    summary: Text
    exit_criterion: Text
    steps: Annotated[list[_Step], Field(min_length=1, max_length=100)]


@dataclass(frozen=True, slots=True)
class PlaybookCatalog:
    """Every shipped playbook, ordered by key. Which playbooks apply to a kind of leader
    is the role catalog's to say: see `RoleCatalog.playbooks_for`."""

    playbooks: tuple[Playbook, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(playbook.key for playbook in self.playbooks)

    def playbook(self, key: str) -> Playbook:
        """The playbook with `key`; InvalidInput naming the known keys otherwise."""
        for playbook in self.playbooks:
            if playbook.key == key:
                return playbook
        raise InvalidInput(f"unknown playbook {key!r}; known: {', '.join(self.keys)}")


def load_playbook_catalog(
    directory: Traversable | Path | None = None, *, role_keys: Collection[str] | None = None
) -> PlaybookCatalog:
    """Load every `*.yaml` file in `directory` (default: the shipped playbooks), in name
    order. Owners are checked against `role_keys` (default: the leadership roles catalog).

    Raises CatalogError naming the file (and the path inside it) when the folder holds no
    playbook or too many files, or any file fails `load_playbook`.
    """
    directory = shipped(PLAYBOOKS_DIR) if directory is None else directory
    roles = frozenset(rights_catalog().role_keys if role_keys is None else role_keys)
    entries = catalog_files(directory, what="playbook", suffix=SUFFIX, most=MAX_FILES)
    return PlaybookCatalog(tuple(load_playbook(entry, role_keys=roles) for entry in entries))


@functools.cache
def playbook_catalog() -> PlaybookCatalog:
    """The shipped playbook catalog, loaded once per process."""
    return load_playbook_catalog()


def load_playbook(source: Traversable | Path, *, role_keys: Collection[str]) -> Playbook:
    """Load one playbook file and cross-check it.

    Raises CatalogError naming the file and the path inside it when the file cannot be
    read, breaks its schema (including a field it does not know, such as `leader_kinds`:
    which kinds a playbook applies to is said by the role catalog alone), is not named
    after its key, names an owner outside `role_keys`, repeats a step key, has a step due
    before it starts, or changes the step count of a fixed-length playbook.
    """
    document = validate_document(_PlaybookFile, load_yaml(source), source)
    expected_name = f"{document.key}{SUFFIX}"
    if source.name != expected_name:
        raise CatalogError(
            f"{source}: key: {document.key!r} must match the file name (expected {expected_name})"
        )
    steps = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(document.steps):
        where = f"{source}: steps[{index}]"
        if raw.key in seen:
            raise CatalogError(
                f"{where}.key: {raw.key!r} is already used by steps[{seen[raw.key]}]"
            )
        seen[raw.key] = index
        if raw.owner not in role_keys:
            raise CatalogError(
                f"{where}.owner: unknown leadership role {raw.owner!r} "
                f"(known: {', '.join(sorted(role_keys))})"
            )
        if raw.due_day < raw.start_day:
            raise CatalogError(
                f"{where}.due_day: {raw.due_day} is before start_day {raw.start_day}"
            )
        steps.append(_build_step(raw, where))
    wanted = STEP_COUNTS.get(document.key)
    if wanted is not None and len(steps) != wanted:
        raise CatalogError(
            f"{source}: steps: {document.key} has {len(steps)} steps; it needs {wanted}"
        )
    try:
        return Playbook(
            key=document.key,
            name=document.name,
            summary=document.summary,
            exit_criterion=document.exit_criterion,
            steps=tuple(steps),
        )
    except InvalidInput as error:
        raise CatalogError(f"{source}: {error.message}") from None


def _build_step(raw: _Step, where: str) -> PlaybookStep:
    try:
        return PlaybookStep(
            key=raw.key,
            title=raw.title,
            done_when=raw.done_when,
            owner=raw.owner,
            start_day=raw.start_day,
            due_day=raw.due_day,
            artifact=raw.artifact,
        )
    except InvalidInput as error:
        raise CatalogError(f"{where}: {error.message}") from None
