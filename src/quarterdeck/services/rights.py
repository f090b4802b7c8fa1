"""Decision rights of a workspace: the matrix, the guardrails, custom areas and roles, and
which members hold which leadership roles.

A workspace starts with the template of its profile's leadership model; its first edit
stores its own copy, which it may change freely (owners only) and reset from any template.
The rights' stored form (the rights in force, their JSON document, parsing and validation)
lives in `rights_documents`; its names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.access import Actor, ActorKind, Membership, Permission, Role
from quarterdeck.domain.decisions import DecisionContent, Reversibility, RoutingNote
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.domain.rights import (
    AREA_OWNER,
    DecisionArea,
    DecisionFacts,
    EscalationRule,
    Involvement,
    LeadershipRole,
    RightsMatrix,
    Routing,
    WorkspaceRights,
    route,
)
from quarterdeck.domain.workspaces import LeadershipModel, Workspace
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.services.accounts import normalise_email
from quarterdeck.services.rights_documents import (
    all_areas,
    all_roles,
    custom_entry,
    document_of,
    effective,
    parse_model,
    parse_rule,
    rights_from_document,
    validate,
)
from quarterdeck.storage import UnitOfWork

__all__ = [
    "RightsView",
    "add_area",
    "add_role",
    "all_areas",
    "all_roles",
    "apply_template",
    "assign",
    "document_of",
    "effective",
    "facts_of",
    "leadership_roles",
    "name_of",
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
        return name_of(self.roles, key)

    def area_name(self, key: str) -> str:
        return name_of(self.areas, key)


def name_of(entries: Sequence[DecisionArea | LeadershipRole], key: str) -> str:
    """The name of the area or role `key` among `entries`; the key itself when unknown."""
    for entry in entries:
        if entry.key == key:
            return entry.name
    return key


# -- reading -------------------------------------------------------------------------------


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
    validate(after)
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
    area = DecisionArea(
        *custom_entry({"key": key, "name": name, "description": description}, "area")
    )
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
    role = LeadershipRole(
        *custom_entry({"key": key, "name": name, "description": description}, "role")
    )
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
