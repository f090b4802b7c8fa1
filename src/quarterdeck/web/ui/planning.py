"""The planning pages: the latest accepted plan, working out a plan (the optimal one beside
the handbook rule's, with what each defers and why), accepting the plan shown, and an urgent
insertion that shows exactly what it displaces before it is accepted and recorded as a
decision. Members read and work plans out (nothing is saved by looking); editors accept.

Nothing is accepted blind: the accept forms send back the plan they showed and the accepted
plan it was worked out from. If another plan was accepted since, or the plan shown no longer
fits what is stored, the service refuses (409), nothing is saved, and the page shows the plan
as it would be now with the reason."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.domain.errors import Conflict, InvalidInput, QuarterdeckError
from quarterdeck.domain.planning import Deferred, NoPlanInTime, Plan, PlanInfeasible
from quarterdeck.domain.portfolio import IntakeItem
from quarterdeck.services import planning
from quarterdeck.services.intake import Urgency
from quarterdeck.services.planning_input import PlanningInput
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.capacity_charts import heat_cell, load_chart, person_weeks, split_chart
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.planning_forms import ASSIGN, amount, assignment_from_form, based_on_of
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["router"]

router = APIRouter(prefix="/w/{workspace}/plan")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
Short = Annotated[str, Query(max_length=20)]
STRATEGIES = {"optimal": "the optimal plan", "handbook-rule": "the handbook rule's plan"}
NOTICES = {
    "accepted": "The plan was accepted: every item in it now has its quarter.",
    "settings": "The planning settings were saved. Work out the plan again to see their effect.",
}
_URGENCY_ORDER = {Urgency.URGENT.value: 0, Urgency.HIGH.value: 1}


@dataclass(frozen=True, slots=True)
class DeferredView:
    """A deferred item's reasons as a page lists them: those that hold in every quarter
    first, then each quarter's."""

    id: str
    value: float
    everywhere: tuple[str, ...]
    by_quarter: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def count(self) -> int:
        return len(self.everywhere) + sum(len(texts) for _, texts in self.by_quarter)


def deferred_views(items: Iterable[Deferred]) -> list[DeferredView]:
    views = []
    for item in items:
        quarters: dict[str, list[str]] = {}
        for reason in item.reasons:
            if reason.quarter is not None:
                quarters.setdefault(reason.quarter, []).append(reason.text)
        views.append(
            DeferredView(
                item.id,
                item.value,
                tuple(r.text for r in item.reasons if r.quarter is None),
                tuple((q, tuple(texts)) for q, texts in quarters.items()),
            )
        )
    return views


def _titles(given: PlanningInput) -> dict[str, str]:
    return {key: item.title for key, item in given.items.items()}


def _by_quarter(plan: Plan | None, quarters: tuple[str, ...]) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {q: [] for q in quarters}
    for item in plan.planned if plan else ():
        found.setdefault(item.quarter, []).append(item)
    return found


def _plan_view(given: PlanningInput, plan: Plan) -> dict[str, object]:
    """What a page shows of one plan: items by quarter, team loads as heat cells and chart,
    the split as a chart, and the assignment its accept form sends back."""
    names = {t.team.key: t.team.name for t in given.teams}
    cells = [(names.get(load.team, load.team), heat_cell(load)) for load in plan.loads]
    return {
        "plan": plan,
        "by_quarter": _by_quarter(plan, given.plan.quarters),
        "cells": cells,
        "over": sum(1 for _, cell in cells if cell.over),
        "load_svg": load_chart(plan.loads, names=names),
        "split_svg": split_chart(plan.split),
        "assignment": planning.assignment_of(plan),
        "deferred": deferred_views(plan.deferred),
    }


def _choices(given: PlanningInput, accepted: Plan | None) -> list[tuple[str, str]]:
    """The items an urgent insertion may name (those the planner can plan), most urgent
    first, each with where the accepted plan has it."""
    items = [given.items[c.id] for c in given.plan.candidates if c.id in given.items]

    def label(item: IntakeItem) -> str:
        where = accepted.quarter_of(item.key) if accepted else None
        place = f"planned in {where}" if where else "not planned"
        urgency = "" if item.urgency == Urgency.NORMAL.value else f", {item.urgency}"
        return f"{item.key} {item.title} ({place}{urgency})"

    ordered = sorted(items, key=lambda i: (_URGENCY_ORDER.get(i.urgency, 2), i.number))
    return [(item.key, label(item)) for item in ordered]


def _plan_page(ctx: WorkspaceContext, **extra: object) -> dict[str, object]:
    given, accepted = planning.current(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    kept = accepted.ids() if accepted else frozenset()
    latest = given.latest
    return workspace_page(
        ctx,
        given=given,
        latest=latest,
        accepted=accepted,
        titles=_titles(given),
        strategies=STRATEGIES,
        amount=amount,
        unit=given.settings.value_unit,
        view=_plan_view(given, accepted) if accepted else None,
        # Items the accepted plan holds that can no longer be planned (done, dropped, ...).
        gone=[key for key in (latest.assignment if latest else {}) if key not in kept],
        outside=[c.id for c in given.plan.candidates if c.id not in kept],
        choices=_choices(given, accepted),
        quarters=given.plan.quarters,
        **extra,
    )


def _proposal_page(ctx: WorkspaceContext, **extra: object) -> dict[str, object]:
    """The optimal plan beside the handbook rule's; when no plan exists, the constraints
    that clash (or that the time limit ran out) instead."""
    try:
        run = planning.run(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    except (PlanInfeasible, NoPlanInTime) as failure:
        given, _ = planning.current(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
        conflicts = (
            [c.text for c in failure.conflicts] if isinstance(failure, PlanInfeasible) else []
        )
        return workspace_page(
            ctx,
            given=given,
            run=None,
            conflicts=conflicts,
            failure=failure.message,
            titles=_titles(given),
            unit=given.settings.value_unit,
            **extra,
        )
    given, comparison = run.given, run.comparison
    rule = comparison.rule
    return workspace_page(
        ctx,
        given=given,
        run=run,
        comparison=comparison,
        optimal=_plan_view(given, comparison.optimal),
        rule=_plan_view(given, rule) if rule else None,
        quarters=given.plan.quarters,
        titles=_titles(given),
        unit=given.settings.value_unit,
        strategies=STRATEGIES,
        assign=ASSIGN,
        **extra,
    )


def _insertion_page(
    ctx: WorkspaceContext, item: str, quarter: str, **extra: object
) -> dict[str, object]:
    """What inserting `item` urgently into `quarter` displaces; when it cannot be planned
    there, the constraints that clash instead."""
    if not item.strip():
        raise InvalidInput("choose the urgent item to insert")
    try:
        insertion = planning.insert_urgent(
            ctx.uow, actor=ctx.actor, workspace=ctx.slug, item=item, quarter=quarter or None
        )
    except (PlanInfeasible, NoPlanInTime) as failure:
        given, _ = planning.current(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
        conflicts = (
            [c.text for c in failure.conflicts] if isinstance(failure, PlanInfeasible) else []
        )
        return workspace_page(
            ctx,
            insertion=None,
            item=item,
            quarter=quarter,
            conflicts=conflicts,
            failure=failure.message,
            titles=_titles(given),
            **extra,
        )
    d = insertion.displacement
    given = insertion.given
    urgent = given.items[d.urgent]
    return workspace_page(
        ctx,
        insertion=insertion,
        d=d,
        urgent=urgent,
        was=d.before.quarter_of(d.urgent),
        rescheduled=list(d.rescheduled),
        displaced=deferred_views(d.displaced),
        titles=_titles(given),
        team_names={t.team.key: t.team.name for t in given.teams},
        unit=given.settings.value_unit,
        after=_plan_view(given, d.after),
        based_on=given.based_on,
        assign=ASSIGN,
        pw=person_weeks,
        **extra,
    )


def _stale(exc: QuarterdeckError) -> str:
    if isinstance(exc, Conflict):
        return f"{exc.message}. Nothing was accepted; below is the plan as it stands now."
    return exc.message


@router.get("", response_class=HTMLResponse, name="plan")
def show(request: Request, ctx: ReaderDep, done: str = "") -> Response:
    return render(request, "plan.html", _plan_page(ctx, notice=NOTICES.get(done, "")))


@router.get("/proposal", response_class=HTMLResponse, name="plan_proposal")
def proposal(request: Request, ctx: ReaderDep) -> Response:
    """Work out the plan now; nothing is saved until someone accepts it."""
    return render(request, "plan_proposal.html", _proposal_page(ctx))


@router.post("/accept", name="plan_accept")
def accept(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Accept the plan the proposal showed: `strategy`, `based_on` and its `assign-<key>`
    fields, with an optional `note`."""
    try:
        planning.accept(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            based_on=based_on_of(fields),
            assignment=assignment_from_form(fields),
            strategy=fields.get("strategy", "")[:40],
            note=fields.get("note", "")[:2_001],
        )
    except QuarterdeckError as exc:
        page = _proposal_page(ctx, error=_stale(exc), note=fields.get("note", "")[:2_001])
        raise PageError("plan_proposal.html", page, status_code=status_for(exc)) from exc
    target = request.url_for("plan", workspace=ctx.slug).include_query_params(done="accepted")
    return RedirectResponse(target, status_code=303)


@router.get("/insert", response_class=HTMLResponse, name="plan_insertion")
def insertion(request: Request, ctx: ReaderDep, item: Short = "", quarter: Short = "") -> Response:
    """What inserting `item` urgently into `quarter` would displace; nothing is saved."""
    try:
        page = _insertion_page(ctx, item, quarter)
    except QuarterdeckError as exc:
        raise PageError(
            "plan.html", _plan_page(ctx, error=exc.message), status_code=status_for(exc)
        ) from exc
    return render(request, "plan_insert.html", page)


def _accept_insertion(ctx: WorkspaceContext, fields: Mapping[str, str]) -> int:
    _, decision = planning.accept_insertion(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        item=fields.get("item", "")[:20],
        quarter=fields.get("quarter", "").strip()[:10] or None,
        based_on=based_on_of(fields),
        assignment=assignment_from_form(fields),
        note=fields.get("note", "")[:2_001],
    )
    return decision.number


@router.post("/insert", name="plan_accept_insertion")
def accept_insertion(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Accept the insertion shown (`item`, `quarter`, `based_on`, its `assign-<key>` fields
    and a `note`): the re-plan becomes the plan and a decision records what it displaced.
    Answers with the decision's page."""
    try:
        number = _accept_insertion(ctx, fields)
    except QuarterdeckError as exc:
        item, quarter = fields.get("item", "")[:20], fields.get("quarter", "")[:10]
        try:
            page = _insertion_page(
                ctx, item, quarter, error=_stale(exc), note=fields.get("note", "")[:2_001]
            )
            template = "plan_insert.html"
        except QuarterdeckError as again:
            page, template = _plan_page(ctx, error=again.message), "plan.html"
        raise PageError(template, page, status_code=status_for(exc)) from exc
    target = request.url_for("decision", workspace=ctx.slug, number=f"D-{number}")
    return RedirectResponse(target, status_code=303)
