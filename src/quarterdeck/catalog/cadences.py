"""The cadence catalog: the recurring meetings of the operating system and which of them
each leadership model installs, with the leadership role that owns each."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quarterdeck.catalog.loading import CatalogError, load_yaml, shipped, validate_document
from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import LeadershipModel

__all__ = [
    "CADENCES_FILE",
    "CadenceCatalog",
    "CadenceDefinition",
    "cadence_catalog",
    "load_cadence_catalog",
]

CADENCES_FILE = "cadences.yaml"

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", max_length=48)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Cadence(_Schema):
    name: Name
    frequency: Name
    length: Name
    purpose: Text


class _Installed(_Schema):
    cadence: Key
    owner: Key


class _CadencesFile(_Schema):
    version: Literal[1]
    cadences: Annotated[dict[Key, _Cadence], Field(min_length=1)]
    models: dict[str, Annotated[list[_Installed], Field(min_length=1)]]


@dataclass(frozen=True, slots=True)
class CadenceDefinition:
    key: str
    name: str
    frequency: str
    length: str
    purpose: str
    owner: str  # leadership role key; set per leadership model


@dataclass(frozen=True, slots=True)
class CadenceCatalog:
    by_model: dict[str, tuple[CadenceDefinition, ...]]

    def for_model(self, model: LeadershipModel | str) -> tuple[CadenceDefinition, ...]:
        key = LeadershipModel(model).value if isinstance(model, str) else model.value
        try:
            return self.by_model[key]
        except KeyError:
            raise InvalidInput(f"no cadences for leadership model {model!r}") from None


def load_cadence_catalog(source: Traversable | Path | None = None) -> CadenceCatalog:
    """Load and cross-check the cadence catalog (default: the shipped file). Raises
    CatalogError naming the file and the path inside it for a schema break, a model that is
    unknown or missing, an unknown cadence or owner role, or a cadence listed twice."""
    source = shipped(CADENCES_FILE) if source is None else source
    document = validate_document(_CadencesFile, load_yaml(source), source)
    expected = {model.value for model in LeadershipModel}
    unknown = sorted(set(document.models) - expected)
    missing = sorted(expected - set(document.models))
    if unknown or missing:
        raise CatalogError(
            f"{source}: models: unknown {', '.join(unknown) or 'none'}; missing "
            f"{', '.join(missing) or 'none'}"
        )
    roles = set(rights_catalog().role_keys)
    by_model = {}
    for model, entries in document.models.items():
        seen: set[str] = set()
        definitions = []
        for position, entry in enumerate(entries):
            where = f"{source}: models.{model}.{position}"
            if entry.cadence not in document.cadences:
                raise CatalogError(f"{where}.cadence: unknown cadence {entry.cadence!r}")
            if entry.owner not in roles:
                raise CatalogError(f"{where}.owner: unknown leadership role {entry.owner!r}")
            if entry.cadence in seen:
                raise CatalogError(f"{where}.cadence: {entry.cadence!r} is listed twice")
            seen.add(entry.cadence)
            raw = document.cadences[entry.cadence]
            definitions.append(
                CadenceDefinition(
                    entry.cadence, raw.name, raw.frequency, raw.length, raw.purpose, entry.owner
                )
            )
        by_model[model] = tuple(definitions)
    return CadenceCatalog(by_model)


@functools.cache
def cadence_catalog() -> CadenceCatalog:
    """The shipped cadence catalog, loaded once per process."""
    return load_cadence_catalog()
