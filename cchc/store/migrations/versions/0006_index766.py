"""QĐ 766 scores (Bộ chỉ số phục vụ người dân, doanh nghiệp), one per unit and period, versioned like the
statistics; the six groups' maxima, one row per version like the targets.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# written out, not imported: a migration keeps the schema of its day whatever fields.py says later
GROUPS = ("ckmb", "tdgq", "dvctt", "tttt", "mdhl", "mdsh")


def upgrade() -> None:
    op.create_table(
        "index766_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("unit", sa.String(300), nullable=False),
        sa.Column("level", sa.String(50), nullable=False, server_default=""),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("period_end", sa.String(7), nullable=True),
        sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
        *(sa.Column(name, sa.Float, nullable=True) for name in (*GROUPS, "total")),
        sa.Column("rank", sa.Integer, nullable=True),
    )
    op.create_index("ix_index766_current_period", "index766_rows", ["current", "period"])
    op.create_index("ix_index766_unit_period", "index766_rows", ["unit", "period"])
    op.create_table(
        "index766_maxima",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("scope", sa.String(50), nullable=False, server_default=""),
        *(sa.Column(name, sa.Float, nullable=False) for name in GROUPS),
        sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("index766_maxima")
    op.drop_index("ix_index766_unit_period", table_name="index766_rows")
    op.drop_index("ix_index766_current_period", table_name="index766_rows")
    op.drop_table("index766_rows")
