"""Who may do what: workspace roles, token scopes and the actor behind a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = [
    "Actor",
    "ActorKind",
    "ApiToken",
    "Membership",
    "Permission",
    "Role",
    "TokenScope",
    "User",
    "allows",
]


class Role(StrEnum):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


class Permission(StrEnum):
    READ = "read"
    WRITE = "write"
    ADMINISTER = "administer"


class TokenScope(StrEnum):
    READ = "read"
    WRITE = "write"


_ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.EDITOR: frozenset({Permission.READ, Permission.WRITE}),
    Role.VIEWER: frozenset({Permission.READ}),
}

_SCOPE_PERMISSIONS: dict[TokenScope, frozenset[Permission]] = {
    TokenScope.READ: frozenset({Permission.READ}),
    TokenScope.WRITE: frozenset({Permission.READ, Permission.WRITE}),
}


class ActorKind(StrEnum):
    USER = "user"
    TOKEN = "token"  # noqa: S105
    OPERATOR = "operator"


@dataclass(frozen=True, slots=True)
class Actor:
    """Whoever acts: a signed-in user, an API token, or the local operator at the CLI.

    A token acts for the user who created it, limited to one workspace and its scope.
    The operator has direct access to the database file and so holds every right.
    """

    kind: ActorKind
    label: str
    user_id: int | None = None
    token_id: int | None = None
    token_workspace_id: int | None = None
    token_scope: TokenScope | None = None

    @classmethod
    def operator(cls, label: str = "operator") -> Actor:
        return cls(kind=ActorKind.OPERATOR, label=label)


def allows(actor: Actor, role: Role | None, permission: Permission) -> bool:
    """Deny by default: true only when the role and, for tokens, the scope both grant it."""
    if actor.kind is ActorKind.OPERATOR:
        return True
    if role is None or permission not in _ROLE_PERMISSIONS[role]:
        return False
    if actor.kind is ActorKind.TOKEN:
        return actor.token_scope is not None and permission in _SCOPE_PERMISSIONS[actor.token_scope]
    return True


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    display_name: str
    active: bool
    has_password: bool
    version: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Membership:
    workspace_id: int
    user_id: int
    email: str
    display_name: str
    role: Role
    version: int
    leadership_roles: tuple[str, ...] = ()  # seats in the decision-rights matrix


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    workspace_id: int
    name: str
    prefix: str
    scope: TokenScope
    created_by: int | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def usable_at(self, moment: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or moment < self.expires_at
