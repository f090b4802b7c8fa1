"""Authorization: every workspace-scoped service starts here. Deny by default."""

from __future__ import annotations

from dataclasses import dataclass

from quarterdeck.domain.access import Actor, ActorKind, Permission, Role, TokenScope, allows
from quarterdeck.domain.errors import Forbidden, NotFound
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.storage import UnitOfWork

__all__ = ["WorkspaceAccess", "authorize", "workspace_not_found"]


@dataclass(frozen=True, slots=True)
class WorkspaceAccess:
    workspace: Workspace
    role: Role | None  # None for the operator, who acts outside memberships

    @property
    def can_write(self) -> bool:
        return self.role in (None, Role.OWNER, Role.EDITOR)

    @property
    def can_administer(self) -> bool:
        return self.role in (None, Role.OWNER)


def workspace_not_found(slug: str) -> NotFound:
    return NotFound(f"workspace {slug!r} not found")


def authorize(uow: UnitOfWork, actor: Actor, slug: str, permission: Permission) -> WorkspaceAccess:
    """The workspace and the actor's role in it, if `permission` is granted.

    Raises NotFound when the workspace does not exist *or* the actor is not a member
    (or holds a token for another workspace): the two are indistinguishable from outside.
    Raises Forbidden when the actor is a member whose role or token scope does not allow it.
    """
    workspace = uow.workspaces.by_slug(slug)
    if workspace is None:
        raise workspace_not_found(slug)
    if actor.kind is ActorKind.OPERATOR:
        return WorkspaceAccess(workspace=workspace, role=None)
    if actor.kind is ActorKind.TOKEN and actor.token_workspace_id != workspace.id:
        raise workspace_not_found(slug)
    role = _role(uow, actor, workspace.id)
    if role is None:
        raise workspace_not_found(slug)
    if not allows(actor, role, permission):
        raise Forbidden(f"your access to {slug!r} does not allow this ({permission.value} needed)")
    return WorkspaceAccess(workspace=workspace, role=role)


def _role(uow: UnitOfWork, actor: Actor, workspace_id: int) -> Role | None:
    if actor.user_id is not None:
        return uow.memberships.role_of(workspace_id, actor.user_id)
    if actor.kind is ActorKind.TOKEN:
        # Issued by the operator: the scope alone says what it may do.
        return Role.EDITOR if actor.token_scope is TokenScope.WRITE else Role.VIEWER
    return None
