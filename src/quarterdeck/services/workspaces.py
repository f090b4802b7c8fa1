"""Creating, listing, reading and updating workspaces."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from quarterdeck.domain.access import Actor, ActorKind, Permission, Role
from quarterdeck.domain.errors import Conflict, Forbidden
from quarterdeck.domain.workspaces import (
    OrganisationProfile,
    Workspace,
    parse_profile,
    validate_name,
    validate_slug,
    validate_time_zone,
)
from quarterdeck.services import audit
from quarterdeck.services.access import WorkspaceAccess, authorize
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories.workspaces import profile_columns

__all__ = ["create", "describe", "list_visible", "show", "update"]


def describe(workspace: Workspace) -> dict[str, Any]:
    """The workspace as plain data, as audit rows and exports record it."""
    return {
        "slug": workspace.slug,
        "name": workspace.name,
        "time_zone": workspace.time_zone,
        "demo": workspace.demo,
        "profile": {
            k: (v.value if hasattr(v, "value") else v) for k, v in asdict(workspace.profile).items()
        },
    }


def create(
    uow: UnitOfWork,
    *,
    actor: Actor,
    slug: str,
    name: str,
    time_zone: str = "UTC",
    profile: OrganisationProfile | None = None,
    demo: bool = False,
) -> Workspace:
    """Create a workspace; a signed-in user who creates it becomes its owner.

    Raises InvalidInput for a bad slug, name or time zone, Conflict when the slug is taken,
    Forbidden for API tokens (a token belongs to one existing workspace).
    """
    if actor.kind is ActorKind.TOKEN:
        raise Forbidden("API tokens cannot create workspaces")
    slug = validate_slug(slug)
    name = validate_name(name)
    time_zone = validate_time_zone(time_zone)
    if uow.workspaces.slug_taken(slug):
        raise Conflict(f"a workspace with slug {slug!r} already exists")
    workspace = uow.workspaces.add(
        slug=slug,
        name=name,
        time_zone=time_zone,
        profile=profile or OrganisationProfile(),
        demo=demo,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=workspace.id,
        action="workspace.created",
        entity_type="workspace",
        entity_id=workspace.slug,
        after=describe(workspace),
    )
    if actor.user_id is not None:
        uow.memberships.put(workspace.id, actor.user_id, Role.OWNER, now=uow.now())
        audit.record(
            uow,
            actor=actor,
            workspace_id=workspace.id,
            action="member.added",
            entity_type="membership",
            entity_id=actor.label,
            after={"role": Role.OWNER.value},
        )
    return workspace


def list_visible(uow: UnitOfWork, *, actor: Actor) -> list[tuple[Workspace, Role | None]]:
    """Workspaces the actor may see, with its role (None for the operator, who sees all)."""
    if actor.kind is ActorKind.OPERATOR:
        return [(ws, None) for ws in uow.workspaces.all()]
    if actor.user_id is None:
        return []
    visible = uow.workspaces.for_user(actor.user_id)
    if actor.kind is ActorKind.TOKEN:
        visible = [(ws, role) for ws, role in visible if ws.id == actor.token_workspace_id]
    return visible  # type: ignore[return-value]


def show(uow: UnitOfWork, *, actor: Actor, workspace: str) -> WorkspaceAccess:
    """The workspace and the actor's role; NotFound for non-members."""
    return authorize(uow, actor, workspace, Permission.READ)


def update(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    expected_version: int,
    name: str | None = None,
    time_zone: str | None = None,
    profile: dict[str, Any] | None = None,
) -> Workspace:
    """Change name, time zone or profile fields. Owners only.

    Raises Conflict when `expected_version` is stale (nothing is written), InvalidInput
    for bad values, NotFound/Forbidden from authorization.
    """
    current = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = validate_name(name)
    if time_zone is not None:
        values["time_zone"] = validate_time_zone(time_zone)
    if profile:
        values.update(profile_columns(parse_profile(profile, current.profile)))
    updated = uow.workspaces.update(
        current, expected_version=expected_version, now=uow.now(), **values
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=current.id,
        action="workspace.updated",
        entity_type="workspace",
        entity_id=current.slug,
        before=describe(current),
        after=describe(updated),
    )
    return updated
