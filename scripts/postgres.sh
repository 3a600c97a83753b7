#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the tests (Debian's postgresql server) and print its URL.
# Usage: eval "$(bash scripts/postgres.sh start)"; ...; bash scripts/postgres.sh stop
# Environment: CCHC_PG_DIR (default /tmp/cchc-pg), CCHC_PG_PORT (default 54329), PGBIN (default: the newest
# /usr/lib/postgresql/*/bin). When no cluster can be started: under CI (CI set, not 0/false) this exits 1 with the
# reason on stderr, so the run fails; elsewhere it prints a notice (for eval) and the PostgreSQL tests are skipped.
set -euo pipefail
newest_pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
PGBIN=${PGBIN:-$(newest_pgbin)}
DIR=${CCHC_PG_DIR:-/tmp/cchc-pg}
PORT=${CCHC_PG_PORT:-54329}
case "$(printf %s "${CI:-}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')" in ""|0|false|no) IN_CI= ;; *) IN_CI=1 ;; esac
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cannot_start() {  # $1: why
  if [ -n "$IN_CI" ]; then
    echo "scripts/postgres.sh: cannot start PostgreSQL: $1 (CI=$CI: the PostgreSQL tests must run, failing)" >&2
    exit 1
  fi
  local notice="PostgreSQL not available ($1): its tests will be skipped"
  echo "echo '${notice//\'/}' >&2"
  exit 0
}
case "${1:-start}" in
  start)
    if [ -z "$PGBIN" ]; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        (apt-get update -qq && apt-get install -y -qq postgresql) >/dev/null 2>&1 || true
        PGBIN=$(newest_pgbin)
      fi
      [ -n "$PGBIN" ] || cannot_start "no Debian postgresql server in /usr/lib/postgresql (apt-get install postgresql)"
    fi
    for tool in pg_isready initdb pg_ctl; do
      [ -x "$PGBIN/$tool" ] || cannot_start "$PGBIN/$tool is missing or not executable"
    done
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
      cannot_start "running as root, but there is no postgres user to run the server"
    fi
    if ! as_postgres "$PGBIN/pg_isready" -q -h "$DIR" -p "$PORT" 2>/dev/null; then
      rm -rf "$DIR"; mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_postgres "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >"$DIR/initdb.log" 2>&1 ||
        cannot_start "initdb failed: $(tail -3 "$DIR/initdb.log" | tr '\n' ' ')"
      as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
        -o "-k $DIR -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start \
        >/dev/null 2>&1 ||
        cannot_start "the server did not start on port $PORT: $(tail -3 "$DIR/log" 2>/dev/null | tr '\n' ' ')"
    fi
    echo "export CCHC_TEST_POSTGRES_URL='postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres'"
    ;;
  stop)
    if [ -x "$PGBIN/pg_ctl" ] && [ -d "$DIR/data" ]; then
      as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null || true
    fi
    ;;
esac
