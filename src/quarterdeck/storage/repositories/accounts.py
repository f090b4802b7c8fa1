"""Users, browser sessions, API tokens and login attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from quarterdeck.domain.access import ApiToken, TokenScope, User
from quarterdeck.storage.tables import ApiTokenRow, LoginAttemptRow, SessionRow, UserRow

__all__ = [
    "LoginAttemptRepository",
    "SessionRepository",
    "StoredSession",
    "TokenRepository",
    "UserRepository",
]


def _to_user(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        active=row.active,
        has_password=row.password_hash is not None,
        version=row.version,
        created_at=row.created_at,
    )


class UserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, *, email: str, display_name: str, password_hash: str | None, now: datetime
    ) -> User:
        row = UserRow(
            email=email,
            display_name=display_name,
            password_hash=password_hash,
            active=True,
            version=1,
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _to_user(row)

    def by_email(self, email: str) -> User | None:
        row = self._session.scalar(select(UserRow).where(UserRow.email == email))
        return None if row is None else _to_user(row)

    def by_id(self, user_id: int) -> User | None:
        row = self._session.get(UserRow, user_id)
        return None if row is None else _to_user(row)

    def password_hash(self, user_id: int) -> str | None:
        return self._session.scalar(select(UserRow.password_hash).where(UserRow.id == user_id))

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        row = self._session.get(UserRow, user_id)
        assert row is not None
        row.password_hash = password_hash
        row.version += 1
        self._session.flush()

    def all(self) -> list[User]:
        return [_to_user(r) for r in self._session.scalars(select(UserRow).order_by(UserRow.email))]


@dataclass(frozen=True, slots=True)
class StoredSession:
    id: int
    user_id: int
    csrf_token: str
    expires_at: datetime
    revoked_at: datetime | None


class SessionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        token_hash: str,
        user_id: int,
        csrf_token: str,
        address: str,
        now: datetime,
        expires_at: datetime,
    ) -> StoredSession:
        row = SessionRow(
            token_hash=token_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            address=address,
            created_at=now,
            expires_at=expires_at,
            revoked_at=None,
        )
        self._session.add(row)
        self._session.flush()
        return self._to_stored(row)

    def by_hash(self, token_hash: str) -> StoredSession | None:
        row = self._session.scalar(select(SessionRow).where(SessionRow.token_hash == token_hash))
        return None if row is None else self._to_stored(row)

    def revoke(self, session_id: int, *, now: datetime) -> None:
        row = self._session.get(SessionRow, session_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at = now
            self._session.flush()

    def revoke_all_for(self, user_id: int, *, now: datetime, keep: str | None = None) -> int:
        """End every open session of the user, except the one whose token hash is `keep`."""
        query = select(SessionRow).where(
            SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None)
        )
        if keep is not None:
            query = query.where(SessionRow.token_hash != keep)
        rows = self._session.scalars(query).all()
        for row in rows:
            row.revoked_at = now
        self._session.flush()
        return len(rows)

    @staticmethod
    def _to_stored(row: SessionRow) -> StoredSession:
        return StoredSession(
            id=row.id,
            user_id=row.user_id,
            csrf_token=row.csrf_token,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
        )


def _to_token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        prefix=row.prefix,
        scope=TokenScope(row.scope),
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


class TokenRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        workspace_id: int,
        name: str,
        prefix: str,
        token_hash: str,
        scope: TokenScope,
        created_by: int | None,
        now: datetime,
        expires_at: datetime | None,
    ) -> ApiToken:
        row = ApiTokenRow(
            workspace_id=workspace_id,
            name=name,
            prefix=prefix,
            token_hash=token_hash,
            scope=scope.value,
            created_by=created_by,
            created_at=now,
            expires_at=expires_at,
        )
        self._session.add(row)
        self._session.flush()
        return _to_token(row)

    def by_hash(self, token_hash: str) -> ApiToken | None:
        row = self._session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
        return None if row is None else _to_token(row)

    def by_id(self, token_id: int) -> ApiToken | None:
        row = self._session.get(ApiTokenRow, token_id)
        return None if row is None else _to_token(row)

    def get(self, workspace_id: int, token_id: int) -> ApiToken | None:
        row = self._session.scalar(
            select(ApiTokenRow).where(
                ApiTokenRow.workspace_id == workspace_id, ApiTokenRow.id == token_id
            )
        )
        return None if row is None else _to_token(row)

    def in_workspace(self, workspace_id: int) -> list[ApiToken]:
        rows = self._session.scalars(
            select(ApiTokenRow)
            .where(ApiTokenRow.workspace_id == workspace_id)
            .order_by(ApiTokenRow.id)
        )
        return [_to_token(r) for r in rows]

    def revoke(self, workspace_id: int, token_id: int, *, now: datetime) -> None:
        row = self._session.scalar(
            select(ApiTokenRow).where(
                ApiTokenRow.workspace_id == workspace_id, ApiTokenRow.id == token_id
            )
        )
        if row is not None and row.revoked_at is None:
            row.revoked_at = now
            self._session.flush()

    def touch(self, token_id: int, *, now: datetime) -> None:
        row = self._session.get(ApiTokenRow, token_id)
        if row is not None:
            row.last_used_at = now
            self._session.flush()


class LoginAttemptRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record(self, *, address: str, account: str, succeeded: bool, now: datetime) -> None:
        self._session.add(
            LoginAttemptRow(at=now, address=address, account=account, succeeded=succeeded)
        )
        self._session.flush()

    def recent_failures(self, *, address: str, account: str, since: datetime) -> int:
        """Failures since `since` from this address or for this account, whichever is more."""
        by_address = self._count(LoginAttemptRow.address == address, since)
        by_account = self._count(LoginAttemptRow.account == account, since)
        return max(by_address, by_account)

    def _count(self, condition: ColumnElement[bool], since: datetime) -> int:
        query = (
            select(func.count())
            .select_from(LoginAttemptRow)
            .where(condition, LoginAttemptRow.at >= since, LoginAttemptRow.succeeded.is_(False))
        )
        return int(self._session.scalar(query) or 0)
