"""Check a workbook (which kind it is, its errors and warnings) and import it into the store.

Used alike by the CLI and the Dữ liệu page, so both refuse and accept exactly the same files, and refuse a file the
account may not store (cchc/rights.py) the same way.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import rights
from .findings import Finding, Findings, WorkbookRefused
from .read import index766 as index766_reader
from .read import plan as plan_reader
from .read import procedures as procedures_reader
from .read import progress as progress_reader
from .read.formulas import live_content
from .read.grid import load_workbook
from .read.index766 import Index766Result, read_index766_workbook
from .read.plan import Plan, read_plan_workbook
from .read.procedures import ProceduresResult, read_procedures_workbook
from .read.progress import ProgressResult, read_progress_workbook
from .read.stats import StatsResult, read_stats_workbook
from .read.table import detect_kind
from .registry import Registry, load_registry
from .store.accounts import User
from .store.database import ImportOutcome, Store

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SAMPLE_PLAN_FILE = DATA_DIR / "ke_hoach_75_2019.xlsx"
SAMPLE_STATS_FILE = DATA_DIR / "thong_ke_2019_minh_hoa.xlsx"
SAMPLE_PROGRESS_FILE = DATA_DIR / "tien_do_2019_minh_hoa.xlsx"
SAMPLE_PROCEDURES_FILE = DATA_DIR / "thu_tuc_2019_minh_hoa.xlsx"
SAMPLE_FILES = (SAMPLE_PLAN_FILE, SAMPLE_STATS_FILE, SAMPLE_PROGRESS_FILE, SAMPLE_PROCEDURES_FILE)
# Uploaded again, these stay marked illustrative: the sample loader's files, and the same illustrative figures in
# the template layout (cchc.sample writes both; tests/test_sample.py keeps them byte for byte as built).
ILLUSTRATIVE_FILES = (*SAMPLE_FILES, DATA_DIR / "thong_ke_2019_minh_hoa_mau.xlsx")
# Who the machine's own imports act as: the CLI (run by the machine's administrator) and the shipped sample.
MACHINE_ADMIN = User("quan-tri-may", "admin", "", "Quản trị viên của máy (dòng lệnh)")
# Workbook kinds in the order they are tried; a workbook none of them claims is read as statistics.
_KINDS = (("plan", plan_reader.VOCABULARY), ("progress", progress_reader.VOCABULARY),
          ("procedures", procedures_reader.VOCABULARY), ("index766", index766_reader.VOCABULARY))


@dataclass
class CheckResult:
    # "plan" | "stats" | "progress" | "procedures" | "index766" | None when the file could not be read at all
    kind: str | None
    findings: Findings
    plan: Plan | None = None
    stats: StatsResult | None = None
    progress: ProgressResult | None = None
    procedures: ProceduresResult | None = None
    index766: Index766Result | None = None  # QĐ 766 scores
    preview: dict = field(default_factory=dict)  # {"added": [(unit, period)], "replaced": [...]}

    @property
    def needs_period(self) -> bool:
        """Refused only because the file states no period: the user may name it (a picker, --period)."""
        return self.stats is not None and bool(self.stats.period_missing) or \
            self.index766 is not None and bool(self.index766.period_missing)

    @property
    def ok(self) -> bool:
        return self.findings.ok and any(x is not None for x in (self.plan, self.stats, self.progress,
                                                                 self.procedures, self.index766))

    def as_dict(self) -> dict:
        out = {"ok": self.ok, "kind": self.kind, **self.findings.as_dict()}
        if self.kind == "plan":
            out["plan"] = self.plan.as_dict() if self.plan else None
        elif self.kind == "stats":
            out["stats"] = stats_object(self.stats) if self.stats is not None and self.ok else None
            out["mapping"] = self.stats.mapping if self.stats is not None else []
            out["derived"] = self.stats.derived if self.stats is not None else []
        elif self.kind == "progress" and self.ok:
            records = self.progress.records
            out["progress"] = {"reports": len(records), "criteria": sorted(records["code"].unique().tolist()),
                               "periods": sorted(records["period"].unique().tolist())}
        elif self.kind == "procedures" and self.ok:
            records = self.procedures.records
            out["procedures"] = {"units": int(records["unit"].nunique()),
                                 "years": sorted(int(y) for y in records["year"].unique())}
        elif self.kind == "index766":
            # the CLI's contract: units (a count), periods ("YYYY-MM" or "YYYY-MM..YYYY-MM"), the group codes found
            scores = self.index766
            out["index766"] = {"units": int(scores.records["unit"].nunique()), "periods": scores.periods(),
                               "groups": scores.codes} if scores is not None and self.ok else None
        return out


def stats_object(result: StatsResult) -> dict:
    records = result.records
    from .fields import STATS_FIELDS

    return {"units": int(records["unit"].nunique()) if len(records) else 0,
            "periods": sorted(records["period"].unique().tolist()) if len(records) else [],
            "totals": {f: int(records[f].sum()) if len(records) else 0 for f in STATS_FIELDS}}


def check_file(data: bytes, filename: str = "", registry: Registry | None = None,
               plan: Plan | None = None, period: tuple[int, ...] | None = None, mappings: list[dict] | None = None,
               forced_mapping: dict | None = None, maxima: dict | None = None) -> CheckResult:
    """Read and check a workbook of any kind; never raises for bad input.

    `plan` (the stored plan) lets a progress report's criterion codes be checked against it. `period` (year,
    month): the period the user names for a statistics file that states none (never over one it states).
    `mappings`: the saved column mappings (Store.saved_mappings), applied to a table of the same layout;
    `forced_mapping`: one mapping the user chose, applied whatever the layout. `maxima`: the QĐ 766 groups' maxima
    (Store.index766_maxima) a score file is checked against (the defaults when None; apply_index766_maxima redoes
    that check on a result checked elsewhere, e.g. in the bounded child process).
    """
    try:
        return _check_file(data, filename, registry or load_registry(), plan, period, mappings, forced_mapping,
                           maxima)
    except Exception:  # a reader bug must still end as a refusal the user can read, never a traceback
        logging.getLogger("cchc").exception("unexpected failure checking %s", filename)
        findings = Findings()
        findings.error("Không đọc được tệp do một lỗi ngoài dự kiến của phần mềm; không có gì được lưu. Hãy mở tệp "
                       "bằng Excel, lưu lại dạng .xlsx rồi thử lại, hoặc gửi tệp cho quản trị viên.")
        return CheckResult(None, findings)


def _check_file(data: bytes, filename: str, registry: Registry, plan: Plan | None,
                period: tuple[int, int] | None = None, mappings: list[dict] | None = None,
                forced_mapping: dict | None = None, maxima: dict | None = None) -> CheckResult:
    try:
        workbook = load_workbook(data, filename)
    except WorkbookRefused as refused:
        return CheckResult(None, refused.findings)
    result = _read_kind(workbook, filename, registry, plan, period, mappings, forced_mapping, maxima)
    notices = workbook.notices() + live_content(data, filename)  # live formulas: the original is handed back as is
    result.findings.warnings[:0] = [Finding(message, sheet) for message, sheet in notices]
    return result


def _read_kind(workbook, filename: str, registry: Registry, plan: Plan | None,
               period: tuple[int, int] | None, mappings: list[dict] | None = None,
               forced_mapping: dict | None = None, maxima: dict | None = None) -> CheckResult:
    kind = detect_kind(workbook, _KINDS, default="stats")
    if kind == "plan":
        result = read_plan_workbook(workbook, registry, filename)
        return CheckResult("plan", result.findings, plan=result.plan)
    if kind == "progress":
        progress = read_progress_workbook(workbook, plan, registry)
        return CheckResult("progress", progress.findings, progress=progress)
    if kind == "procedures":
        procedures = read_procedures_workbook(workbook, registry)
        return CheckResult("procedures", procedures.findings, procedures=procedures)
    if kind == "index766":
        scores = read_index766_workbook(workbook, registry, filename, period, maxima)
        return CheckResult("index766", scores.findings, index766=scores)
    chosen = [forced_mapping] if forced_mapping else (mappings or [])
    stats = read_stats_workbook(workbook, registry, filename, period, chosen, forced=forced_mapping is not None)
    return CheckResult("stats", stats.findings, stats=stats)


def preview_import(store: Store, result: CheckResult) -> dict:
    """What importing would add and replace, without storing anything."""
    if result.kind == "stats" and result.ok:
        added, replaced, conflicts = store.stats_preview(result.stats.records)
        return {"added": added, "replaced": replaced, "conflicts": conflicts}
    if result.kind == "plan" and result.ok:
        replaced = result.plan.plan_year in store.plan_years()
        return {"plan_year": result.plan.plan_year, "replaces_plan": replaced}
    if result.kind == "progress" and result.ok:
        current = store.progress_records()
        existing = set(zip(current["code"], current["period"], current["agency"]))
        records = result.progress.records
        keys = sorted(set(zip(records["code"], records["period"], records["agency"])))
        return {"added": [(c, p) for c, p, a in keys if (c, p, a) not in existing],
                "replaced": [(c, p) for c, p, a in keys if (c, p, a) in existing]}
    if result.kind == "procedures" and result.ok:
        existing = store.procedure_keys()
        records = result.procedures.records
        keys = sorted(set(zip(records["unit"], records["year"].astype(int))))
        return {"added": [(u, str(y)) for u, y in keys if (u, y) not in existing],
                "replaced": [(u, str(y)) for u, y in keys if (u, y) in existing]}
    if result.kind == "index766" and result.ok:
        added, replaced = store.index766_preview(result.index766.records)
        return {"added": added, "replaced": replaced}
    return {}


def apply_index766_maxima(result: CheckResult, maxima: dict | None) -> CheckResult:
    """A QĐ 766 score file's check redone against `maxima` (Store.index766_maxima()): the groups above their
    maximum, located, in place of those the reader found against the maxima it was given (the defaults, in the
    bounded child process). Any other result, or the same maxima, is returned as it is; never mutates `result`."""
    from dataclasses import replace

    scores = result.index766
    if result.kind != "index766" or scores is None or maxima is None or \
            index766_reader.validate_maxima(maxima) == scores.maxima:
        return result
    findings, fresh = index766_reader.redo_maxima(result.findings, scores, maxima)
    checked = replace(scores, findings=findings, maxima=index766_reader.validate_maxima(maxima),
                      maxima_findings=fresh)
    return replace(result, findings=findings, index766=checked)


def conflict_messages(conflicts: list[tuple[str, str, str]]) -> list[str]:
    """Why an import over several months is refused: the months it would count twice, unit by unit."""
    from .formatting import period_label

    return [f"Đơn vị “{unit}”: số liệu {period_label(new)} trong tệp chồng lên số liệu {period_label(old)} đã lưu; "
            "một tháng không được tính hai lần. Hãy hủy lần nhập cũ (Lịch sử nhập) hoặc nhập số liệu cùng kiểu kỳ."
            for unit, new, old in conflicts]


@functools.lru_cache(maxsize=1)
def _illustrative_hashes() -> frozenset[str]:
    return frozenset(hashlib.sha256(path.read_bytes()).hexdigest() for path in ILLUSTRATIVE_FILES if path.exists())


def is_illustrative_file(data: bytes) -> bool:
    """True for the bytes of a shipped illustrative file (ILLUSTRATIVE_FILES): its rows are not real figures,
    whoever uploads it. Recognised by content (SHA-256), so a file only renamed still is, an edited one is not."""
    return hashlib.sha256(data).hexdigest() in _illustrative_hashes()


def store_checked(store: Store, result: CheckResult, data: bytes, filename: str, user: str | None = None,
                  illustrative: bool = False, *, account, replace_overlaps: bool = False) -> ImportOutcome:
    """Store a file that passed its check (one transaction), as `account` (required: the page passes the account
    logged in, the CLI MACHINE_ADMIN). A file the account may not store is refused before anything is written:
    rights.NotAllowed, its Vietnamese message and, for a progress file, the refused rows located (rights.py).
    A shipped illustrative file is stored as illustrative whatever `illustrative` says (is_illustrative_file)."""
    if not result.ok:
        raise ValueError("refused file cannot be stored")
    if (refusal := rights.refuse_import(result, account)) is not None:
        raise refusal
    illustrative = illustrative or is_illustrative_file(data)
    if result.kind == "index766":
        rights.require(account, "upload_stats")  # scores are the office's figures, like the statistics
        if not apply_index766_maxima(result, store.index766_maxima()).ok:  # maxima edited since the check
            raise ValueError("refused file cannot be stored")
        return store.import_index766(result.index766.records, data, filename, user, illustrative)
    if result.kind == "plan":
        return store.import_plan(result.plan, data, filename, user, illustrative)
    if result.kind == "progress":
        return store.import_progress(result.progress.records, data, filename, user, illustrative)
    if result.kind == "procedures":
        return store.import_procedures(result.procedures.records, data, filename, user, illustrative)
    return store.import_stats(result.stats.records, data, filename, user, illustrative, replace_overlaps)


OUTCOME_WORDS = {"stats": "đơn vị-tháng", "progress": "báo cáo tiêu chí-kỳ", "procedures": "đơn vị-năm"}


def outcome_text(kind: str | None, outcome: ImportOutcome) -> str:
    """What an import of rows did, for the page and the CLI: "Thêm 0, thay thế 240 đơn vị-tháng, không đổi số
    liệu nào." ("" for a plan: it has no rows to count)."""
    from .formatting import number
    from .show.views import changes_text

    what = OUTCOME_WORDS.get(kind or "")
    if what is None:
        return ""
    changes = changes_text(len(outcome.replaced), outcome.changed_values, outcome.changed_rows, what)
    return (f"Thêm {number(len(outcome.added))} {what}, thay thế {number(len(outcome.replaced))} {what}"
            + (f", {changes}" if changes else "") + ".")


def import_file(store: Store, data: bytes, filename: str = "", user: str | None = None,
                illustrative: bool = False, account: User = MACHINE_ADMIN) -> tuple[CheckResult, ImportOutcome | None]:
    """Check and store a file in one call: the machine's own imports (the shipped sample, scripts, tests), acting
    as the machine's administrator unless given another account. The page never uses it (store_checked)."""
    result = check_file(data, filename, plan=store.current_plan(), maxima=store.index766_maxima())
    if not result.ok:
        return result, None
    return result, store_checked(store, result, data, filename, user, illustrative, account=account)


def load_sample_data(store: Store) -> None:
    """Import the shipped plan and the illustrative 2019 statistics (marked illustrative)."""
    for path in (SAMPLE_PLAN_FILE, SAMPLE_STATS_FILE, SAMPLE_PROGRESS_FILE, SAMPLE_PROCEDURES_FILE):
        data = path.read_bytes()
        result, outcome = import_file(store, data, path.name, user="mẫu", illustrative=True)
        if outcome is None:
            raise RuntimeError(f"shipped sample {path.name} failed its check: {result.findings.errors[:3]}")


def open_default_store(url: str | None = None) -> Store:
    """The dashboard's store: the default database gets the sample data when it is new; a named one starts empty."""
    import os

    from .store.database import default_url

    explicit = url or os.environ.get("CCHC_DATABASE_URL")
    store = Store(explicit or default_url())
    if not explicit and store.is_new and store.import_count() == 0:
        load_sample_data(store)
    return store
