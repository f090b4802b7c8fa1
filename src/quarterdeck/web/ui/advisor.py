"""The role advisor pages: the questionnaire, and the advice it gives (the kind of leader,
the engagement plan and time commitment, every reason with its rule, the other kinds
weighed and the rules considered), with the hiring brief to read and download.

Running the advisor changes nothing, so the answers travel in the query string and every
page here is a GET. `/advisor` is anyone's; `/w/{workspace}/advisor` starts from the
workspace's organisation profile, and its result lists the playbooks for the recommended
kind, each with a form that starts it in the workspace (editors and owners)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.datastructures import URL
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.advisor import Advice
from quarterdeck.domain.errors import InvalidInput, QuarterdeckError
from quarterdeck.domain.playbooks import Playbook
from quarterdeck.domain.role_kinds import RoleKind
from quarterdeck.domain.workspaces import OrganisationProfile
from quarterdeck.services import advisor, workspaces
from quarterdeck.web.policies import ReaderDep, SignedInDep, WorkspaceContext
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.advisor_forms import (
    Answers,
    asked,
    defaults,
    profile_typed,
    questions,
    read_answers,
)
from quarterdeck.web.ui.rendering import render, templates, workspace_page
from quarterdeck.web.ui.roles import engagement_text, signed_page

__all__ = ["router"]

router = APIRouter()
# The playbook-run pages' route that starts a run: fields `playbook`, `starts_on` and
# optional `owner_<role>`; it answers with the run's page.
START_PLAYBOOK = "start_playbook"
MARKDOWN = "text/markdown; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Result:
    """The advice as the page shows it."""

    advice: Advice
    names: dict[str, str]  # kind key -> name, for every kind the advice mentions
    kind: RoleKind | None
    engagement: str
    seat: str
    brief: Markup


def _seat(advice: Advice) -> str:
    if advice.seat is None:
        return ""
    model = advice.seat.model.label
    if advice.seat.role is None:
        return f"Works under the {model} decision-rights template and advises: it holds no seat."
    role = rights_catalog().role(advice.seat.role).name
    return f"Works under the {model} decision-rights template, in the {role} seat."


def _result(read: Answers, *, organisation: str, profile: OrganisationProfile | None) -> Result:
    _, advice = advisor.run(read.answers)
    roles = role_catalog()
    kind = roles.kind(advice.recommended) if advice.recommended else None
    brief = advisor.brief(advice, organisation=organisation, profile=profile, html=True)
    return Result(
        advice=advice,
        names={k.key: k.name for k in roles.kinds},
        kind=kind,
        engagement=engagement_text(advice.engagement) if advice.engagement else "",
        seat=_seat(advice),
        # Sanitized by the service: the brief escapes typed text and nh3 cleans the HTML.
        brief=Markup(brief),  # noqa: S704
    )


def _downloads(request: Request, names: tuple[str, str], **path: str) -> dict[str, URL]:
    """Links to the brief as Markdown and HTML, carrying the same answers."""
    query = request.url.query
    return {
        "markdown_url": request.url_for(names[0], **path).replace(query=query),
        "html_url": request.url_for(names[1], **path).replace(query=query),
    }


def _answered(
    request: Request, *, organisation: str | None, profile: OrganisationProfile | None
) -> tuple[dict[str, object], int]:
    """The form as sent and, when every answer reads, the advice; else every problem.
    Without an `organisation` the form names it."""
    read = read_answers(request.query_params, with_organisation=organisation is None)
    page: dict[str, object] = {"typed": read.typed, "questions": questions(), "asked": True}
    if read.problems:
        return {**page, "problems": read.problems}, 422
    try:
        result = _result(read, organisation=organisation or read.organisation, profile=profile)
    except QuarterdeckError as exc:
        return {**page, "problems": [exc.message]}, status_for(exc)
    return {**page, "result": result}, 200


@router.get("/advisor", response_class=HTMLResponse, name="advisor")
def advise(request: Request, signed: SignedInDep) -> Response:
    """The questionnaire; with answers in the query string, the advice too."""
    base = signed_page(
        signed,
        with_organisation=True,
        form_action=request.url_for("advisor"),
        visible=[ws for ws, _ in workspaces.list_visible(signed.uow, actor=signed.actor)],
    )
    if not asked(request.query_params):
        page = {**base, "typed": defaults(), "questions": questions(), "asked": False}
        return render(request, "advisor.html", page)
    answered, status = _answered(request, organisation=None, profile=None)
    links = _downloads(request, ("advisor_brief_md", "advisor_brief_html"))
    return render(request, "advisor.html", {**base, **answered, **links}, status_code=status)


def _today(ctx: WorkspaceContext) -> date:
    return ctx.access.workspace.local(ctx.uow.now()).date()


def _playbooks(request: Request, ctx: WorkspaceContext, result: object) -> dict[str, object]:
    """The playbooks for the recommended kind, and where their start forms post."""
    if not isinstance(result, Result) or result.kind is None:
        return {}
    found: tuple[Playbook, ...] = role_catalog().playbooks_for(result.kind.key)
    start = request.url_for(START_PLAYBOOK, workspace=ctx.slug) if ctx.access.can_write else None
    return {"playbooks": found, "start_action": start, "today": _today(ctx)}


@router.get("/w/{workspace}/advisor", response_class=HTMLResponse, name="workspace_advisor")
def advise_workspace(request: Request, ctx: ReaderDep) -> Response:
    """The questionnaire, prefilled from the workspace's organisation profile; with answers
    in the query string, the advice and the playbooks that apply to the recommended kind."""
    action = request.url_for("workspace_advisor", workspace=ctx.slug)
    base = workspace_page(ctx, with_organisation=False, form_action=action)
    if not asked(request.query_params):
        prefill = advisor.profile_answers(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
        page = {**base, "typed": profile_typed(prefill), "questions": questions(), "asked": False}
        return render(request, "advisor.html", page)
    ws = ctx.access.workspace
    answered, status = _answered(request, organisation=ws.name, profile=ws.profile)
    names = ("workspace_advisor_brief_md", "workspace_advisor_brief_html")
    links = _downloads(request, names, workspace=ctx.slug)
    extra = _playbooks(request, ctx, answered.get("result"))
    page = {**base, **answered, **links, **extra}
    return render(request, "advisor.html", page, status_code=status)


def _advice_for_brief(
    request: Request, *, organisation: str | None, profile: OrganisationProfile | None
) -> tuple[Advice, str]:
    """The advice for a download and the organisation's name; InvalidInput names every
    problem with the answers."""
    read = read_answers(request.query_params, with_organisation=organisation is None)
    if read.problems:
        raise InvalidInput("; ".join(read.problems))
    _, advice = advisor.run(read.answers)
    return advice, organisation if organisation is not None else read.organisation


def _file_name(advice: Advice, prefix: str, suffix: str) -> str:
    return f"{prefix}hiring-brief-{advice.recommended or 'no-recommendation'}.{suffix}"


def _markdown(
    advice: Advice, organisation: str, profile: OrganisationProfile | None, prefix: str
) -> Response:
    text = advisor.brief(advice, organisation=organisation, profile=profile)
    disposition = f'attachment; filename="{_file_name(advice, prefix, "md")}"'
    return Response(text, media_type=MARKDOWN, headers={"Content-Disposition": disposition})


def _html(
    request: Request,
    advice: Advice,
    organisation: str,
    profile: OrganisationProfile | None,
    prefix: str,
) -> Response:
    body = advisor.brief(advice, organisation=organisation, profile=profile, html=True)
    response = templates.TemplateResponse(
        request,
        "hiring_brief_document.html",
        {"organisation": organisation, "body": Markup(body)},  # noqa: S704 (sanitized)
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_file_name(advice, prefix, "html")}"'
    )
    return response


@router.get("/advisor/brief.md", name="advisor_brief_md")
def brief_markdown(request: Request, signed: SignedInDep) -> Response:
    """The hiring brief for the answers in the query string, as a Markdown file."""
    advice, organisation = _advice_for_brief(request, organisation=None, profile=None)
    return _markdown(advice, organisation, None, "")


@router.get("/advisor/brief.html", name="advisor_brief_html")
def brief_html(request: Request, signed: SignedInDep) -> Response:
    """The hiring brief for the answers in the query string, as an HTML file."""
    advice, organisation = _advice_for_brief(request, organisation=None, profile=None)
    return _html(request, advice, organisation, None, "")


@router.get("/w/{workspace}/advisor/brief.md", name="workspace_advisor_brief_md")
def workspace_brief_markdown(request: Request, ctx: ReaderDep) -> Response:
    """The workspace's hiring brief for the answers in the query string, as Markdown."""
    ws = ctx.access.workspace
    advice, _ = _advice_for_brief(request, organisation=ws.name, profile=ws.profile)
    return _markdown(advice, ws.name, ws.profile, f"{ws.slug}-")


@router.get("/w/{workspace}/advisor/brief.html", name="workspace_advisor_brief_html")
def workspace_brief_html(request: Request, ctx: ReaderDep) -> Response:
    """The workspace's hiring brief for the answers in the query string, as HTML."""
    ws = ctx.access.workspace
    advice, _ = _advice_for_brief(request, organisation=ws.name, profile=ws.profile)
    return _html(request, advice, ws.name, ws.profile, f"{ws.slug}-")
