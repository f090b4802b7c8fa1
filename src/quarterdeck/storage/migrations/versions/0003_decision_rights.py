"""Decision rights: a workspace's own matrix and guardrails, leadership roles on members,
and each decision's routing (approval queue, reasons, who decided). Also faster and
Unicode-aware log filters: a casefolded title, and tags and deciders in an indexed table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import quarterdeck.storage.columns

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_rights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", quarterdeck.storage.columns.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_decision_rights_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_rights")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_decision_rights_workspace_id")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("leadership_roles", sa.JSON(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("awaiting", sa.String(length=48), nullable=True))
        batch_op.add_column(
            sa.Column("escalations", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("proposed_by", sa.String(length=254), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("decided_by", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("decided_as", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("title_folded", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.create_index(
            "ix_decisions_workspace_id_awaiting", ["workspace_id", "awaiting"], unique=False
        )
        batch_op.drop_index("ix_decisions_workspace_id_status")
        batch_op.create_index(
            "ix_decisions_workspace_id_status_area",
            ["workspace_id", "status", "area", "number"],
            unique=False,
        )
        batch_op.create_index(
            "ix_decisions_workspace_id_title_folded", ["workspace_id", "title_folded"], unique=False
        )
    terms = op.create_table(
        "decision_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("term", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_decision_terms_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_decision_terms_workspace_id_workspaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_terms")),
    )
    with op.batch_alter_table("decision_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_terms_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            "ix_decision_terms_workspace_id_kind_term",
            ["workspace_id", "kind", "term"],
            unique=False,
        )
    _derive_search_columns(terms)
    # Existing decisions were proposed by the author of their first revision.
    op.execute(
        "UPDATE decisions SET proposed_by = (SELECT r.author FROM decision_revisions r "
        "WHERE r.decision_id = decisions.id AND r.revision = 1) "
        "WHERE EXISTS (SELECT 1 FROM decision_revisions r "
        "WHERE r.decision_id = decisions.id AND r.revision = 1)"
    )


def _derive_search_columns(terms: sa.Table) -> None:
    """Fill the casefolded titles and the term table from the decisions already stored."""
    connection = op.get_bind()
    decisions = sa.table(
        "decisions",
        sa.column("id", sa.Integer()),
        sa.column("workspace_id", sa.Integer()),
        sa.column("title", sa.String()),
        sa.column("title_folded", sa.String()),
        sa.column("content", sa.JSON()),
    )
    rows = connection.execute(
        sa.select(decisions.c.id, decisions.c.workspace_id, decisions.c.title, decisions.c.content)
    ).all()
    for decision_id, workspace_id, title, content in rows:
        connection.execute(
            decisions.update()
            .where(decisions.c.id == decision_id)
            .values(title_folded=title.casefold())
        )
        found = {("tag", str(t).casefold()) for t in (content or {}).get("tags", ())}
        found |= {("decider", str(d).casefold()) for d in (content or {}).get("deciders", ())}
        if found:
            connection.execute(
                terms.insert(),
                [
                    {"workspace_id": workspace_id, "decision_id": decision_id, "kind": k, "term": t}
                    for k, t in sorted(found)
                ],
            )


def downgrade() -> None:
    with op.batch_alter_table("decision_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_terms_workspace_id_kind_term")
        batch_op.drop_index(batch_op.f("ix_decision_terms_decision_id"))
    op.drop_table("decision_terms")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_decisions_workspace_id_title_folded")
        batch_op.drop_index("ix_decisions_workspace_id_status_area")
        batch_op.create_index(
            "ix_decisions_workspace_id_status", ["workspace_id", "status"], unique=False
        )
        batch_op.drop_column("title_folded")
        batch_op.drop_index("ix_decisions_workspace_id_awaiting")
        batch_op.drop_column("decided_as")
        batch_op.drop_column("decided_by")
        batch_op.drop_column("proposed_by")
        batch_op.drop_column("escalations")
        batch_op.drop_column("awaiting")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("leadership_roles")
    op.drop_table("decision_rights")
