"""Decision log: decisions, their revisions and the links between them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:18:44.471788
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import quarterdeck.storage.columns

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("area", sa.String(length=64), nullable=False),
        sa.Column("revisit_on", sa.Date(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("decided_at", quarterdeck.storage.columns.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_decisions_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_decisions_workspace_id")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_decisions_workspace_id_area", ["workspace_id", "area"], unique=False
        )
        batch_op.create_index(
            "ix_decisions_workspace_id_revisit_on", ["workspace_id", "revisit_on"], unique=False
        )
        batch_op.create_index(
            "ix_decisions_workspace_id_status", ["workspace_id", "status"], unique=False
        )

    op.create_table(
        "decision_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["decisions.id"], name=op.f("fk_decision_links_source_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["decisions.id"], name=op.f("fk_decision_links_target_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_decision_links_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_links")),
        sa.UniqueConstraint(
            "source_id", "target_id", "kind", name=op.f("uq_decision_links_source_id")
        ),
    )
    with op.batch_alter_table("decision_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_links_source_id"), ["source_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_decision_links_target_id"), ["target_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_decision_links_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "decision_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=254), nullable=False),
        sa.Column("created_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_revisions_decision_id_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_revisions")),
        sa.UniqueConstraint(
            "decision_id", "revision", name=op.f("uq_decision_revisions_decision_id")
        ),
    )
    with op.batch_alter_table("decision_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_revisions_decision_id"), ["decision_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("decision_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_revisions_decision_id"))

    op.drop_table("decision_revisions")
    with op.batch_alter_table("decision_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_links_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_decision_links_target_id"))
        batch_op.drop_index(batch_op.f("ix_decision_links_source_id"))

    op.drop_table("decision_links")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_decisions_workspace_id_status")
        batch_op.drop_index("ix_decisions_workspace_id_revisit_on")
        batch_op.drop_index("ix_decisions_workspace_id_area")

    op.drop_table("decisions")
