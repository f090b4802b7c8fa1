"""Owner pages: members, API tokens and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.domain.access import Role, TokenScope
from quarterdeck.domain.errors import InvalidInput, QuarterdeckError
from quarterdeck.services import audit, members, tokens
from quarterdeck.web.policies import MAX_ROW_ID, AdminDep, ReaderDep, RowId, WorkspaceContext
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

router = APIRouter(prefix="/w/{workspace}")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
AUDIT_PAGE = 100


def _members_page(ctx: WorkspaceContext, **extra: object) -> dict[str, object]:
    team = members.list_members(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return workspace_page(ctx, team=team, roles=list(Role), **extra)


@router.get("/members", response_class=HTMLResponse, name="members")
def members_page(request: Request, ctx: ReaderDep) -> Response:
    return render(request, "members.html", _members_page(ctx))


@router.post("/members", name="put_member")
def put_member(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    """Add an account as member or change its role."""
    try:
        members.add(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            email=fields.get("email", ""),
            role=members.parse_role(fields.get("role", "")),
        )
    except QuarterdeckError as exc:
        raise PageError(
            "members.html",
            _members_page(ctx, error=exc.message, form=fields),
            status_code=status_for(exc),
        ) from exc
    return RedirectResponse(request.url_for("members", workspace=ctx.slug), status_code=303)


@router.post("/members/remove", name="remove_member")
def remove_member(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    try:
        members.remove(ctx.uow, actor=ctx.actor, workspace=ctx.slug, email=fields.get("email", ""))
    except QuarterdeckError as exc:
        raise PageError(
            "members.html",
            _members_page(ctx, error=exc.message),
            status_code=status_for(exc),
        ) from exc
    return RedirectResponse(request.url_for("members", workspace=ctx.slug), status_code=303)


def _tokens_page(ctx: WorkspaceContext, **extra: object) -> dict[str, object]:
    issued = tokens.list_tokens(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return workspace_page(ctx, tokens=issued, scopes=list(TokenScope), **extra)


@router.get("/tokens", response_class=HTMLResponse, name="tokens")
def tokens_page(request: Request, ctx: AdminDep) -> Response:
    return render(request, "tokens.html", _tokens_page(ctx))


def _expiry(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"expiry {value!r} must be a date like 2027-01-31") from None
    return datetime.combine(day, time.max, tzinfo=UTC)


@router.post("/tokens", response_class=HTMLResponse, name="create_token")
def create_token(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    """Issue a token and show its secret on this one page, never again."""
    try:
        issued = tokens.create(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            name=fields.get("name", ""),
            scope=tokens.parse_scope(fields.get("scope", "read")),
            expires_at=_expiry(fields.get("expires", "")),
        )
    except QuarterdeckError as exc:
        raise PageError(
            "tokens.html",
            _tokens_page(ctx, error=exc.message, form=fields),
            status_code=status_for(exc),
        ) from exc
    return render(request, "tokens.html", _tokens_page(ctx, issued=issued), status_code=201)


@router.post("/tokens/{token_id}/revoke", name="revoke_token")
def revoke_token(request: Request, token_id: RowId, ctx: AdminDep) -> Response:
    tokens.revoke(ctx.uow, actor=ctx.actor, workspace=ctx.slug, token_id=token_id)
    return RedirectResponse(request.url_for("tokens", workspace=ctx.slug), status_code=303)


@router.get("/audit", response_class=HTMLResponse, name="audit")
def audit_page(
    request: Request,
    ctx: AdminDep,
    before: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
) -> Response:
    entries = audit.history(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, limit=AUDIT_PAGE, before_id=before
    )
    older = entries[-1].id if len(entries) == AUDIT_PAGE else None
    return render(request, "audit.html", workspace_page(ctx, entries=entries, older=older))
