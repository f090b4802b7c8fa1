"""Leadership: set-ups, cadences, playbook runs, engagements and assessment sittings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 16:19:25.926065
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import quarterdeck.storage.columns

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_takes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("assessment", sa.String(length=64), nullable=False),
        sa.Column("aiming_for", sa.String(length=64), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("shared_with", sa.Integer(), nullable=True),
        sa.Column("taken_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shared_with"],
            ["workspaces.id"],
            name=op.f("fk_assessment_takes_shared_with_workspaces"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assessment_takes_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_takes")),
    )
    with op.batch_alter_table("assessment_takes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessment_takes_user_id_assessment", ["user_id", "assessment"], unique=False
        )

    op.create_table(
        "cadences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("frequency", sa.String(length=32), nullable=False),
        sa.Column("length", sa.String(length=48), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=48), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_cadences_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadences")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_cadences_workspace_id")),
    )
    op.create_table(
        "engagements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=32), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column(
            "hours_per_week", quarterdeck.storage.columns.DecimalText(length=48), nullable=False
        ),
        sa.Column("pricing_basis", sa.String(length=16), nullable=False),
        sa.Column("amount", quarterdeck.storage.columns.DecimalText(length=48), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("sponsor", sa.String(length=120), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("decision_rights", sa.JSON(), nullable=False),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("milestones", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["users.id"], name=op.f("fk_engagements_leader_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_engagements_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagements")),
        sa.UniqueConstraint("workspace_id", "leader_id", name=op.f("uq_engagements_workspace_id")),
    )
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagements_leader_id"), ["leader_id"], unique=False)

    op.create_table(
        "playbook_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("playbook", sa.String(length=64), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owners", sa.JSON(), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("started_by", sa.String(length=254), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_playbook_runs_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_runs")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_playbook_runs_workspace_id")),
    )
    op.create_table(
        "workspace_setups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("leadership_model", sa.String(length=32), nullable=False),
        sa.Column("installed", sa.JSON(), nullable=False),
        sa.Column("done_by", sa.String(length=254), nullable=False),
        sa.Column("done_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_workspace_setups_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace_setups")),
    )
    with op.batch_alter_table("workspace_setups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workspace_setups_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("workspace_setups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workspace_setups_workspace_id"))

    op.drop_table("workspace_setups")
    op.drop_table("playbook_runs")
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagements_leader_id"))

    op.drop_table("engagements")
    op.drop_table("cadences")
    with op.batch_alter_table("assessment_takes", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_takes_user_id_assessment")

    op.drop_table("assessment_takes")
