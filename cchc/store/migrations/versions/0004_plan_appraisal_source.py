"""A plan's starting points may be a self-assessment ("Điểm tự đánh giá") instead of the province's appraisal.

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


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("appraisal_source")
