"""Portfolio: intake, roadmap outcomes, teams and people, planning settings and accepted plans

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 16:07:13.164808
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import quarterdeck.storage.columns

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requester", sa.String(length=120), nullable=False),
        sa.Column("department", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("hypothesis", sa.Text(), nullable=False),
        sa.Column("smallest_bet", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("urgency_reason", sa.Text(), nullable=False),
        sa.Column("ready", sa.JSON(), nullable=False),
        sa.Column("requires", sa.JSON(), nullable=False),
        sa.Column("alternative_group", sa.String(length=48), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("pinned_quarter", sa.String(length=7), nullable=False),
        sa.Column("value", quarterdeck.storage.columns.DecimalText(length=48), nullable=False),
        sa.Column("success", quarterdeck.storage.columns.DecimalText(length=48), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("effort", sa.JSON(), nullable=False),
        sa.Column("outcome_key", sa.String(length=48), nullable=False),
        sa.Column("primary_metric", sa.String(length=64), nullable=False),
        sa.Column("guardrail_metric", sa.String(length=64), nullable=False),
        sa.Column("checkpoints", sa.JSON(), nullable=False),
        sa.Column("cost_benefit", sa.JSON(), nullable=True),
        sa.Column("planned_quarter", sa.String(length=7), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_intake_items_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_items")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_intake_items_workspace_id")),
    )
    op.create_table(
        "portfolio_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("quarters", sa.JSON(), nullable=False),
        sa.Column("strategy", sa.String(length=24), nullable=False),
        sa.Column("assignment", sa.JSON(), nullable=False),
        sa.Column("value", quarterdeck.storage.columns.DecimalText(length=48), nullable=False),
        sa.Column("urgent", sa.Integer(), nullable=True),
        sa.Column("displaced", sa.JSON(), nullable=False),
        sa.Column("decision_number", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("accepted_by", sa.String(length=254), nullable=False),
        sa.Column("accepted_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_portfolio_plans_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_plans")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_portfolio_plans_workspace_id")),
    )
    op.create_table(
        "portfolio_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_portfolio_settings_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_settings")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_portfolio_settings_workspace_id")),
    )
    op.create_table(
        "portfolio_teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "reserve_percent", quarterdeck.storage.columns.DecimalText(length=48), nullable=False
        ),
        sa.Column("max_parallel", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_portfolio_teams_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_teams")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_portfolio_teams_workspace_id")),
    )
    op.create_table(
        "roadmap_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column("theme", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=120), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_roadmap_outcomes_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_outcomes")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_roadmap_outcomes_workspace_id")),
    )
    op.create_table(
        "portfolio_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("fte", quarterdeck.storage.columns.DecimalText(length=48), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("leave", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["portfolio_teams.id"],
            name=op.f("fk_portfolio_people_team_id_portfolio_teams"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_portfolio_people_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_people")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_portfolio_people_workspace_id")),
    )


def downgrade() -> None:
    op.drop_table("portfolio_people")
    op.drop_table("roadmap_outcomes")
    op.drop_table("portfolio_teams")
    op.drop_table("portfolio_settings")
    op.drop_table("portfolio_plans")
    op.drop_table("intake_items")
