"""Progress reports, the procedure sheet, scoring rules per plan.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PROCEDURE_FIELDS = ("procedures_total", "procedures_one_stop", "procedures_online_offered",
                    "procedures_online_l3_offered", "procedures_online_l4_offered", "procedures_online_full_offered",
                    "procedures_online_partial_offered", "procedures_online_used", "procedures_bcci_offered",
                    "procedures_bcci_used", "procedures_published")


def upgrade() -> None:
    op.create_table(
        "progress_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("status", sa.String(20), nullable=False, server_default=""),
        sa.Column("doc_number", sa.String(200), nullable=False, server_default=""),
        sa.Column("doc_date", sa.String(10), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("agency", sa.String(300), nullable=False, server_default=""),
        sa.Column("source", sa.String(10), nullable=False, server_default="file"),
        sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.create_index("ix_progress_current_code", "progress_rows", ["current", "code", "period"])
    op.create_table(
        "procedure_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("unit", sa.String(300), nullable=False),
        sa.Column("level", sa.String(50), nullable=False, server_default=""),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
        *(sa.Column(name, sa.BigInteger, nullable=False, server_default="0") for name in PROCEDURE_FIELDS),
    )
    op.create_index("ix_procedures_current_year", "procedure_rows", ["current", "year"])
    op.create_table(
        "plan_rules",
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
        sa.Column("rules", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
    )


def downgrade() -> None:
    for table in ("plan_rules", "procedure_rows", "progress_rows"):
        op.drop_table(table)
