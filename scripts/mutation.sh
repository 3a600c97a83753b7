#!/usr/bin/env bash
# Mutation testing of the trust-guarding code (scripts/mutation.py): prints "killed K / N" per target and the
# surviving mutants. Usage: bash scripts/mutation.sh [accounts|imports|excel-guard|status|targets|periods ...]
# Not part of .ci/run (several minutes). Exit code 1 when a target kills less than 90 % of its mutants.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CCHC_PG_DIR=${CCHC_PG_DIR:-/tmp/cchc-pg-mutation} CCHC_PG_PORT=${CCHC_PG_PORT:-54339}
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT
.venv/bin/python scripts/mutation.py "$@"
