#!/usr/bin/env bash
# Line and branch coverage of cchc/ and ui/ over the whole test suite, subprocesses included (.coveragerc).
# Prints the per-module table and the modules under 90 %. Usage: bash scripts/coverage.sh [pytest args]
# Not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CCHC_PG_DIR=${CCHC_PG_DIR:-/tmp/cchc-pg-coverage} CCHC_PG_PORT=${CCHC_PG_PORT:-54338}
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT
export COVERAGE_RCFILE="$PWD/.coveragerc"
rm -rf .coverage-data && mkdir -p .coverage-data
.venv/bin/python -m coverage run -m pytest -q -p no:cacheprovider "$@" || echo "(some tests failed: coverage still reported)"
.venv/bin/python -m coverage combine -q
.venv/bin/python -m coverage report
.venv/bin/python -m coverage json -q -o .coverage-data/coverage.json
.venv/bin/python - <<'PY'
import json
data = json.load(open(".coverage-data/coverage.json"))
low = sorted((f["summary"]["percent_covered"], name) for name, f in data["files"].items()
             if f["summary"]["percent_covered"] < 90)
total = data["totals"]["percent_covered"]
print(f"\nTotal {total:.1f} %; modules under 90 %: {len(low)}")
for pct, name in low:
    print(f"  {pct:5.1f} %  {name}")
PY
