"""The store: every import with its original bytes, the plans, the targets, and the monthly statistics.

SQLAlchemy Core on a SQLite file under data/ by default, any database through CCHC_DATABASE_URL. One import
is one transaction. A unit-month imported again supersedes the earlier row (kept, marked not current), so
totals never count a month twice and history keeps every version. A write the database cannot take (disk
full, locked past the timeout, read-only, connection lost) is a StorageError whose Vietnamese message says
nothing was stored and what to do (`_WriteTransaction`, so every write method has it).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event

from ..fields import INDEX766_GROUPS, INDEX766_THRESHOLDS, PROCEDURE_FIELDS, STATS_FIELDS
from ..read.plan import Criterion, Domain, Plan
from ..read.targets import Target

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_SQLITE = DATA_DIR / "cchc.sqlite"

metadata = sa.MetaData()

imports = sa.Table(
    "imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # plan | stats | targets
    sa.Column("filename", sa.String(500), nullable=False, server_default=""),
    sa.Column("sha256", sa.String(64), nullable=False, server_default=""),
    sa.Column("size", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("user", sa.String(200), nullable=False, server_default=""),
    sa.Column("illustrative", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("summary", sa.Text, nullable=False, server_default="{}"),  # JSON: counts, periods, replaced
    sa.Column("content", sa.LargeBinary, nullable=True),  # the original file's bytes
)

plans = sa.Table(
    "plans", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.Column("plan_year", sa.Integer, nullable=True, index=True),
    sa.Column("appraisal_year", sa.Integer, nullable=True),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    # "appraised" (the province's appraisal) or "self" (a self-assessment's own score): migration 0004
    sa.Column("appraisal_source", sa.String(20), nullable=False, server_default="appraised"),
)

domains = sa.Table(
    "plan_domains", metadata,
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
    sa.Column("code", sa.String(10), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("standard", sa.Float, nullable=False),
    sa.Column("appraised", sa.Float, nullable=False),
    sa.Column("lost", sa.Float, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
)

criteria = sa.Table(
    "plan_criteria", metadata,
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
    sa.Column("lead", sa.Text, nullable=False, server_default="[]"),  # JSON list of canonical names
    sa.Column("partners", sa.Text, nullable=False, server_default="[]"),
    sa.Column("position", sa.Integer, nullable=False),
)

targets = sa.Table(  # one row per version of a criterion's target; the current one has current = true
    "target_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
    sa.Column("code", sa.String(20), nullable=False),
    sa.Column("metric", sa.String(60), nullable=True),  # NULL: no measurable target
    sa.Column("op", sa.String(2), nullable=True),
    sa.Column("value", sa.Float, nullable=True),
    sa.Column("source", sa.String(10), nullable=False),  # parsed | user
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
    sa.Index("ix_targets_plan_code", "plan_id", "code", "current"),
)

mappings = sa.Table(  # column mappings a user saved for a layout (read.table's header signature), versioned
    "mapping_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("signature", sa.String(64), nullable=False),
    sa.Column("columns", sa.Text, nullable=False),  # JSON {header text as typed: field ("" = not read)}
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
    sa.Index("ix_mappings_signature", "signature", "current"),
)

stats_rows = sa.Table(
    "stats_rows", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("unit", sa.String(300), nullable=False),
    sa.Column("level", sa.String(50), nullable=False, server_default=""),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("period", sa.String(7), nullable=False),  # "YYYY-MM", sorts as text; a span's first month
    # a span's last month ("Quý I/2019": period 2019-01, period_end 2019-03); NULL for one month: migration 0004
    sa.Column("period_end", sa.String(7), nullable=True),
    # the import that replaced this row because its span overlapped (the user chose to replace): migration 0004
    sa.Column("superseded_by", sa.Integer, nullable=True),
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    *(sa.Column(name, sa.BigInteger, nullable=False, server_default="0") for name in STATS_FIELDS),
    sa.Index("ix_stats_current_period", "current", "period"),
    sa.Index("ix_stats_unit_period", "unit", "period"),
)

progress_rows = sa.Table(
    "progress_rows", metadata,
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
    sa.Column("source", sa.String(10), nullable=False, server_default="file"),  # file | app
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Index("ix_progress_current_code", "current", "code", "period"),
)

procedure_rows = sa.Table(
    "procedure_rows", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("unit", sa.String(300), nullable=False),
    sa.Column("level", sa.String(50), nullable=False, server_default=""),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    *(sa.Column(name, sa.BigInteger, nullable=False, server_default="0") for name in PROCEDURE_FIELDS),
    sa.Index("ix_procedures_current_year", "current", "year"),
)

index766_rows = sa.Table(  # QĐ 766 scores, one per unit and period (a span: period .. period_end): migration 0006
    "index766_rows", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("unit", sa.String(300), nullable=False),
    sa.Column("level", sa.String(50), nullable=False, server_default=""),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("period", sa.String(7), nullable=False),  # "YYYY-MM"; a span's first month
    sa.Column("period_end", sa.String(7), nullable=True),  # a span's last month; NULL for one month
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    # NULL: the file had no such column or left the cell blank (a score is never made up)
    *(sa.Column(name, sa.Float, nullable=True) for name in (*INDEX766_GROUPS, "total")),
    sa.Column("rank", sa.Integer, nullable=True),
    sa.Index("ix_index766_current_period", "current", "period"),
    sa.Index("ix_index766_unit_period", "unit", "period"),
)

index766_maxima = sa.Table(  # the QĐ 766 groups' maxima, one row per version (scope "": every unit): migration 0006
    "index766_maxima", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("scope", sa.String(50), nullable=False, server_default=""),
    *(sa.Column(name, sa.Float, nullable=False) for name in INDEX766_GROUPS),
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
)

rule_versions = sa.Table(  # a plan's scoring rules (rules.rules_to_json), one row per version
    "rule_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
    sa.Column("rules", sa.Text, nullable=False),
    sa.Column("current", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
)

entry_reverts = sa.Table(  # an entry undone by a rollback (reverted_by), and brought back by a later one
    "entry_reverts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("reverted_by", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.Column("restored_by", sa.Integer, sa.ForeignKey("imports.id"), nullable=True),
)

users = sa.Table(
    "users", metadata,
    sa.Column("username", sa.String(200), primary_key=True),
    sa.Column("display_name", sa.String(300), nullable=False, server_default=""),
    sa.Column("role", sa.String(20), nullable=False),  # viewer | editor | admin
    sa.Column("agency", sa.String(300), nullable=False, server_default=""),  # an editor's scope; "" = all
    sa.Column("password_hash", sa.String(300), nullable=False, server_default=""),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("password_changed_at", sa.DateTime, nullable=True),  # sessions opened before it have ended
)

login_sessions = sa.Table(  # one row per login (cookie); the cookie holds a random token, this table its SHA-256
    "login_sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(200), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("revoked_at", sa.DateTime, nullable=True),
    sa.Column("client", sa.String(100), nullable=False, server_default=""),
)

login_throttle = sa.Table(  # failed logins per (account, client) and per client, counted atomically
    "login_throttle", metadata,
    sa.Column("key", sa.String(400), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_allowed_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

# Versioned tables: (table, the columns that identify one thing). The current row of a thing is the newest row
# whose entry is not reverted; a rollback recomputes exactly that.
VERSIONED = (
    ("plans", ("plan_year",)),
    ("stats_rows", ("unit", "period", "period_end")),
    ("progress_rows", ("code", "period", "agency")),
    ("procedure_rows", ("unit", "year")),
    ("target_versions", ("plan_id", "code")),
    ("rule_versions", ("plan_id",)),
    ("mapping_versions", ("name",)),
    ("index766_rows", ("unit", "period", "period_end")),
    ("index766_maxima", ("scope",)),
)
DATA_KINDS = ("plan", "stats", "progress", "progress_entry", "procedures", "targets", "rules", "mapping", "index766",
              "index766_maxima", "index766_thresholds")

PROGRESS_COLUMNS = ("code", "period", "value", "status", "doc_number", "doc_date", "note", "agency")


def default_url() -> str:
    return os.environ.get("CCHC_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def current_user() -> str:
    try:
        return os.environ.get("CCHC_USER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


@dataclass
class ImportOutcome:
    import_id: int
    added: list[tuple[str, str]]  # (unit, period) new
    replaced: list[tuple[str, str]]  # (unit, period) that superseded an earlier row
    # of the replaced things: how many stored values the import changed, and in how many of them (None: not
    # compared, e.g. a plan)
    changed_values: int | None = None
    changed_rows: int | None = None


class Store:
    """A database holding imports, plans, targets and statistics."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.is_new = False
        if self.url.startswith("sqlite:///") and self.url != "sqlite:///:memory:":
            path = Path(self.url.removeprefix("sqlite:///"))
            self.is_new = not path.exists() or path.stat().st_size == 0
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"future": True}
        if self.url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 60}
        self.engine = sa.create_engine(self.url, **kwargs)
        if self.url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin_immediate)
        if not sa.inspect(self.engine).has_table("imports"):
            self.is_new = True
        self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the newest revision (Alembic), keeping every row of an older database."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext

        config = Config()
        config.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
        with self.engine.connect() as conn:  # a plain read first: opening a store never waits for a writer
            if MigrationContext.configure(conn).get_current_revision() == HEAD_REVISION:
                return
        with self._write() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            if current == HEAD_REVISION:
                return
            inspector = sa.inspect(conn)
            if current is None and inspector.has_table("imports"):
                # made by create_all before migrations existed: say which schema it is, then upgrade
                current = "0002" if inspector.has_table("progress_rows") else "0001"
                command.stamp(_with_connection(config, conn), current)
            command.upgrade(_with_connection(config, conn), "head")

    def _write(self):
        """A transaction that writes: lands whole or not at all, one writer at a time.

        SQLite takes its write lock at BEGIN IMMEDIATE; PostgreSQL takes a transaction-scoped advisory lock, so
        two imports queue instead of interleaving their "supersede, then insert" steps.
        """
        return _WriteTransaction(self.engine)

    # ------------------------------------------------------------------ imports
    def _record_import(self, conn, kind: str, data: bytes, filename: str, user: str | None,
                       illustrative: bool, summary: dict) -> int:
        result = conn.execute(imports.insert().values(
            kind=kind, filename=filename or "", sha256=hashlib.sha256(data).hexdigest(), size=len(data),
            created_at=_now(), user=user or current_user(), illustrative=illustrative,
            summary=json.dumps(summary, ensure_ascii=False), content=data))
        return result.inserted_primary_key[0]

    def import_plan(self, plan: Plan, data: bytes, filename: str = "", user: str | None = None,
                    illustrative: bool = False) -> ImportOutcome:
        """Store a plan; it becomes the current plan of its year (the earlier one stays in history)."""
        with self._write() as conn:
            replaced = conn.execute(sa.select(plans.c.id).where(
                plans.c.plan_year == plan.plan_year, plans.c.current)).scalars().all()
            summary = {"criteria": len(plan.criteria), "plan_year": plan.plan_year, "total": plan.total,
                       "replaced_plans": replaced}
            import_id = self._record_import(conn, "plan", data, filename, user, illustrative, summary)
            if replaced:
                conn.execute(plans.update().where(plans.c.id.in_(replaced)).values(current=False))
            plan_id = conn.execute(plans.insert().values(
                import_id=import_id, plan_year=plan.plan_year, appraisal_year=plan.appraisal_year,
                title=plan.title, current=True, appraisal_source=plan.appraisal_source)).inserted_primary_key[0]
            if plan.domains:
                conn.execute(domains.insert(), [
                    {"plan_id": plan_id, "code": d.code, "name": d.name, "standard": d.standard,
                     "appraised": d.appraised, "lost": d.lost, "position": i} for i, d in enumerate(plan.domains)])
            if plan.criteria:
                conn.execute(criteria.insert(), [
                    {"plan_id": plan_id, "code": c.code, "domain": c.domain, "name": c.name,
                     "standard": c.standard, "appraised": c.appraised, "lost": c.lost, "solution": c.solution,
                     "lead_text": c.lead_text, "partners_text": c.partners_text, "timeline": c.timeline,
                     "note": c.note, "lead": json.dumps(c.lead, ensure_ascii=False),
                     "partners": json.dumps(c.partners, ensure_ascii=False), "position": i}
                    for i, c in enumerate(plan.criteria)])
                now = _now()
                conn.execute(targets.insert(), [
                    {"plan_id": plan_id, "code": c.code, "metric": c.target.metric if c.target else None,
                     "op": c.target.op if c.target else None, "value": c.target.value if c.target else None,
                     "source": "parsed", "note": c.no_target_reason, "updated_at": now, "import_id": import_id,
                     "current": True, "updated_by": user or current_user()} for c in plan.criteria])
        return ImportOutcome(import_id, [], [])

    def _stats_keys(self, conn, records: pd.DataFrame):
        """(keys, existing, conflicts) of an import: keys (unit, period label) in the file, those already stored,
        and (unit, label in the file, label stored) where a span and a month (or two spans) would count a month
        twice."""
        keys = sorted(set(zip(records["unit"], records["period"])))
        starts = sorted({_split_period(p)[0] for _, p in keys})
        if not keys:
            return [], set(), []
        stored = set()
        for chunk in _chunks(starts, 500):
            stored |= {(u, _join_period(p, e)) for u, p, e in conn.execute(
                sa.select(stats_rows.c.unit, stats_rows.c.period, stats_rows.c.period_end).where(
                    stats_rows.c.current, stats_rows.c.period.in_(chunk))).tuples()}
        conflicts = []
        spans_in_file = any(".." in p for _, p in keys)
        units = sorted({u for u, _ in keys})
        years = sorted({_split_period(p)[0][:4] for _, p in keys})
        stored_spans = conn.execute(sa.select(sa.func.count()).select_from(stats_rows).where(
            stats_rows.c.current, stats_rows.c.period_end.is_not(None))).scalar_one()
        if spans_in_file or stored_spans:  # only a span can overlap: months alone replace month by month
            nearby: dict[str, list[tuple[str, str]]] = {}
            for chunk in _chunks(units, 500):
                for u, p, e in conn.execute(sa.select(stats_rows.c.unit, stats_rows.c.period, stats_rows.c.period_end)
                                            .where(stats_rows.c.current, stats_rows.c.unit.in_(chunk),
                                                   sa.func.substr(stats_rows.c.period, 1, 4).in_(years))).tuples():
                    nearby.setdefault(u, []).append((p, e or p))
            for unit, label in keys:
                start, end = _split_period(label)
                end = end or start
                for p, e in nearby.get(unit, []):
                    if p <= end and e >= start and (p, e) != (start, end):
                        conflicts.append((unit, label, _join_period(p, e if e != p else None)))
        return keys, stored, sorted(set(conflicts))

    def preview_stats(self, records: pd.DataFrame) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """Which unit-periods an import would add and which it would replace."""
        added, replaced, _ = self.stats_preview(records)
        return added, replaced

    def stats_preview(self, records: pd.DataFrame):
        """(added, replaced, conflicts) of an import, in one read: conflicts are (unit, period in the file, period
        stored) where importing would count a month twice."""
        with self.engine.connect() as conn:
            keys, existing, conflicts = self._stats_keys(conn, records)
        return [k for k in keys if k not in existing], [k for k in keys if k in existing], conflicts

    def import_stats(self, records: pd.DataFrame, data: bytes, filename: str = "", user: str | None = None,
                     illustrative: bool = False, replace_overlaps: bool = False) -> ImportOutcome:
        """Store statistics rows in one transaction; rows for unit-periods already stored supersede them. A span
        that overlaps stored months of the same unit (or months a stored span covers) is refused: PeriodConflict,
        before anything is written; unless `replace_overlaps` (the user chose to replace): the overlapped rows
        are then superseded by this import, and come back if it is undone."""
        rows = records[["unit", "level", "year", "month", "period", *STATS_FIELDS]].copy()
        split = [_split_period(p) for p in rows["period"]]
        rows["period"] = [s for s, _ in split]
        rows["period_end"] = [e for _, e in split]
        with self._write() as conn:
            keys, existing, conflicts = self._stats_keys(conn, records)
            if conflicts and not replace_overlaps:
                raise PeriodConflict(conflicts)
            replaced = [k for k in keys if k in existing]
            added = [k for k in keys if k not in existing]
            periods = sorted({p for _, p in keys})
            by_period: dict[str, list[str]] = {}
            for unit, label in replaced:
                by_period.setdefault(label, []).append(unit)
            # read before the stored rows are superseded: whether the re-import changed any figure
            changed_values, changed_rows = _stats_changes(conn, by_period, records)
            summary = {"rows": len(rows), "units": int(rows["unit"].nunique()), "periods": periods,
                       "added": len(added), "replaced": len(replaced), **_changes_entry(changed_values, changed_rows)}
            if conflicts:
                summary["overlaps_replaced"] = [[u, old] for u, old in sorted({(u, old) for u, _, old in conflicts})]
            import_id = self._record_import(conn, "stats", data, filename, user, illustrative, summary)
            for unit, old in sorted({(u, old) for u, _, old in conflicts}):
                start, end = _split_period(old)
                same_end = stats_rows.c.period_end.is_(None) if end is None else stats_rows.c.period_end == end
                conn.execute(stats_rows.update().where(
                    stats_rows.c.current, stats_rows.c.unit == unit, stats_rows.c.period == start, same_end)
                    .values(current=False, superseded_by=import_id))
            if replaced:
                for label, units_here in sorted(by_period.items()):
                    start, end = _split_period(label)
                    same_end = stats_rows.c.period_end.is_(None) if end is None else stats_rows.c.period_end == end
                    for chunk in _chunks(units_here, 500):
                        conn.execute(stats_rows.update().where(
                            stats_rows.c.current, stats_rows.c.period == start, same_end,
                            stats_rows.c.unit.in_(chunk)).values(current=False))
            _bulk_insert_stats(conn, rows, import_id)
        return ImportOutcome(import_id, added, replaced, changed_values, changed_rows)

    def import_progress(self, records: pd.DataFrame, data: bytes, filename: str = "", user: str | None = None,
                        illustrative: bool = False, source: str = "file") -> ImportOutcome:
        """Store progress reports; a report for the same criterion, period and agency supersedes the earlier one."""
        rows = records[list(PROGRESS_COLUMNS)].copy()
        rows["value"] = rows["value"].astype("float64")
        keys = sorted(set(zip(rows["code"], rows["period"], rows["agency"])))
        with self._write() as conn:
            existing = set(conn.execute(sa.select(progress_rows.c.code, progress_rows.c.period,
                                                  progress_rows.c.agency).where(progress_rows.c.current))
                           .tuples().all())
            replaced = [k for k in keys if k in existing]
            added = [k for k in keys if k not in existing]
            changed_values, changed_rows = _progress_changes(conn, replaced, rows)
            summary = {"progress": len(rows), "criteria": sorted({k[0] for k in keys}),
                       "periods": sorted({k[1] for k in keys}), "added": len(added), "replaced": len(replaced),
                       **_changes_entry(changed_values, changed_rows), "source": source}
            kind = "progress" if source == "file" else "progress_entry"
            import_id = self._record_import(conn, kind, data, filename, user, illustrative, summary)
            for code, period, agency in replaced:
                conn.execute(progress_rows.update().where(
                    progress_rows.c.current, progress_rows.c.code == code, progress_rows.c.period == period,
                    progress_rows.c.agency == agency).values(current=False))
            payload = []
            for record in rows.to_dict("records"):
                value = record["value"]
                record["value"] = None if value is None or pd.isna(value) else float(value)
                payload.append({**_plain(record), "import_id": import_id, "source": source, "current": True})
            if payload:
                conn.execute(progress_rows.insert(), payload)
        return ImportOutcome(import_id, [(k[0], k[1]) for k in added], [(k[0], k[1]) for k in replaced],
                             changed_values, changed_rows)

    def progress_records(self, start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Current progress reports in a period range, with who entered them and when."""
        query = (sa.select(*(progress_rows.c[c] for c in PROGRESS_COLUMNS), progress_rows.c.source,
                           imports.c.user, imports.c.created_at)
                 .select_from(progress_rows.join(imports, progress_rows.c.import_id == imports.c.id))
                 .where(progress_rows.c.current))
        if start:
            query = query.where(progress_rows.c.period >= start)
        if end:
            query = query.where(progress_rows.c.period <= end)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(progress_rows.c.code, progress_rows.c.period)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows],
                            columns=[*PROGRESS_COLUMNS, "source", "user", "created_at"])

    def import_procedures(self, records: pd.DataFrame, data: bytes, filename: str = "", user: str | None = None,
                          illustrative: bool = False) -> ImportOutcome:
        """Store procedure counts; the same unit and year again supersedes the earlier row."""
        rows = records[["unit", "level", "year", *PROCEDURE_FIELDS]].copy()
        keys = sorted(set(zip(rows["unit"], rows["year"].astype(int))))
        with self._write() as conn:
            existing = set(conn.execute(sa.select(procedure_rows.c.unit, procedure_rows.c.year).where(
                procedure_rows.c.current)).tuples().all())
            replaced = [k for k in keys if k in existing]
            added = [k for k in keys if k not in existing]
            changed_values, changed_rows = _procedure_changes(conn, replaced, rows)
            summary = {"procedure_units": len(keys), "years": sorted({y for _, y in keys}), "added": len(added),
                       "replaced": len(replaced), **_changes_entry(changed_values, changed_rows)}
            import_id = self._record_import(conn, "procedures", data, filename, user, illustrative, summary)
            for unit, year in replaced:
                conn.execute(procedure_rows.update().where(
                    procedure_rows.c.current, procedure_rows.c.unit == unit, procedure_rows.c.year == year)
                    .values(current=False))
            payload = [{**_plain(r), "import_id": import_id, "current": True} for r in rows.to_dict("records")]
            if payload:
                conn.execute(procedure_rows.insert(), payload)
        return ImportOutcome(import_id, [(u, str(y)) for u, y in added], [(u, str(y)) for u, y in replaced],
                             changed_values, changed_rows)

    def procedure_keys(self) -> set[tuple[str, int]]:
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(procedure_rows.c.unit, procedure_rows.c.year).where(
                procedure_rows.c.current)).tuples().all())

    def procedure_totals(self, year: int | None, units=None, level: str | None = None) -> dict[str, int]:
        """Procedure counts of a year summed over units (all zero when none are stored)."""
        sums = [sa.func.coalesce(sa.func.sum(procedure_rows.c[f]), 0).label(f) for f in PROCEDURE_FIELDS]
        query = sa.select(*sums).where(procedure_rows.c.current, procedure_rows.c.year == year)
        if units:
            query = query.where(procedure_rows.c.unit.in_(list(units)))
        if level:
            query = query.where(procedure_rows.c.level == level)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return {f: int(row[f]) if row else 0 for f in PROCEDURE_FIELDS}

    def rules_json(self, plan_year: int | None = None) -> str | None:
        plan = self.current_plan(plan_year)
        if plan is None:
            return None
        with self.engine.connect() as conn:
            return conn.execute(sa.select(rule_versions.c.rules).where(
                rule_versions.c.plan_id == plan.id, rule_versions.c.current)).scalar()

    def set_rules(self, rules_json: str, user: str | None = None, plan_year: int | None = None) -> int:
        """Store a plan's scoring rules as a new version; recorded as an entry in history."""
        plan = self.current_plan(plan_year)
        if plan is None:
            raise KeyError("no plan")
        with self._write() as conn:
            entry = self._record_import(conn, "rules", rules_json.encode("utf-8"), "", user, False,
                                        {"plan_year": plan.plan_year, "rules": True})
            conn.execute(rule_versions.update().where(rule_versions.c.plan_id == plan.id, rule_versions.c.current)
                         .values(current=False))
            conn.execute(rule_versions.insert().values(plan_id=plan.id, rules=rules_json, import_id=entry,
                                                       current=True, updated_at=_now(),
                                                       updated_by=user or current_user()))
        return entry

    # ------------------------------------------------------------------ QĐ 766 scores
    def index766_maxima(self) -> dict[str, float]:
        """The groups' current maxima {group: points} (fields.INDEX766_GROUPS): the newest version set and not
        undone, else the defaults of cchc/read/vocabularies/index766.toml (18, 20, 12, 10, 18, 22)."""
        from ..read.index766 import DEFAULT_MAXIMA

        with self.engine.connect() as conn:
            row = conn.execute(sa.select(*(index766_maxima.c[g] for g in INDEX766_GROUPS)).where(
                index766_maxima.c.current, index766_maxima.c.scope == "").order_by(
                index766_maxima.c.id.desc())).first()
        return dict(DEFAULT_MAXIMA) if row is None else {g: float(v) for g, v in zip(INDEX766_GROUPS, row)}

    def set_index766_maxima(self, maxima: dict, user: str | None = None) -> int:
        """Store the six groups' maxima as a new version (an entry in history, undone by a rollback like any
        other); ValueError (its message Vietnamese) when one is missing, not a number or not positive."""
        from ..read.index766 import validate_maxima

        values = validate_maxima(maxima)
        with self._write() as conn:
            entry = self._record_import(conn, "index766_maxima", b"", "", user, False, {"maxima": values})
            conn.execute(index766_maxima.update().where(index766_maxima.c.scope == "", index766_maxima.c.current)
                         .values(current=False))
            conn.execute(index766_maxima.insert().values(import_id=entry, scope="", current=True, updated_at=_now(),
                                                         updated_by=user or current_user(), **values))
        return entry

    def index766_maxima_versions(self) -> pd.DataFrame:
        """Every version of the maxima, newest first: import_id, the six groups, current, updated_at, updated_by."""
        columns = ["import_id", *INDEX766_GROUPS, "current", "updated_at", "updated_by"]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(*(index766_maxima.c[c] for c in columns)).where(
                index766_maxima.c.scope == "").order_by(index766_maxima.c.id.desc())).tuples().all()
        return pd.DataFrame(rows, columns=columns)

    def index766_thresholds(self) -> tuple[float, float]:
        """(low, high): the totals below which units are called out ("Dưới 80 điểm", "Từ 80 đến dưới 90"), the
        newest version in force (not undone by a rollback), else fields.INDEX766_THRESHOLDS."""
        versions = self.index766_thresholds_versions()
        current = versions[versions["current"]]
        return INDEX766_THRESHOLDS if current.empty else (float(current["low"].iloc[0]),
                                                          float(current["high"].iloc[0]))

    def set_index766_thresholds(self, low, high, user: str | None = None) -> int:
        """Store the thresholds as a new version: an entry in history (its summary holds them), undone by a
        rollback like any other; ValueError (its message Vietnamese) unless 0 < low < high <= the maxima's sum."""
        low, high = validate_index766_thresholds(low, high, sum(self.index766_maxima().values()))
        with self._write() as conn:
            return self._record_import(conn, "index766_thresholds", b"", "", user, False,
                                       {"index766_thresholds": [low, high]})

    def index766_thresholds_versions(self) -> pd.DataFrame:
        """Every version of the thresholds, newest first: import_id, low, high, current (the one in force),
        updated_at, updated_by. The entries are the versions: no table of their own (nothing else to keep)."""
        undone = sa.select(entry_reverts.c.entry_id).where(entry_reverts.c.restored_by.is_(None))
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(imports.c.id, imports.c.summary, imports.c.created_at, imports.c.user,
                                          imports.c.id.in_(undone).label("undone"))
                                .where(imports.c.kind == "index766_thresholds")
                                .order_by(imports.c.id.desc())).tuples().all()
        frame = pd.DataFrame([(i, *json.loads(s)["index766_thresholds"], False, at, who, bool(gone))
                              for i, s, at, who, gone in rows],
                             columns=["import_id", "low", "high", "current", "updated_at", "updated_by", "undone"])
        in_force = frame.index[~frame["undone"]]
        if len(in_force):
            frame.loc[in_force[0], "current"] = True
        return frame.drop(columns="undone").astype({"low": "float64", "high": "float64", "current": bool})

    def _index766_stored(self, conn, units: list[str]) -> set[tuple[str, str]]:
        stored = set()
        for chunk in _chunks(sorted(set(units)), 500):
            stored |= {(u, _join_period(p, e)) for u, p, e in conn.execute(
                sa.select(index766_rows.c.unit, index766_rows.c.period, index766_rows.c.period_end).where(
                    index766_rows.c.current, index766_rows.c.unit.in_(chunk))).tuples()}
        return stored

    def index766_preview(self, records: pd.DataFrame) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(added, replaced): the (unit, period label) an import of these records would add, and replace."""
        keys = sorted(set(zip(records["unit"], records["period"])))
        with self.engine.connect() as conn:
            stored = self._index766_stored(conn, [u for u, _ in keys])
        return [k for k in keys if k not in stored], [k for k in keys if k in stored]

    def import_index766(self, records: pd.DataFrame, data: bytes, filename: str = "", user: str | None = None,
                        illustrative: bool = False) -> ImportOutcome:
        """Store QĐ 766 scores (read.index766 records) in one transaction; the same unit and period again supersedes
        the stored score (kept in history, back after a rollback). A month and a span (quarter, year) of one unit
        are different scores and never replace each other."""
        if (records["period"].astype(str) == "").any():
            raise ValueError("scores without a period cannot be stored")
        keys = sorted(set(zip(records["unit"], records["period"])))
        scores = (*INDEX766_GROUPS, "total")
        with self._write() as conn:
            stored = self._index766_stored(conn, [u for u, _ in keys])
            replaced = [k for k in keys if k in stored]
            added = [k for k in keys if k not in stored]
            summary = {"index766": len(records), "units": int(records["unit"].nunique()),
                       "periods": sorted({p for _, p in keys}), "added": len(added), "replaced": len(replaced)}
            import_id = self._record_import(conn, "index766", data, filename, user, illustrative, summary)
            by_period: dict[str, list[str]] = {}
            for unit, label in replaced:
                by_period.setdefault(label, []).append(unit)
            for label, units_here in sorted(by_period.items()):
                start, end = _split_period(label)
                same_end = index766_rows.c.period_end.is_(None) if end is None else index766_rows.c.period_end == end
                for chunk in _chunks(units_here, 500):
                    conn.execute(index766_rows.update().where(
                        index766_rows.c.current, index766_rows.c.period == start, same_end,
                        index766_rows.c.unit.in_(chunk)).values(current=False))
            payload = []
            for record in records.to_dict("records"):
                start, end = _split_period(record["period"])
                payload.append({"import_id": import_id, "unit": str(record["unit"]), "level": str(record["level"] or ""),
                                "year": int(record["year"]), "period": start, "period_end": end, "current": True,
                                **{f: _maybe_float(record[f]) for f in scores},
                                "rank": None if _maybe_float(record["rank"]) is None else int(record["rank"])})
            if payload:
                conn.execute(index766_rows.insert(), payload)
        return ImportOutcome(import_id, added, replaced)

    def index766_scores(self, start: str | None = None, end: str | None = None, units=None, level: str | None = None,
                        spans: bool | None = None) -> pd.DataFrame:
        """Current QĐ 766 scores: unit, level, year, period ("2025-06", a span "2025-04..2025-06"), the six groups,
        total (floats, NaN where the file gave none) and rank (float, NaN when not given), ordered by period then
        unit. `start`/`end` ("YYYY-MM"): the scores whose period lies wholly inside; `units`: names; `level`: a
        level code; `spans`: None for every score, False for months only, True for spans only."""
        scores = (*INDEX766_GROUPS, "total")
        query = sa.select(index766_rows.c.unit, index766_rows.c.level, index766_rows.c.year, index766_rows.c.period,
                          index766_rows.c.period_end, *(index766_rows.c[f] for f in scores),
                          index766_rows.c.rank).where(index766_rows.c.current)
        if start:
            query = query.where(index766_rows.c.period >= start)
        if end:
            query = query.where(sa.func.coalesce(index766_rows.c.period_end, index766_rows.c.period) <= end)
        if units:
            query = query.where(index766_rows.c.unit.in_(list(units)))
        if level:
            query = query.where(index766_rows.c.level == level)
        if spans is not None:
            query = query.where(index766_rows.c.period_end.is_not(None) if spans else
                                index766_rows.c.period_end.is_(None))
        query = query.order_by(index766_rows.c.period, index766_rows.c.period_end, index766_rows.c.unit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).tuples().all()
        frame = pd.DataFrame(rows, columns=["unit", "level", "year", "period", "period_end", *scores, "rank"])
        frame["period"] = [_join_period(p, e) for p, e in zip(frame["period"], frame["period_end"])]
        frame = frame.drop(columns="period_end")
        return frame.astype({"year": "int64", **{f: "float64" for f in (*scores, "rank")}})

    def index766_periods(self) -> list[str]:
        """The periods with current scores: months "2025-06" and spans "2025-04..2025-06", in order."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(index766_rows.c.period, index766_rows.c.period_end).where(
                index766_rows.c.current).distinct()).tuples().all()
        return sorted({_join_period(p, e) for p, e in rows})

    def index766_units(self) -> pd.DataFrame:
        """The units with current scores: unit, level, ordered by level then name."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(index766_rows.c.unit, index766_rows.c.level).where(index766_rows.c.current)
                                .distinct().order_by(index766_rows.c.level, index766_rows.c.unit)).tuples().all()
        return pd.DataFrame(rows, columns=["unit", "level"])

    # ------------------------------------------------------------------ column mappings
    def save_mapping(self, name: str, signature: str, columns: dict[str, str], user: str | None = None) -> int:
        """Save (a new version of) a named column mapping; recorded as an entry in history, rolled back like one."""
        name = name.strip()
        if not name:
            raise ValueError("a mapping needs a name")
        with self._write() as conn:
            entry = self._record_import(conn, "mapping", b"", "", user, False,
                                        {"mapping": name, "columns": len(columns)})
            conn.execute(mappings.update().where(mappings.c.name == name, mappings.c.current).values(current=False))
            conn.execute(mappings.insert().values(
                import_id=entry, name=name, signature=signature, columns=json.dumps(columns, ensure_ascii=False),
                current=True, updated_at=_now(), updated_by=user or current_user()))
        return entry

    def saved_mappings(self) -> list[dict]:
        """The current saved mappings: [{"name", "signature", "columns"}], newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(mappings.c.name, mappings.c.signature, mappings.c.columns)
                                .where(mappings.c.current).order_by(mappings.c.id.desc())).mappings().all()
        return [{"name": r["name"], "signature": r["signature"], "columns": json.loads(r["columns"])} for r in rows]

    # ------------------------------------------------------------------ history and rollback
    def _reverted_at(self, conn, moment: int) -> set[int]:
        """Entries undone as of entry `moment` (after it was made)."""
        rows = conn.execute(sa.select(entry_reverts.c.entry_id).where(
            entry_reverts.c.reverted_by <= moment,
            sa.or_(entry_reverts.c.restored_by.is_(None), entry_reverts.c.restored_by > moment))).scalars()
        return set(rows)

    def _data_entries(self, conn, up_to: int) -> set[int]:
        return set(conn.execute(sa.select(imports.c.id).where(
            imports.c.id <= up_to, imports.c.kind.in_(DATA_KINDS))).scalars())

    def active_entries(self, moment: int | None = None) -> set[int]:
        """The data entries in force right after entry `moment` (now, when None)."""
        with self.engine.connect() as conn:
            moment = moment if moment is not None else self.data_version()
            return self._data_entries(conn, moment) - self._reverted_at(conn, moment)

    def rollback_to(self, entry_id: int, user: str | None = None) -> int:
        """Return the data to exactly how it was right after entry `entry_id`. The rollback is an entry itself.

        Undo a rollback R by rolling back to R − 1 (the state just before it).
        """
        with self._write() as conn:
            latest = conn.execute(sa.select(sa.func.max(imports.c.id))).scalar() or 0
            if not 0 <= entry_id <= latest:
                raise KeyError(entry_id)
            desired = self._data_entries(conn, entry_id) - self._reverted_at(conn, entry_id)
            active = self._data_entries(conn, latest) - self._reverted_at(conn, latest)
            to_revert, to_restore = sorted(active - desired), sorted(desired - active)
            rollback = self._record_import(conn, "rollback", b"", "", user, False,
                                           {"to": entry_id, "reverted": to_revert, "restored": to_restore})
            if to_revert:
                conn.execute(entry_reverts.insert(), [{"entry_id": e, "reverted_by": rollback} for e in to_revert])
            for entry in to_restore:
                conn.execute(entry_reverts.update().where(entry_reverts.c.entry_id == entry,
                                                          entry_reverts.c.restored_by.is_(None))
                             .values(restored_by=rollback))
            _recompute_current(conn)
        return rollback

    def entry_changes(self, entry_id: int) -> pd.DataFrame:
        """What one entry changed, one row per thing: (Đối tượng, Kỳ/Năm, Thao tác)."""
        columns = ["Đối tượng", "Kỳ", "Thao tác"]
        with self.engine.connect() as conn:
            entry = conn.execute(sa.select(imports.c.kind, imports.c.summary).where(
                imports.c.id == entry_id)).first()
            if entry is None:
                return pd.DataFrame(columns=columns)
            summary = json.loads(entry.summary or "{}")
            rows: list[dict] = []
            for table_name, keys in VERSIONED:
                table = metadata.tables[table_name]
                older = table.alias("older")
                replaced = sa.exists().where(older.c.id < table.c.id, older.c.import_id < entry_id,
                                             *(older.c[k].is_not_distinct_from(table.c[k]) for k in keys))
                found = conn.execute(sa.select(*(table.c[k] for k in keys), replaced.label("replaced")).where(
                    table.c.import_id == entry_id).order_by(*(table.c[k] for k in keys))).all()
                for found_row in found:
                    *key, was_replaced = found_row
                    rows.append({"Đối tượng": _describe_key(table_name, key),
                                 "Kỳ": _describe_period(table_name, key),
                                 "Thao tác": "Thay thế" if was_replaced else "Thêm mới"})
        if entry.kind == "rollback":
            rows += [{"Đối tượng": f"Lần {e}", "Kỳ": "", "Thao tác": "Hủy"} for e in summary.get("reverted", [])]
            rows += [{"Đối tượng": f"Lần {e}", "Kỳ": "", "Thao tác": "Khôi phục"} for e in summary.get("restored", [])]
        return pd.DataFrame(rows, columns=columns)

    # ------------------------------------------------------------------ accounts
    def get_user(self, username: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.username == username)).mappings().first()
        return dict(row) if row else None

    def list_users(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(users.c.username, users.c.display_name, users.c.role, users.c.agency,
                                          users.c.disabled, users.c.locked_until, users.c.created_at)
                                .order_by(users.c.username)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows], columns=["username", "display_name", "role", "agency",
                                                             "disabled", "locked_until", "created_at"])

    def has_users(self) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one())

    def save_user(self, username: str, **fields) -> None:
        """Create or update an account (fields: display_name, role, agency, password_hash, disabled, …)."""
        now = _now()
        if "password_hash" in fields:  # a new password ends every session opened with the old one
            fields = {**fields, "password_changed_at": now}
        with self._write() as conn:
            exists = conn.execute(sa.select(users.c.username).where(users.c.username == username)).first()
            if fields.get("disabled") or "password_hash" in fields:
                conn.execute(login_sessions.update().where(login_sessions.c.username == username,
                                                           login_sessions.c.revoked_at.is_(None))
                             .values(revoked_at=now))
            if exists:
                conn.execute(users.update().where(users.c.username == username).values(**fields, updated_at=now))
            else:
                conn.execute(users.insert().values(username=username, created_at=now, updated_at=now, **fields))

    # ------------------------------------------------------------------ reading
    def import_history(self) -> pd.DataFrame:
        """Every entry, newest first. created_at is UTC; user_name is who acted as people know them: the account's
        display name while the account exists and has one, else the login name stored with the entry."""
        display = sa.func.nullif(sa.func.trim(users.c.display_name), "")
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(
                imports.c.id, imports.c.kind, imports.c.filename, imports.c.sha256, imports.c.size,
                imports.c.created_at, imports.c.user, imports.c.illustrative, imports.c.summary,
                sa.func.coalesce(display, imports.c.user).label("user_name"),
            ).select_from(imports.outerjoin(users, users.c.username == imports.c.user))
                .order_by(imports.c.id.desc())).mappings().all()
        frame = pd.DataFrame([dict(r) for r in rows], columns=[
            "id", "kind", "filename", "sha256", "size", "created_at", "user", "illustrative", "summary", "user_name"])
        frame["summary"] = frame["summary"].map(json.loads)
        return frame

    def data_version(self) -> int:
        """The latest entry's id: changes on every import or edit, so caches keyed on it stay correct."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(imports.c.id), 0))).scalar_one())

    def import_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(imports)).scalar_one()

    def import_content(self, import_id: int) -> tuple[str, bytes] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(imports.c.filename, imports.c.content).where(
                imports.c.id == import_id)).first()
        return (row.filename, row.content) if row else None

    def has_illustrative_data(self) -> bool:
        """True while any current statistics row came from an illustrative import (the shipped sample, or a
        shipped illustrative file uploaded again): the notice goes only once every such row is replaced."""
        with self.engine.connect() as conn:
            stats = conn.execute(sa.select(sa.func.count()).select_from(
                stats_rows.join(imports, stats_rows.c.import_id == imports.c.id)).where(
                stats_rows.c.current, imports.c.illustrative)).scalar_one()
        return bool(stats)

    def plan_years(self) -> list[int]:
        with self.engine.connect() as conn:
            return sorted(y for y in conn.execute(sa.select(plans.c.plan_year).where(
                plans.c.current).distinct()).scalars() if y is not None)

    def current_plan(self, plan_year: int | None = None) -> Plan | None:
        """The current plan of a year (the latest year when none is given), targets as stored."""
        with self.engine.connect() as conn:
            query = sa.select(plans).where(plans.c.current)
            if plan_year is not None:
                query = query.where(plans.c.plan_year == plan_year)
            row = conn.execute(query.order_by(plans.c.plan_year.desc(), plans.c.id.desc())).mappings().first()
            if row is None:
                return None
            dom_rows = conn.execute(sa.select(domains).where(domains.c.plan_id == row["id"])
                                    .order_by(domains.c.position)).mappings().all()
            crit_rows = conn.execute(sa.select(criteria).where(criteria.c.plan_id == row["id"])
                                     .order_by(criteria.c.position)).mappings().all()
            target_rows = {t["code"]: t for t in conn.execute(
                sa.select(targets).where(targets.c.plan_id == row["id"], targets.c.current)).mappings()}
        crits = []
        for c in crit_rows:
            t = target_rows.get(c["code"])
            target = Target(t["metric"], t["op"], t["value"]) if t and t["metric"] else None
            crits.append(Criterion(
                code=c["code"], name=c["name"], domain=c["domain"], standard=c["standard"],
                appraised=c["appraised"], lost=c["lost"], solution=c["solution"], lead_text=c["lead_text"],
                partners_text=c["partners_text"], timeline=c["timeline"], note=c["note"],
                lead=json.loads(c["lead"]), partners=json.loads(c["partners"]), target=target,
                no_target_reason=t["note"] if t and not t["metric"] else ""))
        doms = [Domain(d["code"], d["name"], d["standard"], d["appraised"], d["lost"]) for d in dom_rows]
        plan = Plan(title=row["title"], appraisal_year=row["appraisal_year"], plan_year=row["plan_year"],
                    domains=doms, criteria=crits, appraisal_source=row["appraisal_source"])
        plan.id = row["id"]  # type: ignore[attr-defined]
        return plan

    def targets_frame(self, plan_year: int | None = None) -> pd.DataFrame:
        plan = self.current_plan(plan_year)
        columns = ["code", "name", "metric", "op", "value", "source", "updated_at", "updated_by"]
        if plan is None:
            return pd.DataFrame(columns=columns)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(targets).where(targets.c.plan_id == plan.id, targets.c.current)
                                ).mappings().all()
        by_code = {r["code"]: r for r in rows}
        return pd.DataFrame([{"code": c.code, "name": c.name, **{k: by_code[c.code][k] for k in columns[2:]}}
                             for c in plan.criteria if c.code in by_code], columns=columns)

    def set_target(self, code: str, target: Target | None, user: str | None = None,
                   plan_year: int | None = None) -> int:
        """Correct one criterion's target (None: no measurable target): a new version, an entry in history."""
        return self.set_targets([(code, target)], user, plan_year)[0]

    def set_targets(self, changes: list[tuple[str, Target | None]], user: str | None = None,
                    plan_year: int | None = None) -> list[int]:
        """Correct several targets in one transaction (all land or none): one history entry each, in order."""
        plan = self.current_plan(plan_year)
        codes = {c.code for c in plan.criteria} if plan is not None else set()
        for code, _ in changes:
            if code not in codes:
                raise KeyError(code)
        entries = []
        with self._write() as conn:
            for code, target in changes:
                entry = self._record_import(conn, "targets", b"", "", user, False,
                                            {"code": code, "target": target.as_dict() if target else None,
                                             "plan_year": plan.plan_year})
                conn.execute(targets.update().where(targets.c.plan_id == plan.id, targets.c.code == code,
                                                    targets.c.current).values(current=False))
                conn.execute(targets.insert().values(
                    import_id=entry, plan_id=plan.id, code=code, metric=target.metric if target else None,
                    op=target.op if target else None, value=target.value if target else None, source="user",
                    note="" if target else "Không có chỉ tiêu định lượng (người dùng sửa).", current=True,
                    updated_at=_now(), updated_by=user or current_user()))
                entries.append(entry)
        return entries

    # ------------------------------------------------------------------ statistics
    def _filtered(self, query, start: str | None, end: str | None, units=None, level: str | None = None):
        query = query.where(stats_rows.c.current)
        if start:
            query = query.where(stats_rows.c.period >= start)
        if end:  # a span counts when the chosen period holds all of it
            query = query.where(sa.func.coalesce(stats_rows.c.period_end, stats_rows.c.period) <= end)
        if units:
            query = query.where(stats_rows.c.unit.in_(list(units)))
        if level:
            query = query.where(stats_rows.c.level == level)
        return query

    def stats_records(self, start: str | None = None, end: str | None = None, units=None,
                      level: str | None = None) -> pd.DataFrame:
        """Current unit-period rows, a span's period as "2019-01..2019-03" (use the grouped queries below for
        anything large)."""
        cols = [stats_rows.c.unit, stats_rows.c.level, stats_rows.c.year, stats_rows.c.month,
                stats_rows.c.period, stats_rows.c.period_end, *(stats_rows.c[f] for f in STATS_FIELDS)]
        query = self._filtered(sa.select(*cols), start, end, units, level).order_by(
            stats_rows.c.period, stats_rows.c.period_end, stats_rows.c.unit)
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all(),
                                 columns=["unit", "level", "year", "month", "period", "period_end", *STATS_FIELDS])
        frame["period"] = [_join_period(p, e) for p, e in zip(frame["period"], frame["period_end"])]
        return frame.drop(columns="period_end")

    def stats_grouped(self, by: tuple[str, ...] = ("period",), start: str | None = None, end: str | None = None,
                      units=None, level: str | None = None) -> pd.DataFrame:
        """Summed counts grouped in the database by any of unit, level, period, year."""
        group_cols = [stats_rows.c[name] for name in by]
        sums = [sa.func.coalesce(sa.func.sum(stats_rows.c[f]), 0).label(f) for f in STATS_FIELDS]
        query = self._filtered(sa.select(*group_cols, *sums), start, end, units, level)
        if "period" in by or "month" in by:  # a span is no month: month by month it is left out (span_count says)
            query = query.where(stats_rows.c.period_end.is_(None))
        if group_cols:
            query = query.group_by(*group_cols).order_by(*group_cols)
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=[*by, *STATS_FIELDS])
        return frame.astype({f: "int64" for f in STATS_FIELDS})

    def stats_totals(self, **filters) -> dict[str, int]:
        frame = self.stats_grouped(by=(), **filters)
        return {f: int(frame[f].iloc[0]) if len(frame) else 0 for f in STATS_FIELDS}

    def stats_periods(self) -> list[str]:
        """The months with data (spans are listed by stats_spans)."""
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(stats_rows.c.period).where(
                stats_rows.c.current, stats_rows.c.period_end.is_(None)).distinct().order_by(
                stats_rows.c.period)).scalars())

    def stats_spans(self, start: str | None = None, end: str | None = None, units=None,
                    level: str | None = None) -> list[str]:
        """The multi-month records ("2019-01..2019-03") inside a period: counted in its totals, not month by month."""
        query = self._filtered(sa.select(stats_rows.c.period, stats_rows.c.period_end).where(
            stats_rows.c.period_end.is_not(None)), start, end, units, level).distinct().order_by(
            stats_rows.c.period, stats_rows.c.period_end)
        with self.engine.connect() as conn:
            return [f"{p}..{e}" for p, e in conn.execute(query).tuples()]

    def stats_units(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(stats_rows.c.unit, stats_rows.c.level).where(stats_rows.c.current)
                                .distinct().order_by(stats_rows.c.level, stats_rows.c.unit)).all()
        return pd.DataFrame(rows, columns=["unit", "level"])

    def stats_summary(self) -> dict:
        """The "stats" object of the CLI's JSON over everything stored."""
        with self.engine.connect() as conn:
            units = conn.execute(sa.select(sa.func.count(sa.distinct(stats_rows.c.unit))).where(
                stats_rows.c.current)).scalar_one()
        return {"units": int(units), "periods": sorted(self.stats_periods() + self.stats_spans()),
                "totals": self.stats_totals()}

    def dispose(self) -> None:
        self.engine.dispose()


HEAD_REVISION = "0006"


def _recompute_current(conn) -> None:
    """current = the newest row of each thing among entries not undone (VERSIONED)."""
    undone = sa.select(entry_reverts.c.entry_id).where(entry_reverts.c.restored_by.is_(None))
    for table_name, keys in VERSIONED:
        table = metadata.tables[table_name]
        inner = table.alias("candidate")
        newest = sa.select(sa.func.max(inner.c.id)).where(~inner.c.import_id.in_(undone)).group_by(
            *(inner.c[k] for k in keys))
        current = table.c.id.in_(newest)
        if "superseded_by" in table.c:  # replaced by an overlapping span: current again once that import is undone
            current = current & (table.c.superseded_by.is_(None) | table.c.superseded_by.in_(undone))
        conn.execute(table.update().values(current=current))


def _describe_key(table_name: str, key: list) -> str:
    if table_name == "plans":
        return f"Kế hoạch năm {key[0]}"
    if table_name == "progress_rows":
        return f"Tiêu chí {key[0]} ({key[2]})" if key[2] else f"Tiêu chí {key[0]}"
    if table_name == "target_versions":
        return f"Chỉ tiêu tiêu chí {key[1]}"
    if table_name == "rule_versions":
        return "Cách chấm điểm"
    if table_name == "mapping_versions":
        return f"Cách đọc cột “{key[0]}”"
    if table_name == "index766_maxima":
        return "Điểm tối đa các nhóm Bộ chỉ số 766"
    return str(key[0])


def _describe_period(table_name: str, key: list) -> str:
    if table_name in ("stats_rows", "index766_rows") and key[2]:
        start, end = str(key[1]), str(key[2])
        return f"{start[5:7]}–{end[5:7]}/{start[:4]}"
    if table_name in ("stats_rows", "progress_rows", "index766_rows"):
        period = str(key[1])
        return f"{period[5:7]}/{period[:4]}"
    if table_name == "procedure_rows":
        return str(key[1])
    return ""
_WRITE_LOCK_KEY = 7_317_011  # any constant: the application's one advisory lock


def _with_connection(config, conn):
    config.attributes["connection"] = conn
    return config


STORAGE_MESSAGES = {  # reason: what happened and what to do, after "Không lưu được: "
    "full": "ổ đĩa chứa cơ sở dữ liệu đã đầy. Không có gì được lưu. Hãy giải phóng dung lượng đĩa (xóa bớt tệp "
            "không cần trên máy chủ) hoặc báo quản trị viên, rồi thử lại.",
    "busy": "cơ sở dữ liệu đang bận với một lần ghi khác và đã chờ quá lâu. Không có gì được lưu. Hãy thử lại sau "
            "ít phút; nếu vẫn bận, báo quản trị viên.",
    "readonly": "cơ sở dữ liệu chỉ cho đọc, không cho ghi (tệp hoặc thư mục của nó không có quyền ghi). Không có gì "
                "được lưu. Hãy báo quản trị viên cấp quyền ghi cho cơ sở dữ liệu.",
    "connection": "mất kết nối tới máy chủ cơ sở dữ liệu. Không có gì được lưu. Hãy thử lại sau; nếu lỗi lặp lại, "
                  "báo quản trị viên.",
    "other": "cơ sở dữ liệu báo lỗi khi ghi. Không có gì được lưu. Hãy thử lại sau; nếu lỗi lặp lại, báo quản trị "
             "viên (chi tiết trong nhật ký của phần mềm).",
}
# SQLite primary result codes (the low byte of sqlite_errorcode) that are the storage's condition, not the data's
_SQLITE_REASONS = {13: "full", 5: "busy", 6: "busy", 8: "readonly", 14: "readonly", 3: "readonly", 10: "other",
                   11: "other", 26: "other"}
# PostgreSQL SQLSTATEs (exact, then by class) that are the storage's condition
_PG_REASONS = {"53100": "full", "53300": "busy", "55P03": "busy", "40P01": "busy", "40001": "busy", "57014": "busy",
               "25006": "readonly", "42501": "readonly", "57P01": "connection", "57P02": "connection",
               "57P03": "connection"}
_PG_CLASSES = {"08": "connection", "53": "other", "58": "other", "XX": "other"}
_TEXT_REASONS = (("disk is full", "full"), ("no space left", "full"), ("could not extend", "full"),
                 ("database is locked", "busy"), ("database table is locked", "busy"), ("readonly", "readonly"),
                 ("read-only", "readonly"), ("server closed the connection", "connection"),
                 ("connection", "connection"))


def validate_index766_thresholds(low, high, ceiling: float = 100.0) -> tuple[float, float]:
    """The QĐ 766 thresholds as floats; ValueError (Vietnamese) unless both are numbers, 0 < low < high <= ceiling
    (the sum of the groups' maxima)."""
    values = []
    for name, value in (("dưới", low), ("trên", high)):
        try:
            number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise ValueError(f"Ngưỡng {name} phải là một số (đang là “{value}”).") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"Ngưỡng {name} phải là một số.")
        values.append(number)
    low, high = values
    if not 0 < low < high:
        raise ValueError("Ngưỡng dưới phải lớn hơn 0 và nhỏ hơn ngưỡng trên.")
    if high > ceiling + 1e-9:
        raise ValueError(f"Ngưỡng trên không được vượt tổng điểm tối đa "
                         f"{('%g' % ceiling).replace('.', ',')} điểm.")
    return low, high


class StorageError(Exception):
    """A write the database could not take (disk full, locked past the timeout, read-only, connection lost): the
    transaction was rolled back, nothing of it is stored. `message` is Vietnamese and says what to do; `reason`
    is one of STORAGE_MESSAGES; the database's own error is the __cause__ (and in the log)."""

    def __init__(self, reason: str):
        self.reason = reason if reason in STORAGE_MESSAGES else "other"
        self.message = "Không lưu được: " + STORAGE_MESSAGES[self.reason]
        super().__init__(self.message)


def storage_reason(error: BaseException) -> str | None:
    """Which storage condition a database error is, or None when it is none (a constraint, a bad value, a bug:
    those stay what they are, e.g. for backup.restore to call a backup damaged)."""
    if not isinstance(error, sa.exc.DBAPIError):
        return None
    orig = error.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_REASONS:
        return _SQLITE_REASONS[code & 0xFF]
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if isinstance(state, str) and (state in _PG_REASONS or state[:2] in _PG_CLASSES):
        return _PG_REASONS.get(state) or _PG_CLASSES[state[:2]]
    if error.connection_invalidated:
        return "connection"
    if isinstance(error, sa.exc.OperationalError):  # DB-API: "related to the database's operation"
        text = str(orig).lower()
        return next((reason for words, reason in _TEXT_REASONS if words in text), "other")
    return None


def _storage_error(error: BaseException) -> StorageError | None:
    reason = storage_reason(error)
    if reason is None:
        return None
    import logging

    logging.getLogger("cchc").warning("write refused by the database (%s): %s", reason, error)
    return StorageError(reason)


class _WriteTransaction:
    """engine.begin() for a write; a storage failure anywhere in it (BEGIN, a statement, COMMIT) is a StorageError,
    raised after the rollback."""

    def __init__(self, engine):
        self.engine = engine.execution_options(write=True)
        self._context = None

    def __enter__(self):
        try:
            self._context = self.engine.begin()
            conn = self._context.__enter__()
        except sa.exc.DBAPIError as error:
            translated = _storage_error(error)
            if translated is None:
                raise
            raise translated from error
        try:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})
        except BaseException as error:
            self.__exit__(type(error), error, error.__traceback__)
            raise
        return conn

    def __exit__(self, exc_type, exc, tb):
        try:
            suppressed = self._context.__exit__(exc_type, exc, tb)
        except sa.exc.DBAPIError as error:  # the commit (or the rollback) failed
            translated = _storage_error(error)
            if translated is None:
                raise
            raise translated from error
        if exc is not None and not suppressed and (translated := _storage_error(exc)) is not None:
            raise translated from exc
        return suppressed


def _test_hold(stage: str) -> None:
    """Tests kill an import mid-way: with CCHC_TEST_HOLD_IMPORT=<file>, announce the stage and wait there."""
    marker = os.environ.get("CCHC_TEST_HOLD_IMPORT")
    if marker:
        import time

        Path(marker).write_text(stage)
        time.sleep(3600)


STATS_COLUMNS = ("import_id", "unit", "level", "year", "month", "period", "period_end", "current", *STATS_FIELDS)


def _bulk_insert_stats(conn, rows: pd.DataFrame, import_id: int) -> None:
    """Insert many statistics rows fast: plain tuples through the driver (COPY on PostgreSQL).

    Building one dict per row and letting SQLAlchemy bind 25 parameters each cost 4× the driver's own time.
    """
    count = len(rows)
    columns = [[import_id] * count, rows["unit"].astype(str).tolist(), rows["level"].astype(str).tolist(),
               rows["year"].astype("int64").tolist(), rows["month"].astype("int64").tolist(),
               rows["period"].astype(str).tolist(),
               (rows["period_end"].tolist() if "period_end" in rows else [None] * count), [True] * count,
               *(rows[f].astype("int64").tolist() for f in STATS_FIELDS)]
    tuples = list(zip(*columns))
    names = ", ".join(f'"{c}"' for c in STATS_COLUMNS)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.dbapi_connection.cursor()
        with cursor.copy(f"COPY stats_rows ({names}) FROM STDIN") as copy:
            for index, record in enumerate(tuples):
                copy.write_row(record)
                if index == 0:
                    _test_hold("stats rows inserted")
        return
    placeholders = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in STATS_COLUMNS)
    sql = f"INSERT INTO stats_rows ({names}) VALUES ({placeholders})"
    for index, chunk in enumerate(_chunks(tuples, 20000)):
        conn.exec_driver_sql(sql, chunk)
        if index == 0:
            _test_hold("stats rows inserted")


def _changes_entry(changed_values: int | None, changed_rows: int | None) -> dict:
    """The summary's record of what replacing changed; only where something was replaced (0 values in 0 things
    is then "không đổi số liệu nào"), so an import that only adds keeps its summary as before."""
    return {"changed_values": changed_values, "changed_rows": changed_rows} if changed_rows is not None else {}


def _count_changes(before: pd.DataFrame, after: pd.DataFrame) -> tuple[int, int]:
    """(values that differ, things with any difference) between two frames of the same things (index) and
    columns; a thing missing from one side counts as all its values changed."""
    if before.empty and after.empty:
        return 0, 0
    index = before.index.union(after.index)
    old = before.reindex(index)
    new = after.reindex(index)[list(before.columns)]
    differs = ~((old == new) | (old.isna() & new.isna()))
    return int(differs.to_numpy().sum()), int(differs.any(axis=1).sum())


def _stats_changes(conn, by_period: dict[str, list[str]], records: pd.DataFrame):
    """Of the unit-periods an import replaces ({period label: units}), how many stored figures it changes and in
    how many unit-periods (None, None: it replaces none). A unit-period is compared as a whole: its rows summed,
    as totals count them."""
    if not by_period:
        return None, None
    stored = []
    for label, units_here in by_period.items():
        start, end = _split_period(label)
        same_end = stats_rows.c.period_end.is_(None) if end is None else stats_rows.c.period_end == end
        for chunk in _chunks(units_here, 500):
            stored += [(label, *row) for row in conn.execute(
                sa.select(stats_rows.c.unit, *(stats_rows.c[f] for f in STATS_FIELDS)).where(
                    stats_rows.c.current, stats_rows.c.period == start, same_end,
                    stats_rows.c.unit.in_(chunk))).tuples()]
    keys = ["unit", "period"]
    before = pd.DataFrame(stored, columns=["period", "unit", *STATS_FIELDS]).astype(
        {f: "int64" for f in STATS_FIELDS}).groupby(keys).sum()
    wanted = pd.MultiIndex.from_tuples([(u, p) for p, units_here in by_period.items() for u in units_here],
                                       names=keys)
    after = records[[*keys, *STATS_FIELDS]].astype({f: "int64" for f in STATS_FIELDS}).groupby(keys).sum()
    return _count_changes(before, after.loc[after.index.isin(wanted)])


def _progress_changes(conn, replaced: list[tuple[str, str, str]], rows: pd.DataFrame):
    """Of the reports an import replaces, how many stored values (value, status, document, note) it changes."""
    if not replaced:
        return None, None
    keys, fields = ["code", "period", "agency"], [c for c in PROGRESS_COLUMNS if c not in ("code", "period", "agency")]
    stored = []
    for chunk in _chunks(sorted({k[0] for k in replaced}), 500):
        stored += conn.execute(sa.select(*(progress_rows.c[c] for c in (*keys, *fields))).where(
            progress_rows.c.current, progress_rows.c.code.in_(chunk))).tuples().all()

    def normal(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
        for c in fields:
            if c != "value":
                frame[c] = frame[c].fillna("").astype(str)
        return frame.drop_duplicates(keys, keep="last").set_index(keys)[fields]

    wanted = set(replaced)
    before = normal(pd.DataFrame(stored, columns=[*keys, *fields]))
    after = normal(rows[[*keys, *fields]])
    return _count_changes(before.loc[[k in wanted for k in before.index]],
                          after.loc[[k in wanted for k in after.index]])


def _procedure_changes(conn, replaced: list[tuple[str, int]], rows: pd.DataFrame):
    """Of the unit-years an import replaces, how many stored procedure counts it changes."""
    if not replaced:
        return None, None
    stored = []
    for chunk in _chunks(sorted({u for u, _ in replaced}), 500):
        stored += conn.execute(sa.select(procedure_rows.c.unit, procedure_rows.c.year,
                                         *(procedure_rows.c[f] for f in PROCEDURE_FIELDS)).where(
            procedure_rows.c.current, procedure_rows.c.unit.in_(chunk))).tuples().all()
    keys, wanted = ["unit", "year"], set(replaced)
    before = pd.DataFrame(stored, columns=[*keys, *PROCEDURE_FIELDS])
    after = rows[[*keys, *PROCEDURE_FIELDS]].copy()
    frames = []
    for frame in (before, after):
        frame = frame.astype({"year": "int64", **{f: "int64" for f in PROCEDURE_FIELDS}}).groupby(keys).sum()
        frames.append(frame.loc[[k in wanted for k in frame.index]])
    return _count_changes(*frames)


class PeriodConflict(ValueError):
    """An import whose spans and months would count a month twice; nothing was written."""

    def __init__(self, conflicts: list[tuple[str, str, str]]):
        super().__init__(f"{len(conflicts)} overlapping periods")
        self.conflicts = conflicts


def _split_period(label: str) -> tuple[str, str | None]:
    """"2019-01" → ("2019-01", None); "2019-01..2019-03" → ("2019-01", "2019-03")."""
    start, _, end = str(label).partition("..")
    return start, (end or None)


def _join_period(start: str, end: str | None) -> str:
    return f"{start}..{end}" if isinstance(end, str) and end and end != start else start


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _maybe_float(value) -> float | None:
    """A score for the database: None for NaN or None (nothing given), else a float."""
    if value is None:
        return None
    number = float(value)
    return None if pd.isna(number) else number


def _plain(record: dict) -> dict:
    """numpy scalars → Python numbers, which every DB driver accepts."""
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in record.items()}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Python's sqlite3 opens transactions itself; let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE
    # so two imports serialise instead of failing on a lock upgrade.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(conn) -> None:
    # Writers take the write lock up front (serialised, never a failed lock upgrade); readers use a plain
    # BEGIN and, with WAL, never wait for a writer nor see half an import.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def plan_for(store: "Store", year: int | None) -> Plan | None:
    """The plan that governs a year: its own, else the latest earlier one, else the latest stored."""
    years = store.plan_years()
    if not years:
        return None
    if year is not None and year in years:
        return store.current_plan(year)
    earlier = [y for y in years if year is not None and y <= year]
    return store.current_plan(earlier[-1] if earlier else years[-1])
