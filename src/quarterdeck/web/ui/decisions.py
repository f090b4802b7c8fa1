"""The decision log pages: the log, one decision with its history and actions, the new and
edit forms, the diff between two revisions, and the decisions due for revisit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import URL

from quarterdeck.domain.decisions import Decision, DecisionContent, DecisionStatus, display_number
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput, QuarterdeckError
from quarterdeck.reports.markdown import render_markdown
from quarterdeck.services import decisions, rights
from quarterdeck.web.policies import MAX_ROW_ID, ReaderDep, WorkspaceContext, WriterDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.decision_forms import (
    FIELD_LABELS,
    REVERSIBILITY_LABELS,
    content_from_form,
    form_values,
    link_groups,
    log_filter,
    option_rows,
    other_number,
    path_number,
    target_status,
    version_of,
)
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["decision_summary", "router"]

router = APIRouter(prefix="/w/{workspace}/decisions")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
Filter = Annotated[str, Query(max_length=200)]
RevisionNumber = Annotated[int, Query(ge=1, le=MAX_ROW_ID)]


def _number(number: str) -> int:
    return path_number(number)


NumberDep = Annotated[int, Depends(_number)]


def _today(ctx: WorkspaceContext) -> date:
    return ctx.access.workspace.local(ctx.uow.now()).date()


def _areas(ctx: WorkspaceContext, current: str = "") -> dict[str, object]:
    """The area choices (the catalog's and the workspace's own, plus a key already on the
    decision that is no longer known) and their names."""
    in_force = rights.effective(ctx.uow, ctx.access.workspace)
    names = {area.key: area.name for area in rights.all_areas(in_force)}
    choices = dict(names) | ({current: current} if current and current not in names else {})
    return {"area_names": names, "area_choices": choices, "statuses": list(DecisionStatus)}


def _rights_panel(ctx: WorkspaceContext, decision: Decision) -> dict[str, object]:
    """Who had the right to decide: the area's owners and the rest of its matrix row with
    the members holding each role, where the decision waits or who decided it, and whether
    the reader may accept or reject it (and if not, why)."""
    view = rights.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    row = view.rights.matrix.as_mapping().get(decision.content.area, {})
    people = [
        (
            view.role_name(role),
            involvement.value,
            [m.display_name or m.email for m in view.holders(role)],
        )
        for role, involvement in row.items()
    ]
    may_decide, refusal = False, ""
    if ctx.access.can_write and decision.status is DecisionStatus.PROPOSED:
        try:
            decisions.standing(ctx.uow, ctx.actor, ctx.access.workspace, decision)
            may_decide = True
        except Forbidden as exc:
            refusal = exc.message
    awaiting = decision.awaiting
    return {
        "rights_row": people,
        "awaiting_name": None if awaiting is None else view.role_name(awaiting),
        "awaiting_holders": []
        if awaiting is None
        else [m.display_name or m.email for m in view.holders(awaiting)],
        "route_names": {
            note.route_to: view.role_name(note.route_to) for note in decision.escalations
        },
        "may_decide": may_decide,
        "refusal": refusal,
    }


def _sections(content: DecisionContent) -> list[tuple[str, Markup]]:
    texts = [(name, getattr(content, name)) for name in ("context", "decision", "rationale")]
    texts.append(("consequences", content.consequences))
    # Marked safe only after render_markdown has sanitized it.
    return [(FIELD_LABELS[n], Markup(render_markdown(t))) for n, t in texts if t.strip()]  # noqa: S704


def _decision_page(ctx: WorkspaceContext, number: int, **extra: object) -> dict[str, object]:
    decision = decisions.get(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    successors: list[Decision] = []
    if ctx.access.can_write and decision.status is DecisionStatus.ACCEPTED:
        where = decisions.DecisionFilter(status=DecisionStatus.ACCEPTED, limit=500)
        found, _ = decisions.search(ctx.uow, actor=ctx.actor, workspace=ctx.slug, where=where)
        successors = [d for d in found if d.number != number]
    return workspace_page(
        ctx,
        decision=decision,
        content=decision.content,
        sections=_sections(decision.content),
        links=link_groups(decision),
        revisions=decisions.history(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number),
        successors=successors,
        reversibilities=REVERSIBILITY_LABELS,
        waiting=ctx.uow.now() - decision.created_at,
        **_rights_panel(ctx, decision),
        **_areas(ctx),
        **extra,
    )


def _form_page(
    ctx: WorkspaceContext, form: dict[str, str], decision: Decision | None = None, **extra: object
) -> dict[str, object]:
    return workspace_page(
        ctx,
        form=form,
        rows=option_rows(form),
        decision=decision,
        reversibilities=REVERSIBILITY_LABELS,
        **_areas(ctx, form.get("area", "")),
        **extra,
    )


def _refused(ctx: WorkspaceContext, number: int, exc: QuarterdeckError) -> PageError:
    """The decision page again, as it is now, with the reason the action was refused."""
    message = exc.message
    if isinstance(exc, Conflict):
        message += ". Nothing was changed; the page now shows the current decision."
    page = _decision_page(ctx, number, error=message)
    return PageError("decision.html", page, status_code=status_for(exc))


def _check_fresh(ctx: WorkspaceContext, number: int, fields: dict[str, str]) -> None:
    """The page's version against the stored one, so a stale form is refused as stale (409)
    before any rule is checked; linking saves no revision, so it has no check of its own."""
    current = decisions.get(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    if current.version != version_of(fields):
        raise Conflict(
            f"{current.key} was changed by someone else since version "
            f"{fields.get('version', '?')[:12]}; reload it and apply your change again"
        )


def _to_decision(request: Request, ctx: WorkspaceContext, number: int) -> Response:
    target = request.url_for("decision", workspace=ctx.slug, number=str(number))
    return RedirectResponse(target, status_code=303)


def _log_links(
    request: Request, ctx: WorkspaceContext, params: dict[str, str]
) -> Callable[..., URL]:
    base = request.url_for("decisions", workspace=ctx.slug)

    def link(**changes: object) -> URL:
        merged = {**params, **{k: str(v) for k, v in changes.items()}}
        # Empty filters and the first page's offset stay out of the address.
        kept = {k: v for k, v in merged.items() if v and not (k == "offset" and v == "0")}
        return base.include_query_params(**kept)

    return link


@router.get("", response_class=HTMLResponse, name="decisions")
def log(
    request: Request,
    ctx: ReaderDep,
    status: Filter = "",
    area: Filter = "",
    decider: Filter = "",
    tag: Filter = "",
    q: Filter = "",
    sort: Annotated[str, Query(max_length=20)] = "-number",
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> Response:
    params = {"status": status, "area": area, "decider": decider, "tag": tag, "q": q}
    where = log_filter(
        status=status, area=area, decider=decider, tag=tag, text=q, sort=sort, offset=offset
    )
    found, total = decisions.search(ctx.uow, actor=ctx.actor, workspace=ctx.slug, where=where)
    links = _log_links(request, ctx, {**params, "sort": sort})
    page = workspace_page(
        ctx, found=found, total=total, where=where, params=params, today=_today(ctx), **_areas(ctx)
    )
    return render(request, "decisions.html", {**page, "log_url": links})


@router.get("/new", response_class=HTMLResponse, name="new_decision")
def new_form(request: Request, ctx: WriterDep) -> Response:
    return render(request, "decision_form.html", _form_page(ctx, {}))


@router.post("", name="record_decision")
def record(request: Request, ctx: WriterDep, fields: FieldsDep) -> Response:
    """Record a proposed decision from the form; a refused form comes back with what was typed
    and the problems named, and nothing is saved."""
    try:
        content = content_from_form(fields)
        saved = decisions.record(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            content=content,
            accept=fields.get("accept_now") == "yes",
        )
    except QuarterdeckError as exc:
        page = _form_page(ctx, fields, error=exc.message)
        raise PageError("decision_form.html", page, status_code=status_for(exc)) from exc
    return _to_decision(request, ctx, saved.number)


@router.get("/due", response_class=HTMLResponse, name="decisions_due")
def due(request: Request, ctx: ReaderDep) -> Response:
    today = _today(ctx)
    found = decisions.due_for_revisit(ctx.uow, actor=ctx.actor, workspace=ctx.slug, on=today)
    return render(
        request, "decisions_due.html", workspace_page(ctx, found=found, today=today, **_areas(ctx))
    )


@router.get("/queue", response_class=HTMLResponse, name="decision_queue")
def queue(request: Request, ctx: ReaderDep) -> Response:
    """The approval queue: decisions waiting for an approver, per role, oldest first, with
    the reader's own share on top, and the bottleneck signals (latency, delegation hints)."""
    entries = decisions.queue(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    view = rights.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    mine = rights.leadership_roles(ctx.uow, ctx.actor, ctx.access.workspace)
    groups: dict[str, list[decisions.QueueEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.decision.awaiting or "", []).append(entry)
    signals = decisions.signals(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    labels = {m.email: m.display_name or m.email for m in view.members}
    hints = [
        h.message(approver_label=labels.get(h.approver), area_label=view.area_name(h.area))
        for h in signals.hints
    ]
    page = workspace_page(
        ctx,
        groups=[
            (
                role,
                view.role_name(role),
                [m.display_name or m.email for m in view.holders(role)],
                items,
            )
            for role, items in groups.items()
        ],
        mine=[e for e in entries if e.decision.awaiting in mine],
        my_roles=[view.role_name(role) for role in sorted(mine)],
        total=len(entries),
        signals=signals,
        hints=hints,
        **_areas(ctx),
    )
    return render(request, "decision_queue.html", page)


@router.get("/{number}", response_class=HTMLResponse, name="decision")
def show(request: Request, ctx: ReaderDep, number: NumberDep) -> Response:
    return render(request, "decision.html", _decision_page(ctx, number))


@router.get("/{number}/edit", response_class=HTMLResponse, name="edit_decision")
def edit_form(request: Request, ctx: WriterDep, number: NumberDep) -> Response:
    decision = decisions.get(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    if decision.status is not DecisionStatus.PROPOSED:
        raise InvalidInput(
            f"{decision.key} is {decision.status.value}; change it by superseding or amending "
            "it with a new decision"
        )
    page = _form_page(ctx, form_values(decision.content), decision, version=decision.version)
    return render(request, "decision_form.html", page)


@router.post("/{number}/edit", name="save_decision")
def save(request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep) -> Response:
    """Save the edit form as a new revision, keeping the earlier text. A stale form answers 409
    and shows the stored decision, so a second click cannot overwrite the other change."""
    try:
        decisions.edit(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            number=number,
            expected_version=version_of(fields),
            content=content_from_form(fields),
        )
    except QuarterdeckError as exc:
        raise _edit_refused(ctx, number, fields, exc) from exc
    return _to_decision(request, ctx, number)


def _edit_refused(
    ctx: WorkspaceContext, number: int, fields: dict[str, str], exc: QuarterdeckError
) -> PageError:
    current = decisions.get(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    if isinstance(exc, Conflict):
        message = f"{exc.message}. Your changes were not saved; the form now shows the stored one."
        page = _form_page(
            ctx, form_values(current.content), current, version=current.version, error=message
        )
    else:
        page = _form_page(ctx, fields, current, version=fields.get("version"), error=exc.message)
    return PageError("decision_form.html", page, status_code=status_for(exc))


@router.post("/{number}/status", name="decide_decision")
def decide(request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep) -> Response:
    """Accept, reject or deprecate from the decision page; illegal moves are refused with the
    allowed ones named, and a stale page answers 409."""
    try:
        _check_fresh(ctx, number, fields)  # before the lifecycle check: stale is stale
        decisions.decide(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            number=number,
            expected_version=version_of(fields),
            to=target_status(fields),
        )
    except QuarterdeckError as exc:
        raise _refused(ctx, number, exc) from exc
    return _to_decision(request, ctx, number)


@router.post("/{number}/superseded-by", name="supersede_decision")
def supersede(request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep) -> Response:
    """Mark this accepted decision as replaced by another accepted one (the `other` field)."""
    try:
        _check_fresh(ctx, number, fields)
        by = other_number(fields)
        decisions.supersede(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, by=by)
    except QuarterdeckError as exc:
        raise _refused(ctx, number, exc) from exc
    return _to_decision(request, ctx, number)


@router.post("/{number}/amended-by", name="amend_decision")
def amend(request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep) -> Response:
    """Record that another decision (the `other` field) amends this accepted one."""
    try:
        _check_fresh(ctx, number, fields)
        by = other_number(fields)
        decisions.amend(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, by=by)
    except QuarterdeckError as exc:
        raise _refused(ctx, number, exc) from exc
    return _to_decision(request, ctx, number)


@router.post("/{number}/relates-to", name="relate_decision")
def relate(request: Request, ctx: WriterDep, number: NumberDep, fields: FieldsDep) -> Response:
    """Note that this decision relates to another; both pages show the link."""
    try:
        _check_fresh(ctx, number, fields)
        to = other_number(fields)
        decisions.relate(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, to=to)
    except QuarterdeckError as exc:
        raise _refused(ctx, number, exc) from exc
    return _to_decision(request, ctx, number)


@router.get("/{number}/diff", response_class=HTMLResponse, name="decision_diff")
def diff(
    request: Request, ctx: ReaderDep, number: NumberDep, old: RevisionNumber, new: RevisionNumber
) -> Response:
    revisions = decisions.history(ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number)
    changes = decisions.diff(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, number=number, old=old, new=new
    )
    page = workspace_page(
        ctx,
        key=display_number(number),
        number=number,
        revisions=revisions,
        by_number={r.revision: r for r in revisions},
        changes=changes,
        old=old,
        new=new,
        labels=FIELD_LABELS,
    )
    return render(request, "decision_diff.html", page)


def decision_summary(ctx: WorkspaceContext) -> dict[str, object]:
    """The dashboard's decision log card: how many decisions in each status, how many are
    due for revisit today in the workspace's time zone, and how many wait for approval."""
    counts: dict[str, int] = {}

    def count(where: decisions.DecisionFilter) -> int:
        _, total = decisions.search(ctx.uow, actor=ctx.actor, workspace=ctx.slug, where=where)
        return total

    for status in DecisionStatus:
        counts[status.value] = count(decisions.DecisionFilter(status=status, limit=1))
    due = count(
        decisions.DecisionFilter(
            status=DecisionStatus.ACCEPTED, due_on_or_before=_today(ctx), limit=1
        )
    )
    waiting = count(
        decisions.DecisionFilter(status=DecisionStatus.PROPOSED, in_a_queue=True, limit=1)
    )
    return {"counts": counts, "total": sum(counts.values()), "due": due, "waiting": waiting}
