"""The assessment catalog: one YAML file per assessment in the `assessments/` folder, each
validated against a schema and cross-checked against the role catalog."""

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
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.assessments import Area, Assessment, Statement
from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "AREA_COUNTS",
    "ASSESSMENTS_DIR",
    "STATEMENTS_PER_AREA",
    "AssessmentCatalog",
    "assessment_catalog",
    "load_assessment",
    "load_assessment_catalog",
]

ASSESSMENTS_DIR = "assessments"
SUFFIX = ".yaml"
MAX_FILES = 50
STATEMENTS_PER_AREA = 3
MAX_DEVELOPMENT = 2  # suggestions per area: short enough to act on

# Assessments whose areas are fixed by the domain reference; editing one must keep them.
AREA_COUNTS: dict[str, int] = {"cto-readiness": 9, "modern-cto-skills": 13, "it-manager-skills": 6}

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", max_length=48)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Statement(_Schema):
    key: Key
    text: Line


class _Area(_Schema):
    key: Key
    name: Name
    statements: Annotated[
        list[_Statement], Field(min_length=STATEMENTS_PER_AREA, max_length=STATEMENTS_PER_AREA)
    ]
    development: Annotated[list[Line], Field(min_length=1, max_length=MAX_DEVELOPMENT)]


class _AssessmentFile(_Schema):
    version: Literal[1]
    key: Key
    name: Name
    summary: Text
    role_kinds: Annotated[list[Key], Field(min_length=1)]
    areas: Annotated[list[_Area], Field(min_length=1, max_length=30)]


@dataclass(frozen=True, slots=True)
class AssessmentCatalog:
    """Every shipped assessment, ordered by key."""

    assessments: tuple[Assessment, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(assessment.key for assessment in self.assessments)

    def assessment(self, key: str) -> Assessment:
        """The assessment with `key`; InvalidInput naming the known keys otherwise."""
        for assessment in self.assessments:
            if assessment.key == key:
                return assessment
        raise InvalidInput(f"unknown assessment {key!r}; known: {', '.join(self.keys)}")

    def for_role(self, kind: str) -> tuple[Assessment, ...]:
        """The assessments that serve the kind of leader `kind`, ordered by key."""
        return tuple(a for a in self.assessments if kind in a.role_kinds)


def load_assessment_catalog(
    directory: Traversable | Path | None = None, *, role_keys: Collection[str] | None = None
) -> AssessmentCatalog:
    """Load every `*.yaml` file in `directory` (default: the shipped assessments), in name
    order. Role kinds are checked against `role_keys` (default: the role catalog's keys).

    Raises CatalogError naming the file (and the path inside it) when the folder holds no
    assessment or too many files, or any file fails `load_assessment`.
    """
    directory = shipped(ASSESSMENTS_DIR) if directory is None else directory
    kinds = frozenset(role_catalog().keys if role_keys is None else role_keys)
    entries = catalog_files(directory, what="assessment", suffix=SUFFIX, most=MAX_FILES)
    return AssessmentCatalog(tuple(load_assessment(entry, role_keys=kinds) for entry in entries))


@functools.cache
def assessment_catalog() -> AssessmentCatalog:
    """The shipped assessment catalog, loaded once per process."""
    return load_assessment_catalog()


def load_assessment(source: Traversable | Path, *, role_keys: Collection[str]) -> Assessment:
    """Load one assessment file and cross-check it.

    Raises CatalogError naming the file and the path inside it when the file cannot be
    read, breaks its schema (each area has exactly STATEMENTS_PER_AREA statements and one
    or two development suggestions), is not named after its key, names a role kind
    outside `role_keys` or names one twice, repeats an area or statement key, or changes
    the area count of an assessment listed in AREA_COUNTS.
    """
    document = validate_document(_AssessmentFile, load_yaml(source), source)
    expected_name = f"{document.key}{SUFFIX}"
    if source.name != expected_name:
        raise CatalogError(
            f"{source}: key: {document.key!r} must match the file name (expected {expected_name})"
        )
    _check_role_kinds(document.role_kinds, role_keys, f"{source}: role_kinds")
    areas = []
    area_seen: dict[str, int] = {}
    statement_seen: dict[str, str] = {}
    for index, raw in enumerate(document.areas):
        where = f"{source}: areas[{index}]"
        if raw.key in area_seen:
            raise CatalogError(
                f"{where}.key: {raw.key!r} is already used by areas[{area_seen[raw.key]}]"
            )
        area_seen[raw.key] = index
        for position, statement in enumerate(raw.statements):
            here = f"areas[{index}].statements[{position}]"
            if statement.key in statement_seen:
                raise CatalogError(
                    f"{source}: {here}.key: {statement.key!r} is already used by "
                    f"{statement_seen[statement.key]}"
                )
            statement_seen[statement.key] = here
        areas.append(
            Area(
                key=raw.key,
                name=raw.name,
                statements=tuple(Statement(key=s.key, text=s.text) for s in raw.statements),
                development=tuple(raw.development),
            )
        )
    wanted = AREA_COUNTS.get(document.key)
    if wanted is not None and len(areas) != wanted:
        raise CatalogError(
            f"{source}: areas: {document.key} has {len(areas)} areas; it needs {wanted}"
        )
    try:
        return Assessment(
            key=document.key,
            name=document.name,
            summary=document.summary,
            role_kinds=tuple(document.role_kinds),
            areas=tuple(areas),
        )
    except InvalidInput as error:
        raise CatalogError(f"{source}: {error.message}") from None


def _check_role_kinds(kinds: list[str], known: Collection[str], where: str) -> None:
    seen: set[str] = set()
    for index, kind in enumerate(kinds):
        if kind not in known:
            raise CatalogError(
                f"{where}[{index}]: unknown kind of leader {kind!r} "
                f"(known: {', '.join(sorted(known))})"
            )
        if kind in seen:
            raise CatalogError(f"{where}[{index}]: {kind!r} is listed twice")
        seen.add(kind)
