"""The roadmap page: themes with their measurable outcomes (metric, target, quarter) and the
initiatives serving each, the tech roadmap (platform investments and the outcomes they
serve), the open requests serving no outcome yet, and the timeline of the latest accepted
plan by quarter and team. Editors add and change outcomes here.

A refused outcome form shows the page again with every problem, what was typed and nothing
saved; a stale one (the outcome changed since the page was loaded) answers 409 and shows the
stored outcome."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.domain.errors import Conflict, InvalidInput, NotFound, QuarterdeckError
from quarterdeck.domain.planning import Kind
from quarterdeck.domain.portfolio import item_key
from quarterdeck.services import planning, roadmap, scorecard
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.intake_forms import version_of
from quarterdeck.web.ui.intake_views import checkpoint_progress, metric_refs
from quarterdeck.web.ui.rendering import PageError, render, workspace_page
from quarterdeck.web.ui.timeline_chart import timeline

__all__ = ["router"]

router = APIRouter(prefix="/w/{workspace}/roadmap")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
NOTICES = {
    "added": "The outcome was added to the roadmap.",
    "saved": "The outcome was saved.",
}
OUTCOME_FIELDS = {
    "key": ("key", 48),
    "theme": ("theme", 120),
    "title": ("title", 200),
    "metric": ("metric", 64),
    "target": ("target", 120),
    "quarter": ("quarter", 7),
}
_KEY = re.compile(r"^[a-z][a-z0-9-]{0,47}$")


def _outcome_key(key: str) -> str:
    if not _KEY.match(key):
        raise NotFound("there is no such outcome on the roadmap")
    return key


OutcomeKeyDep = Annotated[str, Depends(_outcome_key)]


def _outcome_from_form(fields: Mapping[str, str], key: str | None = None) -> dict[str, str]:
    """The outcome form's values (`key` fixed when editing); InvalidInput naming every
    field left empty or too long at once. `roadmap.put_outcome` checks their form."""
    values, problems = {}, []
    for name, (label, limit) in OUTCOME_FIELDS.items():
        value = key if name == "key" and key is not None else fields.get(name, "").strip()
        if not value:
            problems.append(f"{label} is required")
        elif len(value) > limit:
            problems.append(f"{label} is limited to {limit} characters")
        values[name] = value
    if problems:
        raise InvalidInput("; ".join(problems))
    return values


def _put(ctx: WorkspaceContext, values: Mapping[str, str], *, expected_version: int) -> None:
    roadmap.put_outcome(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        key=values["key"],
        theme=values["theme"],
        title=values["title"],
        metric=values["metric"],
        target=values["target"],
        quarter=values["quarter"],
        expected_version=expected_version,
    )


def _page(request: Request, ctx: WorkspaceContext, **extra: object) -> dict[str, object]:
    shown = roadmap.roadmap(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    given, accepted = planning.current(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    latest = given.latest
    titles = {key: item.title for key, item in given.items.items()}
    links = {
        key: str(request.url_for("intake_item", workspace=ctx.slug, key=key)) for key in given.items
    }
    if latest is None:
        label = "Roadmap timeline: no plan accepted yet"
    else:
        label = f"Roadmap timeline of accepted plan {latest.number}, by quarter and team"
    planned = accepted.ids() if accepted is not None else frozenset()
    left_out = (
        []
        if latest is None
        else [
            given.items[key]
            for key in latest.assignment
            if key not in planned and key in given.items
        ]
    )
    return workspace_page(
        ctx,
        roadmap=shown,
        chart=timeline(
            accepted,
            quarters=given.plan.quarters,
            teams=[(t.team.key, t.team.name) for t in given.teams],
            titles=titles,
            label=label,
            links=links,
        ),
        latest=latest,
        left_out=left_out,
        progress={key: checkpoint_progress(item) for key, item in given.items.items()},
        metrics=metric_refs(scorecard.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug).cards),
        quarters=given.settings.quarters,
        kinds=[(k.value, k.label) for k in Kind],
        item_key=item_key,
        **extra,
    )


def _to_roadmap(request: Request, ctx: WorkspaceContext, done: str) -> Response:
    target = request.url_for("roadmap", workspace=ctx.slug).include_query_params(done=done)
    return RedirectResponse(target, status_code=303)


@router.get("", response_class=HTMLResponse, name="roadmap")
def show(request: Request, ctx: ReaderDep, done: str = "") -> Response:
    return render(request, "roadmap.html", _page(request, ctx, notice=NOTICES.get(done, "")))


@router.post("/outcomes", name="add_outcome")
def add(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Add an outcome to the roadmap; refused, the form comes back as typed with why."""
    try:
        values = _outcome_from_form(fields)
        _put(ctx, values, expected_version=0)
    except QuarterdeckError as exc:
        page = _page(request, ctx, add_form=fields, add_error=exc.message)
        raise PageError("roadmap.html", page, status_code=status_for(exc)) from exc
    return _to_roadmap(request, ctx, "added")


@router.post("/outcomes/{key}", name="save_outcome")
def save(request: Request, ctx: WriterDep, key: OutcomeKeyDep, fields: FieldsDep) -> Response:
    """Change an outcome against the `version` the page was loaded with."""
    version = version_of(fields)
    try:
        values = _outcome_from_form(fields, key)
        _put(ctx, values, expected_version=version if version > 0 else -1)
    except QuarterdeckError as exc:
        if isinstance(exc, NotFound):
            raise
        if isinstance(exc, Conflict):
            message = f"{exc.message}. Nothing was changed; the page now shows the stored outcome."
            page = _page(request, ctx, error=message)
        else:
            page = _page(request, ctx, edit_key=key, edit_form=fields, edit_error=exc.message)
        raise PageError("roadmap.html", page, status_code=status_for(exc)) from exc
    return _to_roadmap(request, ctx, "saved")
