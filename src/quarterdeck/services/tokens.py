"""API tokens: random, shown once, stored hashed, bound to one workspace and a scope."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from quarterdeck.domain.access import Actor, ActorKind, ApiToken, Permission, TokenScope
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.services.accounts import hash_secret
from quarterdeck.storage import UnitOfWork

__all__ = [
    "IssuedToken",
    "authenticate",
    "create",
    "list_tokens",
    "parse_scope",
    "record_use",
    "revoke",
]

TOKEN_PREFIX = "qd_"  # noqa: S105 - a public marker, not a secret


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once; only its hash is stored


def parse_scope(value: str) -> TokenScope:
    try:
        return TokenScope(value.strip().lower())
    except ValueError:
        raise InvalidInput(f"scope must be read or write; got {value!r}") from None


def create(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    name: str,
    scope: TokenScope,
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Issue a token. Owners only. The secret is returned once and never stored."""
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput("token name must be 1-120 characters")
    now = uow.now()
    if expires_at is not None and expires_at.tzinfo is None:
        raise InvalidInput("token expiry must include a time zone")
    if expires_at is not None and expires_at <= now:
        raise InvalidInput("token expiry must be in the future")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = uow.tokens.add(
        workspace_id=ws.id,
        name=name,
        prefix=secret[:10],
        token_hash=hash_secret(secret),
        scope=scope,
        created_by=actor.user_id,
        now=now,
        expires_at=expires_at,
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="token.created",
        entity_type="api_token",
        entity_id=token.id,
        after={
            "name": name,
            "scope": scope.value,
            "prefix": token.prefix,
            "expires_at": None if expires_at is None else expires_at.isoformat(),
        },
    )
    return IssuedToken(token=token, secret=secret)


def list_tokens(uow: UnitOfWork, *, actor: Actor, workspace: str) -> list[ApiToken]:
    """Tokens of the workspace, without secrets. Owners only."""
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    return uow.tokens.in_workspace(ws.id)


def revoke(uow: UnitOfWork, *, actor: Actor, workspace: str, token_id: int) -> ApiToken:
    """Revoke a token at once. Owners only; NotFound for another workspace's token."""
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    token = uow.tokens.get(ws.id, token_id)
    if token is None:
        raise NotFound(f"token {token_id} not found")
    uow.tokens.revoke(ws.id, token_id, now=uow.now())
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="token.revoked",
        entity_type="api_token",
        entity_id=token.id,
        before={"revoked": token.revoked_at is not None},
        after={"revoked": True},
    )
    revoked = uow.tokens.get(ws.id, token_id)
    assert revoked is not None
    return revoked


def authenticate(uow: UnitOfWork, *, secret: str) -> Actor | None:
    """The actor behind a bearer token, or None when unknown, revoked or expired."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = uow.tokens.by_hash(hash_secret(secret))
    if token is None or not token.usable_at(uow.now()):
        return None
    label = f"token {token.name} ({token.prefix})"
    if token.created_by is not None:
        # A token made by a person never outlives that person's account or membership.
        user = uow.users.by_id(token.created_by)
        if user is None or not user.active:
            return None
        label = f"{user.email} via {label}"
    return Actor(
        kind=ActorKind.TOKEN,
        label=label,
        user_id=token.created_by,
        token_id=token.id,
        token_workspace_id=token.workspace_id,
        token_scope=token.scope,
    )


USE_RESOLUTION = timedelta(minutes=1)


def record_use(uow: UnitOfWork, *, token_id: int) -> None:
    """Note that the token was just used, to the minute (so busy scripts do not write on
    every request). Not audited: it changes no content."""
    now = uow.now()
    token = uow.tokens.by_id(token_id)
    if token is not None and (
        token.last_used_at is None or now - token.last_used_at >= USE_RESOLUTION
    ):
        uow.tokens.touch(token_id, now=now)
