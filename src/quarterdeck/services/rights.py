"""Decision rights of a workspace: the matrix, the guardrails, custom areas and roles, and
which members hold which leadership roles.

A workspace starts with the template of its profile's leadership model; its first edit
stores its own copy, which it may change freely (owners only) and reset from any template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.access import Actor, ActorKind, Membership, Permission, Role
from quarterdeck.domain.decisions import DecisionContent, Reversibility, RoutingNote
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.domain.rights import (
    AREA_OWNER,
    Condition,
    DecisionArea,
    DecisionFacts,
    EscalationRule,
    Involvement,
    LeadershipRole,
    RightsMatrix,
    Routing,
    WorkspaceRights,
    route,
    validate_rules,
)
from quarterdeck.domain.workspaces import LeadershipModel, Workspace
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.services.accounts import normalise_email
from quarterdeck.storage import UnitOfWork

__all__ = [
    "RightsView",
    "add_area",
    "add_role",
    "apply_template",
    "assign",
    "document_of",
    "effective",
    "facts_of",
    "leadership_roles",
    "notes_of",
    "parse_model",
    "parse_rule",
    "replace_rights",
    "rights_from_document",
    "routing_for",
    "set_cells",
    "set_rules",
    "show",
]

_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class RightsView:
    """The rights as a page or command shows them: every area and role (catalog first,
    then custom), the matrix, the guardrails, and who holds each role."""

    workspace: Workspace
    rights: WorkspaceRights
    areas: tuple[DecisionArea, ...]
    roles: tuple[LeadershipRole, ...]
    members: tuple[Membership, ...]

    def holders(self, role: str) -> tuple[Membership, ...]:
        return tuple(m for m in self.members if role in m.leadership_roles)

    @property
    def unheld_owner_roles(self) -> tuple[str, ...]:
        """Roles that own or co-own some area, or receive an escalation, but that no member
        who may write holds: decisions waiting for them can be decided by any editor."""
        needed = {
            role for area in self.rights.matrix.areas for role in self.rights.matrix.owners(area)
        }
        needed |= {rule.route_to for rule in self.rights.rules if rule.route_to != AREA_OWNER}
        held = {
            role for m in self.members if m.role is not Role.VIEWER for role in m.leadership_roles
        }
        return tuple(role.key for role in self.roles if role.key in needed - held)

    def role_name(self, key: str) -> str:
        return _name_of(self.roles, key)

    def area_name(self, key: str) -> str:
        return _name_of(self.areas, key)


def _name_of(entries: Sequence[DecisionArea | LeadershipRole], key: str) -> str:
    for entry in entries:
        if entry.key == key:
            return entry.name
    return key


# -- reading -------------------------------------------------------------------------------


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


def show(uow: UnitOfWork, *, actor: Actor, workspace: str) -> RightsView:
    """The workspace's rights with areas, roles and holders; any member may read them."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    rights = effective(uow, ws)
    return RightsView(
        workspace=ws,
        rights=rights,
        areas=all_areas(rights),
        roles=all_roles(rights),
        members=tuple(uow.memberships.in_workspace(ws.id)),
    )


def leadership_roles(uow: UnitOfWork, actor: Actor, workspace: Workspace) -> frozenset[str]:
    """The roles the actor holds here. The operator holds every role: it has the database."""
    if actor.kind is ActorKind.OPERATOR:
        return frozenset(role.key for role in all_roles(effective(uow, workspace)))
    if actor.user_id is None:
        return frozenset()
    return uow.memberships.leadership_roles_of(workspace.id, actor.user_id)


def facts_of(content: DecisionContent) -> DecisionFacts:
    return DecisionFacts(
        area=content.area,
        cross_team=content.cross_team,
        estimated_spend=content.estimated_spend,
        security_exception=content.security_exception,
        one_way_door=content.reversibility is Reversibility.ONE_WAY,
    )


def routing_for(
    rights: WorkspaceRights, content: DecisionContent, roles: frozenset[str]
) -> Routing:
    return route(facts_of(content), roles, rights.matrix, rights.rules)


def notes_of(routing: Routing) -> tuple[RoutingNote, ...]:
    return tuple(
        RoutingNote("" if e.rule is None else e.rule.name, e.route_to, e.reason)
        for e in routing.escalations
    )


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
    custom_areas = tuple(DecisionArea(*_entry(item, "area")) for item in _list(document, "areas"))
    custom_roles = tuple(LeadershipRole(*_entry(item, "role")) for item in _list(document, "roles"))
    rules = tuple(parse_rule(item) for item in _list(document, "rules"))
    rights = WorkspaceRights(
        template=model,
        matrix=RightsMatrix.from_mapping(matrix_data),
        rules=rules,
        custom_areas=custom_areas,
        custom_roles=custom_roles,
    )
    _validate(rights)
    return rights


def _list(document: Mapping[str, Any], name: str) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list):
        raise InvalidInput(f"decision rights: {name} must be a list")
    return value


def _entry(item: Any, kind: str) -> tuple[str, str, str]:
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


def _validate(rights: WorkspaceRights) -> None:
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


# -- changing ------------------------------------------------------------------------------


def _store(
    uow: UnitOfWork,
    actor: Actor,
    ws: Workspace,
    before: WorkspaceRights,
    after: WorkspaceRights,
    *,
    expected_version: int,
    action: str,
) -> WorkspaceRights:
    _validate(after)
    stored = uow.rights.put(
        ws.id,
        expected_version=expected_version,
        template=after.template.value,
        document=document_of(after),
        author=actor.label,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action=action,
        entity_type="decision_rights",
        entity_id=ws.slug,
        before={"template": before.template.value, **document_of(before)},
        after={"template": after.template.value, **document_of(after)},
    )
    return replace(after, version=stored.version, updated_by=stored.updated_by)


def _editable(
    uow: UnitOfWork, actor: Actor, workspace: str, expected_version: int | None
) -> tuple[Workspace, WorkspaceRights, int]:
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    current = effective(uow, ws)
    version = current.version if expected_version is None else expected_version
    return ws, current, version


def set_cells(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    area: str,
    cells: Mapping[str, Involvement | None],
    expected_version: int | None = None,
) -> WorkspaceRights:
    """Set how several roles take part in one area at once (None: no part), so ownership
    can move from one role to another in a single valid step. Owners only."""
    ws, current, version = _editable(uow, actor, workspace, expected_version)
    if area not in {a.key for a in all_areas(current)}:
        raise InvalidInput(_unknown("area", area, [a.key for a in all_areas(current)]))
    known_roles = [r.key for r in all_roles(current)]
    matrix = current.matrix
    for role, involvement in cells.items():
        if role not in known_roles:
            raise InvalidInput(_unknown("role", role, known_roles))
        matrix = matrix.with_cell(area, role, involvement)
    after = replace(current, matrix=matrix)
    return _store(uow, actor, ws, current, after, expected_version=version, action="rights.changed")


def replace_rights(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    matrix: Mapping[str, Mapping[str, Involvement | None]],
    rules: Sequence[EscalationRule] | None = None,
    expected_version: int | None = None,
) -> WorkspaceRights:
    """Replace the whole matrix (and the guardrails when given), validated as one piece."""
    ws, current, version = _editable(uow, actor, workspace, expected_version)
    cleaned = {
        area: {role: inv for role, inv in roles.items() if inv is not None}
        for area, roles in matrix.items()
    }
    after = replace(
        current,
        matrix=RightsMatrix.from_mapping(cleaned),
        rules=current.rules if rules is None else tuple(rules),
    )
    return _store(uow, actor, ws, current, after, expected_version=version, action="rights.changed")


def set_rules(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    rules: Sequence[EscalationRule],
    expected_version: int | None = None,
) -> WorkspaceRights:
    """Replace the escalation rules (the guardrails), in the order they are checked."""
    ws, current, version = _editable(uow, actor, workspace, expected_version)
    after = replace(current, rules=tuple(rules))
    return _store(
        uow, actor, ws, current, after, expected_version=version, action="rights.rules_changed"
    )


def apply_template(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    model: LeadershipModel | None = None,
    expected_version: int | None = None,
) -> WorkspaceRights:
    """Reset the catalog areas and the guardrails from a leadership model's template (the
    profile's model by default). Custom areas and roles, and their cells, are kept."""
    ws, current, version = _editable(uow, actor, workspace, expected_version)
    template = rights_catalog().template(model or ws.profile.leadership_model)
    custom_areas = {a.key for a in current.custom_areas}
    kept = {
        area: roles for area, roles in current.matrix.as_mapping().items() if area in custom_areas
    }
    mapping = {**template.matrix.as_mapping(), **kept}
    after = replace(
        current,
        template=template.model,
        matrix=RightsMatrix.from_mapping(mapping),
        rules=template.rules,
    )
    return _store(
        uow, actor, ws, current, after, expected_version=version, action="rights.template_applied"
    )


def add_area(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    key: str,
    name: str,
    owner: str,
    description: str = "",
    expected_version: int | None = None,
) -> WorkspaceRights:
    """Add a workspace's own decision area, owned by `owner` (every area needs an owner)."""
    ws, current, version = _editable(uow, actor, workspace, expected_version)
    area = DecisionArea(*_entry({"key": key, "name": name, "description": description}, "area"))
    roles = [r.key for r in all_roles(current)]
    if owner not in roles:
        raise InvalidInput(_unknown("role", owner, roles))
    after = replace(
        current,
        custom_areas=(*current.custom_areas, area),
        matrix=current.matrix.with_cell(area.key, owner, Involvement.OWNS),
    )
    return _store(
        uow, actor, ws, current, after, expected_version=version, action="rights.area_added"
    )


def add_role(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    key: str,
    name: str,
    description: str = "",
    expected_version: int | None = None,
) -> WorkspaceRights:
    """Add a workspace's own leadership role (a seat in the matrix, e.g. 'Head of Data')."""
    ws, current, version = _editable(uow, actor, workspace, expected_version)
    role = LeadershipRole(*_entry({"key": key, "name": name, "description": description}, "role"))
    after = replace(current, custom_roles=(*current.custom_roles, role))
    return _store(
        uow, actor, ws, current, after, expected_version=version, action="rights.role_added"
    )


def assign(
    uow: UnitOfWork, *, actor: Actor, workspace: str, email: str, roles: Sequence[str]
) -> Membership:
    """Give a member exactly these leadership roles (an empty list takes them all away)."""
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    known = [r.key for r in all_roles(effective(uow, ws))]
    wanted = tuple(dict.fromkeys(role.strip().lower() for role in roles if role.strip()))
    for role in wanted:
        if role not in known:
            raise InvalidInput(_unknown("role", role, known))
    wanted = tuple(sorted(wanted, key=known.index))  # stored in the catalog's order
    user = uow.users.by_email(normalise_email(email))
    member = None if user is None else uow.memberships.get(ws.id, user.id)
    if user is None or member is None:
        raise NotFound(f"{email} is not a member of {ws.slug!r}")
    if member.leadership_roles == wanted:
        return member
    saved = uow.memberships.set_leadership_roles(ws.id, user.id, wanted)
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="member.leadership_roles_changed",
        entity_type="membership",
        entity_id=user.email,
        before={"leadership_roles": list(member.leadership_roles)},
        after={"leadership_roles": list(wanted)},
    )
    return saved


def _unknown(kind: str, key: str, known: Sequence[str]) -> str:
    return f"unknown {kind} {key!r}; known: {', '.join(known)}"
