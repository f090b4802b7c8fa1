"""Workspace list, dashboard and settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.domain.errors import Conflict, QuarterdeckError
from quarterdeck.domain.workspaces import LeadershipModel, Stage, parse_profile
from quarterdeck.services import members, workspaces
from quarterdeck.web.policies import AdminDep, ReaderDep, SignedInDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.decisions import decision_summary
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.rendering import PageError, render, workspace_page
from quarterdeck.web.ui.scorecard import scorecard_summary

router = APIRouter()
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
PROFILE_FIELDS = (
    "stage",
    "headcount",
    "engineering_headcount",
    "industry",
    "regulated",
    "product_lines",
    "leadership_model",
)


def _choices() -> dict[str, object]:
    return {"stages": list(Stage), "models": list(LeadershipModel)}


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, signed: SignedInDep) -> Response:
    visible = workspaces.list_visible(signed.uow, actor=signed.actor)
    return render(
        request,
        "workspaces.html",
        {"actor": signed.actor, "csrf_token": signed.csrf_token, "visible": visible, **_choices()},
    )


@router.post("/workspaces", name="create_workspace")
def create_workspace(request: Request, signed: SignedInDep, fields: FieldsDep) -> Response:
    """Create a workspace from the form on the home page; the creator becomes owner."""
    try:
        profile = parse_profile({k: fields[k] for k in PROFILE_FIELDS if k in fields})
        workspace = workspaces.create(
            signed.uow,
            actor=signed.actor,
            slug=fields.get("slug", "").strip(),
            name=fields.get("name", ""),
            time_zone=fields.get("time_zone", "UTC").strip() or "UTC",
            profile=profile,
        )
    except QuarterdeckError as exc:
        visible = workspaces.list_visible(signed.uow, actor=signed.actor)
        raise PageError(
            "workspaces.html",
            {
                "actor": signed.actor,
                "csrf_token": signed.csrf_token,
                "visible": visible,
                "error": exc.message,
                "form": fields,
                **_choices(),
            },
            status_code=status_for(exc),
        ) from exc
    return RedirectResponse(request.url_for("dashboard", workspace=workspace.slug), status_code=303)


@router.get("/w/{workspace}", response_class=HTMLResponse, name="dashboard")
def dashboard(request: Request, ctx: ReaderDep) -> Response:
    team = members.list_members(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    page = workspace_page(
        ctx, team=team, decision_log=decision_summary(ctx), scorecard=scorecard_summary(ctx)
    )
    return render(request, "dashboard.html", page)


@router.get("/w/{workspace}/settings", response_class=HTMLResponse, name="settings")
def settings_form(request: Request, ctx: AdminDep) -> Response:
    return render(request, "settings.html", workspace_page(ctx, **_choices()))


@router.post("/w/{workspace}/settings", name="save_settings")
def save_settings(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    """Save name, time zone and profile; a stale form (version) is refused, nothing merged."""
    try:
        version = int(fields.get("version", ""))
    except ValueError:
        version = -1
    try:
        workspaces.update(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            expected_version=version,
            name=fields.get("name"),
            time_zone=fields.get("time_zone"),
            profile={k: fields.get(k, "no" if k == "regulated" else "") for k in PROFILE_FIELDS},
        )
    except Conflict as exc:
        # Show what is stored now, so the person sees the other change before saving again.
        raise PageError(
            "settings.html",
            workspace_page(
                ctx,
                error=f"{exc.message}. Your changes were not saved; the form now "
                "shows the current settings.",
                **_choices(),
            ),
            status_code=status_for(exc),
        ) from exc
    except QuarterdeckError as exc:
        raise PageError(
            "settings.html",
            workspace_page(ctx, error=exc.message, form=fields, **_choices()),
            status_code=status_for(exc),
        ) from exc
    return RedirectResponse(request.url_for("dashboard", workspace=ctx.slug), status_code=303)
