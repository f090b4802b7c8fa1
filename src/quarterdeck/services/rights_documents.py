"""Decision rights as data: the rights in force in a workspace (its stored copy, or the
template of its profile's leadership model), every area and role they know, and their JSON
document (what is stored and exported), parsed and validated with messages naming what is
wrong.

The verbs that read and change the rights live in `rights`, which re-exports these names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.rights import (
    AREA_OWNER,
    Condition,
    DecisionArea,
    EscalationRule,
    LeadershipRole,
    RightsMatrix,
    WorkspaceRights,
    validate_rules,
)
from quarterdeck.domain.workspaces import LeadershipModel, Workspace
from quarterdeck.storage import UnitOfWork

__all__ = [
    "all_areas",
    "all_roles",
    "custom_entry",
    "document_of",
    "effective",
    "parse_model",
    "parse_rule",
    "rights_from_document",
    "validate",
]

_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def effective(uow: UnitOfWork, workspace: Workspace) -> WorkspaceRights:
    """The rights in force: the stored copy, or the template of the profile's model."""
    stored = uow.rights.get(workspace.id)
    if stored is None:
        template = rights_catalog().template(workspace.profile.leadership_model)
        return WorkspaceRights(template.model, template.matrix, template.rules)
    rights = rights_from_document(stored.template, stored.document)
    return replace(rights, version=stored.version, updated_by=stored.updated_by)


def all_areas(rights: WorkspaceRights) -> tuple[DecisionArea, ...]:
    return rights_catalog().areas + rights.custom_areas


def all_roles(rights: WorkspaceRights) -> tuple[LeadershipRole, ...]:
    return rights_catalog().roles + rights.custom_roles


# -- the stored document -------------------------------------------------------------------


def document_of(rights: WorkspaceRights) -> dict[str, Any]:
    """The rights as plain JSON data (what is stored and exported)."""
    return {
        "matrix": {
            area: {role: involvement.value for role, involvement in roles.items()}
            for area, roles in rights.matrix.as_mapping().items()
        },
        "rules": [_rule_json(rule) for rule in rights.rules],
        "areas": [
            {"key": a.key, "name": a.name, "description": a.description}
            for a in rights.custom_areas
        ],
        "roles": [
            {"key": r.key, "name": r.name, "description": r.description}
            for r in rights.custom_roles
        ],
    }


def _rule_json(rule: EscalationRule) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": rule.name,
        "when": rule.condition.value,
        "route_to": rule.route_to,
    }
    if rule.condition is Condition.SPEND_ABOVE:
        data["threshold"] = str(rule.parameter)
    elif rule.condition is Condition.AREA:
        data["area"] = rule.parameter
    return data


def rights_from_document(template: str, document: Mapping[str, Any]) -> WorkspaceRights:
    """Rebuild and validate rights from their JSON form; InvalidInput names what is wrong."""
    if not isinstance(document, Mapping):
        raise InvalidInput("decision rights must be an object")
    unknown = set(document) - {"matrix", "rules", "areas", "roles"}
    if unknown:
        raise InvalidInput(f"decision rights: unknown field(s) {', '.join(sorted(unknown))}")
    model = parse_model(template)
    matrix_data = document.get("matrix", {})
    if not isinstance(matrix_data, Mapping) or not all(
        isinstance(v, Mapping) for v in matrix_data.values()
    ):
        raise InvalidInput("decision rights: matrix must map each area to {role: involvement}")
    custom_areas = tuple(
        DecisionArea(*custom_entry(item, "area")) for item in _list(document, "areas")
    )
    custom_roles = tuple(
        LeadershipRole(*custom_entry(item, "role")) for item in _list(document, "roles")
    )
    rules = tuple(parse_rule(item) for item in _list(document, "rules"))
    rights = WorkspaceRights(
        template=model,
        matrix=RightsMatrix.from_mapping(matrix_data),
        rules=rules,
        custom_areas=custom_areas,
        custom_roles=custom_roles,
    )
    validate(rights)
    return rights


def _list(document: Mapping[str, Any], name: str) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list):
        raise InvalidInput(f"decision rights: {name} must be a list")
    return value


def custom_entry(item: Any, kind: str) -> tuple[str, str, str]:
    """The checked key, name and description of a custom area or role (`kind`)."""
    if not isinstance(item, Mapping):
        raise InvalidInput(f"each custom {kind} must be an object with key, name, description")
    key, name = item.get("key"), item.get("name")
    description = item.get("description", "")
    if not isinstance(key, str) or not _KEY.match(key) or len(key) > 48:
        raise InvalidInput(
            f"custom {kind} key {key!r} must be lower-case words joined by hyphens, "
            "like 'payments-platform'"
        )
    if not isinstance(name, str) or not name.strip() or len(name) > 80:
        raise InvalidInput(f"custom {kind} {key!r} needs a name of 1-80 characters")
    if not isinstance(description, str) or len(description) > 400:
        raise InvalidInput(f"custom {kind} {key!r}: description must be text up to 400 characters")
    return key, name.strip(), description.strip()


def parse_model(value: str) -> LeadershipModel:
    try:
        return LeadershipModel(value.strip().lower())
    except ValueError:
        choices = ", ".join(model.value for model in LeadershipModel)
        raise InvalidInput(f"leadership model must be one of {choices}; got {value!r}") from None


def parse_rule(item: Any) -> EscalationRule:
    """An escalation rule from {name, when, route_to, threshold?, area?}."""
    if not isinstance(item, Mapping):
        raise InvalidInput("each escalation rule must be an object")
    unknown = set(item) - {"name", "when", "route_to", "threshold", "area"}
    if unknown:
        raise InvalidInput(f"escalation rule: unknown field(s) {', '.join(sorted(unknown))}")
    name, when, route_to = item.get("name"), item.get("when"), item.get("route_to")
    if not isinstance(name, str) or not name.strip() or len(name) > 80:
        raise InvalidInput("an escalation rule needs a name of 1-80 characters")
    try:
        condition = Condition(str(when))
    except ValueError:
        choices = ", ".join(c.value for c in Condition)
        raise InvalidInput(f"rule {name!r}: when must be one of {choices}; got {when!r}") from None
    if not isinstance(route_to, str):
        raise InvalidInput(f"rule {name!r}: route_to must be a role key or {AREA_OWNER}")
    parameter: Decimal | str | None = None
    if condition is Condition.SPEND_ABOVE:
        try:
            parameter = Decimal(str(item.get("threshold")).replace(",", "").strip())
        except InvalidOperation:
            raise InvalidInput(
                f"rule {name!r}: threshold must be an amount; got {item.get('threshold')!r}"
            ) from None
    elif condition is Condition.AREA:
        area = item.get("area")
        parameter = area if isinstance(area, str) else None
    return EscalationRule(name.strip(), condition, route_to.strip(), parameter)


def validate(rights: WorkspaceRights) -> None:
    """Check the rights as one piece: unique rule names, custom keys that clash with nothing,
    a matrix and guardrails over known areas and roles. Raises InvalidInput."""
    catalog = rights_catalog()
    problems = []
    names = [rule.name for rule in rights.rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(f"escalation rule names must differ: {', '.join(duplicates)}")
    for kind, custom, shipped in (
        ("area", rights.custom_areas, catalog.area_keys),
        ("role", rights.custom_roles, catalog.role_keys),
    ):
        keys = [entry.key for entry in custom]
        clashes = sorted({k for k in keys if k in shipped or keys.count(k) > 1})
        if clashes:
            problems.append(f"custom {kind} key(s) already in use: {', '.join(clashes)}")
    if problems:
        raise InvalidInput("; ".join(problems))
    areas = [a.key for a in all_areas(rights)]
    roles = [r.key for r in all_roles(rights)]
    rights.matrix.validate(areas, roles)
    validate_rules(rights.rules, areas=areas, roles=roles)
