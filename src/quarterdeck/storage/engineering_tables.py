"""ORM tables of the engineering records the scorecard is computed from: git history,
deployments, incidents, vulnerability scans, service-desk tickets and costs.

Every row belongs to one workspace. Natural keys (a commit's sha, an incident's id, a
scan file's digest ...) are unique per workspace, so re-running a connector adds nothing
twice. Times are stored in UTC; the offset a time was written with is kept beside it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from quarterdeck.storage.columns import DecimalText
from quarterdeck.storage.tables import Base

__all__ = [
    "CommitRow",
    "CostLineRow",
    "DeploymentRow",
    "FindingRow",
    "GitRepositoryRow",
    "IncidentRow",
    "ScanRow",
    "TagRow",
    "TicketRow",
]


class GitRepositoryRow(Base):
    """A repository a workspace reads, and the ref tips seen at its last read (so the next
    read takes only what is new)."""

    __tablename__ = "git_repositories"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    name: Mapped[str] = mapped_column(String(120))
    path: Mapped[str] = mapped_column(String(1000))
    tips: Mapped[list[str]] = mapped_column(JSON, default=list)
    commit_count: Mapped[int] = mapped_column(Integer, default=0)
    last_read_at: Mapped[datetime | None]


class CommitRow(Base):
    __tablename__ = "commits"
    __table_args__ = (UniqueConstraint("workspace_id", "sha"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    sha: Mapped[str] = mapped_column(String(64))
    parents: Mapped[list[str]] = mapped_column(JSON)
    author_email: Mapped[str] = mapped_column(String(254))
    author_time: Mapped[datetime]
    author_offset: Mapped[int] = mapped_column(Integer)  # minutes east of UTC
    committer_time: Mapped[datetime]
    committer_offset: Mapped[int] = mapped_column(Integer)


class TagRow(Base):
    __tablename__ = "git_tags"
    __table_args__ = (UniqueConstraint("repository_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    repository_id: Mapped[int] = mapped_column(ForeignKey("git_repositories.id"))
    name: Mapped[str] = mapped_column(String(255))
    commit: Mapped[str] = mapped_column(String(64))
    tagger_time: Mapped[datetime | None]
    tagger_offset: Mapped[int | None] = mapped_column(Integer)


class DeploymentRow(Base):
    """One deployment event as received; rows sharing a deployment id are one deployment
    (the metric rules take the latest), and an identical row is never stored twice."""

    __tablename__ = "deployments"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id", "deployment_id", "service", "environment", "finished_at", "status"
        ),
        Index("ix_deployments_workspace_id_finished_at", "workspace_id", "finished_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    deployment_id: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(120))
    environment: Mapped[str] = mapped_column(String(64))
    commit: Mapped[str | None] = mapped_column(String(64))
    finished_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime]


class IncidentRow(Base):
    """The latest state of an incident (a later export updates it)."""

    __tablename__ = "incidents"
    __table_args__ = (
        UniqueConstraint("workspace_id", "incident_id"),
        Index("ix_incidents_workspace_id_started_at", "workspace_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    incident_id: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(120))
    severity: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    cause_deployment: Mapped[str | None] = mapped_column(String(200))
    cause_commit: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class ScanRow(Base):
    """One imported scanner file; its digest makes a second import of it a no-op."""

    __tablename__ = "scans"
    __table_args__ = (UniqueConstraint("workspace_id", "digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    digest: Mapped[str] = mapped_column(String(64))
    scanner: Mapped[str] = mapped_column(String(120))
    target: Mapped[str] = mapped_column(String(500))
    scanned_at: Mapped[datetime]
    time_from_file: Mapped[bool] = mapped_column(Boolean)  # else the import time stands in
    file_name: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime]


class FindingRow(Base):
    __tablename__ = "scan_findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(16))
    package: Mapped[str] = mapped_column(String(300))
    location: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(500))


class TicketRow(Base):
    """The latest state of a service-desk ticket (a later export updates it)."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("workspace_id", "ticket_id"),
        Index("ix_tickets_workspace_id_opened_at", "workspace_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    ticket_id: Mapped[str] = mapped_column(String(200))
    priority: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    response_target_hours: Mapped[Decimal | None] = mapped_column(DecimalText())
    resolution_target_hours: Mapped[Decimal | None] = mapped_column(DecimalText())
    reopened: Mapped[bool] = mapped_column(Boolean)
    csat: Mapped[int | None] = mapped_column(Integer)
    contacts: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class CostLineRow(Base):
    __tablename__ = "cost_lines"
    __table_args__ = (UniqueConstraint("workspace_id", "period", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    period: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(120))
    amount: Mapped[Decimal] = mapped_column(DecimalText())
    forecast: Mapped[Decimal | None] = mapped_column(DecimalText())
    customers: Mapped[int | None] = mapped_column(Integer)
    transactions: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime]
