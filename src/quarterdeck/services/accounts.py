"""Users, passwords and browser sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from quarterdeck.domain.access import Actor, ActorKind, User
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from quarterdeck.services import audit
from quarterdeck.storage import UnitOfWork

__all__ = [
    "LoginResult",
    "PasswordChange",
    "SignedIn",
    "add_user",
    "change_own_password",
    "generate_password",
    "hash_secret",
    "list_users",
    "log_in",
    "log_out",
    "normalise_email",
    "resolve_session",
    "set_password",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# argon2id with the library's recommended parameters (RFC 9106 low-memory profile). Tests swap
# PASSWORD_HASHER for cheaper argon2id parameters; production code never reassigns it.
DEFAULT_PASSWORD_HASHER = PasswordHasher()
PASSWORD_HASHER = DEFAULT_PASSWORD_HASHER
MIN_PASSWORD_LENGTH = 12


@cache
def _dummy_hash() -> str:
    """Verified against when the account does not exist, so timing does not reveal accounts."""
    return PASSWORD_HASHER.hash("quarterdeck-timing-equaliser")


def hash_secret(secret: str) -> str:
    """Session and API tokens are high-entropy random strings; SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not _EMAIL.fullmatch(cleaned) or len(cleaned) > 254:
        raise InvalidInput(f"{email!r} is not a valid email address")
    return cleaned


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1024:
        raise InvalidInput("password must be at most 1024 characters")


def add_user(
    uow: UnitOfWork, *, actor: Actor, email: str, display_name: str, password: str | None
) -> User:
    """Create an account. Raises InvalidInput (bad email, short password) or Conflict (taken)."""
    if actor.kind is not ActorKind.OPERATOR:
        raise Forbidden("only the operator can add accounts")
    email = normalise_email(email)
    display_name = display_name.strip() or email.split("@")[0]
    if uow.users.by_email(email) is not None:
        raise Conflict(f"an account for {email} already exists")
    if password is not None:
        _check_password(password)
    user = uow.users.add(
        email=email,
        display_name=display_name[:120],
        password_hash=None if password is None else PASSWORD_HASHER.hash(password),
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=None,
        action="user.added",
        entity_type="user",
        entity_id=user.id,
        after={"email": user.email, "display_name": user.display_name},
    )
    return user


def set_password(uow: UnitOfWork, *, actor: Actor, email: str, password: str) -> int:
    """Set a new password and end every open session of that account; returns sessions ended."""
    if actor.kind is not ActorKind.OPERATOR:
        raise Forbidden("only the operator can set passwords")
    user = uow.users.by_email(normalise_email(email))
    if user is None:
        raise NotFound(f"no account for {email}")
    _check_password(password)
    uow.users.set_password_hash(user.id, PASSWORD_HASHER.hash(password))
    ended = uow.sessions.revoke_all_for(user.id, now=uow.now())
    audit.record(
        uow,
        actor=actor,
        workspace_id=None,
        action="user.password_set",
        entity_type="user",
        entity_id=user.id,
        after={"sessions_ended": ended},
    )
    return ended


def change_own_password(
    uow: UnitOfWork,
    *,
    actor: Actor,
    current: str,
    new: str,
    session_token: str,
    address: str,
    attempts_per_minute: int,
) -> PasswordChange:
    """A signed-in person replaces their password after proving the current one. Every other
    session of the account ends; this one stays.

    A wrong current password counts as a failed sign-in (and so towards the rate limit). It is
    not an exception: the attempt must be kept, so the caller commits and shows `failure`.
    Raises RateLimited past the limit, InvalidInput for a short new password, Forbidden for
    anyone but a signed-in person.
    """
    if actor.kind is not ActorKind.USER or actor.user_id is None:
        raise Forbidden("only a signed-in person can change their own password")
    user = uow.users.by_id(actor.user_id)
    assert user is not None
    now = uow.now()
    _refuse_when_rate_limited(uow, address=address, account=user.email, limit=attempts_per_minute)
    if not _verify(uow.users.password_hash(user.id), current):
        uow.login_attempts.record(address=address, account=user.email, succeeded=False, now=now)
        return PasswordChange(sessions_ended=0, failure="the current password is wrong")
    _check_password(new)
    uow.users.set_password_hash(user.id, PASSWORD_HASHER.hash(new))
    ended = uow.sessions.revoke_all_for(user.id, now=now, keep=hash_secret(session_token))
    audit.record(
        uow,
        actor=actor,
        workspace_id=None,
        action="user.password_changed",
        entity_type="user",
        entity_id=user.id,
        after={"other_sessions_ended": ended},
    )
    return PasswordChange(sessions_ended=ended)


@dataclass(frozen=True, slots=True)
class PasswordChange:
    sessions_ended: int
    failure: str = ""


def _refuse_when_rate_limited(uow: UnitOfWork, *, address: str, account: str, limit: int) -> None:
    failures = uow.login_attempts.recent_failures(
        address=address, account=account, since=uow.now() - timedelta(minutes=1)
    )
    if failures >= limit:
        raise RateLimited("too many failed sign-in attempts; wait a minute and try again")


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A session as the browser holds it: the secret cookie value and its CSRF token."""

    user: User
    token: str
    csrf_token: str


@dataclass(frozen=True, slots=True)
class LoginResult:
    signed_in: SignedIn | None
    failure: str = ""


def log_in(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    address: str,
    session_hours: int,
    attempts_per_minute: int,
) -> LoginResult:
    """Check a password and open a session.

    Raises RateLimited once `attempts_per_minute` failures in the last minute came from
    this address or targeted this account. A wrong password is not an exception: the
    failed attempt must be kept, so the caller commits and shows `failure`.
    """
    now = uow.now()
    account = email.strip().lower()[:254]
    _refuse_when_rate_limited(uow, address=address, account=account, limit=attempts_per_minute)
    user = uow.users.by_email(account)
    stored = None if user is None else uow.users.password_hash(user.id)
    if not _verify(stored, password) or user is None or not user.active:
        uow.login_attempts.record(address=address, account=account, succeeded=False, now=now)
        return LoginResult(signed_in=None, failure="email or password is wrong")
    uow.login_attempts.record(address=address, account=account, succeeded=True, now=now)
    token = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    uow.sessions.add(
        token_hash=hash_secret(token),
        user_id=user.id,
        csrf_token=csrf_token,
        address=address[:64],
        now=now,
        expires_at=now + timedelta(hours=session_hours),
    )
    return LoginResult(signed_in=SignedIn(user=user, token=token, csrf_token=csrf_token))


def _verify(stored: str | None, password: str) -> bool:
    try:
        return PASSWORD_HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def resolve_session(uow: UnitOfWork, *, token: str) -> tuple[Actor, str] | None:
    """The actor and CSRF token for a live session cookie, or None if unknown, ended or expired."""
    stored = uow.sessions.by_hash(hash_secret(token))
    if stored is None or stored.revoked_at is not None or stored.expires_at <= uow.now():
        return None
    user = uow.users.by_id(stored.user_id)
    if user is None or not user.active:
        return None
    actor = Actor(kind=ActorKind.USER, label=user.email, user_id=user.id)
    return actor, stored.csrf_token


def log_out(uow: UnitOfWork, *, token: str) -> None:
    """End the session server-side; the cookie is worthless afterwards."""
    stored = uow.sessions.by_hash(hash_secret(token))
    if stored is not None:
        uow.sessions.revoke(stored.id, now=uow.now())


def list_users(uow: UnitOfWork, *, actor: Actor) -> list[User]:
    """Every account of the installation; the operator only (it spans workspaces)."""
    if actor.kind is not ActorKind.OPERATOR:
        raise Forbidden("only the operator can list accounts")
    return uow.users.all()
