"""workspace create|list|show, and audit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.workspaces import Workspace

workspace_app = typer.Typer(
    help="Workspaces: one per organisation or client.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(workspace_app, name="workspace")
    app.command("audit")(audit)


def _as_dict(workspace: Workspace) -> dict[str, Any]:
    from quarterdeck.services.workspaces import describe

    return {**describe(workspace), "version": workspace.version, "created_at": workspace.created_at}


@workspace_app.command("create")
def create(
    ctx: typer.Context,
    slug: Annotated[
        str, typer.Argument(help="Short name used in addresses, e.g. acme.", metavar="SLUG")
    ],
    name: Annotated[str, typer.Option(help="Display name.")],
    time_zone: Annotated[str, typer.Option(help="IANA time zone, e.g. Europe/Berlin.")] = "UTC",
    stage: Annotated[str, typer.Option(help="startup, scale-up or enterprise.")] = "startup",
    leadership_model: Annotated[
        str, typer.Option(help="cto-cpo, cpto, fractional-cto, interim-cto or it-manager-cio.")
    ] = "cto-cpo",
    headcount: Annotated[int, typer.Option(help="People in the organisation.")] = 0,
    engineering_headcount: Annotated[int, typer.Option(help="People in engineering.")] = 0,
    industry: Annotated[str, typer.Option(help="Industry, in words.")] = "",
    regulated: Annotated[bool, typer.Option(help="Heavily regulated industry.")] = False,
    product_lines: Annotated[int, typer.Option(help="Number of product lines.")] = 1,
    owner: Annotated[
        str | None, typer.Option(help="Email of an existing account to make owner.")
    ] = None,
) -> None:
    """Create a workspace with its organisation profile."""
    from quarterdeck.domain.access import Role
    from quarterdeck.domain.workspaces import parse_profile
    from quarterdeck.services import members, workspaces

    state = cli_state(ctx)
    profile_values: dict[str, object] = {
        "stage": stage,
        "leadership_model": leadership_model,
        "headcount": headcount,
        "engineering_headcount": engineering_headcount,
        "industry": industry,
        "regulated": regulated,
        "product_lines": product_lines,
    }

    def work(uow: Any) -> Workspace:
        ws = workspaces.create(
            uow,
            actor=state.operator,
            slug=slug,
            name=name,
            time_zone=time_zone,
            profile=parse_profile(profile_values),
        )
        if owner:
            members.add(uow, actor=state.operator, workspace=ws.slug, email=owner, role=Role.OWNER)
        return ws

    created = state.run(work, write=True)
    say(f"Created workspace {created.slug} ({created.name}).")


@workspace_app.command("list")
def list_workspaces(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every workspace in this installation."""
    from quarterdeck.services import workspaces

    state = cli_state(ctx)
    found = state.run(lambda uow: workspaces.list_visible(uow, actor=state.operator), write=False)
    if as_json:
        emit_json([_as_dict(ws) for ws, _ in found])
        return
    rows = [
        (
            ws.slug,
            ws.name,
            ws.profile.stage.value,
            ws.profile.leadership_model.label,
            "yes" if ws.demo else "",
        )
        for ws, _ in found
    ]
    table("Workspaces", ["Slug", "Name", "Stage", "Leadership model", "Demo"], rows)


@workspace_app.command("show")
def show(ctx: typer.Context, slug: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """One workspace and its organisation profile."""
    from quarterdeck.services import workspaces

    state = cli_state(ctx)
    access = state.run(
        lambda uow: workspaces.show(uow, actor=state.operator, workspace=slug), write=False
    )
    described = _as_dict(access.workspace)
    if as_json:
        emit_json(described)
        return
    profile = described.pop("profile")
    rows = [(k, v) for k, v in described.items()] + [
        (f"profile.{k}", v) for k, v in profile.items()
    ]
    table(f"Workspace {slug}", ["Field", "Value"], rows)


def audit(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    limit: Annotated[int, typer.Option(help="How many entries, newest first.")] = 50,
    as_json: JsonFlag = False,
) -> None:
    """Read a workspace's append-only audit log."""
    from quarterdeck.services import audit as audit_service

    state = cli_state(ctx)
    entries = state.run(
        lambda uow: audit_service.history(
            uow, actor=state.operator, workspace=workspace, limit=limit
        ),
        write=False,
    )
    if as_json:
        emit_json(
            [
                {
                    "id": e.id,
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "action": e.action,
                    "entity_type": e.entity_type,
                    "entity_id": e.entity_id,
                    "before": e.before,
                    "after": e.after,
                    "request_id": e.request_id,
                }
                for e in entries
            ]
        )
        return
    rows = [
        (e.at.strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action, f"{e.entity_type} {e.entity_id}")
        for e in entries
    ]
    table(f"Audit log of {workspace} (UTC)", ["When", "Who", "What", "Entity"], rows)
