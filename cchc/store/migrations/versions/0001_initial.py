"""The first schema: imports with their bytes, plans, domains, criteria, targets, monthly statistics.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATS_FIELDS = ("received_total", "received_online", "received_online_l3", "received_online_l4",
                "received_online_full", "received_online_partial", "received_direct", "received_carried",
                "received_bcci", "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
                "pending_total", "pending_in_time", "pending_overdue", "returned_bcci", "late_apologies")


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(500), nullable=False, server_default=""),
        sa.Column("sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("size", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(200), nullable=False, server_default=""),
        sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("summary", sa.Text, nullable=False, server_default="{}"),
        sa.Column("content", sa.LargeBinary, nullable=True),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("plan_year", sa.Integer, nullable=True, index=True),
        sa.Column("appraisal_year", sa.Integer, nullable=True),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "plan_domains",
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("code", sa.String(10), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("standard", sa.Float, nullable=False),
        sa.Column("appraised", sa.Float, nullable=False),
        sa.Column("lost", sa.Float, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "plan_criteria",
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("domain", sa.String(10), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("standard", sa.Float, nullable=False),
        sa.Column("appraised", sa.Float, nullable=False),
        sa.Column("lost", sa.Float, nullable=False),
        sa.Column("solution", sa.Text, nullable=False, server_default=""),
        sa.Column("lead_text", sa.Text, nullable=False, server_default=""),
        sa.Column("partners_text", sa.Text, nullable=False, server_default=""),
        sa.Column("timeline", sa.Text, nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("lead", sa.Text, nullable=False, server_default="[]"),
        sa.Column("partners", sa.Text, nullable=False, server_default="[]"),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "criterion_targets",
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("metric", sa.String(60), nullable=True),
        sa.Column("op", sa.String(2), nullable=True),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
    )
    op.create_table(
        "stats_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("unit", sa.String(300), nullable=False),
        sa.Column("level", sa.String(50), nullable=False, server_default=""),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("month", sa.Integer, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
        *(sa.Column(name, sa.BigInteger, nullable=False, server_default="0") for name in STATS_FIELDS),
    )
    op.create_index("ix_stats_current_period", "stats_rows", ["current", "period"])
    op.create_index("ix_stats_unit_period", "stats_rows", ["unit", "period"])


def downgrade() -> None:
    for table in ("stats_rows", "criterion_targets", "plan_criteria", "plan_domains", "plans", "imports"):
        op.drop_table(table)
