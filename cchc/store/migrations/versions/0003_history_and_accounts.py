"""History that can be rolled back (targets and rules versioned per entry, entry reverts) and user accounts.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    target_versions = op.create_table(
        "target_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("metric", sa.String(60), nullable=True),
        sa.Column("op", sa.String(2), nullable=True),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
    )
    op.create_index("ix_targets_plan_code", "target_versions", ["plan_id", "code", "current"])
    rule_versions = op.create_table(
        "rule_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("rules", sa.Text, nullable=False),
        sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
    )
    op.create_table(
        "entry_reverts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
        sa.Column("reverted_by", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("restored_by", sa.Integer, sa.ForeignKey("imports.id"), nullable=True),
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(200), primary_key=True),
        sa.Column("display_name", sa.String(300), nullable=False, server_default=""),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("agency", sa.String(300), nullable=False, server_default=""),
        sa.Column("password_hash", sa.String(300), nullable=False, server_default=""),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    # Carry the targets and rules of older databases over: each belongs to its plan's import.
    bind = op.get_bind()
    old_targets = sa.table("criterion_targets", *(sa.column(c) for c in (
        "plan_id", "code", "metric", "op", "value", "source", "note", "updated_by")),
        sa.column("updated_at", sa.DateTime))  # typed, so SQLite hands back datetimes, not text
    plans = sa.table("plans", sa.column("id"), sa.column("import_id"))
    rows = bind.execute(sa.select(old_targets, plans.c.import_id).join(
        plans, plans.c.id == old_targets.c.plan_id)).mappings().all()
    if rows:
        op.bulk_insert(target_versions, [{**{k: r[k] for k in (
            "plan_id", "code", "metric", "op", "value", "source", "note", "updated_at", "updated_by")},
            "import_id": r["import_id"], "current": True} for r in rows])
    old_rules = sa.table("plan_rules", sa.column("plan_id"), sa.column("rules"),
                         sa.column("updated_at", sa.DateTime), sa.column("updated_by"))
    rows = bind.execute(sa.select(old_rules, plans.c.import_id).join(
        plans, plans.c.id == old_rules.c.plan_id)).mappings().all()
    if rows:
        op.bulk_insert(rule_versions, [{"plan_id": r["plan_id"], "rules": r["rules"], "import_id": r["import_id"],
                                        "updated_at": r["updated_at"], "updated_by": r["updated_by"],
                                        "current": True} for r in rows])
    op.drop_table("criterion_targets")
    op.drop_table("plan_rules")


def downgrade() -> None:  # pragma: no cover - upgrades only in the field
    raise NotImplementedError("downgrade is not supported; restore a backup instead")
