"""Authentication and the route policies. Deny by default: `create_app` refuses to start
when a route depends on none of the policies below, and a test walks every route."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.errors import AuthenticationFailed, Forbidden
from quarterdeck.services import accounts, tokens
from quarterdeck.services.access import WorkspaceAccess, authorize
from quarterdeck.settings import Settings
from quarterdeck.storage import Database, UnitOfWork

__all__ = [
    "MAX_ROW_ID",
    "POLICIES",
    "SESSION_COOKIE",
    "AdminDep",
    "Auth",
    "CsrfRejected",
    "PublicDep",
    "ReaderDep",
    "RowId",
    "SignInRequired",
    "Signed",
    "SignedInDep",
    "UowDep",
    "WorkspaceContext",
    "WriterDep",
    "get_settings",
]

SESSION_COOKIE = "qd_session"
MAX_ROW_ID = 2**31 - 1  # INTEGER primary keys on PostgreSQL
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Row id.")]
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequired(AuthenticationFailed):
    """No valid session or token: the API answers 401, the UI sends the person to sign in."""


class CsrfRejected(Forbidden):
    """A cookie-authenticated write without the session's CSRF token."""


@dataclass(frozen=True, slots=True)
class Auth:
    actor: Actor
    csrf_token: str | None  # None when a bearer token authenticated the request


def get_settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


def _database(request: Request) -> Database:
    database = request.app.state.database
    assert isinstance(database, Database)
    return database


def unit_of_work(request: Request) -> Iterator[UnitOfWork]:
    """One transaction per request: reads roll back, writes commit when the route succeeds."""
    write = request.method not in SAFE_METHODS
    with _database(request).unit_of_work(write=write, request_id=request.state.request_id) as uow:
        yield uow


# "function" scope: the transaction ends (commit or rollback) before the response is sent, so
# a client never sees success for a change that then fails to commit, and a redirect that
# follows a write always finds it.
UowDep = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]


def authenticate(request: Request, uow: UowDep) -> Auth | None:
    """Bearer token (API only, header only) or session cookie; None when neither is given."""
    header = request.headers.get("Authorization")
    if header is not None and request.url.path.startswith("/api/"):
        scheme, _, secret = header.partition(" ")
        actor = (
            tokens.authenticate(uow, secret=secret.strip()) if scheme.lower() == "bearer" else None
        )
        if actor is None:
            raise SignInRequired("the API token is invalid, revoked or expired")
        _record_token_use(request, uow, actor)
        return Auth(actor=actor, csrf_token=None)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    resolved = accounts.resolve_session(uow, token=cookie)
    if resolved is None:
        return None
    actor, csrf_token = resolved
    return Auth(actor=actor, csrf_token=csrf_token)


def _record_token_use(request: Request, uow: UnitOfWork, actor: Actor) -> None:
    assert actor.token_id is not None
    if uow.write:
        tokens.record_use(uow, token_id=actor.token_id)
        return
    # A read rolls its transaction back, so the note of use needs a short write of its own.
    with _database(request).unit_of_work(write=True) as side:
        tokens.record_use(side, token_id=actor.token_id)


AuthDep = Annotated[Auth | None, Depends(authenticate)]


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token sent with a write: the X-CSRF-Token header or the csrf_token form field."""
    if request.method in SAFE_METHODS:
        return None
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


CsrfDep = Annotated[str | None, Depends(submitted_csrf)]


@dataclass(frozen=True, slots=True)
class Signed:
    """A signed-in request: who acts, in which transaction, and the CSRF token for forms."""

    uow: UnitOfWork
    actor: Actor
    csrf_token: str


@dataclass(frozen=True, slots=True)
class WorkspaceContext:
    uow: UnitOfWork
    actor: Actor
    csrf_token: str
    access: WorkspaceAccess

    @property
    def slug(self) -> str:
        return self.access.workspace.slug


def public() -> None:
    """Policy: anyone may call this route (sign-in page, health check, static assets, docs)."""


def signed_in(request: Request, uow: UowDep, auth: AuthDep, csrf: CsrfDep) -> Signed:
    """Policy: any valid session or token; cookie-authenticated writes must carry the CSRF token."""
    if auth is None:
        raise SignInRequired("sign in to continue")
    needs_csrf = auth.csrf_token is not None and request.method not in SAFE_METHODS
    if needs_csrf and (csrf is None or not secrets.compare_digest(csrf, auth.csrf_token or "")):
        raise CsrfRejected(
            "the form has expired or did not come from Quarterdeck; reload and retry"
        )
    return Signed(uow=uow, actor=auth.actor, csrf_token=auth.csrf_token or "")


SignedInDep = Annotated[Signed, Depends(signed_in)]


def _workspace_policy(permission: Permission) -> object:
    def policy(workspace: str, signed: SignedInDep) -> WorkspaceContext:
        access = authorize(signed.uow, signed.actor, workspace, permission)
        return WorkspaceContext(
            uow=signed.uow, actor=signed.actor, csrf_token=signed.csrf_token, access=access
        )

    policy.__name__ = f"workspace_{permission.value}"
    policy.__doc__ = f"Policy: member of the workspace with {permission.value} permission."
    return policy


workspace_reader = _workspace_policy(Permission.READ)
workspace_writer = _workspace_policy(Permission.WRITE)
workspace_admin = _workspace_policy(Permission.ADMINISTER)

PublicDep = Annotated[None, Depends(public)]
ReaderDep = Annotated[WorkspaceContext, Depends(workspace_reader)]
WriterDep = Annotated[WorkspaceContext, Depends(workspace_writer)]
AdminDep = Annotated[WorkspaceContext, Depends(workspace_admin)]

POLICIES: frozenset[object] = frozenset(
    {public, signed_in, workspace_reader, workspace_writer, workspace_admin}
)
