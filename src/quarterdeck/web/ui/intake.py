"""The intake pages: the board (every request ranked by the workspace's prioritisation
method, or another one asked for, with the items it cannot rank listed apart), one item
with why it ranks where it does, its definition of ready, dependencies, evidence
checkpoints and cost-benefit figures, and the forms that add a request, edit it, record a
checkpoint and set its costs and benefits. Members read; editors change.

A refused form shows the page again with every problem the form alone reveals, what was
typed, and nothing saved. A stale form (another change saved since it was loaded) answers
409 and shows what is stored now."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from quarterdeck.domain.errors import Conflict, NotFound, QuarterdeckError
from quarterdeck.domain.planning import Kind
from quarterdeck.domain.portfolio import IntakeItem, item_key
from quarterdeck.domain.prioritisation import Method
from quarterdeck.domain.prioritisation_ratios import FIBONACCI, RiceModel
from quarterdeck.reports.markdown import render_markdown
from quarterdeck.services import (
    capacity,
    intake,
    intake_ranking,
    portfolio_settings,
    roadmap,
    scorecard,
)
from quarterdeck.services.intake import CHECKPOINTS, READY_CHECKS, SCORE_FIELDS, IntakeFilter
from quarterdeck.services.portfolio_settings import PlanningSettings
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.intake_evidence_forms import (
    PERIODS,
    checkpoint_from_form,
    cost_benefit_from_form,
    cost_benefit_values,
)
from quarterdeck.web.ui.intake_forms import (
    SCORE_LABELS,
    blank_values,
    board_filter,
    form_values,
    item_values,
    path_number,
    version_of,
    weighted_keys,
)
from quarterdeck.web.ui.intake_views import (
    board,
    checkpoint_progress,
    checkpoints,
    figure,
    figure_rows,
    metric_refs,
    missing_checks,
    placement,
)
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["router"]

router = APIRouter(prefix="/w/{workspace}/intake")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
Filter = Annotated[str, Query(max_length=200)]
NOTICES = {
    "added": "The request was added to the intake.",
    "saved": "The changes were saved.",
    "checkpoint": "The checkpoint was saved.",
    "cost-benefit": "The costs and benefits were saved; the figures below are worked out anew.",
}
STALE = "Nothing was changed; the page now shows the stored item."


def _number(key: str) -> int:
    return path_number(key)


NumberDep = Annotated[int, Depends(_number)]


def _settings(ctx: WorkspaceContext) -> PlanningSettings:
    return portfolio_settings.planning_settings(ctx.uow, actor=ctx.actor, workspace=ctx.slug)


def _teams(ctx: WorkspaceContext) -> list[tuple[str, str]]:
    """(key, name) of every team; the page's policy has authorized the workspace."""
    return [
        (t.team.key, t.team.name) for t in capacity.capacities(ctx.uow, ctx.access.workspace, ())
    ]


def _methods(settings: PlanningSettings) -> list[str]:
    """The methods the board may rank by: custom criteria only once the workspace has some."""
    return [m.value for m in Method if m is not Method.WEIGHTED or settings.criteria]


@router.get("", response_class=HTMLResponse, name="intake")
def board_page(
    request: Request,
    ctx: ReaderDep,
    kind: Filter = "",
    status: Filter = "",
    department: Filter = "",
    urgency: Filter = "",
    ready: Filter = "",
    q: Filter = "",
    method: Filter = "",
) -> Response:
    params = {
        "kind": kind,
        "status": status,
        "department": department,
        "urgency": urgency,
        "ready": ready,
        "q": q,
        "method": method,
    }
    where = board_filter(
        kind=kind, status=status, department=department, urgency=urgency, ready=ready, text=q
    )
    shown = intake.items(ctx.uow, actor=ctx.actor, workspace=ctx.slug, where=where)
    ranked = intake_ranking.rank(ctx.uow, actor=ctx.actor, workspace=ctx.slug, method=method)
    settings = _settings(ctx)
    page = workspace_page(
        ctx,
        board=board(ranked, shown),
        shown=len(shown),
        params=params,
        method=ranked.method.value,
        default_method=settings.method.value,
        methods=_methods(settings),
        normalisation=ranked.ranking.normalisation,
        kinds=[k.value for k in Kind],
        statuses=[s.value for s in intake.Status],
        urgencies=[u.value for u in intake.Urgency],
    )
    return render(request, "intake.html", page)


def _form_page(
    ctx: WorkspaceContext, form: dict[str, str], item: IntakeItem | None = None, **extra: object
) -> dict[str, object]:
    settings = _settings(ctx)
    outcomes = roadmap.roadmap(ctx.uow, actor=ctx.actor, workspace=ctx.slug).outcomes
    pinned = form.get("pinned_quarter", "")
    quarters = list(settings.quarters) + (
        [pinned] if pinned and pinned not in settings.quarters else []
    )
    return workspace_page(
        ctx,
        form=form,
        item=item,
        kinds=[k.value for k in Kind],
        statuses=[s.value for s in intake.Status],
        urgencies=[u.value for u in intake.Urgency],
        ready_checks=READY_CHECKS,
        teams=_teams(ctx),
        outcomes=list(outcomes.values()),
        quarters=quarters,
        goals=settings.goals,
        five_high=settings.five_criteria().high,
        score_fields=SCORE_FIELDS,
        score_labels=SCORE_LABELS,
        rice_levels=", ".join(figure(Fraction(v)) for v in RiceModel().impact_levels),
        wsjf_points=", ".join(str(p) for p in FIBONACCI),
        criteria={c.key: c for c in settings.criteria},
        weighted=weighted_keys(settings, item.scores if item else {}),
        **extra,
    )


def _sections(item: IntakeItem) -> list[tuple[str, Markup]]:
    texts = (
        ("Description", item.description),
        ("Hypothesis", item.hypothesis),
        ("Smallest bet that would prove it", item.smallest_bet),
    )
    # Marked safe only after render_markdown has sanitized it.
    return [(label, Markup(render_markdown(t))) for label, t in texts if t.strip()]  # noqa: S704


def _item_page(
    ctx: WorkspaceContext,
    number: int,
    *,
    method: str = "",
    cost_form: dict[str, str] | None = None,
    **extra: object,
) -> dict[str, object]:
    item = intake.get_item(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    every = intake.items(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, where=IntakeFilter(status="all")
    )
    by_number = {other.number: other for other in every}
    ranked = intake_ranking.rank(ctx.uow, actor=ctx.actor, workspace=ctx.slug, method=method)
    settings = _settings(ctx)
    outcomes = roadmap.roadmap(ctx.uow, actor=ctx.actor, workspace=ctx.slug).outcomes
    appraisal = roadmap.appraisal_of(item)
    return workspace_page(
        ctx,
        item=item,
        sections=_sections(item),
        placement=placement(ranked, item),
        method=ranked.method.value,
        methods=_methods(settings),
        ready_checks=[(label, bool(item.ready.get(key))) for key, label in READY_CHECKS.items()],
        missing=missing_checks(item),
        requires=[(item_key(n), by_number.get(n)) for n in item.requires],
        needed_by=[other for other in every if item.number in other.requires],
        alternatives=[
            other
            for other in every
            if item.alternative_group
            and other.alternative_group == item.alternative_group
            and other.number != item.number
        ],
        outcome=outcomes.get(item.outcome_key),
        metrics=metric_refs(scorecard.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug).cards),
        teams=dict(_teams(ctx)),
        value_unit=settings.value_unit,
        risk_adjusted=item.value * item.success,
        checkpoints=checkpoints(item),
        progress=checkpoint_progress(item),
        appraisal=appraisal,
        shown_first=None
        if appraisal is None
        else figure_rows(appraisal, appraisal.shown_by_default()),
        optimistic=None if appraisal is None else figure_rows(appraisal, (appraisal.optimistic,)),
        cost_form=cost_form or cost_benefit_values(item),
        periods=PERIODS,
        checkpoint_names=CHECKPOINTS,
        **extra,
    )


def _to_item(request: Request, ctx: WorkspaceContext, number: int, done: str) -> Response:
    target = request.url_for("intake_item", workspace=ctx.slug, key=item_key(number))
    return RedirectResponse(target.include_query_params(done=done), status_code=303)


def _refused_on_item(
    ctx: WorkspaceContext,
    number: int,
    exc: QuarterdeckError,
    cost_form: dict[str, str] | None = None,
    **typed: object,
) -> PageError:
    """The item page again: as stored, with the reason, for a stale form; with what was
    typed next to the form that failed otherwise."""
    if isinstance(exc, Conflict):
        page = _item_page(ctx, number, error=f"{exc.message}. {STALE}")
    else:
        page = _item_page(ctx, number, cost_form=cost_form) | typed
    return PageError("intake_item.html", page, status_code=status_for(exc))


@router.get("/new", response_class=HTMLResponse, name="new_intake_item")
def new_form(request: Request, ctx: WriterDep) -> Response:
    return render(request, "intake_form.html", _form_page(ctx, blank_values()))


@router.post("", name="add_intake_item")
def add(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Add a request from the form; refused, the form comes back with what was typed and
    every problem named, and nothing is saved."""
    try:
        teams = [key for key, _ in _teams(ctx)]
        values = item_values(fields, _settings(ctx), teams)
        added = intake.add_item(ctx.uow, actor=ctx.actor, workspace=ctx.slug, values=values)
    except QuarterdeckError as exc:
        page = _form_page(ctx, fields, error=exc.message)
        raise PageError("intake_form.html", page, status_code=status_for(exc)) from exc
    return _to_item(request, ctx, added.number, "added")


@router.get("/{key}", response_class=HTMLResponse, name="intake_item")
def show(
    request: Request, ctx: ReaderDep, number: NumberDep, done: str = "", method: Filter = ""
) -> Response:
    page = _item_page(ctx, number, method=method, notice=NOTICES.get(done, ""))
    return render(request, "intake_item.html", page)


@router.get("/{key}/edit", response_class=HTMLResponse, name="edit_intake_item")
def edit_form(request: Request, ctx: WriterDep, number: NumberDep) -> Response:
    item = intake.get_item(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    page = _form_page(ctx, form_values(item), item, version=item.version)
    return render(request, "intake_form.html", page)


@router.post("/{key}/edit", name="save_intake_item")
def save(request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep) -> Response:
    """Save every field of the edit form against the version it was loaded with. A stale
    form answers 409 and shows the stored item, so a second click cannot overwrite the
    other change."""
    try:
        current = intake.get_item(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
        teams = [key for key, _ in _teams(ctx)]
        values = item_values(fields, _settings(ctx), teams, current.scores)
        intake.edit_item(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            number=number,
            expected_version=version_of(fields),
            changes=values,
        )
    except QuarterdeckError as exc:
        if isinstance(exc, NotFound):
            raise
        stored = intake.get_item(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
        if isinstance(exc, Conflict):
            message = (
                f"{exc.message}. Your changes were not saved; the form now shows the stored item."
            )
            page = _form_page(
                ctx, form_values(stored), stored, version=stored.version, error=message
            )
        else:
            page = _form_page(
                ctx, fields, stored, version=fields.get("version", ""), error=exc.message
            )
        raise PageError("intake_form.html", page, status_code=status_for(exc)) from exc
    return _to_item(request, ctx, number, "saved")


@router.post("/{key}/checkpoints", name="record_intake_checkpoint")
def record_checkpoint(
    request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep
) -> Response:
    """Mark one evidence checkpoint (`checkpoint`) done or not, with a note and a link."""
    try:
        typed = checkpoint_from_form(fields)
        intake.record_checkpoint(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            number=number,
            expected_version=version_of(fields),
            checkpoint=typed.checkpoint,
            done=typed.done,
            note=typed.note,
            link=typed.link,
        )
    except QuarterdeckError as exc:
        if isinstance(exc, NotFound):
            raise
        failed = fields.get("checkpoint", "")
        raise _refused_on_item(
            ctx, number, exc, checkpoint_failed=failed, checkpoint_error=exc.message, typed=fields
        ) from exc
    return _to_item(request, ctx, number, "checkpoint")


@router.post("/{key}/cost-benefit", name="set_intake_cost_benefit")
def set_cost_benefit(
    request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep
) -> Response:
    """Store the costs and benefits per period, the period and the yearly discount rate;
    the figures are worked out before anything is saved."""
    try:
        typed = cost_benefit_from_form(fields)
        roadmap.set_cost_benefit(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            number_=number,
            expected_version=version_of(fields),
            period=typed.period,
            discount_rate=typed.discount_rate,
            costs=typed.costs,
            benefits=typed.benefits,
            pessimistic=typed.pessimistic,
            optimistic=typed.optimistic,
        )
    except QuarterdeckError as exc:
        if isinstance(exc, NotFound):
            raise
        raise _refused_on_item(ctx, number, exc, cost_form=fields, cost_error=exc.message) from exc
    return _to_item(request, ctx, number, "cost-benefit")
