"""Recording and reading the audit trail."""

from __future__ import annotations

from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.audit import AuditEntry
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork

__all__ = ["history", "record"]


def record(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace_id: int | None,
    action: str,
    entity_type: str,
    entity_id: str | int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one audit row in the caller's transaction: it lands if and only if the change does."""
    uow.audit.append(
        workspace_id=workspace_id,
        at=uow.now(),
        actor=actor.label,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before,
        after=after,
        request_id=uow.request_id,
    )


def history(
    uow: UnitOfWork, *, actor: Actor, workspace: str, limit: int = 200, before_id: int | None = None
) -> list[AuditEntry]:
    """Newest first. Only owners and the operator read it; raises NotFound or Forbidden."""
    access = authorize(uow, actor, workspace, Permission.ADMINISTER)
    limit = max(1, min(limit, 1000))
    return uow.audit.page(access.workspace.id, limit=limit, before_id=before_id)
