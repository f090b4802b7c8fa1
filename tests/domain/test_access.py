from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from quarterdeck.domain.access import (
    Actor,
    ActorKind,
    ApiToken,
    Permission,
    Role,
    TokenScope,
    allows,
)

USER = Actor(kind=ActorKind.USER, label="u@example.com", user_id=1)


def token_actor(scope: TokenScope) -> Actor:
    return Actor(kind=ActorKind.TOKEN, label="t", user_id=1, token_id=1, token_scope=scope)


@pytest.mark.parametrize("permission", list(Permission))
def test_no_role_allows_nothing(permission: Permission) -> None:
    assert not allows(USER, None, permission)


def test_token_scope_narrows_the_role() -> None:
    assert allows(token_actor(TokenScope.WRITE), Role.OWNER, Permission.WRITE)
    assert not allows(token_actor(TokenScope.READ), Role.OWNER, Permission.WRITE)
    assert not allows(token_actor(TokenScope.WRITE), Role.OWNER, Permission.ADMINISTER)
    assert not allows(token_actor(TokenScope.WRITE), Role.VIEWER, Permission.WRITE)


def test_operator_holds_every_right() -> None:
    assert all(allows(Actor.operator(), None, p) for p in Permission)


def test_token_is_usable_until_expiry_or_revocation() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    token = ApiToken(
        id=1,
        workspace_id=1,
        name="ci",
        prefix="qd_x",
        scope=TokenScope.READ,
        created_by=None,
        created_at=now,
        expires_at=now + timedelta(days=1),
        revoked_at=None,
        last_used_at=None,
    )
    assert token.usable_at(now)
    assert not token.usable_at(now + timedelta(days=1))
    revoked = replace(token, revoked_at=now)
    assert not revoked.usable_at(now)
