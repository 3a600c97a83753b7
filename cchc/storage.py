"""The store: every import with its original bytes, the plans, the targets, and the monthly statistics.

SQLAlchemy Core on a SQLite file under data/ by default, any database through CCHC_DATABASE_URL. One import
is one transaction. A unit-month imported again supersedes the earlier row (kept, marked not current), so
totals never count a month twice and history keeps every version.
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

from .fields import PROCEDURE_FIELDS, STATS_FIELDS
from .plan import Criterion, Domain, Plan
from .targets import Target

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
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

targets = sa.Table(
    "criterion_targets", metadata,
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
    sa.Column("code", sa.String(20), primary_key=True),
    sa.Column("metric", sa.String(60), nullable=True),  # NULL: no measurable target
    sa.Column("op", sa.String(2), nullable=True),
    sa.Column("value", sa.Float, nullable=True),
    sa.Column("source", sa.String(10), nullable=False),  # parsed | user
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
)

stats_rows = sa.Table(
    "stats_rows", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False, index=True),
    sa.Column("unit", sa.String(300), nullable=False),
    sa.Column("level", sa.String(50), nullable=False, server_default=""),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("period", sa.String(7), nullable=False),  # "YYYY-MM", sorts as text
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

plan_rules = sa.Table(
    "plan_rules", metadata,
    sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), primary_key=True),
    sa.Column("rules", sa.Text, nullable=False),  # rules.rules_to_json
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
)

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
        inspector = sa.inspect(self.engine)
        if not inspector.has_table("imports"):
            self.is_new = True
        metadata.create_all(self.engine)

    def _write(self):
        """A transaction that writes: lands whole or not at all."""
        return self.engine.execution_options(write=True).begin()

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
                title=plan.title, current=True)).inserted_primary_key[0]
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
                     "source": "parsed", "note": c.no_target_reason, "updated_at": now,
                     "updated_by": user or current_user()} for c in plan.criteria])
        return ImportOutcome(import_id, [], [])

    def preview_stats(self, records: pd.DataFrame) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """Which unit-months an import would add and which it would replace."""
        keys = sorted(set(zip(records["unit"], records["period"])))
        if not keys:
            return [], []
        periods = sorted({p for _, p in keys})
        with self.engine.connect() as conn:
            existing = set(conn.execute(sa.select(stats_rows.c.unit, stats_rows.c.period).where(
                stats_rows.c.current, stats_rows.c.period.in_(periods))).tuples().all())
        replaced = [k for k in keys if k in existing]
        added = [k for k in keys if k not in existing]
        return added, replaced

    def import_stats(self, records: pd.DataFrame, data: bytes, filename: str = "", user: str | None = None,
                     illustrative: bool = False) -> ImportOutcome:
        """Store statistics rows in one transaction; rows for unit-months already stored supersede them."""
        rows = records[["unit", "level", "year", "month", "period", *STATS_FIELDS]].copy()
        keys = sorted(set(zip(rows["unit"], rows["period"])))
        periods = sorted(set(rows["period"]))
        with self._write() as conn:
            existing = set(conn.execute(sa.select(stats_rows.c.unit, stats_rows.c.period).where(
                stats_rows.c.current, stats_rows.c.period.in_(periods))).tuples().all()) if periods else set()
            replaced = [k for k in keys if k in existing]
            added = [k for k in keys if k not in existing]
            summary = {"rows": len(rows), "units": int(rows["unit"].nunique()), "periods": periods,
                       "added": len(added), "replaced": len(replaced)}
            import_id = self._record_import(conn, "stats", data, filename, user, illustrative, summary)
            if replaced:
                replaced_units = sorted({u for u, _ in replaced})
                for period in sorted({p for _, p in replaced}):
                    units_here = [u for u, p in replaced if p == period]
                    for chunk in _chunks(units_here or replaced_units, 500):
                        conn.execute(stats_rows.update().where(
                            stats_rows.c.current, stats_rows.c.period == period,
                            stats_rows.c.unit.in_(chunk)).values(current=False))
            rows["import_id"] = import_id
            rows["current"] = True
            payload = rows.astype({f: "int64" for f in STATS_FIELDS}).to_dict("records")
            for chunk in _chunks(payload, 5000):
                conn.execute(stats_rows.insert(), [_plain(r) for r in chunk])
        return ImportOutcome(import_id, added, replaced)

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
            summary = {"progress": len(rows), "criteria": sorted({k[0] for k in keys}),
                       "periods": sorted({k[1] for k in keys}), "added": len(added), "replaced": len(replaced),
                       "source": source}
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
        return ImportOutcome(import_id, [(k[0], k[1]) for k in added], [(k[0], k[1]) for k in replaced])

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
            summary = {"procedure_units": len(keys), "years": sorted({y for _, y in keys}), "added": len(added),
                       "replaced": len(replaced)}
            import_id = self._record_import(conn, "procedures", data, filename, user, illustrative, summary)
            for unit, year in replaced:
                conn.execute(procedure_rows.update().where(
                    procedure_rows.c.current, procedure_rows.c.unit == unit, procedure_rows.c.year == year)
                    .values(current=False))
            payload = [{**_plain(r), "import_id": import_id, "current": True} for r in rows.to_dict("records")]
            if payload:
                conn.execute(procedure_rows.insert(), payload)
        return ImportOutcome(import_id, [(u, str(y)) for u, y in added], [(u, str(y)) for u, y in replaced])

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
            return conn.execute(sa.select(plan_rules.c.rules).where(plan_rules.c.plan_id == plan.id)).scalar()

    def set_rules(self, rules_json: str, user: str | None = None, plan_year: int | None = None) -> None:
        """Store a plan's scoring rules (replacing its earlier rules); recorded as an entry in history."""
        plan = self.current_plan(plan_year)
        if plan is None:
            raise KeyError("no plan")
        with self._write() as conn:
            self._record_import(conn, "rules", rules_json.encode("utf-8"), "", user, False,
                                {"plan_year": plan.plan_year, "rules": True})
            conn.execute(plan_rules.delete().where(plan_rules.c.plan_id == plan.id))
            conn.execute(plan_rules.insert().values(plan_id=plan.id, rules=rules_json, updated_at=_now(),
                                                    updated_by=user or current_user()))

    # ------------------------------------------------------------------ reading
    def import_history(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(
                imports.c.id, imports.c.kind, imports.c.filename, imports.c.sha256, imports.c.size,
                imports.c.created_at, imports.c.user, imports.c.illustrative, imports.c.summary,
            ).order_by(imports.c.id.desc())).mappings().all()
        frame = pd.DataFrame([dict(r) for r in rows], columns=[
            "id", "kind", "filename", "sha256", "size", "created_at", "user", "illustrative", "summary"])
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
        """True while any current plan or statistics row came from the shipped illustrative sample."""
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
                sa.select(targets).where(targets.c.plan_id == row["id"])).mappings()}
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
                    domains=doms, criteria=crits)
        plan.id = row["id"]  # type: ignore[attr-defined]
        return plan

    def targets_frame(self, plan_year: int | None = None) -> pd.DataFrame:
        plan = self.current_plan(plan_year)
        columns = ["code", "name", "metric", "op", "value", "source", "updated_at", "updated_by"]
        if plan is None:
            return pd.DataFrame(columns=columns)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(targets).where(targets.c.plan_id == plan.id)).mappings().all()
        by_code = {r["code"]: r for r in rows}
        return pd.DataFrame([{"code": c.code, "name": c.name, **{k: by_code[c.code][k] for k in columns[2:]}}
                             for c in plan.criteria if c.code in by_code], columns=columns)

    def set_target(self, code: str, target: Target | None, user: str | None = None,
                   plan_year: int | None = None) -> None:
        """Correct one criterion's target (None: no measurable target). Recorded as an entry in history."""
        plan = self.current_plan(plan_year)
        if plan is None or code not in {c.code for c in plan.criteria}:
            raise KeyError(code)
        with self._write() as conn:
            self._record_import(conn, "targets", b"", "", user, False,
                                {"code": code, "target": target.as_dict() if target else None,
                                 "plan_year": plan.plan_year})
            conn.execute(targets.update().where(targets.c.plan_id == plan.id, targets.c.code == code).values(
                metric=target.metric if target else None, op=target.op if target else None,
                value=target.value if target else None, source="user",
                note="" if target else "Không có chỉ tiêu định lượng (người dùng sửa).",
                updated_at=_now(), updated_by=user or current_user()))

    # ------------------------------------------------------------------ statistics
    def _filtered(self, query, start: str | None, end: str | None, units=None, level: str | None = None):
        query = query.where(stats_rows.c.current)
        if start:
            query = query.where(stats_rows.c.period >= start)
        if end:
            query = query.where(stats_rows.c.period <= end)
        if units:
            query = query.where(stats_rows.c.unit.in_(list(units)))
        if level:
            query = query.where(stats_rows.c.level == level)
        return query

    def stats_records(self, start: str | None = None, end: str | None = None, units=None,
                      level: str | None = None) -> pd.DataFrame:
        """Current unit-month rows (use the grouped queries below for anything large)."""
        cols = [stats_rows.c.unit, stats_rows.c.level, stats_rows.c.year, stats_rows.c.month,
                stats_rows.c.period, *(stats_rows.c[f] for f in STATS_FIELDS)]
        query = self._filtered(sa.select(*cols), start, end, units, level).order_by(
            stats_rows.c.period, stats_rows.c.unit)
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(),
                                columns=["unit", "level", "year", "month", "period", *STATS_FIELDS])

    def stats_grouped(self, by: tuple[str, ...] = ("period",), start: str | None = None, end: str | None = None,
                      units=None, level: str | None = None) -> pd.DataFrame:
        """Summed counts grouped in the database by any of unit, level, period, year."""
        group_cols = [stats_rows.c[name] for name in by]
        sums = [sa.func.coalesce(sa.func.sum(stats_rows.c[f]), 0).label(f) for f in STATS_FIELDS]
        query = self._filtered(sa.select(*group_cols, *sums), start, end, units, level)
        if group_cols:
            query = query.group_by(*group_cols).order_by(*group_cols)
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=[*by, *STATS_FIELDS])
        return frame.astype({f: "int64" for f in STATS_FIELDS})

    def stats_totals(self, **filters) -> dict[str, int]:
        frame = self.stats_grouped(by=(), **filters)
        return {f: int(frame[f].iloc[0]) if len(frame) else 0 for f in STATS_FIELDS}

    def stats_periods(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(stats_rows.c.period).where(stats_rows.c.current)
                                     .distinct().order_by(stats_rows.c.period)).scalars())

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
        return {"units": int(units), "periods": self.stats_periods(), "totals": self.stats_totals()}

    def dispose(self) -> None:
        self.engine.dispose()


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


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
