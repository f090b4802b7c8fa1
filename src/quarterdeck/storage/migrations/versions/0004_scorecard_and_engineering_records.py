"""Scorecards (metrics, settings, measurements) and the engineering records they are
computed from: git repositories, commits and tags, deployments, incidents, scans and
findings, service-desk tickets, cost lines.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:49:48.020503
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import quarterdeck.storage.columns

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("sha", sa.String(length=64), nullable=False),
        sa.Column("parents", sa.JSON(), nullable=False),
        sa.Column("author_email", sa.String(length=254), nullable=False),
        sa.Column("author_time", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("author_offset", sa.Integer(), nullable=False),
        sa.Column("committer_time", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("committer_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_commits_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commits")),
        sa.UniqueConstraint("workspace_id", "sha", name=op.f("uq_commits_workspace_id")),
    )
    op.create_table(
        "cost_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=120), nullable=False),
        sa.Column("amount", quarterdeck.storage.columns.DecimalText(length=48), nullable=False),
        sa.Column("forecast", quarterdeck.storage.columns.DecimalText(length=48), nullable=True),
        sa.Column("customers", sa.Integer(), nullable=True),
        sa.Column("transactions", sa.Integer(), nullable=True),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_cost_lines_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_lines")),
        sa.UniqueConstraint(
            "workspace_id", "period", "category", name=op.f("uq_cost_lines_workspace_id")
        ),
    )
    op.create_table(
        "deployments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("deployment_id", sa.String(length=200), nullable=False),
        sa.Column("service", sa.String(length=120), nullable=False),
        sa.Column("environment", sa.String(length=64), nullable=False),
        sa.Column("commit", sa.String(length=64), nullable=True),
        sa.Column("finished_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("received_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_deployments_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployments")),
        sa.UniqueConstraint(
            "workspace_id",
            "deployment_id",
            "service",
            "environment",
            "finished_at",
            "status",
            name=op.f("uq_deployments_workspace_id"),
        ),
    )
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deployments_workspace_id_finished_at", ["workspace_id", "finished_at"], unique=False
        )

    op.create_table(
        "git_repositories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("tips", sa.JSON(), nullable=False),
        sa.Column("commit_count", sa.Integer(), nullable=False),
        sa.Column("last_read_at", quarterdeck.storage.columns.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_git_repositories_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_git_repositories")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_git_repositories_workspace_id")),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.String(length=200), nullable=False),
        sa.Column("service", sa.String(length=120), nullable=False),
        sa.Column("severity", sa.String(length=32), nullable=False),
        sa.Column("started_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("acknowledged_at", quarterdeck.storage.columns.UtcDateTime(), nullable=True),
        sa.Column("resolved_at", quarterdeck.storage.columns.UtcDateTime(), nullable=True),
        sa.Column("cause_deployment", sa.String(length=200), nullable=True),
        sa.Column("cause_commit", sa.String(length=64), nullable=True),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_incidents_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("workspace_id", "incident_id", name=op.f("uq_incidents_workspace_id")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incidents_workspace_id_started_at", ["workspace_id", "started_at"], unique=False
        )

    op.create_table(
        "measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("metric_key", sa.String(length=64), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", quarterdeck.storage.columns.DecimalText(length=48), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.Column("recorded_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_measurements_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurements")),
        sa.UniqueConstraint(
            "workspace_id",
            "metric_key",
            "period_end",
            "source",
            name=op.f("uq_measurements_workspace_id"),
        ),
    )
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_measurements_workspace_id_metric_key_period_end",
            ["workspace_id", "metric_key", "period_end"],
            unique=False,
        )

    op.create_table(
        "scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("scanner", sa.String(length=120), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("scanned_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("time_from_file", sa.Boolean(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("imported_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_scans_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scans")),
        sa.UniqueConstraint("workspace_id", "digest", name=op.f("uq_scans_workspace_id")),
    )
    op.create_table(
        "scorecard_metrics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("custom", sa.Boolean(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=True),
        sa.Column("owner", sa.String(length=254), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_scorecard_metrics_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_metrics")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_scorecard_metrics_workspace_id")),
    )
    op.create_table(
        "scorecard_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("category_owners", sa.JSON(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_scorecard_settings_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_settings")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_scorecard_settings_workspace_id")),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.String(length=200), nullable=False),
        sa.Column("priority", sa.String(length=32), nullable=False),
        sa.Column("opened_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("first_response_at", quarterdeck.storage.columns.UtcDateTime(), nullable=True),
        sa.Column("resolved_at", quarterdeck.storage.columns.UtcDateTime(), nullable=True),
        sa.Column(
            "response_target_hours",
            quarterdeck.storage.columns.DecimalText(length=48),
            nullable=True,
        ),
        sa.Column(
            "resolution_target_hours",
            quarterdeck.storage.columns.DecimalText(length=48),
            nullable=True,
        ),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("contacts", sa.Integer(), nullable=True),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_tickets_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("workspace_id", "ticket_id", name=op.f("uq_tickets_workspace_id")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tickets_workspace_id_opened_at", ["workspace_id", "opened_at"], unique=False
        )

    op.create_table(
        "git_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("repository_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("commit", sa.String(length=64), nullable=False),
        sa.Column("tagger_time", quarterdeck.storage.columns.UtcDateTime(), nullable=True),
        sa.Column("tagger_offset", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["repository_id"],
            ["git_repositories.id"],
            name=op.f("fk_git_tags_repository_id_git_repositories"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_git_tags_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_git_tags")),
        sa.UniqueConstraint("repository_id", "name", name=op.f("uq_git_tags_repository_id")),
    )
    with op.batch_alter_table("git_tags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_git_tags_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "scan_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=200), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("package", sa.String(length=300), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["scan_id"], ["scans.id"], name=op.f("fk_scan_findings_scan_id_scans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan_findings")),
    )
    with op.batch_alter_table("scan_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scan_findings_scan_id"), ["scan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scan_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scan_findings_scan_id"))

    op.drop_table("scan_findings")
    with op.batch_alter_table("git_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_git_tags_workspace_id"))

    op.drop_table("git_tags")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_workspace_id_opened_at")

    op.drop_table("tickets")
    op.drop_table("scorecard_settings")
    op.drop_table("scorecard_metrics")
    op.drop_table("scans")
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_index("ix_measurements_workspace_id_metric_key_period_end")

    op.drop_table("measurements")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_workspace_id_started_at")

    op.drop_table("incidents")
    op.drop_table("git_repositories")
    with op.batch_alter_table("deployments", schema=None) as batch_op:
        batch_op.drop_index("ix_deployments_workspace_id_finished_at")

    op.drop_table("deployments")
    op.drop_table("cost_lines")
    op.drop_table("commits")
