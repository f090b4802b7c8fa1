"""The delivery page: the four keys and time to acknowledge over a window of days, for all
services and for each, each figure with the count behind it, its DORA band (the edition
named) and the choices it rests on; the choices in force, and for editors the form that
changes them, release rules and start points included (version-checked: a stale form
answers 409 and changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.domain.delivery import CommitTime, DeliveryMetrics
from quarterdeck.domain.delivery_bands import BandRating, BandsEdition
from quarterdeck.domain.errors import Conflict, QuarterdeckError
from quarterdeck.services import delivery, delivery_choices, engineering
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.rendering import PageError, render, workspace_page
from quarterdeck.web.ui.scorecard_forms import (
    RELEASE_PARTS,
    START_PARTS,
    choices_values,
    delivery_changes_from_form,
    form_rows,
    version_of,
)

__all__ = ["Figure", "duration", "figures", "router"]

router = APIRouter(prefix="/w/{workspace}/scorecard/delivery")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
DEFAULT_DAYS = 90
MAX_DAYS = 730
Days = Annotated[int, Query(ge=1, le=MAX_DAYS)]


@dataclass(frozen=True, slots=True)
class Figure:
    """One delivery figure as the page shows it."""

    name: str
    value: str  # "—" when there is nothing to measure in the window
    count: str  # what the figure rests on
    band: BandRating | None  # MTTA has no DORA band
    notes: tuple[str, ...]


def duration(hours: float | None) -> str:
    """A median duration as people read it: '42 min', '5.3 h', '3.2 days (77 h)'."""
    if hours is None:
        return "—"
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days ({hours:.0f} h)"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def figures(metrics: DeliveryMetrics) -> list[Figure]:
    """The four keys and MTTA of one scope (all services or one), in the order of
    DOMAIN.md section 8."""
    freq, lead = metrics.frequency, metrics.lead_time
    cfr, restore, ack = (
        metrics.change_failure_rate,
        metrics.time_to_restore,
        metrics.time_to_acknowledge,
    )
    return [
        Figure(
            "Deployment frequency",
            f"{freq.per_week:.2f} per week ({freq.per_day:.2f} a day)",
            _plural(freq.count, "deployment"),
            freq.band,
            freq.notes(),
        ),
        Figure(
            "Lead time for changes",
            duration(lead.median_hours),
            _plural(lead.count, "change"),
            lead.band,
            lead.notes(),
        ),
        Figure(
            "Change failure rate",
            "—" if cfr.rate is None else f"{cfr.rate * 100:.1f}%",
            f"{cfr.failed} of {_plural(cfr.deployments, 'deployment')}",
            cfr.band,
            cfr.notes(),
        ),
        Figure(
            "Time to restore",
            duration(restore.median_hours),
            _plural(restore.count, "incident"),
            restore.band,
            restore.notes(),
        ),
        Figure(
            "Time to acknowledge (MTTA)",
            duration(ack.median_hours),
            _plural(ack.count, "incident"),
            None,
            ack.notes(),
        ),
    ]


def _page(
    ctx: WorkspaceContext, days: int, form: dict[str, str] | None = None, **extra: object
) -> dict[str, object]:
    end = ctx.uow.now()
    found = delivery.report(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, start=end - timedelta(days=days), end=end
    )
    choices, version = delivery.current_choices(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    values = form or choices_values(choices)
    return workspace_page(
        ctx,
        days=days,
        report=found,
        overall=figures(found.overall),
        services=[(m.service, figures(m)) for m in found.services],
        choices=choices,
        version=version,
        form=values,
        release_rows=form_rows(values, "release", RELEASE_PARTS),
        start_rows=form_rows(values, "start", START_PARTS),
        repositories=delivery_choices.read_repositories(
            ctx.uow, actor=ctx.actor, workspace=ctx.slug
        ),
        commit_times=[c.value for c in CommitTime],
        editions=[e.value for e in BandsEdition],
        **extra,
    )


def _days(fields: dict[str, str]) -> int:
    raw = fields.get("days", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_DAYS else DEFAULT_DAYS


@router.get("", response_class=HTMLResponse, name="delivery")
def show(request: Request, ctx: ReaderDep, days: Days = DEFAULT_DAYS, done: str = "") -> Response:
    notice = "The delivery choices were saved; the figures follow them." if done else ""
    return render(request, "delivery.html", _page(ctx, days, notice=notice))


@router.post("", name="save_delivery_choices")
def save(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Change the choices behind the figures; refused, the form comes back with the reason
    (and what was typed, unless it was stale)."""
    days = _days(fields)
    try:
        engineering.set_delivery_choices(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            expected_version=version_of(fields),
            **delivery_changes_from_form(fields),
        )
    except QuarterdeckError as exc:
        if isinstance(exc, Conflict):
            message = f"{exc.message}. Nothing was changed; the form now shows the stored choices."
            page = _page(ctx, days, error=message)
        else:
            page = _page(ctx, days, form=fields, error=exc.message)
        raise PageError("delivery.html", page, status_code=status_for(exc)) from exc
    target = request.url_for("delivery", workspace=ctx.slug)
    return RedirectResponse(target.include_query_params(days=days, done="choices"), status_code=303)
