"""Members, API tokens and the audit log of a workspace."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, status

from quarterdeck.services import audit, members, tokens
from quarterdeck.web.api.schemas import (
    AuditEntryOut,
    IssuedTokenOut,
    MemberIn,
    MemberOut,
    TokenIn,
    TokenOut,
)
from quarterdeck.web.policies import MAX_ROW_ID, AdminDep, ReaderDep, RowId

router = APIRouter(prefix="/workspaces/{workspace}")


@router.get("/members", tags=["members"], name="api_list_members")
def list_members(ctx: ReaderDep) -> list[MemberOut]:
    """Members of the workspace and their roles."""
    found = members.list_members(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return [MemberOut.model_validate(m) for m in found]


@router.put("/members/{email}", tags=["members"], name="api_put_member")
def put_member(email: str, body: MemberIn, ctx: AdminDep) -> MemberOut:
    """Add an existing account as a member, or change its role. Owners only."""
    membership = members.add(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, email=email, role=body.role
    )
    return MemberOut.model_validate(membership)


@router.delete(
    "/members/{email}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["members"],
    name="api_remove_member",
)
def remove_member(email: str, ctx: AdminDep) -> Response:
    """Remove a member. The last owner cannot be removed."""
    members.remove(ctx.uow, actor=ctx.actor, workspace=ctx.slug, email=email)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/tokens", tags=["tokens"], name="api_list_tokens")
def list_tokens(ctx: AdminDep) -> list[TokenOut]:
    """API tokens of the workspace, without their secrets. Owners only."""
    found = tokens.list_tokens(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return [TokenOut.model_validate(t) for t in found]


@router.post(
    "/tokens", status_code=status.HTTP_201_CREATED, tags=["tokens"], name="api_create_token"
)
def create_token(body: TokenIn, ctx: AdminDep) -> IssuedTokenOut:
    """Issue a token bound to this workspace. The secret is in this answer only."""
    issued = tokens.create(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        name=body.name,
        scope=body.scope,
        expires_at=body.expires_at,
    )
    shown = TokenOut.model_validate(issued.token).model_dump()
    return IssuedTokenOut(**shown, secret=issued.secret)


@router.delete("/tokens/{token_id}", tags=["tokens"], name="api_revoke_token")
def revoke_token(token_id: RowId, ctx: AdminDep) -> TokenOut:
    """Revoke a token; it stops working at once."""
    return TokenOut.model_validate(
        tokens.revoke(ctx.uow, actor=ctx.actor, workspace=ctx.slug, token_id=token_id)
    )


@router.get("/audit", tags=["audit"], name="api_list_audit")
def list_audit(
    ctx: AdminDep,
    limit: int = Query(default=100, ge=1, le=1000),
    before: int | None = Query(
        default=None, ge=1, le=MAX_ROW_ID, description="Only entries with a smaller id."
    ),
) -> list[AuditEntryOut]:
    """The append-only audit log, newest first. Owners only."""
    entries = audit.history(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, limit=limit, before_id=before
    )
    return [AuditEntryOut.model_validate(e) for e in entries]
