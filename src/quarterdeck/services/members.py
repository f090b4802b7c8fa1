"""Who belongs to a workspace, and with which role."""

from __future__ import annotations

from quarterdeck.domain.access import Actor, Membership, Permission, Role
from quarterdeck.domain.errors import Conflict, InvalidInput, NotFound
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.services.accounts import normalise_email
from quarterdeck.storage import UnitOfWork

__all__ = ["add", "list_members", "parse_role", "remove"]


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise InvalidInput(f"role must be owner, editor or viewer; got {value!r}") from None


def list_members(uow: UnitOfWork, *, actor: Actor, workspace: str) -> list[Membership]:
    """Every member with role; any member may read it."""
    access = authorize(uow, actor, workspace, Permission.READ)
    return uow.memberships.in_workspace(access.workspace.id)


def add(uow: UnitOfWork, *, actor: Actor, workspace: str, email: str, role: Role) -> Membership:
    """Add an existing account to the workspace, or change its role. Owners only.

    Raises NotFound for an unknown account, Conflict when it would leave no owner.
    """
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    user = uow.users.by_email(normalise_email(email))
    if user is None:
        raise NotFound(f"no account for {email}; add it first with `quarterdeck user add`")
    before = uow.memberships.get(ws.id, user.id)
    if before is not None and before.role is role:
        return before
    if before is not None and before.role is Role.OWNER and role is not Role.OWNER:
        _keep_an_owner(uow, ws.id, ws.slug)
    membership = uow.memberships.put(ws.id, user.id, role, now=uow.now())
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="member.added" if before is None else "member.role_changed",
        entity_type="membership",
        entity_id=user.email,
        before=None if before is None else {"role": before.role.value},
        after={"role": role.value},
    )
    return membership


def remove(uow: UnitOfWork, *, actor: Actor, workspace: str, email: str) -> None:
    """Remove a member. Owners only; the last owner cannot be removed."""
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    user = uow.users.by_email(normalise_email(email))
    membership = None if user is None else uow.memberships.get(ws.id, user.id)
    if user is None or membership is None:
        raise NotFound(f"{email} is not a member of {ws.slug!r}")
    if membership.role is Role.OWNER:
        _keep_an_owner(uow, ws.id, ws.slug)
    uow.memberships.remove(ws.id, user.id)
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="member.removed",
        entity_type="membership",
        entity_id=user.email,
        before={"role": membership.role.value},
    )


def _keep_an_owner(uow: UnitOfWork, workspace_id: int, slug: str) -> None:
    if uow.memberships.count_owners(workspace_id) <= 1:
        raise Conflict(f"{slug!r} must keep at least one owner")
