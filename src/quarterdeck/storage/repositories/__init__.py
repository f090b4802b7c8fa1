"""Repositories: the only code that queries tables. Workspace-scoped ones take the workspace."""

from quarterdeck.storage.repositories.accounts import (
    LoginAttemptRepository,
    SessionRepository,
    StoredSession,
    TokenRepository,
    UserRepository,
)
from quarterdeck.storage.repositories.audit import AuditRepository
from quarterdeck.storage.repositories.decisions import (
    DecisionFilter,
    DecisionRepository,
    Routed,
)
from quarterdeck.storage.repositories.rights import RightsRepository
from quarterdeck.storage.repositories.workspaces import MembershipRepository, WorkspaceRepository

__all__ = [
    "AuditRepository",
    "DecisionFilter",
    "DecisionRepository",
    "LoginAttemptRepository",
    "MembershipRepository",
    "RightsRepository",
    "Routed",
    "SessionRepository",
    "StoredSession",
    "TokenRepository",
    "UserRepository",
    "WorkspaceRepository",
]
