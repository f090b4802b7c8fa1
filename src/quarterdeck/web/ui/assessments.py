"""The assessment pages: the catalog beside the signed-in person's own sittings, the form
that takes an assessment (every statement rated 1 to 5, grouped by area, and the kind of
leader they aim to be), a sitting's result (radar chart with the previous sitting as an
outline, strengths, gaps, development priorities with suggestions, change since the
previous sitting) with the form that shares it with one of their workspaces or keeps it
private; and, inside a workspace, the sittings its members have shared with it.

A sitting is its taker's: anyone else's answers 404, shared or not; shared sittings are
read only through the workspace they were shared with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.assessments import Assessment
from quarterdeck.domain.errors import InvalidInput, NotFound, QuarterdeckError
from quarterdeck.services import assessments, workspaces
from quarterdeck.services.assessments import Sitting
from quarterdeck.web.policies import ReaderDep, Signed, SignedInDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.assessment_forms import (
    RATINGS,
    area_rows,
    ratings_from,
    sitting_id,
    workspace_choice,
)
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.radar_chart import radar
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["router"]

router = APIRouter()
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
NOTICES = {
    "taken": "Your sitting is saved. Only you can see it until you share it with a workspace.",
    "shared": "The sitting is shared: members of that workspace can read it there.",
    "private": "The sitting is private again: only you can see it.",
}


def _assessment(key: str) -> Assessment:
    """The assessment named in the address; NotFound for an unknown key."""
    catalog = assessment_catalog()
    if key not in catalog.keys:
        raise NotFound(f"there is no assessment {key[:48]!r}; see the list of assessments")
    return catalog.assessment(key)


def _take_id(take_id: str) -> int:
    return sitting_id(take_id)


AssessmentDep = Annotated[Assessment, Depends(_assessment)]
TakeIdDep = Annotated[int, Depends(_take_id)]


def _personal(signed: Signed, **extra: object) -> dict[str, object]:
    return {"actor": signed.actor, "csrf_token": signed.csrf_token, **extra}


def _kind_names() -> dict[str, str]:
    return {kind.key: kind.name for kind in role_catalog().kinds}


def _chart(sitting: Sitting, label: str) -> Markup:
    earlier = None
    if sitting.since_previous is not None:
        earlier = [change.earlier for change in sitting.since_previous]
    return radar(
        [(scored.area.name, scored.mean) for scored in sitting.result.areas],
        label=label,
        earlier=earlier,
    )


def _latest(sittings: Sequence[Sitting]) -> dict[str, tuple[Sitting, int]]:
    """The latest sitting of each assessment and how many there are."""
    latest: dict[str, tuple[Sitting, int]] = {}
    for sitting in sittings:  # oldest first
        key = sitting.take.assessment
        latest[key] = (sitting, latest.get(key, (sitting, 0))[1] + 1)
    return latest


@router.get("/assessments", response_class=HTMLResponse, name="assessments")
def overview(request: Request, signed: SignedInDep) -> Response:
    """Every assessment, with the person's latest sitting of each and all their sittings."""
    mine = assessments.my_sittings(signed.uow, actor=signed.actor)
    page = _personal(
        signed,
        catalog=assessment_catalog().assessments,
        latest=_latest(mine),
        sittings=list(reversed(mine)),
        kinds=_kind_names(),
    )
    return render(request, "assessments.html", page)


def _take_page(
    signed: Signed, assessment: Assessment, form: dict[str, str], **extra: object
) -> dict[str, object]:
    return _personal(
        signed,
        assessment=assessment,
        form=form,
        ratings=RATINGS,
        valid=[str(value) for value in RATINGS],
        kinds=[kind for kind in role_catalog().kinds if not kind.neighbour],
        suggested=set(assessment.role_kinds),
        **extra,
    )


@router.get(
    "/assessments/sittings/{take_id}", response_class=HTMLResponse, name="assessment_sitting"
)
def show_sitting(
    request: Request, signed: SignedInDep, take_id: TakeIdDep, done: str = ""
) -> Response:
    return render(request, "assessment_sitting.html", _sitting_page(signed, take_id, done=done))


def _sitting_page(
    signed: Signed, take_id: int, *, done: str = "", **extra: object
) -> dict[str, object]:
    sitting = assessments.sitting(signed.uow, actor=signed.actor, take_id=take_id)
    taken = sitting.take.taken_at.date().isoformat()
    mine = workspaces.list_visible(signed.uow, actor=signed.actor)
    return _personal(
        signed,
        sitting=sitting,
        chart=_chart(sitting, f"{sitting.assessment.name}, {taken}"),
        rows=area_rows(sitting),
        kinds=_kind_names(),
        member_of=[ws for ws, role in mine if role is not None],
        notice=NOTICES.get(done, ""),
        **extra,
    )


@router.post("/assessments/sittings/{take_id}/share", name="share_sitting")
def share(request: Request, signed: SignedInDep, take_id: TakeIdDep, fields: FieldsDep) -> Response:
    """Share the sitting with one of the person's workspaces, or (no workspace) make it
    private again."""
    chosen = workspace_choice(fields)
    try:
        assessments.share(signed.uow, actor=signed.actor, take_id=take_id, workspace=chosen)
    except QuarterdeckError as exc:
        # A sitting that is not the person's is not found again here, so it answers 404.
        page = _sitting_page(signed, take_id, error=exc.message)
        raise PageError("assessment_sitting.html", page, status_code=status_for(exc)) from exc
    target = request.url_for("assessment_sitting", take_id=str(take_id))
    done = "private" if chosen is None else "shared"
    return RedirectResponse(target.include_query_params(done=done), status_code=303)


@router.get("/assessments/{key}/take", response_class=HTMLResponse, name="take_assessment")
def take_form(request: Request, signed: SignedInDep, assessment: AssessmentDep) -> Response:
    """The statements to rate; the kind aimed for starts as the one chosen last time."""
    earlier = assessments.my_sittings(signed.uow, actor=signed.actor, assessment=assessment.key)
    form = {"aiming_for": earlier[-1].take.aiming_for} if earlier else {}
    return render(request, "assessment_take.html", _take_page(signed, assessment, form))


@router.post("/assessments/{key}/take", name="submit_assessment")
def take(
    request: Request, signed: SignedInDep, assessment: AssessmentDep, fields: FieldsDep
) -> Response:
    """Store the sitting; refused, the form comes back with the ratings given and every
    statement left unrated named, and nothing is saved."""
    try:
        sitting = assessments.take(
            signed.uow,
            actor=signed.actor,
            assessment=assessment.key,
            ratings=ratings_from(fields, assessment),
            aiming_for=fields.get("aiming_for", "").strip(),
        )
    except QuarterdeckError as exc:
        if not isinstance(exc, InvalidInput):
            raise
        page = _take_page(signed, assessment, fields, error=exc.message)
        raise PageError("assessment_take.html", page, status_code=status_for(exc)) from exc
    target = request.url_for("assessment_sitting", take_id=str(sitting.take.id))
    return RedirectResponse(target.include_query_params(done="taken"), status_code=303)


@router.get("/w/{workspace}/assessments", response_class=HTMLResponse, name="workspace_assessments")
def shared(request: Request, ctx: ReaderDep) -> Response:
    """The sittings members have shared with the workspace, newest first."""
    found = assessments.shared_in(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    entries = [
        (
            who,
            sitting,
            _chart(sitting, f"{who}: {sitting.assessment.name}"),
            area_rows(sitting),
        )
        for who, sitting in reversed(found)
    ]
    page = workspace_page(ctx, entries=entries, kinds=_kind_names())
    return render(request, "assessments_shared.html", page)
