"""Workspaces: list, create, read, update."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from quarterdeck.domain.access import Role
from quarterdeck.domain.workspaces import parse_profile
from quarterdeck.services import portability, workspaces
from quarterdeck.web.api.schemas import WorkspaceIn, WorkspaceOut, WorkspacePatch
from quarterdeck.web.policies import AdminDep, ReaderDep, SignedInDep

router = APIRouter(prefix="/workspaces", tags=["workspaces"])


@router.get("", name="api_list_workspaces")
def list_workspaces(signed: SignedInDep) -> list[WorkspaceOut]:
    """Workspaces you are a member of (a token sees only its own)."""
    return [
        WorkspaceOut.of(ws, role)
        for ws, role in workspaces.list_visible(signed.uow, actor=signed.actor)
    ]


@router.post("", status_code=status.HTTP_201_CREATED, name="api_create_workspace")
def create_workspace(body: WorkspaceIn, signed: SignedInDep) -> WorkspaceOut:
    """Create a workspace; you become its owner."""
    workspace = workspaces.create(
        signed.uow,
        actor=signed.actor,
        slug=body.slug,
        name=body.name,
        time_zone=body.time_zone,
        profile=parse_profile(body.profile.changes()),
    )
    return WorkspaceOut.of(workspace, Role.OWNER)


@router.get("/{workspace}", name="api_show_workspace")
def show_workspace(ctx: ReaderDep) -> WorkspaceOut:
    """One workspace with its organisation profile and your role."""
    return WorkspaceOut.of(ctx.access.workspace, ctx.access.role)


@router.patch("/{workspace}", name="api_update_workspace")
def update_workspace(body: WorkspacePatch, ctx: AdminDep) -> WorkspaceOut:
    """Change name, time zone or profile. Send the version you read; a stale one answers 409."""
    updated = workspaces.update(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        expected_version=body.version,
        name=body.name,
        time_zone=body.time_zone,
        profile=None if body.profile is None else body.profile.changes(),
    )
    return WorkspaceOut.of(updated, ctx.access.role)


@router.get("/{workspace}/export", name="api_export_workspace", response_class=Response)
def export_workspace(ctx: AdminDep) -> Response:
    """The workspace as a canonical JSON document (`quarterdeck import` reads it). Owners only."""
    document = portability.export_workspace(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    return Response(
        portability.dumps(document),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{ctx.slug}.json"'},
    )
