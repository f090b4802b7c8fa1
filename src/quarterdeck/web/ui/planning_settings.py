"""The planning settings page: the quarters planned, the target capacity split per quarter
with its bounds, the strategic goals and their weights, the prioritisation method and the
five criteria's weights, the unit values are stated in and the planner's time limit.
Members read; editors change.

The form is saved whole against the version it was loaded with. A refused form shows every
problem with what was typed (a split whose targets do not sum to 100 % is named by its
quarter) and saves nothing; a stale one answers 409 and shows what is stored now."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.domain.errors import Conflict, QuarterdeckError
from quarterdeck.domain.planning import SPLIT_KINDS
from quarterdeck.domain.prioritisation import Method
from quarterdeck.services import portfolio_settings
from quarterdeck.services.portfolio_settings import FIVE_CRITERIA_WEIGHTS
from quarterdeck.web.policies import ReaderDep, WorkspaceContext, WriterDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.planning_forms import (
    Refused,
    goal_rows,
    settings_from_form,
    settings_values,
    split_field,
    split_quarters,
    version_of,
)
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["router"]

router = APIRouter(prefix="/w/{workspace}/plan/settings")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
CRITERIA = {
    "strategic": "Strategic goals served",
    "departmental": "Departmental needs",
    "resources": "Resources available",
    "viability": "Viability",
    "risk": "Risk (lower is better)",
}


def _page(
    ctx: WorkspaceContext,
    typed: dict[str, str] | None = None,
    problems: tuple[str, ...] = (),
    **extra: object,
) -> dict[str, object]:
    settings = portfolio_settings.planning_settings(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    form = typed if typed is not None else settings_values(settings)
    return workspace_page(
        ctx,
        settings=settings,
        form=form,
        goals=goal_rows(form),
        methods=[m.value for m in Method],
        criteria=[(name, CRITERIA.get(name, name)) for name in FIVE_CRITERIA_WEIGHTS],
        kinds=SPLIT_KINDS,
        split_field=split_field,
        split_quarters=split_quarters(form),
        problems=problems,
        **extra,
    )


@router.get("", response_class=HTMLResponse, name="plan_settings")
def show(request: Request, ctx: ReaderDep) -> Response:
    return render(request, "plan_settings.html", _page(ctx))


@router.post("", name="plan_save_settings")
def save(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Save every setting of the form against its `version`."""
    try:
        values = settings_from_form(fields)
        portfolio_settings.set_planning_settings(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            expected_version=version_of(fields),
            **values,
        )
    except QuarterdeckError as exc:
        if isinstance(exc, Conflict):
            stale = f"{exc.message}. Nothing was saved; the form now shows the stored settings."
            page = _page(ctx, problems=(stale,))
        else:
            problems = exc.problems if isinstance(exc, Refused) else (exc.message,)
            page = _page(ctx, typed=fields, problems=problems)
        raise PageError("plan_settings.html", page, status_code=status_for(exc)) from exc
    target = request.url_for("plan", workspace=ctx.slug).include_query_params(done="settings")
    return RedirectResponse(target, status_code=303)
