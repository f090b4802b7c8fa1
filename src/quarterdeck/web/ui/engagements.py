"""The engagement pages: how fractional, part-time and interim leaders are engaged with the
workspace, each with its red-flag check and verdict, and the form owners use to record or
change one; and, outside any workspace, the overview a leader with several clients reads
(hours committed per week, each client's model, next milestone and verdict), holding only
the clients they are a member of.

A refused form shows the page again with the problem, what was typed, and nothing saved;
a stale one (the engagement changed since the form was loaded) answers 409 and shows the
engagement as stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.domain.engagements import RED_FLAGS
from quarterdeck.domain.errors import Conflict, QuarterdeckError
from quarterdeck.services import engagements, rights
from quarterdeck.services.engagements import EngagementView
from quarterdeck.web.policies import AdminDep, ReaderDep, SignedInDep, WorkspaceContext
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.engagement_forms import (
    BASIS_LABELS,
    MODEL_LABELS,
    blank_values,
    engagement_arguments,
    figure,
    form_values,
)
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["router"]

router = APIRouter()
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
Leader = Annotated[str, Query(max_length=320)]
NOTICES = {"saved": "The engagement was saved; its red-flag check below is worked out anew."}
STALE = "Nothing was changed; the form now shows the engagement as stored."


def _find(views: list[EngagementView], email: str) -> EngagementView | None:
    wanted = email.strip().lower()
    return next((v for v in views if v.leader_email.lower() == wanted), None) if wanted else None


def _page(
    ctx: WorkspaceContext,
    *,
    leader: str = "",
    form: dict[str, str] | None = None,
    **extra: object,
) -> dict[str, object]:
    """The engagements, and the owners' form: blank, the chosen leader's engagement, or
    what was typed."""
    views = engagements.engagements(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    seats = rights.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    editing = _find(views, leader or (form or {}).get("leader", ""))
    if form is None:
        today = ctx.access.workspace.local(ctx.uow.now()).date()
        form = form_values(editing) if editing else blank_values(today) | {"leader": leader}
    editing = editing if form.get("version", "0") not in ("", "0") else None
    return workspace_page(
        ctx,
        views=views,
        today=ctx.access.workspace.local(ctx.uow.now()).date(),
        members=list(seats.members),
        areas=seats.areas,
        area_name=seats.area_name,
        red_flags=RED_FLAGS,
        models=MODEL_LABELS,
        bases=BASIS_LABELS,
        figure=figure,
        form=form,
        editing=editing,
        **extra,
    )


@router.get("/w/{workspace}/engagements", response_class=HTMLResponse, name="engagements")
def show(request: Request, ctx: ReaderDep, leader: Leader = "", done: str = "") -> Response:
    """Every engagement with its check; `leader` opens that leader's engagement in the form."""
    page = _page(ctx, leader=leader, notice=NOTICES.get(done, ""))
    return render(request, "engagements.html", page)


@router.post("/w/{workspace}/engagements", name="put_engagement")
def put(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    """Record (version 0) or change the engagement of the leader chosen."""
    try:
        areas = [
            area.key for area in rights.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug).areas
        ]
        engagements.put_engagement(
            ctx.uow, actor=ctx.actor, workspace=ctx.slug, **engagement_arguments(fields, areas)
        )
    except QuarterdeckError as exc:
        if isinstance(exc, Conflict):
            page = _page(ctx, leader=fields.get("leader", ""), error=f"{exc.message}. {STALE}")
        else:
            page = _page(ctx, form=fields, error=exc.message)
        raise PageError("engagements.html", page, status_code=status_for(exc)) from exc
    target = request.url_for("engagements", workspace=ctx.slug).include_query_params(done="saved")
    return RedirectResponse(target, status_code=303)


@router.get("/clients", response_class=HTMLResponse, name="clients")
def clients(request: Request, signed: SignedInDep) -> Response:
    """The signed-in leader's clients: only workspaces they are still a member of."""
    today = signed.uow.now().date()
    overview = engagements.overview(signed.uow, actor=signed.actor, today=today)
    return render(
        request,
        "clients.html",
        {
            "actor": signed.actor,
            "csrf_token": signed.csrf_token,
            "overview": overview,
            "today": today,
            "models": MODEL_LABELS,
            "figure": figure,
        },
    )
