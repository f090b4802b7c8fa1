"""Bodies of the assessments API: a sitting taken (every statement rated), and what it
comes to: the mean per area, strengths, gaps, development priorities and the change since
the person's previous sitting of the same assessment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from quarterdeck.domain.assessments import RATING_MAX, RATING_MIN, AreaChange, AreaScore
from quarterdeck.services.assessments import Sitting

__all__ = ["ShareIn", "SharedSittingOut", "SittingOut", "TakeIn"]

KEY = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TakeIn(_Strict):
    assessment: str = Field(max_length=48, pattern=KEY, description="The assessment's key.")
    ratings: dict[Annotated[str, Field(max_length=48)], StrictInt] = Field(
        max_length=200,
        description=f"Every statement's key -> a whole number from {RATING_MIN} (rarely "
        f"true of me) to {RATING_MAX} (consistently true of me).",
    )
    aiming_for: str = Field(
        default="",
        max_length=48,
        pattern=rf"{KEY}|^$",
        description="The kind of leader you aim to be (a role key); empty: none.",
    )


class ShareIn(_Strict):
    workspace: str | None = Field(
        max_length=48,
        description="A workspace you belong to, whose members may then read the sitting; "
        "null makes it private again.",
    )


class AreaScoreOut(BaseModel):
    key: str
    name: str
    mean: Decimal = Field(description="The mean rating of its statements, two decimals.")
    strength: bool
    gap: bool

    @classmethod
    def of(cls, scored: AreaScore) -> AreaScoreOut:
        return cls(
            key=scored.area.key,
            name=scored.area.name,
            mean=scored.mean,
            strength=scored.is_strength,
            gap=scored.is_gap,
        )


class PriorityOut(AreaScoreOut):
    development: list[str] = Field(description="How to develop the area.")

    @classmethod
    def of_priority(cls, scored: AreaScore) -> PriorityOut:
        return cls.model_validate(
            {**AreaScoreOut.of(scored).model_dump(), "development": list(scored.area.development)}
        )


class ChangeOut(BaseModel):
    key: str
    name: str
    earlier: Decimal
    later: Decimal
    change: Decimal = Field(description="Later minus earlier.")

    @classmethod
    def of(cls, moved: AreaChange) -> ChangeOut:
        return cls(
            key=moved.area.key,
            name=moved.area.name,
            earlier=moved.earlier,
            later=moved.later,
            change=moved.change,
        )


class SittingOut(BaseModel):
    id: int
    assessment: str
    assessment_name: str
    aiming_for: str = Field(description="The kind of leader aimed for; empty: none.")
    taken_at: datetime
    shared_with: str | None = Field(description="The workspace it is shared with, or null.")
    ratings: dict[str, int]
    areas: list[AreaScoreOut] = Field(description="In the assessment's order.")
    strengths: list[str] = Field(description="Areas with a mean of 4 or more.")
    gaps: list[str] = Field(description="Areas with a mean below 3.")
    priorities: list[PriorityOut] = Field(description="The lowest gaps, lowest first.")
    since_previous: list[ChangeOut] | None = Field(
        description="The change in every area since the previous sitting; null for the first."
    )

    @classmethod
    def of(cls, sitting: Sitting) -> SittingOut:
        take, result = sitting.take, sitting.result
        changes = sitting.since_previous
        return cls(
            id=take.id,
            assessment=take.assessment,
            assessment_name=sitting.assessment.name,
            aiming_for=take.aiming_for,
            taken_at=take.taken_at,
            shared_with=sitting.shared_with_slug,
            ratings=dict(take.ratings),
            areas=[AreaScoreOut.of(scored) for scored in result.areas],
            strengths=[scored.area.key for scored in result.strengths],
            gaps=[scored.area.key for scored in result.gaps],
            priorities=[PriorityOut.of_priority(scored) for scored in result.priorities],
            since_previous=None if changes is None else [ChangeOut.of(c) for c in changes],
        )


class SharedSittingOut(BaseModel):
    taken_by: str = Field(description="The member who took and shared it.")
    sitting: SittingOut
