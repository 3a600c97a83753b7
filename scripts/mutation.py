"""Mutation testing of the code that guards trust: does a test notice when that code is changed?

Run through `bash scripts/mutation.sh [TARGET ...]` (it sets up the venv and a throwaway PostgreSQL). For each
target below, mutmut mutates only the named functions of one module, in a scratch copy of the project, and runs
only the tests that cover them; this prints `killed K / N` per target and every surviving mutant with its diff.
Not part of .ci/run: a full run takes several minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = [sys.executable, "-m", "mutmut"]
GOAL = 0.90


@dataclass(frozen=True)
class Target:
    name: str
    module: str  # the file mutmut mutates
    functions: tuple[str, ...]  # mutmut names: "x_can", "xǁStoreǁimport_stats"; a trailing * is a glob
    tests: tuple[str, ...]


TARGETS = (
    Target("accounts", "cchc/store/accounts.py",
           ("x_hash_password", "x_verify_password", "x_can", "x_authenticate", "x_user_from_identity"),
           ("tests/store/test_account_records.py", "tests/store/test_accounts.py",
            "tests/pages/test_rights.py")),
    Target("logins", "cchc/store/accounts.py",
           ("x_delay_after", "x__throttle_keys", "x__claim", "x__take_back", "x__wait_left", "x_failure_count", "x_open_session",
            "x_session_user", "x_end_session", "x_clear_failures"),
           ("tests/store/test_account_records.py", "tests/store/test_login_throttle.py")),
    Target("imports", "cchc/store/database.py",
           ("xǁStoreǁ_write", "xǁStoreǁ_record_import", "xǁStoreǁimport_stats", "xǁStoreǁ_stats_keys", "xǁStoreǁrollback_to",
            "xǁStoreǁ_reverted_at", "xǁStoreǁ_data_entries", "xǁStoreǁactive_entries", "x__recompute_current",
            "x__sqlite_begin_immediate", "xǁ_WriteTransactionǁ*"),
           ("tests/store/test_entries.py", "tests/store/test_history.py", "tests/store/test_database.py",
            "tests/store/test_concurrency.py", "tests/store/test_spans.py")),
    Target("excel-guard", "cchc/show/excel.py", ("x__clean_text", "x__set_text"), ("tests/show/test_excel.py",)),
    Target("status", "cchc/score/status.py", ("x_met", "x_classify"),
           ("tests/score/test_scoring.py", "tests/score/test_rules.py", "tests/score/test_status.py")),
    Target("targets", "cchc/read/targets.py", ("x_metric_for", "x_parse_target", "x_describe_missing"),
           ("tests/read/test_plan.py", "tests/read/test_targets.py", "tests/test_sample.py")),
    Target("periods", "cchc/read/stats.py",
           ("x__period_from_label", "x__period_from_title", "x__month_cell", "x__year_cell", "x__row_periods",
            "x__sheet_periods", "x__missing_years"),
           ("tests/read/test_periods.py", "tests/read/test_stats.py", "tests/read/test_span_periods.py",
            "tests/read/test_stated_periods.py")),
    Target("hidden-rows", "cchc/read/grid.py", ("x__blank_hidden", "x__spans", "xǁWorkbookǁnotices"),
           ("tests/read/test_hidden.py", "tests/read/test_html_workbooks.py", "tests/read/test_legacy_workbooks.py")),
    Target("hidden-xml", "cchc/read/container.py", ("x__hidden_rows_and_columns", "xǁ_SlowSheetScanǁ_note_hidden"),
           ("tests/read/test_hidden.py",)),
)


def _copy_project(into: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split("\n")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)


def _setup_cfg(target: Target) -> str:
    tests = [t for t in target.tests if (ROOT / t).exists()]
    also = ["data", "ui", "pages", "app.py", "pytest.ini", ".streamlit", "scripts"]
    return ("[mutmut]\nsource_paths = cchc\n"
            f"only_mutate = {target.module}\n"
            "pytest_add_cli_args_test_selection =\n" + "".join(f"    {t}\n" for t in tests) +
            "pytest_add_cli_args =\n    -p\n    no:cacheprovider\n    -x\n"
            "also_copy =\n" + "".join(f"    {a}\n" for a in also))


def _module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def run(target: Target, keep: bool) -> tuple[int, int, list[str]]:
    work = Path(tempfile.mkdtemp(prefix=f"cchc-mutation-{target.name}-"))
    try:
        _copy_project(work)
        (work / "setup.cfg").write_text(_setup_cfg(target), encoding="utf-8")
        module = _module_name(target.module)
        names = [f"{module}.{f}__mutmut_*" for f in target.functions]
        log = work / "mutmut.log"
        with open(log, "w", encoding="utf-8") as out:
            subprocess.run(MUTMUT + ["run", "--max-children", str(os.cpu_count() or 2), *names], cwd=work,
                           stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "TERM": "dumb"})
        listing = subprocess.run(MUTMUT + ["results", "--all", "true"], cwd=work, capture_output=True,
                                 text=True).stdout
        statuses = dict(re.findall(r"^\s*(\S+__mutmut_\d+): (\w[\w ]*)$", listing, re.M))
        wanted = [m for m in statuses if any(re.fullmatch(re.escape(n).replace(r"\*", ".*"), m) for n in names)]
        killed = [m for m in wanted if statuses[m] == "killed"]
        surviving = [m for m in wanted if statuses[m] != "killed"]
        details = []
        for mutant in surviving:
            diff = subprocess.run(MUTMUT + ["show", mutant], cwd=work, capture_output=True, text=True).stdout
            details.append(f"{mutant} ({statuses[mutant]})\n{diff.strip()}")
        if not wanted:
            details.append("no mutants were generated or run; mutmut said:\n" + log.read_text()[-3000:])
        return len(killed), len(wanted), details
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="*", help=f"some of: {', '.join(t.name for t in TARGETS)}")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies (to rerun mutmut by hand)")
    args = parser.parse_args()
    chosen = [t for t in TARGETS if not args.targets or t.name in args.targets]
    below = False
    summary = []
    for target in chosen:
        killed, total, details = run(target, args.keep)
        share = killed / total if total else 0.0
        below |= share < GOAL
        line = f"{target.name} ({target.module}): killed {killed} / {total} ({share:.0%})"
        summary.append(line)
        print(line, flush=True)
        for detail in details:
            print("  survived: " + detail.replace("\n", "\n    "), flush=True)
    print("\n".join(["", "Summary:", *summary]))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
