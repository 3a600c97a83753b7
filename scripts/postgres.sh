#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the tests (Debian's postgresql server) and print its URL.
# Usage: eval "$(bash scripts/postgres.sh start)"; ...; bash scripts/postgres.sh stop
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
DIR=${CCHC_PG_DIR:-/tmp/cchc-pg}
PORT=${CCHC_PG_PORT:-54329}
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [ -z "$PGBIN" ]; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        (apt-get update -qq && apt-get install -y -qq postgresql) >/dev/null 2>&1 || true
        PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
      fi
      [ -n "$PGBIN" ] || { echo "echo 'PostgreSQL not available: its tests will be skipped' >&2"; exit 0; }
    fi
    if ! as_postgres "$PGBIN/pg_isready" -q -h "$DIR" -p "$PORT" 2>/dev/null; then
      rm -rf "$DIR"; mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_postgres "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >/dev/null
      as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
        -o "-k $DIR -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
    fi
    echo "export CCHC_TEST_POSTGRES_URL='postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres'"
    ;;
  stop)
    [ -n "$PGBIN" ] && [ -d "$DIR/data" ] && as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null || true
    ;;
esac
