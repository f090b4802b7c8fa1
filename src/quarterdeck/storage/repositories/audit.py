"""The audit trail: rows are only ever appended and read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from quarterdeck.domain.audit import AuditEntry
from quarterdeck.storage.tables import AuditRow

__all__ = ["AuditRepository"]


def _to_entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        workspace_id=row.workspace_id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        before=row.before,
        after=row.after,
        request_id=row.request_id,
    )


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(
        self,
        *,
        workspace_id: int | None,
        at: datetime,
        actor: str,
        action: str,
        entity_type: str,
        entity_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        request_id: str | None,
    ) -> None:
        self._session.add(
            AuditRow(
                workspace_id=workspace_id,
                at=at,
                actor=actor,
                action=action,
                entity_type=entity_type,
                entity_id=entity_id,
                before=before,
                after=after,
                request_id=request_id,
            )
        )
        self._session.flush()

    def append_many(self, *, workspace_id: int, entries: Iterable[AuditEntry]) -> int:
        """Append copies of `entries` under `workspace_id`, in the order given, keeping their
        times, actors and request ids (as an import must); their own ids and workspace ids are
        ignored. Returns how many rows were appended."""
        rows = [
            {
                "workspace_id": workspace_id,
                "at": entry.at,
                "actor": entry.actor,
                "action": entry.action,
                "entity_type": entry.entity_type,
                "entity_id": entry.entity_id,
                "before": entry.before,
                "after": entry.after,
                "request_id": entry.request_id,
            }
            for entry in entries
        ]
        if rows:
            # A bulk INSERT without ORM objects: an import may bring tens of thousands of rows.
            self._session.execute(insert(AuditRow), rows)
        return len(rows)

    def page(
        self, workspace_id: int, *, limit: int = 200, before_id: int | None = None
    ) -> list[AuditEntry]:
        query = select(AuditRow).where(AuditRow.workspace_id == workspace_id)
        if before_id is not None:
            query = query.where(AuditRow.id < before_id)
        rows = self._session.scalars(query.order_by(AuditRow.id.desc()).limit(limit))
        return [_to_entry(r) for r in rows]

    def all_for(self, workspace_id: int) -> list[AuditEntry]:
        rows = self._session.scalars(
            select(AuditRow).where(AuditRow.workspace_id == workspace_id).order_by(AuditRow.id)
        )
        return [_to_entry(r) for r in rows]
