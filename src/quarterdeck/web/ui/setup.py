"""The set-up page: choose the workspace's leadership model, see what setting it up would
install (the decision-rights template, the cadences, a scorecard starter set and the
playbooks for that kind of leader), each with why and whether it is already in place, and
install the ticked ones. Every install is recorded with what was installed, skipped or
already in place, and why; members read the record, owners install.

The organisation profile itself (stage, headcount, ...) is edited on the settings page."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.errors import InvalidInput, QuarterdeckError
from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.services import leadership_setup
from quarterdeck.web.policies import AdminDep, ReaderDep, WorkspaceContext
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["router"]

router = APIRouter(prefix="/w/{workspace}/setup")
Short = Annotated[str, Query(max_length=40)]
_ID_LIMIT = 120  # characters of one suggestion id read from the form
_MAX_ACCEPTED = 100
MODEL_LABELS = {model.value: model.label for model in LeadershipModel}
NOTICES = {
    "installed": "The set-up was recorded: below is what was installed, skipped or already "
    "in place, and why."
}
OUTCOME_CLASSES = {
    "installed": "status-accepted",
    "already in place": "status-proposed",
    "skipped": "status-deprecated",
}


@dataclass(frozen=True, slots=True)
class SetupForm:
    """The install form as posted: the model, the ticked suggestions, the playbooks' start."""

    model: str
    accept: tuple[str, ...]
    playbooks_start: str


async def setup_form(request: Request) -> SetupForm:
    form = await request.form()
    accept = [v[:_ID_LIMIT] for v in form.getlist("accept") if isinstance(v, str)]
    model, start = form.get("model"), form.get("playbooks_start")
    return SetupForm(
        model=model[:40].strip() if isinstance(model, str) else "",
        accept=tuple(accept[:_MAX_ACCEPTED]),
        playbooks_start=start[:20].strip() if isinstance(start, str) else "",
    )


SetupFormDep = Annotated[SetupForm, Depends(setup_form)]


def _start(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"the playbooks' start must be a date like 2027-01-31; got {text!r}"
        ) from None


def _page(
    ctx: WorkspaceContext,
    model: str | None,
    accepted: Collection[str] | None = None,
    **extra: object,
) -> dict[str, object]:
    """The set-up page for `model` (default: the profile's); InvalidInput for an unknown
    model. `accepted` ticks those suggestions (default: all)."""
    chosen, suggestions = leadership_setup.propose(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, model=model
    )
    ws = ctx.access.workspace
    records = leadership_setup.setups(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    kind = role_catalog().kind(leadership_setup.leader_kind(chosen, ws.profile.stage))
    ticked = {s.id for s in suggestions} if accepted is None else set(accepted)
    return workspace_page(
        ctx,
        chosen=chosen,
        models=list(LeadershipModel),
        model_labels=MODEL_LABELS,
        outcome_classes=OUTCOME_CLASSES,
        kind=kind,
        suggestions=suggestions,
        ticked=ticked,
        latest=records[0] if records else None,
        earlier=records[1:],
        today=ws.local(ctx.uow.now()).date(),
        **extra,
    )


@router.get("", response_class=HTMLResponse, name="setup")
def show(request: Request, ctx: ReaderDep, model: Short = "", done: Short = "") -> Response:
    """What setting the workspace up for `model` (default: its profile's) would install,
    and the last set-up record."""
    try:
        page = _page(ctx, model or None, notice=NOTICES.get(done, ""))
    except QuarterdeckError as exc:
        page = _page(ctx, None, error=exc.message)
        return render(request, "setup.html", page, status_code=status_for(exc))
    return render(request, "setup.html", page)


@router.post("", name="install_setup")
def install(request: Request, ctx: AdminDep, form: SetupFormDep) -> Response:
    """Install the ticked suggestions (`accept`, repeated) for `model`; playbooks start on
    `playbooks_start` (default: today). Owners only; a refused form saves nothing."""
    try:
        leadership_setup.install(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            model=form.model or None,
            accept=form.accept,
            playbooks_start=_start(form.playbooks_start),
        )
    except QuarterdeckError as exc:
        typed = {"playbooks_start": form.playbooks_start}
        try:
            page = _page(ctx, form.model or None, form.accept, error=exc.message, typed=typed)
        except QuarterdeckError:
            page = _page(ctx, None, error=exc.message, typed=typed)
        raise PageError("setup.html", page, status_code=status_for(exc)) from exc
    target = request.url_for("setup", workspace=ctx.slug).include_query_params(done="installed")
    return RedirectResponse(target, status_code=303)
