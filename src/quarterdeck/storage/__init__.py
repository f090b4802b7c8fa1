"""Persistence: engine, ORM tables, repositories, unit of work and migrations."""

from quarterdeck.storage.engine import make_engine
from quarterdeck.storage.schema import check_schema, upgrade
from quarterdeck.storage.uow import Database, UnitOfWork

__all__ = ["Database", "UnitOfWork", "check_schema", "make_engine", "upgrade"]
