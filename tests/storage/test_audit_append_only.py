"""The audit log is append-only, and the database itself enforces it (triggers installed by the
migration), so neither a bug nor a hand-typed SQL statement can rewrite history."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from quarterdeck.storage import Database
from tests.conftest import Factory


def audit_rows(db: Database) -> list[tuple[object, ...]]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, actor, action, entity_type, entity_id FROM audit_entries ORDER BY id")
        )
        return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET action = 'tampered' WHERE id = :id",
        "UPDATE audit_entries SET actor = 'someone else'",
        "DELETE FROM audit_entries WHERE id = :id",
        "DELETE FROM audit_entries",
    ],
)
def test_database_refuses_to_change_or_remove_audit_rows(
    db: Database, make: Factory, statement: str
) -> None:
    make.workspace("acme")
    before = audit_rows(db)
    assert before, "creating a workspace should have written an audit row"

    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text(statement), {"id": before[0][0]})

    assert audit_rows(db) == before


def test_new_audit_rows_can_still_be_appended(db: Database, make: Factory) -> None:
    make.workspace("acme")
    count = len(audit_rows(db))

    make.workspace("globex")

    assert len(audit_rows(db)) > count


def test_postgresql_refuses_to_truncate_the_audit_log(db: Database, make: Factory) -> None:
    if db.dialect != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    make.workspace("acme")
    before = audit_rows(db)

    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_entries"))

    assert audit_rows(db) == before
