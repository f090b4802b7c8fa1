"""The role advisor at /api/v1/advisor: from answers about an organisation to the kind of
technology leader it needs, how to engage them and why, every reason traced to its rule;
and the hiring brief written from the same answers. Running it stores nothing, so anyone
signed in may ask. A workspace's organisation profile gives a first set of answers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from quarterdeck.services import advisor
from quarterdeck.web.api.advisor_schemas import (
    AdviceOut,
    AdvisorIn,
    AnswersOut,
    BriefIn,
    QuestionOut,
    questions,
)
from quarterdeck.web.policies import ReaderDep, SignedInDep

__all__ = ["MEDIA_TYPES", "TEXT_RESPONSES", "FormatQuery", "router"]

router = APIRouter(tags=["advisor"])
TextFormat = Literal["markdown", "html"]
FormatQuery = Annotated[
    TextFormat, Query(alias="format", description="markdown (the default) or html.")
]
MEDIA_TYPES: dict[str, str] = {
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
# How the OpenAPI schema describes an answer that is a document rather than JSON.
TEXT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "Markdown, or sanitized HTML with `format=html`.",
        "content": {"text/markdown": {}, "text/html": {}},
    }
}


@router.get("/advisor/questions", name="api_advisor_questions")
def list_questions(_: SignedInDep) -> list[QuestionOut]:
    """Every question the advisor asks: the key to answer it under, the kind of answer it
    takes (its choices or range), whether it must be answered and what it defaults to."""
    return questions()


@router.post("/advisor", name="api_run_advisor")
def run_advisor(body: AdvisorIn, _: SignedInDep) -> AdviceOut:
    """Judge the answers and store nothing. Answers that cannot all be true are named as
    contradictions, and then nothing is recommended; otherwise the kinds of leader come
    scored, best first, with the engagement plan and time commitment for the first and
    every rule that fired. An unknown question or a bad answer answers 422 naming it."""
    given, advice = advisor.run(body.answers)
    return AdviceOut.of(given, advice)


@router.post(
    "/advisor/brief",
    response_class=Response,
    responses=TEXT_RESPONSES,
    name="api_advisor_brief",
)
def write_brief(
    body: BriefIn,
    _: SignedInDep,
    format_: FormatQuery = "markdown",
) -> Response:
    """The hiring brief for the organisation from the same answers: the kind of leader,
    how to engage them, what they own and do not own, how success is measured, and why.
    Stores nothing."""
    advice = advisor.run(body.answers)[1]
    text = advisor.brief(
        advice,
        organisation=body.organisation,
        html=format_ == "html",
        considered=body.considered,
    )
    return Response(text, media_type=MEDIA_TYPES[format_])


@router.get("/workspaces/{workspace}/advisor/answers", name="api_advisor_answers")
def profile_answers(ctx: ReaderDep) -> AnswersOut:
    """The answers the workspace's organisation profile already gives (stage, headcount,
    engineers, product lines, regulation): complete them and post them to /advisor."""
    return AnswersOut.of(advisor.profile_answers(ctx.uow, actor=ctx.actor, workspace=ctx.slug))
