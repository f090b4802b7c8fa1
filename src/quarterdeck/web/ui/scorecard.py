"""The scorecard pages: the cards by category with their status, trend and sparkline; one
metric with its definition, chart and measurements; and the forms that start a scorecard
from a ready-made set, add a catalog metric or the workspace's own, import a file of
values, record a value, set a metric's owner, cadence and thresholds, remove it, and name a
category's owner. Members read; editors change.

A refused form shows the page again with the reason and what was typed, and saves
nothing; a refused import lists every problem with its file and line. A stale configure or
category owner form (another change saved since it was loaded) answers 409 and shows what
is stored now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.domain.errors import Conflict, InvalidInput, NotFound, QuarterdeckError
from quarterdeck.domain.scorecard import (
    Cadence,
    Category,
    Direction,
    KpiDefinition,
    Level,
    Unit,
    format_value,
)
from quarterdeck.services import scorecard
from quarterdeck.web.policies import MAX_ROW_ID, ReaderDep, WorkspaceContext, WriterDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.charts import chart
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.rendering import PageError, render, workspace_page
from quarterdeck.web.ui.scorecard_cards import (
    Summary,
    card_view,
    catalog_choices,
    category_names,
    counts,
    summary,
    thresholds_text,
)
from quarterdeck.web.ui.scorecard_forms import (
    LINE_FIELDS,
    NOTE_LIMIT,
    category_of,
    configuration_from_form,
    configuration_values,
    custom_metric_from_form,
    kpi_set_of,
    measurement_from_form,
    metric_key,
    threshold_fields,
    version_of,
)
from quarterdeck.web.ui.uploads import UploadDep

__all__ = ["router", "scorecard_summary"]

router = APIRouter(prefix="/w/{workspace}/scorecard")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
KeyDep = Annotated[str, Depends(metric_key)]
Count = Annotated[int, Query(ge=0, le=MAX_ROW_ID)]
SHOWN_PROBLEMS = 50  # of a refused import; the file needs fixing whole beyond that
NOTICES = {
    "started": "The set's metrics were added. Each one says what it still needs: thresholds, "
    "an owner, a first value.",
    "owner": "The category owner was saved.",
    "removed": "The metric was taken off the scorecard; its measurements are kept.",
    "added": "The metric was added.",
    "recorded": "The value was recorded.",
    "configured": "The metric's settings were saved.",
}


def scorecard_summary(ctx: WorkspaceContext) -> Summary:
    """The counts by status, for the dashboard."""
    return summary(scorecard.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug))


def _today(ctx: WorkspaceContext) -> date:
    return ctx.access.workspace.local(ctx.uow.now()).date()


def _board(ctx: WorkspaceContext, **extra: object) -> dict[str, object]:
    view = scorecard.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    names = category_names()
    groups = [
        (category, names[category.value], owner, [card_view(card) for card in cards])
        for category, owner, cards in view.categories
    ]
    return workspace_page(
        ctx,
        groups=groups,
        counts=counts(view.cards),
        total=len(view.cards),
        levels=[level.value for level in Level],
        sets=kpi_catalog().sets,
        choices=catalog_choices(card.metric.key for card in view.cards),
        settings_version=view.settings_version,
        categories=[(c.value, names[c.value]) for c in Category],
        units=[u.value for u in Unit],
        directions=[d.value for d in Direction],
        cadences=[c.value for c in Cadence],
        line_fields=LINE_FIELDS,
        **extra,
    )


def _catalog_entry(key: str) -> KpiDefinition:
    try:
        return kpi_catalog().kpi(key)
    except InvalidInput:
        raise NotFound("there is no such metric on the scorecard or in the catalog") from None


def _metric_page(
    ctx: WorkspaceContext,
    key: str,
    *,
    record_form: dict[str, str] | None = None,
    configure_form: dict[str, str] | None = None,
    **extra: object,
) -> dict[str, object]:
    """The metric's page; a catalog metric not on the scorecard shows its definition and
    (for editors) the button that adds it."""
    names = category_names()
    try:
        found = scorecard.detail(ctx.uow, actor=ctx.actor, workspace=ctx.slug, key=key)
    except NotFound:
        definition = _catalog_entry(key)
        return workspace_page(
            ctx,
            tracked=False,
            definition=definition,
            category_name=names[definition.category.value],
            **extra,
        )
    card = found.card
    metric = card.metric
    unit = metric.definition.unit
    return workspace_page(
        ctx,
        tracked=True,
        definition=metric.definition,
        metric=metric,
        view=card_view(card),
        category_name=names[metric.definition.category.value],
        measurements=[(m, format_value(m.value, unit)) for m in found.measurements],
        thresholds_text=thresholds_text(metric),
        chart=chart(
            card.series, label=metric.definition.name, unit=unit, thresholds=metric.thresholds
        ),
        record_form=record_form or {"period_end": _today(ctx).isoformat()},
        configure_form=configure_form or configuration_values(metric),
        threshold_fields=threshold_fields(metric.definition.direction),
        cadences=[c.value for c in Cadence],
        note_limit=NOTE_LIMIT,
        **extra,
    )


def _to_board(request: Request, ctx: WorkspaceContext, done: str) -> Response:
    target = request.url_for("scorecard", workspace=ctx.slug).include_query_params(done=done)
    return RedirectResponse(target, status_code=303)


def _to_metric(request: Request, ctx: WorkspaceContext, key: str, done: str) -> Response:
    target = request.url_for("metric", workspace=ctx.slug, key=key)
    return RedirectResponse(target.include_query_params(done=done), status_code=303)


def _refused_on_board(
    ctx: WorkspaceContext, exc: QuarterdeckError, message: str = "", **extra: object
) -> PageError:
    page = _board(ctx, error=message or exc.message, **extra)
    return PageError("scorecard.html", page, status_code=status_for(exc))


def _on_board(request: Request, ctx: WorkspaceContext, change: Callable[[], str]) -> Response:
    """Apply a change made on the scorecard page; refused, the page shows why."""
    try:
        done = change()
    except QuarterdeckError as exc:
        raise _refused_on_board(ctx, exc) from exc
    return _to_board(request, ctx, done)


@router.get("", response_class=HTMLResponse, name="scorecard")
def board(
    request: Request, ctx: ReaderDep, done: str = "", added: Count = 0, replaced: Count = 0
) -> Response:
    notice = NOTICES.get(done, "")
    if done == "imported":
        notice = f"The file was imported: {added} value(s) added, {replaced} replaced."
    return render(request, "scorecard.html", _board(ctx, notice=notice))


@router.post("/start", name="start_scorecard")
def start(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Add every metric of a ready-made set (`set`) that is not on the scorecard yet."""

    def change() -> str:
        kpi_set = kpi_set_of(fields)
        scorecard.start_from_set(ctx.uow, actor=ctx.actor, workspace=ctx.slug, kpi_set=kpi_set)
        return "started"

    return _on_board(request, ctx, change)


@router.post("/owners", name="set_category_owner")
def set_owner(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Name who answers for a category (`category`, `owner`; empty: nobody), against the
    settings `version` the page was loaded with."""

    try:
        scorecard.set_category_owner(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            category=category_of(fields),
            owner=fields.get("owner", ""),
            expected_version=version_of(fields),
        )
    except QuarterdeckError as exc:
        stale = "Nothing was changed; the page now shows the stored owners."
        message = f"{exc.message}. {stale}" if isinstance(exc, Conflict) else ""
        raise _refused_on_board(ctx, exc, message) from exc
    return _to_board(request, ctx, "owner")


@router.post("/metrics", name="add_metric")
def add(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Put one catalog metric (`key`) on the scorecard, then show it."""
    key = fields.get("key", "").strip()[:64]
    try:
        if not key:
            raise InvalidInput("choose a metric from the catalog")
        scorecard.add_metric(ctx.uow, actor=ctx.actor, workspace=ctx.slug, key=key)
    except QuarterdeckError as exc:
        raise _refused_on_board(ctx, exc) from exc
    return _to_metric(request, ctx, key, "added")


@router.post("/metrics/custom", name="add_custom_metric")
def add_custom(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Put the workspace's own metric on the scorecard, then show it; refused, the board
    shows why with the form as it was typed."""
    try:
        typed = custom_metric_from_form(fields)
        added = scorecard.add_custom_metric(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            key=typed.key,
            name=typed.name,
            category=typed.category,
            unit=typed.unit,
            direction=typed.direction,
            meaning=typed.meaning,
            owner=typed.owner,
            cadence=typed.cadence,
            thresholds=typed.thresholds,
        )
    except QuarterdeckError as exc:
        raise _refused_on_board(ctx, exc, custom_form=fields) from exc
    return _to_metric(request, ctx, added.key, "added")


@router.post("/measurements/import", name="import_measurements")
def import_values(request: Request, upload: UploadDep, ctx: WriterDep) -> Response:
    """Import a CSV or JSON file of values (`file`), all or nothing; refused, the board
    lists every problem with its file and line."""
    source = upload.name or "upload"
    try:
        if not upload.name and not upload.data:
            raise InvalidInput("choose a CSV or JSON file of values to import")
        done = scorecard.import_measurements(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            data=upload.data,
            source=source,
            max_bytes=upload.max_bytes,
        )
    except QuarterdeckError as exc:
        problems = exc.problems if isinstance(exc, scorecard.ImportRefused) else ()
        lead = f"nothing was imported from {source}; each problem is listed below"
        raise _refused_on_board(
            ctx,
            exc,
            lead if problems else "",
            import_problems=problems[:SHOWN_PROBLEMS],
            more_problems=max(0, len(problems) - SHOWN_PROBLEMS),
        ) from exc
    target = request.url_for("scorecard", workspace=ctx.slug).include_query_params(
        done="imported", added=done.added, replaced=done.replaced
    )
    return RedirectResponse(target, status_code=303)


@router.get("/metrics/{key}", response_class=HTMLResponse, name="metric")
def show(request: Request, ctx: ReaderDep, key: KeyDep, done: str = "") -> Response:
    return render(request, "metric.html", _metric_page(ctx, key, notice=NOTICES.get(done, "")))


@router.post("/metrics/{key}/measurements", name="record_measurement")
def record(request: Request, ctx: WriterDep, key: KeyDep, fields: FieldsDep) -> Response:
    """Record a value for the period ending on `period_end`; a refused value comes back in
    the form with the reason."""
    try:
        typed = measurement_from_form(fields)
        scorecard.record(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            key=key,
            period_end=typed.period_end,
            value=typed.value,
            note=typed.note,
        )
    except QuarterdeckError as exc:
        if isinstance(exc, NotFound):
            raise
        page = _metric_page(ctx, key, record_form=fields, record_error=exc.message)
        raise PageError("metric.html", page, status_code=status_for(exc)) from exc
    return _to_metric(request, ctx, key, "recorded")


@router.post("/metrics/{key}/configure", name="configure_metric")
def configure(request: Request, ctx: WriterDep, key: KeyDep, fields: FieldsDep) -> Response:
    """Save owner, cadence and thresholds; empty threshold fields clear the thresholds."""
    try:
        metric = scorecard.detail(ctx.uow, actor=ctx.actor, workspace=ctx.slug, key=key).card
        wanted = configuration_from_form(metric.metric.definition.direction, fields)
        scorecard.configure(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            key=key,
            expected_version=version_of(fields),
            owner=wanted.owner,
            cadence=wanted.cadence,
            thresholds=wanted.thresholds,
            clear_thresholds=wanted.thresholds is None,
        )
    except QuarterdeckError as exc:
        if isinstance(exc, NotFound):
            raise
        if isinstance(exc, Conflict):
            message = f"{exc.message}. Nothing was changed; the form now shows the stored settings."
            page = _metric_page(ctx, key, configure_error=message)
        else:
            page = _metric_page(ctx, key, configure_form=fields, configure_error=exc.message)
        raise PageError("metric.html", page, status_code=status_for(exc)) from exc
    return _to_metric(request, ctx, key, "configured")


@router.post("/metrics/{key}/remove", name="remove_metric")
def remove(request: Request, ctx: WriterDep, key: KeyDep) -> Response:
    """Take the metric off the scorecard; its measurements stay for when it comes back."""
    scorecard.remove_metric(ctx.uow, actor=ctx.actor, workspace=ctx.slug, key=key)
    return _to_board(request, ctx, "removed")
