"""A plan's starting points may be a self-assessment ("Điểm tự đánh giá") instead of the province's appraisal; the
column mappings users save for layouts the readers are not sure of, versioned like targets; statistics over several
months (a quarter) stored as one record (period .. period_end).

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("appraisal_source", sa.String(20), nullable=False, server_default="appraised"))
    op.create_table(
        "mapping_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("columns", sa.Text, nullable=False),
        sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
    )
    op.create_index("ix_mappings_signature", "mapping_versions", ["signature", "current"])
    with op.batch_alter_table("stats_rows") as batch:
        batch.add_column(sa.Column("period_end", sa.String(7), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stats_rows") as batch:
        batch.drop_column("superseded_by")
        batch.drop_column("period_end")
    op.drop_table("mapping_versions")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("appraisal_source")
