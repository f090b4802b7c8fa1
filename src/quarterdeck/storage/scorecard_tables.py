"""ORM tables of scorecards: which metrics a workspace tracks with what targets, who owns
them, and every measurement with its source."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quarterdeck.storage.columns import DecimalText
from quarterdeck.storage.tables import Base

__all__ = ["MeasurementRow", "ScorecardMetricRow", "ScorecardSettingsRow"]


class ScorecardMetricRow(Base):
    """A metric on a workspace's scorecard: a catalog entry (its definition comes from the
    catalog) or a custom one (its definition is stored here), with owner, thresholds and
    review cadence."""

    __tablename__ = "scorecard_metrics"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    key: Mapped[str] = mapped_column(String(64))
    custom: Mapped[bool] = mapped_column(Boolean)
    definition: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # custom metrics only
    owner: Mapped[str] = mapped_column(String(254))
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON)  # decimals as text
    cadence: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ScorecardSettingsRow(Base):
    """Per workspace: owners per category and the choices behind computed metrics (delivery
    settings, DORA bands edition, release tag pattern ...)."""

    __tablename__ = "scorecard_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), unique=True)
    category_owners: Mapped[dict[str, str]] = mapped_column(JSON)
    choices: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]


class MeasurementRow(Base):
    """One value of a metric for the period ending on `period_end`, with where it came from
    (manual, an imported file, or a computation). One value per metric, period and source."""

    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("workspace_id", "metric_key", "period_end", "source"),
        Index(
            "ix_measurements_workspace_id_metric_key_period_end",
            "workspace_id",
            "metric_key",
            "period_end",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    metric_key: Mapped[str] = mapped_column(String(64))
    period_end: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(DecimalText())
    source: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime]
