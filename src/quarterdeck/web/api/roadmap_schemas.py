"""Bodies of the roadmap API: outcomes (a measurable target by a quarter) under their
themes, the initiatives serving each, and the tech roadmap."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.domain.planning import Kind
from quarterdeck.domain.portfolio import IntakeItem, Outcome
from quarterdeck.services.roadmap import Roadmap
from quarterdeck.web.api.portfolio_schemas import KEY, NewOrVersion, Quarter

__all__ = ["InitiativeOut", "OutcomeIn", "OutcomeOut", "RoadmapOut"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OutcomeIn(_Strict):
    version: NewOrVersion
    theme: str = Field(min_length=1, max_length=120)
    title: str = Field(min_length=1, max_length=200)
    metric: str = Field(min_length=1, max_length=64, pattern=KEY, description="A metric key.")
    target: str = Field(min_length=1, max_length=120, description="Like '35 % by June'.")
    quarter: Quarter


class OutcomeOut(BaseModel):
    key: str
    theme: str
    title: str
    metric: str
    target: str
    quarter: str
    version: int

    @classmethod
    def of(cls, o: Outcome) -> OutcomeOut:
        return cls(
            key=o.key,
            theme=o.theme,
            title=o.title,
            metric=o.metric,
            target=o.target,
            quarter=o.quarter,
            version=o.version,
        )


class InitiativeOut(BaseModel):
    """An intake item as the roadmap shows it."""

    key: str
    title: str
    kind: Kind
    status: str
    urgency: str
    outcome_key: str = Field(description="The outcome it serves; empty: none yet.")
    primary_metric: str
    guardrail_metric: str
    planned_quarter: str = Field(description="Its quarter in the accepted plan; empty: none.")

    @classmethod
    def of(cls, item: IntakeItem) -> InitiativeOut:
        return cls(
            key=item.key,
            title=item.title,
            kind=Kind(item.kind),
            status=item.status,
            urgency=item.urgency,
            outcome_key=item.outcome_key,
            primary_metric=item.primary_metric,
            guardrail_metric=item.guardrail_metric,
            planned_quarter=item.planned_quarter,
        )


def _initiatives(items: Sequence[IntakeItem]) -> list[InitiativeOut]:
    return [InitiativeOut.of(item) for item in items]


class OutcomeLineOut(OutcomeOut):
    initiatives: list[InitiativeOut] = Field(description="Items serving it (dropped ones not).")


class ThemeOut(BaseModel):
    name: str
    outcomes: list[OutcomeLineOut]


class RoadmapOut(BaseModel):
    themes: list[ThemeOut] = Field(description="The outcome roadmap: themes, outcomes, work.")
    tech: list[InitiativeOut] = Field(
        description="The tech roadmap: open platform investments and the outcome each serves."
    )
    unlinked: list[InitiativeOut] = Field(description="Open items serving no outcome yet.")

    @classmethod
    def of(cls, found: Roadmap) -> RoadmapOut:
        return cls(
            themes=[
                ThemeOut(
                    name=theme.name,
                    outcomes=[
                        OutcomeLineOut(
                            **OutcomeOut.of(line.outcome).model_dump(),
                            initiatives=_initiatives(line.initiatives),
                        )
                        for line in theme.outcomes
                    ],
                )
                for theme in found.themes
            ],
            tech=_initiatives(found.tech),
            unlinked=_initiatives(found.unlinked),
        )
