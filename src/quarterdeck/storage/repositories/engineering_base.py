"""What the engineering repositories share: the session, batched idempotent inserts and
upserts of revisable records, and how times keep the offset they were written in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quarterdeck.storage.engineering_tables import CostLineRow, IncidentRow, TicketRow

__all__ = ["EngineeringBase", "offset_minutes", "stored_instant", "with_offset"]

_CHUNK = 5_000  # rows per batch handed to the driver


def offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def with_offset(moment: datetime, minutes: int) -> datetime:
    return moment.astimezone(timezone(timedelta(minutes=minutes)))


def stored_instant(value: str | datetime) -> datetime:
    """A stored UTC time as the driver hands it back (SQLite: the text `UtcDateTime`
    wrote), aware."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC)


class EngineeringBase:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _driver_rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """The rows of `sql` (its placeholders written "{}") for `params`, straight from the
        driver's cursor. For reads of hundreds of thousands of rows, where building
        result rows first costs more than the values themselves: SQLite hands back times
        and JSON as the stored text, PostgreSQL's driver as datetimes and lists."""
        connection = self._session.connection()
        marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql.format(*[marker] * len(params)), params)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def _insert_new(self, table: Table, rows: Sequence[dict[str, Any]]) -> int:
        """Insert rows, skipping any that break a unique constraint; returns how many went in.

        One statement executed for many rows (the drivers batch it). Both drivers count the
        rows a batched insert added (sqlite3 and psycopg 3 sum them over the batch), but
        SQLAlchemy only passes psycopg's count on when asked to keep it."""
        if not rows:
            return 0
        dialect = self._session.get_bind().dialect.name
        module: Any = postgresql if dialect == "postgresql" else sqlite
        statement = module.insert(table).on_conflict_do_nothing()
        connection = self._session.connection()
        added = 0
        for start in range(0, len(rows), _CHUNK):
            result = connection.execute(
                statement,
                list(rows[start : start + _CHUNK]),
                execution_options={"preserve_rowcount": True},
            )
            added += result.rowcount
        return added

    def _upsert(
        self,
        model: type[IncidentRow | TicketRow | CostLineRow],
        keys: tuple[str, ...],
        workspace_id: int,
        records: Iterable[dict[str, Any]],
        *,
        now: datetime,
    ) -> tuple[int, int]:
        """Add records not stored yet (by `keys`) and bring stored ones up to date, marking
        changed rows with `now`; returns (added, updated). An unchanged record is left alone."""
        existing: dict[tuple[Any, ...], Any] = {
            tuple(getattr(row, k) for k in keys): row
            for row in self._session.scalars(
                select(model).where(model.workspace_id == workspace_id)
            )
        }
        added = updated = 0
        for record in records:
            identity = tuple(record[k] for k in keys)
            row = existing.get(identity)
            if row is None:
                row = model(workspace_id=workspace_id, updated_at=now, **record)
                self._session.add(row)
                existing[identity] = row
                added += 1
            elif any(_normal(getattr(row, k)) != _normal(v) for k, v in record.items()):
                for name, value in record.items():
                    setattr(row, name, value)
                row.updated_at = now
                updated += 1
        self._session.flush()
        return added, updated


def _normal(value: object) -> object:
    """Stored times come back in UTC; compare instants, not how they are written."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value
