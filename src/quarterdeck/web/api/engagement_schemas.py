"""Bodies of the engagements API: how a fractional, part-time or interim leader is engaged
with a client workspace, the red-flag check made before engaging, and the overview a
leader with several clients reads."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.domain.engagements import RED_FLAGS, EngagementModel, PricingBasis, Verdict
from quarterdeck.services.engagements import EngagementView, Overview
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = ["EngagementIn", "EngagementOut", "OverviewOut"]

Number = Annotated[
    Decimal,
    Field(
        allow_inf_nan=False,
        ge=0,
        lt=10**15,
        decimal_places=6,
        description="A number, or a string holding one.",
    ),
]
Lines = Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=30)]


class MilestoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    due: date


class EngagementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        strict=True,
        ge=0,
        le=MAX_ROW_ID,
        description="0 records a new engagement; otherwise the version you read (stale "
        "answers 409).",
    )
    model: EngagementModel
    starts_on: date
    ends_on: date | None = Field(
        default=None, description="Needed for interim, time-boxed and assessment-sprint ones."
    )
    hours_per_week: Number = Field(description="Above 0, at most 60.")
    pricing_basis: PricingBasis
    amount: Number = Field(description="The price per hour, day or month of the basis.")
    currency: str = Field(min_length=3, max_length=3, description="A code like EUR.")
    sponsor: str = Field(default="", max_length=120, description="Who owns the engagement.")
    owns: Lines = []
    does_not_own: Lines = []
    out_of_scope: Lines = []
    decision_rights: Annotated[
        list[Annotated[str, Field(max_length=48)]], Field(max_length=100)
    ] = Field(default=[], description="Keys of the decision areas the leader decides.")
    red_flags: dict[Annotated[str, Field(max_length=48)], bool] = Field(
        default={},
        max_length=len(RED_FLAGS),
        description=f"Answers to the red-flag check: {', '.join(RED_FLAGS)}.",
    )
    milestones: Annotated[list[MilestoneIn], Field(max_length=30)] = []


class MilestoneOut(BaseModel):
    title: str
    due: date


class RaisedOut(BaseModel):
    flag: str
    name: str
    why: str = Field(description="answered yes, or what in the engagement raises it.")


class CheckOut(BaseModel):
    verdict: Verdict
    summary: str
    raised: list[RaisedOut]


class EngagementOut(BaseModel):
    leader: str = Field(description="The leader's email.")
    leader_name: str
    model: EngagementModel
    starts_on: date
    ends_on: date | None
    hours_per_week: Decimal
    pricing_basis: PricingBasis
    amount: Decimal
    currency: str
    sponsor: str
    owns: list[str]
    does_not_own: list[str]
    out_of_scope: list[str]
    decision_rights: list[str]
    red_flags: dict[str, bool]
    milestones: list[MilestoneOut] = Field(description="By due date.")
    next_milestone: MilestoneOut | None = Field(description="The first due today or later.")
    check: CheckOut = Field(description="The red-flag check and its verdict.")
    version: int
    updated_at: datetime

    @classmethod
    def of(cls, view: EngagementView, today: date) -> EngagementOut:
        record, scope = view.record, view.record.scope
        upcoming = view.next_milestone(today)
        return cls(
            leader=view.leader_email,
            leader_name=view.leader_name,
            model=EngagementModel(record.model),
            starts_on=record.starts_on,
            ends_on=record.ends_on,
            hours_per_week=record.hours_per_week,
            pricing_basis=PricingBasis(record.pricing_basis),
            amount=record.amount,
            currency=record.currency,
            sponsor=record.sponsor,
            owns=list(scope.get("owns", [])),
            does_not_own=list(scope.get("does_not_own", [])),
            out_of_scope=list(scope.get("out_of_scope", [])),
            decision_rights=list(record.decision_rights),
            red_flags=dict(record.red_flags),
            milestones=[MilestoneOut.model_validate(m) for m in record.milestones],
            next_milestone=None if upcoming is None else MilestoneOut.model_validate(upcoming),
            check=CheckOut(
                verdict=view.check.verdict,
                summary=view.check.summary,
                raised=[
                    RaisedOut(flag=flag, name=RED_FLAGS[flag], why=why)
                    for flag, why in view.check.raised
                ],
            ),
            version=record.version,
            updated_at=record.updated_at,
        )


class ClientOut(BaseModel):
    workspace: str = Field(description="The client workspace's slug.")
    workspace_name: str
    engagement: EngagementOut


class OverviewOut(BaseModel):
    clients: list[ClientOut] = Field(description="By workspace name.")
    hours_per_week: Decimal = Field(description="Committed across the clients.")
    red_flags: int = Field(description="Raised across the clients.")

    @classmethod
    def of(cls, overview: Overview, today: date) -> OverviewOut:
        return cls(
            clients=[
                ClientOut(
                    workspace=line.workspace.slug,
                    workspace_name=line.workspace.name,
                    engagement=EngagementOut.of(line.engagement, today),
                )
                for line in overview.clients
            ],
            hours_per_week=overview.hours_per_week,
            red_flags=overview.red_flags,
        )
