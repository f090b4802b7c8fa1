"""Bodies of the role advisor API: the questions it asks, the answers it is given, and the
advice it gives back with every reason traced to its rule."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt

from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.advisor import Advice, KindScore
from quarterdeck.domain.questionnaires import FIELDS, FieldKind, Questionnaire
from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.web.api.leadership_catalog_schemas import EngagementOut

__all__ = [
    "AdviceOut",
    "AdvisorIn",
    "AnswersOut",
    "BriefIn",
    "QuestionOut",
    "answers_of",
    "questions",
]

Text = Annotated[str, Field(max_length=200)]
Answer = (
    StrictBool
    | StrictInt
    | StrictFloat
    | Text
    | Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=20)]
)
AnswerOut = bool | int | str | list[str]
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Questionnaire)}


def _shape(name: str) -> str:
    spec = FIELDS[name]
    if spec.kind is FieldKind.NUMBER:
        return f"{name} (a whole number, {spec.low:,} to {spec.high:,})"
    if spec.kind is FieldKind.FLAG:
        return f"{name} (true or false)"
    if spec.kind is FieldKind.CHOICE:
        return f"{name} (one of {', '.join(spec.values)})"
    return f"{name} (a list of {', '.join(spec.values)})"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AdvisorIn(_Strict):
    answers: dict[str, Answer] = Field(
        description="Answers by question; stage, headcount and engineers are required, the "
        "others default (GET /advisor/questions). The questions: "
        + "; ".join(_shape(name) for name in FIELDS)
        + "."
    )


class BriefIn(AdvisorIn):
    organisation: str = Field(min_length=1, max_length=120, description="Named in the brief.")
    considered: bool = Field(
        default=False, description="Also list the rules that did not fire, and why."
    )


class QuestionOut(BaseModel):
    name: str = Field(description="The key to answer it under.")
    label: str
    kind: FieldKind
    choices: list[str] = Field(description="For a choice or a list: the answers it takes.")
    low: int | None = Field(description="For a number: the lowest answer.")
    high: int | None
    required: bool
    default: AnswerOut | None = Field(description="What a question left out is taken as.")


def _plain(value: object) -> AnswerOut:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, frozenset):
        return sorted(item.value if isinstance(item, StrEnum) else str(item) for item in value)
    assert isinstance(value, bool | int | str)
    return value


def questions() -> list[QuestionOut]:
    """Every question the advisor asks, in the order it asks them."""
    found = []
    for name, spec in FIELDS.items():
        default = _DEFAULTS[name]
        required = default is dataclasses.MISSING
        number = spec.kind is FieldKind.NUMBER
        found.append(
            QuestionOut(
                name=name,
                label=spec.label,
                kind=spec.kind,
                choices=list(spec.values),
                low=spec.low if number else None,
                high=spec.high if number else None,
                required=required,
                default=None if required else _plain(default),
            )
        )
    return found


def answers_of(given: Questionnaire) -> dict[str, AnswerOut]:
    """The questionnaire as the advisor read it, every question answered."""
    return {name: _plain(getattr(given, name)) for name in FIELDS}


class AnswersOut(BaseModel):
    answers: dict[str, AnswerOut] = Field(
        description="Answers the organisation profile already gives; post them (completed) "
        "to /advisor."
    )

    @classmethod
    def of(cls, answers: Mapping[str, Any]) -> AnswersOut:
        return cls(answers={name: _plain(value) for name, value in answers.items()})


class ContradictionOut(BaseModel):
    rule: str
    title: str
    reason: str


class KindScoreOut(BaseModel):
    kind: str
    name: str
    score: int = Field(description="The sum of the weights of the fired rules naming it.")
    rules: list[str] = Field(description="The fired rules behind the score.")
    ruled_out_by: list[str] = Field(description="The fired rules that set it aside.")

    @classmethod
    def of(cls, score: KindScore) -> KindScoreOut:
        return cls(
            kind=score.kind,
            name=role_catalog().kind(score.kind).name,
            score=score.score,
            rules=list(score.rules),
            ruled_out_by=list(score.ruled_out_by),
        )


class PlanOut(BaseModel):
    key: str
    name: str
    description: str


class SeatOut(BaseModel):
    model: LeadershipModel = Field(description="The decision-rights template it works under.")
    role: str | None = Field(description="Its seat there; null when it advises and holds none.")


class ReasonOut(BaseModel):
    """A rule that fired, and what it did."""

    rule: str
    title: str
    reason: str
    weight: int
    kind: str | None
    engagement: str | None = Field(description="The engagement plan it counts for.")
    rules_out: list[str]
    supports: bool = Field(
        description="Behind the recommended kind or plan, or setting another kind aside."
    )


class NotFiredOut(BaseModel):
    rule: str
    title: str
    unmet: list[str] = Field(description="The conditions that kept it from firing, in words.")


class AdviceOut(BaseModel):
    """With contradictions the advice recommends nothing: fix the answers they name."""

    answers: dict[str, AnswerOut] = Field(description="Every answer as the advisor read it.")
    contradictions: list[ContradictionOut]
    recommended: str | None = Field(description="The kind of leader recommended, or null.")
    recommended_name: str | None
    kinds: list[KindScoreOut] = Field(description="The kinds recommended, best first.")
    ruled_out: list[KindScoreOut]
    plan: PlanOut | None = Field(description="How to engage the recommended kind.")
    engagement: EngagementOut | None = Field(description="Its usual time commitment.")
    seat: SeatOut | None
    out_of_scope: list[str] = Field(description="What the recommended kind does not own.")
    reasons: list[ReasonOut] = Field(description="Every rule that fired, in rule order.")
    not_fired: list[NotFiredOut]

    @classmethod
    def of(cls, given: Questionnaire, advice: Advice) -> AdviceOut:
        supporting = {f.rule for f in advice.supporting}
        recommended = advice.recommended
        return cls(
            answers=answers_of(given),
            contradictions=[
                ContradictionOut(rule=c.rule, title=c.title, reason=c.reason)
                for c in advice.contradictions
            ],
            recommended=recommended,
            recommended_name=role_catalog().kind(recommended).name if recommended else None,
            kinds=[KindScoreOut.of(score) for score in advice.kinds],
            ruled_out=[KindScoreOut.of(score) for score in advice.ruled_out],
            plan=None
            if advice.plan is None
            else PlanOut(
                key=advice.plan.key, name=advice.plan.name, description=advice.plan.description
            ),
            engagement=None if advice.engagement is None else EngagementOut.of(advice.engagement),
            seat=None
            if advice.seat is None
            else SeatOut(model=advice.seat.model, role=advice.seat.role),
            out_of_scope=list(advice.out_of_scope),
            reasons=[
                ReasonOut(
                    rule=f.rule,
                    title=f.title,
                    reason=f.reason,
                    weight=f.weight,
                    kind=f.kind,
                    engagement=f.engagement,
                    rules_out=list(f.rules_out),
                    supports=f.rule in supporting,
                )
                for f in advice.fired
            ],
            not_fired=[
                NotFiredOut(rule=n.rule, title=n.title, unmet=list(n.unmet))
                for n in advice.not_fired
            ],
        )
