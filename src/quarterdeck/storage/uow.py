"""Unit of work: one transaction per request or command, owned by the caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from quarterdeck.storage.engine import IMMEDIATE
from quarterdeck.storage.repositories import (
    AuditRepository,
    DecisionRepository,
    LoginAttemptRepository,
    MembershipRepository,
    RightsRepository,
    SessionRepository,
    TokenRepository,
    UserRepository,
    WorkspaceRepository,
)
from quarterdeck.storage.repositories.engineering import EngineeringRepository
from quarterdeck.storage.repositories.leadership import LeadershipRepository
from quarterdeck.storage.repositories.portfolio import PortfolioRepository
from quarterdeck.storage.repositories.scorecard import ScorecardRepository

__all__ = ["Clock", "Database", "UnitOfWork", "utc_now"]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class UnitOfWork:
    """Repositories sharing one transaction, plus the request id and clock for audit rows."""

    def __init__(
        self, session: Session, *, request_id: str | None, clock: Clock, write: bool
    ) -> None:
        self.session = session
        self.request_id = request_id
        self.clock = clock
        self.write = write
        self.workspaces = WorkspaceRepository(session)
        self.memberships = MembershipRepository(session)
        self.users = UserRepository(session)
        self.sessions = SessionRepository(session)
        self.tokens = TokenRepository(session)
        self.login_attempts = LoginAttemptRepository(session)
        self.audit = AuditRepository(session)
        self.decisions = DecisionRepository(session)
        self.rights = RightsRepository(session)
        self.engineering = EngineeringRepository(session)
        self.scorecard = ScorecardRepository(session)
        self.portfolio = PortfolioRepository(session)
        self.leadership = LeadershipRepository(session)

    def now(self) -> datetime:
        return self.clock()

    def on_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once this unit of work's changes are committed, never when they are
        rolled back. A read unit of work runs it at once: all it sees is committed."""
        if not self.write:
            action()
            return
        event.listen(self.session, "after_commit", lambda _session: action(), once=True)


class Database:
    """Owns the engine and hands out units of work."""

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.clock = clock
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self, *, write: bool, request_id: str | None = None) -> Iterator[UnitOfWork]:
        """Commit when the block ends normally and `write` is set; roll back otherwise."""
        with self._sessions() as session:
            if write:
                session.connection(execution_options={IMMEDIATE: True})
            uow = UnitOfWork(session, request_id=request_id, clock=self.clock, write=write)
            try:
                yield uow
            except BaseException:
                session.rollback()
                raise
            if write:
                session.commit()
            else:
                session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
