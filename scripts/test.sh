#!/usr/bin/env bash
# Set up and run every test: unit, CLI, storage on SQLite and PostgreSQL, AppTest pages, the browser test.
# Extra arguments go to pytest. Under CI (.ci/run exports CI=1) a part that cannot be set up fails the run: no
# chromium, or a PostgreSQL cluster that does not start, is an error here or in the tests, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core) >/dev/null
fi
command -v chromium >/dev/null 2>&1 ||
  echo "chromium is not installed (apt-get install chromium): the browser and chart-image tests will fail" >&2
# Not `eval "$(…)"` directly: eval of a failed command substitution succeeds, and the failure would be lost.
trap 'bash scripts/postgres.sh stop' EXIT
postgres_env=$(bash scripts/postgres.sh start)
eval "$postgres_env"
# Test files run in parallel, each file on one worker (its servers and browser are set up once): one worker more
# than the machine has cores, as much of the time goes to waiting on servers and Chromium. CCHC_TEST_WORKERS=0
# runs everything in this one process (for a debugger, or -x on the first failure in file order).
workers=${CCHC_TEST_WORKERS:-$(( $(nproc 2>/dev/null || echo 1) + 1 ))}
if [ "$workers" = 0 ]; then
  .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
else
  .venv/bin/python -m pytest -q -p no:cacheprovider -n "$workers" --dist loadfile "$@"
fi
