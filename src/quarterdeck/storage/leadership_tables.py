"""ORM tables of the leadership layer: how a workspace was set up for its leadership model,
its cadence definitions, playbook runs, engagements of fractional, part-time and interim
leaders, and readiness assessments (which belong to the person who took them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from quarterdeck.storage.columns import DecimalText
from quarterdeck.storage.tables import Base

__all__ = [
    "AssessmentTakeRow",
    "CadenceRow",
    "EngagementRow",
    "PlaybookRunRow",
    "SetupRow",
]


class SetupRow(Base):
    """One set-up of a workspace for a leadership model: what was installed and why."""

    __tablename__ = "workspace_setups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    leadership_model: Mapped[str] = mapped_column(String(32))
    installed: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # what, key, why, outcome
    done_by: Mapped[str] = mapped_column(String(254))
    done_at: Mapped[datetime]


class CadenceRow(Base):
    """A recurring meeting the workspace runs: how often, how long, and what it is for."""

    __tablename__ = "cadences"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    key: Mapped[str] = mapped_column(String(48))
    name: Mapped[str] = mapped_column(String(120))
    frequency: Mapped[str] = mapped_column(String(32))
    length: Mapped[str] = mapped_column(String(48))
    purpose: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(48))  # a leadership role key
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]


class PlaybookRunRow(Base):
    """A playbook being worked through in a workspace: its day 0, who owns each role's
    steps, what is done (with note and evidence), and every pause, re-plan or abandonment
    with its reason."""

    __tablename__ = "playbook_runs"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    number: Mapped[int] = mapped_column(Integer)
    playbook: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    owners: Mapped[dict[str, str]] = mapped_column(JSON)  # leadership role -> member email
    progress: Mapped[dict[str, Any]] = mapped_column(JSON)  # step key -> done, note, link, by, at
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    started_by: Mapped[str] = mapped_column(String(254))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EngagementRow(Base):
    """How a fractional, part-time or interim leader is engaged by a workspace (a client):
    the model, dates, time, pricing, sponsor, scope, decision rights granted and the
    pre-engagement red-flag check."""

    __tablename__ = "engagements"
    __table_args__ = (UniqueConstraint("workspace_id", "leader_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    model: Mapped[str] = mapped_column(String(32))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    hours_per_week: Mapped[Decimal] = mapped_column(DecimalText())
    pricing_basis: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(DecimalText())
    currency: Mapped[str] = mapped_column(String(3))
    sponsor: Mapped[str] = mapped_column(String(120))
    scope: Mapped[dict[str, list[str]]] = mapped_column(JSON)  # owns, does_not_own, out_of_scope
    decision_rights: Mapped[list[str]] = mapped_column(JSON)  # decision area keys granted
    red_flags: Mapped[dict[str, bool]] = mapped_column(JSON)  # flag key -> present
    milestones: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # title, due (ISO date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]


class AssessmentTakeRow(Base):
    """One sitting of a readiness assessment by one person: private to them unless they
    share it with a workspace."""

    __tablename__ = "assessment_takes"
    __table_args__ = (Index("ix_assessment_takes_user_id_assessment", "user_id", "assessment"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assessment: Mapped[str] = mapped_column(String(64))
    aiming_for: Mapped[str] = mapped_column(String(64))  # role kind key, or ""
    ratings: Mapped[dict[str, int]] = mapped_column(JSON)  # statement key -> 1..5
    shared_with: Mapped[int | None] = mapped_column(ForeignKey("workspaces.id"))
    taken_at: Mapped[datetime]
