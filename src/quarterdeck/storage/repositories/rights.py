"""A workspace's stored decision rights (one document per workspace, versioned)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quarterdeck.domain.errors import Conflict
from quarterdeck.storage.tables import DecisionRightsRow

__all__ = ["RightsRepository", "StoredRights"]


@dataclass(frozen=True, slots=True)
class StoredRights:
    template: str
    document: dict[str, Any]
    version: int
    updated_at: datetime
    updated_by: str


class RightsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, workspace_id: int) -> StoredRights | None:
        row = self._session.scalar(
            select(DecisionRightsRow).where(DecisionRightsRow.workspace_id == workspace_id)
        )
        if row is None:
            return None
        return StoredRights(row.template, row.document, row.version, row.updated_at, row.updated_by)

    def put(
        self,
        workspace_id: int,
        *,
        expected_version: int,
        template: str,
        document: dict[str, Any],
        author: str,
        now: datetime,
    ) -> StoredRights:
        """Store the document. `expected_version` 0 means "nothing stored yet"; a stale
        version raises Conflict and writes nothing."""
        if expected_version == 0:
            if self.get(workspace_id) is not None:
                raise _stale()
            self._session.add(
                DecisionRightsRow(
                    workspace_id=workspace_id,
                    template=template,
                    document=document,
                    version=1,
                    updated_at=now,
                    updated_by=author,
                )
            )
        else:
            result = self._session.execute(
                update(DecisionRightsRow)
                .where(
                    DecisionRightsRow.workspace_id == workspace_id,
                    DecisionRightsRow.version == expected_version,
                )
                .values(
                    template=template,
                    document=document,
                    version=DecisionRightsRow.version + 1,
                    updated_at=now,
                    updated_by=author,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise _stale()
        self._session.flush()
        self._session.expire_all()
        stored = self.get(workspace_id)
        assert stored is not None
        return stored


def _stale() -> Conflict:
    return Conflict(
        "the decision rights were changed by someone else since you loaded them; "
        "reload and apply your change again"
    )
