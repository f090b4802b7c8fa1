"""Alembic environment: the engine comes from the caller, never from a config file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

# Importing the table modules registers their tables on Base.metadata.
import quarterdeck.storage.engineering_tables
import quarterdeck.storage.leadership_tables
import quarterdeck.storage.portfolio_tables
import quarterdeck.storage.scorecard_tables  # noqa: F401
from quarterdeck.storage.tables import Base

engine = context.config.attributes["engine"]
assert isinstance(engine, Engine)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
