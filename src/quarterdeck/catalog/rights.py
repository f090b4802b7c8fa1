"""The decision-rights catalog: decision areas, leadership roles and one rights template
per leadership model, loaded from YAML, validated and cross-checked."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quarterdeck.catalog.loading import CatalogError, load_yaml, shipped, validate_document
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.rights import (
    Condition,
    DecisionArea,
    EscalationRule,
    Involvement,
    LeadershipRole,
    RightsMatrix,
    RightsTemplate,
    validate_rules,
)
from quarterdeck.domain.workspaces import LeadershipModel

__all__ = [
    "AREAS_FILE",
    "ROLES_FILE",
    "TEMPLATES_FILE",
    "RightsCatalog",
    "load_rights_catalog",
    "rights_catalog",
]

AREAS_FILE = "decision_areas.yaml"
ROLES_FILE = "leadership_roles.yaml"
TEMPLATES_FILE = "rights_templates.yaml"

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", max_length=48)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
Amount = Annotated[Decimal, Field(strict=False, ge=0, allow_inf_nan=False)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Entry(_Schema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    description: Text


class _AreasFile(_Schema):
    version: Literal[1]
    areas: Annotated[dict[Key, _Entry], Field(min_length=1)]


class _RolesFile(_Schema):
    version: Literal[1]
    roles: Annotated[dict[Key, _Entry], Field(min_length=1)]


class _Rule(_Schema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    when: Annotated[Condition, Field(strict=False)]
    route_to: Key
    threshold: Amount | None = None
    area: Key | None = None


class _Template(_Schema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    description: Text
    rights: dict[Key, dict[Key, Annotated[Involvement, Field(strict=False)]]]
    escalation: list[_Rule]


class _TemplatesFile(_Schema):
    version: Literal[1]
    default_spend_threshold: Amount
    templates: dict[Key, _Template]


@dataclass(frozen=True, slots=True)
class RightsCatalog:
    """Every shipped decision area, leadership role and rights template, in file order."""

    areas: tuple[DecisionArea, ...]
    roles: tuple[LeadershipRole, ...]
    templates: tuple[RightsTemplate, ...]
    default_spend_threshold: Decimal

    @property
    def area_keys(self) -> tuple[str, ...]:
        return tuple(area.key for area in self.areas)

    @property
    def role_keys(self) -> tuple[str, ...]:
        return tuple(role.key for role in self.roles)

    def area(self, key: str) -> DecisionArea:
        """The area with `key`; InvalidInput naming the known keys otherwise."""
        for area in self.areas:
            if area.key == key:
                return area
        raise InvalidInput(f"unknown decision area {key!r}; known: {', '.join(self.area_keys)}")

    def role(self, key: str) -> LeadershipRole:
        """The role with `key`; InvalidInput naming the known keys otherwise."""
        for role in self.roles:
            if role.key == key:
                return role
        raise InvalidInput(f"unknown leadership role {key!r}; known: {', '.join(self.role_keys)}")

    def template(self, model: LeadershipModel) -> RightsTemplate:
        """The rights template for a leadership model (the catalog has one for each)."""
        for template in self.templates:
            if template.model is model:
                return template
        raise InvalidInput(f"no rights template for leadership model {model.value!r}")


def load_rights_catalog(
    *,
    areas: Traversable | Path | None = None,
    roles: Traversable | Path | None = None,
    templates: Traversable | Path | None = None,
) -> RightsCatalog:
    """Load and cross-check the rights catalog; each file defaults to the shipped one.

    Raises CatalogError naming the file and the path inside it when a file cannot be
    read, breaks its schema, names an unknown area or role, leaves an area without an
    owner, or misses a template for a leadership model.
    """
    areas_source = shipped(AREAS_FILE) if areas is None else areas
    roles_source = shipped(ROLES_FILE) if roles is None else roles
    templates_source = shipped(TEMPLATES_FILE) if templates is None else templates
    areas_doc = validate_document(_AreasFile, load_yaml(areas_source), areas_source)
    roles_doc = validate_document(_RolesFile, load_yaml(roles_source), roles_source)
    templates_doc = validate_document(_TemplatesFile, load_yaml(templates_source), templates_source)
    area_list = tuple(DecisionArea(k, e.name, e.description) for k, e in areas_doc.areas.items())
    role_list = tuple(LeadershipRole(k, e.name, e.description) for k, e in roles_doc.roles.items())
    area_keys = frozenset(areas_doc.areas)
    role_keys = frozenset(roles_doc.roles)
    _check_models(templates_doc, templates_source)
    built = []
    for key, raw in templates_doc.templates.items():
        where = f"{templates_source}: templates.{key}"
        built.append(
            _build_template(
                LeadershipModel(key),
                raw,
                default_threshold=templates_doc.default_spend_threshold,
                areas=area_list,
                role_keys=role_keys,
                area_keys=area_keys,
                where=where,
            )
        )
    return RightsCatalog(
        areas=area_list,
        roles=role_list,
        templates=tuple(built),
        default_spend_threshold=templates_doc.default_spend_threshold,
    )


@functools.cache
def rights_catalog() -> RightsCatalog:
    """The shipped rights catalog, loaded once per process."""
    return load_rights_catalog()


def _check_models(document: _TemplatesFile, source: Traversable | Path) -> None:
    expected = {model.value for model in LeadershipModel}
    unknown = sorted(set(document.templates) - expected)
    missing = sorted(expected - set(document.templates))
    problems = []
    if unknown:
        problems.append(f"unknown leadership model(s): {', '.join(unknown)}")
    if missing:
        problems.append(f"no template for leadership model(s): {', '.join(missing)}")
    if problems:
        raise CatalogError(f"{source}: templates: {'; '.join(problems)}")


def _build_template(
    model: LeadershipModel,
    raw: _Template,
    *,
    default_threshold: Decimal,
    areas: tuple[DecisionArea, ...],
    area_keys: frozenset[str],
    role_keys: frozenset[str],
    where: str,
) -> RightsTemplate:
    uncovered = [area.key for area in areas if area.key not in raw.rights]
    if uncovered:
        raise CatalogError(f"{where}.rights: does not cover area(s) {', '.join(uncovered)}")
    matrix = RightsMatrix.from_mapping(raw.rights)
    try:
        matrix.validate([area.key for area in areas], role_keys)
    except InvalidInput as error:
        raise CatalogError(f"{where}.rights: {error.message}") from None
    rules = tuple(
        _build_rule(rule, default_threshold, f"{where}.escalation[{index}]")
        for index, rule in enumerate(raw.escalation)
    )
    try:
        validate_rules(rules, areas=area_keys, roles=role_keys)
    except InvalidInput as error:
        raise CatalogError(f"{where}.escalation: {error.message}") from None
    return RightsTemplate(model, raw.name, raw.description, matrix, rules)


def _build_rule(raw: _Rule, default_threshold: Decimal, where: str) -> EscalationRule:
    parameter: Decimal | str | None = None
    if raw.when is Condition.SPEND_ABOVE:
        parameter = raw.threshold if raw.threshold is not None else default_threshold
    elif raw.threshold is not None:
        raise CatalogError(f"{where}.threshold: only a spend-above rule takes a threshold")
    if raw.when is Condition.AREA:
        parameter = raw.area
    elif raw.area is not None:
        raise CatalogError(f"{where}.area: only an area rule names an area")
    try:
        return EscalationRule(raw.name, raw.when, raw.route_to, parameter)
    except InvalidInput as error:
        raise CatalogError(f"{where}: {error.message}") from None
