"""ORM tables of the portfolio: the single intake, the outcome roadmap, teams and people
for the capacity model, the workspace's planning settings and the plans it accepted."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quarterdeck.storage.columns import DecimalText
from quarterdeck.storage.tables import Base

__all__ = [
    "IntakeItemRow",
    "OutcomeRow",
    "PersonRow",
    "PlanRow",
    "PortfolioSettingsRow",
    "TeamRow",
]


class PortfolioSettingsRow(Base):
    """Per workspace: the planning horizon, the strategic goals, the prioritisation model
    and its weights, the target capacity split per quarter, and the value unit."""

    __tablename__ = "portfolio_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), unique=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)  # decimals as text
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]


class TeamRow(Base):
    """A delivery team: its keep-the-lights-on reserve and how many initiatives it may run
    at once."""

    __tablename__ = "portfolio_teams"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    key: Mapped[str] = mapped_column(String(48))
    name: Mapped[str] = mapped_column(String(120))
    reserve_percent: Mapped[Decimal] = mapped_column(DecimalText())
    max_parallel: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PersonRow(Base):
    """Someone in a team: FTE, the dates they join (hiring) and leave, and leave per quarter
    in weeks."""

    __tablename__ = "portfolio_people"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("portfolio_teams.id"))
    name: Mapped[str] = mapped_column(String(120))
    fte: Mapped[Decimal] = mapped_column(DecimalText())
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    leave: Mapped[dict[str, str]] = mapped_column(JSON)  # quarter -> weeks as text
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]


class OutcomeRow(Base):
    """A roadmap outcome: a measurable target by a quarter, under a theme."""

    __tablename__ = "roadmap_outcomes"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    key: Mapped[str] = mapped_column(String(48))
    theme: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(120))
    quarter: Mapped[str] = mapped_column(String(7))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]


class IntakeItemRow(Base):
    """One request in the single intake, from first ask to done or dropped: what it is and
    why, its definition-of-ready checks, scores, effort per team, dependencies, the roadmap
    outcome it serves with its metrics and evidence checkpoints, its cost-benefit figures
    and the quarter the accepted plan gives it."""

    __tablename__ = "intake_items"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16))
    requester: Mapped[str] = mapped_column(String(120))
    department: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    hypothesis: Mapped[str] = mapped_column(Text)
    smallest_bet: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(16))
    urgency_reason: Mapped[str] = mapped_column(Text)
    ready: Mapped[dict[str, bool]] = mapped_column(JSON)
    requires: Mapped[list[int]] = mapped_column(JSON)
    alternative_group: Mapped[str] = mapped_column(String(48))
    mandatory: Mapped[bool] = mapped_column(Boolean)
    pinned_quarter: Mapped[str] = mapped_column(String(7))
    value: Mapped[Decimal] = mapped_column(DecimalText())
    success: Mapped[Decimal] = mapped_column(DecimalText())
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)  # method -> inputs, numbers as text
    effort: Mapped[dict[str, str]] = mapped_column(JSON)  # team key -> person-weeks as text
    outcome_key: Mapped[str] = mapped_column(String(48))
    primary_metric: Mapped[str] = mapped_column(String(64))
    guardrail_metric: Mapped[str] = mapped_column(String(64))
    checkpoints: Mapped[dict[str, Any]] = mapped_column(JSON)
    cost_benefit: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    planned_quarter: Mapped[str] = mapped_column(String(7))
    created_by: Mapped[str] = mapped_column(String(254))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PlanRow(Base):
    """A plan the workspace accepted: which items go in which quarter, by what strategy,
    and, for an urgent insertion, what it displaced and the decision that made it public."""

    __tablename__ = "portfolio_plans"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    number: Mapped[int] = mapped_column(Integer)
    quarters: Mapped[list[str]] = mapped_column(JSON)
    strategy: Mapped[str] = mapped_column(String(24))
    assignment: Mapped[dict[str, str]] = mapped_column(JSON)  # item number -> quarter
    value: Mapped[Decimal] = mapped_column(DecimalText())
    urgent: Mapped[int | None] = mapped_column(Integer)
    displaced: Mapped[list[int]] = mapped_column(JSON)
    decision_number: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    accepted_by: Mapped[str] = mapped_column(String(254))
    accepted_at: Mapped[datetime]
